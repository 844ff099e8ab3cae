import { describe, expect, it } from 'vitest';
import { fixture } from '../../../test/fixtures/marc/fixtures.js';
import { readIso2709, readMarcXml } from '../../codecs/marc/parse.js';
import { hasMessage, translator } from '../../i18n/i18n.js';
import type { MarcDataField, MarcLike, MarcLikeField } from './marc-like.js';
import {
  hasErrors,
  isLocalTag,
  MARC21_BIB_TAGS,
  MARC_RULE_CODES,
  MARC_RULES,
  nonFilingCount,
  tagInfo,
  validateMarc21,
  type RuleCode,
  type RuleProblem,
} from './marc21-rules.js';

// ---------------------------------------------------------------------------------------------
// Builders

const ctl = (tag: string, value: string): MarcLikeField => ({ tag, value });

/** `df('245', '10', 'a', 'Truyện Kiều /', 'c', 'Nguyễn Du.')` */
function df(tag: string, indicators: string, ...codesAndValues: string[]): MarcDataField {
  const subfields = [];
  for (let i = 0; i < codesAndValues.length; i += 2) subfields.push({ code: codesAndValues[i]!, value: codesAndValues[i + 1]! });
  return { tag, ind1: indicators[0] ?? ' ', ind2: indicators[1] ?? ' ', subfields };
}

/** A 40-character book 008: entered 2024-01-15, single date, Việt Nam, the given language. */
function f008(lang = 'vie', date1 = '2015'): string {
  // 00-05 entered, 06-14 dates, 15-17 place, 18-34 books (illustrations a, not fiction),
  // 35-37 language, 38 modified, 39 source
  const f = `240115s${date1}    vm ` + 'a   ' + '  ' + '    ' + ' ' + '000' + ' ' + '0' + ' ' + `${lang} d`;
  if (f.length !== 40) throw new RangeError(`test 008 is ${f.length} characters`);
  return f;
}

const LEADER = '01234nam a2200397 i 4500';

/** A complete, valid record: every field below is checked by a rule and passes it. */
const VALID_FIELDS: MarcLikeField[] = [
  /* 0 */ ctl('001', 'LT-000123'),
  /* 1 */ ctl('003', 'VN-LT'),
  /* 2 */ ctl('005', '20240115093000.0'),
  /* 3 */ ctl('008', f008()),
  /* 4 */ df('020', '  ', 'a', '9786046922315', 'q', 'bìa mềm', 'c', '85000đ'),
  /* 5 */ df('035', '  ', 'a', '(VN-LT)000123', 'z', '(VN-LT)000099', 'z', '(VN-LT)000098'),
  /* 6 */ df('040', '  ', 'a', 'VN-LT', 'b', 'vie', 'c', 'VN-LT', 'e', 'rda'),
  /* 7 */ df('041', '1 ', 'a', 'vie', 'h', 'chi'),
  /* 8 */ df('082', '04', 'a', '895.9221', 'b', 'NG527D', '2', '23'),
  /* 9 */ df('084', '  ', 'a', 'V23(1)', '2', 'bbk'),
  /* 10 */ df('100', '0 ', 'a', 'Nguyễn Du,', 'd', '1765-1820,', 'e', 'tác giả.'),
  /* 11 */ df('245', '10', 'a', 'Truyện Kiều /', 'c', 'Nguyễn Du ; Đào Duy Anh khảo đính.'),
  /* 12 */ df('246', '1 ', 'i', 'Tên khác:', 'a', 'Đoạn trường tân thanh'),
  /* 13 */ df('250', '  ', 'a', 'Tái bản lần thứ 3.'),
  /* 14 */ df('264', ' 1', 'a', 'Hà Nội :', 'b', 'Văn học,', 'c', '2015.'),
  /* 15 */ df('300', '  ', 'a', '250 tr. :', 'b', 'tranh vẽ ;', 'c', '21 cm.'),
  /* 16 */ df('336', '  ', 'a', 'văn bản', 'b', 'txt', '2', 'rdacontent'),
  /* 17 */ df('337', '  ', 'a', 'không qua thiết bị trung gian', 'b', 'n', '2', 'rdamedia'),
  /* 18 */ df('338', '  ', 'a', 'tập', 'b', 'nc', '2', 'rdacarrier'),
  /* 19 */ df('490', '1 ', 'a', 'Văn học cổ điển Việt Nam ;', 'v', '5'),
  /* 20 */ df('500', '  ', 'a', 'Tên thật của tác phẩm: Đoạn trường tân thanh.'),
  /* 21 */ df('504', '  ', 'a', 'Thư mục: tr. 245-250.'),
  /* 22 */ df('505', '0 ', 'a', 'Phần 1. Truyện -- Phần 2. Chú giải.'),
  /* 23 */ df('520', '  ', 'a', 'Truyện thơ Nôm viết theo thể lục bát.'),
  /* 24 */ df('546', '  ', 'a', 'Chính văn bằng tiếng Việt, có chữ Nôm.'),
  /* 25 */ df('600', '04', 'a', 'Nguyễn Du,', 'd', '1765-1820', 'v', 'Phê bình.'),
  /* 26 */ df('650', ' 7', 'a', 'Văn học cổ điển', 'z', 'Việt Nam', 'y', 'Thế kỷ 18-19', '2', 'Bộ TK TVQG'),
  /* 27 */ df('650', ' 4', 'a', 'Truyện thơ Nôm.'),
  /* 28 */ df('651', ' 4', 'a', 'Việt Nam', 'x', 'Văn học.'),
  /* 29 */ df('653', '  ', 'a', 'Truyện thơ', 'a', 'Lục bát'),
  /* 30 */ df('655', ' 7', 'a', 'Truyện thơ.', '2', 'lcgft'),
  /* 31 */ df('700', '0 ', 'a', 'Đào Duy Anh,', 'e', 'khảo đính,', 'e', 'chú giải.', '4', 'edt'),
  /* 32 */ df('710', '2 ', 'a', 'Nhà xuất bản Văn học.'),
  /* 33 */ df('773', '0 ', 't', 'Tuyển tập văn học cổ điển', 'g', 'Tập 2'),
  /* 34 */ df('830', ' 0', 'a', 'Văn học cổ điển Việt Nam ;', 'v', '5.'),
  /* 35 */ df('852', '1 ', 'a', 'VN-LT', 'b', 'Kho mở', 'h', '895.9221', 'i', 'NG527D'),
  /* 36 */ df('856', '41', 'u', 'https://example.org/kieu', 'y', 'Bản điện tử'),
  /* 37 */ df('880', '10', '6', '245-01', 'a', '傳翹 /', 'c', '阮攸.'),
  /* 38 */ df('590', '  ', 'a', 'Bản tặng của tác giả.'),
  /* 39 */ df('952', '  ', 'a', 'LT', 'o', '895.9221 NG527D', 'p', 'LT00012345'),
];

