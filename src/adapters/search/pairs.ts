/**
 * Adjacent word pairs, for phrase search on SQLite.
 *
 * FTS5 answers a phrase by reading every listed word's positions in every document holding all of
 * them, and Vietnamese phrases are made of very common syllables (`van hoc viet nam`: each in
 * tens of thousands of titles). So each column of `search_fts` also carries its sequence of
 * adjacent pairs after its words (`van hoc viet nam van_hoc hoc_viet viet_nam`; `_` is a token
 * character of that table's tokenizer), and a phrase of n words is asked as the phrase of its n − 1
 * pairs: pair i is words i and i + 1, so the pairs stand in a row exactly where the words do. The
 * pairs' lists are short (few titles hold `van_hoc` and `viet_nam` side by side) and often a
 * phrase of two words becomes one token. Measured on the million-record catalogue, see
 * docs/benchmarks.md.
 *
 * Exactness: a pair is written only for two tokens FTS5 keeps whole (letters and digits, see
 * {@link isWhole}); between any other two, a gap token (`_`) holds the place, so pairs stand side by
 * side only where their words do. A phrase with a token that is not whole is asked word by word.
 * Our own tokens never contain `_` (they are letters, digits and marks; see `syllables` in
 * `src/text/vi.ts`), so no word phrase runs into the pairs after the words: a table with pairs
 * answers word phrases exactly as one without — which is what lets a catalogue indexed before
 * pairs existed keep working until `lienthong reindex` gives it them.
 */
import type { SearchColumn } from '../../domain/search/document.js';

/** Separates the two words of a pair; a token character of the pairs' tokenizer. */
const JOIN = '_';
/** Holds a place between two tokens that make no pair. */
const GAP = '_';

/** Letters and digits only: what FTS5's `unicode61` keeps as one token, whatever its options. */
const WHOLE = /^[\p{L}\p{N}]+$/u;
const ASCII_WORD = /^[a-zA-Z0-9]+$/;

export function isWhole(token: string): boolean {
  return ASCII_WORD.test(token) || WHOLE.test(token);
}

/**
 * Columns that carry pairs: every one a phrase may be asked in. Not `meta` (single codes) nor the
 * exact spellings (`title_x` and the like: asked one word at a time, by ranking's candidate tiers).
 */
export function hasPairs(column: SearchColumn): boolean {
  return column !== 'meta' && !column.endsWith('_x');
}

/** A column's text (tokens joined by single spaces) followed by its pairs. */
export function withPairs(text: string): string {
  if (text.indexOf(' ') < 0) return text;
  const tokens = text.split(' ');
  const whole = tokens.map(isWhole);
  let out = text;
  for (let i = 0; i + 1 < tokens.length; i++) {
    out += whole[i] && whole[i + 1] ? ` ${tokens[i]}${JOIN}${tokens[i + 1]}` : ` ${GAP}`;
  }
  return out;
}

/** The text FTS5 stores for one column: with pairs where the column has them. */
export function pairedColumn(column: SearchColumn, text: string): string {
  return hasPairs(column) ? withPairs(text) : text;
}

/** The pairs that stand for a phrase's tokens, or null when the phrase must be asked word by word. */
export function phrasePairs(tokens: readonly string[], cols: readonly SearchColumn[]): string[] | null {
  if (tokens.length < 2 || !cols.every(hasPairs) || !tokens.every(isWhole)) return null;
  const out: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) out.push(`${tokens[i]}${JOIN}${tokens[i + 1]}`);
  return out;
}
