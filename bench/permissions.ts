/**
 * Benchmark `permissions`: what a staff permission check costs, measured against the cheapest
 * query there is, a primary-key lookup, in the same process on the same database.
 *
 * The data: a province-sized tree (network → provincial library → districts → communes → reading
 * rooms and branches → book boxes; 10,000 units at `full`) and staff (1,000 at `full`) with one
 * to three grants each, built from the real migrations and the built-in roles. Rows go straight
 * in through Kysely, with their materialised `path` and `depth` computed here: creating units
 * through `OrgService.create` replays the history per unit, O(n²) for a tree this size. The
 * benchmark writes no `org_events`, since nothing here reads history.
 *
 * Measured, for the same random (user, unit, permission) triples (half uniform over the network,
 * half near a grant the user holds, so that checks both allow and refuse):
 *   (a) `SELECT id, path FROM org_units WHERE id = ?` through the same Kysely instance: the reference;
 *   (b) `authorize(store, actor, permission, unit)` with the actor's grants already loaded, as a
 *       request holds them after `actorForSession`;
 *   (c) loading the grants (`store.staff.effectiveGrants`) and then (b): the per-request cost.
 * And checked: for a sample of checks, `authorize` agrees with a naive reference that walks the
 * tree up from the unit through `parent_id`; any disagreement fails the run.
 */
import { sql, type Insertable, type Kysely } from 'kysely';
import { migrate, openDatabase, type DatabaseHandle } from '../src/adapters/db/database.js';
import { createStore } from '../src/adapters/db/store.js';
import type { Database, GrantsTable, OrgUnitsTable, StaffUsersTable } from '../src/adapters/db/schema.js';
import { ensureBuiltinRoles } from '../src/app/setup.service.js';
import { authorize } from '../src/app/guard.js';
import type { Actor } from '../src/app/actor.js';
import type { Store } from '../src/app/ports.js';
import { AppError } from '../src/domain/errors.js';
import { BUILTIN_ROLES, PERMISSIONS, type Permission, type Scope } from '../src/domain/access/permissions.js';
import type { UnitTypeCode } from '../src/domain/org/unit-types.js';
import { BenchFailure, type BenchContext, type BenchDialect, type Size } from './lib/context.js';
import { formatCount, formatTable, machine, measureRounds, pick, randomInt, seededRandom, writeResult, type Throughput } from './lib/measure.js';

interface Plan {
  units: number;
  staff: number;
  /** Operations per contender before timing. */
  warmup: number;
  rounds: number;
  perRound: number;
  /** Checks compared with the naive tree walk. */
  verify: number;
}

const PLANS: Record<Size, Plan> = {
  small: { units: 2_000, staff: 200, warmup: 300, rounds: 10, perRound: 150, verify: 1_000 },
  full: { units: 10_000, staff: 1_000, warmup: 2_000, rounds: 50, perRound: 400, verify: 5_000 },
};

const SEED = 20_250_701;
const NOW = '2026-03-15T03:00:00.000Z';

// ---------------------------------------------------------------------------------- the tree

interface GenUnit {
  id: number;
  parentId: number | null;
  path: string;
  depth: number;
  type: UnitTypeCode;
  code: string;
  nameVi: string;
  nameEn: string;
  openedOn: string;
}

const DISTRICTS = ['Rạch Giá', 'Hà Tiên', 'Phú Quốc', 'Kiên Lương', 'Hòn Đất', 'Tân Hiệp', 'Châu Thành', 'Giồng Riềng', 'Gò Quao', 'An Biên', 'An Minh', 'Vĩnh Thuận', 'U Minh Thượng', 'Giang Thành', 'Kiên Hải'];
const VILLAGE_WORDS = ['Tân', 'Hòa', 'Bình', 'Thạnh', 'Phú', 'An', 'Vĩnh', 'Mỹ', 'Long', 'Đông', 'Tây', 'Thuận', 'Lợi', 'Hưng', 'Điền', 'Lạc'];

function placeName(rnd: () => number): string {
  const a = pick(rnd, VILLAGE_WORDS);
  let b = pick(rnd, VILLAGE_WORDS);
  while (b === a) b = pick(rnd, VILLAGE_WORDS);
  return `${a} ${b}`;
}

