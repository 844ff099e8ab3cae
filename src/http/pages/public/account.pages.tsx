/**
 * Readers' own pages: register (`/account/register`), sign in and out, the account with its
 * card number, profile, password and language (`/account`), saved lists (`/account/lists`) and
 * search history (`/account/history`); and the save form that record pages show
 * (`<SaveToList>`, posting to `/account/save`).
 *
 * Plain forms that work without JavaScript; every one carries the CSRF token, bound to the
 * reader's session once signed in. Handlers read the form, call one use case of the
 * `ReaderService`, and redirect (post/redirect/get) or show the form again with its problems.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../main/container.js';
import type { Actor } from '../../../app/actor.js';
import type { Reader, ReaderList, ReaderListItem, ReaderSearch } from '../../../app/readers/ports.js';
import { AppError } from '../../../domain/errors.js';
import type { OrgUnit } from '../../../domain/org/unit.js';
import { formatCardNumber } from '../../../domain/readers/card.js';
import { HISTORY_KEEP, MAX_LIST_NAME, MAX_NAME, formatPhone } from '../../../domain/readers/reader.js';
import { compareVi } from '../../../text/fold.js';
import type { MessageKey } from '../../../i18n/i18n.js';
import { Breadcrumbs, Csrf, Layout, flashFromQuery, formatDate, formatTime, pageCtx, sendPage, unitName, type Flash, type PageCtx } from '../render.js';
import { Field, FormError, asFormError, formValues, type Values } from '../staff/forms.js';
import { clientIp } from '../../plugins/context.js';

const STYLES = ['account.css'];

/**
 * Only local paths are followed after a form, never another site: the rule of `safeNext` in
 * public.routes.tsx, repeated because importing it would close a cycle (public.routes →
 * search.pages → this module, for the save form).
 */
function safeNext(next: unknown, fallback: string): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.length > 500) return fallback;
  return next;
}
/** Records shown per page of a saved list. */
const LIST_PAGE = 50;

export interface AccountPagesOptions {
  services: Services;
  /** Sign-in and registration attempts per minute per address (default 10). */
  loginRateLimit?: number;
}

// =============================================================================================
// The save form for record pages

/**
 * Saving a record, for its page: a signed-in reader gets a small form (one of their lists, or a
 * new one) posting to `/account/save`, which comes back to the page saying where it was saved;
 * anyone else a link to sign in and come back.
 */
