/**
 * The tile server the IIIF benchmark measures: a bare Fastify route doing what the app's route
 * does for a tile (parse the request, look in the cache, render on a miss, store) and nothing
 * else: no sessions, rights or logging, so the figures are those of the image path.
 *
 * Modes, switched between runs:
 *   - `render`: every request rendered (no cache at all);
 *   - `cold`: every request is a cache miss: rendered, sent, then stored, as a first visit costs;
 *   - `warm`: looked up in the cache first, rendered and stored only on a miss.
 */
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';
import { parseImageRequest, type ImageDimensions, type ImageLimits } from '../../src/codecs/iiif/image-request.js';
import { renderImage, renderKey, TileCache } from '../../src/adapters/image/iiif-renderer.js';

export type ServerMode = 'render' | 'cold' | 'warm';

export interface TileServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  setMode(mode: ServerMode): void;
  /** Counts since the last call. */
  takeCounts(): { hits: number; misses: number; errors: number };
  /** Waits for cache writes still under way. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface TileServerOptions {
  id: string;
  pyramid: string;
  image: ImageDimensions;
  limits: ImageLimits;
  cacheDir: string;
  cacheBytes: number;
}

export async function startTileServer(o: TileServerOptions): Promise<TileServer> {
  const cache = new TileCache({ dir: o.cacheDir, maxBytes: o.cacheBytes });
  let mode: ServerMode = 'render';
  let counts = { hits: 0, misses: 0, errors: 0 };
  const pending = new Set<Promise<void>>();
  const app = Fastify({ logger: false });

  app.get<{ Params: { id: string; region: string; size: string; rotation: string; file: string } }>('/iiif/3/:id/:region/:size/:rotation/:file', async (req, reply) => {
    const p = req.params;
    if (p.id !== o.id) return reply.code(404).send('unknown image');
    const parsed = parseImageRequest(`${p.region}/${p.size}/${p.rotation}/${p.file}`, o.image, o.limits);
    if (!parsed.ok) {
      counts.errors++;
      return reply.code(parsed.error.status).send(parsed.error.message);
    }
    const key = renderKey('bench', parsed.request);
    if (mode === 'warm') {
      const path = await cache.get(key);
      const body = path === undefined ? undefined : await readFile(path).catch(() => undefined);
      if (body) {
        counts.hits++;
        return reply.type('image/jpeg').send(body);
      }
    }
    counts.misses++;
    const out = await renderImage(o.pyramid, parsed.request);
    if (mode !== 'render') {
      const write = cache.put(key, out.body).finally(() => pending.delete(write));
      pending.add(write);
    }
    return reply.type(out.mediaType).send(out.body);
  });

  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    setMode: (m) => {
      mode = m;
    },
    takeCounts: () => {
      const c = counts;
      counts = { hits: 0, misses: 0, errors: 0 };
      return c;
    },
    settle: async () => {
      await Promise.all([...pending]);
    },
    close: () => app.close(),
  };
}
