import { describe, expect, it } from 'vitest';
import {
  isbn10to13,
  isbn13to10,
  isbnQualifier,
  isValidIsbn10,
  isValidIsbn13,
  isValidIssn,
  normaliseIsbn,
  normaliseIssn,
} from './isbn.js';

describe('normaliseIsbn', () => {
  // Published ISBNs: the ISO 2108 worked example, Scholastic's Harry Potter, ISBN-10s ending in X.
  it.each<[string, { isbn13: string; isbn10?: string } | undefined]>([
    ['0-306-40615-2', { isbn13: '9780306406157', isbn10: '0306406152' }],
    ['0306406152', { isbn13: '9780306406157', isbn10: '0306406152' }],
    ['978-0-306-40615-7', { isbn13: '9780306406157', isbn10: '0306406152' }],
    ['978 0 306 40615 7', { isbn13: '9780306406157', isbn10: '0306406152' }],
    ['0-590-35340-3', { isbn13: '9780590353403', isbn10: '0590353403' }],
    ['9780590353403', { isbn13: '9780590353403', isbn10: '0590353403' }],
    ['978-3-16-148410-0', { isbn13: '9783161484100', isbn10: '316148410X' }],
    ['0-8044-2957-X', { isbn13: '9780804429573', isbn10: '080442957X' }],
    ['0-8044-2957-x', { isbn13: '9780804429573', isbn10: '080442957X' }],
    ['0-9752298-0-X', { isbn13: '9780975229804', isbn10: '097522980X' }],
    ['979-10-90636-07-1', { isbn13: '9791090636071' }],
    // as catalogued in 020 $a
    ['ISBN 0-306-40615-2', { isbn13: '9780306406157', isbn10: '0306406152' }],
    ['ISBN-13: 978-0-306-40615-7', { isbn13: '9780306406157', isbn10: '0306406152' }],
    ['0590353403 (hardcover)', { isbn13: '9780590353403', isbn10: '0590353403' }],
    ['604-69-2231-3 (bìa mềm) :', { isbn13: '9786046922315', isbn10: '6046922313' }],
    ['978-0-306-40615-7 : 85000đ', { isbn13: '9780306406157', isbn10: '0306406152' }],
    ['978-0-306-40615-7 85000', { isbn13: '9780306406157', isbn10: '0306406152' }],
    ['080442957X 12000', { isbn13: '9780804429573', isbn10: '080442957X' }],
    // wrong check digits are never corrected
    ['0-306-40615-3', undefined],
    ['978-0-306-40615-8', undefined],
    ['0-8044-2957-0', undefined],
    // wrong length, wrong prefix, nothing
    ['12345', undefined],
    ['030640615', undefined],
    ['977-0-306-40615-7', undefined],
    ['(pbk.)', undefined],
    ['', undefined],
  ])('%j', (input, expected) => {
    expect(normaliseIsbn(input)).toEqual(expected);
  });
});

describe('ISBN checks and conversions', () => {
  it.each([
    ['0-306-40615-2', true],
    ['080442957X', true],
    ['080442957x', true],
    ['0-306-40615-3', false],
    ['X-306-40615-2', false],
    ['03064061522', false],
  ])('isValidIsbn10(%j) = %j', (input, ok) => {
    expect(isValidIsbn10(input)).toBe(ok);
  });

  it.each([
    ['978-0-306-40615-7', true],
    ['9791090636071', true],
    ['978-0-306-40615-8', false],
    ['9770306406157', false],
    ['978030640615', false],
  ])('isValidIsbn13(%j) = %j', (input, ok) => {
    expect(isValidIsbn13(input)).toBe(ok);
  });

  it.each([
    ['0-306-40615-2', '9780306406157'],
    ['0-8044-2957-X', '9780804429573'],
    ['0-306-40615-3', undefined],
  ])('isbn10to13(%j) = %j', (input, expected) => {
    expect(isbn10to13(input)).toBe(expected);
  });

  it.each([
    ['9780306406157', '0306406152'],
    ['978-3-16-148410-0', '316148410X'],
    ['9791090636071', undefined],
    ['9780306406158', undefined],
  ])('isbn13to10(%j) = %j', (input, expected) => {
    expect(isbn13to10(input)).toBe(expected);
  });

  it.each([
    ['604-69-2231-3 (bìa mềm) :', 'bìa mềm'],
    ['0590353403 (hardcover)', 'hardcover'],
    ['9780306406157 : 85000đ', '85000đ'],
    ['9780306406157', undefined],
    ['0-8044-2957-X (pbk.) ;', 'pbk.'],
  ])('isbnQualifier(%j) = %j', (input, expected) => {
    expect(isbnQualifier(input)).toBe(expected);
  });
});

describe('ISSN', () => {
  it.each([
    ['0317-8471', '0317-8471'],
    ['0028-0836', '0028-0836'],
    ['0036-8075', '0036-8075'],
    ['2049-3630', '2049-3630'],
    ['1859-1450', '1859-1450'],
    ['1050-124X', '1050-124X'],
    ['1050-124x', '1050-124X'],
    ['ISSN 03178471', '0317-8471'],
    ['0317 8471', '0317-8471'],
    ['0317-8472', undefined],
    ['0317-847', undefined],
    ['', undefined],
  ])('normaliseIssn(%j) = %j', (input, expected) => {
    expect(normaliseIssn(input)).toBe(expected);
    expect(isValidIssn(input)).toBe(expected !== undefined);
  });
});
