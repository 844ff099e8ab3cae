/**
 * Copy cataloguing for staff: `/staff/catalogue/copy` (choose a remote catalogue, search it, page
 * through the results), `/staff/catalogue/copy/preview` (one record: its MARC fields in a table,
 * the records we already hold that it matches, and the import form), and `/staff/interop/targets`
 * (the list of remote catalogues; managed with `interop.manage` at the root).
 *
 * Everything is a plain GET or a form POST with its CSRF token: it works without JavaScript, and
 * tables fold into cards on a phone. Searches and previews are GETs whose address holds the query,
 * so the back button and bookmarks work; the import posts the query and position again, and the
 * service fetches the record anew. A remote that fails is a message on the page (status 502), never
 * an error page. `/staff/catalog/copy` (the address in early notes) redirects here.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import { AppError, type FieldProblem } from '../../../domain/errors.js';
import { isLocalTag, tagInfo } from '../../../domain/catalog/marc21-rules.js';
import type { OrgUnit } from '../../../domain/org/unit.js';
import { SRU_DIAGNOSTICS } from '../../../codecs/sru/diagnostics.js';
import type { MarcRecord } from '../../../codecs/marc/record.js';
import { IMPORT_POLICIES } from '../../../app/import.service.js';
import { COPY_KINDS, MAX_QUERY_TEXT, isCopyKind, type CopyKind, type CopyQuery, type PreviewOutcome, type RemoteProblem, type ResultEntry } from '../../../app/interop/copy-catalog.service.js';
import { SRU_VERSIONS, type SruTarget } from '../../../app/interop/sru-target.ports.js';
import type { Services } from '../../../main/container.js';
import { hasMessage, type MessageKey } from '../../../i18n/i18n.js';
import { Breadcrumbs, Csrf, Layout, errorText, flashFromQuery, formatTime, pageCtx, sendPage, unitName, type PageCtx } from '../render.js';
import { FormError, Section, asFormError, formValues, requireUser, type Values } from './forms.js';

const COPY = '/staff/catalogue/copy';
const TARGETS = '/staff/interop/targets';

/** A message key we build from a code (`copy.problem.<code>`), with a fallback when there is none. */
function tk(ctx: PageCtx, key: string, params?: Record<string, string | number>): string {
  return hasMessage(key) ? ctx.t(key, params) : key;
}

/** A field problem's text: its own rule's message when it names one (`copy.target.urlScheme`). */
function problemText(ctx: PageCtx, p: FieldProblem): string {
  const rule = p.params?.rule;
  return typeof rule === 'string' && hasMessage(rule) ? ctx.t(rule, p.params) : errorText(ctx.t, p.code, p.params);
}

function FieldErrors({ ctx, error, field }: { ctx: PageCtx; error: AppError | undefined; field: string }) {
  const mine = (error?.details ?? []).filter((d) => d.field === field);
  if (mine.length === 0) return null;
  return (
    <span class="field-error" id={`f-${field}-error`}>
      {mine.map((p) => problemText(ctx, p)).join(' ')}
    </span>
  );
}

const invalid = (error: AppError | undefined, field: string) => ((error?.details ?? []).some((d) => d.field === field) ? ('true' as const) : undefined);
const describedBy = (error: AppError | undefined, field: string, help?: boolean) =>
  [help ? `f-${field}-help` : undefined, invalid(error, field) ? `f-${field}-error` : undefined].filter(Boolean).join(' ') || undefined;

