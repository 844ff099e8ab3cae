/**
 * Our tar writer and reader against each other and against GNU tar (when installed): archives we
 * write must list and extract the same in GNU tar, archives GNU tar writes (gnu, pax, ustar
 * formats) must extract with untarBag, and hostile archives must be refused without leaving
 * anything behind.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { exists, gnuTar, listDir, readBytes, readText, scratch, symlink, writeText } from '../../../test/fixtures/bagit/fixtures.js';
import { BagError } from './errors.js';
import { nodeBagIo as io } from '../../adapters/files/bag-io.js';
import { readBag } from './read.js';
import { readTar, tarBag, tarLength, untarBag, writeTar, type TarEntryInput } from './tar.js';
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
const tar = gnuTar();

async function collect(stream: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of stream) parts.push(p);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The bytes again, in chunks of `size` (1 for the meanest case). */
async function* chunked(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const LONG_DIR = 'Tuyển tập văn học dân gian Việt Nam/Quyển thứ nhất - Truyện cổ tích và truyền thuyết các dân tộc miền núi phía Bắc';

async function sampleBag(parent: string, name = 'sach-123'): Promise<string> {
  const files: Record<string, string> = {
    'Truyện Kiều/trang 001.txt': 'Trăm năm trong cõi người ta',
    [`${LONG_DIR}/Sự tích trầu cau.txt`]: 'Ngày xưa…'.repeat(200),
    'ascii/short.txt': 'x',
    [`${'a'.repeat(60)}/${'b'.repeat(60)}/${'c'.repeat(60)}.txt`]: 'long ASCII path: ustar prefix + name',
    'empty.txt': '',
  };
  const payload: PayloadFile[] = Object.entries(files).map(([path, text]) => ({ path, source: () => chunked(encode(text), 1000) }));
  const dir = `${parent}/${name}`;
  await writeBag(dir, payload, { 'Source-Organization': 'Thư viện tỉnh Kiên Giang' }, { io, now: new Date('2024-05-01T00:00:00Z') });
  return dir;
}

/** A ustar header block as a hostile or odd archive would have it. */
function header(name: string, type: string, size = 0, opts: { linkname?: string; prefix?: string } = {}): Uint8Array {
  const block = new Uint8Array(512);
  const put = (offset: number, text: string) => block.set(encode(text), offset);
  put(0, name);
  put(100, '0000644\0');
  put(108, '0000000\0');
  put(116, '0000000\0');
  put(124, `${size.toString(8).padStart(11, '0')}\0`);
  put(136, '00000000000\0');
  put(148, '        ');
  put(156, type);
  if (opts.linkname) put(157, opts.linkname);
  put(257, 'ustar\0');
  put(263, '00');
  if (opts.prefix) put(345, opts.prefix);
  const sum = block.reduce((n, b) => n + b, 0);
  put(148, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

function archive(...parts: (Uint8Array | string)[]): Uint8Array {
  const blocks: Uint8Array[] = [];
  for (const p of parts) {
    if (typeof p === 'string') {
      const data = encode(p);
      const padded = new Uint8Array(Math.ceil(data.length / 512) * 512);
      padded.set(data);
      blocks.push(padded);
    } else blocks.push(p);
  }
  blocks.push(new Uint8Array(1024));
  const out = new Uint8Array(blocks.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of blocks) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

function paxBody(records: Record<string, string>): string {
  return Object.entries(records)
    .map(([k, v]) => {
      const rest = ` ${k}=${v}\n`;
      const n = encode(rest).length;
      let len = n + String(n).length;
      if (String(len).length !== String(n).length) len = n + String(len).length;
      return `${len}${rest}`;
    })
    .join('');
}

describe('writeTar / readTar', () => {
  it('round trip in 1-byte chunks: names, sizes, folders, and tarLength is exact', async () => {
    const kieu = encode('Kiều!');
    const entries: TarEntryInput[] = [
      { path: 'bag', type: 'directory' },
      { path: 'bag/Nguyễn Du.txt', type: 'file', size: kieu.length, data: () => chunked(kieu, 2) },
      { path: `bag/${'x'.repeat(300)}`, type: 'file', size: 0, data: () => chunked(new Uint8Array(0), 1) },
    ];
    const bytes = await collect(writeTar(entries));
    expect(bytes.length).toBe(tarLength(entries));
    expect(bytes.length % 512).toBe(0);

    const got: { path: string; type: string; text: string }[] = [];
    for await (const e of readTar(chunked(bytes, 1))) got.push({ path: e.path, type: e.type, text: new TextDecoder().decode(await collect(e.body)) });
    expect(got).toEqual([
      { path: 'bag', type: 'directory', text: '' },
      { path: 'bag/Nguyễn Du.txt', type: 'file', text: 'Kiều!' },
      { path: `bag/${'x'.repeat(300)}`, type: 'file', text: '' },
    ]);
  });

  it('skips file bodies the caller does not read', async () => {
    const entries: TarEntryInput[] = [
      { path: 'a', type: 'file', size: 700, data: () => chunked(new Uint8Array(700).fill(1), 100) },
      { path: 'b', type: 'file', size: 3, data: () => chunked(encode('bbb'), 3) },
    ];
    const bytes = await collect(writeTar(entries));
    const paths: string[] = [];
    for await (const e of readTar(chunked(bytes, 300))) paths.push(e.path);
    expect(paths).toEqual(['a', 'b']);
  });

  it('files of 8 GiB and more get their size in a pax header', async () => {
    const size = 2 ** 33 + 5;
    const entry: TarEntryInput = { path: 'scan.tif', type: 'file', size };
    expect(tarLength([entry])).toBe(512 + 512 + 512 + size + 507 + 1024);
    const head = await writeTar([entry]).next();
    for await (const e of readTar(chunked(head.value as Uint8Array, 512))) {
      expect(e).toMatchObject({ path: 'scan.tif', size });
      break;
    }
  });

  it('refuses a file whose data is not its declared size', async () => {
    await expect(collect(writeTar([{ path: 'a', type: 'file', size: 4, data: () => chunked(encode('abc'), 3) }]))).rejects.toMatchObject({ code: 'tar-malformed' });
  });

  it.each([
    ['a damaged header', (() => { const a = archive(header('a.txt', '0', 1), 'x'); a[0] = 0x62; return a; })(), 'tar-malformed'],
    ['a truncated archive', archive(header('a.txt', '0', 2000), 'x'.repeat(2000)).subarray(0, 1024), 'tar-malformed'],
    ['no end blocks', archive(header('a.txt', '0', 1), 'x').subarray(0, 1024), 'tar-malformed'],
    ['a non-octal size', (() => { const h = header('a.txt', '0'); h.set(encode('zz'), 124); const sum = h.reduce((n, b, i) => n + (i >= 148 && i < 156 ? 32 : b), 0); h.set(encode(`${sum.toString(8).padStart(6, '0')}\0 `), 148); return archive(h); })(), 'tar-malformed'],
    ['a pax record with a wrong length', archive(header('pax', 'x', 20), '99 path=a.txt\n'.padEnd(20, '\0'), header('a.txt', '0')), 'tar-malformed'],
    ['a symbolic link', archive(header('bag/link', '2', 0, { linkname: '/etc/passwd' })), 'tar-entry-type'],
    ['a hard link', archive(header('bag/link', '1', 0, { linkname: 'bag/a' })), 'tar-entry-type'],
    ['a character device', archive(header('bag/dev', '3')), 'tar-entry-type'],
    ['a FIFO', archive(header('bag/fifo', '6')), 'tar-entry-type'],
    ['an unknown type', archive(header('bag/what', 'Z')), 'tar-entry-type'],
  ] as const)('refuses %s', async (_what, bytes, code) => {
    const read = async () => {
      for await (const e of readTar(chunked(bytes, 100))) await collect(e.body);
    };
    await expect(read()).rejects.toMatchObject({ code });
  });

  it('bounds pax headers, GNU long names, paths, entries and bytes before buffering them', async () => {
    const cases: [Uint8Array, Parameters<typeof readTar>[1]][] = [
      [archive(header('pax', 'x', 5000), 'x'.repeat(5000)), { maxPaxBytes: 4096 }],
      [archive(header('././@LongLink', 'L', 9000), 'y'.repeat(9000)), { maxPathBytes: 4096 }],
      [archive(header('pax', 'x', 5100), paxBody({ path: 'z'.repeat(5000) }), header('a', '0')), {}],
      [archive(header('a', '0'), header('b', '0')), { maxEntries: 1 }],
      [archive(header('a', '0', 10), 'x'.repeat(10)), { maxBytes: 9 }],
    ];
    for (const [bytes, limits] of cases) {
      const read = async () => {
        for await (const e of readTar(chunked(bytes, 512), limits)) await collect(e.body);
      };
      await expect(read()).rejects.toMatchObject({ code: 'tar-limit' });
    }
  });
});

describe('tarBag / untarBag', () => {
  it('round trip: bag → tar → folder → the same valid bag, read in 7-byte chunks', async () => {
    const parent = tmp();
    const dir = await sampleBag(parent);
    const original = await readBag(dir, { io });
    expect(original.valid).toBe(true);

    const { size, stream } = await tarBag(dir, { io, mtime: new Date('2024-05-01T00:00:00Z') });
    const bytes = await collect(stream);
    expect(bytes.length).toBe(size);

    const out = `${parent}/received/sach-123`;
    const result = await untarBag(chunked(bytes, 7), out, { io });
    expect(result).toMatchObject({ dir: out, files: 9 });
    expect(listDir(`${parent}/received`)).toEqual(['sach-123']);
    const copy = await readBag(out, { io });
    expect(copy.problems).toEqual([]);
    expect(copy.files).toEqual(original.files);
    expect(copy.info).toEqual(original.info);
  });

  it('puts bagit.txt first and data/ last, under one top folder', async () => {
    const dir = await sampleBag(tmp());
    const { stream } = await tarBag(dir, { io, root: 'xuat-ban' });
    const paths: string[] = [];
    for await (const e of readTar(stream)) paths.push(e.path);
    expect(paths.slice(0, 6)).toEqual(['xuat-ban', 'xuat-ban/bagit.txt', 'xuat-ban/bag-info.txt', 'xuat-ban/manifest-sha256.txt', 'xuat-ban/tagmanifest-sha256.txt', 'xuat-ban/data']);
    expect(paths.every((p) => p === 'xuat-ban' || p.startsWith('xuat-ban/'))).toBe(true);
  });

  it('refuses to archive a symbolic link', async () => {
    const parent = tmp();
    const dir = await sampleBag(parent);
    symlink('/etc/passwd', `${dir}/data/passwd`);
    await expect(tarBag(dir, { io })).rejects.toMatchObject({ code: 'not-a-file' });
  });

  it('extracts an archive without a top folder as it is', async () => {
    const parent = tmp();
    const bytes = archive(header('bagit.txt', '0', 6), 'hello\n', header('./data/', '5'), header('./data/a.txt', '0', 1), 'x');
    await untarBag(chunked(bytes, 512), `${parent}/out`, { io });
    expect(listDir(`${parent}/out`)).toEqual(['bagit.txt', 'data']);
    expect(readText(`${parent}/out/data/a.txt`)).toBe('x');
  });

  const hostile: [string, Uint8Array, string][] = [
    ['../ in a name', archive(header('bag/', '5'), header('bag/../../evil.txt', '0', 4), 'evil'), 'unsafe-path'],
    ['an absolute name', archive(header('/tmp/evil.txt', '0', 4), 'evil'), 'unsafe-path'],
    ['../ in the ustar prefix', archive(header('evil.txt', '0', 4, { prefix: '../..' }), 'evil'), 'unsafe-path'],
    ['../ in a pax path', archive(header('pax', 'x', 30), paxBody({ path: '../evil.txt' }), header('innocent.txt', '0', 4), 'evil'), 'unsafe-path'],
    ['../ in a GNU long name', archive(header('././@LongLink', 'L', 12), '../evil.txt\0', header('innocent.txt', '0', 4), 'evil'), 'unsafe-path'],
    ['a NUL inside a pax path', archive(header('pax', 'x', 30), paxBody({ path: 'a\0/../../evil' }), header('x', '0')), 'unsafe-path'],
    ['a symbolic link', archive(header('bag/', '5'), header('bag/link', '2', 0, { linkname: '/etc' }), header('bag/link/passwd', '0', 4), 'evil'), 'tar-entry-type'],
    ['the same file twice', archive(header('bag/a.txt', '0', 4), 'good', header('bag/a.txt', '0', 4), 'evil'), 'duplicate-path'],
  ];

  it.each(hostile)('refuses %s and leaves nothing behind', async (_what, bytes, code) => {
    const parent = tmp();
    const error = await untarBag(chunked(bytes, 100), `${parent}/uploads/bag`, { io }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BagError);
    expect(error).toMatchObject({ code });
    expect(listDir(`${parent}/uploads`)).toEqual([]);
    expect(listDir(parent)).toEqual(['uploads']);
  });

  it('refuses an existing destination', async () => {
    const parent = tmp();
    writeText(`${parent}/bag/x`, 'x');
    await expect(untarBag(chunked(archive(header('a', '0')), 512), `${parent}/bag`, { io })).rejects.toMatchObject({ code: 'destination-exists' });
  });
});

describe.skipIf(!tar)('against GNU tar', () => {
  const run = tar ?? (() => '');

  it('GNU tar lists and extracts our archive: Vietnamese and long names, same bytes', async () => {
    const parent = tmp();
    const dir = await sampleBag(parent);
    const { stream } = await tarBag(dir, { io });
    writeText(`${parent}/bag.tar`, await collect(stream));

    const listed = run(['-tf', 'bag.tar'], parent).split('\n').filter((l) => l !== '');
    expect(listed).toContain('sach-123/data/Truyện Kiều/trang 001.txt');
    expect(listed).toContain(`sach-123/data/${LONG_DIR}/Sự tích trầu cau.txt`);
    expect(listed).toContain(`sach-123/data/${'a'.repeat(60)}/${'b'.repeat(60)}/${'c'.repeat(60)}.txt`);

    writeText(`${parent}/x/.keep`, '');
    run(['-xf', 'bag.tar', '-C', 'x'], parent);
    const extracted = await readBag(`${parent}/x/sach-123`, { io });
    expect(extracted.problems).toEqual([]);
    expect(readBytes(`${parent}/x/sach-123/data/${LONG_DIR}/Sự tích trầu cau.txt`)).toEqual(readBytes(`${dir}/data/${LONG_DIR}/Sự tích trầu cau.txt`));
  });

  it.each(['gnu', 'pax', 'ustar', 'v7'])('untarBag extracts a bag GNU tar wrote in %s format', async (format) => {
    const parent = tmp();
    await sampleBag(parent);
    // v7 and ustar cannot hold the long Vietnamese names: they get a bag of short names.
    const short = format === 'v7' || format === 'ustar';
    const source = short ? `${parent}/short` : `${parent}/sach-123`;
    if (short) await writeBag(source, [{ path: 'Kiều/trang 1.txt', source: () => chunked(encode('Kiều'), 2) }], {}, { io });
    const name = short ? 'short' : 'sach-123';
    run([`--format=${format}`, '-cf', 'bag.tar', name], parent);
    const out = `${parent}/received`;
    await untarBag(io.read(`${parent}/bag.tar`), out, { io });
    const bag = await readBag(out, { io });
    expect(bag.problems).toEqual([]);
    expect(bag.files.length).toBeGreaterThan(0);
  });

  it('untarBag extracts `tar -C bag -cf x.tar .` (entries start with ./)', async () => {
    const parent = tmp();
    await sampleBag(parent);
    run(['-C', 'sach-123', '-cf', 'flat.tar', '.'], parent);
    await untarBag(io.read(`${parent}/flat.tar`), `${parent}/out`, { io });
    expect((await readBag(`${parent}/out`, { io })).problems).toEqual([]);
  });

  it('untarBag refuses an archive GNU tar made with a symbolic link in it', async () => {
    const parent = tmp();
    const dir = await sampleBag(parent);
    symlink('/etc/passwd', `${dir}/data/passwd`);
    run(['-cf', 'evil.tar', 'sach-123'], parent);
    await expect(untarBag(io.read(`${parent}/evil.tar`), `${parent}/out`, { io })).rejects.toMatchObject({ code: 'tar-entry-type' });
    expect(exists(`${parent}/out`)).toBe(false);
    expect(listDir(parent)).toEqual(['evil.tar', 'sach-123']);
  });
});
