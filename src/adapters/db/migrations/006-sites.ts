import { type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../schema.js';
import { helpers } from './001-foundation.js';

/**
 * Every library's own website: its settings (published or not and since when, accent colour,
 * logo, banner, introduction in both languages), the images its staff uploaded (each kept once in
 * the content-addressed file store, with resized copies for the web), and its news and events.
 */
export function m006Sites(dialect: Dialect): Migration {
  const h = helpers(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await h
        .id(db.schema.createTable('site_images'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
        // The upload as received; its resized copies are listed in `variants` (JSON).
        .addColumn('sha256', h.bytes, (c) => c.notNull().references('blobs.sha256'))
        .addColumn('media_type', 'text', (c) => c.notNull())
        .addColumn('size', 'bigint', (c) => c.notNull())
        .addColumn('width', 'integer', (c) => c.notNull())
        .addColumn('height', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('variants', 'text', (c) => c.notNull())
        .addColumn('created_at', h.ts, (c) => c.notNull())
        .addColumn('created_by', 'integer', (c) => c.references('staff_users.id'))
        .execute();
      await db.schema.createIndex('site_images_unit').on('site_images').columns(['unit_id', 'id']).execute();
      await db.schema.createIndex('site_images_sha').on('site_images').column('sha256').execute();

      await db.schema
        .createTable('site_settings')
        .addColumn('unit_id', 'integer', (c) => c.primaryKey().references('org_units.id'))
        .addColumn('published', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('published_at', h.ts)
        .addColumn('accent_color', 'text')
        .addColumn('logo_image_id', 'integer', (c) => c.references('site_images.id'))
        .addColumn('banner_image_id', 'integer', (c) => c.references('site_images.id'))
        .addColumn('intro_vi', 'text')
        .addColumn('intro_en', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('updated_at', h.ts, (c) => c.notNull())
        .addColumn('updated_by', 'integer', (c) => c.references('staff_users.id'))
        .execute();
      await db.schema.createIndex('site_settings_published').on('site_settings').columns(['published', 'published_at']).execute();

      await h
        .id(db.schema.createTable('site_posts'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('lead_image_id', 'integer', (c) => c.references('site_images.id'))
        .addColumn('starts_at', h.ts)
        .addColumn('ends_at', h.ts)
        .addColumn('place', 'text')
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('published_at', h.ts)
        .addColumn('author_id', 'integer', (c) => c.references('staff_users.id'))
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', h.ts, (c) => c.notNull())
        .addColumn('updated_at', h.ts, (c) => c.notNull())
        .addColumn('updated_by', 'integer', (c) => c.references('staff_users.id'))
        .execute();
      // A library's latest published posts; the network's latest; upcoming events.
      await db.schema.createIndex('site_posts_unit_state').on('site_posts').columns(['unit_id', 'state', 'published_at']).execute();
      await db.schema.createIndex('site_posts_state_published').on('site_posts').columns(['state', 'published_at']).execute();
      await db.schema.createIndex('site_posts_events').on('site_posts').columns(['kind', 'state', 'starts_at']).execute();
    },
    async down(db: Kysely<unknown>) {
      await db.schema.dropTable('site_posts').execute();
      await db.schema.dropTable('site_settings').execute();
      await db.schema.dropTable('site_images').execute();
    },
  };
}
