import { describe, expect, it } from 'vitest';
import {
  allows,
  allowsAnywhere,
  BUILTIN_ROLES,
  coversGrant,
  isPermission,
  isScope,
  PERMISSIONS,
  reaches,
  type EffectiveGrant,
  type Permission,
  type Scope,
  type UnitPlace,
} from './permissions.js';

/**
 * Ids chosen to trip naive prefix matching:
 * 1 ROOT ─┬─ 2 PROV ─┬─ 12 DIST ─── 123 COMM
 *         │          └─ 21 DIST2 ── 211 COMM2
 *         └─ 11 OTHER ── 112 X
 */
const P = {
  root: { id: 1, path: '/1/' },
  prov: { id: 2, path: '/1/2/' },
  dist: { id: 12, path: '/1/2/12/' },
  comm: { id: 123, path: '/1/2/12/123/' },
  dist2: { id: 21, path: '/1/2/21/' },
  comm2: { id: 211, path: '/1/2/21/211/' },
  other: { id: 11, path: '/1/11/' },
  x: { id: 112, path: '/1/11/112/' },
} satisfies Record<string, UnitPlace>;

describe('reaches', () => {
  it.each<[number, Scope, keyof typeof P, boolean]>([
    // network reaches everything
    [12, 'network', 'root', true],
    [12, 'network', 'x', true],
    // unit reaches only the unit itself
    [12, 'unit', 'dist', true],
    [12, 'unit', 'comm', false],
    [12, 'unit', 'prov', false],
    [1, 'unit', 'other', false],
    [2, 'unit', 'dist2', false],
    // subtree reaches the unit and below, nothing above or beside
    [12, 'subtree', 'dist', true],
    [12, 'subtree', 'comm', true],
    [12, 'subtree', 'prov', false],
    [12, 'subtree', 'dist2', false],
    [1, 'subtree', 'x', true],
    [2, 'subtree', 'comm2', true],
    [2, 'subtree', 'other', false],
    // prefix pitfalls: `/1/12/`-style paths must not match grants at 1x, x2, 2 in `12`, …
    [1, 'subtree', 'other', true], // 11 is really below 1
    [11, 'subtree', 'dist', false], // /1/2/12/ holds no 11
    [11, 'subtree', 'x', true],
    [12, 'subtree', 'comm2', false], // /1/2/21/211/ holds no 12
    [21, 'subtree', 'dist', false], // /1/2/12/ holds 2 and 12, not 21
    [21, 'subtree', 'comm2', true],
    [112, 'subtree', 'other', false],
    [2, 'subtree', 'x', false], // /1/11/112/ contains the digit 2 but not unit 2
    [123, 'subtree', 'dist', false],
    [23, 'subtree', 'comm', false], // /1/2/12/123/ ends in …23/ but has no unit 23
    [3, 'subtree', 'comm', false],
  ])('grant at %i with scope %s reaches %s → %s', (grantUnit, scope, target, expected) => {
    expect(reaches(grantUnit, scope, P[target])).toBe(expected);
  });
});

const grant = (unitId: number, scope: Scope, permissions: Permission[], grantId = 1): EffectiveGrant => ({
  grantId,
  roleCode: 'test',
  unitId,
  scope,
  permissions: new Set(permissions),
});

describe('allows', () => {
  const grants = [grant(12, 'subtree', ['org.unit.edit'], 1), grant(21, 'unit', ['org.unit.view'], 2)];

  it.each<[Permission, keyof typeof P, boolean]>([
    ['org.unit.edit', 'dist', true],
    ['org.unit.edit', 'comm', true],
    ['org.unit.edit', 'prov', false],
    ['org.unit.edit', 'dist2', false],
    ['org.unit.view', 'dist2', true],
    ['org.unit.view', 'comm2', false],
    // holding a permission somewhere does not give it where another grant reaches
    ['org.unit.view', 'dist', false],
    ['org.unit.edit', 'other', false],
  ])('%s at %s → %s', (permission, target, expected) => {
    expect(allows(grants, permission, P[target])).toBe(expected);
  });

  it('allows nothing without grants', () => {
    expect(allows([], 'org.unit.view', P.root)).toBe(false);
  });

  it('allows everywhere with a network grant, but only its permissions', () => {
    const net = [grant(11, 'network', ['audit.view'])];
    expect(allows(net, 'audit.view', P.comm)).toBe(true);
    expect(allows(net, 'audit.view', P.root)).toBe(true);
    expect(allows(net, 'org.unit.edit', P.comm)).toBe(false);
  });

  it('allowsAnywhere looks only at permissions', () => {
    expect(allowsAnywhere(grants, 'org.unit.view')).toBe(true);
    expect(allowsAnywhere(grants, 'audit.view')).toBe(false);
  });
});

