import { describe, expect, it } from 'vitest';
import { deriveFields, yearIn, type DerivedRecord } from './derive.js';
import type { MarcDataField, MarcLike, MarcLikeField } from './marc-like.js';

// ---------------------------------------------------------------------------------------------
// Builders

const ctl = (tag: string, value: string): MarcLikeField => ({ tag, value });

/** `df('245', '10', 'a', 'Truyện Kiều /', 'c', 'Nguyễn Du.')` */
function df(tag: string, indicators: string, ...codesAndValues: string[]): MarcDataField {
  const subfields = [];
  for (let i = 0; i < codesAndValues.length; i += 2) subfields.push({ code: codesAndValues[i]!, value: codesAndValues[i + 1]! });
  return { tag, ind1: indicators[0] ?? ' ', ind2: indicators[1] ?? ' ', subfields };
}

/** A 40-character 008 with the positions the rules read. */
function f008(o: { type?: string; date1?: string; date2?: string; place?: string; form?: string; lang?: string; at?: Record<number, string> }): MarcLikeField {
  const chars = ' '.repeat(40).split('');
  const put = (pos: number, s: string) => s.split('').forEach((c, i) => (chars[pos + i] = c));
  put(0, '250101');
  put(6, o.type ?? 's');
  put(7, o.date1 ?? '    ');
  put(11, o.date2 ?? '    ');
  put(15, o.place ?? 'vm ');
  put(23, o.form ?? ' ');
  put(35, o.lang ?? 'vie');
  put(39, 'd');
  for (const [pos, s] of Object.entries(o.at ?? {})) put(Number(pos), s);
  return ctl('008', chars.join(''));
}

function record(leader: string, ...fields: MarcLikeField[]): MarcLike {
  return { leader, fields };
}

/** Every string in the record decomposed, as some converters deliver it. */
function toNfd(r: MarcLike): MarcLike {
  return {
    leader: r.leader,
    fields: r.fields.map((f) =>
      'subfields' in f
        ? { ...f, subfields: f.subfields.map((s) => ({ code: s.code, value: s.value.normalize('NFD') })) }
        : { ...f, value: f.value.normalize('NFD') },
    ),
  };
}

const EMPTY: DerivedRecord = {
  alternativeTitles: [],
  authors: [],
  subjects: [],
  places: [],
  publishers: [],
  series: [],
  notes: [],
  summaries: [],
  languages: [],
  isbns: [],
  issns: [],
  systemNumbers: [],
  classifications: [],
  links: [],
  materialType: 'other',
  electronic: false,
};

// ---------------------------------------------------------------------------------------------
// Records

const KIEU = record(
  '01234nam a2200397 a 4500',
  ctl('001', 'VN-NLV-2015-000123'),
  ctl('003', 'VN-NLV'),
  f008({ date1: '2015', lang: 'vie' }),
  df('020', '  ', 'a', '604-69-2231-3 (bìa mềm) :', 'c', '85000đ'),
  df('035', '  ', 'a', '(VN-NLV)000123'),
  df('041', '0 ', 'a', 'vie', 'a', 'eng'),
  df('082', '04', 'a', '895.9221', 'b', 'NG527D', '2', '23/vie'),
  df('084', '  ', 'a', 'V23(1)', '2', 'bbk'),
  df('100', '0 ', 'a', 'Nguyễn Du,', 'd', '1765-1820.'),
  df('245', '10', 'a', 'Truyện Kiều /', 'c', 'Nguyễn Du ; Đào Duy Anh khảo đính, chú giải.'),
  df('246', '1 ', 'i', 'Tên khác:', 'a', 'Đoạn trường tân thanh'),
  df('250', '  ', 'a', 'Tái bản lần thứ 3.'),
  df('260', '  ', 'a', 'Hà Nội :', 'b', 'Văn học,', 'c', '2015.'),
  df('300', '  ', 'a', '250 tr. :', 'b', 'tranh vẽ ;', 'c', '21 cm.'),
  df('490', '0 ', 'a', 'Văn học cổ điển Việt Nam ;', 'v', '5'),
  df('500', '  ', 'a', 'Tên thật của tác phẩm: Đoạn trường tân thanh.'),
  df('520', '  ', 'a', 'Truyện thơ Nôm viết theo thể lục bát, kể về cuộc đời Thuý Kiều.'),
  df('650', ' 7', 'a', 'Văn học cổ điển', 'z', 'Việt Nam', 'y', 'Thế kỷ 18-19', 'v', 'Truyện thơ.', '2', 'Bộ TK TVQG'),
  df('650', ' 4', 'a', 'Truyện thơ Nôm.'),
  df('700', '0 ', 'a', 'Đào Duy Anh,', 'd', '1904-1988,', 'e', 'khảo đính,', 'e', 'chú giải.', '4', 'edt'),
);

