/**
 * SRU request parsing (SRU 1.1/1.2, Library of Congress; SRU 2.0, OASIS searchRetrieve v1.0 part 3,
 * scan part 6, explain part 7): from the query-string parameters to a checked request, or to the
 * diagnostics the server must answer with.
 *
 * Rules, as the standards give them:
 * - Version: `1.1` and `1.2` are served with 1.2 semantics and namespaces (the two differ in nothing
 *   a response carries); `2.0` with 2.0's. Any other value gets diagnostic 5, answered in 2.0 (the
 *   highest version we speak) with "2.0" as its details. Without `version` the request is for
 *   `defaultVersion`.
 * - Operation: 1.x requires `operation` and `version`; a request with neither is an explain request
 *   (the base URL alone is how clients ask for explain), and so is `operation=explain` without a
 *   version; `query` or `scanClause` without an operation, or a searchRetrieve or scan without a
 *   version, is diagnostic 7. 2.0 has no operation parameter: `query` makes a
 *   searchRetrieve, `scanClause` a scan, anything else an explain (an `operation` a 2.0 client sends
 *   anyway is honoured). An unknown operation is diagnostic 4, answered as explain.
 * - Parameters are case-sensitive; one the operation does not define is diagnostic 8; `x-…`
 *   extension parameters are ignored (kept in `extensions`); a parameter given twice is diagnostic 6.
 *   An empty optional parameter (`startRecord=`, as HTML forms send) counts as absent.
 * - Numbers are plain digit strings (`+1`, `1.0`, ` 1` are refused with diagnostic 6).
 * - `maximumRecords` above the server's limit is lowered to the limit: both versions let a server
 *   return fewer records than asked, so this is not an error, and no request can make the server
 *   fetch more than `maxRecordsLimit` records. `maximumRecords=0` is valid (a count only).
 * - What we do not support: `stylesheet` (110), `recordXPath` (72), `queryType` other than cql (6),
 *   2.0 `recordPacking=unpacked` (71). `sortKeys` is accepted but not applied: the request goes on
 *   with the non-fatal diagnostic 80 (use CQL `sortby`). 2.0 facet and rendering parameters are
 *   ignored with a non-fatal diagnostic 8.
 *
 * Non-fatal diagnostics come back in `request.warnings`; the response writers add them to the
 * response's `<diagnostics>`.
 */
import { sruDiagnostic, type SruDiagnostic } from './diagnostics.js';

export type SruVersion = '1.2' | '2.0';
export type SruOperation = 'explain' | 'searchRetrieve' | 'scan';
export type SruEscaping = 'xml' | 'string';

/** A record schema this server offers. */
export interface SruRecordSchema {
  name: 'marcxml' | 'dc';
  uri: string;
  title: string;
}

export const SRU_RECORD_SCHEMAS: readonly (SruRecordSchema & { aliases: readonly string[] })[] = [
  {
    name: 'marcxml',
    uri: 'info:srw/schema/1/marcxml-v1.1',
    title: 'MARCXML (MARC 21 slim)',
    // Spellings other servers and clients use for the same schema.
    aliases: ['marcxml', 'marc21', 'marcxml-v1.1', 'info:srw/schema/1/marcxml-v1.1', 'info:srw/schema/1/marcxml-1.1', 'http://www.loc.gov/marc21/slim'],
  },
  {
    name: 'dc',
    uri: 'info:srw/schema/1/dc-v1.1',
    title: 'Dublin Core',
    aliases: ['dc', 'srw_dc', 'info:srw/schema/1/dc-v1.1', 'info:srw/schema/1/dc-schema', 'http://purl.org/dc/elements/1.1/'],
  },
];

/** The schema a `recordSchema` value names (short name, URI or a common alias; case-insensitive), or undefined. */
export function resolveRecordSchema(value: string): SruRecordSchema | undefined {
  const v = value.trim().toLowerCase();
  const s = SRU_RECORD_SCHEMAS.find((x) => x.aliases.includes(v));
  return s ? { name: s.name, uri: s.uri, title: s.title } : undefined;
}

interface SruRequestBase {
  /** The version the response is written in. */
  version: SruVersion;
  /** The `version` parameter as sent ('1.1', '1.2', '2.0'), if any. */
  requestedVersion?: string;
  /** How records are carried: as XML (`xml`) or escaped as text (`string`). */
  recordEscaping: SruEscaping;
  /** Non-fatal diagnostics for the response. */
  warnings: SruDiagnostic[];
  /** `x-…` extension parameters, in order; the server ignores them. */
  extensions: Array<[string, string]>;
  /** 2.0 `httpAccept`, when given (always an XML type: others are refused). */
  httpAccept?: string;
}

export interface SruExplainRequest extends SruRequestBase {
  operation: 'explain';
}

