/**
 * A streaming reader of OAI-PMH 2.0 responses for the harvester, on the project's XML tokenizer
 * (`../marc/_xml.ts`: no DTD, no entity but the five predefined ones, nothing fetched).
 *
 * Text (or UTF-8 bytes) goes in with `feed`/`feedBytes` as it arrives, `end()` after the last
 * chunk; `next()` hands out what has been read so far, one item at a time:
 * `response` (responseDate and the request echo), `identify`, `metadataFormat`, `set`, `header`
 * (ListIdentifiers), `record` (GetRecord, ListRecords), `resumptionToken`, `error` (an OAI-PMH
 * error the repository answered with), `warning` and `problem`.
 *
 * - OAI-PMH elements are recognised by namespace and local name (any prefix); elements in no
 *   namespace are accepted too, as some repositories forget it. Unknown elements are skipped.
 * - A record's metadata (and `<about>`, Identify's `<description>`, `<setDescription>`) comes back
 *   as the serialized element, with the namespace declarations it relied on from outside (an
 *   `xmlns:dc` on `<OAI-PMH>`, say) copied onto it, so the string parses on its own.
 * - `problem` means the document is not well-formed XML (an element never closed, an undeclared
 *   entity or namespace prefix, a bare `&`, a DOCTYPE, text after the root…) or not an OAI-PMH
 *   response at all. It is the last item: the reader stops there, and the harvester must throw
 *   away the whole page, items already handed out included. `readOaiResponse` does that for a
 *   page read at once.
 * - `warning` is for what was repaired and read on: a character XML does not allow (dropped) or
 *   bytes that are not UTF-8 (replaced with U+FFFD) — real repositories send both, and refusing
 *   the page would stop a harvest for good at that record — and datestamps that are not
 *   OAI-PMH datestamps (kept as written).
 */
import { escapeXml } from '../marc/_marcxml.js';
import { Utf8StreamDecoder } from '../marc/_utf8.js';
import { XmlTokenizer, type XmlAttr, type XmlToken } from '../marc/_xml.js';
import { parseDatestamp } from './datestamp.js';

const OAI_NS = 'http://www.openarchives.org/OAI/2.0/';
const OAI_IDENTIFIER_NS = 'http://www.openarchives.org/OAI/2.0/oai-identifier';

export interface HarvestedHeader {
  identifier: string;
  /** As written (seconds or day granularity). */
  datestamp: string;
  setSpecs: string[];
  deleted: boolean;
}

interface At {
  line: number;
  column: number;
}

export type OaiItem =
  | ({ kind: 'response'; responseDate: string; baseUrl: string; request: Record<string, string> } & At)
  | ({ kind: 'header'; header: HarvestedHeader } & At)
  | ({ kind: 'record'; header: HarvestedHeader; metadataXml?: string; aboutXml: string[] } & At)
  | ({ kind: 'resumptionToken'; token: string; completeListSize?: number; cursor?: number; expirationDate?: string } & At)
  | ({ kind: 'error'; code: string; message: string } & At)
  | ({
      kind: 'identify';
      repositoryName: string;
      baseURL: string;
      protocolVersion: string;
      adminEmail: string[];
      earliestDatestamp: string;
      deletedRecord: string;
      granularity: string;
      compression: string[];
      /** Each `<description>`'s element, serialized. */
      descriptions: string[];
      /** The oai-identifier description, when there is one. */
      oaiIdentifier?: { scheme: string; repositoryIdentifier: string; delimiter: string; sampleIdentifier: string };
    } & At)
  | ({ kind: 'metadataFormat'; metadataPrefix: string; schema: string; metadataNamespace: string } & At)
  | ({ kind: 'set'; setSpec: string; setName: string; descriptionXml: string[] } & At)
  | ({ kind: 'warning'; message: string } & At)
  | ({ kind: 'problem'; message: string } & At);

export type OaiProblem = Extract<OaiItem, { kind: 'problem' }>;

export interface OaiReaderOptions {
  /** The most characters one unit (a record, a set, Identify…) may hold; more is a problem. Default 8 Mi. */
  maxUnitChars?: number;
  /** The deepest nesting of elements allowed. Default 256. */
  maxDepth?: number;
}

/** A node of the small tree built for one unit (a record, a header, Identify…). */
interface Node {
  name: string;
  local: string;
  uri: string | null;
  attrs: XmlAttr[];
  /** Namespace bindings in scope here (prefix '' = default namespace). */
  scope: ReadonlyMap<string, string>;
  children: Array<Node | string>;
  line: number;
  column: number;
}

