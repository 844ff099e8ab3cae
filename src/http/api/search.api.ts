/**
 * Discovery search in the JSON API: `GET /search` (results, facets, spelling) and
 * `GET /search/suggest` (headings as the reader types). Both are public, as the OPAC is.
 *
 * The request is read into a `SearchRequest` for `services.search` here, and its answer turned
 * into one presentation model (`SearchOutput`): labels in the caller's language, the library
 * facet as a tree of units, query problems with their messages. The reader's search page
 * (`pages/public/search.pages.tsx`) renders the same model, so both always agree.
 *
 * Unit codes (`library`, `near`, `available`, `libraryFilter`) are resolved against the tree: an
 * unknown code is a 400 naming the parameter, never an empty result that looks like "no books".
 */
import type { ViewerContext } from '../../app/digital/digital.service.js';
import { viewerOf } from '../protocols/iiif.routes.js';
import type { FastifyInstance } from 'fastify';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError, ERRORS, type FieldProblem } from '../../domain/errors.js';
import type { OrgUnit } from '../../domain/org/unit.js';
import { SORTS, type SearchRequest, type SearchSort, type Segment } from '../../app/search/search.service.js';
import type { FacetCounts, FacetFilters } from '../../app/search/facet-store.js';
import type { Services } from '../../main/container.js';
import { hasMessage, type Locale, type MessageKey, type Translate } from '../../i18n/i18n.js';
import { compareVi } from '../../text/fold.js';

// ---------------------------------------------------------------- limits

/** Requests per minute per address: generous for a library's shared computers behind one address. */
export const SEARCH_RATE_LIMIT = 300;
export const SUGGEST_RATE_LIMIT = 900;
export const MAX_PAGE = 500;
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
/** The query text accepted; the parser uses the first 500 characters and says so. */
const MAX_Q = 20_000;
const MAX_VALUES = 50;
const MAX_VALUE = 500;

export const FACET_PARAMS = ['material', 'language', 'subject', 'author', 'collection', 'class'] as const;
export type FacetParam = (typeof FACET_PARAMS)[number];

// ---------------------------------------------------------------- schemas

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

const SearchErrorSchema = Type.Object({
  error: Type.Object({
    code: Type.String({ enum: Object.keys(ERRORS) }),
    message: Type.String(),
    details: Type.Optional(Type.Array(Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() }, { additionalProperties: true }))),
    requestId: Type.String(),
  }),
});
const errors = { 400: SearchErrorSchema, 429: SearchErrorSchema };

const UnitCode = (description: string) => Type.String({ minLength: 1, maxLength: 32, description });
const Values = (description: string) => Type.Array(Type.String({ maxLength: MAX_VALUE }), { maxItems: MAX_VALUES, description: `${description} Repeat the parameter for several values: any of them (OR); different filters combine with AND.` });

export const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: MAX_Q, description: 'The query (see /search/help): words, "phrases", field:word, AND/OR/NOT, -word, word*, ISBN. Empty: the whole catalogue.' })),
  library: Type.Optional(UnitCode('Only records held at or below this unit (its code).')),
  available: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: '`anywhere`: a copy is on the shelf somewhere; a unit code: on the shelf at or below that unit.' })),
  near: Type.Optional(UnitCode('"Available near me": only records with a copy on the shelf at or below this unit.')),
  material: Type.Optional(Values('Material types (book, e-book, serial, map…).')),
  language: Type.Optional(Values('MARC language codes (vie, eng, fre…).')),
  subject: Type.Optional(Values('Subject headings, as the facet lists them.')),
  author: Type.Optional(Values('Authors, as the facet lists them.')),
  collection: Type.Optional(Values('Shelving locations, as the facet lists them.')),
  class: Type.Optional(Values('Classes, as the facet lists them (ddc:800, bbk:63).')),
  libraryFilter: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { maxItems: MAX_VALUES, description: 'Held at or below any of these units (codes).' })),
  yearFrom: Type.Optional(Type.Integer({ minimum: 0, maximum: 9999 })),
  yearTo: Type.Optional(Type.Integer({ minimum: 0, maximum: 9999 })),
  sort: Type.Optional(Type.String({ enum: [...SORTS], default: 'relevance' })),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE, default: 1 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE })),
  facets: Type.Optional(Type.Boolean({ default: true, description: 'Count facets (false is faster)' })),
  fullText: Type.Optional(Type.Boolean({ default: true, description: 'Also look inside the page text of digitised documents' })),
});

