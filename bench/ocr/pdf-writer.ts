/**
 * A tiny PDF writer for tests and benchmarks: scanned pages (a JPEG per page, as a book scanner's
 * PDF has), pages of ASCII text in Helvetica (a real text layer), and pages with any content
 * stream and MediaBox (for PDF bombs). It writes PDF 1.4 (ISO 32000-1 subset): one object per
 * line of the cross-reference table, streams with their exact `/Length`.
 *
 * `PdfWriter` streams to a file page by page, so a 300-page scan never sits in memory, and
 * `pad(bytes)` adds a stream that is a hole in the file (a sparse region on disk) to make a file
 * of gigabytes cheaply. `writePdf` writes a few pages in one call.
 */
import { open, type FileHandle } from 'node:fs/promises';

export interface PdfImage {
  /** JPEG bytes (baseline or progressive), embedded as is with DCTDecode. */
  jpeg: Buffer;
  /** Size in pixels. */
  width: number;
  height: number;
  /** `DeviceGray` when true, `DeviceRGB` otherwise. */
  grey: boolean;
}

export interface PdfPage {
  /** Page size in points (1/72 in); the MediaBox is `[0 0 width height]` unless `mediaBox` says otherwise. */
  width: number;
  height: number;
  mediaBox?: readonly [number, number, number, number];
  /** `/Rotate`: 0, 90, 180 or 270 (clockwise, when shown). */
  rotate?: number;
  /** The content stream, uncompressed (written as is), or already compressed with `filter`. */
  content: Buffer | string;
  filter?: 'FlateDecode';
  /** Images the content draws as `/Im0`, `/Im1`… */
  images?: PdfImage[];
  /**
   * Whether the content uses `/F1`: Helvetica (not embedded) in WinAnsiEncoding, with glyph names
   * for codes 128 up when `differences` are given.
   */
  helvetica?: boolean | { differences: readonly string[] };
}

/** A page showing a JPEG scan of `widthPx × heightPx` at `dpi`, filling the page. */
export function scannedPage(jpeg: Buffer, opts: { widthPx: number; heightPx: number; dpi?: number; grey?: boolean }): PdfPage {
  const dpi = opts.dpi ?? 300;
  const width = Math.round(((opts.widthPx * 72) / dpi) * 100) / 100;
  const height = Math.round(((opts.heightPx * 72) / dpi) * 100) / 100;
  return {
    width,
    height,
    content: `q ${width} 0 0 ${height} 0 0 cm /Im0 Do Q\n`,
    images: [{ jpeg, width: opts.widthPx, height: opts.heightPx, grey: opts.grey ?? true }],
  };
}

/**
 * `s` as a PDF literal string in the font's encoding: printable ASCII as itself, every other
 * character as a code from 128 up, named `uniXXXX` in the font's `/Differences` (`names`, added
 * to as new characters come). Text extraction maps those names back to Unicode, so a page can
 * carry a Vietnamese text layer without embedding a font.
 */
