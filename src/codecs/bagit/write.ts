/**
 * Writing a BagIt 1.0 bag (RFC 8493) from a stream of payload files, in constant memory: each file
 * is copied in chunks and hashed while it is copied.
 *
 * ```ts
 * import { nodeBagIo } from '../../adapters/files/bag-io.js';
 * await writeBag('/exports/sach-123', pages(), { 'Source-Organization': 'Thư viện tỉnh Kiên Giang' }, { io: nodeBagIo });
 * ```
 *
 * The bag is built in a scratch folder beside `dir` and renamed to `dir` only once complete, so
 * an export that fails half-way (a source that cannot be read, a size that does not match, a
 * full disk) leaves nothing behind under either name.
 */
import { encodeManifestPath, unsafeReason } from './_paths.js';
import { formatBagDeclaration, formatInfoEntry, infoLabelProblem, type InfoEntry } from './_tagfiles.js';
import { BagError } from './errors.js';
import { asBytes, joinPath, scratchPath, type BagAlgorithm, type BagIo, type Hasher } from './io.js';

/** One payload file to put in the bag. */
export interface PayloadFile {
  /** Path relative to the payload folder `data/` (`trang/0001.tif` lands at `data/trang/0001.tif`). */
  path: string;
  /**
   * The bytes: a stream (a Node `Readable`, any async iterable of bytes) or the path of a file
   * to read through the `BagIo` port. Called once, when the file's turn comes.
   */
  source: () => NodeJS.ReadableStream | AsyncIterable<Uint8Array> | string;
  /** SHA-256 (hex) when already known, e.g. from a content-addressed store: not recomputed. */
  sha256?: string;
  /** Bytes, when known: checked against what was copied. */
  size?: number;
}

export interface WriteBagOptions {
  io: BagIo;
  /**
   * Manifest algorithms; default `['sha256']`, the hash our file store already addresses files
   * by. (RFC 8493 §2.4 suggests sha512 as a default for new bags; add it here when a partner
   * asks for it.)
   */
  algorithms?: BagAlgorithm[];
  /** Bagging-Date's day (UTC); default now. */
  now?: Date;
  /** Bag-Software-Agent; default `lienthong`. */
  agent?: string;
  /** Hash even files whose sha256 is given, and fail if it differs. Default false. */
  verify?: boolean;
  /** Called after each payload file is copied. */
  onProgress?: (done: { files: number; bytes: number }) => void;
}

export interface WrittenFile {
  /** Relative to `data/`, NFC. */
  path: string;
  size: number;
  sha256: string | undefined;
  checksums: Partial<Record<BagAlgorithm, string>>;
}

export interface WrittenBag {
  dir: string;
  files: WrittenFile[];
  /** Payload-Oxum: total bytes and number of files. */
  octets: number;
  streams: number;
}

/** bag-info elements the writer computes; a caller may override the last two. */
const OXUM = 'payload-oxum';
const BAGGING_DATE = 'bagging-date';
const AGENT = 'bag-software-agent';

/**
 * Writes a complete, valid bag at `dir` (which must not exist yet): `bagit.txt`, `data/…`,
 * `manifest-<alg>.txt`, `bag-info.txt` (with Payload-Oxum, Bagging-Date, Bag-Software-Agent and
 * the given elements, in their order; long values folded) and `tagmanifest-<alg>.txt`.
 *
 * Payload paths are normalised to NFC (RFC 8493 §7.1.3 advises against names that differ only
 * in normalisation, and Vietnamese file names come both ways) and refused when they could
 * escape `data/`: empty, absolute, `.`/`..` segments, NUL, backslash, a drive letter.
 *
 * @throws BagError `unsafe-path`, `duplicate-path`, `invalid-info`, `destination-exists`,
 *   `size-mismatch`, `checksum-mismatch`, `unsupported-algorithm`; or the port's I/O error.
 */
export async function writeBag(
  dir: string,
  payload: AsyncIterable<PayloadFile> | Iterable<PayloadFile>,
  info: Record<string, string | string[]>,
  options: WriteBagOptions,
): Promise<WrittenBag> {
  const { io } = options;
  const algorithms: BagAlgorithm[] = [...new Set<BagAlgorithm>(options.algorithms ?? ['sha256'])];
  if (algorithms.length === 0) throw new BagError('unsupported-algorithm', 'at least one manifest algorithm is needed');
  for (const algorithm of algorithms) {
    if (!io.createHash(algorithm)) throw new BagError('unsupported-algorithm', `this host cannot compute ${algorithm}`);
  }
  const given = infoEntries(info);

  if ((await io.stat(dir)) !== null) throw new BagError('destination-exists', `${dir} already exists`, dir);
  const scratch = scratchPath(dir, 'writing');
  try {
    await io.mkdir(joinPath(scratch, 'data'));
    const files = await copyPayload(scratch, payload, algorithms, options);
    files.sort((a, b) => compare(a.path, b.path));
    const octets = files.reduce((sum, f) => sum + f.size, 0);

    const tagFiles: [string, string][] = [['bagit.txt', formatBagDeclaration('1.0', 'UTF-8')]];
    for (const algorithm of algorithms) {
      const lines = files.map((f) => `${f.checksums[algorithm]}  ${encodeManifestPath(`data/${f.path}`)}\n`);
      tagFiles.push([`manifest-${algorithm}.txt`, lines.join('')]);
    }
    const entries: InfoEntry[] = [...given];
    const has = (label: string) => given.some((e) => e.label.toLowerCase() === label);
    if (!has(BAGGING_DATE)) entries.push({ label: 'Bagging-Date', value: (options.now ?? new Date()).toISOString().slice(0, 10) });
    if (!has(AGENT)) entries.push({ label: 'Bag-Software-Agent', value: options.agent ?? 'lienthong' });
    entries.push({ label: 'Payload-Oxum', value: `${octets}.${files.length}` });
    tagFiles.push(['bag-info.txt', entries.map((e) => formatInfoEntry(e.label, e.value)).join('')]);

    const encoder = new TextEncoder();
    for (const [name, text] of tagFiles) await io.write(joinPath(scratch, name), once(encoder.encode(text)));
    for (const algorithm of algorithms) {
      const lines = tagFiles.map(([name, text]) => `${digestOf(io, algorithm, encoder.encode(text))}  ${encodeManifestPath(name)}\n`);
      await io.write(joinPath(scratch, `tagmanifest-${algorithm}.txt`), once(encoder.encode(lines.join(''))));
    }

    await io.rename(scratch, dir);
    return { dir, files, octets, streams: files.length };
  } catch (e) {
    await io.remove(scratch).catch(() => undefined);
    throw e;
  }
}

