/**
 * Importing MARC files into the union catalogue, as a durable job that resumes where it stopped.
 *
 * Records are read in a stream and handled in batches. Each batch lands in one transaction
 * together with its per-record results and the job's checkpoint (how many input records are
 * done), so after a crash — or a re-run of the same command — the job continues from the last
 * batch that landed and nothing is created twice. A batch that fails as a whole (a constraint
 * the checks did not foresee) is retried one record per transaction, so one bad record never
 * stops a file.
 *
 * Each record is matched against the catalogue — 001+003, ISBN, ISSN, 035, then a normalised
 * title/author/year key — and handled by the job's policy:
 * - `attach`: holdings go to the matching record, which stays as it is (outcome `matched`);
 * - `replace`: the matching record takes the incoming content (outcome `merged`), if the actor
 *   may edit it; otherwise holdings are attached and the result says why it was not replaced;
 * - `keep`: a new record is created beside the match (outcome `created`, with a warning).
 *
 * Imports write their start and end to the audit log; the per-record results are the record of
 * what each input record did, and a record's history shows them.
 *
 * Matching and writing (`planRecords`, `writePlanned`) are functions of their own, shared with
 * copy cataloguing (`interop/copy-catalog.service.ts`), which brings one record at a time.
 */
import type { Incoming, PrepareContext } from './import-prepare.js';
import { AppError } from '../domain/errors.js';
import { allows } from '../domain/access/permissions.js';
import { bestMatch, identifiersOf, lookupsOf, systemNumberValue, type RecordIdentifier } from '../domain/catalog/identity.js';
import type { CheckedItem } from '../domain/catalog/items.js';
import { systemActor, type Actor } from './actor.js';
import type { Clock, IdentifierHit, ImportResult, Job, NewItemRow, NewRecordRow, Repos, Store } from './ports.js';
import { audit } from './audit.js';
import { authorize, runWrite } from './guard.js';
import { parseStoredDerived } from './catalog-record.js';
import { localDate } from './org.service.js';
import type { OrgUnit } from '../domain/org/unit.js';

export const IMPORT_POLICIES = ['attach', 'replace', 'keep'] as const;
export type ImportPolicy = (typeof IMPORT_POLICIES)[number];
export const IMPORT_JOB_KIND = 'catalog.import';

export interface ImportParams {
  path: string;
  fileName: string;
  sha256: string;
  size: number;
  format: string;
  gzipped: boolean;
  unitId: number;
  unitCode: string;
  policy: ImportPolicy;
  strict: boolean;
  /** Keep the uploaded copy after the job (false for files the CLI read in place). */
  ownsFile: boolean;
}

export interface ImportSummary {
  read: number;
  created: number;
  matched: number;
  merged: number;
  rejected: number;
  itemsAdded: number;
  warnings: number;
  [key: string]: number;
}

export const emptySummary = (): ImportSummary => ({ read: 0, created: 0, matched: 0, merged: 0, rejected: 0, itemsAdded: 0, warnings: 0 });

/** What the import needs from the file system (see `adapters/files/`). */
export interface MarcFiles {
  inspect(path: string): Promise<{ size: number; sha256: string; format: string; gzipped: boolean }>;
  /**
   * The file's records, prepared (see `import-prepare.ts`) and numbered from 1 in file order;
   * those up to `skip` are read but not prepared. `close` stops early (a cancelled job).
   */
  prepared(path: string, opts: { strict?: boolean; skip: number }, ctx: PrepareContext): Promise<{ size: number; bytesRead(): number; records: AsyncIterable<Incoming>; close(): Promise<void> }>;
  /** Deletes a file the import owns (an upload), once it is no longer needed. */
  remove?(path: string): Promise<void>;
}

export interface ImportProgress {
  job: Job;
  summary: ImportSummary;
  bytesRead: number;
  size: number;
}

export interface RunOptions {
  owner: string;
  onProgress?: (p: ImportProgress) => void;
  batchSize?: number;
  /** Stop after this many batches (tests simulate a crash with it). */
  stopAfterBatches?: number;
}

