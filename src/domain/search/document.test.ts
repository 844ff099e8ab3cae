import { describe, expect, it } from 'vitest';
import { deriveFields } from '../catalog/derive.js';
import type { MarcDataField, MarcLike, MarcLikeField } from '../catalog/marc-like.js';
import { buildSearchDoc, classFacets, exactTokens, foldedTokens, pathUnits, type DocItem, type SearchColumn, type SearchDoc } from './document.js';

// ---------------------------------------------------------------------------------------------
// Builders: small MARC records, as the conformance suite writes them

/** `df('245', '10', 'a', 'Truyện Kiều', 'c', 'Nguyễn Du')` */
function df(tag: string, indicators: string, ...codesAndValues: string[]): MarcDataField {
  const subfields = [];
  for (let i = 0; i < codesAndValues.length; i += 2) subfields.push({ code: codesAndValues[i]!, value: codesAndValues[i + 1]! });
  return { tag, ind1: indicators[0] ?? ' ', ind2: indicators[1] ?? ' ', subfields };
}

interface Book {
  title: string;
  subtitle?: string;
  author?: string;
  addedAuthors?: string[];
  /** `Lịch sử -- Việt Nam`: the first part in $a, the rest in $z. */
  subjects?: string[];
  year?: number;
  lang?: string;
  publisher?: string;
  series?: string;
  notes?: string[];
  /** Extra fields (020, 022, 082, 084, 246 …). */
  extra?: MarcLikeField[];
}

function marc(b: Book): MarcLike {
  const f: MarcLikeField[] = [{ tag: '008', value: `250101s${b.year ?? '    '}    vm            000 0 ${b.lang ?? 'vie'} d` }];
  f.push(...(b.extra ?? []));
  if (b.author) f.push(df('100', '1 ', 'a', b.author));
  f.push(b.subtitle ? df('245', '10', 'a', b.title, 'b', b.subtitle) : df('245', '10', 'a', b.title));
  f.push(df('264', ' 1', 'a', 'Hà Nội', 'b', b.publisher ?? 'NXB Trẻ', 'c', String(b.year ?? '')));
  if (b.series) f.push(df('490', '0 ', 'a', b.series));
  for (const n of b.notes ?? []) f.push(df('500', '  ', 'a', n));
  for (const s of b.subjects ?? []) {
    const [a, ...rest] = s.split(' -- ');
    f.push(df('650', ' 7', 'a', a!, ...rest.flatMap((z) => ['z', z])));
  }
  for (const a of b.addedAuthors ?? []) f.push(df('700', '1 ', 'a', a));
  // Data fields in tag order, as a cataloguer would write them (derive reads by tag anyway).
  f.sort((x, y) => x.tag.localeCompare(y.tag));
  return { leader: '00000nam a2200000 i 4500', fields: f };
}

const item = (ownerPath: string, status = 'available', locationPath = ownerPath, shelvingLocation: string | null = null): DocItem => ({ status, ownerPath, locationPath, shelvingLocation });

function doc(b: Book, items: DocItem[] = [], hasFullText = false): SearchDoc {
  return buildSearchDoc({ id: 42, derived: deriveFields(marc(b)), createdAt: '2025-01-01T00:00:00Z', items, hasFullText });
}

// ---------------------------------------------------------------------------------------------

