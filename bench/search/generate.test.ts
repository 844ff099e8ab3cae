/**
 * The search benchmark's data: the generator is deterministic, its records are valid MARC that
 * the catalogue prepares without trouble, its vocabulary has the promised shape, it loads into a
 * database, and the query mix has every category and the promised repeats.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareRecord, normaliseRecord } from '../../src/app/catalog-record.js';
import { validateMarc21 } from '../../src/domain/catalog/marc21-rules.js';
import { isValidIsbn13, compactIsbn } from '../../src/domain/catalog/isbn.js';
import { validateItem, ITEM_STATUSES, type ItemStatus } from '../../src/domain/catalog/items.js';
import { migrate, openDatabase } from '../../src/adapters/db/database.js';
import { createStore } from '../../src/adapters/db/store.js';
import { OrgService } from '../../src/app/org.service.js';
import { fold } from '../../src/text/fold.js';
import { isDataField, type MarcRecord } from '../../src/codecs/marc/record.js';
import { catalogueVocabulary, generateCatalogue, iForY, loadCatalogue, tonesOnMainVowel, vietnameseIsbn, type GeneratedRecord } from './generate.js';
import { BROAD_QUERIES, QUERY_CATEGORIES, queryKey, queryMix } from './queries.js';
import * as V from './vocabulary.js';

const UNITS = Array.from({ length: 300 }, (_, i) => i + 1);

function records(count: number, opts: { seed?: number; batchSize?: number; unitIds?: number[]; unitWeights?: number[] } = {}): GeneratedRecord[] {
  const out: GeneratedRecord[] = [];
  for (const batch of generateCatalogue({ records: count, unitIds: UNITS, ...opts })) out.push(...batch);
  return out;
}

/** Folded, lower-case words of a text. */
const words = (s: string): string[] => fold(s).toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
const isbnsOf = (m: MarcRecord): string[] => m.fields.filter((f) => f.tag === '020' && isDataField(f)).flatMap((f) => (isDataField(f) ? f.subfields.filter((s) => s.code === 'a').map((s) => s.value) : []));

describe('vocabulary', () => {
  it('is large enough, NFC and without duplicates', () => {
    const all = [
      ...V.TITLE_TERMS,
      ...V.RARE_WORDS,
      ...V.SUBJECT_HEADINGS.map((s) => s.heading),
      ...V.PUBLISHERS.map((p) => p.name),
      ...V.FAMILY_NAMES.map(([n]) => n),
      ...V.GIVEN_NAMES_FEMALE,
      ...V.GIVEN_NAMES_MALE,
      ...V.SERIES.map(([s]) => s),
    ];
    for (const s of all) expect(s, s).toBe(s.normalize('NFC'));
    expect(V.TITLE_TERMS.length).toBeGreaterThanOrEqual(600);
    expect(new Set(V.TITLE_TERMS).size).toBe(V.TITLE_TERMS.length);
    expect(new Set(V.SUBJECT_HEADINGS.map((s) => s.heading)).size).toBeGreaterThanOrEqual(120);
    expect(V.PUBLISHERS.length).toBeGreaterThanOrEqual(40);
    const combos = V.FAMILY_NAMES.length * (V.MIDDLE_NAMES_MALE.length * V.GIVEN_NAMES_MALE.length + V.MIDDLE_NAMES_FEMALE.length * V.GIVEN_NAMES_FEMALE.length);
    expect(combos).toBeGreaterThanOrEqual(150);
    expect(catalogueVocabulary().authors.length).toBeGreaterThanOrEqual(150);
  });

  it('has words that differ only by tone or đ, each of them in the titles', () => {
    const tokens = new Set([...V.TITLE_TERMS, ...V.TITLE_CONNECTORS].flatMap((t) => t.split(' ')));
    for (const g of V.TONE_GROUPS) {
      expect(g.forms.length).toBeGreaterThanOrEqual(2);
      for (const f of g.forms) {
        expect(words(f).join(' '), f).toBe(g.folded);
        expect(tokens.has(f), f).toBe(true);
      }
    }
  });

  it('writes the other tone placement and i for y', () => {
    expect(tonesOnMainVowel('Hòa bình, thủy sản, sức khỏe, hoàng hôn, thuyết')).toBe('Hoà bình, thuỷ sản, sức khoẻ, hoàng hôn, thuyết');
    expect(iForY('Kỹ thuật, lý luận, Mỹ thuật, quý, tay')).toBe('Kĩ thuật, lí luận, Mĩ thuật, quí, tay');
  });
});

