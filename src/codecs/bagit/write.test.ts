import { afterEach, describe, expect, it } from 'vitest';
import { exists, listDir, readText, scratch, writeText } from '../../../test/fixtures/bagit/fixtures.js';
import { BagError } from './errors.js';
import { nodeBagIo as io } from '../../adapters/files/bag-io.js';
import { readBag } from './read.js';
import { writeBag, type PayloadFile } from './write.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function tmp(): string {
  const s = scratch();
  cleanups.push(s.remove);
  return s.dir;
}

const encode = (s: string) => new TextEncoder().encode(s);

function sha256(text: string): string {
  const h = io.createHash('sha256');
  h?.update(encode(text));
  return h?.digest() ?? '';
}

/** A payload file whose bytes come as a stream, in small chunks. */
function streamed(path: string, text: string, extra: Partial<PayloadFile> = {}): PayloadFile {
  return {
    path,
    source: () =>
      (async function* () {
        const bytes = encode(text);
        for (let i = 0; i < bytes.length; i += 3) yield bytes.subarray(i, i + 3);
      })(),
    ...extra,
  };
}

const NOW = new Date('2024-05-01T10:00:00Z');

describe('writeBag', () => {
  it('writes the five parts of a bag, exactly', async () => {
    const dir = `${tmp()}/bag`;
    const result = await writeBag(dir, [streamed('a.txt', 'hello\n')], { 'Source-Organization': 'Thư viện tỉnh Kiên Giang' }, { io, now: NOW });
    expect(listDir(dir)).toEqual(['bag-info.txt', 'bagit.txt', 'data', 'manifest-sha256.txt', 'tagmanifest-sha256.txt']);
    expect(readText(`${dir}/bagit.txt`)).toBe('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
    expect(readText(`${dir}/manifest-sha256.txt`)).toBe(`${sha256('hello\n')}  data/a.txt\n`);
    const info = 'Source-Organization: Thư viện tỉnh Kiên Giang\nBagging-Date: 2024-05-01\nBag-Software-Agent: lienthong\nPayload-Oxum: 6.1\n';
    expect(readText(`${dir}/bag-info.txt`)).toBe(info);
    expect(readText(`${dir}/tagmanifest-sha256.txt`)).toBe(
      [
        `${sha256('BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n')}  bagit.txt`,
        `${sha256(`${sha256('hello\n')}  data/a.txt\n`)}  manifest-sha256.txt`,
        `${sha256(info)}  bag-info.txt`,
        '',
      ].join('\n'),
    );
    expect(result).toEqual({ dir, files: [{ path: 'a.txt', size: 6, sha256: sha256('hello\n'), checksums: { sha256: sha256('hello\n') } }], octets: 6, streams: 1 });
  });

  it('round trip: Vietnamese names (NFD in, NFC out), sub-folders, CR/LF/% in names, several algorithms', async () => {
    const root = tmp();
    writeText(`${root}/source-on-disk.tif`, 'TIFF bytes');
    const payload: PayloadFile[] = [
      streamed('Truyện Kiều/trang 001.txt'.normalize('NFD'), 'Trăm năm trong cõi người ta'),
      streamed('Đại Việt sử ký toàn thư/quyển 1.txt', 'Ngoại kỷ'),
      streamed('báo cáo 100%.txt', '%'),
      streamed('hai\ndòng\r.txt', 'CR LF'),
      { path: 'ảnh/bìa.tif', source: () => `${root}/source-on-disk.tif` },
    ];
    const dir = `${root}/bag`;
    const written = await writeBag(dir, payload, { 'External-Identifier': 'lienthong:sach/123', 'Contact-Name': ['Nguyễn Thị Hoa', 'Trần Văn Bình'] }, { io, now: NOW, algorithms: ['sha256', 'sha512'] });
    // Code-unit order, the same everywhere: ASCII capitals, then small letters, then Đ (U+0110), ả (U+1EA3).
    expect(written.files.map((f) => f.path)).toEqual(['Truyện Kiều/trang 001.txt', 'báo cáo 100%.txt', 'hai\ndòng\r.txt', 'Đại Việt sử ký toàn thư/quyển 1.txt', 'ảnh/bìa.tif']);
    expect(exists(`${dir}/data/Truyện Kiều/trang 001.txt`)).toBe(true);
    expect(readText(`${dir}/manifest-sha256.txt`)).toContain('  data/hai%0Adòng%0D.txt\n');
    expect(readText(`${dir}/manifest-sha256.txt`)).toContain('  data/báo cáo 100%25.txt\n');

    const bag = await readBag(dir, { io });
    expect(bag.problems).toEqual([]);
    expect(bag.warnings).toEqual([]);
    expect(bag.files).toEqual(written.files.map((f) => ({ path: f.path, size: f.size, sha256: f.sha256 })));
    expect(bag.info['Contact-Name']).toEqual(['Nguyễn Thị Hoa', 'Trần Văn Bình']);
    expect(bag.info['Payload-Oxum']).toEqual([`${written.octets}.5`]);
    expect(listDir(dir)).toEqual(['bag-info.txt', 'bagit.txt', 'data', 'manifest-sha256.txt', 'manifest-sha512.txt', 'tagmanifest-sha256.txt', 'tagmanifest-sha512.txt']);
  });

  it('folds long bag-info values and reads them back unchanged', async () => {
    const description =
      'Bản số hoá sách "Lịch triều hiến chương loại chí" của Phan Huy Chú, gồm 49 quyển chia 10 chí, chụp từ bản in lưu tại Thư viện tỉnh Kiên Giang năm 2024';
    const dir = `${tmp()}/bag`;
    await writeBag(dir, [streamed('a.txt', 'x')], { 'External-Description': description }, { io, now: NOW });
    for (const line of readText(`${dir}/bag-info.txt`).split('\n')) expect(line.length).toBeLessThanOrEqual(79);
    expect((await readBag(dir, { io })).info['External-Description']).toEqual([description]);
  });

  it('trusts a given sha256 without hashing, and checks it with verify', async () => {
    const wrong = sha256('something else');
    const dir = `${tmp()}/bag`;
    const written = await writeBag(dir, [streamed('a.txt', 'x', { sha256: wrong.toUpperCase() })], {}, { io, now: NOW });
    expect(written.files[0]?.sha256).toBe(wrong);
    expect((await readBag(dir, { io })).problems.map((p) => p.code)).toEqual(['checksum-mismatch']);

    const checked = `${tmp()}/bag`;
    await expect(writeBag(checked, [streamed('a.txt', 'x', { sha256: wrong })], {}, { io, verify: true })).rejects.toMatchObject({ code: 'checksum-mismatch' });
    expect(exists(checked)).toBe(false);
  });

  it('refuses a declared size that does not match, and leaves nothing behind', async () => {
    const parent = tmp();
    const error = await writeBag(`${parent}/bag`, [streamed('a.txt', 'abc'), streamed('b.txt', 'abc', { size: 4 })], {}, { io }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BagError);
    expect(error).toMatchObject({ code: 'size-mismatch', message: '"b.txt" was declared as 4 bytes but 3 were read' });
    expect(listDir(parent)).toEqual([]);
  });

  it('a source that fails half-way leaves nothing behind', async () => {
    const parent = tmp();
    const failing: PayloadFile = {
      path: 'b.txt',
      source: () =>
        (async function* () {
          yield encode('part');
          throw new Error('disk gone');
        })(),
    };
    await expect(writeBag(`${parent}/bag`, [streamed('a.txt', 'x'), failing], {}, { io })).rejects.toThrow('disk gone');
    expect(listDir(parent)).toEqual([]);
  });

  it.each([
    ['../escape.txt', 'has a `..` segment'],
    ['a/../../escape.txt', 'has a `..` segment'],
    ['/etc/passwd', 'is absolute'],
    ['a\0b', 'contains a NUL character'],
    ['', 'is empty'],
    ['./a.txt', 'has a `.` segment'],
    ['a\\b.txt', 'contains a backslash (a separator on Windows)'],
    ['C:/x.txt', 'starts with a drive letter'],
  ])('refuses the payload path %j (%s), leaving nothing behind', async (path, why) => {
    const parent = tmp();
    const error = await writeBag(`${parent}/bag`, [streamed('ok.txt', 'x'), streamed(path, 'x')], {}, { io }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'unsafe-path', message: `payload path "${path}" ${why}` });
    expect(listDir(parent)).toEqual([]);
  });

  it('refuses the same path twice, also when it differs only in normalisation', async () => {
    const parent = tmp();
    const nfc = 'Kiều.txt';
    await expect(writeBag(`${parent}/bag`, [streamed(nfc, 'x'), streamed(nfc.normalize('NFD'), 'y')], {}, { io })).rejects.toMatchObject({ code: 'duplicate-path' });
    expect(listDir(parent)).toEqual([]);
  });

  it('refuses an existing destination without touching it', async () => {
    const parent = tmp();
    writeText(`${parent}/bag/keep.txt`, 'mine');
    await expect(writeBag(`${parent}/bag`, [streamed('a.txt', 'x')], {}, { io })).rejects.toMatchObject({ code: 'destination-exists' });
    expect(listDir(`${parent}/bag`)).toEqual(['keep.txt']);
    expect(listDir(parent)).toEqual(['bag']);
  });

  it.each([
    [{ 'Payload-Oxum': '1.1' }, 'Payload-Oxum is computed from the payload and cannot be given'],
    [{ 'Bad:Label': 'x' }, 'bag-info label "Bad:Label" contains a colon or a line break'],
    [{ ' Padded': 'x' }, 'bag-info label " Padded" starts or ends with whitespace'],
  ])('refuses bag-info %j', async (info, message) => {
    await expect(writeBag(`${tmp()}/bag`, [], info, { io })).rejects.toMatchObject({ code: 'invalid-info', message });
  });

  it('lets the caller set Bagging-Date and Bag-Software-Agent', async () => {
    const dir = `${tmp()}/bag`;
    await writeBag(dir, [], { 'Bagging-Date': '2020-01-02', 'Bag-Software-Agent': 'lienthong 0.1.0' }, { io });
    expect(readText(`${dir}/bag-info.txt`)).toBe('Bagging-Date: 2020-01-02\nBag-Software-Agent: lienthong 0.1.0\nPayload-Oxum: 0.0\n');
    expect((await readBag(dir, { io })).valid).toBe(true);
  });

  it('takes the payload as an async iterable and reports progress', async () => {
    async function* pages() {
      for (let i = 1; i <= 3; i++) yield streamed(`trang/${String(i).padStart(4, '0')}.txt`, `trang ${i}`);
    }
    const seen: number[] = [];
    const dir = `${tmp()}/bag`;
    await writeBag(dir, pages(), {}, { io, onProgress: (p) => seen.push(p.files) });
    expect(seen).toEqual([1, 2, 3]);
    expect(listDir(`${dir}/data/trang`)).toEqual(['0001.txt', '0002.txt', '0003.txt']);
  });
});
