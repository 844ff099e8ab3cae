/**
 * Background jobs of every kind (MARC imports, digital processing, batch ingest, fixity checks,
 * search reindexing): counts by kind and status, a filtered list, one job's page with its
 * progress (refreshing itself while it runs: `<meta refresh>` without JavaScript, the import
 * pages' `import-progress.js` with it) and, for a batch ingest, the result of every row with a
 * CSV download. Staff with `jobs.manage` where a job belongs retry failed jobs and cancel waiting
 * or running ones; network-wide, they also see the fixity problems and start a check.
 *
 * Reads and writes go through `JobsService`, which checks permissions and writes the audit log.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import { AppError } from '../../../domain/errors.js';
import { allowsAnywhere } from '../../../domain/access/permissions.js';
import { JOB_STATUSES } from '../../../app/jobs.service.js';
import type { IngestSummary } from '../../../app/digital/ingest.service.js';
import type { BlobRow, Clock, IngestResult, Job, JobStatus, Store } from '../../../app/ports.js';
import type { Services } from '../../../main/container.js';
import type { Translate } from '../../../i18n/i18n.js';
import { assetUrl } from '../../assets/assets.js';
import { Csrf, Layout, flashFromQuery, formatTime, pageCtx, sendPage, unitName, type Flash, type PageCtx } from '../render.js';
import { OutcomeFilter, asFormError, formValues, requireUser } from './forms.js';
import { percentOf } from './imports.pages.js';
import { DigitalNav, DigitalStyles, appErrorText, digitalErrorText, jobKindLabel, jobStatusLabel, param, queryId, storedErrorText } from './digital-common.pages.js';

export interface JobPagesOptions {
  services: Services;
  /** Used to build the jobs service when the container does not provide one. */
  store?: Store;
  clock?: Clock;
}

const BASE = '/staff/jobs';
/** The same, as routes see it inside the staff pages' `/staff` prefix. */
const ROUTE = '/jobs';
const LIST_PAGE = 50;
const RESULTS_PAGE = 100;
const UNFINISHED: readonly JobStatus[] = ['queued', 'running'];
/** Kinds the filter offers even before a job of the kind exists. */
const KNOWN_KINDS = ['catalog.import', 'digital.process', 'digital.ingest', 'digital.fixity', 'search.reindex'];
const INGEST_OUTCOMES = ['created', 'failed', 'skipped'] as const;
const INGEST_COUNTS = ['rows', 'created', 'failed', 'skipped'] as const;

function ingestSummary(job: Job): IngestSummary {
  const s = (job.summary ?? {}) as Partial<IngestSummary>;
  return { rows: Number(s.rows ?? 0), created: Number(s.created ?? 0), failed: Number(s.failed ?? 0), skipped: Number(s.skipped ?? 0) };
}

/** A line saying where the job is, in words. */
function noteOf(t: Translate, job: Job): string {
  const done = job.progressDone;
  const total = job.progressTotal;
  switch (job.status) {
    case 'queued':
      return job.runAfter && job.attempts > 0 ? t('jobs.note.retrying', { attempts: job.attempts, max: job.maxAttempts }) : t('jobs.note.queued');
    case 'running':
      return total ? t('jobs.note.runningOf', { done, total }) : t('jobs.note.running', { done });
    case 'done':
      return t('jobs.note.done');
    case 'failed':
      return t('jobs.note.failed', { reason: storedErrorText(t, job.error) ?? '' });
    case 'cancelled':
      return t('jobs.note.cancelled');
  }
}

/** What the job is about, in a few words: its object, its file, its rows. */
function Subject({ ctx, job }: { ctx: PageCtx; job: Job }) {
  const { t } = ctx;
  const p = job.params;
  if (job.kind === 'digital.process' && typeof p.objectId === 'number') return <a href={`/staff/digital/${p.objectId}`}>{t('jobs.seeObject', { object: p.objectId })}</a>;
  if (job.kind === 'catalog.import' && typeof p.fileName === 'string') return <span class="file-name">{p.fileName}</span>;
  if (job.kind === 'digital.ingest') {
    const s = ingestSummary(job);
    return <span>{t('jobs.ingest.short', { rows: s.rows, created: s.created, failed: s.failed })}</span>;
  }
  return null;
}

