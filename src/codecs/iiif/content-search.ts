/**
 * IIIF Content Search API 2.0 responses: the AnnotationPage of hits for a query inside one
 * Manifest (or Collection), paged when there are more hits than fit on a page, and the
 * Autocomplete `TermPage`.
 *
 * Each hit is one Annotation in `items`: motivation `highlighting` (the Web Annotation motivation
 * for marking a segment of a resource), a `TextualBody` with the matched words, and as target the
 * Canvas region the words cover, `…/canvas/12#xywh=x,y,w,h`, in image pixels (our Canvases have the
 * image's size). A phrase broken across lines gets one region per line rather than one box
 * spanning both lines. For the snippet, each hit also has an Annotation in the extended
 * `annotations` page (§4.3.1 "Match Context"): motivation `contextualizing`, targeting the hit with
 * a `TextQuoteSelector` of `prefix`, `exact` and `suffix`.
 *
 * ```ts
 * reply.send(buildSearchResponse({
 *   searchUrl: 'https://thuvien.example.vn/iiif/sach-123/search', q: 'kiều',
 *   hits, page: 1, pageSize: 50, total: 128,
 * }));
 * ```
 */
import { IiifInputError, type JsonObject, type LanguageMap, type ServiceInput } from './presentation.js';

export const SEARCH_CONTEXT = 'http://iiif.io/api/search/2/context.json';

