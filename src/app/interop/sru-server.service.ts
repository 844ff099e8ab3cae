/**
 * The SRU server (`/sru`), versions 1.2 and 2.0: how other libraries and their cataloguing
 * clients search us.
 *
 * - explain: a ZeeRex record naming our indexes (context sets cql, dc and bath), record schemas
 *   (MARCXML and Dublin Core), defaults and limits.
 * - searchRetrieve: the CQL query is parsed (`src/codecs/cql`) and mapped onto the catalogue's
 *   own search (`cqlToSearch`), so a remote search finds exactly what the portal finds, tone marks
 *   or not; records come out as MARCXML (our number in 001/003, holdings in 852) or as DC.
 * - scan: titles, authors and subjects with their record counts, from a term onwards.
 *
 * Whatever goes wrong with a request is an SRU diagnostic in the response; `maximumRecords` is
 * capped to `maxRecords` (a million asked for costs what the cap costs) and `startRecord` past
 * the end is diagnostic 61.
 */
import type { Clock, Store } from '../ports.js';
import type { ExportService } from '../export.service.js';
import type { SearchService } from '../search/search.service.js';
import { MAX_OFFSET } from '../search/search.service.js';
import { parseCql, type CqlSearchClause } from '../../codecs/cql/index.js';
import { cqlToSearch } from '../../domain/search/cql-map.js';
import { marcToDc } from '../../domain/catalog/marc-dc.js';
import { browseKey } from '../../domain/browse/alphabet.js';
import { recordToXml } from '../../codecs/marc/_marcxml.js';
import { parseSruRequest, type SruRequest, type SruScanRequest, type SruSearchRetrieveRequest } from '../../codecs/sru/request.js';
import { sruDiagnostic, type SruDiagnostic } from '../../codecs/sru/diagnostics.js';
import { diagnosticsOnly, explainResponse, scanResponse, searchRetrieveResponse, srwDc, SRU_MEDIA_TYPE, type SruLang, type SruRecordOut, type SruTermOut } from '../../codecs/sru/writer.js';
import { DEFAULT_CONTEXT_SETS, DEFAULT_EXPLAIN_INDEXES, explainRecord } from '../../codecs/sru/explain.js';

export interface SruServerOptions {
  store: Store;
  search: SearchService;
  exports: ExportService;
  clock: Clock;
  /** The most records one response carries (default 100). */
  maxRecords?: number;
  /** Records when the request does not say (default 10). */
  defaultRecords?: number;
}

export interface SruAnswer {
  contentType: string;
  chunks: Iterable<string> | AsyncIterable<string>;
}

const SCHEMAS = [
  { name: 'marcxml', uri: 'info:srw/schema/1/marcxml-v1.1', title: 'MARCXML (MARC 21 slim)' },
  { name: 'dc', uri: 'info:srw/schema/1/dc-v1.1', title: 'Dublin Core' },
];

/** Which headings a scan of an index walks. */
const SCAN_INDEXES: Record<string, 'title' | 'author' | 'subject'> = {
  'dc.title': 'title',
  'bath.title': 'title',
  'dc.creator': 'author',
  'bath.author': 'author',
  'bath.name': 'author',
  'bath.personalName': 'author',
  'dc.subject': 'subject',
  'bath.subject': 'subject',
  'bath.topicalSubject': 'subject',
};

export class SruServerService {
  readonly #o: SruServerOptions;
  readonly #max: number;
  readonly #default: number;
  constructor(o: SruServerOptions) {
    this.#o = o;
    this.#max = o.maxRecords ?? 100;
    this.#default = o.defaultRecords ?? 10;
  }