const KIEU_DERIVED: DerivedRecord = {
  title: 'Truyện Kiều',
  shortTitle: 'Truyện Kiều',
  responsibility: 'Nguyễn Du ; Đào Duy Anh khảo đính, chú giải',
  sortTitle: 'Truyện Kiều',
  alternativeTitles: [{ title: 'Đoạn trường tân thanh', kind: 'varying', tag: '246', label: 'Tên khác' }],
  authors: [
    { name: 'Nguyễn Du', dates: '1765-1820', roles: [], roleCodes: [], kind: 'personal', main: true, tag: '100' },
    { name: 'Đào Duy Anh', dates: '1904-1988', roles: ['khảo đính', 'chú giải'], roleCodes: ['edt'], kind: 'personal', main: false, tag: '700' },
  ],
  subjects: [
    {
      heading: 'Văn học cổ điển -- Việt Nam -- Thế kỷ 18-19 -- Truyện thơ',
      parts: ['Văn học cổ điển', 'Việt Nam', 'Thế kỷ 18-19', 'Truyện thơ'],
      kind: 'topical',
      vocabulary: 'Bộ TK TVQG',
      tag: '650',
    },
    { heading: 'Truyện thơ Nôm', parts: ['Truyện thơ Nôm'], kind: 'topical', tag: '650' },
  ],
  places: ['Hà Nội'],
  publishers: ['Văn học'],
  publicationDate: '2015',
  year: 2015,
  edition: 'Tái bản lần thứ 3',
  series: [{ title: 'Văn học cổ điển Việt Nam', volume: '5', tag: '490' }],
  physicalDescription: '250 tr. : tranh vẽ ; 21 cm',
  notes: [{ tag: '500', text: 'Tên thật của tác phẩm: Đoạn trường tân thanh.' }],
  summaries: ['Truyện thơ Nôm viết theo thể lục bát, kể về cuộc đời Thuý Kiều.'],
  languages: ['vie', 'eng'],
  isbns: [{ raw: '604-69-2231-3 (bìa mềm) :', isbn13: '9786046922315', isbn10: '6046922313', qualifier: 'bìa mềm', status: 'valid' }],
  issns: [],
  controlNumber: { value: 'VN-NLV-2015-000123', source: 'VN-NLV' },
  systemNumbers: [{ value: '000123', source: 'VN-NLV', cancelled: false }],
  classifications: [
    { scheme: 'ddc', number: '895.9221', edition: '23/vie', itemNumber: 'NG527D', tag: '082' },
    { scheme: 'bbk', number: 'V23(1)', source: 'bbk', tag: '084' },
  ],
  callNumber: { value: '895.9221 NG527D', scheme: 'ddc', tag: '082', shelfKey: 'A0895.9221 1N0G0 527 D0 ' },
  links: [],
  materialType: 'book',
  electronic: false,
  matchKey: 'text|truyen kieu|nguyen|2015',
};

const HARRY_POTTER = record(
  '01532cam a2200397 i 4500',
  ctl('001', '37864438'),
  ctl('003', 'OCoLC'),
  f008({ date1: '1998', place: 'nyu', lang: 'eng', at: { 22: 'j' } }),
  df('020', '  ', 'a', '0590353403', 'q', '(hardcover)'),
  df('020', '  ', 'a', '9780590353403'),
  df('020', '  ', 'z', '0-590-35341-2'),
  df('035', '  ', 'a', '(OCoLC)37864438', 'z', '(OCoLC)40004356'),
  df('050', '00', 'a', 'PZ7.R79835', 'b', 'Har 1998'),
  df('082', '00', 'a', '823/.914', '2', '21'),
  df('100', '1 ', 'a', 'Rowling, J. K.,', 'e', 'author.'),
  df('245', '10', 'a', "Harry Potter and the sorcerer's stone /", 'c', 'by J.K. Rowling ; illustrations by Mary GrandPré.'),
  df('246', '30', 'a', "Sorcerer's stone"),
  df('250', '  ', 'a', '1st American ed.'),
  df('264', ' 1', 'a', 'New York :', 'b', 'Arthur A. Levine Books,', 'c', '1998.'),
  df('264', ' 4', 'c', '©1997'),
  df('300', '  ', 'a', '309 pages :', 'b', 'illustrations ;', 'c', '24 cm'),
  df('336', '  ', 'a', 'text', 'b', 'txt', '2', 'rdacontent'),
  df('338', '  ', 'a', 'volume', 'b', 'nc', '2', 'rdacarrier'),
  df('490', '1 ', 'a', 'Harry Potter ;', 'v', 'year 1'),
  df('520', '  ', 'a', 'Rescued from the outrageous neglect of his aunt and uncle, a young boy with a great destiny proves his worth while attending Hogwarts School for Witchcraft and Wizardry.'),
  df('650', ' 0', 'a', 'Wizards', 'v', 'Juvenile fiction.'),
  df('650', ' 0', 'a', 'Magic', 'v', 'Juvenile fiction.'),
  df('650', ' 1', 'a', 'Magic', 'v', 'Fiction.'),
  df('651', ' 0', 'a', 'England', 'v', 'Fiction.'),
  df('655', ' 7', 'a', 'Fantasy fiction.', '2', 'lcgft'),
  df('700', '1 ', 'a', 'GrandPré, Mary,', 'e', 'illustrator.', '4', 'http://id.loc.gov/vocabulary/relators/ill'),
  df('830', ' 0', 'a', 'Harry Potter ;', 'v', 'year 1.'),
);

