/**
 * Sitemaps (sitemaps.org protocol 0.9): a `<urlset>` of pages and a `<sitemapindex>` of sitemaps.
 *
 * The protocol's limits: at most 50,000 URLs and 50 MB (uncompressed) per file, each `<loc>` an
 * absolute URL of at most 2,048 characters, entity-escaped; `<lastmod>` in W3C Datetime. A urlset
 * can be written at once ({@link writeUrlset}) or streamed ({@link urlsetOpen}, {@link urlEntry},
 * {@link URLSET_CLOSE}), the way a sitemap of a large catalogue is sent.
 *
 * @example
 * writeUrlset([{ loc: 'https://thuvien.example.vn/record/12', lastmod: '2026-03-15T03:00:00.000Z' }])
 */
import { XML_DECLARATION, element, isAbsoluteHttpUrl, xmlText } from './_xml.js';

export const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
/** Most URLs one sitemap may list, and most sitemaps one index may list. */
export const MAX_SITEMAP_URLS = 50_000;
/** Largest sitemap file, uncompressed. */
export const MAX_SITEMAP_BYTES = 50 * 1024 * 1024;
/** Longest `<loc>`. */
export const MAX_LOC = 2048;

export const CHANGE_FREQUENCIES = ['always', 'hourly', 'daily', 'weekly', 'monthly', 'yearly', 'never'] as const;
export type ChangeFrequency = (typeof CHANGE_FREQUENCIES)[number];

export interface SitemapUrl {
  /** Absolute http(s) URL. */
  loc: string;
  /** When the page last changed: an ISO 8601 date or date-time. */
  lastmod?: string | null;
  changefreq?: ChangeFrequency;
  /** 0.0–1.0. */
  priority?: number;
}

export interface SitemapRef {
  loc: string;
  lastmod?: string | null;
}

const W3C_DATETIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;

function checkLoc(loc: string): void {
  if (!isAbsoluteHttpUrl(loc)) throw new RangeError(`sitemap: <loc> must be an absolute http(s) URL, got ${JSON.stringify(loc.slice(0, 100))}`);
  if (loc.length > MAX_LOC) throw new RangeError(`sitemap: <loc> is ${loc.length} characters long, more than ${MAX_LOC}`);
}

function lastmod(v: string | null | undefined): string {
  if (!v) return '';
  if (!W3C_DATETIME.test(v)) throw new RangeError(`sitemap: <lastmod> must be a W3C datetime, got ${JSON.stringify(v.slice(0, 40))}`);
  return element('lastmod', v);
}

/** The start of a `<urlset>`, with the XML declaration. */
export function urlsetOpen(): string {
  return `${XML_DECLARATION}<urlset xmlns="${SITEMAP_NS}">\n`;
}

export const URLSET_CLOSE = '</urlset>\n';

/** One `<url>` element. Throws RangeError for a relative or over-long `loc`, a bad date or priority. */
export function urlEntry(u: SitemapUrl): string {
  checkLoc(u.loc);
  let out = `<url><loc>${xmlText(u.loc)}</loc>${lastmod(u.lastmod)}`;
  if (u.changefreq) {
    if (!CHANGE_FREQUENCIES.includes(u.changefreq)) throw new RangeError(`sitemap: unknown <changefreq> ${u.changefreq}`);
    out += `<changefreq>${u.changefreq}</changefreq>`;
  }
  if (u.priority !== undefined) {
    if (!(u.priority >= 0 && u.priority <= 1)) throw new RangeError(`sitemap: <priority> must be between 0 and 1, got ${u.priority}`);
    out += `<priority>${u.priority.toFixed(1)}</priority>`;
  }
  return `${out}</url>\n`;
}

/** A whole `<urlset>`. Throws RangeError when given more than {@link MAX_SITEMAP_URLS} URLs. */
export function writeUrlset(urls: readonly SitemapUrl[]): string {
  if (urls.length > MAX_SITEMAP_URLS) throw new RangeError(`sitemap: ${urls.length} URLs, more than ${MAX_SITEMAP_URLS} in one file`);
  return urlsetOpen() + urls.map(urlEntry).join('') + URLSET_CLOSE;
}

/** A `<sitemapindex>` listing sitemaps. */
export function writeSitemapIndex(sitemaps: readonly SitemapRef[]): string {
  if (sitemaps.length > MAX_SITEMAP_URLS) throw new RangeError(`sitemap index: ${sitemaps.length} sitemaps, more than ${MAX_SITEMAP_URLS}`);
  let out = `${XML_DECLARATION}<sitemapindex xmlns="${SITEMAP_NS}">\n`;
  for (const s of sitemaps) {
    checkLoc(s.loc);
    out += `<sitemap><loc>${xmlText(s.loc)}</loc>${lastmod(s.lastmod)}</sitemap>\n`;
  }
  return `${out}</sitemapindex>\n`;
}
