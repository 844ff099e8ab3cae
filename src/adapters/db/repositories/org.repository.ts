import type { SearchMarks } from './catalog.repository.js';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { Database, OrgUnitsTable } from '../schema.js';
import { toIso } from '../schema.js';
import type { LibraryGroup, NewUnit, OrgRepository, StoredOrgEvent, UnitListFilter, UnitStructure } from '../../../app/ports.js';
import type { OrgUnit, UnitDetails } from '../../../domain/org/unit.js';
import type { OrgEvent, OrgEventKind, UnitStatus } from '../../../domain/org/history.js';
import type { UnitTypeCode } from '../../../domain/org/unit-types.js';
import type { SettingValue } from '../../../domain/org/settings.js';
import type { UnitPlace } from '../../../domain/access/permissions.js';

/**
 * Tables whose rows belong to a unit and follow it when it is merged into another.
 * Circulation and the catalogue add their item and reader tables here.
 */
export const UNIT_OWNED_COLUMNS: ReadonlyArray<
  | { kind: string; table: 'staff_users' | 'readers'; column: 'home_unit_id' }
  | { kind: string; table: 'items'; column: 'owner_unit_id' | 'location_unit_id' }
  | { kind: string; table: 'bib_records'; column: 'owner_unit_id' }
  | { kind: string; table: 'digital_objects' | 'digital_collections' | 'digital_targets'; column: 'owner_unit_id' | 'unit_id' }
> = [
  { kind: 'staff', table: 'staff_users', column: 'home_unit_id' },
  { kind: 'items', table: 'items', column: 'owner_unit_id' },
  { kind: 'itemLocations', table: 'items', column: 'location_unit_id' },
  { kind: 'records', table: 'bib_records', column: 'owner_unit_id' },
  { kind: 'digitalObjects', table: 'digital_objects', column: 'owner_unit_id' },
  { kind: 'digitalCollections', table: 'digital_collections', column: 'owner_unit_id' },
  // Readers of a merged library belong to the receiving one (their cards, numbered by the library that issued them, stay valid).
  { kind: 'readers', table: 'readers', column: 'home_unit_id' },
];

function toUnit(r: Selectable<OrgUnitsTable>): OrgUnit {
  return {
    id: r.id,
    code: r.code,
    slug: r.slug,
    nameVi: r.name_vi,
    nameEn: r.name_en,
    typeCode: r.type_code as UnitTypeCode,
    parentId: r.parent_id,
    path: r.path,
    depth: r.depth,
    status: r.status as UnitStatus,
    mergedIntoId: r.merged_into_id,
    openedOn: r.opened_on,
    endedOn: r.ended_on,
    address: r.address,
    phone: r.phone,
    email: r.email,
    website: r.website,
    openingHours: r.opening_hours,
    latitude: r.latitude,
    longitude: r.longitude,
    descriptionVi: r.description_vi,
    descriptionEn: r.description_en,
    version: r.version,
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
  };
}

/** Rows whose materialised path starts with `prefix`, as an index range (paths are `/1/4/`). */
export function pathRange(prefix: string): [string, string] {
  // Every path below `/1/4/` sorts in [`/1/4/`, `/1/40`): '0' is the byte after '/'.
  return [prefix, prefix.slice(0, -1) + '0'];
}

export class KyselyOrgRepository implements OrgRepository {
  readonly #db: Kysely<Database>;
  readonly #search: SearchMarks;
  /** `search` hears which records' holdings moved in the tree (their search documents change). */
  constructor(db: Kysely<Database>, search: SearchMarks = { markDirty: () => {} }) {
    this.#search = search;
    this.#db = db;
  }

