/**
 * The search API through `app.inject`, on both databases: a small catalogue built through the
 * catalogue service on the test tree (ROOT ─ PROV ─ DIST-A ─ COMM-A1/A2, DIST-B ─ COMM-B1).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/dialects.js';
import { httpEnv, type HttpEnv } from '../../../test/http.js';
import { systemActor } from '../../app/actor.js';
import type { MarcRecord } from '../../codecs/marc/record.js';
import type { SearchOutput, LibraryNode } from './search.api.js';

const sys = systemActor('test');

interface Book {
  key: string;
  title: string;
  subtitle?: string;
  author?: string;
  subjects?: string[];
  year?: number;
  lang?: string;
  ddc?: string;
  /** [unit code, status, shelving location] */
  copies?: Array<[string, string?, string?]>;
}

const BOOKS: Book[] = [
  { key: 'tvkg', title: 'Thư viện tỉnh Kiên Giang', subtitle: 'lịch sử và phát triển', author: 'Trần Văn Minh', subjects: ['Thư viện'], year: 2019, ddc: '027.4', copies: [['PROV'], ['DIST-A']] },
  { key: 'lsvn', title: 'Lịch sử Việt Nam', author: 'Phan Huy Lê', subjects: ['Lịch sử -- Việt Nam'], year: 2012, ddc: '959.7', copies: [['PROV'], ['DIST-A'], ['DIST-B'], ['COMM-A1', 'on-loan']] },
  { key: 'lsvn-cd', title: 'Lịch sử Việt Nam cận đại', author: 'Trần Văn Giàu', subjects: ['Lịch sử -- Việt Nam'], year: 1995, ddc: '959.703', copies: [['PROV', 'on-loan']] },
  { key: 'kythuat', title: 'Kỹ thuật nuôi tôm', author: 'Võ Văn Lý', subjects: ['Thủy sản'], year: 2018, ddc: '639.5', copies: [['COMM-A2'], ['COMM-A1', 'on-loan']] },
  { key: 'kithuat', title: 'Kĩ thuật trồng lúa', author: 'Võ Văn Lí', subjects: ['Nông nghiệp'], year: 2010, ddc: '633.1', copies: [['DIST-B', 'available', 'Kho mượn']] },
  { key: 'eng', title: 'A history of Vietnam', author: 'Keith Taylor', subjects: ['Vietnam -- History'], year: 2013, lang: 'eng', copies: [['PROV', 'available', 'Kho ngoại văn']] },
  { key: 'fre', title: 'Le Vietnam: histoire et civilisation', author: 'Pierre Brocheux', year: 2011, lang: 'fre', copies: [['COMM-B1']] },
  { key: 'noitem', title: 'Địa chí Kiên Giang', author: 'Ban Tuyên giáo', subjects: ['Địa chí'], year: 2002 },
];

function marcOf(b: Book): MarcRecord {
  const f: MarcRecord['fields'] = [];
  f.push({ tag: '008', value: `250101s${b.year ?? '    '}    vm            000 0 ${b.lang ?? 'vie'} d` });
  if (b.ddc) f.push({ tag: '082', ind1: '0', ind2: '4', subfields: [{ code: 'a', value: b.ddc }] });
  if (b.author) f.push({ tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: b.author }] });
  f.push({ tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: b.title }, ...(b.subtitle ? [{ code: 'b', value: b.subtitle }] : [])] });
  f.push({ tag: '264', ind1: ' ', ind2: '1', subfields: [{ code: 'a', value: 'Hà Nội' }, { code: 'b', value: 'NXB Trẻ' }, { code: 'c', value: String(b.year ?? '') }] });
  for (const s of b.subjects ?? []) {
    const [a, ...rest] = s.split(' -- ');
    f.push({ tag: '650', ind1: ' ', ind2: '7', subfields: [{ code: 'a', value: a! }, ...rest.map((x) => ({ code: 'z', value: x }))] });
  }
  return { leader: '00000nam a2200000 i 4500', fields: f };
}

