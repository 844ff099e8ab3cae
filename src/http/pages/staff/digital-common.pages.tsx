/**
 * What the digital library's staff pages share: labels of states, categories, access levels and
 * licences; badges; unit pickers in tree order; the digital section's own navigation; the IIIF
 * image addresses of thumbnails; and error texts that name states and problems in words.
 */
import type { ComponentChildren } from 'preact';
import type { FastifyRequest } from 'fastify';
import { AppError, type ErrorCode } from '../../../domain/errors.js';
import { LICENCES, type AccessLevel, type Licence, type PlanCategory, type WorkflowState } from '../../../domain/digital/object.js';
import type { OrgUnit } from '../../../domain/org/unit.js';
import type { ProcessingState, StoredDigitalObject } from '../../../app/ports.js';
import { PROCESSING_CANCELLED } from '../../../app/jobs.service.js';
import { allowsAnywhere } from '../../../domain/access/permissions.js';
import { compareVi } from '../../../text/fold.js';
import { hasMessage, type MessageKey, type Translate } from '../../../i18n/i18n.js';
import { assetUrl } from '../../assets/assets.js';
import { Breadcrumbs as SharedBreadcrumbs, errorText, unitName, type PageCtx } from '../render.js';

export const BASE = '/staff/digital';
/** The same, as routes see it inside the staff pages' `/staff` prefix. */
export const ROUTE = '/digital';

/** A number from the path or a form, or `NOT_FOUND`. */
export function idOf(raw: unknown): number {
  if (typeof raw !== 'string' || !/^\d{1,10}$/.test(raw) || Number(raw) > 2_147_483_647 || Number(raw) === 0) throw new AppError('NOT_FOUND');
  return Number(raw);
}

export function param(req: FastifyRequest, name: string): number {
  return idOf((req.params as Record<string, unknown>)[name]);
}

/** Every value of a form field sent several times (checkboxes), as strings. */
export function formList(req: FastifyRequest, name: string): string[] {
  const body = req.body as Record<string, unknown> | undefined;
  const v = body?.[name];
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return [];
}

/** A small positive integer from a query string, or undefined. */
export function queryId(v: unknown): number | undefined {
  return typeof v === 'string' && /^\d{1,10}$/.test(v) && Number(v) > 0 && Number(v) <= 2_147_483_647 ? Number(v) : undefined;
}

// ---------------------------------------------------------------- labels

export function stateLabel(t: Translate, s: string): string {
  const key = `dstaff.state.${s}`;
  return hasMessage(key) ? t(key) : s;
}

export function categoryLabel(t: Translate, c: string): string {
  const key = `dstaff.category.${c}`;
  return hasMessage(key) ? t(key) : c;
}

export function accessLabel(t: Translate, a: string): string {
  const key = `dstaff.access.${a}`;
  return hasMessage(key) ? t(key) : a;
}

export function licenceLabel(t: Translate, l: string): string {
  const key = `dstaff.licence.${l}`;
  return hasMessage(key) ? t(key) : (LICENCES[l as Licence]?.label ?? l);
}

export function ocrLabel(t: Translate, o: string): string {
  const key = `dstaff.ocr.${o}`;
  return hasMessage(key) ? t(key) : o;
}

export function jobKindLabel(t: Translate, kind: string): string {
  const key = `jobs.kind.${kind}`;
  return hasMessage(key) ? t(key) : kind;
}

export function jobStatusLabel(t: Translate, s: string): string {
  const key = `jobs.status.${s}`;
  return hasMessage(key) ? t(key) : s;
}

/**
 * An error in words, with what its parameters name translated too: the states of a refused
 * move and why it was refused, the field of an invalid description.
 */
