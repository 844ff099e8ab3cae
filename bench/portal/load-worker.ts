/**
 * The portal benchmark's load generator, run as its own process (`node --import tsx`) so that it
 * shares no event loop with the benchmark or the servers. Reads a job (`LoadJob` in `load.ts`) as
 * JSON on its standard input, then runs autocannon for a fixed time over keep-alive connections
 * spread evenly over the servers. Paths are taken from the list in order, from `start`, by all
 * connections together, round and round; each request says it comes from one of `clients`
 * addresses (`X-Forwarded-For`), in turn. Prints one line of JSON (`LoadResult`) with every
 * response's latency reduced to exact percentiles.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { LoadJob, LoadResult } from './load.js';

interface AutocannonRequest {
  path?: string;
  headers?: Record<string, string>;
  [key: string]: unknown;
}

interface AutocannonResult {
  errors: number;
  timeouts: number;
}

interface AutocannonInstance extends PromiseLike<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}

type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  timeout: number;
  headers: Record<string, string>;
  requests: { setupRequest: (req: AutocannonRequest) => AutocannonRequest }[];
}) => AutocannonInstance;

/**
 * autocannon's default of 10 s would drop the slowest answers of an overloaded server from the
 * figures (as errors); a minute lets every answer count in the latencies.
 */
const TIMEOUT_SECONDS = 60;

// autocannon is CommonJS without type declarations.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** A private address per reader: 10.x.y.z. */
function address(n: number): string {
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

interface Counters {
  latencies: number[];
  bytes: number;
  statuses: Record<string, number>;
}

async function main(): Promise<LoadResult> {
  const job = JSON.parse(readFileSync(0, 'utf8')) as LoadJob;
  const c: Counters = { latencies: [], bytes: 0, statuses: {} };
  let next = job.start;
  // Entries before `start` were sent by an earlier run (the warm-up).
  const sent = new Set(job.paths.slice(0, Math.min(job.start, job.paths.length)));
  let repeats = 0;
  const share = (i: number) => Math.floor(job.connections / job.bases.length) + (i < job.connections % job.bases.length ? 1 : 0);
  const t0 = process.hrtime.bigint();
  const runs = job.bases.map((url, i) => {
    const instance = autocannon({
      url,
      connections: share(i),
      duration: job.seconds,
      timeout: TIMEOUT_SECONDS,
      headers: job.headers,
      requests: [
        {
          setupRequest: (req) => {
            const n = next++;
            const path = job.paths[n % job.paths.length]!;
            if (sent.has(path)) repeats++;
            else sent.add(path);
            return { ...req, path, headers: { ...req.headers, 'x-forwarded-for': address(n % job.clients) } };
          },
        },
      ],
    });
    instance.on('response', (_client, status, size, ms) => {
      c.latencies.push(ms);
      c.bytes += size;
      c.statuses[status] = (c.statuses[status] ?? 0) + 1;
    });
    return instance;
  });
  const results = await Promise.all(runs);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const sorted = Float64Array.from(c.latencies).sort();
  const non2xx = Object.entries(c.statuses).reduce((n, [s, k]) => n + (Number(s) >= 200 && Number(s) < 300 ? 0 : k), 0);
  // Requests built but not sent when the time ran out are counted too: a few per connection.
  const built = next - job.start;
  return {
    requests: sorted.length,
    seconds,
    perSecond: sorted.length / seconds,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted.length ? sorted[sorted.length - 1]! : 0,
    meanBytes: sorted.length ? c.bytes / sorted.length : 0,
    statuses: c.statuses,
    non2xx,
    errors: results.reduce((n, r) => n + r.errors, 0),
    timeouts: results.reduce((n, r) => n + r.timeouts, 0),
    next,
    repeatShare: built > 0 ? repeats / built : 0,
    wrapped: next > job.paths.length,
  };
}

main().then(
  (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
