/**
 * Evaluates a match expression word by word, keeping in memory the document sets the engine
 * found costly: every set of 5,000 documents or more, and smaller ones that took it a
 * millisecond or more (a phrase of frequent words, a word in one column). Dense sets are
 * bitsets (one bit per document: 125 KB for a million records), sparse ones sorted ids.
 *
 * The engine answers a rare word in microseconds, but a word in 300,000 records costs it tens or
 * hundreds of milliseconds every time (reading its whole posting list), and a phrase of frequent
 * words as much even when it matches a handful. Readers' queries share a small set of frequent
 * words (`viet`, `nam`, `lich`, `su`…), so the set of each such word or phrase is asked of the
 * engine once and combined in memory afterwards: AND, OR and NOT over bitsets cost microseconds.
 * This caches word sets, not query results: a query never seen before is answered from the sets
 * of its words. Ranking asks the same sets for its candidates (`newestAmong`: the newest hits
 * with the words in the title, by the author…). The sets are bounded by bytes, least recently
 * used first.
 *
 * Sets stay exact: every process's facet store logs which documents changed; before a cached set
 * is used, those documents are asked of the engine again (`matchAmong`) and their bits fixed.
 */
import type { MatchExpr } from '../../domain/search/compile.js';
import { describeExpr } from '../../domain/search/compile.js';
import type { SearchIndex } from '../ports.js';
import type { FacetStore } from './facet-store.js';

/**
 * A set of document ids with its size: a bitset when it is dense (more than one document in 32),
 * else the ascending ids, whichever is smaller.
 */
export type DocSet = { kind: 'bits'; bits: Uint32Array; n: number } | { kind: 'ids'; ids: Uint32Array };

interface Cached {
  set: DocSet;
  bytes: number;
  mark: { epoch: number; changes: number };
}

export interface LeafCacheOptions {
  /** Sets at least this large are kept whatever they cost (default 5,000). */
  minSize?: number;
  /** Smaller sets are kept when the engine took at least this long for them (default 1 ms): a phrase of frequent words. */
  minCostMs?: number;
  /** Bytes of sets kept at most (default 128 MiB: about 1,000 sets of a million-record catalogue); least recently used go first. */
  maxBytes?: number;
}

export const DEFAULT_LEAF_CACHE_BYTES = 128 * 2 ** 20;

export class LeafCache {
  readonly #entries = new Map<string, Cached>();
  readonly #minSize: number;
  readonly #minCostMs: number;
  readonly #maxBytes: number;
  #bytes = 0;
  hits = 0;
  misses = 0;

  constructor(opts: LeafCacheOptions = {}) {
    this.#minSize = opts.minSize ?? 5000;
    this.#minCostMs = opts.minCostMs ?? 1;
    this.#maxBytes = opts.maxBytes ?? DEFAULT_LEAF_CACHE_BYTES;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Bytes the kept sets hold. */
  get bytes(): number {
    return this.#bytes;
  }

  clear(): void {
    this.#entries.clear();
    this.#bytes = 0;
  }

  #drop(key: string): void {
    const e = this.#entries.get(key);
    if (!e) return;
    this.#entries.delete(key);
    this.#bytes -= e.bytes;
  }

