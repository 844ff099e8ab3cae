/**
 * Readers' accounts in a real browser (Debian's Chromium, driven by playwright-core) against a
 * real server with the demo network, its catalogue and its demo readers: someone registers, a
 * librarian approves the registration (issuing a card), the reader signs in, searches, saves a
 * record to a list and finds it under their saved lists. Each page is checked with axe-core, and
 * screenshots (`account-*`, `staff-readers*`) at 390 and 1280 px are saved under
 * test-output/screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { chromiumPath, expectAccessible, launchBrowser, shoot, signIn } from './harness.js';
import { buildApp, type App } from '../../src/http/app.js';
import { firstStart } from '../../src/app/setup.service.js';
import { isCardNumber } from '../../src/domain/readers/card.js';
import { systemActor } from '../../src/app/actor.js';
import { TestClock, testEnv, type TestEnv } from '../factories.js';

const NAME = 'Huỳnh Thị Mỹ Duyên';
const EMAIL = 'myduyen@example.vn';
const PASSWORD = 'hoa sen nở giữa đầm 2026';

describe.skipIf(!chromiumPath)('readers’ accounts in a real browser', () => {
  let env: TestEnv;
  let app: App;
  let browser: Browser;
  let base: string;
  let librarianPassword: string;
  let homeId: number;

  beforeAll(async () => {
    env = await testEnv('sqlite', { clock: new TestClock('2026-11-24T03:00:00.000Z') });
    const c = env.container;
    const accounts = await firstStart({ store: c.store, org: c.services.org, staff: c.services.staff, catalog: c.services.catalog, readers: c.services.readers }, { demo: true });
    librarianPassword = accounts.find((a) => a.username === 'tvtinh')!.password;
    homeId = (await c.services.org.getByCode('TVKG')).id;
    app = await buildApp({ services: c.services, store: c.store, clock: env.clock, sessionSecret: 'browser-test-secret-0123456789abcdefghij', baseUrl: 'http://127.0.0.1' });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await env?.dispose();
  });

  /** Nothing may stick out sideways on a phone. */
  async function fitsPhone(page: Page): Promise<void> {
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow, `horizontal overflow at 390 px on ${page.url()}`).toBeLessThanOrEqual(0);
  }

  async function check(page: Page, name: string): Promise<void> {
    await fitsPhone(page);
    await expectAccessible(page, name);
    await shoot(page, name);
  }

  it('register → a librarian approves → sign in → search → save → the saved list', async () => {
    const errors: string[] = [];
    const reader = await browser.newContext({ locale: 'vi-VN', viewport: { width: 390, height: 844 } });
    const page = await reader.newPage();
    page.on('console', (m) => {
      // The registration refused on purpose below answers 400, which Chromium reports; nothing else may fail.
      if (m.type() === 'error' && !(m.location().url.endsWith('/account/register') && m.text().includes('400'))) errors.push(`${m.location().url}: ${m.text()}`);
    });

    // Registering: a mistake first, shown in the form in Vietnamese.
    await page.goto(`${base}/`);
    await page.getByRole('link', { name: 'Đăng nhập', exact: true }).click();
    await page.waitForURL(`${base}/account/login`);
    await check(page, 'account-login');
    await page.getByRole('link', { name: 'Đăng ký thẻ bạn đọc' }).click();
    await page.waitForURL(`${base}/account/register`);
    await check(page, 'account-register');
    await page.getByLabel('Họ và tên').fill(NAME);
    await page.getByLabel('Thư điện tử').fill('myduyen@');
    await page.getByLabel('Số điện thoại').fill('0901 234 567');
    await page.getByLabel('Thư viện của bạn').selectOption(String(homeId));
    await page.locator('#f-password').fill(PASSWORD);
    await page.locator('#f-confirm').fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng ký' }).click();
    await page.locator('.field-error').first().waitFor();
    expect(await page.locator('#f-email-error').textContent()).toContain('Địa chỉ thư điện tử chưa đúng');
    await check(page, 'account-register-error');
    await page.getByLabel('Thư điện tử').fill(EMAIL);
    await page.locator('#f-password').fill(PASSWORD);
    await page.locator('#f-confirm').fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng ký' }).click();
    await page.waitForURL(/\/account\/registered\?library=\d+$/);
    expect(await page.locator('h1').textContent()).toBe('Đã nhận đăng ký');
    expect(await page.locator('.reader-pending').textContent()).toContain('Thư viện tỉnh An Giang – cơ sở Rạch Giá');
    await check(page, 'account-registered');

    // A librarian of the provincial library approves it from the queue.
    const staffContext = await browser.newContext({ locale: 'vi-VN' });
    const staffPage = await staffContext.newPage();
    await signIn(staffPage, base, 'tvtinh', librarianPassword, '/staff/readers');
    expect(await staffPage.locator('#queue-heading').textContent()).toMatch(/Đăng ký chờ duyệt \(\d+\)/);
    await check(staffPage, 'staff-readers');
    await staffPage.getByRole('button', { name: `Duyệt và cấp thẻ – ${NAME}` }).click();
    await staffPage.waitForURL(`${base}/staff/readers?ok=readers.staff.approved`);
    expect(await staffPage.locator('.flash-ok').textContent()).toBe('Đã duyệt và cấp thẻ.');
    await staffPage.getByLabel('Tên, số thẻ hoặc địa chỉ thư').fill('my duyen');
    await staffPage.getByRole('region', { name: 'Tìm bạn đọc' }).getByRole('button', { name: 'Tìm' }).click();
    await staffPage.getByRole('link', { name: NAME }).click();
    await staffPage.waitForURL(/\/staff\/readers\/\d+$/);
    await check(staffPage, 'staff-reader');
    await staffContext.close();

    // The reader signs in and sees the card number.
    await page.goto(`${base}/account/login`);
    await page.getByLabel('Thư điện tử hoặc số thẻ').fill(EMAIL);
    await page.getByLabel('Mật khẩu').fill(PASSWORD);
    await page.getByRole('button', { name: 'Đăng nhập' }).click();
    await page.waitForURL(`${base}/account`);
    const card = (await page.locator('.card-number').textContent())!.replace(/\s/g, '');
    expect(isCardNumber(card)).toBe(true);
    await check(page, 'account');

    // Searches, opens a record, saves it.
    await page.locator('#site-q').fill('truyen kieu');
    await page.locator('#site-q').press('Enter');
    await page.waitForURL(/\/search\?q=truyen\+kieu/);
    await page.locator('a[href^="/record/"]').filter({ hasText: 'Truyện Kiều' }).first().click();
    await page.waitForURL(/\/record\/\d+/);
    await page.locator('#save').scrollIntoViewIfNeeded();
    await page.getByRole('button', { name: 'Lưu', exact: true }).click();
    await page.waitForURL(/\/record\/\d+\?saved=\d+#save$/);
    expect(await page.locator('#save .flash-ok').textContent()).toContain('Đã lưu vào “Đã lưu”.');
    await shoot(page, 'account-record-saved');

    // …and finds it among the saved lists.
    await page.getByRole('link', { name: 'Xem danh sách' }).click();
    await page.waitForURL(/\/account\/lists\/\d+$/);
    expect(await page.locator('.saved-title').first().textContent()).toBe('Truyện Kiều');
    await check(page, 'account-list');
    await page.getByRole('link', { name: 'Danh sách đã lưu' }).first().click();
    await page.waitForURL(`${base}/account/lists`);
    expect(await page.locator('.reader-lists').textContent()).toContain('Đã lưu');
    await check(page, 'account-lists');
    await page.getByRole('link', { name: 'Lịch sử tìm kiếm' }).click();
    await page.waitForURL(`${base}/account/history`);
    expect(await page.locator('.history-items').textContent()).toContain('truyen kieu');
    await check(page, 'account-history');

    expect(errors).toEqual([]);
    await reader.close();
  }, 240_000);

  it('the demo reader signs in with the card number; pages then follow the language saved on the account', async () => {
    const c = env.container;
    const demo = (await c.store.readers.getWithHashByEmail('bandoc@example.vn'))!;
    const temp = await c.services.readers.resetPassword(systemActor('test'), demo.id);
    const context = await browser.newContext({ locale: 'en-GB' });
    const page = await context.newPage();
    await page.goto(`${base}/account/login`);
    await page.getByLabel('Email or card number').fill(demo.cardNumber!.replace(/(\d)(\d{5})(\d{7})(\d)/, '$1 $2 $3 $4'));
    await page.getByLabel('Password').fill(temp);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${base}/account`);
    // The account says Vietnamese, which outranks the English browser from now on.
    expect(await page.locator('html').getAttribute('lang')).toBe('vi');
    await page.getByRole('link', { name: 'Danh sách đã lưu' }).first().click();
    expect(await page.locator('.reader-lists').textContent()).toContain('Tìm hiểu quê hương');
    await check(page, 'account-lists-demo');
    await context.close();
  }, 120_000);
});
