/**
 * Vietnamese search helpers for the catalogue: tokens, folded and exact (Telex) index terms, sort keys
 * that order like `Intl.Collator('vi')`, canonical spelling and edit distance. Pure: no I/O, no
 * dependencies. See FINDINGS.md ("Vietnamese text") for why we fold and build sort keys ourselves.
 *
 * These functions run on millions of strings while indexing: every table is built once when the module
 * loads, plain ASCII takes a fast path, and no regular expression runs per character.
 */
import { nfc } from './fold.js';

// ---------------------------------------------------------------------------------------------------
// Shared tables
// ---------------------------------------------------------------------------------------------------

/** Code points below this use dense tables (Latin, IPA, combining marks, Latin Extended Additional, General Punctuation). */
const TABLE_SIZE = 0x2100;

const NON_ASCII = /[\u0080-\uffff]/;
const LETTER_OR_DIGIT = /^[\p{L}\p{N}]$/u;
const LETTER = /^\p{L}$/u;
const ASCII_WORD = /^[a-z0-9]+$/;
const ASCII_OR_EMPTY = /^[a-z0-9]*$/;
const COMBINING_MARKS = /[\u0300-\u036f]/g;

function isCombining(c: number): boolean {
  return c >= 0x300 && c <= 0x36f;
}

/** 1 for `a-z0-9`: the characters a folded token is made of. */
const ASCII_KEEP = new Uint8Array(128);
/** ASCII character → its folded form: lower-case letters and digits kept, `A-Z` lowered, everything else dropped. */
const ASCII_FOLD: string[] = [];
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  const lower = ch.toLowerCase();
  ASCII_FOLD.push(ASCII_WORD.test(lower) ? lower : '');
  ASCII_KEEP[c] = ASCII_WORD.test(ch) ? 1 : 0;
}

/**
 * Latin letters without a (useful) decomposition and what they fold to: the letter, then its ASCII base
 * (none for clicks, glottal stops and tone letters, which are dropped). FINDINGS.md: Unicode gives `đ` none.
 */
const FOLD_SPECIAL_PAIRS =
  'đd ðd ɖd øo łl ħh ŧt ƀb ßss æae œoe þth ıi ĸq ŋn ſs ƒf ɨi ǝe əe ɛe ɔo ʃs ƴy ƶz ȥz ŀl ŉn ƃb ƅ ƈc ƌd ƍd ' +
  'ƕhv ƙk ƚl ƛl ƞn ƣoi ƥp ƨ ƪs ƫt ƭt ƹz ƺz ƻ ƽ ƾ ƿw ǀ ǁ ǂ ǃ ǥg ȝy ȡd ȣou ȴl ȵn ȶt ȷj ȸdb ȹqp ⱥa ȼc ⱦt ȿs ' +
  'ɀz ɂ ɇe ɉj ɋq ɍr ɏy ɐa ɑa ɒa ɓb ɕc ɗd ɘe ɚe ɜe ɝe ɞe ɟj ɠg ɡg ɢg ɣg ɤo ɥh ɦh ɧh ɩi ɪi ɫl ɬl ɭl ɮlz ' +
  'ɯm ɰm ɱm ɲn ɳn ɴn ɵo ɶoe ɷo ɸf ɹr ɺr ɻr ɼr ɽr ɾr ɿr ʀr ʁr ʂs ʄj ʅs ʆs ʇt ʈt ʉu ʊu ʋv ʌv ʍw ʎy ʏy ʐz ' +
  'ʑz ʒz ʓz ʔ ʕ ʖ ʗc ʘ ʙb ʚe ʛg ʜh ʝj ʞk ʟl ʠq ʡ ʢ ʣdz ʤdz ʥdz ʦts ʧts ʨtc ʩf ʪls ʫlz ʬ ʭ ʮh ʯh ẚa ẜs ' +
  'ẝs ẟd ỻll ỽv ỿy';
const FOLD_SPECIAL: Record<string, string> = {};
for (const pair of FOLD_SPECIAL_PAIRS.split(' ')) FOLD_SPECIAL[pair.charAt(0)] = pair.slice(1);
/** Letters that count as "marked" for hasMarks although they have no decomposition. */
const STROKED = 'đðøłħŧƀɨƶ';

/** Folded ASCII for Latin letters and digits below TABLE_SIZE; null = not Latin (kept as it is). */
const FOLD: (string | null)[] = new Array<string | null>(TABLE_SIZE).fill(null);
/** The same for a few Latin blocks above TABLE_SIZE (fullwidth forms, ligatures, Latin Extended-C/D/E). */
const FOLD_HIGH = new Map<number, string>();
/** 1 when a character carries a tone or vowel mark (or is a stroked letter such as `đ`). */
const MARKED = new Uint8Array(TABLE_SIZE);

function latinFold(ch: string): string | null {
  if (!LETTER_OR_DIGIT.test(ch)) return null;
  const lower = ch.toLowerCase();
  const direct = FOLD_SPECIAL[lower];
  if (direct !== undefined) return direct;
  let out = '';
  for (const part of lower.normalize('NFKD').replace(COMBINING_MARKS, '')) out += FOLD_SPECIAL[part] ?? part;
  return ASCII_OR_EMPTY.test(out) ? out : null;
}

