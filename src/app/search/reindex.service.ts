/**
 * A full rebuild of the search index, while search keeps answering from the live index.
 *
 * Documents are built into a shadow set of tables, a thousand records per transaction; the
 * autocomplete and "did you mean" vocabularies are counted over all of them; then, in one short
 * transaction, the shadow set replaces the live one and the records changed while the rebuild
 * ran are indexed again, so nothing written meanwhile is lost.
 */
import type { Repos, Store } from '../ports.js';
import { VocabularyTotals } from '../../domain/search/vocabulary.js';
import { documentsOf, type SearchIndexer } from './indexer.js';

export interface ReindexProgress {
  done: number;
  total: number;
}

export interface ReindexSummary {
  documents: number;
  headings: number;
  terms: number;
  changedDuringRebuild: number;
  generation: number;
  seconds: number;
}

const BATCH = 1000;

export class ReindexService {
  readonly #store: Store;
  readonly #indexer: SearchIndexer;
  #running = false;

  constructor(deps: { store: Store; indexer: SearchIndexer }) {
    this.#store = deps.store;
    this.#indexer = deps.indexer;
  }

  get running(): boolean {
    return this.#running;
  }

  async rebuild(opts: { onProgress?: (p: ReindexProgress) => void; now?: () => number } = {}): Promise<ReindexSummary> {
    if (this.#running) throw new Error('a reindex is already running in this process');
    this.#running = true;
    const now = opts.now ?? (() => performance.now());
    const started = now();
    const store = this.#store;
    try {
      const since = (await store.search.state()).seq;
      await store.transaction((tx) => tx.search.beginRebuild());
      const total = await store.catalog.countRecords();
      const vocab = new VocabularyTotals();
      let done = 0;
      let documents = 0;
      let afterId = 0;
      for (;;) {
        const records = await store.catalog.listRecords({ afterId, limit: BATCH });
        if (records.length === 0) break;
        afterId = records[records.length - 1]!.id;
        const ids = records.map((r) => r.id);
        const live = records.filter((r) => r.status === 'active');
        await store.transaction(async (tx: Repos) => {
          const items = await tx.search.docItems(live.map((r) => r.id));
          const { docs } = documentsOf(live, items, live.map((r) => r.id));
          for (const d of docs) vocab.add(d);
          documents += docs.length;
          await tx.search.writeRebuild(docs);
        });
        done += ids.length;
        opts.onProgress?.({ done, total });
      }
      const headings = [...vocab.headings.values()];
      const terms = [...vocab.terms.values()];
      for (let i = 0; i < Math.max(headings.length, terms.length); i += 20_000) {
        await store.transaction((tx) => tx.search.writeRebuildVocabulary(headings.slice(i, i + 20_000), terms.slice(i, i + 20_000)));
      }
      const swapped = await store.transaction(async (tx) => {
        const r = await tx.search.finishRebuild(since);
        await this.#indexer.refresh(tx, r.changed);
        return r;
      });
      return { documents, headings: headings.length, terms: terms.length, changedDuringRebuild: swapped.changed.length, generation: swapped.generation, seconds: (now() - started) / 1000 };
    } catch (e) {
      await store.transaction((tx) => tx.search.abandonRebuild()).catch(() => {});
      throw e;
    } finally {
      this.#running = false;
    }
  }
}
