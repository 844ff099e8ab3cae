/**
 * OAI-PMH 2.0 responses written as a sequence of string chunks, so a data provider can stream a
 * ListRecords page to the client as it reads the records. A response is:
 *
 *   responseHead(…)
 *   errors([…])                                   — an error response, or
 *   openVerb(verb) … parts of the verb … closeVerb(verb)
 *   responseTail()
 *
 * where the parts are `identify(…)` for Identify, `metadataFormats(…)` for ListMetadataFormats,
 * `sets(…)` for ListSets, `record(…)` for GetRecord and ListRecords, `header(…)` for
 * ListIdentifiers, and `resumptionToken(…)` last in a list that is paged. `responseStream` puts
 * them together from a (possibly asynchronous) sequence of parts.
 *
 * Every text and attribute value is escaped; characters XML 1.0 cannot carry (C0 controls but tab,
 * line feed and carriage return, unpaired surrogates, U+FFFE, U+FFFF) are dropped, as the MARCXML
 * writer does (`escapeXml` in `../marc/_marcxml.ts`). `metadataXml` parts are written as given:
 * they must be one element without an XML declaration, in a namespace other than OAI-PMH's
 * (`oaiDc` and `marc21` make them).
 *
 * MARCXML is written by the MARC codec's `recordToXml` with the namespace declared on `<record>`
 * (`xmlns="http://www.loc.gov/MARC21/slim"`, no XML declaration): exactly what belongs inside
 * `<metadata>`, so no wrapping is needed.
 */
import { escapeXml, MARCXML_NS, recordToXml } from '../marc/_marcxml.js';
import type { MarcRecord } from '../marc/record.js';
import type { MarcIssue } from '../marc/errors.js';
// Type only: the codec stays a leaf at run time (the element order is below).
import type { DublinCore } from '../../domain/digital/object.js';
import { formatDatestamp } from './datestamp.js';
import type { OaiError, OaiVerb } from './request.js';

export const OAI_NS = 'http://www.openarchives.org/OAI/2.0/';
export const OAI_SCHEMA = 'http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd';
export const OAI_DC_NS = 'http://www.openarchives.org/OAI/2.0/oai_dc/';
export const OAI_DC_SCHEMA = 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd';
export const DC_NS = 'http://purl.org/dc/elements/1.1/';
export const OAI_IDENTIFIER_NS = 'http://www.openarchives.org/OAI/2.0/oai-identifier';
export const OAI_IDENTIFIER_SCHEMA = 'http://www.openarchives.org/OAI/2.0/oai-identifier.xsd';
export const XSI_NS = 'http://www.w3.org/2001/XMLSchema-instance';
export const MARC21_SCHEMA = 'http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd';

export interface MetadataFormat {
  metadataPrefix: string;
  schema: string;
  metadataNamespace: string;
}

/** Unqualified Dublin Core, which every OAI-PMH repository must offer (§3.4). */
export const OAI_DC_FORMAT: MetadataFormat = { metadataPrefix: 'oai_dc', schema: OAI_DC_SCHEMA, metadataNamespace: OAI_DC_NS };
/** MARC 21 as MARCXML (the prefix the Library of Congress's own repository uses). */
export const MARC21_FORMAT: MetadataFormat = { metadataPrefix: 'marc21', schema: MARC21_SCHEMA, metadataNamespace: MARCXML_NS };

/** The fifteen elements of the Dublin Core Metadata Element Set 1.1, in the order oai_dc writes them. */
const DC_ELEMENTS = ['title', 'creator', 'subject', 'description', 'publisher', 'contributor', 'date', 'type', 'format', 'identifier', 'source', 'language', 'relation', 'coverage', 'rights'] as const;

/** A time for the response: a Date, milliseconds, or a string `Date.parse` reads (an ISO time from the database). */
export type TimeLike = Date | number | string;

function stamp(t: TimeLike): string {
  if (typeof t === 'string') {
    const ms = Date.parse(t);
    if (Number.isNaN(ms)) throw new RangeError(`OAI writer: '${t}' is not a time`);
    return formatDatestamp(ms);
  }
  return formatDatestamp(t);
}

const ignore = () => {};
/** Element text. */
const text = (s: string) => escapeXml(s, false, ignore);
/** Attribute value (for double quotes). */
const attr = (s: string) => escapeXml(s, true, ignore);
const el = (name: string, value: string) => `<${name}>${text(value)}</${name}>`;

export interface ResponseHead {
  responseDate: TimeLike;
  /** The base URL of the repository: the content of `<request>`. */
  baseUrl: string;
  /** The attributes of `<request>`: `echo` from `parseOaiRequest` (names the schema does not define are left out). */
  echo: Record<string, string>;
  /** An XSLT stylesheet for people who open the address in a browser (`<?xml-stylesheet?>`). */
  stylesheet?: string;
}

const ECHO_ATTRIBUTES = ['verb', 'identifier', 'metadataPrefix', 'from', 'until', 'set', 'resumptionToken'];

