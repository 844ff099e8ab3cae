/**
 * Tree administration: browse (now or as of a date), a unit's page, edit, add a unit,
 * reorganise (rename, move, merge, close), settings, group membership, import and export.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { AppError } from '../../../domain/errors.js';
import { buildForest, isIsoDate } from '../../../domain/org/history.js';
import { UNIT_TYPE_CODES, type UnitTypeCode } from '../../../domain/org/unit-types.js';
import type { OrgUnit } from '../../../domain/org/unit.js';
import { SETTINGS, type SettingDef } from '../../../domain/org/settings.js';
import { allows, allowsAnywhere } from '../../../domain/access/permissions.js';
import type { ReorganiseInput } from '../../../app/org.service.js';
import type { ImportReport } from '../../../app/org-transfer.service.js';
import { compareVi } from '../../../text/fold.js';
import type { MessageKey } from '../../../i18n/i18n.js';
import type { Services } from '../../../main/container.js';
import { Csrf, Layout, errorText, flashFromQuery, formatDate, pageCtx, sendPage, unitName, type Flash, type PageCtx } from '../render.js';
import { HistoryList, UnitTree } from '../shared.js';
import { Field, FormError, SelectField, Section, asFormError, formValues, requireUser, type Values } from './forms.js';

/** Largest tree file accepted for import. */
export const IMPORT_LIMIT = 20 * 1024 * 1024;

interface Row {
  id: number;
  parentId: number | null;
  code: string;
  nameVi: string;
  nameEn: string;
  typeCode: UnitTypeCode;
  status: string;
}

function typeOptions(ctx: PageCtx): Array<[string, string]> {
  return UNIT_TYPE_CODES.filter((c) => c !== 'network').map((c) => [c, ctx.t(`unitType.${c}`)]);
}

function settingText(ctx: PageCtx, def: SettingDef, v: unknown): string {
  if (def.kind === 'boolean') return v ? ctx.t('common.yes') : ctx.t('common.no');
  return String(v);
}