export function digitalErrorText(t: Translate, code: string, params: Record<string, unknown> = {}): string {
  const p: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) p[k] = typeof v === 'number' ? v : String(v);
  if (code === 'DIGITAL_TRANSITION') {
    if (typeof p.from === 'string') p.from = stateLabel(t, p.from);
    if (typeof p.to === 'string') p.to = stateLabel(t, p.to);
    if (typeof p.reason === 'string') {
      const key = `dstaff.problem.${p.reason}`;
      if (hasMessage(key)) p.reason = t(key);
    }
  }
  if (code === 'DIGITAL_INVALID' && typeof p.reason === 'string') {
    const field = p.reason.split('=')[0]!;
    const key = `dstaff.invalid.${field}`;
    if (hasMessage(key)) p.reason = t(key, { value: p.reason.slice(field.length + 1) });
  }
  if (code === 'PERMISSION_DENIED' && typeof p.permission === 'string') {
    const key = `dstaff.permission.${p.permission}`;
    if (hasMessage(key)) return t(key);
  }
  if (code === 'CONFLICT' && typeof p.job === 'number') return t('jobs.error.notRetryable', { job: p.job, status: jobStatusLabel(t, String(p.status ?? '')) });
  // Media refusals name values that are not always known: leave the unknown ones out.
  return errorText(t, code, p).replace(/\{\w+\}/g, '');
}

/** A job's or a processing's stored error: `{code, params}` JSON in the reader's language, else the text as it is. */
export function storedErrorText(t: Translate, error: string | null): string | null {
  if (!error) return null;
  if (error === PROCESSING_CANCELLED) return t('dstaff.processing.cancelledNote');
  try {
    const e = JSON.parse(error) as { code?: unknown; params?: Record<string, unknown> };
    if (typeof e.code === 'string') return digitalErrorText(t, e.code, e.params ?? {});
  } catch {
    // not one of ours: shown as it is
  }
  return hasMessage(`error.${error}`) ? errorText(t, error) : error;
}

export function appErrorText(t: Translate, e: AppError): string {
  return digitalErrorText(t, e.code, e.params);
}

// ---------------------------------------------------------------- units

