import { describe, expect, it } from 'vitest';
import { fixture } from '../../../test/fixtures/marc/fixtures.js';
import { concat, iso, latin1 } from '../../../test/fixtures/marc/iso.js';
import { MarcError, type MarcResult } from './errors.js';
import { parseIso2709, readIso2709, readMarcJson, readMarcXml, type Iso2709ReadOptions } from './parse.js';
import { firstSubfield, type MarcRecord } from './record.js';
import { MAX_RECORD_LENGTH, writeIso2709, writeMarcJson, writeMarcXml } from './write.js';

/** A result as one line: `ok` / `error: <message>`, then one line per warning. */
function summary(r: MarcResult): string[] {
  return [r.ok ? 'ok' : `error: ${r.error.message}`, ...r.warnings.map((w) => `warning: ${w.message}`)];
}
const read = (bytes: Uint8Array, options?: Iso2709ReadOptions) => readIso2709(bytes, options).map(summary);
const TITLE = iso([['001', 'X1'], ['245', '10\x1faTitle /\x1fcAuthor.']]); // 74 bytes

describe('ISO 2709: valid records', () => {
  it.each([
    ['pymarc/test.dat', 10, '245', 'a', 'ActivePerl with ASP and ADO /'],
    ['pymarc/marc.dat', 20, '245', 'a', 'The pragmatic programmer :'],
    ['pymarc/one.dat', 1, '245', 'a', 'ActivePerl with ASP and ADO /'],
    ['pymarc/multi_isbn.dat', 1, '245', 'a', 'The town scold /'],
    ['pymarc/utf8_with_leader_flag.dat', 1, '240', 'a', 'De la solitude à la communauté.'],
    ['pymarc/diacritic.dat', 1, '245', 'a', 'Amateur media :'],
    ['pymarc/marc8.dat', 1, '240', 'a', 'De la solitude à la communauté.'],
    ['ruby-marc/batch.dat', 10, '245', 'a', 'ActivePerl with ASP and ADO /'],
    ['ruby-marc/utf8_multirecord.marc', 2, '245', 'a', 'Photčhanānukrom Čhin Klāng-TǣčhiuʻAngkrit-Thai /'],
    ['ruby-marc/random_tag_order2.dat', 1, '001', undefined, '13378768'],
    ['vietnamese-synthetic/vi-synthetic.utf8.mrc', 2, '245', 'a', 'Truyện Kiều /'],
    ['vietnamese-synthetic/vi-synthetic.marc8.mrc', 2, '245', 'a', 'Truyện Kiều /'],
    ['yaz-golden/marc6.marc', 1, '245', 'a', 'How to program a computer'],
  ])('%s: %i records, strict, no warnings', (path, count, tag, code, value) => {
    const results = readIso2709(fixture(path), { strict: true });
    expect(results.map((r) => (r.ok ? 'ok' : r.error.message))).toEqual(Array(count).fill('ok'));
    expect(results.flatMap((r) => r.warnings)).toEqual([]);
    const first = (results[0] as Extract<MarcResult, { ok: true }>).record;
    const got = code === undefined ? (first.fields.find((f) => f.tag === tag) as { value: string }).value : firstSubfield(first, tag, code);
    expect(got).toBe(value);
    expect(first.leader[9]).toBe('a');
  });

  it('gives each record its number and byte offset', () => {
    const two = concat(TITLE, TITLE);
    expect(readIso2709(two).map((r) => r.position)).toEqual([
      { record: 1, byte: 0 },
      { record: 2, byte: 74 },
    ]);
  });

  it('reads an empty input, or only line ends and padding, as no records and no error', () => {
    expect(readIso2709(new Uint8Array(0))).toEqual([]);
    expect(readIso2709(latin1('\r\n  \n\x1a'))).toEqual([]);
  });

  it('skips line ends and padding between records', () => {
    expect(read(concat(TITLE, latin1('\r\n'), TITLE, latin1('\n'), fixture('pymarc/bad_indicator.dat').subarray(0, 0), TITLE, latin1('     ')))).toEqual([['ok'], ['ok'], ['ok']]);
  });

  it('takes the character set from leader/09, or as asked', () => {
    const marc8 = iso([['245', latin1('10\x1faCaf\xe2e')]], { kind: 'nam  ' });
    expect(firstSubfield(parseIso2709(marc8)[0]!, '245', 'a')).toBe('Café');
    expect(firstSubfield(parseIso2709(iso([['245', latin1('10\x1faCaf\xe9')]]), { encoding: 'iso-8859-1' })[0]!, '245', 'a')).toBe('Café');
    expect(firstSubfield(parseIso2709(iso([['245', latin1('10\x1fa\xcf\xed\xe8')]]), { encoding: 'windows-1251' })[0]!, '245', 'a')).toBe('Пни');
    // ruby-marc's file says UTF-8 (leader/09 'a') but holds MARC-8.
    const accented = parseIso2709(fixture('ruby-marc/marc8_accented_chars.marc'), { encoding: 'marc-8', strict: true })[0]!;
    expect(firstSubfield(accented, '245', 'a')).toBe('Histoire du "nouveau théâtre."');
    expect(firstSubfield(accented, '100', 'a')).toBe('Serreau, Geneviève.');
  });

  it('reads CP1251 (pymarc) and CP866 (ruby-marc) files when told their encoding', () => {
    expect(firstSubfield(parseIso2709(fixture('pymarc/1251.dat'), { encoding: 'windows-1251' })[0]!, '245', 'a')).toBe('Основы гидравлического расчета инженерных сетей');
    expect(parseIso2709(fixture('pymarc/regression45.dat'))[0]!.fields.find((f) => f.tag === '752')).toMatchObject({
      subfields: [
        { code: 'a', value: 'Russian Federation' },
        { code: 'b', value: 'Kostroma Oblast' },
        { code: 'd', value: 'Kostroma' },
      ],
    });
  });

  it('normalises text to NFC, or keeps it as written with normalize: false', () => {
    const nfd = iso([['245', '10\x1faTruye\u0323\u0302n Kie\u0302\u0300u']]);
    expect(firstSubfield(parseIso2709(nfd)[0]!, '245', 'a')).toBe('Truyện Kiều');
    expect(firstSubfield(parseIso2709(nfd, { normalize: false })[0]!, '245', 'a')).toBe('Truye\u0323\u0302n Kie\u0302\u0300u');
  });
});

