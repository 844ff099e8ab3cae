/**
 * OAI-PMH harvesting for staff (`/staff/harvest`): the sources of the libraries where one holds
 * `interop.manage`, each with its last result; adding and editing a source (every problem shown
 * beside its field, in the reader's language); "Harvest now", which queues a job; a source's
 * harvests with their counts, and the records each harvest could not take.
 *
 * Forms are ordinary POST forms with the CSRF token in the body, like every staff page; nothing
 * needs JavaScript. Permissions are checked by `HarvestService` against the library tree; these
 * pages only hide what the user cannot do.
 */
import type { ComponentChildren } from 'preact';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../../domain/errors.js';
import type { OrgUnit } from '../../../domain/org/unit.js';
import { HARVEST_PREFIXES, decodeProblem } from '../../../app/interop/harvest-map.js';
import { HarvestSourceInvalid, decodeFailure, type SourceProblem } from '../../../app/interop/harvest.service.js';
import { HARVEST_TARGETS, type HarvestErrorRow, type HarvestRun, type HarvestSource } from '../../../app/interop/harvest.ports.js';
import type { Job } from '../../../app/ports.js';
import { hasMessage, type MessageKey } from '../../../i18n/i18n.js';
import type { Services } from '../../../main/container.js';
import { Breadcrumbs, Csrf, Layout, flashFromQuery, formatTime, pageCtx, sendPage, unitName, type Flash, type PageCtx } from '../render.js';
import { FormError, Section, asFormError, formValues, requireUser, type Values } from './forms.js';
import { idOf } from './digital-common.pages.js';

const BASE = '/staff/harvest';
const RUNS_PAGE = 30;
const ERRORS_PAGE = 100;
const FIELDS = ['code', 'name', 'baseUrl', 'setSpec', 'metadataPrefix', 'target', 'unitId', 'intervalHours'] as const;

function param(req: FastifyRequest, name: string): number {
  return idOf((req.params as Record<string, unknown>)[name]);
}

/** A library's name with its code. */
function label(ctx: PageCtx, u: OrgUnit | undefined, fallback: number): string {
  return u ? `${unitName(ctx, u)} (${u.code})` : `#${fallback}`;
}

function failureText(ctx: PageCtx, message: string | null): { reason: string; detail: string } | null {
  const f = decodeFailure(message);
  if (!f) return null;
  const key = `harvest.fail.${f.code}`;
  return { reason: hasMessage(key) ? ctx.t(key) : ctx.t('harvest.fail.internal'), detail: f.detail };
}

function problemText(ctx: PageCtx, e: HarvestErrorRow): { text: string; detail: string[] } {
  const p = decodeProblem(e.message);
  const key = `harvest.recordProblem.${p.code}`;
  const text = hasMessage(key) ? ctx.t(key, { count: p.detail ?? '' }) : ctx.t('harvest.recordProblem.other');
  const detail: string[] = [];
  for (const r of p.rules ?? []) {
    const ruleKey = `marc.rule.${r.code}`;
    detail.push(`${r.tag ? `${r.tag}: ` : ''}${hasMessage(ruleKey) ? ctx.t(ruleKey, r.params) : r.code}`);
  }
  if (p.detail && p.code !== 'hasItems') detail.push(p.detail);
  return { text, detail };
}

function RunBadge({ ctx, status }: { ctx: PageCtx; status: HarvestRun['status'] | 'never' | 'queued' }) {
  const cls = status === 'done' ? 'badge' : status === 'never' ? 'badge badge-closed' : `badge badge-job-${status}`;
  return <span class={cls}>{ctx.t(`harvest.status.${status}`)}</span>;
}

function Schedule({ ctx, s }: { ctx: PageCtx; s: HarvestSource }) {
  const { t } = ctx;
  if (!s.enabled) return <>{t('harvest.disabled')}</>;
  if (s.intervalHours === null) return <>{t('harvest.byHand')}</>;
  return (
    <>
      {t('harvest.everyHours', { hours: s.intervalHours })}
      {s.nextRunAt ? <span class="muted small"> · {t('harvest.nextRun', { time: formatTime(ctx, s.nextRunAt) })}</span> : null}
    </>
  );
}

function HarvestNowForm({ ctx, s }: { ctx: PageCtx; s: HarvestSource }) {
  return (
    <form method="post" action={`${BASE}/${s.id}/run`} class="inline">
      <Csrf ctx={ctx} />
      <button type="submit">{ctx.t('harvest.harvestNow')}</button>
    </form>
  );
}