describe('buildSearchDoc: columns hold folded tokens, `_x` columns the exact (Telex) spelling', () => {
  const full: Book = {
    title: 'Đường về quê mẹ',
    subtitle: 'hồi ký',
    author: 'Lê Thị Hoà',
    addedAuthors: ['Nguyễn Văn Dương'],
    subjects: ['Văn học Việt Nam -- Thế kỷ 20'],
    publisher: 'NXB Phụ nữ',
    series: 'Tủ sách văn học',
    year: 2015,
    notes: ['Sách dành cho thiếu nhi'],
    extra: [df('082', '04', 'a', '895.922'), df('246', '3 ', 'a', 'Con đường về quê')],
  };
  it.each<[SearchColumn, string]>([
    ['title', 'duong ve que me hoi ki con duong ve que'],
    ['title_x', 'dduwowngf veef quee mej hooif kis con dduwowngf veef quee'],
    ['author', 'le thi hoa nguyen van duong'],
    ['author_x', 'lee thij hoaf nguyeenx vawn duwowng'],
    ['subject', 'van hoc viet nam the ki 20'],
    ['subject_x', 'vawn hocj vieetj nam thees kir 20'],
    ['series', 'tu sach van hoc'],
    ['publisher', 'nxb phu nu'],
    ['callnumber', '895 922 895 922'],
    // Subtitle, places and notes: words a reader may type, weighed least.
    ['other', 'hoi ki ha noi sach danh cho thieu nhi'],
    ['ident', ''],
    ['meta', 'all y2015'],
  ])('%s = %j', (column, expected) => {
    expect(doc(full).columns[column]).toBe(expected);
  });

  it.each<[string, string, string, string]>([
    // text, folded, exact
    ['Đường', 'title', 'duong', 'dduwowngf'],
    ['ĐƯỜNG', 'title', 'duong', 'dduwowngf'],
    ['Dương', 'title', 'duong', 'duwowng'],
    ['Thư viện tỉnh Kiên Giang', 'title', 'thu vien tinh kien giang', 'thuw vieenj tinhr kieen giang'],
    ['Kỹ thuật nuôi tôm', 'title', 'ki thuat nuoi tom', 'kix thuaatj nuooi toom'],
    ['Quý bà Đỗ Thị Ỷ', 'title', 'qui ba do thi i', 'quis baf ddoox thij ir'],
    ['Tuy Hoà, 1975', 'title', 'tuy hoa 1975', 'tuy hoaf 1975'],
    ['E-book: C++', 'title', 'e book c', 'e book c'],
  ])('%j → %s %j / %j', (text, _column, folded, exact) => {
    const d = doc({ title: text });
    expect(d.columns.title).toBe(folded);
    expect(d.columns.title_x).toBe(exact);
    expect(d.rank.title).toEqual(folded.split(' '));
    expect(d.rank.titleExact).toEqual(exact.split(' '));
  });
});

describe('buildSearchDoc: old and new tone placement, i/y and NFD give the same tokens', () => {
  it.each([
    ['Hòa bình', 'Hoà bình', 'hoa binh', 'hoaf binhf'],
    ['Thủy sản', 'Thuỷ sản', 'thuy san', 'thuyr sanr'],
    ['Sức khỏe', 'Sức khoẻ', 'suc khoe', 'suwcs khoer'],
    ['Kĩ thuật', 'Kỹ thuật', 'ki thuat', 'kix thuaatj'],
    ['Quí tộc', 'Quý tộc', 'qui toc', 'quis toocj'],
    ['Lý luận', 'Lí luận', 'li luan', 'lis luaanj'],
    ['Việt Nam'.normalize('NFD'), 'Việt Nam', 'viet nam', 'vieetj nam'],
  ])('%j = %j → %j / %j', (a, b, folded, exact) => {
    for (const title of [a, b]) {
      const d = doc({ title, author: title, subjects: [title] });
      expect([d.columns.title, d.columns.author, d.columns.subject]).toEqual([folded, folded, folded]);
      expect([d.columns.title_x, d.columns.author_x, d.columns.subject_x]).toEqual([exact, exact, exact]);
      expect(d.titleKey).toBe(folded);
    }
  });

  it.each([
    ['Đường về', ['duong', 've'], ['dduwowngf', 'veef']],
    ['', [], []],
    [null, [], []],
    ['  — ! ', [], []],
  ])('foldedTokens / exactTokens(%j)', (text, folded, exact) => {
    expect(foldedTokens(text)).toEqual(folded);
    expect(exactTokens(text)).toEqual(exact);
  });
});

