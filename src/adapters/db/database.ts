/**
 * Opens the database chosen by the configuration: a SQLite file (better-sqlite3, WAL, foreign
 * keys, busy timeout) or PostgreSQL (pg pool). Both are wrapped in the same Kysely instance type,
 * so every repository runs unchanged on either.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type MigrationResultSet, type SqliteDatabase } from 'kysely';
import type { Database, Dialect } from './schema.js';
import { migrationProvider } from './migrations/index.js';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: Dialect;
  /** The raw better-sqlite3 handle (SQLite only), for online backups. */
  sqlite?: SQLite.Database;
  /**
   * A second, read-only connection to the same file (SQLite only; the main handle for
   * `:memory:`): searches read through it, so they never wait behind a write transaction on
   * the main connection and never see a write that has not committed.
   */
  reader?: SQLite.Database;
  close(): Promise<void>;
}

export interface OpenOptions {
  /** `postgres://…` for PostgreSQL; otherwise a SQLite file path (or `:memory:`). */
  url: string;
  /** Pool size for PostgreSQL. */
  poolSize?: number;
}

// PostgreSQL returns bigint (COUNT(*), SUM) as strings by default; our counts fit in a double.
pg.types.setTypeParser(20, (v) => Number.parseInt(v, 10));

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** Statements kept per connection, by SQL text; least recently used go first. */
const STATEMENTS_KEPT = 500;

/**
 * The connection as Kysely sees it, with its prepared statements kept: Kysely's SQLite driver
 * prepares every query again (a tenth of a millisecond for a join, a fifth of the SQL time of a
 * results page). A statement still being iterated (a stream) is not shared: a fresh one is
 * prepared for the other caller.
 */
function statementCache(sqlite: SQLite.Database): SqliteDatabase {
  const kept = new Map<string, SQLite.Statement>();
  return {
    close: () => {
      kept.clear();
      sqlite.close();
    },
    prepare: (text: string) => {
      const s = kept.get(text);
      if (s && !s.busy) {
        kept.delete(text);
        kept.set(text, s);
        return s;
      }
      const fresh = sqlite.prepare(text);
      if (!s) {
        kept.set(text, fresh);
        if (kept.size > STATEMENTS_KEPT) kept.delete(kept.keys().next().value!);
      }
      return fresh;
    },
  };
}

export function openDatabase(opts: OpenOptions): DatabaseHandle {
  if (isPostgresUrl(opts.url)) {
    const pool = new pg.Pool({ connectionString: opts.url, max: opts.poolSize ?? 10 });
    // An idle client that loses its server must not crash the process.
    pool.on('error', () => {});
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: 'postgres', close: () => db.destroy() };
  }
  if (opts.url !== ':memory:') mkdirSync(dirname(opts.url), { recursive: true });
  const sqlite = new SQLite(opts.url);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  // 64 MiB of page cache (the default is 2 MiB): a catalogue's indexes (identifiers, barcodes)
  // are read at random during imports and searches.
  sqlite.pragma('cache_size = -65536');
  sqlite.pragma('temp_store = MEMORY');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: statementCache(sqlite) }) });
  let reader: SQLite.Database | undefined;
  const openReader = (): SQLite.Database => {
    if (opts.url === ':memory:') return sqlite;
    if (!reader) {
      reader = new SQLite(opts.url, { readonly: true, fileMustExist: true });
      reader.pragma('busy_timeout = 5000');
      reader.pragma('cache_size = -65536');
      reader.pragma('mmap_size = 1073741824');
    }
    return reader;
  };
  return {
    db,
    dialect: 'sqlite',
    sqlite,
    get reader() {
      return openReader();
    },
    close: async () => {
      reader?.close();
      await db.destroy();
    },
  };
}

/** Runs every pending migration. Returns Kysely's result set; throws with the failing step named. */
export async function migrate(handle: DatabaseHandle): Promise<MigrationResultSet> {
  const migrator = new Migrator({ db: handle.db, provider: migrationProvider(handle.dialect) });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const why = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${why}`);
  }
  return result;
}
