/**
 * The simple cataloguing form for small libraries: a dozen plain fields (title, authors,
 * publisher, year, ISBN…) turned into a correct MARC 21 bibliographic record, and read back out of
 * one so the same form can edit it. Pure: no I/O; the caller supplies today's date.
 *
 * The record follows MARC 21 with ISBD punctuation (leader/18 `i`): ` : ` before 245 $b, ` / `
 * before $c, a final period; `264 _1 $a Place : $b Publisher, $c Year.`. Access points (100, 700,
 * 650) carry no terminal period, so that names read back exactly as typed. Names are never
 * re-ordered: Vietnamese names stay in direct order (`Nguyễn Du`, 100 ind1 0); a name typed with a
 * comma (`Smith, John`) is inverted (ind1 1).
 *
 * What the form does not hold is lost when a record goes through it: 1XX/7XX dates and relators,
 * corporate names (read back as names, written again as personal names), subject vocabularies
 * (all subjects are written as 650 _4), 5XX notes other than 500 (written back as 500).
 */
import { cleanLine } from '../../text/fold.js';
import { deriveFields, type MaterialType } from './derive.js';
import { compactIsbn, isbnQualifier, normaliseIsbn } from './isbn.js';
import { dataFields, subfieldValues, type MarcLike } from './marc-like.js';
import { nonFilingCount } from './marc21-rules.js';
import { trimPunctuation } from './punctuation.js';

export const SIMPLE_MATERIAL_TYPES = ['book', 'serial', 'map', 'score', 'video', 'sound-recording', 'computer-file'] as const;
export type SimpleMaterialType = (typeof SIMPLE_MATERIAL_TYPES)[number];

export const CLASSIFICATION_SCHEMES = ['ddc', 'udc', 'bbk', 'other'] as const;
export type ClassificationScheme = (typeof CLASSIFICATION_SCHEMES)[number];

export interface SimpleRecordInput {
  title: string;
  subtitle?: string;
  /** Statement of responsibility as on the title page: `Nguyễn Du ; Đào Duy Anh khảo đính`. */
  responsibility?: string;
  /** Personal names; the first is the main entry (100), the others added entries (700). */
  authors: string[];
  publisher?: string;
  place?: string;
  /** Four digits, or empty when unknown. */
  year?: string;
  edition?: string;
  isbn?: string[];
  /** Topical subjects, each written as 650 _4; `Văn học -- Thơ` gives $a Văn học $x Thơ. */
  subjects?: string[];
  classification?: { scheme: ClassificationScheme; number: string };
  /**
   * MARC language code (ISO 639-2/B, three letters), default `vie`. Several codes separated by
   * commas (`vie, eng`) give 041 $a for each; the first goes into 008.
   */
  language?: string;
  /** One 520 per line. */
  summary?: string;
  /** 300 $a, the extent as written: `215 tr.`. */
  pages?: string;
  /** 490 $a; `Tủ sách tuổi thơ ; 5` puts the number after ` ; ` in $v. */
  series?: string;
  /** One 500 per line. */
  notes?: string;
  materialType?: SimpleMaterialType;
}

// ---------------------------------------------------------------------------------------------
// Validation

/** Problem codes; the messages are `catalog.form.<code>`. */
export const SIMPLE_FORM_CODES = [
  'title-required',
  'year-invalid',
  'isbn-invalid',
  'language-invalid',
  'material-type-invalid',
  'classification-scheme-invalid',
] as const;
export type SimpleFormCode = (typeof SIMPLE_FORM_CODES)[number];

/** One problem with one form field; `index` is the position in a list field (`isbn`). */
export interface SimpleFormProblem {
  field: keyof SimpleRecordInput;
  code: SimpleFormCode;
  params: Record<string, string | number>;
  index?: number;
}

/**
 * Checks the form: a title is required; the year is four digits or empty; every ISBN has a
 * correct check digit; every language code is three letters. An empty list means the form can be
 * saved with {@link buildMarcFromSimple}.
 */
