/**
 * Reading the searchRetrieve responses of other SRU servers (for copy cataloguing), and building the
 * URL that asks for them.
 *
 * Accepts SRU 1.1 and 1.2 (namespace `http://www.loc.gov/zing/srw/`) and 2.0
 * (`http://docs.oasis-open.org/ns/search-ws/sruResponse`) responses under any prefix or as the
 * default namespace, and, leniently, a `searchRetrieveResponse` in no namespace (some home-made
 * servers); records packed as XML (MARCXML with or without a prefix, or any other schema) or as
 * escaped strings; diagnostics in `<diagnostics>` and surrogate diagnostics in place of records.
 * Anything else — broken XML, an HTML error page, an explain or scan response, another root — is
 * `{ ok: false, problem }` with a sentence saying what was wrong and where. Nothing here throws on
 * what a server sends.
 *
 * Records come back as one element each, re-serialized with the namespace declarations they use
 * copied onto them, so that each parses on its own (e.g. with the MARCXML reader).
 *
 * Parsing uses the project's XML tokenizer (`../marc/_xml.ts`): no DTD is read and no entity
 * expanded, so a hostile server cannot make the client fetch anything or blow up.
 */
import { escapeXml } from '../marc/_marcxml.js';
import { XmlTokenizer, type XmlAttr } from '../marc/_xml.js';

export interface SruReadRecord {
  position?: number;
  /** The recordSchema as the server wrote it (a URI or a short name). */
  schema: string;
  /** How the record was carried in the response. */
  packing: 'xml' | 'string';
  /** The record element alone, with its namespaces declared; unescaped when it came as a string. */
  xml: string;
  /** Set when a string-packed record is not well-formed XML (`xml` then holds the text as sent). */
  problem?: string;
}

export interface SruReadDiagnostic {
  uri: string;
  details?: string;
  message?: string;
  /** For a surrogate diagnostic: the position of the record it stands for. */
  position?: number;
}

export type SruReadResult =
  | {
      ok: true;
      version: '1.x' | '2.0';
      numberOfRecords: number;
      nextRecordPosition?: number;
      records: SruReadRecord[];
      diagnostics: SruReadDiagnostic[];
    }
  | { ok: false; problem: string };

const NS_1 = 'http://www.loc.gov/zing/srw/';
const NS_2 = 'http://docs.oasis-open.org/ns/search-ws/sruResponse';
const DIAG_NS = new Set(['http://www.loc.gov/zing/srw/diagnostic/', 'http://docs.oasis-open.org/ns/search-ws/diagnostic']);
const XMLNS_XML = 'http://www.w3.org/XML/1998/namespace';

interface Node {
  name: string;
  local: string;
  /** The element's namespace URI ('' for none). */
  ns: string;
  attrs: XmlAttr[];
  /** Namespace declarations made on this element (prefix '' = default). */
  decls: Map<string, string>;
  children: Array<Node | string>;
  parent: Node | undefined;
  line: number;
  column: number;
}

