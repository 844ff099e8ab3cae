import type { Kysely, Selectable } from 'kysely';
import type { Database, Dialect, ImportResultsTable, JobsTable } from '../schema.js';
import { bulkInsert } from './catalog.repository.js';
import { toIso } from '../schema.js';
import type { ImportResult, Job, JobRepository, JobStatus } from '../../../app/ports.js';

function toJob(r: Selectable<JobsTable>): Job {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status as JobStatus,
    unitId: r.unit_id,
    createdBy: r.created_by,
    actorLabel: r.actor_label,
    params: JSON.parse(r.params) as Record<string, unknown>,
    dedupeKey: r.dedupe_key,
    checkpoint: r.checkpoint,
    progressDone: Number(r.progress_done),
    progressTotal: r.progress_total === null ? null : Number(r.progress_total),
    summary: r.summary === null ? null : (JSON.parse(r.summary) as Record<string, unknown>),
    error: r.error,
    attempts: r.attempts,
    leaseOwner: r.lease_owner,
    leaseUntil: toIso(r.lease_until),
    createdAt: toIso(r.created_at),
    startedAt: toIso(r.started_at),
    finishedAt: toIso(r.finished_at),
    updatedAt: toIso(r.updated_at),
    maxAttempts: r.max_attempts,
    timeoutMs: r.timeout_ms,
    runAfter: toIso(r.run_after),
  };
}

function toResult(r: Selectable<ImportResultsTable>): ImportResult {
  return {
    jobId: r.job_id,
    seq: r.seq,
    outcome: r.outcome as ImportResult['outcome'],
    recordId: r.record_id,
    matchedOn: r.matched_on,
    title: r.title,
    itemsAdded: r.items_added,
    problems: r.problems === null ? [] : (JSON.parse(r.problems) as ImportResult['problems']),
  };
}

/** Durable jobs with leases, and the per-record results of imports. */
export class KyselyJobRepository implements JobRepository {
  readonly #db: Kysely<Database>;
  readonly #dialect: Dialect;
  constructor(db: Kysely<Database>, dialect: Dialect) {
    this.#db = db;
    this.#dialect = dialect;
  }

