/**
 * Exporting the union catalogue — all of it, one library's holdings (its subtree), or chosen
 * records — as ISO 2709, MARCXML, MARC-in-JSON (JSON Lines) or CSV, streamed: records are read
 * 500 at a time by id and written as they come, so a million records never sit in memory.
 *
 * Each exported record carries the union catalogue's number (001 = record id, 003 = our
 * organisation code; the number it came with moves to 035 `(ORG)number`) and its holdings as
 * Koha-style 952 fields (or 852), so a file exported here and imported elsewhere — or back
 * here — keeps records and items matched.
 */
import { stringify } from 'csv-stringify/sync';
import type { MarcRecord, MarcField } from '../codecs/marc/record.js';
import { iso2709Chunks, marcJsonChunks, marcXmlChunks } from '../codecs/marc/write-stream.js';
import type { MarcIssue } from '../codecs/marc/errors.js';
import { AppError } from '../domain/errors.js';
import { allows, allowsAnywhere } from '../domain/access/permissions.js';
import { itemsToMarc, type ExportableItem } from '../domain/catalog/items.js';
import type { ShelfScheme } from '../domain/catalog/shelf-key.js';
import type { Actor } from './actor.js';
import type { Store, StoredItem, StoredRecord } from './ports.js';
import { parseStoredDerived, parseStoredMarc } from './catalog-record.js';

