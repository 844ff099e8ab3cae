/**
 * Use cases of the union catalogue: read a record with its holdings, catalogue a new record
 * (with a duplicate warning), edit, delete (leaving a tombstone), and manage the items a library
 * holds. Permissions follow the library tree:
 *
 * - `catalog.record.create` at a library: add records owned by it;
 * - `catalog.record.edit` at the owner: edit records that no library outside the actor's reach holds;
 * - `catalog.record.edit_shared` at the owner: edit any record it owns, whoever holds it;
 * - `catalog.item.manage` at an item's owning library: add, edit, withdraw its items.
 *
 * Every write lands with its audit entry in one transaction.
 */
import type { MarcRecord } from '../codecs/marc/record.js';
import { AppError } from '../domain/errors.js';
import { allows, type Permission } from '../domain/access/permissions.js';
import type { DerivedRecord } from '../domain/catalog/derive.js';
import { bestMatch, identifiersOf, lookupsOf, type IdentifierKind } from '../domain/catalog/identity.js';
import { validateMarc21, hasErrors, type RuleProblem } from '../domain/catalog/marc21-rules.js';
import { normaliseBarcode, validateItem, type ItemInput, type CheckedItem } from '../domain/catalog/items.js';
import type { Actor } from './actor.js';
import type { AuditEntry, Clock, ImportResult, ItemRow, Repos, Store, StoredItem, StoredRecord } from './ports.js';
import { audit } from './audit.js';
import { authorize, runWrite } from './guard.js';
import { parseStoredDerived, parseStoredMarc, prepareRecord } from './catalog-record.js';
import { localDate } from './org.service.js';

/** A record as pages and the API show it. */
export interface RecordView {
  record: StoredRecord;
  marc: MarcRecord;
  derived: DerivedRecord;
  items: StoredItem[];
}

export interface DuplicateCandidate {
  recordId: number;
  on: IdentifierKind;
  value: string;
  title: string;
}

/** A record refused by the MARC21 rules: the problems say where and why. */
export class RecordRejected extends AppError {
  readonly problems: readonly RuleProblem[];
  constructor(problems: readonly RuleProblem[]) {
    super('CATALOG_RECORD_INVALID', { count: problems.filter((p) => p.severity === 'error').length });
    this.problems = problems;
  }
}

/** A new record that matches one already in the catalogue. */
export class DuplicateFound extends AppError {
  readonly candidates: readonly DuplicateCandidate[];
  constructor(candidates: readonly DuplicateCandidate[]) {
    super('CATALOG_RECORD_DUPLICATE', { record: candidates[0]!.recordId, on: candidates[0]!.on });
    this.candidates = candidates;
  }
}

export interface HistoryEntry {
  at: string;
  who: string;
  action: string;
  detail: Record<string, unknown> | null;
  /** For audit entries: the entry id, for import results: `jobId:seq`. */
  ref: string;
}

/** The organisation code the union catalogue writes in 003 and matches its own numbers by. */
export const DEFAULT_MARC_ORG_CODE = 'LIENTHONG';

