/**
 * Staff pages for readers: `/staff/readers` (the registrations waiting for a library the staff
 * member manages, with approve and refuse at hand, and a search by name, card number or email)
 * and `/staff/readers/:id` (one reader: details, suspend, reactivate, reset the password).
 * Every check is the use case's (`reader.manage` at the reader's home library).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../../main/container.js';
import type { Reader } from '../../../app/readers/ports.js';
import { AppError } from '../../../domain/errors.js';
import type { OrgUnit } from '../../../domain/org/unit.js';
import { formatCardNumber } from '../../../domain/readers/card.js';
import { MAX_REASON, READER_STATUSES, formatPhone, isReaderStatus, type ReaderStatus } from '../../../domain/readers/reader.js';
import { Csrf, Layout, flashFromQuery, formatDate, formatTime, pageCtx, sendPage, unitName, type Flash, type PageCtx } from '../render.js';
import { FormError, asFormError, formValues, requireUser } from './forms.js';

const STYLES = ['account.css'];

function StatusBadge({ ctx, status }: { ctx: PageCtx; status: ReaderStatus }) {
  return <span class={`badge reader-status reader-status-${status}`}>{ctx.t(`readers.status.${status}`)}</span>;
}

/** The reason field of a refusal or suspension, with its own id so several can share a page. */
function ReasonField({ ctx, id }: { ctx: PageCtx; id: string }) {
  return (
    <div class="field">
      <label for={id}>{ctx.t('readers.staff.reason')}</label>
      <input type="text" id={id} name="reason" required maxLength={MAX_REASON} aria-describedby={`${id}-help`} />
      <span class="help" id={`${id}-help`}>
        {ctx.t('readers.staff.reasonHelp')}
      </span>
    </div>
  );
}

/** Approve (with the issuing library when there is a choice) and refuse, for one pending reader. */
function Decide({ ctx, reader, issuers, back }: { ctx: PageCtx; reader: Reader; issuers: readonly OrgUnit[]; back: string }) {
  const { t } = ctx;
  return (
    <div class="decide">
      <form method="post" action={`/staff/readers/${reader.id}/approve`} class="decide-approve">
        <Csrf ctx={ctx} />
        <input type="hidden" name="back" value={back} />
        {issuers.length > 1 ? (
          <div class="field">
            <label for={`issuer-${reader.id}`}>{t('readers.staff.issuer')}</label>
            <select id={`issuer-${reader.id}`} name="issuingUnitId">
              {issuers.map((u) => (
                <option value={String(u.id)}>{unitName(ctx, u)}</option>
              ))}
            </select>
          </div>
        ) : null}
        <button type="submit">
          {t('readers.staff.approve')}
          <span class="visually-hidden">{` – ${reader.name}`}</span>
        </button>
      </form>
      <details class="decide-reject">
        <summary>
          {t('readers.staff.reject')}
          <span class="visually-hidden">{` – ${reader.name}`}</span>
        </summary>
        <form method="post" action={`/staff/readers/${reader.id}/reject`} class="stack">
          <Csrf ctx={ctx} />
          <input type="hidden" name="back" value={back} />
          <ReasonField ctx={ctx} id={`reject-reason-${reader.id}`} />
          <div>
            <button type="submit" class="danger">
              {t('readers.staff.rejectSubmit')}
            </button>
          </div>
        </form>
      </details>
    </div>
  );
}

