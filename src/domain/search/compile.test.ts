import { describe, expect, it } from 'vitest';
import { compileQuery, describeExpr, type CompileOptions, type QueryWord } from './compile.js';
import { parseQuery } from './query.js';

const compile = (q: string, opts?: CompileOptions) => compileQuery(parseQuery(q).node, opts);
const expr = (q: string, opts?: CompileOptions) => describeExpr(compile(q, opts).expr);

/**
 * Query text → match expression. Unfielded words search every text column (no prefix shown);
 * fielded ones show their columns; `meta:` holds `all`, years and holdings.
 */
describe('compileQuery: match expressions', () => {
  it.each([
    // Unfielded words, folded
    ['thư viện', 'AND(thu, vien)'],
    ['Thư viện tỉnh Kiên Giang', 'AND(thu, vien, tinh, kien, giang)'],
    ['Đường', 'duong'],
    ['ĐƯỜNG', 'duong'],
    ['kỹ thuật', 'AND(ki, thuat)'],
    ['kĩ thuật', 'AND(ki, thuat)'],
    ['hòa bình', 'AND(hoa, binh)'],
    ['hoà bình', 'AND(hoa, binh)'],
    // Phrases and adjacent syllables
    ['"lịch sử" việt', 'AND("lich su", viet)'],
    ['"Việt"', 'viet'],
    ['e-book', '"e book"'],
    // Fields
    ['title:Đường', 'title:duong'],
    ['nhande:"viet nam"', 'title:"viet nam"'],
    ['author:"Nguyễn Du"', 'author:"nguyen du"'],
    ['tacgia:nam', 'author:nam'],
    ['subject:(a OR b)', 'OR(subject:a, subject:b)'],
    ['publisher:"chính trị"', 'publisher:"chinh tri"'],
    ['series:"tu sach"', 'series:"tu sach"'],
    ['callnumber:959.7', 'callnumber:"959 7"'],
    ['title:lich author:le', 'AND(title:lich, author:le)'],
    // Prefix
    ['thu*', 'thu*'],
    ['title:lịc*', 'title:lic*'],
    ['t*', 't'],
    // ISBN and ISSN: both ISBN forms, lower-case X, ISSN without hyphen
    ['978-604-1-12348-9', 'OR(ident:9786041123489, ident:604112348x)'],
    ['604112348X', 'OR(ident:9786041123489, ident:604112348x)'],
    ['isbn:9786041123489', 'OR(ident:9786041123489, ident:604112348x)'],
    ['isbn:979-10-90636-07-1', 'ident:9791090636071'],
    ['0317-8471', 'ident:03178471'],
    ['issn:1859-459X', 'ident:1859459x'],
    ['ky thuat 978-604-1-12348-9', 'AND(ki, thuat, OR(ident:9786041123489, ident:604112348x))'],
    // Boolean structure
    ['kien OR thuy', 'OR(kien, thuy)'],
    ['(duong OR hoa) AND binh', 'AND(OR(duong, hoa), binh)'],
    // Negation: kept beside a positive part, else anchored on `meta:all`
    ['a -b', 'AND(a, NOT(b))'],
    ['lich su NOT nam', 'AND(lich, su, NOT(nam))'],
    ['-sach', 'AND(meta:all, NOT(sach))'],
    ['-a -b', 'AND(meta:all, NOT(a), NOT(b))'],
    ['NOT (a OR b)', 'AND(meta:all, NOT(OR(a, b)))'],
    ['a OR -b', 'OR(a, AND(meta:all, NOT(b)))'],
    ['a OR (b -c)', 'OR(a, AND(b, NOT(c)))'],
    ['a OR (-b -c)', 'OR(a, AND(meta:all, NOT(b), NOT(c)))'],
    ['-title:"viet nam"', 'AND(meta:all, NOT(title:"viet nam"))'],
    ['-year:2015', 'AND(meta:all, NOT(meta:y2015))'],
    // Nothing to search
    ['', '*'],
    ['!!!', '*'],
  ])('%j → %s', (q, expected) => {
    expect(expr(q)).toBe(expected);
  });
});