const SegmentSchema = Type.Object({ text: Type.String(), hit: Type.Boolean({ description: 'The piece matched the query' }) });
const UnitRefSchema = Type.Object({ code: Type.String(), name: Type.String() });
const FacetValueSchema = Type.Object({ value: Type.String({ description: 'What to send back in the filter parameter' }), label: Type.String(), count: Type.Integer(), selected: Type.Boolean() });

/** A library and the units below it; nesting is bounded by the depth of the tree (a handful of levels). */
const LibraryNodeSchema = Type.Recursive(
  (Self) =>
    Type.Object({
      code: Type.String(),
      name: Type.String(),
      type: Type.String(),
      count: Type.Integer({ description: 'Records held at or below this unit' }),
      selected: Type.Boolean(),
      children: Type.Array(Self),
    }),
  { $id: 'SearchLibraryNode' },
);

const ResultSchema = Type.Object({
  id: Type.Integer(),
  title: Type.String(),
  titleHighlighted: Type.Array(SegmentSchema),
  responsibility: Nullable(Type.String()),
  authors: Type.Array(Type.String()),
  publisher: Nullable(Type.String()),
  year: Nullable(Type.Integer()),
  material: Type.String(),
  materialLabel: Type.String(),
  languages: Type.Array(Type.String()),
  languageLabels: Type.Array(Type.String()),
  isbn: Nullable(Type.String()),
  callNumber: Nullable(Type.String()),
  holdings: Type.Integer({ description: 'Copies held in the network (withdrawn, lost and missing ones not counted)' }),
  available: Type.Boolean({ description: 'A copy is on the shelf somewhere now' }),
  availableLibraries: Type.Integer({ description: 'How many libraries (owning units) have a copy on the shelf now' }),
  availableHere: Nullable(Type.Boolean({ description: 'A copy is on the shelf at or below the unit of `near` (else `library`); null without either' })),
  fullTextOnly: Type.Boolean({ description: 'Matched only inside the page text of a digitised copy' }),
  pages: Type.Array(Type.Object({ pageNo: Type.Integer(), label: Nullable(Type.String()), snippet: Type.Array(SegmentSchema), link: Nullable(Type.String()) })),
  digital: Nullable(
    Type.Object(
      {
        objectId: Type.Integer(),
        link: Type.String({ description: 'The reader' }),
        thumbnail: Nullable(Type.String({ description: 'A small image of the first page (IIIF)' })),
        readable: Type.Boolean({ description: 'This reader may open it now (false: restricted, e.g. on-site only)' }),
        pagesHidden: Type.Boolean({ description: 'Page hits exist but their text is not shown to this reader' }),
      },
      { description: 'The published digital copy, when there is one' },
    ),
  ),
  link: Type.String({ description: 'The record’s public page' }),
});

const FacetsSchema = Type.Object({
  library: Type.Array(LibraryNodeSchema, { description: 'The units holding hits, as a tree from the network down; counts rolled up' }),
  material: Type.Array(FacetValueSchema),
  language: Type.Array(FacetValueSchema),
  subject: Type.Array(FacetValueSchema, { description: 'The 30 most frequent' }),
  author: Type.Array(FacetValueSchema, { description: 'The 30 most frequent' }),
  collection: Type.Array(FacetValueSchema),
  class: Type.Array(FacetValueSchema),
  decades: Type.Array(Type.Object({ from: Type.Integer(), to: Type.Integer(), count: Type.Integer() }), { description: 'Newest first; records without a year are not counted' }),
  availability: Type.Object({
    anywhere: Type.Integer({ description: 'Hits with a copy on the shelf somewhere' }),
    here: Type.Optional(Type.Integer({ description: 'Hits with a copy on the shelf at or below the unit of `near` (else `library`, else `available`)' })),
  }),
  approximate: Type.Boolean({ description: 'Counts estimated from an even sample of the hits (only above 150,000 hits); exact otherwise' }),
});

export const SearchResponseSchema = Type.Object({
  total: Type.Integer(),
  page: Type.Integer(),
  pageSize: Type.Integer(),
  pages: Type.Integer({ description: 'How many pages can be asked for (at most 500)' }),
  sort: Type.String({ enum: [...SORTS] }),
  query: Type.Object({
    text: Type.String(),
    parsed: Type.String({ description: 'How the query was understood, in a canonical form' }),
    problems: Type.Array(Type.Object({ code: Type.String(), detail: Type.Optional(Type.String()), message: Type.String({ description: 'In the request’s language' }) }), {
      description: 'What was repaired in the query (it is never refused)',
    }),
  }),
  scope: Type.Object({
    library: Nullable(UnitRefSchema),
    near: Nullable(UnitRefSchema),
    available: Nullable(Type.Union([Type.Literal('anywhere'), UnitRefSchema])),
    here: Nullable(UnitRefSchema),
  }),
  results: Type.Array(ResultSchema),
  facets: Nullable(FacetsSchema),
  didYouMean: Nullable(Type.Object({ text: Type.String(), hits: Type.Integer() })),
});

