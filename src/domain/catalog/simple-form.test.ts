import { describe, expect, it } from 'vitest';
import type { MarcRecord } from '../../codecs/marc/record.js';
import { hasMessage } from '../../i18n/i18n.js';
import { deriveFields } from './derive.js';
import type { MarcDataField, MarcLike } from './marc-like.js';
import { validateMarc21 } from './marc21-rules.js';
import {
  buildMarcFromSimple,
  SIMPLE_FORM_CODES,
  SIMPLE_MATERIAL_TYPES,
  simpleFromMarc,
  validateSimpleRecord,
  type SimpleFormProblem,
  type SimpleMarcDataField,
  type SimpleMarcRecord,
  type SimpleRecordInput,
} from './simple-form.js';

const TODAY = '2024-03-05';

const KIEU: SimpleRecordInput = {
  title: 'Truyện Kiều',
  subtitle: 'Đoạn trường tân thanh',
  responsibility: 'Nguyễn Du ; Đào Duy Anh khảo đính, chú giải',
  authors: ['Nguyễn Du', 'Đào Duy Anh'],
  publisher: 'Văn học',
  place: 'Hà Nội',
  year: '2015',
  edition: 'Tái bản lần thứ 3',
  isbn: ['9786046922315'],
  subjects: ['Văn học cổ điển -- Việt Nam', 'Truyện thơ Nôm'],
  classification: { scheme: 'ddc', number: '895.9221' },
  language: 'vie',
  summary: 'Truyện thơ Nôm viết theo thể lục bát.\nKể về cuộc đời Thuý Kiều.',
  pages: '250 tr.',
  series: 'Văn học cổ điển Việt Nam ; 5',
  notes: 'Tên thật của tác phẩm: Đoạn trường tân thanh.',
  materialType: 'book',
};

const MINIMAL: SimpleRecordInput = { title: 'Sổ tay bạn đọc', authors: [] };

const dataField = (r: SimpleMarcRecord, tag: string): SimpleMarcDataField[] =>
  r.fields.filter((f): f is SimpleMarcDataField => f.tag === tag && 'subfields' in f);
const sf = (...codesAndValues: string[]) => {
  const out = [];
  for (let i = 0; i < codesAndValues.length; i += 2) out.push({ code: codesAndValues[i]!, value: codesAndValues[i + 1]! });
  return out;
};

// ---------------------------------------------------------------------------------------------

