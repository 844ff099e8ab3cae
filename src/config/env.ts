/**
 * Settings, parsed once at start from the environment and command-line flags (flags win) and
 * frozen. Nobody else reads `process.env`. Invalid settings stop the program with every problem
 * listed, not just the first.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { isAbsolute, join, resolve } from 'node:path';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface Config {
  /** `LIENTHONG_DATA_DIR` — where the SQLite database, files and the session secret live. Default `./data`. */
  dataDir: string;
  /** `DATABASE_URL` — a `postgres://` URL selects PostgreSQL; absent means `<dataDir>/lienthong.sqlite`. */
  databaseUrl: string;
  database: 'sqlite' | 'postgres';
  /** `HOST` — address to listen on. Default `127.0.0.1` (set `0.0.0.0` to serve a network). */
  host: string;
  /** `PORT` — default 8080. `0` picks a free port. */
  port: number;
  /** `BASE_URL` — the public address, used in links and to decide on secure cookies. Default `http://HOST:PORT`. */
  baseUrl: string;
  /** `SESSION_SECRET` — signs cookies; generated into `<dataDir>/session-secret` when not given. */
  sessionSecret: string;
  /** `LOG_LEVEL` — pino level. Default `info`. */
  logLevel: LogLevel;
  /** `LIENTHONG_DEMO` — `0` to start with an empty network instead of the demo one. Default on. */
  demo: boolean;
  /** `LIENTHONG_TRUST_PROXY` — `1` behind a reverse proxy, so client addresses come from X-Forwarded-For. */
  trustProxy: boolean;
  /** `LIENTHONG_JOBS` — `0` so the web server runs no background jobs (left to `lienthong worker` processes). Default on. */
  inProcessJobs: boolean;
  /** `LIENTHONG_OCR` — `native` (the tesseract program when installed, else tesseract.js) or `wasm` (always tesseract.js). Default `native`. */
  ocr: 'native' | 'wasm';
  /** `LIENTHONG_MARC_ORG_CODE` — the MARC organisation code written in 003 of exported and harvested records (`VN-KG`, a LoC code…). Default `LIENTHONG`. */
  marcOrgCode: string;
  /** `LIENTHONG_ADMIN_EMAIL` — the contact OAI-PMH's Identify gives harvesters. Default `admin@<host of BASE_URL>`. */
  adminEmail: string | null;
}

