/**
 * The text format of library news and events: a small, safe subset of Markdown that a librarian
 * can learn from five lines of help, parsed into a tree that pages render with Preact (which
 * escapes every string). No HTML ever passes through: `<b>` is shown as the four characters.
 *
 * ```
 * ## A heading                    (a line starting with ##; # and ### are taken too)
 * - an item of a list             (consecutive lines starting with "- ")
 * **bold**, *italic*
 * [the text](https://example.vn)  (links: https:// or a path on this site, /search?q=…)
 * ![what the picture shows](image:12)   (on a line of its own: an image uploaded to this library's site)
 * ```
 *
 * A blank line separates paragraphs; a single line break stays a line break. A backslash makes
 * the next mark plain (`\*`). Anything the format does not know is text. Links to anything else
 * (`javascript:`, `data:`, `http://`, `//host`) are reported as problems and shown as text.
 *
 * The parser runs in time linear in the input (each closing mark is looked for once), so a
 * hostile body of many unmatched marks costs no more than a plain one.
 */

/** The longest body accepted, in characters. */
export const MAX_BODY_LENGTH = 20_000;
/** How deep bold, italic and links may nest inside each other. */
const MAX_DEPTH = 3;
const MAX_URL = 2000;
const MAX_ALT = 300;

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'break' }
  | { kind: 'strong'; children: Inline[] }
  | { kind: 'em'; children: Inline[] }
  | { kind: 'link'; href: string; internal: boolean; children: Inline[] };

export type Block =
  | { kind: 'paragraph'; children: Inline[] }
  | { kind: 'heading'; children: Inline[] }
  | { kind: 'list'; items: Inline[][] }
  | { kind: 'image'; imageId: number; alt: string };

export type BodyProblemCode =
  /** A link to something other than https:// or a path on this site. */
  | 'link'
  /** An image that is not `image:<number>` on a line of its own. */
  | 'image';

export interface BodyProblem {
  /** 1-based line of the body. */
  line: number;
  code: BodyProblemCode;
  /** What was written (cut to 200 characters). */
  text: string;
}

export interface ParsedBody {
  blocks: Block[];
  /** Ids of the images the body shows, in order, without repeats. */
  images: number[];
  problems: BodyProblem[];
}

