import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../schema.js';

/**
 * Phrases read from adjacent word pairs on PostgreSQL too (`src/adapters/search/postgres.ts`): each
 * document's `tsv` now carries a lexeme for each two neighbouring words. The flag
 * `search_state.pairs` says every document was written so; only then are phrases asked as pairs.
 * An empty index is flagged at once; one that already holds documents is flagged 0 until
 * `lienthong reindex` has rewritten them all (phrases are asked word by word meanwhile, which is
 * right on either kind of `tsv`). SQLite got its flag from migration 009: nothing to do there.
 */
export function m010PhrasePairsPostgres(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      const any = await sql<{ n: number }>`select count(*) as n from (select 1 from search_docs limit 1) as one`.execute(db);
      const empty = Number(any.rows[0]!.n) === 0;
      await sql`insert into search_state (key, value) values ('pairs', ${empty ? 1 : 0})`.execute(db);
    },
    async down(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      await sql`delete from search_state where key = 'pairs'`.execute(db);
    },
  };
}
