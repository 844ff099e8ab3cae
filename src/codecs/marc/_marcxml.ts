/**
 * MARCXML (MARC 21 slim, https://www.loc.gov/standards/marcxml/) on top of the tokenizer in
 * `_xml.ts`: a reader that builds records as the tokens come, and the writer's core.
 *
 * A `<record>` is MARC when its namespace is `http://www.loc.gov/MARC21/slim` (any prefix) or when
 * it has no namespace at all; anything around records (a `<collection>`, an OAI-PMH envelope) is
 * walked through. A record broken beyond repair (malformed markup, a mismatched end tag) becomes
 * an error result and the reader skips to the next `<record>`.
 */
import { makeIssue, type MarcIssue, type MarcIssueCode, type MarcResult } from './errors.js';
import { Issues, RecordFailure, type Where } from './_issues.js';
import { isValidIndicator, isValidSubfieldCode } from './_iso2709.js';
import { Utf8StreamDecoder } from './_utf8.js';
import { XmlTokenizer, type XmlAttr, type XmlToken } from './_xml.js';
import type { DataField, MarcField, MarcRecord } from './record.js';

export const MARCXML_NS = 'http://www.loc.gov/MARC21/slim';
/** The leader a record gets when its own is missing (lengths are recomputed by writers). */
const BLANK_LEADER = '00000    a2200000   4500';

type Role = 'outside' | 'record' | 'leader' | 'control' | 'data' | 'subfield' | 'ignored';

interface Frame {
  name: string;
  role: Role;
  /** Namespace declarations made on this element (prefix '' = default). */
  ns?: Map<string, string>;
  line: number;
  column: number;
  attrs: XmlAttr[];
  text: string;
}

interface Building {
  number: number;
  issues: Issues;
  line: number;
  column: number;
  depth: number;
  leader?: { text: string; where: Where };
  fields: MarcField[];
  data?: DataField;
}

/** Reads MARCXML pushed as text or bytes, yielding each record as soon as its end tag is read. */
export class MarcXmlReader {
  readonly #strict: boolean;
  readonly #nfc: (s: string) => string;
  readonly #tok = new XmlTokenizer();
  #stack: Frame[] = [];
  #rec: Building | undefined;
  #count = 0;
  /** After a broken record: ignore everything until the next `<record>` (at this depth). */
  #skipDepth = -1;
  #stopped = false;
  // Byte input
  #decoder: { decode(chunk: Uint8Array, final?: boolean): string } | undefined;
  #head: Uint8Array | undefined;
  #fatal: MarcIssue | undefined;

  constructor(opts: { strict: boolean; normalize: boolean }) {
    this.#strict = opts.strict;
    this.#nfc = opts.normalize ? (s) => s.normalize('NFC') : (s) => s;
  }

  *pushText(text: string): Generator<MarcResult> {
    this.#tok.feed(text);
    yield* this.#run();
  }

