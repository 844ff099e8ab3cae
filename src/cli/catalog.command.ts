/**
 * `lienthong import marc` and `lienthong export marc`: the union catalogue in and out.
 *
 * An import runs as a durable job in this process, with a progress bar on a terminal. Running
 * the same command again after an interruption resumes the job where it stopped.
 */
import { createWriteStream } from 'node:fs';
import { access } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { once } from 'node:events';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { systemActor } from '../app/actor.js';
import { IMPORT_POLICIES, type ImportSummary } from '../app/import.service.js';
import { EXPORT_FORMATS, type ExportFormat } from '../app/export.service.js';
import { AppError } from '../domain/errors.js';
import { contextFor, CliError, type CliContext, type CliDeps } from './context.js';

function reason(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function describeProblem(ctx: CliContext, p: { code: string; params?: Record<string, unknown> }): string {
  const params = p.params ?? {};
  if (typeof params.message === 'string') return params.message;
  const rest = Object.entries(params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');
  return rest ? `${p.code} (${rest})` : p.code;
}

export function registerCatalog(program: Command, deps: CliDeps): void {
  const imp = program.command('import').summary('import records into the union catalogue').description('Import records into the union catalogue.');
  imp
    .command('marc')
    .summary('import a MARC file (ISO 2709, MARCXML or MARC-in-JSON, gzipped or not)')
    .description(
      'Import a MARC21 file into the union catalogue for a library: records are matched against the catalogue ' +
        '(001+003, ISBN, ISSN, 035, then title/author/year) and handled by the policy; holdings come from 852 or ' +
        'Koha-style 952 fields, or are assigned to the library. Runs as a resumable job: after an interruption, ' +
        'run the same command again and it continues where it stopped, creating nothing twice.',
    )
    .argument('<file>', 'the file to import (format recognised from its content)')
    .requiredOption('--library <code>', 'the library (unit code) the records and holdings are for')
    .addOption(new Option('--policy <policy>', 'when a record matches one in the catalogue: attach holdings to it, replace it, or keep both').choices(IMPORT_POLICIES).default('attach'))
    .option('--strict', 'reject damaged records instead of repairing them with warnings')
    .option('--again', 'import a file that was already imported into this library, as a new job')
    .option('--report <file>', 'write the result of every record to this CSV file')
    .addHelpText(
      'after',
      `
Examples:
  $ lienthong import marc koha-export.mrc --library TVKG
  $ lienthong import marc records.xml.gz --library HD --policy replace
  $ lienthong import marc nlv.mrc --library TVKG --report nlv-report.csv

Exit status 1 when the job failed or some records were rejected.`,
    )
    .action(async (file: string, opts: { library: string; policy: string; strict?: boolean; again?: boolean; report?: string }, cmd: Command) => {
      const ctx = contextFor(cmd, deps);
      const path = resolve(file);
      try {
        await access(path);
      } catch (e) {
        throw new CliError(ctx.say('catalog.readFailed', { file, reason: reason(e) }));
      }
      await ctx.withContainer(async (c) => {
        const actor = systemActor('cli');
        const unit = await c.services.org.getByCode(opts.library);
        const { job, resumed } = await c.services.imports.start(actor, { path, fileName: basename(file), unitId: unit.id, policy: opts.policy, strict: opts.strict ?? false, again: opts.again ?? false });
        ctx.note(ctx.say(resumed ? 'catalog.importResumed' : 'catalog.importStarted', { job: job.id, file: basename(file), unit: unit.code, done: job.checkpoint }));
        const bar = process.stderr.isTTY
          ? new cliProgress.SingleBar(
              { format: `${ctx.say('catalog.progress')} [{bar}] {percentage}% | {records} | {eta_formatted}`, stream: process.stderr, clearOnComplete: true, etaBuffer: 20 },
              cliProgress.Presets.shades_classic,
            )
          : undefined;
        bar?.start(Number(job.progressTotal ?? 1), 0, { records: job.checkpoint });
        let lastNote = Date.now();
        const finished = await c.services.imports.run(job.id, {
          owner: `cli:${process.pid}`,
          onProgress: (p) => {
            bar?.update(p.bytesRead, { records: p.summary.read });
            if (!bar && Date.now() - lastNote > 10_000) {
              lastNote = Date.now();
              ctx.note(ctx.say('catalog.progressLine', { records: p.summary.read, percent: Math.floor((100 * p.bytesRead) / Math.max(p.size, 1)) }));
            }
          },
        });
        bar?.stop();
        const s = (finished.summary ?? {}) as Partial<ImportSummary>;
        ctx.note(ctx.say('catalog.importSummary', { read: s.read ?? 0, created: s.created ?? 0, matched: s.matched ?? 0, merged: s.merged ?? 0, rejected: s.rejected ?? 0, items: s.itemsAdded ?? 0, warnings: s.warnings ?? 0 }));
        // The rejected records, and where the report is.
        let shown = 0;
        let after: number | undefined;
        for (;;) {
          const rejected = await c.services.imports.results(job.id, { outcome: 'rejected', afterSeq: after, limit: 500 });
          for (const r of rejected) {
            if (shown < 20) ctx.note(`  #${r.seq}: ${r.problems.filter((p) => p.severity === 'error').map((p) => describeProblem(ctx, p)).join('; ')}`);
            shown++;
          }
          if (rejected.length < 500) break;
          after = rejected[rejected.length - 1]!.seq;
        }
        if (shown > 20) ctx.note(ctx.say('catalog.moreRejected', { count: shown - 20 }));
        if (opts.report) {
          const out = createWriteStream(opts.report);
          out.write('\uFEFFseq,outcome,record_id,matched_on,title,items_added,problems\n');
          let afterSeq: number | undefined;
          for (;;) {
            const rows = await c.services.imports.results(job.id, { afterSeq, limit: 2000 });
            for (const r of rows) {
              const cells = [r.seq, r.outcome, r.recordId ?? '', r.matchedOn ?? '', r.title ?? '', r.itemsAdded, r.problems.map((p) => describeProblem(ctx, p)).join('; ')];
              if (!out.write(cells.map((v) => (/[",\n\r]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(',') + '\n')) await once(out, 'drain');
            }
            if (rows.length < 2000) break;
            afterSeq = rows[rows.length - 1]!.seq;
          }
          out.end();
          await once(out, 'finish');
          ctx.note(ctx.say('catalog.reportWritten', { file: opts.report }));
        }
        if (finished.status === 'failed') {
          let msg = finished.error ?? '';
          try {
            const e = JSON.parse(msg) as { code: string; params: Record<string, string | number> };
            msg = ctx.t(`error.${e.code}` as never, e.params);
          } catch {
            // not one of ours: shown as it is
          }
          throw new CliError(ctx.say('catalog.importFailed', { job: job.id, reason: msg }));
        }
        if ((s.rejected ?? 0) > 0) process.exitCode = 1;
      });
    });

  const exp = program.command('export').summary('export from the union catalogue').description('Export from the union catalogue.');
  exp
    .command('marc')
    .summary('export records as ISO 2709, MARCXML, MARC-in-JSON or CSV')
    .description(
      'Export the whole union catalogue, or the records one library (and the libraries under it) holds, streamed ' +
        'to standard output or a file. Records carry their holdings as Koha-style 952 fields (or 852, or none).',
    )
    .addOption(new Option('--format <format>', 'output format').choices(EXPORT_FORMATS).default('iso2709'))
    .option('--library <code>', 'only records this library (or one under it) holds, with its items')
    .option('--ids <list>', 'only these record ids, separated by commas')
    .addOption(new Option('--holdings <style>', 'how items are written').choices(['952', '852', 'none']).default('952'))
    .option('--output <file>', 'write to this file instead of standard output')
    .addHelpText(
      'after',
      `
Examples:
  $ lienthong export marc --format marcxml --output catalogue.xml
  $ lienthong export marc --library HD --format csv > hon-dat.csv
  $ lienthong export marc --format iso2709 | gzip > catalogue.mrc.gz`,
    )
    .action(async (opts: { format: ExportFormat; library?: string; ids?: string; holdings: '952' | '852' | 'none'; output?: string }, cmd: Command) => {
      const ctx = contextFor(cmd, deps);
      let ids: number[] | undefined;
      if (opts.ids !== undefined) {
        ids = opts.ids.split(',').map((s) => Number(s.trim()));
        if (ids.some((n) => !Number.isInteger(n) || n <= 0)) throw new CliError(ctx.say('catalog.idsInvalid', { ids: opts.ids }), 2);
      }
      await ctx.withContainer(async (c) => {
        const actor = systemActor('cli');
        const unitId = opts.library ? (await c.services.org.getByCode(opts.library)).id : undefined;
        const sel = { unitId, ids, holdings: opts.holdings };
        await c.services.exports.authorize(actor, sel);
        const out = opts.output ? createWriteStream(opts.output) : process.stdout;
        let skipped = 0;
        try {
          for await (const chunk of c.services.exports.stream(opts.format, sel, (issue) => {
            skipped++;
            ctx.note(ctx.say('catalog.exportSkipped', { reason: issue.message }));
          })) {
            if (!out.write(chunk)) await once(out, 'drain');
          }
        } catch (e) {
          if (e instanceof AppError) throw e;
          throw new CliError(ctx.say('catalog.writeFailed', { reason: reason(e) }));
        }
        if (opts.output) {
          (out as ReturnType<typeof createWriteStream>).end();
          await once(out, 'finish');
          ctx.note(ctx.say('catalog.exportWritten', { file: opts.output }));
        }
        if (skipped > 0) process.exitCode = 1;
      });
    });
}
