/**
 * Every live document's facet values, held in typed arrays in this process, so filtering and
 * counting facets over a result set of any size is a pass over integers (about 10 ns a value),
 * not a query. Kept current from the index's change numbers (`search_docs.seq`): before each
 * search the store reads what changed since it last looked, so a change is counted as soon as it
 * commits, in every process.
 */
import type { DocFacets } from '../../domain/search/document.js';
import { readSignature, SIGNATURE_WORDS } from '../../domain/search/signature.js';
import type { FacetRow, SearchIndex } from '../ports.js';
import { sortKey } from '../../text/vi.js';

/** Facets whose values are strings (dictionary-coded here). */
export const TEXT_FACETS = ['material', 'language', 'subject', 'author', 'collection', 'class'] as const;
export type TextFacet = (typeof TEXT_FACETS)[number];
/**
 * A document's slice of the arena is a flat list of tagged values, `section << 24 | value`: its
 * languages, subjects, authors, collections, classes, units holding it, units with it on the
 * shelf, its material, its year (if any) and, if it is on a shelf anywhere, one `anywhere` mark.
 * Counting a slice is one tight loop (`counts[tag][value]++`), with no branch per section.
 */
const S = { language: 0, subject: 1, author: 2, collection: 3, class: 4, held: 5, available: 6, material: 7, year: 8, anywhere: 9 } as const;
type Section = keyof typeof S;
const TAG = 24;
const VALUE = (1 << TAG) - 1;
/** Values per section and document, at most (a record with more counts the first ones). */
const PER_SECTION = 255;

export interface FacetFilters {
  material?: readonly string[];
  language?: readonly string[];
  subject?: readonly string[];
  author?: readonly string[];
  collection?: readonly string[];
  class?: readonly string[];
  /** Held at or below any of these units. */
  library?: readonly number[];
  /** `anywhere`: a copy on the shelf somewhere; a unit id: on the shelf at or below it. */
  available?: 'anywhere' | number;
  yearFrom?: number | null;
  yearTo?: number | null;
}

export interface FacetCounts {
  material: Map<string, number>;
  language: Map<string, number>;
  subject: Map<string, number>;
  author: Map<string, number>;
  collection: Map<string, number>;
  class: Map<string, number>;
  /** Per unit: records held at or below it (rolled up through the tree). */
  library: Map<number, number>;
  /** Per unit: records with a copy on the shelf at or below it. */
  availableAt: Map<number, number>;
  availableAnywhere: number;
  /** Per decade (1990 = 1990–1999); records without a year are not counted. */
  decade: Map<number, number>;
  /** Counted over an even sample of the matches and scaled: more than {@link EXACT_COUNTS} matched. */
  approximate: boolean;
}