interface Frame {
  name: string;
  local: string;
  uri: string | null;
  scope: ReadonlyMap<string, string>;
  /** What this element is to the reader. */
  role: 'root' | 'verb' | 'unit' | 'inside' | 'skip';
  node?: Node;
  line: number;
  column: number;
}

type Unit = 'responseDate' | 'request' | 'error' | 'Identify' | 'record' | 'header' | 'resumptionToken' | 'metadataFormat' | 'set';

const VERBS = new Set(['Identify', 'ListMetadataFormats', 'ListSets', 'GetRecord', 'ListIdentifiers', 'ListRecords']);
/** The units each container holds. */
const UNITS: Record<string, ReadonlySet<string>> = {
  root: new Set(['responseDate', 'request', 'error', 'Identify']),
  GetRecord: new Set(['record']),
  ListRecords: new Set(['record', 'resumptionToken']),
  ListIdentifiers: new Set(['header', 'resumptionToken']),
  ListSets: new Set(['set', 'resumptionToken']),
  ListMetadataFormats: new Set(['metadataFormat']),
};
const NO_NAMESPACES: ReadonlyMap<string, string> = new Map([['xml', 'http://www.w3.org/XML/1998/namespace']]);

export class OaiResponseReader {
  readonly #tok = new XmlTokenizer();
  readonly #maxUnitChars: number;
  readonly #maxDepth: number;
  #decoder: Utf8StreamDecoder | undefined;
  #stack: Frame[] = [];
  #queue: OaiItem[] = [];
  #stopped = false;
  #ended = false;
  #rootSeen = false;
  #rootClosed = false;
  #unitChars = 0;
  #responseDate = '';
  #head = '';
  #headChecked = false;

  constructor(options: OaiReaderOptions = {}) {
    this.#maxUnitChars = options.maxUnitChars ?? 8 * 1024 * 1024;
    this.#maxDepth = options.maxDepth ?? 256;
  }

