import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describeEachDialect, type TestDialect } from '../../../test/dialects.js';
import { treeEnv, type TreeEnv } from '../../../test/factories.js';
import { pageImage, scriptedOcr, writePage } from '../../../test/digital.js';
import { codeOf, count } from '../../../test/expect.js';
import { systemActor } from '../actor.js';
import { DIGITAL_PROCESS_JOB } from './digital.service.js';
import { INGEST_JOB, insideFolder, type IngestParams } from './ingest.service.js';

const HEADER = 'title,creator,date,language,files,access,license,category,subject,description';
const sha256 = async (path: string) => createHash('sha256').update(await readFile(path)).digest('hex');

describeEachDialect('IngestService', (dialect: TestDialect) => {
  let e: TreeEnv;
  let dir: string;
  let folder: string;
  let manifests = 0;
  const sys = systemActor('test');

  beforeAll(async () => {
    e = await treeEnv(dialect, { container: { ocr: async () => scriptedOcr('không dùng') } });
    dir = await mkdtemp(join(tmpdir(), 'lt-ingest-'));
    folder = join(dir, 'scans');
    await mkdir(folder);
    await writePage(folder, 'p1.png', ['Trang một']);
    await writePage(folder, 'p2.jpg', ['Trang hai'], { format: 'jpeg' });
    // A two-page TIFF, as scanners write whole books.
    const pages = await Promise.all([pageImage(['Bìa'], { width: 600, height: 850 }), pageImage(['Trang 1'], { width: 600, height: 850 })]);
    await writeFile(join(folder, 'book.tif'), await sharp(pages, { join: { animated: true } }).tiff().toBuffer());
    // A file beside the folder: a manifest must not reach it.
    await writePage(dir, 'outside.png', ['Không được lấy']);
  });
  afterAll(async () => {
    await e.env.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  /** Writes a manifest (a new file each time) and returns its path. */
  const manifest = async (text: string | Buffer) => {
    const path = join(dir, `manifest-${++manifests}.csv`);
    await writeFile(path, text);
    return path;
  };
  const params = (path: string, unitId = e.t.communeA2.id, f = folder): IngestParams => ({ folder: f, manifest: path, unitId, defaults: {} });
  const ingestJobs = async () => (await e.c.store.jobs.list({ kind: INGEST_JOB, limit: 1000 })).length;
  const processJobs = async () => (await e.c.store.jobs.list({ kind: DIGITAL_PROCESS_JOB, limit: 1000 })).length;

  it('creates an object per good row and reports every row: missing files, paths outside the folder, blank rows', async () => {
    const { ingest, digital } = e.c.services;
    const nfd = (s: string) => s.normalize('NFD');
    const m = await manifest(
      [
        HEADER,
        // Decomposed (NFD) text, as some Mac and Windows tools save it.
        `"${nfd('Địa chí Kiên Giang')}",${nfd('Nhiều tác giả')},2002,vie,book.tif;p1.png,public,cc-by,local,${nfd('Kiên Giang|Địa chí')},"Sách, bản đồ và ảnh"`,
        `"Truyện cổ Hòn Đất","Lê Văn A|Trần Thị B",1998,vie,p2.jpg,registered,CC BY-SA 4.0,old_rare,Truyện cổ,Sưu tầm ở Hòn Đất`,
        `"Sách thiếu trang",Ai đó,1999,vie,missing.png,public,cc-by,local,,`,
        `"Ra ngoài thư mục",Ai đó,1999,vie,../outside.png,public,cc-by,local,,`,
        ',,,,,,,,,',
        `"Quyền sai",Ai đó,1999,vie,p1.png,secret,cc-by,local,,`,
      ].join('\n') + '\n',
    );
    const processBefore = await processJobs();
    const started = await ingest.start(e.actors.distadmin, params(m));
    expect(started).toMatchObject({ resumed: false, total: 6, job: { kind: INGEST_JOB, status: 'queued', unitId: e.t.communeA2.id } });

    const done = await ingest.run(started.job.id, { owner: 'test' });
    expect(done).toMatchObject({ status: 'done', checkpoint: 6, summary: { rows: 6, created: 2, failed: 3, skipped: 1 } });
    const results = await ingest.results(started.job.id, { limit: 100 });
    expect(results.map((r) => [r.seq, r.outcome])).toEqual([
      [1, 'created'],
      [2, 'created'],
      [3, 'failed'],
      [4, 'failed'],
      [5, 'skipped'],
      [6, 'failed'],
    ]);
    expect(results[0]!.label).toBe('Địa chí Kiên Giang');
    expect(results[2]!.problems).toEqual([{ code: 'DIGITAL_FILE_NOT_FOUND', params: { file: 'missing.png' } }]);
    expect(results[3]!.problems).toEqual([{ code: 'INGEST_MANIFEST_INVALID', params: { reason: expect.stringContaining('outside the folder') } }]);
    expect(results[4]!.problems).toEqual([]);
    expect(results[5]!.problems).toEqual([{ code: 'DIGITAL_INVALID', params: { reason: 'access=secret' } }]);
    expect(results.filter((r) => r.outcome !== 'created').every((r) => r.objectId === null)).toBe(true);
    // The file outside the folder was not copied into the store.
    expect(await e.c.blobs.exists(await sha256(join(dir, 'outside.png')))).toBe(false);

    const first = await digital.get(results[0]!.objectId!);
    expect(first).toMatchObject({
      title: 'Địa chí Kiên Giang',
      dc: { title: ['Địa chí Kiên Giang'], creator: ['Nhiều tác giả'], date: ['2002'], language: ['vie'], subject: ['Kiên Giang', 'Địa chí'], description: ['Sách, bản đồ và ảnh'] },
      category: 'local',
      access: 'public',
      licence: 'cc-by',
      ownerUnitId: e.t.communeA2.id,
      state: 'scanned',
      processing: 'queued',
      source: `ingest:${started.job.id}:1`,
      createdBy: e.t.users.distadmin,
    });
    // Stored as NFC, whatever the manifest held.
    expect(first.dc.subject![1]).toBe('Địa chí'.normalize('NFC'));
    expect(first.title === first.title.normalize('NFC')).toBe(true);
    const files = await digital.files(first.id);
    expect(files.map((f) => [f.seq, f.name, f.mediaType, f.pages])).toEqual([
      [1, 'book.tif', 'image/tiff', 2],
      [2, 'p1.png', 'image/png', 1],
    ]);
    expect(files.map((f) => f.sha256)).toEqual([await sha256(join(folder, 'book.tif')), await sha256(join(folder, 'p1.png'))]);
    for (const f of files) expect(await e.c.blobs.exists(f.sha256)).toBe(true);

    const second = await digital.get(results[1]!.objectId!);
    expect(second).toMatchObject({ title: 'Truyện cổ Hòn Đất', dc: { creator: ['Lê Văn A', 'Trần Thị B'], subject: ['Truyện cổ'] }, category: 'old_rare', access: 'registered', licence: 'cc-by-sa', ownerUnitId: e.t.communeA2.id });
    expect((await digital.files(second.id)).map((f) => f.name)).toEqual(['p2.jpg']);

    // One processing job per created object, and none for the rest.
    for (const o of [first, second]) {
      const jobs = await e.c.store.jobs.findByDedupeKey(DIGITAL_PROCESS_JOB, `object:${o.id}`);
      expect(jobs.map((j) => j.status)).toEqual(['queued']);
    }
    expect(await processJobs()).toBe(processBefore + 2);
    const audits = await e.c.store.audit.list({ action: 'digital.ingest.finish', limit: 10 });
    expect(audits.find((a) => a.targetId === String(started.job.id))).toBeDefined();
  });

  it('refuses a manifest with an unknown, a repeated or no title column before queueing anything', async () => {
    const { ingest } = e.c.services;
    const before = await ingestJobs();
    const cases: [string, RegExp][] = [
      ['title,files,mau_sac\nA,p1.png,đỏ\n', /mau_sac/],
      ['title,files,Title\nA,p1.png,B\n', /"title" appears twice/],
      ['creator,files\nAi đó,p1.png\n', /"title"/],
      ['', /empty/],
    ];
    for (const [text, reason] of cases) {
      const got = await codeOf(ingest.start(sys, params(await manifest(text))));
      expect(got.code).toBe('INGEST_MANIFEST_INVALID');
      expect(String(got.params.reason)).toMatch(reason);
    }
    expect(await codeOf(ingest.start(sys, params(join(dir, 'no-such.csv'))))).toMatchObject({ code: 'INGEST_MANIFEST_INVALID' });
    expect(await ingestJobs()).toBe(before);
  });

  it('refuses a folder that does not exist', async () => {
    const m = await manifest('title,files\nA,p1.png\n');
    const before = await ingestJobs();
    expect(await codeOf(e.c.services.ingest.start(sys, params(m, e.t.prov.id, join(dir, 'not-here'))))).toEqual({ code: 'INGEST_FOLDER_NOT_FOUND', params: { folder: join(dir, 'not-here') } });
    // A file is not a folder either.
    expect(await codeOf(e.c.services.ingest.start(sys, params(m, e.t.prov.id, join(folder, 'p1.png'))))).toMatchObject({ code: 'INGEST_FOLDER_NOT_FOUND' });
    expect(await ingestJobs()).toBe(before);
  });

  it('reads a semicolon-separated manifest with a byte order mark', async () => {
    const { ingest, digital } = e.c.services;
    const m = await manifest(Buffer.from('\uFEFFTitle;Files;Subject;Date\r\n"Ảnh làng; xã";"p1.png;p2.jpg";Làng|Xã;1930\r\n', 'utf8'));
    const { job } = await ingest.start(sys, params(m, e.t.prov.id));
    const done = await ingest.run(job.id, { owner: 'test' });
    expect(done.summary).toMatchObject({ rows: 1, created: 1, failed: 0 });
    const [row] = await ingest.results(job.id, { limit: 10 });
    const o = await digital.get(row!.objectId!);
    expect(o.dc).toEqual({ title: ['Ảnh làng; xã'], subject: ['Làng', 'Xã'], date: ['1930'] });
    expect((await digital.files(o.id)).map((f) => f.name)).toEqual(['p1.png', 'p2.jpg']);
  });

  it('resumes an interrupted ingest where it stopped, landing every row exactly once', async () => {
    const { ingest } = e.c.services;
    const rows = ['Một', 'Hai', 'Ba', 'Bốn', 'Năm'].map((n, i) => `"Tập ${n}",,${1990 + i},vie,${i % 2 ? 'p2.jpg' : 'p1.png'},,,local,,`);
    const m = await manifest([HEADER, ...rows].join('\n') + '\n');
    const objectsBefore = await count(e.c, 'digital_objects');
    const { job } = await ingest.start(sys, params(m, e.t.distA.id));
    // Two rows land, then the process "dies" holding the lease.
    const stopped = await ingest.run(job.id, { owner: 'dead-process', stopAfterRows: 2 });
    expect(stopped).toMatchObject({ status: 'running', checkpoint: 2 });
    expect(await count(e.c, 'digital_objects')).toBe(objectsBefore + 2);

    // The same command again finds the job; while the lease holds it is busy…
    const again = await ingest.start(sys, params(m, e.t.distA.id));
    expect(again).toMatchObject({ resumed: true, total: 5, job: { id: job.id } });
    expect(await codeOf(ingest.run(job.id, { owner: 'cli' }))).toMatchObject({ code: 'JOB_BUSY' });
    // …and once the lease runs out it continues from row 3.
    e.env.clock.advance(10 * 60_000 + 1);
    const done = await ingest.run(job.id, { owner: 'cli' });
    expect(done).toMatchObject({ status: 'done', checkpoint: 5, summary: { rows: 5, created: 5, failed: 0, skipped: 0 } });
    const results = await ingest.results(job.id, { limit: 100 });
    expect(results.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(new Set(results.map((r) => r.objectId)).size).toBe(5);
    expect(await count(e.c, 'digital_objects')).toBe(objectsBefore + 5);
    const titles = (await e.c.store.digital.listObjects({ unitIds: [e.t.distA.id], limit: 100 })).filter((o) => o.source.startsWith(`ingest:${job.id}:`)).map((o) => o.title);
    expect(titles.sort()).toEqual(['Tập Ba', 'Tập Bốn', 'Tập Hai', 'Tập Một', 'Tập Năm']);

    // Finished: the same folder and manifest again are refused, unless asked for on purpose.
    expect(await codeOf(ingest.start(sys, params(m, e.t.distA.id)))).toMatchObject({ code: 'INGEST_DONE', params: { job: job.id } });
    const second = await ingest.start(sys, params(m, e.t.distA.id), { again: true });
    expect(second.resumed).toBe(false);
    expect(second.job.id).not.toBe(job.id);
  });

  it('creates nothing twice when it dies between landing a row and recording it', async () => {
    const { ingest } = e.c.services;
    const { jobs, digital } = e.c.store;
    const rows = ['Đông', 'Tây', 'Nam', 'Bắc'].map((n) => `"Hướng ${n}",,,vie,p2.jpg,,,,,`);
    const m = await manifest([HEADER, ...rows].join('\n') + '\n');
    const objectsBefore = await count(e.c, 'digital_objects');
    const { job } = await ingest.start(sys, params(m, e.t.distB.id));
    /** Runs the job with `method` failing on its `nth` call, as a lost connection or a killed process would. */
    const dieOn = async <T extends object, K extends keyof T & string>(target: T, method: K, nth: number) => {
      const real = (target[method] as (...a: unknown[]) => Promise<unknown>).bind(target);
      let calls = 0;
      const spy = vi.spyOn(target, method as never).mockImplementation((async (...a: unknown[]) => {
        if (++calls === nth) throw new Error('Connection terminated unexpectedly');
        return real(...a);
      }) as never);
      try {
        await expect(ingest.run(job.id, { owner: `process-${method}` })).rejects.toThrow('Connection terminated');
      } finally {
        spy.mockRestore();
      }
      e.env.clock.advance(10 * 60_000 + 1);
    };
    // Row 1 lands; row 2's object is created, then the process dies before its result is written…
    await dieOn(digital, 'appendIngestResults', 2);
    expect(await count(e.c, 'digital_objects')).toBe(objectsBefore + 2);
    // …and on the next run, row 3's result is written but the checkpoint is not.
    await dieOn(jobs, 'progress', 2);
    expect(await count(e.c, 'digital_objects')).toBe(objectsBefore + 3);

    const done = await ingest.run(job.id, { owner: 'cli' });
    expect(done).toMatchObject({ status: 'done', checkpoint: 4, summary: { rows: 4, created: 4, failed: 0 } });
    const results = await ingest.results(job.id, { limit: 100 });
    expect(results.map((r) => [r.seq, r.outcome])).toEqual([
      [1, 'created'],
      [2, 'created'],
      [3, 'created'],
      [4, 'created'],
    ]);
    expect(await count(e.c, 'digital_objects')).toBe(objectsBefore + 4);
    const mine = (await digital.listObjects({ unitIds: [e.t.distB.id], limit: 100 })).filter((o) => o.source.startsWith(`ingest:${job.id}:`));
    expect(mine.map((o) => o.id).sort((a, b) => a - b)).toEqual(results.map((r) => r.objectId));
    for (const o of mine) expect(await jobs.findByDedupeKey(DIGITAL_PROCESS_JOB, `object:${o.id}`)).toHaveLength(1);
  });

  it('resumes an ingest the job runner gave up on, when the same command is run again', async () => {
    const { ingest } = e.c.services;
    const rows = ['Xuân', 'Hạ', 'Thu'].map((n) => `"Mùa ${n}",,,vie,p1.png,,,,,`);
    const m = await manifest([HEADER, ...rows].join('\n') + '\n');
    const { job } = await ingest.start(sys, params(m, e.t.prov.id));
    await ingest.run(job.id, { owner: 'worker', stopAfterRows: 1 });
    // The runner's last attempt failed (say, the disk holding the scans went away).
    await e.c.store.jobs.finish(job.id, 'worker', 'failed', { error: 'EIO: i/o error, read' }, e.c.clock.now().toISOString());
    expect((await ingest.job(job.id)).status).toBe('failed');

    const again = await ingest.start(sys, params(m, e.t.prov.id));
    expect(again).toMatchObject({ resumed: true, job: { id: job.id } });
    const done = await ingest.run(job.id, { owner: 'cli' });
    expect(done).toMatchObject({ status: 'done', summary: { rows: 3, created: 3 } });
    expect((await ingest.results(job.id, { limit: 10 })).map((r) => [r.seq, r.outcome])).toEqual([
      [1, 'created'],
      [2, 'created'],
      [3, 'created'],
    ]);
  });

  it('is run by the job runner when queued', async () => {
    const m = await manifest('title,files\n"Từ hàng đợi",p2.jpg\n');
    const { job } = await e.c.services.ingest.start(sys, params(m, e.t.prov.id));
    // Out of the way: the processing jobs the tests above queued (the runner takes the oldest first).
    for (const j of await e.c.store.jobs.list({ status: 'queued', limit: 1000 })) {
      if (j.id !== job.id) await e.c.store.jobs.finish(j.id, null, 'done', { summary: { skipped: 'test' } }, e.c.clock.now().toISOString());
    }
    expect(await e.c.jobs.runOnce()).toBe(true);
    expect(await e.c.services.ingest.job(job.id)).toMatchObject({ status: 'done', summary: { rows: 1, created: 1 } });
  });

  it('refuses to ingest into a library the librarian does not work for', async () => {
    const m = await manifest('title,files\n"Không phải của tôi",p1.png\n');
    const before = await ingestJobs();
    expect(await codeOf(e.c.services.ingest.start(e.actors.commlib, params(m, e.t.communeB1.id)))).toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(await ingestJobs()).toBe(before);
    // Into their own library it is allowed.
    const own = await e.c.services.ingest.start(e.actors.commlib, params(m, e.t.communeA1.id));
    expect(own.resumed).toBe(false);
    expect((await e.c.services.ingest.run(own.job.id, { owner: 'test' })).summary).toMatchObject({ created: 1 });
  });
});

describe('insideFolder', () => {
  it('keeps names inside the folder and refuses the rest', () => {
    expect(insideFolder('/scans', 'a/b.png')).toBe(join('/scans', 'a/b.png'));
    expect(insideFolder('/scans', 'a/../b.png')).toBe(join('/scans', 'b.png'));
    for (const bad of ['../x.png', 'a/../../x.png', '/etc/passwd', '..\\x.png', '..', 'x\0.png']) {
      expect(() => insideFolder('/scans', bad), bad).toThrow(expect.objectContaining({ code: 'INGEST_MANIFEST_INVALID' }));
    }
  });
});