/**
 * A tree of `target` units, parents before children, ids in creation order from 1:
 * depth 0 network; 1 provincial library and partner libraries (universities, specialised);
 * 2 the provincial library's rooms and ~15 district libraries; 3 district branches, schools and
 * communes (~1 per 50 units); 4 commune reading rooms and branches; 5 book boxes.
 */
export function generateTree(target: number, rnd: () => number): GenUnit[] {
  const units: GenUnit[] = [];
  const childCount = new Map<number, number>();
  const add = (parent: GenUnit | null, type: UnitTypeCode, suffix: string, nameVi: string, nameEn: string): GenUnit => {
    const id = units.length + 1;
    const n = (childCount.get(parent?.id ?? 0) ?? 0) + 1;
    childCount.set(parent?.id ?? 0, n);
    const parentYear = parent ? Number(parent.openedOn.slice(0, 4)) : 1976;
    const year = Math.min(2025, parentYear + (parent ? randomInt(rnd, 0, 12) : 0));
    const unit: GenUnit = {
      id,
      parentId: parent?.id ?? null,
      path: `${parent?.path ?? '/'}${id}/`,
      depth: parent ? parent.depth + 1 : 0,
      type,
      code: parent ? `${parent.code}-${suffix}${n}` : suffix,
      nameVi,
      nameEn,
      openedOn: `${year}-${String(randomInt(rnd, 1, 12)).padStart(2, '0')}-01`,
    };
    units.push(unit);
    return unit;
  };

  const root = add(null, 'network', 'NET', 'Mạng lưới thư viện tỉnh', 'Provincial library network');
  const prov = add(root, 'provincial', 'TV', 'Thư viện tỉnh', 'Provincial library');
  for (let i = 0; i < 2; i++) add(root, 'university', 'DH', `Thư viện trường đại học ${i + 1}`, `University library ${i + 1}`);
  for (let i = 0; i < 3; i++) add(root, 'specialised', 'CN', `Thư viện chuyên ngành ${i + 1}`, `Specialised library ${i + 1}`);
  for (let i = 0; i < 4; i++) add(prov, 'branch', 'P', `Phòng đọc ${i + 1}`, `Reading room ${i + 1}`);
  for (let i = 0; i < 2; i++) add(prov, 'book_box', 'T', `Tủ sách ${i + 1}`, `Book box ${i + 1}`);

  const districts = DISTRICTS.map((d) => add(prov, 'district', 'H', `Thư viện huyện ${d}`, `${d} district library`));
  for (const d of districts) {
    for (let i = randomInt(rnd, 1, 2); i > 0; i--) add(d, 'branch', 'P', `Phòng đọc ${d.nameVi}`, `Reading room, ${d.nameEn}`);
    for (let i = randomInt(rnd, 2, 6); i > 0; i--) {
      const p = placeName(rnd);
      add(d, 'school', 'S', `Thư viện trường THPT ${p}`, `${p} high school library`);
    }
  }

  // Districts differ in size, and so do communes.
  const weighted = <T>(xs: readonly T[], lo: number, hi: number) => {
    const ws = xs.map(() => lo + rnd() * (hi - lo));
    const total = ws.reduce((a, b) => a + b, 0);
    return () => {
      let r = rnd() * total;
      for (let i = 0; i < xs.length; i++) {
        r -= ws[i]!;
        if (r < 0) return xs[i]!;
      }
      return xs[xs.length - 1]!;
    };
  };
  const pickDistrict = weighted(districts, 0.5, 1.5);
  const communeCount = Math.max(30, Math.round(target / 50));
  const communes: GenUnit[] = [];
  for (let i = 0; i < communeCount; i++) {
    const p = placeName(rnd);
    communes.push(add(pickDistrict(), 'commune', 'X', `Thư viện xã ${p}`, `${p} commune library`));
  }

  const remaining = target - units.length;
  if (remaining < 10) throw new Error(`a tree of ${target} units is too small for this shape`);
  const roomCount = Math.round(remaining * 0.5);
  const branchCount = Math.round(remaining * 0.1);
  const boxCount = remaining - roomCount - branchCount;
  const pickCommune = weighted(communes, 0.3, 1.7);
  const rooms: GenUnit[] = [];
  for (let i = 0; i < roomCount; i++) {
    const p = `ấp ${placeName(rnd)}`;
    rooms.push(add(pickCommune(), 'reading_room', 'R', `Phòng đọc ${p}`, `Reading room, ${p}`));
  }
  for (let i = 0; i < branchCount; i++) {
    const c = pickCommune();
    add(c, 'branch', 'B', `Chi nhánh ${c.nameVi}`, `Branch of ${c.nameEn}`);
  }
  for (let i = 0; i < boxCount; i++) {
    const parent = rnd() < 0.7 ? pick(rnd, rooms) : pickCommune();
    add(parent, 'book_box', 'T', `Tủ sách ${parent.nameVi}`, `Book box, ${parent.nameEn}`);
  }
  return units;
}