export interface SruSearchRetrieveRequest extends SruRequestBase {
  operation: 'searchRetrieve';
  /** The CQL query as sent (not parsed here). */
  query: string;
  queryType: 'cql';
  /** 1-based position of the first record to return. */
  startRecord: number;
  /** How many records to return at most, already within the server's limit. */
  maximumRecords: number;
  /** What the client asked for when it was above the limit (Infinity for a number too long to read). */
  maximumRecordsRequested?: number;
  recordSchema: SruRecordSchema;
  /** Seconds the client would like the result set kept; we keep none, so this is informational. */
  resultSetTTL?: number;
  /** The 1.1-style sort keys as sent; not applied (see `warnings`). */
  sortKeys?: string;
}

export interface SruScanRequest extends SruRequestBase {
  operation: 'scan';
  /** The CQL clause (index, relation, term) as sent. */
  scanClause: string;
  /** Where the start term goes in the returned list (0 = just before the first term). */
  responsePosition: number;
  /** How many terms to return at most, already within the server's limit. */
  maximumTerms: number;
  maximumTermsRequested?: number;
}

export type SruRequest = SruExplainRequest | SruSearchRetrieveRequest | SruScanRequest;

export type SruParseResult =
  | { ok: true; request: SruRequest }
  | { ok: false; version: SruVersion; operation: SruOperation; diagnostics: SruDiagnostic[] };

export interface SruRequestOptions {
  /** The version for requests without `version`. */
  defaultVersion: SruVersion;
  /** The most records one response may carry. */
  maxRecordsLimit: number;
  /** `maximumRecords` when the request has none. */
  defaultMaximumRecords: number;
  /** `recordSchema` when the request has none (default `marcxml`). */
  defaultRecordSchema?: 'marcxml' | 'dc';
  /** The most terms one scan response may carry (default 100). */
  maxTermsLimit?: number;
  /** `maximumTerms` when the request has none (default 20). */
  defaultMaximumTerms?: number;
  /** The longest `query` or `scanClause` accepted, in characters (default 4096; longer is diagnostic 12). */
  maxQueryLength?: number;
}

/** Positions and counts above this are refused: no result set or term list is anywhere near it. */
const MAX_POSITION = 2_147_483_647;

const COMMON = ['operation', 'version', 'stylesheet'];
const ALLOWED: Record<SruVersion, Record<SruOperation, ReadonlySet<string>>> = {
  '1.2': {
    explain: new Set([...COMMON, 'recordPacking']),
    searchRetrieve: new Set([...COMMON, 'query', 'startRecord', 'maximumRecords', 'recordPacking', 'recordSchema', 'recordXPath', 'resultSetTTL', 'sortKeys']),
    scan: new Set([...COMMON, 'scanClause', 'responsePosition', 'maximumTerms']),
  },
  '2.0': {
    explain: new Set([...COMMON, 'recordXMLEscaping', 'recordPacking', 'httpAccept']),
    searchRetrieve: new Set([
      ...COMMON,
      'query',
      'queryType',
      'startRecord',
      'maximumRecords',
      'recordXMLEscaping',
      'recordPacking',
      'recordSchema',
      'resultSetTTL',
      'sortKeys',
      'httpAccept',
      'renderedBy',
      'responseType',
      'facetLimit',
      'facetStart',
      'facetSort',
      'facetRangeField',
      'facetLowValue',
      'facetHighValue',
      'facetCount',
    ]),
    scan: new Set([...COMMON, 'scanClause', 'responsePosition', 'maximumTerms', 'httpAccept']),
  },
};
/** 2.0 parameters we accept and ignore, with a non-fatal diagnostic 8. */
const IGNORED_2_0 = new Set(['renderedBy', 'responseType', 'facetLimit', 'facetStart', 'facetSort', 'facetRangeField', 'facetLowValue', 'facetHighValue', 'facetCount']);
const XML_MEDIA_TYPES = new Set(['application/sru+xml', 'application/xml', 'text/xml', 'application/*', '*/*']);

/**
 * Parses an SRU request from its parameters (name, value pairs in order, already percent-decoded).
 * Never throws: every problem is a diagnostic.
 *
 * @example
 * parseSruRequest([['version', '1.2'], ['operation', 'searchRetrieve'], ['query', 'dc.title = "truyện kiều"']],
 *   { defaultVersion: '2.0', maxRecordsLimit: 100, defaultMaximumRecords: 10 })
 * // { ok: true, request: { operation: 'searchRetrieve', version: '1.2', query: 'dc.title = "truyện kiều"',
 * //   startRecord: 1, maximumRecords: 10, recordSchema: { name: 'marcxml', … }, recordEscaping: 'xml', … } }
 */
