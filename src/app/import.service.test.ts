import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describeEachDialect, type TestDialect } from '../../test/dialects.js';
import { treeEnvEach, type SmallTree, type TreeActors } from '../../test/factories.js';
import { codeOf, count, counts } from '../../test/expect.js';
import { fixture } from '../../test/fixtures/marc/fixtures.js';
import type { Container } from '../main/container.js';
import { systemActor } from './actor.js';
import type { MarcRecord } from '../codecs/marc/record.js';
import { writeIso2709, writeMarcXml } from '../codecs/marc/write.js';
import { parseIso2709, parseMarcXml, readMarcJson } from '../codecs/marc/parse.js';
import { ImportService, type MarcFiles } from './import.service.js';
import { inspectMarcFile } from '../adapters/files/marc-source.js';
import { preparedInProcess } from '../adapters/files/prepared-source.js';

const sys = systemActor('test');

function book(n: number, opts: { isbn?: string; ctrl?: [string, string]; barcodes?: Array<[string, string]>; title?: string } = {}): MarcRecord {
  const fields: MarcRecord['fields'] = [];
  if (opts.ctrl) fields.push({ tag: '001', value: opts.ctrl[1] }, { tag: '003', value: opts.ctrl[0] });
  fields.push({ tag: '008', value: '250101s2024    vm            000 0 vie d' });
  if (opts.isbn) fields.push({ tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: opts.isbn }] });
  fields.push({ tag: '082', ind1: '0', ind2: '4', subfields: [{ code: 'a', value: '959.7' }, { code: 'b', value: 'NG-D' }] });
  fields.push({ tag: '100', ind1: '0', ind2: ' ', subfields: [{ code: 'a', value: `Nguyễn Văn ${String.fromCharCode(65 + (n % 26))}${n}` }] });
  fields.push({ tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: opts.title ?? `Lịch sử Kiên Giang tập ${n} /` }, { code: 'c', value: 'Nhiều tác giả.' }] });
  fields.push({ tag: '264', ind1: ' ', ind2: '1', subfields: [{ code: 'a', value: 'Rạch Giá :' }, { code: 'b', value: 'Nxb. Tổng hợp,' }, { code: 'c', value: `${2000 + (n % 25)}.` }] });
  for (const [owner, barcode] of opts.barcodes ?? []) {
    fields.push({ tag: '952', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: owner }, { code: 'b', value: owner }, { code: 'o', value: '959.7 NG-D' }, { code: 'p', value: barcode }, { code: 'y', value: 'BK' }, { code: 'g', value: '120000' }] });
  }
  return { leader: '00000nam a2200000 i 4500', fields };
}

