/**
 * OAI-PMH harvesting: the sources staff configure (checked against the library tree with
 * `interop.manage` at the source's library, every write audited) and the harvest itself, run as a
 * durable job (`oai-harvest`), from the command line, or on a schedule.
 *
 * A harvest, as OAI-PMH 2.0 and its implementation guidelines ask of a harvester:
 *
 * 1. `Identify` first: a base URL that does not answer it as an OAI-PMH repository is refused
 *    (`notOai`); its `granularity` decides how `from` is written.
 * 2. `ListRecords` with `from` = the source's `harvestedUntil` (incremental), `set` and
 *    `metadataPrefix`, then every `resumptionToken` until an empty one. After each page the token
 *    and the counts are saved on the run row, so a failed run continues from its token the next
 *    time (a token the repository no longer knows restarts the list from the run's `from`).
 * 3. Every request is tried up to 3 times with a growing wait (a 503's `Retry-After` is obeyed)
 *    when the network, a timeout or the server (5xx, 429) failed; malformed XML and OAI-PMH errors
 *    are not tried again. Each request has an overall time limit and a stall limit (no byte for
 *    so long), both through AbortSignal, and a size limit. `noRecordsMatch` is a success.
 * 4. A page is read whole before any of it is applied; each record is then applied in its own
 *    transaction together with its `harvested_records` row, through `CatalogService` as a system
 *    actor (so rules, identifiers, the audit log and the search index work as for any record):
 *    a new identifier creates a record owned by the source's library, a known one updates its
 *    record, an unchanged datestamp is skipped (re-applying a page after a crash changes
 *    nothing), and a deleted header deletes the record this source created (a tombstone). A
 *    record that cannot be mapped or is refused becomes a `harvest_errors` row; the harvest goes on.
 * 5. On success `harvestedUntil` becomes the `responseDate` of the run's first response, so
 *    whatever changed while the harvest ran is asked for again next time.
 */
import { AppError, type FieldProblem } from '../../domain/errors.js';
import { allows } from '../../domain/access/permissions.js';
import { formatDatestamp, parseDatestamp } from '../../codecs/oai/datestamp.js';
import { readOaiResponse, type OaiItem } from '../../codecs/oai/reader.js';
import { SET_SPEC } from '../../codecs/oai/request.js';
import type { MarcRecord } from '../../codecs/marc/record.js';
import type { OrgUnit } from '../../domain/org/unit.js';
import { systemActor, type Actor } from '../actor.js';
import { audit } from '../audit.js';
import { authorize, recordDenial, runWrite } from '../guard.js';
import { CatalogService, RecordRejected } from '../catalog.service.js';
import { prepareRecord } from '../catalog-record.js';
import { localDate } from '../org.service.js';
import type { Clock, Job, Repos, Store } from '../ports.js';
import { encodeProblem, mapHarvestedRecord, prefixKind, type MapResult, type RecordProblem } from './harvest-map.js';
import { HARVEST_TARGETS, type HarvestCounts, type HarvestErrorRow, type HarvestRun, type HarvestSource, type HarvestSourceFields, type HarvestTarget, type HttpGet } from './harvest.ports.js';

export const HARVEST_JOB = 'oai-harvest';

export interface HarvestLimits {
  /** The most bytes one response may have (after decompression). Default 64 MiB. */
  maxResponseBytes: number;
  /** The longest one request may take, headers to last byte. Default 5 minutes. */
  requestTimeoutMs: number;
  /** The longest a request may go without receiving anything. Default 60 s. */
  stallTimeoutMs: number;
  /** Tries per request when the failure may pass (network, timeout, 5xx, 429). Default 3. */
  tries: number;
  /** The wait before the second try; doubled before each further one. Default 2 s. */
  retryDelayMs: number;
  /** The longest wait between tries, whatever `Retry-After` says. Default 2 minutes. */
  maxRetryDelayMs: number;
}

export const DEFAULT_HARVEST_LIMITS: HarvestLimits = {
  maxResponseBytes: 64 * 1024 * 1024,
  requestTimeoutMs: 5 * 60_000,
  stallTimeoutMs: 60_000,
  tries: 3,
  retryDelayMs: 2_000,
  maxRetryDelayMs: 120_000,
};

export interface HarvestDeps {
  store: Store;
  clock: Clock;
  /** Our MARC organisation code (040 of records made from Dublin Core). */
  orgCode: string;
  http?: HttpGet;
  limits?: Partial<HarvestLimits>;
  /** Called after a job is queued, so an in-process runner starts at once. */
  kick?: () => void;
  /** Sent as `User-Agent`. */
  userAgent?: string;
}

// -------------------------------------------------------------------------------- failures

export type HarvestFailureCode = 'notOai' | 'http' | 'network' | 'timeout' | 'stalled' | 'tooLarge' | 'badXml' | 'oaiError' | 'loop' | 'cancelled' | 'interrupted' | 'internal';

/** Why a harvest stopped: stored on the run row as JSON `{ code, detail }`. */
export class HarvestFailure extends Error {
  readonly code: HarvestFailureCode;
  readonly detail: string;
  /** Whether trying again later may help (the job is then retried). */
  readonly transient: boolean;
  /** The wait the server asked for (`Retry-After`). */
  readonly retryAfterMs: number | undefined;
  constructor(code: HarvestFailureCode, detail: string, opts: { transient?: boolean; retryAfterMs?: number } = {}) {
    super(`${code}: ${detail}`);
    this.name = 'HarvestFailure';
    this.code = code;
    this.detail = detail;
    this.transient = opts.transient ?? false;
    this.retryAfterMs = opts.retryAfterMs;
  }
}