export class CatalogService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly orgCode: string;
  constructor(deps: { store: Store; clock: Clock; orgCode?: string }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.orgCode = deps.orgCode ?? DEFAULT_MARC_ORG_CODE;
  }

  // ------------------------------------------------------------------ reading

  async get(id: number, opts: { allowDeleted?: boolean } = {}): Promise<RecordView> {
    const record = await this.#store.catalog.getRecord(id);
    if (!record) throw new AppError('CATALOG_RECORD_NOT_FOUND', { record: id });
    if (record.status === 'deleted' && !opts.allowDeleted) throw new AppError('CATALOG_RECORD_DELETED', { record: id, date: (record.deletedAt ?? '').slice(0, 10) });
    return { record, marc: parseStoredMarc(record), derived: parseStoredDerived(record), items: await this.#store.catalog.itemsOfRecord(id) };
  }

  async getItem(id: number): Promise<StoredItem> {
    const item = await this.#store.catalog.getItem(id);
    if (!item) throw new AppError('CATALOG_ITEM_NOT_FOUND', { item: id });
    return item;
  }

  async getItemByBarcode(barcode: string): Promise<StoredItem> {
    // Normalised as items are stored, so a barcode typed with spaces or in lower case is found.
    const item = await this.#store.catalog.getItemByBarcode(normaliseBarcode(barcode));
    if (!item) throw new AppError('CATALOG_ITEM_NOT_FOUND', { item: barcode });
    return item;
  }

  list(f: Parameters<Store['catalog']['listRecords']>[0]): Promise<StoredRecord[]> {
    return this.#store.catalog.listRecords(f);
  }

  count(): Promise<number> {
    return this.#store.catalog.countRecords();
  }

  /** Checks a record against the MARC21 rules without saving it (the editor's "check"). */
  check(marc: MarcRecord): RuleProblem[] {
    return validateMarc21(marc);
  }

  /** Records already in the catalogue that this one matches, best match first. */
  async findDuplicates(marc: MarcRecord, exceptId?: number): Promise<DuplicateCandidate[]> {
    return this.#duplicates(this.#store, marc, exceptId);
  }

  async #duplicates(repos: Repos, marc: MarcRecord, exceptId?: number): Promise<DuplicateCandidate[]> {
    const prepared = prepareRecord(marc);
    const hits = (await repos.catalog.findByIdentifiers(lookupsOf(prepared.identifiers))).filter((h) => h.recordId !== exceptId);
    const out: DuplicateCandidate[] = [];
    let remaining = hits;
    while (remaining.length > 0 && out.length < 5) {
      const m = bestMatch(prepared.identifiers, remaining);
      if (!m) break;
      const r = await repos.catalog.getRecord(m.recordId);
      if (r) out.push({ recordId: m.recordId, on: m.on, value: m.value, title: r.title });
      remaining = remaining.filter((h) => h.recordId !== m.recordId);
    }
    return out;
  }

  /** May the actor edit this record (see the module comment)? */
  async canEdit(actor: Actor, record: StoredRecord): Promise<boolean> {
    return this.#canEdit(this.#store, actor, record);
  }

  async #canEdit(repos: Repos, actor: Actor, record: StoredRecord): Promise<boolean> {
    const owner = await repos.org.place(record.ownerUnitId);
    if (!owner) return false;
    if (allows(actor.grants, 'catalog.record.edit_shared', owner)) return true;
    if (!allows(actor.grants, 'catalog.record.edit', owner)) return false;
    for (const holder of await repos.catalog.holderUnitIds(record.id)) {
      const place = await repos.org.place(holder);
      if (!place || !allows(actor.grants, 'catalog.record.edit', place)) return false;
    }
    return true;
  }

  async #authorizeEdit(repos: Repos, actor: Actor, record: StoredRecord): Promise<void> {
    if (!(await this.#canEdit(repos, actor, record))) {
      throw new AppError('PERMISSION_DENIED', { permission: 'catalog.record.edit_shared' satisfies Permission, unit: record.ownerUnitId });
    }
  }

  /** A record's story: audit entries about it and the imports that created or touched it. */
  async history(id: number): Promise<HistoryEntry[]> {
    const entries: AuditEntry[] = [...(await this.#store.audit.list({ target: { type: 'record', ids: [String(id)] }, limit: 1000 }))];
    const itemIds = (await this.#store.catalog.itemsOfRecord(id)).map((i) => String(i.id));
    if (itemIds.length > 0) entries.push(...(await this.#store.audit.list({ target: { type: 'item', ids: itemIds }, limit: 1000 })));
    const imports: ImportResult[] = await this.#store.jobs.resultsOfRecord(id);
    const out: HistoryEntry[] = entries.map((e) => ({ at: e.at, who: e.actorLabel, action: e.action, detail: (e.after ?? e.before) as Record<string, unknown> | null, ref: String(e.id) }));
    for (const r of imports) {
      const job = await this.#store.jobs.get(r.jobId);
      out.push({ at: job?.startedAt ?? job?.createdAt ?? '', who: job?.actorLabel ?? '', action: `catalog.import.${r.outcome}`, detail: { job: r.jobId, seq: r.seq, matchedOn: r.matchedOn, itemsAdded: r.itemsAdded }, ref: `${r.jobId}:${r.seq}` });
    }
    return out.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  }

  // ------------------------------------------------------------------ records

  /**
   * Catalogues a new record owned by `unitId`. Refuses records that break MARC21 rules
   * (`RecordRejected`) and, unless `allowDuplicate`, records matching one already in the
   * catalogue (`DuplicateFound`, with the candidates).
   */
  async create(actor: Actor, input: { marc: MarcRecord; unitId: number; allowDuplicate?: boolean; source?: string }): Promise<{ record: StoredRecord; warnings: RuleProblem[] }> {
    const problems = validateMarc21(input.marc);
    if (hasErrors(problems)) throw new RecordRejected(problems);
    return runWrite(this.#store, this.#clock, actor, async (tx) => {
      await authorize(tx, actor, 'catalog.record.create', input.unitId);
      if (!input.allowDuplicate) {
        const dups = await this.#duplicates(tx, input.marc);
        if (dups.length > 0) throw new DuplicateFound(dups);
      }
      const now = this.#clock.now();
      const prepared = prepareRecord(input.marc);
      const [id] = await tx.catalog.insertRecords([{ ...prepared.content, ownerUnitId: input.unitId, source: input.source ?? 'manual', createdBy: actor.userId }], now.toISOString());
      await tx.catalog.setIdentifiers(id!, identifiersOf(prepared.derived, { orgCode: this.orgCode, id: id! }));
      await audit(tx, actor, now, { action: 'catalog.record.create', unitId: input.unitId, targetType: 'record', targetId: id!, after: { title: prepared.content.title, marc: prepared.marc } });
      const record = (await tx.catalog.getRecord(id!))!;
      return { record, warnings: problems };
    });
  }

  /** Replaces a record's MARC, if `version` is still current. */
  async update(actor: Actor, id: number, input: { marc: MarcRecord; version: number }): Promise<{ record: StoredRecord; warnings: RuleProblem[] }> {
    const problems = validateMarc21(input.marc);
    if (hasErrors(problems)) throw new RecordRejected(problems);
    return runWrite(this.#store, this.#clock, actor, async (tx) => {
      const before = await tx.catalog.getRecord(id);
      if (!before) throw new AppError('CATALOG_RECORD_NOT_FOUND', { record: id });
      if (before.status === 'deleted') throw new AppError('CATALOG_RECORD_DELETED', { record: id, date: (before.deletedAt ?? '').slice(0, 10) });
      await this.#authorizeEdit(tx, actor, before);
      const now = this.#clock.now();
      const prepared = prepareRecord(input.marc);
      if (!(await tx.catalog.updateRecord(id, prepared.content, actor.userId, now.toISOString(), input.version))) throw new AppError('CATALOG_STALE_VERSION', { record: id });
      // Numbers the record was known by stay findable, so re-imports still match it.
      const old = identifiersOf(parseStoredDerived(before)).filter((i) => i.kind === 'ctrl' || i.kind === 'sysno');
      await tx.catalog.setIdentifiers(id, [...identifiersOf(prepared.derived, { orgCode: this.orgCode, id }), ...old]);
      await audit(tx, actor, now, { action: 'catalog.record.update', unitId: before.ownerUnitId, targetType: 'record', targetId: id, before: { title: before.title, marc: parseStoredMarc(before) }, after: { title: prepared.content.title, marc: prepared.marc } });
      return { record: (await tx.catalog.getRecord(id))!, warnings: problems };
    });
  }

  /** Deletes a record without live items, leaving a tombstone with its date. */
  async delete(actor: Actor, id: number, opts: { version?: number } = {}): Promise<void> {
    await runWrite(this.#store, this.#clock, actor, async (tx) => {
      const before = await tx.catalog.getRecord(id);
      if (!before) throw new AppError('CATALOG_RECORD_NOT_FOUND', { record: id });
      if (before.status === 'deleted') throw new AppError('CATALOG_RECORD_DELETED', { record: id, date: (before.deletedAt ?? '').slice(0, 10) });
      if (opts.version !== undefined && opts.version !== before.version) throw new AppError('CATALOG_STALE_VERSION', { record: id });
      await this.#authorizeEdit(tx, actor, before);
      const live = (await tx.catalog.itemsOfRecord(id)).filter((i) => i.status !== 'withdrawn');
      if (live.length > 0) throw new AppError('CATALOG_RECORD_HAS_ITEMS', { record: id, count: live.length });
      const now = this.#clock.now();
      await tx.catalog.markDeleted(id, actor.userId, now.toISOString());
      await audit(tx, actor, now, { action: 'catalog.record.delete', unitId: before.ownerUnitId, targetType: 'record', targetId: id, before: { title: before.title, marc: parseStoredMarc(before) } });
    });
  }

  // ------------------------------------------------------------------ items

  #checkItem(input: ItemInput): CheckedItem {
    const r = validateItem(input, { today: localDate(this.#clock.now()) });
    if (!r.ok) {
      throw new AppError(
        'CATALOG_ITEM_INVALID',
        {},
        r.problems.map((p) => ({ field: p.field, code: 'CATALOG_ITEM_INVALID' as const, params: { rule: `catalog.item.${p.code}`, ...(p.params as Record<string, string | number>) } })),
      );
    }
    return r.value;
  }

  async #unitId(repos: Repos, code: string | undefined, fallback: number): Promise<number> {
    if (!code) return fallback;
    const u = await repos.org.getByCode(code.trim().toUpperCase());
    if (!u) throw new AppError('ORG_UNIT_NOT_FOUND', { unit: code });
    return u.id;
  }

  #row(c: CheckedItem, ownerUnitId: number, locationUnitId: number): ItemRow {
    return {
      barcode: c.barcode,
      ownerUnitId,
      locationUnitId,
      shelvingLocation: c.shelvingLocation ?? null,
      callNumber: c.callNumber ?? null,
      callScheme: c.callNumber ? c.callScheme : null,
      shelfKey: c.callNumber ? c.shelfKey : null,
      itemType: c.itemType ?? null,
      status: c.status,
      price: c.price ?? null,
      currency: c.price === null || c.price === undefined ? null : (c.currency ?? 'VND'),
      acquiredOn: c.acquiredOn ?? null,
      copyNumber: c.copyNumber ?? null,
      publicNote: c.publicNote ?? null,
      staffNote: c.staffNote ?? null,
    };
  }

  /** Adds an item to a record, owned by `ownerUnitCode` (or `unitId`). */
  async addItem(actor: Actor, recordId: number, input: ItemInput & { unitId?: number }): Promise<StoredItem> {
    const checked = this.#checkItem(input);
    return runWrite(this.#store, this.#clock, actor, async (tx) => {
      const record = await tx.catalog.getRecord(recordId);
      if (!record) throw new AppError('CATALOG_RECORD_NOT_FOUND', { record: recordId });
      if (record.status === 'deleted') throw new AppError('CATALOG_RECORD_DELETED', { record: recordId, date: (record.deletedAt ?? '').slice(0, 10) });
      const owner = input.unitId ?? (await this.#unitId(tx, input.ownerUnitCode, 0));
      if (!owner) throw new AppError('VALIDATION', {}, [{ field: 'ownerUnitCode', code: 'VALIDATION' }]);
      await authorize(tx, actor, 'catalog.item.manage', owner);
      const location = await this.#unitId(tx, input.locationUnitCode, owner);
      if ((await tx.catalog.barcodesTaken([checked.barcode])).size > 0) throw new AppError('CATALOG_BARCODE_TAKEN', { barcode: checked.barcode });
      const now = this.#clock.now();
      const row = this.#row(checked, owner, location);
      if (!row.callNumber && record.callNumber) {
        row.callNumber = record.callNumber;
        const derived = parseStoredDerived(record);
        row.callScheme = derived.callNumber?.scheme ?? null;
        row.shelfKey = derived.callNumber?.shelfKey ?? null;
      }
      const [id] = await tx.catalog.insertItems([{ ...row, recordId, source: 'manual' }], now.toISOString());
      await audit(tx, actor, now, { action: 'catalog.item.create', unitId: owner, targetType: 'item', targetId: id!, after: { recordId, ...row } });
      return (await tx.catalog.getItem(id!))!;
    });
  }

  /** Edits an item; moving it to another owner needs the permission at both. */
  async updateItem(actor: Actor, itemId: number, input: ItemInput & { version: number }): Promise<StoredItem> {
    const checked = this.#checkItem(input);
    return runWrite(this.#store, this.#clock, actor, async (tx) => {
      const before = await tx.catalog.getItem(itemId);
      if (!before) throw new AppError('CATALOG_ITEM_NOT_FOUND', { item: itemId });
      await authorize(tx, actor, 'catalog.item.manage', before.ownerUnitId);
      const owner = await this.#unitId(tx, input.ownerUnitCode, before.ownerUnitId);
      if (owner !== before.ownerUnitId) await authorize(tx, actor, 'catalog.item.manage', owner);
      const location = await this.#unitId(tx, input.locationUnitCode, before.locationUnitId);
      if (checked.barcode !== before.barcode && (await tx.catalog.barcodesTaken([checked.barcode])).size > 0) throw new AppError('CATALOG_BARCODE_TAKEN', { barcode: checked.barcode });
      const now = this.#clock.now();
      const row = this.#row(checked, owner, location);
      if (!(await tx.catalog.updateItem(itemId, row, now.toISOString(), input.version))) throw new AppError('CATALOG_STALE_VERSION', { item: itemId });
      if (row.status === 'withdrawn' && before.status !== 'withdrawn') await tx.catalog.setItemStatus(itemId, 'withdrawn', now.toISOString(), now.toISOString());
      if (row.status !== 'withdrawn' && before.status === 'withdrawn') await tx.catalog.setItemStatus(itemId, row.status, now.toISOString(), null);
      const { id: _i, version: _v, createdAt: _c, updatedAt: _u, ownerUnitCode: _o, locationUnitCode: _l, ...beforeRow } = before;
      await audit(tx, actor, now, { action: 'catalog.item.update', unitId: owner, targetType: 'item', targetId: itemId, before: beforeRow, after: { recordId: before.recordId, ...row } });
      return (await tx.catalog.getItem(itemId))!;
    });
  }

  /** Withdraws an item (weeded, lost for good): it stays on record with its date. */
  async withdrawItem(actor: Actor, itemId: number, opts: { reason?: string } = {}): Promise<StoredItem> {
    return runWrite(this.#store, this.#clock, actor, async (tx) => {
      const before = await tx.catalog.getItem(itemId);
      if (!before) throw new AppError('CATALOG_ITEM_NOT_FOUND', { item: itemId });
      await authorize(tx, actor, 'catalog.item.manage', before.ownerUnitId);
      if (before.status === 'withdrawn') return before;
      const now = this.#clock.now();
      await tx.catalog.setItemStatus(itemId, 'withdrawn', now.toISOString(), now.toISOString());
      await audit(tx, actor, now, { action: 'catalog.item.withdraw', unitId: before.ownerUnitId, targetType: 'item', targetId: itemId, before: { status: before.status }, after: { recordId: before.recordId, status: 'withdrawn', reason: opts.reason ?? null } });
      return (await tx.catalog.getItem(itemId))!;
    });
  }
}
