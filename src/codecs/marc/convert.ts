/**
 * ISO 2709 → MARCXML, file to file, in constant memory: the conversion a catalogue import or an
 * export job runs over millions of records.
 *
 * ```ts
 * await pipeline(
 *   Readable.from(iso2709ToMarcXml(createReadStream('in.mrc'), { onIssue: (i) => log.warn(i.message) })),
 *   createWriteStream('out.xml'),
 * );
 * ```
 *
 * The output is exactly what `marcXmlChunks(recordsOnly(readIso2709Stream(source)))` writes, and
 * the same problems are reported. The difference is speed: a record that needs nothing done to it
 * (UTF-8 already in NFC, a sound directory, nothing XML cannot carry: the common case) is copied
 * from bytes to bytes without becoming strings and objects; every other record goes through the
 * reader and the writer. Records that fail are reported and left out.
 */
import type { MarcIssue } from './errors.js';
import { FastXmlWriter } from './_fast-xml.js';
import { Iso2709Reader, parseRecord } from './_iso2709.js';
import { COLLECTION_END, COLLECTION_START, recordToXml, XML_DECLARATION } from './_marcxml.js';
import { isoOptions, type Iso2709ReadOptions } from './parse.js';
import type { ByteSource } from './parse-stream.js';

export interface Iso2709ToMarcXmlOptions extends Iso2709ReadOptions {
  /** Chunk size to aim for, in bytes (default 1 MiB). */
  chunkSize?: number;
  /** Start with `<?xml version="1.0" encoding="UTF-8"?>` (default false, as yaz-marcdump). */
  xmlDeclaration?: boolean;
  /**
   * Every problem: the warnings of records that were repaired (lenient mode), the errors of records
   * that failed (left out of the output), and characters the XML could not carry.
   */
  onIssue?: (issue: MarcIssue) => void;
}

const encoder = new TextEncoder();

/** The MARCXML `<collection>` of an ISO 2709 stream, as UTF-8 byte chunks. */
export async function* iso2709ToMarcXml(source: ByteSource, options: Iso2709ToMarcXmlOptions = {}): AsyncGenerator<Uint8Array> {
  const opts = isoOptions(options);
  const size = options.chunkSize ?? 1 << 20;
  const onIssue = options.onIssue;
  const reader = new Iso2709Reader(opts);
  const useFast = opts.encoding === 'auto' || opts.encoding === 'utf-8';
  const w = new FastXmlWriter(size + 65_536);
  const room = (n: number): Uint8Array | undefined => {
    if (w.out.length - w.used >= n) return undefined;
    const full = w.used > 0 ? w.out.subarray(0, w.used) : undefined;
    w.out = new Uint8Array(Math.max(size + 65_536, n));
    w.used = 0;
    return full;
  };
  const text = (s: string): Uint8Array | undefined => {
    const full = room(s.length * 3);
    w.used += encoder.encodeInto(s, w.out.subarray(w.used)).written;
    return full;
  };
  const take = (): Uint8Array => {
    const out = w.out.subarray(0, w.used);
    w.out = new Uint8Array(size + 65_536);
    w.used = 0;
    return out;
  };

  const pending: Uint8Array[] = [];
  const emit = (chunk: Uint8Array | undefined) => {
    if (chunk) pending.push(chunk);
  };
  emit(text((options.xmlDeclaration ? XML_DECLARATION : '') + COLLECTION_START));
  const convert = (eof: boolean) => {
    for (const f of reader.frames(eof)) {
      if (f.kind === 'failure') {
        if (!f.result.ok) onIssue?.(f.result.error);
        continue;
      }
      const n = f.end - f.start;
      emit(room(20 * n + 256));
      if (useFast && !f.problem && w.write(f.buf, f.start, f.end, opts.encoding === 'utf-8')) {
        if (w.used >= size) emit(take());
        continue;
      }
      const r = parseRecord(f.buf, f.start, f.end, f.abs, f.record, opts, f.problem);
      if (onIssue) for (const issue of r.warnings) onIssue(issue);
      if (!r.ok) {
        onIssue?.(r.error);
        continue;
      }
      emit(text(recordToXml(r.record, { index: f.record, onWarning: onIssue }, false)));
      if (w.used >= size) emit(take());
    }
  };
  for await (const chunk of source) {
    reader.push(chunk);
    convert(false);
    while (pending.length > 0) yield pending.shift()!;
  }
  convert(true);
  emit(text(COLLECTION_END));
  emit(take());
  for (const chunk of pending) if (chunk.length > 0) yield chunk;
}
