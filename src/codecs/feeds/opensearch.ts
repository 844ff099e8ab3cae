/**
 * OpenSearch 1.1 description documents: how browsers and other clients add a site's search
 * (`<link rel="search" type="application/opensearchdescription+xml">` points to one).
 *
 * The specification's limits: `ShortName` at most 16 characters, `Description` at most 1,024,
 * `Url` templates with `{searchTerms}` and optional parameters such as `{startPage?}`.
 */
import { XML_DECLARATION, attributes, element, isAbsoluteHttpUrl } from './_xml.js';

export const OPENSEARCH_DESCRIPTION_TYPE = 'application/opensearchdescription+xml';
export const OPENSEARCH_NS = 'http://a9.com/-/spec/opensearch/1.1/';

export interface OpenSearchUrl {
  /** Media type of the results (`text/html`, `application/atom+xml`). */
  type: string;
  /** Absolute URL with `{searchTerms}` (and optional `{startPage?}`, `{count?}`…). */
  template: string;
  rel?: 'results' | 'suggestions' | 'self' | 'collection';
}

export interface OpenSearchDescription {
  shortName: string;
  description: string;
  longName?: string;
  urls: readonly OpenSearchUrl[];
  image?: { url: string; width: number; height: number; type: string };
  /** BCP 47 tags (`vi`, `en`). */
  languages?: readonly string[];
  contact?: string;
  tags?: string;
}

function cut(s: string, max: number): string {
  const chars = [...s.trim()];
  return chars.length > max ? chars.slice(0, max).join('') : chars.join('');
}

/** The description document. Throws RangeError for a template that is not absolute or lacks `{searchTerms}`. */
export function writeOpenSearchDescription(d: OpenSearchDescription): string {
  let out = `${XML_DECLARATION}<OpenSearchDescription xmlns="${OPENSEARCH_NS}">\n`;
  out += `${element('ShortName', cut(d.shortName, 16))}\n`;
  out += `${element('Description', cut(d.description, 1024))}\n`;
  if (d.longName) out += `${element('LongName', cut(d.longName, 48))}\n`;
  if (d.tags) out += `${element('Tags', cut(d.tags, 256))}\n`;
  if (d.contact) out += `${element('Contact', d.contact)}\n`;
  for (const u of d.urls) {
    const probe = u.template.replace(/\{[^}]*\}/g, 'x');
    if (!isAbsoluteHttpUrl(probe)) throw new RangeError(`opensearch: the template must be an absolute URL, got ${JSON.stringify(u.template.slice(0, 100))}`);
    if (u.rel !== 'self' && !u.template.includes('{searchTerms}')) throw new RangeError('opensearch: a results template needs {searchTerms}');
    out += `<Url${attributes({ type: u.type, rel: u.rel, template: u.template })}/>\n`;
  }
  if (d.image) out += `${element('Image', d.image.url, { width: d.image.width, height: d.image.height, type: d.image.type })}\n`;
  for (const l of d.languages ?? []) out += `${element('Language', l)}\n`;
  out += '<InputEncoding>UTF-8</InputEncoding>\n<OutputEncoding>UTF-8</OutputEncoding>\n';
  return `${out}</OpenSearchDescription>\n`;
}
