import { afterAll, beforeAll, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReadStream } from 'node:fs';
import { describeEachDialect } from '../../../test/dialects.js';
import { treeEnv, type TreeEnv } from '../../../test/factories.js';
import { pageImage, processQueued, scriptedOcr } from '../../../test/digital.js';
import { scannedPage, textPage, writePdf } from '../../../bench/ocr/pdf-writer.js';
import { systemActor } from '../actor.js';

describeEachDialect('processing digital objects', (dialect) => {
  let e: TreeEnv;
  let dir: string;
  const sys = systemActor('test');
  const ocr = scriptedOcr('Trang quét đọc bằng OCR');

  beforeAll(async () => {
    e = await treeEnv(dialect, { container: { ocr: async () => ocr } });
    dir = await mkdtemp(join(tmpdir(), 'lt-proc-'));
  });
  afterAll(async () => {
    await e.env.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  const withFile = async (path: string, name: string, extra: Record<string, unknown> = {}) => {
    const { digital } = e.c.services;
    const o = await digital.create(sys, { ownerUnitId: e.t.prov.id, dc: { title: name }, ...extra });
    const got = await digital.receive(createReadStream(path), name);
    await digital.addFile(sys, o.id, { tempPath: got.path, sha256: got.sha256, size: got.size, name });
    await processQueued(e.c);
    return { object: await digital.get(o.id), pages: await digital.pages(o.id) };
  };

  it('uses a PDF’s own text layer, with word boxes at the scale of the page image', async () => {
    const path = join(dir, 'born-digital.pdf');
    await writePdf(path, [textPage(['Annual report of the provincial library', 'Reading rooms in every commune']), textPage(['Second page of the report'])]);
    const calls = ocr.calls;
    const { object, pages } = await withFile(path, 'born-digital.pdf');
    expect(object.processing).toBe('done');
    expect(pages).toHaveLength(2);
    expect(pages[0]).toMatchObject({ textSource: 'pdf', width: 2480 });
    expect(pages[0]!.text).toContain('Annual report of the provincial library');
    const words = await e.c.services.digital.words(pages[0]!.id);
    const annual = words.find((w) => w.text === 'Annual')!;
    // 72 pt margin at 300 dpi is 300 px from the left.
    expect(annual.x).toBeGreaterThan(250);
    expect(annual.x).toBeLessThan(350);
    expect(ocr.calls).toBe(calls);
  });

  it('reads a scanned PDF (images only) by OCR, and OCRs a text PDF when staff ask for it', async () => {
    const jpeg = await pageImage(['Trang quét'], { width: 1240, height: 1754, format: 'jpeg' });
    const path = join(dir, 'scan.pdf');
    await writePdf(path, [scannedPage(jpeg, { widthPx: 1240, heightPx: 1754, dpi: 150 }), scannedPage(jpeg, { widthPx: 1240, heightPx: 1754, dpi: 150 })]);
    const scan = await withFile(path, 'scan.pdf');
    expect(scan.pages.map((p) => p.textSource)).toEqual(['ocr', 'ocr']);
    expect(scan.pages[0]!.text).toBe('Trang quét đọc bằng OCR');
    // Rendered at 300 dpi: an A4 page at 150 dpi is 4 inches wide… the page box decides, not the image.
    expect(scan.pages[0]!.width).toBeGreaterThan(1000);

    const text = join(dir, 'forced.pdf');
    await writePdf(text, [textPage(['Printed text that staff want read again'])]);
    const forced = await withFile(text, 'forced.pdf', { forceOcr: true });
    expect(forced.pages[0]!.textSource).toBe('ocr');
  });

  it('keeps what it finished when a page fails, and finishes the rest when run again', async () => {
    const { digital } = e.c.services;
    const o = await digital.create(sys, { ownerUnitId: e.t.prov.id, dc: { title: 'Nhiều trang' } });
    for (const i of [1, 2, 3]) {
      const p = join(dir, `m${i}.png`);
      await writeFile(p, await pageImage([`Trang ${i}`]));
      const got = await digital.receive(createReadStream(p), `m${i}.png`);
      await digital.addFile(sys, o.id, { tempPath: got.path, sha256: got.sha256, size: got.size, name: `m${i}.png` });
    }
    // The first run's OCR fails: the pages it reached keep their images, the job fails.
    const [job] = (await e.c.store.jobs.findByDedupeKey('digital.process', `object:${o.id}`)).filter((j) => j.status === 'queued');
    const now = e.c.clock.now();
    const claimed = await e.c.store.jobs.claimById(job!.id, 'test', new Date(now.getTime() + 60_000).toISOString(), now.toISOString());
    const original = ocr.recognize;
    ocr.recognize = async () => Promise.reject(new Error('engine crashed'));
    await expect(e.c.processor.process(claimed!, 'test')).rejects.toMatchObject({ code: 'MEDIA_OCR_FAILED' });
    ocr.recognize = original;
    const half = await digital.pages(o.id);
    expect(half.some((p) => p.pyramidSha256)).toBe(true);
    expect(half.some((p) => p.textAt)).toBe(false);
    expect((await digital.get(o.id)).processing).toBe('failed');
    // Run again (as a retry would): the images are not derived again, the text is read.
    const pyramids = half.map((p) => p.pyramidSha256);
    await e.c.processor.process(claimed!, 'test');
    const done = await digital.pages(o.id);
    for (const [i, sha] of pyramids.entries()) if (sha) expect(done[i]!.pyramidSha256).toBe(sha);
    expect(done.every((p) => p.pyramidSha256)).toBe(true);
    expect(done.every((p) => p.textSource === 'ocr')).toBe(true);
    expect((await digital.get(o.id)).processing).toBe('done');
  });
});
