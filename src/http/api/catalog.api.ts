/**
 * The union catalogue in the JSON API: records (as stored columns, derived fields and
 * MARC-in-JSON, or raw MARCXML / ISO 2709) and their items. Handlers only map input and output;
 * the use cases in `app/catalog.service.ts` check permissions and write the audit log.
 *
 * Reading is public, as the OPAC is: anonymous callers see items without staff notes and prices,
 * which only staff who manage the owning library's items see.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError, ERRORS } from '../../domain/errors.js';
import { MARC_RULE_CODES } from '../../domain/catalog/marc21-rules.js';
import { ITEM_STATUSES, type ItemInput, type ItemStatus } from '../../domain/catalog/items.js';
import type { ShelfScheme } from '../../domain/catalog/shelf-key.js';
import { MATCH_ORDER } from '../../domain/catalog/identity.js';
import type { MarcRecord } from '../../codecs/marc/record.js';
import { readMarcJson } from '../../codecs/marc/parse.js';
import { toMarcJson, writeIso2709, writeMarcXml } from '../../codecs/marc/write.js';
import type { Actor } from '../../app/actor.js';
import type { RecordView } from '../../app/catalog.service.js';
import type { StoredItem, StoredRecord } from '../../app/ports.js';
import { EXPORT_CONTENT_TYPES } from '../../app/export.service.js';
import type { Services } from '../../main/container.js';

// ---------------------------------------------------------------- schemas

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

const RuleProblemSchema = Type.Object({
  severity: Type.String({ enum: ['error', 'warning'] }),
  code: Type.String({ enum: [...MARC_RULE_CODES] }),
  tag: Type.Optional(Type.String()),
  fieldIndex: Type.Optional(Type.Integer({ description: 'Position of the field in `fields`, from 0' })),
  subfield: Type.Optional(Type.String()),
  params: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
});

const CandidateSchema = Type.Object({
  recordId: Type.Integer(),
  on: Type.String({ enum: [...MATCH_ORDER], description: 'What the two records share: 001+003, ISBN, ISSN, 035, or the title/author/year key' }),
  value: Type.String(),
  title: Type.String(),
});

/** The API's error body, with what a refused record carries besides. */
const CatalogErrorSchema = Type.Object({
  error: Type.Object({
    code: Type.String({ enum: Object.keys(ERRORS) }),
    message: Type.String(),
    details: Type.Optional(Type.Array(Type.Object({ field: Type.String(), code: Type.String(), message: Type.String(), row: Type.Optional(Type.Integer()) }, { additionalProperties: true }))),
    problems: Type.Optional(Type.Array(RuleProblemSchema, { description: 'CATALOG_RECORD_INVALID: the MARC21 rules the record breaks' })),
    candidates: Type.Optional(Type.Array(CandidateSchema, { description: 'CATALOG_RECORD_DUPLICATE: the records it seems to duplicate, best match first' })),
    requestId: Type.String(),
  }),
});

const errors = { 400: CatalogErrorSchema, 401: CatalogErrorSchema, 403: CatalogErrorSchema, 404: CatalogErrorSchema, 409: CatalogErrorSchema, 410: CatalogErrorSchema };

const MarcJsonSchema = Type.Object(
  { leader: Type.String({ minLength: 24, maxLength: 24 }), fields: Type.Array(Type.Record(Type.String(), Type.Unknown())) },
  { description: 'MARC-in-JSON: `{ "leader": "…", "fields": [{ "001": "…" }, { "245": { "ind1": "1", "ind2": "0", "subfields": [{ "a": "…" }] } }] }`' },
);

/** Input MARC is checked by the codec, which says exactly where a record is broken. */
const MarcJsonInput = Type.Object(
  { leader: Type.Optional(Type.Unknown()), fields: Type.Optional(Type.Unknown()) },
  { additionalProperties: true, description: MarcJsonSchema.description },
);

const DerivedSchema = Type.Object(
  {
    title: Type.Optional(Type.String()),
    responsibility: Type.Optional(Type.String()),
    year: Type.Optional(Type.Integer()),
    languages: Type.Array(Type.String()),
    materialType: Type.String(),
  },
  { additionalProperties: true, description: 'Display, facet and matching fields derived from the MARC (authors, subjects, ISBNs, call number…)' },
);

