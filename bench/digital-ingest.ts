/**
 * `npm run bench -- digital-ingest [--size small|full]`: a scanned PDF (300 A4 pages at 300 dpi
 * at `full`, 6 at `small`) through the whole digital-library pipeline — stored by hash, measured,
 * an object created, then the `digital.process` job: each page rendered, its tile pyramid derived,
 * its text read by OCR, all stored, and the text put in the network search — until a query for a
 * word of the last page finds the document.
 *
 * The reference, in the same run: the native `tesseract` CLI reading single pages one at a time
 * (one thread). The goal is ingest time ≤ 1.2 × (pages × that single-page time ÷ cores): the
 * pipeline's rendering, tiling and storing must hide behind OCR on all cores.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { BenchFailure, type BenchContext } from './lib/context.js';
import { createContainer } from '../src/main/container.js';
import { systemActor } from '../src/app/actor.js';
import { DIGITAL_PROCESS_JOB } from '../src/app/digital/digital.service.js';
import { detectNativeTesseract } from '../src/adapters/ocr/native.js';
import { A4_300DPI, generatePages, renderPageJpeg, renderPagePng } from './ocr/pages.js';
import { PdfWriter, scannedPage } from './ocr/pdf-writer.js';
import { inPool, runTesseractCli } from './ocr/reference.js';
import { writeResult } from './lib/measure.js';

const PLANS = { small: { pages: 6, distinct: 3, reference: 2 }, full: { pages: 300, distinct: 20, reference: 6 } } as const;

const f1 = (n: number) => n.toFixed(1);

export async function run(ctx: BenchContext): Promise<void> {
  const plan = PLANS[ctx.size];
  const cores = availableParallelism();
  const dir = mkdtempSync(join(tmpdir(), 'lienthong-bench-ingest-'));
  const db = await ctx.tempDatabase('sqlite');
  try {
    const native = await detectNativeTesseract();
    if (!native?.languages.includes('vie')) {
      if (process.env.LIENTHONG_REQUIRE_REFERENCE === '1') throw new BenchFailure('the native tesseract with Vietnamese is required (LIENTHONG_REQUIRE_REFERENCE=1) but is not installed');
      ctx.log('Reference skipped: the native tesseract with Vietnamese is not installed (apt-get install tesseract-ocr tesseract-ocr-vie); measuring ours only, with tesseract.js.');
    }

    const distinct = generatePages(plan.distinct, { seed: 7 });
    ctx.log(`Writing a ${plan.pages}-page scanned PDF (A4, 300 dpi grey JPEG; ${plan.distinct} distinct pages) …`);
    const jpegs = await inPool(distinct, cores, (p) => renderPageJpeg(p.lines));
    const pdf = join(dir, 'scan.pdf');
    const w = await PdfWriter.open(pdf);
    for (let i = 0; i < plan.pages; i++) await w.addPage(scannedPage(jpegs[i % jpegs.length]!, { widthPx: A4_300DPI.width, heightPx: A4_300DPI.height }));
    await w.close();
    const bytes = statSync(pdf).size;

    let single = NaN;
    if (native) {
      ctx.log(`Timing the reference (tesseract CLI, one page at a time, one thread) on ${plan.reference} pages …`);
      const pngs: string[] = [];
      for (const [i, p] of distinct.slice(0, plan.reference).entries()) {
        const out = join(dir, `ref-${i}.png`);
        await renderPagePng(p.lines, out);
        pngs.push(out);
      }
      await runTesseractCli(pngs[0]!, { threads: 1 }); // warm the page cache
      let total = 0;
      for (const f of pngs) total += (await runTesseractCli(f, { threads: 1 })).ms / 1000;
      single = total / pngs.length;
    }

    const c = await createContainer({ databaseUrl: db.url, dataDir: join(dir, 'data'), ocr: 'native', argon2: { memoryCost: 1024, timeCost: 1 } });
    try {
      const sys = systemActor('bench');
      const root = await c.services.org.create(sys, { code: 'BENCH', nameVi: 'Thư viện thử', nameEn: 'Bench library', typeCode: 'network', parentId: null });
      ctx.log(`Ingesting through the pipeline (${cores} pages at once) …`);
      const t0 = performance.now();
      const stored = await c.services.digital.storeFile(pdf, 'scan.pdf');
      const o = await c.services.digital.createWithFiles(sys, { ownerUnitId: root.id, dc: { title: 'Tập quét thử' }, access: 'public', licence: 'cc-by', state: 'published', source: 'bench' }, [stored]);
      const [job] = (await c.store.jobs.findByDedupeKey(DIGITAL_PROCESS_JOB, `object:${o.id}`)).filter((j) => j.status === 'queued');
      const now = c.clock.now();
      const claimed = await c.store.jobs.claimById(job!.id, 'bench', new Date(now.getTime() + 3_600_000).toISOString(), now.toISOString());
      let last = Date.now();
      const timer = setInterval(() => {
        void c.store.jobs.get(job!.id).then((j) => {
          if (Date.now() - last > 20_000 && j) {
            last = Date.now();
            ctx.log(`  … ${Math.floor((j.progressDone ?? 0) / 2)} of ${plan.pages} pages`);
          }
        });
      }, 5_000);
      try {
        await c.processor.process(claimed!, 'bench');
      } finally {
        clearInterval(timer);
      }
      // Searchable: a word of the last page finds the document.
      const pages = await c.services.digital.pages(o.id);
      const lastText = pages.at(-1)?.text ?? '';
      const word = lastText.split(/\s+/u).find((x) => x.length >= 6) ?? '';
      const hit = (await c.services.search.search({ q: word, page: 1, pageSize: 5 })).results.some((r) => r.id === o.recordId);
      const seconds = (performance.now() - t0) / 1000;
      if (!hit) throw new BenchFailure(`the last page's word "${word}" does not find the document`);
      const withText = pages.filter((p) => p.textAt).length;
      if (withText !== plan.pages) throw new BenchFailure(`${withText} of ${plan.pages} pages have text`);
      const ideal = (plan.pages * single) / cores;
      const engine = pages[0]?.engine ?? '?';
      ctx.log('');
      ctx.log(`${plan.pages}-page scanned PDF (${f1(bytes / 2 ** 20)} MiB), ${cores} cores, OCR by ${engine}`);
      ctx.log('| | seconds | pages/min |');
      ctx.log('|---|---:|---:|');
      ctx.log(`| ours: stored, tiled, read, searchable | ${f1(seconds)} | ${f1((plan.pages / seconds) * 60)} |`);
      if (native) {
        ctx.log(`| reference: tesseract CLI, 1 page at a time | ${f1(single)} per page | ${f1(60 / single)} |`);
        ctx.log(`| goal: 1.2 × pages × single ÷ cores | ${f1(1.2 * ideal)} | |`);
        ctx.log('');
        ctx.log(`ours / (pages × single ÷ cores) = ${(seconds / ideal).toFixed(2)} (goal ≤ 1.20: ${seconds <= 1.2 * ideal ? 'met' : 'missed'})`);
      }
      const file = writeResult(ctx.outDir, 'digital-ingest', { benchmark: 'digital-ingest', size: ctx.size, pages: plan.pages, bytes, cores, engine, seconds, singlePageSeconds: single, ratio: seconds / ideal });
      ctx.log(`Saved ${file}`);
    } finally {
      await c.close();
    }
  } finally {
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
