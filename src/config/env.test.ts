import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './env.js';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'lienthong-env-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const SECRET = 's'.repeat(32);

function problemsOf(env: NodeJS.ProcessEnv, overrides = {}): readonly string[] {
  try {
    loadConfig(env, overrides, tempDir());
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  throw new Error('the configuration was accepted');
}

describe('loadConfig', () => {
  it('has defaults for everything', () => {
    const cwd = tempDir();
    const c = loadConfig({ SESSION_SECRET: SECRET }, {}, cwd);
    expect(c).toEqual({
      dataDir: join(cwd, 'data'),
      databaseUrl: join(cwd, 'data', 'lienthong.sqlite'),
      database: 'sqlite',
      host: '127.0.0.1',
      port: 8080,
      baseUrl: 'http://127.0.0.1:8080',
      sessionSecret: SECRET,
      logLevel: 'info',
      demo: true,
      trustProxy: false,
      inProcessJobs: true,
      ocr: 'native',
      marcOrgCode: 'LIENTHONG',
      adminEmail: null,
    });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads every variable', () => {
    const cwd = tempDir();
    const c = loadConfig(
      {
        LIENTHONG_DATA_DIR: '/srv/lienthong',
        HOST: '0.0.0.0',
        PORT: '3000',
        BASE_URL: 'https://thuvien.example.vn/',
        SESSION_SECRET: SECRET,
        LOG_LEVEL: 'DEBUG',
        LIENTHONG_DEMO: '0',
        LIENTHONG_TRUST_PROXY: 'yes',
        LIENTHONG_MARC_ORG_CODE: 'VN-KG',
        LIENTHONG_ADMIN_EMAIL: 'thuvien@example.vn',
      },
      {},
      cwd,
    );
    expect(c).toMatchObject({
      dataDir: '/srv/lienthong',
      databaseUrl: '/srv/lienthong/lienthong.sqlite',
      host: '0.0.0.0',
      port: 3000,
      baseUrl: 'https://thuvien.example.vn',
      logLevel: 'debug',
      demo: false,
      trustProxy: true,
      marcOrgCode: 'VN-KG',
      adminEmail: 'thuvien@example.vn',
    });
  });

  it.each([
    ['0.0.0.0', '8080', 'http://127.0.0.1:8080'],
    ['::1', '9000', 'http://[::1]:9000'],
    ['thuvien.local', '80', 'http://thuvien.local:80'],
  ])('derives BASE_URL from HOST %s and PORT %s', (HOST, PORT, baseUrl) => {
    expect(loadConfig({ HOST, PORT, SESSION_SECRET: SECRET }, {}, tempDir()).baseUrl).toBe(baseUrl);
  });

  it.each([
    ['postgres://lt:pw@db.example:5432/lienthong', 'postgres', 'postgres://lt:pw@db.example:5432/lienthong'],
    ['postgresql://db/lienthong', 'postgres', 'postgresql://db/lienthong'],
    ['PostgreS://db/x', 'postgres', 'PostgreS://db/x'],
    ['sqlite::memory:', 'sqlite', ':memory:'],
    ['sqlite:/var/lib/lt.sqlite', 'sqlite', '/var/lib/lt.sqlite'],
    ['file:///var/lib/lt.sqlite', 'sqlite', '/var/lib/lt.sqlite'],
  ])('DATABASE_URL %s selects %s', (DATABASE_URL, database, databaseUrl) => {
    const c = loadConfig({ DATABASE_URL, SESSION_SECRET: SECRET }, {}, tempDir());
    expect([c.database, c.databaseUrl]).toEqual([database, databaseUrl]);
  });

  it('resolves a relative sqlite path against the working directory', () => {
    const cwd = tempDir();
    expect(loadConfig({ DATABASE_URL: 'sqlite:db/lt.sqlite', SESSION_SECRET: SECRET }, {}, cwd).databaseUrl).toBe(join(cwd, 'db', 'lt.sqlite'));
  });

  it('lists every problem at once', () => {
    expect(
      problemsOf({
        PORT: '80a',
        HOST: 'bad host!',
        BASE_URL: 'ftp://example.vn',
        DATABASE_URL: 'mysql://root:hunter2@db/x',
        LOG_LEVEL: 'loud',
        LIENTHONG_DEMO: 'maybe',
        LIENTHONG_TRUST_PROXY: '2',
        SESSION_SECRET: 'short',
      }),
    ).toEqual([
      'PORT must be a whole number from 0 to 65535 (got "80a")',
      'HOST must be a host name or IP address (got "bad host!")',
      'BASE_URL must start with http:// or https:// (got "ftp://example.vn")',
      'DATABASE_URL must be a postgres:// URL or sqlite:<file> (got "mysql://root:***@db/x")',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
      'LIENTHONG_DEMO must be 1 or 0 (got "maybe")',
      'LIENTHONG_TRUST_PROXY must be 1 or 0 (got "2")',
      'SESSION_SECRET must be at least 32 characters',
    ]);
  });

  it.each([
    [{ PORT: '65536' }, ['PORT must be a whole number from 0 to 65535 (got "65536")']],
    [{ PORT: '-1' }, ['PORT must be a whole number from 0 to 65535 (got "-1")']],
    [{ BASE_URL: 'not a url' }, ['BASE_URL is not a URL (got "not a url")']],
    [{ DATABASE_URL: 'postgres://[bad' }, ['DATABASE_URL is not a valid postgres:// URL']],
    [{ LIENTHONG_MARC_ORG_CODE: 'Thư viện' }, [`LIENTHONG_MARC_ORG_CODE must be 1 to 16 letters, digits, '-' or ':' (got "Thư viện")`]],
    [{ LIENTHONG_ADMIN_EMAIL: 'no-at-sign' }, ['LIENTHONG_ADMIN_EMAIL must be an e-mail address (got "no-at-sign")']],
  ])('%j is refused', (env, problems) => {
    expect(problemsOf({ SESSION_SECRET: SECRET, ...env })).toEqual(problems);
  });

  it('accepts port 0 (pick a free port)', () => {
    expect(loadConfig({ PORT: '0', SESSION_SECRET: SECRET }, {}, tempDir()).port).toBe(0);
  });

  it('the error message names every problem', () => {
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'y', SESSION_SECRET: SECRET }, {}, tempDir());
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as Error).message).toBe(
        'invalid configuration:\n  - PORT must be a whole number from 0 to 65535 (got "x")\n  - LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "y")',
      );
    }
  });

  it('generates SESSION_SECRET into the data directory and reuses it on the next load', () => {
    const dir = join(tempDir(), 'nested', 'data');
    const first = loadConfig({ LIENTHONG_DATA_DIR: dir }, {}, tempDir());
    const file = join(dir, 'session-secret');
    expect(existsSync(file)).toBe(true);
    expect(first.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(file, 'utf8').trim()).toBe(first.sessionSecret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = loadConfig({ LIENTHONG_DATA_DIR: dir }, {}, tempDir());
    expect(second.sessionSecret).toBe(first.sessionSecret);
    // A different data directory gets its own secret.
    expect(loadConfig({ LIENTHONG_DATA_DIR: tempDir() }, {}, tempDir()).sessionSecret).not.toBe(first.sessionSecret);
  });

  it('replaces a stored secret that is too short', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'session-secret'), 'short\n');
    const c = loadConfig({ LIENTHONG_DATA_DIR: dir }, {}, tempDir());
    expect(c.sessionSecret).not.toBe('short');
    expect(c.sessionSecret.length).toBeGreaterThanOrEqual(32);
    expect(readFileSync(join(dir, 'session-secret'), 'utf8').trim()).toBe(c.sessionSecret);
  });

  it('does not write a secret file when SESSION_SECRET is given', () => {
    const dir = tempDir();
    loadConfig({ LIENTHONG_DATA_DIR: dir, SESSION_SECRET: SECRET }, {}, tempDir());
    expect(existsSync(join(dir, 'session-secret'))).toBe(false);
  });

  it('does not write a secret file when the configuration is invalid', () => {
    const dir = join(tempDir(), 'data');
    expect(() => loadConfig({ LIENTHONG_DATA_DIR: dir, PORT: 'x' }, {}, tempDir())).toThrow(ConfigError);
    expect(existsSync(dir)).toBe(false);
  });

  it('flags override the environment', () => {
    const c = loadConfig(
      { PORT: '3000', HOST: '10.0.0.1', LOG_LEVEL: 'loud', LIENTHONG_DEMO: '1', DATABASE_URL: 'postgres://db/x', SESSION_SECRET: SECRET },
      { PORT: '4000', LOG_LEVEL: 'warn', LIENTHONG_DEMO: '0', DATABASE_URL: 'sqlite::memory:' },
      tempDir(),
    );
    expect(c).toMatchObject({ port: 4000, host: '10.0.0.1', logLevel: 'warn', demo: false, database: 'sqlite', databaseUrl: ':memory:', baseUrl: 'http://10.0.0.1:4000' });
  });

  it('treats empty values as unset', () => {
    const cwd = tempDir();
    const c = loadConfig({ PORT: '', HOST: ' ', LOG_LEVEL: '', LIENTHONG_DEMO: '', DATABASE_URL: '', SESSION_SECRET: SECRET }, {}, cwd);
    expect(c).toMatchObject({ port: 8080, host: '127.0.0.1', logLevel: 'info', demo: true, database: 'sqlite', databaseUrl: join(cwd, 'data', 'lienthong.sqlite') });
  });
});
