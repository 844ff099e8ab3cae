/**
 * Folding for duplicate detection: stricter than search folding, because two libraries that
 * catalogue the same book should produce the same text even when their spelling habits differ.
 * Pure: no I/O.
 */
import { fold } from './fold.js';

/**
 * A syllable made only of initial consonants and a final `y` is spelt with `i` as often as with
 * `y` (`kỹ`/`kĩ`, `lý`/`lí`, `Mỹ`/`Mĩ`, `quý`/`quí`; FINDINGS.md): map it to `i`. A `y` after a
 * vowel is never interchangeable (`tay` ≠ `tai`), so it is left alone.
 */
const I_Y_SYLLABLE = /(^| )([bcdghklmnpqrstvx]+|qu)y(?= |$)/g;

/**
 * Folds text for comparing records, never for display: NFC, tone and vowel marks removed,
 * `đ` → `d`, lower case, apostrophes dropped (`sorcerer's` → `sorcerers`), every other run of
 * characters that is not a letter or digit → one space, `i`/`y` spelling variants made equal. Old and new tone placement (`hoà`/`hòa`) already agree
 * after folding.
 *
 * @example foldForMatch('Kỹ thuật: Hoà bình!') === 'ki thuat hoa binh'
 */
export function foldForMatch(s: string): string {
  return fold(s)
    .toLowerCase()
    .replace(/['’ʼ]/gu, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(I_Y_SYLLABLE, '$1$2i');
}
