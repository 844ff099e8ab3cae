/**
 * The `digital.process` job: turns an object's master files into pages a reader can open and
 * search. For each page it derives the tiled pyramid the image server reads, then its text — the
 * PDF's own text layer when it is good and staff did not ask for OCR, otherwise OCR in the
 * object's languages, several pages at once up to what the OCR engine can use.
 *
 * Every step is stored as it finishes (a page's image, a page's text), so a job taken up again
 * after a crash, a timeout or a retry continues where the last one stopped.
 */
import { rm } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { AppError } from '../../domain/errors.js';
import type { Clock, DigitalPage, Job, Store, StoredDigitalObject } from '../ports.js';
import type { BlobStore, ImageTools, MediaLimits, OcrEngine, OcrLanguage, PageText, PdfTools } from './media.js';
import { mediaProblem } from './digital.service.js';

type PageImage = { path: string; page: number; temp?: string; name: string; pdf: boolean; source: string };

type PageTextRow = { text: string; words: PageText['words']; textSource: 'ocr' | 'pdf'; confidence: number; engine: string };

export interface ProcessingDeps {
  store: Store;
  clock: Clock;
  blobs: BlobStore;
  images: ImageTools;
  pdf: PdfTools;
  /** Opened on first use: starting an OCR engine costs time and memory. */
  ocr: () => Promise<OcrEngine>;
  limits: MediaLimits;
  /** Puts the object's text in the search index when it may be there. */
  syncFullText: (objectId: number) => Promise<void>;
  leaseMs?: number;
  /** Pages processed at once (default: the number of cores). */
  parallel?: number;
}

/** Resolution PDF pages are rendered at: enough for OCR and for zooming into print. */
export const PDF_RENDER_DPI = 300;

export class DigitalProcessor {
  readonly #d: ProcessingDeps;
  constructor(deps: ProcessingDeps) {
    this.#d = deps;
  }

