/**
 * Benchmark `portal`: the public catalogue's pages under load, through the real HTTP server.
 *
 * 1. Loads the search benchmark's generated Vietnamese catalogue (`bench/search/generate.ts`:
 *    1,000,000 records at `full`, 20,000 at `small`, copies across a 300-unit library tree) and
 *    indexes it with a full `reindex`.
 * 2. Starts `lienthong serve` on that database (`bench/portal/server.ts`: the code `npm start`
 *    runs, compression and request logging as configured): two processes sharing it, as a
 *    deployment on a two-core machine runs (`LIENTHONG_BENCH_PORTAL_PROCESSES` to change), each
 *    warmed by a few hundred searches of another mix (frequent words' sets, facet arrays and the
 *    database's pages in memory, as in a server that has been up for a while). Then one record
 *    changes, as a loan or an edit does: the index's change number moves, so the answers the
 *    warm-up left in the processes' caches are gone, while the word sets are kept up to date.
 * 3. With autocannon in a child process (`bench/portal/load-worker.ts`), 50 keep-alive
 *    connections spread over the processes, a browser's `Accept-Encoding`, after an unmeasured
 *    warm-up of a few seconds, for a fixed time (30 s at `full`, 5 s at `small`), one after another:
 *    - the ceiling: a static asset from the same server (`/assets/app.<hash>.css`);
 *    - results pages (`/search?…`) over the search benchmark's query mix (`bench/search/queries.ts`)
 *      with 40 % of searches repeated and one in ten asking for page 2, from a list long enough
 *      that a run never comes back to its start (the share of repeated URLs is reported);
 *    - record pages (`/record/<id>`) of records drawn at random.
 *    Each request comes from one of 5,000 reader addresses (`X-Forwarded-For`; the server trusts
 *    its proxy), as a network's readers would, rather than from one address the search rate
 *    limit would stop.
 *
 * Reported per target: requests per second, latency p50 / p95 / p99 computed from every
 * response, bytes per response, non-2xx answers and connection errors (any fails the run), the
 * servers' CPU time per request (what a request costs, whatever else runs on the machine), the
 * ratio to the static ceiling, and the load average. The goal: results pages at p95 ≤ 150 ms.
 *
 *     npm run bench -- portal [--size small|full] [--dialect sqlite|postgres|both]
 *
 * By hand, on a catalogue already loaded: `LIENTHONG_BENCH_PORTAL_DB=<file or postgres URL>` (see `existing`).
 */
import { loadavg } from 'node:os';
import { sql } from 'kysely';
import { createContainer } from '../src/main/container.js';
import { createStore } from '../src/adapters/db/store.js';
import { openDatabase } from '../src/adapters/db/database.js';
import { SearchIndexer } from '../src/app/search/indexer.js';
import { loadWithProgress } from './lib/load.js';
import { keptDatabase, postgresAdminUrl } from './lib/databases.js';
import { BenchFailure, type BenchContext, type BenchDialect, type Size } from './lib/context.js';
import { formatCount, formatTable, machine, writeResult } from './lib/measure.js';
import { runLoad, type LoadResult } from './portal/load.js';
import { startServers, type PortalServers } from './portal/server.js';
import { recordPaths, resultsPaths } from './portal/urls.js';

interface Plan {
  records: number;
  seconds: number;
  warmup: number;
  /** Searches each server process answers, one at a time, before any load. */
  warmSearches: number;
  /** Length of the results-page list: more than a run can use, so that repeats are the mix's own. */
  resultsPaths: number;
}

const PLANS: Record<Size, Plan> = {
  small: { records: 20_000, seconds: 5, warmup: 2, warmSearches: 50, resultsPaths: 6_000 },
  full: { records: 1_000_000, seconds: 30, warmup: 5, warmSearches: 300, resultsPaths: 40_000 },
};

