/**
 * Browsing the union catalogue: the A–Z lists of authors and subjects, the classification
 * outline, shelving collections and new arrivals.
 *
 * The A–Z lists read the search index's heading table (`search_headings`), which the indexer keeps
 * counted in the same transaction as every catalogue change: a page of one letter is one range
 * read of its browse index, however large the catalogue. Class and collection counts and new
 * arrivals come from the search service's in-memory facet arrays (kept current from the index's
 * change numbers), so none of this ever reads MARC records.
 */
import { AppError } from '../../domain/errors.js';
import { BUCKETS, letterOfKey, letterRange, prefixBound, type BrowseLetter } from '../../domain/browse/alphabet.js';
import { classOutline, type ClassOutline } from '../../domain/browse/classes.js';
import { compareVi } from '../../text/fold.js';
import { headingKey } from '../../domain/search/vocabulary.js';
import { heldToken } from '../../domain/search/document.js';
import type { BrowseHeading, BrowseKind, BrowsePosition, Clock, SearchIndex, SearchRow } from '../ports.js';
import type { SearchService } from '../search/search.service.js';
import type { FacetCounts } from '../search/facet-store.js';

/** Headings on one page of an A–Z list. */
export const HEADINGS_PER_PAGE = 100;
/** New arrivals on one page. */
export const ARRIVALS_PER_PAGE = 20;

export interface HeadingQuery {
  kind: BrowseKind;
  /** The letter to list (`A` when neither it nor `from` is given). */
  letter?: BrowseLetter;
  /** "Jump to": the list starts at the first heading at or after this text; its letter wins over `letter`. */
  from?: string;
  /** The page after this position (a "next" link) … */
  after?: BrowsePosition;
  /** … or the page before it (a "previous" link). */
  before?: BrowsePosition;
  limit?: number;
}

export interface HeadingPage {
  kind: BrowseKind;
  letter: BrowseLetter;
  headings: BrowseHeading[];
  /** Headings filed under the letter. */
  total: number;
  /** This page's first row when headings come before it: the "previous page" cursor. */
  prev: BrowsePosition | null;
  /** This page's last row when headings follow it: the "next page" cursor. */
  next: BrowsePosition | null;
}

export interface Arrivals {
  /** Newest first. */
  rows: SearchRow[];
  /** The id to continue before (older records), when there are more. */
  next: number | null;
}

export interface CatalogueCounts {
  classes: ClassOutline;
  /** Shelving collections (the items' shelving locations) and how many records have a copy in each. */
  collections: { name: string; count: number }[];
}

function fromError(): AppError {
  return new AppError('VALIDATION', {}, [{ field: 'from', code: 'VALIDATION', params: { rule: 'browse.error.from' } }]);
}

/**
 * A letter with more headings than this has its count kept up to {@link BIG_LETTER_AGE_MS} after a
 * change (counting 160,000 "Nguyễn…" takes tens of milliseconds); smaller ones are always exact.
 */
const BIG_LETTER = 20_000;
const BIG_LETTER_AGE_MS = 60_000;
/** Above this many records, class and collection counts may be up to {@link BIG_LETTER_AGE_MS} old. */
const BIG_CATALOGUE = 100_000;

export class BrowseService {
  readonly #index: SearchIndex;
  readonly #search: SearchService;
  readonly #clock: Clock;
  #counts: { epoch: number; changes: number; at: number; value: CatalogueCounts } | null = null;
  readonly #totals = new Map<string, { seq: number; at: number; n: number }>();

  constructor(deps: { index: SearchIndex; search: SearchService; clock: Clock }) {
    this.#index = deps.index;
    this.#search = deps.search;
    this.#clock = deps.clock;
  }

