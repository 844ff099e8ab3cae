import { describe, expect, it } from 'vitest';
import { fixture, fixtureText } from '../../../test/fixtures/marc/fixtures.js';
import { iso, latin1 } from '../../../test/fixtures/marc/iso.js';
import { decodeMarc8, Marc8State } from './_marc8.js';
import { parseIso2709, readIso2709 } from './parse.js';
import { firstSubfield } from './record.js';

/** MARC-8 bytes (one per character of `s`) to NFC text, with the problems met. */
function m8(s: string): { text: string; problems: string[] } {
  const bytes = latin1(s);
  const problems: string[] = [];
  const text = decodeMarc8(bytes, 0, bytes.length, new Marc8State(), (code, at, detail, repair) => problems.push(`${code} @${at}: ${detail}${repair ? `; ${repair}` : ''}`));
  return { text: text.normalize('NFC'), problems };
}

describe('MARC-8 to Unicode', () => {
  it.each([
    // ANSEL combining marks come before their base letter in MARC-8, after it in Unicode.
    ['combining acute before e', 'caf\xe2e', 'café'],
    ['two marks on one letter (dot below, circumflex)', 'Vi\xf2\xe3et', 'Việt'],
    ['circumflex + tilde (Nguyễn)', 'Nguy\xe3\xe4en', 'Nguyễn'],
    ['hook above + breve', 'Tr\xe6\xe0a', 'Trẳ'],
    ['o horn (0xBC) with acute', 'l\xe2\xbcp', 'lớp'],
    ['u horn (0xBD) with hook above', 'S\xe0\xbd', 'Sử'],
    ['capital horns (0xAC, 0xAD)', '\xac \xad', 'Ơ Ư'],
    ['d with stroke (0xA3, 0xB3)', '\xa3\xe1ai \xb3en', 'Đài đen'],
    ['spacing diacritic: a mark before a space', 'x\xe3 y', 'x \u0302y'],
    ['ANSEL spacing characters', '\xa5 \xb5 \xa6 \xb6 \xc3 \xc5 \xc7 \xc8', 'Æ æ Œ œ © ¿ ß €'],
    ['ligature halves (LoC U+FE20 / U+FE21)', '\xebt\xecs', 't\ufe20s\ufe21'],
    ['Greek symbols, ESC g', 'x\x1bgabc\x1bs', 'xαβγ'],
    ['subscript, ESC b', 'CO\x1bb2\x1bs is a gas', 'CO₂ is a gas'],
    ['superscript, ESC p', 'E=mc\x1bp2\x1bs', 'E=mc²'],
    ['basic Cyrillic in G0, ESC ( N (upper-case ASCII positions hold lower-case letters)', '\x1b(NRUSSKIJ\x1b(B text', 'русский text'],
    ['basic Cyrillic with the alternative intermediate ESC , N', '\x1b,Nmir\x1b(B', 'МИР'],
    ['extended Cyrillic in G1, ESC ) Q', '\x1b)Q\xe7\x1b)E', 'Ї'],
    ['basic Greek, ESC ( S', '\x1b(SABD\x1b(B', 'ΑΒΓ'],
    ['basic Hebrew, ESC ( 2', '\x1b(2`abc\x1b(B', 'אבגד'],
    ['basic Arabic, ESC ( 3', '\x1b(3GdbGgQI\x1b(B', 'القاهرة'],
    ['EACC (CJK), ESC $ 1', '\x1b$1\x21\x30\x21\x1b(B', '一'],
    ['numeric character reference (LoC lossless)', 'Rio &#xFFFD; &#x1EA0;', 'Rio \uFFFD Ạ'],
    ['non-sort markers 0x88 0x89', '\x88The \x89Title', '\u0098The \u009cTitle'],
  ])('%s', (_name, input, expected) => {
    expect(m8(input)).toEqual({ text: expected, problems: [] });
  });

  it.each([
    ['an unknown final byte', 'A\x1b(ZBC\x1b(BD', 'A\uFFFD\uFFFDD', ['escape-sequence @1: escape sequence ESC ( Z designates an unknown character set; its characters are replaced with U+FFFD']],
    ['ESC followed by a blank', 'Soci\xe2et\x1b linn', 'Sociét\uFFFD linn', ['escape-sequence @7: ESC followed by 0x20 is not a MARC-8 escape sequence; replaced with U+FFFD']],
    ['ESC at the end', 'abc\x1b', 'abc\uFFFD', ['escape-sequence @3: ESC at the end of the text is an incomplete escape sequence; replaced with U+FFFD']],
    ['a byte ANSEL does not define', 'x\xafy', 'x\uFFFDy', ['encoding @1: byte 0xAF is not a character in Extended Latin (ANSEL); replaced with U+FFFD']],
    ['a C1 byte MARC-8 does not define', 'x\x81y', 'x\uFFFDy', ['encoding @1: byte 0x81 is not a MARC-8 character; replaced with U+FFFD']],
    ['a combining mark at the end (NFC then puts it on the c)', 'abc\xe2', 'abć', ['combining @3: combining mark with no base character after it; kept at the end']],
    ['an incomplete EACC character', '\x1b$1\x21\x30', '\uFFFD\uFFFD', ['encoding @3: incomplete East Asian (EACC) character at byte 0x21; replaced with U+FFFD', 'encoding @4: incomplete East Asian (EACC) character at byte 0x30; replaced with U+FFFD']],
    ['an EACC code with no character', '\x1b$1\x7e\x7e\x7e', '\uFFFD', ['encoding @3: 0x7E 0x7E 0x7E is not a character in East Asian (EACC); replaced with U+FFFD']],
  ])('reports %s and substitutes U+FFFD', (_name, input, text, problems) => {
    expect(m8(input)).toEqual({ text, problems });
  });

  it("matches pymarc's 1,514 MARC-8 / UTF-8 test lines (Latin, Arabic, Hebrew, Cyrillic, Greek, CJK)", () => {
    const marc8 = fixture('pymarc/test_marc8.txt');
    const utf8 = fixtureText('pymarc/test_utf8.txt').split('\n');
    const lines: Uint8Array[] = [];
    for (let i = 0, s = 0; i < marc8.length; i++) {
      if (marc8[i] === 0x0a) {
        lines.push(marc8.subarray(s, i));
        s = i + 1;
      }
    }
    expect(lines).toHaveLength(1515);
    // The last line uses OCLC's non-standard EACC extensions (codes with 0x20 and 0x7F bytes,
    // such as 0x7F2014 for an em dash), which are not in the LoC table; yaz does not map them either.
    const mismatches: string[] = [];
    lines.slice(0, 1514).forEach((line, n) => {
      const problems: string[] = [];
      const got = decodeMarc8(line, 0, line.length, new Marc8State(), (c, at, d) => problems.push(`${c}@${at} ${d}`)).normalize('NFC');
      if (got !== utf8[n]!.normalize('NFC') || problems.length > 0) mismatches.push(`line ${n + 1}: ${got} ≠ ${utf8[n]} ${problems.join(' ')}`);
    });
    expect(mismatches).toEqual([]);
  });
});

