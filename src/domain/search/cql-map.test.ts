import { describe, expect, it } from 'vitest';
import { parseCql } from '../../codecs/cql/parse.js';
import { cqlToSearch, type CqlSearchOptions, type CqlSearchResult, type CqlSort } from './cql-map.js';
import { compileQuery, describeExpr } from './compile.js';
import { describeQuery, parseQuery } from './query.js';

function search(cql: string, opts?: CqlSearchOptions): CqlSearchResult {
  const r = parseCql(cql);
  if (!r.ok) throw new Error(`${cql}: ${r.diagnostic.message.en}`);
  return cqlToSearch(r.query, opts);
}

function mapped(cql: string): NonNullable<Extract<CqlSearchResult, { ok: true }>> {
  const r = search(cql);
  if (!r.ok) throw new Error(`${cql}: ${r.diagnostic.message.en}`);
  return r;
}

describe('cqlToSearch: the same query as the search box would make', () => {
  it.each<[string, string]>([
    // any field
    ['cat', 'cat'],
    ['"cat"', 'cat'],
    ['"lịch sử"', '"lịch sử"'],
    ['cql.serverChoice = "lịch sử"', '"lịch sử"'],
    ['cql.serverChoice all "lịch sử"', 'lịch sử'],
    ['cql.anywhere any "lịch sử"', 'lịch OR sử'],
    ['cql.keywords adj "thư viện"', '"thư viện"'],
    ['bath.any = thư', 'thư'],
    ['e-book', 'e-book'],
    // title, with and without tone marks, any case, NFD
    ['dc.title all "lịch sử"', 'title:lịch title:sử'],
    ['dc.title all "lich su"', 'title:lich title:su'],
    ['DC.TITLE ALL "Lịch Sử"', 'title:lịch title:sử'],
    ['dc.title all "Li\u0323ch Su\u031b\u0309"', 'title:lịch title:sử'],
    ['dc.title = "lịch sử"', 'title:"lịch sử"'],
    ['dc.title = "lich su"', 'title:"lich su"'],
    ['dc.title adj "lịch sử"', 'title:"lịch sử"'],
    ['dc.title == "lịch sử việt nam"', 'title:"lịch sử việt nam"'],
    ['dc.title == sử', 'title:"sử"'],
    ['dc.title = sử', 'title:sử'],
    ['title = sử', 'title:sử'],
    ['dc.title any "Kiều Truyện"', 'title:(kiều OR truyện)'],
    ['dc.title <> "chiến tranh"', '-title:"chiến tranh"'],
    ['dc.title = e-book', 'title:e-book'],
    ['dc.title all "a - b"', 'title:a title:b'],
    ['bath.title = "Truyện Kiều"', 'title:"truyện kiều"'],
    ['bath.keyTitle = "Tạp chí Cộng sản"', 'title:"tạp chí cộng sản"'],
    ['bath.uniformTitle = Kiều', 'title:kiều'],
    // names, subjects, publisher
    ['dc.creator = "Nguyễn Du"', 'author:"nguyễn du"'],
    ['dc.creator = "Nguyen Du"', 'author:"nguyen du"'],
    ['dc.contributor any "Du Nguyễn"', 'author:du OR author:nguyễn'],
    ['bath.author = Du', 'author:du'],
    ['bath.name all "Hồ Chí Minh"', 'author:hồ author:chí author:minh'],
    ['bath.personalName = "Hồ Chí Minh"', 'author:"hồ chí minh"'],
    ['bath.corporateName = "Nhà xuất bản Trẻ"', 'author:"nhà xuất bản trẻ"'],
    ['bath.conferenceName = "Hội nghị"', 'author:"hội nghị"'],
    ['dc.subject = "văn học"', 'subject:"văn học"'],
    ['bath.subject = lúa', 'subject:lúa'],
    ['bath.topicalSubject all "văn học"', 'subject:văn subject:học'],
    ['bath.geographicName = "Kiên Giang"', 'subject:"kiên giang"'],
    ['bath.genreForm = "tiểu thuyết"', 'subject:"tiểu thuyết"'],
    ['dc.publisher = "Kim Đồng"', 'publisher:"kim đồng"'],
    // masking
    ['thư*', 'thư*'],
    ['Nguy*', 'nguy*'],
    ['ab**', 'ab*'],
    ['dc.title = ngu*', 'title:ngu*'],
    ['dc.title all "lịch sử*"', 'title:lịch title:sử*'],
    ['dc.title any "thư* sách"', 'title:thư* OR title:sách'],
    ['c\\*at', 'c-at'],
    ['"ab\\*"', 'ab'],
    ['dc.title =/unmasked ab*', 'title:ab'],
    ['dc.title =/unmasked "c?t"', 'title:c-t'],
    // ISBN and ISSN
    ['bath.isbn = 9786041123489', 'isbn:9786041123489'],
    ['bath.isbn = "978-604-1-12348-9"', 'isbn:978-604-1-12348-9'],
    ['bath.isbn = 604112348X', 'isbn:604112348X'],
    ['bath.isbn == "604-11-2348-x"', 'isbn:604112348X'],
    ['bath.isbn any "9786041123489 9780306406157"', 'isbn:9786041123489 OR isbn:9780306406157'],
    ['bath.isbn any "9786041123489 604112348X"', 'isbn:9786041123489'],
    ['bath.isbn <> 9786041123489', '-isbn:9786041123489'],
    ['dc.identifier = 978-604-1-12348-9', 'isbn:978-604-1-12348-9'],
    ['dc.identifier = 0317-8471', 'issn:0317-8471'],
    ['bath.issn = 0317-8471', 'issn:0317-8471'],
    ['bath.issn = 03178471', 'issn:03178471'],
    ['978-604-1-12348-9', '978-604-1-12348-9'],
    ['"978-604-1-12348-9"', '978-604-1-12348-9'],
    ['0317-8471', '0317-8471'],
    // years
    ['dc.date = 2015', 'year:2015'],
    ['dc.date == 2015', 'year:2015'],
    ['dc.date < 1975', 'year:<1975'],
    ['dc.date <= 1975', 'year:<=1975'],
    ['dc.date > 2010', 'year:>2010'],
    ['dc.date >= 2010', 'year:>=2010'],
    ['dc.date within "2010 2015"', 'year:2010-2015'],
    ['dc.date within "2015 2010"', 'year:2015-2010'],
    ['dc.date <> 2000', '-year:2000'],
    ['dc.date any "2001 2003"', 'year:2001 OR year:2003'],
    ['dc.date =/isoDate 2015', 'year:2015'],
    ['dc.date >=/number 2010 and dc.title = sử', 'year:>=2010 title:sử'],
    // booleans
    ['a and b', 'a b'],
    ['a AND b', 'a AND b'],
    ['a or b', 'a OR b'],
    ['a not b', 'a -b'],
    ['a or b and c', '(a OR b) c'],
    ['a or b and c not d', '(a OR b) c -d'],
    ['a and (b or c)', 'a (b OR c)'],
    ['a not (b or c)', 'a -(b OR c)'],
    ['a not (b not c)', 'a -(b -c)'],
    ['a not (dc.title <> b)', 'a title:b'],
    ['a and a', 'a'],
    ['a or (b or c)', 'a OR b OR c'],
    ['(a and b) and c', 'a b c'],
    ['dc.title = "lịch sử" and dc.creator = "Trần Trọng Kim"', 'title:"lịch sử" author:"trần trọng kim"'],
    ['dc.title all "lịch sử" or dc.subject = "lịch sử"', '(title:lịch title:sử) OR subject:"lịch sử"'],
    ['dc.title <> a', '-title:a'],
    ['dc.title <> a or dc.title = b', '-title:a OR title:b'],
    // every record
    ['cql.allRecords = 1', ''],
    ['cql.allRecords = 1 and a', 'a'],
    ['a and cql.allRecords = 1', 'a'],
    ['cql.allRecords = 1 or a', ''],
    ['cql.allRecords = 1 not a', '-a'],
    ['a not (a not cql.allRecords = 1)', 'a'],
    ['a or (cql.allRecords = 1 not a)', 'a OR -a'],
    ['cql.allRecords any "whatever it says"', ''],
    // prefixes and relations
    ['> x = "info:srw/cql-context-set/1/dc-v1.1" x.title = a', 'title:a'],
    ['> "http://zing.z3950.org/cql/bath/2.0/" keyTitle = a', 'title:a'],
    ['> dc = "http://zing.z3950.org/cql/bath/2.0/" dc.name = a', 'author:a'],
    ['(> t = "info:srw/cql-context-set/1/dc-v1.1" t.title = a) and dc.creator = b', 'title:a author:b'],
    ['> c = "info:srw/cql-context-set/1/cql-v1.1" dc.title c.any "a b"', 'title:a OR title:b'],
    ['dc.title cql.any "a b"', 'title:a OR title:b'],
    ['dc.title scr a', 'title:a'],
    ['dc.title exact "a b"', 'title:"a b"'],
    ['dc.title ADJ "a b"', 'title:"a b"'],
    // modifiers we honour by doing what we do anyway
    ['dc.title all/relevant/ignoreCase/ignoreAccents/word/masked/locale=vi "lịch sử"', 'title:lịch title:sử'],
    ['dc.title any/cql.relevant a', 'title:a'],
  ])('%j ≡ %j', (cql, box) => {
    const r = mapped(cql);
    const expected = parseQuery(box);
    expect(describeQuery(r.parsed.node)).toBe(describeQuery(expected.node));
    expect(r.parsed.node).toEqual(expected.node === null ? null : expect.anything());
    expect(r.parsed.positive).toBe(expected.positive);
    expect(r.parsed.terms).toBe(expected.terms);
  });

  it('gives the whole result', () => {
    expect(search('dc.title all "lịch sử"')).toEqual({
      ok: true,
      parsed: {
        node: {
          kind: 'and',
          children: [
            { kind: 'term', field: 'title', tokens: ['lịch'], prefix: false, original: 'lịch' },
            { kind: 'term', field: 'title', tokens: ['sử'], prefix: false, original: 'sử' },
          ],
        },
        positive: true,
        problems: [],
        terms: 2,
      },
      sort: 'relevance',
    });
  });

  it('searches the same folded words with or without tone marks', () => {
    const expr = (cql: string): string => describeExpr(compileQuery(mapped(cql).parsed.node).expr);
    expect(expr('dc.title all "lịch sử"')).toBe(expr('dc.title all "lich su"'));
    expect(expr('dc.title = "lịch sử"')).toBe('title:"lich su"');
    expect(expr('dc.creator = "Nguyễn Du"')).toBe(expr('dc.creator = "NGUYEN DU"'));
  });

  it('reports an ISBN with a wrong check digit as the search box does, and searches it as typed', () => {
    const r = mapped('bath.isbn = 978-604-1-12348-0');
    const box = parseQuery('isbn:978-604-1-12348-0');
    expect(describeQuery(r.parsed.node)).toBe('isbn[9786041123480]');
    expect(describeQuery(r.parsed.node)).toBe(describeQuery(box.node));
    expect(r.parsed.problems).toEqual([{ code: 'query.bad_isbn', detail: '978-604-1-12348-0' }]);
    expect(mapped('bath.issn = 03178472').parsed.problems).toEqual([{ code: 'query.bad_isbn', detail: 'issn:03178472' }]);
  });

  it('expresses "every record" as no node, as the empty search box does', () => {
    const r = mapped('cql.allRecords = 1');
    expect(r.parsed).toEqual({ node: null, positive: false, problems: [], terms: 0 });
    expect(compileQuery(r.parsed.node).expr).toBeNull();
  });
});

