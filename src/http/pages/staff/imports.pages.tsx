/**
 * The union catalogue in and out, for staff: MARC imports (upload, a progress view, the report of
 * what each record did) and exports (a form whose answer is the file, streamed).
 *
 * An upload is read as a stream straight to disk under a random name, never held in memory, and
 * stops at `maxUploadBytes`. Multipart bodies are not parsed before the handler, so the global
 * CSRF check (`plugins/context.ts`, a preHandler that reads `_csrf` from the body) would see no
 * token: the upload form carries it in its action's query string and a preValidation hook here
 * hands it to that same check. A request without a valid token is refused before a byte of the
 * file is read.
 *
 * The import itself runs in the server's job runner; the job page refreshes itself while it runs
 * (`<meta refresh>` without JavaScript, `import-progress.js` polling `progress.json` with it).
 * Every permission is checked by the services; these pages only hide what the user cannot do.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { stringify } from 'csv-stringify/sync';
import { AppError } from '../../../domain/errors.js';
import { allows, allowsAnywhere, type Permission } from '../../../domain/access/permissions.js';
import { UNIT_TYPES } from '../../../domain/org/unit-types.js';
import type { OrgUnit } from '../../../domain/org/unit.js';
import { IMPORT_POLICIES, type ImportParams, type ImportSummary } from '../../../app/import.service.js';
import { EXPORT_CONTENT_TYPES, EXPORT_EXTENSIONS, EXPORT_FORMATS, isExportFormat, type ExportFormat, type ExportSelection } from '../../../app/export.service.js';
import type { ImportResult, Job, JobStatus } from '../../../app/ports.js';
import { compareVi } from '../../../text/fold.js';
import { hasMessage, type Locale, type MessageKey, type Translate } from '../../../i18n/i18n.js';
import type { Services } from '../../../main/container.js';
import { assetUrl } from '../../assets/assets.js';
import { Csrf, Layout, errorText, flashFromQuery, formatTime, pageCtx, sendPage, unitName, type Flash, type PageCtx } from '../render.js';
import { FormError, OutcomeFilter, asFormError, requireUser, type Values } from './forms.js';

export interface ImportPagesOptions {
  services: Services;
  /** Where uploaded files are written; the import reads them from here. Tests use a temporary directory. */
  uploadDir?: string;
  /** Largest file accepted by the upload form. Default 2 GiB. */
  maxUploadBytes?: number;
}

export const DEFAULT_MAX_UPLOAD_BYTES = 2 * 1024 ** 3;
/** Rows of the per-record report on one page. */
const REPORT_PAGE = 100;
const OUTCOMES = ['created', 'matched', 'merged', 'rejected'] as const;
const COUNTS = ['read', 'created', 'matched', 'merged', 'rejected', 'itemsAdded', 'warnings'] as const;
const UNFINISHED: readonly JobStatus[] = ['queued', 'running'];
const HOLDINGS = ['952', '852', 'none'] as const;
const BASE = '/staff/catalogue';

// ---------------------------------------------------------------- presenting jobs and results

