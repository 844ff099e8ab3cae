/**
 * The search benchmark's query mix: what readers type into the catalogue, drawn from the same
 * vocabulary and the same laws as the generated titles (`generate.ts`), so the words queried are
 * the words the catalogue holds, common ones often and rare ones sometimes.
 *
 * Nine categories, in equal shares (except `broad`, whose pool is small):
 * - `one-word`: one Vietnamese word of one or two syllables (`lúa`, `thủy sản`), mostly lower case;
 * - `two-words`: two such words, usually neighbours in some title (`nuôi tôm`, `kinh tế nông thôn`);
 * - `no-tones`: a one- or two-word query without marks, `đ` as `d`, lower case, as typed on a
 *   phone (`thuy san`, `dia chi kien giang`);
 * - `exact-tones`: words with their marks where the marks decide (`sống` / `sông`, `nấm` / `nám`,
 *   `Dương` / `đường`: {@link TONE_GROUPS}), and other marked words;
 * - `phrase`: two to four neighbouring terms of a title in double quotes;
 * - `field`: `title:`, `author:`, `subject:`, `publisher:`, `year:` or `isbn:` (an ISBN the
 *   catalogue holds when it has at least `records` records);
 * - `facet-filtered`: a query with filters on language, material and years;
 * - `scoped-commune`: a query with a commune library's code as its scope;
 * - `broad`: {@link BROAD_QUERIES}, each in more than 10 % of titles (more than 100,000 of a
 *   million records).
 *
 * With `repeatRate` 0 no two entries are the same query (same text, filters and scope, whatever
 * the category). With `repeatRate` r, a share r of the entries repeat an earlier query, chosen
 * with a Zipf law over the distinct queries in the order they first appeared (the first ones are
 * the popular ones), as a cache would see them.
 */
import { fold } from '../../src/text/fold.js';
import { seededRandom } from '../lib/measure.js';
import { catalogueVocabulary, drawTitleTerms, drawYear, vietnameseIsbn, weighted, ZipfSampler, FIRST_YEAR, LAST_YEAR } from './generate.js';
import { CLASSIC_WORKS, FOREIGN_AUTHORS, PUBLISHERS, SUBJECT_HEADINGS, TITLE_CONNECTORS, TITLE_TERMS, TONE_GROUPS, TRANSLATED_WORKS } from './vocabulary.js';

export const QUERY_CATEGORIES = ['one-word', 'two-words', 'no-tones', 'exact-tones', 'phrase', 'field', 'facet-filtered', 'scoped-commune', 'broad'] as const;
export type QueryCategory = (typeof QUERY_CATEGORIES)[number];

/** Facet filters, as the search service's `FacetFilters` names them. */
export interface QueryFilters {
  language?: string[];
  material?: string[];
  yearFrom?: number;
  yearTo?: number;
}

export interface BenchQuery {
  category: QueryCategory;
  /** The query as typed. */
  q: string;
  filters?: QueryFilters;
  /** Code of the unit the search is limited to (a commune library). */
  scopeUnit?: string;
}

export interface QueryMixOptions {
  seed: number;
  count: number;
  /** The commune libraries' codes, for `scoped-commune` (`LibraryTree.communes`). */
  unitCodes: string[];
  /** The share of entries that repeat an earlier query (0 … 1, default 0). */
  repeatRate?: number;
  /** The catalogue size the `isbn:` queries must find (default 1,000,000; ISBNs of the first 30 %). */
  records?: number;
}

/**
 * Queries with hits in more than 10 % of the titles: the two commonest terms however they are
 * typed, and syllables they share with many other words.
 */
export const BROAD_QUERIES: readonly string[] = [
  'viet nam', 'Việt Nam', 'việt nam', 'Viet Nam', 'VIỆT NAM', 'Việt nam',
  'lich su', 'lịch sử', 'Lịch sử', 'LỊCH SỬ', 'Lich su',
  'nam', 'Nam', 'viet', 'việt', 'Việt', 'lich', 'lịch', 'su', 'sử',
  'hoc', 'học', 'van hoc', 'văn học', 'van', 'văn',
];

/** A query's identity: two entries with the same key are the same search. */
export function queryKey(x: Pick<BenchQuery, 'q' | 'filters' | 'scopeUnit'>): string {
  const f = x.filters;
  const filters = f ? [f.language ?? null, f.material ?? null, f.yearFrom ?? null, f.yearTo ?? null] : null;
  return JSON.stringify([x.q, filters, x.scopeUnit ?? null]);
}

