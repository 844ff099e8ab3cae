/**
 * Vietnamese through MARC-8: the synthetic records in test/fixtures/marc/vietnamese-synthetic (not
 * real catalogue data) hold every tone on every vowel, the horned ơ ư Ơ Ư (MARC-8 0xBC 0xBD 0xAC
 * 0xAD) and đ Đ, as MARC-8 (combining marks before the letter, several on one letter) and as UTF-8.
 */
import { describe, expect, it } from 'vitest';
import { fixture, fixtureText } from '../../../test/fixtures/marc/fixtures.js';
import { iso, latin1 } from '../../../test/fixtures/marc/iso.js';
import { parseIso2709, parseMarcXml } from './parse.js';
import { firstSubfield } from './record.js';
import { writeMarcXml } from './write.js';

const marc8 = () => parseIso2709(fixture('vietnamese-synthetic/vi-synthetic.marc8.mrc'), { strict: true });

describe('Vietnamese in MARC-8', () => {
  it('comes out exactly: Truyện Kiều, Nguyễn Du, Đào Duy Anh, in NFC', () => {
    const [kieu] = marc8();
    expect(firstSubfield(kieu!, '245', 'a')).toBe('Truyện Kiều /');
    expect(firstSubfield(kieu!, '245', 'c')).toBe('Nguyễn Du ; Đào Duy Anh khảo đính, chú thích.');
    expect(firstSubfield(kieu!, '100', 'a')).toBe('Nguyễn Du,');
    expect(firstSubfield(kieu!, '650', 'a')).toBe('Thơ Việt Nam');
    expect(firstSubfield(kieu!, '650', 'y')).toBe('Thế kỷ 18');
    for (const f of kieu!.fields) if ('subfields' in f) for (const s of f.subfields) expect(s.value).toBe(s.value.normalize('NFC'));
  });

  it('keeps the horns and every tone mark', () => {
    const [, suLuoc] = marc8();
    expect(firstSubfield(suLuoc!, '245', 'a')).toBe('Việt Nam sử lược /');
    expect(firstSubfield(suLuoc!, '500', 'a')).toBe('Kiểm tra dấu: ơ ư Ơ Ư ằ ẳ ẵ ặ ế ể ễ ệ ố ổ ỗ ộ ớ ở ỡ ợ ứ ử ữ ự ỳ ỷ ỹ ỵ Đ đ');
  });

  it('gives the same fields as the UTF-8 ISO 2709 and the MARCXML versions', () => {
    const fields = marc8().map((r) => r.fields);
    expect(parseIso2709(fixture('vietnamese-synthetic/vi-synthetic.utf8.mrc'), { strict: true }).map((r) => r.fields)).toEqual(fields);
    expect(parseMarcXml(fixture('vietnamese-synthetic/vi-synthetic.marcxml'), { strict: true }).map((r) => r.fields)).toEqual(fields);
    expect(parseMarcXml(fixture('vietnamese-synthetic/vi-synthetic.nfd-hornfix.marcxml'), { strict: true }).map((r) => r.fields)).toEqual(fields);
  });

  it('matches the text of the rendered test page', () => {
    const truth = fixtureText('vietnamese-synthetic/truth.txt').split('\n');
    const [kieu] = marc8();
    expect(truth[0]).toBe(firstSubfield(kieu!, '245', 'a')!.replace(' /', ''));
    expect(truth[1]).toBe(firstSubfield(kieu!, '100', 'a')!.replace(',', ''));
  });

  it.each([
    ['o horn, 0xBC', 'Th\xbc', 'Thơ'],
    ['u horn, 0xBD', 'l\xbd\xf2\xbcc', 'lược'],
    ['O horn, 0xAC', '\xe2\xacN', 'ỚN'],
    ['U horn, 0xAD, with a grave', 'NH\xe1\xadNG', 'NHỪNG'],
    ['dot below and circumflex on one e', 'Vi\xf2\xe3et', 'Việt'],
    ['circumflex and tilde on one e', 'Nguy\xe3\xe4en', 'Nguyễn'],
  ])('decodes %s', (_name, bytes, expected) => {
    const [r] = parseIso2709(iso([['245', latin1(`10\x1fa${bytes}`)]], { kind: 'nam  ' }), { strict: true });
    expect(firstSubfield(r!, '245', 'a')).toBe(expected);
  });

  it("shows what a lossy converter did: 'Truyện Kiều' written to MARC-8 as 'Truyn Kiu' cannot be recovered", () => {
    const [lossy] = parseIso2709(fixture('vietnamese-synthetic/vi-synthetic.marc8-LOSSY-from-NFC.mrc'), { strict: true });
    expect(firstSubfield(lossy!, '245', 'a')).toBe('Truyn Kiu /');
  });

  it('writes MARCXML in NFC with the letters as single characters', () => {
    const xml = writeMarcXml(marc8());
    expect(xml).toContain('<subfield code="a">Truyện Kiều /</subfield>');
    expect(xml).toBe(xml.normalize('NFC'));
  });
});
