/**
 * The digital library's commands as an operator runs them: `ingest`, `worker`, `fixity` and
 * `bag export|import`, through the real bin in child processes, on one SQLite database in a
 * temporary data directory (no demo network: the test makes its own two libraries). Each start
 * costs a second or more (tsx), so the steps share the database and run in order.
 *
 * Reading pages needs OCR: with the tesseract program installed the commands use it; without it
 * the steps that process pages are skipped (tesseract.js would take minutes).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pageImage } from '../../test/digital.js';
import { nodeBagIo } from '../adapters/files/bag-io.js';
import { readBag } from '../codecs/bagit/read.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = join(root, 'bin', 'lienthong.js');
const tesseract = existsSync('/usr/bin/tesseract');
const NO_OCR = 'the tesseract program is not installed (/usr/bin/tesseract); tesseract.js would take minutes';

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

let scratch: string;
let dataDir: string;
let scans: string;

/**
 * Runs the command with only these variables: nothing is inherited, so neither a DATABASE_URL in
 * the developer's shell nor the BASE_URL, HOST or PORT vitest sets reach the child.
 */
function lienthong(args: readonly string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], {
      cwd: scratch,
      env: { LIENTHONG_FROM_SOURCE: '1', LIENTHONG_DATA_DIR: dataDir, LIENTHONG_DEMO: '0', PATH: '/usr/bin:/bin', ...(tesseract ? { LIENTHONG_OCR: 'native' } : {}) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs `fn` on the command's database, read-only, while no command runs. */
function db<T>(fn: (d: SQLite.Database) => T): T {
  const d = new SQLite(join(dataDir, 'lienthong.sqlite'), { readonly: true, fileMustExist: true });
  try {
    return fn(d);
  } finally {
    d.close();
  }
}
const all = <T>(query: string, ...params: unknown[]) => db((d) => d.prepare(query).all(...params) as T[]);
const one = <T>(query: string, ...params: unknown[]) => db((d) => d.prepare(query).get(...params) as T);

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'lienthong-digital-cli-'));
  dataDir = join(scratch, 'data');
  scans = join(scratch, 'scans');
  await mkdir(scans);
  // Small pages: OCR reads them quickly.
  await writeFile(join(scans, 'a.png'), await pageImage(['Địa chí Kiên Giang'], { width: 600, height: 800 }));
  await writeFile(join(scans, 'b.jpg'), await pageImage(['Truyện cổ Hòn Đất'], { width: 600, height: 800, format: 'jpeg' }));
  await writeFile(join(scans, 'c.png'), await pageImage(['Gia phả'], { width: 600, height: 800 }));
});

afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

