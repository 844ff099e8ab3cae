/**
 * `lienthong org …`: the library network tree — show it (today or as of a date), export and
 * import it, and record reorganisations. Writes run as the system actor labelled `cli`.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { Option, type Command } from 'commander';
import { systemActor } from '../app/actor.js';
import type { ReorganiseInput } from '../app/org.service.js';
import type { ImportReport } from '../app/org-transfer.service.js';
import { buildForest, type TreeNode, type UnitStatus } from '../domain/org/history.js';
import type { Container } from '../main/container.js';
import { CliError, contextFor, type CliContext, type CliDeps } from './context.js';
import { problemText } from './report.js';
import type { CliMessageKey } from '../i18n/cli-messages.js';
import { formatTable } from './table.js';

type Format = 'csv' | 'json';
const FORMATS: readonly Format[] = ['csv', 'json'];

/** What `org show` prints of a unit, from today's tree or the tree as of a date. */
interface ShownUnit {
  id: number;
  code: string;
  nameVi: string;
  nameEn: string;
  typeCode: string;
  parentId: number | null;
  status: UnitStatus;
  endedOn: string | null;
}

function formatFromName(file: string): Format | undefined {
  const ext = extname(file).toLowerCase().slice(1);
  return (FORMATS as readonly string[]).includes(ext) ? (ext as Format) : undefined;
}

function reason(e: unknown): string {
  return e instanceof Error ? e.message.replace(/^[A-Z]+: /, '') : String(e);
}

async function unitsToShow(c: Container, opts: { asOf?: string; closed?: boolean }): Promise<ShownUnit[]> {
  const org = c.services.org;
  if (opts.asOf === undefined) return org.list(opts.closed ? {} : { activeOnly: true });
  return org.treeAsOf(opts.asOf, { includeClosed: opts.closed ?? false });
}

function printTree(ctx: CliContext, units: readonly ShownUnit[]): void {
  const rows: string[][] = [];
  const walk = (nodes: readonly TreeNode<ShownUnit>[], depth: number) => {
    for (const { unit: u, children } of nodes) {
      rows.push(['  '.repeat(depth) + u.code, ctx.locale === 'vi' ? u.nameVi : u.nameEn, u.typeCode, u.status, u.endedOn ?? '']);
      walk(children, depth + 1);
    }
  };
  walk(buildForest(units, (a, b) => a.code.localeCompare(b.code, 'en')), 0);
  const s = ctx.say;
  for (const line of formatTable([s('org.col.code'), s('org.col.name'), s('org.col.type'), s('org.col.status'), s('org.col.since')], rows)) ctx.out(line);
}

function printImportReport(ctx: CliContext, report: ImportReport): void {
  const rows: string[][] = [];
  for (const r of report.rows) {
    const problems = r.problems.map((p) => problemText(ctx.t, ctx.say, p, false));
    rows.push([String(r.row), r.code, r.action, problems[0] ?? '']);
    // Further problems of the same row go on lines of their own, under the first.
    for (const more of problems.slice(1)) rows.push(['', '', '', more]);
  }
  const s = ctx.say;
  for (const line of formatTable([s('org.col.row'), s('org.col.code'), s('org.col.action'), s('org.col.problems')], rows)) ctx.out(line);
}

interface ReorganiseOptions {
  rename?: string;
  nameEn?: string;
  moveTo?: string;
  mergeInto?: string;
  close?: boolean;
  date?: string;
  note?: string;
}