function problemText(t: Translate, p: IngestResult['problems'][number]): string {
  return digitalErrorText(t, p.code, p.params ?? {});
}

function StatusBadge({ ctx, status }: { ctx: PageCtx; status: JobStatus }) {
  return (
    <span class={`badge badge-job-${status}`} data-field="status">
      {jobStatusLabel(ctx.t, status)}
    </span>
  );
}

export async function jobPages(app: FastifyInstance, opts: JobPagesOptions): Promise<void> {
  const { services } = opts;
  const { org } = services;
  const { jobs } = services;

  // ---------------------------------------------------------------- the list

  const listPage = async (req: FastifyRequest, error?: AppError) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const q = req.query as Record<string, string | undefined>;
    const kind = typeof q.kind === 'string' && /^[a-z][a-z0-9._-]{0,40}$/.test(q.kind) ? q.kind : undefined;
    const status = JOB_STATUSES.find((s) => s === q.status);
    const before = queryId(q.before);
    const [counts, list, units] = await Promise.all([jobs.counts(req.ctx.actor), jobs.list(req.ctx.actor, { kind, status, beforeId: before, limit: LIST_PAGE + 1 }), org.list()]);
    const more = list.length > LIST_PAGE;
    const shown = list.slice(0, LIST_PAGE);
    const unitsById = new Map(units.map((u) => [u.id, u]));
    const manage = new Map<number, boolean>();
    for (const j of shown) manage.set(j.id, await jobs.mayManage(req.ctx.actor, j));
    const kinds = [...new Set([...KNOWN_KINDS, ...counts.map((c) => c.kind)])];
    const byKind = new Map<string, Map<JobStatus, number>>();
    for (const c of counts) {
      const m = byKind.get(c.kind) ?? new Map<JobStatus, number>();
      m.set(c.status, c.count);
      byKind.set(c.kind, m);
    }
    const href = (k: string | undefined, s: string | undefined, b?: number) => {
      const qs = new URLSearchParams();
      if (k) qs.set('kind', k);
      if (s) qs.set('status', s);
      if (b !== undefined) qs.set('before', String(b));
      const str = qs.toString();
      return `${BASE}${str ? `?${str}` : ''}`;
    };
    const networkJobs = req.ctx.actor.grants.some((g) => g.scope === 'network' && g.permissions.has('jobs.manage'));
    const problems: BlobRow[] = networkJobs ? await jobs.fixityProblems(req.ctx.actor, 50) : [];
    const flash: Flash | undefined = error ? { kind: 'error', text: appErrorText(t, error) } : flashFromQuery(ctx, req.query);
    return (
      <Layout ctx={ctx} title={t('jobs.title')} staff flash={flash}>
        <DigitalStyles />
        {allowsAnywhere(req.ctx.actor.grants, 'digital.object.manage') ? <DigitalNav ctx={ctx} /> : null}
        <h1>{t('jobs.title')}</h1>
        <section class="card job-counts-card" aria-labelledby="counts-heading">
          <h2 id="counts-heading">{t('jobs.counts')}</h2>
          {byKind.size === 0 ? (
            <p class="muted">{t('jobs.none')}</p>
          ) : (
            <ul class="job-counts">
              {[...byKind.entries()].map(([k, m]) => (
                <li>
                  <a href={href(k, undefined)} class="job-kind">
                    {jobKindLabel(t, k)}
                  </a>
                  <span class="job-status-counts">
                    {JOB_STATUSES.filter((s) => (m.get(s) ?? 0) > 0).map((s) => (
                      <a href={href(k, s)} class={`badge badge-job-${s}`}>
                        {jobStatusLabel(t, s)}: {m.get(s)}
                      </a>
                    ))}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>
        <form method="get" action={BASE} class="filters">
          <div class="field">
            <label for="j-kind">{t('jobs.kind')}</label>
            <select id="j-kind" name="kind">
              <option value="">{t('jobs.allKinds')}</option>
              {kinds.map((k) => (
                <option value={k} selected={k === kind}>
                  {jobKindLabel(t, k)}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for="j-status">{t('jobs.status')}</label>
            <select id="j-status" name="status">
              <option value="">{t('jobs.allStatuses')}</option>
              {JOB_STATUSES.map((s) => (
                <option value={s} selected={s === status}>
                  {jobStatusLabel(t, s)}
                </option>
              ))}
            </select>
          </div>
          <div class="actions">
            <button type="submit">{t('jobs.filter')}</button>
            {kind || status ? <a href={BASE}>{t('dstaff.queue.clear')}</a> : null}
          </div>
        </form>
        {shown.length === 0 ? (
          <p class="card muted">{t('jobs.noneMatch')}</p>
        ) : (
          <ul class="job-list">
            {shown.map((j) => {
              const u = j.unitId === null ? undefined : unitsById.get(j.unitId);
              const err = j.status === 'failed' || (j.status === 'queued' && j.error) ? storedErrorText(t, j.error) : null;
              return (
                <li class={`job job-${j.status}`}>
                  <div class="job-head">
                    <a href={`${BASE}/${j.id}`} class="job-title">
                      {jobKindLabel(t, j.kind)} <span class="muted">#{j.id}</span>
                    </a>
                    <StatusBadge ctx={ctx} status={j.status} />
                  </div>
                  <p class="job-subject small">
                    <Subject ctx={ctx} job={j} />
                  </p>
                  <dl class="job-facts-inline small">
                    <div>
                      <dt>{t('jobs.unit')}</dt>
                      <dd>{u ? unitName(ctx, u) : t('jobs.network')}</dd>
                    </div>
                    <div>
                      <dt>{t('jobs.by')}</dt>
                      <dd>{j.actorLabel}</dd>
                    </div>
                    <div>
                      <dt>{t('jobs.attempts')}</dt>
                      <dd>
                        {j.attempts}/{j.maxAttempts}
                      </dd>
                    </div>
                    <div>
                      <dt>{t('jobs.progress')}</dt>
                      <dd>{j.progressTotal ? `${j.progressDone}/${j.progressTotal}` : String(j.progressDone)}</dd>
                    </div>
                    <div>
                      <dt>{t('jobs.started')}</dt>
                      <dd>{formatTime(ctx, j.startedAt)}</dd>
                    </div>
                    <div>
                      <dt>{t('jobs.finished')}</dt>
                      <dd>{formatTime(ctx, j.finishedAt)}</dd>
                    </div>
                    {j.status === 'queued' && j.runAfter ? (
                      <div>
                        <dt>{t('jobs.runAfter')}</dt>
                        <dd>{formatTime(ctx, j.runAfter)}</dd>
                      </div>
                    ) : null}
                  </dl>
                  {err ? <p class="job-error small">{err}</p> : null}
                  {manage.get(j.id) ? <JobActions ctx={ctx} job={j} back={href(kind, status, before)} /> : null}
                </li>
              );
            })}
          </ul>
        )}
        {more || before !== undefined ? (
          <p class="actions">
            {before !== undefined ? (
              <a class="button secondary" href={href(kind, status)}>
                {t('dstaff.queue.first')}
              </a>
            ) : null}
            {more ? (
              <a class="button secondary" href={href(kind, status, shown[shown.length - 1]!.id)}>
                {t('dstaff.queue.next')} →
              </a>
            ) : null}
          </p>
        ) : null}
        {networkJobs ? (
          <section class="card fixity" aria-labelledby="fixity-heading">
            <h2 id="fixity-heading">{t('jobs.fixity.title')}</h2>
            <p class="help">{t('jobs.fixity.help')}</p>
            {problems.length === 0 ? (
              <p class="fixity-ok">{t('jobs.fixity.none')}</p>
            ) : (
              <div class="table-wrap">
                <table class="list stack fixity-table">
                  <thead>
                    <tr>
                      <th>{t('jobs.fixity.status')}</th>
                      <th>SHA-256</th>
                      <th>{t('jobs.fixity.type')}</th>
                      <th>{t('jobs.fixity.checked')}</th>
                      <th>{t('jobs.fixity.detail')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {problems.map((b) => (
                      <tr>
                        <td>
                          <span class={`badge badge-fixity-${b.checkStatus}`}>{t(b.checkStatus === 'missing' ? 'jobs.fixity.missing' : 'jobs.fixity.mismatch')}</span>
                        </td>
                        <td data-label="SHA-256">
                          <code title={b.sha256}>{b.sha256.slice(0, 16)}…</code>
                        </td>
                        <td data-label={t('jobs.fixity.type')}>{b.mediaType}</td>
                        <td data-label={t('jobs.fixity.checked')}>{formatTime(ctx, b.checkedAt)}</td>
                        <td data-label={t('jobs.fixity.detail')} class="small">
                          {b.checkDetail ?? t('common.none')}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            <form method="post" action={`${BASE}/fixity`} class="actions">
              <Csrf ctx={ctx} />
              <button type="submit" class="secondary">
                {t('jobs.fixity.check')}
              </button>
            </form>
          </section>
        ) : null}
      </Layout>
    );
  };

  app.get(ROUTE, async (req, reply) => {
    requireUser(req);
    return sendPage(reply, await listPage(req));
  });

  app.post(`${ROUTE}/fixity`, async (req, reply) => {
    requireUser(req);
    const job = await jobs.checkFixity(req.ctx.actor);
    return reply.redirect(`${BASE}/${job.id}?ok=jobs.fixity.queued`, 303);
  });

  // ---------------------------------------------------------------- one job

  const jobPage = async (req: FastifyRequest, job: Job, error?: AppError) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const unit = job.unitId === null ? undefined : await org.get(job.unitId).catch(() => undefined);
    const running = UNFINISHED.includes(job.status);
    const mayManage = await jobs.mayManage(req.ctx.actor, job);
    const isIngest = job.kind === 'digital.ingest';
    const q = req.query as { outcome?: string; after?: string; ok?: string };
    const outcome = INGEST_OUTCOMES.find((o) => o === q.outcome);
    const after = queryId(q.after);
    const rows = isIngest ? await services.ingest.results(job.id, { outcome, afterSeq: after, limit: RESULTS_PAGE + 1 }) : [];
    const more = rows.length > RESULTS_PAGE;
    const shown = rows.slice(0, RESULTS_PAGE);
    const s = ingestSummary(job);
    const percent = percentOf(job);
    const title = t('jobs.job.title', { kind: jobKindLabel(t, job.kind), id: job.id });
    const href = (o: string | undefined, a?: number) => {
      const qs = new URLSearchParams();
      if (o) qs.set('outcome', o);
      if (a !== undefined) qs.set('after', String(a));
      const str = qs.toString();
      return `${BASE}/${job.id}${str ? `?${str}` : ''}#results-heading`;
    };
    const objectId = typeof job.params.objectId === 'number' ? job.params.objectId : undefined;
    const started = q.ok === 'dstaff.ingest.started' || q.ok === 'dstaff.ingest.resumed';
    const flash: Flash | undefined = error ? { kind: 'error', text: appErrorText(t, error) } : started && !running ? undefined : flashFromQuery(ctx, req.query);
    return (
      <Layout ctx={ctx} title={title} staff flash={flash}>
        <DigitalStyles />
        {running ? (
          <noscript>
            <meta httpEquiv="refresh" content="3" />
          </noscript>
        ) : null}
        <p>
          <a href={allowsAnywhere(req.ctx.actor.grants, 'jobs.manage') ? BASE : '/staff/digital'}>← {t('jobs.title')}</a>
        </p>
        <h1>{title}</h1>
        <section class="card import-progress job-progress" aria-labelledby="progress-heading" data-progress-url={running ? `${BASE}/${job.id}/progress.json` : undefined}>
          <h2 id="progress-heading">{t('jobs.progress')}</h2>
          <p class="status-line" aria-live="polite">
            <StatusBadge ctx={ctx} status={job.status} /> <span data-field="note">{noteOf(t, job)}</span>
          </p>
          <progress max={100} value={percent ?? (running ? undefined : 0)} aria-label={t('jobs.progress')} data-field="bar">
            {percent === null ? '' : `${percent}%`}
          </progress>
          {isIngest ? (
            <ul class="stats import-counts ingest-counts">
              {INGEST_COUNTS.map((k) => (
                <li class={`count-${k}`}>
                  <span class="num" data-count={k}>
                    {s[k]}
                  </span>
                  {t(`jobs.ingest.count.${k}`)}
                </li>
              ))}
            </ul>
          ) : null}
          {mayManage ? <JobActions ctx={ctx} job={job} back={`${BASE}/${job.id}`} /> : null}
        </section>
        <section class="card">
          <dl class="facts">
            <dt>{t('jobs.kind')}</dt>
            <dd>{jobKindLabel(t, job.kind)}</dd>
            <dt>{t('jobs.unit')}</dt>
            <dd>{unit ? `${unitName(ctx, unit)} (${unit.code})` : t('jobs.network')}</dd>
            <dt>{t('jobs.by')}</dt>
            <dd>{job.actorLabel}</dd>
            <dt>{t('jobs.attempts')}</dt>
            <dd>
              {job.attempts}/{job.maxAttempts}
            </dd>
            <dt>{t('jobs.created')}</dt>
            <dd>{formatTime(ctx, job.createdAt)}</dd>
            <dt>{t('jobs.started')}</dt>
            <dd>{formatTime(ctx, job.startedAt)}</dd>
            <dt>{t('jobs.finished')}</dt>
            <dd>{formatTime(ctx, job.finishedAt)}</dd>
            {job.status === 'queued' && job.runAfter ? (
              <>
                <dt>{t('jobs.runAfter')}</dt>
                <dd>{formatTime(ctx, job.runAfter)}</dd>
              </>
            ) : null}
            {job.error ? (
              <>
                <dt>{t('jobs.error')}</dt>
                <dd class="job-error">{storedErrorText(t, job.error)}</dd>
              </>
            ) : null}
          </dl>
          {job.kind === 'catalog.import' ? (
            <p>
              <a href={`/staff/catalogue/imports/${job.id}`}>{t('jobs.seeImport')}</a>
            </p>
          ) : null}
          {objectId !== undefined && job.kind === 'digital.process' ? (
            <p>
              <a href={`/staff/digital/${objectId}`}>{t('jobs.seeObject', { object: objectId })}</a>
            </p>
          ) : null}
        </section>
        {isIngest ? (
          <>
            <h2 id="results-heading">{t('jobs.ingest.results')}</h2>
            <p class="actions">
              <a class="button secondary" href={`${BASE}/${job.id}/results.csv`} download>
                {t('jobs.ingest.csv')}
              </a>
            </p>
            <OutcomeFilter
              label={t('jobs.ingest.filter')}
              all={{ href: href(undefined), text: t('jobs.ingest.all'), count: s.rows }}
              items={INGEST_OUTCOMES.map((o) => ({ value: o, href: href(o), text: t(`jobs.ingest.outcome.${o}`), count: s[o] }))}
              current={outcome}
            />
            {shown.length === 0 ? (
              <p class="muted">{t(running ? 'jobs.ingest.noneYet' : 'jobs.ingest.none')}</p>
            ) : (
              <div class="table-wrap">
                <table class="list stack import-report ingest-report" aria-labelledby="results-heading">
                  <thead>
                    <tr>
                      <th>#</th>
                      <th>{t('jobs.ingest.outcome')}</th>
                      <th>{t('jobs.ingest.label')}</th>
                      <th>{t('jobs.ingest.object')}</th>
                      <th>{t('jobs.ingest.problems')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {shown.map((r) => (
                      <tr class={`outcome-${r.outcome}`}>
                        <td class="seq">{r.seq}</td>
                        <td class="outcome">
                          <span class={`badge badge-ingest-${r.outcome}`}>{t(`jobs.ingest.outcome.${r.outcome}`)}</span>
                        </td>
                        <td data-label={t('jobs.ingest.label')} class={r.label ? 'title' : 'title empty'}>
                          {r.label ?? t('common.none')}
                        </td>
                        <td data-label={t('jobs.ingest.object')} class={r.objectId === null ? 'empty' : undefined}>
                          {r.objectId === null ? t('common.none') : <a href={`/staff/digital/${r.objectId}`}>{`#${r.objectId}`}</a>}
                        </td>
                        <td data-label={t('jobs.ingest.problems')} class={r.problems.length === 0 ? 'empty' : undefined}>
                          {r.problems.length === 0 ? (
                            t('common.none')
                          ) : (
                            <ul class="problems">
                              {r.problems.map((p) => (
                                <li class="problem-error">{problemText(t, p)}</li>
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
                    {t('dstaff.queue.first')}
                  </a>
                ) : null}
                {more ? (
                  <a class="button secondary" href={href(outcome, shown[shown.length - 1]!.seq)}>
                    {t('dstaff.queue.next')} →
                  </a>
                ) : null}
              </p>
            ) : null}
          </>
        ) : null}
        {running ? <script src={assetUrl('import-progress.js')} defer /> : null}
      </Layout>
    );
  };

  const loadJob = (req: FastifyRequest) => jobs.get(req.ctx.actor, param(req, 'id'));

  app.get(`${ROUTE}/:id`, async (req, reply) => {
    requireUser(req);
    return sendPage(reply, await jobPage(req, await loadJob(req)));
  });

  app.get(`${ROUTE}/:id/progress.json`, async (req, reply) => {
    requireUser(req);
    const job = await loadJob(req);
    const t = req.ctx.t;
    return reply.header('cache-control', 'no-store').send({
      id: job.id,
      status: job.status,
      statusText: jobStatusLabel(t, job.status),
      note: noteOf(t, job),
      finished: !UNFINISHED.includes(job.status),
      percent: percentOf(job),
      summary: job.kind === 'digital.ingest' ? ingestSummary(job) : {},
      error: job.status === 'failed' ? storedErrorText(t, job.error) : null,
    });
  });

  app.get(`${ROUTE}/:id/results.csv`, async (req, reply) => {
    requireUser(req);
    const job = await loadJob(req);
    if (job.kind !== 'digital.ingest') throw new AppError('NOT_FOUND');
    const t = req.ctx.t;
    async function* csv(): AsyncGenerator<Buffer> {
      // A byte-order mark so spreadsheet programs read the Vietnamese as UTF-8.
      yield Buffer.from('\uFEFF' + stringify([['seq', 'outcome', 'object_id', 'label', 'problems']]));
      let afterSeq: number | undefined;
      for (;;) {
        const rows = await services.ingest.results(job.id, { afterSeq, limit: 1000 });
        if (rows.length) yield Buffer.from(stringify(rows.map((r) => [r.seq, r.outcome, r.objectId ?? '', r.label ?? '', r.problems.map((p) => problemText(t, p)).join('; ')])));
        if (rows.length < 1000) return;
        afterSeq = rows[rows.length - 1]!.seq;
      }
    }
    return reply
      .type('text/csv; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-disposition', `attachment; filename="lienthong-ingest-${job.id}.csv"`)
      .send(Readable.from(csv()));
  });

  const act = (name: 'retry' | 'cancel') =>
    app.post(`${ROUTE}/:id/${name}`, async (req, reply) => {
      requireUser(req);
      const job = await loadJob(req);
      const back = formValues(req).back;
      try {
        if (name === 'retry') await jobs.retry(req.ctx.actor, job.id);
        else await jobs.cancel(req.ctx.actor, job.id);
      } catch (e) {
        const err = asFormError(e);
        return sendPage(reply, await jobPage(req, await loadJob(req), err), err.status);
      }
      // Back where the button was (the list keeps its filters), only ever to a jobs page.
      const to = back && /^\/staff\/jobs(?:\/\d+)?(?:\?[\w=&.%-]*)?$/.test(back) ? back : `${BASE}/${job.id}`;
      return reply.redirect(`${to}${to.includes('?') ? '&' : '?'}ok=jobs.${name === 'retry' ? 'retried' : 'cancelled'}`, 303);
    });
  act('retry');
  act('cancel');
}

function JobActions({ ctx, job, back }: { ctx: PageCtx; job: Job; back: string }) {
  const { t } = ctx;
  const retry = job.status === 'failed' || job.status === 'cancelled';
  const cancel = job.status === 'queued' || job.status === 'running';
  if (!retry && !cancel) return null;
  return (
    <div class="actions job-actions">
      {retry ? (
        <form method="post" action={`${BASE}/${job.id}/retry`} class="inline-form">
          <Csrf ctx={ctx} />
          <input type="hidden" name="back" value={back} />
          <button type="submit" class="secondary">
            {t('jobs.retry')}
          </button>
        </form>
      ) : null}
      {cancel ? (
        <form method="post" action={`${BASE}/${job.id}/cancel`} class="inline-form">
          <Csrf ctx={ctx} />
          <input type="hidden" name="back" value={back} />
          <button type="submit" class="danger">
            {t('jobs.cancel')}
          </button>
        </form>
      ) : null}
    </div>
  );
}

