/**
 * The digital library's network-level pages: collections (list with object counts, create, edit)
 * and the plan's progress (per library and category: what it declared it holds, what is
 * published, the share against the 70 % target, how many are still to go, the workflow's
 * pipeline per library), with the form where a library declares its holdings.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../../domain/errors.js';
import { DIGITISATION_TARGET, PLAN_CATEGORIES, WORKFLOW_STATES, type PlanCategory, type WorkflowState } from '../../../domain/digital/object.js';
import type { OrgUnit } from '../../../domain/org/unit.js';
import type { ProgressRow } from '../../../app/digital/digital.service.js';
import type { DigitalCollection } from '../../../app/ports.js';
import { Csrf, Layout, flashFromQuery, pageCtx, sendPage, unitName, type PageCtx } from '../render.js';
import { asFormError, formValues, requireUser, type Values } from './forms.js';
import { BASE, ROUTE, DigitalNav, DigitalStyles, ErrorBanner, FieldBox, appErrorText, categoryLabel, describedBy, param, queryId, stateLabel, treeOrder, unitOptions } from './digital-common.pages.js';
import type { DigitalDeps } from './digital.pages.js';

const percent = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

/** A bar of `share` (0–1) with the plan's target marked; the number is written beside it. */
function Bar({ share }: { share: number | null }) {
  const w = share === null ? 0 : Math.max(0, Math.min(100, Math.round(share * 100)));
  return (
    <span class={`pbar ${share !== null && share >= DIGITISATION_TARGET ? 'pbar-met' : ''}`} aria-hidden="true">
      <span class={`pbar-fill w-${w}`} />
      <span class="pbar-target" />
    </span>
  );
}

interface Totals {
  held: number;
  published: number;
  /** Published in categories a library declared (what the share counts). */
  counted: number;
  toTarget: number;
}

function totalsOf(rows: readonly ProgressRow[]): Totals {
  const t: Totals = { held: 0, published: 0, counted: 0, toTarget: 0 };
  for (const r of rows) {
    t.held += r.held;
    t.published += r.published;
    if (r.held > 0) t.counted += Math.min(r.published, r.held);
    t.toTarget += r.toTarget;
  }
  return t;
}

function ShareCell({ ctx, share }: { ctx: PageCtx; share: number | null }) {
  const p = percent(share);
  return (
    <span class="share">
      <Bar share={share} />
      <span class="share-num">{p === null ? ctx.t('common.none') : `${new Intl.NumberFormat(ctx.locale === 'vi' ? 'vi-VN' : 'en-GB').format(p)} %`}</span>
    </span>
  );
}

