/**
 * Runs a suite once per database: SQLite (always) and PostgreSQL (when a server is here; see
 * `global-setup.ts`). Each run gets its own fresh database, copied from a migrated template (see
 * `databases.ts`) and dropped afterwards.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, inject } from 'vitest';
import { createPgDatabase, dropPgDatabase, pgDatabaseUrl, uniqueName } from './databases.js';

export type TestDialect = 'sqlite' | 'postgres';
export const DIALECTS: readonly TestDialect[] = ['sqlite', 'postgres'];

export interface TempDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A new database of the given kind, already migrated: a copy of the template that the global
 * setup migrated once for the whole run. `empty: true` gives one without even the schema, for
 * tests of migrating itself.
 */
export async function tempDatabase(dialect: TestDialect, opts: { empty?: boolean } = {}): Promise<TempDatabase> {
  const run = inject('databases');
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(run.dir, 'db-'));
    const url = join(dir, 'test.sqlite');
    if (!opts.empty) copyFileSync(run.sqliteTemplate, url);
    return { url, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const admin = inject('pgUrl');
  if (!admin || !run.pgTemplate) throw new Error('PostgreSQL is not available');
  const name = uniqueName(run.pgPrefix);
  await createPgDatabase(admin, name, opts.empty ? null : run.pgTemplate);
  return { url: pgDatabaseUrl(admin, name), drop: () => dropPgDatabase(admin, name) };
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
