import { afterEach, beforeEach, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance, type LightMyRequestResponse } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import { describeEachDialect } from '../../../../test/dialects.js';
import { PASSWORD } from '../../../../test/factories.js';
import { Jar, TEST_SECRET, csrfFrom, get, httpEnv, login, postForm, type HttpEnv, type Part, multipart } from '../../../../test/http.js';
import { systemActor } from '../../../app/actor.js';
import type { MarcRecord } from '../../../codecs/marc/record.js';
import { writeIso2709 } from '../../../codecs/marc/write.js';
import { parseIso2709, parseMarcXml, readMarcJson } from '../../../codecs/marc/parse.js';
import { contextPlugin } from '../../plugins/context.js';
import { errorPlugin } from '../../plugins/errors.js';
import { importPages } from './imports.pages.js';

const sys = systemActor('test');
const IMPORTS = '/staff/catalogue/imports';

function book(n: number, barcodes: Array<[string, string]> = [], title = `Lịch sử Kiên Giang tập ${n} /`): MarcRecord {
  const fields: MarcRecord['fields'] = [
    { tag: '008', value: '250101s2024    vm            000 0 vie d' },
    { tag: '100', ind1: '0', ind2: ' ', subfields: [{ code: 'a', value: `Nguyễn Văn ${String.fromCharCode(65 + n)}${n}` }] },
    { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: title }, { code: 'c', value: 'Nhiều tác giả.' }] },
    { tag: '264', ind1: ' ', ind2: '1', subfields: [{ code: 'a', value: 'Rạch Giá :' }, { code: 'b', value: 'Nxb. Tổng hợp,' }, { code: 'c', value: `${2000 + n}.` }] },
  ];
  for (const [unit, barcode] of barcodes) fields.push({ tag: '952', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: unit }, { code: 'p', value: barcode }] });
  return { leader: '00000nam a2200000 i 4500', fields };
}

const untitled: MarcRecord = { leader: '00000nam a2200000 i 4500', fields: [{ tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'Chỉ có ghi chú.' }] }] };


interface Upload {
  data?: Uint8Array | string;
  filename?: string;
  unit: number | '';
  policy?: string;
  strict?: boolean;
  again?: boolean;
  /** `undefined`: the token the page's form carries; `null`: none; a string: that one. */
  csrf?: string | null;
}

/** Loads the upload page and posts the form as its `action` says (token in the query string). */
async function upload(app: FastifyInstance, jar: Jar, u: Upload): Promise<LightMyRequestResponse> {
  const page = await get(app, jar, IMPORTS);
  const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(page.body)?.[1];
  let url = IMPORTS;
  if (u.csrf === undefined) url = action!.replace(/&amp;/g, '&');
  else if (u.csrf !== null) url = `${IMPORTS}?_csrf=${encodeURIComponent(u.csrf)}`;
  const parts: Part[] = [{ name: 'file', filename: u.filename ?? 'sach.mrc', data: u.data ?? '' }, { name: 'unit', value: String(u.unit) }, { name: 'policy', value: u.policy ?? 'attach' }];
  if (u.strict) parts.push({ name: 'strict', value: '1' });
  if (u.again) parts.push({ name: 'again', value: '1' });
  const { payload, contentType } = multipart(parts);
  return jar.take(await app.inject({ method: 'POST', url, headers: { cookie: jar.header, 'content-type': contentType }, payload }));
}

function jobIdOf(res: LightMyRequestResponse): number {
  const m = /^\/staff\/catalogue\/imports\/(\d+)\?ok=staff\.imports\.(started|resumed)$/.exec(String(res.headers.location));
  if (!m) throw new Error(`not a redirect to a job: ${res.statusCode} ${String(res.headers.location)}\n${res.body.slice(0, 2000)}`);
  return Number(m[1]);
}

const count = (html: string, needle: string) => html.split(needle).length - 1;

