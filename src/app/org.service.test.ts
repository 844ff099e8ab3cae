import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDialect, type TestDialect } from '../../test/dialects.js';
import { actorFor, treeEnvEach, type SmallTree, type TreeActors } from '../../test/factories.js';
import { codeOf, count, counts as rowCounts, latestAudit } from '../../test/expect.js';
import type { Container } from '../main/container.js';
import { AppError, type ErrorCode } from '../domain/errors.js';
import { systemActor } from './actor.js';
import type { OrgUnit } from '../domain/org/unit.js';

// ---------------------------------------------------------------- helpers

/** Row counts of everything a tree operation may write. */
const counts = (c: Container) =>
  rowCounts(c, {
    units: 'org_units',
    events: 'org_events',
    audit: 'audit_log',
    grants: 'grants',
    settings: 'unit_settings',
    groups: 'library_groups',
    members: 'library_group_members',
  });

/** Everything about the current units that a write could change. */
async function snapshot(c: Container) {
  return (await c.store.org.list()).map(({ createdAt: _c, ...u }) => u);
}

const byCode = async (c: Container, code: string): Promise<OrgUnit> => {
  const u = await c.store.org.getByCode(code);
  if (!u) throw new Error(`no unit ${code}`);
  return u;
};

const sys = systemActor('test');

// ---------------------------------------------------------------- suites

