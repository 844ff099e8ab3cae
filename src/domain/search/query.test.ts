import { describe, expect, it } from 'vitest';
import { describeQuery, parseQuery, queryTokens, SEARCH_FIELDS, type QueryNode, type QueryProblem } from './query.js';

type Code = QueryProblem['code'];

const codes = (input: string, limits?: { maxLength?: number; maxTerms?: number }): Code[] =>
  parseQuery(input, limits).problems.map((p) => p.code);

/** Every rule as input → canonical form and the codes of the problems reported, in order. */
function check(input: string, expected: string, problems: Code[] = []): void {
  const parsed = parseQuery(input);
  expect(describeQuery(parsed.node)).toBe(expected);
  expect(parsed.problems.map((p) => p.code)).toEqual(problems);
}

describe('parseQuery: words, phrases and operators', () => {
  it.each<[string, string, Code[]?]>([
    ['thư viện', 'AND(thư, viện)'],
    ['  Thư   VIỆN  ', 'AND(thư, viện)'],
    // NFD input is composed: the tokens are NFC.
    ['Thu\u031b vie\u0323\u0302n', 'AND(thư, viện)'],
    ['"thư viện" xã', 'AND("thư viện", xã)'],
    ['\u201cthư viện\u201d', '"thư viện"'],
    ['„thư viện"', '"thư viện"'],
    ['e-book', 'e-book'],
    ['http://thuvien.vn/sach', 'http-thuvien-vn-sach'],
    ['a AND b', 'AND(a, b)'],
    ['a OR b', 'OR(a, b)'],
    ['a OR b c', 'OR(a, AND(b, c))'],
    ['a b OR c', 'OR(AND(a, b), c)'],
    ['(a OR b) c', 'AND(OR(a, b), c)'],
    ['a AND (b OR c)', 'AND(a, OR(b, c))'],
    ['a OR NOT b c', 'OR(a, AND(NOT(b), c))'],
    ['NOT a b', 'AND(NOT(a), b)'],
    ['a NOT b', 'AND(a, NOT(b))'],
    ['a -b', 'AND(a, NOT(b))'],
    ['a -"thư viện"', 'AND(a, NOT("thư viện"))'],
    ['a -(b c)', 'AND(a, NOT(AND(b, c)))'],
    ['a -title:b', 'AND(a, NOT(title:b))'],
    ['NOT NOT a', 'a'],
    ['a VÀ b', 'AND(a, b)'],
    ['a HOẶC b', 'OR(a, b)'],
    ['a KHÔNG b', 'AND(a, NOT(b))'],
    ['a and b or not c', 'AND(a, and, b, or, not, c)'],
    ['a và b hoặc không', 'AND(a, và, b, hoặc, không)'],
    ['a Or b', 'AND(a, or, b)'],
    ['-AND', 'NOT(and)', ['query.only_negative']],
    // flattening, duplicates, empty groups
    ['a (b (c d)) e', 'AND(a, b, c, d, e)'],
    ['a OR (b OR (c OR d))', 'OR(a, b, c, d)'],
    ['a a A', 'a'],
    ['(a) () b', 'AND(a, b)'],
    ['((a))', 'a'],
    ['a (b OR (c))', 'AND(a, OR(b, c))'],
    // punctuation-only words and `-` before nothing vanish silently
    ['a ! ... 📚 b', 'AND(a, b)'],
    ['a - b', 'AND(a, b)'],
    ['a --b', 'AND(a, b)'],
    ['c++ C#', 'c'],
  ])('%j → %s', (input, expected, problems) => check(input, expected, problems));
});

describe('parseQuery: prefixes', () => {
  it.each<[string, string]>([
    ['thư*', 'thư*'],
    ['Nguy*', 'nguy*'],
    ['ab*', 'ab*'],
    ['ab**', 'ab*'],
    ['a*', 'a'],
    ['*', ''],
    ['* sách', 'sách'],
    ['e-book*', 'e-book'],
    ['*ab', 'ab'],
    ['a*b', 'a-b'],
    ['"thư vi*"', '"thư vi"'],
    ['title:ngu*', 'title:ngu*'],
  ])('%j → %s', (input, expected) => {
    const parsed = parseQuery(input);
    expect(describeQuery(parsed.node)).toBe(expected);
    expect(parsed.problems.filter((p) => p.code !== 'query.empty')).toEqual([]);
  });
});

