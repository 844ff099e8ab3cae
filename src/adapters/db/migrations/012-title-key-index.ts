import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../schema.js';
import { indexWithId, indexWithoutId } from './index-with-id.js';

/**
 * PostgreSQL: the whole-title index of `search_docs` carries the id, `(title_key, id)`, so the
 * newest documents of a title common to thousands of records are read from the index in order.
 * On `(title_key)` alone the planner chose to walk the primary key backwards and test each row
 * (0.5 s a search at a million documents). SQLite: nothing to do.
 */
export function m012TitleKeyIndex(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect === 'postgres') await indexWithId(db, 'title_key');
    },
    async down(db: Kysely<unknown>) {
      if (dialect === 'postgres') await indexWithoutId(db, 'title_key');
    },
  };
}
