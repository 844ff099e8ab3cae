/**
 * The digital library's use cases: describing objects, storing their files, moving them through
 * the digitisation workflow, collections, targets and progress, and who may see what.
 *
 * A standalone object (described only by Dublin Core) gets a catalogue record built from its
 * Dublin Core, so it is searched, faceted and harvested with the printed collection; the record
 * follows the Dublin Core whenever it changes. An object linked to an existing record leaves that
 * record alone.
 */
import { basename } from 'node:path';
import { rm } from 'node:fs/promises';
import { AppError, type ErrorCode } from '../../domain/errors.js';
import { allows, type Permission } from '../../domain/access/permissions.js';
import {
  checkTransition,
  DIGITISATION_TARGET,
  isAccessLevel,
  isOcrLanguageSet,
  isPlanCategory,
  LICENCES,
  normaliseDc,
  parseLicence,
  PLAN_CATEGORIES,
  type DublinCore,
  type PlanCategory,
  type WorkflowState,
} from '../../domain/digital/object.js';
import { decideAccess, indexable, type AccessDecision, type Viewer } from '../../domain/digital/rights.js';
import { ipInRanges, parseIpRanges } from '../../domain/digital/ip-range.js';
import { dcToMarc } from '../../domain/digital/dc-marc.js';
import { prepareRecord } from '../catalog-record.js';
import { identifiersOf } from '../../domain/catalog/identity.js';
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import { authorize, runWrite } from '../guard.js';
import type { StaffUser, Clock, DigitalCollection, DigitalFile, DigitalObjectFields, DigitalObjectFilter, DigitalPage, Repos, Store, StoredDigitalObject } from '../ports.js';
import { MediaError, type BlobStore, type ImageTools, type MediaLimits, type PdfTools } from './media.js';
import type { OrgUnit } from '../../domain/org/unit.js';

export const DIGITAL_PROCESS_JOB = 'digital.process';

/** What staff fill in for an object; everything but the owner and a title (DC or record) is optional. */
export interface ObjectInput {
  ownerUnitId: number;
  recordId?: number | null;
  dc?: Record<string, readonly string[] | string | undefined>;
  category?: string;
  access?: string;
  embargoUntil?: string | null;
  licence?: string;
  downloadable?: boolean;
  watermark?: boolean;
  ocrLanguages?: string;
  forceOcr?: boolean;
  state?: WorkflowState;
  collectionIds?: readonly number[];
}

export interface ViewerContext {
  actor: Actor | null;
  /** A signed-in reader (readers' accounts come with the portal). */
  reader: boolean;
  ip: string | null;
}

export interface TransitionResult {
  objectId: number;
  ok: boolean;
  code?: ErrorCode;
  params?: Record<string, string | number>;
}

export interface ProgressRow {
  unitId: number;
  category: PlanCategory;
  held: number;
  published: number;
  /** published ÷ held, or null when nothing is declared. */
  share: number | null;
  /** Objects still to publish to reach the plan's 70%. */
  toTarget: number;
}

export interface DigitalDeps {
  store: Store;
  clock: Clock;
  blobs: BlobStore;
  images: ImageTools;
  pdf: PdfTools;
  limits: MediaLimits;
  orgCode: string;
  /** The public address of a path (for the record's 856 link). */
  publicUrl: (path: string) => string;
  /** Called after a processing job is queued, so an in-process runner starts at once. */
  kick?: () => void;
}

const today = (d: Date) => d.toISOString().slice(0, 10);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The AppError a media adapter's refusal becomes, naming the file. */
export function mediaProblem(e: unknown, name: string): AppError | undefined {
  if (!(e instanceof MediaError)) return undefined;
  return new AppError(e.code, { name, detail: '', width: '', height: '', limit: '', pages: '', page: '', ...e.params });
}

export class DigitalService {
  readonly #d: DigitalDeps;
  constructor(deps: DigitalDeps) {
    this.#d = deps;
  }

  get limits(): MediaLimits {
    return this.#d.limits;
  }

  // ------------------------------------------------------------------ reading

  async get(id: number): Promise<StoredDigitalObject> {
    const o = await this.#d.store.digital.getObject(id);
    if (!o) throw new AppError('DIGITAL_OBJECT_NOT_FOUND', { object: id });
    if (o.status === 'deleted') throw new AppError('DIGITAL_OBJECT_DELETED', { object: id, date: (o.deletedAt ?? '').slice(0, 10) });
    return o;
  }

  pages(objectId: number): Promise<DigitalPage[]> {
    return this.#d.store.digital.pagesOf(objectId);
  }

  async page(objectId: number, seq: number): Promise<DigitalPage> {
    const p = await this.#d.store.digital.getPage(objectId, seq);
    if (!p) throw new AppError('DIGITAL_PAGE_NOT_FOUND', { object: objectId, page: seq });
    return p;
  }

