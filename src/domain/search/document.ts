/**
 * The search document of one catalogue record: what the engines index (folded tokens per
 * column), what facets count, what ranking reads and what a result line shows. Pure: built from
 * the derived description, the record's items and where their libraries sit in the tree.
 *
 * Holdings are precomputed per unit *and its ancestors* (`u<id>` tokens for "held at or below
 * this unit", `a<id>` for "a copy is on the shelf at or below this unit"), so a search scoped to
 * any subtree, or to "available near me", is one more term for the engine, not a join.
 */
import { wordSignature } from './signature.js';
import type { DerivedRecord } from '../catalog/derive.js';
import { exactToken, foldToken, sortKey, syllables } from '../../text/vi.js';

/** Engine columns, in the order both engines use. `_x` columns hold the exact (toned) spelling. */
export const SEARCH_COLUMNS = [
  'title',
  'title_x',
  'author',
  'author_x',
  'subject',
  'subject_x',
  'series',
  'publisher',
  'ident',
  'callnumber',
  'other',
  'meta',
] as const;
export type SearchColumn = (typeof SEARCH_COLUMNS)[number];

/** Columns an unfielded word is looked for in. */
export const ANY_COLUMNS: readonly SearchColumn[] = ['title', 'author', 'subject', 'series', 'publisher', 'ident', 'callnumber', 'other'];

/** The `meta` token every live document carries, so "everything except …" has a positive part. */
export const ALL_TOKEN = 'all';
export const heldToken = (unitId: number) => `u${unitId}`;
export const availableToken = (unitId: number) => `a${unitId}`;
export const yearToken = (year: number) => `y${year}`;
/** Marks documents that have page-level full text. */
export const FULLTEXT_TOKEN = 'ft';

/** What an item contributes: its status and the tree paths (`/1/5/23/`) of its owning and current units. */
export interface DocItem {
  status: string;
  ownerPath: string;
  locationPath: string;
  shelvingLocation: string | null;
}

/** How many libraries (distinct owning units) have a copy on the shelf among `items`. */
export function availableLibraries(items: readonly DocItem[]): number {
  const owners = new Set<string>();
  for (const i of items) if (i.status === 'available') owners.add(i.ownerPath.split('/').filter((p) => p !== '').pop() ?? i.ownerPath);
  return owners.size;
}

export interface DocFacets {
  material: string;
  languages: string[];
  year: number | null;
  subjects: string[];
  authors: string[];
  collections: string[];
  classes: string[];
  /** Units holding a copy, with all their ancestors. */
  held: number[];
  /** Units with a copy on the shelf now (where the copy is), with all their ancestors. */
  available: number[];
  /**
   * Which words the title and the authors may hold, as bits ({@link wordSignature}); absent in
   * documents indexed before it was kept.
   */
  sig?: string;
}

/** What ranking reads: folded and exact tokens of the fields that weigh most. */
export interface DocRank {
  title: string[];
  titleExact: string[];
  author: string[];
  authorExact: string[];
  subject: string[];
  subjectExact: string[];
}

export interface DocDisplay {
  title: string;
  responsibility: string | null;
  authors: string[];
  publisher: string | null;
  year: number | null;
  material: string;
  languages: string[];
  isbn: string | null;
  callNumber: string | null;
  subjects: string[];
  /**
   * Libraries (distinct owning units) with a copy on the shelf when the document was written;
   * absent in documents indexed before it was kept here.
   */
  availableLibraries?: number;
}

export interface SearchDoc {
  id: number;
  /** Space-separated tokens per engine column. */
  columns: Record<SearchColumn, string>;
  facets: DocFacets;
  rank: DocRank;
  display: DocDisplay;
  /** Folded whole title (245 $a $n $p), for "the whole title matches" lookups. */
  titleKey: string;
  sortTitle: string;
  sortAuthor: string;
  year: number | null;
  /** Copies held (not withdrawn). */
  holdings: number;
  createdAt: string;
  /** Headings offered by autocomplete. */
  headings: { kind: 'title' | 'author' | 'subject'; heading: string }[];
  /** Folded words of the title, authors and subjects with the spelling written (for "did you mean"). */
  surfaces: [string, string][];
}

