import { CompiledQuery, sql, type Kysely, type Selectable } from 'kysely';
import type { BibRecordsTable, Database, Dialect, ItemsTable } from '../schema.js';
import { toIso } from '../schema.js';
import type {
  CatalogRepository,
  Identifier,
  IdentifierHit,
  ItemRow,
  NewItemRow,
  NewRecordRow,
  RecordContent,
  RecordListFilter,
  RecordStatus,
  StoredItem,
  StoredRecord,
} from '../../../app/ports.js';

/** Bound parameters per statement, below SQLite's 32,766 and PostgreSQL's 65,535. */
const MAX_PARAMS = 30_000;

function chunks<T>(rows: readonly T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMS / columns));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Many rows in one `INSERT`, written as SQL text directly: for thousands of rows Kysely's
 * builder spends longer building the statement than the database spends running it. Column
 * names are ours (never input); values are bound parameters.
 */
export async function bulkInsert(db: Kysely<Database>, dialect: Dialect, table: string, columns: readonly string[], rows: ReadonlyArray<readonly unknown[]>, suffix = ''): Promise<void> {
  for (const part of chunks(rows, columns.length)) {
    if (part.length === 0) continue;
    const params: unknown[] = [];
    const tuples: string[] = [];
    for (const row of part) {
      const marks: string[] = [];
      for (const v of row) {
        params.push(v);
        marks.push(dialect === 'postgres' ? `$${params.length}` : '?');
      }
      tuples.push(`(${marks.join(',')})`);
    }
    await db.executeQuery(CompiledQuery.raw(`insert into ${table} (${columns.join(',')}) values ${tuples.join(',')}${suffix}`, params));
  }
}

function contentColumns(c: RecordContent) {
  return {
    marc: c.marc,
    title: c.title,
    sort_title: c.sortTitle,
    responsibility: c.responsibility,
    main_author: c.mainAuthor,
    publisher: c.publisher,
    year: c.year,
    language: c.language,
    material_type: c.materialType,
    call_number: c.callNumber,
    control_number: c.controlNumber,
    control_source: c.controlSource,
  };
}

function toRecord(r: Selectable<BibRecordsTable>): StoredRecord {
  return {
    id: r.id,
    marc: r.marc,
    title: r.title,
    sortTitle: r.sort_title,
    responsibility: r.responsibility,
    mainAuthor: r.main_author,
    publisher: r.publisher,
    year: r.year,
    language: r.language,
    materialType: r.material_type,
    callNumber: r.call_number,
    controlNumber: r.control_number,
    controlSource: r.control_source,
    ownerUnitId: r.owner_unit_id,
    status: r.status as RecordStatus,
    source: r.source,
    version: r.version,
    createdBy: r.created_by,
    updatedBy: r.updated_by,
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
    deletedAt: toIso(r.deleted_at),
    replacedById: r.replaced_by_id,
  };
}

function itemColumns(i: ItemRow) {
  return {
    barcode: i.barcode,
    owner_unit_id: i.ownerUnitId,
    location_unit_id: i.locationUnitId,
    shelving_location: i.shelvingLocation,
    call_number: i.callNumber,
    call_scheme: i.callScheme,
    shelf_key: i.shelfKey,
    item_type: i.itemType,
    status: i.status,
    price: i.price,
    currency: i.currency,
    acquired_on: i.acquiredOn,
    copy_number: i.copyNumber,
    public_note: i.publicNote,
    staff_note: i.staffNote,
  };
}

type ItemJoinRow = Selectable<ItemsTable> & { owner_code: string; location_code: string };

function toItem(r: ItemJoinRow): StoredItem {
  return {
    id: r.id,
    recordId: r.record_id,
    barcode: r.barcode,
    ownerUnitId: r.owner_unit_id,
    locationUnitId: r.location_unit_id,
    ownerUnitCode: r.owner_code,
    locationUnitCode: r.location_code,
    shelvingLocation: r.shelving_location,
    callNumber: r.call_number,
    callScheme: r.call_scheme,
    shelfKey: r.shelf_key,
    itemType: r.item_type,
    status: r.status,
    price: r.price === null ? null : Number(r.price),
    currency: r.currency,
    acquiredOn: r.acquired_on,
    copyNumber: r.copy_number,
    publicNote: r.public_note,
    staffNote: r.staff_note,
    source: r.source,
    version: r.version,
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
    withdrawnAt: toIso(r.withdrawn_at),
  };
}

