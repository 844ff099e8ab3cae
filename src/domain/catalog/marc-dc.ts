/**
 * MARC 21 bibliographic record → unqualified Dublin Core, for OAI-PMH `oai_dc` and anywhere a
 * record is shown as DC. It follows the Library of Congress "MARC to Dublin Core Crosswalk"
 * (unqualified, 2008 revision, https://www.loc.gov/marc/marc2dc.html), read through the
 * catalogue's own derived fields (`deriveFields`), so a title or a subject reads in DC as it does
 * on the record page. Pure and total: any record gives a result, never an error; every value is
 * NFC with white space collapsed, empty and repeated values dropped (`normaliseDc`).
 *
 * | DC | MARC | choices |
 * |---|---|---|
 * | title | 245 $a $b $n $p; 246 $a $b $n $p | ISBD separators between parts kept (`Lịch sử Việt Nam. Tập 1 : Thời cổ đại`), trailing ISBD punctuation and `[ ]` stripped; 245 first |
 * | creator | 100, 110, 111; 700, 710, 711, 720 whose relator says author | see below |
 * | contributor | 700, 710, 711, 720 otherwise | |
 * | subject | 600, 610, 611, 630, 650 (heading, subdivisions joined with ` -- `), 653 (each $a); 050, 080, 082, 084 | class numbers carry their scheme: `DDC 895.9223`, `UDC 821.922`, `LCC PL4378`, `BBK …` |
 * | description | 520, then the other 5XX notes in record order | 506, 530 and 540 go to rights and relation as LoC says; 546 stays a note (dc:language holds codes) |
 * | publisher | 260 $b, 264 (2nd indicator 1) $b | the publication statement only (not `$a`, the place); `[s.n.]`-style placeholders dropped |
 * | date | 260/264 $c, else 008/07-10 | the four-digit year (W3CDTF) when there is one, else the date as catalogued, trimmed (`[199-?]` → `199-?`) |
 * | type | leader/06-07, 008/26, 008/33; 655 | a DCMI Type term (table below), then the 655 genre headings |
 * | format | 856 $q, 340 $a, 300 | the extent (`245 tr. : ảnh ; 21 cm`) is DC's "dimensions of the resource" |
 * | identifier | 020, 022, 024, 856 $u | `ISBN 9786042054737` (as ISBN-13; a number with a wrong check digit, or cancelled in $z, identifies nothing and is left out), `ISSN 0866-7373` (likewise), 024 with its kind (`ISMN …`, `DOI …`), links to the resource itself (856 2nd indicator not 2) |
 * | source | 534 $t, 786 $o $t | |
 * | language | 008/35-37, 041 $a | ISO 639-2 codes (`vie`); `und`, `zxx` and blanks left out |
 * | relation | 530; 760-787 (not 786) $t, $o; 490 and 800/810/811/830 (series: `title ; volume`); 856 with 2nd indicator 2 | series are not in LoC's unqualified list: they are the relation harvesters most need |
 * | coverage | 651, 662, 751, 752 | as LoC: geographic headings are coverage, not subject |
 * | rights | 506, 540 | all subfields but control ones |
 *
 * Creator or contributor: LoC's unqualified crosswalk puts every name in contributor ("creator
 * element not used"). We follow DCMI's definitions instead — creator is the entity primarily
 * responsible — because aggregators read authors from dc:creator. The main entry (1XX) is a
 * creator; an added entry (7XX, 720) is a creator when its relator ($4 code or $e term; $j for
 * meetings) names an author-like role (`aut`, `cre`, `cmp`, `art`…, `tác giả`, `đồng tác giả`…),
 * and a contributor otherwise — including when it has no relator (editors, translators and
 * compilers are usually entered so in older records). Names keep their dates
 * (`Nguyễn Du, 1765-1820`) and lose their relators.
 *
 * Type (LoC's Appendix, with DCMI's finer terms where the record says more): leader/06 a, c, d,
 * t → Text; e, f, k → Image; g → MovingImage when 008/33 is m (motion picture) or v (video),
 * else Image; i, j → Sound; m → Software when 008/26 is b (program), Dataset when a (numeric
 * data), else nothing; r → PhysicalObject; o, p → nothing; and Collection, as well, when
 * leader/07 is c (collection) or leader/06 is p (mixed materials, which are collections).
 */
import { nfc } from '../../text/fold.js';
import { normaliseDc, type DublinCore } from '../digital/object.js';
import { deriveFields, type Author, type Classification } from './derive.js';
import { controlField, dataFields, indicator, isDataField, subfieldValues, type MarcDataField, type MarcLike, type MarcLikeField } from './marc-like.js';
import { trimPunctuation } from './punctuation.js';