// ---------------------------------------------------------------------------------- the staff

interface GenStaff {
  id: number;
  username: string;
  displayName: string;
  homeUnitId: number;
}

interface GenGrant {
  userId: number;
  roleCode: string;
  unitId: number;
  scope: Scope;
}

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Huỳnh', 'Hoàng', 'Võ', 'Phan', 'Trương', 'Bùi', 'Đặng', 'Đỗ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Thanh', 'Ngọc', 'Hữu', 'Thu', 'Quốc'];
const GIVEN = ['An', 'Bình', 'Châu', 'Dũng', 'Giang', 'Hà', 'Hải', 'Hạnh', 'Hùng', 'Lan', 'Linh', 'Mai', 'Nam', 'Phúc', 'Quang', 'Tâm', 'Thảo', 'Trang', 'Tuấn', 'Vy'];

/**
 * Staff at units that hold staff, each with one grant that follows from their job (mostly
 * librarian at their unit, some library admins over their subtree, a few network-wide admins and
 * auditors) and, for four in ten, one or two more at random units elsewhere.
 */
export function generateStaff(units: readonly GenUnit[], count: number, rnd: () => number): { staff: GenStaff[]; grants: GenGrant[] } {
  const root = units[0]!;
  const byType = (...types: UnitTypeCode[]) => units.filter((u) => types.includes(u.type));
  const communes = byType('commune');
  const communeBranches = units.filter((u) => u.type === 'branch' && u.depth === 4);
  const districtLevel = byType('district', 'school').concat(units.filter((u) => u.type === 'branch' && u.depth === 3));
  const topLevel = units.filter((u) => u.depth <= 2 && u.type !== 'district' && u.type !== 'book_box');
  const staff: GenStaff[] = [];
  const grants: GenGrant[] = [];
  const seen = new Set<string>();
  const grant = (g: GenGrant) => {
    const key = `${g.userId}:${g.roleCode}:${g.unitId}:${g.scope}`;
    if (!seen.has(key)) {
      seen.add(key);
      grants.push(g);
    }
  };
  for (let id = 1; id <= count; id++) {
    const r = rnd();
    const home = r < 0.4 ? pick(rnd, communes) : r < 0.6 ? pick(rnd, districtLevel) : r < 0.7 ? pick(rnd, topLevel) : pick(rnd, communeBranches);
    staff.push({ id, username: `nv${String(id).padStart(5, '0')}`, displayName: `${pick(rnd, FAMILY)} ${pick(rnd, MIDDLE)} ${pick(rnd, GIVEN)}`, homeUnitId: home.id });

    const job = rnd();
    if (job < 0.02) grant({ userId: id, roleCode: 'network_admin', unitId: root.id, scope: 'network' });
    else if (job < 0.06) grant({ userId: id, roleCode: 'auditor', unitId: root.id, scope: 'network' });
    else if (job < 0.3) grant({ userId: id, roleCode: 'library_admin', unitId: home.id, scope: 'subtree' });
    else if (job < 0.7) grant({ userId: id, roleCode: 'librarian', unitId: home.id, scope: 'unit' });
    else grant({ userId: id, roleCode: 'librarian', unitId: home.id, scope: 'subtree' });

    const extra = rnd();
    for (let k = extra < 0.6 ? 0 : extra < 0.9 ? 1 : 2; k > 0; k--) {
      const roleCode = pick(rnd, ['librarian', 'librarian', 'library_admin', 'auditor']);
      grant({ userId: id, roleCode, unitId: pick(rnd, units).id, scope: rnd() < 0.5 ? 'unit' : 'subtree' });
    }
  }
  return { staff, grants };
}

// ---------------------------------------------------------------------------------- loading

async function insertChunked<T extends keyof Database>(db: Kysely<Database>, table: T, rows: ReadonlyArray<Insertable<Database[T]>>, chunk = 500): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (let i = 0; i < rows.length; i += chunk) {
      // Kysely cannot relate a generic table name to its row type; the rows are typed by the caller.
      await tx
        .insertInto(table)
        .values(rows.slice(i, i + chunk) as never)
        .execute();
    }
  });
}

