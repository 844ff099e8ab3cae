/**
 * The server the portal benchmark measures: real `lienthong serve` processes (`bin/lienthong.js`,
 * what `npm start` runs, from the sources), on a database the benchmark has loaded, each on a
 * free port of 127.0.0.1. Settings as a deployment behind a reverse proxy has them
 * (`LIENTHONG_TRUST_PROXY=1`: the client's address comes from `X-Forwarded-For`, so the load
 * generator can stand for many readers rather than one address the search rate limit stops);
 * everything else at its default, request logging included.
 *
 * Several processes share the database as `docs/architecture.md` (scale-out) describes; the load
 * generator spreads its connections over them as a proxy would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BenchFailure } from '../lib/context.js';

const BIN = fileURLToPath(new URL('../../bin/lienthong.js', import.meta.url));

export interface PortalServers {
  /** One base URL per process (`http://127.0.0.1:<port>`). */
  urls: string[];
  /** CPU seconds (user + system) the processes have used so far; null where /proc is missing. */
  cpuSeconds(): number | null;
  /** The processes' ids (to read their memory in /proc). */
  pids(): number[];
  /** The first error lines the processes logged (pino level 50 and above), to say why a run failed. */
  errors(): string[];
  close(): Promise<void>;
}

export interface ServerOptions {
  /** As `DATABASE_URL` takes it: `postgres://…` or a SQLite file path. */
  databaseUrl: string;
  processes: number;
  /** Extra environment for the processes. */
  env?: Record<string, string>;
  /** Node options before the script (e.g. `--cpu-prof` to see where a run's time goes). */
  nodeArgs?: string[];
}

interface Proc {
  child: ChildProcess;
  url: string;
  errors: string[];
}

const KEPT_ERRORS = 5;

const TICKS_PER_SECOND = 100;

function cpuOf(pid: number): number | null {
  try {
    // /proc/<pid>/stat: fields 14 and 15 are utime and stime in clock ticks (after the `(comm)`).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

function start(env: NodeJS.ProcessEnv, nodeArgs: readonly string[]): Promise<Proc> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, BIN, 'serve', '--port', '0', '--no-demo'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    // Kept short: the head (for the address and start-up errors) and the tail (for a crash).
    let head = '';
    let tail = '';
    let partial = '';
    let started = false;
    const errors: string[] = [];
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new BenchFailure(`the server did not start within 180 s:\n${head}`));
    }, 180_000);
    const onData = (b: Buffer) => {
      const s = b.toString();
      if (started) {
        tail = (tail + s).slice(-4000);
        if (errors.length < KEPT_ERRORS) {
          const lines = (partial + s).split('\n');
          partial = lines.pop()!.slice(-100_000);
          for (const line of lines) if (errors.length < KEPT_ERRORS && /"level":(5\d|60)\b/.test(line)) errors.push(line.slice(0, 2000));
        }
        return;
      }
      head += s;
      const m = /running at (http:\/\/[\d.]+:\d+)/.exec(head);
      if (m) {
        started = true;
        clearTimeout(timer);
        resolve({ child, url: m[1]!, errors });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!started) reject(new BenchFailure(`the server exited with ${code ?? signal} before it started:\n${head}`));
      else if (signal !== 'SIGTERM' && code !== 0) process.stderr.write(`bench: a server process exited with ${code ?? signal}:\n${tail}\n`);
    });
  });
}

async function stop(p: Proc): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  const exited = new Promise((r) => p.child.once('exit', r));
  p.child.kill('SIGTERM');
  const timer = setTimeout(() => p.child.kill('SIGKILL'), 20_000);
  await exited;
  clearTimeout(timer);
}

/** Starts `processes` servers on the database, one after another (the first start migrates). */
export async function startServers(o: ServerOptions): Promise<PortalServers> {
  const dataDir = mkdtempSync(join(tmpdir(), 'lienthong-bench-portal-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    LIENTHONG_FROM_SOURCE: '1',
    LIENTHONG_DATA_DIR: dataDir,
    DATABASE_URL: o.databaseUrl.startsWith('postgres') ? o.databaseUrl : `sqlite:${o.databaseUrl}`,
    // Shared by every process, as a deployment of several must (sessions and form tokens).
    SESSION_SECRET: 'bench-portal-session-secret-0123456789abcdef',
    LIENTHONG_TRUST_PROXY: '1',
    HOST: '127.0.0.1',
    BASE_URL: '',
    PORT: '',
    LOG_LEVEL: '',
    ...o.env,
  };
  const procs: Proc[] = [];
  try {
    for (let i = 0; i < o.processes; i++) procs.push(await start(env, o.nodeArgs ?? []));
  } catch (e) {
    await Promise.all(procs.map(stop));
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  return {
    urls: procs.map((p) => p.url),
    cpuSeconds: () => {
      let total = 0;
      for (const p of procs) {
        const s = cpuOf(p.child.pid!);
        if (s === null) return null;
        total += s;
      }
      return total;
    },
    pids: () => procs.map((p) => p.child.pid!),
    errors: () => procs.flatMap((p) => p.errors),
    close: async () => {
      await Promise.all(procs.map(stop));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
