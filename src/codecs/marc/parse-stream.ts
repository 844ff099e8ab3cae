/**
 * Reading MARC from streams of any size, in constant memory: the source is any (async) iterable of
 * byte chunks — a Node `Readable` (`fs.createReadStream(path)`), a web `ReadableStream`, an array
 * of `Uint8Array` — and the reader yields one result per record as soon as the record is complete.
 * Chunk boundaries do not matter: a record split over a thousand 1 KB chunks reads the same as in
 * one piece.
 *
 * ```ts
 * for await (const r of readIso2709Stream(createReadStream('catalogue.mrc'))) {
 *   if (r.ok) save(r.record);
 *   else quarantine(r.error.message, r.raw);     // 'record 12 (byte 40213): directory entry 3 …'
 * }
 * ```
 *
 * One bad record never stops the stream: after damage the ISO 2709 reader resynchronises on the
 * next record terminator (0x1D), the MARCXML reader on the next `<record>`, the JSON reader on the
 * next line.
 */
import type { MarcFailure, MarcResult } from './errors.js';
import { Iso2709Reader } from './_iso2709.js';
import { MarcXmlReader } from './_marcxml.js';
import { MarcJsonReader } from './_marcjson.js';
import { isoOptions, type Iso2709ReadOptions, type MarcJsonReadOptions, type MarcXmlReadOptions } from './parse.js';
import type { MarcRecord } from './record.js';

/** Byte chunks: a Node Readable, a web ReadableStream, an array of Uint8Array, a generator… */
export type ByteSource = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** Records of an ISO 2709 stream, one result each. */
export async function* readIso2709Stream(source: ByteSource, options?: Iso2709ReadOptions): AsyncGenerator<MarcResult> {
  const reader = new Iso2709Reader(isoOptions(options));
  for await (const chunk of source) {
    reader.push(chunk);
    yield* reader.drain(false);
  }
  yield* reader.drain(true);
}

/** Records of a MARCXML stream (bytes, or text already decoded), one result each. */
export async function* readMarcXmlStream(source: ByteSource | AsyncIterable<string> | Iterable<string>, options?: MarcXmlReadOptions): AsyncGenerator<MarcResult> {
  const reader = new MarcXmlReader({ strict: options?.strict ?? false, normalize: options?.normalize ?? true });
  for await (const chunk of source) {
    yield* typeof chunk === 'string' ? reader.pushText(chunk) : reader.pushBytes(chunk);
  }
  yield* reader.end();
}

/** Records of a MARC-in-JSON stream (a JSON array, or JSON Lines), one result each. */
export async function* readMarcJsonStream(source: ByteSource | AsyncIterable<string> | Iterable<string>, options?: MarcJsonReadOptions): AsyncGenerator<MarcResult> {
  const reader = new MarcJsonReader({ strict: options?.strict ?? false, normalize: options?.normalize ?? true });
  for await (const chunk of source) {
    yield* typeof chunk === 'string' ? reader.pushText(chunk) : reader.pushBytes(chunk);
  }
  yield* reader.end();
}

/**
 * Just the records of a result stream, for piping into a writer; each failure goes to
 * `onFailure` (by default failures are skipped silently, so pass one).
 */
export async function* recordsOnly(results: AsyncIterable<MarcResult> | Iterable<MarcResult>, onFailure?: (failure: MarcFailure) => void): AsyncGenerator<MarcRecord> {
  for await (const r of results) {
    if (r.ok) yield r.record;
    else onFailure?.(r);
  }
}
