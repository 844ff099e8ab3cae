import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * PostgreSQL: the whole-title index of `search_docs` carries the id, `(title_key, id)`, so the
 * newest documents of a title common to thousands of records are read from the index in order.
 * On `(title_key)` alone the planner chose to walk the primary key backwards and test each row
 * (0.5 s a search at a million documents). The old index may carry a rebuild's tag in its name,
 * so it is found by what it indexes. SQLite's index already ends with the rowid: nothing to do.
 */
export function m012TitleKeyIndex(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      const old = await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema() and tablename = 'search_docs' and indexdef like '%(title_key)'`.execute(db);
      if (old.rows.length === 0) return; // a new database: migration 003 made today's index
      for (const r of old.rows) await sql`drop index ${sql.id(r.name)}`.execute(db);
      await sql`create index if not exists search_docs_title_key on search_docs (title_key, id)`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      await sql`drop index if exists search_docs_title_key`.execute(db);
      await sql`create index search_docs_title_key on search_docs (title_key)`.execute(db);
    },
  };
}