type Rnd = () => number;
const pickOne = <T>(rnd: Rnd, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const between = (rnd: Rnd, lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
const noTones = (s: string): string => fold(s).toLowerCase();
const hasMarks = (s: string): boolean => fold(s) !== s;
const syllableCount = (s: string): number => s.split(' ').filter((w) => /\p{L}/u.test(w)).length;
/** Folded and lower-cased, one space between words: what decides whether a query is broad. */
const foldedWords = (s: string): string => noTones(s).replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/** Phrases and quoted titles are at most this long. */
const MAX_RUN_SYLLABLES = 6;

/** Lower case mostly (readers rarely capitalise), as written sometimes. */
function typed(rnd: Rnd, s: string): string {
  return rnd() < 0.75 ? s.toLowerCase() : s;
}

const FIELD = weighted<'title' | 'author' | 'subject' | 'publisher' | 'year' | 'isbn'>([
  ['title', 25],
  ['author', 25],
  ['subject', 15],
  ['publisher', 10],
  ['year', 10],
  ['isbn', 15],
]);
const LANGUAGE_FILTER = weighted<string[]>([[['vie'], 60], [['eng'], 20], [['vie', 'eng'], 10], [['fre'], 5], [['chi'], 3], [['rus'], 2]]);
const MATERIAL_FILTER = weighted<string[]>([[['book'], 60], [['e-book'], 15], [['book', 'e-book'], 10], [['serial'], 5], [['thesis'], 5], [['video', 'sound-recording'], 5]]);
const PUBLISHER = weighted(PUBLISHERS.map((p) => [p.name, p.weight] as const));

class QueryDrawer {
  readonly #rnd: Rnd;
  readonly #v = catalogueVocabulary();
  readonly #unitCodes: readonly string[];
  readonly #isbnLimit: number;
  readonly #broad: ReadonlySet<string>;
  /** Words of at most two syllables, for draws that are not by rank. */
  readonly #shortTerms: readonly string[];

  constructor(rnd: Rnd, unitCodes: readonly string[], records: number) {
    this.#rnd = rnd;
    this.#unitCodes = unitCodes;
    this.#isbnLimit = Math.max(1, Math.floor(records * 0.3));
    this.#broad = new Set(BROAD_QUERIES.map(foldedWords));
    this.#shortTerms = this.#v.terms.filter((t) => syllableCount(t) <= 2);
  }

  /** Whether a query would be broad (then it belongs to the `broad` category only). */
  isBroad(q: string): boolean {
    return this.#broad.has(foldedWords(q));
  }

  /** A word of one or two syllables: by the titles' law, or (`spread`) uniformly. */
  #word(spread: boolean): string {
    const rnd = this.#rnd;
    if (spread) return pickOne(rnd, this.#shortTerms);
    for (;;) {
      const t = this.#v.terms[this.#v.drawRank(rnd)]!;
      if (syllableCount(t) <= 2) return t;
    }
  }

  /** Neighbouring terms of a title as drawn for the catalogue (connectors kept inside, not at the ends). */
  #titleRun(min: number, max: number): string | undefined {
    const terms = drawTitleTerms(this.#rnd);
    const want = between(this.#rnd, min, max);
    const start = between(this.#rnd, 0, Math.max(0, terms.length - want));
    const run = terms.slice(start, start + want);
    while (run.length > 0 && TITLE_CONNECTORS.includes(run[0]!)) run.shift();
    while (run.length > 0 && TITLE_CONNECTORS.includes(run[run.length - 1]!)) run.pop();
    while (run.length > min && syllableCount(run.join(' ')) > MAX_RUN_SYLLABLES) {
      run.pop();
      while (run.length > 0 && TITLE_CONNECTORS.includes(run[run.length - 1]!)) run.pop();
    }
    const words = run.filter((t) => !TITLE_CONNECTORS.includes(t));
    return words.length >= min ? run.join(' ') : undefined;
  }

  #oneWord(spread: boolean): string {
    return typed(this.#rnd, this.#word(spread));
  }

  #twoWords(spread: boolean): string {
    const rnd = this.#rnd;
    if (!spread && rnd() < 0.6) {
      const terms = drawTitleTerms(rnd).filter((t) => !TITLE_CONNECTORS.includes(t) && syllableCount(t) <= 2);
      if (terms.length >= 2) {
        const i = between(rnd, 0, terms.length - 2);
        return typed(rnd, `${terms[i]} ${terms[i + 1]}`);
      }
    }
    const a = this.#word(spread);
    let b = this.#word(spread);
    while (b === a) b = this.#word(true);
    return typed(rnd, `${a} ${b}`);
  }

  draw(category: Exclude<QueryCategory, 'broad'>, spread: boolean): BenchQuery | undefined {
    const rnd = this.#rnd;
    switch (category) {
      case 'one-word':
        return { category, q: this.#oneWord(spread) };
      case 'two-words':
        return { category, q: this.#twoWords(spread) };
      case 'no-tones': {
        const base = rnd() < 0.5 ? this.#word(spread) : this.#twoWords(spread);
        return hasMarks(base) ? { category, q: noTones(base) } : undefined;
      }
      case 'exact-tones': {
        if (!spread && rnd() < 0.6) {
          const g = pickOne(rnd, TONE_GROUPS);
          const i = between(rnd, 0, g.forms.length - 1);
          const q = rnd() < 0.5 ? g.forms[i]! : g.contexts[i]!;
          return hasMarks(q) ? { category, q } : undefined;
        }
        const q = (rnd() < 0.6 ? this.#word(spread) : this.#twoWords(spread)).toLowerCase();
        return hasMarks(q) ? { category, q } : undefined;
      }
      case 'phrase': {
        const run = this.#titleRun(2, 4);
        return run === undefined ? undefined : { category, q: `"${typed(rnd, run)}"` };
      }
      case 'field':
        return { category, q: this.#field(spread) };
      case 'facet-filtered': {
        const filters: QueryFilters = {};
        const which = between(rnd, 1, 7);
        if (which & 1) filters.language = LANGUAGE_FILTER(rnd);
        if (which & 2) filters.material = MATERIAL_FILTER(rnd);
        if (which & 4) {
          const from = Math.min(LAST_YEAR, Math.max(FIRST_YEAR, drawYear(rnd) - between(rnd, 0, 10)));
          const shape = rnd();
          if (shape < 0.7) {
            filters.yearFrom = from;
            filters.yearTo = Math.min(LAST_YEAR, from + between(rnd, 0, 20));
          } else if (shape < 0.9) filters.yearFrom = from;
          else filters.yearTo = from;
        }
        return { category, q: rnd() < 0.6 ? this.#oneWord(spread) : this.#twoWords(spread), filters };
      }
      case 'scoped-commune':
        if (this.#unitCodes.length === 0) throw new RangeError('queryMix: scoped-commune queries need unitCodes');
        return { category, q: rnd() < 0.6 ? this.#oneWord(spread) : this.#twoWords(spread), scopeUnit: pickOne(rnd, this.#unitCodes) };
    }
  }

  #field(spread: boolean): string {
    const rnd = this.#rnd;
    const quoted = (field: string, value: string) => (/\s/u.test(value) ? `${field}:"${value}"` : `${field}:${value}`);
    switch (FIELD(rnd)) {
      case 'title': {
        const value = rnd() < 0.5 ? this.#word(spread) : (this.#titleRun(2, 3) ?? this.#word(true));
        return quoted('title', typed(rnd, value));
      }
      case 'author': {
        const r = rnd();
        if (r < 0.15) return quoted('author', pickOne(rnd, CLASSIC_WORKS).author);
        if (r < 0.25) {
          const names = rnd() < 0.5 ? Object.values(FOREIGN_AUTHORS).flat() : TRANSLATED_WORKS.map((w) => w.author);
          const name = pickOne(rnd, names);
          return quoted('author', name.includes(',') ? name.slice(0, name.indexOf(',')) : name);
        }
        const v = this.#v;
        const name = spread ? pickOne(rnd, v.authors) : v.authors[v.authorSampler.sample(rnd)]!;
        return quoted('author', rnd() < 0.15 ? noTones(name) : rnd() < 0.1 ? name.split(' ')[0]! : name);
      }
      case 'subject': {
        const v = this.#v;
        const heading = spread ? pickOne(rnd, SUBJECT_HEADINGS) : SUBJECT_HEADINGS[v.subjectSampler.sample(rnd)]!;
        const parts = heading.heading.split(' -- ');
        const value = rnd() < 0.3 ? parts.join(' ') : parts[0]!;
        return quoted('subject', typed(rnd, value));
      }
      case 'publisher':
        return quoted('publisher', typed(rnd, PUBLISHER(rnd)));
      case 'year': {
        const year = drawYear(rnd);
        return rnd() < 0.7 ? `year:${year}` : `year:${year}..${Math.min(LAST_YEAR, year + between(rnd, 1, 10))}`;
      }
      case 'isbn': {
        const isbn = vietnameseIsbn(between(rnd, 0, this.#isbnLimit - 1));
        return `isbn:${rnd() < 0.6 ? isbn : `${isbn.slice(0, 3)}-${isbn.slice(3, 6)}-${isbn.slice(6, 8)}-${isbn.slice(8, 12)}-${isbn.slice(12)}`}`;
      }
    }
  }
}

/** How many fresh queries of each category: equal shares, `broad` at most its pool. */
function schedule(rnd: Rnd, fresh: number): QueryCategory[] {
  const counts = new Map<QueryCategory, number>(QUERY_CATEGORIES.map((c) => [c, 0]));
  const order = [...QUERY_CATEGORIES];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  for (let i = 0; i < fresh; i++) {
    // Round-robin in a shuffled order, skipping `broad` once its pool is used up.
    let c = order[i % order.length]!;
    if (c === 'broad' && counts.get('broad')! >= BROAD_QUERIES.length) c = order[(order.indexOf(c) + 1) % order.length]!;
    counts.set(c, counts.get(c)! + 1);
  }
  const out: QueryCategory[] = [];
  for (const [c, n] of counts) for (let i = 0; i < n; i++) out.push(c);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Tries per query before a category gives up (after a few, words are drawn uniformly). */
const MAX_TRIES = 400;
const SPREAD_AFTER = 25;

/**
 * A deterministic mix of `count` benchmark queries (the same options give the same list).
 *
 * @throws RangeError when `scoped-commune` queries are due and `unitCodes` is empty, or when a
 *   category cannot find another distinct query (counts far beyond tens of thousands).
 */
export function queryMix(opts: QueryMixOptions): BenchQuery[] {
  const rnd = seededRandom(opts.seed);
  const count = Math.max(0, Math.floor(opts.count));
  const repeatRate = Math.min(1, Math.max(0, opts.repeatRate ?? 0));
  const repeats = count === 0 ? 0 : Math.min(count - 1, Math.round(count * repeatRate));
  const drawer = new QueryDrawer(rnd, opts.unitCodes, opts.records ?? 1_000_000);
  const seen = new Set<string>();

  const broadPool = [...BROAD_QUERIES];
  for (let i = broadPool.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [broadPool[i], broadPool[j]] = [broadPool[j]!, broadPool[i]!];
  }
  const fresh: BenchQuery[] = [];
  for (const category of schedule(rnd, count - repeats)) {
    if (category === 'broad') {
      const q = broadPool.shift()!;
      seen.add(queryKey({ q }));
      fresh.push({ category, q });
      continue;
    }
    let found: BenchQuery | undefined;
    for (let attempt = 0; attempt < MAX_TRIES && !found; attempt++) {
      const x = drawer.draw(category, attempt >= SPREAD_AFTER);
      if (!x || drawer.isBroad(x.q) || x.q.trim() === '') continue;
      const key = queryKey(x);
      if (seen.has(key)) continue;
      seen.add(key);
      found = x;
    }
    if (!found) throw new RangeError(`queryMix: no further distinct ${category} query after ${MAX_TRIES} tries`);
    fresh.push(found);
  }

  // Interleave the repeats: each position repeats with the chance that spreads them evenly.
  const out: BenchQuery[] = [];
  const distinct: BenchQuery[] = [];
  const popularity = repeats > 0 ? new ZipfSampler(fresh.length, 1) : undefined;
  let repeatsLeft = repeats;
  let next = 0;
  for (let i = 0; i < count; i++) {
    const left = count - i;
    if (distinct.length > 0 && repeatsLeft > 0 && (next >= fresh.length || rnd() < repeatsLeft / left)) {
      let r = popularity!.sample(rnd);
      while (r >= distinct.length) r = popularity!.sample(rnd);
      out.push(clone(distinct[r]!));
      repeatsLeft--;
    } else {
      const q = fresh[next++]!;
      distinct.push(q);
      out.push(q);
    }
  }
  return out;
}

function clone(q: BenchQuery): BenchQuery {
  return {
    category: q.category,
    q: q.q,
    ...(q.filters ? { filters: { ...q.filters, ...(q.filters.language ? { language: [...q.filters.language] } : {}), ...(q.filters.material ? { material: [...q.filters.material] } : {}) } } : {}),
    ...(q.scopeUnit !== undefined ? { scopeUnit: q.scopeUnit } : {}),
  };
}

/** The title terms that make the broad queries broad (for reports): `Việt Nam`, `lịch sử`. */
export const BROAD_TERMS: readonly string[] = TITLE_TERMS.slice(0, 2);
