/**
 * Runs durable jobs from the `jobs` table: the same queue on SQLite and PostgreSQL. The server
 * runs one in-process; more can run as separate processes. A runner takes one job at a time by
 * setting a lease that the job's progress extends; a job whose runner died is taken up again by
 * any runner once its lease runs out, and resumes from its checkpoint.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Clock, Job, Store } from './ports.js';
import { AppError } from '../domain/errors.js';

/**
 * Runs one job. `signal` aborts when the job's time limit passes; a handler that checks it (or
 * whose progress reports start returning false) stops early.
 */
export type JobHandler = (job: Job, owner: string, signal: AbortSignal) => Promise<unknown>;

/** The wait before retry `attempt` (1, 2, …): 30 s doubling, at most an hour. */
export function retryDelayMs(attempt: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempt - 1), 3_600_000);
}

/** Bad input is not worth another try; anything else (a crash, a timeout, a lost connection) is. */
function permanent(e: unknown): boolean {
  return e instanceof AppError;
}

class JobTimeout extends Error {
  constructor(ms: number) {
    super(`timed out after ${Math.round(ms / 1000)} s`);
  }
}

export interface JobRunnerOptions {
  store: Store;
  clock: Clock;
  handlers: ReadonlyMap<string, JobHandler>;
  /** How long to wait between looks at an empty queue. Default 1 s. */
  pollMs?: number;
  leaseMs?: number;
  log?: (msg: string, err?: unknown) => void;
}

export class JobRunner {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  readonly #o: Required<Omit<JobRunnerOptions, 'log'>> & Pick<JobRunnerOptions, 'log'>;
  #running = false;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(o: JobRunnerOptions) {
    this.#o = { pollMs: 1000, leaseMs: 5 * 60_000, ...o };
  }

  /** Takes and runs one job; false when there was none. */
  async runOnce(): Promise<boolean> {
    const now = this.#o.clock.now();
    const job = await this.#o.store.jobs.claim([...this.#o.handlers.keys()], this.owner, new Date(now.getTime() + this.#o.leaseMs).toISOString(), now.toISOString());
    if (!job) return false;
    const abort = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    try {
      const run = this.#o.handlers.get(job.kind)!(job, this.owner, abort.signal);
      if (job.timeoutMs) {
        const limit = job.timeoutMs;
        run.catch(() => undefined); // once timed out, its own failure is no longer news
        await Promise.race([
          run,
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => {
              abort.abort();
              reject(new JobTimeout(limit));
            }, limit);
          }),
        ]);
      } else {
        await run;
      }
    } catch (e) {
      this.#o.log?.(`job ${job.id} (${job.kind}) failed`, e);
      const latest = await this.#o.store.jobs.get(job.id);
      if (latest?.status === 'running' && latest.leaseOwner === this.owner) {
        const error = e instanceof Error ? e.message : String(e);
        const now = this.#o.clock.now();
        if (!permanent(e) && latest.attempts < latest.maxAttempts) {
          await this.#o.store.jobs.retryLater(job.id, this.owner, error, new Date(now.getTime() + retryDelayMs(latest.attempts)).toISOString(), now.toISOString());
        } else {
          await this.#o.store.jobs.finish(job.id, this.owner, 'failed', { error }, now.toISOString());
        }
      }
    } finally {
      if (timer) clearTimeout(timer);
    }
    return true;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loop = (async () => {
      while (this.#running) {
        let worked = false;
        try {
          worked = await this.runOnce();
        } catch (e) {
          this.#o.log?.('job runner: could not take a job', e);
        }
        if (!worked && this.#running) {
          await new Promise<void>((resolve) => {
            this.#wake = resolve;
            this.#timer = setTimeout(resolve, this.#o.pollMs);
          });
          this.#wake = undefined;
        }
      }
    })();
  }

  /** Looks at the queue now instead of at the next poll. */
  kick(): void {
    this.#wake?.();
  }

  async stop(): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    this.#wake?.();
    await this.#loop;
  }
}