const CONNECTIONS = 50;
/** Server processes sharing the database: by default one per core of the machine the goal is set for. */
function processCount(): number {
  const raw = process.env.LIENTHONG_BENCH_PORTAL_PROCESSES || '2';
  if (!/^[1-8]$/.test(raw)) throw new BenchFailure(`LIENTHONG_BENCH_PORTAL_PROCESSES must be 1 to 8, got "${raw}"`);
  return Number(raw);
}
const CLIENTS = 5_000;
const REPEAT_RATE = 0.4;
const SECOND_PAGES = 0.1;
const GOAL_P95_MS = 150;
/** What a browser sends. */
const HEADERS = { 'accept-encoding': 'gzip, deflate, br', accept: 'text/html,application/xhtml+xml,*/*;q=0.8', 'user-agent': 'lienthong-bench-portal' };

const TARGETS = ['static', 'results', 'record'] as const;
type Target = (typeof TARGETS)[number];

const TARGET_LABEL: Record<Target, string> = {
  static: 'static asset (ceiling)',
  results: 'results page',
  record: 'record page',
};

interface TargetOutcome extends LoadResult {
  /** Server CPU milliseconds per request, when /proc is there. */
  cpuMsPerRequest: number | null;
  /** 1-minute load average at the end of the run. */
  load: number;
  encoding: string | null;
}

interface Outcome {
  dialect: BenchDialect;
  records: number;
  items: number;
  loadSeconds: number;
  reindexSeconds: number;
  processes: number;
  warmSeconds: number;
  targets: Record<Target, TargetOutcome>;
}

const f1 = (x: number) => x.toFixed(1);

async function prepare(ctx: BenchContext, dialect: BenchDialect, plan: Plan, url: string) {
  const c = await createContainer({ databaseUrl: url, poolSize: 4 });
  try {
    // Loaded through a store without the indexer, then indexed by a full reindex (as in bench/search).
    const loaded = await loadWithProgress(ctx, dialect, c, plan.records);
    ctx.log(`  loaded in ${f1(loaded.seconds)} s (${formatCount(loaded.items)} items); reindexing …`);
    const re = await c.services.reindex.rebuild();
    if (re.documents !== plan.records) throw new BenchFailure(`reindex built ${re.documents} documents for ${plan.records} records`);
    ctx.log(`  reindex: ${f1(re.seconds)} s`);
    const r = await sql<{ lo: number | string; hi: number | string }>`select min(id) as lo, max(id) as hi from bib_records`.execute(c.handle.db);
    return {
      items: loaded.items,
      loadSeconds: loaded.seconds,
      reindexSeconds: re.seconds,
      communes: loaded.tree.communes.map((u) => u.code),
      ids: { min: Number(r.rows[0]!.lo), max: Number(r.rows[0]!.hi) },
    };
  } finally {
    await c.close();
  }
}

/** One request to each server: it must answer 200 with what the page should hold. */
async function check(servers: PortalServers, path: string, expect: RegExp): Promise<string | null> {
  let encoding: string | null = null;
  for (const base of servers.urls) {
    const res = await fetch(base + path, { headers: HEADERS });
    const body = await res.text();
    if (res.status !== 200 || !expect.test(body)) throw new BenchFailure(`${path} on ${base}: status ${res.status}, ${body.length} characters, not ${expect}`);
    encoding = res.headers.get('content-encoding');
  }
  return encoding;
}

/**
 * One record's search document rebuilt in a transaction of its own, as any loan or edit does:
 * the index's change number moves. Through a bare store with the indexer (no container: the
 * servers own the schema now).
 */
async function touch(url: string, recordId: number): Promise<void> {
  const handle = openDatabase({ url, poolSize: 1 });
  try {
    const indexer = new SearchIndexer();
    const store = createStore(handle, { beforeCommit: (tx) => indexer.flush(tx) });
    await store.transaction(async (tx) => tx.search.markDirty([recordId]));
  } finally {
    await handle.close();
  }
}

/** The stylesheet's address as the server's pages link it (its name carries the content hash). */
async function stylesheetPath(servers: PortalServers): Promise<string> {
  const page = await (await fetch(`${servers.urls[0]!}/search`, { headers: HEADERS })).text();
  const m = /\/assets\/app\.[0-9a-f]+\.css/.exec(page);
  if (!m) throw new BenchFailure('the search page links no /assets/app.<hash>.css');
  return m[0];
}