export async function readerPages(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { readers, org } = opts.services;

  const idOf = (req: FastifyRequest): number => {
    const raw = (req.params as { id?: string }).id ?? '';
    if (!/^\d{1,10}$/.test(raw)) throw new AppError('READER_NOT_FOUND', { reader: raw.slice(0, 20) });
    return Number(raw);
  };
  /** Where to go after an action on the queue or the reader's page: only our own pages. */
  const backTo = (raw: string | undefined, id: number, ok: string): string => {
    const base = raw === '/staff/readers' ? '/staff/readers' : `/staff/readers/${id}`;
    return `${base}?ok=${ok}`;
  };

  app.get('/readers', async (req, reply) => {
    requireUser(req);
    const actor = req.ctx.actor;
    const ctx = pageCtx(req);
    const { t } = ctx;
    const q = req.query as { q?: string; status?: string };
    const text = String(q.q ?? '').slice(0, 100);
    const status = isReaderStatus(q.status) ? q.status : undefined;
    const searching = text.trim() !== '' || status !== undefined;
    const [queue, counts, found, units] = await Promise.all([readers.queue(actor), readers.counts(actor), searching ? readers.search(actor, { text, status }) : Promise.resolve([]), org.list()]);
    const byId = new Map(units.map((u) => [u.id, u]));
    const issuers = await readers.issuingChoices(actor, queue);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('readers.staff.title')} staff flash={flashFromQuery(ctx, req.query)} styles={STYLES}>
        <h1>{t('readers.staff.title')}</h1>
        <section aria-labelledby="counts-heading">
          <h2 id="counts-heading" class="visually-hidden">
            {t('readers.staff.counts')}
          </h2>
          <ul class="stats reader-counts">
            {READER_STATUSES.map((s) => (
              <li>
                <span class="num">{counts.get(s) ?? 0}</span>
                <a href={`/staff/readers?status=${s}`}>{t(`readers.status.${s}`)}</a>
              </li>
            ))}
          </ul>
        </section>

        <section aria-labelledby="queue-heading">
          <h2 id="queue-heading">{t('readers.staff.queue', { count: queue.length })}</h2>
          {queue.length === 0 ? (
            <p class="card muted">{t('readers.staff.queueNone')}</p>
          ) : (
            <ul class="reader-queue">
              {queue.map((r) => {
                const home = byId.get(r.homeUnitId);
                return (
                  <li class="card">
                    <h3>
                      <a href={`/staff/readers/${r.id}`}>{r.name}</a>
                    </h3>
                    <dl class="facts compact">
                      <dt>{t('readers.staff.email')}</dt>
                      <dd>{r.email}</dd>
                      {r.phone ? (
                        <>
                          <dt>{t('readers.staff.phone')}</dt>
                          <dd>{formatPhone(r.phone)}</dd>
                        </>
                      ) : null}
                      {r.birthYear !== null ? (
                        <>
                          <dt>{t('readers.staff.birthYear')}</dt>
                          <dd>{r.birthYear}</dd>
                        </>
                      ) : null}
                      <dt>{t('readers.staff.home')}</dt>
                      <dd>{home ? unitName(ctx, home) : r.homeUnitId}</dd>
                      <dt>{t('readers.staff.registered')}</dt>
                      <dd>{formatTime(ctx, r.createdAt)}</dd>
                    </dl>
                    <Decide ctx={ctx} reader={r} issuers={issuers.get(r.id) ?? []} back="/staff/readers" />
                  </li>
                );
              })}
            </ul>
          )}
        </section>

        <section aria-labelledby="search-heading">
          <h2 id="search-heading">{t('readers.staff.search')}</h2>
          <form method="get" action="/staff/readers" class="filters" role="search">
            <div class="field">
              <label for="reader-q">{t('readers.staff.searchLabel')}</label>
              <input type="search" id="reader-q" name="q" value={text} maxLength={100} />
            </div>
            <div class="field">
              <label for="reader-status">{t('readers.staff.statusFilter')}</label>
              <select id="reader-status" name="status">
                <option value="">{t('readers.staff.allStatuses')}</option>
                {READER_STATUSES.map((s) => (
                  <option value={s} selected={s === status}>
                    {t(`readers.status.${s}`)}
                  </option>
                ))}
              </select>
            </div>
            <div class="actions">
              <button type="submit" class="secondary">
                {t('readers.staff.searchSubmit')}
              </button>
            </div>
          </form>
          {searching ? found.length === 0 ? <p class="muted">{t('readers.staff.none')}</p> : <ReaderTable ctx={ctx} readers={found} units={byId} /> : null}
        </section>
      </Layout>,
    );
  });

  const readerPage = async (req: FastifyRequest, reply: FastifyReply, o: { error?: AppError; flash?: Flash; status?: number } = {}) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const { reader: r, home, cardUnit, approver, issuingUnits } = await readers.details(req.ctx.actor, idOf(req));
    return sendPage(
      reply,
      <Layout ctx={ctx} title={r.name} staff flash={o.flash ?? flashFromQuery(ctx, req.query)} styles={STYLES}>
        <p>
          <a href="/staff/readers">← {t('readers.staff.back')}</a>
        </p>
        <h1>
          {r.name} <StatusBadge ctx={ctx} status={r.status} />
        </h1>
        <FormError ctx={ctx} error={o.error} />
        <section class="card" aria-label={r.name}>
          <dl class="facts">
            <dt>{t('readers.staff.card')}</dt>
            <dd>{r.cardNumber ? <span class="card-number small-card">{formatCardNumber(r.cardNumber)}</span> : t('readers.staff.noCard')}</dd>
            {r.cardNumber ? (
              <>
                <dt>{t('readers.staff.issuedBy')}</dt>
                <dd>{cardUnit ? unitName(ctx, cardUnit) : t('common.none')}</dd>
                <dt>{t('readers.staff.issuedAt')}</dt>
                <dd>{formatDate(ctx, r.cardIssuedAt?.slice(0, 10) ?? null)}</dd>
                <dt>{t('readers.staff.approvedBy')}</dt>
                <dd>{approver ?? t('readers.staff.system')}</dd>
              </>
            ) : null}
            {r.statusReason ? (
              <>
                <dt>{t('readers.staff.reason')}</dt>
                <dd>{r.statusReason}</dd>
              </>
            ) : null}
            <dt>{t('readers.staff.email')}</dt>
            <dd>{r.email}</dd>
            <dt>{t('readers.staff.phone')}</dt>
            <dd>{r.phone ? formatPhone(r.phone) : t('common.none')}</dd>
            <dt>{t('readers.staff.birthYear')}</dt>
            <dd>{r.birthYear ?? t('common.none')}</dd>
            <dt>{t('readers.staff.home')}</dt>
            <dd>{home ? unitName(ctx, home) : r.homeUnitId}</dd>
            <dt>{t('readers.staff.language')}</dt>
            <dd>{r.locale === 'en' || r.locale === 'vi' ? t(`lang.${r.locale}`) : t('common.none')}</dd>
            <dt>{t('readers.staff.registered')}</dt>
            <dd>{formatTime(ctx, r.createdAt)}</dd>
            <dt>{t('readers.staff.lastLogin')}</dt>
            <dd>{r.lastLoginAt ? formatTime(ctx, r.lastLoginAt) : t('readers.staff.never')}</dd>
          </dl>
        </section>
        <section class="card" aria-labelledby="actions-heading">
          <h2 id="actions-heading">{t('readers.staff.actions')}</h2>
          {r.status === 'pending' ? <Decide ctx={ctx} reader={r} issuers={issuingUnits} back={`/staff/readers/${r.id}`} /> : null}
          {r.status === 'active' ? <h3>{t('readers.staff.suspend')}</h3> : null}
          {r.status === 'active' ? (
            <form method="post" action={`/staff/readers/${r.id}/suspend`} class="stack">
              <Csrf ctx={ctx} />
              <ReasonField ctx={ctx} id="suspend-reason" />
              <div>
                <button type="submit" class="danger">
                  {t('readers.staff.suspendSubmit')}
                </button>
              </div>
            </form>
          ) : null}
          {r.status === 'suspended' ? (
            <form method="post" action={`/staff/readers/${r.id}/reactivate`}>
              <Csrf ctx={ctx} />
              <button type="submit">{t('readers.staff.reactivate')}</button>
            </form>
          ) : null}
          {r.status !== 'closed' ? (
            <form method="post" action={`/staff/readers/${r.id}/reset-password`} class="reset-password">
              <Csrf ctx={ctx} />
              <p class="muted small">{t('readers.staff.resetHelp')}</p>
              <button type="submit" class="secondary">
                {t('readers.staff.resetPassword')}
              </button>
            </form>
          ) : null}
        </section>
      </Layout>,
      o.status,
    );
  };

  app.get('/readers/:id', async (req, reply) => {
    requireUser(req);
    return readerPage(req, reply);
  });

  /** Runs a staff action; a refused form comes back with its problem, anything else propagates. */
  const act = async (req: FastifyRequest, reply: FastifyReply, ok: string, fn: (id: number, v: Record<string, string | undefined>) => Promise<unknown>) => {
    requireUser(req);
    const id = idOf(req);
    const v = formValues(req);
    try {
      await fn(id, v);
    } catch (e) {
      const err = asFormError(e);
      if (err.code === 'READER_NOT_FOUND') throw err;
      return readerPage(req, reply, { error: err, status: err.status });
    }
    return reply.redirect(backTo(v.back, id, ok), 303);
  };

  app.post('/readers/:id/approve', async (req, reply) =>
    act(req, reply, 'readers.staff.approved', (id, v) => readers.approve(req.ctx.actor, id, /^\d{1,9}$/.test(v.issuingUnitId ?? '') ? { issuingUnitId: Number(v.issuingUnitId) } : {})),
  );
  app.post('/readers/:id/reject', async (req, reply) => act(req, reply, 'readers.staff.rejected', (id, v) => readers.reject(req.ctx.actor, id, v.reason)));
  app.post('/readers/:id/suspend', async (req, reply) => act(req, reply, 'readers.staff.suspended', (id, v) => readers.suspend(req.ctx.actor, id, v.reason)));
  app.post('/readers/:id/reactivate', async (req, reply) => act(req, reply, 'readers.staff.reactivated', (id) => readers.reactivate(req.ctx.actor, id)));

  app.post('/readers/:id/reset-password', async (req, reply) => {
    requireUser(req);
    const id = idOf(req);
    const password = await readers.resetPassword(req.ctx.actor, id);
    const ctx = pageCtx(req);
    return readerPage(req, reply, { flash: { kind: 'ok', text: ctx.t('readers.staff.resetDone', { password }) }, status: 201 });
  });
}