for (let cp = 0x80; cp < TABLE_SIZE; cp++) {
  if (isCombining(cp)) {
    FOLD[cp] = '';
    MARKED[cp] = 1;
    continue;
  }
  const ch = String.fromCharCode(cp);
  const folded = latinFold(ch);
  if (folded === null) continue;
  FOLD[cp] = folded;
  const lower = ch.toLowerCase();
  if (STROKED.includes(lower.normalize('NFD').charAt(0)) || /[\u0300-\u036f]/.test(lower.normalize('NFD'))) {
    MARKED[cp] = 1;
  }
}
for (const [from, to] of [[0x2c60, 0x2c7f], [0xa720, 0xa7ff], [0xab30, 0xab6f], [0xfb00, 0xfb06], [0xff10, 0xff5a]] as const) {
  for (let cp = from; cp <= to; cp++) {
    const folded = latinFold(String.fromCharCode(cp));
    if (folded !== null) FOLD_HIGH.set(cp, folded);
  }
}

/** The twelve Vietnamese vowel letters and `đ` (index 12), with their Telex spelling. */
const VI_LETTERS = ['a', 'ă', 'â', 'e', 'ê', 'i', 'o', 'ô', 'ơ', 'u', 'ư', 'y', 'đ'];
const VI_TELEX = ['a', 'aw', 'aa', 'e', 'ee', 'i', 'o', 'oo', 'ow', 'u', 'uw', 'y', 'dd'];
const VI_D = 12;
/** Tones by index: ngang, huyền, hỏi, ngã, sắc, nặng. */
const TONE_MARKS = ['', '\u0300', '\u0309', '\u0303', '\u0301', '\u0323'];
const TONE_TELEX = ['', 'f', 'r', 'x', 's', 'j'];

/** Precomposed Vietnamese letter → index in VI_LETTERS (-1 = not one), its tone and whether it is upper case. */
const VI_BASE = new Int8Array(TABLE_SIZE).fill(-1);
const VI_TONE = new Uint8Array(TABLE_SIZE);
const VI_UPPER = new Uint8Array(TABLE_SIZE);
/** [letter * 6 + tone] → the precomposed lower-case and upper-case letter. */
const VI_COMPOSE_LOWER: string[] = [];
const VI_COMPOSE_UPPER: string[] = [];
for (let v = 0; v < VI_LETTERS.length; v++) {
  for (let t = 0; t < TONE_MARKS.length; t++) {
    const lower = (VI_LETTERS[v]! + (v === VI_D ? '' : TONE_MARKS[t]!)).normalize('NFC');
    const upper = lower.toUpperCase();
    VI_COMPOSE_LOWER.push(lower);
    VI_COMPOSE_UPPER.push(upper);
    if (v === VI_D && t > 0) continue;
    for (const [ch, isUpper] of [[lower, 0], [upper, 1]] as const) {
      const c = ch.charCodeAt(0);
      VI_BASE[c] = v;
      VI_TONE[c] = t;
      VI_UPPER[c] = isUpper;
    }
  }
}
for (let c = 0x61; c <= 0x7a; c++) {
  const v = VI_LETTERS.indexOf(String.fromCharCode(c));
  if (v >= 0) {
    VI_BASE[c] = v;
    VI_BASE[c - 0x20] = v;
    VI_UPPER[c - 0x20] = 1;
  }
}

/**
 * Onsets after which a lone `i`/`y` is the same syllable however it is spelt (`kỹ`/`kĩ`, `quý`/`quí`):
 * the consonant clusters of Vietnamese (also as `đ` and its Telex `dd`) and no onset at all.
 */
const IY_ONSETS = new Set([
  '', 'b', 'c', 'ch', 'd', 'đ', 'dd', 'g', 'gh', 'h', 'k', 'kh', 'l', 'm', 'n', 'ng', 'ngh', 'nh', 'p', 'ph', 'qu',
  'r', 's', 't', 'th', 'tr', 'v', 'x',
]);

/** `ky` → `ki`, `quy` → `qui`, `y` → `i`; `tuy`, `tay`, `khuya` unchanged. Works on folded and Telex text. */
function canonicalIY(t: string): string {
  const n = t.length;
  if (n === 0 || n > 4 || t.charCodeAt(n - 1) !== 0x79) return t;
  const onset = t.slice(0, n - 1);
  return IY_ONSETS.has(onset) ? onset + 'i' : t;
}

/** Length of the leading run of `[a-z0-9]` characters. */
function plainPrefix(token: string): number {
  let i = 0;
  while (i < token.length && ASCII_KEEP[token.charCodeAt(i)] === 1) i++;
  return i;
}

/** The fold of one non-ASCII code unit, or null when it is not Latin. */
function foldChar(c: number): string | null {
  return c < TABLE_SIZE ? (FOLD[c] ?? null) : (FOLD_HIGH.get(c) ?? null);
}

/** Copies the run of non-Latin characters starting at i, lower-cased; returns [text, next index]. */
function nonLatinRun(token: string, i: number): [string, number] {
  let j = i + 1;
  while (j < token.length) {
    const c = token.charCodeAt(j);
    if (c < 0x80 || foldChar(c) !== null) break;
    j++;
  }
  return [token.slice(i, j).toLowerCase(), j];
}

