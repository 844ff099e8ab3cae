/**
 * The worker thread of `prepared-source.ts`: reads and prepares a MARC file's records and posts
 * them in batches, never more than `ahead` batches beyond what the main thread has taken.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../domain/errors.js';
import { prepareIncoming, type Incoming, type PrepareContext } from '../../app/import-prepare.js';
import { openMarcSource } from './marc-source.js';
import type { PrepareOptions, WorkerMessage } from './prepared-source.js';

const { path, opts, ctx, batch: size, ahead } = workerData as { path: string; opts: PrepareOptions; ctx: PrepareContext; batch: number; ahead: number };
const port = parentPort!;
let credit = ahead;
let wake: (() => void) | undefined;
port.on('message', () => {
  credit++;
  wake?.();
});
const post = (m: WorkerMessage) => port.postMessage(m);

async function main(): Promise<void> {
  const source = await openMarcSource(path, { strict: opts.strict, limits: opts.limits });
  post({ type: 'opened', size: source.size });
  const known = new Set(ctx.knownUnitCodes);
  let seq = 0;
  let batch: Incoming[] = [];
  const send = async () => {
    while (credit <= 0) await new Promise<void>((r) => (wake = r));
    credit--;
    post({ type: 'batch', records: batch, bytesRead: source.bytesRead() });
    batch = [];
  };
  for await (const result of source.results) {
    seq++;
    if (seq <= opts.skip) continue;
    batch.push(prepareIncoming(seq, result, ctx, known));
    if (batch.length >= size) await send();
  }
  if (batch.length) await send();
  post({ type: 'end', bytesRead: source.bytesRead() });
}

main().then(
  () => port.close(),
  (e: unknown) => {
    post(e instanceof AppError ? { type: 'error', code: e.code, params: e.params, message: e.message } : { type: 'error', message: e instanceof Error ? e.message : String(e) });
    port.close();
  },
);
