/**
 * hOCR (the HTML microformat tesseract writes, https://kba.github.io/hocr-spec/1.2/) to a
 * `PageText`: the words of the first `ocr_page`, each with its `bbox` and `x_wconf` from its
 * `title`, numbered by the line they sit in.
 *
 * Lines are the elements whose class is `ocr_line` or one of the other line classes of the spec
 * (`ocrx_line`, `ocr_caption`, `ocr_header`, `ocr_footer`, `ocr_textfloat`, which tesseract uses
 * for captions and headings); words are `ocrx_word` (or `ocr_word`). A word's text is all the text
 * inside it (tesseract wraps bold or italic words in `<strong>`/`<em>`). Lines without words are
 * not counted, so line numbers run 0, 1, 2… over the lines that hold text. Words found outside any
 * line (hand-edited or broken files) form lines of their own.
 *
 * Never throws: a truncated or malformed file gives the words that could be read. Text is NFC.
 *
 * @example
 *   parseHocr(`<div class='ocr_page' title='bbox 0 0 100 50'><span class='ocr_line'>
 *     <span class='ocrx_word' title='bbox 1 2 30 20; x_wconf 96'>Đường</span></span></div>`)
 *   // → { text: 'Đường', words: [{ text: 'Đường', x: 1, y: 2, w: 29, h: 18, c: 96, line: 0 }], … }
 */
import type { PageText } from '../../app/digital/media.js';
import { pageTextFromWords, type GroupedWord } from './_page.js';
import { scanXml } from './_xml.js';

const LINE_CLASSES = new Set(['ocr_line', 'ocrx_line', 'ocr_caption', 'ocr_header', 'ocr_footer', 'ocr_textfloat']);
const WORD_CLASSES = new Set(['ocrx_word', 'ocr_word']);
/** HTML elements that never have an end tag, so are never left open on the stack. */
const VOID = new Set(['meta', 'link', 'br', 'img', 'hr', 'input', 'col', 'base', 'area', 'wbr']);

export interface HocrOptions {
  /** Keep the hOCR document in `source` (default true). */
  keepSource?: boolean;
}

/**
 * The properties of an hOCR `title` attribute: `bbox 1 2 3 4; x_wconf 96; image "a;b.png"` →
 * `bbox → ['1','2','3','4']`, `x_wconf → ['96']`, `image → ['a;b.png']`. Semicolons inside
 * double quotes do not split.
 */
export function parseHocrTitle(title: string): Map<string, string[]> {
  const props = new Map<string, string[]>();
  for (const part of title.match(/(?:[^;"]|"[^"]*"?)+/gu) ?? []) {
    const tokens = part.match(/"[^"]*"?|[^\s"]+/gu) ?? [];
    const [key, ...values] = tokens;
    if (!key || props.has(key)) continue;
    props.set(
      key,
      values.map((v) => (v.startsWith('"') ? v.replace(/^"|"$/gu, '') : v)),
    );
  }
  return props;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

function bboxOf(props: Map<string, string[]>): Box | undefined {
  const v = props.get('bbox')?.map(Number);
  if (!v || v.length < 4 || v.some((n) => !Number.isFinite(n))) return undefined;
  const [x0, y0, x1, y1] = v as [number, number, number, number];
  if (x1 < x0 || y1 < y0) return undefined;
  return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
}

interface Open {
  name: string;
  line?: boolean;
  word?: { text: string; box: Box | undefined; c: number; serial: number };
}

/** The first page of an hOCR document as `PageText`. */
export function parseHocr(xml: string, opts: HocrOptions = {}): PageText {
  const words: GroupedWord[] = [];
  const stack: Open[] = [];
  let size = { width: 0, height: 0 };
  let pages = 0;
  // Bumped whenever a line opens or closes: consecutive words with the same serial share a line,
  // and words outside any line between two lines get a serial (so a line) of their own.
  let serial = 0;

  const finish = (o: Open) => {
    if (o.line) serial++;
    if (!o.word) return;
    const text = o.word.text.normalize('NFC').replace(/\s+/gu, ' ').trim();
    if (!text) return;
    const b = o.word.box ?? { x: 0, y: 0, w: 0, h: 0 };
    words.push({ text, x: b.x, y: b.y, w: b.w, h: b.h, c: o.word.c, group: o.word.serial });
  };

  scan: for (const ev of scanXml(xml)) {
    if (ev.kind === 'text') {
      for (let k = stack.length - 1; k >= 0; k--) {
        const w = stack[k]!.word;
        if (w) {
          w.text += ev.text;
          break;
        }
      }
      continue;
    }
    const name = ev.name.toLowerCase();
    if (ev.kind === 'end') {
      let k = stack.length - 1;
      while (k >= 0 && stack[k]!.name !== name) k--;
      if (k < 0) continue;
      while (stack.length > k) finish(stack.pop()!);
      continue;
    }
    // HTML attribute names are case-insensitive (`CLASS=`, `Title=`).
    let cls: string | undefined;
    let title: string | undefined;
    for (const [k, v] of Object.entries(ev.attrs)) {
      const key = k.toLowerCase();
      if (key === 'class') cls ??= v;
      else if (key === 'title') title ??= v;
    }
    const classes = (cls ?? '').split(/\s+/u);
    const open: Open = { name };
    if (classes.includes('ocr_page')) {
      // Only the first page: a multi-page document ends for us where the second one starts.
      if (++pages > 1) break scan;
      const box = title ? bboxOf(parseHocrTitle(title)) : undefined;
      if (box) size = { width: box.w, height: box.h };
    }
    if (classes.some((c) => LINE_CLASSES.has(c))) {
      serial++;
      open.line = true;
    }
    if (classes.some((c) => WORD_CLASSES.has(c))) {
      // Words do not nest: a word opening inside another (an unclosed span) ends the first one,
      // so that words keep their order.
      for (const o of stack) {
        if (!o.word) continue;
        finish({ name: o.name, word: o.word });
        o.word = undefined;
      }
      const props = title ? parseHocrTitle(title) : new Map<string, string[]>();
      const conf = Number(props.get('x_wconf')?.[0]);
      open.word = { text: '', box: bboxOf(props), c: Number.isFinite(conf) ? Math.min(100, Math.max(0, conf)) : 0, serial };
    }
    if (ev.selfClosing || VOID.has(name)) {
      finish(open);
      continue;
    }
    stack.push(open);
  }
  // A truncated file: close what is still open, keeping the words read so far.
  while (stack.length) finish(stack.pop()!);
  return pageTextFromWords(words, size, opts.keepSource === false ? undefined : { format: 'hocr', xml });
}
