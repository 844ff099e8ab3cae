/**
 * Derived fields of a MARC21 bibliographic record: what display, facets, sorting and duplicate
 * detection need, computed from the record kept whole. Pure and total: any input — a missing
 * 245, empty subfields, repeated fields, a short 008 or leader — gives a result, never an error.
 *
 * Every string is NFC with white space collapsed. Values that carry ISBD punctuation at their end
 * in MARC practice (titles, names, places, publishers, dates, edition, extent, series, subject
 * terms) are trimmed with {@link trimPunctuation}; notes and summaries keep their sentence
 * punctuation. Names are never re-ordered: Vietnamese names stay in direct order (`Nguyễn Du`).
 */
import { cleanLine } from '../../text/fold.js';
import { foldForMatch } from '../../text/match-fold.js';
import { isbnQualifier, normaliseIsbn, normaliseIssn } from './isbn.js';
import {
  controlField,
  controlFields,
  dataFields,
  indicator,
  isDataField,
  subfieldValues,
  type MarcDataField,
  type MarcLike,
  type MarcLikeField,
} from './marc-like.js';
import { trailingMark, trimPunctuation } from './punctuation.js';
import { shelfKey, type ShelfScheme } from './shelf-key.js';

export type MaterialType =
  | 'book'
  | 'e-book'
  | 'serial'
  | 'article'
  | 'map'
  | 'score'
  | 'sound-recording'
  | 'video'
  | 'image'
  | 'computer-file'
  | 'kit'
  | 'mixed-materials'
  | 'object'
  | 'manuscript'
  | 'thesis'
  | 'other';

export interface AlternativeTitle {
  title: string;
  /** `uniform`: 130/240; `varying`: 246; `added`: 740. */
  kind: 'uniform' | 'varying' | 'added';
  tag: string;
  /** 246 $i, the display text (`Nhan đề song song:`). */
  label?: string;
}

export interface Author {
  /** As written, without dates: `Nguyễn Du`, `Smith, John`, `Việt Nam. Quốc hội`. */
  name: string;
  /** Personal-name dates (X00 $d), e.g. `1765-1820`. */
  dates?: string;
  /** Relator terms (X00/X10 $e, X11 $j), e.g. `dịch`. */
  roles: string[];
  /** Relator codes (X00–X11 $4), e.g. `trl`; the last path segment of a relator URI. */
  roleCodes: string[];
  kind: 'personal' | 'corporate' | 'meeting';
  /** True for the 1XX main entry. */
  main: boolean;
  tag: string;
}

export interface Subject {
  /** Parts joined with ` -- `: `Văn học Việt Nam -- Thơ -- Thế kỷ 18`. */
  heading: string;
  /** The main term, then the subdivisions ($v $x $y $z) in the order written. */
  parts: string[];
  kind: 'personal' | 'corporate' | 'meeting' | 'uniform-title' | 'topical' | 'geographic' | 'genre';
  /** From ind2 (0 lcsh, 1 lcshac, 2 mesh, 3 nal, 5 cash, 6 rvm) or, with ind2 7, $2. */
  vocabulary?: string;
  tag: string;
}

export interface Series {
  title: string;
  volume?: string;
  issn?: string;
  tag: string;
}

export interface Note {
  tag: string;
  text: string;
}

export interface IsbnEntry {
  /** The subfield as catalogued. */
  raw: string;
  isbn13?: string;
  isbn10?: string;
  /** `bìa mềm`, `pbk.`: text after the number and $q. */
  qualifier?: string;
  /** `valid`: 020 $a with a correct check digit; `invalid`: 020 $a that is not; `cancelled`: $z. */
  status: 'valid' | 'invalid' | 'cancelled';
}

export interface IssnEntry {
  raw: string;
  /** `NNNN-NNNC` when the check digit is right. */
  issn?: string;
  /** $a valid/invalid by check digit; $y incorrect; $z cancelled; $l linking ISSN. */
  status: 'valid' | 'invalid' | 'incorrect' | 'cancelled' | 'linking';
}

export interface SystemNumber {
  value: string;
  /** The organisation code in parentheses: `(OCoLC)12345` → `OCoLC`. */
  source?: string;
  cancelled: boolean;
}

export interface Classification {
  /** `ddc` (082), `udc` (080), `lcc` (050), `bbk` (084 with $2 bbk…), else 084 $2 or `other`. */
  scheme: string;
  number: string;
  /** DDC/UDC edition ($2 of 082/080), e.g. `23/vie`. */
  edition?: string;
  /** $b item number (cutter). */
  itemNumber?: string;
  /** 084 $2 as written. */
  source?: string;
  tag: string;
}

