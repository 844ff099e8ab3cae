import { expect, it } from 'vitest';
import { stringify } from 'csv-stringify/sync';
import { describeEachDialect } from '../../test/dialects.js';
import { actorFor, testEnv, treeEnvEach, type SmallTree, type TestEnv } from '../../test/factories.js';
import { failure } from '../../test/expect.js';
import { systemActor } from './actor.js';
import { TREE_COLUMNS, type ImportReport, type TreeDocument } from './org-transfer.service.js';

const sys = systemActor('test');
/** Clock of `testEnv`: 2026-03-15 10:00 in Hồ Chí Minh City. */
const TODAY = '2026-03-15';

/** A CSV file with the given header and rows (quoted as RFC 4180 requires). */
function csv(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return stringify([header, ...rows], { record_delimiter: 'windows' });
}

const NEW_COLUMNS = ['code', 'parent', 'type', 'nameVi', 'nameEn', 'openedOn'] as const;

function actions(r: ImportReport): Array<[number, string, string, string[]]> {
  return r.rows.map((x) => [x.row, x.code, x.action, x.problems.map((p) => `${p.field}:${p.code}`)]);
}

describeEachDialect('OrgTransferService', (dialect) => {
  let env: TestEnv;
  let tree: SmallTree;
  treeEnvEach(dialect, (x) => ({ env, t: tree } = x));

  const services = () => env.container.services;
  const unitCount = async () => (await services().org.list()).length;
  const auditCount = async () => (await env.container.store.audit.list({ limit: 100_000 })).length;

  /** Details with every character CSV must quote, a group, and a closed unit. */
  async function richTree(): Promise<void> {
    const { org } = services();
    const a1 = await org.get(tree.communeA1.id);
    await org.update(sys, a1.id, a1.version, {
      slug: a1.slug,
      address: 'Số 1, đường "Lê Lợi"',
      phone: '+84 297 3862 000',
      email: 'a1@thuvien.vn',
      website: 'https://a1.thuvien.vn',
      openingHours: 'Thứ 2–6: 7:30–17:00\nThứ 7: 8:00–11:00',
      latitude: '10.0123',
      longitude: '105.0812',
      descriptionVi: 'Thư viện xã; có phòng đọc thiếu nhi',
    });
    await org.createGroup(sys, { code: 'ZONE-1', nameVi: 'Vùng 1' });
    await org.createGroup(sys, { code: 'SCHOOLS', nameVi: 'Trường học' });
    await org.setGroupMember(sys, 'ZONE-1', tree.communeA1.id, true);
    await org.setGroupMember(sys, 'SCHOOLS', tree.communeA1.id, true);
    await org.reorganise(sys, { kind: 'close', unitId: tree.communeA2.id, date: '2020-01-01' });
  }

  // ------------------------------------------------------------------ export

  it('exports CSV with a header, RFC 4180 quoting and parents before children', async () => {
    await richTree();
    const text = await services().orgTransfer.exportTree('csv');
    expect(text.startsWith('\ufeff')).toBe(true);
    const lines = text.slice(1).split('\r\n');
    expect(lines[0]).toBe(TREE_COLUMNS.join(','));
    // The line break inside opening hours is a quoted LF; records end with CRLF.
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(['ROOT', 'PROV', 'DIST-A', 'COMM-A1', 'DIST-B', 'COMM-B1', '']);
    expect(lines[2]).toBe('PROV,ROOT,provincial,Thư viện PROV,Library PROV,thu-vien-prov,active,2000-01-01,,,,,,,,,,,,');
    expect(lines[4]).toBe(
      'COMM-A1,DIST-A,commune,Thư viện COMM-A1,Library COMM-A1,thu-vien-comm-a1,active,2010-01-01,,,"Số 1, đường ""Lê Lợi""",+84 297 3862 000,' +
        'a1@thuvien.vn,https://a1.thuvien.vn,"Thứ 2–6: 7:30–17:00\nThứ 7: 8:00–11:00",10.0123,105.0812,Thư viện xã; có phòng đọc thiếu nhi,,SCHOOLS;ZONE-1',
    );
    // The closed unit appears only when asked for.
    expect(text).not.toContain('COMM-A2');
    const all = await services().orgTransfer.exportTree('csv', { includeClosed: true });
    expect(all).toContain('\r\nCOMM-A2,DIST-A,commune,Thư viện COMM-A2,Library COMM-A2,thu-vien-comm-a2,closed,2010-01-01,2020-01-01,,,,,,,,,,,\r\n');
  });

  it('exports JSON with every field of every unit', async () => {
    await richTree();
    const doc = JSON.parse(await services().orgTransfer.exportTree('json', { includeClosed: true })) as TreeDocument;
    expect(doc.format).toBe('lienthong-org-tree');
    expect(doc.version).toBe(1);
    expect(doc.exportedAt).toBe('2026-03-15T03:00:00.000Z');
    expect(doc.units.map((u) => u.code)).toEqual(['ROOT', 'PROV', 'DIST-A', 'COMM-A1', 'COMM-A2', 'DIST-B', 'COMM-B1']);
    expect(doc.units[3]).toEqual({
      code: 'COMM-A1',
      parent: 'DIST-A',
      type: 'commune',
      nameVi: 'Thư viện COMM-A1',
      nameEn: 'Library COMM-A1',
      slug: 'thu-vien-comm-a1',
      status: 'active',
      openedOn: '2010-01-01',
      endedOn: null,
      mergedInto: null,
      address: 'Số 1, đường "Lê Lợi"',
      phone: '+84 297 3862 000',
      email: 'a1@thuvien.vn',
      website: 'https://a1.thuvien.vn',
      openingHours: 'Thứ 2–6: 7:30–17:00\nThứ 7: 8:00–11:00',
      latitude: 10.0123,
      longitude: 105.0812,
      descriptionVi: 'Thư viện xã; có phòng đọc thiếu nhi',
      descriptionEn: null,
      groups: ['SCHOOLS', 'ZONE-1'],
    });
    expect(doc.units[0]).toMatchObject({ code: 'ROOT', parent: null, type: 'network', groups: [] });
    expect(doc.units[4]).toMatchObject({ code: 'COMM-A2', status: 'closed', endedOn: '2020-01-01' });
  });

  it('exports the tree as it stood on a date', async () => {
    const { org, orgTransfer } = services();
    await org.reorganise(sys, { kind: 'rename', unitId: tree.distA.id, date: '2021-01-01', nameVi: 'Thư viện huyện mới', nameEn: 'New district library' });
    await org.reorganise(sys, { kind: 'merge', unitId: tree.communeA2.id, date: '2022-01-01', intoId: tree.communeA1.id });
    const codes = (doc: TreeDocument) => doc.units.map((u) => u.code);

    const in2015 = JSON.parse(await orgTransfer.exportTree('json', { asOf: '2015-06-01' })) as TreeDocument;
    expect(in2015.asOf).toBe('2015-06-01');
    expect(codes(in2015)).toEqual(['ROOT', 'PROV', 'DIST-A', 'COMM-A1', 'COMM-A2', 'DIST-B', 'COMM-B1']);
    expect(in2015.units[2]).toMatchObject({ code: 'DIST-A', nameVi: 'Thư viện DIST-A', nameEn: 'Library DIST-A' });
    expect(in2015.units[4]).toMatchObject({ code: 'COMM-A2', status: 'active', endedOn: null, mergedInto: null });

    const in2005 = JSON.parse(await orgTransfer.exportTree('json', { asOf: '2005-01-01' })) as TreeDocument;
    expect(codes(in2005)).toEqual(['ROOT', 'PROV']);

    const now = JSON.parse(await orgTransfer.exportTree('json', { asOf: TODAY, includeClosed: true })) as TreeDocument;
    expect(now.units[2]).toMatchObject({ code: 'DIST-A', nameVi: 'Thư viện huyện mới' });
    expect(now.units[4]).toMatchObject({ code: 'COMM-A2', status: 'merged', endedOn: '2022-01-01', mergedInto: 'COMM-A1' });

    expect((await failure(orgTransfer.exportTree('csv', { asOf: '2015-02-30' }))).code).toBe('ORG_DATE_INVALID');
  });

  it.each(['csv', 'json'] as const)('round-trips a %s export as all unchanged, writing nothing', async (format) => {
    await richTree();
    const { orgTransfer } = services();
    for (const includeClosed of [false, true]) {
      const file = await orgTransfer.exportTree(format, { includeClosed });
      const [units, audits] = [await unitCount(), await auditCount()];
      const report = await orgTransfer.importTree(sys, file, format);
      const n = includeClosed ? 7 : 6;
      expect(report).toMatchObject({ created: 0, updated: 0, unchanged: n, errors: 0, written: false });
      expect(report.rows.every((r) => r.action === 'unchanged' && r.problems.length === 0)).toBe(true);
      // As bytes too, the way an upload arrives.
      expect(await orgTransfer.importTree(sys, Buffer.from(file, 'utf8'), format)).toMatchObject({ unchanged: n, errors: 0 });
      expect([await unitCount(), await auditCount()]).toEqual([units, audits]);
    }
  });

  it('rebuilds the same tree from an export in an empty database', async () => {
    await services().org.reorganise(sys, { kind: 'close', unitId: tree.communeA2.id, date: '2020-01-01' });
    const file = await services().orgTransfer.exportTree('csv');
    const other = await testEnv(dialect);
    try {
      const report = await other.container.services.orgTransfer.importTree(sys, file, 'csv');
      expect(report).toMatchObject({ created: 6, updated: 0, unchanged: 0, errors: 0, written: true });
      expect(await other.container.services.orgTransfer.exportTree('csv')).toBe(file);
    } finally {
      await other.dispose();
    }
  });

  // ------------------------------------------------------------------ import: creating and updating

  it('creates new units whose parents come later in the file, and updates known ones', async () => {
    const { org, orgTransfer } = services();
    const audits = await auditCount();
    const file = csv(
      [...NEW_COLUMNS, 'slug', 'phone'],
      [
        ['new-c', 'NEW-B', 'book_box', 'Tủ sách Ấp 3', '', '2024-05-01', '', ''],
        ['NEW-B', 'NEW-A', 'reading_room', 'Phòng đọc Ấp 3', 'Reading room, hamlet 3', '2024-01-01', 'phong-doc-ap-3', ''],
        ['NEW-A', 'dist-b', 'commune', 'Thư viện xã Mới', 'New commune library', '2023-01-01', '', '0297 111'],
        ['COMM-A1', 'DIST-A', 'commune', 'Thư viện xã A1 mới', 'Library COMM-A1', '2010-01-01', 'thu-vien-comm-a1', '0297 222'],
      ],
    );
    const report = await orgTransfer.importTree(sys, file, 'csv');
    expect(actions(report)).toEqual([
      [1, 'NEW-C', 'create', []],
      [2, 'NEW-B', 'create', []],
      [3, 'NEW-A', 'create', []],
      [4, 'COMM-A1', 'update', []],
    ]);
    expect(report).toMatchObject({ created: 3, updated: 1, unchanged: 0, errors: 0, written: true });

    const a = await org.getByCode('NEW-A');
    const b = await org.getByCode('NEW-B');
    const c = await org.getByCode('NEW-C');
    expect(a).toMatchObject({ parentId: tree.distB.id, path: `${tree.distB.path}${a.id}/`, depth: 3, typeCode: 'commune', nameEn: 'New commune library', slug: 'thu-vien-xa-moi', phone: '0297 111', openedOn: '2023-01-01', status: 'active' });
    expect(b).toMatchObject({ parentId: a.id, path: `${a.path}${b.id}/`, depth: 4, slug: 'phong-doc-ap-3', nameEn: 'Reading room, hamlet 3' });
    expect(c).toMatchObject({ parentId: b.id, path: `${b.path}${c.id}/`, depth: 5, nameEn: 'Tủ sách Ấp 3', slug: 'tu-sach-ap-3', openedOn: '2024-05-01' });
    const listed = (await org.list()).map((u) => u.code);
    expect(listed).toHaveLength(10);
    expect(listed).toEqual(expect.arrayContaining(['NEW-A', 'NEW-B', 'NEW-C']));

    const a1 = await org.get(tree.communeA1.id);
    expect(a1).toMatchObject({ nameVi: 'Thư viện xã A1 mới', nameEn: 'Library COMM-A1', phone: '0297 222' });
    expect((await env.container.store.org.eventsOfUnit(a1.id)).map((e) => [e.kind, e.effectiveDate])).toEqual([
      ['create', '2010-01-01'],
      ['rename', TODAY],
    ]);
    expect((await env.container.store.org.eventsOfUnit(c.id)).map((e) => [e.kind, e.effectiveDate, e.data])).toEqual([
      ['create', '2024-05-01', { code: 'NEW-C', nameVi: 'Tủ sách Ấp 3', nameEn: 'Tủ sách Ấp 3', typeCode: 'book_box', parentId: b.id }],
    ]);
    const entries = await env.container.store.audit.list({ limit: 100 });
    expect(entries.length - audits).toBe(5);
    expect(entries.slice(0, 5).map((e) => e.action).sort()).toEqual(['org.tree.import', 'org.unit.create', 'org.unit.create', 'org.unit.create', 'org.unit.update']);
    // The tree replays cleanly with the new events, as of any date.
    expect((await org.treeAsOf('2023-06-01')).map((u) => u.code)).toContain('NEW-A');
    expect((await org.treeAsOf('2023-06-01')).map((u) => u.code)).not.toContain('NEW-B');
  });

  it('imports JSON, and sets group memberships from the groups column', async () => {
    const { org, orgTransfer } = services();
    await org.createGroup(sys, { code: 'ZONE-1', nameVi: 'Vùng 1' });
    await org.setGroupMember(sys, 'ZONE-1', tree.communeB1.id, true);
    const doc = {
      format: 'lienthong-org-tree',
      version: 1,
      units: [
        { code: 'NEW-J', parent: 'PROV', type: 'specialised', nameVi: 'Thư viện chuyên ngành', latitude: 10.5, longitude: 105.25, groups: ['zone-1'] },
        { code: 'COMM-B1', groups: [] },
        { code: 'COMM-A2', groups: 'ZONE-1', email: null },
      ],
    };
    const report = await orgTransfer.importTree(sys, JSON.stringify(doc), 'json');
    expect(actions(report)).toEqual([
      [1, 'NEW-J', 'create', []],
      [2, 'COMM-B1', 'update', []],
      [3, 'COMM-A2', 'update', []],
    ]);
    const j = await org.getByCode('NEW-J');
    expect(j).toMatchObject({ typeCode: 'specialised', latitude: 10.5, longitude: 105.25, openedOn: TODAY, nameEn: 'Thư viện chuyên ngành' });
    expect((await org.groupMembers('ZONE-1')).map((u) => u.code).sort()).toEqual(['COMM-A2', 'NEW-J']);
  });

  // ------------------------------------------------------------------ import: refusing bad rows

  const GOOD_ROWS: string[][] = [
    ['GOOD-1', 'DIST-A', 'commune', 'Thư viện tốt 1', '', '2020-01-01'],
    ['GOOD-2', 'GOOD-1', 'reading_room', 'Phòng đọc tốt 2', '', '2021-01-01'],
  ];
  const BAD_ROWS: Array<[string, string[], Array<[string, string]>]> = [
    ['bad code', ['BAD CODE!', 'DIST-A', 'commune', 'Sai mã', '', '2020-01-01'], [['code', 'ORG_CODE_INVALID']]],
    ['unknown type', ['BAD-TYPE', 'DIST-A', 'library', 'Sai loại', '', '2020-01-01'], [['type', 'ORG_TYPE_UNKNOWN']]],
    ['unknown parent', ['BAD-PARENT', 'NOWHERE', 'commune', 'Sai cấp trên', '', '2020-01-01'], [['parent', 'ORG_UNIT_NOT_FOUND']]],
    ['future date', ['BAD-DATE', 'DIST-A', 'commune', 'Ngày tương lai', '', '2026-03-16'], [['openedOn', 'ORG_EVENT_IN_FUTURE']]],
    ['impossible date', ['BAD-DATE', 'DIST-A', 'commune', 'Ngày sai', '', '2025-02-29'], [['openedOn', 'ORG_DATE_INVALID']]],
    ['date before the parent opened', ['BAD-DATE', 'DIST-A', 'commune', 'Quá sớm', '', '2009-12-31'], [['openedOn', 'ORG_EVENT_BEFORE_CREATION']]],
    ['move of a known unit', ['COMM-A1', 'DIST-B', 'commune', 'Thư viện COMM-A1', 'Library COMM-A1', '2010-01-01'], [['parent', 'ORG_IMPORT_STRUCTURAL']]],
    ['slug taken by another unit', ['BAD-SLUG', 'DIST-A', 'commune', 'Trùng địa chỉ', '', '2020-01-01', 'thu-vien-comm-b1'], [['slug', 'ORG_SLUG_TAKEN']]],
  ];

  it.each(BAD_ROWS)('writes nothing when one row is bad: %s', async (_name, bad, expected) => {
    const { orgTransfer } = services();
    const [units, audits] = [await unitCount(), await auditCount()];
    const header = bad.length > NEW_COLUMNS.length ? [...NEW_COLUMNS, 'slug'] : [...NEW_COLUMNS];
    const pad = (r: string[]) => [...r, ...Array<string>(header.length - r.length).fill('')];
    const report = await orgTransfer.importTree(sys, csv(header, [pad(GOOD_ROWS[0]!), pad(bad), pad(GOOD_ROWS[1]!)]), 'csv');
    expect(actions(report)).toEqual([
      [1, 'GOOD-1', 'create', []],
      [2, bad[0]!.toUpperCase(), 'error', expected.map(([f, c]) => `${f}:${c}`)],
      [3, 'GOOD-2', 'create', []],
    ]);
    expect(report).toMatchObject({ created: 2, updated: 0, unchanged: 0, errors: 1, written: false });
    expect([await unitCount(), await auditCount()]).toEqual([units, audits]);
  });

  it('reports every bad row of a file at once, duplicates on each of their rows', async () => {
    const report = await services().orgTransfer.importTree(
      sys,
      csv(NEW_COLUMNS, [
        ['DUP', 'DIST-A', 'commune', 'Một', '', '2020-01-01'],
        ['LOOP-1', 'LOOP-2', 'commune', 'Vòng 1', '', '2020-01-01'],
        ['LOOP-2', 'LOOP-1', 'commune', 'Vòng 2', '', '2020-01-01'],
        ['UNDER-LOOP', 'LOOP-1', 'commune', 'Dưới vòng', '', '2020-01-01'],
        ['dup', 'DIST-B', 'commune', 'Hai', '', '2020-01-01'],
        ['NO-NAME', 'DIST-B', 'commune', '', '', ''],
        ['CLOSED-KID', 'COMM-A1', 'book_box', 'Tủ sách', '', '2020-01-01'],
      ]),
      'csv',
    );
    expect(actions(report)).toEqual([
      [1, 'DUP', 'error', ['code:ORG_IMPORT_DUPLICATE']],
      [2, 'LOOP-1', 'error', ['parent:ORG_IMPORT_PARENT_CYCLE']],
      [3, 'LOOP-2', 'error', ['parent:ORG_IMPORT_PARENT_CYCLE']],
      [4, 'UNDER-LOOP', 'error', ['parent:ORG_IMPORT_PARENT_INVALID']],
      [5, 'DUP', 'error', ['code:ORG_IMPORT_DUPLICATE']],
      [6, 'NO-NAME', 'error', ['nameVi:VALIDATION']],
      [7, 'CLOSED-KID', 'create', []],
    ]);
    expect(report.rows[0]!.problems[0]!.params).toEqual({ value: 'DUP', rows: '1, 5' });
    expect(report.rows[3]!.problems[0]!.params).toEqual({ parent: 'LOOP-1' });
    expect(report).toMatchObject({ created: 1, errors: 6, written: false });
  });

  it('with partial, writes the good rows and reports the bad ones and their children', async () => {
    const { org, orgTransfer } = services();
    const units = await unitCount();
    const report = await orgTransfer.importTree(
      sys,
      csv(NEW_COLUMNS, [
        ['KID-OF-BAD', 'BAD-TYPE', 'book_box', 'Con của dòng lỗi', '', '2021-01-01'],
        ...GOOD_ROWS,
        ['BAD-TYPE', 'DIST-A', 'library', 'Sai loại', '', '2020-01-01'],
      ]),
      'csv',
      { partial: true },
    );
    expect(actions(report)).toEqual([
      [1, 'KID-OF-BAD', 'error', ['parent:ORG_IMPORT_PARENT_INVALID']],
      [2, 'GOOD-1', 'create', []],
      [3, 'GOOD-2', 'create', []],
      [4, 'BAD-TYPE', 'error', ['type:ORG_TYPE_UNKNOWN']],
    ]);
    expect(report).toMatchObject({ created: 2, errors: 2, written: true });
    expect(await unitCount()).toBe(units + 2);
    expect((await org.getByCode('GOOD-2')).parentId).toBe((await org.getByCode('GOOD-1')).id);
    expect((await failure(org.getByCode('BAD-TYPE'))).code).toBe('ORG_UNIT_NOT_FOUND');
  });

  it('writes nothing on a dry run, yet reports what it would do', async () => {
    const [units, audits] = [await unitCount(), await auditCount()];
    const report = await services().orgTransfer.importTree(sys, csv(NEW_COLUMNS, GOOD_ROWS), 'csv', { dryRun: true });
    expect(actions(report)).toEqual([
      [1, 'GOOD-1', 'create', []],
      [2, 'GOOD-2', 'create', []],
    ]);
    expect(report).toMatchObject({ created: 2, errors: 0, written: false });
    expect([await unitCount(), await auditCount()]).toEqual([units, audits]);
  });

  // ------------------------------------------------------------------ import: permissions

  it('refuses rows outside a librarian’s unit, row by row', async () => {
    const { org, orgTransfer } = services();
    const commlib = await actorFor(env.container, tree.users.commlib);
    const [units, audits] = [await unitCount(), await auditCount()];
    const file = csv(
      ['code', 'parent', 'type', 'nameVi', 'phone'],
      [
        ['NEW-B2', 'DIST-B', 'commune', 'Thư viện mới', ''],
        ['COMM-B1', 'DIST-B', 'commune', 'Thư viện COMM-B1', '0297 999'],
        ['COMM-A1', 'DIST-A', 'commune', 'Thư viện COMM-A1', '0297 123'],
        ['COMM-A2', 'DIST-A', 'commune', 'Tên mới', ''],
      ],
    );
    const report = await orgTransfer.importTree(commlib, file, 'csv');
    expect(actions(report)).toEqual([
      [1, 'NEW-B2', 'error', ['parent:PERMISSION_DENIED']],
      [2, 'COMM-B1', 'error', ['code:PERMISSION_DENIED']],
      [3, 'COMM-A1', 'update', []],
      [4, 'COMM-A2', 'error', ['code:PERMISSION_DENIED', 'nameVi:PERMISSION_DENIED']],
    ]);
    expect(report.rows[0]!.problems[0]!.params).toEqual({ permission: 'org.unit.create', unit: 'DIST-B' });
    expect(report.written).toBe(false);
    expect(await unitCount()).toBe(units);
    // Nothing written but the refusal itself, in the security log.
    const entries = await env.container.store.audit.list({ limit: 100 });
    expect(entries.length).toBe(audits + 1);
    expect(entries[0]).toMatchObject({ action: 'security.denied', actorId: tree.users.commlib, targetId: 'org.unit.create' });

    const partial = await orgTransfer.importTree(commlib, file, 'csv', { partial: true });
    expect(partial).toMatchObject({ updated: 1, errors: 3, written: true });
    expect((await org.get(tree.communeA1.id)).phone).toBe('0297 123');
    expect((await org.get(tree.communeB1.id)).phone).toBeNull();
  });

  it('lets a library administrator create within their subtree only, also under new rows', async () => {
    const distadmin = await actorFor(env.container, tree.users.distadmin);
    const report = await services().orgTransfer.importTree(
      distadmin,
      csv(NEW_COLUMNS, [
        ['A-KID', 'A-NEW', 'book_box', 'Tủ sách', '', '2021-01-01'],
        ['A-NEW', 'DIST-A', 'commune', 'Xã mới', '', '2020-01-01'],
        ['B-NEW', 'DIST-B', 'commune', 'Xã khác', '', '2020-01-01'],
        ['B-KID', 'B-NEW', 'book_box', 'Tủ sách khác', '', '2021-01-01'],
      ]),
      'csv',
      { partial: true },
    );
    expect(actions(report)).toEqual([
      [1, 'A-KID', 'create', []],
      [2, 'A-NEW', 'create', []],
      [3, 'B-NEW', 'error', ['parent:PERMISSION_DENIED']],
      [4, 'B-KID', 'error', ['parent:ORG_IMPORT_PARENT_INVALID']],
    ]);
    const kid = await services().org.getByCode('A-KID');
    expect(kid.path.startsWith(tree.distA.path)).toBe(true);
  });

  // ------------------------------------------------------------------ import: unreadable files

  const UNREADABLE: Array<[string, 'csv' | 'json', string | Buffer, Array<[string, Record<string, unknown>]>]> = [
    ['unbalanced quote', 'csv', 'code,nameVi\r\nA,Thư viện\r\nB,"Thư viện\r\nC,x\r\n', [['ORG_IMPORT_SYNTAX', { line: 3, format: 'CSV' }]]],
    ['stray quote', 'csv', 'code,nameVi\r\nA,Thư "viện"\r\n', [['ORG_IMPORT_SYNTAX', { line: 2, format: 'CSV' }]]],
    [
      'wrong column count',
      'csv',
      'code,nameVi\r\nA,x\r\nB,y,z\r\n\r\nC\r\n',
      [
        ['ORG_IMPORT_FIELD_COUNT', { line: 3, found: 3, expected: 2 }],
        ['ORG_IMPORT_FIELD_COUNT', { line: 5, found: 1, expected: 2 }],
      ],
    ],
    [
      'unknown columns',
      'csv',
      'code,nameVi,district,Tên\r\nA,x,y,z\r\n',
      [
        ['ORG_IMPORT_COLUMN_UNKNOWN', { column: 'district', line: 1 }],
        ['ORG_IMPORT_COLUMN_UNKNOWN', { column: 'Tên', line: 1 }],
      ],
    ],
    ['no code column', 'csv', 'nameVi\r\nx\r\n', [['ORG_IMPORT_COLUMN_MISSING', { column: 'code', line: 1 }]]],
    ['not UTF-8', 'csv', Buffer.concat([Buffer.from('code,nameVi\r\nA,Th'), Buffer.from([0xf0, 0x20]), Buffer.from('\r\n')]), [['ORG_IMPORT_ENCODING', { line: 2 }]]],
    ['malformed JSON', 'json', '{\n  "format": "lienthong-org-tree",\n  "units": [,]\n}', [['ORG_IMPORT_SYNTAX', { line: 3, format: 'JSON' }]]],
    ['trailing comma in JSON', 'json', '[\n  {"code": "A"},\n  {"code": "B"},\n]\n', [['ORG_IMPORT_SYNTAX', { line: 4, format: 'JSON' }]]],
    ['JSON that is not a tree', 'json', '{"format":"other","version":1,"units":[]}', [['ORG_IMPORT_NOT_TREE', {}]]],
    ['unknown JSON keys', 'json', '[{"code":"A"},{"code":"B","district":"x"}]', [['ORG_IMPORT_COLUMN_UNKNOWN', { column: 'district' }]]],
  ];

  it.each(UNREADABLE)('refuses a file that cannot be read: %s', async (_name, format, content, expected) => {
    const [units, audits] = [await unitCount(), await auditCount()];
    const e = await failure(services().orgTransfer.importTree(sys, content, format));
    expect(e.code).toBe('ORG_IMPORT_INVALID');
    expect(e.params.count).toBe(expected.length);
    expect(e.details?.map((d) => [d.code, d.params ?? {}])).toEqual(expected);
    expect([await unitCount(), await auditCount()]).toEqual([units, audits]);
  });

  it('refuses more than 100,000 rows or 20 MB', async () => {
    const { orgTransfer } = services();
    const many = `code\r\n${Array.from({ length: 100_001 }, (_, i) => `U${i}`).join('\r\n')}\r\n`;
    const e = await failure(orgTransfer.importTree(sys, many, 'csv'));
    expect([e.code, e.params]).toEqual(['PAYLOAD_TOO_LARGE', { maxRows: 100_000 }]);
    const big = Buffer.alloc(20 * 1024 * 1024 + 1, 0x41);
    const f = await failure(orgTransfer.importTree(sys, big, 'json'));
    expect([f.code, f.params]).toEqual(['PAYLOAD_TOO_LARGE', { maxBytes: 20 * 1024 * 1024 }]);
  });
});