/** Reads a searchRetrieve response. */
export function readSruResponse(xml: string): SruReadResult {
  if (typeof xml !== 'string') return { ok: false, problem: 'the response is not text' };
  const text = xml.replace(/^\uFEFF/, '');
  if (text.trim() === '') return { ok: false, problem: 'the response is empty' };
  const head = text.slice(0, 2048);
  if (/^\s*<!doctype\s+html/i.test(head) || /^\s*<html[\s>]/i.test(head)) return { ok: false, problem: `the server sent an HTML page, not an SRU response${htmlTitle(text)}` };
  if (!/^\s*</.test(text)) return { ok: false, problem: `the response is not XML (it starts with '${clip(text.trim())}')` };

  const parsed = parseTree(text);
  if (!parsed.ok) return parsed;
  const root = parsed.root;
  if (root.local.toLowerCase() === 'html') return { ok: false, problem: `the server sent an HTML page, not an SRU response${htmlTitle(text)}` };
  if (root.ns !== NS_1 && root.ns !== NS_2 && root.ns !== '') {
    return { ok: false, problem: `the document is <${root.name}> in the namespace ${root.ns}, not an SRU response` };
  }
  if (root.local !== 'searchRetrieveResponse') {
    const diags = root.local === 'explainResponse' || root.local === 'scanResponse' ? diagnosticsOf(root) : [];
    const said = diags.length > 0 ? ` (with the diagnostic ${diags.map(describe).join('; ')})` : '';
    return { ok: false, problem: `the server answered with <${root.name}>, not a searchRetrieveResponse${said}` };
  }
  const sru = root.ns;
  const kids = (n: Node, local: string) => n.children.filter((c): c is Node => typeof c !== 'string' && c.local === local && c.ns === sru);
  const one = (n: Node, local: string) => kids(n, local)[0];

  let version: '1.x' | '2.0' = sru === NS_2 ? '2.0' : '1.x';
  if (sru === '' && textOf(one(root, 'version')).trim() === '2.0') version = '2.0';

  const diagnostics = diagnosticsOf(root);
  const countNode = one(root, 'numberOfRecords');
  let numberOfRecords = 0;
  if (countNode) {
    const t = textOf(countNode).trim();
    if (!/^[0-9]{1,15}$/.test(t)) return { ok: false, problem: `line ${countNode.line}: numberOfRecords is '${clip(t)}', not a number` };
    numberOfRecords = Number(t);
  } else if (version === '1.x' && diagnostics.length === 0) {
    return { ok: false, problem: 'the response has no numberOfRecords (SRU 1.x requires one)' };
  }
  const next = textOf(one(root, 'nextRecordPosition')).trim();
  const nextRecordPosition = /^[0-9]{1,15}$/.test(next) && Number(next) >= 1 ? Number(next) : undefined;

  const records: SruReadRecord[] = [];
  const recordsNode = one(root, 'records');
  for (const rec of recordsNode ? kids(recordsNode, 'record') : []) {
    const schema = textOf(one(rec, 'recordSchema')).trim();
    const pos = textOf(one(rec, 'recordPosition')).trim();
    const position = /^[0-9]{1,15}$/.test(pos) ? Number(pos) : undefined;
    const dataNode = one(rec, 'recordData');
    if (!dataNode) return { ok: false, problem: `line ${rec.line}: a record has no recordData` };
    const at = position !== undefined ? { position } : {};
    // What the record element says about packing is not trusted: servers get it wrong both ways.
    const el = dataNode.children.find((c): c is Node => typeof c !== 'string');
    if (el) {
      if (isSurrogate(schema, el)) diagnostics.push({ ...diagnosticOf(el), ...at });
      else records.push({ ...at, schema, packing: 'xml', xml: serialize(el) });
      continue;
    }
    const t = textOf(dataNode).trim();
    if (t === '') {
      records.push({ ...at, schema, packing: 'xml', xml: '', problem: `line ${dataNode.line}: the recordData is empty` });
      continue;
    }
    const body = withoutDeclaration(t);
    const inner = parseTree(body);
    if (!inner.ok) records.push({ ...at, schema, packing: 'string', xml: body, problem: `the record is not well-formed XML: ${inner.problem}` });
    else if (isSurrogate(schema, inner.root)) diagnostics.push({ ...diagnosticOf(inner.root), ...at });
    else records.push({ ...at, schema, packing: 'string', xml: serialize(inner.root) });
  }
  return { ok: true, version, numberOfRecords, ...(nextRecordPosition !== undefined ? { nextRecordPosition } : {}), records, diagnostics };
}

function isSurrogate(schema: string, el: Node): boolean {
  return el.local === 'diagnostic' && (DIAG_NS.has(el.ns) || /diagnostic/i.test(schema));
}

function diagnosticsOf(root: Node): SruReadDiagnostic[] {
  const box = root.children.find((c): c is Node => typeof c !== 'string' && c.local === 'diagnostics');
  if (!box) return [];
  return box.children.filter((c): c is Node => typeof c !== 'string' && c.local === 'diagnostic').map(diagnosticOf);
}

function diagnosticOf(d: Node): SruReadDiagnostic {
  const part = (local: string) => {
    const n = d.children.find((c): c is Node => typeof c !== 'string' && c.local === local);
    return n ? textOf(n).trim() : undefined;
  };
  const out: SruReadDiagnostic = { uri: part('uri') ?? '' };
  const details = part('details');
  const message = part('message');
  if (details) out.details = details;
  if (message) out.message = message;
  return out;
}

function describe(d: SruReadDiagnostic): string {
  return [d.uri, d.details, d.message].filter(Boolean).join(' ');
}

