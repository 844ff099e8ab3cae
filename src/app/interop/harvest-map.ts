/**
 * What one harvested record becomes in the union catalogue. Pure: no I/O, total (a bad record is
 * a `RecordProblem`, never an exception).
 *
 * - `marc21` / `marcxml` (MARC 21 slim, the record as the remote catalogued it) → that record;
 * - `oai_dc` (unqualified Dublin Core) → a MARC record through the digital library's crosswalk
 *   (`dcToMarc`), plus 020 for identifiers that are valid ISBNs;
 * - the kind of metadata is read from the root element (its namespace, else its name), so a
 *   repository that sends MARCXML under an odd prefix is still understood.
 *
 * For a `digital` source (DSpace and other institutional repositories) the record describes a
 * remote electronic resource: 007 `cr` (computer file, remote) makes it an e-resource for the
 * facets, and 856 4 0 links the remote item (its first `http(s)` identifier, a Handle or DOI
 * resolver preferred). A digital object is not made here: the digital library's workflow will
 * not publish an object without pages (`checkTransition`), and the record of an unpublished
 * object points readers at a page they may not open, so a metadata-only item is catalogued as a
 * remote resource instead. For a `catalog` source the DC record is a plain description (no 007;
 * an 856 only when the DC names a URL).
 *
 * Per-record problems are stored as JSON in `harvest_errors.message` (`encodeProblem`), so pages
 * show them in the reader's language.
 */
import { XmlTokenizer } from '../../codecs/marc/_xml.js';
import { MARCXML_NS } from '../../codecs/marc/_marcxml.js';
import { readMarcXml } from '../../codecs/marc/parse.js';
import type { DataField, MarcField, MarcRecord } from '../../codecs/marc/record.js';
import { normaliseIsbn } from '../../domain/catalog/isbn.js';
import { dcToMarc } from '../../domain/digital/dc-marc.js';
import { isDcElement, normaliseDc, type DublinCore } from '../../domain/digital/object.js';
import type { HarvestTarget } from './harvest.ports.js';

export type MetadataKind = 'dc' | 'marc';

/** The metadata formats we take, by their usual OAI-PMH prefixes. */
export const HARVEST_PREFIXES: Readonly<Record<string, MetadataKind>> = { oai_dc: 'dc', marc21: 'marc', marcxml: 'marc' };

export function prefixKind(prefix: string): MetadataKind | undefined {
  return Object.hasOwn(HARVEST_PREFIXES, prefix) ? HARVEST_PREFIXES[prefix] : undefined;
}

const OAI_DC_NS = 'http://www.openarchives.org/OAI/2.0/oai_dc/';
const DC_NS = 'http://purl.org/dc/elements/1.1/';
const DCTERMS_NS = 'http://purl.org/dc/terms/';

export type RecordProblemCode = 'noMetadata' | 'unreadable' | 'wrongFormat' | 'noTitle' | 'invalid' | 'duplicate' | 'hasItems' | 'other';

/** Why a harvested record was not taken. */
export interface RecordProblem {
  code: RecordProblemCode;
  /** Technical detail in the remote's words or the parser's (not translated). */
  detail?: string;
  /** MARC 21 rule errors, shown with the catalogue's `marc.rule.<code>` messages. */
  rules?: Array<{ code: string; tag?: string; params: Record<string, string | number> }>;
}

export interface MapOptions {
  target: HarvestTarget;
  /** `YYYY-MM-DD`, for 008/00-05 of records made from Dublin Core. */
  today: string;
  /** Our MARC organisation code (040 of records made from Dublin Core). */
  orgCode: string;
}

export type MapResult = { ok: true; marc: MarcRecord; title: string; remoteUrl: string | null } | { ok: false; problem: RecordProblem };

/** Maps a record's `<metadata>` element (serialized, as `OaiResponseReader` gives it). */
export function mapHarvestedRecord(metadataXml: string | undefined, o: MapOptions): MapResult {
  if (metadataXml === undefined || metadataXml.trim() === '') return { ok: false, problem: { code: 'noMetadata' } };
  const root = rootElement(metadataXml);
  if ('error' in root) return { ok: false, problem: { code: 'unreadable', detail: root.error } };
  const kind = root.uri === MARCXML_NS || (root.uri === null && (root.local === 'record' || root.local === 'collection')) ? 'marc' : root.local === 'dc' && (root.uri === OAI_DC_NS || root.uri === null || root.uri === DC_NS) ? 'dc' : undefined;
  if (kind === 'marc') return mapMarc(metadataXml, o);
  if (kind === 'dc') return mapDc(metadataXml, o);
  return { ok: false, problem: { code: 'wrongFormat', detail: `<${root.name}>${root.uri ? ` (${root.uri})` : ''}` } };
}

