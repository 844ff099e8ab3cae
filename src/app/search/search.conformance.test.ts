/**
 * The search conformance suite: the same catalogue, the same queries and the same expected
 * results on SQLite FTS5 and on PostgreSQL. Records and items are written through the catalogue
 * service, so this also shows that every change is searchable as soon as it commits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeIso2709 } from '../../codecs/marc/write.js';
import { sql } from 'kysely';
import { describeEachDialect, type TestDialect } from '../../../test/dialects.js';
import { treeEnv, type TreeEnv } from '../../../test/factories.js';
import type { MarcRecord } from '../../codecs/marc/record.js';
import { systemActor } from '../actor.js';
import { SearchService, type SearchRequest } from './search.service.js';

const sys = systemActor('test');

interface Book {
  key: string;
  title: string;
  subtitle?: string;
  author?: string;
  subjects?: string[];
  publisher?: string;
  year?: number;
  isbn?: string;
  lang?: string;
  ddc?: string;
  series?: string;
  note?: string;
  /** [unit code, status, shelving location] */
  copies?: Array<[string, string?, string?]>;
}

const BOOKS: Book[] = [
  { key: 'tvkg', title: 'Thư viện tỉnh Kiên Giang', subtitle: 'lịch sử và phát triển', author: 'Trần Văn Minh', subjects: ['Thư viện', 'Kiên Giang'], year: 2019, ddc: '027.4', copies: [['PROV'], ['DIST-A']] },
  { key: 'duong', title: 'Đường về quê mẹ', author: 'Lê Thị Hoa', subjects: ['Văn học Việt Nam'], year: 2015, copies: [['COMM-A1']] },
  { key: 'duong2', title: 'Dương cầm và em', author: 'Phạm Văn Dương', subjects: ['Âm nhạc'], year: 2021, copies: [['COMM-B1']] },
  { key: 'hoa-old', title: 'Hoà bình và phát triển', author: 'Nguyễn Hữu Thuỷ', subjects: ['Chính trị'], year: 2001, copies: [['PROV', 'on-loan']] },
  { key: 'kythuat', title: 'Kỹ thuật nuôi tôm', author: 'Võ Văn Lý', subjects: ['Thủy sản', 'Nông nghiệp'], year: 2018, ddc: '639.5', isbn: '978-604-1-12348-9', copies: [['COMM-A2'], ['COMM-A1', 'on-loan']] },
  { key: 'kithuat', title: 'Kĩ thuật trồng lúa', author: 'Võ Văn Lí', subjects: ['Nông nghiệp'], year: 2010, ddc: '633.1', copies: [['DIST-B', 'available', 'Kho mượn']] },
  { key: 'lsvn', title: 'Lịch sử Việt Nam', author: 'Phan Huy Lê', subjects: ['Lịch sử -- Việt Nam'], year: 2012, ddc: '959.7', series: 'Tủ sách lịch sử', copies: [['PROV'], ['DIST-A'], ['DIST-B'], ['COMM-A1']] },
  { key: 'lsvn-cd', title: 'Lịch sử Việt Nam cận đại', author: 'Trần Văn Giàu', subjects: ['Lịch sử -- Việt Nam'], year: 1995, ddc: '959.703', copies: [['PROV']] },
  { key: 'vnls', title: 'Nam Bộ: lịch sử khẩn hoang', subtitle: 'Việt Nam thế kỷ XVII', author: 'Sơn Nam', subjects: ['Nam Bộ'], year: 2005, copies: [['DIST-A']] },
  { key: 'eng', title: 'A history of Vietnam', author: 'Keith Taylor', subjects: ['Vietnam -- History'], year: 2013, lang: 'eng', copies: [['PROV', 'available', 'Kho ngoại văn']] },
  { key: 'thieunhi', title: 'Truyện cổ tích Việt Nam', author: 'Nguyễn Đổng Chi', subjects: ['Văn học thiếu nhi'], year: 2020, note: 'Sách dành cho thiếu nhi', copies: [['COMM-A1', 'available', 'Thiếu nhi'], ['COMM-B1', 'available', 'Thiếu nhi']] },
  { key: 'noitem', title: 'Địa chí Kiên Giang', author: 'Ban Tuyên giáo', subjects: ['Kiên Giang', 'Địa chí'], year: 2002, publisher: 'NXB Chính trị quốc gia' },
];

