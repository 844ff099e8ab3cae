/** Browsing the audit log, filtered by who, what, where and when. */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../../domain/errors.js';
import { isIsoDate } from '../../../domain/org/history.js';
import type { Services } from '../../../main/container.js';
import type { AuditQuery } from '../../../app/audit.service.js';
import { Layout, formatTime, pageCtx, sendPage, unitName } from '../render.js';
import { requireUser } from './forms.js';

/** The keys whose values differ between two snapshots, for a compact summary. */
export function changedKeys(before: unknown, after: unknown): string[] {
  if (typeof before !== 'object' || before === null || typeof after !== 'object' || after === null) return [];
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  return [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]) && k !== 'version' && k !== 'updatedAt');
}

/** Local date `YYYY-MM-DD` (Vietnam) → the UTC instant it starts at. */
function dayStart(date: string): string {
  return new Date(`${date}T00:00:00+07:00`).toISOString();
}

export async function auditPages(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { audit, org } = opts.services;

  app.get('/audit', async (req, reply) => {
    requireUser(req);
    const ctx = pageCtx(req);
    const { t } = ctx;
    const raw = req.query as Record<string, string | undefined>;
    const q: AuditQuery = { limit: 50 };
    const clean = (s: string | undefined, max = 100) => (s ?? '').trim().slice(0, max);
    const actor = clean(raw.actor);
    const action = clean(raw.action);
    const unitCode = clean(raw.unit, 32);
    const from = clean(raw.from, 10);
    const until = clean(raw.until, 10);
    if (actor) q.actorUsername = actor;
    if (action) q.action = action;
    if (unitCode) q.unitId = (await org.getByCode(unitCode)).id;
    if (from) {
      if (!isIsoDate(from)) throw new AppError('ORG_DATE_INVALID', { date: from });
      q.from = dayStart(from);
    }
    if (until) {
      if (!isIsoDate(until)) throw new AppError('ORG_DATE_INVALID', { date: until });
      q.until = new Date(Date.parse(dayStart(until)) + 86400000).toISOString();
    }
    if (raw.before && /^\d{1,12}$/.test(raw.before)) q.beforeId = Number(raw.before);
    const targetType = clean(raw.targetType, 40);
    const targetId = clean(raw.targetId, 80);
    if (/^[a-z_]{1,40}$/.test(targetType) && targetId) q.target = { type: targetType, id: targetId };
    const { entries, nextBeforeId } = await audit.list(req.ctx.actor, q);
    const units = new Map((await org.list()).map((u) => [u.id, u]));
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries({ actor, action, unit: unitCode, from, until, ...(q.target ? { targetType, targetId } : {}) })) if (v) params.set(k, v);
    if (nextBeforeId) params.set('before', String(nextBeforeId));
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('audit.title')} staff>
        <h1>{t('audit.title')}</h1>
        <form method="get" action="/staff/audit" class="filters">
          <div class="field">
            <label for="actor">{t('audit.actor')}</label>
            <input type="text" id="actor" name="actor" value={actor} maxLength={100} />
          </div>
          <div class="field">
            <label for="action">{t('audit.action')}</label>
            <input type="text" id="action" name="action" value={action} maxLength={100} aria-describedby="action-help" />
            <span class="help" id="action-help">
              {t('audit.actionHelp')}
            </span>
          </div>
          <div class="field">
            <label for="unit">{t('users.unit')}</label>
            <input type="text" id="unit" name="unit" value={unitCode} maxLength={32} />
          </div>
          <div class="field">
            <label for="from">{t('audit.from')}</label>
            <input type="date" id="from" name="from" value={from} />
          </div>
          <div class="field">
            <label for="until">{t('audit.until')}</label>
            <input type="date" id="until" name="until" value={until} />
          </div>
          <div class="actions">
            <button type="submit" class="secondary">
              {t('audit.filter')}
            </button>
          </div>
        </form>
        {entries.length === 0 ? (
          <p class="muted">{t('audit.empty')}</p>
        ) : (
          <div class="table-wrap">
            <table class="list stack audit">
              <thead>
                <tr>
                  <th>{t('audit.at')}</th>
                  <th>{t('audit.actor')}</th>
                  <th>{t('audit.action')}</th>
                  <th>{t('audit.unit')}</th>
                  <th>{t('audit.changes')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => {
                  const unit = e.unitId === null ? undefined : units.get(e.unitId);
                  const keys = changedKeys(e.before, e.after);
                  return (
                    <tr>
                      <td data-label={t('audit.at')} class="nowrap">
                        {formatTime(ctx, e.at)}
                      </td>
                      <td data-label={t('audit.actor')}>{e.actorLabel}</td>
                      <td data-label={t('audit.action')}>
                        <code>{e.action}</code>
                        <br />
                        <span class="muted small">
                          {e.targetType}
                          {e.targetId ? ` #${e.targetId}` : ''}
                        </span>
                      </td>
                      <td data-label={t('audit.unit')}>{unit ? <a href={`/staff/org/${unit.id}`}>{unitName(ctx, unit)}</a> : t('common.none')}</td>
                      <td data-label={t('audit.changes')}>
                        {keys.length ? <span class="small">{keys.join(', ')}</span> : null}
                        {e.before !== null || e.after !== null ? (
                          <details class="changes">
                            <summary>{t('audit.changes')}</summary>
                            {e.before !== null ? (
                              <>
                                <strong>{t('audit.before')}</strong>
                                <pre>{JSON.stringify(e.before, null, 1)}</pre>
                              </>
                            ) : null}
                            {e.after !== null ? (
                              <>
                                <strong>{t('audit.after')}</strong>
                                <pre>{JSON.stringify(e.after, null, 1)}</pre>
                              </>
                            ) : null}
                          </details>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        {nextBeforeId ? (
          <p class="actions">
            <a class="button secondary" href={`/staff/audit?${params.toString()}`}>
              {t('audit.older')} →
            </a>
          </p>
        ) : null}
      </Layout>,
    );
  });
}
