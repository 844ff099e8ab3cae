/**
 * Import and export of the library tree as CSV (RFC 4180, UTF-8) and JSON.
 *
 * An export lists every unit with its parent's code, so a file read by people and spreadsheets
 * can be edited and imported again. An import identifies each row by `code`: a new code creates
 * a unit, a known one updates its details (and names, as a rename). Structure (parent, type,
 * status, dates, merges) is never changed by an import: a row that disagrees with the tree is
 * reported and the user is sent to Reorganise, where changes are effective-dated events.
 *
 * An import validates every row first and writes nothing unless all are valid (or `partial`
 * asks for the valid ones); the writes then land in one transaction with their events and audit
 * entries. A file that cannot be read at all throws `ORG_IMPORT_INVALID` with where and why.
 */
import { CsvError, parse as parseCsv } from 'csv-parse/sync';
import { stringify as stringifyCsv } from 'csv-stringify/sync';
import { AppError, type ErrorParams, type FieldProblem } from '../domain/errors.js';
import { isIsoDate, replay, type OrgEvent, type UnitStatus } from '../domain/org/history.js';
import { normaliseCode, validateCode, type OrgUnit, type UnitDetails } from '../domain/org/unit.js';
import { isUnitTypeCode, type UnitTypeCode } from '../domain/org/unit-types.js';
import { allows, type Permission, type UnitPlace } from '../domain/access/permissions.js';
import type { Actor } from './actor.js';
import type { Clock, Repos, Store } from './ports.js';
import type { CheckedNewUnit, CheckedUnitEdit, OrgService } from './org.service.js';
import { audit } from './audit.js';

/** The columns of a CSV export, in order; also the keys of each unit in a JSON export. */
export const TREE_COLUMNS = [
  'code',
  'parent',
  'type',
  'nameVi',
  'nameEn',
  'slug',
  'status',
  'openedOn',
  'endedOn',
  'mergedInto',
  'address',
  'phone',
  'email',
  'website',
  'openingHours',
  'latitude',
  'longitude',
  'descriptionVi',
  'descriptionEn',
  'groups',
] as const;
export type TreeColumn = (typeof TREE_COLUMNS)[number];

/** `format` of a JSON export; `version` changes only when the shape does. */
export const TREE_FORMAT = 'lienthong-org-tree';
export const TREE_FORMAT_VERSION = 1;

/** What an import accepts at most. */
export const IMPORT_LIMITS = { maxRows: 100_000, maxBytes: 20 * 1024 * 1024 } as const;

/** One unit as an export writes it. */
export interface ExportedUnit {
  code: string;
  /** Code of the parent unit; `null` for the root. */
  parent: string | null;
  type: UnitTypeCode;
  nameVi: string;
  nameEn: string;
  slug: string | null;
  status: UnitStatus;
  openedOn: string;
  endedOn: string | null;
  /** Code of the unit it was merged into. */
  mergedInto: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  openingHours: string | null;
  latitude: number | null;
  longitude: number | null;
  descriptionVi: string | null;
  descriptionEn: string | null;
  /** Codes of the library groups the unit belongs to (`;`-separated in CSV). */
  groups: string[];
}

/** A JSON export. */
export interface TreeDocument {
  format: typeof TREE_FORMAT;
  version: typeof TREE_FORMAT_VERSION;
  exportedAt: string;
  /** Present when the export shows the tree as it stood on that day. */
  asOf?: string;
  units: ExportedUnit[];
}

export interface ImportRowReport {
  /** 1-based data row of a CSV file (the header not counted), or JSON index + 1. */
  row: number;
  code: string;
  action: 'create' | 'update' | 'unchanged' | 'error';
  problems: FieldProblem[];
}

export interface ImportReport {
  rows: ImportRowReport[];
  created: number;
  updated: number;
  unchanged: number;
  errors: number;
  /** Did this import write anything? False for a dry run, a refused file, or nothing to change. */
  written: boolean;
}

export interface ImportOptions {
  /** Write the valid rows even when others are bad (rows under a bad new row are bad too). */
  partial?: boolean;
  /** Validate and report; write nothing. */
  dryRun?: boolean;
}

const DETAIL_KEYS = ['slug', 'address', 'phone', 'email', 'website', 'openingHours', 'latitude', 'longitude', 'descriptionVi', 'descriptionEn'] as const satisfies readonly (keyof UnitDetails)[];
const STATUSES: readonly string[] = ['active', 'closed', 'merged'] satisfies UnitStatus[];
/** Ids given to new events in a batch replay: above every stored id, in the order of the batch. */
const BATCH_EVENT_ID = 2 ** 52;

/** One data row as read from the file: a value per column present (absent: keep what is stored). */
interface RawRow {
  row: number;
  values: Partial<Record<TreeColumn, string>>;
  problems: FieldProblem[];
}

