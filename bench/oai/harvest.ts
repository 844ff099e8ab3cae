/**
 * The OAI benchmark's harvester: `ListRecords` from the first page to the last, following
 * resumption tokens, as an aggregator harvests us. Each answer is streamed and scanned as bytes:
 * `<record>` start tags are counted and `<error` looked for, across chunk boundaries, while only
 * the first and last few kilobytes of a page are kept (for an error's text, and for the
 * resumption token, which closes the page). Nothing else of a page stays in memory.
 *
 * Any page that is not HTTP 200, carries an OAI error, is cut short (no `</OAI-PMH>`) or comes
 * after an empty token is a `BenchFailure`: the benchmark measures a harvest that worked.
 */
import { Agent, get, type IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createGunzip } from 'node:zlib';
import { BenchFailure } from '../lib/context.js';

export const CONTENT_ENCODINGS = ['identity', 'gzip', 'br'] as const;
export type ContentEncoding = (typeof CONTENT_ENCODINGS)[number];

export interface HarvestOptions {
  /** The server's base URL (`http://127.0.0.1:<port>`). */
  base: string;
  metadataPrefix: string;
  /** What the harvester sends as `Accept-Encoding`. */
  encoding: ContentEncoding;
  /** Called after each page with the records received so far. */
  onPage?: (records: number) => void;
  /** Stop after the page that brings the records to this many (a warm-up); by default the whole list. */
  limit?: number;
}

export interface HarvestResult {
  records: number;
  pages: number;
  seconds: number;
  /** Bytes of XML received (after decompression). */
  bytes: number;
  /** Bytes on the wire (the bodies as sent). */
  wireBytes: number;
  /** `completeListSize` of the first token, if the list was paged. */
  completeListSize: number | null;
  /** `Content-Encoding` of the answers. */
  contentEncoding: string;
  /** Milliseconds from request to last byte, per page, in order. */
  pageMs: number[];
}

const RECORD_TAG = Buffer.from('<record>');
const ERROR_TAG = Buffer.from('<error');
const END_TAG = '</OAI-PMH>';
/** A token is a few hundred bytes and closes the page: the last 8 KiB hold it whole. */
const KEPT_TAIL = 8192;
const KEPT_HEAD = 4096;

/** Counts a pattern in a byte stream fed in chunks, matches across chunk boundaries included. */
class PatternCounter {
  readonly #pattern: Buffer;
  #carry: Buffer = Buffer.alloc(0);
  count = 0;
  constructor(pattern: Buffer) {
    this.#pattern = pattern;
  }
  feed(chunk: Buffer): void {
    // The carry is shorter than the pattern, so a match found here was not counted before.
    const s = this.#carry.length === 0 ? chunk : Buffer.concat([this.#carry, chunk]);
    for (let at = s.indexOf(this.#pattern); at >= 0; at = s.indexOf(this.#pattern, at + this.#pattern.length)) this.count++;
    this.#carry = Buffer.from(s.subarray(Math.max(0, s.length - (this.#pattern.length - 1))));
  }
}

/** What one page held, from its scan. */
interface PageScan {
  status: number;
  records: number;
  errors: number;
  head: string;
  tail: string;
  bytes: number;
  wireBytes: number;
  contentEncoding: string;
}

function decoderFor(encoding: string) {
  if (encoding === 'gzip') return createGunzip();
  if (encoding === 'br') return createBrotliDecompress();
  return null;
}

async function scanPage(res: IncomingMessage): Promise<PageScan> {
  const records = new PatternCounter(RECORD_TAG);
  const errors = new PatternCounter(ERROR_TAG);
  const contentEncoding = String(res.headers['content-encoding'] ?? 'identity');
  let wireBytes = 0;
  let bytes = 0;
  let head = Buffer.alloc(0);
  let tail = Buffer.alloc(0);
  const decoder = decoderFor(contentEncoding);
  // Piped into the decoder, the body flows as 'data' events: counting them does not change the flow.
  if (decoder) res.on('data', (b: Buffer) => (wireBytes += b.length));
  const sink = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      bytes += chunk.length;
      records.feed(chunk);
      errors.feed(chunk);
      if (head.length < KEPT_HEAD) head = Buffer.concat([head, chunk.subarray(0, KEPT_HEAD - head.length)]);
      tail = chunk.length >= KEPT_TAIL ? Buffer.from(chunk.subarray(chunk.length - KEPT_TAIL)) : Buffer.concat([tail, chunk]).subarray(-KEPT_TAIL);
    }
  };
  if (decoder) await pipeline(res, decoder, sink);
  else await pipeline(res, sink);
  if (!decoder) wireBytes = bytes;
  return { status: res.statusCode ?? 0, records: records.count, errors: errors.count, head: head.toString('utf8'), tail: tail.toString('utf8'), bytes, wireBytes, contentEncoding };
}

