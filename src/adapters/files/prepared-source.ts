/**
 * The records of a MARC file, prepared for import (`app/import-prepare.ts`), either in this
 * thread or in a worker thread. With a worker, parsing and preparing (about half of an import's
 * CPU time) run on a second core while this thread writes to the database; the worker stays at
 * most a few batches ahead, so memory stays flat whatever the file's size.
 *
 * The worker is `prepare-worker.js` next to this module when the project is built, or the
 * TypeScript source started through tsx (a dependency) by `prepare-worker-dev.mjs` otherwise. If it cannot start, preparation
 * falls back to this thread.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../../domain/errors.js';
import { prepareIncoming, type Incoming, type PrepareContext } from '../../app/import-prepare.js';
import { openMarcSource, type MarcSourceLimits } from './marc-source.js';

export interface PreparedSource {
  /** Where the records were prepared. */
  mode: 'worker' | 'in-process';
  size: number;
  bytesRead(): number;
  records: AsyncIterable<Incoming>;
  close(): Promise<void>;
}

export interface PrepareOptions {
  strict?: boolean;
  skip: number;
  limits?: Partial<MarcSourceLimits>;
}

/** Messages from the worker. */
export type WorkerMessage =
  | { type: 'opened'; size: number }
  | { type: 'batch'; records: Incoming[]; bytesRead: number }
  | { type: 'end'; bytesRead: number }
  | { type: 'error'; code?: string; params?: Record<string, string | number>; message: string };

const BATCH = 500;
/** Batches the worker may prepare ahead of the database. */
const AHEAD = 4;

/** In this thread. */
export async function preparedInProcess(path: string, opts: PrepareOptions, ctx: PrepareContext): Promise<PreparedSource> {
  const source = await openMarcSource(path, { strict: opts.strict, limits: opts.limits });
  const known = new Set(ctx.knownUnitCodes);
  async function* records(): AsyncGenerator<Incoming> {
    let seq = 0;
    for await (const result of source.results) {
      seq++;
      if (seq <= opts.skip) continue;
      yield prepareIncoming(seq, result, ctx, known);
    }
  }
  return { mode: 'in-process', size: source.size, bytesRead: source.bytesRead, records: records(), close: async () => {} };
}

function workerEntry(): { url: URL; execArgv: string[] } | undefined {
  const js = new URL('./prepare-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return { url: js, execArgv: [] };
  const dev = new URL('./prepare-worker-dev.mjs', import.meta.url);
  if (existsSync(fileURLToPath(dev))) return { url: dev, execArgv: [] };
  return undefined;
}

/** In a worker thread, falling back to this thread when no worker can start. */
export async function preparedInWorker(path: string, opts: PrepareOptions, ctx: PrepareContext): Promise<PreparedSource> {
  const entry = workerEntry();
  if (!entry) return preparedInProcess(path, opts, ctx);
  const worker = new Worker(entry.url, { workerData: { path, opts, ctx, batch: BATCH, ahead: AHEAD }, execArgv: entry.execArgv });
  const queue: WorkerMessage[] = [];
  let wake: (() => void) | undefined;
  let failure: Error | undefined;
  let exited = false;
  worker.on('message', (m: WorkerMessage) => {
    queue.push(m);
    wake?.();
  });
  worker.on('error', (e: Error) => {
    failure = e;
    wake?.();
  });
  worker.on('exit', () => {
    exited = true;
    wake?.();
  });
  const next = async (): Promise<WorkerMessage> => {
    for (;;) {
      const m = queue.shift();
      if (m) return m;
      if (failure) throw failure;
      if (exited) throw new Error('the import worker stopped unexpectedly');
      await new Promise<void>((r) => (wake = r));
      wake = undefined;
    }
  };
  let first: WorkerMessage;
  try {
    first = await next();
  } catch {
    // The worker could not even start (no loader for TypeScript, say): prepare here instead.
    await worker.terminate();
    return preparedInProcess(path, opts, ctx);
  }
  const fail = (m: Extract<WorkerMessage, { type: 'error' }>): never => {
    if (m.code) throw new AppError(m.code as ConstructorParameters<typeof AppError>[0], m.params ?? {});
    throw new Error(m.message);
  };
  if (first.type === 'error') {
    await worker.terminate();
    fail(first);
  }
  const size = first.type === 'opened' ? first.size : 0;
  let read = 0;
  async function* records(): AsyncGenerator<Incoming> {
    for (;;) {
      const m = await next();
      if (m.type === 'batch') {
        read = m.bytesRead;
        // Ask for one more batch for each one taken, so the worker stays a few ahead.
        worker.postMessage('more');
        yield* m.records;
      } else if (m.type === 'end') {
        read = m.bytesRead;
        return;
      } else if (m.type === 'error') {
        fail(m);
      }
    }
  }
  return {
    mode: 'worker',
    size,
    bytesRead: () => read,
    records: records(),
    close: async () => {
      await worker.terminate();
    },
  };
}