async function copyPayload(
  scratch: string,
  payload: AsyncIterable<PayloadFile> | Iterable<PayloadFile>,
  algorithms: BagAlgorithm[],
  options: WriteBagOptions,
): Promise<WrittenFile[]> {
  const { io } = options;
  const files: WrittenFile[] = [];
  const seen = new Set<string>();
  let bytes = 0;
  for await (const entry of payload) {
    const path = entry.path.normalize('NFC');
    const why = unsafeReason(path) ?? (path.includes('\\') ? 'contains a backslash (a separator on Windows)' : null);
    if (why) throw new BagError('unsafe-path', `payload path "${entry.path}" ${why}`, entry.path);
    if (seen.has(path)) throw new BagError('duplicate-path', `payload path "${path}" is given twice`, path);
    seen.add(path);
    const declared = entry.sha256?.toLowerCase();
    if (declared !== undefined && !/^[0-9a-f]{64}$/.test(declared)) {
      throw new BagError('checksum-mismatch', `the sha256 given for "${path}" is not 64 hex digits`, path);
    }

    const hashers = new Map<BagAlgorithm, Hasher>();
    for (const algorithm of algorithms) {
      if (algorithm === 'sha256' && declared !== undefined && !options.verify) continue;
      const hasher = io.createHash(algorithm);
      if (!hasher) throw new BagError('unsupported-algorithm', `this host cannot compute ${algorithm}`);
      hashers.set(algorithm, hasher);
    }
    if (options.verify && declared !== undefined && !hashers.has('sha256')) {
      const hasher = io.createHash('sha256');
      if (!hasher) throw new BagError('unsupported-algorithm', 'this host cannot compute sha256');
      hashers.set('sha256', hasher);
    }

    const source = entry.source();
    const chunks = typeof source === 'string' ? io.read(source) : asBytes(source);
    let size = 0;
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const chunk of chunks) {
        size += chunk.length;
        for (const hasher of hashers.values()) hasher.update(chunk);
        yield chunk;
      }
    }
    await io.write(joinPath(scratch, `data/${path}`), counted());

    if (entry.size !== undefined && entry.size !== size) {
      throw new BagError('size-mismatch', `"${path}" was declared as ${entry.size} bytes but ${size} were read`, path);
    }
    const checksums: Partial<Record<BagAlgorithm, string>> = {};
    for (const [algorithm, hasher] of hashers) checksums[algorithm] = hasher.digest().toLowerCase();
    if (declared !== undefined) {
      if (checksums.sha256 !== undefined && checksums.sha256 !== declared) {
        throw new BagError('checksum-mismatch', `"${path}" has sha256 ${checksums.sha256}, not the ${declared} given`, path);
      }
      checksums.sha256 = declared;
    }
    files.push({ path, size, sha256: checksums.sha256, checksums });
    bytes += size;
    options.onProgress?.({ files: files.length, bytes });
  }
  return files;
}

/** The given bag-info elements in order, checked; refuses a Payload-Oxum, which only we know. */
function infoEntries(info: Record<string, string | string[]>): InfoEntry[] {
  const entries: InfoEntry[] = [];
  for (const [label, values] of Object.entries(info)) {
    const why = infoLabelProblem(label);
    if (why) throw new BagError('invalid-info', `bag-info label "${label}" ${why}`);
    if (label.toLowerCase() === OXUM) throw new BagError('invalid-info', 'Payload-Oxum is computed from the payload and cannot be given');
    for (const value of Array.isArray(values) ? values : [values]) entries.push({ label, value });
  }
  return entries;
}

function digestOf(io: BagIo, algorithm: BagAlgorithm, bytes: Uint8Array): string {
  const hasher = io.createHash(algorithm);
  if (!hasher) throw new BagError('unsupported-algorithm', `this host cannot compute ${algorithm}`);
  hasher.update(bytes);
  return hasher.digest().toLowerCase();
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** Code-unit order: the same on every machine, unlike a locale's collation. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