/** A run's stored `message`. */
export function decodeFailure(message: string | null): { code: string; detail: string } | null {
  if (message === null) return null;
  try {
    const v = JSON.parse(message) as { code?: unknown; detail?: unknown };
    if (typeof v.code === 'string') return { code: v.code, detail: typeof v.detail === 'string' ? v.detail : '' };
  } catch {
    // not ours: shown as written
  }
  return { code: 'internal', detail: message };
}

function encodeFailure(f: HarvestFailure): string {
  return JSON.stringify({ code: f.code, detail: f.detail.slice(0, 2000) });
}

// -------------------------------------------------------------------------------- source input

export type SourceProblemCode =
  | 'codeRequired'
  | 'codeInvalid'
  | 'codeTaken'
  | 'nameRequired'
  | 'nameTooLong'
  | 'urlRequired'
  | 'urlInvalid'
  | 'urlScheme'
  | 'urlQuery'
  | 'setInvalid'
  | 'prefixUnknown'
  | 'targetUnknown'
  | 'unitRequired'
  | 'unitOutside'
  | 'intervalInvalid';

export interface SourceProblem {
  field: keyof SourceInput;
  code: SourceProblemCode;
  params?: Record<string, string | number>;
}

/** A source refused as typed: each problem names its field (messages `harvest.problem.<code>`). */
export class HarvestSourceInvalid extends AppError {
  readonly problems: readonly SourceProblem[];
  /** The library outside the actor's grants that was asked for, if any (recorded as a refusal). */
  readonly deniedUnit: number | undefined;
  constructor(problems: readonly SourceProblem[], deniedUnit?: number) {
    super(
      'VALIDATION',
      { count: problems.length },
      problems.map((p): FieldProblem => ({ field: p.field, code: 'VALIDATION' })),
    );
    this.problems = problems;
    this.deniedUnit = deniedUnit;
  }
}

/** What a form or the command line sends; checked by `checkSource`. */
export interface SourceInput {
  code?: unknown;
  name?: unknown;
  baseUrl?: unknown;
  setSpec?: unknown;
  metadataPrefix?: unknown;
  target?: unknown;
  unitId?: unknown;
  intervalHours?: unknown;
  enabled?: unknown;
}

const CODE = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$/;
const MAX_NAME = 200;
const MAX_URL = 1000;

const text = (v: unknown): string => (typeof v === 'string' ? v.normalize('NFC').trim() : typeof v === 'number' ? String(v) : '');

/** Checks a source as typed; every problem at once. */
export function checkSource(input: SourceInput): { value?: HarvestSourceFields; problems: SourceProblem[] } {
  const problems: SourceProblem[] = [];
  const code = text(input.code);
  if (code === '') problems.push({ field: 'code', code: 'codeRequired' });
  else if (!CODE.test(code)) problems.push({ field: 'code', code: 'codeInvalid' });
  const name = text(input.name).replace(/\s+/g, ' ');
  if (name === '') problems.push({ field: 'name', code: 'nameRequired' });
  else if (name.length > MAX_NAME) problems.push({ field: 'name', code: 'nameTooLong', params: { max: MAX_NAME } });

  const rawUrl = text(input.baseUrl);
  let baseUrl = rawUrl;
  if (rawUrl === '') problems.push({ field: 'baseUrl', code: 'urlRequired' });
  else {
    let u: URL | undefined;
    try {
      u = rawUrl.length <= MAX_URL && !/\s/.test(rawUrl) ? new URL(rawUrl) : undefined;
    } catch {
      u = undefined;
    }
    if (!u) problems.push({ field: 'baseUrl', code: 'urlInvalid' });
    else if (u.protocol !== 'http:' && u.protocol !== 'https:') problems.push({ field: 'baseUrl', code: 'urlScheme' });
    else if (u.username || u.password || !u.hostname) problems.push({ field: 'baseUrl', code: 'urlInvalid' });
    // OAI-PMH arguments go in the query string: a base URL carrying one (or a fragment) would be mixed with them.
    else if (u.search || u.hash || rawUrl.includes('?') || rawUrl.includes('#')) problems.push({ field: 'baseUrl', code: 'urlQuery' });
    else baseUrl = u.toString();
  }

  const setSpec = text(input.setSpec);
  if (setSpec !== '' && !SET_SPEC.test(setSpec)) problems.push({ field: 'setSpec', code: 'setInvalid' });
  const metadataPrefix = text(input.metadataPrefix);
  if (!prefixKind(metadataPrefix)) problems.push({ field: 'metadataPrefix', code: 'prefixUnknown', params: { prefix: metadataPrefix } });
  const target = text(input.target) || 'catalog';
  if (!(HARVEST_TARGETS as readonly string[]).includes(target)) problems.push({ field: 'target', code: 'targetUnknown' });

  const unitId = typeof input.unitId === 'number' ? input.unitId : /^\d{1,9}$/.test(text(input.unitId)) ? Number(text(input.unitId)) : NaN;
  if (!Number.isInteger(unitId) || unitId <= 0) problems.push({ field: 'unitId', code: 'unitRequired' });

  const rawInterval = text(input.intervalHours);
  let intervalHours: number | null = null;
  if (rawInterval !== '') {
    intervalHours = /^\d{1,4}$/.test(rawInterval) ? Number(rawInterval) : NaN;
    if (!Number.isInteger(intervalHours) || intervalHours < 1 || intervalHours > 8760) problems.push({ field: 'intervalHours', code: 'intervalInvalid', params: { max: 8760 } });
  }
  const enabled = input.enabled === undefined ? true : input.enabled === true || input.enabled === 'on' || input.enabled === '1' || input.enabled === 'true';
  if (problems.length > 0) return { problems };
  return { value: { code, name, baseUrl, setSpec: setSpec || null, metadataPrefix, target: target as HarvestTarget, unitId, intervalHours, enabled }, problems };
}