export function adminRoutes(app: FastifyInstance, deps: DigitalDeps): void {
  const { services } = deps;
  const { digital, org } = services;

  // ---------------------------------------------------------------- collections

  const collectionName = (ctx: PageCtx, c: DigitalCollection) => (ctx.locale === 'en' ? c.nameEn : c.nameVi);

  const listPage = async (req: FastifyRequest, values: Values = {}, error?: AppError) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const [collections, units, managed] = await Promise.all([digital.collections({}), org.list(), digital.unitsWhere(req.ctx.actor, 'digital.collection.manage')]);
    const byId = new Map(units.map((u) => [u.id, u]));
    const mayManage = new Set(managed.map((u) => u.id));
    const field = (name: string, label: string, opts: { help?: string; max?: number; required?: boolean } = {}) => (
      <FieldBox ctx={ctx} id={`c-${name}`} label={label} help={opts.help} required={opts.required}>
        <input type="text" id={`c-${name}`} name={name} value={values[name] ?? ''} maxLength={opts.max ?? 200} required={opts.required} aria-describedby={describedBy(`c-${name}`, !!opts.help, false)} />
      </FieldBox>
    );
    return (
      <Layout ctx={ctx} title={t('dstaff.collections.title')} staff flash={flashFromQuery(ctx, req.query)}>
        <DigitalStyles />
        <DigitalNav ctx={ctx} />
        <h1>{t('dstaff.collections.title')}</h1>
        {collections.length === 0 ? (
          <p class="card muted">{t('dstaff.collections.none')}</p>
        ) : (
          <div class="table-wrap collections-wrap">
            <table class="list stack collections-table">
              <thead>
                <tr>
                  <th>{t('dstaff.collections.name')}</th>
                  <th>{t('dstaff.collections.code')}</th>
                  <th>{t('dstaff.f.owner')}</th>
                  <th>{t('dstaff.collections.objects')}</th>
                  <th>{t('common.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {collections.map((c) => {
                  const u = byId.get(c.ownerUnitId);
                  return (
                    <tr>
                      <td class="title">
                        <strong>{collectionName(ctx, c)}</strong>
                        {c.description ? <span class="small muted block">{c.description}</span> : null}
                      </td>
                      <td data-label={t('dstaff.collections.code')}>
                        <code>{c.code}</code>
                      </td>
                      <td data-label={t('dstaff.f.owner')}>{u ? unitName(ctx, u) : `#${c.ownerUnitId}`}</td>
                      <td data-label={t('dstaff.collections.objects')}>
                        <a href={`${BASE}?collection=${c.id}`}>{c.objects}</a>
                      </td>
                      <td data-label={t('common.actions')}>
                        {mayManage.has(c.ownerUnitId) ? <a href={`${BASE}/collections/${c.id}`}>{t('dstaff.collections.edit')}</a> : <span class="muted">{t('common.none')}</span>}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {managed.length > 0 ? (
          <section class="card" aria-labelledby="new-collection-heading">
            <h2 id="new-collection-heading">{t('dstaff.collections.new')}</h2>
            {error ? <ErrorBanner text={appErrorText(t, error)} /> : null}
            <form method="post" action={`${BASE}/collections`} class="stack">
              <Csrf ctx={ctx} />
              <FieldBox ctx={ctx} id="c-unit" label={t('dstaff.f.owner')}>
                <select id="c-unit" name="unit" required>
                  {unitOptions(ctx, managed).map(([v, l]) => (
                    <option value={v} selected={v === values.unit}>
                      {l}
                    </option>
                  ))}
                </select>
              </FieldBox>
              {field('code', t('dstaff.collections.code'), { help: t('dstaff.collections.codeHelp'), max: 64, required: true })}
              <div class="row-2">
                {field('nameVi', t('dstaff.collections.nameVi'), { required: true })}
                {field('nameEn', t('dstaff.collections.nameEn'))}
              </div>
              <FieldBox ctx={ctx} id="c-description" label={t('dstaff.collections.description')}>
                <textarea id="c-description" name="description" rows={3} maxLength={4000}>
                  {values.description ?? ''}
                </textarea>
              </FieldBox>
              <div>
                <button type="submit">{t('dstaff.collections.create')}</button>
              </div>
            </form>
          </section>
        ) : null}
      </Layout>
    );
  };

  app.get(`${ROUTE}/collections`, async (req, reply) => {
    requireUser(req);
    return sendPage(reply, await listPage(req));
  });

  app.post(`${ROUTE}/collections`, async (req, reply) => {
    requireUser(req);
    const v = formValues(req);
    try {
      const unit = queryId(v.unit);
      if (unit === undefined) throw new AppError('ORG_UNIT_NOT_FOUND', { unit: (v.unit ?? '').slice(0, 12) });
      await digital.createCollection(req.ctx.actor, { ownerUnitId: unit, code: v.code ?? '', nameVi: v.nameVi ?? '', nameEn: v.nameEn, description: v.description ?? null });
      return reply.redirect(`${BASE}/collections?ok=dstaff.collections.created`, 303);
    } catch (e) {
      const err = asFormError(e);
      return sendPage(reply, await listPage(req, v, err), err.status);
    }
  });

  const editPage = async (req: FastifyRequest, c: DigitalCollection, values: Values, error?: AppError) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const owner = await org.get(c.ownerUnitId).catch(() => undefined);
    return (
      <Layout ctx={ctx} title={collectionName(ctx, c)} staff>
        <DigitalStyles />
        <DigitalNav ctx={ctx} />
        <p>
          <a href={`${BASE}/collections`}>← {t('dstaff.collections.title')}</a>
        </p>
        <h1>{collectionName(ctx, c)}</h1>
        {error ? <ErrorBanner text={appErrorText(t, error)} /> : null}
        <form method="post" action={`${BASE}/collections/${c.id}`} class="stack card">
          <Csrf ctx={ctx} />
          <input type="hidden" name="version" value={values.version ?? String(c.version)} />
          <dl class="facts compact">
            <dt>{t('dstaff.collections.code')}</dt>
            <dd>
              <code>{c.code}</code>
            </dd>
            <dt>{t('dstaff.f.owner')}</dt>
            <dd>{owner ? unitName(ctx, owner) : `#${c.ownerUnitId}`}</dd>
          </dl>
          <p class="help">{t('dstaff.collections.fixed')}</p>
          <div class="row-2">
            <FieldBox ctx={ctx} id="c-nameVi" label={t('dstaff.collections.nameVi')} required>
              <input type="text" id="c-nameVi" name="nameVi" value={values.nameVi ?? ''} maxLength={200} required />
            </FieldBox>
            <FieldBox ctx={ctx} id="c-nameEn" label={t('dstaff.collections.nameEn')}>
              <input type="text" id="c-nameEn" name="nameEn" value={values.nameEn ?? ''} maxLength={200} />
            </FieldBox>
          </div>
          <FieldBox ctx={ctx} id="c-description" label={t('dstaff.collections.description')}>
            <textarea id="c-description" name="description" rows={4} maxLength={4000}>
              {values.description ?? ''}
            </textarea>
          </FieldBox>
          <p class="actions">
            <button type="submit">{t('dstaff.form.save')}</button>
            <a href={`${BASE}?collection=${c.id}`}>{t('dstaff.collections.seeObjects')}</a>
          </p>
        </form>
      </Layout>
    );
  };

  app.get(`${ROUTE}/collections/:cid`, async (req, reply) => {
    requireUser(req);
    const c = await digital.collection(param(req, 'cid'));
    // Nobody fills in a form that cannot be saved (the service checks again on saving).
    if (!(await digital.unitsWhere(req.ctx.actor, 'digital.collection.manage')).some((u) => u.id === c.ownerUnitId)) {
      throw new AppError('PERMISSION_DENIED', { permission: 'digital.collection.manage', unit: c.ownerUnitId });
    }
    return sendPage(reply, await editPage(req, c, { nameVi: c.nameVi, nameEn: c.nameEn, description: c.description ?? '', version: String(c.version) }));
  });

  app.post(`${ROUTE}/collections/:cid`, async (req, reply) => {
    requireUser(req);
    const c = await digital.collection(param(req, 'cid'));
    const v = formValues(req);
    try {
      const version = v.version && /^\d{1,9}$/.test(v.version) ? Number(v.version) : -1;
      await digital.updateCollection(req.ctx.actor, c.id, { nameVi: v.nameVi ?? '', nameEn: v.nameEn, description: v.description ?? null, version });
      return reply.redirect(`${BASE}/collections?ok=dstaff.collections.saved`, 303);
    } catch (e) {
      const err = asFormError(e);
      return sendPage(reply, await editPage(req, c, v, err), err.status);
    }
  });

  // ---------------------------------------------------------------- progress

  const progressPage = async (req: FastifyRequest, error?: AppError, values?: Values) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const [rows, counts, units, targetUnits] = await Promise.all([digital.progress(), digital.stateCounts(), org.list(), digital.unitsWhere(req.ctx.actor, 'digital.targets.manage')]);
    const nf = new Intl.NumberFormat(ctx.locale === 'vi' ? 'vi-VN' : 'en-GB');
    const byUnit = new Map<number, ProgressRow[]>();
    for (const r of rows) byUnit.set(r.unitId, [...(byUnit.get(r.unitId) ?? []), r]);
    const pipeline = new Map<number, Map<WorkflowState, number>>();
    for (const c of counts) {
      const m = pipeline.get(c.unitId) ?? new Map<WorkflowState, number>();
      m.set(c.state, (m.get(c.state) ?? 0) + c.count);
      pipeline.set(c.unitId, m);
    }
    const shownUnits = treeOrder(
      ctx,
      units.filter((u) => byUnit.has(u.id) || pipeline.has(u.id)),
    );
    const network = totalsOf(rows);
    const q = req.query as { unit?: string };
    const formUnit: OrgUnit | undefined = targetUnits.find((u) => u.id === (queryId(values?.unit ?? q.unit) ?? req.ctx.user?.homeUnitId)) ?? targetUnits[0];
    const current = new Map((formUnit ? (byUnit.get(formUnit.id) ?? []) : []).map((r) => [r.category, r.held]));
    const target = Math.round(DIGITISATION_TARGET * 100);
    return (
      <Layout ctx={ctx} title={t('dstaff.progress.title')} staff flash={flashFromQuery(ctx, req.query)}>
        <DigitalStyles />
        <DigitalNav ctx={ctx} />
        <h1>{t('dstaff.progress.title')}</h1>
        <p class="lead">{t('dstaff.progress.intro', { target })}</p>
        <section class="card network-total" aria-labelledby="network-heading">
          <h2 id="network-heading">{t('dstaff.progress.network')}</h2>
          <ul class="stats">
            <li>
              <span class="num">{nf.format(network.held)}</span>
              {t('dstaff.progress.held')}
            </li>
            <li>
              <span class="num">{nf.format(network.published)}</span>
              {t('dstaff.progress.published')}
            </li>
            <li>
              <span class="num">{network.held > 0 ? `${nf.format(percent(network.counted / network.held)!)} %` : t('common.none')}</span>
              {t('dstaff.progress.share')}
            </li>
            <li>
              <span class="num">{nf.format(network.toTarget)}</span>
              {t('dstaff.progress.toGo', { target })}
            </li>
          </ul>
          <ShareCell ctx={ctx} share={network.held > 0 ? network.counted / network.held : null} />
        </section>
        {shownUnits.length === 0 ? <p class="card muted">{t('dstaff.progress.none')}</p> : null}
        {shownUnits.map(({ unit, level }) => {
          const list = (byUnit.get(unit.id) ?? []).filter((r) => r.held > 0 || r.published > 0);
          const tot = totalsOf(list);
          const pipe = pipeline.get(unit.id);
          return (
            <section class={`card unit-progress level-${Math.min(level, 4)}`} aria-labelledby={`u-${unit.id}`}>
              <h2 id={`u-${unit.id}`}>
                {unitName(ctx, unit)} <span class="muted small">({unit.code})</span>
              </h2>
              {list.length > 0 ? (
                <div class="table-wrap">
                  <table class="list stack progress-table">
                    <thead>
                      <tr>
                        <th>{t('dstaff.f.category')}</th>
                        <th>{t('dstaff.progress.held')}</th>
                        <th>{t('dstaff.progress.published')}</th>
                        <th>{t('dstaff.progress.share')}</th>
                        <th>{t('dstaff.progress.toGo', { target })}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {list.map((r) => (
                        <tr>
                          <td class="title">{categoryLabel(t, r.category)}</td>
                          <td data-label={t('dstaff.progress.held')}>{r.held > 0 ? nf.format(r.held) : t('dstaff.progress.undeclared')}</td>
                          <td data-label={t('dstaff.progress.published')}>{nf.format(r.published)}</td>
                          <td data-label={t('dstaff.progress.share')}>
                            <ShareCell ctx={ctx} share={r.share} />
                          </td>
                          <td data-label={t('dstaff.progress.toGo', { target })}>{r.held > 0 ? nf.format(r.toTarget) : t('common.none')}</td>
                        </tr>
                      ))}
                    </tbody>
                    <tfoot>
                      <tr class="total">
                        <td class="title">{t('dstaff.progress.total')}</td>
                        <td data-label={t('dstaff.progress.held')}>{nf.format(tot.held)}</td>
                        <td data-label={t('dstaff.progress.published')}>{nf.format(tot.published)}</td>
                        <td data-label={t('dstaff.progress.share')}>
                          <ShareCell ctx={ctx} share={tot.held > 0 ? tot.counted / tot.held : null} />
                        </td>
                        <td data-label={t('dstaff.progress.toGo', { target })}>{nf.format(tot.toTarget)}</td>
                      </tr>
                    </tfoot>
                  </table>
                </div>
              ) : (
                <p class="muted small">{t('dstaff.progress.nothingDeclared')}</p>
              )}
              {pipe ? (
                <ul class="pipeline" aria-label={t('dstaff.progress.pipeline')}>
                  {WORKFLOW_STATES.map((s) => (
                    <li class={`dstate-${s}`}>
                      <span class="num">{nf.format(pipe.get(s) ?? 0)}</span> {stateLabel(t, s)}
                    </li>
                  ))}
                </ul>
              ) : null}
            </section>
          );
        })}
        {targetUnits.length > 0 && formUnit ? (
          <section class="card targets" aria-labelledby="targets-heading" id="targets">
            <h2 id="targets-heading">{t('dstaff.progress.declare')}</h2>
            <p class="help">{t('dstaff.progress.declareHelp')}</p>
            <form method="get" action={`${BASE}/progress#targets`} class="unit-switch">
              <label for="t-unit-pick">{t('dstaff.f.owner')}</label>
              <select id="t-unit-pick" name="unit">
                {unitOptions(ctx, targetUnits).map(([v, l]) => (
                  <option value={v} selected={v === String(formUnit.id)}>
                    {l}
                  </option>
                ))}
              </select>
              <button type="submit" class="secondary">
                {t('dstaff.progress.show')}
              </button>
            </form>
            {error ? <ErrorBanner text={appErrorText(t, error)} /> : null}
            <form method="post" action={`${BASE}/progress/targets`} class="targets-form">
              <Csrf ctx={ctx} />
              <input type="hidden" name="unit" value={String(formUnit.id)} />
              <p>
                <strong>{unitName(ctx, formUnit)}</strong>
              </p>
              <div class="target-grid">
                {PLAN_CATEGORIES.map((c) => (
                  <div class="field">
                    <label for={`t-${c}`}>{categoryLabel(t, c)}</label>
                    <input type="number" id={`t-${c}`} name={`held_${c}`} min={0} max={100_000_000} step={1} inputMode="numeric" value={values?.[`held_${c}`] ?? String(current.get(c) ?? 0)} />
                  </div>
                ))}
              </div>
              <p class="actions">
                <button type="submit">{t('dstaff.progress.save')}</button>
              </p>
            </form>
          </section>
        ) : null}
      </Layout>
    );
  };

  app.get(`${ROUTE}/progress`, async (req, reply) => {
    requireUser(req);
    return sendPage(reply, await progressPage(req));
  });

  app.post(`${ROUTE}/progress/targets`, async (req, reply) => {
    requireUser(req);
    const v = formValues(req);
    try {
      const unit = queryId(v.unit);
      if (unit === undefined) throw new AppError('ORG_UNIT_NOT_FOUND', { unit: (v.unit ?? '').slice(0, 12) });
      const held: Partial<Record<PlanCategory, number>> = {};
      for (const c of PLAN_CATEGORIES) {
        const raw = (v[`held_${c}`] ?? '').trim().replace(/[.,\s]/g, '');
        if (raw === '') continue;
        if (!/^\d{1,9}$/.test(raw)) throw new AppError('DIGITAL_INVALID', { reason: `held=${categoryLabel(req.ctx.t, c)}` });
        held[c] = Number(raw);
      }
      await digital.setTargets(req.ctx.actor, unit, held);
      return reply.redirect(`${BASE}/progress?unit=${unit}&ok=dstaff.progress.saved#u-${unit}`, 303);
    } catch (e) {
      const err = asFormError(e);
      return sendPage(reply, await progressPage(req, err, v), err.status);
    }
  });
}