const VALID: MarcLike = { leader: LEADER, fields: VALID_FIELDS };

interface Variant {
  leader?: string;
  /** Replaces the field at this index (keeps every other index). */
  set?: Record<number, MarcLikeField>;
  /** Appended after the last field, from index 40 on. */
  add?: MarcLikeField[];
  /** Removes these fields (record-level problems only: later indexes shift). */
  drop?: string[];
}

function variant(v: Variant): MarcLike {
  const fields = VALID_FIELDS.map((f, i) => v.set?.[i] ?? f).filter((f) => !(v.drop ?? []).includes(f.tag));
  return { leader: v.leader ?? LEADER, fields: [...fields, ...(v.add ?? [])] };
}

const END = VALID_FIELDS.length;

type Expected = Omit<RuleProblem, 'severity'>;
const p = (code: RuleCode, params: RuleProblem['params'], where: Omit<RuleProblem, 'severity' | 'code' | 'params'> = {}): Expected => ({
  code,
  ...where,
  params,
});
const withSeverity = (e: Expected): RuleProblem => ({ severity: MARC_RULES[e.code], ...e });

const setLeader = (pos: number, c: string) => LEADER.slice(0, pos) + c + LEADER.slice(pos + 1);
const fieldWith245 = (ind: string, a: string): Variant => ({ set: { 11: df('245', ind, 'a', a) } });
const english = (ind: string, a: string): Variant => ({ set: { 3: ctl('008', f008('eng')), 11: df('245', ind, 'a', a) } });

// ---------------------------------------------------------------------------------------------

