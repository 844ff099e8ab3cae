import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { access, readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp from 'sharp';
import { describeEachDialect } from '../../../test/dialects.js';
import { TestClock, treeEnv, type TreeEnv } from '../../../test/factories.js';
import { systemActor } from '../actor.js';
import { AppError } from '../../domain/errors.js';
import { contrastRatio } from '../../domain/sites/colour.js';
import type { SiteService } from './site.service.js';

/** A real photograph-sized PNG, drawn by sharp. */
async function png(width = 1600, height = 900, colour = '#336699'): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: colour } }).png().toBuffer();
}

async function expectCode(p: Promise<unknown>, code: string): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e, `expected ${code}`).toBeInstanceOf(AppError);
  expect((e as AppError).code).toBe(code);
  return e as AppError;
}

describeEachDialect('SiteService', (dialect) => {
  let e: TreeEnv;
  let sites: SiteService;
  const clock = new TestClock('2026-03-15T03:00:00.000Z');
  const sys = systemActor('test');

  beforeAll(async () => {
    e = await treeEnv(dialect, { clock, container: { siteImageLimits: { maxBytes: 2 * 1024 * 1024 } } });
    sites = e.c.services.sites;
  });
  afterAll(async () => {
    await e.env.dispose();
  });

  const upload = async (unitId: number, bytes: Buffer | string, name = 'anh.png', actor = e.actors.commlib) => {
    const got = await sites.receive(Readable.from([Buffer.from(bytes)]), name);
    return sites.uploadImage(actor, unitId, got);
  };
  const audits = async (action: string) => e.c.store.audit.list({ limit: 100, action });

  describe('permissions follow the library tree', () => {
    it('lets a district’s staff (subtree) edit its communes’ sites, a commune librarian only their own', async () => {
      const { distA, communeA1, communeA2, distB } = e.t;
      const managed = async (name: keyof typeof e.actors) => (await sites.managedUnits(e.actors[name])).map((u) => u.code);
      expect(await managed('distadmin')).toEqual(['DIST-A', 'COMM-A1', 'COMM-A2']);
      expect(await managed('commlib')).toEqual(['COMM-A1']);
      expect(await managed('netadmin')).toEqual(['PROV', 'DIST-A', 'COMM-A1', 'COMM-A2', 'DIST-B', 'COMM-B1']);

      await sites.updateSettings(e.actors.distadmin, communeA2.id, { accentColor: '#0a5c8a', introVi: 'Chào mừng', version: 0 });
      await sites.updateSettings(e.actors.commlib, communeA1.id, { introVi: 'Thư viện xã A1', version: 0 });
      await expectCode(sites.updateSettings(e.actors.commlib, communeA2.id, { introVi: 'x', version: 1 }), 'PERMISSION_DENIED');
      await expectCode(sites.setPublished(e.actors.commlib, distA.id, true), 'PERMISSION_DENIED');
      await expectCode(sites.createPost(e.actors.otherlib, communeA1.id, { kind: 'news', title: 'x', body: '' }), 'PERMISSION_DENIED');
      await expectCode(sites.setPublished(e.actors.distadmin, distB.id, true), 'PERMISSION_DENIED');
      // Each refusal is in the audit log; nothing was written.
      const denied = await audits('security.denied');
      expect(denied.filter((a) => (a.after as { permission?: string }).permission === 'site.manage').length).toBeGreaterThanOrEqual(4);
      expect((await sites.view(communeA2)).introVi).toBe('Chào mừng');
      expect(await e.c.store.sites.getSettings(distB.id)).toBeUndefined();
    });

    it('gives the network itself no website', async () => {
      await expectCode(sites.setPublished(sys, e.t.root.id, true), 'SITE_NOT_ELIGIBLE');
    });
  });

  describe('branding', () => {
    it('refuses an accent white text cannot be read on, suggesting one that passes', async () => {
      const err = await expectCode(sites.updateSettings(e.actors.distadmin, e.t.distA.id, { accentColor: '#f2c14e', version: 0 }), 'VALIDATION');
      const p = err.details!.find((d) => d.field === 'accentColor')!;
      expect(p.code).toBe('SITE_COLOUR_CONTRAST');
      expect(contrastRatio(String(p.params!.suggestion), '#ffffff')).toBeGreaterThanOrEqual(4.5);
      await expectCode(sites.updateSettings(e.actors.distadmin, e.t.distA.id, { accentColor: '#12;color:red', version: 0 }), 'VALIDATION');
    });

    it('saves with optimistic versions and audits before and after', async () => {
      const { distA } = e.t;
      const v1 = await sites.updateSettings(e.actors.distadmin, distA.id, { accentColor: '#A1261B', introVi: 'Giới thiệu', introEn: 'About', version: 0 });
      expect(v1).toMatchObject({ accentColor: '#a1261b', introVi: 'Giới thiệu', introEn: 'About', version: 1 });
      expect(v1.palette.accent).toBe('#a1261b');
      await expectCode(sites.updateSettings(e.actors.distadmin, distA.id, { introVi: 'Cũ', version: 0 }), 'SITE_STALE_VERSION');
      const v2 = await sites.updateSettings(e.actors.distadmin, distA.id, { accentColor: '', introVi: 'Mới', version: 1 });
      expect(v2.accentColor).toBeNull();
      const [last] = await audits('site.settings.update');
      expect(last).toMatchObject({ unitId: distA.id, actorId: e.t.users.distadmin, targetType: 'site', targetId: String(distA.id) });
      expect(last!.before).toMatchObject({ accentColor: '#a1261b', introVi: 'Giới thiệu' });
      expect(last!.after).toMatchObject({ accentColor: null, introVi: 'Mới' });
    });

    it('takes the accent colour set along the tree when the library chose none', async () => {
      await e.c.services.org.setSetting(sys, e.t.distB.id, 'site.accent_color', '#0a5c8a');
      expect((await sites.view(e.t.communeB1)).palette.accent).toBe('#0a5c8a');
      // A pale inherited colour is darkened until white text reads on it.
      await e.c.services.org.setSetting(sys, e.t.distB.id, 'site.accent_color', '#f2c14e');
      expect(contrastRatio((await sites.view(e.t.communeB1)).palette.accent, '#ffffff')).toBeGreaterThanOrEqual(4.5);
    });
  });

  describe('images', () => {
    it('stores an upload with WebP and JPEG copies 400 and 1,200 px wide, audited', async () => {
      const image = await upload(e.t.communeA1.id, await png(1600, 900), 'mat-tien.png');
      expect(image).toMatchObject({ unitId: e.t.communeA1.id, mediaType: 'image/png', width: 1600, height: 900, name: 'mat-tien.png' });
      expect(image.variants.map((v) => [v.w, v.format, v.width, v.height])).toEqual([
        [400, 'webp', 400, 225],
        [400, 'jpeg', 400, 225],
        [1200, 'webp', 1200, 675],
        [1200, 'jpeg', 1200, 675],
      ]);
      const file = await sites.imageFile(image.sha256, 1200, 'webp');
      expect(file?.mediaType).toBe('image/webp');
      await access(file!.path);
      expect((await sharp(file!.path).metadata()).format).toBe('webp');
      expect(await sites.imageFile(image.sha256, 800, 'webp')).toBeUndefined();
      expect(await e.c.store.digital.getBlob(image.sha256)).toMatchObject({ mediaType: 'image/png' });
      expect((await audits('site.image.upload'))[0]).toMatchObject({ targetId: String(image.id), unitId: e.t.communeA1.id });
    });

    it('never enlarges a small image', async () => {
      const image = await upload(e.t.communeA1.id, await png(300, 200, '#aa3300'), 'nho.png');
      expect(image.variants.every((v) => v.width === 300 && v.height === 200)).toBe(true);
    });

    it('refuses a text file renamed .png, an SVG and a file over the limit, leaving nothing behind', async () => {
      const temp = dirname(e.c.blobs.tempPath());
      const before = (await readdir(temp)).length;
      await expectCode(upload(e.t.communeA1.id, 'Đây là một tệp văn bản, không phải ảnh.', 'anh-gia.png'), 'SITE_IMAGE_TYPE');
      await expectCode(upload(e.t.communeA1.id, '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', 'logo.svg'), 'SITE_IMAGE_TYPE');
      await expectCode(upload(e.t.communeA1.id, Buffer.alloc(3 * 1024 * 1024, 1), 'to.png'), 'SITE_IMAGE_TOO_LARGE');
      const truncated = (await png(800, 600)).subarray(0, 200);
      await expectCode(upload(e.t.communeA1.id, truncated, 'hong.png'), 'SITE_IMAGE_CORRUPT');
      expect((await readdir(temp)).length).toBe(before);
    });

    it('refuses an upload to a library the actor does not manage before reading it', async () => {
      const temp = dirname(e.c.blobs.tempPath());
      const before = (await readdir(temp)).length;
      await expectCode(upload(e.t.communeA2.id, await png(), 'x.png', e.actors.commlib), 'PERMISSION_DENIED');
      expect((await readdir(temp)).length).toBe(before);
    });
  });

  describe('posts and publishing', () => {
    it('shows readers published posts of published sites only; drafts never', async () => {
      const { communeA1 } = e.t;
      const lib = e.actors.commlib;
      const draft = await sites.createPost(lib, communeA1.id, { kind: 'news', title: 'Bản nháp', body: 'Chưa xong' });
      const news = await sites.createPost(lib, communeA1.id, { kind: 'news', title: 'Khai trương phòng đọc', body: 'Nội dung **mới**' }, { publish: true });
      expect(draft).toMatchObject({ state: 'draft', publishedAt: null, authorId: e.t.users.commlib });
      expect(news).toMatchObject({ state: 'published', publishedAt: clock.now().toISOString() });

      // The site itself is not published yet: nothing shows.
      expect(await sites.latestPosts({ limit: 10 })).toEqual([]);
      await expectCode(sites.publicPost(communeA1, news.id), 'SITE_POST_NOT_FOUND');

      await sites.setPublished(lib, communeA1.id, true);
      expect((await sites.latestPosts({ limit: 10 })).map((p) => p.title)).toEqual(['Khai trương phòng đọc']);
      expect((await sites.publicPost(communeA1, news.id)).title).toBe('Khai trương phòng đọc');
      await expectCode(sites.publicPost(communeA1, draft.id), 'SITE_POST_NOT_FOUND');
      await expectCode(sites.publicPost(e.t.communeA2, news.id), 'SITE_POST_NOT_FOUND');
      expect((await sites.publicPosts(communeA1, { limit: 10 })).total).toBe(1);
      expect(await sites.publishedSites()).toEqual([{ unitId: communeA1.id, publishedAt: clock.now().toISOString() }]);

      // Publishing the draft later keeps each post's own date; correcting a post does not move it.
      clock.advance(3_600_000);
      await sites.setPostState(lib, draft.id, 'published');
      const corrected = await sites.updatePost(lib, news.id, { kind: 'news', title: 'Khai trương phòng đọc mới', body: 'Sửa' }, { version: news.version });
      expect(corrected.publishedAt).toBe(news.publishedAt);
      expect((await sites.latestPosts({ limit: 10 })).map((p) => p.title)).toEqual(['Bản nháp', 'Khai trương phòng đọc mới']);
      await expectCode(sites.updatePost(lib, news.id, { kind: 'news', title: 'x', body: '' }, { version: news.version }), 'SITE_STALE_VERSION');

      await sites.setPostState(lib, draft.id, 'draft');
      expect((await sites.latestPosts({ limit: 10 })).map((p) => p.id)).toEqual([news.id]);

      // Unpublishing the site hides everything again.
      await sites.setPublished(lib, communeA1.id, false);
      expect(await sites.latestPosts({ limit: 10 })).toEqual([]);
      expect(await sites.publishedSites()).toEqual([]);
      await sites.setPublished(lib, communeA1.id, true);

      const actions = (await audits('site.')).map((a) => a.action);
      for (const a of ['site.post.create', 'site.post.update', 'site.post.publish', 'site.post.unpublish', 'site.publish', 'site.unpublish']) expect(actions).toContain(a);
    });

    it('lists coming events soonest first, until they are over', async () => {
      const { communeA1 } = e.t;
      const lib = e.actors.commlib;
      const ev = (title: string, startsAt: string, endsAt = '') => sites.createPost(lib, communeA1.id, { kind: 'event', title, body: '', startsAt, endsAt, place: 'Sân thư viện' }, { publish: true });
      // The clock is 2026-03-15 11:00 in Việt Nam (plus an hour from the test above).
      await ev('Đã qua', '2026-03-01T08:00', '2026-03-01T11:00');
      await ev('Đang diễn ra', '2026-03-15T08:00', '2026-03-15T17:00');
      await ev('Tháng Tư', '2026-04-21T07:30');
      await ev('Tuần sau', '2026-03-21T08:00', '2026-03-21T11:00');
      expect((await sites.upcomingEvents({ limit: 10 })).map((p) => p.title)).toEqual(['Đang diễn ra', 'Tuần sau', 'Tháng Tư']);
      expect((await sites.upcomingEvents({ limit: 10, unitIds: [e.t.communeA2.id] })).length).toBe(0);
      const [first] = await sites.upcomingEvents({ limit: 1 });
      expect(first).toMatchObject({ place: 'Sân thư viện', startsAt: '2026-03-15T01:00:00.000Z', endsAt: '2026-03-15T10:00:00.000Z' });
    });

    it('takes images of its own library only, in the body or as the lead image', async () => {
      const own = await upload(e.t.communeA1.id, await png(500, 500), 'a1.png');
      const other = await upload(e.t.communeA2.id, await png(500, 500, '#990000'), 'a2.png', e.actors.distadmin);
      const ok = await sites.createPost(e.actors.commlib, e.t.communeA1.id, { kind: 'news', title: 'Ảnh', body: `![Phòng đọc](image:${own.id})`, leadImageId: String(own.id) });
      expect(ok.leadImageId).toBe(own.id);
      const err = await expectCode(sites.createPost(e.actors.commlib, e.t.communeA1.id, { kind: 'news', title: 'Ảnh lạ', body: `![x](image:${other.id})\n\n![y](image:999999)`, leadImageId: String(other.id) }), 'VALIDATION');
      expect(err.details!.map((d) => [d.field, d.code, d.params?.image])).toEqual([
        ['leadImageId', 'SITE_IMAGE_UNKNOWN', other.id],
        ['body', 'SITE_IMAGE_UNKNOWN', other.id],
        ['body', 'SITE_IMAGE_UNKNOWN', 999999],
      ]);
      const bodyErr = await expectCode(sites.createPost(e.actors.commlib, e.t.communeA1.id, { kind: 'news', title: 'Liên kết', body: '[bấm](javascript:alert(1))' }), 'VALIDATION');
      expect(bodyErr.details!.map((d) => d.code)).toEqual(['SITE_BODY_LINK']);
    });

    it('deletes a post, audited with what it held', async () => {
      const p = await sites.createPost(e.actors.distadmin, e.t.communeA1.id, { kind: 'news', title: 'Sẽ xoá', body: 'Tạm' });
      await expectCode(sites.deletePost(e.actors.otherlib, p.id), 'PERMISSION_DENIED');
      await expectCode(sites.deletePost(e.actors.distadmin, p.id, p.version + 1), 'SITE_STALE_VERSION');
      await sites.deletePost(e.actors.distadmin, p.id, p.version);
      expect(await e.c.store.sites.getPost(p.id)).toBeUndefined();
      expect((await audits('site.post.delete'))[0]).toMatchObject({ targetId: String(p.id), before: { title: 'Sẽ xoá', body: 'Tạm' } });
      await expectCode(sites.deletePost(e.actors.distadmin, p.id), 'SITE_POST_NOT_FOUND');
    });
  });
});
