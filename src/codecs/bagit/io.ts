/**
 * The little the BagIt codec needs from the outside world, as a port: a folder tree it can read
 * and write in streams, and hash functions. The codec itself imports no Node module (codecs stay
 * free of I/O, see eslint.config.js); `node.ts` binds this port to `node:fs` and `node:crypto`,
 * and a test or another storage can bind it to anything else.
 *
 * Paths are plain strings joined with `/`. The codec only ever hands the port paths it built
 * itself from the folder it was given and names it has checked (no `..`, no absolute paths).
 */

/** What a path names, seen without following symbolic links (`lstat`, not `stat`). */
export type EntryKind = 'file' | 'directory' | 'symlink' | 'other';

export interface EntryInfo {
  kind: EntryKind;
  /** Bytes, for files. */
  size: number;
}

export interface DirEntry {
  name: string;
  kind: EntryKind;
}

/** An incremental hash: feed it chunks, then read the lowercase hex digest once. */
export interface Hasher {
  update(chunk: Uint8Array): void;
  digest(): string;
}

/**
 * Checksum algorithms by their BagIt names (RFC 8493 §2.4: lowercased, non-alphanumerics
 * removed). 1.0 tools must support sha256 and sha512; md5 and sha1 for older bags.
 */
export type BagAlgorithm = 'md5' | 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

export const BAG_ALGORITHMS: readonly BagAlgorithm[] = ['md5', 'sha1', 'sha224', 'sha256', 'sha384', 'sha512'];

/** Hex digits of each algorithm's digest, to tell a malformed checksum from a wrong one. */
export const DIGEST_HEX_LENGTH: Readonly<Record<BagAlgorithm, number>> = {
  md5: 32,
  sha1: 40,
  sha224: 56,
  sha256: 64,
  sha384: 96,
  sha512: 128,
};

export function isBagAlgorithm(name: string): name is BagAlgorithm {
  return (BAG_ALGORITHMS as readonly string[]).includes(name);
}

/**
 * File access and hashing for the BagIt codec. Stream-first: no method reads a whole file.
 */
export interface BagIo {
  /** The bytes of a file, in chunks. */
  read(path: string): AsyncIterable<Uint8Array>;
  /**
   * Writes a new file from chunks, creating missing parent folders. Must fail if something
   * already exists at `path`, so that two entries can never overwrite each other.
   */
  write(path: string, chunks: AsyncIterable<Uint8Array>): Promise<void>;
  /** What is at `path`, or null when nothing is. Never follows a symbolic link. */
  stat(path: string): Promise<EntryInfo | null>;
  /** The entries of a folder (without `.` and `..`), in any order. */
  list(path: string): Promise<DirEntry[]>;
  /** Creates a folder and its missing parents; no error if it exists. */
  mkdir(path: string): Promise<void>;
  /** Moves a file or folder; must fail rather than replace a folder that has entries. */
  rename(from: string, to: string): Promise<void>;
  /** Deletes a file or a folder tree; no error if nothing is there. */
  remove(path: string): Promise<void>;
  /** A new hasher, or null for an algorithm this host cannot compute. */
  createHash(algorithm: BagAlgorithm): Hasher | null;
}

/** `a/b` from `a` and `b`, without doubling the slash. */
export function joinPath(base: string, rel: string): string {
  if (base === '' || base === '.') return rel;
  return base.endsWith('/') ? base + rel : `${base}/${rel}`;
}

/** The folder holding `path` (`.` for a bare name). */
export function parentPath(path: string): string {
  const trimmed = trimSlashes(path);
  const i = trimmed.lastIndexOf('/');
  if (i < 0) return '.';
  return i === 0 ? '/' : trimmed.slice(0, i);
}

/** The last segment of `path`. */
export function baseName(path: string): string {
  const trimmed = trimSlashes(path);
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

function trimSlashes(path: string): string {
  let end = path.length;
  while (end > 1 && path[end - 1] === '/') end--;
  return path.slice(0, end);
}

/** A name for a scratch folder beside `target`, unlikely to meet any other. */
export function scratchPath(target: string, purpose: string): string {
  const random = Math.random().toString(36).slice(2, 10);
  return joinPath(parentPath(target), `.${baseName(target)}.${purpose}-${Date.now().toString(36)}${random}`);
}

/** Chunks of bytes from a Node stream (which may yield strings) or any async iterable of bytes. */
export async function* asBytes(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  for await (const chunk of source) yield typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
}
