import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtemp, rm } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { Ajv } from 'ajv';
import ajvFormats from 'ajv-formats';
import { describeEachDialect } from '../../../test/dialects.js';
import { httpEnv, login, type HttpEnv } from '../../../test/http.js';
import { PASSWORD } from '../../../test/factories.js';
import { processQueued, scriptedOcr, writePage } from '../../../test/digital.js';
import { fixtureJson } from '../../../test/fixtures/iiif/fixtures.js';
import { systemActor } from '../../app/actor.js';
import type { StoredDigitalObject } from '../../app/ports.js';

const ajv = new Ajv({ strict: false, allErrors: true });
ajvFormats.default(ajv);
const validManifest = ajv.compile(fixtureJson('iiif_3_0.json') as object);

describeEachDialect('IIIF routes', (dialect) => {
  let h: HttpEnv;
  let dir: string;
  let open: StoredDigitalObject;
  let restricted: StoredDigitalObject;
  let draft: StoredDigitalObject;
  const sys = systemActor('test');

  const make = async (title: string, extra: Record<string, unknown>, publish: boolean) => {
    const { digital } = h.container.services;
    const o = await digital.create(sys, { ownerUnitId: h.tree.prov.id, dc: { title, language: 'vi' }, licence: 'cc-by', ...extra });
    for (const [i, text] of ['Thư viện tỉnh Kiên Giang', 'Địa chí vùng đất phương Nam'].entries()) {
      const path = await writePage(dir, `${o.id}-${i}.png`, [text], { width: 1600, height: 2200 });
      const got = await digital.receive(createReadStream(path), `trang-${i + 1}.png`);
      await digital.addFile(sys, o.id, { tempPath: got.path, sha256: got.sha256, size: got.size, name: `trang-${i + 1}.png` });
    }
    await processQueued(h.container);
    if (publish) for (const s of ['qc', 'metadata', 'published'] as const) await digital.transition(sys, [o.id], s);
    return digital.get(o.id);
  };

  beforeAll(async () => {
    h = await httpEnv(dialect, { container: { ocr: async () => scriptedOcr(['Thư viện tỉnh Kiên Giang', 'Địa chí vùng đất phương Nam\nKiên Giang xưa']) } });
    dir = await mkdtemp(join(tmpdir(), 'lt-iiif-'));
    open = await make('Sách mở', { access: 'public' }, true);
    restricted = await make('Sách hạn chế', { access: 'registered', watermark: true }, true);
    draft = await make('Bản nháp', { access: 'public' }, false);
  });
  afterAll(async () => {
    await h.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('describes an image with a level 2 info.json, with CORS for viewers elsewhere', async () => {
    const res = await h.app.inject({ url: `/iiif/3/${open.id}-1/info.json`, headers: { accept: 'application/ld+json' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('application/ld+json');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const info = res.json();
    expect(info).toMatchObject({ type: 'ImageService3', profile: 'level2', width: 1600, height: 2200, id: `http://localhost/iiif/3/${open.id}-1`, rights: 'http://creativecommons.org/licenses/by/4.0/' });
    expect(info.tiles[0].scaleFactors).toContain(1);
    const base = await h.app.inject({ url: `/iiif/3/${open.id}-1` });
    expect(base.statusCode).toBe(303);
    expect(base.headers.location).toBe(`/iiif/3/${open.id}-1/info.json`);
    const pre = await h.app.inject({ method: 'OPTIONS', url: `/iiif/3/${open.id}-1/info.json`, headers: { origin: 'https://viewer.example', 'access-control-request-method': 'GET' } });
    expect(pre.statusCode).toBe(204);
  });

  it('serves tiles, sizes, rotations and qualities, cached with a validator', async () => {
    const tile = await h.app.inject({ url: `/iiif/3/${open.id}-1/0,0,512,512/256,/0/default.jpg` });
    expect(tile.statusCode).toBe(200);
    expect(tile.headers['content-type']).toBe('image/jpeg');
    expect(tile.headers['cache-control']).toContain('public');
    const meta = await sharp(tile.rawPayload).metadata();
    expect([meta.width, meta.height]).toEqual([256, 256]);
    const again = await h.app.inject({ url: `/iiif/3/${open.id}-1/0,0,512,512/256,/0/default.jpg`, headers: { 'if-none-match': String(tile.headers.etag) } });
    expect(again.statusCode).toBe(304);
    const turned = await h.app.inject({ url: `/iiif/3/${open.id}-1/full/!200,200/90/gray.png` });
    expect(turned.headers['content-type']).toBe('image/png');
    const t = await sharp(turned.rawPayload).metadata();
    expect(t.width! > t.height!).toBe(true);
    const webp = await h.app.inject({ url: `/iiif/3/${open.id}-1/square/100,/!0/bitonal.webp` });
    expect(webp.headers['content-type']).toBe('image/webp');
  });

  it('answers bad image requests with clear 4xx errors, never a server error', async () => {
    const cases: Array<[string, number]> = [
      [`/iiif/3/${open.id}-1/5000,5000,10,10/max/0/default.jpg`, 400], // region outside the image
      [`/iiif/3/${open.id}-1/full/100000,/0/default.jpg`, 400], // larger than the region without ^
      [`/iiif/3/${open.id}-1/full/^20000,/0/default.jpg`, 400], // over the size limit
      [`/iiif/3/${open.id}-1/full/max/45/default.jpg`, 501], // arbitrary rotation
      [`/iiif/3/${open.id}-1/full/max/0/sepia.jpg`, 400],
      [`/iiif/3/${open.id}-1/full/max/0/default.gif`, 400],
      [`/iiif/3/${open.id}-1/0,0,0,10/max/0/default.jpg`, 400],
      [`/iiif/3/..%2F..%2Fetc%2Fpasswd/info.json`, 404],
      [`/iiif/3/${open.id}-1%2F..%2F..%2Ffiles/info.json`, 404],
      [`/iiif/3/${open.id}-999/info.json`, 404],
      [`/iiif/3/999999-1/info.json`, 404],
      [`/iiif/3/${'9'.repeat(40)}-1/info.json`, 404],
      [`/iiif/3/${open.id}/../../../../etc/passwd`, 404],
    ];
    for (const [url, status] of cases) {
      const res = await h.app.inject({ url });
      expect(res.statusCode, url).toBe(status);
      if (res.statusCode !== 404) expect(res.json().error.message, url).toBeTruthy();
    }
  });

  it('builds a valid Presentation 3 manifest, collections, and search inside with word boxes', async () => {
    const res = await h.app.inject({ url: `/iiif/3/${open.id}/manifest` });
    expect(res.statusCode).toBe(200);
    const m = res.json();
    expect(validManifest(m), JSON.stringify(validManifest.errors?.slice(0, 3))).toBe(true);
    expect(m.items).toHaveLength(2);
    expect(m.items[0].items[0].items[0].body.service[0]).toMatchObject({ id: `http://localhost/iiif/3/${open.id}-1`, type: 'ImageService3', profile: 'level2' });
    expect(m.rights).toBe('http://creativecommons.org/licenses/by/4.0/');

    const top = (await h.app.inject({ url: '/iiif/3/collection/top' })).json();
    expect(validManifest(top)).toBe(true);
    const lib = (await h.app.inject({ url: `/iiif/3/collection/library/${h.tree.prov.code}` })).json();
    const ids = lib.items.map((i: { id: string }) => i.id);
    expect(ids).toContain(`http://localhost/iiif/3/${open.id}/manifest`);
    expect(ids).not.toContain(`http://localhost/iiif/3/${draft.id}/manifest`);

    const found = (await h.app.inject({ url: `/iiif/3/${open.id}/search?q=kien%20giang` })).json();
    expect(found.type).toBe('AnnotationPage');
    const targets = found.items.map((a: { target: unknown }) => JSON.stringify(a.target));
    expect(targets.some((t: string) => t.includes(`/canvas/1#xywh=`))).toBe(true);
    expect(targets.some((t: string) => t.includes(`/canvas/2#xywh=`))).toBe(true);
    const none = (await h.app.inject({ url: `/iiif/3/${open.id}/search?q=${encodeURIComponent('<script>')}` })).json();
    expect(none.items).toEqual([]);

    const alto = await h.app.inject({ url: `/iiif/3/${open.id}/page/2/alto` });
    expect(alto.headers['content-type']).toContain('application/xml');
    expect(alto.body).toContain('CONTENT="Kiên"');
    // Pages are read in parallel, so which scripted text a page got is not fixed: compare with what is stored.
    const text = await h.app.inject({ url: `/iiif/3/${open.id}/page/2/text` });
    const stored = (await h.container.services.digital.pages(open.id))[1]!.text;
    expect(text.body).toBe(stored);
    expect(['Thư viện tỉnh Kiên Giang', 'Địa chí vùng đất phương Nam\nKiên Giang xưa']).toContain(text.body);
  });

  it('enforces rights the same way on manifests, tiles, text, search and the API', async () => {
    const urls = [`/iiif/3/${restricted.id}/manifest`, `/iiif/3/${restricted.id}-1/info.json`, `/iiif/3/${restricted.id}-1/full/max/0/default.jpg`, `/iiif/3/${restricted.id}/page/1/text`, `/iiif/3/${restricted.id}/search?q=kien`, `/api/v1/digital/objects/${restricted.id}`];
    for (const url of urls) {
      const res = await h.app.inject({ url });
      expect(res.statusCode, url).toBe(401);
      expect(res.json().error.code).toBe('DIGITAL_ACCESS_LOGIN');
    }
    for (const url of [`/iiif/3/${draft.id}/manifest`, `/iiif/3/${draft.id}-1/info.json`, `/api/v1/digital/objects/${draft.id}`]) {
      expect((await h.app.inject({ url })).statusCode, url).toBe(404);
    }
    // Signed in, the restricted object opens, with a watermark on derived images and private caching.
    const { jar } = await login(h.app, 'otherlib', PASSWORD);
    const full = await h.app.inject({ url: `/iiif/3/${restricted.id}-1/full/!400,400/0/default.jpg`, headers: { cookie: jar.header } });
    expect(full.statusCode).toBe(200);
    expect(full.headers['cache-control']).toContain('private');
    const plain = await h.app.inject({ url: `/iiif/3/${open.id}-1/full/!400,400/0/default.jpg` });
    const a = await sharp(full.rawPayload).greyscale().raw().toBuffer();
    const b = await sharp(plain.rawPayload).greyscale().raw().toBuffer();
    // The watermark darkens part of an otherwise white page.
    const mean = (buf: Buffer) => buf.reduce((s, v) => s + v, 0) / buf.length;
    expect(mean(a)).toBeLessThan(mean(b));
    const manifest = await h.app.inject({ url: `/iiif/3/${restricted.id}/manifest`, headers: { cookie: jar.header } });
    expect(manifest.statusCode).toBe(200);
    // The draft stays invisible to staff of another library, visible to the owning library's.
    expect((await h.app.inject({ url: `/iiif/3/${draft.id}/manifest`, headers: { cookie: jar.header } })).statusCode).toBe(404);
    const admin = await login(h.app, 'netadmin', PASSWORD);
    expect((await h.app.inject({ url: `/iiif/3/${draft.id}/manifest`, headers: { cookie: admin.jar.header } })).statusCode).toBe(200);
  });
});