describe('buildSearchDoc: identifiers in `ident`', () => {
  it.each<[string, MarcLikeField[], string]>([
    ['ISBN-13 → its 13 and its 10', [df('020', '  ', 'a', '978-604-1-12348-9')], '9786041123489 604112348x'],
    ['ISBN-10 → its 13 and its 10', [df('020', '  ', 'a', '0-306-40615-2 (bìa mềm)')], '9780306406157 0306406152'],
    ['979 ISBN has no ISBN-10', [df('020', '  ', 'a', '979-10-90636-07-1')], '9791090636071'],
    ['two ISBNs', [df('020', '  ', 'a', '9786041123489'), df('020', '  ', 'a', '0306406152')], '9786041123489 604112348x 9780306406157 0306406152'],
    ['a wrong check digit is not indexed', [df('020', '  ', 'a', '978-604-1-12348-0')], ''],
    ['ISSN without hyphen', [df('022', '  ', 'a', '0317-8471')], '03178471'],
    ['ISSN with X check digit, lower case', [df('022', '  ', 'a', '1859-459X')], '1859459x'],
    ['ISBN and ISSN', [df('020', '  ', 'a', '978-604-1-12348-9'), df('022', '  ', 'a', '0317-8471')], '9786041123489 604112348x 03178471'],
    ['001 control number, folded', [{ tag: '001', value: 'LT-000123' }], 'lt 000123'],
  ])('%s', (_why, extra, expected) => {
    expect(doc({ title: 'Sách', extra }).columns.ident).toBe(expected);
  });

  it('shows the first valid ISBN-13', () => {
    const d = doc({ title: 'Sách', extra: [df('020', '  ', 'a', '978-604-1-12348-0'), df('020', '  ', 'a', '0-306-40615-2')] });
    expect(d.display.isbn).toBe('9780306406157');
  });
});

describe('buildSearchDoc: holdings per unit and its ancestors', () => {
  it.each<[string, DocItem[], number[], number[], number, string[]]>([
    // why, items, held, available, holdings, collections
    ['no items', [], [], [], 0, []],
    ['one copy on the shelf', [item('/1/2/5/')], [1, 2, 5], [1, 2, 5], 1, []],
    ['on loan: held, not available', [item('/1/2/5/', 'on-loan')], [1, 2, 5], [], 1, []],
    ['available where it is (location), held where it belongs (owner)', [item('/1/2/5/', 'available', '/1/3/7/')], [1, 2, 5], [1, 3, 7], 1, []],
    ['ancestors once, however many copies', [item('/1/2/5/'), item('/1/2/6/'), item('/1/3/')], [1, 2, 5, 6, 3], [1, 2, 5, 6, 3], 3, []],
    ['withdrawn, lost and missing copies count nowhere', [item('/1/2/5/', 'withdrawn'), item('/1/3/', 'lost'), item('/1/4/', 'missing')], [], [], 0, []],
    ['a gone copy beside a live one', [item('/1/2/5/', 'withdrawn'), item('/1/2/6/', 'in-transit')], [1, 2, 6], [], 1, []],
    ['shelving locations of live copies', [item('/1/2/', 'available', '/1/2/', 'Thiếu nhi'), item('/1/3/', 'lost', '/1/3/', 'Kho mượn'), item('/1/4/', 'on-loan', '/1/4/', 'Thiếu nhi')], [1, 2, 4], [1, 2], 2, ['Thiếu nhi']],
    ['the root alone', [item('/1/')], [1], [1], 1, []],
  ])('%s', (_why, items, held, available, holdings, collections) => {
    const d = doc({ title: 'Sách', year: 2020 }, items);
    expect(d.facets.held).toEqual(held);
    expect(d.facets.available).toEqual(available);
    expect(d.holdings).toBe(holdings);
    expect(d.facets.collections).toEqual(collections);
    expect(d.columns.meta).toBe(['all', 'y2020', ...held.map((u) => `u${u}`), ...available.map((u) => `a${u}`)].join(' '));
  });

  it.each([
    ['/1/2/5/', [1, 2, 5]],
    ['/1/', [1]],
    ['/', []],
    ['', []],
    ['/10/200/3000/', [10, 200, 3000]],
  ])('pathUnits(%j) = %j', (path, units) => {
    expect(pathUnits(path)).toEqual(units);
  });
});

