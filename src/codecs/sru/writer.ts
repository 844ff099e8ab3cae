/**
 * SRU response writers: searchRetrieve, scan, explain and diagnostics-only responses, in SRU 1.2
 * (namespace `http://www.loc.gov/zing/srw/`, diagnostics in `http://www.loc.gov/zing/srw/diagnostic/`)
 * or SRU 2.0 (`http://docs.oasis-open.org/ns/search-ws/sruResponse`, diagnostics in
 * `…/search-ws/diagnostic`, scan in `…/search-ws/scan`), and the `srw_dc` Dublin Core record.
 *
 * Each writer yields the document in chunks, so that a server can stream a page of records as they
 * are read. Element order follows the schemas (srw-types.xsd; sruResponse.xsd and scan.xsd), which
 * the tests validate against. What the schemas require shapes the output:
 * - 1.2 has `<version>` and a `recordPacking` (`xml`|`string`) in every record; 2.0 has no
 *   `<version>` and says `recordXMLEscaping` instead.
 * - `<records>` and `<terms>` may not be empty, so they are left out when there is nothing in them.
 * - A 1.2 echoed request must carry the query as XCQL, which we do not produce: requests are echoed
 *   in 2.0 only.
 * - An explain response must carry a record: when explain fails, the record is a surrogate
 *   diagnostic (schema `info:srw/schema/1/diagnostics-v1.1`), as SRU does for any record that
 *   cannot be given, and the diagnostics are also listed in `<diagnostics>`.
 * - `resultCountPrecision` (2.0) is written as its URI, `info:srw/vocabulary/resultCountPrecision/1/exact`.
 *
 * Record XML (`packing: 'xml'`) is inserted as given: it must be one serialized element that
 * declares its own namespaces (an XML declaration in front of it is removed). With `packing:
 * 'string'` it is escaped as text. All other text is escaped, and characters XML 1.0 cannot carry
 * are dropped, as the MARCXML writer does (`escapeXml` in `../marc/_marcxml.ts`).
 */
import { escapeXml } from '../marc/_marcxml.js';
import { type SruDiagnostic } from './diagnostics.js';
import type { SruEscaping, SruOperation, SruSearchRetrieveRequest, SruVersion } from './request.js';

export const SRU_NS: Readonly<Record<SruVersion, string>> = {
  '1.2': 'http://www.loc.gov/zing/srw/',
  '2.0': 'http://docs.oasis-open.org/ns/search-ws/sruResponse',
};
export const SRU_DIAGNOSTIC_NS: Readonly<Record<SruVersion, string>> = {
  '1.2': 'http://www.loc.gov/zing/srw/diagnostic/',
  '2.0': 'http://docs.oasis-open.org/ns/search-ws/diagnostic',
};
/** SRU 2.0 puts scan responses in their own namespace. */
export const SRU_SCAN_NS = 'http://docs.oasis-open.org/ns/search-ws/scan';
/** The ZeeRex namespace, which is also the schema identifier of explain records. */
export const ZEEREX_NS = 'http://explain.z3950.org/dtd/2.0/';
/** The record schema of a surrogate diagnostic. */
export const SRU_DIAGNOSTIC_SCHEMA = 'info:srw/schema/1/diagnostics-v1.1';
/** The media type of SRU responses (RFC 6207). */
export const SRU_MEDIA_TYPE = 'application/sru+xml';

export type SruLang = 'vi' | 'en';

/** A record of a searchRetrieve response, or a surrogate diagnostic in its place. */
export type SruRecordOut =
  | {
      /** The record schema's URI (e.g. `info:srw/schema/1/marcxml-v1.1`). */
      schema: string;
      packing: SruEscaping;
      /** One serialized element, declaring its namespaces, without an XML declaration. */
      xml: string;
      /** 1-based position in the result set. */
      position: number;
    }
  | { diagnostic: SruDiagnostic; position: number };

export interface SearchRetrieveResponseInput {
  numberOfRecords: number;
  records: Iterable<SruRecordOut>;
  nextRecordPosition?: number;
  /** Non-fatal diagnostics (or fatal ones, with no records). */
  diagnostics?: readonly SruDiagnostic[];
  /** Echoed in 2.0 responses (1.2 requires an XCQL form we do not produce). */
  echoedRequest?: SruSearchRetrieveRequest;
  /** 2.0 only. */
  resultCountPrecision?: 'exact' | 'estimate';
  /** The language of diagnostic messages (default English). */
  lang?: SruLang;
}

