/**
 * The one place where errors become responses. An `AppError` keeps its stable code and status;
 * Fastify's own errors (schema validation, body too large, rate limit) are mapped onto codes of
 * our catalogue; anything else is logged and shown as INTERNAL without details. API requests get
 * JSON `{ error: { code, message, details } }` (and `problems` or `candidates` for a refused
 * catalogue record); pages get an HTML page in the user's language.
 */
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, ERRORS, type ErrorCode, type FieldProblem } from '../../domain/errors.js';
import { hasMessage, translator, type Translate } from '../../i18n/i18n.js';
import type { RuleProblem } from '../../domain/catalog/marc21-rules.js';
import { DuplicateFound, RecordRejected, type DuplicateCandidate } from '../../app/catalog.service.js';
import { Layout, errorText, pageCtx, sendPage, ErrorList } from '../pages/render.js';

interface FastifyishError {
  code?: string;
  statusCode?: number;
  validation?: unknown;
  message?: string;
}

/** Maps any thrown value onto an AppError. */
export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = (err ?? {}) as FastifyishError;
  if (e.validation) return new AppError('VALIDATION', {}, [{ field: 'request', code: 'VALIDATION', params: { detail: String(e.message ?? '').slice(0, 300) } }]);
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new AppError('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('VALIDATION', {}, [{ field: 'body', code: 'VALIDATION' }]);
  }
  if (e.statusCode === 429) return new AppError('RATE_LIMITED');
  if (e instanceof SyntaxError || e.statusCode === 400) return new AppError('VALIDATION', {}, [{ field: 'body', code: 'VALIDATION' }]);
  if (e.statusCode === 404) return new AppError('NOT_FOUND');
  if (e.statusCode === 413) return new AppError('PAYLOAD_TOO_LARGE');
  return new AppError('INTERNAL');
}

export function wantsJson(req: FastifyRequest): boolean {
  if (req.url.startsWith('/api/') || req.url.startsWith('/iiif/') || req.url.startsWith('/healthz') || req.url.startsWith('/readyz')) return true;
  const accept = String(req.headers.accept ?? '');
  return accept.includes('application/json') && !accept.includes('text/html');
}

/** A field problem's message: its own rule's text when it names one (`catalog.item.price-invalid`). */
function detailText(t: Translate, d: FieldProblem): string {
  const rule = d.params?.rule;
  return typeof rule === 'string' && hasMessage(rule) ? t(rule, d.params) : errorText(t, d.code, d.params);
}

/**
 * What some errors carry beyond their code and field problems, for API clients to act on: the
 * MARC21 rule problems of a refused record, the records a new one seems to duplicate.
 */
function extraOf(e: AppError): { problems?: readonly RuleProblem[]; candidates?: readonly DuplicateCandidate[] } {
  if (e instanceof RecordRejected) return { problems: e.problems };
  if (e instanceof DuplicateFound) return { candidates: e.candidates };
  return {};
}

export function sendError(req: FastifyRequest, reply: FastifyReply, e: AppError): FastifyReply {
  const t = req.ctx?.t ?? translator('vi');
  const message = errorText(t, e.code, e.params);
  if (wantsJson(req)) {
    return reply.code(e.status).type('application/json; charset=utf-8').send({
      error: {
        code: e.code,
        message,
        ...(e.details?.length ? { details: e.details.map((d) => ({ ...d, message: detailText(t, d) })) } : {}),
        ...extraOf(e),
        requestId: req.id,
      },
    });
  }
  if (e.code === 'AUTH_REQUIRED' || e.code === 'AUTH_SESSION_EXPIRED') {
    const next = encodeURIComponent(req.url.slice(0, 500));
    return reply.redirect(`/staff/login?next=${next}${e.code === 'AUTH_SESSION_EXPIRED' || req.ctx?.sessionExpired ? '&expired=1' : ''}`, 303);
  }
  if (!req.ctx) {
    return reply.code(e.status).type('text/plain; charset=utf-8').send(message);
  }
  const ctx = pageCtx(req);
  const title = e.code === 'NOT_FOUND' ? ctx.t('common.notFoundTitle') : ctx.t('common.errorTitle');
  return sendPage(
    reply,
    <Layout ctx={ctx} title={title} staff={req.url.startsWith('/staff')}>
      <h1>{title}</h1>
      <p class="flash flash-error" role="alert">
        {e.code === 'NOT_FOUND' ? ctx.t('common.notFoundText') : message}
      </p>
      <ErrorList ctx={ctx} problems={e.details} />
      <p class="actions">
        <a class="button secondary" href="/">
          {ctx.t('common.goHome')}
        </a>
      </p>
      <p class="muted small">{`${e.code} · ${req.id}`}</p>
    </Layout>,
    e.status,
  );
}

export const errorPlugin = fp(async (app) => {
  app.setErrorHandler(async (err, req, reply) => {
    const e = toAppError(err);
    if (e.code === 'INTERNAL') req.log.error({ err }, 'request failed');
    else if (e.status >= 500) req.log.error({ code: e.code }, 'request failed');
    if ((e.code === 'PERMISSION_DENIED' || e.code === 'STAFF_GRANT_EXCEEDS_OWN') && req.ctx) {
      try {
        await app.recordDenial(req, e);
      } catch (auditErr) {
        req.log.error({ err: auditErr }, 'could not record a refusal in the audit log');
      }
      req.log.warn({ code: e.code, params: e.params, user: req.ctx.actor.label }, 'permission denied');
    }
    if (e.code === 'CSRF_INVALID' || e.code === 'AUTH_TOKEN_INVALID') req.log.warn({ code: e.code }, 'request refused');
    return sendError(req, reply, e);
  });
  app.setNotFoundHandler(async (req, reply) => sendError(req, reply, new AppError('NOT_FOUND')));
});

export function isErrorCode(s: string): s is ErrorCode {
  return s in ERRORS;
}
