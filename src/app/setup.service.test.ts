import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect, type TestDialect } from '../../test/dialects.js';
import { TestClock, testEnv, type TestEnv } from '../../test/factories.js';
import { count, counts as rowCounts } from '../../test/expect.js';
import type { Container } from '../main/container.js';
import type { OrgUnit } from '../domain/org/unit.js';
import { firstStart, type CreatedAccount } from './setup.service.js';
import { DEMO_BOOKS } from './demo/catalogue.js';
import { writeTextPage } from '../adapters/image/text-page.js';
import { CLOSED_ROOM, DISTRICTS, PARTNERS, REFORM_DATE } from './demo/kien-giang.js';

const TABLES = ['org_units', 'org_events', 'staff_users', 'grants', 'roles', 'role_permissions', 'library_groups', 'library_group_members', 'unit_settings', 'audit_log'];
const counts = (c: Container) => rowCounts(c, Object.fromEntries(TABLES.map((t) => [t, t])));
const ctx = { ip: null, userAgent: null, requestId: null };
const deps = (c: Container) => ({
  store: c.store,
  org: c.services.org,
  staff: c.services.staff,
  catalog: c.services.catalog,
  digital: { service: c.services.digital, writePage: writeTextPage },
  sruTarget: { service: c.services.copyCatalog, siteUrl: 'http://thuvien.example.vn/' },
});

/** What the demo data says must have happened to each commune library on the reform date. */
const absorbedInto = new Map<string, string>();
for (const d of DISTRICTS) {
  for (const m of d.mergers) for (const a of m.absorbs) absorbedInto.set(a, m.receiver);
  if ('absorbs' in d.fate) for (const a of d.fate.absorbs) absorbedInto.set(a, d.code);
}
const communeCodes = DISTRICTS.flatMap((d) => d.communes.map((c) => c.code));
const survivingCommunes = communeCodes.filter((code) => !absorbedInto.has(code));