/** Relator codes (MARC Code List for Relators) of roles that make a creator. */
const CREATOR_CODES = new Set(['aut', 'cre', 'cmp', 'art', 'ctg', 'pht', 'lyr', 'lbt', 'aus']);
/** Relator terms (English, Vietnamese) of roles that make a creator, lower case, NFC. */
const CREATOR_TERMS = new Set(
  [
    'author', 'authors', 'co-author', 'joint author', 'creator', 'composer', 'artist', 'cartographer', 'photographer',
    'lyricist', 'librettist', 'screenwriter',
    'tác giả', 'đồng tác giả', 'tác giả chính', 'sáng tác', 'nhạc sĩ', 'soạn nhạc', 'nhiếp ảnh', 'họa sĩ', 'hoạ sĩ',
  ].map((t) => t.normalize('NFC')),
);

const CLASS_LABELS: Record<string, string> = { ddc: 'DDC', udc: 'UDC', lcc: 'LCC', bbk: 'BBK' };
/** 024 first indicator → the kind of number. */
const STANDARD_NUMBERS: Record<string, string> = { '0': 'ISRC', '1': 'UPC', '2': 'ISMN', '3': 'EAN', '4': 'SICI' };

/**
 * The Dublin Core description of a MARC 21 bibliographic record.
 *
 * @example marcToDc(record).title // ['Truyện Kiều']
 */
export function marcToDc(input: MarcLike): DublinCore {
  const record = sanitise(input);
  const d = deriveFields(record);
  const dc: Record<string, string[]> = {};
  const add = (el: string, ...values: Array<string | undefined>) => {
    for (const v of values) if (v) (dc[el] ??= []).push(v);
  };

  // Title
  add('title', d.title);
  for (const t of d.alternativeTitles) if (t.kind === 'varying') add('title', t.title);

  // Creator and contributor
  for (const a of d.authors) add(a.main || isCreatorRole(a.roles, a.roleCodes) ? 'creator' : 'contributor', nameOf(a));
  for (const f of dataFields(record, '720')) {
    const name = trim(subfieldValues(f, 'a').join(' '));
    const roles = subfieldValues(f, 'e').map(trim);
    add(isCreatorRole(roles, codesOf(f)) ? 'creator' : 'contributor', name);
  }

  // Subject
  for (const s of d.subjects) if (['personal', 'corporate', 'meeting', 'uniform-title', 'topical'].includes(s.kind)) add('subject', s.heading);
  for (const f of dataFields(record, '653')) add('subject', ...subfieldValues(f, 'a').map(trim));
  for (const c of d.classifications) add('subject', classLabel(c));

  // Description
  add('description', ...d.summaries);
  for (const n of d.notes) if (n.tag !== '506' && n.tag !== '530' && n.tag !== '540') add('description', n.text);

  // Publisher, date
  add('publisher', ...d.publishers);
  add('date', d.year !== undefined ? String(d.year).padStart(4, '0') : d.publicationDate);

  // Type
  add('type', ...dcmiType(record));
  for (const s of d.subjects) if (s.kind === 'genre') add('type', s.heading);

  // Format
  for (const f of dataFields(record, '856')) add('format', ...subfieldValues(f, 'q').map(clean));
  for (const f of dataFields(record, '340')) add('format', ...subfieldValues(f, 'a').map(trim));
  add('format', d.physicalDescription);

  // Identifier
  for (const i of d.isbns) if (i.status === 'valid') add('identifier', `ISBN ${i.isbn13}`);
  for (const i of d.issns) if (i.status === 'valid') add('identifier', `ISSN ${i.issn}`);
  for (const f of dataFields(record, '024')) {
    const kind = indicator(f, 1) === '7' ? clean(subfieldValues(f, '2')[0] ?? '').toUpperCase() : STANDARD_NUMBERS[indicator(f, 1)];
    for (const v of subfieldValues(f, 'a').map(clean)) if (v) add('identifier', kind && kind !== 'URI' ? `${kind} ${v}` : v);
  }
  for (const l of d.links) if (l.relation !== 'related') add('identifier', l.url);

  // Source
  for (const f of dataFields(record, '534')) add('source', ...subfieldValues(f, 't').map(trim));
  for (const f of dataFields(record, '786')) add('source', ...subfieldValues(f, 'ot').map(trim));

  // Language
  add('language', ...d.languages.filter((c) => c !== 'und' && c !== 'zxx'));

  // Relation
  for (const n of d.notes) if (n.tag === '530') add('relation', n.text);
  for (const f of record.fields) {
    // 760-787 linking entries; 786 (data source) is dc:source.
    if (!isDataField(f) || !/^7[6-8]\d$/.test(f.tag) || Number(f.tag) > 787 || f.tag === '786') continue;
    add('relation', ...subfieldValues(f, 't').map(trim), ...subfieldValues(f, 'o').map(clean));
  }
  for (const s of d.series) add('relation', s.volume ? `${s.title} ; ${s.volume}` : s.title);
  for (const l of d.links) if (l.relation === 'related') add('relation', l.url);

  // Coverage
  for (const s of d.subjects) if (s.kind === 'geographic') add('coverage', s.heading);
  for (const f of dataFields(record, '662', '752')) add('coverage', hierarchy(f));
  for (const f of dataFields(record, '751')) add('coverage', trim(subfieldValues(f, 'a').join(' ')));

  // Rights
  for (const n of d.notes) if (n.tag === '506' || n.tag === '540') add('rights', n.text);

  return normaliseDc(dc);
}

