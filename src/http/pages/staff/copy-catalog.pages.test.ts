import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../../test/dialects.js';
import { PASSWORD } from '../../../../test/factories.js';
import { csrfFrom, get, httpEnv, login, postForm, type HttpEnv, type Jar } from '../../../../test/http.js';
import { startSruStatic, type SruStatic } from '../../../../test/sru-static.js';
import type { SruTarget } from '../../../app/interop/sru-target.ports.js';
import type { MarcRecord } from '../../../codecs/marc/record.js';

const COPY = '/staff/catalogue/copy';
const TARGETS = '/staff/interop/targets';

const held: MarcRecord = {
  leader: '00000nam a2200000 i 4500',
  fields: [
    { tag: '008', value: '190618s2019    vm            000 1 vie d' },
    { tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '978-604-1-23456-7' }] },
    { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Hương rừng Cà Mau' }] },
  ],
};

const q = (o: Record<string, string | number>) => new URLSearchParams(Object.entries(o).map(([k, v]) => [k, String(v)])).toString();
/** Text of a page without tags, spaces folded: what a reader sees. */
const seen = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#x27;|&#39;/g, "'").replace(/\s+/g, ' ');

describeEachDialect('staff pages: copy cataloguing', (dialect) => {
  let env: HttpEnv;
  let remote: SruStatic;
  let jar: Jar;
  let admin: Jar;
  const targets: Record<string, SruTarget> = {};
  let heldId: number;

  beforeAll(async () => {
    remote = await startSruStatic();
    env = await httpEnv(dialect, { container: { copyLimits: { timeoutMs: 1500 } } });
    const copy = env.container.services.copyCatalog;
    const netadmin = { kind: 'staff' as const, userId: env.tree.users.netadmin, label: 'netadmin', grants: await env.container.store.staff.effectiveGrants(env.tree.users.netadmin) };
    for (const [key, path, version, schema] of [
      ['loc', 'loc', '1.1', 'marcxml'],
      ['k2', 'k2', '2.0', 'marcxml'],
      ['diag', 'diag', '1.2', 'marcxml'],
      ['html', 'html', '1.2', 'marcxml'],
      ['broken', 'broken', '1.1', 'marcxml'],
      ['slow', 'slow', '1.2', 'marcxml'],
    ] as const) {
      targets[key] = await copy.createTarget(netadmin, { name: `Nguồn ${key}`, baseUrl: remote.url(path), sruVersion: version, recordSchema: schema });
    }
    const commlib = { kind: 'staff' as const, userId: env.tree.users.commlib, label: 'commlib', grants: await env.container.store.staff.effectiveGrants(env.tree.users.commlib) };
    heldId = (await env.container.services.catalog.create(commlib, { marc: held, unitId: env.tree.communeA1.id })).record.id;
    jar = (await login(env.app, 'commlib', PASSWORD)).jar;
    admin = (await login(env.app, 'netadmin', PASSWORD)).jar;
  });
  afterAll(async () => {
    await env?.dispose();
    await remote?.close();
  });

  describe('search', () => {
    it('shows the form with the enabled targets, and nothing asked yet', async () => {
      const before = remote.requests.length;
      const res = await get(env.app, jar, COPY);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<h1>Sao chép biên mục</h1>');
      expect(res.body).toContain('<form method="get" action="/staff/catalogue/copy"');
      expect(res.body).toContain(`<option value="${targets.loc!.id}">Nguồn loc</option>`);
      expect(res.body).toContain('<label for="f-text">Từ cần tìm</label>');
      // A cataloguer does not manage targets.
      expect(res.body).not.toContain(`href="${TARGETS}"`);
      expect(remote.requests.length).toBe(before);
    });

    it('lists results with links to each record’s preview, and pages', async () => {
      const res = await get(env.app, jar, `${COPY}?${q({ target: targets.loc!.id, kind: 'title', text: 'Kiều' })}`);
      expect(res.statusCode).toBe(200);
      const text = seen(res.body);
      expect(text).toContain('Kết quả từ Nguồn loc');
      expect(text).toContain('2 biểu ghi phù hợp — trang 1/1.');
      expect(res.body).toContain(`href="${COPY}/preview?${q({ target: targets.loc!.id, kind: 'title', text: 'Kiều', pos: 1 }).replace(/&/g, '&amp;')}"`);
      expect(res.body).toContain('<td data-label="Tác giả">Nguyễn Du</td>');
      expect(res.body).toContain('<td data-label="ISBN">9786041234567</td>');

      const p1 = await get(env.app, jar, `${COPY}?${q({ target: targets.k2!.id, kind: 'any', text: 'chiến tranh' })}`);
      expect(seen(p1.body)).toContain('23 biểu ghi phù hợp — trang 1/3.');
      expect(p1.body).toContain('rel="next"');
      expect(p1.body).not.toContain('rel="prev"');
      const p2 = await get(env.app, jar, `${COPY}?${q({ target: targets.k2!.id, kind: 'any', text: 'chiến tranh', page: 2 })}`);
      expect(seen(p2.body)).toContain('Chí Phèo');
      expect(p2.body).toContain('rel="prev"');
    });

    it('marks a query that does not hold up, in the user’s language', async () => {
      const res = await get(env.app, jar, `${COPY}?${q({ target: targets.loc!.id, kind: 'isbn', text: '978-604-1-23456-8' })}`);
      expect(res.statusCode).toBe(400);
      expect(res.body).toContain('aria-invalid="true"');
      expect(res.body).toContain('ISBN không hợp lệ (sai độ dài hoặc sai số kiểm tra).');
      const en = await get(env.app, jar, `${COPY}?${q({ target: targets.loc!.id, kind: 'title', text: ' ' })}`, { cookie: `${jar.header}; lt_lang=en` });
      expect(en.body).toContain('Enter what to search for.');
    });

    it.each<[string, string, string, string]>([
      ['diag', 'Mục lục nguồn từ chối yêu cầu: Chỉ mục không được hỗ trợ. Chi tiết: dc.subject', 'The source catalogue refused the request: Unsupported index. Details: dc.subject', 'info:srw/diagnostic/1/16'],
      ['html', 'báo lỗi HTTP 503.', 'answered with HTTP error 503.', '503 Service Temporarily Unavailable'],
      ['broken', 'bị hỏng (XML không hợp lệ hoặc bị cắt ngang)', 'is damaged (XML that is not well-formed or was cut off)', 'line'],
      ['slow', 'không trả lời sau 1.5 giây', 'did not answer within 1.5 seconds', ''],
    ])('explains a remote that fails (%s) with 502, in Vietnamese and English', async (key, vi, en, detail) => {
      const url = `${COPY}?${q({ target: targets[key]!.id, kind: 'subject', text: 'Lịch sử' })}`;
      const res = await get(env.app, jar, url);
      expect(res.statusCode).toBe(502);
      expect(res.body).toContain(`data-problem=`);
      expect(seen(res.body)).toContain(vi);
      if (detail) expect(seen(res.body)).toContain(detail);
      // The search form is still there, to try again or elsewhere.
      expect(res.body).toContain('name="text" value="Lịch sử"');
      const resEn = await get(env.app, jar, url, { cookie: `${jar.header}; lt_lang=en` });
      expect(seen(resEn.body)).toContain(en);
    });

    it('redirects the old address and sends visitors to sign in', async () => {
      const res = await get(env.app, jar, `/staff/catalog/copy?target=${targets.loc!.id}`);
      expect(res.statusCode).toBe(301);
      expect(res.headers.location).toBe(`${COPY}?target=${targets.loc!.id}`);
      const anon = await env.app.inject({ method: 'GET', url: COPY });
      expect(anon.statusCode).toBe(303);
      expect(anon.headers.location).toMatch(/^\/staff\/login\?next=/);
    });
  });

  describe('preview and import', () => {
    const base = () => ({ target: targets.loc!.id, kind: 'title', text: 'Kiều' });

    it('shows the MARC fields, the duplicates we hold, and an import form limited to one’s libraries', async () => {
      const res = await get(env.app, jar, `${COPY}/preview?${q({ ...base(), pos: 2 })}`);
      expect(res.statusCode).toBe(200);
      expect(res.body).toContain('<h1>Hương rừng Cà Mau</h1>');
      expect(res.body).toContain('<tr data-tag="245">');
      expect(seen(res.body)).toContain('245 10 Nhan đề chính $a Hương rừng Cà Mau / $c Sơn Nam.');
      expect(res.body).toContain(`<a href="/staff/catalogue/records/${heldId}">#${heldId} Hương rừng Cà Mau</a>`);
      expect(seen(res.body)).toContain('trùng ISBN: 9786041234567');
      expect(res.body).toContain(`<option value="${env.tree.communeA1.id}" selected>`);
      expect(res.body).not.toContain(`<option value="${env.tree.communeA2.id}"`);
      expect(res.body).toContain('name="fingerprint" value="');
      // The record with local fields says which were left out.
      const one = await get(env.app, jar, `${COPY}/preview?${q({ ...base(), pos: 1 })}`);
      expect(seen(one.body)).toContain('Đã bỏ 2 trường riêng của thư viện nguồn (bản sách, trường nội bộ): 852, 955.');
      expect(one.body).not.toContain('data-tag="852"');
      expect(seen(one.body)).toContain('Mục lục chưa có biểu ghi nào trùng với biểu ghi này');
    });

    it('says so when the position is past the results', async () => {
      const res = await get(env.app, jar, `${COPY}/preview?${q({ ...base(), pos: 9 })}`);
      expect(res.statusCode).toBe(502);
      expect(seen(res.body)).toContain('Vị trí biểu ghi đầu tiên nằm ngoài phạm vi');
    });

    it('imports with the CSRF token, then shows the new record', async () => {
      const page = await get(env.app, jar, `${COPY}/preview?${q({ ...base(), pos: 1 })}`);
      const fingerprint = /name="fingerprint" value="([0-9a-f]+)"/.exec(page.body)![1]!;
      const form = { ...Object.fromEntries(Object.entries(base()).map(([k, v]) => [k, String(v)])), pos: '1', unit: String(env.tree.communeA1.id), policy: 'attach', fingerprint, barcode: '' };
      expect((await postForm(env.app, jar, `${COPY}/import`, form)).statusCode).toBe(403);
      const res = await postForm(env.app, jar, `${COPY}/import`, { ...form, _csrf: csrfFrom(page.body) });
      expect(res.statusCode).toBe(303);
      const m = /^\/staff\/catalogue\/records\/(\d+)\?ok=copy\.done\.created$/.exec(String(res.headers.location));
      expect(m).not.toBeNull();
      const record = await get(env.app, jar, res.headers.location as string);
      expect(record.statusCode).toBe(200);
      expect(record.body).toContain('Đã sao chép biểu ghi vào mục lục.');
      expect(record.body).toContain('Truyện Kiều');
      const history = await get(env.app, jar, `/staff/catalogue/records/${m![1]}/history`);
      expect(history.body).toContain('Sao chép từ mục lục khác');

      // The same record again: matched, and we land on it.
      const again = await postForm(env.app, jar, `${COPY}/import`, { ...form, _csrf: csrfFrom(page.body) });
      expect(again.headers.location).toBe(`/staff/catalogue/records/${m![1]}?ok=copy.done.matched`);
    });

    it('keeps the form and says what is wrong: a barcode taken, a record that changed', async () => {
      const page = await get(env.app, jar, `${COPY}/preview?${q({ ...base(), pos: 2 })}`);
      const csrf = csrfFrom(page.body);
      const form = { ...Object.fromEntries(Object.entries(base()).map(([k, v]) => [k, String(v)])), pos: '2', unit: String(env.tree.communeA1.id), policy: 'attach', _csrf: csrf };
      const first = await postForm(env.app, jar, `${COPY}/import`, { ...form, barcode: 'CM-0001' });
      expect(first.headers.location).toBe(`/staff/catalogue/records/${heldId}?ok=copy.done.matched`);
      const taken = await postForm(env.app, jar, `${COPY}/import`, { ...form, policy: 'keep', barcode: 'cm-0001' });
      expect(taken.statusCode).toBe(400);
      expect(taken.body).toContain(`Mã vạch CM-0001 đã được dùng cho biểu ghi #${heldId}.`);
      expect(taken.body).toContain('id="f-barcode" name="barcode" value="cm-0001"');
      expect(taken.body).toContain('value="keep" checked');

      const changed = await postForm(env.app, jar, `${COPY}/import`, { ...form, fingerprint: 'f'.repeat(32) });
      expect(changed.statusCode).toBe(409);
      expect(seen(changed.body)).toContain('đã khác với bản bạn vừa xem');
      expect(changed.body).toContain('<h1>Hương rừng Cà Mau</h1>');
    });

    it('refuses a library outside one’s grants', async () => {
      const page = await get(env.app, jar, `${COPY}/preview?${q({ ...base(), pos: 1 })}`);
      const res = await postForm(env.app, jar, `${COPY}/import`, { ...Object.fromEntries(Object.entries(base()).map(([k, v]) => [k, String(v)])), pos: '1', unit: String(env.tree.communeA2.id), policy: 'attach', _csrf: csrfFrom(page.body) });
      expect(res.statusCode).toBe(403);
    });
  });

  describe('from another Liên Thông', () => {
    let other: HttpEnv;
    let otherBase: string;
    let otherId: number;

    beforeAll(async () => {
      // A second instance with its own database and organisation code, listening as a real server.
      other = await httpEnv(dialect, { container: { marcOrgCode: 'LTAG' } });
      const sys = { kind: 'system' as const, userId: null, label: 'test', grants: [{ grantId: 0, roleCode: 'system', unitId: 0, scope: 'network' as const, permissions: new Set(['catalog.record.create', 'catalog.item.manage'] as const) }] };
      const marc: MarcRecord = {
        leader: '00000nam a2200000 i 4500',
        fields: [
          { tag: '008', value: '240101s2023    vm            000 1 vie d' },
          { tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '978-604-2-01234-8' }] },
          { tag: '082', ind1: '0', ind2: '4', subfields: [{ code: 'a', value: '895.92234' }] },
          { tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: 'Đoàn Giỏi' }] },
          { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Đất rừng phương Nam /' }, { code: 'c', value: 'Đoàn Giỏi.' }] },
          { tag: '264', ind1: ' ', ind2: '1', subfields: [{ code: 'a', value: 'Hà Nội :' }, { code: 'b', value: 'Nxb. Kim Đồng,' }, { code: 'c', value: '2023.' }] },
        ],
      };
      otherId = (await other.container.services.catalog.create(sys, { marc, unitId: other.tree.communeB1.id })).record.id;
      await other.container.services.catalog.addItem(sys, otherId, { barcode: 'AG-000001', unitId: other.tree.communeB1.id });
      otherBase = await other.app.listen({ host: '127.0.0.1', port: 0 });
    });
    afterAll(async () => {
      await other?.dispose();
    });

    it('searches its /sru in 1.2 and 2.0, and copies a record from it into ours', async () => {
      const copy = env.container.services.copyCatalog;
      const netadmin = { kind: 'staff' as const, userId: env.tree.users.netadmin, label: 'netadmin', grants: await env.container.store.staff.effectiveGrants(env.tree.users.netadmin) };
      const v12 = await copy.createTarget(netadmin, { name: 'Liên Thông An Giang', baseUrl: `${otherBase}/sru`, sruVersion: '1.2', recordSchema: 'marcxml' });
      const v20 = await copy.createTarget(netadmin, { name: 'Liên Thông An Giang (2.0)', baseUrl: `${otherBase}/sru`, sruVersion: '2.0', recordSchema: 'marcxml' });

      const found = await get(env.app, jar, `${COPY}?${q({ target: v12.id, kind: 'title', text: 'dat rung phuong nam' })}`);
      expect(found.statusCode).toBe(200);
      expect(seen(found.body)).toContain('1 biểu ghi phù hợp');
      expect(found.body).toContain('<td data-label="Tác giả">Đoàn Giỏi</td>');
      const byIsbn = await get(env.app, jar, `${COPY}?${q({ target: v20.id, kind: 'isbn', text: '6042012347' })}`);
      expect(byIsbn.statusCode).toBe(200);
      expect(byIsbn.body).toContain('<td data-label="ISBN">9786042012348</td>');

      const query = { target: v12.id, kind: 'author', text: 'Đoàn Giỏi' };
      const page = await get(env.app, jar, `${COPY}/preview?${q({ ...query, pos: 1 })}`);
      expect(page.statusCode).toBe(200);
      // Its number and organisation code come along; its copies (852) stay there.
      expect(seen(page.body)).toContain(`001 Số kiểm soát ${otherId}`);
      expect(seen(page.body)).toContain('003 Mã cơ quan gán số kiểm soát LTAG');
      expect(page.body).not.toContain('data-tag="852"');
      const form = { target: String(v12.id), kind: 'author', text: 'Đoàn Giỏi', pos: '1', unit: String(env.tree.communeA1.id), policy: 'attach', _csrf: csrfFrom(page.body) };
      const res = await postForm(env.app, jar, `${COPY}/import`, form);
      expect(res.statusCode).toBe(303);
      const id = Number(/records\/(\d+)\?ok=copy\.done\.created$/.exec(String(res.headers.location))![1]);
      const view = await env.container.services.catalog.get(id);
      expect(view.record).toMatchObject({ title: 'Đất rừng phương Nam', ownerUnitId: env.tree.communeA1.id, source: `sru:${v12.id}`, controlNumber: String(otherId), controlSource: 'LTAG' });
      expect(view.items).toEqual([]);
      // Searchable here at once, and the same record next time.
      const local = await env.container.services.search.search({ q: 'Đất rừng phương Nam', pageSize: 5, facets: false });
      expect(local.results.map((r) => r.id)).toContain(id);
      const again = await postForm(env.app, jar, `${COPY}/import`, form);
      expect(again.headers.location).toBe(`/staff/catalogue/records/${id}?ok=copy.done.matched`);
    });
  });

  describe('targets', () => {
    it('lets the network admin add, edit and delete a target; each form keeps its input on error', async () => {
      const list = await get(env.app, admin, TARGETS);
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain('<h1>Mục lục nguồn (SRU)</h1>');
      expect(list.body).toContain(`href="${TARGETS}/${targets.loc!.id}"`);
      const csrf = csrfFrom(list.body);

      const bad = await postForm(env.app, admin, TARGETS, { _csrf: csrf, name: 'Thư viện Quốc gia', baseUrl: 'https://thuthu:bimat@opac.nlv.gov.vn/sru', sruVersion: '1.2', recordSchema: 'marcxml', enabled: '1' });
      expect(bad.statusCode).toBe(400);
      expect(bad.body).toContain('Không ghi tên đăng nhập hay mật khẩu trong địa chỉ');
      expect(bad.body).toContain('value="Thư viện Quốc gia"');

      const ok = await postForm(env.app, admin, TARGETS, { _csrf: csrf, name: 'Thư viện Quốc gia', baseUrl: 'https://opac.nlv.gov.vn/sru', sruVersion: '1.2', recordSchema: 'marcxml', enabled: '1' });
      expect(ok.statusCode).toBe(303);
      expect(ok.headers.location).toBe(`${TARGETS}?ok=copy.targets.created`);
      const added = (await env.container.store.sruTargets.list()).find((t) => t.name === 'Thư viện Quốc gia')!;
      expect(added).toMatchObject({ baseUrl: 'https://opac.nlv.gov.vn/sru', enabled: true });

      const edit = await get(env.app, admin, `${TARGETS}/${added.id}`);
      expect(edit.body).toContain('name="version" value="1"');
      // Unticked "in use": switched off.
      const saved = await postForm(env.app, admin, `${TARGETS}/${added.id}`, { _csrf: csrf, name: 'TVQG', baseUrl: 'https://opac.nlv.gov.vn/sru', sruVersion: '2.0', recordSchema: 'marcxml', version: '1' });
      expect(saved.headers.location).toBe(`${TARGETS}?ok=copy.targets.saved`);
      expect(await env.container.store.sruTargets.get(added.id)).toMatchObject({ name: 'TVQG', sruVersion: '2.0', enabled: false, version: 2 });
      const stale = await postForm(env.app, admin, `${TARGETS}/${added.id}`, { _csrf: csrf, name: 'Cũ', baseUrl: 'https://opac.nlv.gov.vn/sru', sruVersion: '2.0', recordSchema: 'marcxml', version: '1' });
      expect(stale.statusCode).toBe(409);
      // Switched off: not offered for searching.
      expect((await get(env.app, jar, COPY)).body).not.toContain('TVQG');

      const del = await postForm(env.app, admin, `${TARGETS}/${added.id}/delete`, { _csrf: csrf, version: '2' });
      expect(del.headers.location).toBe(`${TARGETS}?ok=copy.targets.deleted`);
      expect(await env.container.store.sruTargets.get(added.id)).toBeUndefined();
    });

    it('shows others the list read-only, and refuses their writes', async () => {
      const dist = (await login(env.app, 'distadmin', PASSWORD)).jar;
      const list = await get(env.app, dist, TARGETS);
      expect(list.statusCode).toBe(200);
      expect(list.body).toContain('Chỉ người có quyền quản lý liên thông');
      expect(list.body).not.toContain(`action="${TARGETS}"`);
      expect(list.body).toContain(`href="${COPY}?target=${targets.loc!.id}"`);
      expect((await get(env.app, dist, `${TARGETS}/${targets.loc!.id}`)).statusCode).toBe(403);
      const csrf = csrfFrom(list.body);
      expect((await postForm(env.app, dist, TARGETS, { _csrf: csrf, name: 'X', baseUrl: 'https://x.example/sru', sruVersion: '1.2', enabled: '1' })).statusCode).toBe(403);
      expect((await postForm(env.app, dist, `${TARGETS}/${targets.loc!.id}/delete`, { _csrf: csrf, version: '1' })).statusCode).toBe(403);
      expect(await env.container.store.sruTargets.get(targets.loc!.id)).toBeDefined();
    });
  });
});