export interface DocInput {
  id: number;
  derived: DerivedRecord;
  createdAt: string;
  items: readonly DocItem[];
  hasFullText?: boolean;
}

/** Stands between two authors or two subjects in ranking tokens (never a folded word). */
export const SEPARATOR = '|';

/** At most this many tokens per column: a 50-page note does not drown the title. */
const MAX_COLUMN_TOKENS = 900;

const GONE = new Set(['withdrawn', 'lost', 'missing']);

export function foldedTokens(text: string | undefined | null): string[] {
  if (!text) return [];
  return syllables(text).map(foldToken);
}

export function exactTokens(text: string | undefined | null): string[] {
  if (!text) return [];
  return syllables(text).map(exactToken);
}

/** Ranking tokens of several names or headings, with {@link SEPARATOR} between them. */
function separated(texts: readonly string[], tokens: (t: string) => string[]): string[] {
  const out: string[] = [];
  for (const t of texts) {
    if (out.length > 0) out.push(SEPARATOR);
    out.push(...tokens(t));
  }
  return out;
}

function words(tokens: readonly string[]): string[] {
  return tokens.filter((t) => t !== SEPARATOR);
}

function join(tokens: readonly string[]): string {
  return (tokens.length > MAX_COLUMN_TOKENS ? tokens.slice(0, MAX_COLUMN_TOKENS) : tokens).join(' ');
}

/** Each folded word (two letters or more, not a number) with the first spelling seen. */
export function surfacesOfTexts(texts: readonly string[]): [string, string][] {
  const seen = new Map<string, string>();
  for (const t of texts) {
    for (const s of syllables(t)) {
      if (s.length < 2) continue;
      const f = foldToken(s);
      if (f.length >= 2 && !seen.has(f) && !/^\d+$/u.test(f)) seen.set(f, s);
    }
  }
  return [...seen];
}

/** Unit ids on a path `/1/5/23/` → [1, 5, 23]. */
export function pathUnits(path: string): number[] {
  const out: number[] = [];
  for (const part of path.split('/')) if (part !== '') out.push(Number(part));
  return out;
}

/**
 * The DDC hundred (`ddc:300`) and division (`ddc:34x`, for 340–349) or BBK main class (`63`, `Ш`)
 * a record is classed in. Divisions are written with an `x` so that division 800–809 (`ddc:80x`)
 * is not taken for the class 800–899 (`ddc:800`).
 */
export function classFacets(d: DerivedRecord): string[] {
  const out = new Set<string>();
  for (const c of d.classifications) {
    const n = c.number.trim();
    if (c.scheme === 'ddc') {
      const m = /^(\d)(\d)?\d?/u.exec(n);
      if (m) out.add(`ddc:${m[1]}00`);
      if (m?.[2] !== undefined) out.add(`ddc:${m[1]}${m[2]}x`);
    } else if (c.scheme === 'bbk') {
      const m = /^(\d{1,2}|[\p{Lu}])/u.exec(n);
      if (m) out.add(`bbk:${m[1]}`);
    }
  }
  return [...out];
}

function uniq<T>(xs: Iterable<T>): T[] {
  return [...new Set(xs)];
}

