/**
 * Discovery search over the union catalogue: parse, match in the engine, filter and count
 * facets in memory, rank in our code, page, highlight, and suggest.
 *
 * Relevance is computed for a bounded candidate set: every hit when there are few; for broad
 * queries, the hits most likely to rank first (the whole title, the words in the title, the
 * exact spelling, the newest) — the engine is asked only for "the first N ids matching", which
 * costs little however many records match. The total and the facets always count every hit.
 */
import { describeQuery, parseQuery, type ParsedQuery, type QueryProblem } from '../../domain/search/query.js';
import { compileQuery, describeExpr, type CompiledQuery, type MatchExpr, type QueryWord } from '../../domain/search/compile.js';
import { scorer } from '../../domain/search/rank.js';
import { foldToken, editDistance, hasMarks, syllables } from '../../text/vi.js';
import { availableLibraries, type DocDisplay, type SearchColumn } from '../../domain/search/document.js';
import type { HeadingHit, PageHit, SearchIndex } from '../ports.js';
import { FacetStore, type FacetCounts, type FacetFilters } from './facet-store.js';
import { compact, docIds, LeafCache, sorted, type DocSet, type LeafCacheOptions } from './evaluate.js';
import { ResultCache, type ResultCacheOptions } from './result-cache.js';
import { IdSet } from './id-set.js';
import { RankCache } from './rank-cache.js';
import { signatureTest } from '../../domain/search/signature.js';

export const SORTS = ['relevance', 'newest', 'oldest', 'title', 'author'] as const;
export type SearchSort = (typeof SORTS)[number];

export interface SearchRequest {
  q: string;
  /** A query already parsed (SRU's CQL mapped by `cqlToSearch`); `q` is then only for display. */
  parsed?: ParsedQuery;
  /** Start at this hit (0-based) instead of at `page`; for protocols that page by record position. */
  offset?: number;
  filters?: FacetFilters;
  /** Only records held at or below this unit. */
  heldUnder?: number | null;
  /** Only records with a copy on the shelf at or below this unit ("available near me"). */
  availableUnder?: number | null;
  sort?: SearchSort;
  page?: number;
  pageSize?: number;
  facets?: boolean;
  /** Look inside digitised documents' page text too (results after catalogue matches). */
  fullText?: boolean;
  /** The reader's unit: each result then says whether a copy is on the shelf at or below it. */
  here?: number | null;
}

/** A piece of text, marked when it matched the query. */
export interface Segment {
  text: string;
  hit: boolean;
}

export interface SearchResult {
  id: number;
  display: DocDisplay;
  holdings: number;
  /** A copy is on the shelf somewhere now. */
  available: boolean;
  /** How many libraries (distinct owning units) have a copy on the shelf now; 0 when none has. */
  availableLibraries: number;
  /** A copy is on the shelf at or below `here`; null without it. */
  availableHere: boolean | null;
  score: number | null;
  /** The title cut into matched and unmatched pieces. */
  title: Segment[];
  /** Matched only inside the page text of a digitised copy. */
  fullTextOnly: boolean;
  pages: { pageNo: number; label: string | null; snippet: Segment[] }[];
}

export interface SearchResponse {
  total: number;
  page: number;
  pageSize: number;
  sort: SearchSort;
  query: { text: string; parsed: string; problems: QueryProblem[] };
  results: SearchResult[];
  facets: FacetCounts | null;
  didYouMean: { text: string; hits: number } | null;
}

const MAX_PAGE_SIZE = 100;
const MAX_PAGE = 500;
/** The furthest a protocol client may page (SRU `startRecord`). */
export const MAX_OFFSET = 100_000;
/** Rank every hit when there are at most this many; otherwise rank a candidate set. */
const RANK_ALL = 500;
const TIER = 150;
/** Hits a candidate tier looks at by word signature before asking the engine instead (about 15 ns each). */
const SIGNATURE_SCAN = 20_000;