describe('lienthong digital library commands', { timeout: 120_000 }, () => {
  let ingested: number[] = [];

  it('starts from an empty network: two libraries from a CSV', async () => {
    const units = join(scratch, 'units.csv');
    await writeFile(units, 'code,parent,type,nameVi\nNET,,network,Mạng thư viện\nTVA,NET,provincial,Thư viện tỉnh A\nTVB,NET,provincial,Thư viện tỉnh B\n');
    const r = await lienthong(['org', 'import', units]);
    expect(r.stderr).toContain('written.');
    expect(r.code).toBe(0);
    expect(all<{ code: string }>('SELECT code FROM org_units ORDER BY code').map((u) => u.code)).toEqual(['NET', 'TVA', 'TVB']);
  });

  it('ingests a folder by its manifest, writes a report row per manifest row and leaves processing queued', async () => {
    const manifest = join(scratch, 'good.csv');
    await writeFile(manifest, 'title,creator,date,language,files,access,license,category,subject\n"Địa chí Kiên Giang",Nhiều tác giả,2002,vie,a.png,public,cc-by,local,Kiên Giang|Địa chí\n"Truyện cổ Hòn Đất",,1998,vie,b.jpg,registered,cc-by-sa,old_rare,\n');
    const report = join(scratch, 'report.csv');
    const r = await lienthong(['ingest', scans, '--manifest', manifest, '--library', 'TVA', '--report', report, '--no-process']);
    expect(r.stderr).toContain('rows: 2 · created: 2 · failed: 0 · skipped: 0');
    expect(r.stderr).toContain(`per-row report written to ${report}`);
    expect(r.stderr).not.toContain('reading pages');
    expect(r.code).toBe(0);

    const lines = (await readFile(report, 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('\uFEFFrow,outcome,object_id,title,problems');
    expect(lines.slice(1)).toEqual([expect.stringMatching(/^1,created,\d+,Địa chí Kiên Giang,$/), expect.stringMatching(/^2,created,\d+,Truyện cổ Hòn Đất,$/)]);
    ingested = lines.slice(1).map((l) => Number(l.split(',')[2]));

    const objects = all<{ id: number; title: string; processing: string; unit: string }>('SELECT o.id, o.title, o.processing, u.code AS unit FROM digital_objects o JOIN org_units u ON u.id = o.owner_unit_id ORDER BY o.id');
    expect(objects).toEqual([
      { id: ingested[0], title: 'Địa chí Kiên Giang', processing: 'queued', unit: 'TVA' },
      { id: ingested[1], title: 'Truyện cổ Hòn Đất', processing: 'queued', unit: 'TVA' },
    ]);
    expect(all<{ status: string }>("SELECT status FROM jobs WHERE kind = 'digital.process'").map((j) => j.status)).toEqual(['queued', 'queued']);
  });

  it('exits 1 when a row fails, naming the row and its error', async () => {
    const manifest = join(scratch, 'bad.csv');
    await writeFile(manifest, 'title,files\n"Gia phả họ Mạc",c.png\n"Sách thiếu trang",missing.png\n');
    const r = await lienthong(['ingest', scans, '--manifest', manifest, '--library', 'TVA', '--no-process']);
    expect(r.stderr).toContain('row 2: failed File missing.png was not found.');
    expect(r.stderr).toContain('rows: 2 · created: 1 · failed: 1 · skipped: 0');
    expect(r.code).toBe(1);
    expect(one<{ n: number }>('SELECT COUNT(*) AS n FROM digital_objects').n).toBe(3);
  });

  it('runs the queued jobs with worker --once and exits', async (ctx) => {
    if (!tesseract) ctx.skip(NO_OCR);
    const r = await lienthong(['worker', '--once']);
    expect(r.stderr).toContain('running jobs');
    expect(r.code).toBe(0);
    expect(all<{ status: string; n: number }>("SELECT status, COUNT(*) AS n FROM jobs WHERE kind = 'digital.process' GROUP BY status")).toEqual([{ status: 'done', n: 3 }]);
    const objects = all<{ processing: string; page_count: number; text_pages: number }>('SELECT processing, page_count, text_pages FROM digital_objects');
    expect(objects).toEqual(Array.from({ length: 3 }, () => ({ processing: 'done', page_count: 1, text_pages: 1 })));
  });

  it('checks every stored file with fixity and prints the summary', async () => {
    const blobs = one<{ n: number }>('SELECT COUNT(*) AS n FROM blobs').n;
    // Three masters, and a pyramid for each page when the worker ran.
    expect(blobs).toBe(tesseract ? 6 : 3);
    const r = await lienthong(['fixity']);
    expect(r.stdout).toBe(`checked ${blobs} stored files: ${blobs} good, 0 missing, 0 changed\n`);
    expect(r.code).toBe(0);
    expect(one<{ n: number }>("SELECT COUNT(*) AS n FROM blobs WHERE check_status = 'ok'").n).toBe(blobs);
  });

  it('exports an object as a valid bag', async () => {
    const out = join(scratch, 'bag');
    const r = await lienthong(['bag', 'export', String(ingested[0]), '--output', out]);
    expect(r.stderr).toMatch(new RegExp(`^bag written to ${out}: \\d+ files, \\d+ bytes$`, 'm'));
    expect(r.code).toBe(0);
    const bag = await readBag(out, { io: nodeBagIo });
    expect(bag.problems).toEqual([]);
    expect(bag.valid).toBe(true);
    expect(bag.info['External-Identifier']).toEqual([`lienthong:digital:${ingested[0]}`]);
    const paths = bag.files.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['files/0001-a.png', 'metadata/dublin-core.xml', 'metadata/object.json']));
    const master = one<{ sha256: string }>('SELECT sha256 FROM digital_files WHERE object_id = ?', ingested[0]);
    expect(bag.files.find((f) => f.path === 'files/0001-a.png')?.sha256).toBe(master.sha256);
  });

  it('imports the bag into another library as a new object', async (ctx) => {
    // Importing reads the new object's pages at once, in the command.
    if (!tesseract) ctx.skip(NO_OCR);
    const r = await lienthong(['bag', 'import', join(scratch, 'bag'), '--library', 'TVB']);
    const id = Number(/^bag imported as digital object (\d+) \(1 file\)$/m.exec(r.stderr)?.[1]);
    expect(r.code).toBe(0);
    expect(id).toBeGreaterThan(0);
    expect(ingested).not.toContain(id);
    expect(one<{ title: string; unit: string; state: string; processing: string; licence: string }>('SELECT o.title, u.code AS unit, o.state, o.processing, o.licence FROM digital_objects o JOIN org_units u ON u.id = o.owner_unit_id WHERE o.id = ?', id)).toEqual({
      title: 'Địa chí Kiên Giang',
      unit: 'TVB',
      state: 'qc',
      processing: 'done',
      licence: 'cc-by',
    });
    const sha = (objectId: number) => one<{ sha256: string }>('SELECT sha256 FROM digital_files WHERE object_id = ?', objectId).sha256;
    expect(sha(id)).toBe(sha(ingested[0]!));
  });
});