describe('cqlToSearch: sort', () => {
  it.each<[string, CqlSort]>([
    ['a', 'relevance'],
    ['a sortBy dc.title', 'title'],
    ['a sortBy dc.title/sort.ascending', 'title'],
    ['a sortBy title/ascending', 'title'],
    ['a sortBy bath.title', 'title'],
    ['a sortBy dc.creator', 'author'],
    ['a sortBy bath.name/sort.ignoreCase', 'author'],
    ['a sortBy dc.date', 'oldest'],
    ['a sortBy dc.date/sort.ascending', 'oldest'],
    ['a sortBy dc.date/sort.descending', 'newest'],
    ['a sortBy dc.date/descending', 'newest'],
    ['a sortBy dc.date/sort.descending/sort.ascending', 'oldest'],
    ['a SORTBY DC.DATE/SORT.DESCENDING', 'newest'],
    ['a sortBy dc.date/sort.descending dc.title', 'newest'],
    ['a sortBy dc.title dc.date/sort.descending', 'title'],
    ['> s = "info:srw/cql-context-set/1/sort-v1.0" a sortBy dc.date/s.descending', 'newest'],
    ['cql.allRecords = 1 sortBy dc.date/sort.descending', 'newest'],
  ])('%j → %s', (cql, sort) => {
    expect(mapped(cql).sort).toBe(sort);
  });
});

