/**
 * OCR with tesseract.js (tesseract compiled to WebAssembly), for machines without the native
 * binary. Everything is offline: the engine comes from the `tesseract.js-core` package and the
 * language data from `@tesseract.js-data/vie` and `@tesseract.js-data/eng` (their `4.0.0`
 * folders, gzipped); nothing is ever downloaded and nothing is cached to disk.
 *
 * tesseract.js reads all languages from one folder (`langPath`) but each language comes in its
 * own package, and handing it the data as bytes instead fails in tesseract.js 7 (it initialises
 * with the bytes as the language's name). So the engine makes a private temporary folder with a
 * link to each package's file (a copy where links are not possible) and removes it on `close()`.
 *
 * Pages run on a pool of up to `parallel` tesseract.js workers (worker threads, one per core by
 * default), each set up for one language combination. We keep our own small pool rather than
 * tesseract.js's scheduler because a page that runs past `pageTimeoutMs` must be stopped by
 * terminating the one worker reading it, without losing the pages the others are reading; the
 * pool replaces the worker on the next page. Workers start on first use and stay until `close()`;
 * a worker set up for other languages is re-made only when no idle worker fits and the pool is
 * full.
 *
 * Output is tesseract's hOCR, read by `codecs/ocr/hocr.ts` like the native engine's.
 */