  *pushBytes(chunk: Uint8Array): Generator<MarcResult> {
    if (!this.#decoder) {
      // Wait for enough bytes to read the XML declaration's encoding.
      const head = this.#head ? concat(this.#head, chunk) : chunk;
      const text = latin1Prefix(head, 300);
      if (head.length < 300 && !/\?>/.test(text)) {
        this.#head = head;
        return;
      }
      this.#head = undefined;
      this.#decoder = this.#pickDecoder(head);
      if (this.#fatal) return;
      yield* this.pushText(this.#decoder.decode(head));
      return;
    }
    yield* this.pushText(this.#decoder.decode(chunk));
  }

  *end(): Generator<MarcResult> {
    if (this.#head && !this.#decoder) {
      const head = this.#head;
      this.#head = undefined;
      this.#decoder = this.#pickDecoder(head);
      if (!this.#fatal) this.#tok.feed(this.#decoder.decode(head, true));
    } else if (this.#decoder) this.#tok.feed(this.#decoder.decode(new Uint8Array(0), true));
    if (this.#fatal) {
      const error = this.#fatal;
      this.#fatal = undefined;
      yield { ok: false, error, warnings: [], position: { record: 1, line: 1, column: 1 } };
      return;
    }
    this.#tok.end();
    yield* this.#run();
    if (this.#rec && !this.#stopped) {
      const rec = this.#rec;
      this.#rec = undefined;
      yield this.#failure(rec, makeIssue('truncated', { record: rec.number, line: rec.line, column: rec.column }, 'the input ends inside this <record>'));
    }
  }

  #pickDecoder(head: Uint8Array): { decode(chunk: Uint8Array, final?: boolean): string } {
    if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return new Utf8StreamDecoder();
    if ((head[0] === 0xfe && head[1] === 0xff) || (head[0] === 0xff && head[1] === 0xfe)) {
      const td = new TextDecoder(head[0] === 0xfe ? 'utf-16be' : 'utf-16le');
      return { decode: (c, final) => td.decode(c, { stream: !final }) };
    }
    const decl = /^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(latin1Prefix(head, 300));
    const label = decl?.[1]?.toLowerCase();
    if (!label || label === 'utf-8' || label === 'utf8') return new Utf8StreamDecoder();
    try {
      const td = new TextDecoder(label);
      return { decode: (c, final) => td.decode(c, { stream: !final }) };
    } catch {
      this.#fatal = makeIssue('xml', { record: 1, line: 1, column: 1 }, `the XML declaration names the encoding '${decl![1]}', which this reader does not know`);
      return { decode: () => '' };
    }
  }

  #failure(rec: Building, error: MarcIssue): MarcResult {
    return { ok: false, error, warnings: rec.issues.warnings, position: { record: rec.number, line: rec.line, column: rec.column } };
  }

  *#run(): Generator<MarcResult> {
    if (this.#stopped) return;
    for (let t = this.#tok.next(); t; t = this.#tok.next()) {
      const out = this.#token(t);
      if (out) yield out;
      if (this.#stopped) return;
    }
  }

  /** Breaks the current record (or, outside records, reports a document problem) and resynchronises. */
  #broken(issue: (n: number) => MarcIssue): MarcResult {
    const rec = this.#rec;
    if (rec) {
      this.#rec = undefined;
      this.#stack.length = rec.depth;
      this.#skipDepth = rec.depth;
      return this.#failure(rec, issue(rec.number));
    }
    const n = ++this.#count;
    const error = issue(n);
    return { ok: false, error, warnings: [], position: { record: n, line: error.line, column: error.column } };
  }

  #token(t: XmlToken): MarcResult | undefined {
    if (t.kind === 'problem') {
      if (t.code === 'doctype') {
        this.#stopped = true;
        this.#rec = undefined;
        return this.#broken((n) => makeIssue('doctype', { record: n, line: t.line, column: t.column }, t.message));
      }
      if (this.#skipDepth >= 0) return undefined;
      if (t.recoverable) {
        if (this.#rec) return this.#guard(() => this.#rec!.issues.report(t.code as MarcIssueCode, { line: t.line, column: t.column }, t.message, t.repair));
        return undefined;
      }
      return this.#broken((n) => makeIssue('xml', { record: n, line: t.line, column: t.column }, t.message));
    }
    if (t.kind === 'start') return this.#start(t);
    if (t.kind === 'end') return this.#end(t.name, t.line, t.column);
    // text
    if (this.#skipDepth >= 0 || this.#stack.length === 0) return undefined;
    const top = this.#stack[this.#stack.length - 1]!;
    if (top.role === 'leader' || top.role === 'control' || top.role === 'subfield') top.text += t.text;
    else if ((top.role === 'record' || top.role === 'data') && /\S/.test(t.text) && this.#rec) {
      const where = { line: t.line, column: t.column };
      return this.#guard(() => this.#rec!.issues.report('structure', where, `text outside any field ('${clip(t.text.trim())}')`, 'ignored'));
    }
    return undefined;
  }

  /** Runs a report; in strict mode a report fails the record. */
  #guard(fn: () => void): MarcResult | undefined {
    try {
      fn();
      return undefined;
    } catch (e) {
      if (!(e instanceof RecordFailure)) throw e;
      return this.#broken(() => e.issue);
    }
  }

  #namespace(name: string, attrs: XmlAttr[]): { local: string; uri: string | null; decls?: Map<string, string> } {
    let decls: Map<string, string> | undefined;
    for (const a of attrs) {
      if (a.name === 'xmlns') (decls ??= new Map()).set('', a.value);
      else if (a.name.startsWith('xmlns:')) (decls ??= new Map()).set(a.name.slice(6), a.value);
    }
    const colon = name.indexOf(':');
    const prefix = colon < 0 ? '' : name.slice(0, colon);
    const local = colon < 0 ? name : name.slice(colon + 1);
    let uri: string | null = decls?.get(prefix) ?? null;
    if (uri === null) {
      for (let k = this.#stack.length - 1; k >= 0; k--) {
        const v = this.#stack[k]!.ns?.get(prefix);
        if (v !== undefined) {
          uri = v;
          break;
        }
      }
    }
    return { local, uri: uri === '' ? null : uri, decls };
  }

  #start(t: Extract<XmlToken, { kind: 'start' }>): MarcResult | undefined {
    const { local, uri, decls } = this.#namespace(t.name, t.attrs);
    const marc = uri === null || uri === MARCXML_NS;
    const frame: Frame = { name: t.name, role: 'ignored', ns: decls, line: t.line, column: t.column, attrs: t.attrs, text: '' };
    let result: MarcResult | undefined;
    if (this.#skipDepth >= 0) {
      if (!(marc && local === 'record')) return undefined;
      this.#skipDepth = -1;
    }
    const parent = this.#stack[this.#stack.length - 1];
    const parentRole: Role = parent ? parent.role : 'outside';
    const where = { line: t.line, column: t.column };
    if (marc && local === 'record' && parentRole !== 'outside') {
      // A record inside a record: the first one was never closed.
      result = this.#broken((n) => makeIssue('xml', { record: n, ...where }, 'a <record> starts inside this record, which has no </record>'));
      this.#skipDepth = -1;
    }
    const inside = this.#stack[this.#stack.length - 1]?.role ?? 'outside';
    if (inside === 'outside') {
      frame.role = marc && local === 'record' ? 'record' : 'outside';
      if (frame.role === 'record') {
        const number = ++this.#count;
        this.#rec = { number, issues: new Issues(this.#strict, number), line: t.line, column: t.column, depth: this.#stack.length, fields: [] };
      }
    } else if (inside === 'record') {
      if (marc && local === 'leader') frame.role = 'leader';
      else if (marc && local === 'controlfield') frame.role = 'control';
      else if (marc && local === 'datafield') {
        frame.role = 'data';
        const r = this.#guard(() => (this.#rec!.data = this.#dataField(t.attrs, where)));
        if (r) return r;
      } else {
        const r = this.#guard(() => this.#rec!.issues.report('structure', where, `unexpected element <${t.name}> in <record>`, `ignored`));
        if (r) return r;
      }
    } else if (inside === 'data' && marc && local === 'subfield') {
      frame.role = 'subfield';
    } else if (inside !== 'ignored') {
      const r = this.#guard(() => this.#rec!.issues.report('structure', where, `unexpected element <${t.name}> inside <${this.#stack[this.#stack.length - 1]!.name}>`, `ignored`));
      if (r) return r;
    }
    this.#stack.push(frame);
    if (t.selfClosing) return result ?? this.#end(t.name, t.line, t.column);
    return result;
  }

  #end(name: string, line: number, column: number): MarcResult | undefined {
    if (this.#skipDepth >= 0) {
      // The element that held the broken record closes: the structure is in step again.
      if (this.#stack.length > 0 && this.#stack.length === this.#skipDepth && this.#stack[this.#stack.length - 1]!.name === name) {
        this.#stack.pop();
        this.#skipDepth = -1;
      }
      return undefined;
    }
    const top = this.#stack[this.#stack.length - 1];
    if (!top || top.name !== name) {
      const detail = top ? `the end tag </${name}> does not match <${top.name}> (line ${top.line}, column ${top.column})` : `the end tag </${name}> has no start tag`;
      if (!this.#rec) {
        // Outside records: pop to a matching element if there is one, and carry on.
        const k = this.#stack.map((f) => f.name).lastIndexOf(name);
        if (k >= 0) this.#stack.length = k;
        return this.#broken((n) => makeIssue('xml', { record: n, line, column }, detail));
      }
      return this.#broken((n) => makeIssue('xml', { record: n, line, column }, detail));
    }
    this.#stack.pop();
    const rec = this.#rec;
    if (!rec) return undefined;
    const where = { line: top.line, column: top.column };
    switch (top.role) {
      case 'leader':
        if (rec.leader) return this.#guard(() => rec.issues.report('structure', where, 'the record has a second <leader>', 'ignored'));
        rec.leader = { text: top.text, where };
        return undefined;
      case 'control':
        return this.#guard(() => {
          const tag = this.#tag(top.attrs, where, 'controlfield');
          if (tag !== undefined) rec.fields.push({ tag, value: this.#nfc(top.text) });
        });
      case 'subfield':
        return this.#guard(() => {
          const code = attr(top.attrs, 'code');
          const value = this.#nfc(top.text);
          const data = rec.data;
          if (!data) return;
          if (code === undefined || code.length === 0) {
            rec.issues.report('subfield-code', where, `a <subfield> of field ${data.tag} has no code`, `its text '${clip(value)}' is dropped`);
            return;
          }
          const chars = Array.from(code);
          if (chars.length > 1) rec.issues.report('subfield-code', where, `field ${data.tag} has the subfield code '${code}', more than one character`, `'${chars[0]}' is used`);
          if (!isValidSubfieldCode(chars[0]!)) rec.issues.report('subfield-code', where, `field ${data.tag} has the subfield code '${chars[0]}', not a lower-case letter or digit`);
          data.subfields.push({ code: chars[0]!, value });
        });
      case 'data':
        return this.#guard(() => {
          const data = rec.data;
          rec.data = undefined;
          if (!data || data.tag === '') return;
          if (data.subfields.length === 0) rec.issues.report('subfield', where, `field ${data.tag} has no subfields`);
          rec.fields.push(data);
        });
      case 'record':
        return this.#finish(rec);
      default:
        return undefined;
    }
  }

  /** The tag attribute, checked; undefined (field dropped) when there is none to use. */
  #tag(attrs: XmlAttr[], where: Where, element: string): string | undefined {
    const rec = this.#rec!;
    const tag = attr(attrs, 'tag');
    if (tag === undefined || tag === '') {
      rec.issues.report('tag', where, `a <${element}> has no tag`, `dropped`);
      return undefined;
    }
    if (/^[0-9A-Za-z]{3}$/.test(tag)) return tag;
    if (/^[0-9]{1,2}$/.test(tag)) {
      const padded = tag.padStart(3, '0');
      rec.issues.report('tag', where, `the tag '${tag}' is not three characters`, `read as ${padded}`);
      return padded;
    }
    rec.issues.report('tag', where, `the tag '${tag}' is not three letters or digits`, `the field is dropped`);
    return undefined;
  }

  #dataField(attrs: XmlAttr[], where: Where): DataField {
    const rec = this.#rec!;
    const tag = this.#tag(attrs, where, 'datafield') ?? '';
    const ind = (n: 1 | 2): string => {
      const v = attr(attrs, `ind${n}`);
      if (v === undefined || v === '') {
        if (tag) rec.issues.report('indicator', where, `field ${tag} has no ind${n}`, `a blank is used`);
        return ' ';
      }
      const chars = Array.from(v);
      if (chars.length > 1) rec.issues.report('indicator', where, `field ${tag} has ind${n}='${v}', more than one character`, `'${chars[0]}' is used`);
      if (!isValidIndicator(chars[0]!)) rec.issues.report('indicator', where, `field ${tag} has ind${n}='${chars[0]}', not a blank, digit or lower-case letter`);
      return chars[0]!;
    };
    const ind1 = ind(1);
    const ind2 = ind(2);
    return { tag, ind1, ind2, subfields: [] };
  }

  #finish(rec: Building): MarcResult {
    this.#rec = undefined;
    try {
      let leader = rec.leader?.text;
      const where = rec.leader?.where ?? { line: rec.line, column: rec.column };
      if (leader === undefined) {
        rec.issues.report('structure', where, 'the record has no <leader>', 'a blank one is used');
        leader = BLANK_LEADER;
      }
      if (/[^\x20-\x7e]/.test(leader)) {
        rec.issues.report('leader', where, 'the leader has characters other than printable ASCII', 'read as blanks');
        leader = leader.replace(/[^\x20-\x7e]/g, ' ');
      }
      if (leader.length !== 24) {
        rec.issues.report('leader', where, `the leader is ${leader.length} characters, not 24`, `${leader.length < 24 ? 'padded with blanks' : 'cut to 24'}`);
        leader = leader.padEnd(24, ' ').slice(0, 24);
      }
      const record: MarcRecord = { leader: leader.slice(0, 9) + 'a' + leader.slice(10), fields: rec.fields };
      return { ok: true, record, warnings: rec.issues.warnings, position: { record: rec.number, line: rec.line, column: rec.column } };
    } catch (e) {
      if (!(e instanceof RecordFailure)) throw e;
      return this.#failure(rec, e.issue);
    }
  }
}