/** What a search finds before it is cut into pages (kept per index version, shared by its pages). */
interface Matched {
  /** The hits that pass the filters (a bitset when dense: 125 KB instead of 1.6 MB for 400,000 hits). */
  hits: DocSet;
  total: number;
  counts: FacetCounts | null;
  /** By relevance: the ranked candidates and their scores; null for other orders. */
  ranked: { order: number[]; scores: Map<number, number> } | null;
  /** Found only in the page text of a digitised copy. */
  fullTextOnly: Set<number>;
  /** Up to three matching pages per record. */
  pagesOf: Map<number, PageHit[]>;
}

export class SearchService {
  readonly #index: SearchIndex;
  readonly #facets = new FacetStore();
  readonly #leaves: LeafCache;
  readonly #answers: ResultCache<SearchResponse>;
  readonly #matches: ResultCache<Matched>;
  readonly #ranks = new RankCache();

  readonly #exactCounts: number | undefined;

  /** `exactCounts`: facet counts are exact up to this many hits (default `EXACT_COUNTS`; small in tests). */
  constructor(index: SearchIndex, opts: { leafCache?: LeafCacheOptions; resultCache?: ResultCacheOptions; exactCounts?: number } = {}) {
    this.#index = index;
    this.#exactCounts = opts.exactCounts;
    this.#leaves = new LeafCache(opts.leafCache);
    this.#answers = new ResultCache(opts.resultCache);
    // Matches hold their hit ids (4 bytes a hit): as much room again as the answers.
    this.#matches = new ResultCache(opts.resultCache);
  }

  /** How ranking's candidate tiers were found: by word signature, or by the engine's word sets. */
  readonly tiers = { signed: 0, engine: 0 };

  /** Answers of recent searches, until the index changes (see result-cache.ts). */
  get resultCache(): ResultCache<SearchResponse> {
    return this.#answers;
  }

  /** Matches shared by the pages of a search and by its spellings in other letter cases. */
  get matchCache(): ResultCache<unknown> {
    return this.#matches;
  }

  /** The in-memory sets of frequent words (see evaluate.ts). */
  get leafCache(): LeafCache {
    return this.#leaves;
  }

  get facetStore(): FacetStore {
    return this.#facets;
  }

  parse(q: string): ParsedQuery {
    return parseQuery(q);
  }

  /** Answered from the cache while the index stands where it stood for a kept answer. */
  async search(req: SearchRequest): Promise<SearchResponse> {
    await this.#facets.sync(this.#index);
    const { epoch, changes } = this.#facets.mark;
    const version = `${epoch}:${changes}`;
    return this.#answers.get(requestKey(req), version, async () => frozen(await this.#answer(req, version)));
  }

  async #answer(req: SearchRequest, version: string): Promise<SearchResponse> {
    const sort: SearchSort = SORTS.includes(req.sort as SearchSort) ? (req.sort as SearchSort) : 'relevance';
    const pageSize = Math.min(Math.max(Math.trunc(req.pageSize ?? 20) || 20, 1), MAX_PAGE_SIZE);
    const page = Math.min(Math.max(Math.trunc(req.page ?? 1) || 1, 1), MAX_PAGE);
    const parsed = req.parsed ?? parseQuery(req.q ?? '');
    const compiled = compileQuery(parsed.node, { heldUnder: req.heldUnder ?? null, availableUnder: req.availableUnder ?? null });
    // Every page of a search, and the same search typed in other letter cases, share one match.
    const described = describeExpr(compiled.expr);
    const key = JSON.stringify([described, compiled.words, compiled.yearFrom, compiled.yearTo, parsed.positive, filtersKey(req.filters), req.heldUnder ?? null, req.availableUnder ?? null, sort, req.facets !== false, req.fullText !== false]);
    const { hits, total, counts, ranked, fullTextOnly, pagesOf } = await this.#matches.get(key, version, async () => Object.freeze(await this.#match(req, sort, parsed, compiled)));
    // Every hit's id, only for pages past the ranked candidates and for the other orders.
    let all: Uint32Array | null = null;
    const ids = () => (all ??= docIds(hits));
    const offset = req.offset !== undefined ? Math.min(Math.max(Math.trunc(req.offset) || 0, 0), MAX_OFFSET) : (page - 1) * pageSize;

