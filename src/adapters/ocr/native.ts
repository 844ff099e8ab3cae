/**
 * OCR with the native `tesseract` binary (Debian's `tesseract-ocr` 5 with `tesseract-ocr-vie`):
 * one child process per page, reading the page image and writing hOCR to its stdout, which
 * `codecs/ocr/hocr.ts` turns into a `PageText`.
 *
 * Why these settings (measured on rendered A4 pages of Vietnamese at 300 dpi, see `bench/ocr.ts`):
 * - One single-threaded process per core (`OMP_THREAD_LIMIT=1`) and `parallel` = the number of
 *   cores: tesseract's own OpenMP threads speed one page up far less than they cost, and several
 *   multi-threaded processes side by side fight over the cores.
 * - `--psm 3` (automatic page segmentation): about 10% slower than `--psm 6` (one uniform block)
 *   on a single column, with the same accuracy, but it is the only mode that reads two-column
 *   pages, captions and headings in order.
 * - `-c tessedit_do_invert=0`: tesseract otherwise re-reads every doubtful line inverted (white on
 *   black), which costs time on poor scans and almost never helps with printed books.
 * - `vie` alone is what Vietnamese pages need (its character set includes the whole Latin
 *   alphabet): `vie+eng` was 10% slower with three times the errors on Vietnamese pages, and on a
 *   mostly English page it read a Vietnamese line without its marks. `eng` is for English books.
 *
 * A page that takes longer than `pageTimeoutMs` has its process killed (SIGKILL); every failure
 * becomes `MediaError('MEDIA_OCR_FAILED')` with the end of tesseract's stderr in its params.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { access, constants } from 'node:fs/promises';
import { MediaError, type OcrEngine, type OcrLanguage, type PageText } from '../../app/digital/media.js';
import { parseHocr } from '../../codecs/ocr/hocr.js';
import { dropMarkLines } from './mark-lines.js';

export interface NativeTesseractInfo {
  /** The binary's absolute path when found on the PATH, else the command as given. */
  path: string;
  /** e.g. `5.3.0`. */
  version: string;
  /** Installed traineddata, e.g. `['eng', 'osd', 'vie']`. */
  languages: string[];
}

/** Our language codes, checked before they reach a command line. */
const LANGUAGES: ReadonlySet<string> = new Set<OcrLanguage>(['vie', 'eng']);

/** Keeps at most the last `max` characters of what a stream wrote. */
function tail(max: number) {
  let text = '';
  return {
    add(chunk: Buffer | string) {
      text = (text + chunk.toString()).slice(-max);
    },
    get text() {
      return text.trim();
    },
  };
}

/** Runs `command args` and returns its stdout, or undefined if it cannot run, fails or is slow. */
function probe(command: string, args: string[], timeoutMs: number): Promise<{ stdout: string; stderr: string } | undefined> {
  return new Promise((done) => {
    let child: ChildProcess;
    try {
      child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs, killSignal: 'SIGKILL' });
    } catch {
      done(undefined);
      return;
    }
    const out = tail(1 << 16);
    const err = tail(1 << 16);
    child.stdout!.on('data', out.add);
    child.stderr!.on('data', err.add);
    child.on('error', () => done(undefined));
    child.on('close', (code) => done(code === 0 ? { stdout: out.text, stderr: err.text } : undefined));
  });
}

/** The absolute path of `command` on the PATH, if it is there. */
async function which(command: string): Promise<string | undefined> {
  if (command.includes('/')) return resolve(command);
  // eslint-disable-next-line no-restricted-syntax -- the search path the child would be found on, not a setting of ours
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, command);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * Finds the native tesseract: runs `tesseract --version` and `--list-langs` (each with a short
 * timeout). Returns undefined when it is not installed or does not answer.
 */
export async function detectNativeTesseract(opts: { command?: string; timeoutMs?: number } = {}): Promise<NativeTesseractInfo | undefined> {
  const command = opts.command ?? 'tesseract';
  const timeoutMs = opts.timeoutMs ?? 5000;
  const version = await probe(command, ['--version'], timeoutMs);
  if (!version) return undefined;
  // tesseract 4 and later print `tesseract 5.3.0` first, on stdout (4.0 printed to stderr).
  const m = /tesseract\s+v?(\d+(?:\.\d+)*\S*)/iu.exec(`${version.stdout}\n${version.stderr}`);
  if (!m) return undefined;
  const langs = await probe(command, ['--list-langs'], timeoutMs);
  if (!langs) return undefined;
  const languages = `${langs.stdout}\n${langs.stderr}`
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^[a-z_]+(?:[-_][a-z]+)*$/iu.test(l))
    .sort();
  return { path: (await which(command)) ?? command, version: m[1]!, languages };
}

export interface NativeTesseractOptions {
  /** Pages read at once (default: the number of cores). */
  parallel?: number;
  /** Longest time for one page before its process is killed (default 120 s). */
  pageTimeoutMs?: number;
  /** tesseract's page segmentation mode (default 3, automatic). */
  psm?: number;
  /** Largest hOCR accepted from one page, in bytes (default 64 MiB; a page's is ~100 KB). */
  maxOutputBytes?: number;
}

interface Waiter {
  start: () => void;
  fail: (e: Error) => void;
}

