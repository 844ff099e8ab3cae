import { afterEach, beforeEach, expect, it } from 'vitest';
import { sql } from 'kysely';
import { describeEachDialect, type TestDialect } from '../../../test/dialects.js';
import { testEnv, type TestEnv } from '../../../test/factories.js';
import type { AuditEntryInput } from '../../app/ports.js';

const entry = (action: string, unitId: number | null = null): AuditEntryInput => ({
  actorId: null,
  actorLabel: 'test',
  action,
  unitId,
  targetType: 'thing',
  targetId: '1',
  before: null,
  after: { ok: true },
  requestId: null,
  ip: null,
});

describeEachDialect('audit log', (dialect: TestDialect) => {
  let env: TestEnv;
  beforeEach(async () => {
    env = await testEnv(dialect);
  });
  afterEach(async () => {
    await env.dispose();
  });

  const rows = () => env.container.handle.db.selectFrom('audit_log').select(['id', 'action', 'after']).orderBy('id').execute();

  it('is append-only: the database refuses UPDATE and DELETE', async () => {
    const db = env.container.handle.db;
    const id = await env.container.store.audit.append(entry('a.b'), '2026-03-15T03:00:00.000Z');
    await env.container.store.audit.append(entry('a.c'), '2026-03-15T03:00:01.000Z');
    const before = await rows();
    expect(before.map((r) => r.action)).toEqual(['a.b', 'a.c']);

    await expect(db.updateTable('audit_log').set({ action: 'rewritten' }).where('id', '=', id).execute()).rejects.toThrow(/audit_log is append-only/);
    await expect(db.updateTable('audit_log').set({ after: null }).execute()).rejects.toThrow(/audit_log is append-only/);
    await expect(db.deleteFrom('audit_log').where('id', '=', id).execute()).rejects.toThrow(/audit_log is append-only/);
    await expect(db.deleteFrom('audit_log').execute()).rejects.toThrow(/audit_log is append-only/);
    await expect(sql`delete from audit_log`.execute(db)).rejects.toThrow(/audit_log is append-only/);
    // Nor inside a transaction, where a refusal rolls back the rest too.
    await expect(
      db.transaction().execute(async (tx) => {
        await tx.insertInto('audit_log').values({ at: '2026-03-15T03:00:02.000Z', actor_label: 'x', action: 'a.d', target_type: 't' }).execute();
        await tx.deleteFrom('audit_log').where('id', '=', id).execute();
      }),
    ).rejects.toThrow(/audit_log is append-only/);

    expect(await rows()).toEqual(before);
  });

  it('lists newest first, filtered by action, action prefix, units and time, with paging', async () => {
    const { store } = env.container;
    await store.audit.append(entry('org.unit.create', 1), '2026-03-15T03:00:00.000Z');
    await store.audit.append(entry('org.unit.update', 2), '2026-03-15T04:00:00.000Z');
    await store.audit.append(entry('org.unitx', 2), '2026-03-15T05:00:00.000Z');
    await store.audit.append(entry('auth.login', null), '2026-03-15T06:00:00.000Z');
    const actions = async (f: Parameters<typeof store.audit.list>[0]) => (await store.audit.list(f)).map((e) => e.action);
    expect(await actions({ limit: 10 })).toEqual(['auth.login', 'org.unitx', 'org.unit.update', 'org.unit.create']);
    expect(await actions({ limit: 10, action: 'org.unit.update' })).toEqual(['org.unit.update']);
    expect(await actions({ limit: 10, action: 'org.unit.' })).toEqual(['org.unit.update', 'org.unit.create']);
    expect(await actions({ limit: 10, unitIds: [2] })).toEqual(['org.unitx', 'org.unit.update']);
    expect(await actions({ limit: 10, unitIds: [] })).toEqual([]);
    expect(await actions({ limit: 10, from: '2026-03-15T04:00:00.000Z', until: '2026-03-15T06:00:00.000Z' })).toEqual(['org.unitx', 'org.unit.update']);
    const [newest, second] = await store.audit.list({ limit: 2 });
    expect(await actions({ limit: 2, beforeId: second!.id })).toEqual(['org.unit.update', 'org.unit.create']);
    expect(newest).toMatchObject({ at: '2026-03-15T06:00:00.000Z', actorLabel: 'test', targetType: 'thing', targetId: '1', before: null, after: { ok: true } });
  });
});
