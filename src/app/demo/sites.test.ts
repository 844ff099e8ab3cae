import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/dialects.js';
import { testEnv, type TestEnv } from '../../../test/factories.js';
import { firstStart } from '../setup.service.js';
import { svgToPng } from '../../adapters/image/site-images.js';

describeEachDialect('the demo network’s library websites', (dialect) => {
  let env: TestEnv;

  beforeAll(async () => {
    env = await testEnv(dialect);
    const c = env.container;
    await firstStart({ store: c.store, org: c.services.org, staff: c.services.staff, sites: { service: c.services.sites, drawImage: svgToPng } }, { demo: true });
  }, 120_000);
  afterAll(async () => {
    await env?.dispose();
  });

  it('publishes three websites with branding, news, coming events and a draft', async () => {
    const { org, sites } = env.container.services;
    const published = await sites.publishedSites();
    const codes = await Promise.all(published.map(async (p) => (await org.get(p.unitId)).code));
    expect(codes.sort()).toEqual(['HD-TT', 'PQ', 'TVKG']);
    for (const p of published) {
      const view = await sites.view(await org.get(p.unitId));
      expect(view.logo && view.banner && view.introVi && view.introEn && view.accentColor).toBeTruthy();
    }
    const news = await sites.latestPosts({ limit: 20, kind: 'news' });
    expect(news).toHaveLength(4);
    expect(news.map((n) => n.title)).toContain('Khai trương không gian đọc thiếu nhi mới');
    const events = await sites.upcomingEvents({ limit: 10 });
    expect(events.map((e) => e.title)).toEqual(['Ngày hội Sách và Văn hóa đọc', 'Giao lưu đọc sách cùng chiến sĩ Đồn Biên phòng Dương Đông']);
    const hd = await org.getByCode('HD-TT');
    expect((await env.container.store.sites.countPosts(hd.id)).draft).toBe(1);
    // Made through the use cases: audited.
    expect((await env.container.store.audit.list({ limit: 200, action: 'site.' })).length).toBeGreaterThan(15);
  });
});