const LEASE_MS = 5 * 60_000;


/** Where prepared records go and how matches are handled: a file import's job, or one copied record. */
export interface ImportTarget {
  /** The library new records belong to and copies without a library of their own go to. */
  unitId: number;
  unitCode: string;
  policy: ImportPolicy;
  /** `source` of the records created (`import:<sha>`, `sru:<target>`). */
  source: string;
}

/** What one incoming record will do, decided by {@link planRecords} and carried out by {@link writePlanned}. */
export interface PlannedRecord {
  seq: number;
  result: ImportResult;
  prepared?: Extract<Incoming, { ok: true }>;
  /** New record to insert (its id is set once allocated). */
  create?: NewRecordRow;
  /** Existing record to replace with `prepared`. */
  replaceId?: number;
  identifiers: RecordIdentifier[];
  items: CheckedItem[];
  itemUnits: Array<{ owner: number; location: number }>;
}

export class ImportService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #files: MarcFiles;
  readonly #orgCode: string;
  constructor(deps: { store: Store; clock: Clock; files: MarcFiles; orgCode: string }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#files = deps.files;
    this.#orgCode = deps.orgCode;
  }

  /**
   * Starts an import of a file into a library, or finds the unfinished import of the same file,
   * library and policy and returns it to be resumed. A finished one is refused unless `again`.
   */
  async start(actor: Actor, input: { path: string; fileName: string; unitId: number; policy: string; strict?: boolean; again?: boolean; ownsFile?: boolean }): Promise<{ job: Job; resumed: boolean }> {
    if (!(IMPORT_POLICIES as readonly string[]).includes(input.policy)) throw new AppError('CATALOG_IMPORT_POLICY', { policy: input.policy });
    const policy = input.policy as ImportPolicy;
    await runWrite(this.#store, this.#clock, actor, (tx) => authorize(tx, actor, 'catalog.import', input.unitId));
    const unit = await this.#store.org.getById(input.unitId);
    if (!unit) throw new AppError('ORG_UNIT_NOT_FOUND', { unit: input.unitId });
    const info = await this.#files.inspect(input.path);
    const dedupeKey = `${info.sha256}|${input.unitId}|${policy}`;
    const earlier = await this.#store.jobs.findByDedupeKey(IMPORT_JOB_KIND, dedupeKey);
    const unfinished = earlier.find((j) => j.status === 'queued' || j.status === 'running' || j.status === 'failed');
    if (unfinished && !input.again) {
      if (unfinished.status === 'failed') await this.#store.jobs.requeue(unfinished.id, this.#clock.now().toISOString());
      return { job: (await this.#store.jobs.get(unfinished.id))!, resumed: true };
    }
    const done = earlier.find((j) => j.status === 'done');
    if (done && !input.again) throw new AppError('CATALOG_IMPORT_DONE', { job: done.id, unit: unit.code });
    const params: ImportParams = {
      path: input.path,
      fileName: input.fileName,
      sha256: info.sha256,
      size: info.size,
      format: info.format,
      gzipped: info.gzipped,
      unitId: unit.id,
      unitCode: unit.code,
      policy,
      strict: input.strict ?? false,
      ownsFile: input.ownsFile ?? false,
    };
    const job = await this.#store.transaction(async (tx) => {
      const now = this.#clock.now();
      const j = await tx.jobs.insert(
        { kind: IMPORT_JOB_KIND, unitId: unit.id, createdBy: actor.userId, actorLabel: actor.label, params: params as unknown as Record<string, unknown>, dedupeKey: input.again ? null : dedupeKey, progressTotal: info.size },
        now.toISOString(),
      );
      await audit(tx, actor, now, { action: 'catalog.import.start', unitId: unit.id, targetType: 'job', targetId: j.id, after: { fileName: input.fileName, sha256: info.sha256, size: info.size, format: info.format, gzipped: info.gzipped, policy } });
      return j;
    });
    return { job, resumed: false };
  }

  async job(id: number): Promise<Job> {
    const j = await this.#store.jobs.get(id);
    if (!j || j.kind !== IMPORT_JOB_KIND) throw new AppError('JOB_NOT_FOUND', { job: id });
    return j;
  }

  /** May the actor see this import (it imported into a library the actor may import into or audit)? */
  async authorizeView(actor: Actor, job: Job): Promise<void> {
    if (job.createdBy !== null && job.createdBy === actor.userId) return;
    const place = job.unitId === null ? undefined : await this.#store.org.place(job.unitId);
    if (place && (allows(actor.grants, 'catalog.import', place) || allows(actor.grants, 'audit.view', place))) return;
    throw new AppError('PERMISSION_DENIED', { permission: 'catalog.import', unit: job.unitId ?? 0 });
  }

  results(jobId: number, f: { outcome?: string; afterSeq?: number; limit: number }): Promise<ImportResult[]> {
    return this.#store.jobs.results(jobId, f);
  }

  async list(actor: Actor, limit = 50): Promise<Job[]> {
    const jobs = await this.#store.jobs.list({ kind: IMPORT_JOB_KIND, limit: limit * 4 });
    const out: Job[] = [];
    for (const j of jobs) {
      try {
        await this.authorizeView(actor, j);
        out.push(j);
      } catch {
        // not visible to this actor
      }
      if (out.length >= limit) break;
    }
    return out;
  }

  async cancel(actor: Actor, id: number): Promise<Job> {
    const job = await this.job(id);
    await runWrite(this.#store, this.#clock, actor, async (tx) => {
      await authorize(tx, actor, 'catalog.import', job.unitId ?? 0);
      if (job.status === 'done' || job.status === 'cancelled') throw new AppError('JOB_NOT_CANCELLABLE', { job: id });
      const now = this.#clock.now();
      await tx.jobs.finish(id, null, 'cancelled', {}, now.toISOString());
      await audit(tx, actor, now, { action: 'catalog.import.cancel', unitId: job.unitId, targetType: 'job', targetId: id, after: { checkpoint: job.checkpoint } });
    });
    const params = job.params as unknown as ImportParams;
    if (params.ownsFile && job.status !== 'running') await this.#files.remove?.(params.path);
    return this.job(id);
  }

  /**
   * Runs (or resumes) an import job to its end. Returns the job as it finished; throws
   * `JOB_BUSY` when another process holds it.
   */
  async run(jobId: number, opts: RunOptions): Promise<Job> {
    const now = this.#clock.now();
    const claimed = await this.#store.jobs.claimById(jobId, opts.owner, new Date(now.getTime() + LEASE_MS).toISOString(), now.toISOString());
    if (!claimed) {
      const j = await this.job(jobId);
      if (j.status === 'running') throw new AppError('JOB_BUSY', { job: jobId });
      return j;
    }
    return this.process(claimed, opts);
  }

  /** Processes a job this process has claimed. */
  async process(job: Job, opts: RunOptions): Promise<Job> {
    const params = job.params as unknown as ImportParams;
    const actor: Actor = await this.#jobActor(job);
    const summary: ImportSummary = { ...emptySummary(), ...((job.summary as ImportSummary | null) ?? {}) };
    const batchSize = opts.batchSize ?? 1000;
    let checkpoint = job.checkpoint;
    let batches = 0;
    const units = await this.#unitsByCode();
    let source: Awaited<ReturnType<MarcFiles['prepared']>> | undefined;
    try {
      const ctx: PrepareContext = { unitCode: params.unitCode, knownUnitCodes: [...units.keys()], today: localDate(this.#clock.now()) };
      source = await this.#files.prepared(params.path, { strict: params.strict, skip: checkpoint }, ctx);
      let seen = checkpoint;
      let batch: Incoming[] = [];
      const flush = async (): Promise<boolean> => {
        if (batch.length === 0) return true;
        const last = batch[batch.length - 1]!.seq;
        const landed = await this.#landBatch(job, actor, params, batch, units, summary, last, source!.bytesRead());
        if (landed === 'cancelled') return false;
        checkpoint = last;
        batch = [];
        batches++;
        opts.onProgress?.({ job, summary, bytesRead: source!.bytesRead(), size: source!.size });
        return !(opts.stopAfterBatches !== undefined && batches >= opts.stopAfterBatches);
      };
      for await (const incoming of source.records) {
        seen = incoming.seq;
        batch.push(incoming);
        if (batch.length >= batchSize && !(await flush())) return this.job(job.id);
      }
      if (!(await flush())) return this.job(job.id);
      if (seen === 0) throw new AppError('CATALOG_IMPORT_EMPTY');
      await this.#finish(job, actor, 'done', summary, null, opts.owner);
      // An uploaded copy is not needed once its import is done (the CLI's own files are left alone).
      if (params.ownsFile) await this.#files.remove?.(params.path);
    } catch (e) {
      const message = e instanceof AppError ? e.code : e instanceof Error ? e.message : String(e);
      await this.#finish(job, actor, 'failed', summary, message, opts.owner, e instanceof AppError ? e.params : { after: checkpoint });
      if (!(e instanceof AppError)) throw e;
    } finally {
      await source?.close();
    }
    return this.job(job.id);
  }

  async #finish(job: Job, actor: Actor, status: 'done' | 'failed', summary: ImportSummary, error: string | null, owner: string, params: Record<string, unknown> = {}): Promise<void> {
    await this.#store.transaction(async (tx) => {
      const now = this.#clock.now();
      await tx.jobs.finish(job.id, owner, status, { summary, error: error === null ? null : JSON.stringify({ code: error, params }) }, now.toISOString());
      await audit(tx, actor, now, { action: status === 'done' ? 'catalog.import.finish' : 'catalog.import.fail', unitId: job.unitId, targetType: 'job', targetId: job.id, after: { summary, error } });
    });
  }

  async #jobActor(job: Job): Promise<Actor> {
    if (job.createdBy === null) return systemActor(job.actorLabel);
    return { kind: 'staff', userId: job.createdBy, label: job.actorLabel, grants: await this.#store.staff.effectiveGrants(job.createdBy) };
  }

  async #unitsByCode(): Promise<Map<string, OrgUnit>> {
    return new Map((await this.#store.org.list()).map((u) => [u.code, u]));
  }

  /** Plans and writes one batch; falls back to one record per transaction if the batch fails. */
  async #landBatch(job: Job, actor: Actor, params: ImportParams, batch: Incoming[], units: Map<string, OrgUnit>, summary: ImportSummary, last: number, bytesRead: number): Promise<'ok' | 'cancelled'> {
    const owner = job.leaseOwner!;
    const attempt = async (part: Incoming[], lastSeq: number): Promise<'ok' | 'cancelled'> => {
      const delta = emptySummary();
      const ok = await this.#store.transaction(async (tx) => {
        const now = this.#clock.now();
        const planned = await planRecords(tx, actor, importTarget(params), part, units);
        await this.#write(tx, job.id, planned, now, delta);
        const merged = addSummary(summary, delta);
        return tx.jobs.progress(job.id, owner, { checkpoint: lastSeq, progressDone: bytesRead, summary: merged, leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString() }, now.toISOString());
      });
      if (!ok) return 'cancelled';
      Object.assign(summary, addSummary(summary, delta));
      return 'ok';
    };
    try {
      return await attempt(batch, last);
    } catch (e) {
      if (batch.length === 1) {
        // The record itself cannot be written: reject it and move on.
        const one = batch[0]!;
        const now = this.#clock.now();
        const ok = await this.#store.transaction(async (tx) => {
          await tx.jobs.appendResults([{ jobId: job.id, seq: one.seq, outcome: 'rejected', recordId: null, matchedOn: null, title: one.ok ? one.content.title.slice(0, 300) : null, itemsAdded: 0, problems: [{ code: 'write-failed', severity: 'error', params: { reason: e instanceof Error ? e.message.slice(0, 300) : String(e) } }] }]);
          const s = addSummary(summary, { ...emptySummary(), read: 1, rejected: 1 });
          return tx.jobs.progress(job.id, owner, { checkpoint: one.seq, progressDone: bytesRead, summary: s, leaseUntil: new Date(now.getTime() + LEASE_MS).toISOString() }, now.toISOString());
        });
        if (!ok) return 'cancelled';
        Object.assign(summary, addSummary(summary, { ...emptySummary(), read: 1, rejected: 1 }));
        return 'ok';
      }
      for (const one of batch) {
        if ((await this.#landBatch(job, actor, params, [one], units, summary, one.seq, bytesRead)) === 'cancelled') return 'cancelled';
      }
      return 'ok';
    }
  }

  /** Writes a planned batch and its per-record results, and counts what it did. */
  async #write(tx: Repos, jobId: number, planned: PlannedRecord[], now: Date, delta: ImportSummary): Promise<void> {
    await writePlanned(tx, planned, now, { orgCode: this.#orgCode, itemSource: 'import' });
    await tx.jobs.appendResults(planned.map((p) => ({ ...p.result, jobId })));
    for (const p of planned) {
      delta.read++;
      delta[p.result.outcome]++;
      delta.itemsAdded += p.result.itemsAdded;
      if (p.result.problems.some((x) => x.severity === 'warning')) delta.warnings++;
    }
  }
}

