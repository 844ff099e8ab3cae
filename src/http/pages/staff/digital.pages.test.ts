import { afterEach, beforeEach, expect, it } from 'vitest';
import { readdirSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import sharp from 'sharp';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachDialect } from '../../../../test/dialects.js';
import { PASSWORD, actorFor } from '../../../../test/factories.js';
import { csrfFrom, get, httpEnv, login, postForm, type HttpEnv, type Jar, type Part, multipart } from '../../../../test/http.js';
import { systemActor } from '../../../app/actor.js';
import type { StoredDigitalObject } from '../../../app/ports.js';

const sys = systemActor('test');
const BASE = '/staff/digital';


/** A small page image: white with a dark band, so it is a real picture. */
async function pageImage(width = 240, height = 320): Promise<Buffer> {
  const band = await sharp({ create: { width: Math.floor(width * 0.8), height: 20, channels: 3, background: '#222222' } }).png().toBuffer();
  return sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite([{ input: band, top: 40, left: Math.floor(width * 0.1) }])
    .png()
    .toBuffer();
}

const count = (html: string, needle: string) => html.split(needle).length - 1;

describeEachDialect('staff pages: digital library', (dialect) => {
  let env: HttpEnv;

  beforeEach(async () => {
    env = await httpEnv(dialect);
  });
  afterEach(async () => {
    await env?.dispose();
  });

  const c = () => env.container;
  const make = async (unitId: number, title: string, extra: Record<string, unknown> = {}): Promise<StoredDigitalObject> =>
    c().services.digital.create(sys, { ownerUnitId: unitId, dc: { title: [title] }, ...extra });
  const tempDir = () => dirname(c().blobs.tempPath());
  const processJobs = async () => (await c().store.jobs.list({ kind: 'digital.process', limit: 100 })).length;

  /** Posts a multipart form to `url` with the token in the query string, as the upload forms do. */
  async function postMultipart(jar: Jar, url: string, parts: readonly Part[], headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const { payload, contentType } = multipart(parts);
    return jar.take(await env.app.inject({ method: 'POST', url, headers: { cookie: jar.header, 'content-type': contentType, ...headers }, payload }));
  }

  /** The upload form's action (with its CSRF token) on an object's page. */
  async function uploadAction(jar: Jar, id: number): Promise<string> {
    const page = await get(env.app, jar, `${BASE}/${id}`);
    expect(page.statusCode).toBe(200);
    const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(page.body)?.[1];
    return action!.replace(/&amp;/g, '&');
  }

  it('lists the objects one manages, with state tabs and counts, and filters them', async () => {
    const a1 = await make(env.tree.communeA1.id, 'Địa chí Kiên Giang');
    await make(env.tree.communeA2.id, 'Gia Định thành thông chí', { state: 'metadata', category: 'han_nom' });
    await make(env.tree.communeB1.id, 'Hương rừng Cà Mau');
    const { jar } = await login(env.app, 'distadmin', PASSWORD);
    const page = await get(env.app, jar, BASE);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Hàng việc số hoá');
    expect(page.body).toContain('Địa chí Kiên Giang');
    expect(page.body).toContain('Gia Định thành thông chí');
    // Another district's object is not this admin's to see.
    expect(page.body).not.toContain('Hương rừng Cà Mau');
    expect(page.body).toMatch(/Tất cả <span class="count">2<\/span>/);
    expect(page.body).toMatch(/Biên mục <span class="count">1<\/span>/);
    expect(page.body).toContain(`href="${BASE}/${a1.id}"`);
    expect(page.body).toContain('Chưa có trang');
    expect(page.body).toMatch(/<link rel="stylesheet" href="\/assets\/digital\.\w+\.css"/);

    const byState = await get(env.app, jar, `${BASE}?state=metadata`);
    expect(byState.body).toContain('Gia Định thành thông chí');
    expect(byState.body).not.toContain('>Địa chí Kiên Giang<');
    const byTitle = await get(env.app, jar, `${BASE}?q=${encodeURIComponent('Kiên Giang')}`);
    expect(byTitle.body).toContain('>Địa chí Kiên Giang<');
    expect(byTitle.body).not.toContain('>Gia Định thành thông chí<');
    const byUnit = await get(env.app, jar, `${BASE}?unit=${env.tree.communeA2.id}`);
    expect(byUnit.body).toContain('>Gia Định thành thông chí<');
    expect(byUnit.body).not.toContain('>Địa chí Kiên Giang<');
    const byCategory = await get(env.app, jar, `${BASE}?category=han_nom`);
    expect(byCategory.body).toContain('1 tài liệu');
    const mine = await get(env.app, jar, `${BASE}?assignee=mine`);
    expect(mine.body).toContain('Không có tài liệu nào ở đây.');

    // In English too.
    const en = await get(env.app, jar, BASE, { cookie: `${jar.header}; lt_lang=en` });
    expect(en.body).toContain('Digitisation queue');
    expect(en.body).toContain('Metadata');
  });

  it('creates a standalone object from its Dublin Core and shows its page', async () => {
    const { jar } = await login(env.app, 'distadmin', PASSWORD);
    const form = await get(env.app, jar, `${BASE}/new`);
    expect(form.statusCode).toBe(200);
    for (const el of ['title', 'creator', 'subject', 'description', 'publisher', 'contributor', 'date', 'type', 'format', 'identifier', 'source', 'language', 'relation', 'coverage', 'rights']) expect(form.body).toContain(`name="dc_${el}"`);
    expect(form.body).toContain('Tài liệu Hán Nôm');
    expect(form.body).toContain('Chỉ đọc tại thư viện');
    const res = await postForm(env.app, jar, `${BASE}/new`, {
      _csrf: csrfFrom(form.body),
      unit: String(env.tree.communeA1.id),
      record: '',
      dc_title: 'Địa chí Kiên Giang',
      dc_creator: 'Ban Tuyên giáo Tỉnh uỷ\nNguyễn Văn A',
      dc_subject: 'Kiên Giang\nĐịa chí',
      dc_description: 'Đoạn một.\n\nĐoạn hai.',
      dc_date: '2002',
      dc_language: 'vie',
      category: 'local',
      access: 'registered',
      embargo: '',
      licence: 'cc-by',
      downloadable: '1',
      ocr: 'vie+eng',
    });
    expect(res.statusCode).toBe(303);
    const id = Number(/^\/staff\/digital\/(\d+)\?ok=dstaff\.object\.created$/.exec(String(res.headers.location))?.[1]);
    expect(id).toBeGreaterThan(0);
    const o = await c().services.digital.get(id);
    expect(o.dc.creator).toEqual(['Ban Tuyên giáo Tỉnh uỷ', 'Nguyễn Văn A']);
    expect(o.dc.description).toEqual(['Đoạn một.', 'Đoạn hai.']);
    expect(o).toMatchObject({ ownerUnitId: env.tree.communeA1.id, category: 'local', access: 'registered', licence: 'cc-by', downloadable: true, watermark: false, ocrLanguages: 'vie+eng', state: 'selected' });
    expect(o.recordId).not.toBeNull();

    const page = await get(env.app, jar, String(res.headers.location));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Đã tạo tài liệu số.');
    expect(page.body).toContain('<h1 class="object-title">Địa chí Kiên Giang</h1>');
    expect(page.body).toContain('Nguyễn Văn A');
    expect(page.body).toContain('Bạn đọc đã đăng ký');
    expect(page.body).toContain('CC BY 4.0');
    expect(page.body).toContain(`href="/staff/catalogue/records/${o.recordId}"`);
    expect(page.body).toContain(`href="/digital/${id}"`);
    // Only the moves the workflow allows from "selected"; scanning needs no pages, quality check does.
    expect(page.body).toContain('Đã quét →');
    expect(page.body).toContain('Loại tài liệu này…');
    expect(page.body).toMatch(/<script src="\/assets\/digital-upload\.\w+\.js" defer/);
    expect(page.body).toContain(`action="${BASE}/${id}/files?_csrf=`);

    // A form without a title is refused, the message beside the field, what was typed kept.
    const again = await get(env.app, jar, `${BASE}/new`);
    const bad = await postForm(env.app, jar, `${BASE}/new`, { _csrf: csrfFrom(again.body), unit: String(env.tree.communeA1.id), dc_creator: 'Ai đó', category: 'local', access: 'public', licence: 'cc0', ocr: 'vie' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('cần nhan đề (hoặc số biểu ghi thư mục có nhan đề)');
    expect(bad.body).toMatch(/id="f-dc_title-error"/);
    expect(bad.body).toContain('Ai đó');
  });

  it('refuses an edit made on a stale version, saying so', async () => {
    const o = await make(env.tree.communeA1.id, 'Bản gốc');
    const { jar } = await login(env.app, 'commlib', PASSWORD);
    const form = await get(env.app, jar, `${BASE}/${o.id}/edit`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain(`name="version" value="${o.version}"`);
    expect(form.body).toContain('Bản gốc');
    // Someone else saves first.
    await c().services.digital.update(await actorFor(c(), env.tree.users.distadmin), o.id, { dc: { title: ['Bản của người khác'] }, version: o.version });
    const fields = { _csrf: csrfFrom(form.body), version: String(o.version), unit: String(env.tree.communeA1.id), dc_title: 'Bản của tôi', category: 'local', access: 'public', licence: 'in-copyright', ocr: 'vie' };
    const stale = await postForm(env.app, jar, `${BASE}/${o.id}/edit`, fields);
    expect(stale.statusCode).toBe(409);
    expect(stale.body).toContain('vừa được người khác sửa');
    expect(stale.body).toContain('Bản của tôi');
    expect((await c().services.digital.get(o.id)).title).toBe('Bản của người khác');
    // With the current version it saves.
    const fresh = await c().services.digital.get(o.id);
    const ok = await postForm(env.app, jar, `${BASE}/${o.id}/edit`, { ...fields, version: String(fresh.version) });
    expect(ok.statusCode).toBe(303);
    expect((await c().services.digital.get(o.id)).title).toBe('Bản của tôi');
  });

  it('uploads a page image without JavaScript: the file is listed and its processing queued', async () => {
    const o = await make(env.tree.communeA1.id, 'Ảnh trang');
    const { jar } = await login(env.app, 'commlib', PASSWORD);
    const png = await pageImage();
    const res = await postMultipart(jar, await uploadAction(jar, o.id), [{ name: 'file', filename: 'trang-01.png', data: png, type: 'image/png' }]);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${BASE}/${o.id}?ok=dstaff.upload.added#files-heading`);
    const files = await c().services.digital.files(o.id);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({ name: 'trang-01.png', mediaType: 'image/png', size: png.length, pages: 1 });
    expect(await processJobs()).toBe(1);
    const page = await get(env.app, jar, `${BASE}/${o.id}`);
    expect(page.body).toContain('trang-01.png');
    expect(page.body).toContain(files[0]!.sha256.slice(0, 12));
    expect(page.body).toContain('Đang chờ xử lý');
    expect(page.body).toContain(`data-status-url="${BASE}/${o.id}/status.json"`);
    expect((await c().services.digital.get(o.id)).state).toBe('scanned');
    expect((await get(env.app, jar, `${BASE}/${o.id}/status.json`)).json()).toMatchObject({ processing: 'queued', pages: 0 });
    expect(readdirSync(tempDir())).toEqual([]);
  });

  it('refuses a text file named .jpg with 415, saying why, and keeps nothing', async () => {
    const o = await make(env.tree.communeA1.id, 'Không phải ảnh');
    const { jar } = await login(env.app, 'commlib', PASSWORD);
    const res = await postMultipart(jar, await uploadAction(jar, o.id), [{ name: 'file', filename: 'anh.jpg', data: 'Đây là một tệp văn bản, không phải ảnh.\n', type: 'image/jpeg' }]);
    expect(res.statusCode).toBe(415);
    expect(res.body).toContain('Tệp &quot;anh.jpg&quot; không phải ảnh hay PDF được hỗ trợ');
    expect(await c().services.digital.files(o.id)).toEqual([]);
    expect(await processJobs()).toBe(0);
    expect(readdirSync(tempDir())).toEqual([]);

    // The same through the resumable upload: the JSON answer says why.
    const page = await get(env.app, jar, `${BASE}/${o.id}`);
    const csrf = csrfFrom(page.body);
    const data = Buffer.from('just text\n');
    const start = await env.app.inject({ method: 'POST', url: `${BASE}/${o.id}/uploads`, headers: { cookie: jar.header, 'x-csrf-token': csrf, accept: 'application/json' }, payload: { name: 'scan.jpg', size: data.length } });
    const { id } = start.json() as { id: string };
    await env.app.inject({ method: 'PUT', url: `${BASE}/${o.id}/uploads/${id}`, headers: { cookie: jar.header, 'x-csrf-token': csrf, 'content-type': 'application/octet-stream', 'content-range': `bytes 0-${data.length - 1}/${data.length}`, accept: 'application/json' }, payload: data });
    const finish = await env.app.inject({ method: 'POST', url: `${BASE}/${o.id}/uploads/${id}/finish`, headers: { cookie: jar.header, 'x-csrf-token': csrf, accept: 'application/json' } });
    expect(finish.statusCode).toBe(415);
    expect(finish.json()).toMatchObject({ error: { code: 'MEDIA_TYPE_UNSUPPORTED' } });
    expect((finish.json() as { error: { message: string } }).error.message).toContain('scan.jpg');
    expect(await c().services.digital.files(o.id)).toEqual([]);
    expect(readdirSync(tempDir())).toEqual([]);
  });

  it('takes a resumable upload in three chunks, refusing a chunk at the wrong offset, then adds the file', async () => {
    const o = await make(env.tree.communeA1.id, 'Tải lên từng phần');
    const { jar } = await login(env.app, 'commlib', PASSWORD);
    const page = await get(env.app, jar, `${BASE}/${o.id}`);
    expect(page.body).toContain(`data-resumable="${BASE}/${o.id}/uploads"`);
    const csrf = csrfFrom(page.body);
    const png = await pageImage(300, 400);
    const size = png.length;
    const a = Math.floor(size / 3);
    const b = Math.floor((2 * size) / 3);
    const headers = (extra: Record<string, string> = {}) => ({ cookie: jar.header, 'x-csrf-token': csrf, accept: 'application/json', ...extra });
    const put = (from: number, to: number) =>
      env.app.inject({ method: 'PUT', url: `${BASE}/${o.id}/uploads/${id}`, headers: headers({ 'content-type': 'application/octet-stream', 'content-range': `bytes ${from}-${to - 1}/${size}` }), payload: png.subarray(from, to) });

    // Without the CSRF header nothing starts.
    const forged = await env.app.inject({ method: 'POST', url: `${BASE}/${o.id}/uploads`, headers: { cookie: jar.header, accept: 'application/json' }, payload: { name: 'trang.png', size } });
    expect(forged.statusCode).toBe(403);
    // Over the limit: refused up front.
    const huge = await env.app.inject({ method: 'POST', url: `${BASE}/${o.id}/uploads`, headers: headers(), payload: { name: 'lon.pdf', size: c().services.digital.limits.maxBytes + 1 } });
    expect(huge.statusCode).toBe(413);
    expect(huge.json()).toMatchObject({ error: { code: 'MEDIA_TOO_LARGE' } });

    const start = await env.app.inject({ method: 'POST', url: `${BASE}/${o.id}/uploads`, headers: headers(), payload: { name: 'trang.png', size } });
    expect(start.statusCode).toBe(201);
    const id = (start.json() as { id: string; received: number }).id;
    expect(start.json()).toMatchObject({ received: 0, size });

    const first = await put(0, a);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ received: a });
    // The third chunk before the second: refused, with where to go on from.
    const early = await put(b, size);
    expect(early.statusCode).toBe(409);
    expect(early.json()).toMatchObject({ error: { code: 'DIGITAL_UPLOAD_OFFSET' }, received: a });
    // The first chunk again (a retry whose answer was lost): refused too, nothing appended twice.
    expect((await put(0, a)).statusCode).toBe(409);
    expect((await get(env.app, jar, `${BASE}/${o.id}/uploads/${id}`)).json()).toMatchObject({ received: a, size });
    // Finishing early is refused.
    const tooSoon = await env.app.inject({ method: 'POST', url: `${BASE}/${o.id}/uploads/${id}/finish`, headers: headers() });
    expect(tooSoon.statusCode).toBe(409);
    expect((await put(a, b)).json()).toMatchObject({ received: b });
    expect((await put(b, size)).json()).toMatchObject({ received: size });
    // Someone else cannot see or continue this upload.
    const other = await login(env.app, 'distadmin', PASSWORD);
    expect((await get(env.app, other.jar, `${BASE}/${o.id}/uploads/${id}`, { accept: 'application/json' })).statusCode).toBe(404);

    const finish = await env.app.inject({ method: 'POST', url: `${BASE}/${o.id}/uploads/${id}/finish`, headers: headers() });
    expect(finish.statusCode).toBe(201);
    expect(finish.json()).toMatchObject({ file: { name: 'trang.png', size, mediaType: 'image/png', pages: 1 } });
    const files = await c().services.digital.files(o.id);
    expect(files).toHaveLength(1);
    expect(files[0]!.sha256).toBe((await c().blobs.hashFile(c().blobs.pathOf(files[0]!.sha256))).sha256);
    expect(await processJobs()).toBe(1);
    // The upload is gone from the temporary folder.
    expect(readdirSync(tempDir())).toEqual([]);
    expect((await get(env.app, jar, `${BASE}/${o.id}/uploads/${id}`, { accept: 'application/json' })).statusCode).toBe(404);

    // An upload left for more than a day is removed when another one starts; a fresh one stays.
    const left = (await env.app.inject({ method: 'POST', url: `${BASE}/${o.id}/uploads`, headers: headers(), payload: { name: 'bo-do.png', size } })).json() as { id: string };
    const recent = (await env.app.inject({ method: 'POST', url: `${BASE}/${o.id}/uploads`, headers: headers(), payload: { name: 'gan-day.png', size } })).json() as { id: string };
    const old = new Date(Date.now() - 25 * 3_600_000);
    for (const n of readdirSync(tempDir()).filter((f) => f.includes(left.id))) utimesSync(join(tempDir(), n), old, old);
    expect(readdirSync(tempDir()).filter((f) => f.includes(left.id))).toHaveLength(2);
    await env.app.inject({ method: 'POST', url: `${BASE}/${o.id}/uploads`, headers: headers(), payload: { name: 'moi.png', size } });
    expect(readdirSync(tempDir()).filter((f) => f.includes(left.id))).toEqual([]);
    expect(readdirSync(tempDir()).filter((f) => f.includes(recent.id))).toHaveLength(2);
    // A chunk larger than its range says is dropped whole.
    const over = await env.app.inject({ method: 'PUT', url: `${BASE}/${o.id}/uploads/${recent.id}`, headers: headers({ 'content-type': 'application/octet-stream', 'content-range': `bytes 0-9/${size}` }), payload: png.subarray(0, 20) });
    expect(over.statusCode).toBe(400);
    expect((await get(env.app, jar, `${BASE}/${o.id}/uploads/${recent.id}`, { accept: 'application/json' })).json()).toMatchObject({ received: 0 });
    // And one can give an upload up.
    const gone = await env.app.inject({ method: 'DELETE', url: `${BASE}/${o.id}/uploads/${recent.id}`, headers: headers() });
    expect(gone.statusCode).toBe(204);
    expect(readdirSync(tempDir()).filter((f) => f.includes(recent.id))).toEqual([]);
  });

  it('moves several objects at once and reports each result, refusals in words', async () => {
    const ok = await make(env.tree.communeA1.id, 'Sẽ chuyển được');
    const refused = await make(env.tree.communeA1.id, 'Không chuyển được', { state: 'metadata' });
    const { jar } = await login(env.app, 'distadmin', PASSWORD);
    const page = await get(env.app, jar, BASE);
    const body = new URLSearchParams([
      ['_csrf', csrfFrom(page.body)],
      ['id', String(ok.id)],
      ['id', String(refused.id)],
      ['to', 'scanned'],
      ['reason', ''],
      ['action', 'move'],
    ]).toString();
    const res = jar.take(await env.app.inject({ method: 'POST', url: `${BASE}/bulk`, headers: { cookie: jar.header, 'content-type': 'application/x-www-form-urlencoded' }, payload: body }));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('Chuyển bước: 1 thành công, 1 bị từ chối');
    expect(res.body).toContain('Không thể chuyển tài liệu');
    expect(res.body).toContain('từ bước &quot;Biên mục&quot; sang &quot;Đã quét&quot;: không được chuyển thẳng giữa hai bước này');
    expect(count(res.body, 'class="result-ok"')).toBe(1);
    expect(count(res.body, 'class="result-refused"')).toBe(1);
    expect((await c().services.digital.get(ok.id)).state).toBe('scanned');
    expect((await c().services.digital.get(refused.id)).state).toBe('metadata');

    // Rejecting without a reason is refused per object; assigning works for both.
    const reject = new URLSearchParams([['_csrf', csrfFrom(page.body)], ['id', String(ok.id)], ['to', 'rejected'], ['reason', ''], ['action', 'move']]).toString();
    const noReason = jar.take(await env.app.inject({ method: 'POST', url: `${BASE}/bulk`, headers: { cookie: jar.header, 'content-type': 'application/x-www-form-urlencoded' }, payload: reject }));
    expect(noReason.body).toContain('cần ghi lý do loại');
    const assign = new URLSearchParams([['_csrf', csrfFrom(page.body)], ['id', String(ok.id)], ['id', String(refused.id)], ['assignee', String(env.tree.users.commlib)], ['action', 'assign']]).toString();
    const assigned = jar.take(await env.app.inject({ method: 'POST', url: `${BASE}/bulk`, headers: { cookie: jar.header, 'content-type': 'application/x-www-form-urlencoded' }, payload: assign }));
    expect(assigned.body).toContain('Giao việc: 2 thành công, 0 bị từ chối');
    expect((await c().services.digital.get(refused.id)).assigneeId).toBe(env.tree.users.commlib);
  });

  it('moves one object through the workflow from its page, and rejects with a reason', async () => {
    const o = await make(env.tree.communeA1.id, 'Từng bước');
    const { jar } = await login(env.app, 'distadmin', PASSWORD);
    const page = await get(env.app, jar, `${BASE}/${o.id}`);
    const moved = await postForm(env.app, jar, `${BASE}/${o.id}/state`, { _csrf: csrfFrom(page.body), to: 'scanned' });
    expect(moved.statusCode).toBe(303);
    expect((await c().services.digital.get(o.id)).state).toBe('scanned');
    // No pages yet: the quality check is refused, and the page says why.
    const qc = await postForm(env.app, jar, `${BASE}/${o.id}/state`, { _csrf: csrfFrom(page.body), to: 'qc' });
    expect(qc.statusCode).toBe(409);
    expect(qc.body).toContain('tài liệu chưa có trang nào');
    const rejected = await postForm(env.app, jar, `${BASE}/${o.id}/state`, { _csrf: csrfFrom(page.body), to: 'rejected', reason: 'Bản quét mờ' });
    expect(rejected.statusCode).toBe(303);
    const after = await get(env.app, jar, `${BASE}/${o.id}`);
    expect(after.body).toContain('Bản quét mờ');
    const me = await postForm(env.app, jar, `${BASE}/${o.id}/assign`, { _csrf: csrfFrom(page.body), assignee: String(env.tree.users.distadmin) });
    expect(me.statusCode).toBe(303);
    expect((await c().services.digital.get(o.id)).assigneeId).toBe(env.tree.users.distadmin);
  });

  it("keeps a librarian out of another library's objects, and refuses forms without a CSRF token", async () => {
    const theirs = await make(env.tree.communeB1.id, 'Của thư viện khác');
    const mine = await make(env.tree.communeA1.id, 'Của tôi');
    const { jar } = await login(env.app, 'commlib', PASSWORD);
    expect((await get(env.app, jar, `${BASE}/${theirs.id}`)).statusCode).toBe(403);
    expect((await get(env.app, jar, `${BASE}/${theirs.id}/edit`)).statusCode).toBe(403);
    const page = await get(env.app, jar, `${BASE}/${mine.id}/edit`);
    const csrf = csrfFrom(page.body);
    const edit = await postForm(env.app, jar, `${BASE}/${theirs.id}/edit`, { _csrf: csrf, version: String(theirs.version), unit: String(env.tree.communeB1.id), dc_title: 'Sửa trộm', category: 'local', access: 'public', licence: 'cc0', ocr: 'vie' });
    expect(edit.statusCode).toBe(403);
    expect((await c().services.digital.get(theirs.id)).title).toBe('Của thư viện khác');
    // Moving one's own object to another library one does not manage is refused by the service.
    const move = await postForm(env.app, jar, `${BASE}/${mine.id}/edit`, { _csrf: csrf, version: String(mine.version), unit: String(env.tree.communeB1.id), dc_title: 'Của tôi', category: 'local', access: 'public', licence: 'cc0', ocr: 'vie' });
    expect(move.statusCode).toBe(403);
    // In bulk, the other library's object is refused (it is not even in reach).
    const bulk = new URLSearchParams([['_csrf', csrf], ['id', String(theirs.id)], ['to', 'scanned'], ['action', 'move']]).toString();
    const res = jar.take(await env.app.inject({ method: 'POST', url: `${BASE}/bulk`, headers: { cookie: jar.header, 'content-type': 'application/x-www-form-urlencoded' }, payload: bulk }));
    expect(res.body).toContain('1 bị từ chối');
    expect((await c().services.digital.get(theirs.id)).state).toBe('selected');
    // The upload is refused before a byte is read.
    const upload = multipart([{ name: 'file', filename: 'x.png', data: await pageImage() }]);
    const up = await env.app.inject({ method: 'POST', url: `${BASE}/${theirs.id}/files?_csrf=${encodeURIComponent(csrf)}`, headers: { cookie: jar.header, 'content-type': upload.contentType }, payload: upload.payload });
    expect(up.statusCode).toBe(403);
    // No token, no write.
    const noToken = await postForm(env.app, jar, `${BASE}/new`, { unit: String(env.tree.communeA1.id), dc_title: 'Không có mã', category: 'local', access: 'public', licence: 'cc0', ocr: 'vie' });
    expect(noToken.statusCode).toBe(403);
    expect(noToken.body).toContain('Biểu mẫu đã hết hạn hoặc không hợp lệ');
    const noTokenUpload = await env.app.inject({ method: 'POST', url: `${BASE}/${mine.id}/files`, headers: { cookie: jar.header, 'content-type': upload.contentType }, payload: upload.payload });
    expect(noTokenUpload.statusCode).toBe(403);
    expect(await c().services.digital.files(mine.id)).toEqual([]);
    // Someone without the permission anywhere has no queue.
    await c().services.staff.create(sys, { username: 'auditor1', displayName: 'Kiểm tra', homeUnitId: env.tree.prov.id, password: PASSWORD });
    const auditor = await login(env.app, 'auditor1', PASSWORD);
    expect((await get(env.app, auditor.jar, BASE)).statusCode).toBe(403);
  });

  /** Uploads a manifest and its files through the ingest form; the job's id from the redirect. */
  async function startIngest(jar: Jar, manifest: string, files: Array<[string, Buffer]>): Promise<{ jobId: number; res: LightMyRequestResponse }> {
    const form = await get(env.app, jar, `${BASE}/ingest`);
    const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(form.body)![1]!.replace(/&amp;/g, '&');
    const res = await postMultipart(jar, action, [
      { name: 'manifest', filename: 'ke-khai.csv', data: manifest, type: 'text/csv' },
      ...files.map(([filename, data]) => ({ name: 'files', filename, data, type: 'image/png' })),
      { name: 'unit', value: String(env.tree.communeA1.id) },
      { name: 'access', value: 'public' },
      { name: 'licence', value: 'in-copyright' },
      { name: 'category', value: 'local' },
      { name: 'state', value: '' },
      { name: 'ocr', value: 'vie' },
    ]);
    expect(res.statusCode).toBe(303);
    const jobId = Number(/^\/staff\/jobs\/(\d+)\?ok=dstaff\.ingest\.started$/.exec(String(res.headers.location))?.[1]);
    expect(jobId).toBeGreaterThan(0);
    return { jobId, res };
  }

  it('ingests a batch from the web: a job page with progress, a result per row, and a CSV', async () => {
    const { jar } = await login(env.app, 'netadmin', PASSWORD);
    const form = await get(env.app, jar, `${BASE}/ingest`);
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('Cách viết tệp kê khai');
    const sample = await get(env.app, jar, `${BASE}/ingest/sample.csv`);
    expect(sample.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(sample.body).toContain('title,creator,date,language');
    const manifest = 'title,creator,date,files,access,license,category\n"Địa chí Kiên Giang","Nhiều tác giả",2002,trang-1.png;trang-2.png,public,cc-by,local\n"Sai nhóm","Ai đó",1999,trang-3.png,public,cc-by,khong-co-nhom\n';
    const { jobId, res } = await startIngest(jar, manifest, [
      ['trang-1.png', await pageImage()],
      ['trang-2.png', await pageImage(260, 340)],
      ['trang-3.png', await pageImage(200, 300)],
    ]);
    const queued = await get(env.app, jar, String(res.headers.location));
    expect(queued.statusCode).toBe(200);
    expect(queued.body).toContain('<noscript><meta http-equiv="refresh" content="3"/></noscript>');
    expect(queued.body).toContain('Đã nhận tệp; việc nhập sẽ bắt đầu trong giây lát.');
    expect(queued.body).toMatch(/<script src="\/assets\/import-progress\.\w+\.js" defer/);

    expect(await c().jobs.runOnce()).toBe(true);
    const job = await c().store.jobs.get(jobId);
    expect(job?.error ?? null).toBeNull();
    expect(job?.status).toBe('done');
    const done = await get(env.app, jar, `/staff/jobs/${jobId}`);
    expect(done.body).not.toContain('http-equiv="refresh"');
    expect(done.body).toMatch(/data-count="created">1</);
    expect(done.body).toMatch(/data-count="failed">1</);
    expect(done.body).toContain('Địa chí Kiên Giang');
    expect(done.body).toContain('Sai nhóm');
    expect(count(done.body, '<tr class="outcome-created">')).toBe(1);
    expect(count(done.body, '<tr class="outcome-failed">')).toBe(1);
    const failed = await get(env.app, jar, `/staff/jobs/${jobId}?outcome=failed`);
    expect(count(failed.body, '<tr class="outcome-failed">')).toBe(1);
    expect(count(failed.body, '<tr class="outcome-created">')).toBe(0);
    expect(failed.body).toContain('nhóm tài liệu “khong-co-nhom” không có');
    const csv = await get(env.app, jar, `/staff/jobs/${jobId}/results.csv`);
    expect(csv.headers['content-disposition']).toBe(`attachment; filename="lienthong-ingest-${jobId}.csv"`);
    const lines = csv.body.trimEnd().split('\n');
    expect(lines[0]).toBe('\uFEFFseq,outcome,object_id,label,problems');
    expect(lines[1]).toMatch(/^1,created,\d+,Địa chí Kiên Giang,$/);
    expect(lines[2]).toMatch(/^2,failed,,Sai nhóm,/);
    // The created object has both files, in order.
    const created = (await c().services.ingest.results(jobId, { outcome: 'created', limit: 10 }))[0]!;
    expect((await c().services.digital.files(created.objectId!)).map((f) => f.name)).toEqual(['trang-1.png', 'trang-2.png']);
    // The jobs page lists the ingest.
    const list = await get(env.app, jar, '/staff/jobs');
    expect(list.body).toContain(`href="/staff/jobs/${jobId}"`);
    expect(list.body).toContain('Nhập tài liệu số theo lô');

    // A manifest with an unknown column is refused at once, and nothing is left behind.
    const action = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/.exec(form.body)![1]!.replace(/&amp;/g, '&');
    const bad = await postMultipart(jar, action, [
      { name: 'manifest', filename: 'sai.csv', data: 'title,mau_sac\nA,do\n', type: 'text/csv' },
      { name: 'unit', value: String(env.tree.communeA1.id) },
    ]);
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('mau_sac');
    expect(readdirSync(tempDir()).filter((n) => n.startsWith('ingest-'))).toHaveLength(1);
    // Without a manifest, or without a library, nothing starts.
    const none = await postMultipart(jar, action, [{ name: 'unit', value: String(env.tree.communeA1.id) }]);
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('Hãy chọn tệp kê khai (CSV).');
    expect((await c().store.jobs.list({ kind: 'digital.ingest', limit: 10 })).length).toBe(1);
  });

  it('ingests a manifest of two rows, one naming a missing file: the job ends, the row fails alone', async () => {
    const { jar } = await login(env.app, 'netadmin', PASSWORD);
    const manifest = 'title,files\n"Có đủ tệp",trang-1.png\n"Bản bị thiếu",khong-co.png\n';
    const { jobId } = await startIngest(jar, manifest, [['trang-1.png', await pageImage()]]);
    expect(await c().jobs.runOnce()).toBe(true);
    const job = await c().store.jobs.get(jobId);
    expect(job?.error ?? null).toBeNull();
    expect(job?.status).toBe('done');
    const done = await get(env.app, jar, `/staff/jobs/${jobId}`);
    expect(done.body).toMatch(/data-count="created">1</);
    expect(done.body).toMatch(/data-count="failed">1</);
    expect(count(done.body, '<tr class="outcome-failed">')).toBe(1);
    expect(done.body).toContain('khong-co.png');
  });

  it('shows the collections and lets a manager create and rename one', async () => {
    const { jar } = await login(env.app, 'distadmin', PASSWORD);
    const page = await get(env.app, jar, `${BASE}/collections`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Chưa có bộ sưu tập nào.');
    const res = await postForm(env.app, jar, `${BASE}/collections`, { _csrf: csrfFrom(page.body), unit: String(env.tree.distA.id), code: 'dia-chi', nameVi: 'Địa chí', nameEn: 'Local studies', description: 'Tài liệu về địa phương.' });
    expect(res.statusCode).toBe(303);
    const col = await c().services.digital.collectionByCode('dia-chi');
    await make(env.tree.communeA1.id, 'Trong bộ sưu tập', { collectionIds: [col.id] });
    const list = await get(env.app, jar, `${BASE}/collections`);
    expect(list.body).toContain('Địa chí');
    expect(list.body).toContain(`<a href="${BASE}?collection=${col.id}">1</a>`);
    const dup = await postForm(env.app, jar, `${BASE}/collections`, { _csrf: csrfFrom(page.body), unit: String(env.tree.distA.id), code: 'dia-chi', nameVi: 'Trùng' });
    expect(dup.statusCode).toBe(409);
    expect(dup.body).toContain('Mã bộ sưu tập &quot;dia-chi&quot; đã được dùng.');
    const edit = await get(env.app, jar, `${BASE}/collections/${col.id}`);
    const saved = await postForm(env.app, jar, `${BASE}/collections/${col.id}`, { _csrf: csrfFrom(edit.body), version: String(col.version), nameVi: 'Địa chí Kiên Giang', nameEn: 'Kiên Giang local studies', description: '' });
    expect(saved.statusCode).toBe(303);
    expect((await c().services.digital.collection(col.id)).nameVi).toBe('Địa chí Kiên Giang');
    // The object form offers the collection, and the queue filters by it.
    const form = await get(env.app, jar, `${BASE}/new`);
    expect(form.body).toContain(`name="collection" value="${col.id}"`);
    const filtered = await get(env.app, jar, `${BASE}?collection=${col.id}`);
    expect(filtered.body).toContain('Trong bộ sưu tập');
    // A librarian without digital.collection.manage sees the list, not the edit form, and cannot save.
    const lib = await login(env.app, 'commlib', PASSWORD);
    const seen = await get(env.app, lib.jar, `${BASE}/collections`);
    expect(seen.body).toContain('Địa chí Kiên Giang');
    expect(seen.body).not.toContain('Tạo bộ sưu tập');
    expect((await get(env.app, lib.jar, `${BASE}/collections/${col.id}`)).statusCode).toBe(403);
    const refused = await postForm(env.app, lib.jar, `${BASE}/collections/${col.id}`, { _csrf: csrfFrom(seen.body), version: '99', nameVi: 'Đổi trộm' });
    expect(refused.statusCode).toBe(403);
  });

  it('shows the plan progress, takes declared holdings, and counts a published object with its pages', async () => {
    const { jar } = await login(env.app, 'distadmin', PASSWORD);
    const page = await get(env.app, jar, `${BASE}/progress`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Tiến độ số hoá');
    expect(page.body).toContain('Khai báo số tài liệu đang giữ');
    const saved = await postForm(env.app, jar, `${BASE}/progress/targets`, { _csrf: csrfFrom(page.body), unit: String(env.tree.communeA1.id), held_local: '10', held_han_nom: '4' });
    expect(saved.statusCode).toBe(303);
    // A published object: one page, processed for real (image pyramid and OCR).
    const o = await make(env.tree.communeA1.id, 'Đã công bố', { category: 'local' });
    const got = await c().services.digital.receive((async function* () {
      yield await pageImage();
    })(), 'p1.png');
    await c().services.digital.addFile(sys, o.id, { tempPath: got.path, sha256: got.sha256, size: got.size, name: 'p1.png' });
    expect(await c().jobs.runOnce()).toBe(true);
    expect((await c().services.digital.get(o.id)).pageCount).toBe(1);
    for (const s of ['qc', 'metadata', 'published'] as const) expect((await c().services.digital.transition(sys, [o.id], s))[0]!.ok).toBe(true);

    const after = await get(env.app, jar, String(saved.headers.location));
    expect(after.body).toContain('Đã lưu số liệu khai báo.');
    expect(after.body).toContain('Tài liệu địa chí');
    expect(after.body).toContain('Tài liệu Hán Nôm');
    expect(after.body).toContain('10 %');
    expect(after.body).toContain('class="pbar-fill w-10"');
    // 70 % of 10 is 7; one is published: 6 to go; 70 % of 4 is 3 (rounded up).
    expect(after.body).toMatch(/data-label="Còn thiếu để đạt 70 %">6</);
    expect(after.body).toMatch(/data-label="Còn thiếu để đạt 70 %">3</);
    expect(after.body).toMatch(/data-label="Còn thiếu để đạt 70 %">9</);
    expect(after.body).toContain('value="10"');
    // Someone without the permission cannot declare.
    const lib = await login(env.app, 'commlib', PASSWORD);
    const theirs = await get(env.app, lib.jar, `${BASE}/progress`);
    expect(theirs.body).not.toContain('Khai báo số tài liệu đang giữ');
    const refused = await postForm(env.app, lib.jar, `${BASE}/progress/targets`, { _csrf: csrfFrom(theirs.body), unit: String(env.tree.communeA1.id), held_local: '1000' });
    expect(refused.statusCode).toBe(403);

    // The processed page: its image, and its text view.
    const obj = await get(env.app, jar, `${BASE}/${o.id}`);
    expect(obj.body).toContain(`/iiif/3/${o.id}-1/full/!200,260/0/default.jpg`);
    const p1 = await get(env.app, jar, `${BASE}/${o.id}/pages/1`);
    expect(p1.statusCode).toBe(200);
    expect(p1.body).toContain(`/iiif/3/${o.id}-1/full/!900,1200/0/default.jpg`);
    expect(p1.body).toContain('Số từ có toạ độ');
    expect((await get(env.app, jar, `${BASE}/${o.id}/pages/2`)).statusCode).toBe(404);
    // The queue shows its thumbnail.
    expect((await get(env.app, jar, BASE)).body).toContain(`/iiif/3/${o.id}-1/full/!120,160/0/default.jpg`);
  }, 120_000);

  it('deletes an object after asking', async () => {
    const o = await make(env.tree.communeA1.id, 'Sẽ bị xoá');
    const { jar } = await login(env.app, 'commlib', PASSWORD);
    const confirm = await get(env.app, jar, `${BASE}/${o.id}/delete`);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Xoá hẳn');
    const res = await postForm(env.app, jar, `${BASE}/${o.id}/delete`, { _csrf: csrfFrom(confirm.body), version: String(o.version) });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${BASE}?ok=dstaff.object.deleted`);
    expect((await get(env.app, jar, `${BASE}/${o.id}`)).statusCode).toBe(410);
  });
});
