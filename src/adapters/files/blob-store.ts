/**
 * The content-addressed file store: `<root>/ab/cd/<sha256>`. A file is hashed while it is
 * written to a temporary name in `<root>/tmp`, then renamed into place, so a crash or a refused
 * upload never leaves a half-written file under a real hash. Stored files are made read-only.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { access, chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MediaError, type BlobStore } from '../../app/digital/media.js';

const SHA256 = /^[0-9a-f]{64}$/;

export class FileBlobStore implements BlobStore {
  readonly #root: string;
  readonly cacheDir: string;

  private constructor(root: string) {
    this.#root = root;
    this.cacheDir = join(root, '..', 'cache');
  }

  static async open(root: string): Promise<FileBlobStore> {
    const s = new FileBlobStore(root);
    await mkdir(join(root, 'tmp'), { recursive: true });
    await mkdir(s.cacheDir, { recursive: true });
    return s;
  }

  tempPath(suffix = ''): string {
    return join(this.#root, 'tmp', `${Date.now().toString(36)}-${randomBytes(6).toString('hex')}${suffix}`);
  }

  pathOf(sha256: string): string {
    if (!SHA256.test(sha256)) throw new Error(`not a SHA-256: ${sha256.slice(0, 80)}`);
    return join(this.#root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async receive(source: NodeJS.ReadableStream | AsyncIterable<Uint8Array>, maxBytes: number): Promise<{ path: string; sha256: string; size: number }> {
    const path = this.tempPath();
    const hash = createHash('sha256');
    let size = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        size += chunk.length;
        if (size > maxBytes) {
          done(new MediaError('MEDIA_TOO_LARGE', { limit: maxBytes }));
          return;
        }
        hash.update(chunk);
        done(null, chunk);
      },
    });
    const out = createWriteStream(path, { flags: 'wx' });
    try {
      await pipeline(source, meter, out);
    } catch (e) {
      // A refusal on the first chunk can come before the file is even opened: wait until the
      // stream has closed (its pending open done), or the file appears after it was removed.
      if (!out.closed) await new Promise((resolve) => out.once('close', resolve));
      await rm(path, { force: true });
      throw e;
    }
    return { path, sha256: hash.digest('hex'), size };
  }

  async hashFile(path: string): Promise<{ sha256: string; size: number }> {
    const hash = createHash('sha256');
    let size = 0;
    for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
      hash.update(chunk);
      size += chunk.length;
    }
    return { sha256: hash.digest('hex'), size };
  }

  async adopt(tempPath: string, sha256: string): Promise<void> {
    const target = this.pathOf(sha256);
    if (await this.exists(sha256)) {
      await rm(tempPath, { force: true });
      return;
    }
    await mkdir(join(target, '..'), { recursive: true });
    await chmod(tempPath, 0o444);
    await rename(tempPath, target);
  }

  async importFile(path: string, maxBytes: number): Promise<{ sha256: string; size: number }> {
    const st = await stat(path);
    if (st.size > maxBytes) throw new MediaError('MEDIA_TOO_LARGE', { limit: maxBytes });
    const got = await this.receive(createReadStream(path), maxBytes);
    await this.adopt(got.path, got.sha256);
    return { sha256: got.sha256, size: got.size };
  }

  async exists(sha256: string): Promise<boolean> {
    try {
      await access(this.pathOf(sha256));
      return true;
    } catch {
      return false;
    }
  }

  async remove(sha256: string): Promise<void> {
    await rm(this.pathOf(sha256), { force: true });
  }
}
