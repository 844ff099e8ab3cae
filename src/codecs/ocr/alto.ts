/**
 * ALTO 4 (Analyzed Layout and Text Object, https://www.loc.gov/standards/alto/, schema
 * `alto-4-4.xsd`) for a page's OCR: written from a `PageText` for download, and read back.
 *
 * Written layout: one `Page` (WIDTH/HEIGHT = the image's size) holding one `PrintSpace` and one
 * `TextBlock`, a `TextLine` per line and a `String` per word with `SP` between words;
 * `MeasurementUnit` is `pixel`, so coordinates are the image's pixels; word confidence goes to
 * `WC` on ALTO's 0–1 scale. Every value is escaped, and characters XML cannot carry become U+FFFD.
 *
 * Reading takes any ALTO 2–4 file, prefixed or not: `TextLine`s give the line numbers, `String`s
 * the words, a `HYP` (a hyphen at the end of a line) is added to the line's last word. Coordinates
 * in `mm10` or `inch1200` are turned into pixels at `dpi` (default 300). Like the hOCR parser it
 * never throws: a truncated file gives the words read so far.
 */
import type { PageText, PageWord } from '../../app/digital/media.js';
import { pageTextFromWords, type GroupedWord } from './_page.js';
import { escapeXml, scanXml } from './_xml.js';

export const ALTO_NAMESPACE = 'http://www.loc.gov/standards/alto/ns-v4#';

export interface AltoWriteOptions {
  /** The image the coordinates refer to, for `sourceImageInformation`. */
  fileName?: string;
  /** The OCR engine, for `OCRProcessing` (e.g. `{ name: 'tesseract', version: '5.3.0' }`). */
  software?: { name: string; version?: string };
}

/** A number as ALTO writes it: at most two decimals, no trailing zeros, never negative. */
function num(n: number): string {
  const v = Math.round(Math.max(0, Number.isFinite(n) ? n : 0) * 100) / 100;
  return String(v);
}

function box(words: readonly PageWord[]): { x: number; y: number; w: number; h: number } {
  let x = Infinity;
  let y = Infinity;
  let r = 0;
  let b = 0;
  for (const w of words) {
    x = Math.min(x, w.x);
    y = Math.min(y, w.y);
    r = Math.max(r, w.x + w.w);
    b = Math.max(b, w.y + w.h);
  }
  return { x, y, w: r - x, h: b - y };
}

const pos = (b: { x: number; y: number; w: number; h: number }) => `HPOS="${num(b.x)}" VPOS="${num(b.y)}" WIDTH="${num(b.w)}" HEIGHT="${num(b.h)}"`;

/** The page as an ALTO 4 document. */
export function writeAlto(page: PageText, opts: AltoWriteOptions = {}): string {
  const lines: PageWord[][] = [];
  const byLine = new Map<number, PageWord[]>();
  for (const w of page.words) {
    let l = byLine.get(w.line);
    if (!l) {
      byLine.set(w.line, (l = []));
      lines.push(l);
    }
    l.push(w);
  }
  const out: string[] = [];
  out.push('<?xml version="1.0" encoding="UTF-8"?>\n');
  out.push(
    `<alto xmlns="${ALTO_NAMESPACE}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" ` +
      `xsi:schemaLocation="${ALTO_NAMESPACE} http://www.loc.gov/alto/v4/alto-4-4.xsd">\n`,
  );
  out.push('  <Description>\n    <MeasurementUnit>pixel</MeasurementUnit>\n');
  if (opts.fileName !== undefined) {
    out.push(`    <sourceImageInformation>\n      <fileName>${escapeXml(opts.fileName)}</fileName>\n    </sourceImageInformation>\n`);
  }
  if (opts.software) {
    const version = opts.software.version === undefined ? '' : `\n            <softwareVersion>${escapeXml(opts.software.version)}</softwareVersion>`;
    out.push(
      '    <OCRProcessing ID="ocr_1">\n      <ocrProcessingStep>\n        <processingSoftware>\n' +
        `            <softwareName>${escapeXml(opts.software.name)}</softwareName>${version}\n` +
        '        </processingSoftware>\n      </ocrProcessingStep>\n    </OCRProcessing>\n',
    );
  }
  out.push('  </Description>\n  <Layout>\n');
  const pageBox = { x: 0, y: 0, w: page.width, h: page.height };
  out.push(`    <Page ID="page_1" PHYSICAL_IMG_NR="1" WIDTH="${num(page.width)}" HEIGHT="${num(page.height)}">\n`);
  out.push(`      <PrintSpace ID="space_1" ${pos(pageBox)}>\n`);
  if (page.words.length) {
    out.push(`        <TextBlock ID="block_1" ${pos(box(page.words))}>\n`);
    let s = 0;
    for (const [li, words] of lines.entries()) {
      out.push(`          <TextLine ID="line_${li + 1}" ${pos(box(words))}>\n`);
      for (const [k, w] of words.entries()) {
        if (k > 0) {
          const prev = words[k - 1]!;
          const end = prev.x + prev.w;
          out.push(`            <SP WIDTH="${num(w.x - end)}" HPOS="${num(end)}" VPOS="${num(Math.min(prev.y, w.y))}"/>\n`);
        }
        const wc = Math.round(Math.min(100, Math.max(0, w.c)) * 100) / 10_000;
        out.push(`            <String ID="string_${++s}" CONTENT="${escapeXml(w.text)}" ${pos(w)} WC="${wc}"/>\n`);
      }
      out.push('          </TextLine>\n');
    }
    out.push('        </TextBlock>\n');
  }
  out.push('      </PrintSpace>\n    </Page>\n  </Layout>\n</alto>\n');
  return out.join('');
}

