/**
 * Benchmark `ocr`: our OCR engines on printed Vietnamese pages against the native tesseract
 * command line, on the same pages, on the same machine.
 *
 * The pages: N A4 pages scanned at 300 dpi (2,480 × 3,508 px, grey PNG), 30 lines each of
 * Vietnamese prose with every tone mark (see `bench/ocr/pages.ts`), so the true text is known.
 * N = 2 at `small`, 40 at `full`. Measured:
 *   (a) the reference: `tesseract page.png stdout -l vie`, one page at a time, single-threaded
 *       (`OMP_THREAD_LIMIT=1`): seconds per page and pages per minute of one core;
 *   (b) the same command with tesseract's default threads (OpenMP on every core), one page at a
 *       time: what running it by hand gives;
 *   (c) ours, `createOcrEngine()` (the native binary when installed), all pages handed over at
 *       once, so it reads `parallel` (= cores) at a time: pages per minute of the machine;
 *   (d) ours on tesseract.js (WebAssembly), `parallel` workers (at `full` on fewer pages: it is
 *       several times slower; said in the output).
 * Each has its character error rate (CER) against the true text. The pages are run in rounds
 * that take turns, so drift on a busy machine touches every contender alike. Reported: pages per
 * minute, core-seconds per page, CER mean and worst, and ours ÷ reference.
 *
 * Without tesseract installed, the reference is skipped (said in the output; exit 0) unless
 * `LIENTHONG_REQUIRE_REFERENCE=1`.
 *
 * `runPdf` (benchmark `ocr-pdf`, or `--pdf` when this file is run directly) ingests a scanned
 * PDF: 300 pages at `full` (6 at `small`) written by `bench/ocr/pdf-writer.ts`, each page through
 * `PdfTools.pageText` (no layer: a scan), `PdfTools.renderPage` at 300 dpi and OCR, `parallel`
 * pages at a time as the digital library does, against the ideal of pages × the reference's time
 * per page ÷ cores.
 *
 *     npm run bench -- ocr [--size small|full]
 *     npx tsx bench/ocr.ts [--size small|full] [--pdf]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { OcrEngine } from '../src/app/digital/media.js';
import { DEFAULT_MEDIA_LIMITS } from '../src/app/digital/media.js';
import { createOcrEngine } from '../src/adapters/ocr/index.js';
import { detectNativeTesseract, type NativeTesseractInfo } from '../src/adapters/ocr/native.js';
import { TesseractJs } from '../src/adapters/ocr/wasm.js';
import { createPdfTools } from '../src/adapters/pdf/index.js';
import { characterErrorRate } from '../src/codecs/ocr/cer.js';
import { BenchFailure, SIZES, type BenchContext, type Size } from './lib/context.js';
import { formatTable, machine, writeResult } from './lib/measure.js';
import { A4_300DPI, generatePages, renderPageJpeg, renderPagePng, type GeneratedPage } from './ocr/pages.js';
import { PdfWriter, scannedPage } from './ocr/pdf-writer.js';
import { childCpuSeconds, inPool, ownCpuSeconds, runTesseractCli } from './ocr/reference.js';

const PLANS: Record<Size, { pages: number; wasmPages: number; rounds: number; pdfPages: number; pdfDistinct: number; pdfReference: number }> = {
  small: { pages: 2, wasmPages: 2, rounds: 1, pdfPages: 6, pdfDistinct: 3, pdfReference: 2 },
  full: { pages: 40, wasmPages: 12, rounds: 4, pdfPages: 300, pdfDistinct: 20, pdfReference: 6 },
};

const SEED = 2025;

interface Row {
  key: string;
  label: string;
  pages: number;
  /** Wall-clock seconds for all pages. */
  seconds: number;
  /** Pages read at once. */
  parallel: number;
  /** CPU seconds (ours and our children's) for all pages. */
  cpu: number;
  cer: number[];
}

