import { describe, expect, it } from 'vitest';
import { marcToDc } from './marc-dc.js';
import type { MarcDataField, MarcLike, MarcLikeField } from './marc-like.js';

/** `df('245', '1', '0', 'a', 'Truyện Kiều /', 'c', 'Nguyễn Du.')`. */
function df(tag: string, ind1: string, ind2: string, ...pairs: string[]): MarcDataField {
  const subfields = [];
  for (let i = 0; i < pairs.length; i += 2) subfields.push({ code: pairs[i]!, value: pairs[i + 1]! });
  return { tag, ind1, ind2, subfields };
}
const cf = (tag: string, value: string): MarcLikeField => ({ tag, value });
const rec = (leader: string, ...fields: MarcLikeField[]): MarcLike => ({ leader, fields });
const BOOK = '00000nam a2200000 i 4500';
const F008 = (lang = 'vie', date = '2015') => `240115s${date}    vm            000 0 ${lang} d`;
/** A books-shaped 008 with some positions set: `at({ 26: 'b' })`. */
const at = (positions: Record<number, string>): string => {
  const chars = [...F008()];
  for (const [i, c] of Object.entries(positions)) chars[Number(i)] = c;
  return chars.join('');
};

describe('marcToDc: a Vietnamese book', () => {
  const record = rec(
    BOOK,
    cf('001', 'VN-1'),
    cf('008', F008()),
    df('020', ' ', ' ', 'a', '978-604-2-05473-7 (bìa mềm) :', 'c', '85000đ'),
    df('020', ' ', ' ', 'a', '978-604-2-05473-5'),
    df('020', ' ', ' ', 'z', '9786042054735'), // cancelled; the one above has a wrong check digit
    df('041', '1', ' ', 'a', 'vie', 'h', 'eng'),
    df('080', ' ', ' ', 'a', '821.922'),
    df('082', '0', '4', 'a', '895.92213', '2', '23'),
    df('100', '0', ' ', 'a', 'Nguyễn Du,', 'd', '1765-1820,', 'e', 'tác giả.'),
    df('245', '1', '0', 'a', 'Truyện Kiều :', 'b', 'bản dịch song ngữ /', 'c', 'Nguyễn Du ; Huỳnh Sanh Thông dịch.'),
    df('246', '3', '1', 'a', 'The tale of Kiều'),
    df('250', ' ', ' ', 'a', 'Tái bản lần thứ 2.'),
    df('264', ' ', '1', 'a', 'Hà Nội :', 'b', 'Văn học,', 'c', '2015.'),
    df('300', ' ', ' ', 'a', '245 tr. :', 'b', 'minh họa ;', 'c', '21 cm.'),
    df('490', '1', ' ', 'a', 'Tủ sách văn học cổ điển ;', 'v', 'tập 3'),
    df('500', ' ', ' ', 'a', 'Chính văn bằng tiếng Việt và tiếng Anh.'),
    df('506', '1', ' ', 'a', 'Chỉ đọc tại chỗ.'),
    df('520', ' ', ' ', 'a', 'Truyện thơ lục bát kể về cuộc đời Thúy Kiều.'),
    df('540', ' ', ' ', 'a', 'Bản quyền thuộc Nhà xuất bản Văn học.'),
    df('600', '0', '4', 'a', 'Nguyễn Du,', 'd', '1765-1820', 'x', 'Nghiên cứu văn học.'),
    df('650', ' ', '4', 'a', 'Văn học Việt Nam', 'v', 'Thơ', 'y', 'Thế kỷ 18.'),
    df('651', ' ', '4', 'a', 'Việt Nam', 'x', 'Lịch sử', 'y', 'Thế kỷ 18.'),
    df('653', ' ', ' ', 'a', 'Truyện thơ', 'a', 'Lục bát'),
    df('655', ' ', '4', 'a', 'Truyện thơ.'),
    df('700', '1', ' ', 'a', 'Huỳnh, Sanh Thông,', 'e', 'dịch.'),
    df('700', '0', ' ', 'a', 'Đào Duy Anh,', 'd', '1904-1988,', '4', 'aut'),
    df('700', '0', ' ', 'a', 'Lê Văn Hòe'),
    df('710', '2', ' ', 'a', 'Hội Nhà văn Việt Nam.'),
    df('830', ' ', '0', 'a', 'Tủ sách văn học cổ điển ;', 'v', 'tập 3.'),
    df('856', '4', '0', 'u', 'https://thuvien.kiengiang.vn/doc/1', 'q', 'application/pdf'),
    df('856', '4', '2', 'u', 'https://vi.wikipedia.org/wiki/Truyện_Kiều', 'y', 'Wikipedia'),
  );

  it('maps every element as the crosswalk in the file header says', () => {
    expect(marcToDc(record)).toEqual({
      title: ['Truyện Kiều : bản dịch song ngữ', 'The tale of Kiều'],
      creator: ['Nguyễn Du, 1765-1820', 'Đào Duy Anh, 1904-1988'],
      subject: [
        'Nguyễn Du, 1765-1820 -- Nghiên cứu văn học',
        'Văn học Việt Nam -- Thơ -- Thế kỷ 18',
        'Truyện thơ',
        'Lục bát',
        'UDC 821.922',
        'DDC 895.92213',
      ],
      description: ['Truyện thơ lục bát kể về cuộc đời Thúy Kiều.', 'Chính văn bằng tiếng Việt và tiếng Anh.'],
      publisher: ['Văn học'],
      contributor: ['Huỳnh, Sanh Thông', 'Lê Văn Hòe', 'Hội Nhà văn Việt Nam'],
      date: ['2015'],
      type: ['Text', 'Truyện thơ'],
      format: ['application/pdf', '245 tr. : minh họa ; 21 cm'],
      identifier: ['ISBN 9786042054737', 'https://thuvien.kiengiang.vn/doc/1'],
      language: ['vie'],
      relation: ['Tủ sách văn học cổ điển ; tập 3', 'https://vi.wikipedia.org/wiki/Truyện_Kiều'],
      coverage: ['Việt Nam -- Lịch sử -- Thế kỷ 18'],
      rights: ['Chỉ đọc tại chỗ.', 'Bản quyền thuộc Nhà xuất bản Văn học.'],
    });
  });

  it('gives NFC text from an NFD record', () => {
    const nfd: MarcLike = {
      leader: record.leader,
      fields: record.fields.map((f) => ('subfields' in f ? { ...f, subfields: f.subfields.map((s) => ({ code: s.code, value: s.value.normalize('NFD') })) } : f)),
    };
    const dc = marcToDc(nfd);
    expect(dc).toEqual(marcToDc(record));
    for (const values of Object.values(dc)) for (const v of values) expect(v).toBe(v.normalize('NFC'));
  });
});

