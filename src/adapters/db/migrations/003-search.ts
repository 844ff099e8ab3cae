import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../schema.js';
import { dropSearchTables, searchTableStatements } from '../../search/schema.js';

/**
 * The discovery index. One document per live catalogue record (`search_docs`), written in the
 * same transaction as the record or item change that caused it, plus the engine's own text
 * index: an FTS5 table on SQLite, a `tsvector` table with a GIN index on PostgreSQL. Tokens are
 * folded in our code (`src/text/vi.ts`), so both engines index exactly the same words.
 *
 * `search_docs.seq` numbers changes; each server process keeps its facet arrays current by
 * reading the rows with a higher `seq` (a deleted record leaves a row with `alive = 0`).
 * `search_state` holds the last `seq` and the index generation (bumped by a full reindex).
 *
 * The tables are created by `searchTableStatements`, which `lienthong reindex` also uses to
 * build shadow tables next to the live ones.
 */
export function m003Search(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const stmt of searchTableStatements(dialect, '')) await sql.raw(stmt).execute(db);
      await db.schema
        .createTable('search_state')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'bigint', (c) => c.notNull())
        .execute();
      await sql`insert into search_state (key, value) values ('seq', 0), ('generation', 1)`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      for (const stmt of dropSearchTables(dialect, '')) await sql.raw(stmt).execute(db);
      await db.schema.dropTable('search_state').execute();
    },
  };
}
