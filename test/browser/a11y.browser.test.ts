/**
 * Accessibility in a real browser (Debian's Chromium, driven by playwright-core) against a real
 * server with the demo network, its catalogue and a digitised book: axe-core (WCAG 2.0 and 2.1,
 * levels A and AA) on every page type, public and staff, at phone (390 px) and desktop (1280 px)
 * width, failing on any serious or critical violation; and the keyboard: the skip link comes
 * first, then the search box; every element Tab reaches shows where the focus is; the search's
 * filters and its results are reached and used with the keyboard alone.
 *
 * A new page type is one line in `pageTable` below.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { chromiumPath, expectAccessible, launchBrowser, signIn } from './harness.js';
import { buildApp, type App } from '../../src/http/app.js';
import { firstStart } from '../../src/app/setup.service.js';
import { systemActor } from '../../src/app/actor.js';
import { TestClock, testEnv, type TestEnv } from '../factories.js';
import { processQueued, scriptedOcr, writePage } from '../digital.js';

/** What the page table needs to know about the data the test made. */
interface Ids {
  record: number;
  book: number;
  collection: string;
  unit: number;
  user: number;
  item: number;
}

/** Every page type: [name, path, needs a signed-in staff member]. Add new page types here. */
function pageTable(ids: Ids): ReadonlyArray<readonly [string, string, boolean]> {
  return [
    ['portal', '/', false],
    ['libraries', '/libraries', false],
    ['library', '/l/thu-vien-tinh', false],
    ['search results', '/search?q=van+hoc', false],
    ['search with a facet', '/search?q=viet+nam&language=fre', false],
    ['search, nothing found', '/search?q=nhat+ky+trong+tuu', false],
    ['search help', '/search/help', false],
    ['record', `/record/${ids.record}`, false],
    ['browse', '/browse', false],
    ['browse subjects', '/browse/subjects', false],
    ['browse authors', '/browse/authors', false],
    ['browse classes', '/browse/classes', false],
    ['browse collections', '/browse/collections', false],
    ['new arrivals', '/browse/new', false],
    ['digital library', '/digital', false],
    ['digital reader', `/digital/${ids.book}`, false],
    ['digital reader, text', `/digital/${ids.book}?view=text&page=2`, false],
    ['digital reader, search inside', `/digital/${ids.book}?q=Trang`, false],
    ['digital collection', `/digital/collections/${ids.collection}`, false],
    ['offline page', '/offline', false],
    ['not found', '/no-such-page', false],
    ['reader sign-in', '/account/login', false],
    ['reader registration', '/account/register', false],
    ['staff login', '/staff/login', false],
    ['staff home', '/staff', true],
    ['staff tree', '/staff/org', true],
    ['staff unit', `/staff/org/${ids.unit}`, true],
    ['staff unit edit', `/staff/org/${ids.unit}/edit`, true],
    ['staff groups', '/staff/groups', true],
    ['staff catalogue', '/staff/catalogue', true],
    ['staff catalogue search', '/staff/catalogue?q=van+hoc', true],
    ['staff record', `/staff/catalogue/records/${ids.record}`, true],
    ['staff record editor (MARC)', `/staff/catalogue/records/${ids.record}/marc`, true],
    ['staff record editor (simple)', `/staff/catalogue/records/${ids.record}/simple`, true],
    ['staff item', `/staff/catalogue/items/${ids.item}/edit`, true],
    ['staff imports', '/staff/catalogue/imports', true],
    ['staff digital', '/staff/digital', true],
    ['staff digital object', `/staff/digital/${ids.book}`, true],
    ['staff digital page', `/staff/digital/${ids.book}/pages/1`, true],
    ['staff digital collections', '/staff/digital/collections', true],
    ['staff digital ingest', '/staff/digital/ingest', true],
    ['staff jobs', '/staff/jobs', true],
    ['staff users', '/staff/users', true],
    ['staff user', `/staff/users/${ids.user}`, true],
    ['staff audit', '/staff/audit', true],
    ['staff account', '/staff/account', true],
    ['staff readers', '/staff/readers', true],
    ['staff library sites', '/staff/sites', true],
    ['staff library site', `/staff/sites/${ids.unit}`, true],
    ['staff site branding', `/staff/sites/${ids.unit}/branding`, true],
    ['staff site news post', `/staff/sites/${ids.unit}/posts/new`, true],
  ];
}

