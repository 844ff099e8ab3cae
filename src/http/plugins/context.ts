/**
 * Per-request context: who is asking (session cookie or API token), in which language, and the
 * CSRF token for forms. Also the CSRF check on every state-changing request.
 *
 * CSRF uses the signed double-submit pattern: a random `lt_csrf` cookie, and forms carry
 * HMAC(secret, cookie value + session id — the staff session, else the reader's). A request that changes state must echo that token in
 * the `_csrf` field or the `x-csrf-token` header; requests authenticated by an API token (no
 * cookies involved) are exempt.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../domain/errors.js';
import type { Actor } from '../../app/actor.js';
import type { Clock, StaffUser, Store } from '../../app/ports.js';
import { isLocale, negotiateLocale, translator, type Locale, type Translate } from '../../i18n/i18n.js';
import type { Services } from '../../main/container.js';
import { recordDenial } from '../../app/guard.js';
import { audit } from '../../app/audit.js';

export const SESSION_COOKIE = 'lt_session';
/** The reader's session (the public account), apart from the staff one. */
export const READER_COOKIE = 'lt_reader';
export const CSRF_COOKIE = 'lt_csrf';
export const LANG_COOKIE = 'lt_lang';

/** A signed-in reader (the public account, not staff), as pages need it. */
export interface ReaderIdentity {
  id: number;
  name: string;
  /** The library the reader chose as theirs: its holdings come first on record pages. */
  homeUnitId: number;
  /** Issued when a library approves the registration; valid in every library of the network. */
  cardNumber: string | null;
  status: 'pending' | 'active' | 'suspended' | 'closed';
  locale: Locale | null;
  /** The reader's saved lists (id and name), for the save form on record pages. */
  lists: ReadonlyArray<{ id: number; name: string }>;
}

export interface RequestContext {
  actor: Actor;
  user: StaffUser | null;
  /** The signed-in reader, if any (a separate session from staff). */
  reader: ReaderIdentity | null;
  /** The signed-in reader as the actor of changes to their own account. */
  readerActor: Actor | null;
  /** True when a reader session cookie was sent but that session had ended. */
  readerSessionExpired: boolean;
  locale: Locale;
  t: Translate;
  /** True when a session cookie was sent but the session had ended. */
  sessionExpired: boolean;
  via: 'anonymous' | 'session' | 'token';
  /** The public address of the site (no trailing slash), for canonical and absolute links. */
  baseUrl: string;
  csrfToken(): string;
}