describe('parseQuery: fields', () => {
  it.each<[string, string, Code[]?]>([
    ['title:sách', 'title:sách'],
    ['TITLE:sách', 'title:sách'],
    ['Author:"Nguyễn Du"', 'author:"nguyễn du"'],
    ['title:(a OR b)', 'OR(title:a, title:b)'],
    ['title:(a author:b)', 'AND(title:a, author:b)'],
    ['title:(a "b c" do*)', 'AND(title:a, title:"b c", title:do*)'],
    ['subject:(lịch sử) Huế', 'AND(subject:lịch, subject:sử, huế)'],
    ['-author:(a OR b)', 'NOT(OR(author:a, author:b))', ['query.only_negative']],
    ['title:AND', 'title:and'],
    ['publisher:Kim-Đồng', 'publisher:kim-đồng'],
    ['callnumber:895.922', 'callnumber:895-922'],
    ['series:"Tủ sách"', 'series:"tủ sách"'],
    // Vietnamese aliases without tones
    ['nhande:a tieude:b', 'AND(title:a, title:b)'],
    ['tacgia:a', 'author:a'],
    ['chude:a', 'subject:a'],
    ['nxb:a NhaXuatBan:b', 'AND(publisher:a, publisher:b)'],
    ['nam:2015', 'year[2015]'],
    ['kyhieu:a sohieu:b', 'AND(callnumber:a, callnumber:b)'],
    ['tungthu:a', 'series:a'],
    // unknown fields are plain words
    ['foo:bar', 'AND(foo, bar)', ['query.unknown_field']],
    ['x foo:"a b"', 'AND(x, foo, "a b")', ['query.unknown_field']],
    ['foo:(a OR b)', 'AND(foo, OR(a, b))', ['query.unknown_field']],
    ['-foo:bar x', 'AND(NOT(AND(foo, bar)), x)', ['query.unknown_field']],
    ['Potter:Hòn đá', 'AND(potter, hòn, đá)', ['query.unknown_field']],
    ['title:(foo:bar)', 'AND(title:foo, title:bar)', ['query.unknown_field']],
    // not fields at all
    ['http://x', 'http-x'],
    ['title: sách', 'AND(title, sách)'],
    ['sách title:', 'AND(sách, title)'],
    ['a::b', 'a-b'],
    ['Việt:Nam', 'việt-nam'],
    ['10:30', '10-30'],
  ])('%j → %s', (input, expected, problems) => check(input, expected, problems));

  it('knows every field by its own name', () => {
    for (const field of SEARCH_FIELDS) {
      const value = field === 'year' ? '2015' : field === 'isbn' ? '9786041123489' : field === 'issn' ? '0317-8471' : 'x';
      const parsed = parseQuery(`${field.toUpperCase()}:${value}`);
      expect(parsed.problems).toEqual([]);
      expect(parsed.node?.kind === 'term' ? parsed.node.field : parsed.node?.kind).toBe(field);
    }
  });
});

describe('parseQuery: ISBN and ISSN', () => {
  it.each<[string, string, Code[]?]>([
    ['isbn:978-604-1-12348-9', 'isbn[9786041123489|604112348X]'],
    ['isbn:9786041123489', 'isbn[9786041123489|604112348X]'],
    ['isbn:604112348X', 'isbn[9786041123489|604112348X]'],
    ['isbn:604112348x', 'isbn[9786041123489|604112348X]'],
    ['isbn:6041123455', 'isbn[9786041123458|6041123455]'],
    ['isbn:979-10-90636-07-1', 'isbn[9791090636071]'],
    ['isbn:"978 604 1 12348 9"', 'isbn[9786041123489|604112348X]'],
    ['isbn:(9786041123489 OR 0-306-40615-2)', 'OR(isbn[9786041123489|604112348X], isbn[9780306406157|0306406152])'],
    // bare numbers with a valid check digit
    ['978-604-1-12348-9', 'isbn[9786041123489|604112348X]'],
    ['9786041123489', 'isbn[9786041123489|604112348X]'],
    ['604112348X', 'isbn[9786041123489|604112348X]'],
    ['0-306-40615-2 vật lý', 'AND(isbn[9780306406157|0306406152], vật, lý)'],
    ['-9786041123489', 'NOT(isbn[9786041123489|604112348X])', ['query.only_negative']],
    // wrong check digits: under isbn: searched as typed; bare, just words
    ['isbn:9786041123480', 'isbn[9786041123480]', ['query.bad_isbn']],
    ['isbn:978-604-1-12348', 'isbn[978604112348]', ['query.bad_isbn']],
    ['isbn:abc', '', ['query.bad_isbn', 'query.empty']],
    ['9786041123480', '9786041123480'],
    ['978-604-1-12348-0', '978-604-1-12348-0'],
    ['title:9786041123489', 'title:9786041123489'],
    ['"9786041123489"', '"9786041123489"'],
    // ISSN
    ['issn:0317-8471', 'issn[03178471]'],
    ['issn:03178471', 'issn[03178471]'],
    ['issn:1000-002x', 'issn[1000002X]'],
    ['0317-8471', 'issn[03178471]'],
    ['1000-002X', 'issn[1000002X]'],
    ['0317-8472', '0317-8472'],
    ['03178471', '03178471'],
    ['issn:0317-8472', 'issn[03178472]', ['query.bad_isbn']],
    ['issn:12', '', ['query.bad_isbn', 'query.empty']],
  ])('%j → %s', (input, expected, problems) => check(input, expected, problems));
});

