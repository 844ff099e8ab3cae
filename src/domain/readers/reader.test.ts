import { describe, expect, it } from 'vitest';
import { AppError, type FieldProblem } from '../errors.js';
import { cleanBirthYear, cleanEmail, cleanListName, cleanName, cleanPhone, formatPhone, historyParams, nameKey, validateProfile } from './reader.js';

const run = <T,>(f: (p: FieldProblem[]) => T): { value: T; codes: string[] } => {
  const problems: FieldProblem[] = [];
  const value = f(problems);
  return { value, codes: problems.map((p) => p.code) };
};

describe('cleanName', () => {
  it.each<[string, string, string[]]>([
    ['Nguyễn Thị Đào', 'Nguyễn Thị Đào', []],
    ['  Trần   Văn\tAn ', 'Trần Văn An', []],
    // NFD input (as some phones send it) is stored NFC
    ['Nguye\u0302\u0303n', 'Nguyễn', []],
    ['Lê\u0000\u0007 Na', 'Lê Na', []],
    ['A', 'A', ['READER_NAME_INVALID']],
    ['', '', ['READER_NAME_INVALID']],
    ['12345', '12345', ['READER_NAME_INVALID']],
    ['x'.repeat(101), 'x'.repeat(101), ['READER_NAME_INVALID']],
  ])('%j → %j', (raw, cleaned, codes) => {
    expect(run((p) => cleanName(raw, p))).toEqual({ value: cleaned, codes });
  });

  it('folds names for search', () => {
    expect(nameKey('Nguyễn Thị Đào')).toBe('nguyen thi dao');
  });
});

describe('cleanEmail', () => {
  it.each<[string, string, boolean]>([
    ['BanDoc@Example.VN', 'bandoc@example.vn', true],
    [' a.b+c@thu-vien.kiengiang.gov.vn ', 'a.b+c@thu-vien.kiengiang.gov.vn', true],
    ['no-at-sign', 'no-at-sign', false],
    ['a@b', 'a@b', false],
    ['a@@b.vn', 'a@@b.vn', false],
    ['a..b@c.vn', 'a..b@c.vn', false],
    ['.a@c.vn', '.a@c.vn', false],
    ['a b@c.vn', 'a b@c.vn', false],
    ['a@-c.vn', 'a@-c.vn', false],
    ['a@c.123', 'a@c.123', false],
    ['<script>@x.vn', '<script>@x.vn', false],
    ['đào@x.vn', 'đào@x.vn', false],
    [`${'a'.repeat(65)}@x.vn`, `${'a'.repeat(65)}@x.vn`, false],
  ])('%j → %j (valid: %s)', (raw, cleaned, valid) => {
    expect(run((p) => cleanEmail(raw, p))).toEqual({ value: cleaned, codes: valid ? [] : ['READER_EMAIL_INVALID'] });
  });
});

describe('cleanPhone', () => {
  it.each<[string, string | null, boolean]>([
    ['0912345678', '0912345678', true],
    ['0912 345 678', '0912345678', true],
    ['091.234.5678', '0912345678', true],
    ['+84 912 345 678', '0912345678', true],
    ['84912345678', '0912345678', true],
    ['0397-123-456', '0397123456', true],
    ['0297 3862 311', '02973862311', true],
    ['(0297) 3862311', '02973862311', true],
    ['+84 297 3862 311', '02973862311', true],
    ['', null, true],
    ['   ', null, true],
    ['0112345678', null, false],
    ['091234567', null, false],
    ['09123456789', null, false],
    ['+1 212 555 0100', null, false],
    ['0912abc678', null, false],
    ['0'.repeat(40), null, false],
  ])('%j → %j', (raw, cleaned, valid) => {
    expect(run((p) => cleanPhone(raw, p))).toEqual({ value: cleaned, codes: valid ? [] : ['READER_PHONE_INVALID'] });
  });

  it('groups for reading', () => {
    expect(formatPhone('0912345678')).toBe('0912 345 678');
    expect(formatPhone('02973862311')).toBe('0297 3862 311');
  });
});

describe('cleanBirthYear', () => {
  it.each<[string, number | null, boolean]>([
    ['1990', 1990, true],
    ['', null, true],
    ['1905', null, false],
    ['1906', 1906, true],
    ['2026', 2026, true],
    ['2027', null, false],
    ['19x0', null, false],
    ['199', null, false],
  ])('%j → %j', (raw, year, valid) => {
    expect(run((p) => cleanBirthYear(raw, 2026, p))).toEqual({ value: year, codes: valid ? [] : ['READER_BIRTH_YEAR_INVALID'] });
  });
});

describe('cleanListName', () => {
  it('tidies and bounds', () => {
    expect(run((p) => cleanListName('  Sách  hay ', p))).toEqual({ value: 'Sách hay', codes: [] });
    expect(run((p) => cleanListName('', p)).codes).toEqual(['READER_LIST_NAME_INVALID']);
    expect(run((p) => cleanListName('x'.repeat(101), p)).codes).toEqual(['READER_LIST_NAME_INVALID']);
  });
});

describe('validateProfile', () => {
  it('cleans every field', () => {
    expect(validateProfile({ name: ' Lê  Văn Tám ', email: 'Tam@Example.vn', phone: '+84 912 345 678', birthYear: '1999' }, 2026)).toEqual({
      name: 'Lê Văn Tám',
      nameKey: 'le van tam',
      email: 'tam@example.vn',
      phone: '0912345678',
      birthYear: 1999,
    });
  });

  it('reports every bad field at once', () => {
    try {
      validateProfile({ name: '', email: 'nope', phone: '123', birthYear: '3000' }, 2026);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).details?.map((d) => `${d.field}:${d.code}`)).toEqual(['name:READER_NAME_INVALID', 'email:READER_EMAIL_INVALID', 'phone:READER_PHONE_INVALID', 'birthYear:READER_BIRTH_YEAR_INVALID']);
    }
  });
});

describe('historyParams', () => {
  it.each([
    ['q=truyen+kieu&page=3', 'q=truyen+kieu'],
    ['?q=a&library=TVKG&sort=year', 'q=a&library=TVKG&sort=year'],
    ['', ''],
  ])('%j → %j', (raw, kept) => {
    expect(historyParams(raw)).toBe(kept);
  });

  it('keeps only the words of an overlong query string', () => {
    const long = `q=kieu&${Array.from({ length: 400 }, (_, i) => `subject=s${i}`).join('&')}`;
    expect(historyParams(long)).toBe('q=kieu');
  });
});