// Kinds of UTF-16 code units, as bit flags so that a set of kinds is one mask.
const UNIT_LETTER = 1;
const UNIT_DIGIT = 2;
const UNIT_MARK = 4;
const UNIT_OTHER = 8;
const UNIT_SURROGATE = 16;
/** Letters and marks: what canonicalSpelling treats as a word (a surrogate pair is taken to be a letter). */
const UNIT_IN_WORD = UNIT_LETTER | UNIT_MARK | UNIT_SURROGATE;
const UNIT_KINDS = new Uint8Array(0x10000);
const IS_NUMBER = /^\p{N}$/u;
const IS_MARK = /^\p{M}$/u;

function classify(ch: string): number {
  return LETTER.test(ch) ? UNIT_LETTER : IS_NUMBER.test(ch) ? UNIT_DIGIT : IS_MARK.test(ch) ? UNIT_MARK : UNIT_OTHER;
}

/** Kind of one UTF-16 code unit, from a table filled on first use. */
function unitKind(c: number): number {
  let k = UNIT_KINDS[c]!;
  if (k === 0) {
    k = c >= 0xd800 && c <= 0xdfff ? UNIT_SURROGATE : classify(String.fromCharCode(c));
    UNIT_KINDS[c] = k;
  }
  return k;
}

// ---------------------------------------------------------------------------------------------------
// 1. Tokens
// ---------------------------------------------------------------------------------------------------

/** Most tokens one call returns; the rest of a longer text is ignored. */
export const MAX_SYLLABLES = 10_000;

/** NFC, lower-cased tokens of letters and digits: `"Thư viện tỉnh Kiên Giang, 2019"` → `['thư', 'viện', 'tỉnh', 'kiên', 'giang', '2019']`. */
export function syllables(text: string): string[] {
  const out: string[] = [];
  if (!NON_ASCII.test(text)) {
    const s = text.toLowerCase();
    const n = s.length;
    let i = 0;
    while (i < n && out.length < MAX_SYLLABLES) {
      while (i < n && ASCII_KEEP[s.charCodeAt(i)] !== 1) i++;
      if (i === n) break;
      const start = i;
      while (i < n && ASCII_KEEP[s.charCodeAt(i)] === 1) i++;
      out.push(s.slice(start, i));
    }
    return out;
  }
  // [\p{L}\p{N}][\p{L}\p{N}\p{M}]* by table: a token starts with a letter or digit and keeps its marks.
  const s = nfc(text.toLowerCase());
  const n = s.length;
  let start = -1;
  for (let i = 0; i < n; ) {
    const c = s.charCodeAt(i);
    let kind = c < 0x80 ? (ASCII_KEEP[c] === 1 ? UNIT_LETTER : UNIT_OTHER) : unitKind(c);
    let width = 1;
    if (kind === UNIT_SURROGATE) {
      const cp = s.codePointAt(i)!;
      if (cp > 0xffff) {
        kind = classify(String.fromCodePoint(cp));
        width = 2;
      } else kind = UNIT_OTHER;
    }
    if ((kind & (UNIT_LETTER | UNIT_DIGIT)) !== 0 || (kind === UNIT_MARK && start >= 0)) {
      if (start < 0) start = i;
    } else if (start >= 0) {
      out.push(s.slice(start, i));
      start = -1;
      if (out.length === MAX_SYLLABLES) return out;
    }
    i += width;
  }
  if (start >= 0) out.push(s.slice(start));
  return out;
}

// ---------------------------------------------------------------------------------------------------
// 2. Folded token
// ---------------------------------------------------------------------------------------------------

/** One lower-case NFC token without marks, `đ` → `d`, i/y canonical: `Đường` → `duong`, `kỹ` → `ki`, `tuy` → `tuy`. */
export function foldToken(token: string): string {
  const start = plainPrefix(token);
  if (start === token.length) return canonicalIY(token);
  let out = token.slice(0, start);
  for (let i = start; i < token.length; ) {
    const c = token.charCodeAt(i);
    if (c < 0x80) {
      out += ASCII_FOLD[c]!;
      i++;
      continue;
    }
    const f = foldChar(c);
    if (f !== null) {
      out += f;
      i++;
      continue;
    }
    const [run, next] = nonLatinRun(token, i);
    out += run;
    i = next;
  }
  return canonicalIY(out);
}

// ---------------------------------------------------------------------------------------------------
// 3. Exact (Telex) token
// ---------------------------------------------------------------------------------------------------

/** ASCII Telex spelling with the tone as the last letter, i/y canonical: `hoà`/`hòa` → `hoaf`, `Đường` → `dduwowngf`. */
export function exactToken(token: string): string {
  let start = plainPrefix(token);
  if (start === token.length) return canonicalIY(token);
  let t = token;
  for (let i = start; i < t.length; i++) {
    if (isCombining(t.charCodeAt(i))) {
      t = nfc(t);
      start = plainPrefix(t);
      break;
    }
  }
  let base = t.slice(0, start);
  let tones = '';
  for (let i = start; i < t.length; ) {
    const c = t.charCodeAt(i);
    if (c < 0x80) {
      base += ASCII_FOLD[c]!;
      i++;
      continue;
    }
    if (c < TABLE_SIZE && VI_BASE[c]! >= 0) {
      base += VI_TELEX[VI_BASE[c]!]!;
      tones += TONE_TELEX[VI_TONE[c]!]!;
      i++;
      continue;
    }
    const f = foldChar(c);
    if (f !== null) {
      base += f;
      i++;
      continue;
    }
    const [run, next] = nonLatinRun(t, i);
    base += run;
    i = next;
  }
  return canonicalIY(base) + tones;
}