/** What the import will do with one row, built while validating. */
interface RowPlan {
  raw: RawRow;
  code: string;
  problems: FieldProblem[];
  existing?: OrgUnit;
  // a new unit
  create?: CheckedNewUnit;
  slug?: string;
  parentCode: string;
  parentUnit?: OrgUnit;
  parentRow?: RowPlan;
  /** Where the new unit will sit (a stand-in id until it exists), for permission checks. */
  place?: UnitPlace;
  createdId?: number;
  // an existing unit
  edit?: CheckedUnitEdit;
  changed: boolean;
  renamed: boolean;
  groupsAdd: string[];
  groupsRemove: string[];
}

export class OrgTransferService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #org: OrgService;
  constructor(deps: { store: Store; clock: Clock; org: OrgService }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#org = deps.org;
  }

  // ------------------------------------------------------------------ export

  /**
   * The tree as a CSV (header row, RFC 4180 quoting, CRLF, UTF-8 with a byte order mark so
   * spreadsheets read Vietnamese correctly) or JSON document, parents before children.
   * Open units only unless `includeClosed`. With `asOf` (`YYYY-MM-DD`), names, parents and status
   * are those of that day; details, slugs and groups have no history and are today's.
   */
  async exportTree(format: 'csv' | 'json', opts: { includeClosed?: boolean; asOf?: string } = {}): Promise<string> {
    const current = await this.#store.org.list();
    const byId = new Map(current.map((u) => [u.id, u]));
    const codeOf = (id: number | null) => (id === null ? null : (byId.get(id)?.code ?? null));
    const groups = await groupsByUnit(this.#store);
    let units: ExportedUnit[];
    if (opts.asOf === undefined) {
      units = current.filter((u) => opts.includeClosed || u.status === 'active').map((u) => toExported(u, u, codeOf, groups));
    } else {
      const then = await this.#org.treeAsOf(opts.asOf, { includeClosed: opts.includeClosed });
      units = then.flatMap((h) => {
        const today = byId.get(h.id);
        return today ? [toExported({ ...today, ...h, slug: h.slug ?? today.slug }, today, codeOf, groups)] : [];
      });
    }
    units = parentsFirst(units, (u) => u.code, (u) => u.parent);
    if (format === 'json') {
      const doc: TreeDocument = {
        format: TREE_FORMAT,
        version: TREE_FORMAT_VERSION,
        exportedAt: this.#clock.now().toISOString(),
        ...(opts.asOf !== undefined ? { asOf: opts.asOf } : {}),
        units,
      };
      return `${JSON.stringify(doc, null, 2)}\n`;
    }
    const records = units.map((u) => TREE_COLUMNS.map((c) => csvValue(u[c])));
    // csv-stringify quotes only the record delimiter itself: a line break within opening hours
    // (LF) must be quoted too, or spreadsheets split the record (RFC 4180, 2.6).
    return stringifyCsv(records, { header: true, columns: [...TREE_COLUMNS], bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ });
  }

  // ------------------------------------------------------------------ import

  /**
   * Creates and updates units from a file (see the module comment). Returns a report with one
   * entry per data row. Throws `ORG_IMPORT_INVALID` when the file cannot be read (its details say
   * where), and `PAYLOAD_TOO_LARGE` over 100,000 rows or 20 MB.
   */
  async importTree(actor: Actor, content: string | Buffer, format: 'csv' | 'json', opts: ImportOptions = {}): Promise<ImportReport> {
    const size = typeof content === 'string' ? Buffer.byteLength(content, 'utf8') : content.byteLength;
    if (size > IMPORT_LIMITS.maxBytes) throw new AppError('PAYLOAD_TOO_LARGE', { maxBytes: IMPORT_LIMITS.maxBytes });
    const text = decode(content);
    const rows = format === 'csv' ? readCsv(text) : readJson(text);
    if (rows.length > IMPORT_LIMITS.maxRows) throw new AppError('PAYLOAD_TOO_LARGE', { maxRows: IMPORT_LIMITS.maxRows });

    const outcome = await this.#store.transaction(async (tx) => {
      const plans = await this.#plan(tx, actor, rows);
      const report = summarise(plans);
      const toWrite = plans.filter((p) => p.problems.length === 0 && (p.create !== undefined || p.changed || p.renamed || p.groupsAdd.length + p.groupsRemove.length > 0));
      const write = !opts.dryRun && (opts.partial === true || report.errors === 0) && toWrite.length > 0;
      if (write) {
        await this.#write(tx, actor, toWrite);
        await audit(tx, actor, this.#clock.now(), {
          action: 'org.tree.import',
          unitId: null,
          targetType: 'org_tree',
          targetId: null,
          after: { format, rows: rows.length, created: report.created, updated: report.updated, unchanged: report.unchanged, errors: report.errors, partial: opts.partial === true },
        });
      }
      return { report: { ...report, written: write }, plans };
    });

    if (!opts.dryRun) await this.#recordDenials(actor, outcome.plans);
    return outcome.report;
  }

  /** Validates every row against the file and the database and decides what to do with it. */
  async #plan(tx: Repos, actor: Actor, rows: readonly RawRow[]): Promise<RowPlan[]> {
    const today = this.#org.today();
    const units = await tx.org.list();
    const byCode = new Map(units.map((u) => [u.code, u]));
    const bySlug = new Map(units.map((u) => [u.slug, u]));
    const byId = new Map(units.map((u) => [u.id, u]));
    const needGroups = rows.some((r) => r.values.groups !== undefined);
    const groupCodes = needGroups ? new Set((await tx.org.listGroups()).map((g) => g.code)) : new Set<string>();
    const membership = needGroups ? await groupsByUnit(tx) : new Map<number, string[]>();

    const plans: RowPlan[] = rows.map((raw) => {
      const code = validateCode(raw.values.code ?? '', []);
      const existing = byCode.get(code);
      return { raw, code, problems: [...raw.problems], existing, parentCode: '', changed: false, renamed: false, groupsAdd: [], groupsRemove: [] };
    });

    for (const p of plans) {
      if (p.raw.values.groups !== undefined) checkGroups(p, groupCodes, membership);
      if (p.existing) this.#checkExisting(p, actor, today, byId);
      else this.#checkNew(p);
    }
    flagDuplicates(plans, 'code', (p) => (p.code === '' ? undefined : p.code));
    flagDuplicates(plans, 'slug', explicitSlug);

    // Slugs given in the file must be free; slugs made from names avoid every slug in play.
    const reserved = new Set(bySlug.keys());
    for (const p of plans) {
      const slug = explicitSlug(p);
      if (slug === undefined) continue;
      reserved.add(slug);
      const holder = bySlug.get(slug);
      if (holder && holder.code !== p.code) p.problems.push({ field: 'slug', code: 'ORG_SLUG_TAKEN', params: { slug } });
    }
    for (const p of plans) {
      if (!p.create) continue;
      if (p.create.explicitSlug) {
        p.slug = p.create.slug;
        continue;
      }
      let slug = p.create.slug;
      for (let i = 2; reserved.has(slug); i++) slug = `${p.create.slug}-${i}`;
      reserved.add(slug);
      p.slug = slug;
    }

    // Parents of new units: a unit in the tree or another new row of the file.
    const newByCode = new Map<string, RowPlan>();
    for (const p of plans) if (!p.existing && p.code !== '' && !newByCode.has(p.code)) newByCode.set(p.code, p);
    const newRows = plans.filter((p) => !p.existing);
    const roots: RowPlan[] = [];
    for (const p of newRows) {
      if (p.parentCode === '') roots.push(p);
      else if (newByCode.has(p.parentCode)) p.parentRow = newByCode.get(p.parentCode);
      else {
        const parent = byCode.get(p.parentCode);
        if (!parent) p.problems.push({ field: 'parent', code: 'ORG_UNIT_NOT_FOUND', params: { unit: p.parentCode } });
        else if (parent.status !== 'active') p.problems.push({ field: 'parent', code: 'ORG_PARENT_CLOSED', params: { unit: p.code, parent: parent.code } });
        else {
          p.parentUnit = parent;
          if (p.create && p.create.openedOn < parent.openedOn) p.problems.push({ field: 'openedOn', code: 'ORG_EVENT_BEFORE_CREATION', params: { unit: parent.code, date: p.create.openedOn } });
        }
      }
    }
    // Only the system may start a tree, with exactly one root, in an empty database.
    const rootAllowed = units.length === 0 && actor.kind === 'system' && roots.length === 1;
    for (const p of roots) if (!rootAllowed) p.problems.push({ field: 'parent', code: 'ORG_PARENT_REQUIRED' });

    // Parents before children; then what a bad or out-of-reach parent means for its children.
    let standIn = 0;
    for (const p of orderNewRows(newRows)) {
      let parentPlace: UnitPlace | undefined;
      if (p.parentUnit) parentPlace = { id: p.parentUnit.id, path: p.parentUnit.path };
      else if (p.parentRow) {
        const parent = p.parentRow;
        if (parent.problems.length > 0) {
          if (!p.problems.some((x) => x.code === 'ORG_IMPORT_PARENT_CYCLE')) p.problems.push({ field: 'parent', code: 'ORG_IMPORT_PARENT_INVALID', params: { parent: parent.code } });
          continue;
        }
        parentPlace = parent.place;
        if (p.create && parent.create && p.create.openedOn < parent.create.openedOn) {
          p.problems.push({ field: 'openedOn', code: 'ORG_EVENT_BEFORE_CREATION', params: { unit: parent.code, date: p.create.openedOn } });
        }
      }
      if (parentPlace) deny(p, actor, 'org.unit.create', parentPlace, 'parent', p.parentCode);
      const id = -++standIn;
      p.place = { id, path: `${parentPlace?.path ?? '/'}${id}/` };
      if (p.groupsAdd.length > 0) deny(p, actor, 'org.group.manage', p.place, 'groups', p.code);
    }
    return plans;
  }

  /** A row about a unit in the tree: structure must agree; details and names may change. */
  #checkExisting(p: RowPlan, actor: Actor, today: string, byId: ReadonlyMap<number, OrgUnit>): void {
    const u = p.existing!;
    const v = p.raw.values;
    const codeOf = (id: number | null) => (id === null ? '' : (byId.get(id)?.code ?? ''));
    const structure: ReadonlyArray<[TreeColumn, string]> = [
      ['parent', codeOf(u.parentId)],
      ['type', u.typeCode],
      ['status', u.status],
      ['openedOn', u.openedOn],
      ['endedOn', u.endedOn ?? ''],
      ['mergedInto', codeOf(u.mergedIntoId)],
    ];
    for (const [column, stored] of structure) {
      const raw = v[column];
      if (raw === undefined) continue;
      const given = column === 'parent' || column === 'mergedInto' ? normaliseCode(raw) : raw.trim();
      const problem = structuralValueProblem(column, given, today);
      if (problem) p.problems.push(problem);
      else if (given !== stored) p.problems.push({ field: column, code: 'ORG_IMPORT_STRUCTURAL', params: { field: column, unit: u.code } });
    }

    const input: Record<string, unknown> = {};
    for (const k of DETAIL_KEYS) input[k] = v[k] ?? u[k];
    // A slug cannot be removed; an empty cell keeps it.
    if (v.slug === undefined || v.slug.trim() === '') input.slug = u.slug;
    if (v.nameVi !== undefined) input.nameVi = v.nameVi;
    if (v.nameEn !== undefined) input.nameEn = v.nameEn.trim() === '' ? (v.nameVi ?? u.nameVi) : v.nameEn;
    const { value, problems } = this.#org.checkEdit(input);
    p.problems.push(...problems.map(columnOf));
    if (value) {
      p.edit = value;
      p.changed = DETAIL_KEYS.some((k) => value.details[k] !== u[k]);
      p.renamed = (value.nameVi !== undefined && value.nameVi !== u.nameVi) || (value.nameEn !== undefined && value.nameEn !== u.nameEn);
    }
    const regrouped = p.groupsAdd.length + p.groupsRemove.length > 0;
    if (u.status !== 'active' && (p.changed || p.renamed || regrouped)) {
      p.problems.push({ field: 'code', code: 'ORG_UNIT_CLOSED', params: { unit: u.code, date: u.endedOn ?? '' } });
      return;
    }
    // The same permissions as `OrgService.update` and `setGroupMember` check, asked up front.
    const place = { id: u.id, path: u.path };
    if (p.changed || p.renamed) deny(p, actor, 'org.unit.edit', place, 'code', u.code);
    if (p.renamed) deny(p, actor, 'org.unit.reorganise', place, 'nameVi', u.code);
    if (regrouped) deny(p, actor, 'org.group.manage', place, 'groups', u.code);
  }

  /** A row about a new unit: checked as `OrgService.create` checks one; no structure beyond that. */
  #checkNew(p: RowPlan): void {
    const v = p.raw.values;
    const { value, problems } = this.#org.checkNewUnit({
      code: v.code,
      nameVi: v.nameVi,
      nameEn: v.nameEn,
      typeCode: v.type,
      openedOn: v.openedOn,
      slug: v.slug === undefined || v.slug.trim() === '' ? undefined : v.slug,
      address: v.address,
      phone: v.phone,
      email: v.email,
      website: v.website,
      openingHours: v.openingHours,
      latitude: v.latitude,
      longitude: v.longitude,
      descriptionVi: v.descriptionVi,
      descriptionEn: v.descriptionEn,
    });
    p.problems.push(...problems.map(columnOf));
    p.create = value;
    p.parentCode = normaliseCode(v.parent ?? '');
    const status = (v.status ?? '').trim();
    if (status !== '' && status !== 'active') p.problems.push({ field: 'status', code: 'ORG_IMPORT_STRUCTURAL', params: { field: 'status', unit: p.code } });
    for (const column of ['endedOn', 'mergedInto'] as const) {
      if ((v[column] ?? '').trim() !== '') p.problems.push({ field: column, code: 'ORG_IMPORT_STRUCTURAL', params: { field: column, unit: p.code } });
    }
  }

  /** Writes the valid rows: one replay of history plus every new event, then the units. */
  async #write(tx: Repos, actor: Actor, plans: readonly RowPlan[]): Promise<void> {
    const now = this.#clock.now();
    const today = this.#org.today();
    const creates = plans.filter((p) => p.create !== undefined);
    const updates = plans.filter((p) => p.existing !== undefined);
    // `plans` keeps the file order; creation needs parents first.
    const order = orderNewRows(creates);

    const batch: OrgEvent[] = [];
    for (const p of order) {
      const c = p.create!;
      const parentId = p.parentUnit?.id ?? p.parentRow?.place?.id ?? null;
      batch.push({ id: BATCH_EVENT_ID + batch.length, unitId: p.place!.id, kind: 'create', effectiveDate: c.openedOn, data: { code: c.code, nameVi: c.nameVi, nameEn: c.nameEn, typeCode: c.typeCode, parentId } });
    }
    for (const p of updates) {
      if (!p.renamed || !p.edit) continue;
      const u = p.existing!;
      const nameVi = p.edit.nameVi ?? u.nameVi;
      batch.push({ id: BATCH_EVENT_ID + batch.length, unitId: u.id, kind: 'rename', effectiveDate: today, data: { nameVi, nameEn: p.edit.nameEn ?? u.nameEn } });
    }
    replay([...(await tx.org.allEvents()), ...batch]);

    for (const p of order) {
      const parentId = p.parentUnit?.id ?? p.parentRow?.createdId ?? null;
      const unit = await this.#org.createWithin(tx, actor, { ...p.create!, slug: p.slug!, explicitSlug: true, parentId }, { now, replayed: true });
      p.createdId = unit.id;
      for (const g of p.groupsAdd) await this.#org.setGroupMemberWithin(tx, actor, g, unit.id, true, { now });
    }
    for (const p of updates) {
      const u = p.existing!;
      if ((p.changed || p.renamed) && p.edit) await this.#org.updateWithin(tx, actor, u.id, u.version, p.edit, { now, replayed: true });
      for (const g of p.groupsAdd) await this.#org.setGroupMemberWithin(tx, actor, g, u.id, true, { now });
      for (const g of p.groupsRemove) await this.#org.setGroupMemberWithin(tx, actor, g, u.id, false, { now });
    }
  }

  /** Refused rows are recorded in the audit log as one security event, after the import. */
  async #recordDenials(actor: Actor, plans: readonly RowPlan[]): Promise<void> {
    const denied = plans.flatMap((p) =>
      p.problems.filter((x) => x.code === 'PERMISSION_DENIED').map((x) => ({ row: p.raw.row, code: p.code, permission: String(x.params?.permission ?? ''), unit: String(x.params?.unit ?? '') })),
    );
    if (denied.length === 0) return;
    await this.#store.transaction((tx) =>
      audit(tx, actor, this.#clock.now(), {
        action: 'security.denied',
        unitId: null,
        targetType: 'permission',
        targetId: denied[0]?.permission ?? '',
        after: { code: 'PERMISSION_DENIED', import: true, count: denied.length, rows: denied.slice(0, 100) },
      }),
    );
  }
}