  files(objectId: number): Promise<DigitalFile[]> {
    return this.#d.store.digital.filesOf(objectId);
  }

  words(pageId: number) {
    return this.#d.store.digital.pageWords(pageId);
  }

  collectionsOf(objectId: number): Promise<DigitalCollection[]> {
    return this.#d.store.digital.collectionsOf(objectId);
  }

  objectsOfRecords(recordIds: readonly number[]): Promise<StoredDigitalObject[]> {
    return this.#d.store.digital.objectsOfRecords(recordIds);
  }

  blobPath(sha256: string): string {
    return this.#d.blobs.pathOf(sha256);
  }

  /** A temporary path inside the file store (uploads in progress, ingest folders): finishing is a rename. */
  tempPath(suffix?: string): string {
    return this.#d.blobs.tempPath(suffix);
  }

  hashFile(path: string): Promise<{ sha256: string; size: number }> {
    return this.#d.blobs.hashFile(path);
  }

  /**
   * Staff the actor may assign digitisation work to: active accounts holding
   * `digital.object.manage` at some library the actor manages too. Unlike the staff list, this
   * needs no `staff.user.view`: a digitiser assigns work to colleagues.
   */
  async assignees(actor: Actor): Promise<StaffUser[]> {
    const reach = (await this.unitsWhere(actor, 'digital.object.manage')).map((u) => ({ id: u.id, path: u.path }));
    if (reach.length === 0) return [];
    const out: StaffUser[] = [];
    for (const u of await this.#d.store.staff.list({ limit: 5000 })) {
      if (u.status !== 'active') continue;
      const grants = await this.#d.store.staff.effectiveGrants(u.id);
      if (reach.some((place) => allows(grants, 'digital.object.manage', place))) out.push(u);
    }
    return out;
  }

  /** Units where the actor holds `permission` (for lists and unit pickers). */
  async unitsWhere(actor: Actor, permission: Permission): Promise<OrgUnit[]> {
    const units = await this.#d.store.org.list();
    return units.filter((u) => u.status === 'active' && allows(actor.grants, permission, { id: u.id, path: u.path }));
  }

  /** Objects the actor may manage, newest first. */
  async list(actor: Actor, f: Omit<DigitalObjectFilter, 'unitIds'> & { unitIds?: readonly number[] }): Promise<StoredDigitalObject[]> {
    const reach = new Set((await this.unitsWhere(actor, 'digital.object.manage')).map((u) => u.id));
    const unitIds = f.unitIds ? f.unitIds.filter((id) => reach.has(id)) : [...reach];
    return this.#d.store.digital.listObjects({ ...f, unitIds });
  }

  async count(actor: Actor, f: Omit<DigitalObjectFilter, 'unitIds' | 'limit' | 'beforeId'> & { unitIds?: readonly number[] }): Promise<number> {
    const reach = new Set((await this.unitsWhere(actor, 'digital.object.manage')).map((u) => u.id));
    const unitIds = f.unitIds ? f.unitIds.filter((id) => reach.has(id)) : [...reach];
    return this.#d.store.digital.countObjects({ ...f, unitIds });
  }

  /** Published objects for the public (a collection's or a library's list). */
  publicList(f: Omit<DigitalObjectFilter, 'states'>): Promise<StoredDigitalObject[]> {
    return this.#d.store.digital.listObjects({ ...f, states: ['published'] });
  }

  // ------------------------------------------------------------------ access

  /** Whether the actor is staff reaching the object's library (sees unpublished and restricted objects). */
  async isStaffFor(actor: Actor | null, o: StoredDigitalObject): Promise<boolean> {
    if (!actor) return false;
    const place = await this.#d.store.org.place(o.ownerUnitId);
    return !!place && allows(actor.grants, 'digital.object.manage', place);
  }

  /** Whether an address counts as on site for the object's library: its own ranges or those of a unit under it. */
  async isOnsite(ip: string | null, o: StoredDigitalObject): Promise<boolean> {
    if (!ip) return false;
    const units = await this.#d.store.org.list();
    const owner = units.find((u) => u.id === o.ownerUnitId);
    if (!owner) return false;
    const under = units.filter((u) => u.path.startsWith(owner.path));
    const stored = await this.#d.store.org.settingsAt(under.map((u) => u.id));
    // Ranges are inherited down the tree: the owner's own (or inherited) ranges count too.
    const ancestors = owner.path.split('/').filter(Boolean).map(Number);
    const inherited = await this.#d.store.org.settingsAt(ancestors);
    const texts: string[] = [];
    for (const id of [...ancestors, ...under.map((u) => u.id)]) {
      const v = (stored.get(id) ?? inherited.get(id))?.get('digital.onsite_ip_ranges');
      if (typeof v === 'string' && v) texts.push(v);
    }
    const { ranges } = parseIpRanges(texts.join(','));
    return ipInRanges(ip, ranges);
  }

