import { describe, expect, it } from 'vitest';
import { AppError, type ErrorCode } from '../errors.js';
import {
  buildForest,
  compareEvents,
  computePaths,
  isIsoDate,
  isSelfOrDescendant,
  pathIds,
  replay,
  type OrgEvent,
  type TreeState,
} from './history.js';
import type { UnitTypeCode } from './unit-types.js';

// ---------------------------------------------------------------- event builders

let nextId = 1000;
const create = (unitId: number, code: string, typeCode: UnitTypeCode, parentId: number | null, date: string, id = nextId++): OrgEvent => ({
  id,
  unitId,
  kind: 'create',
  effectiveDate: date,
  data: { code, nameVi: `Thư viện ${code}`, nameEn: `Library ${code}`, typeCode, parentId },
});
const rename = (unitId: number, date: string, nameVi: string, nameEn = nameVi, id = nextId++): OrgEvent => ({ id, unitId, kind: 'rename', effectiveDate: date, data: { nameVi, nameEn } });
const move = (unitId: number, date: string, parentId: number, id = nextId++): OrgEvent => ({ id, unitId, kind: 'move', effectiveDate: date, data: { parentId } });
const merge = (unitId: number, date: string, intoId: number, id = nextId++): OrgEvent => ({ id, unitId, kind: 'merge', effectiveDate: date, data: { intoId } });
const close = (unitId: number, date: string, id = nextId++): OrgEvent => ({ id, unitId, kind: 'close', effectiveDate: date, data: {} });

/**
 * 1 ROOT ─ 2 PROV ─┬─ 3 DA ─┬─ 4 C1 ─── 8 R1
 *                  │        └─ 5 C2
 *                  └─ 6 DB ─── 7 C3
 */
const BASE: readonly OrgEvent[] = [
  create(1, 'ROOT', 'network', null, '2000-01-01', 1),
  create(2, 'PROV', 'provincial', 1, '2000-01-01', 2),
  create(3, 'DA', 'district', 2, '2005-01-01', 3),
  create(4, 'C1', 'commune', 3, '2010-01-01', 4),
  create(5, 'C2', 'commune', 3, '2010-01-01', 5),
  create(6, 'DB', 'district', 2, '2005-01-01', 6),
  create(7, 'C3', 'commune', 6, '2012-06-01', 7),
  create(8, 'R1', 'reading_room', 4, '2015-01-01', 8),
];

const parents = (s: TreeState): Record<number, number | null> => Object.fromEntries([...s.units.values()].map((u) => [u.id, u.parentId]));
const unit = (s: TreeState, id: number) => {
  const u = s.units.get(id);
  if (!u) throw new Error(`unit ${id} missing from the replay`);
  return u;
};

/** The AppError a replay throws, as code and params (fails the test when none is thrown). */
function replayError(events: readonly OrgEvent[], asOf?: string): { code: ErrorCode; params: Record<string, string | number> } {
  try {
    replay(events, asOf);
  } catch (e) {
    if (e instanceof AppError) return { code: e.code, params: { ...e.params } };
    throw e;
  }
  throw new Error('replay accepted the events');
}

// ---------------------------------------------------------------- replay