const HARRY_POTTER_DERIVED: DerivedRecord = {
  title: "Harry Potter and the sorcerer's stone",
  shortTitle: "Harry Potter and the sorcerer's stone",
  responsibility: 'by J.K. Rowling ; illustrations by Mary GrandPré',
  sortTitle: "Harry Potter and the sorcerer's stone",
  alternativeTitles: [{ title: "Sorcerer's stone", kind: 'varying', tag: '246' }],
  authors: [
    { name: 'Rowling, J. K.', roles: ['author'], roleCodes: [], kind: 'personal', main: true, tag: '100' },
    { name: 'GrandPré, Mary', roles: ['illustrator'], roleCodes: ['ill'], kind: 'personal', main: false, tag: '700' },
  ],
  subjects: [
    { heading: 'Wizards -- Juvenile fiction', parts: ['Wizards', 'Juvenile fiction'], kind: 'topical', vocabulary: 'lcsh', tag: '650' },
    { heading: 'Magic -- Juvenile fiction', parts: ['Magic', 'Juvenile fiction'], kind: 'topical', vocabulary: 'lcsh', tag: '650' },
    { heading: 'Magic -- Fiction', parts: ['Magic', 'Fiction'], kind: 'topical', vocabulary: 'lcshac', tag: '650' },
    { heading: 'England -- Fiction', parts: ['England', 'Fiction'], kind: 'geographic', vocabulary: 'lcsh', tag: '651' },
    { heading: 'Fantasy fiction', parts: ['Fantasy fiction'], kind: 'genre', vocabulary: 'lcgft', tag: '655' },
  ],
  places: ['New York'],
  publishers: ['Arthur A. Levine Books'],
  publicationDate: '1998',
  year: 1998,
  edition: '1st American ed.',
  series: [{ title: 'Harry Potter', volume: 'year 1', tag: '490' }],
  physicalDescription: '309 pages : illustrations ; 24 cm',
  notes: [],
  summaries: [
    'Rescued from the outrageous neglect of his aunt and uncle, a young boy with a great destiny proves his worth while attending Hogwarts School for Witchcraft and Wizardry.',
  ],
  languages: ['eng'],
  isbns: [
    { raw: '0590353403', isbn13: '9780590353403', isbn10: '0590353403', qualifier: 'hardcover', status: 'valid' },
    { raw: '0-590-35341-2', status: 'cancelled' },
  ],
  issns: [],
  controlNumber: { value: '37864438', source: 'OCoLC' },
  systemNumbers: [
    { value: '37864438', source: 'OCoLC', cancelled: false },
    { value: '40004356', source: 'OCoLC', cancelled: true },
  ],
  classifications: [
    { scheme: 'lcc', number: 'PZ7.R79835', itemNumber: 'Har 1998', tag: '050' },
    { scheme: 'ddc', number: '823.914', edition: '21', tag: '082' },
  ],
  callNumber: { value: '823.914', scheme: 'ddc', tag: '082', shelfKey: 'A0823.914 ' },
  links: [],
  materialType: 'book',
  electronic: false,
  matchKey: 'text|harry potter and the sorcerers stone|rowling|1998',
};

const LIBRARY_JOURNAL = record(
  '00876cas a2200241 a 4500',
  ctl('001', 'TC-0042'),
  f008({ type: 'c', date1: '2005', date2: '9999', lang: 'vie', at: { 18: 'b', 19: 'r', 21: 'p' } }),
  df('022', '0 ', 'a', '1859-1450', 'y', '1859-1451', 'l', '1859-1450'),
  df('041', '0 ', 'a', 'vieeng'),
  df('245', '00', 'a', 'Tạp chí Thư viện Việt Nam.'),
  df('260', '  ', 'a', 'Hà Nội :', 'b', 'Thư viện Quốc gia Việt Nam,', 'c', '2005-'),
  df('300', '  ', 'a', 'v. :', 'b', 'minh họa ;', 'c', '27 cm.'),
  df('310', '  ', 'a', 'Hai tháng một kỳ'),
  df('362', '0 ', 'a', 'Số 1 (2005)-'),
  df('650', ' 7', 'a', 'Thư viện học', 'v', 'Tạp chí.', '2', 'Bộ TK TVQG'),
  df('710', '2 ', 'a', 'Thư viện Quốc gia Việt Nam.'),
  df('856', '41', 'u', 'http://tapchi.nlv.gov.vn/', 'y', 'Bản điện tử'),
);

const LIBRARY_JOURNAL_DERIVED: DerivedRecord = {
  title: 'Tạp chí Thư viện Việt Nam',
  shortTitle: 'Tạp chí Thư viện Việt Nam',
  sortTitle: 'Tạp chí Thư viện Việt Nam',
  alternativeTitles: [],
  authors: [{ name: 'Thư viện Quốc gia Việt Nam', roles: [], roleCodes: [], kind: 'corporate', main: false, tag: '710' }],
  subjects: [
    {
      heading: 'Thư viện học -- Tạp chí',
      parts: ['Thư viện học', 'Tạp chí'],
      kind: 'topical',
      vocabulary: 'Bộ TK TVQG',
      tag: '650',
    },
  ],
  places: ['Hà Nội'],
  publishers: ['Thư viện Quốc gia Việt Nam'],
  publicationDate: '2005-',
  year: 2005,
  series: [],
  physicalDescription: 'v. : minh họa ; 27 cm',
  notes: [],
  summaries: [],
  languages: ['vie', 'eng'],
  isbns: [],
  issns: [
    { raw: '1859-1450', issn: '1859-1450', status: 'valid' },
    { raw: '1859-1451', status: 'incorrect' },
    { raw: '1859-1450', issn: '1859-1450', status: 'linking' },
  ],
  controlNumber: { value: 'TC-0042' },
  systemNumbers: [],
  classifications: [],
  links: [{ url: 'http://tapchi.nlv.gov.vn/', label: 'Bản điện tử', relation: 'version' }],
  materialType: 'serial',
  electronic: false,
  matchKey: 'serial|tap chi thu vien viet nam|thuvienquocgiavi|2005',
};

