/**
 * What the portal benchmark asks for: results pages built from the search benchmark's query mix
 * (`bench/search/queries.ts`: words, no tones, exact tones, phrases, fields, facet filters,
 * a commune library's scope, broad queries), some of them page 2, with repeats as readers make
 * them; and record pages of records drawn at random.
 */
import { seededRandom } from '../lib/measure.js';
import { queryMix, type BenchQuery } from '../search/queries.js';

/** `/search?…` as the search form and the facet links write it. */
export function resultsPath(q: BenchQuery, page = 1): string {
  const p = new URLSearchParams([['q', q.q]]);
  if (q.scopeUnit) p.append('library', q.scopeUnit);
  for (const v of q.filters?.language ?? []) p.append('language', v);
  for (const v of q.filters?.material ?? []) p.append('material', v);
  if (q.filters?.yearFrom !== undefined) p.append('yearFrom', String(q.filters.yearFrom));
  if (q.filters?.yearTo !== undefined) p.append('yearTo', String(q.filters.yearTo));
  if (page > 1) p.append('page', String(page));
  return `/search?${p.toString()}`;
}

export interface ResultsMixOptions {
  seed: number;
  count: number;
  /** Commune libraries' codes, for the scoped queries. */
  unitCodes: string[];
  records: number;
  /** Share of entries repeating an earlier search (see `queryMix`). */
  repeatRate: number;
  /** Share of entries asking for page 2 of their search. */
  secondPages: number;
}

/** Results-page paths, deterministic for the options. */
export function resultsPaths(o: ResultsMixOptions): string[] {
  const rnd = seededRandom(o.seed + 1);
  const mix = queryMix({ seed: o.seed, count: o.count, unitCodes: o.unitCodes, repeatRate: o.repeatRate, records: o.records });
  return mix.map((q) => resultsPath(q, rnd() < o.secondPages ? 2 : 1));
}

/** `/record/<id>` for `count` ids drawn evenly from `ids` (with replacement). */
export function recordPaths(o: { seed: number; count: number; ids: { min: number; max: number } }): string[] {
  const rnd = seededRandom(o.seed);
  const span = o.ids.max - o.ids.min + 1;
  return Array.from({ length: o.count }, () => `/record/${o.ids.min + Math.floor(rnd() * span)}`);
}