// -------------------------------------------------------------------- helpers

function csvValue(v: ExportedUnit[TreeColumn]): string {
  if (v === null) return '';
  if (Array.isArray(v)) return v.join(';');
  return String(v);
}

function toExported(
  u: Pick<OrgUnit, 'code' | 'parentId' | 'typeCode' | 'nameVi' | 'nameEn' | 'slug' | 'status' | 'openedOn' | 'endedOn' | 'mergedIntoId' | 'id'>,
  details: UnitDetails,
  codeOf: (id: number | null) => string | null,
  groups: ReadonlyMap<number, string[]>,
): ExportedUnit {
  return {
    code: u.code,
    parent: codeOf(u.parentId),
    type: u.typeCode,
    nameVi: u.nameVi,
    nameEn: u.nameEn,
    slug: u.slug,
    status: u.status,
    openedOn: u.openedOn,
    endedOn: u.endedOn,
    mergedInto: codeOf(u.mergedIntoId),
    address: details.address,
    phone: details.phone,
    email: details.email,
    website: details.website,
    openingHours: details.openingHours,
    latitude: details.latitude,
    longitude: details.longitude,
    descriptionVi: details.descriptionVi,
    descriptionEn: details.descriptionEn,
    groups: groups.get(u.id) ?? [],
  };
}

