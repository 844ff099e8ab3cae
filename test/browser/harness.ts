/**
 * What the browser tests share: where Chromium is, how it is started, and the screenshots every
 * page type gets at phone (390 px) and desktop (1280 px) width under test-output/screenshots.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { expect, inject } from 'vitest';
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

/** axe-core's script, read once: evaluated in the page through DevTools, which the page's CSP does not govern. */
let axeSource: string | undefined;

/** The WCAG 2.0 and 2.1 success criteria at levels A and AA, as axe-core tags them. */
export const WCAG_AA_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: Array<{ target: unknown[]; html: string; failureSummary?: string }>;
}

/**
 * Runs axe-core on the page as it is now (WCAG 2.0/2.1 A and AA) and fails on any serious or
 * critical violation, listing each rule with the elements that break it and how to fix them.
 * Moderate and minor findings are returned, for a test that wants to look at them.
 */
export async function expectAccessible(page: Page, label: string): Promise<AxeViolation[]> {
  axeSource ??= readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async (tags) => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: object): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.map((n) => ({ target: n.target, html: n.html.slice(0, 300), failureSummary: n.failureSummary })) }));
  }, WCAG_AA_TAGS);
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const report = bad
    .map((v) => [`[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`, ...v.nodes.slice(0, 8).map((n) => `    at ${n.target.join(' ')}\n      ${n.html}\n      ${(n.failureSummary ?? '').replace(/\n/g, '\n      ')}`), v.nodes.length > 8 ? `    … and ${v.nodes.length - 8} more` : ''].filter(Boolean).join('\n'))
    .join('\n');
  if (bad.length > 0) throw new Error(`accessibility of ${label} (${page.url()}):\n${report}`);
  return violations.filter((v) => !bad.includes(v));
}

/** Nothing may stick out sideways on a phone: the page at 390 px has no horizontal overflow. */
export async function fitsPhone(page: Page): Promise<void> {
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, page.url()).toBeLessThanOrEqual(0);
}