describe('marcToDc: element by element', () => {
  const dc = (...fields: MarcLikeField[]) => marcToDc(rec(BOOK, ...fields));

  it.each<[string, MarcLikeField[], Record<string, string[]>]>([
    [
      'title parts with ISBD punctuation',
      [df('245', '1', '0', 'a', 'Lịch sử Việt Nam.', 'n', 'Tập 1,', 'p', 'Thời cổ đại /', 'c', 'Viện Sử học.')],
      { title: ['Lịch sử Việt Nam. Tập 1, Thời cổ đại'] },
    ],
    ['a bracketed title', [df('245', '0', '0', 'a', '[Bản đồ tỉnh Kiên Giang].')], { title: ['Bản đồ tỉnh Kiên Giang'] }],
    ['an abbreviation keeps its period', [df('245', '0', '0', 'a', 'Hồi ký của Gs.')], { title: ['Hồi ký của Gs.'] }],
    [
      'a corporate main entry, and a meeting whose relator ($j) says author, are creators',
      [df('110', '2', ' ', 'a', 'Thư viện tỉnh Kiên Giang.'), df('711', '2', ' ', 'a', 'Hội thảo Thư viện số', 'j', 'author')],
      { creator: ['Thư viện tỉnh Kiên Giang', 'Hội thảo Thư viện số'] },
    ],
    [
      'relators decide for added entries',
      [
        df('700', '1', ' ', 'a', 'Smith, John,', 'e', 'editor.'),
        df('700', '1', ' ', 'a', 'Phan, Thị Hoa,', 'e', 'đồng tác giả'),
        df('700', '1', ' ', 'a', 'Lê, Minh,', '4', 'http://id.loc.gov/vocabulary/relators/aut'),
        df('700', '1', ' ', 'a', 'Trần, Văn Bảy,', '4', 'ill'),
      ],
      { creator: ['Phan, Thị Hoa', 'Lê, Minh'], contributor: ['Smith, John', 'Trần, Văn Bảy'] },
    ],
    [
      'uncontrolled names (720)',
      [df('720', ' ', ' ', 'a', 'Nhóm biên soạn Kiên Giang,', 'e', 'author'), df('720', ' ', ' ', 'a', 'Ngô Bảo Châu')],
      { creator: ['Nhóm biên soạn Kiên Giang'], contributor: ['Ngô Bảo Châu'] },
    ],
    [
      'class numbers carry their scheme',
      [df('050', ' ', '4', 'a', 'PL4378.9.N5', 'b', 'T7 2015'), df('084', ' ', ' ', 'a', 'V5(2)', '2', 'bbk'), df('084', ' ', ' ', 'a', '9(V)')],
      { subject: ['LCC PL4378.9.N5', 'BBK V5(2)', '9(V)'] },
    ],
    [
      'notes, summary first; 530 is a relation',
      [
        df('500', ' ', ' ', 'a', 'Đầu trang tên sách ghi: Bộ Giáo dục.'),
        df('505', '0', ' ', 'a', 'Tập 1. Thơ -- Tập 2. Văn.'),
        df('520', '3', ' ', 'a', 'Tuyển tập.'),
        df('530', ' ', ' ', 'a', 'Có bản điện tử.'),
        df('546', ' ', ' ', 'a', 'Song ngữ Việt - Anh.'),
      ],
      {
        description: ['Tuyển tập.', 'Đầu trang tên sách ghi: Bộ Giáo dục.', 'Tập 1. Thơ -- Tập 2. Văn.', 'Song ngữ Việt - Anh.'],
        relation: ['Có bản điện tử.'],
      },
    ],
    [
      '260 publisher, placeholders dropped, date as catalogued (trimmed) when it has no year',
      [df('260', ' ', ' ', 'a', '[K.đ.] :', 'b', '[k.nxb],', 'c', '[199-?]')],
      { date: ['199-?'] },
    ],
    [
      'the year from 260 $c wins over 008',
      [cf('008', F008('vie', '1990')), df('260', ' ', ' ', 'a', 'Rạch Giá :', 'b', 'Sở Văn hóa Thông tin,', 'c', 'c1998.')],
      { publisher: ['Sở Văn hóa Thông tin'], date: ['1998'], language: ['vie'] },
    ],
    ['the year from 008 alone', [cf('008', F008('eng', '1975'))], { date: ['1975'], language: ['eng'] }],
    ['und and zxx are not languages', [cf('008', F008('und')), df('041', '0', ' ', 'a', 'zxx')], { date: ['2015'] }],
    [
      'old run-together 041 codes',
      [cf('008', F008('vie')), df('041', '0', ' ', 'a', 'vieengfre')],
      { date: ['2015'], language: ['vie', 'eng', 'fre'] },
    ],
    [
      'ISSN and other standard numbers',
      [
        df('022', '0', ' ', 'a', '0866-7373', 'y', '0866-7374', 'l', '0866-7373'),
        df('022', ' ', ' ', 'a', '1234-5678'),
        df('024', '2', ' ', 'a', 'M230671187'),
        df('024', '7', ' ', 'a', '10.1000/182', '2', 'doi'),
        df('024', '7', ' ', 'a', 'https://example.org/id/1', '2', 'uri'),
        df('024', '8', ' ', 'a', 'KG-2015-001'),
      ],
      { identifier: ['ISSN 0866-7373', 'ISMN M230671187', 'DOI 10.1000/182', 'https://example.org/id/1', 'KG-2015-001'] },
    ],
    [
      'links: the resource is an identifier, a related one a relation; $q and 340 are formats',
      [
        df('340', ' ', ' ', 'a', 'Giấy dó.'),
        df('856', '4', '1', 'u', 'https://example.org/version', 'q', 'image/jpeg'),
        df('856', '4', '2', 'u', 'https://example.org/related'),
        df('856', '4', '0', 'u', 'javascript:alert(1)'),
      ],
      { format: ['image/jpeg', 'Giấy dó'], identifier: ['https://example.org/version'], relation: ['https://example.org/related'] },
    ],
    [
      'linking entries and sources',
      [
        df('773', '0', ' ', 't', 'Tạp chí Văn học.', 'g', 'Số 3 (2015)', 'o', 'urn:x:1'),
        df('780', '0', '0', 't', 'Tập san Văn học'),
        df('534', ' ', ' ', 'p', 'Nguyên bản:', 't', 'Đoạn trường tân thanh.'),
        df('786', '0', ' ', 't', 'Kim Vân Kiều truyện', 'o', 'urn:x:2'),
      ],
      {
        description: ['Nguyên bản: Đoạn trường tân thanh.'],
        source: ['Đoạn trường tân thanh', 'Kim Vân Kiều truyện', 'urn:x:2'],
        relation: ['Tạp chí Văn học', 'urn:x:1', 'Tập san Văn học'],
      },
    ],
    [
      'places are coverage',
      [
        df('651', ' ', '0', 'a', 'Kiên Giang (Việt Nam)', 'v', 'Bản đồ.'),
        df('662', ' ', ' ', 'a', 'Việt Nam', 'b', 'Kiên Giang', 'd', 'Rạch Giá.'),
        df('752', ' ', ' ', 'a', 'Việt Nam', 'd', 'Phú Quốc'),
        df('751', ' ', ' ', 'a', 'Hà Tiên (Việt Nam)', 'e', 'place of publication'),
      ],
      { coverage: ['Kiên Giang (Việt Nam) -- Bản đồ', 'Việt Nam -- Kiên Giang -- Rạch Giá', 'Việt Nam -- Phú Quốc', 'Hà Tiên (Việt Nam)'] },
    ],
  ])('%s', (_name, fields, expected) => {
    expect(dc(...fields)).toEqual({ type: ['Text'], ...expected });
  });
});

