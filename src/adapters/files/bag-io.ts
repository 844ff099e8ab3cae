/**
 * The `BagIo` port on Node's file system and hashes: what `writeBag`, `readBag`, `tarBag` and
 * `untarBag` use in the server and the CLI.
 * The codec modules depend on the port, never on this file, so they stay free of I/O.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { lstat, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BagAlgorithm, BagIo, EntryKind, Hasher } from '../../codecs/bagit/io.js';

/** Large reads: hashing and copying scans are faster with 1 MiB chunks than with the 64 KiB default. */
const CHUNK = 1024 * 1024;

const NODE_HASH: Record<BagAlgorithm, string> = {
  md5: 'md5',
  sha1: 'sha1',
  sha224: 'sha224',
  sha256: 'sha256',
  sha384: 'sha384',
  sha512: 'sha512',
};

function kindOf(entry: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): EntryKind {
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isFile()) return 'file';
  if (entry.isDirectory()) return 'directory';
  return 'other';
}

/** `BagIo` on the local file system. Stateless: one object serves every caller. */
export const nodeBagIo: BagIo = {
  read(path) {
    return createReadStream(path, { highWaterMark: CHUNK });
  },

  async write(path, chunks) {
    await mkdir(dirname(path), { recursive: true });
    // 'wx': fail if anything is already there, so no entry can replace another.
    await pipeline(Readable.from(chunks, { objectMode: false }), createWriteStream(path, { flags: 'wx' }));
  },

  async stat(path) {
    try {
      const s = await lstat(path);
      return { kind: kindOf(s), size: s.size };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw e;
    }
  },

  async list(path) {
    const entries = await readdir(path, { withFileTypes: true });
    return entries.map((e) => ({ name: e.name, kind: kindOf(e) }));
  },

  async mkdir(path) {
    await mkdir(path, { recursive: true });
  },

  async rename(from, to) {
    await rename(from, to);
  },

  async remove(path) {
    await rm(path, { recursive: true, force: true });
  },

  createHash(algorithm): Hasher | null {
    try {
      const hash = createHash(NODE_HASH[algorithm]);
      return {
        update: (chunk) => void hash.update(chunk),
        digest: () => hash.digest('hex'),
      };
    } catch {
      return null;
    }
  },
};