/** All the text inside a node (undefined node → ''). */
function textOf(n: Node | undefined): string {
  if (!n) return '';
  let out = '';
  for (const c of n.children) out += typeof c === 'string' ? c : textOf(c);
  return out;
}

function withoutDeclaration(s: string): string {
  return s.replace(/^\uFEFF?\s*<\?xml\s[^?]*\?>\s*/, '');
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > 60 ? `${one.slice(0, 60)}…` : one;
}

function htmlTitle(text: string): string {
  const m = /<title[^>]*>([^<]*)<\/title>/i.exec(text);
  return m && m[1]!.trim() ? ` ('${clip(m[1]!.trim())}')` : '';
}

// ---------------------------------------------------------------------------------------- tree

type TreeResult = { ok: true; root: Node } | { ok: false; problem: string };

/** Parses a whole document into elements and text, resolving namespaces; refuses anything not well-formed. */
function parseTree(text: string): TreeResult {
  const tok = new XmlTokenizer();
  tok.feed(text);
  tok.end();
  const stack: Node[] = [];
  let root: Node | undefined;
  for (let t = tok.next(); t; t = tok.next()) {
    if (t.kind === 'problem') {
      if (t.recoverable) continue; // a character XML cannot carry, already dropped
      if (t.code === 'doctype') return { ok: false, problem: `line ${t.line}: the document declares a DOCTYPE, which is refused (no DTD is read)` };
      return { ok: false, problem: `the XML is broken at line ${t.line}, column ${t.column}: ${t.message}` };
    }
    if (t.kind === 'start') {
      if (stack.length === 0 && root) return { ok: false, problem: `line ${t.line}: a second root element <${t.name}>` };
      const parent = stack[stack.length - 1];
      const decls = new Map<string, string>();
      for (const a of t.attrs) {
        if (a.name === 'xmlns') decls.set('', a.value);
        else if (a.name.startsWith('xmlns:')) decls.set(a.name.slice(6), a.value);
      }
      const colon = t.name.indexOf(':');
      const prefix = colon < 0 ? '' : t.name.slice(0, colon);
      const node: Node = { name: t.name, local: colon < 0 ? t.name : t.name.slice(colon + 1), ns: '', attrs: t.attrs, decls, children: [], parent, line: t.line, column: t.column };
      const ns = lookup(node, prefix);
      if (ns === undefined && prefix !== '') return { ok: false, problem: `line ${t.line}, column ${t.column}: the prefix '${prefix}' of <${t.name}> is not declared` };
      node.ns = ns ?? '';
      if (parent) parent.children.push(node);
      else root = node;
      if (!t.selfClosing) stack.push(node);
    } else if (t.kind === 'end') {
      const open = stack.pop();
      if (!open) return { ok: false, problem: `line ${t.line}: the end tag </${t.name}> has no start tag` };
      if (open.name !== t.name) return { ok: false, problem: `the XML is broken at line ${t.line}, column ${t.column}: </${t.name}> closes <${open.name}> (line ${open.line})` };
    } else {
      const top = stack[stack.length - 1];
      if (top) top.children.push(t.text);
      else if (t.text.trim() !== '') return { ok: false, problem: `line ${t.line}: text outside the root element ('${clip(t.text.trim())}')` };
    }
  }
  if (stack.length > 0) return { ok: false, problem: `the XML ends before <${stack[stack.length - 1]!.name}> (line ${stack[stack.length - 1]!.line}) is closed` };
  if (!root) return { ok: false, problem: 'the document has no root element' };
  return { ok: true, root };
}

/** The namespace bound to `prefix` at `node` ('' for an undeclared default; undefined for an undeclared prefix). */
function lookup(node: Node | undefined, prefix: string): string | undefined {
  if (prefix === 'xml') return XMLNS_XML;
  for (let n = node; n; n = n.parent) {
    const v = n.decls.get(prefix);
    if (v !== undefined) return v;
  }
  return prefix === '' ? '' : undefined;
}

/** Prefixes used by element and attribute names in a subtree ('' for unprefixed elements). */
function usedPrefixes(n: Node, into: Set<string>): Set<string> {
  const colon = n.name.indexOf(':');
  into.add(colon < 0 ? '' : n.name.slice(0, colon));
  for (const a of n.attrs) {
    const c = a.name.indexOf(':');
    if (c > 0 && !a.name.startsWith('xmlns:')) into.add(a.name.slice(0, c));
  }
  for (const c of n.children) if (typeof c !== 'string') usedPrefixes(c, into);
  return into;
}