    let pageIds: number[];
    if (ranked) {
      pageIds = ranked.order.slice(offset, offset + pageSize);
      if (pageIds.length < pageSize && ranked.order.length < total) {
        // Past the ranked candidates: the remaining hits, newest first.
        const seen = new Set(ranked.order);
        const rest: number[] = [];
        const need = offset + pageSize - ranked.order.length;
        const every = ids();
        for (let i = every.length - 1; i >= 0 && rest.length < need; i--) if (!seen.has(every[i]!)) rest.push(every[i]!);
        const skip = Math.max(0, offset - ranked.order.length);
        pageIds = [...pageIds, ...rest.slice(skip, skip + pageSize - pageIds.length)];
      }
    } else if (sort === 'newest' || sort === 'oldest' || sort === 'relevance') {
      pageIds = this.#byYear(ids(), sort === 'oldest' ? 'asc' : 'desc', offset, pageSize);
    } else {
      pageIds = await this.#bySortKey(ids(), sort, offset, pageSize);
    }

    const rows = new Map((await this.#index.rows(pageIds)).map((r) => [r.id, r]));
    const pageArray = Uint32Array.from(pageIds);
    const onShelf = new Set(this.#facets.filterAndCount(pageArray, { available: 'anywhere' }, { counts: false }).ids);
    const onShelfHere = req.here ? new Set(this.#facets.filterAndCount(pageArray, { available: req.here }, { counts: false }).ids) : null;
    // Kept in each document since it was added there; read from the copies for older documents.
    const libraries = await this.#availableLibraries(pageIds.filter((id) => onShelf.has(id) && rows.get(id)?.display.availableLibraries === undefined));
    const results: SearchResult[] = [];
    for (const id of pageIds) {
      const r = rows.get(id);
      if (!r) continue;
      results.push({
        id,
        display: r.display,
        holdings: r.holdings,
        available: onShelf.has(id),
        availableLibraries: onShelf.has(id) ? (r.display.availableLibraries ?? libraries.get(id) ?? 0) : 0,
        availableHere: onShelfHere ? onShelfHere.has(id) : null,
        score: ranked?.scores.get(id) ?? null,
        title: highlight(r.display.title, compiled.words.filter((w) => w.field === null || w.field === 'title')),
        fullTextOnly: fullTextOnly.has(id),
        pages: (pagesOf.get(id) ?? []).map((p) => ({ pageNo: p.pageNo, label: p.label, snippet: snippet(p.body, compiled.words) })),
      });
    }

    let didYouMean: SearchResponse['didYouMean'] = null;
    // Not for protocol queries (`parsed`): no reader reads the suggestion, and its probe searches text.
    if (total < 3 && compiled.words.length > 0 && parsed.positive && !req.parsed) didYouMean = await this.#didYouMean(compiled.words, req, total);

    const browsing = (req.q ?? '').trim() === '';
    return {
      total,
      page,
      pageSize,
      // With no words to rank by, "relevance" lists the newest first: say so.
      sort: sort === 'relevance' && compiled.words.length === 0 ? 'newest' : sort,
      query: { text: req.q ?? '', parsed: described, problems: browsing ? parsed.problems.filter((p) => p.code !== 'query.empty') : parsed.problems },
      results,
      facets: counts,
      didYouMean,
    };
  }

  /** The hits of a search, filtered, counted and (by relevance) ranked: what every page of it shares. */
  async #match(req: SearchRequest, sort: SearchSort, parsed: ParsedQuery, compiled: CompiledQuery): Promise<Matched> {
    let hits: Uint32Array;
    let fullTextOnly = new Set<number>();
    let pageHits: PageHit[] = [];
    if (compiled.expr && parsed.node) {
      hits = await this.#leaves.evaluate(compiled.expr, this.#index, this.#facets);
      const textExpr = req.fullText !== false && parsed.positive && !hasNot(compiled.expr) ? pageExpr(compiled.words) : null;
      if (textExpr) {
        pageHits = await this.#index.pageHits(textExpr, { limit: 2000 });
        const inHits = new IdSet(hits);
        const extra = Uint32Array.from(new Set(pageHits.map((p) => p.docId).filter((id) => !inHits.has(id))));
        // Page matches obey the same scope as catalogue matches.
        const scoped = this.#facets.filterAndCount(extra, { library: req.heldUnder ? [req.heldUnder] : undefined, available: req.availableUnder ?? undefined }, { counts: false }).ids;
        fullTextOnly = new Set(scoped);
        if (scoped.length > 0) hits = Uint32Array.from([...hits, ...scoped]);
      }
    } else {
      hits = this.#facets.all(req.heldUnder ?? null);
      if (req.availableUnder) hits = this.#facets.filterAndCount(hits, { available: req.availableUnder }, { counts: false }).ids;
    }
    const filters: FacetFilters = {
      ...req.filters,
      yearFrom: maxOf(req.filters?.yearFrom, compiled.yearFrom),
      yearTo: minOf(req.filters?.yearTo, compiled.yearTo),
    };
    const { ids, counts } = this.#facets.filterAndCount(hits, filters, { counts: req.facets !== false, topN: 30, exactCounts: this.#exactCounts });
    const ranked = sort === 'relevance' && compiled.words.length > 0 ? await this.#rank(ids, compiled.words, compiled.expr!, fullTextOnly) : null;
    const pagesOf = new Map<number, PageHit[]>();
    for (const p of pageHits) {
      const list = pagesOf.get(p.docId) ?? [];
      if (list.length < 3) list.push(p);
      pagesOf.set(p.docId, list);
    }
    if (counts) Object.freeze(counts);
    // Ascending (page-text hits were appended after the catalogue's), then in the smaller form.
    return { hits: compact(sorted(ids), this.#facets.size), total: ids.length, counts, ranked, fullTextOnly, pagesOf };
  }

  /**
   * Libraries with a copy on the shelf, per record, counted from the copies: for documents indexed
   * before the index kept the count itself (`DocDisplay.availableLibraries`). The facet arrays know
   * where copies are on the shelf, but rolled up through the tree, so they cannot tell one library
   * holding two branches' copies from two libraries.
   */
  async #availableLibraries(ids: readonly number[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    if (ids.length === 0) return out;
    for (const [id, items] of await this.#index.docItems(ids)) out.set(id, availableLibraries(items));
    return out;
  }

  async #rank(ids: Uint32Array, words: QueryWord[], expr: MatchExpr, fullTextOnly: Set<number>): Promise<{ order: number[]; scores: Map<number, number> }> {
    let candidates: number[];
    const whole = new Set<number>();
    const freeTokens = words.filter((w) => w.field === null || w.field === 'title').flatMap((w) => w.folded);
    if (freeTokens.length > 0) for (const id of await this.#index.byTitleKey(freeTokens.join(' '), 100)) whole.add(id);
    if (ids.length <= RANK_ALL) {
      candidates = [...ids];
    } else {
      const ascending = isAscending(ids) ? ids : Uint32Array.from(ids).sort();
      const pool = new Set<number>();
      for (const id of whole) if (contains(ascending, id)) pool.add(id);
      const add = (xs: Iterable<number>) => {
        for (const id of xs) pool.add(id);
      };
      // The newest hits matching a narrower form of the query: from the documents' word
      // signatures when nearly every document has one (`FacetStore.signed`) and they fill the tier
      // among the newest hits, else from the same kept word sets as matching (the engine asked for
      // each word in one column).
      const newest = async (e: MatchExpr, limit: number) => {
        const test = this.#facets.signed ? signatureTest(e) : null;
        const found = test ? this.#facets.newestSigned(ascending, test, limit, SIGNATURE_SCAN) : null;
        if (found) this.tiers.signed++;
        else this.tiers.engine++;
        return found ?? this.#leaves.newestAmong(e, ascending, limit, this.#index, this.#facets);
      };
      // Phrases loosened to their words: candidates need not be exact (scoring is), and the
      // sets of single words in one column are shared by many more queries than phrases are.
      const titleOnly = restrict(expr, ['title']);
      if (titleOnly) add(await newest(loosened(titleOnly), TIER));
      const exact = exactTitleExpr(words);
      if (exact) add(await newest(exact, TIER));
      const authorOnly = restrict(expr, ['author']);
      if (authorOnly) add(await newest(loosened(authorOnly), TIER / 3));
      for (let i = ids.length - 1, n = 0; i >= 0 && n < TIER; i--, n++) pool.add(ids[i]!);
      candidates = [...pool];
    }
    const rows = await this.#ranks.rows(candidates, this.#index, this.#facets);
    const score = scorer(words);
    const scored = rows.map((r) => ({ r, s: fullTextOnly.has(r.id) ? 0 : score(r.rank, { wholeTitle: whole.has(r.id) }) }));
    scored.sort((a, b) => b.s - a.s || b.r.holdings - a.r.holdings || (b.r.year ?? 0) - (a.r.year ?? 0) || b.r.id - a.r.id);
    return { order: scored.map((x) => x.r.id), scores: new Map(scored.map((x) => [x.r.id, x.s])) };
  }

  #byYear(ids: Uint32Array, dir: 'asc' | 'desc', offset: number, size: number): number[] {
    // Bucket by year (no comparison sort over a large result set); newest ids first within a year.
    const buckets = new Map<number, number[]>();
    for (let i = ids.length - 1; i >= 0; i--) {
      const id = ids[i]!;
      const y = this.#facets.year(id) ?? 0;
      const b = buckets.get(y);
      if (b) b.push(id);
      else buckets.set(y, [id]);
    }
    const years = [...buckets.keys()].filter((y) => y !== 0).sort((a, b) => (dir === 'asc' ? a - b : b - a));
    years.push(0); // undated last
    const out: number[] = [];
    for (const y of years) {
      const b = buckets.get(y);
      if (!b) continue;
      const sorted = dir === 'asc' ? b.sort((a, c) => a - c) : b.sort((a, c) => c - a);
      for (const id of sorted) {
        out.push(id);
        if (out.length >= offset + size) return out.slice(offset);
      }
    }
    return out.slice(offset);
  }

  async #bySortKey(ids: Uint32Array, sort: 'title' | 'author', offset: number, size: number): Promise<number[]> {
    const need = offset + size;
    if (ids.length <= 5000) {
      const rows = await this.#index.sortKeys([...ids], sort);
      rows.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.id - b.id));
      return rows.slice(offset, need).map((r) => r.id);
    }
    // Many hits: walk the sort index and keep the hits, until the page is full.
    const member = new IdSet(ids);
    const out: number[] = [];
    let after: { key: string; id: number } | null = null;
    for (;;) {
      const batch = await this.#index.ordered(sort, 'asc', after, 2000);
      for (const b of batch) {
        if (member.has(b.id)) out.push(b.id);
        if (out.length >= need) return out.slice(offset);
      }
      if (batch.length < 2000) return out.slice(offset);
      after = batch[batch.length - 1]!;
    }
  }

