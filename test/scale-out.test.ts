/**
 * Scale-out shown, not claimed: two real `lienthong serve` processes on one PostgreSQL database.
 * A sign-in made through one is valid on the other, a form token from one is accepted by the
 * other, and a change made through one is seen by the other.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dialectAvailable, tempDatabase, type TempDatabase } from './dialects.js';

const BIN = join(process.cwd(), 'bin', 'lienthong.js');

interface Proc {
  child: ChildProcess;
  url: string;
  output: string;
}

function startServer(env: Record<string, string>): Promise<Proc> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { env: { ...process.env, LIENTHONG_FROM_SOURCE: '1', LOG_LEVEL: 'warn', BASE_URL: '', HOST: '', PORT: '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = (b: Buffer) => {
      output += b.toString();
      const m = /running at (http:\/\/[\d.]+:\d+)/.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!, output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (b: Buffer) => (output += b.toString()));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${output}`)));
  });
}

/** A minimal browser: keeps cookies, reads the CSRF token from pages. */
class Client {
  cookies = new Map<string, string>();
  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair = ''] = c.split(';');
      const [k = '', v = ''] = pair.split('=');
      if (v === '' || /Expires=Thu, 01 Jan 1970/i.test(c)) this.cookies.delete(k);
      else this.cookies.set(k, v);
    }
    return res;
  }
  async csrf(url: string): Promise<string> {
    const html = await (await this.fetch(url)).text();
    const m = /name="_csrf" value="([^"]+)"/.exec(html);
    if (!m) throw new Error(`no CSRF token on ${url}`);
    return m[1]!;
  }
}

describe.skipIf(!dialectAvailable('postgres'))('two server processes on one PostgreSQL database', () => {
  let db: TempDatabase;
  let dataDir: string;
  let a: Proc;
  let b: Proc;
  let password: string;

  beforeAll(async () => {
    // Empty, not even migrated: the servers' first start does that, as in production.
    db = await tempDatabase('postgres', { empty: true });
    dataDir = mkdtempSync(join(tmpdir(), 'lienthong-scale-'));
    const env = { DATABASE_URL: db.url, LIENTHONG_DATA_DIR: dataDir, SESSION_SECRET: 'shared-secret-for-all-processes-0123456789', LIENTHONG_DEMO: '0' };
    a = await startServer(env);
    b = await startServer(env);
    const m = /^\s+admin\s+(\S+)\s+network_admin/m.exec(a.output + b.output);
    if (!m) throw new Error(`no admin password printed:\n${a.output}\n${b.output}`);
    password = m[1]!;
  }, 120_000);

  afterAll(async () => {
    for (const p of [a, b]) {
      if (p && p.child.exitCode === null) {
        const exited = new Promise((r) => p.child.once('exit', r));
        p.child.kill('SIGTERM');
        await exited;
      }
    }
    await db?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('listens on two different ports', () => {
    expect(a.url).not.toBe(b.url);
  });

  it('accepts on B a session opened on A, and a form token issued by B on A', async () => {
    const browser = new Client();
    const token = await browser.csrf(`${a.url}/staff/login`);
    const res = await browser.fetch(`${a.url}/staff/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'admin', password, _csrf: token }).toString(),
    });
    expect(res.status).toBe(303);
    const onB = await browser.fetch(`${b.url}/staff`);
    expect(onB.status).toBe(200);
    expect(await onB.text()).toContain('Quản trị mạng lưới');

    // A change through A, with a token B rendered, is seen through B.
    const unit = (await (await browser.fetch(`${b.url}/api/v1/units/NETWORK`)).json()) as { version: number };
    const csrfFromB = await browser.csrf(`${b.url}/staff`);
    const patch = await browser.fetch(`${a.url}/api/v1/units/NETWORK`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrfFromB },
      body: JSON.stringify({ version: unit.version, address: 'Số 1 Mậu Thân, Rạch Giá' }),
    });
    expect(patch.status).toBe(200);
    const seen = (await (await browser.fetch(`${b.url}/api/v1/units/NETWORK`)).json()) as { address: string };
    expect(seen.address).toBe('Số 1 Mậu Thân, Rạch Giá');

    // Signing out on B ends the session on A as well.
    const out = await browser.fetch(`${b.url}/staff/logout`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ _csrf: await browser.csrf(`${b.url}/staff`) }).toString() });
    expect(out.status).toBe(303);
    expect((await browser.fetch(`${a.url}/staff`)).status).toBe(303);
  });
});
