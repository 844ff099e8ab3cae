/**
 * `lienthong search "<query>"` — the discovery search from a terminal, for staff and scripts —
 * and `lienthong reindex`, which rebuilds the search index while search keeps answering.
 */
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { SORTS, type SearchSort } from '../app/search/search.service.js';
import { contextFor, CliError, type CliDeps } from './context.js';

export function registerSearch(program: Command, deps: CliDeps): void {
  program
    .command('search')
    .summary('search the union catalogue')
    .description(
      'Search the union catalogue as readers do: words in any order, with or without tone marks; "phrases"; ' +
        'fields title: author: subject: isbn: issn: publisher: year: callnumber: series:; AND, OR, NOT, -word; word*.',
    )
    .argument('<query>', 'what to look for')
    .option('--library <code>', 'only records held in this library or below it')
    .option('--available <code>', 'only records with a copy on the shelf in this library or below it')
    .addOption(new Option('--sort <sort>', 'order of results').choices(SORTS).default('relevance'))
    .option('--page <n>', 'page of results', '1')
    .option('--limit <n>', 'results per page (at most 100)', '20')
    .option('--json', 'print the whole answer (results, facets, suggestions) as JSON')
    .addHelpText(
      'after',
      `
Examples:
  $ lienthong search "thu vien kien giang"
  $ lienthong search 'author:"nguyen du" truyen kieu' --library TVKG
  $ lienthong search "lich su" --sort newest --json`,
    )
    .action(async (query: string, opts: { library?: string; available?: string; sort: SearchSort; page: string; limit: string; json?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd, deps);
      const page = Number(opts.page);
      const pageSize = Number(opts.limit);
      if (!Number.isInteger(page) || page < 1) throw new CliError(`--page: ${opts.page}`, 2);
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 100) throw new CliError(`--limit: ${opts.limit}`, 2);
      await ctx.withContainer(async (c) => {
        const heldUnder = opts.library ? (await c.services.org.getByCode(opts.library)).id : null;
        const availableUnder = opts.available ? (await c.services.org.getByCode(opts.available)).id : null;
        const started = performance.now();
        const r = await c.services.search.search({ q: query, heldUnder, availableUnder, sort: opts.sort, page, pageSize, facets: opts.json === true });
        const ms = Math.round(performance.now() - started);
        if (opts.json) {
          const facets = r.facets && Object.fromEntries(Object.entries(r.facets).map(([k, v]) => [k, v instanceof Map ? Object.fromEntries(v) : v]));
          ctx.out(JSON.stringify({ ...r, facets }, null, 2));
          return;
        }
        for (const p of r.query.problems) ctx.note(ctx.say('search.problem', { code: p.detail ? `${p.code} (${p.detail})` : p.code }));
        if (r.total === 0) ctx.note(ctx.say('search.none'));
        else ctx.note(ctx.say('search.total', { total: r.total, ms }));
        for (const hit of r.results) {
          const d = hit.display;
          const by = d.authors[0] ?? d.responsibility ?? '';
          ctx.out([hit.id, d.title, by, d.year ?? '', hit.holdings].join('\t'));
          for (const p of hit.pages) ctx.out(`\t  p. ${p.label ?? p.pageNo}: ${p.snippet.map((s) => s.text).join('')}`);
        }
        if (r.total > r.pageSize) ctx.note(ctx.say('search.page', { page: r.page, pages: Math.ceil(r.total / r.pageSize) }));
        if (r.didYouMean) ctx.note(ctx.say('search.didYouMean', { text: r.didYouMean.text, hits: r.didYouMean.hits }));
      });
    });

  program
    .command('reindex')
    .summary('rebuild the search index')
    .description(
      'Rebuild the search index from the catalogue. Search keeps answering from the current index until the new one ' +
        'is complete; records changed meanwhile are indexed again before the switch.',
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextFor(cmd, deps);
      await ctx.withContainer(async (c) => {
        const total = await c.store.catalog.countRecords();
        ctx.note(ctx.say('reindex.started', { total }));
        const bar = process.stderr.isTTY
          ? new cliProgress.SingleBar({ format: `${ctx.say('reindex.progress')} [{bar}] {percentage}% | {value}/{total} | {eta_formatted}`, stream: process.stderr, clearOnComplete: true, etaBuffer: 50 }, cliProgress.Presets.shades_classic)
          : undefined;
        bar?.start(Math.max(total, 1), 0);
        let lastNote = Date.now();
        const s = await c.services.reindex.rebuild({
          onProgress: (p) => {
            bar?.update(p.done);
            if (!bar && Date.now() - lastNote > 10_000) {
              lastNote = Date.now();
              ctx.note(ctx.say('reindex.progressLine', { done: p.done, total: p.total }));
            }
          },
        });
        bar?.stop();
        ctx.note(ctx.say('reindex.done', { documents: s.documents, headings: s.headings, terms: s.terms, changed: s.changedDuringRebuild, seconds: s.seconds.toFixed(1) }));
      });
    });
}
