/**
 * Benchmark `search`: discovery search over a generated Vietnamese union catalogue (see
 * `bench/search/generate.ts`: titles, authors, subjects and publishers from realistic
 * vocabularies with Zipf-like word frequencies; 1–20 copies per record across 300 units).
 *
 * 1. Loads the catalogue without indexing, then times a full `reindex` (the goal: a million
 *    records in two minutes) and reports the index's size.
 * 2. Runs the query mix (one word, two words, no tones, exact tones, phrase, field, facet-filtered,
 *    scoped to a commune, broad) through `SearchService.search` with facets on, page size 20:
 *    once over distinct queries, once with a realistic repeat rate. Latency p50/p95/p99 and
 *    queries per second, per category and over the whole mix.
 * 3. Side by side, in the same run on the same database:
 *    (a) the raw engine: the same compiled match expression straight to FTS5 (`MATCH … ORDER BY
 *        rank LIMIT 20` plus a count) or PostgreSQL (`@@ … ORDER BY ts_rank LIMIT 20` plus a
 *        count) — no folding, facets or our ranking: what our layer costs on top;
 *    (b) the naive scan a developer would otherwise write: `title LIKE '%word%'` for each word
 *        plus a count, on `bib_records` (on a sample of the queries at full size: it is slow) —
 *        and how many of our hits it finds (it cannot match a query typed without tones);
 *    (c) SQLite: every phrase of the mix (quoted, or the syllables of one unquoted word) matched
 *        through our index as pairs of adjacent words (`src/adapters/search/pairs.ts`) and word
 *        by word, on the same table: time per phrase and the ratio; the run fails if the two
 *        ever find different records.
 *
 *     npm run bench -- search [--size small|full] [--dialect sqlite|postgres|both]
 */
import { sql } from 'kysely';
import { createContainer, type Container } from '../src/main/container.js';
import { createStore } from '../src/adapters/db/store.js';
import { fts5Query, SqliteSearchIndex } from '../src/adapters/search/sqlite.js';
import type { MatchExpr } from '../src/domain/search/compile.js';
import { PostgresSearchIndex, tsQuery } from '../src/adapters/search/postgres.js';
import { compileQuery } from '../src/domain/search/compile.js';
import { parseQuery } from '../src/domain/search/query.js';
import { syllables } from '../src/text/vi.js';
import { BenchFailure, type BenchContext, type BenchDialect, type Size } from './lib/context.js';
import { formatCount, formatTable, machine, writeResult } from './lib/measure.js';
import { loadCatalogue } from './search/generate.js';
import { QUERY_CATEGORIES, queryMix, type BenchQuery } from './search/queries.js';

const PLANS: Record<Size, { records: number; queries: number; likeQueries: number }> = {
  small: { records: 20_000, queries: 270, likeQueries: 45 },
  full: { records: 1_000_000, queries: 1_800, likeQueries: 90 },
};

interface Stats {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  qps: number;
}

function stats(ms: number[]): Stats {
  const s = [...ms].sort((a, b) => a - b);
  const at = (q: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] ?? 0;
  const total = s.reduce((a, b) => a + b, 0);
  return { count: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), mean: total / Math.max(s.length, 1), qps: (1000 * s.length) / Math.max(total, 1e-9) };
}

const f1 = (x: number) => x.toFixed(1);

interface Outcome {
  dialect: BenchDialect;
  records: number;
  items: number;
  loadSeconds: number;
  reindexSeconds: number;
  reindexThreads: number;
  indexBytes: number | null;
  documents: number;
  ours: Record<string, Stats>;
  oursRepeat: Stats;
  raw: Record<string, Stats>;
  like: Stats;
  likeRecall: number;
  oursOnLikeSample: Stats;
  /** Phrases matched by pairs and word by word, on the same index. */
  phrases: { byPairs: Stats; wordwise: Stats; hits: number } | null;
}

function hasPhrase(e: MatchExpr): boolean {
  switch (e.op) {
    case 'phrase':
      return true;
    case 'tok':
      return false;
    case 'not':
      return hasPhrase(e.arg);
    default:
      return e.args.some(hasPhrase);
  }
}

