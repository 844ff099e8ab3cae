/**
 * The search benchmark's catalogue: a deterministic generator of a realistic Vietnamese union
 * catalogue (a provincial library network, up to a million records and their copies) and a
 * loader that lands it in a database through the repository calls the MARC import uses.
 *
 * The records are MARC 21 as our libraries catalogue them (see `src/app/demo/catalogue.ts` and
 * the simple form's builder): leader and 008 by material, 020 ISBN-13 with a valid check digit
 * for about 70 %, 041 for translations, 082 DDC (084 BBK on some older records), 100/110/700,
 * 245 $a $b $c (ISBD punctuation), 260 or 264 _1, 300, 490, 502 for theses, 520 for about 30 %,
 * 650/651 _7 from the National Library's headings, 856 for electronic resources.
 *
 * Titles are 2–12 syllables of terms drawn with Zipf laws (exponent 1) over
 * {@link catalogueVocabulary}: 95 % of draws by rank over the curated {@link TITLE_TERMS}, 5 % by
 * rank over a tail of 5,000 place and personal names with {@link RARE_WORDS} spread through it.
 * Per million records, `Việt Nam` is in about 320,000 titles and `lịch sử` in 190,000, a mid word
 * such as `nuôi tôm` in about 6,000, and the rare words in one to a few hundred (the deepest in a
 * handful). A small share of records is spelt with the other tone placement (`hoà`, `thuỷ`) or
 * with `i` for `y` (`kĩ thuật`, `lí luận`), as real catalogues mix them.
 *
 * Everything is a function of the seed: the same seed gives the same records, in batches, never
 * holding more than one batch in memory. The vocabulary tables (term ranks, author pool, ISBNs)
 * do not depend on the seed, so a query mix drawn from them (`queries.ts`) fits any catalogue.
 */
import type { MarcField, MarcRecord } from '../../src/codecs/marc/record.js';
import type { IdentifierHit, ItemRow, NewItemRow, NewRecordRow, Repos, Store } from '../../src/app/ports.js';
import type { OrgService } from '../../src/app/org.service.js';
import type { OrgUnit } from '../../src/domain/org/unit.js';
import type { UnitTypeCode } from '../../src/domain/org/unit-types.js';
import type { ItemStatus } from '../../src/domain/catalog/items.js';
import { prepareRecord } from '../../src/app/catalog-record.js';
import { DEFAULT_MARC_ORG_CODE } from '../../src/app/catalog.service.js';
import { systemActor } from '../../src/app/actor.js';
import { identifiersOf } from '../../src/domain/catalog/identity.js';
import { isbn13CheckDigit } from '../../src/domain/catalog/isbn.js';
import { nonFilingCount } from '../../src/domain/catalog/marc21-rules.js';
import { shelfKey, type ShelfScheme } from '../../src/domain/catalog/shelf-key.js';
import { fold } from '../../src/text/fold.js';
import { seededRandom } from '../lib/measure.js';
import {
  BBK_CLASSES,
  CLASSIC_WORKS,
  CORPORATE_AUTHORS,
  DISTRICTS,
  FAMILY_NAMES,
  FOREIGN_AUTHORS,
  FOREIGN_PUBLISHERS,
  FOREIGN_TITLE_WORDS,
  FORM_SUBDIVISIONS,
  GEOGRAPHIC_NAMES,
  GIVEN_NAMES_FEMALE,
  GIVEN_NAMES_MALE,
  LANGUAGES,
  MATERIAL_TYPES,
  MIDDLE_NAMES_FEMALE,
  MIDDLE_NAMES_MALE,
  PLACE_ABBREVIATIONS,
  PLACE_SYLLABLES,
  PROVINCIAL_ROOMS,
  PUBLISHER_FORMS,
  PUBLISHERS,
  RARE_WORDS,
  RELATOR_TERMS,
  SERIES,
  SHELVING_LOCATIONS,
  SUBJECT_HEADINGS,
  SUBTITLE_OPENERS,
  SUMMARY_PLACES,
  SUMMARY_TEMPLATES,
  TITLE_CONNECTORS,
  TITLE_TERMS,
  TRANSLATED_WORKS,
  type MaterialCode,
} from './vocabulary.js';

export const DEFAULT_SEED = 20_260_315;
/** Years of publication run from here … */
export const FIRST_YEAR = 1950;
/** … to here, most of them recent. */
export const LAST_YEAR = 2026;
/** The day copies were last acquired (no acquisition date is later). */
export const DEFAULT_TODAY = '2026-03-01';
/** 003 of the generated records: their 001 is the record's number in the generated sequence. */
export const CONTROL_SOURCE = 'VN-LTBENCH';
/** Subject vocabulary named in 650/651 $2. */
const SUBJECT_SOURCE = 'Bộ TK TVQG';

// ---------------------------------------------------------------------------------------------
// Sampling

type Rnd = () => number;

/**
 * Ranks 0…n-1 with P(r) ∝ 1 / (r + 1 + offset)^exponent (Zipf; Zipf–Mandelbrot with an offset),
 * by binary search over the cumulative weights.
 */
export class ZipfSampler {
  readonly #cdf: Float64Array;
  constructor(n: number, exponent = 1, offset = 0) {
    if (n <= 0) throw new RangeError('ZipfSampler over nothing');
    this.#cdf = new Float64Array(n);
    let total = 0;
    for (let r = 0; r < n; r++) {
      total += 1 / Math.pow(r + 1 + offset, exponent);
      this.#cdf[r] = total;
    }
    for (let r = 0; r < n; r++) this.#cdf[r]! /= total;
  }
  get size(): number {
    return this.#cdf.length;
  }
  /** The probability of rank `r`. */
  probability(r: number): number {
    return this.#cdf[r]! - (r > 0 ? this.#cdf[r - 1]! : 0);
  }
  sample(rnd: Rnd): number {
    const u = rnd();
    let lo = 0;
    let hi = this.#cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.#cdf[mid]! < u) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/** A sampler over weighted choices. */
export function weighted<T>(choices: ReadonlyArray<readonly [T, number]>): (rnd: Rnd) => T {
  const values = choices.map(([v]) => v);
  const cdf: number[] = [];
  let total = 0;
  for (const [, w] of choices) cdf.push((total += w));
  return (rnd) => {
    const u = rnd() * total;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! <= u) lo = mid + 1;
      else hi = mid;
    }
    return values[lo]!;
  };
}

