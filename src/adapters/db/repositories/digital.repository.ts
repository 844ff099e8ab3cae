import { sql, type Kysely, type Selectable } from 'kysely';
import type { BlobsTable, Database, Dialect, DigitalCollectionsTable, DigitalObjectsTable, DigitalPagesTable } from '../schema.js';
import { toIso } from '../schema.js';
import type {
  BlobRow,
  DigitalCollection,
  DigitalFile,
  DigitalObjectFilter,
  DigitalPage,
  DigitalRepository,
  IngestResult,
  ProcessingState,
  StoredDigitalObject,
} from '../../../app/ports.js';
import type { PageWord } from '../../../app/digital/media.js';
import type { AccessLevel, DublinCore, Licence, OcrLanguageSet, PlanCategory, WorkflowState } from '../../../domain/digital/object.js';
import { bulkInsert } from './catalog.repository.js';
import { fold } from '../../../text/fold.js';

function toObject(r: Selectable<DigitalObjectsTable>): StoredDigitalObject {
  return {
    id: r.id,
    recordId: r.record_id,
    ownerUnitId: r.owner_unit_id,
    title: r.title,
    dc: JSON.parse(r.dc) as DublinCore,
    category: r.category as PlanCategory,
    access: r.access as AccessLevel,
    embargoUntil: r.embargo_until,
    licence: r.licence as Licence,
    downloadable: r.downloadable === 1,
    watermark: r.watermark === 1,
    ocrLanguages: r.ocr_languages as OcrLanguageSet,
    forceOcr: r.force_ocr === 1,
    state: r.state as WorkflowState,
    stateReason: r.state_reason,
    assigneeId: r.assignee_id,
    pageCount: r.page_count,
    textPages: r.text_pages,
    processing: r.processing as ProcessingState,
    processingError: r.processing_error,
    status: r.status as 'active' | 'deleted',
    source: r.source,
    version: r.version,
    createdBy: r.created_by,
    updatedBy: r.updated_by,
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
    publishedAt: toIso(r.published_at),
    deletedAt: toIso(r.deleted_at),
  };
}

function toPage(r: Omit<Selectable<DigitalPagesTable>, 'words'>): DigitalPage {
  return {
    id: r.id,
    objectId: r.object_id,
    seq: r.seq,
    fileId: r.file_id,
    filePage: r.file_page,
    label: r.label,
    width: r.width,
    height: r.height,
    pyramidSha256: r.pyramid_sha256,
    text: r.text,
    textSource: r.text_source as DigitalPage['textSource'],
    confidence: r.confidence,
    engine: r.engine,
    textAt: toIso(r.text_at),
  };
}

function toCollection(r: Selectable<DigitalCollectionsTable>): DigitalCollection {
  return {
    id: r.id,
    ownerUnitId: r.owner_unit_id,
    code: r.code,
    nameVi: r.name_vi,
    nameEn: r.name_en,
    description: r.description,
    version: r.version,
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
  };
}

function toBlob(r: Selectable<BlobsTable>): BlobRow {
  return {
    sha256: r.sha256,
    size: Number(r.size),
    mediaType: r.media_type,
    createdAt: toIso(r.created_at),
    checkedAt: toIso(r.checked_at),
    checkStatus: r.check_status as BlobRow['checkStatus'],
    checkDetail: r.check_detail,
  };
}

/** Words are stored compactly as `[text, x, y, w, h, confidence, line]` arrays. */
type WordTuple = [string, number, number, number, number, number, number];
const packWords = (words: readonly PageWord[]): string => JSON.stringify(words.map((w): WordTuple => [w.text, w.x, w.y, w.w, w.h, Math.round(w.c), w.line]));
const unpackWords = (s: string | null): PageWord[] => (s ? (JSON.parse(s) as WordTuple[]).map(([text, x, y, w, h, c, line]) => ({ text, x, y, w, h, c, line })) : []);

const PAGE_COLUMNS = ['id', 'object_id', 'seq', 'file_id', 'file_page', 'label', 'width', 'height', 'pyramid_sha256', 'text', 'text_source', 'confidence', 'engine', 'text_at'] as const;

