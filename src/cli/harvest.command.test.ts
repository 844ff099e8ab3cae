/**
 * `lienthong harvest` run in-process (the program is built fresh per call, with the test's own
 * container), on SQLite and PostgreSQL, against the static OAI-PMH repositories of
 * `test/oai-static.ts`. What goes to stdout and stderr is captured.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { describeEachDialect } from '../../test/dialects.js';
import { treeEnv, type TreeEnv } from '../../test/factories.js';
import { startOaiStatic, type OaiStatic } from '../../test/oai-static.js';
import { systemActor } from '../app/actor.js';
import { AppError } from '../domain/errors.js';
import { buildProgram } from './program.js';
import { CliError } from './context.js';

describeEachDialect('lienthong harvest', (dialect) => {
  let x: TreeEnv;
  let oai: OaiStatic;
  let dir: string;

  beforeAll(async () => {
    // Vite sets BASE_URL to "/" for the tests; the command line reads the configuration from the environment.
    vi.stubEnv('BASE_URL', 'http://127.0.0.1:8080');
    dir = await mkdtemp(join(tmpdir(), 'lienthong-harvest-cli-'));
    oai = await startOaiStatic();
    x = await treeEnv(dialect, { container: { harvestLimits: { retryDelayMs: 10 } } });
  });
  afterAll(async () => {
    vi.unstubAllEnvs();
    await x?.env.dispose();
    await oai?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const sys = systemActor('test');
  const source = (code: string, repo: string, o: Record<string, unknown> = {}) =>
    x.c.services.harvest.create(sys, { code, name: code, baseUrl: oai.base(repo), metadataPrefix: 'oai_dc', unitId: x.t.prov.id, ...o });

  /** Runs the command; its output, and the exit status it set. */
  async function lienthong(args: readonly string[]): Promise<{ stdout: string; stderr: string; exitCode: number }> {
    let stdout = '';
    let stderr = '';
    const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
    const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
    const before = process.exitCode;
    process.exitCode = 0;
    try {
      const program = buildProgram({ openContainer: async () => ({ ...x.c, close: async () => undefined }), startServer: () => Promise.reject(new Error('no server in this test')) }, '0.0.0');
      await program.parseAsync(['node', 'lienthong', '--data-dir', dir, ...args]);
      return { stdout, stderr, exitCode: Number(process.exitCode ?? 0) };
    } finally {
      out.mockRestore();
      err.mockRestore();
      process.exitCode = before;
    }
  }

  it('harvests one source by its code and prints its counts', async () => {
    await source('DSPACE', 'dspace');
    const r = await lienthong(['harvest', 'DSPACE']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^DSPACE\trun #\d+\tdone\tpages 1\tnew 16\tupdated 0\tdeleted 0\tfailed 0\n$/);
    expect(r.stderr).toContain(`Harvesting DSPACE from ${oai.base('dspace')}…`);
    expect(r.stderr).toContain('Page 1: 16 new, 0 updated, 0 deleted, 0 failed');
    // Again: nothing new since (noRecordsMatch).
    const again = await lienthong(['harvest', 'DSPACE']);
    expect(again.stdout).toMatch(/^DSPACE\trun #\d+\tdone\tpages 0\tnew 0\tupdated 0\tdeleted 0\tfailed 0\n$/);
  });

  it('lists the records it could not take, in the language asked for', async () => {
    await source('KOHA', 'marc', { metadataPrefix: 'marc21' });
    const r = await lienthong(['--lang', 'vi', 'harvest', 'KOHA']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^KOHA\tlần #\d+\tdone\ttrang 1\tmới 1\tcập nhật 0\txoá 0\tlỗi 3\n$/);
    expect(r.stderr).toContain('  oai:opac.example.vn:AG:1002: Biểu ghi vi phạm quy tắc MARC 21. (245 field-not-repeatable)');
    expect(r.stderr).toContain('  oai:opac.example.vn:AG:1003: Biểu ghi không có nhan đề.');
  });

  it('fails with status 1 and says why when the address is no OAI-PMH repository', async () => {
    await source('WEB', 'html');
    const r = await lienthong(['harvest', 'WEB']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/^WEB\trun #\d+\tfailed\tpages 0\t/);
    expect(r.stderr).toMatch(/WEB: This address does not answer as an OAI-PMH repository \(Identify gave no valid answer\)\. Check the base URL\. \(line 1, column \d+: /);
  });

  it('--all-due harvests the sources whose time has come, once', async () => {
    await source('DUE-1', 'paged', { setSpec: 'kg', intervalHours: 24 });
    await source('DUE-2', 'dspace', { intervalHours: 12 });
    await source('OFF', 'dspace', { intervalHours: 12, enabled: false });
    const r = await lienthong(['harvest', '--all-due']);
    expect(r.exitCode).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines.map((l) => l.split('\t')[0]).sort()).toEqual(['DUE-1', 'DUE-2']);
    expect(lines.find((l) => l.startsWith('DUE-1'))).toMatch(/\tdone\tpages 3\tnew 4\t/);
    const again = await lienthong(['harvest', '--all-due']);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('No source is due for harvesting.');
  });

  it('refuses an unknown source and a wrong use', async () => {
    await expect(lienthong(['harvest', 'NOPE'])).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(lienthong(['harvest', 'NOPE'])).rejects.toBeInstanceOf(AppError);
    await expect(lienthong(['harvest'])).rejects.toMatchObject({ exitCode: 2 });
    await expect(lienthong(['harvest', 'DSPACE', '--all-due'])).rejects.toBeInstanceOf(CliError);
  });
});