export function parseSruRequest(params: ReadonlyArray<readonly [string, string]>, opts: SruRequestOptions): SruParseResult {
  const values = new Map<string, string[]>();
  const extensions: Array<[string, string]> = [];
  for (const [name, value] of params) {
    if (name.startsWith('x-')) {
      extensions.push([name, value]);
      continue;
    }
    const list = values.get(name);
    if (list) list.push(value);
    else values.set(name, [value]);
  }
  /** The first value, or undefined when absent or empty. */
  const get = (name: string): string | undefined => {
    const v = values.get(name)?.[0];
    return v === undefined || v === '' ? undefined : v;
  };

  // Version
  const requestedVersion = values.get('version')?.[0];
  let version: SruVersion;
  if (requestedVersion === undefined || requestedVersion === '') version = opts.defaultVersion;
  else if (requestedVersion === '1.1' || requestedVersion === '1.2') version = '1.2';
  else if (requestedVersion === '2.0') version = '2.0';
  else {
    // Answered in the highest version we speak, which the details name.
    return { ok: false, version: '2.0', operation: guessOperation(get('operation'), values), diagnostics: [sruDiagnostic(5, '2.0')] };
  }

  // Operation
  const fatal: SruDiagnostic[] = [];
  const warnings: SruDiagnostic[] = [];
  const opParam = get('operation');
  let operation: SruOperation;
  if (opParam !== undefined) {
    if (opParam === 'explain' || opParam === 'searchRetrieve' || opParam === 'scan') operation = opParam;
    else return { ok: false, version, operation: 'explain', diagnostics: [sruDiagnostic(4, opParam)] };
  } else if (version === '2.0') {
    operation = values.has('query') ? 'searchRetrieve' : values.has('scanClause') ? 'scan' : 'explain';
  } else {
    operation = 'explain';
    if (values.has('query') || values.has('scanClause')) fatal.push(sruDiagnostic(7, 'operation'));
  }
  // 1.x makes version mandatory; an explain without it is still answered (clients probe that way).
  if (version === '1.2' && (requestedVersion === undefined || requestedVersion === '') && operation !== 'explain') {
    fatal.push(sruDiagnostic(7, 'version'));
  }

  // Parameters the operation does not define, and repeated ones
  const allowed = ALLOWED[version][operation];
  for (const [name, list] of values) {
    if (!allowed.has(name)) fatal.push(sruDiagnostic(8, name));
    else if (list.length > 1) fatal.push(sruDiagnostic(6, name));
  }

  // Shared parameters
  if (get('stylesheet') !== undefined) fatal.push(sruDiagnostic(110, get('stylesheet')));
  let httpAccept: string | undefined;
  const accept = allowed.has('httpAccept') ? get('httpAccept') : undefined;
  if (accept !== undefined) {
    const types = accept.split(',').map((t) => t.split(';')[0]!.trim().toLowerCase());
    if (types.some((t) => XML_MEDIA_TYPES.has(t))) httpAccept = accept;
    else fatal.push(sruDiagnostic(6, 'httpAccept'));
  }
  if (version === '2.0') for (const name of IGNORED_2_0) if (values.has(name) && allowed.has(name)) warnings.push(sruDiagnostic(8, name));
  const ifAllowed = (name: string) => (allowed.has(name) ? get(name) : undefined);
  const recordEscaping = parseEscaping(version, ifAllowed('recordPacking'), ifAllowed('recordXMLEscaping'), fatal);
  const base = { version, recordEscaping, warnings, extensions, ...(requestedVersion ? { requestedVersion } : {}), ...(httpAccept ? { httpAccept } : {}) };
  const maxQueryLength = opts.maxQueryLength ?? 4096;

  let request: SruRequest;
  if (operation === 'explain') {
    request = { operation, ...base };
  } else if (operation === 'searchRetrieve') {
    const query = get('query');
    if (query === undefined || query.trim() === '') fatal.push(sruDiagnostic(7, 'query'));
    else if (query.length > maxQueryLength) fatal.push(sruDiagnostic(12, String(maxQueryLength)));
    const queryType = get('queryType');
    if (queryType !== undefined && queryType !== 'cql') fatal.push(sruDiagnostic(6, 'queryType'));
    const startRecord = number(get('startRecord'), 'startRecord', 1, fatal) ?? 1;
    const limit = Math.max(0, Math.floor(opts.maxRecordsLimit));
    const asked = number(get('maximumRecords'), 'maximumRecords', 0, fatal);
    const maximumRecords = Math.min(asked ?? opts.defaultMaximumRecords, limit);
    const schemaParam = get('recordSchema');
    const recordSchema = resolveRecordSchema(schemaParam ?? opts.defaultRecordSchema ?? 'marcxml');
    if (!recordSchema) fatal.push(sruDiagnostic(66, schemaParam));
    if (get('recordXPath') !== undefined) fatal.push(sruDiagnostic(72, get('recordXPath')));
    const resultSetTTL = number(get('resultSetTTL'), 'resultSetTTL', 0, fatal);
    const sortKeys = get('sortKeys');
    if (sortKeys !== undefined) warnings.push(sruDiagnostic(80, 'the sortKeys parameter is not applied; use CQL sortby'));
    request = {
      operation,
      ...base,
      query: query ?? '',
      queryType: 'cql',
      startRecord,
      maximumRecords,
      ...(asked !== undefined && asked > maximumRecords ? { maximumRecordsRequested: asked } : {}),
      recordSchema: recordSchema ?? { name: 'marcxml', uri: '', title: '' },
      ...(resultSetTTL !== undefined ? { resultSetTTL } : {}),
      ...(sortKeys !== undefined ? { sortKeys } : {}),
    };
  } else {
    const scanClause = get('scanClause');
    if (scanClause === undefined || scanClause.trim() === '') fatal.push(sruDiagnostic(7, 'scanClause'));
    else if (scanClause.length > maxQueryLength) fatal.push(sruDiagnostic(12, String(maxQueryLength)));
    const responsePosition = number(get('responsePosition'), 'responsePosition', 0, fatal) ?? 1;
    const asked = number(get('maximumTerms'), 'maximumTerms', 1, fatal);
    const maximumTerms = Math.min(asked ?? opts.defaultMaximumTerms ?? 20, Math.max(1, Math.floor(opts.maxTermsLimit ?? 100)));
    // The start term must fall within the list returned, or just after it (position maximumTerms + 1).
    if (responsePosition > maximumTerms + 1) fatal.push(sruDiagnostic(120, String(responsePosition)));
    request = {
      operation,
      ...base,
      scanClause: scanClause ?? '',
      responsePosition,
      maximumTerms,
      ...(asked !== undefined && asked > maximumTerms ? { maximumTermsRequested: asked } : {}),
    };
  }
  if (fatal.length > 0) return { ok: false, version, operation, diagnostics: dedupe(fatal) };
  return { ok: true, request };
}

