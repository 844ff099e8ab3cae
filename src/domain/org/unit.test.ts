import { describe, expect, it } from 'vitest';
import { AppError, type FieldProblem } from '../errors.js';
import { CODE_PATTERN, normaliseCode, validateCode, validateDetails, validateName, validateSlug, validateType } from './unit.js';

const NFD = (s: string) => s.normalize('NFD');

/** The field problems `validateDetails` throws (fails the test when it accepts the input). */
function detailProblems(input: Record<string, unknown>): FieldProblem[] {
  try {
    validateDetails(input);
  } catch (e) {
    if (e instanceof AppError && e.code === 'VALIDATION') return [...(e.details ?? [])];
    throw e;
  }
  throw new Error('validateDetails accepted the input');
}

describe('validateCode', () => {
  it.each<[unknown, string, boolean]>([
    ['KG', 'KG', true],
    [' kg-01 ', 'KG-01', true],
    ['hd-tt-cd', 'HD-TT-CD', true],
    ['A.B_C-D', 'A.B_C-D', true],
    ['9', '9', true],
    ['A'.repeat(32), 'A'.repeat(32), true],
    ['A'.repeat(33), 'A'.repeat(33), false],
    ['-AB', '-AB', false],
    ['.AB', '.AB', false],
    ['AB CD', 'AB CD', false],
    ['ĐẤT', 'ĐẤT', false],
    ['A/B', 'A/B', false],
    ['', '', false],
    [undefined, '', false],
    [null, '', false],
  ])('%j → %j valid %s', (raw, code, valid) => {
    const problems: FieldProblem[] = [];
    expect(validateCode(raw, problems)).toBe(code);
    expect(problems).toEqual(valid ? [] : [{ field: 'code', code: 'ORG_CODE_INVALID', params: { code } }]);
    expect(CODE_PATTERN.test(code)).toBe(valid);
  });

  it('normaliseCode trims and upper-cases', () => {
    expect(normaliseCode('  tvkg-tn ')).toBe('TVKG-TN');
  });
});

describe('validateSlug', () => {
  it.each<[unknown, string, boolean]>([
    ['thu-vien-tinh', 'thu-vien-tinh', true],
    [' Thu-Vien ', 'thu-vien', true],
    ['a', 'a', true],
    ['kenh-10', 'kenh-10', true],
    ['a'.repeat(80), 'a'.repeat(80), true],
    ['a'.repeat(81), 'a'.repeat(81), false],
    ['thu--vien', 'thu--vien', false],
    ['-thu', '-thu', false],
    ['thu-', 'thu-', false],
    ['thu_vien', 'thu_vien', false],
    ['thư-viện', 'thư-viện', false],
    ['thu vien', 'thu vien', false],
    ['', '', false],
    [undefined, '', false],
  ])('%j → %j valid %s', (raw, slug, valid) => {
    const problems: FieldProblem[] = [];
    expect(validateSlug(raw, problems)).toBe(slug);
    expect(problems).toEqual(valid ? [] : [{ field: 'slug', code: 'ORG_SLUG_INVALID', params: { slug } }]);
  });
});

describe('validateType', () => {
  it.each([
    ['district', 'district', []],
    [' commune ', 'commune', []],
    ['reading_room', 'reading_room', []],
    ['book_box', 'book_box', []],
    ['District', 'commune', [{ field: 'typeCode', code: 'ORG_TYPE_UNKNOWN', params: { type: 'District' } }]],
    ['castle', 'commune', [{ field: 'typeCode', code: 'ORG_TYPE_UNKNOWN', params: { type: 'castle' } }]],
    ['', 'commune', [{ field: 'typeCode', code: 'ORG_TYPE_UNKNOWN', params: { type: '' } }]],
  ])('%j → %j', (raw, type, expected) => {
    const problems: FieldProblem[] = [];
    expect(validateType(raw, problems)).toBe(type);
    expect(problems).toEqual(expected);
  });
});

describe('validateName', () => {
  it.each<[unknown, string, boolean]>([
    ['Thư viện xã Hòn Đất', 'Thư viện xã Hòn Đất', true],
    [NFD('Thư viện xã Hòn Đất'), 'Thư viện xã Hòn Đất', true],
    ['  Thư   viện\txã  ', 'Thư viện xã', true],
    ['a'.repeat(200), 'a'.repeat(200), true],
    ['a'.repeat(201), 'a'.repeat(201), false],
    ['   ', '', false],
    [undefined, '', false],
  ])('%j → %j valid %s', (raw, name, valid) => {
    const problems: FieldProblem[] = [];
    const out = validateName(raw, 'nameVi', problems);
    expect(out).toBe(name);
    expect(out === out.normalize('NFC')).toBe(true);
    expect(problems).toEqual(valid ? [] : [{ field: 'nameVi', code: 'VALIDATION', params: { max: 200 } }]);
  });
});

