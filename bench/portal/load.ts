/**
 * Runs the portal benchmark's load generator (`load-worker.ts`) in a child process and returns
 * what it measured.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BenchFailure } from '../lib/context.js';

export interface LoadJob {
  /** The servers, scheme, host and port each; connections are spread evenly over them. */
  bases: string[];
  /** Request paths, taken in this order by all connections together, round and round. */
  paths: string[];
  /** Where in the list to begin (a warm-up's `next`, so that the run goes on down the list). */
  start: number;
  connections: number;
  seconds: number;
  /** Sent with every request. */
  headers: Record<string, string>;
  /** How many client addresses the requests come from in turn (`X-Forwarded-For`). */
  clients: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  /** Latency percentiles in ms over every response of the measured run. */
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Bytes on the wire per response (headers and body, compressed as sent). */
  meanBytes: number;
  /** Responses by HTTP status. */
  statuses: Record<string, number>;
  non2xx: number;
  /** Connection errors and timeouts (no answer within a minute), timeouts included. */
  errors: number;
  timeouts: number;
  /** Where the next run should begin in the list. */
  next: number;
  /** Share of the requests asking for a path sent before (this run or before `start`). */
  repeatShare: number;
  /** The list ran out and started again from its beginning. */
  wrapped: boolean;
}

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

/** The job goes to the worker on its standard input; its answer is the last line it prints. */
export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const out = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new BenchFailure(`load generator exited with ${code}: ${stderr.trim()}`))));
    child.stdin.end(JSON.stringify(job));
  });
  return JSON.parse(out.trim().split('\n').at(-1)!) as LoadResult;
}