describeEachDialect('firstStart with the demo network', (dialect: TestDialect) => {
  let env: TestEnv;
  let c: Container;
  let accounts: CreatedAccount[];
  let units: OrgUnit[];
  const unit = (code: string): OrgUnit => {
    const u = units.find((x) => x.code === code);
    if (!u) throw new Error(`no unit ${code}`);
    return u;
  };

  beforeAll(async () => {
    env = await testEnv(dialect, { clock: new TestClock('2026-11-24T03:00:00.000Z') });
    c = env.container;
    accounts = await firstStart(deps(c), { demo: true });
    units = await c.store.org.list();
  }, 180_000);
  afterAll(async () => {
    await env?.dispose();
  });

  it('starts copy cataloguing with this server’s own SRU address as a target', async () => {
    expect((await c.store.sruTargets.list()).map((x) => [x.baseUrl, x.sruVersion, x.recordSchema])).toEqual([['http://thuvien.example.vn/sru', '1.2', 'marcxml']]);
  });

  it('has a digital library: documents linked to records and standalone, a collection, targets, pages queued for OCR', async () => {
    const objects = await c.store.digital.listObjects({ limit: 50 });
    expect(objects.map((o) => o.title).sort()).toEqual(['Bản đồ thị xã Rạch Giá năm 1930', 'Hà Tiên thập cảnh (bản số)', 'Văn hoá biển đảo của cư dân ven biển Kiên Giang', 'Địa chí Kiên Giang (bản số, trích)'].sort());
    const linked = objects.find((o) => o.title.startsWith('Địa chí Kiên Giang'))!;
    expect(linked.state).toBe('published');
    expect((await c.store.catalog.getRecord(linked.recordId!))!.source).toBe('demo');
    const thesis = objects.find((o) => o.category === 'thesis')!;
    expect(thesis).toMatchObject({ access: 'registered', watermark: true, ownerUnitId: unit('DHKG').id });
    expect((await c.store.catalog.getRecord(thesis.recordId!))!.source).toBe(`digital:${thesis.id}`);
    expect((await c.store.digital.listCollections({})).map((x) => [x.code, x.objects])).toEqual([['dia-chi-kien-giang', 2]]);
    expect((await c.store.digital.targets([unit('TVKG').id])).find((t) => t.category === 'local')?.held).toBe(120);
    const queued = await c.store.jobs.list({ kind: 'digital.process', status: 'queued', limit: 10 });
    expect(queued).toHaveLength(4);
  });

  it('builds the network root and the provincial library, renamed by the reform', () => {
    expect(unit('KG')).toMatchObject({ typeCode: 'network', parentId: null, depth: 0, status: 'active', nameVi: 'Mạng lưới thư viện khu vực Kiên Giang (tỉnh An Giang)' });
    expect(unit('TVKG')).toMatchObject({ typeCode: 'provincial', parentId: unit('KG').id, depth: 1, status: 'active', slug: 'thu-vien-tinh', nameVi: 'Thư viện tỉnh An Giang – cơ sở Rạch Giá' });
  });

  it('has the 13 district libraries, each merged into a commune library or (Phú Quốc) renamed on 1 July 2025', async () => {
    const districts = units.filter((u) => u.typeCode === 'district');
    expect(districts).toHaveLength(13);
    expect(districts.map((u) => u.code).sort()).toEqual(DISTRICTS.map((d) => d.code).sort());
    for (const d of DISTRICTS) {
      const u = unit(d.code);
      if ('mergeInto' in d.fate) {
        expect(u, d.code).toMatchObject({ status: 'merged', endedOn: REFORM_DATE, mergedIntoId: unit(d.fate.mergeInto).id });
      } else {
        expect(u, d.code).toMatchObject({ status: 'active', nameVi: 'Thư viện đặc khu Phú Quốc', parentId: unit('TVKG').id });
        const renames = (await c.store.org.eventsOfUnit(u.id)).filter((e) => e.kind === 'rename');
        expect(renames.map((e) => e.effectiveDate)).toEqual([REFORM_DATE]);
      }
    }
    // No district library is open today under its old name.
    expect(districts.filter((u) => u.status === 'active').map((u) => u.code)).toEqual(['PQ']);
  });

  it('as of 2024-01-01 the district libraries are the parents of the communes', async () => {
    const then = await c.services.org.treeAsOf('2024-01-01');
    const byId = new Map(then.map((u) => [u.id, u]));
    const communes = then.filter((u) => u.typeCode === 'commune');
    expect(communes.map((u) => u.code).sort()).toEqual([...communeCodes].sort());
    for (const u of communes) expect(byId.get(u.parentId!)?.typeCode, u.code).toBe('district');
    const districts = then.filter((u) => u.typeCode === 'district');
    expect(districts).toHaveLength(13);
    for (const u of districts) expect(u.parentId, u.code).toBe(unit('TVKG').id);
    // Names as they were then.
    expect(byId.get(unit('TVKG').id)?.nameVi).toBe('Thư viện tỉnh Kiên Giang');
    expect(byId.get(unit('HD').id)?.nameVi).toBe('Thư viện huyện Hòn Đất');
    // The reading room that closed on 2023-12-31 is gone by then, but there the day before.
    expect(then.some((u) => u.code === CLOSED_ROOM.code)).toBe(false);
    expect((await c.services.org.treeAsOf('2023-12-30')).some((u) => u.code === CLOSED_ROOM.code)).toBe(true);
  });

  it('today the surviving commune libraries sit directly under the provincial library', () => {
    const active = units.filter((u) => u.typeCode === 'commune' && u.status === 'active');
    expect(active.map((u) => u.code).sort()).toEqual([...survivingCommunes].sort());
    for (const u of active) expect([u.code, u.parentId, u.depth]).toEqual([u.code, unit('TVKG').id, 2]);
    for (const [code, receiver] of absorbedInto) {
      expect(unit(code), code).toMatchObject({ status: 'merged', endedOn: REFORM_DATE, mergedIntoId: unit(receiver).id });
    }
  });

  it('every open unit lies under an open unit, with a path that matches its parent’s', () => {
    const byId = new Map(units.map((u) => [u.id, u]));
    for (const u of units.filter((x) => x.status === 'active' && x.parentId !== null)) {
      const p = byId.get(u.parentId!)!;
      expect([u.code, p.status, u.path, u.depth]).toEqual([u.code, 'active', `${p.path}${u.id}/`, p.depth + 1]);
    }
  });

  it('keeps the partner libraries and the provincial branches as they were', () => {
    for (const p of PARTNERS) expect(unit(p.code)).toMatchObject({ typeCode: p.typeCode, parentId: unit('KG').id, status: 'active', nameVi: p.nameVi });
    for (const code of ['TVKG-TN', 'TVKG-DC', 'TVKG-TSBD']) expect(unit(code)).toMatchObject({ parentId: unit('TVKG').id, status: 'active' });
  });

  it('catalogues the demo books with copies, and the reform moved merged libraries’ copies', async () => {
    // Standalone digitised documents have records of their own (source `digital:<id>`).
    const records = (await c.services.catalog.list({ limit: 100 })).filter((r) => r.source === 'demo');
    expect(records.length).toBe(DEMO_BOOKS.length);
    const kieu = await c.services.catalog.get(records.find((r) => r.title === 'Truyện Kiều')!.id);
    expect(kieu.derived.authors[0]!.name).toBe('Nguyễn Du');
    expect(c.services.catalog.check(kieu.marc).filter((p) => p.severity === 'error')).toEqual([]);
    // Hòn Đất's district library was merged into HD-TT: its copy went with it.
    const owners0 = kieu.items.map((i) => i.ownerUnitCode);
    expect(owners0).toHaveLength(6);
    expect(owners0).toContain('HD-TT');
    expect(owners0).not.toContain('HD');
    const owners = await c.handle.db.selectFrom('items').innerJoin('org_units', 'org_units.id', 'items.owner_unit_id').select('org_units.status').distinct().execute();
    expect(owners.map((o) => o.status)).toEqual(['active']);
  });

  it('returns the accounts with passwords that sign in', async () => {
    expect(accounts.map((a) => [a.username, a.role, a.unitCode])).toEqual([
      ['admin', 'network_admin', 'KG'],
      ['tvtinh', 'library_admin', 'TVKG'],
      // Where their grants sit after the reform: Hòn Đất's district and Lình Huỳnh's commune were merged into HD-TT.
      ['hondat', 'library_admin', 'HD-TT'],
      ['linhhuynh', 'librarian', 'HD-TT'],
      ['dhkg', 'library_admin', 'DHKG'],
      ['kiemtra', 'auditor', 'KG'],
      ['bienmuc', 'cataloguer', 'TVKG'],
    ]);
    for (const a of accounts) {
      expect(a.password.length, a.username).toBeGreaterThanOrEqual(16);
      const { user } = await c.services.auth.login(a.username, a.password, ctx);
      expect(user.username).toBe(a.username);
      expect((await c.store.staff.getWithHash(a.username))!.passwordHash.startsWith('$argon2id$')).toBe(true);
    }
    expect(new Set(accounts.map((a) => a.password)).size).toBe(accounts.length);
  });

  it('moved the staff of merged units, and their grants, to the receiving units', async () => {
    const hondat = await c.services.staff.getByUsername('hondat');
    expect(hondat.homeUnitId).toBe(unit('HD-TT').id);
    expect((await c.store.staff.grantsOf(hondat.id)).map((g) => [g.roleCode, g.unitCode, g.scope])).toEqual([['library_admin', 'HD-TT', 'subtree']]);
    const linh = await c.services.staff.getByUsername('linhhuynh');
    expect(linh.homeUnitId).toBe(unit('HD-TT').id);
    expect((await c.store.staff.grantsOf(linh.id)).map((g) => [g.roleCode, g.unitCode, g.scope])).toEqual([['librarian', 'HD-TT', 'unit']]);
  });

  it('sets inherited settings with overrides and groups across the tree', async () => {
    const loanDays = async (code: string) => (await c.services.org.settings(unit(code).id)).find((s) => s.key === 'circulation.loan_days');
    expect(await loanDays('RG-VTV')).toEqual({ key: 'circulation.loan_days', value: 14, fromUnitId: unit('KG').id });
    expect(await loanDays('DHKG')).toEqual({ key: 'circulation.loan_days', value: 30, fromUnitId: unit('DHKG').id });
    expect((await c.services.org.listGroups()).map((g) => [g.code, g.memberCount])).toEqual([
      ['EDU', 2],
      ['ISLAND', 6],
      ['PILOT-2022', 4],
    ]);
  });

  it('a second first start creates nothing', async () => {
    const before = await counts(c);
    expect(await firstStart(deps(c), { demo: true })).toEqual([]);
    expect(await firstStart(deps(c), { demo: false })).toEqual([]);
    expect(await counts(c)).toEqual(before);
  });
});

