/**
 * The digital library's public pages through `app.inject`, as a browser without JavaScript sees
 * them: the reader (page image sized by IIIF, navigation, thumbnails, text view, search inside),
 * downloads (whole, ranges, refusals), what a reader who may not open a document is told (and
 * that no image address leaks), unpublished documents, hostile parameters, the landing page and
 * a collection's page. The OCR is scripted: reading text is tested with the engines themselves.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEachDialect } from '../../../../test/dialects.js';
import { PASSWORD, treeEnv, type TreeEnv } from '../../../../test/factories.js';
import { processQueued, scriptedOcr, writePage } from '../../../../test/digital.js';
import { TEST_SECRET, login } from '../../../../test/http.js';
import { buildApp, type App } from '../../app.js';
import { systemActor } from '../../../app/actor.js';
import type { ObjectInput } from '../../../app/digital/digital.service.js';
import type { PageWord } from '../../../app/digital/media.js';
import { contentDisposition, fitBox, paragraphs, parseRange, seqRanges } from './digital.pages.js';

const sys = systemActor('test');

/** Words laid out line by line, with boxes, as an OCR engine reports them. */
function wordsOf(text: string): PageWord[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .flatMap((line, li) => line.split(/\s+/).filter(Boolean).map((w, wi) => ({ text: w, x: 60 + wi * 90, y: 80 + li * 50, w: 80, h: 36, c: 93, line: li })));
}

const PAGE3 = 'Trăm năm trong cõi người ta,\nchữ tài chữ mệnh khéo là ghét\nnhau.\n\nTrải qua một cuộc bể dâu,\nnhững điều trông thấy mà đau đớn lòng.';
const PAGE7 = 'Lạ gì bỉ sắc tư phong,\ntrời xanh quen thói má hồng đánh ghen.\nChữ tâm kia mới bằng ba chữ tài.';

