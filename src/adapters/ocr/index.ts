/**
 * The OCR engine for this machine: the native `tesseract` when it is installed with Vietnamese
 * and English data (it needs 1.8× less CPU per page than tesseract.js, whose workers also take
 * seconds to start; see `bench/ocr.ts`), otherwise tesseract.js, which always works offline from
 * the npm packages.
 */
import type { OcrEngine } from '../../app/digital/media.js';
import { detectNativeTesseract, NativeTesseract } from './native.js';
import { TesseractJs } from './wasm.js';

export interface CreateOcrEngineOptions {
  /** `wasm` forces tesseract.js; `native` (the default) uses tesseract when it is usable. */
  prefer?: 'native' | 'wasm';
  /** Pages read at once (default: the number of cores). */
  parallel?: number;
  /** Longest time for one page (default 120 s). */
  pageTimeoutMs?: number;
  /** The native binary (default `tesseract` on the PATH). */
  command?: string;
}

/** Opens an OCR engine; `close()` it when done. */
export async function createOcrEngine(opts: CreateOcrEngineOptions = {}): Promise<OcrEngine> {
  const settings = { parallel: opts.parallel, pageTimeoutMs: opts.pageTimeoutMs };
  if (opts.prefer !== 'wasm') {
    const info = await detectNativeTesseract({ command: opts.command });
    // Without both languages' data the native engine would fail some books that tesseract.js reads.
    if (info && info.languages.includes('vie') && info.languages.includes('eng')) return new NativeTesseract(info, settings);
  }
  return new TesseractJs(settings);
}