describeEachDialect('ImportService', (dialect: TestDialect) => {
  let c: Container;
  let t: SmallTree;
  let actors: TreeActors;
  let dir: string;
  treeEnvEach(dialect, (x) => ({ c, t, actors } = x));
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'lt-import-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, data: Uint8Array | string) => {
    const p = join(dir, name);
    writeFileSync(p, data);
    return p;
  };

  const importFile = async (path: string, unitId: number, policy = 'attach', extra: { again?: boolean; batchSize?: number } = {}) => {
    const { job } = await c.services.imports.start(sys, { path, fileName: 'f', unitId, policy, again: extra.again });
    return c.services.imports.run(job.id, { owner: 'test', batchSize: extra.batchSize });
  };

  it('creates records and items from 952 fields, and writes a result per record', async () => {
    const records = [book(1, { isbn: '978-604-0-00001-9', barcodes: [['COMM-A1', 'A1-0001'], ['COMM-A1', 'A1-0002']] }), book(2, { barcodes: [['COMM-A2', 'A2-0001']] }), book(3)];
    const job = await importFile(file('a.mrc', writeIso2709(records)), t.distA.id);
    expect(job.status).toBe('done');
    expect(job.summary).toMatchObject({ read: 3, created: 3, matched: 0, rejected: 0, itemsAdded: 3 });
    const results = await c.services.imports.results(job.id, { limit: 10 });
    expect(results.map((r) => [r.seq, r.outcome, r.itemsAdded])).toEqual([
      [1, 'created', 2],
      [2, 'created', 1],
      [3, 'created', 0],
    ]);
    const view = await c.services.catalog.get(results[0]!.recordId!);
    expect(view.derived.title).toBe('Lịch sử Kiên Giang tập 1');
    expect(view.marc.fields.some((f) => f.tag === '952')).toBe(false);
    expect(view.items.map((i) => [i.barcode, i.ownerUnitCode, i.callNumber, i.price, i.itemType])).toEqual([
      ['A1-0001', 'COMM-A1', '959.7 NG-D', 120000, 'book'],
      ['A1-0002', 'COMM-A1', '959.7 NG-D', 120000, 'book'],
    ]);
    expect(view.items[0]!.shelfKey).toBeTruthy();
    const second = await c.services.catalog.get(results[1]!.recordId!);
    expect(second.items.map((i) => i.ownerUnitCode)).toEqual(['COMM-A2']);
    expect(await count(c, 'bib_records')).toBe(3);
    // The staff catalogue's "newest records": highest ids first.
    const ids = results.map((r) => r.recordId!);
    expect((await c.services.catalog.list({ newestFirst: true, limit: 2 })).map((r) => r.id)).toEqual([ids[2], ids[1]]);
  });

  it('refuses a finished file again, and with --again matches every record and adds nothing twice', async () => {
    const path = file('a.mrc', writeIso2709([book(1, { isbn: '9786040000019', barcodes: [['COMM-A1', 'X-1']] }), book(2, { ctrl: ['VN-KG', '77'] })]));
    await importFile(path, t.distA.id);
    expect(await codeOf(c.services.imports.start(sys, { path, fileName: 'f', unitId: t.distA.id, policy: 'attach' }))).toMatchObject({ code: 'CATALOG_IMPORT_DONE' });
    const before = await counts(c, { records: 'bib_records', items: 'items' });
    const again = await importFile(path, t.distA.id, 'attach', { again: true });
    expect(again.summary).toMatchObject({ read: 2, created: 0, matched: 2, itemsAdded: 0 });
    const results = await c.services.imports.results(again.id, { limit: 10 });
    expect(results.map((r) => r.matchedOn)).toEqual(['isbn', 'ctrl']);
    expect(await counts(c, { records: 'bib_records', items: 'items' })).toEqual(before);
  });

  it('matches in order 001+003, ISBN, ISSN, 035, key, and applies the policy', async () => {
    await importFile(file('base.mrc', writeIso2709([book(1, { isbn: '9786040000019' }), book(2, { ctrl: ['VN-KG', '2'] }), book(3)])), t.prov.id);
    const base = await c.services.catalog.list({ limit: 10 });
    // 035 (VN-KG)2 finds the record that came with 001 2 / 003 VN-KG.
    const with035: MarcRecord = book(20, { title: 'Khác hẳn' });
    with035.fields.push({ tag: '035', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '(VN-KG)2' }] });
    // Same title, author and year as book 3, nothing else shared: the key finds it.
    const sameKey = book(3);
    const incoming = [book(9, { isbn: '978-604-0-00001-9', title: 'Tên khác', barcodes: [['DIST-B', 'B-1']] }), with035, sameKey, book(50)];
    const job = await importFile(file('in.mrc', writeIso2709(incoming)), t.distB.id, 'attach');
    const results = await c.services.imports.results(job.id, { limit: 10 });
    expect(results.map((r) => [r.outcome, r.matchedOn, r.recordId])).toEqual([
      ['matched', 'isbn', base[0]!.id],
      ['matched', 'sysno', base[1]!.id],
      ['matched', 'key', base[2]!.id],
      ['created', null, expect.any(Number)],
    ]);
    // Holdings attach to the match; its description stays.
    const matched = await c.services.catalog.get(base[0]!.id);
    expect(matched.items.map((i) => i.barcode)).toEqual(['B-1']);
    expect(matched.derived.title).toBe('Lịch sử Kiên Giang tập 1');

    // replace: the match takes the incoming content (a cataloguer of the whole network).
    const rep = await importFile(file('rep.mrc', writeIso2709([book(9, { isbn: '9786040000019', title: 'Tên mới /' })])), t.prov.id, 'replace');
    expect((await c.services.imports.results(rep.id, { limit: 1 }))[0]).toMatchObject({ outcome: 'merged', recordId: base[0]!.id });
    expect((await c.services.catalog.get(base[0]!.id)).derived.title).toBe('Tên mới');

    // keep: a new record beside the match, with a warning.
    const keep = await importFile(file('keep.mrc', writeIso2709([book(9, { isbn: '9786040000019', title: 'Bản khác /' })])), t.prov.id, 'keep');
    const kept = (await c.services.imports.results(keep.id, { limit: 1 }))[0]!;
    expect(kept.outcome).toBe('created');
    expect(kept.recordId).not.toBe(base[0]!.id);
    expect(kept.problems).toContainEqual({ code: 'duplicate-kept', severity: 'warning', params: { record: base[0]!.id, on: 'isbn' } });
  });

  it('does not replace a shared record for someone who may not edit it, and says so', async () => {
    await importFile(file('base.mrc', writeIso2709([book(1, { isbn: '9786040000019', barcodes: [['DIST-B', 'B-9']] })])), t.distB.id);
    // distadmin (library_admin over DIST-A) imports a replacement into DIST-A: the record is DIST-B's.
    const { job } = await c.services.imports.start(actors.distadmin, { path: file('r.mrc', writeIso2709([book(1, { isbn: '9786040000019', title: 'Đổi tên /', barcodes: [['COMM-A1', 'A-9']] })])), fileName: 'r', unitId: t.distA.id, policy: 'replace' });
    const done = await c.services.imports.run(job.id, { owner: 'test' });
    const [r] = await c.services.imports.results(done.id, { limit: 1 });
    expect(r).toMatchObject({ outcome: 'matched', itemsAdded: 1 });
    expect(r!.problems).toContainEqual(expect.objectContaining({ code: 'not-replaced-permission' }));
    expect((await c.services.catalog.get(r!.recordId!)).derived.title).toBe('Lịch sử Kiên Giang tập 1');
  });

  it('rejects a broken record in the middle of a MARCXML file and imports the rest', async () => {
    // Strict: the damaged record is refused instead of repaired (lenient repairs it with warnings).
    const { job: started } = await c.services.imports.start(sys, { path: file('bad.xml', fixture('ruby-marc/three-records-second-bad.xml')), fileName: 'bad.xml', unitId: t.prov.id, policy: 'keep', strict: true });
    const job = await c.services.imports.run(started.id, { owner: 'test' });
    expect(job.status).toBe('done');
    const results = await c.services.imports.results(job.id, { limit: 10 });
    expect(results.map((r) => r.outcome)).toEqual(['created', 'rejected', 'created']);
    expect(results[1]!.problems[0]).toMatchObject({ code: expect.stringMatching(/^marc\./), severity: 'error' });
    expect(await count(c, 'bib_records')).toBe(2);
  });

  it('rejects records without a title, and items whose barcode another record has', async () => {
    await importFile(file('a.mrc', writeIso2709([book(1, { barcodes: [['COMM-A1', 'DUP-1']] })])), t.prov.id);
    const untitled: MarcRecord = { leader: '00000nam a2200000 i 4500', fields: [{ tag: '008', value: '250101s2024    vm            000 0 vie d' }, { tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'Chỉ có ghi chú.' }] }] };
    const job = await importFile(file('b.mrc', writeIso2709([untitled, book(2, { barcodes: [['COMM-A1', 'DUP-1'], ['COMM-A1', 'NEW-1']] })])), t.prov.id);
    const results = await c.services.imports.results(job.id, { limit: 10 });
    expect(results[0]).toMatchObject({ outcome: 'rejected', problems: [{ code: 'no-title', severity: 'error' }] });
    expect(results[1]).toMatchObject({ outcome: 'created', itemsAdded: 1 });
    expect(results[1]!.problems).toContainEqual({ code: 'item.barcode-taken', severity: 'warning', params: { barcode: 'DUP-1', record: expect.any(Number) } });
  });

  it('resumes an interrupted import where it stopped, creating nothing twice', async () => {
    const records = Array.from({ length: 7 }, (_, i) => book(i + 1, { barcodes: [['COMM-A1', `R-${i + 1}`]] }));
    const path = file('r.mrc', writeIso2709(records));
    const { job } = await c.services.imports.start(sys, { path, fileName: 'r', unitId: t.prov.id, policy: 'attach' });
    // Two batches land, then the process "dies" holding the lease.
    const stopped = await c.services.imports.run(job.id, { owner: 'dead-process', batchSize: 2, stopAfterBatches: 2 });
    expect(stopped).toMatchObject({ status: 'running', checkpoint: 4 });
    expect(await count(c, 'bib_records')).toBe(4);
    // Re-running the same command finds the job; while the lease holds it is busy…
    const again = await c.services.imports.start(sys, { path, fileName: 'r', unitId: t.prov.id, policy: 'attach' });
    expect(again).toMatchObject({ resumed: true, job: { id: job.id } });
    expect(await codeOf(c.services.imports.run(job.id, { owner: 'cli' }))).toMatchObject({ code: 'JOB_BUSY' });
    // …and once it runs out, it continues from record 5.
    (c.clock as unknown as { advance(ms: number): void }).advance(10 * 60_000);
    const done = await c.services.imports.run(job.id, { owner: 'cli', batchSize: 2 });
    expect(done.status).toBe('done');
    expect(done.summary).toMatchObject({ read: 7, created: 7, itemsAdded: 7 });
    expect(await counts(c, { records: 'bib_records', items: 'items', results: 'import_results' })).toEqual({ records: 7, items: 7, results: 7 });
  });

  it('is run by the job runner when queued, records how far it read, and removes an uploaded file when done', async () => {
    const upload = file('q.xml', writeMarcXml([book(1), book(2)]));
    const { job } = await c.services.imports.start(sys, { path: upload, fileName: 'q', unitId: t.prov.id, policy: 'attach', ownsFile: true });
    expect(await c.jobs.runOnce()).toBe(true);
    const done = await c.services.imports.job(job.id);
    expect(done).toMatchObject({ status: 'done', summary: { created: 2 } });
    expect(done.progressDone).toBe(done.progressTotal);
    expect(existsSync(upload)).toBe(false);
    expect(await c.jobs.runOnce()).toBe(false);
  });

  it('reads gzipped ISO 2709 and MARCXML', async () => {
    const a = await importFile(file('a.mrc.gz', gzipSync(writeIso2709([book(1), book(2)]))), t.prov.id);
    const b = await importFile(file('b.xml.gz', gzipSync(writeMarcXml([book(3)]))), t.prov.id);
    expect([a.summary?.created, b.summary?.created]).toEqual([2, 1]);
  });

  it('refuses empty and unrecognised files before starting, and needs catalog.import', async () => {
    expect(await codeOf(c.services.imports.start(sys, { path: file('empty.mrc', ''), fileName: 'e', unitId: t.prov.id, policy: 'attach' }))).toMatchObject({ code: 'CATALOG_IMPORT_EMPTY' });
    expect(await codeOf(c.services.imports.start(sys, { path: file('x.pdf', '%PDF-1.4 not marc'), fileName: 'x', unitId: t.prov.id, policy: 'attach' }))).toMatchObject({ code: 'CATALOG_IMPORT_FORMAT' });
    expect(await codeOf(c.services.imports.start(sys, { path: file('ok.mrc', writeIso2709([book(1)])), fileName: 'x', unitId: t.prov.id, policy: 'merge-all' }))).toMatchObject({ code: 'CATALOG_IMPORT_POLICY' });
    // A librarian may catalogue but not import.
    expect(await codeOf(c.services.imports.start(actors.commlib, { path: file('ok2.mrc', writeIso2709([book(1)])), fileName: 'x', unitId: t.communeA1.id, policy: 'attach' }))).toMatchObject({ code: 'PERMISSION_DENIED' });
    expect(await count(c, 'jobs')).toBe(0);
  });

  it('stops a gzip bomb with a clear error, keeping nothing half-written', async () => {
    const files: MarcFiles = { inspect: inspectMarcFile, prepared: (path, o, ctx) => preparedInProcess(path, { ...o, limits: { maxDecompressedBytes: 1_000_000, maxRatio: 10 } }, ctx) };
    const service = new ImportService({ store: c.store, clock: c.clock, files, orgCode: 'LIENTHONG' });
    // 50 MB of one ISO 2709 digit run, gzipped to a few dozen KB.
    const bomb = gzipSync(Buffer.concat([Buffer.from('00050'), Buffer.alloc(50_000_000, 0x30)]));
    const { job } = await service.start(sys, { path: file('bomb.mrc.gz', bomb), fileName: 'bomb', unitId: t.prov.id, policy: 'attach' });
    const done = await service.run(job.id, { owner: 'test' });
    expect(done.status).toBe('failed');
    expect(JSON.parse(done.error!)).toMatchObject({ code: 'CATALOG_IMPORT_TOO_LARGE' });
    expect(await count(c, 'bib_records')).toBe(0);
  });

  it('keeps Vietnamese in NFC whatever the file had', async () => {
    const nfd = book(1, { title: 'Truyện Kiều /'.normalize('NFD') });
    const job = await importFile(file('nfd.xml', writeMarcXml([nfd])), t.prov.id);
    const [r] = await c.services.imports.results(job.id, { limit: 1 });
    const view = await c.services.catalog.get(r!.recordId!);
    expect(view.record.title).toBe('Truyện Kiều'.normalize('NFC'));
    expect(view.record.marc).toBe(view.record.marc.normalize('NFC'));
  });

  describe('export', () => {
    beforeEach(async () => {
      await importFile(
        file('a.mrc', writeIso2709([book(1, { ctrl: ['VN-KG', '11'], barcodes: [['COMM-A1', 'E-1']] }), book(2, { barcodes: [['COMM-B1', 'E-2']] }), book(3, { barcodes: [['COMM-A2', 'E-3'], ['COMM-B1', 'E-4']] })])),
        t.prov.id,
      );
    });

    const collect = async (gen: AsyncIterable<Uint8Array>) => {
      const parts: Uint8Array[] = [];
      for await (const p of gen) parts.push(p);
      return Buffer.concat(parts);
    };

    it('writes ISO 2709 with our number in 001/003, the old one in 035, and 952 holdings', async () => {
      const bytes = await collect(c.services.exports.stream('iso2709', {}));
      const records = parseIso2709(new Uint8Array(bytes));
      expect(records).toHaveLength(3);
      const first = records[0]!;
      const ids = (await c.services.catalog.list({ limit: 10 })).map((r) => r.id);
      expect(first.fields.find((f) => f.tag === '001')).toEqual({ tag: '001', value: String(ids[0]) });
      expect(first.fields.find((f) => f.tag === '003')).toEqual({ tag: '003', value: 'LIENTHONG' });
      expect(first.fields.filter((f) => f.tag === '035')).toEqual([{ tag: '035', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '(VN-KG)11' }] }]);
      expect(first.fields.filter((f) => f.tag === '952').map((f) => 'subfields' in f && f.subfields.find((s) => s.code === 'p')?.value)).toEqual(['E-1']);
      // What we export comes back as the same records: re-importing matches every one.
      const back = await importFile(file('back.mrc', bytes), t.prov.id);
      expect(back.summary).toMatchObject({ read: 3, matched: 3, created: 0, itemsAdded: 0 });
      expect((await c.services.imports.results(back.id, { limit: 3 })).map((r) => r.matchedOn)).toEqual(['ctrl', 'ctrl', 'ctrl']);
    });

    it('exports one library’s holdings: only records it holds, with its items only', async () => {
      const xml = (await collect(c.services.exports.stream('marcxml', { unitId: t.distB.id }))).toString('utf8');
      expect(xml.startsWith('<?xml')).toBe(true);
      const records = parseMarcXml(xml);
      expect(records).toHaveLength(2);
      const barcodes = records.map((r) => r.fields.filter((f) => f.tag === '952').map((f) => ('subfields' in f ? f.subfields.find((s) => s.code === 'p')?.value : '')));
      expect(barcodes).toEqual([['E-2'], ['E-4']]);
    });

    it('writes MARC-in-JSON lines and CSV', async () => {
      const json = (await collect(c.services.exports.stream('json', { holdings: 'none' }))).toString('utf8');
      const lines = json.trim().split('\n');
      expect(lines).toHaveLength(3);
      expect(readMarcJson(lines[0]!)[0]).toMatchObject({ ok: true });
      expect(json).not.toContain('"952"');
      const csv = (await collect(c.services.exports.stream('csv', {}))).toString('utf8');
      const rows = csv.replace(/^\uFEFF/, '').trim().split('\n');
      expect(rows[0]).toBe('id,title,responsibility,authors,publisher,place,year,edition,isbn,issn,language,material_type,classification,call_number,subjects,items,barcodes,updated_at');
      expect(rows).toHaveLength(4);
      expect(rows[3]).toContain('Lịch sử Kiên Giang tập 3');
      expect(rows[3]).toContain('E-3 | E-4');
    });

    it('needs catalog.export', async () => {
      expect(await codeOf(c.services.exports.authorize(actors.commlib, { unitId: t.communeB1.id }))).toMatchObject({ code: 'PERMISSION_DENIED' });
      await expect(c.services.exports.authorize(actors.commlib, { unitId: t.communeA1.id })).resolves.toBeUndefined();
      expect(await codeOf(c.services.exports.stream('pdf' as never, {}).next())).toMatchObject({ code: 'CATALOG_EXPORT_FORMAT' });
    });
  });
});