describe('compileQuery: years', () => {
  it.each<[string, string, number | null, number | null]>([
    // A top-level year (alone or ANDed) is a filter, not a term.
    ['year:2015', '*', 2015, 2015],
    ['nam:2015', '*', 2015, 2015],
    ['year:2010-2015 lich', 'lich', 2010, 2015],
    ['lich year:2010..2015', 'lich', 2010, 2015],
    ['year:>2010 lich', 'lich', 2011, 9999],
    ['year:<=1975 lich', 'lich', 0, 1975],
    // Two ranges: their intersection.
    ['lich year:2010..2015 year:2012-2020', 'lich', 2012, 2015],
    ['year:2015 -sach', 'AND(meta:all, NOT(sach))', 2015, 2015],
    // Nested: an OR of year tokens.
    ['lich OR year:2015', 'OR(lich, meta:y2015)', null, null],
    ['lich OR year:2014-2016', 'OR(lich, OR(meta:y2014, meta:y2015, meta:y2016))', null, null],
    ['(lich year:2015) OR kien', 'OR(AND(lich, meta:y2015), kien)', null, null],
    // Nested open ranges are clamped to 1000–2100 (the years a record can carry)…
    ['lich OR year:>2097', 'OR(lich, OR(meta:y2098, meta:y2099, meta:y2100))', null, null],
    ['lich OR year:<1002', 'OR(lich, OR(meta:y1000, meta:y1001))', null, null],
    // …and a range no record can have matches nothing (it does not widen the query).
    ['lich OR year:3000', 'OR(lich, AND(meta:all, NOT(meta:all)))', null, null],
    ['(lich year:1200) OR kien', 'OR(AND(lich, meta:y1200), kien)', null, null],
  ])('%j → %s, years %s..%s', (q, expected, from, to) => {
    const c = compile(q);
    expect(describeExpr(c.expr)).toBe(expected);
    expect([c.yearFrom, c.yearTo]).toEqual([from, to]);
  });

  it.each([
    ['lich OR year:>2010', 90],
    ['lich OR year:<2000', 1000],
    ['lich OR year:0-9999', 1101],
  ])('%j expands to %i year tokens at most', (q, n) => {
    const e = compile(q).expr!;
    expect(e.op).toBe('or');
    const years = e.op === 'or' ? e.args[1]! : e;
    expect(years.op === 'or' ? years.args.length : 1).toBe(n);
  });
});

describe('compileQuery: holdings scope', () => {
  it.each<[string, CompileOptions, string]>([
    ['thu vien', { heldUnder: 5 }, 'AND(meta:u5, thu, vien)'],
    ['thu vien', { availableUnder: 7 }, 'AND(meta:a7, thu, vien)'],
    ['thu vien', { heldUnder: 5, availableUnder: 7 }, 'AND(meta:u5, meta:a7, thu, vien)'],
    ['thu', { heldUnder: 5 }, 'AND(meta:u5, thu)'],
    ['kien OR thuy', { heldUnder: 5 }, 'AND(meta:u5, OR(kien, thuy))'],
    ['-sach', { heldUnder: 5 }, 'AND(meta:u5, meta:all, NOT(sach))'],
    ['', { heldUnder: 5 }, 'meta:u5'],
    ['', { heldUnder: 5, availableUnder: 7 }, 'AND(meta:u5, meta:a7)'],
    ['year:2015', { availableUnder: 7 }, 'meta:a7'],
    ['thu', { heldUnder: null, availableUnder: null }, 'thu'],
  ])('%j with %j → %s', (q, opts, expected) => {
    expect(expr(q, opts)).toBe(expected);
  });
});

describe('compileQuery: words for ranking', () => {
  type W = [field: QueryWord['field'], folded: string, exact: (string | null)[], prefix: boolean, phrase: boolean];
  const brief = (w: QueryWord): W => [w.field, w.folded.join(' '), w.exact, w.prefix, w.phrase];

  it.each<[string, W[]]>([
    // Exact forms only where the reader typed marks.
    ['duong', [[null, 'duong', [null], false, false]]],
    ['Đường', [[null, 'duong', ['dduwowngf'], false, false]]],
    ['Dương', [[null, 'duong', ['duwowng'], false, false]]],
    ['đuong', [[null, 'duong', ['dduong'], false, false]]],
    ['thư viện', [[null, 'thu', ['thuw'], false, false], [null, 'vien', ['vieenj'], false, false]]],
    ['thư vien', [[null, 'thu', ['thuw'], false, false], [null, 'vien', [null], false, false]]],
    // Old and new placement, i/y: one exact form.
    ['hòa', [[null, 'hoa', ['hoaf'], false, false]]],
    ['hoà', [[null, 'hoa', ['hoaf'], false, false]]],
    ['kỹ', [[null, 'ki', ['kix'], false, false]]],
    ['kĩ', [[null, 'ki', ['kix'], false, false]]],
    // Phrases: one word, exact per syllable.
    ['author:"Nguyễn Du"', [['author', 'nguyen du', ['nguyeenx', null], false, true]]],
    ['"lịch sử" việt', [[null, 'lich su', ['lichj', 'suwr'], false, true], [null, 'viet', ['vieetj'], false, false]]],
    ['e-book', [[null, 'e book', [null, null], false, true]]],
    ['"Việt"', [[null, 'viet', ['vieetj'], false, false]]],
    // Prefix
    ['lịc*', [[null, 'lic', ['licj'], true, false]]],
    ['title:thu*', [['title', 'thu', [null], true, false]]],
    // Negated words are not ranked; words under OR are.
    ['lich su -can', [[null, 'lich', [null], false, false], [null, 'su', [null], false, false]]],
    ['-sach', []],
    ['kien OR thuy', [[null, 'kien', [null], false, false], [null, 'thuy', [null], false, false]]],
    ['a OR (b -c)', [[null, 'a', [null], false, false], [null, 'b', [null], false, false]]],
    // Identifiers and years are no words.
    ['978-604-1-12348-9', []],
    ['year:2015 lich', [[null, 'lich', [null], false, false]]],
    ['publisher:tre', [['publisher', 'tre', [null], false, false]]],
  ])('%j', (q, words) => {
    expect(compile(q).words.map(brief)).toEqual(words);
  });
});
