/**
 * The reader's search: `/search` (box, results, facets, paging), `/search/help` (the query
 * language) and `/record/:id` (a record's public page with its holdings by library).
 *
 * Everything works without JavaScript: the search box and the facets are plain GET forms, and
 * each facet value, sort and page is a link or a form field. Two small scripts improve it when
 * they run: `search-suggest.js` (autocomplete from `/api/v1/search/suggest`) and
 * `search-facets.js` (a ticked facet or a new sort order applies at once).
 *
 * The results are the API's presentation model (`runSearch` in `api/search.api.ts`), so the page
 * and `/api/v1/search` never disagree. Unlike the API, the page is lenient with its parameters:
 * a bad page number or sort order falls back to the default instead of failing.
 */
import type { ViewerContext } from '../../../app/digital/digital.service.js';
import { viewerOf } from '../../protocols/iiif.routes.js';
import type { FastifyInstance } from 'fastify';
import type { ComponentChildren, VNode } from 'preact';
import type { Services } from '../../../main/container.js';
import { AppError } from '../../../domain/errors.js';
import type { OrgUnit } from '../../../domain/org/unit.js';
import type { StoredItem } from '../../../app/ports.js';
import { SORTS, type SearchSort } from '../../../app/search/search.service.js';
import { hasMessage, type MessageKey } from '../../../i18n/i18n.js';
import { compareVi } from '../../../text/fold.js';
import { assetUrl } from '../../assets/assets.js';
import { Breadcrumbs, Layout, absoluteUrl, errorText, pageCtx, sendPage, unitName, type PageCtx } from '../render.js';
import { Message } from '../shared.js';
import { CODE_PATTERN } from '../../../domain/org/unit.js';
import { citationEntry, citeAll } from '../../../domain/catalog/cite.js';
import { schemaOrgRecord } from '../../../domain/catalog/schema-org.js';
import { scholarMeta, scholarlyKind } from '../../../domain/catalog/scholar.js';
import { orderHoldings, type HoldingMark } from '../../../domain/catalog/holdings-order.js';
import type { DerivedRecord } from '../../../domain/catalog/derive.js';
import type { MarcRecord } from '../../../codecs/marc/record.js';
import { writeIso2709, writeMarcXml } from '../../../codecs/marc/write.js';
import { MarcError } from '../../../codecs/marc/errors.js';
import { risRecord } from '../../../codecs/citation/ris.js';
import { bibtexKey, bibtexRecord } from '../../../codecs/citation/bibtex.js';
import { citeTerms } from '../../../i18n/cite-terms.js';
import { contentDisposition } from './digital.pages.js';
import { CiteSection, Cover, ExportSection, RECORD_EXPORTS, RecordHead, ShareSection, type RecordExport } from './record.view.js';
import { SaveToList } from './account.pages.js';
import {
  DEFAULT_PAGE_SIZE,
  FACET_PARAMS,
  MAX_PAGE,
  MAX_PAGE_SIZE,
  SEARCH_RATE_LIMIT,
  classLabel,
  languageLabel,
  materialLabel,
  runSearch,
  type FacetParam,
  type FacetValue,
  type LibraryNode,
  type SearchOutput,
  type SearchParams,
  type SearchResultOut,
} from '../../api/search.api.js';

// =============================================================================================
// The page's state, read leniently from the query string, and links that change it

interface SearchState {
  q: string;
  library: string;
  near: string;
  available: string;
  values: Record<FacetParam, string[]>;
  libraryFilter: string[];
  yearFrom: number | null;
  yearTo: number | null;
  sort: SearchSort;
  page: number;
  /** The page number as asked, beyond {@link MAX_PAGE} too (for "there is no page 900"). */
  asked: number;
  pageSize: number;
}

const MAX_Q = 2000;

function strings(v: unknown): string[] {
  const xs = Array.isArray(v) ? v : v === undefined ? [] : [v];
  return [...new Set(xs.filter((x): x is string => typeof x === 'string').map((x) => x.trim().slice(0, 500)).filter((x) => x !== ''))].slice(0, 50);
}

function first(v: unknown, max: number): string {
  return (strings(v)[0] ?? '').slice(0, max);
}

function int(v: unknown, min: number, max: number): number | null {
  const s = first(v, 12);
  if (!/^\d{1,6}$/.test(s)) return null;
  return Math.min(Math.max(Number(s), min), max);
}

/** Never fails: what cannot be read is left at its default. */
export function readState(query: unknown): SearchState {
  const q = (query ?? {}) as Record<string, unknown>;
  const text = (Array.isArray(q.q) ? q.q.find((x) => typeof x === 'string') : q.q) as string | undefined;
  const sort = first(q.sort, 20);
  const year = (v: unknown) => {
    const s = first(v, 12);
    return /^\d{1,4}$/.test(s) ? Number(s) : null;
  };
  return {
    q: typeof text === 'string' ? text.slice(0, MAX_Q) : '',
    library: first(q.library, 32),
    near: first(q.near, 32),
    available: first(q.available, 32),
    values: Object.fromEntries(FACET_PARAMS.map((f) => [f, strings(q[f])])) as Record<FacetParam, string[]>,
    libraryFilter: strings(q.libraryFilter).map((s) => s.slice(0, 32)),
    yearFrom: year(q.yearFrom),
    yearTo: year(q.yearTo),
    sort: (SORTS as readonly string[]).includes(sort) ? (sort as SearchSort) : 'relevance',
    page: int(q.page, 1, MAX_PAGE) ?? 1,
    asked: int(q.page, 1, 999_999) ?? 1,
    pageSize: int(q.pageSize, 1, MAX_PAGE_SIZE) ?? DEFAULT_PAGE_SIZE,
  };
}

function toParams(s: SearchState): SearchParams {
  return {
    q: s.q,
    ...(s.library ? { library: s.library } : {}),
    ...(s.near ? { near: s.near } : {}),
    ...(s.available ? { available: s.available } : {}),
    ...s.values,
    libraryFilter: s.libraryFilter,
    ...(s.yearFrom !== null ? { yearFrom: s.yearFrom } : {}),
    ...(s.yearTo !== null ? { yearTo: s.yearTo } : {}),
    sort: s.sort,
    page: s.page,
    pageSize: s.pageSize,
    facets: true,
    fullText: true,
  };
}

/** The state as query pairs, defaults left out, in a stable order. */
function pairs(s: SearchState, opts: { page?: boolean } = {}): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  if (s.q !== '') out.push(['q', s.q]);
  if (s.library) out.push(['library', s.library]);
  if (s.near) out.push(['near', s.near]);
  if (s.available) out.push(['available', s.available]);
  for (const code of s.libraryFilter) out.push(['libraryFilter', code]);
  for (const f of FACET_PARAMS) for (const v of s.values[f]) out.push([f, v]);
  if (s.yearFrom !== null) out.push(['yearFrom', String(s.yearFrom)]);
  if (s.yearTo !== null) out.push(['yearTo', String(s.yearTo)]);
  if (s.sort !== 'relevance') out.push(['sort', s.sort]);
  if (s.pageSize !== DEFAULT_PAGE_SIZE) out.push(['pageSize', String(s.pageSize)]);
  if (opts.page !== false && s.page > 1) out.push(['page', String(s.page)]);
  return out;
}

