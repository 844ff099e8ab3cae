/**
 * Benchmark `oai`: a whole OAI-PMH harvest of the catalogue through the real server.
 *
 * 1. Loads the search benchmark's generated Vietnamese catalogue (`bench/search/generate.ts`:
 *    1,000,000 records at `full`, 20,000 at `small`, about 2.2 copies each across a 300-unit
 *    library tree) and gathers the planner's statistics (`analyze`), as autovacuum would. No
 *    search reindex: the provider reads `bib_records`, `items` and `org_units` only.
 * 2. Starts one `lienthong serve` process on that database (`bench/portal/server.ts`) and warms
 *    it, unmeasured, with the first 10,000 records of each format (code compiled, the heap grown
 *    to its working size, the database's page cache filled, as in a server that has been up):
 *    otherwise the growth of a cold process would read as memory growing with the records.
 * 3. Harvests everything with one client in this process (`bench/oai/harvest.ts`):
 *    `ListRecords` in `oai_dc`, then in `marc21`, following resumption tokens to the end, each
 *    answer streamed and its `<record>`s counted without keeping the page. Every page must be
 *    HTTP 200 without an OAI error, and the records must add up to the catalogue; anything else
 *    fails the run. The harvester asks for `Accept-Encoding: gzip`, as the repository's Identify
 *    offers (`LIENTHONG_BENCH_OAI_ENCODING=identity|gzip|br` to change).
 * 4. Meanwhile reads the server's resident memory every 200 ms (`bench/oai/memory.ts`): at the
 *    start, at 25, 50, 75 and 100 % of the records, and the peak, with the peaks of each half of
 *    the harvest: a provider whose memory is flat has the second half's peak no higher than the
 *    first's (give or take garbage collection's swing), however many records it has served.
 * 5. The reference, on the same database in the same run: the raw keyset scan of the same rows
 *    and their copies straight through the driver (`bench/oai/raw.ts`).
 *
 * Reported per format: records per second, bytes per record on the wire, page times (the first
 * and last tenth of the pages: keyset paging should cost the same at the end as at the start), the
 * server's CPU time per thousand records, and ours ÷ raw records per second. The goal:
 * ≥ 5,000 records/s per format, and peak memory independent of the catalogue's size.
 *
 *     npm run bench -- oai [--size small|full] [--dialect sqlite|postgres|both]
 *
 * `LIENTHONG_BENCH_OAI_PROFILE=<dir>`: the server writes a V8 CPU profile there when it stops.
 */
import { sql } from 'kysely';
import { createContainer } from '../src/main/container.js';
import { loadWithProgress } from './lib/load.js';
import { BenchFailure, type BenchContext, type BenchDialect, type Size } from './lib/context.js';
import { formatCount, formatTable, machine, writeResult } from './lib/measure.js';
import { startServers, type PortalServers } from './portal/server.js';
import { CONTENT_ENCODINGS, harvest, type ContentEncoding, type HarvestResult } from './oai/harvest.js';
import { MILESTONES, MemoryWatch, residentBytes, type MemoryProfile } from './oai/memory.js';
import { rawScan, type RawScanResult } from './oai/raw.js';

interface Plan {
  records: number;
  /** Raw scans, the median reported (a scan of 20,000 rows is short enough to be thrown by a neighbour). */
  rawRounds: number;
}

const PLANS: Record<Size, Plan> = {
  small: { records: 20_000, rawRounds: 3 },
  full: { records: 1_000_000, rawRounds: 1 },
};

const FORMATS = ['oai_dc', 'marc21'] as const;
type Format = (typeof FORMATS)[number];
/** The provider's page of records (`OaiProviderService`), which the raw scan reads alike. */
const PAGE_SIZE = 500;
/** Records of each format harvested to warm the server up. */
const WARM_RECORDS = 10_000;
const GOAL_RECORDS_PER_SECOND = 5_000;
/**
 * The second half's peak may exceed the first's by this much and still be flat: the swing of
 * garbage collection, which at `small` (a harvest of seconds) decides alone which half peaks.
 */