/** Every server answers `paths`, one after another (the servers side by side); returns the seconds taken. */
async function warm(servers: PortalServers, paths: readonly string[]): Promise<number> {
  const t0 = performance.now();
  await Promise.all(
    servers.urls.map(async (base) => {
      for (const path of paths) {
        const res = await fetch(base + path, { headers: { ...HEADERS, 'x-forwarded-for': '192.0.2.1' } });
        await res.arrayBuffer();
        if (res.status !== 200) throw new BenchFailure(`warming up: ${path} on ${base}: status ${res.status}`);
      }
    }),
  );
  return (performance.now() - t0) / 1000;
}

/**
 * `LIENTHONG_BENCH_PORTAL_DB=<sqlite file>` or `=postgres://127.0.0.1:5432/<name>`: a catalogue an
 * earlier run (or `bench/lib/load.ts` and a reindex) already loaded, used as it is instead of
 * loading and indexing one (10 to 20 minutes at `full`); only for by-hand runs. It must hold the
 * generated catalogue at the plan's size; the run touches one record of it. When the file or the
 * database does not exist yet, the run creates it, loads the catalogue into it and keeps it for the
 * next run (drop it by hand when done).
 */
async function existing(ctx: BenchContext, plan: Plan, url: string) {
  const handle = openDatabase({ url, poolSize: 1 });
  try {
    const n = await sql<{ n: number; items: number; lo: number; hi: number }>`select (select count(*) from search_docs where alive = 1) as n, (select count(*) from items) as items, (select min(id) from bib_records) as lo, (select max(id) from bib_records) as hi`.execute(handle.db);
    const row = n.rows[0]!;
    if (Number(row.n) !== plan.records) throw new BenchFailure(`${url} has ${row.n} indexed records, not ${plan.records}`);
    const communes = await sql<{ code: string }>`select code from org_units where type_code = 'commune' order by id`.execute(handle.db);
    ctx.log(`  using ${url} as it is: ${formatCount(Number(row.n))} records`);
    return { items: Number(row.items), loadSeconds: 0, reindexSeconds: 0, communes: communes.rows.map((r) => r.code), ids: { min: Number(row.lo), max: Number(row.hi) } };
  } finally {
    await handle.close();
  }
}

async function runOn(ctx: BenchContext, dialect: BenchDialect, plan: Plan, processes: number): Promise<Outcome> {
  const given = process.env.LIENTHONG_BENCH_PORTAL_DB;
  const kept = given ? await keptDatabase(given, postgresAdminUrl()) : null;
  if (kept && kept.dialect !== dialect) throw new BenchFailure(`LIENTHONG_BENCH_PORTAL_DB is a ${kept.dialect} database: run it with --dialect ${kept.dialect}`);
  const temp = kept ? { url: kept.url, drop: async () => {} } : await ctx.tempDatabase(dialect);
  try {
    const data = kept && !kept.fresh ? await existing(ctx, plan, kept.url) : await prepare(ctx, dialect, plan, temp.url);
    // `LIENTHONG_BENCH_PORTAL_PROFILE=<dir>`: each server process writes a V8 CPU profile there on exit.
    const profileDir = process.env.LIENTHONG_BENCH_PORTAL_PROFILE;
    const servers = await startServers({ databaseUrl: temp.url, processes, nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [] });
    try {
      const paths: Record<Target, string[]> = {
        static: [await stylesheetPath(servers)],
        results: resultsPaths({ seed: 11, count: plan.resultsPaths, unitCodes: data.communes, records: plan.records, repeatRate: REPEAT_RATE, secondPages: SECOND_PAGES }),
        record: recordPaths({ seed: 12, count: 20_000, ids: data.ids }),
      };
      // The first search of a process loads its facet arrays: done here, not in the measured time.
      const encodings: Record<Target, string | null> = {
        static: await check(servers, paths.static[0]!, /\S/),
        results: await check(servers, '/search?q=l%E1%BB%8Bch+s%E1%BB%AD', /class="results"/),
        record: await check(servers, paths.record[0]!, /<h1/),
      };
      ctx.log(`  ${processes} server process${processes > 1 ? 'es' : ''} up; ${plan.warmSearches} searches each to warm up …`);
      const warmPaths = resultsPaths({ seed: 99, count: plan.warmSearches, unitCodes: data.communes, records: plan.records, repeatRate: 0, secondPages: SECOND_PAGES });
      const warmSeconds = await warm(servers, warmPaths);
      await touch(temp.url, data.ids.min);
      const targets = {} as Record<Target, TargetOutcome>;
      for (const target of TARGETS) {
        ctx.log(`  ${TARGET_LABEL[target]}: ${plan.warmup} s warm-up, ${plan.seconds} s measured …`);
        const job = { bases: servers.urls, paths: paths[target], connections: CONNECTIONS, headers: HEADERS, clients: CLIENTS };
        const warmed = await runLoad({ ...job, start: 0, seconds: plan.warmup });
        const cpu0 = servers.cpuSeconds();
        const r = await runLoad({ ...job, start: warmed.next, seconds: plan.seconds });
        const cpu1 = servers.cpuSeconds();
        for (const x of [warmed, r]) {
          if (x.non2xx > 0 || x.errors > 0) {
            const logged = servers.errors();
            throw new BenchFailure(
              `${TARGET_LABEL[target]}: ${x.non2xx} non-2xx answers (${JSON.stringify(x.statuses)}) and ${x.errors} connection errors (${x.timeouts} timeouts)` +
                (logged.length > 0 ? `; the servers logged:\n${logged.join('\n')}` : ''),
            );
          }
        }
        const cpuMsPerRequest = cpu0 === null || cpu1 === null || r.requests === 0 ? null : (1000 * (cpu1 - cpu0)) / r.requests;
        targets[target] = { ...r, cpuMsPerRequest, load: loadavg()[0]!, encoding: encodings[target] };
      }
      return { dialect, records: plan.records, items: data.items, loadSeconds: data.loadSeconds, reindexSeconds: data.reindexSeconds, processes, warmSeconds, targets };
    } finally {
      await servers.close();
    }
  } finally {
    await temp.drop();
  }
}

