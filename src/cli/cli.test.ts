/**
 * The `lienthong` command as an operator runs it: the real bin, from source, in child processes,
 * on a SQLite database in a temporary data directory. Each start costs about a second (tsx), so
 * the steps share one database and run in order.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'lienthong.js');

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dataDir: string;
let scratch: string;

/**
 * Runs the command with only the variables given (nothing inherited: a DATABASE_URL in the
 * developer's shell must not point the test at a real database).
 */
function lienthong(args: readonly string[], opts: { env?: Record<string, string>; input?: string } = {}): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: scratch,
      env: { LIENTHONG_FROM_SOURCE: '1', LIENTHONG_DATA_DIR: dataDir, ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** The lines of `org show` output whose code column is `code` (any indentation). */
function rowsOf(output: string, code: string): string[] {
  return output.split('\n').filter((l) => l.trimStart().split(/\s+/)[0] === code);
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'lienthong-cli-'));
  dataDir = join(scratch, 'data');
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('lienthong command line', () => {
  it('lists its commands in --help', async () => {
    const r = await lienthong(['--help']);
    expect(r.code).toBe(0);
    for (const c of ['serve', 'migrate', 'demo', 'user', 'org', 'backup']) expect(r.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    expect(r.stdout).toContain('Examples:');
  });

  it('refuses a bad configuration with exit status 2, naming every problem', async () => {
    const r = await lienthong(['org', 'show'], { env: { PORT: 'abc', LOG_LEVEL: 'loud' } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('invalid configuration');
    expect(r.stderr).toContain('PORT must be a whole number from 0 to 65535 (got "abc")');
    expect(r.stderr).toContain('LOG_LEVEL');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('builds the demo network once and prints its accounts', async () => {
    const r = await lienthong(['demo']);
    expect(r.stderr).toContain('built the demo network');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^admin\s+\S{10,}\s+network_admin\s+KG$/m);

    const again = await lienthong(['demo']);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: the database at .* already holds a network/);
    expect(again.stdout).toBe('');
  });

  it('shows the tree as of a date, with the district libraries merged away since', async () => {
    const then = await lienthong(['org', 'show', '--as-of', '2024-01-01']);
    expect(then.code).toBe(0);
    expect(rowsOf(then.stdout, 'HD')).toEqual([expect.stringMatching(/^ {4}HD\s+Hòn Đất District Library\s+district\s+active$/)]);

    const today = await lienthong(['org', 'show']);
    expect(today.code).toBe(0);
    expect(rowsOf(today.stdout, 'TVKG')).toHaveLength(1);
    expect(rowsOf(today.stdout, 'HD')).toEqual([]);
  });

  it('creates a staff account with a role, prints its password once, and lists it', async () => {
    // The brief's `x` is shorter than a username may be (3–50 characters).
    const created = await lienthong(['user', 'create', 'xuan', '--name', 'Xuân', '--unit', 'TVKG', '--role', 'librarian', '--scope', 'unit']);
    expect(created.stderr).toContain('created account xuan (Xuân) at TVKG.');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^\S{10,}\n$/);

    const list = await lienthong(['user', 'list', '--unit', 'TVKG']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^xuan\s+Xuân\s+TVKG\s+active\s+-\s+librarian@TVKG\/unit$/m);

    const unknown = await lienthong(['--lang', 'vi', 'user', 'grant', 'xuan', '--role', 'nope', '--unit', 'TVKG', '--scope', 'unit']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('error STAFF_ROLE_NOT_FOUND: Không có vai trò nope.\n');
  });

  it('exports the tree as JSON', async () => {
    const r = await lienthong(['org', 'export', '--format', 'json']);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { units: { code: string }[] };
    expect(doc.units.map((u) => u.code)).toContain('TVKG');
  });

  it('reports a CSV import with a bad row per row, writes nothing and exits 1', async () => {
    const file = join(scratch, 'units.csv');
    await writeFile(file, 'code,parent,type,nameVi\nCLI-NEW,TVKG,branch,Phòng đọc mới\nCLI-BAD,TVKG,spaceship,Phòng đọc sai\n');
    const r = await lienthong(['org', 'import', file]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^1\s+CLI-NEW\s+create$/m);
    expect(r.stdout).toMatch(/^2\s+CLI-BAD\s+error\s+type: There is no kind of unit “spaceship”\.$/m);
    expect(r.stderr).toContain('nothing was written');
  });

  it('searches the demo catalogue, with and without tones, as text and as JSON', async () => {
    const plain = await lienthong(['search', 'truyen kieu']);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/^\d+\tTruyện Kiều\tNguyễn Du\t2015\t\d+$/mu);
    expect(plain.stderr).toMatch(/1 biểu ghi khớp|1 record matches/u);
    const toned = await lienthong(['search', 'Truyện Kiều', '--json']);
    const body = JSON.parse(toned.stdout) as { total: number; results: { display: { title: string } }[]; facets: Record<string, unknown> };
    expect(body.total).toBe(1);
    expect(body.results[0]!.display.title).toBe('Truyện Kiều');
    expect(Object.keys(body.facets)).toEqual(expect.arrayContaining(['library', 'language', 'subject']));
    const none = await lienthong(['search', 'zzzqqq']);
    expect(none.code).toBe(0);
    expect(none.stdout).toBe('');
    const bad = await lienthong(['search', 'x', '--library', 'NOWHERE']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('NOWHERE');
    const wrong = await lienthong(['search', 'x', '--limit', '500']);
    expect(wrong.code).toBe(2);
  });

  it('rebuilds the search index and still finds the same records', async () => {
    const r = await lienthong(['reindex']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/\d+ (tài liệu|documents)/u);
    const after = await lienthong(['search', 'truyen kieu']);
    expect(after.stdout).toContain('Truyện Kiều');
  });

  it('backs the database up into a copy that opens and holds the tree', async () => {
    const dest = join(scratch, 'backups');
    const r = await lienthong(['backup', dest]);
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    const copies = (await readdir(dest)).filter((f) => /^lienthong-\d{8}T\d{6}Z\.sqlite$/.test(f));
    expect(copies).toHaveLength(1);
    expect(r.stdout).toContain(`database: ${join(dest, copies[0]!)}`);
    expect(r.stdout).toContain('integrity check ok');
    expect(existsSync(join(dest, copies[0]!.replace('.sqlite', '-session-secret')))).toBe(true);

    const db = new SQLite(join(dest, copies[0]!), { readonly: true, fileMustExist: true });
    try {
      const count = (code: string) => (db.prepare('SELECT COUNT(*) AS n FROM org_units WHERE code = ?').get(code) as { n: number }).n;
      expect((db.prepare('SELECT COUNT(*) AS n FROM org_units').get() as { n: number }).n).toBeGreaterThan(50);
      expect(count('TVKG')).toBe(1);
      // The refused import above left nothing behind.
      expect(count('CLI-NEW')).toBe(0);
      expect(db.prepare('SELECT username FROM staff_users WHERE username = ?').get('xuan')).toEqual({ username: 'xuan' });
    } finally {
      db.close();
    }
  });

  it.runIf(existsSync(join(root, 'src', 'main', 'server.ts')))('serves until SIGTERM, then exits 0', async () => {
    const child = spawn(process.execPath, [bin, 'serve', '--port', '0'], {
      cwd: scratch,
      env: { LIENTHONG_FROM_SOURCE: '1', LIENTHONG_DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no address printed; stdout: ${stdout}; stderr: ${stderr}`)), 20_000);
        child.stdout.setEncoding('utf8').on('data', (d: string) => {
          stdout += d;
          const m = /http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
          if (m && m[1] !== '0') {
            clearTimeout(timer);
            resolve(m[0]);
          }
        });
        child.on('close', () => reject(new Error(`exited early; stderr: ${stderr}`)));
      });
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      // A rendered page (TSX), started from outside the project folder.
      const page = await fetch(`${url}/search?q=truyen+kieu`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<html lang="vi">');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toContain('stopped.');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
