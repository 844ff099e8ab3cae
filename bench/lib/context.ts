/**
 * What the runner hands every benchmark: the size to run at, the databases to run on, and a way
 * to get temporary databases that are dropped even when the run is interrupted.
 */
import type { TempDatabase } from './databases.js';

export const SIZES = ['small', 'full'] as const;
/** `small` takes seconds (what CI runs); `full` is the size the published numbers use. */
export type Size = (typeof SIZES)[number];

export type BenchDialect = 'sqlite' | 'postgres';

export interface BenchContext {
  size: Size;
  /** The databases to run on, in order. */
  dialects: readonly BenchDialect[];
  /** A fresh empty database; drop it in a `finally`. The runner drops any left over on exit. */
  tempDatabase(dialect: BenchDialect): Promise<TempDatabase>;
  /** Where machine-readable results go (`bench/out`, git-ignored). */
  outDir: string;
  log(line: string): void;
}

/** A benchmark module: `bench/<name>.ts` exporting this as `run`. */
export type Benchmark = (ctx: BenchContext) => Promise<void>;

/**
 * A benchmark whose own correctness check failed (as opposed to a crash): the runner prints the
 * message without a stack and exits 1.
 */
export class BenchFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BenchFailure';
  }
}