  /** Headings under a letter: counted again after the index changed (see {@link BIG_LETTER}). */
  async #total(kind: BrowseKind, letter: BrowseLetter): Promise<number> {
    const { seq } = await this.#index.state();
    const key = `${kind}|${letter}`;
    const now = this.#clock.now().getTime();
    const hit = this.#totals.get(key);
    if (hit && (hit.seq === seq || (hit.n >= BIG_LETTER && now - hit.at < BIG_LETTER_AGE_MS))) return hit.n;
    const range = letterRange(letter);
    const n = await this.#index.countHeadings(kind, range.from, range.to);
    this.#totals.set(key, { seq, at: now, n });
    return n;
  }

  /** Which letters have headings of a kind (the letter bar links only those). */
  async letters(kind: BrowseKind): Promise<Map<BrowseLetter, boolean>> {
    const present = await this.#index.headingRanges(
      kind,
      BUCKETS.map((l) => {
        const r = letterRange(l);
        return [r.from, r.to] as const;
      }),
    );
    return new Map(BUCKETS.map((l, i) => [l, present[i] ?? false]));
  }

  /**
   * Where "jump to" lands. Typed with marks, the text is a position in Vietnamese order. Typed
   * without any (`nguyen v`, as most people type on a phone), it is taken to mean any marks: `e`
   * and `ê` are different letters, so the headings it could mean are not together, and the list
   * starts at the first heading that reads the same once marks are removed (`Nguyễn Văn …`).
   */
  async #jump(kind: BrowseKind, from: string): Promise<string> {
    const exact = prefixBound(from);
    if (exact === null) throw fromError();
    if (/^[\x20-\x7e]*$/.test(from)) {
      const folded = headingKey(from);
      // Keep a trailing space: "nguyen " means the word is complete.
      const hit = folded === '' ? null : await this.#index.headingByFolded(kind, /\s$/.test(from) ? `${folded} ` : folded);
      if (hit) return hit.key;
    }
    return exact;
  }

  /** One page of an A–Z list. Throws VALIDATION (field `from`) when `from` has nothing to file by. */
  async headings(q: HeadingQuery): Promise<HeadingPage> {
    const bound = q.from !== undefined ? await this.#jump(q.kind, q.from) : null;
    const letter = bound !== null ? letterOfKey(bound) : (q.letter ?? 'A');
    const range = letterRange(letter);
    const lower = bound !== null && bound > range.from ? bound : range.from;
    const limit = Math.min(Math.max(Math.trunc(q.limit ?? HEADINGS_PER_PAGE), 1), 500);
    const within = { kind: q.kind, to: range.to };
    const [headings, total] = await Promise.all([
      this.#index.browseHeadings({ ...within, from: q.before ? range.from : lower, after: q.before ? undefined : q.after, before: q.before, limit }),
      this.#total(q.kind, letter),
    ]);
    let prev: BrowsePosition | null = null;
    let next: BrowsePosition | null = null;
    if (headings.length > 0) {
      const first = headings[0]!;
      const last = headings[headings.length - 1]!;
      // One-row probes on each side: paging back may go before the jump, never past the letter.
      const [before, after] = await Promise.all([
        this.#index.browseHeadings({ ...within, from: range.from, before: first, limit: 1 }),
        this.#index.browseHeadings({ ...within, from: range.from, after: last, limit: 1 }),
      ]);
      if (before.length > 0) prev = { key: first.key, heading: first.heading };
      if (after.length > 0) next = { key: last.key, heading: last.heading };
    }
    return { kind: q.kind, letter, headings, total, prev, next };
  }

  /**
   * Class and collection counts over the whole catalogue, exact. Counted over the facet arrays
   * again after the index changed (every process sees a change as soon as it commits); on a
   * catalogue of more than {@link BIG_CATALOGUE} records, at most once every
   * {@link BIG_LETTER_AGE_MS}, since one pass over a million documents takes tens of milliseconds.
   */
  async counts(): Promise<CatalogueCounts> {
    const store = this.#search.facetStore;
    await store.sync(this.#index);
    const mark = store.mark;
    const now = this.#clock.now().getTime();
    const c = this.#counts;
    if (c && c.epoch === mark.epoch && (c.changes === mark.changes || (store.live > BIG_CATALOGUE && now - c.at < BIG_LETTER_AGE_MS))) return c.value;
    // topN 1: author and subject counts are not wanted here, so keep them cheap.
    const { counts } = store.filterAndCount(store.all(), {}, { counts: true, topN: 1, exactCounts: Number.MAX_SAFE_INTEGER });
    const value = countsOf(counts!);
    this.#counts = { epoch: mark.epoch, changes: mark.changes, at: now, value };
    return value;
  }

  /**
   * The newest records (the highest ids: the order they were added to the catalogue) with a copy
   * held at or below a unit (a library, or the network's root for all of them), older than `before`.
   */
  async newArrivals(q: { unitId: number | null; before?: number; limit?: number }): Promise<Arrivals> {
    const limit = Math.min(Math.max(Math.trunc(q.limit ?? ARRIVALS_PER_PAGE), 1), 100);
    const store = this.#search.facetStore;
    await store.sync(this.#index);
    let ids: number[] = [];
    let id = Math.min(q.before ?? store.size, store.size) - 1;
    if (q.unitId !== null && q.before === undefined) {
      // The first page (and every feed) straight from the engine: "held at or below the unit" is
      // one indexed term, and the engine returns its newest documents first, however few they are.
      const held = await this.#index.match({ op: 'tok', cols: ['meta'], token: heldToken(q.unitId), prefix: false }, { limit: limit + 1 });
      ids = [...held].filter((x) => store.isLive(x));
      id = -1;
    }
    // Walk down from the newest id in slices, keeping what the unit holds, until the page (and one more) is full.
    while (id >= 0 && ids.length <= limit) {
      const slice: number[] = [];
      for (; id >= 0 && slice.length < 4096; id--) if (store.isLive(id)) slice.push(id);
      const kept = q.unitId === null ? slice : store.filterAndCount(Uint32Array.from(slice), { library: [q.unitId] }, { counts: false }).ids;
      for (const x of kept) {
        ids.push(x);
        if (ids.length > limit) break;
      }
    }
    const page = ids.slice(0, limit);
    const byId = new Map((await this.#index.rows(page)).map((r) => [r.id, r]));
    const rows = page.map((i) => byId.get(i)).filter((r): r is SearchRow => r !== undefined);
    return { rows, next: ids.length > limit && page.length > 0 ? page[page.length - 1]! : null };
  }
}

function countsOf(c: FacetCounts): CatalogueCounts {
  const collections = [...c.collection].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || compareVi(a.name, b.name));
  return { classes: classOutline(c.class), collections };
}
