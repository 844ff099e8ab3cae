/**
 * A small streaming XML tokenizer, enough for MARCXML and the documents that carry it (OAI-PMH,
 * SRU): elements with attributes, text, CDATA, comments and processing instructions, character
 * references and the five predefined entities.
 *
 * It refuses DOCTYPE and entity declarations outright: no DTD is read, no entity is expanded and
 * nothing external is ever fetched (so no XXE and no "billion laughs").
 *
 * Text comes in with `feed()`; `next()` returns the next token, or undefined when it needs more
 * text (or, after `end()`, when the input is exhausted). Problems are tokens too, with their line
 * and column: `recoverable` ones (a bare `&`, a control character) come with a repair already made;
 * the others (a malformed tag, a mismatched end tag is the consumer's to find) leave the document
 * broken at that point, and the tokenizer carries on after the damage so that the consumer can
 * resynchronise on the next record.
 */

export interface XmlAttr {
  name: string;
  value: string;
}

interface At {
  line: number;
  column: number;
}

export type XmlToken =
  | ({ kind: 'start'; name: string; attrs: XmlAttr[]; selfClosing: boolean } & At)
  | ({ kind: 'end'; name: string } & At)
  | ({ kind: 'text'; text: string } & At)
  | ({ kind: 'problem'; code: 'xml' | 'xml-char' | 'encoding' | 'doctype'; recoverable: boolean; message: string; repair?: string } & At);

/** Characters XML 1.0 does not allow (U+FFFF also marks bytes that were not valid UTF-8). */
// eslint-disable-next-line no-control-regex
const BAD_CHAR = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/;
// eslint-disable-next-line no-control-regex
const BAD_CHARS = /[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]/g;
const NAME = /^[A-Za-z_:\u00c0-\uffef][-A-Za-z0-9._:\u00b7\u00c0-\uffef]*$/;
const PREDEFINED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function isXmlChar(cp: number): boolean {
  return cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
}

const u = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;

export class XmlTokenizer {
  #buf = '';
  #i = 0;
  #ended = false;
  /** Line and column of `#buf[#at]`; advanced lazily as tokens are produced. */
  #at = 0;
  #line = 1;
  #column = 1;
  #queue: XmlToken[] = [];

  feed(text: string): void {
    if (this.#i > 0) {
      this.#locate(this.#i);
      this.#buf = this.#buf.slice(this.#i);
      this.#at -= this.#i;
      this.#i = 0;
    }
    this.#buf += text;
  }

  end(): void {
    this.#ended = true;
  }

  /** Line and column of buffer index `idx` (never before the last one asked for). */
  #locate(idx: number): At {
    if (idx <= this.#at) return { line: this.#line, column: this.#column };
    const buf = this.#buf;
    let line = this.#line;
    let column = this.#column;
    for (let k = this.#at; k < idx; k++) {
      const c = buf.charCodeAt(k);
      if (c === 10) {
        line++;
        column = 1;
      } else if (c < 0xdc00 || c > 0xdfff) column++;
    }
    this.#at = idx;
    this.#line = line;
    this.#column = column;
    return { line, column };
  }