describe('coversGrant', () => {
  const edit: Permission[] = ['org.unit.edit'];
  const both: Permission[] = ['org.unit.edit', 'org.unit.view'];

  it.each<[string, EffectiveGrant[], Permission[], keyof typeof P, Scope, boolean]>([
    // network is covered only by network
    ['network by network', [grant(1, 'network', edit)], edit, 'root', 'network', true],
    ['network by subtree at the root', [grant(1, 'subtree', edit)], edit, 'root', 'network', false],
    ['network by unit', [grant(12, 'unit', edit)], edit, 'dist', 'network', false],
    // subtree: a subtree at or above
    ['subtree by the same subtree', [grant(12, 'subtree', edit)], edit, 'dist', 'subtree', true],
    ['subtree below by subtree above', [grant(12, 'subtree', edit)], edit, 'comm', 'subtree', true],
    ['subtree above by subtree below', [grant(12, 'subtree', edit)], edit, 'prov', 'subtree', false],
    ['subtree beside', [grant(12, 'subtree', edit)], edit, 'dist2', 'subtree', false],
    ['subtree by unit at the same unit', [grant(12, 'unit', edit)], edit, 'dist', 'subtree', false],
    ['subtree by network', [grant(11, 'network', edit)], edit, 'comm2', 'subtree', true],
    ['subtree, prefix pitfall 1 vs 11', [grant(11, 'subtree', edit)], edit, 'dist', 'subtree', false],
    ['subtree, prefix pitfall 2 vs 21', [grant(2, 'subtree', edit)], edit, 'comm2', 'subtree', true],
    ['subtree, prefix pitfall 21 vs 211', [grant(21, 'subtree', edit)], edit, 'dist', 'subtree', false],
    // unit: anything that reaches the unit
    ['unit by the same unit', [grant(12, 'unit', edit)], edit, 'dist', 'unit', true],
    ['unit below a unit grant', [grant(12, 'unit', edit)], edit, 'comm', 'unit', false],
    ['unit by subtree above', [grant(12, 'subtree', edit)], edit, 'comm', 'unit', true],
    ['unit by network', [grant(211, 'network', edit)], edit, 'root', 'unit', true],
    ['unit beside', [grant(12, 'subtree', edit)], edit, 'dist2', 'unit', false],
    // every permission must be covered, possibly by different grants
    ['one of two permissions missing', [grant(12, 'subtree', edit)], both, 'comm', 'unit', false],
    ['two permissions from two grants', [grant(12, 'subtree', edit, 1), grant(2, 'subtree', ['org.unit.view'], 2)], both, 'comm', 'subtree', true],
    ['a permission held only beside', [grant(12, 'subtree', edit, 1), grant(21, 'subtree', ['org.unit.view'], 2)], both, 'comm', 'subtree', false],
    ['no permissions asked', [], [], 'root', 'network', true],
  ])('%s → %s', (_name, grants, permissions, target, scope, expected) => {
    expect(coversGrant(grants, permissions, P[target], scope)).toBe(expected);
  });
});

describe('catalogue', () => {
  it.each([
    ['org.unit.edit', true],
    ['org.unit', false],
    ['', false],
  ])('isPermission(%j) → %s', (s, ok) => expect(isPermission(s)).toBe(ok));

  it.each([
    ['unit', true],
    ['subtree', true],
    ['network', true],
    ['Network', false],
    ['tree', false],
  ])('isScope(%j) → %s', (s, ok) => expect(isScope(s)).toBe(ok));

  it('built-in roles hold only known permissions, and network_admin holds them all', () => {
    for (const r of BUILTIN_ROLES) for (const p of r.permissions) expect(isPermission(p)).toBe(true);
    expect([...BUILTIN_ROLES.find((r) => r.code === 'network_admin')!.permissions].sort()).toEqual([...PERMISSIONS].sort());
    expect(BUILTIN_ROLES.map((r) => r.code)).toEqual(['network_admin', 'library_admin', 'librarian', 'digitiser', 'cataloguer', 'auditor']);
  });
});