const pickOne = <T>(rnd: Rnd, xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const between = (rnd: Rnd, lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
const pad = (n: number, width: number): string => String(n).padStart(width, '0');
const capitalise = (s: string): string => (s === '' ? s : s[0]!.toUpperCase() + s.slice(1));

// ---------------------------------------------------------------------------------------------
// Spelling habits

const TONE_MARKS = '\\u0300\\u0301\\u0303\\u0309\\u0323';
const OA_OE = new RegExp(`(?<![qQ])([oO])([${TONE_MARKS}])([aAeE])(?![\\p{L}\\p{M}])`, 'gu');
const UY = new RegExp(`(?<![qQ])([uU])([${TONE_MARKS}])([yY])(?![\\p{L}\\p{M}])`, 'gu');

/**
 * The other placement of tone marks in open `oa`, `oe`, `uy`: on the main vowel (`hòa` → `hoà`,
 * `khỏe` → `khoẻ`, `thủy` → `thuỷ`). Closed syllables (`hoàng`, `thuyết`) are the same either way.
 */
export function tonesOnMainVowel(s: string): string {
  return s.normalize('NFD').replace(OA_OE, '$1$3$2').replace(UY, '$1$3$2').normalize('NFC');
}

const Y_TO_I: Readonly<Record<string, string>> = { y: 'i', ý: 'í', ỳ: 'ì', ỷ: 'ỉ', ỹ: 'ĩ', ỵ: 'ị', Y: 'I', Ý: 'Í', Ỳ: 'Ì', Ỷ: 'Ỉ', Ỹ: 'Ĩ', Ỵ: 'Ị' };
const I_Y_WORD = /^((?:[bcdghklmnprstvxđ]|qu)+|Qu|[BCDGHKLMNPRSTVXĐ][bcdghklmnprstvxđ]*)([yýỳỷỹỵYÝỲỶỸỴ])$/u;

/** `i` for `y` in syllables of consonants and a final `y`: `kỹ` → `kĩ`, `lý` → `lí`, `Mỹ` → `Mĩ`. */
export function iForY(s: string): string {
  return s.replace(/\p{L}+/gu, (w) => {
    const m = I_Y_WORD.exec(w);
    return m ? m[1]! + Y_TO_I[m[2]!]! : w;
  });
}

// ---------------------------------------------------------------------------------------------
// The vocabulary as the generator ranks it

/** How many terms make up the long tail after the curated ones: names, with the rare words among them. */
export const TAIL_SIZE = 5_000;
/** The share of title terms drawn from the tail. */
export const TAIL_SHARE = 0.05;
/** How many Vietnamese authors write the catalogue. */
export const AUTHOR_POOL_SIZE = 30_000;
/** The seed of the tables that do not depend on the catalogue seed. */
const TABLE_SEED = 0x5eed;

export interface CatalogueVocabulary {
  /** Title terms by rank: {@link TITLE_TERMS}, then the tail with {@link RARE_WORDS} in it. */
  terms: readonly string[];
  /** Syllables of each term. */
  syllables: Uint8Array;
  /** Rank of each term. */
  rankOf: ReadonlyMap<string, number>;
  /** A term's rank, drawn as titles draw them. */
  drawRank(rnd: Rnd): number;
  /** The probability that one draw gives this rank. */
  rankProbability(rank: number): number;
  /** Vietnamese authors, most prolific first. */
  authors: readonly string[];
  authorSampler: ZipfSampler;
  /** Subject headings are drawn by their order in {@link SUBJECT_HEADINGS}. */
  subjectSampler: ZipfSampler;
}

let vocabulary: CatalogueVocabulary | undefined;

function personName(rnd: Rnd, family: (rnd: Rnd) => string): string {
  const female = rnd() < 0.5;
  const middle = pickOne(rnd, female ? MIDDLE_NAMES_FEMALE : MIDDLE_NAMES_MALE);
  const given = pickOne(rnd, female ? GIVEN_NAMES_FEMALE : GIVEN_NAMES_MALE);
  const shape = rnd();
  if (shape < 0.05) return `${family(rnd)} ${given}`;
  if (shape < 0.15 && female) return `${family(rnd)} Thị ${middle === 'Thị' ? 'Thu' : middle} ${given}`;
  return `${family(rnd)} ${middle} ${given}`;
}

/** The ranked terms, the author pool and their samplers (built once; independent of any seed). */
export function catalogueVocabulary(): CatalogueVocabulary {
  if (vocabulary) return vocabulary;
  const rnd = seededRandom(TABLE_SEED);
  const family = weighted(FAMILY_NAMES);
  const taken = new Set<string>(TITLE_TERMS);
  for (const w of RARE_WORDS) taken.add(w);
  // The tail: two-syllable place names and personal names, in a fixed shuffled order.
  const places: string[] = [];
  for (const a of PLACE_SYLLABLES) for (const b of PLACE_SYLLABLES) if (a !== b) places.push(`${a} ${b}`);
  const tail: string[] = [];
  const add = (s: string) => {
    if (taken.has(s)) return;
    taken.add(s);
    tail.push(s);
  };
  for (const p of places) add(p);
  while (tail.length < TAIL_SIZE - RARE_WORDS.length) add(personName(rnd, family));
  for (let i = tail.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [tail[i], tail[j]] = [tail[j]!, tail[i]!];
  }
  // Rare words spread evenly through the tail, so their ranks run from shallow to deepest.
  const step = TAIL_SIZE / RARE_WORDS.length;
  RARE_WORDS.forEach((w, i) => tail.splice(Math.min(tail.length, Math.floor((i + 1) * step) - 1), 0, w));
  const terms = [...TITLE_TERMS, ...tail];
  const syllables = new Uint8Array(terms.length);
  terms.forEach((t, i) => (syllables[i] = t.split(' ').filter((w) => /\p{L}/u.test(w)).length));
  const head = new ZipfSampler(TITLE_TERMS.length, 1);
  const rest = new ZipfSampler(tail.length, 1);

  const authors: string[] = [];
  const seen = new Set<string>();
  while (authors.length < AUTHOR_POOL_SIZE) {
    const n = personName(rnd, family);
    if (!seen.has(n)) {
      seen.add(n);
      authors.push(n);
    }
  }
  vocabulary = {
    terms,
    syllables,
    rankOf: new Map(terms.map((t, i) => [t, i])),
    drawRank: (r) => (r() < TAIL_SHARE ? TITLE_TERMS.length + rest.sample(r) : head.sample(r)),
    rankProbability: (rank) => (rank < TITLE_TERMS.length ? (1 - TAIL_SHARE) * head.probability(rank) : TAIL_SHARE * rest.probability(rank - TITLE_TERMS.length)),
    authors,
    // Zipf–Mandelbrot: the most prolific author writes about 0.3 % of the books, not 10 %.
    authorSampler: new ZipfSampler(authors.length, 1, 50),
    subjectSampler: new ZipfSampler(SUBJECT_HEADINGS.length, 0.8),
  };
  return vocabulary;
}

/** Title syllable counts 2…12 with their weights. */
const TITLE_LENGTH = weighted<number>([[2, 6], [3, 10], [4, 15], [5, 15], [6, 14], [7, 11], [8, 9], [9, 7], [10, 5], [11, 4], [12, 4]]);
const MAX_SYLLABLES = 12;

/**
 * Terms for one title: drawn by rank until the syllable count drawn for the title is reached,
 * no term twice, sometimes joined by a connector (`và`, `của`…). `first` opens the title.
 * The result has 2–12 syllables.
 */
export function drawTitleTerms(rnd: Rnd, first?: string): string[] {
  const v = catalogueVocabulary();
  const target = TITLE_LENGTH(rnd);
  const out: string[] = [];
  const used = new Set<string>();
  let count = 0;
  if (first !== undefined) {
    out.push(first);
    used.add(first);
    count += first.split(' ').length;
  }
  for (let guard = 0; count < target && guard < 40; guard++) {
    const r = v.drawRank(rnd);
    const term = v.terms[r]!;
    const n = v.syllables[r]!;
    if (used.has(term) || count + n > MAX_SYLLABLES || (count + n > target + 2 && guard < 30)) continue;
    if (out.length > 0 && count + n + 1 <= MAX_SYLLABLES && rnd() < 0.15) {
      out.push(pickOne(rnd, TITLE_CONNECTORS));
      count++;
    }
    out.push(term);
    used.add(term);
    count += n;
  }
  if (count < 2) out.push(pickOne(rnd, ['Việt Nam', 'xưa và nay', 'hôm nay', 'cơ bản']));
  return out;
}

// ---------------------------------------------------------------------------------------------
// ISBNs

const VN_SPACE = 1_000_000;
const VN_STEP = 387_419;
const FOREIGN_SPACE = 100_000_000;
const FOREIGN_STEP = 48_271_303;
const FOREIGN_GROUPS: Readonly<Record<string, readonly string[]>> = { eng: ['9780', '9781'], fre: ['9782'], rus: ['9785'], chi: ['9787'] };

/**
 * The k-th Vietnamese ISBN the generator hands out (978-604 + six digits + check digit): a
 * permutation of the numbers, so ISBNs look scattered but never repeat within a million.
 */
export function vietnameseIsbn(k: number): string {
  const twelve = '978604' + pad((((k % VN_SPACE) * VN_STEP) + 13) % VN_SPACE, 6);
  return twelve + isbn13CheckDigit(twelve);
}

function foreignIsbn(language: string, k: number): string {
  const groups = FOREIGN_GROUPS[language] ?? ['9780'];
  const group = groups[k % groups.length]!;
  const body = pad(Number((BigInt(k % FOREIGN_SPACE) * BigInt(FOREIGN_STEP) + 7n) % BigInt(FOREIGN_SPACE)), 8);
  const twelve = group + body;
  return twelve + isbn13CheckDigit(twelve);
}

/** As cataloguers type it: `9786041234567` or `978-604-12-3456-7`. */
function writtenIsbn(isbn: string, rnd: Rnd): string {
  if (!isbn.startsWith('978604') || rnd() < 0.55) return isbn;
  return `${isbn.slice(0, 3)}-${isbn.slice(3, 6)}-${isbn.slice(6, 8)}-${isbn.slice(8, 12)}-${isbn.slice(12)}`;
}

// ---------------------------------------------------------------------------------------------
// Records

export interface GenerateOptions {
  records: number;
  seed?: number;
  /** Units that hold copies, largest collection first. */
  unitIds: readonly number[];
  /** Relative size of each unit's collection; default 1 / (position + 1). */
  unitWeights?: readonly number[];
  /** Records per yielded batch (default 1,000). */
  batchSize?: number;
  /** No acquisition date is later than this (default {@link DEFAULT_TODAY}). */
  today?: string;
}

export interface GeneratedRecord {
  /** 1, 2, 3… in generation order (also the record's 001). */
  seq: number;
  marc: MarcRecord;
  /** The unit that catalogued it: the owner of its first copy. */
  ownerUnitId: number;
  /** Its copies (1–20), as the catalogue stores them. */
  items: ItemRow[];
}

const df = (tag: string, ind1: string, ind2: string, ...pairs: Array<readonly [string, string]>): MarcField => ({
  tag,
  ind1,
  ind2,
  subfields: pairs.map(([code, value]) => ({ code, value })),
});

/** Leader/06, /07 and what 008/18-34 and other fields need for each material. */
const MATERIAL_SHAPES: Readonly<Record<MaterialCode, { type: string; level: string; itemType: string; location: keyof typeof SHELVING_LOCATIONS }>> = {
  book: { type: 'a', level: 'm', itemType: 'book', location: 'general' },
  'e-book': { type: 'a', level: 'm', itemType: 'av', location: 'media' },
  serial: { type: 'a', level: 's', itemType: 'periodical', location: 'periodical' },
  thesis: { type: 'a', level: 'm', itemType: 'thesis', location: 'reference' },
  video: { type: 'g', level: 'm', itemType: 'av', location: 'media' },
  'sound-recording': { type: 'j', level: 'm', itemType: 'av', location: 'media' },
  map: { type: 'e', level: 'm', itemType: 'map', location: 'reference' },
  'computer-file': { type: 'm', level: 'm', itemType: 'av', location: 'media' },
  score: { type: 'c', level: 'm', itemType: 'book', location: 'general' },
  manuscript: { type: 't', level: 'm', itemType: 'reference', location: 'local' },
  kit: { type: 'o', level: 'm', itemType: 'av', location: 'media' },
  image: { type: 'k', level: 'm', itemType: 'av', location: 'media' },
  'mixed-materials': { type: 'p', level: 'c', itemType: 'reference', location: 'local' },
};

const PHYSICAL: Readonly<Partial<Record<MaterialCode, readonly string[]>>> = {
  video: ['1 đĩa DVD', '1 đĩa VCD', '1 băng video'],
  'sound-recording': ['1 đĩa CD', '1 băng cát-xét'],
  map: ['1 bản đồ', '1 tờ bản đồ'],
  'computer-file': ['1 đĩa CD-ROM'],
  kit: ['1 hộp'],
  image: ['1 tờ tranh', '12 ảnh'],
  'mixed-materials': ['1 hộp tài liệu'],
  manuscript: ['1 bản thảo'],
  score: ['1 tổng phổ'],
};

const STATUS = weighted<ItemStatus>([
  ['available', 78],
  ['on-loan', 15],
  ['not-for-loan', 2.5],
  ['in-processing', 1.5],
  ['in-transit', 1],
  ['on-hold-shelf', 1],
  ['damaged', 0.5],
  ['lost', 0.3],
  ['missing', 0.2],
]);
const LANGUAGE = weighted(LANGUAGES);
const MATERIAL = weighted(MATERIAL_TYPES);
const PUBLISHER_FORM = weighted(PUBLISHER_FORMS);

/** A year of publication 1950–2026, most of them recent. */
export function drawYear(rnd: Rnd): number {
  return Math.max(FIRST_YEAR, LAST_YEAR - Math.floor((LAST_YEAR - FIRST_YEAR + 1) * Math.pow(rnd(), 2.5)));
}

/** The 008 for a record: 40 characters. */
function field008(o: { entered: string; year: number; serial: boolean; type: string; language: string; electronic: boolean }): string {
  const dates = o.serial ? `c${o.year}9999` : `s${o.year}    `;
  const specific = Array.from({ length: 17 }, () => '|');
  const formAt = 'efgkor'.includes(o.type) ? 11 : 5;
  specific[formAt] = o.electronic ? 'o' : ' ';
  if (o.serial) {
    specific[0] = 'm';
    specific[1] = 'r';
    specific[3] = 'p';
  }
  if (o.type === 'g') specific[15] = 'v';
  return `${o.entered}${dates}vm ${specific.join('')}${o.language} d`;
}

/** Vietnamese libraries' author mark: two letters of the family name and the given name's initial. */
function authorMark(author: string | undefined, title: string): string {
  const letters = (s: string) => fold(s).toUpperCase().replace(/[^A-Z]/g, '');
  if (author !== undefined && author !== '') {
    if (author.includes(',')) return letters(author.slice(0, author.indexOf(','))).slice(0, 3) || 'XX';
    const words = author.split(' ');
    return `${letters(words[0]!).slice(0, 2)}-${letters(words[words.length - 1]!).slice(0, 1)}`;
  }
  return letters(title).slice(0, 3) || 'TL';
}

/** A subject heading as 650/651 _7: the main term in $a, places in $z, forms in $v, topics in $x. */
function subjectField(heading: string): MarcField {
  const [main = heading, ...rest] = heading.split(' -- ');
  const tag = GEOGRAPHIC_NAMES.includes(main) ? '651' : '650';
  const parts: Array<[string, string]> = [['a', main]];
  for (const p of rest) parts.push([GEOGRAPHIC_NAMES.includes(p) ? 'z' : FORM_SUBDIVISIONS.includes(p) ? 'v' : 'x', p]);
  parts.push(['2', SUBJECT_SOURCE]);
  return df(tag, ' ', '7', ...parts);
}

/** ISBD: each part ends with the mark that introduces the next; the last with a period. */
function punctuate(parts: Array<[string, string]>, marks: Readonly<Record<string, string>>, endWith = '.'): Array<[string, string]> {
  return parts.map(([code, value], i) => {
    const next = parts[i + 1];
    if (next === undefined) return [code, endWith === '' || /[.?!]$/u.test(value) ? value : value + endWith];
    return [code, `${value}${marks[next[0]] ?? '.'}`];
  });
}

/**
 * The main term of a subject heading as a title writes it: as in the title terms when it is one
 * (`Phật giáo`), lower case unless it is a name (`Hồ Chí Minh`, `Đông Nam Á`: a capital after it).
 */
function topicTerm(heading: string, ranks: ReadonlyMap<string, number>): string {
  const main = heading.split(' -- ')[0]!;
  const lower = main.charAt(0).toLowerCase() + main.slice(1);
  if (ranks.has(main)) return main;
  if (ranks.has(lower)) return lower;
  const second = main.split(' ')[1];
  const proper = GEOGRAPHIC_NAMES.includes(main) || (second !== undefined && second[0] !== second[0]!.toLowerCase());
  return proper ? main : lower;
}

interface TitleParts {
  title: string;
  subtitle?: string;
  part?: string;
}

/** Generates records one at a time; the state is the random stream and the counters. */
class CatalogueGenerator {
  readonly #rnd: Rnd;
  readonly #v = catalogueVocabulary();
  readonly #units: readonly number[];
  readonly #unit: (rnd: Rnd) => number;
  readonly #today: string;
  readonly #barcodes = new Map<number, number>();
  #vnIsbns = 0;
  #foreignIsbns = 0;

  constructor(seed: number, unitIds: readonly number[], unitWeights: readonly number[] | undefined, today: string) {
    if (unitIds.length === 0) throw new RangeError('generateCatalogue needs at least one unit');
    if (unitWeights && unitWeights.length !== unitIds.length) throw new RangeError('unitWeights must have one weight per unit');
    this.#rnd = seededRandom(seed);
    this.#units = unitIds;
    this.#unit = weighted(unitIds.map((id, i) => [id, unitWeights?.[i] ?? 1 / (i + 1)] as const));
    this.#today = today;
  }

  #author(): string {
    return this.#v.authors[this.#v.authorSampler.sample(this.#rnd)]!;
  }

  #subject(): { heading: string; ddc: string } {
    return SUBJECT_HEADINGS[this.#v.subjectSampler.sample(this.#rnd)]!;
  }

  #vietnameseTitle(topic: string | undefined): TitleParts {
    const rnd = this.#rnd;
    const first = topic !== undefined && rnd() < 0.4 ? topic : undefined;
    const title = capitalise(drawTitleTerms(rnd, first).join(' '));
    const out: TitleParts = { title };
    const s = rnd();
    if (s < 0.12) out.subtitle = pickOne(rnd, SUBTITLE_OPENERS);
    else if (s < 0.25) {
      const terms = drawTitleTerms(rnd).slice(0, 3);
      while (terms.length > 1 && TITLE_CONNECTORS.includes(terms[terms.length - 1]!)) terms.pop();
      out.subtitle = terms.join(' ');
    }
    if (rnd() < 0.05) out.part = `Tập ${between(rnd, 1, 6)}`;
    return out;
  }

  #foreignTitle(language: string): TitleParts {
    const rnd = this.#rnd;
    const words = FOREIGN_TITLE_WORDS[language] ?? FOREIGN_TITLE_WORDS.eng!;
    if (language === 'chi') return { title: pickOne(rnd, words) + (rnd() < 0.5 ? pickOne(rnd, words) : '') };
    const n = between(rnd, 1, 3);
    const picked: string[] = [];
    while (picked.length < n) {
      const w = pickOne(rnd, words);
      if (!picked.includes(w)) picked.push(w);
    }
    const and = { eng: ' and ', fre: ' et ', rus: ' и ' }[language] ?? ' ';
    const joined = picked.length === 1 ? picked[0]! : `${picked.slice(0, -1).join(', ')}${and}${picked[picked.length - 1]!}`;
    let title = capitalise(joined);
    if (language === 'eng' && rnd() < 0.15) title = `The ${joined}`;
    if (language === 'fre' && rnd() < 0.15) title = `Les ${joined}`;
    return { title, ...(rnd() < 0.2 ? { subtitle: pickOne(rnd, words) } : {}) };
  }

  #summary(year: number): string {
    const rnd = this.#rnd;
    const terms = drawTitleTerms(rnd).filter((t) => !TITLE_CONNECTORS.includes(t));
    const word = (i: number) => terms[i] ?? pickOne(rnd, TITLE_TERMS.slice(0, 60));
    return pickOne(rnd, SUMMARY_TEMPLATES)
      .replace('{a}', word(0))
      .replace('{b}', word(1))
      .replace('{c}', word(2))
      .replace('{place}', pickOne(rnd, SUMMARY_PLACES))
      .replace('{year}', String(Math.max(FIRST_YEAR, year - between(rnd, 5, 40))));
  }

  #publisher(year: number): { place: string; name: string } {
    const rnd = this.#rnd;
    const fitting = PUBLISHERS.filter((p) => !p.years || (year >= p.years[0] && year <= p.years[1]));
    const p = weighted(fitting.map((x) => [x, x.weight] as const))(rnd);
    const place = PLACE_ABBREVIATIONS[p.place] !== undefined && rnd() < 0.15 ? PLACE_ABBREVIATIONS[p.place]! : p.place;
    return { place, name: PUBLISHER_FORM(rnd) + p.name };
  }

  /** One record and its copies. */
  next(seq: number): GeneratedRecord {
    const rnd = this.#rnd;
    const fields: MarcField[] = [];

    // What it is.
    const language = LANGUAGE(rnd);
    const material: MaterialCode = language === 'vie' ? MATERIAL(rnd) : rnd() < 0.06 ? 'e-book' : 'book';
    const kind = language !== 'vie' ? 'foreign' : material !== 'book' ? 'plain' : rnd() < 0.04 ? 'classic' : rnd() < 0.03 ? 'translated' : 'plain';
    let year = drawYear(rnd);
    if (material === 'serial') year = Math.min(year, LAST_YEAR - 1);
    const shape = MATERIAL_SHAPES[material];
    const electronic = material === 'e-book';

    // Subjects and class.
    const subjects: string[] = [];
    let ddc: string;
    let topic: string | undefined;
    let mainAuthor: string | undefined;
    let title: TitleParts;
    let original: string | undefined;
    if (kind === 'classic') {
      const w = pickOne(rnd, CLASSIC_WORKS);
      title = { title: w.title };
      mainAuthor = w.author === 'Nhiều tác giả' ? undefined : w.author;
      subjects.push(w.subject);
      ddc = w.ddc;
      year = Math.max(year, 1986);
    } else if (kind === 'translated') {
      const w = pickOne(rnd, TRANSLATED_WORKS);
      title = { title: w.title };
      mainAuthor = w.author;
      original = w.original;
      const heading = SUBJECT_HEADINGS.find((h) => h.heading.startsWith('Văn học nước ngoài'))!;
      subjects.push(heading.heading);
      ddc = heading.ddc;
    } else if (kind === 'foreign') {
      const s = this.#subject();
      subjects.push(s.heading);
      ddc = s.ddc;
      title = this.#foreignTitle(language);
      mainAuthor = pickOne(rnd, FOREIGN_AUTHORS[language] ?? FOREIGN_AUTHORS.eng!);
    } else {
      const s = this.#subject();
      subjects.push(s.heading);
      ddc = s.ddc;
      topic = topicTerm(s.heading, this.#v.rankOf);
      title = this.#vietnameseTitle(topic);
    }
    if (kind !== 'classic' && kind !== 'translated') {
      const extra = rnd() < 0.45 ? 0 : rnd() < 0.6 ? 1 : rnd() < 0.7 ? 2 : 3;
      for (let i = 0; i < extra; i++) {
        const h = this.#subject().heading;
        if (!subjects.includes(h)) subjects.push(h);
      }
    }

    // Who made it.
    let corporate: string | undefined;
    const added: Array<[string, string]> = [];
    if (kind === 'plain') {
      const r = rnd();
      if (r < 0.7) mainAuthor = this.#author();
      else if (r < 0.75) corporate = pickOne(rnd, CORPORATE_AUTHORS);
      const editors = r >= 0.75 ? between(rnd, 1, 3) : rnd() < 0.65 ? 0 : between(rnd, 1, 3);
      for (let i = 0; i < editors; i++) added.push([this.#author(), r >= 0.75 && i === 0 ? pickOne(rnd, ['chủ biên', 'biên soạn', 'sưu tầm', 'tuyển chọn']) : pickOne(rnd, RELATOR_TERMS)]);
    } else if (kind === 'translated') {
      added.push([this.#author(), 'dịch']);
    } else if (kind === 'classic' && rnd() < 0.3) {
      added.push([this.#author(), pickOne(rnd, ['giới thiệu', 'tuyển chọn', 'hiệu đính'])]);
    }

    // Spelling habits of whoever catalogued it.
    const habit = language === 'vie' && kind === 'plain' ? rnd() : 1;
    const spell = habit < 0.06 ? tonesOnMainVowel : habit < 0.1 ? iForY : (s: string) => s;

    // Control fields.
    const entered = `${pad(Math.max(year, 1995) % 100, 2)}${pad(between(rnd, 1, 12), 2)}${pad(between(rnd, 1, 28), 2)}`;
    fields.push({ tag: '001', value: `LTB${pad(seq, 9)}` }, { tag: '003', value: CONTROL_SOURCE });
    if (electronic) fields.push({ tag: '007', value: 'cr |||||||||||' });
    fields.push({ tag: '008', value: field008({ entered, year, serial: material === 'serial', type: shape.type, language, electronic }) });

    // 020.
    const hasIsbn =
      !['serial', 'thesis', 'manuscript', 'image', 'mixed-materials', 'map'].includes(material) &&
      rnd() < (language !== 'vie' ? (year >= 1975 ? 0.9 : 0.3) : year >= 2008 ? 0.96 : year >= 1995 ? 0.8 : 0.25);
    if (hasIsbn) {
      const isbn = language === 'vie' ? vietnameseIsbn(this.#vnIsbns++) : foreignIsbn(language, this.#foreignIsbns++);
      const parts: Array<[string, string]> = [['a', writtenIsbn(isbn, rnd)]];
      if (rnd() < 0.1) parts.push(['q', pickOne(rnd, ['bìa mềm', 'bìa cứng'])]);
      if (rnd() < 0.4) parts.push(['c', `${between(rnd, 15, 350)}000đ`]);
      fields.push(df('020', ' ', ' ', ...parts));
    }
    fields.push(df('040', ' ', ' ', ['a', 'VN-KGTV'], ['b', 'vie'], ['c', 'VN-KGTV']));
    if (original !== undefined) fields.push(df('041', '1', ' ', ['a', 'vie'], ['h', original]));
    else if (language === 'vie' && rnd() < 0.1) fields.push(df('041', '0', ' ', ['a', 'vie']));

    // Classification.
    const bbk = year < 1995 && rnd() < 0.4 ? pickOne(rnd, BBK_CLASSES)[0] : undefined;
    const mark = authorMark(mainAuthor ?? added[0]?.[0], title.title);
    let callNumber: string;
    let callScheme: ShelfScheme;
    if (bbk !== undefined) {
      if (rnd() < 0.5) fields.push(df('082', '0', '4', ['a', ddc], ['b', mark], ['2', '14']));
      fields.push(df('084', ' ', ' ', ['a', bbk], ['b', mark], ['2', 'bbk']));
      callNumber = `${bbk} ${mark}`;
      callScheme = 'bbk';
    } else {
      fields.push(df('082', '0', '4', ['a', ddc], ['b', mark], ['2', '23']));
      callNumber = `${ddc} ${mark}`;
      callScheme = 'ddc';
    }

    // Main entry and title.
    if (mainAuthor !== undefined) fields.push(df('100', mainAuthor.includes(',') ? '1' : '0', ' ', ['a', mainAuthor]));
    else if (corporate !== undefined) fields.push(df('110', '2', ' ', ['a', corporate]));
    const responsibility = [mainAuthor ?? corporate, ...added.map(([n, role]) => (role === 'chủ biên' ? `${n} chủ biên` : role === 'dịch' ? `${n} dịch` : n))]
      .filter((x): x is string => x !== undefined)
      .map((n) => (n.includes(',') ? n.split(', ').reverse().join(' ') : n));
    const t245: Array<[string, string]> = [['a', spell(title.title)]];
    if (title.part !== undefined) t245.push(['n', title.part]);
    if (title.subtitle !== undefined) t245.push(['b', spell(title.subtitle)]);
    if (responsibility.length > 0 && rnd() < 0.9) t245.push(['c', responsibility.slice(0, 3).join(', ')]);
    const nonFiling = Math.min(9, nonFilingCount(title.title, language));
    fields.push(df('245', mainAuthor !== undefined || corporate !== undefined ? '1' : '0', String(nonFiling), ...punctuate(t245, { b: ' :', c: ' /', n: '.' })));
    if (rnd() < 0.12 && language === 'vie') fields.push(df('250', ' ', ' ', ['a', `Tái bản lần thứ ${between(rnd, 1, 9)}.`]));

    // Publication.
    const pub = language === 'vie' ? this.#publisher(year) : (() => {
      const [place, name] = pickOne(rnd, FOREIGN_PUBLISHERS[language] ?? FOREIGN_PUBLISHERS.eng!);
      return { place, name };
    })();
    const imprint: Array<[string, string]> = [['a', pub.place], ['b', pub.name], ['c', String(year)]];
    if (year < 2014 ? rnd() < 0.7 : rnd() < 0.1) fields.push(df('260', ' ', ' ', ...punctuate(imprint, { b: ' :', c: ',' })));
    else fields.push(df('264', ' ', '1', ...punctuate(imprint, { b: ' :', c: ',' }, '')));

    // Physical description, series, notes.
    const physical = PHYSICAL[material];
    const series = rnd() < 0.1 ? pickOne(rnd, SERIES) : undefined;
    const extent = physical ? pickOne(rnd, physical) : `${between(rnd, 24, 850)} tr.`;
    const p300: Array<[string, string]> = [['a', extent]];
    if (!physical && rnd() < 0.3) p300.push(['b', 'minh họa']);
    if (!physical) p300.push(['c', `${pickOne(rnd, ['19', '20', '21', '24', '27'])} cm`]);
    fields.push(df('300', ' ', ' ', ...punctuate(p300, { b: ' :', c: ' ;' }, series ? '.' : '')));
    if (series !== undefined) fields.push(df('490', '0', ' ', ['a', `${series[0]} ;`], ['v', String(between(rnd, 1, series[1]))]));
    if (rnd() < 0.05) fields.push(df('500', ' ', ' ', ['a', `Thư mục: tr. ${between(rnd, 100, 300)}-${between(rnd, 301, 320)}.`]));
    if (material === 'thesis') fields.push(df('502', ' ', ' ', ['a', `Luận văn Thạc sĩ -- ${pickOne(rnd, ['Trường Đại học Cần Thơ', 'Trường Đại học Kiên Giang', 'Trường Đại học Kinh tế Thành phố Hồ Chí Minh'])}, ${year}`]));
    if (rnd() < 0.3) fields.push(df('520', ' ', ' ', ['a', spell(language === 'vie' ? this.#summary(year) : `${title.title}.`)]));
    for (const s of subjects) fields.push(subjectField(s));
    for (const [name, role] of added) fields.push(df('700', name.includes(',') ? '1' : '0', ' ', ['a', `${name},`], ['e', role]));
    if (electronic) fields.push(df('856', '4', '0', ['u', `https://sach.lienthong.example/ban-so/${seq}`]));
    fields.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));

    const leader = `00000n${shape.type}${shape.level} a2200000 i 4500`;
    const items = this.#items(year, material, shape, subjects, language, callNumber, callScheme);
    return { seq, marc: { leader, fields }, ownerUnitId: items[0]!.ownerUnitId, items };
  }

  #items(year: number, material: MaterialCode, shape: (typeof MATERIAL_SHAPES)[MaterialCode], subjects: readonly string[], language: string, callNumber: string, callScheme: ShelfScheme): ItemRow[] {
    const rnd = this.#rnd;
    const count = Math.min(20, 1 + Math.floor(-Math.log(1 - rnd()) * 1.7));
    const children = subjects.some((s) => /thiếu nhi|Truyện tranh|cổ tích/u.test(s));
    const reference = subjects.some((s) => /Từ điển|Niên giám/u.test(s));
    const local = subjects.some((s) => /Kiên Giang|Phú Quốc|Hà Tiên|Rạch Giá/u.test(s));
    const itemType = material === 'book' && children ? 'children' : material === 'book' && reference ? 'reference' : shape.itemType;
    const location: keyof typeof SHELVING_LOCATIONS = language !== 'vie' ? 'foreign' : local && rnd() < 0.6 ? 'local' : itemType === 'children' ? 'children' : itemType === 'reference' ? 'reference' : shape.location;
    const key = shelfKey(callNumber, callScheme);
    const items: ItemRow[] = [];
    let owner = this.#unit(rnd);
    const firstAcquired = Math.min(Math.max(year, 1976), LAST_YEAR);
    for (let i = 0; i < count; i++) {
      if (i > 0 && rnd() >= 0.4) owner = this.#unit(rnd);
      const n = (this.#barcodes.get(owner) ?? 0) + 1;
      this.#barcodes.set(owner, n);
      if (owner > 9_999 || n > 99_999_999) throw new RangeError(`barcode space exhausted for unit ${owner}`);
      let status = STATUS(rnd);
      if (itemType === 'reference' && status === 'on-loan') status = 'not-for-loan';
      const elsewhere = status === 'in-transit' || (status === 'on-hold-shelf' && rnd() < 0.5);
      let locationUnit = owner;
      if (elsewhere && this.#units.length > 1) while (locationUnit === owner) locationUnit = this.#unit(rnd);
      const acquiredYear = Math.min(LAST_YEAR, between(rnd, firstAcquired, Math.min(LAST_YEAR, firstAcquired + 4)));
      let acquiredOn = `${acquiredYear}-${pad(between(rnd, 1, 12), 2)}-${pad(between(rnd, 1, 28), 2)}`;
      if (acquiredOn > this.#today) acquiredOn = this.#today;
      const price = rnd() < 0.12 ? null : year < 1990 ? between(rnd, 1, 30) * 1000 : between(rnd, 15, 350) * 1000;
      items.push({
        barcode: `${pad(owner, 4)}${pad(n, 8)}`,
        ownerUnitId: owner,
        locationUnitId: locationUnit,
        shelvingLocation: pickOne(rnd, SHELVING_LOCATIONS[location]),
        callNumber,
        callScheme,
        shelfKey: key,
        itemType,
        status,
        price,
        currency: price === null ? null : 'VND',
        acquiredOn,
        copyNumber: count > 1 ? String(i + 1) : null,
        publicNote: null,
        staffNote: status === 'damaged' ? 'Rách bìa, cần đóng lại' : null,
      });
    }
    return items;
  }
}

/**
 * The catalogue's records in batches (`batchSize`, default 1,000), generated as they are asked
 * for: the same seed gives the same records whatever the batch size.
 */
export function* generateCatalogue(opts: GenerateOptions): Generator<GeneratedRecord[], void, undefined> {
  const gen = new CatalogueGenerator(opts.seed ?? DEFAULT_SEED, opts.unitIds, opts.unitWeights, opts.today ?? DEFAULT_TODAY);
  const size = Math.max(1, opts.batchSize ?? 1000);
  let batch: GeneratedRecord[] = [];
  for (let seq = 1; seq <= opts.records; seq++) {
    batch.push(gen.next(seq));
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

// ---------------------------------------------------------------------------------------------
// The network

/** What {@link createLibraryTree} and {@link loadCatalogue} need: a container fits. */
export interface CatalogueTarget {
  store: Store;
  services: { org: Pick<OrgService, 'create'> };
}

export interface LibraryTree {
  root: OrgUnit;
  province: OrgUnit;
  /** Rooms of the provincial library (children's room, local studies…). */
  provincialRooms: OrgUnit[];
  districts: OrgUnit[];
  /** Commune (and ward) libraries: the scopes of `scoped-commune` queries. */
  communes: OrgUnit[];
  /** District libraries' branches. */
  branches: OrgUnit[];
  /** Village reading rooms under communes. */
  readingRooms: OrgUnit[];
  /** Every unit, parents first. */
  units: OrgUnit[];
  /** Units that hold copies, largest collection first, and their collections' relative sizes. */
  holdingUnitIds: number[];
  holdingWeights: number[];
}

/** Relative collection sizes by kind of unit. */
const COLLECTION_WEIGHT = { provincial: 60, room: 6, district: 10, branch: 2, commune: 1, readingRoom: 0.3 } as const;

/**
 * The network the catalogue belongs to: a province's public libraries, about 300 units — the
 * network, the provincial library and its 5 rooms, 13 district libraries with 2 branches each,
 * 145 commune libraries and 109 village reading rooms. Created through `OrgService.create` (one
 * transaction per unit, with its history event and audit entry), as the test factories do.
 */
export async function createLibraryTree(target: CatalogueTarget, opts: { communes?: number; readingRooms?: number; seed?: number } = {}): Promise<LibraryTree> {
  const rnd = seededRandom(opts.seed ?? TABLE_SEED);
  const sys = systemActor('bench');
  const org = target.services.org;
  const make = (code: string, typeCode: UnitTypeCode, parentId: number | null, nameVi: string, nameEn: string) =>
    org.create(sys, { code, nameVi, nameEn, typeCode, parentId, openedOn: '2000-01-01' });
  const root = await make('NET', 'network', null, 'Mạng lưới thư viện công cộng tỉnh Kiên Giang', 'Kiên Giang public library network');
  const province = await make('TVKG', 'provincial', root.id, 'Thư viện tỉnh Kiên Giang', 'Kiên Giang Provincial Library');
  const provincialRooms: OrgUnit[] = [];
  for (const [suffix, name] of PROVINCIAL_ROOMS) provincialRooms.push(await make(`TVKG-${suffix}`, 'branch', province.id, `${name} - Thư viện tỉnh`, `${name} (provincial library)`));
  const districts: OrgUnit[] = [];
  const branches: OrgUnit[] = [];
  for (const d of DISTRICTS) {
    const unit = await make(d.code, 'district', province.id, `Thư viện ${d.kind} ${d.name}`, `${d.name} ${d.kind === 'huyện' ? 'district' : 'city'} library`);
    districts.push(unit);
    for (let i = 1; i <= 2; i++) branches.push(await make(`${d.code}-P${i}`, 'branch', unit.id, `Phòng đọc ${i === 1 ? 'thiếu nhi' : 'lưu động'} ${d.kind} ${d.name}`, `${d.name} branch ${i}`));
  }
  // Communes spread over the districts by their weights; names unique within the network.
  const communeCount = opts.communes ?? 145;
  const totalWeight = DISTRICTS.reduce((a, d) => a + d.weight, 0);
  const perDistrict = DISTRICTS.map((d) => Math.floor((communeCount * d.weight) / totalWeight));
  for (let i = 0; perDistrict.reduce((a, b) => a + b, 0) < communeCount; i++) perDistrict[i % perDistrict.length]!++;
  const usedNames = new Set<string>();
  const placeName = () => {
    for (;;) {
      const a = pickOne(rnd, PLACE_SYLLABLES);
      const b = pickOne(rnd, PLACE_SYLLABLES);
      const name = rnd() < 0.15 ? `${a} ${b} ${pickOne(rnd, ['A', 'B', 'Đông', 'Tây', 'Bắc'])}` : `${a} ${b}`;
      if (a !== b && !usedNames.has(name)) {
        usedNames.add(name);
        return name;
      }
    }
  };
  const communes: OrgUnit[] = [];
  for (let d = 0; d < districts.length; d++) {
    for (let i = 1; i <= perDistrict[d]!; i++) {
      const kind = DISTRICTS[d]!.kind === 'thành phố' ? 'phường' : rnd() < 0.1 ? 'thị trấn' : 'xã';
      const name = placeName();
      communes.push(await make(`${DISTRICTS[d]!.code}-X${pad(i, 2)}`, 'commune', districts[d]!.id, `Thư viện ${kind} ${name}`, `${name} ${kind === 'phường' ? 'ward' : 'commune'} library`));
    }
  }
  const readingRooms: OrgUnit[] = [];
  const roomsPer = new Map<number, number>();
  for (let i = 0; i < (opts.readingRooms ?? 109); i++) {
    const c = pickOne(rnd, communes);
    const n = (roomsPer.get(c.id) ?? 0) + 1;
    roomsPer.set(c.id, n);
    const name = `ấp ${placeName()}`;
    readingRooms.push(await make(`${c.code}-R${n}`, 'reading_room', c.id, `Phòng đọc ${name}`, `Reading room, ${fold(name)}`));
  }
  const holding: Array<[OrgUnit, number]> = [
    [province, COLLECTION_WEIGHT.provincial],
    ...districts.map((u): [OrgUnit, number] => [u, COLLECTION_WEIGHT.district]),
    ...provincialRooms.map((u): [OrgUnit, number] => [u, COLLECTION_WEIGHT.room]),
    ...branches.map((u): [OrgUnit, number] => [u, COLLECTION_WEIGHT.branch]),
    ...communes.map((u): [OrgUnit, number] => [u, COLLECTION_WEIGHT.commune]),
    ...readingRooms.map((u): [OrgUnit, number] => [u, COLLECTION_WEIGHT.readingRoom]),
  ];
  return {
    root,
    province,
    provincialRooms,
    districts,
    communes,
    branches,
    readingRooms,
    units: [root, province, ...provincialRooms, ...districts, ...branches, ...communes, ...readingRooms],
    holdingUnitIds: holding.map(([u]) => u.id),
    holdingWeights: holding.map(([, w]) => w),
  };
}

// ---------------------------------------------------------------------------------------------
// Loading

export interface LoadProgress {
  records: number;
  items: number;
  total: number;
  /** Since the first record was generated (the tree is not counted). */
  seconds: number;
}

/** One landed batch, as `onBatch` sees it inside the batch's transaction. */
export interface LoadedBatch {
  records: Array<{ id: number; row: NewRecordRow; generated: GeneratedRecord }>;
  items: NewItemRow[];
}

export interface LoadOptions {
  records: number;
  seed?: number;
  /** Records per transaction (default 1,000). */
  batchSize?: number;
  /** The network to load into; created with {@link createLibraryTree} when absent. */
  tree?: LibraryTree;
  /** The catalogue's own MARC organisation code, for its identifiers (default as the container's). */
  orgCode?: string;
  /** `created_at` of the rows (default: now). */
  now?: string;
  onProgress?: (p: LoadProgress) => void;
  /** Runs inside each batch's transaction after its rows are written (to index them, say). */
  onBatch?: (tx: Repos, batch: LoadedBatch) => Promise<void>;
}

export interface LoadResult {
  tree: LibraryTree;
  records: number;
  items: number;
  /** Generating, preparing and writing the records. */
  seconds: number;
  /** Creating the network. */
  treeSeconds: number;
}

/**
 * Generates the catalogue and lands it, one transaction per batch, through the repository calls
 * the MARC import makes (`allocateRecordIds`, `insertRecords`, `addIdentifiers` with the
 * catalogue's own number, `insertItems`): each record through `prepareRecord` for its derived
 * columns and identifiers. No import job, no per-record results, no matching (the records are
 * all new).
 */
export async function loadCatalogue(target: CatalogueTarget, opts: LoadOptions): Promise<LoadResult> {
  const t0 = process.hrtime.bigint();
  const tree = opts.tree ?? (await createLibraryTree(target));
  const treeSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const orgCode = opts.orgCode ?? DEFAULT_MARC_ORG_CODE;
  const now = opts.now ?? new Date().toISOString();
  const t1 = process.hrtime.bigint();
  let records = 0;
  let items = 0;
  for (const batch of generateCatalogue({ records: opts.records, seed: opts.seed, unitIds: tree.holdingUnitIds, unitWeights: tree.holdingWeights, batchSize: opts.batchSize })) {
    const prepared = batch.map((g) => ({ g, p: prepareRecord(g.marc, { nfc: true }) }));
    const landed = await target.store.transaction(async (tx) => {
      const ids = await tx.catalog.allocateRecordIds(prepared.length);
      const loaded: LoadedBatch = { records: [], items: [] };
      const identifiers: IdentifierHit[] = [];
      prepared.forEach(({ g, p }, i) => {
        const id = ids[i]!;
        const row: NewRecordRow = { ...p.content, id, ownerUnitId: g.ownerUnitId, source: 'bench:search', createdBy: null };
        loaded.records.push({ id, row, generated: g });
        for (const ident of identifiersOf(p.derived, { orgCode, id })) identifiers.push({ ...ident, recordId: id });
        for (const item of g.items) loaded.items.push({ ...item, recordId: id, source: 'bench' });
      });
      await tx.catalog.insertRecords(
        loaded.records.map((r) => r.row),
        now,
      );
      await tx.catalog.addIdentifiers(identifiers);
      await tx.catalog.insertItems(loaded.items, now, { ids: false });
      await opts.onBatch?.(tx, loaded);
      return loaded;
    });
    records += landed.records.length;
    items += landed.items.length;
    opts.onProgress?.({ records, items, total: opts.records, seconds: Number(process.hrtime.bigint() - t1) / 1e9 });
  }
  return { tree, records, items, seconds: Number(process.hrtime.bigint() - t1) / 1e9, treeSeconds };
}