export function validateSimpleRecord(input: SimpleRecordInput): SimpleFormProblem[] {
  const out: SimpleFormProblem[] = [];
  if (clean(input.title) === '') out.push({ field: 'title', code: 'title-required', params: {} });
  const year = clean(input.year);
  if (year !== '' && !/^\d{4}$/.test(year)) out.push({ field: 'year', code: 'year-invalid', params: { value: year } });
  (input.isbn ?? []).forEach((raw, index) => {
    const value = clean(raw);
    if (value !== '' && normaliseIsbn(value) === undefined) out.push({ field: 'isbn', code: 'isbn-invalid', params: { value }, index });
  });
  for (const value of languageTokens(input.language)) {
    if (!/^[a-z]{3}$/i.test(value)) out.push({ field: 'language', code: 'language-invalid', params: { value } });
  }
  const material = input.materialType as string | undefined;
  if (material !== undefined && material !== '' && !(SIMPLE_MATERIAL_TYPES as readonly string[]).includes(material)) {
    out.push({ field: 'materialType', code: 'material-type-invalid', params: { value: material } });
  }
  const scheme = input.classification?.scheme as string | undefined;
  if (input.classification && clean(input.classification.number) !== '' && !(CLASSIFICATION_SCHEMES as readonly string[]).includes(scheme ?? '')) {
    out.push({ field: 'classification', code: 'classification-scheme-invalid', params: { value: scheme ?? '' } });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Building the record

export interface SimpleMarcControlField {
  tag: string;
  value: string;
}

export interface SimpleMarcDataField {
  tag: string;
  ind1: string;
  ind2: string;
  subfields: { code: string; value: string }[];
}

/** The same shape as the codec's `MarcRecord`: it can be written or stored as it is. */
export interface SimpleMarcRecord {
  leader: string;
  fields: (SimpleMarcControlField | SimpleMarcDataField)[];
}

export interface BuildOptions {
  /** Today, `YYYY-MM-DD`: 008/00-05 (date entered on file). */
  today: string;
  /** 001, when the catalogue has already assigned one. */
  controlNumber?: string;
  /** The library's MARC organisation code: 040 $a $c, and 003 with a control number. */
  orgCode?: string;
}

/** Leader/06 type of record. A sound recording is taken as spoken word (`i`), the common case. */
const RECORD_TYPE: Readonly<Record<SimpleMaterialType, string>> = {
  book: 'a',
  serial: 'a',
  map: 'e',
  score: 'c',
  video: 'g',
  'sound-recording': 'i',
  'computer-file': 'm',
};

/** MARC 21 008/15-17 for Việt Nam. */
const PLACE_VIETNAM = 'vm ';

/**
 * Builds a MARC 21 bibliographic record from the form. The input is expected to have passed
 * {@link validateSimpleRecord}; an ISBN that fails its check digit is still written to 020 $a as
 * typed (the MARC rules then warn about it), and a malformed year is left out of 008.
 *
 * - leader: `n` new, type from the material, `m` monograph (`s` serial), `a` Unicode, encoding
 *   level `7` (minimal), `i` ISBD punctuation;
 * - 008: date entered, `s` + year (serial: `c` + year + `9999`; `n`/`u` + `uuuu` without a year),
 *   `vm ` Việt Nam, the language, cataloguing source `d`; material-specific positions `|` (not
 *   coded), except form of item blank (regular print) for books and serials;
 * - 020, 040 (`$b vie`), 041 when several languages, 080/082/084, 100, 245, 250, 264 _1, 300,
 *   490 0_, 500, 520, 650 _4, 700, in tag order.
 *
 * @throws RangeError when `opts.today` is not `YYYY-MM-DD` (a caller's mistake, not user input).
 */
export function buildMarcFromSimple(input: SimpleRecordInput, opts: BuildOptions): SimpleMarcRecord {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.today ?? '')) {
    throw new RangeError(`buildMarcFromSimple: today must be YYYY-MM-DD, got "${String(opts.today)}"`);
  }
  const material: SimpleMaterialType = (SIMPLE_MATERIAL_TYPES as readonly string[]).includes(input.materialType ?? '') ? input.materialType! : 'book';
  const serial = material === 'serial';
  const languages = languageTokens(input.language).map((l) => l.toLowerCase()).filter((l) => /^[a-z]{3}$/.test(l));
  const language = languages[0] ?? 'vie';
  const year = /^\d{4}$/.test(clean(input.year)) ? clean(input.year) : '';
  const authors = (input.authors ?? []).map(clean).filter((a) => a !== '');
  const title = clean(input.title);

  const fields: SimpleMarcRecord['fields'] = [];
  const data = (tag: string, ind1: string, ind2: string, ...pairs: [string, string][]) =>
    fields.push({ tag, ind1, ind2, subfields: pairs.map(([code, value]) => ({ code, value })) });

  const controlNumber = clean(opts.controlNumber);
  const orgCode = clean(opts.orgCode);
  if (controlNumber !== '') {
    fields.push({ tag: '001', value: controlNumber });
    if (orgCode !== '') fields.push({ tag: '003', value: orgCode });
  }
  fields.push({ tag: '008', value: build008({ today: opts.today, year, serial, book: material === 'book' || serial, language }) });

  for (const raw of input.isbn ?? []) {
    const value = clean(raw);
    if (value === '') continue;
    const n = normaliseIsbn(value);
    if (!n) {
      data('020', ' ', ' ', ['a', value]);
      continue;
    }
    const typed = compactIsbn(value);
    const number = n.isbn10 !== undefined && typed.includes(n.isbn10) && !typed.includes(n.isbn13) ? n.isbn10 : n.isbn13;
    const qualifier = isbnQualifier(value);
    data('020', ' ', ' ', ['a', number], ...(qualifier ? [['q', qualifier] as [string, string]] : []));
  }

  data('040', ' ', ' ', ...(orgCode !== '' ? [['a', orgCode] as [string, string]] : []), ['b', 'vie'], ...(orgCode !== '' ? [['c', orgCode] as [string, string]] : []));
  if (languages.length > 1) data('041', ' ', ' ', ...languages.map((l): [string, string] => ['a', l]));

  const classNumber = clean(input.classification?.number);
  if (classNumber !== '') {
    const scheme = input.classification!.scheme;
    if (scheme === 'udc') data('080', ' ', ' ', ['a', classNumber]);
    else if (scheme === 'ddc') data('082', '0', '4', ['a', classNumber]);
    else if (scheme === 'bbk') data('084', ' ', ' ', ['a', classNumber], ['2', 'bbk']);
    else data('084', ' ', ' ', ['a', classNumber]);
  }

  if (authors[0] !== undefined) data('100', personalNameIndicator(authors[0]), ' ', ['a', authors[0]]);

  const titleParts: [string, string][] = [['a', title]];
  if (clean(input.subtitle) !== '') titleParts.push(['b', clean(input.subtitle)]);
  if (clean(input.responsibility) !== '') titleParts.push(['c', clean(input.responsibility)]);
  const nonFiling = Math.min(9, nonFilingCount(title, language));
  data('245', authors.length > 0 ? '1' : '0', String(nonFiling), ...punctuate(titleParts, { b: ' :', c: ' /' }));

  if (clean(input.edition) !== '') data('250', ' ', ' ', ['a', endWithPeriod(clean(input.edition))]);

  const imprint = ([['a', clean(input.place)], ['b', clean(input.publisher)], ['c', year]] as [string, string][]).filter(([, v]) => v !== '');
  if (imprint.length > 0) data('264', ' ', '1', ...punctuate(imprint, { b: ' :', c: ',' }));

  const series = clean(input.series);
  const pages = clean(input.pages);
  // ISBD: the physical description area ends with a period when a series statement follows.
  if (pages !== '') data('300', ' ', ' ', ['a', series !== '' ? endWithPeriod(pages) : pages]);
  if (series !== '') {
    const [seriesTitle = '', ...volume] = series.split(/\s+;\s+/u);
    const number = volume.join(' ; ');
    data('490', '0', ' ', ...(number !== '' ? ([['a', `${seriesTitle} ;`], ['v', number]] as [string, string][]) : [['a', seriesTitle] as [string, string]]));
  }

  for (const line of lines(input.notes)) data('500', ' ', ' ', ['a', line]);
  for (const line of lines(input.summary)) data('520', ' ', ' ', ['a', line]);
  for (const subject of input.subjects ?? []) {
    const [main = '', ...subdivisions] = clean(subject).split(/\s*--\s*/u).filter((s) => s !== '');
    if (main !== '') data('650', ' ', '4', ['a', main], ...subdivisions.map((s): [string, string] => ['x', s]));
  }
  for (const name of authors.slice(1)) data('700', personalNameIndicator(name), ' ', ['a', name]);

  return { leader: buildLeader(material), fields };
}

