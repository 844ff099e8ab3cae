/**
 * Public pages: the search and record pages, the network portal and /libraries
 * (`portal.pages.tsx`), every library's website (`library.pages.tsx`), and the language switch.
 * Server-rendered, work without JavaScript, phone first.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../../main/container.js';
import { AppError } from '../../../domain/errors.js';
import type { OrgUnit } from '../../../domain/org/unit.js';
import { isLocale } from '../../../i18n/i18n.js';
import { searchPages } from './search.pages.js';
import { portalPages } from './portal.pages.js';
import { libraryPages } from './library.pages.js';

export async function publicPageRoutes(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { staff } = opts.services;
  await app.register(searchPages, opts);
  // The portal and /libraries; every library's website (sites, news, their images).
  await app.register(portalPages, opts);
  await app.register(libraryPages, opts);

  // The language switch: a small form in the header, so it needs no JavaScript.
  app.post('/lang', { schema: { hide: true } }, async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const lang = body.lang;
    if (!isLocale(lang)) throw new AppError('VALIDATION', {}, [{ field: 'lang', code: 'VALIDATION' }]);
    reply.setLangCookie(lang);
    if (req.ctx.user) await staff.setLocale(req.ctx.actor, lang);
    // A signed-in reader's choice is kept on the account, which outranks the cookie.
    if (req.ctx.readerActor) await opts.services.readers.setLocale(req.ctx.readerActor, lang);
    return reply.redirect(safeNext(body.next), 303);
  });
}

/** Only local paths are followed after a form, never another site. */
export function safeNext(next: unknown, fallback = '/'): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\') || next.length > 500) return fallback;
  return next;
}

export type { OrgUnit };
