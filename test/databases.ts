/**
 * The databases tests run on, without anything of Vitest's, so that both the global setup (in the
 * main process) and the test workers can use it.
 *
 * Migrating a database for every test cost more than most tests do, so the global setup migrates
 * one template per dialect and run, and every test gets a copy: `CREATE DATABASE … TEMPLATE` on
 * PostgreSQL, a file copy on SQLite. Everything a run makes is named after it (one folder, one
 * database name prefix), so that the teardown can remove all of it, even what a crashed worker
 * left behind, and never touches another run's.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { migrate, openDatabase } from '../src/adapters/db/database.js';

/** What the global setup hands to the workers (see `ProvidedContext` in `global-setup.ts`). */
export interface RunDatabases {
  /** Folder of this run's SQLite files, the template among them. */
  dir: string;
  /** Migrated SQLite file that each SQLite test database is a copy of. */
  sqliteTemplate: string;
  /** Start of the name of each PostgreSQL database this run makes: `lt_test_<run>`. */
  pgPrefix: string;
  /** Migrated PostgreSQL template database, on the `pgUrl` server; null without PostgreSQL. */
  pgTemplate: string | null;
}

/** Runs statements one after another on one connection to the admin database. */
export async function adminQuery(adminUrl: string, ...statements: string[]): Promise<pg.QueryResultRow[]> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    let rows: pg.QueryResultRow[] = [];
    for (const s of statements) rows = (await client.query(s)).rows;
    return rows;
  } finally {
    await client.end();
  }
}

/** The URL of database `name` on the server of `adminUrl`. */
export function pgDatabaseUrl(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A database name no other test or worker uses: `<prefix>_<pid>_<random>`. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

/** A new PostgreSQL database: empty (from template0), or a copy of `template`. */
export async function createPgDatabase(adminUrl: string, name: string, template: string | null): Promise<void> {
  await adminQuery(adminUrl, template ? `CREATE DATABASE ${name} TEMPLATE ${template}` : `CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
}

/** Drops a test database, ending any connection still open to it. */
export async function dropPgDatabase(adminUrl: string, name: string): Promise<void> {
  await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
}

/** Runs the real migrations on the database at `url`. */
async function migrateUrl(url: string): Promise<void> {
  const handle = openDatabase({ url, poolSize: 1 });
  try {
    await migrate(handle);
  } finally {
    await handle.close();
  }
}

/**
 * Makes this run's folder and templates. The SQLite template is one file: closing the last
 * connection checkpoints the write-ahead log into it. The PostgreSQL template is marked as one
 * and closed to connections, so that `CREATE DATABASE … TEMPLATE` may copy it from any number of
 * workers at once.
 */
export async function setUpRunDatabases(pgUrl: string | null): Promise<{ run: RunDatabases; teardown: () => Promise<void> }> {
  const id = randomBytes(3).toString('hex');
  const dir = mkdtempSync(join(tmpdir(), `lienthong-test-${id}-`));
  const run: RunDatabases = { dir, sqliteTemplate: join(dir, 'template.sqlite'), pgPrefix: `lt_test_${id}`, pgTemplate: null };
  const teardown = async () => {
    try {
      if (pgUrl) await dropRunPgDatabases(pgUrl, run.pgPrefix);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  try {
    await migrateUrl(run.sqliteTemplate);
    if (existsSync(`${run.sqliteTemplate}-wal`)) throw new Error(`the SQLite template left a write-ahead log behind: ${run.sqliteTemplate}-wal`);
    if (pgUrl) {
      const name = `${run.pgPrefix}_template`;
      await createPgDatabase(pgUrl, name, null);
      await migrateUrl(pgDatabaseUrl(pgUrl, name));
      await adminQuery(pgUrl, `ALTER DATABASE ${name} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false`);
      run.pgTemplate = name;
    }
    return { run, teardown };
  } catch (e) {
    await teardown();
    throw e;
  }
}

/** Drops the template and every database of the run that a test did not drop itself (and says so). */
async function dropRunPgDatabases(pgUrl: string, prefix: string): Promise<void> {
  const rows = await adminQuery(pgUrl, `SELECT datname FROM pg_database WHERE datname LIKE '${prefix}\\_%' ORDER BY datname`);
  const names = rows.map((r) => String(r.datname));
  const template = `${prefix}_template`;
  const leftover = names.filter((n) => n !== template);
  if (leftover.length) console.warn(`\nTest databases left behind, now dropped: ${leftover.join(', ')}\n`);
  for (const name of names) {
    if (name === template) await adminQuery(pgUrl, `ALTER DATABASE ${name} WITH IS_TEMPLATE false`);
    await dropPgDatabase(pgUrl, name);
  }
}
