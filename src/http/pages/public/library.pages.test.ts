import { afterAll, beforeAll, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import sharp from 'sharp';
import { describeEachDialect } from '../../../../test/dialects.js';
import { httpEnv, type HttpEnv } from '../../../../test/http.js';
import { actorFor } from '../../../../test/factories.js';
import type { Actor } from '../../../app/actor.js';
import type { SiteImage, SitePost } from '../../../app/sites/ports.js';

/** Public pages of the library websites and the portal, on a real server and database. */
describeEachDialect('public pages: portal and library websites', (dialect) => {
  let env: HttpEnv;
  let lib: Actor;
  let banner: SiteImage;
  let news: SitePost;
  let draft: SitePost;
  let hostile: SitePost;
  const A1 = 'thu-vien-comm-a1';

  const inject = (url: string, headers: Record<string, string> = {}) => env.app.inject({ url, headers });

  beforeAll(async () => {
    env = await httpEnv(dialect);
    const sites = env.container.services.sites;
    lib = await actorFor(env.container, env.tree.users.commlib);
    const png = await sharp({ create: { width: 1400, height: 600, channels: 3, background: '#2a6f97' } }).png().toBuffer();
    banner = await sites.uploadImage(lib, env.tree.communeA1.id, await sites.receive(Readable.from([png]), 'mat-tien.png'));
    await sites.updateSettings(lib, env.tree.communeA1.id, { accentColor: '#7a1f5c', introVi: 'Thư viện xã **A1**: sách cho mọi nhà.', introEn: 'Books for every home.', bannerImageId: banner.id, version: 0 });
    news = await sites.createPost(lib, env.tree.communeA1.id, { kind: 'news', title: 'Khai trương góc đọc thiếu nhi', body: `Thư viện mở **góc đọc** mới.\n\n![Các em đọc sách](image:${banner.id})\n\n- Sáng thứ Bảy\n- Chiều Chủ nhật`, leadImageId: String(banner.id) }, { publish: true });
    draft = await sites.createPost(lib, env.tree.communeA1.id, { kind: 'news', title: 'Bản nháp bí mật', body: 'Chưa đăng' });
    hostile = await sites.createPost(lib, env.tree.communeA1.id, { kind: 'news', title: '<img src=x onerror=alert(1)>', body: '<script>alert("x")</script>\n\n**<b>đậm</b>**' }, { publish: true });
    await sites.createPost(lib, env.tree.communeA1.id, { kind: 'event', title: 'Ngày hội đọc sách', body: 'Mời cả nhà.', startsAt: '2026-04-21T07:30', endsAt: '2026-04-21T11:00', place: 'Sân nhà văn hoá xã' }, { publish: true });
    await sites.setPublished(lib, env.tree.communeA1.id, true);
  });
  afterAll(async () => {
    await env?.dispose();
  });

  it('shows the portal: search box, news and events of published sites, libraries with a map link', async () => {
    const res = await inject('/');
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('<form method="get" action="/search" class="portal-search" role="search">');
    expect(html).toContain('Tin tức từ các thư viện');
    expect(html).toContain('Khai trương góc đọc thiếu nhi');
    expect(html).toContain(`href="/l/${A1}/news/${news.id}"`);
    expect(html).not.toContain('Bản nháp bí mật');
    expect(html).toContain('Sự kiện sắp diễn ra');
    expect(html).toContain('Ngày hội đọc sách');
    expect(html).toContain('Sân nhà văn hoá xã');
    expect(html).toContain('href="/libraries"');
    expect(html).toContain('1 thư viện đã có trang web riêng');
    // The header's link to the libraries goes to their page.
    expect(html).toContain('<a href="/libraries">Các thư viện</a>');
    expect(html).not.toContain('style=');
    expect(html).not.toContain('<img src=x');
    const en = await inject('/', { 'accept-language': 'en' });
    expect(en.body).toContain('News from the libraries');
    expect(en.body).toContain('Coming events');
  });

  it('sends old "as of" links on to /libraries and refuses a bad date', async () => {
    const old = await inject('/?asOf=2015-06-01');
    expect(old.statusCode).toBe(301);
    expect(old.headers.location).toBe('/libraries?asOf=2015-06-01');
    expect((await inject('/?asOf=2025-13-45')).statusCode).toBe(400);
    expect((await inject('/libraries?asOf=nope')).statusCode).toBe(400);
  });

  it('lists the libraries as a tree, marking and counting those with a published website', async () => {
    const res = await inject('/libraries');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Cây mạng lưới');
    expect(res.body).toContain('Có trang web');
    expect(res.body).toMatch(/1 trong số 6 thư viện và phòng đọc đã xuất bản trang web riêng/);
    expect(res.body).toContain(`<a href="/l/${A1}">Thư viện COMM-A1</a> <span class="muted small">từ`);
    const historic = await inject('/libraries?asOf=2015-06-01');
    expect(historic.statusCode).toBe(200);
    expect(historic.body).toContain('Mạng lưới như ngày 01/06/2015');
  });

  it('shows a published library’s home page: branding, intro, news, events, search scoped to it', async () => {
    const res = await inject(`/l/${A1}`);
    expect(res.statusCode).toBe(200);
    const html = res.body;
    const version = (await env.container.services.sites.view(env.tree.communeA1)).version;
    expect(html).toContain(`<link rel="stylesheet" href="/l/${A1}/site.css?v=${version}-7a1f5c"/>`);
    expect(html).toContain(`/site-media/${banner.sha256}-1200.webp`);
    expect(html).toContain('Thư viện xã <strong>A1</strong>: sách cho mọi nhà.');
    expect(html).toContain('Khai trương góc đọc thiếu nhi');
    expect(html).not.toContain('Bản nháp bí mật');
    expect(html).toContain('Ngày hội đọc sách');
    expect(html).toContain('<button type="submit" name="library" value="COMM-A1">Tìm trong thư viện này</button>');
    expect(html).toContain('Tìm trong cả mạng lưới');
    expect(html).toContain('Lịch sử');
    expect(html).not.toContain('style=');
    // The hostile title is text.
    expect(html).toContain('&lt;img src=x onerror=alert(1)>');
    expect(html).not.toContain('<img src=x');
  });

  it('shows an unpublished library the basic facts only', async () => {
    const res = await inject('/l/thu-vien-comm-a2');
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Thông tin thư viện');
    expect(res.body).toContain('Tìm trong thư viện này');
    expect(res.body).not.toContain('/site.css');
    expect(res.body).not.toContain('Tin tức</h2>');
    expect((await inject('/l/thu-vien-comm-a2/news')).statusCode).toBe(404);
  });

  it('shows a published post with its image and body, and never a draft', async () => {
    const res = await inject(`/l/${A1}/news/${news.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Khai trương góc đọc thiếu nhi</h1>');
    expect(res.body).toContain('Thư viện mở <strong>góc đọc</strong> mới.');
    expect(res.body).toContain('<li>Sáng thứ Bảy</li>');
    expect(res.body).toContain('alt="Các em đọc sách"');
    expect(res.body).toContain(`<meta property="og:image" content="http://localhost/site-media/${banner.sha256}-1200.jpg"/>`);
    expect(res.body).toContain(`<link rel="canonical" href="http://localhost/l/${A1}/news/${news.id}"/>`);
    expect((await inject(`/l/${A1}/news/${draft.id}`)).statusCode).toBe(404);
    expect((await inject(`/l/thu-vien-comm-a2/news/${news.id}`)).statusCode).toBe(404);
    expect((await inject(`/l/${A1}/news/abc`)).statusCode).toBe(404);
    const bad = await inject(`/l/${A1}/news/${hostile.id}`);
    expect(bad.body).toContain('&lt;script>alert(&quot;x&quot;)&lt;/script>');
    expect(bad.body).toContain('<strong>&lt;b>đậm&lt;/b></strong>');
    expect(bad.body).not.toContain('<script>alert');
  });

  it('lists the news with kind tabs', async () => {
    const all = await inject(`/l/${A1}/news`);
    expect(all.statusCode).toBe(200);
    expect(all.body).toContain('Khai trương góc đọc thiếu nhi');
    expect(all.body).toContain('Ngày hội đọc sách');
    const events = await inject(`/l/${A1}/news?kind=event`);
    expect(events.body).toContain('Ngày hội đọc sách');
    expect(events.body).not.toContain('Khai trương góc đọc thiếu nhi');
  });

  it('serves the library’s stylesheet from its validated colour, and the image copies, cached for good', async () => {
    const version = (await env.container.services.sites.view(env.tree.communeA1)).version;
    const css = await inject(`/l/${A1}/site.css?v=${version}-7a1f5c`);
    expect(css.statusCode).toBe(200);
    expect(css.headers['content-type']).toContain('text/css');
    expect(css.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(css.body).toContain('--site-accent:#7a1f5c');
    expect(css.body).toContain('.site-header{background:#7a1f5c}');
    expect((await inject(`/l/${A1}/site.css?v=0-000000`)).headers['cache-control']).toBe('public, max-age=300');

    const img = await inject(`/site-media/${banner.sha256}-400.webp`);
    expect(img.statusCode).toBe(200);
    expect(img.headers['content-type']).toBe('image/webp');
    expect(img.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await sharp(img.rawPayload).metadata()).width).toBe(400);
    const again = await inject(`/site-media/${banner.sha256}-400.webp`, { 'if-none-match': String(img.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect((await inject(`/site-media/${banner.sha256}-1200.jpg`)).headers['content-type']).toBe('image/jpeg');
    for (const bad of [`/site-media/${'0'.repeat(64)}-400.webp`, `/site-media/${banner.sha256}-401.webp`, '/site-media/..%2F..%2Fetc%2Fpasswd', `/site-media/${banner.sha256}-400.svg`]) {
      expect((await inject(bad)).statusCode, bad).toBe(404);
    }
    const palette = await inject('/site-palette.css?c=f2c14e');
    expect(palette.body).toMatch(/^\.site-preview\{--site-accent:#[0-9a-f]{6};/);
    expect((await inject('/site-palette.css?c=red;}body{x')).body).toContain('--site-accent:#0b6e4f');
  });

  it('hides everything again when the website is unpublished', async () => {
    const sites = env.container.services.sites;
    await sites.setPublished(lib, env.tree.communeA1.id, false);
    try {
      expect((await inject(`/l/${A1}/news/${news.id}`)).statusCode).toBe(404);
      expect((await inject('/')).body).not.toContain('Khai trương góc đọc thiếu nhi');
      expect((await inject(`/l/${A1}`)).body).not.toContain('Khai trương góc đọc thiếu nhi');
    } finally {
      await sites.setPublished(lib, env.tree.communeA1.id, true);
    }
  });
});