  async viewerFor(ctx: ViewerContext, o: StoredDigitalObject): Promise<Viewer> {
    const staff = await this.isStaffFor(ctx.actor, o);
    const onsite = o.access === 'onsite' && !staff ? await this.isOnsite(ctx.ip, o) : false;
    return { staff, registered: staff || ctx.reader || !!ctx.actor, onsite };
  }

  async decide(ctx: ViewerContext, o: StoredDigitalObject): Promise<AccessDecision> {
    return decideAccess(rightsOf(o), await this.viewerFor(ctx, o), today(this.#d.clock.now()));
  }

  /** The object if the viewer may see it; otherwise the refusal as an error (404 for unpublished, so drafts stay unseen). */
  async viewable(ctx: ViewerContext, id: number): Promise<{ object: StoredDigitalObject; access: AccessDecision }> {
    const object = await this.get(id);
    const access = await this.decide(ctx, object);
    if (!access.view) throw refusal(object, access);
    return { object, access };
  }

  // ------------------------------------------------------------------ writing objects

  async create(actor: Actor, input: ObjectInput & { source?: string }): Promise<StoredDigitalObject> {
    const now = this.#d.clock.now();
    const fields = await this.#fields(input, undefined);
    return runWrite(this.#d.store, this.#d.clock, actor, async (tx) => {
      await authorize(tx, actor, 'digital.object.manage', input.ownerUnitId);
      if (fields.state === 'published') await authorize(tx, actor, 'digital.object.publish', input.ownerUnitId);
      const collections = await this.#checkCollections(tx, input.collectionIds ?? []);
      let recordId = fields.recordId;
      if (recordId !== null) {
        const rec = await tx.catalog.getRecord(recordId);
        if (!rec || rec.status !== 'active') throw new AppError('CATALOG_RECORD_NOT_FOUND', { record: recordId });
      }
      const id = await tx.digital.insertObject({ ...fields, source: input.source ?? 'manual', createdBy: actor.userId }, now.toISOString());
      if (recordId === null) {
        recordId = await this.#writeRecord(tx, actor, id, fields, null);
        await tx.digital.updateObject(id, { recordId }, actor.userId, now.toISOString());
      }
      await tx.digital.setObjectCollections(id, collections);
      tx.search.markDirty([recordId]);
      await audit(tx, actor, now, { action: 'digital.object.create', unitId: input.ownerUnitId, targetType: 'digital_object', targetId: id, after: { ...fields, recordId, collections } });
      return (await tx.digital.getObject(id))!;
    });
  }

  async update(actor: Actor, id: number, input: Partial<ObjectInput> & { version: number }): Promise<StoredDigitalObject> {
    const before = await this.get(id);
    const fields = await this.#fields({ ...input, ownerUnitId: input.ownerUnitId ?? before.ownerUnitId }, before);
    const now = this.#d.clock.now();
    const result = await runWrite(this.#d.store, this.#d.clock, actor, async (tx) => {
      await authorize(tx, actor, 'digital.object.manage', before.ownerUnitId);
      if (fields.ownerUnitId !== before.ownerUnitId) await authorize(tx, actor, 'digital.object.manage', fields.ownerUnitId);
      const collections = input.collectionIds ? await this.#checkCollections(tx, input.collectionIds) : undefined;
      // State changes go through `transition`, so the workflow's rules and permissions hold.
      const { state: _state, stateReason: _reason, ...patch } = fields;
      if (!(await tx.digital.updateObject(id, patch, actor.userId, now.toISOString(), input.version))) throw new AppError('DIGITAL_STALE_VERSION', { object: id });
      const standalone = await this.#standaloneRecord(tx, before);
      if (standalone) await this.#writeRecord(tx, actor, id, { ...fields, state: before.state }, standalone);
      if (collections) await tx.digital.setObjectCollections(id, collections);
      if (before.recordId) tx.search.markDirty([before.recordId]);
      await audit(tx, actor, now, { action: 'digital.object.update', unitId: before.ownerUnitId, targetType: 'digital_object', targetId: id, before: pick(before), after: { ...patch, collections } });
      return (await tx.digital.getObject(id))!;
    });
    await this.syncFullText(result.id);
    return result;
  }

