/**
 * Batch ingest: a folder of scans plus a CSV manifest, one row per object. The header names the
 * columns: `title`, `creator`, `date`, `language`, `files` (file names in page order, separated
 * by `;`), `access`, `license`, `category`, any other Dublin Core element by its name, and
 * optionally `record` (a catalogue record number to link), `state`, `collection` (codes
 * separated by `;`), `embargo`, `ocr`, `watermark`, `download`. Repeated Dublin Core values in
 * one cell are separated by `|`.
 *
 * It runs as a durable job: each row lands whole (object, files, queued processing) or not at
 * all, with a result per row; the checkpoint is the last row landed, so running the same
 * command again after a crash continues from there and creates nothing twice.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, normalize, resolve, sep } from 'node:path';
import { parse } from 'csv-parse';
import { AppError } from '../../domain/errors.js';
import { DC_ELEMENTS, isDcElement, isWorkflowState, type WorkflowState } from '../../domain/digital/object.js';
import { systemActor, type Actor } from '../actor.js';
import { audit } from '../audit.js';
import { authorize, runWrite } from '../guard.js';
import type { Clock, IngestResult, Job, Store } from '../ports.js';
import type { DigitalService, ObjectInput } from './digital.service.js';

export const INGEST_JOB = 'digital.ingest';

const EXTRA_COLUMNS = ['files', 'access', 'license', 'licence', 'category', 'record', 'state', 'collection', 'embargo', 'ocr', 'watermark', 'download'] as const;
const MAX_ROWS = 100_000;

export interface IngestParams {
  folder: string;
  manifest: string;
  unitId: number;
  /** Values for columns a row leaves empty. */
  defaults: { access?: string; licence?: string; category?: string; state?: WorkflowState; ocr?: string };
}

export interface IngestSummary {
  rows: number;
  created: number;
  failed: number;
  skipped: number;
}

export interface IngestRunOptions {
  owner: string;
  onProgress?: (p: { job: Job; summary: IngestSummary; row: number; total: number }) => void;
  /** Stop after this many rows (tests simulate a crash with it). */
  stopAfterRows?: number;
}

const bool = (s: string | undefined) => (s === undefined || s === '' ? undefined : ['1', 'true', 'yes', 'có', 'co', 'x'].includes(s.trim().toLowerCase()));

