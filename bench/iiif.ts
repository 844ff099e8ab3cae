/**
 * Benchmark `iiif`: IIIF Image API tiles from a page scan, our renderer and tile cache against
 * IIPImage, the reference tile server, on the same machine with the same requests.
 *
 * The data: a generated scan (`bench/iiif/scan.ts`: paper grain and lines of Vietnamese text,
 * JPEG quality 90) of 10,000 × 14,000 px at `full`, 2,000 × 2,800 at `small`. Our access copy is
 * made from it by `derivePyramid`; IIPImage gets a pyramidal TIFF written by sharp with the same
 * settings (256 px JPEG tiles, quality 85).
 *
 * The requests: every 256 px tile of every level (scale factors 1, 2, 4 … as `info.json` lists
 * them), in one seeded random order, sent round and round over 16 keep-alive connections by
 * autocannon in a child process, for a fixed time (20 s at `full`, 3 s at `small`) after a short
 * unmeasured warm-up. Both servers get the same regions in the same order: IIIF 3 paths
 * (`/iiif/3/scan/x,y,w,h/w,h/0/default.jpg`) for ours, IIIF 2.1 paths
 * (`/iipsrv?IIIF=scan.tif/x,y,w,h/w,/0/default.jpg`) for IIPImage.
 *
 * Contenders:
 *   - ours, rendering every request (`renderImage`, no cache): a stored tile asked for as it is
 *     is copied out of the TIFF; edge tiles are decoded and encoded;
 *   - ours, gray: the same tiles as `gray.jpg`, so every one is decoded, converted and encoded
 *     (what any request that is not a plain stored tile costs);
 *   - ours, cold cache: every request a cache miss: rendered, sent, and written to the TileCache;
 *   - ours, warm cache: the same requests again, answered from the TileCache files;
 *   - IIPImage 1.1 with its defaults (including its in-memory cache of encoded tiles), one
 *     `iipsrv.fcgi` process behind lighttpd, as in `../shared/TOOLS.md`;
 *   - IIPImage with that cache off (`MAX_IMAGE_CACHE_SIZE=0`).
 * Each runs `rounds` times, the contenders taking turns in a rotating order (cold then warm stay
 * together: warm needs what cold stored); figures are medians over the rounds.
 *
 * Checked: every response is 2xx, and for a sample of tiles ours and IIPImage's decode to the same
 * size and nearly the same pixels; anything else fails the run.
 *
 * Without IIPImage or lighttpd (Debian `iipimage-server`, `lighttpd`) the run says so and reports
 * ours only; with `LIENTHONG_REQUIRE_REFERENCE=1` it fails instead.
 *
 *     npm run bench -- iiif [--size small|full]
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { createImageTools } from '../src/adapters/image/sharp-tools.js';
import { DEFAULT_MEDIA_LIMITS } from '../src/app/digital/media.js';
import { BenchFailure, type BenchContext, type Size } from './lib/context.js';
import { formatCount, machine, writeResult } from './lib/measure.js';
import { runLoad, type LoadResult } from './iiif/load.js';
import { referenceMissing, startReference, type Reference } from './iiif/reference.js';
import { writeScan } from './iiif/scan.js';
import { startTileServer, type ServerMode, type TileServer } from './iiif/server.js';
import { iiif3Path, iipImagePath, tileList, type Tile } from './iiif/tiles.js';

interface Plan {
  width: number;
  height: number;
  seconds: number;
  warmup: number;
  rounds: number;
}

const PLANS: Record<Size, Plan> = {
  small: { width: 2000, height: 2800, seconds: 3, warmup: 1, rounds: 1 },
  full: { width: 10_000, height: 14_000, seconds: 20, warmup: 3, rounds: 3 },
};

const SEED = 20_251_125;
const CONNECTIONS = 16;
const ID = 'scan';
const REF_FILE = 'scan.tif';
const SAMPLE_TILES = 24;

interface Contender {
  key: string;
  label: string;
  /** Sets the server up, returns where to send which paths, and how to tear down. */
  setUp(): Promise<{ base: string; paths: string[]; tearDown?: () => Promise<void> }>;
  /** Ours only: the server mode, to read the hit counts back. */
  mode?: ServerMode;
}

interface Outcome {
  key: string;
  label: string;
  rounds: LoadResult[];
  hits: number;
  misses: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(line)].join('\n');
}

