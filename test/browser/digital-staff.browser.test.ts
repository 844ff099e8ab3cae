/**
 * The digital library's staff pages in a real browser (Debian's Chromium, driven by
 * playwright-core) against a real server with its job runner: an administrator describes a
 * document, uploads two page images with the resumable uploader, sees the pages once processed
 * (image pyramids and OCR), and moves the document through the workflow to published; the same
 * upload works without JavaScript. Screenshots of the queue, the object, the form, the progress,
 * the jobs and the ingest pages at phone (390 px) and desktop (1280 px) width are saved under
 * test-output/screenshots for people to look at.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, launchBrowser, shoot, signIn as signInAs } from './harness.js';
import { buildApp, type App } from '../../src/http/app.js';
import { firstStart } from '../../src/app/setup.service.js';
import { systemActor } from '../../src/app/actor.js';
import { TestClock, testEnv, type TestEnv } from '../factories.js';

/** A page of a book: a few lines of Vietnamese, as a scanner would give it (grey paper, dark ink). */
async function scannedPage(n: number): Promise<Buffer> {
  const lines = ['ĐỊA CHÍ KIÊN GIANG', `Chương ${n}`, 'Vùng đất Kiên Giang nằm ở', 'phía tây nam của Tổ quốc,', 'có bờ biển dài và nhiều đảo.'];
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1400"><rect width="100%" height="100%" fill="#f4efe2"/>${lines
    .map((l, i) => `<text x="90" y="${200 + i * 90}" font-family="DejaVu Serif, serif" font-size="${i === 0 ? 54 : 44}" fill="#1d1a16">${l}</text>`)
    .join('')}<text x="500" y="1330" font-family="DejaVu Serif, serif" font-size="32" fill="#555">${n}</text></svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

