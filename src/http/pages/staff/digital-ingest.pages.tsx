/**
 * Batch ingest from the web: a CSV manifest and the files it names, uploaded together in one
 * `multipart/form-data` form. Each file is streamed to a fresh folder inside the blob store's
 * temporary folder (never held in memory); then `IngestService.start` queues the durable job and
 * the browser goes to the job's page, which follows its progress and shows a result per row.
 *
 * An ingest folder is kept while its job may still need it and removed when a later ingest
 * starts: a day after its job ended (a week when it failed, so it can be retried), or a day
 * after it was made when no job was ever started from it.
 */
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { stringify } from 'csv-stringify/sync';
import { AppError } from '../../../domain/errors.js';
import { allowsAnywhere } from '../../../domain/access/permissions.js';
import { ACCESS_LEVELS, DC_ELEMENTS, LICENCES, OCR_LANGUAGE_SETS, PLAN_CATEGORIES, WORKFLOW_STATES, isWorkflowState, type Licence, type WorkflowState } from '../../../domain/digital/object.js';
import type { MessageKey } from '../../../i18n/i18n.js';
import { Layout, flashFromQuery, pageCtx, sendPage } from '../render.js';
import { requireUser, type Values } from './forms.js';
import { formatBytes } from './imports.pages.js';
import { BASE, ROUTE, DigitalNav, DigitalStyles, ErrorBanner, accessLabel, appErrorText, categoryLabel, licenceLabel, ocrLabel, stateLabel, unitOptions } from './digital-common.pages.js';
import { manageableUnits, type DigitalDeps } from './digital.pages.js';
import { cleanFileName } from './digital-upload.pages.js';

const MAX_FILES = 5_000;
const DAY = 24 * 3_600_000;

/** The manifest's columns, in the order the help lists them. */
const COLUMNS = ['title', 'creator', 'date', 'language', 'files', 'access', 'license', 'category', 'record', 'state', 'collection', 'embargo', 'ocr', 'watermark', 'download'] as const;

export const SAMPLE_MANIFEST = stringify([
  ['title', 'creator', 'date', 'language', 'subject', 'description', 'files', 'access', 'license', 'category'],
  ['Địa chí Kiên Giang', 'Ban Tuyên giáo Tỉnh uỷ Kiên Giang', '2002', 'vie', 'Kiên Giang|Địa chí', 'Lịch sử, địa lý, kinh tế và văn hoá tỉnh Kiên Giang.', 'dia-chi-001.jpg;dia-chi-002.jpg', 'public', 'cc-by', 'local'],
  ['Gia Định thành thông chí', 'Trịnh Hoài Đức', '1820', 'vie|chi', 'Nam Bộ|Lịch sử', '', 'gia-dinh-thanh-thong-chi.pdf', 'registered', 'public-domain', 'han_nom'],
]);

