/**
 * Copy cataloguing in a real browser (Debian's Chromium, driven by playwright-core) against a real
 * server with the demo network, and a remote library we did not write (`test/sru-static.ts`,
 * stored SRU responses): the network's cataloguer searches the remote, opens a record, sees what
 * we already hold, imports it, and lands on the new record. Pages are checked with axe-core and
 * for sideways scrolling on a phone; screenshots at 390 and 1280 px go to test-output/screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumPath, expectAccessible, launchBrowser, shoot, signIn, fitsPhone } from './harness.js';
import { buildApp, type App } from '../../src/http/app.js';
import { firstStart } from '../../src/app/setup.service.js';
import { systemActor } from '../../src/app/actor.js';
import { TestClock, testEnv, type TestEnv } from '../factories.js';
import { startSruStatic, type SruStatic } from '../sru-static.js';

describe.skipIf(!chromiumPath)('copy cataloguing in a real browser', () => {
  let env: TestEnv;
  let app: App;
  let browser: Browser;
  let remote: SruStatic;
  let base: string;
  let password: string;

  beforeAll(async () => {
    remote = await startSruStatic();
    env = await testEnv('sqlite', { clock: new TestClock('2026-11-24T03:00:00.000Z'), container: { copyLimits: { timeoutMs: 5000 } } });
    const c = env.container;
    const accounts = await firstStart({ store: c.store, org: c.services.org, staff: c.services.staff, catalog: c.services.catalog }, { demo: true });
    password = accounts.find((a) => a.username === 'bienmuc')!.password;
    const sys = systemActor('test');
    await c.services.copyCatalog.createTarget(sys, { name: 'Thư viện Quốc hội Hoa Kỳ (LC)', baseUrl: remote.url('loc'), sruVersion: '1.1', recordSchema: 'marcxml' });
    await c.services.copyCatalog.createTarget(sys, { name: 'Thư viện K2 (SRU 2.0)', baseUrl: remote.url('k2'), sruVersion: '2.0', recordSchema: 'marcxml' });
    await c.services.copyCatalog.createTarget(sys, { name: 'Máy chủ lỗi', baseUrl: remote.url('diag'), sruVersion: '1.2', recordSchema: 'marcxml' });
    app = await buildApp({ services: c.services, store: c.store, clock: env.clock, sessionSecret: 'browser-test-secret-0123456789abcdefghij', baseUrl: 'http://127.0.0.1' });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await env?.dispose();
    await remote?.close();
  });


  it('searches a remote catalogue, previews a record, imports it and shows it', async () => {
    const page = await browser.newPage({ locale: 'vi-VN' });
    const errors: string[] = [];
    page.on('console', (m) => {
      // A remote that fails answers 502 on purpose; Chromium logs that.
      if (m.type() === 'error' && !/status of 502/.test(m.text())) errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));

    await signIn(page, base, 'bienmuc', password, '/staff/catalogue/copy');
    expect(await page.locator('h1').textContent()).toBe('Sao chép biên mục');
    await expectAccessible(page, 'the copy cataloguing page');
    await shoot(page, 'staff-copy');

    // Search the Library of Congress (SRU 1.1) by title.
    await page.getByLabel('Mục lục nguồn').selectOption({ label: 'Thư viện Quốc hội Hoa Kỳ (LC)' });
    await page.getByLabel('Tìm theo').selectOption('title');
    await page.getByLabel('Từ cần tìm').fill('Truyện Kiều');
    await page.getByRole('button', { name: 'Tìm biểu ghi' }).click();
    await page.waitForURL(/\/staff\/catalogue\/copy\?target=\d+&kind=title&text=/);
    const rows = page.locator('table.copy-hits tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.first().textContent()).toContain('Nguyễn Du');
    await expectAccessible(page, 'search results');
    await shoot(page, 'staff-copy-results');
    await fitsPhone(page);

    // The first record matches one the demo catalogue holds (same title, author and year).
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.getByRole('link', { name: 'Truyện Kiều' }).click();
    await page.waitForURL(/\/staff\/catalogue\/copy\/preview\?/);
    expect(await page.locator('h1').textContent()).toBe('Truyện Kiều');
    expect(await page.locator('ul.copy-duplicates li').count()).toBe(1);
    expect(await page.locator('ul.copy-duplicates').textContent()).toContain('trùng nhan đề, tác giả và năm');
    await expectAccessible(page, 'a preview with a duplicate');
    await shoot(page, 'staff-copy-preview-duplicate');

    // The second one is new to us: import it for the provincial library.
    await page.getByRole('link', { name: 'Quay lại kết quả tìm' }).first().click();
    await page.getByRole('link', { name: 'Hương rừng Cà Mau' }).click();
    await page.waitForURL(/pos=2/);
    expect(await page.locator('ul.copy-duplicates').count()).toBe(0);
    expect(await page.locator('table.marc-fields tbody tr[data-tag="245"]').textContent()).toContain('Hương rừng Cà Mau');
    await expectAccessible(page, 'a preview');
    await shoot(page, 'staff-copy-preview');
    await fitsPhone(page);
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await page.locator('#f-unit option:checked').textContent()).toContain('TVKG');
    await page.getByLabel(/Dùng biểu ghi đã có/).check();
    await page.getByLabel(/Mã vạch bản sách/).fill('KG-CM-0001');
    await page.getByRole('button', { name: 'Nhập biểu ghi' }).click();
    await page.waitForURL(/\/staff\/catalogue\/records\/\d+\?ok=copy\.done\.created$/);
    expect(await page.locator('h1').textContent()).toContain('Hương rừng Cà Mau');
    expect(await page.locator('.flash').first().textContent()).toContain('Đã sao chép biểu ghi vào mục lục.');
    expect(await page.locator('body').textContent()).toContain('KG-CM-0001');
    await shoot(page, 'staff-copy-imported');

    // Its history says where it came from.
    const recordUrl = page.url().split('?')[0]!;
    await page.goto(`${recordUrl}/history`);
    expect(await page.locator('body').textContent()).toContain('Sao chép từ mục lục khác');

    // A remote that refuses: explained, with the form to try again.
    await page.goto(`${base}/staff/catalogue/copy`);
    await page.getByLabel('Mục lục nguồn').selectOption({ label: 'Máy chủ lỗi' });
    await page.getByLabel('Tìm theo').selectOption('subject');
    await page.getByLabel('Từ cần tìm').fill('Lịch sử');
    await page.getByRole('button', { name: 'Tìm biểu ghi' }).click();
    await page.locator('.copy-problem').waitFor();
    expect(await page.locator('.copy-problem').textContent()).toContain('Chỉ mục không được hỗ trợ');
    await expectAccessible(page, 'a remote that fails');
    await shoot(page, 'staff-copy-problem');

    // The list of source catalogues, which this cataloguer may manage.
    await page.getByRole('link', { name: 'Quản lý mục lục nguồn' }).click();
    await page.waitForURL(`${base}/staff/interop/targets`);
    expect(await page.locator('table.sru-targets tbody tr').count()).toBe(3);
    await expectAccessible(page, 'the source catalogues');
    await shoot(page, 'staff-copy-targets');
    await fitsPhone(page);

    expect(errors).toEqual([]);
    await page.close();
  }, 120_000);
});
