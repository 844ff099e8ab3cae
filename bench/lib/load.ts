/**
 * The search benchmark's generated catalogue loaded into a benchmark's database, with a progress
 * line every 30 s: what `portal` and `oai` both start from. Records land through a bare store
 * (no indexer), as a bulk load does; a benchmark that needs the search index rebuilds it after.
 */
import { createStore } from '../../src/adapters/db/store.js';
import type { Container } from '../../src/main/container.js';
import { loadCatalogue, type LoadResult } from '../search/generate.js';
import type { BenchContext } from './context.js';
import { formatCount } from './measure.js';

export async function loadWithProgress(ctx: BenchContext, label: string, c: Container, records: number): Promise<LoadResult> {
  ctx.log(`[${label}] loading ${formatCount(records)} records …`);
  let lastLog = Date.now();
  return loadCatalogue(
    { store: createStore(c.handle), services: c.services },
    {
      records,
      seed: 7,
      onProgress: (p) => {
        if (Date.now() - lastLog > 30_000) {
          lastLog = Date.now();
          ctx.log(`  ${formatCount(p.records)} records …`);
        }
      },
    },
  );
}