describe('parseQuery: years', () => {
  it.each<[string, string, Code[]?]>([
    ['year:2015', 'year[2015]'],
    ['year:2010-2015', 'year[2010..2015]'],
    ['year:2010\u20132015', 'year[2010..2015]'],
    ['year:2010..2015', 'year[2010..2015]'],
    ['year:2015-2010', 'year[2010..2015]'],
    ['year:2010..', 'year[2010..9999]'],
    ['year:..1975', 'year[0..1975]'],
    ['year:>2010', 'year[2011..9999]'],
    ['year:>=2010', 'year[2010..9999]'],
    ['year:<1975', 'year[0..1974]'],
    ['year:<=1975', 'year[0..1975]'],
    ['year:"2010 - 2015"', 'year[2010..2015]'],
    ['year:(2010 OR >2020)', 'OR(year[2010], year[2021..9999])'],
    ['sách year:2015', 'AND(sách, year[2015])'],
    ['-year:<2000 sách', 'AND(NOT(year[0..1999]), sách)'],
    ['2015', '2015'],
    ['year:abc', '', ['query.bad_year', 'query.empty']],
    ['sách year:20155', 'sách', ['query.bad_year']],
    ['sách year:>9999', 'sách', ['query.bad_year']],
    ['sách year:<0', 'sách', ['query.bad_year']],
    ['sách year:2010.2015', 'sách', ['query.bad_year']],
    ['sách year:..', 'sách', ['query.bad_year']],
  ])('%j → %s', (input, expected, problems) => check(input, expected, problems));
});