/** A word on the page image, in image pixels. */
export interface SearchWord {
  text: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface SearchHit {
  canvasId: string;
  /** The matched words in reading order; empty when the match has no position (the hit then targets the whole Canvas). */
  words: SearchWord[];
  /** Text just before the match, for the snippet. */
  before: string;
  /** The matched text as it appears on the page (may differ from the query: tone marks, case). */
  match: string;
  after: string;
  /** For a search over a Collection: the Manifest holding the Canvas (§4.2.3). */
  manifest?: { id: string; label?: LanguageMap };
}

export interface SearchResponseInput {
  /** The search service URL; `q` and `page` are set on it to make the page and collection ids. */
  searchUrl: string;
  q: string;
  /** This page's hits. */
  hits: SearchHit[];
  /** 1-based. */
  page: number;
  pageSize: number;
  /** Hits over all pages. */
  total: number;
  /** Query parameters the server did not apply (§4.2.4: they must be listed). */
  ignored?: string[];
  /** BCP 47 language of the matched text, e.g. `vi`. */
  language?: string;
  /** Motivation of the hit annotations; default `highlighting`. */
  motivation?: string;
}

/**
 * The response AnnotationPage. With at most `pageSize` hits in all it is a simple list (§4.2.1);
 * otherwise it is page `page` of an AnnotationCollection (§4.2.2): `partOf` with `total`, `first`
 * and `last`, `next` and `prev` where they exist, and `startIndex`. Hit ids are the collection URL
 * with `#hit-N` (N counted from 0 over all pages), so a hit keeps its id whichever page shows it.
 *
 * @throws IiifInputError for a page outside the results, more hits than `pageSize`, bad URLs or boxes.
 */
export function buildSearchResponse(input: SearchResponseInput): JsonObject {
  const { page, pageSize, total, hits } = input;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new IiifInputError('pageSize', `${pageSize} is not a positive whole number`);
  if (!Number.isInteger(total) || total < 0) throw new IiifInputError('total', `${total} is not a whole number of hits`);
  const lastPage = Math.max(1, Math.ceil(total / pageSize));
  if (!Number.isInteger(page) || page < 1 || page > lastPage) throw new IiifInputError('page', `${page} is not between 1 and ${lastPage}`);
  if (hits.length > pageSize) throw new IiifInputError('hits', `${hits.length} hits on a page of ${pageSize}`);
  const startIndex = (page - 1) * pageSize;
  if (startIndex + hits.length > total) throw new IiifInputError('hits', `page ${page} has ${hits.length} hits but the total is ${total}`);

  const collectionUrl = withParams(input.searchUrl, { q: input.q, page: null }, 'searchUrl');
  const paged = total > pageSize;
  const pageUrl = (n: number) => withParams(collectionUrl, { page: String(n) }, 'searchUrl');
  const id = paged ? pageUrl(page) : collectionUrl;

  const items: JsonObject[] = [];
  const context: JsonObject[] = [];
  hits.forEach((hit, i) => {
    const n = startIndex + i;
    const field = `hits[${i}]`;
    const hitId = `${collectionUrl}#hit-${n}`;
    const canvas = absoluteUri(hit.canvasId, `${field}.canvasId`);
    const regions = hit.words.length === 0 ? [canvas] : lineBoxes(hit.words, `${field}.words`).map((b) => `${canvas}#xywh=${b.x},${b.y},${b.w},${b.h}`);
    const targets = regions.map((region) => (hit.manifest ? withManifest(region, hit.manifest, `${field}.manifest`) : region));
    items.push({
      id: hitId,
      type: 'Annotation',
      motivation: input.motivation ?? 'highlighting',
      body: { type: 'TextualBody', value: hit.match, format: 'text/plain', ...(input.language ? { language: input.language } : {}) },
      target: targets.length === 1 ? targets[0] : targets,
    });
    const selector: JsonObject = { type: 'TextQuoteSelector' };
    if (hit.before !== '') selector.prefix = hit.before;
    selector.exact = hit.match;
    if (hit.after !== '') selector.suffix = hit.after;
    context.push({
      id: `${collectionUrl}#context-${n}`,
      type: 'Annotation',
      motivation: 'contextualizing',
      target: { type: 'SpecificResource', source: hitId, selector: [selector] },
    });
  });

  const out: JsonObject = { '@context': SEARCH_CONTEXT, id, type: 'AnnotationPage' };
  if (paged) {
    out.partOf = {
      id: collectionUrl,
      type: 'AnnotationCollection',
      total,
      first: { id: pageUrl(1), type: 'AnnotationPage' },
      last: { id: pageUrl(lastPage), type: 'AnnotationPage' },
    };
    if (page < lastPage) out.next = { id: pageUrl(page + 1), type: 'AnnotationPage' };
    if (page > 1) out.prev = { id: pageUrl(page - 1), type: 'AnnotationPage' };
    out.startIndex = startIndex;
  }
  if (input.ignored && input.ignored.length > 0) out.ignored = [...input.ignored];
  out.items = items;
  if (context.length > 0) out.annotations = [{ id: `${id}#context`, type: 'AnnotationPage', items: context }];
  return out;
}

/** The `service` block declaring a search service, with its autocomplete service if any (§3). */
export function searchService(id: string, autocompleteId?: string): ServiceInput {
  const service: ServiceInput = { id: absoluteUri(id, 'id'), type: 'SearchService2' };
  if (autocompleteId !== undefined) service.service = [{ id: absoluteUri(autocompleteId, 'autocompleteId'), type: 'AutoCompleteService2' }];
  return service;
}

export interface TermInput {
  value: string;
  /** Occurrences in the index. */
  total?: number;
  /** What to show instead of `value` (e.g. the word with its tone marks when `value` is folded). */
  label?: LanguageMap;
  language?: string;
  /** The full search link, when `value` cannot be put in `q` as it is (§5.3). */
  searchUrl?: string;
}

/** The Autocomplete response (§5.2, §5.3): terms in the order given. */
export function buildTermPage(input: { url: string; terms: TermInput[]; ignored?: string[] }): JsonObject {
  const items = input.terms.map((term, i) => {
    const item: JsonObject = { value: term.value };
    if (term.total !== undefined) {
      if (!Number.isInteger(term.total) || term.total < 0) throw new IiifInputError(`terms[${i}].total`, `${term.total} is not a count`);
      item.total = term.total;
    }
    if (term.label) item.label = term.label;
    if (term.language) item.language = term.language;
    if (term.searchUrl) item.service = [{ id: absoluteUri(term.searchUrl, `terms[${i}].searchUrl`), type: 'SearchService2' }];
    return item;
  });
  const out: JsonObject = { '@context': SEARCH_CONTEXT, id: absoluteUri(input.url, 'url'), type: 'TermPage' };
  if (input.ignored && input.ignored.length > 0) out.ignored = [...input.ignored];
  out.items = items;
  return out;
}

// ---------------------------------------------------------------------------------------------

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * The words' boxes merged line by line, in whole pixels. A word starts a new line when its
 * vertical middle falls outside the current line's band, or when it sits left of where the line
 * has got to (a wrap to the next line of a column).
 */
function lineBoxes(words: SearchWord[], field: string): Box[] {
  const lines: { left: number; top: number; right: number; bottom: number }[] = [];
  words.forEach((word, i) => {
    for (const key of ['x', 'y', 'w', 'h'] as const) {
      const v = word[key];
      if (!Number.isFinite(v) || v < 0) throw new IiifInputError(`${field}[${i}].${key}`, `${v} is not a non-negative number of pixels`);
    }
    const [left, top, right, bottom] = [word.x, word.y, word.x + word.w, word.y + word.h];
    const line = lines[lines.length - 1];
    const middle = (top + bottom) / 2;
    if (line && middle >= line.top && middle <= line.bottom && left >= line.left) {
      line.left = Math.min(line.left, left);
      line.top = Math.min(line.top, top);
      line.right = Math.max(line.right, right);
      line.bottom = Math.max(line.bottom, bottom);
    } else {
      lines.push({ left, top, right, bottom });
    }
  });
  return lines.map((l) => {
    const x = Math.floor(l.left);
    const y = Math.floor(l.top);
    return { x, y, w: Math.ceil(l.right) - x, h: Math.ceil(l.bottom) - y };
  });
}

/**
 * §4.2.3: the target names the Manifest it is part of, for searches across a Collection. The
 * search spec makes `partOf` here one JSON object (Presentation 3 elsewhere uses an array); we
 * follow the search spec, which is what search clients read.
 */
function withManifest(region: string, manifest: { id: string; label?: LanguageMap }, field: string): JsonObject {
  const partOf: JsonObject = { id: absoluteUri(manifest.id, `${field}.id`), type: 'Manifest' };
  if (manifest.label) partOf.label = manifest.label;
  return { id: region, type: 'Canvas', partOf };
}

function absoluteUri(value: string, field: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new IiifInputError(field, `"${value}" is not an absolute URI`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new IiifInputError(field, `"${value}" is not an http or https URI`);
  return value;
}

/** `url` with query parameters set (or removed, for null), other parameters kept in order. */
function withParams(url: string, params: Record<string, string | null>, field: string): string {
  const parsed = new URL(absoluteUri(url, field));
  for (const [key, value] of Object.entries(params)) {
    if (value === null) parsed.searchParams.delete(key);
    else parsed.searchParams.set(key, value);
  }
  parsed.hash = '';
  return parsed.toString();
}
