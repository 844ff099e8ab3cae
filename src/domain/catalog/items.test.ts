import { describe, expect, it } from 'vitest';
import { en, vi } from '../../i18n/messages.js';
import {
  compareShelfOrder,
  extractItems,
  guessScheme,
  isCalendarDate,
  isValidBarcode,
  ITEM_PROBLEM_CODES,
  ITEM_STATUSES,
  itemsToMarc,
  normaliseBarcode,
  parsePrice,
  validateItem,
  type CheckedItem,
  type ExportableItem,
  type ExtractItemsOptions,
  type ItemInput,
  type ItemProblem,
} from './items.js';
import type { MarcDataField, MarcLike, MarcLikeField } from './marc-like.js';
import { shelfKey, type ShelfScheme } from './shelf-key.js';

// ---------------------------------------------------------------------------------------------
// Builders

/** `df('952', '  ', 'a', 'TVT', 'p', '0001')` */
function df(tag: string, indicators: string, ...codesAndValues: string[]): MarcDataField {
  const subfields = [];
  for (let i = 0; i < codesAndValues.length; i += 2) subfields.push({ code: codesAndValues[i]!, value: codesAndValues[i + 1]! });
  return { tag, ind1: indicators[0] ?? ' ', ind2: indicators[1] ?? ' ', subfields };
}

function record(...fields: MarcLikeField[]): MarcLike {
  return { leader: '00000nam a2200000 a 4500', fields: [{ tag: '001', value: 'TVT000123' }, ...fields] };
}

const TODAY = '2025-06-15';
const UNITS = new Set(['TVT', 'TVT-Q1', 'TVT-Q3', 'HN']);
const OPTS: ExtractItemsOptions = { defaultUnitCode: 'TVT', knownUnitCodes: UNITS };

function valid(input: ItemInput): CheckedItem {
  const r = validateItem(input, { today: TODAY });
  if (!r.ok) throw new TypeError(`expected valid, got ${JSON.stringify(r.problems)}`);
  return r.value;
}

function problemsOf(input: ItemInput): ItemProblem[] {
  const r = validateItem(input, { today: TODAY });
  return r.ok ? [] : r.problems;
}

const BASE: CheckedItem = {
  barcode: 'TVT0001',
  ownerUnitCode: null,
  locationUnitCode: null,
  shelvingLocation: null,
  callNumber: null,
  callScheme: 'other',
  shelfKey: '',
  itemType: null,
  status: 'available',
  price: null,
  currency: 'VND',
  acquiredOn: null,
  copyNumber: null,
  publicNote: null,
  staffNote: null,
};

// ---------------------------------------------------------------------------------------------
// Barcode

describe('normaliseBarcode / isValidBarcode', () => {
  it.each([
    [' tvt 0001 ', 'TVT0001', true],
    ['vn-2019/00.12', 'VN-2019/00.12', true],
    ['\u00a0123\u200b4\t', '1234', true],
    ['AB', 'AB', false],
    ['A'.repeat(32), 'A'.repeat(32), true],
    ['A'.repeat(33), 'A'.repeat(33), false],
    ['TV_001', 'TV_001', false],
    ['TVĐ001', 'TVĐ001', false],
    ['straße1', 'STRAßE1', false],
    ['#0001', '#0001', false],
    ['', '', false],
  ])('%j → %j (valid: %s)', (raw, normalised, ok) => {
    expect(normaliseBarcode(raw)).toBe(normalised);
    expect(isValidBarcode(normaliseBarcode(raw))).toBe(ok);
  });
});

// ---------------------------------------------------------------------------------------------
// Price