describe('generateCatalogue', () => {
  it('is deterministic: the same seed gives the same records, whatever the batch size', () => {
    const a = records(300, { seed: 7, batchSize: 1000 });
    const b = records(300, { seed: 7, batchSize: 7 });
    expect(b).toEqual(a);
    const c = records(300, { seed: 8 });
    expect(c.map((r) => r.marc)).not.toEqual(a.map((r) => r.marc));
    expect(records(50)).toEqual(records(50));
  });

  it('gives records the catalogue prepares without problems, with valid ISBNs and copies', () => {
    const barcodes = new Set<string>();
    for (const g of records(3000, { seed: 11 })) {
      expect(normaliseRecord(g.marc)).toEqual(g.marc);
      expect(validateMarc21(g.marc), JSON.stringify(g.marc)).toEqual([]);
      const p = prepareRecord(g.marc, { nfc: true });
      expect(p.content.title).not.toBe('');
      expect(p.content.year).toBeGreaterThanOrEqual(1950);
      expect(p.content.year).toBeLessThanOrEqual(2026);
      expect(['vie', 'eng', 'fre', 'chi', 'rus']).toContain(p.content.language);
      expect(V.MATERIAL_TYPES.map(([m]) => m)).toContain(p.content.materialType);
      for (const isbn of isbnsOf(g.marc)) expect(isValidIsbn13(isbn), isbn).toBe(true);
      for (const i of p.derived.isbns) expect(i.status).toBe('valid');
      expect(p.derived.subjects.length).toBeGreaterThanOrEqual(1);
      expect(p.derived.subjects.length).toBeLessThanOrEqual(4);
      expect(g.items.length).toBeGreaterThanOrEqual(1);
      expect(g.items.length).toBeLessThanOrEqual(20);
      expect(g.ownerUnitId).toBe(g.items[0]!.ownerUnitId);
      for (const item of g.items) {
        expect(barcodes.has(item.barcode)).toBe(false);
        barcodes.add(item.barcode);
        expect(ITEM_STATUSES).toContain(item.status);
        expect(UNITS).toContain(item.ownerUnitId);
        const checked = validateItem({ barcode: item.barcode, callNumber: item.callNumber ?? undefined, status: item.status as ItemStatus, price: item.price ?? undefined, acquiredOn: item.acquiredOn ?? undefined, itemType: item.itemType ?? undefined }, { today: '2026-03-01' });
        expect(checked.ok, JSON.stringify(item)).toBe(true);
        if (checked.ok) expect(checked.value.barcode).toBe(item.barcode);
      }
    }
  }, 60_000);

  it('has the promised shape over 20,000 records', () => {
    const n = 20_000;
    const titles: string[][] = [];
    let isbn = 0;
    let summaries = 0;
    let series = 0;
    let items = 0;
    let onLoan = 0;
    for (const g of records(n)) {
      const p = prepareRecord(g.marc, { nfc: true });
      titles.push(words(p.content.title));
      if (p.derived.isbns.length > 0) isbn++;
      if (p.derived.summaries.length > 0) summaries++;
      if (p.derived.series.length > 0) series++;
      items += g.items.length;
      onLoan += g.items.filter((i) => i.status === 'on-loan').length;
    }
    const share = (test: (t: string[]) => boolean) => titles.filter(test).length / n;
    const hasPhrase = (phrase: string) => {
      const w = words(phrase);
      return (t: string[]) => t.some((_, i) => w.every((x, j) => t[i + j] === x));
    };
    // The word pair of the broad queries, as a phrase, and every broad query's words together.
    expect(share(hasPhrase('viet nam'))).toBeGreaterThan(0.1);
    expect(share(hasPhrase('lich su'))).toBeGreaterThan(0.1);
    for (const q of BROAD_QUERIES) expect(share((t) => words(q).every((w) => t.includes(w))), q).toBeGreaterThan(0.1);
    // A mid-ranked word is in some titles, a rare one in very few.
    expect(share(hasPhrase('nuôi tôm'))).toBeGreaterThan(0.001);
    expect(share(hasPhrase('nuôi tôm'))).toBeLessThan(0.05);
    expect(share(hasPhrase('đông trùng hạ thảo'))).toBeLessThan(0.0005);
    expect(isbn / n).toBeGreaterThan(0.62);
    expect(isbn / n).toBeLessThan(0.78);
    expect(summaries / n).toBeGreaterThan(0.25);
    expect(summaries / n).toBeLessThan(0.35);
    expect(series / n).toBeGreaterThan(0.07);
    expect(series / n).toBeLessThan(0.13);
    expect(onLoan / items).toBeGreaterThan(0.12);
    expect(onLoan / items).toBeLessThan(0.18);
  }, 120_000);

  it('hands out Vietnamese ISBNs that are valid and distinct', () => {
    const seen = new Set<string>();
    for (let k = 0; k < 20_000; k++) {
      const isbn = vietnameseIsbn(k);
      expect(isValidIsbn13(isbn)).toBe(true);
      expect(isbn.startsWith('978604')).toBe(true);
      seen.add(isbn);
    }
    expect(seen.size).toBe(20_000);
  });
});