  #problem(idx: number | At, code: 'xml' | 'xml-char' | 'encoding' | 'doctype', recoverable: boolean, message: string): XmlToken {
    return { kind: 'problem', code, recoverable, message, ...(typeof idx === 'number' ? this.#locate(idx) : idx) };
  }

  next(): XmlToken | undefined {
    if (this.#queue.length > 0) return this.#queue.shift();
    for (;;) {
      const tok = this.#scan();
      if (tok === null) continue; // skipped markup (comment, PI)
      if (this.#queue.length > 0 && tok) {
        this.#queue.push(tok);
        return this.#queue.shift();
      }
      return tok;
    }
  }

  /** One token; null after skipping a comment or PI; undefined when more input is needed. */
  #scan(): XmlToken | undefined | null {
    const buf = this.#buf;
    const i = this.#i;
    if (i >= buf.length) return undefined;
    if (buf.charCodeAt(i) !== 0x3c) {
      let j = buf.indexOf('<', i);
      if (j < 0) {
        if (!this.#ended) return undefined;
        j = buf.length;
      }
      this.#i = j;
      return this.#text(i, i, buf.slice(i, j), false);
    }
    // Markup
    if (buf.startsWith('<!--', i)) {
      const j = buf.indexOf('-->', i + 4);
      if (j < 0) return this.#incomplete(i, 'a comment');
      this.#i = j + 3;
      return null;
    }
    if (buf.startsWith('<![CDATA[', i)) {
      const j = buf.indexOf(']]>', i + 9);
      if (j < 0) return this.#incomplete(i, 'a CDATA section');
      this.#i = j + 3;
      return this.#text(i, i + 9, buf.slice(i + 9, j), true);
    }
    if (buf.startsWith('<!', i)) {
      if (buf.length - i < 9 && !this.#ended) return undefined;
      const word = /^<!([A-Z]+)/.exec(buf.slice(i, i + 12))?.[1] ?? '';
      if (['DOCTYPE', 'ENTITY', 'ELEMENT', 'ATTLIST', 'NOTATION'].includes(word)) {
        this.#i = buf.length; // nothing after a DOCTYPE is read
        this.#ended = true;
        return this.#problem(i, 'doctype', false, `<!${word} is refused: MARCXML input may not declare a DOCTYPE or entities (nothing is expanded or fetched)`);
      }
      const j = buf.indexOf('>', i);
      if (j < 0) return this.#incomplete(i, 'markup');
      this.#i = j + 1;
      return this.#problem(i, 'xml', false, `unknown markup '${clip(buf.slice(i, j + 1))}'`);
    }
    if (buf.startsWith('<?', i)) {
      const j = buf.indexOf('?>', i + 2);
      if (j < 0) return this.#incomplete(i, 'a processing instruction');
      this.#i = j + 2;
      return null;
    }
    // A tag: find its '>' outside quotes.
    let q = 0;
    let j = i + 1;
    for (; j < buf.length; j++) {
      const c = buf.charCodeAt(j);
      if (q) {
        if (c === q) q = 0;
      } else if (c === 0x22 || c === 0x27) q = c;
      else if (c === 0x3e) break;
      else if (c === 0x3c) {
        // A '<' before the '>': the tag is broken; resume at the '<'.
        this.#i = j;
        return this.#problem(i, 'xml', false, `the tag '${clip(buf.slice(i, j))}' is not closed with '>'`);
      }
    }
    if (j >= buf.length) return this.#incomplete(i, 'a tag');
    this.#i = j + 1;
    return buf.charCodeAt(i + 1) === 0x2f ? this.#endTag(i, buf.slice(i + 2, j)) : this.#startTag(i, buf.slice(i + 1, j));
  }

  #incomplete(i: number, what: string): XmlToken | undefined {
    if (!this.#ended) return undefined;
    this.#i = this.#buf.length;
    return this.#problem(i, 'xml', false, `the input ends inside ${what}`);
  }

  #endTag(i: number, body: string): XmlToken {
    const name = body.trimEnd();
    if (!NAME.test(name)) return this.#problem(i, 'xml', false, `malformed end tag '</${clip(body)}>'`);
    return { kind: 'end', name, ...this.#locate(i) };
  }

  #startTag(i: number, body: string): XmlToken {
    let selfClosing = false;
    if (body.endsWith('/')) {
      selfClosing = true;
      body = body.slice(0, -1);
    }
    const where = this.#locate(i);
    const m = /^[^\s]+/.exec(body);
    const name = m?.[0] ?? '';
    if (!NAME.test(name)) return this.#problem(where, 'xml', false, `malformed tag '<${clip(body)}>'`);
    const attrs: XmlAttr[] = [];
    let k = name.length;
    const n = body.length;
    while (k < n) {
      const ws = k;
      while (k < n && /\s/.test(body[k]!)) k++;
      if (k >= n) break;
      if (k === ws) return this.#problem(where, 'xml', false, `attributes of <${name}> must be separated by white space`);
      const eq = body.indexOf('=', k);
      if (eq < 0) return this.#problem(where, 'xml', false, `attribute '${clip(body.slice(k))}' of <${name}> has no value`);
      const attrName = body.slice(k, eq).trimEnd();
      if (!NAME.test(attrName)) return this.#problem(where, 'xml', false, `malformed attribute name '${clip(attrName)}' in <${name}>`);
      k = eq + 1;
      while (k < n && /\s/.test(body[k]!)) k++;
      const quote = body[k];
      if (quote !== '"' && quote !== "'") return this.#problem(where, 'xml', false, `the value of attribute ${attrName} of <${name}> is not quoted`);
      const close = body.indexOf(quote, k + 1);
      if (close < 0) return this.#problem(where, 'xml', false, `the value of attribute ${attrName} of <${name}> is not closed`);
      const raw = body.slice(k + 1, close);
      const rawAt = i + 1 + k + 1;
      k = close + 1;
      if (raw.includes('<')) return this.#problem(where, 'xml', false, `the value of attribute ${attrName} of <${name}> contains '<'`);
      if (attrs.some((a) => a.name === attrName)) return this.#problem(where, 'xml', false, `attribute ${attrName} appears twice in <${name}>`);
      // Attribute-value normalisation (XML 1.0 §3.3.3): literal white space becomes a space.
      const what = `attribute ${attrName} of <${name}>`;
      const value = this.#refs(rawAt, this.#clean(rawAt, raw, what).replace(/\r\n?|[\n\t]/g, ' '), what);
      attrs.push({ name: attrName, value });
    }
    return { kind: 'start', name, attrs, selfClosing, ...where };
  }

  /** A text token for `raw`, which starts at buffer index `base`. */
  #text(i: number, base: number, raw: string, cdata: boolean): XmlToken {
    const where = this.#locate(i);
    let text = this.#clean(base, raw, 'text');
    if (text.includes('\r')) text = text.replace(/\r\n?/g, '\n');
    if (!cdata) text = this.#refs(base, text, 'text');
    return { kind: 'text', text, ...where };
  }

  /** Drops characters XML does not allow from `s` (at buffer index `base`), with a problem for each. */
  #clean(base: number, s: string, what: string): string {
    if (!BAD_CHAR.test(s)) return s;
    return s.replace(BAD_CHARS, (c: string, offset: number) => {
      const invalidUtf8 = c === '\uffff';
      this.#queue.push({
        kind: 'problem',
        code: invalidUtf8 ? 'encoding' : 'xml-char',
        recoverable: true,
        message: invalidUtf8 ? `${what} contains bytes that are not valid UTF-8` : `${what} contains the character ${u(c.charCodeAt(0))}, which XML does not allow`,
        repair: invalidUtf8 ? 'replaced with U+FFFD' : 'dropped',
        ...this.#locate(base + offset),
      });
      return invalidUtf8 ? '\ufffd' : '';
    });
  }

  /** Replaces references in `s` (at buffer index `base`); a bad one stays as written, with a problem. */
  #refs(base: number, s: string, what: string): string {
    if (!s.includes('&')) return s;
    return s.replace(/&(#x[0-9A-Fa-f]+|#[0-9]+|[A-Za-z_][-A-Za-z0-9._]*)?(;?)/g, (whole: string, ref: string | undefined, semi: string, offset: number) => {
      const problem = (code: 'xml' | 'xml-char', message: string, repair: string) =>
        this.#queue.push({ kind: 'problem', code, recoverable: true, message: `${what}: ${message}`, repair, ...this.#locate(base + offset) });
      if (!ref || !semi) {
        problem('xml', `'${whole}' is not a complete reference`, 'kept as text');
        return whole;
      }
      if (ref[0] === '#') {
        const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
        if (!isXmlChar(cp)) {
          problem('xml-char', `&${ref}; refers to ${cp > 0x10ffff ? 'no character' : u(cp)}, which XML does not allow`, 'dropped');
          return '';
        }
        return String.fromCodePoint(cp);
      }
      const v = PREDEFINED[ref];
      if (v === undefined) {
        problem('xml', `&${ref}; is not one of the five entities XML predefines (no others are expanded)`, 'kept as text');
        return whole;
      }
      return v;
    });
  }
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