describe('parseQuery: repairs', () => {
  it.each<[string, string, Code[]]>([
    ['', '', ['query.empty']],
    ['   ', '', ['query.empty']],
    ['!!! ... ---', '', ['query.empty']],
    [':::', '', ['query.empty']],
    ['-', '', ['query.empty']],
    ['📚 🇻🇳', '', ['query.empty']],
    ['NOT', '', ['query.stray_operator', 'query.empty']],
    ['OR OR', '', ['query.stray_operator', 'query.empty']],
    ['AND OR', '', ['query.stray_operator', 'query.stray_operator', 'query.empty']],
    ['AND a', 'a', ['query.stray_operator']],
    ['a OR', 'a', ['query.stray_operator']],
    ['a AND OR b', 'OR(a, b)', ['query.stray_operator']],
    ['a OR OR b', 'OR(a, b)', ['query.stray_operator']],
    ['(OR a)', 'a', ['query.stray_operator']],
    ['a NOT', 'a', ['query.stray_operator']],
    ['a OR ()', 'a', ['query.stray_operator']],
    ['"thư viện', '"thư viện"', ['query.unbalanced_quote']],
    ['a "b c" "d', 'AND(a, "b c", "d")', ['query.unbalanced_quote']],
    ['"""', '', ['query.unbalanced_quote', 'query.empty']],
    ['""', '', ['query.empty']],
    ['(a OR b', 'OR(a, b)', ['query.unbalanced_paren']],
    ['(((', '', ['query.unbalanced_paren', 'query.empty']],
    ['a OR b)', 'OR(a, b)', ['query.unbalanced_paren']],
    ['a) OR (b', 'OR(a, b)', ['query.unbalanced_paren', 'query.unbalanced_paren']],
    ['title:(a b', 'AND(title:a, title:b)', ['query.unbalanced_paren']],
    ['-sách', 'NOT(sách)', ['query.only_negative']],
    ['-a -b', 'AND(NOT(a), NOT(b))', ['query.only_negative']],
    ['a OR -b', 'OR(a, NOT(b))', ['query.only_negative']],
    ['NOT (a OR b)', 'NOT(OR(a, b))', ['query.only_negative']],
    ['a\u0000b\u0007 c\nd\te', 'AND(ab, c, d, e)', []],
    ['thư\u00advi\u200bện \u202eabc\u202c', 'AND(thưviện, abc)', []],
    ['مكتبة OR ספרייה', 'OR(مكتبة, ספרייה)', []],
  ])('%j → %s', (input, expected, problems) => check(input, expected, problems));

  it('reports a problem once, with a detail', () => {
    expect(parseQuery('AND a OR OR b AND').problems).toEqual([
      { code: 'query.stray_operator', detail: 'AND' },
      { code: 'query.stray_operator', detail: 'OR' },
    ]);
    expect(parseQuery('foo:a foo:b bar:c').problems).toEqual([
      { code: 'query.unknown_field', detail: 'foo' },
      { code: 'query.unknown_field', detail: 'bar' },
    ]);
    expect(parseQuery('year:20x5').problems).toEqual([
      { code: 'query.bad_year', detail: '20x5' },
      { code: 'query.empty' },
    ]);
  });
});

describe('parseQuery: limits', () => {
  it('truncates at maxLength characters, dropping a word cut in two', () => {
    const parsed = parseQuery('thư viện tỉnh', { maxLength: 11 });
    expect(describeQuery(parsed.node)).toBe('AND(thư, viện)');
    expect(parsed.problems).toEqual([{ code: 'query.truncated', detail: '11' }]);
    expect(describeQuery(parseQuery('thư viện tỉnh', { maxLength: 10 }).node)).toBe('AND(thư, viện)');
    expect(describeQuery(parseQuery('thư viện tỉnh', { maxLength: 9 }).node)).toBe('AND(thư, viện)');
    expect(describeQuery(parseQuery('thư viện tỉnh', { maxLength: 8 }).node)).toBe('AND(thư, viện)');
    expect(describeQuery(parseQuery('thư viện tỉnh', { maxLength: 7 }).node)).toBe('thư');
    // one long word is cut rather than lost
    expect(describeQuery(parseQuery('abcdefgh', { maxLength: 3 }).node)).toBe('abc');
  });

  it('counts characters, not UTF-16 units, and does not report what the cut unbalanced', () => {
    expect(describeQuery(parseQuery('📚📚📚 ab', { maxLength: 6 }).node)).toBe('ab');
    expect(codes('a "b c d" e', { maxLength: 6 })).toEqual(['query.truncated']);
    expect(codes('a (b OR c)', { maxLength: 7 })).toEqual(['query.truncated']);
    expect(codes('a OR b', { maxLength: 4 })).toEqual(['query.truncated']);
  });

  it('uses 500 characters by default', () => {
    expect(codes('x'.repeat(501))).toEqual(['query.truncated']);
    expect(codes('x'.repeat(500))).toEqual([]);
  });

  it('stops at maxTerms terms', () => {
    const words = Array.from({ length: 40 }, (_, i) => `w${i}`);
    const parsed = parseQuery(words.join(' OR '));
    expect(parsed.terms).toBe(32);
    expect(parsed.problems).toEqual([{ code: 'query.too_many_terms', detail: '32' }]);
    expect(describeQuery(parsed.node)).toBe(`OR(${words.slice(0, 32).join(', ')})`);

    const few = parseQuery('a "b c" year:2015 isbn:9786041123489 e', { maxTerms: 3 });
    expect(describeQuery(few.node)).toBe('AND(a, "b c", year[2015])');
    expect(few.problems.map((p) => p.code)).toEqual(['query.too_many_terms']);
    expect(describeQuery(parseQuery('(a OR (b c', { maxTerms: 1 }).node)).toBe('a');
    expect(codes('a b', { maxTerms: 0 })).toEqual(['query.too_many_terms', 'query.empty']);
  });

  it('ignores limits that are not numbers of characters', () => {
    expect(codes('a b', { maxLength: Number.NaN, maxTerms: -1 })).toEqual([]);
  });

  it('ignores parentheses nested too deep instead of recursing', () => {
    const deep = '('.repeat(5000) + 'a OR b' + ')'.repeat(5000);
    const parsed = parseQuery(deep, { maxLength: 20_000 });
    expect(describeQuery(parsed.node)).toBe('OR(a, b)');
    expect(parsed.problems.map((p) => p.code)).toEqual(['query.unbalanced_paren']);
  });
});