export function SaveToList({ ctx, recordId, back = withoutSaveParams(ctx.url) }: { ctx: PageCtx; recordId: number; back?: string }) {
  const { t } = ctx;
  if (!ctx.reader) {
    return (
      <section class="card save-to-list" id="save" aria-labelledby="save-heading">
        <h2 id="save-heading">{t('readers.save.title')}</h2>
        <p class="muted small">{t('readers.save.signInHelp')}</p>
        <p>
          <a class="button secondary" href={`/account/login?next=${encodeURIComponent(`${back}#save`)}`}>
            {t('readers.save.signIn')}
          </a>
        </p>
      </section>
    );
  }
  const query = new URLSearchParams(ctx.url.split('?')[1] ?? '');
  const savedId = Number(query.get('saved'));
  const saved = ctx.reader.lists.find((l) => l.id === savedId);
  const lists = ctx.reader.lists.length ? ctx.reader.lists : [{ id: 0, name: t('readers.lists.defaultName') }];
  return (
    <section class="card save-to-list" id="save" aria-labelledby="save-heading">
      <h2 id="save-heading">{t('readers.save.title')}</h2>
      {saved ? (
        <p class="flash flash-ok" role="status">
          {t(query.get('already') === '1' ? 'readers.save.already' : 'readers.save.done', { list: saved.name })} <a href={`/account/lists/${saved.id}`}>{t('readers.save.view')}</a>
        </p>
      ) : null}
      <form method="post" action="/account/save" class="stack">
        <Csrf ctx={ctx} />
        <input type="hidden" name="recordId" value={String(recordId)} />
        <input type="hidden" name="next" value={back} />
        <div class="field">
          <label for="save-list">{t('readers.save.into')}</label>
          <select id="save-list" name="listId">
            {lists.map((l) => (
              <option value={l.id ? String(l.id) : ''} selected={l.id === savedId}>
                {l.name}
              </option>
            ))}
          </select>
        </div>
        <details class="save-new">
          {/* Styled as a button by the shared stylesheet: record pages do not load account.css. */}
          <summary class="button secondary">{t('readers.save.newName')}</summary>
          <div class="field">
            <label for="save-new-name">{t('readers.lists.name')}</label>
            <input type="text" id="save-new-name" name="newList" maxLength={MAX_LIST_NAME} aria-describedby="save-new-help" />
            <span class="help" id="save-new-help">
              {t('readers.save.newNameHelp')}
            </span>
          </div>
        </details>
        <div>
          <button type="submit">{t('readers.save.submit')}</button>
        </div>
      </form>
    </section>
  );
}

/** The page's own address (its query kept: the library searched in, say) without the save form's answer. */
function withoutSaveParams(url: string): string {
  const [path = '/', query = ''] = url.split('#')[0]!.split('?');
  const params = new URLSearchParams(query);
  params.delete('saved');
  params.delete('already');
  const rest = params.toString();
  return rest ? `${path}?${rest}` : path;
}

// =============================================================================================
// Pieces of the pages

function AccountNav({ ctx }: { ctx: PageCtx }) {
  const items: Array<[string, MessageKey]> = [
    ['/account', 'readers.nav.profile'],
    ['/account/lists', 'readers.nav.lists'],
    ['/account/history', 'readers.nav.history'],
  ];
  return (
    <nav class="account-nav" aria-label={ctx.t('readers.nav.sections')}>
      <ul>
        {items.map(([href, key]) => {
          const current = href === '/account' ? ctx.path === '/account' : ctx.path.startsWith(href);
          return (
            <li>
              <a href={href} aria-current={current ? 'page' : undefined}>
                {ctx.t(key)}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function StatusBadge({ ctx, status }: { ctx: PageCtx; status: Reader['status'] }) {
  return <span class={`badge reader-status reader-status-${status}`}>{ctx.t(`readers.status.${status}`)}</span>;
}

/** The home-library chooser: open libraries that take readers, in Vietnamese order. */
function HomeSelect({ ctx, homes, value, problems }: { ctx: PageCtx; homes: readonly OrgUnit[]; value: string | undefined; problems: AppError['details'] }) {
  const problem = problems?.find((p) => p.field === 'homeUnitId');
  const sorted = [...homes].sort((a, b) => compareVi(unitName(ctx, a), unitName(ctx, b)));
  return (
    <div class="field">
      <label for="f-homeUnitId">
        {ctx.t('readers.field.home')}
        <span class="muted small"> ({ctx.t('common.required')})</span>
      </label>
      <select id="f-homeUnitId" name="homeUnitId" required aria-invalid={problem ? 'true' : undefined} aria-describedby={`f-homeUnitId-help${problem ? ' f-homeUnitId-error' : ''}`}>
        <option value="">{ctx.t('readers.field.homeChoose')}</option>
        {sorted.map((u) => (
          <option value={String(u.id)} selected={String(u.id) === value}>
            {unitName(ctx, u)}
          </option>
        ))}
      </select>
      <span class="help" id="f-homeUnitId-help">
        {ctx.t('readers.field.homeHelp')}
      </span>
      {problem ? (
        <span class="field-error" id="f-homeUnitId-error">
          {ctx.t(`error.${problem.code}` as MessageKey, problem.params)}
        </span>
      ) : null}
    </div>
  );
}

function LanguageChoice({ ctx, value }: { ctx: PageCtx; value: string }) {
  return (
    <fieldset class="field">
      <legend>{ctx.t('readers.field.language')}</legend>
      {(['vi', 'en'] as const).map((l) => (
        <label class="choice" lang={l}>
          <input type="radio" name="locale" value={l} checked={value === l} />
          <span>{ctx.t(`lang.${l}`)}</span>
        </label>
      ))}
    </fieldset>
  );
}

/** The library's address, hours and phone: where to go. */
function LibraryFacts({ ctx, unit }: { ctx: PageCtx; unit: OrgUnit }) {
  const { t } = ctx;
  return (
    <dl class="facts">
      {unit.address ? (
        <>
          <dt>{t('readers.library.address')}</dt>
          <dd>{unit.address}</dd>
        </>
      ) : null}
      {unit.openingHours ? (
        <>
          <dt>{t('readers.library.hours')}</dt>
          <dd>{unit.openingHours}</dd>
        </>
      ) : null}
      {unit.phone ? (
        <>
          <dt>{t('readers.library.phone')}</dt>
          <dd>
            <a href={`tel:${unit.phone.replace(/[^\d+]/g, '')}`}>{unit.phone}</a>
          </dd>
        </>
      ) : null}
    </dl>
  );
}

function LibraryLink({ ctx, unit }: { ctx: PageCtx; unit: OrgUnit | undefined }) {
  if (!unit) return <>{ctx.t('common.none')}</>;
  return <a href={`/l/${unit.slug}`}>{unitName(ctx, unit)}</a>;
}

// =============================================================================================
// Routes

export async function accountPages(app: FastifyInstance, opts: AccountPagesOptions): Promise<void> {
  const { readers, org } = opts.services;
  const limited = { rateLimit: { max: opts.loginRateLimit ?? 10, timeWindow: '1 minute' } };
  const reqInfo = (req: FastifyRequest) => ({ ip: clientIp(req), userAgent: req.headers['user-agent'] ?? null, requestId: req.id });

  /** The signed-in reader's actor, or a redirect to the sign-in page (coming back here after). */
  const signedIn = (req: FastifyRequest, reply: FastifyReply): Actor | undefined => {
    if (req.ctx.readerActor) return req.ctx.readerActor;
    const next = req.method === 'GET' ? req.url.slice(0, 400) : '/account';
    void reply.redirect(`/account/login?next=${encodeURIComponent(next)}${req.ctx.readerSessionExpired ? '&expired=1' : ''}`, 303);
    return undefined;
  };

  const unitsById = async () => new Map((await org.list()).map((u) => [u.id, u]));

  // ---------------------------------------------------------------- registration

  const registerPage = async (req: FastifyRequest, values: Values, error?: AppError) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const p = error?.details;
    const homes = await readers.homeLibraries();
    return (
      <Layout ctx={ctx} title={t('readers.register.title')} styles={STYLES}>
        <div class="account-narrow">
          <h1>{t('readers.register.title')}</h1>
          <p class="lead">{t('readers.register.intro')}</p>
          <FormError ctx={ctx} error={error} shownFields={['name', 'email', 'phone', 'birthYear', 'homeUnitId', 'password', 'confirm']} />
          <form method="post" action="/account/register" class="stack card" novalidate>
            <Csrf ctx={ctx} />
            <Field ctx={ctx} name="name" label={t('readers.field.name')} values={values} problems={p} required maxLength={MAX_NAME} autocomplete="name" />
            <Field ctx={ctx} name="email" label={t('readers.field.email')} values={values} problems={p} type="email" required maxLength={254} autocomplete="email" inputMode="email" help={t('readers.field.emailHelp')} />
            <Field ctx={ctx} name="phone" label={t('readers.field.phone')} values={values} problems={p} type="tel" maxLength={30} autocomplete="tel" inputMode="tel" help={t('readers.field.phoneHelp')} />
            <Field ctx={ctx} name="birthYear" label={t('readers.field.birthYear')} values={values} problems={p} maxLength={4} inputMode="numeric" autocomplete="bday-year" help={t('readers.field.birthYearHelp')} />
            <HomeSelect ctx={ctx} homes={homes} value={values.homeUnitId} problems={p} />
            <Field ctx={ctx} name="password" label={t('readers.field.password')} problems={p} type="password" required maxLength={256} autocomplete="new-password" help={t('readers.field.passwordHelp')} />
            <Field ctx={ctx} name="confirm" label={t('readers.field.confirm')} problems={p} type="password" required maxLength={256} autocomplete="new-password" />
            <LanguageChoice ctx={ctx} value={values.locale === 'en' || values.locale === 'vi' ? values.locale : ctx.locale} />
            <div class="actions">
              <button type="submit">{t('readers.register.submit')}</button>
            </div>
          </form>
          <p>
            {t('readers.register.haveAccount')} <a href="/account/login">{t('readers.register.signIn')}</a>
          </p>
        </div>
      </Layout>
    );
  };

  app.get('/account/register', { schema: { hide: true } }, async (req, reply) => {
    if (req.ctx.reader) return reply.redirect('/account', 303);
    return sendPage(reply, await registerPage(req, {}));
  });

  app.post('/account/register', { schema: { hide: true }, config: limited }, async (req, reply) => {
    const v = formValues(req);
    try {
      const reader = await readers.register(
        { name: v.name, email: v.email, phone: v.phone, birthYear: v.birthYear, homeUnitId: v.homeUnitId, password: v.password ?? '', confirm: v.confirm ?? '', locale: v.locale },
        reqInfo(req),
      );
      if (reader.locale === 'vi' || reader.locale === 'en') reply.setLangCookie(reader.locale);
      return reply.redirect(`/account/registered?library=${reader.homeUnitId}`, 303);
    } catch (e) {
      const err = asFormError(e);
      // The password is never sent back into the page.
      const { password: _p, confirm: _c, ...keep } = v;
      return sendPage(reply, await registerPage(req, keep, err), err.status);
    }
  });

  app.get('/account/registered', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const raw = String((req.query as { library?: string }).library ?? '');
    const unit = /^\d{1,9}$/.test(raw) ? (await unitsById()).get(Number(raw)) : undefined;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('readers.registered.title')} styles={STYLES}>
        <div class="account-narrow">
          <h1>{t('readers.registered.title')}</h1>
          <div class="card reader-pending" role="status">
            <p class="lead">
              <StatusBadge ctx={ctx} status="pending" /> {unit ? t('readers.registered.waiting', { library: unitName(ctx, unit) }) : t('readers.registered.lead')}
            </p>
            <p>{t('readers.registered.card')}</p>
          </div>
          {unit ? (
            <section class="card" aria-labelledby="library-heading">
              <h2 id="library-heading">
                <LibraryLink ctx={ctx} unit={unit} />
              </h2>
              <LibraryFacts ctx={ctx} unit={unit} />
            </section>
          ) : null}
          <section class="card" aria-labelledby="bring-heading">
            <h2 id="bring-heading">{t('readers.registered.bring')}</h2>
            <ul>
              <li>{t('readers.registered.bringId')}</li>
              <li>{t('readers.registered.bringEmail')}</li>
            </ul>
          </section>
          <p>{t('readers.registered.meanwhile')}</p>
          <p class="actions">
            <a class="button" href="/account/login">
              {t('readers.login.submit')}
            </a>
          </p>
        </div>
      </Layout>,
    );
  });

  // ---------------------------------------------------------------- sign-in

  const loginPage = (req: FastifyRequest, values: Values, error?: AppError) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const q = req.query as { next?: string; expired?: string };
    const flash: Flash | undefined = error ? undefined : q.expired === '1' ? { kind: 'error', text: t('readers.login.expired') } : flashFromQuery(ctx, req.query);
    return (
      <Layout ctx={ctx} title={t('readers.login.title')} flash={flash} styles={STYLES}>
        <div class="card login-card">
          <h1>{t('readers.login.title')}</h1>
          <FormError ctx={ctx} error={error} />
          <form method="post" action="/account/login" class="stack">
            <Csrf ctx={ctx} />
            <input type="hidden" name="next" value={safeNext(values.next ?? q.next, '/account')} />
            <Field ctx={ctx} name="identifier" label={t('readers.login.identifier')} values={values} required autocomplete="username" maxLength={254} />
            <Field ctx={ctx} name="password" label={t('readers.login.password')} type="password" required autocomplete="current-password" maxLength={256} />
            <div>
              <button type="submit">{t('readers.login.submit')}</button>
            </div>
          </form>
          <p>
            {t('readers.login.noAccount')} <a href="/account/register">{t('readers.login.register')}</a>
          </p>
          <p class="muted small">{t('readers.login.forgot')}</p>
          <p class="small staff-login">
            {t('readers.login.staff')} <a href="/staff/login">{t('readers.login.staffLink')}</a>
          </p>
        </div>
      </Layout>
    );
  };

  app.get('/account/login', { schema: { hide: true } }, async (req, reply) => {
    if (req.ctx.reader) return reply.redirect(safeNext((req.query as { next?: string }).next, '/account'), 303);
    return sendPage(reply, loginPage(req, {}));
  });

  app.post('/account/login', { schema: { hide: true }, config: limited }, async (req, reply) => {
    const v = formValues(req);
    try {
      const { token, reader } = await readers.login(v.identifier ?? '', v.password ?? '', reqInfo(req));
      reply.setReaderSession(token);
      if (reader.locale === 'vi' || reader.locale === 'en') reply.setLangCookie(reader.locale);
      return reply.redirect(safeNext(v.next, '/account'), 303);
    } catch (e) {
      const err = asFormError(e);
      return sendPage(reply, loginPage(req, { identifier: v.identifier?.slice(0, 254), next: v.next }, err), err.status);
    }
  });

  app.post('/account/logout', { schema: { hide: true } }, async (req, reply) => {
    if (req.ctx.readerActor) await readers.logout(req.ctx.readerActor);
    reply.clearReaderSession();
    return reply.redirect('/account/login?ok=readers.login.loggedOut', 303);
  });

  // ---------------------------------------------------------------- the account

  const accountPage = async (req: FastifyRequest, actor: Actor, o: { error?: AppError; form?: 'profile' | 'password'; values?: Values; flash?: Flash } = {}) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const me = await readers.me(actor);
    const units = await unitsById();
    const home = units.get(me.homeUnitId);
    const cardUnit = me.cardUnitId === null ? undefined : units.get(me.cardUnitId);
    const homes = await readers.homeLibraries();
    if (!homes.some((u) => u.id === me.homeUnitId) && home) homes.push(home);
    const profileValues: Values = o.form === 'profile' && o.values ? o.values : { name: me.name, email: me.email, phone: me.phone ? formatPhone(me.phone) : '', birthYear: me.birthYear === null ? '' : String(me.birthYear), homeUnitId: String(me.homeUnitId) };
    const pp = o.form === 'profile' ? o.error?.details : undefined;
    const pw = o.form === 'password' ? o.error?.details : undefined;
    return (
      <Layout ctx={ctx} title={t('readers.account.title')} flash={o.flash ?? flashFromQuery(ctx, req.query)} styles={STYLES}>
        <h1>{t('readers.account.hello', { name: me.name })}</h1>
        <AccountNav ctx={ctx} />
        <section class={`card reader-card reader-card-${me.status}`} aria-labelledby="card-heading">
          <h2 id="card-heading">{t('readers.account.card')}</h2>
          {me.cardNumber ? (
            <>
              <p class="card-number">{formatCardNumber(me.cardNumber)}</p>
              <p class="muted small">{t('readers.account.cardIssued', { library: cardUnit ? unitName(ctx, cardUnit) : '', date: formatDate(ctx, me.cardIssuedAt?.slice(0, 10) ?? null) })}</p>
            </>
          ) : (
            <>
              <p class="lead">
                <StatusBadge ctx={ctx} status={me.status} />
              </p>
              <p>{t('readers.account.pendingText', { library: home ? unitName(ctx, home) : '' })}</p>
            </>
          )}
          <dl class="facts">
            <dt>{t('readers.account.status')}</dt>
            <dd>
              <StatusBadge ctx={ctx} status={me.status} />
            </dd>
            <dt>{t('readers.account.home')}</dt>
            <dd>
              <LibraryLink ctx={ctx} unit={home} />
            </dd>
          </dl>
        </section>
        <div class="grid halves">
          <section class="card" aria-labelledby="profile-heading">
            <h2 id="profile-heading">{t('readers.account.profile')}</h2>
            {o.form === 'profile' ? <FormError ctx={ctx} error={o.error} shownFields={['name', 'email', 'phone', 'birthYear', 'homeUnitId', 'currentPassword']} /> : null}
            <form method="post" action="/account/profile" class="stack" novalidate>
              <Csrf ctx={ctx} />
              <Field ctx={ctx} name="name" label={t('readers.field.name')} values={profileValues} problems={pp} required maxLength={MAX_NAME} autocomplete="name" />
              <Field ctx={ctx} name="email" label={t('readers.field.email')} values={profileValues} problems={pp} type="email" required maxLength={254} autocomplete="email" inputMode="email" />
              <Field ctx={ctx} name="phone" label={t('readers.field.phone')} values={profileValues} problems={pp} type="tel" maxLength={30} autocomplete="tel" inputMode="tel" help={t('readers.field.phoneHelp')} />
              <Field ctx={ctx} name="birthYear" label={t('readers.field.birthYear')} values={profileValues} problems={pp} maxLength={4} inputMode="numeric" autocomplete="bday-year" />
              <HomeSelect ctx={ctx} homes={homes} value={profileValues.homeUnitId} problems={pp} />
              <Field ctx={ctx} name="currentPassword" label={t('readers.field.currentPassword')} problems={pp} type="password" maxLength={256} autocomplete="current-password" help={t('readers.field.currentPasswordHelp')} />
              <div>
                <button type="submit">{t('readers.account.save')}</button>
              </div>
            </form>
          </section>
          <div>
            <section class="card" aria-labelledby="password-heading">
              <h2 id="password-heading">{t('readers.account.changePassword')}</h2>
              {o.form === 'password' ? <FormError ctx={ctx} error={o.error} shownFields={['current', 'next', 'confirm']} /> : null}
              <form method="post" action="/account/password" class="stack">
                <Csrf ctx={ctx} />
                <Field ctx={ctx} name="current" label={t('readers.field.currentPassword')} problems={pw} type="password" required maxLength={256} autocomplete="current-password" />
                <Field ctx={ctx} name="next" label={t('readers.field.newPassword')} problems={pw} type="password" required maxLength={256} autocomplete="new-password" help={t('readers.field.passwordHelp')} />
                <Field ctx={ctx} name="confirm" label={t('readers.field.confirm')} problems={pw} type="password" required maxLength={256} autocomplete="new-password" />
                <div>
                  <button type="submit">{t('readers.account.changePassword')}</button>
                </div>
              </form>
            </section>
            <section class="card" aria-labelledby="language-heading">
              <h2 id="language-heading">{t('readers.account.language')}</h2>
              <p class="muted small">{t('readers.account.languageHelp')}</p>
              <form method="post" action="/account/language" class="stack">
                <Csrf ctx={ctx} />
                <LanguageChoice ctx={ctx} value={me.locale === 'en' || me.locale === 'vi' ? me.locale : ctx.locale} />
                <div>
                  <button type="submit" class="secondary">
                    {t('readers.account.languageSave')}
                  </button>
                </div>
              </form>
            </section>
          </div>
        </div>
      </Layout>
    );
  };

  app.get('/account', { schema: { hide: true } }, async (req, reply) => {
    const actor = signedIn(req, reply);
    if (!actor) return reply;
    return sendPage(reply, await accountPage(req, actor));
  });

  app.post('/account/profile', { schema: { hide: true } }, async (req, reply) => {
    const actor = signedIn(req, reply);
    if (!actor) return reply;
    const v = formValues(req);
    try {
      await readers.updateProfile(actor, { name: v.name, email: v.email, phone: v.phone, birthYear: v.birthYear, homeUnitId: v.homeUnitId, currentPassword: v.currentPassword });
    } catch (e) {
      const err = asFormError(e);
      const { currentPassword: _p, ...keep } = v;
      return sendPage(reply, await accountPage(req, actor, { error: err, form: 'profile', values: keep }), err.status);
    }
    return reply.redirect('/account?ok=readers.profile.saved', 303);
  });

  app.post('/account/password', { schema: { hide: true } }, async (req, reply) => {
    const actor = signedIn(req, reply);
    if (!actor) return reply;
    const v = formValues(req);
    try {
      await readers.changePassword(actor, v.current ?? '', v.next ?? '', v.confirm ?? '');
    } catch (e) {
      const err = asFormError(e);
      return sendPage(reply, await accountPage(req, actor, { error: err, form: 'password' }), err.status);
    }
    return reply.redirect('/account?ok=readers.password.changed', 303);
  });

  app.post('/account/language', { schema: { hide: true } }, async (req, reply) => {
    const actor = signedIn(req, reply);
    if (!actor) return reply;
    const locale = formValues(req).locale;
    await readers.setLocale(actor, locale);
    if (locale === 'vi' || locale === 'en') reply.setLangCookie(locale);
    return reply.redirect('/account?ok=readers.locale.saved', 303);
  });

  // ---------------------------------------------------------------- saved lists

  const listsPage = async (req: FastifyRequest, actor: Actor, o: { error?: AppError; values?: Values } = {}) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const lists = await readers.lists(actor);
    return (
      <Layout ctx={ctx} title={t('readers.lists.title')} flash={flashFromQuery(ctx, req.query)} styles={STYLES}>
        <h1>{t('readers.lists.title')}</h1>
        <AccountNav ctx={ctx} />
        {lists.length === 0 ? (
          <p class="card muted">{t('readers.lists.none')}</p>
        ) : (
          <ul class="reader-lists">
            {lists.map((l) => (
              <li>
                <a href={`/account/lists/${l.id}`}>{l.name}</a>
                <span class="muted small">
                  {t('readers.lists.count', { count: l.items })} · {t('readers.lists.updated', { date: formatTime(ctx, l.updatedAt) })}
                </span>
              </li>
            ))}
          </ul>
        )}
        <section class="card" aria-labelledby="new-list-heading">
          <h2 id="new-list-heading">{t('readers.lists.new')}</h2>
          <FormError ctx={ctx} error={o.error} shownFields={['name']} />
          <form method="post" action="/account/lists" class="inline-form">
            <Csrf ctx={ctx} />
            <Field ctx={ctx} name="name" label={t('readers.lists.name')} values={o.values} problems={o.error?.details} required maxLength={MAX_LIST_NAME} />
            <button type="submit">{t('readers.lists.create')}</button>
          </form>
        </section>
      </Layout>
    );
  };

  app.get('/account/lists', { schema: { hide: true } }, async (req, reply) => {
    const actor = signedIn(req, reply);
    if (!actor) return reply;
    return sendPage(reply, await listsPage(req, actor));
  });

  app.post('/account/lists', { schema: { hide: true } }, async (req, reply) => {
    const actor = signedIn(req, reply);
    if (!actor) return reply;
    const v = formValues(req);
    try {
      const list = await readers.createList(actor, v.name);
      return reply.redirect(`/account/lists/${list.id}?ok=readers.lists.created`, 303);
    } catch (e) {
      const err = asFormError(e);
      return sendPage(reply, await listsPage(req, actor, { error: err, values: { name: v.name?.slice(0, 200) } }), err.status);
    }
  });

  const listId = (req: FastifyRequest): number => {
    const raw = (req.params as { id?: string }).id ?? '';
    // Anything but a plain id is nobody's list.
    if (!/^\d{1,10}$/.test(raw)) throw new AppError('READER_LIST_NOT_FOUND');
    return Number(raw);
  };

  const listPage = async (req: FastifyRequest, actor: Actor, o: { error?: AppError; values?: Values } = {}) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const pageRaw = String((req.query as { page?: string }).page ?? '1');
    const page = /^\d{1,4}$/.test(pageRaw) && Number(pageRaw) >= 1 ? Number(pageRaw) : 1;
    const { list, items } = await readers.list(actor, listId(req), { limit: LIST_PAGE + 1, offset: (page - 1) * LIST_PAGE });
    const more = items.length > LIST_PAGE;
    return (
      <Layout ctx={ctx} title={list.name} flash={flashFromQuery(ctx, req.query)} styles={STYLES}>
        <Breadcrumbs
          label={t('nav.menu')}
          items={[
            ['/account', t('readers.account.title')],
            ['/account/lists', t('readers.lists.title')],
          ]}
        />
        <h1>{list.name}</h1>
        <p class="muted">{t('readers.lists.count', { count: list.items })}</p>
        <section aria-labelledby="items-heading">
          <h2 id="items-heading" class="visually-hidden">
            {t('readers.lists.items')}
          </h2>
          {items.length === 0 ? <p class="card muted">{t('readers.lists.empty')}</p> : <ListItems ctx={ctx} list={list} items={items.slice(0, LIST_PAGE)} />}
          {more || page > 1 ? (
            <p class="actions">
              {page > 1 ? <a href={`/account/lists/${list.id}${page > 2 ? `?page=${page - 1}` : ''}`}>← {t('readers.lists.prev')}</a> : null}
              {more ? <a href={`/account/lists/${list.id}?page=${page + 1}`}>{t('readers.lists.more')} →</a> : null}
            </p>
          ) : null}
        </section>
        <div class="grid halves">
          <section class="card" aria-labelledby="rename-heading">
            <h2 id="rename-heading">{t('readers.lists.rename')}</h2>
            <FormError ctx={ctx} error={o.error} shownFields={['name']} />
            <form method="post" action={`/account/lists/${list.id}/rename`} class="inline-form">
              <Csrf ctx={ctx} />
              <Field ctx={ctx} name="name" label={t('readers.lists.name')} values={o.values ?? { name: list.name }} problems={o.error?.details} required maxLength={MAX_LIST_NAME} />
              <button type="submit" class="secondary">
                {t('readers.lists.renameSubmit')}
              </button>
            </form>
          </section>
          <section class="card" aria-labelledby="delete-heading">
            <h2 id="delete-heading">{t('readers.lists.delete')}</h2>
            <form method="post" action={`/account/lists/${list.id}/delete`}>
              <Csrf ctx={ctx} />
              <p>{t('readers.lists.deleteConfirm', { name: list.name, count: list.items })}</p>
              <button type="submit" class="danger">
                {t('readers.lists.deleteSubmit')}
              </button>
            </form>
          </section>
        </div>
      </Layout>
    );
  };

  app.get('/account/lists/:id', { schema: { hide: true } }, async (req, reply) => {
    const actor = signedIn(req, reply);
    if (!actor) return reply;
    return sendPage(reply, await listPage(req, actor));
  });

  app.post('/account/lists/:id/rename', { schema: { hide: true } }, async (req, reply) => {
    const actor = signedIn(req, reply);
    if (!actor) return reply;
    const v = formValues(req);
    const id = listId(req);
    try {
      await readers.renameList(actor, id, v.name);
    } catch (e) {
      const err = asFormError(e);
      if (err.code === 'READER_LIST_NOT_FOUND') throw err;
      return sendPage(reply, await listPage(req, actor, { error: err, values: { name: v.name?.slice(0, 200) } }), err.status);
    }
    return reply.redirect(`/account/lists/${id}?ok=readers.lists.renamed`, 303);
  });

  app.post('/account/lists/:id/delete', { schema: { hide: true } }, async (req, reply) => {
    const actor = signedIn(req, reply);
    if (!actor) return reply;
    await readers.deleteList(actor, listId(req));
    return reply.redirect('/account/lists?ok=readers.lists.deleted', 303);
  });

  app.post('/account/lists/:id/remove', { schema: { hide: true } }, async (req, reply) => {
    const actor = signedIn(req, reply);
    if (!actor) return reply;
    const id = listId(req);
    const recordId = Number(formValues(req).recordId);
    if (!Number.isInteger(recordId) || recordId < 1) throw new AppError('VALIDATION', {}, [{ field: 'recordId', code: 'VALIDATION' }]);
    await readers.removeFromList(actor, id, recordId);
    return reply.redirect(`/account/lists/${id}?ok=readers.lists.removed`, 303);
  });

  // ---------------------------------------------------------------- saving from a record page

  const savePage = async (req: FastifyRequest, recordId: number, error?: AppError) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    return (
      <Layout ctx={ctx} title={t('readers.save.title')} styles={STYLES}>
        <h1>{t('readers.save.title')}</h1>
        <p>
          <a href={`/record/${recordId}`}>← {t('readers.save.back')}</a>
        </p>
        <FormError ctx={ctx} error={error} />
        <SaveToList ctx={ctx} recordId={recordId} back={`/record/${recordId}`} />
      </Layout>
    );
  };

  app.get('/account/save', { schema: { hide: true } }, async (req, reply) => {
    const actor = signedIn(req, reply);
    if (!actor) return reply;
    const recordId = Number((req.query as { record?: string }).record);
    if (!Number.isInteger(recordId) || recordId < 1) throw new AppError('NOT_FOUND');
    return sendPage(reply, await savePage(req, recordId));
  });

  app.post('/account/save', { schema: { hide: true } }, async (req, reply) => {
    const v = formValues(req);
    const recordId = /^\d{1,10}$/.test(v.recordId ?? '') ? Number(v.recordId) : NaN;
    if (!req.ctx.readerActor) {
      const back = Number.isInteger(recordId) ? `/record/${recordId}#save` : '/account';
      return reply.redirect(`/account/login?next=${encodeURIComponent(back)}`, 303);
    }
    if (!Number.isInteger(recordId) || recordId < 1) throw new AppError('READER_RECORD_UNAVAILABLE', { record: String(v.recordId ?? '').slice(0, 20) });
    const listIdRaw = v.listId ?? '';
    try {
      const { list, added } = await readers.save(req.ctx.readerActor, { recordId, listId: /^\d{1,10}$/.test(listIdRaw) ? Number(listIdRaw) : null, newListName: v.newList ?? null });
      const back = safeNext(v.next, `/record/${recordId}`).split('#')[0]!;
      return reply.redirect(`${back}${back.includes('?') ? '&' : '?'}saved=${list.id}${added ? '' : '&already=1'}#save`, 303);
    } catch (e) {
      const err = asFormError(e);
      if (err.code === 'READER_RECORD_UNAVAILABLE' || err.code === 'READER_LIST_NOT_FOUND') throw err;
      return sendPage(reply, await savePage(req, recordId, err), err.status);
    }
  });

  // ---------------------------------------------------------------- search history

  app.get('/account/history', { schema: { hide: true } }, async (req, reply) => {
    const actor = signedIn(req, reply);
    if (!actor) return reply;
    const ctx = pageCtx(req);
    const { t } = ctx;
    const [me, searches] = await Promise.all([readers.me(actor), readers.history(actor)]);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('readers.history.title')} flash={flashFromQuery(ctx, req.query)} styles={STYLES}>
        <h1>{t('readers.history.title')}</h1>
        <AccountNav ctx={ctx} />
        <p class="muted">{t('readers.history.help', { max: HISTORY_KEEP })}</p>
        {me.historyEnabled ? null : (
          <p class="flash flash-warning" role="status">
            {t('readers.history.off')}
          </p>
        )}
        {searches.length === 0 ? <p class="card muted">{t('readers.history.none')}</p> : <HistoryItems ctx={ctx} searches={searches} />}
        <div class="actions">
          {searches.length > 0 ? (
            <form method="post" action="/account/history/clear">
              <Csrf ctx={ctx} />
              <button type="submit" class="secondary">
                {t('readers.history.clear')}
              </button>
            </form>
          ) : null}
          <form method="post" action="/account/history/enabled">
            <Csrf ctx={ctx} />
            <input type="hidden" name="enabled" value={me.historyEnabled ? '0' : '1'} />
            <button type="submit" class="secondary">
              {me.historyEnabled ? t('readers.history.turnOff') : t('readers.history.turnOn')}
            </button>
          </form>
        </div>
      </Layout>,
    );
  });

  app.post('/account/history/clear', { schema: { hide: true } }, async (req, reply) => {
    const actor = signedIn(req, reply);
    if (!actor) return reply;
    await readers.clearHistory(actor);
    return reply.redirect('/account/history?ok=readers.history.cleared', 303);
  });

  app.post('/account/history/enabled', { schema: { hide: true } }, async (req, reply) => {
    const actor = signedIn(req, reply);
    if (!actor) return reply;
    const on = formValues(req).enabled === '1';
    await readers.setHistoryEnabled(actor, on);
    return reply.redirect(`/account/history?ok=${on ? 'readers.history.onDone' : 'readers.history.offDone'}`, 303);
  });
}

