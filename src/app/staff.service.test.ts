import { describe, expect, it } from 'vitest';
import { describeEachDialect, type TestDialect } from '../../test/dialects.js';
import { actorFor, PASSWORD, treeEnvEach, type SmallTree, type TreeActors } from '../../test/factories.js';
import { codeOf, count, counts as rowCounts, failure, latestAudit } from '../../test/expect.js';
import type { Container } from '../main/container.js';
import type { ErrorCode } from '../domain/errors.js';
import { systemActor, type Actor } from './actor.js';

const counts = (c: Container) => rowCounts(c, { users: 'staff_users', grants: 'grants', sessions: 'sessions', audit: 'audit_log' });
const ctx = { ip: '127.0.0.1', userAgent: 'vitest', requestId: null };
const sys = systemActor('test');

describeEachDialect('StaffService', (dialect: TestDialect) => {
  let c: Container;
  let t: SmallTree;
  let actors: TreeActors;
  treeEnvEach(dialect, (x) => ({ c, t, actors } = x));

  describe('create', () => {
    it('stores an argon2id hash, never the password, and audits the creation', async () => {
      const { user, password } = await c.services.staff.create(actors.distadmin, {
        username: ' Nguyen.Van-A_1 ',
        displayName: '  Nguyễn   Văn A '.normalize('NFD'),
        email: 'a@example.vn',
        homeUnitId: t.communeA2.id,
        password: 'mật khẩu đủ dài',
        locale: 'en',
      });
      expect(password).toBeNull();
      expect(user).toMatchObject({ username: 'nguyen.van-a_1', displayName: 'Nguyễn Văn A', email: 'a@example.vn', homeUnitId: t.communeA2.id, status: 'active', locale: 'en', failedLogins: 0, lockedUntil: null });
      const stored = await c.store.staff.getWithHash('nguyen.van-a_1');
      expect(stored!.passwordHash.startsWith('$argon2id$')).toBe(true);
      expect(stored!.passwordHash).not.toContain('mật khẩu');
      expect(await c.hasher.verify(stored!.passwordHash, 'mật khẩu đủ dài')).toBe(true);
      expect(await c.hasher.verify(stored!.passwordHash, 'mật khẩu sai rồi')).toBe(false);
      const entry = await latestAudit(c);
      expect(entry).toMatchObject({ action: 'staff.user.create', actorId: t.users.distadmin, unitId: t.communeA2.id, targetType: 'staff_user', targetId: String(user.id) });
      expect(JSON.stringify(entry)).not.toContain('$argon2id$');
      // The new account can sign in.
      expect((await c.services.auth.login('NGUYEN.VAN-A_1', 'mật khẩu đủ dài', ctx)).user.id).toBe(user.id);
    });

    it('generates a password when none is given, returned once, that signs in', async () => {
      const { user, password } = await c.services.staff.create(actors.netadmin, { username: 'auto', displayName: 'Tự động', homeUnitId: t.communeB1.id });
      expect(password).toMatch(/^[A-Za-z0-9_-]{16}$/);
      expect((await c.services.auth.login('auto', password!, ctx)).user.id).toBe(user.id);
    });

    it.each<[string, boolean]>([
      ['abc', true],
      ['nguyen.van-a_1', true],
      ['9lives', true],
      ['a'.repeat(50), true],
      ['ab', false],
      ['a'.repeat(51), false],
      ['-abc', false],
      ['.abc', false],
      ['_abc', false],
      ['has space', false],
      ['nguyễn', false],
      ['a@b', false],
    ])('username %j valid %s', async (username, valid) => {
      const before = await counts(c);
      const p = c.services.staff.create(actors.netadmin, { username, displayName: 'X', homeUnitId: t.communeA1.id, password: 'a fine password 42' });
      if (valid) {
        expect((await p).user.username).toBe(username);
      } else {
        const e = await failure(p);
        expect(e.code).toBe('VALIDATION');
        expect(e.details).toEqual([{ field: 'username', code: 'STAFF_USERNAME_INVALID' }]);
        expect(await counts(c)).toEqual(before);
      }
    });

    it.each<[string, string]>([
      ['too short', 'short1!'],
      ['nine characters', '123456789'],
      ['containing the username', 'xx-weakling-xx'],
      ['containing the username in capitals', 'my WEAKLING pass'],
      ['with fewer than four different characters', 'abcabcabcabc'],
      ['too long', 'ab1-'.repeat(65)],
    ])('refuses a password %s', async (_name, password) => {
      const before = await counts(c);
      const e = await failure(c.services.staff.create(actors.netadmin, { username: 'weakling', displayName: 'X', homeUnitId: t.communeA1.id, password }));
      expect(e.code).toBe('VALIDATION');
      expect(e.details).toEqual([{ field: 'password', code: 'AUTH_PASSWORD_WEAK', params: { min: 10 } }]);
      expect(await counts(c)).toEqual(before);
    });

    it('lists every problem at once', async () => {
      const e = await failure(c.services.staff.create(actors.netadmin, { username: 'x', displayName: ' ', email: 'nope', homeUnitId: t.communeA1.id, password: 'short' }));
      expect(e.details).toEqual([
        { field: 'username', code: 'STAFF_USERNAME_INVALID' },
        { field: 'displayName', code: 'VALIDATION', params: { max: 200 } },
        { field: 'email', code: 'VALIDATION' },
        { field: 'password', code: 'AUTH_PASSWORD_WEAK', params: { min: 10 } },
      ]);
    });

    it('refuses a taken username whatever its case', async () => {
      const before = await counts(c);
      expect(await codeOf(c.services.staff.create(actors.netadmin, { username: 'CommLib', displayName: 'X', homeUnitId: t.communeA1.id, password: 'a fine password 42' }))).toEqual({
        code: 'STAFF_USERNAME_TAKEN',
        params: { username: 'commlib' },
      });
      expect(await counts(c)).toEqual(before);
    });

    it('creates accounts only where the actor manages staff', async () => {
      const before = await counts(c);
      const mk = (actor: Actor, username: string, homeUnitId: number) => c.services.staff.create(actor, { username, displayName: 'X', homeUnitId, password: 'a fine password 42' });
      expect(await codeOf(mk(actors.distadmin, 'inb', t.communeB1.id))).toEqual({ code: 'PERMISSION_DENIED', params: { permission: 'staff.user.manage', unit: t.communeB1.id } });
      expect(await codeOf(mk(actors.commlib, 'ina1', t.communeA1.id))).toEqual({ code: 'PERMISSION_DENIED', params: { permission: 'staff.user.manage', unit: t.communeA1.id } });
      expect(await counts(c)).toEqual({ ...before, audit: before.audit + 2 });
      expect(await latestAudit(c)).toMatchObject({ action: 'security.denied', actorId: t.users.commlib, targetId: 'staff.user.manage' });
    });
  });

  describe('grant and revoke', () => {
    const grantsOf = async (userId: number) => (await c.store.staff.grantsOf(userId)).map((g) => [g.roleCode, g.unitCode, g.scope]);

    it('grants a role the granter holds there, refuses a duplicate, and revokes it', async () => {
      const id = await c.services.staff.grant(actors.distadmin, { userId: t.users.commlib, roleCode: 'librarian', unitId: t.communeA2.id, scope: 'unit' });
      expect(await grantsOf(t.users.commlib)).toEqual([
        ['librarian', 'COMM-A1', 'unit'],
        ['librarian', 'COMM-A2', 'unit'],
      ]);
      expect(await latestAudit(c)).toMatchObject({ action: 'staff.grant.add', unitId: t.communeA2.id, targetId: String(id), after: { user: 'commlib', role: 'librarian', unit: 'COMM-A2', scope: 'unit' } });
      const commlib = await actorFor(c, t.users.commlib);
      expect(await c.services.org.can(commlib, 'org.unit.edit', t.communeA2.id)).toBe(true);

      expect(await codeOf(c.services.staff.grant(actors.distadmin, { userId: t.users.commlib, roleCode: 'librarian', unitId: t.communeA2.id, scope: 'unit' }))).toEqual({
        code: 'STAFF_GRANT_EXISTS',
        params: { role: 'librarian' },
      });

      await c.services.staff.revoke(actors.distadmin, id);
      expect(await grantsOf(t.users.commlib)).toEqual([['librarian', 'COMM-A1', 'unit']]);
      expect(await latestAudit(c)).toMatchObject({ action: 'staff.grant.remove', unitId: t.communeA2.id, targetId: String(id) });
      expect(await c.services.org.can(await actorFor(c, t.users.commlib), 'org.unit.edit', t.communeA2.id)).toBe(false);
      expect(await codeOf(c.services.staff.revoke(actors.distadmin, id))).toEqual({ code: 'STAFF_GRANT_NOT_FOUND', params: { grant: id } });
    });

    it.each<[string, () => { userId: number; roleCode: string; unitId: number; scope: string }, ErrorCode, () => Record<string, unknown>]>([
      // A district admin cannot hand on more than they hold.
      ['network scope', () => ({ userId: t.users.commlib, roleCode: 'librarian', unitId: t.distA.id, scope: 'network' }), 'STAFF_GRANT_EXCEEDS_OWN', () => ({ role: 'librarian' })],
      ['network scope at the root', () => ({ userId: t.users.commlib, roleCode: 'auditor', unitId: t.root.id, scope: 'network' }), 'PERMISSION_DENIED', () => ({ permission: 'staff.grant.manage', unit: t.root.id })],
      ['a role with permissions they lack', () => ({ userId: t.users.commlib, roleCode: 'network_admin', unitId: t.distA.id, scope: 'subtree' }), 'STAFF_GRANT_EXCEEDS_OWN', () => ({ role: 'network_admin' })],
      // Granting at another district is refused by the permission check, which records the attempt.
      ['a role at another district', () => ({ userId: t.users.commlib, roleCode: 'librarian', unitId: t.communeB1.id, scope: 'unit' }), 'PERMISSION_DENIED', () => ({ permission: 'staff.grant.manage', unit: t.communeB1.id })],
      ['a subtree above their own', () => ({ userId: t.users.commlib, roleCode: 'librarian', unitId: t.prov.id, scope: 'subtree' }), 'PERMISSION_DENIED', () => ({ permission: 'staff.grant.manage', unit: t.prov.id })],
      ['an unknown scope', () => ({ userId: t.users.commlib, roleCode: 'librarian', unitId: t.distA.id, scope: 'galaxy' }), 'STAFF_SCOPE_INVALID', () => ({ scope: 'galaxy' })],
      ['an unknown role', () => ({ userId: t.users.commlib, roleCode: 'wizard', unitId: t.distA.id, scope: 'unit' }), 'STAFF_ROLE_NOT_FOUND', () => ({ role: 'wizard' })],
      ['an unknown user', () => ({ userId: 999999, roleCode: 'librarian', unitId: t.distA.id, scope: 'unit' }), 'STAFF_USER_NOT_FOUND', () => ({ user: 999999 })],
      // …nor hand roles in their own district to another district's staff.
      ['a role to someone of another district', () => ({ userId: t.users.otherlib, roleCode: 'librarian', unitId: t.communeA1.id, scope: 'unit' }), 'PERMISSION_DENIED', () => ({ permission: 'staff.grant.manage', unit: t.communeB1.id })],
    ])('a district admin granting %s is refused', async (_name, input, code, params) => {
      const before = await counts(c);
      const grantsBefore = await grantsOf(t.users.commlib);
      expect(await codeOf(c.services.staff.grant(actors.distadmin, input()))).toEqual({ code, params: params() });
      expect(await grantsOf(t.users.commlib)).toEqual(grantsBefore);
      // Refusals for lack of permission, and attempts to hand on more than one holds, are recorded.
      expect(await counts(c)).toEqual({ ...before, audit: before.audit + (code === 'PERMISSION_DENIED' || code === 'STAFF_GRANT_EXCEEDS_OWN' ? 1 : 0) });
    });

    it('a district admin may grant their own role over part of their subtree', async () => {
      await c.services.staff.grant(actors.distadmin, { userId: t.users.commlib, roleCode: 'library_admin', unitId: t.communeA1.id, scope: 'subtree' });
      expect(await grantsOf(t.users.commlib)).toEqual([
        ['librarian', 'COMM-A1', 'unit'],
        ['library_admin', 'COMM-A1', 'subtree'],
      ]);
    });

    it('refuses a grant at a closed unit', async () => {
      await c.services.org.reorganise(sys, { kind: 'close', unitId: t.communeA2.id, date: '2025-01-01' });
      expect(await codeOf(c.services.staff.grant(actors.netadmin, { userId: t.users.commlib, roleCode: 'librarian', unitId: t.communeA2.id, scope: 'unit' }))).toEqual({
        code: 'ORG_UNIT_CLOSED',
        params: { unit: 'COMM-A2', date: '2025-01-01' },
      });
    });

    it('revoking needs to cover the grant too', async () => {
      const [netGrant] = await c.store.staff.grantsOf(t.users.netadmin);
      const [otherGrant] = await c.store.staff.grantsOf(t.users.otherlib);
      const before = await counts(c);
      expect((await codeOf(c.services.staff.revoke(actors.distadmin, netGrant!.id))).code).toBe('PERMISSION_DENIED');
      expect((await codeOf(c.services.staff.revoke(actors.distadmin, otherGrant!.id))).code).toBe('PERMISSION_DENIED');
      expect(await codeOf(c.services.staff.revoke(actors.commlib, (await c.store.staff.grantsOf(t.users.commlib))[0]!.id))).toEqual({
        code: 'PERMISSION_DENIED',
        params: { permission: 'staff.grant.manage', unit: t.communeA1.id },
      });
      expect(await counts(c)).toEqual({ ...before, audit: before.audit + 3 });
    });

    it('a library admin cannot revoke a network grant held at their own unit', async () => {
      // An auditor grant with network scope, placed at DIST-A by the system.
      const id = await c.services.staff.grant(sys, { userId: t.users.commlib, roleCode: 'auditor', unitId: t.distA.id, scope: 'network' });
      expect(await codeOf(c.services.staff.revoke(actors.distadmin, id))).toEqual({ code: 'STAFF_GRANT_EXCEEDS_OWN', params: { role: 'auditor' } });
      await c.services.staff.revoke(actors.netadmin, id);
    });
  });

  describe('disable', () => {
    it('ends every session at once and refuses sign-in until re-enabled', async () => {
      const s1 = await c.services.auth.login('commlib', PASSWORD, ctx);
      const s2 = await c.services.auth.login('commlib', PASSWORD, ctx);
      const other = await c.services.auth.login('otherlib', PASSWORD, ctx);
      expect(await count(c, 'sessions')).toBe(3);

      await c.services.staff.setStatus(actors.distadmin, t.users.commlib, 'disabled');
      expect(await count(c, 'sessions')).toBe(1);
      expect((await codeOf(c.services.auth.actorForSession(s1.token, ctx))).code).toBe('AUTH_REQUIRED');
      expect((await codeOf(c.services.auth.actorForSession(s2.token, ctx))).code).toBe('AUTH_REQUIRED');
      expect((await c.services.auth.actorForSession(other.token, ctx)).user.username).toBe('otherlib');
      expect(await latestAudit(c)).toMatchObject({ action: 'staff.user.disable', targetId: String(t.users.commlib), before: { status: 'active' }, after: { status: 'disabled', sessionsEnded: 2 } });
      expect((await codeOf(c.services.auth.login('commlib', PASSWORD, ctx))).code).toBe('AUTH_ACCOUNT_DISABLED');

      await c.services.staff.setStatus(actors.distadmin, t.users.commlib, 'active');
      expect((await c.services.auth.login('commlib', PASSWORD, ctx)).user.status).toBe('active');
    });

    it('refuses disabling oneself and accounts out of reach', async () => {
      expect(await codeOf(c.services.staff.setStatus(actors.distadmin, t.users.distadmin, 'disabled'))).toEqual({ code: 'STAFF_CANNOT_DISABLE_SELF', params: {} });
      expect(await codeOf(c.services.staff.setStatus(actors.distadmin, t.users.otherlib, 'disabled'))).toEqual({
        code: 'PERMISSION_DENIED',
        params: { permission: 'staff.user.manage', unit: t.communeB1.id },
      });
      expect((await c.store.staff.getById(t.users.otherlib))?.status).toBe('active');
    });

    it('a reset password replaces the old one and ends sessions', async () => {
      const s = await c.services.auth.login('commlib', PASSWORD, ctx);
      const fresh = await c.services.staff.resetPassword(actors.distadmin, t.users.commlib);
      expect((await codeOf(c.services.auth.actorForSession(s.token, ctx))).code).toBe('AUTH_REQUIRED');
      expect((await codeOf(c.services.auth.login('commlib', PASSWORD, ctx))).code).toBe('AUTH_INVALID_CREDENTIALS');
      expect((await c.services.auth.login('commlib', fresh, ctx)).user.id).toBe(t.users.commlib);
    });
  });

  describe('list', () => {
    it.each<['netadmin' | 'distadmin' | 'commlib' | 'otherlib', string[]]>([
      ['netadmin', ['commlib', 'distadmin', 'netadmin', 'otherlib']],
      ['distadmin', ['commlib', 'distadmin']],
      ['commlib', ['commlib']],
      ['otherlib', ['otherlib']],
    ])('%s sees %j', async (who, usernames) => {
      expect((await c.services.staff.list(actors[who])).map((u) => u.username)).toEqual(usernames);
    });

    it('filters by a query on username or display name, case-insensitively, with LIKE characters taken literally', async () => {
      await c.services.staff.create(sys, { username: 'ha.nguyen', displayName: 'Nguyễn Thị Thu Hà', homeUnitId: t.communeA2.id, password: 'a fine password 42' });
      await c.services.staff.create(sys, { username: 'percent', displayName: '100% sure', homeUnitId: t.communeA2.id, password: 'a fine password 42' });
      expect((await c.services.staff.list(actors.netadmin, 'LIB')).map((u) => u.username)).toEqual(['commlib', 'otherlib']);
      expect((await c.services.staff.list(actors.netadmin, 'thu hà')).map((u) => u.username)).toEqual(['ha.nguyen']);
      expect((await c.services.staff.list(actors.netadmin, '%')).map((u) => u.username)).toEqual(['percent']);
      expect((await c.services.staff.list(actors.netadmin, '_')).map((u) => u.username)).toEqual([]);
      expect((await c.services.staff.list(actors.distadmin, 'a')).map((u) => u.username)).toEqual(['distadmin', 'ha.nguyen']);
    });

    it('follows the tree after a move: staff moved out of a district leave its admin’s view', async () => {
      await c.services.org.reorganise(sys, { kind: 'move', unitId: t.communeA1.id, date: '2025-01-01', parentId: t.distB.id });
      expect((await c.services.staff.list(actors.distadmin)).map((u) => u.username)).toEqual(['distadmin']);
    });

    it('get shows an account and its grants only within reach', async () => {
      const { user, grants } = await c.services.staff.get(actors.distadmin, t.users.commlib);
      expect(user.username).toBe('commlib');
      expect(grants.map((g) => g.roleCode)).toEqual(['librarian']);
      expect((await codeOf(c.services.staff.get(actors.distadmin, t.users.otherlib))).code).toBe('PERMISSION_DENIED');
      expect((await codeOf(c.services.staff.get(actors.distadmin, 999999))).code).toBe('STAFF_USER_NOT_FOUND');
    });
  });
});