function literal(s: string, names: string[]): string {
  let out = '(';
  for (const ch of s.normalize('NFC')) {
    if (/[\x20-\x7e]/u.test(ch)) {
      out += /[\\()]/u.test(ch) ? `\\${ch}` : ch;
      continue;
    }
    const cp = ch.codePointAt(0)!;
    if (cp > 0xffff) throw new Error(`text pages take characters of the BMP only, got U+${cp.toString(16)}`);
    const name = `uni${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    let at = names.indexOf(name);
    if (at < 0) {
      if (names.length >= 128) throw new Error('more than 128 different non-ASCII characters on one text page');
      at = names.push(name) - 1;
    }
    out += `\\${(128 + at).toString(8)}`;
  }
  return `${out})`;
}

/**
 * An A4 page (595 × 842 pt) of text lines in 12 pt Helvetica, from the top left margin. Any
 * characters of the BMP: those outside ASCII get codes of their own (see `literal`).
 */
export function textPage(lines: readonly string[], opts: { width?: number; height?: number; fontSize?: number; margin?: number; leading?: number } = {}): PdfPage {
  const width = opts.width ?? 595;
  const height = opts.height ?? 842;
  const size = opts.fontSize ?? 12;
  const margin = opts.margin ?? 72;
  const leading = opts.leading ?? size * 1.5;
  const names: string[] = [];
  const body = lines.map((l, i) => `${i === 0 ? '' : 'T* '}${literal(l, names)} Tj`).join('\n');
  return {
    width,
    height,
    helvetica: names.length ? { differences: names } : true,
    content: `BT /F1 ${size} Tf ${leading} TL ${margin} ${height - margin - size} Td\n${body}\nET\n`,
  };
}

const enc = (s: string) => Buffer.from(s, 'latin1');

/** Writes a PDF to a file, one page at a time. */
export class PdfWriter {
  readonly #fh: FileHandle;
  #offset = 0;
  /** Byte offset of each object, by object number (1-based; 0 is the free-list head). */
  readonly #offsets: number[] = [0];
  readonly #kids: number[] = [];
  #next = 4;
  static readonly #CATALOG = 1;
  static readonly #PAGES = 2;
  static readonly #FONT = 3;

  private constructor(fh: FileHandle) {
    this.#fh = fh;
  }

  static async open(path: string): Promise<PdfWriter> {
    const w = new PdfWriter(await open(path, 'w'));
    // The binary comment line tells tools the file holds binary data (ISO 32000-1, 7.5.2).
    await w.#write(Buffer.concat([enc('%PDF-1.4\n%'), Buffer.from([0xe2, 0xe3, 0xcf, 0xd3]), enc('\n')]));
    return w;
  }

  async #write(b: Buffer): Promise<void> {
    let done = 0;
    while (done < b.length) {
      const { bytesWritten } = await this.#fh.write(b, done, b.length - done, this.#offset + done);
      done += bytesWritten;
    }
    this.#offset += b.length;
  }

  async #object(n: number, dict: string, stream?: Buffer): Promise<void> {
    this.#offsets[n] = this.#offset;
    if (!stream) {
      await this.#write(enc(`${n} 0 obj\n${dict}\nendobj\n`));
      return;
    }
    await this.#write(Buffer.concat([enc(`${n} 0 obj\n${dict.replace(/>>$/u, ` /Length ${stream.length} >>`)}\nstream\n`), stream, enc('\nendstream\nendobj\n')]));
  }

  /**
   * Adds an object no page uses: a stream of `bytes` NUL bytes, left as a hole in the file (no
   * disk space on file systems with sparse files). It stands for the big image streams of a real
   * scan, which a reader skips by their `/Length` unless it needs them.
   */
  async pad(bytes: number): Promise<void> {
    const n = this.#next++;
    this.#offsets[n] = this.#offset;
    await this.#write(enc(`${n} 0 obj\n<< /Length ${bytes} >>\nstream\n`));
    this.#offset += bytes;
    await this.#write(enc('\nendstream\nendobj\n'));
  }

  async addPage(page: PdfPage): Promise<void> {
    const pageNo = this.#next++;
    const contentNo = this.#next++;
    const imageNos = (page.images ?? []).map(() => this.#next++);
    for (const [k, img] of (page.images ?? []).entries()) {
      await this.#object(
        imageNos[k]!,
        `<< /Type /XObject /Subtype /Image /Width ${img.width} /Height ${img.height} /ColorSpace /${img.grey ? 'DeviceGray' : 'DeviceRGB'} /BitsPerComponent 8 /Filter /DCTDecode >>`,
        img.jpeg,
      );
    }
    const content = typeof page.content === 'string' ? enc(page.content) : page.content;
    await this.#object(contentNo, page.filter ? `<< /Filter /${page.filter} >>` : '<< >>', content);
    const xobjects = imageNos.length ? `/XObject << ${imageNos.map((n, k) => `/Im${k} ${n} 0 R`).join(' ')} >>` : '';
    let fontNo = PdfWriter.#FONT;
    if (typeof page.helvetica === 'object') {
      fontNo = this.#next++;
      await this.#object(
        fontNo,
        `<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding /BaseEncoding /WinAnsiEncoding /Differences [128 ${page.helvetica.differences.map((n) => `/${n}`).join(' ')}] >> >>`,
      );
    }
    const font = page.helvetica ? `/Font << /F1 ${fontNo} 0 R >>` : '';
    const box = page.mediaBox ?? [0, 0, page.width, page.height];
    await this.#object(
      pageNo,
      `<< /Type /Page /Parent ${PdfWriter.#PAGES} 0 R /MediaBox [${box.join(' ')}]${page.rotate ? ` /Rotate ${page.rotate}` : ''} /Resources << ${font} ${xobjects} >> /Contents ${contentNo} 0 R >>`,
    );
    this.#kids.push(pageNo);
  }

  /** Writes the page tree, the catalog and the cross-reference table, and closes the file. */
  async close(): Promise<void> {
    try {
      await this.#object(PdfWriter.#FONT, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>');
      await this.#object(PdfWriter.#PAGES, `<< /Type /Pages /Kids [${this.#kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${this.#kids.length} >>`);
      await this.#object(PdfWriter.#CATALOG, `<< /Type /Catalog /Pages ${PdfWriter.#PAGES} 0 R >>`);
      const xref = this.#offset;
      const rows = ['0000000000 65535 f \n'];
      for (let n = 1; n < this.#next; n++) rows.push(`${String(this.#offsets[n] ?? 0).padStart(10, '0')} 00000 n \n`);
      await this.#write(enc(`xref\n0 ${this.#next}\n${rows.join('')}trailer\n<< /Size ${this.#next} /Root ${PdfWriter.#CATALOG} 0 R >>\nstartxref\n${xref}\n%%EOF\n`));
    } finally {
      await this.#fh.close();
    }
  }
}

/** Writes `pages` as a PDF file. */
export async function writePdf(path: string, pages: readonly PdfPage[]): Promise<void> {
  const w = await PdfWriter.open(path);
  for (const p of pages) await w.addPage(p);
  await w.close();
}
