import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReadStream } from 'node:fs';
import { deflateSync } from 'node:zlib';
import { describeEachDialect } from '../../../test/dialects.js';
import { treeEnv, type TreeEnv } from '../../../test/factories.js';
import { pageImage, processQueued, scriptedOcr, writePage } from '../../../test/digital.js';
import { systemActor } from '../actor.js';
import { AppError } from '../../domain/errors.js';
import { DIGITAL_PROCESS_JOB } from './digital.service.js';

/** A PNG header declaring 100,000 × 100,000 pixels (with a correct CRC) and nothing else. */
function pngBomb(): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff]! ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100_000, 0);
  ihdr.writeUInt32BE(100_000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  // A little compressed data: a real bomb's IDAT would inflate to 30 GB.
  const idat = deflateSync(Buffer.alloc(4096));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

describeEachDialect('DigitalService', (dialect) => {
  let e: TreeEnv;
  let dir: string;
  const sys = systemActor('test');
  const ocr = scriptedOcr('Thư viện tỉnh Kiên Giang\nĐịa chí vùng đất phương Nam');

  beforeAll(async () => {
    e = await treeEnv(dialect, { container: { ocr: async () => ocr } });
    dir = await mkdtemp(join(tmpdir(), 'lt-digital-'));
  });
  afterAll(async () => {
    await e.env.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const upload = async (objectId: number, path: string, name: string, actor = sys) => {
    const got = await e.c.services.digital.receive(createReadStream(path), name);
    return e.c.services.digital.addFile(actor, objectId, { tempPath: got.path, sha256: got.sha256, size: got.size, name });
  };

  it('makes a catalogue record from the Dublin Core of a standalone object, and keeps it in step', async () => {
    const { digital, catalog } = e.c.services;
    const o = await digital.create(sys, { ownerUnitId: e.t.prov.id, dc: { title: 'Địa chí Kiên Giang', creator: ['Nhiều tác giả'], date: '2002', language: 'vi', subject: ['Kiên Giang', 'Địa chí'] }, category: 'local', licence: 'CC BY 4.0' });
    expect(o.recordId).not.toBeNull();
    expect(o.licence).toBe('cc-by');
    const rec = await catalog.get(o.recordId!);
    expect(rec.record.source).toBe(`digital:${o.id}`);
    expect(rec.derived.title).toContain('Địa chí Kiên Giang');
    expect(rec.derived.year).toBe(2002);
    expect(rec.derived.links.some((l) => l.url.endsWith(`/digital/${o.id}`))).toBe(true);
    const found = await e.c.services.search.search({ q: 'dia chi kien giang', page: 1, pageSize: 10 });
    expect(found.results.map((r) => r.id)).toContain(o.recordId);

    const changed = await digital.update(sys, o.id, { dc: { ...o.dc, title: ['Địa chí tỉnh Kiên Giang'] }, version: o.version });
    expect((await catalog.get(o.recordId!)).derived.title).toContain('Địa chí tỉnh Kiên Giang');
    await expect(digital.update(sys, o.id, { dc: o.dc, version: o.version })).rejects.toMatchObject({ code: 'DIGITAL_STALE_VERSION' });
    expect(changed.version).toBe(o.version + 1);
    // Staff find it by its title typed with or without marks, in any case.
    for (const typed of ['địa chí tỉnh', 'DIA CHI TINH', 'Kiên Giang']) {
      expect((await digital.list(sys, { titleLike: typed, limit: 10 })).map((x) => x.id), typed).toContain(o.id);
    }
  });

  it('refuses what is not valid, naming the field', async () => {
    const { digital } = e.c.services;
    await expect(digital.create(sys, { ownerUnitId: e.t.prov.id, dc: {} })).rejects.toMatchObject({ code: 'DIGITAL_INVALID', params: { reason: 'title' } });
    await expect(digital.create(sys, { ownerUnitId: e.t.prov.id, dc: { title: 'x' }, licence: 'whatever' })).rejects.toMatchObject({ code: 'DIGITAL_INVALID' });
    await expect(digital.create(sys, { ownerUnitId: e.t.prov.id, dc: { title: 'x' }, embargoUntil: '2026-13-45' })).rejects.toMatchObject({ code: 'DIGITAL_INVALID' });
    await expect(digital.create(sys, { ownerUnitId: e.t.prov.id, dc: { title: 'x' }, access: 'secret' })).rejects.toMatchObject({ code: 'DIGITAL_INVALID' });
  });

  it('checks permissions against the library tree and audits refusals', async () => {
    const { digital } = e.c.services;
    await expect(digital.create(e.actors.commlib, { ownerUnitId: e.t.communeB1.id, dc: { title: 'Không phải của tôi' } })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    const own = await digital.create(e.actors.commlib, { ownerUnitId: e.t.communeA1.id, dc: { title: 'Tài liệu của xã' } });
    // A librarian may describe and upload but not publish.
    await expect(digital.create(e.actors.commlib, { ownerUnitId: e.t.communeA1.id, dc: { title: 'x' }, state: 'published' })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(digital.update(e.actors.otherlib, own.id, { dc: { title: 'đổi' }, version: own.version })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    const denied = await e.c.store.audit.list({ action: 'security.denied', limit: 10 });
    expect(denied.length).toBeGreaterThan(0);
  });

  it('stores an uploaded page by its hash, queues its processing and moves it to scanned', async () => {
    const { digital } = e.c.services;
    const o = await digital.create(sys, { ownerUnitId: e.t.prov.id, dc: { title: 'Một trang' } });
    const page = await writePage(dir, 'p1.png', ['Trang một']);
    const file = await upload(o.id, page, 'p1.png');
    expect(file.mediaType).toBe('image/png');
    expect(file.pages).toBe(1);
    expect(await e.c.blobs.exists(file.sha256)).toBe(true);
    const after = await digital.get(o.id);
    expect(after.state).toBe('scanned');
    expect(after.processing).toBe('queued');
    const jobs = await e.c.store.jobs.findByDedupeKey(DIGITAL_PROCESS_JOB, `object:${o.id}`);
    expect(jobs.filter((j) => j.status === 'queued')).toHaveLength(1);
    // The same bytes again are stored once.
    const again = await upload(o.id, page, 'p1-copy.png');
    expect(again.sha256).toBe(file.sha256);
    expect((await digital.files(o.id)).map((f) => f.seq)).toEqual([1, 2]);
  });

  it('refuses fake and dangerous files with a clear error, storing nothing', async () => {
    const { digital } = e.c.services;
    const o = await digital.create(sys, { ownerUnitId: e.t.prov.id, dc: { title: 'Tệp xấu' } });
    const exe = join(dir, 'setup.jpg');
    await writeFile(exe, Buffer.concat([Buffer.from('MZ\x90\x00\x03\x00\x00\x00', 'binary'), Buffer.alloc(2000, 7)]));
    await expect(upload(o.id, exe, 'setup.jpg')).rejects.toMatchObject({ code: 'MEDIA_TYPE_UNSUPPORTED', params: { name: 'setup.jpg' } });
    const bomb = join(dir, 'bomb.png');
    await writeFile(bomb, pngBomb());
    await expect(upload(o.id, bomb, 'bomb.png')).rejects.toMatchObject({ code: 'MEDIA_TOO_MANY_PIXELS' });
    const corrupt = join(dir, 'broken.jpg');
    await writeFile(corrupt, (await pageImage(['x'], { format: 'jpeg' })).subarray(0, 300));
    await expect(upload(o.id, corrupt, 'broken.jpg')).rejects.toBeInstanceOf(AppError);
    expect(await digital.files(o.id)).toHaveLength(0);
    expect((await digital.get(o.id)).state).toBe('selected');
    const tmp = await readdir(join(e.c.blobs.cacheDir, '..', 'files', 'tmp'));
    expect(tmp).toEqual([]);
  });

  it('turns pages into tiles and text, and puts published text into the network search', async () => {
    const { digital, search } = e.c.services;
    const o = await digital.create(sys, { ownerUnitId: e.t.prov.id, dc: { title: 'Sổ tay văn hoá' }, category: 'local', access: 'public', licence: 'cc-by' });
    await upload(o.id, await writePage(dir, 'a.png', ['Thư viện tỉnh']), 'a.png');
    await upload(o.id, await writePage(dir, 'b.tif', ['Địa chí'], { format: 'tiff' }), 'b.tif');
    expect(await processQueued(e.c)).toBeGreaterThanOrEqual(1);
    const pages = await digital.pages(o.id);
    expect(pages).toHaveLength(2);
    for (const p of pages) {
      expect(p.pyramidSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(p.width).toBe(1200);
      expect(p.text).toContain('Kiên Giang');
      expect(p.textSource).toBe('ocr');
    }
    const words = await digital.words(pages[0]!.id);
    expect(words.find((w) => w.text === 'Kiên')).toMatchObject({ line: 0 });
    expect((await digital.get(o.id)).processing).toBe('done');

    // Not published yet: its text is not searchable.
    const before = await search.search({ q: 'phuong nam', page: 1, pageSize: 10 });
    expect(before.results.map((r) => r.id)).not.toContain(o.recordId);
    const moves = await digital.transition(sys, [o.id], 'qc');
    expect(moves[0]!.ok).toBe(true);
    await digital.transition(sys, [o.id], 'metadata');
    await digital.transition(sys, [o.id], 'published');
    const after = await search.search({ q: 'phuong nam', page: 1, pageSize: 10 });
    const hit = after.results.find((r) => r.id === o.recordId);
    expect(hit?.fullTextOnly).toBe(true);
    expect(hit?.pages[0]?.pageNo).toBe(1);

    // Made staff-only: its text leaves the shared index.
    const cur = await digital.get(o.id);
    await digital.update(sys, o.id, { access: 'staff', version: cur.version });
    const hidden = await search.search({ q: 'phuong nam', page: 1, pageSize: 10 });
    expect(hidden.results.map((r) => r.id)).not.toContain(o.recordId);
  });

  it('moves objects through the workflow in bulk with a result per object', async () => {
    const { digital } = e.c.services;
    const a = await digital.create(sys, { ownerUnitId: e.t.prov.id, dc: { title: 'A' } });
    const b = await digital.create(sys, { ownerUnitId: e.t.prov.id, dc: { title: 'B' } });
    const res = await digital.transition(sys, [a.id, b.id], 'rejected', { reason: 'Bản chụp mờ' });
    expect(res.every((r) => r.ok)).toBe(true);
    expect((await digital.get(a.id)).stateReason).toBe('Bản chụp mờ');
    const bad = await digital.transition(sys, [a.id], 'published');
    expect(bad[0]).toMatchObject({ ok: false, code: 'DIGITAL_TRANSITION', params: { reason: 'not_allowed' } });
    const noReason = await digital.transition(sys, [(await digital.create(sys, { ownerUnitId: e.t.prov.id, dc: { title: 'C' } })).id], 'rejected', { reason: ' ' });
    expect(noReason[0]).toMatchObject({ ok: false, params: { reason: 'reason_required' } });
  });

  it('decides access by level, embargo and on-site address ranges of the library', async () => {
    const { digital, org } = e.c.services;
    const mk = async (extra: object) => {
      const o = await digital.create(sys, { ownerUnitId: e.t.distA.id, dc: { title: 'Hạn chế' }, ...extra });
      await upload(o.id, await writePage(dir, `r${o.id}.png`, ['x']), 'r.png');
      await processQueued(e.c);
      await digital.transition(sys, [o.id], 'qc');
      await digital.transition(sys, [o.id], 'metadata');
      await digital.transition(sys, [o.id], 'published');
      return digital.get(o.id);
    };
    const anon = { actor: null, reader: false, ip: '203.113.7.9' };
    const onsite = await mk({ access: 'onsite' });
    expect(await digital.decide(anon, onsite)).toMatchObject({ view: false, reason: 'onsite' });
    await org.setSetting(sys, e.t.communeA1.id, 'digital.onsite_ip_ranges', '203.113.7.0/24');
    expect(await digital.decide(anon, onsite)).toMatchObject({ view: true });
    expect(await digital.decide({ ...anon, ip: '::ffff:203.113.7.20' }, onsite)).toMatchObject({ view: true });
    expect(await digital.decide({ ...anon, ip: '198.51.100.1' }, onsite)).toMatchObject({ view: false });

    const registered = await mk({ access: 'registered', watermark: true });
    expect(await digital.decide(anon, registered)).toMatchObject({ view: false, reason: 'login' });
    expect(await digital.decide({ actor: e.actors.otherlib, reader: false, ip: null }, registered)).toMatchObject({ view: true, watermark: true });

    const embargoed = await mk({ embargoUntil: '2099-01-01' });
    expect(await digital.decide(anon, embargoed)).toMatchObject({ view: false, reason: 'embargo' });
    expect(await digital.decide({ actor: e.actors.distadmin, reader: false, ip: null }, embargoed)).toMatchObject({ view: true });

    const draft = await digital.create(sys, { ownerUnitId: e.t.distA.id, dc: { title: 'Nháp' } });
    await expect(digital.viewable(anon, draft.id)).rejects.toMatchObject({ code: 'DIGITAL_OBJECT_NOT_FOUND' });
  });

  it('reports progress against the declared holdings and the 70% target', async () => {
    const { digital } = e.c.services;
    await digital.setTargets(sys, e.t.distA.id, { local: 10, thesis: 0 });
    await expect(digital.setTargets(e.actors.commlib, e.t.distA.id, { local: 5 })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(digital.setTargets(sys, e.t.distA.id, { local: -1 })).rejects.toMatchObject({ code: 'DIGITAL_INVALID' });
    const rows = await digital.progress([e.t.distA.id]);
    const local = rows.find((r) => r.category === 'local');
    expect(local).toMatchObject({ held: 10 });
    const other = rows.find((r) => r.category === 'other');
    // The objects published under DIST-A above were "other"; nothing declared there: no share.
    expect(other?.published).toBeGreaterThan(0);
    expect(other?.share).toBeNull();
    expect(local!.toTarget).toBe(7 - local!.published);
  });
});