describeEachDialect('staff pages: MARC import and export', (dialect) => {
  let env: HttpEnv;
  let dir: string;
  const apps: FastifyInstance[] = [];

  beforeEach(async () => {
    env = await httpEnv(dialect);
    dir = mkdtempSync(join(tmpdir(), 'lt-uploads-'));
  });
  afterEach(async () => {
    for (const a of apps.splice(0)) await a.close();
    // The full app keeps uploads in its default directory: remove the ones these tests made.
    for (const j of (await env?.container.store.jobs.list({ kind: 'catalog.import', limit: 100 })) ?? []) rmSync(String(j.params.path), { force: true });
    await env?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The import pages alone, with their own upload directory and limit (the full app uses the defaults). */
  async function pagesApp(maxUploadBytes?: number): Promise<FastifyInstance> {
    const deps = { services: env.container.services, store: env.container.store, clock: env.clock, sessionSecret: TEST_SECRET, baseUrl: 'http://localhost' };
    const app = Fastify();
    apps.push(app);
    await app.register(cookie, { secret: TEST_SECRET, hook: 'onRequest' });
    await app.register(formbody);
    await app.register(contextPlugin, deps);
    await app.register(errorPlugin, deps);
    await app.register(importPages, { prefix: '/staff', services: env.container.services, uploadDir: dir, maxUploadBytes });
    return app;
  }

  const jobsQueued = async () => (await env.container.store.jobs.list({ kind: 'catalog.import', limit: 100 })).length;

  it('uploads an ISO 2709 file, runs it, and shows the counts and the report of every record', async () => {
    const { jar } = await login(env.app, 'netadmin', PASSWORD);
    const page = await get(env.app, jar, IMPORTS);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('enctype="multipart/form-data"');
    expect(page.body).toContain(`(${env.tree.communeA1.code})`);
    const data = writeIso2709([book(1, [['COMM-A1', 'A1-0001'], ['COMM-A1', 'A1-0002']]), book(2, [['COMM-A2', 'A2-0001']]), book(3)]);
    const res = await upload(env.app, jar, { data, filename: 'sách mới.mrc', unit: env.tree.distA.id });
    expect(res.statusCode).toBe(303);
    const id = jobIdOf(res);

    const queued = await get(env.app, jar, String(res.headers.location));
    expect(queued.statusCode).toBe(200);
    expect(queued.body).toContain('Đã nhận tệp; việc nhập sẽ bắt đầu trong giây lát.');
    expect(queued.body).toContain('Đang chờ');
    expect(queued.body).toContain('<noscript><meta http-equiv="refresh" content="2"/></noscript>');
    expect(queued.body).toMatch(/<script src="\/assets\/import-progress\.\w+\.js" defer/);
    expect(queued.body).toContain('sách mới.mrc');
    expect((await get(env.app, jar, `${IMPORTS}/${id}/progress.json`)).json()).toMatchObject({ id, status: 'queued', finished: false, percent: null, summary: { read: 0 } });

    expect(await env.container.jobs.runOnce()).toBe(true);

    const done = await get(env.app, jar, `${IMPORTS}/${id}`);
    expect(done.body).toContain('Đã nhập xong 3 biểu ghi.');
    expect(done.body).not.toContain('http-equiv="refresh"');
    expect(done.body).not.toContain('/assets/import-progress.');
    expect(done.body).not.toContain('data-progress-url');
    expect(done.body).toContain('<progress max="100" value="100"');
    expect(done.body).toMatch(/data-count="read">3</);
    expect(done.body).toMatch(/data-count="created">3</);
    expect(done.body).toMatch(/data-count="itemsAdded">3</);
    expect(count(done.body, '<tr class="outcome-created">')).toBe(3);
    expect(done.body).toContain('Lịch sử Kiên Giang tập 2');
    expect(done.body).toMatch(/href="\/staff\/catalogue\/records\/\d+">#\d+</);
    expect(done.body).not.toContain('Huỷ lượt nhập');

    expect((await get(env.app, jar, `${IMPORTS}/${id}/progress.json`)).json()).toMatchObject({ status: 'done', statusText: 'Xong', finished: true, percent: 100, summary: { read: 3, created: 3, itemsAdded: 3, rejected: 0 } });
    const list = await get(env.app, jar, IMPORTS);
    expect(list.body).toContain(`href="${IMPORTS}/${id}">sách mới.mrc</a>`);
    expect(list.body).toContain('Đọc 3 · mới 3');

    // In English too.
    const en = await get(env.app, jar, `${IMPORTS}/${id}`, { cookie: `${jar.header}; lt_lang=en`, 'accept-language': 'en' });
    expect(en.body).toContain('All 3 records imported.');
  });

  it('shows a broken record and a record without a title as rejected, with their reasons', async () => {
    const { jar } = await login(env.app, 'netadmin', PASSWORD);
    const data = Buffer.concat([writeIso2709([book(1)]), Buffer.from('THIS IS NOT A MARC RECORD\x1d'), writeIso2709([book(2), untitled])]);
    const id = jobIdOf(await upload(env.app, jar, { data, unit: env.tree.prov.id, policy: 'keep' }));
    await env.container.jobs.runOnce();
    const all = await get(env.app, jar, `${IMPORTS}/${id}`);
    expect(all.body).toMatch(/data-count="rejected">2</);
    expect(count(all.body, '<tr class="outcome-created">')).toBe(2);
    const rejected = await get(env.app, jar, `${IMPORTS}/${id}?outcome=rejected`);
    expect(count(rejected.body, '<tr class="outcome-rejected">')).toBe(2);
    expect(count(rejected.body, '<tr class="outcome-created">')).toBe(0);
    expect(rejected.body).toContain('record 2 (byte ');
    expect(rejected.body).toContain('the directory has no field terminator (0x1E)');
    expect(rejected.body).toContain('Biểu ghi không có nhan đề (trường 245).');
    expect(rejected.body).toMatch(/aria-current="page">\s*Từ chối \(2\)/);

    const csv = await get(env.app, jar, `${IMPORTS}/${id}/report.csv`);
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="lienthong-import-${id}.csv"`);
    const lines = csv.body.trimEnd().split('\n');
    expect(lines[0]).toBe('\uFEFFseq,outcome,record_id,matched_on,title,items_added,problems');
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(/^2,rejected,,,,0,record 2 \(byte \d+\): the directory has no field terminator/);
    expect(lines[4]).toBe('4,rejected,,,,0,Biểu ghi không có nhan đề (trường 245).');
    expect(lines[1]).toMatch(/^1,created,\d+,,Lịch sử Kiên Giang tập 1,0,$/);
  });

  it('refuses an upload without a valid CSRF token and writes nothing to disk', async () => {
    const app = await pagesApp();
    const { jar } = await login(env.app, 'netadmin', PASSWORD);
    const data = writeIso2709([book(1)]);
    const none = await upload(app, jar, { data, unit: env.tree.prov.id, csrf: null });
    expect(none.statusCode).toBe(403);
    expect(none.body).toContain('Biểu mẫu đã hết hạn hoặc không hợp lệ');
    const forged = await upload(app, jar, { data, unit: env.tree.prov.id, csrf: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(forged.statusCode).toBe(403);
    expect(readdirSync(dir)).toEqual([]);
    expect(await jobsQueued()).toBe(0);
    expect((await env.container.store.audit.list({ action: 'security.csrf', limit: 10 })).length).toBe(2);
    // The same form with its token goes through.
    expect((await upload(app, jar, { data, unit: env.tree.prov.id })).statusCode).toBe(303);
    expect(readdirSync(dir)).toHaveLength(1);
  });

  it('refuses an empty file, a PDF, no file and a file over the limit, saying why, and keeps nothing', async () => {
    const app = await pagesApp(2048);
    const { jar } = await login(env.app, 'netadmin', PASSWORD);
    const empty = await upload(app, jar, { data: '', filename: 'rong.mrc', unit: env.tree.prov.id });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('Tệp rỗng: không có biểu ghi nào để nhập.');
    const pdf = await upload(app, jar, { data: '%PDF-1.4\n%âãÏÓ\n1 0 obj\n<< /Type /Catalog >>\nendobj\n', filename: 'bao-cao.pdf', unit: env.tree.prov.id });
    expect(pdf.statusCode).toBe(400);
    expect(pdf.body).toContain('Không nhận ra định dạng tệp: cần ISO 2709, MARCXML hoặc MARC-in-JSON');
    // The form keeps what was chosen.
    expect(pdf.body).toMatch(new RegExp(`<option value="${env.tree.prov.id}" selected`));
    const noFile = await upload(app, jar, { data: '', filename: '', unit: env.tree.prov.id });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.body).toContain('Hãy chọn một tệp để nhập.');
    const noLibrary = await upload(app, jar, { data: writeIso2709([book(1)]), unit: '' });
    expect(noLibrary.statusCode).toBe(400);
    expect(noLibrary.body).toContain('Hãy chọn thư viện nhận biểu ghi.');
    const big = await upload(app, jar, { data: writeIso2709(Array.from({ length: 40 }, (_, i) => book(i))), unit: env.tree.prov.id });
    expect(big.statusCode).toBe(413);
    expect(big.body).toContain('Tệp lớn hơn giới hạn 2 KB.');
    expect(readdirSync(dir)).toEqual([]);
    expect(await jobsQueued()).toBe(0);
  });

  it('hides the form from a librarian without catalog.import and refuses their upload', async () => {
    const { jar } = await login(env.app, 'commlib', PASSWORD);
    const page = await get(env.app, jar, IMPORTS);
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('multipart/form-data');
    expect(page.body).toContain('Bạn không có quyền nhập biểu ghi cho thư viện nào.');
    const res = await upload(env.app, jar, { data: writeIso2709([book(1)]), unit: env.tree.communeA1.id, csrf: csrfFrom(page.body) });
    expect(res.statusCode).toBe(403);
    expect(await jobsQueued()).toBe(0);
  });

  it('keeps imports to those who may see them', async () => {
    const admin = await login(env.app, 'distadmin', PASSWORD);
    const id = jobIdOf(await upload(env.app, admin.jar, { data: writeIso2709([book(1)]), unit: env.tree.communeA2.id }));
    const other = await login(env.app, 'otherlib', PASSWORD);
    expect((await get(env.app, other.jar, `${IMPORTS}/${id}`)).statusCode).toBe(403);
    expect((await get(env.app, other.jar, `${IMPORTS}/${id}/progress.json`)).statusCode).toBe(403);
    expect((await get(env.app, other.jar, `${IMPORTS}/${id}/report.csv`)).statusCode).toBe(403);
    expect((await get(env.app, other.jar, IMPORTS)).body).not.toContain(`${IMPORTS}/${id}"`);
    const net = await login(env.app, 'netadmin', PASSWORD);
    expect((await get(env.app, net.jar, `${IMPORTS}/${id}`)).statusCode).toBe(200);
    expect((await get(env.app, net.jar, `${IMPORTS}/999999`)).statusCode).toBe(404);
  });

  it('cancels a waiting import', async () => {
    const { jar } = await login(env.app, 'netadmin', PASSWORD);
    const id = jobIdOf(await upload(env.app, jar, { data: writeIso2709([book(1)]), unit: env.tree.prov.id }));
    const page = await get(env.app, jar, `${IMPORTS}/${id}`);
    expect(page.body).toContain(`action="${IMPORTS}/${id}/cancel"`);
    const res = await postForm(env.app, jar, `${IMPORTS}/${id}/cancel`, { _csrf: csrfFrom(page.body) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${IMPORTS}/${id}?ok=staff.imports.cancelled`);
    const after = await get(env.app, jar, String(res.headers.location));
    expect(after.body).toContain('Đã huỷ lượt nhập.');
    expect(after.body).toContain('badge-job-cancelled');
    expect(after.body).not.toContain(`${IMPORTS}/${id}/cancel`);
    expect(await env.container.jobs.runOnce()).toBe(false);
    // Cancelling it again says why not.
    const again = await postForm(env.app, jar, `${IMPORTS}/${id}/cancel`, { _csrf: csrfFrom(after.body) });
    expect(again.statusCode).toBe(409);
    expect(again.body).toContain(`Công việc ${id} đã kết thúc, không thể huỷ.`);
  });

  it('says when a file was imported already, links to that import, and imports it again when asked', async () => {
    const { jar } = await login(env.app, 'netadmin', PASSWORD);
    const data = writeIso2709([book(1)]);
    const first = jobIdOf(await upload(env.app, jar, { data, unit: env.tree.prov.id }));
    // Uploaded again before it ran: the same import goes on.
    const resumed = await upload(env.app, jar, { data, unit: env.tree.prov.id });
    expect(resumed.headers.location).toBe(`${IMPORTS}/${first}?ok=staff.imports.resumed`);
    await env.container.jobs.runOnce();
    const done = await upload(env.app, jar, { data, unit: env.tree.prov.id });
    expect(done.statusCode).toBe(409);
    expect(done.body).toContain(`(lượt nhập số ${first})`);
    expect(done.body).toContain(`<a href="${IMPORTS}/${first}">Xem lượt nhập số ${first}</a>`);
    const again = await upload(env.app, jar, { data, unit: env.tree.prov.id, again: true });
    expect(jobIdOf(again)).toBeGreaterThan(first);
  });

  it('exports the catalogue in each format, one library’s holdings, or chosen records', async () => {
    const { jar } = await login(env.app, 'netadmin', PASSWORD);
    const id = jobIdOf(await upload(env.app, jar, { data: writeIso2709([book(1, [['COMM-A1', 'A1-0001'], ['COMM-A1', 'A1-0002']]), book(2, [['COMM-B1', 'B1-0001']]), book(3)]), unit: env.tree.prov.id }));
    await env.container.jobs.runOnce();
    const results = await env.container.services.imports.results(id, { limit: 10 });
    expect(results.map((r) => r.outcome)).toEqual(['created', 'created', 'created']);

    const form = await get(env.app, jar, '/staff/catalogue/export');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('action="/staff/catalogue/export/file"');
    expect(form.body).toContain(`(${env.tree.communeB1.code})`);

    const file = (q: string) => get(env.app, jar, `/staff/catalogue/export/file?${q}`);
    const iso = await file('format=iso2709&unit=&ids=&holdings=952');
    expect(iso.statusCode).toBe(200);
    expect(iso.headers['content-type']).toBe('application/marc');
    expect(iso.headers['content-disposition']).toBe('attachment; filename="lienthong-catalogue-2026-03-15.mrc"');
    const isoRecords = parseIso2709(iso.rawPayload);
    expect(isoRecords).toHaveLength(3);
    expect(isoRecords.flatMap((r) => r.fields.filter((f) => f.tag === '952'))).toHaveLength(3);

    const xml = await file('format=marcxml&holdings=852');
    expect(xml.headers['content-type']).toBe('application/marcxml+xml; charset=utf-8');
    expect(xml.headers['content-disposition']).toBe('attachment; filename="lienthong-catalogue-2026-03-15.xml"');
    const xmlRecords = parseMarcXml(xml.body);
    expect(xmlRecords).toHaveLength(3);
    expect(xmlRecords.flatMap((r) => r.fields.filter((f) => f.tag === '852'))).toHaveLength(3);

    const json = await file('format=json&holdings=none');
    expect(json.headers['content-disposition']).toBe('attachment; filename="lienthong-catalogue-2026-03-15.jsonl"');
    const jsonRecords = readMarcJson(json.body);
    expect(jsonRecords.filter((r) => r.ok)).toHaveLength(3);
    expect(jsonRecords.flatMap((r) => (r.ok ? r.record.fields.filter((f) => f.tag === '952' || f.tag === '852') : []))).toEqual([]);

    const csv = await file('format=csv');
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.body.startsWith('\uFEFFid,title,')).toBe(true);
    expect(csv.body.trimEnd().split('\n')).toHaveLength(4);

    // One library: the records it holds, with its copies only.
    const a1 = await file(`format=iso2709&unit=${env.tree.communeA1.id}`);
    expect(a1.headers['content-disposition']).toBe('attachment; filename="lienthong-comm-a1-2026-03-15.mrc"');
    const a1Records = parseIso2709(a1.rawPayload);
    expect(a1Records).toHaveLength(1);
    expect(a1Records[0]!.fields.filter((f) => f.tag === '952')).toHaveLength(2);
    const distB = parseMarcXml((await file(`format=marcxml&unit=${env.tree.distB.id}`)).body);
    expect(distB).toHaveLength(1);

    // Chosen records.
    const chosen = await file(`format=iso2709&ids=${results[2]!.recordId}, ${results[0]!.recordId}`);
    expect(chosen.headers['content-disposition']).toBe('attachment; filename="lienthong-selection-2026-03-15.mrc"');
    expect(parseIso2709(chosen.rawPayload)).toHaveLength(2);

    // Mistakes come back as the form with the error.
    const badIds = await file('format=csv&ids=12,abc');
    expect(badIds.statusCode).toBe(400);
    expect(badIds.body).toContain('Số biểu ghi không hợp lệ: abc.');
    expect(badIds.body).toContain('value="12,abc"');
    const badFormat = await file('format=pdf');
    expect(badFormat.statusCode).toBe(400);
    expect(badFormat.body).toContain('Định dạng xuất không hợp lệ: pdf.');
  });

  it('refuses an export to someone without catalog.export there, before any byte', async () => {
    const commlib = await login(env.app, 'commlib', PASSWORD);
    const other = await get(env.app, commlib.jar, `/staff/catalogue/export/file?format=iso2709&unit=${env.tree.communeB1.id}`);
    expect(other.statusCode).toBe(403);
    expect(other.headers['content-disposition']).toBeUndefined();
    expect(other.headers['content-type']).toContain('text/html');
    const own = await get(env.app, commlib.jar, `/staff/catalogue/export/file?format=csv&unit=${env.tree.communeA1.id}`);
    expect(own.statusCode).toBe(200);
    // The form offers only the libraries one may export.
    const form = await get(env.app, commlib.jar, '/staff/catalogue/export');
    expect(form.body).toContain(`(${env.tree.communeA1.code})`);
    expect(form.body).not.toContain(`(${env.tree.communeB1.code})`);

    const { user } = await env.container.services.staff.create(sys, { username: 'kiemtra', displayName: 'Kiểm tra', homeUnitId: env.tree.root.id, password: PASSWORD });
    await env.container.services.staff.grant(sys, { userId: user.id, roleCode: 'auditor', unitId: env.tree.root.id, scope: 'network' });
    const auditor = await login(env.app, 'kiemtra', PASSWORD);
    expect((await get(env.app, auditor.jar, '/staff/catalogue/export')).statusCode).toBe(403);
    expect((await get(env.app, auditor.jar, '/staff/catalogue/export/file?format=csv')).statusCode).toBe(403);
  });
});
