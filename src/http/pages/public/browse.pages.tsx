/**
 * Browse pages: the index (`/browse`), subjects and authors A–Z in Vietnamese order
 * (`/browse/subjects`, `/browse/authors`), the classification outline (`/browse/classes`),
 * shelving and digital collections (`/browse/collections`) and new arrivals (`/browse/new`).
 * Server-rendered, plain links and GET forms: they work without JavaScript and are what
 * crawlers follow. Bad parameters get a 400 page that says what was wrong and still offers the
 * letters, never a 500.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import type { Services } from '../../../main/container.js';
import { AppError } from '../../../domain/errors.js';
import { BUCKETS, OTHER, parseLetter, type BrowseLetter } from '../../../domain/browse/alphabet.js';
import { ddcValue, type ClassCount } from '../../../domain/browse/classes.js';
import type { BrowseKind, BrowsePosition, SearchRow } from '../../../app/ports.js';
import type { HeadingPage } from '../../../app/browse/browse.service.js';
import type { OrgUnit } from '../../../domain/org/unit.js';
import { hasMessage, type MessageKey } from '../../../i18n/i18n.js';
import { materialLabel } from '../../api/search.api.js';
import { Breadcrumbs, Layout, pageCtx, sendPage, unitName, type PageCtx } from '../render.js';

/** Longest "jump to" text, in characters. */
export const MAX_FROM = 100;

const KINDS: Record<'subjects' | 'authors', BrowseKind> = { subjects: 'subject', authors: 'author' };

type Query = Record<string, unknown>;

/** The first value of a query parameter (repeated parameters keep the first), or undefined. */
function one(v: unknown): string | undefined {
  if (Array.isArray(v)) return one(v[0]);
  return typeof v === 'string' ? v : undefined;
}

function fmt(ctx: PageCtx, n: number): string {
  return new Intl.NumberFormat(ctx.locale === 'vi' ? 'vi-VN' : 'en-GB').format(n);
}

/** A day for readers, in the network's time zone. */
function day(ctx: PageCtx, iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  return new Intl.DateTimeFormat(ctx.locale === 'vi' ? 'vi-VN' : 'en-GB', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Asia/Ho_Chi_Minh' }).format(d);
}

/** A search for the records of a heading, quoted as the record page quotes it (`author:"Nguyễn Du"`). */
export function headingSearch(kind: BrowseKind, heading: string): string {
  return `/search?${new URLSearchParams([['q', `${kind}:"${heading.replace(/["“”„]/g, ' ').replace(/\s+/g, ' ').trim()}"`]]).toString()}`;
}

function classSearch(value: string): string {
  return `/search?${new URLSearchParams([['class', value]]).toString()}`;
}

/** A list position as a URL value: base64url of the key and heading. */
export function encodeCursor(at: BrowsePosition): string {
  return Buffer.from(JSON.stringify([at.key, at.heading]), 'utf8').toString('base64url');
}

/** The position a cursor names, or null when it is not one of ours. */
export function decodeCursor(raw: string): BrowsePosition | null {
  if (raw.length > 4000 || !/^[A-Za-z0-9_-]+$/.test(raw)) return null;
  try {
    const v: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (!Array.isArray(v) || v.length !== 2) return null;
    const [key, heading] = v as unknown[];
    // Browse keys are printable ASCII and at most 202 characters long: anything else is not ours.
    if (typeof key !== 'string' || typeof heading !== 'string' || key.length > 202 || !/^[\x20-\x7e]*$/.test(key) || heading.length > 2000) return null;
    return { key, heading };
  } catch {
    return null;
  }
}

function listPath(kind: BrowseKind): string {
  return kind === 'subject' ? '/browse/subjects' : '/browse/authors';
}

function letterHref(kind: BrowseKind, letter: BrowseLetter): string {
  return `${listPath(kind)}?${new URLSearchParams([['letter', letter]]).toString()}`;
}