const summaryFields = {
  id: Type.Integer(),
  title: Type.String(),
  responsibility: Nullable(Type.String()),
  mainAuthor: Nullable(Type.String()),
  publisher: Nullable(Type.String()),
  year: Nullable(Type.Integer()),
  language: Nullable(Type.String()),
  materialType: Type.String(),
  callNumber: Nullable(Type.String()),
  ownerUnitId: Type.Integer(),
  updatedAt: Type.String(),
  status: Type.String({ enum: ['active', 'deleted'] }),
};

const RecordSummarySchema = Type.Object(summaryFields);

const ItemSchema = Type.Object({
  id: Type.Integer(),
  recordId: Type.Integer(),
  barcode: Type.String(),
  ownerUnitId: Type.Integer(),
  ownerUnitCode: Type.String(),
  locationUnitId: Type.Integer(),
  locationUnitCode: Type.String(),
  shelvingLocation: Nullable(Type.String()),
  callNumber: Nullable(Type.String()),
  callScheme: Nullable(Type.String()),
  shelfKey: Nullable(Type.String()),
  itemType: Nullable(Type.String()),
  status: Type.String({ enum: [...ITEM_STATUSES] }),
  price: Type.Optional(Nullable(Type.Number({ description: 'Staff who manage the owning library’s items only' }))),
  currency: Type.Optional(Nullable(Type.String())),
  acquiredOn: Nullable(Type.String()),
  copyNumber: Nullable(Type.String()),
  publicNote: Nullable(Type.String()),
  staffNote: Type.Optional(Nullable(Type.String({ description: 'Staff who manage the owning library’s items only' }))),
  source: Type.String(),
  version: Type.Integer({ description: 'Send it back when updating: a concurrent change makes the update fail with CATALOG_STALE_VERSION' }),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  withdrawnAt: Nullable(Type.String()),
});

const RecordDetailSchema = Type.Object({
  ...summaryFields,
  sortTitle: Type.String(),
  controlNumber: Nullable(Type.String()),
  controlSource: Nullable(Type.String()),
  source: Type.String(),
  version: Type.Integer({ description: 'Send it back when updating or deleting: a concurrent change makes it fail with CATALOG_STALE_VERSION' }),
  createdBy: Nullable(Type.Integer()),
  updatedBy: Nullable(Type.Integer()),
  createdAt: Type.String(),
  deletedAt: Nullable(Type.String()),
  replacedById: Nullable(Type.Integer()),
  derived: DerivedSchema,
  marc: MarcJsonSchema,
  items: Type.Array(ItemSchema),
});

const SavedRecordSchema = Type.Object({
  ...RecordDetailSchema.properties,
  warnings: Type.Array(RuleProblemSchema, { description: 'MARC21 rules the record bends without breaking them' }),
});

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });

const text = (maxLength: number, description?: string) => Type.String({ maxLength, ...(description ? { description } : {}) });
const clearable = <T extends TSchema>(t: T) => Type.Optional(Nullable(t));

// Item attributes as staff give them: `services.catalog` normalises and checks them, reporting
// each problem by field (CATALOG_ITEM_INVALID), so the schemas here only bound their size.
const Barcode = text(100, 'Normalised: spaces removed, letters upper case; unique in the network');
const LocationUnitCode = text(32, 'Where the copy is now; defaults to the owner');
const CallNumber = text(1000, 'Defaults to the record’s call number');
const CallScheme = text(16, 'ddc, udc, bbk or other; guessed from the call number when left out');
const ItemType = text(100, 'book, reference, periodical, thesis, map, av, children or a local code');
const Status = text(32, ITEM_STATUSES.join(', '));
const Price = Type.Union([text(100), Type.Number()], { description: 'A number, or as written: 120.000 đ, 12.50 USD' });
const Currency = text(16, 'ISO 4217; defaults to the one written in price, else VND');
const AcquiredOn = text(32, 'YYYY-MM-DD, not after today');

const NewItemBody = Type.Object(
  {
    barcode: Barcode,
    ownerUnitCode: text(32, 'The library that owns the copy (needs catalog.item.manage there)'),
    locationUnitCode: Type.Optional(LocationUnitCode),
    shelvingLocation: Type.Optional(text(1000)),
    callNumber: Type.Optional(CallNumber),
    callScheme: Type.Optional(CallScheme),
    itemType: Type.Optional(ItemType),
    status: Type.Optional(Status),
    price: Type.Optional(Price),
    currency: Type.Optional(Currency),
    acquiredOn: Type.Optional(AcquiredOn),
    copyNumber: Type.Optional(text(1000)),
    publicNote: Type.Optional(text(4000)),
    staffNote: Type.Optional(text(4000)),
  },
  { additionalProperties: false },
);