/** Units in tree order (children after their parent, siblings by name), each with its depth below the shallowest. */
export function treeOrder(ctx: PageCtx, units: readonly OrgUnit[]): Array<{ unit: OrgUnit; level: number }> {
  const ids = new Set(units.map((u) => u.id));
  const byParent = new Map<number | null, OrgUnit[]>();
  for (const u of units) {
    // A unit whose parent is not in the list hangs from the nearest listed ancestor, else from the top.
    const anc = u.path.split('/').filter(Boolean).map(Number).filter((id) => id !== u.id && ids.has(id));
    const parent = anc.length ? anc[anc.length - 1]! : null;
    let list = byParent.get(parent);
    if (!list) byParent.set(parent, (list = []));
    list.push(u);
  }
  const out: Array<{ unit: OrgUnit; level: number }> = [];
  const walk = (parent: number | null, level: number) => {
    for (const u of (byParent.get(parent) ?? []).sort((a, b) => compareVi(unitName(ctx, a), unitName(ctx, b)))) {
      out.push({ unit: u, level });
      walk(u.id, level + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** `[id, label]` options of a unit picker, in tree order, the depth shown by dashes. */
export function unitOptions(ctx: PageCtx, units: readonly OrgUnit[]): Array<[string, string]> {
  return treeOrder(ctx, units).map(({ unit, level }) => [String(unit.id), `${'— '.repeat(level)}${unitName(ctx, unit)} (${unit.code})`]);
}

/** The unit and every listed unit below it. */
export function subtreeIds(units: readonly OrgUnit[], top: OrgUnit): number[] {
  return units.filter((u) => u.path.startsWith(top.path)).map((u) => u.id);
}

// ---------------------------------------------------------------- images

/** A page image from the IIIF image server, fitted inside `w`×`h`. */
export function iiifUrl(objectId: number, seq: number, w: number, h: number): string {
  return `/iiif/3/${objectId}-${seq}/full/!${w},${h}/0/default.jpg`;
}

// ---------------------------------------------------------------- pieces

export function StateBadge({ ctx, state }: { ctx: PageCtx; state: WorkflowState }) {
  return <span class={`badge dstate dstate-${state}`}>{stateLabel(ctx.t, state)}</span>;
}

export function ProcessingBadge({ ctx, o }: { ctx: PageCtx; o: Pick<StoredDigitalObject, 'processing' | 'processingError'> }) {
  const state: ProcessingState = o.processing;
  if (state === 'none') return <span class="muted small">{ctx.t('dstaff.processing.none')}</span>;
  return <span class={`badge dproc dproc-${state}`}>{ctx.t(`dstaff.processing.${state}` as MessageKey)}</span>;
}

export function ProcessingError({ ctx, o }: { ctx: PageCtx; o: Pick<StoredDigitalObject, 'processing' | 'processingError'> }) {
  if (o.processing !== 'failed' || !o.processingError) return null;
  return <span class="processing-error">{storedErrorText(ctx.t, o.processingError)}</span>;
}

/** The digital library's stylesheet (a `<link>` in the body is allowed and keeps the shared layout untouched). */
export function DigitalStyles() {
  return <link rel="stylesheet" href={assetUrl('digital.css')} />;
}

const SECTIONS: Array<{ href: string; key: MessageKey; show: (ctx: PageCtx) => boolean }> = [
  { href: BASE, key: 'dstaff.nav.queue', show: (ctx) => allowsAnywhere(ctx.actor.grants, 'digital.object.manage') },
  { href: `${BASE}/new`, key: 'dstaff.nav.new', show: (ctx) => allowsAnywhere(ctx.actor.grants, 'digital.object.manage') },
  { href: `${BASE}/ingest`, key: 'dstaff.nav.ingest', show: (ctx) => allowsAnywhere(ctx.actor.grants, 'digital.object.manage') },
  { href: `${BASE}/collections`, key: 'dstaff.nav.collections', show: () => true },
  { href: `${BASE}/progress`, key: 'dstaff.nav.progress', show: () => true },
  { href: '/staff/jobs', key: 'dstaff.nav.jobs', show: (ctx) => allowsAnywhere(ctx.actor.grants, 'jobs.manage') },
];

/** The digital section's own tabs, under the staff navigation. */
export function DigitalNav({ ctx }: { ctx: PageCtx }) {
  const items = SECTIONS.filter((s) => s.show(ctx));
  const current = (href: string) => {
    if (href === BASE) return ctx.path === BASE || ctx.path === `${BASE}/bulk` || /^\/staff\/digital\/\d+/.test(ctx.path);
    return ctx.path === href || ctx.path.startsWith(`${href}/`);
  };
  return (
    <nav class="digital-nav" aria-label={ctx.t('dstaff.nav.label')}>
      <ul>
        {items.map((i) => (
          <li>
            <a href={i.href} aria-current={current(i.href) ? 'page' : undefined}>
              {ctx.t(i.key)}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}

export function Breadcrumbs({ ctx, items }: { ctx: PageCtx; items: Array<[string, string]> }) {
  return <SharedBreadcrumbs label={ctx.t('dstaff.breadcrumbs')} items={[[BASE, ctx.t('dstaff.title')], ...items]} />;
}

/** A labelled field whose error text is already in words (forms.tsx's `Field` takes error codes). */
export function FieldBox(p: { id: string; label: string; help?: string; error?: string; required?: boolean; ctx: PageCtx; children: ComponentChildren; class?: string }) {
  return (
    <div class={p.class ? `field ${p.class}` : 'field'}>
      <label for={p.id}>
        {p.label}
        {p.required ? <span class="muted small"> ({p.ctx.t('common.required')})</span> : null}
      </label>
      {p.children}
      {p.help ? (
        <span class="help" id={`${p.id}-help`}>
          {p.help}
        </span>
      ) : null}
      {p.error ? (
        <span class="field-error" id={`${p.id}-error`}>
          {p.error}
        </span>
      ) : null}
    </div>
  );
}

/** `aria-describedby` for a field with optional help and error. */
export function describedBy(id: string, help: boolean, error: boolean): string | undefined {
  return [help ? `${id}-help` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
}

/** A flash-like banner with a message already in words. */
export function ErrorBanner({ text }: { text: string | undefined }) {
  if (!text) return null;
  return (
    <div class="flash flash-error" role="alert">
      <p>{text}</p>
    </div>
  );
}

export type { AccessLevel, PlanCategory, WorkflowState, ErrorCode };
