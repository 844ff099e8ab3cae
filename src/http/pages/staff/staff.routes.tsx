/** Staff pages: sign-in, the staff home, one's own account. The tree, users and audit log have their own modules. */
import type { FastifyInstance } from 'fastify';
import type { AppError } from '../../../domain/errors.js';
import type { Services } from '../../../main/container.js';
import type { MessageKey } from '../../../i18n/i18n.js';
import { isScope, type Scope } from '../../../domain/access/permissions.js';
import { Csrf, Layout, flashFromQuery, formatTime, pageCtx, sendPage, unitName, type Flash } from '../render.js';
import { safeNext } from '../public/public.routes.js';
import { Field, FormError, SelectField, Section, asFormError, formValues, requireUser, type Values } from './forms.js';
import { orgPages } from './org.pages.js';
import { userPages } from './users.pages.js';
import { auditPages } from './audit.pages.js';
import { groupPages } from './groups.pages.js';
import { catalogPages } from './catalog.pages.js';
import { importPages } from './imports.pages.js';
import { digitalPages, type DigitalPagesOptions } from './digital.pages.js';
import { jobPages } from './jobs.pages.js';
import { readerPages } from './readers.pages.js';
import { sitePages } from './site.pages.js';
import { copyCatalogPages } from './copy-catalog.pages.js';
import { harvestPages } from './harvest.pages.js';
import { clientIp } from '../../plugins/context.js';

export interface StaffRouteOptions {
  services: Services;
  loginRateLimit?: number;
  uploadDir?: string;
}

