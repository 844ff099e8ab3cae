/**
 * The order of a record's holdings on its public page: the reader's own library first. Pure.
 *
 * 1. the reader's library (`home`: the signed-in reader's home unit), marked `home`;
 * 2. the library the reader was searching in (`near`: the search's scope, carried to the record
 *    page as `?from=`), marked `near`, when it is not the same;
 * 3. other units inside either of those libraries' subtrees (a district library's branches);
 * 4. libraries with a copy on the shelf now;
 * 5. the rest;
 * each group in Vietnamese alphabetical order of the libraries' names.
 */

export interface HoldingGroupLike {
  unitId: number;
  /** The unit's tree path (`/1/5/23/`), when known. */
  path?: string | null;
  /** The name shown, compared in Vietnamese order. */
  name: string;
  /** Copies on the shelf now. */
  available: number;
}

export type HoldingMark = 'home' | 'near' | null;

export interface OrderOptions {
  home?: { id: number; path?: string | null } | null;
  near?: { id: number; path?: string | null } | null;
  /** Name order (`compareVi`). */
  compare: (a: string, b: string) => number;
}

function within(path: string | null | undefined, root: { path?: string | null } | null | undefined): boolean {
  return !!path && !!root?.path && path.startsWith(root.path);
}

/** The groups in page order, each with its mark. Does not change `groups`. */
export function orderHoldings<G extends HoldingGroupLike>(groups: readonly G[], opts: OrderOptions): Array<G & { mark: HoldingMark }> {
  const rank = (g: G): number => {
    if (opts.home && g.unitId === opts.home.id) return 0;
    if (opts.near && g.unitId === opts.near.id) return 1;
    if (within(g.path, opts.home) || within(g.path, opts.near)) return 2;
    return g.available > 0 ? 3 : 4;
  };
  return groups
    .map((g) => ({ g, r: rank(g) }))
    .sort((a, b) => a.r - b.r || opts.compare(a.g.name, b.g.name) || a.g.unitId - b.g.unitId)
    .map(({ g, r }) => ({ ...g, mark: r === 0 ? 'home' : r === 1 ? 'near' : null }));
}
