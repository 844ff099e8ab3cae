/**
 * The digital library on the command line:
 * - `lienthong ingest <folder> --manifest <csv> --library <code>`: batch ingest as a resumable job,
 *   then (unless `--no-process`) the pages, tiles and text of what it created, in this process;
 * - `lienthong worker`: a process that only runs background jobs from the shared queue (scale-out);
 * - `lienthong fixity`: checks every stored file now.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { Command, Option } from 'commander';
import cliProgress from 'cli-progress';
import { systemActor } from '../app/actor.js';
import { DIGITAL_PROCESS_JOB } from '../app/digital/digital.service.js';
import type { IngestSummary } from '../app/digital/ingest.service.js';
import { ACCESS_LEVELS, OCR_LANGUAGE_SETS, PLAN_CATEGORIES, WORKFLOW_STATES, type WorkflowState } from '../domain/digital/object.js';
import { startScheduler } from '../main/scheduler.js';
import type { Container } from '../main/container.js';
import { CliError, contextFor, type CliContext, type CliDeps } from './context.js';

function problemText(ctx: CliContext, p: { code: string; params?: Record<string, unknown> }): string {
  return ctx.t(`error.${p.code}` as never, (p.params ?? {}) as Record<string, string | number>);
}

/** Runs the queued processing jobs of these objects here, one object at a time (its pages in parallel). */
async function processObjects(ctx: CliContext, c: Container, objectIds: readonly number[]): Promise<void> {
  const owner = `cli:${process.pid}`;
  for (const id of objectIds) {
    const jobs = await c.store.jobs.findByDedupeKey(DIGITAL_PROCESS_JOB, `object:${id}`);
    for (const j of jobs.filter((x) => x.status === 'queued')) {
      const now = c.clock.now();
      const claimed = await c.store.jobs.claimById(j.id, owner, new Date(now.getTime() + 10 * 60_000).toISOString(), now.toISOString());
      if (!claimed) continue;
      try {
        await c.processor.process(claimed, owner);
      } catch (e) {
        await c.store.jobs.finish(j.id, owner, 'failed', { error: e instanceof Error ? e.message : String(e) }, c.clock.now().toISOString());
      }
    }
    const o = await c.store.digital.getObject(id);
    if (o) ctx.note(ctx.say('ingest.processed', { object: id, pages: o.pageCount, text: o.textPages, status: o.processing }));
  }
}