  /** Gives the reader the next piece of the response as text. */
  feed(chunk: string): void {
    if (this.#stopped || this.#ended) return;
    if (!this.#headChecked) this.#checkDeclaration(chunk);
    this.#tok.feed(chunk);
  }

  /**
   * Gives the reader the next piece of the response as bytes, read as UTF-8 (OAI-PMH responses are
   * UTF-8, §3.2); bytes that are not UTF-8 become U+FFFD with a warning.
   */
  feedBytes(chunk: Uint8Array): void {
    if (this.#stopped || this.#ended) return;
    this.#decoder ??= new Utf8StreamDecoder();
    this.feed(this.#decoder.decode(chunk));
  }

  /** Says the response is complete. */
  end(): void {
    if (this.#ended) return;
    if (this.#decoder && !this.#stopped) this.#tok.feed(this.#decoder.decode(new Uint8Array(0), true));
    if (!this.#headChecked && !this.#stopped) this.#checkDeclaration('', true);
    this.#ended = true;
    this.#tok.end();
  }

  /** The next item, or undefined when more input is needed (or, after `end()`, when all is read). */
  next(): OaiItem | undefined {
    while (this.#queue.length === 0 && !this.#stopped) {
      const t = this.#tok.next();
      if (!t) {
        if (this.#ended) this.#finish();
        break;
      }
      this.#token(t);
    }
    return this.#queue.shift();
  }

  /** Every item available now. */
  *drain(): Generator<OaiItem> {
    for (let item = this.next(); item; item = this.next()) yield item;
  }

  // ------------------------------------------------------------------------------------ tokens

  #problem(message: string, at: At): void {
    if (this.#stopped) return;
    this.#queue.push({ kind: 'problem', message, line: at.line, column: at.column });
    this.#stopped = true;
    this.#stack = [];
  }

  #warning(message: string, at: At): void {
    this.#queue.push({ kind: 'warning', message, line: at.line, column: at.column });
  }

  /** OAI-PMH responses are UTF-8 (§3.2); a declaration naming another encoding is noted. */
  #checkDeclaration(chunk: string, final = false): void {
    this.#head += chunk;
    if (!final && this.#head.length < 100 && !this.#head.includes('?>')) return;
    this.#headChecked = true;
    const m = /^\uFEFF?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(this.#head);
    const label = m?.[1];
    if (label && !/^utf-?8$/i.test(label)) this.#warning(`the XML declaration names the encoding '${label}'; OAI-PMH responses are UTF-8 and this one is read as UTF-8`, { line: 1, column: 1 });
    this.#head = '';
  }

  #finish(): void {
    if (this.#stopped) return;
    const open = this.#stack[this.#stack.length - 1];
    if (open) {
      this.#problem(`the response ends inside <${open.name}> (line ${open.line}, column ${open.column}), which is never closed`, open);
    } else if (!this.#rootSeen) {
      this.#problem('the response holds no XML element', { line: 1, column: 1 });
    }
    this.#stopped = true;
  }

  #token(t: XmlToken): void {
    switch (t.kind) {
      case 'problem':
        if (t.recoverable && (t.code === 'xml-char' || t.code === 'encoding')) this.#warning(`${t.message}; ${t.repair ?? 'repaired'}`, t);
        else this.#problem(t.message, t);
        return;
      case 'start':
        this.#start(t);
        return;
      case 'end':
        this.#end(t.name, t);
        return;
      case 'text': {
        const top = this.#stack[this.#stack.length - 1];
        if (!top) {
          if (!/^[\s\uFEFF]*$/.test(t.text)) this.#problem(`text outside the root element ('${clip(t.text.trim())}')`, t);
          return;
        }
        if (top.node) {
          this.#grow(t.text.length, t);
          top.node.children.push(t.text);
        }
        return;
      }
    }
  }

  #grow(n: number, at: At): void {
    this.#unitChars += n;
    if (this.#unitChars > this.#maxUnitChars) {
      const unit = this.#stack.find((f) => f.role === 'unit');
      this.#problem(`<${unit?.name ?? 'element'}> is larger than ${this.#maxUnitChars} characters`, at);
    }
  }

  #start(t: Extract<XmlToken, { kind: 'start' }>): void {
    const parent = this.#stack[this.#stack.length - 1];
    if (!parent && this.#rootClosed) return this.#problem(`a second root element <${t.name}> after </OAI-PMH>`, t);
    if (this.#stack.length >= this.#maxDepth) return this.#problem(`elements are nested more than ${this.#maxDepth} deep`, t);
    // Namespaces: bindings declared here, then the element's own and its attributes' prefixes.
    let scope = parent?.scope ?? NO_NAMESPACES;
    let declared: Map<string, string> | undefined;
    for (const a of t.attrs) {
      if (a.name === 'xmlns') (declared ??= new Map()).set('', a.value);
      else if (a.name.startsWith('xmlns:')) (declared ??= new Map()).set(a.name.slice(6), a.value);
    }
    if (declared) scope = new Map([...scope, ...declared]);
    const colon = t.name.indexOf(':');
    const prefix = colon < 0 ? '' : t.name.slice(0, colon);
    const local = colon < 0 ? t.name : t.name.slice(colon + 1);
    if (prefix !== '' && !scope.get(prefix)) return this.#problem(`the namespace prefix '${prefix}' of <${t.name}> is not declared`, t);
    for (const a of t.attrs) {
      const c = a.name.indexOf(':');
      const p = c < 0 ? '' : a.name.slice(0, c);
      if (p !== '' && p !== 'xmlns' && !scope.get(p)) return this.#problem(`the namespace prefix '${p}' of attribute ${a.name} of <${t.name}> is not declared`, t);
    }
    const uri = scope.get(prefix) || null;
    const frame: Frame = { name: t.name, local, uri, scope, role: 'skip', line: t.line, column: t.column };
    const oai = uri === OAI_NS || uri === null;

    if (!parent) {
      this.#rootSeen = true;
      if (!(oai && local === 'OAI-PMH')) return this.#problem(`this is not an OAI-PMH response: the root element is <${t.name}>${uri ? ` in the namespace ${uri}` : ''}`, t);
      frame.role = 'root';
    } else if (parent.node) {
      frame.role = 'inside';
      frame.node = { name: t.name, local, uri, attrs: t.attrs, scope, children: [], line: t.line, column: t.column };
      parent.node.children.push(frame.node);
      this.#grow(t.name.length + t.attrs.reduce((n, a) => n + a.name.length + a.value.length, 0), t);
    } else if (parent.role === 'root' || parent.role === 'verb') {
      const container = parent.role === 'root' ? 'root' : parent.local;
      if (oai && UNITS[container]?.has(local)) {
        frame.role = 'unit';
        frame.node = { name: t.name, local, uri, attrs: t.attrs, scope, children: [], line: t.line, column: t.column };
        this.#unitChars = 0;
      } else if (oai && parent.role === 'root' && VERBS.has(local)) frame.role = 'verb';
    }
    this.#stack.push(frame);
    if (t.selfClosing) this.#end(t.name, t);
  }

  #end(name: string, at: At): void {
    const top = this.#stack[this.#stack.length - 1];
    if (!top) return this.#problem(`the end tag </${name}> has no start tag`, at);
    if (top.name !== name) return this.#problem(`the end tag </${name}> does not match <${top.name}>`, at);
    this.#stack.pop();
    if (top.role === 'root') this.#rootClosed = true;
    if (top.role === 'unit' && top.node) this.#unit(top.local as Unit, top.node);
  }

  // ------------------------------------------------------------------------------------- units

  #unit(kind: Unit, node: Node): void {
    const at = { line: node.line, column: node.column };
    switch (kind) {
      case 'responseDate':
        this.#responseDate = textOf(node).trim();
        return;
      case 'request': {
        const request: Record<string, string> = {};
        for (const a of node.attrs) if (!a.name.startsWith('xmlns') && !a.name.includes(':')) request[a.name] = a.value;
        this.#queue.push({ kind: 'response', responseDate: this.#responseDate, baseUrl: textOf(node).trim(), request, ...at });
        return;
      }
      case 'error':
        this.#queue.push({ kind: 'error', code: attrOf(node, 'code') ?? '', message: textOf(node).trim(), ...at });
        return;
      case 'Identify':
        return this.#identify(node, at);
      case 'metadataFormat':
        this.#queue.push({ kind: 'metadataFormat', metadataPrefix: childText(node, 'metadataPrefix'), schema: childText(node, 'schema'), metadataNamespace: childText(node, 'metadataNamespace'), ...at });
        return;
      case 'set':
        this.#queue.push({
          kind: 'set',
          setSpec: childText(node, 'setSpec'),
          setName: childText(node, 'setName'),
          descriptionXml: children(node, 'setDescription').flatMap((d) => firstElement(d) ?? []).map(serialize),
          ...at,
        });
        return;
      case 'header':
        this.#queue.push({ kind: 'header', header: this.#header(node), ...at });
        return;
      case 'record': {
        const h = children(node, 'header')[0];
        if (!h) return this.#warning('a <record> has no <header>; it is skipped', at);
        const header = this.#header(h);
        const item: Extract<OaiItem, { kind: 'record' }> = { kind: 'record', header, aboutXml: [], ...at };
        const metadata = children(node, 'metadata')[0];
        if (metadata) {
          const elements = metadata.children.filter((c): c is Node => typeof c !== 'string');
          if (elements.length > 1) this.#warning(`the <metadata> of ${header.identifier} holds ${elements.length} elements, not one; the first is kept`, metadata);
          if (elements[0]) item.metadataXml = serialize(elements[0]);
        }
        for (const about of children(node, 'about')) {
          const e = firstElement(about);
          if (e) item.aboutXml.push(serialize(e));
        }
        this.#queue.push(item);
        return;
      }
      case 'resumptionToken': {
        const item: Extract<OaiItem, { kind: 'resumptionToken' }> = { kind: 'resumptionToken', token: textOf(node).trim(), ...at };
        const size = wholeNumber(attrOf(node, 'completeListSize'));
        const cursor = wholeNumber(attrOf(node, 'cursor'));
        const expires = attrOf(node, 'expirationDate');
        if (size !== undefined) item.completeListSize = size;
        if (cursor !== undefined) item.cursor = cursor;
        if (expires !== undefined) item.expirationDate = expires.trim();
        this.#queue.push(item);
        return;
      }
    }
  }

  #header(node: Node): HarvestedHeader {
    const at = { line: node.line, column: node.column };
    const identifier = childText(node, 'identifier');
    const datestamp = childText(node, 'datestamp');
    if (identifier === '') this.#warning('a <header> has no identifier', at);
    if (!validDatestamp(datestamp)) this.#warning(`the datestamp '${clip(datestamp)}' of ${identifier || 'a header'} is not an OAI-PMH datestamp`, at);
    const setSpecs = children(node, 'setSpec').map((s) => textOf(s).trim());
    return { identifier, datestamp, setSpecs: [...new Set(setSpecs)], deleted: attrOf(node, 'status') === 'deleted' };
  }

  #identify(node: Node, at: At): void {
    const earliestDatestamp = childText(node, 'earliestDatestamp');
    if (!validDatestamp(earliestDatestamp)) this.#warning(`the earliestDatestamp '${clip(earliestDatestamp)}' is not an OAI-PMH datestamp`, at);
    const item: Extract<OaiItem, { kind: 'identify' }> = {
      kind: 'identify',
      repositoryName: childText(node, 'repositoryName'),
      baseURL: childText(node, 'baseURL'),
      protocolVersion: childText(node, 'protocolVersion'),
      adminEmail: children(node, 'adminEmail').map((n) => textOf(n).trim()),
      earliestDatestamp,
      deletedRecord: childText(node, 'deletedRecord'),
      granularity: childText(node, 'granularity'),
      compression: children(node, 'compression').map((n) => textOf(n).trim()),
      descriptions: [],
      ...at,
    };
    for (const d of children(node, 'description')) {
      const e = firstElement(d);
      if (!e) continue;
      item.descriptions.push(serialize(e));
      if (e.uri === OAI_IDENTIFIER_NS && e.local === 'oai-identifier' && !item.oaiIdentifier) {
        const part = (local: string) => textOf(e.children.find((c): c is Node => typeof c !== 'string' && c.local === local) ?? e, false).trim();
        item.oaiIdentifier = { scheme: part('scheme'), repositoryIdentifier: part('repositoryIdentifier'), delimiter: part('delimiter'), sampleIdentifier: part('sampleIdentifier') };
      }
    }
    this.#queue.push(item);
  }
}

/**
 * Reads a whole response at once. `problem` is set when the document is malformed (and `items`
 * then holds what came before it, which the harvester should not keep).
 */
export function readOaiResponse(input: string | Uint8Array, options?: OaiReaderOptions): { items: OaiItem[]; problem?: OaiProblem } {
  const reader = new OaiResponseReader(options);
  if (typeof input === 'string') reader.feed(input);
  else reader.feedBytes(input);
  reader.end();
  const items: OaiItem[] = [];
  for (const item of reader.drain()) {
    if (item.kind === 'problem') return { items, problem: item };
    items.push(item);
  }
  return { items };
}

// -------------------------------------------------------------------------------- tree helpers

function validDatestamp(s: string): boolean {
  return !('error' in parseDatestamp(s));
}

function wholeNumber(s: string | undefined): number | undefined {
  const t = s?.trim();
  return t !== undefined && /^\d{1,15}$/.test(t) ? Number(t) : undefined;
}

function isOai(n: Node): boolean {
  return n.uri === OAI_NS || n.uri === null;
}

function children(node: Node, local: string): Node[] {
  return node.children.filter((c): c is Node => typeof c !== 'string' && c.local === local && isOai(c));
}

function firstElement(node: Node): Node | undefined {
  return node.children.find((c): c is Node => typeof c !== 'string');
}

/** The text of a node: its own text, or with `deep` that of its descendants too. */
function textOf(node: Node, deep = true): string {
  let out = '';
  for (const c of node.children) {
    if (typeof c === 'string') out += c;
    else if (deep) out += textOf(c);
  }
  return out;
}

function childText(node: Node, local: string): string {
  const c = children(node, local)[0];
  return c ? textOf(c).trim() : '';
}

function attrOf(node: Node, name: string): string | undefined {
  return node.attrs.find((a) => a.name === name)?.value;
}

const ignore = () => {};

/** Prefixes the elements and attributes of a subtree use (`''` for unprefixed element names). */
function usedPrefixes(node: Node, out: Set<string>): Set<string> {
  const colon = node.name.indexOf(':');
  out.add(colon < 0 ? '' : node.name.slice(0, colon));
  for (const a of node.attrs) {
    const c = a.name.indexOf(':');
    if (c > 0 && !a.name.startsWith('xmlns')) out.add(a.name.slice(0, c));
  }
  for (const c of node.children) if (typeof c !== 'string') usedPrefixes(c, out);
  return out;
}

/**
 * A subtree as XML that stands on its own: the root element gets a declaration for every prefix
 * the subtree uses that was bound outside it (a declaration made again deeper down still wins
 * there, so nothing changes meaning).
 */
function serialize(root: Node): string {
  const own = new Set(root.attrs.filter((a) => a.name === 'xmlns' || a.name.startsWith('xmlns:')).map((a) => (a.name === 'xmlns' ? '' : a.name.slice(6))));
  let extra = '';
  for (const p of usedPrefixes(root, new Set())) {
    if (own.has(p) || p === 'xml') continue;
    const uri = root.scope.get(p);
    if (uri) extra += p === '' ? ` xmlns="${escapeXml(uri, true, ignore)}"` : ` xmlns:${p}="${escapeXml(uri, true, ignore)}"`;
  }
  return write(root, extra);
}

function write(node: Node, extra = ''): string {
  let out = `<${node.name}`;
  for (const a of node.attrs) out += ` ${a.name}="${escapeXml(a.value, true, ignore)}"`;
  out += extra;
  if (node.children.length === 0) return `${out}/>`;
  out += '>';
  for (const c of node.children) out += typeof c === 'string' ? escapeXml(c, false, ignore) : write(c);
  return `${out}</${node.name}>`;
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
