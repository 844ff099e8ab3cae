/**
 * One PDF kept open in a worker thread (`pdf-worker.ts`) for several requests: its page sizes,
 * a page's text layer, a page rendered to PNG. Opening costs a worker start and pdf.js reading
 * the cross-reference table; keeping the document open makes each further page cost only the
 * page itself.
 *
 * Every request (and the opening) runs under the limits:
 * - time: past `pageTimeoutMs` the worker is terminated;
 * - memory: the worker's JS heap is capped at `pdfMemoryMb` by V8 (`resourceLimits`; running out
 *   ends the worker, not the process); memory outside the heap (decoded streams such as a
 *   FlateDecode bomb's, images, the canvas) is watched here: when the process's resident memory
 *   grows by more than `pdfMemoryMb` during the request, the worker is terminated. Resident memory
 *   is the process's, so heavy work running beside the PDF counts too: the check errs towards
 *   stopping a PDF, never towards letting the process run out of memory.
 * A terminated worker means `MediaError('MEDIA_TOO_COMPLEX')`; the next request starts a new one.
 * A file pdf.js cannot read, or one without pages, is `MEDIA_CORRUPT`; one with more pages than `maxPages` is
 * `MEDIA_TOO_MANY_PAGES`; a render larger than `maxPixels`/`maxSide` is `MEDIA_TOO_MANY_PIXELS`.
 *
 * The worker also reports how many bytes of the file it has read; past `readBudgetBytes` (half of
 * `pdfMemoryMb` by default) it is replaced before the next request, so that a long run through a
 * big file does not accumulate the whole file in memory (see `pdf-worker.ts`).
 *
 * The worker is `pdf-worker.js` next to this module when the project is built, or the TypeScript
 * source started through tsx by `pdf-worker-dev.mjs` otherwise.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { MEDIA_ERROR_CODES, MediaError, type MediaErrorCode, type MediaLimits, type PageText, type PdfInfo } from '../../app/digital/media.js';

export interface PdfWorkerData {
  path: string;
  size: number;
  maxPixels: number;
  maxSide: number;
}

export type PdfRequest =
  | { id: number; op: 'info' }
  | { id: number; op: 'text'; page: number; width: number }
  | { id: number; op: 'render'; page: number; dpi: number; out: string };

export interface PdfWorkerError {
  code?: string;
  params?: Record<string, string | number>;
  message: string;
}

export type PdfWorkerMessage =
  | { type: 'opened'; pages: number; loaded: number }
  | { type: 'result'; id: number; value: unknown; loaded: number; heapUsed: number }
  | { type: 'error'; id?: number; error: PdfWorkerError; loaded: number };

/** pdf.js keeps file offsets in a typed array as long as the file: 4 GiB is the most Node allows. */
const MAX_PDF_BYTES = 2 ** 32 - 1;
/** How often native memory is checked during a request. */
const MEMORY_POLL_MS = 50;

export interface PdfHandle {
  readonly path: string;
  readonly pages: number;
  /** Bytes of the file the current worker has read (what it holds of the file in memory). */
  readonly bytesRead: number;
  info(): Promise<PdfInfo>;
  /** See `PdfTools.pageText`. */
  pageText(page: number, width: number): Promise<PageText | undefined>;
  /** See `PdfTools.renderPage`. */
  renderPage(page: number, dpi: number, out: string): Promise<{ width: number; height: number }>;
  /** Stops the worker. */
  close(): Promise<void>;
}

export interface OpenPdfOptions {
  /** Bytes of the file one worker may read before it is replaced (default: half of `pdfMemoryMb`). */
  readBudgetBytes?: number;
}

function workerEntry(): URL {
  const js = new URL('./pdf-worker.js', import.meta.url);
  if (existsSync(fileURLToPath(js))) return js;
  return new URL('./pdf-worker-dev.mjs', import.meta.url);
}

function toError(e: PdfWorkerError): Error {
  if (e.code && (MEDIA_ERROR_CODES as readonly string[]).includes(e.code)) return new MediaError(e.code as MediaErrorCode, e.params ?? {}, e.message);
  return new Error(e.message);
}

