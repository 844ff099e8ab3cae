import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../../../test/dialects.js';
import { Jar, csrfFrom, get, httpEnv, login, postForm, submit, type HttpEnv } from '../../../../test/http.js';
import { PASSWORD } from '../../../../test/factories.js';
import { addBooks } from '../../../../test/books.js';
import { isCardNumber } from '../../../domain/readers/card.js';
import { systemActor } from '../../../app/actor.js';

const PW = 'đọc sách mỗi ngày 26';

describeEachDialect('reader account pages', (dialect) => {
  let e: HttpEnv;
  beforeEach(async () => {
    e = await httpEnv(dialect);
  });
  afterEach(async () => {
    await e?.dispose();
  });

  const form = (over: Record<string, string> = {}) => ({ name: 'Phạm Thu Trang', email: 'trang@example.vn', phone: '0912 345 678', birthYear: '1995', homeUnitId: String(e.tree.communeA1.id), password: PW, confirm: PW, locale: 'vi', ...over });

  const register = async (over: Record<string, string> = {}) => submit(e.app, new Jar(), '/account/register', '/account/register', form(over));

  const readerLogin = async (identifier = 'trang@example.vn', password = PW) => {
    const jar = new Jar();
    const res = await submit(e.app, jar, '/account/login', '/account/login', { identifier, password });
    return { jar, res };
  };

  it('registers: the form, then a page saying the registration waits for the library and what to bring', async () => {
    const page = await get(e.app, new Jar(), '/account/register');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h1>Đăng ký thẻ bạn đọc</h1>');
    // Libraries that hold readers are offered; the network root is not.
    expect(page.body).toContain(`<option value="${e.tree.communeA1.id}">Thư viện COMM-A1</option>`);
    expect(page.body).not.toContain(`<option value="${e.tree.root.id}">`);

    const res = await register();
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/account/registered?library=${e.tree.communeA1.id}`);
    const done = await get(e.app, new Jar(), res.headers.location as string);
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('Đã nhận đăng ký');
    expect(done.body).toContain('Đăng ký đang chờ Thư viện COMM-A1 duyệt.');
    expect(done.body).toContain('Căn cước công dân');
    const reader = await e.container.store.readers.getWithHashByEmail('trang@example.vn');
    expect(reader).toMatchObject({ status: 'pending', name: 'Phạm Thu Trang', phone: '0912345678' });
  });

  it('shows every problem of a hostile registration in the form, stores nothing, and never echoes the password', async () => {
    const res = await register({ name: 'A'.repeat(10 * 1024), email: 'not an email', phone: '+1 (555) 0100', birthYear: '99999', homeUnitId: '-1', password: 'tiny-pw', confirm: 'tiny-pw' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Họ và tên cần từ 2 đến 100 ký tự');
    expect(res.body).toContain('Địa chỉ thư điện tử chưa đúng');
    expect(res.body).toContain('Số điện thoại chưa đúng');
    expect(res.body).toContain('Năm sinh cần là một năm');
    expect(res.body).toContain('Hãy chọn một thư viện đang hoạt động');
    expect(res.body).toContain('Mật khẩu cần ít nhất 10 ký tự');
    expect(res.body).not.toContain('tiny-pw');
    expect(res.body).toContain('aria-invalid="true"');
    expect(await e.container.store.readers.list({ reach: 'all', order: 'oldest', limit: 5 })).toEqual([]);
  });

  it('cleans control characters and markup out of a name and escapes what it shows', async () => {
    const res = await register({ name: 'Lê\u0000 <script>alert(1)</script>\u0007 Văn' });
    expect(res.statusCode).toBe(303);
    const { jar } = await readerLogin();
    const account = await get(e.app, jar, '/account');
    expect(account.body).not.toContain('<script>alert(1)</script>');
    expect(account.body).toContain('Lê &lt;script>alert(1)&lt;/script> Văn');
    expect((await e.container.store.readers.getWithHashByEmail('trang@example.vn'))!.name).toBe('Lê <script>alert(1)</script> Văn');
  });

  it('refuses a second registration with the same address', async () => {
    await register();
    const res = await register({ email: 'TRANG@example.vn', name: 'Người khác' });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Địa chỉ thư này đã được dùng để đăng ký');
  });

  it('refuses a form without its CSRF token', async () => {
    const res = await postForm(e.app, new Jar(), '/account/register', form());
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Biểu mẫu đã hết hạn');
    // …and a token made for another browser (another CSRF cookie) too.
    const other = new Jar();
    const token = csrfFrom((await get(e.app, other, '/account/login')).body);
    const res2 = await postForm(e.app, new Jar(), '/account/login', { identifier: 'x@example.vn', password: PW, _csrf: token });
    expect(res2.statusCode).toBe(403);
  });

  it('signs in and out; a wrong password gets one answer for all', async () => {
    await register();
    const wrong = await readerLogin('trang@example.vn', 'not the password');
    expect(wrong.res.statusCode).toBe(401);
    expect(wrong.res.body).toContain('Thư điện tử, số thẻ hoặc mật khẩu không đúng.');
    expect(wrong.res.body).toContain('value="trang@example.vn"');
    const unknown = await readerLogin('ai@example.vn', 'not the password');
    expect(unknown.res.statusCode).toBe(401);

    const { jar, res } = await readerLogin();
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account');
    const cookie = res.cookies.find((c) => c.name === 'lt_reader')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const account = await get(e.app, jar, '/account');
    expect(account.statusCode).toBe(200);
    expect(account.headers['cache-control']).toBe('no-store');
    expect(account.body).toContain('Xin chào, Phạm Thu Trang');
    expect(account.body).toContain('Chờ duyệt');
    expect(account.body).toContain('Đăng ký của bạn đang chờ Thư viện COMM-A1 duyệt.');
    // The header: the account and a sign-out form instead of "sign in".
    expect(account.body).toContain('<a href="/account">Tài khoản</a>');
    expect(account.body).toContain('action="/account/logout"');

    const out = await postForm(e.app, jar, '/account/logout', { _csrf: csrfFrom(account.body) });
    expect(out.statusCode).toBe(303);
    const after = await get(e.app, jar, '/account');
    expect(after.statusCode).toBe(303);
    expect(after.headers.location).toBe('/account/login?next=%2Faccount');
    const anon = await get(e.app, jar, '/account/login');
    expect(anon.body).toContain('<a href="/account/login">Đăng nhập</a>');
    expect(anon.body).toContain('href="/staff/login"');
  });

  it('tells a suspended reader why they cannot sign in', async () => {
    await register();
    const r = (await e.container.store.readers.getWithHashByEmail('trang@example.vn'))!;
    const admin = systemActor('test');
    await e.container.services.readers.approve(admin, r.id);
    await e.container.services.readers.suspend(admin, r.id, 'Trả sách trễ nhiều lần');
    const { res } = await readerLogin();
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Tài khoản bạn đọc đang tạm ngừng: Trả sách trễ nhiều lần.');
  });

  it('edits the profile, the password and the language', async () => {
    await register();
    const { jar } = await readerLogin();
    const bad = await submit(e.app, jar, '/account', '/account/profile', { name: 'x', email: 'trang@example.vn', phone: '123', birthYear: '', homeUnitId: String(e.tree.communeA1.id) });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Số điện thoại chưa đúng');
    const ok = await submit(e.app, jar, '/account', '/account/profile', { name: 'Phạm Thu Trang', email: 'trang@example.vn', phone: '0297 3862 311', birthYear: '', homeUnitId: String(e.tree.communeA2.id) });
    expect(ok.statusCode).toBe(303);
    const page = await get(e.app, jar, '/account?ok=readers.profile.saved');
    expect(page.body).toContain('Đã lưu hồ sơ.');
    expect(page.body).toContain('value="0297 3862 311"');

    const pw = await submit(e.app, jar, '/account', '/account/password', { current: PW, next: 'một mật khẩu mới 2026', confirm: 'một mật khẩu mới 2026' });
    expect(pw.statusCode).toBe(303);
    expect((await readerLogin('trang@example.vn', 'một mật khẩu mới 2026')).res.statusCode).toBe(303);

    const lang = await submit(e.app, jar, '/account', '/account/language', { locale: 'en' });
    expect(lang.statusCode).toBe(303);
    // The reader's choice outranks the language cookie and the browser's.
    const en = await e.app.inject({ url: '/account', headers: { cookie: `${jar.header}; lt_lang=vi`, 'accept-language': 'vi' } });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('My reader account');
    // The header's language switch changes the saved choice too.
    await submit(e.app, jar, '/account', '/lang', { lang: 'vi', next: '/account' });
    expect((await e.container.store.readers.getWithHashByEmail('trang@example.vn'))!.locale).toBe('vi');
  });

  it('saves a record from its page, shows the lists, and keeps other readers out of them', async () => {
    const [recordId] = await addBooks(e.container, e.tree.communeA1, [{ title: 'Truyện Kiều', authors: ['Nguyễn Du'], year: 2015 }]);
    const anonRecord = await get(e.app, new Jar(), `/record/${recordId}`);
    expect(anonRecord.body).toContain(`href="/account/login?next=${encodeURIComponent(`/record/${recordId}#save`)}"`);

    await register();
    const { jar } = await readerLogin();
    const record = await get(e.app, jar, `/record/${recordId}`);
    expect(record.body).toContain('action="/account/save"');
    const saved = await postForm(e.app, jar, '/account/save', { _csrf: csrfFrom(record.body), recordId: String(recordId), listId: '', newList: '', next: `/record/${recordId}` });
    expect(saved.statusCode).toBe(303);
    const listId = (await e.container.store.readers.lists((await e.container.store.readers.getWithHashByEmail('trang@example.vn'))!.id))[0]!.id;
    expect(saved.headers.location).toBe(`/record/${recordId}?saved=${listId}#save`);
    const back = await get(e.app, jar, `/record/${recordId}?saved=${listId}`);
    expect(back.body).toContain('Đã lưu vào “Đã lưu”.');
    // The page's own query (the library searched in) comes back too; the answer of the last save does not.
    const scoped = await get(e.app, jar, `/record/${recordId}?library=COMM-A1&saved=${listId}&already=1`);
    expect(scoped.body).toContain(`name="next" value="/record/${recordId}?library=COMM-A1"`);
    expect(scoped.body).toContain('Tài liệu này đã có trong “Đã lưu”.');

    const lists = await get(e.app, jar, '/account/lists');
    expect(lists.body).toContain(`<a href="/account/lists/${listId}">Đã lưu</a>`);
    const list = await get(e.app, jar, `/account/lists/${listId}`);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`<a class="saved-title" href="/record/${recordId}">Truyện Kiều</a>`);
    expect(list.body).toContain('Nguyễn Du');

    // Another reader gets "not found" for this list, its actions too.
    await register({ email: 'khac@example.vn', name: 'Người Khác' });
    const other = (await readerLogin('khac@example.vn')).jar;
    expect((await get(e.app, other, `/account/lists/${listId}`)).statusCode).toBe(404);
    const otherPage = await get(e.app, other, '/account/lists');
    expect((await postForm(e.app, other, `/account/lists/${listId}/delete`, { _csrf: csrfFrom(otherPage.body) })).statusCode).toBe(404);
    expect((await get(e.app, other, '/account/lists/abc')).statusCode).toBe(404);
    expect((await get(e.app, jar, `/account/lists/${listId}`)).statusCode).toBe(200);

    // Rename with a bad name, rename, remove, delete.
    const tooLong = await submit(e.app, jar, `/account/lists/${listId}`, `/account/lists/${listId}/rename`, { name: 'x'.repeat(500) });
    expect(tooLong.statusCode).toBe(400);
    expect(tooLong.body).toContain('Tên danh sách cần từ 1 đến 100 ký tự.');
    expect((await submit(e.app, jar, `/account/lists/${listId}`, `/account/lists/${listId}/rename`, { name: 'Thơ' })).statusCode).toBe(303);
    expect((await submit(e.app, jar, `/account/lists/${listId}`, `/account/lists/${listId}/remove`, { recordId: String(recordId) })).statusCode).toBe(303);
    expect((await get(e.app, jar, `/account/lists/${listId}`)).body).toContain('Danh sách này chưa có tài liệu nào.');
    expect((await submit(e.app, jar, `/account/lists/${listId}`, `/account/lists/${listId}/delete`, {})).statusCode).toBe(303);
    expect((await get(e.app, jar, '/account/lists')).body).toContain('Bạn chưa lưu tài liệu nào.');
  });

  it('records searches in the history, which the reader can clear and turn off', async () => {
    await register();
    const { jar } = await readerLogin();
    await get(e.app, jar, '/search?q=truy%E1%BB%87n+ki%E1%BB%81u&page=1');
    await get(e.app, jar, '/search?q=');
    await get(e.app, new Jar(), '/search?q=anonymous');
    const history = await get(e.app, jar, '/account/history');
    expect(history.statusCode).toBe(200);
    expect(history.body).toContain('href="/search?q=truy%E1%BB%87n+ki%E1%BB%81u"');
    expect(history.body).toContain('truyện kiều');
    expect(history.body).not.toContain('anonymous');
    expect((await postForm(e.app, jar, '/account/history/enabled', { _csrf: csrfFrom(history.body), enabled: '0' })).statusCode).toBe(303);
    await get(e.app, jar, '/search?q=ca+dao');
    const off = await get(e.app, jar, '/account/history');
    expect(off.body).toContain('Lịch sử tìm kiếm đang tắt');
    expect(off.body).not.toContain('ca dao');
    expect((await postForm(e.app, jar, '/account/history/clear', { _csrf: csrfFrom(off.body) })).statusCode).toBe(303);
    expect((await get(e.app, jar, '/account/history')).body).toContain('Chưa có lần tìm nào được ghi lại.');
  });

  it('sends signed-out visitors to the reader sign-in, and back where they were after', async () => {
    const res = await get(e.app, new Jar(), '/account/lists');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account/login?next=%2Faccount%2Flists');
    await register();
    const jar = new Jar();
    const page = await get(e.app, jar, '/account/login?next=%2Faccount%2Flists');
    expect(page.body).toContain('name="next" value="/account/lists"');
    const ok = await postForm(e.app, jar, '/account/login', { _csrf: csrfFrom(page.body), identifier: 'trang@example.vn', password: PW, next: 'https://evil.example/' });
    expect(ok.headers.location).toBe('/account');
  });
});