  async getById(id: number) {
    const r = await this.#db.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toUnit(r);
  }
  async getByCode(code: string) {
    const r = await this.#db.selectFrom('org_units').selectAll().where('code', '=', code).executeTakeFirst();
    return r && toUnit(r);
  }
  async getBySlug(slug: string) {
    const r = await this.#db.selectFrom('org_units').selectAll().where('slug', '=', slug).executeTakeFirst();
    return r && toUnit(r);
  }
  async place(id: number): Promise<UnitPlace | undefined> {
    const r = await this.#db.selectFrom('org_units').select(['id', 'path']).where('id', '=', id).executeTakeFirst();
    return r;
  }
  async list(filter: UnitListFilter = {}) {
    let q = this.#db.selectFrom('org_units').selectAll();
    if (filter.activeOnly) q = q.where('status', '=', 'active');
    if (filter.underPath) {
      const [lo, hi] = pathRange(filter.underPath);
      q = q.where('path', '>=', lo).where('path', '<', hi);
    }
    if (filter.typeCodes && filter.typeCodes.length > 0) q = q.where('type_code', 'in', filter.typeCodes);
    const rows = await q.orderBy('path').execute();
    return rows.map(toUnit);
  }
  async fingerprint() {
    const r = await this.#db
      .selectFrom('org_units')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.sum<number>('version').as('v'), eb.fn.max('updated_at').as('t')])
      .executeTakeFirstOrThrow();
    return `${Number(r.n)}:${Number(r.v ?? 0)}:${r.t ? toIso(r.t) : ''}`;
  }
  async count() {
    const r = await this.#db.selectFrom('org_units').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(r.n);
  }
  async insert(u: NewUnit, now: string) {
    const r = await this.#db
      .insertInto('org_units')
      .values({
        code: u.code,
        slug: u.slug,
        name_vi: u.nameVi,
        name_en: u.nameEn,
        type_code: u.typeCode,
        parent_id: u.parentId,
        // The real path needs the new id; it is set right after the insert.
        path: '/',
        depth: u.depth,
        status: 'active',
        merged_into_id: null,
        opened_on: u.openedOn,
        ended_on: null,
        address: u.address,
        phone: u.phone,
        email: u.email,
        website: u.website,
        opening_hours: u.openingHours,
        latitude: u.latitude,
        longitude: u.longitude,
        description_vi: u.descriptionVi,
        description_en: u.descriptionEn,
        created_at: now,
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const path = `${u.path}${r.id}/`;
    await this.#db.updateTable('org_units').set({ path }).where('id', '=', r.id).execute();
    const unit = await this.getById(r.id);
    if (!unit) throw new Error('inserted unit vanished');
    return unit;
  }
  async updateDetails(id: number, d: UnitDetails, version: number, now: string) {
    const r = await this.#db
      .updateTable('org_units')
      .set({
        slug: d.slug,
        address: d.address,
        phone: d.phone,
        email: d.email,
        website: d.website,
        opening_hours: d.openingHours,
        latitude: d.latitude,
        longitude: d.longitude,
        description_vi: d.descriptionVi,
        description_en: d.descriptionEn,
        version: sql<number>`version + 1`,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }
  async #markHoldersOf(unitIds: readonly number[]): Promise<void> {
    if (unitIds.length === 0) return;
    const rows = await this.#db
      .selectFrom('items')
      .select('record_id')
      .distinct()
      .where((eb) => eb.or([eb('owner_unit_id', 'in', unitIds), eb('location_unit_id', 'in', unitIds)]))
      .execute();
    this.#search.markDirty(rows.map((r) => r.record_id));
    // Published digital objects count as holdings of their library too.
    const digital = await this.#db.selectFrom('digital_objects').select('record_id').where('owner_unit_id', 'in', unitIds).where('record_id', 'is not', null).execute();
    this.#search.markDirty(digital.map((r) => r.record_id!));
  }
  async applyStructure(changes: readonly UnitStructure[], now: string) {
    await this.#markHoldersOf(changes.map((c) => c.id));
    for (const c of changes) {
      await this.#db
        .updateTable('org_units')
        .set({
          name_vi: c.nameVi,
          name_en: c.nameEn,
          parent_id: c.parentId,
          path: c.path,
          depth: c.depth,
          status: c.status,
          merged_into_id: c.mergedIntoId,
          ended_on: c.endedOn,
          version: sql<number>`version + 1`,
          updated_at: now,
        })
        .where('id', '=', c.id)
        .execute();
    }
  }
  async allEvents(): Promise<OrgEvent[]> {
    const rows = await this.#db.selectFrom('org_events').select(['id', 'unit_id', 'kind', 'effective_date', 'data']).orderBy('effective_date').orderBy('id').execute();
    return rows.map((r) => ({ id: r.id, unitId: r.unit_id, kind: r.kind, effectiveDate: r.effective_date, data: JSON.parse(r.data) }) as OrgEvent);
  }
  async eventsOfUnit(unitId: number): Promise<StoredOrgEvent[]> {
    // A unit's history includes the events of others that name it (merged into it, moved under it).
    const rows = await this.#db.selectFrom('org_events').selectAll().where('unit_id', '=', unitId).orderBy('effective_date').orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      unitId: r.unit_id,
      kind: r.kind as OrgEventKind,
      effectiveDate: r.effective_date,
      data: JSON.parse(r.data) as Record<string, unknown>,
      note: r.note,
      actorId: r.actor_id,
      recordedAt: toIso(r.recorded_at),
    }));
  }
  async insertEvent(e: Omit<StoredOrgEvent, 'id'>) {
    const r = await this.#db
      .insertInto('org_events')
      .values({ unit_id: e.unitId, kind: e.kind, effective_date: e.effectiveDate, data: JSON.stringify(e.data), note: e.note, actor_id: e.actorId, recorded_at: e.recordedAt })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }
  async reassignOwned(fromId: number, toId: number) {
    await this.#markHoldersOf([fromId]);
    const moved: Record<string, number> = {};
    for (const { kind, table, column } of UNIT_OWNED_COLUMNS) {
      const r = await this.#db.updateTable(table).set({ [column]: toId }).where(column, '=', fromId).executeTakeFirst();
      moved[kind] = Number(r.numUpdatedRows);
    }
    // Grants follow too; one the user already holds at the target is dropped, not duplicated.
    const grants = await this.#db.selectFrom('grants').selectAll().where('unit_id', '=', fromId).execute();
    let g = 0;
    for (const grant of grants) {
      const dup = await this.#db
        .selectFrom('grants')
        .select('id')
        .where('user_id', '=', grant.user_id)
        .where('role_id', '=', grant.role_id)
        .where('unit_id', '=', toId)
        .where('scope', '=', grant.scope)
        .executeTakeFirst();
      if (dup) await this.#db.deleteFrom('grants').where('id', '=', grant.id).execute();
      else await this.#db.updateTable('grants').set({ unit_id: toId }).where('id', '=', grant.id).execute();
      g++;
    }
    moved.grants = g;
    const tokens = await this.#db.updateTable('api_tokens').set({ unit_id: toId }).where('unit_id', '=', fromId).executeTakeFirst();
    moved.tokens = Number(tokens.numUpdatedRows);
    return moved;
  }

  #groupQuery() {
    return this.#db
      .selectFrom('library_groups as g')
      .leftJoin('library_group_members as m', 'm.group_id', 'g.id')
      .select(['g.id', 'g.code', 'g.name_vi', 'g.name_en', 'g.description', (eb) => eb.fn.count<number>('m.unit_id').as('n')])
      .groupBy(['g.id', 'g.code', 'g.name_vi', 'g.name_en', 'g.description']);
  }
  #toGroup(r: { id: number; code: string; name_vi: string; name_en: string; description: string | null; n: number | string | bigint }): LibraryGroup {
    return { id: r.id, code: r.code, nameVi: r.name_vi, nameEn: r.name_en, description: r.description, memberCount: Number(r.n) };
  }
  async listGroups() {
    const rows = await this.#groupQuery().orderBy('g.code').execute();
    return rows.map((r) => this.#toGroup(r));
  }
  async getGroupByCode(code: string) {
    const r = await this.#groupQuery().where('g.code', '=', code).executeTakeFirst();
    return r && this.#toGroup(r);
  }
  async createGroup(g: { code: string; nameVi: string; nameEn: string; description: string | null }, now: string) {
    const r = await this.#db
      .insertInto('library_groups')
      .values({ code: g.code, name_vi: g.nameVi, name_en: g.nameEn, description: g.description, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: r.id, ...g, memberCount: 0 };
  }
  async groupMembers(groupId: number) {
    const rows = await this.#db.selectFrom('library_group_members').select('unit_id').where('group_id', '=', groupId).execute();
    return rows.map((r) => r.unit_id);
  }
  async groupsOfUnit(unitId: number) {
    const ids = this.#db.selectFrom('library_group_members').select('group_id').where('unit_id', '=', unitId);
    const rows = await this.#groupQuery().where('g.id', 'in', ids).orderBy('g.code').execute();
    return rows.map((r) => this.#toGroup(r));
  }
  async setGroupMember(groupId: number, unitId: number, member: boolean) {
    const exists = await this.#db.selectFrom('library_group_members').select('unit_id').where('group_id', '=', groupId).where('unit_id', '=', unitId).executeTakeFirst();
    if (member && !exists) {
      await this.#db.insertInto('library_group_members').values({ group_id: groupId, unit_id: unitId }).execute();
      return true;
    }
    if (!member && exists) {
      await this.#db.deleteFrom('library_group_members').where('group_id', '=', groupId).where('unit_id', '=', unitId).execute();
      return true;
    }
    return false;
  }

  async settingsAt(unitIds: readonly number[]) {
    const out = new Map<number, Map<string, SettingValue>>();
    if (unitIds.length === 0) return out;
    const rows = await this.#db.selectFrom('unit_settings').select(['unit_id', 'key', 'value']).where('unit_id', 'in', unitIds).execute();
    for (const r of rows) {
      let m = out.get(r.unit_id);
      if (!m) out.set(r.unit_id, (m = new Map()));
      m.set(r.key, JSON.parse(r.value) as SettingValue);
    }
    return out;
  }
  async setSetting(unitId: number, key: string, value: SettingValue | null, now: string) {
    await this.#db.deleteFrom('unit_settings').where('unit_id', '=', unitId).where('key', '=', key).execute();
    if (value !== null) await this.#db.insertInto('unit_settings').values({ unit_id: unitId, key, value: JSON.stringify(value), updated_at: now }).execute();
  }
}