function buildLeader(material: SimpleMaterialType): string {
  // 00-04 length, 05 status n, 06 type, 07 level, 08 blank, 09 a (UCS/Unicode), 10-11 "22",
  // 12-16 base address, 17 encoding level 7 (minimal), 18 i (ISBD), 19 blank, 20-23 "4500".
  return `00000n${RECORD_TYPE[material]}${material === 'serial' ? 's' : 'm'} a22000007i 4500`;
}

function build008(o: { today: string; year: string; serial: boolean; book: boolean; language: string }): string {
  const entered = o.today.slice(2, 4) + o.today.slice(5, 7) + o.today.slice(8, 10);
  const dates = o.serial ? (o.year ? `c${o.year}9999` : 'uuuuuuuuu') : o.year ? `s${o.year}    ` : 'nuuuuuuuu';
  // Books and serials: 18-22 not coded, 23 form of item blank (regular print), 24-34 not coded.
  const specific = o.book ? `|||||${' '}${'|'.repeat(11)}` : '|'.repeat(17);
  return `${entered}${dates}${PLACE_VIETNAM}${specific}${o.language} d`;
}

/** MARC 21 X00 ind1: 1 for a surname written first with a comma, else 0 (forename/direct order). */
function personalNameIndicator(name: string): string {
  return name.includes(',') ? '1' : '0';
}