describe('validateMarc21', () => {
  it('finds nothing wrong with a complete valid record', () => {
    expect(validateMarc21(VALID)).toEqual([]);
    expect(hasErrors(validateMarc21(VALID))).toBe(false);
  });

  it.each<[string, Variant, Expected[]]>([
    // leader
    ['leader too short', { leader: LEADER.slice(1) }, [p('leader-length', { length: 23 })]],
    ['leader too long, positions not read', { leader: 'x' + LEADER + ' ' }, [p('leader-length', { length: 26 })]],
    ['empty leader', { leader: '' }, [p('leader-length', { length: 0 })]],
    ['leader/05 unknown status', { leader: setLeader(5, 'x') }, [p('leader-value', { position: '05', value: 'x' })]],
    ['leader/06 and /07 unknown', { leader: setLeader(7, 'q').slice(0, 6) + 'z' + setLeader(7, 'q').slice(7) }, [
      p('leader-value', { position: '06', value: 'z' }),
      p('leader-value', { position: '07', value: 'q' }),
    ]],
    ['leader/09 blank (MARC-8) is valid', { leader: setLeader(9, ' ') }, []],
    ['leader/17 OCLC level I', { leader: setLeader(17, 'I') }, [p('leader-value', { position: '17', value: 'I' })]],
    ['leader/17 blank and 7 are valid', { leader: setLeader(17, '7') }, []],
    ['leader/18 unknown form', { leader: setLeader(18, '<') }, [p('leader-value', { position: '18', value: '<' })]],
    ['leader/18 blank shown as #', { leader: setLeader(5, ' ') }, [p('leader-value', { position: '05', value: '#' })]],
    // control fields
    ['008 of 39 characters', { set: { 3: ctl('008', f008().slice(1)) } }, [p('control-field-length', { tag: '008', length: 39, expected: 40 }, { tag: '008', fieldIndex: 3 })]],
    ['005 of the wrong length', { set: { 2: ctl('005', '20240115') } }, [p('control-field-length', { tag: '005', length: 8, expected: 16 }, { tag: '005', fieldIndex: 2 })]],
    ['006 of 18 characters is fine', { add: [ctl('006', 'm     o  d        ')] }, []],
    ['no 008', { drop: ['008'] }, [p('control-field-missing', { tag: '008' })]],
    ['001 written with subfields', { set: { 0: df('001', '  ', 'a', 'LT-1') } }, [p('control-field-has-subfields', { tag: '001' }, { tag: '001', fieldIndex: 0 })]],
    ['500 written as a control field', { add: [ctl('500', 'Ghi chú')] }, [p('data-field-no-subfields', { tag: '500' }, { tag: '500', fieldIndex: END })]],
    ['500 without subfields', { add: [df('500', '  ')] }, [p('data-field-no-subfields', { tag: '500' }, { tag: '500', fieldIndex: END })]],
    ['245 written as a control field', { set: { 11: ctl('245', 'Truyện Kiều') } }, [p('data-field-no-subfields', { tag: '245' }, { tag: '245', fieldIndex: 11 })]],
    // tags
    ['two-character tag', { add: [df('50', '  ', 'a', 'x')] }, [p('tag-invalid', { tag: '50' }, { tag: '50', fieldIndex: END })]],
    ['tag with a space', { add: [df('5 0', '  ', 'a', 'x')] }, [p('tag-invalid', { tag: '5 0' }, { tag: '5 0', fieldIndex: END })]],
    ['four-character tag', { add: [df('5000', '  ', 'a', 'x')] }, [p('tag-invalid', { tag: '5000' }, { tag: '5000', fieldIndex: END })]],
    ['alphanumeric tag', { add: [df('CAT', '  ', 'a', 'x')] }, [p('tag-alphanumeric', { tag: 'CAT' }, { tag: 'CAT', fieldIndex: END })]],
    ['undefined tag', { add: [df('012', '  ', 'a', 'x')] }, [p('tag-unknown', { tag: '012' }, { tag: '012', fieldIndex: END })]],
    ['OCLC 049 is not MARC 21', { add: [df('049', '  ', 'a', 'HCOA')] }, [p('tag-unknown', { tag: '049' }, { tag: '049', fieldIndex: END })]],
    ['obsolete 440', { add: [df('440', ' 0', 'a', 'Tủ sách')] }, [p('tag-obsolete', { tag: '440' }, { tag: '440', fieldIndex: END })]],
    ['local fields are never checked', {
      add: [df('090', '99', 'a', ''), df('690', '  ', 'A', 'x'), df('790', '  ', 'a', 'x'), df('999', 'zz', 'c', '1'), df('952', '  ', 'a', 'x'), df('099', '  ', 'a', 'x')],
    }, [
      // a subfield must still have a value and a lower-case code
      p('subfield-empty', { tag: '090', code: 'a' }, { tag: '090', fieldIndex: END, subfield: 'a' }),
      p('subfield-code-invalid', { tag: '690', code: 'A' }, { tag: '690', fieldIndex: END + 1, subfield: 'A' }),
    ]],
    // repeatability
    ['second 245', { add: [df('245', '10', 'a', 'Kim Vân Kiều.')] }, [p('field-not-repeatable', { tag: '245' }, { tag: '245', fieldIndex: END })]],
    ['second 008', { add: [ctl('008', f008())] }, [p('field-not-repeatable', { tag: '008' }, { tag: '008', fieldIndex: END })]],
    ['second 100', { add: [df('100', '1 ', 'a', 'Smith, John.')] }, [
      p('field-not-repeatable', { tag: '100' }, { tag: '100', fieldIndex: END }),
      p('main-entry-multiple', { count: 2 }, { tag: '100', fieldIndex: END }),
    ]],
    ['100 and 110', { add: [df('110', '2 ', 'a', 'Hội Nhà văn Việt Nam.')] }, [p('main-entry-multiple', { count: 2 }, { tag: '110', fieldIndex: END })]],
    ['100, 111 and 130', { add: [df('111', '2 ', 'a', 'Hội thảo'), df('130', '0 ', 'a', 'Kiều')] }, [p('main-entry-multiple', { count: 3 }, { tag: '111', fieldIndex: END })]],
    ['repeatable fields repeated', { add: [df('650', ' 4', 'a', 'Thơ'), df('020', '  ', 'a', '0306406152'), df('250', '  ', 'a', 'In lần 2.')] }, []],
    ['no 245', { drop: ['245'] }, [p('title-missing', {})]],
    // indicators
    ['245 ind1 2', { set: { 11: df('245', '20', 'a', 'Truyện Kiều.') } }, [p('indicator-invalid', { tag: '245', ind: 1, value: '2', allowed: '0 1' }, { tag: '245', fieldIndex: 11 })]],
    ['650 ind2 blank', { set: { 27: df('650', '  ', 'a', 'Thơ') } }, [p('indicator-invalid', { tag: '650', ind: 2, value: '#', allowed: '0 1 2 3 4 5 6 7' }, { tag: '650', fieldIndex: 27 })]],
    ['856 ind1 9', { set: { 36: df('856', '91', 'u', 'https://example.org') } }, [
      p('indicator-invalid', { tag: '856', ind: 1, value: '9', allowed: '# 0 1 2 3 4 7' }, { tag: '856', fieldIndex: 36 }),
    ]],
    ['empty indicator string', { set: { 20: { tag: '500', ind1: '', ind2: ' ', subfields: [{ code: 'a', value: 'x' }] } } }, [
      p('indicator-invalid', { tag: '500', ind: 1, value: '', allowed: '#' }, { tag: '500', fieldIndex: 20 }),
    ]],
    ['100 ind2 0 (obsolete since 1990)', { set: { 10: df('100', '00', 'a', 'Nguyễn Du.') } }, [p('indicator-obsolete', { tag: '100', ind: 2, value: '0' }, { tag: '100', fieldIndex: 10 })]],
    ['100 ind1 2 (multiple surname, obsolete)', { set: { 10: df('100', '2 ', 'a', 'Foster-Johnson, Eric.') } }, [
      p('indicator-obsolete', { tag: '100', ind: 1, value: '2' }, { tag: '100', fieldIndex: 10 }),
    ]],
    ['260 ind1 0 (obsolete)', { add: [df('260', '0 ', 'a', 'Hà Nội :', 'b', 'Văn học,', 'c', '2015.')] }, [p('indicator-obsolete', { tag: '260', ind: 1, value: '0' }, { tag: '260', fieldIndex: END })]],
    ['880 checked as its linked 245', { set: { 37: df('880', '50', '6', '245-01', 'a', '傳翹', 'a', '金雲翹') } }, [
      p('indicator-invalid', { tag: '880', ind: 1, value: '5', allowed: '0 1' }, { tag: '880', fieldIndex: 37 }),
      p('subfield-not-repeatable', { tag: '880', code: 'a' }, { tag: '880', fieldIndex: 37, subfield: 'a' }),
    ]],
    ['880 linked to a local field is not checked', { set: { 37: df('880', 'zz', '6', '590-01', 'q', '註') } }, []],
    // subfields
    ['245 $a twice', { set: { 11: df('245', '10', 'a', 'Truyện Kiều /', 'a', 'Kim Vân Kiều') } }, [
      p('subfield-not-repeatable', { tag: '245', code: 'a' }, { tag: '245', fieldIndex: 11, subfield: 'a' }),
    ]],
    ['245 $a three times: one problem', { set: { 11: df('245', '10', 'a', 'A', 'a', 'B', 'a', 'C') } }, [
      p('subfield-not-repeatable', { tag: '245', code: 'a' }, { tag: '245', fieldIndex: 11, subfield: 'a' }),
    ]],
    ['040 $b twice', { set: { 6: df('040', '  ', 'a', 'VN-LT', 'b', 'vie', 'b', 'eng') } }, [
      p('subfield-not-repeatable', { tag: '040', code: 'b' }, { tag: '040', fieldIndex: 6, subfield: 'b' }),
    ]],
    ['repeatable subfields repeated', { set: { 11: df('245', '10', 'a', 'Lịch sử.', 'n', 'Tập 1,', 'p', 'Cổ đại.', 'n', 'Tập 2,', 'p', 'Trung đại.') } }, []],
    ['020 $x undefined', { set: { 4: df('020', '  ', 'a', '9786046922315', 'x', 'y') } }, [
      p('subfield-unknown', { tag: '020', code: 'x' }, { tag: '020', fieldIndex: 4, subfield: 'x' }),
    ]],
    ['035 $9 undefined (common local practice)', { set: { 5: df('035', '  ', '9', '(DLC) 99065006') } }, [
      p('subfield-unknown', { tag: '035', code: '9' }, { tag: '035', fieldIndex: 5, subfield: '9' }),
    ]],
    ['$6 and $8 are defined in every listed field', { set: { 20: df('500', '  ', '8', '1\\c', '8', '2\\c', '6', '880-02', 'a', 'Ghi chú.') } }, []],
    ['subfields of an unlisted field are not checked', { add: [df('037', '  ', 'x', 'anything', 'x', 'again')] }, []],
    ['upper-case subfield code', { set: { 11: df('245', '10', 'A', 'Truyện Kiều.') } }, [
      p('subfield-code-invalid', { tag: '245', code: 'A' }, { tag: '245', fieldIndex: 11, subfield: 'A' }),
    ]],
    ['punctuation as subfield code', { set: { 20: df('500', '  ', 'a', 'x', '$', 'y') } }, [
      p('subfield-code-invalid', { tag: '500', code: '$' }, { tag: '500', fieldIndex: 20, subfield: '$' }),
    ]],
    ['empty subfield', { set: { 20: df('500', '  ', 'a', '') } }, [p('subfield-empty', { tag: '500', code: 'a' }, { tag: '500', fieldIndex: 20, subfield: 'a' })]],
    ['blank subfield', { set: { 20: df('500', '  ', 'a', ' \t ') } }, [p('subfield-empty', { tag: '500', code: 'a' }, { tag: '500', fieldIndex: 20, subfield: 'a' })]],
    // 245 indicators
    ['245 ind1 0 with a 100', fieldWith245('00', 'Truyện Kiều.'), [p('title-added-entry', { value: '0', expected: '1' }, { tag: '245', fieldIndex: 11 })]],
    ['245 ind1 1 without a 1XX', { drop: ['100'] }, [p('title-added-entry', { value: '1', expected: '0' }, { tag: '245', fieldIndex: 10 })]],
    ['English title with article, ind2 0', english('10', 'The hobbit.'), [p('non-filing-mismatch', { value: 0, expected: 4 }, { tag: '245', fieldIndex: 11 })]],
    ['English title with article, ind2 4', english('14', 'The hobbit.'), []],
    ['English title, ind2 counts too few', english('12', 'The hobbit.'), [p('non-filing-mismatch', { value: 2, expected: 4 }, { tag: '245', fieldIndex: 11 })]],
    ['"An" counts 3', english('13', 'An introduction.'), []],
    ['quotation mark before the article counts', english('15', '"The hobbit".'), []],
    ['French elision', english('12', "L'étranger."), []],
    ['French elision, ind2 0', english('10', "L'étranger."), [p('non-filing-mismatch', { value: 0, expected: 2 }, { tag: '245', fieldIndex: 11 })]],
    ['an article the table does not know, at a word boundary', english('13', 'El nombre de la rosa.'), []],
    ['ind2 that cuts a word', english('13', 'Hobbit.'), [p('non-filing-mismatch', { value: 3, expected: 0 }, { tag: '245', fieldIndex: 11 })]],
    ['"A" is not an article in Vietnamese', fieldWith245('10', 'A Phủ.'), []],
    ['Vietnamese title with ind2 4', fieldWith245('14', 'Truyện Kiều.'), [p('non-filing-mismatch', { value: 4, expected: 0 }, { tag: '245', fieldIndex: 11 })]],
    // content
    ['ISBN with a wrong check digit', { set: { 4: df('020', '  ', 'a', '978-604-69-2231-4 (bìa mềm)') } }, [
      p('isbn-invalid', { value: '978-604-69-2231-4 (bìa mềm)' }, { tag: '020', fieldIndex: 4, subfield: 'a' }),
    ]],
    ['ISBN-10 as catalogued', { set: { 4: df('020', '  ', 'a', '0-8044-2957-X (pbk.) :', 'c', '$12.00') } }, []],
    ['cancelled ISBN in $z is not checked', { set: { 4: df('020', '  ', 'z', '12345') } }, []],
    ['041 codes run together (before 2001)', { set: { 7: df('041', '0 ', 'a', 'vieeng') } }, [
      p('language-code-invalid', { code: 'a', value: 'vieeng' }, { tag: '041', fieldIndex: 7, subfield: 'a' }),
    ]],
    ['041 upper-case code', { set: { 7: df('041', '0 ', 'a', 'VIE') } }, [p('language-code-invalid', { code: 'a', value: 'VIE' }, { tag: '041', fieldIndex: 7, subfield: 'a' })]],
    ['041 ind2 7: codes from $2', { set: { 7: df('041', '07', 'a', 'vi', '2', 'iso639-1') } }, []],
    ['856 without $u', { set: { 36: df('856', '42', 'y', 'Mục lục') } }, [p('link-url-missing', { tag: '856' }, { tag: '856', fieldIndex: 36 })]],
  ])('%s', (_name, v, expected) => {
    const problems = validateMarc21(variant(v));
    expect(problems).toEqual(expected.map(withSeverity));
    // Every problem reads as a full sentence in both languages: no placeholder left unfilled.
    for (const problem of problems) {
      for (const locale of ['vi', 'en'] as const) {
        const key = `marc.rule.${problem.code}`;
        expect(hasMessage(key), key).toBe(true);
        expect(translator(locale)(key as Parameters<ReturnType<typeof translator>>[0], problem.params)).not.toMatch(/\{\w+\}/);
      }
    }
  });

  it('reports problems in record order, leader first', () => {
    const problems = validateMarc21({
      leader: setLeader(6, 'z'),
      fields: [ctl('008', f008()), df('500', '  ', 'a', ''), df('245', '20', 'a', 'Truyện Kiều.'), df('500', '  ')],
    });
    expect(problems.map((x) => [x.code, x.fieldIndex])).toEqual([
      ['leader-value', undefined],
      ['subfield-empty', 1],
      ['indicator-invalid', 2],
      ['data-field-no-subfields', 3],
    ]);
  });

  it('never throws on malformed input', () => {
    const broken = {
      leader: 42,
      fields: [null, 'x', { tag: 245 }, { tag: '245', ind1: 1, ind2: null, subfields: [null, { code: 'a' }, { code: 7, value: 'x' }] }, { tag: '008' }],
    } as unknown as MarcLike;
    expect(() => validateMarc21(broken)).not.toThrow();
    expect(hasErrors(validateMarc21(broken))).toBe(true);
    expect(() => validateMarc21({ fields: undefined } as unknown as MarcLike)).not.toThrow();
    expect(validateMarc21({ leader: LEADER, fields: [] }).map((x) => x.code)).toEqual(['control-field-missing', 'title-missing']);
  });
});

