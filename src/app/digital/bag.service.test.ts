import { afterAll, beforeAll, expect, it } from 'vitest';
import { createReadStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEachDialect, type TestDialect } from '../../../test/dialects.js';
import { treeEnv, type TreeEnv } from '../../../test/factories.js';
import { pageImage, processQueued, scriptedOcr, writePage } from '../../../test/digital.js';
import { codeOf, count } from '../../../test/expect.js';
import { nodeBagIo } from '../../adapters/files/bag-io.js';
import { readBag } from '../../codecs/bagit/read.js';
import { writeBag } from '../../codecs/bagit/write.js';
import { DC_ELEMENTS, type DublinCore } from '../../domain/digital/object.js';
import { systemActor } from '../actor.js';
import type { StoredDigitalObject } from '../ports.js';

/** One chunk of bytes as the stream a bag's payload file is read from. */
async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

const PAGE_TEXT = ['Địa chí Kiên Giang\nChương một', 'Hà Tiên & Rạch Giá\nChương hai'];

/** The Dublin Core elements of an oai_dc document, read with a strict pattern (and the document checked to be balanced). */
function parseDcXml(text: string): DublinCore {
  expect(text.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<oai_dc:dc ')).toBe(true);
  expect(text.trimEnd().endsWith('</oai_dc:dc>')).toBe(true);
  const body = text.slice(text.indexOf('>', text.indexOf('<oai_dc:dc')) + 1, text.lastIndexOf('</oai_dc:dc>'));
  const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  const dc: DublinCore = {};
  const element = /\s*<dc:([a-z]+)>([^<]*)<\/dc:\1>\s*/y;
  let end = 0;
  for (let m = element.exec(body); m; m = element.exec(body)) {
    end = element.lastIndex;
    const el = m[1] as (typeof DC_ELEMENTS)[number];
    expect(DC_ELEMENTS).toContain(el);
    // Only the five predefined entities, each complete.
    expect(m[2]).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
    (dc[el] ??= []).push(unescape(m[2]!));
  }
  // Nothing was left over that the pattern did not account for.
  expect(body.slice(end).trim()).toBe('');
  return dc;
}

describeEachDialect('BagService', (dialect: TestDialect) => {
  let e: TreeEnv;
  let dir: string;
  let bags = 0;
  let source: StoredDigitalObject;
  const sys = systemActor('test');
  const dc = {
    title: ['Địa chí Kiên Giang'],
    creator: ['Nhiều tác giả', 'Trương Minh Đạt'],
    subject: ['Kiên Giang', 'Địa chí'],
    description: ['Sách <địa chí> về vùng đất & con người'],
    date: ['2002'],
    language: ['vie'],
  };

  beforeAll(async () => {
    e = await treeEnv(dialect, { container: { ocr: async () => scriptedOcr(PAGE_TEXT) } });
    dir = await mkdtemp(join(tmpdir(), 'lt-bag-'));
    source = await e.c.services.digital.create(sys, { ownerUnitId: e.t.prov.id, dc, category: 'local', access: 'registered', licence: 'cc-by-sa', watermark: true, downloadable: false, ocrLanguages: 'vie+eng' });
    await upload(source.id, await writePage(dir, 'trang-1.png', ['Trang một']), 'trang-1.png');
    await upload(source.id, await writePage(dir, 'trang-2.jpg', ['Trang hai'], { format: 'jpeg' }), 'trang-2.jpg');
    expect(await processQueued(e.c)).toBe(1);
    source = await e.c.services.digital.get(source.id);
    expect(source).toMatchObject({ pageCount: 2, textPages: 2 });
  });
  afterAll(async () => {
    await e.env.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  async function upload(objectId: number, path: string, name: string) {
    const got = await e.c.services.digital.receive(createReadStream(path), name);
    return e.c.services.digital.addFile(sys, objectId, { tempPath: got.path, sha256: got.sha256, size: got.size, name });
  }
  const newBag = () => join(dir, `bag-${++bags}`);
  const read = (bag: string) => readBag(bag, { io: nodeBagIo });

  it('exports an object as a valid bag with its masters, text, ALTO and metadata', async () => {
    const bag = newBag();
    const written = await e.c.services.bags.exportObject(sys, source.id, bag);
    const r = await read(bag);
    expect(r.problems).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.files.map((f) => f.path)).toEqual([
      'alto/page-0001.xml',
      'alto/page-0002.xml',
      'files/0001-trang-1.png',
      'files/0002-trang-2.jpg',
      'metadata/dublin-core.xml',
      'metadata/object.json',
      'text/page-0001.txt',
      'text/page-0002.txt',
    ]);
    expect(written).toEqual({ files: 8, bytes: r.files.reduce((n, f) => n + f.size, 0) });
    expect(r.info).toMatchObject({ 'Source-Organization': ['Thư viện PROV'], 'External-Identifier': [`lienthong:digital:${source.id}`], 'External-Description': ['Địa chí Kiên Giang'] });

    // The masters are the stored files, byte for byte.
    const masters = await e.c.services.digital.files(source.id);
    expect(r.files.filter((f) => f.path.startsWith('files/')).map((f) => f.sha256)).toEqual(masters.map((m) => m.sha256));
    // Each page's text as read (the OCR reads pages in parallel, so either text may be either page's).
    const pages = await e.c.services.digital.pages(source.id);
    for (const p of pages) expect(await readFile(join(bag, 'data', 'text', `page-000${p.seq}.txt`), 'utf8')).toBe(p.text);
    expect(pages.map((p) => p.text).sort()).toEqual([...PAGE_TEXT].sort());
    // Each page's words in its ALTO file, escaped.
    for (const p of pages) {
      const alto = await readFile(join(bag, 'data', 'alto', `page-000${p.seq}.xml`), 'utf8');
      const words = [...alto.matchAll(/<String [^>]*CONTENT="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'));
      expect(words).toEqual(p.text!.split(/\s+/));
    }

    expect(parseDcXml(await readFile(join(bag, 'data', 'metadata', 'dublin-core.xml'), 'utf8'))).toEqual(dc);
    const json = JSON.parse(await readFile(join(bag, 'data', 'metadata', 'object.json'), 'utf8')) as Record<string, unknown>;
    expect(json).toMatchObject({ format: 'lienthong-digital-object/1', id: source.id, title: 'Địa chí Kiên Giang', dc, licence: 'cc-by-sa', access: 'registered', category: 'local', watermark: true, downloadable: false, ocrLanguages: 'vie+eng' });
    expect(json.files).toEqual(masters.map((m) => ({ path: `files/${String(m.seq).padStart(4, '0')}-${m.name}`, name: m.name, mediaType: m.mediaType, sha256: m.sha256, size: m.size, pages: 1 })));
    const audit = await e.c.store.audit.list({ action: 'digital.bag.export', limit: 10 });
    expect(audit.some((a) => a.targetId === String(source.id))).toBe(true);
  });

  it('imports its own bag into another library as a new object to check, storing no file twice', async () => {
    const bag = newBag();
    await e.c.services.bags.exportObject(sys, source.id, bag);
    const blobsBefore = await count(e.c, 'blobs');
    const { object, files } = await e.c.services.bags.importBag(e.actors.otherlib, bag, e.t.communeB1.id);
    expect(files).toBe(2);
    expect(object.id).not.toBe(source.id);
    expect(object).toMatchObject({ ownerUnitId: e.t.communeB1.id, dc, title: source.title, licence: 'cc-by-sa', access: 'registered', category: 'local', watermark: true, downloadable: false, ocrLanguages: 'vie+eng', state: 'qc', processing: 'queued', source: `bag:lienthong:digital:${source.id}` });
    expect(object.recordId).not.toBe(source.recordId);
    const copied = await e.c.services.digital.files(object.id);
    const original = await e.c.services.digital.files(source.id);
    expect(copied.map((f) => [f.seq, f.name, f.sha256, f.mediaType])).toEqual(original.map((f) => [f.seq, f.name, f.sha256, f.mediaType]));
    // Content-addressed: the same bytes are the same stored file.
    expect(await count(e.c, 'blobs')).toBe(blobsBefore);
    expect(await processQueued(e.c)).toBe(1);
    expect(await e.c.services.digital.pages(object.id)).toHaveLength(2);

    // Refused to a librarian of another library, before the bag is read.
    expect(await codeOf(e.c.services.bags.importBag(e.actors.otherlib, bag, e.t.communeA1.id))).toMatchObject({ code: 'PERMISSION_DENIED' });
  });

  it('exports a collection as one bag with a folder per object', async () => {
    const { digital, bags: bagService } = e.c.services;
    const col = await digital.createCollection(sys, { ownerUnitId: e.t.prov.id, code: 'dia-chi', nameVi: 'Địa chí' });
    const cur = await digital.get(source.id);
    await digital.update(sys, source.id, { collectionIds: [col.id], version: cur.version });
    const other = await digital.create(sys, { ownerUnitId: e.t.prov.id, dc: { title: 'Bản đồ Hà Tiên' }, collectionIds: [col.id] });
    await upload(other.id, await writePage(dir, 'ban-do.png', ['Bản đồ']), 'ban-do.png');
    // Not in the collection: not in its bag.
    await digital.create(sys, { ownerUnitId: e.t.prov.id, dc: { title: 'Ngoài bộ sưu tập' } });

    const bag = newBag();
    const written = await bagService.exportCollection(sys, 'dia-chi', bag);
    expect(written.objects).toBe(2);
    const r = await read(bag);
    expect(r.valid).toBe(true);
    expect(r.info).toMatchObject({ 'External-Identifier': ['lienthong:collection:dia-chi'], 'External-Description': ['Địa chí'] });
    const folders = [...new Set(r.files.map((f) => f.path.split('/')[0]))].sort();
    expect(folders).toEqual([String(source.id), String(other.id)].sort());
    expect(r.files.filter((f) => f.path.startsWith(`${other.id}/`)).map((f) => f.path)).toEqual([`${other.id}/files/0001-ban-do.png`, `${other.id}/metadata/dublin-core.xml`, `${other.id}/metadata/object.json`]);
    expect(r.files.filter((f) => f.path.startsWith(`${source.id}/`))).toHaveLength(8);
    expect(written.files).toBe(11);
    const json = JSON.parse(await readFile(join(bag, 'data', String(other.id), 'metadata', 'object.json'), 'utf8')) as { title: string; files: { path: string }[] };
    expect(json.title).toBe('Bản đồ Hà Tiên');
    expect(json.files.map((f) => f.path)).toEqual([`${other.id}/files/0001-ban-do.png`]);
  });

  it('refuses a bag changed after export, naming the problem, and creates nothing', async () => {
    const bag = newBag();
    await e.c.services.bags.exportObject(sys, source.id, bag);
    const path = join(bag, 'data', 'files', '0002-trang-2.jpg');
    const bytes = await readFile(path);
    const at = bytes.length >> 1;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);
    await writeFile(path, bytes);
    const before = { objects: await count(e.c, 'digital_objects'), files: await count(e.c, 'digital_files') };
    const got = await codeOf(e.c.services.bags.importBag(sys, bag, e.t.prov.id));
    expect(got.code).toBe('BAG_INVALID');
    expect(String(got.params.reason)).toContain('files/0002-trang-2.jpg');
    expect({ objects: await count(e.c, 'digital_objects'), files: await count(e.c, 'digital_files') }).toEqual(before);
  });

  it('refuses a bag whose object.json names a file that is not in the payload', async () => {
    const bag = newBag();
    const image = await pageImage(['Trang có thật'], { width: 400, height: 500 });
    const json = { format: 'lienthong-digital-object/1', id: 1, title: 'Thiếu tệp', dc: { title: ['Thiếu tệp'] }, files: [{ path: 'files/0001-mat.png', name: 'mat.png' }, { path: 'files/0002-co.png', name: 'co.png' }] };
    await writeBag(
      bag,
      [
        { path: 'files/0002-co.png', source: () => once(image) },
        { path: 'metadata/object.json', source: () => once(Buffer.from(JSON.stringify(json))) },
      ],
      { 'External-Identifier': 'lienthong:digital:1' },
      { io: nodeBagIo },
    );
    expect((await read(bag)).valid).toBe(true);
    const before = await count(e.c, 'digital_objects');
    const got = await codeOf(e.c.services.bags.importBag(sys, bag, e.t.prov.id));
    expect(got.code).toBe('BAG_INVALID');
    expect(String(got.params.reason)).toContain('files/0001-mat.png');
    expect(await count(e.c, 'digital_objects')).toBe(before);
  });

  it('imports a bag made elsewhere: titled from bag-info, its images as pages in name order', async () => {
    const bag = newBag();
    const [p1, p2] = await Promise.all([pageImage(['Gia phả trang 1'], { width: 500, height: 700 }), pageImage(['Gia phả trang 2'], { width: 500, height: 700, format: 'jpeg' })]);
    await writeBag(
      bag,
      [
        { path: 'scans/002.jpg', source: () => once(p2) },
        { path: 'scans/001.png', source: () => once(p1) },
        { path: 'README.txt', source: () => once(Buffer.from('Quét năm 2023.\n')) },
      ],
      { 'Source-Organization': 'Dòng họ Mạc', 'External-Description': 'Gia phả họ Mạc ở Hà Tiên', 'External-Identifier': 'hamac-001' },
      { io: nodeBagIo },
    );
    const { object, files } = await e.c.services.bags.importBag(sys, bag, e.t.distA.id);
    expect(files).toBe(2);
    expect(object).toMatchObject({ title: 'Gia phả họ Mạc ở Hà Tiên', dc: { title: ['Gia phả họ Mạc ở Hà Tiên'] }, ownerUnitId: e.t.distA.id, state: 'qc', source: 'bag:hamac-001' });
    expect((await e.c.services.digital.files(object.id)).map((f) => [f.seq, f.name, f.mediaType])).toEqual([
      [1, '001.png', 'image/png'],
      [2, '002.jpg', 'image/jpeg'],
    ]);
    await processQueued(e.c);
    expect((await e.c.services.digital.pages(object.id)).map((p) => [p.seq, p.width])).toEqual([
      [1, 500],
      [2, 500],
    ]);
  });

  it('describes a bag without object.json from its metadata/dublin-core.xml', async () => {
    const bag = newBag();
    const image = await pageImage(['Hương ước'], { width: 400, height: 500 });
    const xml = [
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/">',
      '  <dc:title xml:lang="vi">Hương ước làng &amp; xã</dc:title>',
      '  <dc:creator>Hội đồng kỳ mục</dc:creator>',
      '  <dc:subject>Hương ước</dc:subject>',
      '  <dc:subject>Làng xã &#8211; Nam Bộ</dc:subject>',
      '  <dc:date>1921</dc:date>',
      '</oai_dc:dc>',
      '',
    ].join('\n');
    await writeBag(
      bag,
      [
        { path: 'metadata/dublin-core.xml', source: () => once(Buffer.from(xml)) },
        { path: 'files/0001-huong-uoc.png', source: () => once(image) },
      ],
      { 'External-Description': 'Không phải tiêu đề này' },
      { io: nodeBagIo },
    );
    const { object } = await e.c.services.bags.importBag(sys, bag, e.t.prov.id);
    expect(object.dc).toEqual({ title: ['Hương ước làng & xã'], creator: ['Hội đồng kỳ mục'], subject: ['Hương ước', 'Làng xã – Nam Bộ'], date: ['1921'] });
    expect(object.title).toBe('Hương ước làng & xã');
    expect((await e.c.services.digital.files(object.id)).map((f) => f.name)).toEqual(['0001-huong-uoc.png']);
  });
});