export interface AltoReadOptions {
  /** Resolution for files measured in `mm10` or `inch1200` (default 300). */
  dpi?: number;
  /** Keep the ALTO document in `source` (default true). */
  keepSource?: boolean;
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);

/** An ALTO document's first page as `PageText`. */
export function parseAlto(xml: string, opts: AltoReadOptions = {}): PageText {
  const dpi = opts.dpi ?? 300;
  let scale = 1;
  let inUnit = false;
  let unit = '';
  let pages = 0;
  let size = { width: 0, height: 0 };
  // As in the hOCR parser: bumped at every line start and end, so words share a line exactly
  // when no line boundary lies between them.
  let serial = 0;
  const words: GroupedWord[] = [];
  const n = (v: string | undefined) => {
    const x = Number(v);
    return Number.isFinite(x) && x >= 0 ? x * scale : 0;
  };
  scan: for (const ev of scanXml(xml)) {
    if (ev.kind === 'text') {
      if (inUnit) unit += ev.text;
      continue;
    }
    const name = local(ev.name);
    if (ev.kind === 'end') {
      if (name === 'MeasurementUnit') {
        inUnit = false;
        const u = unit.trim();
        scale = u === 'mm10' ? dpi / 254 : u === 'inch1200' ? dpi / 1200 : 1;
      } else if (name === 'TextLine') {
        serial++;
      }
      continue;
    }
    const a = ev.attrs;
    switch (name) {
      case 'MeasurementUnit':
        inUnit = !ev.selfClosing;
        unit = '';
        break;
      case 'Page':
        if (++pages > 1) break scan;
        size = { width: n(a.WIDTH), height: n(a.HEIGHT) };
        break;
      case 'TextLine':
        serial++;
        if (ev.selfClosing) serial++;
        break;
      case 'String': {
        const text = (a.CONTENT ?? '').normalize('NFC').replace(/\s+/gu, ' ').trim();
        if (!text) break;
        const wc = Number(a.WC);
        words.push({
          text,
          x: n(a.HPOS),
          y: n(a.VPOS),
          w: n(a.WIDTH),
          h: n(a.HEIGHT),
          c: Number.isFinite(wc) ? Math.round(Math.min(1, Math.max(0, wc)) * 10_000) / 100 : 0,
          group: serial,
        });
        break;
      }
      case 'HYP': {
        const last = words[words.length - 1];
        if (last && last.group === serial) last.text = `${last.text}${(a.CONTENT ?? '-').normalize('NFC')}`;
        break;
      }
    }
  }
  return pageTextFromWords(words, size, opts.keepSource === false ? undefined : { format: 'alto', xml });
}