describe.skipIf(!chromiumPath)('digital library staff pages in a real browser', () => {
  let env: TestEnv;
  let app: App;
  let browser: Browser;
  let base: string;
  let adminPassword: string;
  let libraryId: number;

  beforeAll(async () => {
    env = await testEnv('sqlite', { clock: new TestClock('2026-11-24T03:00:00.000Z') });
    const c = env.container;
    const accounts = await firstStart({ store: c.store, org: c.services.org, staff: c.services.staff }, { demo: true });
    adminPassword = accounts.find((a) => a.username === 'admin')!.password;
    libraryId = (await c.services.org.getByCode('TVKG')).id;
    // A few documents at several steps, a collection and declared holdings, so the pages look lived in.
    const sys = systemActor('test');
    const col = await c.services.digital.createCollection(sys, { ownerUnitId: libraryId, code: 'dia-chi', nameVi: 'Địa chí Kiên Giang', nameEn: 'Kiên Giang local studies' });
    const seed: Array<[string, string, string]> = [
      ['Gia Định thành thông chí', 'han_nom', 'selected'],
      ['Hương rừng Cà Mau', 'local', 'scanned'],
      ['Lịch sử Đảng bộ huyện Hòn Đất (1930–2015)', 'local', 'metadata'],
      ['Luận văn: Văn hoá Khmer ở Kiên Giang', 'thesis', 'selected'],
    ];
    for (const [title, category, state] of seed) {
      await c.services.digital.create(sys, { ownerUnitId: libraryId, dc: { title: [title], creator: ['Nhiều tác giả'] }, category, state: state as 'selected', collectionIds: category === 'local' ? [col.id] : [] });
    }
    await c.services.digital.setTargets(sys, libraryId, { local: 120, han_nom: 40, thesis: 15 });
    await c.services.digital.setTargets(sys, (await c.services.org.getByCode('HD')).id, { local: 30 });
    app = await buildApp({ services: c.services, store: c.store, clock: env.clock, sessionSecret: 'browser-test-secret-0123456789abcdefghij', baseUrl: 'http://127.0.0.1' });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    // The server's job runner, as `lienthong serve` starts it: it processes uploaded pages.
    c.jobs.start();
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await env?.container.jobs.stop();
    await app?.close();
    await env?.dispose();
  });
  const signIn = (page: Page, next: string) => signInAs(page, base, 'admin', adminPassword, next);

  it('describes a document, uploads its pages in chunks, and publishes it', async () => {
    const page = await browser.newPage({ locale: 'vi-VN' });
    const errors: string[] = [];
    page.on('console', (m) => {
      // Thumbnails of documents without processed pages are not requested; anything else is a bug.
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));

    await signIn(page, '/staff/digital');
    expect(await page.locator('h1').textContent()).toBe('Hàng việc số hoá');
    expect(await page.locator('li.dobj').count()).toBe(4);

    await page.getByRole('link', { name: 'Thêm tài liệu số' }).click();
    await page.waitForURL(`${base}/staff/digital/new`);
    await page.locator('#f-unit').selectOption(String(libraryId));
    await page.locator('#f-dc_title').fill('Địa chí Kiên Giang');
    await page.locator('#f-dc_creator').fill('Ban Tuyên giáo Tỉnh uỷ Kiên Giang\nNguyễn Văn Sơn');
    await page.locator('#f-dc_date').fill('2002');
    await page.locator('#f-dc_language').fill('vie');
    await page.locator('#f-dc_subject').fill('Kiên Giang\nĐịa chí');
    await page.locator('#f-dc_description').fill('Lịch sử, địa lý, kinh tế và văn hoá tỉnh Kiên Giang từ thời khai phá đến nay.');
    await page.locator('#f-category').selectOption('local');
    await page.locator('#f-licence').selectOption('cc-by');
    await page.getByLabel('Địa chí Kiên Giang (dia-chi)').check();
    await shoot(page, 'digital-staff-form');
    await page.getByRole('button', { name: 'Tạo tài liệu' }).click();
    await page.waitForURL(/\/staff\/digital\/\d+\?ok=dstaff\.object\.created$/);
    const objectUrl = page.url().split('?')[0]!;
    expect(await page.locator('h1').textContent()).toBe('Địa chí Kiên Giang');

    // Two pages through the resumable uploader; the page reloads once both are added.
    await page.setInputFiles('#f-files', [
      { name: 'trang-001.png', mimeType: 'image/png', buffer: await scannedPage(1) },
      { name: 'trang-002.png', mimeType: 'image/png', buffer: await scannedPage(2) },
    ]);
    const chunks: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PUT') chunks.push(String(r.headers()['content-range']));
    });
    await page.getByRole('button', { name: 'Tải lên', exact: true }).click();
    await page.waitForURL(/\?ok=dstaff\.upload\.added/, { timeout: 30_000 });
    expect(chunks.length).toBeGreaterThanOrEqual(2);
    expect(chunks.every((c) => /^bytes \d+-\d+\/\d+$/.test(c))).toBe(true);
    expect(await page.locator('table.files-table tbody tr').count()).toBe(2);

    // The page reloads itself when the processing (pyramids and OCR) is done.
    await page.locator('.processing .dproc-done').waitFor({ timeout: 90_000 });
    expect(await page.locator('ol.dpages li').count()).toBe(2);
    await page.locator('ol.dpages img').first().evaluate((img: HTMLImageElement) => (img.complete ? null : new Promise((r) => (img.onload = r))));
    expect(await page.locator('ol.dpages img').first().evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

    // A page and its text.
    await page.locator('ol.dpages a').first().click();
    await page.waitForURL(`${objectUrl}/pages/1`);
    expect(await page.locator('.page-text').textContent()).toMatch(/KIÊN GIANG/i);
    await shoot(page, 'digital-staff-page');

    // Through the workflow to published.
    await page.goto(objectUrl);
    for (const step of ['Kiểm tra chất lượng →', 'Biên mục →', 'Đã công bố →']) {
      await page.getByRole('button', { name: step }).click();
      await page.waitForURL(/\?ok=dstaff\.object\.moved$/);
    }
    expect(await page.locator('.object-meta .dstate-published').count()).toBe(1);
    await shoot(page, 'digital-staff-object');

    await page.goto(`${base}/staff/digital`);
    expect(await page.locator('li.dobj').count()).toBe(5);
    await shoot(page, 'digital-staff-queue');

    // Bulk: move two documents on, one of which may not go there.
    await page.getByLabel('Chọn “Gia Định thành thông chí”').check();
    await page.getByLabel('Chọn “Lịch sử Đảng bộ huyện Hòn Đất (1930–2015)”').check();
    await page.locator('#b-to').selectOption('scanned');
    await page.getByRole('button', { name: 'Chuyển bước' }).click();
    await page.locator('.bulk-results').waitFor();
    expect(await page.locator('.bulk-results h2').textContent()).toBe('Chuyển bước: 1 thành công, 1 bị từ chối');
    await shoot(page, 'digital-staff-bulk');

    await page.goto(`${base}/staff/digital/progress`);
    expect(await page.locator('h1').textContent()).toBe('Tiến độ số hoá');
    await shoot(page, 'digital-staff-progress');

    // A failed job too, as the jobs page shows it (its error in words, a retry button).
    const c = env.container;
    const failed = await c.store.jobs.insert({ kind: 'digital.process', unitId: libraryId, createdBy: null, actorLabel: 'admin', params: { objectId: 1 }, dedupeKey: null, progressTotal: 12, maxAttempts: 3 }, env.clock.now().toISOString());
    await c.store.jobs.finish(failed.id, null, 'failed', { error: JSON.stringify({ code: 'MEDIA_CORRUPT', params: { name: 'gia-dinh-012.tif' } }) }, env.clock.now().toISOString());
    await page.goto(`${base}/staff/jobs`);
    expect(await page.locator('.job-failed .job-error').textContent()).toBe('Tệp "gia-dinh-012.tif" bị hỏng hoặc không đọc được.');
    expect(await page.locator('ul.job-list li.job').count()).toBeGreaterThanOrEqual(1);
    await shoot(page, 'digital-staff-jobs');

    await page.goto(`${base}/staff/digital/ingest`);
    await shoot(page, 'digital-staff-ingest');

    await page.goto(`${base}/staff/digital/collections`);
    await shoot(page, 'digital-staff-collections');

    expect(errors).toEqual([]);
  }, 180_000);

  it('resumes a big upload after the page was reloaded mid-way, and retries a failed chunk', async () => {
    // An uncompressed TIFF of a blank page, a little over one 8 MiB chunk: two chunks.
    const dir = mkdtempSync(join(tmpdir(), 'lt-upload-'));
    const file = join(dir, 'trang-trang.tif');
    writeFileSync(file, await sharp({ create: { width: 1800, height: 1700, channels: 3, background: '#ffffff' } }).tiff({ compression: 'none' }).toBuffer());
    const size = statSync(file).size;
    expect(size).toBeGreaterThan(8 * 1024 * 1024);
    const page = await browser.newPage({ locale: 'vi-VN' });
    await signIn(page, '/staff/digital/new');
    await page.locator('#f-unit').selectOption(String(libraryId));
    await page.locator('#f-dc_title').fill('Tệp lớn tải lên từng phần');
    await page.getByRole('button', { name: 'Tạo tài liệu' }).click();
    await page.waitForURL(/\/staff\/digital\/\d+\?ok=/);
    const objectUrl = page.url().split('?')[0]!;

    // The second chunk never arrives (the connection drops) and the page is reloaded before the retry.
    const ranges: string[] = [];
    let puts = 0;
    await page.route('**/uploads/*', async (route) => {
      const r = route.request();
      if (r.method() !== 'PUT') return route.continue();
      ranges.push(String(r.headers()['content-range']));
      puts += 1;
      if (puts === 2) return route.abort('connectionreset');
      return route.continue();
    });
    await page.setInputFiles('#f-files', file);
    await page.getByRole('button', { name: 'Tải lên', exact: true }).click();
    await expect.poll(() => puts, { timeout: 20_000 }).toBe(2);
    expect(ranges[0]).toBe(`bytes 0-${8 * 1024 * 1024 - 1}/${size}`);
    await page.unrouteAll({ behavior: 'ignoreErrors' });
    await page.goto(objectUrl);
    // The page remembers the unfinished upload and says so.
    expect(await page.locator('.upload-pending').textContent()).toContain('trang-trang.tif');

    // Choosing the same file again continues from what the server holds; the first try of it fails once.
    const after: string[] = [];
    let failedOnce = false;
    await page.route('**/uploads/*', async (route) => {
      const r = route.request();
      if (r.method() === 'PUT') {
        after.push(String(r.headers()['content-range']));
        if (!failedOnce) {
          failedOnce = true;
          return route.abort('connectionfailed');
        }
      }
      return route.continue();
    });
    await page.setInputFiles('#f-files', file);
    await page.getByRole('button', { name: 'Tải lên', exact: true }).click();
    await page.waitForURL(/\?ok=dstaff\.upload\.added/, { timeout: 60_000 });
    expect(after).toEqual([`bytes ${8 * 1024 * 1024}-${size - 1}/${size}`, `bytes ${8 * 1024 * 1024}-${size - 1}/${size}`]);
    expect(await page.locator('table.files-table').textContent()).toContain('trang-trang.tif');
    const files = await env.container.services.digital.files(Number(objectUrl.split('/').pop()));
    expect(files).toMatchObject([{ name: 'trang-trang.tif', size, mediaType: 'image/tiff' }]);
    // Nothing is left in localStorage once the file is in.
    expect(await page.evaluate(() => Object.keys(window.localStorage).filter((k) => k.startsWith('lt-upload:')))).toEqual([]);
    rmSync(dir, { recursive: true, force: true });
    await page.close();
  }, 120_000);

  it('uploads a page without JavaScript too', async () => {
    const context = await browser.newContext({ locale: 'vi-VN', javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, '/staff/digital/new');
    await page.locator('#f-unit').selectOption(String(libraryId));
    await page.locator('#f-dc_title').fill('Tài liệu tải lên không cần JavaScript');
    await page.getByRole('button', { name: 'Tạo tài liệu' }).click();
    await page.waitForURL(/\/staff\/digital\/\d+\?ok=/);
    await page.setInputFiles('#f-files', { name: 'mot-trang.png', mimeType: 'image/png', buffer: await scannedPage(3) });
    await page.getByRole('button', { name: 'Tải lên', exact: true }).click();
    await page.waitForURL(/\?ok=dstaff\.upload\.added/);
    expect(await page.locator('table.files-table tbody tr').count()).toBe(1);
    expect(await page.locator('table.files-table').textContent()).toContain('mot-trang.png');
    await context.close();
  }, 60_000);
});
