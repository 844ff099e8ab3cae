/**
 * Shelf-order keys for call numbers. A key is plain printable ASCII (0x20–0x7E), so comparing
 * two keys byte by byte — JavaScript `<`, SQLite's default BINARY collation, PostgreSQL
 * `COLLATE "C"` — gives shelf order. Keys are for sorting only, never for display. Pure.
 *
 * A call number is read as: [location prefix] class number [tail…].
 *
 * **Prefix** (`R`, `VN`, `TK`: letters-only words before the class number, or letters glued to a
 * DDC number as in `R004.6`). By default (`prefix: 'group'`) each prefix forms its own sequence:
 * all unprefixed call numbers first, then each prefix in alphabetical order, each in class order
 * — a reference collection stands on its own shelves. With `prefix: 'interleave'` the prefix is
 * compared last, so `R 004.6 N573` files right after `004.6 N573`.
 *
 * **DDC**: three-digit integer part, then the decimal part compared as a decimal fraction
 * (`004.6` < `004.67` < `004.7`); segmentation marks `/` and `'` are ignored.
 *
 * **UDC**: digits form one decimal fraction (the readability points are ignored); signs file in
 * the UDC filing order (UDC Consortium, "general before special"): `+` coordination, `/`
 * extension, the simple number, `:` relation, `::` order-fixing, `[]` subgrouping, `=…` language,
 * `(0…)` form, `(1/9)` place, `(=…)` ethnic grouping, `"…"` time, `*` non-UDC notation, A/Z
 * alphabetic extension, `-` special auxiliaries (`-0…` before `-1/-9`), `.0` point-nought
 * auxiliaries, `'` apostrophe auxiliaries, then `.1/.9` subdivisions: `94+95` < `94` < `94=111`
 * < `94(075)` < `94(597)` < `94(597)"19"` < `94"19"` < `94-1` < `940` < `941`. Closing `)`, `"`
 * and `]` end their auxiliary like the end of the number, so `(4)` < `(410)`. Not supported:
 * the 1h non-UDC notation tables beyond `*` and letters, and brackets nested in brackets.
 *
 * **BBK** (ББК, used in Vietnam alongside DDC): a numeric index (`63.3(2)`, `84(2Рос=Рус)6-44`) or a
 * letter-index class of the tables for scientific libraries (`Ф0`, `Ч2`, `Ш5`; Cyrillic capitals
 * in alphabetical order, which is BBK order А…Я) or a Latin-letter class of Vietnamese adaptations
 * (`V23(1)`). Numeric classes file first, then Latin-letter classes, then Cyrillic-letter classes.
 * Digits form one hierarchical decimal fraction (`22` < `22.3` < `22.31` < `23`). After a number:
 * `+`, `/` (range, `Ч30/49`), the simple number, `:`, general typical subdivisions (lower-case
 * Cyrillic, `я7`), territorial `(…)` (inside: letters before digits, so `(2Рос)` < `(23)`), `=`,
 * special typical subdivisions `-…`, `,`, then deeper digits.
 *
 * **Other** (local schemes, LC, accession numbers): the first word is compared naturally
 * (letters alphabetically, digit runs as whole numbers, digits after `digit.` as a decimal
 * fraction: `QA76.8` > `QA76.73`), the rest as a tail.
 *
 * **Tail** (all schemes), word by word, in the order written:
 * - cutter / author mark: letters, then digits compared as a decimal fraction, then a work
 *   mark (`N573` < `N58` < `NG527` < `NG527T`; `.N573` is the same as `N573`; a short letter
 *   word followed by a short number, the Russian `Т 48`, is one author mark);
 * - year (`2003`, `c2003`, `[2003]`), then volume (`t.2`, `T.2`, `tập 2`, `v.10`, `vol. 3`,
 *   `q.1`, `т.2`), part (`ph.1`, `pt.2`, `ч.1`), number (`no.4`, `số 4`, `№4`), copy
 *   (`c.1`, `bản 2`), each with its number compared as a whole number (`v.2` < `v.10`);
 * - anything else, compared naturally.
 * At the same position the kinds order as listed; a shorter call number files before a longer
 * one it begins ("nothing before something"): `004.6` < `004.6 N573` < `004.6 N573 2003`.
 *
 * Letters are compared case-insensitively in Vietnamese alphabetical order with tone marks
 * ignored: a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư (`D100` < `Đ455`, `DZ` < `ĐA`); other Latin
 * letters by their base letter; Cyrillic after Latin. Characters that are neither letters,
 * digits nor signs of the scheme are ignored.
 */
