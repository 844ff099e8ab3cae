import { describe, expect, it } from 'vitest';
import { decodeManifestPath, encodeManifestPath, unsafeReason } from './_paths.js';
import {
  checksumProblem,
  formatInfoEntry,
  manifestName,
  parseBagDeclaration,
  parseBagInfo,
  parseFetchLine,
  parseManifestLine,
  readLines,
  TagDecodeError,
  type TagLine,
} from './_tagfiles.js';

const bytes = (s: string) => new TextEncoder().encode(s);

async function lines(chunks: (string | Uint8Array)[], encoding = 'UTF-8', max = 1000): Promise<TagLine[]> {
  async function* source() {
    for (const c of chunks) yield typeof c === 'string' ? bytes(c) : c;
  }
  const out: TagLine[] = [];
  for await (const line of readLines(source(), encoding, max)) out.push(line);
  return out;
}

const numbered = (text: string) => text.split('\n').map((t, i) => ({ number: i + 1, text: t }));

describe('unsafeReason (RFC 8493 §6.1)', () => {
  it.each([
    ['data/a.txt', null],
    ['data/Truyện Kiều/trang 1.tif', null],
    ['data/~user/x', null],
    ['data/%2e%2e/x', null],
    ['', 'is empty'],
    ['/etc/passwd', 'is absolute'],
    ['\\\\?\\UNC\\server\\x', 'is absolute'],
    ['C:\\Windows\\x', 'starts with a drive letter'],
    ['data/../../x', 'has a `..` segment'],
    ['data/./x', 'has a `.` segment'],
    ['data//x', 'has an empty segment (`//` or a trailing `/`)'],
    ['data/x/', 'has an empty segment (`//` or a trailing `/`)'],
    ['data/a\0b', 'contains a NUL character'],
    ['data/a\\..\\..\\x', 'has a `..` segment between backslashes'],
  ])('%j → %j', (path, reason) => {
    expect(unsafeReason(path)).toBe(reason);
  });
});

describe('manifest path encoding (§2.1.3)', () => {
  it.each([
    ['data/plain.txt', 'data/plain.txt'],
    ['data/100%.txt', 'data/100%25.txt'],
    ['data/two\nlines\r\n.txt', 'data/two%0Alines%0D%0A.txt'],
    ['data/%7Etilde', 'data/%257Etilde'],
  ])('%j ⇄ %j', (path, encoded) => {
    expect(encodeManifestPath(path)).toBe(encoded);
    expect(decodeManifestPath(encoded)).toBe(path);
  });

  it('decodes only %0D, %0A and %25, in either case', () => {
    expect(decodeManifestPath('data/%0d%0a%25%7E%41')).toBe('data/\r\n%%7E%41');
  });
});

describe('readLines', () => {
  it('splits on LF, CR and CRLF, also when CRLF straddles two chunks', async () => {
    const got = await lines(['a\r', '\nb\rc\n', 'd\r', '\r\ne']);
    expect(got.map((l) => [l.number, l.text])).toEqual([
      [1, 'a'],
      [2, 'b'],
      [3, 'c'],
      [4, 'd'],
      [5, ''],
      [6, 'e'],
    ]);
  });

  it('decodes UTF-8 split inside a character', async () => {
    const all = bytes('Thư viện\n');
    const got = await lines([all.subarray(0, 4), all.subarray(4, 9), all.subarray(9)]);
    expect(got.map((l) => l.text)).toEqual(['Thư viện']);
  });

  it('keeps a UTF-8 BOM as U+FEFF for the caller to report', async () => {
    const got = await lines([new Uint8Array([0xef, 0xbb, 0xbf]), 'x\n']);
    expect(got[0]?.text).toBe('\ufeffx');
  });

  it('reads UTF-16 with either byte order, and ISO-8859-1', async () => {
    const be = new Uint8Array([0xfe, 0xff, 0, 0x41, 0, 0x0a, 0, 0x42]);
    const le = new Uint8Array([0xff, 0xfe, 0x41, 0, 0x0a, 0, 0x42, 0]);
    expect((await lines([be], 'UTF-16')).map((l) => l.text)).toEqual(['A', 'B']);
    expect((await lines([le], 'UTF-16')).map((l) => l.text)).toEqual(['A', 'B']);
    expect((await lines([new Uint8Array([0x63, 0x61, 0x66, 0xe9])], 'ISO-8859-1')).map((l) => l.text)).toEqual(['café']);
  });

  it('reports a line over the limit once and goes on after it', async () => {
    const got = await lines(['short\n', 'x'.repeat(30), 'y'.repeat(30), '\nnext\n'], 'UTF-8', 40);
    expect(got).toEqual([
      { number: 1, text: 'short' },
      { number: 2, text: '', tooLong: true },
      { number: 3, text: 'next' },
    ]);
  });

  it('throws TagDecodeError on bytes that are not UTF-8', async () => {
    await expect(lines(['ok\n', new Uint8Array([0xff, 0x0a])])).rejects.toBeInstanceOf(TagDecodeError);
  });
});