/** Where a repository reports the records a write touched (the search index's dirty set). */
export interface SearchMarks {
  markDirty(recordIds: Iterable<number>): void;
}

/** Records, their identifiers and items. Bulk methods write many rows per statement for imports. */
export class KyselyCatalogRepository implements CatalogRepository {
  readonly #db: Kysely<Database>;
  readonly #dialect: Dialect;
  readonly #search: SearchMarks;
  /** `search` hears which records changed, so their search documents are rebuilt before commit. */
  constructor(db: Kysely<Database>, dialect: Dialect, search: SearchMarks = { markDirty: () => {} }) {
    this.#db = db;
    this.#dialect = dialect;
    this.#search = search;
  }

  async #markItems(itemIds: readonly number[]): Promise<void> {
    if (itemIds.length === 0) return;
    const rows = await this.#db.selectFrom('items').select('record_id').where('id', 'in', itemIds).execute();
    this.#search.markDirty(rows.map((r) => r.record_id));
  }

  async allocateRecordIds(n: number): Promise<number[]> {
    if (n <= 0) return [];
    if (this.#dialect === 'postgres') {
      const r = await sql<{ id: string | number }>`select nextval(pg_get_serial_sequence('bib_records', 'id')) as id from generate_series(1, ${n})`.execute(this.#db);
      return r.rows.map((x) => Number(x.id));
    }
    // SQLite: the caller holds the write lock for the whole transaction, so max(id) is stable.
    const r = await sql<{ m: number | null }>`select max(id) as m from bib_records`.execute(this.#db);
    const seq = await sql<{ seq: number }>`select seq from sqlite_sequence where name = 'bib_records'`.execute(this.#db);
    const start = Math.max(r.rows[0]?.m ?? 0, seq.rows[0]?.seq ?? 0) + 1;
    return Array.from({ length: n }, (_, i) => start + i);
  }

  async insertRecords(rows: readonly NewRecordRow[], now: string): Promise<number[]> {
    const ids = await this.#insertRecords(rows, now);
    this.#search.markDirty(ids);
    return ids;
  }

  async #insertRecords(rows: readonly NewRecordRow[], now: string): Promise<number[]> {
    const ids: number[] = [];
    for (const part of chunks(rows, 24)) {
      const values = part.map((r) => ({
        ...(r.id !== undefined ? { id: r.id } : {}),
        ...contentColumns(r),
        owner_unit_id: r.ownerUnitId,
        status: 'active',
        source: r.source,
        created_by: r.createdBy,
        updated_by: r.createdBy,
        created_at: now,
        updated_at: now,
      }));
      if (part.every((r) => r.id !== undefined)) {
        const columns = Object.keys(values[0]!);
        await bulkInsert(this.#db, this.#dialect, 'bib_records', columns, values.map((v) => columns.map((c) => (v as Record<string, unknown>)[c])));
        ids.push(...part.map((r) => r.id!));
      } else {
        for (const v of values) {
          const r = await this.#db.insertInto('bib_records').values(v).returning('id').executeTakeFirstOrThrow();
          ids.push(r.id);
        }
      }
    }
    return ids;
  }

  async updateRecord(id: number, content: RecordContent, by: number | null, now: string, version?: number): Promise<boolean> {
    let q = this.#db
      .updateTable('bib_records')
      .set((eb) => ({ ...contentColumns(content), updated_by: by, updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('status', '=', 'active');
    if (version !== undefined) q = q.where('version', '=', version);
    const r = await q.executeTakeFirst();
    this.#search.markDirty([id]);
    return Number(r.numUpdatedRows) === 1;
  }

  async markDeleted(id: number, by: number | null, now: string, replacedById: number | null = null): Promise<void> {
    this.#search.markDirty([id]);
    await this.#db
      .updateTable('bib_records')
      .set((eb) => ({ status: 'deleted', deleted_at: now, updated_at: now, updated_by: by, replaced_by_id: replacedById, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .execute();
    await this.#db.deleteFrom('bib_identifiers').where('record_id', '=', id).execute();
  }

  async getRecord(id: number): Promise<StoredRecord | undefined> {
    const r = await this.#db.selectFrom('bib_records').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toRecord(r) : undefined;
  }

  async getRecords(ids: readonly number[]): Promise<StoredRecord[]> {
    if (ids.length === 0) return [];
    const out: StoredRecord[] = [];
    for (const part of chunks(ids, 1)) {
      const rows = await this.#db.selectFrom('bib_records').selectAll().where('id', 'in', part).execute();
      out.push(...rows.map(toRecord));
    }
    return out;
  }

  async listRecords(f: RecordListFilter): Promise<StoredRecord[]> {
    let q = this.#db.selectFrom('bib_records as r').selectAll('r');
    if (!f.includeDeleted) q = q.where('r.status', '=', 'active');
    if (f.afterId !== undefined && !f.newestFirst) q = q.where('r.id', '>', f.afterId);
    if (f.ids) q = f.ids.length === 0 ? q.where('r.id', '<', 0) : q.where('r.id', 'in', f.ids);
    if (f.heldUnderPath !== undefined) {
      const path = f.heldUnderPath;
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('items as i')
            .innerJoin('org_units as u', 'u.id', 'i.owner_unit_id')
            .select('i.id')
            .whereRef('i.record_id', '=', 'r.id')
            .where('i.status', '<>', 'withdrawn')
            .where('u.path', '>=', path)
            .where('u.path', '<', path + '\uffff'),
        ),
      );
    }
    const rows = await q.orderBy('r.id', f.newestFirst ? 'desc' : 'asc').limit(f.limit).execute();
    return rows.map(toRecord);
  }

  async countRecords(opts: { includeDeleted?: boolean } = {}): Promise<number> {
    let q = this.#db.selectFrom('bib_records').select((eb) => eb.fn.countAll<number | string>().as('n'));
    if (!opts.includeDeleted) q = q.where('status', '=', 'active');
    const r = await q.executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async setIdentifiers(recordId: number, ids: readonly Identifier[]): Promise<void> {
    await this.#db.deleteFrom('bib_identifiers').where('record_id', '=', recordId).execute();
    await this.addIdentifiers(ids.map((i) => ({ ...i, recordId })));
  }

  async addIdentifiers(rows: readonly IdentifierHit[]): Promise<void> {
    const seen = new Set<string>();
    const unique = rows.filter((r) => {
      const k = `${r.kind}\u0000${r.value}\u0000${r.recordId}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    await bulkInsert(this.#db, this.#dialect, 'bib_identifiers', ['kind', 'value', 'record_id'], unique.map((r) => [r.kind, r.value, r.recordId]), ' on conflict do nothing');
  }

  async findByIdentifiers(ids: readonly Identifier[]): Promise<IdentifierHit[]> {
    const byKind = new Map<Identifier['kind'], Set<string>>();
    for (const i of ids) {
      let s = byKind.get(i.kind);
      if (!s) byKind.set(i.kind, (s = new Set()));
      s.add(i.value);
    }
    const out: IdentifierHit[] = [];
    for (const [kind, values] of byKind) {
      for (const part of chunks([...values], 1)) {
        const rows = await this.#db
          .selectFrom('bib_identifiers')
          .select(['kind', 'value', 'record_id'])
          .where('kind', '=', kind)
          .where('value', 'in', part)
          .orderBy('record_id')
          .execute();
        out.push(...rows.map((r) => ({ kind: r.kind as Identifier['kind'], value: r.value, recordId: r.record_id })));
      }
    }
    return out;
  }

  async insertItems(rows: readonly NewItemRow[], now: string, opts: { ids?: boolean } = {}): Promise<number[]> {
    const ids: number[] = [];
    if (rows.length === 0) return ids;
    const values = rows.map((r) => ({ ...itemColumns(r), record_id: r.recordId, source: r.source, created_at: now, updated_at: now }));
    const columns = Object.keys(values[0]!);
    await bulkInsert(this.#db, this.#dialect, 'items', columns, values.map((v) => columns.map((c) => (v as Record<string, unknown>)[c])));
    this.#search.markDirty(new Set(rows.map((r) => r.recordId)));
    await this.#touchRecords([...new Set(rows.map((r) => r.recordId))], now);
    if (opts.ids === false) return ids;
    // Ids by barcode (unique), not by position.
    const byBarcode = new Map<string, number>();
    for (const part of chunks(rows, 1)) {
      const res = await this.#db.selectFrom('items').select(['id', 'barcode']).where('barcode', 'in', part.map((r) => r.barcode)).execute();
      for (const x of res) byBarcode.set(x.barcode, x.id);
    }
    ids.push(...rows.map((r) => byBarcode.get(r.barcode)!));
    return ids;
  }

  async updateItem(id: number, row: ItemRow, now: string, version?: number): Promise<boolean> {
    let q = this.#db
      .updateTable('items')
      .set((eb) => ({ ...itemColumns(row), updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', id);
    if (version !== undefined) q = q.where('version', '=', version);
    const r = await q.executeTakeFirst();
    await this.#markItems([id]);
    await this.#touchRecordsOfItem(id, now);
    return Number(r.numUpdatedRows) === 1;
  }

  /**
   * A record's `updated_at` (its OAI-PMH datestamp) moves when a copy is added, edited, moved or
   * withdrawn: the holdings harvesters receive and the library sets the record belongs to depend
   * on its copies. Loans and returns do not move it. The record's version does not change.
   */
  async #touchRecords(recordIds: readonly number[], now: string): Promise<void> {
    for (const part of chunks(recordIds, 1)) {
      if (part.length > 0) await this.#db.updateTable('bib_records').set({ updated_at: now }).where('id', 'in', part).where('updated_at', '<', now).execute();
    }
  }

  async #touchRecordsOfItem(itemId: number, now: string): Promise<void> {
    const r = await this.#db.selectFrom('items').select('record_id').where('id', '=', itemId).executeTakeFirst();
    if (r) await this.#touchRecords([r.record_id], now);
  }

  async setItemStatus(id: number, status: string, now: string, withdrawnAt: string | null): Promise<void> {
    await this.#db
      .updateTable('items')
      .set((eb) => ({ status, withdrawn_at: withdrawnAt, updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .execute();
    await this.#markItems([id]);
    // Withdrawal changes the sets; taking a copy back goes through updateItem, which touches too.
    if (status === 'withdrawn') await this.#touchRecordsOfItem(id, now);
  }

  #itemQuery() {
    return this.#db
      .selectFrom('items as i')
      .innerJoin('org_units as o', 'o.id', 'i.owner_unit_id')
      .innerJoin('org_units as l', 'l.id', 'i.location_unit_id')
      .selectAll('i')
      .select(['o.code as owner_code', 'l.code as location_code']);
  }

  async getItem(id: number): Promise<StoredItem | undefined> {
    const r = await this.#itemQuery().where('i.id', '=', id).executeTakeFirst();
    return r ? toItem(r) : undefined;
  }

  async getItemByBarcode(barcode: string): Promise<StoredItem | undefined> {
    const r = await this.#itemQuery().where('i.barcode', '=', barcode).executeTakeFirst();
    return r ? toItem(r) : undefined;
  }

  async itemsOfRecord(recordId: number): Promise<StoredItem[]> {
    const rows = await this.#itemQuery().where('i.record_id', '=', recordId).orderBy('o.path').orderBy('i.shelf_key').orderBy('i.barcode').execute();
    return rows.map(toItem);
  }

  async itemsOfRecords(recordIds: readonly number[], underPath?: string): Promise<StoredItem[]> {
    const out: StoredItem[] = [];
    for (const part of chunks(recordIds, 1)) {
      if (part.length === 0) continue;
      let q = this.#itemQuery().where('i.record_id', 'in', part);
      if (underPath !== undefined) q = q.where('o.path', '>=', underPath).where('o.path', '<', underPath + '\uffff');
      const rows = await q.orderBy('i.record_id').orderBy('i.id').execute();
      out.push(...rows.map(toItem));
    }
    return out;
  }

  async barcodesTaken(barcodes: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    for (const part of chunks([...new Set(barcodes)], 1)) {
      if (part.length === 0) continue;
      const rows = await this.#db.selectFrom('items').select(['barcode', 'record_id']).where('barcode', 'in', part).execute();
      for (const r of rows) out.set(r.barcode, r.record_id);
    }
    return out;
  }

  async holderUnitIds(recordId: number): Promise<number[]> {
    const rows = await this.#db
      .selectFrom('items')
      .select('owner_unit_id')
      .distinct()
      .where('record_id', '=', recordId)
      .where('status', '<>', 'withdrawn')
      .execute();
    return rows.map((r) => r.owner_unit_id);
  }

  async moveItems(fromRecordId: number, toRecordId: number, now: string): Promise<number> {
    const r = await this.#db.updateTable('items').set({ record_id: toRecordId, updated_at: now }).where('record_id', '=', fromRecordId).executeTakeFirst();
    this.#search.markDirty([fromRecordId, toRecordId]);
    await this.#touchRecords([toRecordId], now);
    return Number(r.numUpdatedRows);
  }
}