/** Queries and the records they find, on both engines. */
const QUERIES: [string, string[]][] = [
    ['thu vien kien giang', ['tvkg']],
    ['Thư viện tỉnh Kiên Giang', ['tvkg']],
    ['kien giang', ['tvkg', 'noitem']],
    ['hoa binh', ['hoa-old']],
    ['hòa bình', ['hoa-old']],
    ['hoà bình', ['hoa-old']],
    ['thuy san', ['kythuat']],
    ['thuỷ sản', ['kythuat']],
    ['ky thuat', ['kythuat', 'kithuat']],
    ['kĩ thuật', ['kythuat', 'kithuat']],
    ['kỹ thuật', ['kythuat', 'kithuat']],
    ['ly', ['kythuat', 'kithuat']],
    ['duong', ['duong', 'duong2']],
    ['"lich su viet nam"', ['lsvn', 'lsvn-cd']],
    ['lich su viet nam', ['lsvn', 'lsvn-cd', 'vnls']],
    ['title:"viet nam"', ['lsvn', 'lsvn-cd', 'thieunhi', 'vnls']],
    ['author:nam', ['vnls']],
    ['subject:"nong nghiep"', ['kythuat', 'kithuat']],
    ['publisher:"chinh tri"', ['noitem']],
    ['series:"tu sach"', ['lsvn']],
    ['isbn:9786041123489', ['kythuat']],
    ['978-604-1-12348-9', ['kythuat']],
    ['604112348X', ['kythuat']],
    ['callnumber:959.7', ['lsvn']],
    ['year:2015', ['duong']],
    ['year:2018-2021 ky thuat', ['kythuat']],
    ['lich su -can', ['lsvn', 'vnls', 'tvkg']],
    ['lich su NOT nam', ['tvkg']],
    ['lich su NOT nam NOT minh', []],
    ['(duong OR hoa) AND binh', ['hoa-old']],
    ['kien OR thuy', ['tvkg', 'noitem', 'hoa-old', 'kythuat']],
    ['lic*', ['lsvn', 'lsvn-cd', 'vnls', 'tvkg']],
    ['thieu nhi', ['thieunhi']],
    ['vietnam history', ['eng']],
];

function marcOf(b: Book): MarcRecord {
  const f: MarcRecord['fields'] = [];
  const lang = b.lang ?? 'vie';
  f.push({ tag: '008', value: `250101s${b.year ?? '    '}    vm            000 0 ${lang} d` });
  if (b.isbn) f.push({ tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: b.isbn }] });
  if (b.ddc) f.push({ tag: '082', ind1: '0', ind2: '4', subfields: [{ code: 'a', value: b.ddc }] });
  if (b.author) f.push({ tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: b.author }] });
  const t = [{ code: 'a', value: b.title }];
  if (b.subtitle) t.push({ code: 'b', value: b.subtitle });
  f.push({ tag: '245', ind1: '1', ind2: '0', subfields: t });
  f.push({ tag: '264', ind1: ' ', ind2: '1', subfields: [{ code: 'a', value: 'Hà Nội' }, { code: 'b', value: b.publisher ?? 'NXB Trẻ' }, { code: 'c', value: String(b.year ?? '') }] });
  if (b.series) f.push({ tag: '490', ind1: '0', ind2: ' ', subfields: [{ code: 'a', value: b.series }] });
  if (b.note) f.push({ tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: b.note }] });
  for (const s of b.subjects ?? []) {
    const [a, ...rest] = s.split(' -- ');
    f.push({ tag: '650', ind1: ' ', ind2: '7', subfields: [{ code: 'a', value: a! }, ...rest.map((x) => ({ code: 'z', value: x }))] });
  }
  return { leader: '00000nam a2200000 i 4500', fields: f };
}