  async #didYouMean(words: QueryWord[], req: SearchRequest, total: number): Promise<SearchResponse['didYouMean']> {
    const tokens = words.flatMap((w) => w.folded);
    if (tokens.length === 0 || tokens.length > 8) return null;
    const known = await this.#index.termDocs(tokens);
    const replaced: string[] = [];
    let changed = false;
    for (const t of tokens) {
      const docs = known.get(t) ?? 0;
      if (docs > 0 || t.length < 3 || /^\d+$/u.test(t)) {
        replaced.push(t);
        continue;
      }
      const best = await this.#closest(t);
      if (best) {
        replaced.push(best);
        changed = true;
      } else replaced.push(t);
    }
    if (!changed) return null;
    // Words left as they were keep the reader's spelling; replaced ones take the catalogue's.
    const typed = new Map<string, string>();
    for (const s of syllables(req.q ?? '')) if (!typed.has(foldToken(s))) typed.set(foldToken(s), s);
    const surfaces = await this.#surfaces(replaced.filter((t, i) => t !== tokens[i]));
    const text = replaced.map((t, i) => (t === tokens[i] ? (typed.get(t) ?? t) : (surfaces.get(t) ?? t))).join(' ');
    const { parsed: _parsed, offset: _offset, ...typedRequest } = req;
    const probe = await this.search({ ...typedRequest, q: text, page: 1, pageSize: 1, facets: false, fullText: false });
    return probe.total > total ? { text, hits: probe.total } : null;
  }

  async #closest(token: string): Promise<string | null> {
    const first = token[0]!;
    const max = token.length <= 4 ? 1 : 2;
    const found = await this.#index.terms(first, String.fromCharCode(first.charCodeAt(0) + 1), 50_000);
    let best: { t: string; d: number; docs: number } | null = null;
    for (const f of found) {
      if (Math.abs(f.token.length - token.length) > max) continue;
      const d = editDistance(token, f.token, max);
      if (d > max) continue;
      if (!best || d < best.d || (d === best.d && f.docs > best.docs)) best = { t: f.token, d, docs: f.docs };
    }
    return best?.t ?? null;
  }

  async #surfaces(tokens: string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const t of new Set(tokens)) {
      const hit = (await this.#index.terms(t, `${t}!`, 1))[0];
      if (hit && hit.token === t) out.set(t, hit.surface);
    }
    return out;
  }

  /** Titles, authors and subjects starting with what the reader has typed so far. */
  async suggest(prefix: string, limit = 8): Promise<HeadingHit[]> {
    const tokens = syllables(prefix ?? '').slice(0, 12);
    if (tokens.length === 0) return [];
    const folded = tokens.map(foldToken).join(' ');
    if (folded.length < 2) return [];
    const endsWithSpace = /\s$/u.test(prefix);
    const hits = await this.#index.headings(endsWithSpace ? `${folded} ` : folded, limit * 4);
    const typedMarks = tokens.some(hasMarks);
    const lowered = tokens.join(' ');
    const ranked = hits
      .map((h) => ({ h, exact: typedMarks && h.heading.normalize('NFC').toLowerCase().startsWith(lowered) ? 1 : 0 }))
      .sort((a, b) => b.exact - a.exact || b.h.docs - a.h.docs);
    return ranked.slice(0, limit).map((x) => x.h);
  }
}

