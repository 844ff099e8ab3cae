import { beforeEach, describe, expect, it } from 'vitest';
import { describeEachDialect, type TestDialect } from '../../test/dialects.js';
import { actorFor, PASSWORD, treeEnvEach, type SmallTree, type TestEnv, type TreeActors } from '../../test/factories.js';
import { codeOf, failure, sessionIds } from '../../test/expect.js';
import type { Container } from '../main/container.js';
import type { ErrorCode } from '../domain/errors.js';
import { systemActor, type Actor } from './actor.js';
import { checkPasswordStrength, sha256 } from './auth.service.js';

const ctx = { ip: '203.0.113.9', userAgent: 'vitest', requestId: 'req-1' };
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const sys = systemActor('test');

describe('checkPasswordStrength', () => {
  it.each<[string, string, boolean]>([
    ['correct horse battery', 'commlib', true],
    ['0123456789', 'commlib', true],
    ['012345678', 'commlib', false],
    ['xcommlibx-42', 'commlib', false],
    ['XCOMMLIBX-42', 'commlib', false],
    ['aaaaaaaaaaaa', 'commlib', false],
    ['abababababab', 'commlib', false],
    ['abcabcabcabc', 'commlib', false],
    ['abcdabcdabcd', 'commlib', true],
    ['a'.repeat(253) + 'bcd', 'commlib', true],
    ['a'.repeat(254) + 'bcd', 'commlib', false],
  ])('%j for %s → accepted %s', (password, username, ok) => {
    if (ok) expect(() => checkPasswordStrength(password, username)).not.toThrow();
    else expect(() => checkPasswordStrength(password, username)).toThrow(expect.objectContaining({ code: 'AUTH_PASSWORD_WEAK', params: { min: 10 } }));
  });
});