export function registerDigital(program: Command, deps: CliDeps): void {
  program
    .command('ingest')
    .summary('ingest a folder of scans described by a CSV manifest')
    .description(
      'Create digital objects from a folder of files (JPEG, PNG, WebP, TIFF, PDF) and a CSV manifest with a row per ' +
        'object. The header names the columns: title, creator, date, language, files (file names in page order, ' +
        'separated by ";"), access, license, category, and any other Dublin Core element by its name (repeated values ' +
        'separated by "|"); optionally record, state, collection, embargo, ocr, watermark, download. Runs as a resumable ' +
        'job: after an interruption, run the same command again and it continues where it stopped.',
    )
    .argument('<folder>', 'the folder holding the files the manifest names')
    .requiredOption('--manifest <csv>', 'the CSV manifest')
    .requiredOption('--library <code>', 'the library (unit code) that owns the objects')
    .addOption(new Option('--access <level>', 'access level for rows that give none').choices(ACCESS_LEVELS))
    .option('--license <licence>', 'licence for rows that give none (e.g. cc-by, public-domain, in-copyright)')
    .addOption(new Option('--category <category>', 'plan category for rows that give none').choices(PLAN_CATEGORIES))
    .addOption(new Option('--state <state>', 'workflow state of new objects (default: scanned)').choices(WORKFLOW_STATES))
    .addOption(new Option('--ocr <languages>', 'OCR languages for rows that give none').choices(OCR_LANGUAGE_SETS))
    .option('--no-process', 'only create the objects; leave pages and OCR to the server or a worker')
    .option('--again', 'ingest a folder and manifest that were already ingested, as a new job')
    .option('--report <file>', 'write the result of every row to this CSV file')
    .addHelpText(
      'after',
      `
Example manifest (UTF-8):
  title,creator,date,language,files,access,license,category,subject
  "Địa chí Kiên Giang",Nhiều tác giả,2002,vie,dia-chi-001.tif;dia-chi-002.tif,public,cc-by,local,Kiên Giang|Địa chí

Examples:
  $ lienthong ingest ./scans --manifest ./scans/manifest.csv --library TVKG
  $ lienthong ingest ./theses --manifest theses.csv --library DHKG --access registered --category thesis

Exit status 1 when some rows failed.`,
    )
    .action(async (folder: string, opts: { manifest: string; library: string; access?: string; license?: string; category?: string; state?: WorkflowState; ocr?: string; process: boolean; again?: boolean; report?: string }, cmd: Command) => {
      const ctx = contextFor(cmd, deps);
      await ctx.withContainer(async (c) => {
        const actor = systemActor('cli');
        const unit = await c.services.org.getByCode(opts.library);
        const { job, resumed, total } = await c.services.ingest.start(actor, {
          folder: resolve(folder),
          manifest: resolve(opts.manifest),
          unitId: unit.id,
          defaults: { access: opts.access, licence: opts.license, category: opts.category, state: opts.state, ocr: opts.ocr },
        }, { again: opts.again });
        ctx.note(resumed ? ctx.say('ingest.resumed', { job: job.id, done: job.checkpoint, rows: total }) : ctx.say('ingest.started', { job: job.id, rows: total, manifest: opts.manifest, unit: unit.code }));
        const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: `${ctx.say('ingest.progress')} [{bar}] {value}/{total}`, stream: process.stderr, clearOnComplete: true }, cliProgress.Presets.shades_classic) : undefined;
        bar?.start(total, job.checkpoint);
        const finished = await c.services.ingest.run(job.id, { owner: `cli:${process.pid}`, onProgress: (p) => bar?.update(p.row) });
        bar?.stop();
        const s = (finished.summary ?? {}) as Partial<IngestSummary>;
        const created: number[] = [];
        let after: number | undefined;
        for (;;) {
          const rows = await c.services.ingest.results(job.id, { afterSeq: after, limit: 1000 });
          for (const r of rows) {
            if (r.outcome === 'created' && r.objectId) created.push(r.objectId);
            if (r.outcome === 'failed') ctx.note(ctx.say('ingest.row', { row: r.seq, outcome: r.outcome, detail: r.problems.map((p) => problemText(ctx, p)).join('; ') }));
          }
          if (rows.length < 1000) break;
          after = rows[rows.length - 1]!.seq;
        }
        ctx.note(ctx.say('ingest.summary', { rows: s.rows ?? 0, created: s.created ?? 0, failed: s.failed ?? 0, skipped: s.skipped ?? 0 }));
        if (opts.report) {
          const out = createWriteStream(opts.report);
          out.write('\uFEFFrow,outcome,object_id,title,problems\n');
          let afterSeq: number | undefined;
          for (;;) {
            const rows = await c.services.ingest.results(job.id, { afterSeq, limit: 2000 });
            for (const r of rows) {
              const cells = [r.seq, r.outcome, r.objectId ?? '', r.label ?? '', r.problems.map((p) => problemText(ctx, p)).join('; ')];
              if (!out.write(cells.map((v) => (/[",\n\r]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(',') + '\n')) await once(out, 'drain');
            }
            if (rows.length < 2000) break;
            afterSeq = rows[rows.length - 1]!.seq;
          }
          out.end();
          await once(out, 'finish');
          ctx.note(ctx.say('ingest.reportWritten', { file: opts.report }));
        }
        if (opts.process && created.length > 0) {
          ctx.note(ctx.say('ingest.processing', { count: created.length }));
          await processObjects(ctx, c, created);
        }
        if ((s.failed ?? 0) > 0) process.exitCode = 1;
      });
    });

  program
    .command('worker')
    .summary('run background jobs (imports, digitisation, OCR, fixity) from the shared queue')
    .description(
      'Run jobs from the queue the web servers share, without serving pages: start as many as the machine has room for ' +
        '(on other machines too, against the same database). Set LIENTHONG_JOBS=0 on the web servers to leave all jobs ' +
        'to workers. Stops cleanly on Ctrl+C or SIGTERM after the job in hand.',
    )
    .option('--once', 'run the jobs waiting now, then exit')
    .action(async (opts: { once?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd, deps);
      await ctx.withContainer(async (c) => {
        ctx.note(ctx.say('worker.started', { owner: c.jobs.owner, kinds: 'catalog.import, digital.process, digital.ingest, digital.fixity' }));
        if (opts.once) {
          while (await c.jobs.runOnce()) {
            // one job after another until the queue is empty
          }
          return;
        }
        const scheduler = startScheduler(c, (err) => ctx.note(String(err)));
        c.jobs.start();
        const signal = await new Promise<string>((done) => {
          process.once('SIGINT', () => done('SIGINT'));
          process.once('SIGTERM', () => done('SIGTERM'));
        });
        ctx.note(ctx.say('worker.stopping', { signal }));
        scheduler.stop();
        await c.jobs.stop();
        ctx.note(ctx.say('worker.stopped'));
      });
    });

  program
    .command('fixity')
    .summary('re-hash every stored file now and report missing or changed ones')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextFor(cmd, deps);
      await ctx.withContainer(async (c) => {
        const job = await c.services.fixity.queue();
        const owner = `cli:${process.pid}`;
        const now = c.clock.now();
        const claimed = await c.store.jobs.claimById(job.id, owner, new Date(now.getTime() + 10 * 60_000).toISOString(), now.toISOString());
        const s = await c.services.fixity.process(claimed ?? job, owner);
        ctx.out(ctx.say('fixity.summary', { checked: s.checked, ok: s.ok, missing: s.missing, mismatch: s.mismatch }));
        for (const b of await c.services.fixity.problems(50)) ctx.out(ctx.say('fixity.problem', { status: b.checkStatus ?? '', sha256: b.sha256 }));
        if (s.missing + s.mismatch > 0) process.exitCode = 1;
      });
    });

  const bag = program.command('bag').summary('BagIt 1.0 packages of digital objects').description('Export digital objects as BagIt 1.0 bags for preservation, and import such bags.');
  bag
    .command('export')
    .summary('write the bag of an object (or, with --collection, of a whole collection)')
    .argument('[object]', 'the digital object number')
    .option('--collection <code>', 'export every object of this collection')
    .requiredOption('--output <folder>', 'the folder to create for the bag (must not exist)')
    .action(async (object: string | undefined, opts: { collection?: string; output: string }, cmd: Command) => {
      const ctx = contextFor(cmd, deps);
      if (!object && !opts.collection) throw new CliError('give an object number or --collection <code>', 2);
      await ctx.withContainer(async (c) => {
        const actor = systemActor('cli');
        const out = resolve(opts.output);
        const r = opts.collection ? await c.services.bags.exportCollection(actor, opts.collection, out) : await c.services.bags.exportObject(actor, Number(object), out);
        ctx.note(ctx.say('bag.exported', { path: out, files: r.files, bytes: r.bytes }));
      });
    });
  bag
    .command('import')
    .summary('validate a bag and create a digital object from it')
    .argument('<folder>', 'the bag folder (holding bagit.txt)')
    .requiredOption('--library <code>', 'the library (unit code) that will own the object')
    .action(async (folder: string, opts: { library: string }, cmd: Command) => {
      const ctx = contextFor(cmd, deps);
      await ctx.withContainer(async (c) => {
        const unit = await c.services.org.getByCode(opts.library);
        const r = await c.services.bags.importBag(systemActor('cli'), resolve(folder), unit.id);
        ctx.note(ctx.say('bag.imported', { object: r.object.id, files: r.files }));
        await processObjects(ctx, c, [r.object.id]);
      });
    });
}
