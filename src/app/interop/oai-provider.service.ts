/**
 * The OAI-PMH 2.0 data provider: what union catalogues and aggregators harvest from us.
 *
 * - Items: catalogue records (`oai:<repo>:record/<id>`) and published digital objects
 *   (`oai:<repo>:digital/<id>`), in `oai_dc` and `marc21` (MARCXML with our number in 001/003
 *   and holdings in 852, as the export writes them). Deleted records stay as tombstones and are
 *   reported `status="deleted"` for ever (`deletedRecord` = persistent).
 * - Sets: `lib` and `lib:<code>:<code>…` following the library tree (a record belongs to the
 *   libraries that own a copy and to the one that catalogued it; a set holds everything below
 *   it); `coll` and `coll:<code>` for digital collections; `cat` and `cat:<category>` for the
 *   plan's priority categories.
 * - Lists are read by keyset on `(datestamp, kind, id)`: a resumption token carries the last item
 *   sent, signed and with an expiry. A record changed during a harvest moves to the end of the
 *   list (its datestamp grows), so it is sent again later rather than skipped; nothing is sent
 *   twice otherwise. `completeListSize` is counted when the list starts.
 * - Responses are produced as a stream of chunks, a bounded page at a time, so memory does not
 *   grow with the catalogue.
 *
 * Every protocol error is an OAI error in a 200 response, never an exception.
 */
import type { Clock, OaiCursor, OaiItemRow, OaiListQuery, OaiSetSelection, Store } from '../ports.js';
import type { OrgService } from '../org.service.js';
import type { ExportService } from '../export.service.js';
import { parseStoredMarc } from '../catalog-record.js';
import type { OrgUnit } from '../../domain/org/unit.js';
import { pathIds } from '../../domain/org/history.js';
import { PLAN_CATEGORIES, isPlanCategory, normaliseDc, type DublinCore } from '../../domain/digital/object.js';
import { dcToMarc } from '../../domain/digital/dc-marc.js';
import { marcToDc } from '../../domain/catalog/marc-dc.js';
import type { MarcRecord } from '../../codecs/marc/record.js';
import { parseOaiRequest, type OaiError, type OaiRequest, type OaiVerb } from '../../codecs/oai/request.js';
import { decodeToken, encodeToken, expirationDate, isTokenError, type TokenState } from '../../codecs/oai/token.js';
import * as w from '../../codecs/oai/writer.js';
import { translator } from '../../i18n/i18n.js';

export interface OaiProviderOptions {
  store: Store;
  org: OrgService;
  exports: ExportService;
  clock: Clock;
  orgCode: string;
  repositoryName?: string;
  adminEmail?: string;
  /** The `repositoryIdentifier` of oai-identifiers; by default the host of the public address when it is a domain name. */
  repositoryIdentifier?: string;
  /** Items per response: records with metadata, and headers alone. */
  pageSize?: { records: number; identifiers: number };
  /** How long a resumption token stays valid (default 24 hours). */
  tokenMaxAgeMs?: number;
}

export interface OaiRequestContext {
  /** The public address of the site (`https://thuvien.example.vn`); the base URL is this + `/oai`. */
  siteUrl: string;
  /** Signs resumption tokens (the server's secret; tokens of other servers sharing it stay valid). */
  secret: string;
}

const METADATA_FORMATS = [w.OAI_DC_FORMAT, w.MARC21_FORMAT];
const DEFAULT_PAGE = { records: 500, identifiers: 2000 };
const DAY_MS = 86_400_000;
/** Items whose metadata are read from the database together while a page streams. */
const CHUNK = 100;

type ListState = Omit<TokenState, 'after' | 'issuedAt'> & { after?: OaiCursor };

