import { describe, expect, it } from 'vitest';
import { concat, iso, latin1 } from '../../../test/fixtures/marc/iso.js';
import type { MarcFailure, MarcResult } from './errors.js';
import { readIso2709, readMarcJson, readMarcXml } from './parse.js';
import { readIso2709Stream, readMarcJsonStream, readMarcXmlStream, recordsOnly } from './parse-stream.js';
import type { MarcRecord } from './record.js';
import { writeIso2709, writeMarcJsonLines, writeMarcXml } from './write.js';
import { iso2709Chunks, marcJsonChunks, marcXmlChunks } from './write-stream.js';

/** mulberry32: the same records on every run. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['Truyện', 'Kiều', 'Lịch sử', 'Việt Nam', 'Đất', 'rừng', 'phương Nam', 'thơ', 'Hà Nội', 'the', 'history', 'of', 'libraries', 'Москва', '東京', 'Ελλάδα', 'São Paulo'];
const NAMES = ['Nguyễn Du', 'Trần Trọng Kim', 'Đoàn Giỏi', 'Hồ Xuân Hương', 'Smith, John', 'Müller, Jürgen'];

function records(n: number, seed = 7): MarcRecord[] {
  const rnd = random(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const out: MarcRecord[] = [];
  for (let i = 0; i < n; i++) {
    const title = Array.from({ length: 2 + Math.floor(rnd() * 8) }, () => pick(WORDS)).join(' ');
    const fields: MarcRecord['fields'] = [
      { tag: '001', value: `REC${String(i).padStart(7, '0')}` },
      { tag: '008', value: '240115s2007    vm            000 0 vie d' },
      { tag: '100', ind1: '0', ind2: ' ', subfields: [{ code: 'a', value: pick(NAMES) }] },
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: `${title} /` }, { code: 'c', value: pick(NAMES) }] },
    ];
    for (let k = Math.floor(rnd() * 30); k > 0; k--) fields.push({ tag: '650', ind1: ' ', ind2: '7', subfields: [{ code: 'a', value: pick(WORDS) }, { code: '2', value: 'local' }] });
    out.push({ leader: '00000nam a2200000 i 4500', fields });
  }
  return out;
}

/** `bytes` in chunks of `size` (a generator, so nothing is read ahead). */
function* chunks(bytes: Uint8Array, size: number): Generator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** Byte-array equality without the cost of a deep-equal diff on megabytes. */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** A file of a few megabytes: valid records, with damaged ones and a MARC-8 one here and there. */
function bigFile(): Uint8Array {
  const recs = records(6_000);
  const parts: Uint8Array[] = [];
  recs.forEach((r, i) => {
    parts.push(writeIso2709(r));
    if (i % 997 === 5) parts.push(writeIso2709(r).subarray(0, 60), latin1('\x1d')); // cut short
    if (i % 1499 === 9) parts.push(latin1('\r\n<junk/>\r\n'));
    if (i % 701 === 3) parts.push(iso([['245', latin1('10\x1faNguy\xe3\xe4en Du: Truy\xf2\xe3en Ki\xe3\xe1eu')]], { kind: 'nam  ' }));
    if (i % 1201 === 11) parts.push(iso([['245', concat(latin1('10\x1faBad '), Uint8Array.of(0xff), latin1(' byte'))]], { length: '00999' }));
  });
  return concat(...parts);
}

