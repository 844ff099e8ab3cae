/**
 * The load generator of the IIIF benchmark, run as its own process (`node --import tsx`) so the
 * server under test does not share an event loop with it. Reads a job file (see `LoadJob`),
 * sends the paths in order, round and round, over keep-alive connections for the given time with
 * autocannon, and prints one line of JSON (`LoadResult`) with every response's latency reduced
 * to percentiles.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { LoadJob, LoadResult } from './load.js';

interface AutocannonRequest {
  method?: string;
  path?: string;
  [key: string]: unknown;
}

interface AutocannonInstance extends PromiseLike<{ errors: number; timeouts: number; non2xx: number }> {
  on(event: 'response', listener: (client: unknown, status: number, bytes: number, ms: number) => void): void;
}

type Autocannon = (opts: {
  url: string;
  connections: number;
  duration: number;
  requests: { setupRequest: (req: AutocannonRequest) => AutocannonRequest }[];
}) => AutocannonInstance;

// autocannon is CommonJS without type declarations.
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

async function main(jobFile: string): Promise<LoadResult> {
  const job = JSON.parse(readFileSync(jobFile, 'utf8')) as LoadJob;
  let next = 0;
  const latencies: number[] = [];
  let bytes = 0;
  let non2xx = 0;
  const t0 = process.hrtime.bigint();
  const instance = autocannon({
    url: job.base,
    connections: job.connections,
    duration: job.seconds,
    // One counter for all connections: together they walk the list in its order.
    requests: [{ setupRequest: (req) => ({ ...req, path: job.paths[next++ % job.paths.length] }) }],
  });
  instance.on('response', (_client, status, size, ms) => {
    latencies.push(ms);
    bytes += size;
    if (status < 200 || status > 299) non2xx++;
  });
  const summary = await instance;
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: latencies.length,
    seconds,
    perSecond: latencies.length / seconds,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    meanBytes: latencies.length ? bytes / latencies.length : 0,
    non2xx,
    errors: summary.errors + summary.timeouts,
  };
}

main(process.argv[2]!).then(
  (r) => process.stdout.write(`${JSON.stringify(r)}\n`),
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
