/**
 * Every library's own website: its branding (accent colour, logo, banner), introduction, news and
 * events, and whether it is published. Staff edit the sites of the libraries where they hold
 * `site.manage` (a district's staff with a subtree grant edit their communes' sites too; a commune
 * librarian with a unit grant edits only their own). Every write is checked against the tree and
 * audited in the same transaction.
 *
 * Images are kept in the content-addressed file store: the upload as received, and copies 400 and
 * 1,200 px wide in WebP and JPEG, each under its own hash, served at
 * `/site-media/<upload sha>-<width>.<webp|jpg>` for a year (an address never changes content).
 *
 * Readers see a library's posts only while its website is published; drafts never.
 */
import { rm } from 'node:fs/promises';
import { AppError, type FieldProblem } from '../../domain/errors.js';
import { allows } from '../../domain/access/permissions.js';
import { pathIds } from '../../domain/org/history.js';
import type { OrgUnit } from '../../domain/org/unit.js';
import { accentPalette, type AccentPalette } from '../../domain/sites/colour.js';
import { checkPost, checkSiteSettings, type PostState } from '../../domain/sites/post.js';
import { parseBody } from '../../domain/sites/post-body.js';
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import { authorize, recordDenial, runWrite } from '../guard.js';
import { MediaError, type BlobStore } from '../digital/media.js';
import type { Clock, Repos, Store } from '../ports.js';
import { DEFAULT_SITE_IMAGE_LIMITS, type SiteImage, type SiteImageLimits, type SiteImageTools, type SiteImageVariant, type SitePost, type SiteSettingsRow } from './ports.js';

/** Widths of the copies made of every image: a phone's column, and a wide screen's banner. */
export const IMAGE_WIDTHS = [400, 1200] as const;
export const IMAGE_FORMATS = ['webp', 'jpeg'] as const;
/** Images listed for staff to choose from. */
const IMAGE_LIST = 60;

export interface SiteDeps {
  store: Store;
  clock: Clock;
  blobs: Pick<BlobStore, 'receive' | 'hashFile' | 'adopt' | 'tempPath' | 'pathOf' | 'exists'>;
  images: SiteImageTools;
  limits?: Partial<SiteImageLimits>;
}

/** A library's website as pages show it, whether or not anything was ever saved. */
export interface SiteView {
  unit: OrgUnit;
  published: boolean;
  publishedAt: string | null;
  /** The colour staff chose; null when none (the inherited `site.accent_color` setting, or the network's green, applies). */
  accentColor: string | null;
  /** The colours the pages use, always readable with white text. */
  palette: AccentPalette;
  logo: SiteImage | null;
  banner: SiteImage | null;
  introVi: string | null;
  introEn: string | null;
  /** 0 until the settings are first saved. */
  version: number;
  updatedAt: string | null;
}

export interface SettingsInput {
  accentColor?: unknown;
  introVi?: unknown;
  introEn?: unknown;
  /** An image of this library, `null` to remove, undefined to keep. */
  logoImageId?: number | null;
  bannerImageId?: number | null;
  version: number;
}

export interface ImageUpload {
  tempPath: string;
  sha256: string;
  size: number;
  name: string;
}

/** The stored file of one copy of an image, for the media route. */
export interface ImageFile {
  path: string;
  mediaType: string;
  size: number;
  etag: string;
}

