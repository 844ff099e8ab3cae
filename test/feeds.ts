/**
 * Structural checks of the feeds we publish, written from the standards (no schema validator is
 * available offline): the sitemaps.org 0.9 schema (`sitemap.xsd`, `siteindex.xsd`), Atom (RFC
 * 4287) and OpenSearch 1.1 description documents. Each returns the parsed tree for further checks.
 */
import { expect } from 'vitest';
import { kids, only, parseXml, type XmlNode } from './xml.js';

const SITEMAP_NS = 'http://www.sitemaps.org/schemas/sitemap/0.9';
const ATOM_NS = 'http://www.w3.org/2005/Atom';
/** xsd:date or xsd:dateTime, as `tLastmod` allows. */
const LASTMOD = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?)?$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const FREQ = ['always', 'hourly', 'daily', 'weekly', 'monthly', 'yearly', 'never'];

function checkLoc(loc: string): void {
  // tLoc: xsd:anyURI, 12–2048 characters; the protocol: absolute, same site.
  expect(loc.length).toBeGreaterThanOrEqual(12);
  expect(loc.length).toBeLessThanOrEqual(2048);
  expect(() => new URL(loc)).not.toThrow();
  expect(loc).toMatch(/^https?:\/\//);
}

/** A `<urlset>`: root, namespace, then 1–50,000 `<url>` with one `<loc>` and optional lastmod/changefreq/priority in that order. */
export function checkUrlset(xml: string, max = 50_000): { root: XmlNode; locs: string[]; lastmods: (string | null)[] } {
  const root = parseXml(xml);
  expect(root.name).toBe('urlset');
  expect(root.attrs.xmlns).toBe(SITEMAP_NS);
  const urls = root.children;
  expect(urls.length).toBeGreaterThanOrEqual(1);
  expect(urls.length).toBeLessThanOrEqual(max);
  const locs: string[] = [];
  const lastmods: (string | null)[] = [];
  for (const u of urls) {
    expect(u.name).toBe('url');
    const order = u.children.map((c) => c.name);
    expect(order[0]).toBe('loc');
    const allowed = ['loc', 'lastmod', 'changefreq', 'priority'];
    expect(order.map((n) => allowed.indexOf(n))).toEqual([...order.map((n) => allowed.indexOf(n))].sort((a, b) => a - b));
    expect(new Set(order).size).toBe(order.length);
    const loc = only(u, 'loc');
    checkLoc(loc);
    locs.push(loc);
    const lm = kids(u, 'lastmod')[0]?.text ?? null;
    if (lm !== null) expect(lm).toMatch(LASTMOD);
    lastmods.push(lm);
    const cf = kids(u, 'changefreq')[0]?.text;
    if (cf !== undefined) expect(FREQ).toContain(cf);
    const pr = kids(u, 'priority')[0]?.text;
    if (pr !== undefined) expect(Number(pr) >= 0 && Number(pr) <= 1).toBe(true);
  }
  expect(Buffer.byteLength(xml)).toBeLessThanOrEqual(50 * 1024 * 1024);
  return { root, locs, lastmods };
}

/** A `<sitemapindex>`: 1–50,000 `<sitemap>` with one `<loc>` and an optional `<lastmod>`. */
export function checkSitemapIndex(xml: string): string[] {
  const root = parseXml(xml);
  expect(root.name).toBe('sitemapindex');
  expect(root.attrs.xmlns).toBe(SITEMAP_NS);
  expect(root.children.length).toBeGreaterThanOrEqual(1);
  return root.children.map((s) => {
    expect(s.name).toBe('sitemap');
    expect(s.children.every((c) => c.name === 'loc' || c.name === 'lastmod')).toBe(true);
    const loc = only(s, 'loc');
    checkLoc(loc);
    const lm = kids(s, 'lastmod')[0]?.text;
    if (lm !== undefined) expect(lm).toMatch(LASTMOD);
    return loc;
  });
}

export interface AtomEntryView {
  id: string;
  title: string;
  updated: string;
  authors: string[];
  summary: string | null;
  alternate: string;
}

/** An Atom feed as RFC 4287 requires it (§4.1.1, §4.1.2); its entries' main fields. */
export function checkAtom(xml: string): { root: XmlNode; entries: AtomEntryView[] } {
  const root = parseXml(xml);
  expect(root.name).toBe('feed');
  expect(root.attrs.xmlns).toBe(ATOM_NS);
  expect(() => new URL(only(root, 'id'))).not.toThrow();
  expect(only(root, 'title').trim()).not.toBe('');
  expect(only(root, 'updated')).toMatch(RFC3339);
  const feedAuthor = kids(root, 'author').length > 0;
  if (feedAuthor) for (const a of kids(root, 'author')) expect(only(a, 'name').trim()).not.toBe('');
  const self = kids(root, 'link').find((l) => l.attrs.rel === 'self');
  expect(self?.attrs.href).toMatch(/^https?:\/\//);
  const entries = kids(root, 'entry').map((e) => {
    const id = only(e, 'id');
    expect(() => new URL(id)).not.toThrow();
    const updated = only(e, 'updated');
    expect(updated).toMatch(RFC3339);
    const authors = kids(e, 'author').map((a) => only(a, 'name'));
    expect(feedAuthor || authors.length > 0).toBe(true);
    const alternate = kids(e, 'link').find((l) => (l.attrs.rel ?? 'alternate') === 'alternate');
    expect(alternate?.attrs.href).toMatch(/^https?:\/\//);
    expect(kids(e, 'title')).toHaveLength(1);
    expect(kids(e, 'summary').length).toBeLessThanOrEqual(1);
    return { id, title: only(e, 'title'), updated, authors, summary: kids(e, 'summary')[0]?.text ?? null, alternate: alternate!.attrs.href! };
  });
  expect(new Set(entries.map((e) => e.id)).size).toBe(entries.length);
  return { root, entries };
}
