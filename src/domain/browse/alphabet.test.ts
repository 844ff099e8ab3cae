import { describe, expect, it } from 'vitest';
import { BUCKETS, LETTERS, OTHER, browseKey, filingText, letterOfKey, letterRange, parseLetter, prefixBound, type BrowseLetter } from './alphabet.js';
import { compareVi } from '../../text/fold.js';

const inRange = (key: string, l: BrowseLetter) => {
  const r = letterRange(l);
  return key >= r.from && key < r.to;
};

describe('browse keys file headings by their first letter, in Vietnamese order', () => {
  it.each<[string, BrowseLetter]>([
    ['Anh Đức', 'A'],
    ['ăn uống', 'Ă'],
    ['Ẩm thực Huế', 'Â'],
    ['Dương Thu Hương', 'D'],
    ['Đỗ Chu', 'Đ'],
    ['đặng Thai Mai', 'Đ'],
    ['Ðỗ Chu (a capital eth, typed for Đ)', 'Đ'],
    ['Ê-đê (dân tộc)', 'Ê'],
    ['Ếch', 'Ê'],
    ['Fukuzawa Yukichi', 'F'],
    ['Jules Verne', 'J'],
    ['Ơn nghĩa', 'Ơ'],
    ['Ốc đảo', 'Ô'],
    ['Ưu Đàm', 'Ư'],
    ['Ủy ban nhân dân', 'U'],
    ['Wikipedia', 'W'],
    ['Zola, Émile', 'Z'],
    ['Émile Zola', 'E'],
    ['“Ai” cũng có thể', 'A'],
    ['[Tên] không rõ', 'T'],
    ['...và gió', 'V'],
    ['1945: Cách mạng', OTHER],
    ['Толстой, Лев', OTHER],
    ['魯迅', OTHER],
    ['!!!', OTHER],
    ['', OTHER],
  ])('%j is filed under %s', (heading, letter) => {
    const key = browseKey(heading);
    expect(letterOfKey(key)).toBe(letter);
    expect(inRange(key, letter)).toBe(true);
    for (const other of BUCKETS) if (other !== letter) expect(inRange(key, other)).toBe(false);
  });

  it('orders headings as the Vietnamese collator does (tones after letters, D before Đ), with keys compared as bytes', () => {
    const headings = ['Đỗ Chu', 'Dương Thu Hương', 'Đặng Thai Mai', 'Dạ Ngân', 'Anh Đức', 'Ánh', 'Ăn', 'Âu Cơ', 'Bảo Ninh', 'Nguyễn Du', 'Nguyễn Duy', 'Nguyễn Dư', 'Ngô Tất Tố', 'Ngô Thì Nhậm', 'ơ', 'Ô', 'o', 'Z', 'Y', 'Xuân Diệu', 'Ưng', 'Uông'];
    const byKey = [...headings].sort((a, b) => (browseKey(a) < browseKey(b) ? -1 : browseKey(a) > browseKey(b) ? 1 : 0));
    const byCollator = [...headings].sort(compareVi);
    expect(byKey).toEqual(byCollator);
  });

  it('puts the buckets in list order, each key range after the one before', () => {
    for (let i = 1; i < BUCKETS.length; i++) expect(letterRange(BUCKETS[i - 1]!).to <= letterRange(BUCKETS[i]!).from).toBe(true);
    expect(LETTERS).toHaveLength(33);
  });

  it('skips only leading punctuation when filing', () => {
    expect(filingText('  «Nhật ký» trong tù')).toBe('Nhật ký» trong tù');
    expect(filingText('Ngo\u0302 Ta\u0302\u0301t To\u0302\u0301')).toBe('Ngô Tất Tố');
  });
});

describe('jumping to a prefix', () => {
  it('lands on the first heading at or after the prefix, whatever its tones and case', () => {
    const bound = prefixBound('Ngu')!;
    expect(browseKey('Ngũ Hành Sơn') >= bound).toBe(true);
    expect(browseKey('Nguyễn Du') >= bound).toBe(true);
    expect(browseKey('nguyên') >= bound).toBe(true);
    expect(browseKey('Ngô Tất Tố') < bound).toBe(true);
    expect(browseKey('Ng') < bound).toBe(true);
    expect(letterOfKey(bound)).toBe('N');
    expect(letterOfKey(prefixBound('đinh')!)).toBe('Đ');
    expect(letterOfKey(prefixBound('dinh')!)).toBe('D');
    expect(letterOfKey(prefixBound('19')!)).toBe(OTHER);
  });

  it('has nothing to file by for punctuation or blanks', () => {
    expect(prefixBound('')).toBeNull();
    expect(prefixBound('  ')).toBeNull();
    expect(prefixBound('?!…')).toBeNull();
  });
});

describe('letters as written in links', () => {
  it.each<[string, BrowseLetter | null]>([
    ['A', 'A'],
    ['a', 'A'],
    ['đ', 'Đ'],
    ['Đ', 'Đ'],
    ['D\u0306', null],
    ['A\u0306', 'Ă'],
    ['ư', 'Ư'],
    ['f', 'F'],
    ['0-9', OTHER],
    ['0–9', OTHER],
    ['#', OTHER],
    ['Ấ', null],
    ['AB', null],
    ['<script>', null],
    ['', null],
  ])('%j → %j', (raw, letter) => {
    expect(parseLetter(raw)).toBe(letter);
  });
});
