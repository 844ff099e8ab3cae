import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../main/container.js';

/**
 * `/oai`: the OAI-PMH 2.0 data provider (`OaiProviderService`). GET with the arguments in the
 * query string, or POST with them as `application/x-www-form-urlencoded` (§3.1.1). Arguments are
 * read in order with repeats kept, so a repeated argument is the protocol's `badArgument` rather
 * than silently one of the values. Answers are streamed as `text/xml`; protocol errors are OAI
 * errors in a 200 answer, as the protocol wants.
 */
export async function oaiRoutes(app: FastifyInstance, opts: { services: Services; baseUrl: string; sessionSecret: string }): Promise<void> {
  // The form body is read here as text (the app's form parser folds repeated names together).
  app.removeContentTypeParser('application/x-www-form-urlencoded');
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) => done(null, body));
  const secret = `oai-pmh:${opts.sessionSecret}`;

  const answer = async (req: FastifyRequest, reply: FastifyReply, raw: string) => {
    const params = [...new URLSearchParams(raw)];
    const chunks = await opts.services.oai.answer(params, { siteUrl: opts.baseUrl, secret });
    return reply
      .type('text/xml; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('access-control-allow-origin', '*')
      .send(Readable.from(chunks));
  };

  app.get('/oai', async (req, reply) => {
    const q = req.url.indexOf('?');
    return answer(req, reply, q < 0 ? '' : req.url.slice(q + 1));
  });
  app.post('/oai', { config: { readOnlyPost: true } }, async (req, reply) => {
    const type = String(req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      return reply.code(415).type('text/plain; charset=utf-8').send('OAI-PMH requests by POST are sent as application/x-www-form-urlencoded.\n');
    }
    return answer(req, reply, typeof req.body === 'string' ? req.body : '');
  });
}