function attr(attrs: XmlAttr[], name: string): string | undefined {
  for (const a of attrs) if (a.name === name) return a.value;
  return undefined;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}

function latin1Prefix(bytes: Uint8Array, n: number): string {
  let s = '';
  for (let i = 0; i < bytes.length && i < n; i++) s += String.fromCharCode(bytes[i]!);
  return s;
}

// ------------------------------------------------------------------------------------ writing

const ESCAPE: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;', '\t': '&#9;', '\n': '&#10;' };
// Characters that need an entity, or that XML cannot carry at all (dropped).
// eslint-disable-next-line no-control-regex
const NEEDS_WORK = /[&<>"'\x00-\x08\x0b-\x1f\ud800-\udfff\ufffe\uffff]/;
// eslint-disable-next-line no-control-regex
const NEEDS_WORK_ATTR = /[&<>"'\x00-\x1f\ud800-\udfff\ufffe\uffff]/;

/** Escapes text (`attr` false) or an attribute value, dropping what XML 1.0 cannot represent. */
export function escapeXml(s: string, attr: boolean, dropped: (cp: number) => void): string {
  if (!(attr ? NEEDS_WORK_ATTR : NEEDS_WORK).test(s)) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s[i]!;
    const c = ch.charCodeAt(0);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      out += ch + s[++i];
      continue;
    }
    const e = ESCAPE[ch];
    if (e !== undefined && (attr || (ch !== '\t' && ch !== '\n'))) out += e;
    else if (c === 0x09 || c === 0x0a) out += ch;
    else if (c < 0x20 || (c >= 0xd800 && c <= 0xdfff) || c === 0xfffe || c === 0xffff) dropped(c);
    else out += ch;
  }
  return out;
}