describe('parsePrice', () => {
  it.each<[string | number, string | undefined, { amount: number; currency: string | undefined } | undefined]>([
    ['120000', undefined, { amount: 120000, currency: undefined }],
    ['120.000', undefined, { amount: 120000, currency: undefined }],
    ['120,000 VND', undefined, { amount: 120000, currency: 'VND' }],
    ['150.000 đ', undefined, { amount: 150000, currency: 'VND' }],
    ['150.000đ', undefined, { amount: 150000, currency: 'VND' }],
    ['95000đ', undefined, { amount: 95000, currency: 'VND' }],
    ['95000d', undefined, { amount: 95000, currency: 'VND' }],
    ['1.250.000 ₫', undefined, { amount: 1250000, currency: 'VND' }],
    ['1 250 000 đồng', undefined, { amount: 1250000, currency: 'VND' }],
    ['1\u00a0250\u00a0000 VNĐ', undefined, { amount: 1250000, currency: 'VND' }],
    ['150000.00', undefined, { amount: 150000, currency: undefined }],
    ['120.000,00 đ', undefined, { amount: 120000, currency: 'VND' }],
    ['0', undefined, { amount: 0, currency: undefined }],
    ['12.50 USD', undefined, { amount: 12.5, currency: 'USD' }],
    ['$12.50', undefined, { amount: 12.5, currency: 'USD' }],
    ['1,234.56 usd', undefined, { amount: 1234.56, currency: 'USD' }],
    ['12.50', 'USD', { amount: 12.5, currency: undefined }],
    ['€ 30', undefined, { amount: 30, currency: 'EUR' }],
    [120000, undefined, { amount: 120000, currency: undefined }],
    [12.5, 'USD', { amount: 12.5, currency: undefined }],
    // refused
    ['12.50', undefined, undefined], // VND has no minor unit
    ['12.50 VND', undefined, undefined],
    ['150000.50', undefined, undefined],
    ['1.000,000', undefined, undefined], // mixed group separators
    ['1.000.00', undefined, undefined],
    ['12,50 EUR', undefined, undefined],
    ['120.000', 'USD', undefined],
    ['12.505 USD', undefined, undefined],
    ['-5000', undefined, undefined],
    ['5000 đ 6000', undefined, undefined],
    ['đ 5000 đ', undefined, undefined],
    ['5000 dollars', undefined, undefined],
    ['miễn phí', undefined, undefined],
    ['', undefined, undefined],
    [12.5, undefined, undefined],
    [-1, undefined, undefined],
    [Number.NaN, undefined, undefined],
    [1e13, undefined, undefined],
  ])('%j (%s) → %j', (raw, currency, expected) => {
    expect(parsePrice(raw, currency)).toEqual(expected);
  });
});

describe('isCalendarDate', () => {
  it.each([
    ['2024-02-29', true],
    ['2000-02-29', true],
    ['1900-02-29', false],
    ['2023-02-29', false],
    ['2025-04-31', false],
    ['2025-12-31', true],
    ['2025-13-01', false],
    ['2025-00-10', false],
    ['2025-01-00', false],
    ['2025-1-5', false],
    ['05/01/2025', false],
    ['2025-01-05T00:00:00', false],
  ])('%s → %s', (s, ok) => expect(isCalendarDate(s)).toBe(ok));
});

// ---------------------------------------------------------------------------------------------
// Scheme

describe('guessScheme', () => {
  it.each<[string, ShelfScheme]>([
    // DDC
    ['959.7 NG-D', 'ddc'],
    ['895.9223', 'ddc'],
    ['895.9223 NG527T', 'ddc'],
    ['VN 895.922 NG527', 'ddc'],
    ['R004.6 N573', 'ddc'],
    ['004.6N573', 'ddc'],
    ['895 NG-D', 'ddc'],
    ['621.39', 'ddc'], // DDC or UDC: DDC
    // BBK
    ['63.3(1)', 'bbk'],
    ['63.3(1) L302S', 'bbk'],
    ['VN 63.3(1)', 'bbk'],
    ['22.31', 'bbk'],
    ['Ф3', 'bbk'],
    ['Ш5(2)7 Т 48', 'bbk'],
    ['84(2Рос=Рус)6-44', 'bbk'],
    ['84(1=Việt)', 'bbk'],
    ['9(V)', 'bbk'],
    ['9(V) L302S', 'bbk'],
    ['V23', 'bbk'],
    ['V23(1) NG527', 'bbk'],
    // UDC
    ['94(597)', 'udc'],
    ['94 (597)', 'udc'],
    ['94(597)"19"', 'udc'],
    ["811.111'", 'udc'],
    ['37(075)', 'udc'],
    ['004:37', 'udc'],
    ['821.161.1', 'udc'],
    ['811.111=161.1', 'udc'],
    ['94+95', 'udc'],
    // other
    ['94(4)', 'other'], // UDC Europe or BBK: ambiguous
    ['123', 'other'],
    ['QA76.73 .J38 2003', 'other'],
    ['TL-2019-001', 'other'],
    ['LV 2019', 'other'],
    ['Kho mượn', 'other'],
    ['', 'other'],
    ['   ', 'other'],
  ])('%j → %s', (callNumber, scheme) => expect(guessScheme(callNumber)).toBe(scheme));
});

// ---------------------------------------------------------------------------------------------
// validateItem

