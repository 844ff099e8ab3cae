/**
 * The network tree as a sequence of effective-dated events.
 *
 * Every structural change to the tree — a unit opening, being renamed, moved, merged into another
 * or closed — is an event with the date it took effect. The tree as it stood on any date is the
 * replay of the events up to that date; the current tree is the replay up to today. Replaying the
 * whole sequence also validates it, so a back-dated event that would contradict a later one (a move
 * under a unit that was closed by then, say) is refused with the same coded errors as a current one.
 *
 * Pure: no I/O. The database keeps the materialised current state and the events; use cases call
 * `replay` to validate and to compute what changes.
 */
import { AppError } from '../errors.js';
import type { UnitTypeCode } from './unit-types.js';

export type OrgEventKind = 'create' | 'rename' | 'move' | 'merge' | 'close';

interface EventBase {
  /** Database id; ties on the same date are applied in id order. New events use `Infinity`. */
  id: number;
  unitId: number;
  /** `YYYY-MM-DD` */
  effectiveDate: string;
}
export interface CreateEvent extends EventBase {
  kind: 'create';
  data: { code: string; nameVi: string; nameEn: string; typeCode: UnitTypeCode; parentId: number | null };
}
export interface RenameEvent extends EventBase {
  kind: 'rename';
  data: { nameVi: string; nameEn: string };
}
export interface MoveEvent extends EventBase {
  kind: 'move';
  data: { parentId: number };
}
export interface MergeEvent extends EventBase {
  kind: 'merge';
  data: { intoId: number };
}
export interface CloseEvent extends EventBase {
  kind: 'close';
  data: Record<string, never>;
}
export type OrgEvent = CreateEvent | RenameEvent | MoveEvent | MergeEvent | CloseEvent;

export type UnitStatus = 'active' | 'closed' | 'merged';

/** One unit as it stood at the end of a replay. */
export interface UnitState {
  id: number;
  code: string;
  nameVi: string;
  nameEn: string;
  typeCode: UnitTypeCode;
  parentId: number | null;
  status: UnitStatus;
  mergedIntoId: number | null;
  openedOn: string;
  /** Date of closing or merging. */
  endedOn: string | null;
}