export class IngestService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #digital: DigitalService;
  constructor(deps: { store: Store; clock: Clock; digital: DigitalService }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#digital = deps.digital;
  }

  /**
   * Checks the folder and the manifest's header, then queues the job (or finds the unfinished
   * one for the same folder and manifest, to resume it).
   */
  async start(actor: Actor, p: IngestParams, opts: { again?: boolean } = {}): Promise<{ job: Job; resumed: boolean; total: number }> {
    const folder = resolve(p.folder);
    const manifest = resolve(p.manifest);
    const st = await stat(folder).catch(() => undefined);
    if (!st?.isDirectory()) throw new AppError('INGEST_FOLDER_NOT_FOUND', { folder: p.folder });
    const rows = await readManifest(manifest);
    await authorize(this.#store, actor, 'digital.object.manage', p.unitId);
    const digest = createHash('sha256').update(await readFile(manifest)).update('\0' + folder).digest('hex');
    const key = `${p.unitId}:${digest}`;
    const earlier = await this.#store.jobs.findByDedupeKey(INGEST_JOB, key);
    const open = earlier.find((j) => j.status === 'queued' || j.status === 'running' || j.status === 'failed');
    // The same folder and manifest ingested to the end already: doing it again would make every object twice.
    const finished = earlier.find((j) => j.status === 'done');
    if (!open && finished && !opts.again) throw new AppError('INGEST_DONE', { job: finished.id });
    if (open) {
      // A job the runner gave up on is queued again, so it continues from its checkpoint.
      if (open.status === 'failed') await this.#store.jobs.requeue(open.id, this.#clock.now().toISOString());
      return { job: (await this.#store.jobs.get(open.id))!, resumed: true, total: rows.length };
    }
    const now = this.#clock.now();
    const job = await runWrite(this.#store, this.#clock, actor, async (tx) => {
      const j = await tx.jobs.insert(
        { kind: INGEST_JOB, unitId: p.unitId, createdBy: actor.userId, actorLabel: actor.label, params: { ...p, folder, manifest } as unknown as Record<string, unknown>, dedupeKey: key, progressTotal: rows.length, maxAttempts: 3 },
        now.toISOString(),
      );
      await audit(tx, actor, now, { action: 'digital.ingest.start', unitId: p.unitId, targetType: 'job', targetId: j.id, after: { folder, manifest, rows: rows.length } });
      return j;
    });
    return { job, resumed: false, total: rows.length };
  }

  async job(id: number): Promise<Job> {
    const j = await this.#store.jobs.get(id);
    if (!j || j.kind !== INGEST_JOB) throw new AppError('JOB_NOT_FOUND', { job: id });
    return j;
  }

  results(jobId: number, f: { outcome?: string; afterSeq?: number; limit: number }): Promise<IngestResult[]> {
    return this.#store.digital.ingestResults(jobId, f);
  }

  /** Claims and runs a job to its end in this process (the CLI); `JOB_BUSY` when another holds it. */
  async run(jobId: number, opts: IngestRunOptions): Promise<Job> {
    const now = this.#clock.now();
    const claimed = await this.#store.jobs.claimById(jobId, opts.owner, new Date(now.getTime() + 10 * 60_000).toISOString(), now.toISOString());
    if (!claimed) {
      const j = await this.job(jobId);
      if (j.status === 'running') throw new AppError('JOB_BUSY', { job: jobId });
      return j;
    }
    return this.process(claimed, opts);
  }

  async process(job: Job, opts: IngestRunOptions): Promise<Job> {
    const p = job.params as unknown as IngestParams;
    const actor = await this.#jobActor(job);
    const summary: IngestSummary = { rows: 0, created: 0, failed: 0, skipped: 0, ...((job.summary as IngestSummary | null) ?? {}) };
    const rows = await readManifest(p.manifest);
    let landed = 0;
    for (let i = job.checkpoint; i < rows.length; i++) {
      const seq = i + 1;
      // The row after the checkpoint may have landed before the last run died (its object, or its result too).
      const before = i === job.checkpoint ? await this.#landedBefore(job.id, rows[i]!, seq) : undefined;
      const result = before?.result ?? (await this.#row(actor, p, rows[i]!, seq, job.id));
      summary.rows = seq;
      summary[result.outcome]++;
      const now = this.#clock.now();
      if (!before?.recorded) await this.#store.digital.appendIngestResults([result]);
      const alive = await this.#store.jobs.progress(job.id, opts.owner, { checkpoint: seq, progressDone: seq, progressTotal: rows.length, summary: { ...summary }, leaseUntil: new Date(now.getTime() + 10 * 60_000).toISOString() }, now.toISOString());
      if (!alive) return this.job(job.id);
      opts.onProgress?.({ job, summary, row: seq, total: rows.length });
      if (opts.stopAfterRows !== undefined && ++landed >= opts.stopAfterRows) return this.job(job.id);
    }
    const now = this.#clock.now();
    await this.#store.transaction(async (tx) => {
      await tx.jobs.finish(job.id, opts.owner, 'done', { summary: { ...summary } }, now.toISOString());
      await audit(tx, actor, now, { action: 'digital.ingest.finish', unitId: job.unitId, targetType: 'job', targetId: job.id, after: { ...summary } });
    });
    return this.job(job.id);
  }

  /** What a previous run landed of row `seq`: its recorded result, or the object it created without recording it. */
  async #landedBefore(jobId: number, row: Record<string, string>, seq: number): Promise<{ result: IngestResult; recorded: boolean } | undefined> {
    const [recorded] = await this.#store.digital.ingestResults(jobId, { afterSeq: seq - 1, limit: 1 });
    if (recorded?.seq === seq) return { result: recorded, recorded: true };
    const [created] = await this.#store.digital.listObjects({ source: `ingest:${jobId}:${seq}`, limit: 1 });
    if (created) return { result: { jobId, seq, label: labelOf(row), outcome: 'created', objectId: created.id, problems: [] }, recorded: false };
    return undefined;
  }

  async #row(actor: Actor, p: IngestParams, row: Record<string, string>, seq: number, jobId: number): Promise<IngestResult> {
    const base = { jobId, seq, label: labelOf(row) };
    if (Object.values(row).every((v) => !v.trim())) return { ...base, outcome: 'skipped', objectId: null, problems: [] };
    try {
      const names = (row.files ?? '').split(';').map((s) => s.trim()).filter(Boolean);
      const files = [];
      for (const name of names) files.push(await this.#storeFile(p.folder, name));
      const input = await this.#input(p, row);
      const o = await this.#digital.createWithFiles(actor, { ...input, source: `ingest:${jobId}:${seq}` }, files);
      return { ...base, outcome: 'created', objectId: o.id, problems: [] };
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      return { ...base, outcome: 'failed', objectId: null, problems: [{ code: e.code, params: e.params }] };
    }
  }

  /** Copies a file the row names into the store; a file that is not there fails the row, not the job. */
  async #storeFile(folder: string, name: string): Promise<{ sha256: string; size: number; name: string }> {
    const path = insideFolder(folder, name);
    try {
      return await this.#digital.storeFile(path, name);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') throw new AppError('DIGITAL_FILE_NOT_FOUND', { file: name });
      throw e;
    }
  }

  async #input(p: IngestParams, row: Record<string, string>): Promise<ObjectInput> {
    const dc: Record<string, string[]> = {};
    for (const el of DC_ELEMENTS) {
      const v = row[el];
      if (v?.trim()) dc[el] = v.split('|').map((s) => s.trim()).filter(Boolean);
    }
    const collectionIds: number[] = [];
    for (const code of (row.collection ?? '').split(';').map((s) => s.trim()).filter(Boolean)) collectionIds.push((await this.#digital.collectionByCode(code)).id);
    const state = row.state?.trim() || p.defaults.state;
    if (state && !isWorkflowState(state)) throw new AppError('DIGITAL_INVALID', { reason: `state=${state}` });
    const record = row.record?.trim();
    if (record && !/^\d+$/.test(record)) throw new AppError('DIGITAL_INVALID', { reason: `record=${record}` });
    return {
      ownerUnitId: p.unitId,
      recordId: record ? Number(record) : null,
      dc,
      category: row.category?.trim() || p.defaults.category,
      access: row.access?.trim() || p.defaults.access,
      licence: row.license?.trim() || row.licence?.trim() || p.defaults.licence,
      embargoUntil: row.embargo?.trim() || null,
      ocrLanguages: row.ocr?.trim() || p.defaults.ocr,
      watermark: bool(row.watermark),
      downloadable: bool(row.download),
      state: state as WorkflowState | undefined,
      collectionIds,
    };
  }

  async #jobActor(job: Job): Promise<Actor> {
    if (job.createdBy === null) return systemActor(job.actorLabel);
    return { kind: 'staff', userId: job.createdBy, label: job.actorLabel, grants: await this.#store.staff.effectiveGrants(job.createdBy) };
  }
}