const THESIS = record(
  '00000ctm a2200000 a 4500',
  f008({ date1: '2010', lang: 'vie', at: { 24: 'm' } }),
  df('040', '  ', 'a', 'VN-DHQGHN'),
  df('092', '  ', 'a', '027.4597', 'b', 'TR121H'),
  df('100', '0 ', 'a', 'Trần Thị Hoa.'),
  df(
    '245',
    '10',
    'a',
    'Hoạt động thư viện ở Đồng bằng sông Cửu Long (1975-2005) :',
    'b',
    'luận án tiến sĩ lịch sử /',
    'c',
    'Trần Thị Hoa ; Người hướng dẫn: Nguyễn Văn Bình.',
  ),
  df('260', '  ', 'a', 'Hà Nội :', 'b', '[s.n.],', 'c', '2010.'),
  df('300', '  ', 'a', '210 tr. ;', 'c', '30 cm.'),
  df('502', '  ', 'b', 'Luận án Tiến sĩ', 'c', 'Trường Đại học Khoa học Xã hội và Nhân văn, Đại học Quốc gia Hà Nội', 'd', '2010'),
  df('504', '  ', 'a', 'Thư mục: tr. 195-210.'),
  df('651', ' 7', 'a', 'Đồng bằng sông Cửu Long', 'x', 'Thư viện', 'x', 'Lịch sử', 'y', '1975-2005.', '2', 'Bộ TK TVQG'),
);

const THESIS_DERIVED: DerivedRecord = {
  title: 'Hoạt động thư viện ở Đồng bằng sông Cửu Long (1975-2005) : luận án tiến sĩ lịch sử',
  shortTitle: 'Hoạt động thư viện ở Đồng bằng sông Cửu Long (1975-2005)',
  subtitle: 'luận án tiến sĩ lịch sử',
  responsibility: 'Trần Thị Hoa ; Người hướng dẫn: Nguyễn Văn Bình',
  sortTitle: 'Hoạt động thư viện ở Đồng bằng sông Cửu Long (1975-2005) : luận án tiến sĩ lịch sử',
  alternativeTitles: [],
  authors: [{ name: 'Trần Thị Hoa', roles: [], roleCodes: [], kind: 'personal', main: true, tag: '100' }],
  subjects: [
    {
      heading: 'Đồng bằng sông Cửu Long -- Thư viện -- Lịch sử -- 1975-2005',
      parts: ['Đồng bằng sông Cửu Long', 'Thư viện', 'Lịch sử', '1975-2005'],
      kind: 'geographic',
      vocabulary: 'Bộ TK TVQG',
      tag: '651',
    },
  ],
  places: ['Hà Nội'],
  publishers: [],
  publicationDate: '2010',
  year: 2010,
  series: [],
  physicalDescription: '210 tr. ; 30 cm',
  notes: [
    { tag: '502', text: 'Luận án Tiến sĩ Trường Đại học Khoa học Xã hội và Nhân văn, Đại học Quốc gia Hà Nội 2010' },
    { tag: '504', text: 'Thư mục: tr. 195-210.' },
  ],
  summaries: [],
  languages: ['vie'],
  isbns: [],
  issns: [],
  systemNumbers: [],
  classifications: [],
  callNumber: { value: '027.4597 TR121H', scheme: 'ddc', tag: '092', shelfKey: 'A0027.4597 1T0R0 121 H0 ' },
  links: [],
  materialType: 'thesis',
  electronic: false,
  matchKey: 'text|hoat dong thu vien o dong bang song cuu long 1975 2005|tran|2010',
};

const EBOOK = record(
  '00000cam a2200000 i 4500',
  ctl('007', 'cr |n|||||||||'),
  f008({ date1: '2020', lang: 'vie', form: 'o' }),
  df('020', '  ', 'a', 'ISBN 978-604-12-3456-7'),
  df('082', '04', 'a', '025.84', '2', '23/vie'),
  df('110', '2 ', 'a', 'Việt Nam.', 'b', 'Bộ Văn hoá, Thể thao và Du lịch.'),
  df(
    '245',
    '10',
    'a',
    'Sổ tay số hoá tài liệu ',
    'h',
    '[Tài liệu điện tử] :',
    'b',
    'hướng dẫn cho thư viện công cộng /',
    'c',
    'Bộ Văn hoá, Thể thao và Du lịch.',
  ),
  df('264', ' 1', 'a', '[Hà Nội] :', 'b', 'Thông tin và Truyền thông,', 'c', '[2020?]'),
  df('300', '  ', 'a', '1 tài nguyên trực tuyến (120 tr.)'),
  df('338', '  ', 'a', 'tài nguyên trực tuyến', 'b', 'cr', '2', 'rdacarrier'),
  df('650', ' 7', 'a', 'Số hoá tài liệu', 'v', 'Sổ tay.', '2', 'Bộ TK TVQG'),
  df('856', '40', 'u', 'https://thuvien.example.vn/so-tay-so-hoa.pdf', 'y', 'Đọc toàn văn', 'z', 'Cần đăng nhập bằng thẻ bạn đọc.'),
  df('856', '42', '3', 'Mục lục', 'u', 'www.example.vn/muc-luc'),
  df('856', '40', 'u', 'javascript:alert(1)'),
);