declare module 'fastify' {
  interface FastifyRequest {
    ctx: RequestContext;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function clientIp(req: FastifyRequest): string | null {
  return req.ip ?? null;
}

export interface ContextOptions {
  services: Services;
  store: Store;
  clock: Clock;
  sessionSecret: string;
  baseUrl: string;
}

export const contextPlugin = fp<ContextOptions>(async (app, opts) => {
  const secure = opts.baseUrl.startsWith('https:');
  const csrfFor = (seed: string, sessionId: string | null | undefined) =>
    createHmac('sha256', opts.sessionSecret).update(`${seed}|${sessionId ?? ''}`).digest('base64url');

  app.decorateRequest('ctx', null as unknown as RequestContext);

  app.addHook('onRequest', async (req, reply) => {
    const base = { ip: clientIp(req), requestId: req.id };
    let actor: Actor = { kind: 'staff', userId: null, label: 'anonymous', grants: [], ...base };
    let user: StaffUser | null = null;
    let sessionExpired = false;
    let via: RequestContext['via'] = 'anonymous';

    const auth = req.headers.authorization;
    if (typeof auth === 'string' && /^Bearer\s+/i.test(auth)) {
      actor = await opts.services.auth.actorForToken(auth.replace(/^Bearer\s+/i, '').trim(), base);
      via = 'token';
    } else {
      const token = req.cookies[SESSION_COOKIE];
      if (token) {
        try {
          ({ actor, user } = await opts.services.auth.actorForSession(token, base));
          via = 'session';
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
          req.log.info({ code: e.code }, 'session refused');
          sessionExpired = true;
          reply.clearCookie(SESSION_COOKIE, { path: '/' });
        }
      }
    }

    // A reader's session, separate from staff's: a librarian may be signed in as both.
    let reader: ReaderIdentity | null = null;
    let readerActor: Actor | null = null;
    let readerSessionExpired = false;
    const readerToken = via === 'token' ? undefined : req.cookies[READER_COOKIE];
    if (readerToken) {
      try {
        const found = await opts.services.readers.readerForSession(readerToken);
        readerActor = opts.services.readers.actorFor(found.reader, found.sessionId, base);
        const lists = await opts.services.readers.lists(readerActor);
        reader = {
          id: found.reader.id,
          name: found.reader.name,
          homeUnitId: found.reader.homeUnitId,
          cardNumber: found.reader.cardNumber,
          status: found.reader.status,
          locale: isLocale(found.reader.locale) ? found.reader.locale : null,
          lists: lists.map((l) => ({ id: l.id, name: l.name })),
        };
      } catch (e) {
        if (!(e instanceof AppError)) throw e;
        req.log.info({ code: e.code }, 'reader session refused');
        readerActor = null;
        readerSessionExpired = true;
        reply.clearCookie(READER_COOKIE, { path: '/' });
      }
    }

    const locale = negotiateLocale({ userLocale: user?.locale ?? reader?.locale, cookie: req.cookies[LANG_COOKIE], acceptLanguage: req.headers['accept-language'] });
    let seed = req.cookies[CSRF_COOKIE];
    // Forms are bound to the staff session, else to the reader's (else to none).
    const csrfSession = actor.sessionId ?? readerActor?.sessionId ?? null;
    const ctx: RequestContext = {
      actor,
      user,
      reader,
      readerActor,
      readerSessionExpired,
      locale,
      t: translator(locale),
      sessionExpired,
      via,
      baseUrl: opts.baseUrl.replace(/\/$/, ''),
      csrfToken: () => {
        if (!seed) {
          seed = randomBytes(24).toString('base64url');
          reply.setCookie(CSRF_COOKIE, seed, { path: '/', httpOnly: true, sameSite: 'lax', secure });
        }
        return csrfFor(seed, csrfSession);
      },
    };
    req.ctx = ctx;
  });

  // After the body is parsed, so form fields can carry the token.
  app.addHook('preHandler', async (req) => {
    if (!UNSAFE.has(req.method) || req.ctx.via === 'token') return;
    // Read-only protocol endpoints (OAI-PMH, SRU) take POST as another way to send a query; they
    // act on no session or cookie, so there is nothing for a forged request to borrow.
    if ((req.routeOptions.config as { readOnlyPost?: boolean } | undefined)?.readOnlyPost === true) return;
    const body = req.body as Record<string, unknown> | undefined;
    const sent = (typeof body === 'object' && body !== null && typeof body._csrf === 'string' ? body._csrf : undefined) ?? req.headers['x-csrf-token'];
    const seed = req.cookies[CSRF_COOKIE];
    const ok = typeof sent === 'string' && seed !== undefined && safeEqual(sent, csrfFor(seed, req.ctx.actor.sessionId ?? req.ctx.readerActor?.sessionId ?? null));
    if (!ok) {
      const e = new AppError('CSRF_INVALID');
      await opts.store.transaction((tx) =>
        audit(tx, req.ctx.actor, opts.clock.now(), { action: 'security.csrf', unitId: null, targetType: 'request', targetId: `${req.method} ${req.url.slice(0, 200)}`, after: { code: e.code } }),
      );
      throw e;
    }
  });

  app.decorate('recordDenial', (req: FastifyRequest, e: AppError) => recordDenial(opts.store, opts.clock, req.ctx.actor, e));

  app.decorateReply('setSession', function (this: FastifyReply, token: string) {
    this.setCookie(SESSION_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  });
  app.decorateReply('clearSession', function (this: FastifyReply) {
    this.clearCookie(SESSION_COOKIE, { path: '/' });
  });
  app.decorateReply('setReaderSession', function (this: FastifyReply, token: string) {
    this.setCookie(READER_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'lax', secure });
  });
  app.decorateReply('clearReaderSession', function (this: FastifyReply) {
    this.clearCookie(READER_COOKIE, { path: '/' });
  });
  app.decorateReply('setLangCookie', function (this: FastifyReply, locale: Locale) {
    this.setCookie(LANG_COOKIE, locale, { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: 365 * 86400 });
  });
});

declare module 'fastify' {
  interface FastifyReply {
    setSession(token: string): void;
    clearSession(): void;
    setReaderSession(token: string): void;
    clearReaderSession(): void;
    setLangCookie(locale: Locale): void;
  }
  interface FastifyInstance {
    recordDenial(req: FastifyRequest, e: AppError): Promise<void>;
  }
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