export const EXPORT_FORMATS = ['iso2709', 'marcxml', 'json', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportSelection {
  /** One library and everything under it: records it holds, with its items only. */
  unitId?: number;
  /** Just these records. */
  ids?: readonly number[];
  /** `952` (default), `852`, or `none`. */
  holdings?: '952' | '852' | 'none';
}

export const EXPORT_CONTENT_TYPES: Record<ExportFormat, string> = {
  iso2709: 'application/marc',
  marcxml: 'application/marcxml+xml; charset=utf-8',
  json: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
};

export const EXPORT_EXTENSIONS: Record<ExportFormat, string> = { iso2709: 'mrc', marcxml: 'xml', json: 'jsonl', csv: 'csv' };

const CSV_COLUMNS = ['id', 'title', 'responsibility', 'authors', 'publisher', 'place', 'year', 'edition', 'isbn', 'issn', 'language', 'material_type', 'classification', 'call_number', 'subjects', 'items', 'barcodes', 'updated_at'];

export function isExportFormat(s: string): s is ExportFormat {
  return (EXPORT_FORMATS as readonly string[]).includes(s);
}

function exportable(i: StoredItem): ExportableItem {
  return {
    barcode: i.barcode,
    ownerUnitCode: i.ownerUnitCode,
    locationUnitCode: i.locationUnitCode,
    shelvingLocation: i.shelvingLocation,
    callNumber: i.callNumber,
    callScheme: (i.callScheme ?? 'other') as ShelfScheme,
    shelfKey: i.shelfKey ?? '',
    itemType: i.itemType,
    status: i.status as ExportableItem['status'],
    price: i.price,
    currency: i.currency ?? 'VND',
    acquiredOn: i.acquiredOn,
    copyNumber: i.copyNumber,
    publicNote: i.publicNote,
    staffNote: i.staffNote,
  };
}

export class ExportService {
  readonly #store: Store;
  readonly #orgCode: string;
  constructor(deps: { store: Store; orgCode: string }) {
    this.#store = deps.store;
    this.#orgCode = deps.orgCode;
  }

  /** Export needs `catalog.export`: at the library for its holdings, anywhere for the whole catalogue. */
  async authorize(actor: Actor, sel: ExportSelection): Promise<void> {
    if (sel.unitId !== undefined) {
      const place = await this.#store.org.place(sel.unitId);
      if (!place) throw new AppError('ORG_UNIT_NOT_FOUND', { unit: sel.unitId });
      if (!allows(actor.grants, 'catalog.export', place)) throw new AppError('PERMISSION_DENIED', { permission: 'catalog.export', unit: sel.unitId });
    } else if (!allowsAnywhere(actor.grants, 'catalog.export')) {
      throw new AppError('PERMISSION_DENIED', { permission: 'catalog.export', unit: 0 });
    }
  }

  /** The records of a selection with their items (of the library's subtree when one is chosen). */
  async *records(sel: ExportSelection): AsyncGenerator<{ record: StoredRecord; items: StoredItem[] }> {
    let underPath: string | undefined;
    if (sel.unitId !== undefined) {
      const place = await this.#store.org.place(sel.unitId);
      if (!place) throw new AppError('ORG_UNIT_NOT_FOUND', { unit: sel.unitId });
      underPath = place.path;
    }
    let afterId = 0;
    for (;;) {
      const page = await this.#store.catalog.listRecords({ afterId, limit: 500, ids: sel.ids, heldUnderPath: underPath });
      if (page.length === 0) return;
      const items = await this.#store.catalog.itemsOfRecords(
        page.map((r) => r.id),
        underPath,
      );
      const byRecord = new Map<number, StoredItem[]>();
      for (const i of items) {
        if (i.status === 'withdrawn') continue;
        let list = byRecord.get(i.recordId);
        if (!list) byRecord.set(i.recordId, (list = []));
        list.push(i);
      }
      for (const record of page) yield { record, items: byRecord.get(record.id) ?? [] };
      afterId = page[page.length - 1]!.id;
      if (page.length < 500) return;
    }
  }

  /** The MARC record as exported: our number in 001/003, the old one in 035, holdings fields. */
  toMarc(record: StoredRecord, items: readonly StoredItem[], holdings: '952' | '852' | 'none' = '952'): MarcRecord {
    const marc = parseStoredMarc(record);
    const old001 = marc.fields.find((f) => f.tag === '001' && 'value' in f);
    const old003 = marc.fields.find((f) => f.tag === '003' && 'value' in f);
    const fields: MarcField[] = marc.fields.filter((f) => f.tag !== '001' && f.tag !== '003' && f.tag !== '852' && f.tag !== '952');
    const head: MarcField[] = [
      { tag: '001', value: String(record.id) },
      { tag: '003', value: this.#orgCode },
    ];
    if (old001 && 'value' in old001 && old003 && 'value' in old003 && old003.value.trim() && old003.value.trim() !== this.#orgCode) {
      const value = `(${old003.value.trim()})${old001.value.trim()}`;
      const exists = fields.some((f) => f.tag === '035' && 'subfields' in f && f.subfields.some((s) => s.value.replace(/\s+/g, '') === value.replace(/\s+/g, '')));
      if (!exists) fields.push({ tag: '035', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value }] });
    }
    const all = [...head, ...fields];
    if (holdings !== 'none') all.push(...itemsToMarc(items.map(exportable), holdings).map((f) => ({ tag: f.tag, ind1: f.ind1, ind2: f.ind2, subfields: f.subfields.map((s) => ({ ...s })) })));
    // Fields in tag order, control fields first, as MARC expects; stable within a tag.
    const ordered = all.map((f, i) => ({ f, i })).sort((a, b) => (a.f.tag < b.f.tag ? -1 : a.f.tag > b.f.tag ? 1 : a.i - b.i));
    return { leader: marc.leader, fields: ordered.map((x) => x.f) };
  }

  /** The export as byte chunks. `onSkipped` hears of records the format cannot carry. */
  async *stream(format: ExportFormat, sel: ExportSelection, onSkipped?: (issue: MarcIssue) => void): AsyncGenerator<Uint8Array> {
    if (!isExportFormat(format)) throw new AppError('CATALOG_EXPORT_FORMAT', { format });
    const holdings = sel.holdings ?? '952';
    const marcs = async function* (this: ExportService): AsyncGenerator<MarcRecord> {
      for await (const { record, items } of this.records(sel)) yield this.toMarc(record, items, holdings);
    }.bind(this);
    const onError = (issue: MarcIssue) => onSkipped?.(issue);
    if (format === 'iso2709') yield* iso2709Chunks(marcs(), { onError });
    else if (format === 'marcxml') yield* marcXmlChunks(marcs(), { xmlDeclaration: true, onError });
    else if (format === 'json') yield* marcJsonChunks(marcs(), { onError });
    else yield* this.#csv(sel);
  }

  async *#csv(sel: ExportSelection): AsyncGenerator<Uint8Array> {
    const enc = new TextEncoder();
    // A byte-order mark so spreadsheet programs read the Vietnamese as UTF-8.
    yield enc.encode('\uFEFF' + stringify([CSV_COLUMNS]));
    let buf = '';
    for await (const { record, items } of this.records(sel)) {
      const d = parseStoredDerived(record);
      buf += stringify([
        [
          record.id,
          d.title ?? '',
          d.responsibility ?? '',
          d.authors.map((a) => a.name).join(' | '),
          d.publishers.join(' | '),
          d.places.join(' | '),
          d.year ?? '',
          d.edition ?? '',
          d.isbns.filter((i) => i.status !== 'cancelled').map((i) => i.isbn13 ?? i.raw).join(' | '),
          d.issns.filter((i) => i.issn).map((i) => i.issn).join(' | '),
          d.languages.join(' | '),
          d.materialType,
          d.classifications.map((c) => `${c.scheme}:${c.number}`).join(' | '),
          d.callNumber?.value ?? '',
          d.subjects.map((s) => s.heading).join(' | '),
          items.length,
          items.map((i) => i.barcode).join(' | '),
          record.updatedAt,
        ],
      ]);
      if (buf.length > 65_536) {
        yield enc.encode(buf);
        buf = '';
      }
    }
    if (buf) yield enc.encode(buf);
  }
}