const SuggestionSchema = Type.Object({ kind: Type.String({ enum: ['title', 'author', 'subject'] }), heading: Type.String(), docs: Type.Integer() });

export type SearchParams = Static<typeof SearchQuery>;
export type SearchOutput = Static<typeof SearchResponseSchema>;
export type SearchResultOut = SearchOutput['results'][number];
export type LibraryNode = { code: string; name: string; type: string; count: number; selected: boolean; children: LibraryNode[] };
export type FacetValue = Static<typeof FacetValueSchema>;
type FacetsOut = Static<typeof FacetsSchema>;

// ---------------------------------------------------------------- labels

const nameOf = (locale: Locale, u: Pick<OrgUnit, 'nameVi' | 'nameEn'>) => (locale === 'en' ? u.nameEn : u.nameVi);

export function materialLabel(t: Translate, code: string): string {
  const key = `staff.catalog.material.${code}`;
  return hasMessage(key) ? t(key) : code;
}

export function languageLabel(t: Translate, code: string): string {
  const key = `search.lang.${code.toLowerCase()}`;
  return hasMessage(key) ? t(key) : code;
}

/** `ddc:800` → "800 – Văn học"; `bbk:63` → "BBK 63". */
export function classLabel(t: Translate, value: string): string {
  const [scheme, cls = ''] = value.split(':');
  if (scheme === 'ddc') {
    const key = `search.ddc.${cls}`;
    return hasMessage(key) ? t('search.class.ddc', { number: cls, name: t(key) }) : `DDC ${cls}`;
  }
  if (scheme === 'bbk') return t('search.class.bbk', { class: cls });
  return value;
}

export function problemMessage(t: Translate, p: { code: string; detail?: string }): string {
  const key = `search.problem.${p.code}`;
  return hasMessage(key) ? t(key as MessageKey, { detail: p.detail ?? '' }) : p.code;
}

// ---------------------------------------------------------------- the use

/** Repeated and single query values alike as a list of distinct, non-empty strings. */
function list(v: readonly string[] | string | undefined): string[] {
  if (v === undefined) return [];
  const xs = (typeof v === 'string' ? [v] : v).map((s) => s.normalize('NFC').trim()).filter((s) => s !== '');
  return [...new Set(xs)].slice(0, MAX_VALUES);
}

/**
 * Runs a search from request parameters and presents its answer in the caller's language.
 * Throws VALIDATION (400) naming each unknown unit code.
 */
