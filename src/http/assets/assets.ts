/**
 * Static assets (stylesheet, icons, small scripts), served by us — never from a CDN. Each file
 * is read once at start and served under a name carrying its content hash, so browsers may
 * cache it for a year and a new version is fetched the moment it changes.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';

const TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.webmanifest': 'application/manifest+json',
};

interface Asset {
  name: string;
  hashed: string;
  type: string;
  body: Buffer;
  gzip: Buffer;
  etag: string;
}

const dir = fileURLToPath(new URL('.', import.meta.url));
const assets = new Map<string, Asset>();
for (const name of readdirSync(dir)) {
  const ext = extname(name);
  const type = TYPES[ext];
  // This module sits in the same folder (compiled to assets.js in dist/); it is not an asset.
  if (!type || name.startsWith('assets.')) continue;
  const body = readFileSync(join(dir, name));
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const hashed = `${name.slice(0, -ext.length)}.${hash}${ext}`;
  assets.set(hashed, { name, hashed, type, body, gzip: gzipSync(body, { level: 9 }), etag: `"${hash}"` });
}
const byName = new Map([...assets.values()].map((a) => [a.name, a]));

/** The URL of an asset by its plain file name: `assetUrl('app.css')` → `/assets/app.3f2a….css`. */
export function assetUrl(name: string): string {
  const a = byName.get(name);
  if (!a) throw new Error(`unknown asset ${name}`);
  return `/assets/${a.hashed}`;
}

export async function assetRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: { file: string } }>('/assets/:file', { schema: { hide: true } }, async (req, reply) => {
    const a = assets.get(req.params.file) ?? byName.get(req.params.file);
    if (!a) return reply.callNotFound();
    const immutable = a.hashed === req.params.file;
    reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'public, max-age=300').header('etag', a.etag).type(a.type);
    if (req.headers['if-none-match'] === a.etag) return reply.code(304).send();
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) return reply.header('content-encoding', 'gzip').header('vary', 'accept-encoding').send(a.gzip);
    return reply.send(a.body);
  });
}
