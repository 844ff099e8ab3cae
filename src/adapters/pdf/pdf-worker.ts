/**
 * The worker thread of `pdf-handle.ts`: opens one PDF with pdf.js and answers requests for it
 * (sizes, a page's text layer, a page rendered to PNG) one at a time.
 *
 * How memory stays bounded whatever the file's size: pdf.js never gets the file, only a range
 * transport (`PDFDataRangeTransport`) that reads the byte ranges it asks for from a file handle
 * when it asks (`disableAutoFetch`, `disableStream`: nothing is read ahead). pdf.js keeps what
 * it has read in one buffer as long as the file, but that buffer is allocated lazily by the
 * operating system (untouched pages of a zero-filled allocation take no memory), so only the
 * parts read cost memory: the cross-reference table, the page tree and the objects of the pages
 * asked for. Every answer reports how many bytes were read in all, and the handle starts a new
 * worker when that grows past its budget, so a long run over a 2 GB scan does not end up holding
 * all of it. The JS heap is capped by the worker's `resourceLimits`; native memory (decoded
 * streams, the canvas) is watched by the handle.
 *
 * pdf.js runs in this thread ("fake worker": `globalThis.pdfjsWorker` is set before the first
 * document), with eval off (no font code generated from the file), rendering through our
 * `@napi-rs/canvas` (pdf.js would otherwise load its own copy, whose `Path2D` our canvases do not
 * accept) and PNG written by sharp (an order of magnitude faster than the canvas's own encoder).
 */
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import * as napi from '@napi-rs/canvas';
import sharp from 'sharp';
import { MediaError } from '../../app/digital/media.js';
import { textLayerToPage, type TextRun, type TextStyle } from './text-layer.js';
import type { PdfRequest, PdfWorkerData, PdfWorkerMessage } from './pdf-handle.js';

const port = parentPort!;
const data = workerData as PdfWorkerData;
const post = (m: PdfWorkerMessage) => port.postMessage(m);

// pdf.js polyfills these from its own copy of @napi-rs/canvas when they are missing; ours must
// win, or the canvases we create reject its paths.
const g = globalThis as Record<string, unknown>;
g.Path2D = napi.Path2D;
g.DOMMatrix = napi.DOMMatrix;
g.ImageData = napi.ImageData;

/** pdf.js's canvas factory interface, on our @napi-rs/canvas. */
class CanvasFactory {
  constructor(_opts: unknown) {}
  create(width: number, height: number) {
    if (width <= 0 || height <= 0) throw new Error('Invalid canvas size');
    const canvas = napi.createCanvas(width, height);
    return { canvas, context: canvas.getContext('2d') };
  }
  reset(entry: { canvas: napi.Canvas }, width: number, height: number) {
    entry.canvas.width = width;
    entry.canvas.height = height;
  }
  destroy(entry: { canvas: napi.Canvas | null; context: unknown }) {
    if (entry.canvas) {
      entry.canvas.width = 0;
      entry.canvas.height = 0;
    }
    entry.canvas = null;
    entry.context = null;
  }
}

type PdfJs = typeof import('pdfjs-dist/legacy/build/pdf.mjs');
// `pdf-worker-dev.mjs` has loaded pdf.js already when this runs from source (see there).
const pdfjs = (g.lienthongPdfjs as PdfJs | undefined) ?? (await import('pdfjs-dist/legacy/build/pdf.mjs'));
// The package ships no types for its worker module: a specifier in a variable keeps it untyped.
const workerModule = 'pdfjs-dist/legacy/build/pdf.worker.mjs';
g.pdfjsWorker ??= await import(workerModule);
const dist = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));

let loaded = 0;
let fh: FileHandle;

