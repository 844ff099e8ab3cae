import { describe, expect, it } from 'vitest';
import { fixture } from '../../../test/fixtures/marc/fixtures.js';
import { concat, iso, latin1 } from '../../../test/fixtures/marc/iso.js';
import { iso2709ToMarcXml } from './convert.js';
import type { MarcIssue, MarcResult } from './errors.js';
import { readIso2709, type Iso2709ReadOptions } from './parse.js';
import { writeMarcXml } from './write.js';

async function convert(bytes: Uint8Array, options: Iso2709ReadOptions & { chunk?: number } = {}): Promise<{ xml: string; issues: string[] }> {
  const issues: MarcIssue[] = [];
  function* chunks() {
    const size = options.chunk ?? 4096;
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  const parts: Uint8Array[] = [];
  for await (const c of iso2709ToMarcXml(chunks(), { ...options, chunkSize: 8192, onIssue: (i) => issues.push(i) })) parts.push(c);
  return { xml: new TextDecoder().decode(concat(...parts)), issues: issues.map((i) => i.message) };
}

/** What the general path gives: read every record, write the good ones, report every problem. */
function expected(bytes: Uint8Array, options: Iso2709ReadOptions = {}): { xml: string; issues: string[] } {
  const results = readIso2709(bytes, options);
  const warnings: MarcIssue[] = [];
  const xml = writeMarcXml(
    results.filter((r): r is Extract<MarcResult, { ok: true }> => r.ok).map((r) => r.record),
    { onWarning: (w) => warnings.push(w) },
  );
  const issues = results.flatMap((r) => [...r.warnings, ...(r.ok ? [] : [r.error])]).map((i) => i.message);
  return { xml, issues: [...issues, ...warnings.map((w) => w.message)].sort() };
}

const FILES = [
  'pymarc/test.dat',
  'pymarc/marc8.dat',
  'pymarc/diacritic.dat',
  'pymarc/bad_records.mrc',
  'pymarc/bad_subfield_code.dat',
  'pymarc/bad_indicator.dat',
  'pymarc/utf8_invalid.mrc',
  'pymarc/regression45.dat',
  'ruby-marc/utf8_with_bad_bytes.marc',
  'ruby-marc/utf8_multirecord.marc',
  'yaz-golden/marc0.marc',
  'yaz-golden/marc5.marc',
  'yaz-golden/marc7.marc',
  'yaz-golden/marc12.marc',
  'vietnamese-synthetic/vi-synthetic.marc8.mrc',
  'vietnamese-synthetic/vi-synthetic.utf8.mrc',
];

describe('iso2709ToMarcXml', () => {
  it('writes what the reader and the writer write, and reports the same problems, on every fixture at once', async () => {
    const all = concat(...FILES.map(fixture));
    const got = await convert(all);
    const want = expected(all);
    expect(got.xml).toBe(want.xml);
    expect(got.issues.sort()).toEqual(want.issues);
    expect(got.issues.length).toBeGreaterThan(20);
  });

  it.each([
    ['text to escape', iso([['245', '10\x1faA & B <C> "D" \'E\'\r\n\tF']])],
    ['NFD text (normalised by the general path)', iso([['245', '10\x1faTruye\u0323\u0302n']])],
    ['a control character (dropped by the writer, with a warning)', iso([['245', '10\x1faA\x1bB']])],
    ['a character outside the BMP', iso([['245', '10\x1fa𠀀 𤴓']])],
    ['U+FFFF', iso([['245', '10\x1fa\uffff']])],
    ['a control field with a delimiter', iso([['001', 'a\x1fb']])],
    ['an indicator to escape', iso([['245', '1"\x1faA']])],
    ['a leader to escape', iso([['245', '10\x1faX']], { kind: 'nam&a' })],
    ['a broken record', latin1('00040nam a2200037 i 4500245000800000\x1e10\x1faX\x1e\x1d')],
    ['leader/09 blank with UTF-8 text', iso([['245', '10\x1faĐà Lạt']], { kind: 'nam  ' })],
    ['an empty subfield', iso([['245', '10\x1fa\x1f\x1fb']])],
    ['a data field with no subfields', iso([['245', '10']])],
    ['a stray delimiter', iso([['245', '10\x1faA\x1f B']])],
    ['C1 controls and DEL', iso([['245', '10\x1faA\u0085B\x7fC']])],
  ])('gives the same output as the general path for %s', async (_name, record) => {
    const bytes = concat(record, iso([['001', 'next'], ['245', '10\x1faNext']]));
    const got = await convert(bytes);
    const want = expected(bytes);
    expect(got.xml).toBe(want.xml);
    expect(got.issues.sort()).toEqual(want.issues);
  });

  it('honours the options: strict, encoding, normalize', async () => {
    const bytes = concat(fixture('pymarc/bad_records.mrc'), fixture('ruby-marc/marc8_accented_chars.marc'), iso([['245', '10\x1faTruye\u0323\u0302n']]));
    for (const options of [{ strict: true }, { encoding: 'marc-8' }, { encoding: 'utf-8' }, { normalize: false }] as Iso2709ReadOptions[]) {
      const got = await convert(bytes, options);
      const want = expected(bytes, options);
      expect(got.xml).toBe(want.xml);
      expect(got.issues.sort()).toEqual(want.issues);
    }
  });

  it('streams: any chunk size gives the same bytes', async () => {
    const bytes = concat(...FILES.map(fixture));
    const whole = await convert(bytes, { chunk: bytes.length });
    for (const chunk of [1, 100, 65_536]) expect((await convert(bytes, { chunk })).xml).toBe(whole.xml);
  });

  it('converts an empty input to an empty collection', async () => {
    expect((await convert(new Uint8Array(0))).xml).toBe('<collection xmlns="http://www.loc.gov/MARC21/slim">\n</collection>\n');
  });
});
