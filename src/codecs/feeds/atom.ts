/**
 * Atom 1.0 feeds (RFC 4287), with the OpenSearch 1.1 response elements for search results.
 *
 * What RFC 4287 requires and this writer enforces: a feed has `id`, `title` and `updated`; every
 * entry has `id`, `title`, `updated`; a feed without an author needs one in every entry (§4.1.1);
 * an entry without content has an alternate link (§4.1.2); ids are IRIs (absolute URLs or `tag:`/
 * `urn:` URIs, §4.2.6); dates are RFC 3339 date-times (§3.3). Text is escaped and characters XML
 * does not allow are removed, so no catalogue text can make a feed ill-formed.
 *
 * @example
 * writeAtom({ id: 'https://thuvien.example.vn/feeds/new.atom', title: 'Tài liệu mới', updated: '2026-03-15T03:00:00Z',
 *   authors: [{ name: 'Liên Thông' }], links: [{ rel: 'self', href: 'https://thuvien.example.vn/feeds/new.atom' }],
 *   entries: [{ id: 'https://thuvien.example.vn/record/12', title: 'Truyện Kiều', updated: '2026-03-15T03:00:00Z',
 *     links: [{ rel: 'alternate', type: 'text/html', href: 'https://thuvien.example.vn/record/12' }] }] })
 */
import { XML_DECLARATION, attributes, element, isAbsoluteHttpUrl, xmlText } from './_xml.js';

export const ATOM_NS = 'http://www.w3.org/2005/Atom';
export const OPENSEARCH_NS = 'http://a9.com/-/spec/opensearch/1.1/';
export const ATOM_TYPE = 'application/atom+xml';

export interface AtomLink {
  href: string;
  /** `alternate` when absent (RFC 4287 §4.2.7.2). */
  rel?: string;
  type?: string;
  title?: string;
  hreflang?: string;
}

export interface AtomPerson {
  name: string;
  uri?: string;
}

export interface AtomEntry {
  id: string;
  title: string;
  /** RFC 3339 date-time. */
  updated: string;
  published?: string;
  authors?: readonly AtomPerson[];
  /** Plain text. */
  summary?: string | null;
  links: readonly AtomLink[];
  categories?: readonly { term: string; label?: string }[];
}

export interface OpenSearchResponse {
  totalResults: number;
  /** 1-based index of the first result. */
  startIndex: number;
  itemsPerPage: number;
  /** The request these results answer. */
  query?: { searchTerms: string; startPage?: number };
}

export interface AtomFeed {
  id: string;
  title: string;
  subtitle?: string | null;
  updated: string;
  /** The language of the feed's text (`xml:lang`). */
  lang?: string;
  links: readonly AtomLink[];
  authors?: readonly AtomPerson[];
  generator?: { name: string; uri?: string };
  icon?: string;
  rights?: string;
  openSearch?: OpenSearchResponse;
  entries: readonly AtomEntry[];
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const OTHER_IRI = /^(tag|urn):\S+$/i;

function checkDate(what: string, v: string): string {
  if (!RFC3339.test(v) || Number.isNaN(Date.parse(v))) throw new RangeError(`atom: ${what} must be an RFC 3339 date-time, got ${JSON.stringify(v.slice(0, 40))}`);
  return v;
}

function checkId(what: string, v: string): string {
  if (!isAbsoluteHttpUrl(v) && !OTHER_IRI.test(v)) throw new RangeError(`atom: ${what} must be an absolute IRI, got ${JSON.stringify(v.slice(0, 100))}`);
  return v;
}

function link(l: AtomLink): string {
  return `<link${attributes({ rel: l.rel, type: l.type, href: l.href, hreflang: l.hreflang, title: l.title })}/>`;
}

function person(kind: 'author', p: AtomPerson): string {
  return `<${kind}>${element('name', p.name.trim() || '?')}${p.uri ? element('uri', p.uri) : ''}</${kind}>`;
}

function entry(e: AtomEntry, index: number, feedHasAuthor: boolean): string {
  const where = `entry ${index + 1}`;
  if (!e.authors?.length && !feedHasAuthor) throw new RangeError(`atom: ${where} has no author and neither has the feed (RFC 4287 §4.1.1)`);
  if (!e.links.some((l) => (l.rel ?? 'alternate') === 'alternate')) throw new RangeError(`atom: ${where} has neither content nor an alternate link (RFC 4287 §4.1.2)`);
  let out = '<entry>';
  out += `<id>${xmlText(checkId(`${where} id`, e.id))}</id>`;
  out += `<title type="text">${xmlText(e.title)}</title>`;
  out += `<updated>${checkDate(`${where} updated`, e.updated)}</updated>`;
  if (e.published) out += `<published>${checkDate(`${where} published`, e.published)}</published>`;
  for (const a of e.authors ?? []) out += person('author', a);
  for (const l of e.links) out += link(l);
  for (const c of e.categories ?? []) out += `<category${attributes({ term: c.term, label: c.label })}/>`;
  if (e.summary) out += `<summary type="text">${xmlText(e.summary)}</summary>`;
  return `${out}</entry>\n`;
}

/** The whole feed as an XML document. Throws RangeError where RFC 4287 would be broken. */
export function writeAtom(f: AtomFeed): string {
  const hasAuthor = (f.authors?.length ?? 0) > 0;
  const ns = f.openSearch ? ` xmlns:opensearch="${OPENSEARCH_NS}"` : '';
  let out = `${XML_DECLARATION}<feed xmlns="${ATOM_NS}"${ns}${attributes({ 'xml:lang': f.lang })}>\n`;
  out += `<id>${xmlText(checkId('feed id', f.id))}</id>\n`;
  out += `<title type="text">${xmlText(f.title)}</title>\n`;
  if (f.subtitle) out += `<subtitle type="text">${xmlText(f.subtitle)}</subtitle>\n`;
  out += `<updated>${checkDate('feed updated', f.updated)}</updated>\n`;
  for (const a of f.authors ?? []) out += `${person('author', a)}\n`;
  for (const l of f.links) out += `${link(l)}\n`;
  if (f.generator) out += `<generator${attributes({ uri: f.generator.uri })}>${xmlText(f.generator.name)}</generator>\n`;
  if (f.icon) out += `${element('icon', f.icon)}\n`;
  if (f.rights) out += `${element('rights', f.rights)}\n`;
  if (f.openSearch) {
    const o = f.openSearch;
    out += `<opensearch:totalResults>${Math.max(0, Math.trunc(o.totalResults))}</opensearch:totalResults>\n`;
    out += `<opensearch:startIndex>${Math.max(1, Math.trunc(o.startIndex))}</opensearch:startIndex>\n`;
    out += `<opensearch:itemsPerPage>${Math.max(0, Math.trunc(o.itemsPerPage))}</opensearch:itemsPerPage>\n`;
    if (o.query) out += `<opensearch:Query${attributes({ role: 'request', searchTerms: o.query.searchTerms, startPage: o.query.startPage })}/>\n`;
  }
  f.entries.forEach((e, i) => {
    out += entry(e, i, hasAuthor);
  });
  return `${out}</feed>\n`;
}
