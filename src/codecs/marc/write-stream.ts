/**
 * Writing MARC as a stream of byte chunks, in constant memory: each writer takes an (async)
 * iterable of records and yields `Uint8Array` chunks of about `chunkSize` bytes (64 KiB by
 * default), ready for `stream.Readable.from(...)` or a file handle.
 *
 * ```ts
 * const records = recordsOnly(readIso2709Stream(createReadStream('in.mrc')), report);
 * await pipeline(Readable.from(marcXmlChunks(records)), createWriteStream('out.xml'));
 * ```
 *
 * A record that cannot be written (over 99,999 bytes for ISO 2709, a tag that is not three
 * characters…) throws `MarcError`, unless `onError` is given: then it is reported there and left out.
 */
import { MarcError, type MarcIssue } from './errors.js';
import { RecordFailure } from './_issues.js';
import { Iso2709Encoder } from './_iso2709.js';
import { COLLECTION_END, COLLECTION_START, recordToXml, XML_DECLARATION } from './_marcxml.js';
import { recordToJson } from './_marcjson.js';
import type { MarcRecord } from './record.js';

export type RecordSource = AsyncIterable<MarcRecord> | Iterable<MarcRecord>;

export interface ChunkWriteOptions {
  /** Chunk size to aim for, in bytes (default 65,536). */
  chunkSize?: number;
  /** Records that cannot be written go here (and are left out) instead of throwing. */
  onError?: (issue: MarcIssue, record: MarcRecord) => void;
}

export interface MarcXmlChunkOptions extends ChunkWriteOptions {
  /** Start with `<?xml version="1.0" encoding="UTF-8"?>` (default false, as yaz-marcdump). */
  xmlDeclaration?: boolean;
  /** Called for each character dropped because XML cannot carry it. */
  onWarning?: (issue: MarcIssue) => void;
}

export interface MarcJsonChunkOptions extends ChunkWriteOptions {
  /** `lines` (default): JSON Lines, one record per line. `array`: one JSON array. */
  format?: 'lines' | 'array';
}

const DEFAULT_CHUNK = 65_536;

/** ISO 2709 (UTF-8, leader/09 `a`) as byte chunks. */
export async function* iso2709Chunks(records: RecordSource, options: ChunkWriteOptions = {}): AsyncGenerator<Uint8Array> {
  const size = options.chunkSize ?? DEFAULT_CHUNK;
  const encoder = new Iso2709Encoder();
  let chunk = new Uint8Array(Math.max(size, 100_000));
  let used = 0;
  let index = 0;
  for await (const record of records) {
    index++;
    let n: number;
    try {
      n = encoder.encode(record, index);
    } catch (e) {
      if (!(e instanceof RecordFailure)) throw e;
      if (!options.onError) throw new MarcError(e.issue);
      options.onError(e.issue, record);
      continue;
    }
    if (used + n > chunk.length) {
      yield chunk.subarray(0, used);
      chunk = new Uint8Array(chunk.length);
      used = 0;
    }
    encoder.copyTo(chunk, used);
    used += n;
    if (used >= size) {
      yield chunk.subarray(0, used);
      chunk = new Uint8Array(chunk.length);
      used = 0;
    }
  }
  if (used > 0) yield chunk.subarray(0, used);
}

/**
 * Text encoded as UTF-8 straight into chunks of about `size` bytes (no joining of strings: each
 * piece goes through `encodeInto` at the end of the current chunk).
 */
class TextChunker {
  #chunk: Uint8Array;
  #used = 0;
  readonly #encoder = new TextEncoder();
  constructor(readonly size: number) {
    this.#chunk = new Uint8Array(size + 4096);
  }
  /** Adds `s`; returns a full chunk when there is one to hand out. */
  add(s: string): Uint8Array | undefined {
    let out: Uint8Array | undefined;
    // A UTF-16 unit takes at most 3 bytes of UTF-8.
    if (this.#used > 0 && this.#used + s.length * 3 > this.#chunk.length) out = this.flush();
    if (s.length * 3 > this.#chunk.length) this.#chunk = new Uint8Array(s.length * 3);
    const { written } = this.#encoder.encodeInto(s, this.#used === 0 ? this.#chunk : this.#chunk.subarray(this.#used));
    this.#used += written;
    if (!out && this.#used >= this.size) out = this.flush();
    return out;
  }
  flush(): Uint8Array | undefined {
    if (this.#used === 0) return undefined;
    const out = this.#chunk.subarray(0, this.#used);
    this.#chunk = new Uint8Array(Math.max(this.size + 4096, this.#chunk.length));
    this.#used = 0;
    return out;
  }
}

/** A MARCXML `<collection>` as byte chunks; an empty source gives an empty collection. */
export async function* marcXmlChunks(records: RecordSource, options: MarcXmlChunkOptions = {}): AsyncGenerator<Uint8Array> {
  const out = new TextChunker(options.chunkSize ?? DEFAULT_CHUNK);
  out.add((options.xmlDeclaration ? XML_DECLARATION : '') + COLLECTION_START);
  let index = 0;
  for await (const record of records) {
    index++;
    let xml: string;
    try {
      xml = recordToXml(record, { index, onWarning: options.onWarning }, false);
    } catch (e) {
      // recordToXml only fails on records that are not records (missing fields array…).
      const issue: MarcIssue = { code: 'invalid-record', record: index, message: `record ${index}: ${e instanceof Error ? e.message : String(e)}` };
      if (!options.onError) throw new MarcError(issue);
      options.onError(issue, record);
      continue;
    }
    const chunk = out.add(xml);
    if (chunk) yield chunk;
  }
  out.add(COLLECTION_END);
  const last = out.flush();
  if (last) yield last;
}

/** MARC-in-JSON as byte chunks: JSON Lines (default) or one JSON array. */
export async function* marcJsonChunks(records: RecordSource, options: MarcJsonChunkOptions = {}): AsyncGenerator<Uint8Array> {
  const out = new TextChunker(options.chunkSize ?? DEFAULT_CHUNK);
  const array = options.format === 'array';
  let first = true;
  if (array) out.add('[');
  for await (const record of records) {
    const text = JSON.stringify(recordToJson(record));
    const chunk = out.add(array ? (first ? '\n' : ',\n') + text : text + '\n');
    first = false;
    if (chunk) yield chunk;
  }
  if (array) out.add(first ? ']\n' : '\n]\n');
  const last = out.flush();
  if (last) yield last;
}