/** Digital objects, their files, pages and text, collections, stored blobs and digitisation targets. */
export class KyselyDigitalRepository implements DigitalRepository {
  readonly #db: Kysely<Database>;
  readonly #dialect: Dialect;
  constructor(db: Kysely<Database>, dialect: Dialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  async insertObject(o: Parameters<DigitalRepository['insertObject']>[0], now: string): Promise<number> {
    const r = await this.#db
      .insertInto('digital_objects')
      .values({
        record_id: o.recordId,
        owner_unit_id: o.ownerUnitId,
        title: o.title,
        title_key: fold(o.title).toLowerCase(),
        dc: JSON.stringify(o.dc),
        category: o.category,
        access: o.access,
        embargo_until: o.embargoUntil,
        licence: o.licence,
        downloadable: o.downloadable ? 1 : 0,
        watermark: o.watermark ? 1 : 0,
        ocr_languages: o.ocrLanguages,
        force_ocr: o.forceOcr ? 1 : 0,
        state: o.state,
        state_reason: o.stateReason,
        assignee_id: o.assigneeId,
        source: o.source,
        created_by: o.createdBy,
        updated_by: o.createdBy,
        created_at: now,
        updated_at: now,
        published_at: o.state === 'published' ? now : null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async getObject(id: number): Promise<StoredDigitalObject | undefined> {
    const r = await this.#db.selectFrom('digital_objects').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toObject(r) : undefined;
  }

  async updateObject(id: number, p: Parameters<DigitalRepository['updateObject']>[1], by: number | null, now: string, version?: number): Promise<boolean> {
    const set: Record<string, unknown> = { updated_by: by, updated_at: now };
    if (p.recordId !== undefined) set.record_id = p.recordId;
    if (p.ownerUnitId !== undefined) set.owner_unit_id = p.ownerUnitId;
    if (p.title !== undefined) {
      set.title = p.title;
      set.title_key = fold(p.title).toLowerCase();
    }
    if (p.dc !== undefined) set.dc = JSON.stringify(p.dc);
    if (p.category !== undefined) set.category = p.category;
    if (p.access !== undefined) set.access = p.access;
    if (p.embargoUntil !== undefined) set.embargo_until = p.embargoUntil;
    if (p.licence !== undefined) set.licence = p.licence;
    if (p.downloadable !== undefined) set.downloadable = p.downloadable ? 1 : 0;
    if (p.watermark !== undefined) set.watermark = p.watermark ? 1 : 0;
    if (p.ocrLanguages !== undefined) set.ocr_languages = p.ocrLanguages;
    if (p.forceOcr !== undefined) set.force_ocr = p.forceOcr ? 1 : 0;
    if (p.state !== undefined) set.state = p.state;
    if (p.stateReason !== undefined) set.state_reason = p.stateReason;
    if (p.assigneeId !== undefined) set.assignee_id = p.assigneeId;
    if (p.publishedAt !== undefined) set.published_at = p.publishedAt;
    let q = this.#db
      .updateTable('digital_objects')
      .set(set)
      .set((eb) => ({ version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('status', '=', 'active');
    if (version !== undefined) q = q.where('version', '=', version);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async setProcessing(id: number, state: ProcessingState, error: string | null, now: string): Promise<void> {
    await this.#db.updateTable('digital_objects').set({ processing: state, processing_error: error, updated_at: now }).where('id', '=', id).execute();
  }

  async markObjectDeleted(id: number, by: number | null, now: string): Promise<void> {
    await this.#db
      .updateTable('digital_objects')
      .set((eb) => ({ status: 'deleted', deleted_at: now, updated_at: now, updated_by: by, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .execute();
  }

  #filtered(f: Omit<DigitalObjectFilter, 'limit' | 'beforeId'>) {
    let q = this.#db.selectFrom('digital_objects').where('status', '=', 'active');
    if (f.unitIds) q = f.unitIds.length === 0 ? q.where('id', '<', 0) : q.where('owner_unit_id', 'in', f.unitIds);
    if (f.states) q = f.states.length === 0 ? q.where('id', '<', 0) : q.where('state', 'in', f.states);
    if (f.assigneeId !== undefined) q = f.assigneeId === null ? q.where('assignee_id', 'is', null) : q.where('assignee_id', '=', f.assigneeId);
    if (f.category) q = q.where('category', '=', f.category);
    if (f.recordId !== undefined) q = q.where('record_id', '=', f.recordId);
    if (f.source !== undefined) q = q.where('source', '=', f.source);
    if (f.collectionId !== undefined) {
      const cid = f.collectionId;
      q = q.where('id', 'in', (eb) => eb.selectFrom('digital_object_collections').select('object_id').where('collection_id', '=', cid));
    }
    // Folded on both sides in our code (SQLite's lower() knows only ASCII): "dia chi" finds "Địa chí".
    if (f.titleLike) q = q.where(sql<boolean>`title_key like ${'%' + fold(f.titleLike).toLowerCase().replace(/[%_\\]/g, (c) => '\\' + c) + '%'} escape '\\'`);
    return q;
  }

  async listObjects(f: DigitalObjectFilter): Promise<StoredDigitalObject[]> {
    let q = this.#filtered(f).selectAll();
    if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
    return (await q.orderBy('id', 'desc').limit(f.limit).execute()).map(toObject);
  }

  async countObjects(f: Omit<DigitalObjectFilter, 'limit' | 'beforeId'>): Promise<number> {
    const r = await this.#filtered(f)
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async objectsOfRecords(recordIds: readonly number[]): Promise<StoredDigitalObject[]> {
    if (recordIds.length === 0) return [];
    const rows = await this.#db.selectFrom('digital_objects').selectAll().where('record_id', 'in', recordIds).where('status', '=', 'active').orderBy('id').execute();
    return rows.map(toObject);
  }

  async publishedCounts(): Promise<{ unitId: number; category: PlanCategory; count: number }[]> {
    const rows = await this.#db
      .selectFrom('digital_objects')
      .select(['owner_unit_id', 'category', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('status', '=', 'active')
      .where('state', '=', 'published')
      .groupBy(['owner_unit_id', 'category'])
      .execute();
    return rows.map((r) => ({ unitId: r.owner_unit_id, category: r.category as PlanCategory, count: Number(r.n) }));
  }

  async stateCounts(unitIds?: readonly number[]): Promise<{ unitId: number; state: WorkflowState; count: number }[]> {
    let q = this.#db
      .selectFrom('digital_objects')
      .select(['owner_unit_id', 'state', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('status', '=', 'active');
    if (unitIds) q = unitIds.length === 0 ? q.where('id', '<', 0) : q.where('owner_unit_id', 'in', unitIds);
    const rows = await q.groupBy(['owner_unit_id', 'state']).execute();
    return rows.map((r) => ({ unitId: r.owner_unit_id, state: r.state as WorkflowState, count: Number(r.n) }));
  }

  async putBlob(b: { sha256: string; size: number; mediaType: string }, now: string): Promise<void> {
    await this.#db
      .insertInto('blobs')
      .values({ sha256: b.sha256, size: b.size, media_type: b.mediaType, created_at: now })
      .onConflict((oc) => oc.column('sha256').doNothing())
      .execute();
  }

  async getBlob(sha256: string): Promise<BlobRow | undefined> {
    const r = await this.#db.selectFrom('blobs').selectAll().where('sha256', '=', sha256).executeTakeFirst();
    return r ? toBlob(r) : undefined;
  }

  async blobsAfter(afterSha: string, limit: number): Promise<BlobRow[]> {
    const rows = await this.#db.selectFrom('blobs').selectAll().where('sha256', '>', afterSha).orderBy('sha256').limit(limit).execute();
    return rows.map(toBlob);
  }

  async recordFixity(sha256: string, status: 'ok' | 'missing' | 'mismatch', detail: string | null, now: string): Promise<void> {
    await this.#db.updateTable('blobs').set({ checked_at: now, check_status: status, check_detail: detail }).where('sha256', '=', sha256).execute();
  }

  async fixityProblems(limit: number): Promise<BlobRow[]> {
    const rows = await this.#db.selectFrom('blobs').selectAll().where('check_status', 'in', ['missing', 'mismatch']).orderBy('checked_at', 'desc').limit(limit).execute();
    return rows.map(toBlob);
  }

  async blobInUse(sha256: string): Promise<boolean> {
    const a = await this.#db.selectFrom('digital_files').select('id').where('sha256', '=', sha256).limit(1).executeTakeFirst();
    if (a) return true;
    const b = await this.#db.selectFrom('digital_pages').select('id').where('pyramid_sha256', '=', sha256).limit(1).executeTakeFirst();
    return !!b;
  }

  async addFile(f: Omit<DigitalFile, 'id' | 'createdAt'>, now: string): Promise<DigitalFile> {
    const r = await this.#db
      .insertInto('digital_files')
      .values({ object_id: f.objectId, seq: f.seq, sha256: f.sha256, size: f.size, media_type: f.mediaType, name: f.name, pages: f.pages, created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...f, id: r.id, createdAt: now };
  }

  async filesOf(objectId: number): Promise<DigitalFile[]> {
    const rows = await this.#db.selectFrom('digital_files').selectAll().where('object_id', '=', objectId).orderBy('seq').execute();
    return rows.map((r) => ({ id: r.id, objectId: r.object_id, seq: r.seq, sha256: r.sha256, size: Number(r.size), mediaType: r.media_type, name: r.name, pages: r.pages, createdAt: toIso(r.created_at) }));
  }

  async getFile(id: number): Promise<DigitalFile | undefined> {
    const r = await this.#db.selectFrom('digital_files').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? { id: r.id, objectId: r.object_id, seq: r.seq, sha256: r.sha256, size: Number(r.size), mediaType: r.media_type, name: r.name, pages: r.pages, createdAt: toIso(r.created_at) } : undefined;
  }

  async replacePages(objectId: number, pages: readonly { seq: number; fileId: number; filePage: number; label: string | null }[]): Promise<DigitalPage[]> {
    await this.#db.deleteFrom('digital_pages').where('object_id', '=', objectId).execute();
    if (pages.length > 0) {
      await bulkInsert(
        this.#db,
        this.#dialect,
        'digital_pages',
        ['object_id', 'seq', 'file_id', 'file_page', 'label'],
        pages.map((p) => [objectId, p.seq, p.fileId, p.filePage, p.label]),
      );
    }
    return this.pagesOf(objectId);
  }

  async pagesOf(objectId: number): Promise<DigitalPage[]> {
    const rows = await this.#db.selectFrom('digital_pages').select(PAGE_COLUMNS).where('object_id', '=', objectId).orderBy('seq').execute();
    return rows.map(toPage);
  }

  async getPage(objectId: number, seq: number): Promise<DigitalPage | undefined> {
    const r = await this.#db.selectFrom('digital_pages').select(PAGE_COLUMNS).where('object_id', '=', objectId).where('seq', '=', seq).executeTakeFirst();
    return r ? toPage(r) : undefined;
  }

  async setPageImage(pageId: number, p: { width: number; height: number; pyramidSha256: string }): Promise<void> {
    await this.#db.updateTable('digital_pages').set({ width: p.width, height: p.height, pyramid_sha256: p.pyramidSha256 }).where('id', '=', pageId).execute();
  }

  async setPageText(pageId: number, p: Parameters<DigitalRepository['setPageText']>[1], now: string): Promise<void> {
    await this.#db
      .updateTable('digital_pages')
      .set({ text: p.text, words: packWords(p.words), text_source: p.textSource, confidence: p.confidence, engine: p.engine, text_at: now })
      .where('id', '=', pageId)
      .execute();
  }

  async pageWords(pageId: number): Promise<PageWord[]> {
    const r = await this.#db.selectFrom('digital_pages').select('words').where('id', '=', pageId).executeTakeFirst();
    return unpackWords(r?.words ?? null);
  }

  async wordsOfPages(pageIds: readonly number[]): Promise<Map<number, PageWord[]>> {
    const out = new Map<number, PageWord[]>();
    for (let i = 0; i < pageIds.length; i += 500) {
      const part = pageIds.slice(i, i + 500);
      const rows = await this.#db.selectFrom('digital_pages').select(['id', 'words']).where('id', 'in', part).execute();
      for (const r of rows) out.set(r.id, unpackWords(r.words));
    }
    return out;
  }

  async refreshCounts(objectId: number): Promise<{ pageCount: number; textPages: number }> {
    const r = await this.#db
      .selectFrom('digital_pages')
      .select([(eb) => eb.fn.countAll<number | string>().as('n'), (eb) => eb.fn.count<number | string>('text_at').as('t')])
      .where('object_id', '=', objectId)
      .executeTakeFirstOrThrow();
    const out = { pageCount: Number(r.n), textPages: Number(r.t) };
    await this.#db.updateTable('digital_objects').set({ page_count: out.pageCount, text_pages: out.textPages }).where('id', '=', objectId).execute();
    return out;
  }

  async insertCollection(c: Parameters<DigitalRepository['insertCollection']>[0], now: string): Promise<number> {
    const r = await this.#db
      .insertInto('digital_collections')
      .values({ owner_unit_id: c.ownerUnitId, code: c.code, name_vi: c.nameVi, name_en: c.nameEn, description: c.description, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }

  async updateCollection(id: number, c: { nameVi: string; nameEn: string; description: string | null }, now: string, version: number): Promise<boolean> {
    const r = await this.#db
      .updateTable('digital_collections')
      .set((eb) => ({ name_vi: c.nameVi, name_en: c.nameEn, description: c.description, updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async getCollection(id: number): Promise<DigitalCollection | undefined> {
    const r = await this.#db.selectFrom('digital_collections').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toCollection(r) : undefined;
  }

  async getCollectionByCode(code: string): Promise<DigitalCollection | undefined> {
    const r = await this.#db.selectFrom('digital_collections').selectAll().where('code', '=', code).executeTakeFirst();
    return r ? toCollection(r) : undefined;
  }

  async listCollections(f: { unitIds?: readonly number[] }): Promise<(DigitalCollection & { objects: number })[]> {
    let q = this.#db
      .selectFrom('digital_collections as c')
      .selectAll('c')
      .select((eb) =>
        eb
          .selectFrom('digital_object_collections as m')
          .innerJoin('digital_objects as o', 'o.id', 'm.object_id')
          .select((e2) => e2.fn.countAll<number | string>().as('n'))
          .whereRef('m.collection_id', '=', 'c.id')
          .where('o.status', '=', 'active')
          .as('objects'),
      );
    if (f.unitIds) q = f.unitIds.length === 0 ? q.where('c.id', '<', 0) : q.where('c.owner_unit_id', 'in', f.unitIds);
    const rows = await q.orderBy('c.name_vi').execute();
    return rows.map((r) => ({ ...toCollection(r), objects: Number(r.objects ?? 0) }));
  }

  async deleteCollection(id: number): Promise<void> {
    await this.#db.deleteFrom('digital_object_collections').where('collection_id', '=', id).execute();
    await this.#db.deleteFrom('digital_collections').where('id', '=', id).execute();
  }

  async setObjectCollections(objectId: number, collectionIds: readonly number[]): Promise<void> {
    await this.#db.deleteFrom('digital_object_collections').where('object_id', '=', objectId).execute();
    const ids = [...new Set(collectionIds)];
    if (ids.length > 0) await this.#db.insertInto('digital_object_collections').values(ids.map((c) => ({ collection_id: c, object_id: objectId }))).execute();
  }

  async collectionsOf(objectId: number): Promise<DigitalCollection[]> {
    const rows = await this.#db
      .selectFrom('digital_collections as c')
      .innerJoin('digital_object_collections as m', 'm.collection_id', 'c.id')
      .selectAll('c')
      .where('m.object_id', '=', objectId)
      .orderBy('c.name_vi')
      .execute();
    return rows.map(toCollection);
  }

  async setTarget(unitId: number, category: PlanCategory, held: number, now: string): Promise<void> {
    await this.#db
      .insertInto('digital_targets')
      .values({ unit_id: unitId, category, held, updated_at: now })
      .onConflict((oc) => oc.columns(['unit_id', 'category']).doUpdateSet({ held, updated_at: now }))
      .execute();
  }

  async targets(unitIds?: readonly number[]): Promise<{ unitId: number; category: PlanCategory; held: number }[]> {
    let q = this.#db.selectFrom('digital_targets').selectAll();
    if (unitIds) q = unitIds.length === 0 ? q.where('unit_id', '<', 0) : q.where('unit_id', 'in', unitIds);
    const rows = await q.orderBy('unit_id').orderBy('category').execute();
    return rows.map((r) => ({ unitId: r.unit_id, category: r.category as PlanCategory, held: r.held }));
  }

  async appendIngestResults(rows: readonly IngestResult[]): Promise<void> {
    if (rows.length === 0) return;
    await bulkInsert(
      this.#db,
      this.#dialect,
      'ingest_results',
      ['job_id', 'seq', 'outcome', 'object_id', 'label', 'problems'],
      rows.map((r) => [r.jobId, r.seq, r.outcome, r.objectId, r.label, r.problems.length === 0 ? null : JSON.stringify(r.problems)]),
    );
  }

  async ingestResults(jobId: number, f: { outcome?: string; afterSeq?: number; limit: number }): Promise<IngestResult[]> {
    let q = this.#db.selectFrom('ingest_results').selectAll().where('job_id', '=', jobId);
    if (f.outcome) q = q.where('outcome', '=', f.outcome);
    if (f.afterSeq !== undefined) q = q.where('seq', '>', f.afterSeq);
    const rows = await q.orderBy('seq').limit(f.limit).execute();
    return rows.map((r) => ({
      jobId: r.job_id,
      seq: r.seq,
      outcome: r.outcome as IngestResult['outcome'],
      objectId: r.object_id,
      label: r.label,
      problems: r.problems === null ? [] : (JSON.parse(r.problems) as IngestResult['problems']),
    }));
  }
}
