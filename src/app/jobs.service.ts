/**
 * The background jobs of every kind, for the staff jobs page: who may see them, and the two
 * things staff do to them — retry a failed job, cancel a waiting or running one. Each write
 * checks `jobs.manage` where the job belongs (its library; network-wide for jobs without one)
 * and lands with its audit entry.
 */
import { AppError } from '../domain/errors.js';
import { allows, type EffectiveGrant, type Permission } from '../domain/access/permissions.js';
import type { Actor } from './actor.js';
import { audit } from './audit.js';
import { recordDenial, runWrite } from './guard.js';
import type { BlobRow, Clock, Job, JobStatus, Store } from './ports.js';

export const JOB_STATUSES: readonly JobStatus[] = ['queued', 'running', 'done', 'failed', 'cancelled'];

/** What the processing of a digital object records when its job was cancelled. */
export const PROCESSING_CANCELLED = 'cancelled';

export interface JobListFilter {
  kind?: string;
  status?: JobStatus;
  beforeId?: number;
  limit: number;
}

/** Whoever holds `permission` with network scope. */
function networkWide(grants: readonly EffectiveGrant[], permission: Permission): boolean {
  return grants.some((g) => g.scope === 'network' && g.permissions.has(permission));
}

/** The permission, besides `jobs.manage`, that lets one follow a job of this kind at its library. */
function viewPermission(kind: string): Permission | undefined {
  if (kind === 'catalog.import') return 'catalog.import';
  if (kind.startsWith('digital.')) return 'digital.object.manage';
  if (kind === 'oai-harvest') return 'interop.manage';
  return undefined;
}