/** True when the token carries a tone or vowel mark or `đ` (so the reader typed them): `thư` yes, `thu`/`Kien` no. */
export function hasMarks(token: string): boolean {
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 0x80 && c < TABLE_SIZE && MARKED[c] === 1) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------
// 4. Sort key
// ---------------------------------------------------------------------------------------------------

/** Longest key sortKey returns. */
export const SORT_KEY_MAX = 200;

/**
 * Characters the collator treats as spaces, punctuation and symbols, in its primary order (measured with
 * Node 20's `Intl.Collator('vi')`; CLDR root order). Characters in one string have the same primary
 * weight and differ only at the tertiary level (`' '` and no-break spaces). All sort before digits.
 */
const VARIABLE_CLASSES = [
  '\x09', '\x0a', '\x0b', '\x0c', '\x0d', '\u0085', '\u2028', '\u2029',
  ' \u3000\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2008\u2009\u200a\u205f\u00a0\u2007\u202f', '\u203e', '_',
  '\u2017', '-', '\u2010\u2011', '\u2012', '–', '—', '\u2015', '\u2053', '\u301c', '\u30fb', ',', '\u3001',
  ';', '\u204f', ':', '!', '¡', '?', '¿', '\u203d', '.\u2024', '\u3002', '·', '\u2055', '\u2056', '\u2058',
  '\u2059', '\u205a', '\u205b', '\u205c', '\u205d', '\u205e', '\'', '\u2039', '\u203a', '"', '«', '»', '(',
  ')', '[', ']', '{', '}', '\u2045', '\u2046', '\u3008', '\u3009', '\u300a', '\u300b', '\u300c', '\u300d',
  '\u300e', '\u300f', '\u3010', '\u3011', '\u3014', '\u3015', '\u2016', '§', '¶', '\u204b', '@', '*', '\u204e',
  '\u2051', '/', '\\', '&', '\u204a', '#', '%', '\u2030', '\u2031', '\u2020', '\u2021', '\u2022', '\u2023',
  '\u2027', '\u2043', '\u204c', '\u204d', '\u2032', '\u2035', '\u2038', '\u203b', '\u203f', '\u2054', '\u2040',
  '\u2050', '\u2041', '\u2042', '`', '´', '^', '¯', '¨', '¸', '°', '©', '®', '\u2190', '\u2192', '\u2191',
  '\u2193', '+', '±', '÷', '×', '<', '=', '>', '¬', '|', '¦', '~', '\u2052', '\u2044', '\u25a0', '\u25a1',
  '\u25aa', '\u25ba', '\u2605', '\u2606', '\u266a', '\u2713', '¤', '¢', '$', '£', '¥', '₫', '€',
];
/** Quotation marks that equal `'` or `"` at the primary level and follow it, in this order, at the secondary level. */
const QUOTE_VARIANTS: Record<string, string> = { "'": '\u2018\u2019\u201a\u201b', '"': '\u201c\u201d\u201e\u201f' };
/** Non-ASCII classes common enough in titles to get a one-character weight (ASCII classes always do). */
const COMMON_VARIABLE = '–—·«»\u2022§°©×£₫€';

/**
 * Combining marks in the collator's secondary order; marks in one group are equal. The Vietnamese tones
 * come in reading order: huyền (0300) < hỏi (0309) < ngã (0303) < sắc (0301) < nặng (0323).
 */
const MARK_ORDER =
  '4f 32 13,43 14 00,40 09 03 01,41 23 06 02 0c 0a 42 08 44 0b 07 38 27 28 04 ' +
  '0d,0e,12,15,1a,3d,3e,3f,46,4a,4b,4c,50,51,52,57,5b,5d,5e ' +
  '16,17,18,19,1c,1d,1e,1f,20,29,2a,2b,2c,2f,33,3a,3b,3c,47,48,49,4d,4e,53,54,55,56,59,5a,5c,5f,62 ' +
  '36,37 35 05 0f 10 11 1b 21 22 24 25 26 2d 2e 30 31 34 39 45 58 60 61 63 68 69 64 6a 65 6b 66 6c 6d 67 6e 6f';

/** The base alphabet in Vietnamese order (a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư). */
const ALPHABET = 'aăâbcdđeêfghijklmnoôơpqrstuưvwxyz';

/** One character's contribution to a sort key. */
interface SortEntry {
  /** Primary weights (one or more characters). */
  readonly p: string;
  /** Primary units it adds (letters, symbols); 0 for a bare mark or an ignorable character. */
  readonly u: number;
  /** Secondary weights of its marks, in order; one character each. */
  readonly s: string;
  /** 1 when its first unit has a non-default tertiary weight (upper case, no-break space, fullwidth). */
  readonly t: number;
}

function sortEntry(p: string, u: number, s: string, t: number): SortEntry {
  return { p, u, s, t };
}

const IGNORABLE = sortEntry('', 0, '', 0);

// Key layout: primary weights, ' ', secondary run/weight pairs, '!', tertiary runs. Secondary and tertiary
// levels hold, for each non-default weight, how many default weights precede it (inverted, so that more
// defaults sort first, as the collator's lower default weight does) and, for secondary, the weight.
const LEVEL_SEPARATOR = ' ';
const SECONDARY_END = '!';
const RUN_SKIP = '"';
const RUN_MAX = 0x7e - 0x23;
const RUN_CHARS: string[] = [];
for (let k = 0; k <= RUN_MAX; k++) RUN_CHARS.push(String.fromCharCode(0x7e - k));

