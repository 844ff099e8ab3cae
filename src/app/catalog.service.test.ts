import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEachDialect, type TestDialect } from '../../test/dialects.js';
import { actorFor, treeEnvEach, type SmallTree, type TestClock, type TreeActors } from '../../test/factories.js';
import { codeOf, count, counts, failure, latestAudit } from '../../test/expect.js';
import type { Container } from '../main/container.js';
import type { MarcRecord } from '../codecs/marc/record.js';
import { writeIso2709 } from '../codecs/marc/write.js';
import { systemActor, type Actor } from './actor.js';
import { DuplicateFound, RecordRejected } from './catalog.service.js';
import { normaliseRecord } from './catalog-record.js';

const sys = systemActor('test');

/** A small Vietnamese book record; each `n` gives a different title, author and year. */
function book(n: number, opts: { isbn?: string; ctrl?: [string, string]; sysno?: string; title?: string; barcodes?: Array<[string, string]> } = {}): MarcRecord {
  const fields: MarcRecord['fields'] = [];
  if (opts.ctrl) fields.push({ tag: '001', value: opts.ctrl[1] }, { tag: '003', value: opts.ctrl[0] });
  fields.push({ tag: '008', value: '250101s2024    vm            000 0 vie d' });
  if (opts.isbn) fields.push({ tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: opts.isbn }] });
  if (opts.sysno) fields.push({ tag: '035', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: opts.sysno }] });
  fields.push({ tag: '082', ind1: '0', ind2: '4', subfields: [{ code: 'a', value: '959.7' }, { code: 'b', value: 'NG-D' }] });
  fields.push({ tag: '100', ind1: '0', ind2: ' ', subfields: [{ code: 'a', value: `Nguyễn Văn ${String.fromCharCode(65 + (n % 26))}${n}` }] });
  fields.push({ tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: opts.title ?? `Lịch sử Kiên Giang tập ${n} /` }, { code: 'c', value: 'Nhiều tác giả.' }] });
  fields.push({ tag: '264', ind1: ' ', ind2: '1', subfields: [{ code: 'a', value: 'Rạch Giá :' }, { code: 'b', value: 'Nxb. Tổng hợp,' }, { code: 'c', value: `${2000 + (n % 25)}.` }] });
  for (const [owner, barcode] of opts.barcodes ?? []) {
    fields.push({ tag: '952', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: owner }, { code: 'b', value: owner }, { code: 'o', value: '959.7 NG-D' }, { code: 'p', value: barcode }, { code: 'y', value: 'BK' }] });
  }
  return { leader: '00000nam a2200000 i 4500', fields };
}

const ISBN = '978-604-0-00001-9';
const ISBN13 = '9786040000019';

const writes = (c: Container) => counts(c, { records: 'bib_records', identifiers: 'bib_identifiers', items: 'items', audit: 'audit_log' });

