import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../schema.js';
import { indexWithId, indexWithoutId } from './index-with-id.js';

/**
 * PostgreSQL: the change-number index of `search_docs` carries the id, `(seq, id)`. Each process
 * reads its facet arrays in pages of `(seq, id) > (…)`, and every document of a rebuilt index
 * has the same seq: on `(seq)` alone each page read and sorted all the rest (66 s to start a
 * process at a million documents). SQLite: nothing to do.
 */
export function m013SeqIndex(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect === 'postgres') await indexWithId(db, 'seq');
    },
    async down(db: Kysely<unknown>) {
      if (dialect === 'postgres') await indexWithoutId(db, 'seq');
    },
  };
}
