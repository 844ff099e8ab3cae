/**
 * Bags as one file: an uncompressed POSIX tar (ustar, POSIX.1-2001 `pax` extended headers where
 * ustar falls short) so that the web app can offer a bag as one download and take one as one
 * upload.
 *
 * ```ts
 * const { size, stream } = await tarBag('/exports/sach-123', { io: nodeBagIo });
 * reply.header('content-length', size).send(Readable.from(stream));
 *
 * await untarBag(request.file.stream, '/uploads/sach-123', { io: nodeBagIo });
 * const bag = await readBag('/uploads/sach-123', { io: nodeBagIo });
 * ```
 *
 * Writing: names that are not ASCII (every Vietnamese name) or too long for ustar's 100 + 155
 * bytes, and files of 8 GiB or more, get a `pax` header carrying the exact UTF-8 path and size;
 * the ustar header after it holds an ASCII stand-in for readers that ignore pax.
 *
 * Reading is for archives from strangers: every header's checksum is verified, the sizes of pax
 * records and GNU long names are bounded before anything is buffered, and extraction refuses
 * `..`, absolute paths, links, devices and FIFOs outright rather than skipping them quietly.
 */
import { unsafeReason } from './_paths.js';
import { BagError } from './errors.js';
import { baseName, joinPath, scratchPath, type BagIo } from './io.js';

const BLOCK = 512;
/** The largest size ustar's 11 octal digits hold: 8 GiB − 1. */
const USTAR_MAX_SIZE = 0o77777777777;
const encoder = new TextEncoder();
/** Bytes of trailing padding read after the end-of-archive blocks. */
const TRAILER_DRAIN = 64 * 1024;

// ---------------------------------------------------------------------------------------------
// Writing

export interface TarEntryInput {
  /** Archive path, `/`-separated, without a trailing slash. */
  path: string;
  type: 'file' | 'directory';
  /** Bytes, for files: the data must deliver exactly this many. */
  size?: number;
  mtime?: Date;
  /** Permission bits; default 0644 for files, 0755 for folders. */
  mode?: number;
  /** The file's bytes, read when its turn comes. */
  data?: () => AsyncIterable<Uint8Array>;
}

/**
 * The tar stream of `entries`, written as it is read: one header (two with pax) per entry, the
 * data padded to 512 bytes, and two zero blocks at the end.
 *
 * @throws BagError `tar-malformed` when a file's data is not exactly its declared size.
 */
export async function* writeTar(entries: AsyncIterable<TarEntryInput> | Iterable<TarEntryInput>): AsyncGenerator<Uint8Array> {
  for await (const entry of entries) {
    yield tarHeader(entry);
    if (entry.type !== 'file') continue;
    const size = entry.size ?? 0;
    let written = 0;
    if (entry.data) {
      for await (const chunk of entry.data()) {
        written += chunk.length;
        if (written > size) throw new BagError('tar-malformed', `${entry.path} has more than the ${size} bytes declared`, entry.path);
        yield chunk;
      }
    }
    if (written !== size) throw new BagError('tar-malformed', `${entry.path} has ${written} bytes, not the ${size} declared`, entry.path);
    const pad = padding(size);
    if (pad > 0) yield new Uint8Array(pad);
  }
  yield new Uint8Array(2 * BLOCK);
}

/** Bytes the archive of `entries` will take, for a Content-Length before streaming. */
export function tarLength(entries: Iterable<TarEntryInput>): number {
  let total = 2 * BLOCK;
  for (const entry of entries) {
    total += tarHeader(entry).length;
    if (entry.type === 'file') total += (entry.size ?? 0) + padding(entry.size ?? 0);
  }
  return total;
}

function padding(size: number): number {
  return (BLOCK - (size % BLOCK)) % BLOCK;
}