  async answer(params: ReadonlyArray<readonly [string, string]>, ctx: { siteUrl: string; lang: SruLang }): Promise<SruAnswer> {
    const parsed = parseSruRequest(params, { defaultVersion: '1.2', maxRecordsLimit: this.#max, defaultMaximumRecords: this.#default });
    const lang = ctx.lang;
    if (!parsed.ok) return this.#xml(diagnosticsOnly(parsed.version, parsed.operation, parsed.diagnostics, { lang }));
    const req: SruRequest = parsed.request;
    if (req.operation === 'explain') return this.#xml(explainResponse(req.version, this.#explain(ctx.siteUrl, req.version), { packing: req.recordEscaping, diagnostics: req.warnings, lang }));
    if (req.operation === 'scan') return this.#xml(await this.#scan(req, lang));
    return this.#xml(await this.#searchRetrieve(req, ctx.siteUrl, lang));
  }

  #xml(chunks: Iterable<string> | AsyncIterable<string>): SruAnswer {
    return { contentType: `${SRU_MEDIA_TYPE}; charset=utf-8`, chunks };
  }

  #explain(siteUrl: string, version: '1.2' | '2.0'): string {
    let host = 'localhost';
    let port = 80;
    try {
      const u = new URL(siteUrl);
      host = u.hostname;
      port = u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
    } catch {
      // the defaults above
    }
    return explainRecord({
      host,
      port,
      database: 'sru',
      title: { vi: 'Mục lục liên hợp Liên Thông', en: 'Liên Thông union catalogue' },
      description: {
        vi: 'Mục lục chung của mạng lưới thư viện công cộng: tìm có dấu hoặc không dấu, biểu ghi MARCXML và Dublin Core.',
        en: 'The shared catalogue of a network of public libraries: search with or without Vietnamese tone marks; MARCXML and Dublin Core records.',
      },
      indexes: DEFAULT_EXPLAIN_INDEXES,
      schemas: SCHEMAS,
      defaults: { numberOfRecords: this.#default, maximumRecords: this.#max, schema: 'marcxml' },
      contextSets: DEFAULT_CONTEXT_SETS,
      supportsScan: true,
      supportsSort: true,
      protocolVersion: version,
    });
  }

  async #searchRetrieve(req: SruSearchRetrieveRequest, siteUrl: string, lang: SruLang): Promise<Iterable<string>> {
    const fail = (d: SruDiagnostic) => diagnosticsOnly(req.version, 'searchRetrieve', [d, ...req.warnings], { lang });
    const cql = parseCql(req.query);
    if (!cql.ok) return fail(cql.diagnostic);
    const mapped = cqlToSearch(cql.query);
    if (!mapped.ok) return fail(mapped.diagnostic);
    const offset = req.startRecord - 1;
    if (offset > MAX_OFFSET) return fail(sruDiagnostic(61, `records past position ${MAX_OFFSET + 1} are not served; narrow the query`));
    const found = await this.#o.search.search({
      q: req.query,
      parsed: mapped.parsed,
      sort: mapped.sort,
      offset,
      pageSize: Math.max(req.maximumRecords, 1),
      facets: false,
      fullText: false,
    });
    const total = found.total;
    if (req.maximumRecords > 0 && total > 0 && offset >= total) return fail(sruDiagnostic(61, `startRecord ${req.startRecord} is past the last record (${total})`));
    const ids = req.maximumRecords === 0 ? [] : found.results.map((r) => r.id).slice(0, req.maximumRecords);
    const records = await this.#records(ids, req, offset, siteUrl);
    const next = offset + ids.length < total && ids.length > 0 ? offset + ids.length + 1 : undefined;
    return searchRetrieveResponse(req.version, {
      numberOfRecords: total,
      records,
      ...(next !== undefined ? { nextRecordPosition: next } : {}),
      diagnostics: req.warnings,
      echoedRequest: req,
      resultCountPrecision: 'exact',
      lang,
    });
  }

  async #records(ids: readonly number[], req: SruSearchRetrieveRequest, offset: number, siteUrl: string): Promise<SruRecordOut[]> {
    if (ids.length === 0) return [];
    const [records, items] = await Promise.all([this.#o.store.catalog.getRecords(ids), this.#o.store.catalog.itemsOfRecords(ids)]);
    const byId = new Map(records.map((r) => [r.id, r]));
    const itemsOf = new Map<number, typeof items>();
    for (const i of items) if (i.status !== 'withdrawn') (itemsOf.get(i.recordId) ?? itemsOf.set(i.recordId, []).get(i.recordId)!).push(i);
    return ids.map((id, i) => {
      const position = offset + i + 1;
      const stored = byId.get(id);
      if (!stored) return { diagnostic: sruDiagnostic(64, `record ${id} was deleted while the response was written`), position };
      const marc = this.#o.exports.toMarc(stored, itemsOf.get(id) ?? [], '852');
      if (req.recordSchema.name === 'dc') {
        const dc = marcToDc(marc);
        const url = `${siteUrl.replace(/\/+$/, '')}/record/${id}`;
        return { schema: req.recordSchema.uri, packing: req.recordEscaping, xml: srwDc({ ...dc, identifier: [...(dc.identifier ?? []), url] }), position };
      }
      return { schema: req.recordSchema.uri, packing: req.recordEscaping, xml: recordToXml(marc, { index: position }, true).trimEnd(), position };
    });
  }

  async #scan(req: SruScanRequest, lang: SruLang): Promise<Iterable<string>> {
    const fail = (d: SruDiagnostic) => diagnosticsOnly(req.version, 'scan', [d, ...req.warnings], { lang });
    const cql = parseCql(req.scanClause);
    if (!cql.ok) return fail(cql.diagnostic);
    const clause = cql.query.root;
    if (clause.type !== 'searchClause') return fail(sruDiagnostic(10, 'a scan clause is one index, relation and term, without and/or/not'));
    const index = scanIndex(clause);
    const kind = SCAN_INDEXES[index];
    if (!kind) return fail(sruDiagnostic(16, `${index} (scan walks ${Object.keys(SCAN_INDEXES).join(', ')})`));
    const relation = clause.relation.value.toLowerCase();
    if (relation !== '=' && relation !== '==' && relation !== '>=' && relation !== 'exact') return fail(sruDiagnostic(19, relation));
    const term = clause.text.normalize('NFC');
    const from = kind === 'title' ? term : browseKey(term);
    const beforeCount = Math.max(0, req.responsePosition - 1);
    const afterCount = Math.max(0, req.maximumTerms - beforeCount);
    const [before, after] = await Promise.all([
      beforeCount > 0 ? this.#o.store.oai.scanHeadings(kind, from, beforeCount, true) : Promise.resolve([]),
      this.#o.store.oai.scanHeadings(kind, from, afterCount),
    ]);
    const list = [...before.reverse(), ...after];
    const terms: SruTermOut[] = list.map((h, i) => ({
      value: h.heading,
      numberOfRecords: h.docs,
      displayTerm: h.heading,
      ...(list.length === 1 ? { whereInList: 'only' as const } : i === 0 ? { whereInList: 'first' as const } : i === list.length - 1 ? { whereInList: 'last' as const } : {}),
    }));
    return scanResponse(req.version, { terms, diagnostics: req.warnings, lang });
  }
}

/** `dc.title` for a clause's index, with the default context set `dc` for a bare name. */
function scanIndex(clause: CqlSearchClause): string {
  const raw = clause.index || 'cql.serverChoice';
  return raw.includes('.') ? raw : `dc.${raw}`;
}
