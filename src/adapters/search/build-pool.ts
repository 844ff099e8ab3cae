/**
 * Builds search rows for a full rebuild on worker threads (one per spare core), so parsing MARC,
 * deriving fields and folding text run beside the thread that reads and writes the database.
 * Falls back to this thread when no worker can start. Results come back in request order.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Dialect } from '../db/schema.js';
import type { SearchBuildPool } from '../../app/ports.js';
import type { DocItem } from '../../domain/search/document.js';
import { deriveFields } from '../../domain/catalog/derive.js';
import { buildSearchDoc } from '../../domain/search/document.js';
import { VocabularyTotals, type HeadingCount, type TermCount } from '../../domain/search/vocabulary.js';
import type { MarcRecord } from '../../codecs/marc/record.js';
import { rebuildRows, type RebuildRows } from './rows.js';

export interface BuildRequest {
  id: number;
  records: { id: number; marc: string; createdAt: string }[];
  items: [number, DocItem[]][];
}

export interface BuiltBatch {
  rows: RebuildRows;
  documents: number;
  headings: HeadingCount[];
  terms: TermCount[];
}

/** Builds one batch (in whichever thread calls it). */
export function buildBatch(dialect: Dialect, req: Omit<BuildRequest, 'id'>): BuiltBatch {
  const items = new Map(req.items);
  const vocab = new VocabularyTotals();
  const docs = req.records.map((r) => {
    const doc = buildSearchDoc({ id: r.id, derived: deriveFields(JSON.parse(r.marc) as MarcRecord), createdAt: r.createdAt, items: items.get(r.id) ?? [] });
    vocab.add(doc);
    return doc;
  });
  return { rows: rebuildRows(dialect, docs), documents: docs.length, headings: [...vocab.headings.values()], terms: [...vocab.terms.values()] };
}

export type BuildPool = SearchBuildPool;

function workerEntry(): URL | undefined {
  for (const name of ['./build-worker.js', './build-worker-dev.mjs']) {
    const url = new URL(name, import.meta.url);
    if (existsSync(fileURLToPath(url))) return url;
  }
  return undefined;
}

function inProcess(dialect: Dialect): BuildPool {
  return { threads: 0, build: async (req) => buildBatch(dialect, req), close: async () => {} };
}

/** A pool of `threads` workers (default: one per core), or this thread. */
export async function openBuildPool(dialect: Dialect, opts: { threads?: number } = {}): Promise<BuildPool> {
  // One per core: the main thread mostly waits on the database, so it needs no core of its own.
  const n = opts.threads ?? Math.max(1, availableParallelism());
  const entry = workerEntry();
  if (n <= 0 || !entry) return inProcess(dialect);
  const workers: Worker[] = [];
  const pending = new Map<number, { resolve: (b: BuiltBatch) => void; reject: (e: Error) => void }>();
  let broken: Error | undefined;
  for (let i = 0; i < n; i++) {
    const w = new Worker(entry, { workerData: { dialect } });
    w.on('message', (m: { ok: true; id: number; result: BuiltBatch } | { ok: false; id: number; message: string }) => {
      const p = pending.get(m.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.ok) p.resolve(m.result);
      else p.reject(new Error(m.message));
    });
    w.on('error', (e: Error) => {
      broken = e;
      for (const p of pending.values()) p.reject(e);
      pending.clear();
    });
    workers.push(w);
  }
  // A worker that cannot load (no TypeScript loader, say) fails its first job: check once.
  let next = 0;
  const pool: BuildPool = {
    threads: n,
    build: (req) => {
      if (broken) return Promise.reject(broken);
      const id = next++;
      return new Promise<BuiltBatch>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        workers[id % workers.length]!.postMessage({ id, ...req });
      });
    },
    close: async () => {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
  try {
    await pool.build({ records: [], items: [] });
  } catch {
    await pool.close();
    return inProcess(dialect);
  }
  return pool;
}