/** A link to the search with some of the state changed; any change but paging goes back to page 1. */
function link(s: SearchState, change: Partial<SearchState> = {}): string {
  const next = { ...s, page: 1, ...change };
  const qs = new URLSearchParams(pairs(next)).toString();
  return qs ? `/search?${qs}` : '/search';
}

function toggle(xs: readonly string[], v: string): string[] {
  return xs.includes(v) ? xs.filter((x) => x !== v) : [...xs, v];
}

function Hidden({ list }: { list: Array<[string, string]> }) {
  return (
    <>
      {list.map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
    </>
  );
}

function activeFilters(s: SearchState): number {
  return FACET_PARAMS.reduce((n, f) => n + s.values[f].length, 0) + s.libraryFilter.length + (s.available ? 1 : 0) + (s.yearFrom !== null || s.yearTo !== null ? 1 : 0);
}

// =============================================================================================
// Pieces

export function Highlighted({ segments }: { segments: ReadonlyArray<{ text: string; hit: boolean }> }) {
  return <>{segments.map((s) => (s.hit ? <mark>{s.text}</mark> : s.text))}</>;
}

/** The search box, with the autocomplete's hooks (the script finds them by their data attributes). */
function SearchBox({ ctx, state }: { ctx: PageCtx; state: SearchState }) {
  const { t } = ctx;
  return (
    <form method="get" action="/search" class="search-form" role="search">
      <label for="search-q" class="search-label">
        {t('search.box.label')}
      </label>
      <div class="search-box" data-suggest-url="/api/v1/search/suggest" data-kind-title={t('search.suggest.title')} data-kind-author={t('search.suggest.author')} data-kind-subject={t('search.suggest.subject')} data-count-text={t('search.suggest.count')}>
        <input
          type="search"
          id="search-q"
          name="q"
          value={state.q}
          maxLength={MAX_Q}
          placeholder={t('search.box.placeholder')}
          autoComplete="off"
          spellcheck={false}
          role="combobox"
          list={undefined}
          aria-autocomplete="list"
          aria-expanded="false"
          aria-controls="search-suggest-list"
          aria-describedby="search-help-link"
        />
        <ul id="search-suggest-list" class="suggest-list" role="listbox" aria-label={t('search.suggest.label')} hidden />
        <button type="submit">{t('search.box.submit')}</button>
      </div>
      <div class="visually-hidden" aria-live="polite" data-suggest-status />
      {/* A new search keeps where it looks and in what order, not the filters of the last one. */}
      <Hidden list={pairs({ ...state, q: '', values: Object.fromEntries(FACET_PARAMS.map((f) => [f, []])) as unknown as SearchState['values'], libraryFilter: [], available: '', yearFrom: null, yearTo: null }, { page: false })} />
      <p class="search-help-line small">
        <a href="/search/help" id="search-help-link">
          {t('search.box.help')}
        </a>
      </p>
    </form>
  );
}

function fmt(ctx: PageCtx, n: number): string {
  return n.toLocaleString(ctx.locale === 'vi' ? 'vi-VN' : 'en-GB');
}

/** How facet counts are written: digits grouped as the language groups them, `≈` before estimates. */
interface CountStyle {
  sep: string;
  approx: boolean;
}

/** `144909` → `144.909` (vi) or `144,909` (en); cheaper than `toLocaleString` for a page's hundreds of counts. */
export function groupDigits(n: number, sep: string): string {
  const d = String(n);
  if (d.length <= 3) return d;
  let out = d.slice(0, d.length % 3 || 3);
  for (let i = out.length; i < d.length; i += 3) out += sep + d.slice(i, i + 3);
  return out;
}

function Count({ n, cs }: { n: number; cs: CountStyle }) {
  return <span class="facet-count">{cs.approx ? `≈${groupDigits(n, cs.sep)}` : groupDigits(n, cs.sep)}</span>;
}

function Option({ name, value, label, count, checked, cs }: { name: string; value: string; label: string; count: number; checked: boolean; cs: CountStyle }) {
  return (
    <li>
      <label class="facet-option">
        <input type="checkbox" name={name} value={value} checked={checked} />
        <span class="facet-label">{label}</span>
        <Count n={count} cs={cs} />
      </label>
    </li>
  );
}

const SHOWN = 8;

function FacetGroup({ ctx, title, name, values, cs }: { ctx: PageCtx; title: string; name: string; values: readonly FacetValue[]; cs: CountStyle }) {
  if (values.length === 0) return null;
  // Chosen values first, so that they are never hidden under "more".
  const sorted = [...values.filter((v) => v.selected), ...values.filter((v) => !v.selected)];
  const shown = sorted.slice(0, SHOWN);
  const more = sorted.slice(SHOWN);
  return (
    <fieldset class="facet">
      <legend>{title}</legend>
      <ul class="facet-list">
        {shown.map((v) => (
          <Option name={name} value={v.value} label={v.label} count={v.count} checked={v.selected} cs={cs} />
        ))}
      </ul>
      {more.length > 0 ? (
        <details class="facet-more">
          <summary>{ctx.t('search.facets.more', { count: more.length })}</summary>
          <ul class="facet-list">
            {more.map((v) => (
              <Option name={name} value={v.value} label={v.label} count={v.count} checked={v.selected} cs={cs} />
            ))}
          </ul>
        </details>
      ) : null}
    </fieldset>
  );
}

/**
 * A drilled-down facet level: its first entries, and when it is long the rest under "more"
 * (`open` when a chosen entry is among them). Shared by the library and class trees.
 */
function ShortList<T>({ ctx, items, item, listClass, open }: { ctx: PageCtx; items: readonly T[]; item: (x: T) => VNode; listClass: string; open: (rest: readonly T[]) => boolean }) {
  const limit = items.length > SHOWN + 2 ? SHOWN : items.length;
  const more = items.slice(limit);
  return (
    <>
      <ul class={listClass}>{items.slice(0, limit).map(item)}</ul>
      {more.length > 0 ? (
        <details class="facet-more" open={open(more)}>
          <summary>{ctx.t('search.facets.more', { count: more.length })}</summary>
          <ul class="facet-list">{more.map(item)}</ul>
        </details>
      ) : null}
    </>
  );
}

interface ClassNode {
  value: FacetValue;
  children: FacetValue[];
}

const DDC_TEN = /^ddc:(\d)\dx$/u;

/**
 * Classes as a tree: each DDC ten (`ddc:95x`) under its hundred (`ddc:900`), which every record
 * with the ten also has; BBK classes, and a ten whose hundred is not listed, stay at the top. In
 * the order given (by count).
 */
export function classTree(values: readonly FacetValue[]): ClassNode[] {
  const top = new Map<string, ClassNode>();
  for (const v of values) if (!DDC_TEN.test(v.value)) top.set(v.value, { value: v, children: [] });
  const out: ClassNode[] = [];
  for (const v of values) {
    const ten = DDC_TEN.exec(v.value);
    const parent = ten ? top.get(`ddc:${ten[1]}00`) : undefined;
    if (parent) parent.children.push(v);
    else out.push(top.get(v.value) ?? { value: v, children: [] });
  }
  return out;
}

/**
 * The class facet, drilled down as the library facet is: a hundred's tens are listed when it or
 * one of them is chosen (or when it is alone); otherwise a link chooses it. Sixty-odd hundreds and
 * tens side by side were a quarter of a broad query's page, and hard to read on a phone.
 */
function ClassGroup({ ctx, state, values, cs }: { ctx: PageCtx; state: SearchState; values: readonly FacetValue[]; cs: CountStyle }) {
  const nodes = classTree(values);
  if (nodes.length === 0) return null;
  const chosen = (n: ClassNode) => n.value.selected || n.children.some((c) => c.selected);
  // Chosen classes first, so that they are never hidden under "more".
  const sorted = [...nodes.filter(chosen), ...nodes.filter((n) => !chosen(n))];
  const item = (n: ClassNode) => {
    const open = n.children.length > 0 && (nodes.length === 1 || chosen(n));
    return (
      <li>
        <label class="facet-option">
          <input type="checkbox" name="class" value={n.value.value} checked={n.value.selected} />
          <span class="facet-label">{n.value.label}</span>
          <Count n={n.value.count} cs={cs} />
        </label>
        {n.children.length === 0 ? null : open ? (
          <div class="facet-sub">
            <ul class="facet-list">
              {n.children.map((c) => (
                <Option name="class" value={c.value} label={c.label} count={c.count} checked={c.selected} cs={cs} />
              ))}
            </ul>
          </div>
        ) : (
          <a class="facet-sub facet-drill" href={link(state, { values: { ...state.values, class: [...state.values.class, n.value.value] } })}>
            {ctx.t('search.facets.subclasses', { count: n.children.length })}
          </a>
        )}
      </li>
    );
  };
  return (
    <fieldset class="facet">
      <legend>{ctx.t('search.facet.class')}</legend>
      {/* Chosen classes come first, so "more" never holds one. */}
      <ShortList ctx={ctx} items={sorted} item={item} listClass="facet-list" open={() => false} />
    </fieldset>
  );
}

const anySelected = (n: LibraryNode): boolean => n.selected || n.children.some(anySelected);

/**
 * The libraries holding hits, in tree order and by name, drilled down: a library's members are
 * listed when it, or one of them, is chosen (or when it is alone on its level); otherwise it
 * says how many it has, as a link that chooses it. A network of 300 units would otherwise send
 * every one of them, each a checkbox with a count, on every results page — most of the page's
 * weight on a phone. A long list shows its first entries with the rest under "more" (opened when
 * a chosen library is among them).
 */
function LibraryNodes({ ctx, state, nodes, depth, cs }: { ctx: PageCtx; state: SearchState; nodes: readonly LibraryNode[]; depth: number; cs: CountStyle }) {
  const item = (n: LibraryNode) => {
    const open = n.children.length > 0 && (nodes.length === 1 || anySelected(n));
    return (
      <li>
        <label class="facet-option">
          <input type="checkbox" name="libraryFilter" value={n.code} checked={n.selected} />
          <span class="facet-label">{n.name}</span>
          <Count n={n.count} cs={cs} />
        </label>
        {n.children.length === 0 ? null : open ? (
          <div class="facet-sub">
            <LibraryNodes ctx={ctx} state={state} nodes={n.children} depth={depth + 1} cs={cs} />
          </div>
        ) : (
          <a class="facet-sub facet-drill" href={link(state, { libraryFilter: [...state.libraryFilter, n.code] })}>
            {ctx.t('search.facets.units', { count: n.children.length })}
          </a>
        )}
      </li>
    );
  };
  return <ShortList ctx={ctx} items={nodes} item={item} listClass={depth === 0 ? 'facet-list facet-tree' : 'facet-list'} open={(rest) => rest.some(anySelected)} />;
}

function Facets({ ctx, state, out }: { ctx: PageCtx; state: SearchState; out: SearchOutput }) {
  const { t } = ctx;
  const f = out.facets;
  if (!f) return null;
  // The network itself holds everything: start the tree at its members.
  const libraries = f.library.length === 1 && f.library[0]!.type === 'network' ? f.library[0]!.children : f.library;
  const active = activeFilters(state);
  const here = out.scope.here;
  const keep = pairs({ ...state, values: Object.fromEntries(FACET_PARAMS.map((k) => [k, []])) as unknown as SearchState['values'], libraryFilter: [], available: '', yearFrom: null, yearTo: null }, { page: false });
  const years = state.yearFrom !== null || state.yearTo !== null;
  const cs: CountStyle = { sep: ctx.locale === 'vi' ? '.' : ',', approx: f.approximate };
  return (
    <aside class="search-facets" aria-labelledby="facets-heading">
      <details class="facets-box" data-facets>
        <summary>
          <span id="facets-heading">{t('search.facets.title')}</span>
          {active > 0 ? <span class="badge">{t('search.facets.active', { count: active })}</span> : null}
        </summary>
        <form method="get" action="/search" class="facet-form">
          <Hidden list={keep} />
          {f.approximate ? <p class="small facet-note">{t('search.facets.approximate')}</p> : null}
          <fieldset class="facet">
            <legend>{t('search.facet.availability')}</legend>
            <ul class="facet-list">
              <li>
                <label class="facet-option">
                  <input type="radio" name="available" value="" checked={!state.available} />
                  <span class="facet-label">{t('search.facet.availability.any')}</span>
                </label>
              </li>
              <li>
                <label class="facet-option">
                  <input type="radio" name="available" value="anywhere" checked={state.available.toLowerCase() === 'anywhere'} />
                  <span class="facet-label">{t('search.facet.availability.anywhere')}</span>
                  <Count n={f.availability.anywhere} cs={cs} />
                </label>
              </li>
              {here ? (
                <li>
                  <label class="facet-option">
                    <input type="radio" name="available" value={here.code} checked={state.available.toUpperCase() === here.code.toUpperCase()} />
                    <span class="facet-label">{t('search.facet.availability.here', { library: here.name })}</span>
                    <Count n={f.availability.here ?? 0} cs={cs} />
                  </label>
                </li>
              ) : null}
            </ul>
          </fieldset>
          {libraries.length > 0 ? (
            <fieldset class="facet">
              <legend>{t('search.facet.library')}</legend>
              <LibraryNodes ctx={ctx} state={state} nodes={libraries} depth={0} cs={cs} />
            </fieldset>
          ) : null}
          <FacetGroup ctx={ctx} title={t('search.facet.material')} name="material" values={f.material} cs={cs} />
          <FacetGroup ctx={ctx} title={t('search.facet.language')} name="language" values={f.language} cs={cs} />
          <fieldset class="facet">
            <legend>{t('search.facet.decade')}</legend>
            {f.decades.length > 0 ? (
              <ul class="facet-list facet-links">
                {f.decades.map((d) => {
                  const current = state.yearFrom === d.from && state.yearTo === d.to;
                  return (
                    <li>
                      <a href={current ? link(state, { yearFrom: null, yearTo: null }) : link(state, { yearFrom: d.from, yearTo: d.to })} aria-current={current ? 'true' : undefined} class="facet-option">
                        <span class="facet-label">{t('search.facet.decadeLabel', { from: d.from })}</span>
                        <Count n={d.count} cs={cs} />
                      </a>
                    </li>
                  );
                })}
              </ul>
            ) : null}
            <div class="year-range">
              <label>
                <span>{t('search.facet.yearFrom')}</span>
                <input type="number" name="yearFrom" min={0} max={9999} inputMode="numeric" value={state.yearFrom ?? ''} />
              </label>
              <label>
                <span>{t('search.facet.yearTo')}</span>
                <input type="number" name="yearTo" min={0} max={9999} inputMode="numeric" value={state.yearTo ?? ''} />
              </label>
            </div>
            {years ? (
              <p class="small">
                <a href={link(state, { yearFrom: null, yearTo: null })}>{t('search.chip.remove', { label: t('search.chip.years', { from: state.yearFrom ?? '…', to: state.yearTo ?? '…' }) })}</a>
              </p>
            ) : null}
          </fieldset>
          <FacetGroup ctx={ctx} title={t('search.facet.subject')} name="subject" values={f.subject} cs={cs} />
          <FacetGroup ctx={ctx} title={t('search.facet.author')} name="author" values={f.author} cs={cs} />
          <FacetGroup ctx={ctx} title={t('search.facet.collection')} name="collection" values={f.collection} cs={cs} />
          <ClassGroup ctx={ctx} state={state} values={f.class} cs={cs} />
          <div class="facet-actions">
            <button type="submit">{t('search.facets.apply')}</button>
            {active > 0 ? <a href={link(state, { values: Object.fromEntries(FACET_PARAMS.map((k) => [k, []])) as unknown as SearchState['values'], libraryFilter: [], available: '', yearFrom: null, yearTo: null })}>{t('search.facets.clear')}</a> : null}
          </div>
        </form>
      </details>
    </aside>
  );
}

/** The filters and scope in use, each a link that removes it: visible on a phone without opening the facets. */
function Chips({ ctx, state, out }: { ctx: PageCtx; state: SearchState; out: SearchOutput }) {
  const { t } = ctx;
  const chips: Array<[string, string]> = [];
  if (out.scope.library) chips.push([t('search.chip.heldIn', { library: out.scope.library.name }), link(state, { library: '' })]);
  if (out.scope.near) chips.push([t('search.chip.near', { library: out.scope.near.name }), link(state, { near: '' })]);
  if (state.available) {
    const a = out.scope.available;
    chips.push([a === 'anywhere' || a === null ? t('search.facet.availability.anywhere') : t('search.facet.availability.here', { library: a.name }), link(state, { available: '' })]);
  }
  const unitNames = new Map<string, string>();
  const walk = (ns: readonly LibraryNode[]) => {
    for (const n of ns) {
      unitNames.set(n.code.toUpperCase(), n.name);
      walk(n.children);
    }
  };
  walk(out.facets?.library ?? []);
  for (const code of state.libraryFilter) chips.push([unitNames.get(code.toUpperCase()) ?? code, link(state, { libraryFilter: state.libraryFilter.filter((c) => c !== code) })]);
  const label = (f: FacetParam, v: string) => (f === 'material' ? materialLabel(t, v) : f === 'language' ? languageLabel(t, v) : f === 'class' ? classLabel(t, v) : v);
  for (const f of FACET_PARAMS) for (const v of state.values[f]) chips.push([label(f, v), link(state, { values: { ...state.values, [f]: toggle(state.values[f], v) } })]);
  if (state.yearFrom !== null || state.yearTo !== null) chips.push([t('search.chip.years', { from: state.yearFrom ?? '…', to: state.yearTo ?? '…' }), link(state, { yearFrom: null, yearTo: null })]);
  if (chips.length === 0) return null;
  return (
    <ul class="chips" aria-label={t('search.chip.label')}>
      {chips.map(([text, href]) => (
        <li>
          <a href={href} aria-label={t('search.chip.remove', { label: text })}>
            {text} <span aria-hidden="true">×</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

function SortForm({ ctx, state }: { ctx: PageCtx; state: SearchState }) {
  const { t } = ctx;
  return (
    <form method="get" action="/search" class="sort-form">
      <Hidden list={pairs({ ...state, sort: 'relevance' }, { page: false })} />
      <label for="search-sort">{t('search.sort.label')}</label>
      <select id="search-sort" name="sort">
        {SORTS.map((s) => (
          <option value={s} selected={s === state.sort}>
            {t(`search.sort.${s}`)}
          </option>
        ))}
      </select>
      <button type="submit" class="secondary" data-sort-apply>
        {t('search.sort.apply')}
      </button>
    </form>
  );
}

/** "Available at 3 libraries", "on loan everywhere" or "no copies": a result's copies at a glance. */
function availabilityText(ctx: PageCtx, r: SearchResultOut): string {
  const { t } = ctx;
  if (r.holdings === 0) return t('search.result.noHoldings');
  if (!r.available) return t('search.result.onLoanEverywhere');
  const n = Math.max(r.availableLibraries, 1);
  return n === 1 ? t('search.result.availableAtOne') : t('search.result.availableAt', { count: fmt(ctx, n) });
}

function ResultItem({ ctx, r, here, from }: { ctx: PageCtx; r: SearchResultOut; here: string | null; from: string | null }) {
  const { t } = ctx;
  const by = r.responsibility ?? (r.authors.length ? r.authors.join('; ') : null);
  const pub = [r.publisher, r.year].filter((x) => x !== null && x !== '').join(', ');
  // The library searched in travels to the record page, where its holdings come first.
  const href = from ? `${r.link}?${new URLSearchParams([['from', from]]).toString()}` : r.link;
  return (
    <li class="result">
      <Cover material={r.material} title={r.title} thumbnail={r.digital?.readable ? r.digital.thumbnail : null} />
      <div class="result-body">
        <h3 class="result-title">
          <a href={href}>
            <Highlighted segments={r.titleHighlighted} />
          </a>
        </h3>
        {by ? <p class="result-by">{by}</p> : null}
        {pub ? <p class="result-pub">{pub}</p> : null}
        <p class="result-facts">
          <span class="badge">{r.materialLabel}</span>
          {r.languageLabels.length ? <span>{r.languageLabels.join(', ')}</span> : null}
          {r.callNumber ? <span class="call-number">{t('search.result.callNumber', { callNumber: r.callNumber })}</span> : null}
          {r.fullTextOnly ? <span class="badge badge-fulltext">{t('search.result.fullTextOnly')}</span> : null}
        </p>
        <p class="result-avail">
          {r.holdings === 0 ? (
            <span class="muted">{availabilityText(ctx, r)}</span>
          ) : (
            <>
              <span class={`avail ${r.available ? 'avail-yes' : 'avail-no'}`}>{availabilityText(ctx, r)}</span>
              {r.availableHere === true && here ? <span class="avail-here">{t('search.result.availableHere', { library: here })}</span> : null}
              <span class="muted">{t('search.result.holdings', { count: r.holdings })}</span>
            </>
          )}
        </p>
        {r.digital ? (
          <p class="result-digital">
            <a href={r.digital.link}>{r.digital.readable ? t('search.result.readOnline') : t('search.result.digitalRestricted')}</a>
            {r.digital.pagesHidden ? <span class="muted small"> {t('search.result.pagesHidden')}</span> : null}
          </p>
        ) : null}
        {r.pages.length > 0 ? (
          <ul class="page-hits">
            {r.pages.map((p) => (
              <li>
                {p.link ? (
                  <a class="page-no" href={p.link}>
                    {t('search.result.page', { page: p.label ?? p.pageNo })}
                  </a>
                ) : (
                  <span class="page-no">{t('search.result.page', { page: p.label ?? p.pageNo })}</span>
                )}{' '}
                <Highlighted segments={p.snippet} />
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </li>
  );
}

function Pager({ ctx, state, out }: { ctx: PageCtx; state: SearchState; out: SearchOutput }) {
  const { t } = ctx;
  if (out.pages <= 1) return null;
  const at = out.page;
  const shown = new Set([1, out.pages, at - 2, at - 1, at, at + 1, at + 2].filter((p) => p >= 1 && p <= out.pages));
  const list = [...shown].sort((a, b) => a - b);
  const items: ComponentChildren[] = [];
  let last = 0;
  for (const p of list) {
    if (p > last + 1) items.push(<li class="gap" aria-hidden="true">…</li>);
    items.push(
      <li>
        {p === at ? (
          <span aria-current="page" class="current">
            {p}
          </span>
        ) : (
          <a href={link(state, { page: p })} aria-label={t('search.pager.page', { page: p })}>
            {p}
          </a>
        )}
      </li>,
    );
    last = p;
  }
  return (
    <nav class="pager" aria-label={t('search.pager.label')}>
      <ul>
        {at > 1 ? (
          <li>
            {/* From past the last page, "previous" is the last page. */}
            <a href={link(state, { page: Math.min(at - 1, out.pages) })} rel="prev">
              {`‹ ${t('search.pager.prev')}`}
            </a>
          </li>
        ) : null}
        {items}
        {at < out.pages ? (
          <li>
            <a href={link(state, { page: at + 1 })} rel="next">
              {`${t('search.pager.next')} ›`}
            </a>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

function Results({ ctx, state, out }: { ctx: PageCtx; state: SearchState; out: SearchOutput }) {
  const { t } = ctx;
  const blank = state.q.trim() === '';
  const problems = out.query.problems.filter((p) => !(blank && p.code === 'query.empty'));
  const from = (out.page - 1) * out.pageSize + 1;
  const to = from + out.results.length - 1;
  const dym = out.didYouMean;
  // A page past the last one (an old link, a hand-typed page number), or past the last page shown
  // of a very long list: the hits are there, the page is not.
  const pastEnd = out.total > 0 && (out.results.length === 0 || state.asked > out.pages);
  const asked = Math.max(state.asked, out.page);
  const capped = Math.ceil(out.total / out.pageSize) > out.pages;
  return (
    <section class="search-results" aria-labelledby="results-heading">
      {problems.length > 0 ? (
        <div class="search-notes" role="status">
          <p>
            <strong>{t('search.problems.title')}</strong>
          </p>
          <ul>
            {problems.map((p) => (
              <li>{p.message}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {dym ? (
        <p class="did-you-mean">
          <Message ctx={ctx} k="search.didYouMean" slot="text">
            <a href={link(state, { q: dym.text })}>
              <strong>{dym.text}</strong>
            </a>
          </Message>{' '}
          <span class="muted small">{t('search.didYouMeanHits', { count: dym.hits })}</span>
        </p>
      ) : null}
      <div class="results-head">
        <h2 id="results-heading">
          {blank && activeFilters(state) === 0 && !state.library && !state.near ? t('search.summaryAll', { count: fmt(ctx, out.total) }) : t('search.summary', { count: fmt(ctx, out.total) })}
          {!pastEnd && out.results.length > 0 && out.pages > 1 ? <span class="muted small range">{` · ${t('search.summaryRange', { from, to })}`}</span> : null}
        </h2>
        {out.total > 1 ? <SortForm ctx={ctx} state={state} /> : null}
      </div>
      <Chips ctx={ctx} state={state} out={out} />
      {pastEnd ? (
        <div class="card no-results">
          <p>
            <strong>{capped ? t('search.pastCap', { page: fmt(ctx, asked), pages: fmt(ctx, out.pages) }) : out.pages > 1 ? t('search.pastEnd', { page: fmt(ctx, asked), pages: fmt(ctx, out.pages) }) : t('search.pastEndOne', { page: fmt(ctx, asked) })}</strong>
          </p>
          <p>
            <a href={link(state, { page: Math.max(out.pages, 1) })}>{out.pages > 1 ? t('search.pastEndLink', { page: fmt(ctx, out.pages) }) : t('search.pastEndOneLink')}</a>
          </p>
        </div>
      ) : out.results.length === 0 ? (
        <div class="card no-results">
          <p>
            <strong>{t('search.none')}</strong>
          </p>
          <p>{t('search.noneHelp')}</p>
          <p>
            <a href="/search/help">{t('search.box.help')}</a>
          </p>
        </div>
      ) : (
        <ol class="results" start={from}>
          {out.results.map((r) => (
            <ResultItem ctx={ctx} r={r} here={out.scope.here?.name ?? null} from={out.scope.near?.code ?? out.scope.library?.code ?? null} />
          ))}
        </ol>
      )}
      <Pager ctx={ctx} state={state} out={out} />
    </section>
  );
}

// =============================================================================================
// The record page: holdings by library

interface Holding {
  unit: OrgUnit | undefined;
  unitId: number;
  /** The library's name in the reader's language. */
  name: string;
  path: string | null;
  items: StoredItem[];
  available: number;
}

const GONE = new Set(['withdrawn', 'lost', 'missing']);

/** Copies by owning library (withdrawn, lost and missing ones left out), unordered: see `orderHoldings`. */
function holdingsOf(items: readonly StoredItem[], units: ReadonlyMap<number, OrgUnit>, ctx: PageCtx): Holding[] {
  const by = new Map<number, Holding>();
  for (const i of items) {
    if (GONE.has(i.status)) continue;
    let h = by.get(i.ownerUnitId);
    if (!h) {
      const unit = units.get(i.ownerUnitId);
      h = { unit, unitId: i.ownerUnitId, name: unit ? unitName(ctx, unit) : String(i.ownerUnitId), path: unit?.path ?? null, items: [], available: 0 };
      by.set(i.ownerUnitId, h);
    }
    h.items.push(i);
    if (i.status === 'available') h.available++;
  }
  return [...by.values()];
}

/** A record number from the path: digits within a 32-bit integer, else "not found" — never a 500. */
function recordIdParam(raw: unknown): number {
  const s = typeof raw === 'string' ? raw : '';
  if (!/^\d{1,10}$/.test(s) || Number(s) > 2_147_483_647 || Number(s) < 1) throw new AppError('NOT_FOUND');
  return Number(s);
}

function tk(ctx: PageCtx, key: string, fallback: string): string {
  return hasMessage(key) ? ctx.t(key) : fallback;
}

/** A search link for a heading, quoted and fielded (`author:"Nguyễn Du"`). */
function fieldLink(field: 'author' | 'subject', value: string): string {
  return `/search?${new URLSearchParams([['q', `${field}:"${value.replace(/["“”„]/g, ' ').trim()}"`]]).toString()}`;
}

// =============================================================================================
// Routes

const HELP_EXAMPLES: Array<[string, MessageKey]> = [
  ['truyen kieu', 'search.help.ex.words'],
  ['"lịch sử việt nam"', 'search.help.ex.phrase'],
  ['tacgia:"nguyễn du"', 'search.help.ex.field'],
  ['"kiên giang" OR "phú quốc"', 'search.help.ex.or'],
  ['lịch sử NOT "thế giới"', 'search.help.ex.not'],
  ['lịch sử -"thế giới"', 'search.help.ex.minus'],
  ['nuôi (tôm OR cá)', 'search.help.ex.group'],
  ['thu*', 'search.help.ex.prefix'],
  ['978-604-1-12348-9', 'search.help.ex.isbn'],
  ['nam:2010-2020', 'search.help.ex.year'],
];

const HELP_FIELDS: Array<[MessageKey, string]> = [
  ['search.help.f.title', 'title: · nhande:'],
  ['search.help.f.author', 'author: · tacgia:'],
  ['search.help.f.subject', 'subject: · chude:'],
  ['search.help.f.publisher', 'publisher: · nxb:'],
  ['search.help.f.year', 'year: · nam:'],
  ['search.help.f.series', 'series: · tungthu:'],
  ['search.help.f.isbn', 'isbn:'],
  ['search.help.f.issn', 'issn:'],
  ['search.help.f.callnumber', 'callnumber: · kyhieu:'],
];

export async function searchPages(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { catalog, org } = opts.services;
  const limit = { rateLimit: { max: SEARCH_RATE_LIMIT, timeWindow: '1 minute' } };

  app.get('/search', { schema: { hide: true }, config: limit }, async (req, reply) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const state = readState(req.query);
    let out: SearchOutput | undefined;
    let failure: AppError | undefined;
    try {
      out = await runSearch(opts.services, t, ctx.locale, toParams(state), viewerOf(req));
      if (req.ctx.readerActor) await opts.services.readers.recordSearch(req.ctx.readerActor, { query: state.q, params: req.url.split('?')[1] ?? '', resultCount: out.total });
    } catch (e) {
      if (!(e instanceof AppError) || e.code !== 'VALIDATION') throw e;
      failure = e;
    }
    const title = state.q.trim() ? `${state.q.trim().slice(0, 80)} · ${t('search.title')}` : t('search.title');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title}>
        <h1 class="search-title">{t('search.title')}</h1>
        <SearchBox ctx={ctx} state={state} />
        {failure ? (
          <div class="flash flash-error" role="alert">
            <p>
              <strong>{t('search.error.title')}</strong>
            </p>
            <ul>
              {(failure.details ?? []).map((d) => (
                <li>{typeof d.params?.rule === 'string' && hasMessage(d.params.rule) ? t(d.params.rule, d.params) : errorText(t, d.code, d.params)}</li>
              ))}
            </ul>
            <p>
              <a href="/search">{t('search.facets.clear')}</a>
            </p>
          </div>
        ) : null}
        {out ? (
          <div class="search-layout">
            <Facets ctx={ctx} state={state} out={out} />
            <Results ctx={ctx} state={state} out={out} />
          </div>
        ) : null}
        <script src={assetUrl('search-suggest.js')} defer />
        <script src={assetUrl('search-facets.js')} defer />
      </Layout>,
      failure ? 400 : 200,
    );
  });

  app.get('/search/help', { schema: { hide: true } }, async (req, reply) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('search.help.title')}>
        <Breadcrumbs
          label={t('a11y.breadcrumbs')}
          items={[
            ['/', t('nav.home')],
            ['/search', t('search.title')],
          ]}
        />
        <h1>{t('search.help.title')}</h1>
        <p class="lead">{t('search.help.intro')}</p>
        <h2>{t('search.help.examples')}</h2>
        <div class="table-wrap">
          <table class="list stack help-examples">
            <thead>
              <tr>
                <th>{t('search.help.query')}</th>
                <th>{t('search.help.meaning')}</th>
              </tr>
            </thead>
            <tbody>
              {HELP_EXAMPLES.map(([q, key]) => (
                <tr>
                  <td data-label={t('search.help.query')}>
                    <a href={`/search?${new URLSearchParams([['q', q]]).toString()}`} title={t('search.help.tryIt')}>
                      <code>{q}</code>
                    </a>
                  </td>
                  <td data-label={t('search.help.meaning')}>{t(key)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p>{t('search.help.operators')}</p>
        <h2>{t('search.help.fields')}</h2>
        <p>{t('search.help.fieldsIntro')}</p>
        <div class="table-wrap">
          <table class="list stack help-fields">
            <thead>
              <tr>
                <th>{t('search.help.field')}</th>
                <th>{t('search.help.names')}</th>
              </tr>
            </thead>
            <tbody>
              {HELP_FIELDS.map(([key, names]) => (
                <tr>
                  <td data-label={t('search.help.field')}>{t(key)}</td>
                  <td data-label={t('search.help.names')}>
                    <code>{names}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p>{t('search.help.filters')}</p>
        <p>{t('search.help.mistakes')}</p>
        <p class="actions">
          <a class="button" href="/search">
            {t('search.title')}
          </a>
        </p>
      </Layout>,
    );
  });

  app.get('/record/:id', { schema: { hide: true } }, async (req, reply) => {
    const view = await catalog.get(recordIdParam((req.params as { id?: string }).id), { allowDeleted: true });
    if (view.record.status === 'deleted') {
      if (view.record.replacedById) return reply.redirect(`/record/${view.record.replacedById}`, 301);
      throw new AppError('CATALOG_RECORD_DELETED', { record: view.record.id, date: (view.record.deletedAt ?? '').slice(0, 10) });
    }
    const ctx = pageCtx(req);
    const { t } = ctx;
    const { derived: d, record } = view;
    const allUnits = await org.list();
    const units = new Map(allUnits.map((u) => [u.id, u]));
    // Holdings: the reader's own library first, then the one they were searching in (`?from=`).
    const fromCode = first((req.query as Record<string, unknown> | undefined)?.from, 32).toUpperCase();
    const near = CODE_PATTERN.test(fromCode) ? allUnits.find((u) => u.code.toUpperCase() === fromCode) : undefined;
    const home = ctx.reader ? units.get(ctx.reader.homeUnitId) : undefined;
    const holdings = orderHoldings(holdingsOf(view.items, units, ctx), {
      home: home ? { id: home.id, path: home.path } : null,
      near: near ? { id: near.id, path: near.path } : null,
      compare: compareVi,
    });
    const copies = holdings.reduce((n, h) => n + h.items.length, 0);
    const available = holdings.reduce((n, h) => n + h.available, 0);
    const title = d.title ?? record.title;
    const copy = await publishedCopy(opts.services, record.id, viewerOf(req));
    const pdf = await publicPdf(opts.services, copy);

    const canonical = `/record/${record.id}`;
    const canonicalUrl = absoluteUrl(ctx, canonical);
    const readUrl = copy?.readable ? absoluteUrl(ctx, `/digital/${copy.object.id}`) : undefined;
    const image = copy?.thumbnail ? absoluteUrl(ctx, copy.thumbnail) : undefined;
    const entry = recordEntry(d, view.marc, record.id, canonicalUrl, readUrl, copy?.object.category);
    const kind = scholarlyKind(entry, d, copy?.object.category);
    const scholar = kind ? scholarMeta(entry, pdf && copy?.object.access === 'public' ? { pdfUrl: absoluteUrl(ctx, pdf) } : {}) : [];
    const jsonLd = schemaOrgRecord(d, entry, {
      url: canonicalUrl,
      ...(image ? { image } : {}),
      ...(readUrl ? { readUrl } : {}),
      holdings: holdings.map((h) => {
        const callNumber = h.items.find((i) => i.callNumber)?.callNumber ?? d.callNumber?.value;
        return { library: { name: h.name, ...(h.unit ? { url: absoluteUrl(ctx, `/l/${h.unit.slug}`) } : {}) }, available: h.available, copies: h.items.length, ...(callNumber ? { callNumber } : {}) };
      }),
    });

    const rows: Array<[string, ComponentChildren]> = [];
    const add = (key: MessageKey, value: ComponentChildren | undefined | null | false) => {
      if (value === undefined || value === null || value === false || value === '' || (Array.isArray(value) && value.length === 0)) return;
      rows.push([t(key), value]);
    };
    add(
      'search.record.authors',
      d.authors.length ? (
        <ul class="plain">
          {d.authors.map((a) => (
            <li>
              <a href={fieldLink('author', a.name)} title={t('search.record.searchAuthor', { name: a.name })}>
                {a.name}
              </a>
              {a.dates ? <span class="muted">{`, ${a.dates}`}</span> : null}
            </li>
          ))}
        </ul>
      ) : undefined,
    );
    add(
      'search.record.subjects',
      d.subjects.length ? (
        <ul class="plain">
          {d.subjects.map((s) => (
            <li>
              <a href={fieldLink('subject', s.parts[0] ?? s.heading)} title={t('search.record.searchSubject', { subject: s.heading })}>
                {s.heading}
              </a>
            </li>
          ))}
        </ul>
      ) : undefined,
    );
    add('search.record.publication', [d.places.join(' ; '), d.publishers.join(' ; '), d.publicationDate].filter((x) => x && x !== '').join(', '));
    add('search.record.edition', d.edition);
    add('search.record.series', d.series.map((s) => (s.volume ? `${s.title} ; ${s.volume}` : s.title)).join('\n'));
    add('search.record.physical', d.physicalDescription);
    add('search.record.isbn', d.isbns.filter((i) => i.status === 'valid').map((i) => i.isbn13 ?? i.raw).join(', '));
    add('search.record.language', d.languages.map((l) => languageLabel(t, l)).join(', '));
    add('search.record.material', materialLabel(t, d.materialType));
    add('search.record.callNumber', d.callNumber ? <code>{d.callNumber.value}</code> : undefined);
    add('search.record.summary', d.summaries.join('\n'));
    add('search.record.notes', d.notes.map((n) => n.text).join('\n'));
    add(
      'search.record.links',
      d.links.filter((l) => /^https?:\/\//i.test(l.url)).length ? (
        <ul class="plain">
          {d.links
            .filter((l) => /^https?:\/\//i.test(l.url))
            .map((l) => (
              <li>
                <a href={l.url} rel="noopener noreferrer nofollow" class="print-url" data-print-url={l.url}>
                  {l.label ?? l.url}
                </a>
              </li>
            ))}
        </ul>
      ) : undefined,
    );
    return sendPage(
      reply,
      <Layout
        ctx={ctx}
        title={title}
        description={d.summaries[0]}
        canonical={canonical}
        og={{ type: entry.type === 'book' || entry.type === 'thesis' ? 'book' : 'website', ...(image ? { image } : {}) }}
        styles={['record.css']}
        head={<RecordHead jsonLd={jsonLd} scholar={scholar} entry={entry} />}
      >
        <Breadcrumbs
          label={t('a11y.breadcrumbs')}
          items={[
            ['/', t('nav.home')],
            ['/search', t('search.title')],
          ]}
        />
        <h1 class="record-title">
          {title} {d.responsibility ? <span class="muted responsibility">/ {d.responsibility}</span> : null}
        </h1>
        <p class="print-only small">{t('record.print.address', { url: canonicalUrl })}</p>
        {ctx.user ? (
          <p class="small record-staff">
            <a href={`/staff/catalogue/records/${record.id}`}>{t('search.record.staffView')}</a>
          </p>
        ) : null}
        <div class="record-public">
          <div class="record-main">
            <section class="card record-facts" aria-labelledby="facts-heading">
              <h2 id="facts-heading" class="visually-hidden">
                {t('record.section.description')}
              </h2>
              <dl class="facts">
                {rows.map(([label, value]) => (
                  <>
                    <dt>{label}</dt>
                    <dd>{value}</dd>
                  </>
                ))}
              </dl>
            </section>
            <SaveToList ctx={ctx} recordId={record.id} />
            <section class="card record-holdings" aria-labelledby="holdings-heading">
              <h2 id="holdings-heading">{t('search.record.holdings')}</h2>
              {holdings.length === 0 ? (
                <p class="muted">{t('search.record.noHoldings')}</p>
              ) : (
                <>
                  <p>{t('search.record.holdingsSummary', { copies, libraries: holdings.length, available })}</p>
                  {holdings.map((h) => (
                    <HoldingGroup ctx={ctx} h={h} units={units} />
                  ))}
                </>
              )}
            </section>
          </div>
          <div class="record-side">
            {copy ? (
              <section class="card record-digital" aria-labelledby="digital-heading">
                <h2 id="digital-heading">{t('search.record.digital')}</h2>
                {copy.readable ? (
                  <>
                    <a class="record-digital-link print-url" href={`/digital/${copy.object.id}`} data-print-url={readUrl}>
                      {copy.thumbnail ? <img src={copy.thumbnail} alt="" width={150} height={200} loading="lazy" /> : null}
                      <span>{t('search.record.readOnline', { pages: copy.object.pageCount })}</span>
                    </a>
                    {pdf ? (
                      <p class="small">
                        <a href={pdf}>{t('record.digital.pdf')}</a>
                      </p>
                    ) : null}
                  </>
                ) : (
                  <p>
                    <a href={`/digital/${copy.object.id}`}>{t('search.result.digitalRestricted')}</a>
                  </p>
                )}
              </section>
            ) : null}
            <CiteSection ctx={ctx} citations={citeAll(entry, citeTerms(t))} />
            <ExportSection ctx={ctx} id={record.id} />
            <ShareSection ctx={ctx} url={canonicalUrl} title={title} />
          </div>
        </div>
        <script src={assetUrl('cite-copy.js')} defer />
      </Layout>,
    );
  });

  // The record in files for reference managers and library systems. A hostile or unknown id is a
  // 404; a deleted record is a 404 too (its page says when it went), a merged one leads to the survivor.
  for (const ext of Object.keys(RECORD_EXPORTS) as RecordExport[]) {
    app.get(`/record/:id/export.${ext}`, { schema: { hide: true }, config: limit }, async (req, reply) => {
      const view = await catalog.get(recordIdParam((req.params as { id?: string }).id), { allowDeleted: true });
      if (view.record.status === 'deleted') {
        if (view.record.replacedById) return reply.redirect(`/record/${view.record.replacedById}/export.${ext}`, 301);
        throw new AppError('CATALOG_RECORD_NOT_FOUND', { record: view.record.id });
      }
      const { record } = view;
      let body: string | Uint8Array;
      let name: string;
      if (ext === 'ris' || ext === 'bib') {
        const copy = await publishedCopy(opts.services, record.id, viewerOf(req));
        const readUrl = copy?.readable ? `${req.ctx.baseUrl}/digital/${copy.object.id}` : undefined;
        const entry = recordEntry(view.derived, view.marc, record.id, `${req.ctx.baseUrl}/record/${record.id}`, readUrl, copy?.object.category);
        body = ext === 'ris' ? risRecord(entry) : bibtexRecord(entry);
        name = `${bibtexKey(entry)}.${ext}`;
      } else {
        // As the staff export writes it (our number in 001/003), without the copies' barcodes and notes.
        const marc = opts.services.exports.toMarc(record, [], 'none');
        name = `record-${record.id}.${ext}`;
        try {
          body = ext === 'mrc' ? writeIso2709(marc) : writeMarcXml(marc, { xmlDeclaration: true });
        } catch (e) {
          if (!(e instanceof MarcError)) throw e;
          throw new AppError('CATALOG_EXPORT_FORMAT', { format: ext === 'mrc' ? 'iso2709' : 'marcxml' });
        }
      }
      return reply
        .type(RECORD_EXPORTS[ext].type)
        .header('content-disposition', contentDisposition(name))
        .header('x-content-type-options', 'nosniff')
        .header('cache-control', 'no-cache')
        .send(typeof body === 'string' ? body : Buffer.from(body));
    });
  }
}

/** What citations, exports and the head need to know of a record. */
function recordEntry(d: DerivedRecord, marc: MarcRecord, id: number, landingUrl: string, readUrl: string | undefined, category: string | undefined) {
  return citationEntry(d, marc, { id, landingUrl, ...(readUrl ? { url: readUrl } : {}), ...(category ? { category } : {}) });
}

function HoldingGroup({ ctx, h, units }: { ctx: PageCtx; h: Holding & { mark: HoldingMark }; units: ReadonlyMap<number, OrgUnit> }) {
  const { t } = ctx;
  return (
    <div class={h.mark ? 'holding-group holding-mine' : 'holding-group'}>
      <h3>
        {h.unit ? (
          <a href={`/l/${h.unit.slug}`} class="print-url" data-print-url={absoluteUrl(ctx, `/l/${h.unit.slug}`)}>
            {h.name}
          </a>
        ) : (
          h.name
        )}{' '}
        {h.mark ? <span class="badge badge-mine">{t(h.mark === 'home' ? 'record.holdings.yours' : 'record.holdings.searched')}</span> : null}{' '}
        <span class={`avail ${h.available > 0 ? 'avail-yes' : 'avail-no'}`}>{t('search.record.libraryAvailable', { available: h.available, copies: h.items.length })}</span>
      </h3>
      <div class="table-wrap">
        <table class="list stack holdings-table">
          <thead>
            <tr>
              <th>{t('search.record.location')}</th>
              <th>{t('search.record.callNumber')}</th>
              <th>{t('search.record.status')}</th>
            </tr>
          </thead>
          <tbody>
            {h.items.map((i) => {
              const loc = units.get(i.locationUnitId);
              const where = [i.locationUnitId !== i.ownerUnitId && loc ? unitName(ctx, loc) : '', i.shelvingLocation ?? ''].filter((x) => x !== '').join(' · ');
              return (
                <tr>
                  <td data-label={t('search.record.location')}>
                    {where || t('common.none')}
                    {i.publicNote ? <span class="muted small">{` — ${i.publicNote}`}</span> : null}
                  </td>
                  <td data-label={t('search.record.callNumber')}>{i.callNumber ? <code>{i.callNumber}</code> : t('common.none')}</td>
                  <td data-label={t('search.record.status')}>
                    <span class={`badge badge-item-${i.status}`}>{tk(ctx, `catalog.item.status.${i.status}`, i.status)}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}

/** The record's first published digital copy that this reader may at least know about. */
async function publishedCopy(services: Services, recordId: number, viewer: ViewerContext) {
  for (const object of await services.digital.objectsOfRecords([recordId])) {
    if (object.state !== 'published') continue;
    const access = await services.digital.decide(viewer, object);
    if (access.reason === 'unpublished' || access.reason === 'staff' || access.reason === 'embargo') continue;
    return { object, readable: access.view, download: access.download, thumbnail: access.view && object.pageCount > 0 ? `/iiif/3/${object.id}-1/full/!300,400/0/default.jpg` : null };
  }
  return undefined;
}

/** The copy's PDF, when this reader may download it: its path, else undefined. */
async function publicPdf(services: Services, copy: Awaited<ReturnType<typeof publishedCopy>>): Promise<string | undefined> {
  if (!copy?.readable || !copy.download) return undefined;
  const pdf = (await services.digital.files(copy.object.id)).find((f) => f.mediaType === 'application/pdf');
  return pdf ? `/digital/${copy.object.id}/files/${pdf.id}` : undefined;
}