import { cleanLine, fold } from '../../text/fold.js';

export type ShelfScheme = 'ddc' | 'udc' | 'bbk' | 'other';

export interface ShelfKeyOptions {
  /** How a location prefix files: its own sequence (default) or compared after everything else. */
  prefix?: 'group' | 'interleave';
}

/**
 * The byte-sortable shelf-order key of a call number.
 *
 * @example shelfKey('004.6 N573', 'ddc') < shelfKey('004.67 A1', 'ddc') // true
 * @example shelfKey('', 'ddc') === ''
 */
export function shelfKey(callNumber: string, scheme: ShelfScheme, options: ShelfKeyOptions = {}): string {
  const text = cleanLine(typeof callNumber === 'string' ? callNumber : '');
  if (text === '') return '';
  const words = text.split(' ');
  const parsed = scheme === 'other' ? parseOther(words) : parseClassed(words, scheme);
  const interleave = options.prefix === 'interleave';
  const prefix = parsed.prefix.length > 0 ? parsed.prefix.map((w) => letters(w) + ' ').join('') : '';
  const head = prefix === '' || interleave ? SECTION_PLAIN : SECTION_PREFIXED + prefix;
  const tail = tailKey(parsed.tail);
  const trailer = prefix !== '' && interleave ? TAG.prefix + prefix : '';
  return head + parsed.classKey + tail + trailer;
}

// ---------------------------------------------------------------------------------------------
// Structure: section, class, tail. Every part is self-delimiting, so concatenations compare
// part by part.

const SECTION_PLAIN = 'A';
const SECTION_PREFIXED = 'B';
/** Starts a class part; lower than every tail tag, so a classed call number files first. */
const CLASS = '0';
const TAG = { cutter: '1', year: '2', volume: '3', part: '4', number: '5', copy: '6', other: '7', prefix: '8' };
/** Ends a tail word; lower than every character inside one. */
const END_WORD = ' ';

interface Parsed {
  prefix: string[];
  classKey: string;
  tail: string[];
}

const LETTERS_ONLY = /^[\p{L}\p{M}]+\.?$/u;

function parseClassed(words: string[], scheme: 'ddc' | 'udc' | 'bbk'): Parsed {
  const prefix: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const found = findClass(w, scheme);
    if (found) {
      if (found.prefix) prefix.push(found.prefix);
      let rest = words.slice(i + 1);
      let notation = found.notation;
      if (scheme !== 'ddc') {
        // UDC and BBK notations are sometimes written with spaces before their auxiliaries.
        while (rest.length > 0 && continuesNotation(rest[0]!, scheme)) {
          notation += rest[0];
          rest = rest.slice(1);
        }
      }
      const tail = found.after ? [found.after, ...rest] : rest;
      const classKey = CLASS + (scheme === 'ddc' ? ddcKey(notation) : scheme === 'udc' ? udcKey(notation) : bbkKey(notation));
      return { prefix, classKey, tail };
    }
    if (!LETTERS_ONLY.test(w)) break;
    prefix.push(w);
  }
  // No class number: everything is tail, nothing is a prefix.
  return { prefix: [], classKey: '', tail: words };
}

function parseOther(words: string[]): Parsed {
  const [first, ...rest] = words;
  return { prefix: [], classKey: CLASS + natural(first ?? '') + END_WORD, tail: rest };
}

interface FoundClass {
  prefix?: string;
  notation: string;
  /** Text glued after a DDC number (`004.6N573` → `N573`). */
  after?: string;
}