/** One run length (k default weights before a non-default one), inverted; long runs as RUN_SKIP prefixes. */
function runChar(k: number): string {
  if (k <= RUN_MAX) return RUN_CHARS[k]!;
  let out = '';
  while (k > RUN_MAX) {
    out += RUN_SKIP;
    k -= RUN_MAX + 1;
  }
  return out + RUN_CHARS[k]!;
}

/** Secondary weight of each combining mark 0300–036F; other marks get EXTRA_SECONDARY. */
const MARK_WEIGHT: string[] = new Array<string>(0x70).fill('');
const markGroups = MARK_ORDER.split(' ');
markGroups.forEach((group, g) => {
  for (const hex of group.split(',')) MARK_WEIGHT[parseInt(hex, 16)] = String.fromCharCode(0x21 + g);
});
/** Secondary weight of letters such as `ß`, `æ`, `ð` that differ from their base at the secondary level only. */
const EXTRA_SECONDARY = String.fromCharCode(0x21 + markGroups.length);
const QUOTE_SECONDARY_BASE = 0x22 + markGroups.length;

// Primary weights: one character from 0x21 upwards for common classes; rare classes take the weight of the
// common class before them followed by '~' (above every weight) and their position in the run.
const PRIMARY_SUFFIX = '~';
let nextWeight = 0x21;
const takeWeight = (): string => String.fromCharCode(nextWeight++);

const SORT: (SortEntry | null)[] = new Array<SortEntry | null>(TABLE_SIZE).fill(null);
const SORT_HIGH = new Map<number, SortEntry>();
function setSort(cp: number, e: SortEntry): void {
  if (cp < TABLE_SIZE) SORT[cp] = e;
  else SORT_HIGH.set(cp, e);
}

{
  let current = '';
  let runIndex = 0;
  for (const cls of VARIABLE_CLASSES) {
    const first = cls.charCodeAt(0);
    let weight: string;
    if (first < 0x80 || COMMON_VARIABLE.includes(cls[0]!)) {
      current = takeWeight();
      runIndex = 0;
      weight = current;
    } else {
      weight = current + PRIMARY_SUFFIX + String.fromCharCode(0x21 + runIndex++);
    }
    for (let k = 0; k < cls.length; k++) setSort(cls.charCodeAt(k), sortEntry(weight, 1, '', k === 0 ? 0 : 1));
    const quotes = QUOTE_VARIANTS[cls] ?? '';
    for (let k = 0; k < quotes.length; k++) {
      setSort(quotes.charCodeAt(k), sortEntry(weight, 1, String.fromCharCode(QUOTE_SECONDARY_BASE + k), 0));
    }
  }
}
/** Lead weight of symbols not in VARIABLE_CLASSES (then the code point): after the known ones, before digits. */
const UNKNOWN_SYMBOL = takeWeight();
/** Lead weight of a digit run: then its length (leading zeros dropped) and its digits, so 2 < 10. */
const NUMBER = takeWeight();
const LETTER_WEIGHT = new Map<string, string>();
for (const letter of ALPHABET) LETTER_WEIGHT.set(letter, takeWeight());
/** Lead weight of letters of other scripts (then the code point): after Latin, as the collator does. */
const OTHER_LETTER = takeWeight();
if (nextWeight > 0x7e) throw new Error('vi.ts: too many primary weights for one ASCII character each');

const NUMBER_CHUNK = 0x7d - 0x21;
const NUMBER_LENGTH: string[] = [];
for (let k = 0; k <= NUMBER_CHUNK; k++) NUMBER_LENGTH.push(String.fromCharCode(0x21 + k));

/** Three order-preserving characters (0x30–0x6f) for a code point (capped at U+3FFFF). */
function codePointWeight(cp: number): string {
  const v = Math.min(cp, 0x3ffff);
  return String.fromCharCode(0x30 + (v >> 12), 0x30 + ((v >> 6) & 63), 0x30 + (v & 63));
}

/** Letters that sort as a separate letter right after another one (`ŋ` after every `n…`). */
const AFTER_LETTER: Record<string, [string, number]> = {
  ƀ: ['b', 0], ƒ: ['f', 0], ı: ['i', 0], ɨ: ['i', 1], ĸ: ['q', 0], ŋ: ['n', 0], ʃ: ['s', 0], ŧ: ['t', 0],
  ǝ: ['ê', 0], ə: ['ê', 1], ɛ: ['ê', 2], ɔ: ['ơ', 0], þ: ['z', 0],
};
/** Letters that sort as base letters plus a secondary difference (\ue000 = EXTRA_SECONDARY). */
const SORT_DECOMPOSITION: Record<string, string> = {
  ø: 'o\u0338', ł: 'l\u0335', ħ: 'h\u0335', ð: 'd\ue000', ß: 'ss\ue000', æ: 'ae\ue000', œ: 'oe\ue000', ſ: 's\ue000',
};
/** Base letter + mark pairs that are letters of their own in Vietnamese. */
const CONTRACTIONS: Record<string, string> = {
  'a\u0306': 'ă', 'a\u0302': 'â', 'e\u0302': 'ê', 'o\u0302': 'ô', 'o\u031b': 'ơ', 'u\u031b': 'ư',
};

