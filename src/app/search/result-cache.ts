/**
 * Answers of recent searches, kept in this process for as long as the index has not changed.
 *
 * Readers repeat searches — the same words from the home page, the back button, a shared link —
 * and at a million records one answer costs tens of milliseconds of matching, counting and
 * ranking, while a kept one costs a map lookup. Whatever a search can see changes only through
 * a document write, and every write moves the index's change number (`search_state.seq`, or its
 * `generation` on a full reindex), which each process's facet store follows before it answers: the
 * cache is tied to that position (`version`), and the first search that sees it move empties the
 * cache. So an answer is never older than the answers computed without the cache.
 *
 * What is kept is the search service's answer, which is the same for every viewer and language:
 * page-text snippets are in it, but who may see them (and labels in the reader's language) is
 * decided afterwards, per request, by the caller (`runSearch` in `http/api/search.api.ts`).
 *
 * Bounded by an estimate of the bytes the answers hold; the least recently used go first.
 * Concurrent searches for the same key share one computation.
 */

export interface ResultCacheOptions {
  /** Estimated bytes of answers kept at most (default 64 MiB: about 1,000 results pages' answers); 0 keeps nothing. */
  maxBytes?: number;
}

export interface ResultCacheStats {
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
}

interface Entry<V> {
  value: V;
  bytes: number;
}

export const DEFAULT_RESULT_CACHE_BYTES = 64 * 2 ** 20;

export class ResultCache<V> {
  readonly #maxBytes: number;
  /** Most recently used last. */
  readonly #entries = new Map<string, Entry<V>>();
  readonly #pending = new Map<string, Promise<V>>();
  #version: string | null = null;
  #bytes = 0;
  #hits = 0;
  #misses = 0;

  constructor(opts: ResultCacheOptions = {}) {
    this.#maxBytes = Math.max(0, opts.maxBytes ?? DEFAULT_RESULT_CACHE_BYTES);
  }

  get stats(): ResultCacheStats {
    return { hits: this.#hits, misses: this.#misses, entries: this.#entries.size, bytes: this.#bytes };
  }

  clear(): void {
    this.#entries.clear();
    this.#pending.clear();
    this.#bytes = 0;
  }

  /**
   * The answer kept for `key` at `version`, or `compute()`'s, kept when it fits. A different
   * `version` from the last call's empties the cache first. `size` estimates an answer's bytes
   * (see {@link estimateBytes}).
   */
  async get(key: string, version: string, compute: () => Promise<V>, size: (v: V) => number = estimateBytes): Promise<V> {
    if (version !== this.#version) {
      this.clear();
      this.#version = version;
    }
    const hit = this.#entries.get(key);
    if (hit) {
      this.#hits++;
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit.value;
    }
    const pending = this.#pending.get(key);
    if (pending) {
      this.#hits++;
      return pending;
    }
    this.#misses++;
    const p = compute();
    this.#pending.set(key, p);
    try {
      const value = await p;
      // Kept only if the index has not moved on meanwhile (the answer may be older than it).
      if (this.#version === version) this.#keep(key, value, size(value));
      return value;
    } finally {
      if (this.#pending.get(key) === p) this.#pending.delete(key);
    }
  }

  #keep(key: string, value: V, bytes: number): void {
    if (bytes > this.#maxBytes / 8) return;
    this.#entries.set(key, { value, bytes });
    this.#bytes += bytes;
    for (const [k, e] of this.#entries) {
      if (this.#bytes <= this.#maxBytes) break;
      this.#entries.delete(k);
      this.#bytes -= e.bytes;
    }
  }
}

/**
 * A rough count of the bytes a value holds in memory: strings at two bytes a character, numbers
 * and references at eight, plus a little per object, array and map entry. Good enough to bound a
 * cache; not an exact measure.
 */
export function estimateBytes(value: unknown): number {
  const seen = new Set<object>();
  const walk = (v: unknown): number => {
    if (typeof v === 'string') return 16 + 2 * v.length;
    if (v === null || typeof v !== 'object') return 8;
    if (seen.has(v)) return 8;
    seen.add(v);
    if (ArrayBuffer.isView(v)) return 64 + v.byteLength;
    let n = 32;
    if (v instanceof Map) for (const [k, x] of v) n += 16 + walk(k) + walk(x);
    else if (v instanceof Set) for (const x of v) n += 16 + walk(x);
    else if (Array.isArray(v)) for (const x of v) n += 8 + walk(x);
    else for (const [k, x] of Object.entries(v)) n += 8 + walk(k) + walk(x);
    return n;
  };
  return walk(value);
}