  async process(job: Job, owner: string, signal?: AbortSignal): Promise<void> {
    const { store, clock } = this.#d;
    const objectId = Number(job.params.objectId);
    const o = await store.digital.getObject(objectId);
    const now = () => clock.now().toISOString();
    if (!o || o.status !== 'active') {
      await store.jobs.finish(job.id, owner, 'done', { summary: { skipped: 'deleted' } }, now());
      return;
    }
    await store.digital.setProcessing(objectId, 'running', null, now());
    let done = 0;
    const total = () => pages.length * 2;
    const report = async () => {
      const alive = await store.jobs.progress(job.id, owner, { checkpoint: done, progressDone: done, progressTotal: total(), summary: { objectId, pages: pages.length }, leaseUntil: new Date(clock.now().getTime() + (this.#d.leaseMs ?? 5 * 60_000)).toISOString() }, now());
      if (!alive || signal?.aborted) throw new Error('the job was cancelled or timed out');
    };
    let pages: DigitalPage[] = [];
    try {
      pages = await this.#layOutPages(o);
      await report();
      // Every page in one pass (its image read or rendered once, for tiles and for OCR), several
      // pages at once: as many as there are cores, which is also what the OCR engine can use.
      const languages: OcrLanguage[] = o.ocrLanguages === 'vie+eng' ? ['vie', 'eng'] : [o.ocrLanguages];
      let engine: Promise<OcrEngine> | undefined;
      const ocr = () => (engine ??= this.#d.ocr());
      const queue = [...pages];
      let failure: unknown;
      const worker = async () => {
        for (let p = queue.shift(); p && failure === undefined; p = queue.shift()) {
          try {
            await this.#page(o, p, languages, ocr);
            done += 2;
            await report();
          } catch (e) {
            failure ??= e;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.max(1, Math.min(this.#d.parallel ?? availableParallelism(), pages.length)) }, worker));
      if (failure !== undefined) throw failure;
      await store.digital.refreshCounts(objectId);
      await store.digital.setProcessing(objectId, 'done', null, now());
      await this.#d.syncFullText(objectId);
      await store.jobs.finish(job.id, owner, 'done', { summary: { objectId, pages: pages.length } }, now());
    } catch (e) {
      const problem = e instanceof AppError ? e : undefined;
      await store.digital.refreshCounts(objectId);
      await store.digital.setProcessing(objectId, 'failed', problem ? JSON.stringify({ code: problem.code, params: problem.params }) : e instanceof Error ? e.message : String(e), now());
      throw e;
    }
  }

  /** One page: its pyramid unless it has one, then its text unless it has some. */
  async #page(o: StoredDigitalObject, p: DigitalPage, languages: OcrLanguage[], ocr: () => Promise<OcrEngine>): Promise<void> {
    if (p.pyramidSha256 && p.textAt) return;
    let layer = !p.textAt ? await this.#textLayer(o, p) : undefined;
    if (p.pyramidSha256 && layer) {
      await this.#d.store.digital.setPageText(p.id, layer, this.#d.clock.now().toISOString());
      return;
    }
    const img = await this.#pageImage(p);
    try {
      let size = p.width && p.height ? { width: p.width, height: p.height } : undefined;
      if (!p.pyramidSha256) size = await this.#derivePyramid(p, img);
      if (!p.textAt) {
        layer ??= await this.#ocrPage(p, img, size!, languages, await ocr());
        await this.#d.store.digital.setPageText(p.id, layer, this.#d.clock.now().toISOString());
      }
    } finally {
      if (img.temp) await rm(img.temp, { force: true });
    }
  }

  /** One page per image, per TIFF page and per PDF page, files in order; kept when they already match. */
  async #layOutPages(o: StoredDigitalObject): Promise<DigitalPage[]> {
    const { store } = this.#d;
    const files = await store.digital.filesOf(o.id);
    const wanted: { seq: number; fileId: number; filePage: number; label: string | null }[] = [];
    for (const f of files) for (let i = 0; i < f.pages; i++) wanted.push({ seq: wanted.length + 1, fileId: f.id, filePage: i, label: null });
    const existing = await store.digital.pagesOf(o.id);
    const same = existing.length === wanted.length && existing.every((p, i) => p.fileId === wanted[i]!.fileId && p.filePage === wanted[i]!.filePage);
    if (same) return existing;
    return store.transaction((tx) => tx.digital.replacePages(o.id, wanted));
  }

  async #source(p: DigitalPage): Promise<{ path: string; pdf: boolean; name: string }> {
    const f = await this.#d.store.digital.getFile(p.fileId);
    if (!f) throw new AppError('DIGITAL_FILE_NOT_FOUND', { file: p.fileId });
    return { path: this.#d.blobs.pathOf(f.sha256), pdf: f.mediaType === 'application/pdf', name: f.name };
  }

  /** Renders a PDF page to a temporary PNG, or returns the image file itself. */
  async #pageImage(p: DigitalPage): Promise<PageImage> {
    const src = await this.#source(p);
    if (!src.pdf) return { path: src.path, page: p.filePage, name: src.name, pdf: false, source: src.path };
    const temp = this.#d.blobs.tempPath('.png');
    try {
      await this.#d.pdf.renderPage(src.path, p.filePage, PDF_RENDER_DPI, temp, this.#d.limits);
    } catch (e) {
      await rm(temp, { force: true });
      throw mediaProblem(e, src.name) ?? e;
    }
    return { path: temp, page: 0, temp, name: src.name, pdf: true, source: src.path };
  }

  async #derivePyramid(p: DigitalPage, img: PageImage): Promise<{ width: number; height: number }> {
    const out = this.#d.blobs.tempPath('.tif');
    try {
      const size = await this.#d.images.derivePyramid(img.path, img.page, out, this.#d.limits);
      const { sha256, size: bytes } = await this.#d.blobs.hashFile(out);
      await this.#d.blobs.adopt(out, sha256);
      await this.#d.store.transaction(async (tx) => {
        await tx.digital.putBlob({ sha256, size: bytes, mediaType: 'image/tiff' }, this.#d.clock.now().toISOString());
        await tx.digital.setPageImage(p.id, { width: size.width, height: size.height, pyramidSha256: sha256 });
      });
      return size;
    } catch (e) {
      throw mediaProblem(e, img.name) ?? e;
    } finally {
      await rm(out, { force: true });
    }
  }

  /** The PDF's own text layer, when the page has a good one and staff did not ask for OCR. */
  async #textLayer(o: StoredDigitalObject, p: DigitalPage): Promise<PageTextRow | undefined> {
    if (o.forceOcr) return undefined;
    const src = await this.#source(p);
    if (!src.pdf) return undefined;
    const width = p.width ?? Math.round(((await this.#d.pdf.info(src.path, this.#d.limits)).sizes[p.filePage]?.width ?? 595) * (PDF_RENDER_DPI / 72));
    const layer = await this.#d.pdf.pageText(src.path, p.filePage, width, this.#d.limits).catch(() => undefined);
    return layer ? { text: layer.text.normalize('NFC'), words: layer.words, textSource: 'pdf', confidence: layer.confidence, engine: 'pdf' } : undefined;
  }

  async #ocrPage(p: DigitalPage, img: PageImage, size: { width: number; height: number }, languages: OcrLanguage[], e: OcrEngine): Promise<PageTextRow> {
    const ocrPath = this.#d.blobs.tempPath('.png');
    try {
      const ocrSize = await this.#d.images.deriveOcrImage(img.path, img.page, ocrPath, this.#d.limits);
      let read: PageText;
      try {
        read = await e.recognize(ocrPath, languages);
      } catch (err) {
        throw mediaProblem(err, img.name) ?? new AppError('MEDIA_OCR_FAILED', { page: p.seq });
      }
      // Word boxes refer to the OCR image; scale them to the page image the viewer shows.
      const sx = size.width / ocrSize.width;
      const sy = size.height / ocrSize.height;
      const words = read.words.map((w) => ({ ...w, x: Math.round(w.x * sx), y: Math.round(w.y * sy), w: Math.round(w.w * sx), h: Math.round(w.h * sy) }));
      return { text: read.text.normalize('NFC'), words, textSource: 'ocr', confidence: read.confidence, engine: e.name };
    } finally {
      await rm(ocrPath, { force: true });
    }
  }
}