function letterName(ctx: PageCtx, letter: BrowseLetter): string {
  return letter === OTHER ? ctx.t('browse.letters.otherLong') : letter;
}

function Trail({ ctx, here }: { ctx: PageCtx; here?: boolean }) {
  const items: Array<readonly [string, string]> = [['/', ctx.t('nav.home')]];
  if (here) items.push(['/browse', ctx.t('browse.title')]);
  return <Breadcrumbs label={ctx.t('browse.trail')} items={items} />;
}

/** The letter bar: every letter in Vietnamese order, linked when it has headings. */
function LetterBar({ ctx, kind, present, current }: { ctx: PageCtx; kind: BrowseKind; present: ReadonlyMap<BrowseLetter, boolean>; current?: BrowseLetter | undefined }) {
  const { t } = ctx;
  return (
    <nav class="az-bar" aria-label={t(kind === 'subject' ? 'browse.letters.subject' : 'browse.letters.author')}>
      <ul>
        {BUCKETS.map((l) => {
          const label = l === OTHER ? t('browse.letters.other') : l;
          if (l === current) {
            return (
              <li>
                <a href={letterHref(kind, l)} aria-current="page" class="az-current" title={l === OTHER ? t('browse.letters.otherLong') : undefined}>
                  {label}
                </a>
              </li>
            );
          }
          if (!present.get(l)) {
            return (
              <li>
                <span class="az-empty" title={t('browse.letters.none', { letter: letterName(ctx, l) })}>
                  <span aria-hidden="true">{label}</span>
                  <span class="visually-hidden">{t('browse.letters.none', { letter: letterName(ctx, l) })}</span>
                </span>
              </li>
            );
          }
          return (
            <li>
              <a href={letterHref(kind, l)} title={l === OTHER ? t('browse.letters.otherLong') : undefined}>
                {l === OTHER ? (
                  <>
                    <span aria-hidden="true">{label}</span>
                    <span class="visually-hidden">{t('browse.letters.otherLong')}</span>
                  </>
                ) : (
                  label
                )}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

function JumpForm({ ctx, kind, from }: { ctx: PageCtx; kind: BrowseKind; from?: string | undefined }) {
  const { t } = ctx;
  const id = `jump-${kind}`;
  return (
    <form method="get" action={listPath(kind)} class="az-jump" role="search">
      <label for={id}>{t(kind === 'subject' ? 'browse.jump.subject' : 'browse.jump.author')}</label>
      <div class="az-jump-row">
        <input type="search" id={id} name="from" value={from ?? ''} maxLength={MAX_FROM} autocomplete="off" aria-describedby={`${id}-hint`} />
        <button type="submit">{t('browse.jump.submit')}</button>
      </div>
      <p id={`${id}-hint`} class="muted small">
        {t('browse.jump.hint')}
      </p>
    </form>
  );
}

/** A count shown as a number, read out as "12 records". */
function Count({ ctx, n }: { ctx: PageCtx; n: number }) {
  return (
    <>
      <span class="hcount" aria-hidden="true">
        {fmt(ctx, n)}
      </span>
      <span class="visually-hidden">{` (${ctx.t('browse.records', { count: fmt(ctx, n) })})`}</span>
    </>
  );
}

function HeadingList({ ctx, page }: { ctx: PageCtx; page: HeadingPage }) {
  const { t } = ctx;
  return (
    <ol class="heading-list">
      {page.headings.map((h) => (
        <li>
          <a href={headingSearch(page.kind, h.heading)} title={t(page.kind === 'subject' ? 'browse.search.subject' : 'browse.search.author', { heading: h.heading })}>
            {h.heading}
          </a>
          <Count ctx={ctx} n={h.docs} />
        </li>
      ))}
    </ol>
  );
}

function HeadingPager({ ctx, page }: { ctx: PageCtx; page: HeadingPage }) {
  const { t } = ctx;
  if (!page.prev && !page.next) return null;
  const href = (k: 'after' | 'before', at: BrowsePosition) => `${listPath(page.kind)}?${new URLSearchParams([['letter', page.letter], [k, encodeCursor(at)]]).toString()}`;
  return (
    <nav class="pager" aria-label={t('browse.pager.label')}>
      <ul>
        {page.prev ? (
          <li>
            <a href={href('before', page.prev)} rel="prev">{`‹ ${t('browse.pager.prev')}`}</a>
          </li>
        ) : null}
        {page.next ? (
          <li>
            <a href={href('after', page.next)} rel="next">{`${t('browse.pager.next')} ›`}</a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

function RecordList({ ctx, rows }: { ctx: PageCtx; rows: readonly SearchRow[] }) {
  const { t } = ctx;
  return (
    <ol class="arrivals">
      {rows.map((r) => {
        const d = r.display;
        const by = d.responsibility ?? (d.authors.length ? d.authors.join('; ') : null);
        const pub = [d.publisher, d.year].filter((x) => x !== null && x !== '').join(', ');
        return (
          <li class="arrival">
            <h3 class="arrival-title">
              <a href={`/record/${r.id}`}>{d.title || '—'}</a>
            </h3>
            {by ? <p class="arrival-by">{by}</p> : null}
            <p class="arrival-facts">
              <span class="badge">{materialLabel(t, d.material)}</span>
              {pub ? <span>{pub}</span> : null}
              {r.createdAt ? <span class="muted">{t('browse.new.added', { date: day(ctx, r.createdAt) })}</span> : null}
            </p>
          </li>
        );
      })}
    </ol>
  );
}

/** The caption of a DDC class or division, or a BBK class, when we have one. */
function caption(ctx: PageCtx, scheme: 'ddc' | 'bbk', code: string): string | null {
  const key = scheme === 'ddc' ? `search.ddc.${code}` : `browse.bbk.${code}`;
  return hasMessage(key) ? ctx.t(key as MessageKey) : null;
}

/** `89x` is shown as DDC's own `890`. */
function ddcShown(code: string): string {
  return code.endsWith('x') ? `${code.slice(0, 2)}0` : code;
}

function ClassLine({ ctx, c, scheme }: { ctx: PageCtx; c: ClassCount; scheme: 'ddc' | 'bbk' }) {
  const name = caption(ctx, scheme, c.code);
  const label = (
    <>
      <span class="class-code">{scheme === 'ddc' ? ddcShown(c.code) : c.code}</span> <span class="class-name">{name ?? (scheme === 'bbk' ? ctx.t('browse.class.bbk', { code: c.code }) : '')}</span>
    </>
  );
  if (c.count === 0) {
    return (
      <li class="class-none">
        <span class="class-label">{label}</span> <span class="small">{`(${ctx.t('browse.class.empty')})`}</span>
      </li>
    );
  }
  return (
    <li>
      <a href={classSearch(c.value)}>{label}</a>
      <Count ctx={ctx} n={c.count} />
    </li>
  );
}

function errorFlash(text: string) {
  return (
    <p class="flash flash-error" role="alert">
      {text}
    </p>
  );
}

export async function browsePages(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { browse, org, digital } = opts.services;

  // ------------------------------------------------------------------------------ /browse

  app.get('/browse', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const root = await networkRoot();
    const [subjects, authors, counts, arrivals, collections] = await Promise.all([
      browse.letters('subject'),
      browse.letters('author'),
      browse.counts(),
      browse.newArrivals({ unitId: root?.id ?? null, limit: 5 }),
      digital.collections(),
    ]);
    const shelves = counts.collections.slice(0, 8);
    const title = t('browse.title');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title} description={t('browse.intro')} canonical="/browse" styles={['browse.css']} feeds={[[t('browse.feed.network', { site: t('app.name') }), '/feeds/new.atom']]}>
        <Trail ctx={ctx} />
        <h1>{title}</h1>
        <p class="lead">{t('browse.intro')}</p>
        <div class="browse-grid">
          <section class="card browse-card" aria-labelledby="b-subjects">
            <h2 id="b-subjects">
              <a href="/browse/subjects">{t('browse.subjects.short')}</a>
            </h2>
            <p class="muted small">{t('browse.subjects.text')}</p>
            <LetterBar ctx={ctx} kind="subject" present={subjects} />
          </section>
          <section class="card browse-card" aria-labelledby="b-authors">
            <h2 id="b-authors">
              <a href="/browse/authors">{t('browse.authors.short')}</a>
            </h2>
            <p class="muted small">{t('browse.authors.text')}</p>
            <LetterBar ctx={ctx} kind="author" present={authors} />
          </section>
          <section class="card browse-card" aria-labelledby="b-classes">
            <h2 id="b-classes">
              <a href="/browse/classes">{t('browse.classes.short')}</a>
            </h2>
            <ul class="class-list">
              {counts.classes.ddc.map((c) => (
                <ClassLine ctx={ctx} c={c} scheme="ddc" />
              ))}
            </ul>
            <p>
              <a href="/browse/classes">{t('browse.classes.more')}</a>
            </p>
          </section>
          <section class="card browse-card" aria-labelledby="b-collections">
            <h2 id="b-collections">
              <a href="/browse/collections">{t('browse.collections.title')}</a>
            </h2>
            {shelves.length > 0 ? (
              <ul class="class-list">
                {shelves.map((s) => (
                  <li>
                    <a href={`/search?${new URLSearchParams([['collection', s.name]]).toString()}`}>{s.name}</a>
                    <Count ctx={ctx} n={s.count} />
                  </li>
                ))}
              </ul>
            ) : (
              <p class="muted">{t('browse.collections.shelvesNone')}</p>
            )}
            {collections.length > 0 ? (
              <p class="small">
                {`${t('browse.collections.digital')}: `}
                {collections.slice(0, 4).map((c, i) => (
                  <>
                    {i > 0 ? ', ' : ''}
                    <a href={`/digital/collections/${encodeURIComponent(c.code)}`}>{ctx.locale === 'en' ? c.nameEn || c.nameVi : c.nameVi}</a>
                  </>
                ))}
              </p>
            ) : null}
            <p>
              <a href="/browse/collections">{t('browse.collections.more')}</a>
            </p>
          </section>
          <section class="card browse-card browse-wide" aria-labelledby="b-new">
            <h2 id="b-new">
              <a href="/browse/new">{t('browse.new.title')}</a>
            </h2>
            {arrivals.rows.length > 0 ? <RecordList ctx={ctx} rows={arrivals.rows} /> : <p class="muted">{t('browse.new.none')}</p>}
            <p class="browse-more">
              <a href="/browse/new">{t('browse.new.more')}</a>
              <a href="/feeds/new.atom" type="application/atom+xml" class="feed-link">
                {t('browse.feed.follow')}
              </a>
            </p>
          </section>
        </div>
      </Layout>,
    );
  });

  // ------------------------------------------------------------------------------ /browse/subjects, /browse/authors

  for (const [segment, kind] of Object.entries(KINDS) as Array<[keyof typeof KINDS, BrowseKind]>) {
    app.get(`/browse/${segment}`, { schema: { hide: true } }, (req, reply) => headingsPage(req, reply, kind));
  }

  async function headingsPage(req: FastifyRequest, reply: FastifyReply, kind: BrowseKind): Promise<FastifyReply> {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const q = (req.query ?? {}) as Query;
    const title = t(kind === 'subject' ? 'browse.subjects.title' : 'browse.authors.title');
    const letterRaw = one(q.letter)?.trim() ?? '';
    const fromRaw = one(q.from)?.trim() ?? '';
    const afterRaw = one(q.after) ?? '';
    const beforeRaw = one(q.before) ?? '';

    let problem: string | null = null;
    let letter: BrowseLetter | undefined;
    if (letterRaw !== '') {
      letter = parseLetter(letterRaw) ?? undefined;
      if (!letter) problem = t('browse.error.letter', { letter: [...letterRaw].slice(0, 20).join('') });
    }
    if (!problem && [...fromRaw].length > MAX_FROM) problem = t('browse.error.from');
    let after: BrowsePosition | undefined;
    let before: BrowsePosition | undefined;
    if (!problem && (afterRaw !== '' || beforeRaw !== '')) {
      after = afterRaw !== '' ? (decodeCursor(afterRaw) ?? undefined) : undefined;
      before = beforeRaw !== '' ? (decodeCursor(beforeRaw) ?? undefined) : undefined;
      if ((afterRaw !== '' && !after) || (beforeRaw !== '' && !before) || (after && before)) problem = t('browse.error.cursor');
    }

    let page: HeadingPage | null = null;
    if (!problem) {
      try {
        page = await browse.headings({ kind, letter, ...(fromRaw !== '' ? { from: fromRaw } : {}), after, before });
      } catch (e) {
        if (!(e instanceof AppError) || e.code !== 'VALIDATION') throw e;
        problem = t('browse.error.from');
      }
    }
    const present = await browse.letters(kind);
    const shown = page?.letter ?? letter;
    const canonical = page
      ? `${listPath(kind)}?${new URLSearchParams([['letter', page.letter], ...(fromRaw !== '' ? [['from', fromRaw]] : []), ...(after ? [['after', afterRaw]] : []), ...(before ? [['before', beforeRaw]] : [])] as Array<[string, string]>).toString()}`
      : listPath(kind);
    const countKey = kind === 'subject' ? 'browse.count.subject' : 'browse.count.author';
    const listHeading = page ? (page.letter === OTHER ? t('browse.letter.otherHeading') : t('browse.letter.heading', { letter: page.letter })) : '';
    const pageTitle = page && (letterRaw !== '' || fromRaw !== '' || after || before) ? `${title}: ${page.letter === OTHER ? t('browse.letters.otherLong') : page.letter}` : title;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={pageTitle} description={t(kind === 'subject' ? 'browse.subjects.text' : 'browse.authors.text')} canonical={canonical} styles={['browse.css']}>
        <Trail ctx={ctx} here />
        <h1>{title}</h1>
        {problem ? errorFlash(problem) : null}
        <LetterBar ctx={ctx} kind={kind} present={present} current={shown} />
        <JumpForm ctx={ctx} kind={kind} from={fromRaw !== '' ? [...fromRaw].slice(0, MAX_FROM).join('') : undefined} />
        {page ? (
          <section class="az-section" aria-labelledby="az-heading">
            <h2 id="az-heading">
              {listHeading} <span class="muted az-total">{`· ${t(countKey, { count: fmt(ctx, page.total) })}`}</span>
            </h2>
            {fromRaw !== '' && !after && !before ? <p class="muted">{t('browse.letter.from', { from: fromRaw })}</p> : null}
            {page.headings.length > 0 ? (
              <HeadingList ctx={ctx} page={page} />
            ) : (
              <p class="muted">
                {fromRaw !== '' && page.total > 0
                  ? t('browse.none.after', { from: fromRaw, letter: letterName(ctx, page.letter) })
                  : t(kind === 'subject' ? 'browse.none.subject' : 'browse.none.author', { letter: letterName(ctx, page.letter) })}
              </p>
            )}
            <HeadingPager ctx={ctx} page={page} />
          </section>
        ) : null}
      </Layout>,
      problem ? 400 : 200,
    );
  }

  // ------------------------------------------------------------------------------ /browse/classes

  app.get('/browse/classes', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const { classes } = await browse.counts();
    const title = t('browse.classes.title');
    const anyDdc = classes.ddc.some((c) => c.count > 0);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title} description={t('browse.classes.intro')} canonical="/browse/classes" styles={['browse.css']}>
        <Trail ctx={ctx} here />
        <h1>{title}</h1>
        <p class="lead">{t('browse.classes.intro')}</p>
        <section aria-labelledby="ddc-heading">
          <h2 id="ddc-heading">{t('browse.classes.ddc')}</h2>
          {anyDdc ? null : <p class="muted">{t('browse.classes.none')}</p>}
          <ul class="ddc-classes">
            {classes.ddc.map((c) => {
              const name = caption(ctx, 'ddc', c.code) ?? '';
              return (
                <li>
                  <details class="ddc-class">
                    <summary>
                      <span class="class-code">{c.code}</span> <span class="class-name">{name}</span>{' '}
                      {c.count > 0 ? <Count ctx={ctx} n={c.count} /> : <span class="muted small">{`(${t('browse.class.empty')})`}</span>}
                    </summary>
                    <ul class="class-list ddc-divisions" aria-label={t('browse.classes.divisions', { code: c.code })}>
                      {c.count > 0 ? (
                        <li class="class-all">
                          <a href={classSearch(ddcValue(c.code))}>{t('browse.classes.all', { code: c.code })}</a>
                          <Count ctx={ctx} n={c.count} />
                        </li>
                      ) : null}
                      {c.divisions.map((d) => (
                        <ClassLine ctx={ctx} c={d} scheme="ddc" />
                      ))}
                    </ul>
                  </details>
                </li>
              );
            })}
          </ul>
        </section>
        <section aria-labelledby="bbk-heading">
          <h2 id="bbk-heading">{t('browse.classes.bbk')}</h2>
          <p class="muted small">{t('browse.classes.bbkIntro')}</p>
          {classes.bbk.length > 0 ? (
            <ul class="class-list bbk-classes">
              {classes.bbk.map((c) => (
                <ClassLine ctx={ctx} c={c} scheme="bbk" />
              ))}
            </ul>
          ) : (
            <p class="muted">{t('browse.classes.bbkNone')}</p>
          )}
        </section>
      </Layout>,
    );
  });

  // ------------------------------------------------------------------------------ /browse/collections

  app.get('/browse/collections', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const [counts, collections, units] = await Promise.all([browse.counts(), digital.collections(), org.list()]);
    const byId = new Map(units.map((u) => [u.id, u]));
    const title = t('browse.collections.title');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title} description={t('browse.collections.intro')} canonical="/browse/collections" styles={['browse.css']}>
        <Trail ctx={ctx} here />
        <h1>{title}</h1>
        <p class="lead">{t('browse.collections.intro')}</p>
        <section aria-labelledby="shelves-heading">
          <h2 id="shelves-heading">{t('browse.collections.shelves')}</h2>
          <p class="muted small">{t('browse.collections.shelvesIntro')}</p>
          {counts.collections.length > 0 ? (
            <ul class="class-list shelf-list">
              {counts.collections.map((s) => (
                <li>
                  <a href={`/search?${new URLSearchParams([['collection', s.name]]).toString()}`}>{s.name}</a>
                  <Count ctx={ctx} n={s.count} />
                </li>
              ))}
            </ul>
          ) : (
            <p class="muted">{t('browse.collections.shelvesNone')}</p>
          )}
        </section>
        <section aria-labelledby="digital-heading">
          <h2 id="digital-heading">{t('browse.collections.digital')}</h2>
          {collections.length > 0 ? (
            <ul class="digital-collections">
              {collections.map((c) => {
                const owner = byId.get(c.ownerUnitId);
                return (
                  <li class="card">
                    <h3>
                      <a href={`/digital/collections/${encodeURIComponent(c.code)}`}>{ctx.locale === 'en' ? c.nameEn || c.nameVi : c.nameVi}</a>
                    </h3>
                    {owner ? <p class="muted small">{t('browse.collections.owner', { library: unitName(ctx, owner) })}</p> : null}
                    {c.description ? <p class="small">{c.description}</p> : null}
                  </li>
                );
              })}
            </ul>
          ) : (
            <p class="muted">{t('browse.collections.digitalNone')}</p>
          )}
        </section>
      </Layout>,
    );
  });

  // ------------------------------------------------------------------------------ /browse/new

  async function networkRoot(): Promise<OrgUnit | undefined> {
    const units = await org.list({ activeOnly: true });
    return units.find((u) => u.parentId === null);
  }

  app.get('/browse/new', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const q = (req.query ?? {}) as Query;
    const units = (await org.list({ activeOnly: true })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
    const root = units.find((u) => u.parentId === null);
    const code = (one(q.library) ?? '').trim();
    const beforeRaw = (one(q.before) ?? '').trim();
    let problem: string | null = null;
    let library: OrgUnit | undefined;
    if (code !== '') {
      library = units.find((u) => u.code.toUpperCase() === code.toUpperCase());
      if (!library) problem = t('browse.error.library', { library: [...code].slice(0, 32).join('') });
    }
    let before: number | undefined;
    if (!problem && beforeRaw !== '') {
      before = /^\d{1,9}$/.test(beforeRaw) && Number(beforeRaw) > 0 ? Number(beforeRaw) : undefined;
      if (before === undefined) problem = t('browse.error.before');
    }
    const scope = library && library.id !== root?.id ? library : undefined;
    const arrivals = problem ? { rows: [], next: null } : await browse.newArrivals({ unitId: (scope ?? root)?.id ?? null, before });
    const name = scope ? unitName(ctx, scope) : null;
    const title = name ? t('browse.new.titleAt', { library: name }) : t('browse.new.title');
    const feed = scope ? `/l/${scope.slug}/new.atom` : '/feeds/new.atom';
    const feedTitle = name ? t('browse.feed.library', { library: name }) : t('browse.feed.network', { site: t('app.name') });
    const base = scope ? `/browse/new?${new URLSearchParams([['library', scope.code]]).toString()}` : '/browse/new';
    const more = (id: number) => `${base}${base.includes('?') ? '&' : '?'}before=${id}`;
    const pager: ComponentChildren[] = [];
    if (before !== undefined) pager.push(<li><a href={base}>{`« ${t('browse.new.newest')}`}</a></li>);
    if (arrivals.next !== null) pager.push(<li><a href={more(arrivals.next)} rel="next">{`${t('browse.new.older')} ›`}</a></li>);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title} description={name ? t('browse.new.introAt', { library: name }) : t('browse.new.intro')} canonical={before !== undefined ? more(before) : base} styles={['browse.css']} feeds={[[feedTitle, feed]]}>
        <Trail ctx={ctx} here />
        <h1>{title}</h1>
        {problem ? errorFlash(problem) : <p class="lead">{name ? t('browse.new.introAt', { library: name }) : t('browse.new.intro')}</p>}
        <form method="get" action="/browse/new" class="new-filter">
          <label for="new-library">{t('browse.new.library')}</label>
          <div class="az-jump-row">
            <select id="new-library" name="library">
              <option value="">{t('browse.new.allLibraries')}</option>
              {units
                .filter((u) => u.parentId !== null)
                .map((u) => (
                  <option value={u.code} selected={u.id === scope?.id}>
                    {`${'\u2003'.repeat(Math.max(0, u.depth - 1))}${unitName(ctx, u)}`}
                  </option>
                ))}
            </select>
            <button type="submit" class="secondary">
              {t('browse.new.show')}
            </button>
          </div>
        </form>
        <p>
          <a href={feed} type="application/atom+xml" class="feed-link">
            {t('browse.feed.follow')}
          </a>
        </p>
        <section aria-labelledby="new-list">
          <h2 id="new-list" class="visually-hidden">
            {t('browse.new.list')}
          </h2>
          {arrivals.rows.length > 0 ? <RecordList ctx={ctx} rows={arrivals.rows} /> : problem ? null : <p class="muted">{t('browse.new.none')}</p>}
          {pager.length > 0 ? (
            <nav class="pager" aria-label={t('browse.pager.label')}>
              <ul>{pager}</ul>
            </nav>
          ) : null}
        </section>
      </Layout>,
      problem ? 400 : 200,
    );
  });
}