/** The operation a request with an unusable version was meant for, to answer in kind. */
function guessOperation(op: string | undefined, values: Map<string, string[]>): SruOperation {
  if (op === 'searchRetrieve' || op === 'scan' || op === 'explain') return op;
  if (op !== undefined) return 'explain';
  return values.has('query') ? 'searchRetrieve' : values.has('scanClause') ? 'scan' : 'explain';
}

/** 1.2 `recordPacking` (xml|string); 2.0 `recordXMLEscaping` (xml|string) and `recordPacking` (packed). */
function parseEscaping(version: SruVersion, packing: string | undefined, escaping: string | undefined, fatal: SruDiagnostic[]): SruEscaping {
  if (version === '1.2') {
    if (packing === undefined || packing === 'xml') return 'xml';
    if (packing === 'string') return 'string';
    fatal.push(sruDiagnostic(71, packing));
    return 'xml';
  }
  let result: SruEscaping = 'xml';
  if (escaping !== undefined) {
    if (escaping === 'xml' || escaping === 'string') result = escaping;
    else fatal.push(sruDiagnostic(71, escaping));
  }
  if (packing !== undefined && packing !== 'packed') {
    // 1.2 clients talking 2.0 often send the old values: read them as recordXMLEscaping.
    if ((packing === 'xml' || packing === 'string') && escaping === undefined) result = packing;
    else if (packing !== 'xml' && packing !== 'string') fatal.push(sruDiagnostic(71, packing));
  }
  return result;
}

/** A strict non-negative integer parameter; undefined when absent; a diagnostic 6 when bad or below `min`. */
function number(raw: string | undefined, name: string, min: number, fatal: SruDiagnostic[]): number | undefined {
  if (raw === undefined) return undefined;
  if (!/^[0-9]+$/.test(raw)) {
    fatal.push(sruDiagnostic(6, name));
    return undefined;
  }
  // Digits beyond 15 cannot be read exactly; they can only be "too many".
  const n = raw.replace(/^0+(?=.)/, '').length > 15 ? Infinity : Number(raw);
  if (n < min) {
    fatal.push(sruDiagnostic(6, name));
    return undefined;
  }
  if (name !== 'maximumRecords' && name !== 'maximumTerms' && n > MAX_POSITION) {
    fatal.push(sruDiagnostic(6, name));
    return undefined;
  }
  return n;
}

function dedupe(list: SruDiagnostic[]): SruDiagnostic[] {
  const seen = new Set<string>();
  return list.filter((d) => {
    const key = `${d.code}\u0000${d.details ?? ''}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
