/**
 * A full rebuild of the search index, while search keeps answering from the live index.
 *
 * Records are read a thousand at a time and their documents built on worker threads (parsing
 * MARC, deriving fields and folding text is most of the work) while this thread writes the
 * previous batches into a shadow set of tables. The autocomplete and "did you mean" vocabularies
 * are counted over all documents; then, in one short transaction, the shadow set replaces the
 * live one and the records changed while the rebuild ran are indexed again, so nothing written
 * meanwhile is lost.
 */
import type { SearchBuildPool, Store } from '../ports.js';
import type { HeadingCount, TermCount } from '../../domain/search/vocabulary.js';
import type { SearchIndexer } from './indexer.js';

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
  /** Threads that built documents (0: this one). */
  threads: number;
}

const BATCH = 1000;
/** Batches being built while one is written. */
const AHEAD = 3;

export class ReindexService {
  readonly #store: Store;
  readonly #indexer: SearchIndexer;
  readonly #pool: () => Promise<SearchBuildPool>;
  readonly #vocabularySlice: number;
  #running = false;

  /** `vocabularySlice`: headings and terms written per transaction (small in tests, to have several). */
  constructor(deps: { store: Store; indexer: SearchIndexer; pool: () => Promise<SearchBuildPool>; vocabularySlice?: number }) {
    this.#store = deps.store;
    this.#indexer = deps.indexer;
    this.#pool = deps.pool;
    this.#vocabularySlice = deps.vocabularySlice ?? 20_000;
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
    const pool = await this.#pool();
    try {
      const since = (await store.search.state()).seq;
      await store.transaction((tx) => tx.search.beginRebuild());
      const total = await store.catalog.countRecords();
      const headings = new Map<string, HeadingCount>();
      const terms = new Map<string, TermCount>();
      let done = 0;
      let documents = 0;
      let afterId = 0;
      let exhausted = false;

      // Reads the next batch and hands it to the pool; null at the end.
      const readNext = async () => {
        if (exhausted) return null;
        const records = await store.search.sourceRecords(afterId, BATCH);
        if (records.length < BATCH) exhausted = true;
        if (records.length === 0) return null;
        afterId = records[records.length - 1]!.id;
        const items = await store.search.docItems(records.map((r) => r.id));
        return { read: records.length, built: pool.build({ records, items: [...items] }) };
      };
      const inFlight: { read: number; built: ReturnType<SearchBuildPool['build']> }[] = [];
      for (let i = 0; i < AHEAD; i++) {
        const b = await readNext();
        if (b) inFlight.push(b);
      }
      while (inFlight.length > 0) {
        const b = inFlight.shift()!;
        const built = await b.built;
        const more = readNext();
        await store.transaction((tx) => tx.search.writeRebuild(built.rows));
        for (const h of built.headings) {
          const key = `${h.kind}\u0000${h.heading}`;
          const e = headings.get(key);
          if (e) e.docs += h.docs;
          else headings.set(key, h);
        }
        for (const t of built.terms) {
          const e = terms.get(t.token);
          if (e) e.docs += t.docs;
          else terms.set(t.token, t);
        }
        documents += built.documents;
        done += b.read;
        opts.onProgress?.({ done, total });
        const next = await more;
        if (next) inFlight.push(next);
      }
      const hs = [...headings.values()];
      const ts = [...terms.values()];
      const slice = this.#vocabularySlice;
      for (let i = 0; i < Math.max(hs.length, ts.length); i += slice) {
        await store.transaction((tx) => tx.search.writeRebuildVocabulary(hs.slice(i, i + slice), ts.slice(i, i + slice)));
      }
      // Once, after the last slice: building them per slice gave a million-record catalogue 34
      // copies of every index (a new name each time, see `rebuildTag`).
      await store.transaction((tx) => tx.search.indexRebuild());
      const swapped = await store.transaction(async (tx) => {
        const r = await tx.search.finishRebuild(since);
        await this.#indexer.refresh(tx, r.changed);
        return r;
      });
      return {
        documents,
        headings: hs.length,
        terms: ts.length,
        changedDuringRebuild: swapped.changed.length,
        generation: swapped.generation,
        seconds: (now() - started) / 1000,
        threads: pool.threads,
      };
    } catch (e) {
      await store.transaction((tx) => tx.search.abandonRebuild()).catch(() => {});
      throw e;
    } finally {
      await pool.close();
      this.#running = false;
    }
  }
}
