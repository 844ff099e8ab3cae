/**
 * Use cases for staff accounts and their grants. An administrator acts only on accounts whose
 * home unit lies within their reach, and hands on only permissions they hold over that extent.
 */
import { AppError, type FieldProblem } from '../domain/errors.js';
import { allows, coversGrant, isScope, type Scope } from '../domain/access/permissions.js';
import { cleanLine } from '../text/fold.js';
import type { Actor } from './actor.js';
import type { Clock, GrantView, PasswordHasher, Role, StaffUser, Store } from './ports.js';
import { audit } from './audit.js';
import { authorize, runWrite } from './guard.js';
import { checkPasswordStrength, generatePassword } from './auth.service.js';

export const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._-]{2,49}$/;

export interface CreateUserInput {
  username: unknown;
  displayName: unknown;
  email?: unknown;
  homeUnitId: number;
  /** Omitted: a random one is generated and returned once. */
  password?: string;
  locale?: string | null;
}

export class StaffService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #hasher: PasswordHasher;
  constructor(deps: { store: Store; clock: Clock; hasher: PasswordHasher }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#hasher = deps.hasher;
  }

  roles(): Promise<Role[]> {
    return this.#store.staff.roles();
  }

  /** Accounts the actor may see: those whose home unit is within their `staff.user.view` reach. */
  async list(actor: Actor, query?: string): Promise<StaffUser[]> {
    const users = await this.#store.staff.list({ query: query ? cleanLine(query).slice(0, 100) : undefined, limit: 2000 });
    const places = new Map((await this.#store.org.list()).map((u) => [u.id, { id: u.id, path: u.path }]));
    return users.filter((u) => {
      const place = u.homeUnitId === null ? undefined : places.get(u.homeUnitId);
      return place ? allows(actor.grants, 'staff.user.view', place) : allows(actor.grants, 'system.manage', { id: 0, path: '/' });
    });
  }

  async get(actor: Actor, id: number): Promise<{ user: StaffUser; grants: GrantView[] }> {
    const user = await this.#store.staff.getById(id);
    if (!user) throw new AppError('STAFF_USER_NOT_FOUND', { user: id });
    if (user.homeUnitId !== null) await authorize(this.#store, actor, 'staff.user.view', user.homeUnitId);
    else if (actor.kind !== 'system' && !actor.grants.some((g) => g.scope === 'network' && g.permissions.has('staff.user.view'))) throw new AppError('PERMISSION_DENIED', { permission: 'staff.user.view' });
    return { user, grants: await this.#store.staff.grantsOf(id) };
  }

  /** The actor's own account. */
  async me(actor: Actor): Promise<StaffUser> {
    const u = actor.userId === null ? undefined : await this.#store.staff.getById(actor.userId);
    if (!u) throw new AppError('AUTH_REQUIRED');
    return u;
  }

  /** The actor's own grants, which everyone may see. */
  async ownGrants(actor: Actor): Promise<GrantView[]> {
    return actor.userId === null ? [] : this.#store.staff.grantsOf(actor.userId);
  }

  async getByUsername(username: string): Promise<StaffUser> {
    const u = await this.#store.staff.getWithHash(username);
    if (!u) throw new AppError('STAFF_USER_NOT_FOUND', { user: username });
    const { passwordHash: _h, ...user } = u;
    return user;
  }

  /** Creates an account at a home unit. Returns the password when one was generated. */
  async create(actor: Actor, input: CreateUserInput): Promise<{ user: StaffUser; password: string | null }> {
    const problems: FieldProblem[] = [];
    const username = String(input.username ?? '').trim().toLowerCase();
    if (!USERNAME_PATTERN.test(username)) problems.push({ field: 'username', code: 'STAFF_USERNAME_INVALID' });
    const displayName = cleanLine(String(input.displayName ?? ''));
    if (!displayName || displayName.length > 200) problems.push({ field: 'displayName', code: 'VALIDATION', params: { max: 200 } });
    const email = input.email ? cleanLine(String(input.email)) : null;
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problems.push({ field: 'email', code: 'VALIDATION' });
    const generated = input.password === undefined || input.password === '';
    const password = generated ? generatePassword() : input.password!;
    if (!generated) {
      try {
        checkPasswordStrength(password, username);
      } catch (e) {
        if (e instanceof AppError) problems.push({ field: 'password', code: e.code, params: e.params });
      }
    }
    if (problems.length) throw new AppError('VALIDATION', {}, problems);
    const passwordHash = await this.#hasher.hash(password);
    const locale = input.locale === 'en' || input.locale === 'vi' ? input.locale : null;

    const user = await runWrite(this.#store, this.#clock, actor, async (tx) => {
      await authorize(tx, actor, 'staff.user.manage', input.homeUnitId);
      if (await tx.staff.getWithHash(username)) throw new AppError('STAFF_USERNAME_TAKEN', { username }, [{ field: 'username', code: 'STAFF_USERNAME_TAKEN', params: { username } }]);
      const now = this.#clock.now();
      const u = await tx.staff.insert({ username, displayName, email, passwordHash, homeUnitId: input.homeUnitId, locale }, now.toISOString());
      await audit(tx, actor, now, { action: 'staff.user.create', unitId: input.homeUnitId, targetType: 'staff_user', targetId: u.id, after: u });
      return u;
    });
    return { user, password: generated ? password : null };
  }

  /** Disables or re-enables an account; disabling ends its sessions at once. */
  async setStatus(actor: Actor, userId: number, status: 'active' | 'disabled'): Promise<void> {
    if (status === 'disabled' && actor.userId === userId) throw new AppError('STAFF_CANNOT_DISABLE_SELF');
    await runWrite(this.#store, this.#clock, actor, async (tx) => {
      const user = await tx.staff.getById(userId);
      if (!user) throw new AppError('STAFF_USER_NOT_FOUND', { user: userId });
      if (user.homeUnitId !== null) await authorize(tx, actor, 'staff.user.manage', user.homeUnitId);
      const now = this.#clock.now();
      await tx.staff.setStatus(userId, status, now.toISOString());
      const ended = status === 'disabled' ? await tx.sessions.deleteForUser(userId) : 0;
      await audit(tx, actor, now, { action: status === 'disabled' ? 'staff.user.disable' : 'staff.user.enable', unitId: user.homeUnitId, targetType: 'staff_user', targetId: userId, before: { status: user.status }, after: { status, sessionsEnded: ended } });
    });
  }

  /** Sets a new random password for an account (returned once) and ends its sessions. */
  async resetPassword(actor: Actor, userId: number): Promise<string> {
    const password = generatePassword();
    const hash = await this.#hasher.hash(password);
    await runWrite(this.#store, this.#clock, actor, async (tx) => {
      const user = await tx.staff.getById(userId);
      if (!user) throw new AppError('STAFF_USER_NOT_FOUND', { user: userId });
      if (user.homeUnitId !== null) await authorize(tx, actor, 'staff.user.manage', user.homeUnitId);
      const now = this.#clock.now();
      await tx.staff.setPassword(userId, hash, now.toISOString());
      await tx.sessions.deleteForUser(userId);
      await audit(tx, actor, now, { action: 'staff.password.reset', unitId: user.homeUnitId, targetType: 'staff_user', targetId: userId });
    });
    return password;
  }

  async setLocale(actor: Actor, locale: 'vi' | 'en'): Promise<void> {
    if (actor.userId === null) return;
    await this.#store.transaction(async (tx) => {
      const now = this.#clock.now();
      await tx.staff.setLocale(actor.userId!, locale, now.toISOString());
      await audit(tx, actor, now, { action: 'staff.user.locale', unitId: null, targetType: 'staff_user', targetId: actor.userId, after: { locale } });
    });
  }

  /** Grants a role at a unit with a scope. The granter must hold all of it themselves. */
  async grant(actor: Actor, input: { userId: number; roleCode: string; unitId: number; scope: string }): Promise<number> {
    if (!isScope(input.scope)) throw new AppError('STAFF_SCOPE_INVALID', { scope: input.scope });
    const scope: Scope = input.scope;
    return runWrite(this.#store, this.#clock, actor, async (tx) => {
      const user = await tx.staff.getById(input.userId);
      if (!user) throw new AppError('STAFF_USER_NOT_FOUND', { user: input.userId });
      const role = await tx.staff.roleByCode(input.roleCode);
      if (!role) throw new AppError('STAFF_ROLE_NOT_FOUND', { role: input.roleCode });
      await authorize(tx, actor, 'staff.grant.manage', input.unitId);
      // …and over the person: a district administrator cannot hand roles to another district's staff.
      if (user.homeUnitId !== null) await authorize(tx, actor, 'staff.grant.manage', user.homeUnitId);
      const place = (await tx.org.place(input.unitId))!;
      if (!coversGrant(actor.grants, role.permissions, place, scope)) throw new AppError('STAFF_GRANT_EXCEEDS_OWN', { role: role.code });
      const unit = await tx.org.getById(input.unitId);
      if (unit?.status !== 'active') throw new AppError('ORG_UNIT_CLOSED', { unit: unit?.code ?? input.unitId, date: unit?.endedOn ?? '' });
      if (await tx.staff.findGrant({ userId: user.id, roleId: role.id, unitId: input.unitId, scope })) throw new AppError('STAFF_GRANT_EXISTS', { role: role.code });
      const now = this.#clock.now();
      const id = await tx.staff.addGrant({ userId: user.id, roleId: role.id, unitId: input.unitId, scope, createdBy: actor.userId }, now.toISOString());
      await audit(tx, actor, now, { action: 'staff.grant.add', unitId: input.unitId, targetType: 'grant', targetId: id, after: { user: user.username, role: role.code, unit: unit.code, scope } });
      return id;
    });
  }

  /** Revokes a grant; only someone who could have made it may. */
  async revoke(actor: Actor, grantId: number): Promise<void> {
    await runWrite(this.#store, this.#clock, actor, async (tx) => {
      const g = await tx.staff.getGrant(grantId);
      if (!g) throw new AppError('STAFF_GRANT_NOT_FOUND', { grant: grantId });
      await authorize(tx, actor, 'staff.grant.manage', g.unitId);
      const role = (await tx.staff.roles()).find((r) => r.id === g.roleId)!;
      if (!coversGrant(actor.grants, role.permissions, { id: g.unitId, path: g.unitPath }, g.scope)) throw new AppError('STAFF_GRANT_EXCEEDS_OWN', { role: role.code });
      const now = this.#clock.now();
      await tx.staff.removeGrant(grantId);
      await audit(tx, actor, now, { action: 'staff.grant.remove', unitId: g.unitId, targetType: 'grant', targetId: grantId, before: g });
    });
  }
}