export async function runSearch(services: Services, t: Translate, locale: Locale, p: SearchParams, viewer: ViewerContext = { actor: null, reader: false, ip: null }): Promise<SearchOutput> {
  const units = await services.org.list();
  const byCode = new Map(units.map((u) => [u.code.toUpperCase(), u]));
  const byId = new Map(units.map((u) => [u.id, u]));
  const problems: FieldProblem[] = [];
  const unit = (field: string, code: string | undefined): OrgUnit | null => {
    if (code === undefined || code.trim() === '') return null;
    const u = byCode.get(code.trim().toUpperCase());
    if (!u) problems.push({ field, code: 'ORG_UNIT_NOT_FOUND', params: { rule: 'search.error.unknownUnit', field, unit: code.slice(0, 32) } });
    return u ?? null;
  };
  const library = unit('library', p.library);
  const near = unit('near', p.near);
  const availableRaw = p.available?.trim();
  const anywhere = availableRaw !== undefined && availableRaw.toLowerCase() === 'anywhere';
  const availableUnit = availableRaw && !anywhere ? unit('available', availableRaw) : null;
  const libraryFilter = list(p.libraryFilter)
    .map((code) => unit('libraryFilter', code))
    .filter((u): u is OrgUnit => u !== null);
  if (problems.length > 0) throw new AppError('VALIDATION', {}, problems);

  const values = Object.fromEntries(FACET_PARAMS.map((f) => [f, list(p[f])])) as Record<FacetParam, string[]>;
  let yearFrom = p.yearFrom ?? null;
  let yearTo = p.yearTo ?? null;
  if (yearFrom !== null && yearTo !== null && yearFrom > yearTo) [yearFrom, yearTo] = [yearTo, yearFrom];
  const filters: FacetFilters = {
    ...values,
    library: libraryFilter.map((u) => u.id),
    ...(anywhere ? { available: 'anywhere' as const } : availableUnit ? { available: availableUnit.id } : {}),
    yearFrom,
    yearTo,
  };
  const request: SearchRequest = {
    q: p.q ?? '',
    filters,
    heldUnder: library?.id ?? null,
    availableUnder: near?.id ?? null,
    sort: (p.sort as SearchSort | undefined) ?? 'relevance',
    page: p.page ?? 1,
    pageSize: p.pageSize ?? DEFAULT_PAGE_SIZE,
    facets: p.facets !== false,
    fullText: p.fullText !== false,
  };
  const here = near ?? library ?? availableUnit;
  const res = await services.search.search({ ...request, here: here?.id ?? null });

  const ref = (u: OrgUnit | null) => (u ? { code: u.code, name: nameOf(locale, u) } : null);
  const digital = await digitalCopies(services, res.results.map((r) => r.id), viewer);
  return {
    total: res.total,
    page: res.page,
    pageSize: res.pageSize,
    pages: Math.min(Math.ceil(res.total / res.pageSize), MAX_PAGE),
    sort: res.sort,
    query: {
      text: res.query.text,
      parsed: res.query.parsed,
      problems: res.query.problems.map((q) => ({ code: q.code, ...(q.detail !== undefined ? { detail: q.detail } : {}), message: problemMessage(t, q) })),
    },
    scope: { library: ref(library), near: ref(near), available: anywhere ? 'anywhere' : ref(availableUnit), here: ref(here) },
    results: res.results.map((r) => ({
      id: r.id,
      title: r.display.title,
      titleHighlighted: r.title,
      responsibility: r.display.responsibility,
      authors: r.display.authors,
      publisher: r.display.publisher,
      year: r.display.year,
      material: r.display.material,
      materialLabel: materialLabel(t, r.display.material),
      languages: r.display.languages,
      languageLabels: r.display.languages.map((l) => languageLabel(t, l)),
      isbn: r.display.isbn,
      callNumber: r.display.callNumber,
      holdings: r.holdings,
      available: r.available,
      availableLibraries: r.availableLibraries,
      availableHere: r.availableHere,
      fullTextOnly: r.fullTextOnly,
      // Page text shows only to readers who may read the copy; the hit itself stays.
      pages: pagesFor(r.pages, digital.get(r.id), res.query.text),
      digital: digital.has(r.id) ? { ...digital.get(r.id)!, pagesHidden: r.pages.length > 0 && !digital.get(r.id)!.readable } : null,
      link: `/record/${r.id}`,
    })),
    facets: res.facets ? presentFacets(t, locale, res.facets, { values, libraryFilter: new Set(libraryFilter.map((u) => u.id)), here, units: byId }) : null,
    didYouMean: res.didYouMean,
  };
}

type Copy = { objectId: number; link: string; thumbnail: string | null; readable: boolean };

/** Page hits with links into the reader; none when the reader may not read the copy they come from. */
function pagesFor(pages: readonly { pageNo: number; label: string | null; snippet: Segment[] }[], copy: Copy | undefined, q: string) {
  if (!copy) return pages.map((pg) => ({ ...pg, link: null }));
  if (!copy.readable) return [];
  return pages.map((pg) => ({ ...pg, link: `/digital/${copy.objectId}?page=${pg.pageNo}&q=${encodeURIComponent(q.slice(0, 200))}` }));
}

/** The first published digital copy of each record, and whether this viewer may read it. */
async function digitalCopies(services: Services, recordIds: readonly number[], viewer: ViewerContext): Promise<Map<number, { objectId: number; link: string; thumbnail: string | null; readable: boolean }>> {
  const out = new Map<number, { objectId: number; link: string; thumbnail: string | null; readable: boolean }>();
  if (recordIds.length === 0) return out;
  const objects = (await services.digital.objectsOfRecords(recordIds)).filter((o) => o.state === 'published');
  for (const o of objects) {
    if (out.has(o.recordId!)) continue;
    const access = await services.digital.decide(viewer, o);
    if (access.reason === 'unpublished' || access.reason === 'staff' || access.reason === 'embargo') continue;
    out.set(o.recordId!, { objectId: o.id, link: `/digital/${o.id}`, thumbnail: access.view && o.pageCount > 0 ? `/iiif/3/${o.id}-1/full/!96,128/0/default.jpg` : null, readable: access.view });
  }
  return out;
}