describe('streaming readers', () => {
  const file = bigFile();
  const batch = readIso2709(file);

  it('read a multi-megabyte ISO 2709 file in 1 KB chunks exactly as the batch reader does', async () => {
    expect(file.length).toBeGreaterThan(3_000_000);
    expect(batch.length).toBeGreaterThan(6_000);
    expect(batch.filter((r) => !r.ok).length).toBeGreaterThan(5);
    expect(batch.filter((r) => r.ok && r.warnings.length > 0).length).toBeGreaterThan(3);
    const streamed = await collect(readIso2709Stream(chunks(file, 1024)));
    expect(streamed).toEqual(batch);
  });

  it.each([1, 7, 4093, 65_536])('give the same results in chunks of %i bytes', async (size) => {
    const part = size < 100 ? file.subarray(0, 40_000) : file;
    expect(await collect(readIso2709Stream(chunks(part, size)))).toEqual(size < 100 ? readIso2709(part) : batch);
  });

  it('yield the first record before the source is read to the end', async () => {
    let pulled = 0;
    function* counting() {
      for (const c of chunks(file, 1024)) {
        pulled++;
        yield c;
      }
    }
    for await (const r of readIso2709Stream(counting())) {
      expect(r.ok).toBe(true);
      break;
    }
    expect(pulled).toBeLessThan(5);
  });

  it('read MARCXML and MARC-in-JSON in small chunks (split inside multibyte characters) as the batch readers do', async () => {
    const recs = records(300);
    const xml = new TextEncoder().encode(writeMarcXml(recs));
    const json = new TextEncoder().encode(writeMarcJsonLines(recs));
    expect(await collect(readMarcXmlStream(chunks(xml, 1000)))).toEqual(readMarcXml(xml));
    expect(await collect(readMarcXmlStream(chunks(xml.subarray(0, 5000), 1)))).toEqual(readMarcXml(xml.subarray(0, 5000)));
    expect(await collect(readMarcJsonStream(chunks(json, 999)))).toEqual(readMarcJson(json));
    expect(readMarcXml(xml).map((r) => r.ok && r.record)).toEqual(recs);
  });

  it('report failures through recordsOnly and carry on', async () => {
    const failures: MarcFailure[] = [];
    const recs = await collect(recordsOnly(readIso2709Stream(chunks(file, 8192)), (f) => failures.push(f)));
    expect(recs.length + failures.length).toBe(batch.length);
    expect(failures.map((f) => f.error.code)).toEqual(batch.filter((r): r is MarcFailure => !r.ok).map((r) => r.error.code));
  });
});

describe('streaming writers', () => {
  const recs = records(2_000, 11);

  it('write the same bytes as the batch writers, in chunks of about the size asked', async () => {
    const iso2709 = await collect(iso2709Chunks(recs, { chunkSize: 16_384 }));
    expect(sameBytes(concat(...iso2709), writeIso2709(recs))).toBe(true);
    expect(Math.max(...iso2709.slice(0, -1).map((c) => c.length))).toBeLessThan(16_384 + 100_000);
    expect(iso2709.length).toBeGreaterThan(10);

    const xml = await collect(marcXmlChunks(recs, { chunkSize: 16_384 }));
    expect(new TextDecoder().decode(concat(...xml))).toBe(writeMarcXml(recs));
    const json = await collect(marcJsonChunks(recs));
    expect(new TextDecoder().decode(concat(...json))).toBe(writeMarcJsonLines(recs));
    const array = await collect(marcJsonChunks(recs.slice(0, 3), { format: 'array' }));
    expect(JSON.parse(new TextDecoder().decode(concat(...array)))).toHaveLength(3);
    expect(new TextDecoder().decode(concat(...(await collect(marcXmlChunks([])))))).toBe('<collection xmlns="http://www.loc.gov/MARC21/slim">\n</collection>\n');
  });

  it('convert ISO 2709 to MARCXML file to file, streaming, and back', async () => {
    const source = writeIso2709(recs);
    const xml = concat(...(await collect(marcXmlChunks(recordsOnly(readIso2709Stream(chunks(source, 4096)))))));
    const back = concat(...(await collect(iso2709Chunks(recordsOnly(readMarcXmlStream(chunks(xml, 4096)))))));
    expect(sameBytes(back, source)).toBe(true);
  });

  it('leave out a record that cannot be written when onError is given, and throw otherwise', async () => {
    const tooLong: MarcRecord = { leader: '00000nam a2200000 i 4500', fields: Array.from({ length: 12 }, () => ({ tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'x'.repeat(9_000) }] })) };
    const skipped: string[] = [];
    const out = await collect(iso2709Chunks([recs[0]!, tooLong, recs[1]!], { onError: (issue) => skipped.push(issue.message) }));
    expect(skipped).toEqual(['record 2: the record is 108,230 bytes, more than the 99,999 ISO 2709 allows']);
    expect(readIso2709(concat(...out)).map((r: MarcResult) => r.ok)).toEqual([true, true]);
    await expect(collect(iso2709Chunks([tooLong]))).rejects.toThrow('record 1: the record is 108,230 bytes, more than the 99,999 ISO 2709 allows');
  });
});