describe('replay: building the tree', () => {
  it('replays creations into a tree rooted at the network', () => {
    const s = replay(BASE);
    expect(s.rootId).toBe(1);
    expect(parents(s)).toEqual({ 1: null, 2: 1, 3: 2, 4: 3, 5: 3, 6: 2, 7: 6, 8: 4 });
    expect(unit(s, 4)).toEqual({
      id: 4,
      code: 'C1',
      nameVi: 'Thư viện C1',
      nameEn: 'Library C1',
      typeCode: 'commune',
      parentId: 3,
      status: 'active',
      mergedIntoId: null,
      openedOn: '2010-01-01',
      endedOn: null,
    });
  });

  it('does not depend on the order the events are given in', () => {
    const shuffled = [...BASE].reverse();
    expect(parents(replay(shuffled))).toEqual(parents(replay(BASE)));
  });

  it.each([
    ['1999-12-31', []],
    ['2000-01-01', [1, 2]],
    ['2004-12-31', [1, 2]],
    ['2005-01-01', [1, 2, 3, 6]],
    ['2010-01-01', [1, 2, 3, 4, 5, 6]],
    ['2012-05-31', [1, 2, 3, 4, 5, 6]],
    ['2012-06-01', [1, 2, 3, 4, 5, 6, 7]],
    ['2015-01-01', [1, 2, 3, 4, 5, 6, 7, 8]],
  ])('as of %s the tree holds units %j', (asOf, ids) => {
    expect([...replay(BASE, asOf).units.keys()].sort((a, b) => a - b)).toEqual(ids);
  });

  it('applies events of the same date in id order, new events (largest id) last', () => {
    const a = { ...close(5, '2020-01-01'), id: 1 };
    const b = { ...rename(5, '2020-01-01', 'X'), id: 2 };
    expect(compareEvents(a, b)).toBeLessThan(0);
    expect(compareEvents(b, a)).toBeGreaterThan(0);
    expect(compareEvents({ ...a, effectiveDate: '2019-12-31' }, b)).toBeLessThan(0);
    // Rename first, then close: fine. Close first, then rename: the rename hits a closed unit.
    const renameThenClose = [...BASE, { ...rename(5, '2020-01-01', 'X'), id: 50 }, { ...close(5, '2020-01-01'), id: 51 }];
    expect(unit(replay(renameThenClose), 5)).toMatchObject({ nameVi: 'X', status: 'closed' });
    const closeThenRename = [...BASE, { ...close(5, '2020-01-01'), id: 50 }, { ...rename(5, '2020-01-01', 'X'), id: Number.MAX_SAFE_INTEGER }];
    expect(replayError(closeThenRename)).toEqual({ code: 'ORG_UNIT_CLOSED', params: { unit: 'C2', date: '2020-01-01' } });
  });
});

describe('replay: rename', () => {
  const events = [...BASE, rename(4, '2025-07-01', 'Thư viện xã Mới', 'New Commune Library')];

  it.each([
    ['2024-01-01', 'Thư viện C1', 'Library C1'],
    ['2025-06-30', 'Thư viện C1', 'Library C1'],
    ['2025-07-01', 'Thư viện xã Mới', 'New Commune Library'],
    ['2026-11-24', 'Thư viện xã Mới', 'New Commune Library'],
    [undefined, 'Thư viện xã Mới', 'New Commune Library'],
  ])('as of %s the unit is called %s', (asOf, nameVi, nameEn) => {
    expect(unit(replay(events, asOf), 4)).toMatchObject({ nameVi, nameEn, code: 'C1', status: 'active' });
  });
});

describe('replay: move', () => {
  const events = [...BASE, move(4, '2020-01-01', 6)];

  it('re-parents the unit from its effective date, taking its subtree along', () => {
    expect(parents(replay(events, '2019-12-31'))).toMatchObject({ 4: 3, 8: 4 });
    const after = replay(events, '2020-01-01');
    expect(parents(after)).toMatchObject({ 4: 6, 8: 4 });
    const paths = computePaths(after);
    expect(paths.get(4)).toEqual({ path: '/1/2/6/4/', depth: 3 });
    expect(paths.get(8)).toEqual({ path: '/1/2/6/4/8/', depth: 4 });
    expect(paths.get(5)).toEqual({ path: '/1/2/3/5/', depth: 3 });
  });

  it('moves a unit up a level', () => {
    const s = replay([...BASE, move(8, '2020-01-01', 2)]);
    expect(computePaths(s).get(8)).toEqual({ path: '/1/2/8/', depth: 2 });
  });
});

describe('replay: merge', () => {
  const events = [...BASE, merge(3, '2025-07-01', 6)];

  it('moves the merged unit’s open children to the target and marks it merged', () => {
    const before = replay(events, '2025-06-30');
    expect(parents(before)).toMatchObject({ 4: 3, 5: 3, 7: 6 });
    expect(unit(before, 3)).toMatchObject({ status: 'active', mergedIntoId: null, endedOn: null });

    const after = replay(events);
    expect(parents(after)).toMatchObject({ 4: 6, 5: 6, 7: 6, 8: 4 });
    expect(unit(after, 3)).toMatchObject({ status: 'merged', mergedIntoId: 6, endedOn: '2025-07-01', parentId: 2 });
    expect(unit(after, 6)).toMatchObject({ status: 'active', mergedIntoId: null });
    const paths = computePaths(after);
    expect(paths.get(8)).toEqual({ path: '/1/2/6/4/8/', depth: 4 });
    // The merged unit keeps the path it had when it ended.
    expect(paths.get(3)).toEqual({ path: '/1/2/3/', depth: 2 });
  });

  it('leaves children closed before the merge under the merged unit, as they were when they closed', () => {
    const s = replay([...BASE, close(5, '2020-01-01'), merge(3, '2025-07-01', 6)]);
    expect(unit(s, 5)).toMatchObject({ parentId: 3, status: 'closed', endedOn: '2020-01-01' });
    expect(unit(s, 4).parentId).toBe(6);
  });

  it('may merge into a unit elsewhere in the tree (a sibling’s child)', () => {
    const s = replay([...BASE, merge(4, '2025-07-01', 7)]);
    expect(unit(s, 4)).toMatchObject({ status: 'merged', mergedIntoId: 7 });
    expect(unit(s, 8).parentId).toBe(7);
    expect(computePaths(s).get(8)).toEqual({ path: '/1/2/6/7/8/', depth: 4 });
  });
});