/** What a row's result is called: its title, or else its files. */
function labelOf(row: Record<string, string>): string | null {
  return (row.title ?? '').trim().slice(0, 200) || (row.files ?? '').slice(0, 200) || null;
}

/** A file named in the manifest, refused when it would lie outside the folder. */
export function insideFolder(folder: string, name: string): string {
  const clean = normalize(name.replace(/\\/g, '/'));
  if (!name || name.includes('\0') || isAbsolute(clean) || clean === '..' || clean.startsWith('..' + sep) || clean.startsWith('../')) {
    throw new AppError('INGEST_MANIFEST_INVALID', { reason: `"${name.slice(0, 100)}" lies outside the folder` });
  }
  return join(folder, clean);
}

/**
 * Reads the manifest: UTF-8 (a BOM is fine), comma or semicolon separated, a header row naming
 * the columns. Unknown columns and a missing `title`/`files` pair are refused up front, with the
 * column named, so nothing is half-ingested because of a typo in the header.
 */
export async function readManifest(path: string): Promise<Record<string, string>[]> {
  const head = await readFile(path).catch(() => {
    throw new AppError('INGEST_MANIFEST_INVALID', { reason: `cannot read ${path}` });
  });
  const firstLine = head.subarray(0, 4096).toString('utf8').split(/\r?\n/)[0] ?? '';
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: Record<string, string>[] = [];
  let header: string[] | undefined;
  const parser = createReadStream(path).pipe(parse({ bom: true, delimiter, relax_column_count: false, skip_empty_lines: true, trim: true, max_record_size: 1_000_000 }));
  try {
    for await (const rec of parser as AsyncIterable<string[]>) {
      if (!header) {
        header = rec.map((h) => h.trim().toLowerCase());
        const unknown = header.filter((h) => !isDcElement(h) && !(EXTRA_COLUMNS as readonly string[]).includes(h));
        if (unknown.length > 0) throw new AppError('INGEST_MANIFEST_INVALID', { reason: `unknown column(s): ${unknown.join(', ')}` });
        const dup = header.find((h, i) => header!.indexOf(h) !== i);
        if (dup) throw new AppError('INGEST_MANIFEST_INVALID', { reason: `column "${dup}" appears twice` });
        if (!header.includes('title') && !header.includes('record')) throw new AppError('INGEST_MANIFEST_INVALID', { reason: 'a "title" (or "record") column is required' });
        continue;
      }
      if (rows.length >= MAX_ROWS) throw new AppError('INGEST_MANIFEST_INVALID', { reason: `more than ${MAX_ROWS} rows` });
      rows.push(Object.fromEntries(header.map((h, i) => [h, (rec[i] ?? '').normalize('NFC')])));
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError('INGEST_MANIFEST_INVALID', { reason: e instanceof Error ? e.message.slice(0, 200) : String(e) });
  }
  if (!header) throw new AppError('INGEST_MANIFEST_INVALID', { reason: 'the file is empty' });
  return rows;
}