/** The filters in a canonical order (the same filters given in another order are the same). */
function filtersKey(f: FacetFilters = {}): unknown[] {
  const list = (xs: readonly (string | number)[] | undefined) => (xs && xs.length > 0 ? [...xs].sort() : null);
  return [list(f.material), list(f.language), list(f.subject), list(f.author), list(f.collection), list(f.class), list(f.library), f.available ?? null, f.yearFrom ?? null, f.yearTo ?? null];
}

/** Two requests with the same key get the same answer. */
function requestKey(req: SearchRequest): string {
  return JSON.stringify([
    req.parsed ? ['parsed', describeQuery(req.parsed.node), req.parsed.positive] : (req.q ?? ''),
    req.offset ?? null,
    filtersKey(req.filters),
    req.heldUnder ?? null,
    req.availableUnder ?? null,
    req.sort ?? null,
    req.page ?? null,
    req.pageSize ?? null,
    req.facets !== false,
    req.fullText !== false,
    req.here ?? null,
  ]);
}

/** A kept answer is shared by every later caller: none may change it. */
function frozen(r: SearchResponse): SearchResponse {
  for (const x of r.results) Object.freeze(x);
  Object.freeze(r.results);
  if (r.facets) Object.freeze(r.facets);
  return Object.freeze(r);
}