// -------------------------------------------------------------------------------- HTTP

const EMPTY_BODY: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => ({ next: async () => ({ done: true, value: undefined }) }) };

/** `HttpGet` over the platform's `fetch` (redirects followed, gzip and deflate undone). */
export const fetchHttp: HttpGet = async (url, init) => {
  const res = await fetch(url, { signal: init.signal, headers: init.headers, redirect: 'follow' });
  const body = (res.body ?? EMPTY_BODY) as unknown as AsyncIterable<Uint8Array>;
  return {
    status: res.status,
    header: (name) => res.headers.get(name),
    body,
    cancel: async () => {
      await res.body?.cancel().catch(() => undefined);
    },
  };
};

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** `Retry-After` in ms: seconds, or an HTTP date. */
function retryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

// -------------------------------------------------------------------------------- results

export interface HarvestOutcome {
  run: HarvestRun;
  /** Whether the run continued an earlier one from its resumption token. */
  resumed: boolean;
  failure?: HarvestFailure;
}

type Applied = 'added' | 'updated' | 'deleted' | 'unchanged' | 'failed';

interface PageRecord {
  identifier: string;
  datestamp: string;
  deleted: boolean;
  mapped?: MapResult;
}

/** The repositories of one transaction as a `Store`, so use cases that open their own transaction write in this one. */
function boundStore(tx: Repos, dialect: Store['dialect']): Store {
  return { ...tx, dialect, transaction: (fn) => fn(tx), ping: async () => undefined };
}