class Dictionary {
  readonly ids = new Map<string, number>();
  readonly values: string[] = [];
  readonly #keys: string[] = [];
  /** The value's Vietnamese sort key, computed once. */
  key(id: number): string {
    return (this.#keys[id] ??= sortKey(this.values[id]!));
  }
  id(v: string): number {
    let id = this.ids.get(v);
    if (id === undefined) {
      id = this.values.length;
      if (id > VALUE) throw new RangeError(`more than ${VALUE + 1} distinct facet values: they do not fit in the facet store's ${TAG} bits`);
      this.values.push(v);
      this.ids.set(v, id);
    }
    return id;
  }
}

interface Counters {
  material: Uint32Array;
  language: Uint32Array;
  subject: Uint32Array;
  author: Uint32Array;
  collection: Uint32Array;
  class: Uint32Array;
  library: Uint32Array;
  availableAt: Uint32Array;
  year: Uint32Array;
  anywhere: Uint32Array;
}

interface CompiledFilters {
  material: Set<number> | null;
  language: Set<number> | null;
  subject: Set<number> | null;
  author: Set<number> | null;
  collection: Set<number> | null;
  class: Set<number> | null;
  library: Set<number> | null;
  available: 'anywhere' | Set<number> | null;
  yearFrom: number | null;
  yearTo: number | null;
}

/** Facet counts are exact up to this many matches (the issue asks for 100,000 at least). */
export const EXACT_COUNTS = 150_000;

const SAMPLE_SPAN = 2 ** 32;

/** The n-th largest of `m`'s counts (1 when fewer than n are not zero). */
function nthLargest(m: Uint32Array, n: number): number {
  // The n largest seen so far, unordered, and where the smallest of them is.
  const top: number[] = [];
  let low = 0;
  for (let i = 0; i < m.length; i++) {
    const v = m[i]!;
    if (v === 0) continue;
    if (top.length < n) {
      top.push(v);
      if (top.length === n) low = top.indexOf(Math.min(...top));
    } else if (v > top[low]!) {
      top[low] = v;
      low = top.indexOf(Math.min(...top));
    }
  }
  return top.length < n ? 1 : top[low]!;
}

/** `[index, count × scale]` of the counts at least `floor`; leaves every count zeroed. */
function drainAtLeast(m: Uint32Array, floor: number, scale: number): [number, number][] {
  const e: [number, number][] = [];
  for (let i = 0; i < m.length; i++) {
    const v = m[i]!;
    if (v === 0) continue;
    if (v >= floor) e.push([i, v * scale]);
    m[i] = 0;
  }
  return e;
}

/** Hits whose slices are read ahead together in filterAndCount. */
const BLOCK = 16;

/** `offset` of a document that is not live. */
const DEAD = 0xffffffff;
/** The section counted for each filter bit of {@link FacetStore#failures} (available: also `anywhere`). */
const FILTER_SECTION = [S.material, S.language, S.subject, S.author, S.collection, S.class, S.held, S.available, S.year];

function deadOffsets(n: number): Uint32Array {
  return new Uint32Array(n).fill(DEAD);
}

/** Changes remembered for caches to catch up with (beyond this, they rebuild). */
const CHANGE_LOG = 65_536;

const FILTER_KEYS = ['material', 'language', 'subject', 'author', 'collection', 'class', 'library', 'available', 'year'] as const;
type FilterKey = (typeof FILTER_KEYS)[number];

export class FacetStore {
  #size = 0;
  #alive = new Uint8Array(1024);
  #material = new Uint16Array(1024);
  #year = new Uint16Array(1024);
  #offset = deadOffsets(1024);
  #length = new Uint16Array(1024);
  #arena = new Uint32Array(1 << 16);
  /** Each document's word signature (SIGNATURE_WORDS words; zero when it has none). */
  #sig = new Uint32Array(1024 * SIGNATURE_WORDS);
  /** 1 for a live document indexed without a signature. */
  #unsigned = new Uint8Array(1024);
  #unsignedLive = 0;
  #used = 0;
  #wasted = 0;
  #live = 0;
  readonly #dicts: Record<TextFacet, Dictionary> = {
    material: new Dictionary(),
    language: new Dictionary(),
    subject: new Dictionary(),
    author: new Dictionary(),
    collection: new Dictionary(),
    class: new Dictionary(),
  };
  #maxUnit = 0;
  /** The highest year any document had (the year counts are read up to it). */
  #maxYear = 0;
  #position = { seq: -1, id: 0 };
  #stateSeq = -1;
  #generation = -1;
  #syncing: Promise<void> | null = null;

  /** Live documents. */
  get live(): number {
    return this.#live;
  }

