/**
 * Copy cataloguing: staff search a remote catalogue over SRU (another Liên Thông, a national or a
 * foreign library), look at a record, and import it into the union catalogue for one of their
 * libraries.
 *
 * Rules:
 * - Targets are shared by the whole network (the table has no owning library): managing them takes
 *   `interop.manage` at the root of the tree. Their base URL must be absolute http or https, with no
 *   user name or password in it (a URL is shown to every cataloguer and written to the audit log).
 * - Searching and looking are open to anyone who may catalogue or import somewhere; importing needs
 *   `catalog.record.create` or `catalog.import` at the chosen library, checked (and a refusal
 *   audited) before the remote is asked anything.
 * - The search is turned into CQL by us (`copyCql`): quotes and backslashes escaped, an ISBN
 *   normalised and asked in both its forms, an ISSN with its hyphen.
 * - The remote is outside: every request has a time limit, a size limit and an abort signal, and
 *   whatever comes back — an HTTP error, an HTML page, broken XML, SRU diagnostics, a record we
 *   cannot read — becomes a `RemoteProblem` value the pages explain in Vietnamese or English. A
 *   remote failure is never thrown.
 * - Import fetches the record again from the remote (by query and position), never trusting one
 *   posted back by a browser; when a fingerprint of the record previewed is given and the remote
 *   now sends something else, nothing is imported. The record then goes through the same
 *   preparation, matching and writing as a file import (`prepareIncoming`, `planRecords`,
 *   `writePlanned`), with `source` `sru:<target id>`, and the result is audited in the same
 *   transaction as `catalog.record.copy`.
 * - What belongs to the remote library is left behind: holdings (852, 876–878, 952), local 9XX
 *   fields and non-numeric tags; and a 001/003 stamped with our own organisation code (another
 *   Liên Thông configured like us), which would otherwise match our record of the same number.
 */
import { createHash } from 'node:crypto';
import { AppError, type FieldProblem } from '../../domain/errors.js';
import { allows, allowsAnywhere } from '../../domain/access/permissions.js';
import type { OrgUnit } from '../../domain/org/unit.js';
import { normaliseIsbn, normaliseIssn } from '../../domain/catalog/isbn.js';
import { validateItem } from '../../domain/catalog/items.js';
import { buildMarcFromSimple } from '../../domain/catalog/simple-form.js';
import { dcToSimple } from '../../domain/digital/dc-marc.js';
import { DC_ELEMENTS, normaliseDc, type DublinCore } from '../../domain/digital/object.js';
import { buildSearchUrl, readSruResponse, type SruReadDiagnostic, type SruReadRecord } from '../../codecs/sru/reader.js';
import { readMarcXml } from '../../codecs/marc/parse.js';
import { XmlTokenizer } from '../../codecs/marc/_xml.js';
import type { MarcRecord } from '../../codecs/marc/record.js';
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import { runWrite } from '../guard.js';
import type { Clock, ImportResult, Repos, Store } from '../ports.js';
import type { CatalogService, DuplicateCandidate } from '../catalog.service.js';
import { prepareRecord } from '../catalog-record.js';
import { prepareIncoming, type PrepareContext } from '../import-prepare.js';
import { IMPORT_POLICIES, planRecords, writePlanned, type ImportPolicy } from '../import.service.js';
import { localDate } from '../org.service.js';
import { RemoteFetchError, SRU_VERSIONS, isSruVersion, type RemoteFetch, type SruTarget, type SruTargetFields } from './sru-target.ports.js';

// ------------------------------------------------------------------------------------ queries

export const COPY_KINDS = ['any', 'title', 'author', 'subject', 'isbn', 'issn'] as const;
export type CopyKind = (typeof COPY_KINDS)[number];

export function isCopyKind(s: string): s is CopyKind {
  return (COPY_KINDS as readonly string[]).includes(s);
}

/** What staff typed: which index and the words. */
export interface CopyQuery {
  kind: CopyKind;
  text: string;
}

/** Longest search text taken. */
export const MAX_QUERY_TEXT = 300;

/** CQL indexes each kind asks (the dc and bath context sets, which most SRU servers know). */
const INDEX: Record<Exclude<CopyKind, 'isbn' | 'issn'>, string> = {
  any: 'cql.serverChoice',
  title: 'dc.title',
  author: 'dc.creator',
  subject: 'dc.subject',
};

/** A CQL quoted string: backslash and quote escaped, `?` and `^` made plain characters (CQL 1.2 §5). */
export function cqlQuote(s: string): string {
  return `"${s.replace(/[\\"?^]/g, (c) => `\\${c}`)}"`;
}

const validation = (field: string, rule: string, params: Record<string, string | number> = {}): AppError =>
  new AppError('VALIDATION', {}, [{ field, code: 'VALIDATION', params: { rule, ...params } }]);

/**
 * The CQL query for a search. Throws `VALIDATION` (field `text`) for an empty text, one too
 * long, or an ISBN/ISSN whose check digit is wrong.
 *
 * @example copyCql({ kind: 'isbn', text: '604-1-23456-?' }) // throws; a valid one gives
 * copyCql({ kind: 'isbn', text: '0-8044-2957-X' }) // 'bath.isbn = "9780804429573" or bath.isbn = "080442957X"'
 */