describe('replay: close', () => {
  it('closes a unit without open children from its date on', () => {
    const events = [...BASE, close(8, '2023-12-31')];
    expect(unit(replay(events, '2023-12-30'), 8)).toMatchObject({ status: 'active', endedOn: null });
    expect(unit(replay(events), 8)).toMatchObject({ status: 'closed', endedOn: '2023-12-31', mergedIntoId: null });
  });

  it('closes a unit whose children were all closed or moved away first', () => {
    const s = replay([...BASE, close(8, '2020-01-01'), move(5, '2020-01-01', 6), close(4, '2020-01-02'), close(3, '2020-01-03')]);
    expect(unit(s, 3).status).toBe('closed');
  });
});

// ---------------------------------------------------------------- rule errors

describe('replay: every rule refuses with its code and says where', () => {
  it.each<[string, OrgEvent[], ErrorCode, Record<string, string | number>]>([
    ['move under itself', [move(3, '2020-01-01', 3)], 'ORG_MOVE_CYCLE', { unit: 'DA', date: '2020-01-01', parent: 'DA' }],
    ['move under its own child', [move(3, '2020-01-01', 4)], 'ORG_MOVE_CYCLE', { unit: 'DA', date: '2020-01-01', parent: 'C1' }],
    ['move under its own grandchild', [move(3, '2020-01-01', 8)], 'ORG_MOVE_CYCLE', { unit: 'DA', date: '2020-01-01', parent: 'R1' }],
    ['move under a descendant acquired by an earlier move', [move(6, '2019-01-01', 4), move(3, '2020-01-01', 7)], 'ORG_MOVE_CYCLE', { unit: 'DA', date: '2020-01-01', parent: 'C3' }],
    ['merge into itself', [merge(3, '2020-01-01', 3)], 'ORG_MERGE_SELF', { unit: 'DA', date: '2020-01-01' }],
    ['merge into a closed unit', [close(5, '2020-01-01'), merge(4, '2021-01-01', 5)], 'ORG_MERGE_TARGET_CLOSED', { unit: 'C1', date: '2021-01-01', target: 'C2' }],
    ['merge into a merged unit', [merge(5, '2020-01-01', 4), merge(7, '2021-01-01', 5)], 'ORG_MERGE_TARGET_CLOSED', { unit: 'C3', date: '2021-01-01', target: 'C2' }],
    ['merge into its own child', [merge(3, '2020-01-01', 4)], 'ORG_MERGE_INTO_DESCENDANT', { unit: 'DA', date: '2020-01-01', target: 'C1' }],
    ['merge into its own grandchild', [merge(3, '2020-01-01', 8)], 'ORG_MERGE_INTO_DESCENDANT', { unit: 'DA', date: '2020-01-01', target: 'R1' }],
    ['rename a closed unit', [close(5, '2020-01-01'), rename(5, '2021-01-01', 'X')], 'ORG_UNIT_CLOSED', { unit: 'C2', date: '2020-01-01' }],
    ['move a closed unit', [close(5, '2020-01-01'), move(5, '2021-01-01', 6)], 'ORG_UNIT_CLOSED', { unit: 'C2', date: '2020-01-01' }],
    ['close a closed unit', [close(5, '2020-01-01'), close(5, '2021-01-01')], 'ORG_UNIT_CLOSED', { unit: 'C2', date: '2020-01-01' }],
    ['merge a merged unit', [merge(5, '2020-01-01', 4), merge(5, '2021-01-01', 7)], 'ORG_UNIT_CLOSED', { unit: 'C2', date: '2020-01-01' }],
    ['close a unit with open children', [close(3, '2020-01-01')], 'ORG_CLOSE_HAS_CHILDREN', { unit: 'DA', date: '2020-01-01', count: 2 }],
    ['close a unit with one open child', [close(5, '2019-01-01'), close(3, '2020-01-01')], 'ORG_CLOSE_HAS_CHILDREN', { unit: 'DA', date: '2020-01-01', count: 1 }],
    ['move the root', [move(1, '2020-01-01', 2)], 'ORG_ROOT_IMMUTABLE', { unit: 'ROOT', date: '2020-01-01' }],
    ['merge the root', [merge(1, '2020-01-01', 2)], 'ORG_ROOT_IMMUTABLE', { unit: 'ROOT', date: '2020-01-01' }],
    ['close the root', [close(1, '2020-01-01')], 'ORG_ROOT_IMMUTABLE', { unit: 'ROOT', date: '2020-01-01' }],
    ['rename a unit before it was created', [rename(4, '2009-12-31', 'X')], 'ORG_EVENT_BEFORE_CREATION', { unit: '4', date: '2009-12-31' }],
    ['close a unit that never existed', [close(99, '2020-01-01')], 'ORG_EVENT_BEFORE_CREATION', { unit: '99', date: '2020-01-01' }],
    ['move under a unit not yet created', [move(4, '2011-01-01', 7)], 'ORG_EVENT_BEFORE_CREATION', { unit: '7', date: '2011-01-01' }],
    ['merge into a unit not yet created', [merge(4, '2011-01-01', 7)], 'ORG_EVENT_BEFORE_CREATION', { unit: '7', date: '2011-01-01' }],
    ['create under a parent not yet created', [create(9, 'C9', 'commune', 7, '2011-01-01')], 'ORG_EVENT_BEFORE_CREATION', { unit: '7', date: '2011-01-01' }],
    ['move under a closed unit', [close(5, '2020-01-01'), move(8, '2021-01-01', 5)], 'ORG_PARENT_CLOSED', { unit: 'R1', date: '2021-01-01', parent: 'C2' }],
    ['move under a merged unit', [merge(5, '2020-01-01', 4), move(8, '2021-01-01', 5)], 'ORG_PARENT_CLOSED', { unit: 'R1', date: '2021-01-01', parent: 'C2' }],
    ['create under a closed unit', [close(5, '2020-01-01'), create(9, 'C9', 'reading_room', 5, '2021-01-01')], 'ORG_PARENT_CLOSED', { unit: '9', date: '2021-01-01', parent: 'C2' }],
    ['create a second root', [create(9, 'ROOT2', 'network', null, '2021-01-01')], 'ORG_PARENT_REQUIRED', { unit: '9', date: '2021-01-01' }],
    ['create a unit twice', [create(4, 'C1', 'commune', 3, '2021-01-01')], 'CONFLICT', { unit: 'C1', date: '2021-01-01' }],
  ])('%s', (_name, extra, code, params) => {
    expect(replayError([...BASE, ...extra])).toEqual({ code, params });
  });

  it('stops at the first event that breaks a rule', () => {
    expect(replayError([...BASE, close(3, '2020-01-01'), merge(1, '2021-01-01', 2)]).code).toBe('ORG_CLOSE_HAS_CHILDREN');
  });

  it('ignores a broken event after the as-of date', () => {
    const s = replay([...BASE, close(3, '2020-01-01')], '2019-12-31');
    expect(unit(s, 3).status).toBe('active');
  });
});