export class ConfigError extends Error {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Flags given on the command line, by the same names as the variables they override. */
export type ConfigOverrides = Partial<Record<'LIENTHONG_DATA_DIR' | 'DATABASE_URL' | 'HOST' | 'PORT' | 'BASE_URL' | 'SESSION_SECRET' | 'LOG_LEVEL' | 'LIENTHONG_DEMO' | 'LIENTHONG_TRUST_PROXY' | 'LIENTHONG_JOBS' | 'LIENTHONG_OCR' | 'LIENTHONG_MARC_ORG_CODE' | 'LIENTHONG_ADMIN_EMAIL', string>>;

function flag(v: string | undefined, name: string, def: boolean, problems: string[]): boolean {
  if (v === undefined || v === '') return def;
  if (['1', 'true', 'yes', 'on'].includes(v.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(v.toLowerCase())) return false;
  problems.push(`${name} must be 1 or 0 (got "${v}")`);
  return def;
}

/**
 * Parses and validates every setting. Pure apart from the session secret file, which is read
 * from (or created in) the data directory when `SESSION_SECRET` is not set.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: ConfigOverrides = {}, cwd = process.cwd()): Readonly<Config> {
  const get = (k: keyof ConfigOverrides): string | undefined => {
    const v = overrides[k] ?? env[k];
    return v === undefined ? undefined : v.trim();
  };
  const problems: string[] = [];

  const rawDir = get('LIENTHONG_DATA_DIR') || './data';
  const dataDir = isAbsolute(rawDir) ? rawDir : resolve(cwd, rawDir);

  const rawPort = get('PORT') || '8080';
  const port = /^\d+$/.test(rawPort) ? Number(rawPort) : NaN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`PORT must be a whole number from 0 to 65535 (got "${rawPort}")`);

  const host = get('HOST') || '127.0.0.1';
  if (!/^[A-Za-z0-9.:[\]-]+$/.test(host)) problems.push(`HOST must be a host name or IP address (got "${host}")`);

  const givenBaseUrl = get('BASE_URL');
  let baseUrl = givenBaseUrl || `http://${host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  try {
    const u = new URL(baseUrl);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') problems.push(`BASE_URL must start with http:// or https:// (got "${baseUrl}")`);
    baseUrl = baseUrl.replace(/\/+$/, '');
  } catch {
    // A derived address is unreadable only when HOST or PORT is, and those are reported already.
    if (givenBaseUrl) problems.push(`BASE_URL is not a URL (got "${baseUrl}")`);
  }

  const rawDb = get('DATABASE_URL');
  let database: Config['database'] = 'sqlite';
  let databaseUrl = join(dataDir, 'lienthong.sqlite');
  if (rawDb) {
    if (/^postgres(ql)?:\/\//i.test(rawDb)) {
      database = 'postgres';
      databaseUrl = rawDb;
      try {
        new URL(rawDb);
      } catch {
        problems.push('DATABASE_URL is not a valid postgres:// URL');
      }
    } else if (/^(sqlite|file):/i.test(rawDb)) {
      const p = rawDb.replace(/^(sqlite|file):(\/\/)?/i, '');
      databaseUrl = p === ':memory:' ? p : isAbsolute(p) ? p : resolve(cwd, p);
    } else {
      problems.push(`DATABASE_URL must be a postgres:// URL or sqlite:<file> (got "${rawDb.replace(/:[^:@/]*@/, ':***@')}")`);
    }
  }

  const rawLevel = (get('LOG_LEVEL') || 'info').toLowerCase();
  const logLevel = (LOG_LEVELS as readonly string[]).includes(rawLevel) ? (rawLevel as LogLevel) : 'info';
  if (logLevel !== rawLevel) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${rawLevel}")`);

  const demo = flag(get('LIENTHONG_DEMO'), 'LIENTHONG_DEMO', true, problems);
  const trustProxy = flag(get('LIENTHONG_TRUST_PROXY'), 'LIENTHONG_TRUST_PROXY', false, problems);
  const inProcessJobs = flag(get('LIENTHONG_JOBS'), 'LIENTHONG_JOBS', true, problems);
  const rawOcr = (get('LIENTHONG_OCR') || 'native').toLowerCase();
  const ocr = rawOcr === 'wasm' ? 'wasm' : 'native';
  if (rawOcr !== ocr) problems.push(`LIENTHONG_OCR must be native or wasm (got "${rawOcr}")`);

  const marcOrgCode = (get('LIENTHONG_MARC_ORG_CODE') ?? '').trim() || 'LIENTHONG';
  if (!/^[A-Za-z0-9][A-Za-z0-9:-]{0,15}$/.test(marcOrgCode)) problems.push(`LIENTHONG_MARC_ORG_CODE must be 1 to 16 letters, digits, '-' or ':' (got "${marcOrgCode.slice(0, 40)}")`);
  const adminEmail = (get('LIENTHONG_ADMIN_EMAIL') ?? '').trim() || null;
  if (adminEmail !== null && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(adminEmail)) problems.push(`LIENTHONG_ADMIN_EMAIL must be an e-mail address (got "${adminEmail.slice(0, 80)}")`);

  let sessionSecret = get('SESSION_SECRET') ?? '';
  if (sessionSecret !== '' && sessionSecret.length < 32) problems.push('SESSION_SECRET must be at least 32 characters');

  if (problems.length > 0) throw new ConfigError(problems);

  if (sessionSecret === '') sessionSecret = readOrCreateSecret(dataDir);

  return Object.freeze({ dataDir, databaseUrl, database, host, port, baseUrl, sessionSecret, logLevel, demo, trustProxy, inProcessJobs, ocr, marcOrgCode, adminEmail });
}

function readOrCreateSecret(dataDir: string): string {
  const file = join(dataDir, 'session-secret');
  if (existsSync(file)) {
    const s = readFileSync(file, 'utf8').trim();
    if (s.length >= 32) return s;
  }
  mkdirSync(dataDir, { recursive: true });
  const s = randomBytes(48).toString('base64url');
  writeFileSync(file, s + '\n', { mode: 0o600 });
  return s;
}