const FLAT_SLACK_BYTES = 32 * 2 ** 20;
const FLAT_SLACK_SHARE = 0.15;

function encodingChoice(): ContentEncoding {
  const raw = process.env.LIENTHONG_BENCH_OAI_ENCODING || 'gzip';
  if (!(CONTENT_ENCODINGS as readonly string[]).includes(raw)) throw new BenchFailure(`LIENTHONG_BENCH_OAI_ENCODING must be one of ${CONTENT_ENCODINGS.join(', ')}, got "${raw}"`);
  return raw as ContentEncoding;
}

interface FormatOutcome {
  records: number;
  pages: number;
  seconds: number;
  recordsPerSecond: number;
  bytes: number;
  wireBytes: number;
  contentEncoding: string;
  page: { p50Ms: number; maxMs: number; firstTenthMeanMs: number; lastTenthMeanMs: number };
  /** Server CPU milliseconds per thousand records, when /proc is there. */
  cpuMsPerThousand: number | null;
  memory: MemoryProfile;
  memoryFlat: boolean | null;
  ratioToRaw: number;
}

interface Outcome {
  dialect: BenchDialect;
  records: number;
  items: number;
  loadSeconds: number;
  encoding: ContentEncoding;
  /** The server's resident memory just after it started, and after the warm-up. */
  rssAtStartup: number | null;
  rssWarm: number | null;
  warmSeconds: number;
  formats: Record<Format, FormatOutcome>;
  raw: RawScanResult & { recordsPerSecond: number; rounds: number[] };
}