export async function orgPages(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { org, orgTransfer } = opts.services;
  await app.register(multipart, { attachFieldsToBody: 'keyValues', limits: { fileSize: IMPORT_LIMIT, files: 1, fields: 10, parts: 12 } });

  const unitParam = async (req: FastifyRequest): Promise<OrgUnit> => {
    const raw = (req.params as { id: string }).id;
    if (!/^\d{1,10}$/.test(raw)) throw new AppError('NOT_FOUND');
    return org.get(Number(raw));
  };

  // ---------------------------------------------------------------- the tree
  app.get('/org', async (req, reply) => {
    requireUser(req);
    const ctx = pageCtx(req);
    const { t } = ctx;
    const q = req.query as { asOf?: string; closed?: string };
    const asOf = q.asOf && q.asOf !== '' ? q.asOf : undefined;
    if (asOf !== undefined && !isIsoDate(asOf)) throw new AppError('ORG_DATE_INVALID', { date: asOf.slice(0, 20) });
    const showClosed = q.closed === '1';
    const rows: Row[] = asOf ? await org.treeAsOf(asOf) : await org.list({ activeOnly: !showClosed });
    const forest = buildForest(rows, (a, b) => compareVi(unitName(ctx, a), unitName(ctx, b)));
    const canImport = allowsAnywhere(req.ctx.actor.grants, 'org.unit.create');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('tree.title')} staff flash={flashFromQuery(ctx, req.query)}>
        <h1>{asOf ? t('tree.historic', { date: formatDate(ctx, asOf) }) : t('tree.title')}</h1>
        <form method="get" action="/staff/org" class="filters">
          <div class="field">
            <label for="asOf">{t('tree.asOf')}</label>
            <input type="date" id="asOf" name="asOf" value={asOf ?? ''} max={org.today()} />
          </div>
          <label class="checkbox">
            <input type="checkbox" name="closed" value="1" checked={showClosed} /> {t('tree.showClosed')}
          </label>
          <div class="actions">
            <button type="submit" class="secondary">
              {t('tree.filter')}
            </button>
            {asOf || showClosed ? <a href="/staff/org">{t('tree.today')}</a> : null}
          </div>
        </form>
        <p class="actions">
          <span class="muted">{t('tree.count', { count: rows.length })}</span>
          <a class="button secondary" href={`/staff/org/export.csv${asOf ? `?asOf=${asOf}` : ''}`}>
            {t('tree.export')} CSV
          </a>
          <a class="button secondary" href={`/staff/org/export.json${asOf ? `?asOf=${asOf}` : ''}`}>
            {t('tree.export')} JSON
          </a>
          {canImport ? (
            <a class="button secondary" href="/staff/org/import">
              {t('import.title')}
            </a>
          ) : null}
        </p>
        <div class="card">
          <UnitTree
            nodes={forest}
            label={(u) => (
              <>
                <a href={`/staff/org/${u.id}`}>{unitName(ctx, u)}</a>
                <span class="code">{u.code}</span>
                {u.status !== 'active' ? <span class={`badge badge-${u.status}`}>{t(`status.${u.status}` as MessageKey)}</span> : null}
              </>
            )}
          />
        </div>
      </Layout>,
    );
  });

  for (const format of ['csv', 'json'] as const) {
    app.get(`/org/export.${format}`, async (req, reply) => {
      requireUser(req);
      if (!allowsAnywhere(req.ctx.actor.grants, 'org.unit.view')) throw new AppError('PERMISSION_DENIED', { permission: 'org.unit.view' });
      const q = req.query as { asOf?: string };
      const asOf = q.asOf && isIsoDate(q.asOf) ? q.asOf : undefined;
      const body = await orgTransfer.exportTree(format, { includeClosed: true, asOf });
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
        .header('content-disposition', `attachment; filename="lienthong-tree-${asOf ?? org.today()}.${format}"`)
        .send(body);
    });
  }

  // ---------------------------------------------------------------- import
  const importPage = (req: FastifyRequest, report?: ImportReport, error?: AppError) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    return (
      <Layout ctx={ctx} title={t('import.title')} staff>
        <h1>{t('import.title')}</h1>
        <p class="muted">{t('import.help')}</p>
        <FormError ctx={ctx} error={error} />
        {report ? (
          <Section title={t('import.report')} id="report-heading">
            <p class={`flash ${report.written ? 'flash-ok' : report.errors ? 'flash-error' : 'flash-ok'}`} role="status">
              {t(report.written ? 'import.written' : 'import.notWritten', { created: report.created, updated: report.updated, unchanged: report.unchanged, errors: report.errors })}
            </p>
            <div class="table-wrap">
              <table class="list stack">
                <thead>
                  <tr>
                    <th>#</th>
                    <th>{t('unit.code')}</th>
                    <th>{t('import.action')}</th>
                    <th>{t('import.problems')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.rows
                    .filter((r) => r.action !== 'unchanged')
                    .slice(0, 1000)
                    .map((r) => (
                      <tr>
                        <td data-label="#">{r.row}</td>
                        <td data-label={t('unit.code')}>{r.code}</td>
                        <td data-label={t('import.action')}>{t(`import.action.${r.action}` as MessageKey)}</td>
                        <td data-label={t('import.problems')}>{r.problems.map((p) => `${p.field}: ${errorText(t, p.code, p.params)}`).join('; ')}</td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          </Section>
        ) : null}
        <form method="post" action="/staff/org/import" enctype="multipart/form-data" class="stack card">
          <Csrf ctx={ctx} />
          <div class="field">
            <label for="f-file">{t('import.file')}</label>
            <input type="file" id="f-file" name="file" accept=".csv,.json,text/csv,application/json" required />
          </div>
          <label class="checkbox">
            <input type="checkbox" name="dryRun" value="1" checked /> {t('import.dryRun')}
          </label>
          <label class="checkbox">
            <input type="checkbox" name="partial" value="1" /> {t('import.partial')}
          </label>
          <div>
            <button type="submit">{t('import.submit')}</button>
          </div>
        </form>
      </Layout>
    );
  };

  app.get('/org/import', async (req, reply) => {
    requireUser(req);
    return sendPage(reply, importPage(req));
  });

  app.post('/org/import', async (req, reply) => {
    requireUser(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const file = body.file;
    if (!Buffer.isBuffer(file) || file.length === 0) {
      const e = new AppError('VALIDATION', {}, [{ field: 'file', code: 'VALIDATION' }]);
      return sendPage(reply, importPage(req, undefined, e), 400);
    }
    const text = file.toString('utf8');
    const format = text.trimStart().startsWith('{') || text.trimStart().startsWith('[') ? 'json' : 'csv';
    try {
      const report = await orgTransfer.importTree(req.ctx.actor, text, format, { dryRun: body.dryRun === '1', partial: body.partial === '1' });
      return sendPage(reply, importPage(req, report), report.errors > 0 && !report.written ? 400 : 200);
    } catch (e) {
      const err = asFormError(e);
      return sendPage(reply, importPage(req, undefined, err), err.status);
    }
  });

  // ---------------------------------------------------------------- one unit
  app.get('/org/:id', async (req, reply) => {
    requireUser(req);
    const unit = await unitParam(req);
    const ctx = pageCtx(req);
    const { t } = ctx;
    const a = req.ctx.actor;
    const all = await org.list();
    const byId = new Map(all.map((u) => [u.id, u]));
    const children = all.filter((u) => u.parentId === unit.id).sort((x, y) => compareVi(unitName(ctx, x), unitName(ctx, y)));
    const settings = await org.settings(unit.id);
    const groups = await org.listGroups();
    const memberOf = new Set((await org.groupsOfUnit(unit.id)).map((g) => g.id));
    const history = await org.history(unit.id);
    const staffHere = allows(a.grants, 'staff.user.view', unit) ? (await opts.services.staff.list(a)).filter((u) => u.homeUnitId === unit.id) : [];
    const can = (p: Parameters<typeof allows>[1]) => unit.status === 'active' && allows(a.grants, p, unit);
    const ancestors = await org.ancestors(unit);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={unitName(ctx, unit)} staff flash={flashFromQuery(ctx, req.query)}>
        <nav aria-label={t('library.parent')}>
          <ol class="breadcrumbs">
            <li>
              <a href="/staff/org">{t('tree.title')}</a>
            </li>
            {ancestors.map((x) => (
              <li>
                <a href={`/staff/org/${x.id}`}>{unitName(ctx, x)}</a>
              </li>
            ))}
          </ol>
        </nav>
        <h1>
          {unitName(ctx, unit)} <span class={`badge badge-${unit.status}`}>{t(`status.${unit.status}` as MessageKey)}</span>
        </h1>
        <p class="actions">
          {can('org.unit.edit') ? (
            <a class="button" href={`/staff/org/${unit.id}/edit`}>
              {t('unit.edit')}
            </a>
          ) : null}
          {can('org.unit.create') ? (
            <a class="button secondary" href={`/staff/org/${unit.id}/new`}>
              {t('tree.new')}
            </a>
          ) : null}
          {can('org.unit.reorganise') ? (
            <a class="button secondary" href={`/staff/org/${unit.id}/reorganise`}>
              {t('unit.reorganise')}
            </a>
          ) : null}
          <a href={`/l/${unit.slug}`}>{t('unit.viewPublic')}</a>
        </p>
        <div class="grid two">
          <div>
            <Section title={t('unit.details')} id="facts-heading">
              <dl class="facts">
                <dt>{t('unit.code')}</dt>
                <dd>{unit.code}</dd>
                <dt>{t('unit.type')}</dt>
                <dd>{t(`unitType.${unit.typeCode}` as MessageKey)}</dd>
                <dt>{t('unit.nameVi')}</dt>
                <dd lang="vi">{unit.nameVi}</dd>
                <dt>{t('unit.nameEn')}</dt>
                <dd lang="en">{unit.nameEn}</dd>
                <dt>{t('library.address')}</dt>
                <dd>{unit.address ?? t('common.none')}</dd>
                <dt>{t('library.hours')}</dt>
                <dd>{unit.openingHours ?? t('common.none')}</dd>
                <dt>{t('library.phone')}</dt>
                <dd>{unit.phone ?? t('common.none')}</dd>
                <dt>{t('library.email')}</dt>
                <dd>{unit.email ?? t('common.none')}</dd>
                <dt>{t('unit.openedOn')}</dt>
                <dd>{formatDate(ctx, unit.openedOn)}</dd>
              </dl>
            </Section>
            <Section title={t('unit.settings')} id="settings-heading">
              {settings.map((s) => {
                const def = SETTINGS.find((d) => d.key === s.key)!;
                const from = s.fromUnitId === null ? t('unit.settingDefault') : s.fromUnitId === unit.id ? t('unit.settingOverride') : t('unit.settingInherited', { unit: byId.get(s.fromUnitId) ? unitName(ctx, byId.get(s.fromUnitId)!) : String(s.fromUnitId) });
                const editable = can('org.settings.edit');
                return (
                  <div class="settings-row">
                    <div>
                      <code>{s.key}</code>
                      <br />
                      <span class="muted small">{from}</span>
                    </div>
                    {editable ? (
                      <form method="post" action={`/staff/org/${unit.id}/settings`}>
                        <Csrf ctx={ctx} />
                        <input type="hidden" name="key" value={s.key} />
                        {def.kind === 'boolean' || def.kind === 'enum' ? (
                          <select name="value" aria-label={s.key}>
                            {(def.kind === 'boolean' ? ['true', 'false'] : (def.options ?? [])).map((o) => (
                              <option value={o} selected={String(s.value) === o}>
                                {def.kind === 'boolean' ? settingText(ctx, def, o === 'true') : o}
                              </option>
                            ))}
                          </select>
                        ) : (
                          def.kind === 'integer' ? (
                            <input type="number" name="value" value={String(s.value)} aria-label={s.key} />
                          ) : (
                            <input type="text" name="value" value={String(s.value)} aria-label={s.key} />
                          )
                        )}
                        <button type="submit" class="secondary">
                          {t('unit.save')}
                        </button>
                        {s.fromUnitId === unit.id ? (
                          <button type="submit" name="clear" value="1" class="link">
                            {t('unit.settingClear')}
                          </button>
                        ) : null}
                      </form>
                    ) : (
                      <span>{settingText(ctx, def, s.value)}</span>
                    )}
                  </div>
                );
              })}
            </Section>
          </div>
          <div>
            <Section title={t('library.children')} id="children-heading">
              {children.length === 0 ? (
                <p class="muted">{t('library.noChildren')}</p>
              ) : (
                <ul>
                  {children.map((c) => (
                    <li>
                      <a href={`/staff/org/${c.id}`}>{unitName(ctx, c)}</a> {c.status !== 'active' ? <span class={`badge badge-${c.status}`}>{t(`status.${c.status}` as MessageKey)}</span> : null}
                    </li>
                  ))}
                </ul>
              )}
            </Section>
            <Section title={t('library.groups')} id="groups-heading">
              <ul>
                {groups.map((g) => (
                  <li>
                    {ctx.locale === 'en' ? g.nameEn : g.nameVi}{' '}
                    {allows(a.grants, 'org.group.manage', unit) ? (
                      <form method="post" action={`/staff/org/${unit.id}/groups`} class="inline">
                        <Csrf ctx={ctx} />
                        <input type="hidden" name="group" value={g.code} />
                        <input type="hidden" name="member" value={memberOf.has(g.id) ? '0' : '1'} />
                        <button type="submit" class="link">
                          {memberOf.has(g.id) ? t('groups.leave') : t('groups.join')}
                        </button>
                      </form>
                    ) : memberOf.has(g.id) ? (
                      <span class="badge">✓</span>
                    ) : null}
                  </li>
                ))}
              </ul>
            </Section>
            {staffHere.length > 0 ? (
              <Section title={t('unit.staff')} id="staff-heading">
                <ul>
                  {staffHere.map((u) => (
                    <li>
                      <a href={`/staff/users/${u.id}`}>{u.displayName}</a> <span class="muted small">({u.username})</span>
                    </li>
                  ))}
                </ul>
              </Section>
            ) : null}
          </div>
        </div>
        <Section title={t('library.history')} id="history-heading">
          <HistoryList ctx={ctx} history={history} units={byId} staff />
        </Section>
      </Layout>,
    );
  });

  // ---------------------------------------------------------------- edit
  const editPage = (req: FastifyRequest, unit: OrgUnit, values: Values, error?: AppError) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const p = error?.details;
    const f = (name: string, label: string, extra: Partial<Parameters<typeof Field>[0]> = {}) => <Field ctx={ctx} name={name} label={label} values={values} problems={p} {...extra} />;
    return (
      <Layout ctx={ctx} title={t('unit.edit')} staff>
        <p>
          <a href={`/staff/org/${unit.id}`}>← {unitName(ctx, unit)}</a>
        </p>
        <h1>{t('unit.edit')}</h1>
        <FormError ctx={ctx} error={error} shownFields={['nameVi', 'nameEn', 'slug', 'address', 'phone', 'email', 'website', 'openingHours', 'latitude', 'longitude', 'descriptionVi', 'descriptionEn']} />
        <form method="post" action={`/staff/org/${unit.id}/edit`} class="stack">
          <Csrf ctx={ctx} />
          <input type="hidden" name="version" value={values.version ?? String(unit.version)} />
          {f('nameVi', t('unit.nameVi'), { required: true, maxLength: 200, help: t('unit.renameNote') })}
          {f('nameEn', t('unit.nameEn'), { required: true, maxLength: 200 })}
          {f('slug', t('unit.slug'), { required: true, maxLength: 80 })}
          {f('address', t('library.address'), { maxLength: 500 })}
          {f('phone', t('library.phone'), { type: 'tel', maxLength: 50 })}
          {f('email', t('library.email'), { type: 'email', maxLength: 200 })}
          {f('website', t('library.website'), { type: 'url', maxLength: 500 })}
          {f('openingHours', t('library.hours'), { multiline: true, help: t('unit.hoursHelp') })}
          {f('latitude', t('unit.latitude'), { inputMode: 'decimal' })}
          {f('longitude', t('unit.longitude'), { inputMode: 'decimal' })}
          {f('descriptionVi', t('unit.descriptionVi'), { multiline: true })}
          {f('descriptionEn', t('unit.descriptionEn'), { multiline: true })}
          <div class="actions">
            <button type="submit">{t('unit.save')}</button>
            <a href={`/staff/org/${unit.id}`}>{t('common.cancel')}</a>
          </div>
        </form>
      </Layout>
    );
  };

  const unitValues = (u: OrgUnit): Values => ({
    nameVi: u.nameVi,
    nameEn: u.nameEn,
    slug: u.slug,
    address: u.address ?? '',
    phone: u.phone ?? '',
    email: u.email ?? '',
    website: u.website ?? '',
    openingHours: u.openingHours ?? '',
    latitude: u.latitude === null ? '' : String(u.latitude),
    longitude: u.longitude === null ? '' : String(u.longitude),
    descriptionVi: u.descriptionVi ?? '',
    descriptionEn: u.descriptionEn ?? '',
  });

  app.get('/org/:id/edit', async (req, reply) => {
    requireUser(req);
    const unit = await unitParam(req);
    if (!(await org.can(req.ctx.actor, 'org.unit.edit', unit.id))) throw new AppError('PERMISSION_DENIED', { permission: 'org.unit.edit', unit: unit.id });
    return sendPage(reply, editPage(req, unit, unitValues(unit)));
  });

  app.post('/org/:id/edit', async (req, reply) => {
    requireUser(req);
    const unit = await unitParam(req);
    const v = formValues(req);
    try {
      await org.update(req.ctx.actor, unit.id, Number(v.version), v);
    } catch (e) {
      const err = asFormError(e);
      return sendPage(reply, editPage(req, unit, v, err), err.status);
    }
    return reply.redirect(`/staff/org/${unit.id}?ok=unit.saved`, 303);
  });

  // ---------------------------------------------------------------- new unit
  const newPage = (req: FastifyRequest, parent: OrgUnit, values: Values, error?: AppError) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const p = error?.details;
    const f = (name: string, label: string, extra: Partial<Parameters<typeof Field>[0]> = {}) => <Field ctx={ctx} name={name} label={label} values={values} problems={p} {...extra} />;
    return (
      <Layout ctx={ctx} title={t('tree.new')} staff>
        <p>
          <a href={`/staff/org/${parent.id}`}>← {unitName(ctx, parent)}</a>
        </p>
        <h1>{t('tree.new')}</h1>
        <FormError ctx={ctx} error={error} shownFields={['code', 'nameVi', 'nameEn', 'typeCode', 'openedOn', 'slug', 'address']} />
        <form method="post" action={`/staff/org/${parent.id}/new`} class="stack">
          <Csrf ctx={ctx} />
          {f('code', t('unit.code'), { required: true, maxLength: 32 })}
          {f('nameVi', t('unit.nameVi'), { required: true, maxLength: 200 })}
          {f('nameEn', t('unit.nameEn'), { maxLength: 200 })}
          <SelectField ctx={ctx} name="typeCode" label={t('unit.type')} values={values} problems={p} options={typeOptions(ctx)} value="commune" />
          {f('openedOn', t('unit.openedOn'), { type: 'date', max: org.today() })}
          {f('slug', t('unit.slug'), { maxLength: 80 })}
          {f('address', t('library.address'), { maxLength: 500 })}
          <div class="actions">
            <button type="submit">{t('unit.save')}</button>
            <a href={`/staff/org/${parent.id}`}>{t('common.cancel')}</a>
          </div>
        </form>
      </Layout>
    );
  };

  app.get('/org/:id/new', async (req, reply) => {
    requireUser(req);
    const parent = await unitParam(req);
    if (!(await org.can(req.ctx.actor, 'org.unit.create', parent.id))) throw new AppError('PERMISSION_DENIED', { permission: 'org.unit.create', unit: parent.id });
    return sendPage(reply, newPage(req, parent, { openedOn: org.today() }));
  });

  app.post('/org/:id/new', async (req, reply) => {
    requireUser(req);
    const parent = await unitParam(req);
    const v = formValues(req);
    try {
      const u = await org.create(req.ctx.actor, { ...v, code: v.code, nameVi: v.nameVi, typeCode: v.typeCode, parentId: parent.id });
      return reply.redirect(`/staff/org/${u.id}?ok=unit.created`, 303);
    } catch (e) {
      const err = asFormError(e);
      return sendPage(reply, newPage(req, parent, v, err), err.status);
    }
  });

  // ---------------------------------------------------------------- reorganise
  const reorgPage = (req: FastifyRequest, unit: OrgUnit, values: Values, error?: AppError) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const p = error?.details;
    const kind = values.kind ?? 'rename';
    return (
      <Layout ctx={ctx} title={t('reorg.title', { name: unitName(ctx, unit) })} staff>
        <p>
          <a href={`/staff/org/${unit.id}`}>← {unitName(ctx, unit)}</a>
        </p>
        <h1>{t('reorg.title', { name: unitName(ctx, unit) })}</h1>
        <FormError ctx={ctx} error={error} shownFields={['nameVi', 'nameEn', 'target', 'date']} />
        <form method="post" action={`/staff/org/${unit.id}/reorganise`} class="stack">
          <Csrf ctx={ctx} />
          <fieldset class="field">
            <legend>{t('reorg.kind')}</legend>
            {(['rename', 'move', 'merge', 'close'] as const).map((k) => (
              <label class="checkbox">
                <input type="radio" name="kind" value={k} checked={kind === k} /> {t(`event.kind.${k}`)}
              </label>
            ))}
          </fieldset>
          <Field ctx={ctx} name="date" label={t('reorg.date')} type="date" values={values} value={org.today()} max={org.today()} required problems={p} help={t('reorg.pastOnly')} />
          <Field ctx={ctx} name="nameVi" label={`${t('unit.nameVi')} (${t('event.kind.rename')})`} values={values} value={unit.nameVi} maxLength={200} problems={p} />
          <Field ctx={ctx} name="nameEn" label={`${t('unit.nameEn')} (${t('event.kind.rename')})`} values={values} value={unit.nameEn} maxLength={200} problems={p} />
          <Field ctx={ctx} name="target" label={`${t('reorg.newParent')} / ${t('reorg.mergeInto')}`} values={values} maxLength={32} problems={p} help={t('reorg.mergeHelp')} />
          <Field ctx={ctx} name="note" label={t('reorg.note')} values={values} maxLength={1000} />
          <div class="actions">
            <button type="submit">{t('reorg.submit')}</button>
            <a href={`/staff/org/${unit.id}`}>{t('common.cancel')}</a>
          </div>
        </form>
      </Layout>
    );
  };

  app.get('/org/:id/reorganise', async (req, reply) => {
    requireUser(req);
    const unit = await unitParam(req);
    if (!(await org.can(req.ctx.actor, 'org.unit.reorganise', unit.id))) throw new AppError('PERMISSION_DENIED', { permission: 'org.unit.reorganise', unit: unit.id });
    return sendPage(reply, reorgPage(req, unit, {}));
  });

  app.post('/org/:id/reorganise', async (req, reply) => {
    requireUser(req);
    const unit = await unitParam(req);
    const v = formValues(req);
    try {
      const date = (v.date ?? '').trim();
      const note = v.note?.trim() || undefined;
      let input: ReorganiseInput;
      const target = async () => {
        if (!v.target?.trim()) throw new AppError('VALIDATION', {}, [{ field: 'target', code: 'VALIDATION' }]);
        return (await org.getByCode(v.target)).id;
      };
      switch (v.kind) {
        case 'rename':
          input = { kind: 'rename', unitId: unit.id, date, nameVi: v.nameVi ?? '', nameEn: v.nameEn, note };
          break;
        case 'move':
          input = { kind: 'move', unitId: unit.id, date, parentId: await target(), note };
          break;
        case 'merge':
          input = { kind: 'merge', unitId: unit.id, date, intoId: await target(), note };
          break;
        case 'close':
          input = { kind: 'close', unitId: unit.id, date, note };
          break;
        default:
          throw new AppError('VALIDATION', {}, [{ field: 'kind', code: 'VALIDATION' }]);
      }
      await org.reorganise(req.ctx.actor, input);
    } catch (e) {
      const err = asFormError(e);
      return sendPage(reply, reorgPage(req, unit, v, err), err.status);
    }
    return reply.redirect(`/staff/org/${unit.id}?ok=reorg.done`, 303);
  });

  // ---------------------------------------------------------------- settings and groups
  app.post('/org/:id/settings', async (req, reply) => {
    requireUser(req);
    const unit = await unitParam(req);
    const v = formValues(req);
    await org.setSetting(req.ctx.actor, unit.id, v.key ?? '', v.clear === '1' ? null : (v.value ?? ''));
    return reply.redirect(`/staff/org/${unit.id}?ok=unit.saved#settings-heading`, 303);
  });

  app.post('/org/:id/groups', async (req, reply) => {
    requireUser(req);
    const unit = await unitParam(req);
    const v = formValues(req);
    await org.setGroupMember(req.ctx.actor, v.group ?? '', unit.id, v.member === '1');
    return reply.redirect(`/staff/org/${unit.id}?ok=unit.saved#groups-heading`, 303);
  });
}

export type { Flash };
