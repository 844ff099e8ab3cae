/**
 * Public pages: the network portal and one page per library. Server-rendered, work without
 * JavaScript, phone first.
 */
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { Services } from '../../../main/container.js';
import { AppError } from '../../../domain/errors.js';
import { buildForest, isIsoDate } from '../../../domain/org/history.js';
import { UNIT_TYPES, type UnitTypeCode } from '../../../domain/org/unit-types.js';
import type { OrgUnit } from '../../../domain/org/unit.js';
import { compareVi } from '../../../text/fold.js';
import { isLocale, type MessageKey } from '../../../i18n/i18n.js';
import { Layout, flashFromQuery, formatDate, pageCtx, sendPage, unitName, type PageCtx } from '../render.js';
import { HistoryList, UnitTree } from '../shared.js';
import { searchPages } from './search.pages.js';

interface TreeUnit {
  id: number;
  parentId: number | null;
  code: string;
  nameVi: string;
  nameEn: string;
  typeCode: UnitTypeCode;
  slug: string | null;
}

const byName = (ctx: PageCtx) => (a: TreeUnit, b: TreeUnit) => compareVi(unitName(ctx, a), unitName(ctx, b));

export async function publicPageRoutes(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { org, staff } = opts.services;
  await app.register(searchPages, opts);

  app.get('/', { schema: { hide: true, querystring: Type.Object({ asOf: Type.Optional(Type.String({ maxLength: 20 })), ok: Type.Optional(Type.String({ maxLength: 100 })) }) } }, async (req, reply) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const asOfRaw = (req.query as { asOf?: string }).asOf;
    const asOf = asOfRaw && isIsoDate(asOfRaw) ? asOfRaw : undefined;
    if (asOfRaw && !asOf) throw new AppError('ORG_DATE_INVALID', { date: asOfRaw.slice(0, 20) });
    const units: TreeUnit[] = asOf ? await org.treeAsOf(asOf) : await org.list({ activeOnly: true });
    const forest = buildForest(units, byName(ctx));
    const libraries = units.filter((u) => u.typeCode !== 'network');
    const counts = new Map<UnitTypeCode, number>();
    for (const u of libraries) counts.set(u.typeCode, (counts.get(u.typeCode) ?? 0) + 1);
    const groups = asOf ? [] : await org.listGroups();
    const title = t('portal.title');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title} flash={flashFromQuery(ctx, req.query)}>
        <section class="hero">
          <h1>{asOf ? t('portal.historic', { date: formatDate(ctx, asOf) }) : title}</h1>
          <p>{t('portal.intro')}</p>
          <p>
            <strong>{t('portal.stats.libraries', { count: libraries.length })}</strong>
          </p>
        </section>
        <h2>{t('portal.stats.byType')}</h2>
        <ul class="stats">
          {[...counts.entries()]
            .sort((a, b) => b[1] - a[1])
            .map(([type, n]) => (
              <li>
                <span class="num">{n}</span>
                {t(`unitType.${type}` as MessageKey)}
              </li>
            ))}
        </ul>
        <div class="grid two">
          <section id="libraries" aria-labelledby="tree-heading">
            <h2 id="tree-heading">{t('portal.network')}</h2>
            <form method="get" action="/" class="filters">
              <div class="field">
                <label for="asOf">{t('portal.asOf')}</label>
                <input type="date" id="asOf" name="asOf" value={asOf ?? ''} max={org.today()} />
              </div>
              <div class="actions">
                <button type="submit" class="secondary">
                  {t('portal.show')}
                </button>
                {asOf ? <a href="/">{t('portal.backToToday')}</a> : null}
              </div>
            </form>
            <div class="card">
              <UnitTree
                nodes={forest}
                label={(u) => (
                  <>
                    {u.slug ? <a href={`/l/${u.slug}`}>{unitName(ctx, u)}</a> : <span>{unitName(ctx, u)}</span>}
                    <span class="badge">{t(`unitType.${u.typeCode}` as MessageKey)}</span>
                  </>
                )}
              />
            </div>
          </section>
          {groups.length > 0 ? (
            <section aria-labelledby="groups-heading">
              <h2 id="groups-heading">{t('portal.groups')}</h2>
              <ul class="card">
                {groups.map((g) => (
                  <li>
                    {ctx.locale === 'en' ? g.nameEn : g.nameVi} <span class="muted small">{t('portal.members', { count: g.memberCount })}</span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </div>
      </Layout>,
    );
  });

  app.get('/l/:slug', { schema: { hide: true, params: Type.Object({ slug: Type.String({ maxLength: 100 }) }) } }, async (req, reply) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const unit = await org.getBySlug((req.params as { slug: string }).slug.toLowerCase());
    if (!unit) throw new AppError('NOT_FOUND');
    const all = await org.list();
    const byId = new Map(all.map((u) => [u.id, u]));
    const ancestors = await org.ancestors(unit);
    const children = all.filter((u) => u.parentId === unit.id && u.status === 'active').sort((a, b) => compareVi(unitName(ctx, a), unitName(ctx, b)));
    const groups = await org.groupsOfUnit(unit.id);
    const history = await org.history(unit.id);
    const merged = unit.mergedIntoId === null ? undefined : byId.get(unit.mergedIntoId);
    const name = unitName(ctx, unit);
    const description = ctx.locale === 'en' ? (unit.descriptionEn ?? unit.descriptionVi) : (unit.descriptionVi ?? unit.descriptionEn);
    const type = UNIT_TYPES[unit.typeCode];
    return sendPage(
      reply,
      <Layout ctx={ctx} title={name} description={description ?? undefined}>
        <nav aria-label={t('library.parent')}>
          <ol class="breadcrumbs">
            <li>
              <a href="/">{t('nav.home')}</a>
            </li>
            {ancestors.map((a) => (
              <li>
                <a href={`/l/${a.slug}`}>{unitName(ctx, a)}</a>
              </li>
            ))}
          </ol>
        </nav>
        <h1>
          {name} <span class={`badge badge-${unit.status}`}>{t(`status.${unit.status}` as MessageKey)}</span>
        </h1>
        {unit.status === 'merged' && merged ? (
          <p class="flash flash-error">
            {t('library.mergedNotice', { target: unitName(ctx, merged), date: formatDate(ctx, unit.endedOn) })} <a href={`/l/${merged.slug}`}>{unitName(ctx, merged)}</a>
          </p>
        ) : null}
        {unit.status === 'closed' ? <p class="flash flash-error">{t('library.closedNotice', { date: formatDate(ctx, unit.endedOn) })}</p> : null}
        {description ? <p class="lead">{description}</p> : null}
        <div class="grid two">
          <section class="card" aria-labelledby="facts-heading">
            <h2 id="facts-heading" class="visually-hidden">
              {t('library.type')}
            </h2>
            <dl class="facts">
              <dt>{t('library.type')}</dt>
              <dd>{t(`unitType.${unit.typeCode}` as MessageKey)}</dd>
              <dt>{t('library.address')}</dt>
              <dd>{unit.address ?? t('library.notProvided')}</dd>
              {unit.latitude !== null && unit.longitude !== null ? (
                <>
                  <dt>{t('library.directions')}</dt>
                  <dd>
                    <a href={`https://www.openstreetmap.org/?mlat=${unit.latitude}&mlon=${unit.longitude}#map=17/${unit.latitude}/${unit.longitude}`} rel="noopener">
                      OpenStreetMap
                    </a>
                  </dd>
                </>
              ) : null}
              <dt>{t('library.hours')}</dt>
              <dd>{unit.openingHours ?? t('library.notProvided')}</dd>
              {unit.phone ? (
                <>
                  <dt>{t('library.phone')}</dt>
                  <dd>
                    <a href={`tel:${unit.phone.replace(/[^\d+]/g, '')}`}>{unit.phone}</a>
                  </dd>
                </>
              ) : null}
              {unit.email ? (
                <>
                  <dt>{t('library.email')}</dt>
                  <dd>
                    <a href={`mailto:${unit.email}`}>{unit.email}</a>
                  </dd>
                </>
              ) : null}
              {unit.website ? (
                <>
                  <dt>{t('library.website')}</dt>
                  <dd>
                    <a href={unit.website} rel="noopener">
                      {unit.website}
                    </a>
                  </dd>
                </>
              ) : null}
              <dt>{t('library.opened')}</dt>
              <dd>{formatDate(ctx, unit.openedOn)}</dd>
              <dt>{t('unit.holds')}</dt>
              <dd>
                {[type.holdsItems ? t('unit.holds.items') : null, type.holdsReaders ? t('unit.holds.readers') : null, type.holdsStaff ? t('unit.holds.staff') : null].filter(Boolean).join(', ') ||
                  t('common.none')}
              </dd>
            </dl>
          </section>
          <div>
            <section class="card" aria-labelledby="children-heading">
              <h2 id="children-heading">{t('library.children')}</h2>
              {children.length === 0 ? (
                <p class="muted">{t('library.noChildren')}</p>
              ) : (
                <ul>
                  {children.map((c) => (
                    <li>
                      <a href={`/l/${c.slug}`}>{unitName(ctx, c)}</a>
                    </li>
                  ))}
                </ul>
              )}
            </section>
            {groups.length > 0 ? (
              <section class="card" aria-labelledby="groups-heading">
                <h2 id="groups-heading">{t('library.groups')}</h2>
                <ul>
                  {groups.map((g) => (
                    <li>{ctx.locale === 'en' ? g.nameEn : g.nameVi}</li>
                  ))}
                </ul>
              </section>
            ) : null}
          </div>
        </div>
        <section class="card" aria-labelledby="history-heading">
          <h2 id="history-heading">{t('library.history')}</h2>
          <HistoryList ctx={ctx} history={history} units={byId} />
        </section>
      </Layout>,
    );
  });

  // The language switch: a small form in the header, so it needs no JavaScript.
  app.post('/lang', { schema: { hide: true } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const lang = body.lang;
    if (!isLocale(lang)) throw new AppError('VALIDATION', {}, [{ field: 'lang', code: 'VALIDATION' }]);
    reply.setLangCookie(lang);
    if (req.ctx.user) await staff.setLocale(req.ctx.actor, lang);
    return reply.redirect(safeNext(body.next), 303);
  });
}

/** Only local paths are followed after a form, never another site. */
export function safeNext(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.length > 500) return fallback;
  return next;
}

export type { OrgUnit };