export class JobsService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #fixity: { queue(): Promise<Job>; problems(limit?: number): Promise<BlobRow[]> } | undefined;

  constructor(deps: { store: Store; clock: Clock; fixity?: { queue(): Promise<Job>; problems(limit?: number): Promise<BlobRow[]> } }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#fixity = deps.fixity;
  }

  /** Whether the actor may retry and cancel this job. */
  async mayManage(actor: Actor, job: Job): Promise<boolean> {
    if (job.unitId === null) return networkWide(actor.grants, 'jobs.manage');
    const place = await this.#store.org.place(job.unitId);
    return !!place && allows(actor.grants, 'jobs.manage', place);
  }

  /** Whether the actor may follow this job: who started it, or who manages jobs (or that kind of work) where it runs. */
  async mayView(actor: Actor, job: Job): Promise<boolean> {
    if (job.createdBy !== null && job.createdBy === actor.userId) return true;
    if (await this.mayManage(actor, job)) return true;
    const other = viewPermission(job.kind);
    if (!other || job.unitId === null) return false;
    const place = await this.#store.org.place(job.unitId);
    return !!place && allows(actor.grants, other, place);
  }

  /** One job, if the actor may see it (`JOB_NOT_FOUND` otherwise, so unseen jobs stay unseen). */
  async get(actor: Actor, id: number): Promise<Job> {
    const job = await this.#store.jobs.get(id);
    if (!job || !(await this.mayView(actor, job))) throw new AppError('JOB_NOT_FOUND', { job: id });
    return job;
  }

  /** Units (ids) where the actor holds `jobs.manage`; undefined when it holds it network-wide. */
  async #reach(actor: Actor): Promise<number[] | undefined> {
    if (networkWide(actor.grants, 'jobs.manage')) return undefined;
    const units = await this.#store.org.list();
    return units.filter((u) => allows(actor.grants, 'jobs.manage', u)).map((u) => u.id);
  }

  #requireAny(actor: Actor): void {
    if (!actor.grants.some((g) => g.permissions.has('jobs.manage'))) throw new AppError('PERMISSION_DENIED', { permission: 'jobs.manage' });
  }

  /** Jobs of the libraries where the actor manages jobs (all of them network-wide), newest first. */
  async list(actor: Actor, f: JobListFilter): Promise<Job[]> {
    this.#requireAny(actor);
    const unitIds = await this.#reach(actor);
    return this.#store.jobs.list({ ...(f.kind ? { kind: f.kind } : {}), ...(f.status ? { status: f.status } : {}), ...(unitIds ? { unitIds } : {}), beforeId: f.beforeId, limit: Math.min(Math.max(f.limit, 1), 500) });
  }

  /** Jobs per kind and status, over what the actor may see. */
  async counts(actor: Actor): Promise<{ kind: string; status: JobStatus; count: number }[]> {
    this.#requireAny(actor);
    const unitIds = await this.#reach(actor);
    if (!unitIds) return this.#store.jobs.counts();
    const jobs = await this.#store.jobs.list({ unitIds, limit: 100_000 });
    const by = new Map<string, { kind: string; status: JobStatus; count: number }>();
    for (const j of jobs) {
      const k = `${j.kind}\0${j.status}`;
      const row = by.get(k) ?? { kind: j.kind, status: j.status, count: 0 };
      row.count++;
      by.set(k, row);
    }
    return [...by.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.status.localeCompare(b.status));
  }

  async #guard(actor: Actor, job: Job): Promise<void> {
    if (await this.mayManage(actor, job)) return;
    const e = new AppError('PERMISSION_DENIED', { permission: 'jobs.manage', ...(job.unitId !== null ? { unit: job.unitId } : {}) });
    await recordDenial(this.#store, this.#clock, actor, e);
    throw e;
  }

  /** Puts a failed (or cancelled) job back in the queue; it continues from its checkpoint. */
  async retry(actor: Actor, id: number): Promise<Job> {
    const job = await this.get(actor, id);
    await this.#guard(actor, job);
    await runWrite(this.#store, this.#clock, actor, async (tx) => {
      const now = this.#clock.now();
      const fresh = await tx.jobs.get(id);
      if (!fresh || (fresh.status !== 'failed' && fresh.status !== 'cancelled')) throw new AppError('CONFLICT', { job: id, status: fresh?.status ?? '' });
      await tx.jobs.requeue(id, now.toISOString());
      if (fresh.kind === 'digital.process' && typeof fresh.params.objectId === 'number') await tx.digital.setProcessing(fresh.params.objectId, 'queued', null, now.toISOString());
      await audit(tx, actor, now, { action: 'jobs.retry', unitId: fresh.unitId, targetType: 'job', targetId: id, before: { status: fresh.status, error: fresh.error, attempts: fresh.attempts }, after: { status: 'queued' } });
    });
    return (await this.#store.jobs.get(id))!;
  }

  /** Stops a waiting or running job; a running one notices at its next progress report. */
  async cancel(actor: Actor, id: number): Promise<Job> {
    const job = await this.get(actor, id);
    await this.#guard(actor, job);
    await runWrite(this.#store, this.#clock, actor, async (tx) => {
      const now = this.#clock.now();
      const fresh = await tx.jobs.get(id);
      if (!fresh || (fresh.status !== 'queued' && fresh.status !== 'running')) throw new AppError('JOB_NOT_CANCELLABLE', { job: id });
      await tx.jobs.finish(id, null, 'cancelled', {}, now.toISOString());
      // A digital object whose processing was stopped should not look as if it were still on its way.
      if (fresh.kind === 'digital.process' && typeof fresh.params.objectId === 'number') await tx.digital.setProcessing(fresh.params.objectId, 'failed', PROCESSING_CANCELLED, now.toISOString());
      await audit(tx, actor, now, { action: 'jobs.cancel', unitId: fresh.unitId, targetType: 'job', targetId: id, before: { status: fresh.status, checkpoint: fresh.checkpoint }, after: { status: 'cancelled' } });
    });
    return (await this.#store.jobs.get(id))!;
  }

  /** Stored files found missing or changed by the fixity check (network-wide `jobs.manage`). */
  async fixityProblems(actor: Actor, limit = 100): Promise<BlobRow[]> {
    if (!networkWide(actor.grants, 'jobs.manage')) throw new AppError('PERMISSION_DENIED', { permission: 'jobs.manage' });
    return this.#fixity ? this.#fixity.problems(limit) : this.#store.digital.fixityProblems(limit);
  }

  /** Queues a fixity check of every stored file now (network-wide `jobs.manage`). */
  async checkFixity(actor: Actor): Promise<Job> {
    if (!networkWide(actor.grants, 'jobs.manage')) {
      const e = new AppError('PERMISSION_DENIED', { permission: 'jobs.manage' });
      await recordDenial(this.#store, this.#clock, actor, e);
      throw e;
    }
    if (!this.#fixity) throw new AppError('NOT_FOUND');
    const open = (await this.#store.jobs.list({ kind: 'digital.fixity', limit: 5 })).find((j) => j.status === 'queued' || j.status === 'running');
    const job = open ?? (await this.#fixity.queue());
    const now = this.#clock.now();
    await this.#store.transaction((tx) => audit(tx, actor, now, { action: 'jobs.fixity.queue', unitId: null, targetType: 'job', targetId: job.id, after: { reused: !!open } }));
    return job;
  }
}
