import { afterAll, beforeAll, expect, it } from 'vitest';
import { createReadStream } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEachDialect, type TestDialect } from '../../../test/dialects.js';
import { testEnv, treeEnv, type TreeEnv } from '../../../test/factories.js';
import { processQueued, scriptedOcr, writePage } from '../../../test/digital.js';
import { systemActor } from '../actor.js';
import type { BlobRow, Job } from '../ports.js';
import { FIXITY_JOB, FixityService, type FixitySummary } from './fixity.service.js';

describeEachDialect('FixityService', (dialect: TestDialect) => {
  let e: TreeEnv;
  let dir: string;
  const sys = systemActor('test');

  beforeAll(async () => {
    e = await treeEnv(dialect, { container: { ocr: async () => scriptedOcr('Trang sách cũ') } });
    dir = await mkdtemp(join(tmpdir(), 'lt-fixity-'));
    // An object with two processed pages: two masters and two pyramids in the store.
    const { digital } = e.c.services;
    const o = await digital.create(sys, { ownerUnitId: e.t.prov.id, dc: { title: 'Sổ bộ làng' } });
    for (const name of ['a.png', 'b.png']) {
      const path = await writePage(dir, name, [`Trang ${name}`]);
      const got = await digital.receive(createReadStream(path), name);
      await digital.addFile(sys, o.id, { tempPath: got.path, sha256: got.sha256, size: got.size, name });
    }
    expect(await processQueued(e.c)).toBe(1);
    expect((await digital.pages(o.id)).every((p) => p.pyramidSha256)).toBe(true);
  });
  afterAll(async () => {
    await e.env.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const allBlobs = () => e.c.store.digital.blobsAfter('', 10_000);
  /** Queues a sweep and lets the container's job runner run it. */
  const sweep = async (): Promise<Job> => {
    const job = await e.c.services.fixity.queue();
    expect(await e.c.jobs.runOnce()).toBe(true);
    return (await e.c.store.jobs.get(job.id))!;
  };

  it('finds every stored file intact, then exactly the one changed and the one missing', async () => {
    const { fixity } = e.c.services;
    const blobs = await allBlobs();
    expect(blobs.length).toBe(4);
    const first = await sweep();
    expect(first).toMatchObject({ kind: FIXITY_JOB, status: 'done', summary: { checked: 4, ok: 4, missing: 0, mismatch: 0, after: blobs[3]!.sha256 } });
    expect(await fixity.problems()).toEqual([]);
    expect((await allBlobs()).every((b) => b.checkStatus === 'ok' && b.checkedAt === e.c.clock.now().toISOString())).toBe(true);

    // A bit flips in one master (the store made it read-only; a failing disk does not ask)…
    const master = (await e.c.store.digital.filesOf((await e.c.store.digital.listObjects({ limit: 1 }))[0]!.id))[0]!;
    const changed = e.c.blobs.pathOf(master.sha256);
    const original = await readFile(changed);
    const bad = Buffer.from(original);
    const at = bad.length >> 1;
    bad.writeUInt8(bad.readUInt8(at) ^ 0x01, at);
    await chmod(changed, 0o644);
    await writeFile(changed, bad);
    // …and another stored file disappears.
    const gone = blobs.find((b) => b.sha256 !== master.sha256)!;
    const goneBytes = await readFile(e.c.blobs.pathOf(gone.sha256));
    await e.c.blobs.remove(gone.sha256);

    e.env.clock.advance(60_000);
    const second = await sweep();
    expect(second).toMatchObject({ status: 'done', summary: { checked: 4, ok: 2, missing: 1, mismatch: 1 } });
    const problems = await fixity.problems();
    const byHash = new Map<string, BlobRow>(problems.map((b) => [b.sha256, b]));
    expect([...byHash.keys()].sort()).toEqual([master.sha256, gone.sha256].sort());
    expect(byHash.get(master.sha256)).toMatchObject({ checkStatus: 'mismatch', checkedAt: e.c.clock.now().toISOString() });
    expect(JSON.parse(byHash.get(master.sha256)!.checkDetail!)).toEqual({ sha256: expect.not.stringMatching(master.sha256), size: original.length });
    expect(byHash.get(gone.sha256)).toMatchObject({ checkStatus: 'missing', checkDetail: null });
    const audits = await e.c.store.audit.list({ action: 'digital.fixity.problem', limit: 10 });
    expect(audits.map((a) => [a.targetType, a.targetId, (a.after as { status: string }).status]).sort()).toEqual(
      [
        ['blob', master.sha256, 'mismatch'],
        ['blob', gone.sha256, 'missing'],
      ].sort(),
    );

    // Restored from the backup, both are found intact again and leave the list of problems.
    await writeFile(changed, original);
    await writeFile(e.c.blobs.pathOf(gone.sha256), goneBytes);
    e.env.clock.advance(60_000);
    expect((await sweep()).summary).toMatchObject({ checked: 4, ok: 4, missing: 0, mismatch: 0 });
    expect(await fixity.problems()).toEqual([]);
    expect(await e.c.store.audit.list({ action: 'digital.fixity.problem', limit: 10 })).toHaveLength(2);
  });

  it('continues a sweep that was cut short after the last file it checked', async () => {
    const blobs = await allBlobs();
    const job = await e.c.services.fixity.queue();
    // A runner took the sweep, checked two files, recorded where it was, and died.
    const t0 = e.c.clock.now();
    await e.c.store.jobs.claimById(job.id, 'dead-runner', new Date(t0.getTime() + 60_000).toISOString(), t0.toISOString());
    const cursor = blobs[1]!.sha256;
    const before: FixitySummary = { checked: 2, ok: 2, missing: 0, mismatch: 0, after: cursor };
    expect(await e.c.store.jobs.progress(job.id, 'dead-runner', { checkpoint: 2, progressDone: 2, summary: { ...before }, leaseUntil: new Date(t0.getTime() + 60_000).toISOString() }, t0.toISOString())).toBe(true);

    e.env.clock.advance(10 * 60_000);
    const now = e.c.clock.now().toISOString();
    expect(await e.c.jobs.runOnce()).toBe(true);
    const done = (await e.c.store.jobs.get(job.id))!;
    expect(done).toMatchObject({ status: 'done', attempts: 2, summary: { checked: 4, ok: 4, missing: 0, mismatch: 0, after: blobs[3]!.sha256 } });
    // The files up to the cursor were not read again; the rest were, now.
    const after = await allBlobs();
    expect(after.slice(0, 2).map((b) => b.checkedAt === now)).toEqual([false, false]);
    expect(after.slice(2).map((b) => b.checkedAt)).toEqual([now, now]);
  });
});

describeEachDialect('FixityService.schedule', (dialect: TestDialect) => {
  it('queues a sweep only when none is waiting and the interval has passed since the last', async () => {
    const env = await testEnv(dialect);
    try {
      const c = env.container;
      const hour = 3_600_000;
      const fixity = new FixityService({ store: c.store, clock: env.clock, blobs: c.blobs, intervalMs: 24 * hour });
      const sweeps = async () => (await c.store.jobs.list({ kind: FIXITY_JOB, limit: 100 })).length;

      const first = await fixity.schedule();
      expect(first).toMatchObject({ kind: FIXITY_JOB, status: 'queued' });
      // One is waiting: no second one, however long it waits.
      env.clock.advance(48 * hour);
      expect(await fixity.schedule()).toBeUndefined();
      expect(await sweeps()).toBe(1);

      // Once it has run, the next one is due a day after the last was queued.
      expect(await c.jobs.runOnce()).toBe(true);
      expect((await c.store.jobs.get(first!.id))!.status).toBe('done');
      const second = await fixity.schedule();
      expect(second).toMatchObject({ status: 'queued' });
      expect(await c.jobs.runOnce()).toBe(true);
      env.clock.advance(24 * hour - 1);
      expect(await fixity.schedule()).toBeUndefined();
      expect(await sweeps()).toBe(2);
      env.clock.advance(1);
      expect(await fixity.schedule()).toMatchObject({ status: 'queued' });
      expect(await sweeps()).toBe(3);
      // The default interval is a week.
      expect(c.services.fixity.intervalMs).toBe(7 * 24 * hour);
    } finally {
      await env.dispose();
    }
  });
});