/** Ours and IIPImage's versions of sample tiles decode to the same size and nearly the same pixels. */
async function checkAnswers(ours: TileServer, ref: Reference | undefined, tiles: Tile[]): Promise<void> {
  const fetchTile = async (url: string): Promise<Buffer> => {
    const r = await fetch(url);
    if (!r.ok) throw new BenchFailure(`${url} answered ${r.status}: ${(await r.text()).slice(0, 200)}`);
    return Buffer.from(await r.arrayBuffer());
  };
  for (const t of tiles.slice(0, SAMPLE_TILES)) {
    const mine = await sharp(await fetchTile(`${ours.url}${iiif3Path(ID, t)}`)).raw().toBuffer({ resolveWithObject: true });
    if (mine.info.width !== t.sw || mine.info.height !== t.sh) throw new BenchFailure(`our tile ${iiif3Path(ID, t)} is ${mine.info.width} × ${mine.info.height}`);
    const gray = await sharp(await fetchTile(`${ours.url}${iiif3Path(ID, t, 'gray')}`)).metadata();
    if (gray.channels !== 1) throw new BenchFailure(`our gray tile ${iiif3Path(ID, t, 'gray')} has ${gray.channels} channels`);
    if (!ref) continue;
    const theirs = await sharp(await fetchTile(`${ref.url}${iipImagePath(REF_FILE, t)}`)).raw().toBuffer({ resolveWithObject: true });
    if (theirs.info.width !== t.sw || theirs.info.height !== t.sh) throw new BenchFailure(`IIPImage's tile ${iipImagePath(REF_FILE, t)} is ${theirs.info.width} × ${theirs.info.height}`);
    let diff = 0;
    for (let i = 0; i < mine.data.length; i++) diff += Math.abs(mine.data[i]! - theirs.data[i]!);
    const mean = diff / mine.data.length;
    if (mean > 6) throw new BenchFailure(`tile ${iiif3Path(ID, t)}: ours and IIPImage's differ by ${mean.toFixed(1)} per sample on average`);
  }
}

function contenders(server: TileServer, tiles: Tile[], refDir: string, withReference: boolean): Contender[][] {
  const oursPaths = tiles.map((t) => iiif3Path(ID, t));
  const grayPaths = tiles.map((t) => iiif3Path(ID, t, 'gray'));
  const iipPaths = tiles.map((t) => iipImagePath(REF_FILE, t));
  const ours = (key: string, label: string, mode: ServerMode, paths: string[]): Contender => ({
    key,
    label,
    mode,
    setUp: async () => {
      server.setMode(mode);
      return { base: server.url, paths };
    },
  });
  const iip = (key: string, label: string, cacheMb: number): Contender => ({
    key,
    label,
    setUp: async () => {
      const ref = await startReference({ dir: refDir, file: REF_FILE, cacheMb });
      return { base: ref.url, paths: iipPaths, tearDown: () => ref.close() };
    },
  });
  const units: Contender[][] = [
    [ours('render', 'ours, rendering every request', 'render', oursPaths)],
    [ours('gray', 'ours, gray.jpg (decode + encode every tile)', 'render', grayPaths)],
    [ours('cold', 'ours, TileCache cold (render + store every request)', 'cold', oursPaths), ours('warm', 'ours, TileCache warm', 'warm', oursPaths)],
  ];
  if (withReference) {
    units.push([iip('iip', 'IIPImage 1.1, defaults (its tile cache on)', 10)]);
    units.push([iip('iipNoCache', 'IIPImage 1.1, tile cache off', 0)]);
  }
  return units;
}

async function measure(ctx: BenchContext, plan: Plan, server: TileServer, units: Contender[][]): Promise<Outcome[]> {
  const outcomes = new Map<string, Outcome>();
  for (let r = 0; r < plan.rounds; r++) {
    for (let u = 0; u < units.length; u++) {
      for (const c of units[(u + r) % units.length]!) {
        const { base, paths, tearDown } = await c.setUp();
        try {
          await runLoad({ base, paths, connections: CONNECTIONS, seconds: plan.warmup });
          await server.settle();
          server.takeCounts();
          const result = await runLoad({ base, paths, connections: CONNECTIONS, seconds: plan.seconds });
          await server.settle();
          const counts = server.takeCounts();
          if (result.non2xx || result.errors) throw new BenchFailure(`${c.label}: ${result.non2xx} responses not 2xx and ${result.errors} connection errors`);
          const o = outcomes.get(c.key) ?? { key: c.key, label: c.label, rounds: [], hits: 0, misses: 0 };
          o.rounds.push(result);
          if (c.mode) {
            o.hits += counts.hits;
            o.misses += counts.misses;
          }
          outcomes.set(c.key, o);
          ctx.log(`  round ${r + 1}: ${c.label.padEnd(52)} ${formatCount(result.perSecond).padStart(6)} tiles/s, p99 ${result.p99.toFixed(1)} ms`);
        } finally {
          await tearDown?.();
        }
      }
    }
  }
  return [...outcomes.values()];
}

