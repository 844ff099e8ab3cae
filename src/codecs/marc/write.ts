/**
 * Writing MARC records held in memory: ISO 2709, MARCXML, MARC-in-JSON. Output is always Unicode:
 * ISO 2709 in UTF-8 with leader/09 `a` (MARC-8 is read, never written).
 *
 * ```ts
 * const bytes = writeIso2709(records);            // throws MarcError for a record over 99,999 bytes
 * const xml = writeMarcXml(records);              // <collection xmlns="http://www.loc.gov/MARC21/slim">…
 * const one = writeMarcXml(record);               // <record xmlns="…">…</record>
 * const json = writeMarcJson(record);             // {"leader":"…","fields":[…]}
 * ```
 *
 * For output of any size, use the chunk writers in `write-stream.ts`.
 */
import { MarcError, type MarcIssue } from './errors.js';
import { RecordFailure } from './_issues.js';
import { Iso2709Encoder } from './_iso2709.js';
import { COLLECTION_END, COLLECTION_START, recordToXml, XML_DECLARATION } from './_marcxml.js';
import { recordToJson } from './_marcjson.js';
import type { MarcRecord } from './record.js';

export { MAX_RECORD_LENGTH } from './_iso2709.js';

export interface MarcXmlWriteOptions {
  /** Wrap records in `<collection>`. Default: true for an array, false for a single record. */
  collection?: boolean;
  /** Start with `<?xml version="1.0" encoding="UTF-8"?>`. Default false (as yaz-marcdump writes). */
  xmlDeclaration?: boolean;
  /**
   * Called for each character dropped because XML cannot carry it (control characters other than
   * tab, line feed and carriage return; unpaired surrogates).
   */
  onWarning?: (issue: MarcIssue) => void;
}

export interface MarcJsonWriteOptions {
  /** Indent for pretty printing (as `JSON.stringify`); default none: one line per record. */
  indent?: number | string;
}

/**
 * ISO 2709 bytes for one record or many, one after another. Throws `MarcError` (code
 * `record-too-long`) for a record of more than 99,999 bytes, or `invalid-record` for one that
 * cannot be encoded (a tag that is not three characters, a terminator inside a value…).
 */
export function writeIso2709(records: MarcRecord | readonly MarcRecord[]): Uint8Array {
  const list = Array.isArray(records) ? records : [records as MarcRecord];
  const encoder = new Iso2709Encoder();
  const parts: Uint8Array[] = [];
  let total = 0;
  list.forEach((r, i) => {
    let n: number;
    try {
      n = encoder.encode(r, i + 1);
    } catch (e) {
      if (e instanceof RecordFailure) throw new MarcError(e.issue);
      throw e;
    }
    const out = new Uint8Array(n);
    encoder.copyTo(out, 0);
    parts.push(out);
    total += n;
  });
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** MARCXML text for one record (a `<record>` with its namespace) or many (a `<collection>`). */
export function writeMarcXml(records: MarcRecord | readonly MarcRecord[], options: MarcXmlWriteOptions = {}): string {
  const many = Array.isArray(records);
  const list = many ? records : [records as MarcRecord];
  const collection = options.collection ?? many;
  let out = options.xmlDeclaration ? XML_DECLARATION : '';
  if (collection) out += COLLECTION_START;
  list.forEach((r, i) => (out += recordToXml(r, { index: i + 1, onWarning: options.onWarning }, !collection)));
  if (collection) out += COLLECTION_END;
  return out;
}

/** The MARC-in-JSON object for a record: `{ leader, fields: [{ "001": "…" }, { "245": { ind1, ind2, subfields } }] }`. */
export function toMarcJson(record: MarcRecord): { leader: string; fields: Array<Record<string, unknown>> } {
  return recordToJson(record);
}

/** MARC-in-JSON text for one record, or a JSON array of records. */
export function writeMarcJson(records: MarcRecord | readonly MarcRecord[], options: MarcJsonWriteOptions = {}): string {
  const value = Array.isArray(records) ? records.map(recordToJson) : recordToJson(records as MarcRecord);
  return JSON.stringify(value, null, options.indent);
}

/** MARC-in-JSON as JSON Lines: one record per line, each line ending with `\n`. */
export function writeMarcJsonLines(records: readonly MarcRecord[]): string {
  let out = '';
  for (const r of records) out += JSON.stringify(recordToJson(r)) + '\n';
  return out;
}