/** Sort entry of a Latin letter from its (lower-case) decomposition, or null when it is not Latin. */
function latinSortEntry(lower: string, upper: number): SortEntry | null {
  const after = AFTER_LETTER[lower];
  if (after !== undefined) {
    return sortEntry(LETTER_WEIGHT.get(after[0])! + PRIMARY_SUFFIX + String.fromCharCode(0x21 + after[1]), 1, '', upper);
  }
  let d = lower.normalize('NFD');
  const special = SORT_DECOMPOSITION[d[0]!];
  if (special !== undefined) d = special + d.slice(1);
  let letters = '';
  let k = 0;
  while (k < d.length && LETTER_WEIGHT.has(d[k]!)) letters += d[k++];
  let marks = d.slice(k);
  if (letters.length === 0) return null;
  if (letters.length === 1) {
    for (let m = 0; m < marks.length; m++) {
      const own = CONTRACTIONS[letters + marks[m]];
      if (own !== undefined) {
        letters = own;
        marks = marks.slice(0, m) + marks.slice(m + 1);
        break;
      }
    }
  }
  let p = '';
  for (const letter of letters) p += LETTER_WEIGHT.get(letter)!;
  let s = '';
  for (const mark of marks) {
    const c = mark.charCodeAt(0);
    if (c === 0xe000) s += EXTRA_SECONDARY;
    else if (isCombining(c)) s += MARK_WEIGHT[c - 0x300]!;
    else return null;
  }
  return sortEntry(p, letters.length, s, upper);
}

for (let c = 0; c < 0x80; c++) {
  const ch = String.fromCharCode(c);
  if (c >= 0x30 && c <= 0x39) continue; // digit runs are handled in sortKey
  const lower = ch.toLowerCase();
  if (LETTER_WEIGHT.has(lower)) SORT[c] = sortEntry(LETTER_WEIGHT.get(lower)!, 1, '', lower === ch ? 0 : 1);
  else if (SORT[c] === null) SORT[c] = IGNORABLE; // C0 controls and DEL
}
for (let c = 0x80; c < TABLE_SIZE; c++) {
  if (isCombining(c)) {
    SORT[c] = sortEntry('', 0, MARK_WEIGHT[c - 0x300]!, 0);
    continue;
  }
  if (SORT[c] !== null) continue;
  const ch = String.fromCharCode(c);
  if (!LETTER.test(ch)) continue;
  const lower = ch.toLowerCase();
  const e = latinSortEntry(lower, lower === ch ? 0 : 1);
  if (e !== null) SORT[c] = e;
}
// Fullwidth ASCII (not digits): the ASCII weights with a tertiary difference.
for (let c = 0xff01; c <= 0xff5e; c++) {
  const ascii = SORT[c - 0xfee0];
  if (ascii && ascii.u > 0 && !(c >= 0xff10 && c <= 0xff19)) SORT_HIGH.set(c, sortEntry(ascii.p, ascii.u, ascii.s, 1));
}

/**
 * Characters the collator expands into several (`…` = `...`, `ﬁ` = `fi`, `ǆ` = `dž`) with a tertiary
 * difference: their entry is the sum of their compatibility decomposition's.
 */
const EXPANSIONS = '\u2025\u2026\u203c\u2047\u2048\u2049\u2033\u2034\u2036\u2037\u2057\u20a8ĲĳĿŀǄǅǆǇǈǉǊǋǌǱǲǳ\ufb00\ufb01\ufb02\ufb03\ufb04\ufb05\ufb06';
for (const ch of EXPANSIONS) {
  let p = '';
  let u = 0;
  let s = '';
  for (const part of ch.normalize('NFKD')) {
    const e = SORT[part.charCodeAt(0)];
    if (!e) throw new Error(`vi.ts: no sort entry for ${part}`);
    p += e.p;
    u += e.u;
    s += e.s;
  }
  setSort(ch.charCodeAt(0), sortEntry(p, u, s, 1));
}

const IGNORABLE_CHAR = /^[\p{Cc}\p{Cf}]$/u;
const UNKNOWN_CACHE_LIMIT = 65_536;

/** Entry for a character no table knows: a mark, an ignorable, a letter of another script or a symbol. */
function unknownSortEntry(cp: number): SortEntry {
  const ch = String.fromCodePoint(cp);
  let e: SortEntry;
  if (IS_MARK.test(ch)) e = sortEntry('', 0, EXTRA_SECONDARY, 0);
  else if (IGNORABLE_CHAR.test(ch)) e = IGNORABLE;
  else if (LETTER.test(ch)) {
    const lower = ch.toLowerCase();
    e = sortEntry(OTHER_LETTER + codePointWeight(lower.codePointAt(0)!), 1, '', lower === ch ? 0 : 1);
  } else e = sortEntry(UNKNOWN_SYMBOL + codePointWeight(cp), 1, '', 0);
  if (cp < TABLE_SIZE) SORT[cp] = e;
  else if (SORT_HIGH.size < UNKNOWN_CACHE_LIMIT) SORT_HIGH.set(cp, e);
  return e;
}

