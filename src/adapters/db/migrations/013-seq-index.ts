import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * PostgreSQL: the change-number index of `search_docs` carries the id, `(seq, id)`. Each process
 * reads its facet arrays in pages of `(seq, id) > (…)`, and every document of a rebuilt index
 * has the same seq: on `(seq)` alone each page read and sorted all the rest (66 s to start a
 * process at a million documents). Found by what it indexes, as in migration 012. SQLite's index
 * already ends with the rowid: nothing to do.
 */
export function m013SeqIndex(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      const old = await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema() and tablename = 'search_docs' and indexdef like '%(seq)'`.execute(db);
      if (old.rows.length === 0) return; // a new database: migration 003 made today's index
      for (const r of old.rows) await sql`drop index ${sql.id(r.name)}`.execute(db);
      await sql`create index if not exists search_docs_seq on search_docs (seq, id)`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      await sql`drop index if exists search_docs_seq`.execute(db);
      await sql`create index search_docs_seq on search_docs (seq)`.execute(db);
    },
  };
}
