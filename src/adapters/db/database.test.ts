import { describe, expect, it } from 'vitest';
import { sql, type RawBuilder } from 'kysely';
import { describeEachDialect, tempDatabase, type TestDialect } from '../../../test/dialects.js';
import { count } from '../../../test/expect.js';
import { migrate, openDatabase, type DatabaseHandle } from './database.js';
import { migrationProvider } from './migrations/index.js';

const TABLES = ['api_tokens', 'audit_log', 'bib_identifiers', 'bib_records', 'blobs', 'digital_collections', 'digital_files', 'digital_object_collections', 'digital_objects', 'digital_pages', 'digital_targets', 'grants', 'harvest_errors', 'harvest_runs', 'harvest_sources', 'harvested_records', 'import_results', 'ingest_results', 'items', 'jobs', 'library_group_members', 'library_groups', 'org_events', 'org_units', 'reader_card_counters', 'reader_list_items', 'reader_lists', 'reader_searches', 'reader_sessions', 'readers', 'role_permissions', 'roles', 'sessions', 'site_images', 'site_posts', 'site_settings', 'sru_targets', 'staff_users', 'unit_settings'];
const KYSELY_TABLES = ['kysely_migration', 'kysely_migration_lock'];
/** The search index's tables; on SQLite also the FTS5 tables and the shadow tables FTS5 keeps for each. */
const SEARCH_TABLES = ['search_docs', 'search_headings', 'search_pages', 'search_state', 'search_terms'];
/** PostgreSQL's engine table (`search_match`); SQLite's FTS5 tables. */
const PG_SEARCH_TABLES = ['search_match'];
const FTS5_TABLES = ['search_fts', 'search_pages_fts'].flatMap((t) => [t, `${t}_config`, `${t}_data`, `${t}_docsize`, `${t}_idx`]);
/** Tables that hold rows right after migrating: the index's change counter and generation. */
const SEEDED = new Set(['search_state']);

async function rows(handle: DatabaseHandle, query: RawBuilder<unknown>): Promise<unknown[]> {
  return (await query.execute(handle.db)).rows;
}

/** Everything the migrations define, as the database's own catalogue lists it. */
async function schemaOf(handle: DatabaseHandle): Promise<Record<string, unknown[]>> {
  if (handle.dialect === 'sqlite') {
    return { objects: await rows(handle, sql`select type, name, tbl_name, sql from sqlite_master order by type, name`) };
  }
  return {
    columns: await rows(handle, sql`select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns where table_schema = 'public' order by table_name, ordinal_position`),
    indexes: await rows(handle, sql`select tablename, indexname, indexdef from pg_indexes where schemaname = 'public' order by tablename, indexname`),
    constraints: await rows(handle, sql`select conrelid::regclass::text as tbl, conname, pg_get_constraintdef(oid) as def from pg_constraint where connamespace = 'public'::regnamespace order by tbl, conname`),
    triggers: await rows(handle, sql`select event_object_table, trigger_name, event_manipulation, action_timing, action_statement from information_schema.triggers where trigger_schema = 'public' order by event_object_table, trigger_name, event_manipulation`),
    functions: await rows(handle, sql`select proname, prosrc from pg_proc where pronamespace = 'public'::regnamespace order by proname`),
  };
}

async function tablesOf(handle: DatabaseHandle): Promise<string[]> {
  const list =
    handle.dialect === 'sqlite'
      ? sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite\\_%' escape '\\' order by name`
      : sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' order by table_name`;
  return (await list.execute(handle.db)).rows.map((r) => r.name);
}

/** Runs `fn` on a new database (`empty`: not even migrated), then drops it. */
async function withDatabase(dialect: TestDialect, opts: { empty?: boolean }, fn: (handle: DatabaseHandle) => Promise<void>): Promise<void> {
  const db = await tempDatabase(dialect, opts);
  const handle = openDatabase({ url: db.url, poolSize: 1 });
  try {
    await fn(handle);
  } finally {
    await handle.close();
    await db.drop();
  }
}

describeEachDialect('migrations', (dialect: TestDialect) => {
  it('build the whole schema on an empty database, and running them again changes nothing', async () => {
    const names = Object.keys(await migrationProvider(dialect).getMigrations()).sort();
    await withDatabase(dialect, { empty: true }, async (handle) => {
      expect(await tablesOf(handle)).toEqual([]);

      const first = await migrate(handle);
      expect(first.results?.map((r) => [r.migrationName, r.direction, r.status])).toEqual(names.map((n) => [n, 'Up', 'Success']));
      expect(await tablesOf(handle)).toEqual([...TABLES, ...SEARCH_TABLES, ...(dialect === 'sqlite' ? FTS5_TABLES : PG_SEARCH_TABLES), ...KYSELY_TABLES].sort());
      const schema = await schemaOf(handle);

      expect((await migrate(handle)).results).toEqual([]);
      expect(await schemaOf(handle)).toEqual(schema);
      const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(handle.db);
      expect(applied.rows.map((r) => r.name)).toEqual(names);
    });
  });

  it('the template every other test copies has that schema, fully migrated, and no rows', async () => {
    let fresh: Record<string, unknown[]> = {};
    await withDatabase(dialect, { empty: true }, async (handle) => {
      await migrate(handle);
      fresh = await schemaOf(handle);
    });
    await withDatabase(dialect, {}, async (handle) => {
      expect((await migrate(handle)).results).toEqual([]);
      expect(await schemaOf(handle)).toEqual(fresh);
      for (const table of [...TABLES, ...SEARCH_TABLES].filter((t) => !SEEDED.has(t))) expect([table, await count({ handle }, table)]).toEqual([table, 0]);
    });
  });
});

describe('queries through Kysely on SQLite (statements kept by their text)', () => {
  it('see changes when run again, and a stream left half-way leaves its statement usable', async () => {
    await withDatabase('sqlite', {}, async (handle) => {
      await sql`create table scratch (code text not null)`.execute(handle.db);
      const t = () => handle.db.selectFrom('scratch' as never).select(sql<string>`code`.as('code')).orderBy(sql`code`);
      const codes = async () => (await t().execute()).map((r) => r.code);
      const add = (code: string) => sql`insert into scratch (code) values (${code})`.execute(handle.db);
      expect(await codes()).toEqual([]);
      await add('A');
      expect(await codes()).toEqual(['A']);
      await add('B');
      await add('C');
      // The same statement text streamed (Kysely holds the connection meanwhile), left half-way, then run.
      const seen: string[] = [];
      for await (const row of t().stream(1)) {
        seen.push(row.code);
        if (seen.length === 2) break;
      }
      expect(seen).toEqual(['A', 'B']);
      expect(await codes()).toEqual(['A', 'B', 'C']);
      for await (const row of t().stream(1)) seen.push(row.code);
      expect(seen).toEqual(['A', 'B', 'A', 'B', 'C']);
      await sql`delete from scratch where code = ${'B'}`.execute(handle.db);
      expect(await codes()).toEqual(['A', 'C']);
    });
  });
});
