import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { writeIso2709 } from '../../codecs/marc/write.js';
import type { MarcRecord } from '../../codecs/marc/record.js';
import { preparedInProcess, preparedInWorker, type PreparedSource } from './prepared-source.js';
import type { Incoming } from '../../app/import-prepare.js';

const ctx = { unitCode: 'TV', knownUnitCodes: ['TV', 'TV-A'], today: '2026-03-15' };

const rec = (n: number): MarcRecord => ({
  leader: '00000nam a2200000 i 4500',
  fields: [
    { tag: '245', ind1: '0', ind2: '0', subfields: [{ code: 'a', value: `Sách số ${n}` }] },
    { tag: '952', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: n % 2 ? 'TV-A' : 'NOWHERE' }, { code: 'p', value: `BC-${n}` }] },
  ],
});

async function all(s: PreparedSource): Promise<Incoming[]> {
  const out: Incoming[] = [];
  for await (const r of s.records) out.push(r);
  await s.close();
  return out;
}

describe('prepared sources', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'lt-prep-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('prepare the same records in a worker thread as in this one, numbered in file order', async () => {
    const path = join(dir, 'a.mrc');
    writeFileSync(path, writeIso2709(Array.from({ length: 1203 }, (_, i) => rec(i + 1))));
    const worker = await preparedInWorker(path, { skip: 0 }, ctx);
    expect(worker.mode).toBe('worker');
    const a = await all(worker);
    const b = await all(await preparedInProcess(path, { skip: 0 }, ctx));
    expect(a).toEqual(b);
    expect(a.map((r) => r.seq)).toEqual(Array.from({ length: 1203 }, (_, i) => i + 1));
    const second = a[1]!;
    expect(second.ok && second.items.map((i) => i.barcode)).toEqual(['BC-2']);
    expect(second.problems).toContainEqual(expect.objectContaining({ code: 'item.unknown-unit', severity: 'warning' }));
    expect(worker.bytesRead()).toBeGreaterThan(0);
  });

  it('skip the records an earlier run already landed', async () => {
    const path = join(dir, 'b.mrc.gz');
    writeFileSync(path, gzipSync(writeIso2709(Array.from({ length: 10 }, (_, i) => rec(i + 1)))));
    expect((await all(await preparedInWorker(path, { skip: 7 }, ctx))).map((r) => r.seq)).toEqual([8, 9, 10]);
  });

  it('pass the reader’s errors on with their codes', async () => {
    const path = join(dir, 'bomb.mrc.gz');
    writeFileSync(path, gzipSync(Buffer.concat([Buffer.from('00050'), Buffer.alloc(20_000_000, 0x30)])));
    const s = await preparedInWorker(path, { skip: 0, limits: { maxDecompressedBytes: 100_000 } }, ctx);
    await expect(all(s)).rejects.toMatchObject({ code: 'CATALOG_IMPORT_TOO_LARGE' });
  });
});
