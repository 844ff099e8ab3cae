/**
 * robots.txt (the Robots Exclusion Protocol, RFC 9309): groups of rules per user agent, and the
 * `Sitemap:` lines crawlers read to find the sitemaps (absolute URLs).
 */

export interface RobotsGroup {
  userAgents: readonly string[];
  allow?: readonly string[];
  disallow?: readonly string[];
}

function clean(s: string): string {
  // A rule is one line: anything that could start another line or a comment goes.
  return s.replace(/[\r\n#]/g, '').trim();
}

export function writeRobotsTxt(groups: readonly RobotsGroup[], sitemaps: readonly string[] = []): string {
  const out: string[] = [];
  for (const g of groups) {
    for (const ua of g.userAgents) out.push(`User-agent: ${clean(ua)}`);
    for (const p of g.allow ?? []) out.push(`Allow: ${clean(p)}`);
    for (const p of g.disallow ?? []) out.push(`Disallow: ${clean(p)}`);
    out.push('');
  }
  for (const s of sitemaps) out.push(`Sitemap: ${clean(s)}`);
  return `${out.join('\n').replace(/\n+$/, '')}\n`;
}