describe('marcToDc: type', () => {
  it.each([
    ['00000nam a2200000 i 4500', undefined, ['Text']],
    ['00000nas a2200000 i 4500', undefined, ['Text']],
    ['00000ntm a2200000 i 4500', undefined, ['Text']],
    ['00000ncm a2200000 i 4500', undefined, ['Text']],
    ['00000nem a2200000 i 4500', undefined, ['Image']],
    ['00000nkm a2200000 i 4500', undefined, ['Image']],
    ['00000ngm a2200000 i 4500', at({ 33: 'v' }), ['MovingImage']],
    ['00000ngm a2200000 i 4500', at({ 33: 'm' }), ['MovingImage']],
    ['00000ngm a2200000 i 4500', at({ 33: 's' }), ['Image']],
    ['00000nim a2200000 i 4500', undefined, ['Sound']],
    ['00000njm a2200000 i 4500', undefined, ['Sound']],
    ['00000nmm a2200000 i 4500', at({ 26: 'b' }), ['Software']],
    ['00000nmm a2200000 i 4500', at({ 26: 'a' }), ['Dataset']],
    ['00000nmm a2200000 i 4500', undefined, undefined],
    ['00000nrm a2200000 i 4500', undefined, ['PhysicalObject']],
    ['00000nom a2200000 i 4500', undefined, undefined],
    ['00000npc a2200000 i 4500', undefined, ['Collection']],
    ['00000nac a2200000 i 4500', undefined, ['Text', 'Collection']],
    ['00000nkc a2200000 i 4500', undefined, ['Image', 'Collection']],
    ['short', undefined, undefined],
    ['', undefined, undefined],
  ])('leader %j, 008 %j → %j', (leader, f008, type) => {
    const fields = f008 ? [cf('008', f008)] : [];
    expect(marcToDc(rec(leader, ...fields)).type).toEqual(type);
  });
});

describe('marcToDc: bad input', () => {
  it('gives nothing for an empty record', () => {
    expect(marcToDc(rec(''))).toEqual({});
  });

  it('never throws on damaged records', () => {
    const damaged = {
      leader: 42,
      fields: [
        null,
        { tag: '245' },
        { tag: '245', ind1: 1, subfields: [{ code: 'a', value: null }, { code: 'ab', value: 'x' }, { value: 'no code' }] },
        { tag: '100', subfields: 'nope' },
        { tag: '008', value: '' },
        { tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '' }] },
        { tag: '720', ind1: ' ', ind2: ' ', subfields: [] },
        { tag: '856', ind1: '4', ind2: '0', subfields: [{ code: 'u', value: '   ' }] },
      ],
    } as unknown as MarcLike;
    expect(() => marcToDc(damaged)).not.toThrow();
    expect(marcToDc(damaged)).toEqual({});
  });

  it('drops control characters and collapses white space', () => {
    expect(marcToDc(rec(BOOK, df('245', '0', '0', 'a', 'Truyện\u0007  Kiều\n/'))).title).toEqual(['Truyện Kiều']);
  });
});
