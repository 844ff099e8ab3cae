import { type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../schema.js';
import { helpers } from './001-foundation.js';

/**
 * Interconnection with other libraries (OAI-PMH harvesting and SRU copy cataloguing).
 *
 * - `harvest_sources`: OAI-PMH repositories we harvest (base URL, set, metadata format, the
 *   library the records land in, a schedule) and how far the last complete harvest got.
 * - `harvest_runs`: one row a harvest, with the resumption token it may continue from after a
 *   failure, its counts and its outcome; `harvest_errors`: the records a run could not take.
 * - `harvested_records`: which local record (or digital object) each remote identifier became,
 *   so a later harvest updates it in place and a deletion removes what that source created.
 * - `sru_targets`: remote catalogues that cataloguers search to copy records.
 *
 * The provider side needs no table: records and digital objects already keep `updated_at` and
 * tombstones (`status = 'deleted'`), indexed on `(updated_at, id)`.
 */
export function m008Interop(dialect: Dialect): Migration {
  const h = helpers(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await h
        .id(db.schema.createTable('harvest_sources'))
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('base_url', 'text', (c) => c.notNull())
        .addColumn('set_spec', 'text')
        .addColumn('metadata_prefix', 'text', (c) => c.notNull())
        // 'catalog' (records in the union catalogue) or 'digital' (digital objects, e.g. DSpace).
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
        // Hours between scheduled harvests; null: by hand only.
        .addColumn('interval_hours', 'integer')
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        // The remote datestamp the next incremental harvest asks `from` (null: everything).
        .addColumn('harvested_until', 'text')
        .addColumn('next_run_at', h.ts)
        .addColumn('last_status', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', h.ts, (c) => c.notNull())
        .addColumn('updated_at', h.ts, (c) => c.notNull())
        .execute();

      await h
        .id(db.schema.createTable('harvest_runs'))
        .addColumn('source_id', 'integer', (c) => c.notNull().references('harvest_sources.id').onDelete('cascade'))
        .addColumn('job_id', 'integer')
        // running | done | failed
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('from_stamp', 'text')
        .addColumn('response_date', 'text')
        // The token of the next page to ask for; a failed run continues from it.
        .addColumn('resumption_token', 'text')
        .addColumn('pages', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('added', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('failed', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('message', 'text')
        .addColumn('started_at', h.ts, (c) => c.notNull())
        .addColumn('finished_at', h.ts)
        .execute();
      await db.schema.createIndex('harvest_runs_source').on('harvest_runs').columns(['source_id', 'id']).execute();

      await h
        .id(db.schema.createTable('harvest_errors'))
        .addColumn('run_id', 'integer', (c) => c.notNull().references('harvest_runs.id').onDelete('cascade'))
        .addColumn('identifier', 'text')
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('created_at', h.ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('harvest_errors_run').on('harvest_errors').columns(['run_id', 'id']).execute();

      await db.schema
        .createTable('harvested_records')
        .addColumn('source_id', 'integer', (c) => c.notNull().references('harvest_sources.id').onDelete('cascade'))
        .addColumn('identifier', h.bytes, (c) => c.notNull())
        .addColumn('record_id', 'integer', (c) => c.references('bib_records.id'))
        .addColumn('object_id', 'integer', (c) => c.references('digital_objects.id'))
        .addColumn('datestamp', 'text', (c) => c.notNull())
        .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('updated_at', h.ts, (c) => c.notNull())
        .addPrimaryKeyConstraint('harvested_records_pk', ['source_id', 'identifier'])
        .execute();
      await db.schema.createIndex('harvested_records_record').on('harvested_records').column('record_id').execute();

      await h
        .id(db.schema.createTable('sru_targets'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('base_url', 'text', (c) => c.notNull())
        // '1.1' | '1.2' | '2.0'
        .addColumn('sru_version', 'text', (c) => c.notNull())
        .addColumn('record_schema', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', h.ts, (c) => c.notNull())
        .addColumn('updated_at', h.ts, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const t of ['sru_targets', 'harvested_records', 'harvest_errors', 'harvest_runs', 'harvest_sources']) await db.schema.dropTable(t).execute();
    },
  };
}
