/**
 * Cataloguing in a real browser (Debian's Chromium, driven by playwright-core) against a real
 * server with the demo network and its catalogue: the network's cataloguer creates a record with
 * the simple form, adds an item, and checks the record in the MARC editor (with its script adding
 * a row). Screenshots of the record page, the MARC editor, the simple form and the item form at
 * phone (390 px) and desktop (1280 px) width are saved under test-output/screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumPath, launchBrowser, shoot, fitsPhone } from './harness.js';
import { buildApp, type App } from '../../src/http/app.js';
import { firstStart } from '../../src/app/setup.service.js';
import { TestClock, testEnv, type TestEnv } from '../factories.js';


describe.skipIf(!chromiumPath)('cataloguing in a real browser', () => {
  let env: TestEnv;
  let app: App;
  let browser: Browser;
  let base: string;
  let password: string;

  beforeAll(async () => {
    env = await testEnv('sqlite', { clock: new TestClock('2026-11-24T03:00:00.000Z') });
    const c = env.container;
    const accounts = await firstStart({ store: c.store, org: c.services.org, staff: c.services.staff, catalog: c.services.catalog }, { demo: true });
    password = accounts.find((a) => a.username === 'bienmuc')!.password;
    app = await buildApp({ services: c.services, store: c.store, clock: env.clock, sessionSecret: 'browser-test-secret-0123456789abcdefghij', baseUrl: 'http://127.0.0.1' });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await env?.dispose();
  });



  it('creates a record, adds an item and checks the record in the MARC editor', async () => {
    const page = await browser.newPage({ locale: 'vi-VN' });
    const errors: string[] = [];
    page.on('console', (m) => {
      // A form sent back with its problems answers 400 or 409 on purpose; Chromium logs that.
      if (m.type() === 'error' && !/status of 40[09]/.test(m.text())) errors.push(m.text());
    });
    page.on('pageerror', (e) => errors.push(e.message));

    await page.goto(`${base}/staff/catalogue`);
    await page.getByLabel('Tên đăng nhập').fill('bienmuc');
    await page.getByLabel('Mật khẩu').fill(password);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(`${base}/staff/catalogue`);
    expect(await page.locator('h1').textContent()).toBe('Biên mục');
    expect(await page.locator('table.records tbody tr').count()).toBe(20);
    await shoot(page, 'catalogue');
    await fitsPhone(page);

    // The simple form.
    await page.getByRole('link', { name: 'Biểu ghi mới (mẫu đơn giản)' }).click();
    await page.waitForURL(`${base}/staff/catalogue/records/new/simple`);
    await page.locator('#f-title').fill('Mùa lá rụng trong vườn');
    await page.getByLabel('Thông tin trách nhiệm', { exact: true }).fill('Ma Văn Kháng');
    await page.getByLabel('Tác giả', { exact: true }).fill('Ma Văn Kháng');
    await page.getByLabel('Nhà xuất bản', { exact: true }).fill('Nxb. Phụ nữ');
    await page.getByLabel('Nơi xuất bản', { exact: true }).fill('Hà Nội');
    await page.getByLabel('Năm xuất bản', { exact: true }).fill('2021');
    await page.getByLabel('Số trang', { exact: true }).fill('327 tr.');
    await page.getByLabel('ISBN', { exact: true }).fill('978-604-0-00005-7');
    await page.getByLabel('Chủ đề', { exact: true }).fill('Văn học Việt Nam -- Tiểu thuyết');
    await page.getByLabel('Ký hiệu phân loại', { exact: true }).fill('895.9223');
    await page.getByLabel('Tóm tắt', { exact: true }).fill('Câu chuyện về một gia đình Hà Nội trong những năm đổi mới.');
    await shoot(page, 'catalogue-simple');
    await fitsPhone(page);
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForURL(/\/staff\/catalogue\/records\/\d+\?ok=/);
    expect(await page.locator('.flash-ok').textContent()).toBe('Đã lưu biểu ghi.');
    expect(await page.locator('h1').textContent()).toContain('Mùa lá rụng trong vườn');
    expect(await page.locator('.marc-view').textContent()).toContain('245 10 $a Mùa lá rụng trong vườn / $c Ma Văn Kháng.');
    const recordUrl = page.url().split('?')[0]!;

    // An item.
    await page.getByRole('link', { name: 'Thêm bản tài liệu' }).click();
    await page.waitForURL(/\/items\/new$/);
    await page.locator('#f-barcode').fill('KG900001');
    await page.getByLabel('Kho / vị trí trên giá', { exact: true }).fill('Kho mở');
    await page.getByLabel('Giá', { exact: true }).fill('98.000 đ');
    await shoot(page, 'catalogue-item');
    await fitsPhone(page);
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForURL(/\/staff\/catalogue\/records\/\d+\?ok=staff.catalog.item.added/);
    expect(await page.locator('table.items').textContent()).toContain('KG900001');
    expect(await page.locator('table.items').textContent()).toContain('Có trên giá');
    await shoot(page, 'catalogue-record');
    await fitsPhone(page);

    // The MARC editor: the script adds a row; "check" shows problems next to their rows.
    await page.goto(`${recordUrl}/marc`);
    const rowsBefore = await page.locator('.marc-row').count();
    await page.getByRole('button', { name: 'Thêm trường' }).click();
    expect(await page.locator('.marc-row').count()).toBe(rowsBefore + 1);
    const added = page.locator('.marc-row').last();
    await added.locator('input').first().fill('24');
    await added.locator('textarea').fill('Không có dấu đô la');
    await page.getByRole('button', { name: 'Kiểm tra' }).click();
    await page.waitForLoadState();
    expect(await page.locator('.marc-row.has-error').count()).toBe(1);
    expect(await page.locator('.marc-row.has-error').textContent()).toContain('Nhãn “24” không đọc được');
    await shoot(page, 'catalogue-marc-problems');
    await fitsPhone(page);

    // Corrected, the check passes; nothing was saved by checking.
    const row = page.locator('.marc-row.has-error');
    await row.locator('input').first().fill('500');
    await row.locator('textarea').fill('$a Giải thưởng Hội Nhà văn Việt Nam 1986.');
    await page.getByRole('button', { name: 'Kiểm tra' }).click();
    await page.waitForLoadState();
    expect(await page.locator('.flash-ok').textContent()).toContain('Không thấy vấn đề nào');
    await shoot(page, 'catalogue-marc');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.waitForURL(/\/staff\/catalogue\/records\/\d+\?ok=staff.catalog.saved/);
    expect(await page.locator('.marc-view').textContent()).toContain('500 ## $a Giải thưởng Hội Nhà văn Việt Nam 1986.');

    await page.goto(`${recordUrl}/history`);
    expect(await page.locator('table.history-table').textContent()).toContain('Sửa biểu ghi');
    await shoot(page, 'catalogue-history');
    await fitsPhone(page);

    expect(errors).toEqual([]);
  }, 180_000);
});