const ItemChangesBody = Type.Object(
  {
    version: Type.Integer(),
    barcode: Type.Optional(Barcode),
    ownerUnitCode: Type.Optional(text(32, 'Giving the copy to another library needs catalog.item.manage at both')),
    locationUnitCode: Type.Optional(LocationUnitCode),
    shelvingLocation: clearable(text(1000)),
    callNumber: clearable(CallNumber),
    callScheme: clearable(CallScheme),
    itemType: clearable(ItemType),
    status: Type.Optional(Status),
    price: clearable(Price),
    currency: clearable(Currency),
    acquiredOn: clearable(AcquiredOn),
    copyNumber: clearable(text(1000)),
    publicNote: clearable(text(4000)),
    staffNote: clearable(text(4000)),
  },
  { additionalProperties: false, description: 'Only the attributes to change, with the item’s version; null clears one' },
);

// ---------------------------------------------------------------- mapping

type ItemOut = Static<typeof ItemSchema>;

function requireAuth(req: FastifyRequest): void {
  if (req.ctx.actor.userId === null) throw new AppError(req.ctx.sessionExpired ? 'AUTH_SESSION_EXPIRED' : 'AUTH_REQUIRED');
}

/** The one record of a MARC-in-JSON value, read strictly: a broken record is refused, not repaired. */
function readMarc(input: unknown): MarcRecord {
  const results = readMarcJson(input as object, { strict: true });
  const first = results[0];
  if (!first) throw new AppError('CATALOG_MARC_UNREADABLE', { reason: 'no record' });
  if (!first.ok) throw new AppError('CATALOG_MARC_UNREADABLE', { reason: first.error.message });
  return first.record;
}

function summary(r: StoredRecord): Static<typeof RecordSummarySchema> {
  return {
    id: r.id,
    title: r.title,
    responsibility: r.responsibility,
    mainAuthor: r.mainAuthor,
    publisher: r.publisher,
    year: r.year,
    language: r.language,
    materialType: r.materialType,
    callNumber: r.callNumber,
    ownerUnitId: r.ownerUnitId,
    updatedAt: r.updatedAt,
    status: r.status,
  };
}

function detail(view: RecordView, items: ItemOut[]): Static<typeof RecordDetailSchema> {
  const { marc: _m, ...columns } = view.record;
  return { ...columns, derived: view.derived as Static<typeof DerivedSchema>, marc: toMarcJson(view.marc) as Static<typeof MarcJsonSchema>, items };
}

/** Without what only the owning library's staff see. */
function publicItem(i: StoredItem): StoredItem {
  return { ...i, price: null, currency: null, staffNote: null };
}

/** The attributes of a stored item as input, so a change can name only what changes. */
function itemInput(i: StoredItem): ItemInput {
  const v = (s: string | null) => s ?? undefined;
  return {
    barcode: i.barcode,
    ownerUnitCode: i.ownerUnitCode,
    locationUnitCode: i.locationUnitCode,
    shelvingLocation: v(i.shelvingLocation),
    callNumber: v(i.callNumber),
    callScheme: v(i.callScheme) as ShelfScheme | undefined,
    itemType: v(i.itemType),
    status: i.status as ItemStatus,
    price: i.price ?? undefined,
    currency: v(i.currency),
    acquiredOn: v(i.acquiredOn),
    copyNumber: v(i.copyNumber),
    publicNote: v(i.publicNote),
    staffNote: v(i.staffNote),
  };
}

// ---------------------------------------------------------------- routes

