/**
 * Ports for the digital library's media work: recognising and measuring uploaded files, deriving
 * page images, rendering IIIF image requests, reading PDFs and running OCR. The adapters live in
 * `src/adapters/{image,pdf,ocr}`; the use cases only see these interfaces.
 *
 * Every adapter reports bad input by throwing `MediaError` with a stable code (listed in
 * `MEDIA_ERROR_CODES`), which the use cases turn into an `AppError` with a message in both
 * languages. No adapter may crash the process or leave a partial output file behind: outputs are
 * written to a temporary name and renamed when complete.
 */

/** What a file is, judged by its first bytes (never by its name). */
export type MediaKind = 'jpeg' | 'png' | 'webp' | 'tiff' | 'jp2' | 'pdf' | 'gif' | 'unknown';

export const MEDIA_TYPES: Record<Exclude<MediaKind, 'unknown'>, string> = {
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  tiff: 'image/tiff',
  jp2: 'image/jp2',
  pdf: 'application/pdf',
  gif: 'image/gif',
};

export const MEDIA_ERROR_CODES = [
  /** Not a kind we accept (an executable renamed .jpg, a ZIP, text…). */
  'MEDIA_TYPE_UNSUPPORTED',
  /** The bytes claim a kind but cannot be decoded (truncated, corrupt). */
  'MEDIA_CORRUPT',
  /** Width × height over the pixel limit (a decompression bomb), or a side over the side limit. */
  'MEDIA_TOO_MANY_PIXELS',
  /** More pages than the page limit. */
  'MEDIA_TOO_MANY_PAGES',
  /** The file is over the byte limit. */
  'MEDIA_TOO_LARGE',
  /** Decoding took longer than allowed or needed more memory than allowed (a PDF bomb). */
  'MEDIA_TOO_COMPLEX',
  /** OCR failed on a page. */
  'MEDIA_OCR_FAILED',
] as const;
export type MediaErrorCode = (typeof MEDIA_ERROR_CODES)[number];

export class MediaError extends Error {
  constructor(
    readonly code: MediaErrorCode,
    readonly params: Record<string, string | number> = {},
    message?: string,
  ) {
    super(message ?? `${code} ${JSON.stringify(params)}`);
    this.name = 'MediaError';
  }
}

export interface MediaLimits {
  /** Largest accepted upload in bytes (default 4 GiB). */
  maxBytes: number;
  /** Largest accepted page in pixels, width × height (default 300 megapixels). */
  maxPixels: number;
  /** Longest accepted side in pixels (default 65,000). */
  maxSide: number;
  /** Most pages in one file (default 5,000). */
  maxPages: number;
  /** Longest time to decode or render one page, in ms (default 120 s). */
  pageTimeoutMs: number;
  /** Most memory a PDF worker may use, in MiB (default 1,024). */
  pdfMemoryMb: number;
}

export const DEFAULT_MEDIA_LIMITS: MediaLimits = {
  maxBytes: 4 * 1024 ** 3,
  maxPixels: 300_000_000,
  maxSide: 65_000,
  maxPages: 5_000,
  pageTimeoutMs: 120_000,
  pdfMemoryMb: 1024,
};

export interface ProbeResult {
  kind: Exclude<MediaKind, 'unknown'>;
  mediaType: string;
  /** Number of pages: 1 for single images, the page count of multi-page TIFFs and PDFs. */
  pages: number;
  /** Size of the first page in pixels (for PDFs: at 72 dpi). */
  width: number;
  height: number;
}

/** A word found on a page, with its box in the page image's pixels (origin top left). */
export interface PageWord {
  text: string;
  x: number;
  y: number;
  w: number;
  h: number;
  /** Confidence 0–100 (100 for a PDF's own text layer). */
  c: number;
  /** Line number on the page, from 0; words of one line share it. */
  line: number;
}

/** The text of one page: plain text (NFC, lines separated by `\n`) and its words with boxes. */
export interface PageText {
  text: string;
  words: PageWord[];
  /** Mean word confidence 0–100. */
  confidence: number;
  /** Size of the image the boxes refer to. */
  width: number;
  height: number;
  /** The engine's own structured output (hOCR or ALTO XML), kept for download; optional. */
  source?: { format: 'hocr' | 'alto'; xml: string };
}

export type OcrLanguage = 'vie' | 'eng';

export interface ImageTools {
  /** Recognises a file by its first bytes. */
  sniff(path: string): Promise<MediaKind>;
  /** Checks a file against the limits and measures it; throws `MediaError`. PDFs are measured by `PdfTools`. */
  probe(path: string, limits: MediaLimits): Promise<ProbeResult>;
  /**
   * Writes page `page` (from 0) of an image file as the access copy the tile server reads: a tiled
   * pyramidal TIFF (JPEG-compressed tiles of 256 px). Returns its size in pixels.
   */
  derivePyramid(source: string, page: number, out: string, limits: MediaLimits): Promise<{ width: number; height: number }>;
  /** Writes page `page` of an image file as a PNG for OCR (grey, at most `maxSide` px on the long side). */
  deriveOcrImage(source: string, page: number, out: string, limits: MediaLimits): Promise<{ width: number; height: number }>;
}

export interface PdfInfo {
  pages: number;
  /** Page sizes at 72 dpi. */
  sizes: { width: number; height: number }[];
}

export interface PdfTools {
  /** Opens a PDF (in a worker with memory and time limits) and measures it; throws `MediaError`. */
  info(path: string, limits: MediaLimits): Promise<PdfInfo>;
  /**
   * The page's own text layer with word boxes scaled to an image of `width` px; `undefined` when
   * the page has no usable text layer (none, or too little, or mostly garbage characters).
   */
  pageText(path: string, page: number, width: number, limits: MediaLimits): Promise<PageText | undefined>;
  /** Renders page `page` (from 0) to a PNG at `dpi`; returns its size. */
  renderPage(path: string, page: number, dpi: number, out: string, limits: MediaLimits): Promise<{ width: number; height: number }>;
}

export interface OcrEngine {
  /** `tesseract` (the native binary) or `tesseract.js`. */
  readonly name: string;
  /** How many pages it can usefully read at once (one per core for the native binary). */
  readonly parallel: number;
  recognize(imagePath: string, languages: readonly OcrLanguage[]): Promise<PageText>;
  close(): Promise<void>;
}

/**
 * Where stored files live: content-addressed by SHA-256 under the data folder, written once and
 * never altered. Temporary files are made inside the store so finishing one is a rename.
 */
export interface BlobStore {
  /** A fresh temporary path inside the store (same file system as the blobs). */
  tempPath(suffix?: string): string;
  /** Streams into a temporary file while hashing; stops with `MEDIA_TOO_LARGE` past `maxBytes` and leaves nothing. */
  receive(source: NodeJS.ReadableStream | AsyncIterable<Uint8Array>, maxBytes: number): Promise<{ path: string; sha256: string; size: number }>;
  /** Hashes a file without loading it whole. */
  hashFile(path: string): Promise<{ sha256: string; size: number }>;
  /** Moves a temporary file (already hashed) to its place; an identical stored file makes this a no-op. */
  adopt(tempPath: string, sha256: string): Promise<void>;
  /** Copies an outside file into the store (hashing on the way); the original is left alone. */
  importFile(path: string, maxBytes: number): Promise<{ sha256: string; size: number }>;
  pathOf(sha256: string): string;
  exists(sha256: string): Promise<boolean>;
  remove(sha256: string): Promise<void>;
  /** The folder for derived, disposable files (tile cache). */
  readonly cacheDir: string;
}