const f1 = (x: number) => x.toFixed(1);
const mib = (b: number | null) => (b === null ? '?' : f1(b / 2 ** 20));
const mean = (xs: readonly number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function pageSummary(ms: readonly number[]): FormatOutcome['page'] {
  const tenth = Math.max(1, Math.floor(ms.length / 10));
  return { p50Ms: median(ms), maxMs: Math.max(...ms), firstTenthMeanMs: mean(ms.slice(0, tenth)), lastTenthMeanMs: mean(ms.slice(-tenth)) };
}

/** Flat: the second half's peak stays within the slack of the first half's (null when /proc is missing). */
function isFlat(m: MemoryProfile): boolean | null {
  if (m.peakFirstHalf === null || m.peakSecondHalf === null) return null;
  return m.peakSecondHalf - m.peakFirstHalf <= Math.max(FLAT_SLACK_BYTES, FLAT_SLACK_SHARE * m.peakFirstHalf);
}

async function prepare(ctx: BenchContext, dialect: BenchDialect, plan: Plan, url: string) {
  const c = await createContainer({ databaseUrl: url, poolSize: 4 });
  try {
    const loaded = await loadWithProgress(ctx, dialect, c, plan.records);
    if (loaded.records !== plan.records) throw new BenchFailure(`loaded ${loaded.records} records for ${plan.records}`);
    // Statistics as autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite) would leave them: without
    // them PostgreSQL reads a page's copies and libraries by plans three times slower.
    await sql`analyze`.execute(c.handle.db);
    ctx.log(`  loaded in ${f1(loaded.seconds)} s (${formatCount(loaded.items)} items)`);
    return { items: loaded.items, loadSeconds: loaded.seconds };
  } finally {
    await c.close();
  }
}

function withServerErrors(e: unknown, servers: PortalServers): unknown {
  const logged = servers.errors();
  if (!(e instanceof BenchFailure) || logged.length === 0) return e;
  return new BenchFailure(`${e.message}; the server logged:\n${logged.join('\n')}`);
}

/** The first {@link WARM_RECORDS} of each format, harvested and dropped; returns the seconds taken. */
async function warm(servers: PortalServers, encoding: ContentEncoding): Promise<number> {
  const t0 = performance.now();
  for (const format of FORMATS) {
    try {
      await harvest({ base: servers.urls[0]!, metadataPrefix: format, encoding, limit: WARM_RECORDS });
    } catch (e) {
      throw withServerErrors(e instanceof BenchFailure ? new BenchFailure(`warming up: ${e.message}`) : e, servers);
    }
  }
  return (performance.now() - t0) / 1000;
}

async function harvestFormat(ctx: BenchContext, servers: PortalServers, format: Format, plan: Plan, encoding: ContentEncoding): Promise<Omit<FormatOutcome, 'ratioToRaw'>> {
  const pid = servers.pids()[0]!;
  ctx.log(`  harvesting ${format} …`);
  const cpu0 = servers.cpuSeconds();
  const watch = new MemoryWatch(pid, plan.records);
  let r: HarvestResult;
  let memory: MemoryProfile;
  let lastLog = Date.now();
  try {
    r = await harvest({
      base: servers.urls[0]!,
      metadataPrefix: format,
      encoding,
      onPage: (n) => {
        watch.progress(n);
        if (Date.now() - lastLog > 30_000) {
          lastLog = Date.now();
          ctx.log(`    ${formatCount(n)} records …`);
        }
      },
    });
  } catch (e) {
    throw withServerErrors(e, servers);
  } finally {
    memory = watch.finish();
  }
  const cpu1 = servers.cpuSeconds();
  if (r.records !== plan.records) throw new BenchFailure(`${format}: the harvest gave ${r.records} records in ${r.pages} pages, the catalogue has ${plan.records}`);
  if (r.completeListSize !== null && r.completeListSize !== plan.records) throw new BenchFailure(`${format}: completeListSize ${r.completeListSize}, the catalogue has ${plan.records} records`);
  return {
    records: r.records,
    pages: r.pages,
    seconds: r.seconds,
    recordsPerSecond: r.records / r.seconds,
    bytes: r.bytes,
    wireBytes: r.wireBytes,
    contentEncoding: r.contentEncoding,
    page: pageSummary(r.pageMs),
    cpuMsPerThousand: cpu0 === null || cpu1 === null ? null : (1e6 * (cpu1 - cpu0)) / r.records,
    memory,
    memoryFlat: isFlat(memory),
  };
}

async function runOn(ctx: BenchContext, dialect: BenchDialect, plan: Plan, encoding: ContentEncoding): Promise<Outcome> {
  const temp = await ctx.tempDatabase(dialect);
  try {
    const data = await prepare(ctx, dialect, plan, temp.url);
    const profileDir = process.env.LIENTHONG_BENCH_OAI_PROFILE;
    const servers = await startServers({ databaseUrl: temp.url, processes: 1, nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [] });
    try {
      const pid = servers.pids()[0]!;
      const rssAtStartup = residentBytes(pid);
      ctx.log(`  server up; warming it with ${formatCount(WARM_RECORDS)} records of each format …`);
      const warmSeconds = await warm(servers, encoding);
      const rssWarm = residentBytes(pid);
      const harvested = {} as Record<Format, Omit<FormatOutcome, 'ratioToRaw'>>;
      for (const format of FORMATS) harvested[format] = await harvestFormat(ctx, servers, format, plan, encoding);
      ctx.log(`  raw scan of the same rows, ${plan.rawRounds} time${plan.rawRounds > 1 ? 's' : ''} …`);
      const scans: RawScanResult[] = [];
      for (let i = 0; i < plan.rawRounds; i++) scans.push(await rawScan(temp.url, PAGE_SIZE));
      for (const s of scans) {
        if (s.records !== plan.records || s.items !== data.items) throw new BenchFailure(`the raw scan read ${s.records} records and ${s.items} items, the catalogue has ${plan.records} and ${data.items}`);
      }
      const mid = [...scans].sort((a, b) => a.seconds - b.seconds)[scans.length >> 1]!;
      const rawRate = mid.records / mid.seconds;
      const formats = {} as Record<Format, FormatOutcome>;
      for (const format of FORMATS) formats[format] = { ...harvested[format], ratioToRaw: harvested[format].recordsPerSecond / rawRate };
      return {
        dialect,
        records: plan.records,
        items: data.items,
        loadSeconds: data.loadSeconds,
        encoding,
        rssAtStartup,
        rssWarm,
        warmSeconds,
        formats,
        raw: { ...mid, recordsPerSecond: rawRate, rounds: scans.map((s) => s.seconds) },
      };
    } finally {
      await servers.close();
    }
  } finally {
    await temp.drop();
  }
}

function report(ctx: BenchContext, o: Outcome): void {
  ctx.log('');
  ctx.log(`[${o.dialect}] ${formatCount(o.records)} records, ${formatCount(o.items)} items; 1 server process; pages of ${PAGE_SIZE}; Accept-Encoding: ${o.encoding}`);
  const rows = FORMATS.map((f) => {
    const r = o.formats[f];
    return [
      f,
      formatCount(r.records),
      String(r.pages),
      f1(r.seconds),
      formatCount(r.recordsPerSecond),
      `${(r.wireBytes / r.records / 1024).toFixed(2)} ${r.contentEncoding}`,
      f1(r.bytes / r.records / 1024),
      f1(r.page.p50Ms),
      f1(r.page.maxMs),
      `${f1(r.page.firstTenthMeanMs)} / ${f1(r.page.lastTenthMeanMs)}`,
      r.cpuMsPerThousand === null ? '?' : f1(r.cpuMsPerThousand),
      r.ratioToRaw.toFixed(3),
    ];
  });
  rows.push(['raw scan (reference)', formatCount(o.raw.records), String(o.raw.pages), o.raw.seconds.toFixed(2), formatCount(o.raw.recordsPerSecond), '', '', '', '', '', '', '1']);
  ctx.log(
    formatTable(['format', 'records', 'pages', 's', 'records/s', 'KiB/rec wire', 'KiB/rec XML', 'page ms p50', 'page ms max', 'page ms first/last 10 %', 'server CPU ms/1000 rec', '÷ raw'], rows),
  );
  ctx.log('');
  ctx.log(`server memory (RSS, MiB) during each harvest; ${mib(o.rssAtStartup)} MiB when it had started, ${mib(o.rssWarm)} after the warm-up (${f1(o.warmSeconds)} s):`);
  const memRows = FORMATS.map((f) => {
    const m = o.formats[f].memory;
    const flat = o.formats[f].memoryFlat;
    return [f, mib(m.start), ...MILESTONES.map((p) => mib(m.at[p])), mib(m.peak), mib(m.peakFirstHalf), mib(m.peakSecondHalf), flat === null ? '?' : flat ? 'flat' : 'GROWS'];
  });
  ctx.log(formatTable(['format', 'start', ...MILESTONES.map((p) => `${p} %`), 'peak', 'peak 1st half', 'peak 2nd half', 'memory'], memRows));
  for (const f of FORMATS) {
    const r = o.formats[f];
    ctx.log(
      `  ${f}: ${formatCount(r.recordsPerSecond)} records/s against the goal of ≥ ${formatCount(GOAL_RECORDS_PER_SECOND)}: ${r.recordsPerSecond >= GOAL_RECORDS_PER_SECOND ? 'met' : 'NOT met'}; ` +
        `peak memory ${r.memoryFlat === null ? 'not measured (no /proc)' : r.memoryFlat ? 'flat over the harvest' : 'GROWS with the records served'}`,
    );
  }
}

export async function run(ctx: BenchContext): Promise<void> {
  const plan = PLANS[ctx.size];
  const encoding = encodingChoice();
  for (const dialect of ctx.dialects) {
    const o = await runOn(ctx, dialect, plan, encoding);
    report(ctx, o);
    const file = writeResult(ctx.outDir, `oai-${o.dialect}`, { benchmark: 'oai', size: ctx.size, machine: machine(), pageSize: PAGE_SIZE, goalRecordsPerSecond: GOAL_RECORDS_PER_SECOND, ...o });
    ctx.log(`result: ${file}`);
  }
}