describe('replay: back-dated events are checked against later ones', () => {
  it.each<[string, OrgEvent[], OrgEvent, ErrorCode, Record<string, string | number>]>([
    // C3 closes in 2022; putting R1 under it in 2021 makes that close fail.
    ['a move under a unit that later closes', [close(7, '2022-01-01')], move(8, '2021-01-01', 7, Number.MAX_SAFE_INTEGER), 'ORG_CLOSE_HAS_CHILDREN', { unit: 'C3', date: '2022-01-01', count: 1 }],
    // DA is renamed in 2023; merging it away in 2022 makes that rename hit a merged unit.
    ['a merge before a later rename', [rename(3, '2023-01-01', 'X')], merge(3, '2022-01-01', 6, Number.MAX_SAFE_INTEGER), 'ORG_UNIT_CLOSED', { unit: 'DA', date: '2022-01-01' }],
    // R1 moves under C2 in 2024; closing C2 in 2023 makes that move target a closed unit.
    ['a close before a later move under it', [move(8, '2024-01-01', 5)], close(5, '2023-01-01', Number.MAX_SAFE_INTEGER), 'ORG_PARENT_CLOSED', { unit: 'R1', date: '2024-01-01', parent: 'C2' }],
    // DB moves under C1 in 2024; a 2023 move of C1 under C3 (below DB) is fine then, but the later one makes a cycle.
    ['a move that turns a later move into a cycle', [move(6, '2024-01-01', 4)], move(4, '2023-01-01', 7, Number.MAX_SAFE_INTEGER), 'ORG_MOVE_CYCLE', { unit: 'DB', date: '2024-01-01', parent: 'C1' }],
  ])('%s is refused', (_name, later, backDated, code, params) => {
    const history = [...BASE, ...later];
    expect(() => replay(history)).not.toThrow();
    expect(replayError([...history, backDated])).toEqual({ code, params });
  });
});