describe.skipIf(!chromiumPath)('accessibility in a real browser', () => {
  let env: TestEnv;
  let app: App;
  let browser: Browser;
  let base: string;
  let dir: string;
  let adminPassword: string;
  const ids: Ids = { record: 0, book: 0, collection: '', unit: 0, user: 0, item: 0 };

  beforeAll(async () => {
    env = await testEnv('sqlite', { clock: new TestClock('2026-11-24T03:00:00.000Z'), container: { ocr: async () => scriptedOcr('Trang sách số hoá\nĐịa chí Kiên Giang') } });
    const c = env.container;
    const accounts = await firstStart({ store: c.store, org: c.services.org, staff: c.services.staff, catalog: c.services.catalog }, { demo: true });
    adminPassword = accounts.find((a) => a.username === 'admin')!.password;
    const sys = systemActor('test');
    const tvkg = await c.services.org.getByCode('TVKG');
    ids.unit = tvkg.id;
    ids.user = (await c.store.staff.getWithHash('bienmuc'))!.id;
    ids.record = (await c.services.search.search({ q: 'truyen kieu' })).results[0]!.id;
    ids.item = (await c.store.catalog.itemsOfRecord(ids.record))[0]!.id;
    dir = await mkdtemp(join(tmpdir(), 'lt-a11y-'));
    const coll = await c.services.digital.createCollection(sys, { ownerUnitId: tvkg.id, code: 'dia-chi', nameVi: 'Địa chí Kiên Giang', nameEn: 'Kiên Giang local studies', description: 'Tư liệu địa phương.' });
    ids.collection = coll.code;
    const files = [];
    for (let i = 1; i <= 3; i++) files.push(await c.services.digital.storeFile(await writePage(dir, `p${i}.png`, [`Trang ${i}`], { width: 800, height: 1100 }), `p${i}.png`));
    const made = await c.services.digital.createWithFiles(
      sys,
      { ownerUnitId: tvkg.id, source: 'test', dc: { title: 'Địa chí Kiên Giang, tập 1', creator: ['Nhiều tác giả'], date: '2002', description: 'Địa chí tỉnh.' }, category: 'local', licence: 'cc-by', state: 'published', collectionIds: [coll.id] },
      files,
    );
    ids.book = made.id;
    await processQueued(c);
    app = await buildApp({ services: c.services, store: c.store, clock: env.clock, sessionSecret: 'browser-test-secret-0123456789abcdefghij', baseUrl: 'http://127.0.0.1' });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await env?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** Opens each page of the table at both widths and runs axe on it; all problems are reported together. */
  async function checkPages(page: Page, staff: boolean): Promise<void> {
    const failures: string[] = [];
    for (const [name, path, needsStaff] of pageTable(ids)) {
      if (needsStaff !== staff) continue;
      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
        const res = await page.goto(`${base}${path}`);
        expect(res?.status(), `${name} (${path})`).toBe(name === 'not found' ? 404 : 200);
        if (staff) expect(new URL(page.url()).pathname, `${name}: still signed in`).toBe(path.split('?')[0]);
        await page.waitForLoadState('load');
        try {
          await expectAccessible(page, `${name} at ${width} px`);
        } catch (e) {
          failures.push((e as Error).message);
        }
      }
    }
    // Every page's findings at once, not just the first page's.
    if (failures.length > 0) throw new Error(`${failures.length} page checks failed:\n\n${failures.join('\n\n')}`);
  }

  async function newContext(): Promise<{ context: BrowserContext; page: Page }> {
    // No service worker here: every check sees what the server sent.
    const context = await browser.newContext({ locale: 'vi-VN', serviceWorkers: 'block' });
    return { context, page: await context.newPage() };
  }

  it('has no serious or critical violation on any public page, at 390 and 1280 px', async () => {
    const { context, page } = await newContext();
    await checkPages(page, false);
    await context.close();
  }, 300_000);

  it('has no serious or critical violation on any staff page, at 390 and 1280 px', async () => {
    const { context, page } = await newContext();
    await signIn(page, base, 'admin', adminPassword, '/staff');
    await checkPages(page, true);
    await context.close();
  }, 300_000);

  /** What has the focus now, and whether it can be seen: an outline or a ring around it. */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      if (!el || el === document.body) return null;
      const s = getComputedStyle(el);
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2 && !/rgba\(\d+, \d+, \d+, 0\)|transparent/.test(s.outlineColor);
      const ring = s.boxShadow !== 'none' && !/rgba\(\d+, \d+, \d+, 0\)/.test(s.boxShadow);
      const r = el.getBoundingClientRect();
      const label = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40) || (el as HTMLInputElement).name || '';
      return { tag: el.tagName.toLowerCase(), id: el.id, cls: el.className, label, visible: outline || ring, shown: r.width > 0 && r.height > 0, sel: `${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}${typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : ''} “${label}”` };
    });

  it('is used with the keyboard: skip link first, then the search box; focus always visible', async () => {
    const { context, page } = await newContext();
    for (const width of [390, 1280]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await page.goto(`${base}/`);
      await page.keyboard.press('Tab');
      const skip = await focused(page);
      expect(skip?.cls).toBe('skip-link');
      expect(skip?.visible && skip.shown, 'the skip link shows when focused').toBe(true);
      expect(await page.locator('.skip-link').boundingBox().then((b) => b!.x >= 0 && b!.y >= 0)).toBe(true);
      await page.keyboard.press('Tab');
      expect((await focused(page))?.cls).toBe('brand');
      await page.keyboard.press('Tab');
      expect((await focused(page))?.id).toBe('site-q');
      // The skip link moves the focus to the main content.
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Shift+Tab');
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => document.activeElement?.id)).toBe('main');
    }

    // On every kind of page, each element Tab reaches shows the focus.
    const hidden: string[] = [];
    const paths = ['/', '/libraries', '/l/thu-vien-tinh', '/search?q=viet+nam', `/record/${ids.record}`, '/search/help', '/browse', '/browse/subjects', '/digital', `/digital/${ids.book}`];
    for (const path of [...paths, `/digital/collections/${ids.collection}`, '/offline', '/account/login', '/staff/login']) {
      for (const width of [390, 1280]) {
        await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
        await page.goto(`${base}${path}`);
        await page.waitForLoadState('load');
        const seen = new Set<string>();
        for (let i = 0; i < 80; i++) {
          await page.keyboard.press('Tab');
          const f = await focused(page);
          if (!f) break;
          if (seen.has(f.sel) && i > 5) break;
          seen.add(f.sel);
          if (!f.visible || !f.shown) hidden.push(`${path} at ${width} px: ${f.sel} (${f.visible ? 'no size' : 'no focus indicator'})`);
        }
      }
    }
    expect(hidden, hidden.join('\n')).toEqual([]);
    await context.close();
  }, 300_000);

  it('reaches and uses the search filters and the results with the keyboard alone', async () => {
    const { context, page } = await newContext();
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await page.goto(`${base}/search?q=viet+nam`);
      await page.waitForLoadState('load');
      const reached = { summary: false, facet: false, result: false };
      for (let i = 0; i < 250 && !(reached.facet && reached.result); i++) {
        await page.keyboard.press('Tab');
        const where = await page.evaluate(() => {
          const el = document.activeElement!;
          return {
            summary: el.matches('details.facets-box > summary'),
            facet: el.matches('form.facet-form input[type="checkbox"], form.facet-form input[type="radio"]'),
            result: el.matches('ol.results .result-title a'),
            open: document.querySelector('details.facets-box')?.hasAttribute('open') ?? true,
          };
        });
        // Folded on a phone: the keyboard opens it.
        if (where.summary && !where.open) await page.keyboard.press('Enter');
        reached.summary ||= where.summary;
        reached.facet ||= where.facet;
        reached.result ||= where.result;
      }
      expect(reached, `at ${width} px`).toMatchObject({ facet: true, result: true });
    }

    // A facet value ticked with the space bar applies the filter; Enter on a result opens it.
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(`${base}/search?q=viet+nam`);
    await page.waitForFunction(() => document.querySelector('details.facets-box')?.hasAttribute('open') ?? true);
    const french = page.locator('fieldset.facet', { hasText: 'Ngôn ngữ' }).getByLabel(/Tiếng Pháp/);
    await french.focus();
    await page.keyboard.press('Space');
    await page.waitForURL(/language=fre/);
    await page.locator('ol.results .result-title a').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/record\/\d+$/);
    await context.close();
  }, 180_000);
});
