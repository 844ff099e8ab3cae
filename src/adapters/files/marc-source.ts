/**
 * Opens a MARC file for import: ISO 2709, MARCXML or MARC-in-JSON, each plain or gzipped,
 * recognised by content rather than by name. Reads in constant memory and counts the bytes of
 * the file read so far (the progress of an import). Decompression is capped, in total and as a
 * ratio to the compressed size, so a gzip bomb stops the import with a clear error instead of
 * filling the disk's worth of CPU time.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import { AppError } from '../../domain/errors.js';
import { readIso2709Stream, readMarcJsonStream, readMarcXmlStream } from '../../codecs/marc/parse-stream.js';
import type { MarcResult } from '../../codecs/marc/errors.js';

export type MarcFileFormat = 'iso2709' | 'marcxml' | 'json';

export interface MarcSourceLimits {
  /** Most bytes a file may decompress to. Default 8 GiB. */
  maxDecompressedBytes: number;
  /** Most a gzipped file may grow, once past the first 64 MiB. Default 200×. */
  maxRatio: number;
}

export const DEFAULT_LIMITS: MarcSourceLimits = { maxDecompressedBytes: 8 * 1024 ** 3, maxRatio: 200 };

export interface MarcSource {
  format: MarcFileFormat;
  gzipped: boolean;
  /** Size of the file on disk. */
  size: number;
  /** Bytes of the file read so far. */
  bytesRead(): number;
  results: AsyncIterable<MarcResult>;
}

export interface MarcFileInfo {
  size: number;
  sha256: string;
  format: MarcFileFormat;
  gzipped: boolean;
}

async function head(path: string, n: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** The format of decompressed content from its first bytes; undefined when it is none of ours. */
export function sniffFormat(bytes: Uint8Array): MarcFileFormat | undefined {
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (i >= bytes.length) return undefined;
  const c = bytes[i]!;
  if (c === 0x3c) return 'marcxml';
  if (c === 0x7b || c === 0x5b) return 'json';
  // ISO 2709 starts with five digits of record length.
  let digits = 0;
  while (digits < 5 && i + digits < bytes.length && bytes[i + digits]! >= 0x30 && bytes[i + digits]! <= 0x39) digits++;
  return digits === 5 || (digits > 0 && i + digits === bytes.length) ? 'iso2709' : undefined;
}

async function decompressedHead(path: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  const stream = createReadStream(path).pipe(createGunzip());
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      total += chunk.length;
      if (total >= 512) break;
    }
  } catch {
    // A damaged gzip stream: whatever came out before the damage is what we sniff.
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks);
}

/** Size, SHA-256 and format of a file, reading it once. Throws `CATALOG_IMPORT_*` errors. */
export async function inspectMarcFile(path: string): Promise<MarcFileInfo> {
  const { size } = await stat(path);
  if (size === 0) throw new AppError('CATALOG_IMPORT_EMPTY');
  const first = await head(path, 512);
  const gzipped = first[0] === 0x1f && first[1] === 0x8b;
  const format = sniffFormat(gzipped ? await decompressedHead(path) : first);
  if (!format) throw new AppError('CATALOG_IMPORT_FORMAT');
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) hash.update(chunk);
  return { size, sha256: hash.digest('hex'), format, gzipped };
}

/** Opens the file for reading records; `lenient` repairs damage with warnings (the default). */
export async function openMarcSource(path: string, opts: { strict?: boolean; limits?: Partial<MarcSourceLimits> } = {}): Promise<MarcSource> {
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const info = await stat(path);
  const first = await head(path, 512);
  const gzipped = first[0] === 0x1f && first[1] === 0x8b;
  const format = sniffFormat(gzipped ? await decompressedHead(path) : first);
  if (info.size === 0) throw new AppError('CATALOG_IMPORT_EMPTY');
  if (!format) throw new AppError('CATALOG_IMPORT_FORMAT');
  let read = 0;
  const raw = createReadStream(path, { highWaterMark: 256 * 1024 });
  raw.on('data', (c) => (read += c.length));

  async function* bytes(): AsyncGenerator<Uint8Array> {
    if (!gzipped) {
      yield* raw as AsyncIterable<Buffer>;
      return;
    }
    const gunzip = raw.pipe(createGunzip());
    let out = 0;
    try {
      for await (const chunk of gunzip as AsyncIterable<Buffer>) {
        out += chunk.length;
        const ratioBroken = out > 64 * 1024 ** 2 && out > limits.maxRatio * Math.max(read, 1);
        if (out > limits.maxDecompressedBytes || ratioBroken) {
          throw new AppError('CATALOG_IMPORT_TOO_LARGE', { limit: ratioBroken ? `${limits.maxRatio}×` : `${Math.round(limits.maxDecompressedBytes / 1024 ** 2)} MiB` });
        }
        yield chunk;
      }
    } finally {
      gunzip.destroy();
      raw.destroy();
    }
  }

  const reader = { strict: opts.strict ?? false };
  const results = format === 'iso2709' ? readIso2709Stream(bytes(), reader) : format === 'marcxml' ? readMarcXmlStream(bytes(), reader) : readMarcJsonStream(bytes(), reader);
  return { format, gzipped, size: info.size, bytesRead: () => read, results };
}
