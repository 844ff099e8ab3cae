/**
 * The OCR benchmark's reference: the `tesseract` command line as anyone would run it on a page,
 * `tesseract page.png stdout -l vie` (plain text, its default page segmentation), timed from
 * start to exit. `threads: 1` sets `OMP_THREAD_LIMIT=1` (one core, the fair unit to compare a
 * pool of single-threaded processes with); `default` lets tesseract's OpenMP use every core.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface CliRun {
  text: string;
  ms: number;
}

export function runTesseractCli(image: string, opts: { threads: 1 | 'default'; lang?: string; command?: string }): Promise<CliRun> {
  const env = { ...process.env };
  if (opts.threads === 1) env.OMP_THREAD_LIMIT = '1';
  else delete env.OMP_THREAD_LIMIT;
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(opts.command ?? 'tesseract', [image, 'stdout', '-l', opts.lang ?? 'vie'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => (err = (err + b.toString()).slice(-2000)));
    child.on('error', fail);
    child.on('close', (code) => {
      const ms = performance.now() - t0;
      if (code !== 0) fail(new Error(`tesseract exited with ${code}: ${err.trim()}`));
      else done({ text: Buffer.concat(out).toString('utf8'), ms });
    });
  });
}

/** Runs `f` over `items` with at most `n` at once; results in input order. */
export async function inPool<T, R>(items: readonly T[], n: number, f: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) out[i] = await f(items[i]!, i);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(n, items.length)) }, worker));
  return out;
}

/**
 * CPU seconds (user + system) used so far by this process's finished children, from
 * `/proc/self/stat` (`cutime`, `cstime`; Linux), or NaN elsewhere. Unlike wall time, it does not
 * grow when other work on a busy machine takes the cores.
 */
export function childCpuSeconds(): number {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // cutime and cstime are fields 16 and 17 of the whole line, 14 and 15 here; in clock ticks
    // (100 per second on Linux).
    return (Number(fields[13]) + Number(fields[14])) / 100;
  } catch {
    return NaN;
  }
}

/** CPU seconds (user + system) of this process, all its threads. */
export function ownCpuSeconds(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
}