/** The banner above a form that failed: the error, and the problems not shown beside a field. */
function FormProblems({ ctx, error, fields }: { ctx: PageCtx; error: AppError | undefined; fields: readonly string[] }) {
  if (!error) return null;
  if (error.code !== 'VALIDATION') return <FormError ctx={ctx} error={error} shownFields={fields} />;
  const others = (error.details ?? []).filter((d) => !fields.includes(d.field));
  return (
    <div class="flash flash-error" role="alert">
      <p>{errorText(ctx.t, error.code, error.params)}</p>
      {others.length ? (
        <ul>
          {others.map((d) => (
            <li>{problemText(ctx, d)}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** A remote's failure, said plainly, with the technical detail folded away. */
function ProblemBox({ ctx, problem }: { ctx: PageCtx; problem: RemoteProblem }) {
  const { t } = ctx;
  let text: string;
  if (problem.code === 'diagnostic') {
    const n = Number(problem.params.number);
    const known = SRU_DIAGNOSTICS.find((d) => d.code === n);
    const meaning = known ? (ctx.locale === 'vi' ? known.vi : known.en) : String(problem.params.message || t('copy.problem.diagnosticUnknown', { number: n }));
    text = t('copy.problem.diagnostic', { meaning });
    if (problem.params.details) text += ` ${t('copy.problem.diagnosticDetails', { details: String(problem.params.details) })}`;
  } else {
    text = tk(ctx, `copy.problem.${problem.code}`, problem.params);
  }
  return (
    <div class="flash flash-error copy-problem" role="alert" data-problem={problem.code}>
      <p>
        <strong>{t('copy.problem.title')}</strong>
      </p>
      <p>{text}</p>
      {problem.detail ? (
        <details class="changes">
          <summary>{t('copy.problem.detail')}</summary>
          <pre>{problem.detail}</pre>
        </details>
      ) : null}
    </div>
  );
}

interface CopyParams {
  targetId: number | undefined;
  kind: CopyKind;
  text: string;
  page: number;
  position: number;
}

const posInt = (raw: string | undefined, max: number): number | undefined => (raw !== undefined && /^\d{1,6}$/.test(raw) && Number(raw) >= 1 && Number(raw) <= max ? Number(raw) : undefined);

function readParams(v: Values): CopyParams {
  const kind = v.kind && isCopyKind(v.kind) ? v.kind : 'any';
  return {
    targetId: posInt(v.target, 2_147_483_647),
    kind,
    text: (v.text ?? '').slice(0, MAX_QUERY_TEXT * 2),
    page: posInt(v.page, 100_000) ?? 1,
    position: posInt(v.pos, 1_000_000) ?? 0,
  };
}

function queryValues(req: FastifyRequest): Values {
  const out: Values = {};
  for (const [k, val] of Object.entries((req.query ?? {}) as Record<string, unknown>)) if (typeof val === 'string') out[k] = val;
  return out;
}

function href(path: string, p: { targetId?: number; kind: CopyKind; text: string; page?: number; position?: number }): string {
  const q = new URLSearchParams();
  if (p.targetId !== undefined) q.set('target', String(p.targetId));
  q.set('kind', p.kind);
  q.set('text', p.text);
  if (p.page && p.page > 1) q.set('page', String(p.page));
  if (p.position) q.set('pos', String(p.position));
  return `${path}?${q.toString()}`;
}

/** When the client goes away, the remote request is abandoned too. */
function clientGone(reply: FastifyReply): AbortSignal {
  const ac = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) ac.abort();
  });
  return ac.signal;
}

function tagName(ctx: PageCtx, tag: string): string {
  const info = tagInfo(tag);
  if (info) return (ctx.locale === 'vi' ? info.name.vi : undefined) ?? info.name.en;
  if (isLocalTag(tag)) return ctx.t('staff.catalog.localField');
  return '';
}

/**
 * The MARC fields as a table: tag, indicators, and the content with the field's name above it
 * (three columns, so a phone shows every field on a line or two without scrolling sideways).
 * Blanks in indicators and in the fixed-length fields are written `#`, as MARC 21 documentation does.
 */
function MarcTable({ ctx, marc }: { ctx: PageCtx; marc: MarcRecord }) {
  const { t } = ctx;
  const blank = (s: string) => s.replace(/ /g, '#');
  // A fixed-length field is one long word: it may break every eight positions, so a phone needs no sideways scroll.
  const breakable = (s: string) => (s.match(/.{1,8}/g) ?? []).map((part, i) => (i === 0 ? part : [<wbr />, part]));
  const fixed = (tag: string) => tag === '006' || tag === '007' || tag === '008';
  const Name = ({ tag }: { tag: string }) => {
    const name = tag === 'LDR' ? t('copy.preview.leader') : tagName(ctx, tag);
    return name ? <span class="muted small marc-name">{name}</span> : null;
  };
  return (
    <div class="table-wrap">
      <table class="list marc-fields">
        <thead>
          <tr>
            <th scope="col">{t('copy.preview.tag')}</th>
            <th scope="col">{t('copy.preview.ind')}</th>
            <th scope="col">{t('copy.preview.value')}</th>
          </tr>
        </thead>
        <tbody>
          <tr data-tag="LDR">
            <th scope="row">
              <code>LDR</code>
            </th>
            <td />
            <td>
              <Name tag="LDR" />
              <br />
              <code>{breakable(blank(marc.leader))}</code>
            </td>
          </tr>
          {marc.fields.map((f) => (
            <tr data-tag={f.tag}>
              <th scope="row">
                <code>{f.tag}</code>
              </th>
              <td>{'subfields' in f ? <code>{blank(`${f.ind1}${f.ind2}`)}</code> : null}</td>
              <td class="marc-value">
                <Name tag={f.tag} />
                <br />
                {'subfields' in f ? (
                  f.subfields.map((s, i) => (
                    <>
                      {i > 0 ? ' ' : null}
                      <strong class="muted">{`$${s.code}`}</strong> {s.value}
                    </>
                  ))
                ) : (
                  <code>{fixed(f.tag) ? breakable(blank(f.value)) : f.value}</code>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Notes({ ctx, notes }: { ctx: PageCtx; notes: ReadonlyArray<{ key: string; params: Record<string, string | number> }> }) {
  if (notes.length === 0) return null;
  return (
    <ul class="small copy-notes">
      {notes.map((n) => (
        <li>{tk(ctx, n.key, n.params)}</li>
      ))}
    </ul>
  );
}

export async function copyCatalogPages(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { copyCatalog: copy } = opts.services;

  const crumbs = (ctx: PageCtx, more: ReadonlyArray<readonly [string, string]> = []) => (
    <Breadcrumbs label={ctx.t('staff.catalog.breadcrumbs')} items={[['/staff/catalogue', ctx.t('staff.catalog.title')], [COPY, ctx.t('copy.title')], ...more]} />
  );

  // ---------------------------------------------------------------- search

  /** The search form, always shown above results. */
  function SearchForm({ ctx, targets, p, error }: { ctx: PageCtx; targets: readonly SruTarget[]; p: CopyParams; error?: AppError }) {
    const { t } = ctx;
    const chosen = p.targetId ?? targets[0]?.id;
    return (
      <form method="get" action={COPY} class="stack copy-search" role="search" aria-label={t('copy.searchForm')}>
        <div class="field">
          <label for="f-target">{t('copy.target')}</label>
          <select id="f-target" name="target">
            {targets.map((tg) => (
              <option value={String(tg.id)} selected={tg.id === chosen}>
                {tg.name}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="f-kind">{t('copy.kind')}</label>
          <select id="f-kind" name="kind" aria-invalid={invalid(error, 'kind')} aria-describedby={describedBy(error, 'kind')}>
            {COPY_KINDS.map((k) => (
              <option value={k} selected={k === p.kind}>
                {t(`copy.kind.${k}`)}
              </option>
            ))}
          </select>
          <FieldErrors ctx={ctx} error={error} field="kind" />
        </div>
        <div class="field">
          <label for="f-text">{t('copy.text')}</label>
          <input type="search" id="f-text" name="text" value={p.text} maxLength={MAX_QUERY_TEXT} autoComplete="off" aria-invalid={invalid(error, 'text')} aria-describedby={describedBy(error, 'text', true)} />
          <span class="help" id="f-text-help">
            {t('copy.textHelp')}
          </span>
          <FieldErrors ctx={ctx} error={error} field="text" />
        </div>
        <div>
          <button type="submit">{t('copy.submit')}</button>
        </div>
      </form>
    );
  }

  function ResultRow({ ctx, r, p, targetId }: { ctx: PageCtx; r: ResultEntry; p: CopyParams; targetId: number }) {
    const { t } = ctx;
    if (!r.usable) {
      return (
        <tr class="unusable">
          <td data-label={t('copy.col.position')}>{r.position || '—'}</td>
          <td data-label={t('copy.col.title')} colSpan={5}>
            <span class="badge badge-warning">{t('copy.unusable')}</span> {tk(ctx, `copy.record.${r.problem}`, { detail: r.detail ?? '' })}
          </td>
        </tr>
      );
    }
    return (
      <tr>
        <td data-label={t('copy.col.position')}>{r.position}</td>
        <td data-label={t('copy.col.title')} class="title">
          <a href={href(`${COPY}/preview`, { targetId, kind: p.kind, text: p.text, page: p.page, position: r.position })}>{r.title}</a>
          {r.format === 'dc' ? <span class="badge">{t('copy.format.dc')}</span> : null}
        </td>
        <td data-label={t('copy.col.author')}>{r.author ?? ''}</td>
        <td data-label={t('copy.col.year')}>{r.year ?? ''}</td>
        <td data-label={t('copy.col.publisher')}>{r.publisher ?? ''}</td>
        <td data-label={t('copy.col.isbn')}>{r.isbn ?? ''}</td>
      </tr>
    );
  }

  app.get('/catalogue/copy', async (req, reply) => {
    requireUser(req);
    const ctx = pageCtx(req);
    const { t } = ctx;
    const targets = await copy.targets(req.ctx.actor);
    const manage = await copy.canManage(req.ctx.actor);
    const v = queryValues(req);
    const p = readParams(v);
    const target = targets.find((x) => x.id === p.targetId) ?? (p.targetId === undefined ? targets[0] : undefined);
    if (p.targetId !== undefined && !target) throw new AppError('NOT_FOUND');

    let body: VNode | null = null;
    let status = 200;
    let error: AppError | undefined;
    if (target && v.text !== undefined) {
      try {
        const r = await copy.search(req.ctx.actor, target.id, { kind: p.kind, text: p.text, page: p.page }, clientGone(reply));
        if (!r.ok) {
          status = 502;
          body = <ProblemBox ctx={ctx} problem={r.problem} />;
        } else {
          body = (
            <section aria-labelledby="results-heading" class="copy-results">
              <h2 id="results-heading">{t('copy.results', { target: target.name })}</h2>
              {r.notices.map((n) => (
                <p class="muted small">{t('copy.notice', { text: [n.message, n.details].filter(Boolean).join(' — ') || n.uri })}</p>
              ))}
              {r.total === 0 ? (
                <p class="muted">{t('copy.resultsNone', { target: target.name })}</p>
              ) : (
                <>
                  <p class="muted small">{t('copy.resultsCount', { total: r.total, page: r.page, pages: Math.max(r.pages, 1) })}</p>
                  <div class="table-wrap">
                    <table class="list stack copy-hits">
                      <thead>
                        <tr>
                          <th scope="col">{t('copy.col.position')}</th>
                          <th scope="col">{t('copy.col.title')}</th>
                          <th scope="col">{t('copy.col.author')}</th>
                          <th scope="col">{t('copy.col.year')}</th>
                          <th scope="col">{t('copy.col.publisher')}</th>
                          <th scope="col">{t('copy.col.isbn')}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {r.results.map((x) => (
                          <ResultRow ctx={ctx} r={x} p={{ ...p, page: r.page }} targetId={target.id} />
                        ))}
                      </tbody>
                    </table>
                  </div>
                  {r.pages > 1 ? (
                    <nav class="actions" aria-label={t('copy.pager')}>
                      {r.page > 1 ? (
                        <a class="button secondary" rel="prev" href={href(COPY, { targetId: target.id, kind: p.kind, text: p.text, page: r.page - 1 })}>
                          {t('copy.prev')}
                        </a>
                      ) : null}
                      {r.page < r.pages ? (
                        <a class="button secondary" rel="next" href={href(COPY, { targetId: target.id, kind: p.kind, text: p.text, page: r.page + 1 })}>
                          {t('copy.next')}
                        </a>
                      ) : null}
                    </nav>
                  ) : null}
                </>
              )}
            </section>
          );
        }
      } catch (e) {
        error = asFormError(e);
        status = error.status;
      }
    }

    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('copy.title')} staff flash={flashFromQuery(ctx, req.query)}>
        {crumbs(ctx)}
        <h1>{t('copy.title')}</h1>
        {/* Once a search is made, results come first on a phone: the introduction steps aside. */}
        {v.text === undefined ? <p class="lead">{t('copy.intro')}</p> : null}
        {targets.length === 0 ? (
          <p class="muted">
            {t('copy.noTargets')} {manage ? <a href={TARGETS}>{t('copy.noTargetsManage')}</a> : null}
          </p>
        ) : (
          <section class="card" aria-labelledby="search-heading">
            <h2 id="search-heading">{t('copy.searchForm')}</h2>
            <FormProblems ctx={ctx} error={error} fields={['text', 'kind']} />
            <SearchForm ctx={ctx} targets={targets} p={{ ...p, targetId: target?.id }} error={error} />
          </section>
        )}
        {body}
        {manage ? (
          <p class="actions">
            <a class="button secondary" href={TARGETS}>
              {t('copy.manageTargets')}
            </a>
          </p>
        ) : null}
      </Layout>,
      status,
    );
  });

  // The address used in early notes.
  app.get('/catalog/copy', async (req, reply) => {
    const q = req.url.indexOf('?');
    return reply.redirect(q < 0 ? COPY : `${COPY}${req.url.slice(q)}`, 301);
  });

  // ---------------------------------------------------------------- preview and import

  interface PreviewState {
    values?: Values;
    error?: AppError;
    problem?: RemoteProblem;
  }

  /** The preview page and its status; undefined when the query or position does not hold up (the search form then says why). */
  const previewPage = async (req: FastifyRequest, reply: FastifyReply, p: CopyParams, state: PreviewState = {}): Promise<{ page: VNode; status: number } | undefined> => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    if (p.targetId === undefined) throw new AppError('NOT_FOUND');
    const query: CopyQuery = { kind: p.kind, text: p.text };
    let outcome: PreviewOutcome;
    try {
      outcome = await copy.preview(req.ctx.actor, p.targetId, query, p.position, clientGone(reply));
    } catch (e) {
      if (asFormError(e).code !== 'VALIDATION') throw e;
      return undefined;
    }
    const target = outcome.target;
    const back = href(COPY, { targetId: target.id, kind: p.kind, text: p.text, page: p.page });
    const problem = state.problem ?? (outcome.ok ? undefined : outcome.problem);
    const status = state.problem ? (state.problem.code === 'changed' ? 409 : 502) : state.error ? state.error.status : outcome.ok ? 200 : 502;
    if (!outcome.ok) {
      return {
        status,
        page: (
          <Layout ctx={ctx} title={t('copy.preview.title')} staff>
            {crumbs(ctx, [[back, t('copy.results', { target: target.name })]])}
            <h1>{t('copy.preview.title')}</h1>
            <ProblemBox ctx={ctx} problem={problem!} />
            <p class="actions">
              <a class="button secondary" href={back}>
                {t('copy.preview.back')}
              </a>
            </p>
          </Layout>
        ),
      };
    }
    const r = outcome.record;
    const units = await copy.importUnits(req.ctx.actor, req.ctx.user?.homeUnitId ?? null);
    const values = state.values ?? {};
    const policy = values.policy && (IMPORT_POLICIES as readonly string[]).includes(values.policy) ? values.policy : 'attach';
    const chosenUnit = values.unit ?? (units[0] ? String(units[0].id) : '');
    const label = (u: OrgUnit) => `${unitName(ctx, u)} (${u.code})`;
    const error = state.error;
    return {
      status,
      page: (
        <Layout ctx={ctx} title={`${r.title} · ${t('copy.preview.title')}`} staff>
          {crumbs(ctx, [[back, t('copy.results', { target: target.name })]])}
          <p class="muted small">{t('copy.preview.title')}</p>
          <h1>{r.title}</h1>
          {problem ? <ProblemBox ctx={ctx} problem={problem} /> : null}
          <dl class="facts">
            <dt>{t('copy.preview.source')}</dt>
            <dd>{t('copy.preview.from', { target: target.name, position: r.position })}</dd>
            <dt>{t('copy.preview.format')}</dt>
            <dd>{r.format === 'dc' ? t('copy.preview.dcFormat') : t('copy.format.marc21')}</dd>
            {r.author ? (
              <>
                <dt>{t('copy.col.author')}</dt>
                <dd>{r.author}</dd>
              </>
            ) : null}
            {r.publisher || r.year ? (
              <>
                <dt>{t('copy.col.publisher')}</dt>
                <dd>{[r.publisher, r.year].filter(Boolean).join(', ')}</dd>
              </>
            ) : null}
            {r.isbn ? (
              <>
                <dt>{t('copy.col.isbn')}</dt>
                <dd>{r.isbn}</dd>
              </>
            ) : null}
          </dl>
          <Notes ctx={ctx} notes={r.notes} />

          <div class="grid halves">
            <Section title={t('copy.preview.duplicates')} id="duplicates-heading">
              {outcome.duplicates.length === 0 ? (
                <p class="muted">{t('copy.preview.noDuplicates')}</p>
              ) : (
                <>
                  <p>{t('copy.preview.duplicatesIntro')}</p>
                  <ul class="copy-duplicates">
                    {outcome.duplicates.map((d) => (
                      <li>
                        <a href={`/staff/catalogue/records/${d.recordId}`}>{`#${d.recordId} ${d.title}`}</a>{' '}
                        <span class="muted small">{d.on === 'key' ? t('copy.preview.matchedOnKey') : t('copy.preview.matchedOn', { on: t(`copy.on.${d.on}`), value: d.value })}</span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </Section>

            <Section title={t('copy.import.title')} id="import-heading">
              {units.length === 0 ? (
                <p class="muted">{t('copy.import.noLibrary')}</p>
              ) : (
                <>
                  <FormProblems ctx={ctx} error={error} fields={['unit', 'barcode']} />
                  <form method="post" action={`${COPY}/import`} class="stack copy-import">
                    <Csrf ctx={ctx} />
                    <input type="hidden" name="target" value={String(target.id)} />
                    <input type="hidden" name="kind" value={p.kind} />
                    <input type="hidden" name="text" value={p.text} />
                    <input type="hidden" name="page" value={String(p.page)} />
                    <input type="hidden" name="pos" value={String(r.position)} />
                    <input type="hidden" name="fingerprint" value={r.fingerprint} />
                    <div class="field">
                      <label for="f-unit">{t('copy.import.library')}</label>
                      <select id="f-unit" name="unit" required aria-invalid={invalid(error, 'unit')} aria-describedby={describedBy(error, 'unit', true)}>
                        {units.map((u) => (
                          <option value={String(u.id)} selected={String(u.id) === chosenUnit}>
                            {label(u)}
                          </option>
                        ))}
                      </select>
                      <span class="help" id="f-unit-help">
                        {t('copy.import.libraryHelp')}
                      </span>
                      <FieldErrors ctx={ctx} error={error} field="unit" />
                    </div>
                    <fieldset class="field policies">
                      <legend>{t('copy.import.policy')}</legend>
                      {IMPORT_POLICIES.map((x) => (
                        <label class="choice">
                          <input type="radio" name="policy" value={x} checked={x === policy} />
                          <span>
                            <strong>{t(`copy.import.policy.${x}`)}</strong>
                            <span class="help">{t(`copy.import.policy.${x}Help`)}</span>
                          </span>
                        </label>
                      ))}
                    </fieldset>
                    <div class="field">
                      <label for="f-barcode">{t('copy.import.barcode')}</label>
                      <input type="text" id="f-barcode" name="barcode" value={values.barcode ?? ''} maxLength={32} autoComplete="off" aria-invalid={invalid(error, 'barcode')} aria-describedby={describedBy(error, 'barcode', true)} />
                      <span class="help" id="f-barcode-help">
                        {t('copy.import.barcodeHelp')}
                      </span>
                      <FieldErrors ctx={ctx} error={error} field="barcode" />
                    </div>
                    <div>
                      <button type="submit">{t('copy.import.submit')}</button>
                    </div>
                  </form>
                </>
              )}
            </Section>
          </div>

          <section aria-labelledby="fields-heading">
            <h2 id="fields-heading">{t('copy.preview.fields')}</h2>
            <MarcTable ctx={ctx} marc={r.marc} />
          </section>
          <p class="actions">
            <a class="button secondary" href={back}>
              {t('copy.preview.back')}
            </a>
          </p>
        </Layout>
      ),
    };
  };

  app.get('/catalogue/copy/preview', async (req, reply) => {
    requireUser(req);
    const p = readParams(queryValues(req));
    const shown = await previewPage(req, reply, p);
    if (!shown) return reply.redirect(href(COPY, { targetId: p.targetId, kind: p.kind, text: p.text, page: p.page }), 303);
    return sendPage(reply, shown.page, shown.status);
  });

  app.post('/catalogue/copy/import', async (req, reply) => {
    requireUser(req);
    const v = formValues(req);
    const p = readParams(v);
    if (p.targetId === undefined) throw new AppError('NOT_FOUND');
    const unitId = posInt(v.unit, 2_147_483_647);
    const rerender = async (state: PreviewState) => {
      const shown = await previewPage(req, reply, p, { values: v, ...state });
      if (!shown) return reply.redirect(href(COPY, { targetId: p.targetId, kind: p.kind, text: p.text, page: p.page }), 303);
      return sendPage(reply, shown.page, shown.status);
    };
    if (unitId === undefined) return rerender({ error: new AppError('VALIDATION', {}, [{ field: 'unit', code: 'VALIDATION', params: { rule: 'staff.imports.noLibrary' } }]) });
    let result;
    try {
      result = await copy.importRecord(
        req.ctx.actor,
        { targetId: p.targetId, query: { kind: p.kind, text: p.text }, position: p.position, unitId, policy: v.policy ?? 'attach', fingerprint: v.fingerprint || undefined, barcode: v.barcode },
        clientGone(reply),
      );
    } catch (e) {
      return rerender({ error: asFormError(e) });
    }
    if (!result.ok) return rerender({ problem: result.problem });
    const key = result.outcome === 'matched' && result.problems.some((x) => x.code === 'not-replaced-permission') ? 'copy.done.notReplaced' : `copy.done.${result.outcome}`;
    return reply.redirect(`/staff/catalogue/records/${result.recordId}?ok=${key}`, 303);
  });

  // ---------------------------------------------------------------- the targets

  function TargetForm({ ctx, action, values, error, submit }: { ctx: PageCtx; action: string; values: Values; error?: AppError; submit: string }) {
    const { t } = ctx;
    const text = (name: string, label: MessageKey, opts: { type?: string; help?: MessageKey; required?: boolean; max: number }) => (
      <div class="field">
        <label for={`f-${name}`}>{t(label)}</label>
        <input
          type={(opts.type ?? 'text') as 'text'}
          id={`f-${name}`}
          name={name}
          value={values[name] ?? ''}
          required={opts.required}
          maxLength={opts.max}
          autoComplete="off"
          aria-invalid={invalid(error, name)}
          aria-describedby={describedBy(error, name, !!opts.help)}
        />
        {opts.help ? (
          <span class="help" id={`f-${name}-help`}>
            {t(opts.help)}
          </span>
        ) : null}
        <FieldErrors ctx={ctx} error={error} field={name} />
      </div>
    );
    return (
      <form method="post" action={action} class="stack target-form">
        <Csrf ctx={ctx} />
        {values.version ? <input type="hidden" name="version" value={values.version} /> : null}
        {text('name', 'copy.targets.name', { required: true, max: 200 })}
        {text('baseUrl', 'copy.targets.baseUrl', { type: 'url', help: 'copy.targets.baseUrlHelp', required: true, max: 1000 })}
        <div class="field">
          <label for="f-sruVersion">{t('copy.targets.sruVersion')}</label>
          <select id="f-sruVersion" name="sruVersion" aria-invalid={invalid(error, 'sruVersion')} aria-describedby={describedBy(error, 'sruVersion')}>
            {SRU_VERSIONS.map((x) => (
              <option value={x} selected={x === (values.sruVersion ?? '1.2')}>
                {x}
              </option>
            ))}
          </select>
          <FieldErrors ctx={ctx} error={error} field="sruVersion" />
        </div>
        {text('recordSchema', 'copy.targets.recordSchema', { help: 'copy.targets.recordSchemaHelp', max: 200 })}
        <label class="choice">
          <input type="checkbox" name="enabled" value="1" checked={values.enabled !== '0'} aria-describedby="f-enabled-help" />
          <span>
            <strong>{t('copy.targets.enabled')}</strong>
            <span class="help" id="f-enabled-help">
              {t('copy.targets.enabledHelp')}
            </span>
          </span>
        </label>
        <div>
          <button type="submit">{submit}</button>
        </div>
      </form>
    );
  }

  const targetCrumbs = (ctx: PageCtx) => <Breadcrumbs label={ctx.t('staff.catalog.breadcrumbs')} items={[['/staff/catalogue', ctx.t('staff.catalog.title')], [COPY, ctx.t('copy.title')], [TARGETS, ctx.t('copy.targets.title')]]} />;

  const targetsPage = async (req: FastifyRequest, state: { values?: Values; error?: AppError } = {}) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const manage = await copy.canManage(req.ctx.actor);
    const list = await copy.targets(req.ctx.actor, { all: manage });
    return (
      <Layout ctx={ctx} title={t('copy.targets.title')} staff flash={flashFromQuery(ctx, req.query)}>
        {targetCrumbs(ctx)}
        <h1>{t('copy.targets.title')}</h1>
        <p class="lead">{t('copy.targets.intro')}</p>
        {manage ? null : <p class="muted">{t('copy.targets.readOnly')}</p>}
        {list.length === 0 ? (
          <p class="muted">{t('copy.targets.none')}</p>
        ) : (
          <div class="table-wrap">
            <table class="list stack sru-targets">
              <thead>
                <tr>
                  <th scope="col">{t('copy.targets.name')}</th>
                  <th scope="col">{t('copy.targets.baseUrl')}</th>
                  <th scope="col">{t('copy.targets.sruVersion')}</th>
                  <th scope="col">{t('copy.targets.recordSchema')}</th>
                  <th scope="col">{t('copy.targets.updated')}</th>
                  <th scope="col">
                    <span class="visually-hidden">{t('copy.targets.editLink')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.map((x) => (
                  <tr>
                    <td data-label={t('copy.targets.name')}>
                      <strong>{x.name}</strong> <span class={x.enabled ? 'badge' : 'badge badge-disabled'}>{t(x.enabled ? 'copy.targets.status.on' : 'copy.targets.status.off')}</span>
                    </td>
                    <td data-label={t('copy.targets.baseUrl')} class="json">
                      {x.baseUrl}
                    </td>
                    <td data-label={t('copy.targets.sruVersion')}>{x.sruVersion}</td>
                    <td data-label={t('copy.targets.recordSchema')}>{x.recordSchema}</td>
                    <td data-label={t('copy.targets.updated')} class="nowrap">
                      {formatTime(ctx, x.updatedAt)}
                    </td>
                    <td>
                      {manage ? <a href={`${TARGETS}/${x.id}`}>{t('copy.targets.editLink')}</a> : null}
                      {x.enabled ? (
                        <>
                          {manage ? ' · ' : null}
                          <a href={`${COPY}?target=${x.id}`}>{t('copy.targets.try')}</a>
                        </>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <p class="actions">
          <a class="button secondary" href={COPY}>
            {t('copy.title')}
          </a>
        </p>
        {manage ? (
          <section class="card upload-card" aria-labelledby="add-heading">
            <h2 id="add-heading">{t('copy.targets.add')}</h2>
            <FormProblems ctx={ctx} error={state.error} fields={['name', 'baseUrl', 'sruVersion', 'recordSchema']} />
            <TargetForm ctx={ctx} action={TARGETS} values={state.values ?? { recordSchema: 'marcxml', sruVersion: '1.2' }} error={state.error} submit={t('copy.targets.create')} />
          </section>
        ) : null}
      </Layout>
    );
  };

  const targetInput = (v: Values) => ({ name: v.name ?? '', baseUrl: v.baseUrl ?? '', sruVersion: v.sruVersion ?? '', recordSchema: v.recordSchema ?? '', enabled: v.enabled === '1' });
  const targetId = (req: FastifyRequest): number => {
    const id = posInt((req.params as { id?: string }).id, 2_147_483_647);
    if (id === undefined) throw new AppError('NOT_FOUND');
    return id;
  };

  app.get('/interop/targets', async (req, reply) => {
    requireUser(req);
    return sendPage(reply, await targetsPage(req));
  });

  app.post('/interop/targets', async (req, reply) => {
    requireUser(req);
    const v = formValues(req);
    try {
      await copy.createTarget(req.ctx.actor, targetInput(v));
    } catch (e) {
      const error = asFormError(e);
      return sendPage(reply, await targetsPage(req, { values: { ...v, enabled: v.enabled === '1' ? '1' : '0' }, error }), error.status);
    }
    return reply.redirect(`${TARGETS}?ok=copy.targets.created`, 303);
  });

  const editPage = async (req: FastifyRequest, target: SruTarget, state: { values?: Values; error?: AppError } = {}) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const values: Values = state.values ?? { name: target.name, baseUrl: target.baseUrl, sruVersion: target.sruVersion, recordSchema: target.recordSchema, enabled: target.enabled ? '1' : '0', version: String(target.version) };
    return (
      <Layout ctx={ctx} title={t('copy.targets.edit')} staff>
        {targetCrumbs(ctx)}
        <h1>{t('copy.targets.edit')}</h1>
        <section class="card upload-card" aria-labelledby="edit-heading">
          <h2 id="edit-heading">{target.name}</h2>
          <FormProblems ctx={ctx} error={state.error} fields={['name', 'baseUrl', 'sruVersion', 'recordSchema']} />
          <TargetForm ctx={ctx} action={`${TARGETS}/${target.id}`} values={values} error={state.error} submit={t('copy.targets.save')} />
        </section>
        <form method="post" action={`${TARGETS}/${target.id}/delete`} class="actions">
          <Csrf ctx={ctx} />
          <input type="hidden" name="version" value={String(target.version)} />
          <button type="submit" class="danger">
            {t('copy.targets.delete')}
          </button>
        </form>
      </Layout>
    );
  };

  const managedTarget = async (req: FastifyRequest): Promise<SruTarget> => {
    if (!(await copy.canManage(req.ctx.actor))) throw new AppError('PERMISSION_DENIED', { permission: 'interop.manage' });
    return copy.target(req.ctx.actor, targetId(req));
  };

  app.get('/interop/targets/:id', async (req, reply) => {
    requireUser(req);
    return sendPage(reply, await editPage(req, await managedTarget(req)));
  });

  app.post('/interop/targets/:id', async (req, reply) => {
    requireUser(req);
    const target = await managedTarget(req);
    const v = formValues(req);
    try {
      await copy.updateTarget(req.ctx.actor, target.id, { ...targetInput(v), version: Number(v.version) || 0 });
    } catch (e) {
      const error = asFormError(e);
      return sendPage(reply, await editPage(req, target, { values: { ...v, enabled: v.enabled === '1' ? '1' : '0' }, error }), error.status);
    }
    return reply.redirect(`${TARGETS}?ok=copy.targets.saved`, 303);
  });

  app.post('/interop/targets/:id/delete', async (req, reply) => {
    requireUser(req);
    const target = await managedTarget(req);
    const v = formValues(req);
    try {
      await copy.deleteTarget(req.ctx.actor, target.id, Number(v.version) || 0);
    } catch (e) {
      const error = asFormError(e);
      return sendPage(reply, await editPage(req, target, { error }), error.status);
    }
    return reply.redirect(`${TARGETS}?ok=copy.targets.deleted`, 303);
  });
}