describeEachDialect('AuthService', (dialect: TestDialect) => {
  let env: TestEnv;
  let c: Container;
  let t: SmallTree;
  let actors: TreeActors;
  treeEnvEach(dialect, (x) => ({ env, c, t, actors } = x));

  describe('login', () => {
    it('opens a session stored under the SHA-256 of its token, never the token itself', async () => {
      const { token, user, session } = await c.services.auth.login('  CommLib ', PASSWORD, ctx);
      expect(user).toMatchObject({ id: t.users.commlib, username: 'commlib' });
      expect(user).not.toHaveProperty('passwordHash');
      expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(session.id).toBe(sha256(token));
      expect(session.id).toMatch(/^[0-9a-f]{64}$/);
      expect(await sessionIds(c)).toEqual([sha256(token)]);
      const rows = await c.handle.db.selectFrom('sessions').selectAll().execute();
      expect(JSON.stringify(rows)).not.toContain(token);
      expect(rows[0]).toMatchObject({ user_id: t.users.commlib, ip: '203.0.113.9', user_agent: 'vitest' });
      expect(session).toMatchObject({ createdAt: '2026-03-15T03:00:00.000Z', lastSeenAt: '2026-03-15T03:00:00.000Z', expiresAt: '2026-03-15T15:00:00.000Z' });

      const { actor } = await c.services.auth.actorForSession(token, { ip: null, requestId: null });
      expect(actor).toMatchObject({ kind: 'staff', userId: t.users.commlib, label: 'commlib', sessionId: sha256(token) });
      expect(actor.grants.map((g) => [g.roleCode, g.unitId, g.scope])).toEqual([['librarian', t.communeA1.id, 'unit']]);
      expect((await c.store.staff.getById(t.users.commlib))?.lastLoginAt).toBe('2026-03-15T03:00:00.000Z');
      expect((await c.store.audit.list({ limit: 1 }))[0]).toMatchObject({ action: 'auth.login', actorId: t.users.commlib, actorLabel: 'commlib', ip: '203.0.113.9', requestId: 'req-1' });
    });

    it('gives every login its own session', async () => {
      const a = await c.services.auth.login('commlib', PASSWORD, ctx);
      const b = await c.services.auth.login('commlib', PASSWORD, ctx);
      expect(a.token).not.toBe(b.token);
      expect(await sessionIds(c)).toEqual([sha256(a.token), sha256(b.token)].sort());
    });

    it('refuses a wrong password and an unknown user with the same error', async () => {
      const wrong = await failure(c.services.auth.login('commlib', 'wrong password!', ctx));
      const unknown = await failure(c.services.auth.login('nobody', PASSWORD, ctx));
      for (const e of [wrong, unknown]) {
        expect([e.code, e.status, e.params, e.message]).toEqual(['AUTH_INVALID_CREDENTIALS', 401, {}, 'AUTH_INVALID_CREDENTIALS']);
      }
      expect(await sessionIds(c)).toEqual([]);
      expect((await c.store.staff.getById(t.users.commlib))?.failedLogins).toBe(1);
      const [last, first] = await c.store.audit.list({ limit: 2 });
      expect(first).toMatchObject({ action: 'auth.login.failed', actorId: t.users.commlib, targetId: String(t.users.commlib), after: { failures: 1, lockedUntil: null } });
      expect(last).toMatchObject({ action: 'auth.login.failed', actorId: null, actorLabel: 'nobody', targetId: null, after: { username: 'nobody', reason: 'unknown' } });
    });

    it('locks the account after 5 failures in a row, even against the right password, until the lock time passes', async () => {
      for (let i = 1; i <= 4; i++) {
        expect((await codeOf(c.services.auth.login('commlib', `wrong password ${i}`, ctx))).code).toBe('AUTH_INVALID_CREDENTIALS');
      }
      expect(await codeOf(c.services.auth.login('commlib', 'wrong password 5', ctx))).toEqual({ code: 'AUTH_ACCOUNT_LOCKED', params: { minutes: 15 } });
      expect(await c.store.staff.getById(t.users.commlib)).toMatchObject({ failedLogins: 5, lockedUntil: '2026-03-15T03:15:00.000Z' });
      expect((await c.store.audit.list({ limit: 1 }))[0]).toMatchObject({ action: 'auth.lockout', targetId: String(t.users.commlib) });

      expect(await codeOf(c.services.auth.login('commlib', PASSWORD, ctx))).toEqual({ code: 'AUTH_ACCOUNT_LOCKED', params: { minutes: 15 } });
      env.clock.advance(10 * MINUTE);
      expect(await codeOf(c.services.auth.login('commlib', PASSWORD, ctx))).toEqual({ code: 'AUTH_ACCOUNT_LOCKED', params: { minutes: 5 } });
      env.clock.advance(5 * MINUTE - 1000);
      expect(await codeOf(c.services.auth.login('commlib', PASSWORD, ctx))).toEqual({ code: 'AUTH_ACCOUNT_LOCKED', params: { minutes: 1 } });
      expect(await sessionIds(c)).toEqual([]);
      // Other accounts are not affected.
      await c.services.auth.login('otherlib', PASSWORD, ctx);

      env.clock.advance(1000);
      const ok = await c.services.auth.login('commlib', PASSWORD, ctx);
      expect(ok.user.id).toBe(t.users.commlib);
      expect(await c.store.staff.getById(t.users.commlib)).toMatchObject({ failedLogins: 0, lockedUntil: null });
    });

    it('starts counting afresh once a lock has run out, so one more mistake does not lock again', async () => {
      for (let i = 1; i <= 5; i++) await codeOf(c.services.auth.login('commlib', `wrong password ${i}`, ctx));
      env.clock.advance(16 * MINUTE);
      expect((await codeOf(c.services.auth.login('commlib', 'still wrong!', ctx))).code).toBe('AUTH_INVALID_CREDENTIALS');
      expect(await c.store.staff.getById(t.users.commlib)).toMatchObject({ failedLogins: 1, lockedUntil: null });
      expect((await c.services.auth.login('commlib', PASSWORD, ctx)).user.id).toBe(t.users.commlib);
    });

    it('counts wrong current passwords when changing it, and a lock ends every session', async () => {
      const { token } = await c.services.auth.login('commlib', PASSWORD, ctx);
      const { actor } = await c.services.auth.actorForSession(token, ctx);
      for (let i = 1; i <= 4; i++) expect((await codeOf(c.services.auth.changePassword(actor, `guess number ${i}`, 'a new password 1', 'a new password 1'))).code).toBe('AUTH_INVALID_CREDENTIALS');
      expect((await codeOf(c.services.auth.changePassword(actor, 'guess number 5', 'a new password 1', 'a new password 1'))).code).toBe('AUTH_ACCOUNT_LOCKED');
      expect(await sessionIds(c)).toEqual([]);
      expect((await codeOf(c.services.auth.login('commlib', PASSWORD, ctx))).code).toBe('AUTH_ACCOUNT_LOCKED');
    });

    it('a success resets the failure count', async () => {
      for (let i = 1; i <= 4; i++) await codeOf(c.services.auth.login('commlib', 'wrong password!', ctx));
      await c.services.auth.login('commlib', PASSWORD, ctx);
      for (let i = 1; i <= 4; i++) expect((await codeOf(c.services.auth.login('commlib', 'wrong password!', ctx))).code).toBe('AUTH_INVALID_CREDENTIALS');
    });
  });

  describe('sessions', () => {
    it('expire after 12 hours without a request', async () => {
      const { token } = await c.services.auth.login('commlib', PASSWORD, ctx);
      env.clock.advance(12 * HOUR - 1);
      expect((await c.services.auth.actorForSession(token, ctx)).user.id).toBe(t.users.commlib);
      // That request moved the idle expiry on: 12 hours from now.
      env.clock.advance(12 * HOUR - 1);
      expect((await c.services.auth.actorForSession(token, ctx)).user.id).toBe(t.users.commlib);
      env.clock.advance(12 * HOUR);
      expect((await codeOf(c.services.auth.actorForSession(token, ctx))).code).toBe('AUTH_SESSION_EXPIRED');
      // An expired session is deleted; using it again is simply not signed in.
      expect(await sessionIds(c)).toEqual([]);
      expect((await codeOf(c.services.auth.actorForSession(token, ctx))).code).toBe('AUTH_REQUIRED');
    });

    it('expire at exactly the idle limit', async () => {
      const { token } = await c.services.auth.login('commlib', PASSWORD, ctx);
      env.clock.advance(12 * HOUR);
      expect((await codeOf(c.services.auth.actorForSession(token, ctx))).code).toBe('AUTH_SESSION_EXPIRED');
    });

    it('end after 7 days even when used all the time', async () => {
      const { token } = await c.services.auth.login('commlib', PASSWORD, ctx);
      for (let h = 0; h < 7 * 24 - 6; h += 6) {
        env.clock.advance(6 * HOUR);
        await c.services.auth.actorForSession(token, ctx);
      }
      // 6 days 18 hours in: still open, but ending at the 7-day mark.
      expect((await c.store.sessions.get(sha256(token)))?.expiresAt).toBe(new Date(Date.parse('2026-03-15T03:00:00.000Z') + 7 * DAY).toISOString());
      env.clock.advance(6 * HOUR);
      expect((await codeOf(c.services.auth.actorForSession(token, ctx))).code).toBe('AUTH_SESSION_EXPIRED');
    });

    it('an unknown token is not signed in', async () => {
      expect((await codeOf(c.services.auth.actorForSession('made-up', ctx))).code).toBe('AUTH_REQUIRED');
    });

    it('logout deletes the session', async () => {
      const a = await c.services.auth.login('commlib', PASSWORD, ctx);
      const b = await c.services.auth.login('commlib', PASSWORD, ctx);
      const { actor } = await c.services.auth.actorForSession(a.token, ctx);
      await c.services.auth.logout(actor);
      expect(await sessionIds(c)).toEqual([sha256(b.token)]);
      expect((await codeOf(c.services.auth.actorForSession(a.token, ctx))).code).toBe('AUTH_REQUIRED');
    });
  });

  describe('changePassword', () => {
    it('changes the password and ends the user’s other sessions, keeping this one', async () => {
      const here = await c.services.auth.login('commlib', PASSWORD, ctx);
      const elsewhere = await c.services.auth.login('commlib', PASSWORD, ctx);
      const other = await c.services.auth.login('otherlib', PASSWORD, ctx);
      const { actor } = await c.services.auth.actorForSession(here.token, ctx);
      await c.services.auth.changePassword(actor, PASSWORD, 'a brand new secret', 'a brand new secret');

      expect((await c.services.auth.actorForSession(here.token, ctx)).user.id).toBe(t.users.commlib);
      expect((await codeOf(c.services.auth.actorForSession(elsewhere.token, ctx))).code).toBe('AUTH_REQUIRED');
      expect((await c.services.auth.actorForSession(other.token, ctx)).user.id).toBe(t.users.otherlib);
      expect((await codeOf(c.services.auth.login('commlib', PASSWORD, ctx))).code).toBe('AUTH_INVALID_CREDENTIALS');
      expect((await c.services.auth.login('commlib', 'a brand new secret', ctx)).user.id).toBe(t.users.commlib);
      expect((await c.store.staff.getWithHash('commlib'))!.passwordHash.startsWith('$argon2id$')).toBe(true);
      const changes = await c.store.audit.list({ limit: 10, action: 'staff.password.change' });
      expect(changes).toHaveLength(1);
      expect(changes[0]).toMatchObject({ actorId: t.users.commlib, after: { otherSessionsEnded: 1 } });
    });

    it.each<[string, string, string, ErrorCode]>([
      ['a wrong current password', 'not my password', 'a brand new secret', 'AUTH_INVALID_CREDENTIALS'],
      ['a confirmation that differs', PASSWORD, 'a brand new secreT', 'AUTH_PASSWORD_MISMATCH'],
      ['a weak new password', PASSWORD, 'short', 'AUTH_PASSWORD_WEAK'],
      ['a new password containing the username', PASSWORD, 'commlib-2026!', 'AUTH_PASSWORD_WEAK'],
    ])('refuses %s and changes nothing', async (_name, current, next, code) => {
      const here = await c.services.auth.login('commlib', PASSWORD, ctx);
      const elsewhere = await c.services.auth.login('commlib', PASSWORD, ctx);
      const { actor } = await c.services.auth.actorForSession(here.token, ctx);
      const confirm = code === 'AUTH_PASSWORD_MISMATCH' ? 'a brand new secret' : next;
      expect((await codeOf(c.services.auth.changePassword(actor, current, next, confirm))).code).toBe(code);
      expect((await c.services.auth.actorForSession(elsewhere.token, ctx)).user.id).toBe(t.users.commlib);
      expect((await c.services.auth.login('commlib', PASSWORD, ctx)).user.id).toBe(t.users.commlib);
    });
  });

  describe('API tokens', () => {
    let distadmin: Actor;
    beforeEach(() => {
      distadmin = actors.distadmin;
    });

    it('a created secret works through actorForToken; only its hash is stored', async () => {
      const { token, info } = await c.services.auth.createToken(distadmin, { name: ' sync script ', roleCode: 'librarian', unitId: t.distA.id, scope: 'subtree', expiresInDays: null });
      expect(token).toMatch(/^lt_[A-Za-z0-9_-]{43}$/);
      expect(info).toMatchObject({ userId: t.users.distadmin, name: 'sync script', prefix: token.slice(0, 10), roleCode: 'librarian', unitId: t.distA.id, scope: 'subtree', expiresAt: null, revokedAt: null });
      const rows = await c.handle.db.selectFrom('api_tokens').selectAll().execute();
      expect(rows.map((r) => r.token_hash)).toEqual([sha256(token)]);
      expect(JSON.stringify(rows)).not.toContain(token);

      const actor = await c.services.auth.actorForToken(token, { ip: null, requestId: null });
      expect(actor).toMatchObject({ kind: 'token', userId: t.users.distadmin, label: `distadmin (${token.slice(0, 10)}…)` });
      expect(actor.grants.map((g) => [g.roleCode, g.unitId, g.scope, [...g.permissions].sort()])).toEqual([
        ['librarian', t.distA.id, 'subtree', ['catalog.export', 'catalog.item.manage', 'catalog.record.create', 'catalog.record.edit', 'digital.object.manage', 'org.unit.edit', 'org.unit.view', 'reader.manage', 'site.manage', 'staff.user.view']],
      ]);
      // The token acts within its own grant: it may edit a commune of DIST-A but not reorganise it.
      const u = await c.services.org.update(actor, t.communeA2.id, t.communeA2.version, { slug: t.communeA2.slug, phone: '0297 123 456' });
      expect(u.phone).toBe('0297 123 456');
      expect((await codeOf(c.services.org.reorganise(actor, { kind: 'close', unitId: t.communeA2.id, date: '2025-01-01' }))).code).toBe('PERMISSION_DENIED');
      expect((await codeOf(c.services.org.update(actor, t.communeB1.id, t.communeB1.version, { slug: t.communeB1.slug }))).code).toBe('PERMISSION_DENIED');
      expect((await c.services.auth.tokensOf(distadmin))[0]?.lastUsedAt).toBe('2026-03-15T03:00:00.000Z');
    });

    it('a revoked token is refused', async () => {
      const { token, info } = await c.services.auth.createToken(distadmin, { name: 'x', roleCode: 'librarian', unitId: t.distA.id, scope: 'subtree', expiresInDays: null });
      await c.services.auth.revokeToken(distadmin, info.id);
      expect(await codeOf(c.services.auth.actorForToken(token, ctx))).toEqual({ code: 'AUTH_TOKEN_INVALID', params: {} });
      // Someone else cannot revoke it (or even see it).
      const other = await c.services.auth.createToken(distadmin, { name: 'y', roleCode: 'librarian', unitId: t.distA.id, scope: 'unit', expiresInDays: null });
      const commlib = await actorFor(c, t.users.commlib);
      expect((await codeOf(c.services.auth.revokeToken(commlib, other.info.id))).code).toBe('STAFF_TOKEN_NOT_FOUND');
      expect((await c.services.auth.actorForToken(other.token, ctx)).userId).toBe(t.users.distadmin);
    });

    it('an expired token is refused', async () => {
      const { token } = await c.services.auth.createToken(distadmin, { name: 'x', roleCode: 'librarian', unitId: t.distA.id, scope: 'unit', expiresInDays: 30 });
      env.clock.advance(30 * DAY - 1);
      expect((await c.services.auth.actorForToken(token, ctx)).userId).toBe(t.users.distadmin);
      env.clock.advance(1);
      expect(await codeOf(c.services.auth.actorForToken(token, ctx))).toEqual({ code: 'AUTH_TOKEN_INVALID', params: {} });
    });

    it.each(['made-up', 'lt_', ''])('an unknown secret %j is refused', async (secret) => {
      expect((await codeOf(c.services.auth.actorForToken(secret, ctx))).code).toBe('AUTH_TOKEN_INVALID');
    });

    it('a token of a disabled account is refused', async () => {
      const { token } = await c.services.auth.createToken(distadmin, { name: 'x', roleCode: 'librarian', unitId: t.distA.id, scope: 'unit', expiresInDays: null });
      await c.services.staff.setStatus(sys, t.users.distadmin, 'disabled');
      expect((await codeOf(c.services.auth.actorForToken(token, ctx))).code).toBe('AUTH_TOKEN_INVALID');
    });

    it('cannot be made wider than the owner’s own grants', async () => {
      expect(await codeOf(c.services.auth.createToken(distadmin, { name: 'x', roleCode: 'librarian', unitId: t.distA.id, scope: 'network', expiresInDays: null }))).toEqual({
        code: 'STAFF_GRANT_EXCEEDS_OWN',
        params: { role: 'librarian' },
      });
      expect((await codeOf(c.services.auth.createToken(distadmin, { name: 'x', roleCode: 'librarian', unitId: t.communeB1.id, scope: 'unit', expiresInDays: null }))).code).toBe('STAFF_GRANT_EXCEEDS_OWN');
      expect((await codeOf(c.services.auth.createToken(distadmin, { name: 'x', roleCode: 'network_admin', unitId: t.distA.id, scope: 'subtree', expiresInDays: null }))).code).toBe('STAFF_GRANT_EXCEEDS_OWN');
      expect((await codeOf(c.services.auth.createToken(distadmin, { name: '  ', roleCode: 'librarian', unitId: t.distA.id, scope: 'unit', expiresInDays: null }))).code).toBe('VALIDATION');
      expect((await codeOf(c.services.auth.createToken(sys, { name: 'x', roleCode: 'librarian', unitId: t.distA.id, scope: 'unit', expiresInDays: null }))).code).toBe('AUTH_REQUIRED');
      expect(await c.handle.db.selectFrom('api_tokens').select('id').execute()).toEqual([]);
    });

    it('shrinks when the owner loses a grant, and grows back only as far as the token’s own role', async () => {
      const { token } = await c.services.auth.createToken(distadmin, { name: 'x', roleCode: 'library_admin', unitId: t.distA.id, scope: 'subtree', expiresInDays: null });
      const perms = async () => [...(await c.services.auth.actorForToken(token, ctx)).grants[0]!.permissions].sort();
      expect(await perms()).toEqual([
        'audit.view',
        'catalog.export',
        'catalog.import',
        'catalog.item.manage',
        'catalog.record.create',
        'catalog.record.edit',
        'digital.collection.manage',
        'digital.object.manage',
        'digital.object.publish',
        'digital.targets.manage',
        'interop.manage',
        'jobs.manage',
        'org.settings.edit',
        'org.unit.create',
        'org.unit.edit',
        'org.unit.reorganise',
        'org.unit.view',
        'reader.manage',
        'site.manage',
        'staff.grant.manage',
        'staff.user.manage',
        'staff.user.view',
      ]);
      // The owner gets a librarian grant too, then loses the library_admin one.
      await c.services.staff.grant(sys, { userId: t.users.distadmin, roleCode: 'librarian', unitId: t.distA.id, scope: 'subtree' });
      const adminGrant = (await c.store.staff.grantsOf(t.users.distadmin)).find((g) => g.roleCode === 'library_admin')!;
      await c.services.staff.revoke(sys, adminGrant.id);
      expect(await perms()).toEqual(['catalog.export', 'catalog.item.manage', 'catalog.record.create', 'catalog.record.edit', 'digital.object.manage', 'org.unit.edit', 'org.unit.view', 'reader.manage', 'site.manage', 'staff.user.view']);
      const actor = await c.services.auth.actorForToken(token, ctx);
      expect((await codeOf(c.services.org.reorganise(actor, { kind: 'close', unitId: t.communeA2.id, date: '2025-01-01' }))).code).toBe('PERMISSION_DENIED');

      // A grant narrower than the token covers only the part it reaches: a unit grant does not cover a subtree.
      const librarianGrant = (await c.store.staff.grantsOf(t.users.distadmin)).find((g) => g.roleCode === 'librarian')!;
      await c.services.staff.revoke(sys, librarianGrant.id);
      await c.services.staff.grant(sys, { userId: t.users.distadmin, roleCode: 'librarian', unitId: t.distA.id, scope: 'unit' });
      expect(await perms()).toEqual([]);

      // A network grant gives the token back its role, but never more than that role.
      await c.services.staff.grant(sys, { userId: t.users.distadmin, roleCode: 'network_admin', unitId: t.root.id, scope: 'network' });
      expect(await perms()).toHaveLength(22);
    });
  });
});