export interface SruTermOut {
  value: string;
  numberOfRecords?: number;
  displayTerm?: string;
  whereInList?: 'first' | 'last' | 'only' | 'inner';
  /** Serialized elements in a namespace of their own (not SRU's). */
  extraTermData?: string;
}

export interface ScanResponseInput {
  terms: readonly SruTermOut[];
  diagnostics?: readonly SruDiagnostic[];
  lang?: SruLang;
}

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
const PREFIX: Record<SruVersion, string> = { '1.2': 'srw', '2.0': 'sru' };
const ignore = () => {};

/** Element text: `& < > " '` escaped, characters XML cannot carry dropped. */
export function xmlText(s: string): string {
  return escapeXml(s, false, ignore);
}

/** An attribute value (for double quotes). */
export function xmlAttr(s: string): string {
  return escapeXml(s, true, ignore);
}

function el(p: string, name: string, value: string | number): string {
  return `<${p}:${name}>${typeof value === 'number' ? String(value) : xmlText(value)}</${p}:${name}>`;
}

const isCount = (n: number | undefined): n is number => n !== undefined && Number.isSafeInteger(n) && n >= 0;
const isPosition = (n: number | undefined): n is number => isCount(n) && n >= 1;

function withoutDeclaration(xml: string): string {
  return xml.replace(/^\uFEFF?\s*<\?xml\s[^?]*\?>\s*/, '');
}

function diagnosticXml(d: SruDiagnostic, lang: SruLang): string {
  let out = `<diag:diagnostic>${el('diag', 'uri', d.uri)}`;
  if (d.details !== undefined && d.details !== '') out += el('diag', 'details', d.details);
  return out + el('diag', 'message', d.message[lang]) + '</diag:diagnostic>';
}

function diagnosticsXml(p: string, list: readonly SruDiagnostic[] | undefined, lang: SruLang): string {
  if (!list || list.length === 0) return '';
  return `<${p}:diagnostics>${list.map((d) => diagnosticXml(d, lang)).join('')}</${p}:diagnostics>\n`;
}

/** One `<record>`: schema, packing/escaping, data, position. */
function recordXml(version: SruVersion, rec: SruRecordOut, lang: SruLang): string {
  const p = PREFIX[version];
  let schema: string;
  let packing: SruEscaping;
  let data: string;
  if ('diagnostic' in rec) {
    schema = SRU_DIAGNOSTIC_SCHEMA;
    packing = 'xml';
    data = diagnosticXml(rec.diagnostic, lang).replace('<diag:diagnostic>', `<diag:diagnostic xmlns:diag="${SRU_DIAGNOSTIC_NS[version]}">`);
  } else {
    schema = rec.schema;
    packing = rec.packing;
    const xml = withoutDeclaration(rec.xml);
    data = packing === 'string' ? xmlText(xml) : xml;
  }
  let out = `<${p}:record>${el(p, 'recordSchema', schema)}`;
  out += version === '1.2' ? el(p, 'recordPacking', packing) : el(p, 'recordXMLEscaping', packing);
  out += `<${p}:recordData>${data}</${p}:recordData>`;
  if (isPosition(rec.position)) out += el(p, 'recordPosition', rec.position);
  return out + `</${p}:record>\n`;
}

function rootOpen(version: SruVersion, name: string): string {
  const p = PREFIX[version];
  const v = version === '1.2' ? el(p, 'version', '1.2') : '';
  return `${XML_DECLARATION}<${p}:${name} xmlns:${p}="${SRU_NS[version]}" xmlns:diag="${SRU_DIAGNOSTIC_NS[version]}">${v}\n`;
}

function searchRetrieveOpen(version: SruVersion, numberOfRecords: number): string {
  const p = PREFIX[version];
  return rootOpen(version, 'searchRetrieveResponse') + el(p, 'numberOfRecords', isCount(numberOfRecords) ? numberOfRecords : 0) + '\n';
}

