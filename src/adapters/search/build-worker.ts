/**
 * The worker thread of `build-pool.ts`: turns stored records and their items into search rows
 * and the vocabulary they add, for a full rebuild.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildBatch, type BuildRequest } from './build-pool.js';
import type { Dialect } from '../db/schema.js';

const { dialect } = workerData as { dialect: Dialect };
parentPort!.on('message', (m: BuildRequest) => {
  try {
    parentPort!.postMessage({ ok: true, id: m.id, result: buildBatch(dialect, m) });
  } catch (e) {
    parentPort!.postMessage({ ok: false, id: m.id, message: e instanceof Error ? e.message : String(e) });
  }
});