  /** Brings the arrays up to date with the index (one query when nothing changed). */
  async sync(index: SearchIndex): Promise<void> {
    while (this.#syncing) await this.#syncing;
    this.#syncing = this.#sync(index).finally(() => {
      this.#syncing = null;
    });
    await this.#syncing;
  }

  async #sync(index: SearchIndex): Promise<void> {
    const state = await index.state();
    if (state.generation !== this.#generation) {
      this.#reset();
      this.#generation = state.generation;
    } else if (state.seq === this.#stateSeq) {
      return;
    }
    this.#stateSeq = state.seq;
    for (;;) {
      const rows = await index.facetRows(this.#position, 20_000);
      for (const r of rows) this.#apply(r);
      if (rows.length > 0) {
        const last = rows[rows.length - 1]!;
        this.#position = { seq: last.seq, id: last.id };
      }
      if (rows.length < 20_000) break;
    }
  }

  // ---- change log: which documents changed, for caches derived from the index (LeafCache)

  /** Counts every applied change; a reset starts a new epoch. */
  #changes = 0;
  #epoch = 0;
  readonly #log = new Uint32Array(CHANGE_LOG);

  #logChange(id: number): void {
    this.#log[this.#changes % CHANGE_LOG] = id;
    this.#changes++;
  }

  /** A position in the change log: compare later with {@link changedSince}. */
  get mark(): { epoch: number; changes: number } {
    return { epoch: this.#epoch, changes: this.#changes };
  }

  /** Documents changed since `mark` (possibly repeated); null when the log no longer reaches back. */
  changedSince(mark: { epoch: number; changes: number }): number[] | null {
    if (mark.epoch !== this.#epoch || this.#changes - mark.changes > CHANGE_LOG) return null;
    const out: number[] = [];
    for (let c = mark.changes; c < this.#changes; c++) out.push(this.#log[c % CHANGE_LOG]!);
    return out;
  }

  /** One past the highest document id seen (bitsets are this long). */
  get size(): number {
    return this.#size;
  }

  #reset(): void {
    this.#epoch++;
    this.#changes = 0;
    this.#size = 0;
    this.#alive = new Uint8Array(1024);
    this.#material = new Uint16Array(1024);
    this.#year = new Uint16Array(1024);
    this.#offset = deadOffsets(1024);
    this.#length = new Uint16Array(1024);
    this.#arena = new Uint32Array(1 << 16);
    this.#sig = new Uint32Array(1024 * SIGNATURE_WORDS);
    this.#unsigned = new Uint8Array(1024);
    this.#unsignedLive = 0;
    this.#used = 0;
    this.#wasted = 0;
    this.#live = 0;
    this.#position = { seq: -1, id: 0 };
    this.#stateSeq = -1;
  }

  #grow(id: number): void {
    if (id < this.#alive.length) return;
    let n = this.#alive.length;
    while (n <= id) n *= 2;
    const grow = <T extends Uint8Array | Uint16Array | Uint32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.#alive = grow(this.#alive);
    this.#material = grow(this.#material);
    this.#year = grow(this.#year);
    const offset = deadOffsets(n);
    offset.set(this.#offset);
    this.#offset = offset;
    this.#length = grow(this.#length);
    this.#unsigned = grow(this.#unsigned);
    const sig = new Uint32Array(n * SIGNATURE_WORDS);
    sig.set(this.#sig);
    this.#sig = sig;
  }

  #apply(r: FacetRow): void {
    // Checked before anything changes: the document's old values stay as they were.
    for (const u of r.alive && r.facets ? [...r.facets.held, ...r.facets.available] : []) {
      if (!(u >= 0 && u <= VALUE)) throw new RangeError(`unit id ${u} of document ${r.id} does not fit in the facet store's ${TAG} bits`);
    }
    this.#logChange(r.id);
    this.#grow(r.id);
    if (r.id >= this.#size) this.#size = r.id + 1;
    if (this.#unsigned[r.id]) {
      this.#unsigned[r.id] = 0;
      this.#unsignedLive--;
    }
    this.#sig.fill(0, r.id * SIGNATURE_WORDS, (r.id + 1) * SIGNATURE_WORDS);
    if (this.#alive[r.id]) {
      this.#live--;
      this.#wasted += this.#length[r.id]!;
      // Its old slice is garbage from now on: a compaction in #reserve below must not copy it.
      this.#alive[r.id] = 0;
      this.#offset[r.id] = DEAD;
    }
    if (!r.alive || !r.facets) {
      this.#alive[r.id] = 0;
      this.#offset[r.id] = DEAD;
      this.#length[r.id] = 0;
      return;
    }
    const f: DocFacets = r.facets;
    this.#alive[r.id] = 1;
    this.#live++;
    if (!readSignature(f.sig, this.#sig, r.id * SIGNATURE_WORDS)) {
      this.#unsigned[r.id] = 1;
      this.#unsignedLive++;
    }
    this.#material[r.id] = this.#dicts.material.id(f.material);
    this.#year[r.id] = f.year ?? 0;
    if (this.#year[r.id]! > this.#maxYear) this.#maxYear = this.#year[r.id]!;
    const parts: Array<[number, readonly number[]]> = [
      [S.language, f.languages.map((v) => this.#dicts.language.id(v))],
      [S.subject, f.subjects.map((v) => this.#dicts.subject.id(v))],
      [S.author, f.authors.map((v) => this.#dicts.author.id(v))],
      [S.collection, f.collections.map((v) => this.#dicts.collection.id(v))],
      [S.class, f.classes.map((v) => this.#dicts.class.id(v))],
      [S.held, f.held],
      [S.available, f.available],
      // Material and year in the slice too: counting reads one place per document.
      [S.material, [this.#material[r.id]!]],
      [S.year, this.#year[r.id] ? [this.#year[r.id]!] : []],
      [S.anywhere, f.available.length > 0 ? [0] : []],
    ];
    for (const u of f.held) if (u > this.#maxUnit) this.#maxUnit = u;
    for (const u of f.available) if (u > this.#maxUnit) this.#maxUnit = u;
    const need = parts.reduce((n, [, p]) => n + Math.min(p.length, PER_SECTION), 0);
    this.#reserve(need);
    let at = this.#used;
    this.#offset[r.id] = at;
    for (const [tag, p] of parts) {
      const n = Math.min(p.length, PER_SECTION);
      for (let i = 0; i < n; i++) {
        this.#arena[at++] = (tag << TAG) | p[i]!;
      }
    }
    this.#length[r.id] = need;
    this.#used = at;
  }

  #reserve(n: number): void {
    if (this.#used + n <= this.#arena.length) return;
    if (this.#wasted > this.#used / 2) {
      this.#compact();
      if (this.#used + n <= this.#arena.length) return;
    }
    let size = this.#arena.length * 2;
    while (size < this.#used + n) size *= 2;
    const b = new Uint32Array(size);
    b.set(this.#arena.subarray(0, this.#used));
    this.#arena = b;
  }

  #compact(): void {
    const b = new Uint32Array(this.#arena.length);
    let at = 0;
    for (let id = 0; id < this.#size; id++) {
      if (!this.#alive[id]) continue;
      const o = this.#offset[id]!;
      const len = this.#length[id]!;
      b.set(this.#arena.subarray(o, o + len), at);
      this.#offset[id] = at;
      at += len;
    }
    this.#arena = b;
    this.#used = at;
    this.#wasted = 0;
  }

  /** Whether the document has a value of `section` in `wanted` (any value when `wanted` is null). */
  #has(id: number, section: Section, wanted: Set<number> | null): boolean {
    const arena = this.#arena;
    const at = this.#offset[id]!;
    const end = at + this.#length[id]!;
    const tag = S[section];
    for (let i = at; i < end; i++) {
      const v = arena[i]!;
      if (v >>> TAG === tag && (wanted === null || wanted.has(v & VALUE))) return true;
    }
    return false;
  }

  /**
   * Whether word signatures can stand for the engine: all but at most one live document in a
   * hundred have one (documents indexed before signatures were kept have none until rewritten or
   * reindexed; {@link newestSigned} passes those as if they held every word).
   */
  get signed(): boolean {
    return this.#unsignedLive * 100 <= this.#live;
  }

  /**
   * Up to `limit` of `among` (ascending ids) whose word signature passes `test`, highest ids
   * first, looking at no more than `maxScan` of them; null when that many were looked at
   * without finding `limit` (the caller then asks the engine). `test` reads a document's
   * signature at `sig[base] … sig[base + SIGNATURE_WORDS - 1]`.
   */
  newestSigned(among: Uint32Array, test: (sig: Uint32Array, base: number) => boolean, limit: number, maxScan: number): number[] | null {
    const out: number[] = [];
    const sig = this.#sig;
    const size = this.#size;
    let looked = 0;
    for (let i = among.length - 1; i >= 0 && out.length < limit; i--) {
      if (++looked > maxScan) return null;
      const id = among[i]!;
      if (id < size && this.#alive[id] && (this.#unsigned[id] || test(sig, id * SIGNATURE_WORDS))) out.push(id);
    }
    return out;
  }

  isLive(id: number): boolean {
    return id < this.#size && this.#alive[id] === 1;
  }

  year(id: number): number | null {
    return this.isLive(id) ? this.#year[id]! || null : null;
  }

  /** Every live document (an empty query), optionally only those held at or below a unit. */
  all(heldUnder?: number | null): Uint32Array {
    const out = new Uint32Array(this.#live);
    let k = 0;
    const want = heldUnder ? new Set([heldUnder]) : null;
    for (let id = 0; id < this.#size; id++) {
      if (!this.#alive[id]) continue;
      if (want && !this.#has(id, 'held', want)) continue;
      out[k++] = id;
    }
    return out.subarray(0, k);
  }

  #compile(filters: FacetFilters): CompiledFilters {
    const textSet = (facet: TextFacet, values: readonly string[] | undefined): Set<number> | null => {
      if (!values || values.length === 0) return null;
      const ids = new Set<number>();
      for (const v of values) {
        const id = this.#dicts[facet].ids.get(v);
        ids.add(id ?? -1);
      }
      return ids;
    };
    return {
      material: textSet('material', filters.material),
      language: textSet('language', filters.language),
      subject: textSet('subject', filters.subject),
      author: textSet('author', filters.author),
      collection: textSet('collection', filters.collection),
      class: textSet('class', filters.class),
      library: filters.library && filters.library.length > 0 ? new Set(filters.library) : null,
      available: filters.available === undefined ? null : filters.available === 'anywhere' ? 'anywhere' : new Set([filters.available]),
      yearFrom: filters.yearFrom ?? null,
      yearTo: filters.yearTo ?? null,
    };
  }

  /** Bit per filter a document fails (0: it passes all). */
  #failures(id: number, c: CompiledFilters): number {
    let mask = 0;
    if (c.material && !c.material.has(this.#material[id]!)) mask |= 1 << 0;
    if (c.language && !this.#has(id, 'language', c.language)) mask |= 1 << 1;
    if (c.subject && !this.#has(id, 'subject', c.subject)) mask |= 1 << 2;
    if (c.author && !this.#has(id, 'author', c.author)) mask |= 1 << 3;
    if (c.collection && !this.#has(id, 'collection', c.collection)) mask |= 1 << 4;
    if (c.class && !this.#has(id, 'class', c.class)) mask |= 1 << 5;
    if (c.library && !this.#has(id, 'held', c.library)) mask |= 1 << 6;
    if (c.available !== null && !(c.available === 'anywhere' ? this.#has(id, 'anywhere', null) : this.#has(id, 'available', c.available))) mask |= 1 << 7;
    if (c.yearFrom !== null || c.yearTo !== null) {
      const y = this.#year[id]!;
      if (y === 0 || (c.yearFrom !== null && y < c.yearFrom) || (c.yearTo !== null && y > c.yearTo)) mask |= 1 << 8;
    }
    return mask;
  }

  /**
   * Filters `hits` and counts every facet over them. Counts are multi-select: each facet is
   * counted over the hits that pass every *other* facet's filter, so choosing one language still
   * shows how many the other languages would add (OR within a facet, AND across facets).
   */
  filterAndCount(hits: Uint32Array, filters: FacetFilters, opts: { counts?: boolean; topN?: number; exactCounts?: number } = {}): { ids: Uint32Array; counts: FacetCounts | null } {
    const c = this.#compile(filters);
    const out = new Uint32Array(hits.length);
    let k = 0;
    const wantCounts = opts.counts !== false;
    // Counts in typed arrays indexed by dictionary code, unit id or year: no hashing per value.
    // The arrays are kept between calls (this method never waits) and left zeroed by `drain`.
    const raw = this.#counters();
    // The count array of each section tag (S).
    const counts = [raw.language, raw.subject, raw.author, raw.collection, raw.class, raw.library, raw.availableAt, raw.material, raw.year, raw.anywhere];
    const arena = this.#arena;
    const offset = this.#offset;
    const length = this.#length;
    const size = this.#size;
    // Above EXACT_COUNTS matches, counts come from an even sample and are scaled (and flagged).
    const exact = opts.exactCounts ?? EXACT_COUNTS;
    const stride = hits.length > exact ? Math.ceil(hits.length / exact) : 1;
    const noFilters = FacetStore.activeFilters(filters).length === 0;
    // Hits come in blocks: first each one's slice is read once (independent loads the processor
    // overlaps), then counted from cache. A slice read cold costs more than counting it.
    const block = this.#block;
    let touched = 0;
    for (let b = 0; b < hits.length; b += BLOCK) {
      const end = Math.min(b + BLOCK, hits.length);
      for (let h = b; h < end; h++) {
        const id = hits[h]!;
        const o = id < size ? offset[id]! : DEAD;
        block[h - b] = o;
        if (o !== DEAD) touched += arena[o]!;
      }
      for (let h = b; h < end; h++) {
        const id = hits[h]!;
        const at = block[h - b]!;
        if (at === DEAD) continue;
        const mask = noFilters ? 0 : this.#failures(id, c);
        if (mask === 0) out[k++] = id;
        // The sample: ids picked by a multiplicative hash, so no pattern in the ids biases it.
        if (!wantCounts || (stride > 1 && Math.imul(id, 0x9e3779b1) >>> 0 >= SAMPLE_SPAN / stride)) continue;
        const stop = at + length[id]!;
        if (mask === 0) {
          // Passes every filter (the common case): every facet counts it.
          for (let i = at; i < stop; i++) {
            const v = arena[i]!;
            counts[v >>> TAG]![v & VALUE]!++;
          }
          continue;
        }
        // Counted for facet f when it fails no filter but f's own.
        if ((mask & (mask - 1)) !== 0) continue;
        const only = FILTER_SECTION[31 - Math.clz32(mask)]!;
        // Failing only the shelf filter counts for both of its facets (a unit, and anywhere).
        const also = only === S.available ? S.anywhere : only;
        for (let i = at; i < stop; i++) {
          const v = arena[i]!;
          const tag = v >>> TAG;
          if (tag === only || tag === also) counts[tag]![v & VALUE]!++;
        }
      }
    }
    block[BLOCK] = touched;
    const ids = out.subarray(0, k);
    if (!wantCounts) return { ids, counts: null };
    const d = this.#dicts;
    // Reads the counts (scaled for a sample) and leaves the array zeroed for the next call.
    const drain = (m: Uint32Array, length = m.length): [number, number][] => {
      const e: [number, number][] = [];
      for (let i = 0; i < length; i++) {
        if (m[i] === 0) continue;
        e.push([i, m[i]! * stride]);
        m[i] = 0;
      }
      return e;
    };
    const named = (facet: TextFacet, m: Uint32Array) => {
      const values = d[facet].values;
      const dict = d[facet];
      const cut = opts.topN && (facet === 'subject' || facet === 'author') ? opts.topN : 0;
      // Only the values counted at least as often as the topN-th (a result set can have tens of
      // thousands of authors: sorting them all to keep 30 cost milliseconds), then by count and
      // Vietnamese order among equal counts, including those tied with the last one kept.
      const top = cut > 0 ? drainAtLeast(m, nthLargest(m, cut), stride) : drain(m);
      top.sort((a, b) => b[1] - a[1] || (dict.key(a[0]) < dict.key(b[0]) ? -1 : dict.key(a[0]) > dict.key(b[0]) ? 1 : 0));
      return new Map((cut > 0 ? top.slice(0, cut) : top).map(([k2, v]) => [values[k2]!, v]));
    };
    const decade = new Map<number, number>();
    for (const [y, n] of drain(raw.year, this.#maxYear + 1)) {
      const dec = Math.floor(y / 10) * 10;
      decade.set(dec, (decade.get(dec) ?? 0) + n);
    }
    return {
      ids,
      counts: {
        material: named('material', raw.material),
        language: named('language', raw.language),
        subject: named('subject', raw.subject),
        author: named('author', raw.author),
        collection: named('collection', raw.collection),
        class: named('class', raw.class),
        library: new Map(drain(raw.library)),
        availableAt: new Map(drain(raw.availableAt)),
        availableAnywhere: drain(raw.anywhere)[0]?.[1] ?? 0,
        decade,
        approximate: stride > 1,
      },
    };
  }

  #scratch: Counters | null = null;
  /** The block's offsets, and in its last slot what the reads ahead summed (so no compiler drops them). */
  readonly #block = new Uint32Array(BLOCK + 1);

  /**
   * Zeroed count arrays as long as the dictionaries and the unit ids need. Allocating them per
   * search (a year array alone is 256 KB) cost more than counting a small result set.
   */
  #counters(): Counters {
    const d = this.#dicts;
    const units = this.#maxUnit + 1;
    const s = this.#scratch;
    const fit = (a: Uint32Array | undefined, n: number) => (a && a.length >= n ? a : new Uint32Array(Math.ceil(n * 1.25) + 16));
    const next: Counters = {
      material: fit(s?.material, d.material.values.length),
      language: fit(s?.language, d.language.values.length),
      subject: fit(s?.subject, d.subject.values.length),
      author: fit(s?.author, d.author.values.length),
      collection: fit(s?.collection, d.collection.values.length),
      class: fit(s?.class, d.class.values.length),
      library: fit(s?.library, units),
      availableAt: fit(s?.availableAt, units),
      year: s?.year ?? new Uint32Array(65536),
      anywhere: s?.anywhere ?? new Uint32Array(1),
    };
    this.#scratch = next;
    return next;
  }

  /** The filter keys a request set (for tests and the API's echo). */
  static activeFilters(f: FacetFilters): FilterKey[] {
    return FILTER_KEYS.filter((k) => (k === 'year' ? f.yearFrom != null || f.yearTo != null : k === 'available' ? f.available !== undefined : ((f as Record<string, unknown>)[k] as unknown[] | undefined)?.length));
  }
}