describeEachDialect('OrgService', (dialect: TestDialect) => {
  let c: Container;
  let t: SmallTree;
  let actors: TreeActors;
  treeEnvEach(dialect, (x) => ({ c, t, actors } = x));

  describe('the small tree', () => {
    it('has the expected paths and depths', async () => {
      const units = await c.store.org.list();
      expect(units.map((u) => [u.code, u.path, u.depth])).toEqual([
        ['ROOT', `/${t.root.id}/`, 0],
        ['PROV', `/${t.root.id}/${t.prov.id}/`, 1],
        ['DIST-A', `/${t.root.id}/${t.prov.id}/${t.distA.id}/`, 2],
        ['COMM-A1', `/${t.root.id}/${t.prov.id}/${t.distA.id}/${t.communeA1.id}/`, 3],
        ['COMM-A2', `/${t.root.id}/${t.prov.id}/${t.distA.id}/${t.communeA2.id}/`, 3],
        ['DIST-B', `/${t.root.id}/${t.prov.id}/${t.distB.id}/`, 2],
        ['COMM-B1', `/${t.root.id}/${t.prov.id}/${t.distB.id}/${t.communeB1.id}/`, 3],
      ]);
    });
  });

  // -------------------------------------------------------------- create

  describe('create', () => {
    it('creates a unit with its path, a create event and an audit entry', async () => {
      const u = await c.services.org.create(actors.distadmin, {
        code: ' rr-1 ',
        nameVi: 'Phòng đọc ấp Một'.normalize('NFD'),
        typeCode: 'reading_room',
        parentId: t.communeA1.id,
        openedOn: '2020-05-19',
        address: '  ấp Một,   xã A1 ',
      });
      expect(u).toMatchObject({
        code: 'RR-1',
        slug: 'phong-doc-ap-mot',
        nameVi: 'Phòng đọc ấp Một',
        nameEn: 'Phòng đọc ấp Một',
        typeCode: 'reading_room',
        parentId: t.communeA1.id,
        path: `${t.communeA1.path}${u.id}/`,
        depth: 4,
        status: 'active',
        mergedIntoId: null,
        openedOn: '2020-05-19',
        endedOn: null,
        address: 'ấp Một, xã A1',
        version: 1,
      });
      expect(await c.store.org.getById(u.id)).toEqual(u);

      const events = await c.store.org.eventsOfUnit(u.id);
      expect(events).toHaveLength(1);
      expect(events[0]).toMatchObject({
        unitId: u.id,
        kind: 'create',
        effectiveDate: '2020-05-19',
        data: { code: 'RR-1', nameVi: 'Phòng đọc ấp Một', nameEn: 'Phòng đọc ấp Một', typeCode: 'reading_room', parentId: t.communeA1.id },
        actorId: t.users.distadmin,
      });

      const entry = await latestAudit(c);
      expect(entry).toMatchObject({ action: 'org.unit.create', actorId: t.users.distadmin, actorLabel: 'distadmin', unitId: u.id, targetType: 'org_unit', targetId: String(u.id) });
      expect(entry!.after).toMatchObject({ id: u.id, code: 'RR-1', path: u.path });
    });

    it('writes the unit and its audit entry in one transaction: when the audit write fails, no unit is left', async () => {
      // A fault injected in the database itself: inserting this audit action fails.
      if (dialect === 'sqlite') {
        await sql`CREATE TRIGGER audit_fail BEFORE INSERT ON audit_log WHEN NEW.action = 'org.unit.create' BEGIN SELECT RAISE(ABORT, 'audit down'); END`.execute(c.handle.db);
      } else {
        await sql`CREATE FUNCTION audit_fail() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF NEW.action = 'org.unit.create' THEN RAISE EXCEPTION 'audit down'; END IF; RETURN NEW; END $$`.execute(c.handle.db);
        await sql`CREATE TRIGGER audit_fail BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_fail()`.execute(c.handle.db);
      }
      const before = await counts(c);
      await expect(c.services.org.create(actors.netadmin, { code: 'NEW', nameVi: 'Mới', typeCode: 'commune', parentId: t.distA.id, openedOn: '2020-01-01' })).rejects.toThrow(/audit down/);
      expect(await counts(c)).toEqual(before);
      expect(await c.store.org.getByCode('NEW')).toBeUndefined();
    });

    it('refuses a taken code (whatever its case) and writes nothing', async () => {
      const before = await counts(c);
      const err = await c.services.org.create(actors.netadmin, { code: 'comm-a2', nameVi: 'Trùng mã', typeCode: 'commune', parentId: t.distB.id, openedOn: '2020-01-01' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('ORG_CODE_TAKEN');
      expect((err as AppError).params).toEqual({ code: 'COMM-A2' });
      expect((err as AppError).details).toEqual([{ field: 'code', code: 'ORG_CODE_TAKEN', params: { code: 'COMM-A2' } }]);
      expect(await counts(c)).toEqual(before);
    });

    it('suffixes an automatic slug that is taken, and refuses an explicit one', async () => {
      const mk = (code: string, slug?: string) => c.services.org.create(actors.netadmin, { code, nameVi: 'Thư viện xã Mới', typeCode: 'commune', parentId: t.distB.id, openedOn: '2020-01-01', ...(slug ? { slug } : {}) });
      expect((await mk('N1')).slug).toBe('thu-vien-xa-moi');
      expect((await mk('N2')).slug).toBe('thu-vien-xa-moi-2');
      expect((await mk('N3')).slug).toBe('thu-vien-xa-moi-3');
      expect((await mk('N4', 'rieng')).slug).toBe('rieng');
      const before = await counts(c);
      expect(await codeOf(mk('N5', 'thu-vien-xa-moi'))).toEqual({ code: 'ORG_SLUG_TAKEN', params: { slug: 'thu-vien-xa-moi' } });
      expect(await counts(c)).toEqual(before);
    });

    it('derives a valid slug from the code when the name gives none', async () => {
      const u = await c.services.org.create(actors.netadmin, { code: 'KG_01.B', nameVi: '—', typeCode: 'commune', parentId: t.distB.id, openedOn: '2020-01-01' });
      expect(u.slug).toBe('kg-01-b');
    });

    it.each<[string, Record<string, unknown>, unknown[]]>([
      ['a bad code, name and type together', { code: 'bad code', nameVi: ' ', typeCode: 'castle' }, [
        { field: 'code', code: 'ORG_CODE_INVALID', params: { code: 'BAD CODE' } },
        { field: 'nameVi', code: 'VALIDATION', params: { max: 200 } },
        { field: 'typeCode', code: 'ORG_TYPE_UNKNOWN', params: { type: 'castle' } },
      ]],
      ['a date that does not exist', { openedOn: '2025-02-29' }, [{ field: 'openedOn', code: 'ORG_DATE_INVALID', params: { date: '2025-02-29' } }]],
      ['a date in the future', { openedOn: '2026-03-16' }, [{ field: 'openedOn', code: 'ORG_EVENT_IN_FUTURE', params: { date: '2026-03-16' } }]],
      ['a bad email', { email: 'x@' }, [{ field: 'email', code: 'VALIDATION' }]],
    ])('refuses %s with every problem listed', async (_name, input, details) => {
      const before = await counts(c);
      const err = await c.services.org.create(actors.netadmin, { code: 'OK', nameVi: 'Tên', typeCode: 'commune', parentId: t.distA.id, openedOn: '2020-01-01', ...input }).catch((e: unknown) => e);
      expect((err as AppError).code).toBe('VALIDATION');
      expect((err as AppError).details).toEqual(details);
      expect(await counts(c)).toEqual(before);
    });

    it('opens a unit today when no date is given', async () => {
      const u = await c.services.org.create(actors.netadmin, { code: 'TODAY', nameVi: 'Hôm nay', typeCode: 'commune', parentId: t.distA.id });
      // The test clock is 2026-03-15 03:00 UTC, which is 10:00 in Việt Nam.
      expect(u.openedOn).toBe('2026-03-15');
    });

    it.each<[string, () => Record<string, unknown>, ErrorCode]>([
      ['a second root', () => ({ parentId: null }), 'ORG_PARENT_REQUIRED'],
      ['a date before the parent opened', () => ({ openedOn: '2009-12-31' }), 'ORG_EVENT_BEFORE_CREATION'],
      ['a parent that does not exist', () => ({ parentId: 999999 }), 'ORG_UNIT_NOT_FOUND'],
    ])('refuses %s and writes nothing', async (_name, input, code) => {
      const before = await counts(c);
      const r = await codeOf(c.services.org.create(sys, { code: 'X1', nameVi: 'X', typeCode: 'commune', parentId: t.distA.id, openedOn: '2020-01-01', ...input() }));
      expect(r.code).toBe(code);
      expect(await counts(c)).toEqual(before);
    });

    it('refuses a unit under a closed parent', async () => {
      await c.services.org.reorganise(actors.netadmin, { kind: 'close', unitId: t.communeA2.id, date: '2024-01-01' });
      const before = await counts(c);
      expect(await codeOf(c.services.org.create(actors.netadmin, { code: 'X1', nameVi: 'X', typeCode: 'reading_room', parentId: t.communeA2.id, openedOn: '2025-01-01' }))).toEqual({
        code: 'ORG_PARENT_CLOSED',
        params: { unit: 'X1', parent: 'COMM-A2' },
      });
      expect(await counts(c)).toEqual(before);
    });

    it('lets only someone with org.unit.create at the parent create there', async () => {
      const before = await counts(c);
      expect(await codeOf(c.services.org.create(actors.commlib, { code: 'X1', nameVi: 'X', typeCode: 'reading_room', parentId: t.communeA1.id, openedOn: '2020-01-01' }))).toEqual({
        code: 'PERMISSION_DENIED',
        params: { permission: 'org.unit.create', unit: t.communeA1.id },
      });
      expect(await count(c, 'org_units')).toBe(before.units);
      expect(await count(c, 'audit_log')).toBe(before.audit + 1);
      expect(await latestAudit(c)).toMatchObject({ action: 'security.denied', actorId: t.users.commlib, unitId: t.communeA1.id, targetId: 'org.unit.create' });
    });
  });

  // -------------------------------------------------------------- update

  describe('update', () => {
    const details = (u: OrgUnit, extra: Record<string, unknown> = {}) => ({ slug: u.slug, address: u.address, phone: u.phone, ...extra });

    it('updates details with the current version and bumps it', async () => {
      const u = await c.services.org.update(actors.distadmin, t.communeA1.id, t.communeA1.version, details(t.communeA1, { address: 'Số 5, ấp Một', phone: '0297 111 222' }));
      expect(u).toMatchObject({ address: 'Số 5, ấp Một', phone: '0297 111 222', version: t.communeA1.version + 1, nameVi: t.communeA1.nameVi });
      const entry = await latestAudit(c);
      expect(entry).toMatchObject({ action: 'org.unit.update', unitId: t.communeA1.id, actorId: t.users.distadmin });
      expect(entry!.before).toMatchObject({ address: null, version: t.communeA1.version });
      expect(entry!.after).toMatchObject({ address: 'Số 5, ấp Một', version: t.communeA1.version + 1 });
    });

    it('refuses a stale version and changes nothing', async () => {
      await c.services.org.update(actors.netadmin, t.communeA1.id, t.communeA1.version, details(t.communeA1, { address: 'first' }));
      const before = await counts(c);
      const snap = await snapshot(c);
      expect(await codeOf(c.services.org.update(actors.netadmin, t.communeA1.id, t.communeA1.version, details(t.communeA1, { address: 'second' })))).toEqual({
        code: 'ORG_STALE_VERSION',
        params: { unit: 'COMM-A1' },
      });
      expect(await counts(c)).toEqual(before);
      expect(await snapshot(c)).toEqual(snap);
      expect((await byCode(c, 'COMM-A1')).address).toBe('first');
    });

    it('records a change of name as a rename taking effect today', async () => {
      const u = await c.services.org.update(actors.distadmin, t.communeA1.id, t.communeA1.version, details(t.communeA1, { nameVi: 'Thư viện xã Mới', nameEn: 'New Commune Library' }));
      expect(u).toMatchObject({ nameVi: 'Thư viện xã Mới', nameEn: 'New Commune Library' });
      const events = await c.store.org.eventsOfUnit(t.communeA1.id);
      expect(events.map((e) => [e.kind, e.effectiveDate, e.data])).toEqual([
        ['create', '2010-01-01', { code: 'COMM-A1', nameVi: 'Thư viện COMM-A1', nameEn: 'Library COMM-A1', typeCode: 'commune', parentId: t.distA.id }],
        ['rename', '2026-03-15', { nameVi: 'Thư viện xã Mới', nameEn: 'New Commune Library' }],
      ]);
      const yesterday = await c.services.org.treeAsOf('2026-03-14');
      expect(yesterday.find((x) => x.id === t.communeA1.id)?.nameVi).toBe('Thư viện COMM-A1');
    });

    it('refuses a rename through the edit form without the reorganise permission, changing nothing', async () => {
      const before = await counts(c);
      const snap = await snapshot(c);
      expect(await codeOf(c.services.org.update(actors.commlib, t.communeA1.id, t.communeA1.version, details(t.communeA1, { nameVi: 'Tên khác', address: 'x' })))).toEqual({
        code: 'PERMISSION_DENIED',
        params: { permission: 'org.unit.reorganise', unit: t.communeA1.id },
      });
      expect(await snapshot(c)).toEqual(snap);
      expect(await counts(c)).toEqual({ ...before, audit: before.audit + 1 });
    });

    it('refuses to edit a closed unit', async () => {
      await c.services.org.reorganise(actors.netadmin, { kind: 'close', unitId: t.communeA2.id, date: '2024-01-01' });
      const u = await byCode(c, 'COMM-A2');
      expect(await codeOf(c.services.org.update(actors.netadmin, u.id, u.version, details(u)))).toEqual({ code: 'ORG_UNIT_CLOSED', params: { unit: 'COMM-A2', date: '2024-01-01' } });
    });

    it('refuses a slug another unit has', async () => {
      expect(await codeOf(c.services.org.update(actors.netadmin, t.communeA1.id, t.communeA1.version, details(t.communeA1, { slug: t.communeA2.slug })))).toEqual({
        code: 'ORG_SLUG_TAKEN',
        params: { slug: t.communeA2.slug },
      });
    });
  });

  // -------------------------------------------------------------- scope checks

  describe('scope checks: who may edit which unit', () => {
    type Who = 'netadmin' | 'distadmin' | 'commlib' | 'otherlib';
    type Where = 'communeA1' | 'communeA2' | 'communeB1' | 'distA' | 'prov';
    it.each<[Who, Where, boolean]>([
      ['commlib', 'communeA1', true],
      ['commlib', 'communeA2', false],
      ['commlib', 'communeB1', false],
      ['commlib', 'distA', false],
      ['distadmin', 'communeA1', true],
      ['distadmin', 'communeA2', true],
      ['distadmin', 'distA', true],
      ['distadmin', 'communeB1', false],
      ['distadmin', 'prov', false],
      ['otherlib', 'communeB1', true],
      ['otherlib', 'communeA1', false],
      ['netadmin', 'communeA1', true],
      ['netadmin', 'communeA2', true],
      ['netadmin', 'communeB1', true],
      ['netadmin', 'prov', true],
    ])('%s editing %s → allowed %s', async (who, where, allowed) => {
      const unit = t[where];
      const before = await counts(c);
      const snap = await snapshot(c);
      const result = c.services.org.update(actors[who], unit.id, unit.version, { slug: unit.slug, phone: '0297 000 000' });
      if (allowed) {
        const u = await result;
        expect(u).toMatchObject({ phone: '0297 000 000', version: unit.version + 1 });
        expect(await latestAudit(c)).toMatchObject({ action: 'org.unit.update', actorId: t.users[who], unitId: unit.id });
        expect(await c.services.org.can(actors[who], 'org.unit.edit', unit.id)).toBe(true);
      } else {
        expect(await codeOf(result)).toEqual({ code: 'PERMISSION_DENIED', params: { permission: 'org.unit.edit', unit: unit.id } });
        expect(await snapshot(c)).toEqual(snap);
        expect(await counts(c)).toEqual({ ...before, audit: before.audit + 1 });
        const entry = await latestAudit(c);
        expect(entry).toMatchObject({
          action: 'security.denied',
          actorId: t.users[who],
          actorLabel: who,
          unitId: unit.id,
          targetType: 'permission',
          targetId: 'org.unit.edit',
          after: { code: 'PERMISSION_DENIED', permission: 'org.unit.edit', unit: unit.id },
        });
        expect(await c.services.org.can(actors[who], 'org.unit.edit', unit.id)).toBe(false);
      }
    });

    it.each<[Who, Where, boolean]>([
      ['commlib', 'communeA1', false], // a librarian may edit but not reorganise
      ['distadmin', 'communeA2', true],
      ['distadmin', 'communeB1', false],
      ['netadmin', 'communeB1', true],
    ])('%s closing %s → allowed %s', async (who, where, allowed) => {
      const unit = t[where];
      const before = await counts(c);
      const result = c.services.org.reorganise(actors[who], { kind: 'close', unitId: unit.id, date: '2025-01-01' });
      if (allowed) {
        expect((await result).status).toBe('closed');
      } else {
        expect(await codeOf(result)).toEqual({ code: 'PERMISSION_DENIED', params: { permission: 'org.unit.reorganise', unit: unit.id } });
        expect(await counts(c)).toEqual({ ...before, audit: before.audit + 1 });
        expect((await byCode(c, unit.code)).status).toBe('active');
      }
    });

    it('a district admin may not move a unit of theirs to another district, nor merge it there', async () => {
      const before = await counts(c);
      expect(await codeOf(c.services.org.reorganise(actors.distadmin, { kind: 'move', unitId: t.communeA1.id, date: '2025-01-01', parentId: t.distB.id }))).toEqual({
        code: 'PERMISSION_DENIED',
        params: { permission: 'org.unit.reorganise', unit: t.distB.id },
      });
      expect(await codeOf(c.services.org.reorganise(actors.distadmin, { kind: 'merge', unitId: t.communeA1.id, date: '2025-01-01', intoId: t.communeB1.id }))).toEqual({
        code: 'PERMISSION_DENIED',
        params: { permission: 'org.unit.reorganise', unit: t.communeB1.id },
      });
      expect(await counts(c)).toEqual({ ...before, audit: before.audit + 2 });
    });
  });

  // -------------------------------------------------------------- reorganise

  describe('reorganise', () => {
    it('moves a whole subtree and rewrites every path in it', async () => {
      await c.services.staff.grant(sys, { userId: t.users.otherlib, roleCode: 'librarian', unitId: t.distB.id, scope: 'subtree' });
      expect(await c.services.org.can(await actorFor(c, t.users.otherlib), 'org.unit.edit', t.communeA1.id)).toBe(false);
      const rr = await c.services.org.create(sys, { code: 'RR', nameVi: 'Phòng đọc', typeCode: 'reading_room', parentId: t.communeA1.id, openedOn: '2015-01-01' });
      const moved = await c.services.org.reorganise(actors.netadmin, { kind: 'move', unitId: t.distA.id, date: '2024-01-01', parentId: t.distB.id, note: '  sắp xếp   lại ' });
      const R = t.root.id;
      const P = t.prov.id;
      const B = t.distB.id;
      const A = t.distA.id;
      expect(moved).toMatchObject({ parentId: B, path: `/${R}/${P}/${B}/${A}/`, depth: 3, version: t.distA.version + 1 });
      const units = Object.fromEntries((await c.store.org.list()).map((u) => [u.code, [u.parentId, u.path, u.depth]]));
      expect(units).toEqual({
        ROOT: [null, `/${R}/`, 0],
        PROV: [R, `/${R}/${P}/`, 1],
        'DIST-B': [P, `/${R}/${P}/${B}/`, 2],
        'DIST-A': [B, `/${R}/${P}/${B}/${A}/`, 3],
        'COMM-A1': [A, `/${R}/${P}/${B}/${A}/${t.communeA1.id}/`, 4],
        RR: [t.communeA1.id, `/${R}/${P}/${B}/${A}/${t.communeA1.id}/${rr.id}/`, 5],
        'COMM-A2': [A, `/${R}/${P}/${B}/${A}/${t.communeA2.id}/`, 4],
        'COMM-B1': [B, `/${R}/${P}/${B}/${t.communeB1.id}/`, 3],
      });
      const events = await c.store.org.eventsOfUnit(A);
      expect(events.at(-1)).toMatchObject({ kind: 'move', effectiveDate: '2024-01-01', data: { parentId: B }, note: 'sắp xếp lại', actorId: t.users.netadmin });
      expect(await latestAudit(c)).toMatchObject({ action: 'org.unit.move', unitId: A, targetId: String(A) });

      // Permission checks follow the new paths: DIST-B's subtree now holds COMM-A1.
      expect(await c.services.org.can(await actorFor(c, t.users.otherlib), 'org.unit.edit', t.communeA1.id)).toBe(true);
      expect(await c.services.org.can(await actorFor(c, t.users.otherlib), 'org.unit.edit', rr.id)).toBe(true);
      expect(await c.services.org.can(actors.distadmin, 'org.unit.edit', rr.id)).toBe(true);
      expect(await c.services.org.can(actors.distadmin, 'org.unit.edit', t.communeB1.id)).toBe(false);
      expect((await c.store.org.list({ underPath: `/${R}/${P}/${B}/` })).map((u) => u.code)).toEqual(['DIST-B', 'DIST-A', 'COMM-A1', 'RR', 'COMM-A2', 'COMM-B1']);
    });

    it('shows the tree before and after a move by date', async () => {
      await c.services.org.reorganise(actors.netadmin, { kind: 'move', unitId: t.communeA1.id, date: '2024-01-01', parentId: t.distB.id });
      const parentOn = async (date: string) => (await c.services.org.treeAsOf(date)).find((u) => u.id === t.communeA1.id)?.parentId;
      expect(await parentOn('2023-12-31')).toBe(t.distA.id);
      expect(await parentOn('2024-01-01')).toBe(t.distB.id);
      expect(await parentOn('2026-03-15')).toBe(t.distB.id);
      expect(await parentOn('2009-12-31')).toBeUndefined();
    });

    it('renames from a date: the old name stays in the tree as of earlier dates', async () => {
      await c.services.org.reorganise(actors.distadmin, { kind: 'rename', unitId: t.communeA1.id, date: '2025-07-01', nameVi: 'Thư viện xã Hòn Đất', nameEn: 'Hòn Đất Commune Library' });
      expect(await byCode(c, 'COMM-A1')).toMatchObject({ nameVi: 'Thư viện xã Hòn Đất', nameEn: 'Hòn Đất Commune Library', slug: t.communeA1.slug });
      const nameOn = async (date: string) => (await c.services.org.treeAsOf(date)).find((u) => u.id === t.communeA1.id)?.nameVi;
      expect(await nameOn('2024-06-01')).toBe('Thư viện COMM-A1');
      expect(await nameOn('2025-06-30')).toBe('Thư viện COMM-A1');
      expect(await nameOn('2025-07-01')).toBe('Thư viện xã Hòn Đất');
    });

    it('treeAsOf lists only the units open on that date, with today’s slug', async () => {
      await c.services.org.reorganise(actors.netadmin, { kind: 'close', unitId: t.communeA2.id, date: '2020-06-30' });
      const codesOn = async (d: string) => (await c.services.org.treeAsOf(d)).map((u) => u.code).sort();
      expect(await codesOn('1999-12-31')).toEqual([]);
      expect(await codesOn('2005-01-01')).toEqual(['PROV', 'ROOT']);
      expect(await codesOn('2020-06-29')).toEqual(['COMM-A1', 'COMM-A2', 'COMM-B1', 'DIST-A', 'DIST-B', 'PROV', 'ROOT']);
      expect(await codesOn('2020-06-30')).toEqual(['COMM-A1', 'COMM-B1', 'DIST-A', 'DIST-B', 'PROV', 'ROOT']);
      expect((await c.services.org.treeAsOf('2020-01-01')).find((u) => u.code === 'COMM-A2')?.slug).toBe(t.communeA2.slug);
      expect(await codeOf(c.services.org.treeAsOf('2025-02-29'))).toEqual({ code: 'ORG_DATE_INVALID', params: { date: '2025-02-29' } });
    });

    it('merges: children, staff and grants move to the target; the unit is marked merged', async () => {
      const result = await c.services.org.reorganise(actors.netadmin, { kind: 'merge', unitId: t.distA.id, date: '2025-07-01', intoId: t.distB.id });
      expect(result).toMatchObject({ status: 'merged', mergedIntoId: t.distB.id, endedOn: '2025-07-01', parentId: t.prov.id });
      const a1 = await byCode(c, 'COMM-A1');
      const a2 = await byCode(c, 'COMM-A2');
      expect([a1.parentId, a1.path, a2.parentId, a2.path]).toEqual([t.distB.id, `${t.distB.path}${a1.id}/`, t.distB.id, `${t.distB.path}${a2.id}/`]);
      // The district admin's home and grant follow the merge.
      expect((await c.store.staff.getById(t.users.distadmin))?.homeUnitId).toBe(t.distB.id);
      expect((await c.store.staff.grantsOf(t.users.distadmin)).map((g) => [g.roleCode, g.unitCode, g.scope])).toEqual([['library_admin', 'DIST-B', 'subtree']]);
      // …and so now reach DIST-B's subtree, COMM-B1 included.
      const distadmin = await actorFor(c, t.users.distadmin);
      expect(await c.services.org.can(distadmin, 'org.unit.edit', t.communeB1.id)).toBe(true);
      const entry = await latestAudit(c);
      expect(entry).toMatchObject({ action: 'org.unit.merge', unitId: t.distA.id });
      expect((entry!.after as { moved: unknown }).moved).toEqual({ staff: 1, items: 0, itemLocations: 0, records: 0, digitalObjects: 0, digitalCollections: 0, readers: 0, grants: 1, tokens: 0 });
      // Before the merge date the tree still has DIST-A with its communes.
      const then = await c.services.org.treeAsOf('2025-06-30');
      expect(then.find((u) => u.id === a1.id)?.parentId).toBe(t.distA.id);
      expect(then.some((u) => u.id === t.distA.id)).toBe(true);
      expect((await c.services.org.treeAsOf('2025-07-01')).some((u) => u.id === t.distA.id)).toBe(false);
    });

    it('drops a grant the user already holds at the merge target instead of duplicating it', async () => {
      await c.services.staff.grant(sys, { userId: t.users.commlib, roleCode: 'librarian', unitId: t.communeA2.id, scope: 'unit' });
      await c.services.staff.grant(sys, { userId: t.users.commlib, roleCode: 'auditor', unitId: t.communeA1.id, scope: 'unit' });
      expect(await count(c, 'grants')).toBe(6);
      await c.services.org.reorganise(actors.netadmin, { kind: 'merge', unitId: t.communeA1.id, date: '2025-07-01', intoId: t.communeA2.id });
      expect((await c.store.staff.grantsOf(t.users.commlib)).map((g) => [g.roleCode, g.unitCode, g.scope]).sort()).toEqual([
        ['auditor', 'COMM-A2', 'unit'],
        ['librarian', 'COMM-A2', 'unit'],
      ]);
      expect(await count(c, 'grants')).toBe(5);
      expect((await c.store.staff.getById(t.users.commlib))?.homeUnitId).toBe(t.communeA2.id);
      expect(((await latestAudit(c))!.after as { moved: unknown }).moved).toEqual({ staff: 1, items: 0, itemLocations: 0, records: 0, digitalObjects: 0, digitalCollections: 0, readers: 0, grants: 2, tokens: 0 });
    });

    it('closes a unit without open children', async () => {
      const u = await c.services.org.reorganise(actors.distadmin, { kind: 'close', unitId: t.communeA2.id, date: '2025-12-31' });
      expect(u).toMatchObject({ status: 'closed', endedOn: '2025-12-31', mergedIntoId: null });
      expect((await c.store.org.list({ activeOnly: true })).map((x) => x.code)).not.toContain('COMM-A2');
    });

    it('history lists a unit’s own events and the merges into it, oldest first', async () => {
      await c.services.org.reorganise(actors.netadmin, { kind: 'rename', unitId: t.distB.id, date: '2020-01-01', nameVi: 'Thư viện B mới' });
      await c.services.org.reorganise(actors.netadmin, { kind: 'merge', unitId: t.distA.id, date: '2025-07-01', intoId: t.distB.id });
      expect((await c.services.org.history(t.distB.id)).map((e) => [e.about, e.kind, e.unitId, e.effectiveDate])).toEqual([
        ['self', 'create', t.distB.id, '2010-01-01'],
        ['self', 'rename', t.distB.id, '2020-01-01'],
        ['merged-in', 'merge', t.distA.id, '2025-07-01'],
      ]);
      expect((await c.services.org.history(t.distA.id)).map((e) => [e.about, e.kind, e.effectiveDate, e.data])).toEqual([
        ['self', 'create', '2010-01-01', { code: 'DIST-A', nameVi: 'Thư viện DIST-A', nameEn: 'Library DIST-A', typeCode: 'district', parentId: t.prov.id }],
        ['self', 'merge', '2025-07-01', { intoId: t.distB.id }],
      ]);
    });

    it('accepts a back-dated event consistent with later ones and recomputes the current tree', async () => {
      await c.services.org.reorganise(actors.netadmin, { kind: 'rename', unitId: t.communeA1.id, date: '2024-01-01', nameVi: 'Tên 2024' });
      await c.services.org.reorganise(actors.netadmin, { kind: 'rename', unitId: t.communeA1.id, date: '2022-01-01', nameVi: 'Tên 2022' });
      // The later rename still decides today’s name.
      expect((await byCode(c, 'COMM-A1')).nameVi).toBe('Tên 2024');
      expect((await c.services.org.treeAsOf('2023-01-01')).find((u) => u.code === 'COMM-A1')?.nameVi).toBe('Tên 2022');
    });

    type Op = (x: SmallTree) => Parameters<Container['services']['org']['reorganise']>[1];
    it.each<[string, Op | null, Op, ErrorCode, (x: SmallTree) => Record<string, unknown>]>([
      ['move under itself', null, (x) => ({ kind: 'move', unitId: x.distA.id, date: '2025-01-01', parentId: x.distA.id }), 'ORG_MOVE_CYCLE', () => ({ unit: 'DIST-A', date: '2025-01-01', parent: 'DIST-A' })],
      ['move under its own descendant', null, (x) => ({ kind: 'move', unitId: x.distA.id, date: '2025-01-01', parentId: x.communeA1.id }), 'ORG_MOVE_CYCLE', () => ({ unit: 'DIST-A', date: '2025-01-01', parent: 'COMM-A1' })],
      ['merge into itself', null, (x) => ({ kind: 'merge', unitId: x.distA.id, date: '2025-01-01', intoId: x.distA.id }), 'ORG_MERGE_SELF', () => ({ unit: 'DIST-A', date: '2025-01-01' })],
      ['merge into its own descendant', null, (x) => ({ kind: 'merge', unitId: x.distA.id, date: '2025-01-01', intoId: x.communeA2.id }), 'ORG_MERGE_INTO_DESCENDANT', () => ({ unit: 'DIST-A', date: '2025-01-01', target: 'COMM-A2' })],
      ['merge into a closed unit', (x) => ({ kind: 'close', unitId: x.communeA2.id, date: '2024-01-01' }), (x) => ({ kind: 'merge', unitId: x.communeA1.id, date: '2025-01-01', intoId: x.communeA2.id }), 'ORG_MERGE_TARGET_CLOSED', () => ({ unit: 'COMM-A1', date: '2025-01-01', target: 'COMM-A2' })],
      ['move under a closed unit', (x) => ({ kind: 'close', unitId: x.communeA2.id, date: '2024-01-01' }), (x) => ({ kind: 'move', unitId: x.communeB1.id, date: '2025-01-01', parentId: x.communeA2.id }), 'ORG_PARENT_CLOSED', () => ({ unit: 'COMM-B1', date: '2025-01-01', parent: 'COMM-A2' })],
      ['rename a closed unit', (x) => ({ kind: 'close', unitId: x.communeA2.id, date: '2024-01-01' }), (x) => ({ kind: 'rename', unitId: x.communeA2.id, date: '2025-01-01', nameVi: 'X' }), 'ORG_UNIT_CLOSED', () => ({ unit: 'COMM-A2', date: '2024-01-01' })],
      ['close a unit with open children', null, (x) => ({ kind: 'close', unitId: x.distA.id, date: '2025-01-01' }), 'ORG_CLOSE_HAS_CHILDREN', () => ({ unit: 'DIST-A', date: '2025-01-01', count: 2 })],
      ['close the root', null, (x) => ({ kind: 'close', unitId: x.root.id, date: '2025-01-01' }), 'ORG_ROOT_IMMUTABLE', () => ({ unit: 'ROOT', date: '2025-01-01' })],
      ['move the root', null, (x) => ({ kind: 'move', unitId: x.root.id, date: '2025-01-01', parentId: x.prov.id }), 'ORG_ROOT_IMMUTABLE', () => ({ unit: 'ROOT', date: '2025-01-01' })],
      ['an event before the unit existed', null, (x) => ({ kind: 'rename', unitId: x.communeA1.id, date: '2009-12-31', nameVi: 'X' }), 'ORG_EVENT_BEFORE_CREATION', (x) => ({ unit: String(x.communeA1.id), date: '2009-12-31' })],
      ['a back-dated close contradicting a later move under it', (x) => ({ kind: 'move', unitId: x.communeB1.id, date: '2025-01-01', parentId: x.communeA2.id }), (x) => ({ kind: 'close', unitId: x.communeA2.id, date: '2024-01-01' }), 'ORG_PARENT_CLOSED', () => ({ unit: 'COMM-B1', date: '2025-01-01', parent: 'COMM-A2' })],
      ['a back-dated merge contradicting a later rename', (x) => ({ kind: 'rename', unitId: x.communeA1.id, date: '2025-01-01', nameVi: 'X' }), (x) => ({ kind: 'merge', unitId: x.communeA1.id, date: '2024-01-01', intoId: x.communeA2.id }), 'ORG_UNIT_CLOSED', () => ({ unit: 'COMM-A1', date: '2024-01-01' })],
      ['a date in the future', null, (x) => ({ kind: 'close', unitId: x.communeA2.id, date: '2026-03-16' }), 'ORG_EVENT_IN_FUTURE', () => ({ date: '2026-03-16' })],
      ['a date that does not exist', null, (x) => ({ kind: 'close', unitId: x.communeA2.id, date: '2026-02-29' }), 'ORG_DATE_INVALID', () => ({ date: '2026-02-29' })],
      ['a unit that does not exist', null, () => ({ kind: 'close', unitId: 999999, date: '2025-01-01' }), 'ORG_UNIT_NOT_FOUND', () => ({ unit: 999999 })],
    ])('refuses %s with its code and writes nothing', async (_name, setup, op, code, params) => {
      if (setup) await c.services.org.reorganise(actors.netadmin, setup(t));
      const before = await counts(c);
      const snap = await snapshot(c);
      const staffBefore = await c.store.staff.list();
      expect(await codeOf(c.services.org.reorganise(actors.netadmin, op(t)))).toEqual({ code, params: params(t) });
      expect(await counts(c)).toEqual(before);
      expect(await snapshot(c)).toEqual(snap);
      expect(await c.store.staff.list()).toEqual(staffBefore);
    });
  });

  // -------------------------------------------------------------- settings

  describe('settings', () => {
    const loanDays = async (unitId: number) => (await c.services.org.settings(unitId)).find((s) => s.key === 'circulation.loan_days');

    it('inherit down the tree, a lower override wins, and clearing it restores the inherited value', async () => {
      expect(await loanDays(t.communeA1.id)).toEqual({ key: 'circulation.loan_days', value: 14, fromUnitId: null });
      await c.services.org.setSetting(actors.netadmin, t.root.id, 'circulation.loan_days', '21');
      expect(await loanDays(t.communeA1.id)).toEqual({ key: 'circulation.loan_days', value: 21, fromUnitId: t.root.id });
      await c.services.org.setSetting(actors.distadmin, t.distA.id, 'circulation.loan_days', ' 30 ');
      expect(await loanDays(t.communeA1.id)).toEqual({ key: 'circulation.loan_days', value: 30, fromUnitId: t.distA.id });
      expect(await loanDays(t.distA.id)).toEqual({ key: 'circulation.loan_days', value: 30, fromUnitId: t.distA.id });
      expect(await loanDays(t.communeB1.id)).toEqual({ key: 'circulation.loan_days', value: 21, fromUnitId: t.root.id });
      expect(await loanDays(t.prov.id)).toEqual({ key: 'circulation.loan_days', value: 21, fromUnitId: t.root.id });
      expect(await latestAudit(c)).toMatchObject({ action: 'org.setting.set', unitId: t.distA.id, targetId: 'circulation.loan_days', before: { 'circulation.loan_days': null }, after: { 'circulation.loan_days': 30 } });

      await c.services.org.setSetting(actors.distadmin, t.distA.id, 'circulation.loan_days', null);
      expect(await loanDays(t.communeA1.id)).toEqual({ key: 'circulation.loan_days', value: 21, fromUnitId: t.root.id });
      expect(await latestAudit(c)).toMatchObject({ before: { 'circulation.loan_days': 30 }, after: { 'circulation.loan_days': null } });
      expect(await count(c, 'unit_settings')).toBe(1);
    });

    it('stores typed values', async () => {
      await c.services.org.setSetting(actors.netadmin, t.communeA1.id, 'reader.self_registration', 'off');
      await c.services.org.setSetting(actors.netadmin, t.communeA1.id, 'site.accent_color', '#0A5C8A');
      const s = await c.services.org.settings(t.communeA1.id);
      expect(s.find((x) => x.key === 'reader.self_registration')).toEqual({ key: 'reader.self_registration', value: false, fromUnitId: t.communeA1.id });
      expect(s.find((x) => x.key === 'site.accent_color')).toEqual({ key: 'site.accent_color', value: '#0a5c8a', fromUnitId: t.communeA1.id });
    });

    it.each<[string, unknown, ErrorCode, Record<string, unknown>]>([
      ['circulation.loan_days', '0', 'ORG_SETTING_INVALID', { key: 'circulation.loan_days', value: '0' }],
      ['circulation.loan_days', 'many', 'ORG_SETTING_INVALID', { key: 'circulation.loan_days', value: 'many' }],
      ['locale.default', 'fr', 'ORG_SETTING_INVALID', { key: 'locale.default', value: 'fr' }],
      ['no.such.setting', '1', 'ORG_SETTING_UNKNOWN', { key: 'no.such.setting' }],
    ])('refuses %s = %j', async (key, value, code, params) => {
      const before = await counts(c);
      expect(await codeOf(c.services.org.setSetting(actors.netadmin, t.communeA1.id, key, value))).toEqual({ code, params });
      expect(await counts(c)).toEqual(before);
    });

    it('needs org.settings.edit at the unit', async () => {
      const before = await counts(c);
      expect(await codeOf(c.services.org.setSetting(actors.commlib, t.communeA1.id, 'circulation.loan_days', '7'))).toEqual({
        code: 'PERMISSION_DENIED',
        params: { permission: 'org.settings.edit', unit: t.communeA1.id },
      });
      expect(await codeOf(c.services.org.setSetting(actors.distadmin, t.communeB1.id, 'circulation.loan_days', '7'))).toEqual({
        code: 'PERMISSION_DENIED',
        params: { permission: 'org.settings.edit', unit: t.communeB1.id },
      });
      expect(await counts(c)).toEqual({ ...before, audit: before.audit + 2 });
    });
  });

  // -------------------------------------------------------------- groups

  describe('groups', () => {
    it('creates groups, adds and removes members, once each', async () => {
      const g = await c.services.org.createGroup(actors.netadmin, { code: 'island', nameVi: 'Thư viện biển đảo', nameEn: 'Island libraries', description: ' ven   biển ' });
      expect(g).toMatchObject({ code: 'ISLAND', nameVi: 'Thư viện biển đảo', nameEn: 'Island libraries', description: 'ven biển', memberCount: 0 });
      await c.services.org.setGroupMember(actors.netadmin, 'ISLAND', t.communeA1.id, true);
      await c.services.org.setGroupMember(actors.netadmin, 'ISLAND', t.communeB1.id, true);
      const auditAfterAdds = await count(c, 'audit_log');
      await c.services.org.setGroupMember(actors.netadmin, 'ISLAND', t.communeB1.id, true); // already a member: nothing to do
      expect(await count(c, 'audit_log')).toBe(auditAfterAdds);
      expect((await c.services.org.groupMembers('ISLAND')).map((u) => u.code)).toEqual(['COMM-A1', 'COMM-B1']);
      expect((await c.services.org.listGroups()).map((x) => [x.code, x.memberCount])).toEqual([['ISLAND', 2]]);
      expect((await c.services.org.groupsOfUnit(t.communeA1.id)).map((x) => x.code)).toEqual(['ISLAND']);
      expect(await c.services.org.groupsOfUnit(t.communeA2.id)).toEqual([]);

      await c.services.org.setGroupMember(actors.netadmin, 'ISLAND', t.communeA1.id, false);
      expect((await c.services.org.groupMembers('ISLAND')).map((u) => u.code)).toEqual(['COMM-B1']);
      expect(await latestAudit(c)).toMatchObject({ action: 'org.group.remove', unitId: t.communeA1.id, after: { group: 'ISLAND', unitId: t.communeA1.id } });
    });

    it('refuses a taken group code, an unknown group, and staff without org.group.manage', async () => {
      await c.services.org.createGroup(actors.netadmin, { code: 'EDU', nameVi: 'Trường học' });
      const before = await counts(c);
      expect(await codeOf(c.services.org.createGroup(actors.netadmin, { code: 'edu', nameVi: 'Khác' }))).toEqual({ code: 'ORG_GROUP_CODE_TAKEN', params: { code: 'EDU' } });
      expect(await codeOf(c.services.org.setGroupMember(actors.netadmin, 'NOPE', t.communeA1.id, true))).toEqual({ code: 'ORG_GROUP_NOT_FOUND', params: { group: 'NOPE' } });
      expect(await codeOf(c.services.org.groupMembers('NOPE'))).toEqual({ code: 'ORG_GROUP_NOT_FOUND', params: { group: 'NOPE' } });
      expect(await counts(c)).toEqual(before);
      expect((await codeOf(c.services.org.createGroup(actors.distadmin, { code: 'MINE', nameVi: 'Của tôi' }))).code).toBe('PERMISSION_DENIED');
      expect((await codeOf(c.services.org.setGroupMember(actors.distadmin, 'EDU', t.communeA1.id, true))).code).toBe('PERMISSION_DENIED');
      expect(await counts(c)).toEqual({ ...before, audit: before.audit + 2 });
    });
  });
});