import { copyFile, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';
import Tesseract from 'tesseract.js';
import { MediaError, type OcrEngine, type OcrLanguage, type PageText } from '../../app/digital/media.js';
import { parseHocr } from '../../codecs/ocr/hocr.js';
import { dropMarkLines } from './mark-lines.js';

export interface TesseractJsOptions {
  /** Workers, so pages read at once (default: the number of cores). */
  parallel?: number;
  /** Longest time for one page before its worker is terminated (default 120 s). */
  pageTimeoutMs?: number;
}

const LANGUAGES: ReadonlySet<string> = new Set<OcrLanguage>(['vie', 'eng']);

/** The gzipped traineddata of `lang` in its npm package. */
function languageFile(lang: OcrLanguage): string {
  const pkg = dirname(createRequire(import.meta.url).resolve(`@tesseract.js-data/${lang}/package.json`));
  return join(pkg, '4.0.0', `${lang}.traineddata.gz`);
}

/** A new folder holding every language's traineddata, as tesseract.js's `langPath`. */
async function languageFolder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lienthong-tessdata-'));
  try {
    for (const lang of LANGUAGES as ReadonlySet<OcrLanguage>) {
      const from = languageFile(lang);
      const to = join(dir, `${lang}.traineddata.gz`);
      await symlink(from, to).catch(() => copyFile(from, to));
    }
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
  return dir;
}

interface Slot {
  key: string;
  worker: Promise<Tesseract.Worker>;
  busy: boolean;
}

interface Job {
  key: string;
  langs: OcrLanguage[];
  image: string;
  done: (page: PageText) => void;
  fail: (e: unknown) => void;
}

export class TesseractJs implements OcrEngine {
  readonly name = 'tesseract.js';
  readonly parallel: number;
  readonly #timeoutMs: number;
  readonly #slots: Slot[] = [];
  readonly #queue: Job[] = [];
  #langPath: Promise<string> | undefined;
  #closed = false;

  constructor(opts: TesseractJsOptions = {}) {
    this.parallel = Math.max(1, opts.parallel ?? availableParallelism());
    this.#timeoutMs = opts.pageTimeoutMs ?? 120_000;
  }

  recognize(imagePath: string, languages: readonly OcrLanguage[]): Promise<PageText> {
    const langs = languages.length ? [...new Set(languages)] : (['vie'] as OcrLanguage[]);
    for (const l of langs) {
      if (!LANGUAGES.has(l)) return Promise.reject(this.#error(`unknown language ${JSON.stringify(l)}`));
    }
    if (this.#closed) return Promise.reject(this.#error('the OCR engine was closed'));
    return new Promise((done, fail) => {
      this.#queue.push({ key: langs.join('+'), langs, image: imagePath, done, fail });
      this.#dispatch();
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0)) job.fail(this.#error('the OCR engine was closed'));
    const slots = this.#slots.splice(0);
    await Promise.all(slots.map((s) => this.#terminate(s)));
    const dir = await this.#langPath?.catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  }

  #error(reason: string, extra: Record<string, string | number> = {}): MediaError {
    return new MediaError('MEDIA_OCR_FAILED', { engine: this.name, reason, ...extra });
  }

  async #createWorker(langs: OcrLanguage[]): Promise<Tesseract.Worker> {
    this.#langPath ??= languageFolder();
    // A failed folder is not kept: the next worker tries again.
    const langPath = await this.#langPath.catch((e: unknown) => {
      this.#langPath = undefined;
      throw e;
    });
    // cacheMethod 'none': tesseract.js would otherwise write the unpacked data to the working
    // directory. LSTM only: the data's legacy models are not needed and need a bigger core.
    // errorHandler: without one, tesseract.js throws a failed page's error from an event handler,
    // which would bring the whole process down; the page's promise is rejected either way.
    const worker = await Tesseract.createWorker(langs, Tesseract.OEM.LSTM_ONLY, {
      langPath,
      gzip: true,
      cacheMethod: 'none',
      legacyCore: false,
      legacyLang: false,
      errorHandler: () => {},
    });
    await worker.setParameters({ tessedit_pageseg_mode: Tesseract.PSM.AUTO, tessedit_do_invert: '0' });
    return worker;
  }

  async #terminate(slot: Slot): Promise<void> {
    try {
      await (await slot.worker).terminate();
    } catch {
      // A worker that never started, or is already gone, has nothing to stop.
    }
  }

  #dispatch(): void {
    for (let k = 0; k < this.#queue.length; k++) {
      const job = this.#queue[k]!;
      let slot = this.#slots.find((s) => !s.busy && s.key === job.key);
      if (!slot && this.#slots.length < this.parallel) {
        slot = { key: job.key, worker: this.#createWorker(job.langs), busy: false };
        // Rejections are handled when the page awaits it; this keeps an early one from counting as unhandled.
        slot.worker.catch(() => {});
        this.#slots.push(slot);
      }
      if (!slot) {
        const idle = this.#slots.findIndex((s) => !s.busy);
        if (idle < 0) return;
        void this.#terminate(this.#slots[idle]!);
        slot = { key: job.key, worker: this.#createWorker(job.langs), busy: false };
        slot.worker.catch(() => {});
        this.#slots[idle] = slot;
      }
      this.#queue.splice(k--, 1);
      slot.busy = true;
      void this.#run(slot, job);
    }
  }

  async #run(slot: Slot, job: Job): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    // Whether the worker can take the next page. One that failed to start, timed out or threw is
    // replaced, as its state is unknown (a timed-out one may still be busy); one that was merely
    // not given a readable file is kept.
    let keep = false;
    try {
      let image: Buffer;
      try {
        image = await readFile(job.image);
      } catch (e) {
        keep = true;
        throw this.#error(`cannot read the image: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
      }
      const worker = await slot.worker.catch((e: unknown) => {
        throw this.#error(`tesseract.js did not start: ${e instanceof Error ? e.message : String(e)}`);
      });
      const timeout = new Promise<never>((_, fail) => {
        timer = setTimeout(() => fail(this.#error(`no result within ${this.#timeoutMs} ms`, { timeoutMs: this.#timeoutMs })), this.#timeoutMs);
      });
      const result = await Promise.race([worker.recognize(image, {}, { hocr: true, text: false }), timeout]);
      keep = true;
      job.done(dropMarkLines(parseHocr(result.data.hocr ?? '')));
    } catch (e) {
      job.fail(e instanceof MediaError ? e : this.#error(e instanceof Error ? e.message : String(e)));
    } finally {
      clearTimeout(timer);
      slot.busy = false;
      if (!keep) {
        const at = this.#slots.indexOf(slot);
        if (at >= 0) this.#slots.splice(at, 1);
        void this.#terminate(slot);
      }
      if (!this.#closed) this.#dispatch();
    }
  }
}
