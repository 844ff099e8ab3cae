import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect, type TestDialect } from '../../test/dialects.js';
import { testEnv, type TestClock, type TestEnv } from '../../test/factories.js';
import { AppError } from '../domain/errors.js';
import { JobRunner, retryDelayMs, type JobHandler } from './job-runner.js';
import type { Job, Store } from './ports.js';

const iso = (ms: number) => new Date(ms).toISOString();

describeEachDialect('JobRunner', (dialect: TestDialect) => {
  let env: TestEnv;
  let store: Store;
  let clock: TestClock;

  beforeEach(async () => {
    env = await testEnv(dialect);
    store = env.container.store;
    clock = env.clock;
  });
  afterEach(async () => {
    await env.dispose();
  });

  const runner = (handlers: Record<string, JobHandler>) => new JobRunner({ store, clock, handlers: new Map(Object.entries(handlers)) });
  const insert = (kind: string, o: { maxAttempts?: number; timeoutMs?: number; runAfter?: string; params?: Record<string, unknown> } = {}) =>
    store.jobs.insert({ kind, unitId: null, createdBy: null, actorLabel: 'test', params: o.params ?? {}, dedupeKey: null, progressTotal: null, maxAttempts: o.maxAttempts, timeoutMs: o.timeoutMs, runAfter: o.runAfter }, clock.now().toISOString());
  const finishing = (): JobHandler => async (job, owner) => {
    await store.jobs.finish(job.id, owner, 'done', { summary: { ran: job.attempts } }, clock.now().toISOString());
  };
  const get = async (id: number): Promise<Job> => (await store.jobs.get(id))!;

  it('waits 30 s after a crash, then runs the job again and finishes it', async () => {
    let calls = 0;
    const r = runner({
      'test.flaky': async (job, owner) => {
        calls++;
        if (calls === 1) throw new Error('the disk was not mounted');
        await store.jobs.finish(job.id, owner, 'done', { summary: { attempt: job.attempts } }, clock.now().toISOString());
      },
    });
    const job = await insert('test.flaky', { maxAttempts: 3 });
    const t0 = clock.now().getTime();

    expect(await r.runOnce()).toBe(true);
    const waiting = await get(job.id);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1, error: 'the disk was not mounted', leaseOwner: null, finishedAt: null });
    expect(waiting.runAfter).toBe(iso(t0 + 30_000));

    // Before its time it is not taken, by this runner or any other.
    clock.advance(29_999);
    expect(await r.runOnce()).toBe(false);
    expect(await runner({ 'test.flaky': finishing() }).runOnce()).toBe(false);
    expect(calls).toBe(1);
    expect((await get(job.id)).status).toBe('queued');

    clock.advance(1);
    expect(await r.runOnce()).toBe(true);
    expect(calls).toBe(2);
    expect(await get(job.id)).toMatchObject({ status: 'done', attempts: 2, summary: { attempt: 2 }, runAfter: null });
    expect(await r.runOnce()).toBe(false);
  });

  it('fails a job at once, without a retry, when the handler refuses its input', async () => {
    let calls = 0;
    const r = runner({
      'test.bad': async () => {
        calls++;
        throw new AppError('INGEST_MANIFEST_INVALID', { reason: 'unknown column(s): titel' });
      },
    });
    const job = await insert('test.bad', { maxAttempts: 3 });
    expect(await r.runOnce()).toBe(true);
    const failed = await get(job.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, runAfter: null, leaseOwner: null });
    expect(failed.error).toContain('INGEST_MANIFEST_INVALID');
    expect(failed.error).toContain('titel');
    expect(failed.finishedAt).toBe(clock.now().toISOString());
    clock.advance(24 * 3_600_000);
    expect(await r.runOnce()).toBe(false);
    expect(calls).toBe(1);
  });

  it('gives up after maxAttempts, waiting longer before each retry', async () => {
    const seen: number[] = [];
    const r = runner({
      'test.broken': async (job) => {
        seen.push(job.attempts);
        throw new Error(`crash ${job.attempts}`);
      },
    });
    const job = await insert('test.broken', { maxAttempts: 3 });

    expect(await r.runOnce()).toBe(true);
    let now = clock.now().getTime();
    expect(await get(job.id)).toMatchObject({ status: 'queued', attempts: 1, error: 'crash 1', runAfter: iso(now + retryDelayMs(1)) });
    clock.advance(retryDelayMs(1));

    expect(await r.runOnce()).toBe(true);
    now = clock.now().getTime();
    // The second wait is twice the first.
    expect(retryDelayMs(2)).toBe(60_000);
    expect(await get(job.id)).toMatchObject({ status: 'queued', attempts: 2, error: 'crash 2', runAfter: iso(now + 60_000) });
    clock.advance(30_000);
    expect(await r.runOnce()).toBe(false);
    clock.advance(30_000);

    expect(await r.runOnce()).toBe(true);
    expect(await get(job.id)).toMatchObject({ status: 'failed', attempts: 3, error: 'crash 3', runAfter: null, finishedAt: clock.now().toISOString() });
    clock.advance(3_600_000);
    expect(await r.runOnce()).toBe(false);
    expect(seen).toEqual([1, 2, 3]);
  });

  it('aborts a job that outlives its time limit, counts the attempt as failed and retries it', async () => {
    const signals: AbortSignal[] = [];
    let hang = true;
    const r = runner({
      'test.slow': (job, owner, signal) => {
        signals.push(signal);
        // The first attempt never ends (a stuck conversion); the second finishes.
        if (hang) return new Promise<never>(() => undefined);
        return store.jobs.finish(job.id, owner, 'done', { summary: {} }, clock.now().toISOString());
      },
    });
    // A functional limit the runner enforces, not a performance threshold.
    const job = await insert('test.slow', { maxAttempts: 2, timeoutMs: 50 });
    expect(await r.runOnce()).toBe(true);
    expect(signals).toHaveLength(1);
    expect(signals[0]!.aborted).toBe(true);
    const retried = await get(job.id);
    expect(retried).toMatchObject({ status: 'queued', attempts: 1, runAfter: iso(clock.now().getTime() + 30_000), leaseOwner: null });
    expect(retried.error).toMatch(/timed out/);

    hang = false;
    clock.advance(30_000);
    expect(await r.runOnce()).toBe(true);
    expect(signals).toHaveLength(2);
    expect(signals[1]!.aborted).toBe(false);
    expect(await get(job.id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('fails a job for good when its last attempt times out', async () => {
    const r = runner({ 'test.stuck': () => new Promise<never>(() => undefined) });
    const job = await insert('test.stuck', { timeoutMs: 50 });
    expect(await r.runOnce()).toBe(true);
    const failed = await get(job.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1, maxAttempts: 1 });
    expect(failed.error).toMatch(/timed out/);
  });

  it('counts jobs by kind and status, and lists them by status and kinds', async () => {
    const r = runner({ 'test.a': finishing(), 'test.b': finishing() });
    const a1 = await insert('test.a');
    const a2 = await insert('test.a');
    const b1 = await insert('test.b');
    const c1 = await insert('test.c');
    // Jobs are taken in id order: a1 first.
    expect(await r.runOnce()).toBe(true);
    expect((await get(a1.id)).status).toBe('done');

    const mine = (await store.jobs.counts()).filter((x) => x.kind.startsWith('test.'));
    expect(mine).toEqual([
      { kind: 'test.a', status: 'done', count: 1 },
      { kind: 'test.a', status: 'queued', count: 1 },
      { kind: 'test.b', status: 'queued', count: 1 },
      { kind: 'test.c', status: 'queued', count: 1 },
    ]);

    const ids = (jobs: Job[]) => jobs.map((j) => j.id);
    expect(ids(await store.jobs.list({ status: 'queued', kinds: ['test.a', 'test.b'], limit: 10 }))).toEqual([b1.id, a2.id]);
    expect(ids(await store.jobs.list({ status: 'done', kinds: ['test.a', 'test.b', 'test.c'], limit: 10 }))).toEqual([a1.id]);
    expect(ids(await store.jobs.list({ kinds: ['test.c'], limit: 10 }))).toEqual([c1.id]);
    expect(await store.jobs.list({ kinds: [], limit: 10 })).toEqual([]);
    expect(ids(await store.jobs.list({ status: 'queued', kinds: ['test.a', 'test.b', 'test.c'], limit: 2 }))).toEqual([c1.id, b1.id]);

    // A runner only takes the kinds it has handlers for: test.c stays queued.
    while (await r.runOnce()) {
      // drain
    }
    expect((await get(c1.id)).status).toBe('queued');
    expect(ids(await store.jobs.list({ status: 'done', kinds: ['test.a', 'test.b'], limit: 10 }))).toEqual([b1.id, a2.id, a1.id]);
  });

  it('never lets two runners take the same job', async () => {
    const ran: { job: number; owner: string }[] = [];
    const handler: JobHandler = async (job, owner) => {
      ran.push({ job: job.id, owner });
      // Yield so the other runner gets to look at the queue while this job is held.
      await new Promise((resolve) => setImmediate(resolve));
      await store.jobs.finish(job.id, owner, 'done', { summary: {} }, clock.now().toISOString());
    };
    const one = runner({ 'test.shared': handler });
    const two = runner({ 'test.shared': handler });
    expect(one.owner).not.toBe(two.owner);
    const jobs = [];
    for (let i = 0; i < 12; i++) jobs.push(await insert('test.shared', { params: { i } }));
    const drain = async (r: JobRunner) => {
      while (await r.runOnce()) {
        // until the queue is empty
      }
    };
    await Promise.all([drain(one), drain(two)]);
    // Both really worked the queue at the same time…
    expect(new Set(ran.map((x) => x.owner))).toEqual(new Set([one.owner, two.owner]));
    // …and every job ran exactly once.
    expect(ran.map((x) => x.job).sort((a, b) => a - b)).toEqual(jobs.map((j) => j.id));
    for (const j of jobs) expect(await get(j.id)).toMatchObject({ status: 'done', attempts: 1 });

    // Racing for one job: exactly one of them wins it.
    const last = await insert('test.shared');
    const took = await Promise.all([one.runOnce(), two.runOnce()]);
    expect(took.filter(Boolean)).toHaveLength(1);
    expect(ran.filter((x) => x.job === last.id)).toHaveLength(1);
  });

  it('takes up a job whose runner died once its lease has run out', async () => {
    const job = await insert('test.orphan', { maxAttempts: 3 });
    const now = clock.now();
    const dead = await store.jobs.claim(['test.orphan'], 'dead-runner', iso(now.getTime() + 60_000), now.toISOString());
    expect(dead?.id).toBe(job.id);
    const owners: string[] = [];
    const r = runner({
      'test.orphan': async (j, owner) => {
        owners.push(owner);
        await store.jobs.finish(j.id, owner, 'done', { summary: {} }, clock.now().toISOString());
      },
    });
    expect(await r.runOnce()).toBe(false);
    clock.advance(60_001);
    expect(await r.runOnce()).toBe(true);
    expect(owners).toEqual([r.owner]);
    expect(await get(job.id)).toMatchObject({ status: 'done', attempts: 2 });
  });
});
