/**
 * The file store's uploads: a refused one leaves nothing in its temporary folder, even when it is
 * refused on its first chunk, before the file was opened.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { FileBlobStore } from './blob-store.js';
import { MediaError } from '../../app/digital/media.js';

describe('FileBlobStore.receive', () => {
  let root: string;
  let store: FileBlobStore;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'lienthong-blobs-'));
    store = await FileBlobStore.open(root);
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('keeps a file within the limit, hashed', async () => {
    const got = await store.receive(Readable.from([Buffer.from('xin chào')]), 100);
    expect(got.size).toBe(Buffer.byteLength('xin chào'));
    expect(got.sha256).toMatch(/^[0-9a-f]{64}$/u);
    await rm(got.path);
  });

  it('refuses a file over the limit and leaves no temporary file, however early it is refused', async () => {
    const tries = Array.from({ length: 200 }, (_, i) =>
      store.receive(Readable.from([Buffer.alloc(i % 2 === 0 ? 4096 : 64, 1), Buffer.alloc(4096, 2)]), 1000).then(
        () => 'kept',
        (e: unknown) => (e instanceof MediaError ? e.code : String(e)),
      ),
    );
    expect(new Set(await Promise.all(tries))).toEqual(new Set(['MEDIA_TOO_LARGE']));
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });
});