/**
 * (c): the mix's expressions that hold a phrase, matched through two indexes on the same
 * tables, one asking phrases as pairs and one word by word; alternating which goes first.
 */
async function phraseSideBySide(c: Container, exprs: MatchExpr[]): Promise<Outcome['phrases']> {
  const reader = () => c.handle.reader ?? c.handle.sqlite!;
  type Index = SqliteSearchIndex | PostgresSearchIndex;
  const byPairs: Index = c.handle.dialect === 'sqlite' ? new SqliteSearchIndex(c.handle.db, reader) : new PostgresSearchIndex(c.handle.db);
  const wordwise: Index = c.handle.dialect === 'sqlite' ? new SqliteSearchIndex(c.handle.db, reader, { pairs: false }) : new PostgresSearchIndex(c.handle.db, { pairs: false });
  const a: number[] = [];
  const b: number[] = [];
  let hits = 0;
  for (const [i, e] of exprs.entries()) {
    const timed = async (index: Index, out: number[]) => {
      const t0 = performance.now();
      const ids = await index.match(e);
      out.push(performance.now() - t0);
      return ids;
    };
    let p: Uint32Array;
    let w: Uint32Array;
    if (i % 2 === 0) {
      p = await timed(byPairs, a);
      w = await timed(wordwise, b);
    } else {
      w = await timed(wordwise, b);
      p = await timed(byPairs, a);
    }
    // The same records; PostgreSQL's `string_agg` promises no order.
    p = p.slice().sort();
    w = w.slice().sort();
    if (p.length !== w.length || p.some((id, k) => id !== w[k])) throw new BenchFailure(`phrases by pairs and word by word differ for ${c.handle.dialect === 'sqlite' ? fts5Query(e) : tsQuery(e)}: ${p.length} vs ${w.length} records`);
    hits += p.length;
  }
  return { byPairs: stats(a), wordwise: stats(b), hits };
}

