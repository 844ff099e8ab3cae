/**
 * Runs a suite once per database: SQLite (always) and PostgreSQL (when a server is here; see
 * `global-setup.ts`). Each run gets its own fresh database, dropped afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { describe, inject } from 'vitest';

export type TestDialect = 'sqlite' | 'postgres';
export const DIALECTS: readonly TestDialect[] = ['sqlite', 'postgres'];

export interface TempDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new empty database of the given kind. */
export async function tempDatabase(dialect: TestDialect): Promise<TempDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'lienthong-test-'));
    return { url: join(dir, 'test.sqlite'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = inject('pgUrl');
  if (!admin) throw new Error('PostgreSQL is not available');
  const name = `lt_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

export function dialectAvailable(dialect: TestDialect): boolean {
  return dialect === 'sqlite' || inject('pgUrl') !== null;
}

/** `describe` once per database; the PostgreSQL one is skipped (and says so) when there is none. */
export function describeEachDialect(name: string, fn: (dialect: TestDialect) => void): void {
  for (const dialect of DIALECTS) {
    describe.skipIf(!dialectAvailable(dialect))(`${name} [${dialect}]`, () => fn(dialect));
  }
}