export interface XmlWriteContext {
  /** 1-based number of the record, for messages. */
  index: number;
  onWarning?: (issue: MarcIssue) => void;
}

/** `s` escaped, slowly: only for the rare value that needs it, with the warning's wording. */
function escapeSlow(s: string, attr: boolean, ctx: XmlWriteContext, where: string): string {
  return escapeXml(s, attr, (cp) =>
    ctx.onWarning?.(makeIssue('xml-char', { record: ctx.index }, `${where} contains the character U+${cp.toString(16).toUpperCase().padStart(4, '0')}, which XML cannot carry; dropped`)),
  );
}

/**
 * One record as MARCXML, laid out as yaz-marcdump lays it out (two-space indents, one element per
 * line), so that our output can be compared with yaz's byte for byte. `xmlns` adds the namespace
 * on the `<record>` element (for a record that stands alone).
 */
export function recordToXml(record: MarcRecord, ctx: XmlWriteContext, xmlns: boolean): string {
  // Most values need no escaping: one regex test each, and the slow path only when it matches.
  const leader = NEEDS_WORK.test(record.leader) ? escapeSlow(record.leader, false, ctx, 'the leader') : record.leader;
  let out = (xmlns ? `<record xmlns="${MARCXML_NS}">\n  <leader>` : '<record>\n  <leader>') + leader + '</leader>\n';
  const fields = record.fields;
  for (let i = 0; i < fields.length; i++) {
    const f = fields[i]!;
    const tag = NEEDS_WORK_ATTR.test(f.tag) ? escapeSlow(f.tag, true, ctx, `the tag of field ${f.tag}`) : f.tag;
    if ('subfields' in f) {
      const ind1 = NEEDS_WORK_ATTR.test(f.ind1) ? escapeSlow(f.ind1, true, ctx, `field ${f.tag} ind1`) : f.ind1;
      const ind2 = NEEDS_WORK_ATTR.test(f.ind2) ? escapeSlow(f.ind2, true, ctx, `field ${f.tag} ind2`) : f.ind2;
      out += '  <datafield tag="' + tag + '" ind1="' + ind1 + '" ind2="' + ind2 + '">\n';
      const subs = f.subfields;
      for (let k = 0; k < subs.length; k++) {
        const sf = subs[k]!;
        const code = NEEDS_WORK_ATTR.test(sf.code) ? escapeSlow(sf.code, true, ctx, `field ${f.tag} subfield code`) : sf.code;
        const value = NEEDS_WORK.test(sf.value) ? escapeSlow(sf.value, false, ctx, `field ${f.tag} $${sf.code}`) : sf.value;
        out += '    <subfield code="' + code + '">' + value + '</subfield>\n';
      }
      out += '  </datafield>\n';
    } else {
      const value = NEEDS_WORK.test(f.value) ? escapeSlow(f.value, false, ctx, `field ${f.tag}`) : f.value;
      out += '  <controlfield tag="' + tag + '">' + value + '</controlfield>\n';
    }
  }
  return out + '</record>\n';
}

export const COLLECTION_START = `<collection xmlns="${MARCXML_NS}">\n`;
export const COLLECTION_END = '</collection>\n';
export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