export function copyCql(q: CopyQuery): string {
  const text = (typeof q.text === 'string' ? q.text : '').normalize('NFC').replace(/\s+/g, ' ').trim();
  if (text === '') throw validation('text', 'copy.search.textRequired');
  if (text.length > MAX_QUERY_TEXT) throw validation('text', 'copy.search.textTooLong', { max: MAX_QUERY_TEXT });
  switch (q.kind) {
    case 'isbn': {
      const n = normaliseIsbn(text);
      if (!n) throw validation('text', 'copy.search.isbnInvalid');
      // Catalogues index older records under the ISBN-10 they were printed with: ask for both.
      return n.isbn10 ? `bath.isbn = ${cqlQuote(n.isbn13)} or bath.isbn = ${cqlQuote(n.isbn10)}` : `bath.isbn = ${cqlQuote(n.isbn13)}`;
    }
    case 'issn': {
      const n = normaliseIssn(text);
      if (!n) throw validation('text', 'copy.search.issnInvalid');
      return `bath.issn = ${cqlQuote(n)}`;
    }
    default:
      if (!isCopyKind(q.kind)) throw validation('kind', 'copy.search.kindInvalid');
      return `${INDEX[q.kind]} all ${cqlQuote(text)}`;
  }
}

// ------------------------------------------------------------------------------------ results

/** Why a remote gave us nothing usable; the pages say it as `copy.problem.<code>`. */
export type RemoteProblemCode =
  | 'disabled'
  | 'config'
  | 'timeout'
  | 'unreachable'
  | 'too-large'
  | 'http'
  | 'html'
  | 'not-xml'
  | 'broken'
  | 'not-sru'
  | 'diagnostic'
  | 'no-record'
  | 'unreadable'
  | 'no-title'
  | 'changed';

export interface RemoteProblem {
  code: RemoteProblemCode;
  params: Record<string, string | number>;
  /** What exactly went wrong, in the technical English of the readers (shown small, for support). */
  detail?: string;
}

/** Why one record of an answer cannot be used. */
export type RecordProblemCode = 'not-xml' | 'unsupported-format' | 'unsupported-schema' | 'marc' | 'empty' | 'surrogate';

/** A remote record as we read it. */
export interface RemoteRecord {
  position: number;
  /** The record schema as the server named it (or as we asked). */
  schema: string;
  format: 'marc21' | 'dc';
  /** The record as it would be imported: holdings and local fields left out, NFC. */
  marc: MarcRecord;
  title: string;
  author: string | null;
  year: number | null;
  publisher: string | null;
  isbn: string | null;
  /** Fingerprint of the record as the remote sent it (SHA-256 of its XML, hex, first 32). */
  fingerprint: string;
  /** What we changed or could not read, as message keys with parameters. */
  notes: Array<{ key: string; params: Record<string, string | number> }>;
}

export interface UnusableRecord {
  position: number;
  schema: string;
  problem: RecordProblemCode;
  detail?: string;
}

export type ResultEntry = ({ usable: true } & RemoteRecord) | ({ usable: false } & UnusableRecord);

export interface SearchPage {
  ok: true;
  target: SruTarget;
  query: CopyQuery;
  cql: string;
  page: number;
  pageSize: number;
  /** How many records the remote says match. */
  total: number;
  pages: number;
  results: ResultEntry[];
  /** Diagnostics the remote sent along with its results (not fatal). */
  notices: SruReadDiagnostic[];
}

export type SearchOutcome = SearchPage | { ok: false; target: SruTarget; query: CopyQuery; cql: string; problem: RemoteProblem };

export interface Preview {
  ok: true;
  target: SruTarget;
  query: CopyQuery;
  cql: string;
  record: RemoteRecord;
  /** Records we already hold that this one matches, best first (the first is what matching picks). */
  duplicates: DuplicateCandidate[];
}

export type PreviewOutcome = Preview | { ok: false; target: SruTarget; query: CopyQuery; cql: string; problem: RemoteProblem };

export interface CopyImportInput {
  targetId: number;
  query: CopyQuery;
  position: number;
  unitId: number;
  policy: string;
  /** The fingerprint of the record the person looked at; a different record now is refused. */
  fingerprint?: string;
  /** A copy to add at the chosen library, by barcode (optional). */
  barcode?: string;
}

export interface CopyImported {
  ok: true;
  outcome: 'created' | 'matched' | 'merged';
  recordId: number;
  matchedOn: string | null;
  itemsAdded: number;
  problems: ImportResult['problems'];
  duplicates: DuplicateCandidate[];
}

export type ImportOutcome = CopyImported | { ok: false; problem: RemoteProblem };

export interface CopyLimits {
  /** Longest wait for a remote answer, in ms. */
  timeoutMs: number;
  /** Largest answer read, in bytes. */
  maxBytes: number;
  /** Results per page. */
  pageSize: number;
  /** Furthest page asked for (remote servers refuse deep paging anyway). */
  maxPage: number;
}