/** The header block(s) of one entry: a pax header first when ustar cannot say it all. */
function tarHeader(entry: TarEntryInput): Uint8Array {
  const name = entry.type === 'directory' ? `${entry.path}/` : entry.path;
  const size = entry.type === 'file' ? (entry.size ?? 0) : 0;
  const mtime = Math.floor((entry.mtime ?? new Date(0)).getTime() / 1000);
  const mode = entry.mode ?? (entry.type === 'directory' ? 0o755 : 0o644);

  const pax: [string, string][] = [];
  const split = ustarName(name);
  if (!split) pax.push(['path', name]);
  if (size > USTAR_MAX_SIZE) pax.push(['size', String(size)]);

  const main = ustarBlock({
    name: split?.name ?? asciiStandIn(name, 100),
    prefix: split?.prefix ?? '',
    mode,
    size: size > USTAR_MAX_SIZE ? 0 : size,
    mtime,
    type: entry.type === 'directory' ? '5' : '0',
  });
  if (pax.length === 0) return main;

  const body = encoder.encode(pax.map(([k, v]) => paxRecord(k, v)).join(''));
  const head = ustarBlock({ name: asciiStandIn(`PaxHeaders/${baseName(name)}`, 100), prefix: '', mode: 0o644, size: body.length, mtime, type: 'x' });
  const out = new Uint8Array(head.length + body.length + padding(body.length) + main.length);
  out.set(head, 0);
  out.set(body, head.length);
  out.set(main, head.length + body.length + padding(body.length));
  return out;
}

/** `name` split into ustar's name (≤ 100 bytes) and prefix (≤ 155 bytes), when it is ASCII and fits. */
function ustarName(name: string): { name: string; prefix: string } | null {
  // eslint-disable-next-line no-control-regex
  if (!/^[\x01-\x7f]*$/.test(name)) return null;
  if (name.length <= 100) return { name, prefix: '' };
  // The prefix ends at a slash that is not part of either field; try the leftmost that works.
  for (let i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
    if (i > 155) break;
    const rest = name.slice(i + 1);
    if (rest.length <= 100 && rest !== '') return { name: rest, prefix: name.slice(0, i) };
  }
  return null;
}

/** An ASCII name of at most `max` bytes standing in for `name` where pax carries the real one. */
function asciiStandIn(name: string, max: number): string {
  const ascii = name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').replace(/[^\x20-\x7e]/g, '_');
  return ascii.length <= max ? ascii : ascii.slice(ascii.length - max);
}

/** One pax record, `"<length> <key>=<value>\n"`, where the length counts its own digits. */
function paxRecord(key: string, value: string): string {
  const rest = ` ${key}=${value}\n`;
  const restBytes = encoder.encode(rest).length;
  let length = restBytes + String(restBytes).length;
  if (String(length).length !== String(restBytes).length) length = restBytes + String(length).length;
  return `${length}${rest}`;
}