  #keep(key: string, set: DocSet, mark: Cached['mark']): void {
    const bytes = bytesOf(set);
    if (bytes > this.#maxBytes) return;
    this.#drop(key);
    this.#entries.set(key, { set, bytes, mark });
    this.#bytes += bytes;
    // Least recently used first in the map's order.
    while (this.#bytes > this.#maxBytes) this.#drop(this.#entries.keys().next().value!);
  }

  async #leaf(e: MatchExpr, index: SearchIndex, store: FacetStore): Promise<DocSet> {
    const key = describeExpr(e);
    const hit = this.#entries.get(key);
    if (hit) {
      const changed = store.changedSince(hit.mark);
      if (changed !== null) {
        let set = hit.set;
        const mark = store.mark;
        if (changed.length > 0) {
          const ids = [...new Set(changed)];
          set = patched(set, ids, await index.matchAmong(e, ids), store.size);
        }
        this.hits++;
        // Most recently used last (re-inserted, with its size as it is now).
        this.#keep(key, set, mark);
        return set;
      }
      this.#drop(key);
    }
    this.misses++;
    const mark = store.mark;
    const t0 = performance.now();
    const ids = await index.match(e);
    const cost = performance.now() - t0;
    const set = compact(sorted(ids), store.size);
    if (ids.length >= this.#minSize || cost >= this.#minCostMs) this.#keep(key, set, mark);
    return set;
  }

  /** The documents matching `e`, as ascending ids. */
  async evaluate(e: MatchExpr, index: SearchIndex, store: FacetStore): Promise<Uint32Array> {
    const set = await this.#eval(e, index, store);
    return set.kind === 'ids' ? set.ids : idsOf(set.bits);
  }

  /**
   * Up to `limit` of `among` (ascending ids) that match `e`, highest ids first: the newest
   * matches of a narrower form of a query inside its hits, from the same kept word sets.
   */
  async newestAmong(e: MatchExpr, among: Uint32Array, limit: number, index: SearchIndex, store: FacetStore): Promise<number[]> {
    const set = await this.#eval(e, index, store);
    among = sorted(among);
    const out: number[] = [];
    if (set.kind === 'bits') {
      const bits = set.bits;
      for (let i = among.length - 1; i >= 0 && out.length < limit; i--) if (hasBit(bits, among[i]!)) out.push(among[i]!);
      return out;
    }
    // Both ascending: walk them down together.
    const ids = set.ids;
    let i = among.length - 1;
    let j = ids.length - 1;
    while (i >= 0 && j >= 0 && out.length < limit) {
      const x = among[i]!;
      const y = ids[j]!;
      if (x === y) {
        out.push(x);
        i--;
        j--;
      } else if (x > y) i--;
      else j--;
    }
    return out;
  }

  async #eval(e: MatchExpr, index: SearchIndex, store: FacetStore): Promise<DocSet> {
    switch (e.op) {
      case 'tok':
      case 'phrase':
        return this.#leaf(e, index, store);
      case 'or': {
        // A long OR (a range of years) goes to the engine whole, as one set.
        if (e.args.length > 8) return this.#leaf(e, index, store);
        const parts = await Promise.all(e.args.map((a) => this.#eval(a, index, store)));
        return parts.reduce(union);
      }
      case 'and': {
        const pos = e.args.filter((a) => a.op !== 'not');
        const neg = e.args.filter((a): a is Extract<MatchExpr, { op: 'not' }> => a.op === 'not');
        const parts = await Promise.all(pos.map((a) => this.#eval(a, index, store)));
        // Smallest first: intersecting with it keeps every step small.
        parts.sort((a, b) => sizeOf(a) - sizeOf(b));
        let acc = parts[0]!;
        for (const p of parts.slice(1)) acc = intersect(acc, p);
        for (const n of neg) acc = subtract(acc, await this.#eval(n.arg, index, store));
        return acc;
      }
      case 'not':
        // compileQuery anchors every negation inside an `and`.
        throw new Error('a negation outside AND');
    }
  }
}

function bytesOf(s: DocSet): number {
  return (s.kind === 'bits' ? s.bits.byteLength : s.ids.byteLength) + 64;
}

/** `ids` (ascending) in the smaller form for a catalogue whose highest id is below `size`. */
export function compact(ids: Uint32Array, size: number): DocSet {
  const top = ids.length === 0 ? 0 : ids[ids.length - 1]! + 1;
  const words = (Math.max(size, top) + 31) >>> 5;
  if (ids.length <= words) return { kind: 'ids', ids };
  const bits = new Uint32Array(words);
  for (const id of ids) setBit(bits, id);
  return { kind: 'bits', bits, n: ids.length };
}

/** A kept set brought up to date: `changed` documents out, those of them that still match (`matching`) in. */
function patched(set: DocSet, changed: readonly number[], matching: Uint32Array, size: number): DocSet {
  if (set.kind === 'bits') {
    const bits = fit(set.bits, size);
    let n = set.n;
    for (const id of changed) {
      if (hasBit(bits, id)) n--;
      clearBit(bits, id);
    }
    for (const id of matching) {
      if (!hasBit(bits, id)) n++;
      setBit(bits, id);
    }
    return { kind: 'bits', bits, n };
  }
  const out = new Set(set.ids);
  for (const id of changed) out.delete(id);
  for (const id of matching) out.add(id);
  return compact(Uint32Array.from(out).sort(), size);
}

export function sorted(ids: Uint32Array): Uint32Array {
  for (let i = 1; i < ids.length; i++) if (ids[i]! < ids[i - 1]!) return Uint32Array.from(ids).sort();
  return ids;
}

function fit(bits: Uint32Array, size: number): Uint32Array {
  const words = (size + 31) >>> 5;
  if (words <= bits.length) return bits;
  const b = new Uint32Array(words);
  b.set(bits);
  return b;
}

function setBit(bits: Uint32Array, id: number): void {
  const w = id >>> 5;
  if (w < bits.length) bits[w]! |= 1 << (id & 31);
}

function clearBit(bits: Uint32Array, id: number): void {
  const w = id >>> 5;
  if (w < bits.length) bits[w]! &= ~(1 << (id & 31));
}

function hasBit(bits: Uint32Array, id: number): boolean {
  const w = id >>> 5;
  return w < bits.length && (bits[w]! & (1 << (id & 31))) !== 0;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

function sizeOf(s: DocSet): number {
  return s.kind === 'ids' ? s.ids.length : s.n;
}

/** A set's ids, ascending. */
export function docIds(s: DocSet): Uint32Array {
  return s.kind === 'ids' ? s.ids : idsOf(s.bits);
}

export function idsOf(bits: Uint32Array): Uint32Array {
  let n = 0;
  for (const w of bits) if (w !== 0) n += popcount(w);
  const out = new Uint32Array(n);
  let k = 0;
  for (let i = 0; i < bits.length; i++) {
    let w = bits[i]!;
    while (w !== 0) {
      const t = w & -w;
      out[k++] = (i << 5) + 31 - Math.clz32(t);
      w ^= t;
    }
  }
  return out;
}

function toBits(ids: Uint32Array, words: number): Uint32Array {
  const bits = new Uint32Array(Math.max(words, ids.length === 0 ? 0 : (ids[ids.length - 1]! >>> 5) + 1));
  for (const id of ids) setBit(bits, id);
  return bits;
}

function intersect(a: DocSet, b: DocSet): DocSet {
  if (a.kind === 'ids' && b.kind === 'bits') return { kind: 'ids', ids: a.ids.filter((id) => hasBit(b.bits, id)) };
  if (a.kind === 'bits' && b.kind === 'ids') return intersect(b, a);
  if (a.kind === 'ids' && b.kind === 'ids') {
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.ids.length && j < b.ids.length) {
      const x = a.ids[i]!;
      const y = b.ids[j]!;
      if (x === y) {
        out.push(x);
        i++;
        j++;
      } else if (x < y) i++;
      else j++;
    }
    return { kind: 'ids', ids: Uint32Array.from(out) };
  }
  const x = (a as { bits: Uint32Array }).bits;
  const y = (b as { bits: Uint32Array }).bits;
  const out = new Uint32Array(Math.min(x.length, y.length));
  let n = 0;
  for (let i = 0; i < out.length; i++) {
    const w = x[i]! & y[i]!;
    out[i] = w;
    if (w !== 0) n += popcount(w);
  }
  return { kind: 'bits', bits: out, n };
}

function union(a: DocSet, b: DocSet): DocSet {
  if (a.kind === 'ids' && b.kind === 'ids') {
    const out: number[] = [];
    let i = 0;
    let j = 0;
    while (i < a.ids.length || j < b.ids.length) {
      const x = i < a.ids.length ? a.ids[i]! : Infinity;
      const y = j < b.ids.length ? b.ids[j]! : Infinity;
      if (x === y) {
        out.push(x);
        i++;
        j++;
      } else if (x < y) {
        out.push(x);
        i++;
      } else {
        out.push(y);
        j++;
      }
    }
    return { kind: 'ids', ids: Uint32Array.from(out) };
  }
  const x = a.kind === 'bits' ? a.bits : toBits(a.ids, 0);
  const y = b.kind === 'bits' ? b.bits : toBits(b.ids, 0);
  const out = new Uint32Array(Math.max(x.length, y.length));
  let n = 0;
  for (let i = 0; i < out.length; i++) {
    const w = (x[i] ?? 0) | (y[i] ?? 0);
    out[i] = w;
    if (w !== 0) n += popcount(w);
  }
  return { kind: 'bits', bits: out, n };
}

function subtract(a: DocSet, b: DocSet): DocSet {
  if (a.kind === 'ids') {
    if (b.kind === 'bits') return { kind: 'ids', ids: a.ids.filter((id) => !hasBit(b.bits, id)) };
    const drop = new Set(b.ids);
    return { kind: 'ids', ids: a.ids.filter((id) => !drop.has(id)) };
  }
  const y = b.kind === 'bits' ? b.bits : toBits(b.ids, 0);
  const out = Uint32Array.from(a.bits);
  let n = 0;
  for (let i = 0; i < out.length; i++) {
    const w = i < y.length ? out[i]! & ~y[i]! : out[i]!;
    out[i] = w;
    if (w !== 0) n += popcount(w);
  }
  return { kind: 'bits', bits: out, n };
}