/**
 * Decides what each prepared record does — create, attach to its match, replace its match — by the
 * target's policy, matching against the catalogue and the earlier records of the same batch;
 * places and checks its copies. Reads the catalogue, writes nothing. Used by file imports and by
 * copy cataloguing alike, so a record is matched the same way however it arrives.
 */
export async function planRecords(tx: Repos, actor: Actor, params: ImportTarget, batch: readonly Incoming[], units: ReadonlyMap<string, OrgUnit>): Promise<PlannedRecord[]> {
  const planned: PlannedRecord[] = [];
  for (const inc of batch) {
    const problems = inc.problems.map((p) => ({ ...p }));
    if (!inc.ok) {
      planned.push({ seq: inc.seq, identifiers: [], items: [], itemUnits: [], result: { jobId: 0, seq: inc.seq, outcome: 'rejected', recordId: null, matchedOn: null, title: null, itemsAdded: 0, problems } });
      continue;
    }
    planned.push({ seq: inc.seq, prepared: inc, identifiers: inc.identifiers, items: [], itemUnits: [], result: { jobId: 0, seq: inc.seq, outcome: 'created', recordId: null, matchedOn: null, title: inc.content.title.slice(0, 300), itemsAdded: 0, problems } });
  }

  // Matches among the catalogue, then among earlier records of this batch.
  const lookups = planned.flatMap((p) => lookupsOf(p.identifiers));
  const hits: IdentifierHit[] = lookups.length ? await tx.catalog.findByIdentifiers(lookups) : [];
  // Hits by value, so each record looks only at the hits for its own identifiers.
  const byValue = new Map<string, IdentifierHit[]>();
  const remember = (h: IdentifierHit) => {
    const list = byValue.get(h.value);
    if (list) list.push(h);
    else byValue.set(h.value, [h]);
  };
  for (const h of hits) remember(h);
  const replaceable = new Map<number, boolean>();

  // Items: where each goes (within the actor's reach), and their barcodes checked against the network.
  for (const p of planned) {
    if (!p.prepared) continue;
    for (const item of p.prepared.items) {
      const v = { value: item };
      let ownerUnit = units.get(v.value.ownerUnitCode ?? params.unitCode) ?? units.get(params.unitCode)!;
      if (ownerUnit.id !== params.unitId && !allows(actor.grants, 'catalog.item.manage', ownerUnit) && !allows(actor.grants, 'catalog.import', ownerUnit)) {
        p.result.problems.push({ code: 'item.unit-not-permitted', severity: 'warning', params: { barcode: v.value.barcode, unit: ownerUnit.code } });
        ownerUnit = units.get(params.unitCode)!;
      }
      const locationUnit = units.get(v.value.locationUnitCode ?? ownerUnit.code) ?? ownerUnit;
      p.items.push(v.value);
      p.itemUnits.push({ owner: ownerUnit.id, location: locationUnit.id });
    }
  }
  const taken = await tx.catalog.barcodesTaken(planned.flatMap((p) => p.items.map((i) => i.barcode)));
  const batchBarcodes = new Set<string>();

  for (const p of planned) {
    if (!p.prepared) continue;
    const match = bestMatch(p.identifiers, p.identifiers.flatMap((id) => byValue.get(id.value) ?? []));
    let targetId: number | undefined;
    if (match && params.policy !== 'keep') {
      p.result.matchedOn = match.on;
      p.result.recordId = match.recordId;
      targetId = match.recordId;
      if (params.policy === 'replace' && match.recordId > 0) {
        let can = replaceable.get(match.recordId);
        if (can === undefined) {
          const rec = await tx.catalog.getRecord(match.recordId);
          can = rec ? await canEditRecord(tx, actor, rec.ownerUnitId, match.recordId) : false;
          replaceable.set(match.recordId, can);
        }
        if (can && !planned.some((q) => q !== p && q.replaceId === match.recordId)) {
          p.result.outcome = 'merged';
          p.replaceId = match.recordId;
        } else {
          p.result.outcome = 'matched';
          if (!can) p.result.problems.push({ code: 'not-replaced-permission', severity: 'warning', params: { record: match.recordId } });
        }
      } else {
        p.result.outcome = 'matched';
      }
    } else {
      if (match) p.result.problems.push({ code: 'duplicate-kept', severity: 'warning', params: { record: match.recordId, on: match.on } });
      p.create = { ...p.prepared.content, ownerUnitId: params.unitId, source: params.source, createdBy: actor.userId };
      // A provisional negative id lets later records of the batch match this one.
      targetId = -p.seq;
      for (const id of p.identifiers) remember({ ...id, recordId: -p.seq });
    }
    // Barcodes: already on the same record (a re-run) → skipped quietly; elsewhere → refused.
    const keep: CheckedItem[] = [];
    const keepUnits: PlannedRecord['itemUnits'] = [];
    p.items.forEach((item, i) => {
      const holder = taken.get(item.barcode);
      if (holder !== undefined && holder === targetId) return;
      if (holder !== undefined || batchBarcodes.has(item.barcode)) {
        p.result.problems.push({ code: 'item.barcode-taken', severity: 'warning', params: { barcode: item.barcode, record: holder ?? 0 } });
        return;
      }
      batchBarcodes.add(item.barcode);
      keep.push(item);
      keepUnits.push(p.itemUnits[i]!);
    });
    p.items = keep;
    p.itemUnits = keepUnits;
  }
  return planned;
}

