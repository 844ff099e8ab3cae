/**
 * Fixity: a scheduled job re-reads every stored file, hashes it again and compares the hash with
 * its name. A missing or changed file is recorded on the file (for the staff page), counted in
 * the job's summary and written to the audit log, so a failing disk is noticed while the backup
 * still holds a good copy.
 */
import { systemActor } from '../actor.js';
import { audit } from '../audit.js';
import type { BlobRow, Clock, Job, Store } from '../ports.js';
import type { BlobStore } from './media.js';

export const FIXITY_JOB = 'digital.fixity';

export interface FixitySummary {
  checked: number;
  ok: number;
  missing: number;
  mismatch: number;
  /** The last hash checked: where a resumed job continues. */
  after: string;
}

export class FixityService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #blobs: BlobStore;
  /** How often the sweep runs. */
  readonly intervalMs: number;

  constructor(deps: { store: Store; clock: Clock; blobs: BlobStore; intervalMs?: number }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#blobs = deps.blobs;
    this.intervalMs = deps.intervalMs ?? 7 * 24 * 3_600_000;
  }

  /** Queues a sweep when none is waiting and the last one started longer ago than the interval. */
  async schedule(): Promise<Job | undefined> {
    const recent = await this.#store.jobs.list({ kind: FIXITY_JOB, limit: 1 });
    const last = recent[0];
    const now = this.#clock.now();
    if (last && (last.status === 'queued' || last.status === 'running')) return undefined;
    if (last && now.getTime() - Date.parse(last.createdAt) < this.intervalMs) return undefined;
    return this.queue();
  }

  async queue(): Promise<Job> {
    const now = this.#clock.now();
    return this.#store.jobs.insert({ kind: FIXITY_JOB, unitId: null, createdBy: null, actorLabel: 'fixity', params: {}, dedupeKey: `fixity:${now.toISOString().slice(0, 10)}`, progressTotal: null, maxAttempts: 3 }, now.toISOString());
  }

  problems(limit = 100): Promise<BlobRow[]> {
    return this.#store.digital.fixityProblems(limit);
  }

  async process(job: Job, owner: string, signal?: AbortSignal): Promise<FixitySummary> {
    const s: FixitySummary = { checked: 0, ok: 0, missing: 0, mismatch: 0, after: '', ...((job.summary as FixitySummary | null) ?? {}) };
    const actor = systemActor('fixity');
    for (;;) {
      const batch = await this.#store.digital.blobsAfter(s.after, 200);
      if (batch.length === 0) break;
      for (const b of batch) {
        if (signal?.aborted) throw new Error('fixity sweep stopped');
        const status = await this.check(b);
        s.checked++;
        s[status]++;
        s.after = b.sha256;
        if (status !== 'ok') {
          await this.#store.transaction((tx) =>
            audit(tx, actor, this.#clock.now(), { action: 'digital.fixity.problem', unitId: null, targetType: 'blob', targetId: b.sha256, after: { status, size: b.size } }),
          );
        }
      }
      const now = this.#clock.now();
      const alive = await this.#store.jobs.progress(job.id, owner, { checkpoint: s.checked, progressDone: s.checked, summary: { ...s }, leaseUntil: new Date(now.getTime() + 10 * 60_000).toISOString() }, now.toISOString());
      if (!alive) return s;
    }
    await this.#store.jobs.finish(job.id, owner, 'done', { summary: { ...s } }, this.#clock.now().toISOString());
    return s;
  }

  /** Re-hashes one stored file and records what was found. */
  async check(b: Pick<BlobRow, 'sha256' | 'size'>): Promise<'ok' | 'missing' | 'mismatch'> {
    let status: 'ok' | 'missing' | 'mismatch';
    let detail: string | null = null;
    if (!(await this.#blobs.exists(b.sha256))) {
      status = 'missing';
    } else {
      const got = await this.#blobs.hashFile(this.#blobs.pathOf(b.sha256));
      status = got.sha256 === b.sha256 ? 'ok' : 'mismatch';
      if (status === 'mismatch') detail = JSON.stringify({ sha256: got.sha256, size: got.size });
    }
    await this.#store.digital.recordFixity(b.sha256, status, detail, this.#clock.now().toISOString());
    return status;
  }
}
