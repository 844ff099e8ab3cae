import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/dialects.js';
import { PASSWORD, actorFor } from '../../../test/factories.js';
import { Jar, csrfFrom, get, httpEnv, login, type HttpEnv } from '../../../test/http.js';
import { latestAudit } from '../../../test/expect.js';
import type { MarcRecord } from '../../codecs/marc/record.js';
import { toMarcJson } from '../../codecs/marc/write.js';
import { parseIso2709, parseMarcXml } from '../../codecs/marc/parse.js';

function book(n: number, opts: { isbn?: string; title?: string } = {}): MarcRecord {
  const fields: MarcRecord['fields'] = [{ tag: '008', value: '250101s2024    vm            000 0 vie d' }];
  if (opts.isbn) fields.push({ tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: opts.isbn }] });
  fields.push({ tag: '082', ind1: '0', ind2: '4', subfields: [{ code: 'a', value: '959.7' }, { code: 'b', value: 'NG-D' }] });
  fields.push({ tag: '100', ind1: '0', ind2: ' ', subfields: [{ code: 'a', value: `Nguyễn Văn ${String.fromCharCode(65 + (n % 26))}${n}` }] });
  fields.push({ tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: opts.title ?? `Địa chí Kiên Giang tập ${n} /` }, { code: 'c', value: 'Nhiều tác giả.' }] });
  fields.push({ tag: '264', ind1: ' ', ind2: '1', subfields: [{ code: 'a', value: 'Rạch Giá :' }, { code: 'b', value: 'Nxb. Tổng hợp,' }, { code: 'c', value: `${2000 + n}.` }] });
  return { leader: '00000nam a2200000 i 4500', fields };
}

const marcJson = (r: MarcRecord) => toMarcJson(r);

