/**
 * The reader's search pages through `app.inject`, as a browser without JavaScript sees them:
 * the GET form, facets as form fields and links, paging, lenient parameters, the record page,
 * the help page, the header's search box and the staff catalogue's search.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../../test/dialects.js';
import { PASSWORD } from '../../../../test/factories.js';
import { get, httpEnv, login, type HttpEnv } from '../../../../test/http.js';
import { systemActor } from '../../../app/actor.js';
import type { MarcRecord } from '../../../codecs/marc/record.js';
import { buildSearchDoc } from '../../../domain/search/document.js';
import { deriveFields } from '../../../domain/catalog/derive.js';
import { classTree, groupDigits } from './search.pages.js';

const sys = systemActor('test');

function marc(title: string, author: string, year: number, lang = 'vie', subject?: string): MarcRecord {
  return {
    leader: '00000nam a2200000 i 4500',
    fields: [
      { tag: '008', value: `250101s${year}    vm            000 0 ${lang} d` },
      { tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: author }] },
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: title }] },
      { tag: '264', ind1: ' ', ind2: '1', subfields: [{ code: 'a', value: 'Hà Nội' }, { code: 'b', value: 'Nxb. Kim Đồng' }, { code: 'c', value: String(year) }] },
      ...(subject ? [{ tag: '650', ind1: ' ', ind2: '7', subfields: [{ code: 'a', value: subject }] }] : []),
    ],
  };
}

describeEachDialect('search pages', (dialect) => {
  let env: HttpEnv;
  let kieu: number;
  let gone: number;

  beforeAll(async () => {
    env = await httpEnv(dialect);
    const { catalog } = env.container.services;
    const t = env.tree;
    const add = async (m: MarcRecord, copies: Array<[typeof t.prov, string]>) => {
      const { record } = await catalog.create(sys, { marc: m, unitId: t.prov.id, allowDuplicate: true });
      for (const [u, status] of copies) await catalog.addItem(sys, record.id, { barcode: `PG${record.id}X${u.id}${status.length}`, ownerUnitCode: u.code, status: status as never, unitId: u.id, publicNote: 'Đọc tại chỗ' });
      return record.id;
    };
    kieu = await add(marc('Truyện Kiều', 'Nguyễn Du', 2015, 'vie', 'Văn học Việt Nam'), [
      [t.prov, 'available'],
      [t.communeA1, 'on-loan'],
    ]);
    for (let i = 1; i <= 25; i++) await add(marc(`Truyện ngắn tuyển chọn tập ${i}`, 'Nhiều tác giả', 1990 + i, i % 5 === 0 ? 'eng' : 'vie'), [[t.distB, 'available']]);
    gone = await add(marc('Sách đã xoá', 'Ai đó', 2000), []);
    await catalog.delete(sys, gone);
  }, 120_000);
  afterAll(async () => {
    await env?.dispose();
  });

  const page = async (url: string, headers: Record<string, string> = {}) => env.app.inject({ url, headers });

  it('drills down the library facet: members are listed under a chosen library, a link chooses one otherwise', async () => {
    const html = (await page('/search?q=truyen')).body;
    // PROV is alone on the first level, so its members are listed; theirs are not, each district has a link instead.
    expect(html).toContain('name="libraryFilter" value="DIST-A"');
    expect(html).not.toContain('name="libraryFilter" value="COMM-A1"');
    expect(html).toContain(`<a class="facet-sub facet-drill" href="/search?q=truyen&amp;libraryFilter=DIST-A">Các đơn vị trực thuộc (1)</a>`);
    const chosen = (await page('/search?q=truyen&libraryFilter=DIST-A')).body;
    expect(chosen).toMatch(/name="libraryFilter" value="DIST-A" checked/);
    expect(chosen).toContain('name="libraryFilter" value="COMM-A1"');
    expect(chosen).not.toContain('name="libraryFilter" value="COMM-B1"');
    // Choosing a commune keeps the path to it open.
    const commune = (await page('/search?q=truyen&libraryFilter=COMM-A2')).body;
    expect(commune).toMatch(/name="libraryFilter" value="COMM-A2" checked/);
    const en = (await page('/search?q=truyen', { 'accept-language': 'en' })).body;
    expect(en).toContain('Libraries below it (1)</a>');
  });

  it('searches with a plain GET form and shows results, facets and paging without JavaScript', async () => {
    const res = await page('/search?q=truyen');
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('<form method="get" action="/search" class="search-form" role="search">');
    expect(html).toContain('value="truyen"');
    expect(html).toContain('Tìm thấy 26 tài liệu');
    expect(html).toContain(`<a href="/record/${kieu}"><mark>Truyện</mark> Kiều</a>`);
    // Facets are a GET form with checkboxes; decades are links.
    expect(html).toContain('<form method="get" action="/search" class="facet-form">');
    expect(html).toMatch(/<input type="checkbox" name="language" value="eng"\/><span class="facet-label">Tiếng Anh<\/span><span class="facet-count">5<\/span>/);
    expect(html).toContain('name="libraryFilter" value="DIST-B"');
    expect(html).toContain('href="/search?q=truyen&amp;yearFrom=2010&amp;yearTo=2019"');
    // Paging keeps the query.
    expect(html).toContain('href="/search?q=truyen&amp;page=2"');
    expect(html).toContain('search-suggest');
    // The search page has its own box: the header's is left out there.
    expect(html).not.toContain('id="site-q"');

    const filtered = (await page('/search?q=truyen&language=eng&language=vie&libraryFilter=DIST-B&sort=newest&page=2&pageSize=5')).body;
    expect(filtered).toContain('Tìm thấy 25 tài liệu');
    expect(filtered).toContain('aria-current="page" class="current">2</span>');
    expect(filtered).toMatch(/name="language" value="eng" checked/);
    expect(filtered).toContain('<option value="newest" selected>');
    // Each filter in use is a link that removes it, keeping the rest.
    expect(filtered).toContain('href="/search?q=truyen&amp;libraryFilter=DIST-B&amp;language=vie&amp;sort=newest&amp;pageSize=5" aria-label="Bỏ bộ lọc: Tiếng Anh"');
  });

  it('says a page past the last one is past it, and links to the last page, in both languages', async () => {
    // 26 hits, 10 a page: 3 pages.
    const vi = (await page('/search?q=truyen&pageSize=10&page=7')).body;
    expect(vi).toContain('Tìm thấy 26 tài liệu');
    expect(vi).toContain('Không có trang 7: kết quả chỉ có 3 trang.');
    expect(vi).toContain('<a href="/search?q=truyen&amp;pageSize=10&amp;page=3">Đến trang 3, trang cuối</a>');
    expect(vi).not.toContain('Không tìm thấy tài liệu nào.');
    expect(vi).toContain('<a href="/search?q=truyen&amp;pageSize=10&amp;page=3" rel="prev">');
    const en = (await page('/search?q=truyen&pageSize=10&page=7', { 'accept-language': 'en' })).body;
    expect(en).toContain('There is no page 7: the results fill 3 pages.');
    expect(en).toContain('Go to page 3, the last one');
    // One page of results: said so, and the link goes back to it.
    const one = (await page('/search?q=kieu&page=2', { 'accept-language': 'en' })).body;
    expect(one).toContain('There is no page 2: the results fit on one page.');
    expect(one).toContain('<a href="/search?q=kieu">Back to page 1</a>');
    // Nothing found at all is still said as before.
    const none = (await page('/search?q=khongcotu&page=2')).body;
    expect(none).toContain('Không tìm thấy tài liệu nào.');
    expect(none).not.toContain('Không có trang');
  });

  it('is lenient with what it is given, and polite about the query', async () => {
    for (const qs of ['?page=abc', '?page=-1', '?page=99999', '?sort=bogus', '?pageSize=0', '?yearFrom=x', `?q=${'x'.repeat(10_000)}`, '?q=%00%01%02', '?q=((((', '?q=%22unbalanced', '?q[a]=1', '?material=&language=']) {
      const res = await page(`/search${qs}`);
      expect(res.statusCode, qs).toBe(200);
    }
    const quote = (await page(`/search?q=${encodeURIComponent('"truyen kieu')}`)).body;
    expect(quote).toContain('Thiếu dấu ngoặc kép đóng: cụm từ được coi là kết thúc ở cuối câu.');
    expect(quote).toContain('<mark>Truyện</mark> <mark>Kiều</mark>');
    // An empty query shows the whole catalogue, without complaining about it.
    const all = (await page('/search')).body;
    expect(all).toContain('Toàn bộ mục lục: 26 tài liệu');
    expect(all).not.toContain('Không có từ nào để tìm');
    // An unknown library is a clear message, not an empty result.
    const unknown = await page('/search?q=truyen&library=NOWHERE');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('library: không có thư viện nào mang mã “NOWHERE”.');
    const en = await page('/search?q=zzzqqq', { 'accept-language': 'en' });
    expect(en.body).toContain('No documents found.');
    expect(en.body).toContain('How to search');
  });

  it('offers a spelling, scopes and availability', async () => {
    const dym = (await page(`/search?q=${encodeURIComponent('truyện kiue')}`)).body;
    expect(dym).toContain('Có phải bạn muốn tìm <a href="/search?q=truy%E1%BB%87n+ki%E1%BB%81u"><strong>truyện kiều</strong></a>?');
    const near = (await page('/search?q=kieu&near=COMM-A1')).body;
    expect(near).toContain('Tìm thấy 0 tài liệu'); // its copy there is on loan
    expect(near).toContain('Có trên giá gần tôi: Thư viện COMM-A1');
    const scoped = (await page('/search?q=kieu&library=PROV')).body;
    expect(scoped).toContain('Có trên giá tại Thư viện PROV');
    expect(scoped).toContain('Chỉ trong Thư viện PROV');
  });

  it('shows the pages of a digitised document where the words were found', async () => {
    await env.container.store.transaction((tx) => tx.search.setPages(kieu, [{ pageNo: 12, label: 'xii', text: 'Trăm năm trong cõi người ta, chữ tài chữ mệnh khéo là ghét nhau.' }]));
    const html = (await page('/search?q=chu+tai+chu+menh')).body;
    expect(html).toContain('Tìm thấy trong toàn văn');
    expect(html).toContain('<span class="page-no">Trang xii</span> Trăm năm trong cõi người ta, <mark>chữ</mark> <mark>tài</mark> <mark>chữ</mark> <mark>mệnh</mark> khéo là ghét nhau.');
  });

  it('shows a public record page with holdings by library', async () => {
    const res = await page(`/record/${kieu}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1 class="record-title">Truyện Kiều');
    expect(res.body).toContain('2 bản tại 2 thư viện; 1 bản đang có trên giá.');
    expect(res.body).toContain('Thư viện PROV');
    expect(res.body).toContain('1/1 bản có trên giá');
    expect(res.body).toContain('0/1 bản có trên giá');
    expect(res.body).toContain('Đang cho mượn');
    expect(res.body).toContain('Đọc tại chỗ');
    expect(res.body).toContain('href="/search?q=author%3A%22Nguy%E1%BB%85n+Du%22"');
    expect(res.body).not.toContain('Mở trong khu biên mục');
    expect((await page('/record/999999')).statusCode).toBe(404);
    expect((await page('/record/abc')).statusCode).toBe(404);
    expect((await page('/record/0')).statusCode).toBe(404);
    expect((await page(`/record/${'9'.repeat(30)}`)).statusCode).toBe(404);
    const deleted = await page(`/record/${gone}`);
    expect(deleted.statusCode).toBe(410);
    expect(deleted.body).toContain('đã bị xoá');
  });

  it('explains the query language in both languages', async () => {
    const vi = await page('/search/help');
    expect(vi.statusCode).toBe(200);
    expect(vi.body).toContain('Cách tìm tài liệu');
    expect(vi.body).toContain('tacgia:&quot;nguyễn du&quot;');
    const en = await page('/search/help', { 'accept-language': 'en' });
    expect(en.body).toContain('How to search');
    expect(en.body).toContain('A star at the end of a word');
  });

  it('puts a search box in the header of other pages', async () => {
    const home = (await page('/')).body;
    expect(home).toMatch(/<form method="get" action="\/search" class="site-search" role="search" aria-label="[^"]+">/);
    expect(home).toContain('id="site-q" name="q"');
  });

  it('searches from the staff catalogue page, keeping the newest list when there is no query', async () => {
    const { jar } = await login(env.app, 'commlib', PASSWORD);
    const landing = (await get(env.app, jar, '/staff/catalogue')).body;
    expect(landing).toContain('Biểu ghi mới nhất');
    expect(landing).toContain('class="list stack records"');
    const found = await get(env.app, jar, '/staff/catalogue?q=truyen+kieu');
    expect(found.statusCode).toBe(200);
    expect(found.body).toContain('Kết quả tìm “truyen kieu”: 1 biểu ghi');
    expect(found.body).toContain(`<a href="/staff/catalogue/records/${kieu}"><mark>Truyện</mark> <mark>Kiều</mark></a>`);
    expect(found.body).not.toContain('Biểu ghi mới nhất');
    const many = (await get(env.app, jar, '/staff/catalogue?q=truyen')).body;
    expect(many).toContain('Kết quả tìm “truyen”: 26 biểu ghi');
    const none = (await get(env.app, jar, '/staff/catalogue?q=khong+co+dau')).body;
    expect(none).toContain('Không tìm thấy biểu ghi nào cho “khong co dau”.');
    // Signed in, the public record page links to the staff one.
    expect((await get(env.app, jar, `/record/${kieu}`)).body).toContain(`href="/staff/catalogue/records/${kieu}"`);
  });
});

describeEachDialect('search pages: past the last page shown', (dialect) => {
  let env: HttpEnv;

  beforeAll(async () => {
    env = await httpEnv(dialect);
    // 510 matches, one a page: more pages than are ever shown (500). Written straight into the
    // index: only the search reads them.
    const docs = Array.from({ length: 510 }, (_, i) => buildSearchDoc({ id: 9000 + i, derived: deriveFields(marc(`Cây lúa số ${i + 1}`, 'Nhiều tác giả', 2000)), createdAt: '2025-01-01T00:00:00.000Z', items: [] }));
    await env.container.store.transaction(async (tx) => tx.search.write(docs, []));
  }, 120_000);
  afterAll(async () => {
    await env?.dispose();
  });

  it('says a page beyond the 500 shown is not shown, and how to reach the rest, in both languages', async () => {
    const vi = (await env.app.inject({ url: '/search?q=lua&pageSize=1&page=900' })).body;
    expect(vi).toContain('Tìm thấy 510 tài liệu');
    expect(vi).toContain('Không có trang 900: chỉ xem được 500 trang đầu của kết quả.');
    expect(vi).toContain('<a href="/search?q=lua&amp;pageSize=1&amp;page=500">Đến trang 500, trang cuối</a>');
    expect(vi).not.toContain('<ol class="results"');
    const en = (await env.app.inject({ url: '/search?q=lua&pageSize=1&page=900', headers: { 'accept-language': 'en' } })).body;
    expect(en).toContain('There is no page 900: only the first 500 pages of results are shown.');
    // The last page shown is a page like any other.
    const last = (await env.app.inject({ url: '/search?q=lua&pageSize=1&page=500' })).body;
    expect(last).toContain('<ol class="results" start="500"');
    expect(last).not.toContain('Không có trang');
  });
});

describe('classTree', () => {
  const v = (value: string, count: number, selected = false) => ({ value, label: value, count, selected });
  it('puts each DDC ten under its hundred, keeps BBK and a ten without its hundred at the top, in the order given', () => {
    const tree = classTree([v('ddc:900', 9), v('ddc:95x', 7), v('bbk:63', 5), v('ddc:800', 4), v('ddc:89x', 3), v('ddc:63x', 2), v('ddc:90x', 1)]);
    expect(tree.map((n) => [n.value.value, n.children.map((c) => c.value)])).toEqual([
      ['ddc:900', ['ddc:95x', 'ddc:90x']],
      ['bbk:63', []],
      ['ddc:800', ['ddc:89x']],
      ['ddc:63x', []],
    ]);
  });
});

describeEachDialect('search pages: the class facet', (dialect) => {
  let env: HttpEnv;
  beforeAll(async () => {
    env = await httpEnv(dialect);
    const { catalog } = env.container.services;
    const classed = (title: string, ddc: string, bbk?: string): MarcRecord => {
      const m = marc(title, 'Nhiều tác giả', 2020);
      m.fields.push({ tag: '082', ind1: '0', ind2: '4', subfields: [{ code: 'a', value: ddc }] });
      if (bbk) m.fields.push({ tag: '084', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: bbk }, { code: '2', value: 'bbk' }] });
      return m;
    };
    for (const [title, ddc, bbk] of [
      ['Lịch sử Việt Nam sơ lược', '959.7', '63.3(1)'],
      ['Lịch sử Nam Bộ sơ lược', '959.77'],
      ['Địa lý Việt Nam sơ lược', '915.97'],
      ['Văn học Việt Nam sơ lược', '895.922'],
      ['Nông nghiệp sơ lược', '630'],
    ] as const) {
      await catalog.create(sys, { marc: classed(title, ddc, bbk), unitId: env.tree.prov.id, allowDuplicate: true });
    }
  }, 120_000);
  afterAll(async () => {
    await env?.dispose();
  });

  const fieldset = (html: string, legend: string) => {
    const at = html.indexOf(`<legend>${legend}</legend>`);
    return html.slice(at, html.indexOf('</fieldset>', at));
  };

  it('lists the hundreds with a link to their divisions, and the divisions of a chosen hundred under it', async () => {
    const html = fieldset((await env.app.inject({ url: '/search?q=so+luoc' })).body, 'Môn loại');
    expect(html).toContain('name="class" value="ddc:900"');
    expect(html).toContain('name="class" value="bbk:63"');
    expect(html).not.toContain('value="ddc:95x"');
    expect(html).toContain('<a class="facet-sub facet-drill" href="/search?q=so+luoc&amp;class=ddc%3A900">Các lớp con (2)</a>');
    // 600 has one division (63x): still a link, as any parent.
    expect(html).toContain('href="/search?q=so+luoc&amp;class=ddc%3A600">Các lớp con (1)</a>');

    const chosen = fieldset((await env.app.inject({ url: '/search?q=so+luoc&class=ddc%3A900' })).body, 'Môn loại');
    expect(chosen).toMatch(/name="class" value="ddc:900" checked/);
    expect(chosen).toMatch(/<div class="facet-sub"><ul class="facet-list"><li><label class="facet-option"><input type="checkbox" name="class" value="ddc:95x"\/><span class="facet-label">95x – [^<]+<\/span><span class="facet-count">2<\/span>/);
    expect(chosen).toContain('value="ddc:91x"');
    expect(chosen).not.toContain('value="ddc:89x"');

    // A chosen division alone keeps its hundred open, and English says so in English.
    const en = fieldset((await env.app.inject({ url: '/search?q=so+luoc&class=ddc%3A89x&lang=en', headers: { 'accept-language': 'en' } })).body, 'Class');
    expect(en).toMatch(/name="class" value="ddc:89x" checked/);
    expect(en).toContain('Divisions below it (2)');
  });
});

describe('groupDigits', () => {
  it('groups thousands as each language writes them', () => {
    expect(['7', '999', '1000', '144909', '1000000'].map((n) => groupDigits(Number(n), '.'))).toEqual(['7', '999', '1.000', '144.909', '1.000.000']);
    expect(groupDigits(12345, ',')).toBe('12,345');
  });
});

describeEachDialect('search pages: facet counts estimated from a sample', (dialect) => {
  let env: HttpEnv;
  beforeAll(async () => {
    // Exact up to 10 hits here (150,000 by default): 30 hits are counted from a sample.
    env = await httpEnv(dialect, { container: { searchExactCounts: 10 } });
    const { catalog } = env.container.services;
    for (let i = 1; i <= 30; i++) await catalog.create(sys, { marc: marc(`Ca dao tục ngữ quyển ${i}`, 'Vũ Ngọc Phan', 2000 + (i % 3)), unitId: env.tree.prov.id, allowDuplicate: true });
    await catalog.create(sys, { marc: marc('Ca dao một quyển lẻ', 'Vũ Ngọc Phan', 1999), unitId: env.tree.prov.id, allowDuplicate: true });
  }, 120_000);
  afterAll(async () => {
    await env?.dispose();
  });

  it('marks every count as an estimate and says why, in both languages; exact counts carry no mark', async () => {
    const many = (await env.app.inject({ url: '/search?q=ca+dao' })).body;
    expect(many).toContain('<p class="small facet-note">Quá nhiều kết quả để đếm hết: số đếm có dấu ≈ là ước tính từ một mẫu đều của chúng.</p>');
    const counts = [...many.matchAll(/<span class="facet-count">([^<]*)<\/span>/gu)].map((m) => m[1]!);
    expect(counts.length).toBeGreaterThan(3);
    for (const c of counts) expect(c).toMatch(/^≈\d/u);
    // The total stays exact.
    expect(many).toContain('Tìm thấy 31 tài liệu');
    const en = (await env.app.inject({ url: '/search?q=ca+dao&lang=en', headers: { 'accept-language': 'en' } })).body;
    expect(en).toContain('Too many results to count them all: counts marked ≈ are estimated from an even sample of them.');

    const few = (await env.app.inject({ url: '/search?q=quyen+le' })).body;
    expect(few).not.toContain('facet-note');
    expect(few).not.toContain('≈');
    expect(few).toContain('<span class="facet-count">1</span>');
  });
});