function presentFacets(
  t: Translate,
  locale: Locale,
  c: FacetCounts,
  opts: { values: Record<FacetParam, string[]>; libraryFilter: Set<number>; here: OrgUnit | null; units: ReadonlyMap<number, OrgUnit> },
): FacetsOut {
  const named = (facet: FacetParam, m: Map<string, number>, label: (v: string) => string): FacetValue[] => {
    const chosen = new Set(opts.values[facet]);
    const out = [...m].map(([value, count]) => ({ value, label: label(value), count, selected: chosen.has(value) }));
    // A chosen value no hit has any more stays listed, so that it can be unchosen.
    for (const v of chosen) if (!m.has(v)) out.push({ value: v, label: label(v), count: 0, selected: true });
    return out;
  };
  const same = (v: string) => v;
  return {
    library: libraryTree(locale, c.library, opts.libraryFilter, opts.units),
    material: named('material', c.material, (v) => materialLabel(t, v)),
    language: named('language', c.language, (v) => languageLabel(t, v)),
    subject: named('subject', c.subject, same),
    author: named('author', c.author, same),
    collection: named('collection', c.collection, same),
    class: named('class', c.class, (v) => classLabel(t, v)),
    decades: [...c.decade].sort((a, b) => b[0] - a[0]).map(([from, count]) => ({ from, to: from + 9, count })),
    availability: { anywhere: c.availableAnywhere, ...(opts.here ? { here: c.availableAt.get(opts.here.id) ?? 0 } : {}) },
    approximate: c.approximate,
  };
}

/** The units holding hits (and the chosen ones), nested as in the tree, by name within a level. */
function libraryTree(locale: Locale, counts: ReadonlyMap<number, number>, chosen: ReadonlySet<number>, units: ReadonlyMap<number, OrgUnit>): LibraryNode[] {
  const nodes = new Map<number, LibraryNode>();
  const add = (id: number) => {
    const u = units.get(id);
    if (!u || nodes.has(id)) return;
    nodes.set(id, { code: u.code, name: nameOf(locale, u), type: u.typeCode, count: counts.get(id) ?? 0, selected: chosen.has(id), children: [] });
    if (u.parentId !== null) add(u.parentId);
  };
  for (const [id, n] of counts) if (n > 0) add(id);
  for (const id of chosen) add(id);
  const roots: LibraryNode[] = [];
  for (const [id, node] of nodes) {
    const parent = units.get(id)?.parentId;
    const p = parent !== null && parent !== undefined ? nodes.get(parent) : undefined;
    (p ? p.children : roots).push(node);
  }
  const sort = (xs: LibraryNode[]) => {
    xs.sort((a, b) => compareVi(a.name, b.name));
    for (const x of xs) sort(x.children);
  };
  sort(roots);
  return roots;
}

// ---------------------------------------------------------------- routes

export async function searchApi(base: FastifyInstance, opts: { services: Services }): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { search } = opts.services;
  const tags = ['search'];

  app.get(
    '/search',
    {
      config: { rateLimit: { max: SEARCH_RATE_LIMIT, timeWindow: '1 minute' } },
      schema: {
        summary: 'Search the union catalogue: ranked results with highlighted titles, facet counts and a spelling suggestion',
        description:
          'Words match with or without Vietnamese tones. Filters are OR within one parameter and AND across parameters; facet counts are multi-select (each facet is counted as if its own filter were not set). An unknown unit code is a 400 naming the parameter.',
        tags,
        security: [],
        querystring: SearchQuery,
        response: { 200: SearchResponseSchema, ...errors },
      },
    },
    async (req) => runSearch(opts.services, req.ctx.t, req.ctx.locale, req.query, viewerOf(req)),
  );

  app.get(
    '/search/suggest',
    {
      config: { rateLimit: { max: SUGGEST_RATE_LIMIT, timeWindow: '1 minute' } },
      schema: {
        summary: 'Titles, authors and subjects starting with what the reader has typed so far (autocomplete)',
        tags,
        security: [],
        querystring: Type.Object({
          q: Type.String({ maxLength: 2000, description: 'What has been typed; a trailing space means the last word is complete' }),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, default: 8 })),
        }),
        response: { 200: Type.Array(SuggestionSchema), ...errors },
      },
    },
    async (req) => search.suggest(req.query.q.slice(0, 200), req.query.limit ?? 8),
  );
}
