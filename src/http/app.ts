/**
 * Builds the Fastify application from its dependencies. Never listens: `main/server.ts` does,
 * and tests call `app.inject()` on a fresh app of their own.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import compress from '@fastify/compress';
import { oaiRoutes } from './protocols/oai.routes.js';
import { sruRoutes } from './protocols/sru.routes.js';
import type { Logger } from 'pino';
import type { Services } from '../main/container.js';
import type { Store, Clock } from '../app/ports.js';
import { securityPlugin } from './plugins/security.js';
import { contextPlugin } from './plugins/context.js';
import { errorPlugin } from './plugins/errors.js';
import { assetRoutes } from './assets/assets.js';
import { healthRoutes } from './health.routes.js';
import { publicPageRoutes } from './pages/public/public.routes.js';
import { staffPageRoutes } from './pages/staff/staff.routes.js';
import { apiRoutes } from './api/api.routes.js';
import { iiifRoutes, IIIF_PREFIX } from './protocols/iiif.routes.js';
import { digitalPageRoutes } from './pages/public/digital.pages.js';
import { browsePages } from './pages/public/browse.pages.js';
import { discoverRoutes } from './pages/public/discover.routes.js';
import { accountPages } from './pages/public/account.pages.js';
import { pwaRoutes } from './pwa.routes.js';

export interface AppDeps {
  services: Services;
  store: Store;
  clock: Clock;
  sessionSecret: string;
  baseUrl: string;
  trustProxy?: boolean;
  /** A pino logger; tests leave it out to keep quiet. */
  logger?: Logger;
  /** Login attempts per minute per address (rate limit); default 10. */
  loginRateLimit?: number;
  /** Where uploaded import files are kept until their job is done (`<dataDir>/imports`). */
  uploadDir?: string;
  /** URLs per sitemap file (default and most: the protocol's 50,000). */
  sitemapUrls?: number;
}

export type App = FastifyInstance;

/** Largest request body accepted (forms and JSON). Uploads get their own limits in their routes. */
export const BODY_LIMIT = 1024 * 1024;

export async function buildApp(deps: AppDeps): Promise<App> {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger | undefined,
    bodyLimit: BODY_LIMIT,
    trustProxy: deps.trustProxy ?? false,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    ajv: { customOptions: { removeAdditional: false } },
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });

  // Pages and JSON go out compressed: most readers are on phones over weak mobile connections.
  // Compressed in one call, not through a stream: a page is at most a few hundred KB, and a
  // stream's set-up and hand-offs to the thread pool cost more than the compression itself
  // (the plugin's default streams anything above 8 KB on a 2-core machine).
  await app.register(compress, { global: true, threshold: 1024, encodings: ['br', 'gzip'], syncThreshold: 512 * 1024 });
  await app.register(cookie, { secret: deps.sessionSecret, hook: 'onRequest' });
  await app.register(formbody, { bodyLimit: BODY_LIMIT });
  await app.register(rateLimit, { global: false });
  await app.register(securityPlugin, { https: deps.baseUrl.startsWith('https:') });
  await app.register(contextPlugin, deps);
  await app.register(errorPlugin, deps);

  await app.register(healthRoutes, deps);
  await app.register(assetRoutes);
  await app.register(apiRoutes, { ...deps, prefix: '/api/v1' });
  await app.register(iiifRoutes, { ...deps, prefix: IIIF_PREFIX });
  await app.register(oaiRoutes, deps);
  await app.register(sruRoutes, deps);
  await app.register(publicPageRoutes, deps);
  await app.register(digitalPageRoutes, deps);
  await app.register(browsePages, deps);
  await app.register(discoverRoutes, deps);
  await app.register(accountPages, deps);
  await app.register(pwaRoutes);
  await app.register(staffPageRoutes, { ...deps, prefix: '/staff' });
  return app;
}