export async function catalogApi(base: FastifyInstance, opts: { services: Services }): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { catalog, org, exports } = opts.services;
  const tags = ['catalogue'];

  /** Which items the actor sees in full: those of libraries where they manage items. */
  const managed = async (actor: Actor, items: readonly StoredItem[]): Promise<(i: StoredItem) => boolean> => {
    if (actor.grants.length === 0) return () => false;
    const owners = new Map<number, boolean>();
    for (const id of new Set(items.map((i) => i.ownerUnitId))) owners.set(id, await org.can(actor, 'catalog.item.manage', id));
    return (i) => owners.get(i.ownerUnitId) === true;
  };

  const presentItems = async (req: FastifyRequest, items: readonly StoredItem[]): Promise<ItemOut[]> => {
    const full = await managed(req.ctx.actor, items);
    return items.map((i) => {
      if (full(i)) return i;
      const { price: _p, currency: _c, staffNote: _s, ...rest } = i;
      return rest;
    });
  };

  const presentItem = async (req: FastifyRequest, item: StoredItem): Promise<ItemOut> => (await presentItems(req, [item]))[0]!;

  const presentRecord = async (req: FastifyRequest, view: RecordView) => detail(view, await presentItems(req, view.items));

  app.get(
    '/records',
    {
      schema: {
        summary: 'Records of the union catalogue, in id order, a page at a time',
        tags,
        security: [],
        querystring: Type.Object({
          afterId: Type.Optional(Type.Integer({ minimum: 0, description: 'The `next` of the previous page' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        }),
        response: { 200: Type.Object({ records: Type.Array(RecordSummarySchema), next: Nullable(Type.Integer({ description: 'afterId for the next page; null on the last' })) }), ...errors },
      },
    },
    async (req) => {
      const limit = req.query.limit ?? 50;
      // One more than asked tells whether another page follows.
      const page = await catalog.list({ afterId: req.query.afterId, limit: limit + 1 });
      const records = page.slice(0, limit);
      return { records: records.map(summary), next: page.length > limit ? records[records.length - 1]!.id : null };
    },
  );

  app.get(
    '/records/:id',
    {
      schema: {
        summary: 'One record with its derived fields, its MARC and its items; or its MARC alone as MARCXML or ISO 2709',
        description: 'A deleted record answers 410 CATALOG_RECORD_DELETED with the date. With `format`, the body is the MARC record as exported (001/003 our number, 952 holdings).',
        tags,
        security: [],
        params: IdParams,
        querystring: Type.Object({ format: Type.Optional(Type.String({ enum: ['json', 'marcxml', 'iso2709'], default: 'json' })) }),
        response: { 200: RecordDetailSchema, ...errors },
      },
    },
    async (req, reply) => {
      const view = await catalog.get(req.params.id);
      const format = req.query.format ?? 'json';
      if (format === 'json') return presentRecord(req, view);
      const full = await managed(req.ctx.actor, view.items);
      const items = view.items.filter((i) => i.status !== 'withdrawn').map((i) => (full(i) ? i : publicItem(i)));
      const marc = exports.toMarc(view.record, items);
      if (format === 'marcxml') return sendRaw(reply.type(EXPORT_CONTENT_TYPES.marcxml), Buffer.from(writeMarcXml(marc, { xmlDeclaration: true }), 'utf8'));
      return sendRaw(reply.type(EXPORT_CONTENT_TYPES.iso2709), Buffer.from(writeIso2709(marc)));
    },
  );

  app.post(
    '/records',
    {
      schema: {
        summary: 'Catalogue a new record (refused when it breaks MARC21 rules or seems a duplicate)',
        tags,
        body: Type.Object(
          {
            marc: MarcJsonInput,
            unitCode: text(32, 'The library that will own the record (needs catalog.record.create there)'),
            allowDuplicate: Type.Optional(Type.Boolean({ default: false, description: 'Create it even though it matches records already in the catalogue' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: SavedRecordSchema, ...errors },
      },
    },
    async (req, reply) => {
      requireAuth(req);
      const marc = readMarc(req.body.marc);
      const unit = await org.getByCode(req.body.unitCode);
      const { record, warnings } = await catalog.create(req.ctx.actor, { marc, unitId: unit.id, allowDuplicate: req.body.allowDuplicate, source: 'api' });
      const view = await catalog.get(record.id);
      return reply.code(201).header('location', `/api/v1/records/${record.id}`).send({ ...(await presentRecord(req, view)), warnings });
    },
  );

  app.put(
    '/records/:id',
    {
      schema: {
        summary: 'Replace a record’s MARC',
        tags,
        params: IdParams,
        body: Type.Object({ marc: MarcJsonInput, version: Type.Integer() }, { additionalProperties: false }),
        response: { 200: SavedRecordSchema, ...errors },
      },
    },
    async (req) => {
      requireAuth(req);
      const marc = readMarc(req.body.marc);
      const { warnings } = await catalog.update(req.ctx.actor, req.params.id, { marc, version: req.body.version });
      return { ...(await presentRecord(req, await catalog.get(req.params.id))), warnings };
    },
  );

  app.delete(
    '/records/:id',
    {
      schema: {
        summary: 'Delete a record without live items, leaving a tombstone (410 from then on)',
        tags,
        params: IdParams,
        querystring: Type.Object({ version: Type.Optional(Type.Integer()) }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      requireAuth(req);
      await catalog.delete(req.ctx.actor, req.params.id, { version: req.query.version });
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/records/check',
    {
      schema: {
        summary: 'Check a record against the MARC21 rules and the catalogue, saving nothing',
        tags,
        body: Type.Object({ marc: MarcJsonInput, recordId: Type.Optional(Type.Integer({ description: 'The record being edited, not reported as its own duplicate' })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ problems: Type.Array(RuleProblemSchema), duplicates: Type.Array(CandidateSchema) }), ...errors },
      },
    },
    async (req) => {
      requireAuth(req);
      const marc = readMarc(req.body.marc);
      return { problems: catalog.check(marc), duplicates: await catalog.findDuplicates(marc, req.body.recordId) };
    },
  );

  app.get(
    '/records/:id/history',
    {
      schema: {
        summary: 'A record’s story: edits, its items’ changes, and the imports that created or touched it, newest first',
        tags,
        params: IdParams,
        response: {
          200: Type.Array(
            Type.Object({
              at: Type.String(),
              who: Type.String(),
              action: Type.String(),
              detail: Nullable(Type.Record(Type.String(), Type.Unknown())),
              ref: Type.String({ description: 'The audit entry id, or jobId:seq for an import result' }),
            }),
          ),
          ...errors,
        },
      },
    },
    async (req) => {
      requireAuth(req);
      await catalog.get(req.params.id, { allowDeleted: true });
      return catalog.history(req.params.id);
    },
  );

  app.get(
    '/records/:id/items',
    { schema: { summary: 'The items of a record', tags, security: [], params: IdParams, response: { 200: Type.Array(ItemSchema), ...errors } } },
    async (req) => presentItems(req, (await catalog.get(req.params.id)).items),
  );

  app.post(
    '/records/:id/items',
    { schema: { summary: 'Add an item to a record', tags, params: IdParams, body: NewItemBody, response: { 201: ItemSchema, ...errors } } },
    async (req, reply) => {
      requireAuth(req);
      const item = await catalog.addItem(req.ctx.actor, req.params.id, req.body as ItemInput);
      return reply.code(201).header('location', `/api/v1/items/${item.id}`).send(await presentItem(req, item));
    },
  );

  app.get(
    '/items/by-barcode/:barcode',
    { schema: { summary: 'One item by its barcode', tags, security: [], params: Type.Object({ barcode: Type.String({ minLength: 1, maxLength: 100 }) }), response: { 200: ItemSchema, ...errors } } },
    async (req) => presentItem(req, await catalog.getItemByBarcode(req.params.barcode)),
  );

  app.get(
    '/items/:id',
    { schema: { summary: 'One item', tags, security: [], params: IdParams, response: { 200: ItemSchema, ...errors } } },
    async (req) => presentItem(req, await catalog.getItem(req.params.id)),
  );

  app.put(
    '/items/:id',
    { schema: { summary: 'Change an item’s attributes; the others keep their values', tags, params: IdParams, body: ItemChangesBody, response: { 200: ItemSchema, ...errors } } },
    async (req) => {
      requireAuth(req);
      const { version, ...changes } = req.body;
      const input: Record<string, unknown> = { ...itemInput(await catalog.getItem(req.params.id)) };
      // A new call number has its scheme guessed afresh unless one is given with it.
      if (changes.callNumber !== undefined && changes.callScheme === undefined) delete input.callScheme;
      for (const [k, v] of Object.entries(changes)) {
        if (v === null) delete input[k];
        else if (v !== undefined) input[k] = v;
      }
      return presentItem(req, await catalog.updateItem(req.ctx.actor, req.params.id, { ...(input as unknown as ItemInput), version }));
    },
  );

  app.post(
    '/items/:id/withdraw',
    {
      schema: {
        summary: 'Withdraw an item (weeded, lost for good): it stays on record with the date',
        tags,
        params: IdParams,
        body: Type.Object({ reason: Type.Optional(text(1000)) }, { additionalProperties: false }),
        response: { 200: ItemSchema, ...errors },
      },
      // Nothing to say is fine: a POST without a body means no reason.
      preValidation: async (req) => {
        req.body ??= {};
      },
    },
    async (req) => {
      requireAuth(req);
      return presentItem(req, await catalog.withdrawItem(req.ctx.actor, req.params.id, { reason: req.body.reason }));
    },
  );
}

/** Sends bytes the route's JSON schema does not describe (MARCXML, ISO 2709): Fastify passes buffers through unserialised. */
function sendRaw(reply: FastifyReply, body: Buffer): FastifyReply {
  return reply.send(body);
}
