import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../test/dialects.js';
import { PASSWORD } from '../../test/factories.js';
import { Jar, csrfFrom, get, httpEnv, login, postForm, submit, type HttpEnv } from '../../test/http.js';

async function auditActions(env: HttpEnv, action: string): Promise<number> {
  const rows = await env.container.store.audit.list({ action, limit: 1000 });
  return rows.length;
}

describeEachDialect('HTTP: sessions, CSRF, lockout and scope', (dialect) => {
  let env: HttpEnv;
  beforeAll(async () => {
    env = await httpEnv(dialect);
  });
  afterAll(async () => {
    await env?.dispose();
  });

  it('answers health and readiness checks', async () => {
    const h = await env.app.inject('/healthz');
    expect(h.statusCode).toBe(200);
    expect(h.json()).toEqual({ status: 'ok' });
    const r = await env.app.inject('/readyz');
    expect(r.json()).toEqual({ status: 'ready', database: dialect });
  });

  it('logs in with the right password and sets an httpOnly SameSite session cookie', async () => {
    const { jar, res } = await login(env.app, 'commlib', PASSWORD);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/staff');
    const cookie = res.cookies.find((c) => c.name === 'lt_session');
    expect(cookie?.httpOnly).toBe(true);
    expect(cookie?.sameSite).toBe('Lax');
    const home = await get(env.app, jar, '/staff');
    expect(home.statusCode).toBe(200);
    expect(home.body).toContain('commlib');
    // The stored session id is a hash, not the cookie value.
    const row = await env.container.store.sessions.get(cookie!.value);
    expect(row).toBeUndefined();
  });

  it('refuses a wrong password with a clear message and no session', async () => {
    const { res } = await login(env.app, 'commlib', 'wrong password 123');
    expect(res.statusCode).toBe(401);
    expect(res.body).toContain('Tên đăng nhập hoặc mật khẩu không đúng.');
    expect(res.cookies.find((c) => c.name === 'lt_session')).toBeUndefined();
  });

  it('redirects to the sign-in page when not signed in, and after logout', async () => {
    const anon = await env.app.inject('/staff/org');
    expect(anon.statusCode).toBe(303);
    expect(anon.headers.location).toBe('/staff/login?next=%2Fstaff%2Forg');
    const { jar } = await login(env.app, 'otherlib', PASSWORD);
    const home = await get(env.app, jar, '/staff');
    const out = await postForm(env.app, jar, '/staff/logout', { _csrf: csrfFrom(home.body) });
    expect(out.statusCode).toBe(303);
    const after = await get(env.app, jar, '/staff');
    expect(after.statusCode).toBe(303);
  });

  it('refuses a form without a CSRF token or with a forged one, and records it', async () => {
    const { jar } = await login(env.app, 'netadmin', PASSWORD);
    const before = await auditActions(env, 'security.csrf');
    const unitId = env.tree.communeA1.id;
    const page = await get(env.app, jar, `/staff/org/${unitId}/edit`);
    const version = /name="version" value="(\d+)"/.exec(page.body)![1]!;
    const form = { version, nameVi: 'Thư viện COMM-A1', nameEn: 'Library COMM-A1', slug: 'forged-slug' };
    const none = await postForm(env.app, jar, `/staff/org/${unitId}/edit`, form);
    expect(none.statusCode).toBe(403);
    expect(none.body).toContain('Biểu mẫu đã hết hạn hoặc không hợp lệ');
    const forged = await postForm(env.app, jar, `/staff/org/${unitId}/edit`, { ...form, _csrf: 'AAAA' + csrfFrom(page.body).slice(4) });
    expect(forged.statusCode).toBe(403);
    // A token taken from another visitor's session does not work either.
    const other = new Jar();
    const otherPage = await get(env.app, other, '/staff/login');
    const stolen = await postForm(env.app, jar, `/staff/org/${unitId}/edit`, { ...form, _csrf: csrfFrom(otherPage.body) });
    expect(stolen.statusCode).toBe(403);
    expect(await auditActions(env, 'security.csrf')).toBe(before + 3);
    expect((await env.container.services.org.get(unitId)).slug).not.toBe('forged-slug');
  });

  it('rejects an expired session and sends the user to sign in again', async () => {
    const { jar } = await login(env.app, 'otherlib', PASSWORD);
    env.clock.advance(13 * 3600_000);
    const res = await get(env.app, jar, '/staff');
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toContain('expired=1');
    env.clock.advance(-13 * 3600_000);
  });

  it('applies the scope of grants: a commune librarian edits only their own commune', async () => {
    const { jar } = await login(env.app, 'commlib', PASSWORD);
    const own = await editUnit(env, jar, env.tree.communeA1.id, 'Giờ mở cửa: 7:00–17:00');
    expect(own.statusCode).toBe(303);
    const deniedBefore = await auditActions(env, 'security.denied');
    const other = await editUnit(env, jar, env.tree.communeA2.id, 'x');
    expect(other.statusCode).toBe(403);
    expect(other.body).toContain('Bạn không có quyền');
    const far = await editUnit(env, jar, env.tree.communeB1.id, 'x');
    expect(far.statusCode).toBe(403);
    expect(await auditActions(env, 'security.denied')).toBe(deniedBefore + 2);
    expect((await env.container.services.org.get(env.tree.communeA2.id)).openingHours).toBeNull();
  });

  it('lets a district administrator edit its communes but not another district’s', async () => {
    const { jar } = await login(env.app, 'distadmin', PASSWORD);
    expect((await editUnit(env, jar, env.tree.communeA1.id, 'A1 hours')).statusCode).toBe(303);
    expect((await editUnit(env, jar, env.tree.communeA2.id, 'A2 hours')).statusCode).toBe(303);
    expect((await editUnit(env, jar, env.tree.communeB1.id, 'B1 hours')).statusCode).toBe(403);
    expect((await env.container.services.org.get(env.tree.communeA2.id)).openingHours).toBe('A2 hours');
  });

  it('lets a network administrator edit everywhere', async () => {
    const { jar } = await login(env.app, 'netadmin', PASSWORD);
    for (const u of [env.tree.communeA1, env.tree.communeA2, env.tree.communeB1]) {
      expect((await editUnit(env, jar, u.id, `hours of ${u.code}`)).statusCode).toBe(303);
    }
    expect((await env.container.services.org.get(env.tree.communeB1.id)).openingHours).toBe('hours of COMM-B1');
  });

  it('shows a reorganisation error in the form and writes nothing', async () => {
    const { jar } = await login(env.app, 'netadmin', PASSWORD);
    const before = (await env.container.store.org.allEvents()).length;
    const res = await submit(env.app, jar, `/staff/org/${env.tree.distA.id}/reorganise`, `/staff/org/${env.tree.distA.id}/reorganise`, {
      kind: 'move',
      date: '2020-01-01',
      target: 'COMM-A1',
    });
    expect(res.statusCode).toBe(409);
    expect(res.body).toContain('Không thể chuyển');
    expect((await env.container.store.org.allEvents()).length).toBe(before);
  });
});