interface Live {
  worker: Worker;
  /** Settles the request or opening in flight. */
  waiting?: { id: number | undefined; done: (m: PdfWorkerMessage) => void; fail: (e: Error) => void };
  /** Why the worker ended, once it has. */
  ended?: Error;
  loaded: number;
  heapUsed: number;
}

class WorkerPdf implements PdfHandle {
  readonly path: string;
  pages = 0;
  readonly #limits: MediaLimits;
  readonly #size: number;
  readonly #budget: number;
  #live: Live | undefined;
  #chain: Promise<unknown> = Promise.resolve();
  #nextId = 1;
  #closed = false;

  constructor(path: string, size: number, limits: MediaLimits, opts: OpenPdfOptions) {
    this.path = path;
    this.#size = size;
    this.#limits = limits;
    this.#budget = opts.readBudgetBytes ?? (limits.pdfMemoryMb * 2 ** 20) / 2;
  }

  /** Starts a worker and waits until it has opened the document. */
  private async start(): Promise<Live> {
    const data: PdfWorkerData = { path: this.path, size: this.#size, maxPixels: this.#limits.maxPixels, maxSide: this.#limits.maxSide };
    const worker = new Worker(workerEntry(), { workerData: data, resourceLimits: { maxOldGenerationSizeMb: this.#limits.pdfMemoryMb }, stdout: true, stderr: true });
    const live: Live = { worker, loaded: 0, heapUsed: 0 };
    // pdf.js's warnings about odd files are not ours to print.
    worker.stdout.resume();
    worker.stderr.resume();
    worker.on('message', (m: PdfWorkerMessage) => {
      const w = live.waiting;
      if (!w) return;
      if (m.type !== 'opened' && m.id !== w.id) return;
      live.waiting = undefined;
      if (m.type === 'error') w.fail(toError(m.error));
      else w.done(m);
    });
    const end = (e: Error) => {
      live.ended ??= e;
      const w = live.waiting;
      live.waiting = undefined;
      w?.fail(live.ended);
      if (this.#live === live) this.#live = undefined;
    };
    worker.on('error', (e: Error & { code?: string }) =>
      end(e.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new MediaError('MEDIA_TOO_COMPLEX', { reason: 'memory', limitMb: this.#limits.pdfMemoryMb }, e.message) : e),
    );
    worker.on('exit', () => end(new MediaError('MEDIA_TOO_COMPLEX', { reason: 'the PDF worker stopped' })));
    try {
      const opened = await this.#guard(live, undefined, () => undefined);
      if (opened.type !== 'opened') throw new Error('the PDF worker answered out of turn');
      if (opened.pages === 0) throw new MediaError('MEDIA_CORRUPT', { reason: 'the PDF has no pages' });
      if (opened.pages > this.#limits.maxPages) throw new MediaError('MEDIA_TOO_MANY_PAGES', { pages: opened.pages, maxPages: this.#limits.maxPages });
      this.pages = opened.pages;
      live.loaded = opened.loaded;
    } catch (e) {
      live.ended ??= e instanceof Error ? e : new Error(String(e));
      await worker.terminate();
      throw e;
    }
    worker.unref();
    return live;
  }

  /** Opens the document in a first worker. */
  async open(): Promise<void> {
    this.#live = await this.start();
  }

  /**
   * Sends `request` (none: waits for the opening) and waits for its answer under the time and
   * memory limits; past them, terminates the worker.
   */
  #guard(live: Live, id: number | undefined, send: () => void): Promise<PdfWorkerMessage> {
    return new Promise((done, fail) => {
      if (live.ended) {
        fail(live.ended);
        return;
      }
      const rss0 = process.memoryUsage.rss();
      const limit = this.#limits.pdfMemoryMb * 2 ** 20;
      const stop = (reason: Record<string, string | number>) => {
        live.ended ??= new MediaError('MEDIA_TOO_COMPLEX', reason);
        if (this.#live === live) this.#live = undefined;
        const w = live.waiting;
        live.waiting = undefined;
        w?.fail(live.ended);
        void live.worker.terminate();
      };
      const timer = setTimeout(() => stop({ reason: 'time', timeoutMs: this.#limits.pageTimeoutMs }), this.#limits.pageTimeoutMs);
      const poll = setInterval(() => {
        if (process.memoryUsage.rss() - rss0 > limit) stop({ reason: 'memory', limitMb: this.#limits.pdfMemoryMb });
      }, MEMORY_POLL_MS);
      const settle = () => {
        clearTimeout(timer);
        clearInterval(poll);
      };
      live.waiting = {
        id,
        done: (m) => {
          settle();
          done(m);
        },
        fail: (e) => {
          settle();
          fail(e);
        },
      };
      live.worker.ref();
      send();
    });
  }

  /** Runs one request, after the ones before it, on a live worker (starting one if needed). */
  #request<T>(make: (id: number) => PdfRequest): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.#closed) throw new Error(`the PDF ${this.path} is closed`);
      const live = this.#live ?? (this.#live = await this.start());
      const id = this.#nextId++;
      try {
        const m = await this.#guard(live, id, () => live.worker.postMessage(make(id)));
        if (m.type !== 'result') throw new Error('the PDF worker answered out of turn');
        live.loaded = m.loaded;
        live.heapUsed = m.heapUsed;
        // Replaced before the next request when it has read too much of the file or its heap
        // stays large (pdf.js's caches): see the module comment.
        if (live.loaded > this.#budget || live.heapUsed > 0.6 * this.#limits.pdfMemoryMb * 2 ** 20) this.#retire(live);
        return m.value as T;
      } finally {
        live.worker.unref();
      }
    };
    const p = this.#chain.then(run, run);
    this.#chain = p.catch(() => {});
    return p;
  }

  #retire(live: Live): void {
    if (this.#live === live) this.#live = undefined;
    live.ended ??= new Error('retired');
    live.worker.postMessage({ op: 'close' });
    // A worker that does not finish closing on its own is stopped.
    setTimeout(() => void live.worker.terminate(), 5000).unref();
  }

  #checkPage(page: number): void {
    if (!Number.isInteger(page) || page < 0 || page >= this.pages) throw new RangeError(`page ${page} of a ${this.pages}-page PDF (pages count from 0)`);
  }

  get bytesRead(): number {
    return this.#live?.loaded ?? 0;
  }

  info(): Promise<PdfInfo> {
    return this.#request<PdfInfo>((id) => ({ id, op: 'info' }));
  }

  async pageText(page: number, width: number): Promise<PageText | undefined> {
    this.#checkPage(page);
    if (!(width > 0)) throw new RangeError(`image width ${width}`);
    return (await this.#request<PageText | null>((id) => ({ id, op: 'text', page, width }))) ?? undefined;
  }

  async renderPage(page: number, dpi: number, out: string): Promise<{ width: number; height: number }> {
    this.#checkPage(page);
    if (!(dpi > 0)) throw new RangeError(`dpi ${dpi}`);
    return this.#request((id) => ({ id, op: 'render', page, dpi, out }));
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#chain;
    const live = this.#live;
    this.#live = undefined;
    if (live) await live.worker.terminate();
  }
}

/**
 * Opens `path` in a worker and checks it against the limits: `MEDIA_TOO_LARGE` (bytes),
 * `MEDIA_CORRUPT` (not a PDF pdf.js can read), `MEDIA_TOO_MANY_PAGES`, `MEDIA_TOO_COMPLEX`
 * (opening took too long or too much memory). `close()` the handle when done.
 */
export async function openPdf(path: string, limits: MediaLimits, opts: OpenPdfOptions = {}): Promise<PdfHandle> {
  const { size } = await stat(path);
  if (size > limits.maxBytes || size > MAX_PDF_BYTES) throw new MediaError('MEDIA_TOO_LARGE', { bytes: size, maxBytes: Math.min(limits.maxBytes, MAX_PDF_BYTES) });
  if (size === 0) throw new MediaError('MEDIA_CORRUPT', { reason: 'the file is empty' });
  const pdf = new WorkerPdf(path, size, limits, opts);
  await pdf.open();
  return pdf;
}
