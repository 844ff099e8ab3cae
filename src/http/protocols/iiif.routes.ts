/**
 * IIIF over HTTP: Image API 3.0 (`/iiif/3/<image-id>/info.json` and
 * `/iiif/3/<image-id>/{region}/{size}/{rotation}/{quality}.{format}`), Presentation API 3.0
 * (`/iiif/3/<object-id>/manifest`, collections) and Content Search API 2.0
 * (`/iiif/3/<object-id>/search?q=`). Thin: the IiifService decides access and builds documents.
 *
 * Every IIIF answer carries CORS headers and `Cross-Origin-Resource-Policy: cross-origin`, so
 * viewers on other sites (Mirador at another library, an aggregator) can load open objects.
 * Restricted objects are still checked per request: a cross-site viewer carries no session
 * cookie, so it gets only what an anonymous reader would.
 */
import { createReadStream } from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../main/container.js';
import type { ViewerContext } from '../../app/digital/digital.service.js';
import { clientIp } from '../plugins/context.js';
import { presentationRoutes } from './iiif-presentation.routes.js';

export const IIIF_PREFIX = '/iiif/3';
const IMAGE_PROFILE = 'http://iiif.io/api/image/3/context.json';

/** Who is asking, for access decisions: staff by session or token; readers later; and the address. */
export function viewerOf(req: FastifyRequest): ViewerContext {
  // A reader counts as registered once a library approved the account (a card was issued).
  return { actor: req.ctx.via === 'anonymous' ? null : req.ctx.actor, reader: req.ctx.reader?.status === 'active', ip: clientIp(req) };
}

export function corsHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('access-control-allow-origin', '*')
    .header('access-control-allow-methods', 'GET, HEAD, OPTIONS')
    .header('access-control-allow-headers', 'Accept, Range, If-None-Match')
    .header('access-control-expose-headers', 'ETag, Link, Content-Length')
    .header('cross-origin-resource-policy', 'cross-origin');
}

/** JSON-LD when the client asks for it (the spec's SHOULD), plain JSON otherwise. */
export function sendJsonLd(req: FastifyRequest, reply: FastifyReply, doc: unknown, profile: string, cacheControl: string): FastifyReply {
  const ld = String(req.headers.accept ?? '').includes('application/ld+json');
  return reply
    .header('cache-control', cacheControl)
    .header('vary', 'Accept, Cookie, Authorization')
    .type(ld ? `application/ld+json;profile="${profile}"` : 'application/json; charset=utf-8')
    .send(doc);
}

export async function iiifRoutes(app: FastifyInstance, opts: { services: Services; baseUrl: string }): Promise<void> {
  const { iiif } = opts.services;
  const base = `${opts.baseUrl}${IIIF_PREFIX}`;

  app.addHook('onRequest', async (_req, reply) => {
    corsHeaders(reply);
  });
  app.options('/*', async (_req, reply) => reply.code(204).header('access-control-max-age', '86400').send());

  // The image's base URI redirects to its description (Image API 3.0, section 2.2).
  app.get<{ Params: { id: string } }>('/:id', async (req, reply) => {
    if (!/^\d{1,9}-\d{1,6}$/.test(req.params.id)) return reply.callNotFound();
    return reply.redirect(`${IIIF_PREFIX}/${req.params.id}/info.json`, 303);
  });

  app.get<{ Params: { id: string } }>('/:id/info.json', async (req, reply) => {
    const { info, cacheControl } = await iiif.info(viewerOf(req), req.params.id, base);
    reply.header('link', `<http://iiif.io/api/image/3/level2.json>;rel="profile"`);
    return sendJsonLd(req, reply, info, IMAGE_PROFILE, cacheControl);
  });

  app.get<{ Params: { id: string; region: string; size: string; rotation: string; qf: string } }>('/:id/:region/:size/:rotation/:qf', async (req, reply) => {
    const p = req.params;
    const answer = await iiif.image(viewerOf(req), p.id, `${p.region}/${p.size}/${p.rotation}/${p.qf}`);
    reply
      .header('etag', answer.etag)
      .header('cache-control', answer.cacheControl)
      .header('vary', 'Cookie, Authorization')
      .header('link', `<http://iiif.io/api/image/3/level2.json>;rel="profile"`)
      .type(answer.mediaType);
    if (req.headers['if-none-match'] === answer.etag) return reply.code(304).send();
    return reply.send(answer.file ? createReadStream(answer.file) : answer.body);
  });

  await app.register(presentationRoutes, { services: opts.services, base });
}
