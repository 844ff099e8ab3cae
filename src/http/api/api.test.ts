import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/dialects.js';
import { PASSWORD, actorFor } from '../../../test/factories.js';
import { csrfFrom, get, httpEnv, login, type HttpEnv } from '../../../test/http.js';

describeEachDialect('JSON API', (dialect) => {
  let env: HttpEnv;
  let adminToken: string;
  let libToken: string;
  beforeAll(async () => {
    env = await httpEnv(dialect);
    const { auth } = env.container.services;
    adminToken = (await auth.createToken(await actorFor(env.container, env.tree.users.netadmin), { name: 'sync', roleCode: 'network_admin', unitId: env.tree.root.id, scope: 'network', expiresInDays: null })).token;
    libToken = (await auth.createToken(await actorFor(env.container, env.tree.users.commlib), { name: 'kiosk', roleCode: 'librarian', unitId: env.tree.communeA1.id, scope: 'unit', expiresInDays: 30 })).token;
  });
  afterAll(async () => {
    await env?.dispose();
  });

  const bearer = (t: string) => ({ authorization: `Bearer ${t}` });

  it('serves an OpenAPI 3.1 document generated from the route schemas', async () => {
    const res = await env.app.inject('/api/v1/openapi.json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/units', '/units/{code}', '/units/{code}/events', '/me', '/audit', '/search', '/search/suggest']));
    expect(doc.paths['/units'].post.requestBody).toBeDefined();
    // Public routes say so: no security requirement.
    expect(doc.paths['/search'].get.security).toEqual([]);
    expect(doc.paths['/search'].get.responses['200'].content['application/json'].schema.properties.facets).toBeDefined();
  });

  it('lists the tree publicly, and as of a date', async () => {
    const now = (await env.app.inject('/api/v1/units')).json();
    expect(now.units.map((u: { code: string }) => u.code)).toContain('COMM-B1');
    const before = (await env.app.inject('/api/v1/units?asOf=2005-01-01')).json();
    expect(before.units.map((u: { code: string }) => u.code).sort()).toEqual(['PROV', 'ROOT']);
  });

  it('authenticates a bearer token and reports who it is', async () => {
    const me = await env.app.inject({ url: '/api/v1/me', headers: bearer(libToken) });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.username).toBe('commlib');
    expect(me.json().via).toBe('token');
    const bad = await env.app.inject({ url: '/api/v1/me', headers: bearer('lt_forged') });
    expect(bad.statusCode).toBe(401);
    expect(bad.json().error.code).toBe('AUTH_TOKEN_INVALID');
  });

  it('creates and reorganises units through the API with coded errors', async () => {
    const created = await env.app.inject({ method: 'POST', url: '/api/v1/units', headers: bearer(adminToken), payload: { code: 'COMM-A3', nameVi: 'Thư viện xã Mỹ Lâm', typeCode: 'commune', parentCode: 'DIST-A', openedOn: '2015-05-19' } });
    expect(created.statusCode).toBe(201);
    expect(created.json().slug).toBe('thu-vien-xa-my-lam');
    const dup = await env.app.inject({ method: 'POST', url: '/api/v1/units', headers: bearer(adminToken), payload: { code: 'COMM-A3', nameVi: 'X', typeCode: 'commune', parentCode: 'DIST-A' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('ORG_CODE_TAKEN');
    const cycle = await env.app.inject({ method: 'POST', url: '/api/v1/units/DIST-A/events', headers: bearer(adminToken), payload: { kind: 'move', date: '2020-01-01', parentCode: 'COMM-A3' } });
    expect(cycle.statusCode).toBe(409);
    expect(cycle.json().error.code).toBe('ORG_MOVE_CYCLE');
    const merge = await env.app.inject({ method: 'POST', url: '/api/v1/units/COMM-A3/events', headers: bearer(adminToken), payload: { kind: 'merge', date: '2025-07-01', intoCode: 'COMM-A1' } });
    expect(merge.statusCode).toBe(201);
    expect(merge.json().status).toBe('merged');
    const history = (await env.app.inject('/api/v1/units/COMM-A1/history')).json();
    expect(history.map((h: { kind: string; about: string }) => `${h.kind}:${h.about}`)).toEqual(['create:self', 'merge:merged-in']);
  });

  it('refuses a token outside its scope and validates input', async () => {
    const unit = (await env.app.inject('/api/v1/units/COMM-A2')).json();
    const denied = await env.app.inject({ method: 'PATCH', url: '/api/v1/units/COMM-A2', headers: bearer(libToken), payload: { version: unit.version, address: 'x' } });
    expect(denied.statusCode).toBe(403);
    expect(denied.json().error.code).toBe('PERMISSION_DENIED');
    const own = (await env.app.inject('/api/v1/units/COMM-A1')).json();
    const ok = await env.app.inject({ method: 'PATCH', url: '/api/v1/units/COMM-A1', headers: bearer(libToken), payload: { version: own.version, address: 'Ấp 3, xã Mỹ Lâm' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().address).toBe('Ấp 3, xã Mỹ Lâm');
    const stale = await env.app.inject({ method: 'PATCH', url: '/api/v1/units/COMM-A1', headers: bearer(libToken), payload: { version: own.version, address: 'again' } });
    expect(stale.json().error.code).toBe('ORG_STALE_VERSION');
    const junk = await env.app.inject({ method: 'POST', url: '/api/v1/units', headers: { ...bearer(adminToken), 'content-type': 'application/json' }, payload: '{"code": ' });
    expect(junk.statusCode).toBe(400);
    expect(junk.json().error.code).toBe('VALIDATION');
    const extra = await env.app.inject({ method: 'POST', url: '/api/v1/units', headers: bearer(adminToken), payload: { code: 'Z', nameVi: 'Z', typeCode: 'commune', parentCode: 'ROOT', isAdmin: true } });
    expect(extra.statusCode).toBe(400);
  });

  it('creates a group and manages its members, within the caller’s permissions', async () => {
    const created = await env.app.inject({ method: 'POST', url: '/api/v1/groups', headers: bearer(adminToken), payload: { code: 'SCHOOLS', nameVi: 'Thư viện trường học', nameEn: 'School libraries' } });
    expect(created.statusCode).toBe(201);
    const add = await env.app.inject({ method: 'PUT', url: '/api/v1/groups/SCHOOLS/members/COMM-B1', headers: bearer(adminToken), payload: { member: true } });
    expect(add.statusCode).toBe(204);
    const groups = (await env.app.inject('/api/v1/groups')).json();
    expect(groups).toEqual([{ code: 'SCHOOLS', nameVi: 'Thư viện trường học', nameEn: 'School libraries', members: ['COMM-B1'] }]);
    const denied = await env.app.inject({ method: 'PUT', url: '/api/v1/groups/SCHOOLS/members/COMM-A1', headers: bearer(libToken), payload: { member: true } });
    expect(denied.statusCode).toBe(403);
    const unknown = await env.app.inject({ method: 'PUT', url: '/api/v1/groups/NOPE/members/COMM-A1', headers: bearer(adminToken), payload: { member: true } });
    expect(unknown.json().error.code).toBe('ORG_GROUP_NOT_FOUND');
  });

  it('needs the CSRF header for state changes made with a browser session', async () => {
    const { jar } = await login(env.app, 'netadmin', PASSWORD);
    const unit = (await env.app.inject('/api/v1/units/COMM-B1')).json();
    const payload = { version: unit.version, phone: '0297 111 222' };
    const without = await env.app.inject({ method: 'PATCH', url: '/api/v1/units/COMM-B1', headers: { cookie: jar.header }, payload });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.code).toBe('CSRF_INVALID');
    const page = await get(env.app, jar, '/staff');
    const withToken = await env.app.inject({ method: 'PATCH', url: '/api/v1/units/COMM-B1', headers: { cookie: jar.header, 'x-csrf-token': csrfFrom(page.body) }, payload });
    expect(withToken.statusCode).toBe(200);
  });
});