const EBOOK_DERIVED: DerivedRecord = {
  title: 'Sổ tay số hoá tài liệu : hướng dẫn cho thư viện công cộng',
  shortTitle: 'Sổ tay số hoá tài liệu',
  subtitle: 'hướng dẫn cho thư viện công cộng',
  responsibility: 'Bộ Văn hoá, Thể thao và Du lịch',
  sortTitle: 'Sổ tay số hoá tài liệu : hướng dẫn cho thư viện công cộng',
  alternativeTitles: [],
  authors: [{ name: 'Việt Nam. Bộ Văn hoá, Thể thao và Du lịch', roles: [], roleCodes: [], kind: 'corporate', main: true, tag: '110' }],
  subjects: [
    { heading: 'Số hoá tài liệu -- Sổ tay', parts: ['Số hoá tài liệu', 'Sổ tay'], kind: 'topical', vocabulary: 'Bộ TK TVQG', tag: '650' },
  ],
  places: ['Hà Nội'],
  publishers: ['Thông tin và Truyền thông'],
  publicationDate: '2020?',
  year: 2020,
  series: [],
  physicalDescription: '1 tài nguyên trực tuyến (120 tr.)',
  notes: [],
  summaries: [],
  languages: ['vie'],
  isbns: [{ raw: 'ISBN 978-604-12-3456-7', isbn13: '9786041234567', isbn10: '6041234567', status: 'valid' }],
  issns: [],
  systemNumbers: [],
  classifications: [{ scheme: 'ddc', number: '025.84', edition: '23/vie', tag: '082' }],
  callNumber: { value: '025.84', scheme: 'ddc', tag: '082', shelfKey: 'A0025.84 ' },
  links: [
    {
      url: 'https://thuvien.example.vn/so-tay-so-hoa.pdf',
      label: 'Đọc toàn văn',
      note: 'Cần đăng nhập bằng thẻ bạn đọc',
      relation: 'resource',
    },
    { url: 'http://www.example.vn/muc-luc', label: 'Mục lục', relation: 'related' },
  ],
  materialType: 'e-book',
  electronic: true,
  matchKey: 'text-e|so tay so hoa tai lieu|vietnambovanhoat|2020',
};

// ---------------------------------------------------------------------------------------------

describe('deriveFields: whole records', () => {
  it.each<[string, MarcLike, DerivedRecord]>([
    ['Vietnamese book (Truyện Kiều)', KIEU, KIEU_DERIVED],
    ['foreign book (Harry Potter, RDA)', HARRY_POTTER, HARRY_POTTER_DERIVED],
    ['serial with ISSN', LIBRARY_JOURNAL, LIBRARY_JOURNAL_DERIVED],
    ['thesis with 502', THESIS, THESIS_DERIVED],
    ['e-book with 007 and 856', EBOOK, EBOOK_DERIVED],
  ])('%s', (_name, input, expected) => {
    expect(deriveFields(input)).toEqual(expected);
  });

  it.each<[string, MarcLike]>([
    ['Truyện Kiều', KIEU],
    ['thesis', THESIS],
    ['e-book', EBOOK],
    ['serial', LIBRARY_JOURNAL],
  ])('NFD input (%s) comes out NFC and identical', (_name, input) => {
    const nfd = toNfd(input);
    expect(JSON.stringify(nfd)).not.toBe(JSON.stringify(input));
    const derived = deriveFields(nfd);
    expect(derived).toEqual(deriveFields(input));
    expect(JSON.stringify(derived)).toBe(JSON.stringify(derived).normalize('NFC'));
  });
});