describeEachDialect('digital library pages', (dialect) => {
  let e: TreeEnv;
  let app: App;
  let dir: string;
  const ids = { book: 0, plain: 0, registered: 0, onsite: 0, embargo: 0, draft: 0, staffOnly: 0 };
  let bookFiles: Array<{ id: number; name: string; sha256: string; size: number }> = [];
  let plainFile = 0;
  let bookRecord = 0;
  let collectionCode = '';

  beforeAll(async () => {
    e = await treeEnv(dialect, { container: { ocr: async () => scriptedOcr('Trang sách số hoá') } });
    const { digital } = e.c.services;
    dir = await mkdtemp(join(tmpdir(), 'lt-reader-'));
    const coll = await digital.createCollection(sys, { ownerUnitId: e.t.prov.id, code: 'truyen-nom', nameVi: 'Truyện Nôm', nameEn: 'Nôm tales', description: 'Truyện thơ Nôm đã số hoá.' });
    collectionCode = coll.code;

    // A book of 30 pages: the first large (for the sizes offered), the others small.
    const stored: Array<{ sha256: string; size: number; name: string }> = [];
    for (let i = 1; i <= 30; i++) {
      const path = await writePage(dir, `p${i}.png`, [`Trang ${i}`], i === 1 ? { width: 1200, height: 1800 } : { width: 400, height: 560 });
      stored.push(await digital.storeFile(path, i === 1 ? 'Địa chí Kiên Giang “bản 1”.png' : `trang-${i}.png`));
    }
    const create = async (input: Partial<ObjectInput> & { title: string }, files = stored.slice(0, 1)) => {
      const { title, ...rest } = input;
      const o = await digital.createWithFiles(sys, { ownerUnitId: e.t.prov.id, source: 'test', dc: { title, creator: ['Nguyễn Du'], date: '1902' }, category: 'han_nom', licence: 'cc-by', state: 'published', ...rest }, files);
      return o.id;
    };
    ids.book = await create({ title: 'Truyện Kiều', collectionIds: [coll.id], dc: { title: 'Truyện Kiều', creator: ['Nguyễn Du'], date: '1902', description: 'Bản in khắc gỗ.' } }, stored);
    const p2 = await digital.storeFile(await writePage(dir, 'plain.png', ['Chỉ xem'], { width: 500, height: 700 }), 'chi-xem.png');
    ids.plain = await create({ title: 'Chỉ xem trực tuyến', downloadable: false, category: 'local' }, [p2]);
    ids.registered = await create({ title: 'Luận văn cần đăng nhập', access: 'registered', category: 'thesis' });
    ids.onsite = await create({ title: 'Sách đọc tại chỗ', access: 'onsite' });
    ids.embargo = await create({ title: 'Tài liệu đang hạn chế', embargoUntil: '2027-01-01' });
    ids.staffOnly = await create({ title: 'Hồ sơ nội bộ', access: 'staff' });
    ids.draft = await create({ title: 'Bản nháp chưa công bố', state: 'scanned' });
    await processQueued(e.c);

    // Two pages with their own text (as OCR would have found it).
    const pages = await e.c.store.digital.pagesOf(ids.book);
    expect(pages).toHaveLength(30);
    for (const [seq, text] of [
      [3, PAGE3],
      [7, PAGE7],
    ] as const) {
      const p = pages.find((x) => x.seq === seq)!;
      await e.c.store.digital.setPageText(p.id, { text, words: wordsOf(text), textSource: 'ocr', confidence: 93, engine: 'scripted' }, e.c.clock.now().toISOString());
    }
    const files = await digital.files(ids.book);
    bookFiles = files.map((f) => ({ id: f.id, name: f.name, sha256: f.sha256, size: f.size }));
    plainFile = (await digital.files(ids.plain))[0]!.id;
    bookRecord = (await digital.get(ids.book)).recordId!;
    app = await buildApp({ services: e.c.services, store: e.c.store, clock: e.env.clock, sessionSecret: TEST_SECRET, baseUrl: 'http://localhost', loginRateLimit: 1000 });
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await e?.env.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers });

  it('shows a page as an image sized for the screen, with navigation, thumbnails and the document’s facts', async () => {
    const res = await get(`/digital/${ids.book}`);
    expect(res.statusCode).toBe(200);
    const html = res.body;
    const base = `/iiif/3/${ids.book}-1`;
    // The first page, in three sizes the browser chooses from.
    expect(html).toContain(`src="${base}/full/!600,900/0/default.jpg"`);
    expect(html).toContain(`${base}/full/!600,900/0/default.jpg 600w`);
    expect(html).toContain(`${base}/full/!1000,1400/0/default.jpg 933w`);
    expect(html).toContain(`${base}/full/!1600,2200/0/default.jpg 1200w`);
    expect(html).toMatch(/sizes="[^"]*100vw"/);
    expect(html).toContain('width="600" height="900"');
    expect(html).toContain('alt="Trang 1 của “Truyện Kiều”"');
    // Navigation: no previous page, the next one, and a page-jump form.
    expect(html).toMatch(/<a class="button secondary reader-prev" aria-disabled="true" data-prev>/);
    expect(html).toContain(`href="/digital/${ids.book}?page=2" rel="next"`);
    expect(html).toContain(`<form method="get" action="/digital/${ids.book}" class="reader-jump">`);
    expect(html).toMatch(/<input type="number" id="jump-top" name="page" min="1" max="30" value="1"/);
    expect(html).toContain('Trang 1 / 30');
    // 24 thumbnails, loaded lazily, then a link to the later pages.
    expect(html.match(/data-thumb="/g)).toHaveLength(24);
    expect(html).toContain(`src="/iiif/3/${ids.book}-24/full/!120,160/0/default.jpg" loading="lazy"`);
    expect(html).not.toContain(`/iiif/3/${ids.book}-25/full/`);
    expect(html).toContain('Các trang sau');
    // The document: licence, library, catalogue record, IIIF manifest, link to this page, downloads.
    expect(html).toContain('<a href="http://creativecommons.org/licenses/by/4.0/" rel="license noopener">CC BY 4.0</a>');
    expect(html).toContain(`<a href="/l/${e.t.prov.slug}">Thư viện PROV</a>`);
    expect(html).toContain(`href="/record/${bookRecord}"`);
    expect(html).toContain(`href="/iiif/3/${ids.book}/manifest"`);
    expect(html).toContain('<span class="iiif-badge">IIIF</span>');
    expect(html).toContain(`value="http://localhost/digital/${ids.book}?page=1"`);
    expect(html).toContain(`href="/digital/${ids.book}/files/${bookFiles[0]!.id}"`);
    expect(html).toContain('Bản in khắc gỗ.');
    expect(html).toContain(`href="/digital/collections/${collectionCode}"`);
    // The script and the viewer come from our own assets, deferred.
    expect(html).toMatch(/<script src="\/assets\/reader\.[0-9a-f]{12}\.js" defer><\/script>/);
    expect(html).toMatch(/data-osd="\/assets\/openseadragon\.min\.[0-9a-f]{12}\.js"/);
    expect(html).toContain('data-osd-prefix="/assets/openseadragon-"');
    expect(html).toMatch(/<link rel="stylesheet" href="\/assets\/reader\.[0-9a-f]{12}\.css"/);
    const osd = await get(/data-osd="([^"]+)"/.exec(html)![1]!);
    expect(osd.statusCode).toBe(200);
    expect(osd.headers['cache-control']).toContain('immutable');
    expect(osd.body).toContain('OpenSeadragon');
    expect(osd.body).not.toContain('sourceMappingURL');
    const button = await get('/assets/openseadragon-zoomin_rest.png');
    expect(button.statusCode).toBe(200);
    expect(button.headers['content-type']).toBe('image/png');

    // Further in: the strip is centred on the page, with links both ways.
    const mid = (await get(`/digital/${ids.book}?page=15`)).body;
    expect(mid).toContain(`href="/digital/${ids.book}?page=14" rel="prev"`);
    expect(mid).toContain(`href="/digital/${ids.book}?page=16" rel="next"`);
    expect(mid).toContain(`aria-current="page" aria-label="Trang 15" data-thumb="15"`);
    expect(mid.match(/data-thumb="/g)).toHaveLength(24);
    expect(mid).toContain('data-thumb="3"');
    expect(mid).toContain('data-thumb="26"');
    expect(mid).toContain('Các trang trước');
    const last = (await get(`/digital/${ids.book}?page=30`)).body;
    expect(last).toMatch(/<a class="button secondary reader-next" aria-disabled="true" data-next>/);

    // In English too.
    const en = (await get(`/digital/${ids.book}?page=2`, { 'accept-language': 'en' })).body;
    expect(en).toContain('Page 2 of 30');
    expect(en).toContain('Previous page');
    expect(en).toContain('Licence and rights');
  });

  it('shows a page’s text reflowed for a small screen, keeping its paragraphs', async () => {
    const res = await get(`/digital/${ids.book}?page=3&view=text`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<article class="page-text" aria-label="Văn bản trang 3" lang="vi">');
    expect(res.body).toContain('<p>Trăm năm trong cõi người ta, chữ tài chữ mệnh khéo là ghét nhau.</p><p>Trải qua một cuộc bể dâu, những điều trông thấy mà đau đớn lòng.</p>');
    expect(res.body).toContain('Văn bản do máy nhận dạng (OCR)');
    // The view is kept when turning pages, and the image is a link away.
    expect(res.body).toContain(`href="/digital/${ids.book}?page=4&amp;view=text" rel="next"`);
    expect(res.body).toContain(`href="/digital/${ids.book}?page=3" data-view-link="image"`);
    expect(res.body).not.toContain('class="page-image"');
    const empty = (await get(`/digital/${ids.book}?page=2&view=text`)).body;
    expect(empty).toContain('<p>Trang sách số hoá</p>');
  });

  it('searches inside the document: pages with hits, snippets with the word marked, and the hits on the page', async () => {
    const res = await get(`/digital/${ids.book}?q=chu+tai`);
    expect(res.statusCode).toBe(200);
    const html = res.body;
    // Opened at the first page with a hit.
    expect(html).toContain('data-seq="3"');
    expect(html).toContain(`/iiif/3/${ids.book}-3/full/!600,900/0/default.jpg`);
    expect(html).toMatch(/Tìm thấy 6 chỗ trên 2 trang\./);
    expect(html).toContain(`<a href="/digital/${ids.book}?page=3&amp;q=chu+tai"><span class="page-no">Trang 3</span>`);
    expect(html).toContain(`<a href="/digital/${ids.book}?page=7&amp;q=chu+tai"><span class="page-no">Trang 7</span>`);
    expect(html).toContain('<mark>chữ</mark>');
    expect(html).toContain('<mark>tài</mark>');
    expect(html).toContain('<mark>Chữ</mark>');
    // Without JavaScript the hits are drawn over the image (an SVG in the page's pixels).
    expect(html).toContain('<svg class="page-hits-layer" viewBox="0 0 400 560"');
    expect(html).toMatch(/<rect class="page-hit" x="\d+" y="\d+" width="\d+" height="\d+"/);
    // The text view marks them too, and a new search keeps the view.
    const text = (await get(`/digital/${ids.book}?page=7&view=text&q=chu+tai`)).body;
    expect(text).toContain('<mark>Chữ</mark> tâm kia mới bằng ba <mark>chữ</mark> <mark>tài</mark>.');
    expect(text).toContain('<input type="hidden" name="view" value="text"/>');
    // Nothing found is said plainly.
    const none = (await get(`/digital/${ids.book}?q=xyzzy`)).body;
    expect(none).toContain('Không tìm thấy “xyzzy” trong tài liệu này.');
    expect(none).toContain('data-seq="1"');
  });

  it('downloads a master file whole or in ranges, with its Vietnamese name', async () => {
    const f = bookFiles[0]!;
    const bytes = await readFile(e.c.services.digital.blobPath(f.sha256));
    const res = await get(`/digital/${ids.book}/files/${f.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.headers['content-length']).toBe(String(bytes.length));
    expect(res.headers['accept-ranges']).toBe('bytes');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="Dia chi Kien Giang _ban 1_.png"; filename*=UTF-8''${encodeURIComponent('Địa chí Kiên Giang “bản 1”.png')}`);
    expect(res.rawPayload.equals(bytes)).toBe(true);

    const part = await get(`/digital/${ids.book}/files/${f.id}`, { range: 'bytes=10-99', 'accept-encoding': 'gzip, br' });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-encoding']).toBeUndefined();
    expect(part.headers['content-range']).toBe(`bytes 10-99/${bytes.length}`);
    expect(part.headers['content-length']).toBe('90');
    expect(part.rawPayload.equals(bytes.subarray(10, 100))).toBe(true);
    const tail = await get(`/digital/${ids.book}/files/${f.id}`, { range: 'bytes=-16' });
    expect(tail.statusCode).toBe(206);
    expect(tail.rawPayload.equals(bytes.subarray(bytes.length - 16))).toBe(true);
    const open = await get(`/digital/${ids.book}/files/${f.id}`, { range: `bytes=${bytes.length - 5}-` });
    expect(open.rawPayload.equals(bytes.subarray(bytes.length - 5))).toBe(true);
    const beyond = await get(`/digital/${ids.book}/files/${f.id}`, { range: `bytes=${bytes.length}-` });
    expect(beyond.statusCode).toBe(416);
    expect(beyond.headers['content-range']).toBe(`bytes */${bytes.length}`);
    // A stale If-Range gets the whole file.
    const stale = await get(`/digital/${ids.book}/files/${f.id}`, { range: 'bytes=0-9', 'if-range': '"other"' });
    expect(stale.statusCode).toBe(200);
    expect(stale.rawPayload.length).toBe(bytes.length);
  });

  it('refuses downloads the document does not allow, and files of other documents', async () => {
    const denied = await get(`/digital/${ids.plain}/files/${plainFile}`);
    expect(denied.statusCode).toBe(403);
    expect(denied.body).toContain('Tài liệu này chỉ được xem trực tuyến, không được tải về.');
    // The reader offers no download there.
    const page = (await get(`/digital/${ids.plain}`)).body;
    expect(page).not.toContain('/files/');
    // A file of another document is not found.
    expect((await get(`/digital/${ids.book}/files/${plainFile}`)).statusCode).toBe(404);
    expect((await get(`/digital/${ids.plain}/files/${bookFiles[0]!.id}`)).statusCode).toBe(404);
    expect((await get(`/digital/${ids.book}/files/999999`)).statusCode).toBe(404);
    expect((await get(`/digital/${ids.book}/files/abc`)).statusCode).toBe(404);
  });

  it('tells a reader who may not open a document why, without any image address', async () => {
    const login = await get(`/digital/${ids.registered}?page=1`);
    expect(login.statusCode).toBe(401);
    expect(login.body).toContain('Tài liệu này dành cho bạn đọc đã đăng ký. Hãy <a href="/account/login?next=%2Fdigital%2F');
    expect(login.body).toContain('Luận văn cần đăng nhập');
    expect(login.body).not.toContain('/iiif/3/');
    const onsite = await get(`/digital/${ids.onsite}`);
    expect(onsite.statusCode).toBe(403);
    expect(onsite.body).toContain(`Tài liệu này chỉ đọc được tại phòng đọc của <a href="/l/${e.t.prov.slug}">Thư viện PROV</a>.`);
    expect(onsite.body).not.toContain('/iiif/3/');
    const embargo = await get(`/digital/${ids.embargo}`, { 'accept-language': 'en' });
    expect(embargo.statusCode).toBe(403);
    expect(embargo.body).toContain('under embargo until the end of 01/01/2027');
    expect(embargo.body).not.toContain('/iiif/3/');
    const staffOnly = await get(`/digital/${ids.staffOnly}`);
    expect(staffOnly.statusCode).toBe(403);
    expect(staffOnly.body).toContain('Tài liệu này chỉ dành cho cán bộ thư viện.');
    expect(staffOnly.body).not.toContain('Hồ sơ nội bộ');
    expect(staffOnly.body).not.toContain('/iiif/3/');
    // Their files stay closed as well.
    const file = (await e.c.services.digital.files(ids.registered))[0]!;
    expect((await get(`/digital/${ids.registered}/files/${file.id}`)).statusCode).toBe(401);
    // Signed in, the same page opens.
    const { jar } = await login_(app);
    const signedIn = await get(`/digital/${ids.registered}`, { cookie: jar });
    expect(signedIn.statusCode).toBe(200);
    expect(signedIn.body).toContain(`/iiif/3/${ids.registered}-1/full/`);
  });

  it('keeps unpublished and unknown documents out of sight', async () => {
    for (const url of [`/digital/${ids.draft}`, `/digital/${ids.draft}/files/${bookFiles[0]!.id}`, '/digital/999999', '/digital/0', '/digital/abc', '/digital/1e3', '/digital/collections/nope', '/digital/collections/%3Cx%3E']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body, url).not.toContain('Bản nháp chưa công bố');
    }
  });

  it('is lenient with hostile parameters and escapes what it echoes', async () => {
    const long = 'x'.repeat(10_000);
    const cases = [
      'page=99999999999999999999',
      'page=1e9',
      'page=-1',
      'page=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      'page=2&page=3',
      'page[]=1',
      'view=%3Cscript%3E',
      'q=%3Cscript%3Ealert(1)%3C%2Fscript%3E',
      `q=${long}`,
      'q=%00%01%02',
      'q=((((%22',
      'q[a]=1',
      'q=chu&q=tai',
    ];
    for (const qs of cases) {
      const res = await get(`/digital/${ids.book}?${qs}`);
      expect(res.statusCode, qs).toBe(200);
      expect(res.body, qs).not.toContain('<script>alert');
      expect(res.body.length, qs).toBeLessThan(200_000);
    }
    const huge = (await get(`/digital/${ids.book}?page=99999999`)).body;
    expect(huge).toContain('data-seq="30"');
    const script = (await get(`/digital/${ids.book}?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E`)).body;
    expect(script).toContain('&lt;script>alert(1)&lt;/script>');
    const longQ = (await get(`/digital/${ids.book}?q=${long}`)).body;
    expect(longQ).toContain(`name="q" value="${'x'.repeat(200)}" maxlength="200"`);
    for (const qs of ['before=abc', 'before=99999999999999999999', 'library=%3Cscript%3E', 'collection=../../etc', 'category=%3Cb%3E', 'library=NOWHERE']) {
      const res = await get(`/digital?${qs}`);
      expect(res.statusCode, qs).toBe(200);
      expect(res.body, qs).not.toContain('<script>');
    }
    const range = await get(`/digital/${ids.book}/files/${bookFiles[0]!.id}`, { range: 'bytes=99999999999999999999999-' });
    expect([200, 416]).toContain(range.statusCode);
    expect((await get(`/digital/${ids.book}/files/${bookFiles[0]!.id}`, { range: 'bytes=5-2' })).statusCode).toBe(200);
    expect((await get(`/digital/${ids.book}/files/${bookFiles[0]!.id}`, { range: 'bytes=0-1,5-6' })).statusCode).toBe(200);
  });

  it('lists the digital library newest first, with filters and collections', async () => {
    const res = await get('/digital');
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('<h1>Thư viện số</h1>');
    // Documents others may find are listed (restricted ones without a thumbnail); staff-only, embargoed and drafts are not.
    for (const id of [ids.book, ids.plain, ids.registered, ids.onsite]) expect(html).toContain(`href="/digital/${id}"`);
    for (const id of [ids.embargo, ids.staffOnly, ids.draft]) expect(html).not.toContain(`href="/digital/${id}"`);
    expect(html.indexOf(`href="/digital/${ids.onsite}"`)).toBeLessThan(html.indexOf(`href="/digital/${ids.book}"`));
    expect(html).toContain(`src="/iiif/3/${ids.book}-1/full/!200,200/0/default.jpg" loading="lazy"`);
    expect(html).not.toContain(`/iiif/3/${ids.registered}-1/`);
    expect(html).toContain('Cần đăng nhập');
    expect(html).toContain(`<a href="/digital/collections/${collectionCode}">`);
    expect(html).toContain('Truyện Nôm');
    expect(html).toMatch(/<option value="PROV" ?>Thư viện PROV<\/option>/);

    const byCategory = (await get('/digital?category=thesis')).body;
    expect(byCategory).toContain(`href="/digital/${ids.registered}"`);
    expect(byCategory).not.toContain(`href="/digital/${ids.book}"`);
    expect(byCategory).toContain('<option value="thesis" selected>');
    const byCollection = (await get(`/digital?collection=${collectionCode}`)).body;
    expect(byCollection).toContain(`href="/digital/${ids.book}"`);
    expect(byCollection).not.toContain(`href="/digital/${ids.plain}"`);
    const byLibrary = (await get(`/digital?library=${e.t.distA.code}`)).body;
    expect(byLibrary).toContain('Chưa có tài liệu nào ở đây.');
    const byRoot = (await get(`/digital?library=${e.t.root.code}`)).body;
    expect(byRoot).toContain(`href="/digital/${ids.book}"`);

    const coll = await get(`/digital/collections/${collectionCode}`);
    expect(coll.statusCode).toBe(200);
    expect(coll.body).toContain('<h1 class="dl-heading">Truyện Nôm</h1>');
    expect(coll.body).toContain('Truyện thơ Nôm đã số hoá.');
    expect(coll.body).toContain(`href="/digital/${ids.book}"`);
    expect(coll.body).not.toContain(`href="/digital/${ids.plain}"`);
    expect(coll.body).toContain(`href="/iiif/3/collection/${collectionCode}"`);
    const collEn = (await get(`/digital/collections/${collectionCode}`, { 'accept-language': 'en' })).body;
    expect(collEn).toContain('Nôm tales');
  });
});

/** A staff session's cookie header. */
async function login_(app: App): Promise<{ jar: string }> {
  const { jar } = await login(app, 'netadmin', PASSWORD);
  return { jar: jar.header };
}

it('fits IIIF sizes, compacts page numbers, reflows text, parses ranges and names downloads', () => {
  expect(fitBox(1200, 1800, 600, 900)).toEqual({ width: 600, height: 900 });
  expect(fitBox(1200, 1800, 1000, 1400)).toEqual({ width: 933, height: 1400 });
  expect(fitBox(400, 560, 1600, 2200)).toEqual({ width: 400, height: 560 });
  expect(seqRanges([1, 2, 3, 5, 7, 8])).toBe('1-3,5,7-8');
  expect(seqRanges([])).toBe('');
  expect(paragraphs('một hai\nba bốn\n\n  năm sáu  \n\n\nbảy exam-\nple')).toEqual(['một hai ba bốn', 'năm sáu', 'bảy example']);
  expect(parseRange('bytes=0-9', 100)).toEqual({ start: 0, end: 9 });
  expect(parseRange('bytes=90-200', 100)).toEqual({ start: 90, end: 99 });
  expect(parseRange('bytes=-10', 100)).toEqual({ start: 90, end: 99 });
  expect(parseRange('bytes=100-', 100)).toBe('unsatisfiable');
  expect(parseRange('bytes=-0', 100)).toBe('unsatisfiable');
  expect(parseRange('bytes=5-2', 100)).toBeUndefined();
  expect(parseRange('bytes=0-1,4-5', 100)).toBeUndefined();
  expect(parseRange('items=0-1', 100)).toBeUndefined();
  expect(contentDisposition('Đường "xưa"\r\n.pdf')).toBe(`attachment; filename="Duong _xua_.pdf"; filename*=UTF-8''${encodeURIComponent('Đường "xưa".pdf')}`);
  expect(contentDisposition("it's (1).pdf")).toBe(`attachment; filename="it's (1).pdf"; filename*=UTF-8''it%27s%20%281%29.pdf`);
});
