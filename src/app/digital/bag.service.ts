/**
 * Preservation packages: BagIt 1.0 export of an object or a collection, and import of such a bag
 * as new objects.
 *
 * Layout of an exported object (under `data/`, or `data/<object id>/` in a collection's bag):
 *   files/<seq>-<name>          the master files as uploaded, never altered
 *   text/page-0001.txt          each page's text (NFC), when it has some
 *   alto/page-0001.xml          each page's words with boxes (ALTO 4)
 *   metadata/dublin-core.xml    the Dublin Core description (oai_dc)
 *   metadata/object.json        everything needed to re-create the object here or elsewhere
 * bag-info.txt names the library (Source-Organization), the object (External-Identifier) and its
 * title (External-Description). Masters are copied straight from the content-addressed store with
 * their known SHA-256, so a large collection exports at disk speed.
 */
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { AppError } from '../../domain/errors.js';
import { DC_ELEMENTS, isDcElement, type DublinCore } from '../../domain/digital/object.js';
import { writeBag, type PayloadFile } from '../../codecs/bagit/write.js';
import { readBag } from '../../codecs/bagit/read.js';
import type { BagIo } from '../../codecs/bagit/io.js';
import { writeAlto } from '../../codecs/ocr/alto.js';
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import { authorize } from '../guard.js';
import type { Clock, Store, StoredDigitalObject } from '../ports.js';
import type { DigitalService, ObjectInput } from './digital.service.js';

/** A small in-memory file as the byte stream the bag writer takes. */
async function* bytes(s: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(s, 'utf8');
}

const pad = (n: number) => String(n).padStart(4, '0');
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The Dublin Core as an `oai_dc` document. */
export function dublinCoreXml(dc: DublinCore): string {
  const rows = DC_ELEMENTS.flatMap((el) => (dc[el] ?? []).map((v) => `  <dc:${el}>${xml(v)}</dc:${el}>`));
  return `<?xml version="1.0" encoding="UTF-8"?>\n<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">\n${rows.join('\n')}\n</oai_dc:dc>\n`;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

/** The Dublin Core elements of an `oai_dc` document (as `dublinCoreXml` writes, or another system). */
export function readDublinCoreXml(text: string): DublinCore {
  const dc: DublinCore = {};
  for (const m of text.matchAll(/<dc:([a-z]+)(?:\s[^>]*)?>([^<]*)<\/dc:\1\s*>/g)) {
    const el = m[1]!;
    if (!isDcElement(el)) continue;
    const value = m[2]!.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
      if (ref[0] !== '#') return ENTITIES[ref] ?? whole;
      const cp = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return cp > 0 && cp <= 0x10ffff ? String.fromCodePoint(cp) : whole;
    });
    if (value.trim()) (dc[el] ??= []).push(value);
  }
  return dc;
}

interface ObjectJson {
  format: 'lienthong-digital-object/1';
  id: number;
  title: string;
  dc: DublinCore;
  category: string;
  access: string;
  embargoUntil: string | null;
  licence: string;
  downloadable: boolean;
  watermark: boolean;
  ocrLanguages: string;
  state: string;
  files: { path: string; name: string; mediaType: string; sha256: string; size: number; pages: number }[];
}

