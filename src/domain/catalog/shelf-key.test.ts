import { describe, expect, it } from 'vitest';
import { shelfKey, type ShelfKeyOptions, type ShelfScheme } from './shelf-key.js';

/** Sorts by key with byte comparison, as SQLite BINARY and PostgreSQL COLLATE "C" do. */
function byteSort(callNumbers: string[], scheme: ShelfScheme, options?: ShelfKeyOptions): string[] {
  return [...callNumbers].sort((a, b) =>
    Buffer.compare(Buffer.from(shelfKey(a, scheme, options), 'utf8'), Buffer.from(shelfKey(b, scheme, options), 'utf8')),
  );
}

/** A deterministic shuffle (LCG), so a failure can be reproduced. */
function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function expectShelfOrder(expected: string[], scheme: ShelfScheme, options?: ShelfKeyOptions): void {
  for (const seed of [1, 7, 42, 2024, 99991]) {
    expect(byteSort(shuffled(expected, seed), scheme, options)).toEqual(expected);
  }
  expect(byteSort([...expected].reverse(), scheme, options)).toEqual(expected);
  // Every neighbour strictly ordered: no two different call numbers share a key here.
  for (let i = 1; i < expected.length; i++) {
    expect(shelfKey(expected[i - 1]!, scheme, options) < shelfKey(expected[i]!, scheme, options), `${expected[i - 1]} < ${expected[i]}`).toBe(true);
  }
}

describe('shelfKey: DDC', () => {
  it('files a Vietnamese public library shelf list in order', () => {
    expectShelfOrder(
      [
        '004.6',
        '004.6 N5',
        '004.6 N573',
        '004.6 N573 2003',
        '004.6 N573 2010',
        '004.6 N573 t.2',
        '004.6 N573 t.10',
        '004.6 N58',
        '004.6 NG527',
        '004.67 A1',
        '004.7',
        '158.1 D100',
        '158.1 Đ455',
        '158.1 E200',
        '158.1 NG527',
        '158.1 Tr121',
        '895.922 NG527',
        '895.9221 NG527T',
        '895.9221 NG527T T.1',
        '895.9221 NG527T T.2',
        '895.92213 H450',
        '895.9223 Tr121b',
        '895.9223 Tr121t',
        '895.9223 Tr121t c.1',
        '895.9223 Tr121t c.2',
        'Tr121',
        'R 030 B103',
        'R 495.9223 T550',
        'VN 895.922 NG527',
      ],
      'ddc',
    );
  });

  it.each([
    ['004.6 N573', '004.67 A1'],
    ['004.67 A1', '004.7'],
    ['004.6 N573 v.2', '004.6 N573 v.10'],
    ['895.922 Đ455', '895.922 E100'],
    ['895.922 DZ100', '895.922 ĐA100'],
    ['895.922 D999', '895.922 Đ100'],
    ['895.922 A100', '895.922 Ă100'],
    ['895.922 Ă100', '895.922 Â100'],
    ['895.922 O100', '895.922 Ô100'],
    ['895.922 Ô100', '895.922 Ơ100'],
    ['895.922 U100', '895.922 Ư100'],
    ['895.922 Ư100', '895.922 V100'],
  ])('%j files before %j', (a, b) => {
    expect(shelfKey(a, 'ddc') < shelfKey(b, 'ddc')).toBe(true);
  });

  it.each([
    ['004.6 N573', '004.6N573'],
    ['004.6 N573', '004.6 .N573'],
    ['895.922 NG527', '895.922 Ng527'],
    ['895.922 NG527', '  895.922   NG527  '],
    ['895.9223 Tr121', '895.922/3 Tr121'],
    ['895.9223 Tr121', "895.922'3 Tr121"],
    ['895.9223 Tr121 t.2', '895.9223 Tr121 t. 2'],
    ['895.9223 Tr121 t.2', '895.9223 Tr121 T.2'],
    ['895.9223 Tr121 t.2', '895.9223 Tr121 tập 2'],
    ['895.9223 Tr121 t.2', '895.9223 Tr121 q.2'],
    ['895.9223 Tr121 2003', '895.9223 Tr121 c2003'],
    ['895.9223 Tr121 2003', '895.9223 Tr121 [2003]'],
    ['R 004.6 N573', 'R004.6 N573'],
    ['895.922 Đ455', '895.922 đ455'],
    ['895.922 Đ455', '895.922 Đ455'.normalize('NFD')],
  ])('%j and %j have the same key', (a, b) => {
    expect(shelfKey(b, 'ddc')).toBe(shelfKey(a, 'ddc'));
  });

  it('pins the key format', () => {
    expect(shelfKey('004.6 N573', 'ddc')).toBe('A0004.6 1N0 573  ');
    expect(shelfKey('895.9221 NG527T t.10', 'ddc')).toBe('A0895.9221 1N0G0 527 T0 3210 ');
    expect(shelfKey('R 004.6', 'ddc')).toBe('BR0 0004.6 ');
    expect(shelfKey('895.922 Đ455 2003', 'ddc')).toBe('A0895.922 1D1 455  22003 ');
  });

  it('can interleave prefixed call numbers with the main sequence', () => {
    expectShelfOrder(['004.6 N573', 'R 004.6 N573', '004.67 A1', 'VN 004.67 A1', '895.922 NG527', 'R 895.922 NG527'], 'ddc', {
      prefix: 'interleave',
    });
  });
});