export function ingestRoutes(app: FastifyInstance, deps: DigitalDeps): void {
  const { services, tempDir } = deps;
  const { digital, ingest } = services;

  const formPage = async (req: FastifyRequest, values: Values = {}, error?: string) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const units = await manageableUnits(services, req);
    const home = req.ctx.user?.homeUnitId;
    const chosen = values.unit ?? (units.some((u) => u.id === home) ? String(home) : units.length === 1 ? String(units[0]!.id) : '');
    const mayPublish = allowsAnywhere(req.ctx.actor.grants, 'digital.object.publish');
    const limit = formatBytes(ctx.locale, digital.limits.maxBytes);
    const select = (name: string, label: string, options: Array<[string, string]>, current: string | undefined, help?: string) => (
      <div class="field">
        <label for={`f-${name}`}>{label}</label>
        <select id={`f-${name}`} name={name} aria-describedby={help ? `f-${name}-help` : undefined}>
          {options.map(([v, l]) => (
            <option value={v} selected={v === current}>
              {l}
            </option>
          ))}
        </select>
        {help ? (
          <span class="help" id={`f-${name}-help`}>
            {help}
          </span>
        ) : null}
      </div>
    );
    return (
      <Layout ctx={ctx} title={t('dstaff.ingest.title')} staff flash={flashFromQuery(ctx, req.query)}>
        <DigitalStyles />
        <DigitalNav ctx={ctx} />
        <h1>{t('dstaff.ingest.title')}</h1>
        <p class="lead">{t('dstaff.ingest.intro')}</p>
        <div class="ingest-layout">
          <section class="card upload-card" aria-labelledby="ingest-form-heading">
            <h2 id="ingest-form-heading">{t('dstaff.ingest.upload')}</h2>
            <ErrorBanner text={error} />
            <form method="post" action={`${BASE}/ingest?_csrf=${encodeURIComponent(ctx.csrf)}`} enctype="multipart/form-data" class="stack ingest-form">
              <div class="field">
                <label for="f-manifest">{t('dstaff.ingest.manifest')}</label>
                <input type="file" id="f-manifest" name="manifest" required accept=".csv,text/csv" aria-describedby="f-manifest-help" />
                <span class="help" id="f-manifest-help">
                  {t('dstaff.ingest.manifestHelp')}
                </span>
              </div>
              <div class="field">
                <label for="f-files">{t('dstaff.ingest.files')}</label>
                <input type="file" id="f-files" name="files" multiple accept="image/jpeg,image/png,image/tiff,image/webp,image/jp2,application/pdf,.jpg,.jpeg,.png,.tif,.tiff,.webp,.jp2,.pdf" aria-describedby="f-files-help" />
                <span class="help" id="f-files-help">
                  {t('dstaff.ingest.filesHelp', { limit, max: MAX_FILES })}
                </span>
              </div>
              {select('unit', t('dstaff.f.owner'), [['', t('dstaff.form.chooseUnit')], ...unitOptions(ctx, units)], chosen)}
              <fieldset class="group">
                <legend>{t('dstaff.ingest.defaults')}</legend>
                <p class="help">{t('dstaff.ingest.defaultsHelp')}</p>
                <div class="row-2">
                  {select(
                    'category',
                    t('dstaff.f.category'),
                    PLAN_CATEGORIES.map((c) => [c, categoryLabel(t, c)]),
                    values.category ?? 'local',
                  )}
                  {select(
                    'access',
                    t('dstaff.f.access'),
                    ACCESS_LEVELS.map((a) => [a, accessLabel(t, a)]),
                    values.access ?? 'public',
                  )}
                </div>
                <div class="row-2">
                  {select(
                    'licence',
                    t('dstaff.f.licence'),
                    (Object.keys(LICENCES) as Licence[]).map((l) => [l, licenceLabel(t, l)]),
                    values.licence ?? 'in-copyright',
                  )}
                  {select(
                    'ocr',
                    t('dstaff.f.ocr'),
                    OCR_LANGUAGE_SETS.map((l) => [l, ocrLabel(t, l)]),
                    values.ocr ?? 'vie',
                  )}
                </div>
                {select(
                  'state',
                  t('dstaff.ingest.state'),
                  [['', t('dstaff.ingest.stateAuto')], ...WORKFLOW_STATES.filter((s) => s !== 'rejected' && (mayPublish || s !== 'published')).map((s): [string, string] => [s, stateLabel(t, s)])],
                  values.state ?? '',
                  t('dstaff.ingest.stateHelp'),
                )}
              </fieldset>
              <div>
                <button type="submit">{t('dstaff.ingest.submit')}</button>
              </div>
            </form>
          </section>
          <section class="card manifest-help" aria-labelledby="manifest-heading">
            <h2 id="manifest-heading">{t('dstaff.ingest.format')}</h2>
            <p>{t('dstaff.ingest.formatIntro')}</p>
            <p class="actions">
              <a class="button secondary" href={`${BASE}/ingest/sample.csv`} download>
                {t('dstaff.ingest.sample')}
              </a>
            </p>
            <dl class="facts columns">
              {COLUMNS.map((c) => (
                <>
                  <dt>
                    <code>{c}</code>
                  </dt>
                  <dd>{t(`dstaff.ingest.col.${c}` as MessageKey)}</dd>
                </>
              ))}
              <dt class="wide">
                <code>{DC_ELEMENTS.filter((e) => !(COLUMNS as readonly string[]).includes(e)).join(', ')}</code>
              </dt>
              <dd class="wide">{t('dstaff.ingest.col.dc')}</dd>
            </dl>
            <p class="small muted">{t('dstaff.ingest.repeat')}</p>
            <p class="small muted">{t('dstaff.ingest.values', { access: ACCESS_LEVELS.join(', '), category: PLAN_CATEGORIES.join(', '), ocr: OCR_LANGUAGE_SETS.join(', ') })}</p>
          </section>
        </div>
      </Layout>
    );
  };

  app.get(`${ROUTE}/ingest`, async (req, reply) => {
    requireUser(req);
    return sendPage(reply, await formPage(req));
  });

  app.get(`${ROUTE}/ingest/sample.csv`, async (req, reply) => {
    requireUser(req);
    return reply
      .type('text/csv; charset=utf-8')
      .header('cache-control', 'no-store')
      .header('content-disposition', 'attachment; filename="lienthong-ingest-mau.csv"')
      .send('\uFEFF' + SAMPLE_MANIFEST);
  });

  /** Removes ingest folders no job needs any more. */
  const sweep = async () => {
    const names = await readdir(tempDir).catch(() => [] as string[]);
    const now = Date.now();
    for (const n of names) {
      if (!/^ingest-[0-9a-f]{24}$/.test(n)) continue;
      const dir = join(tempDir, n);
      try {
        const marker = JSON.parse(await readFile(join(dir, 'ingest.json'), 'utf8').catch(() => '{}')) as { jobId?: number };
        const made = (await stat(dir)).mtimeMs;
        if (typeof marker.jobId !== 'number') {
          if (now - made > DAY) await rm(dir, { recursive: true, force: true });
          continue;
        }
        const job = await ingest.job(marker.jobId).catch(() => undefined);
        if (!job) {
          await rm(dir, { recursive: true, force: true });
          continue;
        }
        // Times are this machine's: the first sweep after the job ended marks the folder, later ones measure from the mark.
        const mark = join(dir, 'ended');
        const ended = job.status === 'done' || job.status === 'cancelled' || job.status === 'failed';
        const marked = await stat(mark).catch(() => undefined);
        if (!ended) {
          if (marked) await rm(mark, { force: true });
        } else if (!marked) {
          await writeFile(mark, job.status);
        } else if (now - marked.mtimeMs > (job.status === 'failed' ? 7 * DAY : DAY)) {
          await rm(dir, { recursive: true, force: true });
        }
      } catch {
        // a folder being written by another request, or gone already
      }
    }
  };

  app.post(`${ROUTE}/ingest`, async (req, reply) => {
    requireUser(req);
    const units = await manageableUnits(services, req);
    const t = req.ctx.t;
    const values: Values = {};
    const dir = join(tempDir, `ingest-${randomBytes(12).toString('hex')}`);
    const filesDir = join(dir, 'files');
    const manifest = join(dir, 'manifest.csv');
    let haveManifest = false;
    let count = 0;
    const refuse = async (status: number, text: string) => {
      await rm(dir, { recursive: true, force: true });
      req.raw.resume();
      return sendPage(reply, await formPage(req, values, text), status);
    };
    await sweep();
    await mkdir(filesDir, { recursive: true });
    try {
      for await (const part of req.parts({ limits: { fileSize: digital.limits.maxBytes, files: MAX_FILES + 1, fields: 20, parts: MAX_FILES + 21 } })) {
        if (part.type === 'field') {
          values[part.fieldname] = String(part.value).slice(0, 100);
          continue;
        }
        const name = cleanFileName(part.filename);
        let target: string | undefined;
        if (part.fieldname === 'manifest' && !haveManifest && name) target = manifest;
        else if (part.fieldname === 'files' && name && name !== '.' && name !== '..') target = join(filesDir, name);
        if (!target) {
          part.file.resume();
          continue;
        }
        try {
          await pipeline(part.file, createWriteStream(target, { flags: 'wx' }));
        } catch (e) {
          // The same name twice: the first one is kept.
          if ((e as { code?: string }).code === 'EEXIST') {
            part.file.resume();
            continue;
          }
          throw e;
        }
        if (part.file.truncated) return refuse(413, appErrorText(t, new AppError('MEDIA_TOO_LARGE', { name, limit: formatBytes(req.ctx.locale, digital.limits.maxBytes) })));
        if (target === manifest) haveManifest = true;
        else count++;
      }
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') return refuse(413, appErrorText(t, new AppError('MEDIA_TOO_LARGE', { name: '', limit: formatBytes(req.ctx.locale, digital.limits.maxBytes) })));
      if (code === 'FST_FILES_LIMIT' || code === 'FST_PARTS_LIMIT') return refuse(413, t('dstaff.ingest.tooMany', { max: MAX_FILES }));
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
    if (!haveManifest) return refuse(400, t('dstaff.ingest.noManifest'));
    const unitId = /^\d{1,10}$/.test(values.unit ?? '') ? Number(values.unit) : undefined;
    if (unitId === undefined || !units.some((u) => u.id === unitId)) return refuse(400, t('dstaff.form.chooseUnit'));
    const state = values.state && isWorkflowState(values.state) ? (values.state as WorkflowState) : undefined;
    try {
      const { job, resumed } = await ingest.start(req.ctx.actor, {
        folder: filesDir,
        manifest,
        unitId,
        defaults: { access: values.access || undefined, licence: values.licence || undefined, category: values.category || undefined, state, ocr: values.ocr || undefined },
      });
      await writeFile(join(dir, 'ingest.json'), JSON.stringify({ jobId: job.id, files: count }));
      return reply.redirect(`/staff/jobs/${job.id}?ok=${resumed ? 'dstaff.ingest.resumed' : 'dstaff.ingest.started'}`, 303);
    } catch (e) {
      if (e instanceof AppError && e.code !== 'PERMISSION_DENIED') return refuse(e.status, appErrorText(t, e));
      await rm(dir, { recursive: true, force: true });
      throw e;
    }
  });
}