export async function staffPageRoutes(app: FastifyInstance, opts: StaffRouteOptions): Promise<void> {
  const { auth, staff, org } = opts.services;

  const loginPage = (req: Parameters<typeof pageCtx>[0], values: Values, error?: AppError, flash?: Flash) => {
    const ctx = pageCtx(req);
    const q = req.query as { next?: string; expired?: string };
    const expired = q.expired === '1' && !error;
    return (
      <Layout ctx={ctx} title={ctx.t('login.title')} flash={flash ?? (expired ? { kind: 'error', text: ctx.t('login.expired') } : flashFromQuery(ctx, req.query))}>
        <div class="card login-card">
          <h1>{ctx.t('login.title')}</h1>
          <FormError ctx={ctx} error={error} />
          <form method="post" action="/staff/login" class="stack">
            <Csrf ctx={ctx} />
            <input type="hidden" name="next" value={safeNext(values.next ?? q.next, '/staff')} />
            <Field ctx={ctx} name="username" label={ctx.t('login.username')} values={values} required autocomplete="username" maxLength={100} />
            <Field ctx={ctx} name="password" label={ctx.t('login.password')} type="password" required autocomplete="current-password" maxLength={256} />
            <div>
              <button type="submit">{ctx.t('login.submit')}</button>
            </div>
          </form>
        </div>
      </Layout>
    );
  };

  app.get('/login', async (req, reply) => {
    if (req.ctx.user) return reply.redirect(safeNext((req.query as { next?: string }).next, '/staff'), 303);
    return sendPage(reply, loginPage(req, {}));
  });

  app.post(
    '/login',
    { config: { rateLimit: { max: opts.loginRateLimit ?? 10, timeWindow: '1 minute' } } },
    async (req, reply) => {
      const values = formValues(req);
      try {
        const { token } = await auth.login(values.username ?? '', values.password ?? '', { ip: clientIp(req), userAgent: req.headers['user-agent'] ?? null, requestId: req.id });
        reply.setSession(token);
        return reply.redirect(safeNext(values.next, '/staff'), 303);
      } catch (e) {
        const err = asFormError(e);
        return sendPage(reply, loginPage(req, { username: values.username, next: values.next }, err), err.status);
      }
    },
  );

  app.post('/logout', async (req, reply) => {
    await auth.logout(req.ctx.actor);
    reply.clearSession();
    return reply.redirect('/staff/login?ok=login.loggedOut', 303);
  });

  app.get('/', async (req, reply) => {
    requireUser(req);
    const ctx = pageCtx(req);
    const { t } = ctx;
    const grants = await staff.ownGrants(req.ctx.actor);
    const home = req.ctx.user!.homeUnitId === null ? undefined : await org.get(req.ctx.user!.homeUnitId).catch(() => undefined);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('staff.home.title')} staff flash={flashFromQuery(ctx, req.query)}>
        <h1>{t('staff.home.welcome', { name: req.ctx.user!.displayName })}</h1>
        {home ? (
          <p>
            <a href={`/staff/org/${home.id}`}>{unitName(ctx, home)}</a>
          </p>
        ) : null}
        <Section title={t('staff.home.yourGrants')} id="grants-heading">
          {grants.length === 0 ? (
            <p class="muted">{t('staff.home.noGrants')}</p>
          ) : (
            <ul>
              {grants.map((g) => (
                <li>
                  <strong>{t(`role.${g.roleCode}` as MessageKey)}</strong> — <a href={`/staff/org/${g.unitId}`}>{ctx.locale === 'en' ? g.unitNameEn : g.unitNameVi}</a>{' '}
                  <span class="muted small">({t(`scope.${g.scope}` as MessageKey)})</span>
                </li>
              ))}
            </ul>
          )}
        </Section>
      </Layout>,
    );
  });

  // ---------------------------------------------------------------- my account
  const accountPage = async (req: Parameters<typeof pageCtx>[0], opts2: { error?: AppError; flash?: Flash; values?: Values; form?: 'password' | 'token' } = {}) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const tokens = await auth.tokensOf(req.ctx.actor);
    const roles = await staff.roles();
    const units = new Map((await org.list()).map((u) => [u.id, u]));
    return (
      <Layout ctx={ctx} title={t('account.title')} staff flash={opts2.flash ?? flashFromQuery(ctx, req.query)}>
        <h1>{t('account.title')}</h1>
        <p>
          <strong>{req.ctx.user!.displayName}</strong> <span class="muted">({req.ctx.user!.username})</span>
        </p>
        <div class="grid halves">
          <Section title={t('account.changePassword')} id="password-heading">
            {opts2.form === 'password' ? <FormError ctx={ctx} error={opts2.error} /> : null}
            <form method="post" action="/staff/account/password" class="stack">
              <Csrf ctx={ctx} />
              <Field ctx={ctx} name="current" label={t('account.currentPassword')} type="password" required autocomplete="current-password" />
              <Field ctx={ctx} name="next" label={t('account.newPassword')} type="password" required autocomplete="new-password" />
              <Field ctx={ctx} name="confirm" label={t('account.confirmPassword')} type="password" required autocomplete="new-password" />
              <div>
                <button type="submit">{t('account.changePassword')}</button>
              </div>
            </form>
          </Section>
          <Section title={t('account.tokens')} id="tokens-heading">
            <p class="muted small">{t('account.tokensHelp')}</p>
            {tokens.length === 0 ? (
              <p class="muted">{t('account.tokenNone')}</p>
            ) : (
              <ul>
                {tokens.map((tk) => {
                  const unit = units.get(tk.unitId);
                  return (
                    <li>
                      <strong>{tk.name}</strong> <code>{tk.prefix}…</code> — {t(`role.${tk.roleCode}` as MessageKey)}, {unit ? unitName(ctx, unit) : tk.unitId} ({t(`scope.${tk.scope}` as MessageKey)})
                      <br />
                      <span class="muted small">
                        {t('account.tokenLastUsed')}: {formatTime(ctx, tk.lastUsedAt)}
                        {tk.revokedAt ? ` · ${t('account.tokenRevokedAt')}: ${formatTime(ctx, tk.revokedAt)}` : ''}
                      </span>
                      {tk.revokedAt ? null : (
                        <form method="post" action={`/staff/account/tokens/${tk.id}/revoke`} class="inline">
                          <Csrf ctx={ctx} />{' '}
                          <button type="submit" class="link">
                            {t('account.tokenRevoke')}
                          </button>
                        </form>
                      )}
                    </li>
                  );
                })}
              </ul>
            )}
            {opts2.form === 'token' ? <FormError ctx={ctx} error={opts2.error} /> : null}
            <form method="post" action="/staff/account/tokens" class="stack">
              <Csrf ctx={ctx} />
              <Field ctx={ctx} name="name" label={t('account.tokenName')} values={opts2.values} required maxLength={100} />
              <SelectField ctx={ctx} name="role" label={t('users.role')} values={opts2.values} options={roles.map((r) => [r.code, t(`role.${r.code}` as MessageKey)])} />
              <Field ctx={ctx} name="unit" label={t('users.unit')} values={opts2.values} required maxLength={32} />
              <SelectField ctx={ctx} name="scope" label={t('users.scope')} values={opts2.values} options={(['unit', 'subtree', 'network'] as const).map((s) => [s, t(`scope.${s}`)])} />
              <Field ctx={ctx} name="days" label={t('account.tokenExpires')} values={opts2.values} type="number" inputMode="numeric" />
              <div>
                <button type="submit">{t('account.tokenCreate')}</button>
              </div>
            </form>
          </Section>
        </div>
      </Layout>
    );
  };

  app.get('/account', async (req, reply) => {
    requireUser(req);
    return sendPage(reply, await accountPage(req));
  });

  app.post('/account/password', async (req, reply) => {
    requireUser(req);
    const v = formValues(req);
    try {
      await auth.changePassword(req.ctx.actor, v.current ?? '', v.next ?? '', v.confirm ?? '');
    } catch (e) {
      const err = asFormError(e);
      return sendPage(reply, await accountPage(req, { error: err, form: 'password' }), err.status);
    }
    return reply.redirect('/staff/account?ok=account.passwordChanged', 303);
  });

  app.post('/account/tokens', async (req, reply) => {
    requireUser(req);
    const v = formValues(req);
    try {
      const unit = await org.getByCode(v.unit ?? '');
      const scope: Scope = isScope(v.scope ?? '') ? (v.scope as Scope) : 'unit';
      const days = v.days && /^\d{1,4}$/.test(v.days.trim()) ? Number(v.days) : null;
      const { token } = await auth.createToken(req.ctx.actor, { name: v.name ?? '', roleCode: v.role ?? '', unitId: unit.id, scope, expiresInDays: days || null });
      const ctx = pageCtx(req);
      return sendPage(reply, await accountPage(req, { flash: { kind: 'ok', text: ctx.t('account.tokenCreated', { token }) } }), 201);
    } catch (e) {
      const err = asFormError(e);
      return sendPage(reply, await accountPage(req, { error: err, form: 'token', values: v }), err.status);
    }
  });

  app.post<{ Params: { id: string } }>('/account/tokens/:id/revoke', async (req, reply) => {
    requireUser(req);
    await auth.revokeToken(req.ctx.actor, Number(req.params.id));
    return reply.redirect('/staff/account?ok=account.tokenRevoked', 303);
  });

  const sub = { services: opts.services };
  await app.register(orgPages, sub);
  await app.register(userPages, sub);
  await app.register(auditPages, sub);
  await app.register(groupPages, sub);
  await app.register(catalogPages, sub);
  await app.register(importPages, { ...sub, uploadDir: opts.uploadDir });
  // The app passes its store, clock (and, when it has them, the blob store) along with the services.
  const digitalDeps = opts as StaffRouteOptions & Partial<Omit<DigitalPagesOptions, 'services'>>;
  await app.register(digitalPages, { ...sub, store: digitalDeps.store, clock: digitalDeps.clock, blobs: digitalDeps.blobs });
  await app.register(jobPages, { ...sub, store: digitalDeps.store, clock: digitalDeps.clock });
  await app.register(readerPages, sub);
  await app.register(sitePages, sub);
  await app.register(copyCatalogPages, sub);
  await app.register(harvestPages, sub);
}
