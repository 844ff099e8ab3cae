/**
 * The digital library in the JSON API: an object's description, rights and pages (with links to
 * its IIIF image services), a page's text with word boxes, and its BagIt package for staff.
 * Access is decided by the same use case as tiles, manifests and the reader.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { LICENCES } from '../../domain/digital/object.js';
import { tarBag } from '../../codecs/bagit/tar.js';
import { nodeBagIo } from '../../adapters/files/bag-io.js';
import { AppError } from '../../domain/errors.js';
import type { Services } from '../../main/container.js';
import { viewerOf } from '../protocols/iiif.routes.js';

const Id = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,9}$' }) });
const PageParams = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,9}$' }), seq: Type.String({ pattern: '^[0-9]{1,6}$' }) });

export async function digitalApi(appIn: FastifyInstance, opts: { services: Services }): Promise<void> {
  const app = appIn.withTypeProvider<TypeBoxTypeProvider>();
  const { iiif, digital, bags } = opts.services;

  app.get(
    '/digital/objects/:id',
    { schema: { tags: ['digital'], summary: 'A digital object: description, rights, pages', params: Id } },
    async (req) => {
      const { object: o, access, pages } = await iiif.object(viewerOf(req), req.params.id);
      const files = access.download ? await digital.files(o.id) : [];
      return {
        id: o.id,
        recordId: o.recordId,
        title: o.title,
        dc: o.dc,
        category: o.category,
        library: o.ownerUnitId,
        access: o.access,
        licence: { code: o.licence, uri: LICENCES[o.licence].uri, label: LICENCES[o.licence].label },
        download: access.download,
        manifest: `/iiif/3/${o.id}/manifest`,
        files: files.map((f) => ({ id: f.id, name: f.name, mediaType: f.mediaType, size: f.size, sha256: f.sha256, link: `/digital/${o.id}/files/${f.id}` })),
        pages: pages.map((p) => ({ seq: p.seq, label: p.label, width: p.width, height: p.height, image: `/iiif/3/${o.id}-${p.seq}`, hasText: !!p.textAt, textSource: p.textSource })),
      };
    },
  );

  app.get(
    '/digital/objects/:id/pages/:seq/text',
    { schema: { tags: ['digital'], summary: 'A page’s text and its words with boxes (image pixels)', params: PageParams } },
    async (req) => {
      const { object: o, pages } = await iiif.object(viewerOf(req), req.params.id);
      const p = pages.find((x) => x.seq === Number(req.params.seq));
      if (!p?.textAt) throw new AppError('DIGITAL_PAGE_NOT_FOUND', { object: o.id, page: Number(req.params.seq) });
      const words = await digital.words(p.id);
      return { seq: p.seq, text: p.text ?? '', source: p.textSource, confidence: p.confidence, width: p.width, height: p.height, words };
    },
  );

  // The bag is written to a temporary folder (masters are copied from the store), streamed as
  // one tar, and removed when the answer has gone out.
  app.get(
    '/digital/objects/:id/bag',
    { schema: { tags: ['digital'], summary: 'The object as a BagIt 1.0 bag (tar), for staff', params: Id } },
    async (req, reply) => {
      if (req.ctx.via === 'anonymous') throw new AppError('AUTH_REQUIRED');
      const work = await mkdtemp(join(tmpdir(), 'lienthong-bag-'));
      const dir = join(work, `lienthong-${req.params.id}`);
      try {
        await bags.exportObject(req.ctx.actor, Number(req.params.id), dir);
        const { size, stream } = await tarBag(dir, { io: nodeBagIo });
        const body = Readable.from(stream);
        body.on('close', () => void rm(work, { recursive: true, force: true }));
        return reply
          .type('application/x-tar')
          .header('content-length', size)
          .header('content-disposition', `attachment; filename="lienthong-${req.params.id}.tar"`)
          .send(body);
      } catch (e) {
        await rm(work, { recursive: true, force: true });
        throw e;
      }
    },
  );
}