export function registerOrg(program: Command, deps: CliDeps): void {
  const org = program
    .command('org')
    .summary('the library network tree')
    .description('The library network tree: show, export, import, reorganise.')
    .addHelpText(
      'after',
      `
Examples:
  $ lienthong org show
  $ lienthong org show --as-of 2024-01-01
  $ lienthong org export --format csv --output network.csv
  $ lienthong org import network.csv --dry-run
  $ lienthong org reorganise HD --merge-into RG --date 2025-07-01`,
    );

  org
    .command('show')
    .summary('print the tree, today or as of a date')
    .description('Print the tree, indented: code, name, type, status. Today’s open units by default.')
    .option('--as-of <YYYY-MM-DD>', 'the tree as it stood at the end of that day')
    .option('--closed', 'include units that had closed or merged (by that day, with --as-of)')
    .addHelpText(
      'after',
      `
Examples:
  $ lienthong org show
  $ lienthong org show --closed
  $ lienthong --lang vi org show --as-of 2024-01-01`,
    )
    .action(async (opts: { asOf?: string; closed?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd, deps);
      await ctx.withContainer(async (c) => {
        const units = await unitsToShow(c, opts);
        if (units.length === 0 && (await c.store.org.count()) === 0) {
          ctx.note(ctx.say('org.empty'));
          return;
        }
        const count = units.filter((u) => u.status === 'active').length;
        ctx.note(opts.asOf === undefined ? ctx.say('org.today', { date: c.services.org.today(), count }) : ctx.say('org.asOf', { date: opts.asOf, count }));
        printTree(ctx, units);
      });
    });

  org
    .command('export')
    .summary('write the tree as CSV or JSON')
    .description('Write the tree as CSV or JSON (the format `org import` reads), to stdout or a file.')
    .addOption(new Option('--format <format>', 'csv or json (default: from the --output file name)').choices(FORMATS))
    .option('--output <file>', 'write to this file instead of stdout')
    .option('--as-of <YYYY-MM-DD>', 'the tree as it stood at the end of that day')
    .option('--closed', 'include closed and merged units')
    .addHelpText(
      'after',
      `
Examples:
  $ lienthong org export --format csv > network.csv
  $ lienthong org export --output network.json
  $ lienthong org export --format json --as-of 2024-12-31 --closed --output network-2024.json`,
    )
    .action(async (opts: { format?: Format; output?: string; asOf?: string; closed?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd, deps);
      const format = opts.format ?? (opts.output === undefined ? undefined : formatFromName(opts.output));
      if (format === undefined) throw new CliError(opts.output === undefined ? ctx.say('org.formatRequired') : ctx.say('org.formatUnknown', { file: opts.output }), 2);
      const content = await ctx.withContainer((c) => c.services.orgTransfer.exportTree(format, { includeClosed: opts.closed ?? false, asOf: opts.asOf }));
      if (opts.output === undefined) {
        process.stdout.write(content);
        return;
      }
      try {
        await writeFile(opts.output, content);
      } catch (e) {
        throw new CliError(ctx.say('org.writeFailed', { file: opts.output, reason: reason(e) }));
      }
      ctx.note(ctx.say('org.exported', { bytes: Buffer.byteLength(content), file: opts.output }));
    });

  org
    .command('import')
    .summary('create and update units from CSV or JSON')
    .description(
      'Create and update units from a CSV or JSON file (as `org export` writes). Prints a line per row: ' +
        'what it would do and any problems. By default nothing is written when any row has an error.',
    )
    .argument('<file>', 'the file to read')
    .addOption(new Option('--format <format>', 'csv or json (default: from the file name)').choices(FORMATS))
    .option('--partial', 'write the good rows even when other rows have errors')
    .option('--dry-run', 'check every row and report, without writing anything')
    .addHelpText(
      'after',
      `
Examples:
  $ lienthong org import network.csv --dry-run
  $ lienthong org import network.csv
  $ lienthong org import changes.txt --format csv --partial

Exit status 1 when nothing was written because of rows with errors.`,
    )
    .action(async (file: string, opts: { format?: Format; partial?: boolean; dryRun?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd, deps);
      const format = opts.format ?? formatFromName(file);
      if (format === undefined) throw new CliError(ctx.say('org.formatUnknown', { file }), 2);
      let content: string;
      try {
        content = await readFile(file, 'utf8');
      } catch (e) {
        throw new CliError(ctx.say('org.readFailed', { file, reason: reason(e) }));
      }
      const report = await ctx.withContainer((c) =>
        c.services.orgTransfer.importTree(systemActor('cli'), content, format, { partial: opts.partial ?? false, dryRun: opts.dryRun ?? false }),
      );
      printImportReport(ctx, report);
      ctx.note(ctx.say('org.summary', { rows: report.rows.length, created: report.created, updated: report.updated, unchanged: report.unchanged, errors: report.errors }));
      if (opts.dryRun) {
        ctx.note(ctx.say('org.dryRun'));
        // A dry run answers "would this import go through?".
        if (report.errors > 0 && !opts.partial) process.exitCode = 1;
      } else if (report.written) {
        ctx.note(ctx.say(report.errors > 0 ? 'org.partialWritten' : 'org.written'));
      } else if (report.errors > 0) {
        ctx.note(ctx.say('org.notWritten'));
        process.exitCode = 1;
      } else {
        ctx.note(ctx.say('org.nothingToDo'));
      }
    });

  org
    .command('reorganise')
    .summary('rename, move, merge or close a unit from a date')
    .alias('reorganize')
    .description('Record a reorganisation of a unit taking effect on a date: rename, move, merge or close — exactly one.')
    .argument('<unit code>', 'the unit that is renamed, moved, merged or closed')
    .option('--rename <nameVi>', 'new Vietnamese name')
    .option('--name-en <nameEn>', 'new English name, with --rename (default: the Vietnamese one)')
    .option('--move-to <parent code>', 'new parent unit')
    .option('--merge-into <code>', 'the unit that takes this one over (its staff and holdings move there)')
    .option('--close', 'the unit stops; it must have no open units under it')
    .option('--date <YYYY-MM-DD>', 'when it took effect: today or earlier (default: today)')
    .option('--note <text>', 'why, for the history')
    .addHelpText(
      'after',
      `
Examples:
  $ lienthong org reorganise RG --rename "Thư viện phường Rạch Giá" --name-en "Rạch Giá Ward Library" --date 2025-07-01
  $ lienthong org reorganise HD-LH --move-to TVKG --date 2025-07-01
  $ lienthong org reorganise HD --merge-into RG --date 2025-07-01 --note "Sắp xếp đơn vị hành chính"
  $ lienthong org reorganise HD-TT-CD --close --date 2023-12-31`,
    )
    .action(async (code: string, opts: ReorganiseOptions, cmd: Command) => {
      const ctx = contextFor(cmd, deps);
      const chosen = [opts.rename !== undefined, opts.moveTo !== undefined, opts.mergeInto !== undefined, opts.close === true].filter(Boolean).length;
      if (chosen !== 1) throw new CliError(ctx.say('org.oneAction'), 2);
      if (opts.nameEn !== undefined && opts.rename === undefined) throw new CliError(ctx.say('org.nameEnWithoutRename'), 2);
      await ctx.withContainer(async (c) => {
        const org = c.services.org;
        const unit = await org.getByCode(code);
        const date = opts.date ?? org.today();
        const base = { unitId: unit.id, date, ...(opts.note !== undefined ? { note: opts.note } : {}) };
        let input: ReorganiseInput;
        let done: CliMessageKey;
        let other = '';
        if (opts.rename !== undefined) {
          input = { kind: 'rename', ...base, nameVi: opts.rename, ...(opts.nameEn !== undefined ? { nameEn: opts.nameEn } : {}) };
          done = 'org.renamed';
        } else if (opts.moveTo !== undefined) {
          const parent = await org.getByCode(opts.moveTo);
          other = parent.code;
          input = { kind: 'move', ...base, parentId: parent.id };
          done = 'org.moved';
        } else if (opts.mergeInto !== undefined) {
          const target = await org.getByCode(opts.mergeInto);
          other = target.code;
          input = { kind: 'merge', ...base, intoId: target.id };
          done = 'org.merged';
        } else {
          input = { kind: 'close', ...base };
          done = 'org.closed';
        }
        await org.reorganise(systemActor('cli'), input);
        ctx.note(ctx.say(done, { code: unit.code, name: opts.rename ?? '', date, parent: other, target: other }));
      });
    });
}