describeEachDialect('JSON API: catalogue', (dialect) => {
  let env: HttpEnv;
  let adminToken: string;
  let libToken: string;
  let otherToken: string;
  beforeAll(async () => {
    env = await httpEnv(dialect);
    const { auth } = env.container.services;
    const token = async (userId: number, roleCode: string, unitId: number, scope: 'unit' | 'network') =>
      (await auth.createToken(await actorFor(env.container, userId), { name: 'api', roleCode, unitId, scope, expiresInDays: null })).token;
    adminToken = await token(env.tree.users.netadmin, 'network_admin', env.tree.root.id, 'network');
    libToken = await token(env.tree.users.commlib, 'librarian', env.tree.communeA1.id, 'unit');
    otherToken = await token(env.tree.users.otherlib, 'librarian', env.tree.communeB1.id, 'unit');
  });
  afterAll(async () => {
    await env?.dispose();
  });

  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });
  const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, tokenOrNone: string | null, payload?: object) =>
    env.app.inject({ method, url: `/api/v1${url}`, headers: tokenOrNone ? bearer(tokenOrNone) : {}, ...(payload ? { payload } : {}) });

  it('lists the new paths in the OpenAPI document, tagged catalogue', async () => {
    const doc = (await env.app.inject('/api/v1/openapi.json')).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/records',
        '/records/{id}',
        '/records/check',
        '/records/{id}/history',
        '/records/{id}/items',
        '/items/{id}',
        '/items/by-barcode/{barcode}',
        '/items/{id}/withdraw',
      ]),
    );
    expect(Object.keys(doc.paths['/records'])).toEqual(expect.arrayContaining(['get', 'post']));
    expect(Object.keys(doc.paths['/records/{id}'])).toEqual(expect.arrayContaining(['get', 'put', 'delete']));
    expect(doc.paths['/records'].post.tags).toEqual(['catalogue']);
    expect(doc.paths['/records'].post.requestBody).toBeDefined();
    expect(doc.paths['/records/{id}'].get.security).toEqual([]);
    expect(doc.paths['/records'].post.responses['400']).toBeDefined();
  });

  it('catalogues, edits and deletes a record with its items, step by step', async () => {
    // create
    const created = await call('POST', '/records', libToken, { marc: marcJson(book(1, { isbn: '978-604-0-00001-9' })), unitCode: 'COMM-A1' });
    expect(created.statusCode).toBe(201);
    const rec = created.json();
    expect(created.headers.location).toBe(`/api/v1/records/${rec.id}`);
    expect(rec).toMatchObject({ title: 'Địa chí Kiên Giang tập 1', ownerUnitId: env.tree.communeA1.id, status: 'active', version: 1, source: 'api', items: [], warnings: [] });
    expect(rec.derived).toMatchObject({ title: 'Địa chí Kiên Giang tập 1', year: 2001, materialType: expect.any(String) });
    expect(rec.derived.isbns[0].isbn13).toBe('9786040000019');
    expect(rec.marc).toEqual(marcJson(book(1, { isbn: '978-604-0-00001-9' })));
    expect(await latestAudit(env.container)).toMatchObject({ action: 'catalog.record.create', actorId: env.tree.users.commlib, targetId: String(rec.id) });

    // get
    const got = await call('GET', `/records/${rec.id}`, null);
    expect(got.statusCode).toBe(200);
    expect(got.json()).toMatchObject({ id: rec.id, version: 1, title: rec.title, marc: rec.marc });
    expect(got.json().warnings).toBeUndefined();

    // update, then the same version again is stale
    const updated = await call('PUT', `/records/${rec.id}`, libToken, { marc: marcJson(book(1, { isbn: '978-604-0-00001-9', title: 'Địa chí Kiên Giang (tái bản) /' })), version: 1 });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ title: 'Địa chí Kiên Giang (tái bản)', version: 2 });
    const stale = await call('PUT', `/records/${rec.id}`, libToken, { marc: marcJson(book(1)), version: 1 });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('CATALOG_STALE_VERSION');

    // items: add, update, barcode taken
    const added = await call('POST', `/records/${rec.id}/items`, libToken, { barcode: ' a1-0001 ', ownerUnitCode: 'COMM-A1', price: '120.000 đ', staffNote: 'Tặng' });
    expect(added.statusCode).toBe(201);
    const item = added.json();
    expect(item).toMatchObject({ recordId: rec.id, barcode: 'A1-0001', ownerUnitCode: 'COMM-A1', callNumber: '959.7 NG-D', price: 120000, currency: 'VND', staffNote: 'Tặng', status: 'available', version: 1 });
    expect(added.headers.location).toBe(`/api/v1/items/${item.id}`);
    const second = await call('POST', `/records/${rec.id}/items`, libToken, { barcode: 'A1-0002', ownerUnitCode: 'COMM-A1' });
    expect(second.statusCode).toBe(201);
    const taken = await call('POST', `/records/${rec.id}/items`, libToken, { barcode: 'a1-0002', ownerUnitCode: 'COMM-A1' });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({ code: 'CATALOG_BARCODE_TAKEN' });

    // a change names only what changes; null clears
    const changed = await call('PUT', `/items/${item.id}`, libToken, { version: item.version, status: 'damaged', shelvingLocation: 'Kho mượn', staffNote: null });
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toMatchObject({ barcode: 'A1-0001', status: 'damaged', shelvingLocation: 'Kho mượn', staffNote: null, price: 120000, callNumber: '959.7 NG-D', version: item.version + 1 });
    const staleItem = await call('PUT', `/items/${item.id}`, libToken, { version: item.version, status: 'available' });
    expect(staleItem.statusCode).toBe(409);
    expect(staleItem.json().error.code).toBe('CATALOG_STALE_VERSION');
    const byBarcode = await call('GET', '/items/by-barcode/a1-0001', libToken);
    expect(byBarcode.json()).toMatchObject({ id: item.id, status: 'damaged' });
    const invalid = await call('PUT', `/items/${item.id}`, libToken, { version: changed.json().version, price: 'rẻ lắm' });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.code).toBe('CATALOG_ITEM_INVALID');
    expect(invalid.json().error.details).toEqual([expect.objectContaining({ field: 'price', code: 'CATALOG_ITEM_INVALID', message: expect.stringContaining('rẻ lắm') })]);

    // delete is refused while items are live
    const refused = await call('DELETE', `/records/${rec.id}`, libToken);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error).toMatchObject({ code: 'CATALOG_RECORD_HAS_ITEMS' });

    // withdraw both, then delete
    const withdrawn = await call('POST', `/items/${item.id}/withdraw`, libToken, { reason: 'Hư hỏng nặng' });
    expect(withdrawn.statusCode).toBe(200);
    expect(withdrawn.json()).toMatchObject({ status: 'withdrawn', withdrawnAt: expect.any(String) });
    // The reason is optional, and so is the body.
    expect((await call('POST', `/items/${second.json().id}/withdraw`, libToken)).statusCode).toBe(200);
    const staleDelete = await call('DELETE', `/records/${rec.id}?version=1`, libToken);
    expect(staleDelete.statusCode).toBe(409);
    const deleted = await call('DELETE', `/records/${rec.id}?version=2`, libToken);
    expect(deleted.statusCode).toBe(204);

    const gone = await call('GET', `/records/${rec.id}`, null);
    expect(gone.statusCode).toBe(410);
    expect(gone.json().error).toMatchObject({ code: 'CATALOG_RECORD_DELETED' });
    expect((await call('GET', `/records/${rec.id}/items`, null)).statusCode).toBe(410);

    // the history tells it all, to staff only
    expect((await call('GET', `/records/${rec.id}/history`, null)).statusCode).toBe(401);
    const history = await call('GET', `/records/${rec.id}/history`, libToken);
    expect(history.statusCode).toBe(200);
    expect(history.json().map((h: { action: string }) => h.action)).toEqual(
      expect.arrayContaining(['catalog.record.create', 'catalog.record.update', 'catalog.item.create', 'catalog.item.update', 'catalog.item.withdraw', 'catalog.record.delete']),
    );
  });

  it('shows records to anyone, without staff notes and prices', async () => {
    const rec = (await call('POST', '/records', adminToken, { marc: marcJson(book(2)), unitCode: 'COMM-A1' })).json();
    await call('POST', `/records/${rec.id}/items`, adminToken, { barcode: 'PUB-1', ownerUnitCode: 'COMM-A1', price: 50000, staffNote: 'Sách tặng', publicNote: 'Có đĩa CD kèm' });

    const anon = await call('GET', `/records/${rec.id}`, null);
    expect(anon.statusCode).toBe(200);
    const [anonItem] = anon.json().items;
    expect(anonItem).toMatchObject({ barcode: 'PUB-1', publicNote: 'Có đĩa CD kèm', ownerUnitCode: 'COMM-A1' });
    for (const key of ['staffNote', 'price', 'currency']) expect(anonItem).not.toHaveProperty(key);
    const anonOne = (await call('GET', `/items/${anonItem.id}`, null)).json();
    expect(anonOne).not.toHaveProperty('staffNote');
    expect((await call('GET', `/records/${rec.id}/items`, null)).json()[0]).not.toHaveProperty('price');

    // The owning library's librarian sees it all; another library's does not.
    expect((await call('GET', `/records/${rec.id}`, libToken)).json().items[0]).toMatchObject({ staffNote: 'Sách tặng', price: 50000 });
    expect((await call('GET', `/items/by-barcode/PUB-1`, otherToken)).json()).not.toHaveProperty('staffNote');

    // Paging through the catalogue.
    await call('POST', '/records', adminToken, { marc: marcJson(book(3)), unitCode: 'COMM-B1' });
    const all = (await call('GET', '/records?limit=500', null)).json();
    expect(all.next).toBeNull();
    const first = (await call('GET', '/records?limit=1', null)).json();
    expect(first.records).toHaveLength(1);
    expect(first.records[0]).toEqual({
      id: all.records[0].id,
      title: expect.any(String),
      responsibility: 'Nhiều tác giả',
      mainAuthor: expect.any(String),
      publisher: 'Nxb. Tổng hợp',
      year: expect.any(Number),
      language: 'vie',
      materialType: expect.any(String),
      callNumber: '959.7 NG-D',
      ownerUnitId: expect.any(Number),
      updatedAt: expect.any(String),
      status: 'active',
    });
    expect(first.next).toBe(all.records[0].id);
    const rest = (await call('GET', `/records?afterId=${first.next}&limit=500`, null)).json();
    expect([...first.records, ...rest.records].map((r: { id: number }) => r.id)).toEqual(all.records.map((r: { id: number }) => r.id));
    expect((await call('GET', '/records?limit=501', null)).statusCode).toBe(400);

    // Unknown things are 404.
    expect((await call('GET', '/records/999999', null)).json().error.code).toBe('CATALOG_RECORD_NOT_FOUND');
    expect((await call('GET', '/items/by-barcode/NOPE-9', null)).statusCode).toBe(404);
  });

  it('gives the raw MARC as MARCXML or ISO 2709, with holdings as the reader may see them', async () => {
    const rec = (await call('POST', '/records', adminToken, { marc: marcJson(book(4)), unitCode: 'COMM-A1' })).json();
    await call('POST', `/records/${rec.id}/items`, adminToken, { barcode: 'XML-1', ownerUnitCode: 'COMM-A1', staffNote: 'Nội bộ' });

    const xml = await call('GET', `/records/${rec.id}?format=marcxml`, null);
    expect(xml.statusCode).toBe(200);
    expect(xml.headers['content-type']).toBe('application/marcxml+xml; charset=utf-8');
    const [fromXml] = parseMarcXml(xml.body);
    expect(fromXml!.fields.find((f) => f.tag === '001')).toEqual({ tag: '001', value: String(rec.id) });
    expect(fromXml!.fields.find((f) => f.tag === '245')).toEqual(book(4).fields.find((f) => f.tag === '245'));
    const holdings = fromXml!.fields.filter((f) => f.tag === '952');
    expect(holdings).toHaveLength(1);
    expect(JSON.stringify(holdings)).toContain('XML-1');
    expect(JSON.stringify(holdings)).not.toContain('Nội bộ');
    // Staff of the owning library get the staff note.
    const staffXml = await call('GET', `/records/${rec.id}?format=marcxml`, libToken);
    expect(staffXml.body).toContain('Nội bộ');

    const iso = await call('GET', `/records/${rec.id}?format=iso2709`, null);
    expect(iso.headers['content-type']).toBe('application/marc');
    const [fromIso] = parseIso2709(new Uint8Array(iso.rawPayload));
    expect(fromIso!.fields.find((f) => f.tag === '245')).toEqual(fromXml!.fields.find((f) => f.tag === '245'));
    expect((await call('GET', `/records/${rec.id}?format=pdf`, null)).statusCode).toBe(400);
  });

  it('refuses broken MARC, rule-breaking records and duplicates with what is wrong', async () => {
    const broken = { leader: '00000nam a2200000 i 4500', fields: [{ '245': { ind1: '1', ind2: '0', subfields: 'Truyện Kiều' } }] };
    const unreadable = await call('POST', '/records', libToken, { marc: broken, unitCode: 'COMM-A1' });
    expect(unreadable.statusCode).toBe(400);
    expect(unreadable.json().error.code).toBe('CATALOG_MARC_UNREADABLE');
    expect(unreadable.json().error.message).toContain('fields[0] (245) has no "subfields" array');
    expect((await call('POST', '/records', libToken, { marc: { fields: [] }, unitCode: 'COMM-A1' })).json().error.message).toContain('no leader');

    const untitled = book(5);
    untitled.fields = untitled.fields.filter((f) => f.tag !== '245');
    const rejected = await call('POST', '/records', libToken, { marc: marcJson(untitled), unitCode: 'COMM-A1' });
    expect(rejected.statusCode).toBe(400);
    expect(rejected.json().error).toMatchObject({ code: 'CATALOG_RECORD_INVALID', problems: expect.arrayContaining([expect.objectContaining({ code: 'title-missing', severity: 'error' })]) });

    const first = (await call('POST', '/records', libToken, { marc: marcJson(book(6, { isbn: '9786040000026' })), unitCode: 'COMM-A1' })).json();
    const dup = await call('POST', '/records', libToken, { marc: marcJson(book(7, { isbn: '978-604-0-00002-6' })), unitCode: 'COMM-A1' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error).toMatchObject({ code: 'CATALOG_RECORD_DUPLICATE', candidates: [{ recordId: first.id, on: 'isbn', value: '9786040000026', title: first.title }] });
    const anyway = await call('POST', '/records', libToken, { marc: marcJson(book(7, { isbn: '978-604-0-00002-6' })), unitCode: 'COMM-A1', allowDuplicate: true });
    expect(anyway.statusCode).toBe(201);

    // The check saves nothing and says both.
    const before = (await call('GET', '/records?limit=500', null)).json().records.length;
    const check = await call('POST', '/records/check', libToken, { marc: marcJson(untitled) });
    expect(check.statusCode).toBe(200);
    expect(check.json().problems).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'title-missing' })]));
    const checkDup = (await call('POST', '/records/check', libToken, { marc: marcJson(book(8, { isbn: '9786040000026' })) })).json();
    expect(checkDup.duplicates.map((d: { recordId: number }) => d.recordId)).toEqual([first.id, anyway.json().id]);
    expect((await call('POST', '/records/check', libToken, { marc: marcJson(book(6, { isbn: '9786040000026' })), recordId: first.id })).json().duplicates.map((d: { recordId: number }) => d.recordId)).toEqual([anyway.json().id]);
    expect((await call('GET', '/records?limit=500', null)).json().records.length).toBe(before);

    // Writing needs someone signed in: a browser without a session passes the CSRF check, and no further.
    const jar = new Jar();
    const headers = { cookie: '', 'x-csrf-token': csrfFrom((await get(env.app, jar, '/staff/login')).body) };
    headers.cookie = jar.header;
    for (const [url, payload] of [['/api/v1/records', { marc: marcJson(book(9)), unitCode: 'COMM-A1' }], ['/api/v1/records/check', { marc: marcJson(book(9)) }]] as const) {
      const anon = await env.app.inject({ method: 'POST', url, headers, payload });
      expect(anon.statusCode).toBe(401);
      expect(anon.json().error.code).toBe('AUTH_REQUIRED');
    }
    // Unknown input is refused.
    expect((await call('POST', '/records', libToken, { marc: marcJson(book(9)), unitCode: 'COMM-A1', owner: 'me' })).json().error.code).toBe('VALIDATION');
  });

  it('refuses a librarian editing another library’s item or record, and records the refusal', async () => {
    const rec = (await call('POST', '/records', libToken, { marc: marcJson(book(10)), unitCode: 'COMM-A1' })).json();
    const item = (await call('POST', `/records/${rec.id}/items`, libToken, { barcode: 'PERM-1', ownerUnitCode: 'COMM-A1' })).json();

    const edit = await call('PUT', `/items/${item.id}`, otherToken, { version: item.version, status: 'lost' });
    expect(edit.statusCode).toBe(403);
    expect(edit.json().error.code).toBe('PERMISSION_DENIED');
    expect(await latestAudit(env.container)).toMatchObject({ action: 'security.denied', actorId: env.tree.users.otherlib, targetId: 'catalog.item.manage' });
    expect((await call('POST', `/items/${item.id}/withdraw`, otherToken, {})).statusCode).toBe(403);
    expect((await call('POST', `/records/${rec.id}/items`, otherToken, { barcode: 'PERM-2', ownerUnitCode: 'COMM-A1' })).statusCode).toBe(403);
    expect((await call('PUT', `/records/${rec.id}`, otherToken, { marc: marcJson(book(10)), version: rec.version })).statusCode).toBe(403);
    // Giving the copy to another library needs the permission there too.
    expect((await call('PUT', `/items/${item.id}`, libToken, { version: item.version, ownerUnitCode: 'COMM-B1' })).statusCode).toBe(403);
    expect((await call('GET', `/items/${item.id}`, null)).json()).toMatchObject({ status: 'available', ownerUnitCode: 'COMM-A1', version: item.version });

    // Once COMM-B1 holds a copy, the record is shared: its librarian may no longer edit it alone.
    expect((await call('POST', `/records/${rec.id}/items`, otherToken, { barcode: 'PERM-B1', ownerUnitCode: 'COMM-B1' })).statusCode).toBe(201);
    const shared = await call('PUT', `/records/${rec.id}`, libToken, { marc: marcJson(book(10, { title: 'Đổi tên /' })), version: rec.version });
    expect(shared.statusCode).toBe(403);
    expect((await call('PUT', `/records/${rec.id}`, adminToken, { marc: marcJson(book(10, { title: 'Đổi tên /' })), version: rec.version })).statusCode).toBe(200);
  });

  it('needs the CSRF header for writes made with a browser session', async () => {
    const { jar } = await login(env.app, 'commlib', PASSWORD);
    const payload = { marc: marcJson(book(11)), unitCode: 'COMM-A1' };
    const without = await env.app.inject({ method: 'POST', url: '/api/v1/records', headers: { cookie: jar.header }, payload });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('CSRF_INVALID');
    const page = await get(env.app, jar, '/staff');
    const withToken = await env.app.inject({ method: 'POST', url: '/api/v1/records', headers: { cookie: jar.header, 'x-csrf-token': csrfFrom(page.body) }, payload });
    expect(withToken.statusCode).toBe(201);
  });
});