describe('deriveFields: titles', () => {
  it.each<[string, MarcDataField, Partial<DerivedRecord>]>([
    [
      'parallel title',
      df('245', '10', 'a', 'Truyện Kiều =', 'b', 'The tale of Kieu /', 'c', 'Nguyễn Du.'),
      { title: 'Truyện Kiều = The tale of Kieu', shortTitle: 'Truyện Kiều', subtitle: 'The tale of Kieu' },
    ],
    [
      'part number and name',
      df('245', '00', 'a', 'Lịch sử Việt Nam.', 'n', 'Tập 1,', 'p', 'Từ khởi thủy đến thế kỷ X /', 'c', 'Viện Sử học.'),
      { title: 'Lịch sử Việt Nam. Tập 1, Từ khởi thủy đến thế kỷ X', shortTitle: 'Lịch sử Việt Nam. Tập 1, Từ khởi thủy đến thế kỷ X' },
    ],
    [
      'minimal punctuation (PCC) reads the same',
      df('245', '00', 'a', 'Lịch sử Việt Nam', 'n', 'Tập 1', 'p', 'Từ khởi thủy đến thế kỷ X', 'c', 'Viện Sử học'),
      { title: 'Lịch sử Việt Nam. Tập 1, Từ khởi thủy đến thế kỷ X', shortTitle: 'Lịch sử Việt Nam. Tập 1, Từ khởi thủy đến thế kỷ X' },
    ],
    [
      'subtitle between title and part',
      df('245', '00', 'a', 'Tuyển tập :', 'b', 'thơ và văn xuôi.', 'n', 'Tập 2'),
      { title: 'Tuyển tập : thơ và văn xuôi. Tập 2', shortTitle: 'Tuyển tập. Tập 2', subtitle: 'thơ và văn xuôi' },
    ],
    ['non-filing characters', df('245', '14', 'a', 'The hobbit, or, There and back again /'), { sortTitle: 'hobbit, or, There and back again' }],
    ['non-filing apostrophe', df('245', '12', 'a', "L'étranger /"), { sortTitle: 'étranger' }],
    ['a wrong indicator that would cut a word is ignored', df('245', '14', 'a', 'Truyện Kiều /'), { sortTitle: 'Truyện Kiều' }],
    ['an indicator longer than the title is ignored', df('245', '19', 'a', 'Kiều'), { sortTitle: 'Kiều' }],
    ['supplied title in brackets', df('245', '00', 'a', '[Bản đồ hành chính Việt Nam]'), { title: 'Bản đồ hành chính Việt Nam' }],
  ])('%s', (_name, field, expected) => {
    expect(deriveFields(record('00000nam a2200000 a 4500', field))).toMatchObject(expected);
  });
});

describe('deriveFields: authors keep the order and form written', () => {
  it('never re-orders names and separates dates, roles and codes', () => {
    const r = record(
      '00000nam a2200000 a 4500',
      df('700', '0 ', 'a', 'Hồ Chí Minh,', 'd', '1890-1969.'),
      df('100', '1 ', 'a', 'Nguyễn, Văn A.'),
      df('711', '2 ', 'a', 'Hội thảo khoa học Thư viện', 'n', '(3 :', 'd', '2019 :', 'c', 'Cần Thơ).', 'j', 'tác giả.'),
      df('710', '2 ', 'a', 'Việt Nam (Cộng hòa xã hội chủ nghĩa).', 'b', 'Quốc hội.', 'e', 'cơ quan ban hành.'),
      df('700', '1 ', 'a', 'Smith, John,', 'c', 'Jr.,', 'd', '1950-', 'e', 'dịch.', '4', 'trl'),
      df('700', '0 ', 'a', '', 'd', '1900-'),
    );
    expect(deriveFields(r).authors).toEqual([
      { name: 'Nguyễn, Văn A.', roles: [], roleCodes: [], kind: 'personal', main: true, tag: '100' },
      { name: 'Hồ Chí Minh', dates: '1890-1969', roles: [], roleCodes: [], kind: 'personal', main: false, tag: '700' },
      {
        name: 'Hội thảo khoa học Thư viện (3 : 2019 : Cần Thơ)',
        roles: ['tác giả'],
        roleCodes: [],
        kind: 'meeting',
        main: false,
        tag: '711',
      },
      {
        name: 'Việt Nam (Cộng hòa xã hội chủ nghĩa). Quốc hội',
        roles: ['cơ quan ban hành'],
        roleCodes: [],
        kind: 'corporate',
        main: false,
        tag: '710',
      },
      { name: 'Smith, John, Jr.', dates: '1950-', roles: ['dịch'], roleCodes: ['trl'], kind: 'personal', main: false, tag: '700' },
    ]);
  });
});

describe('deriveFields: publication year', () => {
  it.each<[string, number | undefined]>([
    ['2015.', 2015],
    ['c2003.', 2003],
    ['[1995?]', 1995],
    ['©2010', 2010],
    ['p1998', 1998],
    ['2003-2005.', 2003],
    ['1998 [i.e. 1999]', 1999],
    ['19uu', undefined],
    ['[199-?]', undefined],
    ['[s.a.]', undefined],
    ['', undefined],
    ['12345', undefined],
    ['0999', undefined],
  ])('yearIn(%j) = %j', (input, expected) => {
    expect(yearIn(input)).toBe(expected);
  });

  it.each<[string, MarcLikeField[], number | undefined]>([
    ['260 $c wins over 008', [f008({ date1: '2014' }), df('260', '  ', 'c', 'c2015.')], 2015],
    ['264 ind2 1 is used', [df('264', ' 1', 'c', '[2001]')], 2001],
    ['264 ind2 3 (manufacture) is not publication', [df('264', ' 3', 'c', '2001')], undefined],
    ['008 when the date has no year', [f008({ date1: '1987' }), df('260', '  ', 'c', '[s.a.]')], 1987],
    ['008 when there is no 260', [f008({ date1: '1987' })], 1987],
    ['008 with 19uu has none', [f008({ date1: '19uu' })], undefined],
    ['008 with B.C. dates has none', [f008({ type: 'b', date1: '0500' })], undefined],
    ['copyright date last', [f008({ date1: 'uuuu' }), df('264', ' 4', 'c', '©2019')], 2019],
    ['008 too short', [ctl('008', '150312s19')], undefined],
  ])('%s', (_name, fields, expected) => {
    expect(deriveFields(record('00000nam a2200000 a 4500', ...fields)).year).toBe(expected);
  });
});