describe('loadCatalogue', () => {
  it('builds the network and lands records, identifiers and copies in batches', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lienthong-search-gen-'));
    const handle = openDatabase({ url: join(dir, 'bench.sqlite') });
    try {
      await migrate(handle);
      const store = createStore(handle);
      const org = new OrgService({ store, clock: { now: () => new Date('2026-03-15T03:00:00Z') } });
      const progress: number[] = [];
      const r = await loadCatalogue({ store, services: { org } }, { records: 1_250, batchSize: 500, seed: 3, onProgress: (p) => progress.push(p.records) });
      expect(r.tree.units.length).toBe(300);
      expect(r.tree.districts.length).toBe(13);
      expect(r.tree.communes.length).toBe(145);
      expect(r.tree.units.filter((u) => u.typeCode === 'provincial').length).toBe(1);
      expect(progress).toEqual([500, 1000, 1250]);
      expect(r.records).toBe(1_250);
      expect(await store.catalog.countRecords()).toBe(1_250);
      const same = records(1_250, { seed: 3, unitIds: r.tree.holdingUnitIds, unitWeights: r.tree.holdingWeights });
      expect(r.items).toBe(same.reduce((a, g) => a + g.items.length, 0));
      const first = (await store.catalog.listRecords({ limit: 1 }))[0]!;
      const generated = same[0]!;
      expect(JSON.parse(first.marc)).toEqual(generated.marc);
      expect((await store.catalog.itemsOfRecord(first.id)).map((i) => i.barcode).sort()).toEqual(generated.items.map((i) => i.barcode).sort());
      expect(first.ownerUnitId).toBe(generated.ownerUnitId);
      expect(await store.catalog.findByIdentifiers([{ kind: 'ctrl', value: `LIENTHONG|${first.id}` }])).toEqual([{ kind: 'ctrl', value: `LIENTHONG|${first.id}`, recordId: first.id }]);
      const isbn = isbnsOf(generated.marc)[0];
      if (isbn) expect((await store.catalog.findByIdentifiers([{ kind: 'isbn', value: compactIsbn(isbn) }])).map((h) => h.recordId)).toEqual([first.id]);
    } finally {
      await handle.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('queryMix', () => {
  const communes = ['RG-X01', 'RG-X02', 'HD-X05', 'PQ-X03'];

  it('is deterministic and has all nine categories, with no two queries alike at repeatRate 0', () => {
    const mix = queryMix({ seed: 1, count: 900, unitCodes: communes });
    expect(queryMix({ seed: 1, count: 900, unitCodes: communes })).toEqual(mix);
    expect(mix.length).toBe(900);
    expect(new Set(mix.map((q) => q.category))).toEqual(new Set(QUERY_CATEGORIES));
    expect(new Set(mix.map(queryKey)).size).toBe(900);
    for (const q of mix) {
      expect(q.q.trim()).not.toBe('');
      expect(q.q).toBe(q.q.normalize('NFC'));
      if (q.category === 'no-tones') expect(q.q).toBe(fold(q.q).toLowerCase());
      if (q.category === 'exact-tones') expect(fold(q.q)).not.toBe(q.q);
      if (q.category === 'phrase') expect(q.q).toMatch(/^".+"$/u);
      if (q.category === 'field') expect(q.q).toMatch(/^(title|author|subject|publisher|year|isbn):/u);
      if (q.category === 'facet-filtered') expect(Object.keys(q.filters ?? {}).length).toBeGreaterThan(0);
      if (q.category === 'scoped-commune') expect(communes).toContain(q.scopeUnit);
      if (q.category === 'broad') expect(BROAD_QUERIES).toContain(q.q);
      else expect(BROAD_QUERIES.map((b) => words(b).join(' '))).not.toContain(words(q.q).join(' '));
    }
  });

  it('asks for ISBNs the catalogue holds', () => {
    const held = new Set(records(20_000).flatMap((g) => isbnsOf(g.marc).map(compactIsbn)));
    const isbns = queryMix({ seed: 2, count: 2_000, unitCodes: communes, records: 20_000 })
      .filter((q) => q.q.startsWith('isbn:'))
      .map((q) => compactIsbn(q.q.slice(5)));
    expect(isbns.length).toBeGreaterThan(10);
    for (const i of isbns) expect(held.has(i), i).toBe(true);
  }, 60_000);

  it('repeats earlier queries at the given rate, the first ones most', () => {
    const mix = queryMix({ seed: 3, count: 1_000, unitCodes: communes, repeatRate: 0.4 });
    expect(mix.length).toBe(1_000);
    const seen = new Map<string, number>();
    let repeats = 0;
    for (const q of mix) {
      const k = queryKey(q);
      if (seen.has(k)) repeats++;
      seen.set(k, (seen.get(k) ?? 0) + 1);
    }
    expect(repeats).toBe(400);
    const counts = [...seen.values()];
    expect(counts[0]!).toBeGreaterThan(counts[counts.length - 1]!);
    expect(Math.max(...counts)).toBeGreaterThan(10);
  });
});
