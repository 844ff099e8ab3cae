/**
 * The benchmark runner:
 *
 *     npm run bench -- <name> [--size small|full] [--dialect sqlite|postgres|both]
 *
 * Each benchmark is `bench/<name>.ts` exporting `run` (a `Benchmark`); add it to `BENCHMARKS`
 * below. Every benchmark measures against a reference run in the same process on the same
 * database, so what it reports are ratios that hold from one machine to another.
 *
 * Default size `small` (seconds; what CI runs). Default databases: SQLite, plus PostgreSQL when
 * a server answers at `LIENTHONG_TEST_PG_URL` (default `postgres://127.0.0.1:5432/test`); asking
 * for `postgres` or `both` when none answers is an error.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { BenchFailure, SIZES, type BenchContext, type BenchDialect, type Benchmark, type Size } from './lib/context.js';
import { createTempDatabase, displayUrl, postgresAdminUrl, probePostgres, type TempDatabase } from './lib/databases.js';

interface Entry {
  summary: string;
  load: () => Promise<{ run: Benchmark }>;
}

const BENCHMARKS: Record<string, Entry> = {
  permissions: {
    summary: 'a permission check against a primary-key lookup, on a 10,000-unit tree with 1,000 staff',
    load: () => import('./permissions.js'),
  },
  marc: { summary: 'ISO 2709 → MARCXML and parse-only rates of our MARC codec against yaz-marcdump', load: () => import('./marc.js') },
  search: {
    summary: 'discovery search over a generated Vietnamese catalogue: reindex time, index size, query-mix latency with facets, against the raw engine and a LIKE scan',
    load: () => import('./search.js'),
  },
  iiif: { summary: 'IIIF tiles from a 10,000 × 14,000 scan: our renderer and tile cache against IIPImage behind lighttpd', load: () => import('./iiif.js') },
  ocr: { summary: 'OCR of printed Vietnamese pages: our engines against the tesseract CLI', load: () => import('./ocr.js') },
  'ocr-pdf': { summary: 'a scanned PDF through PdfTools and OCR against pages × single-page tesseract ÷ cores', load: () => import('./ocr.js').then((m) => ({ run: m.runPdf })) },
  'digital-ingest': {
    summary: 'a scanned PDF through the digital-library pipeline (tiles, OCR, search) until searchable, against the tesseract CLI page by page',
    load: () => import('./digital-ingest.js'),
  },
  'marc-import': { summary: 'full MARC import (derived fields, matching, items) into SQLite and PostgreSQL against the raw engine', load: () => import('./marc-import.js') },
  portal: {
    summary: 'the public results and record pages under 50 connections through the real server, against a static file from the same server',
    load: () => import('./portal.js'),
  },
  oai: { summary: 'a whole OAI-PMH ListRecords harvest (oai_dc, marc21) through the real server, with its memory, against the raw keyset scan', load: () => import('./oai.js') },
};

const DIALECT_CHOICES = ['sqlite', 'postgres', 'both'] as const;
type DialectChoice = (typeof DIALECT_CHOICES)[number];

const USAGE = 'Usage: npm run bench -- <name> [--size small|full] [--dialect sqlite|postgres|both]';

class UsageError extends Error {}

function listing(): string {
  const width = Math.max(...Object.keys(BENCHMARKS).map((n) => n.length));
  const lines = Object.entries(BENCHMARKS).map(([name, e]) => `  ${name.padEnd(width)}  ${e.summary}`);
  return `${USAGE}\n\nBenchmarks:\n${lines.join('\n')}\n\nDefaults: --size small; --dialect sqlite, plus postgres when a server answers at ${displayUrl(postgresAdminUrl())}.`;
}

function parse(argv: string[]): { name: string | undefined; size: Size; dialect: DialectChoice | undefined; help: boolean } {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { size: { type: 'string' }, dialect: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) throw new UsageError(`one benchmark at a time, got: ${positionals.join(' ')}`);
  const size = values.size ?? 'small';
  if (!(SIZES as readonly string[]).includes(size)) throw new UsageError(`--size must be one of ${SIZES.join(', ')}, got "${size}"`);
  const dialect = values.dialect;
  if (dialect !== undefined && !(DIALECT_CHOICES as readonly string[]).includes(dialect)) {
    throw new UsageError(`--dialect must be one of ${DIALECT_CHOICES.join(', ')}, got "${dialect}"`);
  }
  return { name: positionals[0], size: size as Size, dialect: dialect as DialectChoice | undefined, help: values.help ?? false };
}

async function resolveDialects(choice: DialectChoice | undefined, pgAdminUrl: string): Promise<BenchDialect[]> {
  if (choice === 'sqlite') return ['sqlite'];
  const problem = await probePostgres(pgAdminUrl);
  const pgUrl = displayUrl(pgAdminUrl);
  if (choice === undefined) {
    if (problem) console.log(`PostgreSQL skipped: no server at ${pgUrl} (${problem}); set LIENTHONG_TEST_PG_URL to use one.`);
    return problem ? ['sqlite'] : ['sqlite', 'postgres'];
  }
  if (problem) throw new UsageError(`--dialect ${choice} needs PostgreSQL, but none answers at ${pgUrl} (${problem}); set LIENTHONG_TEST_PG_URL`);
  return choice === 'postgres' ? ['postgres'] : ['sqlite', 'postgres'];
}

async function main(): Promise<number> {
  let args;
  try {
    args = parse(process.argv.slice(2));
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`bench: ${e.message}\n${USAGE}`);
    return 1;
  }
  if (args.help || args.name === undefined) {
    console.log(listing());
    return 0;
  }
  const entry = Object.hasOwn(BENCHMARKS, args.name) ? BENCHMARKS[args.name] : undefined;
  if (!entry) {
    console.error(`bench: unknown benchmark "${args.name}"; available: ${Object.keys(BENCHMARKS).join(', ')}`);
    return 1;
  }

  const pgUrl = postgresAdminUrl();
  let dialects: BenchDialect[];
  try {
    dialects = await resolveDialects(args.dialect, pgUrl);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    console.error(`bench: ${e.message}`);
    return 1;
  }

  // Databases still alive are dropped on the way out, whatever the way.
  const live = new Set<TempDatabase>();
  const dropAll = async () => {
    for (const db of [...live]) {
      live.delete(db);
      await db.drop().catch((e: unknown) => console.error(`bench: could not drop ${db.dialect === 'postgres' ? displayUrl(db.url) : db.url}: ${e instanceof Error ? e.message : String(e)}`));
    }
  };
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    console.error(`\nbench: ${signal}, cleaning up`);
    void dropAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  const ctx: BenchContext = {
    size: args.size,
    dialects,
    outDir: join(dirname(fileURLToPath(import.meta.url)), 'out'),
    log: (line) => console.log(line),
    tempDatabase: async (dialect) => {
      const db = await createTempDatabase(dialect, pgUrl);
      const tracked: TempDatabase = {
        ...db,
        drop: async () => {
          live.delete(tracked);
          await db.drop();
        },
      };
      live.add(tracked);
      return tracked;
    },
  };

  try {
    const { run } = await entry.load();
    await run(ctx);
    return 0;
  } catch (e) {
    // Dropping the databases under a running benchmark makes it fail; that is expected.
    if (interrupted) return 130;
    if (e instanceof BenchFailure) {
      console.error(`\nbench ${args.name} FAILED: ${e.message}`);
      return 1;
    }
    throw e;
  } finally {
    await dropAll();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