/** The XML declaration, the `<OAI-PMH>` start tag, `<responseDate>` and `<request>`. */
export function responseHead(head: ResponseHead): string {
  let out = '<?xml version="1.0" encoding="UTF-8"?>\n';
  if (head.stylesheet) out += `<?xml-stylesheet type="text/xsl" href="${attr(head.stylesheet)}"?>\n`;
  out += `<OAI-PMH xmlns="${OAI_NS}" xmlns:xsi="${XSI_NS}" xsi:schemaLocation="${OAI_NS} ${OAI_SCHEMA}">\n`;
  out += `<responseDate>${stamp(head.responseDate)}</responseDate>\n<request`;
  for (const name of ECHO_ATTRIBUTES) {
    const v = head.echo[name];
    if (v !== undefined) out += ` ${name}="${attr(v)}"`;
  }
  return `${out}>${text(head.baseUrl)}</request>\n`;
}

/** The end of the document. */
export function responseTail(): string {
  return '</OAI-PMH>\n';
}

/** The start tag of the verb's element (`<ListRecords>`). */
export function openVerb(verb: OaiVerb): string {
  return `<${verb}>\n`;
}

/** The end tag of the verb's element. */
export function closeVerb(verb: OaiVerb): string {
  return `</${verb}>\n`;
}

/** `<error code="…">message</error>` for each error (a response has at least one). */
export function errors(list: readonly OaiError[]): string {
  return list.map((e) => `<error code="${attr(e.code)}">${text(e.message)}</error>\n`).join('');
}

export interface IdentifyInfo {
  repositoryName: string;
  baseURL: string;
  adminEmail: readonly string[];
  /** The earliest datestamp of any record, deleted ones included. */
  earliestDatestamp: TimeLike;
  /** Default `persistent`: deleted records are kept as tombstones. */
  deletedRecord?: 'no' | 'persistent' | 'transient';
  /** Encodings the repository can compress responses with (`gzip`, `deflate`). */
  compression?: readonly string[];
  /** The oai-identifier description (scheme `oai`, delimiter `:`). */
  oaiIdentifier?: { repositoryIdentifier: string; sampleIdentifier: string };
  /** Further `<description>` contents, each one serialized element in a namespace of its own. */
  descriptions?: readonly string[];
}

/** The content of `<Identify>`; protocol version 2.0 and seconds granularity are ours. */
export function identify(info: IdentifyInfo): string {
  let out = el('repositoryName', info.repositoryName) + '\n';
  out += el('baseURL', info.baseURL) + '\n';
  out += '<protocolVersion>2.0</protocolVersion>\n';
  for (const m of info.adminEmail) out += el('adminEmail', m) + '\n';
  out += `<earliestDatestamp>${stamp(info.earliestDatestamp)}</earliestDatestamp>\n`;
  out += el('deletedRecord', info.deletedRecord ?? 'persistent') + '\n';
  out += '<granularity>YYYY-MM-DDThh:mm:ssZ</granularity>\n';
  for (const c of info.compression ?? []) out += el('compression', c) + '\n';
  if (info.oaiIdentifier) {
    const { repositoryIdentifier, sampleIdentifier } = info.oaiIdentifier;
    out +=
      `<description><oai-identifier xmlns="${OAI_IDENTIFIER_NS}" xsi:schemaLocation="${OAI_IDENTIFIER_NS} ${OAI_IDENTIFIER_SCHEMA}">` +
      `<scheme>oai</scheme>${el('repositoryIdentifier', repositoryIdentifier)}<delimiter>:</delimiter>${el('sampleIdentifier', sampleIdentifier)}` +
      '</oai-identifier></description>\n';
  }
  for (const d of info.descriptions ?? []) out += `<description>${d}</description>\n`;
  return out;
}

/** The content of `<ListMetadataFormats>`. */
export function metadataFormats(list: readonly MetadataFormat[]): string {
  return list
    .map((f) => `<metadataFormat>${el('metadataPrefix', f.metadataPrefix)}${el('schema', f.schema)}${el('metadataNamespace', f.metadataNamespace)}</metadataFormat>\n`)
    .join('');
}

export interface OaiSet {
  spec: string;
  name: string;
  /** Written as `<setDescription>` holding Dublin Core: a string becomes its `dc:description`. */
  description?: string | DublinCore;
}

/** `<set>` elements for ListSets. */
export function sets(list: readonly OaiSet[]): string {
  return list
    .map((s) => {
      const d = s.description;
      const desc = d === undefined ? '' : `<setDescription>${oaiDc(typeof d === 'string' ? { description: [d] } : d)}</setDescription>`;
      return `<set>${el('setSpec', s.spec)}${el('setName', s.name)}${desc}</set>\n`;
    })
    .join('');
}
/** The name the task description uses for {@link sets}. */
export const setsList = sets;

export interface OaiHeader {
  identifier: string;
  /** The record's last change (cut to the second when written). */
  datestamp: TimeLike;
  setSpecs?: readonly string[];
  deleted?: boolean;
}

