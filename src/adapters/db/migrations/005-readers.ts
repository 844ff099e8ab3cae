import type { Kysely, Migration } from 'kysely';
import type { Dialect } from '../schema.js';
import { helpers } from './001-foundation.js';

/**
 * Readers' accounts: the public registers at a home library, signs in with an email address or a
 * card number, and keeps saved lists and a search history. A library approves a registration and
 * issues a card number valid in every library (see `src/domain/readers/card.ts`); each issuing
 * library counts its own cards in `reader_card_counters`.
 *
 * Reader sessions are kept apart from staff sessions (`sessions`), hashed the same way.
 */
export function m005Readers(dialect: Dialect): Migration {
  const h = helpers(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await h
        .id(db.schema.createTable('readers'))
        .addColumn('name', 'text', (c) => c.notNull())
        // The name folded (no tone marks, đ → d, lower case), for staff's search by name.
        .addColumn('name_key', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull().unique())
        .addColumn('phone', 'text')
        .addColumn('birth_year', 'integer')
        .addColumn('home_unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text')
        .addColumn('card_number', h.bytes, (c) => c.unique())
        .addColumn('card_unit_id', 'integer', (c) => c.references('org_units.id'))
        .addColumn('card_issued_at', h.ts)
        .addColumn('approved_by', 'integer', (c) => c.references('staff_users.id'))
        .addColumn('locale', 'text')
        .addColumn('history_enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', h.ts)
        .addColumn('last_login_at', h.ts)
        .addColumn('created_at', h.ts, (c) => c.notNull())
        .addColumn('updated_at', h.ts, (c) => c.notNull())
        .execute();
      // The approval queue of a library and the readers of a library, oldest first.
      await db.schema.createIndex('readers_home_status').on('readers').columns(['home_unit_id', 'status', 'id']).execute();
      await db.schema.createIndex('readers_status').on('readers').columns(['status', 'id']).execute();
      await db.schema.createIndex('readers_name_key').on('readers').column('name_key').execute();

      await db.schema
        .createTable('reader_card_counters')
        .addColumn('unit_id', 'integer', (c) => c.primaryKey().references('org_units.id'))
        .addColumn('last_seq', 'integer', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('reader_sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('reader_id', 'integer', (c) => c.notNull().references('readers.id').onDelete('cascade'))
        .addColumn('created_at', h.ts, (c) => c.notNull())
        .addColumn('last_seen_at', h.ts, (c) => c.notNull())
        .addColumn('expires_at', h.ts, (c) => c.notNull())
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .execute();
      await db.schema.createIndex('reader_sessions_reader').on('reader_sessions').column('reader_id').execute();
      await db.schema.createIndex('reader_sessions_expires').on('reader_sessions').column('expires_at').execute();

      await h
        .id(db.schema.createTable('reader_lists'))
        .addColumn('reader_id', 'integer', (c) => c.notNull().references('readers.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        // Lower-cased name: one reader's lists do not share a name.
        .addColumn('name_key', 'text', (c) => c.notNull())
        .addColumn('is_public', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', h.ts, (c) => c.notNull())
        .addColumn('updated_at', h.ts, (c) => c.notNull())
        .addUniqueConstraint('reader_lists_name', ['reader_id', 'name_key'])
        .execute();

      await db.schema
        .createTable('reader_list_items')
        .addColumn('list_id', 'integer', (c) => c.notNull().references('reader_lists.id').onDelete('cascade'))
        .addColumn('record_id', 'integer', (c) => c.notNull().references('bib_records.id'))
        .addColumn('note', 'text')
        .addColumn('added_at', h.ts, (c) => c.notNull())
        .addPrimaryKeyConstraint('reader_list_items_pk', ['list_id', 'record_id'])
        .execute();
      await db.schema.createIndex('reader_list_items_added').on('reader_list_items').columns(['list_id', 'added_at']).execute();
      // Merging duplicate records moves saved items; this finds them.
      await db.schema.createIndex('reader_list_items_record').on('reader_list_items').column('record_id').execute();

      await h
        .id(db.schema.createTable('reader_searches'))
        .addColumn('reader_id', 'integer', (c) => c.notNull().references('readers.id').onDelete('cascade'))
        .addColumn('query', 'text', (c) => c.notNull())
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('result_count', 'integer')
        .addColumn('at', h.ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('reader_searches_reader').on('reader_searches').columns(['reader_id', 'id']).execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['reader_searches', 'reader_list_items', 'reader_lists', 'reader_sessions', 'reader_card_counters', 'readers']) {
        await db.schema.dropTable(t).ifExists().execute();
      }
    },
  };
}