describe('ISO 2709: round trips', () => {
  // Every valid UTF-8 record of every fixture: ISO 2709 → MARCXML → ISO 2709 and
  // ISO 2709 → MARC-in-JSON → ISO 2709 give back the same bytes.
  const files = [
    'pymarc/diacritic.dat',
    'pymarc/multi_isbn.dat',
    'pymarc/regression45.dat',
    'pymarc/utf8_errors.dat',
    'pymarc/utf8_with_leader_flag.dat',
    'ruby-marc/random_tag_order.dat',
    'ruby-marc/random_tag_order2.dat',
    'ruby-marc/utf8.marc',
    'ruby-marc/utf8_multirecord.marc',
    'yaz-golden/marc6.xml.marc',
    'yaz-golden/marc7.xml.marc',
    'yaz-golden/marc8.xml.marc',
    'yaz-golden/marc9.xml.marc',
    'yaz-golden/marc12.xml.marc',
    'vietnamese-synthetic/vi-synthetic.utf8.mrc',
  ];
  it.each(files)('%s survives MARCXML and MARC-in-JSON byte for byte', (path) => {
    const bytes = fixture(path);
    const results = readIso2709(bytes, { normalize: false });
    const valid = results.filter((r): r is Extract<MarcResult, { ok: true }> => r.ok && r.warnings.length === 0);
    expect(valid.length).toBeGreaterThan(0);
    for (const r of valid) {
      const start = r.position.byte!;
      const raw = bytes.subarray(start, start + Number(new TextDecoder().decode(bytes.subarray(start, start + 5))));
      expect(raw[9]).toBe(0x61); // UTF-8 records
      const viaXml = readMarcXml(writeMarcXml(r.record), { normalize: false, strict: true });
      const viaJson = readMarcJson(writeMarcJson(r.record), { normalize: false, strict: true });
      expect(writeIso2709((viaXml[0] as Extract<MarcResult, { ok: true }>).record)).toEqual(raw);
      expect(writeIso2709((viaJson[0] as Extract<MarcResult, { ok: true }>).record)).toEqual(raw);
    }
  });

  it('keeps NFC records byte for byte with the default options too', () => {
    const bytes = fixture('vietnamese-synthetic/vi-synthetic.utf8.mrc');
    expect(writeIso2709(parseIso2709(bytes, { strict: true }))).toEqual(bytes);
  });

  it('writes MARC-8 input as UTF-8 with leader/09 a (the same bytes as the UTF-8 version)', () => {
    const fromMarc8 = parseIso2709(fixture('vietnamese-synthetic/vi-synthetic.marc8.mrc'), { strict: true });
    expect(writeIso2709(fromMarc8)).toEqual(fixture('vietnamese-synthetic/vi-synthetic.utf8.mrc'));
  });
});

