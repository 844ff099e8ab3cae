/**
 * Adding files to a digital object.
 *
 * Without JavaScript: a plain `multipart/form-data` form (its CSRF token in the action's query
 * string), each file streamed into the blob store's temporary folder as it arrives — never held
 * in memory — then checked and stored by `DigitalService.addFile`.
 *
 * With JavaScript (`digital-upload.js`): a resumable upload in chunks, for big files over poor
 * connections. `POST …/uploads` opens one (`{name, size}`), `PUT …/uploads/:id` appends a chunk
 * (`Content-Range: bytes start-end/total`, raw body), `GET …/uploads/:id` says how much arrived,
 * `POST …/uploads/:id/finish` hashes the file and adds it. The server never trusts the client's
 * offset: a chunk that does not start where the file ends is refused with 409 and the count the
 * server holds, and the client goes on from there. An upload's state is a small JSON file beside
 * its data, in the store's temporary folder; uploads left for a day are removed when another
 * starts.
 */
import { createWriteStream } from 'node:fs';
import { readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../../../domain/errors.js';
import type { DigitalFile } from '../../../app/ports.js';
import { errorText, sendPage } from '../render.js';
import { requireUser } from './forms.js';
import { formatBytes } from './imports.pages.js';
import { BASE, ROUTE, appErrorText, param } from './digital-common.pages.js';
import { loadManaged, type DigitalDeps, type ObjectPageRenderer } from './digital.pages.js';

/** The largest chunk accepted in one request (the client sends 8 MiB). */
export const MAX_CHUNK_BYTES = 64 * 1024 ** 2;
/** Uploads untouched for this long are removed when a new one starts. */
export const ABANDONED_MS = 24 * 3_600_000;
const UPLOAD_ID = /^[0-9a-f]{32}$/;

interface UploadState {
  id: string;
  objectId: number;
  userId: number | null;
  name: string;
  size: number;
  createdAt: string;
}

/** The name the browser gave the file, without any path, control characters or excess length. */
export function cleanFileName(raw: string | undefined): string {
  // eslint-disable-next-line no-control-regex
  const base = (raw ?? '').split(/[\\/]/).pop()!.replace(/[\u0000-\u001f\u007f]/g, '').trim();
  return base.normalize('NFC').slice(0, 200);
}

function tooLarge(name: string, max: number, locale: 'vi' | 'en'): AppError {
  return new AppError('MEDIA_TOO_LARGE', { name, limit: formatBytes(locale, max) });
}

export function uploadRoutes(app: FastifyInstance, deps: DigitalDeps, renderObject: ObjectPageRenderer): void {
  const { services, tempDir, blobs } = deps;
  const { digital } = services;
  const max = () => digital.limits.maxBytes;
  /** One request at a time per upload (in this process). */
  const busy = new Set<string>();

  const statePath = (id: string) => join(tempDir, `upload-${id}.json`);
  const dataPath = (id: string) => join(tempDir, `upload-${id}.part`);
  const received = async (id: string) => (await stat(dataPath(id)).catch(() => undefined))?.size ?? 0;

  const loadUpload = async (req: FastifyRequest, objectId: number): Promise<UploadState> => {
    const id = (req.params as { uploadId?: string }).uploadId ?? '';
    const notFound = () => new AppError('DIGITAL_UPLOAD_NOT_FOUND', { upload: id.slice(0, 40) });
    if (!UPLOAD_ID.test(id)) throw notFound();
    const raw = await readFile(statePath(id), 'utf8').catch(() => undefined);
    if (!raw) throw notFound();
    const s = JSON.parse(raw) as UploadState;
    // Someone else's upload, or another object's, is not found here.
    if (s.objectId !== objectId || s.userId !== req.ctx.actor.userId) throw notFound();
    return s;
  };

  const removeUpload = async (id: string) => {
    await rm(dataPath(id), { force: true });
    await rm(statePath(id), { force: true });
  };

  /** Removes uploads nobody touched for a day (their data and their state). */
  const sweep = async () => {
    const names = await readdir(tempDir).catch(() => [] as string[]);
    const now = Date.now();
    for (const n of names) {
      const m = /^upload-([0-9a-f]{32})\.json$/.exec(n);
      if (!m) continue;
      const id = m[1]!;
      const times = await Promise.all([stat(statePath(id)).catch(() => undefined), stat(dataPath(id)).catch(() => undefined)]);
      const touched = Math.max(...times.map((s) => s?.mtimeMs ?? 0));
      if (now - touched > ABANDONED_MS && !busy.has(id)) await removeUpload(id);
    }
  };

  const drain = (req: FastifyRequest) => {
    const body = req.body as Readable | undefined;
    if (body && typeof body.resume === 'function') body.resume();
    else req.raw.resume();
  };

  // ---------------------------------------------------------------- without JavaScript

  app.post(`${ROUTE}/:id/files`, async (req, reply) => {
    requireUser(req);
    // Refused before a byte of the files is read.
    const o = await loadManaged(services, req, param(req, 'id'));
    const added: DigitalFile[] = [];
    const fail = async (e: unknown) => {
      req.raw.resume();
      const code = (e as { code?: string }).code;
      const err = code === 'FST_REQ_FILE_TOO_LARGE' ? tooLarge('', max(), req.ctx.locale) : e;
      if (!(err instanceof AppError) || err.code === 'PERMISSION_DENIED' || err.code === 'CSRF_INVALID') throw err;
      if ((req.headers.accept ?? '').includes('application/json')) throw err;
      return sendPage(reply, await renderObject(req, await loadManaged(services, req, o.id), { error: err, at: 'upload' }), err.status);
    };
    try {
      for await (const part of req.parts({ limits: { fileSize: max(), files: 100, fields: 5, parts: 105 } })) {
        if (part.type === 'field') continue;
        const name = cleanFileName(part.filename);
        if (part.fieldname !== 'file' || !name) {
          part.file.resume();
          continue;
        }
        const got = await digital.receive(part.file, name);
        if (part.file.truncated) {
          await rm(got.path, { force: true });
          throw tooLarge(name, max(), req.ctx.locale);
        }
        added.push(await digital.addFile(req.ctx.actor, o.id, { tempPath: got.path, sha256: got.sha256, size: got.size, name }));
      }
    } catch (e) {
      return fail(e);
    }
    if (added.length === 0) return fail(new AppError('VALIDATION', {}, [{ field: 'file', code: 'VALIDATION' }]));
    return reply.redirect(`${BASE}/${o.id}?ok=dstaff.upload.added#files-heading`, 303);
  });

  // ---------------------------------------------------------------- resumable, with JavaScript

  app.post(`${ROUTE}/:id/uploads`, async (req, reply) => {
    requireUser(req);
    const o = await loadManaged(services, req, param(req, 'id'));
    const body = (req.body ?? {}) as { name?: unknown; size?: unknown };
    const name = cleanFileName(typeof body.name === 'string' ? body.name : '') || 'file';
    const size = typeof body.size === 'number' && Number.isSafeInteger(body.size) ? body.size : -1;
    if (size < 1) throw new AppError('VALIDATION', {}, [{ field: 'size', code: 'VALIDATION' }]);
    if (size > max()) throw tooLarge(name, max(), req.ctx.locale);
    await sweep();
    const id = randomBytes(16).toString('hex');
    const state: UploadState = { id, objectId: o.id, userId: req.ctx.actor.userId, name, size, createdAt: new Date().toISOString() };
    await writeFile(dataPath(id), '', { flag: 'wx' });
    await writeFile(statePath(id), JSON.stringify(state), { flag: 'wx' });
    return reply.code(201).header('cache-control', 'no-store').send({ id, received: 0, size, name });
  });

  app.get(`${ROUTE}/:id/uploads/:uploadId`, async (req, reply) => {
    requireUser(req);
    const o = await loadManaged(services, req, param(req, 'id'));
    const s = await loadUpload(req, o.id);
    return reply.header('cache-control', 'no-store').send({ id: s.id, received: await received(s.id), size: s.size, name: s.name });
  });

  const offsetRefusal = (reply: FastifyReply, req: FastifyRequest, got: number, size: number) =>
    reply
      .code(409)
      .header('cache-control', 'no-store')
      .send({ error: { code: 'DIGITAL_UPLOAD_OFFSET', message: errorText(req.ctx.t, 'DIGITAL_UPLOAD_OFFSET', { received: got }) }, received: got, size });

  app.put(`${ROUTE}/:id/uploads/:uploadId`, async (req, reply) => {
    requireUser(req);
    let s: UploadState;
    try {
      const o = await loadManaged(services, req, param(req, 'id'));
      s = await loadUpload(req, o.id);
    } catch (e) {
      drain(req);
      throw e;
    }
    const body = req.body as Readable | undefined;
    const m = /^bytes (\d{1,15})-(\d{1,15})\/(\d{1,15})$/.exec(String(req.headers['content-range'] ?? '').trim());
    if (!body || typeof body.pipe !== 'function' || !m) {
      drain(req);
      throw new AppError('VALIDATION', {}, [{ field: 'content-range', code: 'VALIDATION' }]);
    }
    const start = Number(m[1]);
    const end = Number(m[2]);
    const total = Number(m[3]);
    if (total !== s.size || end < start || end >= s.size || end - start + 1 > MAX_CHUNK_BYTES) {
      drain(req);
      if (total > max()) throw tooLarge(s.name, max(), req.ctx.locale);
      throw new AppError('VALIDATION', {}, [{ field: 'content-range', code: 'VALIDATION' }]);
    }
    if (busy.has(s.id)) {
      drain(req);
      return offsetRefusal(reply, req, await received(s.id), s.size);
    }
    busy.add(s.id);
    try {
      const have = await received(s.id);
      if (start !== have) {
        drain(req);
        return offsetRefusal(reply, req, have, s.size);
      }
      const expected = end - start + 1;
      let count = 0;
      const meter = new Transform({
        transform(chunk: Buffer, _enc, done) {
          count += chunk.length;
          if (count > expected) done(new AppError('VALIDATION', {}, [{ field: 'body', code: 'VALIDATION' }]));
          else done(null, chunk);
        },
      });
      try {
        await pipeline(body, meter, createWriteStream(dataPath(s.id), { flags: 'a' }));
      } catch (e) {
        // More bytes than the range said: the chunk is dropped whole. A connection that broke
        // keeps what arrived in order; the client asks how much and goes on from there.
        if (e instanceof AppError) {
          await truncate(dataPath(s.id), start);
          drain(req);
          throw e;
        }
        req.log.info({ upload: s.id, err: e instanceof Error ? e.message : String(e) }, 'upload chunk interrupted');
      }
      return reply.header('cache-control', 'no-store').send({ id: s.id, received: await received(s.id), size: s.size });
    } finally {
      busy.delete(s.id);
    }
  });

  app.post(`${ROUTE}/:id/uploads/:uploadId/finish`, async (req, reply) => {
    requireUser(req);
    const o = await loadManaged(services, req, param(req, 'id'));
    const s = await loadUpload(req, o.id);
    if (busy.has(s.id)) return offsetRefusal(reply, req, await received(s.id), s.size);
    busy.add(s.id);
    try {
      const have = await received(s.id);
      if (have !== s.size) return offsetRefusal(reply, req, have, s.size);
      const { sha256, size } = await blobs.hashFile(dataPath(s.id));
      // The state goes first: whatever addFile decides, this upload is over (it removes or keeps the data).
      await rm(statePath(s.id), { force: true });
      try {
        const f = await digital.addFile(req.ctx.actor, o.id, { tempPath: dataPath(s.id), sha256, size, name: s.name });
        return reply.code(201).header('cache-control', 'no-store').send({ file: { id: f.id, name: f.name, size: f.size, mediaType: f.mediaType, pages: f.pages, sha256: f.sha256 }, object: `${BASE}/${o.id}` });
      } catch (e) {
        await rm(dataPath(s.id), { force: true });
        if (e instanceof AppError) {
          return reply
            .code(e.status)
            .header('cache-control', 'no-store')
            .send({ error: { code: e.code, message: appErrorText(req.ctx.t, e) } });
        }
        throw e;
      }
    } finally {
      busy.delete(s.id);
    }
  });

  app.delete(`${ROUTE}/:id/uploads/:uploadId`, async (req, reply) => {
    requireUser(req);
    const o = await loadManaged(services, req, param(req, 'id'));
    const s = await loadUpload(req, o.id);
    if (!busy.has(s.id)) await removeUpload(s.id);
    return reply.code(204).send();
  });
}