function report(ctx: BenchContext, outcomes: Outcome[], reference: boolean): Record<string, number | null> {
  const m = (o: Outcome, k: 'perSecond' | 'p50' | 'p95' | 'p99' | 'meanBytes') => median(o.rounds.map((r) => r[k]));
  const iip = outcomes.find((o) => o.key === 'iip');
  const ratios: Record<string, number | null> = {};
  const rows = outcomes.map((o) => {
    const ratio = iip ? m(o, 'perSecond') / m(iip, 'perSecond') : null;
    ratios[o.key] = ratio;
    return [
      o.label,
      formatCount(m(o, 'perSecond')),
      m(o, 'p50').toFixed(1),
      m(o, 'p95').toFixed(1),
      m(o, 'p99').toFixed(1),
      formatCount(m(o, 'meanBytes')),
      ratio === null ? '—' : `${ratio.toFixed(2)}×`,
    ];
  });
  ctx.log('');
  ctx.log(markdownTable(['256 px tiles, 16 connections', 'tiles/s', 'p50 ms', 'p95 ms', 'p99 ms', 'bytes/tile', reference ? 'ours ÷ IIPImage' : 'ratio'], rows));
  const warm = outcomes.find((o) => o.key === 'warm');
  if (warm) ctx.log(`\nTileCache warm: ${((100 * warm.hits) / Math.max(1, warm.hits + warm.misses)).toFixed(1)}% of requests answered from the cache.`);
  return ratios;
}

export async function run(ctx: BenchContext): Promise<void> {
  const plan = PLANS[ctx.size];
  const missing = referenceMissing();
  if (missing) {
    if (process.env.LIENTHONG_REQUIRE_REFERENCE === '1') throw new BenchFailure(`the reference is required (LIENTHONG_REQUIRE_REFERENCE=1) but ${missing} is not installed`);
    ctx.log(`Reference skipped: ${missing} is not installed; measuring ours only, no ratios.`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'lienthong-bench-iiif-'));
  const refDir = join(dir, 'ref');
  mkdirSync(refDir);
  let server: TileServer | undefined;
  try {
    const source = join(dir, 'scan.jpg');
    ctx.log(`Generating a ${formatCount(plan.width)} × ${formatCount(plan.height)} px scan …`);
    let t = Date.now();
    await writeScan(source, plan.width, plan.height, SEED);
    ctx.log(`  ${(statSync(source).size / 1e6).toFixed(1)} MB JPEG in ${((Date.now() - t) / 1000).toFixed(1)} s`);

    const pyramid = join(dir, 'ours.tif');
    const limits = { ...DEFAULT_MEDIA_LIMITS, maxPixels: Math.max(DEFAULT_MEDIA_LIMITS.maxPixels, plan.width * plan.height) };
    t = Date.now();
    await createImageTools().derivePyramid(source, 0, pyramid, limits);
    const deriveSeconds = (Date.now() - t) / 1000;
    ctx.log(`  derivePyramid: ${(statSync(pyramid).size / 1e6).toFixed(1)} MB in ${deriveSeconds.toFixed(1)} s`);
    await sharp(source, { limitInputPixels: false })
      .tiff({ tile: true, pyramid: true, compression: 'jpeg', quality: 85, tileWidth: 256, tileHeight: 256 })
      .toFile(join(refDir, REF_FILE));

    const image = { width: plan.width, height: plan.height };
    const iiifLimits = { maxWidth: plan.width, maxHeight: plan.height, maxArea: plan.width * plan.height };
    server = await startTileServer({ id: ID, pyramid, image, limits: iiifLimits, cacheDir: join(dir, 'cache'), cacheBytes: 2 * 1024 ** 3 });
    const tiles = tileList(plan.width, plan.height, SEED);
    ctx.log(`${formatCount(tiles.length)} distinct tiles; ${CONNECTIONS} connections, ${plan.seconds} s each after ${plan.warmup} s of warm-up, ${plan.rounds} round(s)`);

    const reference = missing ? undefined : await startReference({ dir: refDir, file: REF_FILE, cacheMb: 0 });
    try {
      await checkAnswers(server, reference, tiles);
    } finally {
      await reference?.close();
    }
    ctx.log(`Checked ${SAMPLE_TILES} tiles${missing ? '' : ' against IIPImage'}: same sizes${missing ? '' : ', same pixels within JPEG error'}.`);

    const outcomes = await measure(ctx, plan, server, contenders(server, tiles, refDir, !missing));
    const ratios = report(ctx, outcomes, !missing);
    const file = writeResult(ctx.outDir, 'iiif', {
      benchmark: 'iiif',
      size: ctx.size,
      machine: machine(),
      reference: missing ? null : 'IIPImage 1.1 (Debian iipimage-server) behind lighttpd, one iipsrv.fcgi process',
      data: { width: plan.width, height: plan.height, tiles: tiles.length, seed: SEED, sourceBytes: statSync(source).size, pyramidBytes: statSync(pyramid).size },
      deriveSeconds,
      connections: CONNECTIONS,
      seconds: plan.seconds,
      rounds: plan.rounds,
      outcomes,
      ratiosToIipImage: missing ? null : ratios,
    });
    ctx.log(`Results: ${file}`);
  } finally {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
