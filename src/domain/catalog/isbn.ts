/**
 * ISBN and ISSN: check digits, conversion and normalisation. Pure: no I/O.
 *
 * - ISBN-10 (ISO 2108 before 2007): weights 10…2 on the first nine digits, check digit
 *   (11 − sum mod 11) mod 11, written `X` for 10.
 * - ISBN-13 (ISO 2108:2005, EAN-13): prefix 978 or 979, weights 1 and 3 alternating, check digit
 *   (10 − sum mod 10) mod 10. An ISBN-10 becomes `978` + its first nine digits + a new check
 *   digit; only 978 numbers have an ISBN-10.
 * - ISSN (ISO 3297): weights 8…2 on the first seven digits, check digit as for ISBN-10;
 *   written `NNNN-NNNC`.
 */

const DASHES_AND_SPACES = /[\s\u2010-\u2015\u2212-]/gu;

/** Digits and `X` only, upper case: `0-8044-2957-x` → `080442957X`. */
export function compactIsbn(s: string): string {
  return (s ?? '').replace(DASHES_AND_SPACES, '').toUpperCase();
}

/** The ISBN-10 check character for nine digits (`'0'`…`'9'` or `'X'`). */
export function isbn10CheckDigit(first9: string): string {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (10 - i) * Number(first9[i]);
  const c = (11 - (sum % 11)) % 11;
  return c === 10 ? 'X' : String(c);
}

/** The ISBN-13 (EAN-13) check digit for twelve digits. */
export function isbn13CheckDigit(first12: string): string {
  let sum = 0;
  for (let i = 0; i < 12; i++) sum += Number(first12[i]) * (i % 2 === 0 ? 1 : 3);
  return String((10 - (sum % 10)) % 10);
}

/** True for a well-formed ISBN-10 with a correct check digit; hyphens and spaces are allowed. */
export function isValidIsbn10(s: string): boolean {
  const c = compactIsbn(s);
  return /^\d{9}[\dX]$/.test(c) && isbn10CheckDigit(c.slice(0, 9)) === c[9];
}

/** True for a well-formed ISBN-13 (978/979) with a correct check digit. */
export function isValidIsbn13(s: string): boolean {
  const c = compactIsbn(s);
  return /^97[89]\d{10}$/.test(c) && isbn13CheckDigit(c.slice(0, 12)) === c[12];
}

/** `0-306-40615-2` → `9780306406157`; undefined when the ISBN-10 is not valid. */
export function isbn10to13(isbn10: string): string | undefined {
  if (!isValidIsbn10(isbn10)) return undefined;
  const twelve = '978' + compactIsbn(isbn10).slice(0, 9);
  return twelve + isbn13CheckDigit(twelve);
}

/** `9780306406157` → `0306406152`; undefined when not valid or not a 978 number. */
export function isbn13to10(isbn13: string): string | undefined {
  if (!isValidIsbn13(isbn13)) return undefined;
  const c = compactIsbn(isbn13);
  if (!c.startsWith('978')) return undefined;
  const nine = c.slice(3, 12);
  return nine + isbn10CheckDigit(nine);
}

export interface NormalisedIsbn {
  /** Always present: 13 digits, no hyphens. */
  isbn13: string;
  /** Present when the number has an ISBN-10 (978 prefix): 10 characters, no hyphens. */
  isbn10?: string;
}

/**
 * Finds the ISBN at the start of a free-text value as catalogued in MARC 020 $a
 * (`ISBN 978-604-…`, `0-8044-2957-X (pbk.) :`, `9786041234567 : 120000đ`) and normalises it.
 * Returns undefined when there is no number of the right length or its check digit is wrong:
 * a wrong check digit is never "corrected".
 */
export function normaliseIsbn(raw: string): NormalisedIsbn | undefined {
  const number = isbnCandidate(raw);
  if (number === undefined) return undefined;
  return checkCandidate(number);
}

function checkCandidate(c: string): NormalisedIsbn | undefined {
  if (c.length === 13 && isValidIsbn13(c)) {
    const isbn10 = isbn13to10(c);
    return isbn10 ? { isbn13: c, isbn10 } : { isbn13: c };
  }
  if (c.length === 10 && isValidIsbn10(c)) return { isbn13: isbn10to13(c)!, isbn10: c };
  return undefined;
}

/**
 * The digits of the first number in the value, compacted; when the run is longer than an ISBN
 * (a price typed after it), its first 13 or 10 characters.
 */
function isbnCandidate(raw: string): string | undefined {
  const text = (raw ?? '').normalize('NFC').replace(/\bISBN(?:[-\s]?1[03])?\s*:?/giu, ' ');
  const m = /\d[\d\s\u2010-\u2015-]*[\dXx]?/u.exec(text);
  if (!m) return undefined;
  let c = compactIsbn(m[0]);
  // An X is only a check character: anything after it belongs to something else.
  const x = c.indexOf('X');
  if (x >= 0) c = c.slice(0, x + 1);
  if (c.length === 10 || c.length === 13) return c;
  if (c.length > 13) {
    const first13 = c.slice(0, 13);
    if (isValidIsbn13(first13)) return first13;
    return c.slice(0, 10);
  }
  if (c.length > 10) return c.slice(0, 10);
  return undefined;
}

/** The text after the ISBN in an 020 $a (`(bìa mềm) :` → `bìa mềm`), if any. */
export function isbnQualifier(raw: string): string | undefined {
  const text = (raw ?? '').normalize('NFC').replace(/\bISBN(?:[-\s]?1[03])?\s*:?/giu, ' ');
  const m = /\d[\d\s\u2010-\u2015-]*[\dXx]?/u.exec(text);
  if (!m) return undefined;
  const rest = text
    .slice(m.index + m[0].length)
    .replace(/^[\s:;,.]+|[\s:;,.]+$/gu, '')
    .replace(/^\((.*)\)$/u, '$1')
    .trim();
  return rest === '' ? undefined : rest;
}

/** The ISSN check character for seven digits. */
export function issnCheckDigit(first7: string): string {
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += (8 - i) * Number(first7[i]);
  const c = (11 - (sum % 11)) % 11;
  return c === 10 ? 'X' : String(c);
}

/** True for an ISSN with a correct check digit (`0317-8471`, `0317 8471`, `03178471`). */
export function isValidIssn(s: string): boolean {
  return normaliseIssn(s) !== undefined;
}

/** `ISSN 0028-0836` → `0028-0836`; undefined when malformed or the check digit is wrong. */
export function normaliseIssn(raw: string): string | undefined {
  const m = /(\d{4})[\s\u2010-\u2015-]?(\d{3}[\dXx])(?![\dXx])/u.exec((raw ?? '').normalize('NFC'));
  if (!m) return undefined;
  const digits = (m[1]! + m[2]!).toUpperCase();
  if (issnCheckDigit(digits.slice(0, 7)) !== digits[7]) return undefined;
  return `${digits.slice(0, 4)}-${digits.slice(4)}`;
}
