/**
 * IIIF Presentation 3.0 and Content Search 2.0 routes: manifests, collections, search inside an
 * object, and each page's text (plain and ALTO). Access is decided by the IiifService.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../../main/container.js';
import { sendJsonLd, viewerOf } from './iiif.routes.js';

const PRESENTATION_PROFILE = 'http://iiif.io/api/presentation/3/context.json';
const SEARCH_PROFILE = 'http://iiif.io/api/search/2/context.json';

export async function presentationRoutes(app: FastifyInstance, opts: { services: Services; base: string }): Promise<void> {
  const { iiif } = opts.services;
  const base = { iiif: opts.base, site: opts.base.replace(/\/iiif\/3$/, '') };

  app.get<{ Params: { id: string } }>('/:id/manifest', async (req, reply) => {
    const { doc, cacheControl } = await iiif.manifest(viewerOf(req), req.params.id, base);
    return sendJsonLd(req, reply, doc, PRESENTATION_PROFILE, cacheControl);
  });

  app.get<{ Params: { id: string }; Querystring: { q?: string; page?: string } }>('/:id/search', async (req, reply) => {
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    const page = /^\d{1,6}$/.test(req.query.page ?? '') ? Number(req.query.page) : 1;
    const doc = await iiif.search(viewerOf(req), req.params.id, q, page, base);
    return sendJsonLd(req, reply, doc, SEARCH_PROFILE, 'private, max-age=300');
  });

  app.get<{ Params: { id: string; seq: string; format: string } }>('/:id/page/:seq/:format', async (req, reply) => {
    const { format, seq } = req.params;
    if ((format !== 'text' && format !== 'alto') || !/^\d{1,6}$/.test(seq)) return reply.callNotFound();
    const out = await iiif.pageText(viewerOf(req), req.params.id, Number(seq), format);
    return reply.header('cache-control', out.cacheControl).header('vary', 'Cookie, Authorization').type(out.mediaType).send(out.body);
  });

  app.get('/collection/top', async (req, reply) => sendJsonLd(req, reply, await iiif.collection('top', '', base), PRESENTATION_PROFILE, 'public, max-age=300'));
  app.get<{ Params: { code: string } }>('/collection/library/:code', async (req, reply) =>
    sendJsonLd(req, reply, await iiif.collection('library', req.params.code, base), PRESENTATION_PROFILE, 'public, max-age=300'),
  );
  app.get<{ Params: { code: string } }>('/collection/:code', async (req, reply) =>
    sendJsonLd(req, reply, await iiif.collection('collection', req.params.code, base), PRESENTATION_PROFILE, 'public, max-age=300'),
  );
}