/** Hands pdf.js the byte ranges it asks for, read from the file when asked. */
class FileRange extends pdfjs.PDFDataRangeTransport {
  override requestDataRange(begin: number, end: number): void {
    const length = Math.max(0, Math.min(end, data.size) - begin);
    const buf = Buffer.allocUnsafe(length);
    const read = async () => {
      let done = 0;
      while (done < length) {
        const { bytesRead } = await fh.read(buf, done, length - done, begin + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      loaded += done;
      this.onDataRange(begin, new Uint8Array(buf.buffer, buf.byteOffset, done));
    };
    read().catch((e: unknown) => fail(undefined, e));
  }
}

type Doc = Awaited<ReturnType<typeof pdfjs.getDocument>['promise']>;

/** A failure to write the output (a missing folder, a full disk): ours, not the PDF's. */
class OutputError extends Error {}

function describe(e: unknown): { code?: string; params?: Record<string, string | number>; message: string } {
  if (e instanceof MediaError) return { code: e.code, params: e.params, message: e.message };
  const message = e instanceof Error ? e.message : String(e);
  // Errors of the file system (the PDF vanished, the output cannot be written) say nothing about
  // the PDF: passed on as they are.
  const sys = (e as NodeJS.ErrnoException | undefined)?.code;
  if (e instanceof OutputError || (typeof sys === 'string' && /^E[A-Z]+$/u.test(sys))) return { message };
  // A buffer too large to allocate: a decompression bomb, or a page beyond what memory allows.
  if (e instanceof RangeError && /allocation|invalid (typed )?array length|buffer/iu.test(message)) return { code: 'MEDIA_TOO_COMPLEX', params: { reason: 'memory' }, message };
  const name = e instanceof Error ? e.name : '';
  if (name === 'PasswordException') return { code: 'MEDIA_CORRUPT', params: { reason: 'the PDF is protected by a password' }, message };
  return { code: 'MEDIA_CORRUPT', params: { reason: message.slice(0, 200) }, message };
}

function fail(id: number | undefined, e: unknown): void {
  post({ type: 'error', id, error: describe(e), loaded });
}

async function openDocument(): Promise<Doc> {
  const task = pdfjs.getDocument({
    range: new FileRange(data.size, null),
    rangeChunkSize: 1 << 16,
    disableAutoFetch: true,
    disableStream: true,
    isEvalSupported: false,
    // Images inside the PDF over the pixel limit are not decoded (pdf.js skips them).
    maxImageSize: data.maxPixels,
    standardFontDataUrl: join(dist, 'standard_fonts') + '/',
    cMapUrl: join(dist, 'cmaps') + '/',
    wasmUrl: join(dist, 'wasm') + '/',
    iccUrl: join(dist, 'iccs') + '/',
    CanvasFactory: CanvasFactory as never,
    verbosity: 0,
  });
  return task.promise;
}

async function withPage<T>(doc: Doc, n: number, f: (page: Awaited<ReturnType<Doc['getPage']>>) => Promise<T>): Promise<T> {
  if (!Number.isInteger(n) || n < 0 || n >= doc.numPages) throw new RangeError(`page ${n} of a ${doc.numPages}-page PDF (pages count from 0)`);
  const page = await doc.getPage(n + 1);
  try {
    return await f(page);
  } finally {
    // Drops the page's decoded images and fonts' caches: the next request starts lean.
    page.cleanup();
  }
}

async function handle(doc: Doc, r: PdfRequest): Promise<unknown> {
  switch (r.op) {
    case 'info': {
      const sizes: { width: number; height: number }[] = [];
      for (let n = 0; n < doc.numPages; n++) {
        sizes.push(
          await withPage(doc, n, async (page) => {
            const v = page.getViewport({ scale: 1 });
            return { width: Math.round(v.width * 100) / 100, height: Math.round(v.height * 100) / 100 };
          }),
        );
      }
      return { pages: doc.numPages, sizes };
    }
    case 'text':
      return withPage(doc, r.page, async (page) => {
        const base = page.getViewport({ scale: 1 });
        const viewport = page.getViewport({ scale: r.width / base.width });
        const content = await page.getTextContent();
        const runs = content.items.filter((i): i is (typeof content.items)[number] & TextRun => 'str' in i);
        return textLayerToPage(runs, content.styles as Record<string, TextStyle>, viewport) ?? null;
      });
    case 'render':
      return withPage(doc, r.page, async (page) => {
        const viewport = page.getViewport({ scale: r.dpi / 72 });
        // Rounded up, but not for the last bits of floating-point noise (841.92 pt at 300 dpi is
        // 3508 px, not 3509).
        const width = Math.ceil(viewport.width - 1e-6);
        const height = Math.ceil(viewport.height - 1e-6);
        if (!(width > 0 && height > 0) || width * height > data.maxPixels || Math.max(width, height) > data.maxSide) {
          throw new MediaError('MEDIA_TOO_MANY_PIXELS', { width, height, maxPixels: data.maxPixels, maxSide: data.maxSide });
        }
        const canvas = napi.createCanvas(width, height);
        try {
          await page.render({ canvas: canvas as never, viewport }).promise;
          // RGBA as the canvas holds it; the page is opaque (pdf.js paints it white first).
          const rgba = canvas.data();
          const temp = `${r.out}.${randomBytes(6).toString('hex')}.tmp`;
          try {
            await sharp(rgba, { raw: { width, height, channels: 4 } }).removeAlpha().png({ compressionLevel: 3 }).toFile(temp);
            await rename(temp, r.out);
          } catch (e) {
            await unlink(temp).catch(() => {});
            throw new OutputError(`cannot write ${r.out}: ${e instanceof Error ? e.message : String(e)}`);
          }
        } finally {
          // Frees the pixels now rather than at the next garbage collection.
          canvas.width = 0;
          canvas.height = 0;
        }
        return { width, height };
      });
  }
}

async function main(): Promise<void> {
  let doc: Doc;
  try {
    fh = await open(data.path, 'r');
    doc = await openDocument();
  } catch (e) {
    fail(undefined, e);
    await fh?.close().catch(() => {});
    port.close();
    return;
  }
  post({ type: 'opened', pages: doc.numPages, loaded });

  // One request at a time, in order: pdf.js could interleave them, but the time and memory
  // limits are per request.
  let chain = Promise.resolve();
  port.on('message', (r: PdfRequest | { op: 'close' }) => {
    if (r.op === 'close') {
      chain = chain.then(async () => {
        await doc.destroy().catch(() => {});
        await fh.close().catch(() => {});
        port.close();
      });
      return;
    }
    chain = chain.then(async () => {
      try {
        const value = await handle(doc, r);
        post({ type: 'result', id: r.id, value, loaded, heapUsed: process.memoryUsage().heapUsed });
      } catch (e) {
        fail(r.id, e);
      }
    });
  });
}

void main();