function mapMarc(xml: string, o: MapOptions): MapResult {
  const results = readMarcXml(xml);
  const first = results[0];
  if (!first) return { ok: false, problem: { code: 'unreadable', detail: 'no MARC record in the metadata' } };
  if (!first.ok) return { ok: false, problem: { code: 'unreadable', detail: first.error.message } };
  let marc = first.record;
  const url = marcLink(marc);
  if (o.target === 'digital' && !marc.fields.some((f) => f.tag === '007' && 'value' in f && f.value.startsWith('c'))) {
    marc = withFields(marc, [{ tag: '007', value: REMOTE_007 }]);
  }
  const title = titleOf(marc);
  if (!title) return { ok: false, problem: { code: 'noTitle' } };
  return { ok: true, marc, title, remoteUrl: url };
}

function mapDc(xml: string, o: MapOptions): MapResult {
  const read = readOaiDc(xml);
  if (!read.ok) return { ok: false, problem: { code: 'unreadable', detail: read.error } };
  const dc = read.dc;
  const title = dc.title?.[0];
  if (!title) return { ok: false, problem: { code: 'noTitle' } };
  const url = remoteLink(dc);
  const built = dcToMarc(dc, { today: o.today, orgCode: o.orgCode, objectUrl: url ?? '' });
  // The crosswalk links our own reader and marks the record electronic; harvested records link the remote item.
  let fields: MarcField[] = built.fields.filter((f) => f.tag !== '856' && !(o.target === 'catalog' && f.tag === '007'));
  const isbns = new Set<string>();
  for (const id of dc.identifier ?? []) {
    const n = /^(?:urn:isbn:|isbn[:\s]*)?[\d\s-]{9,20}[\dXx]$/i.test(id.trim()) ? normaliseIsbn(id) : undefined;
    if (n && !isbns.has(n.isbn13)) {
      isbns.add(n.isbn13);
      fields.push(data('020', ' ', ' ', [['a', n.isbn13]]));
    }
  }
  if (url) fields.push(data('856', '4', '0', [['u', url], ['y', REMOTE_LINK_TEXT]]));
  fields = sortByTag(fields);
  return { ok: true, marc: { leader: built.leader, fields }, title, remoteUrl: url ?? null };
}

/** 007 for a remote electronic resource: computer file (c), remote (r), the rest not coded. */
const REMOTE_007 = 'cr |||||||||||';
/** The link text of 856 $y on records of remote items. */
export const REMOTE_LINK_TEXT = 'Xem tại kho gốc';

function data(tag: string, ind1: string, ind2: string, pairs: Array<[string, string]>): DataField {
  return { tag, ind1, ind2, subfields: pairs.map(([code, value]) => ({ code, value })) };
}

/** Fields in tag order, keeping the order of fields with the same tag. */
function sortByTag(fields: readonly MarcField[]): MarcField[] {
  return fields
    .map((f, i) => ({ f, i }))
    .sort((a, b) => (a.f.tag < b.f.tag ? -1 : a.f.tag > b.f.tag ? 1 : a.i - b.i))
    .map((x) => x.f);
}

function withFields(marc: MarcRecord, extra: readonly MarcField[]): MarcRecord {
  return { leader: marc.leader, fields: sortByTag([...marc.fields, ...extra]) };
}

function titleOf(marc: MarcRecord): string {
  for (const f of marc.fields) {
    if (f.tag === '245' && 'subfields' in f) {
      const t = f.subfields
        .filter((s) => s.code === 'a' || s.code === 'b' || s.code === 'k')
        .map((s) => s.value)
        .join(' ')
        .trim();
      if (t) return t;
    }
  }
  return '';
}