// ---------------------------------------------------------------- helpers

describe('isSelfOrDescendant', () => {
  const s = replay(BASE);
  it.each([
    [3, 3, true],
    [4, 3, true],
    [8, 3, true],
    [8, 1, true],
    [3, 4, false],
    [7, 3, false],
    [1, 2, false],
    [99, 3, false],
  ])('unit %i within %i → %s', (candidate, ancestor, expected) => {
    expect(isSelfOrDescendant(s, candidate, ancestor)).toBe(expected);
  });
});

describe('computePaths', () => {
  it('gives every unit its materialised path and depth', () => {
    expect(Object.fromEntries(computePaths(replay(BASE)))).toEqual({
      1: { path: '/1/', depth: 0 },
      2: { path: '/1/2/', depth: 1 },
      3: { path: '/1/2/3/', depth: 2 },
      4: { path: '/1/2/3/4/', depth: 3 },
      5: { path: '/1/2/3/5/', depth: 3 },
      6: { path: '/1/2/6/', depth: 2 },
      7: { path: '/1/2/6/7/', depth: 3 },
      8: { path: '/1/2/3/4/8/', depth: 4 },
    });
  });

  it('is empty for an empty tree', () => {
    expect(computePaths(replay([])).size).toBe(0);
  });
});

describe('pathIds', () => {
  it.each<[string, number[]]>([
    ['/', []],
    ['/1/', [1]],
    ['/1/12/', [1, 12]],
    ['/1/2/3/40/', [1, 2, 3, 40]],
  ])('%s → %j', (path, ids) => {
    expect(pathIds(path)).toEqual(ids);
  });
});

describe('isIsoDate', () => {
  it.each([
    ['2024-02-29', true],
    ['2025-02-29', false],
    ['2000-02-29', true],
    ['1900-02-29', false],
    ['2025-02-28', true],
    ['2025-04-31', false],
    ['2025-12-31', true],
    ['2025-13-01', false],
    ['2025-00-10', false],
    ['2025-01-00', false],
    ['2025-1-01', false],
    ['25-01-01', false],
    ['2025/01/01', false],
    ['2025-01-01T00:00:00Z', false],
    [' 2025-01-01', false],
    ['2025-01-01\n', false],
    ['', false],
    ['not a date', false],
  ])('%j → %s', (s, ok) => {
    expect(isIsoDate(s)).toBe(ok);
  });
});

describe('buildForest', () => {
  const rows = [
    { id: 1, parentId: null, name: 'root' },
    { id: 2, parentId: 1, name: 'b' },
    { id: 3, parentId: 1, name: 'a' },
    { id: 4, parentId: 2, name: 'z' },
    { id: 5, parentId: 2, name: 'y' },
    { id: 6, parentId: 99, name: 'orphan' },
  ];
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  type Shape = { name: string; children: Shape[] };
  const shape = (nodes: ReturnType<typeof buildForest<(typeof rows)[number]>>): Shape[] => nodes.map((n) => ({ name: n.unit.name, children: shape(n.children) }));

  it('nests children under parents, sorted at every level, with orphans as roots', () => {
    expect(shape(buildForest(rows, byName))).toEqual([
      { name: 'orphan', children: [] },
      {
        name: 'root',
        children: [
          { name: 'a', children: [] },
          {
            name: 'b',
            children: [
              { name: 'y', children: [] },
              { name: 'z', children: [] },
            ],
          },
        ],
      },
    ]);
  });

  it('is empty for no units', () => {
    expect(buildForest([], byName)).toEqual([]);
  });
});
