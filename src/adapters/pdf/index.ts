/**
 * `PdfTools` on pdf.js in worker threads (see `pdf-handle.ts` for the limits and `pdf-worker.ts`
 * for how a file of any size is read in bounded memory).
 *
 * Each port call works on its own, but opening a PDF (a worker, pdf.js, the cross-reference
 * table) costs far more than a page, and the digital library asks for a book's pages one call at
 * a time (a render for the viewer, the text layer, a render for OCR). So the tools keep the PDFs
 * they opened in a small pool: a call takes an idle handle for the same file and limits, or opens
 * one; at most `maxOpen` handles (one per core by default) exist at once, several for the same
 * file when calls come in parallel; a handle idle for `idleMs` is closed. Idle workers do not keep
 * the process alive. A file changed on disk (size or modification time) is opened afresh.
 */
import { availableParallelism } from 'node:os';
import { stat } from 'node:fs/promises';
import type { MediaLimits, PageText, PdfInfo, PdfTools } from '../../app/digital/media.js';
import { openPdf, type PdfHandle } from './pdf-handle.js';

export { openPdf, type PdfHandle } from './pdf-handle.js';

export interface PdfToolsOptions {
  /** Most PDF workers open at once (default: the number of cores). */
  maxOpen?: number;
  /** How long an unused handle stays open (default 10 s). */
  idleMs?: number;
}

export interface PooledPdfTools extends PdfTools {
  /** Closes every open handle (waiting for their requests). */
  close(): Promise<void>;
}

interface Entry {
  key: string;
  handle: PdfHandle;
  busy: boolean;
  timer?: NodeJS.Timeout;
}

export function createPdfTools(opts: PdfToolsOptions = {}): PooledPdfTools {
  const maxOpen = Math.max(1, opts.maxOpen ?? availableParallelism());
  const idleMs = opts.idleMs ?? 10_000;
  const entries: Entry[] = [];
  /** Calls waiting for a free place in the pool. */
  const waiters: (() => void)[] = [];
  let opening = 0;

  const wake = () => waiters.shift()?.();

  const drop = (e: Entry) => {
    const at = entries.indexOf(e);
    if (at >= 0) entries.splice(at, 1);
    clearTimeout(e.timer);
    void e.handle.close().catch(() => {});
  };

  async function acquire(path: string, limits: MediaLimits): Promise<Entry> {
    const s = await stat(path);
    const key = JSON.stringify([path, s.size, s.mtimeMs, limits]);
    for (;;) {
      const idle = entries.find((e) => !e.busy && e.key === key);
      if (idle) {
        clearTimeout(idle.timer);
        idle.busy = true;
        return idle;
      }
      if (entries.length + opening >= maxOpen) {
        // Full: make room by closing an idle handle of another file, or wait for one.
        const other = entries.find((e) => !e.busy);
        if (other) drop(other);
        else {
          await new Promise<void>((r) => waiters.push(r));
          continue;
        }
      }
      opening++;
      try {
        const handle = await openPdf(path, limits);
        const e: Entry = { key, handle, busy: true };
        entries.push(e);
        return e;
      } finally {
        opening--;
        // A failed opening frees its place for someone waiting.
        wake();
      }
    }
  }

  function release(e: Entry): void {
    e.busy = false;
    e.timer = setTimeout(() => drop(e), idleMs);
    e.timer.unref();
    wake();
  }

  async function use<T>(path: string, limits: MediaLimits, f: (h: PdfHandle) => Promise<T>): Promise<T> {
    const e = await acquire(path, limits);
    try {
      return await f(e.handle);
    } finally {
      release(e);
    }
  }

  return {
    info: (path: string, limits: MediaLimits): Promise<PdfInfo> => use(path, limits, (h) => h.info()),
    pageText: (path: string, page: number, width: number, limits: MediaLimits): Promise<PageText | undefined> => use(path, limits, (h) => h.pageText(page, width)),
    renderPage: (path: string, page: number, dpi: number, out: string, limits: MediaLimits) => use(path, limits, (h) => h.renderPage(page, dpi, out)),
    async close() {
      const all = entries.splice(0);
      await Promise.all(
        all.map(async (e) => {
          clearTimeout(e.timer);
          await e.handle.close();
        }),
      );
    },
  };
}
