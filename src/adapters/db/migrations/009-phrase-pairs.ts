import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../schema.js';
import { ftsStatement } from '../../search/schema.js';

/**
 * Phrases read from adjacent word pairs on SQLite (`src/adapters/search/pairs.ts`): `search_fts`
 * now keeps `_` inside tokens, and each column carries its pairs after its words. The flag
 * `search_state.pairs` says every document in it was written so; only then are phrases asked as
 * pairs (word by word stays right on either kind of table).
 *
 * An empty index (a new database; migration 003 made it from the statements of the day) is made
 * anew with this tokenizer and flagged at once. An index that already holds documents keeps its
 * table and is flagged 0 until `lienthong reindex` builds the new one (minutes per hundred thousand
 * records, while the catalogue stays searchable). PostgreSQL's index has no such table: nothing to do.
 */
export function m009PhrasePairs(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'sqlite') return;
      const any = await sql<{ n: number }>`select count(*) as n from (select 1 from search_docs limit 1)`.execute(db);
      const empty = Number(any.rows[0]!.n) === 0;
      if (empty) {
        await sql`drop table if exists search_fts`.execute(db);
        await sql.raw(ftsStatement('')).execute(db);
      }
      await sql`insert into search_state (key, value) values ('pairs', ${empty ? 1 : 0})`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      if (dialect !== 'sqlite') return;
      // Word-by-word phrases are right on either table: forgetting the flag is enough.
      await sql`delete from search_state where key = 'pairs'`.execute(db);
    },
  };
}
