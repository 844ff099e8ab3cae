/**
 * A provider we did not write, for the harvester's tests: a tiny HTTP server that serves the
 * folders of `test/fixtures/oai-repo/` as static OAI-PMH repositories at `/<folder>/oai`. Each
 * folder's `mapping.txt` maps a request's query string (pairs of lines: the query, then the file
 * answering it — pyoai's format; arguments may come in any order) to a stored response. A request
 * not in the mapping gets HTTP 404. Responses are gzipped when the client accepts it, as real
 * repositories do.
 *
 * Tests can make a repository misbehave: answer the next requests with an HTTP error (`fail`),
 * or accept requests and never answer (`stall`), and see every request made (`requests`).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const OAI_REPO_FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'oai-repo');

/** A query's arguments, decoded and sorted, as one comparable string. */
function canonical(query: string): string {
  const pairs = [...new URLSearchParams(query)].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
  return JSON.stringify(pairs);
}

function readMapping(folder: string): Map<string, string> {
  const lines = readFileSync(join(folder, 'mapping.txt'), 'utf8')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
  const out = new Map<string, string>();
  for (let i = 0; i + 1 < lines.length; i += 2) out.set(canonical(lines[i]!), lines[i + 1]!);
  return out;
}

export interface OaiRequestSeen {
  repo: string;
  /** The query's arguments, decoded. */
  args: Record<string, string>;
}

export interface OaiStatic {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  /** The base URL of one repository (a folder of the fixtures). */
  base(repo: string): string;
  /** Every request received, in order. */
  readonly requests: OaiRequestSeen[];
  /**
   * Answers `times` requests to `repo` with this HTTP status (and `Retry-After`, if given), after
   * letting the next `after` requests through normally.
   */
  fail(repo: string, o: { status: number; times: number; after?: number; retryAfter?: string }): void;
  /** Accepts requests to `repo` and never answers them (until `unstall` or `close`). */
  stall(repo: string): void;
  unstall(repo: string): void;
  close(): Promise<void>;
}

export async function startOaiStatic(root: string = OAI_REPO_FIXTURES): Promise<OaiStatic> {
  const mappings = new Map<string, Map<string, string>>();
  const failures = new Map<string, { status: number; times: number; after?: number; retryAfter?: string }>();
  const stalled = new Set<string>();
  const held: ServerResponse[] = [];
  const requests: OaiRequestSeen[] = [];

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const m = /^\/([a-z0-9-]+)\/oai$/.exec(url.pathname);
    if (!m || req.method !== 'GET') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const repo = m[1]!;
    requests.push({ repo, args: Object.fromEntries(url.searchParams) });
    if (stalled.has(repo)) {
      held.push(res);
      return;
    }
    const failure = failures.get(repo);
    if (failure && failure.after) failure.after--;
    else if (failure && failure.times > 0) {
      failure.times--;
      res.writeHead(failure.status, { 'content-type': 'text/plain', ...(failure.retryAfter !== undefined ? { 'retry-after': failure.retryAfter } : {}) }).end(`HTTP ${failure.status}`);
      return;
    }
    let mapping = mappings.get(repo);
    if (!mapping) {
      try {
        mapping = readMapping(join(root, repo));
      } catch {
        res.writeHead(404, { 'content-type': 'text/plain' }).end(`no repository ${repo}`);
        return;
      }
      mappings.set(repo, mapping);
    }
    const file = mapping.get(canonical(url.search));
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no fixture for ${url.search}`);
      return;
    }
    const body = readFileSync(join(root, repo, file));
    const type = file.endsWith('.html') ? 'text/html; charset=utf-8' : 'text/xml; charset=utf-8';
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''))) {
      res.writeHead(200, { 'content-type': type, 'content-encoding': 'gzip' }).end(gzipSync(body));
    } else {
      res.writeHead(200, { 'content-type': type, 'content-length': body.length }).end(body);
    }
  };

  const server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    base: (repo) => `${url}/${repo}/oai`,
    requests,
    fail: (repo, o) => void failures.set(repo, { ...o }),
    stall: (repo) => void stalled.add(repo),
    unstall: (repo) => void stalled.delete(repo),
    close: async () => {
      for (const r of held) r.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