export interface CallNumber {
  value: string;
  scheme: ShelfScheme;
  tag: string;
  /** {@link shelfKey} of `value` in `scheme`. */
  shelfKey: string;
}

export interface Link {
  url: string;
  label?: string;
  /** $z public note. */
  note?: string;
  /** 856 ind2: 0 resource, 1 version of it, 2 related; anything else `other`. */
  relation: 'resource' | 'version' | 'related' | 'other';
}

export interface DerivedRecord {
  /** 245 $a $b $n $p with ISBD separators: `Lịch sử Việt Nam. Tập 1 : Thời cổ đại`. */
  title?: string;
  /** 245 $a $n $p, without other title information. */
  shortTitle?: string;
  /** 245 $b. */
  subtitle?: string;
  /** 245 $c. */
  responsibility?: string;
  /** `title` without the non-filing characters of 245 ind2 (`The Cat` with ind2 4 → `Cat`). */
  sortTitle?: string;
  alternativeTitles: AlternativeTitle[];
  /** Main entry first, then added entries, in the order written. */
  authors: Author[];
  subjects: Subject[];
  /** From the first 260 or 264 with ind2 1; `[S.l.]`-style placeholders left out. */
  places: string[];
  publishers: string[];
  /** The date as catalogued, trimmed: `c2003`, `1995?`. */
  publicationDate?: string;
  /** A four-digit year from the publication date, else 008/07-10, else a 264 ind2 4 date. */
  year?: number;
  edition?: string;
  series: Series[];
  physicalDescription?: string;
  /** 5XX except 520, in record order. */
  notes: Note[];
  /** 520. */
  summaries: string[];
  /** Three-letter codes from 008/35-37 and 041 $a, deduplicated, lower case. */
  languages: string[];
  isbns: IsbnEntry[];
  issns: IssnEntry[];
  /** 001, with 003 as its source. */
  controlNumber?: { value: string; source?: string };
  /** 035. */
  systemNumbers: SystemNumber[];
  classifications: Classification[];
  callNumber?: CallNumber;
  links: Link[];
  materialType: MaterialType;
  /** Online or otherwise electronic (007/00 c, 008 form of item o/q/s, 338 cr, 245 $h, leader/06 m). */
  electronic: boolean;
  /**
   * A key for spotting duplicates among records without a shared ISBN:
   * `group|title|author|year` — see {@link matchKey}. Absent when the record has no title.
   */
  matchKey?: string;
}

/**
 * Derives display, facet, sort and matching fields from a MARC21 bibliographic record.
 *
 * @example deriveFields(record).title // 'Truyện Kiều'
 */