  async insert(j: Parameters<JobRepository['insert']>[0], now: string): Promise<Job> {
    const r = await this.#db
      .insertInto('jobs')
      .values({
        kind: j.kind,
        status: 'queued',
        unit_id: j.unitId,
        created_by: j.createdBy,
        actor_label: j.actorLabel,
        params: JSON.stringify(j.params),
        dedupe_key: j.dedupeKey,
        progress_total: j.progressTotal,
        max_attempts: j.maxAttempts ?? 1,
        timeout_ms: j.timeoutMs ?? null,
        run_after: j.runAfter ?? null,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toJob(r);
  }

  async get(id: number): Promise<Job | undefined> {
    const r = await this.#db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toJob(r) : undefined;
  }

  async list(f: Parameters<JobRepository['list']>[0]): Promise<Job[]> {
    let q = this.#db.selectFrom('jobs').selectAll();
    if (f.kind) q = q.where('kind', '=', f.kind);
    if (f.kinds) q = f.kinds.length === 0 ? q.where('id', '<', 0) : q.where('kind', 'in', f.kinds);
    if (f.status) q = q.where('status', '=', f.status);
    if (f.unitIds) q = f.unitIds.length === 0 ? q.where('id', '<', 0) : q.where('unit_id', 'in', f.unitIds);
    if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
    return (await q.orderBy('id', 'desc').limit(f.limit).execute()).map(toJob);
  }

  async findByDedupeKey(kind: string, key: string): Promise<Job[]> {
    const rows = await this.#db.selectFrom('jobs').selectAll().where('kind', '=', kind).where('dedupe_key', '=', key).orderBy('id').execute();
    return rows.map(toJob);
  }

  async claim(kinds: readonly string[], owner: string, leaseUntil: string, now: string): Promise<Job | undefined> {
    if (kinds.length === 0) return undefined;
    // Candidates first, then a guarded update: of two runners racing for one job, one wins.
    const candidates = await this.#db
      .selectFrom('jobs')
      .select('id')
      .where('kind', 'in', kinds)
      .where((eb) => eb.or([eb.and([eb('status', '=', 'queued'), eb.or([eb('run_after', 'is', null), eb('run_after', '<=', now)])]), eb.and([eb('status', '=', 'running'), eb('lease_until', '<', now)])]))
      .orderBy('id')
      .limit(5)
      .execute();
    for (const c of candidates) {
      const job = await this.claimById(c.id, owner, leaseUntil, now);
      if (job) return job;
    }
    return undefined;
  }

  async claimById(id: number, owner: string, leaseUntil: string, now: string): Promise<Job | undefined> {
    const r = await this.#db
      .updateTable('jobs')
      .set((eb) => ({ status: 'running', lease_owner: owner, lease_until: leaseUntil, attempts: eb('attempts', '+', 1), run_after: null, updated_at: now }))
      .where('id', '=', id)
      .where((eb) => eb.or([eb('status', '=', 'queued'), eb.and([eb('status', '=', 'running'), eb('lease_until', '<', now)])]))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) return undefined;
    await this.#db.updateTable('jobs').set({ started_at: now }).where('id', '=', id).where('started_at', 'is', null).execute();
    return this.get(id);
  }

  async progress(id: number, owner: string, p: Parameters<JobRepository['progress']>[2], now: string): Promise<boolean> {
    const r = await this.#db
      .updateTable('jobs')
      .set({
        checkpoint: p.checkpoint,
        progress_done: p.progressDone,
        ...(p.progressTotal !== undefined ? { progress_total: p.progressTotal } : {}),
        summary: JSON.stringify(p.summary),
        lease_until: p.leaseUntil,
        updated_at: now,
      })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async finish(id: number, owner: string | null, status: JobStatus, p: { summary?: Record<string, unknown> | null; error?: string | null }, now: string): Promise<void> {
    let q = this.#db
      .updateTable('jobs')
      .set({
        status,
        ...(p.summary !== undefined ? { summary: p.summary === null ? null : JSON.stringify(p.summary) } : {}),
        ...(p.error !== undefined ? { error: p.error } : {}),
        lease_owner: null,
        lease_until: null,
        finished_at: status === 'queued' ? null : now,
        updated_at: now,
      })
      .where('id', '=', id);
    if (owner !== null) q = q.where('lease_owner', '=', owner);
    await q.execute();
  }

  async requeue(id: number, now: string): Promise<void> {
    await this.#db
      .updateTable('jobs')
      .set({ status: 'queued', lease_owner: null, lease_until: null, finished_at: null, error: null, updated_at: now })
      .where('id', '=', id)
      .execute();
  }

  async retryLater(id: number, owner: string, error: string, runAfter: string, now: string): Promise<void> {
    await this.#db
      .updateTable('jobs')
      .set({ status: 'queued', lease_owner: null, lease_until: null, error, run_after: runAfter, updated_at: now })
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .where('status', '=', 'running')
      .execute();
  }

  async counts(): Promise<{ kind: string; status: JobStatus; count: number }[]> {
    const rows = await this.#db.selectFrom('jobs').select(['kind', 'status', (eb) => eb.fn.countAll<number | string>().as('n')]).groupBy(['kind', 'status']).orderBy('kind').orderBy('status').execute();
    return rows.map((r) => ({ kind: r.kind, status: r.status as JobStatus, count: Number(r.n) }));
  }

  async appendResults(rows: readonly ImportResult[]): Promise<void> {
    await bulkInsert(
      this.#db,
      this.#dialect,
      'import_results',
      ['job_id', 'seq', 'outcome', 'record_id', 'matched_on', 'title', 'items_added', 'problems'],
      rows.map((r) => [r.jobId, r.seq, r.outcome, r.recordId, r.matchedOn, r.title, r.itemsAdded, r.problems.length === 0 ? null : JSON.stringify(r.problems)]),
    );
  }

  async results(jobId: number, f: { outcome?: string; afterSeq?: number; limit: number }): Promise<ImportResult[]> {
    let q = this.#db.selectFrom('import_results').selectAll().where('job_id', '=', jobId);
    if (f.outcome) q = q.where('outcome', '=', f.outcome);
    if (f.afterSeq !== undefined) q = q.where('seq', '>', f.afterSeq);
    return (await q.orderBy('seq').limit(f.limit).execute()).map(toResult);
  }

  async resultsOfRecord(recordId: number): Promise<ImportResult[]> {
    const rows = await this.#db.selectFrom('import_results').selectAll().where('record_id', '=', recordId).orderBy('job_id').orderBy('seq').execute();
    return rows.map(toResult);
  }
}