describe('hasErrors', () => {
  it.each<[RuleProblem[], boolean]>([
    [[], false],
    [[{ severity: 'warning', code: 'tag-unknown', params: { tag: '012' } }], false],
    [[{ severity: 'warning', code: 'tag-unknown', params: {} }, { severity: 'error', code: 'title-missing', params: {} }], true],
  ])('%j → %s', (problems, result) => expect(hasErrors(problems)).toBe(result));
});

describe('nonFilingCount', () => {
  it.each<[string, string | undefined, number]>([
    ['The Hobbit', undefined, 4],
    ['the hobbit', 'eng', 4],
    ['A tale of two cities', 'eng', 2],
    ['An essay', 'eng', 3],
    ["L'étranger", 'fre', 2],
    ['L’étranger', 'fre', 2],
    ['Les misérables', 'fre', 4],
    ['Der Zauberberg', 'ger', 4],
    ['Die Blechtrommel', 'ger', 4],
    ['Das Kapital', 'ger', 4],
    ['"The hobbit"', 'eng', 5],
    ['[The hobbit]', 'eng', 5],
    ['“The hobbit”', 'eng', 5],
    ['Theory of games', 'eng', 0],
    ['Anna Karenina', 'eng', 0],
    ['The', 'eng', 0],
    ['A Phủ', 'vie', 0],
    ['The Hobbit', 'vie', 0],
    ['Truyện Kiều', undefined, 0],
    ['', undefined, 0],
  ])('%j (%s) → %d', (title, lang, n) => expect(nonFilingCount(title, lang)).toBe(n));
});

