import { describe, expect, it } from 'vitest';
import type { DocFacets } from '../../domain/search/document.js';
import type { FacetRow, SearchIndex } from '../ports.js';
import { FacetStore, type FacetCounts, type FacetFilters } from './facet-store.js';
import { signatureTest, wordSignature } from '../../domain/search/signature.js';

// ---------------------------------------------------------------------------------------------
// A hand-written stand-in for the index: only what FacetStore reads (`state`, `facetRows`), with
// the same (seq, id) order and the same rebuild behaviour as the engines (every rebuilt document
// gets seq 0 and the generation goes up; the change counter does not go back).

class FakeIndex {
  generation = 1;
  seq = 0;
  facetRowCalls = 0;
  readonly docs = new Map<number, DocFacets>();
  #rows = new Map<number, FacetRow>();

  /** One transaction: these documents replaced, those removed, under one new change number. */
  write(docs: Iterable<readonly [number, DocFacets]>, gone: readonly number[] = []): void {
    const seq = ++this.seq;
    for (const [id, facets] of docs) {
      this.docs.set(id, facets);
      this.#rows.set(id, { id, seq, alive: true, facets, year: facets.year, holdings: 1 });
    }
    for (const id of gone) {
      this.docs.delete(id);
      this.#rows.set(id, { id, seq, alive: false, facets: null, year: null, holdings: 0 });
    }
  }

  /** A full reindex: the shadow set (seq 0 for all) swapped in. */
  rebuild(docs: Iterable<readonly [number, DocFacets]>): void {
    this.#rows.clear();
    this.docs.clear();
    for (const [id, facets] of docs) {
      this.docs.set(id, facets);
      this.#rows.set(id, { id, seq: 0, alive: true, facets, year: facets.year, holdings: 1 });
    }
    this.generation++;
  }

  async state(): Promise<{ seq: number; generation: number }> {
    return { seq: this.seq, generation: this.generation };
  }

