import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, StaffUsersTable } from '../schema.js';
import { toIso } from '../schema.js';
import type { ApiToken, GrantView, Role, StaffListFilter, StaffRepository, StaffStatus, StaffUser } from '../../../app/ports.js';
import type { EffectiveGrant, Permission, Scope } from '../../../domain/access/permissions.js';
import { pathRange } from './org.repository.js';

function toUser(r: Selectable<StaffUsersTable>): StaffUser {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    email: r.email,
    homeUnitId: r.home_unit_id,
    status: r.status as StaffStatus,
    locale: r.locale,
    failedLogins: r.failed_logins,
    lockedUntil: toIso(r.locked_until),
    passwordChangedAt: toIso(r.password_changed_at),
    lastLoginAt: toIso(r.last_login_at),
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
  };
}

export class KyselyStaffRepository implements StaffRepository {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async getById(id: number) {
    const r = await this.#db.selectFrom('staff_users').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toUser(r);
  }
  async getWithHash(username: string) {
    const r = await this.#db.selectFrom('staff_users').selectAll().where('username', '=', username.toLowerCase()).executeTakeFirst();
    return r && { ...toUser(r), passwordHash: r.password_hash };
  }
  async getHashById(id: number) {
    const r = await this.#db.selectFrom('staff_users').select('password_hash').where('id', '=', id).executeTakeFirst();
    return r?.password_hash;
  }
  async list(filter: StaffListFilter = {}) {
    let q = this.#db.selectFrom('staff_users as u').selectAll('u');
    if (filter.underPath) {
      const [lo, hi] = pathRange(filter.underPath);
      q = q.innerJoin('org_units as o', 'o.id', 'u.home_unit_id').where('o.path', '>=', lo).where('o.path', '<', hi);
    }
    if (filter.query) {
      const like = `%${filter.query.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`;
      q = q.where((eb) => eb.or([eb(sql`lower(u.username)`, 'like', sql`${like} escape '\\'`), eb(sql`lower(u.display_name)`, 'like', sql`${like} escape '\\'`)]));
    }
    const rows = await q.orderBy('u.username').limit(filter.limit ?? 500).execute();
    return rows.map(toUser);
  }
  async count() {
    const r = await this.#db.selectFrom('staff_users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
  async insert(u: { username: string; displayName: string; email: string | null; passwordHash: string; homeUnitId: number | null; locale: string | null }, now: string) {
    const r = await this.#db
      .insertInto('staff_users')
      .values({
        username: u.username.toLowerCase(),
        display_name: u.displayName,
        email: u.email,
        password_hash: u.passwordHash,
        home_unit_id: u.homeUnitId,
        status: 'active',
        locale: u.locale,
        password_changed_at: now,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toUser(r);
  }
  async setStatus(id: number, status: StaffStatus, now: string) {
    await this.#db.updateTable('staff_users').set({ status, updated_at: now, failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
  }
  async setPassword(id: number, hash: string, now: string) {
    await this.#db.updateTable('staff_users').set({ password_hash: hash, password_changed_at: now, updated_at: now, failed_logins: 0, locked_until: null }).where('id', '=', id).execute();
  }
  async setLocale(id: number, locale: string | null, now: string) {
    await this.#db.updateTable('staff_users').set({ locale, updated_at: now }).where('id', '=', id).execute();
  }
  async recordFailedLogin(id: number, failures: number, lockedUntil: string | null, now: string) {
    await this.#db.updateTable('staff_users').set({ failed_logins: failures, locked_until: lockedUntil, updated_at: now }).where('id', '=', id).execute();
  }
  async recordLogin(id: number, now: string) {
    await this.#db.updateTable('staff_users').set({ failed_logins: 0, locked_until: null, last_login_at: now }).where('id', '=', id).execute();
  }

  async roles() {
    const rows = await this.#db.selectFrom('roles').selectAll().orderBy('id').execute();
    const perms = await this.#db.selectFrom('role_permissions').selectAll().execute();
    return rows.map(
      (r): Role => ({
        id: r.id,
        code: r.code,
        nameVi: r.name_vi,
        nameEn: r.name_en,
        builtin: r.builtin === 1,
        permissions: perms.filter((p) => p.role_id === r.id).map((p) => p.permission as Permission).sort(),
      }),
    );
  }
  async roleByCode(code: string) {
    return (await this.roles()).find((r) => r.code === code);
  }
  async upsertRole(r: { code: string; nameVi: string; nameEn: string; builtin: boolean; permissions: readonly Permission[] }) {
    const existing = await this.#db.selectFrom('roles').select('id').where('code', '=', r.code).executeTakeFirst();
    let id: number;
    if (existing) {
      id = existing.id;
      await this.#db.updateTable('roles').set({ name_vi: r.nameVi, name_en: r.nameEn, builtin: r.builtin ? 1 : 0 }).where('id', '=', id).execute();
      await this.#db.deleteFrom('role_permissions').where('role_id', '=', id).execute();
    } else {
      id = (await this.#db.insertInto('roles').values({ code: r.code, name_vi: r.nameVi, name_en: r.nameEn, builtin: r.builtin ? 1 : 0 }).returning('id').executeTakeFirstOrThrow()).id;
    }
    if (r.permissions.length > 0) await this.#db.insertInto('role_permissions').values(r.permissions.map((permission) => ({ role_id: id, permission }))).execute();
    return { id, code: r.code, nameVi: r.nameVi, nameEn: r.nameEn, builtin: r.builtin, permissions: [...r.permissions].sort() };
  }

  #grantQuery() {
    return this.#db
      .selectFrom('grants as g')
      .innerJoin('roles as r', 'r.id', 'g.role_id')
      .innerJoin('org_units as o', 'o.id', 'g.unit_id')
      .select(['g.id', 'g.user_id', 'g.role_id', 'r.code as role_code', 'g.unit_id', 'o.code as unit_code', 'o.name_vi', 'o.name_en', 'o.path', 'g.scope', 'g.created_at']);
  }
  #toGrant(r: { id: number; user_id: number; role_id: number; role_code: string; unit_id: number; unit_code: string; name_vi: string; name_en: string; path: string; scope: string; created_at: string | Date }): GrantView {
    return {
      id: r.id,
      userId: r.user_id,
      roleId: r.role_id,
      roleCode: r.role_code,
      unitId: r.unit_id,
      unitCode: r.unit_code,
      unitNameVi: r.name_vi,
      unitNameEn: r.name_en,
      unitPath: r.path,
      scope: r.scope as Scope,
      createdAt: toIso(r.created_at),
    };
  }
  async grantsOf(userId: number) {
    const rows = await this.#grantQuery().where('g.user_id', '=', userId).orderBy('g.id').execute();
    return rows.map((r) => this.#toGrant(r));
  }
  async getGrant(id: number) {
    const r = await this.#grantQuery().where('g.id', '=', id).executeTakeFirst();
    return r && this.#toGrant(r);
  }
  async effectiveGrants(userId: number): Promise<EffectiveGrant[]> {
    const rows = await this.#db
      .selectFrom('grants as g')
      .innerJoin('roles as r', 'r.id', 'g.role_id')
      .innerJoin('role_permissions as p', 'p.role_id', 'g.role_id')
      .select(['g.id', 'r.code', 'g.unit_id', 'g.scope', 'p.permission'])
      .where('g.user_id', '=', userId)
      .execute();
    const byGrant = new Map<number, EffectiveGrant & { permissions: Set<Permission> }>();
    for (const r of rows) {
      let g = byGrant.get(r.id);
      if (!g) byGrant.set(r.id, (g = { grantId: r.id, roleCode: r.code, unitId: r.unit_id, scope: r.scope as Scope, permissions: new Set() }));
      g.permissions.add(r.permission as Permission);
    }
    return [...byGrant.values()];
  }
  async addGrant(g: { userId: number; roleId: number; unitId: number; scope: Scope; createdBy: number | null }, now: string) {
    const r = await this.#db
      .insertInto('grants')
      .values({ user_id: g.userId, role_id: g.roleId, unit_id: g.unitId, scope: g.scope, created_by: g.createdBy, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }
  async findGrant(g: { userId: number; roleId: number; unitId: number; scope: Scope }) {
    const r = await this.#db
      .selectFrom('grants')
      .select('id')
      .where('user_id', '=', g.userId)
      .where('role_id', '=', g.roleId)
      .where('unit_id', '=', g.unitId)
      .where('scope', '=', g.scope)
      .executeTakeFirst();
    return r?.id;
  }
  async removeGrant(id: number) {
    await this.#db.deleteFrom('grants').where('id', '=', id).execute();
  }

  #tokenQuery() {
    return this.#db
      .selectFrom('api_tokens as t')
      .innerJoin('roles as r', 'r.id', 't.role_id')
      .select(['t.id', 't.user_id', 't.name', 't.token_prefix', 't.role_id', 'r.code as role_code', 't.unit_id', 't.scope', 't.created_at', 't.expires_at', 't.last_used_at', 't.revoked_at']);
  }
  #toToken(r: {
    id: number;
    user_id: number;
    name: string;
    token_prefix: string;
    role_id: number;
    role_code: string;
    unit_id: number;
    scope: string;
    created_at: string | Date;
    expires_at: string | Date | null;
    last_used_at: string | Date | null;
    revoked_at: string | Date | null;
  }): ApiToken {
    return {
      id: r.id,
      userId: r.user_id,
      name: r.name,
      prefix: r.token_prefix,
      roleId: r.role_id,
      roleCode: r.role_code,
      unitId: r.unit_id,
      scope: r.scope as Scope,
      createdAt: toIso(r.created_at),
      expiresAt: toIso(r.expires_at),
      lastUsedAt: toIso(r.last_used_at),
      revokedAt: toIso(r.revoked_at),
    };
  }
  async insertToken(t: { userId: number; name: string; hash: string; prefix: string; roleId: number; unitId: number; scope: Scope; expiresAt: string | null }, now: string) {
    const r = await this.#db
      .insertInto('api_tokens')
      .values({ user_id: t.userId, name: t.name, token_hash: t.hash, token_prefix: t.prefix, role_id: t.roleId, unit_id: t.unitId, scope: t.scope, expires_at: t.expiresAt, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = await this.#tokenQuery().where('t.id', '=', r.id).executeTakeFirstOrThrow();
    return this.#toToken(row);
  }
  async tokensOf(userId: number) {
    const rows = await this.#tokenQuery().where('t.user_id', '=', userId).orderBy('t.id', 'desc').execute();
    return rows.map((r) => this.#toToken(r));
  }
  async tokenByHash(hash: string) {
    const r = await this.#tokenQuery().where('t.token_hash', '=', hash).executeTakeFirst();
    return r && this.#toToken(r);
  }
  async touchToken(id: number, now: string) {
    await this.#db.updateTable('api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();
  }
  async revokeToken(id: number, now: string) {
    await this.#db.updateTable('api_tokens').set({ revoked_at: now }).where('id', '=', id).where('revoked_at', 'is', null).execute();
  }
}