describe('validateItem', () => {
  it('normalises a minimal copy and fills the defaults', () => {
    expect(valid({ barcode: ' tvt 0001 ' })).toEqual(BASE);
  });

  it('normalises every attribute', () => {
    expect(
      valid({
        barcode: 'tvt0001',
        ownerUnitCode: ' tvt-q1 ',
        shelvingLocation: '  Kho   mượn ',
        callNumber: ' 895.9223  NG527T ',
        itemType: 'Book',
        status: 'not-for-loan',
        price: '150.000 đ',
        acquiredOn: '2024-02-29',
        copyNumber: 'b.2',
        publicNote: 'Sách quý',
        staffNote: 'Tặng của tác giả',
      }),
    ).toEqual({
      ...BASE,
      ownerUnitCode: 'TVT-Q1',
      locationUnitCode: 'TVT-Q1',
      shelvingLocation: 'Kho mượn',
      callNumber: '895.9223 NG527T',
      callScheme: 'ddc',
      shelfKey: shelfKey('895.9223 NG527T', 'ddc'),
      itemType: 'book',
      status: 'not-for-loan',
      price: 150000,
      acquiredOn: '2024-02-29',
      copyNumber: 'b.2',
      publicNote: 'Sách quý',
      staffNote: 'Tặng của tác giả',
    });
  });

  it.each<[ItemInput, Partial<CheckedItem>]>([
    [{ barcode: 'X001', price: '120000' }, { price: 120000, currency: 'VND' }],
    [{ barcode: 'X001', price: '120.000' }, { price: 120000, currency: 'VND' }],
    [{ barcode: 'X001', price: '120,000 VND' }, { price: 120000, currency: 'VND' }],
    [{ barcode: 'X001', price: '95000đ' }, { price: 95000, currency: 'VND' }],
    [{ barcode: 'X001', price: '12.50 USD' }, { price: 12.5, currency: 'USD' }],
    [{ barcode: 'X001', price: '12.50', currency: 'usd' }, { price: 12.5, currency: 'USD' }],
    [{ barcode: 'X001', price: '12.50 USD', currency: 'USD' }, { price: 12.5, currency: 'USD' }],
    [{ barcode: 'X001', price: 85000 }, { price: 85000 }],
    [{ barcode: 'X001', price: '' }, { price: null }],
    [{ barcode: 'X001', currency: 'vnđ' }, { currency: 'VND' }],
    [{ barcode: 'X001', callNumber: '94(597)' }, { callNumber: '94(597)', callScheme: 'udc', shelfKey: shelfKey('94(597)', 'udc') }],
    [{ barcode: 'X001', callNumber: '63.3(1)' }, { callNumber: '63.3(1)', callScheme: 'bbk', shelfKey: shelfKey('63.3(1)', 'bbk') }],
    [{ barcode: 'X001', callNumber: '94(4)', callScheme: 'udc' }, { callNumber: '94(4)', callScheme: 'udc', shelfKey: shelfKey('94(4)', 'udc') }],
    [{ barcode: 'X001', callNumber: 'QA76.73' }, { callNumber: 'QA76.73', callScheme: 'other', shelfKey: shelfKey('QA76.73', 'other') }],
    [{ barcode: 'X001', ownerUnitCode: 'HN', locationUnitCode: 'tvt' }, { ownerUnitCode: 'HN', locationUnitCode: 'TVT' }],
    [{ barcode: 'X001', locationUnitCode: 'TVT' }, { ownerUnitCode: null, locationUnitCode: 'TVT' }],
    [{ barcode: 'X001', status: 'Lost' as never }, { status: 'lost' }],
    [{ barcode: 'X001', acquiredOn: TODAY }, { acquiredOn: TODAY }],
    [{ barcode: 'X001', itemType: 'ref-vn_2' }, { itemType: 'ref-vn_2' }],
  ])('%j', (input, expected) => {
    expect(valid(input)).toEqual({ ...BASE, barcode: 'X001', ...expected });
  });

  it.each<[ItemInput, ItemProblem[]]>([
    [{ barcode: '' }, [{ field: 'barcode', code: 'barcode-missing', params: {} }]],
    [{ barcode: '   ' }, [{ field: 'barcode', code: 'barcode-missing', params: {} }]],
    [{ barcode: undefined as unknown as string }, [{ field: 'barcode', code: 'barcode-missing', params: {} }]],
    [{ barcode: 'ab' }, [{ field: 'barcode', code: 'barcode-invalid', params: { value: 'ab' } }]],
    [{ barcode: 'TV#01' }, [{ field: 'barcode', code: 'barcode-invalid', params: { value: 'TV#01' } }]],
    [{ barcode: 'Sách 01' }, [{ field: 'barcode', code: 'barcode-invalid', params: { value: 'Sách 01' } }]],
    [{ barcode: 'X001', status: 'borrowed' as never }, [{ field: 'status', code: 'status-invalid', params: { value: 'borrowed' } }]],
    [{ barcode: 'X001', price: '12.50' }, [{ field: 'price', code: 'price-invalid', params: { value: '12.50' } }]],
    [{ barcode: 'X001', price: 'tặng' }, [{ field: 'price', code: 'price-invalid', params: { value: 'tặng' } }]],
    [{ barcode: 'X001', price: -2 }, [{ field: 'price', code: 'price-invalid', params: { value: '-2' } }]],
    [{ barcode: 'X001', price: '120.000', currency: 'USD' }, [{ field: 'price', code: 'price-invalid', params: { value: '120.000' } }]],
    [
      { barcode: 'X001', price: '12.50 USD', currency: 'EUR' },
      [{ field: 'price', code: 'currency-mismatch', params: { value: '12.50 USD', currency: 'EUR' } }],
    ],
    [{ barcode: 'X001', currency: 'đô' }, [{ field: 'currency', code: 'currency-invalid', params: { value: 'đô' } }]],
    [{ barcode: 'X001', acquiredOn: '2023-02-29' }, [{ field: 'acquiredOn', code: 'date-invalid', params: { value: '2023-02-29' } }]],
    [{ barcode: 'X001', acquiredOn: '15/06/2025' }, [{ field: 'acquiredOn', code: 'date-invalid', params: { value: '15/06/2025' } }]],
    [
      { barcode: 'X001', acquiredOn: '2025-06-16' },
      [{ field: 'acquiredOn', code: 'date-in-future', params: { value: '2025-06-16', today: TODAY } }],
    ],
    [{ barcode: 'X001', callNumber: '895.9 ' + 'A'.repeat(100) }, [{ field: 'callNumber', code: 'call-number-too-long', params: { max: 100 } }]],
    [{ barcode: 'X001', callNumber: '895.9', callScheme: 'lcc' as never }, [{ field: 'callScheme', code: 'scheme-invalid', params: { value: 'lcc' } }]],
    [{ barcode: 'X001', itemType: 'sách' }, [{ field: 'itemType', code: 'item-type-invalid', params: { value: 'sách' } }]],
    [{ barcode: 'X001', ownerUnitCode: 'Thư viện tỉnh' }, [{ field: 'ownerUnitCode', code: 'unit-code-invalid', params: { value: 'Thư viện tỉnh' } }]],
    [{ barcode: 'X001', copyNumber: 'x'.repeat(33) }, [{ field: 'copyNumber', code: 'too-long', params: { max: 32 } }]],
    [{ barcode: 'X001', publicNote: 'x'.repeat(1001) }, [{ field: 'publicNote', code: 'too-long', params: { max: 1000 } }]],
  ])('%j → problems', (input, expected) => {
    expect(problemsOf(input)).toEqual(expected);
  });

  it('reports every problem at once', () => {
    expect(problemsOf({ barcode: 'a', status: 'x' as never, price: 'abc', acquiredOn: '2099-01-01' }).map((p) => p.code)).toEqual([
      'barcode-invalid',
      'status-invalid',
      'price-invalid',
      'date-in-future',
    ]);
  });

  it('refuses a malformed today', () => {
    expect(() => validateItem({ barcode: 'X001' }, { today: '15/06/2025' })).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Shelf order

describe('compareShelfOrder', () => {
  it('sorts by shelf key, then barcode', () => {
    const items = [
      valid({ barcode: 'BB2', callNumber: '895.9223 NG527T' }),
      valid({ barcode: 'BB1', callNumber: '895.9223 NG527T' }),
      valid({ barcode: 'AA9', callNumber: '004.6 N573' }),
      valid({ barcode: 'CC1', callNumber: '895.922 NG527' }),
      valid({ barcode: 'ZZ1' }),
      valid({ barcode: 'DD1', callNumber: '959.7 NG-D' }),
    ];
    expect([...items].sort(compareShelfOrder).map((i) => i.barcode)).toEqual(['ZZ1', 'AA9', 'CC1', 'BB1', 'BB2', 'DD1']);
    expect(compareShelfOrder(items[0]!, items[0]!)).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// extractItems

describe('extractItems: Koha 952', () => {
  it('reads a Koha export as it comes', () => {
    const r = record(
      df('245', '10', 'a', 'Truyện Kiều /', 'c', 'Nguyễn Du.'),
      df(
        '952', '  ',
        '0', '0', '1', '0', '4', '0', '7', '0',
        '2', 'ddc', '6', '895_922100000000_NG527T',
        'a', 'TVT', 'b', 'TVT-Q1', 'c', 'GEN', 'd', '2019-03-05',
        'g', '150000.00', 'l', '4', 'o', '895.9221 NG527T', 'p', '0001234',
        'r', '2024-11-02', 'w', '2019-03-05', 'y', 'BK', 'z', 'Bản đẹp',
      ),
      df('952', '  ', 'a', 'TVT', 'b', 'TVT', '8', 'THIEUNHI', 'o', '895.9221 NG527T', 'p', '0001235', 'y', 'TN', 'v', '120.000', 't', '2', '1', '1'),
    );
    expect(extractItems(r, OPTS)).toEqual({
      items: [
        {
          barcode: '0001234',
          ownerUnitCode: 'TVT',
          locationUnitCode: 'TVT-Q1',
          shelvingLocation: 'GEN',
          callNumber: '895.9221 NG527T',
          callScheme: 'ddc',
          itemType: 'book',
          price: '150000.00',
          acquiredOn: '2019-03-05',
          publicNote: 'Bản đẹp',
        },
        {
          barcode: '0001235',
          ownerUnitCode: 'TVT',
          locationUnitCode: 'TVT',
          shelvingLocation: 'THIEUNHI',
          callNumber: '895.9221 NG527T',
          itemType: 'tn',
          status: 'lost',
          price: '120.000',
          copyNumber: '2',
        },
      ],
      problems: [],
    });
    const checked = extractItems(r, OPTS).items.map(valid);
    expect(checked.map((i) => [i.price, i.callScheme, i.status])).toEqual([
      [150000, 'ddc', 'available'],
      [120000, 'ddc', 'lost'],
    ]);
  });

  it.each<[string, string[], Partial<ItemInput>]>([
    ['withdrawn', ['0', '1'], { status: 'withdrawn' }],
    ['withdrawn wins over lost and damaged', ['0', '2', '1', '1', '4', '1'], { status: 'withdrawn' }],
    ['lost', ['1', '1'], { status: 'lost' }],
    ['long overdue (lost)', ['1', '2'], { status: 'lost' }],
    ['Koha LOST 4 is missing', ['1', '4'], { status: 'missing' }],
    ['damaged', ['4', '1'], { status: 'damaged' }],
    ['lost wins over damaged', ['4', '1', '1', '3'], { status: 'lost' }],
    ['not for loan', ['7', '1'], { status: 'not-for-loan' }],
    ['staff collection', ['7', '2'], { status: 'not-for-loan' }],
    ['ordered', ['7', '-1'], { status: 'in-processing' }],
    ['all flags zero', ['0', '0', '1', '0', '4', '00', '7', '0'], {}],
    ['empty flags', ['0', '', '7', ' '], {}],
    ['on loan ($q) is not a catalogue status', ['q', '2025-07-01'], {}],
    ['$c wins over $8', ['c', 'REF', '8', 'TN'], { shelvingLocation: 'REF' }],
    ['$g wins over $v', ['g', '95000', 'v', '120000'], { price: '95000' }],
    ['$v when $g is empty', ['g', '', 'v', '120000'], { price: '120000' }],
    ['cn_source udc', ['o', '94(597)', '2', 'udc'], { callNumber: '94(597)', callScheme: 'udc' }],
    ['cn_source lcc', ['o', 'DS556.5 .N48', '2', 'lcc'], { callNumber: 'DS556.5 .N48', callScheme: 'other' }],
    ['cn_source z', ['o', 'LV-2019-01', '2', 'z'], { callNumber: 'LV-2019-01', callScheme: 'other' }],
    ['unknown cn_source is guessed later', ['o', '63.3(1)', '2', 'khung19'], { callNumber: '63.3(1)' }],
    ['item types REF CR MP VM', ['y', 'REF'], { itemType: 'reference' }],
    ['item type CR', ['y', 'cr'], { itemType: 'periodical' }],
    ['notes', ['x', ' Mua  năm 2019 ', 'z', 'Có đĩa kèm'], { staffNote: 'Mua năm 2019', publicNote: 'Có đĩa kèm' }],
  ])('%s', (_name, subfields, expected) => {
    const r = record(df('952', '  ', 'a', 'TVT', 'p', 'X001', ...subfields));
    const { items, problems } = extractItems(r, OPTS);
    expect(problems).toEqual([]);
    expect(items).toEqual([{ barcode: 'X001', ownerUnitCode: 'TVT', locationUnitCode: 'TVT', ...expected }]);
  });

  it('falls back to the default unit, with a warning, and skips copies without or with a repeated barcode', () => {
    const r = record(
      df('952', '  ', 'a', 'XYZ', 'b', 'XYZ', 'p', 'A001'),
      df('952', '  ', 'a', 'hn', 'b', 'Kho lẻ', 'p', 'a 002'),
      df('952', '  ', 'a', 'TVT', 'o', '895.9 N'),
      df('952', '  ', 'a', 'TVT', 'p', 'A002'),
      df('952', '  ', 'p', 'A003'),
    );
    expect(extractItems(r, OPTS)).toEqual({
      items: [
        { barcode: 'A001', ownerUnitCode: 'TVT', locationUnitCode: 'TVT' },
        { barcode: 'A002', ownerUnitCode: 'HN', locationUnitCode: 'TVT' },
        { barcode: 'A003', ownerUnitCode: 'TVT', locationUnitCode: 'TVT' },
      ],
      problems: [
        { fieldIndex: 1, tag: '952', code: 'unknown-unit', severity: 'warning', params: { unit: 'XYZ', fallback: 'TVT' } },
        { fieldIndex: 2, tag: '952', code: 'unknown-unit', severity: 'warning', params: { unit: 'Kho lẻ', fallback: 'TVT' } },
        { fieldIndex: 3, tag: '952', code: 'barcode-missing', severity: 'error', params: {} },
        { fieldIndex: 4, tag: '952', code: 'barcode-duplicate', severity: 'error', params: { barcode: 'A002' } },
      ],
    });
  });

  it('takes any well-formed unit code when no known codes are given', () => {
    const r = record(df('952', '  ', 'a', 'tvt-q9', 'b', 'Chi nhánh 2', 'p', 'A001'));
    expect(extractItems(r, { defaultUnitCode: 'TVT' })).toEqual({
      items: [{ barcode: 'A001', ownerUnitCode: 'TVT-Q9', locationUnitCode: 'TVT' }],
      problems: [{ fieldIndex: 1, tag: '952', code: 'unknown-unit', severity: 'warning', params: { unit: 'Chi nhánh 2', fallback: 'TVT' } }],
    });
  });

  it("gives copies without a call number the record's own", () => {
    const r = record(df('952', '  ', 'a', 'TVT', 'p', 'A001'), df('952', '  ', 'a', 'TVT', 'p', 'A002', 'o', 'R 030 B103K'));
    const withScheme = extractItems(r, { ...OPTS, derivedCallNumber: '94(597) L302S', derivedCallScheme: 'udc' }).items;
    expect(withScheme.map((i) => [i.callNumber, i.callScheme])).toEqual([
      ['94(597) L302S', 'udc'],
      ['R 030 B103K', undefined],
    ]);
    const guessed = extractItems(r, { ...OPTS, derivedCallNumber: '959.7 NG-D' }).items;
    expect(guessed.map((i) => [i.callNumber, i.callScheme])).toEqual([
      ['959.7 NG-D', undefined],
      ['R 030 B103K', undefined],
    ]);
    expect(guessed.map(valid).map((i) => i.callScheme)).toEqual(['ddc', 'ddc']);
  });

  it('reads a record without holdings, and odd fields, without failing', () => {
    expect(extractItems(record(df('245', '10', 'a', 'Không có bản')), OPTS)).toEqual({ items: [], problems: [] });
    expect(extractItems(record({ tag: '952', value: 'control?' }), OPTS)).toEqual({ items: [], problems: [] });
    expect(extractItems({ leader: '', fields: [] }, OPTS)).toEqual({ items: [], problems: [] });
  });
});

describe('extractItems: MARC21 852', () => {
  it.each<[string, string, string[], Partial<ItemInput>]>([
    ['LC', '0', ['h', 'DS556.5', 'i', '.N48 2003'], { callNumber: 'DS556.5 .N48 2003', callScheme: 'other' }],
    ['DDC', '1', ['h', '895.9223', 'i', 'NG527T'], { callNumber: '895.9223 NG527T', callScheme: 'ddc' }],
    ['NLM', '2', ['h', 'WB 100'], { callNumber: 'WB 100', callScheme: 'other' }],
    ['SuDoc', '3', ['h', 'I 19.2:Ai 1'], { callNumber: 'I 19.2:Ai 1', callScheme: 'other' }],
    ['shelving control number', '4', ['j', 'LA-0042'], { callNumber: 'LA-0042', callScheme: 'other' }],
    ['title', '5', ['h', 'Truyện Kiều'], { callNumber: 'Truyện Kiều', callScheme: 'other' }],
    ['shelved separately', '6', ['h', 'Báo Nhân Dân 2020'], { callNumber: 'Báo Nhân Dân 2020', callScheme: 'other' }],
    ['source udc', '7', ['h', '94(597)', 'i', 'L302S', '2', 'udc'], { callNumber: '94(597) L302S', callScheme: 'udc' }],
    ['source bbk', '7', ['h', '63.3(1)', 'i', 'L302S', '2', 'bbk'], { callNumber: '63.3(1) L302S', callScheme: 'bbk' }],
    ['source rubbk', '7', ['h', 'Ф3', '2', 'rubbk'], { callNumber: 'Ф3', callScheme: 'bbk' }],
    ['unknown source: guessed later', '7', ['h', '9(V)', '2', 'khung19'], { callNumber: '9(V)' }],
    ['other scheme', '8', ['h', 'TN-12'], { callNumber: 'TN-12', callScheme: 'other' }],
    ['no information: guessed later', ' ', ['h', '959.7', 'i', 'NG-D'], { callNumber: '959.7 NG-D' }],
    ['prefix and suffix', '1', ['k', 'VN', 'h', '895.922', 'i', 'NG527', 'm', 't.2'], { callNumber: 'VN 895.922 NG527 t.2', callScheme: 'ddc' }],
    ['$b wins over $c', '1', ['b', 'Kho mượn', 'c', 'Giá 3'], { shelvingLocation: 'Kho mượn' }],
    ['$c without $b', '1', ['c', 'Giá 3'], { shelvingLocation: 'Giá 3' }],
    ['copy and notes', ' ', ['t', '3', 'x', 'Thanh lý 2026?', 'z', 'Đọc tại chỗ'], { copyNumber: '3', staffNote: 'Thanh lý 2026?', publicNote: 'Đọc tại chỗ' }],
  ])('%s (ind1 %j)', (_name, ind1, subfields, expected) => {
    const r = record(df('852', ind1 + ' ', 'a', 'TVT', ...subfields, 'p', 'X001'));
    const { items, problems } = extractItems(r, OPTS);
    expect(problems).toEqual([]);
    expect(items).toEqual([{ barcode: 'X001', ownerUnitCode: 'TVT', locationUnitCode: 'TVT', ...expected }]);
  });

  it('mixes 852 and 952 in record order, checking barcodes across both', () => {
    const r = record(
      df('852', '1 ', 'a', 'Thư viện X', 'h', '895.9', 'p', 'A001'),
      df('852', '1 ', 'a', 'HN', 'h', '895.9'),
      df('952', '  ', 'a', 'TVT', 'p', 'a001'),
      df('952', '  ', 'a', 'TVT-Q3', 'p', 'A002'),
    );
    const { items, problems } = extractItems(r, OPTS);
    expect(items.map((i) => [i.barcode, i.ownerUnitCode])).toEqual([
      ['A001', 'TVT'],
      ['A002', 'TVT-Q3'],
    ]);
    expect(problems.map((p) => [p.fieldIndex, p.tag, p.code])).toEqual([
      [1, '852', 'unknown-unit'],
      [2, '852', 'barcode-missing'],
      [3, '952', 'barcode-duplicate'],
    ]);
  });
});

// ---------------------------------------------------------------------------------------------
// Round trips

const EXPORTABLE: ExportableItem[] = [
  {
    ...BASE,
    barcode: 'TVT0001',
    ownerUnitCode: 'TVT',
    locationUnitCode: 'TVT-Q1',
    shelvingLocation: 'Kho mượn',
    callNumber: '895.9223 NG527T',
    callScheme: 'ddc',
    shelfKey: shelfKey('895.9223 NG527T', 'ddc'),
    itemType: 'book',
    price: 150000,
    acquiredOn: '2019-03-05',
    copyNumber: '1',
    publicNote: 'Bản đẹp',
    staffNote: 'Tặng',
  },
  {
    ...BASE,
    barcode: 'TVT0002',
    ownerUnitCode: 'HN',
    locationUnitCode: 'HN',
    callNumber: '94(597) L302S',
    callScheme: 'udc',
    shelfKey: shelfKey('94(597) L302S', 'udc'),
    status: 'lost',
    price: 12.5,
    currency: 'USD',
  },
  {
    ...BASE,
    barcode: 'TVT-0003/B',
    ownerUnitCode: 'TVT',
    locationUnitCode: 'TVT',
    callNumber: 'VN 63.3(1) L302S',
    callScheme: 'bbk',
    shelfKey: shelfKey('VN 63.3(1) L302S', 'bbk'),
    status: 'withdrawn',
  },
  {
    ...BASE,
    barcode: 'TVT0004',
    ownerUnitCode: 'TVT-Q3',
    locationUnitCode: 'TVT-Q3',
    callNumber: 'LV-2019-01',
    callScheme: 'other',
    shelfKey: shelfKey('LV-2019-01', 'other'),
    status: 'not-for-loan',
    itemType: 'thesis',
  },
  { ...BASE, barcode: 'TVT0005', ownerUnitCode: 'TVT', locationUnitCode: 'TVT', status: 'missing' },
  { ...BASE, barcode: 'TVT0006', ownerUnitCode: 'TVT', locationUnitCode: 'TVT', status: 'damaged', price: 0 },
  { ...BASE, barcode: 'TVT0007', ownerUnitCode: 'TVT', locationUnitCode: 'TVT', status: 'in-processing', callNumber: '959.7', callScheme: 'other', shelfKey: shelfKey('959.7', 'other') },
];

function roundTrip(items: ExportableItem[], style: '852' | '952'): CheckedItem[] {
  const r = record(df('245', '10', 'a', 'X'), ...itemsToMarc(items, style));
  const { items: inputs, problems } = extractItems(r, OPTS);
  expect(problems).toEqual([]);
  return inputs.map(valid);
}

describe('itemsToMarc', () => {
  it('writes Koha 952 fields', () => {
    expect(itemsToMarc([EXPORTABLE[0]!, EXPORTABLE[1]!], '952')).toEqual([
      df('952', '  ', '2', 'ddc', 'a', 'TVT', 'b', 'TVT-Q1', 'c', 'Kho mượn', 'd', '2019-03-05', 'g', '150000', 'o', '895.9223 NG527T', 'p', 'TVT0001', 't', '1', 'x', 'Tặng', 'y', 'book', 'z', 'Bản đẹp'),
      df('952', '  ', '1', '1', '2', 'udc', 'a', 'HN', 'b', 'HN', 'g', '12.50 USD', 'o', '94(597) L302S', 'p', 'TVT0002'),
    ]);
  });

  it('writes MARC21 852 fields', () => {
    expect(itemsToMarc([EXPORTABLE[0]!, EXPORTABLE[1]!, EXPORTABLE[2]!, EXPORTABLE[4]!], '852')).toEqual([
      df('852', '1 ', 'a', 'TVT', 'b', 'Kho mượn', 'h', '895.9223', 'i', 'NG527T', 'p', 'TVT0001', 't', '1', 'x', 'Tặng', 'z', 'Bản đẹp'),
      df('852', '7 ', 'a', 'HN', 'h', '94(597)', 'i', 'L302S', 'p', 'TVT0002', '2', 'udc'),
      df('852', '7 ', 'a', 'TVT', 'h', 'VN 63.3(1) L302S', 'p', 'TVT-0003/B', '2', 'bbk'),
      df('852', '  ', 'a', 'TVT', 'p', 'TVT0005'),
    ]);
  });

  it('952 round trip keeps every attribute', () => {
    expect(roundTrip(EXPORTABLE, '952')).toEqual(EXPORTABLE);
  });

  it('952 round trip turns circulation states into available', () => {
    const onLoan = ['on-loan', 'in-transit', 'on-hold-shelf'] as const;
    const items = onLoan.map((status, i) => ({ ...EXPORTABLE[0]!, barcode: `L00${i}`, status }));
    expect(roundTrip(items, '952').map((i) => i.status)).toEqual(['available', 'available', 'available']);
  });

  it('852 round trip keeps what 852 carries', () => {
    const carried = (i: CheckedItem): Partial<CheckedItem> => ({
      barcode: i.barcode,
      ownerUnitCode: i.ownerUnitCode,
      shelvingLocation: i.shelvingLocation,
      callNumber: i.callNumber,
      callScheme: i.callScheme,
      shelfKey: i.shelfKey,
      copyNumber: i.copyNumber,
      publicNote: i.publicNote,
      staffNote: i.staffNote,
    });
    const back = roundTrip(EXPORTABLE, '852');
    expect(back.map(carried)).toEqual(EXPORTABLE.map(carried));
    expect(back.map((i) => [i.locationUnitCode, i.status, i.price, i.itemType, i.acquiredOn])).toEqual(
      EXPORTABLE.map((i) => [i.ownerUnitCode, 'available', null, null, null]),
    );
  });

  it('round trips every status Koha can carry', () => {
    const statuses = ITEM_STATUSES.filter((s) => !['on-loan', 'in-transit', 'on-hold-shelf'].includes(s));
    const items = statuses.map((status, i) => ({ ...EXPORTABLE[4]!, barcode: `S00${i}`, status }));
    expect(roundTrip(items, '952').map((i) => i.status)).toEqual(statuses);
  });
});

// ---------------------------------------------------------------------------------------------
// Messages

describe('messages', () => {
  it('every problem code and status has a message in both languages', () => {
    const keys = [...ITEM_PROBLEM_CODES.map((c) => `catalog.item.${c}`), ...ITEM_STATUSES.map((s) => `catalog.item.status.${s}`)];
    expect(keys.filter((k) => !(k in vi) || !(k in en))).toEqual([]);
  });
});