describe('validateDetails', () => {
  it('accepts a slug alone, everything else absent', () => {
    expect(validateDetails({ slug: 'thu-vien' })).toEqual({
      slug: 'thu-vien',
      address: null,
      phone: null,
      email: null,
      website: null,
      openingHours: null,
      latitude: null,
      longitude: null,
      descriptionVi: null,
      descriptionEn: null,
    });
  });

  it('cleans every field: NFD comes out NFC, space collapsed, empty becomes null, numbers parsed', () => {
    const d = validateDetails({
      slug: ' Thu-Vien-Tinh ',
      address: NFD('  Số 1   đường Mậu Thân,\tRạch Giá  '),
      phone: ' 0297 3862 311 ',
      email: ' thuvien@kiengiang.example.vn ',
      website: 'https://kiengiang.example.vn/thu-vien',
      openingHours: NFD('Thứ Hai – Thứ Sáu: 7:00 – 11:00\r\nThứ Bảy: 7:30 – 11:00\r'),
      latitude: '10.0125',
      longitude: 105.0809,
      descriptionVi: NFD('  Kho tài liệu địa chí.\n\nPhòng đọc thiếu nhi.  '),
      descriptionEn: '   ',
    });
    expect(d).toEqual({
      slug: 'thu-vien-tinh',
      address: 'Số 1 đường Mậu Thân, Rạch Giá',
      phone: '0297 3862 311',
      email: 'thuvien@kiengiang.example.vn',
      website: 'https://kiengiang.example.vn/thu-vien',
      openingHours: 'Thứ Hai – Thứ Sáu: 7:00 – 11:00\nThứ Bảy: 7:30 – 11:00',
      latitude: 10.0125,
      longitude: 105.0809,
      descriptionVi: 'Kho tài liệu địa chí.\n\nPhòng đọc thiếu nhi.',
      descriptionEn: null,
    });
    for (const v of Object.values(d)) if (typeof v === 'string') expect(v).toBe(v.normalize('NFC'));
  });

  it.each<[string, Record<string, unknown>, FieldProblem[]]>([
    ['a bad slug', { slug: 'Thư viện' }, [{ field: 'slug', code: 'ORG_SLUG_INVALID', params: { slug: 'thư viện' } }]],
    ['a missing slug', {}, [{ field: 'slug', code: 'ORG_SLUG_INVALID', params: { slug: '' } }]],
    ['an email without a domain', { slug: 's', email: 'thuvien@' }, [{ field: 'email', code: 'VALIDATION' }]],
    ['a website without a scheme', { slug: 's', website: 'kiengiang.example.vn' }, [{ field: 'website', code: 'VALIDATION' }]],
    ['a javascript: website', { slug: 's', website: 'javascript:alert(1)' }, [{ field: 'website', code: 'VALIDATION' }]],
    ['latitude out of range', { slug: 's', latitude: '90.5' }, [{ field: 'latitude', code: 'VALIDATION', params: { min: -90, max: 90 } }]],
    ['longitude not a number', { slug: 's', longitude: '105,08' }, [{ field: 'longitude', code: 'VALIDATION', params: { min: -180, max: 180 } }]],
    ['longitude infinite', { slug: 's', longitude: 'Infinity' }, [{ field: 'longitude', code: 'VALIDATION', params: { min: -180, max: 180 } }]],
    ['an address too long', { slug: 's', address: 'a'.repeat(501) }, [{ field: 'address', code: 'VALIDATION', params: { max: 500 } }]],
    ['a phone too long', { slug: 's', phone: '1'.repeat(51) }, [{ field: 'phone', code: 'VALIDATION', params: { max: 50 } }]],
    ['a description too long', { slug: 's', descriptionEn: 'a'.repeat(4001) }, [{ field: 'descriptionEn', code: 'VALIDATION', params: { max: 4000 } }]],
  ])('refuses %s', (_name, input, problems) => {
    expect(detailProblems(input)).toEqual(problems);
  });

  it('accepts the limits themselves', () => {
    const d = validateDetails({ slug: 's', latitude: '-90', longitude: 180, address: 'a'.repeat(500), descriptionVi: 'a'.repeat(4000) });
    expect([d.latitude, d.longitude, d.address?.length, d.descriptionVi?.length]).toEqual([-90, 180, 500, 4000]);
  });

  it('lists every problem at once, in field order', () => {
    expect(detailProblems({ slug: '--', email: 'no at sign', website: 'ftp://x', latitude: 'north', longitude: -181, phone: '9'.repeat(60) })).toEqual([
      { field: 'slug', code: 'ORG_SLUG_INVALID', params: { slug: '--' } },
      { field: 'phone', code: 'VALIDATION', params: { max: 50 } },
      { field: 'latitude', code: 'VALIDATION', params: { min: -90, max: 90 } },
      { field: 'longitude', code: 'VALIDATION', params: { min: -180, max: 180 } },
      { field: 'email', code: 'VALIDATION' },
      { field: 'website', code: 'VALIDATION' },
    ]);
  });
});
