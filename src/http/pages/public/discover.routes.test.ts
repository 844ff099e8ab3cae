/**
 * What crawlers and feed readers get, through `app.inject` on both databases: robots.txt, the
 * sitemap index and its sitemaps (split by id range, checked against the sitemaps.org schema's
 * rules; the 50,000 limit lowered to 3 to see the split), the OpenSearch description and the
 * Atom feeds (RFC 4287), with hostile catalogue text.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../../test/dialects.js';
import { treeEnv, type TreeEnv } from '../../../../test/factories.js';
import { addBooks, type Book } from '../../../../test/books.js';
import { checkAtom, checkSitemapIndex, checkUrlset } from '../../../../test/feeds.js';
import { kids, only, parseXml } from '../../../../test/xml.js';
import { buildApp, type App } from '../../app.js';
import { systemActor } from '../../../app/actor.js';
import type { DigitalObjectFields } from '../../../app/ports.js';

const BASE = 'https://thuvien.example.vn';
const HOSTILE = 'Sổ tay <script>alert("x")</script> & \u0007chuông\u0000';

const BOOKS: Book[] = [
  { title: 'Truyện Kiều', authors: ['Nguyễn Du'], subjects: ['Thơ'], year: 2015, copies: [['COMM-A1']] },
  { title: HOSTILE, authors: ['Tác giả <b>đậm</b> & "ngoặc"'], subjects: ['Nông nghiệp & <thủy sản>'], year: 2010, copies: [['DIST-B']] },
  { title: 'Đất rừng phương Nam', authors: ['Đoàn Giỏi'], year: 2019, copies: [['COMM-A1'], ['DIST-B']] },
  { title: 'Chưa có bản nào' },
  { title: 'Lịch sử Việt Nam', authors: ['Đào Duy Anh'], year: 2002, copies: [['PROV']] },
  { title: 'Ngữ pháp tiếng Việt', authors: ['Diệp Quang Ban'], year: 2005, copies: [['COMM-A2']] },
  { title: 'Kỹ thuật nuôi tôm', year: 2018, copies: [['DIST-B']] },
];

describeEachDialect('discoverability', (dialect) => {
  let x: TreeEnv;
  let app: App;
  let ids: number[];
  let objects: { open: number; login: number; draft: number; embargoed: number };

  beforeAll(async () => {
    x = await treeEnv(dialect);
    ids = await addBooks(x.c, x.t.prov, BOOKS);
    // A deleted record is in no sitemap.
    await x.c.services.catalog.delete(systemActor('test'), ids[3]!);
    const base: DigitalObjectFields = {
      recordId: null, ownerUnitId: x.t.prov.id, title: 'Bản đồ', dc: { title: ['Bản đồ'] }, category: 'local', access: 'public', embargoUntil: null, licence: 'cc-by',
      downloadable: false, watermark: false, ocrLanguages: 'vie', forceOcr: false, state: 'published', stateReason: null, assigneeId: null,
    };
    const now = x.c.clock.now().toISOString();
    const put = (o: Partial<DigitalObjectFields>) => x.c.store.digital.insertObject({ ...base, ...o, source: 'test', createdBy: null }, now);
    objects = {
      open: await put({ title: 'Bản đồ tỉnh' }),
      login: await put({ title: 'Luận văn', access: 'registered' }),
      draft: await put({ title: 'Bản nháp', state: 'qc' }),
      embargoed: await put({ title: 'Hạn chế', embargoUntil: '2099-01-01' }),
    };
    await x.c.services.digital.createCollection(systemActor('test'), { ownerUnitId: x.t.prov.id, code: 'ban-do', nameVi: 'Bản đồ', nameEn: 'Maps' });
    app = await buildApp({ services: x.c.services, store: x.c.store, clock: x.env.clock, sessionSecret: 'discover-test-secret-0123456789abcdef', baseUrl: `${BASE}/`, sitemapUrls: 3 });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await x?.env.dispose();
  });

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ url, headers });

  it('tells crawlers where the sitemaps are and keeps them out of private pages', async () => {
    const res = await get('/robots.txt');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    const lines = res.body.split('\n');
    expect(lines[0]).toBe('User-agent: *');
    for (const path of ['/staff', '/account', '/api/', '/iiif/', '/search?']) expect(lines).toContain(`Disallow: ${path}`);
    expect(lines).toContain('Allow: /');
    expect(lines).toContain(`Sitemap: ${BASE}/sitemap.xml`);
  });

  it('splits the records into sitemaps of at most the limit, by id range, with lastmod, and lists them in an index', async () => {
    const index = await get('/sitemap.xml');
    expect(index.statusCode).toBe(200);
    expect(index.headers['content-type']).toBe('application/xml; charset=utf-8');
    const sitemaps = checkSitemapIndex(index.body);
    expect(sitemaps[0]).toBe(`${BASE}/sitemap-pages.xml`);
    const recordMaps = sitemaps.filter((s) => s.includes('sitemap-records-'));
    const live = ids.filter((_, i) => i !== 3);
    // Ids in ranges of 3: every range that holds a live record has a sitemap, and no other.
    expect(recordMaps).toEqual([...new Set(live.map((id) => Math.floor(id / 3)))].map((n) => `${BASE}/sitemap-records-${n}.xml`));
    const seen: string[] = [];
    for (const loc of recordMaps) {
      const res = await get(new URL(loc).pathname);
      expect(res.statusCode).toBe(200);
      const { locs, lastmods } = checkUrlset(res.body, 3);
      seen.push(...locs);
      for (const lm of lastmods) expect(lm).toMatch(/^2026-03-15T03:00:00/);
    }
    expect(seen).toEqual(live.map((id) => `${BASE}/record/${id}`));
    expect(seen).not.toContain(`${BASE}/record/${ids[3]}`);
    // A range with nothing in it, or a number that is not one, is not found.
    expect((await get('/sitemap-records-999.xml')).statusCode).toBe(404);
    expect((await get('/sitemap-records-abc.xml')).statusCode).toBe(404);
    expect((await get('/sitemap-records-99999999999.xml')).statusCode).toBe(404);
  });

  it('lists the site’s pages, libraries and digital collections, and only the digital objects anyone may read', async () => {
    const pages = checkUrlset((await get('/sitemap-pages.xml')).body);
    expect(pages.locs).toContain(`${BASE}/`);
    expect(pages.locs).toContain(`${BASE}/browse/subjects`);
    expect(pages.locs).toContain(`${BASE}/l/${x.t.communeA1.slug}`);
    expect(pages.locs).toContain(`${BASE}/digital/collections/ban-do`);
    const index = checkSitemapIndex((await get('/sitemap.xml')).body);
    const digital = index.filter((s) => s.includes('sitemap-digital-'));
    expect(digital).toEqual([`${BASE}/sitemap-digital-${Math.floor(objects.open / 3)}.xml`]);
    const { locs } = checkUrlset((await get(new URL(digital[0]!).pathname)).body);
    expect(locs).toEqual([`${BASE}/digital/${objects.open}`]);
  });

  it('describes the search for browsers (OpenSearch), and every page points to it', async () => {
    const res = await get('/opensearch.xml');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/opensearchdescription+xml; charset=utf-8');
    const root = parseXml(res.body);
    expect(root.name).toBe('OpenSearchDescription');
    expect(root.attrs.xmlns).toBe('http://a9.com/-/spec/opensearch/1.1/');
    expect(only(root, 'ShortName')).toBe('Liên Thông');
    expect(only(root, 'InputEncoding')).toBe('UTF-8');
    const urls = kids(root, 'Url').map((u) => [u.attrs.type, u.attrs.template]);
    expect(urls).toContainEqual(['text/html', `${BASE}/search?q={searchTerms}&page={startPage?}`]);
    expect(urls).toContainEqual(['application/atom+xml', `${BASE}/search.atom?q={searchTerms}&page={startPage?}`]);
    expect(only(root, 'Image')).toMatch(new RegExp(`^${BASE}/assets/favicon\\.[0-9a-f]+\\.svg$`));
    expect((await get('/browse')).body).toContain('<link rel="search" type="application/opensearchdescription+xml" href="/opensearch.xml" title="Liên Thông"/>');
  });

  it('offers new arrivals of the network as an Atom feed, newest first, hostile text escaped', async () => {
    const res = await get('/feeds/new.atom');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    const { root, entries } = checkAtom(res.body);
    expect(only(root, 'id')).toBe(`${BASE}/feeds/new.atom`);
    expect(kids(root, 'link').find((l) => l.attrs.rel === 'self')!.attrs.href).toBe(`${BASE}/feeds/new.atom`);
    // Records with a copy somewhere, newest first; the one without copies and the deleted one are not there.
    const held = [ids[6], ids[5], ids[4], ids[2], ids[1], ids[0]];
    expect(entries.map((e) => e.id)).toEqual(held.map((id) => `${BASE}/record/${id}`));
    expect(entries.map((e) => e.alternate)).toEqual(held.map((id) => `${BASE}/record/${id}`));
    const hostile = entries.find((e) => e.id.endsWith(`/record/${ids[1]}`))!;
    expect(hostile.title).toBe('Sổ tay <script>alert("x")</script> & chuông');
    expect(hostile.authors).toEqual(['Tác giả <b>đậm</b> & "ngoặc"']);
    expect(hostile.summary).toContain('Nông nghiệp & <thủy sản>');
    expect(res.body).not.toContain('<script>');
    expect(only(root, 'updated')).toBe(entries[0]!.updated);
  });

  it('offers each library’s new arrivals, what is held at or below it', async () => {
    const res = await get(`/l/${x.t.distA.slug}/new.atom`);
    expect(res.statusCode).toBe(200);
    const { root, entries } = checkAtom(res.body);
    expect(only(root, 'title')).toBe('Tài liệu mới ở Thư viện DIST-A');
    expect(entries.map((e) => e.id)).toEqual([ids[5], ids[2], ids[0]].map((id) => `${BASE}/record/${id}`));
    expect(kids(root, 'link').find((l) => l.attrs.rel === 'alternate')!.attrs.href).toBe(`${BASE}/browse/new?library=DIST-A`);
    const en = checkAtom((await get(`/l/${x.t.distA.slug}/new.atom`, { 'accept-language': 'en' })).body);
    expect(only(en.root, 'title')).toBe('New at Library DIST-A');
    expect((await get('/l/no-such-library/new.atom')).statusCode).toBe(404);
    // A library without holdings has an empty but valid feed.
    const empty = checkAtom((await get(`/l/${x.t.communeB1.slug}/new.atom`)).body);
    expect(empty.entries).toEqual([]);
  });

  it('answers searches as Atom with the OpenSearch response elements', async () => {
    const res = await get('/search.atom?q=truyen');
    expect(res.statusCode).toBe(200);
    const { root, entries } = checkAtom(res.body);
    expect(entries.map((e) => e.title)).toEqual(['Truyện Kiều']);
    expect(only(root, 'opensearch:totalResults')).toBe('1');
    expect(only(root, 'opensearch:startIndex')).toBe('1');
    expect(kids(root, 'opensearch:Query')[0]!.attrs.searchTerms).toBe('truyen');
    const all = checkAtom((await get('/search.atom?q=&page=2')).body);
    expect(only(all.root, 'opensearch:startIndex')).toBe('21');
    expect(all.entries).toEqual([]);
    expect((await get('/search.atom?q=x&page=0')).statusCode).toBe(400);
    expect((await get('/search.atom?q=x&page=abc')).statusCode).toBe(400);
    expect((await get(`/search.atom?q=${encodeURIComponent('"<>&\u0000')}`)).statusCode).toBe(200);
  });

  it('gives browse pages a canonical URL and Open Graph tags on the site’s address', async () => {
    const html = (await get(`/browse/authors?letter=${encodeURIComponent('Đ')}`)).body;
    expect(html).toContain(`<link rel="canonical" href="${BASE}/browse/authors?letter=%C4%90"/>`);
    expect(html).toContain(`<meta property="og:url" content="${BASE}/browse/authors?letter=%C4%90"/>`);
    expect(html).toContain('<meta property="og:title" content="Tác giả từ A đến Z: Đ"/>');
  });
});