async function load(handle: DatabaseHandle, units: readonly GenUnit[], staff: readonly GenStaff[], grants: readonly GenGrant[], roleIds: ReadonlyMap<string, number>): Promise<void> {
  const { db } = handle;
  const unitRows: Insertable<OrgUnitsTable>[] = units.map((u) => ({
    id: u.id,
    code: u.code,
    slug: u.code.toLowerCase(),
    name_vi: u.nameVi,
    name_en: u.nameEn,
    type_code: u.type,
    parent_id: u.parentId,
    path: u.path,
    depth: u.depth,
    status: 'active',
    merged_into_id: null,
    opened_on: u.openedOn,
    ended_on: null,
    address: null,
    phone: null,
    email: null,
    website: null,
    opening_hours: null,
    latitude: null,
    longitude: null,
    description_vi: null,
    description_en: null,
    created_at: NOW,
    updated_at: NOW,
  }));
  await insertChunked(db, 'org_units', unitRows);
  const staffRows: Insertable<StaffUsersTable>[] = staff.map((s) => ({
    id: s.id,
    username: s.username,
    display_name: s.displayName,
    email: null,
    // Nobody signs in here; a real hash would only cost set-up time.
    password_hash: '$argon2id$bench-placeholder',
    home_unit_id: s.homeUnitId,
    status: 'active',
    locale: null,
    password_changed_at: NOW,
    created_at: NOW,
    updated_at: NOW,
  }));
  await insertChunked(db, 'staff_users', staffRows);
  const grantRows: Insertable<GrantsTable>[] = grants.map((g) => {
    const roleId = roleIds.get(g.roleCode);
    if (roleId === undefined) throw new Error(`no built-in role ${g.roleCode}`);
    return { user_id: g.userId, role_id: roleId, unit_id: g.unitId, scope: g.scope, created_at: NOW, created_by: null };
  });
  await insertChunked(db, 'grants', grantRows);
  if (handle.dialect === 'postgres') {
    // Explicit ids leave identity sequences behind; move them on, as a restore would.
    for (const table of ['org_units', 'staff_users'] as const) {
      await sql`select setval(pg_get_serial_sequence(${table}, 'id'), (select max(id) from ${sql.table(table)}))`.execute(db);
    }
  }
  // Statistics as autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite) would leave them.
  await sql`analyze`.execute(db);
}

// ---------------------------------------------------------------------------------- checks

interface Triple {
  userId: number;
  unitId: number;
  permission: Permission;
}

function actorFor(user: GenStaff, grants: Actor['grants']): Actor {
  return { kind: 'staff', userId: user.id, label: user.username, grants, ip: null, requestId: null };
}

/** `authorize` as a yes/no. */
async function allowed(store: Store, actor: Actor, t: Triple): Promise<boolean> {
  try {
    await authorize(store, actor, t.permission, t.unitId);
    return true;
  } catch (e) {
    if (e instanceof AppError && e.code === 'PERMISSION_DENIED') return false;
    throw e;
  }
}

/**
 * The reference answer, from the raw tables and nothing the fast path uses: grants as stored,
 * role permissions as stored, and the tree walked up from the unit through `parent_id`.
 */
class NaiveChecker {
  readonly #parent: Map<number, number | null>;
  readonly #rolePermissions: Map<number, Set<string>>;
  readonly #grants: Map<number, Array<{ unitId: number; scope: string; roleId: number }>>;

  private constructor(parent: Map<number, number | null>, rolePermissions: Map<number, Set<string>>, grants: Map<number, Array<{ unitId: number; scope: string; roleId: number }>>) {
    this.#parent = parent;
    this.#rolePermissions = rolePermissions;
    this.#grants = grants;
  }

  static async load(db: Kysely<Database>): Promise<NaiveChecker> {
    const parent = new Map((await db.selectFrom('org_units').select(['id', 'parent_id']).execute()).map((r) => [r.id, r.parent_id]));
    const rolePermissions = new Map<number, Set<string>>();
    for (const r of await db.selectFrom('role_permissions').select(['role_id', 'permission']).execute()) {
      let s = rolePermissions.get(r.role_id);
      if (!s) rolePermissions.set(r.role_id, (s = new Set()));
      s.add(r.permission);
    }
    const grants = new Map<number, Array<{ unitId: number; scope: string; roleId: number }>>();
    for (const g of await db.selectFrom('grants').select(['user_id', 'unit_id', 'scope', 'role_id']).execute()) {
      let list = grants.get(g.user_id);
      if (!list) grants.set(g.user_id, (list = []));
      list.push({ unitId: g.unit_id, scope: g.scope, roleId: g.role_id });
    }
    return new NaiveChecker(parent, rolePermissions, grants);
  }