/** CPU seconds used so far by this process and its finished children. */
const cpuNow = () => childCpuSeconds() + ownCpuSeconds();

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const mean = (xs: readonly number[]) => (xs.length ? sum(xs) / xs.length : NaN);
const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '–');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '–');
const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(2)}%` : '–');
const perMinute = (r: Row) => (60 * r.pages) / r.seconds;
/** Pages per minute were every one of its `parallel` lanes a free core: from CPU time, not wall time. */
const perMinuteOnFreeCores = (r: Row) => (60 * r.pages * r.parallel) / r.cpu;

async function renderAll(pages: readonly GeneratedPage[], dir: string): Promise<string[]> {
  return inPool(pages, availableParallelism(), async (p, i) => {
    const file = join(dir, `page-${String(i + 1).padStart(3, '0')}.png`);
    await renderPagePng(p.lines, file);
    return file;
  });
}

/** The reference's presence, or why it is missing (a failure when it is required). */
async function reference(ctx: BenchContext): Promise<NativeTesseractInfo | undefined> {
  const info = await detectNativeTesseract();
  const usable = info?.languages.includes('vie');
  if (usable) return info;
  const why = info ? `tesseract ${info.version} has no Vietnamese data (tesseract-ocr-vie)` : 'tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-vie)';
  if (process.env.LIENTHONG_REQUIRE_REFERENCE === '1') throw new BenchFailure(`the reference is required (LIENTHONG_REQUIRE_REFERENCE=1) but ${why}`);
  ctx.log(`Reference skipped: ${why}.`);
  return undefined;
}

/** Reads `files` with `engine`, all handed over at once; wall seconds and each page's CER. */
async function throughEngine(engine: OcrEngine, files: readonly string[], truth: readonly GeneratedPage[]): Promise<{ seconds: number; cer: number[] }> {
  const t0 = performance.now();
  const read = await Promise.all(files.map((f) => engine.recognize(f, ['vie'])));
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, cer: read.map((r, i) => characterErrorRate(r.text, truth[i]!.text)) };
}

export async function run(ctx: BenchContext): Promise<void> {
  const plan = PLANS[ctx.size];
  const cores = availableParallelism();
  const dir = mkdtempSync(join(tmpdir(), 'lienthong-bench-ocr-'));
  const engines: OcrEngine[] = [];
  try {
    const native = await reference(ctx);
    const load0 = loadavg().map((x) => x.toFixed(1)).join(' ');
    ctx.log(`Rendering ${plan.pages} A4 pages at 300 dpi (${A4_300DPI.width} × ${A4_300DPI.height} px, ${A4_300DPI.lines} lines of Vietnamese) …`);
    const truth = generatePages(plan.pages, { seed: SEED });
    const files = await renderAll(truth, dir);

    const ours = await createOcrEngine();
    engines.push(ours);
    const wasm = ours.name === 'tesseract.js' ? ours : new TesseractJs();
    if (wasm !== ours) engines.push(wasm);
    ctx.log(`Ours: ${ours.name}, ${ours.parallel} pages at once; tesseract.js: ${wasm.parallel} workers; ${cores} cores.`);

    const rows = new Map<string, Row>();
    const row = (key: string, label: string, parallel: number) => rows.get(key) ?? rows.set(key, { key, label, pages: 0, seconds: 0, parallel, cpu: 0, cer: [] }).get(key)!;
    const refRow = native && row('reference', 'tesseract CLI, 1 thread, one page at a time (reference)', 1);
    const defRow = native && row('cli-default', 'tesseract CLI, default threads, one page at a time', 1);
    const ourRow = ours !== wasm ? row('ours', `ours: ${ours.name}, ${ours.parallel} processes`, ours.parallel) : undefined;
    const wasmRow = row('wasm', `ours: tesseract.js, ${wasm.parallel} workers`, wasm.parallel);

    // Warm-up, untimed: the first run of each reads its model from disk; tesseract.js also starts
    // its workers (their start-up is reported apart).
    ctx.log('Warming up …');
    if (native) await runTesseractCli(files[0]!, { threads: 1 });
    if (ourRow) await ours.recognize(files[0]!, ['vie']);
    const w0 = performance.now();
    await Promise.all(Array.from({ length: wasm.parallel }, () => wasm.recognize(files[0]!, ['vie'])));
    const wasmStartSeconds = (performance.now() - w0) / 1000;

    type Contender = { key: string; row: Row; go: (chunk: string[], truthChunk: GeneratedPage[]) => Promise<void> };
    const contenders: Contender[] = [];
    if (refRow) {
      contenders.push({
        key: 'reference',
        row: refRow,
        go: async (chunk, t) => {
          for (const [i, f] of chunk.entries()) {
            const r = await runTesseractCli(f, { threads: 1 });
            refRow.seconds += r.ms / 1000;
            refRow.pages++;
            refRow.cer.push(characterErrorRate(r.text, t[i]!.text));
          }
        },
      });
    }
    if (defRow) {
      contenders.push({
        key: 'cli-default',
        row: defRow,
        go: async (chunk, t) => {
          for (const [i, f] of chunk.entries()) {
            const r = await runTesseractCli(f, { threads: 'default' });
            defRow.seconds += r.ms / 1000;
            defRow.pages++;
            defRow.cer.push(characterErrorRate(r.text, t[i]!.text));
          }
        },
      });
    }
    if (ourRow) {
      contenders.push({
        key: 'ours',
        row: ourRow,
        go: async (chunk, t) => {
          const r = await throughEngine(ours, chunk, t);
          ourRow.seconds += r.seconds;
          ourRow.pages += chunk.length;
          ourRow.cer.push(...r.cer);
        },
      });
    }
    const wasmEvery = Math.max(1, Math.round(plan.pages / plan.wasmPages));
    contenders.push({
      key: 'wasm',
      row: wasmRow,
      go: async (chunk, t) => {
        // On a sample of the pages at `full`: every k-th page.
        const pick = chunk.map((f, i) => [f, t[i]!] as const).filter((_, i) => i % wasmEvery === 0);
        const r = await throughEngine(
          wasm,
          pick.map((p) => p[0]),
          pick.map((p) => p[1]),
        );
        wasmRow.seconds += r.seconds;
        wasmRow.pages += pick.length;
        wasmRow.cer.push(...r.cer);
      },
    });

    const per = Math.ceil(plan.pages / plan.rounds);
    for (let round = 0; round < plan.rounds; round++) {
      const chunk = files.slice(round * per, (round + 1) * per);
      const t = truth.slice(round * per, (round + 1) * per);
      if (!chunk.length) break;
      ctx.log(`Round ${round + 1}/${plan.rounds}: ${chunk.length} pages …`);
      for (let k = 0; k < contenders.length; k++) {
        const c = contenders[(round + k) % contenders.length]!;
        const cpu0 = cpuNow();
        await c.go(chunk, t);
        c.row.cpu += cpuNow() - cpu0;
      }
    }

    const ref = rows.get('reference');
    const table = [...rows.values()].map((r) => {
      const ppm = perMinute(r);
      return [
        r.label,
        String(r.pages),
        f1(ppm),
        ref ? `${f2(ppm / perMinute(ref))}×` : '–',
        f2(r.cpu / r.pages),
        f1(perMinuteOnFreeCores(r)),
        ref ? `${f2(perMinuteOnFreeCores(r) / perMinuteOnFreeCores(ref))}×` : '–',
        pct(mean(r.cer)),
        pct(Math.max(...r.cer)),
      ];
    });
    const header = ['engine', 'pages', 'pages/min', '÷ reference', 'CPU-s/page', 'pages/min, free cores', '÷ reference', 'CER mean', 'CER worst'];
    ctx.log('');
    ctx.log(formatTable(header, table));
    ctx.log('');
    ctx.log(`| ${header.join(' | ')} |`);
    ctx.log(`|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
    for (const r of table) ctx.log(`| ${r.join(' | ')} |`);
    ctx.log('');
    ctx.log(
      'pages/min: wall clock. CPU-s/page: CPU time (user + system, children included) per page. "Free cores": pages/min were each ' +
        'lane a core of its own (parallel × 60 ÷ CPU-s/page), which wall time on a shared machine does not show.',
    );
    ctx.log(`Load average during the run: ${load0} at the start, ${loadavg().map((x) => x.toFixed(1)).join(' ')} at the end, on ${cores} cores.`);
    if (ref) ctx.log(`Reference: ${f2(ref.seconds / ref.pages)} s per page (wall) on one core, ${f2(ref.cpu / ref.pages)} CPU-s, ${f1(perMinute(ref))} pages/min.`);
    if (ourRow && ref) {
      ctx.log(
        `Ours ÷ native: ${f2(perMinute(ourRow) / perMinute(ref))}× the pages per minute of one single-threaded tesseract by the wall clock ` +
          `(${ours.parallel} processes on ${cores} cores: ${f2(perMinute(ourRow) / perMinute(ref) / ours.parallel)} of linear scaling); ` +
          `${f2(ref.cpu / ref.pages / (ourRow.cpu / ourRow.pages))}× its pages per CPU-second.`,
      );
    }
    ctx.log(`tesseract.js: ${wasmRow.pages} of ${plan.pages} pages${wasmRow.pages < plan.pages ? ' (a sample: it is slow)' : ''}; its ${wasm.parallel} workers took ${f1(wasmStartSeconds)} s to start and read a first page.`);
    const file = writeResult(ctx.outDir, 'ocr', {
      benchmark: 'ocr',
      size: ctx.size,
      machine: machine(),
      tesseract: native ? { version: native.version, path: native.path } : null,
      pages: plan.pages,
      page: { width: A4_300DPI.width, height: A4_300DPI.height, lines: A4_300DPI.lines },
      wasmStartSeconds,
      loadAverage: { start: load0, end: loadavg() },
      rows: [...rows.values()].map((r) => ({
        key: r.key,
        label: r.label,
        pages: r.pages,
        seconds: r.seconds,
        cpuSeconds: r.cpu,
        parallel: r.parallel,
        pagesPerMinute: perMinute(r),
        pagesPerMinuteOnFreeCores: perMinuteOnFreeCores(r),
        cerMean: mean(r.cer),
        cerMax: Math.max(...r.cer),
      })),
    });
    ctx.log(`result: ${file}`);
  } finally {
    for (const e of engines) await e.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runPdf(ctx: BenchContext): Promise<void> {
  const plan = PLANS[ctx.size];
  const cores = availableParallelism();
  const dir = mkdtempSync(join(tmpdir(), 'lienthong-bench-ocr-pdf-'));
  const tools = createPdfTools();
  let engine: OcrEngine | undefined;
  try {
    const native = await reference(ctx);
    const distinct = generatePages(plan.pdfDistinct, { seed: SEED + 1 });
    ctx.log(`Writing a ${plan.pdfPages}-page scanned PDF (A4, 300 dpi grey JPEG; ${plan.pdfDistinct} distinct pages) …`);
    const jpegs = await inPool(distinct, cores, (p) => renderPageJpeg(p.lines));
    const pdfPath = join(dir, 'scan.pdf');
    const w = await PdfWriter.open(pdfPath);
    for (let i = 0; i < plan.pdfPages; i++) await w.addPage(scannedPage(jpegs[i % jpegs.length]!, { widthPx: A4_300DPI.width, heightPx: A4_300DPI.height }));
    await w.close();
    const bytes = statSync(pdfPath).size;

    // The ideal: every page read by the reference at its single-page speed, on every core.
    let refSeconds = NaN;
    let refCpu = NaN;
    if (native) {
      ctx.log(`Timing the reference on ${plan.pdfReference} of the pages …`);
      const pngs = await renderAll(distinct.slice(0, plan.pdfReference), dir);
      await runTesseractCli(pngs[0]!, { threads: 1 });
      const runs: number[] = [];
      const cpu0 = cpuNow();
      for (const f of pngs) runs.push((await runTesseractCli(f, { threads: 1 })).ms / 1000);
      refCpu = (cpuNow() - cpu0) / pngs.length;
      refSeconds = mean(runs);
    }

    engine = await createOcrEngine();
    const parallel = engine.parallel;
    ctx.log(`Ingesting with ${engine.name} (${parallel} pages at once) and PdfTools …`);
    const stage = { text: 0, render: 0, ocr: 0 };
    const cer: number[] = [];
    const ocr = engine;
    const t0 = performance.now();
    const cpu0 = cpuNow();
    const info = await tools.info(pdfPath, DEFAULT_MEDIA_LIMITS);
    const infoSeconds = (performance.now() - t0) / 1000;
    let done = 0;
    let lastLog = Date.now();
    await inPool(
      Array.from({ length: info.pages }, (_, i) => i),
      parallel,
      async (n) => {
        let t = performance.now();
        const layer = await tools.pageText(pdfPath, n, A4_300DPI.width, DEFAULT_MEDIA_LIMITS);
        stage.text += performance.now() - t;
        if (layer) throw new BenchFailure(`page ${n} of a scan has a text layer`);
        const png = join(dir, `render-${n}.png`);
        t = performance.now();
        await tools.renderPage(pdfPath, n, 300, png, DEFAULT_MEDIA_LIMITS);
        stage.render += performance.now() - t;
        t = performance.now();
        const read = await ocr.recognize(png, ['vie']);
        stage.ocr += performance.now() - t;
        await rm(png, { force: true });
        cer.push(characterErrorRate(read.text, distinct[n % distinct.length]!.text));
        done++;
        if (Date.now() - lastLog > 30_000) {
          lastLog = Date.now();
          ctx.log(`  ${done} / ${info.pages} pages …`);
        }
      },
    );
    const seconds = (performance.now() - t0) / 1000;
    const cpu = (cpuNow() - cpu0) / info.pages;
    const ideal = (info.pages * refSeconds) / cores;
    const ms = (x: number) => f1(x / info.pages);
    const header = ['PDF ingest', 'pages', 'seconds', 'pages/min', 'CER mean', 'CER worst', 'ideal ÷ ours'];
    const rowsOut = [
      [`ours: PdfTools + ${engine.name}, ${parallel} at once`, String(info.pages), f1(seconds), f1((60 * info.pages) / seconds), pct(mean(cer)), pct(Math.max(...cer)), native ? f2(ideal / seconds) : '–'],
      ...(native ? [[`ideal: ${info.pages} × ${f2(refSeconds)} s (reference, 1 page) ÷ ${cores} cores`, String(info.pages), f1(ideal), f1((60 * info.pages) / ideal), '', '', '1.00']] : []),
    ];
    ctx.log('');
    ctx.log(`${plan.pdfPages}-page scanned PDF, ${f1(bytes / 2 ** 20)} MiB; info() ${f2(infoSeconds)} s`);
    ctx.log(formatTable(header, rowsOut));
    ctx.log('');
    ctx.log(`| ${header.join(' | ')} |`);
    ctx.log(`|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
    for (const r of rowsOut) ctx.log(`| ${r.join(' | ')} |`);
    ctx.log('');
    ctx.log(`Per page, summed over the ${parallel} lanes: text layer ${ms(stage.text)} ms, render at 300 dpi ${ms(stage.render)} ms, OCR ${ms(stage.ocr)} ms.`);
    ctx.log(
      `CPU per page (user + system, workers and children included): ours ${f2(cpu)} s, the reference's OCR alone ${f2(refCpu)} s: ` +
        `on free cores ours would ingest at ${f2(refCpu / cpu)} of the ideal (${f1((60 * cores) / cpu)} pages/min on ${cores} cores).`,
    );
    ctx.log(`Load average during the run: ${loadavg().map((x) => x.toFixed(1)).join(' ')} at the end, on ${cores} cores.`);
    if (!native) ctx.log('No reference: the ideal needs the native tesseract.');
    const file = writeResult(ctx.outDir, 'ocr-pdf', {
      benchmark: 'ocr-pdf',
      size: ctx.size,
      machine: machine(),
      engine: engine.name,
      parallel,
      pages: info.pages,
      bytes,
      seconds,
      infoSeconds,
      referenceSecondsPerPage: refSeconds,
      referenceCpuSecondsPerPage: refCpu,
      cpuSecondsPerPage: cpu,
      loadAverage: loadavg(),
      idealSeconds: ideal,
      stageMsPerPage: { text: stage.text / info.pages, render: stage.render / info.pages, ocr: stage.ocr / info.pages },
      cerMean: mean(cer),
      cerMax: Math.max(...cer),
    });
    ctx.log(`result: ${file}`);
  } finally {
    await engine?.close();
    await tools.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// Run directly: `npx tsx bench/ocr.ts [--size small|full] [--pdf]`.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { size: { type: 'string', default: 'small' }, pdf: { type: 'boolean', default: false } } });
  if (!(SIZES as readonly string[]).includes(values.size)) {
    console.error(`--size must be one of ${SIZES.join(', ')}`);
    process.exit(1);
  }
  const ctx: BenchContext = {
    size: values.size as Size,
    dialects: [],
    outDir: join(dirname(fileURLToPath(import.meta.url)), 'out'),
    log: (line) => console.log(line),
    tempDatabase: () => Promise.reject(new Error('the OCR benchmark uses no database')),
  };
  (values.pdf ? runPdf : run)(ctx).then(
    () => process.exit(0),
    (e: unknown) => {
      console.error(e instanceof BenchFailure ? `bench ocr FAILED: ${e.message}` : e);
      process.exit(1);
    },
  );
}