export class HarvestService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #orgCode: string;
  readonly #http: HttpGet;
  readonly #kick: (() => void) | undefined;
  readonly #userAgent: string;
  readonly limits: HarvestLimits;

  constructor(deps: HarvestDeps) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#orgCode = deps.orgCode;
    this.#http = deps.http ?? fetchHttp;
    this.#kick = deps.kick;
    this.#userAgent = deps.userAgent ?? 'LienThong-Harvester/1.0 (OAI-PMH 2.0)';
    this.limits = { ...DEFAULT_HARVEST_LIMITS, ...deps.limits };
  }

  // ------------------------------------------------------------------ reading (staff)

  /** Open units where the actor may configure harvesting, in tree order. */
  async unitsFor(actor: Actor): Promise<OrgUnit[]> {
    const units = await this.#store.org.list({ activeOnly: true });
    return units.filter((u) => allows(actor.grants, 'interop.manage', { id: u.id, path: u.path })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Sources of the libraries the actor reaches with `interop.manage`, by code. */
  async sourcesFor(actor: Actor): Promise<HarvestSource[]> {
    const units = await this.#store.org.list();
    const reach = units.filter((u) => allows(actor.grants, 'interop.manage', { id: u.id, path: u.path })).map((u) => u.id);
    return this.#store.harvest.listSources({ unitIds: reach });
  }

  /** A source the actor may manage (`NOT_FOUND`, or `PERMISSION_DENIED`). */
  async source(actor: Actor, id: number): Promise<HarvestSource> {
    const s = await this.#store.harvest.getSource(id);
    if (!s) throw new AppError('NOT_FOUND', { source: id });
    await this.#guard(actor, s.unitId);
    return s;
  }

  async sourceByCode(code: string): Promise<HarvestSource> {
    const s = await this.#store.harvest.getSourceByCode(code.trim());
    if (!s) throw new AppError('NOT_FOUND', { source: code });
    return s;
  }

  /** The newest run of each source. */
  latestRuns(sourceIds: readonly number[]): Promise<Map<number, HarvestRun>> {
    return this.#store.harvest.latestRuns(sourceIds);
  }

  async runs(actor: Actor, sourceId: number, f: { limit: number; beforeId?: number }): Promise<HarvestRun[]> {
    await this.source(actor, sourceId);
    return this.#store.harvest.runsOf(sourceId, { limit: Math.min(Math.max(f.limit, 1), 200), ...(f.beforeId !== undefined ? { beforeId: f.beforeId } : {}) });
  }

  /** A run of a source the actor may manage, with its source. */
  async run(actor: Actor, runId: number): Promise<{ run: HarvestRun; source: HarvestSource }> {
    const run = await this.#store.harvest.getRun(runId);
    if (!run) throw new AppError('NOT_FOUND', { run: runId });
    return { run, source: await this.source(actor, run.sourceId) };
  }

  async errors(actor: Actor, runId: number, f: { limit: number; afterId?: number }): Promise<{ errors: HarvestErrorRow[]; total: number }> {
    await this.run(actor, runId);
    const [errors, total] = await Promise.all([this.#store.harvest.errorsOf(runId, { limit: Math.min(Math.max(f.limit, 1), 500), ...(f.afterId !== undefined ? { afterId: f.afterId } : {}) }), this.#store.harvest.countErrors(runId)]);
    return { errors, total };
  }

  /** How many remote records of a source live here, and how many were deleted. */
  counts(sourceId: number): Promise<{ live: number; deleted: number }> {
    return this.#store.harvest.countHarvested(sourceId);
  }

  /** An open (queued or running) harvest job of a source, if any. */
  async openJob(sourceId: number): Promise<Job | undefined> {
    const jobs = await this.#store.jobs.findByDedupeKey(HARVEST_JOB, `source:${sourceId}`);
    return jobs.find((j) => j.status === 'queued' || j.status === 'running');
  }

  async #guard(actor: Actor, unitId: number): Promise<void> {
    try {
      await authorize(this.#store, actor, 'interop.manage', unitId);
    } catch (e) {
      if (e instanceof AppError && e.code === 'PERMISSION_DENIED') await recordDenial(this.#store, this.#clock, actor, e);
      throw e;
    }
  }

  // ------------------------------------------------------------------ writing sources

  async create(actor: Actor, input: SourceInput): Promise<HarvestSource> {
    const checked = checkSource(input);
    return this.#write(actor, async (tx) => {
      const value = await this.#checked(tx, actor, input, checked, undefined);
      const now = this.#clock.now();
      const source = await tx.harvest.insertSource({ ...value, nextRunAt: value.intervalHours !== null ? now.toISOString() : null }, now.toISOString());
      await audit(tx, actor, now, { action: 'harvest.source.create', unitId: value.unitId, targetType: 'harvest_source', targetId: source.id, after: sourceAudit(source) });
      return source;
    });
  }

  /**
   * Changes a source if `version` is still current. A new base URL, set or format forgets how far
   * harvesting got (and the token of a failed run): the next harvest takes everything again,
   * skipping records whose datestamp did not change.
   */
  async update(actor: Actor, id: number, input: SourceInput & { version: number }): Promise<HarvestSource> {
    const checked = checkSource(input);
    return this.#write(actor, async (tx) => {
      const before = await tx.harvest.getSource(id);
      if (!before) throw new AppError('NOT_FOUND', { source: id });
      await authorize(tx, actor, 'interop.manage', before.unitId);
      const value = await this.#checked(tx, actor, input, checked, before);
      const now = this.#clock.now();
      const resetProgress = value.baseUrl !== before.baseUrl || value.setSpec !== before.setSpec || value.metadataPrefix !== before.metadataPrefix || value.target !== before.target;
      const nextRunAt = value.intervalHours === null ? null : value.intervalHours === before.intervalHours && before.nextRunAt ? before.nextRunAt : now.toISOString();
      if (!(await tx.harvest.updateSource(id, { ...value, nextRunAt, resetProgress }, input.version, now.toISOString()))) throw new AppError('CONFLICT', { source: id });
      if (resetProgress) {
        const last = await tx.harvest.latestRun(id);
        if (last && last.status !== 'done' && last.resumptionToken) await tx.harvest.updateRun(last.id, { resumptionToken: null });
      }
      const after = (await tx.harvest.getSource(id))!;
      await audit(tx, actor, now, { action: 'harvest.source.update', unitId: after.unitId, targetType: 'harvest_source', targetId: id, before: sourceAudit(before), after: sourceAudit(after) });
      return after;
    });
  }

  /** Removes a source with its runs; the records it harvested stay in the catalogue. */
  async delete(actor: Actor, id: number, version?: number): Promise<void> {
    await runWrite(this.#store, this.#clock, actor, async (tx) => {
      const before = await tx.harvest.getSource(id);
      if (!before) throw new AppError('NOT_FOUND', { source: id });
      await authorize(tx, actor, 'interop.manage', before.unitId);
      if (version !== undefined && version !== before.version) throw new AppError('CONFLICT', { source: id });
      await tx.harvest.deleteSource(id);
      await audit(tx, actor, this.#clock.now(), { action: 'harvest.source.delete', unitId: before.unitId, targetType: 'harvest_source', targetId: id, before: sourceAudit(before) });
    });
  }

  /**
   * A write of a source. A library outside one's grants is not in the form's list: asking for it
   * is recorded as a refusal (after the write's transaction has rolled back).
   */
  async #write<T>(actor: Actor, fn: (tx: Repos) => Promise<T>): Promise<T> {
    try {
      return await runWrite(this.#store, this.#clock, actor, fn);
    } catch (e) {
      if (e instanceof HarvestSourceInvalid && e.deniedUnit !== undefined) {
        await recordDenial(this.#store, this.#clock, actor, new AppError('PERMISSION_DENIED', { permission: 'interop.manage', unit: e.deniedUnit }));
      }
      throw e;
    }
  }

  /** The checked fields, with the problems only the database knows (code taken, library out of reach). */
  async #checked(tx: Repos, actor: Actor, input: SourceInput, checked: ReturnType<typeof checkSource>, before: HarvestSource | undefined): Promise<HarvestSourceFields> {
    const problems = [...checked.problems];
    const code = text(input.code);
    if (CODE.test(code)) {
      const taken = await tx.harvest.getSourceByCode(code);
      if (taken && taken.id !== before?.id) problems.push({ field: 'code', code: 'codeTaken', params: { code } });
    }
    const unitId = checked.value?.unitId ?? (/^\d{1,9}$/.test(text(input.unitId)) ? Number(text(input.unitId)) : undefined);
    if (unitId !== undefined && unitId > 0) {
      const place = await tx.org.place(unitId);
      const unit = place ? await tx.org.getById(unitId) : undefined;
      if (!place || !unit || unit.status !== 'active') {
        if (!problems.some((p) => p.field === 'unitId')) problems.push({ field: 'unitId', code: 'unitRequired' });
      } else if (!allows(actor.grants, 'interop.manage', place)) {
        problems.push({ field: 'unitId', code: 'unitOutside', params: { unit: unit.code } });
      }
    }
    if (problems.length > 0 || !checked.value) throw new HarvestSourceInvalid(problems, problems.some((p) => p.code === 'unitOutside') ? unitId : undefined);
    return checked.value;
  }

  // ------------------------------------------------------------------ scheduling

  /** Enabled sources with a schedule whose next harvest is due. */
  dueSources(now: Date = this.#clock.now()): Promise<HarvestSource[]> {
    return this.#store.harvest.dueSources(now.toISOString(), 500);
  }

  /**
   * The due sources, each with its next run moved on by its interval, for a caller that harvests
   * them itself (the command line), so the scheduler does not queue them meanwhile.
   */
  async takeDue(): Promise<HarvestSource[]> {
    const now = this.#clock.now();
    const due = await this.dueSources(now);
    for (const s of due) await this.#store.harvest.setNextRun(s.id, nextRun(now, s.intervalHours));
    return due;
  }

  /** Queues a harvest job for every due source (none twice), and moves each one's next run on. */
  async scheduleDue(): Promise<Job[]> {
    const now = this.#clock.now();
    const out: Job[] = [];
    for (const s of await this.dueSources(now)) {
      const job = (await this.openJob(s.id)) ?? (await this.#enqueue(systemActor('scheduler'), s, now));
      await this.#store.harvest.setNextRun(s.id, nextRun(now, s.intervalHours));
      out.push(job);
    }
    if (out.length > 0) this.#kick?.();
    return out;
  }

  /** Queues a harvest of one source now (or gives the one already waiting or running). */
  async harvestNow(actor: Actor, id: number): Promise<{ job: Job; queued: boolean }> {
    const source = await this.source(actor, id);
    const open = await this.openJob(source.id);
    if (open) return { job: open, queued: false };
    const job = await this.#enqueue(actor, source, this.#clock.now());
    this.#kick?.();
    return { job, queued: true };
  }

  async #enqueue(actor: Actor, source: HarvestSource, now: Date): Promise<Job> {
    return runWrite(this.#store, this.#clock, actor, async (tx) => {
      const job = await tx.jobs.insert(
        { kind: HARVEST_JOB, unitId: source.unitId, createdBy: actor.userId, actorLabel: actor.label, params: { sourceId: source.id, code: source.code }, dedupeKey: `source:${source.id}`, progressTotal: null, maxAttempts: 3 },
        now.toISOString(),
      );
      await audit(tx, actor, now, { action: 'harvest.run.queue', unitId: source.unitId, targetType: 'harvest_source', targetId: source.id, after: { job: job.id } });
      return job;
    });
  }

  // ------------------------------------------------------------------ the job

  /**
   * Runs a queued `oai-harvest` job: the harvest, with progress reported (which keeps the lease)
   * after each page. A failure that may pass is thrown, so the runner tries the job again later
   * (the run then continues from its token); any other failure ends the job as failed.
   */
  async process(job: Job, owner: string, signal?: AbortSignal): Promise<HarvestOutcome | undefined> {
    const sourceId = Number(job.params.sourceId);
    const source = Number.isInteger(sourceId) ? await this.#store.harvest.getSource(sourceId) : undefined;
    if (!source) {
      await this.#store.jobs.finish(job.id, owner, 'failed', { error: `the harvest source ${String(job.params.sourceId)} no longer exists` }, this.#clock.now().toISOString());
      return undefined;
    }
    const stop = new AbortController();
    const onAbort = () => stop.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    let last: HarvestRun | undefined;
    const report = async (run: HarvestRun | undefined) => {
      const now = this.#clock.now();
      const p = run ? { checkpoint: run.pages, progressDone: run.added + run.updated + run.deleted + run.failed, summary: runSummary(run) } : { checkpoint: job.checkpoint, progressDone: job.progressDone, summary: job.summary ?? {} };
      const alive = await this.#store.jobs.progress(job.id, owner, { ...p, leaseUntil: new Date(now.getTime() + 10 * 60_000).toISOString() }, now.toISOString());
      // Cancelled from the jobs page: stop (the run keeps the token of its last page).
      if (!alive) stop.abort();
    };
    // Requests may wait minutes between pages (time limits, retries): the lease is kept meanwhile.
    const heartbeat = setInterval(() => void report(last).catch(() => undefined), 60_000);
    heartbeat.unref();
    try {
      const outcome = await this.harvest(source.id, {
        signal: stop.signal,
        jobId: job.id,
        onPage: async (run) => {
          last = run;
          await report(run);
        },
      });
      const now = this.#clock.now().toISOString();
      const latest = await this.#store.jobs.get(job.id);
      if (latest?.status !== 'running' || latest.leaseOwner !== owner) return outcome;
      if (!outcome.failure) {
        await this.#store.jobs.finish(job.id, owner, 'done', { summary: runSummary(outcome.run) }, now);
      } else if (outcome.failure.transient && outcome.failure.code !== 'cancelled') {
        throw new Error(outcome.failure.message);
      } else {
        await this.#store.jobs.finish(job.id, owner, 'failed', { summary: runSummary(outcome.run), error: outcome.failure.message }, now);
      }
      return outcome;
    } finally {
      clearInterval(heartbeat);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  // ------------------------------------------------------------------ harvesting

  /**
   * Harvests one source now, in this process. Never throws for what the remote repository does
   * (the outcome carries the failure, also saved on the run row); throws `NOT_FOUND` for an
   * unknown source and `JOB_BUSY` when a job elsewhere is harvesting it at this moment.
   */
  async harvest(sourceId: number, opts: { signal?: AbortSignal; jobId?: number | null; onPage?: (run: HarvestRun) => Promise<void> | void } = {}): Promise<HarvestOutcome> {
    const source = await this.#store.harvest.getSource(sourceId);
    if (!source) throw new AppError('NOT_FOUND', { source: sourceId });
    const signal = opts.signal;
    const jobId = opts.jobId ?? null;
    const startedAt = this.#clock.now();

    // Continue a run that stopped with a token; a run left 'running' by a process that died is over.
    let run: HarvestRun;
    let resumed = false;
    const last = await this.#store.harvest.latestRun(source.id);
    if (last && last.status === 'running' && last.jobId !== null && last.jobId !== jobId) {
      const other = await this.#store.jobs.get(last.jobId);
      if (other && other.status === 'running' && other.leaseUntil !== null && other.leaseUntil > startedAt.toISOString()) throw new AppError('JOB_BUSY', { job: other.id });
    }
    if (last && last.status !== 'done' && last.resumptionToken) {
      resumed = true;
      await this.#store.harvest.updateRun(last.id, { status: 'running', jobId, message: null, finishedAt: null });
      run = (await this.#store.harvest.getRun(last.id))!;
    } else {
      if (last && last.status === 'running') {
        await this.#store.harvest.updateRun(last.id, { status: 'failed', message: encodeFailure(new HarvestFailure('interrupted', 'the process running this harvest stopped before the first page was saved')), finishedAt: startedAt.toISOString() });
      }
      run = await this.#store.harvest.insertRun({ sourceId: source.id, jobId, fromStamp: null }, startedAt.toISOString());
    }
    const counts: HarvestCounts = { pages: run.pages, added: run.added, updated: run.updated, deleted: run.deleted, failed: run.failed };
    const actor = systemActor(`harvest:${source.code}`);
    const catalog = (tx: Repos) => new CatalogService({ store: boundStore(tx, this.#store.dialect), clock: this.#clock, orgCode: this.#orgCode });

    try {
      const identify = await this.#identify(source, signal);
      const granularity = identify.granularity === 'YYYY-MM-DDThh:mm:ssZ' ? 'seconds' : 'day';
      let responseDate = run.responseDate;
      if (!resumed) {
        const from = source.harvestedUntil ? fromArgument(source.harvestedUntil, granularity) : null;
        await this.#store.harvest.updateRun(run.id, { fromStamp: from });
        run = { ...run, fromStamp: from };
      }
      let token: string | null = resumed ? run.resumptionToken : null;
      let restarted = false;
      for (;;) {
        if (signal?.aborted) throw new HarvestFailure('cancelled', 'the harvest was stopped', { transient: true });
        const args: Record<string, string> = token !== null ? { verb: 'ListRecords', resumptionToken: token } : { verb: 'ListRecords', metadataPrefix: source.metadataPrefix, ...(source.setSpec ? { set: source.setSpec } : {}), ...(run.fromStamp ? { from: run.fromStamp } : {}) };
        const items = await this.#request(source.baseUrl, args, signal, 'badXml');
        const response = items.find((i): i is Extract<OaiItem, { kind: 'response' }> => i.kind === 'response');
        if (responseDate === null) {
          responseDate = response?.responseDate || identify.responseDate || formatDatestamp(startedAt);
          await this.#store.harvest.updateRun(run.id, { responseDate });
        }
        const errors = items.filter((i): i is Extract<OaiItem, { kind: 'error' }> => i.kind === 'error');
        if (errors.some((e) => e.code === 'noRecordsMatch')) break;
        if (token !== null && !restarted && errors.some((e) => e.code === 'badResumptionToken')) {
          // The token expired (or the repository restarted): the list is asked for again from the run's `from`.
          restarted = true;
          token = null;
          continue;
        }
        if (errors.length > 0) throw new HarvestFailure('oaiError', errors.map((e) => `${e.code}: ${e.message}`).join('; '));

        // The whole page is read and mapped before anything of it is applied.
        const today = localDate(this.#clock.now());
        const page: PageRecord[] = [];
        for (const item of items) {
          if (item.kind !== 'record') continue;
          const h = item.header;
          page.push({ identifier: h.identifier, datestamp: h.datestamp, deleted: h.deleted, ...(h.deleted ? {} : { mapped: mapHarvestedRecord(item.metadataXml, { target: source.target, today, orgCode: this.#orgCode }) }) });
        }
        for (const rec of page) {
          if (signal?.aborted) throw new HarvestFailure('cancelled', 'the harvest was stopped', { transient: true });
          const outcome = await this.#apply(source, run.id, rec, actor, catalog);
          if (outcome !== 'unchanged') counts[outcome]++;
        }
        const next = items.find((i): i is Extract<OaiItem, { kind: 'resumptionToken' }> => i.kind === 'resumptionToken')?.token || null;
        if (next !== null && next === token) throw new HarvestFailure('loop', `the repository answered the token '${token}' with the same token`);
        counts.pages++;
        await this.#store.harvest.updateRun(run.id, { ...counts, resumptionToken: next });
        run = { ...run, ...counts, resumptionToken: next, responseDate };
        await opts.onPage?.(run);
        if (next === null) break;
        token = next;
      }

      const done = this.#clock.now();
      await this.#store.transaction(async (tx) => {
        await tx.harvest.updateRun(run.id, { ...counts, status: 'done', resumptionToken: null, message: null, finishedAt: done.toISOString() });
        await tx.harvest.finishSource(source.id, { lastStatus: 'done', harvestedUntil: responseDate ?? formatDatestamp(startedAt), nextRunAt: nextRun(done, source.intervalHours) }, done.toISOString());
        await audit(tx, actor, done, { action: 'harvest.run.finish', unitId: source.unitId, targetType: 'harvest_run', targetId: run.id, after: { source: source.code, ...counts, resumed } });
      });
      return { run: (await this.#store.harvest.getRun(run.id))!, resumed };
    } catch (e) {
      const failure = e instanceof HarvestFailure ? e : new HarvestFailure('internal', e instanceof Error ? e.message : String(e), { transient: !(e instanceof AppError) });
      const done = this.#clock.now();
      await this.#store.transaction(async (tx) => {
        // The token stays as the last page saved left it: the next harvest continues from there.
        await tx.harvest.updateRun(run.id, { ...counts, status: 'failed', message: encodeFailure(failure), finishedAt: done.toISOString() });
        await tx.harvest.finishSource(source.id, { lastStatus: 'failed', nextRunAt: nextRun(done, source.intervalHours) }, done.toISOString());
        await audit(tx, actor, done, { action: 'harvest.run.fail', unitId: source.unitId, targetType: 'harvest_run', targetId: run.id, after: { source: source.code, code: failure.code, detail: failure.detail.slice(0, 500), ...counts } });
      });
      return { run: (await this.#store.harvest.getRun(run.id))!, resumed, failure };
    }
  }

  /** `Identify`: the repository's granularity, or `notOai` when the address does not answer it. */
  async #identify(source: HarvestSource, signal: AbortSignal | undefined): Promise<{ granularity: string; responseDate: string }> {
    let items: OaiItem[];
    try {
      items = await this.#request(source.baseUrl, { verb: 'Identify' }, signal, 'notOai');
    } catch (e) {
      if (e instanceof HarvestFailure && e.code === 'http' && !e.transient) throw new HarvestFailure('notOai', e.detail);
      throw e;
    }
    const identify = items.find((i): i is Extract<OaiItem, { kind: 'identify' }> => i.kind === 'identify');
    const response = items.find((i): i is Extract<OaiItem, { kind: 'response' }> => i.kind === 'response');
    if (!identify) {
      const errors = items.filter((i): i is Extract<OaiItem, { kind: 'error' }> => i.kind === 'error');
      throw new HarvestFailure('notOai', errors.length > 0 ? errors.map((x) => `${x.code}: ${x.message}`).join('; ') : 'the answer to Identify holds no <Identify> element');
    }
    return { granularity: identify.granularity, responseDate: response?.responseDate ?? '' };
  }

  /** One OAI-PMH request with retries, read whole and parsed; a malformed answer is `badXml` (or `notOai`). */
  async #request(baseUrl: string, args: Record<string, string>, signal: AbortSignal | undefined, malformed: 'badXml' | 'notOai'): Promise<OaiItem[]> {
    const url = new URL(baseUrl);
    url.search = new URLSearchParams(args).toString();
    const bytes = await this.#fetchWithRetries(url.toString(), signal);
    const read = readOaiResponse(bytes);
    if (read.problem) throw new HarvestFailure(malformed, `line ${read.problem.line}, column ${read.problem.column}: ${read.problem.message}`);
    return read.items;
  }

  async #fetchWithRetries(url: string, signal: AbortSignal | undefined): Promise<Uint8Array> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#fetch(url, signal);
      } catch (e) {
        if (!(e instanceof HarvestFailure) || !e.transient || e.code === 'cancelled' || attempt >= this.limits.tries || signal?.aborted) throw e;
        const wait = Math.min(this.limits.maxRetryDelayMs, e.retryAfterMs ?? this.limits.retryDelayMs * 2 ** (attempt - 1));
        await sleep(wait, signal);
      }
    }
  }

  /** One GET, whole, under the time, stall and size limits. */
  async #fetch(url: string, signal: AbortSignal | undefined): Promise<Uint8Array> {
    if (signal?.aborted) throw new HarvestFailure('cancelled', 'the harvest was stopped', { transient: true });
    const ctl = new AbortController();
    let why: 'timeout' | 'stalled' | undefined;
    const onAbort = () => ctl.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const total = setTimeout(() => {
      why ??= 'timeout';
      ctl.abort();
    }, this.limits.requestTimeoutMs);
    let stall: NodeJS.Timeout | undefined;
    const bump = () => {
      clearTimeout(stall);
      stall = setTimeout(() => {
        why ??= 'stalled';
        ctl.abort();
      }, this.limits.stallTimeoutMs);
    };
    bump();
    const max = this.limits.maxResponseBytes;
    try {
      const res = await this.#http(url, { signal: ctl.signal, headers: { 'user-agent': this.#userAgent, accept: 'text/xml, application/xml;q=0.9, */*;q=0.1', 'accept-encoding': 'gzip, deflate' } });
      bump();
      const declared = Number(res.header('content-length') ?? NaN);
      if (Number.isFinite(declared) && declared > max) {
        await res.cancel();
        throw new HarvestFailure('tooLarge', `${url} answered with ${declared} bytes; at most ${max} are read`);
      }
      if (res.status === 429 || res.status === 408 || res.status >= 500) {
        await res.cancel();
        throw new HarvestFailure('http', `HTTP ${res.status} from ${url}`, { transient: true, retryAfterMs: retryAfter(res.header('retry-after'), this.#clock.now().getTime()) });
      }
      const chunks: Uint8Array[] = [];
      let size = 0;
      for await (const chunk of res.body) {
        bump();
        size += chunk.byteLength;
        if (size > max) {
          ctl.abort();
          throw new HarvestFailure('tooLarge', `${url} answered with more than ${max} bytes`);
        }
        chunks.push(chunk);
      }
      const bytes = concat(chunks, size);
      if (res.status !== 200) {
        // Some repositories send their OAI-PMH errors with an HTTP error status: those are read as OAI-PMH.
        const read = res.status >= 400 && res.status < 500 ? readOaiResponse(bytes) : undefined;
        if (read && !read.problem && read.items.some((i) => i.kind === 'error')) return bytes;
        throw new HarvestFailure('http', `HTTP ${res.status} from ${url}`);
      }
      return bytes;
    } catch (e) {
      if (e instanceof HarvestFailure) throw e;
      if (why === 'timeout') throw new HarvestFailure('timeout', `${url} did not answer within ${Math.round(this.limits.requestTimeoutMs / 1000)} s`, { transient: true });
      if (why === 'stalled') throw new HarvestFailure('stalled', `${url} sent nothing for ${Math.round(this.limits.stallTimeoutMs / 1000)} s`, { transient: true });
      if (signal?.aborted) throw new HarvestFailure('cancelled', 'the harvest was stopped', { transient: true });
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new HarvestFailure('network', `${url}: ${cause?.code ?? cause?.message ?? (e instanceof Error ? e.message : String(e))}`, { transient: true });
    } finally {
      clearTimeout(total);
      clearTimeout(stall);
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Applies one record in its own transaction with its `harvested_records` row. A refusal (the
   * MARC 21 rules, a record with copies that cannot be deleted) is written as an error row in a
   * transaction of its own, since the record's has rolled back.
   */
  async #apply(source: HarvestSource, runId: number, rec: PageRecord, actor: Actor, catalog: (tx: Repos) => CatalogService): Promise<Applied> {
    const fail = async (problem: RecordProblem): Promise<Applied> => {
      await this.#store.harvest.addError({ runId, identifier: rec.identifier || null, message: encodeProblem(problem) }, this.#clock.now().toISOString());
      return 'failed';
    };
    if (rec.identifier === '') return fail({ code: 'unreadable', detail: 'the record header has no identifier' });
    if (!rec.deleted && rec.mapped && !rec.mapped.ok) return fail(rec.mapped.problem);
    try {
      return await this.#store.transaction(async (tx) => {
        const known = await tx.harvest.getHarvested(source.id, rec.identifier);
        const now = this.#clock.now().toISOString();
        const put = (recordId: number | null, deleted: boolean) => tx.harvest.putHarvested({ sourceId: source.id, identifier: rec.identifier, recordId, objectId: null, datestamp: rec.datestamp, deleted }, now);
        const local = known?.recordId ? await tx.catalog.getRecord(known.recordId) : undefined;
        if (rec.deleted) {
          if (!known || known.deleted) return 'unchanged';
          if (local && local.status === 'active') await catalog(tx).delete(actor, local.id);
          await put(known.recordId, true);
          return local && local.status === 'active' ? 'deleted' : 'unchanged';
        }
        if (known && known.datestamp === rec.datestamp && !known.deleted) return 'unchanged';
        const marc: MarcRecord = (rec.mapped as Extract<MapResult, { ok: true }>).marc;
        if (local && local.status === 'active') {
          // The same record under a new datestamp (a change elsewhere in the repository's item): nothing to write but the datestamp.
          if (prepareRecord(marc).content.marc === local.marc) {
            await put(local.id, false);
            return 'unchanged';
          }
          await catalog(tx).update(actor, local.id, { marc, version: local.version });
          await put(local.id, false);
          return 'updated';
        }
        const { record } = await catalog(tx).create(actor, { marc, unitId: source.unitId, allowDuplicate: true, source: `harvest:${source.id}` });
        await put(record.id, false);
        return 'added';
      });
    } catch (e) {
      if (e instanceof RecordRejected) {
        return fail({ code: 'invalid', rules: e.problems.filter((p) => p.severity === 'error').map((p) => ({ code: p.code, ...(p.tag !== undefined ? { tag: p.tag } : {}), params: p.params })) });
      }
      if (e instanceof AppError && e.code === 'CATALOG_RECORD_HAS_ITEMS') return fail({ code: 'hasItems', detail: String(e.params.count ?? '') });
      if (e instanceof AppError) return fail({ code: 'other', detail: e.message });
      throw e;
    }
  }
}

// -------------------------------------------------------------------------------- helpers

function concat(chunks: readonly Uint8Array[], size: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

/** `from` at the repository's granularity; a stored stamp that is no datestamp at all means "from the start". */
export function fromArgument(stamp: string, granularity: 'day' | 'seconds'): string | null {
  const parsed = parseDatestamp(stamp);
  const ms = 'error' in parsed ? Date.parse(stamp) : parsed.ms;
  if (Number.isNaN(ms)) return null;
  const full = formatDatestamp(ms);
  return granularity === 'day' ? full.slice(0, 10) : full;
}

function nextRun(from: Date, intervalHours: number | null): string | null {
  return intervalHours === null ? null : new Date(from.getTime() + intervalHours * 3_600_000).toISOString();
}

function runSummary(run: HarvestRun): Record<string, unknown> {
  return { run: run.id, sourceId: run.sourceId, pages: run.pages, added: run.added, updated: run.updated, deleted: run.deleted, failed: run.failed };
}

function sourceAudit(s: HarvestSource): Record<string, unknown> {
  return { code: s.code, name: s.name, baseUrl: s.baseUrl, setSpec: s.setSpec, metadataPrefix: s.metadataPrefix, target: s.target, unitId: s.unitId, intervalHours: s.intervalHours, enabled: s.enabled };
}