/** Primary weights of the digits s[start, end) (leading zeros already skipped). */
function numberWeight(s: string, start: number, end: number): string {
  let out = '';
  while (end - start > NUMBER_CHUNK) {
    out += NUMBER + NUMBER_LENGTH[NUMBER_CHUNK]! + s.slice(start, start + NUMBER_CHUNK);
    start += NUMBER_CHUNK;
  }
  return out + NUMBER + NUMBER_LENGTH[end - start]! + s.slice(start, end);
}

/**
 * ASCII key whose binary order is `Intl.Collator('vi', { sensitivity: 'variant', numeric: true })` order:
 * letters (a < ă < â …), then tones (ngang < huyền < hỏi < ngã < sắc < nặng), then case; numbers by value.
 */
export function sortKey(text: string): string {
  const s = NON_ASCII.test(text) ? nfc(text) : text;
  const n = s.length;
  let p = '';
  let sec = '';
  let ter = '';
  let secRun = 0;
  let terRun = 0;
  let i = 0;
  while (i < n && p.length < SORT_KEY_MAX) {
    const c = s.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      let j = i;
      while (j < n && s.charCodeAt(j) === 0x30) j++;
      const significant = j;
      while (j < n && s.charCodeAt(j) >= 0x30 && s.charCodeAt(j) <= 0x39) j++;
      p += numberWeight(s, significant, j);
      secRun++;
      terRun++;
      i = j;
      continue;
    }
    let e: SortEntry;
    if (c < TABLE_SIZE) {
      e = SORT[c] ?? unknownSortEntry(c);
      i++;
    } else {
      const cp = s.codePointAt(i)!;
      e = SORT_HIGH.get(cp) ?? unknownSortEntry(cp);
      i += cp > 0xffff ? 2 : 1;
    }
    if (e.u !== 0) {
      p += e.p;
      if (e.t !== 0) {
        ter += runChar(terRun);
        terRun = e.u - 1;
      } else terRun += e.u;
      secRun += e.u;
    }
    for (let k = 0; k < e.s.length; k++) {
      sec += runChar(secRun) + e.s[k];
      secRun = 0;
    }
  }
  if (p.length >= SORT_KEY_MAX) return p.slice(0, SORT_KEY_MAX);
  const key = p + LEVEL_SEPARATOR + sec + SECONDARY_END + ter;
  return key.length > SORT_KEY_MAX ? key.slice(0, SORT_KEY_MAX) : key;
}

// ---------------------------------------------------------------------------------------------------
// 5. Canonical spelling
// ---------------------------------------------------------------------------------------------------

const I_INDEX = VI_LETTERS.indexOf('i');
const VI_LETTER_CODES = VI_LETTERS.map((letter) => letter.charCodeAt(0));
const code = (ch: string): number => ch.charCodeAt(0);
const A = code('a');
const C = code('c');
const E = code('e');
const G = code('g');
const H = code('h');
const I = code('i');
const K = code('k');
const M = code('m');
const N = code('n');
const O = code('o');
const P = code('p');
const Q = code('q');
const R = code('r');
const T = code('t');
const U = code('u');
const Y = code('y');
/** Letter code (lower case, toneless) → 1 for a vowel, 2 for a vowel with a vowel mark (ă â ê ô ơ ư). */
const VOWEL_KIND = new Uint8Array(0x200);
for (const v of 'aeiouy') VOWEL_KIND[code(v)] = 1;
for (const v of 'ăâêôơư') VOWEL_KIND[code(v)] = 2;
/** 1 for the consonants that may open a syllable on their own. */
const ONSET_CONSONANT = new Uint8Array(0x200);
for (const c of 'bcdđghklmnprstvx') ONSET_CONSONANT[code(c)] = 1;
/** The syllable being looked at: lower-case, toneless letter codes. */
const SKELETON = new Uint16Array(8);

/** Length of the syllable's onset (ngh, ng, nh, gh, gi, qu, ch, kh, ph, th, tr, one consonant or none); -1 = not Vietnamese. */
function onsetLength(n: number): number {
  const c0 = SKELETON[0]!;
  const c1 = n > 1 ? SKELETON[1]! : 0;
  const c2 = n > 2 ? SKELETON[2]! : 0;
  if (c0 === N) return c1 === G ? (c2 === H ? 3 : 2) : c1 === H ? 2 : 1;
  // gi is an onset only before another vowel: già, giữa, but gì, gìn
  if (c0 === G) return c1 === H || (c1 === I && VOWEL_KIND[c2] !== 0) ? 2 : 1;
  if (c0 === Q) return c1 === U && VOWEL_KIND[c2] !== 0 ? 2 : -1;
  if ((c0 === C || c0 === K || c0 === P || c0 === T) && c1 === H) return 2;
  if (c0 === T && c1 === R) return 2;
  return ONSET_CONSONANT[c0] === 1 ? 1 : 0;
}

/** Whether SKELETON[from, n) is a possible final consonant: none, c ch m n ng nh p t. */
function validCoda(from: number, n: number): boolean {
  const length = n - from;
  if (length === 0) return true;
  const c0 = SKELETON[from]!;
  if (length === 1) return c0 === C || c0 === M || c0 === N || c0 === P || c0 === T;
  const c1 = SKELETON[from + 1]!;
  return length === 2 && ((c0 === C && c1 === H) || (c0 === N && (c1 === G || c1 === H)));
}