/** Group codes of every unit that belongs to a group, codes sorted. */
async function groupsByUnit(repos: Repos): Promise<Map<number, string[]>> {
  const out = new Map<number, string[]>();
  for (const g of await repos.org.listGroups()) {
    for (const unitId of await repos.org.groupMembers(g.id)) {
      const list = out.get(unitId);
      if (list) list.push(g.code);
      else out.set(unitId, [g.code]);
    }
  }
  for (const list of out.values()) list.sort();
  return out;
}

/**
 * Depth-first, parents before children, siblings by code. Items whose parent is not in the list
 * start trees of their own; items caught in a loop come last.
 */
function parentsFirst<T>(items: readonly T[], key: (t: T) => string, parentKey: (t: T) => string | null): T[] {
  const keys = new Set(items.map(key));
  const children = new Map<string | null, T[]>();
  for (const t of items) {
    const pk = parentKey(t);
    const k = pk !== null && keys.has(pk) && pk !== key(t) ? pk : null;
    const list = children.get(k);
    if (list) list.push(t);
    else children.set(k, [t]);
  }
  const byKey = (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
  for (const list of children.values()) list.sort(byKey);
  const out: T[] = [];
  const seen = new Set<T>();
  const stack = [...(children.get(null) ?? [])].reverse();
  while (stack.length > 0) {
    const t = stack.pop()!;
    if (seen.has(t)) continue;
    seen.add(t);
    out.push(t);
    const kids = children.get(key(t)) ?? [];
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!);
  }
  for (const t of items) if (!seen.has(t)) out.push(t);
  return out;
}