function request(agent: Agent, url: string, encoding: ContentEncoding): Promise<PageScan> {
  return new Promise((resolve, reject) => {
    const req = get(url, { agent, headers: { 'accept-encoding': encoding, 'user-agent': 'lienthong-bench-oai' } }, (res) => {
      scanPage(res).then(resolve, reject);
    });
    req.on('error', reject);
  });
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const unescapeXml = (s: string) => s.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e]!);

/** The page's `<resumptionToken>`: absent (`null`), empty (the last page) or a token, with its list size. */
export function resumptionOf(tail: string): { token: string; completeListSize: number | null } | null {
  const m = /<resumptionToken\b([^>]*?)(?:\/>|>([^<]*)<\/resumptionToken>)/.exec(tail);
  if (!m) return null;
  const size = /\bcompleteListSize="(\d+)"/.exec(m[1]!);
  return { token: unescapeXml(m[2] ?? '').trim(), completeListSize: size ? Number(size[1]) : null };
}

/** The first OAI error of a page, as text for a failure message. */
function errorText(head: string): string {
  const m = /<error\b[^>]*>[^<]*<\/error>|<error\b[^>]*\/>/.exec(head);
  return m ? m[0] : head.slice(0, 600);
}

/** One whole `ListRecords` harvest; throws `BenchFailure` on any page that is not a good one. */
export async function harvest(o: HarvestOptions): Promise<HarvestResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const pageMs: number[] = [];
  let records = 0;
  let bytes = 0;
  let wireBytes = 0;
  let completeListSize: number | null = null;
  let contentEncoding = '';
  let query = `verb=ListRecords&metadataPrefix=${encodeURIComponent(o.metadataPrefix)}`;
  const t0 = performance.now();
  try {
    for (;;) {
      const p0 = performance.now();
      const page = await request(agent, `${o.base}/oai?${query}`, o.encoding);
      pageMs.push(performance.now() - p0);
      const n = pageMs.length;
      const where = `${o.metadataPrefix}, page ${n} (after ${records} records)`;
      if (page.status !== 200) throw new BenchFailure(`${where}: HTTP ${page.status}: ${page.head.slice(0, 600)}`);
      if (page.errors > 0) throw new BenchFailure(`${where}: an OAI error: ${errorText(page.head)}`);
      if (!page.tail.trimEnd().endsWith(END_TAG)) throw new BenchFailure(`${where}: the answer stops before ${END_TAG} (${page.bytes} bytes): …${page.tail.slice(-300)}`);
      records += page.records;
      bytes += page.bytes;
      wireBytes += page.wireBytes;
      contentEncoding ||= page.contentEncoding;
      o.onPage?.(records);
      const next = resumptionOf(page.tail);
      if (n === 1) completeListSize = next?.completeListSize ?? null;
      if (next === null || next.token === '' || (o.limit !== undefined && records >= o.limit)) break;
      if (page.records === 0) throw new BenchFailure(`${where}: a page without records carries a resumption token`);
      query = `verb=ListRecords&resumptionToken=${encodeURIComponent(next.token)}`;
    }
  } finally {
    agent.destroy();
  }
  return { records, pages: pageMs.length, seconds: (performance.now() - t0) / 1000, bytes, wireBytes, completeListSize, contentEncoding, pageMs };
}