// ---------------------------------------------------------------------------------------------

describe('the tag table', () => {
  const tags = MARC21_BIB_TAGS.map((t) => t.tag);

  it('is in tag order, without duplicates, three digits each', () => {
    expect(tags.every((t) => /^\d{3}$/.test(t))).toBe(true);
    expect([...tags].sort()).toEqual(tags);
    expect(new Set(tags).size).toBe(tags.length);
  });

  it('has every commonly used MARC 21 bibliographic field', () => {
    const wanted = [
      '001', '003', '005', '006', '007', '008', '010', '015', '016', '017', '018', '020', '022', '024', '025', '026', '027', '028',
      '030', '031', '032', '033', '034', '035', '036', '037', '038', '040', '041', '042', '043', '044', '045', '046', '047', '048',
      '050', '051', '052', '055', '060', '061', '066', '070', '071', '072', '074', '080', '082', '083', '084', '085', '086', '088',
      '100', '110', '111', '130', '210', '222', '240', '242', '243', '245', '246', '247', '250', '254', '255', '256', '257', '258',
      '260', '263', '264', '270', '300', '306', '307', '310', '321', '336', '337', '338', '340', '344', '345', '346', '347', '348',
      '351', '352', '355', '357', '362', '363', '365', '366', '370', '377', '380', '381', '382', '383', '384', '385', '386', '388',
      '490', '500', '501', '502', '504', '505', '506', '507', '508', '510', '511', '513', '514', '515', '516', '518', '520', '521',
      '522', '524', '525', '526', '530', '532', '533', '534', '535', '536', '538', '540', '541', '542', '544', '545', '546', '547',
      '550', '552', '555', '556', '561', '562', '563', '565', '567', '580', '581', '583', '584', '585', '586', '588', '600', '610',
      '611', '630', '647', '648', '650', '651', '653', '654', '655', '656', '657', '658', '662', '688', '700', '710', '711', '720',
      '730', '740', '751', '752', '753', '754', '758', '760', '762', '765', '767', '770', '772', '773', '774', '775', '776', '777',
      '780', '785', '786', '787', '788', '800', '810', '811', '830', '841', '842', '843', '844', '845', '850', '852', '853', '854',
      '855', '856', '857', '863', '864', '865', '866', '867', '868', '876', '877', '878', '880', '881', '882', '883', '884', '885',
      '886', '887',
    ];
    expect(wanted.filter((t) => tagInfo(t) === undefined)).toEqual([]);
  });

  it('lists subfields and a Vietnamese name for the main fields', () => {
    const main = [
      '020', '022', '035', '040', '041', '080', '082', '084', '100', '110', '111', '245', '246', '250', '260', '264', '300', '490',
      '500', '504', '505', '520', '546', '600', '610', '650', '651', '653', '655', '700', '710', '773', '830', '852', '856',
    ];
    expect(main.filter((t) => tagInfo(t)?.subfields === undefined)).toEqual([]);
    expect(main.filter((t) => !tagInfo(t)?.name.vi)).toEqual([]);
    expect(MARC21_BIB_TAGS.filter((t) => t.name.en.trim() === '').map((t) => t.tag)).toEqual([]);
    for (const t of MARC21_BIB_TAGS) {
      if (t.name.vi) expect(t.name.vi, t.tag).toBe(t.name.vi.normalize('NFC'));
      // Non-repeatable subfields are a subset of the defined ones.
      for (const c of t.nonRepeatableSubfields ?? '') expect(t.subfields, `${t.tag} $${c}`).toContain(c);
    }
  });

  it.each<[string, Partial<ReturnType<typeof tagInfo>>]>([
    ['001', { repeatable: false, control: true, ind1: '', ind2: '' }],
    ['007', { repeatable: true, control: true }],
    ['020', { repeatable: true, ind1: ' ', ind2: ' ', subfields: 'acqz68', nonRepeatableSubfields: 'ac6' }],
    ['041', { repeatable: true, ind1: ' 01', ind2: ' 7' }],
    ['082', { ind1: '017', ind2: ' 04' }],
    ['100', { repeatable: false, ind1: '013', ind2: ' ' }],
    ['245', { repeatable: false, ind1: '01', ind2: '0123456789', subfields: 'abcfghknps768', nonRepeatableSubfields: 'abcfghs6' }],
    ['246', { ind1: '0123', ind2: ' 012345678' }],
    ['264', { ind1: ' 23', ind2: '01234' }],
    ['650', { ind1: ' 012', ind2: '01234567' }],
    ['856', { ind1: ' 012347', ind2: ' 012348' }],
    ['880', { repeatable: true, ind1: undefined, ind2: undefined, subfields: undefined }],
  ])('tagInfo(%s)', (tag, expected) => {
    const defined = Object.entries(expected as object).filter(([, v]) => v !== undefined);
    expect(tagInfo(tag)).toMatchObject(Object.fromEntries(defined));
    for (const [k, v] of Object.entries(expected as object)) if (v === undefined) expect(tagInfo(tag)).not.toHaveProperty(k);
  });

  it('names fields in both languages for the editor', () => {
    expect(tagInfo('245')?.name).toEqual({ en: 'Title Statement', vi: 'Nhan đề chính' });
    expect(tagInfo('650')?.name.vi).toBe('Tiêu đề bổ sung chủ đề—Thuật ngữ chủ đề');
    expect(tagInfo('031')?.name).toEqual({ en: 'Musical Incipits Information' });
    expect(tagInfo('999')).toBeUndefined();
    expect(tagInfo('24')).toBeUndefined();
  });

  it('is frozen', () => {
    expect(Object.isFrozen(MARC21_BIB_TAGS)).toBe(true);
    expect(Object.isFrozen(tagInfo('245'))).toBe(true);
    expect(Object.isFrozen(tagInfo('245')!.name)).toBe(true);
  });

  it.each<[string, boolean]>([
    ['090', true],
    ['099', true],
    ['590', true],
    ['690', true],
    ['790', true],
    ['890', true],
    ['900', true],
    ['952', true],
    ['999', true],
    ['490', false], // defined by MARC 21
    ['500', false],
    ['012', false],
    ['9AB', false],
  ])('isLocalTag(%s) → %s', (tag, local) => expect(isLocalTag(tag)).toBe(local));
});