describe('shelfKey: UDC', () => {
  it('files auxiliaries in the UDC filing order', () => {
    expectShelfOrder(
      [
        '9(597)',
        '94+95',
        '94/99',
        '94',
        '94:32',
        '94=111',
        '94(075)',
        '94(075.8)',
        '94(4)',
        '94(410)',
        '94(597)',
        '94(597) Tr121',
        '94(597)"19"',
        '94(597)"1945"',
        '94(=411)',
        '94"19"',
        '94*Viet',
        '94Viet',
        '94-0',
        '94-1',
        '940',
        "94'",
        '941',
      ],
      'udc',
    );
  });

  it('files a realistic shelf list', () => {
    expectShelfOrder(
      [
        '02',
        '027.4',
        '027.4(597)',
        '027.4(597) NG527',
        '027.4(597) NG527 t.2',
        '027.5',
        '53',
        '53(075.3)',
        '53(075.3) V100',
        '530.1',
        '621.39',
        '621.391',
        '821.111-31',
        '821.161.1-31',
        '895.922-1 NG527',
        'R 027.4(597)',
      ],
      'udc',
    );
  });

  it.each([
    ['94(597)"19"', '94 (597) "19"'],
    ['53.08', '5308'],
    ['027.4(597)', '027.4(597)'.normalize('NFD')],
  ])('%j and %j have the same key', (a, b) => {
    expect(shelfKey(b, 'udc')).toBe(shelfKey(a, 'udc'));
  });
});

describe('shelfKey: BBK', () => {
  it('files numeric and letter-index classes in BBK order', () => {
    expectShelfOrder(
      [
        '22.3',
        '22.3я7',
        '22.3(2)',
        '22.31',
        '63',
        '63.3',
        '63.3я7',
        '63.3(1)',
        '63.3(2)',
        '63.3(2Рос)',
        '63.3(5Вьет)',
        '63.3(5Вьет)-4',
        '63.3-1',
        '63.31',
        '84(2Рос=Рус)6',
        '84(2Рос=Рус)6-44',
        '84(2Рос=Рус)6-44 Т48',
        '84(2Рос=Рус)6-44 Ш20',
        '84(23)',
        'V23(1)',
        'V23(1) Đ455',
        'V23(1) NG527',
        'V23(1) NG527 T.2',
        'Ф0',
        'Ф0я7',
        'Ф69',
        'Ч2',
        'Ч30/49',
        'Ч30',
        'Ш5',
        'Щ03',
      ],
      'bbk',
    );
  });

  it.each([
    ['84(2Рос=Рус)6-44 Т48', '84(2Рос=Рус)6-44 Т 48'],
    ['63.3(2)', '63.3 (2)'],
    ['V23(1)', 'V23(1)'.normalize('NFD')],
  ])('%j and %j have the same key', (a, b) => {
    expect(shelfKey(b, 'bbk')).toBe(shelfKey(a, 'bbk'));
  });
});

describe('shelfKey: other schemes', () => {
  it('files naturally: whole numbers by value, decimals after a point as fractions', () => {
    expectShelfOrder(
      ['QA9 .B2', 'QA76.73', 'QA76.73 .J38', 'QA76.73 .J38 2003', 'QA76.8 .A1', 'VV 999', 'VV 1234', 'VV 12345', 'VV 12345 c.2'],
      'other',
    );
  });
});

describe('shelfKey: any input', () => {
  it.each(['', '   ', '???', '()(((', '"""', 'Đ', '.', '-', '0', '99999999999999999999', 'ж', '🙂', 't.', 'c.', '№'])(
    '%j gives a printable ASCII key in every scheme',
    (input) => {
      for (const scheme of ['ddc', 'udc', 'bbk', 'other'] as const) {
        const key = shelfKey(input, scheme);
        expect(key).toMatch(/^[\x20-\x7e]*$/);
      }
    },
  );

  it('gives an empty key for an empty call number', () => {
    expect(shelfKey('', 'ddc')).toBe('');
    expect(shelfKey('  ', 'udc')).toBe('');
  });

  it('keys of realistic call numbers are printable ASCII', () => {
    for (const cn of ['895.9223 Tr121t', '84(2Рос=Рус)6-44 Т48', '94(597)"19"', 'VN 895.922 NG527 tập 2']) {
      for (const scheme of ['ddc', 'udc', 'bbk', 'other'] as const) expect(shelfKey(cn, scheme)).toMatch(/^[\x20-\x7e]+$/);
    }
  });
});