function ustarBlock(h: { name: string; prefix: string; mode: number; size: number; mtime: number; type: string }): Uint8Array {
  const block = new Uint8Array(BLOCK);
  const put = (offset: number, length: number, text: string) => block.set(encoder.encode(text).subarray(0, length), offset);
  const octal = (offset: number, length: number, value: number) => put(offset, length, `${value.toString(8).padStart(length - 1, '0')}\0`);
  put(0, 100, h.name);
  octal(100, 8, h.mode);
  octal(108, 8, 0);
  octal(116, 8, 0);
  octal(124, 12, h.size);
  octal(136, 12, h.mtime);
  put(148, 8, '        ');
  put(156, 1, h.type);
  put(257, 6, 'ustar\0');
  put(263, 2, '00');
  put(345, 155, h.prefix);
  let sum = 0;
  for (const b of block) sum += b;
  put(148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

// ---------------------------------------------------------------------------------------------
// Reading

export interface TarLimits {
  /** Entries accepted (default 1,000,000). */
  maxEntries?: number;
  /** Total file bytes accepted (default unlimited: the caller's upload limit applies first). */
  maxBytes?: number;
  /** Bytes of a path (default 4,096, Linux's PATH_MAX). */
  maxPathBytes?: number;
  /** Bytes of one pax extended header (default 1 MiB). */
  maxPaxBytes?: number;
}

export interface TarEntry {
  /** As stored: `/`-separated, trailing slash of folders removed. Not yet checked for safety. */
  path: string;
  type: 'file' | 'directory';
  size: number;
  mtime: Date;
  /** The file's bytes; read it before asking for the next entry (unread bytes are skipped). */
  body: AsyncIterable<Uint8Array>;
}

/**
 * The files and folders of a tar stream (ustar, pax, GNU long names, old V7 headers).
 *
 * @throws BagError `tar-malformed` (bad checksum, truncated, unreadable numbers or pax records),
 *   `tar-limit`, `tar-entry-type` (links, devices, FIFOs, unknown types).
 */
export async function* readTar(source: AsyncIterable<Uint8Array>, limits: TarLimits = {}): AsyncGenerator<TarEntry> {
  const maxEntries = limits.maxEntries ?? 1_000_000;
  const maxBytes = limits.maxBytes ?? Number.MAX_SAFE_INTEGER;
  const maxPath = limits.maxPathBytes ?? 4096;
  const maxPax = limits.maxPaxBytes ?? 1024 * 1024;
  const input = new ByteQueue(source[Symbol.asyncIterator]());
  let entries = 0;
  let bytes = 0;
  let pax: Map<string, string> | null = null;
  let longName: string | null = null;

  try {
    for (;;) {
      const at = input.position;
      const header = await input.take(BLOCK);
      if (!header) throw new BagError('tar-malformed', `the archive ends at byte ${at} without its end-of-archive blocks`);
      if (header.every((b) => b === 0)) {
        // End of archive: two zero blocks, then padding to the writer's record size (10 KiB for
        // GNU tar). Read a little of it so that an upload stream finishes cleanly; ignore the rest.
        await input.drain(TRAILER_DRAIN);
        return;
      }
      verifyChecksum(header, at);
      const type = String.fromCharCode(header[156] ?? 0);
      const size = readNumber(header, 124, 12, at, 'size');
      const where = `entry at byte ${at}`;

      if (type === 'x' || type === 'g') {
        if (size > maxPax) throw new BagError('tar-limit', `${where}: a pax header of ${size} bytes (limit ${maxPax})`);
        const body = await input.take(size + padding(size));
        if (!body) throw new BagError('tar-malformed', `${where}: the archive ends inside a pax header`);
        const records = parsePax(body.subarray(0, size), at);
        // A global header ('g') sets defaults for the rest of the archive; a path or size there
        // would apply to every entry, which no honest archive needs: it is ignored.
        if (type === 'x') pax = records;
        continue;
      }
      if (type === 'L' || type === 'K') {
        if (size > maxPath + 1) throw new BagError('tar-limit', `${where}: a GNU long name of ${size} bytes (limit ${maxPath})`);
        const body = await input.take(size + padding(size));
        if (!body) throw new BagError('tar-malformed', `${where}: the archive ends inside a GNU long name`);
        if (type === 'L') longName = cString(body.subarray(0, size));
        continue;
      }

      const ustar = isUstar(header);
      let path = cString(header.subarray(0, 100));
      const prefix = ustar === 'posix' ? cString(header.subarray(345, 500)) : '';
      if (prefix !== '') path = `${prefix}/${path}`;
      if (longName !== null) path = longName;
      const paxPath = pax?.get('path');
      if (paxPath !== undefined) path = paxPath;
      let entrySize = size;
      const paxSize = pax?.get('size');
      if (paxSize !== undefined) {
        if (!/^\d{1,16}$/.test(paxSize) || Number(paxSize) > Number.MAX_SAFE_INTEGER) throw new BagError('tar-malformed', `${where}: pax size "${paxSize}" is not a number`);
        entrySize = Number(paxSize);
      }
      const paxMtime = pax?.get('mtime');
      const mtime = paxMtime !== undefined && /^-?\d+(\.\d+)?$/.test(paxMtime) ? Number(paxMtime) : readNumber(header, 136, 12, at, 'mtime');
      pax = null;
      longName = null;

      if (encoder.encode(path).length > maxPath) throw new BagError('tar-limit', `${where}: a path longer than ${maxPath} bytes`);
      const shown = path.length > 200 ? `${path.slice(0, 200)}…` : path;

      if (type === 'V') {
        // A GNU volume label names the archive, not a file.
        await input.skip(entrySize + padding(entrySize));
        continue;
      }
      // V7 archives mark folders only by the trailing slash of a regular entry's name.
      const v7Dir = (type === '0' || type === '\0') && path.endsWith('/');
      const kind = v7Dir || type === '5' ? 'directory' : type === '0' || type === '\0' || type === '7' ? 'file' : null;
      if (!kind) throw new BagError('tar-entry-type', `${shown}: ${describeType(type)} entries are refused; a bag holds only files and folders`, path);

      entries++;
      if (entries > maxEntries) throw new BagError('tar-limit', `more than ${maxEntries} entries`);
      const dataSize = kind === 'file' ? entrySize : 0;
      bytes += dataSize;
      if (bytes > maxBytes) throw new BagError('tar-limit', `more than ${maxBytes} bytes of files`);

      let consumed = false;
      const body = (async function* () {
        consumed = true;
        yield* input.stream(dataSize);
      })();
      yield { path: path.replace(/\/+$/, ''), type: kind, size: dataSize, mtime: new Date(mtime * 1000), body };
      if (!consumed) await input.skip(dataSize);
      else await input.skip(dataSize - input.streamed);
      // Directories may carry data in odd archives; skip it along with the padding.
      await input.skip((kind === 'directory' ? entrySize : 0) + padding(kind === 'directory' ? entrySize : dataSize));
    }
  } finally {
    await input.close();
  }
}

function describeType(type: string): string {
  const names: Record<string, string> = { '1': 'hard link', '2': 'symbolic link', '3': 'character device', '4': 'block device', '6': 'FIFO' };
  return names[type] ?? `unknown (type "${type.replace(/[^\x20-\x7e]/g, '?')}")`;
}

function isUstar(header: Uint8Array): 'posix' | 'gnu' | null {
  const magic = String.fromCharCode(...header.subarray(257, 263));
  if (magic === 'ustar\0') return 'posix';
  if (magic === 'ustar ') return 'gnu';
  return null;
}

function verifyChecksum(header: Uint8Array, at: number): void {
  const stored = readNumber(header, 148, 8, at, 'checksum');
  let unsigned = 0;
  let signed = 0;
  for (let i = 0; i < BLOCK; i++) {
    const b = i >= 148 && i < 156 ? 0x20 : (header[i] ?? 0);
    unsigned += b;
    signed += b > 127 ? b - 256 : b;
  }
  // Some old writers summed signed bytes; POSIX says unsigned. Either is accepted.
  if (stored !== unsigned && stored !== signed) throw new BagError('tar-malformed', `header at byte ${at}: checksum ${stored} does not match ${unsigned}; not a tar archive, or damaged`);
}

/** An octal field (NUL- or space-terminated), or GNU's base-256 form for large values. */
function readNumber(header: Uint8Array, offset: number, length: number, at: number, what: string): number {
  const field = header.subarray(offset, offset + length);
  if (((field[0] ?? 0) & 0x80) !== 0) {
    if ((field[0] ?? 0) & 0x40) throw new BagError('tar-malformed', `header at byte ${at}: negative ${what}`);
    let value = (field[0] ?? 0) & 0x3f;
    for (let i = 1; i < field.length; i++) {
      value = value * 256 + (field[i] ?? 0);
      if (value > Number.MAX_SAFE_INTEGER) throw new BagError('tar-malformed', `header at byte ${at}: ${what} is too large`);
    }
    return value;
  }
  const text = String.fromCharCode(...field).replace(/[\0 ]+$/, '').replace(/^[ ]+/, '');
  if (text === '') return 0;
  if (!/^[0-7]+$/.test(text)) throw new BagError('tar-malformed', `header at byte ${at}: ${what} "${text.replace(/[^\x20-\x7e]/g, '?')}" is not an octal number`);
  return parseInt(text, 8);
}

/** A NUL-terminated field as UTF-8 (what GNU tar and bsdtar store on Linux). */
function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(end < 0 ? bytes : bytes.subarray(0, end));
}

/** pax records: `"<length> <key>=<value>\n"`, each length checked against the bytes. */
function parsePax(body: Uint8Array, at: number): Map<string, string> {
  const records = new Map<string, string>();
  let i = 0;
  while (i < body.length) {
    if (body[i] === 0) break;
    const space = body.indexOf(0x20, i);
    if (space < 0 || space - i > 12) throw new BagError('tar-malformed', `pax header at byte ${at}: a record without a length`);
    const lengthText = new TextDecoder().decode(body.subarray(i, space));
    if (!/^\d+$/.test(lengthText)) throw new BagError('tar-malformed', `pax header at byte ${at}: record length "${lengthText}" is not a number`);
    const length = Number(lengthText);
    const end = i + length;
    if (length <= space - i + 1 || end > body.length || body[end - 1] !== 0x0a) throw new BagError('tar-malformed', `pax header at byte ${at}: a record's length does not match its bytes`);
    const record = new TextDecoder().decode(body.subarray(space + 1, end - 1));
    const eq = record.indexOf('=');
    if (eq <= 0) throw new BagError('tar-malformed', `pax header at byte ${at}: a record without "key="`);
    records.set(record.slice(0, eq), record.slice(eq + 1));
    i = end;
  }
  return records;
}

/** Exact-length reads over an async iterator of chunks of any size. */
class ByteQueue {
  readonly #source: AsyncIterator<Uint8Array>;
  #chunks: Uint8Array[] = [];
  #buffered = 0;
  #ended = false;
  /** Bytes consumed so far. */
  position = 0;
  /** Bytes handed out by the current `stream` call. */
  streamed = 0;

  constructor(source: AsyncIterator<Uint8Array>) {
    this.#source = source;
  }

  async #fill(n: number): Promise<boolean> {
    while (this.#buffered < n && !this.#ended) {
      const next = await this.#source.next();
      if (next.done) this.#ended = true;
      else if (next.value.length > 0) {
        this.#chunks.push(next.value);
        this.#buffered += next.value.length;
      }
    }
    return this.#buffered >= n;
  }

  /** Exactly `n` bytes as one array, or null if the input ends first. */
  async take(n: number): Promise<Uint8Array | null> {
    if (!(await this.#fill(n))) return null;
    const out = new Uint8Array(n);
    let at = 0;
    while (at < n) {
      const head = this.#chunks[0] as Uint8Array;
      const part = Math.min(head.length, n - at);
      out.set(head.subarray(0, part), at);
      this.#consume(part);
      at += part;
    }
    return out;
  }

  /** `n` bytes as they arrive, without gathering them. */
  async *stream(n: number): AsyncGenerator<Uint8Array> {
    this.streamed = 0;
    while (this.streamed < n) {
      if (!(await this.#fill(1))) throw new BagError('tar-malformed', `the archive ends inside a file, at byte ${this.position}`);
      const head = this.#chunks[0] as Uint8Array;
      const part = Math.min(head.length, n - this.streamed);
      const out = head.subarray(0, part);
      this.#consume(part);
      this.streamed += part;
      yield out;
    }
  }

  /** Reads and drops up to `n` bytes, or until the input ends. */
  async drain(n: number): Promise<void> {
    let left = n;
    while (left > 0 && (await this.#fill(1))) {
      const head = this.#chunks[0] as Uint8Array;
      const part = Math.min(head.length, left);
      this.#consume(part);
      left -= part;
    }
  }

  /** Lets go of the source (a Node stream is destroyed), whether or not it was read to the end. */
  async close(): Promise<void> {
    await this.#source.return?.();
  }

  async skip(n: number): Promise<void> {
    let left = n;
    while (left > 0) {
      if (!(await this.#fill(1))) throw new BagError('tar-malformed', `the archive ends early, at byte ${this.position}`);
      const head = this.#chunks[0] as Uint8Array;
      const part = Math.min(head.length, left);
      this.#consume(part);
      left -= part;
    }
  }

  #consume(n: number): void {
    const head = this.#chunks[0] as Uint8Array;
    if (n === head.length) this.#chunks.shift();
    else this.#chunks[0] = head.subarray(n);
    this.#buffered -= n;
    this.position += n;
  }
}

// ---------------------------------------------------------------------------------------------
// Bags

export interface TarBagOptions {
  io: BagIo;
  /** The folder every path starts with (default: the bag folder's name), as bags are usually shipped. */
  root?: string;
  /** Modification time stamped on every entry (default now); fix it for reproducible archives. */
  mtime?: Date;
}

/**
 * The bag in folder `dir` as a tar stream, and its length in bytes. Order: `bagit.txt` first and
 * the other tag files, then `data/`, so that a reader of the stream meets the declaration and
 * manifests before the payload.
 *
 * @throws BagError `not-a-file` for a link or special file in the folder.
 */
export async function tarBag(dir: string, options: TarBagOptions): Promise<{ size: number; stream: AsyncIterable<Uint8Array> }> {
  const { io } = options;
  const root = options.root ?? baseName(dir);
  const rootProblem = unsafeReason(root);
  if (rootProblem || root.includes('/')) throw new BagError('unsafe-path', `archive root "${root}" ${rootProblem ?? 'has a slash'}`);
  const mtime = options.mtime ?? new Date();
  const entries: TarEntryInput[] = [{ path: root, type: 'directory', mtime }];

  const visit = async (rel: string, top: boolean): Promise<void> => {
    const listed = await io.list(rel === '' ? dir : joinPath(dir, rel));
    const sorted = [...listed].sort((a, b) => rank(a.name, top) - rank(b.name, top) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const files = sorted.filter((e) => e.kind !== 'directory');
    const dirs = sorted.filter((e) => e.kind === 'directory');
    for (const entry of files) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.kind !== 'file') throw new BagError('not-a-file', `${path} is not a file or a folder; it cannot go into the archive`, path);
      const info = await io.stat(joinPath(dir, path));
      const full = joinPath(dir, path);
      entries.push({ path: `${root}/${path}`, type: 'file', size: info?.size ?? 0, mtime, data: () => io.read(full) });
    }
    for (const entry of dirs) {
      const path = rel === '' ? entry.name : `${rel}/${entry.name}`;
      entries.push({ path: `${root}/${path}`, type: 'directory', mtime });
      await visit(path, false);
    }
  };
  await visit('', true);
  return { size: tarLength(entries), stream: writeTar(entries) };
}

/** bagit.txt first, the payload folder last; everything else by name. */
function rank(name: string, top: boolean): number {
  if (!top) return 0;
  if (name === 'bagit.txt') return 0;
  if (name === 'data') return 2;
  return 1;
}

export interface UntarBagOptions extends TarLimits {
  io: BagIo;
}

/**
 * Extracts a tar stream into the new folder `dir`, safely: into a scratch folder beside `dir`,
 * renamed at the end, so a refused or broken archive leaves nothing behind. When the archive
 * holds one top folder with a `bagit.txt` in it (how bags are shipped), that folder becomes
 * `dir`. Leading `./` is dropped; `..`, absolute paths, NUL, drive letters, links, devices,
 * FIFOs and the same file twice are refused; permissions in the archive are ignored.
 * It does not validate the bag: call `readBag(dir)` next.
 *
 * @throws BagError `unsafe-path`, `duplicate-path`, `destination-exists`, and those of `readTar`.
 */
export async function untarBag(source: AsyncIterable<Uint8Array>, dir: string, options: UntarBagOptions): Promise<{ dir: string; files: number; bytes: number }> {
  const { io } = options;
  if ((await io.stat(dir)) !== null) throw new BagError('destination-exists', `${dir} already exists`, dir);
  const scratch = scratchPath(dir, 'extracting');
  const seen = new Map<string, 'file' | 'directory'>();
  let files = 0;
  let bytes = 0;
  try {
    await io.mkdir(scratch);
    for await (const entry of readTar(source, options)) {
      const path = entry.path
        .split('/')
        .filter((s, i, all) => s !== '.' && !(s === '' && i > 0 && i === all.length - 1))
        .join('/');
      if (path === '' && entry.type === 'directory') continue;
      const why = unsafeReason(path);
      if (why) throw new BagError('unsafe-path', `archive entry "${entry.path}" ${why}`, entry.path);
      if (seen.has(path) && (entry.type === 'file' || seen.get(path) === 'file')) throw new BagError('duplicate-path', `archive entry "${path}" appears twice`, path);
      seen.set(path, entry.type);
      if (entry.type === 'directory') await io.mkdir(joinPath(scratch, path));
      else {
        await io.write(joinPath(scratch, path), entry.body);
        files++;
        bytes += entry.size;
      }
    }
    const top = await io.list(scratch);
    const only = top.length === 1 ? top[0] : undefined;
    if (only && only.kind === 'directory' && (await io.stat(joinPath(joinPath(scratch, only.name), 'bagit.txt')))?.kind === 'file') {
      await io.rename(joinPath(scratch, only.name), dir);
      await io.remove(scratch);
    } else {
      await io.rename(scratch, dir);
    }
    return { dir, files, bytes };
  } catch (e) {
    await io.remove(scratch).catch(() => undefined);
    throw e;
  }
}