describe('parseQuery: nodes', () => {
  it('keeps the original text, NFC with its case, and lower-case NFC tokens', () => {
    const parsed = parseQuery('Thu\u031b* author:"Nguye\u0302\u0303n Du" -Ebook');
    expect(parsed.node).toEqual<QueryNode>({
      kind: 'and',
      children: [
        { kind: 'term', field: null, tokens: ['thư'], prefix: true, original: 'Thư*' },
        { kind: 'phrase', field: 'author', tokens: ['nguyễn', 'du'], original: 'Nguyễn Du' },
        { kind: 'not', child: { kind: 'term', field: null, tokens: ['ebook'], prefix: false, original: 'Ebook' } },
      ],
    });
    expect(parsed.positive).toBe(true);
    expect(parsed.terms).toBe(3);
  });

  it('gives isbn, issn and year nodes', () => {
    expect(parseQuery('isbn:604112348X').node).toEqual({ kind: 'isbn', values: ['9786041123489', '604112348X'] });
    expect(parseQuery('issn:0317-8471').node).toEqual({ kind: 'issn', value: '03178471' });
    expect(parseQuery('year:<1975').node).toEqual({ kind: 'year', from: 0, to: 1974 });
  });

  it('never throws on values that are not strings', () => {
    expect(parseQuery(undefined as unknown as string).node).toBeNull();
    expect(parseQuery(42 as unknown as string, null as unknown as undefined).problems).toEqual([{ code: 'query.empty' }]);
  });
});

describe('queryTokens', () => {
  it('lists the positive words and phrases once each, in query order', () => {
    const parsed = parseQuery('title:"Thư viện" (a OR b*) -c NOT (d e) isbn:9786041123489 year:2015 a');
    expect(queryTokens(parsed.node)).toEqual([
      { field: 'title', tokens: ['thư', 'viện'] },
      { field: null, tokens: ['a'] },
      { field: null, tokens: ['b'] },
    ]);
    expect(queryTokens(null)).toEqual([]);
    expect(queryTokens(parseQuery('-a').node)).toEqual([]);
  });
});

describe('describeQuery', () => {
  it('writes the documented canonical form', () => {
    const parsed = parseQuery('title:"thu vien" (a OR bo*) -c 978-604-1-12348-9 year:2010..2015');
    expect(describeQuery(parsed.node)).toBe(
      'AND(title:"thu vien", OR(a, bo*), NOT(c), isbn[9786041123489|604112348X], year[2010..2015])',
    );
    expect(parsed.terms).toBe(6);
    expect(describeQuery(null)).toBe('');
  });
});

