/**
 * Reading MARC from data already in memory: ISO 2709 bytes, MARCXML text, MARC-in-JSON.
 *
 * The `read*` functions never throw on bad input. They return one result per record, in input
 * order: `{ ok: true, record, warnings }` or `{ ok: false, error }` with the exact position.
 * The `parse*` functions return bare records and throw `MarcError` at the first failed record, for
 * callers that want all or nothing.
 *
 * ```ts
 * const results = readIso2709(bytes);                 // lenient: repairs with warnings
 * const strict = readIso2709(bytes, { strict: true }); // the first problem fails the record
 * const records = parseMarcXml(xml);                   // throws MarcError on a broken record
 * ```
 *
 * For files of any size, use the streaming readers in `parse-stream.ts`: the same code, fed chunk
 * by chunk.
 */
import { recordsOrThrow, type MarcReadOptions, type MarcResult } from './errors.js';
import { Iso2709Reader, type Iso2709Encoding, type Iso2709Options } from './_iso2709.js';
import { MarcXmlReader } from './_marcxml.js';
import { MarcJsonReader } from './_marcjson.js';
import type { MarcRecord } from './record.js';

export type { Iso2709Encoding } from './_iso2709.js';

export interface Iso2709ReadOptions extends MarcReadOptions {
  /**
   * The character set of the records. `auto` (the default) follows leader/09 (MARC 21: `a` =
   * UTF-8, blank = MARC-8), except that a record marked MARC-8 whose bytes are UTF-8 (multibyte
   * characters, no MARC-8 escapes) is read as UTF-8 with a warning. Whatever the input, records come
   * out as Unicode (NFC) with leader/09 `a`.
   */
  encoding?: Iso2709Encoding;
  /**
   * When a record's length is missing or wrong, the reader looks for its record terminator at most
   * this far (default 1,000,000 bytes) before giving the record up.
   */
  maxRecordBytes?: number;
}

export type MarcXmlReadOptions = MarcReadOptions;
export type MarcJsonReadOptions = MarcReadOptions;

/** @internal Options with defaults filled in. */
export function isoOptions(options: Iso2709ReadOptions = {}): Iso2709Options {
  return {
    strict: options.strict ?? false,
    encoding: options.encoding ?? 'auto',
    maxRecordBytes: Math.max(100_000, options.maxRecordBytes ?? 1_000_000),
    normalize: options.normalize ?? true,
  };
}

/** Every record of an ISO 2709 file (`.mrc`) held in memory; an empty input gives no results. */
export function readIso2709(input: Uint8Array, options?: Iso2709ReadOptions): MarcResult[] {
  const reader = new Iso2709Reader(isoOptions(options));
  reader.push(input);
  return [...reader.drain(true)];
}

/** The records of an ISO 2709 input; throws `MarcError` at the first record that fails. */
export function parseIso2709(input: Uint8Array, options?: Iso2709ReadOptions): MarcRecord[] {
  return recordsOrThrow(readIso2709(input, options));
}

/**
 * Every `<record>` of a MARCXML document (MARC 21 slim, `http://www.loc.gov/MARC21/slim`, with or
 * without a prefix; a bare `<record>` root too). Records may sit inside other markup, such as an
 * OAI-PMH response. DOCTYPE and entity declarations are refused.
 */
export function readMarcXml(input: string | Uint8Array, options?: MarcXmlReadOptions): MarcResult[] {
  const reader = new MarcXmlReader({ strict: options?.strict ?? false, normalize: options?.normalize ?? true });
  const out = typeof input === 'string' ? [...reader.pushText(input)] : [...reader.pushBytes(input)];
  out.push(...reader.end());
  return out;
}

/** The records of a MARCXML document; throws `MarcError` at the first record that fails. */
export function parseMarcXml(input: string | Uint8Array, options?: MarcXmlReadOptions): MarcRecord[] {
  return recordsOrThrow(readMarcXml(input, options));
}

/**
 * Records in MARC-in-JSON (the code4lib format yaz writes): one record object, a JSON array of
 * them, or JSON Lines (one record per line). Already-parsed JSON values are accepted too.
 */
export function readMarcJson(input: string | Uint8Array | object, options?: MarcJsonReadOptions): MarcResult[] {
  const reader = new MarcJsonReader({ strict: options?.strict ?? false, normalize: options?.normalize ?? true });
  if (typeof input === 'string') return [...reader.pushText(input), ...reader.end()];
  if (input instanceof Uint8Array) return [...reader.pushBytes(input), ...reader.end()];
  return [...reader.values(Array.isArray(input) ? input : [input])];
}

/** The records of MARC-in-JSON input; throws `MarcError` at the first record that fails. */
export function parseMarcJson(input: string | Uint8Array | object, options?: MarcJsonReadOptions): MarcRecord[] {
  return recordsOrThrow(readMarcJson(input, options));
}
