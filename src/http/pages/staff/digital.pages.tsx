/**
 * The digital library for staff: the digitisation work queue (filters, state tabs with counts,
 * bulk moves and assignments with a result per object), the object form (owning library, a
 * catalogue record or the fifteen Dublin Core elements, rights, OCR, collections), the object's
 * page (workflow, processing, files, pages, upload), a page's text, and deleting an object.
 *
 * Uploads, batch ingest, collections and the progress page live in `digital-*.pages.tsx`; they
 * share this plugin's scope, where multipart bodies and raw `application/octet-stream` chunks
 * are accepted (nowhere else).
 *
 * Every permission is checked by the services; these pages hide what the user may not do and
 * refuse to show objects of libraries the user does not manage.
 */
import { dirname } from 'node:path';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import multipart from '@fastify/multipart';
import { AppError } from '../../../domain/errors.js';
import { allows, allowsAnywhere } from '../../../domain/access/permissions.js';
import {
  ACCESS_LEVELS,
  DC_ELEMENTS,
  LICENCES,
  OCR_LANGUAGE_SETS,
  PLAN_CATEGORIES,
  WORKFLOW_STATES,
  isPlanCategory,
  isWorkflowState,
  nextStates,
  type DcElement,
  type Licence,
  type WorkflowState,
} from '../../../domain/digital/object.js';
import type { OrgUnit } from '../../../domain/org/unit.js';
import type { ObjectInput, TransitionResult } from '../../../app/digital/digital.service.js';
import type { BlobStore } from '../../../app/digital/media.js';
import type { Clock, DigitalCollection, StaffUser, Store, StoredDigitalObject } from '../../../app/ports.js';
import type { Services } from '../../../main/container.js';
import type { MessageKey } from '../../../i18n/i18n.js';
import { assetUrl } from '../../assets/assets.js';
import { Csrf, Layout, flashFromQuery, formatDate, formatTime, pageCtx, sendPage, unitName, type Flash, type PageCtx } from '../render.js';
import { asFormError, formValues, requireUser, type Values } from './forms.js';
import { formatBytes } from './imports.pages.js';
import {
  BASE,
  ROUTE,
  Breadcrumbs,
  DigitalNav,
  DigitalStyles,
  ErrorBanner,
  FieldBox,
  ProcessingBadge,
  ProcessingError,
  StateBadge,
  accessLabel,
  appErrorText,
  categoryLabel,
  describedBy,
  digitalErrorText,
  formList,
  idOf,
  iiifUrl,
  licenceLabel,
  ocrLabel,
  param,
  queryId,
  stateLabel,
  subtreeIds,
  unitOptions,
} from './digital-common.pages.js';
import { uploadRoutes } from './digital-upload.pages.js';
import { ingestRoutes } from './digital-ingest.pages.js';
import { adminRoutes } from './digital-admin.pages.js';

/** The parts of the blob store the upload pages need (the store's temporary folder, hashing). */
export type UploadBlobs = Pick<BlobStore, 'tempPath' | 'hashFile'>;

export interface DigitalPagesOptions {
  services: Services;
  /** The blob store's temporary files and hashing; by default the digital service's. */
  blobs?: UploadBlobs;
  store?: Store;
  clock?: Clock;
}

/** What the route groups of the digital pages share. */
export interface DigitalDeps {
  services: Services;
  blobs: UploadBlobs;
  /** The store's temporary folder (uploads in progress, ingest folders). */
  tempDir: string;
}

const QUEUE_PAGE = 40;
const PAGES_PAGE = 60;
/** Elements whose values are separated by an empty line (they are paragraphs); the rest one per line. */
const PARAGRAPH_ELEMENTS: readonly DcElement[] = ['description'];

// ---------------------------------------------------------------- the plugin

export async function digitalPages(app: FastifyInstance, opts: DigitalPagesOptions): Promise<void> {
  const { services } = opts;
  const blobs: UploadBlobs = opts.blobs ?? { tempPath: (suffix) => services.digital.tempPath(suffix), hashFile: (path) => services.digital.hashFile(path) };
  const tempDir = dirname(blobs.tempPath());
  const deps: DigitalDeps = { services, blobs, tempDir };

  // Streaming multipart (files go to disk as they arrive); limits are set per route.
  await app.register(multipart, { limits: { fileSize: services.digital.limits.maxBytes, files: 1, fields: 20, parts: 21, fieldSize: 10_000 } });
  // Chunks of a resumable upload arrive raw: the handler streams them to disk itself.
  app.addContentTypeParser('application/octet-stream', (_req, payload, done) => done(null, payload));
  // The CSRF check reads `_csrf` from the body, which a multipart request does not have yet: the
  // upload forms carry it in their action's query string (as the MARC import form does).
  app.addHook('preValidation', async (req) => {
    if (req.method !== 'POST' || !req.isMultipart() || req.body !== undefined) return;
    const sent = (req.query as Record<string, unknown> | undefined)?._csrf;
    if (typeof sent === 'string') req.body = { _csrf: sent };
  });

  queueRoutes(app, deps);
  const renderObject = objectRoutes(app, deps);
  uploadRoutes(app, deps, renderObject);
  ingestRoutes(app, deps);
  adminRoutes(app, deps);
}

// ---------------------------------------------------------------- shared loading

/** Units where the actor manages digital objects; refused when there is none at all. */
export async function manageableUnits(services: Services, req: FastifyRequest): Promise<OrgUnit[]> {
  const units = await services.digital.unitsWhere(req.ctx.actor, 'digital.object.manage');
  if (units.length === 0) throw new AppError('PERMISSION_DENIED', { permission: 'digital.object.manage' });
  return units;
}

/** An object the actor manages (staff pages show no other). */
export async function loadManaged(services: Services, req: FastifyRequest, id: number): Promise<StoredDigitalObject> {
  const o = await services.digital.get(id);
  if (!(await services.digital.isStaffFor(req.ctx.actor, o))) throw new AppError('PERMISSION_DENIED', { permission: 'digital.object.manage', unit: o.ownerUnitId });
  return o;
}

/** Staff the actor may assign work to (colleagues who digitise in its libraries), and itself. */
async function assignable(services: Services, req: FastifyRequest, _manageable: readonly OrgUnit[]): Promise<StaffUser[]> {
  const out = await services.digital.assignees(req.ctx.actor);
  const me = req.ctx.user;
  if (me && !out.some((u) => u.id === me.id)) out.unshift(me);
  return out.sort((a, b) => a.displayName.localeCompare(b.displayName, 'vi'));
}

function personName(users: readonly StaffUser[], id: number | null, ctx: PageCtx): string {
  if (id === null) return ctx.t('dstaff.assignee.nobody');
  const u = users.find((x) => x.id === id);
  return u ? u.displayName : `#${id}`;
}

function ThumbOrBlank({ ctx, o, w, h }: { ctx: PageCtx; o: StoredDigitalObject; w: number; h: number }) {
  if (o.pageCount > 0) return <img class="dthumb" src={iiifUrl(o.id, 1, w, h)} alt="" width={w / 2} height={h / 2} loading="lazy" decoding="async" />;
  return (
    <span class="dthumb dthumb-blank" aria-hidden="true">
      {ctx.t('dstaff.noPages')}
    </span>
  );
}

// ---------------------------------------------------------------- the queue

interface QueueFilter {
  unit?: number;
  state?: WorkflowState;
  assignee?: 'mine' | 'none';
  category?: string;
  collection?: number;
  q?: string;
  before?: number;
}

function readQueueFilter(query: unknown): QueueFilter {
  const q = (query ?? {}) as Record<string, unknown>;
  const s = (k: string) => (typeof q[k] === 'string' ? (q[k] as string).trim() : '');
  const f: QueueFilter = {};
  if (queryId(q.unit) !== undefined) f.unit = queryId(q.unit);
  if (isWorkflowState(s('state'))) f.state = s('state') as WorkflowState;
  if (s('assignee') === 'mine' || s('assignee') === 'none') f.assignee = s('assignee') as 'mine' | 'none';
  if (isPlanCategory(s('category'))) f.category = s('category');
  if (queryId(q.collection) !== undefined) f.collection = queryId(q.collection);
  if (s('q')) f.q = s('q').slice(0, 200);
  if (queryId(q.before) !== undefined) f.before = queryId(q.before);
  return f;
}

