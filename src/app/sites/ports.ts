/**
 * Ports of the library websites: the repository of site settings, images and posts
 * (`adapters/db/repositories/site.repository.ts`), and the image tools that check and resize
 * uploads (`adapters/image/site-images.ts`).
 */
import type { PostKind, PostState } from '../../domain/sites/post.js';

/** A resized copy of an uploaded image, stored in the file store under its own hash. */
export interface SiteImageVariant {
  /** The width asked for (400, 1200): part of the copy's address, `/site-media/<sha>-<w>.<ext>`. */
  w: number;
  format: 'webp' | 'jpeg';
  sha256: string;
  size: number;
  /** The copy's real size in pixels (smaller than `w` when the upload was). */
  width: number;
  height: number;
}

export interface SiteImage {
  id: number;
  unitId: number;
  /** The upload as received. */
  sha256: string;
  mediaType: string;
  size: number;
  width: number;
  height: number;
  name: string;
  variants: SiteImageVariant[];
  createdAt: string;
  createdBy: number | null;
}

export interface SiteSettingsRow {
  unitId: number;
  published: boolean;
  publishedAt: string | null;
  accentColor: string | null;
  logoImageId: number | null;
  bannerImageId: number | null;
  introVi: string | null;
  introEn: string | null;
  version: number;
  updatedAt: string;
  updatedBy: number | null;
}

export interface SitePostFields {
  kind: PostKind;
  title: string;
  body: string;
  leadImageId: number | null;
  startsAt: string | null;
  endsAt: string | null;
  place: string | null;
}

export interface SitePost extends SitePostFields {
  id: number;
  unitId: number;
  state: PostState;
  publishedAt: string | null;
  authorId: number | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  updatedBy: number | null;
}

export interface PostListFilter {
  unitIds?: readonly number[];
  state?: PostState;
  kind?: PostKind;
  /** Only posts of libraries whose website is published (what the public may see). */
  publicOnly?: boolean;
  limit: number;
  offset?: number;
}

export interface SiteRepository {
  getSettings(unitId: number): Promise<SiteSettingsRow | undefined>;
  /**
   * Creates a library's settings, or changes them if `version` still matches (any version when
   * undefined); false when it does not. Bumps the version.
   */
  saveSettings(
    unitId: number,
    s: Partial<Pick<SiteSettingsRow, 'published' | 'publishedAt' | 'accentColor' | 'logoImageId' | 'bannerImageId' | 'introVi' | 'introEn'>>,
    by: number | null,
    now: string,
    version?: number,
  ): Promise<boolean>;
  /** Libraries whose website is published, and since when, earliest first. */
  publishedSites(): Promise<{ unitId: number; publishedAt: string }[]>;

  insertImage(i: Omit<SiteImage, 'id'>): Promise<SiteImage>;
  getImage(id: number): Promise<SiteImage | undefined>;
  getImages(ids: readonly number[]): Promise<SiteImage[]>;
  /** An image by the hash of its upload (any library's: the copies are the same). */
  imageBySha(sha256: string): Promise<SiteImage | undefined>;
  /** A library's images, newest first. */
  imagesOf(unitId: number, limit: number): Promise<SiteImage[]>;

  insertPost(p: SitePostFields & { unitId: number; state: PostState; publishedAt: string | null; authorId: number | null }, now: string): Promise<SitePost>;
  getPost(id: number): Promise<SitePost | undefined>;
  /** Changes a post if `version` matches; false otherwise. Bumps the version. */
  updatePost(id: number, patch: Partial<SitePostFields> & { state?: PostState; publishedAt?: string | null }, by: number | null, now: string, version: number): Promise<boolean>;
  deletePost(id: number): Promise<void>;
  /** Posts newest first: published ones by publication, drafts by their last change. */
  listPosts(f: PostListFilter): Promise<SitePost[]>;
  countPosts(unitId: number): Promise<Record<PostState, number>>;
  countPublished(f: Omit<PostListFilter, 'limit' | 'offset' | 'state'>): Promise<number>;
  /** Published events not over at `now` (ending, or starting when they have no end, at or after it), soonest first. */
  upcomingEvents(f: { unitIds?: readonly number[]; publicOnly?: boolean; now: string; limit: number }): Promise<SitePost[]>;
}

/** What site images may be: checked before anything is decoded (see `adapters/image/site-images.ts`). */
export interface SiteImageLimits {
  /** Largest upload in bytes (default 15 MiB). */
  maxBytes: number;
  /** Largest image in pixels, width × height (default 50 megapixels). */
  maxPixels: number;
  /** Longest side in pixels (default 12,000). */
  maxSide: number;
  /** Longest time to decode and resize one image, in ms (default 30 s). */
  timeoutMs: number;
}

export const DEFAULT_SITE_IMAGE_LIMITS: SiteImageLimits = { maxBytes: 15 * 1024 ** 2, maxPixels: 50_000_000, maxSide: 12_000, timeoutMs: 30_000 };

/** The kinds of image a website accepts (judged by the file's first bytes). */
export type SiteImageKind = 'jpeg' | 'png' | 'webp';

/**
 * Checks and resizes images uploaded to library websites. Bad input is reported by throwing
 * `MediaError` (`MEDIA_TYPE_UNSUPPORTED`, `MEDIA_CORRUPT`, `MEDIA_TOO_MANY_PIXELS`,
 * `MEDIA_TOO_LARGE`, `MEDIA_TOO_COMPLEX`); outputs are written whole or not at all.
 */
export interface SiteImageTools {
  /** The kind (by magic bytes) and size in pixels (after EXIF orientation) of an upload, fully decoded once to find damage. */
  inspect(path: string, limits: SiteImageLimits): Promise<{ kind: SiteImageKind; mediaType: string; width: number; height: number }>;
  /** Writes a copy at most `width` px wide (never enlarged), upright, sRGB, without metadata (no GPS position leaves the library). */
  resize(source: string, out: string, opts: { width: number; format: 'webp' | 'jpeg' }, limits: SiteImageLimits): Promise<{ width: number; height: number }>;
}