function ReaderTable({ ctx, readers, units }: { ctx: PageCtx; readers: readonly Reader[]; units: ReadonlyMap<number, OrgUnit> }) {
  const { t } = ctx;
  return (
    <div class="table-wrap">
      <table class="list stack">
        <caption class="visually-hidden">{t('readers.staff.results')}</caption>
        <thead>
          <tr>
            <th>{t('readers.staff.name')}</th>
            <th>{t('readers.staff.card')}</th>
            <th>{t('readers.staff.email')}</th>
            <th>{t('readers.staff.home')}</th>
            <th>{t('readers.staff.status')}</th>
          </tr>
        </thead>
        <tbody>
          {readers.map((r) => {
            const home = units.get(r.homeUnitId);
            return (
              <tr>
                <td data-label={t('readers.staff.name')}>
                  <a href={`/staff/readers/${r.id}`}>{r.name}</a>
                </td>
                <td data-label={t('readers.staff.card')}>{r.cardNumber ? <span class="nowrap">{formatCardNumber(r.cardNumber)}</span> : t('readers.staff.noCard')}</td>
                <td data-label={t('readers.staff.email')}>{r.email}</td>
                <td data-label={t('readers.staff.home')}>{home ? unitName(ctx, home) : r.homeUnitId}</td>
                <td data-label={t('readers.staff.status')}>
                  <StatusBadge ctx={ctx} status={r.status} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
