/**
 * Library websites in a real browser (Debian's Chromium, driven by playwright-core) against a real
 * server with the demo network, its catalogue, digital library and websites: a library's own
 * librarian signs in, chooses a colour (the contrast check speaks up for a pale one), uploads a
 * logo, writes a news post with a picture, previews it, publishes the post and the website; an
 * anonymous reader then finds it all on the library's page. Every page type is checked with axe
 * (WCAG 2.1 AA) and photographed at 390 and 1280 px (`site-*` under test-output/screenshots).
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, expectAccessible, launchBrowser, shoot, signIn } from './harness.js';
import { buildApp, type App } from '../../src/http/app.js';
import { firstStart } from '../../src/app/setup.service.js';
import { systemActor } from '../../src/app/actor.js';
import { writeTextPage } from '../../src/adapters/image/text-page.js';
import { svgToPng } from '../../src/adapters/image/site-images.js';
import { TestClock, testEnv, type TestEnv } from '../factories.js';
import { processQueued, scriptedOcr } from '../digital.js';

const PASSWORD = 'thu vien kien luong 2026';

describe.skipIf(!chromiumPath)('library websites in a real browser', () => {
  let env: TestEnv;
  let app: App;
  let browser: Browser;
  let base: string;
  let dir: string;
  let slug: string;
  let tvkgNews: string;

  beforeAll(async () => {
    env = await testEnv('sqlite', { clock: new TestClock('2026-03-15T03:00:00.000Z'), container: { ocr: async () => scriptedOcr('Địa chí Kiên Giang\nVùng đất phương Nam') } });
    const c = env.container;
    await firstStart(
      { store: c.store, org: c.services.org, staff: c.services.staff, catalog: c.services.catalog, digital: { service: c.services.digital, writePage: writeTextPage }, sites: { service: c.services.sites, drawImage: svgToPng } },
      { demo: true },
    );
    await processQueued(c);
    // The Kiên Lương library's own librarian; its website is not published yet.
    const sys = systemActor('test');
    const kl = await c.services.org.getByCode('KL-TT');
    slug = kl.slug;
    const { user } = await c.services.staff.create(sys, { username: 'thuvien.kl', displayName: 'Trần Thị Lan', homeUnitId: kl.id, password: PASSWORD });
    await c.services.staff.grant(sys, { userId: user.id, roleCode: 'librarian', unitId: kl.id, scope: 'unit' });
    const tvkg = await c.services.org.getByCode('TVKG');
    const [first] = await c.services.sites.latestPosts({ limit: 1, unitIds: [tvkg.id] });
    tvkgNews = `/l/${tvkg.slug}/news/${first!.id}`;

    dir = await mkdtemp(join(tmpdir(), 'lt-site-browser-'));
    const logo = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="300"><rect width="300" height="300" rx="60" fill="#5a189a"/><circle cx="150" cy="150" r="80" fill="#fff"/><path d="M110 120 L150 200 L190 120 Z" fill="#5a189a"/></svg>`;
    await sharp(Buffer.from(logo)).png().toFile(join(dir, 'logo-kien-luong.png'));
    const photo = `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="700"><rect width="1200" height="700" fill="#ffe5ec"/><rect x="100" y="120" width="1000" height="40" fill="#5a189a"/><rect x="160" y="200" width="120" height="380" fill="#ff8fab"/><rect x="300" y="240" width="90" height="340" fill="#fb6f92"/><rect x="410" y="180" width="140" height="400" fill="#c77dff"/><circle cx="850" cy="420" r="150" fill="#9d4edd"/></svg>`;
    await sharp(Buffer.from(photo)).jpeg().toFile(join(dir, 'gian-sach.jpg'));
    await writeFile(join(dir, 'khong-phai-anh.png'), 'Đây chỉ là chữ, không phải ảnh.');

    app = await buildApp({ services: c.services, store: c.store, clock: env.clock, sessionSecret: 'browser-test-secret-0123456789abcdefghij', baseUrl: 'http://127.0.0.1' });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await env?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Nothing may stick out sideways on a phone. */
  async function expectNoSidewaysScroll(page: Page, label: string): Promise<void> {
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `${label} scrolls sideways on a phone`).toBeLessThanOrEqual(0);
  }

  async function look(page: Page, path: string, name: string): Promise<void> {
    const res = await page.goto(`${base}${path}`);
    expect(res?.status(), path).toBe(200);
    await page.waitForLoadState('load');
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await expectAccessible(page, `${name} at ${width} px`);
    }
    await expectNoSidewaysScroll(page, name);
    await shoot(page, `site-${name}`);
  }

  it('shows the portal, the libraries, a library website and its news to readers', async () => {
    const context = await browser.newContext({ locale: 'vi-VN', serviceWorkers: 'block' });
    const page = await context.newPage();
    await look(page, '/', 'portal');
    await expect(page.getByRole('heading', { name: 'Tin tức từ các thư viện' })).toBeTruthy();
    expect(await page.getByText('Khai trương không gian đọc thiếu nhi mới').count()).toBeGreaterThan(0);
    expect(await page.getByText('Ngày hội Sách và Văn hóa đọc').count()).toBeGreaterThan(0);
    await look(page, '/libraries', 'libraries');
    expect(await page.locator('.badge-site').count()).toBe(3);
    await look(page, '/l/thu-vien-tinh', 'library');
    expect(await page.locator('.library-logo img').count()).toBe(1);
    // The header takes the library's colour from its own stylesheet.
    expect(await page.evaluate(() => getComputedStyle(document.querySelector('.site-header')!).backgroundColor)).toBe('rgb(11, 93, 122)');
    await look(page, tvkgNews, 'news-post');
    await look(page, `/l/thu-vien-tinh/news`, 'news-list');
    await look(page, `/l/${slug}`, 'library-unpublished');
    // The search box looks in this library first; one click widens it.
    await page.goto(`${base}/l/thu-vien-tinh`);
    await page.getByLabel(/Tìm tài liệu ở/).fill('kiên giang');
    await page.getByRole('button', { name: 'Tìm trong thư viện này' }).click();
    await page.waitForURL(/\/search\?/);
    expect(new URL(page.url()).searchParams.get('library')).toBe('TVKG');
    await page.goto(`${base}/l/thu-vien-tinh`);
    await page.getByLabel(/Tìm tài liệu ở/).fill('kiên giang');
    await page.getByRole('button', { name: 'Tìm trong cả mạng lưới' }).click();
    await page.waitForURL(/\/search\?/);
    expect(new URL(page.url()).searchParams.get('library')).toBeNull();
    await context.close();
  }, 240_000);

  it('lets a library’s staff brand the website, write a post with a picture and publish; a reader sees it', async () => {
    const staff = await browser.newContext({ locale: 'vi-VN', serviceWorkers: 'block' });
    const page = await staff.newPage();
    await signIn(page, base, 'thuvien.kl', PASSWORD, '/staff/sites');
    await expectAccessible(page, 'staff site list');
    await shoot(page, 'site-staff-list');
    await page.getByRole('link', { name: /Thư viện xã Kiên Lương/ }).click();
    await page.getByRole('link', { name: 'Giao diện và giới thiệu' }).click();

    // A pale colour: the live check warns, the server refuses with a suggestion.
    await page.getByLabel('Màu của thanh đầu trang và nút bấm').fill('#ffd6e0');
    await expect.poll(() => page.locator('[data-contrast]').textContent()).toContain('chưa đạt chuẩn AA');
    expect(await page.getByLabel(/Dùng màu chung của mạng lưới/).isChecked()).toBe(false);
    await page.getByLabel('Giới thiệu (tiếng Việt)').fill('Thư viện xã Kiên Lương: sách, báo và **giờ đọc truyện** mỗi sáng thứ Bảy.');
    await page.getByRole('button', { name: 'Lưu', exact: true }).click();
    expect(await page.getByText(/Màu #ffd6e0 quá nhạt/).count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: /Dùng màu gợi ý/ }).click();
    expect(await page.locator('[data-contrast]').textContent()).toContain('đạt chuẩn AA');
    await page.getByLabel('Màu của thanh đầu trang và nút bấm').fill('#5a189a');
    await page.getByLabel('Chọn biểu trưng mới').setInputFiles(join(dir, 'logo-kien-luong.png'));
    await expectAccessible(page, 'branding editor');
    await shoot(page, 'site-staff-branding');
    await page.getByRole('button', { name: 'Lưu', exact: true }).click();
    await page.waitForURL(/\/staff\/sites\/\d+\?ok=/);
    expect(await page.getByText('Đã lưu giao diện trang web.').count()).toBe(1);

    // A news post with a picture; a fake picture is refused with a clear message first.
    await page.getByRole('link', { name: 'Viết bài mới' }).click();
    await page.getByLabel(/^Tiêu đề/).fill('Giờ đọc truyện sáng thứ Bảy');
    await page.getByLabel('Nội dung').fill('Mỗi **sáng thứ Bảy**, thư viện đọc truyện cho các bé.\n\n- 8:00: truyện cổ tích\n- 9:00: vẽ tranh theo truyện');
    await page.getByLabel('Chọn ảnh').setInputFiles(join(dir, 'khong-phai-anh.png'));
    await page.getByRole('button', { name: 'Tải ảnh lên và thêm vào bài' }).click();
    expect(await page.getByText('Tệp “khong-phai-anh.png” không phải ảnh JPEG, PNG hay WebP').count()).toBeGreaterThan(0);
    expect(await page.getByLabel('Nội dung').inputValue()).toContain('Mỗi **sáng thứ Bảy**');
    await page.getByLabel('Mô tả ảnh').fill('Giá sách thiếu nhi của thư viện');
    await page.getByLabel('Chọn ảnh').setInputFiles(join(dir, 'gian-sach.jpg'));
    await page.getByRole('button', { name: 'Tải ảnh lên và thêm vào bài' }).click();
    expect(await page.getByLabel('Nội dung').inputValue()).toMatch(/!\[Giá sách thiếu nhi của thư viện\]\(image:\d+\)/);
    await page.getByRole('button', { name: 'Xem trước' }).click();
    expect(await page.locator('.preview-card strong').first().textContent()).toBe('sáng thứ Bảy');
    expect(await page.locator('.preview-card img[alt="Giá sách thiếu nhi của thư viện"]').count()).toBe(1);
    await expectAccessible(page, 'post editor with preview');
    await shoot(page, 'site-staff-editor');
    await page.getByRole('button', { name: 'Đăng bài' }).click();
    await page.waitForURL(/\/posts\/\d+\?ok=/);
    expect(await page.getByText('Đã đăng bài.').count()).toBe(1);

    // Publish the website.
    await page.getByRole('link', { name: 'Thư viện xã Kiên Lương' }).click();
    await page.getByRole('button', { name: 'Xuất bản trang web' }).click();
    expect(await page.getByText('Đã xuất bản trang web.').count()).toBe(1);
    await shoot(page, 'site-staff-dashboard');
    await staff.close();

    // An anonymous reader.
    const reader = await browser.newContext({ locale: 'vi-VN', serviceWorkers: 'block' });
    const rp = await reader.newPage();
    await rp.goto(`${base}/l/${slug}`);
    expect(await rp.getByRole('heading', { level: 1 }).textContent()).toBe('Thư viện xã Kiên Lương');
    expect(await rp.getByText('giờ đọc truyện').count()).toBeGreaterThan(0);
    expect(await rp.locator('.library-logo img').count()).toBe(1);
    expect(await rp.evaluate(() => getComputedStyle(document.querySelector('.site-header')!).backgroundColor)).toBe('rgb(90, 24, 154)');
    await rp.getByRole('link', { name: 'Giờ đọc truyện sáng thứ Bảy' }).click();
    expect(await rp.locator('.post-body img[alt="Giá sách thiếu nhi của thư viện"]').count()).toBe(1);
    expect(await rp.locator('.post-body li').count()).toBe(2);
    await expectAccessible(rp, 'the new post');
    await shoot(rp, 'site-new-post');
    await rp.goto(`${base}/l/${slug}`);
    await shoot(rp, 'site-library-new');
    await reader.close();
  }, 240_000);
});