describe('buildSearchDoc: facets and meta', () => {
  it.each<[string, MarcLikeField[], string[]]>([
    ['DDC hundreds and divisions', [df('082', '04', 'a', '959.7')], ['ddc:900', 'ddc:95x']],
    ['DDC below 100', [df('082', '04', 'a', '027.4')], ['ddc:000', 'ddc:02x']],
    ['DDC with segmentation marks', [df('082', '04', 'a', '895.922/334')], ['ddc:800', 'ddc:89x']],
    ['two DDC numbers, one hundred and division', [df('082', '04', 'a', '633.1', 'a', '639.5')], ['ddc:600', 'ddc:63x']],
    ['division 800–809 is not the class 800', [df('082', '04', 'a', '808.8')], ['ddc:800', 'ddc:80x']],
    ['BBK main class, two digits', [df('084', '  ', 'a', '63.3(1)', '2', 'bbk')], ['bbk:63']],
    ['BBK main class, one digit', [df('084', '  ', 'a', '5', '2', 'rubbk')], ['bbk:5']],
    ['BBK letter class', [df('084', '  ', 'a', 'Ш5(1)', '2', 'bbk')], ['bbk:Ш']],
    ['DDC and BBK', [df('082', '04', 'a', '959.7'), df('084', '  ', 'a', '63.3(1)', '2', 'bbk')], ['ddc:900', 'ddc:95x', 'bbk:63']],
    ['UDC and LCC give no class facet', [df('050', '00', 'a', 'DS556'), df('080', '  ', 'a', '94(597)')], []],
    ['none', [], []],
  ])('classes: %s', (_why, extra, classes) => {
    const d = doc({ title: 'Sách', extra });
    expect(d.facets.classes).toEqual(classes);
    expect(classFacets(deriveFields(marc({ title: 'Sách', extra })))).toEqual(classes);
  });

  it.each<[string, Book, number | null, string]>([
    ['year from 264 $c', { title: 'Sách', year: 2019 }, 2019, 'all y2019'],
    ['no year', { title: 'Sách' }, null, 'all'],
    ['old year', { title: 'Sách', year: 1802 }, 1802, 'all y1802'],
  ])('%s', (_why, b, year, meta) => {
    const d = doc(b);
    expect(d.year).toBe(year);
    expect(d.facets.year).toBe(year);
    expect(d.display.year).toBe(year);
    expect(d.columns.meta).toBe(meta);
  });

  it('marks page-level full text in meta', () => {
    expect(doc({ title: 'Sách', year: 2000 }, [], true).columns.meta).toBe('all y2000 ft');
  });

  it('facets: material, languages, first subject part, authors once', () => {
    const d = doc({
      title: 'Lịch sử Việt Nam',
      author: 'Phan Huy Lê',
      addedAuthors: ['Trần Quốc Vượng', 'Phan Huy Lê'],
      subjects: ['Lịch sử -- Việt Nam', 'Lịch sử -- Đông Nam Á', 'Văn hoá'],
      lang: 'vie',
      extra: [df('041', '0 ', 'a', 'vie', 'a', 'eng')],
    });
    expect(d.facets.material).toBe('book');
    expect(d.facets.languages).toEqual(['vie', 'eng']);
    expect(d.facets.subjects).toEqual(['Lịch sử', 'Văn hoá']);
    expect(d.facets.authors).toEqual(['Phan Huy Lê', 'Trần Quốc Vượng']);
    expect(d.display.subjects).toEqual(['Lịch sử -- Việt Nam', 'Lịch sử -- Đông Nam Á', 'Văn hoá']);
  });
});