function queueQuery(f: QueueFilter, change: Partial<Record<keyof QueueFilter, string | number | undefined>> = {}): string {
  const qs = new URLSearchParams();
  const all = { ...f, before: undefined, ...change } as Record<string, unknown>;
  for (const k of ['unit', 'state', 'assignee', 'category', 'collection', 'q', 'before']) {
    const v = all[k];
    if (v !== undefined && v !== '') qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? `?${s}` : '';
}

interface BulkOutcome {
  action: 'move' | 'assign';
  results: TransitionResult[];
  error?: string;
}

function queueRoutes(app: FastifyInstance, deps: DigitalDeps): void {
  const { digital, org } = deps.services;

  const queuePage = async (req: FastifyRequest, bulk?: BulkOutcome, bulkValues: Values = {}) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const manageable = await manageableUnits(deps.services, req);
    const f = readQueueFilter(req.query);
    const chosen = f.unit === undefined ? undefined : manageable.find((u) => u.id === f.unit);
    const unitIds = chosen ? subtreeIds(manageable, chosen) : manageable.map((u) => u.id);
    const me = req.ctx.actor.userId;
    const assigneeId = f.assignee === 'mine' ? (me ?? -1) : f.assignee === 'none' ? null : undefined;
    const common = {
      unitIds,
      ...(assigneeId !== undefined ? { assigneeId } : {}),
      ...(f.category ? { category: f.category as (typeof PLAN_CATEGORIES)[number] } : {}),
      ...(f.collection !== undefined ? { collectionId: f.collection } : {}),
      ...(f.q ? { titleLike: f.q } : {}),
    };
    const [rows, total, stateCounts, collections, allUnits, users] = await Promise.all([
      digital.list(req.ctx.actor, { ...common, ...(f.state ? { states: [f.state] } : {}), limit: QUEUE_PAGE + 1, beforeId: f.before }),
      digital.count(req.ctx.actor, { ...common, ...(f.state ? { states: [f.state] } : {}) }),
      digital.stateCounts(unitIds),
      digital.collections({}),
      org.list(),
      assignable(deps.services, req, manageable),
    ]);
    const more = rows.length > QUEUE_PAGE;
    const shown = rows.slice(0, QUEUE_PAGE);
    const unitsById = new Map(allUnits.map((u) => [u.id, u]));
    const perState = new Map<WorkflowState, number>();
    for (const c of stateCounts) perState.set(c.state, (perState.get(c.state) ?? 0) + c.count);
    const allCount = [...perState.values()].reduce((a, b) => a + b, 0);
    const titles = new Map(shown.map((o) => [o.id, o.title]));
    const mayPublish = allowsAnywhere(req.ctx.actor.grants, 'digital.object.publish');
    const bulkAction = `${BASE}/bulk${queueQuery(f, { before: f.before })}`;
    const flash: Flash | undefined = flashFromQuery(ctx, req.query);
    return (
      <Layout ctx={ctx} title={t('dstaff.queue.title')} staff flash={flash}>
        <DigitalStyles />
        <DigitalNav ctx={ctx} />
        <div class="page-head">
          <h1>{t('dstaff.queue.title')}</h1>
          <a class="button" href={`${BASE}/new`}>
            {t('dstaff.queue.new')}
          </a>
        </div>
        <nav class="state-tabs" aria-label={t('dstaff.queue.states')}>
          <ul>
            <li>
              <a href={`${BASE}${queueQuery(f, { state: undefined })}`} aria-current={f.state === undefined ? 'page' : undefined}>
                {t('dstaff.queue.all')} <span class="count">{allCount}</span>
              </a>
            </li>
            {WORKFLOW_STATES.map((s) => (
              <li>
                <a href={`${BASE}${queueQuery(f, { state: s })}`} aria-current={f.state === s ? 'page' : undefined} class={`tab-${s}`}>
                  {stateLabel(t, s)} <span class="count">{perState.get(s) ?? 0}</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <details class="card queue-filters" open={f.unit !== undefined || f.assignee !== undefined || f.category !== undefined || f.collection !== undefined || f.q !== undefined}>
          <summary>{t('dstaff.queue.filters')}</summary>
          <form method="get" action={BASE} class="filters">
            {f.state ? <input type="hidden" name="state" value={f.state} /> : null}
            <div class="field">
              <label for="q-q">{t('dstaff.queue.q')}</label>
              <input type="search" id="q-q" name="q" value={f.q ?? ''} maxLength={200} />
            </div>
            <div class="field">
              <label for="q-unit">{t('dstaff.queue.unit')}</label>
              <select id="q-unit" name="unit">
                <option value="">{t('dstaff.queue.allUnits')}</option>
                {unitOptions(ctx, manageable).map(([v, label]) => (
                  <option value={v} selected={v === String(f.unit ?? '')}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="q-assignee">{t('dstaff.queue.assignee')}</label>
              <select id="q-assignee" name="assignee">
                <option value="">{t('dstaff.queue.anyone')}</option>
                <option value="mine" selected={f.assignee === 'mine'}>
                  {t('dstaff.queue.mine')}
                </option>
                <option value="none" selected={f.assignee === 'none'}>
                  {t('dstaff.queue.unassigned')}
                </option>
              </select>
            </div>
            <div class="field">
              <label for="q-category">{t('dstaff.f.category')}</label>
              <select id="q-category" name="category">
                <option value="">{t('dstaff.queue.anyCategory')}</option>
                {PLAN_CATEGORIES.map((c) => (
                  <option value={c} selected={c === f.category}>
                    {categoryLabel(t, c)}
                  </option>
                ))}
              </select>
            </div>
            <div class="field">
              <label for="q-collection">{t('dstaff.f.collection')}</label>
              <select id="q-collection" name="collection">
                <option value="">{t('dstaff.queue.anyCollection')}</option>
                {collections.map((c) => (
                  <option value={String(c.id)} selected={c.id === f.collection}>
                    {ctx.locale === 'en' ? c.nameEn : c.nameVi}
                  </option>
                ))}
              </select>
            </div>
            <div class="actions">
              <button type="submit">{t('dstaff.queue.apply')}</button>
              <a href={`${BASE}${f.state ? `?state=${f.state}` : ''}`}>{t('dstaff.queue.clear')}</a>
            </div>
          </form>
        </details>
        {bulk ? <BulkResults ctx={ctx} bulk={bulk} titles={titles} /> : null}
        <p class="muted small" aria-live="polite">
          {t('dstaff.queue.count', { count: total })}
        </p>
        {shown.length === 0 ? (
          <p class="card muted">{t('dstaff.queue.empty')}</p>
        ) : (
          <form method="post" action={bulkAction} class="bulk-form">
            <Csrf ctx={ctx} />
            <ul class="dobjects">
              {shown.map((o) => {
                const u = unitsById.get(o.ownerUnitId);
                return (
                  <li class={`dobj dobj-${o.state}`}>
                    <label class="dobj-check">
                      <input type="checkbox" name="id" value={String(o.id)} checked={formList(req, 'id').includes(String(o.id))} />
                      <span class="visually-hidden">{t('dstaff.queue.select', { title: o.title })}</span>
                    </label>
                    <a href={`${BASE}/${o.id}`} class="dobj-thumb" tabIndex={-1} aria-hidden="true">
                      <ThumbOrBlank ctx={ctx} o={o} w={120} h={160} />
                    </a>
                    <div class="dobj-body">
                      <a href={`${BASE}/${o.id}`} class="dobj-title">
                        {o.title}
                      </a>
                      <div class="dobj-meta">
                        <StateBadge ctx={ctx} state={o.state} /> <span>{categoryLabel(t, o.category)}</span>
                        <span>{u ? unitName(ctx, u) : `#${o.ownerUnitId}`}</span>
                      </div>
                      <div class="dobj-meta small">
                        <span>{t('dstaff.queue.pages', { pages: o.pageCount, text: o.textPages })}</span>
                        <ProcessingBadge ctx={ctx} o={o} />
                        <span>
                          {t('dstaff.queue.assignedTo')}: {personName(users, o.assigneeId, ctx)}
                        </span>
                      </div>
                      <ProcessingError ctx={ctx} o={o} />
                    </div>
                  </li>
                );
              })}
            </ul>
            {more || f.before !== undefined ? (
              <p class="actions">
                {f.before !== undefined ? (
                  <a class="button secondary" href={`${BASE}${queueQuery(f)}`}>
                    {t('dstaff.queue.first')}
                  </a>
                ) : null}
                {more ? (
                  <a class="button secondary" href={`${BASE}${queueQuery(f, { before: shown[shown.length - 1]!.id })}`}>
                    {t('dstaff.queue.next')} →
                  </a>
                ) : null}
              </p>
            ) : null}
            <fieldset class="card bulk-actions">
              <legend>{t('dstaff.bulk.title')}</legend>
              <p class="help">{t('dstaff.bulk.help')}</p>
              <div class="bulk-row">
                <div class="field">
                  <label for="b-to">{t('dstaff.bulk.to')}</label>
                  <select id="b-to" name="to">
                    {WORKFLOW_STATES.filter((s) => mayPublish || (s !== 'published' && s !== 'rejected')).map((s) => (
                      <option value={s} selected={s === bulkValues.to}>
                        {stateLabel(t, s)}
                      </option>
                    ))}
                  </select>
                </div>
                <div class="field">
                  <label for="b-reason">{t('dstaff.bulk.reason')}</label>
                  <input type="text" id="b-reason" name="reason" maxLength={500} value={bulkValues.reason ?? ''} aria-describedby="b-reason-help" />
                  <span class="help" id="b-reason-help">
                    {t('dstaff.bulk.reasonHelp')}
                  </span>
                </div>
                <div>
                  <button type="submit" name="action" value="move">
                    {t('dstaff.bulk.move')}
                  </button>
                </div>
              </div>
              <div class="bulk-row">
                <div class="field">
                  <label for="b-assignee">{t('dstaff.bulk.assignee')}</label>
                  <select id="b-assignee" name="assignee">
                    <option value="">{t('dstaff.assignee.nobody')}</option>
                    {users.map((u) => (
                      <option value={String(u.id)} selected={String(u.id) === bulkValues.assignee}>
                        {u.displayName} ({u.username})
                      </option>
                    ))}
                  </select>
                </div>
                <div>
                  <button type="submit" name="action" value="assign" class="secondary">
                    {t('dstaff.bulk.assign')}
                  </button>
                </div>
              </div>
            </fieldset>
          </form>
        )}
      </Layout>
    );
  };

  app.get(ROUTE, async (req, reply) => {
    requireUser(req);
    return sendPage(reply, await queuePage(req));
  });

  app.post(`${ROUTE}/bulk`, async (req, reply) => {
    requireUser(req);
    const v = formValues(req);
    const ids = [...new Set(formList(req, 'id').filter((s) => /^\d{1,10}$/.test(s)).map(Number))].slice(0, 500);
    const action = v.action === 'assign' ? 'assign' : 'move';
    if (ids.length === 0) return sendPage(reply, await queuePage(req, { action, results: [], error: req.ctx.t('dstaff.bulk.none') }, v), 400);
    let results: TransitionResult[];
    if (action === 'assign') {
      const raw = (v.assignee ?? '').trim();
      const assignee = raw === '' ? null : /^\d{1,10}$/.test(raw) ? Number(raw) : null;
      results = await digital.assign(req.ctx.actor, ids, assignee);
    } else {
      const to = v.to ?? '';
      if (!isWorkflowState(to)) return sendPage(reply, await queuePage(req, { action, results: [], error: req.ctx.t('dstaff.bulk.noState') }, v), 400);
      results = await digital.transition(req.ctx.actor, ids, to, { reason: v.reason?.trim() || null });
    }
    return sendPage(reply, await queuePage(req, { action, results }, v));
  });
}

function BulkResults({ ctx, bulk, titles }: { ctx: PageCtx; bulk: BulkOutcome; titles: Map<number, string> }) {
  const { t } = ctx;
  if (bulk.error) return <ErrorBanner text={bulk.error} />;
  const ok = bulk.results.filter((r) => r.ok).length;
  const refused = bulk.results.length - ok;
  return (
    <section class={`card bulk-results ${refused ? 'has-refusals' : ''}`} aria-labelledby="bulk-results-heading" role="status">
      <h2 id="bulk-results-heading">{t(bulk.action === 'assign' ? 'dstaff.bulk.resultsAssign' : 'dstaff.bulk.resultsMove', { ok, refused })}</h2>
      <ul class="bulk-result-list">
        {bulk.results.map((r) => (
          <li class={r.ok ? 'result-ok' : 'result-refused'}>
            <span class={`badge ${r.ok ? 'badge-ok' : 'badge-refused'}`}>{t(r.ok ? 'dstaff.bulk.ok' : 'dstaff.bulk.refused')}</span>{' '}
            <a href={`${BASE}/${r.objectId}`}>{titles.get(r.objectId) ?? `#${r.objectId}`}</a>
            {r.ok ? null : <span class="result-reason">{digitalErrorText(t, r.code ?? 'INTERNAL', r.params ?? {})}</span>}
          </li>
        ))}
      </ul>
    </section>
  );
}

// ---------------------------------------------------------------- the object form

interface FormState {
  values: Values;
  collections: number[];
  error?: AppError;
  /** Field name → message. */
  fieldErrors: Record<string, string>;
}

function dcValues(o: StoredDigitalObject): Values {
  const v: Values = {};
  for (const el of DC_ELEMENTS) v[`dc_${el}`] = (o.dc[el] ?? []).join(PARAGRAPH_ELEMENTS.includes(el) ? '\n\n' : '\n');
  return v;
}

function valuesOf(o: StoredDigitalObject, standaloneRecord: boolean): Values {
  return {
    ...dcValues(o),
    unit: String(o.ownerUnitId),
    record: o.recordId !== null && !standaloneRecord ? String(o.recordId) : '',
    category: o.category,
    access: o.access,
    embargo: o.embargoUntil ?? '',
    licence: o.licence,
    downloadable: o.downloadable ? '1' : '',
    watermark: o.watermark ? '1' : '',
    ocr: o.ocrLanguages,
    forceOcr: o.forceOcr ? '1' : '',
    version: String(o.version),
  };
}

/** The form as the service's input; problems found here (not numbers) are reported per field. */
function inputFrom(t: PageCtx['t'], v: Values, collections: number[]): { input: ObjectInput; fieldErrors: Record<string, string> } {
  const fieldErrors: Record<string, string> = {};
  const unit = (v.unit ?? '').trim();
  if (!/^\d{1,10}$/.test(unit)) fieldErrors.unit = t('dstaff.form.chooseUnit');
  const record = (v.record ?? '').trim().replace(/^#/, '');
  if (record !== '' && !/^\d{1,10}$/.test(record)) fieldErrors.record = t('dstaff.form.recordNumber');
  const dc: Record<string, string[]> = {};
  for (const el of DC_ELEMENTS) {
    const raw = (v[`dc_${el}`] ?? '').replace(/\r\n?/g, '\n');
    dc[el] = (PARAGRAPH_ELEMENTS.includes(el) ? raw.split(/\n\s*\n/) : raw.split('\n')).map((s) => s.trim()).filter(Boolean);
  }
  return {
    fieldErrors,
    input: {
      ownerUnitId: Number(unit),
      recordId: record === '' ? null : Number(record),
      dc,
      category: v.category,
      access: v.access,
      embargoUntil: (v.embargo ?? '').trim() || null,
      licence: v.licence,
      downloadable: v.downloadable === '1',
      watermark: v.watermark === '1',
      ocrLanguages: v.ocr,
      forceOcr: v.forceOcr === '1',
      collectionIds: collections,
    },
  };
}

/** The field a refusal is about, so its message shows next to it. */
function fieldOfError(e: AppError): string | undefined {
  if (e.code === 'CATALOG_RECORD_NOT_FOUND') return 'record';
  if (e.code === 'DIGITAL_COLLECTION_NOT_FOUND') return 'collections';
  if (e.code === 'ORG_UNIT_NOT_FOUND') return 'unit';
  if (e.code === 'DIGITAL_INVALID' && typeof e.params.reason === 'string') {
    const f = e.params.reason.split('=')[0]!;
    return ({ title: 'dc_title', category: 'category', access: 'access', licence: 'licence', embargo: 'embargo', ocr: 'ocr' } as Record<string, string>)[f];
  }
  return undefined;
}

function objectRoutes(app: FastifyInstance, deps: DigitalDeps): ObjectPageRenderer {
  const { services } = deps;
  const { digital, org, catalog } = services;

  /** Collections an object of these libraries may be in: those of the libraries and the libraries above them. */
  const collectionsFor = async (units: readonly OrgUnit[]): Promise<DigitalCollection[]> => {
    const ids = new Set<number>();
    for (const u of units) for (const id of u.path.split('/').filter(Boolean).map(Number)) ids.add(id);
    return digital.collections({ unitIds: [...ids] });
  };

  const recordTitle = async (id: number | null): Promise<{ title: string; standalone: boolean } | undefined> => {
    if (id === null) return undefined;
    const [r] = await catalog.list({ ids: [id], limit: 1, includeDeleted: true });
    return r ? { title: r.title, standalone: r.source.startsWith('digital:') } : undefined;
  };

  const formPage = async (req: FastifyRequest, o: StoredDigitalObject | undefined, s: FormState) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const manageable = await manageableUnits(services, req);
    const owner = o ? (await org.list()).find((u) => u.id === o.ownerUnitId) : undefined;
    const unitChoices = owner && !manageable.some((u) => u.id === owner.id) ? [owner, ...manageable] : manageable;
    const collections = await collectionsFor(o && owner ? [owner] : manageable);
    const units = new Map((await org.list()).map((u) => [u.id, u]));
    const rec = o ? await recordTitle(o.recordId) : undefined;
    const typed = (s.values.record ?? '').trim();
    const typedRec = typed && /^\d{1,10}$/.test(typed) && Number(typed) !== o?.recordId ? await recordTitle(Number(typed)) : undefined;
    const v = s.values;
    const err = (name: string) => s.fieldErrors[name];
    const title = o ? t('dstaff.form.editTitle') : t('dstaff.form.newTitle');
    const action = o ? `${BASE}/${o.id}/edit` : `${BASE}/new`;
    const text = (name: string, label: string, opts: { help?: string; type?: string; required?: boolean; maxLength?: number; inputMode?: 'numeric' } = {}) => {
      const id = `f-${name}`;
      return (
        <FieldBox ctx={ctx} id={id} label={label} help={opts.help} error={err(name)} required={opts.required}>
          <input
            type={(opts.type ?? 'text') as 'text'}
            id={id}
            name={name}
            value={v[name] ?? ''}
            maxLength={opts.maxLength ?? 500}
            inputMode={opts.inputMode}
            aria-invalid={err(name) ? 'true' : undefined}
            aria-describedby={describedBy(id, !!opts.help, !!err(name))}
          />
        </FieldBox>
      );
    };
    const select = (name: string, label: string, options: Array<[string, string]>, help?: string) => {
      const id = `f-${name}`;
      return (
        <FieldBox ctx={ctx} id={id} label={label} help={help} error={err(name)}>
          <select id={id} name={name} aria-invalid={err(name) ? 'true' : undefined} aria-describedby={describedBy(id, !!help, !!err(name))}>
            {options.map(([value, l]) => (
              <option value={value} selected={value === v[name]}>
                {l}
              </option>
            ))}
          </select>
        </FieldBox>
      );
    };
    const check = (name: string, label: string, help: string) => (
      <label class="choice">
        <input type="checkbox" name={name} value="1" checked={v[name] === '1'} />
        <span>
          <strong>{label}</strong>
          <span class="help">{help}</span>
        </span>
      </label>
    );
    const dcField = (el: DcElement) => {
      const id = `f-dc_${el}`;
      const help = t(`dstaff.dc.${el}.help` as MessageKey);
      const e = err(`dc_${el}`);
      const paragraph = PARAGRAPH_ELEMENTS.includes(el);
      return (
        <FieldBox ctx={ctx} id={id} label={t(`dstaff.dc.${el}` as MessageKey)} help={help} error={e} class={`dc-field dc-${el}`}>
          <textarea id={id} name={`dc_${el}`} rows={paragraph ? 4 : el === 'title' ? 2 : 1} maxLength={20_000} aria-invalid={e ? 'true' : undefined} aria-describedby={describedBy(id, true, !!e)}>
            {v[`dc_${el}`] ?? ''}
          </textarea>
        </FieldBox>
      );
    };
    const byOwner = new Map<number, DigitalCollection[]>();
    for (const c of collections) byOwner.set(c.ownerUnitId, [...(byOwner.get(c.ownerUnitId) ?? []), c]);
    return (
      <Layout ctx={ctx} title={title} staff>
        <DigitalStyles />
        <DigitalNav ctx={ctx} />
        {o ? <Breadcrumbs ctx={ctx} items={[[`${BASE}/${o.id}`, o.title]]} /> : null}
        <h1>{title}</h1>
        {s.error ? <ErrorBanner text={appErrorText(t, s.error)} /> : null}
        <form method="post" action={action} class="digital-form">
          <Csrf ctx={ctx} />
          {o ? <input type="hidden" name="version" value={v.version ?? String(o.version)} /> : null}
          <fieldset class="group">
            <legend>{t('dstaff.form.where')}</legend>
            <div class="row-2">
              {select('unit', t('dstaff.f.owner'), [['', t('dstaff.form.chooseUnit')], ...unitOptions(ctx, unitChoices)])}
              <div>
                {text('record', t('dstaff.f.record'), { help: t('dstaff.f.recordHelp'), maxLength: 12, inputMode: 'numeric' })}
                {rec && !rec.standalone ? (
                  <p class="small record-title">
                    <a href={`/staff/catalogue/records/${o!.recordId}`}>{t('dstaff.f.linkedRecord', { record: o!.recordId!, title: rec.title })}</a>
                  </p>
                ) : null}
                {rec?.standalone ? <p class="small muted">{t('dstaff.f.standaloneRecord', { record: o!.recordId! })}</p> : null}
                {typedRec && !typedRec.standalone ? <p class="small record-title">{t('dstaff.f.typedRecord', { record: typed, title: typedRec.title })}</p> : null}
              </div>
            </div>
          </fieldset>
          <fieldset class="group dc-group">
            <legend>{t('dstaff.form.dc')}</legend>
            <p class="help">{t('dstaff.form.dcHelp')}</p>
            {dcField('title')}
            <div class="row-2">
              {dcField('creator')}
              {dcField('contributor')}
            </div>
            <div class="row-2">
              {dcField('date')}
              {dcField('language')}
            </div>
            {dcField('subject')}
            {dcField('description')}
            <details class="more-dc" open={DC_ELEMENTS.filter((el) => !['title', 'creator', 'contributor', 'date', 'language', 'subject', 'description'].includes(el)).some((el) => (v[`dc_${el}`] ?? '') !== '' || err(`dc_${el}`))}>
              <summary>{t('dstaff.form.moreDc')}</summary>
              <div class="row-2">
                {dcField('publisher')}
                {dcField('type')}
              </div>
              <div class="row-2">
                {dcField('format')}
                {dcField('identifier')}
              </div>
              <div class="row-2">
                {dcField('source')}
                {dcField('relation')}
              </div>
              <div class="row-2">
                {dcField('coverage')}
                {dcField('rights')}
              </div>
            </details>
          </fieldset>
          <fieldset class="group">
            <legend>{t('dstaff.form.plan')}</legend>
            <div class="row-2">
              {select(
                'category',
                t('dstaff.f.category'),
                PLAN_CATEGORIES.map((c) => [c, categoryLabel(t, c)]),
                t('dstaff.f.categoryHelp'),
              )}
              {select(
                'ocr',
                t('dstaff.f.ocr'),
                OCR_LANGUAGE_SETS.map((l) => [l, ocrLabel(t, l)]),
              )}
            </div>
            {check('forceOcr', t('dstaff.f.forceOcr'), t('dstaff.f.forceOcrHelp'))}
          </fieldset>
          <fieldset class="group">
            <legend>{t('dstaff.form.rights')}</legend>
            <fieldset class="field">
              <legend>{t('dstaff.f.access')}</legend>
              {ACCESS_LEVELS.map((a) => (
                <label class="choice">
                  <input type="radio" name="access" value={a} checked={a === (v.access ?? 'public')} />
                  <span>
                    <strong>{accessLabel(t, a)}</strong>
                    <span class="help">{t(`dstaff.access.${a}.help` as MessageKey)}</span>
                  </span>
                </label>
              ))}
              {err('access') ? <span class="field-error">{err('access')}</span> : null}
            </fieldset>
            <div class="row-2">
              {text('embargo', t('dstaff.f.embargo'), { type: 'date', help: t('dstaff.f.embargoHelp'), maxLength: 10 })}
              {select(
                'licence',
                t('dstaff.f.licence'),
                (Object.keys(LICENCES) as Licence[]).map((l) => [l, licenceLabel(t, l)]),
              )}
            </div>
            {check('downloadable', t('dstaff.f.downloadable'), t('dstaff.f.downloadableHelp'))}
            {check('watermark', t('dstaff.f.watermark'), t('dstaff.f.watermarkHelp'))}
          </fieldset>
          <fieldset class="group">
            <legend>{t('dstaff.f.collections')}</legend>
            {collections.length === 0 ? (
              <p class="muted small">
                {t('dstaff.form.noCollections')} <a href={`${BASE}/collections`}>{t('dstaff.collections.title')}</a>
              </p>
            ) : (
              [...byOwner.entries()].map(([unitId, list]) => {
                const u = units.get(unitId);
                return (
                  <div class="collection-group">
                    <p class="small muted">{u ? unitName(ctx, u) : `#${unitId}`}</p>
                    {list.map((c) => (
                      <label class="checkbox">
                        <input type="checkbox" name="collection" value={String(c.id)} checked={s.collections.includes(c.id)} />
                        {ctx.locale === 'en' ? c.nameEn : c.nameVi} <span class="muted small">({c.code})</span>
                      </label>
                    ))}
                  </div>
                );
              })
            )}
            {err('collections') ? <span class="field-error">{err('collections')}</span> : null}
          </fieldset>
          <p class="actions sticky-actions">
            <button type="submit">{o ? t('dstaff.form.save') : t('dstaff.form.create')}</button>
            <a href={o ? `${BASE}/${o.id}` : BASE}>{t('common.cancel')}</a>
          </p>
        </form>
      </Layout>
    );
  };

  const failed = (req: FastifyRequest, e: unknown, v: Values, collections: number[]): FormState => {
    const err = asFormError(e);
    const field = fieldOfError(err);
    return { values: v, collections, error: err, fieldErrors: field ? { [field]: appErrorText(req.ctx.t, err) } : {} };
  };

  app.get(`${ROUTE}/new`, async (req, reply) => {
    requireUser(req);
    const manageable = await manageableUnits(services, req);
    const home = req.ctx.user?.homeUnitId;
    const unit = manageable.find((u) => u.id === home) ?? (manageable.length === 1 ? manageable[0] : undefined);
    const values: Values = { unit: unit ? String(unit.id) : '', category: 'local', access: 'public', licence: 'in-copyright', ocr: 'vie', downloadable: '1' };
    return sendPage(reply, await formPage(req, undefined, { values, collections: [], fieldErrors: {} }));
  });

  app.post(`${ROUTE}/new`, async (req, reply) => {
    requireUser(req);
    const v = formValues(req);
    const collections = formList(req, 'collection').filter((s) => /^\d{1,10}$/.test(s)).map(Number);
    const { input, fieldErrors } = inputFrom(req.ctx.t, v, collections);
    if (Object.keys(fieldErrors).length) return sendPage(reply, await formPage(req, undefined, { values: v, collections, fieldErrors }), 400);
    try {
      const o = await digital.create(req.ctx.actor, input);
      return reply.redirect(`${BASE}/${o.id}?ok=dstaff.object.created`, 303);
    } catch (e) {
      const s = failed(req, e, v, collections);
      return sendPage(reply, await formPage(req, undefined, s), s.error!.status);
    }
  });

  app.get(`${ROUTE}/:id/edit`, async (req, reply) => {
    requireUser(req);
    const o = await loadManaged(services, req, param(req, 'id'));
    const rec = await recordTitle(o.recordId);
    const collections = (await digital.collectionsOf(o.id)).map((c) => c.id);
    return sendPage(reply, await formPage(req, o, { values: valuesOf(o, !!rec?.standalone), collections, fieldErrors: {} }));
  });

  app.post(`${ROUTE}/:id/edit`, async (req, reply) => {
    requireUser(req);
    const o = await loadManaged(services, req, param(req, 'id'));
    const v = formValues(req);
    const collections = formList(req, 'collection').filter((s) => /^\d{1,10}$/.test(s)).map(Number);
    const { input, fieldErrors } = inputFrom(req.ctx.t, v, collections);
    if (Object.keys(fieldErrors).length) return sendPage(reply, await formPage(req, o, { values: v, collections, fieldErrors }), 400);
    const version = v.version && /^\d{1,9}$/.test(v.version) ? Number(v.version) : -1;
    try {
      await digital.update(req.ctx.actor, o.id, { ...input, version });
      return reply.redirect(`${BASE}/${o.id}?ok=dstaff.object.saved`, 303);
    } catch (e) {
      const s = failed(req, e, v, collections);
      return sendPage(reply, await formPage(req, o, s), s.error!.status);
    }
  });

  // ---------------------------------------------------------------- the object's page

  const objectPage = async (req: FastifyRequest, o: StoredDigitalObject, problem: ObjectProblem = {}): Promise<VNode> => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const [units, files, pages, collections, manageable] = await Promise.all([org.list(), digital.files(o.id), digital.pages(o.id), digital.collectionsOf(o.id), manageableUnits(services, req)]);
    const owner = units.find((u) => u.id === o.ownerUnitId);
    const users = await assignable(services, req, manageable);
    const place = owner ? { id: owner.id, path: owner.path } : { id: o.ownerUnitId, path: '/' };
    const mayPublish = allows(req.ctx.actor.grants, 'digital.object.publish', place);
    const next = nextStates(o.state);
    const rec = await recordTitle(o.recordId);
    const q = req.query as { pg?: string };
    const pg = queryId(q.pg) ?? 1;
    const pageCount = Math.max(1, Math.ceil(pages.length / PAGES_PAGE));
    const shownPages = pages.slice((pg - 1) * PAGES_PAGE, pg * PAGES_PAGE);
    const limit = formatBytes(ctx.locale, digital.limits.maxBytes);
    const errAt = (at: ObjectProblem['at']) => (problem.error && problem.at === at ? appErrorText(t, problem.error) : undefined);
    const working = o.processing === 'queued' || o.processing === 'running';
    const dcShown = DC_ELEMENTS.filter((el) => (o.dc[el] ?? []).length > 0);
    const lic = LICENCES[o.licence];
    const uploadAction = `${BASE}/${o.id}/files?_csrf=${encodeURIComponent(ctx.csrf)}`;
    return (
      <Layout ctx={ctx} title={o.title} staff flash={problem.error && !problem.at ? { kind: 'error', text: appErrorText(t, problem.error) } : flashFromQuery(ctx, req.query)}>
        <DigitalStyles />
        <DigitalNav ctx={ctx} />
        <Breadcrumbs ctx={ctx} items={[]} />
        <h1 class="object-title">{o.title}</h1>
        <p class="dobj-meta object-meta">
          <StateBadge ctx={ctx} state={o.state} /> <span>{categoryLabel(t, o.category)}</span> <span>{owner ? unitName(ctx, owner) : `#${o.ownerUnitId}`}</span>
          <span class="muted">#{o.id}</span>
        </p>
        <p class="actions object-actions">
          <a class="button secondary" href={`${BASE}/${o.id}/edit`}>
            {t('dstaff.object.edit')}
          </a>
          <a class="button secondary" href={`/digital/${o.id}`}>
            {t('dstaff.object.reader')}
          </a>
          {allowsAnywhere(req.ctx.actor.grants, 'audit.view') ? (
            <a class="button secondary" href={`/staff/audit?targetType=digital_object&targetId=${o.id}`}>
              {t('dstaff.object.history')}
            </a>
          ) : null}
          <a class="button secondary danger-link" href={`${BASE}/${o.id}/delete`}>
            {t('dstaff.object.delete')}
          </a>
        </p>
        <div class="object-layout">
          <div class="object-side">
            <section class="card workflow" aria-labelledby="workflow-heading">
              <h2 id="workflow-heading">{t('dstaff.object.workflow')}</h2>
              <ErrorBanner text={errAt('workflow')} />
              <ol class="workflow-steps">
                {WORKFLOW_STATES.filter((s) => s !== 'rejected').map((s) => (
                  <li class={s === o.state ? 'current' : WORKFLOW_STATES.indexOf(s) < WORKFLOW_STATES.indexOf(o.state) && o.state !== 'rejected' ? 'passed' : undefined} aria-current={s === o.state ? 'step' : undefined}>
                    {stateLabel(t, s)}
                  </li>
                ))}
              </ol>
              {o.state === 'rejected' ? (
                <p class="flash flash-warning">
                  {t('dstaff.object.rejected')}: {o.stateReason ?? ''}
                </p>
              ) : null}
              <div class="move-buttons">
                {next
                  .filter((s) => s !== 'rejected')
                  .map((s) => {
                    const back = WORKFLOW_STATES.indexOf(s) < WORKFLOW_STATES.indexOf(o.state) && o.state !== 'rejected';
                    const needsPublish = s === 'published' || o.state === 'published';
                    const needsPages = (s === 'published' || s === 'qc') && o.pageCount === 0;
                    if (needsPublish && !mayPublish) return null;
                    return (
                      <form method="post" action={`${BASE}/${o.id}/state`} class="inline-form">
                        <Csrf ctx={ctx} />
                        <input type="hidden" name="to" value={s} />
                        <button type="submit" class={back ? 'secondary' : undefined} disabled={needsPages} aria-describedby={needsPages ? 'needs-pages' : undefined}>
                          {back ? `← ${stateLabel(t, s)}` : `${stateLabel(t, s)} →`}
                        </button>
                      </form>
                    );
                  })}
              </div>
              {o.pageCount === 0 && next.some((s) => s === 'qc' || s === 'published') ? (
                <p class="help" id="needs-pages">
                  {t('dstaff.object.needsPages')}
                </p>
              ) : null}
              {next.includes('rejected') && mayPublish ? (
                <details class="reject">
                  <summary>{t('dstaff.object.reject')}</summary>
                  <form method="post" action={`${BASE}/${o.id}/state`} class="stack">
                    <Csrf ctx={ctx} />
                    <input type="hidden" name="to" value="rejected" />
                    <div class="field">
                      <label for="f-reason">{t('dstaff.object.rejectReason')}</label>
                      <textarea id="f-reason" name="reason" rows={2} maxLength={500} required />
                    </div>
                    <div>
                      <button type="submit" class="danger">
                        {t('dstaff.object.rejectSubmit')}
                      </button>
                    </div>
                  </form>
                </details>
              ) : null}
            </section>
            <section class="card assign" aria-labelledby="assign-heading">
              <h2 id="assign-heading">{t('dstaff.object.assignee')}</h2>
              <ErrorBanner text={errAt('assign')} />
              <p>
                <strong>{personName(users, o.assigneeId, ctx)}</strong>
              </p>
              <form method="post" action={`${BASE}/${o.id}/assign`} class="assign-form">
                <Csrf ctx={ctx} />
                <label for="f-assignee" class="visually-hidden">
                  {t('dstaff.bulk.assignee')}
                </label>
                <select id="f-assignee" name="assignee">
                  <option value="">{t('dstaff.assignee.nobody')}</option>
                  {users.map((u) => (
                    <option value={String(u.id)} selected={u.id === o.assigneeId}>
                      {u.displayName} ({u.username})
                    </option>
                  ))}
                </select>
                <button type="submit" class="secondary">
                  {t('dstaff.bulk.assign')}
                </button>
              </form>
              {req.ctx.actor.userId !== null && o.assigneeId !== req.ctx.actor.userId ? (
                <form method="post" action={`${BASE}/${o.id}/assign`} class="inline-form">
                  <Csrf ctx={ctx} />
                  <input type="hidden" name="assignee" value={String(req.ctx.actor.userId)} />
                  <button type="submit" class="link">
                    {t('dstaff.object.takeIt')}
                  </button>
                </form>
              ) : null}
            </section>
            <section class="card processing" aria-labelledby="processing-heading" data-status-url={working ? `${BASE}/${o.id}/status.json` : undefined} data-status={o.processing}>
              <h2 id="processing-heading">{t('dstaff.object.processing')}</h2>
              <ErrorBanner text={errAt('processing')} />
              <p class="status-line">
                <ProcessingBadge ctx={ctx} o={o} /> <span>{t('dstaff.queue.pages', { pages: o.pageCount, text: o.textPages })}</span>
              </p>
              <ProcessingError ctx={ctx} o={o} />
              {working ? (
                <p class="small">
                  {t('dstaff.object.workingHelp')} <a href={`${BASE}/${o.id}`}>{t('dstaff.object.refresh')}</a>
                </p>
              ) : null}
              {files.length > 0 ? (
                <div class="actions">
                  <form method="post" action={`${BASE}/${o.id}/reprocess`} class="inline-form">
                    <Csrf ctx={ctx} />
                    <button type="submit" class="secondary">
                      {t('dstaff.object.reprocess')}
                    </button>
                  </form>
                  <form method="post" action={`${BASE}/${o.id}/reprocess`} class="inline-form">
                    <Csrf ctx={ctx} />
                    <input type="hidden" name="text" value="1" />
                    <button type="submit" class="secondary">
                      {t('dstaff.object.reOcr')}
                    </button>
                  </form>
                </div>
              ) : null}
            </section>
            <section class="card rights" aria-labelledby="rights-heading">
              <h2 id="rights-heading">{t('dstaff.object.rights')}</h2>
              <dl class="facts compact">
                <dt>{t('dstaff.f.access')}</dt>
                <dd>{accessLabel(t, o.access)}</dd>
                <dt>{t('dstaff.f.embargo')}</dt>
                <dd>{o.embargoUntil ? formatDate(ctx, o.embargoUntil) : t('dstaff.object.noEmbargo')}</dd>
                <dt>{t('dstaff.f.licence')}</dt>
                <dd>
                  <a href={lic.uri} rel="noopener noreferrer license">
                    {licenceLabel(t, o.licence)}
                  </a>
                </dd>
                <dt>{t('dstaff.f.downloadable')}</dt>
                <dd>{o.downloadable ? t('common.yes') : t('common.no')}</dd>
                <dt>{t('dstaff.f.watermark')}</dt>
                <dd>{o.watermark ? t('common.yes') : t('common.no')}</dd>
                <dt>{t('dstaff.f.ocr')}</dt>
                <dd>
                  {ocrLabel(t, o.ocrLanguages)}
                  {o.forceOcr ? ` · ${t('dstaff.f.forceOcr')}` : ''}
                </dd>
              </dl>
            </section>
          </div>
          <div class="object-main">
            <section class="card pages-card" aria-labelledby="pages-heading">
              <h2 id="pages-heading">{t('dstaff.object.pages', { count: pages.length })}</h2>
              {pages.length === 0 ? (
                <p class="muted">{files.length === 0 ? t('dstaff.object.noFiles') : t('dstaff.object.pagesComing')}</p>
              ) : (
                <ol class="dpages">
                  {shownPages.map((p) => (
                    <li>
                      <a href={`${BASE}/${o.id}/pages/${p.seq}`} class="dpage">
                        {p.pyramidSha256 ? (
                          <img src={iiifUrl(o.id, p.seq, 200, 260)} alt={t('dstaff.page.alt', { page: p.seq })} width={100} height={130} loading="lazy" decoding="async" />
                        ) : (
                          <span class="dthumb-blank">{t('dstaff.page.noImage')}</span>
                        )}
                        <span class="dpage-no">{t('dstaff.page.number', { page: p.seq })}</span>
                        <span class="dpage-text small">
                          {p.textSource ? `${t(`dstaff.textSource.${p.textSource}` as MessageKey)}${p.confidence !== null && p.textSource === 'ocr' ? ` ${Math.round(p.confidence)}%` : ''}` : t('dstaff.page.noText')}
                        </span>
                      </a>
                    </li>
                  ))}
                </ol>
              )}
              {pageCount > 1 ? (
                <nav class="actions" aria-label={t('dstaff.object.pagesNav')}>
                  {pg > 1 ? (
                    <a class="button secondary" href={`${BASE}/${o.id}?pg=${pg - 1}#pages-heading`}>
                      ← {t('dstaff.queue.previous')}
                    </a>
                  ) : null}
                  <span class="small muted">{t('dstaff.object.pagesOf', { page: pg, pages: pageCount })}</span>
                  {pg < pageCount ? (
                    <a class="button secondary" href={`${BASE}/${o.id}?pg=${pg + 1}#pages-heading`}>
                      {t('dstaff.queue.next')} →
                    </a>
                  ) : null}
                </nav>
              ) : null}
            </section>
            <section class="card upload-card digital-upload" aria-labelledby="upload-heading">
              <h2 id="upload-heading">{t('dstaff.upload.title')}</h2>
              <ErrorBanner text={errAt('upload')} />
              <form method="post" action={uploadAction} enctype="multipart/form-data" class="stack upload-form" data-resumable={`${BASE}/${o.id}/uploads`} data-max-bytes={String(digital.limits.maxBytes)} data-object={String(o.id)}>
                <Csrf ctx={ctx} />
                <div class="field">
                  <label for="f-files">{t('dstaff.upload.files')}</label>
                  <input type="file" id="f-files" name="file" multiple required accept="image/jpeg,image/png,image/tiff,image/webp,image/jp2,application/pdf,.jpg,.jpeg,.png,.tif,.tiff,.webp,.jp2,.pdf" aria-describedby="f-files-help" />
                  <span class="help" id="f-files-help">
                    {t('dstaff.upload.help', { limit })}
                  </span>
                </div>
                <div>
                  <button type="submit">{t('dstaff.upload.submit')}</button>
                </div>
                <ul class="upload-list" aria-live="polite" hidden />
              </form>
              <template id="upload-texts" data-uploading={t('dstaff.upload.js.uploading')} data-retrying={t('dstaff.upload.js.retrying')} data-paused={t('dstaff.upload.js.paused')} data-finishing={t('dstaff.upload.js.finishing')} data-done={t('dstaff.upload.js.done')} data-failed={t('dstaff.upload.js.failed')} data-resumed={t('dstaff.upload.js.resumed')} data-too-large={t('dstaff.upload.js.tooLarge', { limit })} data-cancel={t('common.cancel')} data-reload={t('dstaff.object.refresh')} data-all-done={t('dstaff.upload.js.allDone')} data-pending={t('dstaff.upload.js.pending')} />
            </section>
            <section class="card files" aria-labelledby="files-heading">
              <h2 id="files-heading">{t('dstaff.object.files', { count: files.length })}</h2>
              {files.length === 0 ? (
                <p class="muted">{t('dstaff.object.noFiles')}</p>
              ) : (
                <div class="table-wrap">
                  <table class="list stack files-table">
                    <thead>
                      <tr>
                        <th>#</th>
                        <th>{t('dstaff.file.name')}</th>
                        <th>{t('dstaff.file.type')}</th>
                        <th>{t('dstaff.file.size')}</th>
                        <th>{t('dstaff.file.pages')}</th>
                        <th>SHA-256</th>
                        <th>{t('dstaff.file.added')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {files.map((f) => (
                        <tr>
                          <td class="seq">{f.seq}</td>
                          <td data-label={t('dstaff.file.name')} class="file-name">
                            {f.name}
                          </td>
                          <td data-label={t('dstaff.file.type')}>{f.mediaType}</td>
                          <td data-label={t('dstaff.file.size')} class="nowrap">
                            {formatBytes(ctx.locale, f.size)}
                          </td>
                          <td data-label={t('dstaff.file.pages')}>{f.pages}</td>
                          <td data-label="SHA-256">
                            <code title={f.sha256}>{f.sha256.slice(0, 12)}…</code>
                          </td>
                          <td data-label={t('dstaff.file.added')} class="nowrap">
                            {formatTime(ctx, f.createdAt)}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
            <section class="card description" aria-labelledby="description-heading">
              <h2 id="description-heading">{t('dstaff.object.description')}</h2>
              {o.recordId !== null ? (
                <p class="small">
                  <a href={`/staff/catalogue/records/${o.recordId}`}>{rec?.standalone ? t('dstaff.f.standaloneRecord', { record: o.recordId }) : t('dstaff.f.linkedRecord', { record: o.recordId, title: rec?.title ?? '' })}</a>
                </p>
              ) : null}
              {dcShown.length === 0 ? (
                <p class="muted">{t('dstaff.object.noDc')}</p>
              ) : (
                <dl class="facts">
                  {dcShown.map((el) => (
                    <>
                      <dt>{t(`dstaff.dc.${el}` as MessageKey)}</dt>
                      <dd>{(o.dc[el] ?? []).join('\n')}</dd>
                    </>
                  ))}
                </dl>
              )}
              <h3>{t('dstaff.f.collections')}</h3>
              {collections.length === 0 ? (
                <p class="muted small">{t('common.none')}</p>
              ) : (
                <ul class="plain">
                  {collections.map((c) => (
                    <li>{ctx.locale === 'en' ? c.nameEn : c.nameVi}</li>
                  ))}
                </ul>
              )}
              <p class="small muted">{t('dstaff.object.createdAt', { at: formatTime(ctx, o.createdAt), source: o.source })}</p>
            </section>
          </div>
        </div>
        <script src={assetUrl('digital-upload.js')} defer />
      </Layout>
    );
  };

  app.get(`${ROUTE}/:id`, async (req, reply) => {
    requireUser(req);
    const o = await loadManaged(services, req, param(req, 'id'));
    return sendPage(reply, await objectPage(req, o));
  });

  app.get(`${ROUTE}/:id/status.json`, async (req, reply) => {
    requireUser(req);
    const o = await loadManaged(services, req, param(req, 'id'));
    return reply.header('cache-control', 'no-store').send({ id: o.id, processing: o.processing, pages: o.pageCount, textPages: o.textPages, version: o.version });
  });

  const afterWrite = async (req: FastifyRequest, reply: FastifyReply, id: number, at: ObjectProblem['at'], run: () => Promise<string>) => {
    try {
      const ok = await run();
      return reply.redirect(`${BASE}/${id}?ok=${ok}`, 303);
    } catch (e) {
      const err = asFormError(e);
      return sendPage(reply, await objectPage(req, await loadManaged(services, req, id), { error: err, at }), err.status);
    }
  };

  app.post(`${ROUTE}/:id/state`, async (req, reply) => {
    requireUser(req);
    const o = await loadManaged(services, req, param(req, 'id'));
    const v = formValues(req);
    const to = v.to ?? '';
    return afterWrite(req, reply, o.id, 'workflow', async () => {
      if (!isWorkflowState(to)) throw new AppError('DIGITAL_INVALID', { reason: `state=${to.slice(0, 20)}` });
      const [r] = await digital.transition(req.ctx.actor, [o.id], to, { reason: v.reason?.trim() || null });
      if (r && !r.ok) throw new AppError(r.code ?? 'CONFLICT', r.params ?? {});
      return 'dstaff.object.moved';
    });
  });

  app.post(`${ROUTE}/:id/assign`, async (req, reply) => {
    requireUser(req);
    const o = await loadManaged(services, req, param(req, 'id'));
    const raw = (formValues(req).assignee ?? '').trim();
    return afterWrite(req, reply, o.id, 'assign', async () => {
      const assignee = raw === '' ? null : idOf(raw);
      const [r] = await digital.assign(req.ctx.actor, [o.id], assignee);
      if (r && !r.ok) throw new AppError(r.code ?? 'CONFLICT', r.params ?? {});
      return 'dstaff.object.assigned';
    });
  });

  app.post(`${ROUTE}/:id/reprocess`, async (req, reply) => {
    requireUser(req);
    const o = await loadManaged(services, req, param(req, 'id'));
    const text = formValues(req).text === '1';
    return afterWrite(req, reply, o.id, 'processing', async () => {
      await digital.reprocess(req.ctx.actor, o.id, { text });
      return text ? 'dstaff.object.reOcrQueued' : 'dstaff.object.reprocessQueued';
    });
  });

  // ---------------------------------------------------------------- one page and its text

  app.get(`${ROUTE}/:id/pages/:seq`, async (req, reply) => {
    requireUser(req);
    const o = await loadManaged(services, req, param(req, 'id'));
    const seq = param(req, 'seq');
    const p = await digital.page(o.id, seq);
    const words = await digital.words(p.id);
    const ctx = pageCtx(req);
    const { t } = ctx;
    const title = t('dstaff.page.title', { page: seq });
    const lang = o.ocrLanguages === 'eng' ? 'en' : 'vi';
    return sendPage(
      reply,
      <Layout ctx={ctx} title={`${title} · ${o.title}`} staff>
        <DigitalStyles />
        <DigitalNav ctx={ctx} />
        <Breadcrumbs ctx={ctx} items={[[`${BASE}/${o.id}`, o.title]]} />
        <h1>{title}</h1>
        <nav class="actions page-nav" aria-label={t('dstaff.object.pagesNav')}>
          {seq > 1 ? (
            <a class="button secondary" href={`${BASE}/${o.id}/pages/${seq - 1}`} rel="prev">
              ← {t('dstaff.page.number', { page: seq - 1 })}
            </a>
          ) : null}
          <span class="small muted">{t('dstaff.object.pagesOf', { page: seq, pages: o.pageCount })}</span>
          {seq < o.pageCount ? (
            <a class="button secondary" href={`${BASE}/${o.id}/pages/${seq + 1}`} rel="next">
              {t('dstaff.page.number', { page: seq + 1 })} →
            </a>
          ) : null}
        </nav>
        <div class="page-view">
          <figure class="page-image card">
            {p.pyramidSha256 ? (
              <a href={iiifUrl(o.id, seq, 2400, 3200)}>
                <img src={iiifUrl(o.id, seq, 900, 1200)} alt={t('dstaff.page.alt', { page: seq })} width={p.width ?? undefined} height={p.height ?? undefined} />
              </a>
            ) : (
              <p class="muted">{t('dstaff.page.noImage')}</p>
            )}
            <figcaption class="small muted">{p.width && p.height ? t('dstaff.page.size', { width: p.width, height: p.height }) : ''}</figcaption>
          </figure>
          <section class="card page-text-card" aria-labelledby="text-heading">
            <h2 id="text-heading">{t('dstaff.page.text')}</h2>
            <dl class="facts compact">
              <dt>{t('dstaff.page.source')}</dt>
              <dd>{p.textSource ? t(`dstaff.textSource.${p.textSource}` as MessageKey) : t('dstaff.page.noText')}</dd>
              <dt>{t('dstaff.page.confidence')}</dt>
              <dd>{p.confidence !== null ? `${Math.round(p.confidence)}%` : t('common.none')}</dd>
              <dt>{t('dstaff.page.engine')}</dt>
              <dd>{p.engine ?? t('common.none')}</dd>
              <dt>{t('dstaff.page.words')}</dt>
              <dd data-field="words">{words.length}</dd>
              <dt>{t('dstaff.page.readAt')}</dt>
              <dd>{formatTime(ctx, p.textAt)}</dd>
            </dl>
            {p.text ? (
              <div class="page-text" lang={lang}>
                {p.text}
              </div>
            ) : (
              <p class="muted">{t('dstaff.page.noText')}</p>
            )}
          </section>
        </div>
      </Layout>,
    );
  });

  // ---------------------------------------------------------------- delete

  const deletePage = async (req: FastifyRequest, o: StoredDigitalObject, error?: AppError) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    return (
      <Layout ctx={ctx} title={t('dstaff.delete.title')} staff>
        <DigitalStyles />
        <DigitalNav ctx={ctx} />
        <Breadcrumbs ctx={ctx} items={[[`${BASE}/${o.id}`, o.title]]} />
        <h1>{t('dstaff.delete.title')}</h1>
        {error ? <ErrorBanner text={appErrorText(t, error)} /> : null}
        <div class="card">
          <p>
            <strong>{o.title}</strong>
          </p>
          <p>{t('dstaff.delete.help', { pages: o.pageCount })}</p>
          {o.state === 'published' ? <p class="flash flash-warning">{t('dstaff.delete.published')}</p> : null}
          <form method="post" action={`${BASE}/${o.id}/delete`} class="actions">
            <Csrf ctx={ctx} />
            <input type="hidden" name="version" value={String(o.version)} />
            <button type="submit" class="danger">
              {t('dstaff.delete.confirm')}
            </button>
            <a href={`${BASE}/${o.id}`}>{t('common.cancel')}</a>
          </form>
        </div>
      </Layout>
    );
  };

  app.get(`${ROUTE}/:id/delete`, async (req, reply) => {
    requireUser(req);
    return sendPage(reply, await deletePage(req, await loadManaged(services, req, param(req, 'id'))));
  });

  app.post(`${ROUTE}/:id/delete`, async (req, reply) => {
    requireUser(req);
    const o = await loadManaged(services, req, param(req, 'id'));
    const v = formValues(req);
    const version = v.version && /^\d{1,9}$/.test(v.version) ? Number(v.version) : -1;
    try {
      await digital.delete(req.ctx.actor, o.id, version);
    } catch (e) {
      const err = asFormError(e);
      return sendPage(reply, await deletePage(req, await loadManaged(services, req, o.id), err), err.status);
    }
    return reply.redirect(`${BASE}?ok=dstaff.object.deleted`, 303);
  });

  // The upload routes render the object page with their errors.
  return objectPage;
}

/** Renders an object's page, with an error shown where it belongs (the upload routes use it). */
export type ObjectPageRenderer = (req: FastifyRequest, o: StoredDigitalObject, problem?: ObjectProblem) => Promise<VNode>;

export interface ObjectProblem {
  error?: AppError;
  /** Which part of the page the error belongs to. */
  at?: 'workflow' | 'assign' | 'upload' | 'processing';
}
