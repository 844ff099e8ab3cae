/**
 * Staff permissions, granted at a place in the library tree.
 *
 * A grant is (user, role, unit, scope): the role's permissions apply at that unit only (`unit`),
 * at it and everything below it (`subtree`), or everywhere (`network`) — the way Evergreen grants
 * a permission at a depth. A check compares the target unit's materialised ancestor path with the
 * grants the actor already holds, so no request walks the tree.
 */
export const PERMISSIONS = [
  'org.unit.view',
  'org.unit.edit',
  'org.unit.create',
  'org.unit.reorganise',
  'org.group.manage',
  'org.settings.edit',
  'staff.user.view',
  'staff.user.manage',
  'staff.grant.manage',
  'audit.view',
  'system.manage',
  /** Add records to the union catalogue (as the library the grant is at). */
  'catalog.record.create',
  /** Edit and delete records the library owns that no library outside the grant holds. */
  'catalog.record.edit',
  /** Edit, replace and delete any record owned at the grant's units, whoever holds it. */
  'catalog.record.edit_shared',
  /** Add, edit and withdraw the items a library owns. */
  'catalog.item.manage',
  /** Import MARC files into a library's catalogue. */
  'catalog.import',
  /** Export the catalogue or a library's holdings. */
  'catalog.export',
  /** Create, describe and upload digital objects a library owns, move them through the workflow (up to metadata), see restricted ones. */
  'digital.object.manage',
  /** Publish, unpublish and reject digital objects. */
  'digital.object.publish',
  /** Create and edit a library's digital collections. */
  'digital.collection.manage',
  /** Declare how many documents a library holds in each priority category. */
  'digital.targets.manage',
  /** See the queue of background jobs and retry or cancel them. */
  'jobs.manage',
  /** Edit a library's website: branding, introduction, news and events; publish it. */
  'site.manage',
  /** See the readers whose home library the grant reaches; approve them (issuing a card), refuse, suspend and reactivate them. */
  'reader.manage',
  /** Configure the OAI-PMH sources harvested into a library's catalogue and the remote SRU catalogues its cataloguers copy from; run harvests. */
  'interop.manage',
] as const;

export type Permission = (typeof PERMISSIONS)[number];

export function isPermission(s: string): s is Permission {
  return (PERMISSIONS as readonly string[]).includes(s);
}

export const SCOPES = ['unit', 'subtree', 'network'] as const;
export type Scope = (typeof SCOPES)[number];

export function isScope(s: string): s is Scope {
  return (SCOPES as readonly string[]).includes(s);
}

/** A grant as the checks need it: where, how far, and which permissions. */
export interface EffectiveGrant {
  grantId: number;
  roleCode: string;
  unitId: number;
  scope: Scope;
  permissions: ReadonlySet<Permission>;
}

/** Where a target sits in the tree. `path` is the materialised `/root/…/id/` path. */
export interface UnitPlace {
  id: number;
  path: string;
}

/** Does a grant given at `grantUnitId` with `scope` reach the unit at `target`? */
export function reaches(grantUnitId: number, scope: Scope, target: UnitPlace): boolean {
  switch (scope) {
    case 'network':
      return true;
    case 'unit':
      return grantUnitId === target.id;
    case 'subtree':
      return target.path.includes(`/${grantUnitId}/`);
  }
}

/** May someone holding `grants` do `permission` at `target`? */
export function allows(grants: readonly EffectiveGrant[], permission: Permission, target: UnitPlace): boolean {
  for (const g of grants) {
    if (g.permissions.has(permission) && reaches(g.unitId, g.scope, target)) return true;
  }
  return false;
}

/** May someone holding `grants` do `permission` somewhere (to show a menu entry, say)? */
export function allowsAnywhere(grants: readonly EffectiveGrant[], permission: Permission): boolean {
  return grants.some((g) => g.permissions.has(permission));
}

/**
 * Does `grants` cover everything a new grant would give: each of `permissions` over the whole
 * extent of (`unit`, `scope`)? Staff may hand on only what they hold themselves.
 */
export function coversGrant(
  grants: readonly EffectiveGrant[],
  permissions: Iterable<Permission>,
  unit: UnitPlace,
  scope: Scope,
): boolean {
  for (const p of permissions) {
    const ok = grants.some((g) => {
      if (!g.permissions.has(p)) return false;
      if (g.scope === 'network') return true;
      if (scope === 'network') return false;
      if (scope === 'unit') return reaches(g.unitId, g.scope, unit);
      // A subtree grant at U is covered by a subtree grant at U or above.
      return g.scope === 'subtree' && unit.path.includes(`/${g.unitId}/`);
    });
    if (!ok) return false;
  }
  return true;
}

/** Built-in roles, created by the first start and kept in step with code. */
export const BUILTIN_ROLES: ReadonlyArray<{ code: string; permissions: readonly Permission[] }> = [
  { code: 'network_admin', permissions: PERMISSIONS },
  {
    code: 'library_admin',
    permissions: [
      'org.unit.view',
      'org.unit.edit',
      'org.unit.create',
      'org.unit.reorganise',
      'org.settings.edit',
      'staff.user.view',
      'staff.user.manage',
      'staff.grant.manage',
      'audit.view',
      'catalog.record.create',
      'catalog.record.edit',
      'catalog.item.manage',
      'catalog.import',
      'catalog.export',
      'digital.object.manage',
      'digital.object.publish',
      'digital.collection.manage',
      'digital.targets.manage',
      'jobs.manage',
      'site.manage',
      'reader.manage',
      'interop.manage',
    ],
  },
  {
    code: 'librarian',
    permissions: ['org.unit.view', 'org.unit.edit', 'staff.user.view', 'catalog.record.create', 'catalog.record.edit', 'catalog.item.manage', 'catalog.export', 'digital.object.manage', 'site.manage', 'reader.manage'],
  },
  /** Scans, checks and describes documents, and publishes them, for the libraries it reaches. */
  {
    code: 'digitiser',
    permissions: ['org.unit.view', 'catalog.record.create', 'digital.object.manage', 'digital.object.publish', 'digital.collection.manage', 'jobs.manage'],
  },
  /** The network's cataloguing centre: edits shared records and imports for any library it reaches. */
  {
    code: 'cataloguer',
    permissions: ['org.unit.view', 'catalog.record.create', 'catalog.record.edit', 'catalog.record.edit_shared', 'catalog.item.manage', 'catalog.import', 'catalog.export', 'interop.manage'],
  },
  { code: 'auditor', permissions: ['org.unit.view', 'staff.user.view', 'audit.view'] },
];
