/**
 * Use cases of the library tree: browse (now or as of a date), create, edit, reorganise
 * (rename, move, merge, close as effective-dated events), groups and inherited settings.
 * Every write checks permission against the tree and writes an audit entry in its transaction.
 */
import { AppError, type FieldProblem } from '../domain/errors.js';
import {
  computePaths,
  isIsoDate,
  pathIds,
  replay,
  type CreateEvent,
  type OrgEvent,
  type OrgEventKind,
  type RenameEvent,
  type TreeState,
  type UnitState,
} from '../domain/org/history.js';
import { validateCode, validateDetails, validateName, validateType, type OrgUnit, type UnitDetails } from '../domain/org/unit.js';
import type { UnitTypeCode } from '../domain/org/unit-types.js';
import { parseSetting, resolveSettings, settingDef, type ResolvedSetting, type SettingValue } from '../domain/org/settings.js';
import { allows, type Permission } from '../domain/access/permissions.js';
import { slugify, cleanLine } from '../text/fold.js';
import type { Actor } from './actor.js';
import type { Clock, LibraryGroup, Repos, Store, StoredOrgEvent, UnitStructure } from './ports.js';
import { audit } from './audit.js';
import { authorize, runWrite } from './guard.js';

/** `YYYY-MM-DD` of an instant in the network's time zone. */
export function localDate(d: Date, timeZone = 'Asia/Ho_Chi_Minh'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

export interface CreateUnitInput extends Partial<Record<keyof UnitDetails, unknown>> {
  code: unknown;
  nameVi: unknown;
  nameEn?: unknown;
  typeCode: unknown;
  parentId: number | null;
  openedOn?: unknown;
}

/** A new unit's attributes as `checkNewUnit` checked and normalised them. */
export interface CheckedNewUnit extends UnitDetails {
  code: string;
  nameVi: string;
  nameEn: string;
  typeCode: UnitTypeCode;
  openedOn: string;
  /** A slug given by the user must be free; one made from the name gets a `-2`, `-3`… suffix. */
  explicitSlug: boolean;
}

/** An edit of a unit as `checkEdit` checked it: the new details and, when given, new names. */
export interface CheckedUnitEdit {
  details: UnitDetails;
  nameVi?: string;
  nameEn?: string;
}

/** Options of the `…Within` methods that run inside a transaction the caller holds. */
export interface WithinOptions {
  /** The instant to record (one for a whole batch); the clock's now by default. */
  now?: Date;
  /** The caller has already replayed the change with the whole history (once for a batch). */
  replayed?: boolean;
}

export type ReorganiseInput =
  | { kind: 'rename'; unitId: number; date: string; nameVi: string; nameEn?: string; note?: string }
  | { kind: 'move'; unitId: number; date: string; parentId: number; note?: string }
  | { kind: 'merge'; unitId: number; date: string; intoId: number; note?: string }
  | { kind: 'close'; unitId: number; date: string; note?: string };

/** A unit in a tree as of a date: its state then, plus today's slug for linking. */
export interface HistoricUnit extends UnitState {
  slug: string | null;
}

export interface UnitHistoryEntry extends StoredOrgEvent {
  /** Events of other units that concern this one (a merge into it). */
  about: 'self' | 'merged-in';
}

export class OrgService {
  readonly #store: Store;
  readonly #clock: Clock;
  constructor(deps: { store: Store; clock: Clock }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
  }

  today(): string {
    return localDate(this.#clock.now());
  }

  // ------------------------------------------------------------------ reading

  /**
   * Units in path order. Every public page needs the whole tree (facets, holdings, menus), so the
   * unfiltered list is kept in memory and read again only when the table's fingerprint moved —
   * a one-row aggregate over a few hundred units instead of reading and mapping them all, and
   * correct across processes sharing the database. Callers get a copy of the array; the units
   * themselves are frozen.
   */
  async list(filter?: Parameters<Store['org']['list']>[0]): Promise<OrgUnit[]> {
    if (filter?.underPath !== undefined || filter?.typeCodes !== undefined) return this.#store.org.list(filter);
    const fingerprint = await this.#store.org.fingerprint();
    let all = this.#cached?.fingerprint === fingerprint ? this.#cached.units : undefined;
    if (!all) {
      all = (await this.#store.org.list()).map((u) => Object.freeze(u));
      this.#cached = { fingerprint, units: all };
    }
    return filter?.activeOnly ? all.filter((u) => u.status === 'active') : [...all];
  }
  #cached: { fingerprint: string; units: OrgUnit[] } | undefined;

  async get(id: number): Promise<OrgUnit> {
    const u = await this.#store.org.getById(id);
    if (!u) throw new AppError('ORG_UNIT_NOT_FOUND', { unit: id });
    return u;
  }

  async getByCode(code: string): Promise<OrgUnit> {
    const u = await this.#store.org.getByCode(code.trim().toUpperCase());
    if (!u) throw new AppError('ORG_UNIT_NOT_FOUND', { unit: code });
    return u;
  }

  async getBySlug(slug: string): Promise<OrgUnit | undefined> {
    return this.#store.org.getBySlug(slug);
  }

  /** The ancestors of a unit, root first, the unit itself excluded. */
  async ancestors(unit: OrgUnit): Promise<OrgUnit[]> {
    const ids = pathIds(unit.path).filter((id) => id !== unit.id);
    const out: OrgUnit[] = [];
    for (const id of ids) {
      const u = await this.#store.org.getById(id);
      if (u) out.push(u);
    }
    return out;
  }

  /**
   * The tree as it stood at the end of `asOf` (a `YYYY-MM-DD` date): units open on that day, and
   * with `includeClosed` also those closed or merged by then.
   */
  async treeAsOf(asOf: string, opts: { includeClosed?: boolean } = {}): Promise<HistoricUnit[]> {
    if (!isIsoDate(asOf)) throw new AppError('ORG_DATE_INVALID', { date: asOf });
    const state = replay(await this.#store.org.allEvents(), asOf);
    const slugs = new Map((await this.#store.org.list()).map((u) => [u.id, u.slug]));
    return [...state.units.values()].filter((u) => opts.includeClosed || u.status === 'active').map((u) => ({ ...u, slug: slugs.get(u.id) ?? null }));
  }

  /** A unit's own reorganisation events and the merges into it, oldest first. */
  async history(unitId: number): Promise<UnitHistoryEntry[]> {
    const own = (await this.#store.org.eventsOfUnit(unitId)).map((e) => ({ ...e, about: 'self' as const }));
    const mergesIn: UnitHistoryEntry[] = [];
    for (const e of await this.#store.org.allEvents()) {
      if (e.kind === 'merge' && e.data.intoId === unitId) {
        const full = (await this.#store.org.eventsOfUnit(e.unitId)).find((x) => x.id === e.id);
        if (full) mergesIn.push({ ...full, about: 'merged-in' });
      }
    }
    return [...own, ...mergesIn].sort((a, b) => (a.effectiveDate === b.effectiveDate ? a.id - b.id : a.effectiveDate < b.effectiveDate ? -1 : 1));
  }

  // ------------------------------------------------------------------ creating and editing

  /**
   * Checks and normalises a new unit's attributes without touching the database, reporting every
   * problem at once. `value` is there only when there is no problem.
   */
  checkNewUnit(input: Omit<CreateUnitInput, 'parentId'>): { value?: CheckedNewUnit; problems: FieldProblem[] } {
    const problems: FieldProblem[] = [];
    const code = validateCode(input.code, problems);
    const nameVi = validateName(input.nameVi, 'nameVi', problems);
    const nameEn = input.nameEn === undefined || input.nameEn === null || cleanLine(String(input.nameEn)) === '' ? nameVi : validateName(input.nameEn, 'nameEn', problems);
    const typeCode = validateType(input.typeCode, problems);
    const openedOn = input.openedOn === undefined || input.openedOn === null || input.openedOn === '' ? this.today() : String(input.openedOn).trim();
    if (!isIsoDate(openedOn)) problems.push({ field: 'openedOn', code: 'ORG_DATE_INVALID', params: { date: openedOn } });
    else if (openedOn > this.today()) problems.push({ field: 'openedOn', code: 'ORG_EVENT_IN_FUTURE', params: { date: openedOn } });
    const explicitSlug = input.slug !== undefined && input.slug !== null && input.slug !== '';
    let details: UnitDetails | undefined;
    try {
      details = validateDetails({ ...input, slug: explicitSlug ? input.slug : slugify(nameVi) || slugify(code) });
    } catch (e) {
      if (e instanceof AppError && e.details) problems.push(...e.details);
      else throw e;
    }
    if (problems.length > 0 || !details) return { problems };
    return { value: { ...details, code, nameVi, nameEn, typeCode, openedOn, explicitSlug }, problems };
  }

  /** Creates a unit under `parentId` (or the root, when the tree is empty and the actor is the system). */
  async create(actor: Actor, input: CreateUnitInput): Promise<OrgUnit> {
    const { value, problems } = this.checkNewUnit(input);
    if (!value) throw new AppError('VALIDATION', {}, problems);
    return runWrite(this.#store, this.#clock, actor, (tx) => this.createWithin(tx, actor, { ...value, parentId: input.parentId }));
  }

  /**
   * Creates a checked unit (see `checkNewUnit`) inside the caller's transaction: permission at the
   * parent, parent open, code and slug free, the history check, the create event and the audit
   * entry. Uses only `tx` (on SQLite the store itself would wait for this very transaction).
   * `opts.replayed`: the caller has already replayed this creation with the whole history, as a
   * batch import does once for all its rows; otherwise it is replayed here.
   */
  async createWithin(tx: Repos, actor: Actor, input: CheckedNewUnit & { parentId: number | null }, opts: WithinOptions = {}): Promise<OrgUnit> {
    const now = opts.now ?? this.#clock.now();
    const { code, nameVi, nameEn, typeCode, openedOn, parentId } = input;
    let parentPath = '/';
    let depth = 0;
    if (parentId === null) {
      if (actor.kind !== 'system') throw new AppError('ORG_PARENT_REQUIRED');
      if ((await tx.org.count()) > 0) throw new AppError('ORG_PARENT_REQUIRED');
    } else {
      await authorize(tx, actor, 'org.unit.create', parentId);
      const parent = await tx.org.getById(parentId);
      if (!parent) throw new AppError('ORG_UNIT_NOT_FOUND', { unit: parentId });
      if (parent.status !== 'active') throw new AppError('ORG_PARENT_CLOSED', { unit: code, parent: parent.code });
      parentPath = parent.path;
      depth = parent.depth + 1;
    }
    if (await tx.org.getByCode(code)) throw new AppError('ORG_CODE_TAKEN', { code }, [{ field: 'code', code: 'ORG_CODE_TAKEN', params: { code } }]);
    const slug = await this.#freeSlug(tx, input.slug, input.explicitSlug);
    const data: CreateEvent['data'] = { code, nameVi, nameEn, typeCode, parentId };
    if (!opts.replayed) {
      // Replaying with the new creation checks it against history (the parent must exist then).
      const createEvent: OrgEvent = { id: Number.MAX_SAFE_INTEGER, unitId: -1, kind: 'create', effectiveDate: openedOn, data };
      replay([...(await tx.org.allEvents()), createEvent]);
    }
    const details: UnitDetails = {
      slug,
      address: input.address,
      phone: input.phone,
      email: input.email,
      website: input.website,
      openingHours: input.openingHours,
      latitude: input.latitude,
      longitude: input.longitude,
      descriptionVi: input.descriptionVi,
      descriptionEn: input.descriptionEn,
    };
    const unit = await tx.org.insert({ ...details, code, nameVi, nameEn, typeCode, parentId, path: parentPath, depth, openedOn }, now.toISOString());
    await tx.org.insertEvent({
      unitId: unit.id,
      kind: 'create',
      effectiveDate: openedOn,
      data,
      note: null,
      actorId: actor.userId,
      recordedAt: now.toISOString(),
    });
    await audit(tx, actor, now, { action: 'org.unit.create', unitId: unit.id, targetType: 'org_unit', targetId: unit.id, after: unit });
    return unit;
  }

  async #freeSlug(tx: Repos, wanted: string, explicit: boolean, exceptId?: number): Promise<string> {
    const taken = async (s: string) => {
      const u = await tx.org.getBySlug(s);
      return u !== undefined && u.id !== exceptId;
    };
    if (!(await taken(wanted))) return wanted;
    if (explicit) throw new AppError('ORG_SLUG_TAKEN', { slug: wanted }, [{ field: 'slug', code: 'ORG_SLUG_TAKEN', params: { slug: wanted } }]);
    for (let i = 2; ; i++) {
      const s = `${wanted}-${i}`;
      if (!(await taken(s))) return s;
    }
  }

  /**
   * Edits a unit's details. `version` is the one the editor saw: a concurrent change makes this
   * fail with `ORG_STALE_VERSION` instead of silently overwriting it. A change of name is recorded
   * as a rename taking effect today, so the history stays complete.
   */
  async update(actor: Actor, id: number, version: number, input: Record<string, unknown>): Promise<OrgUnit> {
    const { value, problems } = this.checkEdit(input);
    if (!value) throw new AppError('VALIDATION', {}, problems);
    return runWrite(this.#store, this.#clock, actor, (tx) => this.updateWithin(tx, actor, id, version, value));
  }

  /** Checks an edit of a unit's details (and names, when given) without touching the database. */
  checkEdit(input: Record<string, unknown>): { value?: CheckedUnitEdit; problems: FieldProblem[] } {
    const problems: FieldProblem[] = [];
    let details: UnitDetails | undefined;
    try {
      details = validateDetails(input);
    } catch (e) {
      if (e instanceof AppError && e.details) problems.push(...e.details);
      else throw e;
    }
    const nameVi = input.nameVi === undefined ? undefined : validateName(input.nameVi, 'nameVi', problems);
    const nameEn = input.nameEn === undefined ? undefined : validateName(input.nameEn, 'nameEn', problems);
    if (problems.length > 0 || !details) return { problems };
    return { value: { details, nameVi, nameEn }, problems };
  }

  /**
   * Applies a checked edit (see `checkEdit`) inside the caller's transaction, as `update` does:
   * permission, version check, a rename event when the names change, the audit entry. Uses only
   * `tx`. With `opts.replayed` the caller has already replayed the rename with the history.
   */
  async updateWithin(tx: Repos, actor: Actor, id: number, version: number, edit: CheckedUnitEdit, opts: WithinOptions = {}): Promise<OrgUnit> {
    const { details, nameVi, nameEn } = edit;
    await authorize(tx, actor, 'org.unit.edit', id);
    const before = await tx.org.getById(id);
    if (!before) throw new AppError('ORG_UNIT_NOT_FOUND', { unit: id });
    if (before.status !== 'active') throw new AppError('ORG_UNIT_CLOSED', { unit: before.code, date: before.endedOn ?? '' });
    const now = opts.now ?? this.#clock.now();
    const slug = await this.#freeSlug(tx, details.slug, true, id);
    const ok = await tx.org.updateDetails(id, { ...details, slug }, version, now.toISOString());
    if (!ok) throw new AppError('ORG_STALE_VERSION', { unit: before.code });
    if ((nameVi !== undefined && nameVi !== before.nameVi) || (nameEn !== undefined && nameEn !== before.nameEn)) {
      // A new name is a reorganisation: it needs that permission, not just the right to edit.
      await authorize(tx, actor, 'org.unit.reorganise', id);
      const rename = { kind: 'rename', unitId: id, date: this.today(), nameVi: nameVi ?? before.nameVi, nameEn: nameEn ?? before.nameEn } as const;
      if (opts.replayed) {
        // A rename dated today is the last event in the history, so it changes only these names.
        const data = eventData(rename) as RenameEvent['data'];
        await this.#recordEvent(tx, actor, now, rename, data);
        const u = (await tx.org.getById(id)) ?? before;
        await tx.org.applyStructure(
          [{ id, nameVi: data.nameVi, nameEn: data.nameEn, parentId: u.parentId, path: u.path, depth: u.depth, status: u.status, mergedIntoId: u.mergedIntoId, endedOn: u.endedOn }],
          now.toISOString(),
        );
      } else {
        await this.#applyEvent(tx, actor, now, rename);
      }
    }
    const after = await tx.org.getById(id);
    await audit(tx, actor, now, { action: 'org.unit.update', unitId: id, targetType: 'org_unit', targetId: id, before, after });
    return after!;
  }

  // ------------------------------------------------------------------ reorganisation

  /** Records a rename, move, merge or close taking effect on `date` (today or earlier). */
  async reorganise(actor: Actor, input: ReorganiseInput): Promise<OrgUnit> {
    return runWrite(this.#store, this.#clock, actor, async (tx) => {
      const now = this.#clock.now();
      const before = await tx.org.getById(input.unitId);
      if (!before) throw new AppError('ORG_UNIT_NOT_FOUND', { unit: input.unitId });
      await authorize(tx, actor, 'org.unit.reorganise', input.unitId);
      if (input.kind === 'move') await authorize(tx, actor, 'org.unit.reorganise', input.parentId);
      if (input.kind === 'merge') await authorize(tx, actor, 'org.unit.reorganise', input.intoId);
      const moved = await this.#applyEvent(tx, actor, now, input);
      const after = await tx.org.getById(input.unitId);
      await audit(tx, actor, now, {
        action: `org.unit.${input.kind}`,
        unitId: input.unitId,
        targetType: 'org_unit',
        targetId: input.unitId,
        before,
        after: { ...after, event: input, ...(moved ? { moved } : {}) },
      });
      return after!;
    });
  }

  /** Validates an event against the whole history, stores it and brings the current tree in line. */
  async #applyEvent(tx: Repos, actor: Actor, now: Date, input: ReorganiseInput): Promise<Record<string, number> | undefined> {
    if (!isIsoDate(input.date)) throw new AppError('ORG_DATE_INVALID', { date: input.date });
    if (input.date > this.today()) throw new AppError('ORG_EVENT_IN_FUTURE', { date: input.date });
    const data = eventData(input);
    const events = await tx.org.allEvents();
    const candidate = { id: Number.MAX_SAFE_INTEGER, unitId: input.unitId, kind: input.kind, effectiveDate: input.date, data } as OrgEvent;
    const next = replay([...events, candidate]);
    await this.#recordEvent(tx, actor, now, input, data);
    await this.#materialise(tx, next, now);
    if (input.kind === 'merge') return tx.org.reassignOwned(input.unitId, input.intoId);
    return undefined;
  }

  async #recordEvent(tx: Repos, actor: Actor, now: Date, input: ReorganiseInput, data: OrgEvent['data']): Promise<void> {
    await tx.org.insertEvent({
      unitId: input.unitId,
      kind: input.kind as OrgEventKind,
      effectiveDate: input.date,
      data,
      note: input.note ? cleanLine(input.note).slice(0, 1000) : null,
      actorId: actor.userId,
      recordedAt: now.toISOString(),
    });
  }

  /** Writes the replayed current state (names, parents, paths, status) to the units that differ. */
  async #materialise(tx: Repos, state: TreeState, now: Date): Promise<void> {
    const paths = computePaths(state);
    const current = await tx.org.list();
    const changes: UnitStructure[] = [];
    for (const u of current) {
      const s = state.units.get(u.id);
      const p = paths.get(u.id);
      if (!s || !p) continue;
      if (
        s.nameVi !== u.nameVi ||
        s.nameEn !== u.nameEn ||
        s.parentId !== u.parentId ||
        p.path !== u.path ||
        p.depth !== u.depth ||
        s.status !== u.status ||
        s.mergedIntoId !== u.mergedIntoId ||
        s.endedOn !== u.endedOn
      ) {
        changes.push({ id: u.id, nameVi: s.nameVi, nameEn: s.nameEn, parentId: s.parentId, path: p.path, depth: p.depth, status: s.status, mergedIntoId: s.mergedIntoId, endedOn: s.endedOn });
      }
    }
    await tx.org.applyStructure(changes, now.toISOString());
  }

  // ------------------------------------------------------------------ settings

  /** Every setting as it applies at a unit, with where its value comes from. */
  async settings(unitId: number): Promise<ResolvedSetting[]> {
    const unit = await this.get(unitId);
    const ids = pathIds(unit.path);
    return resolveSettings(ids, await this.#store.org.settingsAt(ids));
  }

  /** Sets a setting at a unit, or with `null` removes the override so the inherited value applies. */
  async setSetting(actor: Actor, unitId: number, key: string, raw: unknown): Promise<void> {
    const def = settingDef(key);
    if (!def) throw new AppError('ORG_SETTING_UNKNOWN', { key });
    let value: SettingValue | null = null;
    if (raw !== null && raw !== undefined && raw !== '') {
      const parsed = parseSetting(def, raw);
      if (parsed === undefined) throw new AppError('ORG_SETTING_INVALID', { key, value: String(raw).slice(0, 100) });
      value = parsed;
    }
    await runWrite(this.#store, this.#clock, actor, async (tx) => {
      await authorize(tx, actor, 'org.settings.edit', unitId);
      const before = (await tx.org.settingsAt([unitId])).get(unitId)?.get(key) ?? null;
      const now = this.#clock.now();
      await tx.org.setSetting(unitId, key, value, now.toISOString());
      await audit(tx, actor, now, { action: 'org.setting.set', unitId, targetType: 'setting', targetId: key, before: { [key]: before }, after: { [key]: value } });
    });
  }

  // ------------------------------------------------------------------ groups

  listGroups(): Promise<LibraryGroup[]> {
    return this.#store.org.listGroups();
  }
  groupsOfUnit(unitId: number): Promise<LibraryGroup[]> {
    return this.#store.org.groupsOfUnit(unitId);
  }
  async groupMembers(code: string): Promise<OrgUnit[]> {
    const g = await this.#store.org.getGroupByCode(code);
    if (!g) throw new AppError('ORG_GROUP_NOT_FOUND', { group: code });
    const ids = new Set(await this.#store.org.groupMembers(g.id));
    return (await this.#store.org.list()).filter((u) => ids.has(u.id));
  }

  /** Creates a group; groups span the tree, so this needs the permission at the root. */
  async createGroup(actor: Actor, input: { code: unknown; nameVi: unknown; nameEn?: unknown; description?: unknown }): Promise<LibraryGroup> {
    const problems: FieldProblem[] = [];
    const code = validateCode(input.code, problems);
    const nameVi = validateName(input.nameVi, 'nameVi', problems);
    const nameEn = input.nameEn ? validateName(input.nameEn, 'nameEn', problems) : nameVi;
    if (problems.length) throw new AppError('VALIDATION', {}, problems);
    const description = input.description ? cleanLine(String(input.description)).slice(0, 1000) : null;
    return runWrite(this.#store, this.#clock, actor, async (tx) => {
      const root = (await tx.org.list({ activeOnly: true }))[0];
      if (!root) throw new AppError('ORG_UNIT_NOT_FOUND', { unit: 'root' });
      await authorize(tx, actor, 'org.group.manage', root.id);
      if (await tx.org.getGroupByCode(code)) throw new AppError('ORG_GROUP_CODE_TAKEN', { code });
      const now = this.#clock.now();
      const g = await tx.org.createGroup({ code, nameVi, nameEn, description }, now.toISOString());
      await audit(tx, actor, now, { action: 'org.group.create', unitId: null, targetType: 'library_group', targetId: g.id, after: g });
      return g;
    });
  }

  async setGroupMember(actor: Actor, groupCode: string, unitId: number, member: boolean): Promise<void> {
    await runWrite(this.#store, this.#clock, actor, (tx) => this.setGroupMemberWithin(tx, actor, groupCode, unitId, member));
  }

  /** `setGroupMember` inside the caller's transaction; uses only `tx`. */
  async setGroupMemberWithin(tx: Repos, actor: Actor, groupCode: string, unitId: number, member: boolean, opts: WithinOptions = {}): Promise<void> {
    const g = await tx.org.getGroupByCode(groupCode);
    if (!g) throw new AppError('ORG_GROUP_NOT_FOUND', { group: groupCode });
    await authorize(tx, actor, 'org.group.manage', unitId);
    const now = opts.now ?? this.#clock.now();
    if (await tx.org.setGroupMember(g.id, unitId, member)) {
      await audit(tx, actor, now, { action: member ? 'org.group.add' : 'org.group.remove', unitId, targetType: 'library_group', targetId: g.id, after: { group: g.code, unitId } });
    }
  }

  /** May the actor do `permission` at this unit? For showing or hiding actions in pages. */
  async can(actor: Actor, permission: Permission, unitId: number): Promise<boolean> {
    const place = await this.#store.org.place(unitId);
    return place !== undefined && allows(actor.grants, permission, place);
  }
}

function eventData(input: ReorganiseInput): OrgEvent['data'] {
  switch (input.kind) {
    case 'rename': {
      const problems: FieldProblem[] = [];
      const nameVi = validateName(input.nameVi, 'nameVi', problems);
      const nameEn = input.nameEn ? validateName(input.nameEn, 'nameEn', problems) : nameVi;
      if (problems.length) throw new AppError('VALIDATION', {}, problems);
      return { nameVi, nameEn };
    }
    case 'move':
      return { parentId: input.parentId };
    case 'merge':
      return { intoId: input.intoId };
    case 'close':
      return {};
  }
}
