/**
 * Small catalogues for tests of browsing and feeds: books described by what a reader sees
 * (title, authors, subjects, class numbers, copies), written as MARC through the real catalogue
 * service so the search index, its headings and facets are built as in production.
 */
import type { Container } from '../src/main/container.js';
import type { MarcRecord } from '../src/codecs/marc/record.js';
import type { OrgUnit } from '../src/domain/org/unit.js';
import { systemActor } from '../src/app/actor.js';

export interface Book {
  title: string;
  authors?: string[];
  /** `Lịch sử -- Việt Nam` becomes 650 $a Lịch sử $z Việt Nam. */
  subjects?: string[];
  year?: number;
  ddc?: string;
  bbk?: string;
  lang?: string;
  /** [unit code, shelving location] of each copy. */
  copies?: Array<[string, string?]>;
}

export function marcOf(b: Book): MarcRecord {
  const f: MarcRecord['fields'] = [];
  f.push({ tag: '008', value: `250101s${b.year ?? '    '}    vm            000 0 ${b.lang ?? 'vie'} d` });
  if (b.ddc) f.push({ tag: '082', ind1: '0', ind2: '4', subfields: [{ code: 'a', value: b.ddc }] });
  if (b.bbk) f.push({ tag: '084', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: b.bbk }, { code: '2', value: 'bbk' }] });
  const [main, ...more] = b.authors ?? [];
  if (main) f.push({ tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: main }] });
  f.push({ tag: '245', ind1: main ? '1' : '0', ind2: '0', subfields: [{ code: 'a', value: b.title }] });
  f.push({ tag: '264', ind1: ' ', ind2: '1', subfields: [{ code: 'a', value: 'Hà Nội' }, { code: 'b', value: 'Nxb. Kim Đồng' }, { code: 'c', value: String(b.year ?? '') }] });
  for (const s of b.subjects ?? []) {
    const [a, ...rest] = s.split(' -- ');
    f.push({ tag: '650', ind1: ' ', ind2: '7', subfields: [{ code: 'a', value: a! }, ...rest.map((x) => ({ code: 'z', value: x }))] });
  }
  for (const a of more) f.push({ tag: '700', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: a }] });
  return { leader: '00000nam a2200000 i 4500', fields: f };
}

let barcodes = 0;

/** Catalogues the books (owned by `owner`) with their copies; returns their record ids in order. */
export async function addBooks(c: Container, owner: OrgUnit, books: readonly Book[]): Promise<number[]> {
  const sys = systemActor('test');
  const ids: number[] = [];
  for (const b of books) {
    const { record } = await c.services.catalog.create(sys, { marc: marcOf(b), unitId: owner.id, allowDuplicate: true });
    for (const [code, shelf] of b.copies ?? []) {
      const unit = await c.services.org.getByCode(code);
      await c.services.catalog.addItem(sys, record.id, { barcode: `BR${process.pid}-${++barcodes}`, ownerUnitCode: code, unitId: unit.id, ...(shelf ? { shelvingLocation: shelf } : {}) });
    }
    ids.push(record.id);
  }
  return ids;
}