/** `1,5 MB`: sizes for people (powers of 1024, named the way file managers name them). */
export function formatBytes(locale: Locale, n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: i === 0 ? 0 : 1 }).format(v)} ${units[i]}`;
}

function summaryOf(job: Job): ImportSummary {
  const s = (job.summary ?? {}) as Partial<ImportSummary>;
  const out = { read: 0, created: 0, matched: 0, merged: 0, rejected: 0, itemsAdded: 0, warnings: 0 } as ImportSummary;
  for (const k of COUNTS) out[k] = typeof s[k] === 'number' ? s[k] : 0;
  return out;
}

function paramsOf(job: Job): Partial<ImportParams> {
  return job.params as Partial<ImportParams>;
}

/** Percent of the file done, when the job reports bytes; null while it is unknown (indeterminate bar). */
export function percentOf(job: Job): number | null {
  if (job.status === 'done') return 100;
  if (job.progressDone > 0 && job.progressTotal) return Math.min(100, Math.floor((100 * job.progressDone) / job.progressTotal));
  return null;
}

/** The job's error in the reader's language: `{code, params}` as the import stores it, or text as it is. */
function jobErrorText(t: Translate, error: string | null): string | null {
  if (!error) return null;
  try {
    const e = JSON.parse(error) as { code?: unknown; params?: Record<string, string | number> };
    if (typeof e.code === 'string') return errorText(t, e.code, e.params ?? {});
  } catch {
    // not one of ours: shown as it is
  }
  return errorText(t, error);
}

function statusNote(t: Translate, job: Job): string {
  const s = summaryOf(job);
  switch (job.status) {
    case 'queued':
      return t('staff.imports.note.queued');
    case 'running':
      return t('staff.imports.note.running', { read: s.read });
    case 'done':
      return t('staff.imports.note.done', { read: s.read });
    case 'failed':
      return t('staff.imports.note.failed', { reason: jobErrorText(t, job.error) ?? '' });
    case 'cancelled':
      return t('staff.imports.note.cancelled', { read: s.read });
  }
}

function plainParams(params: Record<string, unknown> | undefined): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params ?? {})) if (v !== null && v !== undefined) out[k] = typeof v === 'number' ? v : String(v);
  return out;
}

function matchedOnText(t: Translate, on: string): string {
  const key = `staff.imports.on.${on}`;
  return hasMessage(key) ? t(key) : on;
}

/**
 * One problem of one record in words. `marc.*` carry the codec's own (English) message, shown as
 * it is; `item.*` use the item messages of the catalogue; the import's own codes have ours.
 */
export function problemText(t: Translate, p: ImportResult['problems'][number]): string {
  const params = plainParams(p.params);
  if (p.code.startsWith('marc.') && typeof p.params?.message === 'string') return p.params.message;
  const keys = [`catalog.${p.code}`, `staff.imports.problem.${p.code}`];
  const key = keys.find((k) => hasMessage(k)) as MessageKey | undefined;
  if (key) {
    if (typeof params.on === 'string') params.on = matchedOnText(t, params.on);
    // Item checks do not always pass every value a message names: leave out what is missing.
    const text = t(key, params)
      .replace(/\s*[“"]\{\w+\}[”"]/g, '')
      .replace(/\{\w+\}/g, '…');
    return p.code.startsWith('item.') && params.barcode !== undefined && !text.includes(String(params.barcode)) ? `${params.barcode}: ${text}` : text;
  }
  const rest = Object.entries(params)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return rest ? `${p.code} (${rest})` : p.code;
}

/** Active units, in tree order (children after their parent, siblings by name), that pass `keep`. */
function unitOptions(ctx: PageCtx, units: readonly OrgUnit[], keep: (u: OrgUnit) => boolean): Array<[string, string]> {
  const byParent = new Map<number | null, OrgUnit[]>();
  const ids = new Set(units.map((u) => u.id));
  for (const u of units) {
    const parent = u.parentId !== null && ids.has(u.parentId) ? u.parentId : null;
    let list = byParent.get(parent);
    if (!list) byParent.set(parent, (list = []));
    list.push(u);
  }
  const kept: OrgUnit[] = [];
  const walk = (parent: number | null) => {
    for (const u of (byParent.get(parent) ?? []).sort((a, b) => compareVi(unitName(ctx, a), unitName(ctx, b)))) {
      if (keep(u)) kept.push(u);
      walk(u.id);
    }
  };
  walk(null);
  const top = Math.min(...kept.map((u) => u.depth));
  return kept.map((u) => [String(u.id), `${'— '.repeat(Math.max(0, u.depth - top))}${unitName(ctx, u)} (${u.code})`]);
}

function Counts({ ctx, summary }: { ctx: PageCtx; summary: ImportSummary }) {
  return (
    <ul class="stats import-counts">
      {COUNTS.map((k) => (
        <li class={`count-${k}`}>
          <span class="num" data-count={k}>
            {summary[k]}
          </span>
          {ctx.t(`staff.imports.count.${k}`)}
        </li>
      ))}
    </ul>
  );
}

function StatusBadge({ ctx, status }: { ctx: PageCtx; status: JobStatus }) {
  return (
    <span class={`badge badge-job-${status}`} data-field="status">
      {ctx.t(`staff.imports.status.${status}`)}
    </span>
  );
}

function ProgressBar({ ctx, job }: { ctx: PageCtx; job: Job }) {
  const percent = percentOf(job);
  const finished = !UNFINISHED.includes(job.status);
  // Indeterminate (no value) while the job runs without byte counts; full or empty once it ended.
  const value = percent ?? (finished ? 0 : undefined);
  return (
    <progress max={100} value={value} aria-label={ctx.t('staff.imports.progress')} data-field="bar">
      {percent === null ? '' : `${percent}%`}
    </progress>
  );
}

// ---------------------------------------------------------------- the plugin

export async function importPages(app: FastifyInstance, opts: ImportPagesOptions): Promise<void> {
  const { imports, exports, org } = opts.services;
  const uploadDir = opts.uploadDir ?? join(tmpdir(), 'lienthong-uploads');
  const maxUploadBytes = opts.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES;
  let dirReady: Promise<unknown> | undefined;

  // Streaming mode: the handler reads the parts itself, so the file goes to disk as it arrives.
  await app.register(multipart, { limits: { fileSize: maxUploadBytes, files: 1, fields: 10, parts: 11, fieldSize: 1000 } });

  // The CSRF check (a preHandler in plugins/context.ts) reads `_csrf` from the body, which a
  // multipart request does not have yet: give it the token the form put in its action's query.
  app.addHook('preValidation', async (req) => {
    if (req.method !== 'POST' || !req.isMultipart() || req.body !== undefined) return;
    const sent = (req.query as Record<string, unknown> | undefined)?._csrf;
    if (typeof sent === 'string') req.body = { _csrf: sent };
  });

  const units = () => org.list({ activeOnly: true });
  const can = (req: FastifyRequest, permission: Permission, u: OrgUnit) => allows(req.ctx.actor.grants, permission, u);

  const jobParam = async (req: FastifyRequest): Promise<Job> => {
    const raw = (req.params as { id: string }).id;
    if (!/^\d{1,10}$/.test(raw)) throw new AppError('NOT_FOUND');
    const job = await imports.job(Number(raw));
    await imports.authorizeView(req.ctx.actor, job);
    return job;
  };

  // ---------------------------------------------------------------- the list and the upload form
  interface ListProblem {
    error?: AppError;
    text?: string;
    doneJob?: number;
  }

  const listPage = async (req: FastifyRequest, values: Values = {}, problem: ListProblem = {}) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const all = await units();
    const byId = new Map(all.map((u) => [u.id, u]));
    const jobs = await imports.list(req.ctx.actor, 50);
    const importable = unitOptions(ctx, all, (u) => UNIT_TYPES[u.typeCode].holdsItems && can(req, 'catalog.import', u));
    const policy = values.policy && (IMPORT_POLICIES as readonly string[]).includes(values.policy) ? values.policy : 'attach';
    const limit = formatBytes(ctx.locale, maxUploadBytes);
    // The library chosen before, else one's own library when one may import there.
    const home = req.ctx.user?.homeUnitId === null || req.ctx.user?.homeUnitId === undefined ? undefined : String(req.ctx.user.homeUnitId);
    const chosenUnit = [values.unit, home].find((v) => v !== undefined && importable.some(([id]) => id === v));
    return (
      <Layout ctx={ctx} title={t('staff.imports.title')} staff flash={flashFromQuery(ctx, req.query)}>
        <h1>{t('staff.imports.title')}</h1>
        <p class="lead">{t('staff.imports.intro')}</p>
        {allowsAnywhere(req.ctx.actor.grants, 'catalog.export') ? (
          <p class="actions">
            <a class="button secondary" href={`${BASE}/export`}>
              {t('staff.export.title')}
            </a>
          </p>
        ) : null}
        {importable.length > 0 ? (
          <section class="card upload-card" aria-labelledby="upload-heading">
            <h2 id="upload-heading">{t('staff.imports.upload')}</h2>
            <FormError ctx={ctx} error={problem.error} />
            {problem.text ? (
              <p class="flash flash-error" role="alert">
                {problem.text}
              </p>
            ) : null}
            {problem.doneJob !== undefined ? (
              <p>
                <a href={`${BASE}/imports/${problem.doneJob}`}>{t('staff.imports.doneLink', { job: problem.doneJob })}</a>
              </p>
            ) : null}
            <form method="post" action={`${BASE}/imports?_csrf=${encodeURIComponent(ctx.csrf)}`} enctype="multipart/form-data" class="stack import-form">
              <div class="field">
                <label for="f-file">{t('staff.imports.file')}</label>
                <input type="file" id="f-file" name="file" required aria-describedby="f-file-help" accept=".mrc,.marc,.iso,.iso2709,.dat,.xml,.json,.jsonl,.ndjson,.gz,application/marc,application/xml,text/xml,application/json,application/gzip" />
                <span class="help" id="f-file-help">
                  {t('staff.imports.fileHelp', { limit })}
                </span>
              </div>
              <div class="field">
                <label for="f-unit">{t('staff.imports.library')}</label>
                <select id="f-unit" name="unit" required aria-describedby="f-unit-help">
                  <option value="" selected={!chosenUnit}>
                    {t('staff.imports.chooseLibrary')}
                  </option>
                  {importable.map(([v, label]) => (
                    <option value={v} selected={v === chosenUnit}>
                      {label}
                    </option>
                  ))}
                </select>
                <span class="help" id="f-unit-help">
                  {t('staff.imports.libraryHelp')}
                </span>
              </div>
              <fieldset class="field policies">
                <legend>{t('staff.imports.policy')}</legend>
                {IMPORT_POLICIES.map((p) => (
                  <label class="choice">
                    <input type="radio" name="policy" value={p} checked={p === policy} />
                    <span>
                      <strong>{t(`staff.imports.policy.${p}`)}</strong>
                      <span class="help">{t(`staff.imports.policy.${p}Help`)}</span>
                    </span>
                  </label>
                ))}
              </fieldset>
              <label class="choice">
                <input type="checkbox" name="strict" value="1" checked={values.strict === '1'} />
                <span>
                  <strong>{t('staff.imports.strict')}</strong>
                  <span class="help">{t('staff.imports.strictHelp')}</span>
                </span>
              </label>
              <label class="choice">
                <input type="checkbox" name="again" value="1" checked={values.again === '1'} />
                <span>
                  <strong>{t('staff.imports.again')}</strong>
                  <span class="help">{t('staff.imports.againHelp')}</span>
                </span>
              </label>
              <div>
                <button type="submit">{t('staff.imports.submit')}</button>
              </div>
            </form>
          </section>
        ) : (
          <p class="muted">{t('staff.imports.noPermission')}</p>
        )}
        <h2 id="list-heading">{t('staff.imports.list')}</h2>
        {jobs.length === 0 ? (
          <p class="muted">{t('staff.imports.none')}</p>
        ) : (
          <div class="table-wrap">
            <table class="list stack imports" aria-labelledby="list-heading">
              <thead>
                <tr>
                  <th>{t('staff.imports.col.file')}</th>
                  <th>{t('staff.imports.col.library')}</th>
                  <th>{t('staff.imports.col.policy')}</th>
                  <th>{t('staff.imports.col.status')}</th>
                  <th>{t('staff.imports.col.counts')}</th>
                  <th>{t('staff.imports.col.by')}</th>
                  <th>{t('staff.imports.col.when')}</th>
                </tr>
              </thead>
              <tbody>
                {jobs.map((j) => {
                  const p = paramsOf(j);
                  const s = summaryOf(j);
                  const u = j.unitId === null ? undefined : byId.get(j.unitId);
                  const percent = percentOf(j);
                  return (
                    <tr>
                      <td data-label={t('staff.imports.col.file')} class="file-name">
                        <a href={`${BASE}/imports/${j.id}`}>{p.fileName ?? `#${j.id}`}</a>
                        <span class="muted small"> #{j.id}</span>
                      </td>
                      <td data-label={t('staff.imports.col.library')}>{u ? unitName(ctx, u) : (p.unitCode ?? t('common.none'))}</td>
                      <td data-label={t('staff.imports.col.policy')}>{p.policy ? t(`staff.imports.policy.${p.policy}` as MessageKey) : t('common.none')}</td>
                      <td data-label={t('staff.imports.col.status')}>
                        <StatusBadge ctx={ctx} status={j.status} />
                        {percent !== null && j.status !== 'done' ? <span class="small"> {percent}%</span> : null}
                      </td>
                      <td data-label={t('staff.imports.col.counts')} class="small">
                        {t('staff.imports.countsShort', { read: s.read, created: s.created, matched: s.matched, merged: s.merged, rejected: s.rejected })}
                      </td>
                      <td data-label={t('staff.imports.col.by')}>{j.actorLabel}</td>
                      <td data-label={t('staff.imports.col.when')} class="nowrap">
                        {formatTime(ctx, j.createdAt)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Layout>
    );
  };

  app.get(`/catalogue/imports`, async (req, reply) => {
    requireUser(req);
    return sendPage(reply, await listPage(req));
  });

  app.post(`/catalogue/imports`, async (req, reply) => {
    requireUser(req);
    // Nobody without the permission anywhere could start an import: refuse before reading the file.
    // (The unit is checked by the import service once the form is read.)
    if (!allowsAnywhere(req.ctx.actor.grants, 'catalog.import')) throw new AppError('PERMISSION_DENIED', { permission: 'catalog.import', unit: 0 });
    const values: Values = {};
    let saved: { path: string; fileName: string; size: number } | undefined;
    let partial: string | undefined;
    const discard = async () => {
      for (const p of [partial, saved?.path]) if (p) await rm(p, { force: true });
      saved = undefined;
      partial = undefined;
    };
    const refuse = async (status: number, problem: ListProblem) => {
      await discard();
      // Let the rest of the upload arrive (and be dropped) so the browser reads our answer.
      req.raw.resume();
      return sendPage(reply, await listPage(req, values, problem), status);
    };
    try {
      for await (const part of req.parts()) {
        if (part.type === 'field') {
          values[part.fieldname] = String(part.value);
          continue;
        }
        if (part.fieldname !== 'file' || saved) {
          part.file.resume();
          continue;
        }
        dirReady ??= mkdir(uploadDir, { recursive: true });
        await dirReady;
        const id = randomUUID();
        partial = join(uploadDir, `${id}.part`);
        let size = 0;
        part.file.on('data', (c: Buffer) => (size += c.length));
        await pipeline(part.file, createWriteStream(partial, { flags: 'wx' }));
        if (part.file.truncated) throw Object.assign(new Error('file too large'), { code: 'FST_REQ_FILE_TOO_LARGE' });
        const path = join(uploadDir, `${id}.marc`);
        await rename(partial, path);
        partial = undefined;
        saved = { path, fileName: cleanFileName(part.filename), size };
      }
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') return refuse(413, { text: req.ctx.t('staff.imports.tooLarge', { limit: formatBytes(req.ctx.locale, maxUploadBytes) }) });
      await discard();
      throw e;
    }
    if (!saved || (saved.size === 0 && saved.fileName === '')) return refuse(400, { text: req.ctx.t('staff.imports.noFile') });
    if (!/^\d{1,10}$/.test(values.unit ?? '')) return refuse(400, { text: req.ctx.t('staff.imports.noLibrary') });
    const unitId = Number(values.unit);
    try {
      const { job, resumed } = await imports.start(req.ctx.actor, {
        path: saved.path,
        fileName: saved.fileName || 'upload',
        unitId,
        policy: values.policy ?? 'attach',
        strict: values.strict === '1',
        again: values.again === '1',
        ownsFile: true,
      });
      // An unfinished import of the same file goes on from its own copy: this one is not needed.
      if (resumed && paramsOf(job).path !== saved.path) await discard();
      return reply.redirect(`${BASE}/imports/${job.id}?ok=staff.imports.${resumed ? 'resumed' : 'started'}`, 303);
    } catch (e) {
      await discard();
      const err = asFormError(e);
      return refuse(err.status, { error: err, doneJob: err.code === 'CATALOG_IMPORT_DONE' && typeof err.params.job === 'number' ? err.params.job : undefined });
    }
  });

  // ---------------------------------------------------------------- one import
  const jobPage = async (req: FastifyRequest, job: Job, error?: AppError) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const p = paramsOf(job);
    const s = summaryOf(job);
    const unit = job.unitId === null ? undefined : await org.get(job.unitId).catch(() => undefined);
    const q = req.query as { outcome?: string; after?: string; ok?: string };
    const outcome = OUTCOMES.find((o) => o === q.outcome);
    const after = q.after && /^\d{1,10}$/.test(q.after) ? Number(q.after) : undefined;
    const rows = await imports.results(job.id, { outcome, afterSeq: after, limit: REPORT_PAGE + 1 });
    const more = rows.length > REPORT_PAGE;
    const shown = rows.slice(0, REPORT_PAGE);
    const running = UNFINISHED.includes(job.status);
    const mayCancel = running && unit !== undefined && can(req, 'catalog.import', unit);
    const href = (o: string | undefined, a?: number) => {
      const qs = new URLSearchParams();
      if (o) qs.set('outcome', o);
      if (a !== undefined) qs.set('after', String(a));
      const s2 = qs.toString();
      return `${BASE}/imports/${job.id}${s2 ? `?${s2}` : ''}#report-heading`;
    };
    const errorNow = job.status === 'failed' ? jobErrorText(t, job.error) : null;
    // "File received" is news only until the job has ended (the page without JavaScript keeps its URL).
    const received = q.ok === 'staff.imports.started' || q.ok === 'staff.imports.resumed';
    const flash: Flash | undefined = error ? { kind: 'error', text: errorText(t, error.code, error.params) } : received && !running ? undefined : flashFromQuery(ctx, req.query);
    return (
      <Layout ctx={ctx} title={t('staff.imports.job.title', { id: job.id })} staff flash={flash}>
        {running ? (
          // Without JavaScript the page reloads itself while the job runs; with it, the script polls.
          <noscript>
            <meta httpEquiv="refresh" content="2" />
          </noscript>
        ) : null}
        <p>
          <a href={`${BASE}/imports`}>← {t('staff.imports.title')}</a>
        </p>
        <h1>
          {t('staff.imports.job.title', { id: job.id })}
          <span class="file-title">{p.fileName ?? ''}</span>
        </h1>
        <section class="card import-progress" aria-labelledby="progress-heading" data-progress-url={running ? `${BASE}/imports/${job.id}/progress.json` : undefined}>
          <h2 id="progress-heading">{t('staff.imports.progress')}</h2>
          <p class="status-line" aria-live="polite">
            <StatusBadge ctx={ctx} status={job.status} /> <span data-field="note">{statusNote(t, job)}</span>
          </p>
          <ProgressBar ctx={ctx} job={job} />
          <Counts ctx={ctx} summary={s} />
          {errorNow ? <p class="small muted">{t('staff.imports.failedHelp')}</p> : null}
          {mayCancel ? (
            <form method="post" action={`${BASE}/imports/${job.id}/cancel`} class="actions">
              <Csrf ctx={ctx} />
              <button type="submit" class="danger">
                {t('staff.imports.cancel')}
              </button>
            </form>
          ) : null}
        </section>
        <details class="card job-facts">
          <summary>{t('staff.imports.job.details')}</summary>
          <dl class="facts">
            <dt>{t('staff.imports.col.library')}</dt>
            <dd>{unit ? `${unitName(ctx, unit)} (${unit.code})` : (p.unitCode ?? t('common.none'))}</dd>
            <dt>{t('staff.imports.col.policy')}</dt>
            <dd>{p.policy ? t(`staff.imports.policy.${p.policy}` as MessageKey) : t('common.none')}</dd>
            <dt>{t('staff.imports.job.strict')}</dt>
            <dd>{p.strict ? t('common.yes') : t('common.no')}</dd>
            <dt>{t('staff.imports.job.format')}</dt>
            <dd>{`${p.format ?? '?'}${p.gzipped ? ' (gzip)' : ''}`}</dd>
            <dt>{t('staff.imports.job.size')}</dt>
            <dd>{typeof p.size === 'number' ? formatBytes(ctx.locale, p.size) : t('common.none')}</dd>
            <dt>{t('staff.imports.col.by')}</dt>
            <dd>{job.actorLabel}</dd>
            <dt>{t('staff.imports.job.createdAt')}</dt>
            <dd>{formatTime(ctx, job.createdAt)}</dd>
            <dt>{t('staff.imports.job.startedAt')}</dt>
            <dd>{formatTime(ctx, job.startedAt)}</dd>
            <dt>{t('staff.imports.job.finishedAt')}</dt>
            <dd>{formatTime(ctx, job.finishedAt)}</dd>
          </dl>
        </details>
        <h2 id="report-heading">{t('staff.imports.report')}</h2>
        <p class="actions">
          <a class="button secondary" href={`${BASE}/imports/${job.id}/report.csv`} download>
            {t('staff.imports.reportCsv')}
          </a>
        </p>
        <OutcomeFilter
          label={t('staff.imports.filter')}
          all={{ href: href(undefined), text: t('staff.imports.filter.all'), count: s.read }}
          items={OUTCOMES.map((o) => ({ value: o, href: href(o), text: t(`staff.imports.outcome.${o}`), count: s[o] }))}
          current={outcome}
        />
        {shown.length === 0 ? (
          <p class="muted">{t(running ? 'staff.imports.noResultsYet' : 'staff.imports.noResults')}</p>
        ) : (
          <div class="table-wrap">
            <table class="list stack import-report" aria-labelledby="report-heading">
              <thead>
                <tr>
                  <th>#</th>
                  <th>{t('staff.imports.col.outcome')}</th>
                  <th>{t('staff.imports.col.title')}</th>
                  <th>{t('staff.imports.col.record')}</th>
                  <th>{t('staff.imports.col.matchedOn')}</th>
                  <th>{t('staff.imports.col.items')}</th>
                  <th>{t('staff.imports.col.problems')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((r) => (
                  <tr class={`outcome-${r.outcome}`}>
                    <td class="seq">{r.seq}</td>
                    <td class="outcome">
                      <span class={`badge badge-outcome-${r.outcome}`}>{t(`staff.imports.outcome.${r.outcome}`)}</span>
                    </td>
                    <td data-label={t('staff.imports.col.title')} class={r.title ? 'title' : 'title empty'}>
                      {r.title ?? t('common.none')}
                    </td>
                    <td data-label={t('staff.imports.col.record')} class={r.recordId === null ? 'empty' : undefined}>
                      {r.recordId === null ? t('common.none') : <a href={`${BASE}/records/${r.recordId}`}>{`#${r.recordId}`}</a>}
                    </td>
                    <td data-label={t('staff.imports.col.matchedOn')} class={r.matchedOn ? undefined : 'empty'}>
                      {r.matchedOn ? matchedOnText(t, r.matchedOn) : t('common.none')}
                    </td>
                    <td data-label={t('staff.imports.col.items')}>{r.itemsAdded}</td>
                    <td data-label={t('staff.imports.col.problems')} class={r.problems.length === 0 ? 'empty' : undefined}>
                      {r.problems.length === 0 ? (
                        t('common.none')
                      ) : (
                        <ul class="problems">
                          {r.problems.map((pr) => (
                            <li class={pr.severity === 'error' ? 'problem-error' : 'problem-warning'}>{problemText(t, pr)}</li>
                          ))}
                        </ul>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {more || after !== undefined ? (
          <p class="actions">
            {after !== undefined ? (
              <a class="button secondary" href={href(outcome)}>
                {t('staff.imports.first')}
              </a>
            ) : null}
            {more ? (
              <a class="button secondary" href={href(outcome, shown[shown.length - 1]!.seq)}>
                {t('staff.imports.next')} →
              </a>
            ) : null}
          </p>
        ) : null}
        {running ? <script src={assetUrl('import-progress.js')} defer /> : null}
      </Layout>
    );
  };

  app.get(`/catalogue/imports/:id`, async (req, reply) => {
    requireUser(req);
    const job = await jobParam(req);
    return sendPage(reply, await jobPage(req, job));
  });

  app.get(`/catalogue/imports/:id/progress.json`, async (req, reply) => {
    requireUser(req);
    const job = await jobParam(req);
    const t = req.ctx.t;
    return reply.header('cache-control', 'no-store').send({
      id: job.id,
      status: job.status,
      statusText: t(`staff.imports.status.${job.status}`),
      note: statusNote(t, job),
      finished: !UNFINISHED.includes(job.status),
      percent: percentOf(job),
      checkpoint: job.checkpoint,
      summary: summaryOf(job),
      error: job.status === 'failed' ? jobErrorText(t, job.error) : null,
    });
  });

  app.get(`/catalogue/imports/:id/report.csv`, async (req, reply) => {
    requireUser(req);
    const job = await jobParam(req);
    const t = req.ctx.t;
    async function* csv(): AsyncGenerator<Buffer> {
      // A byte-order mark so spreadsheet programs read the Vietnamese as UTF-8.
      yield Buffer.from('\uFEFF' + stringify([['seq', 'outcome', 'record_id', 'matched_on', 'title', 'items_added', 'problems']]));
      let afterSeq: number | undefined;
      for (;;) {
        const rows = await imports.results(job.id, { afterSeq, limit: 1000 });
        if (rows.length) yield Buffer.from(stringify(rows.map((r) => [r.seq, r.outcome, r.recordId ?? '', r.matchedOn ?? '', r.title ?? '', r.itemsAdded, r.problems.map((p) => problemText(t, p)).join('; ')])));
        if (rows.length < 1000) return;
        afterSeq = rows[rows.length - 1]!.seq;
      }
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="lienthong-import-${job.id}.csv"`)
      .send(Readable.from(csv()));
  });

  app.post(`/catalogue/imports/:id/cancel`, async (req, reply) => {
    requireUser(req);
    const job = await jobParam(req);
    try {
      await imports.cancel(req.ctx.actor, job.id);
    } catch (e) {
      const err = asFormError(e);
      return sendPage(reply, await jobPage(req, await imports.job(job.id), err), err.status);
    }
    return reply.redirect(`${BASE}/imports/${job.id}?ok=staff.imports.cancelled`, 303);
  });

  // ---------------------------------------------------------------- export
  const exportPage = async (req: FastifyRequest, values: Values = {}, problem?: { field: string; text: string }) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const all = await units();
    const exportable = unitOptions(ctx, all, (u) => can(req, 'catalog.export', u));
    const format = values.format && isExportFormat(values.format) ? values.format : 'iso2709';
    const holdings = (HOLDINGS as readonly string[]).includes(values.holdings ?? '') ? values.holdings : '952';
    const err = (field: string) => (problem?.field === field ? problem : undefined);
    return (
      <Layout ctx={ctx} title={t('staff.export.title')} staff>
        <h1>{t('staff.export.title')}</h1>
        <p class="lead">{t('staff.export.intro')}</p>
        {allowsAnywhere(req.ctx.actor.grants, 'catalog.import') ? (
          <p class="actions">
            <a class="button secondary" href={`${BASE}/imports`}>
              {t('staff.imports.title')}
            </a>
          </p>
        ) : null}
        {problem && !['format', 'unit', 'ids', 'holdings'].includes(problem.field) ? (
          <p class="flash flash-error" role="alert">
            {problem.text}
          </p>
        ) : null}
        <form method="get" action={`${BASE}/export/file`} class="stack card export-form">
          <fieldset class="field">
            <legend>{t('staff.export.format')}</legend>
            {EXPORT_FORMATS.map((f) => (
              <label class="choice">
                <input type="radio" name="format" value={f} checked={f === format} />
                <span>
                  <strong>{t(`staff.export.format.${f}`)}</strong>
                  <span class="help">{t(`staff.export.format.${f}Help`)}</span>
                </span>
              </label>
            ))}
            {err('format') ? <span class="field-error">{err('format')!.text}</span> : null}
          </fieldset>
          <div class="field">
            <label for="f-unit">{t('staff.export.scope')}</label>
            <select id="f-unit" name="unit" aria-invalid={err('unit') ? 'true' : undefined}>
              <option value="">{t('staff.export.scope.all')}</option>
              {exportable.map(([v, label]) => (
                <option value={v} selected={v === values.unit}>
                  {label}
                </option>
              ))}
            </select>
            <span class="help">{t('staff.export.scopeHelp')}</span>
            {err('unit') ? <span class="field-error">{err('unit')!.text}</span> : null}
          </div>
          <div class="field">
            <label for="f-ids">
              {t('staff.export.ids')} <span class="muted small">({t('common.optional')})</span>
            </label>
            <input type="text" id="f-ids" name="ids" value={values.ids ?? ''} inputMode="numeric" maxLength={20000} aria-describedby="f-ids-help" aria-invalid={err('ids') ? 'true' : undefined} />
            <span class="help" id="f-ids-help">
              {t('staff.export.idsHelp')}
            </span>
            {err('ids') ? <span class="field-error">{err('ids')!.text}</span> : null}
          </div>
          <div class="field">
            <label for="f-holdings">{t('staff.export.holdings')}</label>
            <select id="f-holdings" name="holdings" aria-describedby="f-holdings-help">
              {HOLDINGS.map((h) => (
                <option value={h} selected={h === holdings}>
                  {t(`staff.export.holdings.${h}`)}
                </option>
              ))}
            </select>
            <span class="help" id="f-holdings-help">
              {t('staff.export.holdingsHelp')}
            </span>
          </div>
          <div>
            <button type="submit">{t('staff.export.submit')}</button>
          </div>
        </form>
      </Layout>
    );
  };

  app.get(`/catalogue/export`, async (req, reply) => {
    requireUser(req);
    // The whole catalogue is the widest choice: whoever may export nothing at all is refused here.
    await exports.authorize(req.ctx.actor, {});
    return sendPage(reply, await exportPage(req));
  });

  app.get(`/catalogue/export/file`, async (req, reply) => {
    requireUser(req);
    const ctx = req.ctx;
    const q = req.query as Record<string, unknown>;
    const values: Values = {};
    for (const k of ['format', 'unit', 'ids', 'holdings']) if (typeof q[k] === 'string') values[k] = (q[k] as string).slice(0, 20000);
    const fail = async (status: number, field: string, text: string) => sendPage(reply, await exportPage(req, values, { field, text }), status);
    const format = values.format ?? '';
    if (!isExportFormat(format)) return fail(400, 'format', errorText(ctx.t, 'CATALOG_EXPORT_FORMAT', { format: format.slice(0, 20) }));
    const unitRaw = (values.unit ?? '').trim();
    if (unitRaw !== '' && !/^\d{1,10}$/.test(unitRaw)) return fail(400, 'unit', errorText(ctx.t, 'ORG_UNIT_NOT_FOUND', { unit: unitRaw.slice(0, 32) }));
    const idsRaw = (values.ids ?? '').trim();
    let ids: number[] | undefined;
    if (idsRaw !== '') {
      const parts = idsRaw.split(/[\s,;]+/).filter(Boolean);
      const bad = parts.filter((s) => !/^\d{1,10}$/.test(s) || Number(s) === 0);
      if (bad.length > 0 || parts.length > 10_000) return fail(400, 'ids', ctx.t('staff.export.idsInvalid', { ids: bad.slice(0, 5).join(', ') || idsRaw.slice(0, 40) }));
      ids = [...new Set(parts.map(Number))];
    }
    const holdings = (HOLDINGS as readonly string[]).includes(values.holdings ?? '') ? (values.holdings as ExportSelection['holdings']) : '952';
    const sel: ExportSelection = { unitId: unitRaw === '' ? undefined : Number(unitRaw), ids, holdings };
    // Refusals and unknown libraries come out here, before any byte of the file.
    await exports.authorize(ctx.actor, sel);
    const unit = sel.unitId === undefined ? undefined : await org.get(sel.unitId);
    const scope = unit ? unit.code.toLowerCase() : ids ? 'selection' : 'catalogue';
    const name = `lienthong-${scope}-${org.today()}.${EXPORT_EXTENSIONS[format]}`;
    return sendExport(reply, format, name, exports.stream(format, sel, (issue) => req.log.warn({ issue: issue.message }, 'export: a record was left out')));
  });
}

function sendExport(reply: FastifyReply, format: ExportFormat, fileName: string, body: AsyncGenerator<Uint8Array>): FastifyReply {
  return reply
    .type(EXPORT_CONTENT_TYPES[format])
    .header('cache-control', 'no-store')
    .header('content-disposition', `attachment; filename="${fileName}"`)
    .send(Readable.from(body));
}

/** The name the browser gave the file, without any path, control characters or excess length. */
function cleanFileName(raw: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  const base = (raw ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base.slice(0, 200);
}
