import { sql, type Kysely, type Migration, type CreateTableBuilder } from 'kysely';
import type { Dialect } from '../schema.js';

/** Dialect helpers shared by migrations. */
export function helpers(dialect: Dialect) {
  const pg = dialect === 'postgres';
  return {
    /** Auto-incrementing integer primary key. */
    id<T extends string>(t: CreateTableBuilder<T, never>) {
      return pg
        ? t.addColumn('id', 'integer', (c) => c.primaryKey().generatedByDefaultAsIdentity())
        : t.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
    },
    ts: pg ? sql`timestamptz` : sql`text`,
    /** Text compared byte by byte, so range scans on materialised paths use the index. */
    bytes: pg ? sql`text collate "C"` : sql`text`,
  };
}

export function m001Foundation(dialect: Dialect): Migration {
  const h = helpers(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await h
        .id(db.schema.createTable('org_units'))
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('name_vi', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('type_code', 'text', (c) => c.notNull())
        .addColumn('parent_id', 'integer', (c) => c.references('org_units.id'))
        .addColumn('path', h.bytes, (c) => c.notNull())
        .addColumn('depth', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
        .addColumn('merged_into_id', 'integer', (c) => c.references('org_units.id'))
        .addColumn('opened_on', 'text', (c) => c.notNull())
        .addColumn('ended_on', 'text')
        .addColumn('address', 'text')
        .addColumn('phone', 'text')
        .addColumn('email', 'text')
        .addColumn('website', 'text')
        .addColumn('opening_hours', 'text')
        .addColumn('latitude', 'double precision')
        .addColumn('longitude', 'double precision')
        .addColumn('description_vi', 'text')
        .addColumn('description_en', 'text')
        .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
        .addColumn('created_at', h.ts, (c) => c.notNull())
        .addColumn('updated_at', h.ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('org_units_path').on('org_units').column('path').execute();
      await db.schema.createIndex('org_units_parent').on('org_units').column('parent_id').execute();

      await h
        .id(db.schema.createTable('org_events'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('effective_date', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('note', 'text')
        .addColumn('actor_id', 'integer')
        .addColumn('recorded_at', h.ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('org_events_unit').on('org_events').columns(['unit_id', 'effective_date']).execute();
      await db.schema.createIndex('org_events_date').on('org_events').columns(['effective_date', 'id']).execute();

      await h
        .id(db.schema.createTable('library_groups'))
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name_vi', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('description', 'text')
        .addColumn('created_at', h.ts, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('library_group_members')
        .addColumn('group_id', 'integer', (c) => c.notNull().references('library_groups.id').onDelete('cascade'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
        .addPrimaryKeyConstraint('library_group_members_pk', ['group_id', 'unit_id'])
        .execute();
      await db.schema.createIndex('library_group_members_unit').on('library_group_members').column('unit_id').execute();

      await db.schema
        .createTable('unit_settings')
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('updated_at', h.ts, (c) => c.notNull())
        .addPrimaryKeyConstraint('unit_settings_pk', ['unit_id', 'key'])
        .execute();

      await h
        .id(db.schema.createTable('roles'))
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name_vi', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('builtin', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      await db.schema
        .createTable('role_permissions')
        .addColumn('role_id', 'integer', (c) => c.notNull().references('roles.id').onDelete('cascade'))
        .addColumn('permission', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('role_permissions_pk', ['role_id', 'permission'])
        .execute();

      await h
        .id(db.schema.createTable('staff_users'))
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('email', 'text')
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('home_unit_id', 'integer', (c) => c.references('org_units.id'))
        .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
        .addColumn('locale', 'text')
        .addColumn('failed_logins', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('locked_until', h.ts)
        .addColumn('password_changed_at', h.ts, (c) => c.notNull())
        .addColumn('last_login_at', h.ts)
        .addColumn('created_at', h.ts, (c) => c.notNull())
        .addColumn('updated_at', h.ts, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('staff_users_home').on('staff_users').column('home_unit_id').execute();

      await h
        .id(db.schema.createTable('grants'))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('staff_users.id').onDelete('cascade'))
        .addColumn('role_id', 'integer', (c) => c.notNull().references('roles.id'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('created_at', h.ts, (c) => c.notNull())
        .addColumn('created_by', 'integer')
        .addUniqueConstraint('grants_unique', ['user_id', 'role_id', 'unit_id', 'scope'])
        .execute();
      await db.schema.createIndex('grants_unit').on('grants').column('unit_id').execute();

      await db.schema
        .createTable('sessions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'integer', (c) => c.notNull().references('staff_users.id').onDelete('cascade'))
        .addColumn('created_at', h.ts, (c) => c.notNull())
        .addColumn('last_seen_at', h.ts, (c) => c.notNull())
        .addColumn('expires_at', h.ts, (c) => c.notNull())
        .addColumn('ip', 'text')
        .addColumn('user_agent', 'text')
        .execute();
      await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
      await db.schema.createIndex('sessions_expires').on('sessions').column('expires_at').execute();

      await h
        .id(db.schema.createTable('api_tokens'))
        .addColumn('user_id', 'integer', (c) => c.notNull().references('staff_users.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('token_prefix', 'text', (c) => c.notNull())
        .addColumn('role_id', 'integer', (c) => c.notNull().references('roles.id'))
        .addColumn('unit_id', 'integer', (c) => c.notNull().references('org_units.id'))
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('created_at', h.ts, (c) => c.notNull())
        .addColumn('expires_at', h.ts)
        .addColumn('last_used_at', h.ts)
        .addColumn('revoked_at', h.ts)
        .execute();

      await h
        .id(db.schema.createTable('audit_log'))
        .addColumn('at', h.ts, (c) => c.notNull())
        .addColumn('actor_id', 'integer')
        .addColumn('actor_label', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('unit_id', 'integer')
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text')
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .addColumn('request_id', 'text')
        .addColumn('ip', 'text')
        .execute();
      await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
      await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'id']).execute();
      await db.schema.createIndex('audit_log_unit').on('audit_log').columns(['unit_id', 'id']).execute();
      await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'id']).execute();

      // The audit log is append-only: the database itself refuses changes and deletions.
      if (dialect === 'postgres') {
        await sql`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$`.execute(db);
        await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
          FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`.execute(db);
      } else {
        await sql`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
        await sql`CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
          BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END`.execute(db);
      }
    },
    async down() {
      throw new Error('001-foundation cannot be undone: restore a backup instead');
    },
  };
}
