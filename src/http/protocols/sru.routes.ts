import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../main/container.js';

/**
 * `/sru`: the SRU server (`SruServerService`), versions 1.2 and 2.0, by GET or by POST
 * (`application/x-www-form-urlencoded`, SRU 2.0 §"HTTP POST"). Parameters are read in order with
 * repeats kept, so a repeated parameter is answered with its diagnostic. Diagnostics are in the
 * response, in Vietnamese or English as the request's language (`?lang=en` or Accept-Language).
 */
export async function sruRoutes(app: FastifyInstance, opts: { services: Services; baseUrl: string }): Promise<void> {
  app.removeContentTypeParser('application/x-www-form-urlencoded');
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));

  const answer = async (req: FastifyRequest, reply: FastifyReply, raw: string) => {
    const params = [...new URLSearchParams(raw)].filter(([k]) => k !== 'lang');
    const lang = req.ctx?.locale === 'en' ? 'en' : 'vi';
    const out = await opts.services.sru.answer(params, { siteUrl: opts.baseUrl, lang });
    return reply.type(out.contentType).header('cache-control', 'no-store').header('access-control-allow-origin', '*').send(Readable.from(out.chunks));
  };

  app.get('/sru', async (req, reply) => {
    const q = req.url.indexOf('?');
    return answer(req, reply, q < 0 ? '' : req.url.slice(q + 1));
  });
  app.post('/sru', { config: { readOnlyPost: true } }, async (req, reply) => answer(req, reply, typeof req.body === 'string' ? req.body : ''));
}
