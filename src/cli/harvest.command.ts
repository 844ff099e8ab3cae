/**
 * OAI-PMH harvesting on the command line:
 * - `lienthong harvest <source-code>`: harvests one source now, in this process;
 * - `lienthong harvest --all-due`: every enabled source whose scheduled time has come (for cron,
 *   on an installation that runs no server or worker).
 *
 * What is said about the harvest (pages as they land, records not taken, why it stopped) goes to
 * stderr; one summary line per source (tab-separated) goes to stdout. Exit status 1 when a harvest
 * failed. A failed harvest continues from where it stopped the next time it runs.
 */
import type { Command } from 'commander';
import { hasMessage } from '../i18n/i18n.js';
import { decodeProblem } from '../app/interop/harvest-map.js';
import type { HarvestSource } from '../app/interop/harvest.ports.js';
import type { Container } from '../main/container.js';
import { CliError, contextFor, type CliContext, type CliDeps } from './context.js';

/** Records not taken that are listed on stderr, per source; the staff page lists them all. */
const ERROR_LINES = 20;

async function harvestOne(ctx: CliContext, c: Container, s: HarvestSource): Promise<boolean> {
  const { t } = ctx;
  ctx.note(t('harvest.cli.started', { code: s.code, url: s.baseUrl }));
  const last = await c.store.harvest.latestRun(s.id);
  if (last && last.status !== 'done' && last.resumptionToken) ctx.note(t('harvest.cli.resumed', { run: last.id }));
  const out = await c.services.harvest.harvest(s.id, {
    onPage: (run) => ctx.note(t('harvest.cli.page', { pages: run.pages, added: run.added, updated: run.updated, deleted: run.deleted, failed: run.failed })),
  });
  const r = out.run;
  for (const e of await c.store.harvest.errorsOf(r.id, { limit: ERROR_LINES })) {
    const p = decodeProblem(e.message);
    const key = `harvest.recordProblem.${p.code}`;
    const text = hasMessage(key) ? t(key, { count: p.detail ?? '' }) : p.code;
    const detail = [...(p.rules ?? []).map((x) => `${x.tag ?? ''} ${x.code}`.trim()), ...(p.detail && p.code !== 'hasItems' ? [p.detail] : [])];
    ctx.note(t('harvest.cli.recordError', { identifier: e.identifier ?? '?', problem: detail.length ? `${text} (${detail.join('; ')})` : text }));
  }
  ctx.out(t('harvest.cli.summary', { code: s.code, run: r.id, status: r.status, pages: r.pages, added: r.added, updated: r.updated, deleted: r.deleted, failed: r.failed }));
  if (!out.failure) return true;
  const key = `harvest.fail.${out.failure.code}`;
  ctx.note(t('harvest.cli.failed', { code: s.code, reason: hasMessage(key) ? t(key) : out.failure.code, detail: out.failure.detail }));
  return false;
}

export function registerHarvest(program: Command, deps: CliDeps): void {
  program
    .command('harvest')
    .summary('harvest records from an OAI-PMH repository now')
    .description(
      'Harvest one OAI-PMH source (by its code, as set on the staff page /staff/harvest) into the union catalogue now, ' +
        'or with --all-due every enabled source whose scheduled time has come. Each harvest asks only for what changed ' +
        'since the last complete one; a harvest that failed continues from the page where it stopped.',
    )
    .argument('[source]', 'the code of the harvest source')
    .option('--all-due', 'harvest every enabled source that is due on its schedule')
    .addHelpText(
      'after',
      `
Output: one line per source on stdout (code, run, status, pages, new, updated, deleted, failed);
progress and the records that could not be taken on stderr.

Examples:
  $ lienthong harvest DSPACE-DHKG
  $ lienthong harvest --all-due

Exit status 1 when a harvest failed.`,
    )
    .action(async (code: string | undefined, opts: { allDue?: boolean }, cmd: Command) => {
      if (!code && !opts.allDue) throw new CliError('give the code of a source, or --all-due', 2);
      if (code && opts.allDue) throw new CliError('give either the code of a source or --all-due, not both', 2);
      const ctx = contextFor(cmd, deps);
      await ctx.withContainer(async (c) => {
        const sources = code ? [await c.services.harvest.sourceByCode(code)] : await c.services.harvest.takeDue();
        if (sources.length === 0) ctx.note(ctx.t('harvest.cli.noneDue'));
        let ok = true;
        for (const s of sources) ok = (await harvestOne(ctx, c, s)) && ok;
        if (!ok) process.exitCode = 1;
      });
    });
}
