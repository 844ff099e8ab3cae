/**
 * What the browser tests share: where Chromium is, how it is started, and the screenshots every
 * page type gets at phone (390 px) and desktop (1280 px) width under test-output/screenshots.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, as the global setup found it; undefined when it is not installed. */
export const chromiumPath = inject('chromium');
export const OUT = join(process.cwd(), 'test-output', 'screenshots');
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export async function launchBrowser(): Promise<Browser> {
  mkdirSync(OUT, { recursive: true });
  return chromium.launch({ executablePath: chromiumPath!, headless: true, args: CHROMIUM_ARGS });
}

/** Full-page screenshots at 390 and 1280 px, and what a phone shows first at full resolution. */
export async function shoot(page: Page, name: string): Promise<void> {
  for (const width of [390, 1280]) {
    await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
    await page.screenshot({ path: join(OUT, `${name}-${width}.png`), fullPage: true });
    if (width === 390) await page.screenshot({ path: join(OUT, `${name}-${width}-top.png`) });
  }
}

/** Signs in on the staff login page (Vietnamese labels) and waits to land on `next`. */
export async function signIn(page: Page, base: string, username: string, password: string, next: string): Promise<void> {
  await page.goto(`${base}/staff/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`${base}${next}`);
}
