/**
 * Small tools shared by benchmarks: a seeded random generator (runs are reproducible), timed
 * rounds that interleave the contenders so drift on a busy machine hits them all alike, and
 * output as a plain table plus JSON.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, totalmem } from 'node:os';

/** mulberry32: a tiny seeded generator, plenty for picking test data. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [lo, hi]. */
export function randomInt(rnd: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rnd() * (hi - lo + 1));
}

export function pick<T>(rnd: () => number, xs: readonly T[]): T {
  if (xs.length === 0) throw new Error('pick from an empty list');
  return xs[Math.floor(rnd() * xs.length)]!;
}

/** One contender: `op(i)` does the i-th operation (an index into pre-drawn inputs). */
export interface Contender {
  key: string;
  op(i: number): Promise<void>;
}

export interface Throughput {
  /** Operations per second: the median over the rounds. */
  opsPerSec: number;
  /** Microseconds per operation at the median rate. */
  microsPerOp: number;
  /** The middle half of the rounds lies between these rates. */
  p25OpsPerSec: number;
  p75OpsPerSec: number;
  minOpsPerSec: number;
  maxOpsPerSec: number;
  operations: number;
  seconds: number;
  perRound: number[];
}

export interface RoundPlan {
  /** Operations per contender before timing starts. */
  warmup: number;
  rounds: number;
  perRound: number;
}

/** The q-quantile (0…1) by linear interpolation. */
function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/**
 * Runs every contender for `rounds` rounds of `perRound` sequential operations, rotating which
 * goes first, after a warm-up. Round r uses inputs `r * perRound …`, the same for every contender.
 * Many short rounds and the median make the result robust on a shared machine: a burst of
 * someone else's work spoils a few rounds of each contender, not one contender's whole run.
 */
export async function measureRounds(contenders: readonly Contender[], plan: RoundPlan): Promise<Record<string, Throughput>> {
  for (const c of contenders) {
    for (let i = 0; i < plan.warmup; i++) await c.op(i);
  }
  const rates = new Map<string, number[]>(contenders.map((c) => [c.key, []]));
  const seconds = new Map<string, number>(contenders.map((c) => [c.key, 0]));
  for (let r = 0; r < plan.rounds; r++) {
    for (let k = 0; k < contenders.length; k++) {
      const c = contenders[(r + k) % contenders.length]!;
      const base = r * plan.perRound;
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < plan.perRound; i++) await c.op(base + i);
      const s = Number(process.hrtime.bigint() - t0) / 1e9;
      rates.get(c.key)!.push(plan.perRound / s);
      seconds.set(c.key, seconds.get(c.key)! + s);
    }
  }
  const out: Record<string, Throughput> = {};
  for (const c of contenders) {
    const perRound = rates.get(c.key)!;
    const opsPerSec = quantile(perRound, 0.5);
    out[c.key] = {
      opsPerSec,
      microsPerOp: 1e6 / opsPerSec,
      p25OpsPerSec: quantile(perRound, 0.25),
      p75OpsPerSec: quantile(perRound, 0.75),
      minOpsPerSec: Math.min(...perRound),
      maxOpsPerSec: Math.max(...perRound),
      operations: plan.rounds * plan.perRound,
      seconds: seconds.get(c.key)!,
      perRound,
    };
  }
  return out;
}

/** Right-aligns every column but the first. */
export function formatTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

const grouped = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
export function formatCount(n: number): string {
  return grouped.format(Math.round(n));
}

/** What machine a result came from, stored with it. */
export function machine(): { cpus: number; cpuModel: string; memoryGiB: number; node: string; platform: string } {
  const cs = cpus();
  return { cpus: cs.length, cpuModel: cs[0]?.model.trim() ?? '?', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}` };
}

/** Writes `<outDir>/<name>.json` and returns its path. */
export function writeResult(outDir: string, name: string, result: unknown): string {
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${name}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2) + '\n');
  return file;
}