/** A record whose written length is exactly `total` bytes: 11 data fields (9,999 bytes at most each). */
function recordOfLength(total: number): MarcRecord {
  const fields = 11;
  const overhead = 24 + fields * 12 + 1 + 1; // leader, directory and its terminator, record terminator
  let data = total - overhead;
  const record: MarcRecord = { leader: '00000nam a2200000 i 4500', fields: [] };
  for (let i = 0; i < fields; i++) {
    const len = Math.floor(data / (fields - i)); // each field: 2 indicators, delimiter, code, text, terminator
    record.fields.push({ tag: String(500 + i), ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'x'.repeat(len - 5) }] });
    data -= len;
  }
  return record;
}

describe('ISO 2709: the 99,999-byte limit', () => {
  it('writes and reads back a record of exactly 99,999 bytes', () => {
    const record = recordOfLength(MAX_RECORD_LENGTH);
    const bytes = writeIso2709(record);
    expect(bytes.length).toBe(99_999);
    expect(new TextDecoder().decode(bytes.subarray(0, 5))).toBe('99999');
    expect(parseIso2709(bytes, { strict: true })).toEqual([record].map((r) => ({ ...r, leader: '99999nam a2200157 i 4500' })));
  });

  it('refuses to write a record one byte longer, with a clear error', () => {
    const record = recordOfLength(100_000);
    expect(() => writeIso2709(record)).toThrow(new MarcError({ code: 'record-too-long', record: 1, message: 'record 1: the record is 100,000 bytes, more than the 99,999 ISO 2709 allows' }));
    try {
      writeIso2709([recordOfLength(500), record]);
    } catch (e) {
      expect(e).toBeInstanceOf(MarcError);
      expect((e as MarcError).code).toBe('record-too-long');
      expect((e as MarcError).message).toBe('record 2: the record is 100,000 bytes, more than the 99,999 ISO 2709 allows');
    }
  });

  it.each([
    [{ leader: 'short', fields: [] }, 'record 1: the leader must be 24 ASCII characters, got "short"'],
    [{ leader: '00000nam a2200000 i 4500', fields: [{ tag: '24', value: 'x' }] }, 'record 1: field 1 has the tag "24", not three letters or digits'],
    [{ leader: '00000nam a2200000 i 4500', fields: [{ tag: '245', ind1: '10', ind2: ' ', subfields: [] }] }, 'record 1: field 1 (tag 245) must have two one-character indicators, got "10" and " "'],
    [{ leader: '00000nam a2200000 i 4500', fields: [{ tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'a\x1fb' }] }] }, 'record 1: field 1 (tag 245) $a contains the control character U+001F, which would break the record structure'],
    [{ leader: '00000nam a2200000 i 4500', fields: [{ tag: '001', value: 'x\x1ey' }] }, 'record 1: field 1 (tag 001) contains a terminator character, which would break the record structure'],
  ] as Array<[MarcRecord, string]>)('refuses a record it cannot encode: %j', (record, message) => {
    expect(() => writeIso2709(record)).toThrow(message);
  });
});