function searchRetrieveClose(version: SruVersion, input: Omit<SearchRetrieveResponseInput, 'records' | 'numberOfRecords'>): string {
  const p = PREFIX[version];
  const lang = input.lang ?? 'en';
  let out = '';
  if (isPosition(input.nextRecordPosition)) out += el(p, 'nextRecordPosition', input.nextRecordPosition) + '\n';
  if (version === '2.0' && input.echoedRequest) out += echoXml(input.echoedRequest);
  out += diagnosticsXml(p, input.diagnostics, lang);
  if (version === '2.0' && input.resultCountPrecision) {
    out += el(p, 'resultCountPrecision', `info:srw/vocabulary/resultCountPrecision/1/${input.resultCountPrecision}`) + '\n';
  }
  return out + `</${p}:searchRetrieveResponse>\n`;
}

/** The 2.0 `<echoedSearchRetrieveRequest>`, in the schema's order. */
function echoXml(r: SruSearchRetrieveRequest): string {
  const p = PREFIX['2.0'];
  let out = `<${p}:echoedSearchRetrieveRequest>${el(p, 'queryType', r.queryType)}${el(p, 'query', r.query)}`;
  out += el(p, 'startRecord', r.startRecord) + el(p, 'maximumRecords', r.maximumRecords);
  out += el(p, 'recordXMLEscaping', r.recordEscaping) + el(p, 'recordSchema', r.recordSchema.uri);
  if (r.resultSetTTL !== undefined) out += el(p, 'resultSetTTL', r.resultSetTTL);
  if (r.sortKeys !== undefined) out += el(p, 'sortKeys', r.sortKeys);
  if (r.httpAccept !== undefined) out += el(p, 'httpAccept', r.httpAccept);
  return out + `</${p}:echoedSearchRetrieveRequest>\n`;
}

/**
 * A searchRetrieve response, in chunks.
 *
 * @example
 * const xml = [...searchRetrieveResponse('2.0', { numberOfRecords: 1, records: [{ schema: 'info:srw/schema/1/marcxml-v1.1',
 *   packing: 'xml', xml: '<record xmlns="http://www.loc.gov/MARC21/slim">…</record>', position: 1 }] })].join('');
 */
export function* searchRetrieveResponse(version: SruVersion, input: SearchRetrieveResponseInput): Generator<string, void, undefined> {
  const p = PREFIX[version];
  const lang = input.lang ?? 'en';
  yield searchRetrieveOpen(version, input.numberOfRecords);
  let open = false;
  for (const rec of input.records) {
    if (!open) {
      yield `<${p}:records>\n`;
      open = true;
    }
    yield recordXml(version, rec, lang);
  }
  if (open) yield `</${p}:records>\n`;
  yield searchRetrieveClose(version, input);
}

/** The same response, for records that arrive asynchronously (a database cursor). */
export async function* searchRetrieveResponseStream(
  version: SruVersion,
  input: Omit<SearchRetrieveResponseInput, 'records'> & { records: AsyncIterable<SruRecordOut> | Iterable<SruRecordOut> },
): AsyncGenerator<string, void, undefined> {
  const p = PREFIX[version];
  const lang = input.lang ?? 'en';
  yield searchRetrieveOpen(version, input.numberOfRecords);
  let open = false;
  for await (const rec of input.records) {
    if (!open) {
      yield `<${p}:records>\n`;
      open = true;
    }
    yield recordXml(version, rec, lang);
  }
  if (open) yield `</${p}:records>\n`;
  yield searchRetrieveClose(version, input);
}

/** A scan response, in chunks (2.0: in the scan namespace). */
export function* scanResponse(version: SruVersion, input: ScanResponseInput): Generator<string, void, undefined> {
  const lang = input.lang ?? 'en';
  const p = version === '1.2' ? PREFIX['1.2'] : 'scan';
  if (version === '1.2') yield rootOpen('1.2', 'scanResponse');
  else yield `${XML_DECLARATION}<scan:scanResponse xmlns:scan="${SRU_SCAN_NS}" xmlns:diag="${SRU_DIAGNOSTIC_NS['2.0']}">\n`;
  if (input.terms.length > 0) {
    yield `<${p}:terms>\n`;
    for (const t of input.terms) {
      let out = `<${p}:term>${el(p, 'value', t.value)}`;
      if (isCount(t.numberOfRecords)) out += el(p, 'numberOfRecords', t.numberOfRecords);
      if (t.displayTerm !== undefined) out += el(p, 'displayTerm', t.displayTerm);
      if (t.whereInList !== undefined) out += el(p, 'whereInList', t.whereInList);
      if (t.extraTermData !== undefined) out += `<${p}:extraTermData>${t.extraTermData}</${p}:extraTermData>`;
      yield out + `</${p}:term>\n`;
    }
    yield `</${p}:terms>\n`;
  }
  yield diagnosticsXml(p, input.diagnostics, lang) + `</${p}:scanResponse>\n`;
}

