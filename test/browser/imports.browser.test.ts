/**
 * MARC import and export in a real browser (Debian's Chromium, driven by playwright-core) against
 * a real server with its job runner: a staff member uploads a file, watches the import finish,
 * reads the report, and downloads an export — with JavaScript, and without it (the job page then
 * refreshes itself). Screenshots at phone (390 px) and desktop (1280 px) width are saved under
 * test-output/screenshots for people to look at.
 */
import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, launchBrowser, shoot, signIn as signInAs } from './harness.js';
import { buildApp, type App } from '../../src/http/app.js';
import { firstStart } from '../../src/app/setup.service.js';
import type { MarcRecord } from '../../src/codecs/marc/record.js';
import { writeIso2709 } from '../../src/codecs/marc/write.js';
import { parseMarcXml } from '../../src/codecs/marc/parse.js';
import { TestClock, testEnv, type TestEnv } from '../factories.js';


function book(n: number, unit: string, barcodes: string[]): MarcRecord {
  return {
    leader: '00000nam a2200000 i 4500',
    fields: [
      { tag: '008', value: '250101s2024    vm            000 0 vie d' },
      { tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: ['9786040000019', '9786040000026', '9786040000033'][n % 3]! }] },
      { tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: ['Sơn Nam', 'Nguyễn Du', 'Trịnh Hoài Đức'][n % 3]! }] },
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: ['Hương rừng Cà Mau /', 'Truyện Kiều /', 'Gia Định thành thông chí /'][n % 3]! }, { code: 'c', value: 'Nhiều tác giả.' }] },
      { tag: '264', ind1: ' ', ind2: '1', subfields: [{ code: 'a', value: 'TP. Hồ Chí Minh :' }, { code: 'b', value: 'Nxb. Trẻ,' }, { code: 'c', value: '2019.' }] },
      ...barcodes.map((b) => ({ tag: '952', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: unit }, { code: 'p', value: b }] })),
    ],
  };
}

const untitled: MarcRecord = { leader: '00000nam a2200000 i 4500', fields: [{ tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'Biểu ghi thiếu nhan đề.' }] }] };

describe.skipIf(!chromiumPath)('MARC import and export in a real browser', () => {
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
    app = await buildApp({ services: c.services, store: c.store, clock: env.clock, sessionSecret: 'browser-test-secret-0123456789abcdefghij', baseUrl: 'http://127.0.0.1' });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    // The server's job runner, as `lienthong serve` starts it.
    c.jobs.start();
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await env?.container.jobs.stop();
    for (const j of (await env?.container.store.jobs.list({ kind: 'catalog.import', limit: 100 })) ?? []) rmSync(String(j.params.path), { force: true });
    await app?.close();
    await env?.dispose();
  });

  const signIn = (page: Page, next: string) => signInAs(page, base, 'admin', adminPassword, next);

  it('uploads a file, watches the import finish, reads the report, and exports', async () => {
    const page = await browser.newPage({ locale: 'vi-VN' });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));

    await signIn(page, '/staff/catalogue/imports');
    expect(await page.locator('h1').textContent()).toBe('Nhập biểu ghi MARC');
    await shoot(page, 'staff-imports-empty');

    const file = writeIso2709([book(0, 'TVKG', ['KG-0001', 'KG-0002']), book(1, 'TVKG', ['KG-0003']), untitled, book(2, 'TVKG', [])]);
    await page.setInputFiles('#f-file', { name: 'sach-kien-giang.mrc', mimeType: 'application/marc', buffer: Buffer.from(file) });
    await page.locator('#f-unit').selectOption(String(libraryId));
    await page.getByLabel(/Giữ cả hai/).check();
    await page.getByRole('button', { name: 'Tải lên và nhập' }).click();
    await page.waitForURL(/\/staff\/catalogue\/imports\/\d+\?ok=/);
    const jobUrl = page.url().split('?')[0]!;

    // The script polls progress.json and reloads the page once the job is done.
    await page.locator('.badge-job-done').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-field="note"]').textContent()).toBe('Đã nhập xong 4 biểu ghi.');
    expect(await page.locator('[data-count="created"]').textContent()).toBe('3');
    expect(await page.locator('[data-count="rejected"]').textContent()).toBe('1');
    expect(await page.locator('[data-count="itemsAdded"]').textContent()).toBe('3');
    expect(await page.locator('table.import-report tbody tr').count()).toBe(4);
    await shoot(page, 'staff-import-job');

    // The report: only the rejected record, and why.
    await page.getByRole('link', { name: 'Từ chối (1)' }).click();
    await page.waitForURL(/outcome=rejected/);
    const rows = page.locator('table.import-report tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('Biểu ghi không có nhan đề (trường 245).');
    await shoot(page, 'staff-import-rejected');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Tải báo cáo (CSV)' }).click()]);
    expect(csv.suggestedFilename()).toMatch(/^lienthong-import-\d+\.csv$/);
    const report = readFileSync((await csv.path())!, 'utf8');
    expect(report.trimEnd().split('\n')).toHaveLength(5);
    expect(report).toContain('Hương rừng Cà Mau');

    await page.goto(`${base}/staff/catalogue/imports`);
    expect(await page.locator('table.imports tbody tr').first().textContent()).toContain('sach-kien-giang.mrc');
    await shoot(page, 'staff-imports');

    await page.goto(`${base}/staff/catalogue/export`);
    await shoot(page, 'staff-export');
    await page.getByLabel(/MARCXML/).check();
    await page.locator('#f-unit').selectOption(String(libraryId));
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Tải tệp về' }).click()]);
    expect(download.suggestedFilename()).toBe('lienthong-tvkg-2026-11-24.xml');
    const records = parseMarcXml(readFileSync((await download.path())!));
    expect(records).toHaveLength(2);
    expect(records.flatMap((r) => r.fields.filter((f) => f.tag === '952'))).toHaveLength(3);

    expect(page.url()).toBe(`${base}/staff/catalogue/export`);
    expect(jobUrl).toMatch(/\/staff\/catalogue\/imports\/\d+$/);
    expect(errors).toEqual([]);
  }, 120_000);

  it('shows the import finishing without JavaScript too', async () => {
    const context = await browser.newContext({ locale: 'vi-VN', javaScriptEnabled: false });
    const page = await context.newPage();
    await signIn(page, '/staff/catalogue/imports');
    await page.setInputFiles('#f-file', { name: 'them.mrc', mimeType: 'application/marc', buffer: Buffer.from(writeIso2709([book(5, 'TVKG', ['KG-0101'])])) });
    await page.locator('#f-unit').selectOption(String(libraryId));
    await page.getByRole('button', { name: 'Tải lên và nhập' }).click();
    await page.waitForURL(/\/staff\/catalogue\/imports\/\d+/);
    // <meta refresh> in <noscript> reloads the page every 2 seconds until the job has ended.
    await page.locator('.badge-job-done').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-count="read"]').textContent()).toBe('1');
    await context.close();
  }, 60_000);
});