describe('ISO 2709: bad input (lenient repairs with warnings, strict fails the record)', () => {
  const cases: Array<{ name: string; input: Uint8Array; lenient: string[][]; strict: string[][] }> = [
    {
      name: 'a truncated file',
      input: concat(TITLE, TITLE.subarray(0, 30)),
      lenient: [['ok'], ['error: record 2 (byte 74): truncated: leader/00-04 gives a record length of 74, but the input ends after 30 bytes']],
      strict: [['ok'], ['error: record 2 (byte 74): truncated: leader/00-04 gives a record length of 74, but the input ends after 30 bytes']],
    },
    {
      name: 'a file cut inside the leader',
      input: TITLE.subarray(0, 3),
      lenient: [['error: record 1 (byte 0): 3 bytes at the end of the input are not a record (\'000\')']],
      strict: [['error: record 1 (byte 0): 3 bytes at the end of the input are not a record (\'000\')']],
    },
    {
      name: 'a record length that is too long',
      input: concat(iso([['245', '10\x1faTitle']], { length: '00090' }), TITLE),
      lenient: [['ok', 'warning: record 1 (byte 0): leader/00-04 gives a record length of 90, but the record terminator comes after 48 bytes; read up to the record terminator (48 bytes)'], ['ok']],
      strict: [['error: record 1 (byte 0): leader/00-04 gives a record length of 90, but the record terminator comes after 48 bytes'], ['ok']],
    },
    {
      name: 'a record length that is too short',
      input: concat(TITLE, iso([['245', '10\x1faTitle']], { length: '00040' }), TITLE),
      lenient: [['ok'], ['ok', 'warning: record 2 (byte 74): leader/00-04 gives a record length of 40, but the record terminator comes after 48 bytes; read up to the record terminator (48 bytes)'], ['ok']],
      strict: [['ok'], ['error: record 2 (byte 74): leader/00-04 gives a record length of 40, but the record terminator comes after 48 bytes'], ['ok']],
    },
    {
      name: 'a record length that is not a number',
      input: iso([['245', '10\x1faTitle']], { length: '0004X' }),
      lenient: [['ok', "warning: record 1 (byte 0): the record length '0004X' at leader/00-04 is not a number; read up to the record terminator (48 bytes)"]],
      strict: [["error: record 1 (byte 0): the record length '0004X' at leader/00-04 is not a number"]],
    },
    {
      name: 'a missing record terminator',
      input: concat(iso([['245', '10\x1faTitle']], { noRecordTerminator: true }), TITLE),
      lenient: [['ok', 'warning: record 1 (byte 46): the record does not end with a record terminator (0x1D); read as if it did'], ['ok']],
      strict: [['error: record 1 (byte 46): the record does not end with a record terminator (0x1D)'], ['ok']],
    },
    {
      name: 'a wrong base address',
      input: iso([['245', '10\x1faTitle']], { base: '00099' }),
      lenient: [['ok', "warning: record 1 (byte 12): the base address '00099' at leader/12-16 should be 37, just past the directory; using 37"]],
      strict: [["error: record 1 (byte 12): the base address '00099' at leader/12-16 should be 37, just past the directory"]],
    },
    {
      name: 'junk between records',
      input: concat(TITLE, latin1('<html>oops</html>'), TITLE),
      lenient: [['ok'], ["error: record 2 (byte 74): 17 bytes that are not a record ('<html>oops</html>') before the next record"], ['ok']],
      strict: [['ok'], ["error: record 2 (byte 74): 17 bytes that are not a record ('<html>oops</html>') before the next record"], ['ok']],
    },
    {
      name: 'invalid UTF-8',
      input: iso([['245', concat(latin1('10\x1faCaf'), Uint8Array.of(0xc3, 0x28), latin1(' noir'))]]),
      lenient: [['ok', 'warning: record 1 (byte 44): invalid UTF-8 (byte \\xC3); replaced with U+FFFD']],
      strict: [['error: record 1 (byte 44): invalid UTF-8 (byte \\xC3)']],
    },
    {
      name: 'bad indicators',
      input: iso([['245', '1-\x1faTitle'], ['650', '\x1faTopic']]),
      lenient: [
        [
          'ok',
          "warning: record 1 (byte 50): field 1 (tag 245) has the indicator 2 '-', not a blank, digit or lower-case letter",
          'warning: record 1 (byte 59): field 2 (tag 650) has no indicators; blanks assumed',
        ],
      ],
      strict: [["error: record 1 (byte 50): field 1 (tag 245) has the indicator 2 '-', not a blank, digit or lower-case letter"]],
    },
    {
      name: 'bad subfield codes',
      input: iso([['245', '10\x1fATitle\x1f\x1f$x\x1f']]),
      lenient: [
        [
          'ok',
          "warning: record 1 (byte 40): field 1 (tag 245) has the subfield code 'A', not a lower-case letter or digit",
          'warning: record 1 (byte 46): field 1 (tag 245) has an empty subfield (a delimiter with no code); ignored',
          "warning: record 1 (byte 48): field 1 (tag 245) has the subfield code '$', not a lower-case letter or digit",
          'warning: record 1 (byte 50): field 1 (tag 245) has an empty subfield (a delimiter with no code); ignored',
        ],
      ],
      strict: [["error: record 1 (byte 40): field 1 (tag 245) has the subfield code 'A', not a lower-case letter or digit"]],
    },
    {
      name: 'a directory entry that runs past the end of the record',
      input: (() => {
        const r = iso([['001', 'X1'], ['245', '10\x1faTitle']]);
        r.set(latin1('0099'), 24 + 12 + 3); // second entry's length
        return r;
      })(),
      lenient: [['ok', 'warning: record 1 (byte 36): directory entry 2 (tag 245) runs past the end of the record; the fields were read in order between field terminators']],
      strict: [['error: record 1 (byte 36): directory entry 2 (tag 245) runs past the end of the record']],
    },
    {
      name: 'a data field without any subfield delimiter',
      input: iso([['250', '  2nd ed.']]),
      lenient: [['ok', 'warning: record 1 (byte 39): field 1 (tag 250) has text but no subfield delimiter; read as $a']],
      strict: [['error: record 1 (byte 39): field 1 (tag 250) has text but no subfield delimiter']],
    },
    {
      name: 'a stray subfield delimiter',
      input: iso([['520', '  \x1faOne. \x1f Two.']]),
      lenient: [['ok', 'warning: record 1 (byte 46): field 1 (tag 520) has a stray subfield delimiter (followed by a blank, not a code); removed, the text stays in $a']],
      strict: [['error: record 1 (byte 46): field 1 (tag 520) has a stray subfield delimiter (followed by a blank, not a code)']],
    },
    {
      name: 'a record with no fields',
      input: latin1('00026     2200025   4500\x1e\x1d'),
      lenient: [['ok', 'warning: record 1 (byte 24): the record has no fields; read as an empty record']],
      strict: [['error: record 1 (byte 24): the record has no fields']],
    },
    {
      name: 'no directory terminator',
      input: latin1('00040nam a2200037 i 4500245000600000'),
      lenient: [['error: record 1 (byte 0): truncated: leader/00-04 gives a record length of 40, but the input ends after 36 bytes']],
      strict: [['error: record 1 (byte 0): truncated: leader/00-04 gives a record length of 40, but the input ends after 36 bytes']],
    },
    {
      name: 'a leader that is not ASCII',
      input: (() => {
        const r = iso([['245', '10\x1faTitle']]);
        r[7] = 0xe9;
        return r;
      })(),
      lenient: [['ok', 'warning: record 1 (byte 7): leader/07 is the byte \\xE9, not ASCII; read as a blank']],
      strict: [['error: record 1 (byte 7): leader/07 is the byte \\xE9, not ASCII']],
    },
  ];
  it.each(cases)('$name', ({ input, lenient, strict }) => {
    expect(read(input)).toEqual(lenient);
    expect(read(input, { strict: true })).toEqual(strict);
  });

  it('recovers the right values', () => {
    const [noDelim] = parseIso2709(iso([['250', '  2nd ed.']]));
    expect(noDelim!.fields).toEqual([{ tag: '250', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '2nd ed.' }] }]);
    const [stray] = parseIso2709(iso([['520', '  \x1faOne. \x1f Two.']]));
    expect(firstSubfield(stray!, '520', 'a')).toBe('One.  Two.');
    const [utf8] = parseIso2709(iso([['245', concat(latin1('10\x1faCaf'), Uint8Array.of(0xc3, 0x28), latin1(' noir'))]]));
    expect(firstSubfield(utf8!, '245', 'a')).toBe('Caf\uFFFD( noir');
  });

  it("pymarc's bad_records.mrc: every record read, each repair said", () => {
    expect(read(fixture('pymarc/bad_records.mrc'))).toEqual([
      ['ok'],
      ['ok', "warning: record 2 (byte 139): the base address '99937' at leader/12-16 should be 37, just past the directory; using 37"],
      ['ok', "warning: record 3 (byte 266): the base address '00000' at leader/12-16 should be 37, just past the directory; using 37"],
      ['ok', 'warning: record 4 (byte 417): the directory is 13 bytes, not a multiple of 12; its last 1 bytes are ignored'],
      [
        'ok',
        'warning: record 5 (byte 545): the directory is 13 bytes, not a multiple of 12; its last 1 bytes are ignored',
        "warning: record 5 (byte 536): directory entry 1 (tag 245) has length '\\xC3\\xB908' and start '90000', which are not both numbers; the fields were read in order between field terminators",
      ],
      ['ok', "warning: record 6 (byte 649): the base address 'f0037' at leader/12-16 should be 37, just past the directory; using 37"],
      ['ok', 'warning: record 7 (byte 788): the record has no fields; read as an empty record'],
      ['ok'],
    ]);
    for (const r of parseIso2709(fixture('pymarc/bad_records.mrc'))) {
      if (r.fields.length > 0) expect(firstSubfield(r, '245', 'a')).toBe('The pragmatic programmer : ');
    }
  });

  it("pymarc's bad_records.mrc in strict mode: the good records, and an error for each bad one", () => {
    expect(read(fixture('pymarc/bad_records.mrc'), { strict: true })).toEqual([
      ['ok'],
      ["error: record 2 (byte 139): the base address '99937' at leader/12-16 should be 37, just past the directory"],
      ["error: record 3 (byte 266): the base address '00000' at leader/12-16 should be 37, just past the directory"],
      ['error: record 4 (byte 417): the directory is 13 bytes, not a multiple of 12'],
      ['error: record 5 (byte 545): the directory is 13 bytes, not a multiple of 12'],
      ["error: record 6 (byte 649): the base address 'f0037' at leader/12-16 should be 37, just past the directory"],
      ['error: record 7 (byte 788): the record has no fields'],
      ['ok'],
    ]);
  });

  it("pymarc's bad_indicator.dat: a bad tag and a field without indicators, the rest intact", () => {
    expect(read(fixture('pymarc/bad_indicator.dat'))).toEqual([
      [
        'ok',
        "warning: record 1 (byte 24): directory entry 1 has the tag '0 2', not three letters or digits",
        'warning: record 1 (byte 325): field 1 (tag 0 2) has no indicators; blanks assumed',
      ],
    ]);
    expect(firstSubfield(parseIso2709(fixture('pymarc/bad_indicator.dat'))[0]!, '245', 'a')).toBe('Aristocrats of color :');
  });

  it("pymarc's bad_subfield_code.dat: wrong length, offsets off by one, UTF-8 marked MARC-8, a code 'á'", () => {
    expect(read(fixture('pymarc/bad_subfield_code.dat'))).toEqual([
      [
        'ok',
        'warning: record 1 (byte 0): leader/00-04 gives a record length of 755, but the record terminator comes after 756 bytes; read up to the record terminator (756 bytes)',
        'warning: record 1 (byte 9): leader/09 is blank (MARC-8), but the record is UTF-8 (multibyte characters, no MARC-8 escapes); read as UTF-8',
        'warning: record 1 (byte 531): field 12 (tag 245) does not end with a field terminator (0x1E) where the directory says it ends; the fields were read in order between field terminators',
        "warning: record 1 (byte 481): field 12 (tag 245) has the subfield code 'á', not a lower-case letter or digit",
      ],
    ]);
    const [r] = parseIso2709(fixture('pymarc/bad_subfield_code.dat'));
    expect(firstSubfield(r!, '245', 'á')).toBe('ActivePerl with ASP and ADO /');
    expect(firstSubfield(r!, '260', 'b')).toBe('John Wiley & Sons,');
  });

  it('pymarc and ruby-marc files with invalid UTF-8: U+FFFD where the bytes were', () => {
    expect(read(fixture('ruby-marc/utf8_with_bad_bytes.marc'))).toEqual([['ok', 'warning: record 1 (byte 718): invalid UTF-8 (byte \\xC3); replaced with U+FFFD']]);
    expect(read(fixture('ruby-marc/utf8_with_bad_bytes.marc'), { strict: true })).toEqual([['error: record 1 (byte 718): invalid UTF-8 (byte \\xC3)']]);
    const [r] = parseIso2709(fixture('ruby-marc/utf8_with_bad_bytes.marc'));
    expect(firstSubfield(r!, '245', 'a')).toBe('Photčhanānukrom Čhin Klāng-TǣčhiuʻAngkrit-Thai /bad bytes => \uFFFD( <=');
  });

  it('one bad record never stops the stream: every record after damage is read', () => {
    const damaged = concat(TITLE, TITLE.subarray(0, 40), latin1('\x1d'), TITLE, latin1('garbage'), TITLE);
    expect(readIso2709(damaged).map((r) => r.ok)).toEqual([true, false, true, false, true]);
    expect(readIso2709(damaged).map((r) => (r.ok ? 'ok' : r.error.message))).toEqual([
      'ok',
      'record 2 (byte 98): the directory has no field terminator (0x1E)',
      'ok',
      "record 4 (byte 189): 7 bytes that are not a record ('garbage') before the next record",
      'ok',
    ]);
  });

  it('keeps the bytes of a failed record, for a quarantine file', () => {
    const [, bad] = readIso2709(concat(TITLE, TITLE.subarray(0, 40), latin1('\x1d')));
    expect(bad!.ok).toBe(false);
    expect(!bad!.ok && bad!.raw).toEqual(concat(TITLE.subarray(0, 40), latin1('\x1d')));
  });

  it('parseIso2709 throws MarcError at the first failed record', () => {
    expect(() => parseIso2709(concat(TITLE, TITLE.subarray(0, 30)))).toThrow(MarcError);
    expect(() => parseIso2709(concat(TITLE, TITLE.subarray(0, 30)))).toThrow('record 2 (byte 74): truncated');
  });
});
