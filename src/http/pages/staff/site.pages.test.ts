import { afterAll, beforeAll, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import sharp from 'sharp';
import type { LightMyRequestResponse } from 'fastify';
import { describeEachDialect } from '../../../../test/dialects.js';
import { PASSWORD } from '../../../../test/factories.js';
import { get, httpEnv, login, multipart, postForm, csrfFrom, type HttpEnv, type Jar, type Part } from '../../../../test/http.js';

const BASE = '/staff/sites';
const LIMIT = 1024 * 1024;

async function photo(width = 900, height = 500): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: '#b5651d' } }).jpeg().toBuffer();
}

describeEachDialect('staff pages: library websites', (dialect) => {
  let env: HttpEnv;
  let jar: Jar;

  beforeAll(async () => {
    env = await httpEnv(dialect, { container: { siteImageLimits: { maxBytes: LIMIT } } });
    jar = (await login(env.app, 'commlib', PASSWORD)).jar;
  });
  afterAll(async () => {
    await env?.dispose();
  });

  const a1 = () => env.tree.communeA1;
  const tempFiles = async () => (await readdir(dirname(env.container.blobs.tempPath()))).length;

  /** The multipart form's action (with its CSRF token) on a page. */
  async function formAction(j: Jar, page: string, pattern = /<form method="post" action="([^"]+)" enctype="multipart\/form-data"/): Promise<string> {
    const res = await get(env.app, j, page);
    expect(res.statusCode, page).toBe(200);
    return pattern.exec(res.body)![1]!.replace(/&amp;/g, '&');
  }

  async function postMultipart(j: Jar, url: string, parts: readonly Part[]): Promise<LightMyRequestResponse> {
    const { payload, contentType } = multipart(parts);
    return j.take(await env.app.inject({ method: 'POST', url, headers: { cookie: j.header, 'content-type': contentType }, payload }));
  }

  const fields = (o: Record<string, string>): Part[] => Object.entries(o).map(([name, value]) => ({ name, value }));

  it('lists only the libraries one may edit, with a menu entry', async () => {
    const page = await get(env.app, jar, BASE);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<a href="/staff/sites" aria-current="page">Trang web thư viện</a>');
    expect(page.body).toContain(`href="${BASE}/${a1().id}"`);
    expect(page.body).not.toContain(`href="${BASE}/${env.tree.communeA2.id}"`);
    expect(page.body).toContain('Chưa xuất bản');
  });

  it('refuses staff of another library with 403, before reading an upload', async () => {
    const other = (await login(env.app, 'otherlib', PASSWORD)).jar;
    expect((await get(env.app, other, `${BASE}/${a1().id}`)).statusCode).toBe(403);
    expect((await get(env.app, other, `${BASE}/${a1().id}/branding`)).statusCode).toBe(403);
    expect((await get(env.app, other, `${BASE}/${a1().id}/posts/new`)).statusCode).toBe(403);
    const page = await get(env.app, other, `${BASE}/${env.tree.communeB1.id}`);
    const csrf = csrfFrom(page.body);
    expect((await postForm(env.app, other, `${BASE}/${a1().id}/publish`, { _csrf: csrf, published: '1' })).statusCode).toBe(403);
    const before = await tempFiles();
    const res = await postMultipart(other, `${BASE}/${a1().id}/posts/new?_csrf=${encodeURIComponent(csrf)}`, [...fields({ kind: 'news', title: 'Xâm nhập', action: 'publish' }), { name: 'image', filename: 'a.jpg', data: await photo(), type: 'image/jpeg' }]);
    expect(res.statusCode).toBe(403);
    expect(await tempFiles()).toBe(before);
    expect(await env.container.store.sites.listPosts({ unitIds: [a1().id], limit: 10 })).toEqual([]);
    // A commune librarian cannot open a neighbour's site either.
    expect((await get(env.app, jar, `${BASE}/${env.tree.communeA2.id}`)).statusCode).toBe(403);
  });

  it('refuses a multipart form without its CSRF token', async () => {
    const res = await postMultipart(jar, `${BASE}/${a1().id}/posts/new`, fields({ kind: 'news', title: 'x', action: 'save' }));
    expect(res.statusCode).toBe(403);
  });

  it('edits the branding: colour checked for contrast, logo uploaded, then publishes', async () => {
    const action = await formAction(jar, `${BASE}/${a1().id}/branding`);
    const page = await get(env.app, jar, `${BASE}/${a1().id}/branding`);
    expect(page.body).toContain('type="color"');
    expect(page.body).toMatch(/<link rel="stylesheet" href="\/site-palette\.css\?c=0b6e4f"\/>/);
    expect(page.body).toContain('Độ tương phản với chữ trắng: 6.25:1');

    const pale = await postMultipart(jar, action, fields({ version: '0', accentColor: '#f2c14e', introVi: 'Xin chào', action: 'save' }));
    expect(pale.statusCode).toBe(400);
    expect(pale.body).toContain('Màu #f2c14e quá nhạt');
    expect(pale.body).toContain('Dùng màu gợi ý');
    // What was typed stays.
    expect(pale.body).toContain('Xin chào</textarea>');

    const saved = await postMultipart(jar, action, [
      ...fields({ version: '0', accentColor: '#0a5c8a', introVi: 'Thư viện xã thân thiện.', introEn: '', logoImageId: '', bannerImageId: '', action: 'save' }),
      { name: 'logo', filename: 'logo.jpg', data: await photo(400, 400), type: 'image/jpeg' },
    ]);
    expect(saved.statusCode, saved.body.slice(0, 2000)).toBe(303);
    const view = await env.container.services.sites.view(a1());
    expect(view).toMatchObject({ accentColor: '#0a5c8a', introVi: 'Thư viện xã thân thiện.' });
    expect(view.logo?.name).toBe('logo.jpg');

    const dash = await get(env.app, jar, `${BASE}/${a1().id}`);
    const publish = await postForm(env.app, jar, `${BASE}/${a1().id}/publish`, { _csrf: csrfFrom(dash.body), published: '1' });
    expect(publish.statusCode).toBe(303);
    expect((await get(env.app, jar, publish.headers.location as string)).body).toContain('Đã xuất bản trang web.');
    const home = await env.app.inject(`/l/${a1().slug}`);
    expect(home.body).toContain('Thư viện xã thân thiện.');
    expect(home.body).toContain(`/site-media/${view.logo!.sha256}-400.webp`);
  });

  it('writes a post: preview without saving, image upload into the text, publish; readers see it', async () => {
    const action = await formAction(jar, `${BASE}/${a1().id}/posts/new`);
    const preview = await postMultipart(jar, action, fields({ kind: 'news', title: 'Sách mới tháng Ba', body: 'Thư viện nhận **200** cuốn sách mới.', action: 'preview' }));
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('Thư viện nhận <strong>200</strong> cuốn sách mới.');
    expect(await env.container.store.sites.listPosts({ unitIds: [a1().id], limit: 10 })).toEqual([]);

    const uploaded = await postMultipart(jar, action, [
      ...fields({ kind: 'news', title: 'Sách mới tháng Ba', body: 'Thư viện nhận **200** cuốn sách mới.', alt: 'Kệ sách mới', action: 'upload' }),
      { name: 'image', filename: 'ke-sach.jpg', data: await photo(), type: 'image/jpeg' },
    ]);
    expect(uploaded.statusCode).toBe(200);
    const ref = /!\[Kệ sách mới\]\(image:(\d+)\)/.exec(uploaded.body);
    expect(ref).not.toBeNull();
    expect(uploaded.body).toContain(`Thư viện nhận **200** cuốn sách mới.\n\n![Kệ sách mới](image:${ref![1]})`);
    expect(uploaded.body).toContain('Đã tải ảnh lên và thêm vào cuối bài');

    const body = /<textarea id="f-body"[^>]*>([\s\S]*?)<\/textarea>/.exec(uploaded.body)![1]!;
    const published = await postMultipart(jar, action, fields({ kind: 'news', title: 'Sách mới tháng Ba', body: body.replace(/&amp;/g, '&'), leadImageId: ref![1]!, action: 'publish' }));
    expect(published.statusCode).toBe(303);
    const id = /\/posts\/(\d+)\?ok=sites\.editor\.publishedOk/.exec(published.headers.location as string)![1];
    const page = await env.app.inject(`/l/${a1().slug}/news/${id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('alt="Kệ sách mới"');
    expect((await env.app.inject(`/l/${a1().slug}`)).body).toContain('Sách mới tháng Ba');

    // Unpublish from the editor; readers lose it.
    const editor = await get(env.app, jar, published.headers.location as string);
    expect(editor.body).toContain('Đã đăng bài.');
    const version = /name="version" value="(\d+)"/.exec(editor.body)![1]!;
    const down = await postForm(env.app, jar, `${BASE}/${a1().id}/posts/${id}/state`, { _csrf: csrfFrom(editor.body), state: 'draft', version, next: 'editor' });
    expect(down.statusCode).toBe(303);
    expect((await env.app.inject(`/l/${a1().slug}/news/${id}`)).statusCode).toBe(404);
  });

  it('refuses a fake image (text renamed .png) and an oversize one with clear messages, keeping the text', async () => {
    const action = await formAction(jar, `${BASE}/${a1().id}/posts/new`);
    const before = await tempFiles();
    const posts = (await env.container.store.sites.listPosts({ unitIds: [a1().id], limit: 100 })).length;
    const images = (await env.container.store.sites.imagesOf(a1().id, 100)).length;
    const fake = await postMultipart(jar, action, [
      ...fields({ kind: 'news', title: 'Bài có ảnh giả', body: 'Nội dung đang viết', alt: 'x', action: 'upload' }),
      { name: 'image', filename: 'anh.png', data: 'Đây không phải là ảnh, chỉ là chữ.', type: 'image/png' },
    ]);
    expect(fake.statusCode).toBe(415);
    expect(fake.body).toContain('Tệp “anh.png” không phải ảnh JPEG, PNG hay WebP (kiểm tra theo nội dung tệp, không theo tên tệp).');
    expect(fake.body).toContain('value="Bài có ảnh giả"');
    expect(fake.body).toContain('Nội dung đang viết</textarea>');

    const big = await postMultipart(jar, action, [...fields({ kind: 'news', title: 'Ảnh to', body: '', action: 'upload' }), { name: 'image', filename: 'to.jpg', data: Buffer.alloc(LIMIT + 10, 0xff), type: 'image/jpeg' }]);
    expect(big.statusCode).toBe(413);
    expect(big.body).toContain('quá lớn: tối đa 1 MB');
    expect(await tempFiles()).toBe(before);
    expect((await env.container.store.sites.listPosts({ unitIds: [a1().id], limit: 100 })).length).toBe(posts);
    expect((await env.container.store.sites.imagesOf(a1().id, 100)).length).toBe(images);
  });

  it('shows problems in the text with their line, and saves nothing', async () => {
    const action = await formAction(jar, `${BASE}/${a1().id}/posts/new`);
    const res = await postMultipart(jar, action, fields({ kind: 'event', title: '', body: 'Dòng một\n[bấm](javascript:alert(1))', startsAt: '', action: 'save' }));
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Hãy nhập tiêu đề.');
    expect(res.body).toContain('Dòng 2: liên kết');
    expect(res.body).toContain('Sự kiện cần có thời gian bắt đầu.');
    expect(res.body).toContain('aria-invalid="true"');
    // A text far past any limit is refused whole, never saved cut.
    const huge = await postMultipart(jar, action, fields({ kind: 'news', title: 'Dài', body: 'chữ '.repeat(100_000), action: 'save' }));
    expect(huge.statusCode).toBe(400);
    expect(huge.body).toContain('Quá dài: tối đa 20000 ký tự.');
  });

  it('creates an event as a draft, lists it under drafts, then deletes it after confirming', async () => {
    const action = await formAction(jar, `${BASE}/${a1().id}/posts/new`);
    const res = await postMultipart(jar, action, fields({ kind: 'event', title: 'Đọc sách cùng con', body: 'Mời phụ huynh.', startsAt: '2026-05-01T08:00', endsAt: '2026-05-01T10:30', place: 'Phòng thiếu nhi', action: 'save' }));
    expect(res.statusCode).toBe(303);
    const id = /\/posts\/(\d+)/.exec(res.headers.location as string)![1]!;
    const drafts = await get(env.app, jar, `${BASE}/${a1().id}?state=draft`);
    expect(drafts.body).toContain('Đọc sách cùng con');
    const editor = await get(env.app, jar, `${BASE}/${a1().id}/posts/${id}`);
    expect(editor.body).toContain('value="2026-05-01T08:00"');
    expect(editor.body).toContain('value="Phòng thiếu nhi"');
    const confirm = await get(env.app, jar, `${BASE}/${a1().id}/posts/${id}/delete`);
    expect(confirm.body).toContain('Xoá hẳn bài “Đọc sách cùng con”?');
    const del = await postForm(env.app, jar, `${BASE}/${a1().id}/posts/${id}/delete`, { _csrf: csrfFrom(confirm.body), version: /name="version" value="(\d+)"/.exec(confirm.body)![1]! });
    expect(del.statusCode).toBe(303);
    expect((await get(env.app, jar, `${BASE}/${a1().id}/posts/${id}`)).statusCode).toBe(404);
  });

  it('uploads an image to the library’s shelf from the dashboard', async () => {
    const action = await formAction(jar, `${BASE}/${a1().id}`);
    const res = await postMultipart(jar, action, [{ name: 'image', filename: 'san.jpg', data: await photo(), type: 'image/jpeg' }]);
    expect(res.statusCode).toBe(303);
    const dash = await get(env.app, jar, res.headers.location as string);
    expect(dash.body).toContain('Đã tải ảnh lên.');
    expect(dash.body).toContain('san.jpg');
    expect(dash.body).toMatch(/!\[mô tả ảnh\]\(image:\d+\)/);
  });
});