/** Index of the vowel that carries the tone in the new placement (`hoà`, `thuỷ`, `hoàng`, `mùa`, `người`). */
function toneIndex(start: number, end: number, n: number): number {
  for (let k = end - 1; k >= start; k--) if (VOWEL_KIND[SKELETON[k]!] === 2) return k;
  const length = end - start;
  if (end < n || length === 1) return end - 1;
  if (length === 3) return start + 1;
  const a = SKELETON[start]!;
  const b = SKELETON[start + 1]!;
  return (a === O && (b === A || b === E)) || (a === U && b === Y) ? start + 1 : start;
}

/**
 * The word s[from, to) with its tone on the canonical vowel and i/y canonical, or null when that changes
 * nothing or the word is not a Vietnamese syllable.
 */
function canonicalSyllable(s: string, from: number, to: number): string | null {
  const n = to - from;
  if (n > 7) return null;
  let tone = 0;
  let tonedAt = -1;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(from + i);
    if (c >= TABLE_SIZE) return null;
    const v = VI_BASE[c]!;
    if (v >= 0) {
      const t = VI_TONE[c]!;
      if (t !== 0) {
        if (tone !== 0) return null;
        tone = t;
        tonedAt = i;
      }
      SKELETON[i] = VI_LETTER_CODES[v]!;
    } else if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a)) SKELETON[i] = c | 0x20;
    else return null;
  }
  // Without a tone only a final y can change.
  if (tone === 0 && SKELETON[n - 1] !== Y) return null;
  const onset = onsetLength(n);
  if (onset < 0) return null;
  let end = onset;
  while (end < n && VOWEL_KIND[SKELETON[end]!] !== 0) end++;
  if (end === onset || end - onset > 3 || !validCoda(end, n)) return null;
  const afterGi = onset === 2 && SKELETON[0] === G;
  const iyAt = end === n && end - onset === 1 && SKELETON[onset] === Y && !afterGi ? onset : -1;
  const target = tone === 0 ? -1 : toneIndex(onset, end, n);
  if (iyAt < 0 && target === tonedAt) return null;
  let out = '';
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(from + i);
    if (i !== target && i !== tonedAt && i !== iyAt) {
      out += s[from + i];
      continue;
    }
    const k = (i === iyAt ? I_INDEX : VI_BASE[c]!) * TONE_MARKS.length + (i === target ? tone : 0);
    out += VI_UPPER[c] === 1 ? VI_COMPOSE_UPPER[k] : VI_COMPOSE_LOWER[k];
  }
  return out;
}

const MAY_CHANGE_ASCII = /[yY]/;
/** NFC text with each syllable's tone in one placement and i/y canonical: `canonicalSpelling('hòa') === canonicalSpelling('hoà')`. */
export function canonicalSpelling(word: string): string {
  let s = word;
  if (NON_ASCII.test(s)) s = nfc(s);
  else if (!MAY_CHANGE_ASCII.test(s)) return s;
  const n = s.length;
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < n) {
    while (i < n && (UNIT_IN_WORD & unitKind(s.charCodeAt(i))) === 0) i++;
    const start = i;
    while (i < n && (UNIT_IN_WORD & unitKind(s.charCodeAt(i))) !== 0) i++;
    if (i === start) break;
    const canonical = canonicalSyllable(s, start, i);
    if (canonical !== null) {
      out += s.slice(copied, start) + canonical;
      copied = i;
    }
  }
  return copied === 0 ? s : out + s.slice(copied);
}

// ---------------------------------------------------------------------------------------------------
// 6. Edit distance
// ---------------------------------------------------------------------------------------------------

let rowA = new Int32Array(64);
let rowB = new Int32Array(64);
let rowC = new Int32Array(64);

/** Damerau-Levenshtein distance (optimal string alignment) of two ASCII strings, or max + 1 once it exceeds max. */
export function editDistance(a: string, b: string, max: number): number {
  const limit = Math.max(0, Math.floor(max));
  const over = limit + 1;
  if (a === b) return 0;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > limit) return over;
  if (la === 0) return lb;
  if (lb === 0) return la;
  if (rowA.length <= lb) {
    rowA = new Int32Array(lb + 1);
    rowB = new Int32Array(lb + 1);
    rowC = new Int32Array(lb + 1);
  }
  let twoBack = rowA;
  let prev = rowB;
  let cur = rowC;
  for (let j = 0; j <= lb; j++) prev[j] = j <= limit ? j : over;
  for (let i = 1; i <= la; i++) {
    const ca = a.charCodeAt(i - 1);
    const lo = Math.max(1, i - limit);
    const hi = Math.min(lb, i + limit);
    cur[0] = i <= limit ? i : over;
    if (lo > 1) cur[lo - 1] = over;
    let rowMin = lo === 1 ? cur[0]! : over;
    for (let j = lo; j <= hi; j++) {
      const cb = b.charCodeAt(j - 1);
      let d = prev[j - 1]! + (ca === cb ? 0 : 1);
      const del = prev[j]! + 1;
      if (del < d) d = del;
      const ins = cur[j - 1]! + 1;
      if (ins < d) d = ins;
      if (i > 1 && j > 1 && ca === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === cb) {
        const tr = twoBack[j - 2]! + 1;
        if (tr < d) d = tr;
      }
      if (d > over) d = over;
      cur[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (hi < lb) cur[hi + 1] = over;
    if (rowMin > limit) return over;
    const t = twoBack;
    twoBack = prev;
    prev = cur;
    cur = t;
  }
  const result = prev[lb]!;
  return result > limit ? over : result;
}