export async function run(ctx: BenchContext): Promise<void> {
  const plan = PLANS[ctx.size];
  const processes = processCount();
  for (const dialect of ctx.dialects) {
    const o = await runOn(ctx, dialect, plan, processes);
    const ceiling = o.targets.static;
    ctx.log('');
    ctx.log(
      `[${o.dialect}] ${formatCount(o.records)} records, ${formatCount(o.items)} items; ${o.processes} server process${o.processes > 1 ? 'es' : ''} ` +
        `(warmed by ${plan.warmSearches} searches each in ${f1(o.warmSeconds)} s), ${CONNECTIONS} connections, ${plan.seconds} s per target after ${plan.warmup} s of load`,
    );
    const rows = TARGETS.map((t) => {
      const r = o.targets[t];
      return [
        TARGET_LABEL[t],
        formatCount(r.requests),
        formatCount(r.perSecond),
        f1(r.p50),
        f1(r.p95),
        f1(r.p99),
        String(r.non2xx + r.errors),
        `${f1(r.meanBytes / 1024)} ${r.encoding ?? 'identity'}`,
        r.cpuMsPerRequest === null ? '?' : r.cpuMsPerRequest.toFixed(2),
        t === 'static' ? '1' : (r.perSecond / ceiling.perSecond).toFixed(3),
        r.load.toFixed(2),
      ];
    });
    ctx.log(formatTable(['target', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'errors', 'KiB/resp', 'server CPU ms/req', '÷ static req/s', 'load'], rows));
    const results = o.targets.results;
    ctx.log(
      `  results pages: p95 ${f1(results.p95)} ms against the goal of ${GOAL_P95_MS} ms: ${results.p95 <= GOAL_P95_MS ? 'met' : 'NOT met'}; ` +
        `${(100 * results.repeatShare).toFixed(0)} % of its requests repeated an earlier URL${results.wrapped ? ' (the list ran out and started again: more repeats than the mix has)' : ''}`,
    );
    const file = writeResult(ctx.outDir, `portal-${o.dialect}`, { benchmark: 'portal', size: ctx.size, machine: machine(), connections: CONNECTIONS, ...o });
    ctx.log(`result: ${file}`);
  }
}