describe('deriveFields: material type', () => {
  it.each<[string, string, MarcLikeField[], DerivedRecord['materialType'], boolean]>([
    ['printed book', 'nam', [], 'book', false],
    ['e-book by 008/23', 'nam', [f008({ form: 'o' })], 'e-book', true],
    ['e-book by 007', 'nam', [ctl('007', 'cr unu')], 'e-book', true],
    ['e-book by 338', 'nam', [df('338', '  ', 'b', 'cr')], 'e-book', true],
    ['e-book by 245 $h', 'nam', [df('245', '00', 'a', 'Tên sách', 'h', '[electronic resource]')], 'e-book', true],
    ['thesis (language material + 502)', 'nam', [df('502', '  ', 'a', 'Luận văn thạc sĩ')], 'thesis', false],
    ['thesis (manuscript + 502)', 'ntm', [df('502', '  ', 'a', 'Luận văn thạc sĩ')], 'thesis', false],
    ['manuscript', 'ntm', [], 'manuscript', false],
    ['serial', 'nas', [], 'serial', false],
    ['online serial', 'nas', [f008({ form: 'o' })], 'serial', true],
    ['integrating resource', 'nai', [], 'serial', false],
    ['article', 'nab', [], 'article', false],
    ['printed music', 'ncm', [], 'score', false],
    ['map', 'nem', [], 'map', false],
    ['online map (008/29)', 'nem', [f008({ at: { 29: 'o' } })], 'map', true],
    ['video', 'ngm', [f008({ at: { 33: 'v' } })], 'video', false],
    ['slides', 'ngm', [f008({ at: { 33: 's' } })], 'image', false],
    ['music recording', 'njm', [], 'sound-recording', false],
    ['spoken recording', 'nim', [], 'sound-recording', false],
    ['picture', 'nkm', [], 'image', false],
    ['computer file', 'nmm', [], 'computer-file', true],
    ['kit', 'nom', [], 'kit', false],
    ['mixed materials', 'npc', [], 'mixed-materials', false],
    ['object', 'nrm', [], 'object', false],
    ['unreadable leader, ISSN', '', [df('022', '  ', 'a', '0317-8471')], 'serial', false],
    ['unreadable leader, title', 'x', [df('245', '00', 'a', 'Tên sách')], 'book', false],
    ['unreadable leader, 502', '', [df('502', '  ', 'a', 'Luận án')], 'thesis', false],
    ['nothing at all', '', [], 'other', false],
  ])('%s', (_name, leaderTail, fields, type, electronic) => {
    const leader = leaderTail.length === 3 ? `00000${leaderTail} a2200000 a 4500` : leaderTail;
    const d = deriveFields(record(leader, ...fields));
    expect([d.materialType, d.electronic]).toEqual([type, electronic]);
  });
});

describe('deriveFields: languages', () => {
  it.each<[string, MarcLikeField[], string[]]>([
    ['008 and 041, deduplicated', [f008({ lang: 'vie' }), df('041', '1 ', 'a', 'vie', 'a', 'fre', 'h', 'chi')], ['vie', 'fre']],
    ['codes run together before 2001', [df('041', '0 ', 'a', 'vieengfre')], ['vie', 'eng', 'fre']],
    ['upper case and blanks', [f008({ lang: '   ' }), df('041', '0 ', 'a', 'ENG', 'a', ' ', 'a', 'vi')], ['eng']],
    ['fill characters', [f008({ lang: '|||' })], []],
  ])('%s', (_name, fields, expected) => {
    expect(deriveFields(record('00000nam a2200000 a 4500', ...fields)).languages).toEqual(expected);
  });
});

describe('deriveFields: call number', () => {
  it.each<[string, MarcLikeField[], DerivedRecord['callNumber']]>([
    ['090 shaped like DDC', [df('090', '  ', 'a', '895.922', 'b', 'NG527')], { value: '895.922 NG527', scheme: 'ddc', tag: '090', shelfKey: 'A0895.922 1N0G0 527  ' }],
    [
      '099 with the record BBK number',
      [df('084', '  ', 'a', '63.3(5Вьет)', '2', 'rubbk'), df('099', '  ', 'a', '63.3(5Вьет)', 'a', 'Л64')],
      { value: '63.3(5Вьет) Л64', scheme: 'bbk', tag: '099', shelfKey: 'A01gdd&f_B_]_E_S##1_L 64  ' },
    ],
    [
      '852 with DDC indicator',
      [df('852', '1 ', 'b', 'KG', 'k', 'R', 'h', '030', 'i', 'B103')],
      { value: 'R 030 B103', scheme: 'ddc', tag: '852', shelfKey: 'BR0 0030 1B0 103  ' },
    ],
    [
      '952 (Koha item) with its source',
      [df('952', '  ', 'o', '84(2Рос=Рус)6-44 Т48', '2', 'bbk')],
      { value: '84(2Рос=Рус)6-44 Т48', scheme: 'bbk', tag: '952', shelfKey: "A01ie&c_Q_O_R'_Q_T_R#g(ee#1_S 48  " },
    ],
    ['082 with cutter when nothing else', [df('082', '04', 'a', '895.922/3', 'b', 'Tr121b')], { value: '895.9223 Tr121b', scheme: 'ddc', tag: '082', shelfKey: 'A0895.9223 1T0R0 121 B0 ' }],
    ['none', [df('084', '  ', 'a', 'V23(1)', '2', 'bbk')], undefined],
  ])('%s', (_name, fields, expected) => {
    expect(deriveFields(record('00000nam a2200000 a 4500', ...fields)).callNumber).toEqual(expected);
  });
});

