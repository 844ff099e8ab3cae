/**
 * The A–Z lists of authors and subjects in Vietnamese order. Pure.
 *
 * A heading is filed by a browse key: the sort key of `src/text/vi.ts` (which orders like
 * `Intl.Collator('vi')`: a < ă < â, d < đ, tones after letters, case last) of the heading without
 * its leading punctuation (`“Ai” cũng…` is filed under A, `[Tên]` under T). Every letter's primary
 * weight is one ASCII character, so the headings of one letter are one range of keys, and "D" and
 * "Đ" are different ranges: `Đỗ` is never listed under D. Tone marks do not make letters (`Ấ` is
 * filed under Â). Headings that start with a digit or with a letter of another script are filed
 * after Z, in one "0–9 and other" bucket.
 */
import { nfc } from '../../text/fold.js';
import { sortKey } from '../../text/vi.js';

/** The letters of the lists, in order: Vietnamese's 29, and F J W Z of foreign names in their places. */
export const LETTERS = ['A', 'Ă', 'Â', 'B', 'C', 'D', 'Đ', 'E', 'Ê', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'Ô', 'Ơ', 'P', 'Q', 'R', 'S', 'T', 'U', 'Ư', 'V', 'W', 'X', 'Y', 'Z'] as const;
/** Letters of the Latin alphabet that Vietnamese words do not use. */
export const FOREIGN_LETTERS: ReadonlySet<string> = new Set(['F', 'J', 'W', 'Z']);
/** The bucket of headings that start with a digit or a letter of another script (as written in URLs). */
export const OTHER = '0-9';

export type Letter = (typeof LETTERS)[number];
export type BrowseLetter = Letter | typeof OTHER;

/** Every bucket, in list order. */
export const BUCKETS: readonly BrowseLetter[] = [...LETTERS, OTHER];

/** Longest browse key (the sort key's limit plus the two characters of the "other" prefix). */
export const BROWSE_KEY_MAX = 202;

/** Keys of the "other" bucket start with this: above every primary weight (the highest is the weight of other scripts). */
const OTHER_PREFIX = '~';
/** Sorts after every key of the "other" bucket. */
const OTHER_END = '\u007f';

/** The one-character primary weight of each letter. */
const WEIGHT = new Map<Letter, string>(LETTERS.map((l) => [l, sortKey(l.toLowerCase()).charAt(0)]));
const FIRST = WEIGHT.get('A')!.charCodeAt(0);
const LAST = WEIGHT.get('Z')!.charCodeAt(0);
const BY_WEIGHT = new Map<string, Letter>(LETTERS.map((l) => [WEIGHT.get(l)!, l]));
for (let i = 1; i < LETTERS.length; i++) {
  // The ranges below rely on consecutive weights: nothing may sort between two letters.
  if (WEIGHT.get(LETTERS[i]!)!.charCodeAt(0) !== WEIGHT.get(LETTERS[i - 1]!)!.charCodeAt(0) + 1) throw new Error(`alphabet.ts: letter ${LETTERS[i]} does not follow ${LETTERS[i - 1]} in the sort key`);
}
if (OTHER_PREFIX.charCodeAt(0) <= LAST + 1) throw new Error('alphabet.ts: the "other" prefix must sort after every letter and script');

const LEADING_NON_WORD = /^[^\p{L}\p{N}]+/u;

/** Where the level separator of a sort key is: its primary weights end there. */
const LEVEL_SEPARATOR = ' ';

function file(key: string): string {
  const c = key.charCodeAt(0);
  if (key === '' || key.charAt(0) === LEVEL_SEPARATOR || c < FIRST) return `${OTHER_PREFIX}!${key}`;
  if (c > LAST) return `${OTHER_PREFIX}"${key}`;
  return key;
}

/** Capital eth (U+00D0) looks exactly like Đ (U+0110), and Vietnamese records carry it where Đ was meant. */
const CAPITAL_ETH = /\u00d0/gu;

/** The text a heading is filed by: NFC, without leading punctuation, spaces and symbols, capital eth read as Đ. */
export function filingText(heading: string): string {
  return nfc(heading).replace(LEADING_NON_WORD, '').replace(CAPITAL_ETH, '\u0110');
}

/**
 * The browse key of a heading: ASCII, compared as bytes (SQLite's BINARY, PostgreSQL's "C").
 * `browseKey('Đỗ Chu') > browseKey('Dương Thu Hương')`; digits and other scripts after `Z…`.
 */
export function browseKey(heading: string): string {
  return file(sortKey(filingText(heading)));
}

/** The lower bound of "jump to" a prefix: `Ngu` lands on the first heading at or after it (`Ngũ`, `Nguyễn`), whatever its tones and case. Null when nothing is left to file by. */
export function prefixBound(text: string): string | null {
  const t = filingText(text).trim();
  if (t === '') return null;
  const key = sortKey(t);
  const at = key.indexOf(LEVEL_SEPARATOR);
  const primary = at < 0 ? key : key.slice(0, at);
  return primary === '' ? null : file(primary);
}

/** The bucket a browse key is filed in. */
export function letterOfKey(key: string): BrowseLetter {
  return BY_WEIGHT.get(key.charAt(0)) ?? OTHER;
}

/** The keys of a bucket: `from` inclusive, `to` exclusive. */
export function letterRange(letter: BrowseLetter): { from: string; to: string } {
  if (letter === OTHER) return { from: OTHER_PREFIX, to: OTHER_END };
  const w = WEIGHT.get(letter)!;
  return { from: w, to: String.fromCharCode(w.charCodeAt(0) + 1) };
}

/**
 * A letter as a reader or a link may write it: any case, NFC or not, `0-9`/`0–9`/`#` for the
 * other bucket. Null when it is none of the list's letters (a tone mark makes no letter: `Ấ` is not one).
 */
export function parseLetter(raw: string): BrowseLetter | null {
  const s = nfc(raw.trim()).toUpperCase();
  if (s === OTHER || s === '0–9' || s === '#' || s === '0') return OTHER;
  return (LETTERS as readonly string[]).includes(s) ? (s as Letter) : null;
}
