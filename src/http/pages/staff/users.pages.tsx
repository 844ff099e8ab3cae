/** Staff accounts and their grants. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../../../domain/errors.js';
import { allows, allowsAnywhere } from '../../../domain/access/permissions.js';
import type { Services } from '../../../main/container.js';
import type { MessageKey } from '../../../i18n/i18n.js';
import type { StaffUser } from '../../../app/ports.js';
import { Csrf, Layout, flashFromQuery, formatTime, pageCtx, sendPage, unitName, type Flash } from '../render.js';
import { Field, FormError, SelectField, Section, asFormError, formValues, requireUser, type Values } from './forms.js';

export async function userPages(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { staff, org } = opts.services;

  app.get('/users', async (req, reply) => {
    requireUser(req);
    if (!allowsAnywhere(req.ctx.actor.grants, 'staff.user.view')) throw new AppError('PERMISSION_DENIED', { permission: 'staff.user.view' });
    const ctx = pageCtx(req);
    const { t } = ctx;
    const q = String((req.query as { q?: string }).q ?? '').slice(0, 100);
    const users = await staff.list(req.ctx.actor, q || undefined);
    const units = new Map((await org.list()).map((u) => [u.id, u]));
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('users.title')} staff flash={flashFromQuery(ctx, req.query)}>
        <h1>{t('users.title')}</h1>
        <form method="get" action="/staff/users" class="filters" role="search" aria-label={t('a11y.search.users')}>
          <div class="field">
            <label for="q">{t('users.search')}</label>
            <input type="search" id="q" name="q" value={q} maxLength={100} />
          </div>
          <div class="actions">
            <button type="submit" class="secondary">
              {t('tree.filter')}
            </button>
            {allowsAnywhere(req.ctx.actor.grants, 'staff.user.manage') ? (
              <a class="button" href="/staff/users/new">
                {t('users.new')}
              </a>
            ) : null}
          </div>
        </form>
        {users.length === 0 ? (
          <p class="muted">{t('users.none')}</p>
        ) : (
          <div class="table-wrap">
            <table class="list stack">
              <thead>
                <tr>
                  <th>{t('users.displayName')}</th>
                  <th>{t('users.username')}</th>
                  <th>{t('users.homeUnit')}</th>
                  <th>{t('users.status')}</th>
                  <th>{t('users.lastLogin')}</th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => {
                  const home = u.homeUnitId === null ? undefined : units.get(u.homeUnitId);
                  return (
                    <tr>
                      <td data-label={t('users.displayName')}>
                        <a href={`/staff/users/${u.id}`}>{u.displayName}</a>
                      </td>
                      <td data-label={t('users.username')}>{u.username}</td>
                      <td data-label={t('users.homeUnit')}>{home ? unitName(ctx, home) : t('common.none')}</td>
                      <td data-label={t('users.status')}>
                        <span class={`badge badge-${u.status}`}>{t(`status.${u.status === 'active' ? 'active' : 'disabled'}` as MessageKey)}</span>
                      </td>
                      <td data-label={t('users.lastLogin')}>{u.lastLoginAt ? formatTime(ctx, u.lastLoginAt) : t('users.never')}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Layout>,
    );
  });

  // ---------------------------------------------------------------- new account
  const newPage = (req: FastifyRequest, values: Values, error?: AppError) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const p = error?.details;
    return (
      <Layout ctx={ctx} title={t('users.new')} staff>
        <p>
          <a href="/staff/users">← {t('users.title')}</a>
        </p>
        <h1>{t('users.new')}</h1>
        <FormError ctx={ctx} error={error} shownFields={['username', 'displayName', 'email', 'unit', 'password']} />
        <form method="post" action="/staff/users/new" class="stack">
          <Csrf ctx={ctx} />
          <Field ctx={ctx} name="username" label={t('users.username')} values={values} problems={p} required maxLength={50} autocomplete="off" help={t('error.STAFF_USERNAME_INVALID')} />
          <Field ctx={ctx} name="displayName" label={t('users.displayName')} values={values} problems={p} required maxLength={200} />
          <Field ctx={ctx} name="email" label={t('users.email')} values={values} problems={p} type="email" maxLength={200} />
          <Field ctx={ctx} name="unit" label={t('users.homeUnit')} values={values} problems={p} required maxLength={32} />
          <Field ctx={ctx} name="password" label={t('users.passwordOptional')} problems={p} type="password" autocomplete="new-password" maxLength={256} />
          <div class="actions">
            <button type="submit">{t('unit.save')}</button>
            <a href="/staff/users">{t('common.cancel')}</a>
          </div>
        </form>
      </Layout>
    );
  };

  app.get('/users/new', async (req, reply) => {
    requireUser(req);
    if (!allowsAnywhere(req.ctx.actor.grants, 'staff.user.manage')) throw new AppError('PERMISSION_DENIED', { permission: 'staff.user.manage' });
    const home = req.ctx.user!.homeUnitId === null ? undefined : await org.get(req.ctx.user!.homeUnitId).catch(() => undefined);
    return sendPage(reply, newPage(req, { unit: home?.code }));
  });

  app.post('/users/new', async (req, reply) => {
    requireUser(req);
    const v = formValues(req);
    try {
      const unit = await org.getByCode(v.unit ?? '').catch((e: unknown) => {
        if (e instanceof AppError) throw new AppError('VALIDATION', {}, [{ field: 'unit', code: e.code, params: e.params }]);
        throw e;
      });
      const { user, password } = await staff.create(req.ctx.actor, { username: v.username, displayName: v.displayName, email: v.email, homeUnitId: unit.id, password: v.password });
      const ctx = pageCtx(req);
      const flash: Flash = password
        ? { kind: 'ok', text: ctx.t('users.created', { username: user.username, password }) }
        : { kind: 'ok', text: ctx.t('users.createdWithPassword', { username: user.username }) };
      return sendPage(reply, await userPage(req, user.id, flash), 201);
    } catch (e) {
      const err = asFormError(e);
      return sendPage(reply, newPage(req, v, err), err.status);
    }
  });

  // ---------------------------------------------------------------- one account
  const userPage = async (req: FastifyRequest, id: number, flash?: Flash, error?: AppError, values: Values = {}) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const { user, grants } = await staff.get(req.ctx.actor, id);
    const home = user.homeUnitId === null ? undefined : await org.get(user.homeUnitId).catch(() => undefined);
    const roles = await staff.roles();
    const canManage = home ? allows(req.ctx.actor.grants, 'staff.user.manage', home) : false;
    const canGrant = allowsAnywhere(req.ctx.actor.grants, 'staff.grant.manage');
    return (
      <Layout ctx={ctx} title={user.displayName} staff flash={flash ?? flashFromQuery(ctx, req.query)}>
        <p>
          <a href="/staff/users">← {t('users.title')}</a>
        </p>
        <h1>
          {user.displayName} <span class={`badge badge-${user.status}`}>{t(`status.${user.status === 'active' ? 'active' : 'disabled'}` as MessageKey)}</span>
        </h1>
        <dl class="facts card">
          <dt>{t('users.username')}</dt>
          <dd>{user.username}</dd>
          <dt>{t('users.email')}</dt>
          <dd>{user.email ?? t('common.none')}</dd>
          <dt>{t('users.homeUnit')}</dt>
          <dd>{home ? <a href={`/staff/org/${home.id}`}>{unitName(ctx, home)}</a> : t('common.none')}</dd>
          <dt>{t('users.lastLogin')}</dt>
          <dd>{user.lastLoginAt ? formatTime(ctx, user.lastLoginAt) : t('users.never')}</dd>
        </dl>
        {canManage ? (
          <div class="actions">
            <form method="post" action={`/staff/users/${user.id}/status`} class="inline">
              <Csrf ctx={ctx} />
              <input type="hidden" name="status" value={user.status === 'active' ? 'disabled' : 'active'} />
              <button type="submit" class={user.status === 'active' ? 'danger' : 'secondary'}>
                {user.status === 'active' ? t('users.disable') : t('users.enable')}
              </button>
            </form>
            <form method="post" action={`/staff/users/${user.id}/password`} class="inline">
              <Csrf ctx={ctx} />
              <button type="submit" class="secondary">
                {t('users.resetPassword')}
              </button>
            </form>
          </div>
        ) : null}
        <Section title={t('users.grants')} id="grants-heading">
          {grants.length === 0 ? (
            <p class="muted">{t('users.noGrants')}</p>
          ) : (
            <ul>
              {grants.map((g) => (
                <li>
                  <strong>{t(`role.${g.roleCode}` as MessageKey)}</strong> — <a href={`/staff/org/${g.unitId}`}>{ctx.locale === 'en' ? g.unitNameEn : g.unitNameVi}</a>{' '}
                  <span class="muted small">({t(`scope.${g.scope}` as MessageKey)})</span>
                  {canGrant ? (
                    <form method="post" action={`/staff/users/${user.id}/grants/${g.id}/revoke`} class="inline">
                      <Csrf ctx={ctx} />{' '}
                      <button type="submit" class="link">
                        {t('users.revoke')}
                      </button>
                    </form>
                  ) : null}
                </li>
              ))}
            </ul>
          )}
          {canGrant ? (
            <>
              <h3>{t('users.grant')}</h3>
              <FormError ctx={ctx} error={error} shownFields={['unit']} />
              <form method="post" action={`/staff/users/${user.id}/grants`} class="stack">
                <Csrf ctx={ctx} />
                <SelectField ctx={ctx} name="role" label={t('users.role')} values={values} options={roles.map((r) => [r.code, t(`role.${r.code}` as MessageKey)])} />
                <Field ctx={ctx} name="unit" label={t('users.unit')} values={values} value={home?.code} required maxLength={32} problems={error?.details} />
                <SelectField ctx={ctx} name="scope" label={t('users.scope')} values={values} options={(['unit', 'subtree', 'network'] as const).map((s) => [s, t(`scope.${s}`)])} />
                <div>
                  <button type="submit">{t('users.grant')}</button>
                </div>
              </form>
            </>
          ) : null}
        </Section>
      </Layout>
    );
  };

  const idParam = (req: FastifyRequest): number => {
    const raw = (req.params as { id: string }).id;
    if (!/^\d{1,10}$/.test(raw)) throw new AppError('NOT_FOUND');
    return Number(raw);
  };

  app.get('/users/:id', async (req, reply) => {
    requireUser(req);
    return sendPage(reply, await userPage(req, idParam(req)));
  });

  app.post('/users/:id/status', async (req, reply) => {
    requireUser(req);
    const id = idParam(req);
    const v = formValues(req);
    await staff.setStatus(req.ctx.actor, id, v.status === 'disabled' ? 'disabled' : 'active');
    return reply.redirect(`/staff/users/${id}?ok=users.statusChanged`, 303);
  });

  app.post('/users/:id/password', async (req, reply) => {
    requireUser(req);
    const id = idParam(req);
    const password = await staff.resetPassword(req.ctx.actor, id);
    const ctx = pageCtx(req);
    return sendPage(reply, await userPage(req, id, { kind: 'ok', text: ctx.t('users.passwordReset', { password }) }));
  });

  app.post('/users/:id/grants', async (req, reply) => {
    requireUser(req);
    const id = idParam(req);
    const v = formValues(req);
    try {
      const unit = await org.getByCode(v.unit ?? '').catch((e: unknown) => {
        if (e instanceof AppError) throw new AppError('VALIDATION', {}, [{ field: 'unit', code: e.code, params: e.params }]);
        throw e;
      });
      await staff.grant(req.ctx.actor, { userId: id, roleCode: v.role ?? '', unitId: unit.id, scope: v.scope ?? '' });
    } catch (e) {
      const err = asFormError(e);
      return sendPage(reply, await userPage(req, id, undefined, err, v), err.status);
    }
    return reply.redirect(`/staff/users/${id}?ok=users.granted`, 303);
  });

  app.post('/users/:id/grants/:grantId/revoke', async (req, reply) => {
    requireUser(req);
    const id = idParam(req);
    const grantId = Number((req.params as { grantId: string }).grantId);
    if (!Number.isInteger(grantId)) throw new AppError('NOT_FOUND');
    await staff.revoke(req.ctx.actor, grantId);
    return reply.redirect(`/staff/users/${id}?ok=users.revoked`, 303);
  });
}

export type { StaffUser };