/** A labelled input whose problems (from `HarvestSourceInvalid`) are named beside it. */
function HField(p: { ctx: PageCtx; name: (typeof FIELDS)[number]; label: string; values: Values; problems: readonly SourceProblem[]; help?: string; required?: boolean; type?: string; maxLength?: number; inputMode?: 'numeric' | 'url' | 'text'; children?: ComponentChildren }) {
  const id = `f-${p.name}`;
  const mine = p.problems.filter((x) => x.field === p.name);
  const describedBy = [p.help ? `${id}-help` : null, mine.length ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  return (
    <div class="field">
      <label for={id}>
        {p.label}
        {p.required ? <span class="muted small"> ({p.ctx.t('common.required')})</span> : null}
      </label>
      {p.children ?? (
        <input id={id} name={p.name} type={(p.type ?? 'text') as 'text'} value={p.values[p.name] ?? ''} required={p.required} maxLength={p.maxLength} inputMode={p.inputMode} aria-invalid={mine.length ? 'true' : undefined} aria-describedby={describedBy} autoComplete="off" />
      )}
      {p.help ? (
        <span class="help" id={`${id}-help`}>
          {p.help}
        </span>
      ) : null}
      {mine.length ? (
        <span class="field-error" id={`${id}-error`}>
          {mine.map((x) => p.ctx.t(`harvest.problem.${x.code}`, x.params)).join(' ')}
        </span>
      ) : null}
    </div>
  );
}

function valuesOf(s: HarvestSource): Values {
  return {
    code: s.code,
    name: s.name,
    baseUrl: s.baseUrl,
    setSpec: s.setSpec ?? '',
    metadataPrefix: s.metadataPrefix,
    target: s.target,
    unitId: String(s.unitId),
    intervalHours: s.intervalHours === null ? '' : String(s.intervalHours),
    enabled: s.enabled ? 'on' : '',
    version: String(s.version),
  };
}

export async function harvestPages(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { harvest, org } = opts.services;

  const unitsById = async () => new Map((await org.list()).map((u) => [u.id, u]));

  // ---------------------------------------------------------------- the list

  app.get('/harvest', async (req, reply) => {
    requireUser(req);
    const ctx = pageCtx(req);
    const { t } = ctx;
    const actor = req.ctx.actor;
    const units = await harvest.unitsFor(actor);
    if (units.length === 0) throw new AppError('PERMISSION_DENIED', { permission: 'interop.manage' });
    const sources = await harvest.sourcesFor(actor);
    const latest = await harvest.latestRuns(sources.map((s) => s.id));
    const open = new Map<number, Job>();
    for (const s of sources) {
      const j = await harvest.openJob(s.id);
      if (j) open.set(s.id, j);
    }
    const byId = await unitsById();
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('harvest.title')} staff flash={flashFromQuery(ctx, req.query)}>
        <h1>{t('harvest.title')}</h1>
        <p class="lead">{t('harvest.intro')}</p>
        <p class="actions">
          <a class="button" href={`${BASE}/new`}>
            {t('harvest.add')}
          </a>
        </p>
        {sources.length === 0 ? (
          <p class="muted">{t('harvest.none')}</p>
        ) : (
          <ul class="plain harvest-sources" aria-label={t('harvest.sourcesLabel')}>
            {sources.map((s) => {
              const run = latest.get(s.id);
              const job = open.get(s.id);
              const failure = run?.status === 'failed' ? failureText(ctx, run.message) : null;
              return (
                <li class="card harvest-source">
                  <h2>
                    <a href={`${BASE}/${s.id}`}>{s.name}</a> <span class="muted small">({s.code})</span>
                  </h2>
                  <dl class="facts">
                    <dt>{t('harvest.library')}</dt>
                    <dd>{label(ctx, byId.get(s.unitId), s.unitId)}</dd>
                    <dt>{t('harvest.address')}</dt>
                    <dd>
                      <code>{s.baseUrl}</code>
                      {s.setSpec ? <span class="muted small"> · set {s.setSpec}</span> : null}
                    </dd>
                    <dt>{t('harvest.format')}</dt>
                    <dd>
                      {t(`harvest.prefix.${s.metadataPrefix}` as MessageKey)} → {t(`harvest.target.${s.target}`)}
                    </dd>
                    <dt>{t('harvest.schedule')}</dt>
                    <dd>
                      <Schedule ctx={ctx} s={s} />
                    </dd>
                    <dt>{t('harvest.lastStatus')}</dt>
                    <dd data-field="status">
                      {job ? <RunBadge ctx={ctx} status={job.status === 'running' ? 'running' : 'queued'} /> : <RunBadge ctx={ctx} status={run?.status ?? 'never'} />}
                      {run ? <span class="small"> {formatTime(ctx, run.finishedAt ?? run.startedAt)} · {t('harvest.lastRunCounts', { added: run.added, updated: run.updated, deleted: run.deleted, failed: run.failed })}</span> : null}
                      {failure ? <span class="field-error"> {failure.reason}</span> : null}
                    </dd>
                  </dl>
                  <div class="actions">
                    <HarvestNowForm ctx={ctx} s={s} />
                    <a class="button secondary" href={`${BASE}/${s.id}`}>
                      {t('harvest.open')}
                    </a>
                    <a class="button secondary" href={`${BASE}/${s.id}/edit`}>
                      {t('harvest.edit')}
                    </a>
                  </div>
                </li>
              );
            })}
          </ul>
        )}
      </Layout>,
    );
  });

  // ---------------------------------------------------------------- add, edit

  const formPage = async (req: FastifyRequest, o: { source?: HarvestSource; values: Values; error?: AppError }) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const units = await harvest.unitsFor(req.ctx.actor);
    const problems = o.error instanceof HarvestSourceInvalid ? o.error.problems : [];
    const title = o.source ? t('harvest.form.editTitle', { name: o.source.name }) : t('harvest.form.newTitle');
    const action = o.source ? `${BASE}/${o.source.id}/edit` : `${BASE}/new`;
    const v = o.values;
    const select = (name: 'metadataPrefix' | 'target' | 'unitId', options: Array<[string, string]>, placeholder?: string) => {
      const mine = problems.some((x) => x.field === name);
      return (
        <select id={`f-${name}`} name={name} required aria-invalid={mine ? 'true' : undefined} aria-describedby={[name === 'target' ? `f-${name}-help` : null, mine ? `f-${name}-error` : null].filter(Boolean).join(' ') || undefined}>
          {placeholder !== undefined ? (
            <option value="" selected={!v[name]}>
              {placeholder}
            </option>
          ) : null}
          {options.map(([value, text]) => (
            <option value={value} selected={value === v[name]}>
              {text}
            </option>
          ))}
        </select>
      );
    };
    return (
      <Layout ctx={ctx} title={title} staff>
        <Breadcrumbs label={t('nav.menu')} items={[[BASE, t('harvest.title')], ...(o.source ? ([[`${BASE}/${o.source.id}`, o.source.name]] as Array<[string, string]>) : [])]} />
        <h1>{title}</h1>
        {o.error ? (
          problems.length > 0 ? (
            <p class="flash flash-error" role="alert">
              {t('harvest.form.invalid')}
            </p>
          ) : o.error.code === 'CONFLICT' ? (
            <p class="flash flash-error" role="alert">
              {t('harvest.form.stale')}
            </p>
          ) : (
            <FormError ctx={ctx} error={o.error} />
          )
        ) : null}
        <form method="post" action={action} class="stack card harvest-form" noValidate>
          <Csrf ctx={ctx} />
          {o.source ? <input type="hidden" name="version" value={v.version ?? String(o.source.version)} /> : null}
          <HField ctx={ctx} name="name" label={t('harvest.form.name')} values={v} problems={problems} required maxLength={200} />
          <HField ctx={ctx} name="code" label={t('harvest.form.code')} values={v} problems={problems} required maxLength={40} help={t('harvest.form.codeHelp')} />
          <HField ctx={ctx} name="baseUrl" label={t('harvest.form.baseUrl')} values={v} problems={problems} required type="url" inputMode="url" maxLength={1000} help={t('harvest.form.baseUrlHelp')} />
          <HField ctx={ctx} name="setSpec" label={t('harvest.form.setSpec')} values={v} problems={problems} maxLength={200} help={t('harvest.form.setSpecHelp')} />
          <HField ctx={ctx} name="metadataPrefix" label={t('harvest.form.metadataPrefix')} values={v} problems={problems} required>
            {select(
              'metadataPrefix',
              Object.keys(HARVEST_PREFIXES).map((p) => [p, t(`harvest.prefix.${p}` as MessageKey)]),
            )}
          </HField>
          <HField ctx={ctx} name="target" label={t('harvest.form.target')} values={v} problems={problems} required help={`${t('harvest.targetHelp.catalog')} ${t('harvest.targetHelp.digital')}`}>
            {select(
              'target',
              HARVEST_TARGETS.map((x) => [x, t(`harvest.target.${x}`)]),
            )}
          </HField>
          <HField ctx={ctx} name="unitId" label={t('harvest.form.unit')} values={v} problems={problems} required>
            {select(
              'unitId',
              units.map((u) => [String(u.id), `${'— '.repeat(Math.max(0, u.depth - (units[0]?.depth ?? 0)))}${unitName(ctx, u)} (${u.code})`]),
              t('harvest.form.chooseUnit'),
            )}
          </HField>
          <HField ctx={ctx} name="intervalHours" label={t('harvest.form.interval')} values={v} problems={problems} inputMode="numeric" maxLength={4} help={t('harvest.form.intervalHelp')} />
          <label class="choice">
            <input type="checkbox" name="enabled" checked={v.enabled === 'on'} />
            <span>{t('harvest.form.enabled')}</span>
          </label>
          {o.source ? <p class="help small">{t('harvest.form.resetNote')}</p> : null}
          <div class="actions">
            <button type="submit">{o.source ? t('harvest.form.save') : t('harvest.form.create')}</button>
            <a class="button secondary" href={o.source ? `${BASE}/${o.source.id}` : BASE}>
              {t('harvest.form.cancel')}
            </a>
          </div>
        </form>
      </Layout>
    );
  };

  /** The form's fields as the service takes them; an unticked checkbox sends nothing. */
  const input = (v: Values) => ({ ...Object.fromEntries(FIELDS.map((f) => [f, v[f] ?? ''])), enabled: v.enabled === 'on' });

  app.get('/harvest/new', async (req, reply) => {
    requireUser(req);
    const units = await harvest.unitsFor(req.ctx.actor);
    if (units.length === 0) throw new AppError('PERMISSION_DENIED', { permission: 'interop.manage' });
    return sendPage(reply, await formPage(req, { values: { metadataPrefix: 'oai_dc', target: 'catalog', enabled: 'on', unitId: units.length === 1 ? String(units[0]!.id) : '' } }));
  });

  app.post('/harvest/new', async (req, reply) => {
    requireUser(req);
    const v = formValues(req);
    try {
      const s = await harvest.create(req.ctx.actor, input(v));
      return reply.redirect(`${BASE}/${s.id}?ok=harvest.created`, 303);
    } catch (e) {
      const err = asFormError(e);
      return sendPage(reply, await formPage(req, { values: v, error: err }), err.status);
    }
  });

  app.get('/harvest/:id/edit', async (req, reply) => {
    requireUser(req);
    const s = await harvest.source(req.ctx.actor, param(req, 'id'));
    return sendPage(reply, await formPage(req, { source: s, values: valuesOf(s) }));
  });

  app.post('/harvest/:id/edit', async (req, reply) => {
    requireUser(req);
    const s = await harvest.source(req.ctx.actor, param(req, 'id'));
    const v = formValues(req);
    try {
      const version = /^\d{1,9}$/.test(v.version ?? '') ? Number(v.version) : -1;
      await harvest.update(req.ctx.actor, s.id, { ...input(v), version });
      return reply.redirect(`${BASE}/${s.id}?ok=harvest.updated`, 303);
    } catch (e) {
      const err = asFormError(e);
      return sendPage(reply, await formPage(req, { source: s, values: v, error: err }), err.status);
    }
  });

  app.post('/harvest/:id/delete', async (req, reply) => {
    requireUser(req);
    const v = formValues(req);
    const version = /^\d{1,9}$/.test(v.version ?? '') ? Number(v.version) : undefined;
    await harvest.delete(req.ctx.actor, param(req, 'id'), version);
    return reply.redirect(`${BASE}?ok=harvest.deleted`, 303);
  });

  app.post('/harvest/:id/run', async (req, reply) => {
    requireUser(req);
    const { queued } = await harvest.harvestNow(req.ctx.actor, param(req, 'id'));
    return reply.redirect(`${BASE}/${param(req, 'id')}?ok=${queued ? 'harvest.queued' : 'harvest.alreadyQueued'}`, 303);
  });

  // ---------------------------------------------------------------- one source

  app.get('/harvest/:id', async (req, reply) => {
    requireUser(req);
    const ctx = pageCtx(req);
    const { t } = ctx;
    const s = await harvest.source(req.ctx.actor, param(req, 'id'));
    const q = (req.query ?? {}) as Record<string, unknown>;
    const before = typeof q.before === 'string' && /^\d{1,10}$/.test(q.before) ? Number(q.before) : undefined;
    const runs = await harvest.runs(req.ctx.actor, s.id, { limit: RUNS_PAGE, ...(before !== undefined ? { beforeId: before } : {}) });
    const counts = await harvest.counts(s.id);
    const job = await harvest.openJob(s.id);
    const unit = (await unitsById()).get(s.unitId);
    const flash: Flash | undefined = flashFromQuery(ctx, req.query);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={s.name} staff flash={flash}>
        <Breadcrumbs label={t('nav.menu')} items={[[BASE, t('harvest.title')]]} />
        <h1>
          {s.name} <span class="muted small">({s.code})</span>
        </h1>
        <div class="actions">
          <HarvestNowForm ctx={ctx} s={s} />
          <a class="button secondary" href={`${BASE}/${s.id}/edit`}>
            {t('harvest.edit')}
          </a>
        </div>
        {job ? (
          <p class="flash flash-ok" role="status">
            {t('harvest.source.openJob', { job: job.id, status: t(job.status === 'running' ? 'harvest.status.running' : 'harvest.status.queued') })}
          </p>
        ) : null}
        <Section title={t('harvest.source.facts')} id="facts-heading">
          <dl class="facts">
            <dt>{t('harvest.library')}</dt>
            <dd>{label(ctx, unit, s.unitId)}</dd>
            <dt>{t('harvest.address')}</dt>
            <dd>
              <code>{s.baseUrl}</code>
            </dd>
            <dt>{t('harvest.form.setSpec')}</dt>
            <dd>{s.setSpec ?? t('common.none')}</dd>
            <dt>{t('harvest.format')}</dt>
            <dd>{t(`harvest.prefix.${s.metadataPrefix}` as MessageKey)}</dd>
            <dt>{t('harvest.target')}</dt>
            <dd>{t(`harvest.target.${s.target}`)}</dd>
            <dt>{t('harvest.schedule')}</dt>
            <dd>
              <Schedule ctx={ctx} s={s} />
            </dd>
            <dt>{t('harvest.harvestedUntil')}</dt>
            <dd>{s.harvestedUntil ?? t('common.none')}</dd>
            <dt>{t('harvest.source.records')}</dt>
            <dd>{t('harvest.source.recordsCount', { live: counts.live, deleted: counts.deleted })}</dd>
          </dl>
        </Section>
        <h2 id="runs-heading">{t('harvest.runs.title')}</h2>
        {runs.length === 0 ? (
          <p class="muted">{t('harvest.runs.none')}</p>
        ) : (
          <div class="table-wrap">
            <table class="list stack harvest-runs" aria-labelledby="runs-heading">
              <thead>
                <tr>
                  <th>{t('harvest.runs.started')}</th>
                  <th>{t('harvest.runs.status')}</th>
                  <th>{t('harvest.runs.pages')}</th>
                  <th>{t('harvest.runs.added')}</th>
                  <th>{t('harvest.runs.updated')}</th>
                  <th>{t('harvest.runs.deleted')}</th>
                  <th>{t('harvest.runs.failed')}</th>
                  <th>{t('harvest.runs.details')}</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((r) => {
                  const failure = r.status === 'failed' ? failureText(ctx, r.message) : null;
                  return (
                    <tr>
                      <td data-label={t('harvest.runs.started')} class="nowrap">
                        {formatTime(ctx, r.startedAt)}
                      </td>
                      <td data-label={t('harvest.runs.status')}>
                        <RunBadge ctx={ctx} status={r.status} />
                        {failure ? <span class="small"> {failure.reason}</span> : null}
                      </td>
                      <td data-label={t('harvest.runs.pages')}>{r.pages}</td>
                      <td data-label={t('harvest.runs.added')}>{r.added}</td>
                      <td data-label={t('harvest.runs.updated')}>{r.updated}</td>
                      <td data-label={t('harvest.runs.deleted')}>{r.deleted}</td>
                      <td data-label={t('harvest.runs.failed')}>{r.failed}</td>
                      <td data-label={t('harvest.runs.details')}>
                        <a href={`${BASE}/runs/${r.id}`}>{`#${r.id}`}</a>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {runs.length === RUNS_PAGE ? (
          <p class="actions">
            <a class="button secondary" href={`${BASE}/${s.id}?before=${runs[runs.length - 1]!.id}`}>
              {t('harvest.run.moreErrors')}
            </a>
          </p>
        ) : null}
        <Section title={t('harvest.delete')} id="delete-heading">
          <p class="small">{t('harvest.deleteHelp')}</p>
          <form method="post" action={`${BASE}/${s.id}/delete`} class="inline">
            <Csrf ctx={ctx} />
            <input type="hidden" name="version" value={String(s.version)} />
            <button type="submit" class="danger">
              {t('harvest.delete')}
            </button>
          </form>
        </Section>
      </Layout>,
    );
  });

  // ---------------------------------------------------------------- one run

  app.get('/harvest/runs/:run', async (req, reply) => {
    requireUser(req);
    const ctx = pageCtx(req);
    const { t } = ctx;
    const { run, source } = await harvest.run(req.ctx.actor, param(req, 'run'));
    const q = (req.query ?? {}) as Record<string, unknown>;
    const after = typeof q.after === 'string' && /^\d{1,10}$/.test(q.after) ? Number(q.after) : undefined;
    const { errors, total } = await harvest.errors(req.ctx.actor, run.id, { limit: ERRORS_PAGE, ...(after !== undefined ? { afterId: after } : {}) });
    const failure = run.status === 'failed' ? failureText(ctx, run.message) : null;
    const title = t('harvest.run.title', { id: run.id, name: source.name });
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title} staff>
        <Breadcrumbs
          label={t('nav.menu')}
          items={[
            [BASE, t('harvest.title')],
            [`${BASE}/${source.id}`, source.name],
          ]}
        />
        <h1>{title}</h1>
        <section class="card" aria-labelledby="run-heading">
          <h2 id="run-heading">
            {t('harvest.runs.status')}: <RunBadge ctx={ctx} status={run.status} />
          </h2>
          <p data-field="counts">{t('harvest.run.counts', { pages: run.pages, added: run.added, updated: run.updated, deleted: run.deleted, failed: run.failed })}</p>
          {failure ? (
            <div class="flash flash-error" role="alert">
              <p>
                <strong>{t('harvest.run.why')}:</strong> {failure.reason}
              </p>
              {failure.detail ? (
                <p class="small">
                  <code>{failure.detail}</code>
                </p>
              ) : null}
            </div>
          ) : null}
          {run.status !== 'done' && run.resumptionToken ? <p class="small">{t('harvest.run.resumable')}</p> : null}
          <dl class="facts">
            <dt>{t('harvest.runs.started')}</dt>
            <dd>{formatTime(ctx, run.startedAt)}</dd>
            <dt>{t('harvest.run.finished')}</dt>
            <dd>{formatTime(ctx, run.finishedAt)}</dd>
            <dt>{t('harvest.run.from')}</dt>
            <dd>{run.fromStamp ?? t('harvest.run.fromAll')}</dd>
            <dt>{t('harvest.run.responseDate')}</dt>
            <dd>{run.responseDate ?? t('common.none')}</dd>
          </dl>
        </section>
        {total === 0 && run.status !== 'done' ? null : <h2 id="errors-heading">{t('harvest.run.errors', { count: total })}</h2>}
        {total === 0 ? (
          run.status === 'done' ? <p class="muted">{t('harvest.run.noErrors')}</p> : null
        ) : (
          <div class="table-wrap">
            <table class="list stack harvest-errors" aria-labelledby="errors-heading">
              <thead>
                <tr>
                  <th>{t('harvest.run.identifier')}</th>
                  <th>{t('harvest.run.problem')}</th>
                </tr>
              </thead>
              <tbody>
                {errors.map((e) => {
                  const p = problemText(ctx, e);
                  return (
                    <tr>
                      <td data-label={t('harvest.run.identifier')}>
                        <code>{e.identifier ?? t('common.none')}</code>
                      </td>
                      <td data-label={t('harvest.run.problem')}>
                        {p.text}
                        {p.detail.length > 0 ? (
                          <ul class="small">
                            {p.detail.map((d) => (
                              <li>{d}</li>
                            ))}
                          </ul>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {errors.length === ERRORS_PAGE ? (
          <p class="actions">
            <a class="button secondary" href={`${BASE}/runs/${run.id}?after=${errors[errors.length - 1]!.id}`}>
              {t('harvest.run.moreErrors')}
            </a>
          </p>
        ) : null}
      </Layout>,
    );
  });
}