describeEachDialect('search API', (dialect) => {
  let env: HttpEnv;
  const ids = new Map<string, number>();
  const keyOf = new Map<number, string>();

  beforeAll(async () => {
    env = await httpEnv(dialect);
    const { catalog } = env.container.services;
    const units = new Map([env.tree.root, env.tree.prov, env.tree.distA, env.tree.distB, env.tree.communeA1, env.tree.communeA2, env.tree.communeB1].map((u) => [u.code, u]));
    let n = 0;
    for (const b of BOOKS) {
      const { record } = await catalog.create(sys, { marc: marcOf(b), unitId: env.tree.prov.id, allowDuplicate: true });
      ids.set(b.key, record.id);
      keyOf.set(record.id, b.key);
      for (const [code, status, shelf] of b.copies ?? []) {
        await catalog.addItem(sys, record.id, { barcode: `SRCH${++n}`, ownerUnitCode: code, status: (status ?? 'available') as never, shelvingLocation: shelf, unitId: units.get(code)!.id });
      }
    }
  }, 120_000);
  afterAll(async () => {
    await env?.dispose();
  });

  const search = async (qs: string, headers: Record<string, string> = {}) => {
    const res = await env.app.inject({ url: `/api/v1/search${qs}`, headers });
    return { res, body: res.json() as SearchOutput };
  };
  const keys = (body: SearchOutput) => new Set(body.results.map((r) => keyOf.get(r.id)));
  const find = (nodes: LibraryNode[], code: string): LibraryNode | undefined => {
    for (const n of nodes) {
      if (n.code === code) return n;
      const below = find(n.children, code);
      if (below) return below;
    }
    return undefined;
  };

  it('is public, rate-limited, and in the OpenAPI document with its schemas', async () => {
    const { res, body } = await search('?q=lich+su');
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-ratelimit-limit']).toBe('300');
    expect(body.total).toBe(3);
    const doc = (await env.app.inject('/api/v1/openapi.json')).json();
    expect(doc.paths['/search'].get.tags).toEqual(['search']);
    expect(doc.paths['/search'].get.security).toEqual([]);
    expect(doc.paths['/search'].get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['q', 'library', 'available', 'near', 'libraryFilter', 'sort', 'page', 'pageSize', 'facets', 'fullText']));
    expect(JSON.stringify(doc.paths['/search'].get.responses['200'])).toContain('titleHighlighted');
    expect(doc.paths['/search/suggest'].get.tags).toEqual(['search']);
  });

  it('finds with and without tones and presents each result', async () => {
    const plain = await search('?q=ky+thuat');
    const toned = await search(`?q=${encodeURIComponent('kĩ thuật')}`);
    expect(keys(plain.body)).toEqual(new Set(['kythuat', 'kithuat']));
    expect(keys(toned.body)).toEqual(new Set(['kythuat', 'kithuat']));
    const { body } = await search(`?q=${encodeURIComponent('lịch sử việt nam')}`);
    const first = body.results[0]!;
    expect(keyOf.get(first.id)).toBe('lsvn');
    expect(first.titleHighlighted.filter((s) => s.hit).map((s) => s.text)).toEqual(['Lịch', 'sử', 'Việt', 'Nam']);
    expect(first.titleHighlighted.map((s) => s.text).join('')).toBe('Lịch sử Việt Nam');
    expect(first).toMatchObject({ title: 'Lịch sử Việt Nam', authors: ['Phan Huy Lê'], year: 2012, material: 'book', materialLabel: 'Sách', languages: ['vie'], languageLabels: ['Tiếng Việt'], holdings: 4, available: true, availableHere: null, link: `/record/${first.id}` });
    expect(body.query.parsed).not.toBe('');
    const cd = body.results.find((r) => keyOf.get(r.id) === 'lsvn-cd')!;
    expect(cd.available).toBe(false); // its one copy is on loan
  });

  it('counts facets: the library tree with rolled-up counts, labels in the request’s language', async () => {
    const { body } = await search('?q=lich+su');
    const f = body.facets!;
    expect(f.library.map((n) => n.code)).toEqual(['ROOT']);
    expect(find(f.library, 'PROV')!.count).toBe(3);
    expect(find(f.library, 'DIST-A')!.count).toBe(2);
    expect(find(f.library, 'DIST-A')!.children.map((c) => c.code)).toEqual(['COMM-A1']);
    expect(find(f.library, 'DIST-B')).toMatchObject({ count: 1, name: 'Thư viện DIST-B', type: 'district', selected: false });
    expect(find(f.library, 'COMM-B1')).toBeUndefined();
    expect(f.language).toEqual([{ value: 'vie', label: 'Tiếng Việt', count: 3, selected: false }]);
    expect(f.class).toEqual(expect.arrayContaining([{ value: 'ddc:900', label: '900 – Lịch sử và địa lý', count: 2, selected: false }]));
    expect(f.decades).toEqual([
      { from: 2010, to: 2019, count: 2 },
      { from: 1990, to: 1999, count: 1 },
    ]);
    expect(f.availability).toEqual({ anywhere: 2 });
    expect(f.material[0]).toMatchObject({ value: 'book', label: 'Sách' });

    const en = await search('?q=vietnam', { 'accept-language': 'en' });
    expect(en.body.facets!.language.map((l) => l.label).sort()).toEqual(['English', 'French']);
    expect(find(en.body.facets!.library, 'DIST-B')!.name).toBe('Library DIST-B');
  });

  it('filters: OR within a facet, AND across, unit codes for libraries and availability', async () => {
    expect(keys((await search('?q=vietnam&language=eng')).body)).toEqual(new Set(['eng']));
    expect(keys((await search('?q=vietnam&language=eng&language=fre')).body)).toEqual(new Set(['eng', 'fre']));
    const multi = (await search('?language=eng&language=vie&yearFrom=2012&yearTo=2019')).body;
    expect(keys(multi)).toEqual(new Set(['tvkg', 'lsvn', 'kythuat', 'eng']));
    expect(multi.facets!.language.find((l) => l.value === 'eng')!.selected).toBe(true);
    // Reversed years are read the right way round.
    expect(keys((await search('?yearFrom=2019&yearTo=2012')).body)).toEqual(keys((await search('?yearFrom=2012&yearTo=2019')).body));
    expect(keys((await search('?q=ky+thuat&libraryFilter=DIST-B')).body)).toEqual(new Set(['kithuat']));
    expect(keys((await search('?q=ky+thuat&libraryFilter=dist-b&libraryFilter=COMM-A2')).body)).toEqual(new Set(['kithuat', 'kythuat']));
    const scoped = (await search('?q=ky+thuat&library=DIST-A')).body;
    expect(keys(scoped)).toEqual(new Set(['kythuat']));
    expect(scoped.scope.library).toEqual({ code: 'DIST-A', name: 'Thư viện DIST-A' });
    expect(scoped.results[0]!.availableHere).toBe(true); // COMM-A2's copy is on the shelf
    expect(scoped.facets!.availability.here).toBe(1);
    // Near COMM-A1 only an on-loan copy: nothing is on the shelf there.
    expect((await search('?q=ky+thuat&near=COMM-A1')).body.total).toBe(0);
    expect(keys((await search('?q=lich+su&available=anywhere')).body)).toEqual(new Set(['tvkg', 'lsvn']));
    expect(keys((await search('?q=lich+su&available=DIST-B')).body)).toEqual(new Set(['lsvn']));
    expect(keys((await search(`?subject=${encodeURIComponent('Nông nghiệp')}`)).body)).toEqual(new Set(['kithuat']));
    expect(keys((await search(`?collection=${encodeURIComponent('Kho ngoại văn')}`)).body)).toEqual(new Set(['eng']));
    expect(keys((await search('?class=ddc:900')).body)).toEqual(new Set(['lsvn', 'lsvn-cd']));
    // A chosen value nothing has stays listed, so that it can be unchosen.
    const gone = (await search('?q=lich+su&material=map')).body;
    expect(gone.total).toBe(0);
    expect(gone.facets!.material).toEqual(expect.arrayContaining([{ value: 'map', label: 'Bản đồ', count: 0, selected: true }]));
  });

  it('refuses an unknown unit code with a 400 naming it, in the request’s language', async () => {
    const vi = await search('?q=sach&library=NOWHERE');
    expect(vi.res.statusCode).toBe(400);
    const err = (vi.body as unknown as { error: { code: string; message: string; details: { field: string; message: string }[] } }).error;
    expect(err.code).toBe('VALIDATION');
    expect(err.details).toEqual([expect.objectContaining({ field: 'library', message: 'library: không có thư viện nào mang mã “NOWHERE”.' })]);
    const en = await env.app.inject({ url: '/api/v1/search?libraryFilter=PROV&libraryFilter=XX&near=YY', headers: { 'accept-language': 'en' } });
    expect(en.statusCode).toBe(400);
    expect(en.json().error.details.map((d: { message: string }) => d.message)).toEqual(['near: no library has the code “YY”.', 'libraryFilter: no library has the code “XX”.']);
    expect((await search('?available=NOPE')).res.statusCode).toBe(400);
  });

  it('sorts and pages', async () => {
    const newest = (await search('?q=lich+su&sort=newest')).body;
    expect(newest.results.map((r) => keyOf.get(r.id))).toEqual(['tvkg', 'lsvn', 'lsvn-cd']);
    expect(newest.sort).toBe('newest');
    const p1 = (await search('?sort=title&pageSize=3')).body;
    const p2 = (await search('?sort=title&pageSize=3&page=2')).body;
    expect(p1.pages).toBe(3);
    expect(p1.total).toBe(BOOKS.length);
    expect(p1.results[0]!.title).toBe('A history of Vietnam');
    expect(p2.page).toBe(2);
    expect(new Set([...p1.results, ...p2.results].map((r) => r.id)).size).toBe(6);
    const noFacets = (await search('?q=lich+su&facets=false')).body;
    expect(noFacets.facets).toBeNull();
  });

  it('repairs queries and says so politely; suggests a spelling', async () => {
    const quote = (await search(`?q=${encodeURIComponent('"lich su')}`)).body;
    expect(quote.total).toBe(3);
    expect(quote.query.problems).toEqual([{ code: 'query.unbalanced_quote', message: 'Thiếu dấu ngoặc kép đóng: cụm từ được coi là kết thúc ở cuối câu.' }]);
    const field = (await search(`?q=${encodeURIComponent('tacgia:"phan huy" foo:bar')}`, { 'accept-language': 'en' })).body;
    expect(field.query.problems).toEqual([{ code: 'query.unknown_field', detail: 'foo', message: 'There is no field “foo”: it was searched for as an ordinary word.' }]);
    const typo = (await search('?q=lich+su+viet+nma')).body;
    expect(typo.total).toBe(0);
    // Words the reader typed right keep their spelling; the corrected one takes the catalogue's.
    expect(typo.didYouMean).toEqual({ text: 'lich su viet nam', hits: 2 });
    const toned = (await search(`?q=${encodeURIComponent('lịch sử việt nma')}`)).body;
    expect(toned.didYouMean).toEqual({ text: 'lịch sử việt nam', hits: 2 });
  });

  it('answers hostile input with results or a 400 with a message, never a 500', async () => {
    const big = await search(`?q=${encodeURIComponent('lịch sử '.repeat(1300))}`);
    expect(big.res.statusCode).toBe(200);
    expect(big.body.query.problems.map((p) => p.code)).toEqual(expect.arrayContaining(['query.truncated']));
    expect(big.body.query.problems.find((p) => p.code === 'query.truncated')!.message).toBe('Câu tìm quá dài: chỉ dùng 500 ký tự đầu.');
    for (const q of ['\u0000\u0007lich\u001bsu\u200b', '((( OR', 'AND', '-', '*', 'title:', '"" ""', ':::', '<script>alert(1)</script>', 'year:abc', 'isbn:123']) {
      const r = await search(`?q=${encodeURIComponent(q)}`);
      expect(r.res.statusCode, q).toBe(200);
      expect(r.body.total, q).toBeGreaterThanOrEqual(0);
    }
    expect((await env.app.inject('/api/v1/search?q=%ED%A0%80%FF%FE')).statusCode).toBe(200);
    const control = (await search(`?q=${encodeURIComponent('lich\u0000 su')}`)).body;
    expect(control.total).toBeGreaterThan(0);
    for (const qs of ['?page=0', '?page=-3', '?page=abc', '?page=501', '?page=1.5', '?pageSize=0', '?pageSize=101', '?sort=bogus', '?yearFrom=x', '?facets=maybe', `?libraryFilter=${'X'.repeat(40)}`, `?q=${'a'.repeat(20_001)}`]) {
      const r = await env.app.inject(`/api/v1/search${qs}`);
      expect(r.statusCode, qs).toBe(400);
      expect(r.json().error.code, qs).toBe('VALIDATION');
      expect(r.json().error.message, qs).toBeTruthy();
      expect(r.json().error.details[0].message, qs).toBeTruthy();
    }
    expect((await search(`?subject=${encodeURIComponent('\u0000')}&author=${'x'.repeat(500)}`)).res.statusCode).toBe(200);
  });

  it('finds in the page text of digitised documents, after catalogue matches', async () => {
    await env.container.store.transaction((tx) => tx.search.setPages(ids.get('noitem')!, [{ pageNo: 7, text: 'Vùng đất Hà Tiên có nghề làm nước mắm.' }]));
    const { body } = await search('?q=nuoc+mam');
    expect(body.results).toHaveLength(1);
    expect(body.results[0]).toMatchObject({ fullTextOnly: true, holdings: 0, available: false });
    expect(body.results[0]!.pages[0]!.pageNo).toBe(7);
    expect(body.results[0]!.pages[0]!.snippet.filter((s) => s.hit).map((s) => s.text)).toEqual(['nước', 'mắm']);
    expect((await search('?q=nuoc+mam&fullText=false')).body.total).toBe(0);
  });

  it('suggests headings as the reader types', async () => {
    const res = await env.app.inject(`/api/v1/search/suggest?q=${encodeURIComponent('lich s')}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['x-ratelimit-limit']).toBe('900');
    const hits = res.json() as { kind: string; heading: string; docs: number }[];
    expect(hits).toEqual(expect.arrayContaining([{ kind: 'title', heading: 'Lịch sử Việt Nam', docs: 1 }]));
    const author = (await env.app.inject(`/api/v1/search/suggest?q=${encodeURIComponent('phan h')}&limit=3`)).json();
    expect(author[0]).toMatchObject({ kind: 'author', heading: 'Phan Huy Lê' });
    expect((await env.app.inject('/api/v1/search/suggest?q=')).json()).toEqual([]);
    expect((await env.app.inject(`/api/v1/search/suggest?q=${encodeURIComponent('\u0000\u0001')}`)).statusCode).toBe(200);
    expect((await env.app.inject(`/api/v1/search/suggest?q=${'a'.repeat(1999)}`)).statusCode).toBe(200);
    expect((await env.app.inject(`/api/v1/search/suggest?q=${'a'.repeat(10_000)}`)).statusCode).toBe(400);
    expect((await env.app.inject('/api/v1/search/suggest')).statusCode).toBe(400);
    expect((await env.app.inject('/api/v1/search/suggest?q=ab&limit=99')).statusCode).toBe(400);
  });
});