export interface TreeState {
  units: Map<number, UnitState>;
  rootId: number | null;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a real calendar date written `YYYY-MM-DD`. */
export function isIsoDate(s: string): boolean {
  const m = DATE.exec(s);
  if (!m) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export function compareEvents(a: OrgEvent, b: OrgEvent): number {
  if (a.effectiveDate !== b.effectiveDate) return a.effectiveDate < b.effectiveDate ? -1 : 1;
  return a.id - b.id;
}

/**
 * Applies the events in date order up to and including `asOf` (all of them when absent) and
 * returns the resulting tree. Throws the `AppError` of the first event that breaks a rule, with
 * the unit's code and the event's date in its params.
 */
export function replay(events: readonly OrgEvent[], asOf?: string): TreeState {
  const state: TreeState = { units: new Map(), rootId: null };
  const sorted = [...events].sort(compareEvents);
  for (const e of sorted) {
    if (asOf !== undefined && e.effectiveDate > asOf) break;
    applyEvent(state, e);
  }
  return state;
}

function fail(code: ConstructorParameters<typeof AppError>[0], e: OrgEvent, state: TreeState, extra: Record<string, string | number> = {}): never {
  const unit = state.units.get(e.unitId);
  throw new AppError(code, { unit: unit?.code ?? String(e.unitId), date: e.effectiveDate, ...extra });
}

/** Is `candidate` the unit `ancestorId` or below it? Walks up parents; stops on a loop. */
export function isSelfOrDescendant(state: TreeState, candidate: number, ancestorId: number): boolean {
  let cur: number | null = candidate;
  const seen = new Set<number>();
  while (cur !== null && !seen.has(cur)) {
    if (cur === ancestorId) return true;
    seen.add(cur);
    cur = state.units.get(cur)?.parentId ?? null;
  }
  return false;
}

function activeChildren(state: TreeState, id: number): UnitState[] {
  const out: UnitState[] = [];
  for (const u of state.units.values()) if (u.parentId === id && u.status === 'active') out.push(u);
  return out;
}

function applyEvent(state: TreeState, e: OrgEvent): void {
  if (e.kind === 'create') {
    if (state.units.has(e.unitId)) fail('CONFLICT', e, state);
    const { parentId } = e.data;
    if (parentId === null) {
      if (state.rootId !== null) fail('ORG_PARENT_REQUIRED', e, state);
      state.rootId = e.unitId;
    } else {
      const parent = state.units.get(parentId);
      if (!parent) throw new AppError('ORG_EVENT_BEFORE_CREATION', { unit: String(parentId), date: e.effectiveDate });
      if (parent.status !== 'active') fail('ORG_PARENT_CLOSED', e, state, { parent: parent.code });
    }
    state.units.set(e.unitId, {
      id: e.unitId,
      code: e.data.code,
      nameVi: e.data.nameVi,
      nameEn: e.data.nameEn,
      typeCode: e.data.typeCode,
      parentId,
      status: 'active',
      mergedIntoId: null,
      openedOn: e.effectiveDate,
      endedOn: null,
    });
    return;
  }

  const unit = state.units.get(e.unitId);
  if (!unit) throw new AppError('ORG_EVENT_BEFORE_CREATION', { unit: String(e.unitId), date: e.effectiveDate });
  if (unit.status !== 'active') fail('ORG_UNIT_CLOSED', e, state, { date: unit.endedOn ?? e.effectiveDate });

  switch (e.kind) {
    case 'rename':
      unit.nameVi = e.data.nameVi;
      unit.nameEn = e.data.nameEn;
      return;
    case 'move': {
      if (unit.id === state.rootId) fail('ORG_ROOT_IMMUTABLE', e, state);
      const parent = state.units.get(e.data.parentId);
      if (!parent) throw new AppError('ORG_EVENT_BEFORE_CREATION', { unit: String(e.data.parentId), date: e.effectiveDate });
      if (isSelfOrDescendant(state, parent.id, unit.id)) fail('ORG_MOVE_CYCLE', e, state, { parent: parent.code });
      if (parent.status !== 'active') fail('ORG_PARENT_CLOSED', e, state, { parent: parent.code });
      unit.parentId = parent.id;
      return;
    }
    case 'merge': {
      if (unit.id === state.rootId) fail('ORG_ROOT_IMMUTABLE', e, state);
      if (e.data.intoId === unit.id) fail('ORG_MERGE_SELF', e, state);
      const into = state.units.get(e.data.intoId);
      if (!into) throw new AppError('ORG_EVENT_BEFORE_CREATION', { unit: String(e.data.intoId), date: e.effectiveDate });
      if (into.status !== 'active') fail('ORG_MERGE_TARGET_CLOSED', e, state, { target: into.code });
      if (isSelfOrDescendant(state, into.id, unit.id)) fail('ORG_MERGE_INTO_DESCENDANT', e, state, { target: into.code });
      // The merged unit's children now belong to the unit it was merged into.
      for (const child of activeChildren(state, unit.id)) child.parentId = into.id;
      unit.status = 'merged';
      unit.mergedIntoId = into.id;
      unit.endedOn = e.effectiveDate;
      return;
    }
    case 'close': {
      if (unit.id === state.rootId) fail('ORG_ROOT_IMMUTABLE', e, state);
      const open = activeChildren(state, unit.id);
      if (open.length > 0) fail('ORG_CLOSE_HAS_CHILDREN', e, state, { count: open.length });
      unit.status = 'closed';
      unit.endedOn = e.effectiveDate;
      return;
    }
  }
}

/**
 * Materialised ancestor paths (`/1/4/9/`) and depths for every unit in a state, closed ones
 * included (as of their last parent). Permission checks compare against these paths instead of
 * walking the tree.
 */
export function computePaths(state: TreeState): Map<number, { path: string; depth: number }> {
  const out = new Map<number, { path: string; depth: number }>();
  const visit = (id: number, guard: number): { path: string; depth: number } => {
    const known = out.get(id);
    if (known) return known;
    const u = state.units.get(id);
    if (!u || u.parentId === null || guard > state.units.size) {
      const root = { path: `/${id}/`, depth: 0 };
      out.set(id, root);
      return root;
    }
    const p = visit(u.parentId, guard + 1);
    const mine = { path: `${p.path}${id}/`, depth: p.depth + 1 };
    out.set(id, mine);
    return mine;
  };
  for (const id of state.units.keys()) visit(id, 0);
  return out;
}

/** Ids of the ancestors encoded in a materialised path, root first, the unit itself last. */
export function pathIds(path: string): number[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map(Number);
}

/** A node of a tree rendered for display. */
export interface TreeNode<T> {
  unit: T;
  children: TreeNode<T>[];
}

/** Builds display trees from a flat list, children ordered by `compare`. Orphans become roots. */
export function buildForest<T extends { id: number; parentId: number | null }>(
  units: readonly T[],
  compare: (a: T, b: T) => number,
): TreeNode<T>[] {
  const nodes = new Map<number, TreeNode<T>>();
  for (const u of units) nodes.set(u.id, { unit: u, children: [] });
  const roots: TreeNode<T>[] = [];
  for (const n of nodes.values()) {
    const parent = n.unit.parentId === null ? undefined : nodes.get(n.unit.parentId);
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  const sort = (list: TreeNode<T>[]): void => {
    list.sort((a, b) => compare(a.unit, b.unit));
    for (const n of list) sort(n.children);
  };
  sort(roots);
  return roots;
}
