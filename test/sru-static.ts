/**
 * A remote library we did not write: a tiny Node HTTP server on 127.0.0.1 answering SRU
 * searchRetrieve requests with the stored responses of `test/fixtures/sru-remote/` (see its
 * README). Each remote lives under its own path (`/loc`, `/k2`, `/dc`…), so one server plays
 * several libraries. It keeps every request URL it received, so tests can check what was asked,
 * and `/slow` never answers, for time limits.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'sru-remote');

/** Remotes that answer from files, and the media type each sends. */
const REMOTES: Record<string, string> = {
  loc: 'text/xml; charset=UTF-8',
  k2: 'application/sru+xml; charset=utf-8',
  dc: 'text/xml;charset=utf-8',
  bnf: 'text/xml;charset=UTF-8',
  diag: 'text/xml',
  broken: 'text/xml; charset=UTF-8',
  explain: 'text/xml; charset=UTF-8',
  twin: 'application/sru+xml; charset=utf-8',
};

export interface SruStatic {
  /** `http://127.0.0.1:<port>`. */
  base: string;
  /** The base URL of a remote: `url('loc')` → `http://127.0.0.1:<port>/loc`. */
  url(remote: string): string;
  /** Every request received, in order. */
  requests: URL[];
  close(): Promise<void>;
}

function file(...parts: string[]): string | undefined {
  const path = join(ROOT, ...parts);
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
}

/** Which stored response answers a request to a remote. */
function answer(remote: string, q: URLSearchParams): string | undefined {
  if (/zzzz/i.test(q.get('query') ?? '')) return file('empty.xml');
  const start = Number(q.get('startRecord') ?? '1') || 1;
  const max = Number(q.get('maximumRecords') ?? '10') || 10;
  // Remotes without stored records (diagnostics, broken answers) answer everything the same way.
  if (!existsSync(join(ROOT, remote, 'record-1.xml'))) return file(remote, 'search.xml');
  if (max === 1) return file(remote, `record-${start}.xml`) ?? file('out-of-range.xml');
  if (start > 1) return file(remote, `page-${Math.floor((start - 1) / max) + 1}.xml`) ?? file('out-of-range.xml');
  return file(remote, 'search.xml');
}

export async function startSruStatic(): Promise<SruStatic> {
  const requests: URL[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url);
    const remote = url.pathname.replace(/^\/+|\/+$/g, '');
    if (remote === 'slow') return; // never answers; the server's close ends the connection
    if (remote === 'html') {
      res.writeHead(503, { 'content-type': 'text/html' });
      res.end(file('html', 'search.html'));
      return;
    }
    const type = REMOTES[remote];
    const body = type ? answer(remote, url.searchParams) : undefined;
    if (!type || body === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Not Found');
      return;
    }
    res.writeHead(200, { 'content-type': type });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const base = `http://127.0.0.1:${port}`;
  return {
    base,
    url: (remote) => `${base}/${remote}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