function marcLink(marc: MarcRecord): string | null {
  for (const f of marc.fields) {
    if (f.tag === '856' && 'subfields' in f) {
      const u = f.subfields.find((s) => s.code === 'u' && /^https?:\/\//i.test(s.value.trim()));
      if (u) return u.value.trim();
    }
  }
  return null;
}

/**
 * The address of the remote item among a DC record's identifiers: a persistent resolver (Handle,
 * DOI) first, then any other `http(s)` address.
 */
export function remoteLink(dc: DublinCore): string | undefined {
  const urls = (dc.identifier ?? []).map((v) => v.trim()).filter((v) => /^https?:\/\/[^\s]+$/i.test(v));
  return urls.find((u) => /^https?:\/\/(hdl\.handle\.net|(dx\.)?doi\.org)\//i.test(u)) ?? urls[0];
}

// -------------------------------------------------------------------------------- XML reading

interface RootElement {
  name: string;
  local: string;
  uri: string | null;
}

/** The root element of an XML fragment, with its namespace. */
function rootElement(xml: string): RootElement | { error: string } {
  const tok = new XmlTokenizer();
  tok.feed(xml);
  tok.end();
  for (let t = tok.next(); t; t = tok.next()) {
    if (t.kind === 'problem' && !t.recoverable) return { error: `line ${t.line}, column ${t.column}: ${t.message}` };
    if (t.kind !== 'start') continue;
    const scope = declare(new Map(), t.attrs);
    const [prefix, local] = split(t.name);
    return { name: t.name, local, uri: scope.get(prefix) ?? null };
  }
  return { error: 'the metadata holds no XML element' };
}

function split(name: string): [string, string] {
  const c = name.indexOf(':');
  return c < 0 ? ['', name] : [name.slice(0, c), name.slice(c + 1)];
}

function declare(scope: ReadonlyMap<string, string>, attrs: ReadonlyArray<{ name: string; value: string }>): Map<string, string> {
  const out = new Map(scope);
  for (const a of attrs) {
    if (a.name === 'xmlns') out.set('', a.value);
    else if (a.name.startsWith('xmlns:')) out.set(a.name.slice(6), a.value);
  }
  return out;
}

/**
 * The Dublin Core of an `oai_dc` document: the text of each child of the root that is a DC 1.1
 * element (also accepted: the same names in DCMI Terms, and without a namespace, as some
 * repositories write them). Values are NFC, white space collapsed, repeats dropped.
 */
export function readOaiDc(xml: string): { ok: true; dc: DublinCore } | { ok: false; error: string } {
  const tok = new XmlTokenizer();
  tok.feed(xml);
  tok.end();
  const stack: Array<{ name: string; scope: Map<string, string> }> = [];
  const values: Record<string, string[]> = {};
  let collecting: { element: string; depth: number; text: string } | undefined;
  let rootSeen = false;
  for (let t = tok.next(); t; t = tok.next()) {
    const at = `line ${t.line}, column ${t.column}`;
    switch (t.kind) {
      case 'problem':
        if (!t.recoverable) return { ok: false, error: `${at}: ${t.message}` };
        break;
      case 'start': {
        if (stack.length === 0 && rootSeen) return { ok: false, error: `${at}: a second root element <${t.name}>` };
        rootSeen = true;
        const scope = declare(stack[stack.length - 1]?.scope ?? new Map(), t.attrs);
        const [prefix, local] = split(t.name);
        if (prefix !== '' && !scope.has(prefix)) return { ok: false, error: `${at}: the namespace prefix '${prefix}' of <${t.name}> is not declared` };
        const uri = scope.get(prefix) ?? null;
        if (stack.length === 1 && !collecting && isDcElement(local) && (uri === DC_NS || uri === DCTERMS_NS || uri === null)) {
          collecting = { element: local, depth: 2, text: '' };
        }
        stack.push({ name: t.name, scope });
        if (t.selfClosing) {
          stack.pop();
          if (collecting && stack.length < collecting.depth) collecting = undefined;
        }
        break;
      }
      case 'end': {
        const top = stack.pop();
        if (!top || top.name !== t.name) return { ok: false, error: `${at}: the end tag </${t.name}> does not match ${top ? `<${top.name}>` : 'any start tag'}` };
        if (collecting && stack.length < collecting.depth) {
          (values[collecting.element] ??= []).push(collecting.text);
          collecting = undefined;
        }
        break;
      }
      case 'text':
        if (collecting) collecting.text += t.text;
        break;
    }
  }
  if (!rootSeen) return { ok: false, error: 'the metadata holds no XML element' };
  if (stack.length > 0) return { ok: false, error: `<${stack[stack.length - 1]!.name}> is never closed` };
  return { ok: true, dc: normaliseDc(values) };
}

// -------------------------------------------------------------------------------- problems

/** A problem as stored in `harvest_errors.message`. */
export function encodeProblem(p: RecordProblem): string {
  return JSON.stringify(p);
}

/** A stored problem; text that is not one (written by hand, or by an older version) becomes `other`. */
export function decodeProblem(s: string): RecordProblem {
  try {
    const v = JSON.parse(s) as RecordProblem;
    if (v && typeof v === 'object' && typeof v.code === 'string') return v;
  } catch {
    // not JSON: shown as it is
  }
  return { code: 'other', detail: s };
}