describe('parseQuery: fuzz', () => {
  /** mulberry32: a small seeded PRNG, so that a failure can be replayed. */
  function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  const ALPHABET = [
    'a', 'b', 'Z', 'ư', 'ệ', 'Đ', '\u0301', '\u0323', '0', '7', '9', 'X', ' ', ' ', ' ', '\t', '\n', '\u00a0', '\u3000',
    '(', ')', '"', '\u201c', '\u201d', '„', '-', '*', ':', '.', '..', '>', '<', '=', '/', '\\', "'", '#', '+', '&', '|',
    'AND', 'OR', 'NOT', 'VÀ', 'HOẶC', 'KHÔNG', 'and', 'title:', 'isbn:', 'issn:', 'year:', 'nam:', 'foo:', 'Author:',
    '978-604-1-12348-9', '604112348X', '0317-8471', '2010-2015', '>2010',
    '\u0000', '\u0007', '\u001b', '\u007f', '\u200b', '\u200d', '\u202e', '\u200f', '\ufeff', '\ud800', '\udc00',
    '📚', '👨‍👩‍👧', '🇻🇳', 'مكتبة', 'ספרייה', '图书馆', 'İ', 'ß', 'ǅ', '\ufffd', '\u{10ffff}',
  ];

  function countLeaves(node: QueryNode | null): number {
    if (node === null) return 0;
    if (node.kind === 'and' || node.kind === 'or') return node.children.reduce((n, c) => n + countLeaves(c), 0);
    if (node.kind === 'not') return countLeaves(node.child);
    return 1;
  }

  function checkShape(node: QueryNode): void {
    switch (node.kind) {
      case 'and':
      case 'or':
        expect(node.children.length).toBeGreaterThanOrEqual(2);
        for (const c of node.children) {
          expect(c.kind).not.toBe(node.kind);
          checkShape(c);
        }
        break;
      case 'not':
        expect(node.child.kind).not.toBe('not');
        checkShape(node.child);
        break;
      case 'term':
      case 'phrase':
        expect(node.tokens.length).toBeGreaterThan(0);
        for (const t of node.tokens) {
          expect(t).toMatch(/^[\p{L}\p{M}\p{N}]+$/u);
          expect(t).toBe(t.normalize('NFC').toLowerCase());
        }
        break;
      case 'isbn':
        expect(node.values.length).toBeGreaterThan(0);
        break;
      case 'issn':
        expect(node.value).toMatch(/^\d{7}[\dX]$/);
        break;
      case 'year':
        expect(node.from).toBeLessThanOrEqual(node.to);
        break;
    }
  }

  it('never throws and keeps its promises on 2,000 nasty strings', () => {
    const random = prng(20_240_611);
    for (let n = 0; n < 2000; n++) {
      const length = Math.floor(random() * 60);
      let input = '';
      for (let k = 0; k < length; k++) input += ALPHABET[Math.floor(random() * ALPHABET.length)]!;
      const limits = n % 4 === 0 ? { maxLength: Math.floor(random() * 40), maxTerms: Math.floor(random() * 6) } : undefined;
      const maxTerms = limits?.maxTerms ?? 32;
      let parsed!: ReturnType<typeof parseQuery>;
      expect(() => (parsed = parseQuery(input, limits)), JSON.stringify(input)).not.toThrow();
      expect(parsed.terms).toBeLessThanOrEqual(maxTerms);
      expect(parsed.terms).toBe(countLeaves(parsed.node));
      expect(typeof describeQuery(parsed.node)).toBe('string');
      expect(Array.isArray(queryTokens(parsed.node))).toBe(true);
      const problemCodes = parsed.problems.map((p) => p.code);
      expect(problemCodes.includes('query.empty')).toBe(parsed.node === null);
      expect(problemCodes.includes('query.only_negative')).toBe(parsed.node !== null && !parsed.positive);
      if (parsed.node !== null) checkShape(parsed.node);
      // The canonical form is stable: the same input gives the same form.
      expect(describeQuery(parseQuery(input, limits).node)).toBe(describeQuery(parsed.node));
    }
  });

  it.each<[string, string]>([
    ['10 KB of words', 'thư viện "sách" OR -a (b '.repeat(400)],
    ['10 KB of one character', 'x'.repeat(10_240)],
    ['10 KB of control characters', '\u0000\u0001\u001f'.repeat(3500)],
    ['only operators', 'AND OR NOT VÀ HOẶC KHÔNG '.repeat(30)],
    ['only parentheses', '((((((((()))'.repeat(50)],
    ['only quotes', '"'.repeat(999)],
    ['only colons', ':'.repeat(999)],
    ['only dashes', '- -- --- '.repeat(100)],
    ['emoji', '📚👨‍👩‍👧🇻🇳'.repeat(200)],
    ['RTL text', '\u202eمكتبة\u202c OR ספרייה '.repeat(50)],
    ['lone surrogates', '\ud800a\udc00b\udbff'.repeat(100)],
    ['a megabyte', 'a OR ('.repeat(200_000)],
  ])('survives %s', (_name, input) => {
    const parsed = parseQuery(input);
    expect(parsed.terms).toBeLessThanOrEqual(32);
    expect(typeof describeQuery(parsed.node)).toBe('string');
    queryTokens(parsed.node);
  });
});