  /** The unit and every unit above it, by walking `parent_id`. */
  #selfAndAncestors(unitId: number): Set<number> {
    const out = new Set<number>();
    for (let u: number | null | undefined = unitId; u !== null && u !== undefined; u = this.#parent.get(u)) {
      if (out.has(u)) throw new BenchFailure(`the tree has a cycle through unit ${u}`);
      out.add(u);
    }
    return out;
  }

  allows(t: Triple): boolean {
    const up = this.#selfAndAncestors(t.unitId);
    return (this.#grants.get(t.userId) ?? []).some((g) => {
      if (!this.#rolePermissions.get(g.roleId)?.has(t.permission)) return false;
      if (g.scope === 'network') return true;
      if (g.scope === 'unit') return g.unitId === t.unitId;
      return up.has(g.unitId);
    });
  }
}

/**
 * Draws (user, unit, permission) triples. Half are uniform over users, units and permissions;
 * half are where the user works, as most requests are: at a boundary of a grant the user holds
 * (its unit, a unit one to three levels below, or the unit just above), with a permission the
 * role has half the time. So the checks both allow and refuse, through every kind of scope.
 */
class TripleSource {
  readonly #rnd: () => number;
  readonly #units: readonly GenUnit[];
  readonly #staff: readonly GenStaff[];
  readonly #children = new Map<number, number[]>();
  readonly #parentOf = new Map<number, number | null>();
  readonly #grantsOf = new Map<number, GenGrant[]>();

  constructor(units: readonly GenUnit[], staff: readonly GenStaff[], grants: readonly GenGrant[], rnd: () => number) {
    this.#rnd = rnd;
    this.#units = units;
    this.#staff = staff;
    for (const u of units) {
      this.#parentOf.set(u.id, u.parentId);
      if (u.parentId === null) continue;
      let c = this.#children.get(u.parentId);
      if (!c) this.#children.set(u.parentId, (c = []));
      c.push(u.id);
    }
    for (const g of grants) {
      let list = this.#grantsOf.get(g.userId);
      if (!list) this.#grantsOf.set(g.userId, (list = []));
      list.push(g);
    }
  }