/**
 * Orders new rows so that a row whose parent is another new row comes after it. Rows in a loop of
 * parents get `ORG_IMPORT_PARENT_CYCLE` and come first; rows below a loop follow them.
 */
function orderNewRows(rows: readonly RowPlan[]): RowPlan[] {
  const inSet = new Set(rows);
  const state = new Map<RowPlan, 'walking' | 'done'>();
  const cycles: RowPlan[] = [];
  const rest: RowPlan[] = [];
  for (const start of rows) {
    if (state.has(start)) continue;
    // Walk up the chain of new parents until a row already placed, the tree, or a loop.
    const chain: RowPlan[] = [];
    let cur: RowPlan | undefined = start;
    while (cur && inSet.has(cur) && !state.has(cur)) {
      state.set(cur, 'walking');
      chain.push(cur);
      cur = cur.parentRow;
    }
    let upTo = chain.length;
    if (cur && state.get(cur) === 'walking') {
      const at = chain.indexOf(cur);
      for (const member of chain.slice(at)) {
        if (!member.problems.some((x) => x.code === 'ORG_IMPORT_PARENT_CYCLE')) {
          member.problems.push({ field: 'parent', code: 'ORG_IMPORT_PARENT_CYCLE', params: { unit: member.code, parent: member.parentCode } });
        }
        cycles.push(member);
        state.set(member, 'done');
      }
      upTo = at;
    }
    for (let i = upTo - 1; i >= 0; i--) {
      rest.push(chain[i]!);
      state.set(chain[i]!, 'done');
    }
  }
  return [...cycles, ...rest];
}

