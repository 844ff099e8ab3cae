/**
 * Factories that insert real rows through the real use cases: a small tree with staff at
 * several levels, on a real database.
 */
import { afterEach, beforeEach } from 'vitest';
import { createContainer, type Container, type ContainerOptions } from '../src/main/container.js';
import { systemActor, type Actor } from '../src/app/actor.js';
import type { Clock } from '../src/app/ports.js';
import type { OrgUnit } from '../src/domain/org/unit.js';
import { tempDatabase, type TestDialect } from './dialects.js';

/** A clock the test moves by hand. */
export class TestClock implements Clock {
  #t: number;
  constructor(iso = '2026-03-15T03:00:00.000Z') {
    this.#t = Date.parse(iso);
  }
  now(): Date {
    return new Date(this.#t);
  }
  advance(ms: number): void {
    this.#t += ms;
  }
  set(iso: string): void {
    this.#t = Date.parse(iso);
  }
}

export interface TestEnv {
  container: Container;
  clock: TestClock;
  dispose(): Promise<void>;
}

/** A container on a fresh database with cheap (still argon2id) password hashing. */
export async function testEnv(dialect: TestDialect, opts: { clock?: TestClock; container?: Partial<ContainerOptions> } = {}): Promise<TestEnv> {
  const db = await tempDatabase(dialect);
  const clock = opts.clock ?? new TestClock();
  const container = await createContainer({ databaseUrl: db.url, clock, argon2: { memoryCost: 1024, timeCost: 1 }, poolSize: 4, ...opts.container });
  return {
    container,
    clock,
    dispose: async () => {
      await container.close();
      await db.drop();
    },
  };
}

export const PASSWORD = 'correct horse battery';

export interface SmallTree {
  root: OrgUnit;
  prov: OrgUnit;
  distA: OrgUnit;
  communeA1: OrgUnit;
  communeA2: OrgUnit;
  distB: OrgUnit;
  communeB1: OrgUnit;
  users: { netadmin: number; distadmin: number; commlib: number; otherlib: number };
}

/**
 * ROOT ─ PROV ─┬─ DIST-A ─┬─ COMM-A1   (commlib: librarian, unit only)
 *              │          └─ COMM-A2
 *              └─ DIST-B ─── COMM-B1   (otherlib: librarian, unit only)
 * netadmin: network_admin over the network; distadmin: library_admin over DIST-A's subtree.
 */
export async function smallTree(c: Container): Promise<SmallTree> {
  const sys = systemActor('test');
  const { org, staff } = c.services;
  const mk = (code: string, typeCode: string, parentId: number | null, openedOn = '2010-01-01') =>
    org.create(sys, { code, nameVi: `Thư viện ${code}`, nameEn: `Library ${code}`, typeCode, parentId, openedOn });
  const root = await mk('ROOT', 'network', null, '2000-01-01');
  const prov = await mk('PROV', 'provincial', root.id, '2000-01-01');
  const distA = await mk('DIST-A', 'district', prov.id);
  const communeA1 = await mk('COMM-A1', 'commune', distA.id);
  const communeA2 = await mk('COMM-A2', 'commune', distA.id);
  const distB = await mk('DIST-B', 'district', prov.id);
  const communeB1 = await mk('COMM-B1', 'commune', distB.id);
  const user = async (username: string, unit: OrgUnit, role: string, scope: 'unit' | 'subtree' | 'network') => {
    const { user: u } = await staff.create(sys, { username, displayName: username, homeUnitId: unit.id, password: PASSWORD });
    await staff.grant(sys, { userId: u.id, roleCode: role, unitId: unit.id, scope });
    return u.id;
  };
  const users = {
    netadmin: await user('netadmin', root, 'network_admin', 'network'),
    distadmin: await user('distadmin', distA, 'library_admin', 'subtree'),
    commlib: await user('commlib', communeA1, 'librarian', 'unit'),
    otherlib: await user('otherlib', communeB1, 'librarian', 'unit'),
  };
  return { root, prov, distA, communeA1, communeA2, distB, communeB1, users };
}

/** The actor a signed-in user would be, with their grants loaded from the database. */
export async function actorFor(c: Container, userId: number): Promise<Actor> {
  const u = await c.store.staff.getById(userId);
  return { kind: 'staff', userId, label: u!.username, grants: await c.store.staff.effectiveGrants(userId) };
}

export type TreeActors = Record<keyof SmallTree['users'], Actor>;

export interface TreeEnv {
  env: TestEnv;
  c: Container;
  t: SmallTree;
  /** The signed-in actor of each user of the small tree. */
  actors: TreeActors;
}

/** A fresh database with the small tree on it, and its users as actors. */
export async function treeEnv(dialect: TestDialect, opts: { clock?: TestClock; container?: Partial<ContainerOptions> } = {}): Promise<TreeEnv> {
  const env = await testEnv(dialect, opts);
  const c = env.container;
  try {
    const t = await smallTree(c);
    const actors: TreeActors = {
      netadmin: await actorFor(c, t.users.netadmin),
      distadmin: await actorFor(c, t.users.distadmin),
      commlib: await actorFor(c, t.users.commlib),
      otherlib: await actorFor(c, t.users.otherlib),
    };
    return { env, c, t, actors };
  } catch (e) {
    await env.dispose();
    throw e;
  }
}

/**
 * Gives every test of the enclosing suite its own `treeEnv`, disposed after the test. `use` gets
 * it before each test; assign it to the suite's variables: `({ env, c, t, actors } = x)`.
 */
export function treeEnvEach(dialect: TestDialect, use: (x: TreeEnv) => void): void {
  let current: TreeEnv | undefined;
  beforeEach(async () => {
    current = await treeEnv(dialect);
    use(current);
  });
  afterEach(async () => {
    await current?.env.dispose();
    current = undefined;
  });
}