describeEachDialect('search conformance', (dialect: TestDialect) => {
  let x: TreeEnv;
  const ids = new Map<string, number>();
  const keyOf = new Map<number, string>();

  beforeAll(async () => {
    // Several vocabulary slices per reindex (a million records have 34): the index test below
    // shows a reindex builds one set of indexes, not one per slice.
    x = await treeEnv(dialect, { container: { searchVocabularySlice: 7 } });
    const units = new Map([x.t.root, x.t.prov, x.t.distA, x.t.distB, x.t.communeA1, x.t.communeA2, x.t.communeB1].map((u) => [u.code, u]));
    let n = 0;
    for (const b of BOOKS) {
      const { record } = await x.c.services.catalog.create(sys, { marc: marcOf(b), unitId: x.t.prov.id, allowDuplicate: true });
      ids.set(b.key, record.id);
      keyOf.set(record.id, b.key);
      for (const [code, status, shelf] of b.copies ?? []) {
        await x.c.services.catalog.addItem(sys, record.id, { barcode: `BC${++n}`, ownerUnitCode: code, status: (status ?? 'available') as never, shelvingLocation: shelf, unitId: units.get(code)!.id });
      }
    }
  }, 120_000);
  afterAll(async () => {
    await x?.env.dispose();
  });

  const search = (req: Partial<SearchRequest> & { q: string }) => x.c.services.search.search({ facets: true, ...req });
  const keys = async (req: Partial<SearchRequest> & { q: string }) => (await search(req)).results.map((r) => keyOf.get(r.id));
  const keySet = async (req: Partial<SearchRequest> & { q: string }) => new Set(await keys({ pageSize: 100, ...req }));

  it.each(QUERIES)('%s', async (q, expected) => {
    const got = await keySet({ q });
    expect([...got].sort()).toEqual([...expected].sort());
  });

  it.each([
    // Typed with tones, the exact spelling comes first.
    ['Đường', 'duong'],
    ['Dương', 'duong2'],
    // The whole title beats a longer title holding the same words.
    ['lịch sử việt nam', 'lsvn'],
    ['lich su viet nam', 'lsvn'],
    // A short title holding the words beats a long one; an author and title match beats title alone.
    ['kien giang', 'noitem'],
    ['son nam', 'vnls'],
  ])('ranks %s → %s first', async (q, first) => {
    expect((await keys({ q }))[0]).toBe(first);
  });

  it('scopes to a subtree and to "available near me"', async () => {
    expect(await keySet({ q: 'ky thuat', heldUnder: x.t.distA.id })).toEqual(new Set(['kythuat']));
    expect(await keySet({ q: 'ky thuat', heldUnder: x.t.distB.id })).toEqual(new Set(['kithuat']));
    expect(await keySet({ q: '', heldUnder: x.t.communeB1.id })).toEqual(new Set(['duong2', 'thieunhi']));
    // The on-loan copy in COMM-A1 does not count; COMM-A2's copy does, and is under DIST-A.
    expect(await keySet({ q: 'ky thuat', availableUnder: x.t.communeA1.id })).toEqual(new Set());
    expect(await keySet({ q: 'ky thuat', availableUnder: x.t.distA.id })).toEqual(new Set(['kythuat']));
  });

  it('counts facets exactly, with the library tree rolled up', async () => {
    const r = await search({ q: 'lich su' });
    expect(r.total).toBe(4); // lsvn, lsvn-cd, vnls, tvkg (its subtitle)
    const f = r.facets!;
    expect(f.library.get(x.t.prov.id)).toBe(4);
    expect(f.library.get(x.t.distA.id)).toBe(3); // tvkg, lsvn and vnls; each record once
    expect(f.library.get(x.t.communeA1.id)).toBe(1);
    expect(f.library.get(x.t.distB.id)).toBe(1);
    expect(f.decade.get(2010)).toBe(2);
    expect(f.decade.get(1990)).toBe(1);
    expect(f.language.get('vie')).toBe(4);
    expect(f.class.get('ddc:900')).toBe(2);
    expect(f.class.get('ddc:000')).toBe(1);
    expect(f.availableAnywhere).toBe(4);
  });

  it('filters: OR within a facet, AND across facets, counts stay multi-select', async () => {
    const all = await search({ q: '' });
    expect(all.total).toBe(BOOKS.length);
    const eng = await search({ q: '', filters: { language: ['eng'] } });
    expect(eng.results.map((r) => keyOf.get(r.id))).toEqual(['eng']);
    // The language facet still shows Vietnamese as an option to add.
    expect(eng.facets!.language.get('vie')).toBe(BOOKS.length - 1);
    const both = await search({ q: '', filters: { language: ['eng', 'vie'], yearFrom: 2015, yearTo: 2019 } });
    expect(new Set(both.results.map((r) => keyOf.get(r.id)))).toEqual(new Set(['tvkg', 'duong', 'kythuat']));
    const subj = await search({ q: '', filters: { subject: ['Nông nghiệp'], library: [x.t.distB.id] } });
    expect(subj.results.map((r) => keyOf.get(r.id))).toEqual(['kithuat']);
    const coll = await search({ q: '', filters: { collection: ['Thiếu nhi'] } });
    expect(coll.results.map((r) => keyOf.get(r.id))).toEqual(['thieunhi']);
  });

  it('sorts by year, title and author', async () => {
    expect(await keys({ q: 'lich su', sort: 'newest' })).toEqual(['tvkg', 'lsvn', 'vnls', 'lsvn-cd']);
    expect(await keys({ q: 'lich su', sort: 'oldest' })).toEqual(['lsvn-cd', 'vnls', 'lsvn', 'tvkg']);
    // Vietnamese order: "Dương" (d) before "Đường" (đ), "Hoà" after both.
    const titles = await keys({ q: '', sort: 'title', pageSize: 100 });
    expect(titles.indexOf('duong2')).toBeLessThan(titles.indexOf('duong'));
    expect(titles.indexOf('duong')).toBeLessThan(titles.indexOf('hoa-old'));
    expect(titles[0]).toBe('eng');
    const authors = await keys({ q: '', sort: 'author', pageSize: 100 });
    expect(authors[0]).toBe('noitem'); // Ban Tuyên giáo
  });

  it('pages through results without repeats', async () => {
    const seen: number[] = [];
    for (let page = 1; page <= 4; page++) seen.push(...(await search({ q: '', pageSize: 3, page })).results.map((r) => r.id));
    expect(new Set(seen).size).toBe(BOOKS.length);
  });

  it('highlights the matched words of the title', async () => {
    const r = await search({ q: 'kien giang' });
    const tvkg = r.results.find((h) => keyOf.get(h.id) === 'tvkg')!;
    expect(tvkg.title.filter((s) => s.hit).map((s) => s.text)).toEqual(['Kiên', 'Giang']);
    expect(tvkg.title.map((s) => s.text).join('')).toBe(tvkg.display.title);
  });

  it('answers any input without failing', async () => {
    for (const q of ['"unbalanced', '((( OR', 'AND', '-', '\u0000\u0007 ctrl', 'x'.repeat(10_000), '*', 'title:', '"" ""', 'NOT', ':::']) {
      const r = await search({ q });
      expect(r.total).toBeGreaterThanOrEqual(0);
    }
    const r = await search({ q: '"thu vien' });
    expect(r.query.problems.map((p) => p.code)).toContain('query.unbalanced_quote');
    expect(new Set(r.results.map((h) => keyOf.get(h.id)))).toEqual(new Set(['tvkg']));
  });

  it('suggests headings as you type and a spelling when nothing matches', async () => {
    const s = await x.c.services.search.suggest('lich s');
    expect(s.map((h) => h.heading)).toEqual(expect.arrayContaining(['Lịch sử Việt Nam']));
    const k = await x.c.services.search.suggest('kiên');
    expect(k[0]!.heading).toMatch(/^Kiên Giang/u);
    const r = await search({ q: 'lich su viet nma' });
    expect(r.total).toBe(0);
    // The words typed right keep the reader's spelling; the corrected word takes the catalogue's.
    expect(r.didYouMean?.text).toBe('lich su viet nam');
    expect(r.didYouMean?.hits).toBeGreaterThan(0);
    expect((await search({ q: 'Lịch sử Việt nma' })).didYouMean?.text).toBe('lịch sử việt nam');
  });

  describe('changes', () => {
    it('a new record, an edit, an item change and a deletion are searchable on commit', async () => {
      const { record } = await x.c.services.catalog.create(sys, { marc: marcOf({ key: 'new', title: 'Bánh xèo miền Tây', year: 2024 }), unitId: x.t.prov.id });
      keyOf.set(record.id, 'new');
      expect(await keySet({ q: 'banh xeo' })).toEqual(new Set(['new']));
      const item = await x.c.services.catalog.addItem(sys, record.id, { barcode: 'NEW-1', ownerUnitCode: 'COMM-B1', unitId: x.t.communeB1.id });
      expect(await keySet({ q: 'banh xeo', availableUnder: x.t.distB.id })).toEqual(new Set(['new']));
      await x.c.services.catalog.updateItem(sys, item.id, { barcode: 'NEW-1', ownerUnitCode: 'COMM-B1', status: 'on-loan', version: item.version });
      expect(await keySet({ q: 'banh xeo', availableUnder: x.t.distB.id })).toEqual(new Set());
      const current = await x.c.services.catalog.get(record.id);
      await x.c.services.catalog.update(sys, record.id, { marc: marcOf({ key: 'new', title: 'Bánh khọt miền Tây', year: 2024 }), version: current.record.version });
      expect(await keySet({ q: 'banh xeo' })).toEqual(new Set());
      expect(await keySet({ q: 'banh khot' })).toEqual(new Set(['new']));
      await x.c.services.catalog.withdrawItem(sys, item.id);
      await x.c.services.catalog.delete(sys, record.id);
      expect(await keySet({ q: 'banh khot' })).toEqual(new Set());
      expect((await search({ q: '' })).total).toBe(BOOKS.length);
    });

    it('a reindex rebuilds the same answers while the old index keeps answering', async () => {
      const before = await keys({ q: 'lich su viet nam', pageSize: 100 });
      const progress: number[] = [];
      const during: Promise<number>[] = [];
      const summary = await x.c.services.reindex.rebuild({
        onProgress: (p) => {
          progress.push(p.done);
          // Asked while the shadow tables fill: answered from the live index.
          during.push(search({ q: 'lich su' }).then((r) => r.total));
        },
      });
      expect(summary.documents).toBe(BOOKS.length);
      expect(progress.at(-1)).toBeGreaterThanOrEqual(BOOKS.length);
      expect(during.length).toBeGreaterThan(0);
      for (const n of await Promise.all(during)) expect(n).toBe(4);
      expect(await keys({ q: 'lich su viet nam', pageSize: 100 })).toEqual(before);
      expect((await x.c.services.search.suggest('lich s')).length).toBeGreaterThan(0);
    });

    it('leaves the live tables with all their secondary indexes after a second and a third reindex', async () => {
      // Each dialect's catalogue of indexes on the search tables (not the primary keys).
      const indexed = async () => {
        const rows =
          x.c.handle.dialect === 'sqlite'
            ? (await sql<{ tbl: string; sql: string }>`select tbl_name as tbl, sql from sqlite_master where type = 'index' and sql is not null and tbl_name like 'search%'`.execute(x.c.handle.db)).rows
            : (await sql<{ tbl: string; sql: string }>`select tablename as tbl, indexdef as sql from pg_indexes where schemaname = 'public' and tablename like 'search%' and indexdef not like '%UNIQUE%'`.execute(x.c.handle.db)).rows;
        // What each index covers, whatever its name.
        return rows.map((r) => `${r.tbl}: ${r.sql.replace(/^.*? ON (public\.)?\S+ /i, '').replace(/\s+/g, ' ')}`).sort();
      };
      const migrated = await indexed();
      expect(migrated.some((i) => i.startsWith('search_docs: ') && i.includes('title_key'))).toBe(true);
      for (let i = 0; i < 3; i++) {
        await x.c.services.reindex.rebuild();
        expect(await indexed()).toEqual(migrated);
      }
      expect(await keys({ q: 'lich su viet nam', pageSize: 100 })).not.toEqual([]);
    });
  });

  it('an imported file is searchable when its batch commits, with its copies in scope', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lt-search-import-'));
    try {
      const withCopy = (b: Book, unit: string, barcode: string): MarcRecord => {
        const m = marcOf(b);
        m.fields.push({ tag: '952', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: unit }, { code: 'b', value: unit }, { code: 'p', value: barcode }] });
        return m;
      };
      const path = join(dir, 'in.mrc');
      writeFileSync(path, writeIso2709([withCopy({ key: 'imp1', title: 'Cá linh mùa nước nổi', year: 2022 }, 'COMM-B1', 'IMP-1'), withCopy({ key: 'imp2', title: 'Mùa nước nổi miền Tây', year: 2023 }, 'COMM-A2', 'IMP-2')]));
      const { job } = await x.c.services.imports.start(sys, { path, fileName: 'in.mrc', unitId: x.t.prov.id, policy: 'attach' });
      const done = await x.c.services.imports.run(job.id, { owner: 'test' });
      expect(done.status).toBe('done');
      const hits = await search({ q: 'mua nuoc noi' });
      expect(hits.results.map((h) => h.display.title).sort()).toEqual(['Cá linh mùa nước nổi', 'Mùa nước nổi miền Tây']);
      expect((await search({ q: 'mua nuoc noi', heldUnder: x.t.distB.id })).results.map((h) => h.display.title)).toEqual(['Cá linh mùa nước nổi']);
      for (const h of hits.results) await x.c.services.catalog.withdrawItem(sys, (await x.c.services.catalog.get(h.id)).items[0]!.id);
      for (const h of hits.results) await x.c.services.catalog.delete(sys, h.id);
      expect((await search({ q: 'mua nuoc noi' })).total).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  describe('with every word set held in memory', () => {
    // A search service whose leaf cache keeps even the smallest word set: the same answers, and
    // still exact after changes (the sets catch up from the facet store's change log). No answer
    // cache, so that repeated queries reach the word sets.
    const cached = () => new SearchService(x.c.store.search, { leafCache: { minSize: 1 }, resultCache: { maxBytes: 0 } });
    it('answers the whole query table as the engine does', async () => {
      const s = cached();
      for (const [q, expected] of QUERIES) {
        const got = new Set((await s.search({ q, pageSize: 100 })).results.map((r) => keyOf.get(r.id)));
        expect([q, [...got].sort()]).toEqual([q, [...expected].sort()]);
      }
      // Again, now from the cache.
      const before = s.leafCache.hits;
      for (const [q, expected] of QUERIES) {
        const got = new Set((await s.search({ q, pageSize: 100 })).results.map((r) => keyOf.get(r.id)));
        expect([q, [...got].sort()]).toEqual([q, [...expected].sort()]);
      }
      expect(s.leafCache.hits).toBeGreaterThan(before);
    });

    it('stays exact when records change after a word set was cached', async () => {
      const s = cached();
      expect((await s.search({ q: 'goi cuon' })).total).toBe(0);
      const { record } = await x.c.services.catalog.create(sys, { marc: marcOf({ key: 'gc', title: 'Gỏi cuốn Sài Gòn', year: 2024 }), unitId: x.t.prov.id });
      expect((await s.search({ q: 'goi cuon' })).results.map((r) => r.id)).toEqual([record.id]);
      const current = await x.c.services.catalog.get(record.id);
      await x.c.services.catalog.update(sys, record.id, { marc: marcOf({ key: 'gc', title: 'Bánh cuốn Thanh Trì', year: 2024 }), version: current.record.version });
      expect((await s.search({ q: 'goi cuon' })).total).toBe(0);
      expect((await s.search({ q: 'cuon' })).results.map((r) => r.id)).toEqual([record.id]);
      await x.c.services.catalog.delete(sys, record.id);
      expect((await s.search({ q: 'cuon' })).total).toBe(0);
    });
  });

  it('full text: page hits come after catalogue matches and carry page numbers', async () => {
    const id = ids.get('noitem')!;
    await x.c.store.transaction((tx) => tx.search.setPages(id, [{ pageNo: 1, text: 'Lời nói đầu' }, { pageNo: 7, text: 'Vùng đất Hà Tiên và đảo Phú Quốc có nghề làm nước mắm.' }]));
    const r = await search({ q: 'nuoc mam' });
    expect(r.results.map((h) => keyOf.get(h.id))).toEqual(['noitem']);
    expect(r.results[0]!.fullTextOnly).toBe(true);
    expect(r.results[0]!.pages.map((p) => p.pageNo)).toEqual([7]);
    expect(r.results[0]!.pages[0]!.snippet.filter((s) => s.hit).map((s) => s.text)).toEqual(['nước', 'mắm']);
    // A catalogue match ranks above a page-text match.
    await x.c.store.transaction((tx) => tx.search.setPages(id, [{ pageNo: 3, text: 'Lịch sử Việt Nam được nhắc đến.' }]));
    const both = await keys({ q: 'lich su viet nam', pageSize: 100 });
    expect(both.at(-1)).toBe('noitem');
  });
});