/**
 * An explain response carrying `explainRecordXml` (a ZeeRex `<explain>` element, see
 * `explainRecord`), escaped as text when `packing` is `string`.
 */
export function* explainResponse(
  version: SruVersion,
  explainRecordXml: string,
  opts: { packing?: SruEscaping; diagnostics?: readonly SruDiagnostic[]; lang?: SruLang } = {},
): Generator<string, void, undefined> {
  const p = PREFIX[version];
  const lang = opts.lang ?? 'en';
  yield rootOpen(version, 'explainResponse');
  yield recordXml(version, { schema: ZEEREX_NS, packing: opts.packing ?? 'xml', xml: explainRecordXml, position: 0 }, lang);
  yield diagnosticsXml(p, opts.diagnostics, lang) + `</${p}:explainResponse>\n`;
}

/**
 * The response to a request that failed: the operation's own response type, carrying the
 * diagnostics (a searchRetrieve response says `numberOfRecords` 0; an explain response carries the
 * first diagnostic as a surrogate record, since it must have a record).
 */
export function* diagnosticsOnly(
  version: SruVersion,
  operation: SruOperation,
  diagnostics: readonly SruDiagnostic[],
  opts: { lang?: SruLang } = {},
): Generator<string, void, undefined> {
  const lang = opts.lang ?? 'en';
  if (operation === 'searchRetrieve') {
    yield* searchRetrieveResponse(version, { numberOfRecords: 0, records: [], diagnostics, lang });
  } else if (operation === 'scan') {
    yield* scanResponse(version, { terms: [], diagnostics, lang });
  } else {
    const p = PREFIX[version];
    yield rootOpen(version, 'explainResponse');
    const first = diagnostics[0];
    if (first) yield recordXml(version, { diagnostic: first, position: 0 }, lang);
    else yield `<${p}:record>${el(p, 'recordSchema', ZEEREX_NS)}${version === '1.2' ? el(p, 'recordPacking', 'xml') : ''}<${p}:recordData/></${p}:record>\n`;
    yield diagnosticsXml(p, diagnostics, lang) + `</${p}:explainResponse>\n`;
  }
}

/** Joins a writer's chunks into one string. */
export function joinChunks(chunks: Iterable<string>): string {
  let out = '';
  for (const c of chunks) out += c;
  return out;
}

/** The fifteen Dublin Core elements, in the order `srw_dc` records list them. */
export const SRW_DC_ELEMENTS = ['title', 'creator', 'subject', 'description', 'publisher', 'contributor', 'date', 'type', 'format', 'identifier', 'source', 'language', 'relation', 'coverage', 'rights'] as const;
/** Dublin Core as the domain keeps it (`DublinCore` in src/domain/digital/object.ts has this shape). */
export type SrwDublinCore = Partial<Record<(typeof SRW_DC_ELEMENTS)[number], readonly string[]>>;
export const SRW_DC_NS = 'info:srw/schema/1/dc-schema';
export const DC_ELEMENTS_NS = 'http://purl.org/dc/elements/1.1/';
/** The schema identifier of `srw_dc` records. */
export const SRW_DC_SCHEMA = 'info:srw/schema/1/dc-v1.1';

/**
 * A Dublin Core record in the `info:srw/schema/1/dc-v1.1` schema: `<srw_dc:dc>` holding the
 * `dc:` elements in the usual order; empty values are left out.
 */
export function srwDc(dc: SrwDublinCore): string {
  let out = `<srw_dc:dc xmlns:srw_dc="${SRW_DC_NS}" xmlns:dc="${DC_ELEMENTS_NS}">`;
  for (const name of SRW_DC_ELEMENTS) {
    for (const v of dc[name] ?? []) {
      const t = xmlText(v);
      if (t.trim() !== '') out += `<dc:${name}>${t}</dc:${name}>`;
    }
  }
  return out + '</srw_dc:dc>';
}
