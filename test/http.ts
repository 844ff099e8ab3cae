/**
 * HTTP test helpers: a real app on a real database, driven through `app.inject()`, with a tiny
 * cookie jar and a way to read the CSRF token out of a rendered form.
 */
import { randomBytes } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { buildApp, type App } from '../src/http/app.js';
import { treeEnv, type SmallTree, type TestEnv } from './factories.js';
import type { TestDialect } from './dialects.js';
import type { ContainerOptions } from '../src/main/container.js';

export const TEST_SECRET = 'test-secret-that-is-long-enough-0123456789';

export interface HttpEnv extends TestEnv {
  app: App;
  tree: SmallTree;
}

export async function httpEnv(dialect: TestDialect, opts: { loginRateLimit?: number; container?: Partial<ContainerOptions> } = {}): Promise<HttpEnv> {
  const { env, t: tree } = await treeEnv(dialect, { container: opts.container });
  const app = await buildApp({
    services: env.container.services,
    store: env.container.store,
    clock: env.clock,
    sessionSecret: TEST_SECRET,
    baseUrl: 'http://localhost',
    loginRateLimit: opts.loginRateLimit ?? 1000,
  });
  return {
    ...env,
    app,
    tree,
    dispose: async () => {
      await app.close();
      await env.dispose();
    },
  };
}

/** Cookies kept across requests, as a browser would. */
export class Jar {
  readonly cookies = new Map<string, string>();
  take(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    return res;
  }
  get header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export function csrfFrom(html: string): string {
  const m = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!m) throw new Error('no CSRF token in page');
  return m[1]!;
}

export async function get(app: App, jar: Jar, url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return jar.take(await app.inject({ method: 'GET', url, headers: { cookie: jar.header, ...headers } }));
}

export async function postForm(app: App, jar: Jar, url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
  return jar.take(
    await app.inject({
      method: 'POST',
      url,
      headers: { cookie: jar.header, 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(form).toString(),
    }),
  );
}

/** Loads a page, takes its CSRF token, and posts a form with it. */
export async function submit(app: App, jar: Jar, pageUrl: string, actionUrl: string, form: Record<string, string>): Promise<LightMyRequestResponse> {
  const page = await get(app, jar, pageUrl);
  return postForm(app, jar, actionUrl, { ...form, _csrf: csrfFrom(page.body) });
}

export async function login(app: App, username: string, password: string): Promise<{ jar: Jar; res: LightMyRequestResponse }> {
  const jar = new Jar();
  const res = await submit(app, jar, '/staff/login', '/staff/login', { username, password });
  return { jar, res };
}

export type Part = { name: string; value: string } | { name: string; filename: string; data: Uint8Array | string; type?: string };

/** A multipart/form-data body, built by hand as a browser would send it. */
export function multipart(parts: readonly Part[]): { payload: Buffer; contentType: string } {
  const boundary = `----lt${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    chunks.push(Buffer.from(`--${boundary}\r\n`));
    if ('filename' in p) {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type ?? 'application/octet-stream'}\r\n\r\n`));
      chunks.push(Buffer.from(p.data));
    } else {
      chunks.push(Buffer.from(`Content-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}`));
    }
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
