/** Form building blocks for staff pages: labelled fields that show their own errors. */
import type { ComponentChildren } from 'preact';
import type { FastifyRequest } from 'fastify';
import { AppError, type FieldProblem } from '../../../domain/errors.js';
import { errorText, type PageCtx } from '../render.js';

export type Values = Record<string, string | undefined>;

/** The form body as plain strings (missing or non-string fields become undefined). */
export function formValues(req: FastifyRequest): Values {
  const body = req.body;
  const out: Values = {};
  if (typeof body !== 'object' || body === null) return out;
  for (const [k, v] of Object.entries(body as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v) && typeof v[0] === 'string') out[k] = v[0];
  }
  return out;
}

export function requireUser(req: FastifyRequest): void {
  if (!req.ctx.user) throw new AppError(req.ctx.sessionExpired ? 'AUTH_SESSION_EXPIRED' : 'AUTH_REQUIRED');
}

export function problemFor(problems: readonly FieldProblem[] | undefined, field: string): FieldProblem | undefined {
  return problems?.find((p) => p.field === field);
}

interface FieldProps {
  ctx: PageCtx;
  name: string;
  label: string;
  values?: Values;
  problems?: readonly FieldProblem[] | undefined;
  type?: string;
  required?: boolean;
  help?: string;
  autocomplete?: string;
  maxLength?: number;
  max?: string;
  multiline?: boolean;
  inputMode?: 'numeric' | 'decimal' | 'email' | 'tel' | 'url' | 'text';
  value?: string;
}

export function Field(p: FieldProps) {
  const id = `f-${p.name}`;
  const problem = problemFor(p.problems, p.name);
  const value = p.values?.[p.name] ?? p.value ?? '';
  const describedBy = [p.help ? `${id}-help` : null, problem ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    name: p.name,
    required: p.required,
    'aria-invalid': problem ? ('true' as const) : undefined,
    'aria-describedby': describedBy,
    maxLength: p.maxLength,
  };
  return (
    <div class="field">
      <label for={id}>
        {p.label}
        {p.required ? <span class="muted small"> ({p.ctx.t('common.required')})</span> : null}
      </label>
      {p.multiline ? (
        <textarea {...common} rows={4}>
          {value}
        </textarea>
      ) : (
        <input {...common} type={(p.type ?? 'text') as 'text'} value={value} autoComplete={p.autocomplete} max={p.max} inputMode={p.inputMode} />
      )}
      {p.help ? (
        <span class="help" id={`${id}-help`}>
          {p.help}
        </span>
      ) : null}
      {problem ? (
        <span class="field-error" id={`${id}-error`}>
          {errorText(p.ctx.t, problem.code, problem.params)}
        </span>
      ) : null}
    </div>
  );
}

export function SelectField(p: { ctx: PageCtx; name: string; label: string; options: Array<[string, string]>; values?: Values; value?: string; problems?: readonly FieldProblem[] | undefined; required?: boolean }) {
  const id = `f-${p.name}`;
  const problem = problemFor(p.problems, p.name);
  const current = p.values?.[p.name] ?? p.value;
  return (
    <div class="field">
      <label for={id}>{p.label}</label>
      <select id={id} name={p.name} required={p.required} aria-invalid={problem ? 'true' : undefined} aria-describedby={problem ? `${id}-error` : undefined}>
        {p.options.map(([v, label]) => (
          <option value={v} selected={v === current}>
            {label}
          </option>
        ))}
      </select>
      {problem ? (
        <span class="field-error" id={`${id}-error`}>
          {errorText(p.ctx.t, problem.code, problem.params)}
        </span>
      ) : null}
    </div>
  );
}

/** The error banner at the top of a form that failed, listing problems not tied to a shown field. */
export function FormError({ ctx, error, shownFields = [] }: { ctx: PageCtx; error: AppError | undefined; shownFields?: readonly string[] }) {
  if (!error) return null;
  const others = (error.details ?? []).filter((d) => !shownFields.includes(d.field));
  return (
    <div class="flash flash-error" role="alert">
      <p>{errorText(ctx.t, error.code, error.params)}</p>
      {others.length ? (
        <ul>
          {others.map((d) => (
            <li>{`${d.row !== undefined ? `#${d.row} ` : ''}${d.field}: ${errorText(ctx.t, d.code, d.params)}`}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

export function Section({ title, children, id }: { title: string; children: ComponentChildren; id: string }) {
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** Turns an AppError raised by a form's use case into a re-render; anything else propagates. */
export function asFormError(e: unknown): AppError {
  if (e instanceof AppError && e.code !== 'PERMISSION_DENIED' && e.code !== 'AUTH_REQUIRED' && e.code !== 'CSRF_INVALID') return e;
  throw e;
}

/**
 * The outcome tabs above a per-row report (an import's records, an ingest's rows): "all" and one
 * link per outcome, each with its count; the one shown is marked current.
 */
export function OutcomeFilter(p: { label: string; all: { href: string; text: string; count: number }; items: Array<{ value: string; href: string; text: string; count: number }>; current: string | undefined }) {
  return (
    <nav class="outcome-filter" aria-label={p.label}>
      <ul>
        <li>
          <a href={p.all.href} aria-current={p.current === undefined ? 'page' : undefined}>
            {p.all.text} ({p.all.count})
          </a>
        </li>
        {p.items.map((o) => (
          <li>
            <a href={o.href} aria-current={p.current === o.value ? 'page' : undefined}>
              {o.text} ({o.count})
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