function isAscending(ids: Uint32Array): boolean {
  for (let i = 1; i < ids.length; i++) if (ids[i]! <= ids[i - 1]!) return false;
  return true;
}

/** Binary search in ascending ids. */
function contains(ids: Uint32Array, id: number): boolean {
  let lo = 0;
  let hi = ids.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const x = ids[mid]!;
    if (x === id) return true;
    if (x < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

function hasNot(e: MatchExpr): boolean {
  if (e.op === 'not') return true;
  if (e.op === 'and' || e.op === 'or') return e.args.some(hasNot);
  return false;
}

function maxOf(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null) return b ?? null;
  if (b == null) return a;
  return Math.max(a, b);
}

function minOf(a: number | null | undefined, b: number | null | undefined): number | null {
  if (a == null) return b ?? null;
  if (b == null) return a;
  return Math.min(a, b);
}

/** The same expression with every word looked for only in `cols` (null when nothing is left). */
function restrict(e: MatchExpr, cols: readonly SearchColumn[]): MatchExpr | null {
  switch (e.op) {
    case 'tok':
    case 'phrase':
      // Scope, year and number tokens (only in `meta` or `ident`) stay as they are; an unfielded
      // word (every column, `ident` among them) is narrowed like any other.
      if (e.cols.every((c) => c === 'meta' || c === 'ident')) return e;
      return { ...e, cols };
    case 'not':
      return e;
    default: {
      const args = e.args.map((a) => restrict(a, cols)).filter((a): a is MatchExpr => a !== null);
      return args.length === 0 ? null : { op: e.op, args };
    }
  }
}

/** The same expression with every phrase replaced by all of its words (in the same columns). */
function loosened(e: MatchExpr): MatchExpr {
  switch (e.op) {
    case 'tok':
      return e;
    case 'phrase':
      return e.tokens.length === 1
        ? { op: 'tok', cols: e.cols, token: e.tokens[0]!, prefix: false }
        : { op: 'and', args: e.tokens.map((token) => ({ op: 'tok' as const, cols: e.cols, token, prefix: false })) };
    case 'not':
      return e;
    default:
      return { op: e.op, args: e.args.map(loosened) };
  }
}

/** The words the reader typed with marks, as exact title tokens. */
function exactTitleExpr(words: QueryWord[]): MatchExpr | null {
  const args: MatchExpr[] = [];
  for (const w of words) {
    if (w.field !== null && w.field !== 'title') continue;
    for (const e of w.exact) if (e) args.push({ op: 'tok', cols: ['title_x'], token: e, prefix: false });
  }
  if (args.length === 0) return null;
  return args.length === 1 ? args[0]! : { op: 'and', args };
}

/** The positive words as a page-text query (all words; phrases kept). */
function pageExpr(words: QueryWord[]): MatchExpr | null {
  const args: MatchExpr[] = [];
  for (const w of words) {
    if (w.field !== null) continue;
    if (w.folded.length === 1) args.push({ op: 'tok', cols: ['other'], token: w.folded[0]!, prefix: w.prefix });
    else if (w.folded.length > 1) args.push({ op: 'phrase', cols: ['other'], tokens: w.folded });
  }
  if (args.length === 0) return null;
  return args.length === 1 ? args[0]! : { op: 'and', args };
}

/** Cuts text into pieces, marking words whose folded form the query has. */
export function highlight(text: string, words: readonly QueryWord[]): Segment[] {
  const wanted = new Set<string>();
  const prefixes: string[] = [];
  for (const w of words) {
    for (const t of w.folded) wanted.add(t);
    if (w.prefix && w.folded.length === 1) prefixes.push(w.folded[0]!);
  }
  const out: Segment[] = [];
  const re = /[\p{L}\p{M}\p{N}]+/gu;
  let last = 0;
  const push = (t: string, hit: boolean) => {
    if (t === '') return;
    const prev = out[out.length - 1];
    if (prev && prev.hit === hit) prev.text += t;
    else out.push({ text: t, hit });
  };
  for (const m of text.matchAll(re)) {
    const f = foldToken(m[0].normalize('NFC').toLowerCase());
    const hit = wanted.has(f) || prefixes.some((p) => f.startsWith(p));
    push(text.slice(last, m.index), false);
    push(m[0], hit);
    last = m.index + m[0].length;
  }
  push(text.slice(last), false);
  return out;
}

/** About 30 words of page text around the first match. */
export function snippet(body: string, words: readonly QueryWord[]): Segment[] {
  const parts = highlight(body, words);
  const at = parts.findIndex((p) => p.hit);
  if (at < 0) return [{ text: body.slice(0, 200), hit: false }];
  const before = parts.slice(0, at).map((p) => p.text).join('');
  const lead = before.length > 100 ? `…${before.slice(-100).replace(/^\S*\s/u, '')}` : before;
  const out: Segment[] = [{ text: lead, hit: false }];
  let len = 0;
  for (const p of parts.slice(at)) {
    if (len > 200) {
      out.push({ text: '…', hit: false });
      break;
    }
    out.push(p);
    len += p.text.length;
  }
  return out;
}