/** Marks every row sharing a value of `field` with another row. */
function flagDuplicates(plans: readonly RowPlan[], field: 'code' | 'slug', valueOf: (p: RowPlan) => string | undefined): void {
  const rowsBy = new Map<string, RowPlan[]>();
  for (const p of plans) {
    const v = valueOf(p);
    if (v === undefined) continue;
    const list = rowsBy.get(v);
    if (list) list.push(p);
    else rowsBy.set(v, [p]);
  }
  for (const [value, list] of rowsBy) {
    if (list.length < 2) continue;
    const rows = list.map((p) => p.raw.row).join(', ');
    for (const p of list) p.problems.push({ field, code: 'ORG_IMPORT_DUPLICATE', params: { value, rows } });
  }
}

/** The slug a row states, if it states one (normalised as the validators do). */
function explicitSlug(p: RowPlan): string | undefined {
  if (p.create) return p.create.explicitSlug ? p.create.slug : undefined;
  const raw = p.raw.values.slug;
  if (raw === undefined || raw.trim() === '' || !p.edit) return undefined;
  return p.edit.details.slug;
}

function checkGroups(p: RowPlan, known: ReadonlySet<string>, membership: ReadonlyMap<number, string[]>): void {
  const wanted = new Set<string>();
  for (const part of (p.raw.values.groups ?? '').split(';')) {
    const code = normaliseCode(part);
    if (code === '') continue;
    if (!known.has(code)) p.problems.push({ field: 'groups', code: 'ORG_GROUP_NOT_FOUND', params: { group: code } });
    else wanted.add(code);
  }
  const current = new Set(p.existing ? (membership.get(p.existing.id) ?? []) : []);
  p.groupsAdd = [...wanted].filter((g) => !current.has(g)).sort();
  p.groupsRemove = [...current].filter((g) => !wanted.has(g)).sort();
}

