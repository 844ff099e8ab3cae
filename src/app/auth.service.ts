/**
 * Staff sign-in: passwords (argon2id), sessions kept in the database (so several server
 * processes share them), lockout after repeated failures, password change, and API tokens for
 * machine clients, scoped like grants.
 */
import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '../domain/errors.js';
import { coversGrant, type EffectiveGrant, type Scope } from '../domain/access/permissions.js';
import type { Actor } from './actor.js';
import type { ApiToken, Clock, PasswordHasher, Session, StaffUser, Store } from './ports.js';
import { audit } from './audit.js';

export interface AuthPolicy {
  /** Failed attempts in a row before the account is locked. */
  maxFailedLogins: number;
  lockMinutes: number;
  /** A session ends after this long without a request. */
  sessionIdleMinutes: number;
  /** …and after this long in any case. */
  sessionMaxHours: number;
}

export const DEFAULT_AUTH_POLICY: AuthPolicy = { maxFailedLogins: 5, lockMinutes: 15, sessionIdleMinutes: 12 * 60, sessionMaxHours: 7 * 24 };

export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 256;

export function sha256(s: string): string {
  return createHash('sha256').update(s).digest('hex');
}

export function checkPasswordStrength(password: string, username: string): void {
  if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD) throw new AppError('AUTH_PASSWORD_WEAK', { min: MIN_PASSWORD });
  if ((username.length >= 3 && password.toLowerCase().includes(username.toLowerCase())) || new Set(password).size < 4) throw new AppError('AUTH_PASSWORD_WEAK', { min: MIN_PASSWORD });
}

/** A random password that passes the checks, for first-start accounts. */
export function generatePassword(): string {
  return randomBytes(12).toString('base64url');
}

export interface LoginContext {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

export class AuthService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #hasher: PasswordHasher;
  readonly #policy: AuthPolicy;
  #dummyHash: Promise<string> | undefined;

  constructor(deps: { store: Store; clock: Clock; hasher: PasswordHasher; policy?: Partial<AuthPolicy> }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#hasher = deps.hasher;
    this.#policy = { ...DEFAULT_AUTH_POLICY, ...deps.policy };
  }