describe('validateSimpleRecord', () => {
  it.each<[string, Partial<SimpleRecordInput>, SimpleFormProblem[]]>([
    ['a complete form', {}, []],
    ['empty title', { title: '' }, [{ field: 'title', code: 'title-required', params: {} }]],
    ['blank title', { title: ' \n\t ' }, [{ field: 'title', code: 'title-required', params: {} }]],
    ['year empty', { year: '' }, []],
    ['year absent', { year: undefined }, []],
    ['year with spaces around', { year: ' 2015 ' }, []],
    ['two-digit year', { year: '15' }, [{ field: 'year', code: 'year-invalid', params: { value: '15' } }]],
    ['year with a c', { year: 'c2015' }, [{ field: 'year', code: 'year-invalid', params: { value: 'c2015' } }]],
    ['year range', { year: '2015-2016' }, [{ field: 'year', code: 'year-invalid', params: { value: '2015-2016' } }]],
    ['ISBN-13 with hyphens', { isbn: ['978-604-69-2231-5'] }, []],
    ['ISBN-10 with X', { isbn: ['0-8044-2957-X'] }, []],
    ['empty ISBN lines are skipped', { isbn: ['', '  '] }, []],
    ['wrong check digit, second line', { isbn: ['9786046922315', '978-604-69-2231-4'] }, [
      { field: 'isbn', code: 'isbn-invalid', params: { value: '978-604-69-2231-4' }, index: 1 },
    ]],
    ['too short', { isbn: ['12345'] }, [{ field: 'isbn', code: 'isbn-invalid', params: { value: '12345' }, index: 0 }]],
    ['language absent (vie)', { language: undefined }, []],
    ['language upper case', { language: 'VIE' }, []],
    ['two languages', { language: 'vie, eng' }, []],
    ['two-letter code', { language: 'vi' }, [{ field: 'language', code: 'language-invalid', params: { value: 'vi' } }]],
    ['one good, one bad', { language: 'vie; tiếng-anh' }, [{ field: 'language', code: 'language-invalid', params: { value: 'tiếng-anh' } }]],
    ['letters with marks are not a code', { language: 'việ' }, [{ field: 'language', code: 'language-invalid', params: { value: 'việ' } }]],
    ['unknown material type', { materialType: 'cd' as SimpleRecordInput['materialType'] }, [
      { field: 'materialType', code: 'material-type-invalid', params: { value: 'cd' } },
    ]],
    ['unknown classification scheme', { classification: { scheme: 'lcc' as 'ddc', number: 'PL4378' } }, [
      { field: 'classification', code: 'classification-scheme-invalid', params: { value: 'lcc' } },
    ]],
    ['classification without a number is ignored', { classification: { scheme: 'lcc' as 'ddc', number: '' } }, []],
    ['everything wrong at once', { title: '', year: '20xx', isbn: ['1'], language: 'v' }, [
      { field: 'title', code: 'title-required', params: {} },
      { field: 'year', code: 'year-invalid', params: { value: '20xx' } },
      { field: 'isbn', code: 'isbn-invalid', params: { value: '1' }, index: 0 },
      { field: 'language', code: 'language-invalid', params: { value: 'v' } },
    ]],
  ])('%s', (_name, change, expected) => {
    expect(validateSimpleRecord({ ...KIEU, ...change })).toEqual(expected);
  });

  it('has catalog.form.<code> in both languages for every code', () => {
    expect(SIMPLE_FORM_CODES.filter((c) => !hasMessage(`catalog.form.${c}`))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------

describe('buildMarcFromSimple', () => {
  it('builds a complete MARC 21 record with ISBD punctuation', () => {
    const record = buildMarcFromSimple(KIEU, { today: TODAY, controlNumber: 'LT-000123', orgCode: 'VN-LT' });
    expect(record).toEqual({
      leader: '00000nam a22000007i 4500',
      fields: [
        { tag: '001', value: 'LT-000123' },
        { tag: '003', value: 'VN-LT' },
        { tag: '008', value: '240305s2015    vm ||||| |||||||||||vie d' },
        { tag: '020', ind1: ' ', ind2: ' ', subfields: sf('a', '9786046922315') },
        { tag: '040', ind1: ' ', ind2: ' ', subfields: sf('a', 'VN-LT', 'b', 'vie', 'c', 'VN-LT') },
        { tag: '082', ind1: '0', ind2: '4', subfields: sf('a', '895.9221') },
        { tag: '100', ind1: '0', ind2: ' ', subfields: sf('a', 'Nguyễn Du') },
        {
          tag: '245',
          ind1: '1',
          ind2: '0',
          subfields: sf('a', 'Truyện Kiều :', 'b', 'Đoạn trường tân thanh /', 'c', 'Nguyễn Du ; Đào Duy Anh khảo đính, chú giải.'),
        },
        { tag: '250', ind1: ' ', ind2: ' ', subfields: sf('a', 'Tái bản lần thứ 3.') },
        { tag: '264', ind1: ' ', ind2: '1', subfields: sf('a', 'Hà Nội :', 'b', 'Văn học,', 'c', '2015.') },
        { tag: '300', ind1: ' ', ind2: ' ', subfields: sf('a', '250 tr.') },
        { tag: '490', ind1: '0', ind2: ' ', subfields: sf('a', 'Văn học cổ điển Việt Nam ;', 'v', '5') },
        { tag: '500', ind1: ' ', ind2: ' ', subfields: sf('a', 'Tên thật của tác phẩm: Đoạn trường tân thanh.') },
        { tag: '520', ind1: ' ', ind2: ' ', subfields: sf('a', 'Truyện thơ Nôm viết theo thể lục bát.') },
        { tag: '520', ind1: ' ', ind2: ' ', subfields: sf('a', 'Kể về cuộc đời Thuý Kiều.') },
        { tag: '650', ind1: ' ', ind2: '4', subfields: sf('a', 'Văn học cổ điển', 'x', 'Việt Nam') },
        { tag: '650', ind1: ' ', ind2: '4', subfields: sf('a', 'Truyện thơ Nôm') },
        { tag: '700', ind1: '0', ind2: ' ', subfields: sf('a', 'Đào Duy Anh') },
      ],
    });
    expect(record.fields.find((f) => f.tag === '008') && (record.fields[2] as { value: string }).value).toHaveLength(40);
    expect(record.leader).toHaveLength(24);
  });

  it('builds a minimal record from a title alone', () => {
    expect(buildMarcFromSimple(MINIMAL, { today: '2030-12-31' })).toEqual({
      leader: '00000nam a22000007i 4500',
      fields: [
        { tag: '008', value: '301231nuuuuuuuuvm ||||| |||||||||||vie d' },
        { tag: '040', ind1: ' ', ind2: ' ', subfields: sf('b', 'vie') },
        { tag: '245', ind1: '0', ind2: '0', subfields: sf('a', 'Sổ tay bạn đọc.') },
      ],
    });
  });

  it('returns mutable arrays in the codec record shape', () => {
    const record = buildMarcFromSimple(MINIMAL, { today: TODAY });
    // Assignable to the codec's record type: it can be written to ISO 2709 or MARCXML as it is.
    const asCodecRecord: MarcRecord = record;
    expect(asCodecRecord.leader).toHaveLength(24);
    record.fields.push({ tag: '500', ind1: ' ', ind2: ' ', subfields: [] });
    dataField(record, '245')[0]!.subfields.push({ code: 'c', value: 'x' });
    expect(record.fields).toHaveLength(4);
  });

  it.each<[SimpleRecordInput['materialType'], string, string]>([
    ['book', '00000nam a22000007i 4500', '240305s2015    vm ||||| |||||||||||vie d'],
    [undefined, '00000nam a22000007i 4500', '240305s2015    vm ||||| |||||||||||vie d'],
    ['serial', '00000nas a22000007i 4500', '240305c20159999vm ||||| |||||||||||vie d'],
    ['map', '00000nem a22000007i 4500', '240305s2015    vm |||||||||||||||||vie d'],
    ['score', '00000ncm a22000007i 4500', '240305s2015    vm |||||||||||||||||vie d'],
    ['video', '00000ngm a22000007i 4500', '240305s2015    vm |||||||||||||||||vie d'],
    ['sound-recording', '00000nim a22000007i 4500', '240305s2015    vm |||||||||||||||||vie d'],
    ['computer-file', '00000nmm a22000007i 4500', '240305s2015    vm |||||||||||||||||vie d'],
  ])('material %s: leader and 008', (materialType, leader, f008) => {
    const record = buildMarcFromSimple({ ...MINIMAL, year: '2015', materialType }, { today: TODAY });
    expect(record.leader).toBe(leader);
    expect(record.fields[0]).toEqual({ tag: '008', value: f008 });
    expect(f008).toHaveLength(40);
  });

  it('codes a serial without a year as status unknown', () => {
    const record = buildMarcFromSimple({ ...MINIMAL, materialType: 'serial' }, { today: TODAY });
    expect(record.fields[0]).toEqual({ tag: '008', value: '240305uuuuuuuuuvm ||||| |||||||||||vie d' });
  });

  it.each<[Partial<SimpleRecordInput>, { ind1: string; ind2: string; subfields: { code: string; value: string }[] }]>([
    [{}, { ind1: '0', ind2: '0', subfields: sf('a', 'Sổ tay bạn đọc.') }],
    [{ subtitle: 'dành cho thư viện xã' }, { ind1: '0', ind2: '0', subfields: sf('a', 'Sổ tay bạn đọc :', 'b', 'dành cho thư viện xã.') }],
    [{ responsibility: 'Vụ Thư viện' }, { ind1: '0', ind2: '0', subfields: sf('a', 'Sổ tay bạn đọc /', 'c', 'Vụ Thư viện.') }],
    [{ subtitle: 'hỏi và đáp', responsibility: 'Lê Văn A' }, { ind1: '0', ind2: '0', subfields: sf('a', 'Sổ tay bạn đọc :', 'b', 'hỏi và đáp /', 'c', 'Lê Văn A.') }],
    [{ title: 'Ai là triệu phú?' }, { ind1: '0', ind2: '0', subfields: sf('a', 'Ai là triệu phú?') }],
    [{ responsibility: 'Nhiều tác giả.' }, { ind1: '0', ind2: '0', subfields: sf('a', 'Sổ tay bạn đọc /', 'c', 'Nhiều tác giả.') }],
    [{ authors: ['Nguyễn Du'] }, { ind1: '1', ind2: '0', subfields: sf('a', 'Sổ tay bạn đọc.') }],
    [{ title: 'The hobbit', language: 'eng' }, { ind1: '0', ind2: '4', subfields: sf('a', 'The hobbit.') }],
    [{ title: 'The hobbit' }, { ind1: '0', ind2: '0', subfields: sf('a', 'The hobbit.') }], // Vietnamese: no articles
    [{ title: 'Les misérables', language: 'fre, vie' }, { ind1: '0', ind2: '4', subfields: sf('a', 'Les misérables.') }],
  ])('245 for %j', (change, expected) => {
    const [f245] = dataField(buildMarcFromSimple({ ...MINIMAL, ...change }, { today: TODAY }), '245');
    expect(f245).toEqual({ tag: '245', ...expected });
  });

  it.each<[Partial<SimpleRecordInput>, { code: string; value: string }[] | undefined]>([
    [{ place: 'Hà Nội', publisher: 'Kim Đồng', year: '2020' }, sf('a', 'Hà Nội :', 'b', 'Kim Đồng,', 'c', '2020.')],
    [{ place: 'Hà Nội', publisher: 'Kim Đồng' }, sf('a', 'Hà Nội :', 'b', 'Kim Đồng.')],
    [{ place: 'Hà Nội', year: '2020' }, sf('a', 'Hà Nội,', 'c', '2020.')],
    [{ publisher: 'Kim Đồng', year: '2020' }, sf('b', 'Kim Đồng,', 'c', '2020.')],
    [{ year: '2020' }, sf('c', '2020.')],
    [{ year: '20' }, undefined], // a malformed year is not written
    [{}, undefined],
  ])('264 for %j', (change, expected) => {
    const [f264] = dataField(buildMarcFromSimple({ ...MINIMAL, ...change }, { today: TODAY }), '264');
    expect(f264?.subfields).toEqual(expected);
    if (f264) expect([f264.ind1, f264.ind2]).toEqual([' ', '1']);
  });

  it.each<[string, string]>([
    ['Nguyễn Du', '0'],
    ['Hồ Chí Minh', '0'],
    ['Smith, John', '1'],
    ['Nguyễn, Văn A', '1'],
  ])('personal name %s → ind1 %s', (name, ind1) => {
    const record = buildMarcFromSimple({ ...MINIMAL, authors: [name, name] }, { today: TODAY });
    expect(dataField(record, '100')).toEqual([{ tag: '100', ind1, ind2: ' ', subfields: sf('a', name) }]);
    expect(dataField(record, '700')).toEqual([{ tag: '700', ind1, ind2: ' ', subfields: sf('a', name) }]);
  });

  it.each<[SimpleRecordInput['classification'], { tag: string; ind1: string; ind2: string; subfields: { code: string; value: string }[] }[]]>([
    [{ scheme: 'ddc', number: '895.9221' }, [{ tag: '082', ind1: '0', ind2: '4', subfields: sf('a', '895.9221') }]],
    [{ scheme: 'udc', number: '821.922' }, [{ tag: '080', ind1: ' ', ind2: ' ', subfields: sf('a', '821.922') }]],
    [{ scheme: 'bbk', number: 'V23(1)' }, [{ tag: '084', ind1: ' ', ind2: ' ', subfields: sf('a', 'V23(1)', '2', 'bbk') }]],
    [{ scheme: 'other', number: 'VH-12' }, [{ tag: '084', ind1: ' ', ind2: ' ', subfields: sf('a', 'VH-12') }]],
    [{ scheme: 'ddc', number: ' ' }, []],
  ])('classification %j', (classification, expected) => {
    const record = buildMarcFromSimple({ ...MINIMAL, classification }, { today: TODAY });
    expect(record.fields.filter((f) => ['080', '082', '084'].includes(f.tag))).toEqual(expected);
  });

  it('writes ISBNs without hyphens, keeps the form typed and moves a qualifier to $q', () => {
    const record = buildMarcFromSimple(
      { ...MINIMAL, isbn: ['978-604-69-2231-5', '0-8044-2957-x (bìa mềm)', '', '978-604-69-2231-4'] },
      { today: TODAY },
    );
    expect(dataField(record, '020').map((f) => f.subfields)).toEqual([
      sf('a', '9786046922315'),
      sf('a', '080442957X', 'q', 'bìa mềm'),
      sf('a', '978-604-69-2231-4'), // invalid: written as typed; validateMarc21 warns
    ]);
    expect(validateMarc21(record).map((p) => p.code)).toEqual(['isbn-invalid']);
  });

  it('adds 041 when the form gives several languages, the first going to 008', () => {
    const record = buildMarcFromSimple({ ...MINIMAL, language: 'ENG vie' }, { today: TODAY });
    expect((record.fields[0] as { value: string }).value.slice(35, 38)).toBe('eng');
    expect(dataField(record, '041')).toEqual([{ tag: '041', ind1: ' ', ind2: ' ', subfields: sf('a', 'eng', 'a', 'vie') }]);
    expect(dataField(buildMarcFromSimple({ ...MINIMAL, language: 'fre' }, { today: TODAY }), '041')).toEqual([]);
  });

  it('writes series numbers in $v and ends 300 with a period before a series', () => {
    const record = buildMarcFromSimple({ ...MINIMAL, pages: '120 trang', series: 'Tủ sách tuổi thơ ; Tập 3' }, { today: TODAY });
    expect(dataField(record, '300')[0]?.subfields).toEqual(sf('a', '120 trang.'));
    expect(dataField(record, '490')[0]?.subfields).toEqual(sf('a', 'Tủ sách tuổi thơ ;', 'v', 'Tập 3'));
    const noSeries = buildMarcFromSimple({ ...MINIMAL, pages: '120 trang' }, { today: TODAY });
    expect(dataField(noSeries, '300')[0]?.subfields).toEqual(sf('a', '120 trang'));
    expect(dataField(noSeries, '490')).toEqual([]);
  });

  it('writes one 500 and one 520 per non-empty line', () => {
    const record = buildMarcFromSimple({ ...MINIMAL, notes: 'Một.\r\n\r\n  Hai.  ', summary: '\nBa.\n' }, { today: TODAY });
    expect(dataField(record, '500').map((f) => f.subfields[0]!.value)).toEqual(['Một.', 'Hai.']);
    expect(dataField(record, '520').map((f) => f.subfields[0]!.value)).toEqual(['Ba.']);
  });

  it('stores Vietnamese text in NFC with white space collapsed', () => {
    const nfd = (s: string) => s.normalize('NFD');
    const record = buildMarcFromSimple(
      { title: nfd('  Truyện   Kiều '), authors: [nfd('Nguyễn Du')], publisher: nfd('Văn học'), subjects: [nfd('Thơ lục bát')], notes: nfd('Bản đẹp.') },
      { today: TODAY },
    );
    const strings = record.fields.flatMap((f) => ('subfields' in f ? f.subfields.map((s) => s.value) : [f.value]));
    expect(strings.filter((s) => s !== s.normalize('NFC'))).toEqual([]);
    expect(dataField(record, '245')[0]?.subfields).toEqual(sf('a', 'Truyện Kiều.'));
    expect(dataField(record, '100')[0]?.subfields[0]?.value).toBe('Nguyễn Du');
  });

  it('writes 003 only with a control number', () => {
    const record = buildMarcFromSimple(MINIMAL, { today: TODAY, orgCode: 'VN-LT' });
    expect(record.fields.map((f) => f.tag)).toEqual(['008', '040', '245']);
    expect(dataField(record, '040')[0]?.subfields).toEqual(sf('a', 'VN-LT', 'b', 'vie', 'c', 'VN-LT'));
  });

  it.each(['', '2024-3-5', '05/03/2024', undefined])('refuses today = %j', (today) => {
    expect(() => buildMarcFromSimple(MINIMAL, { today: today as string })).toThrow(RangeError);
  });

  describe('the record it builds', () => {
    const inputs: [string, SimpleRecordInput][] = [
      ['complete', KIEU],
      ['minimal', MINIMAL],
      ['English, inverted names, BBK, two languages', {
        title: 'The hobbit',
        subtitle: 'or there and back again',
        authors: ['Tolkien, J. R. R.', 'Anderson, Douglas A.'],
        place: 'London',
        publisher: 'Allen & Unwin',
        year: '1937',
        isbn: ['0-261-10221-4'],
        classification: { scheme: 'bbk', number: 'Ш5(4Вел)' },
        language: 'eng, vie',
        subjects: ['Fantasy fiction'],
      }],
      ...SIMPLE_MATERIAL_TYPES.map((m): [string, SimpleRecordInput] => [m, { ...KIEU, materialType: m }]),
    ];

    it.each(inputs)('%s: passes the MARC 21 rules with no problem at all', (_name, input) => {
      expect(validateSimpleRecord(input)).toEqual([]);
      expect(validateMarc21(buildMarcFromSimple(input, { today: TODAY, controlNumber: 'LT-1', orgCode: 'VN-LT' }))).toEqual([]);
    });

    it('derives back title, authors, year and ISBN', () => {
      const d = deriveFields(buildMarcFromSimple(KIEU, { today: TODAY }));
      expect(d.title).toBe('Truyện Kiều : Đoạn trường tân thanh');
      expect(d.shortTitle).toBe('Truyện Kiều');
      expect(d.responsibility).toBe('Nguyễn Du ; Đào Duy Anh khảo đính, chú giải');
      expect(d.authors.map((a) => [a.name, a.tag, a.main])).toEqual([
        ['Nguyễn Du', '100', true],
        ['Đào Duy Anh', '700', false],
      ]);
      expect(d.year).toBe(2015);
      expect(d.isbns).toEqual([{ raw: '9786046922315', isbn13: '9786046922315', isbn10: '6046922313', status: 'valid' }]);
      expect(d.materialType).toBe('book');
      expect(d.languages).toEqual(['vie']);
      expect(d.places).toEqual(['Hà Nội']);
      expect(d.publishers).toEqual(['Văn học']);
      expect(d.callNumber?.value).toBe('895.9221');
      expect(d.matchKey).toBe('text|truyen kieu|nguyen|2015');
    });
  });
});

// ---------------------------------------------------------------------------------------------

describe('simpleFromMarc', () => {
  const roundTrip = (input: SimpleRecordInput) => simpleFromMarc(buildMarcFromSimple(input, { today: TODAY, controlNumber: 'LT-1', orgCode: 'VN-LT' }));

  it.each<[string, SimpleRecordInput, SimpleRecordInput]>([
    ['complete', KIEU, KIEU],
    ['minimal: language and material filled in', MINIMAL, { ...MINIMAL, language: 'vie', materialType: 'book' }],
    ['normalised on the way', {
      title: ' Truyện  Kiều ',
      authors: [' Nguyễn Du ', ''],
      isbn: ['978-604-69-2231-5', '0-8044-2957-x'],
      language: 'VIE , Eng',
      series: 'Tủ sách ; 3',
      classification: { scheme: 'udc', number: '821.922' },
      summary: 'Một.\n\nHai.',
      subjects: [' Văn học  --  Thơ '],
    }, {
      title: 'Truyện Kiều',
      authors: ['Nguyễn Du'],
      isbn: ['9786046922315', '080442957X'],
      language: 'vie, eng',
      series: 'Tủ sách ; 3',
      classification: { scheme: 'udc', number: '821.922' },
      summary: 'Một.\nHai.',
      subjects: ['Văn học -- Thơ'],
      materialType: 'book',
    }],
    ['English with inverted names', {
      title: 'The hobbit',
      subtitle: 'or there and back again',
      responsibility: 'J.R.R. Tolkien',
      authors: ['Tolkien, J. R. R.'],
      place: 'London',
      publisher: 'Allen & Unwin',
      year: '1937',
      edition: '1st ed.',
      language: 'eng',
      pages: '310 p.',
      classification: { scheme: 'other', number: 'PR6039.O32' },
      materialType: 'book',
    }, {
      title: 'The hobbit',
      subtitle: 'or there and back again',
      responsibility: 'J.R.R. Tolkien',
      authors: ['Tolkien, J. R. R.'],
      place: 'London',
      publisher: 'Allen & Unwin',
      year: '1937',
      edition: '1st ed.',
      language: 'eng',
      pages: '310 p.',
      classification: { scheme: 'other', number: 'PR6039.O32' },
      materialType: 'book',
    }],
    ...SIMPLE_MATERIAL_TYPES.map((m): [string, SimpleRecordInput, SimpleRecordInput] => [`material ${m}`, { ...KIEU, materialType: m }, { ...KIEU, materialType: m }]),
  ])('round trip: %s', (_name, input, expected) => {
    expect(roundTrip(input)).toEqual(expected);
    // A second pass changes nothing.
    expect(roundTrip(roundTrip(input))).toEqual(expected);
  });

  it('reads a record catalogued elsewhere (260, ISBN-10, BBK, notes)', () => {
    const df = (tag: string, ind: string, ...cv: string[]): MarcDataField => ({ tag, ind1: ind[0]!, ind2: ind[1]!, subfields: sf(...cv) });
    const record: MarcLike = {
      leader: '01234nam a2200397 a 4500',
      fields: [
        { tag: '008', value: '150101s2015    vm a          000 1 vie d' },
        df('020', '  ', 'a', '604-69-2231-3 (bìa mềm) :', 'c', '85000đ'),
        df('020', '  ', 'z', '604-69-2231-0'),
        df('041', '1 ', 'a', 'vie', 'h', 'chi'),
        df('084', '  ', 'a', 'V23(1)', '2', 'bbk'),
        df('100', '0 ', 'a', 'Nguyễn Du,', 'd', '1765-1820.'),
        df('245', '10', 'a', 'Truyện Kiều /', 'c', 'Nguyễn Du.'),
        df('260', '  ', 'a', 'Hà Nội :', 'b', 'Văn học,', 'c', 'c2015.'),
        df('300', '  ', 'a', '250 tr. :', 'b', 'tranh vẽ ;', 'c', '21 cm.'),
        df('504', '  ', 'a', 'Thư mục: tr. 245-250.'),
        df('650', ' 7', 'a', 'Văn học cổ điển', 'z', 'Việt Nam', '2', 'Bộ TK TVQG'),
        df('651', ' 4', 'a', 'Việt Nam.'),
        df('830', ' 0', 'a', 'Văn học cổ điển Việt Nam ;', 'v', '5.'),
      ],
    };
    expect(simpleFromMarc(record)).toEqual({
      title: 'Truyện Kiều',
      responsibility: 'Nguyễn Du',
      authors: ['Nguyễn Du'],
      place: 'Hà Nội',
      publisher: 'Văn học',
      year: '2015',
      isbn: ['6046922313'],
      subjects: ['Văn học cổ điển -- Việt Nam', 'Việt Nam'],
      classification: { scheme: 'bbk', number: 'V23(1)' },
      language: 'vie',
      pages: '250 tr.',
      series: 'Văn học cổ điển Việt Nam ; 5',
      notes: 'Thư mục: tr. 245-250.',
      materialType: 'book',
    });
  });

  it('reads an empty record as an empty form', () => {
    expect(simpleFromMarc({ leader: '', fields: [] })).toEqual({ title: '', authors: [], materialType: 'book' });
  });
});
