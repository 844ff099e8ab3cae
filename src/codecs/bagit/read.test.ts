/**
 * readBag over the Library of Congress BagIt conformance suite (test/fixtures/bagit/v1.0, public
 * domain) and over bags we break on purpose. Of the suite we keep the v1.0 folder only: four
 * invalid bags and one valid. None of its v1.0 cases uses fetch.txt, the one feature we
 * deliberately leave out (downloading remote payload); the fetch.txt tests below are ours.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { appendText, conformanceBags, copyTree, readText, scratch, symlink, writeText } from '../../../test/fixtures/bagit/fixtures.js';
import type { BagProblemCode } from './errors.js';
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

function sha256(text: string | Uint8Array): string {
  const h = io.createHash('sha256');
  if (!h) throw new Error('no sha256');
  h.update(typeof text === 'string' ? new TextEncoder().encode(text) : text);
  return h.digest();
}

async function* fromText(text: string): AsyncGenerator<Uint8Array> {
  yield new TextEncoder().encode(text);
}

/** A valid bag made by our writer, to break afterwards. */
async function bagOf(files: Record<string, string>, info: Record<string, string | string[]> = {}): Promise<string> {
  const dir = `${tmp()}/bag`;
  const payload: PayloadFile[] = Object.entries(files).map(([path, text]) => ({ path, source: () => fromText(text) }));
  await writeBag(dir, payload, info, { io, now: new Date('2024-05-01T00:00:00Z') });
  return dir;
}

const codes = (r: { problems: { code: BagProblemCode }[] }) => [...new Set(r.problems.map((p) => p.code))].sort();

describe('Library of Congress conformance suite, BagIt 1.0', () => {
  it.each(conformanceBags('v1.0', 'valid'))('valid/$name is valid', async ({ dir }) => {
    const bag = await readBag(dir, { io });
    expect(bag.problems).toEqual([]);
    expect(bag.valid).toBe(true);
    expect(bag.version).toBe('1.0');
  });

  it('valid/basicBag: files with their SHA-256, computed though the bag has only sha512', async () => {
    const [basic] = conformanceBags('v1.0', 'valid');
    const bag = await readBag(basic?.dir ?? '', { io });
    expect(bag.files).toEqual([{ path: 'hello.txt', size: 6, sha256: sha256('hello\n') }]);
  });

  /** What each invalid bag is invalid for. */
  const expected: Record<string, BagProblemCode> = {
    'bagit-with-invalid-whitespace': 'bagit-txt-malformed',
    notAllManifestsListAllFiles: 'file-not-in-manifest',
    'same-filename-listed-twice-with-different-hashes': 'manifest-duplicate',
    'same-filename-listed-twice-with-the-same-hash': 'manifest-duplicate',
  };

  it('has an expectation for every invalid bag in the suite', () => {
    expect(conformanceBags('v1.0', 'invalid').map((b) => b.name).sort()).toEqual(Object.keys(expected).sort());
  });

  it.each(conformanceBags('v1.0', 'invalid'))('invalid/$name is invalid', async ({ name, dir }) => {
    const bag = await readBag(dir, { io });
    expect(bag.valid).toBe(false);
    expect(codes(bag)).toContain(expected[name]);
  });

  it('invalid/notAllManifestsListAllFiles names the file and the manifest', async () => {
    const bag = await readBag(conformanceBags('v1.0', 'invalid').find((b) => b.name === 'notAllManifestsListAllFiles')?.dir ?? '', { io });
    expect(bag.problems).toEqual([
      {
        code: 'file-not-in-manifest',
        path: 'data/missingFromManifest.txt',
        message: 'data/missingFromManifest.txt is not listed in manifest-sha512.txt; in BagIt 1.0 every payload manifest lists every payload file',
      },
    ]);
  });

  it('invalid/same-filename-listed-twice-with-the-same-hash points at the line', async () => {
    const bag = await readBag(conformanceBags('v1.0', 'invalid').find((b) => b.name === 'same-filename-listed-twice-with-the-same-hash')?.dir ?? '', { io });
    expect(bag.problems.find((p) => p.code === 'manifest-duplicate')?.message).toBe(
      'manifest-sha256.txt line 2: data/README is listed twice (with the same checksum); each file must be listed exactly once',
    );
  });
});

