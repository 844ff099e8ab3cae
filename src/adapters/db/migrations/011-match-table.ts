import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../schema.js';
import { MATCH_FUNCTIONS, matchTableStatements } from '../../search/schema.js';

/**
 * PostgreSQL keeps each document's `tsvector` in a table of its own, `search_match`, out of line,
 * so reading a common word's matches reads a narrow table instead of every page of `search_docs`
 * (see `matchTableStatements`), and `search_match_ids` keeps the planner on the GIN index.
 *
 * A database whose `search_docs` still has its `tsv` column gets the new table filled from it (at
 * a million documents about a minute and a half, most of it building the GIN index), then loses
 * the column. The copied values keep the compression they had there, so most stay in the row:
 * `lienthong reindex` (which migration 010 asks for anyway, for the pairs) writes them out of line.
 * A new database already has the table (migration 003 makes today's tables). Nothing on SQLite.
 */
export function m011MatchTable(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      const has = await sql<{ n: string }>`select count(*) as n from information_schema.columns where table_schema = current_schema() and table_name = 'search_docs' and column_name = 'tsv'`.execute(db);
      if (Number(has.rows[0]!.n) > 0) {
        const [table, storage, index] = matchTableStatements('');
        await sql.raw(table!).execute(db);
        await sql.raw(storage!).execute(db);
        await sql`insert into search_match (id, tsv) select id, tsv from search_docs where alive = 1 and tsv is not null`.execute(db);
        await sql.raw(index!).execute(db);
        await sql`alter table search_docs drop column tsv`.execute(db);
      }
      for (const f of MATCH_FUNCTIONS) await sql.raw(f).execute(db);
    },
    async down(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      await sql`drop function if exists search_match_ids(tsquery)`.execute(db);
      await sql`drop function if exists search_match_newest(tsquery, integer)`.execute(db);
      await sql`alter table search_docs add column tsv tsvector`.execute(db);
      await sql`update search_docs d set tsv = m.tsv from search_match m where m.id = d.id`.execute(db);
      await sql`create index if not exists search_docs_tsv on search_docs using gin (tsv)`.execute(db);
      await sql`drop table search_match`.execute(db);
    },
  };
}