export class NativeTesseract implements OcrEngine {
  readonly name = 'tesseract';
  readonly parallel: number;
  readonly info: NativeTesseractInfo;
  readonly #timeoutMs: number;
  readonly #psm: number;
  readonly #maxOutput: number;
  #running = 0;
  readonly #queue: Waiter[] = [];
  readonly #children = new Set<ChildProcess>();
  #closed = false;

  constructor(info: NativeTesseractInfo, opts: NativeTesseractOptions = {}) {
    this.info = info;
    this.parallel = Math.max(1, opts.parallel ?? availableParallelism());
    this.#timeoutMs = opts.pageTimeoutMs ?? 120_000;
    this.#psm = opts.psm ?? 3;
    this.#maxOutput = opts.maxOutputBytes ?? 64 * 2 ** 20;
  }

  /** Finds tesseract and makes an engine, or returns undefined when it is not installed. */
  static async create(opts: NativeTesseractOptions & { command?: string } = {}): Promise<NativeTesseract | undefined> {
    const info = await detectNativeTesseract({ command: opts.command });
    return info && new NativeTesseract(info, opts);
  }

  async recognize(imagePath: string, languages: readonly OcrLanguage[]): Promise<PageText> {
    const langs = this.#languages(languages);
    // An absolute path never starts with `-` (an option) and is not tesseract's `stdin`; a `.txt`
    // input would be read as a list of image files.
    const image = resolve(imagePath);
    if (/\.txt$/iu.test(image)) throw new MediaError('MEDIA_OCR_FAILED', { engine: this.name, reason: 'a .txt file is read by tesseract as a list of images' });
    await this.#slot();
    try {
      // close() may have come while this page waited for its turn.
      if (this.#closed) throw this.#closedError();
      const hocr = await this.#run(image, langs);
      return dropMarkLines(parseHocr(hocr));
    } finally {
      this.#release();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const w of this.#queue.splice(0)) w.fail(this.#closedError());
    for (const c of this.#children) c.kill('SIGKILL');
  }

  #closedError(): MediaError {
    return new MediaError('MEDIA_OCR_FAILED', { engine: this.name, reason: 'the OCR engine was closed' });
  }

  #languages(languages: readonly OcrLanguage[]): string {
    const list = languages.length ? [...new Set(languages)] : ['vie'];
    for (const l of list) {
      if (!LANGUAGES.has(l)) throw new MediaError('MEDIA_OCR_FAILED', { engine: this.name, reason: `unknown language ${JSON.stringify(l)}` });
      if (!this.info.languages.includes(l)) throw new MediaError('MEDIA_OCR_FAILED', { engine: this.name, reason: `tesseract has no traineddata for ${l}`, language: l });
    }
    return list.join('+');
  }

  /** Waits for one of the `parallel` process slots. */
  #slot(): Promise<void> {
    if (this.#closed) return Promise.reject(this.#closedError());
    if (this.#running < this.parallel) {
      this.#running++;
      return Promise.resolve();
    }
    return new Promise((start, fail) => this.#queue.push({ start, fail }));
  }

  #release(): void {
    const next = this.#queue.shift();
    if (next) next.start();
    else this.#running--;
  }

  #run(image: string, langs: string): Promise<string> {
    const args = [image, 'stdout', '-l', langs, '--psm', String(this.#psm), '-c', 'tessedit_do_invert=0', 'hocr'];
    return new Promise((done, fail) => {
      const stderr = tail(4000);
      const failed = (reason: string, extra: Record<string, string | number> = {}) =>
        fail(new MediaError('MEDIA_OCR_FAILED', { engine: this.name, reason, ...extra, stderr: stderr.text }));
      let child: ChildProcess;
      try {
        child = spawn(this.info.path, args, {
          stdio: ['ignore', 'pipe', 'pipe'],
          // eslint-disable-next-line no-restricted-syntax -- the child inherits our environment as it is, plus one variable
          env: { ...process.env, OMP_THREAD_LIMIT: '1' },
        });
      } catch (e) {
        failed(e instanceof Error ? e.message : String(e));
        return;
      }
      this.#children.add(child);
      const chunks: Buffer[] = [];
      let bytes = 0;
      // Why we killed the child, if we did.
      let why: { reason: string; extra: Record<string, number> } | undefined;
      const timer = setTimeout(() => {
        why = { reason: `no result within ${this.#timeoutMs} ms`, extra: { timeoutMs: this.#timeoutMs } };
        child.kill('SIGKILL');
      }, this.#timeoutMs);
      child.stdout!.on('data', (c: Buffer) => {
        bytes += c.length;
        if (bytes > this.#maxOutput) {
          why ??= { reason: `more than ${this.#maxOutput} bytes of hOCR`, extra: {} };
          child.kill('SIGKILL');
          return;
        }
        chunks.push(c);
      });
      child.stderr!.on('data', stderr.add);
      child.on('error', (e) => {
        clearTimeout(timer);
        this.#children.delete(child);
        failed(e.message);
      });
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        this.#children.delete(child);
        if (why) failed(why.reason, why.extra);
        else if (this.#closed && signal) failed('the OCR engine was closed');
        else if (code !== 0) failed(signal ? `tesseract was killed by ${signal}` : `tesseract exited with code ${code}`);
        else done(Buffer.concat(chunks).toString('utf8'));
      });
    });
  }
}