export class OaiProviderService {
  readonly #o: OaiProviderOptions;
  readonly #page: { records: number; identifiers: number };
  readonly #maxAge: number;
  constructor(o: OaiProviderOptions) {
    this.#o = o;
    this.#page = o.pageSize ?? DEFAULT_PAGE;
    this.#maxAge = o.tokenMaxAgeMs ?? DAY_MS;
  }

  /** The repository identifier used in item identifiers. */
  repositoryIdentifier(siteUrl: string): string {
    if (this.#o.repositoryIdentifier) return this.#o.repositoryIdentifier;
    let host: string;
    try {
      host = new URL(siteUrl).hostname.toLowerCase();
    } catch {
      host = '';
    }
    return /^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/.test(host) ? host : 'lienthong.local';
  }

  /** The whole response to one request, as chunks of text (`Readable.from` streams it). */
  async answer(params: ReadonlyArray<readonly [string, string]>, ctx: OaiRequestContext): Promise<AsyncIterable<string>> {
    const now = this.#o.clock.now();
    const baseUrl = `${ctx.siteUrl.replace(/\/+$/, '')}/oai`;
    const parsed = parseOaiRequest(params);
    const head = { responseDate: now, baseUrl, echo: parsed.echo };
    if (!parsed.ok) return w.responseStream(head, { errors: parsed.errors });
    try {
      const body = await this.#verb(parsed.request, ctx, now.getTime());
      return w.responseStream(head, body);
    } catch (e) {
      if (e instanceof OaiFailure) return w.responseStream(head, { errors: e.errors });
      throw e;
    }
  }

  async #verb(req: OaiRequest, ctx: OaiRequestContext, now: number): Promise<w.ResponseBody> {
    const repo = this.repositoryIdentifier(ctx.siteUrl);
    switch (req.verb) {
      case 'Identify': {
        const earliest = (await this.#o.store.oai.earliest()) ?? new Date(now).toISOString();
        return {
          verb: 'Identify',
          parts: [
            w.identify({
              repositoryName: this.#o.repositoryName ?? 'Liên Thông',
              baseURL: `${ctx.siteUrl.replace(/\/+$/, '')}/oai`,
              adminEmail: [this.#o.adminEmail ?? `admin@${repo}`],
              earliestDatestamp: earliest,
              deletedRecord: 'persistent',
              compression: ['gzip', 'deflate'],
              oaiIdentifier: { repositoryIdentifier: repo, sampleIdentifier: `oai:${repo}:record/1` },
            }),
          ],
        };
      }
      case 'ListMetadataFormats': {
        if (req.identifier !== undefined) await this.#item(req.identifier, repo);
        return { verb: 'ListMetadataFormats', parts: [w.metadataFormats(METADATA_FORMATS)] };
      }
      case 'ListSets': {
        if (req.resumptionToken !== undefined) fail('badResumptionToken', 'this repository sends its whole list of sets at once and issues no resumption token for it');
        return { verb: 'ListSets', parts: [w.sets(await this.#allSets())] };
      }
      case 'GetRecord': {
        this.#format(req.metadataPrefix);
        const item = await this.#item(req.identifier, repo);
        const units = await this.#units();
        const out: string[] = [];
        for await (const chunk of this.#render([item], req.metadataPrefix, true, repo, units, ctx.siteUrl)) out.push(chunk);
        return { verb: 'GetRecord', parts: out };
      }
      case 'ListIdentifiers':
      case 'ListRecords':
        return this.#list(req, ctx, now, repo);
    }
  }

  async #list(req: Extract<OaiRequest, { verb: 'ListIdentifiers' | 'ListRecords' }>, ctx: OaiRequestContext, now: number, repo: string): Promise<w.ResponseBody> {
    const withMetadata = req.verb === 'ListRecords';
    const units = await this.#units();
    let state: ListState;
    if (req.resumptionToken !== undefined) {
      const decoded = decodeToken(req.resumptionToken, ctx.secret, now, this.#maxAge);
      if (isTokenError(decoded)) fail('badResumptionToken', decoded.message);
      if (decoded.verb !== req.verb) fail('badResumptionToken', `this token continues a ${decoded.verb} list, not ${req.verb}`);
      const m = /^([01]):([1-9][0-9]*)$/.exec(String(decoded.after.id));
      if (!m || !Number.isFinite(decoded.after.datestamp)) fail('badResumptionToken', 'this token does not say where its list stopped');
      const { after, issuedAt: _issued, ...rest } = decoded;
      state = { ...rest, after: { stamp: new Date(after.datestamp).toISOString(), kind: m[1] === '0' ? 0 : 1, id: Number(m[2]) } };
    } else {
      this.#format(req.metadataPrefix);
      if (req.from && req.until && req.from.ms > req.until.ms) fail('badArgument', "'from' is later than 'until'");
      state = {
        verb: req.verb,
        metadataPrefix: req.metadataPrefix,
        ...(req.set !== undefined ? { set: req.set } : {}),
        ...(req.from ? { from: req.from.ms } : {}),
        ...(req.until ? { until: req.until.ms } : {}),
        cursor: 0,
        completeListSize: 0,
      };
    }
    const selection = state.set !== undefined ? await this.#selection(state.set, units) : undefined;
    if (state.set !== undefined && !selection) fail('noRecordsMatch', `there is no set '${state.set}' in this repository (ListSets lists them)`);
    const query: Omit<OaiListQuery, 'limit'> = {
      ...(state.from !== undefined ? { from: new Date(state.from).toISOString() } : {}),
      ...(state.until !== undefined ? { until: new Date(state.until).toISOString() } : {}),
      ...(selection ? { set: selection } : {}),
    };
    const size = withMetadata ? this.#page.records : this.#page.identifiers;
    const rows = await this.#o.store.oai.list({ ...query, ...(state.after ? { after: state.after } : {}), limit: size + 1 });
    if (rows.length === 0) fail('noRecordsMatch', state.after ? 'nothing is left in this list (the remaining items changed and fall outside its bounds)' : 'no item matches these arguments');
    const completeListSize = state.after ? state.completeListSize : await this.#o.store.oai.count(query);
    const page = rows.slice(0, size);
    const more = rows.length > size;
    const last = page[page.length - 1]!;
    const next: TokenState = {
      verb: req.verb,
      metadataPrefix: state.metadataPrefix,
      ...(state.set !== undefined ? { set: state.set } : {}),
      ...(state.from !== undefined ? { from: state.from } : {}),
      ...(state.until !== undefined ? { until: state.until } : {}),
      after: { datestamp: Date.parse(last.updatedAt), id: `${last.kind}:${last.id}` },
      cursor: state.cursor + page.length,
      completeListSize: Math.max(completeListSize, state.cursor + page.length + (more ? 1 : 0)),
      issuedAt: now,
    };
    const tokenInfo: w.ResumptionTokenInfo | null = more
      ? { token: encodeToken(next, ctx.secret), completeListSize: next.completeListSize, cursor: state.cursor, expirationDate: expirationDate(now, this.#maxAge) }
      : state.after
        ? { token: '', completeListSize: next.completeListSize, cursor: state.cursor }
        : null;
    const render = (items: readonly OaiItemRow[]) => this.#render(items, state.metadataPrefix, withMetadata, repo, units, ctx.siteUrl);
    async function* parts(): AsyncGenerator<string> {
      for (let i = 0; i < page.length; i += CHUNK) yield* render(page.slice(i, i + CHUNK));
      if (tokenInfo) yield w.resumptionToken(tokenInfo);
    }
    return { verb: req.verb as OaiVerb, parts: parts() };
  }

  /** Headers (and records) for `items`, reading their metadata in one go. */
  async *#render(items: readonly OaiItemRow[], prefix: string, withMetadata: boolean, repo: string, units: Units, siteUrl: string): AsyncGenerator<string> {
    const recordIds = items.filter((i) => i.kind === 0).map((i) => i.id);
    const objectIds = items.filter((i) => i.kind === 1).map((i) => i.id);
    const [recordUnits, objects] = await Promise.all([this.#o.store.oai.recordUnits(recordIds), this.#o.store.oai.objects(objectIds)]);
    const objectsById = new Map(objects.map((o) => [o.id, o]));
    let marcs = new Map<number, MarcRecord>();
    if (withMetadata) {
      const live = items.filter((i) => i.kind === 0 && !i.deleted).map((i) => i.id);
      if (prefix === 'marc21') {
        const [records, holdings] = await Promise.all([this.#o.store.catalog.getRecords(live), this.#o.store.catalog.itemsOfRecords(live)]);
        const byRecord = new Map<number, typeof holdings>();
        for (const h of holdings) (byRecord.get(h.recordId) ?? byRecord.set(h.recordId, []).get(h.recordId)!).push(h);
        marcs = new Map(records.map((r) => [r.id, this.#o.exports.toMarc(r, (byRecord.get(r.id) ?? []).filter((h) => h.status !== 'withdrawn'), '852')]));
      } else {
        // Dublin Core carries no holdings and no 001/003: the stored record as it is, no copies read.
        marcs = new Map((await this.#o.store.catalog.getRecords(live)).map((r) => [r.id, parseStoredMarc(r)]));
      }
    }
    let out = '';
    for (const item of items) {
      const object = item.kind === 1 ? objectsById.get(item.id) : undefined;
      const specs = item.kind === 0 ? unitSpecs(recordUnits.get(item.id) ?? [], units) : object ? objectSpecs(object, units) : [];
      const header: w.OaiHeader = { identifier: `oai:${repo}:${item.kind === 0 ? 'record' : 'digital'}/${item.id}`, datestamp: item.updatedAt, setSpecs: specs, deleted: item.deleted };
      if (!withMetadata) {
        out += w.header(header) + '\n';
        continue;
      }
      let metadataXml: string | undefined;
      if (!item.deleted) {
        if (item.kind === 0) {
          const marc = marcs.get(item.id);
          if (marc) metadataXml = prefix === 'marc21' ? w.marc21(marc) : w.oaiDc(withIdentifier(marcToDc(marc), `${siteUrl}/record/${item.id}`));
        } else if (object) {
          const dc = withIdentifier(normaliseDc(parseJson(object.dc)), `${siteUrl}/digital/${object.id}`);
          metadataXml =
            prefix === 'marc21'
              ? w.marc21(dcToMarc(dc, { today: item.updatedAt.slice(0, 10), orgCode: this.#o.orgCode, objectUrl: `${siteUrl}/digital/${object.id}` }) as MarcRecord)
              : w.oaiDc(dc);
        }
      }
      // A record that vanished between the list and this read is reported as deleted.
      out += w.record(metadataXml === undefined ? { header: { ...header, deleted: true } } : { header, metadataXml });
    }
    yield out;
  }

  #format(prefix: string): void {
    if (!METADATA_FORMATS.some((f) => f.metadataPrefix === prefix)) fail('cannotDisseminateFormat', `this repository disseminates ${METADATA_FORMATS.map((f) => f.metadataPrefix).join(' and ')}, not '${prefix}'`);
  }

  async #item(identifier: string, repo: string): Promise<OaiItemRow> {
    const m = /^oai:([^:]+):(record|digital)\/([1-9][0-9]{0,14})$/.exec(identifier);
    if (!m || m[1] !== repo) fail('idDoesNotExist', `'${identifier.slice(0, 200)}' is not an identifier of this repository (they look like oai:${repo}:record/1)`);
    const row = await this.#o.store.oai.one(m[2] === 'record' ? 0 : 1, Number(m[3]));
    if (!row) fail('idDoesNotExist', `there is no item '${identifier}'`);
    return row;
  }

  async #units(): Promise<Units> {
    const list = await this.#o.org.list();
    const byId = new Map(list.map((u) => [u.id, u]));
    const specOf = new Map<number, string>();
    for (const u of list) {
      const codes = pathIds(u.path).map((id) => byId.get(id)?.code);
      if (codes.every((c): c is string => c !== undefined && SEGMENT.test(c))) specOf.set(u.id, `lib:${codes.join(':')}`);
    }
    return { list, specOf };
  }

  async #allSets(): Promise<w.OaiSet[]> {
    const vi = translator('vi');
    const units = await this.#units();
    const out: w.OaiSet[] = [{ spec: 'lib', name: 'Thư viện trong mạng lưới — Libraries of the network' }];
    for (const u of units.list) {
      const spec = units.specOf.get(u.id);
      if (spec) out.push({ spec, name: u.nameVi, description: { description: [u.nameEn], identifier: [u.code] } });
    }
    out.push({ spec: 'coll', name: 'Bộ sưu tập số — Digital collections' });
    for (const c of await this.#o.store.oai.collections()) if (SEGMENT.test(c.code)) out.push({ spec: `coll:${c.code}`, name: c.nameVi, description: c.nameEn });
    out.push({ spec: 'cat', name: 'Tài liệu số theo nhóm ưu tiên của Kế hoạch — Digital documents by the plan’s priority categories' });
    for (const c of PLAN_CATEGORIES) out.push({ spec: `cat:${c}`, name: vi(`dstaff.category.${c}` as Parameters<typeof vi>[0]) });
    return out;
  }

  async #selection(spec: string, units: Units): Promise<OaiSetSelection | undefined> {
    if (spec === 'lib') return { kind: 'lib', path: '/' };
    if (spec.startsWith('lib:')) {
      for (const u of units.list) if (units.specOf.get(u.id) === spec) return { kind: 'lib', path: u.path };
      return undefined;
    }
    if (spec === 'coll') return { kind: 'coll', collectionId: null };
    if (spec.startsWith('coll:')) {
      const c = (await this.#o.store.oai.collections()).find((x) => `coll:${x.code}` === spec);
      return c ? { kind: 'coll', collectionId: c.id } : undefined;
    }
    if (spec === 'cat') return { kind: 'cat', category: null };
    if (spec.startsWith('cat:') && isPlanCategory(spec.slice(4))) return { kind: 'cat', category: spec.slice(4) };
    return undefined;
  }
}

interface Units {
  list: OrgUnit[];
  specOf: Map<number, string>;
}

/** A setSpec segment as the schema allows. */
const SEGMENT = /^[A-Za-z0-9\-_.!~*'()]+$/;

function unitSpecs(unitIds: readonly number[], units: Units): string[] {
  const specs = new Set<string>();
  for (const id of unitIds) {
    const s = units.specOf.get(id);
    if (s) specs.add(s);
  }
  return [...specs].sort();
}

function objectSpecs(o: { ownerUnitId: number; category: string; collectionCodes: string[] }, units: Units): string[] {
  const specs = unitSpecs([o.ownerUnitId], units);
  for (const c of o.collectionCodes) if (SEGMENT.test(c)) specs.push(`coll:${c}`);
  if (SEGMENT.test(o.category)) specs.push(`cat:${o.category}`);
  return specs;
}

function withIdentifier(dc: DublinCore, url: string): DublinCore {
  const ids = dc.identifier ?? [];
  return ids.includes(url) ? dc : { ...dc, identifier: [...ids, url] };
}

function parseJson(text: string): Record<string, readonly string[] | string | undefined> {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, readonly string[] | string | undefined>) : {};
  } catch {
    return {};
  }
}

class OaiFailure extends Error {
  constructor(readonly errors: OaiError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

function fail(code: OaiError['code'], message: string): never {
  throw new OaiFailure([{ code, message }]);
}
