/**
 * The server's memory during a harvest: its resident set (`VmRSS` of `/proc/<pid>/status`), read
 * every 200 ms by a timer in the benchmark process, each reading stamped with how many records the
 * harvester had received by then; plus readings taken exactly when the harvest crosses 25, 50 and
 * 75 % of its records and when it ends. Linux only: elsewhere every reading is `null` and the
 * benchmark says so rather than failing.
 */
import { readFileSync } from 'node:fs';

/** Resident memory of a process in bytes, or null when `/proc` cannot tell. */
export function residentBytes(pid: number): number | null {
  try {
    const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export const MILESTONES = [25, 50, 75, 100] as const;
export type Milestone = (typeof MILESTONES)[number];

export interface MemoryProfile {
  /** Before the first request of the harvest. */
  start: number | null;
  /** When the harvest had received 25, 50, 75 and 100 % of its records. */
  at: Record<Milestone, number | null>;
  /** The highest reading over the whole harvest. */
  peak: number | null;
  /** The highest reading while the first half of the records was served, and while the second was. */
  peakFirstHalf: number | null;
  peakSecondHalf: number | null;
  samples: number;
}

const max = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : Math.max(a, b));

/**
 * Follows one process through one harvest of `total` records: `progress(records)` after every
 * page, `finish()` at the end.
 */
export class MemoryWatch {
  readonly #pid: number;
  readonly #total: number;
  readonly #timer: NodeJS.Timeout;
  readonly #start: number | null;
  readonly #at: Record<Milestone, number | null> = { 25: null, 50: null, 75: null, 100: null };
  #records = 0;
  #peakFirst: number | null = null;
  #peakSecond: number | null = null;
  #samples = 0;

  constructor(pid: number, total: number, everyMs = 200) {
    this.#pid = pid;
    this.#total = total;
    this.#start = residentBytes(pid);
    this.#timer = setInterval(() => this.#sample(), everyMs);
  }

  #sample(): number | null {
    const rss = residentBytes(this.#pid);
    this.#samples++;
    if (2 * this.#records < this.#total) this.#peakFirst = max(this.#peakFirst, rss);
    else this.#peakSecond = max(this.#peakSecond, rss);
    return rss;
  }

  progress(records: number): void {
    const before = this.#records;
    this.#records = records;
    for (const m of MILESTONES) {
      const mark = (m / 100) * this.#total;
      if (before < mark && records >= mark && this.#at[m] === null) this.#at[m] = this.#sample();
    }
  }

  finish(): MemoryProfile {
    clearInterval(this.#timer);
    const end = this.#sample();
    if (this.#at[100] === null) this.#at[100] = end;
    const peak = max(max(this.#start, this.#peakFirst), this.#peakSecond);
    return { start: this.#start, at: { ...this.#at }, peak, peakFirstHalf: max(this.#start, this.#peakFirst), peakSecondHalf: this.#peakSecond, samples: this.#samples };
  }
}