/** Adds `PERMISSION_DENIED` to the row unless the actor may do `permission` at `place`. */
function deny(p: RowPlan, actor: Actor, permission: Permission, place: UnitPlace, field: string, unit: string): void {
  if (!allows(actor.grants, permission, place)) p.problems.push({ field, code: 'PERMISSION_DENIED', params: { permission, unit } });
}

/** A value given for a structural column of an existing unit that cannot be right at all. */
function structuralValueProblem(column: TreeColumn, given: string, today: string): FieldProblem | undefined {
  if (given === '') return undefined;
  if (column === 'type' && !isUnitTypeCode(given)) return { field: 'type', code: 'ORG_TYPE_UNKNOWN', params: { type: given } };
  if (column === 'status' && !STATUSES.includes(given)) return { field: 'status', code: 'VALIDATION' };
  if (column === 'openedOn' || column === 'endedOn') {
    if (!isIsoDate(given)) return { field: column, code: 'ORG_DATE_INVALID', params: { date: given } };
    if (given > today) return { field: column, code: 'ORG_EVENT_IN_FUTURE', params: { date: given } };
  }
  return undefined;
}

/** Problems from the validators name fields as the domain does; the file's column is `type`. */
function columnOf(p: FieldProblem): FieldProblem {
  return p.field === 'typeCode' ? { ...p, field: 'type' } : p;
}

function summarise(plans: readonly RowPlan[]): Omit<ImportReport, 'written'> {
  const report: Omit<ImportReport, 'written'> = { rows: [], created: 0, updated: 0, unchanged: 0, errors: 0 };
  for (const p of plans) {
    let action: ImportRowReport['action'];
    if (p.problems.length > 0) action = 'error';
    else if (p.create) action = 'create';
    else if (p.changed || p.renamed || p.groupsAdd.length + p.groupsRemove.length > 0) action = 'update';
    else action = 'unchanged';
    report.rows.push({ row: p.raw.row, code: p.code, action, problems: p.problems });
    if (action === 'create') report.created++;
    else if (action === 'update') report.updated++;
    else if (action === 'unchanged') report.unchanged++;
    else report.errors++;
  }
  return report;
}

// -------------------------------------------------------------------- reading files

/** A file that cannot be read as rows: one error with every problem found, each with its line. */
function unreadable(problems: FieldProblem[]): AppError {
  const first = problems[0]?.params ?? {};
  const params: ErrorParams = { count: problems.length };
  if (first.line !== undefined) params.line = first.line;
  return new AppError('ORG_IMPORT_INVALID', params, problems);
}

/** UTF-8 text without a byte order mark; other encodings are refused with the line of the first bad byte. */
function decode(content: string | Buffer): string {
  if (typeof content === 'string') return content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    const lenient = new TextDecoder('utf-8').decode(content);
    const at = lenient.indexOf('\ufffd');
    const line = lenient.slice(0, Math.max(at, 0)).split('\n').length;
    throw unreadable([{ field: 'file', code: 'ORG_IMPORT_ENCODING', params: { line } }]);
  }
}

const COLUMN_BY_NAME = new Map<string, TreeColumn>(TREE_COLUMNS.map((c) => [c.toLowerCase(), c]));
const MAX_REPORTED = 50;

interface CsvRecord {
  record: string[];
  info: { lines: number; empty_lines: number };
}