export const DEFAULT_COPY_LIMITS: CopyLimits = { timeoutMs: 15_000, maxBytes: 8 * 1024 * 1024, pageSize: 10, maxPage: 100 };

export interface CopyCatalogDeps {
  store: Store;
  clock: Clock;
  catalog: Pick<CatalogService, 'findDuplicates'>;
  /** The MARC organisation code of this catalogue (see `CatalogService.orgCode`). */
  orgCode: string;
  /** How the remote is asked; default {@link httpRemoteFetch}. */
  fetch?: RemoteFetch;
  limits?: Partial<CopyLimits>;
}

const MAX_NAME = 200;
const MAX_URL = 1000;
const MAX_SCHEMA = 200;

// ------------------------------------------------------------------------------------ service

export class CopyCatalogService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #catalog: CopyCatalogDeps['catalog'];
  readonly #orgCode: string;
  readonly #fetch: RemoteFetch;
  readonly limits: CopyLimits;

  constructor(deps: CopyCatalogDeps) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#catalog = deps.catalog;
    this.#orgCode = deps.orgCode;
    this.#fetch = deps.fetch ?? httpRemoteFetch;
    this.limits = { ...DEFAULT_COPY_LIMITS, ...deps.limits };
  }

  // ---------------------------------------------------------------- who may do what

  /** May the actor manage the targets (`interop.manage` at the root of the tree)? */
  async canManage(actor: Actor): Promise<boolean> {
    const root = await this.#root(this.#store);
    return root !== undefined && allows(actor.grants, 'interop.manage', root);
  }

  /** May the actor search remote catalogues (they may catalogue or import somewhere)? */
  canCopy(actor: Actor): boolean {
    return allowsAnywhere(actor.grants, 'catalog.record.create') || allowsAnywhere(actor.grants, 'catalog.import');
  }

  #requireCopier(actor: Actor): void {
    if (!this.canCopy(actor)) throw new AppError('PERMISSION_DENIED', { permission: 'catalog.record.create' });
  }

  async #root(repos: Repos): Promise<OrgUnit | undefined> {
    return (await repos.org.list()).find((u) => u.parentId === null);
  }

  async #authorizeManage(tx: Repos, actor: Actor): Promise<OrgUnit> {
    const root = await this.#root(tx);
    if (!root) throw new AppError('ORG_UNIT_NOT_FOUND', { unit: 0 });
    if (!allows(actor.grants, 'interop.manage', root)) throw new AppError('PERMISSION_DENIED', { permission: 'interop.manage', unit: root.id });
    return root;
  }

  async #authorizeImport(tx: Repos, actor: Actor, unitId: number): Promise<OrgUnit> {
    const unit = await tx.org.getById(unitId);
    if (!unit) throw new AppError('ORG_UNIT_NOT_FOUND', { unit: unitId });
    if (!allows(actor.grants, 'catalog.record.create', unit) && !allows(actor.grants, 'catalog.import', unit)) {
      throw new AppError('PERMISSION_DENIED', { permission: 'catalog.record.create', unit: unitId });
    }
    if (unit.status !== 'active') throw new AppError('ORG_UNIT_CLOSED', { unit: unit.code });
    return unit;
  }

  /** Open libraries the actor may import into, their home library first. */
  async importUnits(actor: Actor, homeUnitId: number | null = null): Promise<OrgUnit[]> {
    const units = await this.#store.org.list({ activeOnly: true });
    return units
      .filter((u) => allows(actor.grants, 'catalog.record.create', u) || allows(actor.grants, 'catalog.import', u))
      .sort((a, b) => (a.id === homeUnitId ? -1 : b.id === homeUnitId ? 1 : a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  // ---------------------------------------------------------------- targets

  /** The targets staff may search: enabled ones for cataloguers, all of them for managers. */
  async targets(actor: Actor, opts: { all?: boolean } = {}): Promise<SruTarget[]> {
    if (opts.all) {
      if (!(await this.canManage(actor))) throw new AppError('PERMISSION_DENIED', { permission: 'interop.manage' });
      return this.#store.sruTargets.list();
    }
    this.#requireCopier(actor);
    return (await this.#store.sruTargets.list()).filter((t) => t.enabled);
  }

  /** One target, for its edit form (managers) or a search (cataloguers, enabled targets only). */
  async target(actor: Actor, id: number): Promise<SruTarget> {
    const t = await this.#store.sruTargets.get(id);
    if (!t) throw new AppError('NOT_FOUND');
    if (await this.canManage(actor)) return t;
    this.#requireCopier(actor);
    if (!t.enabled) throw new AppError('NOT_FOUND');
    return t;
  }

  async createTarget(actor: Actor, input: Record<string, unknown>): Promise<SruTarget> {
    const fields = checkTarget(input);
    return runWrite(this.#store, this.#clock, actor, async (tx) => {
      const root = await this.#authorizeManage(tx, actor);
      const now = this.#clock.now();
      const t = await tx.sruTargets.insert(fields, now.toISOString());
      await audit(tx, actor, now, { action: 'interop.sru_target.create', unitId: root.id, targetType: 'sru_target', targetId: t.id, after: fields });
      return t;
    });
  }

  async updateTarget(actor: Actor, id: number, input: Record<string, unknown> & { version: number }): Promise<SruTarget> {
    const fields = checkTarget(input);
    return runWrite(this.#store, this.#clock, actor, async (tx) => {
      const root = await this.#authorizeManage(tx, actor);
      const before = await tx.sruTargets.get(id);
      if (!before) throw new AppError('NOT_FOUND');
      const now = this.#clock.now();
      if (!(await tx.sruTargets.update(id, fields, input.version, now.toISOString()))) throw new AppError('CONFLICT', { target: id });
      await audit(tx, actor, now, { action: 'interop.sru_target.update', unitId: root.id, targetType: 'sru_target', targetId: id, before: fieldsOf(before), after: fields });
      return (await tx.sruTargets.get(id))!;
    });
  }

  async deleteTarget(actor: Actor, id: number, version: number): Promise<void> {
    await runWrite(this.#store, this.#clock, actor, async (tx) => {
      const root = await this.#authorizeManage(tx, actor);
      const before = await tx.sruTargets.get(id);
      if (!before) throw new AppError('NOT_FOUND');
      if (!(await tx.sruTargets.delete(id, version))) throw new AppError('CONFLICT', { target: id });
      await audit(tx, actor, this.#clock.now(), { action: 'interop.sru_target.delete', unitId: root.id, targetType: 'sru_target', targetId: id, before: fieldsOf(before) });
    });
  }

  // ---------------------------------------------------------------- searching

  /** One page of results from a target. Throws only for bad input or permissions; a remote failure is a value. */
  async search(actor: Actor, targetId: number, q: CopyQuery & { page?: number }, signal?: AbortSignal): Promise<SearchOutcome> {
    const target = await this.target(actor, targetId);
    const query = { kind: q.kind, text: q.text };
    const cql = copyCql(query);
    const size = this.limits.pageSize;
    const page = Number.isSafeInteger(q.page) && q.page! >= 1 ? Math.min(q.page!, this.limits.maxPage) : 1;
    const start = (page - 1) * size + 1;
    const got = await this.#ask(target, cql, start, size, signal);
    if (!got.ok) return { ok: false, target, query, cql, problem: got.problem };
    const results: ResultEntry[] = [];
    got.records.forEach((rec, i) => results.push(this.#read(rec, rec.position ?? start + i, target)));
    for (const d of got.surrogates) results.push({ usable: false, position: d.position ?? 0, schema: target.recordSchema, problem: 'surrogate', detail: describeDiagnostic(d) });
    results.sort((a, b) => a.position - b.position);
    return { ok: true, target, query, cql, page, pageSize: size, total: got.total, pages: Math.min(Math.ceil(got.total / size), this.limits.maxPage), results, notices: got.notices };
  }

  /** One record of a search, read again from the remote, with the records we hold that it matches. */
  async preview(actor: Actor, targetId: number, query: CopyQuery, position: number, signal?: AbortSignal): Promise<PreviewOutcome> {
    const target = await this.target(actor, targetId);
    const cql = copyCql(query);
    const got = await this.#fetchOne(target, cql, position, signal);
    if (!got.ok) return { ok: false, target, query, cql, problem: got.problem };
    const duplicates = await this.#catalog.findDuplicates(got.record.marc);
    return { ok: true, target, query, cql, record: got.record, duplicates };
  }

  /**
   * Imports one remote record into a library: fetched again, prepared, matched and written as a
   * file import would, and audited. Permission is checked before the remote is asked.
   */
  async importRecord(actor: Actor, input: CopyImportInput, signal?: AbortSignal): Promise<ImportOutcome> {
    if (!(IMPORT_POLICIES as readonly string[]).includes(input.policy)) throw new AppError('CATALOG_IMPORT_POLICY', { policy: String(input.policy) });
    const policy = input.policy as ImportPolicy;
    const target = await this.target(actor, input.targetId);
    const cql = copyCql(input.query);
    const today = localDate(this.#clock.now());
    // A copy to add, checked before anything is fetched.
    const barcode = (input.barcode ?? '').trim();
    const item = barcode === '' ? undefined : validateItem({ barcode }, { today });
    if (item && !item.ok) {
      throw new AppError('VALIDATION', {}, item.problems.map((p): FieldProblem => ({ field: 'barcode', code: 'CATALOG_ITEM_INVALID', params: { rule: `catalog.item.${p.code}`, ...p.params } })));
    }
    await runWrite(this.#store, this.#clock, actor, (tx) => this.#authorizeImport(tx, actor, input.unitId));

    const got = await this.#fetchOne(target, cql, input.position, signal);
    if (!got.ok) return got;
    const record = got.record;
    if (input.fingerprint && input.fingerprint !== record.fingerprint) return { ok: false, problem: { code: 'changed', params: { position: input.position } } };

    const units = new Map((await this.#store.org.list()).map((u) => [u.code, u]));
    const source = `sru:${target.id}`;
    // Read before the write transaction (SQLite has one connection): what we hold that it matches.
    const duplicates = await this.#catalog.findDuplicates(record.marc);
    try {
      return await runWrite(this.#store, this.#clock, actor, async (tx) => {
        const unit = await this.#authorizeImport(tx, actor, input.unitId);
        const ctx: PrepareContext = { unitCode: unit.code, knownUnitCodes: [...units.keys()], today };
        const incoming = prepareIncoming(1, { ok: true, record: record.marc, warnings: [], position: { record: 1 } }, ctx, new Set(units.keys()));
        if (!incoming.ok) throw new NoTitle();
        if (item?.ok) incoming.items.push({ ...item.value, ownerUnitCode: unit.code });
        const [plan] = await planRecords(tx, actor, { unitId: unit.id, unitCode: unit.code, policy, source }, [incoming], units);
        const p = plan!;
        if (item?.ok && p.items.length === 0) {
          const holder = p.result.problems.find((x) => x.code === 'item.barcode-taken')?.params?.record ?? 0;
          throw validation('barcode', 'copy.import.barcodeTaken', { barcode: item.value.barcode, record: Number(holder) });
        }
        const before = p.replaceId !== undefined ? await tx.catalog.getRecord(p.replaceId) : undefined;
        const now = this.#clock.now();
        await writePlanned(tx, [p], now, { orgCode: this.#orgCode, itemSource: source });
        const r = p.result;
        await audit(tx, actor, now, {
          action: 'catalog.record.copy',
          unitId: unit.id,
          targetType: 'record',
          targetId: r.recordId,
          ...(before ? { before: { title: before.title, marc: JSON.parse(before.marc) as unknown } } : {}),
          after: {
            outcome: r.outcome,
            matchedOn: r.matchedOn,
            source,
            target: { id: target.id, name: target.name, baseUrl: target.baseUrl },
            query: cql,
            position: input.position,
            fingerprint: record.fingerprint,
            title: record.title,
            itemsAdded: r.itemsAdded,
            ...(r.outcome === 'matched' ? {} : { marc: record.marc }),
            ...(r.problems.length ? { problems: r.problems } : {}),
          },
        });
        return { ok: true as const, outcome: r.outcome as CopyImported['outcome'], recordId: r.recordId!, matchedOn: r.matchedOn, itemsAdded: r.itemsAdded, problems: r.problems, duplicates };
      });
    } catch (e) {
      if (e instanceof NoTitle) return { ok: false, problem: { code: 'no-title', params: { position: input.position } } };
      throw e;
    }
  }

  // ---------------------------------------------------------------- asking the remote

  async #fetchOne(target: SruTarget, cql: string, position: number, signal?: AbortSignal): Promise<{ ok: true; record: RemoteRecord } | { ok: false; problem: RemoteProblem }> {
    if (!Number.isSafeInteger(position) || position < 1 || position > this.limits.pageSize * this.limits.maxPage) throw validation('position', 'copy.search.positionInvalid');
    const got = await this.#ask(target, cql, position, 1, signal);
    if (!got.ok) return got;
    const rec = got.records.find((r) => r.position === undefined || r.position === position);
    if (!rec) {
      const surrogate = got.surrogates[0];
      if (surrogate) return { ok: false, problem: { code: 'unreadable', params: { position }, detail: describeDiagnostic(surrogate) } };
      return { ok: false, problem: { code: 'no-record', params: { position, total: got.total } } };
    }
    const read = this.#read(rec, position, target);
    if (!read.usable) return { ok: false, problem: { code: 'unreadable', params: { position }, ...(read.detail ? { detail: read.detail } : {}) } };
    const { usable: _usable, ...record } = read;
    return { ok: true, record };
  }

  /** One searchRetrieve request: a parsed answer, or the problem with it. */
  async #ask(
    target: SruTarget,
    cql: string,
    start: number,
    max: number,
    signal?: AbortSignal,
  ): Promise<{ ok: true; total: number; records: SruReadRecord[]; surrogates: SruReadDiagnostic[]; notices: SruReadDiagnostic[] } | { ok: false; problem: RemoteProblem }> {
    if (!target.enabled) return { ok: false, problem: { code: 'disabled', params: { name: target.name } } };
    let url: string;
    try {
      url = buildSearchUrl(target.baseUrl, { version: target.sruVersion, query: cql, startRecord: start, maximumRecords: max, recordSchema: target.recordSchema });
    } catch (e) {
      return { ok: false, problem: { code: 'config', params: { name: target.name }, detail: (e as Error).message } };
    }
    const timeout = AbortSignal.timeout(this.limits.timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res;
    try {
      res = await this.#fetch(url, { signal: combined, maxBytes: this.limits.maxBytes });
    } catch (e) {
      if (e instanceof RemoteFetchError) {
        const f = e.failure;
        if (f.kind === 'timeout') return { ok: false, problem: { code: 'timeout', params: { seconds: Math.round(this.limits.timeoutMs / 100) / 10 } } };
        if (f.kind === 'too-large') return { ok: false, problem: { code: 'too-large', params: { mb: Math.round((f.limit / 1024 ** 2) * 10) / 10 } } };
        return { ok: false, problem: { code: 'unreachable', params: { host: hostOf(url) }, detail: f.detail } };
      }
      if (combined.aborted) return { ok: false, problem: { code: 'timeout', params: { seconds: Math.round(this.limits.timeoutMs / 100) / 10 } } };
      return { ok: false, problem: { code: 'unreachable', params: { host: hostOf(url) }, detail: e instanceof Error ? e.message : String(e) } };
    }
    const body = res.body;
    const html = /^\s*(?:<!doctype\s+html|<html[\s>])/i.test(body.slice(0, 2048)) || /^text\/html\b/i.test(res.contentType ?? '');
    const read = html ? undefined : readSruResponse(body);
    // Some servers send their diagnostics with an HTTP error status: the diagnostic says more.
    if (read?.ok && read.records.length === 0 && read.diagnostics.some((d) => d.position === undefined)) {
      const d = read.diagnostics.find((x) => x.position === undefined)!;
      return { ok: false, problem: diagnosticProblem(d) };
    }
    if (res.status < 200 || res.status >= 300) return { ok: false, problem: { code: 'http', params: { status: res.status, host: hostOf(url) }, ...(html ? { detail: htmlTitle(body) } : {}) } };
    if (html) return { ok: false, problem: { code: 'html', params: { host: hostOf(url) }, ...(htmlTitle(body) ? { detail: htmlTitle(body) } : {}) } };
    if (!read!.ok) {
      const problem = read!.problem;
      const code: RemoteProblemCode = /not XML|is empty/.test(problem) ? 'not-xml' : /not an SRU response|not a searchRetrieveResponse|numberOfRecords/.test(problem) ? 'not-sru' : 'broken';
      return { ok: false, problem: { code, params: { host: hostOf(url) }, detail: problem } };
    }
    const ok = read!;
    return {
      ok: true,
      total: ok.numberOfRecords,
      records: ok.records,
      surrogates: ok.diagnostics.filter((d) => d.position !== undefined),
      notices: ok.diagnostics.filter((d) => d.position === undefined),
    };
  }

  /** Reads one record of an answer into MARC, with its brief description. */
  #read(rec: SruReadRecord, position: number, target: SruTarget): ResultEntry {
    const schema = rec.schema || target.recordSchema;
    const bad = (problem: RecordProblemCode, detail?: string): ResultEntry => ({ usable: false, position, schema, problem, ...(detail ? { detail } : {}) });
    if (rec.problem) return bad('not-xml', rec.problem);
    const fingerprint = createHash('sha256').update(rec.xml).digest('hex').slice(0, 32);
    const root = rootOf(rec.xml);
    if (!root) return bad('not-xml');
    const notes: RemoteRecord['notes'] = [];
    let marc: MarcRecord;
    let format: RemoteRecord['format'];
    if (root.local === 'record' && (root.ns === MARC_NS || root.ns === '' || MARCXCHANGE_NS.has(root.ns))) {
      let xml = rec.xml;
      if (MARCXCHANGE_NS.has(root.ns)) {
        // MarcXchange (ISO 25577) is MARCXML with a format attribute: MARC 21 reads as it is, UNIMARC does not.
        const declared = root.attrs.get('format') ?? 'MARC21';
        if (!/^marc\s*-?\s*21$/i.test(declared.trim())) return bad('unsupported-format', declared);
        xml = xml.split(root.ns).join(MARC_NS);
      }
      const results = readMarcXml(xml);
      const first = results[0];
      if (!first) return bad('empty');
      if (!first.ok) return bad('marc', first.error.message);
      marc = first.record;
      for (const w of first.warnings.slice(0, 5)) notes.push({ key: 'copy.note.repaired', params: { message: w.message } });
      format = 'marc21';
    } else if (root.local === 'dc' || /(^|[/:])(srw_)?dc([-_:]|$)|dublin/i.test(schema)) {
      const dc = dublinCoreOf(rec.xml);
      if (!dc.title?.length) return bad('empty');
      marc = marcFromDc(dc, localDate(this.#clock.now()));
      notes.push({ key: 'copy.note.fromDc', params: {} });
      format = 'dc';
    } else {
      return bad('unsupported-schema', `<${root.name}>`);
    }
    const kept = this.#keepable(marc, notes);
    const { derived } = prepareRecord(kept);
    if (!derived.title) return bad('empty');
    const isbn = derived.isbns.find((i) => i.status === 'valid') ?? derived.isbns[0];
    return {
      usable: true,
      position,
      schema,
      format,
      marc: kept,
      title: derived.title,
      author: derived.authors[0]?.name ?? null,
      year: derived.year ?? null,
      publisher: derived.publishers[0] ?? null,
      isbn: isbn ? (isbn.isbn13 ?? isbn.raw) : null,
      fingerprint,
      notes,
    };
  }

  /** The record without what belongs to the remote library (see the module comment). */
  #keepable(marc: MarcRecord, notes: RemoteRecord['notes']): MarcRecord {
    const local = (tag: string) => !/^\d{3}$/.test(tag) || tag === '852' || (tag >= '876' && tag <= '878') || tag.startsWith('9');
    const dropped = marc.fields.filter((f) => local(f.tag));
    let fields = marc.fields.filter((f) => !local(f.tag));
    if (dropped.length > 0) notes.push({ key: 'copy.note.localDropped', params: { count: dropped.length, tags: [...new Set(dropped.map((f) => f.tag))].join(', ') } });
    const org = fields.find((f) => f.tag === '003');
    if (org && 'value' in org && org.value.trim().toUpperCase() === this.#orgCode.toUpperCase()) {
      fields = fields.filter((f) => f.tag !== '001' && f.tag !== '003');
      notes.push({ key: 'copy.note.sameOrg', params: { code: this.#orgCode } });
    }
    return { leader: marc.leader, fields };
  }
}

class NoTitle extends Error {}

// ------------------------------------------------------------------------------------ targets

function fieldsOf(t: SruTarget): SruTargetFields {
  return { name: t.name, baseUrl: t.baseUrl, sruVersion: t.sruVersion, recordSchema: t.recordSchema, enabled: t.enabled };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

/**
 * Checks a target's fields; throws `VALIDATION` listing every problem. The base URL must be
 * absolute http(s) with a host and no user name, password or fragment.
 */
export function checkTarget(input: Record<string, unknown>): SruTargetFields {
  const problems: FieldProblem[] = [];
  const bad = (field: string, rule: string, params: Record<string, string | number> = {}) => problems.push({ field, code: 'VALIDATION', params: { rule, ...params } });
  const name = str(input.name).normalize('NFC').replace(/\s+/g, ' ').trim();
  if (name === '') bad('name', 'copy.target.nameRequired');
  else if (name.length > MAX_NAME) bad('name', 'copy.target.tooLong', { max: MAX_NAME });
  const rawUrl = str(input.baseUrl).trim();
  let baseUrl = rawUrl;
  if (rawUrl === '') bad('baseUrl', 'copy.target.urlRequired');
  else if (rawUrl.length > MAX_URL) bad('baseUrl', 'copy.target.tooLong', { max: MAX_URL });
  else {
    let url: URL | undefined;
    try {
      url = new URL(rawUrl);
    } catch {
      bad('baseUrl', 'copy.target.urlInvalid');
    }
    if (url) {
      if (url.protocol !== 'http:' && url.protocol !== 'https:') bad('baseUrl', 'copy.target.urlScheme');
      else if (url.username !== '' || url.password !== '') bad('baseUrl', 'copy.target.urlCredentials');
      else if (url.hostname === '') bad('baseUrl', 'copy.target.urlInvalid');
      else if (url.hash !== '') bad('baseUrl', 'copy.target.urlFragment');
      else baseUrl = url.toString();
    }
  }
  const version = str(input.sruVersion).trim();
  if (!isSruVersion(version)) bad('sruVersion', 'copy.target.versionInvalid', { versions: SRU_VERSIONS.join(', ') });
  const recordSchema = str(input.recordSchema).trim() || 'marcxml';
  if (recordSchema.length > MAX_SCHEMA || /\s/.test(recordSchema)) bad('recordSchema', 'copy.target.schemaInvalid');
  if (problems.length > 0) throw new AppError('VALIDATION', {}, problems);
  const enabled = input.enabled === undefined ? true : input.enabled === true || input.enabled === 'on' || input.enabled === '1' || input.enabled === 'true';
  return { name, baseUrl, sruVersion: version as SruTargetFields['sruVersion'], recordSchema, enabled };
}

// ------------------------------------------------------------------------------------ reading records

const MARC_NS = 'http://www.loc.gov/MARC21/slim';
const MARCXCHANGE_NS = new Set(['info:lc/xmlns/marcxchange-v1', 'info:lc/xmlns/marcxchange-v2']);
const DC_NS = 'http://purl.org/dc/elements/1.1/';

/** The root element of a record: its name, local name, namespace and attributes. */
function rootOf(xml: string): { name: string; local: string; ns: string; attrs: Map<string, string> } | undefined {
  const tok = new XmlTokenizer();
  tok.feed(xml);
  tok.end();
  for (let t = tok.next(); t; t = tok.next()) {
    if (t.kind === 'problem' && !t.recoverable) return undefined;
    if (t.kind !== 'start') continue;
    const attrs = new Map(t.attrs.map((a) => [a.name, a.value]));
    const colon = t.name.indexOf(':');
    const prefix = colon < 0 ? '' : t.name.slice(0, colon);
    const ns = attrs.get(prefix === '' ? 'xmlns' : `xmlns:${prefix}`) ?? '';
    return { name: t.name, local: colon < 0 ? t.name : t.name.slice(colon + 1), ns, attrs };
  }
  return undefined;
}

/** The Dublin Core elements of a record (srw_dc, oai_dc or any wrapper), in the DC 1.1 namespace. */
export function dublinCoreOf(xml: string): DublinCore {
  const tok = new XmlTokenizer();
  tok.feed(xml);
  tok.end();
  const scopes: Array<Map<string, string>> = [];
  const collected: Record<string, string[]> = {};
  let current: { element: string; depth: number; text: string } | undefined;
  for (let t = tok.next(); t; t = tok.next()) {
    if (t.kind === 'problem') {
      if (t.recoverable) continue;
      break;
    }
    if (t.kind === 'start') {
      const decls = new Map<string, string>();
      for (const a of t.attrs) {
        if (a.name === 'xmlns') decls.set('', a.value);
        else if (a.name.startsWith('xmlns:')) decls.set(a.name.slice(6), a.value);
      }
      scopes.push(decls);
      const colon = t.name.indexOf(':');
      const prefix = colon < 0 ? '' : t.name.slice(0, colon);
      const local = colon < 0 ? t.name : t.name.slice(colon + 1);
      let ns: string | undefined;
      for (let i = scopes.length - 1; i >= 0 && ns === undefined; i--) ns = scopes[i]!.get(prefix);
      if (!current && ns === DC_NS && (DC_ELEMENTS as readonly string[]).includes(local)) current = { element: local, depth: scopes.length, text: '' };
      if (t.selfClosing) {
        if (current && current.depth === scopes.length) current = undefined;
        scopes.pop();
      }
    } else if (t.kind === 'end') {
      if (current && current.depth === scopes.length) {
        (collected[current.element] ??= []).push(current.text);
        current = undefined;
      }
      scopes.pop();
    } else if (current) {
      current.text += t.text;
    }
  }
  return normaliseDc(collected);
}

/** A MARC record from Dublin Core: the catalogue's DC crosswalk, with ISBNs found among the identifiers. */
function marcFromDc(dc: DublinCore, today: string): MarcRecord {
  const isbns: string[] = [];
  const otherIds: string[] = [];
  for (const id of dc.identifier ?? []) {
    const n = /isbn/i.test(id) || /^[\d\s-]{10,17}[\dXx]?$/.test(id.trim()) ? normaliseIsbn(id.replace(/^urn:isbn:/i, '')) : undefined;
    if (n) isbns.push(n.isbn13);
    else otherIds.push(id);
  }
  // Identifiers that are ISBNs go to 020 (and are matched on), the others to notes.
  return buildMarcFromSimple({ ...dcToSimple({ ...dc, identifier: otherIds }), isbn: isbns }, { today }) as MarcRecord;
}

// ------------------------------------------------------------------------------------ problems

function diagnosticProblem(d: SruReadDiagnostic): RemoteProblem {
  const m = /^info:srw\/diagnostic\/1\/(\d+)$/.exec(d.uri.trim());
  return {
    code: 'diagnostic',
    params: { number: m ? Number(m[1]) : 0, uri: d.uri, details: d.details ?? '', message: d.message ?? '' },
    detail: describeDiagnostic(d),
  };
}

function describeDiagnostic(d: SruReadDiagnostic): string {
  return [d.uri, d.details, d.message].filter((x) => x && x.trim() !== '').join(' — ');
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url.slice(0, 100);
  }
}

function htmlTitle(body: string): string {
  const m = /<title[^>]*>([^<]{1,200})<\/title>/i.exec(body.slice(0, 8192));
  return m ? m[1]!.replace(/\s+/g, ' ').trim() : '';
}

// ------------------------------------------------------------------------------------ the HTTP fetcher

/** Charset of a `Content-Type` header or an XML declaration; UTF-8 when none is named or known. */
function decoderFor(contentType: string | null, head: Uint8Array): TextDecoder {
  const fromHeader = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1];
  const fromDecl = /^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/.exec(new TextDecoder('latin1').decode(head.subarray(0, 200)))?.[1];
  for (const label of [fromHeader, fromDecl]) {
    if (!label) continue;
    try {
      return new TextDecoder(label);
    } catch {
      // an unknown charset: try the next hint, else UTF-8
    }
  }
  return new TextDecoder('utf-8');
}

/**
 * The remote fetcher over HTTP(S) with the platform's `fetch`: redirects followed, the body read
 * in chunks and abandoned at `maxBytes`, the whole exchange bounded by `signal`.
 */
export const httpRemoteFetch: RemoteFetch = async (url, { signal, maxBytes }) => {
  let res: Response;
  try {
    res = await fetch(url, {
      signal,
      redirect: 'follow',
      headers: { accept: 'application/sru+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1', 'user-agent': 'LienThong-copy-cataloguing/1' },
    });
  } catch (e) {
    if (signal.aborted) throw new RemoteFetchError({ kind: 'timeout' });
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    throw new RemoteFetchError({ kind: 'unreachable', detail: cause?.code ?? cause?.message ?? (e as Error).message });
  }
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw new RemoteFetchError({ kind: 'too-large', limit: maxBytes });
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (res.body) {
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > maxBytes) {
          await reader.cancel().catch(() => undefined);
          throw new RemoteFetchError({ kind: 'too-large', limit: maxBytes });
        }
        chunks.push(value);
      }
    } catch (e) {
      if (e instanceof RemoteFetchError) throw e;
      if (signal.aborted) throw new RemoteFetchError({ kind: 'timeout' });
      throw new RemoteFetchError({ kind: 'unreachable', detail: (e as Error).message });
    }
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  const contentType = res.headers.get('content-type');
  return { status: res.status, contentType, body: decoderFor(contentType, bytes).decode(bytes) };
};
