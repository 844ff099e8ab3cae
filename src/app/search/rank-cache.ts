/**
 * What ranking reads of each candidate (its words per field, year, copies), kept for the
 * documents ranked recently. Queries sharing a frequent word rank many of the same documents
 * (the newest with the word in the title, the newest hits), and reading and decoding them costs
 * about 3 µs a document — a millisecond for a broad query's candidates.
 *
 * Exact like the word sets: documents the facet store's change log lists since the cache last
 * looked are dropped before anything is answered; when the log no longer reaches back, or the
 * index was rebuilt, everything is.
 */
import type { RankRow, SearchIndex } from '../ports.js';
import type { FacetStore } from './facet-store.js';

export class RankCache {
  // Two generations instead of a strict LRU order (re-inserting on every hit cost more than the
  // read it saved): rows land in the young map; when it is full it becomes the old one, and a
  // row found in the old one moves back to the young.
  #young = new Map<number, RankRow>();
  #old = new Map<number, RankRow>();
  readonly #max: number;
  #mark: { epoch: number; changes: number } | null = null;
  hits = 0;
  misses = 0;

  /** `max`: documents kept at most (those not used for longest go first). */
  constructor(max = 20_000) {
    this.#max = max;
  }

  get size(): number {
    return this.#young.size + this.#old.size;
  }

  #put(r: RankRow): void {
    this.#young.set(r.id, r);
    if (this.#young.size >= this.#max / 2) {
      this.#old = this.#young;
      this.#young = new Map();
    }
  }

  #delete(id: number): void {
    this.#young.delete(id);
    this.#old.delete(id);
  }

  /** The rows of `ids` that are live, in no particular order. */
  async rows(ids: readonly number[], index: SearchIndex, store: FacetStore): Promise<RankRow[]> {
    this.#catchUp(store);
    const out: RankRow[] = [];
    const missing: number[] = [];
    for (const id of ids) {
      const r = this.#young.get(id);
      if (r) {
        out.push(r);
        continue;
      }
      const o = this.#old.get(id);
      if (o) {
        this.#old.delete(id);
        this.#put(o);
        out.push(o);
      } else missing.push(id);
    }
    this.hits += out.length;
    this.misses += missing.length;
    if (missing.length === 0) return out;
    const mark = store.mark;
    const read = await index.rankRows(missing);
    // Another search may have caught the facet store up while this one read: a row read before a
    // change it logged would never be dropped, so rows read across a move are not kept.
    const current = store.mark;
    if (this.#max > 0 && mark.epoch === current.epoch && mark.changes === current.changes) {
      for (const r of read) this.#put(r);
    }
    return [...out, ...read];
  }

  #catchUp(store: FacetStore): void {
    const mark = store.mark;
    if (this.#mark) {
      const changed = store.changedSince(this.#mark);
      if (changed === null) {
        this.#young.clear();
        this.#old.clear();
      } else for (const id of changed) this.#delete(id);
    }
    this.#mark = mark;
  }
}