/** NFC, Unix line ends, tabs as spaces, no other control characters. */
export function normaliseBody(raw: string): string {
  return (
    raw
      .normalize('NFC')
      .replace(/\r\n?/g, '\n')
      .replace(/\t/g, ' ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, '')
  );
}

/**
 * A link target the format allows: `https://` with a host (no user name or password in it, which
 * only serves to disguise where a link goes), or a path on this site (`/…` but not `//…`).
 */
export function safeHref(raw: string): { href: string; internal: boolean } | undefined {
  const url = raw.trim();
  if (url === '' || url.length > MAX_URL) return undefined;
  // eslint-disable-next-line no-control-regex
  if (/[\s<>"'`\\\u0000-\u001f\u007f]/.test(url)) return undefined;
  if (url.startsWith('/')) return url.startsWith('//') ? undefined : { href: url, internal: true };
  if (!/^https:\/\//i.test(url)) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' || parsed.hostname === '' || parsed.username !== '' || parsed.password !== '') return undefined;
  return { href: parsed.href, internal: false };
}

const IMAGE_LINE = /^!\[([^\]\n]*)\]\(\s*([^)\s]*)\s*\)$/;
const IMAGE_REF = /^image:(\d{1,9})$/i;
const HEADING = /^#{1,3}\s+(.*)$/;
const ITEM = /^[-•]\s+(.*)$/;
const ESCAPABLE = new Set(['\\', '*', '[', ']', '(', ')', '#', '-', '!', '_']);

/** Parses a body. Never throws; what cannot be read is text. */
export function parseBody(raw: string): ParsedBody {
  const lines = normaliseBody(raw).split('\n');
  const blocks: Block[] = [];
  const problems: BodyProblem[] = [];
  const images: number[] = [];
  let paragraph: Inline[] | null = null;
  let list: Inline[][] | null = null;
  const flush = () => {
    if (paragraph) blocks.push({ kind: 'paragraph', children: paragraph });
    if (list) blocks.push({ kind: 'list', items: list });
    paragraph = null;
    list = null;
  };
  lines.forEach((line, index) => {
    const lineNo = index + 1;
    const text = line.trim();
    const inline = (s: string) => parseInline(s, { line: lineNo, problems });
    if (text === '') {
      flush();
      return;
    }
    const heading = HEADING.exec(text);
    if (heading) {
      flush();
      blocks.push({ kind: 'heading', children: inline(heading[1]!) });
      return;
    }
    const image = IMAGE_LINE.exec(text);
    if (image) {
      const ref = IMAGE_REF.exec(image[2]!);
      if (ref) {
        flush();
        const imageId = Number(ref[1]);
        blocks.push({ kind: 'image', imageId, alt: image[1]!.trim().slice(0, MAX_ALT) });
        if (!images.includes(imageId)) images.push(imageId);
        return;
      }
      problems.push({ line: lineNo, code: 'image', text: text.slice(0, 200) });
      // Shown as text below.
    }
    const item = ITEM.exec(text);
    if (item) {
      if (paragraph) {
        blocks.push({ kind: 'paragraph', children: paragraph });
        paragraph = null;
      }
      (list ??= []).push(inline(item[1]!));
      return;
    }
    if (list) {
      blocks.push({ kind: 'list', items: list });
      list = null;
    }
    const parsed = image ? [{ kind: 'text' as const, text }] : inline(text);
    if (paragraph) paragraph.push({ kind: 'break' }, ...parsed);
    else paragraph = parsed;
  });
  flush();
  return { blocks, images, problems };
}

interface InlineContext {
  line: number;
  problems: BodyProblem[];
}

/**
 * Finds closing marks at most once per kind: `next(from)` is the first index ≥ `from` where the
 * mark is, or -1; a later call with a larger `from` reuses the last answer while it still lies
 * ahead, so scanning a line costs linear time however many opening marks it has.
 */
function finder(find: (from: number) => number): (from: number) => number {
  let found = -2;
  let searchedFrom = Infinity;
  return (from) => {
    if (found === -1 && from >= searchedFrom) return -1;
    if (found >= from && searchedFrom <= from) return found;
    searchedFrom = from;
    found = find(from);
    return found;
  };
}

function parseInline(s: string, ctx: InlineContext, depth = 0, inLink = false): Inline[] {
  const out: Inline[] = [];
  let text = '';
  const push = (node: Inline) => {
    if (text !== '') out.push({ kind: 'text', text });
    text = '';
    out.push(node);
  };
  const isSingleStar = (j: number) => s[j] === '*' && s[j + 1] !== '*' && s[j - 1] !== '*';
  const nextDouble = finder((from) => s.indexOf('**', from));
  const nextSingle = finder((from) => {
    for (let j = s.indexOf('*', from); j !== -1; j = s.indexOf('*', j + 1)) if (isSingleStar(j) && s[j - 1] !== '\\') return j;
    return -1;
  });
  const nextCloseBracket = finder((from) => s.indexOf(']', from));
  const nextCloseParen = finder((from) => s.indexOf(')', from));
  const nested = depth + 1 < MAX_DEPTH;

  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length && ESCAPABLE.has(s[i + 1]!)) {
      text += s[i + 1];
      i += 2;
      continue;
    }
    if (c === '*' && s[i + 1] === '*' && nested) {
      const end = nextDouble(i + 2);
      if (end > i + 2) {
        push({ kind: 'strong', children: parseInline(s.slice(i + 2, end), ctx, depth + 1, inLink) });
        i = end + 2;
        continue;
      }
      text += '**';
      i += 2;
      continue;
    }
    if (c === '*' && isSingleStar(i) && nested) {
      const end = nextSingle(i + 1);
      if (end > i + 1) {
        push({ kind: 'em', children: parseInline(s.slice(i + 1, end), ctx, depth + 1, inLink) });
        i = end + 1;
        continue;
      }
    }
    if (c === '[' && !inLink && nested) {
      const close = nextCloseBracket(i + 1);
      if (close !== -1 && s[close + 1] === '(') {
        const paren = nextCloseParen(close + 2);
        if (paren !== -1) {
          const label = s.slice(i + 1, close);
          const target = s.slice(close + 2, paren);
          const ok = safeHref(target);
          if (ok) {
            const children = label.trim() === '' ? [{ kind: 'text' as const, text: target.trim() }] : parseInline(label, ctx, depth + 1, true);
            push({ kind: 'link', href: ok.href, internal: ok.internal, children });
          } else {
            const written = s.slice(i, paren + 1);
            // `![…](…)` that is not an image line of its own is a misplaced or foreign image.
            const image = s[i - 1] === '!' || IMAGE_REF.test(target.trim());
            ctx.problems.push({ line: ctx.line, code: image ? 'image' : 'link', text: (image ? `!${written}` : written).slice(0, 200) });
            text += written;
          }
          i = paren + 1;
          continue;
        }
      }
    }
    text += c;
    i++;
  }
  if (text !== '') out.push({ kind: 'text', text });
  return out;
}

/** The plain text of some inline nodes. */
export function inlineText(nodes: readonly Inline[]): string {
  let out = '';
  for (const n of nodes) {
    if (n.kind === 'text') out += n.text;
    else if (n.kind === 'break') out += ' ';
    else out += inlineText(n.children);
  }
  return out;
}

/** The body's opening words as plain text, for lists and link previews: at most `max` characters, cut at a word. */
export function excerpt(body: ParsedBody, max = 200): string {
  let out = '';
  for (const b of body.blocks) {
    const piece = b.kind === 'paragraph' ? inlineText(b.children) : b.kind === 'list' ? b.items.map(inlineText).join('; ') : '';
    if (piece === '') continue;
    out = out === '' ? piece : `${out} ${piece}`;
    if (out.length >= max) break;
  }
  out = out.replace(/\s+/g, ' ').trim();
  if (out.length <= max) return out;
  const cut = out.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,.;:–-]+$/, '')}…`;
}