/** The element as text, with the in-scope namespace declarations its subtree uses added to it. */
function serialize(el: Node): string {
  const extra: string[] = [];
  for (const prefix of usedPrefixes(el, new Set())) {
    if (prefix === 'xml' || el.decls.has(prefix)) continue;
    const ns = lookup(el.parent, prefix);
    if (ns === undefined || (prefix === '' && ns === '')) continue;
    extra.push(prefix === '' ? ` xmlns="${escapeXml(ns, true, () => {})}"` : ` xmlns:${prefix}="${escapeXml(ns, true, () => {})}"`);
  }
  return write(el, extra.join(''));
}

function write(n: Node, extra: string): string {
  let out = `<${n.name}${extra}`;
  for (const a of n.attrs) out += ` ${a.name}="${escapeXml(a.value, true, () => {})}"`;
  if (n.children.length === 0) return out + '/>';
  out += '>';
  for (const c of n.children) out += typeof c === 'string' ? escapeXml(c, false, () => {}) : write(c, '');
  return out + `</${n.name}>`;
}

// ------------------------------------------------------------------------------------- the URL

export interface SruSearchUrlOptions {
  /** The SRU version to ask for; `1.1` for servers that speak nothing newer. */
  version: '1.1' | '1.2' | '2.0';
  /** A CQL query; normalised to NFC, as catalogues index their text. */
  query: string;
  startRecord?: number;
  maximumRecords?: number;
  /** Default `marcxml`. */
  recordSchema?: string;
}

/**
 * The URL of a searchRetrieve request to a remote server: `baseUrl`'s own query parameters are
 * kept (some servers select a database that way); SRU's are set, percent-encoded with `%20` for
 * spaces (never `+`, which some servers read literally). 1.x requests carry `operation` and
 * `recordPacking=xml`; 2.0 requests `recordXMLEscaping=xml` and no operation.
 * Throws `TypeError` for a base URL that is not absolute http(s), or numbers that are not positive
 * whole numbers (a configuration mistake, not something a server sends).
 *
 * @example
 * buildSearchUrl('https://lx2.loc.gov/sru/lcdb', { version: '1.1', query: 'bath.isbn = 9786041234567' })
 * // 'https://lx2.loc.gov/sru/lcdb?operation=searchRetrieve&version=1.1&query=bath.isbn%20%3D%209786041234567&recordSchema=marcxml&recordPacking=xml'
 */
export function buildSearchUrl(baseUrl: string, opts: SruSearchUrlOptions): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`SRU base URL '${baseUrl}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`SRU base URL '${baseUrl}' is not http or https`);
  if (opts.startRecord !== undefined && (!Number.isSafeInteger(opts.startRecord) || opts.startRecord < 1)) throw new TypeError(`startRecord ${opts.startRecord} is not a whole number from 1`);
  if (opts.maximumRecords !== undefined && (!Number.isSafeInteger(opts.maximumRecords) || opts.maximumRecords < 0)) throw new TypeError(`maximumRecords ${opts.maximumRecords} is not a whole number from 0`);

  const ours = new Set(['operation', 'version', 'query', 'startRecord', 'maximumRecords', 'recordSchema', 'recordPacking', 'recordXMLEscaping']);
  const pairs: string[] = [];
  for (const part of url.search.replace(/^\?/, '').split('&')) {
    if (part === '') continue;
    let name = part.split('=')[0]!;
    try {
      name = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // A malformed escape: not one of ours, kept as written.
    }
    if (!ours.has(name)) pairs.push(part);
  }
  const set = (name: string, value: string) => pairs.push(`${name}=${encodeURIComponent(value)}`);
  if (opts.version === '2.0') set('version', '2.0');
  else {
    set('operation', 'searchRetrieve');
    set('version', opts.version);
  }
  set('query', opts.query.normalize('NFC'));
  if (opts.startRecord !== undefined) set('startRecord', String(opts.startRecord));
  if (opts.maximumRecords !== undefined) set('maximumRecords', String(opts.maximumRecords));
  set('recordSchema', opts.recordSchema ?? 'marcxml');
  if (opts.version === '2.0') set('recordXMLEscaping', 'xml');
  else set('recordPacking', 'xml');
  url.search = '';
  url.hash = '';
  return `${url.toString()}?${pairs.join('&')}`;
}
