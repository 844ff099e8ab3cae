/**
 * A real browser (Debian's Chromium, driven by playwright-core) against a real server on a port,
 * with the demo network: a staff member signs in, edits a unit, and finds the change in the audit
 * log. Screenshots of every page type at phone (390 px) and desktop (1280 px) width are saved
 * under test-output/screenshots for people to look at.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumPath, launchBrowser, shoot } from './harness.js';
import { buildApp, type App } from '../../src/http/app.js';
import { firstStart } from '../../src/app/setup.service.js';
import { TestClock, testEnv, type TestEnv } from '../factories.js';



describe.skipIf(!chromiumPath)('staff in a real browser', () => {
  let env: TestEnv;
  let app: App;
  let browser: Browser;
  let base: string;
  let adminPassword: string;

  beforeAll(async () => {
    env = await testEnv('sqlite', { clock: new TestClock('2026-11-24T03:00:00.000Z') });
    const c = env.container;
    const accounts = await firstStart({ store: c.store, org: c.services.org, staff: c.services.staff }, { demo: true });
    adminPassword = accounts.find((a) => a.username === 'admin')!.password;
    app = await buildApp({ services: c.services, store: c.store, clock: env.clock, sessionSecret: 'browser-test-secret-0123456789abcdefghij', baseUrl: 'http://127.0.0.1' });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await env?.dispose();
  });


  it('signs in, edits a unit, and sees the audit entry', async () => {
    const page = await browser.newPage({ locale: 'vi-VN' });
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });

    await page.goto(`${base}/`);
    expect(await page.locator('h1').textContent()).toBe('Mạng lưới thư viện');
    await shoot(page, 'portal');

    await page.goto(`${base}/?asOf=2024-01-01`);
    expect(await page.getByRole('link', { name: 'Thư viện huyện Hòn Đất' }).isVisible()).toBe(true);
    await shoot(page, 'portal-2024');

    await page.goto(`${base}/l/thu-vien-tinh`);
    await shoot(page, 'library');

    await page.goto(`${base}/staff/org`);
    expect(page.url()).toMatch(/\/staff\/login\?next=/);
    await shoot(page, 'login');
    await page.getByLabel('Tên đăng nhập').fill('admin');
    await page.getByLabel('Mật khẩu').fill(adminPassword);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(`${base}/staff/org`);
    await shoot(page, 'staff-tree');

    await page.getByRole('link', { name: 'Thư viện xã Hòn Đất' }).first().click();
    await page.waitForURL(/\/staff\/org\/\d+$/);
    expect(await page.locator('h1').textContent()).toContain('Thư viện xã Hòn Đất');
    await shoot(page, 'staff-unit');
    await page.getByRole('link', { name: 'Sửa thông tin' }).click();
    await shoot(page, 'staff-unit-edit');
    await page.getByLabel('Giờ mở cửa').fill('Thứ Hai – Thứ Bảy: 7:30 – 17:00');
    await page.getByLabel('Điện thoại').fill('0297 3841 234');
    await page.getByRole('button', { name: 'Lưu' }).click();
    await page.locator('.flash-ok').waitFor();
    expect(await page.locator('.flash-ok').textContent()).toBe('Đã lưu thay đổi.');
    expect(await page.locator('dl.facts').textContent()).toContain('0297 3841 234');

    await page.getByRole('link', { name: 'Nhật ký thao tác' }).click();
    await page.waitForURL(`${base}/staff/audit`);
    const row = (await page.locator('table.audit tbody tr').first().textContent()) ?? '';
    expect(row).toContain('org.unit.update');
    expect(row).toContain('admin');
    expect(row).toContain('Thư viện xã Hòn Đất');
    expect(row).toContain('openingHours');
    await shoot(page, 'staff-audit');

    await page.goto(`${base}/staff/users`);
    await shoot(page, 'staff-users');
    await page.goto(`${base}/staff/org/${(await env.container.services.org.getByCode('HD-TT')).id}/reorganise`);
    await shoot(page, 'staff-reorganise');
    await page.goto(`${base}/staff/account`);
    await shoot(page, 'staff-account');

    // The language switch keeps the page and changes every string.
    await page.goto(`${base}/staff`);
    await page.getByRole('button', { name: /English/ }).click();
    await page.waitForLoadState();
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.getByRole('link', { name: 'Audit log' }).isVisible()).toBe(true);
    await shoot(page, 'staff-home-en');

    expect(errors).toEqual([]);
  }, 120_000);
});