describeEachDialect('firstStart without the demo', (dialect: TestDialect) => {
  let env: TestEnv;
  beforeAll(async () => {
    env = await testEnv(dialect, { clock: new TestClock('2026-11-24T03:00:00.000Z') });
  });
  afterAll(async () => {
    await env?.dispose();
  });

  it('creates only the network root and one administrator, once', async () => {
    const c = env.container;
    const accounts = await firstStart(deps(c), { demo: false });
    expect(accounts.map((a) => [a.username, a.role, a.unitCode])).toEqual([['admin', 'network_admin', 'NETWORK']]);
    const units = await c.store.org.list();
    expect(units.map((u) => [u.code, u.typeCode, u.parentId, u.path, u.openedOn])).toEqual([['NETWORK', 'network', null, `/${units[0]!.id}/`, '2026-11-24']]);
    const { actor } = await c.services.auth.actorForSession((await c.services.auth.login('admin', accounts[0]!.password, ctx)).token, { ip: null, requestId: null });
    expect(actor.grants.map((g) => [g.roleCode, g.scope])).toEqual([['network_admin', 'network']]);
    expect((await c.services.staff.roles()).map((r) => r.code)).toEqual(['network_admin', 'library_admin', 'librarian', 'digitiser', 'cataloguer', 'auditor']);
    expect(await firstStart(deps(c), { demo: false })).toEqual([]);
    expect(await count(c, 'staff_users')).toBe(1);
  });
});

describe('the demo data', () => {
  it('merges every absorbed commune into a commune of its own district', () => {
    for (const d of DISTRICTS) {
      const own = new Set([d.code, ...d.communes.map((x) => x.code)]);
      for (const m of d.mergers) {
        expect(own.has(m.receiver), m.receiver).toBe(true);
        for (const a of m.absorbs) expect(own.has(a), a).toBe(true);
      }
    }
    expect(new Set(communeCodes).size).toBe(communeCodes.length);
  });
});