  uniform(): Triple {
    const rnd = this.#rnd;
    return { userId: pick(rnd, this.#staff).id, unitId: pick(rnd, this.#units).id, permission: pick(rnd, PERMISSIONS) };
  }

  near(): Triple {
    const rnd = this.#rnd;
    const user = pick(rnd, this.#staff);
    const g = pick(rnd, this.#grantsOf.get(user.id) ?? []);
    let unitId = g.unitId;
    const where = rnd();
    if (where < 0.2) unitId = this.#parentOf.get(unitId) ?? unitId;
    else if (where < 0.6) {
      for (let steps = randomInt(rnd, 1, 3); steps > 0; steps--) {
        const below = this.#children.get(unitId);
        if (!below) break;
        unitId = pick(rnd, below);
      }
    }
    const rolePerms = BUILTIN_ROLES.find((r) => r.code === g.roleCode)?.permissions ?? PERMISSIONS;
    const permission = rnd() < 0.5 ? pick(rnd, rolePerms) : pick(rnd, PERMISSIONS);
    return { userId: user.id, unitId, permission };
  }

  draw(n: number): Triple[] {
    return Array.from({ length: n }, () => (this.#rnd() < 0.5 ? this.uniform() : this.near()));
  }
}

// ---------------------------------------------------------------------------------- the run

interface DialectResult {
  benchmark: 'permissions';
  dialect: BenchDialect;
  size: Size;
  at: string;
  machine: ReturnType<typeof machine>;
  database: string;
  data: { units: number; depthCounts: number[]; staff: number; grants: number; grantsByScope: Record<Scope, number>; setupSeconds: number };
  plan: Plan;
  results: { reference: Throughput; check: Throughput; checkWithGrants: Throughput };
  /** Time per operation relative to the reference (1 = as fast as a primary-key lookup). */
  ratios: { check: number; checkWithGrants: number };
  /** (b) over the allowed and the refused checks alone, each relative to lookups of the same units. */
  ratiosByAnswer: { allowed: number; refused: number };
  allowedFraction: number;
  verification: { checks: number; allowed: number; mismatches: number };
}

async function runOn(ctx: BenchContext, dialect: BenchDialect, plan: Plan): Promise<DialectResult> {
  const rnd = seededRandom(SEED);
  const t0 = process.hrtime.bigint();
  const units = generateTree(plan.units, rnd);
  const { staff, grants } = generateStaff(units, plan.staff, rnd);

  const temp = await ctx.tempDatabase(dialect);
  try {
    const handle = openDatabase({ url: temp.url, poolSize: 4 });
    try {
      await migrate(handle);
      const store = createStore(handle);
      await ensureBuiltinRoles(store);
      const roleIds = new Map((await store.staff.roles()).map((r) => [r.code, r.id]));
      await load(handle, units, staff, grants, roleIds);
      const setupSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const database =
        dialect === 'sqlite'
          ? `SQLite ${(await sql<{ v: string }>`select sqlite_version() as v`.execute(handle.db)).rows[0]?.v ?? '?'} (file, WAL)`
          : `PostgreSQL ${(await sql<{ server_version: string }>`show server_version`.execute(handle.db)).rows[0]?.server_version ?? '?'}`;

      const depthCounts: number[] = [];
      for (const u of units) depthCounts[u.depth] = (depthCounts[u.depth] ?? 0) + 1;
      const grantsByScope: Record<Scope, number> = { unit: 0, subtree: 0, network: 0 };
      for (const g of grants) grantsByScope[g.scope]++;
      ctx.log(
        `\npermissions [${dialect}, ${ctx.size}]: ${formatCount(units.length)} units (by depth: ${depthCounts.map(formatCount).join(' / ')}), ` +
          `${formatCount(staff.length)} staff, ${formatCount(grants.length)} grants (unit ${grantsByScope.unit}, subtree ${grantsByScope.subtree}, network ${grantsByScope.network}); ` +
          `set up in ${setupSeconds.toFixed(1)} s on ${database}`,
      );

      // Grants as each request would hold them after signing in.
      const actors = new Map<number, Actor>();
      for (const s of staff) actors.set(s.id, actorFor(s, await store.staff.effectiveGrants(s.id)));
      const userById = new Map(staff.map((s) => [s.id, s]));

      const n = plan.rounds * plan.perRound;
      const source = new TripleSource(units, staff, grants, rnd);
      const triples = source.draw(n);
      const withLoaded = new Int8Array(n).fill(-1);
      const withLoading = new Int8Array(n).fill(-1);
      const { db } = handle;

      const results = await measureRounds(
        [
          {
            key: 'reference',
            op: async (i) => {
              const r = await db.selectFrom('org_units').select(['id', 'path']).where('id', '=', triples[i]!.unitId).executeTakeFirst();
              if (!r) throw new Error(`unit ${triples[i]!.unitId} missing`);
            },
          },
          {
            key: 'check',
            op: async (i) => {
              const t = triples[i]!;
              withLoaded[i] = (await allowed(store, actors.get(t.userId)!, t)) ? 1 : 0;
            },
          },
          {
            key: 'checkWithGrants',
            op: async (i) => {
              const t = triples[i]!;
              const actor = actorFor(userById.get(t.userId)!, await store.staff.effectiveGrants(t.userId));
              withLoading[i] = (await allowed(store, actor, t)) ? 1 : 0;
            },
          },
        ],
        plan,
      );

      // The answers must not depend on how the grants were loaded, and must be mixed.
      let allowedCount = 0;
      for (let i = 0; i < n; i++) {
        if (withLoaded[i] !== withLoading[i]) throw new BenchFailure(`check ${i} answered ${withLoaded[i]} with grants held but ${withLoading[i]} with grants loaded`);
        allowedCount += withLoaded[i]!;
      }
      const allowedFraction = allowedCount / n;
      if (allowedCount === 0 || allowedCount === n) throw new BenchFailure(`every check ${allowedCount === 0 ? 'refused' : 'allowed'}: the data does not exercise the check`);

      // (b) again, split by answer, each against the lookups of its own units: a refusal throws.
      const byAnswer = { allowed: 0, refused: 0 };
      for (const answer of ['allowed', 'refused'] as const) {
        const subset = triples.filter((_, i) => withLoaded[i] === (answer === 'allowed' ? 1 : 0));
        const rounds = Math.min(plan.rounds, 20);
        const perRound = Math.floor(subset.length / rounds);
        const split = await measureRounds(
          [
            { key: 'reference', op: async (i) => void (await db.selectFrom('org_units').select(['id', 'path']).where('id', '=', subset[i]!.unitId).executeTakeFirst()) },
            { key: 'check', op: async (i) => void (await allowed(store, actors.get(subset[i]!.userId)!, subset[i]!)) },
          ],
          { warmup: 0, rounds, perRound },
        );
        byAnswer[answer] = split.check!.microsPerOp / split.reference!.microsPerOp;
      }

      // Half the sample are timed checks, as answered while timed; half are fresh draws.
      const naive = await NaiveChecker.load(db);
      const timedSample = Math.min(n, Math.ceil(plan.verify / 2));
      const sample: Array<{ t: Triple; fast: boolean }> = triples.slice(0, timedSample).map((t, i) => ({ t, fast: withLoaded[i] === 1 }));
      for (const t of source.draw(plan.verify - timedSample)) sample.push({ t, fast: await allowed(store, actors.get(t.userId)!, t) });
      const mismatches: string[] = [];
      let sampleAllowed = 0;
      for (const { t, fast } of sample) {
        const slow = naive.allows(t);
        if (fast) sampleAllowed++;
        if (fast !== slow) mismatches.push(`user ${t.userId} ${t.permission} at unit ${t.unitId}: authorize ${fast ? 'allows' : 'refuses'}, tree walk ${slow ? 'allows' : 'refuses'}`);
      }
      if (mismatches.length > 0) {
        throw new BenchFailure(`${mismatches.length} of ${sample.length} checks disagree with the tree walk [${dialect}]:\n  ${mismatches.slice(0, 10).join('\n  ')}`);
      }

      const ratios = { check: results.check!.microsPerOp / results.reference!.microsPerOp, checkWithGrants: results.checkWithGrants!.microsPerOp / results.reference!.microsPerOp };
      const label = { reference: '(a) primary-key lookup (reference)', check: '(b) authorize, grants held', checkWithGrants: '(c) load grants + authorize' } as const;
      const rows = (['reference', 'check', 'checkWithGrants'] as const).map((k) => {
        const r = results[k]!;
        return [label[k], formatCount(r.opsPerSec), r.microsPerOp.toFixed(1), `${formatCount(r.p25OpsPerSec)}–${formatCount(r.p75OpsPerSec)}`, (r.microsPerOp / results.reference!.microsPerOp).toFixed(2)];
      });
      ctx.log(formatTable(['', 'checks/s', 'µs each', 'middle half of rounds', '× (a)'], rows));
      ctx.log(
        `${formatCount(n)} checks per row (median of ${plan.rounds} rounds, after ${formatCount(plan.warmup)} warm-up); ` +
          `allowed ${(allowedFraction * 100).toFixed(1)}%; ${formatCount(sample.length)} checks agree with a parent_id tree walk (${formatCount(sampleAllowed)} allowed)`,
      );
      ctx.log(`(b) by answer, × the lookup of the same units: allowed ${byAnswer.allowed.toFixed(2)}, refused ${byAnswer.refused.toFixed(2)}`);

      return {
        benchmark: 'permissions',
        dialect,
        size: ctx.size,
        at: new Date().toISOString(),
        machine: machine(),
        database,
        data: { units: units.length, depthCounts, staff: staff.length, grants: grants.length, grantsByScope, setupSeconds },
        plan,
        results: { reference: results.reference!, check: results.check!, checkWithGrants: results.checkWithGrants! },
        ratios,
        ratiosByAnswer: byAnswer,
        allowedFraction,
        verification: { checks: sample.length, allowed: sampleAllowed, mismatches: 0 },
      };
    } finally {
      await handle.close();
    }
  } finally {
    await temp.drop();
  }
}

export async function run(ctx: BenchContext): Promise<void> {
  const plan = PLANS[ctx.size];
  for (const dialect of ctx.dialects) {
    const result = await runOn(ctx, dialect, plan);
    const file = writeResult(ctx.outDir, `permissions-${dialect}`, result);
    ctx.log(`→ ${file}`);
  }
}