function findClass(word: string, scheme: 'ddc' | 'udc' | 'bbk'): FoundClass | undefined {
  if (scheme === 'ddc') {
    const m = /^(\p{L}*)(\d{1,3}(?:\.[\d/'’]*)?)(.*)$/u.exec(word);
    if (!m) return undefined;
    const [, letters = '', notation = '', after = ''] = m;
    // Letters glued to a number are a prefix only in `R004.6`; `Tr121` is an author mark.
    if (letters !== '' && !/^\d{3}\./u.test(notation)) return undefined;
    if (/^\d{4}/u.test(word.slice(letters.length))) return undefined;
    return { ...(letters ? { prefix: letters } : {}), notation, ...(after ? { after } : {}) };
  }
  if (scheme === 'udc') {
    return /^[\d("“=[]/u.test(word) ? { notation: word } : undefined;
  }
  // BBK: digits, or a capital class letter followed by a digit or a parenthesis.
  if (/^\d/u.test(word) || /^\p{Lu}[\d(]/u.test(word)) return { notation: word };
  return undefined;
}

function continuesNotation(word: string, scheme: 'udc' | 'bbk'): boolean {
  return scheme === 'udc' ? /^[(=:+/"“”*'-]/u.test(word) : /^[(=:+/-]|^[а-яё]/u.test(word);
}

// ---------------------------------------------------------------------------------------------
// Letters

const CYRILLIC = 'АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯ';

/**
 * Two ASCII characters per letter: Latin base letter + Vietnamese variant (`A0` a, `A1` ă,
 * `A2` â, `D1` đ, `E1` ê, `O1` ô, `O2` ơ, `U1` ư), or `_` + position for Cyrillic.
 * Tone marks and other diacritics are ignored. Not a letter we know: empty.
 */
function letterCode(ch: string): string {
  if (ch === 'đ' || ch === 'Đ' || ch === 'ð' || ch === 'Ð') return 'D1';
  const upper = ch.toUpperCase();
  const ci = CYRILLIC.indexOf(upper);
  if (ci >= 0) return '_' + String.fromCharCode(0x40 + ci);
  const d = ch.normalize('NFD');
  const base = d[0]!.toUpperCase();
  if (base.length !== 1 || base < 'A' || base > 'Z') return '';
  const marks = d.slice(1);
  let variant = 0;
  if (marks.includes('\u031B')) variant = base === 'O' ? 2 : base === 'U' ? 1 : 0;
  else if (marks.includes('\u0306')) variant = base === 'A' ? 1 : 0;
  else if (marks.includes('\u0302')) variant = base === 'A' ? 2 : base === 'E' || base === 'O' ? 1 : 0;
  return base + String(variant);
}

function letters(s: string): string {
  let out = '';
  for (const ch of s.normalize('NFC')) out += letterCode(ch);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Numbers

/** A whole number that sorts by value: its digit count, then its digits (`2` < `10`). */
function wholeNumber(digits: string): string {
  const d = digits.replace(/^0+(?=\d)/u, '');
  return String.fromCharCode(0x30 + Math.min(d.length, 0x7e - 0x30)) + d;
}

const NATURAL_INT = '#';
const NATURAL_DEC = '$';
const NATURAL_DEC_END = '!';

/**
 * Natural order inside one word: letters as {@link letterCode}, digit runs as whole numbers, a
 * digit run after `digit.` as a decimal fraction; other characters ignored.
 */
function natural(s: string): string {
  let out = '';
  const chars = [...s.normalize('NFC')];
  for (let i = 0; i < chars.length; ) {
    const ch = chars[i]!;
    if (/\d/u.test(ch)) {
      let j = i;
      while (j < chars.length && /\d/u.test(chars[j]!)) j++;
      const digits = chars.slice(i, j).join('');
      const decimal = i >= 2 && chars[i - 1] === '.' && /\d/u.test(chars[i - 2]!);
      out += decimal ? NATURAL_DEC + digits.replace(/0+$/u, '') + NATURAL_DEC_END : NATURAL_INT + wholeNumber(digits);
      i = j;
    } else {
      out += letterCode(ch);
      i++;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// DDC

function ddcKey(notation: string): string {
  const [intPart = '', decPart = ''] = notation.split('.');
  const integer = intPart.padStart(3, '0');
  const decimals = decPart.replace(/\D/gu, '').replace(/0+$/u, '');
  return integer + (decimals ? '.' + decimals : '') + END_WORD;
}

// ---------------------------------------------------------------------------------------------
// UDC

const UDC = {
  plus: '!',
  slash: '"',
  end: '#',
  colon: '$',
  doubleColon: '%',
  subgroup: '&',
  equals: "'",
  open: '(',
  openEquals: ')',
  time: '*',
  star: '+',
  // letters: 0x41–0x60 (see letterCode)
  hyphen: 'a',
  digit0: 'b',
  apostrophe: 'c',
  // digits 1–9: 'd'…'l'
} as const;

function udcDigit(d: string): string {
  return d === '0' ? UDC.digit0 : String.fromCharCode('d'.charCodeAt(0) + Number(d) - 1);
}

function udcKey(notation: string): string {
  let out = '';
  let inTime = false;
  const chars = [...notation.normalize('NFC')];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    const next = chars[i + 1];
    if (/\d/u.test(ch)) out += udcDigit(ch);
    else if (ch === '+') out += UDC.plus;
    else if (ch === '/') out += UDC.slash;
    else if (ch === ':') {
      if (next === ':') {
        out += UDC.doubleColon;
        i++;
      } else out += UDC.colon;
    } else if (ch === '[') out += UDC.subgroup;
    else if (ch === ']' || ch === ')') out += UDC.end;
    else if (ch === '=') out += UDC.equals;
    else if (ch === '(') {
      if (next === '=') {
        out += UDC.openEquals;
        i++;
      } else out += UDC.open;
    } else if (ch === '"' || ch === '“' || ch === '”') {
      out += inTime ? UDC.end : UDC.time;
      inTime = !inTime;
    } else if (ch === '*') out += UDC.star;
    else if (ch === '-' || ch === '‐' || ch === '‑' || ch === '–') out += UDC.hyphen;
    else if (ch === "'" || ch === '’') out += UDC.apostrophe;
    else out += letterCode(ch); // A/Z; '.' and anything unknown add nothing
  }
  return out + UDC.end;
}

// ---------------------------------------------------------------------------------------------
// BBK

const BBK = {
  plus: '!',
  slash: '"',
  end: '#',
  colon: '$',
  typical: '%', // followed by the letter's code: я, and the other lower-case typical subdivisions
  open: '&',
  equals: "'",
  hyphen: '(',
  comma: ')',
  // capital letters: 0x41–0x60
  // digits: 'a'…'j'
} as const;

const BBK_GROUP = { digit: '1', latin: '2', cyrillic: '3', other: '4' };

function bbkKey(notation: string): string {
  const chars = [...notation.normalize('NFC')];
  const first = chars[0] ?? '';
  const group = /\d/u.test(first)
    ? BBK_GROUP.digit
    : CYRILLIC.includes(first.toUpperCase())
      ? BBK_GROUP.cyrillic
      : /\p{L}/u.test(first)
        ? BBK_GROUP.latin
        : BBK_GROUP.other;
  let out = group;
  let previous = '';
  for (const ch of chars) {
    const afterLetter = /\p{L}/u.test(previous);
    previous = ch;
    if (/\d/u.test(ch)) out += String.fromCharCode('a'.charCodeAt(0) + Number(ch));
    else if (ch === '+') out += BBK.plus;
    else if (ch === '/') out += BBK.slash;
    else if (ch === ')' || ch === ']') out += BBK.end;
    else if (ch === ':') out += BBK.colon;
    else if (ch === '(' || ch === '[') out += BBK.open;
    else if (ch === '=') out += BBK.equals;
    else if (ch === '-' || ch === '‐' || ch === '‑' || ch === '–') out += BBK.hyphen;
    else if (ch === ',') out += BBK.comma;
    // `я7` after a number is a typical subdivision; `ос` in `(2Рос)` belongs to its word.
    else if (/[а-яё]/u.test(ch) && !afterLetter) out += BBK.typical + letterCode(ch);
    else out += letterCode(ch); // capitals; '.' and anything unknown add nothing
  }
  return out + BBK.end;
}

// ---------------------------------------------------------------------------------------------
// Tail

type Designation = 'volume' | 'part' | 'number' | 'copy';

/** Whole words: may stand before their number with or without a period or a space. */
const DESIGNATOR_WORDS: Record<string, Designation> = {
  tap: 'volume', quyen: 'volume', volume: 'volume', vol: 'volume', tome: 'volume', band: 'volume', том: 'volume',
  phan: 'part', part: 'part', часть: 'part',
  so: 'number', number: 'number', выпуск: 'number',
  copy: 'copy', ban: 'copy',
};
/** Abbreviations: need a period (`t.2`), so that `T2` stays an author mark. */
const DESIGNATOR_ABBREVIATIONS: Record<string, Designation> = {
  t: 'volume', v: 'volume', q: 'volume', bd: 'volume', т: 'volume', кн: 'volume',
  pt: 'part', ph: 'part', ч: 'part',
  no: 'number', n: 'number', вып: 'number',
  c: 'copy', cop: 'copy', экз: 'copy',
};

function designatorOf(word: string): { kind: Designation; number: string; rest: string } | undefined {
  const w = fold(word).toLowerCase();
  const no = /^№\s*(\d+)(.*)$/u.exec(w);
  if (no) return { kind: 'number', number: no[1]!, rest: no[2]! };
  const m = /^([\p{L}]+)(\.?)(\d+)(.*)$/u.exec(w);
  if (!m) return undefined;
  const [, name = '', dot, number = '', rest = ''] = m;
  const kind = DESIGNATOR_WORDS[name] ?? (dot ? DESIGNATOR_ABBREVIATIONS[name] : undefined);
  return kind ? { kind, number, rest } : undefined;
}

function isDesignatorWord(word: string): boolean {
  const w = fold(word).toLowerCase().replace(/\.$/u, '');
  return w === '№' || w in DESIGNATOR_WORDS || (word.endsWith('.') && w in DESIGNATOR_ABBREVIATIONS);
}

/** Joins `t. 2`, `tập 2`, `№ 4` and the Russian author mark `Т 48` into single words. */
function joinWords(words: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    if (next !== undefined && /^\d/u.test(next) && isDesignatorWord(w)) {
      out.push(w + next);
      i++;
    } else if (next !== undefined && /^\p{L}{1,3}$/u.test(w) && /^\d{1,3}$/u.test(next)) {
      out.push(w + next);
      i++;
    } else out.push(w);
  }
  return out;
}

const CUTTER = /^\.?([\p{L}\p{M}]+)(\d*)([\p{L}\p{M}]*)$/u;
const YEAR = /^[cp©℗]?\[?((?:1[5-9]|20)\d\d)(?!\d)(.*)$/iu;

function tailWord(word: string): string {
  const w = word.replace(/[.,;:]+$/u, '');
  if (w === '') return '';
  const designation = designatorOf(w);
  if (designation) return TAG[designation.kind] + wholeNumber(designation.number) + natural(designation.rest) + END_WORD;
  const year = YEAR.exec(w);
  if (year) return TAG.year + year[1] + natural(year[2]!) + END_WORD;
  const cutter = CUTTER.exec(w);
  if (cutter) {
    const [, name = '', digits = '', mark = ''] = cutter;
    return TAG.cutter + letters(name) + END_WORD + digits + END_WORD + letters(mark) + END_WORD;
  }
  return TAG.other + natural(w) + END_WORD;
}

function tailKey(words: string[]): string {
  return joinWords(words.flatMap((w) => w.split('/')).filter((w) => w !== ''))
    .map(tailWord)
    .join('');
}
