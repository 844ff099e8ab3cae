/**
 * Library websites for staff (`/staff/sites`): choose a library whose website you may edit, then
 * its branding (logo, banner, accent colour with a preview and a contrast check, introduction),
 * publishing it, its images, and its news and events with a small editor (text format help,
 * image upload that adds the image to the text, a server-rendered preview, publish, unpublish,
 * delete). Everything works without JavaScript; `site-editor.js` only updates the colour preview
 * while the colour is being chosen.
 *
 * Forms that carry files are `multipart/form-data` with their CSRF token in the action's query
 * string (the check reads the body, which a multipart request does not have yet); each file is
 * streamed into the file store's temporary folder, never held in memory. Every permission is
 * checked by `SiteService` against the library tree.
 */
import { rm } from 'node:fs/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import type { Readable } from 'node:stream';
import { AppError, type FieldProblem } from '../../../domain/errors.js';
import { AA_NORMAL_TEXT, checkAccent, contrastRatio, DEFAULT_ACCENT, parseHexColour, shownRatio } from '../../../domain/sites/colour.js';
import { instantToLocal, isPostState, localToInstant, MAX_INTRO, MAX_TITLE, type PostState } from '../../../domain/sites/post.js';
import { MAX_BODY_LENGTH } from '../../../domain/sites/post-body.js';
import type { OrgUnit } from '../../../domain/org/unit.js';
import { SiteService, cleanFileName, type ImageUpload, type SiteView } from '../../../app/sites/site.service.js';
import type { SiteImage, SitePost } from '../../../app/sites/ports.js';
import type { Services } from '../../../main/container.js';
import type { MessageKey } from '../../../i18n/i18n.js';
import { assetUrl } from '../../assets/assets.js';
import { Breadcrumbs, Csrf, Layout, errorText, flashFromQuery, formatTime, pageCtx, sendPage, unitName, type Flash, type PageCtx } from '../render.js';
import { FormError, OutcomeFilter, formValues, requireUser, type Values } from './forms.js';
import { EventFacts, KindBadge, Picture, PostBody, formatWhen, mediaUrl } from '../public/site-view.js';
import { idOf } from './digital-common.pages.js';

const BASE = '/staff/sites';
const POSTS_PAGE = 30;

/** Fields a post's or the branding's form sends besides files. */
type Fields = Record<string, string>;

interface Received {
  fields: Fields;
  files: Array<{ field: string; upload: ImageUpload }>;
}

function unitParam(req: FastifyRequest): number {
  return idOf((req.params as Record<string, unknown>).unit);
}

function postParam(req: FastifyRequest): number {
  return idOf((req.params as Record<string, unknown>).id);
}

function withCsrf(ctx: PageCtx, action: string): string {
  return `${action}?_csrf=${encodeURIComponent(ctx.csrf)}`;
}

/** A library's name with its code, for lists where two libraries may share a name. */
function label(ctx: PageCtx, u: OrgUnit): string {
  return `${unitName(ctx, u)} (${u.code})`;
}

/** Text of a problem with the body or the introduction: which line, what was written. */
function problemText(ctx: PageCtx, p: FieldProblem): string {
  return errorText(ctx.t, p.code, p.params);
}

function FieldError({ ctx, problems, field }: { ctx: PageCtx; problems: readonly FieldProblem[]; field: string }) {
  const mine = problems.filter((p) => p.field === field);
  if (mine.length === 0) return null;
  return (
    <ul class="field-error" id={`f-${field}-error`}>
      {mine.map((p) => (
        <li>{problemText(ctx, p)}</li>
      ))}
    </ul>
  );
}

const invalid = (problems: readonly FieldProblem[], field: string) => (problems.some((p) => p.field === field) ? ('true' as const) : undefined);
const describedBy = (problems: readonly FieldProblem[], field: string, help?: string) => [help, problems.some((p) => p.field === field) ? `f-${field}-error` : undefined].filter(Boolean).join(' ') || undefined;

function StateBadge({ ctx, state }: { ctx: PageCtx; state: PostState }) {
  return <span class={`badge badge-post-${state}`}>{ctx.t(`sites.state.${state}` as MessageKey)}</span>;
}

/** How the small text format is written: shown beside every textarea that takes it. */
function FormatHelp({ ctx, id }: { ctx: PageCtx; id: string }) {
  const { t } = ctx;
  const rows: Array<[string, MessageKey]> = [
    ['## Tiêu đề nhỏ', 'sites.help.heading'],
    ['**chữ đậm**', 'sites.help.bold'],
    ['*chữ nghiêng*', 'sites.help.italic'],
    ['- một mục', 'sites.help.list'],
    ['[Tìm sách](/search?q=kien+giang)', 'sites.help.internalLink'],
    ['[Cổng thông tin](https://kiengiang.gov.vn)', 'sites.help.link'],
    ['![Mô tả ảnh](image:12)', 'sites.help.image'],
  ];
  return (
    <details class="format-help" id={id}>
      <summary>{t('sites.help.title')}</summary>
      <p class="small">{t('sites.help.intro')}</p>
      <dl>
        {rows.map(([code, key]) => (
          <>
            <dt>
              <code>{code}</code>
            </dt>
            <dd>{t(key)}</dd>
          </>
        ))}
      </dl>
      <p class="small">{t('sites.help.paragraphs')}</p>
    </details>
  );
}