describe('cqlToSearch: diagnostics', () => {
  it.each<[string, number, string?]>([
    // terms
    ['""', 27],
    ['dc.title = "  "', 27],
    ['dc.title = "!!!"', 27, '!!!'],
    ['dc.title any "! ?"', 28, '?'],
    // indexes and context sets
    ['dc.description = a', 16, 'dc.description'],
    ['description = a', 16, 'description'],
    ['author = a', 16, 'author'],
    ['dc.format = book', 16, 'dc.format'],
    ['dc.language = vie', 16, 'dc.language'],
    ['bath.notes = a', 16, 'bath.notes'],
    ['bath.possessingInstitution = x', 16, 'bath.possessingInstitution'],
    ['cql.allIndexes = a', 16, 'cql.allIndexes'],
    ['rec.id = 1', 15, 'rec'],
    ['> x = "http://example.org/set" x.title = a', 15, 'http://example.org/set'],
    ['> "http://example.org/set" title = a', 15, 'http://example.org/set'],
    ['cql.resultSetId = abc', 50],
    // relations
    ['dc.title < a', 22, 'dc.title <'],
    ['dc.title >= a', 22, 'dc.title >='],
    ['dc.title within "a b"', 22, 'dc.title within'],
    ['dc.title encloses a', 22, 'dc.title encloses'],
    ['dc.date adj 2000', 22, 'dc.date adj'],
    ['dc.date all 2000', 22, 'dc.date all'],
    ['dc.date encloses 2005', 22, 'dc.date encloses'],
    ['bath.isbn < 1', 22, 'bath.isbn <'],
    ['dc.title bogus a', 19, 'bogus'],
    ['dc.title dc.any a', 19, 'dc.any'],
    ['dc.title foo.any a', 15, 'foo'],
    // relation modifiers
    ['dc.title =/stem a', 20, 'stem'],
    ['dc.title all/stem/locale=vi "lịch sử"', 20, 'stem'],
    ['dc.title =/relevant=1 a', 20, 'relevant'],
    ['dc.title =/rel.algorithm=CORI a', 20, 'rel.algorithm'],
    ['dc.title =/dc.relevant a', 20, 'dc.relevant'],
    ['dc.title =/locale a', 20, 'locale'],
    ['dc.title =/respectCase a', 20, 'respectCase'],
    ['dc.title =/isoDate a', 20, 'isoDate'],
    ['dc.title =/regexp "a.*b"', 20, 'regexp'],
    // booleans
    ['a prox b', 39, 'prox'],
    ['a prox/distance<3 b', 39, 'prox'],
    ['a and/rel.combine=sum b', 46, 'rel.combine'],
    ['a or/rel.SumOfScores b', 46, 'rel.SumOfScores'],
    ['a not/x b', 46, 'x'],
    // masking
    ['c?t', 28, '?'],
    ['dc.title = ^cat', 31, '^cat'],
    ['dc.title = "^cat in the hat"', 31],
    ['c*t', 49, 'c*t'],
    ['*at', 49, '*at'],
    ['a*', 29, '2'],
    ['*', 29, '2'],
    ['e-book*', 49],
    ['dc.title = "lịch sử*"', 33],
    ['dc.title == sử*', 33],
    ['dc.date = 20*', 28],
    ['bath.isbn = 978*', 28],
    // values
    ['dc.date = 2015-05-01', 36, '2015-05-01'],
    ['dc.date = abc', 36],
    ['dc.date = "2010 2011"', 36],
    ['dc.date within 2010', 36],
    ['dc.date within "2010 2011 2012"', 36],
    ['dc.date < 0', 36],
    ['dc.date > 9999', 36],
    ['dc.date any "2001 x"', 36],
    ['bath.isbn = abc', 36],
    ['bath.issn = 123', 36],
    ['dc.identifier = "http://example.org/x"', 36],
    ['dc.identifier = 9786041123480', 36],
    // every record, excluded
    ['a not cql.allRecords = 1', 48],
    ['(a or b) not (cql.allRecords = 1 or c)', 48],
    // sort
    ['a sortBy dc.subject', 16, 'dc.subject'],
    ['a sortBy dc.title dc.subject', 16, 'dc.subject'],
    ['a sortBy foo.bar', 15, 'foo'],
    ['a sortBy dc.title/sort.descending', 90, 'descending'],
    ['a sortBy dc.creator/descending', 90, 'descending'],
    ['a sortBy dc.title/sort.respectCase', 91, 'sort.respectCase'],
    ['a sortBy dc.date/sort.missingHigh', 92, 'sort.missingHigh'],
    ['a sortBy dc.date/sort.locale=vi', 20, 'sort.locale'],
    ['a sortBy dc.date/dc.descending', 20, 'dc.descending'],
  ])('%j → %i', (cql, code, details) => {
    const r = search(cql);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostic.code).toBe(code);
    expect(r.diagnostic.uri).toBe(`info:srw/diagnostic/1/${code}`);
    if (details !== undefined) expect(r.diagnostic.details).toBe(details);
    expect(r.diagnostic.message.en.length).toBeGreaterThan(0);
    expect(r.diagnostic.message.vi.length).toBeGreaterThan(0);
  });

  it.each<[string, number, number]>([
    ['a and dc.description = x', 16, 6],
    ['dc.title =/stem a', 20, 11],
    ['a prox b', 39, 2],
    ['a or/x b', 46, 5],
    ['dc.title = "lịch sử*"', 33, 11],
    ['a sortBy  dc.subject', 16, 10],
    ['dc.title any "thư* s?ch"', 28, 13],
  ])('%j → %i at %i', (cql, code, position) => {
    const r = search(cql);
    expect(r.ok === false && r.diagnostic).toMatchObject({ code, position });
  });

  it('reports the first problem in reading order', () => {
    const r = search('dc.format = x and dc.title =/stem a');
    expect(r.ok === false && r.diagnostic.code).toBe(16);
    const s = search('(a prox b) or dc.format = x');
    expect(s.ok === false && s.diagnostic.code).toBe(39);
  });

  it('words its messages in English and Vietnamese', () => {
    const r = search('dc.description = a');
    expect(r).toEqual({
      ok: false,
      diagnostic: {
        code: 16,
        uri: 'info:srw/diagnostic/1/16',
        details: 'dc.description',
        message: { en: 'Unsupported index: "dc.description" cannot be searched here', vi: 'Không hỗ trợ chỉ mục: không tìm được theo "dc.description"' },
        position: 0,
      },
    });
  });

  it('holds the number of terms to maxTerms (default DEFAULT_MAX_TERMS = 32) with diagnostic 38', () => {
    const words = (n: number): string => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');
    expect(mapped(`dc.title all "${words(32)}"`).parsed.terms).toBe(32);
    const r = search(`dc.title all "${words(33)}"`);
    expect(r.ok === false && r.diagnostic).toMatchObject({ code: 38, details: '32' });
    expect(search('a and b', { maxTerms: 2 }).ok).toBe(true);
    const small = search('a and b and c', { maxTerms: 2 });
    expect(small.ok === false && small.diagnostic).toMatchObject({ code: 38, details: '2' });
    expect(search('a and b and c', { maxTerms: Number.NaN }).ok).toBe(true);
  });
});