export function buildSearchDoc(input: DocInput): SearchDoc {
  const d = input.derived;
  const title = d.title ?? '';
  const shortTitle = d.shortTitle ?? title;
  const titleTexts = [title, ...d.alternativeTitles.map((a) => a.title)];
  const authorNames = d.authors.map((a) => a.name);
  const subjectHeadings = d.subjects.map((s) => s.heading);
  const seriesTitles = d.series.map((s) => s.title);
  const isbns: string[] = [];
  for (const e of d.isbns) {
    if (e.isbn13) isbns.push(e.isbn13);
    if (e.isbn10) isbns.push(e.isbn10.toLowerCase());
  }
  const issns = d.issns.map((e) => e.issn?.replace('-', '').toLowerCase()).filter((x): x is string => !!x);
  const idents = [...isbns, ...issns];
  if (d.controlNumber) idents.push(...foldedTokens(d.controlNumber.value));

  const live = input.items.filter((i) => !GONE.has(i.status));
  const held = new Set<number>();
  const available = new Set<number>();
  const collections = new Set<string>();
  for (const it of live) {
    for (const u of pathUnits(it.ownerPath)) held.add(u);
    if (it.status === 'available') for (const u of pathUnits(it.locationPath)) available.add(u);
    if (it.shelvingLocation) collections.add(it.shelvingLocation);
  }

  const meta = [ALL_TOKEN];
  if (d.year) meta.push(yearToken(d.year));
  for (const u of held) meta.push(heldToken(u));
  for (const u of available) meta.push(availableToken(u));
  if (input.hasFullText) meta.push(FULLTEXT_TOKEN);

  const titleTokens = foldedTokens(titleTexts.join(' \n '));
  const rank: DocRank = {
    title: foldedTokens(title),
    titleExact: exactTokens(title),
    author: separated(authorNames, foldedTokens),
    authorExact: separated(authorNames, exactTokens),
    subject: separated(subjectHeadings, foldedTokens),
    subjectExact: separated(subjectHeadings, exactTokens),
  };
  const otherText = [d.subtitle, d.responsibility, d.edition, ...d.places, ...d.summaries, ...d.notes.map((n) => n.text)].filter(Boolean).join(' \n ');
  const columns: Record<SearchColumn, string> = {
    title: join(titleTokens),
    title_x: join(exactTokens(titleTexts.join(' \n '))),
    author: join(words(rank.author)),
    author_x: join(words(rank.authorExact)),
    subject: join(words(rank.subject)),
    subject_x: join(words(rank.subjectExact)),
    series: join(foldedTokens(seriesTitles.join(' \n '))),
    publisher: join(foldedTokens(d.publishers.join(' \n '))),
    ident: join(idents),
    callnumber: join(foldedTokens([d.callNumber?.value, ...d.classifications.map((c) => c.number)].filter(Boolean).join(' \n '))),
    other: join(foldedTokens(otherText)),
    meta: meta.join(' '),
  };

  const mainAuthor = d.authors[0]?.name ?? '';
  return {
    id: input.id,
    columns,
    facets: {
      material: d.materialType,
      languages: d.languages,
      year: d.year ?? null,
      subjects: uniq(d.subjects.map((s) => s.parts[0] ?? s.heading).filter(Boolean)),
      authors: uniq(authorNames),
      collections: [...collections],
      classes: classFacets(d),
      held: [...held],
      available: [...available],
      sig: wordSignature({ title: columns.title, titleExact: columns.title_x, author: columns.author }),
    },
    rank,
    display: {
      title,
      responsibility: d.responsibility ?? null,
      authors: authorNames,
      publisher: d.publishers[0] ?? null,
      year: d.year ?? null,
      material: d.materialType,
      languages: d.languages,
      isbn: d.isbns.find((e) => e.status === 'valid')?.isbn13 ?? null,
      callNumber: d.callNumber?.value ?? null,
      subjects: subjectHeadings,
      availableLibraries: availableLibraries(live),
    },
    titleKey: foldedTokens(shortTitle).join(' '),
    sortTitle: sortKey(d.sortTitle ?? title),
    sortAuthor: mainAuthor ? sortKey(mainAuthor) : '~',
    year: d.year ?? null,
    holdings: live.length,
    createdAt: input.createdAt,
    surfaces: surfacesOfTexts([title, ...authorNames, ...subjectHeadings]),
    headings: [
      ...(shortTitle ? [{ kind: 'title' as const, heading: shortTitle }] : []),
      ...uniq(authorNames).map((heading) => ({ kind: 'author' as const, heading })),
      ...uniq(subjectHeadings).map((heading) => ({ kind: 'subject' as const, heading })),
    ],
  };
}