/** A `<header>`, on its own for ListIdentifiers or inside a record. */
export function header(h: OaiHeader): string {
  let out = h.deleted ? '<header status="deleted">' : '<header>';
  out += el('identifier', h.identifier) + `<datestamp>${stamp(h.datestamp)}</datestamp>`;
  for (const s of h.setSpecs ?? []) out += el('setSpec', s);
  return out + '</header>';
}

export interface OaiRecord {
  header: OaiHeader;
  /** One serialized element, no XML declaration; left out for a deleted record (§2.5.1). */
  metadataXml?: string;
  /** `<about>` contents, each one serialized element. */
  aboutXml?: readonly string[];
}

/** A `<record>`: its header and, unless it is deleted, its metadata. */
export function record(r: OaiRecord): string {
  let out = `<record>${header(r.header)}`;
  if (!r.header.deleted && r.metadataXml !== undefined) out += `\n<metadata>\n${r.metadataXml.trimEnd()}\n</metadata>`;
  for (const a of r.aboutXml ?? []) out += `\n<about>${a}</about>`;
  return out + '</record>\n';
}

/** The start of a `<record>` with its header and `<metadata>`, for metadata written in several chunks. */
export function recordOpen(h: OaiHeader): string {
  return `<record>${header(h)}${h.deleted ? '' : '\n<metadata>\n'}`;
}

/** The end of a record opened with {@link recordOpen}. */
export function recordClose(h: OaiHeader): string {
  return h.deleted ? '</record>\n' : '\n</metadata></record>\n';
}

export interface ResumptionTokenInfo {
  /** The token; empty in the last page of a list (§3.5: the list is complete). */
  token: string;
  completeListSize?: number;
  cursor?: number;
  /** `YYYY-MM-DDThh:mm:ssZ` (see `expirationDate` in `token.ts`), or a time. */
  expirationDate?: TimeLike;
}

/** `<resumptionToken>`, with an empty token for the last page of a paged list. */
export function resumptionToken(t: ResumptionTokenInfo): string {
  let out = '<resumptionToken';
  // The schema wants expirationDate only on a token that can be used.
  if (t.expirationDate !== undefined && t.token !== '') out += ` expirationDate="${stamp(t.expirationDate)}"`;
  // completeListSize is a positiveInteger, cursor a nonNegativeInteger.
  if (t.completeListSize !== undefined && Number.isSafeInteger(t.completeListSize) && t.completeListSize > 0) out += ` completeListSize="${t.completeListSize}"`;
  if (t.cursor !== undefined && Number.isSafeInteger(t.cursor) && t.cursor >= 0) out += ` cursor="${t.cursor}"`;
  return t.token === '' ? `${out}/>\n` : `${out}>${text(t.token)}</resumptionToken>\n`;
}

/**
 * Unqualified Dublin Core as `<oai_dc:dc>`, the elements in the order of the element set and each
 * value in the order given.
 */
export function oaiDc(dc: DublinCore): string {
  let out = `<oai_dc:dc xmlns:oai_dc="${OAI_DC_NS}" xmlns:dc="${DC_NS}" xmlns:xsi="${XSI_NS}" xsi:schemaLocation="${OAI_DC_NS} ${OAI_DC_SCHEMA}">`;
  for (const name of DC_ELEMENTS) for (const v of dc[name] ?? []) out += `\n<dc:${name}>${text(v)}</dc:${name}>`;
  return `${out}\n</oai_dc:dc>`;
}

/**
 * A MARC record as MARCXML for `<metadata>` (see the file header). `onWarning` hears of characters
 * XML cannot carry, which are dropped.
 */
export function marc21(rec: MarcRecord, onWarning?: (issue: MarcIssue) => void): string {
  return recordToXml(rec, onWarning ? { index: 1, onWarning } : { index: 1 }, true).trimEnd();
}

/** What follows the head: errors, or a verb's parts. */
export type ResponseBody = { errors: readonly OaiError[] } | { verb: OaiVerb; parts: Iterable<string> | AsyncIterable<string> };

/**
 * A whole response as chunks: head, errors or the verb's element around its parts, tail. Feed it
 * to `Readable.from()` to stream it.
 *
 * @example Readable.from(responseStream({ responseDate: new Date(), baseUrl, echo }, { verb: 'ListRecords', parts: pageChunks() }))
 */
export async function* responseStream(head: ResponseHead, body: ResponseBody): AsyncGenerator<string> {
  yield responseHead(head);
  if ('errors' in body) yield errors(body.errors);
  else {
    yield openVerb(body.verb);
    for await (const part of body.parts) yield part;
    yield closeVerb(body.verb);
  }
  yield responseTail();
}

/** A whole response as one string (for small responses and tests). */
export function responseText(head: ResponseHead, body: { errors: readonly OaiError[] } | { verb: OaiVerb; parts: Iterable<string> }): string {
  if ('errors' in body) return responseHead(head) + errors(body.errors) + responseTail();
  let out = responseHead(head) + openVerb(body.verb);
  for (const p of body.parts) out += p;
  return out + closeVerb(body.verb) + responseTail();
}
