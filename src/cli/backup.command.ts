/**
 * `lienthong backup <dir>`: a consistent copy of a SQLite installation while the server runs —
 * the database through SQLite's online backup API, then the files and the session secret — and a
 * check that the copy opens and passes `PRAGMA integrity_check`. PostgreSQL is backed up with
 * its own tool, pg_dump.
 */
import { existsSync } from 'node:fs';
import { chmod, copyFile, cp, mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import SQLite from 'better-sqlite3';
import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { openDatabase } from '../adapters/db/database.js';
import { CliError, contextFor, describeDatabase, type CliContext, type CliDeps } from './context.js';
import { formatBytes } from './table.js';

/** Pages per backup step. Bigger steps mean fewer chances for a concurrent write to restart the copy. */
const PAGES_PER_STEP = 2000;

/** `20250701T083000Z`: sorts by time, safe in file names everywhere. */
export function backupStamp(d: Date): string {
  return d.toISOString().slice(0, 19).replace(/[-:]/g, '') + 'Z';
}

async function copyDatabase(ctx: CliContext, target: string): Promise<void> {
  const handle = openDatabase({ url: ctx.config.databaseUrl });
  const bar = process.stderr.isTTY ? new cliProgress.SingleBar({ format: `${ctx.say('backup.progress')} [{bar}] {percentage}%`, stream: process.stderr, clearOnComplete: true }, cliProgress.Presets.shades_classic) : undefined;
  try {
    bar?.start(100, 0);
    await handle.sqlite!.backup(target, {
      progress: ({ totalPages, remainingPages }) => {
        bar?.update(totalPages === 0 ? 100 : Math.round((100 * (totalPages - remainingPages)) / totalPages));
        return PAGES_PER_STEP;
      },
    });
  } finally {
    bar?.stop();
    await handle.close();
  }
}

/**
 * Makes the copy a single self-contained file (no -wal or -shm beside it), runs SQLite's
 * integrity check on it and counts its org units.
 */
function verifyCopy(file: string): { check: string; units: number } {
  const db = new SQLite(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
    const check = String(db.pragma('integrity_check', { simple: true }));
    if (check !== 'ok') return { check, units: 0 };
    return { check, units: (db.prepare('SELECT COUNT(*) AS n FROM org_units').get() as { n: number }).n };
  } finally {
    db.close();
  }
}

async function countFiles(dir: string): Promise<{ count: number; bytes: number }> {
  let count = 0;
  let bytes = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    count++;
    bytes += (await stat(join(entry.parentPath, entry.name))).size;
  }
  return { count, bytes };
}

export function registerBackup(program: Command, deps: CliDeps): void {
  program
    .command('backup')
    .summary('copy a SQLite installation while the server runs')
    .description(
      'Copy a SQLite installation into a directory while the server keeps running: the database ' +
        '(lienthong-<time>.sqlite, checked with PRAGMA integrity_check), the files folder and the session secret. ' +
        'For PostgreSQL use pg_dump (see docs/deploy.md).',
    )
    .argument('<destination dir>', 'where to put the copy (created if missing)')
    .addHelpText(
      'after',
      `
Examples:
  $ lienthong backup /var/backups/lienthong
  $ lienthong --data-dir /srv/lienthong backup /mnt/usb/lienthong

Restore by stopping the server and putting the copies back in the data directory:
lienthong-<time>.sqlite as lienthong.sqlite, lienthong-<time>-files as files,
lienthong-<time>-session-secret as session-secret.`,
    )
    .action(async (destination: string, _opts: unknown, cmd: Command) => {
      const ctx = contextFor(cmd, deps);
      const { config } = ctx;
      if (config.database === 'postgres') {
        // Not a failure of ours: the right tool for this database is another one.
        ctx.note(ctx.say('backup.postgres'));
        process.exitCode = 1;
        return;
      }
      if (config.databaseUrl === ':memory:') throw new CliError(ctx.say('backup.memory'));
      if (!existsSync(config.databaseUrl)) throw new CliError(ctx.say('backup.noDatabase', { database: describeDatabase(config) }));

      const dir = resolve(destination);
      await mkdir(dir, { recursive: true });
      const base = join(dir, `lienthong-${backupStamp(new Date())}`);
      const dbCopy = `${base}.sqlite`;
      const filesCopy = `${base}-files`;
      const secretCopy = `${base}-session-secret`;
      for (const p of [dbCopy, filesCopy, secretCopy]) if (existsSync(p)) throw new CliError(ctx.say('backup.exists', { file: p }));

      // The database first: files it refers to exist by then and are copied after it.
      let units: number;
      try {
        await copyDatabase(ctx, dbCopy);
        // It holds password hashes: readable by its owner only.
        await chmod(dbCopy, 0o600);
        const verified = verifyCopy(dbCopy);
        if (verified.check !== 'ok') throw new CliError(ctx.say('backup.integrity', { file: dbCopy, result: verified.check }));
        units = verified.units;
      } catch (e) {
        // A partial or damaged copy must not be mistaken for a backup.
        await rm(dbCopy, { force: true });
        throw e;
      }
      ctx.out(ctx.say('backup.database', { file: dbCopy, size: formatBytes((await stat(dbCopy)).size), units }));

      const files = join(config.dataDir, 'files');
      if (existsSync(files)) {
        await cp(files, filesCopy, { recursive: true, errorOnExist: true, force: false, preserveTimestamps: true });
        const { count, bytes } = await countFiles(filesCopy);
        ctx.out(ctx.say('backup.files', { dir: filesCopy, count, size: formatBytes(bytes) }));
      } else {
        ctx.out(ctx.say('backup.noFiles', { dir: files }));
      }

      const secret = join(config.dataDir, 'session-secret');
      if (existsSync(secret)) {
        await copyFile(secret, secretCopy);
        await chmod(secretCopy, 0o600);
        ctx.out(ctx.say('backup.secret', { file: secretCopy }));
        ctx.note(ctx.say('backup.secretNote'));
      }
    });
}