/**
 * A copy with only well-formed parts (as `deriveFields` makes for itself), so the direct field
 * reads here need no checks: fields without a string tag dropped, subfields without a
 * one-character code dropped, values that are not strings read as empty.
 */
function sanitise(record: MarcLike): MarcLike {
  const str = (v: unknown): string => (typeof v === 'string' ? v : '');
  const raw: unknown = (record as { fields?: unknown } | null | undefined)?.fields;
  const fields: MarcLikeField[] = [];
  for (const f of Array.isArray(raw) ? (raw as unknown[]) : []) {
    if (typeof f !== 'object' || f === null) continue;
    const { tag, subfields, value, ind1, ind2 } = f as Record<string, unknown>;
    if (typeof tag !== 'string') continue;
    if (Array.isArray(subfields)) {
      const clean = (subfields as unknown[])
        .filter((sf): sf is { code: string; value?: unknown } => typeof sf === 'object' && sf !== null && typeof (sf as { code?: unknown }).code === 'string')
        .filter((sf) => sf.code.length === 1)
        .map((sf) => ({ code: sf.code, value: str(sf.value) }));
      fields.push({ tag, ind1: str(ind1) || ' ', ind2: str(ind2) || ' ', subfields: clean });
    } else if (typeof value === 'string') fields.push({ tag, value });
  }
  const leader: unknown = (record as { leader?: unknown } | null | undefined)?.leader;
  return { leader: typeof leader === 'string' ? leader : '', fields };
}

/** `Nguyễn Du, 1765-1820`. */
function nameOf(a: Author): string {
  return a.dates ? `${a.name}, ${a.dates}` : a.name;
}

function isCreatorRole(terms: readonly string[], codes: readonly string[]): boolean {
  if (codes.some((c) => CREATOR_CODES.has(c))) return true;
  return terms.some((t) => CREATOR_TERMS.has(nfc(trimPunctuation(t)).toLowerCase()));
}

function codesOf(f: MarcDataField): string[] {
  return subfieldValues(f, '4').map((c) => clean(c).replace(/\/+$/u, '').split('/').pop()?.toLowerCase() ?? '');
}

function classLabel(c: Classification): string {
  const label = CLASS_LABELS[c.scheme] ?? (c.scheme === 'other' ? '' : c.scheme.toUpperCase());
  return label ? `${label} ${c.number}` : c.number;
}

/** 662/752 hierarchical place name: `Việt Nam -- Kiên Giang -- Rạch Giá`. */
function hierarchy(f: MarcDataField): string {
  return subfieldValues(f, 'abcdfgh')
    .map(trim)
    .filter((s) => s !== '')
    .join(' -- ');
}

/** The DCMI Type term for the record, as the table in the file header says. */
function dcmiType(record: MarcLike): string[] {
  const leader = record.leader;
  const type = leader[6] ?? '';
  const level = leader[7] ?? '';
  const f008 = controlField(record, '008') ?? '';
  const out: string[] = [];
  if ('acdt'.includes(type) && type !== '') out.push('Text');
  else if ('efk'.includes(type) && type !== '') out.push('Image');
  else if (type === 'g') out.push(f008[33] === 'm' || f008[33] === 'v' ? 'MovingImage' : 'Image');
  else if (type === 'i' || type === 'j') out.push('Sound');
  else if (type === 'm') {
    if (f008[26] === 'b') out.push('Software');
    else if (f008[26] === 'a') out.push('Dataset');
  } else if (type === 'r') out.push('PhysicalObject');
  if (level === 'c' || type === 'p') out.push('Collection');
  return out;
}

function clean(s: string): string {
  return nfc(s).replace(/\s+/g, ' ').trim();
}

function trim(s: string): string {
  return trimPunctuation(s);
}
