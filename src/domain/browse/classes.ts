/**
 * The classification outline readers browse: the ten DDC main classes with their divisions, and
 * the BBK main classes the catalogue uses, from the class facet values of the search documents
 * (`ddc:800` for a main class, `ddc:89x` for a division, `bbk:63` / `bbk:Ш` for BBK; see
 * `classFacets` in `src/domain/search/document.ts`). Pure.
 */
import { compareVi } from '../../text/fold.js';

/** The ten DDC main classes, in order. */
export const DDC_CLASSES = ['000', '100', '200', '300', '400', '500', '600', '700', '800', '900'] as const;

/** The ten divisions of a main class: `800` → `80x` … `89x`. */
export function ddcDivisions(mainClass: string): string[] {
  const d = mainClass.charAt(0);
  return Array.from({ length: 10 }, (_, i) => `${d}${i}x`);
}

/** The facet value of a DDC main class or division, as search filters take it. */
export function ddcValue(code: string): string {
  return `ddc:${code}`;
}

export interface ClassCount {
  /** `800`, `89x`, `63`, `Ш`. */
  code: string;
  /** The facet value (`ddc:89x`). */
  value: string;
  count: number;
}

export interface DdcClass extends ClassCount {
  divisions: ClassCount[];
}

export interface ClassOutline {
  ddc: DdcClass[];
  bbk: ClassCount[];
}

/** BBK classes: numbers by value first (`2`, `22`, `63`), then letters in Vietnamese order (Cyrillic after Latin). */
export function compareBbk(a: string, b: string): number {
  const na = /^\d+$/.test(a);
  const nb = /^\d+$/.test(b);
  if (na && nb) return Number(a) - Number(b) || a.length - b.length;
  if (na !== nb) return na ? -1 : 1;
  return compareVi(a, b);
}

/**
 * The outline with a count for every DDC class and division (zero where nothing is classed) and
 * for every BBK class in use. `counts` maps facet values to the number of records.
 */
export function classOutline(counts: ReadonlyMap<string, number>): ClassOutline {
  const count = (v: string) => counts.get(v) ?? 0;
  const ddc = DDC_CLASSES.map((c) => ({
    code: c,
    value: ddcValue(c),
    count: count(ddcValue(c)),
    divisions: ddcDivisions(c).map((d) => ({ code: d, value: ddcValue(d), count: count(ddcValue(d)) })),
  }));
  const bbk = [...counts]
    .filter(([v, n]) => v.startsWith('bbk:') && n > 0)
    .map(([v, n]) => ({ code: v.slice(4), value: v, count: n }))
    .sort((a, b) => compareBbk(a.code, b.code));
  return { ddc, bbk };
}
