/**
 * Runs the IIIF benchmark's load generator (`load-worker.ts`) in a child process and returns what
 * it measured.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchFailure } from '../lib/context.js';

export interface LoadJob {
  /** Scheme, host and port. */
  base: string;
  /** Request paths, sent in this order and again from the start when the list runs out. */
  paths: string[];
  connections: number;
  seconds: number;
}

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  /** Latency percentiles in ms over every response. */
  p50: number;
  p95: number;
  p99: number;
  meanBytes: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
}

const WORKER = fileURLToPath(new URL('./load-worker.ts', import.meta.url));

export async function runLoad(job: LoadJob): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'lienthong-bench-load-'));
  const jobFile = join(dir, 'job.json');
  writeFileSync(jobFile, JSON.stringify(job));
  try {
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', WORKER, jobFile], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new BenchFailure(`load generator exited with ${code}: ${stderr.trim()}`))));
    });
    return JSON.parse(out.trim().split('\n').at(-1)!) as LoadResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