/** Rows of a CSV file with a header row of `TREE_COLUMNS` names (any order, any subset with `code`). */
function readCsv(text: string): RawRow[] {
  let records: CsvRecord[];
  try {
    records = parseCsv(text, { info: true, relax_column_count: true, skip_empty_lines: true }) as unknown as CsvRecord[];
  } catch (e) {
    if (e instanceof CsvError) {
      // The record that failed starts right after the last good one (`bytes_records`, in UTF-8 bytes).
      const end = typeof e.bytes_records === 'number' ? e.bytes_records : 0;
      const line = Buffer.from(text, 'utf8').subarray(0, end).toString('utf8').split('\n').length;
      throw unreadable([{ field: 'file', code: 'ORG_IMPORT_SYNTAX', params: { line, format: 'CSV' } }]);
    }
    throw e;
  }
  const header = records[0];
  if (!header) throw unreadable([{ field: 'file', code: 'ORG_IMPORT_COLUMN_MISSING', params: { column: 'code', line: 1 } }]);
  const problems: FieldProblem[] = [];
  const columns: Array<TreeColumn | null> = [];
  const seen = new Set<TreeColumn>();
  header.record.forEach((name, i) => {
    const column = COLUMN_BY_NAME.get(name.trim().toLowerCase());
    if (column === undefined) {
      // A spreadsheet's trailing empty column is harmless; a named unknown one is a mistake.
      const empty = name.trim() === '' && records.every((r) => (r.record[i] ?? '').trim() === '');
      if (!empty) problems.push({ field: name, code: 'ORG_IMPORT_COLUMN_UNKNOWN', params: { column: name, line: 1 } });
      columns.push(null);
    } else if (seen.has(column)) {
      problems.push({ field: name, code: 'ORG_IMPORT_COLUMN_DUPLICATE', params: { column: name, line: 1 } });
      columns.push(null);
    } else {
      seen.add(column);
      columns.push(column);
    }
  });
  if (!seen.has('code') && problems.length === 0) problems.push({ field: 'file', code: 'ORG_IMPORT_COLUMN_MISSING', params: { column: 'code', line: 1 } });

  const rows: RawRow[] = [];
  let previous = header.info;
  for (let i = 1; i < records.length; i++) {
    const { record, info } = records[i]!;
    const line = previous.lines + 1 + (info.empty_lines - previous.empty_lines);
    previous = info;
    if (record.length !== columns.length) {
      if (problems.length < MAX_REPORTED) problems.push({ field: 'file', code: 'ORG_IMPORT_FIELD_COUNT', params: { line, found: record.length, expected: columns.length }, row: i });
      continue;
    }
    if (record.every((v) => v.trim() === '')) continue;
    const values: Partial<Record<TreeColumn, string>> = {};
    record.forEach((v, j) => {
      const column = columns[j];
      if (column) values[column] = v;
    });
    rows.push({ row: i, values, problems: [] });
  }
  if (problems.length > 0) throw unreadable(problems);
  return rows;
}

/** Rows of a JSON export (or a bare array of units in the same shape). */
function readJson(text: string): RawRow[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const line = text.slice(0, jsonErrorOffset(text, e)).split('\n').length;
    throw unreadable([{ field: 'file', code: 'ORG_IMPORT_SYNTAX', params: { line, format: 'JSON' } }]);
  }
  let units: unknown[];
  if (Array.isArray(doc)) units = doc;
  else if (isRecord(doc) && doc.format === TREE_FORMAT && doc.version === TREE_FORMAT_VERSION && Array.isArray(doc.units)) units = doc.units;
  else throw unreadable([{ field: 'file', code: 'ORG_IMPORT_NOT_TREE' }]);

  const unknown = new Map<string, number>();
  const rows = units.map((unit, i): RawRow => {
    const row = i + 1;
    const problems: FieldProblem[] = [];
    const values: Partial<Record<TreeColumn, string>> = {};
    if (!isRecord(unit)) {
      problems.push({ field: 'code', code: 'VALIDATION' });
      return { row, values, problems };
    }
    for (const [key, v] of Object.entries(unit)) {
      const column = COLUMN_BY_NAME.get(key.toLowerCase());
      if (column === undefined || column !== key) {
        if (!unknown.has(key)) unknown.set(key, row);
        continue;
      }
      if (v === null) values[column] = '';
      else if (typeof v === 'string') values[column] = v;
      else if (typeof v === 'number' && Number.isFinite(v)) values[column] = String(v);
      else if (column === 'groups' && Array.isArray(v) && v.every((g) => typeof g === 'string')) values[column] = v.join(';');
      else problems.push({ field: column, code: 'VALIDATION' });
    }
    return { row, values, problems };
  });
  if (unknown.size > 0) {
    throw unreadable([...unknown].slice(0, MAX_REPORTED).map(([column, row]) => ({ field: column, code: 'ORG_IMPORT_COLUMN_UNKNOWN' as const, params: { column }, row })));
  }
  return rows;
}

function errorPosition(e: unknown): number | undefined {
  const at = /position (\d+)/.exec(e instanceof Error ? e.message : '')?.[1];
  return at === undefined ? undefined : Number(at);
}

/**
 * Where `JSON.parse` found `text` wrong. Node 20 leaves the position out of some messages
 * ("Unexpected token ','"); then the shortest prefix that fails for another reason than ending
 * early is found by bisection (on the error path only).
 */
function jsonErrorOffset(text: string, error: unknown): number {
  const known = errorPosition(error);
  if (known !== undefined) return known;
  const endsEarly = (prefix: string): boolean => {
    try {
      JSON.parse(prefix);
      return true;
    } catch (e) {
      const at = errorPosition(e);
      return (e instanceof Error && e.message.includes('end of JSON input')) || (at !== undefined && at >= prefix.length);
    }
  };
  let lo = 0;
  let hi = text.length;
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (endsEarly(text.slice(0, mid))) lo = mid;
    else hi = mid;
  }
  return hi - 1;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