describe('deriveFields: tolerance', () => {
  it('an empty record gives empty fields', () => {
    expect(deriveFields({ leader: '', fields: [] })).toEqual(EMPTY);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['no fields', { leader: '00000nam' }],
    ['fields not an array', { leader: 1, fields: 'x' }],
    ['junk fields', { leader: '00000nam a2200000 a 4500', fields: [null, 1, 'x', { tag: 245 }, { tag: '245' }, { tag: '245', subfields: [null, { code: 5 }] }] }],
    ['non-string values', { leader: '', fields: [{ tag: '245', ind1: null, ind2: 4, subfields: [{ code: 'a', value: null }, { code: 'b', value: 42 }] }] }],
  ])('never throws on %s', (_name, input) => {
    expect(() => deriveFields(input as MarcLike)).not.toThrow();
  });

  it('reads what it can from a damaged record', () => {
    const r = record(
      '00000',
      ctl('008', '150312s2015'),
      df('245', '  ', 'a', '', 'b', 'phụ đề /', 'c', ''),
      df('245', '00', 'a', 'Nhan đề thứ hai'),
      df('260', '  ', 'a', '', 'b', ' ', 'c', ''),
      df('650', ' 0', 'x', 'Lịch sử'),
      df('650', ' 0', 'a', ''),
      df('020', '  ', 'a', ''),
      df('020', '  ', 'a', 'không có số'),
      df('856', '40', 'u', ''),
    );
    expect(deriveFields(r)).toEqual({
      ...EMPTY,
      title: 'phụ đề',
      subtitle: 'phụ đề',
      sortTitle: 'phụ đề',
      subjects: [{ heading: 'Lịch sử', parts: ['Lịch sử'], kind: 'topical', vocabulary: 'lcsh', tag: '650' }],
      year: 2015,
      isbns: [{ raw: 'không có số', status: 'invalid' }],
      materialType: 'book',
      matchKey: 'text|phu de||2015',
    });
  });

  it('uses the first of repeated non-repeatable fields', () => {
    const r = record('00000nam a2200000 a 4500', df('245', '00', 'a', 'Một'), df('245', '00', 'a', 'Hai'), df('250', '  ', 'a', 'In lần 1'), df('250', '  ', 'a', 'In lần 2'));
    const d = deriveFields(r);
    expect([d.title, d.edition]).toEqual(['Một', 'In lần 1']);
  });
});

describe('deriveFields: matching key', () => {
  const book = (...fields: MarcLikeField[]) => deriveFields(record('00000nam a2200000 a 4500', ...fields)).matchKey;

  it('agrees across cataloguing habits', () => {
    const a = book(df('100', '0 ', 'a', 'Nguyễn Du.'), df('245', '10', 'a', 'Truyện Kiều :', 'b', 'bản đầy đủ /'), df('260', '  ', 'c', '2015.'));
    const b = book(df('100', '1 ', 'a', 'Nguyễn, Du'), df('245', '10', 'a', 'TRUYỆN KIỀU'), df('264', ' 1', 'c', 'c2015'));
    const c = book(df('100', '0 ', 'a', 'Nguyễn Du'.normalize('NFD')), df('245', '10', 'a', 'Truyện Kiều'.normalize('NFD')), f008({ date1: '2015' }));
    expect(a).toBe('text|truyen kieu|nguyen|2015');
    expect(b).toBe(a);
    expect(c).toBe(a);
  });

  it.each<[string, MarcLikeField[], string | undefined]>([
    ['i/y and tone placement', [df('245', '00', 'a', 'Kĩ thuật trồng lúa hoà bình'), df('260', '  ', 'c', '2001')], 'text|ki thuat trong lua hoa binh||2001'],
    ['volumes differ', [df('245', '00', 'a', 'Lịch sử Việt Nam.', 'n', 'Tập 2')], 'text|lich su viet nam tap 2||'],
    ['non-filing article skipped', [df('245', '04', 'a', 'The hobbit'), df('100', '1 ', 'a', 'Tolkien, J. R. R.')], 'text|hobbit|tolkien|'],
    ['long title cut at 60 characters', [df('245', '00', 'a', 'Một hai ba bốn năm sáu bảy tám chín mười mười một mười hai mười ba mười bốn')], 'text|mot hai ba bon nam sau bay tam chin muoi muoi mot muoi hai m||'],
    ['no title, no key', [df('100', '0 ', 'a', 'Nguyễn Du')], undefined],
  ])('%s', (_name, fields, expected) => {
    expect(book(...fields)).toBe(expected);
  });
});
