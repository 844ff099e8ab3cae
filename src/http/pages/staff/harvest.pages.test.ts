import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../../test/dialects.js';
import { PASSWORD } from '../../../../test/factories.js';
import { csrfFrom, get, httpEnv, login, postForm, type HttpEnv, type Jar } from '../../../../test/http.js';
import { startOaiStatic, type OaiStatic } from '../../../../test/oai-static.js';
import { HARVEST_JOB } from '../../../app/interop/harvest.service.js';

const BASE = '/staff/harvest';

describeEachDialect('staff pages: OAI-PMH harvesting', (dialect) => {
  let env: HttpEnv;
  let oai: OaiStatic;
  let jar: Jar;

  beforeAll(async () => {
    oai = await startOaiStatic();
    env = await httpEnv(dialect, { container: { harvestLimits: { stallTimeoutMs: 2000, retryDelayMs: 10 } } });
    jar = (await login(env.app, 'distadmin', PASSWORD)).jar;
  });
  afterAll(async () => {
    await env?.dispose();
    await oai?.close();
  });

  const form = (o: Record<string, string> = {}) => ({ name: 'Kho DSpace Erasmus', code: 'DSPACE', baseUrl: oai.base('dspace'), setSpec: '', metadataPrefix: 'oai_dc', target: 'catalog', unitId: String(env.tree.communeA1.id), intervalHours: '24', enabled: 'on', ...o });
  const csrf = async (j: Jar = jar, page = BASE) => csrfFrom((await get(env.app, j, page)).body);

  async function create(o: Record<string, string>): Promise<number> {
    const res = await postForm(env.app, jar, `${BASE}/new`, { ...form(o), _csrf: await csrf() });
    expect(res.statusCode, res.body.slice(0, 2000)).toBe(303);
    const m = /^\/staff\/harvest\/(\d+)\?ok=harvest\.created$/.exec(String(res.headers.location));
    expect(m).not.toBeNull();
    return Number(m![1]);
  }

  /** Runs every queued job now, as the server's runner would. */
  async function runJobs(): Promise<void> {
    while (await env.container.jobs.runOnce()) {
      // next
    }
  }

  it('is in the staff menu of those who may manage harvesting, and of no one else', async () => {
    const page = await get(env.app, jar, BASE);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<a href="/staff/harvest" aria-current="page">Thu thập OAI-PMH</a>');
    expect(page.body).toContain('Chưa có nguồn thu thập nào.');
    const librarian = (await login(env.app, 'commlib', PASSWORD)).jar;
    expect((await get(env.app, librarian, '/staff')).body).not.toContain('href="/staff/harvest"');
    expect((await get(env.app, librarian, BASE)).statusCode).toBe(403);
    expect((await get(env.app, librarian, `${BASE}/new`)).statusCode).toBe(403);
  });

  it('offers only the libraries within one’s grants', async () => {
    const page = await get(env.app, jar, `${BASE}/new`);
    expect(page.statusCode).toBe(200);
    for (const u of [env.tree.distA, env.tree.communeA1, env.tree.communeA2]) expect(page.body).toContain(`<option value="${u.id}">`);
    expect(page.body).not.toContain(`<option value="${env.tree.communeB1.id}">`);
    expect(page.body).toContain('name="_csrf"');
  });

  it('shows each problem beside its field, in Vietnamese and in English, keeping what was typed', async () => {
    const bad = form({ name: 'Kho thử', baseUrl: 'ftp://kho.example.vn/oai', metadataPrefix: 'mods', unitId: String(env.tree.communeB1.id), intervalHours: 'hằng ngày' });
    const res = await postForm(env.app, jar, `${BASE}/new`, { ...bad, _csrf: await csrf() });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Nguồn chưa lưu được: hãy sửa các ô được đánh dấu.');
    expect(res.body).toContain('<span class="field-error" id="f-baseUrl-error">Địa chỉ phải bắt đầu bằng http:// hoặc https://.</span>');
    expect(res.body).toContain('Định dạng “mods” chưa được hỗ trợ: chọn oai_dc, marc21 hoặc marcxml.');
    expect(res.body).toContain('Bạn không có quyền quản lý liên thông ở thư viện COMM-B1.');
    expect(res.body).toContain('Số giờ phải là số nguyên từ 1 đến 8760, hoặc để trống.');
    expect(res.body).toMatch(/id="f-baseUrl"[^>]*aria-invalid="true"/);
    expect(res.body).toContain('value="Kho thử"');

    const en = await postForm(env.app, jar, `${BASE}/new`, { ...form({ baseUrl: 'http://kho.example.vn/oai?verb=Identify', code: 'x y' }), _csrf: await csrf() }, { 'accept-language': 'en' });
    expect(en.statusCode).toBe(400);
    expect(en.body).toContain('The source was not saved: correct the marked fields.');
    expect(en.body).toContain('Enter the base address only, without “?verb=…” or “#…” after it.');
    expect(en.body).toContain('A code has unaccented letters, digits, dots, dashes or underscores only (at most 40).');
    expect(await env.container.store.harvest.listSources()).toEqual([]);
  });

  it('refuses a form without its CSRF token', async () => {
    const res = await postForm(env.app, jar, `${BASE}/new`, form({ code: 'NO-CSRF' }));
    expect(res.statusCode).toBe(403);
    expect(await env.container.store.harvest.getSourceByCode('NO-CSRF')).toBeUndefined();
  });

  it('adds a source, harvests it now, and shows its harvest with counts', async () => {
    const id = await create({});
    const page = await get(env.app, jar, `${BASE}/${id}?ok=harvest.created`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Đã thêm nguồn thu thập.');
    expect(page.body).toContain(`<code>${oai.base('dspace')}</code>`);
    expect(page.body).toContain('Mỗi 24 giờ');
    expect(page.body).toContain('Chưa có lần thu thập nào.');

    const queued = await postForm(env.app, jar, `${BASE}/${id}/run`, { _csrf: csrfFrom(page.body) });
    expect(queued.statusCode).toBe(303);
    expect(queued.headers.location).toBe(`${BASE}/${id}?ok=harvest.queued`);
    const jobs = await env.container.store.jobs.findByDedupeKey(HARVEST_JOB, `source:${id}`);
    expect(jobs.map((j) => j.status)).toEqual(['queued']);
    const waiting = await get(env.app, jar, String(queued.headers.location));
    expect(waiting.body).toContain('Đã xếp lịch thu thập');
    expect(waiting.body).toContain(`Việc thu thập #${jobs[0]!.id} đang Đang chờ chạy.`);
    // Asking again while it waits queues nothing more.
    const twice = await postForm(env.app, jar, `${BASE}/${id}/run`, { _csrf: csrfFrom(page.body) });
    expect(twice.headers.location).toBe(`${BASE}/${id}?ok=harvest.alreadyQueued`);

    await runJobs();
    const after = await get(env.app, jar, `${BASE}/${id}`);
    expect(after.body).toContain('16 biểu ghi đang có trong mục lục; 0 đã bị kho gốc xoá.');
    expect(after.body).toContain('2003-04-30T16:08:02Z');
    expect(after.body).toMatch(/<td data-label="Mới">16<\/td>/);
    const list = await get(env.app, jar, BASE);
    expect(list.body).toContain('Hoàn tất');
    expect(list.body).toContain('16 mới, 0 cập nhật, 0 xoá, 0 lỗi');
  });

  it('shows a harvest’s records that could not be taken, and why', async () => {
    const id = await create({ code: 'KOHA-AG', name: 'OPAC An Giang', baseUrl: oai.base('marc'), metadataPrefix: 'marc21', intervalHours: '' });
    await postForm(env.app, jar, `${BASE}/${id}/run`, { _csrf: await csrf() });
    await runJobs();
    const run = (await env.container.store.harvest.latestRun(id))!;
    const page = await get(env.app, jar, `${BASE}/runs/${run.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Số trang: 1 · mới: 1 · cập nhật: 0 · xoá: 0 · lỗi: 3');
    expect(page.body).toContain('Biểu ghi không lấy được (3)');
    expect(page.body).toContain('<code>oai:opac.example.vn:AG:1002</code>');
    expect(page.body).toContain('Biểu ghi vi phạm quy tắc MARC 21.');
    expect(page.body).toMatch(/<li>245: [^<]+<\/li>/);
    expect(page.body).toContain('Biểu ghi không có nhan đề.');
    expect(page.body).toContain('Phần mô tả không phải Dublin Core hay MARC 21.');
    const en = await get(env.app, jar, `${BASE}/runs/${run.id}`, { 'accept-language': 'en' });
    expect(en.body).toContain('Records not taken (3)');
    expect(en.body).toContain('The record has no title.');
  });

  it('says why a harvest failed, in words', async () => {
    const id = await create({ code: 'WEB', name: 'Trang web', baseUrl: oai.base('html'), intervalHours: '' });
    await postForm(env.app, jar, `${BASE}/${id}/run`, { _csrf: await csrf() });
    await runJobs();
    const source = await get(env.app, jar, `${BASE}/${id}`);
    expect(source.body).toContain('Lỗi');
    expect(source.body).toContain('Địa chỉ này không trả lời như một kho OAI-PMH');
    const run = (await env.container.store.harvest.latestRun(id))!;
    const page = await get(env.app, jar, `${BASE}/runs/${run.id}`);
    expect(page.body).toContain('Lý do dừng');
    expect(page.body).toMatch(/<code>line 1, column \d+: [^<]*DOCTYPE/i);
  });

  it('edits a source with its version, and deletes it', async () => {
    const id = await create({ code: 'EDIT-ME', name: 'Sửa tôi', intervalHours: '' });
    const edit = await get(env.app, jar, `${BASE}/${id}/edit`);
    expect(edit.statusCode).toBe(200);
    expect(edit.body).toContain('value="Sửa tôi"');
    expect(edit.body).toContain('name="version" value="1"');
    const token = csrfFrom(edit.body);
    const saved = await postForm(env.app, jar, `${BASE}/${id}/edit`, { ...form({ code: 'EDIT-ME', name: 'Đã sửa', intervalHours: '12' }), version: '1', _csrf: token });
    expect(saved.statusCode).toBe(303);
    expect(saved.headers.location).toBe(`${BASE}/${id}?ok=harvest.updated`);
    expect(await env.container.store.harvest.getSource(id)).toMatchObject({ name: 'Đã sửa', intervalHours: 12, version: 2 });
    const stale = await postForm(env.app, jar, `${BASE}/${id}/edit`, { ...form({ code: 'EDIT-ME', name: 'Cũ' }), version: '1', _csrf: token });
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('Nguồn này vừa được người khác sửa.');

    const other = (await login(env.app, 'otherlib', PASSWORD)).jar;
    expect((await get(env.app, other, `${BASE}/${id}`)).statusCode).toBe(403);
    expect((await postForm(env.app, other, `${BASE}/${id}/run`, { _csrf: csrfFrom((await get(env.app, other, '/staff')).body) })).statusCode).toBe(403);

    const deleted = await postForm(env.app, jar, `${BASE}/${id}/delete`, { version: '2', _csrf: token });
    expect(deleted.statusCode).toBe(303);
    expect(deleted.headers.location).toBe(`${BASE}?ok=harvest.deleted`);
    expect(await env.container.store.harvest.getSource(id)).toBeUndefined();
    expect((await get(env.app, jar, `${BASE}/${id}`)).statusCode).toBe(404);
  });
});