describeEachDialect('CatalogService', (dialect: TestDialect) => {
  let c: Container;
  let t: SmallTree;
  let actors: TreeActors;
  let clock: TestClock;
  treeEnvEach(dialect, (x) => {
    ({ c, t, actors } = x);
    clock = x.env.clock;
  });

  const catalog = () => c.services.catalog;
  /** A record owned by `unitId` (the province by default), created by the system. */
  const create = async (marc: MarcRecord, unitId = t.prov.id, actor: Actor = sys) => (await catalog().create(actor, { marc, unitId })).record;
  const addItem = (recordId: number, barcode: string, owner: string, actor: Actor = sys, extra: Record<string, string> = {}) => catalog().addItem(actor, recordId, { barcode, ownerUnitCode: owner, ...extra });

  /** A user with the `cataloguer` role over the whole network. */
  const cataloguer = async (): Promise<Actor> => {
    const { user } = await c.services.staff.create(sys, { username: 'cat', displayName: 'Trung tâm biên mục', homeUnitId: t.prov.id, password: 'mật khẩu đủ dài' });
    await c.services.staff.grant(sys, { userId: user.id, roleCode: 'cataloguer', unitId: t.root.id, scope: 'network' });
    return actorFor(c, user.id);
  };

  // -------------------------------------------------------------- create

  describe('create', () => {
    it('stores the record with its derived columns and audits it with the MARC', async () => {
      const marc = book(1, { isbn: ISBN, title: 'Truyện Kiều /'.normalize('NFD') });
      const { record, warnings } = await catalog().create(actors.commlib, { marc, unitId: t.communeA1.id });
      expect(record).toMatchObject({ title: 'Truyện Kiều', mainAuthor: 'Nguyễn Văn B1', year: 2001, ownerUnitId: t.communeA1.id, status: 'active', source: 'manual', version: 1, createdBy: t.users.commlib, deletedAt: null });
      expect(record.callNumber).toBe('959.7 NG-D');
      expect(warnings.every((w) => w.severity === 'warning')).toBe(true);
      const entry = await latestAudit(c);
      expect(entry).toMatchObject({ action: 'catalog.record.create', actorId: t.users.commlib, unitId: t.communeA1.id, targetType: 'record', targetId: String(record.id) });
      expect(entry!.after).toEqual({ title: 'Truyện Kiều', marc: normaliseRecord(marc) });
      const view = await catalog().get(record.id);
      expect(view.marc).toEqual(normaliseRecord(marc));
      expect(view.derived.isbns[0]?.isbn13).toBe(ISBN13);
      expect(view.items).toEqual([]);
    });

    it('writes the identifiers duplicates are found by: ISBN, 001+003, 035, our own number, and the title/author/year key', async () => {
      const r = await create(book(1, { isbn: ISBN, ctrl: ['VN-KG', '77'], sysno: '(OCoLC)ocm00012345' }));
      const found = async (m: MarcRecord) => (await catalog().findDuplicates(m)).map((d) => [d.recordId, d.on, d.value]);
      expect(await found(book(50, { isbn: '9786040000019' }))).toEqual([[r.id, 'isbn', ISBN13]]);
      expect(await found(book(51, { ctrl: ['vn-kg', '77'] }))).toEqual([[r.id, 'ctrl', 'VN-KG|77']]);
      // Another library's 035 naming the number the record came with.
      expect(await found(book(52, { sysno: '(VN-KG)77' }))).toEqual([[r.id, 'sysno', 'VN-KG|77']]);
      expect(await found(book(53, { sysno: '(OCoLC)12345' }))).toEqual([[r.id, 'sysno', 'OCOLC|12345']]);
      // A record exported from here comes back with our number in 001/003.
      expect(await found(book(54, { ctrl: [catalog().orgCode, String(r.id)] }))).toEqual([[r.id, 'ctrl', `${catalog().orgCode}|${r.id}`]]);
      // Nothing shared but title, author and year.
      expect(await found(book(1))).toEqual([[r.id, 'key', expect.any(String)]]);
      expect(await found(book(2))).toEqual([]);
      // A record is not its own duplicate.
      expect(await catalog().findDuplicates(book(1, { isbn: ISBN }), r.id)).toEqual([]);
    });

    it('refuses a record without 245 and writes nothing', async () => {
      const before = await writes(c);
      const untitled: MarcRecord = { leader: '00000nam a2200000 i 4500', fields: [{ tag: '008', value: '250101s2024    vm            000 0 vie d' }, { tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'Chỉ có ghi chú.' }] }] };
      const e = await failure(catalog().create(sys, { marc: untitled, unitId: t.prov.id }));
      expect(e).toBeInstanceOf(RecordRejected);
      expect(e.code).toBe('CATALOG_RECORD_INVALID');
      expect(e.params).toEqual({ count: 1 });
      expect((e as RecordRejected).problems).toContainEqual(expect.objectContaining({ code: 'title-missing', severity: 'error' }));
      expect(catalog().check(untitled)).toEqual((e as RecordRejected).problems);
      expect(await writes(c)).toEqual(before);
    });

    it('reports a duplicate with its candidates, and creates it anyway when told to', async () => {
      const first = await create(book(1, { isbn: ISBN }));
      const before = await writes(c);
      const e = await failure(catalog().create(sys, { marc: book(9, { isbn: ISBN13, title: 'Tên khác /' }), unitId: t.prov.id }));
      expect(e).toBeInstanceOf(DuplicateFound);
      expect(e.params).toEqual({ record: first.id, on: 'isbn' });
      expect((e as DuplicateFound).candidates).toEqual([{ recordId: first.id, on: 'isbn', value: ISBN13, title: 'Lịch sử Kiên Giang tập 1' }]);
      expect(await writes(c)).toEqual(before);
      const second = await catalog().create(sys, { marc: book(9, { isbn: ISBN13, title: 'Tên khác /' }), unitId: t.prov.id, allowDuplicate: true });
      expect(second.record.id).not.toBe(first.id);
      expect(await catalog().count()).toBe(2);
    });

    it('needs catalog.record.create at the owning library', async () => {
      expect(await codeOf(catalog().create(actors.commlib, { marc: book(1), unitId: t.communeB1.id }))).toEqual({ code: 'PERMISSION_DENIED', params: { permission: 'catalog.record.create', unit: t.communeB1.id } });
      expect(await count(c, 'bib_records')).toBe(0);
    });
  });

  // -------------------------------------------------------------- update

  describe('update', () => {
    it('replaces the MARC when the version is current, and refuses a stale version', async () => {
      const r = await create(book(1));
      clock.advance(60_000);
      const { record } = await catalog().update(sys, r.id, { marc: book(1, { title: 'Lịch sử Kiên Giang (tái bản) /' }), version: r.version });
      expect(record).toMatchObject({ title: 'Lịch sử Kiên Giang (tái bản)', version: r.version + 1 });
      expect(record.updatedAt > r.updatedAt).toBe(true);
      const entry = await latestAudit(c);
      expect(entry).toMatchObject({ action: 'catalog.record.update', targetId: String(r.id), unitId: t.prov.id });
      expect(entry!.before).toMatchObject({ title: 'Lịch sử Kiên Giang tập 1' });
      expect(entry!.after).toMatchObject({ title: 'Lịch sử Kiên Giang (tái bản)' });
      const before = await writes(c);
      expect(await codeOf(catalog().update(sys, r.id, { marc: book(1, { title: 'Lần nữa /' }), version: r.version }))).toEqual({ code: 'CATALOG_STALE_VERSION', params: { record: r.id } });
      expect(await writes(c)).toEqual(before);
      expect((await catalog().get(r.id)).record.title).toBe('Lịch sử Kiên Giang (tái bản)');
    });

    it('refuses a record that breaks the rules, and an unknown record', async () => {
      const r = await create(book(1));
      const broken = book(1);
      broken.fields = broken.fields.filter((f) => f.tag !== '245');
      expect(await failure(catalog().update(sys, r.id, { marc: broken, version: r.version }))).toBeInstanceOf(RecordRejected);
      expect(await codeOf(catalog().update(sys, 999_999, { marc: book(1), version: 1 }))).toEqual({ code: 'CATALOG_RECORD_NOT_FOUND', params: { record: 999_999 } });
    });

    it('keeps the control and system numbers the record was known by, but not an ISBN taken out', async () => {
      const r = await create(book(1, { isbn: ISBN, ctrl: ['VN-KG', '77'], sysno: '(OCoLC)12345' }));
      await catalog().update(sys, r.id, { marc: book(1, { title: 'Tên mới /' }), version: r.version });
      const on = async (m: MarcRecord) => (await catalog().findDuplicates(m)).map((d) => [d.recordId, d.on]);
      expect(await on(book(50, { ctrl: ['VN-KG', '77'] }))).toEqual([[r.id, 'ctrl']]);
      expect(await on(book(51, { sysno: '(OCoLC)12345' }))).toEqual([[r.id, 'sysno']]);
      expect(await on(book(52, { ctrl: [catalog().orgCode, String(r.id)] }))).toEqual([[r.id, 'ctrl']]);
      expect(await on(book(53, { isbn: ISBN }))).toEqual([]);
      // The key follows the new title.
      expect(await on(book(1, { title: 'Tên mới /' }))).toEqual([[r.id, 'key']]);
      expect(await on(book(1))).toEqual([]);
    });
  });

  // -------------------------------------------------------------- permissions

  describe('who may edit a record', () => {
    it('a librarian edits a record of their library held only there, not once another library holds it', async () => {
      const r = await create(book(1), t.communeA1.id, actors.commlib);
      await addItem(r.id, 'A1-1', 'COMM-A1', actors.commlib);
      expect(await catalog().canEdit(actors.commlib, r)).toBe(true);
      const { record } = await catalog().update(actors.commlib, r.id, { marc: book(1, { title: 'Sửa lần một /' }), version: r.version });

      const b1 = await addItem(r.id, 'B1-1', 'COMM-B1', actors.otherlib);
      expect(await catalog().canEdit(actors.commlib, record)).toBe(false);
      expect(await codeOf(catalog().update(actors.commlib, r.id, { marc: book(1, { title: 'Sửa lần hai /' }), version: record.version }))).toEqual({
        code: 'PERMISSION_DENIED',
        params: { permission: 'catalog.record.edit_shared', unit: t.communeA1.id },
      });
      // The refusal is on record, in its own transaction.
      expect(await latestAudit(c)).toMatchObject({ action: 'security.denied', actorId: t.users.commlib, unitId: t.communeA1.id, targetType: 'permission', targetId: 'catalog.record.edit_shared', after: { code: 'PERMISSION_DENIED' } });
      expect(await codeOf(catalog().delete(actors.commlib, r.id))).toMatchObject({ code: 'PERMISSION_DENIED' });
      // The other library's librarian does not own it.
      expect(await catalog().canEdit(actors.otherlib, record)).toBe(false);
      // A withdrawn copy no longer counts as holding it.
      await catalog().withdrawItem(actors.otherlib, b1.id);
      expect(await catalog().canEdit(actors.commlib, record)).toBe(true);
    });

    it('a library admin edits records held anywhere in their district', async () => {
      const r = await create(book(1), t.communeA1.id);
      await addItem(r.id, 'A1-1', 'COMM-A1');
      await addItem(r.id, 'A2-1', 'COMM-A2');
      expect(await catalog().canEdit(actors.distadmin, r)).toBe(true);
      await addItem(r.id, 'B1-1', 'COMM-B1');
      expect(await catalog().canEdit(actors.distadmin, r)).toBe(false);
    });

    it('a cataloguer over the network edits shared records', async () => {
      const cat = await cataloguer();
      const r = await create(book(1), t.communeA1.id, actors.commlib);
      await addItem(r.id, 'A1-1', 'COMM-A1', actors.commlib);
      await addItem(r.id, 'B1-1', 'COMM-B1', actors.otherlib);
      expect(await catalog().canEdit(cat, r)).toBe(true);
      const { record } = await catalog().update(cat, r.id, { marc: book(1, { title: 'Biên mục lại /' }), version: r.version });
      expect(record).toMatchObject({ title: 'Biên mục lại', updatedBy: cat.userId });
    });
  });

  // -------------------------------------------------------------- delete

  describe('delete', () => {
    it('refuses while live items remain, then leaves a tombstone', async () => {
      const r = await create(book(1, { isbn: ISBN }));
      const item = await addItem(r.id, 'P-1', 'PROV');
      expect(await codeOf(catalog().delete(sys, r.id))).toEqual({ code: 'CATALOG_RECORD_HAS_ITEMS', params: { record: r.id, count: 1 } });
      await catalog().withdrawItem(sys, item.id);
      expect(await codeOf(catalog().delete(sys, r.id, { version: r.version + 1 }))).toEqual({ code: 'CATALOG_STALE_VERSION', params: { record: r.id } });

      clock.set('2026-04-02T09:00:00.000Z');
      await catalog().delete(sys, r.id, { version: r.version });
      expect(await latestAudit(c)).toMatchObject({ action: 'catalog.record.delete', targetId: String(r.id), before: { title: 'Lịch sử Kiên Giang tập 1' } });
      expect(await codeOf(catalog().get(r.id))).toEqual({ code: 'CATALOG_RECORD_DELETED', params: { record: r.id, date: '2026-04-02' } });
      const tomb = await catalog().get(r.id, { allowDeleted: true });
      expect(tomb.record).toMatchObject({ status: 'deleted', deletedAt: '2026-04-02T09:00:00.000Z', updatedAt: '2026-04-02T09:00:00.000Z', version: r.version + 1 });
      expect(tomb.items.map((i) => i.status)).toEqual(['withdrawn']);
      expect(await catalog().list({ limit: 10 })).toEqual([]);
      expect(await catalog().count()).toBe(0);

      // Its identifiers are gone: the same ISBN is no longer a duplicate.
      expect(await catalog().findDuplicates(book(1, { isbn: ISBN }))).toEqual([]);
      const again = await create(book(1, { isbn: ISBN }));
      expect(again.id).not.toBe(r.id);

      // A tombstone is neither edited nor deleted again, nor given items.
      expect(await codeOf(catalog().update(sys, r.id, { marc: book(1), version: tomb.record.version }))).toMatchObject({ code: 'CATALOG_RECORD_DELETED' });
      expect(await codeOf(catalog().delete(sys, r.id))).toMatchObject({ code: 'CATALOG_RECORD_DELETED' });
      expect(await codeOf(addItem(r.id, 'P-2', 'PROV'))).toMatchObject({ code: 'CATALOG_RECORD_DELETED' });
    });
  });

  // -------------------------------------------------------------- items

  describe('items', () => {
    it('adds an item with its barcode normalised and the record’s call number', async () => {
      const r = await create(book(1));
      const view = await catalog().get(r.id);
      const item = await catalog().addItem(actors.commlib, r.id, { barcode: ' a1-0001 ', ownerUnitCode: 'comm-a1', price: '120.000 đ', acquiredOn: '2026-03-01' });
      expect(item).toMatchObject({
        recordId: r.id,
        barcode: 'A1-0001',
        ownerUnitId: t.communeA1.id,
        ownerUnitCode: 'COMM-A1',
        locationUnitId: t.communeA1.id,
        locationUnitCode: 'COMM-A1',
        callNumber: '959.7 NG-D',
        callScheme: view.derived.callNumber!.scheme,
        shelfKey: view.derived.callNumber!.shelfKey,
        status: 'available',
        price: 120000,
        currency: 'VND',
        acquiredOn: '2026-03-01',
        source: 'manual',
        version: 1,
        withdrawnAt: null,
      });
      expect(await latestAudit(c)).toMatchObject({ action: 'catalog.item.create', unitId: t.communeA1.id, targetType: 'item', targetId: String(item.id), after: { recordId: r.id, barcode: 'A1-0001' } });
      // Found by its barcode however it is typed.
      expect((await catalog().getItemByBarcode('a1-0001')).id).toBe(item.id);
      expect((await catalog().getItemByBarcode(' A1-00 01 ')).id).toBe(item.id);
      expect(await codeOf(catalog().getItemByBarcode('NOPE-1'))).toEqual({ code: 'CATALOG_ITEM_NOT_FOUND', params: { item: 'NOPE-1' } });

      // A call number of its own gets its own shelf key; the location may differ from the owner.
      const own = await catalog().addItem(actors.distadmin, r.id, { barcode: 'A2-0001', ownerUnitCode: 'COMM-A2', locationUnitCode: 'COMM-A1', callNumber: '959.704 NG-D' });
      expect(own).toMatchObject({ callNumber: '959.704 NG-D', callScheme: 'ddc', ownerUnitCode: 'COMM-A2', locationUnitCode: 'COMM-A1' });
      expect(own.shelfKey).toBeTruthy();
      expect(own.shelfKey).not.toBe(item.shelfKey);
      expect((await catalog().get(r.id)).items.map((i) => i.barcode)).toEqual(['A1-0001', 'A2-0001']);
    });

    it('keeps barcodes unique across the network', async () => {
      const r1 = await create(book(1));
      const r2 = await create(book(2));
      await addItem(r1.id, 'X-1', 'COMM-A1');
      const before = await writes(c);
      expect(await codeOf(addItem(r2.id, 'x-1', 'COMM-B1'))).toEqual({ code: 'CATALOG_BARCODE_TAKEN', params: { barcode: 'X-1' } });
      expect(await writes(c)).toEqual(before);
    });

    it('refuses an invalid item with every problem by field, writing nothing', async () => {
      const r = await create(book(1));
      const before = await writes(c);
      const e = await failure(catalog().addItem(sys, r.id, { barcode: 'ä', ownerUnitCode: 'COMM-A1', price: 'rẻ', acquiredOn: '2099-01-01' }));
      expect(e.code).toBe('CATALOG_ITEM_INVALID');
      expect(e.details).toEqual([
        { field: 'barcode', code: 'CATALOG_ITEM_INVALID', params: { rule: 'catalog.item.barcode-invalid', value: 'ä' } },
        { field: 'price', code: 'CATALOG_ITEM_INVALID', params: { rule: 'catalog.item.price-invalid', value: 'rẻ' } },
        { field: 'acquiredOn', code: 'CATALOG_ITEM_INVALID', params: { rule: 'catalog.item.date-in-future', value: '2099-01-01', today: '2026-03-15' } },
      ]);
      expect(await codeOf(catalog().addItem(sys, r.id, { barcode: 'OK-1' }))).toMatchObject({ code: 'VALIDATION' });
      expect(await codeOf(catalog().addItem(sys, r.id, { barcode: 'OK-1', ownerUnitCode: 'NOWHERE' }))).toEqual({ code: 'ORG_UNIT_NOT_FOUND', params: { unit: 'NOWHERE' } });
      expect(await codeOf(catalog().addItem(sys, 999_999, { barcode: 'OK-1', ownerUnitCode: 'PROV' }))).toEqual({ code: 'CATALOG_RECORD_NOT_FOUND', params: { record: 999_999 } });
      expect(await writes(c)).toEqual(before);
    });

    it('lets only staff of the owning library manage its items', async () => {
      const r = await create(book(1));
      expect(await codeOf(addItem(r.id, 'B1-1', 'COMM-B1', actors.commlib))).toEqual({ code: 'PERMISSION_DENIED', params: { permission: 'catalog.item.manage', unit: t.communeB1.id } });
      expect(await latestAudit(c)).toMatchObject({ action: 'security.denied', actorId: t.users.commlib, unitId: t.communeB1.id, targetId: 'catalog.item.manage' });
      const item = await addItem(r.id, 'B1-1', 'COMM-B1', actors.otherlib);
      expect(await codeOf(catalog().updateItem(actors.commlib, item.id, { barcode: 'B1-1', version: item.version }))).toMatchObject({ code: 'PERMISSION_DENIED' });
      expect(await codeOf(catalog().withdrawItem(actors.commlib, item.id))).toMatchObject({ code: 'PERMISSION_DENIED' });
      expect((await catalog().getItem(item.id)).status).toBe('available');
    });

    it('updates an item; moving it to another owner needs the permission at both', async () => {
      const r = await create(book(1));
      const item = await addItem(r.id, 'A1-1', 'COMM-A1', actors.commlib, { staffNote: 'Bìa rách' });
      const edited = await catalog().updateItem(actors.commlib, item.id, { barcode: 'A1-1', status: 'damaged', shelvingLocation: 'Kho mượn', staffNote: 'Bìa rách', version: item.version });
      expect(edited).toMatchObject({ status: 'damaged', shelvingLocation: 'Kho mượn', staffNote: 'Bìa rách', version: item.version + 1, ownerUnitCode: 'COMM-A1' });
      const entry = await latestAudit(c);
      expect(entry).toMatchObject({ action: 'catalog.item.update', targetId: String(item.id), before: { status: 'available' }, after: { status: 'damaged', recordId: r.id } });
      expect(await codeOf(catalog().updateItem(actors.commlib, item.id, { barcode: 'A1-1', version: item.version }))).toEqual({ code: 'CATALOG_STALE_VERSION', params: { item: item.id } });

      // commlib may manage COMM-A1's items only, not give one to COMM-A2.
      expect(await codeOf(catalog().updateItem(actors.commlib, item.id, { barcode: 'A1-1', ownerUnitCode: 'COMM-A2', version: edited.version }))).toEqual({
        code: 'PERMISSION_DENIED',
        params: { permission: 'catalog.item.manage', unit: t.communeA2.id },
      });
      const moved = await catalog().updateItem(actors.distadmin, item.id, { barcode: 'A1-1', ownerUnitCode: 'COMM-A2', version: edited.version });
      expect(moved).toMatchObject({ ownerUnitId: t.communeA2.id, ownerUnitCode: 'COMM-A2', locationUnitCode: 'COMM-A1' });

      // A new barcode must be free.
      await addItem(r.id, 'A2-9', 'COMM-A2');
      expect(await codeOf(catalog().updateItem(actors.distadmin, item.id, { barcode: 'a2-9', version: moved.version }))).toEqual({ code: 'CATALOG_BARCODE_TAKEN', params: { barcode: 'A2-9' } });
      const renamed = await catalog().updateItem(actors.distadmin, item.id, { barcode: 'a2-10', version: moved.version });
      expect(renamed.barcode).toBe('A2-10');
    });

    it('withdraws an item, keeping it on record with the date', async () => {
      const r = await create(book(1));
      const item = await addItem(r.id, 'A1-1', 'COMM-A1');
      clock.set('2026-05-05T05:00:00.000Z');
      const w = await catalog().withdrawItem(actors.commlib, item.id, { reason: 'Rách nát' });
      expect(w).toMatchObject({ status: 'withdrawn', withdrawnAt: '2026-05-05T05:00:00.000Z', version: item.version + 1 });
      expect(await latestAudit(c)).toMatchObject({ action: 'catalog.item.withdraw', unitId: t.communeA1.id, before: { status: 'available' }, after: { recordId: r.id, status: 'withdrawn', reason: 'Rách nát' } });
      // Twice is harmless.
      const auditRows = await count(c, 'audit_log');
      expect(await catalog().withdrawItem(actors.commlib, item.id)).toEqual(w);
      expect(await count(c, 'audit_log')).toBe(auditRows);
      // Back into circulation by an edit.
      const back = await catalog().updateItem(actors.commlib, item.id, { barcode: 'A1-1', status: 'available', version: w.version });
      expect(back).toMatchObject({ status: 'available', withdrawnAt: null });
      expect(await codeOf(catalog().withdrawItem(sys, 999_999))).toEqual({ code: 'CATALOG_ITEM_NOT_FOUND', params: { item: 999_999 } });
    });
  });

  // -------------------------------------------------------------- history

  describe('history', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'lt-catalog-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('tells the record’s story: its edits, its items, and the imports that touched it', async () => {
      const r = await create(book(1, { isbn: ISBN }), t.communeA1.id, actors.commlib);
      clock.advance(1000);
      const item = await addItem(r.id, 'A1-1', 'COMM-A1', actors.commlib);
      clock.advance(1000);
      await catalog().update(actors.commlib, r.id, { marc: book(1, { isbn: ISBN, title: 'Tên mới /' }), version: r.version });
      clock.advance(1000);
      await catalog().withdrawItem(actors.commlib, item.id);
      clock.advance(1000);
      const path = join(dir, 'tiny.mrc');
      writeFileSync(path, writeIso2709([book(7, { isbn: ISBN13, barcodes: [['COMM-B1', 'B1-7']] })]));
      const { job } = await c.services.imports.start(sys, { path, fileName: 'tiny.mrc', unitId: t.distB.id, policy: 'attach' });
      await c.services.imports.run(job.id, { owner: 'test' });
      // Someone else's record does not show.
      await create(book(2));

      const history = await catalog().history(r.id);
      expect(history.map((h) => [h.action, h.who])).toEqual([
        ['catalog.import.matched', 'test'],
        ['catalog.item.withdraw', 'commlib'],
        ['catalog.record.update', 'commlib'],
        ['catalog.item.create', 'commlib'],
        ['catalog.record.create', 'commlib'],
      ]);
      expect(history[0]).toMatchObject({ ref: `${job.id}:1`, detail: { job: job.id, seq: 1, matchedOn: 'isbn', itemsAdded: 1 } });
      expect(history[4]!.detail).toMatchObject({ title: 'Lịch sử Kiên Giang tập 1' });
      expect((await catalog().get(r.id)).items.map((i) => i.barcode)).toEqual(['A1-1', 'B1-7']);
    });
  });

  // -------------------------------------------------------------- reorganisation

  describe('merging a library', () => {
    it('moves its records and items to the library it is merged into', async () => {
      const r = await create(book(1), t.communeA1.id, actors.commlib);
      const item = await addItem(r.id, 'A1-1', 'COMM-A1', actors.commlib);
      const other = await addItem(r.id, 'A2-1', 'COMM-A2', sys, { locationUnitCode: 'COMM-A1' });
      await c.services.org.reorganise(actors.netadmin, { kind: 'merge', unitId: t.communeA1.id, date: '2025-07-01', intoId: t.communeA2.id });
      expect(((await latestAudit(c))!.after as { moved: Record<string, number> }).moved).toMatchObject({ items: 1, itemLocations: 2, records: 1 });
      const view = await catalog().get(r.id);
      expect(view.record.ownerUnitId).toBe(t.communeA2.id);
      expect((await catalog().getItem(item.id))).toMatchObject({ ownerUnitId: t.communeA2.id, ownerUnitCode: 'COMM-A2', locationUnitId: t.communeA2.id, locationUnitCode: 'COMM-A2' });
      expect((await catalog().getItem(other.id))).toMatchObject({ ownerUnitCode: 'COMM-A2', locationUnitCode: 'COMM-A2' });
      // commlib's grant moved too, so they still manage the copy.
      const commlib = await actorFor(c, t.users.commlib);
      expect(await catalog().canEdit(commlib, view.record)).toBe(true);
      await catalog().withdrawItem(commlib, item.id);
    });
  });
});