async function runOn(ctx: BenchContext, dialect: BenchDialect, size: Size): Promise<Outcome> {
  const plan = PLANS[size];
  const temp = await ctx.tempDatabase(dialect);
  let c: Container | undefined;
  try {
    c = await createContainer({ databaseUrl: temp.url, poolSize: 4 });
    // Loaded through a store without the indexer: the index is then built by a full reindex.
    const bare = createStore(c.handle);
    ctx.log(`[${dialect}] loading ${formatCount(plan.records)} records …`);
    let lastLog = Date.now();
    const loaded = await loadCatalogue(
      { store: bare, services: c.services },
      {
        records: plan.records,
        seed: 7,
        onProgress: (p) => {
          if (Date.now() - lastLog > 15_000) {
            lastLog = Date.now();
            ctx.log(`  ${formatCount(p.records)} records, ${formatCount(p.items)} items …`);
          }
        },
      },
    );
    ctx.log(`  loaded in ${f1(loaded.seconds)} s (${formatCount(loaded.items)} items); reindexing …`);
    lastLog = Date.now();
    const re = await c.services.reindex.rebuild({
      onProgress: (p) => {
        if (Date.now() - lastLog > 15_000) {
          lastLog = Date.now();
          ctx.log(`  ${formatCount(p.done)} / ${formatCount(p.total)} …`);
        }
      },
    });
    if (re.documents !== plan.records) throw new BenchFailure(`reindex built ${re.documents} documents for ${plan.records} records`);
    const size_ = await c.store.search.size();
    ctx.log(`  reindex: ${f1(re.seconds)} s with ${re.threads} build threads; index ${size_.bytes === null ? '?' : `${(size_.bytes / 2 ** 20).toFixed(0)} MiB`}`);

    const communes = loaded.tree.communes.map((u) => u.code);
    const unitIds = new Map(loaded.tree.units.map((u) => [u.code, u.id]));
    const search = c.services.search;
    const ask = (q: BenchQuery) =>
      search.search({
        q: q.q,
        filters: q.filters ? { language: q.filters.language, material: q.filters.material, yearFrom: q.filters.yearFrom, yearTo: q.filters.yearTo } : undefined,
        heldUnder: q.scopeUnit ? unitIds.get(q.scopeUnit) : null,
        facets: true,
        pageSize: 20,
      });

    // Warm up: the first queries open files and fill caches.
    for (const q of queryMix({ seed: 99, count: 30, unitCodes: communes, records: plan.records })) await ask(q);

    const mix = queryMix({ seed: 1, count: plan.queries, unitCodes: communes, repeatRate: 0, records: plan.records });
    const byCat = new Map<string, number[]>();
    const all: number[] = [];
    const rawByCat = new Map<string, number[]>();
    const rawAll: number[] = [];
    const raw = rawRunner(c, dialect);
    const phraseExprs: MatchExpr[] = [];
    ctx.log(`  ${mix.length} queries, each also sent to the raw engine …`);
    let lastNote = Date.now();
    for (const [n, q] of mix.entries()) {
      if (Date.now() - lastNote > 30_000) {
        lastNote = Date.now();
        ctx.log(`  ${n} / ${mix.length} …`);
      }
      const t0 = performance.now();
      const r = await ask(q);
      const ms = performance.now() - t0;
      if (r.total < 0) throw new BenchFailure('negative total');
      (byCat.get(q.category) ?? byCat.set(q.category, []).get(q.category)!).push(ms);
      all.push(ms);
      const compiled = compileQuery(parseQuery(q.q).node, { heldUnder: q.scopeUnit ? unitIds.get(q.scopeUnit) : null });
      if (compiled.expr) {
        if (hasPhrase(compiled.expr)) phraseExprs.push(compiled.expr);
        const t1 = performance.now();
        await raw(compiled.expr);
        const rms = performance.now() - t1;
        (rawByCat.get(q.category) ?? rawByCat.set(q.category, []).get(q.category)!).push(rms);
        rawAll.push(rms);
      }
    }
    const ours: Record<string, Stats> = { all: stats(all) };
    for (const cat of QUERY_CATEGORIES) ours[cat] = stats(byCat.get(cat) ?? []);
    const rawStats: Record<string, Stats> = { all: stats(rawAll) };
    for (const cat of QUERY_CATEGORIES) rawStats[cat] = stats(rawByCat.get(cat) ?? []);

    const repeat = queryMix({ seed: 2, count: plan.queries, unitCodes: communes, repeatRate: 0.4, records: plan.records });
    ctx.log('  again with 40% repeated queries, then the LIKE scan …');
    const rep: number[] = [];
    for (const q of repeat) {
      const t0 = performance.now();
      await ask(q);
      rep.push(performance.now() - t0);
    }

    // The naive LIKE scan, on a sample; recall: how many of our hits it finds.
    const sample = mix.filter((q) => !q.q.includes(':') && !q.scopeUnit && !q.filters).slice(0, plan.likeQueries);
    const likeMs: number[] = [];
    const oursSample: number[] = [];
    let ourHits = 0;
    let likeHits = 0;
    for (const q of sample) {
      const words = syllables(q.q.replace(/["*()-]/gu, ' ')).filter((w) => !['and', 'or', 'not'].includes(w));
      if (words.length === 0) continue;
      const t0 = performance.now();
      const n = await likeScan(c, words);
      likeMs.push(performance.now() - t0);
      const t1 = performance.now();
      const r = await ask(q);
      oursSample.push(performance.now() - t1);
      likeHits += Math.min(n, r.total);
      ourHits += r.total;
    }
    ctx.log(`  ${phraseExprs.length} queries with a phrase, by pairs and word by word …`);
    const phrases = await phraseSideBySide(c, phraseExprs);
    return {
      phrases,
      dialect,
      records: plan.records,
      items: loaded.items,
      loadSeconds: loaded.seconds,
      reindexSeconds: re.seconds,
      reindexThreads: re.threads,
      indexBytes: size_.bytes,
      documents: re.documents,
      ours,
      oursRepeat: stats(rep),
      raw: rawStats,
      like: stats(likeMs),
      likeRecall: ourHits === 0 ? 1 : likeHits / ourHits,
      oursOnLikeSample: stats(oursSample),
    };
  } finally {
    await c?.close();
    await temp.drop();
  }
}

/** The engine alone: the compiled expression, its top 20 by the engine's own rank, and a count. */
function rawRunner(c: Container, dialect: BenchDialect): (expr: NonNullable<ReturnType<typeof compileQuery>['expr']>) => Promise<number> {
  if (dialect === 'sqlite') {
    const db = c.handle.reader!;
    const top = db.prepare('select rowid from search_fts where search_fts match ? order by rank limit 20');
    const count = db.prepare('select count(*) from search_fts where search_fts match ?').pluck();
    return async (expr) => {
      const q = fts5Query(expr);
      top.all(q);
      return Number(count.get(q));
    };
  }
  return async (expr) => {
    const q = tsQuery(expr);
    await sql`select id from search_match where tsv @@ ${q}::tsquery order by ts_rank(tsv, ${q}::tsquery) desc limit 20`.execute(c.handle.db);
    const r = await sql<{ n: string }>`select count(*) as n from search_match where tsv @@ ${q}::tsquery`.execute(c.handle.db);
    return Number(r.rows[0]!.n);
  };
}

/** What a developer would write: every word somewhere in the title, first page and a count. */
async function likeScan(c: Container, words: string[]): Promise<number> {
  const cond = words.map((w) => sql`lower(title) like ${`%${w}%`}`);
  const where = sql.join(cond, sql` and `);
  await sql`select id, title from bib_records where ${where} limit 20`.execute(c.handle.db);
  const r = await sql<{ n: number | string }>`select count(*) as n from bib_records where ${where}`.execute(c.handle.db);
  return Number(r.rows[0]!.n);
}

export async function run(ctx: BenchContext): Promise<void> {
  // Each database's figures are printed and saved as soon as its run ends.
  for (const dialect of ctx.dialects) {
    const o = await runOn(ctx, dialect, ctx.size);
    ctx.log('');
    ctx.log(`[${o.dialect}] ${formatCount(o.records)} records, ${formatCount(o.items)} items; reindex ${f1(o.reindexSeconds)} s (${o.reindexThreads} build threads); index ${o.indexBytes === null ? '?' : `${(o.indexBytes / 2 ** 20).toFixed(0)} MiB`}`);
    const rows = ['all', ...QUERY_CATEGORIES].map((cat) => {
      const s = o.ours[cat]!;
      const r = o.raw[cat]!;
      return [cat, String(s.count), f1(s.p50), f1(s.p95), f1(s.p99), formatCount(s.qps), f1(r.p50), f1(r.p95), r.p95 > 0 ? (s.p95 / r.p95).toFixed(2) : '–'];
    });
    ctx.log(formatTable(['queries (facets on)', 'n', 'p50 ms', 'p95 ms', 'p99 ms', 'q/s', 'raw p50', 'raw p95', 'ours ÷ raw p95'], rows));
    ctx.log(`  with 40% repeated queries: p50 ${f1(o.oursRepeat.p50)} ms, p95 ${f1(o.oursRepeat.p95)} ms, p99 ${f1(o.oursRepeat.p99)} ms, ${formatCount(o.oursRepeat.qps)} q/s`);
    ctx.log(
      `  naive LIKE scan on ${o.like.count} plain queries: p50 ${f1(o.like.p50)} ms, p95 ${f1(o.like.p95)} ms (ours on the same: p50 ${f1(o.oursOnLikeSample.p50)}, p95 ${f1(o.oursOnLikeSample.p95)}; ` +
        `LIKE ÷ ours p50 ${(o.like.p50 / Math.max(o.oursOnLikeSample.p50, 1e-9)).toFixed(1)}×); LIKE finds ${(100 * o.likeRecall).toFixed(0)}% of our hits`,
    );
    if (o.phrases) {
      const { byPairs: p, wordwise: w } = o.phrases;
      ctx.log(
        `  phrases (${p.count} queries, ${formatCount(o.phrases.hits)} records found, the same both ways): by pairs mean ${p.mean.toFixed(2)} ms, p95 ${f1(p.p95)} ms; ` +
          `word by word mean ${w.mean.toFixed(2)} ms, p95 ${f1(w.p95)} ms; word by word ÷ pairs (mean) ${(w.mean / Math.max(p.mean, 1e-9)).toFixed(2)}×`,
      );
    }
    const file = writeResult(ctx.outDir, `search-${o.dialect}`, { benchmark: 'search', size: ctx.size, machine: machine(), ...o });
    ctx.log(`result: ${file}`);
  }
}