describe('MARC-8 records', () => {
  it('resets to ASCII / ANSEL at the start of every field, and reads subfield codes as ASCII whatever G0 holds', () => {
    const record = iso(
      [
        ['245', latin1('10\x1fa\x1b(NKNIGA\x1fbIZDANIE\x1b(B')],
        ['260', latin1('  \x1faMoskva')],
      ],
      { kind: 'nam  ' },
    );
    const [r] = parseIso2709(record, { strict: true });
    expect(r!.fields).toEqual([
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'книга' }, { code: 'b', value: 'издание' }] },
      { tag: '260', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'Moskva' }] },
    ]);
  });

  it("pymarc's marc8.dat and ruby-marc's accented characters come out in NFC", () => {
    const [r] = parseIso2709(fixture('pymarc/marc8.dat'), { strict: true });
    expect(firstSubfield(r!, '240', 'a')).toBe('De la solitude à la communauté.');
    expect(firstSubfield(r!, '240', 'a')).toBe(firstSubfield(r!, '240', 'a')!.normalize('NFC'));
    const [accented] = parseIso2709(fixture('ruby-marc/marc8_accented_chars.marc'), { encoding: 'marc-8', strict: true });
    expect(firstSubfield(accented!, '505', 'a')).toContain("L'immédiat après-guerre.--La fête des mots.--Eugène Ionesco");
  });

  it("ruby-marc's numeric character reference comes back as the character", () => {
    const [r] = parseIso2709(fixture('ruby-marc/escaped_character_reference.marc8.marc'), { strict: true });
    expect(firstSubfield(r!, '260', 'a')).toBe('Rio de Janeiro escaped replacement char: \uFFFD .');
  });

  it("pymarc's bad_marc8_escape.dat: each stray ESC reported at its byte, the text kept", () => {
    const [result] = readIso2709(fixture('pymarc/bad_marc8_escape.dat'));
    expect(result!.ok).toBe(true);
    expect(result!.warnings).toHaveLength(16);
    expect(result!.warnings[0]!.message).toBe('record 1 (byte 647): MARC-8: ESC followed by t is not a MARC-8 escape sequence; replaced with U+FFFD');
    const r = (result as Extract<typeof result, { ok: true }>).record;
    // pymarc keeps the ESC byte itself ('La Sociét\x1b,'); we put U+FFFD where it was.
    expect(firstSubfield(r, '260', 'b')).toBe('La Sociét\uFFFD,');
    expect(readIso2709(fixture('pymarc/bad_marc8_escape.dat'), { strict: true })[0]).toMatchObject({
      ok: false,
      error: { code: 'escape-sequence', byte: 647, message: 'record 1 (byte 647): MARC-8: ESC followed by t is not a MARC-8 escape sequence' },
    });
  });

  // pymarc puts a blank for each bad EACC code, and tests that 880 $a is 12 characters ending in
  // one; we put U+FFFD and say where each one was.
  it("pymarc's bad_eacc_encoding.dat: 880 $a is 12 characters, U+FFFD for each bad code, each reported", () => {
    const [result] = readIso2709(fixture('pymarc/bad_eacc_encoding.dat'));
    const r = (result as Extract<typeof result, { ok: true }>).record;
    const a = firstSubfield(r, '880', 'a')!;
    expect(Array.from(a)).toHaveLength(12);
    expect(a).toBe('米国の統治の仕組\uFFFD\uFFFD\uFFFD\uFFFD');
    expect(result!.warnings.map((w) => w.message)).toEqual([
      'record 1 (byte 1496): MARC-8: 0x7B 0x36 0x39 is not a character in East Asian (EACC); replaced with U+FFFD',
      'record 1 (byte 1499): MARC-8: 0x32 0x34 0x66 is not a character in East Asian (EACC); replaced with U+FFFD',
      'record 1 (byte 1502): MARC-8: incomplete East Asian (EACC) character at byte 0x36; replaced with U+FFFD',
      'record 1 (byte 1503): MARC-8: incomplete East Asian (EACC) character at byte 0x7D; replaced with U+FFFD',
    ]);
  });
});
