import { type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../schema.js';
import { helpers } from './001-foundation.js';

/**
 * The union catalogue: bibliographic records kept whole (the MARC record as JSON) with the
 * derived fields display and matching need, the identifiers records are matched on, the items
 * libraries hold, and durable jobs (imports first) with a result per input record.
 *
 * A deleted record stays as a tombstone: `status = 'deleted'` with `deleted_at`; its
 * `updated_at` moves to the deletion so a harvester asking "what changed since" sees it.
 */
export function m002Catalogue(dialect: Dialect): Migration {
  const h = helpers(dialect);
  return {
    async up(db: Kysely<unknown>) {
      // A record's or an item's history is read from the audit log by target.
      await db.schema.createIndex('audit_log_target').on('audit_log').columns(['target_type', 'target_id', 'id']).execute();

      await h
        .id(db.schema.createTable('bib_records'))
        .addColumn('marc', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('sort_title', 'text', (c) => c.notNull())
        .addColumn('responsibility', 'text')
        .addColumn('main_author', 'text')
        .addColumn('publisher', 'text')
        .addColumn('year', 'integer')
        .addColumn('language', 'text')
        .addColumn('material_type', 'text', (c) => c.notNull())
        .addColumn('call_number', 'text')
        .addColumn('control_number', 'text')
        .addColumn('control_source', 'text')
        .addColumn('owner_unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_by', 'integer')
        .addColumn('updated_by', 'integer')
        .addColumn('created_at', h.ts, (c) => c.notNull())
        .addColumn('updated_at', h.ts, (c) => c.notNull())
        .addColumn('deleted_at', h.ts)
        .addColumn('replaced_by_id', 'integer')
        .execute();
      await db.schema.createIndex('bib_records_updated').on('bib_records').columns(['updated_at', 'id']).execute();
      await db.schema.createIndex('bib_records_owner').on('bib_records').columns(['owner_unit_id', 'id']).execute();

      // What records are matched on: `ctrl` (003|001), `isbn` (ISBN-13), `issn`, `sysno` (035),
      // `key` (normalised title/author/year). Only live records have rows here.
      await db.schema
        .createTable('bib_identifiers')
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', h.bytes, (c) => c.notNull())
        .addColumn('record_id', 'integer', (c) => c.notNull().references('bib_records.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('bib_identifiers_pk', ['kind', 'value', 'record_id'])
        .execute();
      await db.schema.createIndex('bib_identifiers_record').on('bib_identifiers').column('record_id').execute();

      await h
        .id(db.schema.createTable('items'))
        .addColumn('record_id', 'integer', (c) => c.notNull().references('bib_records.id'))
        .addColumn('barcode', 'text', (c) => c.notNull().unique())
        .addColumn('owner_unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
        .addColumn('location_unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
        .addColumn('shelving_location', 'text')
        .addColumn('call_number', 'text')
        .addColumn('call_scheme', 'text')
        .addColumn('shelf_key', h.bytes)
        .addColumn('item_type', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('price', 'double precision')
        .addColumn('currency', 'text')
        .addColumn('acquired_on', 'text')
        .addColumn('copy_number', 'text')
        .addColumn('public_note', 'text')
        .addColumn('staff_note', 'text')
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', h.ts, (c) => c.notNull())
        .addColumn('updated_at', h.ts, (c) => c.notNull())
        .addColumn('withdrawn_at', h.ts)
        .execute();
      await db.schema.createIndex('items_record').on('items').column('record_id').execute();
      await db.schema.createIndex('items_owner_shelf').on('items').columns(['owner_unit_id', 'shelf_key']).execute();
      await db.schema.createIndex('items_location').on('items').column('location_unit_id').execute();

      // Durable jobs: imports now, digitisation and harvests later. A runner takes a job by
      // setting a lease; a job whose lease ran out (its runner died) is taken up again and
      // resumes from its checkpoint.
      await h
        .id(db.schema.createTable('jobs'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('unit_id', 'integer', (c) => c.references('org_units.id'))
        .addColumn('created_by', 'integer')
        .addColumn('actor_label', 'text', (c) => c.notNull())
        .addColumn('params', 'text', (c) => c.notNull())
        .addColumn('dedupe_key', 'text')
        .addColumn('checkpoint', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('progress_done', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('progress_total', 'bigint')
        .addColumn('summary', 'text')
        .addColumn('error', 'text')
        .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('lease_owner', 'text')
        .addColumn('lease_until', h.ts)
        .addColumn('created_at', h.ts, (c) => c.notNull())
        .addColumn('started_at', h.ts)
        .addColumn('finished_at', h.ts)
        .addColumn('updated_at', h.ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('jobs_status').on('jobs').columns(['status', 'id']).execute();
      await db.schema.createIndex('jobs_dedupe').on('jobs').columns(['kind', 'dedupe_key']).execute();
      await db.schema.createIndex('jobs_unit').on('jobs').columns(['unit_id', 'id']).execute();

      await db.schema
        .createTable('import_results')
        .addColumn('job_id', 'integer', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('record_id', 'integer')
        .addColumn('matched_on', 'text')
        .addColumn('title', 'text')
        .addColumn('items_added', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('problems', 'text')
        .addPrimaryKeyConstraint('import_results_pk', ['job_id', 'seq'])
        .execute();
      await db.schema.createIndex('import_results_record').on('import_results').columns(['record_id']).execute();
      await db.schema.createIndex('import_results_outcome').on('import_results').columns(['job_id', 'outcome', 'seq']).execute();

    },
    async down() {
      throw new Error('002-catalogue cannot be undone: restore a backup instead');
    },
  };
}