export class BagService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #digital: DigitalService;
  readonly #io: BagIo;

  constructor(deps: { store: Store; clock: Clock; digital: DigitalService; io: BagIo }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#digital = deps.digital;
    this.#io = deps.io;
  }

  async #payload(o: StoredDigitalObject, prefix: string): Promise<{ files: PayloadFile[]; json: ObjectJson }> {
    const d = this.#store.digital;
    const files: PayloadFile[] = [];
    const masters = await d.filesOf(o.id);
    const json: ObjectJson = {
      format: 'lienthong-digital-object/1',
      id: o.id,
      title: o.title,
      dc: o.dc,
      category: o.category,
      access: o.access,
      embargoUntil: o.embargoUntil,
      licence: o.licence,
      downloadable: o.downloadable,
      watermark: o.watermark,
      ocrLanguages: o.ocrLanguages,
      state: o.state,
      files: [],
    };
    for (const f of masters) {
      const path = `${prefix}files/${pad(f.seq)}-${f.name.replace(/[/\\\0]/g, '_')}`;
      files.push({ path, source: () => this.#digital.blobPath(f.sha256), sha256: f.sha256, size: f.size });
      json.files.push({ path, name: f.name, mediaType: f.mediaType, sha256: f.sha256, size: f.size, pages: f.pages });
    }
    const pages = await d.pagesOf(o.id);
    const words = await d.wordsOfPages(pages.filter((p) => p.textAt).map((p) => p.id));
    for (const p of pages) {
      if (!p.textAt) continue;
      const text = p.text ?? '';
      files.push({ path: `${prefix}text/page-${pad(p.seq)}.txt`, source: () => bytes(text) });
      const alto = writeAlto({ text, words: words.get(p.id) ?? [], confidence: p.confidence ?? 0, width: p.width ?? 0, height: p.height ?? 0 }, { fileName: `${o.id}-${p.seq}`, software: { name: p.engine ?? 'ocr' } });
      files.push({ path: `${prefix}alto/page-${pad(p.seq)}.xml`, source: () => bytes(alto) });
    }
    files.push({ path: `${prefix}metadata/dublin-core.xml`, source: () => bytes(dublinCoreXml(o.dc)) });
    files.push({ path: `${prefix}metadata/object.json`, source: () => bytes(JSON.stringify(json, null, 2)) });
    return { files, json };
  }

  /** Writes the bag of one object to `dir` (which must not exist yet). */
  async exportObject(actor: Actor, objectId: number, dir: string): Promise<{ files: number; bytes: number }> {
    const o = await this.#digital.get(objectId);
    await authorize(this.#store, actor, 'digital.object.manage', o.ownerUnitId);
    const unit = await this.#store.org.getById(o.ownerUnitId);
    const { files } = await this.#payload(o, '');
    const written = await writeBag(dir, files, { 'Source-Organization': unit?.nameVi ?? '', 'External-Identifier': `lienthong:digital:${o.id}`, 'External-Description': o.title }, { io: this.#io, now: this.#clock.now() });
    await this.#audit(actor, 'digital.bag.export', o.ownerUnitId, o.id, { dir, files: written.files.length, bytes: written.octets });
    return { files: written.files.length, bytes: written.octets };
  }

  /** Writes the bag of every live object of a collection, one folder per object. */
  async exportCollection(actor: Actor, code: string, dir: string): Promise<{ files: number; bytes: number; objects: number }> {
    const c = await this.#digital.collectionByCode(code);
    await authorize(this.#store, actor, 'digital.object.manage', c.ownerUnitId);
    const objects = await this.#store.digital.listObjects({ collectionId: c.id, limit: 100_000 });
    const payloadOf = (o: StoredDigitalObject) => this.#payload(o, `${o.id}/`);
    async function* all(): AsyncGenerator<PayloadFile> {
      for (const o of objects) yield* (await payloadOf(o)).files;
    }
    const unit = await this.#store.org.getById(c.ownerUnitId);
    const written = await writeBag(dir, all(), { 'Source-Organization': unit?.nameVi ?? '', 'External-Identifier': `lienthong:collection:${c.code}`, 'External-Description': c.nameVi }, { io: this.#io, now: this.#clock.now() });
    await this.#audit(actor, 'digital.bag.export', c.ownerUnitId, c.code, { dir, objects: objects.length, files: written.files.length, bytes: written.octets });
    return { files: written.files.length, bytes: written.octets, objects: objects.length };
  }

  /**
   * Validates a bag and creates an object from it for `unitId`: from `metadata/object.json` when
   * the bag is ours, otherwise from `metadata/dublin-core.xml` or bag-info.txt's description, with
   * every image or PDF in the payload as a master file in name order. An invalid bag is refused
   * with its problems and nothing is created.
   */
  async importBag(actor: Actor, dir: string, unitId: number): Promise<{ object: StoredDigitalObject; files: number }> {
    await authorize(this.#store, actor, 'digital.object.manage', unitId);
    const bag = await readBag(dir, { io: this.#io });
    if (!bag.valid) throw new AppError('BAG_INVALID', { reason: bag.problems.slice(0, 5).map((p) => `${p.path ?? ''} ${p.message}`.trim()).join('; ') });
    const paths = bag.files.map((f) => f.path);
    const jsonPath = paths.find((p) => /(^|\/)metadata\/object\.json$/.test(p));
    let json: Partial<ObjectJson> = {};
    if (jsonPath) {
      try {
        json = JSON.parse(await readFile(join(dir, 'data', jsonPath), 'utf8')) as Partial<ObjectJson>;
      } catch {
        throw new AppError('BAG_INVALID', { reason: `${jsonPath} is not valid JSON` });
      }
    }
    const masters = json.files?.length
      ? json.files.map((f) => ({ path: f.path, name: f.name }))
      : paths.filter((p) => /\.(jpe?g|png|webp|tiff?|pdf|jp2)$/i.test(p) && !/(^|\/)(alto|text|metadata)\//.test(p)).sort().map((p) => ({ path: p, name: p.split('/').pop()! }));
    for (const m of masters) if (!paths.includes(m.path)) throw new AppError('BAG_INVALID', { reason: `object.json names ${m.path}, which is not in the payload` });
    const stored = [];
    for (const m of masters) stored.push(await this.#digital.storeFile(join(dir, 'data', m.path), m.name));
    let dc: DublinCore | undefined = json.dc;
    const dcPath = dc ? undefined : paths.find((p) => /(^|\/)metadata\/dublin-core\.xml$/.test(p));
    if (dcPath) dc = readDublinCoreXml(await readFile(join(dir, 'data', dcPath), 'utf8'));
    if (!dc?.title?.length) dc = { ...dc, title: [bag.info['External-Description']?.[0] ?? bag.info['Title']?.[0] ?? (masters[0]?.name ?? 'Bag')] };
    const input: ObjectInput & { source: string } = {
      ownerUnitId: unitId,
      dc,
      category: json.category,
      access: json.access,
      embargoUntil: json.embargoUntil ?? null,
      licence: json.licence,
      downloadable: json.downloadable,
      watermark: json.watermark,
      ocrLanguages: json.ocrLanguages,
      // A bag's object arrives for checking, whatever state it had where it came from.
      state: stored.length > 0 ? 'qc' : 'selected',
      source: `bag:${bag.info['External-Identifier']?.[0] ?? ''}`.slice(0, 200),
    };
    const object = await this.#digital.createWithFiles(actor, input, stored);
    await this.#audit(actor, 'digital.bag.import', unitId, object.id, { files: stored.length, externalId: bag.info['External-Identifier']?.[0] ?? null });
    return { object, files: stored.length };
  }

  async #audit(actor: Actor, action: string, unitId: number, target: number | string, after: Record<string, unknown>): Promise<void> {
    await this.#store.transaction((tx) => audit(tx, actor, this.#clock.now(), { action, unitId, targetType: typeof target === 'number' ? 'digital_object' : 'digital_collection', targetId: target, after }));
  }
}