describeEachDialect('staff reader pages', (dialect) => {
  let e: HttpEnv;
  beforeEach(async () => {
    e = await httpEnv(dialect);
  });
  afterEach(async () => {
    await e?.dispose();
  });

  const register = (email: string, homeUnitId: number) =>
    submit(e.app, new Jar(), '/account/register', '/account/register', { name: 'Đặng Văn Lâm', email, homeUnitId: String(homeUnitId), password: PW, confirm: PW, locale: 'vi' });

  it('shows the queue within reach, approves with a card, refuses outside the tree', async () => {
    await register('lam@example.vn', e.tree.communeA1.id);
    await register('b1@example.vn', e.tree.communeB1.id);
    const { jar } = await login(e.app, 'commlib', PASSWORD);
    const page = await get(e.app, jar, '/staff/readers');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<a href="/staff/readers" aria-current="page">Bạn đọc</a>');
    expect(page.body).toContain('Đăng ký chờ duyệt (1)');
    expect(page.body).toContain('lam@example.vn');
    expect(page.body).not.toContain('b1@example.vn');

    const lam = (await e.container.store.readers.getWithHashByEmail('lam@example.vn'))!;
    const b1 = (await e.container.store.readers.getWithHashByEmail('b1@example.vn'))!;
    const approve = await postForm(e.app, jar, `/staff/readers/${lam.id}/approve`, { _csrf: csrfFrom(page.body), back: '/staff/readers' });
    expect(approve.statusCode).toBe(303);
    expect(approve.headers.location).toBe('/staff/readers?ok=readers.staff.approved');
    const approved = (await e.container.store.readers.getById(lam.id))!;
    expect(approved.status).toBe('active');
    expect(isCardNumber(approved.cardNumber!)).toBe(true);

    const denied = await postForm(e.app, jar, `/staff/readers/${b1.id}/approve`, { _csrf: csrfFrom(page.body) });
    expect(denied.statusCode).toBe(403);
    expect((await get(e.app, jar, `/staff/readers/${b1.id}`)).statusCode).toBe(403);
    expect((await e.container.store.readers.getById(b1.id))!.status).toBe('pending');

    const detail = await get(e.app, jar, `/staff/readers/${lam.id}`);
    expect(detail.body).toContain(approved.cardNumber!.slice(0, 1));
    expect(detail.body).toContain('commlib');

    // Find by name without tone marks.
    const found = await get(e.app, jar, '/staff/readers?q=dang+van+lam');
    expect(found.body).toContain(`href="/staff/readers/${lam.id}"`);
  });

  it('refuses with a reason, suspends and reactivates from the reader’s page', async () => {
    await register('lam@example.vn', e.tree.communeA1.id);
    const lam = (await e.container.store.readers.getWithHashByEmail('lam@example.vn'))!;
    const { jar } = await login(e.app, 'distadmin', PASSWORD);
    const page = await get(e.app, jar, `/staff/readers/${lam.id}`);
    const csrf = csrfFrom(page.body);
    const noReason = await postForm(e.app, jar, `/staff/readers/${lam.id}/reject`, { _csrf: csrf, reason: '' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('Hãy ghi lý do');
    expect((await postForm(e.app, jar, `/staff/readers/${lam.id}/approve`, { _csrf: csrf, issuingUnitId: String(e.tree.distA.id) })).statusCode).toBe(303);
    expect((await postForm(e.app, jar, `/staff/readers/${lam.id}/suspend`, { _csrf: csrf, reason: 'Mất thẻ' })).statusCode).toBe(303);
    expect((await e.container.store.readers.getById(lam.id))!.status).toBe('suspended');
    expect((await postForm(e.app, jar, `/staff/readers/${lam.id}/reactivate`, { _csrf: csrf })).statusCode).toBe(303);
    const reset = await postForm(e.app, jar, `/staff/readers/${lam.id}/reset-password`, { _csrf: csrf });
    expect(reset.statusCode).toBe(201);
    const temp = /Mật khẩu tạm \(chỉ hiện một lần, hãy đưa cho bạn đọc\): ([\w-]+)/.exec(reset.body)?.[1];
    expect(temp).toBeTruthy();
    const signIn = await submit(e.app, new Jar(), '/account/login', '/account/login', { identifier: 'lam@example.vn', password: temp! });
    expect(signIn.statusCode).toBe(303);
  });

  it('keeps the pages from staff without reader.manage and from readers', async () => {
    const { jar } = await login(e.app, 'netadmin', PASSWORD);
    expect((await get(e.app, jar, '/staff/readers')).statusCode).toBe(200);
    const anon = await get(e.app, new Jar(), '/staff/readers');
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toMatch(/^\/staff\/login\?next=/);
    expect((await get(e.app, jar, '/staff/readers/99999')).statusCode).toBe(404);
    expect((await get(e.app, jar, '/staff/readers/abc')).statusCode).toBe(404);
  });
});