describe('readBag on bags broken on purpose', () => {
  it('a bag we wrote reads back valid, with its bag-info', async () => {
    const dir = await bagOf({ 'a.txt': 'một', 'b/c.txt': 'hai' }, { 'Source-Organization': 'Thư viện tỉnh Kiên Giang' });
    const bag = await readBag(dir, { io });
    expect(bag.problems).toEqual([]);
    expect(bag.warnings).toEqual([]);
    expect(bag.info).toEqual({
      'Source-Organization': ['Thư viện tỉnh Kiên Giang'],
      'Bagging-Date': ['2024-05-01'],
      'Bag-Software-Agent': ['lienthong'],
      'Payload-Oxum': [`${new TextEncoder().encode('mộthai').length}.2`],
    });
  });

  it('a changed payload byte: checksum-mismatch and oxum-mismatch', async () => {
    const dir = await bagOf({ 'a.txt': 'một' });
    appendText(`${dir}/data/a.txt`, '!');
    const bag = await readBag(dir, { io });
    expect(codes(bag)).toEqual(['checksum-mismatch', 'oxum-mismatch']);
    expect(bag.problems.find((p) => p.code === 'checksum-mismatch')?.message).toBe(
      `data/a.txt: sha256 is ${sha256('một!')}, manifest-sha256.txt says ${sha256('một')}`,
    );
  });

  it('a changed tag file: checksum-mismatch from the tag manifest', async () => {
    const dir = await bagOf({ 'a.txt': 'x' });
    appendText(`${dir}/bag-info.txt`, 'Contact-Name: Nguyễn Văn A\n');
    const bag = await readBag(dir, { io });
    expect(bag.problems.map((p) => [p.code, p.path])).toEqual([['checksum-mismatch', 'bag-info.txt']]);
    expect(bag.info['Contact-Name']).toEqual(['Nguyễn Văn A']);
  });

  it('a missing payload file: file-missing', async () => {
    const dir = await bagOf({ 'a.txt': 'x', 'b.txt': 'y' });
    writeText(`${dir}/manifest-sha256.txt`, `${readText(`${dir}/manifest-sha256.txt`)}${sha256('z')}  data/c.txt\n`);
    const bag = await readBag(dir, { io });
    expect(bag.problems).toContainEqual({ code: 'file-missing', path: 'data/c.txt', message: 'manifest-sha256.txt lists data/c.txt, which is not in the bag' });
  });

  it('a BOM in bagit.txt: bom', async () => {
    const dir = await bagOf({ 'a.txt': 'x' });
    writeText(`${dir}/bagit.txt`, new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(readText(`${dir}/bagit.txt`))]));
    const bag = await readBag(dir, { io });
    expect(bag.version).toBe('1.0');
    expect(codes(bag)).toContain('bom');
  });

  it('a BOM in a UTF-8 manifest: bom, and the entry is still read', async () => {
    const dir = await bagOf({ 'a.txt': 'x' });
    writeText(`${dir}/manifest-sha256.txt`, `\ufeff${readText(`${dir}/manifest-sha256.txt`)}`);
    const bag = await readBag(dir, { io });
    expect(bag.problems.filter((p) => p.code !== 'checksum-mismatch').map((p) => [p.code, p.path])).toEqual([['bom', 'manifest-sha256.txt']]);
  });

  it('an unknown version and an unknown encoding', async () => {
    const dir = await bagOf({ 'a.txt': 'x' });
    writeText(`${dir}/bagit.txt`, 'BagIt-Version: 2.0\nTag-File-Character-Encoding: KLINGON\n');
    const bag = await readBag(dir, { io });
    expect(codes(bag)).toEqual(['unsupported-encoding', 'unsupported-version']);
  });

  it.each([
    ['../../etc/passwd', 'path-unsafe'],
    ['/etc/passwd', 'path-unsafe'],
    ['data/../../outside.txt', 'path-unsafe'],
    ['C:\\Windows\\win.ini', 'path-unsafe'],
    ['bagit.txt', 'path-outside-payload'],
  ] as const)('a manifest entry %j: %s, and nothing outside the bag is read', async (path, code) => {
    const dir = await bagOf({ 'a.txt': 'x' });
    appendText(`${dir}/manifest-sha256.txt`, `${sha256('')}  ${path}\n`);
    const bag = await readBag(dir, { io });
    expect(bag.problems.map((p) => p.code)).toEqual([code, 'checksum-mismatch']);
  });

  it('a symbolic link in the payload is refused, not followed', async () => {
    const outside = `${tmp()}/secret.txt`;
    writeText(outside, 'secret');
    const dir = await bagOf({ 'a.txt': 'x' });
    symlink(outside, `${dir}/data/link.txt`);
    appendText(`${dir}/manifest-sha256.txt`, `${sha256('secret')}  data/link.txt\n`);
    const bag = await readBag(dir, { io });
    expect(codes(bag)).toEqual(['checksum-mismatch', 'file-missing', 'not-a-file']);
    expect(bag.files.map((f) => f.path)).toEqual(['a.txt']);
  });

  it('fetch.txt naming files that are not there: fetch-unsupported, with what to do', async () => {
    const dir = await bagOf({ 'a.txt': 'x' });
    appendText(`${dir}/manifest-sha256.txt`, `${sha256('remote')}  data/remote.tif\n`);
    writeText(`${dir}/fetch.txt`, 'https://example.org/remote.tif 6 data/remote.tif\n');
    const bag = await readBag(dir, { io });
    expect(bag.problems.filter((p) => p.code === 'fetch-unsupported')).toEqual([
      {
        code: 'fetch-unsupported',
        path: 'data/remote.tif',
        message: 'data/remote.tif is to be downloaded from the address in fetch.txt; this system does not fetch remote files: download them into the bag and remove fetch.txt',
      },
    ]);
    expect(codes(bag)).not.toContain('file-missing');
  });

  it('fetch.txt whose files are all present: valid, with a warning', async () => {
    const dir = await bagOf({ 'a.txt': 'x' });
    writeText(`${dir}/fetch.txt`, 'https://example.org/a.txt - data/a.txt\n');
    const bag = await readBag(dir, { io });
    expect(bag.problems.map((p) => p.code)).toEqual([]);
    expect(bag.warnings.map((w) => w.code)).toContain('fetch-complete');
  });

  it('fetch.txt reaching outside the bag: path-unsafe', async () => {
    const dir = await bagOf({ 'a.txt': 'x' });
    writeText(`${dir}/fetch.txt`, 'https://example.org/x - ../../x\n');
    const bag = await readBag(dir, { io });
    expect(codes(bag)).toEqual(['path-unsafe']);
  });

  it('a file name in NFD on disk matches the NFC manifest entry, with a warning', async () => {
    const nfc = 'Truyện Kiều.txt';
    const dir = await bagOf({ [nfc]: 'x' });
    await io.rename(`${dir}/data/${nfc}`, `${dir}/data/${nfc.normalize('NFD')}`);
    const bag = await readBag(dir, { io });
    expect(bag.problems).toEqual([]);
    expect(bag.warnings.map((w) => w.code)).toEqual(['normalization']);
    expect(bag.files.map((f) => f.path)).toEqual([nfc.normalize('NFD')]);
  });

  it('Payload-Oxum malformed or repeated: oxum-malformed', async () => {
    const dir = await bagOf({ 'a.txt': 'x' });
    appendText(`${dir}/bag-info.txt`, 'Payload-Oxum: lots\n');
    const bag = await readBag(dir, { io });
    expect(codes(bag)).toEqual(['checksum-mismatch', 'oxum-malformed']);
  });

  it('bag-info whitespace around the colon is invalid in 1.0, accepted in 0.97', async () => {
    const dir = await bagOf({ 'a.txt': 'x' });
    appendText(`${dir}/bag-info.txt`, 'Test-Tag : 3\n');
    expect(codes(await readBag(dir, { io }))).toEqual(['bag-info-malformed', 'checksum-mismatch']);
    writeText(`${dir}/bagit.txt`, 'BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n');
    const old = await readBag(dir, { io });
    expect(codes(old)).toEqual(['checksum-mismatch']);
    expect(old.info['Test-Tag']).toEqual(['3']);
  });

  it('md5sum-style "*" and "./" paths are accepted with warnings', async () => {
    const dir = await bagOf({ 'a.txt': 'x', 'b.txt': 'y' });
    writeText(`${dir}/manifest-sha256.txt`, `${sha256('x')} *data/a.txt\n${sha256('y')}  ./data/b.txt\n`);
    const bag = await readBag(dir, { io });
    expect(codes(bag)).toEqual(['checksum-mismatch']);
    expect(bag.warnings.map((w) => w.code)).toEqual(['path-style', 'path-style']);
  });

  it('a manifest in an algorithm nobody can compute, beside sha256: unverified-algorithm warning', async () => {
    const dir = await bagOf({ 'a.txt': 'x' });
    writeText(`${dir}/manifest-blake3.txt`, `${'0'.repeat(64)}  data/a.txt\n`);
    const bag = await readBag(dir, { io });
    expect(bag.warnings.map((w) => w.code)).toContain('unverified-algorithm');
    expect(codes(bag)).toEqual(['tagmanifest-incomplete']);
  });

  it('a malformed manifest line and a malformed checksum', async () => {
    const dir = await bagOf({ 'a.txt': 'x' });
    writeText(`${dir}/manifest-sha256.txt`, `${sha256('x')}data/a.txt\nabc  data/a.txt\n`);
    const bag = await readBag(dir, { io });
    expect(bag.problems.map((p) => p.message)).toEqual(
      expect.arrayContaining([
        `manifest-sha256.txt line 1: expected "checksum path", found "${sha256('x')}data/a.txt"`,
        'manifest-sha256.txt line 2: a sha256 checksum has 64 hex digits, "abc" has 3',
      ]),
    );
  });

  it('a bag without bagit.txt, manifests or data/', async () => {
    const dir = tmp();
    writeText(`${dir}/readme.txt`, 'not a bag');
    const bag = await readBag(dir, { io });
    expect(codes(bag)).toEqual(['bagit-txt-missing', 'manifest-missing', 'payload-dir-missing']);
    expect(bag.version).toBeNull();
  });

  it('a path that is not a folder, or nothing at all: a problem, not an exception', async () => {
    const dir = tmp();
    writeText(`${dir}/file`, 'x');
    expect((await readBag(`${dir}/file`, { io })).problems.map((p) => p.code)).toEqual(['not-a-directory']);
    expect((await readBag(`${dir}/nothing`, { io })).problems.map((p) => p.code)).toEqual(['not-a-directory']);
  });

  it('reports progress per payload file', async () => {
    const dir = await bagOf({ 'a.txt': 'xx', 'b.txt': 'yyy' });
    const seen: number[] = [];
    await readBag(dir, { io, onProgress: (p) => seen.push(p.bytes) });
    expect(seen).toEqual([2, 5]);
  });

  it('copies of the conformance bags can be repaired into valid bags (the checks are not too strict)', async () => {
    const dir = `${tmp()}/bag`;
    copyTree(conformanceBags('v1.0', 'invalid').find((b) => b.name === 'notAllManifestsListAllFiles')?.dir ?? '', dir);
    const h = io.createHash('sha512');
    h?.update(new TextEncoder().encode('this file should be missing from a manifest so that it becomes invalid\n'));
    appendText(`${dir}/manifest-sha512.txt`, `${h?.digest()}  data/missingFromManifest.txt\n`);
    const bag = await readBag(dir, { io });
    expect(codes(bag)).toEqual(['checksum-mismatch']);
    expect(bag.problems[0]?.path).toBe('manifest-sha512.txt');
  });
});