  /**
   * Checks a username and password; on success opens a session and returns its secret token
   * (only its hash is stored). Unknown users and wrong passwords get the same error and take the
   * same time; a locked account says so.
   */
  async login(username: string, password: string, ctx: LoginContext): Promise<{ token: string; user: StaffUser; session: Session }> {
    const name = username.trim().toLowerCase().slice(0, 100);
    const user = await this.#store.staff.getWithHash(name);
    const now = this.#clock.now();
    const anonymous: Actor = { kind: 'staff', userId: user?.id ?? null, label: name || '?', grants: [], ip: ctx.ip, requestId: ctx.requestId };
    if (!user) {
      this.#dummyHash ??= this.#hasher.hash('not-a-real-password-0');
      await this.#hasher.verify(await this.#dummyHash, password);
      await this.#store.transaction((tx) => audit(tx, anonymous, now, { action: 'auth.login.failed', unitId: null, targetType: 'staff_user', targetId: null, after: { username: name, reason: 'unknown' } }));
      throw new AppError('AUTH_INVALID_CREDENTIALS');
    }
    if (user.lockedUntil && user.lockedUntil > now.toISOString()) {
      await this.#store.transaction((tx) => audit(tx, anonymous, now, { action: 'auth.login.failed', unitId: user.homeUnitId, targetType: 'staff_user', targetId: user.id, after: { reason: 'locked' } }));
      throw new AppError('AUTH_ACCOUNT_LOCKED', { minutes: Math.ceil((Date.parse(user.lockedUntil) - now.getTime()) / 60000) });
    }
    const ok = await this.#hasher.verify(user.passwordHash, password);
    if (!ok) {
      await this.#recordFailure(user, anonymous, now);
      throw new AppError('AUTH_INVALID_CREDENTIALS');
    }
    if (user.status !== 'active') {
      await this.#store.transaction((tx) => audit(tx, anonymous, now, { action: 'auth.login.failed', unitId: user.homeUnitId, targetType: 'staff_user', targetId: user.id, after: { reason: 'disabled' } }));
      throw new AppError('AUTH_ACCOUNT_DISABLED');
    }
    const token = randomBytes(32).toString('base64url');
    const session: Session = {
      id: sha256(token),
      userId: user.id,
      createdAt: now.toISOString(),
      lastSeenAt: now.toISOString(),
      expiresAt: this.#expiry(now, now).toISOString(),
    };
    await this.#store.transaction(async (tx) => {
      await tx.sessions.create({ ...session, ip: ctx.ip, userAgent: ctx.userAgent?.slice(0, 300) ?? null });
      await tx.staff.recordLogin(user.id, now.toISOString());
      await audit(tx, { ...anonymous, label: user.username }, now, { action: 'auth.login', unitId: user.homeUnitId, targetType: 'session', targetId: null, after: { userAgent: ctx.userAgent?.slice(0, 300) ?? null } });
    });
    const { passwordHash: _omit, ...plain } = user;
    return { token, user: plain, session };
  }

  /**
   * Counts a wrong password (at sign-in, or as the current password when changing it) and locks
   * the account when the count reaches the limit. A lock that has run out starts the count afresh.
   */
  async #recordFailure(user: StaffUser, actor: Actor, now: Date): Promise<void> {
    const expired = user.lockedUntil !== null && user.lockedUntil <= now.toISOString();
    const failures = (expired ? 0 : user.failedLogins) + 1;
    const lock = failures >= this.#policy.maxFailedLogins;
    const lockedUntil = lock ? new Date(now.getTime() + this.#policy.lockMinutes * 60000).toISOString() : null;
    await this.#store.transaction(async (tx) => {
      await tx.staff.recordFailedLogin(user.id, failures, lockedUntil, now.toISOString());
      await audit(tx, actor, now, { action: lock ? 'auth.lockout' : 'auth.login.failed', unitId: user.homeUnitId, targetType: 'staff_user', targetId: user.id, after: { failures, lockedUntil } });
    });
    if (lock) throw new AppError('AUTH_ACCOUNT_LOCKED', { minutes: this.#policy.lockMinutes });
  }

  #expiry(now: Date, createdAt: Date): Date {
    const idle = now.getTime() + this.#policy.sessionIdleMinutes * 60000;
    const max = createdAt.getTime() + this.#policy.sessionMaxHours * 3600000;
    return new Date(Math.min(idle, max));
  }

  /**
   * The actor behind a session token, or `AUTH_SESSION_EXPIRED` / `AUTH_REQUIRED`. Extends the
   * session's idle expiry at most once a minute, to keep writes off the hot path.
   */
  async actorForSession(token: string, ctx: { ip: string | null; requestId: string | null }): Promise<{ actor: Actor; user: StaffUser }> {
    const id = sha256(token);
    const session = await this.#store.sessions.get(id);
    if (!session) throw new AppError('AUTH_REQUIRED');
    const now = this.#clock.now();
    if (session.expiresAt <= now.toISOString()) {
      await this.#store.sessions.delete(id);
      throw new AppError('AUTH_SESSION_EXPIRED');
    }
    const user = await this.#store.staff.getById(session.userId);
    if (!user || user.status !== 'active') {
      await this.#store.sessions.delete(id);
      throw new AppError('AUTH_SESSION_EXPIRED');
    }
    if (now.getTime() - Date.parse(session.lastSeenAt) > 60000) {
      await this.#store.sessions.touch(id, now.toISOString(), this.#expiry(now, new Date(session.createdAt)).toISOString());
    }
    const grants = await this.#store.staff.effectiveGrants(user.id);
    return { actor: { kind: 'staff', userId: user.id, label: user.username, grants, locale: user.locale, ip: ctx.ip, requestId: ctx.requestId, sessionId: id }, user };
  }

  async logout(actor: Actor): Promise<void> {
    if (!actor.sessionId) return;
    const now = this.#clock.now();
    await this.#store.transaction(async (tx) => {
      await tx.sessions.delete(actor.sessionId!);
      await audit(tx, actor, now, { action: 'auth.logout', unitId: null, targetType: 'session', targetId: null });
    });
  }

  /** Changes one's own password; other sessions of the user are ended. */
  async changePassword(actor: Actor, current: string, next: string, confirm: string): Promise<void> {
    if (actor.userId === null) throw new AppError('AUTH_REQUIRED');
    const user = await this.#store.staff.getById(actor.userId);
    const hash = await this.#store.staff.getHashById(actor.userId);
    if (!user || !hash) throw new AppError('AUTH_REQUIRED');
    if (user.lockedUntil && user.lockedUntil > this.#clock.now().toISOString()) throw new AppError('AUTH_ACCOUNT_LOCKED', { minutes: Math.ceil((Date.parse(user.lockedUntil) - this.#clock.now().getTime()) / 60000) });
    if (!(await this.#hasher.verify(hash, current))) {
      // Guessing the current password from a stolen session counts like guessing at sign-in,
      // and a lock it causes ends every session of the account.
      try {
        await this.#recordFailure(user, actor, this.#clock.now());
      } catch (e) {
        if (e instanceof AppError && e.code === 'AUTH_ACCOUNT_LOCKED') await this.#store.sessions.deleteForUser(user.id);
        throw e;
      }
      throw new AppError('AUTH_INVALID_CREDENTIALS');
    }
    if (next !== confirm) throw new AppError('AUTH_PASSWORD_MISMATCH');
    checkPasswordStrength(next, user.username);
    const newHash = await this.#hasher.hash(next);
    const now = this.#clock.now();
    await this.#store.transaction(async (tx) => {
      await tx.staff.setPassword(user.id, newHash, now.toISOString());
      const ended = await tx.sessions.deleteForUser(user.id, actor.sessionId ?? undefined);
      await audit(tx, actor, now, { action: 'staff.password.change', unitId: user.homeUnitId, targetType: 'staff_user', targetId: user.id, after: { otherSessionsEnded: ended } });
    });
  }

  // ---------------------------------------------------------------- API tokens

  /**
   * Creates an API token for the actor, carrying one role at a unit and scope that the actor's
   * own grants cover. Returns the secret once; only its hash is kept.
   */
  async createToken(actor: Actor, input: { name: string; roleCode: string; unitId: number; scope: Scope; expiresInDays: number | null }): Promise<{ token: string; info: ApiToken }> {
    if (actor.userId === null || actor.kind !== 'staff') throw new AppError('AUTH_REQUIRED');
    const name = input.name.trim().slice(0, 100);
    if (!name) throw new AppError('VALIDATION', {}, [{ field: 'name', code: 'VALIDATION' }]);
    const role = await this.#store.staff.roleByCode(input.roleCode);
    if (!role) throw new AppError('STAFF_ROLE_NOT_FOUND', { role: input.roleCode });
    const place = await this.#store.org.place(input.unitId);
    if (!place) throw new AppError('ORG_UNIT_NOT_FOUND', { unit: input.unitId });
    if (!coversGrant(actor.grants, role.permissions, place, input.scope)) throw new AppError('STAFF_GRANT_EXCEEDS_OWN', { role: role.code });
    const secret = `lt_${randomBytes(32).toString('base64url')}`;
    const now = this.#clock.now();
    const expiresAt = input.expiresInDays ? new Date(now.getTime() + input.expiresInDays * 86400000).toISOString() : null;
    const info = await this.#store.transaction(async (tx) => {
      const t = await tx.staff.insertToken({ userId: actor.userId!, name, hash: sha256(secret), prefix: secret.slice(0, 10), roleId: role.id, unitId: input.unitId, scope: input.scope, expiresAt }, now.toISOString());
      await audit(tx, actor, now, { action: 'staff.token.create', unitId: input.unitId, targetType: 'api_token', targetId: t.id, after: t });
      return t;
    });
    return { token: secret, info };
  }

  tokensOf(actor: Actor): Promise<ApiToken[]> {
    if (actor.userId === null) return Promise.resolve([]);
    return this.#store.staff.tokensOf(actor.userId);
  }

  async revokeToken(actor: Actor, tokenId: number): Promise<void> {
    if (actor.userId === null) throw new AppError('AUTH_REQUIRED');
    const mine = (await this.#store.staff.tokensOf(actor.userId)).find((t) => t.id === tokenId);
    if (!mine) throw new AppError('STAFF_TOKEN_NOT_FOUND', { token: tokenId });
    const now = this.#clock.now();
    await this.#store.transaction(async (tx) => {
      await tx.staff.revokeToken(tokenId, now.toISOString());
      await audit(tx, actor, now, { action: 'staff.token.revoke', unitId: mine.unitId, targetType: 'api_token', targetId: tokenId, before: mine });
    });
  }

  /**
   * The actor behind a bearer token. Its grant is cut down to what the owner still holds, so a
   * token never outlives a revoked grant.
   */
  async actorForToken(secret: string, ctx: { ip: string | null; requestId: string | null }): Promise<Actor> {
    const t = await this.#store.staff.tokenByHash(sha256(secret));
    const now = this.#clock.now();
    if (!t || t.revokedAt || (t.expiresAt && t.expiresAt <= now.toISOString())) throw new AppError('AUTH_TOKEN_INVALID');
    const user = await this.#store.staff.getById(t.userId);
    if (!user || user.status !== 'active') throw new AppError('AUTH_TOKEN_INVALID');
    const role = (await this.#store.staff.roles()).find((r) => r.id === t.roleId);
    const place = await this.#store.org.place(t.unitId);
    const own = await this.#store.staff.effectiveGrants(user.id);
    const permissions = new Set((role?.permissions ?? []).filter((p) => place && coversGrant(own, [p], place, t.scope)));
    const grant: EffectiveGrant = { grantId: -t.id, roleCode: t.roleCode, unitId: t.unitId, scope: t.scope, permissions };
    if (!t.lastUsedAt || now.getTime() - Date.parse(t.lastUsedAt) > 60000) await this.#store.staff.touchToken(t.id, now.toISOString());
    return { kind: 'token', userId: user.id, label: `${user.username} (${t.prefix}…)`, grants: [grant], locale: user.locale, ip: ctx.ip, requestId: ctx.requestId };
  }
}