export class SiteService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #blobs: SiteDeps['blobs'];
  readonly #images: SiteImageTools;
  readonly limits: SiteImageLimits;

  constructor(deps: SiteDeps) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#blobs = deps.blobs;
    this.#images = deps.images;
    this.limits = { ...DEFAULT_SITE_IMAGE_LIMITS, ...deps.limits };
  }

  /** The service's clock (the demo dates its coming events from it). */
  now(): Date {
    return this.#clock.now();
  }

  // ------------------------------------------------------------------ reading (public)

  /** Whether a unit may have a website: any library or service point that is open; not the network itself. */
  static eligible(unit: Pick<OrgUnit, 'typeCode' | 'status'>): boolean {
    return unit.typeCode !== 'network' && unit.status === 'active';
  }

  /** A library's website settings with their images and the colours to use. */
  async view(unit: OrgUnit): Promise<SiteView> {
    const s = await this.#store.sites.getSettings(unit.id);
    const ids = [s?.logoImageId, s?.bannerImageId].filter((x): x is number => typeof x === 'number');
    const images = new Map((await this.#store.sites.getImages(ids)).map((i) => [i.id, i]));
    const accent = s?.accentColor ?? (await this.#inheritedAccent(unit));
    return {
      unit,
      published: s?.published === true && SiteService.eligible(unit),
      publishedAt: s?.published ? s.publishedAt : null,
      accentColor: s?.accentColor ?? null,
      palette: accentPalette(accent),
      logo: s?.logoImageId ? (images.get(s.logoImageId) ?? null) : null,
      banner: s?.bannerImageId ? (images.get(s.bannerImageId) ?? null) : null,
      introVi: s?.introVi ?? null,
      introEn: s?.introEn ?? null,
      version: s?.version ?? 0,
      updatedAt: s?.updatedAt ?? null,
    };
  }

  /** The `site.accent_color` setting as it applies at the unit (set along the tree), if any unit set it. */
  async #inheritedAccent(unit: OrgUnit): Promise<string | null> {
    const ids = pathIds(unit.path);
    const stored = await this.#store.org.settingsAt(ids);
    let value: string | null = null;
    for (const id of ids) {
      const v = stored.get(id)?.get('site.accent_color');
      if (typeof v === 'string') value = v;
    }
    return value;
  }

  /** Libraries whose website is published, and since when. */
  publishedSites(): Promise<{ unitId: number; publishedAt: string }[]> {
    return this.#store.sites.publishedSites();
  }

  /** A published post of a library whose website is published; NOT_FOUND otherwise (drafts stay unseen). */
  async publicPost(unit: OrgUnit, postId: number): Promise<SitePost> {
    const post = await this.#store.sites.getPost(postId);
    if (!post || post.unitId !== unit.id || post.state !== 'published') throw new AppError('SITE_POST_NOT_FOUND', { post: postId });
    const s = await this.#store.sites.getSettings(unit.id);
    if (!s?.published || !SiteService.eligible(unit)) throw new AppError('SITE_POST_NOT_FOUND', { post: postId });
    return post;
  }

  /** A library's published posts, newest first (none while its website is unpublished). */
  async publicPosts(unit: OrgUnit, opts: { limit: number; offset?: number; kind?: 'news' | 'event' }): Promise<{ posts: SitePost[]; total: number }> {
    const f = { unitIds: [unit.id], publicOnly: true, ...(opts.kind ? { kind: opts.kind } : {}) };
    const [posts, total] = await Promise.all([this.#store.sites.listPosts({ ...f, state: 'published', limit: opts.limit, offset: opts.offset ?? 0 }), this.#store.sites.countPublished(f)]);
    return { posts, total };
  }

  /** The network's latest published posts (the portal), or those of some libraries. */
  latestPosts(opts: { limit: number; unitIds?: readonly number[]; kind?: 'news' | 'event' }): Promise<SitePost[]> {
    return this.#store.sites.listPosts({ state: 'published', publicOnly: true, limit: opts.limit, ...(opts.unitIds ? { unitIds: opts.unitIds } : {}), ...(opts.kind ? { kind: opts.kind } : {}) });
  }

  /** Published events not over yet, soonest first. */
  upcomingEvents(opts: { limit: number; unitIds?: readonly number[] }): Promise<SitePost[]> {
    return this.#store.sites.upcomingEvents({ publicOnly: true, now: this.#clock.now().toISOString(), limit: opts.limit, ...(opts.unitIds ? { unitIds: opts.unitIds } : {}) });
  }

  /** Images by id (to render posts), as a map. */
  async imagesById(ids: Iterable<number>): Promise<Map<number, SiteImage>> {
    const list = [...new Set(ids)];
    return new Map((await this.#store.sites.getImages(list)).map((i) => [i.id, i]));
  }

  /** The ids of the images a post shows: its lead image and those in its body. */
  static imageIdsOf(posts: readonly Pick<SitePost, 'leadImageId' | 'body'>[]): number[] {
    const out = new Set<number>();
    for (const p of posts) {
      if (p.leadImageId) out.add(p.leadImageId);
      for (const id of parseBody(p.body).images) out.add(id);
    }
    return [...out];
  }

  /** The stored copy `<sha>-<w>.<ext>` of an image, if there is one. */
  async imageFile(sha256: string, w: number, format: 'webp' | 'jpeg'): Promise<ImageFile | undefined> {
    const image = await this.#store.sites.imageBySha(sha256);
    const v = image?.variants.find((x) => x.w === w && x.format === format);
    if (!v) return undefined;
    return { path: this.#blobs.pathOf(v.sha256), mediaType: format === 'webp' ? 'image/webp' : 'image/jpeg', size: v.size, etag: `"${v.sha256.slice(0, 32)}"` };
  }

  // ------------------------------------------------------------------ reading (staff)

  /** Open libraries where the actor may edit the website, in tree order. */
  async managedUnits(actor: Actor): Promise<OrgUnit[]> {
    const units = await this.#store.org.list({ activeOnly: true });
    return units.filter((u) => SiteService.eligible(u) && allows(actor.grants, 'site.manage', { id: u.id, path: u.path })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** A library the actor may edit the website of (PERMISSION_DENIED otherwise). */
  async managed(actor: Actor, unitId: number): Promise<OrgUnit> {
    await authorize(this.#store, actor, 'site.manage', unitId);
    const unit = await this.#store.org.getById(unitId);
    if (!unit) throw new AppError('ORG_UNIT_NOT_FOUND', { unit: unitId });
    return unit;
  }

  /** A post of a library the actor manages. */
  async postForStaff(actor: Actor, postId: number): Promise<SitePost> {
    const post = await this.#store.sites.getPost(postId);
    if (!post) throw new AppError('SITE_POST_NOT_FOUND', { post: postId });
    await authorize(this.#store, actor, 'site.manage', post.unitId);
    return post;
  }

  async postsForStaff(actor: Actor, unitId: number, opts: { state?: PostState; limit: number; offset?: number }): Promise<{ posts: SitePost[]; counts: Record<PostState, number> }> {
    await authorize(this.#store, actor, 'site.manage', unitId);
    const [posts, counts] = await Promise.all([
      this.#store.sites.listPosts({ unitIds: [unitId], limit: opts.limit, offset: opts.offset ?? 0, ...(opts.state ? { state: opts.state } : {}) }),
      this.#store.sites.countPosts(unitId),
    ]);
    return { posts, counts };
  }

  /** A library's images, newest first, for staff to choose from. */
  async imagesForStaff(actor: Actor, unitId: number): Promise<SiteImage[]> {
    await authorize(this.#store, actor, 'site.manage', unitId);
    return this.#store.sites.imagesOf(unitId, IMAGE_LIST);
  }

  // ------------------------------------------------------------------ settings

  async updateSettings(actor: Actor, unitId: number, input: SettingsInput): Promise<SiteView> {
    const checked = checkSiteSettings(input);
    await runWrite(this.#store, this.#clock, actor, async (tx) => {
      const unit = await this.#editable(tx, actor, unitId);
      const problems = [...checked.problems];
      await this.#checkImages(tx, unit.id, { logoImageId: input.logoImageId ?? null, bannerImageId: input.bannerImageId ?? null }, problems);
      if (checked.value) await this.#checkImages(tx, unit.id, { introVi: parseBody(checked.value.introVi ?? '').images, introEn: parseBody(checked.value.introEn ?? '').images }, problems);
      if (problems.length > 0 || !checked.value) throw new AppError('VALIDATION', {}, problems);
      const before = (await tx.sites.getSettings(unit.id)) ?? null;
      const now = this.#clock.now();
      const change = {
        accentColor: checked.value.accentColor,
        introVi: checked.value.introVi,
        introEn: checked.value.introEn,
        ...(input.logoImageId !== undefined ? { logoImageId: input.logoImageId } : {}),
        ...(input.bannerImageId !== undefined ? { bannerImageId: input.bannerImageId } : {}),
      };
      if (!(await tx.sites.saveSettings(unit.id, change, actor.userId, now.toISOString(), input.version))) throw new AppError('SITE_STALE_VERSION');
      await audit(tx, actor, now, { action: 'site.settings.update', unitId: unit.id, targetType: 'site', targetId: unit.id, before: before && settingsAudit(before), after: settingsAudit((await tx.sites.getSettings(unit.id))!) });
    });
    return this.view((await this.#store.org.getById(unitId))!);
  }

  /** Publishes or unpublishes a library's website. Publishing again restarts "published since". */
  async setPublished(actor: Actor, unitId: number, published: boolean): Promise<SiteView> {
    await runWrite(this.#store, this.#clock, actor, async (tx) => {
      const unit = await this.#editable(tx, actor, unitId);
      const before = await tx.sites.getSettings(unit.id);
      if ((before?.published ?? false) === published) return;
      const now = this.#clock.now();
      await tx.sites.saveSettings(unit.id, published ? { published, publishedAt: now.toISOString() } : { published }, actor.userId, now.toISOString());
      await audit(tx, actor, now, { action: published ? 'site.publish' : 'site.unpublish', unitId: unit.id, targetType: 'site', targetId: unit.id, before: { published: before?.published ?? false }, after: { published } });
    });
    return this.view((await this.#store.org.getById(unitId))!);
  }

  // ------------------------------------------------------------------ images

  /** Streams an upload into the file store's temporary folder, hashing it; refuses past the byte limit and leaves nothing. */
  async receive(source: NodeJS.ReadableStream | AsyncIterable<Uint8Array>, name: string): Promise<ImageUpload> {
    try {
      const got = await this.#blobs.receive(source, this.limits.maxBytes);
      return { tempPath: got.path, sha256: got.sha256, size: got.size, name: cleanFileName(name) };
    } catch (e) {
      throw this.#imageError(e, cleanFileName(name));
    }
  }

  /**
   * Checks an upload and stores it with its resized copies for a library's website. The
   * temporary file is always consumed. Refused before any decoding when the actor may not edit
   * the website, or the file is not a JPEG, PNG or WebP image (by its first bytes), or too big.
   */
  async uploadImage(actor: Actor, unitId: number, file: ImageUpload): Promise<SiteImage> {
    const made: string[] = [];
    try {
      await this.#editable(this.#store, actor, unitId).catch(async (e: unknown) => {
        if (e instanceof AppError && e.code === 'PERMISSION_DENIED') await recordDenial(this.#store, this.#clock, actor, e);
        throw e;
      });
      const name = cleanFileName(file.name) || 'image';
      const info = await this.#images.inspect(file.tempPath, this.limits).catch((e: unknown) => {
        throw this.#imageError(e, name);
      });
      const variants: SiteImageVariant[] = [];
      for (const w of IMAGE_WIDTHS) {
        for (const format of IMAGE_FORMATS) {
          const out = this.#blobs.tempPath(format === 'webp' ? '.webp' : '.jpg');
          made.push(out);
          const size = await this.#images.resize(file.tempPath, out, { width: w, format }, this.limits).catch((e: unknown) => {
            throw this.#imageError(e, name);
          });
          const hashed = await this.#blobs.hashFile(out);
          variants.push({ w, format, sha256: hashed.sha256, size: hashed.size, width: size.width, height: size.height });
        }
      }
      for (let i = 0; i < variants.length; i++) await this.#blobs.adopt(made[i]!, variants[i]!.sha256);
      await this.#blobs.adopt(file.tempPath, file.sha256);
      return await runWrite(this.#store, this.#clock, actor, async (tx) => {
        await this.#editable(tx, actor, unitId);
        const now = this.#clock.now();
        const at = now.toISOString();
        await tx.digital.putBlob({ sha256: file.sha256, size: file.size, mediaType: info.mediaType }, at);
        for (const v of variants) await tx.digital.putBlob({ sha256: v.sha256, size: v.size, mediaType: v.format === 'webp' ? 'image/webp' : 'image/jpeg' }, at);
        const image = await tx.sites.insertImage({ unitId, sha256: file.sha256, mediaType: info.mediaType, size: file.size, width: info.width, height: info.height, name, variants, createdAt: at, createdBy: actor.userId });
        await audit(tx, actor, now, { action: 'site.image.upload', unitId, targetType: 'site_image', targetId: image.id, after: { name, sha256: file.sha256, size: file.size, width: info.width, height: info.height } });
        return image;
      });
    } finally {
      // Whatever was not adopted (a refusal half-way) is removed; adopted files are no longer here.
      await rm(file.tempPath, { force: true });
      for (const p of made) await rm(p, { force: true });
    }
  }

  #imageError(e: unknown, name: string): unknown {
    if (!(e instanceof MediaError)) return e;
    switch (e.code) {
      case 'MEDIA_TOO_LARGE':
        return new AppError('SITE_IMAGE_TOO_LARGE', { name, limit: Math.floor(this.limits.maxBytes / 1024 ** 2) });
      case 'MEDIA_TYPE_UNSUPPORTED':
        return new AppError('SITE_IMAGE_TYPE', { name });
      case 'MEDIA_TOO_MANY_PIXELS':
        return new AppError('SITE_IMAGE_TOO_MANY_PIXELS', { name, width: Number(e.params.width ?? 0), height: Number(e.params.height ?? 0), limit: Math.floor(this.limits.maxPixels / 1_000_000) });
      default:
        return new AppError('SITE_IMAGE_CORRUPT', { name });
    }
  }

  // ------------------------------------------------------------------ posts

  /** Writes a new post, as a draft or published at once. */
  async createPost(actor: Actor, unitId: number, raw: Record<string, unknown>, opts: { publish?: boolean } = {}): Promise<SitePost> {
    const checked = checkPost(raw);
    return runWrite(this.#store, this.#clock, actor, async (tx) => {
      const unit = await this.#editable(tx, actor, unitId);
      const problems = [...checked.problems];
      if (checked.value) await this.#checkImages(tx, unit.id, { leadImageId: checked.value.leadImageId, body: parseBody(checked.value.body).images }, problems);
      if (problems.length > 0 || !checked.value) throw new AppError('VALIDATION', {}, problems);
      const now = this.#clock.now();
      const state: PostState = opts.publish ? 'published' : 'draft';
      const post = await tx.sites.insertPost({ ...checked.value, unitId: unit.id, state, publishedAt: opts.publish ? now.toISOString() : null, authorId: actor.userId }, now.toISOString());
      await audit(tx, actor, now, { action: 'site.post.create', unitId: unit.id, targetType: 'site_post', targetId: post.id, after: postAudit(post) });
      return post;
    });
  }

  /**
   * Changes a post. With `state`, publishes or unpublishes it in the same write. The date a post
   * was first published stays its date, so correcting a post does not bring it back to the top.
   */
  async updatePost(actor: Actor, postId: number, raw: Record<string, unknown>, opts: { version: number; state?: PostState }): Promise<SitePost> {
    const checked = checkPost(raw);
    return runWrite(this.#store, this.#clock, actor, async (tx) => {
      const before = await tx.sites.getPost(postId);
      if (!before) throw new AppError('SITE_POST_NOT_FOUND', { post: postId });
      const unit = await this.#editable(tx, actor, before.unitId);
      const problems = [...checked.problems];
      if (checked.value) await this.#checkImages(tx, unit.id, { leadImageId: checked.value.leadImageId, body: parseBody(checked.value.body).images }, problems);
      if (problems.length > 0 || !checked.value) throw new AppError('VALIDATION', {}, problems);
      const now = this.#clock.now();
      const state = opts.state ?? before.state;
      const publishedAt = state === 'published' ? (before.publishedAt ?? now.toISOString()) : before.publishedAt;
      if (!(await tx.sites.updatePost(postId, { ...checked.value, state, publishedAt }, actor.userId, now.toISOString(), opts.version))) throw new AppError('SITE_STALE_VERSION');
      const after = (await tx.sites.getPost(postId))!;
      await audit(tx, actor, now, { action: 'site.post.update', unitId: unit.id, targetType: 'site_post', targetId: postId, before: postAudit(before), after: postAudit(after) });
      if (state !== before.state) await audit(tx, actor, now, { action: state === 'published' ? 'site.post.publish' : 'site.post.unpublish', unitId: unit.id, targetType: 'site_post', targetId: postId });
      return after;
    });
  }

  /** Publishes or unpublishes a post as it is. */
  async setPostState(actor: Actor, postId: number, state: PostState, version?: number): Promise<SitePost> {
    return runWrite(this.#store, this.#clock, actor, async (tx) => {
      const before = await tx.sites.getPost(postId);
      if (!before) throw new AppError('SITE_POST_NOT_FOUND', { post: postId });
      const unit = await this.#editable(tx, actor, before.unitId);
      if (before.state === state) return before;
      const now = this.#clock.now();
      const publishedAt = state === 'published' ? (before.publishedAt ?? now.toISOString()) : before.publishedAt;
      if (!(await tx.sites.updatePost(postId, { state, publishedAt }, actor.userId, now.toISOString(), version ?? before.version))) throw new AppError('SITE_STALE_VERSION');
      await audit(tx, actor, now, { action: state === 'published' ? 'site.post.publish' : 'site.post.unpublish', unitId: unit.id, targetType: 'site_post', targetId: postId, before: { state: before.state }, after: { state } });
      return (await tx.sites.getPost(postId))!;
    });
  }

  async deletePost(actor: Actor, postId: number, version?: number): Promise<void> {
    await runWrite(this.#store, this.#clock, actor, async (tx) => {
      const before = await tx.sites.getPost(postId);
      if (!before) throw new AppError('SITE_POST_NOT_FOUND', { post: postId });
      const unit = await this.#editable(tx, actor, before.unitId);
      if (version !== undefined && version !== before.version) throw new AppError('SITE_STALE_VERSION');
      await tx.sites.deletePost(postId);
      await audit(tx, actor, this.#clock.now(), { action: 'site.post.delete', unitId: unit.id, targetType: 'site_post', targetId: postId, before: postAudit(before) });
    });
  }

  // ------------------------------------------------------------------ shared checks

  /** The unit, when the actor may edit its website and it may have one. */
  async #editable(tx: Repos, actor: Actor, unitId: number): Promise<OrgUnit> {
    await authorize(tx, actor, 'site.manage', unitId);
    const unit = await tx.org.getById(unitId);
    if (!unit) throw new AppError('ORG_UNIT_NOT_FOUND', { unit: unitId });
    if (!SiteService.eligible(unit)) throw new AppError('SITE_NOT_ELIGIBLE', { unit: unit.code });
    return unit;
  }

  /** Every image named must be one of this library's (never another library's, whose staff did not agree to it). */
  async #checkImages(tx: Repos, unitId: number, refs: Record<string, number | null | readonly number[]>, problems: FieldProblem[]): Promise<void> {
    const wanted = new Set<number>();
    for (const v of Object.values(refs)) for (const id of v === null ? [] : typeof v === 'number' ? [v] : v) wanted.add(id);
    if (wanted.size === 0) return;
    const found = new Map((await tx.sites.getImages([...wanted])).map((i) => [i.id, i]));
    for (const [field, v] of Object.entries(refs)) {
      for (const id of v === null ? [] : typeof v === 'number' ? [v] : v) {
        if (found.get(id)?.unitId !== unitId) problems.push({ field, code: 'SITE_IMAGE_UNKNOWN', params: { image: id } });
      }
    }
  }
}

/** The name the browser gave a file, without any path, control characters or excess length. */
export function cleanFileName(raw: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  const base = (raw ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base.normalize('NFC').slice(0, 200);
}

function settingsAudit(s: SiteSettingsRow): Record<string, unknown> {
  return { published: s.published, accentColor: s.accentColor, logoImageId: s.logoImageId, bannerImageId: s.bannerImageId, introVi: s.introVi, introEn: s.introEn };
}

function postAudit(p: SitePost): Record<string, unknown> {
  return { kind: p.kind, title: p.title, state: p.state, body: p.body, leadImageId: p.leadImageId, startsAt: p.startsAt, endsAt: p.endsAt, place: p.place };
}