/** The library's images, each with the line to paste into a text to show it. */
function ImageShelf({ ctx, images, headingId }: { ctx: PageCtx; images: readonly SiteImage[]; headingId: string }) {
  const { t } = ctx;
  if (images.length === 0) return <p class="muted small">{t('sites.images.none')}</p>;
  return (
    <ul class="image-shelf" aria-labelledby={headingId}>
      {images.map((i) => (
        <li>
          <img src={mediaUrl(i, 400, 'jpeg')} alt="" width={120} height={Math.max(1, Math.round((120 * i.height) / i.width))} loading="lazy" decoding="async" />
          <span class="image-name">{i.name}</span>
          <code class="image-ref">{`![${t('sites.images.altPlaceholder')}](image:${i.id})`}</code>
        </li>
      ))}
    </ul>
  );
}

export async function sitePages(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { services } = opts;
  const { sites } = services;

  // Streaming multipart (files go to disk as they arrive), in this plugin's scope only.
  await app.register(multipart, { limits: { fileSize: sites.limits.maxBytes + 1, files: 3, fields: 40, parts: 44, fieldSize: 256_000 } });
  app.addHook('preValidation', async (req) => {
    if (req.method !== 'POST' || !req.isMultipart() || req.body !== undefined) return;
    const sent = (req.query as Record<string, unknown> | undefined)?._csrf;
    if (typeof sent === 'string') req.body = { _csrf: sent };
  });

  /** Reads a multipart form: fields as strings, files (of the named fields) into the store's temporary folder. */
  async function readForm(req: FastifyRequest, fileFields: readonly string[]): Promise<Received> {
    const fields: Fields = {};
    const files: Received['files'] = [];
    try {
      for await (const part of req.parts()) {
        if (part.type === 'field') {
          // A field cut at the size limit would be saved cut: refused instead.
          if (part.valueTruncated) throw new AppError('VALIDATION', {}, [{ field: part.fieldname.slice(0, 40), code: 'SITE_TEXT_TOO_LONG', params: { max: MAX_BODY_LENGTH } }]);
          if (typeof part.value === 'string' && !(part.fieldname in fields)) fields[part.fieldname] = part.value;
          continue;
        }
        const name = cleanFileName(part.filename);
        if (!fileFields.includes(part.fieldname) || name === '') {
          part.file.resume();
          continue;
        }
        const upload = await sites.receive(part.file, name);
        if (part.file.truncated) {
          await rm(upload.tempPath, { force: true });
          throw new AppError('SITE_IMAGE_TOO_LARGE', { name, limit: Math.floor(sites.limits.maxBytes / 1024 ** 2) });
        }
        if (upload.size === 0) {
          await rm(upload.tempPath, { force: true });
          continue;
        }
        files.push({ field: part.fieldname, upload });
      }
    } catch (e) {
      for (const f of files) await rm(f.upload.tempPath, { force: true });
      (req.body as Readable | undefined)?.resume?.();
      req.raw.resume();
      const code = (e as { code?: string }).code;
      if (code === 'FST_REQ_FILE_TOO_LARGE') throw new AppError('SITE_IMAGE_TOO_LARGE', { name: '', limit: Math.floor(sites.limits.maxBytes / 1024 ** 2) });
      throw e;
    }
    return { fields, files };
  }

  /** Refused before a byte of the body is read: the request is drained and the refusal shown. */
  async function managedOrDrain(req: FastifyRequest, unitId: number): Promise<OrgUnit> {
    try {
      return await sites.managed(req.ctx.actor, unitId);
    } catch (e) {
      req.raw.resume();
      throw e;
    }
  }

  // ---------------------------------------------------------------- the list

  app.get('/sites', async (req, reply) => {
    requireUser(req);
    const ctx = pageCtx(req);
    const { t } = ctx;
    const units = await sites.managedUnits(req.ctx.actor);
    if (units.length === 0) throw new AppError('PERMISSION_DENIED', { permission: 'site.manage' });
    const published = new Map((await sites.publishedSites()).map((p) => [p.unitId, p.publishedAt]));
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('sites.staff.title')} staff styles={['site.css']} flash={flashFromQuery(ctx, req.query)}>
        <h1>{t('sites.staff.title')}</h1>
        <p class="lead">{t('sites.staff.intro')}</p>
        <ul class="site-choices">
          {units.map((u) => (
            <li>
              <a href={`${BASE}/${u.id}`} class="site-choice">
                <span class="site-choice-name">{label(ctx, u)}</span>
                <span class="site-choice-type">{t(`unitType.${u.typeCode}` as MessageKey)}</span>
              </a>
              {published.has(u.id) ? (
                <span class="badge badge-site">{t('sites.staff.publishedSince', { date: formatWhen(ctx, published.get(u.id)!, false) })}</span>
              ) : (
                <span class="badge badge-closed">{t('sites.staff.notPublished')}</span>
              )}
            </li>
          ))}
        </ul>
      </Layout>,
    );
  });

  // ---------------------------------------------------------------- one library's website

  app.get('/sites/:unit', async (req, reply) => {
    requireUser(req);
    const ctx = pageCtx(req);
    const { t } = ctx;
    const unit = await sites.managed(req.ctx.actor, unitParam(req));
    const view = await sites.view(unit);
    const q = (req.query ?? {}) as Record<string, unknown>;
    const state = isPostState(q.state) ? q.state : undefined;
    const { posts, counts } = await sites.postsForStaff(req.ctx.actor, unit.id, { limit: POSTS_PAGE, ...(state ? { state } : {}) });
    const images = await sites.imagesForStaff(req.ctx.actor, unit.id);
    const name = unitName(ctx, unit);
    const here = `${BASE}/${unit.id}`;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('sites.staff.siteTitle', { library: name })} staff styles={['site.css']} flash={flashFromQuery(ctx, req.query)}>
        <Breadcrumbs label={t('nav.menu')} items={[[BASE, t('sites.staff.title')]]} />
        <h1>{t('sites.staff.siteTitle', { library: name })}</h1>
        {!SiteService.eligible(unit) ? <p class="flash flash-error">{errorText(t, 'SITE_NOT_ELIGIBLE', { unit: unit.code })}</p> : null}
        <section class="card site-status" aria-labelledby="status-heading">
          <h2 id="status-heading">{t('sites.staff.status')}</h2>
          {view.published ? (
            <p>
              <span class="badge badge-site">{t('sites.staff.published')}</span> {view.publishedAt ? t('sites.staff.publishedSince', { date: formatWhen(ctx, view.publishedAt, false) }) : null}
            </p>
          ) : (
            <p>
              <span class="badge badge-closed">{t('sites.staff.notPublished')}</span> {t('sites.staff.notPublishedHelp')}
            </p>
          )}
          <div class="actions">
            <form method="post" action={`${here}/publish`} class="inline">
              <Csrf ctx={ctx} />
              <input type="hidden" name="published" value={view.published ? '0' : '1'} />
              <button type="submit" class={view.published ? 'secondary' : undefined}>
                {view.published ? t('sites.staff.unpublish') : t('sites.staff.publish')}
              </button>
            </form>
            <a class="button secondary" href={`/l/${unit.slug}`}>
              {view.published ? t('sites.staff.view') : t('sites.staff.viewBasic')}
            </a>
            <a class="button secondary" href={`${here}/branding`}>
              {t('sites.staff.editBranding')}
            </a>
          </div>
        </section>

        <section class="card" aria-labelledby="posts-heading">
          <div class="site-section-head">
            <h2 id="posts-heading">{t('sites.staff.posts')}</h2>
            <a class="button" href={`${here}/posts/new`}>
              {t('sites.staff.newPost')}
            </a>
          </div>
          <OutcomeFilter
            label={t('sites.staff.postsFilter')}
            all={{ href: here, text: t('sites.staff.allPosts'), count: counts.draft + counts.published }}
            items={(['draft', 'published'] as const).map((s) => ({ value: s, href: `${here}?state=${s}`, text: t(`sites.state.${s}`), count: counts[s] }))}
            current={state}
          />
          {posts.length === 0 ? (
            <p class="muted">{t('sites.staff.noPosts')}</p>
          ) : (
            <div class="table-wrap">
              <table class="list stack">
                <thead>
                  <tr>
                    <th>{t('sites.post.title')}</th>
                    <th>{t('sites.post.kind')}</th>
                    <th>{t('sites.post.state')}</th>
                    <th>{t('sites.post.date')}</th>
                    <th>{t('common.actions')}</th>
                  </tr>
                </thead>
                <tbody>
                  {posts.map((p) => (
                    <tr>
                      <td data-label={t('sites.post.title')}>
                        <a href={`${here}/posts/${p.id}`}>{p.title}</a>
                      </td>
                      <td data-label={t('sites.post.kind')}>
                        <KindBadge ctx={ctx} kind={p.kind} />
                      </td>
                      <td data-label={t('sites.post.state')}>
                        <StateBadge ctx={ctx} state={p.state} />
                      </td>
                      <td data-label={t('sites.post.date')}>{p.kind === 'event' && p.startsAt ? formatTime(ctx, p.startsAt) : formatTime(ctx, p.publishedAt ?? p.updatedAt)}</td>
                      <td data-label={t('common.actions')}>
                        <PostStateForm ctx={ctx} unit={unit} post={p} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section class="card" aria-labelledby="images-heading">
          <h2 id="images-heading">{t('sites.images.title')}</h2>
          <p class="small muted">{t('sites.images.help')}</p>
          <form method="post" action={withCsrf(ctx, `${here}/images`)} enctype="multipart/form-data" class="upload-inline">
            <div class="field">
              <label for="f-image">{t('sites.images.choose')}</label>
              <input type="file" id="f-image" name="image" accept="image/jpeg,image/png,image/webp" required aria-describedby="f-image-help" />
              <span class="help" id="f-image-help">
                {t('sites.images.limits', { size: Math.floor(sites.limits.maxBytes / 1024 ** 2) })}
              </span>
            </div>
            <button type="submit" class="secondary">
              {t('sites.images.upload')}
            </button>
          </form>
          <ImageShelf ctx={ctx} images={images} headingId="images-heading" />
        </section>
      </Layout>,
    );
  });

  function PostStateForm({ ctx, unit, post, fromEditor }: { ctx: PageCtx; unit: OrgUnit; post: SitePost; fromEditor?: boolean }) {
    const { t } = ctx;
    const to: PostState = post.state === 'published' ? 'draft' : 'published';
    return (
      <form method="post" action={`${BASE}/${unit.id}/posts/${post.id}/state`} class="inline">
        <Csrf ctx={ctx} />
        <input type="hidden" name="state" value={to} />
        <input type="hidden" name="version" value={String(post.version)} />
        {fromEditor ? <input type="hidden" name="next" value="editor" /> : null}
        <button type="submit" class={to === 'published' ? undefined : 'secondary'} aria-label={`${t(to === 'published' ? 'sites.post.publish' : 'sites.post.unpublish')}: ${post.title}`}>
          {t(to === 'published' ? 'sites.post.publish' : 'sites.post.unpublish')}
        </button>
      </form>
    );
  }

  app.post('/sites/:unit/publish', async (req, reply) => {
    requireUser(req);
    const unitId = unitParam(req);
    const v = formValues(req);
    const published = v.published === '1';
    await sites.setPublished(req.ctx.actor, unitId, published);
    return reply.redirect(`${BASE}/${unitId}?ok=${published ? 'sites.staff.publishedOk' : 'sites.staff.unpublishedOk'}`, 303);
  });

  app.post('/sites/:unit/images', async (req, reply) => {
    requireUser(req);
    const unit = await managedOrDrain(req, unitParam(req));
    const form = await readForm(req, ['image']);
    try {
      if (form.files.length === 0) throw new AppError('SITE_IMAGE_REQUIRED');
      for (const f of form.files) await sites.uploadImage(req.ctx.actor, unit.id, f.upload);
    } finally {
      for (const f of form.files) await rm(f.upload.tempPath, { force: true });
    }
    return reply.redirect(`${BASE}/${unit.id}?ok=sites.images.uploaded#images-heading`, 303);
  });

  // ---------------------------------------------------------------- branding

  interface BrandingState {
    values: Values;
    logo: SiteImage | null;
    banner: SiteImage | null;
    error?: AppError;
    flash?: Flash;
    preview?: boolean;
  }

  const brandingPage = (req: FastifyRequest, unit: OrgUnit, view: SiteView, s: BrandingState) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const problems = s.error?.details ?? [];
    const name = unitName(ctx, unit);
    const useDefault = s.values.accentDefault === '1';
    const chosen = useDefault ? null : (parseHexColour(s.values.accentColor ?? '') ?? null);
    const shown = chosen ?? view.palette.accent;
    const check = checkAccent(shown);
    const ratio = contrastRatio(parseHexColour(shown) ?? DEFAULT_ACCENT, '#ffffff');
    const action = withCsrf(ctx, `${BASE}/${unit.id}/branding`);
    const okText = t('sites.branding.contrastOk', { ratio: '{ratio}', needed: AA_NORMAL_TEXT });
    const badText = t('sites.branding.contrastBad', { ratio: '{ratio}', needed: AA_NORMAL_TEXT });
    return (
      <Layout
        ctx={ctx}
        title={t('sites.branding.title', { library: name })}
        staff
        styles={['site.css']}
        flash={s.flash}
        head={
          <>
            <link rel="stylesheet" href={`/site-palette.css?c=${shown.slice(1)}`} />
            <script src={assetUrl('site-editor.js')} defer />
          </>
        }
      >
        <Breadcrumbs
          label={t('nav.menu')}
          items={[
            [BASE, t('sites.staff.title')],
            [`${BASE}/${unit.id}`, name],
          ]}
        />
        <h1>{t('sites.branding.title', { library: name })}</h1>
        <FormError ctx={ctx} error={s.error} shownFields={['accentColor', 'introVi', 'introEn', 'logoImageId', 'bannerImageId']} />
        {s.preview ? (
          <section class="card preview-card" aria-labelledby="preview-heading">
            <h2 id="preview-heading">{t('sites.editor.previewTitle')}</h2>
            <p class="small muted">{t('sites.branding.previewNote')}</p>
            <div class="site-preview site-preview-page" data-site-preview>
              {s.banner ? <Picture image={s.banner} alt="" sizes="40rem" class="library-banner" /> : null}
              <div class="site-preview-bar">
                {s.logo ? <Picture image={s.logo} alt="" sizes="3rem" class="site-preview-logo" /> : null} {name}
              </div>
              <div class="site-preview-body">
                <PostBody ctx={ctx} body={(ctx.locale === 'en' ? s.values.introEn || s.values.introVi : s.values.introVi || s.values.introEn) ?? ''} images={new Map()} headingLevel={3} />
              </div>
            </div>
          </section>
        ) : null}
        <form method="post" action={action} enctype="multipart/form-data" class="stack branding-form">
          <input type="hidden" name="version" value={s.values.version ?? String(view.version)} />
          <input type="hidden" name="logoImageId" value={s.logo ? String(s.logo.id) : ''} />
          <input type="hidden" name="bannerImageId" value={s.banner ? String(s.banner.id) : ''} />
          <fieldset class="group">
            <legend>{t('sites.branding.colour')}</legend>
            <div class="field">
              <label for="f-accentColor">{t('sites.branding.accent')}</label>
              <div class="colour-row">
                <input type="color" id="f-accentColor" name="accentColor" value={shown} aria-invalid={invalid(problems, 'accentColor')} aria-describedby={describedBy(problems, 'accentColor', 'f-accentColor-help contrast-note')} data-site-colour />
                <code class="colour-code" data-colour-code>
                  {shown}
                </code>
              </div>
              <span class="help" id="f-accentColor-help">
                {t('sites.branding.accentHelp')}
              </span>
              <FieldError ctx={ctx} problems={problems} field="accentColor" />
            </div>
            <label class="checkbox">
              <input type="checkbox" name="accentDefault" value="1" checked={useDefault} data-colour-default />
              {t('sites.branding.useDefault')}
            </label>
            <div class="site-preview" data-site-preview aria-label={t('sites.branding.previewLabel')} role="group">
              <div class="site-preview-bar">{name}</div>
              <div class="site-preview-body">
                <span class="site-preview-button">{t('sites.library.searchHere')}</span> <span class="site-preview-link">{t('sites.library.news')}</span>
              </div>
            </div>
            <p id="contrast-note" class={check.ok ? 'contrast-ok' : 'contrast-bad'} data-contrast data-ok={okText} data-bad={badText} aria-live="polite">
              {check.ok ? t('sites.branding.contrastOk', { ratio: shownRatio(ratio), needed: AA_NORMAL_TEXT }) : t('sites.branding.contrastBad', { ratio: shownRatio(ratio), needed: AA_NORMAL_TEXT })}
            </p>
            {!check.ok && check.reason === 'contrast' ? (
              <p>
                <button type="submit" name="useSuggestion" value={check.suggestion} class="secondary">
                  {t('sites.branding.useSuggestion', { colour: check.suggestion })}
                </button>
              </p>
            ) : null}
          </fieldset>

          <fieldset class="group">
            <legend>{t('sites.branding.intro')}</legend>
            <div class="field">
              <label for="f-introVi">{t('sites.branding.introVi')}</label>
              <textarea id="f-introVi" name="introVi" rows={5} maxLength={MAX_INTRO} lang="vi" aria-invalid={invalid(problems, 'introVi')} aria-describedby={describedBy(problems, 'introVi', 'intro-help')}>
                {s.values.introVi ?? ''}
              </textarea>
              <FieldError ctx={ctx} problems={problems} field="introVi" />
            </div>
            <div class="field">
              <label for="f-introEn">{t('sites.branding.introEn')}</label>
              <textarea id="f-introEn" name="introEn" rows={4} maxLength={MAX_INTRO} lang="en" aria-invalid={invalid(problems, 'introEn')} aria-describedby={describedBy(problems, 'introEn', 'intro-help')}>
                {s.values.introEn ?? ''}
              </textarea>
              <FieldError ctx={ctx} problems={problems} field="introEn" />
            </div>
            <p class="help small" id="intro-help">
              {t('sites.branding.introHelp')}
            </p>
            <FormatHelp ctx={ctx} id="intro-format" />
          </fieldset>

          <div class="actions">
            <button type="submit" name="action" value="save">
              {t('sites.branding.save')}
            </button>
            <button type="submit" name="action" value="preview" class="secondary">
              {t('sites.editor.preview')}
            </button>
            <a href={`${BASE}/${unit.id}`}>{t('common.cancel')}</a>
          </div>

          <fieldset class="group">
            <legend>{t('sites.branding.images')}</legend>
            <p class="small muted">{t('sites.images.limits', { size: Math.floor(sites.limits.maxBytes / 1024 ** 2) })}</p>
            {(['logo', 'banner'] as const).map((kind) => {
              const current = kind === 'logo' ? s.logo : s.banner;
              const field = kind === 'logo' ? 'logoImageId' : 'bannerImageId';
              return (
                <div class="field image-field">
                  <span class="field-title" id={`${kind}-title`}>
                    {t(`sites.branding.${kind}` as MessageKey)}
                  </span>
                  {current ? (
                    <Picture image={current} alt={t('sites.branding.current', { name: current.name })} sizes={kind === 'logo' ? '6rem' : '20rem'} class={`branding-${kind}`} />
                  ) : (
                    <p class="muted small">{t('sites.branding.noImage')}</p>
                  )}
                  <label for={`f-${kind}`}>{t(`sites.branding.${kind}Choose` as MessageKey)}</label>
                  <input type="file" id={`f-${kind}`} name={kind} accept="image/jpeg,image/png,image/webp" aria-describedby={`f-${kind}-help`} />
                  <span class="help" id={`f-${kind}-help`}>
                    {t(`sites.branding.${kind}Help` as MessageKey)}
                  </span>
                  {current ? (
                    <label class="checkbox">
                      <input type="checkbox" name={`remove-${kind}`} value="1" />
                      {t(`sites.branding.${kind}Remove` as MessageKey)}
                    </label>
                  ) : null}
                  <FieldError ctx={ctx} problems={problems} field={field} />
                </div>
              );
            })}
            <div class="actions">
              <button type="submit" name="action" value="save">
                {t('sites.branding.saveWithImages')}
              </button>
            </div>
          </fieldset>
        </form>
      </Layout>
    );
  };

  app.get('/sites/:unit/branding', async (req, reply) => {
    requireUser(req);
    const unit = await sites.managed(req.ctx.actor, unitParam(req));
    const view = await sites.view(unit);
    const values: Values = {
      accentColor: view.accentColor ?? undefined,
      accentDefault: view.accentColor === null ? '1' : undefined,
      introVi: view.introVi ?? undefined,
      introEn: view.introEn ?? undefined,
      version: String(view.version),
    };
    return sendPage(reply, brandingPage(req, unit, view, { values, logo: view.logo, banner: view.banner }));
  });

  app.post('/sites/:unit/branding', async (req, reply) => {
    requireUser(req);
    const unit = await managedOrDrain(req, unitParam(req));
    const view = await sites.view(unit);
    const ctx = pageCtx(req);
    let form: Received;
    try {
      form = await readForm(req, ['logo', 'banner']);
    } catch (e) {
      if (!(e instanceof AppError) || !e.code.startsWith('SITE_IMAGE')) throw e;
      return sendPage(reply, brandingPage(req, unit, view, { values: { version: String(view.version) }, logo: view.logo, banner: view.banner, error: e }), e.status);
    }
    const values: Values = { ...form.fields };
    const imageOf = async (field: 'logoImageId' | 'bannerImageId', current: SiteImage | null) => {
      const raw = values[field];
      if (!raw) return null;
      if (current && String(current.id) === raw) return current;
      const found = (await sites.imagesById([Number(raw)])).get(Number(raw));
      return found && found.unitId === unit.id ? found : null;
    };
    let logo = await imageOf('logoImageId', view.logo);
    let banner = await imageOf('bannerImageId', view.banner);
    if (values['remove-logo'] === '1') logo = null;
    if (values['remove-banner'] === '1') banner = null;
    let error: AppError | undefined;
    try {
      for (const f of form.files) {
        const image = await sites.uploadImage(req.ctx.actor, unit.id, f.upload);
        if (f.field === 'logo') logo = image;
        else banner = image;
      }
    } catch (e) {
      if (!(e instanceof AppError) || !e.code.startsWith('SITE_IMAGE')) throw e;
      error = e;
    } finally {
      for (const f of form.files) await rm(f.upload.tempPath, { force: true });
    }
    if (values.useSuggestion) {
      values.accentColor = values.useSuggestion;
      values.accentDefault = undefined;
      values.action = 'preview';
    }
    if (error) return sendPage(reply, brandingPage(req, unit, view, { values, logo, banner, error }), error.status);
    if (values.action !== 'save') {
      return sendPage(reply, brandingPage(req, unit, view, { values, logo, banner, preview: true, flash: form.files.length > 0 ? { kind: 'ok', text: ctx.t('sites.images.uploadedKept') } : undefined }));
    }
    try {
      await sites.updateSettings(req.ctx.actor, unit.id, {
        accentColor: values.accentDefault === '1' ? '' : (values.accentColor ?? ''),
        introVi: values.introVi ?? '',
        introEn: values.introEn ?? '',
        logoImageId: logo?.id ?? null,
        bannerImageId: banner?.id ?? null,
        version: Number(values.version ?? 0) || 0,
      });
    } catch (e) {
      if (!(e instanceof AppError) || e.code === 'PERMISSION_DENIED') throw e;
      return sendPage(reply, brandingPage(req, unit, view, { values, logo, banner, error: e }), e.status);
    }
    return reply.redirect(`${BASE}/${unit.id}?ok=sites.branding.saved`, 303);
  });

  // ---------------------------------------------------------------- posts

  interface EditorState {
    values: Values;
    post?: SitePost;
    error?: AppError;
    flash?: Flash;
    preview?: boolean;
  }

  const editorPage = async (req: FastifyRequest, unit: OrgUnit, s: EditorState) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const problems = s.error?.details ?? [];
    const images = await sites.imagesForStaff(req.ctx.actor, unit.id);
    const byId = new Map(images.map((i) => [i.id, i]));
    const name = unitName(ctx, unit);
    const post = s.post;
    const kind = s.values.kind === 'event' ? 'event' : 'news';
    const title = post ? t('sites.editor.editTitle') : t('sites.editor.newTitle');
    const action = withCsrf(ctx, post ? `${BASE}/${unit.id}/posts/${post.id}` : `${BASE}/${unit.id}/posts/new`);
    const previewPost: SitePost | undefined = s.preview
      ? {
          id: post?.id ?? 0,
          unitId: unit.id,
          kind,
          title: s.values.title ?? '',
          body: s.values.body ?? '',
          leadImageId: s.values.leadImageId ? Number(s.values.leadImageId) : null,
          startsAt: null,
          endsAt: null,
          place: s.values.place || null,
          state: post?.state ?? 'draft',
          publishedAt: post?.publishedAt ?? null,
          authorId: null,
          version: 0,
          createdAt: '',
          updatedAt: '',
          updatedBy: null,
        }
      : undefined;
    if (previewPost && kind === 'event') {
      previewPost.startsAt = localToInstant(s.values.startsAt ?? '') ?? null;
      previewPost.endsAt = localToInstant(s.values.endsAt ?? '') ?? null;
    }
    const lead = previewPost?.leadImageId ? byId.get(previewPost.leadImageId) : undefined;
    const field = (f: string) => ({ 'aria-invalid': invalid(problems, f), 'aria-describedby': describedBy(problems, f) });
    return (
      <Layout ctx={ctx} title={`${title} · ${name}`} staff styles={['site.css']} flash={s.flash}>
        <Breadcrumbs
          label={t('nav.menu')}
          items={[
            [BASE, t('sites.staff.title')],
            [`${BASE}/${unit.id}`, name],
          ]}
        />
        <h1>
          {title} {post ? <StateBadge ctx={ctx} state={post.state} /> : null}
        </h1>
        <FormError ctx={ctx} error={s.error} shownFields={['kind', 'title', 'body', 'startsAt', 'endsAt', 'place', 'leadImageId']} />
        {previewPost ? (
          <section class="card preview-card" aria-labelledby="preview-heading">
            <h2 id="preview-heading">{t('sites.editor.previewTitle')}</h2>
            <article class="post">
              <p class="post-preview-title">{previewPost.title || t('sites.editor.untitled')}</p>
              <EventFacts ctx={ctx} post={previewPost} />
              {lead ? <Picture image={lead} alt="" sizes="40rem" class="post-lead" /> : null}
              <PostBody ctx={ctx} body={previewPost.body} images={byId} headingLevel={3} />
            </article>
          </section>
        ) : null}
        <form method="post" action={action} enctype="multipart/form-data" class="stack post-editor">
          <input type="hidden" name="version" value={s.values.version ?? ''} />
          <fieldset class="field">
            <legend>{t('sites.post.kind')}</legend>
            {(['news', 'event'] as const).map((k) => (
              <label class="choice">
                <input type="radio" name="kind" value={k} checked={kind === k} />
                <span>
                  {t(`sites.kind.${k}` as MessageKey)}
                  <span class="help">{t(`sites.kind.${k}Help` as MessageKey)}</span>
                </span>
              </label>
            ))}
          </fieldset>
          <div class="field">
            <label for="f-title">
              {t('sites.post.title')} <span class="muted small">({t('common.required')})</span>
            </label>
            <input type="text" id="f-title" name="title" value={s.values.title ?? ''} maxLength={MAX_TITLE + 50} required {...field('title')} />
            <FieldError ctx={ctx} problems={problems} field="title" />
          </div>
          <fieldset class="group event-fields">
            <legend>{t('sites.editor.eventFields')}</legend>
            <p class="help small">{t('sites.editor.eventHelp')}</p>
            <div class="row-2">
              <div class="field">
                <label for="f-startsAt">{t('sites.post.startsAt')}</label>
                <input type="datetime-local" id="f-startsAt" name="startsAt" value={s.values.startsAt ?? ''} {...field('startsAt')} />
                <FieldError ctx={ctx} problems={problems} field="startsAt" />
              </div>
              <div class="field">
                <label for="f-endsAt">{t('sites.post.endsAt')}</label>
                <input type="datetime-local" id="f-endsAt" name="endsAt" value={s.values.endsAt ?? ''} {...field('endsAt')} />
                <FieldError ctx={ctx} problems={problems} field="endsAt" />
              </div>
            </div>
            <div class="field">
              <label for="f-place">{t('sites.post.place')}</label>
              <input type="text" id="f-place" name="place" value={s.values.place ?? ''} maxLength={350} {...field('place')} />
              <FieldError ctx={ctx} problems={problems} field="place" />
            </div>
          </fieldset>
          <div class="field">
            <label for="f-body">{t('sites.post.body')}</label>
            <textarea id="f-body" name="body" rows={14} maxLength={MAX_BODY_LENGTH + 1000} aria-invalid={invalid(problems, 'body')} aria-describedby={describedBy(problems, 'body', 'body-help')}>
              {s.values.body ?? ''}
            </textarea>
            <span class="help" id="body-help">
              {t('sites.editor.bodyHelp')}
            </span>
            <FieldError ctx={ctx} problems={problems} field="body" />
            <FormatHelp ctx={ctx} id="body-format" />
          </div>
          <div class="field">
            <label for="f-leadImageId">{t('sites.post.leadImage')}</label>
            <select id="f-leadImageId" name="leadImageId" {...field('leadImageId')}>
              <option value="">{t('sites.post.noLeadImage')}</option>
              {images.map((i) => (
                <option value={String(i.id)} selected={s.values.leadImageId === String(i.id)}>
                  {`${i.name} (image:${i.id})`}
                </option>
              ))}
            </select>
            <FieldError ctx={ctx} problems={problems} field="leadImageId" />
          </div>
          <div class="actions">
            <button type="submit" name="action" value="preview" class="secondary">
              {t('sites.editor.preview')}
            </button>
            <button type="submit" name="action" value="save" class={post?.state === 'published' ? undefined : 'secondary'}>
              {post?.state === 'published' ? t('sites.editor.saveLive') : t('sites.editor.saveDraft')}
            </button>
            {post?.state !== 'published' ? (
              <button type="submit" name="action" value="publish">
                {t('sites.editor.publish')}
              </button>
            ) : null}
          </div>
          <fieldset class="group">
            <legend>{t('sites.editor.addImage')}</legend>
            <p class="help small">{t('sites.editor.addImageHelp')}</p>
            <div class="field">
              <label for="f-alt">{t('sites.editor.alt')}</label>
              <input type="text" id="f-alt" name="alt" maxLength={300} aria-describedby="f-alt-help" />
              <span class="help" id="f-alt-help">
                {t('sites.editor.altHelp')}
              </span>
            </div>
            <div class="field">
              <label for="f-image">{t('sites.images.choose')}</label>
              <input type="file" id="f-image" name="image" accept="image/jpeg,image/png,image/webp" aria-describedby="f-image-help" />
              <span class="help" id="f-image-help">
                {t('sites.images.limits', { size: Math.floor(sites.limits.maxBytes / 1024 ** 2) })}
              </span>
            </div>
            <div>
              <button type="submit" name="action" value="upload" class="secondary">
                {t('sites.editor.upload')}
              </button>
            </div>
          </fieldset>
        </form>
        <section class="card" aria-labelledby="shelf-heading">
          <h2 id="shelf-heading">{t('sites.images.title')}</h2>
          <ImageShelf ctx={ctx} images={images} headingId="shelf-heading" />
        </section>
        {post ? (
          <section class="card danger-zone" aria-labelledby="more-heading">
            <h2 id="more-heading">{t('sites.editor.more')}</h2>
            <div class="actions">
              {post.state === 'published' ? (
                <>
                  <a class="button secondary" href={`/l/${unit.slug}/news/${post.id}`}>
                    {t('sites.editor.viewLive')}
                  </a>
                  <PostStateForm ctx={ctx} unit={unit} post={post} fromEditor />
                </>
              ) : null}
              <a class="button secondary danger-link" href={`${BASE}/${unit.id}/posts/${post.id}/delete`}>
                {t('sites.editor.delete')}
              </a>
            </div>
          </section>
        ) : null}
      </Layout>
    );
  };

  const valuesOf = (post: SitePost): Values => ({
    kind: post.kind,
    title: post.title,
    body: post.body,
    leadImageId: post.leadImageId ? String(post.leadImageId) : '',
    startsAt: post.startsAt ? instantToLocal(post.startsAt) : '',
    endsAt: post.endsAt ? instantToLocal(post.endsAt) : '',
    place: post.place ?? '',
    version: String(post.version),
  });

  /** A post of this library (a post of another library is not found here, whatever the actor may do there). */
  const postOf = async (req: FastifyRequest, unit: OrgUnit): Promise<SitePost> => {
    const post = await sites.postForStaff(req.ctx.actor, postParam(req));
    if (post.unitId !== unit.id) throw new AppError('SITE_POST_NOT_FOUND', { post: post.id });
    return post;
  };

  app.get('/sites/:unit/posts/new', async (req, reply) => {
    requireUser(req);
    const unit = await sites.managed(req.ctx.actor, unitParam(req));
    const kind = (req.query as { kind?: string }).kind === 'event' ? 'event' : 'news';
    return sendPage(reply, await editorPage(req, unit, { values: { kind } }));
  });

  app.get('/sites/:unit/posts/:id', async (req, reply) => {
    requireUser(req);
    const unit = await sites.managed(req.ctx.actor, unitParam(req));
    const post = await postOf(req, unit);
    return sendPage(reply, await editorPage(req, unit, { values: valuesOf(post), post, flash: flashFromQuery(pageCtx(req), req.query) }));
  });

  /** Saves, previews or adds an image to a new or existing post, from its multipart form. */
  async function handleEditor(req: FastifyRequest, reply: FastifyReply, unit: OrgUnit, post: SitePost | undefined): Promise<FastifyReply> {
    const ctx = pageCtx(req);
    let form: Received;
    try {
      form = await readForm(req, ['image']);
    } catch (e) {
      if (!(e instanceof AppError) || !e.code.startsWith('SITE_IMAGE')) throw e;
      return sendPage(reply, await editorPage(req, unit, { values: post ? valuesOf(post) : { kind: 'news' }, post, error: e }), e.status);
    }
    const values: Values = { ...form.fields };
    let flash: Flash | undefined;
    try {
      for (const f of form.files) {
        const image = await sites.uploadImage(req.ctx.actor, unit.id, f.upload);
        const alt = (values.alt ?? '').replace(/[[\]\n\r]/g, ' ').trim() || image.name.replace(/\.[a-z0-9]+$/i, '');
        const ref = `![${alt}](image:${image.id})`;
        values.body = `${(values.body ?? '').replace(/\s+$/, '')}${values.body?.trim() ? '\n\n' : ''}${ref}\n`;
        flash = { kind: 'ok', text: ctx.t('sites.editor.imageAdded', { ref }) };
      }
    } catch (e) {
      if (!(e instanceof AppError) || !e.code.startsWith('SITE_IMAGE')) throw e;
      return sendPage(reply, await editorPage(req, unit, { values, post, error: e }), e.status);
    } finally {
      for (const f of form.files) await rm(f.upload.tempPath, { force: true });
    }
    const action = values.action;
    if (action !== 'save' && action !== 'publish') {
      return sendPage(reply, await editorPage(req, unit, { values, post, flash, preview: action === 'preview' }));
    }
    try {
      const saved = post
        ? await sites.updatePost(req.ctx.actor, post.id, values, { version: Number(values.version) || 0, ...(action === 'publish' ? { state: 'published' as const } : {}) })
        : await sites.createPost(req.ctx.actor, unit.id, values, { publish: action === 'publish' });
      const ok = action === 'publish' ? 'sites.editor.publishedOk' : saved.state === 'published' ? 'sites.editor.savedLive' : 'sites.editor.savedDraft';
      return reply.redirect(`${BASE}/${unit.id}/posts/${saved.id}?ok=${ok}`, 303);
    } catch (e) {
      if (!(e instanceof AppError) || e.code === 'PERMISSION_DENIED') throw e;
      return sendPage(reply, await editorPage(req, unit, { values, post, error: e, flash }), e.status);
    }
  }

  app.post('/sites/:unit/posts/new', async (req, reply) => {
    requireUser(req);
    const unit = await managedOrDrain(req, unitParam(req));
    return handleEditor(req, reply, unit, undefined);
  });

  app.post('/sites/:unit/posts/:id', async (req, reply) => {
    requireUser(req);
    const unit = await managedOrDrain(req, unitParam(req));
    let post: SitePost;
    try {
      post = await postOf(req, unit);
    } catch (e) {
      req.raw.resume();
      throw e;
    }
    return handleEditor(req, reply, unit, post);
  });

  app.post('/sites/:unit/posts/:id/state', async (req, reply) => {
    requireUser(req);
    const unit = await sites.managed(req.ctx.actor, unitParam(req));
    const post = await postOf(req, unit);
    const v = formValues(req);
    const state = isPostState(v.state) ? v.state : undefined;
    if (!state) throw new AppError('VALIDATION', {}, [{ field: 'state', code: 'VALIDATION' }]);
    await sites.setPostState(req.ctx.actor, post.id, state, v.version ? Number(v.version) : undefined);
    const back = typeof v.next === 'string' && v.next === 'editor' ? `${BASE}/${unit.id}/posts/${post.id}` : `${BASE}/${unit.id}`;
    return reply.redirect(`${back}?ok=${state === 'published' ? 'sites.editor.publishedOk' : 'sites.editor.unpublishedOk'}`, 303);
  });

  app.get('/sites/:unit/posts/:id/delete', async (req, reply) => {
    requireUser(req);
    const ctx = pageCtx(req);
    const { t } = ctx;
    const unit = await sites.managed(req.ctx.actor, unitParam(req));
    const post = await postOf(req, unit);
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('sites.delete.title')} staff styles={['site.css']}>
        <Breadcrumbs
          label={t('nav.menu')}
          items={[
            [BASE, t('sites.staff.title')],
            [`${BASE}/${unit.id}`, unitName(ctx, unit)],
            [`${BASE}/${unit.id}/posts/${post.id}`, post.title],
          ]}
        />
        <h1>{t('sites.delete.title')}</h1>
        <p>{t('sites.delete.confirm', { title: post.title })}</p>
        {post.state === 'published' ? <p class="flash flash-warning">{t('sites.delete.published')}</p> : null}
        <form method="post" action={`${BASE}/${unit.id}/posts/${post.id}/delete`} class="actions">
          <Csrf ctx={ctx} />
          <input type="hidden" name="version" value={String(post.version)} />
          <button type="submit" class="danger">
            {t('sites.delete.submit')}
          </button>
          <a href={`${BASE}/${unit.id}/posts/${post.id}`}>{t('common.cancel')}</a>
        </form>
      </Layout>,
    );
  });

  app.post('/sites/:unit/posts/:id/delete', async (req, reply) => {
    requireUser(req);
    const unit = await sites.managed(req.ctx.actor, unitParam(req));
    const post = await postOf(req, unit);
    const v = formValues(req);
    await sites.deletePost(req.ctx.actor, post.id, v.version ? Number(v.version) : undefined);
    return reply.redirect(`${BASE}/${unit.id}?ok=sites.delete.done`, 303);
  });
}
