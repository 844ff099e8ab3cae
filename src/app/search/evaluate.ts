/**
 * Evaluates a match expression word by word, keeping the document sets of frequent words in
 * memory as bitsets (one bit per document: 125 KB for a million records).
 *
 * The engine answers a rare word in microseconds, but a word in 300,000 records costs it tens or
 * hundreds of milliseconds every time (reading its whole posting list). Readers' queries share a
 * small set of frequent words (`viet`, `nam`, `lich`, `su`…), so the set of each frequent word or
 * phrase is asked of the engine once and combined in memory afterwards: AND, OR and NOT over
 * bitsets cost microseconds. This caches word sets, not query results: a query never seen before
 * is answered from the sets of its words.
 *
 * Sets stay exact: every process's facet store logs which documents changed; before a cached set
 * is used, those documents are asked of the engine again (`matchAmong`) and their bits fixed.
 */
import type { MatchExpr } from '../../domain/search/compile.js';
import { describeExpr } from '../../domain/search/compile.js';
import type { SearchIndex } from '../ports.js';
import type { FacetStore } from './facet-store.js';

/** A set of document ids: a bitset for large sets, a sorted array for small ones. */
export type DocSet = { kind: 'bits'; bits: Uint32Array } | { kind: 'ids'; ids: Uint32Array };

interface Cached {
  bits: Uint32Array;
  mark: { epoch: number; changes: number };
}

export interface LeafCacheOptions {
  /** Word sets at least this large are kept (smaller ones are cheap for the engine). */
  minSize?: number;
  /** At most this many sets (least recently used go first). */
  maxEntries?: number;
}

export class LeafCache {
  readonly #entries = new Map<string, Cached>();
  readonly #minSize: number;
  readonly #maxEntries: number;
  hits = 0;
  misses = 0;

  constructor(opts: LeafCacheOptions = {}) {
    this.#minSize = opts.minSize ?? 5000;
    this.#maxEntries = opts.maxEntries ?? 256;
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }

  async #leaf(e: MatchExpr, index: SearchIndex, store: FacetStore): Promise<DocSet> {
    const key = describeExpr(e);
    const hit = this.#entries.get(key);
    if (hit) {
      const changed = store.changedSince(hit.mark);
      if (changed !== null) {
        if (changed.length > 0) {
          const ids = [...new Set(changed)];
          const bits = fit(hit.bits, store.size);
          for (const id of ids) clearBit(bits, id);
          for (const id of await index.matchAmong(e, ids)) setBit(bits, id);
          hit.bits = bits;
          hit.mark = store.mark;
        }
        // Most recently used last.
        this.#entries.delete(key);
        this.#entries.set(key, hit);
        this.hits++;
        return { kind: 'bits', bits: hit.bits };
      }
      this.#entries.delete(key);
    }
    this.misses++;
    const mark = store.mark;
    const ids = await index.match(e);
    if (ids.length < this.#minSize) return { kind: 'ids', ids: sorted(ids) };
    const bits = new Uint32Array((Math.max(store.size, maxOf(ids) + 1) + 31) >>> 5);
    for (const id of ids) setBit(bits, id);
    this.#entries.set(key, { bits, mark });
    while (this.#entries.size > this.#maxEntries) this.#entries.delete(this.#entries.keys().next().value!);
    return { kind: 'bits', bits };
  }

  /** The documents matching `e`, as ascending ids. */
  async evaluate(e: MatchExpr, index: SearchIndex, store: FacetStore): Promise<Uint32Array> {
    const set = await this.#eval(e, index, store);
    return set.kind === 'ids' ? set.ids : idsOf(set.bits);
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

function maxOf(ids: Uint32Array): number {
  let m = 0;
  for (const id of ids) if (id > m) m = id;
  return m;
}

function sorted(ids: Uint32Array): Uint32Array {
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
  if (s.kind === 'ids') return s.ids.length;
  let n = 0;
  for (const w of s.bits) if (w !== 0) n += popcount(w);
  return n;
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
  for (let i = 0; i < out.length; i++) out[i] = x[i]! & y[i]!;
  return { kind: 'bits', bits: out };
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
  for (let i = 0; i < out.length; i++) out[i] = (x[i] ?? 0) | (y[i] ?? 0);
  return { kind: 'bits', bits: out };
}

function subtract(a: DocSet, b: DocSet): DocSet {
  if (a.kind === 'ids') {
    if (b.kind === 'bits') return { kind: 'ids', ids: a.ids.filter((id) => !hasBit(b.bits, id)) };
    const drop = new Set(b.ids);
    return { kind: 'ids', ids: a.ids.filter((id) => !drop.has(id)) };
  }
  const y = b.kind === 'bits' ? b.bits : toBits(b.ids, 0);
  const out = Uint32Array.from(a.bits);
  for (let i = 0; i < out.length && i < y.length; i++) out[i]! &= ~y[i]!;
  return { kind: 'bits', bits: out };
}
