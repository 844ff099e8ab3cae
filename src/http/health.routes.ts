import type { FastifyInstance } from 'fastify';
import type { Store } from '../app/ports.js';

/** Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the database answers too). */
export async function healthRoutes(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true } }, async (req, reply) => {
    try {
      await opts.store.ping();
      return { status: 'ready', database: opts.store.dialect };
    } catch (err) {
      req.log.error({ err }, 'database not reachable');
      return reply.code(503).send({ status: 'unavailable', database: opts.store.dialect });
    }
  });
}