export function deriveFields(record: MarcLike): DerivedRecord {
  const safe = sanitise(record);
  const f245 = dataFields(safe, '245')[0];
  const titles = f245 ? titleStatement(f245) : {};
  const authors = deriveAuthors(safe);
  const publication = derivePublication(safe);
  const classifications = deriveClassifications(safe);
  const { materialType, electronic } = deriveMaterialType(safe);
  const derived: DerivedRecord = {
    ...titles,
    alternativeTitles: deriveAlternativeTitles(safe),
    authors,
    subjects: deriveSubjects(safe),
    ...publication,
    ...optional('edition', firstOf(safe, '250', (f) => joinTrimmed(f, 'ab'))),
    series: deriveSeries(safe),
    ...optional('physicalDescription', firstOf(safe, '300', (f) => joinTrimmed(f, '3abcefg'))),
    notes: deriveNotes(safe),
    summaries: dataFields(safe, '520')
      .map((f) => joinClean(f, 'ab'))
      .filter((s) => s !== ''),
    languages: deriveLanguages(safe),
    isbns: deriveIsbns(safe),
    issns: deriveIssns(safe),
    ...optional('controlNumber', deriveControlNumber(safe)),
    systemNumbers: deriveSystemNumbers(safe),
    classifications,
    ...optional('callNumber', deriveCallNumber(safe, classifications)),
    links: deriveLinks(safe),
    materialType,
    electronic,
  };
  const key = matchKey(derived, f245);
  return key === undefined ? derived : { ...derived, matchKey: key };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

/**
 * A copy that holds only well-formed parts, so the rules below need no defensive checks: fields
 * without a string tag are dropped, subfields without a one-character code are dropped,
 * non-string values read as empty, missing indicators as blank.
 */
function sanitise(record: MarcLike): MarcLike {
  const text = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
  const fields: MarcLikeField[] = [];
  const input: unknown = (record as { fields?: unknown } | null | undefined)?.fields;
  for (const f of Array.isArray(input) ? (input as unknown[]) : []) {
    if (typeof f !== 'object' || f === null) continue;
    const { tag, subfields, value, ind1, ind2 } = f as Record<string, unknown>;
    if (typeof tag !== 'string') continue;
    if (Array.isArray(subfields)) {
      const clean = subfields
        .filter((sf): sf is { code: string; value: unknown } => typeof sf === 'object' && sf !== null && typeof (sf as { code?: unknown }).code === 'string')
        .filter((sf) => sf.code.length === 1)
        .map((sf) => ({ code: sf.code, value: text(sf.value) }));
      fields.push({ tag, ind1: text(ind1) || ' ', ind2: text(ind2) || ' ', subfields: clean });
    } else if (value !== undefined) {
      fields.push({ tag, value: text(value) });
    }
  }
  const leader = (record as { leader?: unknown } | null | undefined)?.leader;
  return { leader: typeof leader === 'string' ? leader : '', fields };
}

/** `{ [key]: value }` when the value is defined and not empty, else `{}`. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  if (value === undefined || value === '') return {};
  return { [key]: value } as { [P in K]?: V };
}

function firstOf<T>(record: MarcLike, tag: string, read: (f: MarcDataField) => T | undefined): T | undefined {
  for (const f of dataFields(record, tag)) {
    const v = read(f);
    if (v !== undefined && v !== '') return v;
  }
  return undefined;
}

/** Selected subfields as written, joined by a space, then trimmed of ISBD punctuation. */
function joinTrimmed(field: MarcDataField, codes: string): string | undefined {
  const text = trimPunctuation(subfieldValues(field, codes).join(' '));
  return text === '' ? undefined : text;
}

/** Selected subfields joined by a space, white space cleaned, punctuation kept. */
function joinClean(field: MarcDataField, codes: string): string {
  return cleanLine(subfieldValues(field, codes).join(' '));
}

function trimmedValues(field: MarcDataField, codes: string): string[] {
  return subfieldValues(field, codes)
    .map(trimPunctuation)
    .filter((s) => s !== '');
}

function dedupe<T>(items: T[], key: (item: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Joins title-like subfields with ISBD separators. The separator is the mark the previous
 * subfield ends with (` : `, ` = `, ` ; `, `. `, `, `) when it directly precedes; otherwise the
 * default for the subfield: ` : ` before $b, `, ` before a $p that follows $n, `. ` otherwise.
 * Records with minimal punctuation (PCC 2020) therefore read the same as ISBD-punctuated ones.
 */
function assemble(field: MarcDataField, codes: string, replaceFirstA?: string): string | undefined {
  let out = '';
  let previousIndex = -2;
  let previousRaw = '';
  let previousCode = '';
  let firstA = true;
  field.subfields.forEach((sf, i) => {
    if (sf.code.length !== 1 || !codes.includes(sf.code)) return;
    let raw = sf.value ?? '';
    if (sf.code === 'a' && firstA) {
      firstA = false;
      if (replaceFirstA !== undefined) raw = replaceFirstA;
    }
    const text = trimPunctuation(raw);
    if (text === '') return;
    if (out !== '') {
      const mark = previousIndex === i - 1 ? trailingMark(previousRaw) : undefined;
      let sep = separator(mark, sf.code, previousCode);
      if (out.endsWith('.') && sep.startsWith('.')) sep = sep.slice(1);
      out += sep;
    }
    out += text;
    previousIndex = i;
    previousRaw = raw;
    previousCode = sf.code;
  });
  return out === '' ? undefined : out;
}

function separator(mark: string | undefined, code: string, previousCode: string): string {
  switch (mark) {
    case ':':
      return ' : ';
    case '=':
      return ' = ';
    case ';':
      return ' ; ';
    case '.':
      return '. ';
    case ',':
      return ', ';
  }
  if (code === 'b') return ' : ';
  if (code === 'p' && previousCode === 'n') return ', ';
  return '. ';
}

// ---------------------------------------------------------------------------------------------
// Titles

function titleStatement(f: MarcDataField): Pick<DerivedRecord, 'title' | 'shortTitle' | 'subtitle' | 'responsibility' | 'sortTitle'> {
  const title = assemble(f, 'abnp');
  return {
    ...optional('title', title),
    ...optional('shortTitle', assemble(f, 'anp')),
    ...optional('subtitle', joinTrimmed(f, 'b')),
    ...optional('responsibility', joinTrimmed(f, 'c')),
    ...optional('sortTitle', title === undefined ? undefined : sortable(f, 'abnp')),
  };
}

/**
 * The assembled title with 245 ind2 non-filing characters removed from the first $a. The count
 * is in characters of the NFC text; it is ignored when it would cut a word in two (a wrong
 * indicator is common in copied records), and leading punctuation left over is dropped.
 */
function sortable(f: MarcDataField, codes: string): string | undefined {
  const skip = nonFilingCount(f);
  const a = subfieldValues(f, 'a')[0];
  let replaced: string | undefined;
  if (skip > 0 && a !== undefined) {
    const chars = [...cleanLine(a)];
    const cut = chars.slice(0, skip).join('');
    const next = chars[skip];
    const atBoundary = /[\s'’"“([-]$/u.test(cut) || next === undefined || !/[\p{L}\p{N}]/u.test(next);
    if (skip < chars.length && atBoundary) replaced = chars.slice(skip).join('');
  }
  const text = assemble(f, codes, replaced);
  const sort = text?.replace(/^[^\p{L}\p{N}]+/u, '');
  return sort === '' ? undefined : sort;
}

function nonFilingCount(f: MarcDataField): number {
  const ind2 = indicator(f, 2);
  return /^[1-9]$/.test(ind2) ? Number(ind2) : 0;
}

function deriveAlternativeTitles(record: MarcLike): AlternativeTitle[] {
  const out: AlternativeTitle[] = [];
  for (const f of dataFields(record, '130', '240', '246', '740')) {
    const title = f.tag === '246' || f.tag === '740' ? assemble(f, 'abnp') : joinTrimmed(f, 'adfgklmnoprs');
    if (!title) continue;
    const kind = f.tag === '246' ? 'varying' : f.tag === '740' ? 'added' : 'uniform';
    const label = f.tag === '246' ? joinTrimmed(f, 'i') : undefined;
    out.push({ title, kind, tag: f.tag, ...optional('label', label) });
  }
  return dedupe(out, (t) => `${t.kind}\u0000${t.title}`);
}

// ---------------------------------------------------------------------------------------------
// Authors

function deriveAuthors(record: MarcLike): Author[] {
  const out: Author[] = [];
  for (const f of dataFields(record, '100', '110', '111')) {
    const a = author(f, true);
    if (a) out.push(a);
  }
  for (const f of dataFields(record, '700', '710', '711')) {
    const a = author(f, false);
    if (a) out.push(a);
  }
  return out;
}

function author(f: MarcDataField, main: boolean): Author | undefined {
  const type = f.tag.slice(1);
  const kind: Author['kind'] = type === '00' ? 'personal' : type === '10' ? 'corporate' : 'meeting';
  // Meetings put the relator in $j, since their $e is a subordinate unit.
  const nameCodes = kind === 'personal' ? 'abcq' : kind === 'corporate' ? 'abcdgn' : 'acdegnq';
  const name = joinTrimmed(f, nameCodes);
  if (!name) return undefined;
  const dates = kind === 'personal' ? joinTrimmed(f, 'd') : undefined;
  const roles = trimmedValues(f, kind === 'meeting' ? 'j' : 'e');
  const roleCodes = subfieldValues(f, '4')
    .map((c) => cleanLine(c).replace(/\/+$/u, '').split('/').pop() ?? '')
    .map((c) => c.replace(/[.,;:]+$/u, '').toLowerCase())
    .filter((c) => c !== '');
  return { name, ...optional('dates', dates), roles, roleCodes, kind, main, tag: f.tag };
}

// ---------------------------------------------------------------------------------------------
// Subjects

const SUBJECT_KINDS: Record<string, Subject['kind']> = {
  '600': 'personal',
  '610': 'corporate',
  '611': 'meeting',
  '630': 'uniform-title',
  '650': 'topical',
  '651': 'geographic',
  '655': 'genre',
};

const THESAURI: Record<string, string> = { '0': 'lcsh', '1': 'lcshac', '2': 'mesh', '3': 'nal', '5': 'cash', '6': 'rvm' };

function deriveSubjects(record: MarcLike): Subject[] {
  const out: Subject[] = [];
  for (const f of dataFields(record, ...Object.keys(SUBJECT_KINDS))) {
    const relator = f.tag === '611' ? 'j' : 'e';
    const main: string[] = [];
    const subdivisions: string[] = [];
    for (const sf of f.subfields) {
      if (sf.code.length !== 1 || /\d/.test(sf.code) || sf.code === relator) continue;
      if ('vxyz'.includes(sf.code)) {
        const s = trimPunctuation(sf.value ?? '');
        if (s) subdivisions.push(s);
      } else main.push(sf.value ?? '');
    }
    const term = trimPunctuation(main.join(' '));
    const parts = term ? [term, ...subdivisions] : subdivisions;
    if (parts.length === 0) continue;
    const ind2 = indicator(f, 2);
    const vocabulary = ind2 === '7' ? cleanLine(subfieldValues(f, '2')[0] ?? '').replace(/[.,;:]+$/u, '') : THESAURI[ind2];
    out.push({ heading: parts.join(' -- '), parts, kind: SUBJECT_KINDS[f.tag]!, ...optional('vocabulary', vocabulary), tag: f.tag });
  }
  return dedupe(out, (s) => `${s.heading}\u0000${s.vocabulary ?? ''}`);
}

// ---------------------------------------------------------------------------------------------
// Publication

/** Transcribed "unknown" markers: true to the source, useless as facets. */
const PLACEHOLDERS = new Set([
  's.l.', 's.l', 'sine loco', 'n.p.', 'n.p', 'place of publication not identified',
  's.n.', 's.n', 'sine nomine', 'publisher not identified',
  'k.đ.', 'k.đ', 'kđ', 'k.nxb', 'knxb', 'k.nxb.', 'không rõ nơi xuất bản', 'không rõ nhà xuất bản',
]);

function derivePublication(record: MarcLike): Pick<DerivedRecord, 'places' | 'publishers' | 'publicationDate' | 'year'> {
  const field = dataFields(record, '260', '264').find((f) => f.tag === '260' || indicator(f, 2) === '1');
  const keep = (s: string) => !PLACEHOLDERS.has(s.toLowerCase());
  const places = field ? dedupe(trimmedValues(field, 'a').filter(keep), (s) => s) : [];
  const publishers = field ? dedupe(trimmedValues(field, 'b').filter(keep), (s) => s) : [];
  const rawDate = field ? subfieldValues(field, 'c').find((c) => cleanLine(c) !== '') : undefined;
  const publicationDate = rawDate === undefined ? undefined : trimPunctuation(rawDate);
  const copyright = dataFields(record, '264')
    .filter((f) => indicator(f, 2) === '4')
    .flatMap((f) => subfieldValues(f, 'c'));
  const year =
    (rawDate === undefined ? undefined : yearIn(rawDate)) ??
    yearFrom008(controlField(record, '008')) ??
    copyright.map(yearIn).find((y) => y !== undefined);
  return { places, publishers, ...optional('publicationDate', publicationDate), ...optional('year', year) };
}

/**
 * The first plausible four-digit year in a date as catalogued: `2015.`, `c2003`, `[1995?]`,
 * `©2010`, `2003-2005`; a correction wins (`1998 [i.e. 1999]` → 1999). `19uu`, `[199-?]` have none.
 */
export function yearIn(text: string): number | undefined {
  const t = cleanLine(text ?? '');
  const corrected = /i\.\s?e\.?,?\s*\[?(\d{4})(?!\d)/iu.exec(t);
  const m = corrected ?? /(?<!\d)(\d{4})(?!\d)/u.exec(t);
  if (!m) return undefined;
  const y = Number(m[1]);
  return y >= 1000 && y <= 2100 ? y : undefined;
}

/** 008/07-10 (Date 1) when it is four digits and 008/06 is not `b` (B.C. dates). */
function yearFrom008(f008: string | undefined): number | undefined {
  if (f008 === undefined || f008.length < 11 || f008[6] === 'b') return undefined;
  const date1 = f008.slice(7, 11);
  return /^\d{4}$/.test(date1) ? yearIn(date1) : undefined;
}

// ---------------------------------------------------------------------------------------------
// Series, notes, languages

function deriveSeries(record: MarcLike): Series[] {
  const out: Series[] = [];
  for (const f of dataFields(record, '490', '800', '810', '811', '830')) {
    const title =
      f.tag === '490'
        ? joinTrimmed(f, 'a')
        : f.tag === '830'
          ? assemble(f, 'anp')
          : (assemble(f, 'tnp') ?? joinTrimmed(f, 'a'));
    if (!title) continue;
    const volume = joinTrimmed(f, 'v');
    const issn = subfieldValues(f, 'x').map(normaliseIssn).find((i) => i !== undefined);
    out.push({ title, ...optional('volume', volume), ...optional('issn', issn), tag: f.tag });
  }
  return dedupe(out, (s) => `${foldForMatch(s.title)}\u0000${foldForMatch(s.volume ?? '')}`);
}

function deriveNotes(record: MarcLike): Note[] {
  const out: Note[] = [];
  for (const f of record.fields) {
    if (!/^5\d\d$/.test(f.tag) || f.tag === '520' || !isDataField(f)) continue;
    const text = cleanLine(
      f.subfields
        .filter((s) => s.code.length === 1 && (!/\d/.test(s.code) || s.code === '3'))
        .map((s) => s.value ?? '')
        .join(' '),
    );
    if (text) out.push({ tag: f.tag, text });
  }
  return out;
}

function deriveLanguages(record: MarcLike): string[] {
  const codes: string[] = [];
  const f008 = controlField(record, '008');
  if (f008 !== undefined && f008.length >= 38) codes.push(f008.slice(35, 38));
  for (const f of dataFields(record, '041')) {
    for (const v of subfieldValues(f, 'a')) {
      const c = cleanLine(v).toLowerCase();
      // Before 2001, several codes were run together in one $a: `vieeng`.
      if (/^(?:[a-z]{3})+$/.test(c)) for (let i = 0; i < c.length; i += 3) codes.push(c.slice(i, i + 3));
    }
  }
  return dedupe(
    codes.map((c) => c.toLowerCase()).filter((c) => /^[a-z]{3}$/.test(c)),
    (c) => c,
  );
}

// ---------------------------------------------------------------------------------------------
// Identifiers

function deriveIsbns(record: MarcLike): IsbnEntry[] {
  const out: IsbnEntry[] = [];
  for (const f of dataFields(record, '020')) {
    const extra = trimmedValues(f, 'q').map((q) => q.replace(/^\((.*)\)$/u, '$1'));
    for (const sf of f.subfields) {
      if (sf.code !== 'a' && sf.code !== 'z') continue;
      const raw = cleanLine(sf.value ?? '');
      if (raw === '') continue;
      const n = normaliseIsbn(raw);
      const qualifier = [isbnQualifier(raw), ...extra].filter((q): q is string => !!q).join('; ');
      const status: IsbnEntry['status'] = sf.code === 'z' ? 'cancelled' : n ? 'valid' : 'invalid';
      out.push({ raw, ...optional('isbn13', n?.isbn13), ...optional('isbn10', n?.isbn10), ...optional('qualifier', qualifier), status });
    }
  }
  return dedupe(out, (i) => `${i.status === 'cancelled' ? 'z' : 'a'}\u0000${i.isbn13 ?? i.raw}`);
}

const ISSN_STATUS: Record<string, IssnEntry['status']> = { y: 'incorrect', z: 'cancelled', l: 'linking' };

function deriveIssns(record: MarcLike): IssnEntry[] {
  const out: IssnEntry[] = [];
  for (const f of dataFields(record, '022')) {
    for (const sf of f.subfields) {
      if (!'ayzl'.includes(sf.code) || sf.code.length !== 1) continue;
      const raw = cleanLine(sf.value ?? '');
      if (raw === '') continue;
      const issn = normaliseIssn(raw);
      const status = ISSN_STATUS[sf.code] ?? (issn ? 'valid' : 'invalid');
      out.push({ raw, ...optional('issn', issn), status });
    }
  }
  return dedupe(out, (i) => `${i.status}\u0000${i.issn ?? i.raw}`);
}

function deriveControlNumber(record: MarcLike): { value: string; source?: string } | undefined {
  const value = cleanLine(controlField(record, '001') ?? '');
  if (value === '') return undefined;
  return { value, ...optional('source', cleanLine(controlField(record, '003') ?? '')) };
}

function deriveSystemNumbers(record: MarcLike): SystemNumber[] {
  const out: SystemNumber[] = [];
  for (const f of dataFields(record, '035')) {
    for (const sf of f.subfields) {
      if (sf.code !== 'a' && sf.code !== 'z') continue;
      const raw = cleanLine(sf.value ?? '');
      const m = /^\(([^)]*)\)\s*(.*)$/u.exec(raw);
      const value = m ? m[2]! : raw;
      if (value === '') continue;
      out.push({ value, ...optional('source', m?.[1]?.trim()), cancelled: sf.code === 'z' });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Classification and call number

function classNumber(s: string): string {
  // Segmentation marks (`/`, `'`) and brackets are cataloguers' aids, not part of the number.
  return cleanLine(s).replace(/[/'’[\]\s]/gu, '').replace(/[.,;:]+$/u, '');
}

function schemeOf084(source: string | undefined): string {
  const s = (source ?? '').toLowerCase().trim();
  if (/^(?:ru)?bbk/.test(s)) return 'bbk';
  if (/^udc/.test(s)) return 'udc';
  if (/^ddc/.test(s)) return 'ddc';
  return s === '' ? 'other' : s;
}

function deriveClassifications(record: MarcLike): Classification[] {
  const out: Classification[] = [];
  for (const f of dataFields(record, '050', '080', '082', '084')) {
    const itemNumber = cleanLine(subfieldValues(f, 'b')[0] ?? '');
    const source = cleanLine(subfieldValues(f, '2')[0] ?? '');
    const numbers = subfieldValues(f, 'a').map(f.tag === '084' || f.tag === '050' ? (s) => cleanLine(s).replace(/[.,;:]+$/u, '') : classNumber);
    if (f.tag === '080') {
      // UDC common auxiliary subdivisions ($x) extend the number.
      const aux = subfieldValues(f, 'x').map(classNumber).join('');
      if (numbers[0] !== undefined) numbers[0] += aux;
    }
    const scheme = f.tag === '050' ? 'lcc' : f.tag === '080' ? 'udc' : f.tag === '082' ? 'ddc' : schemeOf084(source);
    for (const number of numbers) {
      if (number === '') continue;
      out.push({
        scheme,
        number,
        ...optional('edition', f.tag === '080' || f.tag === '082' ? source : undefined),
        ...optional('itemNumber', itemNumber),
        ...optional('source', f.tag === '084' ? source : undefined),
        tag: f.tag,
      });
    }
  }
  return out;
}

function toShelfScheme(code: string | undefined): ShelfScheme | undefined {
  const s = (code ?? '').toLowerCase();
  if (/^ddc|^dewey/.test(s)) return 'ddc';
  if (/^udc/.test(s)) return 'udc';
  if (/^(?:ru)?bbk/.test(s)) return 'bbk';
  return undefined;
}

/** Which scheme a local call number is in: the record's own BBK/UDC number, a DDC shape, else other. */
function guessScheme(value: string, classifications: Classification[]): ShelfScheme {
  const compact = value.replace(/\s/gu, '');
  for (const c of classifications) {
    if ((c.scheme === 'bbk' || c.scheme === 'udc') && c.number.length > 0 && compact.includes(c.number.replace(/\s/gu, ''))) {
      return c.scheme;
    }
  }
  if (/^(?:\p{L}+\s+)?\d{3}(?:\.\d+)?(?=$|[\s\p{L}])/u.test(value)) return 'ddc';
  return 'other';
}

function deriveCallNumber(record: MarcLike, classifications: Classification[]): CallNumber | undefined {
  const make = (value: string, scheme: ShelfScheme, tag: string): CallNumber => ({ value, scheme, tag, shelfKey: shelfKey(value, scheme) });
  for (const f of dataFields(record, '090', '092', '099')) {
    const value = cleanLine((f.tag === '099' ? subfieldValues(f, 'a') : subfieldValues(f, 'ab')).join(' '));
    if (value) return make(value, f.tag === '092' ? 'ddc' : guessScheme(value, classifications), f.tag);
  }
  for (const f of dataFields(record, '852')) {
    const value = cleanLine(subfieldValues(f, 'khim').join(' '));
    if (!value) continue;
    const ind1 = indicator(f, 1);
    const scheme = ind1 === '1' ? 'ddc' : ind1 === '7' ? toShelfScheme(subfieldValues(f, '2')[0]) : undefined;
    return make(value, scheme ?? (ind1 === '0' ? 'other' : guessScheme(value, classifications)), f.tag);
  }
  for (const f of dataFields(record, '952')) {
    const value = cleanLine(subfieldValues(f, 'o')[0] ?? '');
    if (value) return make(value, toShelfScheme(subfieldValues(f, '2')[0]) ?? guessScheme(value, classifications), f.tag);
  }
  const ddc = dataFields(record, '082').find((f) => subfieldValues(f, 'a').some((a) => classNumber(a) !== ''));
  if (ddc) {
    const number = classNumber(subfieldValues(ddc, 'a').find((a) => classNumber(a) !== '')!);
    const cutter = cleanLine(subfieldValues(ddc, 'b')[0] ?? '');
    return make(cutter ? `${number} ${cutter}` : number, 'ddc', '082');
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Links

const RELATIONS: Record<string, Link['relation']> = { '0': 'resource', '1': 'version', '2': 'related' };

function deriveLinks(record: MarcLike): Link[] {
  const out: Link[] = [];
  for (const f of dataFields(record, '856')) {
    const label = joinTrimmed(f, 'y') ?? joinTrimmed(f, '3');
    const note = joinTrimmed(f, 'z');
    const relation = RELATIONS[indicator(f, 2)] ?? 'other';
    for (const u of subfieldValues(f, 'u')) {
      const url = safeUrl(u);
      if (url) out.push({ url, ...optional('label', label), ...optional('note', note), relation });
    }
  }
  return dedupe(out, (l) => l.url);
}

/** Only web and FTP addresses are links; `www.…` without a scheme gets `http://`. */
function safeUrl(raw: string): string | undefined {
  const u = cleanLine(raw).replace(/\s/gu, '');
  const withScheme = /^www\./iu.test(u) ? `http://${u}` : u;
  return /^(?:https?|ftps?):\/\/[^/\s]/iu.test(withScheme) ? withScheme : undefined;
}

// ---------------------------------------------------------------------------------------------
// Material type

/**
 * From leader/06 (type of record) and /07 (bibliographic level), 008 form of item (position 23,
 * or 29 for maps and visual materials), 007/00, 338 $b and 245 $h; a thesis is language
 * material with a 502 dissertation note. A leader too short to read falls back on the fields.
 */
function deriveMaterialType(record: MarcLike): { materialType: MaterialType; electronic: boolean } {
  const type = record.leader[6] ?? '';
  const level = record.leader[7] ?? '';
  const f008 = controlField(record, '008') ?? '';
  const f007 = controlFields(record, '007').map((v) => v[0] ?? '');
  const formOfItem = f008['efgkor'.includes(type) && type !== '' ? 29 : 23] ?? '';
  const gmd = dataFields(record, '245').flatMap((f) => subfieldValues(f, 'h')).join(' ');
  const carrier = dataFields(record, '338').flatMap((f) => subfieldValues(f, 'b')).map((b) => cleanLine(b).toLowerCase());
  const electronic =
    type === 'm' ||
    f007.includes('c') ||
    (formOfItem.length === 1 && 'oqs'.includes(formOfItem)) ||
    carrier.includes('cr') ||
    /electronic|computer file|điện tử/iu.test(gmd.normalize('NFC'));
  const thesis = dataFields(record, '502').length > 0;
  const is = (chars: string, c: string) => c.length === 1 && chars.includes(c);
  let materialType: MaterialType;
  if (type === 'a') {
    if (is('si', level)) materialType = 'serial';
    else if (is('ab', level)) materialType = 'article';
    else materialType = thesis ? 'thesis' : electronic ? 'e-book' : 'book';
  } else if (type === 't') materialType = thesis ? 'thesis' : 'manuscript';
  else if (is('cd', type)) materialType = 'score';
  else if (is('ef', type)) materialType = 'map';
  else if (type === 'g') materialType = is('fst', f008[33] ?? '') || f007.includes('g') ? 'image' : 'video';
  else if (is('ij', type)) materialType = 'sound-recording';
  else if (type === 'k') materialType = 'image';
  else if (type === 'm') materialType = 'computer-file';
  else if (type === 'o') materialType = 'kit';
  else if (type === 'p') materialType = 'mixed-materials';
  else if (type === 'r') materialType = 'object';
  else if (thesis) materialType = 'thesis';
  else if (dataFields(record, '022').length > 0) materialType = 'serial';
  else if (dataFields(record, '245').length > 0) materialType = electronic ? 'e-book' : 'book';
  else materialType = 'other';
  return { materialType, electronic };
}

// ---------------------------------------------------------------------------------------------
// Matching key

const TEXT_TYPES: ReadonlySet<MaterialType> = new Set(['book', 'e-book', 'thesis', 'manuscript', 'article']);
const TITLE_KEY_LENGTH = 60;
const CORPORATE_KEY_LENGTH = 16;

/**
 * `group|title|author|year`, every part folded with {@link foldForMatch} (no marks, `đ` → `d`,
 * lower case, punctuation gone, `kỹ`/`kĩ` equal):
 * - group: `text` for books, e-books, theses, manuscripts and articles, else the material type;
 *   `-e` appended when electronic — a print book and its e-book are different manifestations;
 * - title: 245 $a $n $p (part numbers matter: `Tập 1` ≠ `Tập 2`; subtitles are left out because
 *   cataloguers record them inconsistently), non-filing characters skipped, first 60 characters
 *   (the whole 245 title when $a $n $p are empty);
 * - author: the first author's family name as a single word: for a personal name written with a
 *   comma (`Smith, John`, `Nguyễn, Du`) the part before it, otherwise the first word — which for a
 *   Vietnamese name in direct order is the family name (`Nguyễn Du` → `nguyen`), so inverted and
 *   direct forms agree; for a corporate or meeting name its first 16 letters and digits;
 *   empty when there is no author;
 * - year: the publication year, empty when unknown.
 */
export function matchKey(derived: DerivedRecord, f245?: MarcDataField): string | undefined {
  // The title proper; a damaged 245 with only other title information still gives a key.
  const titleSource = (f245 ? sortable(f245, 'anp') : undefined) ?? derived.shortTitle ?? derived.sortTitle ?? derived.title;
  const title = foldForMatch(titleSource ?? '')
    .slice(0, TITLE_KEY_LENGTH)
    .trim();
  if (title === '') return undefined;
  const group = (TEXT_TYPES.has(derived.materialType) ? 'text' : derived.materialType) + (derived.electronic ? '-e' : '');
  const first = derived.authors[0];
  let author = '';
  if (first?.kind === 'personal') {
    const family = first.name.includes(',') ? first.name.slice(0, first.name.indexOf(',')) : (first.name.split(' ')[0] ?? '');
    author = foldForMatch(family).replace(/ /g, '');
  } else if (first) {
    author = foldForMatch(first.name).replace(/ /g, '').slice(0, CORPORATE_KEY_LENGTH);
  }
  return [group, title, author, derived.year ?? ''].join('|');
}