describe('buildSearchDoc: at most 900 tokens per column', () => {
  const words = (n: number, w: string) => Array.from({ length: n }, (_, i) => `${w}${i}`).join(' ');
  // `other` starts with the place of publication (`ha noi`), then the notes.
  it.each<[string, SearchColumn, number, string, Book]>([
    ['a long note', 'other', 900, 'tu897', { title: 'Sách', notes: [words(1000, 'tu')] }],
    ['several notes together', 'other', 900, 'b297', { title: 'Sách', notes: [words(600, 'a'), words(600, 'b')] }],
    ['exactly at the cap', 'other', 900, 'tu897', { title: 'Sách', notes: [words(898, 'tu')] }],
    ['under the cap', 'other', 899, 'tu896', { title: 'Sách', notes: [words(897, 'tu')] }],
    ['a long title', 'title', 900, 'nhan899', { title: words(950, 'nhan') }],
    ['a long title, exact column', 'title_x', 900, 'nhan899', { title: words(950, 'nhan') }],
    // Three tokens a heading: `chu de 299` is the 300th.
    ['many subjects', 'subject', 900, '299', { title: 'Sách', subjects: Array.from({ length: 500 }, (_, i) => `Chủ đề ${i}`) }],
  ])('%s: %s has %i tokens, the last %j', (_why, column, count, last, b) => {
    const tokens = doc(b).columns[column].split(' ');
    expect(tokens.length).toBe(count);
    expect(tokens.at(-1)).toBe(last);
  });

  it('does not cap what ranking reads', () => {
    expect(doc({ title: words(950, 'nhan') }).rank.title.length).toBe(950);
  });
});

describe('buildSearchDoc: headings, title key and sort keys', () => {
  it.each<[string, Book, { kind: string; heading: string }[]]>([
    ['short title (no subtitle)', { title: 'Đường về quê mẹ', subtitle: 'hồi ký' }, [{ kind: 'title', heading: 'Đường về quê mẹ' }]],
    [
      'title, authors in order and once, subjects whole',
      { title: 'Lịch sử Việt Nam', author: 'Phan Huy Lê', addedAuthors: ['Trần Quốc Vượng', 'Phan Huy Lê'], subjects: ['Lịch sử -- Việt Nam', 'Văn hoá'] },
      [
        { kind: 'title', heading: 'Lịch sử Việt Nam' },
        { kind: 'author', heading: 'Phan Huy Lê' },
        { kind: 'author', heading: 'Trần Quốc Vượng' },
        { kind: 'subject', heading: 'Lịch sử -- Việt Nam' },
        { kind: 'subject', heading: 'Văn hoá' },
      ],
    ],
    [
      'ISBD punctuation trimmed',
      { title: 'Truyện Kiều /', author: 'Nguyễn Du,', subjects: ['Thơ.'] },
      [
        { kind: 'title', heading: 'Truyện Kiều' },
        { kind: 'author', heading: 'Nguyễn Du' },
        { kind: 'subject', heading: 'Thơ' },
      ],
    ],
  ])('%s', (_why, b, headings) => {
    expect(doc(b).headings).toEqual(headings);
  });

  it.each<[Book, string, string]>([
    // book, title key (folded short title), display title
    [{ title: 'Đường về quê mẹ', subtitle: 'hồi ký' }, 'duong ve que me', 'Đường về quê mẹ : hồi ký'],
    [{ title: 'Lịch sử Việt Nam' }, 'lich su viet nam', 'Lịch sử Việt Nam'],
    [{ title: 'Hoà bình' }, 'hoa binh', 'Hoà bình'],
  ])('title key of %j', (b, key, title) => {
    const d = doc(b);
    expect(d.titleKey).toBe(key);
    expect(d.display.title).toBe(title);
  });

  it('sorts "Dương" before "Đường" and authorless records last', () => {
    const a = doc({ title: 'Dương cầm', author: 'Lê Văn A' });
    const b = doc({ title: 'Đường về', author: 'Trần Văn B' });
    const none = doc({ title: 'Ẩn danh' });
    expect(a.sortTitle < b.sortTitle).toBe(true);
    expect(a.sortAuthor < b.sortAuthor).toBe(true);
    expect(none.sortAuthor).toBe('~');
    expect(b.sortAuthor < none.sortAuthor).toBe(true);
  });
});