async function editUnit(env: HttpEnv, jar: Jar, unitId: number, hours: string) {
  const unit = await env.container.services.org.get(unitId);
  // The edit page itself may be refused; take the token from a page the user may see.
  const page = await get(env.app, jar, '/staff');
  return postForm(env.app, jar, `/staff/org/${unitId}/edit`, {
    _csrf: csrfFrom(page.body),
    version: String(unit.version),
    nameVi: unit.nameVi,
    nameEn: unit.nameEn,
    slug: unit.slug,
    openingHours: hours,
  });
}

describe('HTTP: lockout, rate limit, language, headers and hostile input [sqlite]', () => {
  let env: HttpEnv;
  beforeAll(async () => {
    env = await httpEnv('sqlite', { loginRateLimit: 8 });
  });
  afterAll(async () => {
    await env?.dispose();
  });

  it('renders every staff page for a network administrator', async () => {
    const { jar } = await login(env.app, 'netadmin', PASSWORD);
    const pages = ['/staff', '/staff/org', '/staff/org?asOf=2015-06-01', `/staff/org/${env.tree.distA.id}`, `/staff/org/${env.tree.distA.id}/edit`, `/staff/org/${env.tree.distA.id}/new`, `/staff/org/${env.tree.distA.id}/reorganise`, '/staff/users', `/staff/users/${env.tree.users.commlib}`, '/staff/users/new', '/staff/audit', '/staff/account', '/staff/org/import', '/staff/groups', '/api/v1/docs', `/l/${env.tree.distA.slug}`];
    for (const url of pages) {
      const res = await get(env.app, jar, url);
      expect(res.statusCode, url).toBe(200);
      expect(res.body, url).toContain('</html>');
    }
  });
  it('locks an account after five failed sign-ins, even against the right password', async () => {
    for (let i = 0; i < 4; i++) expect((await login(env.app, 'otherlib', `wrong-${i}-password`)).res.statusCode).toBe(401);
    const fifth = await login(env.app, 'otherlib', 'wrong-5-password');
    expect(fifth.res.statusCode).toBe(423);
    const right = await login(env.app, 'otherlib', PASSWORD);
    expect(right.res.statusCode).toBe(423);
    expect(right.res.body).toContain('Tài khoản tạm khoá');
    env.clock.advance(16 * 60_000);
    expect((await login(env.app, 'otherlib', PASSWORD)).res.statusCode).toBe(303);
  });

  it('rate-limits sign-in attempts from one address', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 10; i++) codes.push((await login(env.app, 'nobody', 'whatever-password')).res.statusCode);
    expect(codes).toContain(429);
  });

  it('speaks Vietnamese by default, English by Accept-Language, cookie or the switch', async () => {
    const vi = await env.app.inject('/');
    expect(vi.body).toContain('<html lang="vi">');
    expect(vi.body).toContain('Mạng lưới thư viện');
    const en = await env.app.inject({ url: '/', headers: { 'accept-language': 'en-GB,en;q=0.9' } });
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('The library network');
    const jar = new Jar();
    const page = await get(env.app, jar, '/');
    const sw = await postForm(env.app, jar, '/lang', { _csrf: csrfFrom(page.body), lang: 'en', next: '/l/thu-vien-comm-a1' });
    expect(sw.statusCode).toBe(303);
    expect(sw.headers.location).toBe('/l/thu-vien-comm-a1');
    const after = await get(env.app, jar, '/');
    expect(after.body).toContain('<html lang="en">');
  });

  it('sends a strict Content Security Policy and no inline script or style', async () => {
    const res = await env.app.inject('/');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.body).not.toContain('style=');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers hostile input with clear errors, not server errors', async () => {
    const cases: Array<[string, number]> = [
      ['/?asOf=2025-13-45', 400],
      ['/?asOf=%3Cscript%3Ealert(1)%3C/script%3E', 400],
      ['/l/%3Cscript%3Ealert(1)%3C%2Fscript%3E', 404],
      ['/l/' + 'a'.repeat(5000), 414],
      ['/staff/org/abc', 303],
      ['/api/v1/units?asOf=yesterday', 400],
      ['/api/v1/units/' + encodeURIComponent("X' OR 1=1 --"), 404],
    ];
    for (const [url, status] of cases) {
      const res = await env.app.inject(url);
      expect(res.statusCode, url).toBe(status);
      expect(res.body).not.toContain('<script>alert(1)');
    }
  });

  it('compresses pages for clients that accept it', async () => {
    const res = await env.app.inject({ url: '/', headers: { 'accept-encoding': 'gzip' } });
    expect(res.headers['content-encoding']).toBe('gzip');
    const plain = await env.app.inject('/');
    expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length / 2);
  });

  it('compresses a whole page in one piece, brotli or gzip, and it decompresses to the page', async () => {
    // A page larger than the 8 KB the plugin would have streamed (on 2 cores).
    const plain = await env.app.inject('/browse');
    expect(plain.rawPayload.length).toBeGreaterThan(8 * 1024);
    for (const [encoding, inflate] of [
      ['br', brotliDecompressSync],
      ['gzip', gunzipSync],
    ] as const) {
      const res = await env.app.inject({ url: '/browse', headers: { 'accept-encoding': encoding } });
      expect(res.headers['content-encoding']).toBe(encoding);
      expect(res.rawPayload.length).toBeLessThan(plain.rawPayload.length / 3);
      const page = inflate(res.rawPayload).toString('utf8');
      expect(page.endsWith('</html>')).toBe(true);
      // Only the form token differs from one response to the next.
      expect(page.replace(/name="_csrf" value="[^"]*"/g, '')).toBe(plain.body.replace(/name="_csrf" value="[^"]*"/g, ''));
    }
  });

  it('refuses an oversized body with 413', async () => {
    const res = await env.app.inject({ method: 'POST', url: '/lang', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'lang=' + 'a'.repeat(2 * 1024 * 1024) });
    expect(res.statusCode).toBe(413);
  });


});