  async delete(actor: Actor, id: number, version?: number): Promise<void> {
    const before = await this.get(id);
    if (version !== undefined && version !== before.version) throw new AppError('DIGITAL_STALE_VERSION', { object: id });
    const now = this.#d.clock.now();
    await runWrite(this.#d.store, this.#d.clock, actor, async (tx) => {
      await authorize(tx, actor, 'digital.object.manage', before.ownerUnitId);
      if (before.state === 'published') await authorize(tx, actor, 'digital.object.publish', before.ownerUnitId);
      await tx.digital.markObjectDeleted(id, actor.userId, now.toISOString());
      const standalone = await this.#standaloneRecord(tx, before);
      if (standalone) await tx.catalog.markDeleted(standalone, actor.userId, now.toISOString());
      if (before.recordId) {
        await tx.search.setPages(before.recordId, []);
        tx.search.markDirty([before.recordId]);
      }
      await audit(tx, actor, now, { action: 'digital.object.delete', unitId: before.ownerUnitId, targetType: 'digital_object', targetId: id, before: pick(before) });
    });
  }

  /** The record made for a standalone object, if this object has one (and not a catalogue record it was linked to). */
  async #standaloneRecord(tx: Repos, o: StoredDigitalObject): Promise<number | null> {
    if (!o.recordId) return null;
    const rec = await tx.catalog.getRecord(o.recordId);
    return rec && rec.source === `digital:${o.id}` && rec.status === 'active' ? rec.id : null;
  }

  async #writeRecord(tx: Repos, actor: Actor, objectId: number, f: DigitalObjectFields, existing: number | null): Promise<number> {
    const now = this.#d.clock.now();
    const lic = LICENCES[f.licence];
    const marc = dcToMarc(f.dc, { today: today(now), orgCode: this.#d.orgCode, objectUrl: this.#d.publicUrl(`/digital/${objectId}`), rights: { label: lic.label, uri: lic.uri } });
    const prepared = prepareRecord(marc);
    if (existing !== null) {
      await tx.catalog.updateRecord(existing, prepared.content, actor.userId, now.toISOString());
      await tx.catalog.setIdentifiers(existing, identifiersOf(prepared.derived, { orgCode: this.#d.orgCode, id: existing }));
      return existing;
    }
    const [id] = await tx.catalog.insertRecords([{ ...prepared.content, ownerUnitId: f.ownerUnitId, source: `digital:${objectId}`, createdBy: actor.userId }], now.toISOString());
    await tx.catalog.setIdentifiers(id!, identifiersOf(prepared.derived, { orgCode: this.#d.orgCode, id: id! }));
    return id!;
  }

  async #checkCollections(tx: Repos, ids: readonly number[]): Promise<number[]> {
    const out: number[] = [];
    for (const id of new Set(ids)) {
      if (!(await tx.digital.getCollection(id))) throw new AppError('DIGITAL_COLLECTION_NOT_FOUND', { collection: id });
      out.push(id);
    }
    return out;
  }

  /** Checks and normalises what staff typed; every problem is named in both languages. */
  async #fields(input: ObjectInput, before: StoredDigitalObject | undefined): Promise<DigitalObjectFields> {
    const bad = (reason: string) => new AppError('DIGITAL_INVALID', { reason });
    const dc = input.dc !== undefined ? normaliseDc(input.dc) : (before?.dc ?? {});
    const recordId = input.recordId !== undefined ? input.recordId : (before?.recordId ?? null);
    let title = dc.title?.[0];
    const linked = recordId !== null && (!before || !before.recordId || recordId !== before.recordId || !(await this.#isStandalone(before)));
    if (linked && recordId !== null) {
      const rec = await this.#d.store.catalog.getRecord(recordId);
      if (!rec || rec.status !== 'active') throw new AppError('CATALOG_RECORD_NOT_FOUND', { record: recordId });
      title ??= rec.title;
    }
    if (!title) throw bad('title');
    const category = input.category ?? before?.category ?? 'other';
    if (!isPlanCategory(category)) throw bad(`category=${category}`);
    const access = input.access ?? before?.access ?? 'public';
    if (!isAccessLevel(access)) throw bad(`access=${access}`);
    const licence = input.licence !== undefined ? parseLicence(input.licence) : (before?.licence ?? 'in-copyright');
    if (!licence) throw bad(`licence=${input.licence}`);
    const embargo = input.embargoUntil !== undefined ? input.embargoUntil?.trim() || null : (before?.embargoUntil ?? null);
    if (embargo && (!DATE.test(embargo) || Number.isNaN(Date.parse(embargo)))) throw bad(`embargo=${embargo}`);
    const ocr = input.ocrLanguages ?? before?.ocrLanguages ?? 'vie';
    if (!isOcrLanguageSet(ocr)) throw bad(`ocr=${ocr}`);
    return {
      recordId: linked ? recordId : (before?.recordId ?? null),
      ownerUnitId: input.ownerUnitId,
      title,
      dc,
      category,
      access,
      embargoUntil: embargo,
      licence,
      downloadable: input.downloadable ?? before?.downloadable ?? true,
      watermark: input.watermark ?? before?.watermark ?? false,
      ocrLanguages: ocr,
      forceOcr: input.forceOcr ?? before?.forceOcr ?? false,
      state: input.state ?? before?.state ?? 'selected',
      stateReason: before?.stateReason ?? null,
      assigneeId: before?.assigneeId ?? null,
    };
  }

  async #isStandalone(o: StoredDigitalObject): Promise<boolean> {
    if (!o.recordId) return false;
    const rec = await this.#d.store.catalog.getRecord(o.recordId);
    return !!rec && rec.source === `digital:${o.id}`;
  }

  // ------------------------------------------------------------------ files

  /**
   * Adds a file (already received into a temporary path of the store) as the next master file of
   * an object: checks what it really is and its limits, stores it under its hash, and queues the
   * processing (pages, tiles, text). A refused file leaves nothing behind.
   */
  async addFile(actor: Actor, objectId: number, file: { tempPath: string; sha256: string; size: number; name: string }): Promise<DigitalFile> {
    const name = basename(file.name).slice(0, 255) || 'file';
    try {
      const o = await this.get(objectId);
      await authorize(this.#d.store, actor, 'digital.object.manage', o.ownerUnitId);
      const measured = await this.#measure(file.tempPath, name);
      await this.#d.blobs.adopt(file.tempPath, file.sha256);
      const now = this.#d.clock.now();
      return await runWrite(this.#d.store, this.#d.clock, actor, async (tx) => {
        await authorize(tx, actor, 'digital.object.manage', o.ownerUnitId);
        await tx.digital.putBlob({ sha256: file.sha256, size: file.size, mediaType: measured.mediaType }, now.toISOString());
        const seq = (await tx.digital.filesOf(objectId)).reduce((m, f) => Math.max(m, f.seq), 0) + 1;
        const added = await tx.digital.addFile({ objectId, seq, sha256: file.sha256, size: file.size, mediaType: measured.mediaType, name, pages: measured.pages }, now.toISOString());
        if (o.state === 'selected') await tx.digital.updateObject(objectId, { state: 'scanned' }, actor.userId, now.toISOString());
        await this.#queueProcessing(tx, actor, o, now);
        await audit(tx, actor, now, { action: 'digital.file.add', unitId: o.ownerUnitId, targetType: 'digital_object', targetId: objectId, after: { file: added.id, name, sha256: file.sha256, size: file.size, mediaType: measured.mediaType, pages: measured.pages } });
        return added;
      });
    } catch (e) {
      await rm(file.tempPath, { force: true });
      throw mediaProblem(e, name) ?? e;
    } finally {
      this.#d.kick?.();
    }
  }

  /**
   * Creates an object with files already in the store (a batch ingest row or an imported bag) in
   * one transaction: either the object and all its files land, or nothing does.
   */
  async createWithFiles(actor: Actor, input: ObjectInput & { source: string }, files: readonly { sha256: string; size: number; name: string }[]): Promise<StoredDigitalObject> {
    const measured: { sha256: string; size: number; name: string; mediaType: string; pages: number }[] = [];
    for (const f of files) {
      const name = basename(f.name).slice(0, 255) || 'file';
      try {
        measured.push({ ...f, name, ...(await this.#measure(this.#d.blobs.pathOf(f.sha256), name)) });
      } catch (e) {
        throw mediaProblem(e, name) ?? e;
      }
    }
    const fields = await this.#fields({ ...input, state: input.state ?? (files.length > 0 ? 'scanned' : 'selected') }, undefined);
    if (fields.state === 'published' && measured.length === 0) throw new AppError('DIGITAL_TRANSITION', { object: 0, from: 'selected', to: 'published', reason: 'no_pages' });
    const now = this.#d.clock.now();
    const created = await runWrite(this.#d.store, this.#d.clock, actor, async (tx) => {
      await authorize(tx, actor, 'digital.object.manage', input.ownerUnitId);
      if (fields.state === 'published') await authorize(tx, actor, 'digital.object.publish', input.ownerUnitId);
      const collections = await this.#checkCollections(tx, input.collectionIds ?? []);
      const id = await tx.digital.insertObject({ ...fields, source: input.source, createdBy: actor.userId }, now.toISOString());
      let recordId = fields.recordId;
      if (recordId === null) {
        recordId = await this.#writeRecord(tx, actor, id, fields, null);
        await tx.digital.updateObject(id, { recordId }, actor.userId, now.toISOString());
      }
      await tx.digital.setObjectCollections(id, collections);
      let seq = 0;
      for (const f of measured) {
        await tx.digital.putBlob({ sha256: f.sha256, size: f.size, mediaType: f.mediaType }, now.toISOString());
        await tx.digital.addFile({ objectId: id, seq: ++seq, sha256: f.sha256, size: f.size, mediaType: f.mediaType, name: f.name, pages: f.pages }, now.toISOString());
      }
      const o = (await tx.digital.getObject(id))!;
      if (measured.length > 0) await this.#queueProcessing(tx, actor, o, now);
      tx.search.markDirty([recordId]);
      await audit(tx, actor, now, { action: 'digital.object.create', unitId: input.ownerUnitId, targetType: 'digital_object', targetId: id, after: { ...fields, recordId, collections, files: measured.map((f) => ({ name: f.name, sha256: f.sha256, size: f.size, pages: f.pages })) } });
      return (await tx.digital.getObject(id))!;
    });
    this.#d.kick?.();
    return created;
  }

  /** Copies a file from disk into the store (hashing it on the way); refusals name the file. */
  async storeFile(path: string, name: string): Promise<{ sha256: string; size: number; name: string }> {
    try {
      const got = await this.#d.blobs.importFile(path, this.#d.limits.maxBytes);
      return { ...got, name };
    } catch (e) {
      throw mediaProblem(e, name) ?? e;
    }
  }

  /** Receives a file from a stream (an upload or a file on disk) into the store's temporary folder. */
  receive(source: NodeJS.ReadableStream | AsyncIterable<Uint8Array>, name: string) {
    return this.#d.blobs.receive(source, this.#d.limits.maxBytes).catch((e: unknown) => {
      throw mediaProblem(e, name) ?? e;
    });
  }

  async #measure(path: string, name: string): Promise<{ mediaType: string; pages: number }> {
    const kind = await this.#d.images.sniff(path);
    if (kind === 'pdf') {
      const info = await this.#d.pdf.info(path, this.#d.limits);
      return { mediaType: 'application/pdf', pages: info.pages };
    }
    if (kind === 'unknown' || kind === 'gif') throw new AppError('MEDIA_TYPE_UNSUPPORTED', { name, detail: '' });
    const p = await this.#d.images.probe(path, this.#d.limits);
    return { mediaType: p.mediaType, pages: p.pages };
  }

  async #queueProcessing(tx: Repos, actor: Actor, o: StoredDigitalObject, now: Date): Promise<void> {
    const pending = (await tx.jobs.findByDedupeKey(DIGITAL_PROCESS_JOB, `object:${o.id}`)).some((j) => j.status === 'queued');
    if (!pending) {
      await tx.jobs.insert(
        { kind: DIGITAL_PROCESS_JOB, unitId: o.ownerUnitId, createdBy: actor.userId, actorLabel: actor.label, params: { objectId: o.id }, dedupeKey: `object:${o.id}`, progressTotal: null, maxAttempts: 3, timeoutMs: 6 * 3_600_000 },
        now.toISOString(),
      );
    }
    await tx.digital.setProcessing(o.id, 'queued', null, now.toISOString());
  }

  /** Runs the processing again (after OCR settings changed, or to retry a failure). */
  async reprocess(actor: Actor, objectId: number, opts: { text?: boolean } = {}): Promise<void> {
    const o = await this.get(objectId);
    const now = this.#d.clock.now();
    await runWrite(this.#d.store, this.#d.clock, actor, async (tx) => {
      await authorize(tx, actor, 'digital.object.manage', o.ownerUnitId);
      if (opts.text) {
        // Clearing the pages makes processing read every page's text again (images are kept by hash).
        const pages = await tx.digital.pagesOf(objectId);
        await tx.digital.replacePages(objectId, pages.map((p) => ({ seq: p.seq, fileId: p.fileId, filePage: p.filePage, label: p.label })));
        await tx.digital.refreshCounts(objectId);
      }
      await this.#queueProcessing(tx, actor, o, now);
      await audit(tx, actor, now, { action: 'digital.object.reprocess', unitId: o.ownerUnitId, targetType: 'digital_object', targetId: objectId, after: { text: !!opts.text } });
    });
    this.#d.kick?.();
  }

  // ------------------------------------------------------------------ workflow

  /** Moves objects to a state; one result per object, so a bulk move reports each refusal. */
  async transition(actor: Actor, ids: readonly number[], to: WorkflowState, opts: { reason?: string | null } = {}): Promise<TransitionResult[]> {
    const out: TransitionResult[] = [];
    for (const id of ids) {
      try {
        await this.#transitionOne(actor, id, to, opts.reason ?? null);
        out.push({ objectId: id, ok: true });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        out.push({ objectId: id, ok: false, code: e.code, params: e.params });
      }
    }
    return out;
  }

  async #transitionOne(actor: Actor, id: number, to: WorkflowState, reason: string | null): Promise<void> {
    const o = await this.get(id);
    const now = this.#d.clock.now();
    await runWrite(this.#d.store, this.#d.clock, actor, async (tx) => {
      await authorize(tx, actor, 'digital.object.manage', o.ownerUnitId);
      if (to === 'published' || to === 'rejected' || o.state === 'published') await authorize(tx, actor, 'digital.object.publish', o.ownerUnitId);
      const problem = checkTransition(o.state, to, { reason, pages: o.pageCount });
      if (problem) throw new AppError('DIGITAL_TRANSITION', { object: id, from: o.state, to, reason: problem });
      const patch = { state: to, stateReason: to === 'rejected' ? reason!.trim() : null, ...(to === 'published' ? { publishedAt: now.toISOString() } : {}) };
      if (!(await tx.digital.updateObject(id, patch, actor.userId, now.toISOString(), o.version))) throw new AppError('DIGITAL_STALE_VERSION', { object: id });
      if (o.recordId) tx.search.markDirty([o.recordId]);
      await audit(tx, actor, now, { action: 'digital.object.transition', unitId: o.ownerUnitId, targetType: 'digital_object', targetId: id, before: { state: o.state }, after: patch });
    });
    if (to === 'published' || o.state === 'published') await this.syncFullText(id);
  }

  async assign(actor: Actor, ids: readonly number[], assigneeId: number | null): Promise<TransitionResult[]> {
    const out: TransitionResult[] = [];
    for (const id of ids) {
      try {
        const o = await this.get(id);
        const now = this.#d.clock.now();
        await runWrite(this.#d.store, this.#d.clock, actor, async (tx) => {
          await authorize(tx, actor, 'digital.object.manage', o.ownerUnitId);
          if (assigneeId !== null && !(await tx.staff.getById(assigneeId))) throw new AppError('STAFF_USER_NOT_FOUND', { user: assigneeId });
          await tx.digital.updateObject(id, { assigneeId }, actor.userId, now.toISOString());
          await audit(tx, actor, now, { action: 'digital.object.assign', unitId: o.ownerUnitId, targetType: 'digital_object', targetId: id, before: { assigneeId: o.assigneeId }, after: { assigneeId } });
        });
        out.push({ objectId: id, ok: true });
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        out.push({ objectId: id, ok: false, code: e.code, params: e.params });
      }
    }
    return out;
  }

  /**
   * Puts an object's page text into the shared search index when anyone outside the staff may
   * read it, and takes it out otherwise. Only the first such object of a record is indexed.
   */
  async syncFullText(objectId: number): Promise<void> {
    const o = await this.#d.store.digital.getObject(objectId);
    if (!o?.recordId) return;
    const recordId = o.recordId;
    const day = today(this.#d.clock.now());
    await this.#d.store.transaction(async (tx) => {
      const siblings = (await tx.digital.objectsOfRecords([recordId])).filter((x) => indexable(rightsOf(x), day));
      const chosen = siblings[0];
      const pages = chosen ? await tx.digital.pagesOf(chosen.id) : [];
      await tx.search.setPages(
        recordId,
        pages.filter((p) => p.text).map((p) => ({ pageNo: p.seq, label: p.label, text: p.text! })),
      );
      tx.search.markDirty([recordId]);
    });
  }

  // ------------------------------------------------------------------ collections

  async createCollection(actor: Actor, c: { ownerUnitId: number; code: string; nameVi: string; nameEn?: string; description?: string | null }): Promise<DigitalCollection> {
    const code = c.code.trim().toLowerCase();
    if (!/^[a-z0-9][a-z0-9-]{1,63}$/.test(code)) throw new AppError('DIGITAL_INVALID', { reason: `code=${c.code}` });
    if (!c.nameVi.trim()) throw new AppError('DIGITAL_INVALID', { reason: 'name' });
    const now = this.#d.clock.now();
    return runWrite(this.#d.store, this.#d.clock, actor, async (tx) => {
      await authorize(tx, actor, 'digital.collection.manage', c.ownerUnitId);
      if (await tx.digital.getCollectionByCode(code)) throw new AppError('DIGITAL_COLLECTION_CODE_TAKEN', { code });
      const id = await tx.digital.insertCollection({ ownerUnitId: c.ownerUnitId, code, nameVi: c.nameVi.trim(), nameEn: (c.nameEn ?? '').trim() || c.nameVi.trim(), description: c.description?.trim() || null }, now.toISOString());
      await audit(tx, actor, now, { action: 'digital.collection.create', unitId: c.ownerUnitId, targetType: 'digital_collection', targetId: id, after: { code, nameVi: c.nameVi } });
      return (await tx.digital.getCollection(id))!;
    });
  }

  async updateCollection(actor: Actor, id: number, c: { nameVi: string; nameEn?: string; description?: string | null; version: number }): Promise<DigitalCollection> {
    const before = await this.collection(id);
    if (!c.nameVi.trim()) throw new AppError('DIGITAL_INVALID', { reason: 'name' });
    const now = this.#d.clock.now();
    return runWrite(this.#d.store, this.#d.clock, actor, async (tx) => {
      await authorize(tx, actor, 'digital.collection.manage', before.ownerUnitId);
      const next = { nameVi: c.nameVi.trim(), nameEn: (c.nameEn ?? '').trim() || c.nameVi.trim(), description: c.description?.trim() || null };
      if (!(await tx.digital.updateCollection(id, next, now.toISOString(), c.version))) throw new AppError('DIGITAL_STALE_VERSION', { object: id });
      await audit(tx, actor, now, { action: 'digital.collection.update', unitId: before.ownerUnitId, targetType: 'digital_collection', targetId: id, before: { nameVi: before.nameVi, nameEn: before.nameEn }, after: next });
      return (await tx.digital.getCollection(id))!;
    });
  }

  async collection(id: number): Promise<DigitalCollection> {
    const c = await this.#d.store.digital.getCollection(id);
    if (!c) throw new AppError('DIGITAL_COLLECTION_NOT_FOUND', { collection: id });
    return c;
  }

  async collectionByCode(code: string): Promise<DigitalCollection> {
    const c = await this.#d.store.digital.getCollectionByCode(code);
    if (!c) throw new AppError('DIGITAL_COLLECTION_NOT_FOUND', { collection: code });
    return c;
  }

  collections(f: { unitIds?: readonly number[] } = {}) {
    return this.#d.store.digital.listCollections(f);
  }

  // ------------------------------------------------------------------ targets and progress

  async setTargets(actor: Actor, unitId: number, held: Partial<Record<PlanCategory, number>>): Promise<void> {
    const now = this.#d.clock.now();
    for (const [cat, n] of Object.entries(held)) {
      if (!isPlanCategory(cat) || !Number.isInteger(n) || n! < 0 || n! > 100_000_000) throw new AppError('DIGITAL_INVALID', { reason: `${cat}=${n}` });
    }
    await runWrite(this.#d.store, this.#d.clock, actor, async (tx) => {
      await authorize(tx, actor, 'digital.targets.manage', unitId);
      const before = Object.fromEntries((await tx.digital.targets([unitId])).map((t) => [t.category, t.held]));
      for (const [cat, n] of Object.entries(held)) await tx.digital.setTarget(unitId, cat as PlanCategory, n!, now.toISOString());
      await audit(tx, actor, now, { action: 'digital.targets.set', unitId, targetType: 'org_unit', targetId: unitId, before, after: held });
    });
  }

  /**
   * Published objects against what each library declared it holds, per category, with the share
   * and how many more reach the plan's 70%. Libraries that declared nothing but published
   * something still appear, with no share.
   */
  async progress(unitIds?: readonly number[]): Promise<ProgressRow[]> {
    const [targets, published] = await Promise.all([this.#d.store.digital.targets(unitIds), this.#d.store.digital.publishedCounts()]);
    const wanted = unitIds ? new Set(unitIds) : undefined;
    const rows = new Map<string, ProgressRow>();
    const row = (unitId: number, category: PlanCategory) => {
      const k = `${unitId}:${category}`;
      let r = rows.get(k);
      if (!r) rows.set(k, (r = { unitId, category, held: 0, published: 0, share: null, toTarget: 0 }));
      return r;
    };
    for (const t of targets) row(t.unitId, t.category).held = t.held;
    for (const p of published) if (!wanted || wanted.has(p.unitId)) row(p.unitId, p.category).published = p.count;
    for (const r of rows.values()) {
      r.share = r.held > 0 ? r.published / r.held : null;
      r.toTarget = r.held > 0 ? Math.max(0, Math.ceil(r.held * DIGITISATION_TARGET) - r.published) : 0;
    }
    const order = (c: PlanCategory) => PLAN_CATEGORIES.indexOf(c);
    return [...rows.values()].sort((a, b) => a.unitId - b.unitId || order(a.category) - order(b.category));
  }

  stateCounts(unitIds?: readonly number[]) {
    return this.#d.store.digital.stateCounts(unitIds);
  }
}

export function rightsOf(o: StoredDigitalObject) {
  return { access: o.access, embargoUntil: o.embargoUntil, published: o.state === 'published' && o.status === 'active', downloadable: o.downloadable, watermark: o.watermark };
}

function pick(o: StoredDigitalObject) {
  return { title: o.title, dc: o.dc, category: o.category, access: o.access, embargoUntil: o.embargoUntil, licence: o.licence, downloadable: o.downloadable, watermark: o.watermark, ocrLanguages: o.ocrLanguages, state: o.state, ownerUnitId: o.ownerUnitId, recordId: o.recordId };
}

/** The refusal a viewer gets: unpublished objects look absent, the rest say why. */
export function refusal(o: StoredDigitalObject, a: AccessDecision): AppError {
  if (a.reason === 'unpublished') return new AppError('DIGITAL_OBJECT_NOT_FOUND', { object: o.id });
  if (a.reason === 'login') return new AppError('DIGITAL_ACCESS_LOGIN', {});
  return new AppError('DIGITAL_ACCESS_DENIED', { reason: a.reason ?? 'staff', ...(o.embargoUntil ? { date: o.embargoUntil } : {}) });
}

export type { DublinCore };
