/**
 * Reader card numbers, valid in every library of the network. Pure.
 *
 * The layout follows the 14-digit library barcode long used on Codabar patron cards (a kind
 * digit, the issuing institution, a running number, a mod-10 check digit), with room for a
 * network of up to 99,999 units:
 *
 * ```
 *   2 00012 0000034 1
 *   │ │     │       └ check digit: Luhn (ISO/IEC 7812-1 annex B) over the 13 digits before it
 *   │ │     └ running number at the issuing library, 1 – 9,999,999
 *   │ └ the issuing library: its unit number in the network's tree, 1 – 99,999
 *   └ kind: 2 = reader card (3 is left for item barcodes, as on Codabar labels)
 * ```
 *
 * Any library can read who issued a card from the number alone, and a mistyped digit or two
 * swapped neighbouring digits are caught by the check digit before a lookup.
 */
import { AppError } from '../errors.js';

/** The kind digit of a reader card. */
export const READER_CARD_KIND = '2';
export const CARD_LENGTH = 14;
export const MAX_CARD_UNIT = 99_999;
export const MAX_CARD_SEQUENCE = 9_999_999;

/** The Luhn check digit for a string of digits (the digit to append on the right). */
export function luhnCheckDigit(digits: string): number {
  if (!/^\d+$/.test(digits)) throw new RangeError(`not a string of digits: ${JSON.stringify(digits.slice(0, 40))}`);
  let sum = 0;
  // Walking from the right, the digit next to the (future) check digit is doubled first.
  for (let i = digits.length - 1, double = true; i >= 0; i--, double = !double) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Whether a string of digits ends in its correct Luhn check digit. */
export function luhnValid(digits: string): boolean {
  if (!/^\d{2,}$/.test(digits)) return false;
  return luhnCheckDigit(digits.slice(0, -1)) === Number(digits.slice(-1));
}

/**
 * The card number for the `sequence`-th card issued by the unit numbered `unitNumber`.
 * Throws `READER_CARD_RANGE` when either does not fit its field.
 */
export function makeCardNumber(unitNumber: number, sequence: number): string {
  if (!Number.isInteger(unitNumber) || unitNumber < 1 || unitNumber > MAX_CARD_UNIT) throw new AppError('READER_CARD_RANGE', { field: 'unit', value: unitNumber });
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > MAX_CARD_SEQUENCE) throw new AppError('READER_CARD_RANGE', { field: 'sequence', value: sequence });
  const body = `${READER_CARD_KIND}${String(unitNumber).padStart(5, '0')}${String(sequence).padStart(7, '0')}`;
  return body + luhnCheckDigit(body);
}

export type CardProblem = 'empty' | 'characters' | 'length' | 'kind' | 'check' | 'range';

export type ParsedCard = { ok: true; card: string; unitNumber: number; sequence: number } | { ok: false; problem: CardProblem };

/**
 * Reads a card number as people type or scanners send it: spaces, hyphens and dots between
 * digits are ignored, as are Codabar start/stop letters (A–D) around it. Says what is wrong
 * otherwise: not digits, wrong length, not a reader card, wrong check digit, or a zero field.
 */
export function parseCardNumber(raw: string): ParsedCard {
  let s = raw.trim();
  if (s === '') return { ok: false, problem: 'empty' };
  if (/^[A-Da-d].*[A-Da-d]$/.test(s)) s = s.slice(1, -1);
  if (!/^[\d\s.-]+$/.test(s)) return { ok: false, problem: 'characters' };
  const digits = s.replace(/[\s.-]/g, '');
  if (digits.length !== CARD_LENGTH) return { ok: false, problem: 'length' };
  if (digits[0] !== READER_CARD_KIND) return { ok: false, problem: 'kind' };
  if (!luhnValid(digits)) return { ok: false, problem: 'check' };
  const unitNumber = Number(digits.slice(1, 6));
  const sequence = Number(digits.slice(6, 13));
  if (unitNumber === 0 || sequence === 0) return { ok: false, problem: 'range' };
  return { ok: true, card: digits, unitNumber, sequence };
}

/** Whether a string is a valid reader card number. */
export function isCardNumber(raw: string): boolean {
  return parseCardNumber(raw).ok;
}

/** Whether a sign-in name should be read as a card number rather than an email address. */
export function looksLikeCardNumber(raw: string): boolean {
  return /^[\d\s.-]{6,40}$/.test(raw.trim());
}

/** The card number grouped by its fields for people to read: `2 00012 0000034 1`. */
export function formatCardNumber(card: string): string {
  if (!/^\d{14}$/.test(card)) return card;
  return `${card.slice(0, 1)} ${card.slice(1, 6)} ${card.slice(6, 13)} ${card.slice(13)}`;
}
