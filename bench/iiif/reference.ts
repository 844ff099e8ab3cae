/**
 * The IIIF benchmark's reference: IIPImage (Debian's `iipimage-server`, IIIF Image API 2.1) as a
 * FastCGI server on 127.0.0.1, fronted by lighttpd with mod_fastcgi, set up as in
 * `../shared/TOOLS.md`: one `iipsrv.fcgi` process, `FILESYSTEM_PREFIX` the folder of the TIFF.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { BenchFailure } from '../lib/context.js';

export const IIPSRV = '/usr/lib/iipimage-server/iipsrv.fcgi';
const LIGHTTPD_PATHS = ['/usr/sbin/lighttpd', '/usr/bin/lighttpd'];

/** What is missing to run the reference, or `undefined` when both programs are here. */
export function referenceMissing(): string | undefined {
  const missing = [existsSync(IIPSRV) ? undefined : `${IIPSRV} (Debian: iipimage-server)`, lighttpdPath() ? undefined : 'lighttpd (Debian: lighttpd)'].filter(Boolean);
  return missing.length ? missing.join(' and ') : undefined;
}

function lighttpdPath(): string | undefined {
  return LIGHTTPD_PATHS.find((p) => existsSync(p));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

export interface Reference {
  /** Base URL of lighttpd; IIIF requests go to `/iipsrv?IIIF=…`. */
  url: string;
  close(): Promise<void>;
}

export interface ReferenceOptions {
  /** The folder holding the pyramidal TIFF (FILESYSTEM_PREFIX). */
  dir: string;
  /** A file in `dir` to ask for while waiting for the server to answer. */
  file: string;
  /** IIPImage's in-memory cache of encoded tiles in MB (its default is 10; 0 turns it off). */
  cacheMb: number;
}

/** Starts iipsrv and lighttpd, and resolves once an `info.json` request is answered. */
export async function startReference(o: ReferenceOptions): Promise<Reference> {
  const lighttpd = lighttpdPath();
  if (!lighttpd || !existsSync(IIPSRV)) throw new BenchFailure(`the reference needs ${referenceMissing()}`);
  const [fcgiPort, httpPort] = [await freePort(), await freePort()];
  const conf = join(o.dir, `lighttpd-${httpPort}.conf`);
  writeFileSync(
    conf,
    [
      `server.document-root = "${o.dir}"`,
      `server.bind = "127.0.0.1"`,
      `server.port = ${httpPort}`,
      `server.modules = ( "mod_fastcgi" )`,
      `server.errorlog = "${join(o.dir, 'lighttpd-error.log')}"`,
      // Keep connections open for the whole run, as our server does.
      `server.max-keep-alive-requests = 1000000`,
      `server.max-keep-alive-idle = 60`,
      `fastcgi.server = ( "/iipsrv" => (( "host" => "127.0.0.1", "port" => ${fcgiPort}, "check-local" => "disable" )) )`,
      '',
    ].join('\n'),
  );
  // No MEMCACHED_SERVERS: IIPImage then uses no memcached, only its own in-process cache.
  const { MEMCACHED_SERVERS: _memcached, ...inherited } = process.env;
  const env = { ...inherited, FILESYSTEM_PREFIX: `${o.dir}/`, MAX_IMAGE_CACHE_SIZE: String(o.cacheMb), MAX_CVT: '5000', VERBOSITY: '0' };
  const iipsrv = spawn(IIPSRV, ['--bind', `127.0.0.1:${fcgiPort}`], { env, stdio: 'ignore' });
  const web = spawn(lighttpd, ['-D', '-f', conf], { stdio: ['ignore', 'ignore', 'pipe'] });
  let webErr = '';
  web.stderr?.on('data', (d: Buffer) => (webErr += d.toString()));
  const close = async () => {
    await Promise.all([stop(web), stop(iipsrv)]);
  };
  const url = `http://127.0.0.1:${httpPort}`;
  for (let i = 0; i < 100; i++) {
    const ok = await fetch(`${url}/iipsrv?IIIF=${o.file}/info.json`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url, close };
    if (web.exitCode !== null || iipsrv.exitCode !== null) break;
    await sleep(100);
  }
  await close();
  throw new BenchFailure(`IIPImage behind lighttpd did not answer at ${url}: ${webErr.trim() || 'no message'}`);
}
