import { type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../schema.js';
import { helpers } from './001-foundation.js';

/**
 * The digital library: objects (linked to a catalogue record, or standalone with Dublin Core),
 * their master files and ordered pages with OCR text and word boxes, collections, the stored
 * files themselves (content-addressed by SHA-256, with the last fixity check), per-library
 * digitisation targets, and per-row results of batch ingests.
 *
 * Jobs gain retries with backoff (`max_attempts`, `run_after`) and a time limit per job.
 */
export function m004Digital(dialect: Dialect): Migration {
  const h = helpers(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('jobs').addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(1)).execute();
      await db.schema.alterTable('jobs').addColumn('timeout_ms', 'integer').execute();
      await db.schema.alterTable('jobs').addColumn('run_after', h.ts).execute();

      // Every stored file once, by its SHA-256; the bytes live under <data>/files/ab/cd/<sha>.
      await db.schema
        .createTable('blobs')
        .addColumn('sha256', h.bytes, (c) => c.primaryKey())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('media_type', 'text', (c) => c.notNull())
        .addColumn('created_at', h.ts, (c) => c.notNull())
        .addColumn('checked_at', h.ts)
        .addColumn('check_status', 'text')
        .addColumn('check_detail', 'text')
        .execute();
      await db.schema.createIndex('blobs_checked').on('blobs').columns(['checked_at']).execute();

      await h
        .id(db.schema.createTable('digital_objects'))
        .addColumn('record_id', 'integer', (c) => c.references('bib_records.id'))
        .addColumn('owner_unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
        .addColumn('title', 'text', (c) => c.notNull())
        // The title folded (lower case, no tone or vowel marks, đ → d), for staff's title filter.
        .addColumn('title_key', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('dc', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('access', 'text', (c) => c.notNull())
        .addColumn('embargo_until', 'text')
        .addColumn('licence', 'text', (c) => c.notNull())
        .addColumn('downloadable', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('watermark', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('ocr_languages', 'text', (c) => c.notNull().defaultTo('vie'))
        .addColumn('force_ocr', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('state_reason', 'text')
        .addColumn('assignee_id', 'integer', (c) => c.references('staff_users.id'))
        .addColumn('page_count', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('text_pages', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('processing', 'text', (c) => c.notNull().defaultTo('none'))
        .addColumn('processing_error', 'text')
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_by', 'integer')
        .addColumn('updated_by', 'integer')
        .addColumn('created_at', h.ts, (c) => c.notNull())
        .addColumn('updated_at', h.ts, (c) => c.notNull())
        .addColumn('published_at', h.ts)
        .addColumn('deleted_at', h.ts)
        .execute();
      await db.schema.createIndex('digital_objects_owner_state').on('digital_objects').columns(['owner_unit_id', 'state', 'id']).execute();
      await db.schema.createIndex('digital_objects_record').on('digital_objects').column('record_id').execute();
      await db.schema.createIndex('digital_objects_updated').on('digital_objects').columns(['updated_at', 'id']).execute();

      // The files staff uploaded, never altered; a multi-page TIFF or a PDF gives several pages.
      await h
        .id(db.schema.createTable('digital_files'))
        .addColumn('object_id', 'integer', (c) => c.notNull().references('digital_objects.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('sha256', h.bytes, (c) => c.notNull().references('blobs.sha256'))
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('media_type', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('pages', 'integer', (c) => c.notNull())
        .addColumn('created_at', h.ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('digital_files_object').on('digital_files').columns(['object_id', 'seq']).unique().execute();
      await db.schema.createIndex('digital_files_sha').on('digital_files').column('sha256').execute();

      // Pages in reading order: where each comes from, its access image for tiles, its text.
      await h
        .id(db.schema.createTable('digital_pages'))
        .addColumn('object_id', 'integer', (c) => c.notNull().references('digital_objects.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('file_id', 'integer', (c) => c.notNull().references('digital_files.id').onDelete('cascade'))
        .addColumn('file_page', 'integer', (c) => c.notNull())
        .addColumn('label', 'text')
        .addColumn('width', 'integer')
        .addColumn('height', 'integer')
        .addColumn('pyramid_sha256', h.bytes, (c) => c.references('blobs.sha256'))
        .addColumn('text', 'text')
        .addColumn('words', 'text')
        .addColumn('text_source', 'text')
        .addColumn('confidence', 'double precision')
        .addColumn('engine', 'text')
        .addColumn('text_at', h.ts)
        .execute();
      await db.schema.createIndex('digital_pages_object').on('digital_pages').columns(['object_id', 'seq']).unique().execute();

      await h
        .id(db.schema.createTable('digital_collections'))
        .addColumn('owner_unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name_vi', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', h.ts, (c) => c.notNull())
        .addColumn('updated_at', h.ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('digital_collections_owner').on('digital_collections').columns(['owner_unit_id']).execute();
      await db.schema
        .createTable('digital_object_collections')
        .addColumn('collection_id', 'integer', (c) => c.notNull().references('digital_collections.id').onDelete('cascade'))
        .addColumn('object_id', 'integer', (c) => c.notNull().references('digital_objects.id').onDelete('cascade'))
        .addPrimaryKeyConstraint('digital_object_collections_pk', ['collection_id', 'object_id'])
        .execute();
      await db.schema.createIndex('digital_object_collections_object').on('digital_object_collections').column('object_id').execute();

      // How many documents of each priority category a library holds: the 70% target's base.
      await db.schema
        .createTable('digital_targets')
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('held', 'integer', (c) => c.notNull())
        .addColumn('updated_at', h.ts, (c) => c.notNull())
        .addPrimaryKeyConstraint('digital_targets_pk', ['unit_id', 'category'])
        .execute();

      await db.schema
        .createTable('ingest_results')
        .addColumn('job_id', 'integer', (c) => c.notNull().references('jobs.id').onDelete('cascade'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('object_id', 'integer')
        .addColumn('label', 'text')
        .addColumn('problems', 'text')
        .addPrimaryKeyConstraint('ingest_results_pk', ['job_id', 'seq'])
        .execute();
    },
    async down() {
      throw new Error('004-digital cannot be undone: restore a backup instead');
    },
  };
}