  async facetRows(after: { seq: number; id: number }, limit: number): Promise<FacetRow[]> {
    this.facetRowCalls++;
    return [...this.#rows.values()]
      .filter((r) => r.seq > after.seq || (r.seq === after.seq && r.id > after.id))
      .sort((a, b) => a.seq - b.seq || a.id - b.id)
      .slice(0, limit);
  }

  get asIndex(): SearchIndex {
    return this as unknown as SearchIndex;
  }
}

function facets(f: Partial<DocFacets> = {}): DocFacets {
  return { material: 'book', languages: ['vie'], year: null, subjects: [], authors: [], collections: [], classes: [], held: [], available: [], ...f };
}

// The library tree: 1 province; 2, 3 districts under it; 5 under 2; 6 under 3. As documents
// carry them, `held` and `available` already include every ancestor.
const DOCS: [number, DocFacets][] = [
  [1, facets({ year: 2019, subjects: ['Thư viện', 'Kiên Giang'], authors: ['Trần Văn Minh'], classes: ['ddc:000'], held: [1, 2, 5], available: [1, 2, 5] })],
  [2, facets({ year: 2015, subjects: ['Văn học Việt Nam'], authors: ['Lê Thị Hoa'], held: [1, 2, 5], available: [] })],
  [3, facets({ year: 2013, languages: ['eng'], subjects: ['Vietnam'], authors: ['Keith Taylor'], collections: ['Kho ngoại văn'], held: [1], available: [1] })],
  [4, facets({ material: 'serial', year: 1995, subjects: ['Lịch sử'], authors: ['Trần Văn Giàu'], classes: ['ddc:900'], held: [1, 3, 6], available: [1, 3, 6] })],
  [5, facets({ material: 'map', languages: ['vie', 'eng'], subjects: ['Kiên Giang', 'Địa chí'] })],
  [6, facets({ year: 2012, subjects: ['Lịch sử'], authors: ['Phan Huy Lê', 'Trần Quốc Vượng'], classes: ['ddc:900'], collections: ['Thiếu nhi'], held: [1, 2, 3, 5, 6], available: [1, 3, 6] })],
];

async function loaded(docs: [number, DocFacets][] = DOCS): Promise<{ store: FacetStore; index: FakeIndex }> {
  const index = new FakeIndex();
  index.write(docs);
  const store = new FacetStore();
  await store.sync(index.asIndex);
  return { store, index };
}

const ids = (...xs: number[]) => Uint32Array.from(xs);
const everything = (store: FacetStore) => store.all();

type PlainCounts = { [K in keyof FacetCounts]: FacetCounts[K] extends number ? number : FacetCounts[K] extends boolean ? boolean : Record<string, number> };

/** Counts as plain objects (Map order kept), for toEqual. */
function plain(c: FacetCounts | null): PlainCounts {
  if (!c) throw new Error('no counts');
  const o = (m: Map<string | number, number>) => Object.fromEntries([...m].map(([k, v]) => [String(k), v]));
  return {
    material: o(c.material),
    language: o(c.language),
    subject: o(c.subject),
    author: o(c.author),
    collection: o(c.collection),
    class: o(c.class),
    library: o(c.library),
    availableAt: o(c.availableAt),
    availableAnywhere: c.availableAnywhere,
    decade: o(c.decade),
    approximate: c.approximate,
  };
}

/** The counts with no filter, computed the slow way from the documents: the oracle. */
function expectedCounts(docs: Iterable<DocFacets>): PlainCounts {
  const bump = (m: Record<string, number>, k: string | number) => {
    m[String(k)] = (m[String(k)] ?? 0) + 1;
  };
  const out: PlainCounts = { material: {}, language: {}, subject: {}, author: {}, collection: {}, class: {}, library: {}, availableAt: {}, availableAnywhere: 0, decade: {}, approximate: false };
  for (const d of docs) {
    bump(out.material, d.material);
    d.languages.forEach((v) => bump(out.language, v));
    d.subjects.forEach((v) => bump(out.subject, v));
    d.authors.forEach((v) => bump(out.author, v));
    d.collections.forEach((v) => bump(out.collection, v));
    d.classes.forEach((v) => bump(out.class, v));
    d.held.forEach((v) => bump(out.library, v));
    d.available.forEach((v) => bump(out.availableAt, v));
    if (d.available.length > 0) out.availableAnywhere++;
    if (d.year) bump(out.decade, Math.floor(d.year / 10) * 10);
  }
  return out;
}

/** Compares counts ignoring the order of map entries. */
function sameCounts(got: PlainCounts, want: PlainCounts): void {
  const sorted = (x: PlainCounts) => JSON.parse(JSON.stringify(x, (_k, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v))) as unknown;
  expect(sorted(got)).toEqual(sorted(want));
}

// ---------------------------------------------------------------------------------------------

describe('FacetStore.sync', () => {
  it('loads every row on the first sync', async () => {
    const { store, index } = await loaded();
    expect(store.live).toBe(6);
    expect([...store.all()]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(index.facetRowCalls).toBe(1);
    sameCounts(plain(store.filterAndCount(everything(store), {}).counts), expectedCounts(index.docs.values()));
  });

  it('asks for nothing more when nothing changed', async () => {
    const { store, index } = await loaded();
    await store.sync(index.asIndex);
    await store.sync(index.asIndex);
    expect(index.facetRowCalls).toBe(1);
  });

  it('applies later rows: an update, a deletion (alive = false) and a new document', async () => {
    const { store, index } = await loaded();
    index.write([[2, facets({ year: 2016, subjects: ['Thơ'], authors: ['Lê Thị Hoa'], held: [1, 2, 5], available: [1, 2, 5] })]]);
    index.write([], [3]);
    index.write([[7, facets({ material: 'e-book', year: 2024, subjects: ['Thơ'], held: [1, 3], available: [1, 3] })]]);
    await store.sync(index.asIndex);
    expect(store.live).toBe(6);
    expect([...store.all()]).toEqual([1, 2, 4, 5, 6, 7]);
    expect(store.isLive(3)).toBe(false);
    expect(store.year(3)).toBeNull();
    expect(store.year(2)).toBe(2016);
    expect(index.facetRowCalls).toBe(2);
    const c = plain(store.filterAndCount(ids(1, 2, 3, 4, 5, 6, 7), {}).counts);
    sameCounts(c, expectedCounts(index.docs.values()));
    expect(c.subject['Thơ']).toBe(2);
    expect(c.subject['Văn học Việt Nam']).toBeUndefined();
    expect(c.language['eng']).toBe(1);
  });

  it('applies several changes to one document in one sync, the last winning', async () => {
    const { store, index } = await loaded();
    index.write([[1, facets({ subjects: ['A'] })]]);
    index.write([], [1]);
    index.write([[1, facets({ subjects: ['B'], year: 2001 })]]);
    await store.sync(index.asIndex);
    expect(store.live).toBe(6);
    expect(store.year(1)).toBe(2001);
    const c = plain(store.filterAndCount(store.all(), {}).counts);
    expect([c.subject['A'], c.subject['B']]).toEqual([undefined, 1]);
  });

  it('deleting a document that was never loaded, and deleting twice, changes nothing else', async () => {
    const { store, index } = await loaded();
    index.write([], [99, 4]);
    index.write([], [4]);
    await store.sync(index.asIndex);
    expect(store.live).toBe(5);
    expect([...store.all()]).toEqual([1, 2, 3, 5, 6]);
    sameCounts(plain(store.filterAndCount(ids(1, 2, 3, 4, 5, 6, 99), {}).counts), expectedCounts(index.docs.values()));
  });

  it('reloads from scratch when the generation changes (a reindex)', async () => {
    const { store, index } = await loaded();
    index.write([[6, facets({ subjects: ['Cũ'] })]]);
    await store.sync(index.asIndex);
    // The rebuilt set has seq 1 everywhere: below the store's position, so only a reset sees it.
    index.rebuild([
      [1, facets({ year: 2019, subjects: ['Thư viện'], held: [1, 2], available: [] })],
      [8, facets({ material: 'score', year: 1980, held: [1, 3], available: [1, 3] })],
    ]);
    await store.sync(index.asIndex);
    expect(store.live).toBe(2);
    expect([...store.all()]).toEqual([1, 8]);
    expect(store.isLive(6)).toBe(false);
    const c = plain(store.filterAndCount(ids(1, 2, 3, 4, 5, 6, 8), {}).counts);
    sameCounts(c, expectedCounts(index.docs.values()));
    expect(c.material).toEqual({ book: 1, score: 1 });
    // Changes after the reindex are picked up as usual.
    index.write([[8, facets({ material: 'score', year: 1981 })]]);
    await store.sync(index.asIndex);
    expect(store.year(8)).toBe(1981);
  });

  it('reads past one page of 20 000 rows', async () => {
    const many: [number, DocFacets][] = [];
    for (let id = 1; id <= 20_005; id++) many.push([id, facets({ year: 1900 + (id % 100), held: [1, 2 + (id % 3)] })]);
    const { store, index } = await loaded(many);
    expect(store.live).toBe(20_005);
    expect(index.facetRowCalls).toBe(2);
    const c = plain(store.filterAndCount(store.all(), {}, { topN: 5 }).counts);
    expect(c.library).toEqual({ 1: 20_005, 2: 6668, 3: 6669, 4: 6668 });
    expect(c.decade['1900']).toBe(2005);
  });

  it('grows for large ids', async () => {
    const { store } = await loaded([
      [3, facets({ year: 2000 })],
      [70_000, facets({ year: 2001, held: [1, 40_000] })],
    ]);
    expect([...store.all()]).toEqual([3, 70_000]);
    expect(store.year(70_000)).toBe(2001);
    expect([...store.all(40_000)]).toEqual([70_000]);
    expect(plain(store.filterAndCount(ids(3, 70_000), {}).counts).library).toEqual({ 1: 1, 40000: 1 });
  });

  it('takes unit ids up to 2^24 - 1 and says plainly when one is larger (values are tagged in 24 bits)', async () => {
    const { store } = await loaded([[1, facets({ held: [1, 2 ** 24 - 1], available: [2 ** 24 - 1] })]]);
    const counts = plain(store.filterAndCount(ids(1), {}).counts);
    expect(counts.library).toEqual({ 1: 1, [2 ** 24 - 1]: 1 });
    expect(counts.availableAt).toEqual({ [2 ** 24 - 1]: 1 });
    expect(counts.availableAnywhere).toBe(1);
    await expect(loaded([[1, facets({ held: [2 ** 24] })]])).rejects.toThrow(/unit id 16777216 of document 1 does not fit in the facet store's 24 bits/);
  });

  it('runs overlapping syncs one after the other', async () => {
    const index = new FakeIndex();
    index.write(DOCS);
    const store = new FacetStore();
    await Promise.all([store.sync(index.asIndex), store.sync(index.asIndex), store.sync(index.asIndex)]);
    expect(store.live).toBe(6);
    expect(index.facetRowCalls).toBe(1);
  });
});

describe('FacetStore.filterAndCount: filters (OR within a facet, AND across facets)', () => {
  it.each<[string, FacetFilters, number[]]>([
    ['no filter', {}, [1, 2, 3, 4, 5, 6]],
    ['one material', { material: ['book'] }, [1, 2, 3, 6]],
    ['two materials', { material: ['serial', 'map'] }, [4, 5]],
    ['an unknown value', { material: ['kit'] }, []],
    ['one language', { language: ['eng'] }, [3, 5]],
    ['two languages', { language: ['eng', 'vie'] }, [1, 2, 3, 4, 5, 6]],
    ['one subject', { subject: ['Lịch sử'] }, [4, 6]],
    ['two subjects', { subject: ['Lịch sử', 'Kiên Giang'] }, [1, 4, 5, 6]],
    ['an author', { author: ['Trần Quốc Vượng'] }, [6]],
    ['a collection', { collection: ['Kho ngoại văn'] }, [3]],
    ['a class', { class: ['ddc:900'] }, [4, 6]],
    ['held at or below a district', { library: [2] }, [1, 2, 6]],
    ['held below either commune', { library: [5, 6] }, [1, 2, 4, 6]],
    ['held at the province (the whole tree)', { library: [1] }, [1, 2, 3, 4, 6]],
    ['on the shelf anywhere', { available: 'anywhere' }, [1, 3, 4, 6]],
    ['on the shelf at or below district 2', { available: 2 }, [1]],
    ['on the shelf at or below district 3', { available: 3 }, [4, 6]],
    ['on the shelf at a unit with nothing', { available: 99 }, []],
    ['year range', { yearFrom: 2012, yearTo: 2015 }, [2, 3, 6]],
    ['year from', { yearFrom: 2013 }, [1, 2, 3]],
    ['year to (undated records never match a year filter)', { yearTo: 1999 }, [4]],
    ['an empty list is no filter', { material: [], library: [] }, [1, 2, 3, 4, 5, 6]],
    ['null years are no filter', { yearFrom: null, yearTo: null }, [1, 2, 3, 4, 5, 6]],
    ['AND across facets', { language: ['vie'], library: [3], yearFrom: 2000 }, [6]],
    ['AND across, OR within', { material: ['book', 'map'], subject: ['Kiên Giang', 'Vietnam'] }, [1, 3, 5]],
    ['AND across, nothing left', { language: ['eng'], available: 'anywhere', material: ['map'] }, []],
  ])('%s', async (_why, filters, expected) => {
    const { store } = await loaded();
    expect([...store.filterAndCount(ids(1, 2, 3, 4, 5, 6), filters).ids]).toEqual(expected);
    expect(store.filterAndCount(ids(1, 2, 3, 4, 5, 6), filters, { counts: false }).counts).toBeNull();
  });

  it('keeps the order of the hits and skips dead or unknown ids', async () => {
    const { store, index } = await loaded();
    index.write([], [2]);
    await store.sync(index.asIndex);
    expect([...store.filterAndCount(ids(6, 2, 99, 1, 4, 0), { language: ['vie'] }).ids]).toEqual([6, 1, 4]);
  });
});

describe('FacetStore.filterAndCount: counts', () => {
  type Partial = { [K in keyof PlainCounts]?: PlainCounts[K] };
  it.each<[string, FacetFilters, Partial]>([
    [
      'no filter: every facet over every hit',
      {},
      {
        material: { book: 4, serial: 1, map: 1 },
        language: { vie: 5, eng: 2 },
        subject: { 'Kiên Giang': 2, 'Lịch sử': 2, 'Thư viện': 1, 'Văn học Việt Nam': 1, Vietnam: 1, 'Địa chí': 1 },
        class: { 'ddc:900': 2, 'ddc:000': 1 },
        collection: { 'Kho ngoại văn': 1, 'Thiếu nhi': 1 },
        // Rolled up: each record once per unit, at every level.
        library: { 1: 5, 2: 3, 3: 2, 5: 3, 6: 2 },
        availableAt: { 1: 4, 2: 1, 3: 2, 5: 1, 6: 2 },
        availableAnywhere: 4,
        // Undated records are not counted.
        decade: { 2010: 4, 1990: 1 },
      },
    ],
    [
      "a facet's own filter does not narrow its own counts",
      { language: ['eng'] },
      { language: { vie: 5, eng: 2 }, material: { book: 1, map: 1 }, subject: { 'Kiên Giang': 1, Vietnam: 1, 'Địa chí': 1 }, decade: { 2010: 1 }, availableAnywhere: 1 },
    ],
    [
      'two filters: each facet counted over the hits passing the other',
      { language: ['eng'], material: ['book'] },
      { language: { vie: 3, eng: 1 }, material: { book: 1, map: 1 }, author: { 'Keith Taylor': 1 }, library: { 1: 1 } },
    ],
    [
      'library: counts for every unit stay, the others narrow',
      { library: [3] },
      { library: { 1: 5, 2: 3, 3: 2, 5: 3, 6: 2 }, material: { serial: 1, book: 1 }, availableAt: { 1: 2, 3: 2, 6: 2 }, decade: { 2010: 1, 1990: 1 } },
    ],
    [
      'availability at a unit: availability counts stay',
      { available: 2 },
      { availableAt: { 1: 4, 2: 1, 3: 2, 5: 1, 6: 2 }, availableAnywhere: 4, library: { 1: 1, 2: 1, 5: 1 }, material: { book: 1 } },
    ],
    [
      'availability anywhere',
      { available: 'anywhere' },
      { availableAnywhere: 4, material: { book: 3, serial: 1 }, language: { vie: 3, eng: 1 } },
    ],
    [
      'year range: the decades stay, the others narrow',
      { yearFrom: 2010, yearTo: 2019 },
      { decade: { 2010: 4, 1990: 1 }, material: { book: 4 }, language: { vie: 3, eng: 1 }, class: { 'ddc:000': 1, 'ddc:900': 1 } },
    ],
    [
      'a record failing two filters counts for neither',
      // Record 4 (serial, 1995) fails both; record 5 (map, undated) fails both too.
      { material: ['book'], yearFrom: 2010 },
      { material: { book: 4 }, decade: { 2010: 4 } },
    ],
    ['an unknown value: nothing passes, its own facet still counts', { material: ['kit'] }, { material: { book: 4, serial: 1, map: 1 }, language: {}, library: {}, availableAnywhere: 0, decade: {} }],
  ])('%s', async (_why, filters, want) => {
    const { store } = await loaded();
    const got = plain(store.filterAndCount(ids(1, 2, 3, 4, 5, 6), filters).counts);
    for (const k of Object.keys(want) as (keyof PlainCounts)[]) expect([k, got[k]]).toEqual([k, want[k]]);
  });

  it('counts only the hits given', async () => {
    const { store } = await loaded();
    const c = plain(store.filterAndCount(ids(4, 6), {}).counts);
    expect(c.material).toEqual({ serial: 1, book: 1 });
    expect(c.library).toEqual({ 1: 2, 2: 1, 3: 2, 5: 1, 6: 2 });
    expect(c.decade).toEqual({ 1990: 1, 2010: 1 });
  });

  it('orders values by count, then by value', async () => {
    const { store } = await loaded();
    const c = store.filterAndCount(ids(1, 2, 3, 4, 5, 6), {}).counts!;
    // By count, then in Vietnamese order among equal counts: `Văn…` before `Vietnam` (ă before i).
    expect([...c.subject.keys()]).toEqual(['Kiên Giang', 'Lịch sử', 'Địa chí', 'Thư viện', 'Văn học Việt Nam', 'Vietnam']);
    expect([...c.material.keys()]).toEqual(['book', 'map', 'serial']);
  });

  it.each<[number | undefined, string[], string[]]>([
    [undefined, ['S0', 'S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7'], ['A0', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7']],
    [3, ['S0', 'S1', 'S2'], ['A0', 'A1', 'A2']],
    [1, ['S0'], ['A0']],
    [20, ['S0', 'S1', 'S2', 'S3', 'S4', 'S5', 'S6', 'S7'], ['A0', 'A1', 'A2', 'A3', 'A4', 'A5', 'A6', 'A7']],
  ])('topN %s keeps the most frequent subjects and authors only', async (topN, subjects, authors) => {
    // Value k is on the first 8 - k records: S0 on 8, S7 on 1. Materials and languages are never cut.
    const docs: [number, DocFacets][] = [];
    for (let id = 1; id <= 8; id++) {
      const vals = Array.from({ length: 9 - id }, (_, k) => k);
      docs.push([id, facets({ subjects: vals.map((k) => `S${k}`), authors: vals.map((k) => `A${k}`), languages: [`l${id}`], material: `m${id}` })]);
    }
    const { store } = await loaded(docs);
    const c = store.filterAndCount(store.all(), {}, { topN }).counts!;
    expect([...c.subject.keys()]).toEqual(subjects);
    expect([...c.author.keys()]).toEqual(authors);
    expect(c.subject.get('S0')).toBe(8);
    expect(c.language.size).toBe(8);
    expect(c.material.size).toBe(8);
  });
});

describe('FacetStore.all', () => {
  it.each<[number | null | undefined, number[]]>([
    [undefined, [1, 2, 3, 4, 5, 6]],
    [null, [1, 2, 3, 4, 5, 6]],
    [1, [1, 2, 3, 4, 6]],
    [2, [1, 2, 6]],
    [3, [4, 6]],
    [5, [1, 2, 6]],
    [6, [4, 6]],
    [99, []],
  ])('all(%s) = %j', async (unit, expected) => {
    const { store } = await loaded();
    expect([...store.all(unit)]).toEqual(expected);
  });

  it('leaves out deleted documents', async () => {
    const { store, index } = await loaded();
    index.write([], [1, 6]);
    await store.sync(index.asIndex);
    expect([...store.all()]).toEqual([2, 3, 4, 5]);
    expect([...store.all(2)]).toEqual([2]);
  });
});

describe('FacetStore: the arena after many updates', () => {
  it('keeps every value right when one document is updated 10 000 times', async () => {
    const base: [number, DocFacets][] = [];
    for (let id = 1; id <= 50; id++) {
      base.push([id, facets({ year: 1950 + id, subjects: [`Chủ đề ${id % 5}`], authors: [`Tác giả ${id}`], held: [1, 2 + (id % 4)], available: id % 2 ? [1, 2 + (id % 4)] : [] })]);
    }
    const { store, index } = await loaded(base);
    const hits = () => Uint32Array.from({ length: 60 }, (_, i) => i);
    for (let n = 1; n <= 10_000; n++) {
      // Document 7 changes every time, its slice growing and shrinking; now and then another one too.
      const width = 1 + (n % 9);
      index.write([
        [
          7,
          facets({
            material: n % 2 ? 'book' : 'e-book',
            year: 1900 + (n % 120),
            subjects: Array.from({ length: width }, (_, k) => `Lặp ${(n + k) % 13}`),
            authors: [`Tác giả ${n % 3}`],
            held: Array.from({ length: width }, (_, k) => 100 + k),
            available: n % 3 ? [100] : [],
          }),
        ],
      ]);
      if (n % 1000 === 0) index.write([[n / 1000, facets({ year: 2000 + n / 1000, subjects: [`Mới ${n}`], held: [1, 9] })]]);
      // The index keeps one row a document: syncing after every change makes the store apply
      // all 10 000 versions (three arena compactions), not only the last of a batch.
      await store.sync(index.asIndex);
      if (n % 500 === 0) {
        sameCounts(plain(store.filterAndCount(hits(), {}).counts), expectedCounts(index.docs.values()));
      }
    }
    await store.sync(index.asIndex);
    expect(store.live).toBe(50);
    const c = plain(store.filterAndCount(hits(), {}).counts);
    sameCounts(c, expectedCounts(index.docs.values()));
    // n = 10 000: width 2, `Lặp 3` and `Lặp 4`, held at 100 and 101, on the shelf at 100.
    expect([c.subject['Lặp 3'], c.subject['Lặp 4'], c.subject['Lặp 5']]).toEqual([1, 1, undefined]);
    expect([c.library['100'], c.library['101'], c.library['102']]).toEqual([1, 1, undefined]);
    expect([c.availableAt['100'], c.availableAt['101']]).toEqual([1, undefined]);
    expect(store.year(7)).toBe(1900 + (10_000 % 120));
    expect([...store.filterAndCount(hits(), { library: [100] }).ids]).toEqual([7]);
    expect([...store.filterAndCount(hits(), { subject: ['Chủ đề 2'] }).ids]).toEqual([12, 17, 22, 27, 32, 37, 42, 47]);
  });
});

describe('FacetStore.activeFilters', () => {
  it.each<[FacetFilters, string[]]>([
    [{}, []],
    [{ material: [], yearFrom: null }, []],
    [{ language: ['vie'], yearTo: 2000 }, ['language', 'year']],
    [{ available: 'anywhere', library: [1] }, ['library', 'available']],
    [{ subject: ['a'], author: ['b'], collection: ['c'], class: ['d'], material: ['e'] }, ['material', 'subject', 'author', 'collection', 'class']],
  ])('%j → %j', (filters, keys) => {
    expect(FacetStore.activeFilters(filters)).toEqual(keys);
  });
});

describe('FacetStore.filterAndCount: beyond the exact limit', () => {
  it('counts an even sample, scales it and says so; the matches themselves stay complete', async () => {
    const index = new FakeIndex();
    const langs = ['vie', 'eng'];
    index.write(Array.from({ length: 1000 }, (_, i) => [i + 1, facets({ languages: [langs[(i + 1) % 2]!], year: 2000 + ((i + 1) % 10) })] as const));
    const store = new FacetStore();
    await store.sync(index as unknown as SearchIndex);
    const hits = store.all();
    const exact = store.filterAndCount(hits, {});
    expect(exact.counts!.approximate).toBe(false);
    const sampled = store.filterAndCount(hits, {}, { exactCounts: 100 });
    expect(sampled.ids.length).toBe(1000);
    expect(sampled.counts!.approximate).toBe(true);
    // About one match in ten counted, times ten: near the true 500 each (ids alternate, so a
    // sample taken by position would have seen only one language).
    for (const lang of langs) expect(Math.abs(sampled.counts!.language.get(lang)! - 500)).toBeLessThan(150);
    expect(Math.abs(sampled.counts!.decade.get(2000)! - 1000)).toBeLessThan(250);
  });
});

describe('FacetStore: word signatures', () => {
  const signed = (title: string) => wordSignature({ title, titleExact: '', author: '' });
  const hasTitle = (word: string) => signatureTest({ op: 'tok', cols: ['title'], token: word, prefix: false })!;

  it('finds the newest documents whose signature passes, within a bound, and follows changes', async () => {
    const { store, index } = await loaded([
      [1, facets({ sig: signed('lua gao') })],
      [2, facets({ sig: signed('ca tom') })],
      [3, facets({ sig: signed('cay lua') })],
      [4, facets({ sig: signed('lua nep') })],
    ]);
    expect(store.signed).toBe(true);
    const all = ids(1, 2, 3, 4);
    expect(store.newestSigned(all, hasTitle('lua'), 10, 100)).toEqual([4, 3, 1]);
    expect(store.newestSigned(all, hasTitle('lua'), 2, 100)).toEqual([4, 3]);
    // Only among the ids given.
    expect(store.newestSigned(ids(1, 2), hasTitle('lua'), 10, 100)).toEqual([1]);
    // Looked at three without finding ten: the caller must ask the engine.
    expect(store.newestSigned(all, hasTitle('lua'), 10, 3)).toBeNull();
    // All four looked at: what there is, even if fewer than asked.
    expect(store.newestSigned(all, hasTitle('lua'), 10, 4)).toEqual([4, 3, 1]);
    // A changed title and a deletion are seen; the signature of the new version counts.
    index.write([[3, facets({ sig: signed('ca chep') })]], [4]);
    await store.sync(index.asIndex);
    expect(store.newestSigned(all, hasTitle('lua'), 10, 100)).toEqual([1]);
    expect(store.newestSigned(all, hasTitle('chep'), 10, 100)).toEqual([3]);
  });

  it('passes a document without a signature as holding every word, while they are one in a hundred at most', async () => {
    const docs: [number, DocFacets][] = [];
    for (let id = 1; id <= 99; id++) docs.push([id, facets({ sig: signed('ca tom') })]);
    docs.push([100, facets()]);
    const { store, index } = await loaded(docs);
    expect(store.signed).toBe(true);
    expect(store.newestSigned(store.all(), hasTitle('lua'), 10, 1000)).toEqual([100]);
    index.write([[101, facets()]]);
    await store.sync(index.asIndex);
    expect(store.signed).toBe(false);
  });

  it('is not signed while too many live documents lack a signature, and is again once they have one or are gone', async () => {
    const { store, index } = await loaded([
      [1, facets({ sig: signed('lua gao') })],
      [2, facets()],
    ]);
    expect(store.signed).toBe(false);
    index.write([[2, facets({ sig: signed('ca tom') })]]);
    await store.sync(index.asIndex);
    expect(store.signed).toBe(true);
    index.write([[5, facets({ sig: 'not a signature' })]]);
    await store.sync(index.asIndex);
    expect(store.signed).toBe(false);
    index.write([], [5]);
    await store.sync(index.asIndex);
    expect(store.signed).toBe(true);
    // A rebuild starts the count again.
    index.rebuild([[1, facets()]]);
    await store.sync(index.asIndex);
    expect(store.signed).toBe(false);
  });
});