function ListItems({ ctx, list, items }: { ctx: PageCtx; list: ReaderList; items: readonly ReaderListItem[] }) {
  const { t } = ctx;
  return (
    <ol class="saved-items">
      {items.map((i) => (
        <li>
          <div class="saved-item-text">
            {i.recordStatus === 'active' ? (
              <a class="saved-title" href={`/record/${i.recordId}`}>
                {i.title}
              </a>
            ) : (
              <span class="saved-title">{i.title}</span>
            )}
            {i.author || i.year ? <span class="muted">{[i.author, i.year].filter(Boolean).join(' · ')}</span> : null}
            {i.recordStatus !== 'active' ? (
              i.replacedById ? (
                <span class="small">
                  {t('readers.lists.replaced')} <a href={`/record/${i.replacedById}`}>{t('readers.lists.replacedLink')}</a>
                </span>
              ) : (
                <span class="small muted">{t('readers.lists.gone')}</span>
              )
            ) : null}
            <span class="small muted">{t('readers.lists.savedOn', { date: formatTime(ctx, i.addedAt) })}</span>
          </div>
          <form method="post" action={`/account/lists/${list.id}/remove`}>
            <Csrf ctx={ctx} />
            <input type="hidden" name="recordId" value={String(i.recordId)} />
            <button type="submit" class="secondary small-button">
              {t('readers.lists.remove')}
              <span class="visually-hidden">{` – ${i.title.slice(0, 120)}`}</span>
            </button>
          </form>
        </li>
      ))}
    </ol>
  );
}

function HistoryItems({ ctx, searches }: { ctx: PageCtx; searches: readonly ReaderSearch[] }) {
  const { t } = ctx;
  return (
    <ol class="history-items">
      {searches.map((s) => (
        <li>
          <a href={`/search?${s.params}`}>
            {s.query}
            <span class="visually-hidden">{` – ${t('readers.history.again')}`}</span>
          </a>
          <span class="muted small">
            {s.resultCount === null ? '' : `${t('readers.history.results', { count: s.resultCount })} · `}
            <time dateTime={s.at}>{formatTime(ctx, s.at)}</time>
          </span>
        </li>
      ))}
    </ol>
  );
}
