/**
 * The JSON API, version 1. Each route declares TypeBox schemas for its input and output: they
 * validate requests, type the handler, and generate the OpenAPI 3.1 document served at
 * `/api/v1/openapi.json` (with a readable page at `/api/v1/docs`).
 *
 * Machine clients authenticate with `Authorization: Bearer <token>`; a browser session works
 * too, and then state-changing requests need the `x-csrf-token` header.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import swagger from '@fastify/swagger';
import { Type, type Static } from '@sinclair/typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError, ERRORS } from '../../domain/errors.js';
import { UNIT_TYPE_CODES } from '../../domain/org/unit-types.js';
import type { OrgUnit } from '../../domain/org/unit.js';
import type { Services } from '../../main/container.js';
import type { ReorganiseInput } from '../../app/org.service.js';
import { Layout, pageCtx, sendPage } from '../pages/render.js';
import { catalogApi } from './catalog.api.js';
import { searchApi } from './search.api.js';
import { digitalApi } from './digital.api.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

const UnitSchema = Type.Object(
  {
    id: Type.Integer(),
    code: Type.String(),
    slug: Type.String(),
    nameVi: Type.String(),
    nameEn: Type.String(),
    typeCode: Type.String({ enum: [...UNIT_TYPE_CODES] }),
    parentId: Nullable(Type.Integer()),
    path: Type.String({ description: 'Materialised ancestor path, root first: /1/4/9/' }),
    depth: Type.Integer(),
    status: Type.String({ enum: ['active', 'closed', 'merged'] }),
    mergedIntoId: Nullable(Type.Integer()),
    openedOn: Type.String({ format: 'date' }),
    endedOn: Nullable(Type.String({ format: 'date' })),
    address: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    email: Nullable(Type.String()),
    website: Nullable(Type.String()),
    openingHours: Nullable(Type.String()),
    latitude: Nullable(Type.Number()),
    longitude: Nullable(Type.Number()),
    descriptionVi: Nullable(Type.String()),
    descriptionEn: Nullable(Type.String()),
    version: Type.Integer({ description: 'Send it back when updating: a concurrent change makes the update fail with ORG_STALE_VERSION' }),
  },
  { $id: 'Unit' },
);

const HistoricUnitSchema = Type.Object({
  id: Type.Integer(),
  code: Type.String(),
  nameVi: Type.String(),
  nameEn: Type.String(),
  typeCode: Type.String(),
  parentId: Nullable(Type.Integer()),
  status: Type.String(),
  openedOn: Type.String(),
  slug: Nullable(Type.String()),
});

const ErrorSchema = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ enum: Object.keys(ERRORS) }),
      message: Type.String(),
      details: Type.Optional(Type.Array(Type.Object({ field: Type.String(), code: Type.String(), message: Type.String(), row: Type.Optional(Type.Integer()) }, { additionalProperties: true }))),
      requestId: Type.String(),
    }),
  },
  { $id: 'Error' },
);

const errors = {
  400: Type.Ref(ErrorSchema),
  401: Type.Ref(ErrorSchema),
  403: Type.Ref(ErrorSchema),
  404: Type.Ref(ErrorSchema),
  409: Type.Ref(ErrorSchema),
};

const CodeParams = Type.Object({ code: Type.String({ minLength: 1, maxLength: 32 }) });

const UnitDetailsBody = Type.Object(
  {
    nameVi: Type.Optional(Type.String({ maxLength: 200 })),
    nameEn: Type.Optional(Type.String({ maxLength: 200 })),
    slug: Type.Optional(Type.String({ maxLength: 80 })),
    address: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    phone: Type.Optional(Nullable(Type.String({ maxLength: 50 }))),
    email: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    website: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    openingHours: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    latitude: Type.Optional(Nullable(Type.Number())),
    longitude: Type.Optional(Nullable(Type.Number())),
    descriptionVi: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
    descriptionEn: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))),
  },
  { additionalProperties: false },
);

const CreateUnitBody = Type.Composite([
  Type.Object({
    code: Type.String({ maxLength: 32 }),
    nameVi: Type.String({ maxLength: 200 }),
    typeCode: Type.String({ enum: UNIT_TYPE_CODES.filter((c) => c !== 'network') }),
    parentCode: Type.String({ maxLength: 32 }),
    openedOn: Type.Optional(Type.String({ format: 'date' })),
  }),
  UnitDetailsBody,
], { additionalProperties: false });

const EventBody = Type.Object(
  {
    kind: Type.String({ enum: ['rename', 'move', 'merge', 'close'] }),
    date: Type.String({ format: 'date', description: 'Effective date, today or earlier' }),
    nameVi: Type.Optional(Type.String({ maxLength: 200 })),
    nameEn: Type.Optional(Type.String({ maxLength: 200 })),
    parentCode: Type.Optional(Type.String({ maxLength: 32, description: 'For move' })),
    intoCode: Type.Optional(Type.String({ maxLength: 32, description: 'For merge' })),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);

function present(u: OrgUnit): Static<typeof UnitSchema> {
  const { createdAt: _c, updatedAt: _u, ...rest } = u;
  return rest;
}

function requireAuth(req: FastifyRequest): void {
  if (req.ctx.actor.userId === null) throw new AppError(req.ctx.sessionExpired ? 'AUTH_SESSION_EXPIRED' : 'AUTH_REQUIRED');
}

export async function apiRoutes(base: FastifyInstance, opts: { services: Services; baseUrl: string }): Promise<void> {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const { org, audit, staff } = opts.services;

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Liên Thông API', version: '1.0.0', description: 'The JSON API of the Liên Thông library network platform.' },
      servers: [{ url: `${opts.baseUrl}/api/v1` }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token created under Staff area → My account' } } },
      security: [{ bearer: [] }],
    },
    transform: ({ schema, url }) => ({ schema, url: url.replace(/^\/api\/v1/, '') }),
  });
  app.addSchema(UnitSchema);
  app.addSchema(ErrorSchema);

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(catalogApi, { services: opts.services });
  await app.register(searchApi, { services: opts.services });
  await app.register(digitalApi, { services: opts.services });

  app.get('/docs', { schema: { hide: true } }, async (req, reply) => {
    const doc = app.swagger() as { paths?: Record<string, Record<string, { summary?: string }>> };
    const ctx = pageCtx(req);
    const { t } = ctx;
    const rows = Object.entries(doc.paths ?? {}).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method: method.toUpperCase(), summary: op.summary ?? '' })));
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('api.title')}>
        <h1>{t('api.title')}</h1>
        <p>{t('api.intro', { url: '/api/v1/openapi.json' })}</p>
        <p>
          <a href="/api/v1/openapi.json">openapi.json</a>
        </p>
        <div class="table-wrap">
          <table class="list stack">
            <thead>
              <tr>
                <th>{t('api.method')}</th>
                <th>{t('api.path')}</th>
                <th>{t('api.summary')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr>
                  <td data-label={t('api.method')}>
                    <code>{r.method}</code>
                  </td>
                  <td data-label={t('api.path')}>
                    <code>/api/v1{r.path}</code>
                  </td>
                  <td data-label={t('api.summary')}>{r.summary}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Layout>,
    );
  });

  app.get(
    '/me',
    {
      schema: {
        summary: 'The signed-in staff member (or token owner) and their grants',
        tags: ['staff'],
        response: {
          200: Type.Object({
            user: Type.Object({ id: Type.Integer(), username: Type.String(), displayName: Type.String(), homeUnitId: Nullable(Type.Integer()) }),
            via: Type.String({ enum: ['session', 'token'] }),
            grants: Type.Array(Type.Object({ role: Type.String(), unitId: Type.Integer(), scope: Type.String(), permissions: Type.Array(Type.String()) })),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      requireAuth(req);
      const user = await staff.me(req.ctx.actor);
      return {
        user: { id: user.id, username: user.username, displayName: user.displayName, homeUnitId: user.homeUnitId },
        via: req.ctx.via === 'token' ? ('token' as const) : ('session' as const),
        grants: req.ctx.actor.grants.map((g) => ({ role: g.roleCode, unitId: g.unitId, scope: g.scope, permissions: [...g.permissions].sort() })),
      };
    },
  );

  app.get(
    '/units',
    {
      schema: {
        summary: 'The library tree: open units now, all units, or the tree as it stood on a date',
        tags: ['org'],
        security: [],
        querystring: Type.Object({
          asOf: Type.Optional(Type.String({ format: 'date' })),
          includeClosed: Type.Optional(Type.Boolean({ default: false })),
          type: Type.Optional(Type.String({ enum: [...UNIT_TYPE_CODES] })),
        }),
        response: { 200: Type.Object({ asOf: Nullable(Type.String()), units: Type.Array(Type.Union([Type.Ref(UnitSchema), HistoricUnitSchema])) }), ...errors },
      },
    },
    async (req) => {
      const { asOf, includeClosed, type } = req.query;
      if (asOf) {
        const units = (await org.treeAsOf(asOf)).filter((u) => !type || u.typeCode === type);
        return { asOf, units: units.map((u) => ({ id: u.id, code: u.code, nameVi: u.nameVi, nameEn: u.nameEn, typeCode: u.typeCode, parentId: u.parentId, status: u.status, openedOn: u.openedOn, slug: u.slug })) };
      }
      const units = await org.list({ activeOnly: !includeClosed, typeCodes: type ? [type as OrgUnit['typeCode']] : undefined });
      return { asOf: null, units: units.map(present) };
    },
  );

  app.get(
    '/units/:code',
    { schema: { summary: 'One unit by its code', tags: ['org'], security: [], params: CodeParams, response: { 200: Type.Ref(UnitSchema), ...errors } } },
    async (req) => present(await org.getByCode(req.params.code)),
  );

  app.post(
    '/units',
    { schema: { summary: 'Create a unit under a parent', tags: ['org'], body: CreateUnitBody, response: { 201: Type.Ref(UnitSchema), ...errors } } },
    async (req, reply) => {
      requireAuth(req);
      const { parentCode, ...rest } = req.body;
      const parent = await org.getByCode(parentCode);
      const u = await org.create(req.ctx.actor, { ...rest, parentId: parent.id });
      return reply.code(201).send(present(u));
    },
  );

  app.patch(
    '/units/:code',
    {
      schema: {
        summary: 'Update a unit’s details (a new name is recorded as a rename effective today)',
        tags: ['org'],
        params: CodeParams,
        body: Type.Composite([Type.Object({ version: Type.Integer() }), UnitDetailsBody], { additionalProperties: false }),
        response: { 200: Type.Ref(UnitSchema), ...errors },
      },
    },
    async (req) => {
      requireAuth(req);
      const unit = await org.getByCode(req.params.code);
      const { version, ...changes } = req.body;
      const merged = { ...present(unit), ...changes };
      return present(await org.update(req.ctx.actor, unit.id, version, merged as unknown as Record<string, unknown>));
    },
  );

  app.post(
    '/units/:code/events',
    {
      schema: {
        summary: 'Record a reorganisation: rename, move, merge or close, effective on a date',
        tags: ['org'],
        params: CodeParams,
        body: EventBody,
        response: { 201: Type.Ref(UnitSchema), ...errors },
      },
    },
    async (req, reply) => {
      requireAuth(req);
      const unit = await org.getByCode(req.params.code);
      const b = req.body;
      const need = (v: string | undefined, field: string) => {
        if (!v) throw new AppError('VALIDATION', {}, [{ field, code: 'VALIDATION' }]);
        return v;
      };
      let input: ReorganiseInput;
      switch (b.kind) {
        case 'rename':
          input = { kind: 'rename', unitId: unit.id, date: b.date, nameVi: need(b.nameVi, 'nameVi'), nameEn: b.nameEn, note: b.note };
          break;
        case 'move':
          input = { kind: 'move', unitId: unit.id, date: b.date, parentId: (await org.getByCode(need(b.parentCode, 'parentCode'))).id, note: b.note };
          break;
        case 'merge':
          input = { kind: 'merge', unitId: unit.id, date: b.date, intoId: (await org.getByCode(need(b.intoCode, 'intoCode'))).id, note: b.note };
          break;
        default:
          input = { kind: 'close', unitId: unit.id, date: b.date, note: b.note };
      }
      return reply.code(201).send(present(await org.reorganise(req.ctx.actor, input)));
    },
  );

  app.get(
    '/units/:code/history',
    {
      schema: {
        summary: 'A unit’s reorganisation history, oldest first',
        tags: ['org'],
        security: [],
        params: CodeParams,
        response: {
          200: Type.Array(Type.Object({ kind: Type.String(), effectiveDate: Type.String(), about: Type.String(), unitId: Type.Integer(), data: Type.Record(Type.String(), Type.Unknown()), note: Nullable(Type.String()) })),
          ...errors,
        },
      },
    },
    async (req) => {
      const unit = await org.getByCode(req.params.code);
      return (await org.history(unit.id)).map((e) => ({ kind: e.kind, effectiveDate: e.effectiveDate, about: e.about, unitId: e.unitId, data: e.data, note: e.note }));
    },
  );

  app.get(
    '/units/:code/settings',
    {
      schema: {
        summary: 'Every setting as it applies at a unit, with the unit its value comes from',
        tags: ['org'],
        params: CodeParams,
        response: { 200: Type.Array(Type.Object({ key: Type.String(), value: Type.Union([Type.String(), Type.Number(), Type.Boolean()]), fromUnitId: Nullable(Type.Integer()) })), ...errors },
      },
    },
    async (req) => {
      requireAuth(req);
      return org.settings((await org.getByCode(req.params.code)).id);
    },
  );

  app.put(
    '/units/:code/settings/:key',
    {
      schema: {
        summary: 'Set a setting at a unit (null removes the override)',
        tags: ['org'],
        params: Type.Object({ code: Type.String({ maxLength: 32 }), key: Type.String({ maxLength: 100 }) }),
        body: Type.Object({ value: Type.Union([Type.String({ maxLength: 500 }), Type.Number(), Type.Boolean(), Type.Null()]) }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      requireAuth(req);
      const unit = await org.getByCode(req.params.code);
      await org.setSetting(req.ctx.actor, unit.id, req.params.key, req.body.value === null ? null : String(req.body.value));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/groups',
    {
      schema: {
        summary: 'Library groups and their member unit codes',
        tags: ['org'],
        security: [],
        response: { 200: Type.Array(Type.Object({ code: Type.String(), nameVi: Type.String(), nameEn: Type.String(), members: Type.Array(Type.String()) })) },
      },
    },
    async () => {
      const groups = await org.listGroups();
      return Promise.all(groups.map(async (g) => ({ code: g.code, nameVi: g.nameVi, nameEn: g.nameEn, members: (await org.groupMembers(g.code)).map((u) => u.code) })));
    },
  );

  app.post(
    '/groups',
    {
      schema: {
        summary: 'Create a library group',
        tags: ['org'],
        body: Type.Object({ code: Type.String({ maxLength: 32 }), nameVi: Type.String({ maxLength: 200 }), nameEn: Type.Optional(Type.String({ maxLength: 200 })), description: Type.Optional(Type.String({ maxLength: 1000 })) }, { additionalProperties: false }),
        response: { 201: Type.Object({ code: Type.String(), nameVi: Type.String(), nameEn: Type.String() }), ...errors },
      },
    },
    async (req, reply) => {
      requireAuth(req);
      const g = await org.createGroup(req.ctx.actor, req.body);
      return reply.code(201).send({ code: g.code, nameVi: g.nameVi, nameEn: g.nameEn });
    },
  );

  app.put(
    '/groups/:group/members/:code',
    {
      schema: {
        summary: 'Add a unit to a group (member: true) or remove it (member: false)',
        tags: ['org'],
        params: Type.Object({ group: Type.String({ maxLength: 32 }), code: Type.String({ maxLength: 32 }) }),
        body: Type.Object({ member: Type.Boolean() }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (req, reply) => {
      requireAuth(req);
      const unit = await org.getByCode(req.params.code);
      await org.setGroupMember(req.ctx.actor, req.params.group.toUpperCase(), unit.id, req.body.member);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/audit',
    {
      schema: {
        summary: 'Audit log entries the caller may see, newest first',
        tags: ['audit'],
        querystring: Type.Object({
          actor: Type.Optional(Type.String({ maxLength: 100 })),
          action: Type.Optional(Type.String({ maxLength: 100 })),
          unit: Type.Optional(Type.String({ maxLength: 32 })),
          before: Type.Optional(Type.Integer({ minimum: 1 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
        }),
        response: {
          200: Type.Object({
            entries: Type.Array(
              Type.Object({
                id: Type.Integer(),
                at: Type.String(),
                actorLabel: Type.String(),
                action: Type.String(),
                unitId: Nullable(Type.Integer()),
                targetType: Type.String(),
                targetId: Nullable(Type.String()),
                before: Type.Unknown(),
                after: Type.Unknown(),
              }),
            ),
            nextBefore: Nullable(Type.Integer()),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      requireAuth(req);
      const q = req.query;
      const unitId = q.unit ? (await org.getByCode(q.unit)).id : undefined;
      const { entries, nextBeforeId } = await audit.list(req.ctx.actor, { actorUsername: q.actor, action: q.action, unitId, beforeId: q.before, limit: q.limit });
      return { entries, nextBefore: nextBeforeId };
    },
  );
}