describe('parseBagDeclaration (§2.1.1)', () => {
  it('reads the exact form', () => {
    expect(parseBagDeclaration('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n')).toEqual({ version: '1.0', encoding: 'UTF-8', strictErrors: [], errors: [] });
    expect(parseBagDeclaration('BagIt-Version: 0.97\r\nTag-File-Character-Encoding: UTF-8')).toMatchObject({ version: '0.97', strictErrors: [], errors: [] });
  });

  it('flags whitespace around the colon as a strict error only', () => {
    const d = parseBagDeclaration('BagIt-Version : 1.0\nTag-File-Character-Encoding :  UTF-8 \n');
    expect(d).toMatchObject({ version: '1.0', encoding: 'UTF-8', errors: [] });
    expect(d.strictErrors).toHaveLength(2);
  });

  it.each([
    ['BagIt-Version: 1.0\n', 'line 2 (Tag-File-Character-Encoding) is missing'],
    ['Tag-File-Character-Encoding: UTF-8\nBagIt-Version: 1.0\n', 'line 1 should be "BagIt-Version: …", found "Tag-File-Character-Encoding: UTF-8"'],
    ['BagIt-Version: .97\nTag-File-Character-Encoding: UTF-8\n', 'BagIt-Version ".97" is not M.N'],
    ['BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\nExtra: 1\n', 'has 3 lines; it must have exactly two'],
  ])('%j: %s', (text, error) => {
    expect(parseBagDeclaration(text).errors).toContain(error);
  });
});

describe('parseManifestLine', () => {
  it.each([
    ['abc123  data/a b.txt', { checksum: 'abc123', rawPath: 'data/a b.txt', binaryMarker: false }],
    ['ABC\tdata/x', { checksum: 'ABC', rawPath: 'data/x', binaryMarker: false }],
    ['abc *data/x', { checksum: 'abc', rawPath: 'data/x', binaryMarker: true }],
    ['abc', null],
    ['abc  ', null],
  ])('%j', (text, want) => {
    expect(parseManifestLine(text)).toEqual(want);
  });

  it('checks the checksum against its algorithm', () => {
    expect(checksumProblem('d41d8cd98f00b204e9800998ecf8427e', 'md5')).toBeNull();
    expect(checksumProblem('d41d8cd9', 'md5')).toBe('a md5 checksum has 32 hex digits, "d41d8cd9" has 8');
    expect(checksumProblem('zz', 'sha1')).toBe('checksum "zz" is not hexadecimal');
  });

  it('recognises manifest names', () => {
    expect(manifestName('manifest-sha512.txt')).toEqual({ kind: 'payload', algorithm: 'sha512' });
    expect(manifestName('tagmanifest-md5.txt')).toEqual({ kind: 'tag', algorithm: 'md5' });
    expect(manifestName('manifest-SHA256.txt')).toBeNull();
    expect(manifestName('bag-info.txt')).toBeNull();
  });
});

describe('parseFetchLine (§2.2.3)', () => {
  it.each([
    ['https://example.org/a.tif 1234 data/a.tif', { url: 'https://example.org/a.tif', length: 1234, rawPath: 'data/a.tif' }],
    ['http://h/x%20y - data/x y', { url: 'http://h/x%20y', length: null, rawPath: 'data/x y' }],
    ['not-a-url 1 data/x', null],
    ['https://h/x data/x', null],
  ])('%j', (text, want) => {
    expect(parseFetchLine(text)).toEqual(want);
  });
});

describe('bag-info.txt (§2.2.2)', () => {
  it('joins continuation lines with one space and keeps order and repeats', () => {
    const info = parseBagInfo(numbered('Source-Organization: Thư viện tỉnh\nExternal-Description: Ảnh chụp các trang\n   của sách cổ\nTag: 1\nTag: 2'));
    expect(info.entries).toEqual([
      { label: 'Source-Organization', value: 'Thư viện tỉnh' },
      { label: 'External-Description', value: 'Ảnh chụp các trang của sách cổ' },
      { label: 'Tag', value: '1' },
      { label: 'Tag', value: '2' },
    ]);
    expect(info.errors).toEqual([]);
    expect(info.strictErrors).toEqual([]);
  });

  it('accepts the pre-1.0 separators, as strict errors only', () => {
    const info = parseBagInfo(numbered('Test-Tag:   2\nTest-Tag : 3\nTest-Tag    :   5'));
    expect(info.entries.map((e) => e.value)).toEqual(['2', '3', '5']);
    // The last line breaks both rules: space before the colon, several after it.
    expect(info.strictErrors).toHaveLength(4);
  });

  it('reports lines that are not elements', () => {
    const info = parseBagInfo(numbered('  orphan\nno colon here\n: no label'));
    expect(info.errors).toEqual([
      'line 1: a continuation line with no element before it',
      'line 2: no colon in "no colon here"',
      'line 3: no label before the colon',
    ]);
  });

  it('folds long values at spaces within 79 characters, and reads them back unchanged', () => {
    const value = 'Bộ sưu tập số hoá các tài liệu Hán Nôm của thư viện tỉnh Kiên Giang, gồm sắc phong, gia phả và địa bạ từ thế kỷ XVIII đến đầu thế kỷ XX';
    const text = formatInfoEntry('External-Description', value);
    const textLines = text.split('\n').filter((l) => l !== '');
    expect(textLines.length).toBeGreaterThan(1);
    for (const line of textLines) expect(line.length).toBeLessThanOrEqual(79);
    expect(parseBagInfo(numbered(text.trimEnd())).entries).toEqual([{ label: 'External-Description', value }]);
  });

  it('never breaks a word longer than a line, and turns line breaks into spaces', () => {
    const url = `https://example.org/${'x'.repeat(100)}`;
    expect(formatInfoEntry('See', `a ${url} b`)).toBe(`See: a\n  ${url}\n  b\n`);
    expect(formatInfoEntry('Note', 'one\ntwo')).toBe('Note: one two\n');
    expect(formatInfoEntry('Empty', '')).toBe('Empty: \n');
  });
});
