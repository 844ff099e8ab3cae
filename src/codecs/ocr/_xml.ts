/**
 * A small, forgiving scanner for the XML that OCR engines write (hOCR, which is XHTML, and ALTO):
 * start and end tags with their attributes, and text. It reads the whole document from a string
 * and never throws: whatever is malformed (an unclosed tag, an attribute without quotes, a stray
 * `<` or `&`) is read as text or skipped, and the scan carries on.
 *
 * Comments, processing instructions and the DOCTYPE are skipped unread: no DTD is ever looked at
 * and no entity is declared, expanded or fetched, so no XXE and no "billion laughs". Only the five
 * predefined entities, `&nbsp;` (hOCR is HTML) and character references are decoded; any other
 * `&name;` stays as written.
 */

export interface XmlTag {
  kind: 'start';
  /** Lower-cased for HTML-style matching is the caller's choice; this is the name as written. */
  name: string;
  attrs: Record<string, string>;
  selfClosing: boolean;
}

export type XmlEvent = XmlTag | { kind: 'end'; name: string } | { kind: 'text'; text: string };

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** A code point XML 1.0 allows in a document. */
export function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

/**
 * `s` with entity and character references decoded. A reference to a code point XML does not
 * allow (`&#0;`, a surrogate, beyond U+10FFFF) becomes U+FFFD, as HTML parsers do.
 */
export function decodeEntities(s: string): string {
  if (!s.includes('&')) return s;
  return s.replace(/&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z]{2,8});/gu, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const cp = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return isXmlChar(cp) ? String.fromCodePoint(cp) : '\ufffd';
    }
    return NAMED[ref] ?? whole;
  });
}

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu;

/**
 * `s` escaped for XML text or a double-quoted attribute value. Characters XML 1.0 cannot carry at
 * all (C0 controls but tab and line breaks, U+FFFE/U+FFFF, lone surrogates) become U+FFFD; tab, CR
 * and LF are written as references so that an attribute value keeps them (a parser would otherwise
 * normalise them to spaces).
 */
export function escapeXml(s: string): string {
  return s
    .replace(NOT_XML, '\ufffd')
    .replace(/[&<>"\t\n\r]/gu, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' })[c]!);
}

const NAME_START = /[A-Za-z_:\u00c0-\uffef]/u;
const ATTR = /\s*([^\s=/<>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?/uy;

/**
 * The events of `xml`, in document order. Attribute names are as written; values are decoded.
 * A tag that never closes (`<span class='x'` at the end of a truncated file) is dropped.
 */
export function* scanXml(xml: string): Generator<XmlEvent> {
  const n = xml.length;
  let i = 0;
  let textStart = 0;
  const flush = function* (end: number): Generator<XmlEvent> {
    if (end > textStart) yield { kind: 'text', text: decodeEntities(xml.slice(textStart, end)) };
  };
  while (i < n) {
    const lt = xml.indexOf('<', i);
    if (lt < 0) break;
    const next = xml[lt + 1];
    if (xml.startsWith('<!--', lt)) {
      yield* flush(lt);
      const end = xml.indexOf('-->', lt + 4);
      i = textStart = end < 0 ? n : end + 3;
      continue;
    }
    if (xml.startsWith('<![CDATA[', lt)) {
      yield* flush(lt);
      const end = xml.indexOf(']]>', lt + 9);
      const body = xml.slice(lt + 9, end < 0 ? n : end);
      if (body) yield { kind: 'text', text: body };
      i = textStart = end < 0 ? n : end + 3;
      continue;
    }
    if (next === '!' || next === '?') {
      // DOCTYPE, other declarations and processing instructions: skipped, never interpreted. A
      // DOCTYPE's internal subset may hold `>` inside brackets; skip past the closing `]` first.
      yield* flush(lt);
      let from = lt + 2;
      if (next === '!') {
        const bracket = xml.indexOf('[', lt);
        const close = xml.indexOf('>', lt);
        if (bracket >= 0 && (close < 0 || bracket < close)) from = xml.indexOf(']', bracket) < 0 ? n : xml.indexOf(']', bracket);
      }
      const end = xml.indexOf('>', from);
      i = textStart = end < 0 ? n : end + 1;
      continue;
    }
    if (next === '/') {
      const end = xml.indexOf('>', lt + 2);
      if (end < 0) break;
      const name = xml.slice(lt + 2, end).trim();
      if (!name || !NAME_START.test(name[0]!)) {
        i = lt + 1;
        continue;
      }
      yield* flush(lt);
      yield { kind: 'end', name };
      i = textStart = end + 1;
      continue;
    }
    if (next === undefined || !NAME_START.test(next)) {
      // A `<` that starts no tag (`a < b` in bad HTML) is text.
      i = lt + 1;
      continue;
    }
    let j = lt + 1;
    while (j < n && !/[\s/>]/u.test(xml[j]!)) j++;
    const name = xml.slice(lt + 1, j);
    const attrs: Record<string, string> = {};
    let selfClosing = false;
    let closed = false;
    while (j < n) {
      const c = xml[j]!;
      if (c === '>') {
        closed = true;
        j++;
        break;
      }
      if (c === '/' && xml[j + 1] === '>') {
        selfClosing = closed = true;
        j += 2;
        break;
      }
      if (c === '<') break;
      ATTR.lastIndex = j;
      const m = ATTR.exec(xml);
      if (!m || m[0].length === 0) {
        j++;
        continue;
      }
      const value = m[2] ?? m[3] ?? m[4];
      if (!Object.hasOwn(attrs, m[1]!)) attrs[m[1]!] = value === undefined ? '' : decodeEntities(value);
      j += m[0].length;
    }
    if (!closed) {
      // A tag cut off by the end of the file, or by the next `<`: read what came before, drop it.
      yield* flush(lt);
      i = textStart = j;
      continue;
    }
    yield* flush(lt);
    yield { kind: 'start', name, attrs, selfClosing };
    i = textStart = j;
  }
  if (textStart < n) {
    // Trailing text after the last tag; a `<` that opened nothing is kept as text.
    yield { kind: 'text', text: decodeEntities(xml.slice(textStart)) };
  }
}