describe('the message catalogue', () => {
  it('has marc.rule.<code> in both languages for every rule', () => {
    expect(MARC_RULE_CODES.filter((c) => !hasMessage(`marc.rule.${c}`))).toEqual([]);
    expect(MARC_RULE_CODES).toEqual(Object.keys(MARC_RULES));
  });
});

// ---------------------------------------------------------------------------------------------

describe('real records', () => {
  // Catalogue records from LC, OCLC and other libraries as the pymarc, ruby-marc and yaz test
  // suites carry them, and the project's Vietnamese records. The deliberately broken files and
  // the UNIMARC/danMARC ones are left out: they are not MARC 21 bibliographic records.
  const FILES = [
    'pymarc/marc.dat',
    'pymarc/test.dat',
    'pymarc/one.dat',
    'pymarc/diacritic.dat',
    'pymarc/multi_isbn.dat',
    'pymarc/marc8.dat',
    'pymarc/utf8_with_leader_flag.dat',
    'pymarc/batch.xml',
    'pymarc/utf8.xml',
    'ruby-marc/batch.dat',
    'ruby-marc/batch.xml',
    'ruby-marc/one.dat',
    'ruby-marc/one.xml',
    'ruby-marc/random_tag_order.dat',
    'ruby-marc/random_tag_order2.dat',
    'ruby-marc/marc8_accented_chars.marc',
    'ruby-marc/utf8.marc',
    'ruby-marc/utf8_multirecord.marc',
    'vietnamese-synthetic/vi-synthetic.utf8.mrc',
    'vietnamese-synthetic/vi-synthetic.marcxml',
    'yaz-golden/marc5.marc',
    'yaz-golden/marc6.marc',
    'yaz-golden/marc7.marc',
    'yaz-golden/marc9.marc',
    'yaz-golden/marc10.marc',
    'yaz-golden/marc11.marc',
    'yaz-golden/marc12.marc',
  ];

  it.each(FILES)('%s: no errors (warnings allowed)', (path) => {
    const bytes = fixture(path);
    const results = /\.(xml|marcxml)$/.test(path) ? readMarcXml(bytes) : readIso2709(bytes);
    const records = results.flatMap((r) => (r.ok ? [r.record] : []));
    expect(records.length).toBeGreaterThan(0);
    for (const [i, record] of records.entries()) {
      const errors = validateMarc21(record).filter((x) => x.severity === 'error');
      expect(errors, `${path} record ${i + 1}`).toEqual([]);
    }
  });

  it('reports the known faults of the broken fixtures', () => {
    const [indicatorRecord] = readIso2709(fixture('pymarc/bad_indicator.dat'));
    expect(indicatorRecord?.ok && validateMarc21(indicatorRecord.record).map((x) => x.code)).toContain('tag-invalid');
    const regression = readIso2709(fixture('pymarc/regression45.dat')).flatMap((r) => (r.ok ? [r.record] : []));
    // Prints and photographs from LC with 490 indicators left blank.
    expect(regression.some((r) => validateMarc21(r).some((x) => x.code === 'indicator-invalid' && x.tag === '490'))).toBe(true);
  });
});