/** A record's identifiers with the catalogue's own number for it first. */
function withOwn(orgCode: string, ids: readonly RecordIdentifier[], id: number): RecordIdentifier[] {
  const own = systemNumberValue(orgCode, String(id));
  return own ? [{ kind: 'ctrl', value: own }, ...ids] : [...ids];
}

/**
 * Carries out a plan: new records (ids allocated up front, so they go in as one multi-row insert),
 * replacements, identifiers, copies. Fills in each result's record id and copies added; the caller
 * records the results (an import job's report, a copy's audit entry).
 */
export async function writePlanned(tx: Repos, planned: readonly PlannedRecord[], now: Date, opts: { orgCode: string; itemSource: string }): Promise<void> {
  const iso = now.toISOString();
  const creates = planned.filter((p) => p.create);
  const ids = await tx.catalog.allocateRecordIds(creates.length);
  const provisional = new Map<number, number>();
  creates.forEach((p, i) => {
    p.create!.id = ids[i]!;
    provisional.set(-p.seq, ids[i]!);
    p.result.recordId = ids[i]!;
  });
  for (const p of planned) if (p.result.recordId !== null && p.result.recordId < 0) p.result.recordId = provisional.get(p.result.recordId) ?? null;
  await tx.catalog.insertRecords(
    creates.map((p) => p.create!),
    iso,
  );
  // The search index builds these records' documents before commit: from what we derived already.
  for (const p of creates) tx.search.hint(p.create!.id!, { derived: p.prepared!.derived, createdAt: iso });
  const identifierRows: IdentifierHit[] = [];
  for (const p of creates) for (const id of withOwn(opts.orgCode, p.identifiers, p.create!.id!)) identifierRows.push({ ...id, recordId: p.create!.id! });
  for (const p of planned) {
    if (p.result.outcome === 'matched' && p.result.recordId !== null) {
      // The matched record becomes findable by the incoming record's numbers too.
      for (const id of p.identifiers) if (id.kind !== 'key') identifierRows.push({ ...id, recordId: p.result.recordId });
    }
  }
  for (const p of planned.filter((x) => x.replaceId !== undefined)) {
    const before = await tx.catalog.getRecord(p.replaceId!);
    await tx.catalog.updateRecord(p.replaceId!, p.prepared!.content, null, iso);
    const old = before ? identifiersOf(parseStoredDerived(before)).filter((i) => i.kind === 'ctrl' || i.kind === 'sysno') : [];
    await tx.catalog.setIdentifiers(p.replaceId!, [...withOwn(opts.orgCode, p.identifiers, p.replaceId!), ...old]);
  }
  await tx.catalog.addIdentifiers(identifierRows);
  const itemRows: NewItemRow[] = [];
  for (const p of planned) {
    if (p.result.recordId === null || p.result.outcome === 'rejected') continue;
    p.items.forEach((item, i) => {
      const units = p.itemUnits[i]!;
      const derivedCall = p.prepared?.callNumber ?? undefined;
      const callNumber = item.callNumber ?? derivedCall?.value ?? null;
      itemRows.push({
        recordId: p.result.recordId!,
        barcode: item.barcode,
        ownerUnitId: units.owner,
        locationUnitId: units.location,
        shelvingLocation: item.shelvingLocation ?? null,
        callNumber,
        callScheme: item.callNumber ? item.callScheme : (derivedCall?.scheme ?? null),
        shelfKey: item.callNumber ? item.shelfKey : (derivedCall?.shelfKey ?? null),
        itemType: item.itemType ?? null,
        status: item.status,
        price: item.price ?? null,
        currency: item.price === null || item.price === undefined ? null : (item.currency ?? 'VND'),
        acquiredOn: item.acquiredOn ?? null,
        copyNumber: item.copyNumber ?? null,
        publicNote: item.publicNote ?? null,
        staffNote: item.staffNote ?? null,
        source: opts.itemSource,
      });
    });
    p.result.itemsAdded = p.items.length;
  }
  await tx.catalog.insertItems(itemRows, iso, { ids: false });
}

function importTarget(params: ImportParams): ImportTarget {
  return { unitId: params.unitId, unitCode: params.unitCode, policy: params.policy, source: `import:${params.sha256.slice(0, 12)}` };
}

function addSummary(a: ImportSummary, b: ImportSummary): ImportSummary {
  const out: ImportSummary = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) + v;
  return out;
}

async function canEditRecord(tx: Repos, actor: Actor, ownerUnitId: number, recordId: number): Promise<boolean> {
  const owner = await tx.org.place(ownerUnitId);
  if (!owner) return false;
  if (allows(actor.grants, 'catalog.record.edit_shared', owner)) return true;
  if (!allows(actor.grants, 'catalog.record.edit', owner)) return false;
  for (const h of await tx.catalog.holderUnitIds(recordId)) {
    const place = await tx.org.place(h);
    if (!place || !allows(actor.grants, 'catalog.record.edit', place)) return false;
  }
  return true;
}
