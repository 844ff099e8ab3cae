import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { CARD_LENGTH, formatCardNumber, isCardNumber, looksLikeCardNumber, luhnCheckDigit, luhnValid, makeCardNumber, parseCardNumber } from './card.js';

describe('luhnCheckDigit', () => {
  // The worked example of ISO/IEC 7812-1 annex B (and of every Luhn description): 7992739871 → 3.
  it.each([
    ['7992739871', 3],
    ['0', 0],
    ['1', 8],
    ['4', 2],
    ['200012000003', 7],
    ['2000120000034', 1],
    ['4539578763621486'.slice(0, -1), 6],
  ])('%s → %i', (digits, check) => {
    expect(luhnCheckDigit(digits)).toBe(check);
  });

  it('refuses anything but digits', () => {
    expect(() => luhnCheckDigit('12a')).toThrow(RangeError);
    expect(() => luhnCheckDigit('')).toThrow(RangeError);
  });
});

describe('luhnValid', () => {
  it.each([
    ['79927398713', true],
    ['79927398710', false],
    ['79927398731', false],
    ['20001200000341', true],
    ['1', false],
    ['', false],
    ['12 3', false],
  ])('%s → %s', (s, ok) => {
    expect(luhnValid(s)).toBe(ok);
  });
});

describe('makeCardNumber', () => {
  it.each<[number, number, string]>([
    [12, 34, '20001200000341'],
    [1, 1, '20000100000013'],
    [99_999, 9_999_999, '29999999999998'],
    [4, 1_234_567, '20000412345676'],
  ])('unit %i, number %i → %s', (unit, seq, card) => {
    const made = makeCardNumber(unit, seq);
    expect(made).toBe(card);
    expect(made).toHaveLength(CARD_LENGTH);
    expect(parseCardNumber(made)).toEqual({ ok: true, card, unitNumber: unit, sequence: seq });
  });

  it.each<[number, number, string]>([
    [0, 1, 'unit'],
    [100_000, 1, 'unit'],
    [1.5, 1, 'unit'],
    [1, 0, 'sequence'],
    [1, 10_000_000, 'sequence'],
    [1, -3, 'sequence'],
  ])('refuses unit %s, number %s (%s out of range)', (unit, seq, field) => {
    try {
      makeCardNumber(unit, seq);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('READER_CARD_RANGE');
      expect((e as AppError).params.field).toBe(field);
    }
  });

  it('numbers from one library differ in their last digits only', () => {
    const cards = Array.from({ length: 50 }, (_, i) => makeCardNumber(7, i + 1));
    expect(new Set(cards).size).toBe(50);
    expect(cards.every((c) => c.startsWith('200007'))).toBe(true);
  });
});

describe('parseCardNumber', () => {
  it.each<[string, ReturnType<typeof parseCardNumber>]>([
    ['20001200000341', { ok: true, card: '20001200000341', unitNumber: 12, sequence: 34 }],
    ['2 00012 0000034 1', { ok: true, card: '20001200000341', unitNumber: 12, sequence: 34 }],
    ['  2-00012-0000034-1 ', { ok: true, card: '20001200000341', unitNumber: 12, sequence: 34 }],
    ['A20001200000341B', { ok: true, card: '20001200000341', unitNumber: 12, sequence: 34 }],
    ['', { ok: false, problem: 'empty' }],
    ['   ', { ok: false, problem: 'empty' }],
    ['2000120000034x', { ok: false, problem: 'characters' }],
    ['２０００１２００００03４５', { ok: false, problem: 'characters' }],
    ['2000120000034', { ok: false, problem: 'length' }],
    ['200012000003415', { ok: false, problem: 'length' }],
    ['30001200000341', { ok: false, problem: 'kind' }],
    // one digit mistyped, two neighbours swapped
    ['20001200000331', { ok: false, problem: 'check' }],
    ['20001200000431', { ok: false, problem: 'check' }],
    ['20000000000014', { ok: false, problem: 'range' }],
  ])('%j', (raw, expected) => {
    expect(parseCardNumber(raw)).toEqual(expected);
  });

  it('catches every single-digit error and every swap of unequal neighbours', () => {
    const card = makeCardNumber(321, 765_432);
    for (let i = 0; i < card.length; i++) {
      for (let d = 0; d <= 9; d++) {
        if (String(d) === card[i]) continue;
        const typo = card.slice(0, i) + d + card.slice(i + 1);
        expect(isCardNumber(typo), typo).toBe(false);
      }
      if (i + 1 < card.length && card[i] !== card[i + 1] && !['09', '90'].includes(card[i]! + card[i + 1]!)) {
        const swapped = card.slice(0, i) + card[i + 1] + card[i] + card.slice(i + 2);
        expect(isCardNumber(swapped), swapped).toBe(false);
      }
    }
  });
});

describe('presentation', () => {
  it('groups the digits by field', () => {
    expect(formatCardNumber('20001200000341')).toBe('2 00012 0000034 1');
    expect(formatCardNumber('nope')).toBe('nope');
  });

  it.each([
    ['20001200000341', true],
    ['2 00012 0000034 1', true],
    ['bandoc@example.vn', false],
    ['12345', false],
    ['0912345678', true],
  ])('%s looks like a card number: %s', (s, yes) => {
    expect(looksLikeCardNumber(s)).toBe(yes);
  });
});