/**
 * ISBD punctuation: each subfield ends with the mark that introduces the next one (`marks[code]`),
 * the last one with a period.
 */
function punctuate(parts: [string, string][], marks: Readonly<Record<string, string>>): [string, string][] {
  return parts.map(([code, value], i) => {
    const next = parts[i + 1];
    return [code, next === undefined ? endWithPeriod(value) : `${value}${marks[next[0]] ?? '.'}`];
  });
}

function endWithPeriod(s: string): string {
  return /[.?!]$/u.test(s) ? s : `${s}.`;
}

// ---------------------------------------------------------------------------------------------
// Reading a record back into the form

const MATERIAL_FROM_DERIVED: Partial<Record<MaterialType, SimpleMaterialType>> = {
  serial: 'serial',
  map: 'map',
  score: 'score',
  video: 'video',
  'sound-recording': 'sound-recording',
  'computer-file': 'computer-file',
};

/**
 * The form's values for a record, so that the simple form can edit it. Values come from
 * {@link deriveFields} (ISBD punctuation trimmed, NFC); for a record made by
 * {@link buildMarcFromSimple} the result equals the input it was built from, normalised (white
 * space collapsed, ISBNs without hyphens, language codes in lower case).
 */
export function simpleFromMarc(record: MarcLike): SimpleRecordInput {
  const d = deriveFields(record);
  const out: SimpleRecordInput = { title: d.shortTitle ?? d.title ?? '', authors: d.authors.map((a) => a.name) };
  const set = <K extends keyof SimpleRecordInput>(key: K, value: SimpleRecordInput[K] | undefined) => {
    if (value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return;
    out[key] = value;
  };
  set('subtitle', d.subtitle);
  set('responsibility', d.responsibility);
  set('publisher', d.publishers.join(' ; '));
  set('place', d.places.join(' ; '));
  set('year', d.year === undefined ? undefined : String(d.year));
  set('edition', d.edition);
  set(
    'isbn',
    d.isbns
      .filter((i) => i.status !== 'cancelled')
      .map((i) => {
        if (i.isbn13 === undefined) return i.raw;
        const typed = compactIsbn(i.raw);
        return i.isbn10 !== undefined && typed.includes(i.isbn10) && !typed.includes(i.isbn13) ? i.isbn10 : i.isbn13;
      }),
  );
  set('subjects', d.subjects.map((s) => s.heading));
  const known = d.classifications.find((c) => c.scheme === 'ddc' || c.scheme === 'udc' || c.scheme === 'bbk') ?? d.classifications[0];
  if (known) {
    const scheme = (CLASSIFICATION_SCHEMES as readonly string[]).includes(known.scheme) ? (known.scheme as ClassificationScheme) : 'other';
    out.classification = { scheme, number: known.number };
  }
  set('language', d.languages.join(', '));
  set('summary', d.summaries.join('\n'));
  set('pages', dataFields(record, '300').map((f) => trimPunctuation(subfieldValues(f, 'a')[0] ?? '')).find((p) => p !== ''));
  const series = d.series[0];
  set('series', series === undefined ? undefined : series.volume ? `${series.title} ; ${series.volume}` : series.title);
  set('notes', d.notes.map((n) => n.text).join('\n'));
  set('materialType', MATERIAL_FROM_DERIVED[d.materialType] ?? 'book');
  return out;
}

// ---------------------------------------------------------------------------------------------
// Helpers

function clean(s: string | undefined | null): string {
  return typeof s === 'string' ? cleanLine(s) : '';
}

/** Non-empty lines, each cleaned (NFC, white space collapsed). */
function lines(s: string | undefined): string[] {
  return (s ?? '')
    .split(/\r?\n/u)
    .map(cleanLine)
    .filter((l) => l !== '');
}

function languageTokens(s: string | undefined): string[] {
  return clean(s)
    .split(/[\s,;]+/u)
    .filter((t) => t !== '');
}
