/**
 * Temporary databases for benchmarks: a SQLite file in a temp folder, or a PostgreSQL database
 * created from the admin URL the tests use (`LIENTHONG_TEST_PG_URL`, default
 * `postgres://127.0.0.1:5432/test`), with the same collation settings as `test/dialects.ts`.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { BenchDialect } from './context.js';

export const DEFAULT_PG_URL = 'postgres://127.0.0.1:5432/test';

export interface TempDatabase {
  dialect: BenchDialect;
  /** What `openDatabase` takes. */
  url: string;
  /** Removes the database; safe to call twice. */
  drop(): Promise<void>;
}

/**
 * The PostgreSQL server benchmarks use, from the same setting as the tests. A URL without a user
 * gets the operating-system user, as libpq does: node-pg looks only at `PGUSER` and `USER`, which
 * a bare environment (cron, a container's `docker exec`) may not set.
 */
export function postgresAdminUrl(): string {
  const url = new URL(process.env.LIENTHONG_TEST_PG_URL || DEFAULT_PG_URL);
  if (!url.username && !process.env.PGUSER && !process.env.USER) url.username = userInfo().username;
  return url.toString();
}

/** `url` fit to print: without its password. */
export function displayUrl(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/** `null` when a server answers at `url`, else why not. */
export async function probePostgres(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    await client.end().catch(() => {});
  }
}

async function adminQuery(adminUrl: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A new empty database of the given kind. */
export async function createTempDatabase(dialect: BenchDialect, pgAdminUrl: string): Promise<TempDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'lienthong-bench-'));
    return { dialect, url: join(dir, 'bench.sqlite'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `lt_bench_${process.pid}_${randomBytes(4).toString('hex')}`;
  await adminQuery(pgAdminUrl, `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
  const url = new URL(pgAdminUrl);
  url.pathname = `/${name}`;
  let dropped = false;
  return {
    dialect,
    url: url.toString(),
    drop: async () => {
      if (dropped) return;
      dropped = true;
      // FORCE ends the benchmark's own pool connections should a failure leave them open.
      await adminQuery(pgAdminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/**
 * A database kept between by-hand runs: a SQLite file, or a `postgres://…/<name>` database on the
 * benchmark's server (created, with the same settings as a temporary one, when it is not there).
 * `fresh` when it was not there before, so the caller loads it; never dropped.
 */
export async function keptDatabase(given: string, pgAdminUrl: string): Promise<{ dialect: BenchDialect; url: string; fresh: boolean }> {
  if (!/^postgres(ql)?:\/\//.test(given)) return { dialect: 'sqlite', url: given, fresh: !existsSync(given) };
  const name = new URL(given).pathname.slice(1);
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`a kept PostgreSQL database needs a plain lower-case name, not "${name}"`);
  const client = new pg.Client({ connectionString: pgAdminUrl });
  await client.connect();
  try {
    const found = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (found.rowCount !== 0) return { dialect: 'postgres', url: given, fresh: false };
    await client.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
    return { dialect: 'postgres', url: given, fresh: true };
  } finally {
    await client.end();
  }
}
