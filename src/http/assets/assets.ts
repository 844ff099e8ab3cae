/**
 * Static assets (stylesheet, icons, small scripts), served by us — never from a CDN. Each file
 * is read once at start and served under a name carrying its content hash, so browsers may
 * cache it for a year and a new version is fetched the moment it changes.
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
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
function add(name: string, body: Buffer): void {
  const ext = extname(name);
  const type = TYPES[ext]!;
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 12);
  const hashed = `${name.slice(0, -ext.length)}.${hash}${ext}`;
  assets.set(hashed, { name, hashed, type, body, gzip: gzipSync(body, { level: 9 }), etag: `"${hash}"` });
}
for (const name of readdirSync(dir)) {
  const type = TYPES[extname(name)];
  // This module sits in the same folder (compiled to assets.js in dist/); it is not an asset.
  if (!type || name.startsWith('assets.')) continue;
  add(name, readFileSync(join(dir, name)));
}

/**
 * OpenSeadragon (the digital library's deep-zoom viewer), from its npm package: the script and
 * the images of the zoom buttons, served as `openseadragon-<image>.png` so the viewer's `prefixUrl`
 * (`/assets/openseadragon-`) points here and never at another site. The source-map comment is
 * left out (the map is not served).
 */
const OSD_BUTTONS = ['zoomin', 'zoomout', 'home', 'fullpage'];
const OSD_STATES = ['rest', 'grouphover', 'hover', 'pressed'];
{
  const osd = join(dirname(createRequire(import.meta.url).resolve('openseadragon/package.json')), 'build', 'openseadragon');
  const script = readFileSync(join(osd, 'openseadragon.min.js'), 'utf8').replace(/\n?\/\/# sourceMappingURL=\S*\s*$/, '\n');
  add('openseadragon.min.js', Buffer.from(script));
  for (const b of OSD_BUTTONS) for (const s of OSD_STATES) add(`openseadragon-${b}_${s}.png`, readFileSync(join(osd, 'images', `${b}_${s}.png`)));
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
