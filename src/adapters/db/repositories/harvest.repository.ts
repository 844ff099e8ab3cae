/**
 * The OAI-PMH harvester's tables (migration `008-interop`): sources, runs, per-record errors and
 * the identifier → local record mapping. Plain Kysely, the same on SQLite and PostgreSQL;
 * timestamps go in as ISO strings and come out through `toIso`, flags are integers.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, Dialect, HarvestErrorsTable, HarvestRunsTable, HarvestSourcesTable, HarvestedRecordsTable } from '../schema.js';
import { toIso } from '../schema.js';
import type {
  HarvestCounts,
  HarvestErrorRow,
  HarvestRepository,
  HarvestRun,
  HarvestRunStatus,
  HarvestSource,
  HarvestSourceFields,
  HarvestTarget,
  HarvestedRecord,
} from '../../../app/interop/harvest.ports.js';

function toSource(r: Selectable<HarvestSourcesTable>): HarvestSource {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    baseUrl: r.base_url,
    setSpec: r.set_spec,
    metadataPrefix: r.metadata_prefix,
    target: r.target as HarvestTarget,
    unitId: r.unit_id,
    intervalHours: r.interval_hours === null ? null : Number(r.interval_hours),
    enabled: Number(r.enabled) === 1,
    harvestedUntil: r.harvested_until,
    nextRunAt: toIso(r.next_run_at),
    lastStatus: r.last_status as HarvestRunStatus | null,
    version: r.version,
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
  };
}

function toRun(r: Selectable<HarvestRunsTable>): HarvestRun {
  return {
    id: r.id,
    sourceId: r.source_id,
    jobId: r.job_id,
    status: r.status as HarvestRunStatus,
    fromStamp: r.from_stamp,
    responseDate: r.response_date,
    resumptionToken: r.resumption_token,
    pages: Number(r.pages),
    added: Number(r.added),
    updated: Number(r.updated),
    deleted: Number(r.deleted),
    failed: Number(r.failed),
    message: r.message,
    startedAt: toIso(r.started_at),
    finishedAt: toIso(r.finished_at),
  };
}

function toError(r: Selectable<HarvestErrorsTable>): HarvestErrorRow {
  return { id: r.id, runId: r.run_id, identifier: r.identifier, message: r.message, createdAt: toIso(r.created_at) };
}

function toHarvested(r: Selectable<HarvestedRecordsTable>): HarvestedRecord {
  return {
    sourceId: r.source_id,
    identifier: r.identifier,
    recordId: r.record_id,
    objectId: r.object_id,
    datestamp: r.datestamp,
    deleted: Number(r.deleted) === 1,
    updatedAt: toIso(r.updated_at),
  };
}

function sourceColumns(s: HarvestSourceFields & { nextRunAt: string | null }) {
  return {
    code: s.code,
    name: s.name,
    base_url: s.baseUrl,
    set_spec: s.setSpec,
    metadata_prefix: s.metadataPrefix,
    target: s.target,
    unit_id: s.unitId,
    interval_hours: s.intervalHours,
    enabled: s.enabled ? 1 : 0,
    next_run_at: s.nextRunAt,
  };
}

const COUNT_COLUMNS: ReadonlyArray<[keyof HarvestCounts, 'pages' | 'added' | 'updated' | 'deleted' | 'failed']> = [
  ['pages', 'pages'],
  ['added', 'added'],
  ['updated', 'updated'],
  ['deleted', 'deleted'],
  ['failed', 'failed'],
];

export class KyselyHarvestRepository implements HarvestRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>, _dialect: Dialect) {
    this.#db = db;
  }

  // ------------------------------------------------------------------ sources

  async insertSource(s: HarvestSourceFields & { nextRunAt: string | null }, now: string): Promise<HarvestSource> {
    const r = await this.#db
      .insertInto('harvest_sources')
      .values({ ...sourceColumns(s), created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return (await this.getSource(r.id))!;
  }

  async updateSource(id: number, s: HarvestSourceFields & { nextRunAt: string | null; resetProgress: boolean }, version: number, now: string): Promise<boolean> {
    const r = await this.#db
      .updateTable('harvest_sources')
      .set((eb) => ({ ...sourceColumns(s), ...(s.resetProgress ? { harvested_until: null } : {}), updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async deleteSource(id: number): Promise<void> {
    // Children first: SQLite enforces the cascades only with foreign keys switched on.
    const runs = this.#db.selectFrom('harvest_runs').select('id').where('source_id', '=', id);
    await this.#db.deleteFrom('harvest_errors').where('run_id', 'in', runs).execute();
    await this.#db.deleteFrom('harvest_runs').where('source_id', '=', id).execute();
    await this.#db.deleteFrom('harvested_records').where('source_id', '=', id).execute();
    await this.#db.deleteFrom('harvest_sources').where('id', '=', id).execute();
  }

  async getSource(id: number): Promise<HarvestSource | undefined> {
    const r = await this.#db.selectFrom('harvest_sources').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toSource(r) : undefined;
  }

  async getSourceByCode(code: string): Promise<HarvestSource | undefined> {
    const r = await this.#db.selectFrom('harvest_sources').selectAll().where('code', '=', code).executeTakeFirst();
    return r ? toSource(r) : undefined;
  }

  async listSources(f: { unitIds?: readonly number[] } = {}): Promise<HarvestSource[]> {
    if (f.unitIds && f.unitIds.length === 0) return [];
    let q = this.#db.selectFrom('harvest_sources').selectAll();
    if (f.unitIds) q = q.where('unit_id', 'in', [...f.unitIds]);
    return (await q.orderBy('code').execute()).map(toSource);
  }

  async dueSources(now: string, limit: number): Promise<HarvestSource[]> {
    const rows = await this.#db
      .selectFrom('harvest_sources')
      .selectAll()
      .where('enabled', '=', 1)
      .where('interval_hours', 'is not', null)
      .where((eb) => eb.or([eb('next_run_at', 'is', null), eb('next_run_at', '<=', now)]))
      .orderBy('next_run_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map(toSource);
  }

  async finishSource(id: number, p: { lastStatus: HarvestRunStatus; harvestedUntil?: string; nextRunAt: string | null }, now: string): Promise<void> {
    await this.#db
      .updateTable('harvest_sources')
      .set({ last_status: p.lastStatus, next_run_at: p.nextRunAt, updated_at: now, ...(p.harvestedUntil !== undefined ? { harvested_until: p.harvestedUntil } : {}) })
      .where('id', '=', id)
      .execute();
  }

  async setNextRun(id: number, nextRunAt: string | null): Promise<void> {
    await this.#db.updateTable('harvest_sources').set({ next_run_at: nextRunAt }).where('id', '=', id).execute();
  }

  // ------------------------------------------------------------------ runs

  async insertRun(r: { sourceId: number; jobId: number | null; fromStamp: string | null }, now: string): Promise<HarvestRun> {
    const row = await this.#db
      .insertInto('harvest_runs')
      .values({ source_id: r.sourceId, job_id: r.jobId, status: 'running', from_stamp: r.fromStamp, started_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return (await this.getRun(row.id))!;
  }

  async getRun(id: number): Promise<HarvestRun | undefined> {
    const r = await this.#db.selectFrom('harvest_runs').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toRun(r) : undefined;
  }

  async latestRun(sourceId: number): Promise<HarvestRun | undefined> {
    const r = await this.#db.selectFrom('harvest_runs').selectAll().where('source_id', '=', sourceId).orderBy('id', 'desc').limit(1).executeTakeFirst();
    return r ? toRun(r) : undefined;
  }

  async latestRuns(sourceIds: readonly number[]): Promise<Map<number, HarvestRun>> {
    const out = new Map<number, HarvestRun>();
    if (sourceIds.length === 0) return out;
    const latest = this.#db.selectFrom('harvest_runs').select((eb) => eb.fn.max('id').as('id')).where('source_id', 'in', [...sourceIds]).groupBy('source_id');
    const rows = await this.#db.selectFrom('harvest_runs').selectAll().where('id', 'in', latest).execute();
    for (const r of rows) out.set(r.source_id, toRun(r));
    return out;
  }

  async runsOf(sourceId: number, f: { limit: number; beforeId?: number }): Promise<HarvestRun[]> {
    let q = this.#db.selectFrom('harvest_runs').selectAll().where('source_id', '=', sourceId);
    if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
    return (await q.orderBy('id', 'desc').limit(f.limit).execute()).map(toRun);
  }

  async updateRun(id: number, p: Parameters<HarvestRepository['updateRun']>[1]): Promise<void> {
    const set: Record<string, unknown> = {};
    for (const [key, column] of COUNT_COLUMNS) if (p[key] !== undefined) set[column] = p[key];
    if (p.status !== undefined) set.status = p.status;
    if (p.jobId !== undefined) set.job_id = p.jobId;
    if (p.fromStamp !== undefined) set.from_stamp = p.fromStamp;
    if (p.responseDate !== undefined) set.response_date = p.responseDate;
    if (p.resumptionToken !== undefined) set.resumption_token = p.resumptionToken;
    if (p.message !== undefined) set.message = p.message;
    if (p.finishedAt !== undefined) set.finished_at = p.finishedAt;
    if (Object.keys(set).length === 0) return;
    await this.#db.updateTable('harvest_runs').set(set).where('id', '=', id).execute();
  }

  // ------------------------------------------------------------------ errors

  async addError(e: { runId: number; identifier: string | null; message: string }, now: string): Promise<void> {
    await this.#db.insertInto('harvest_errors').values({ run_id: e.runId, identifier: e.identifier, message: e.message, created_at: now }).execute();
  }

  async errorsOf(runId: number, f: { limit: number; afterId?: number }): Promise<HarvestErrorRow[]> {
    let q = this.#db.selectFrom('harvest_errors').selectAll().where('run_id', '=', runId);
    if (f.afterId !== undefined) q = q.where('id', '>', f.afterId);
    return (await q.orderBy('id').limit(f.limit).execute()).map(toError);
  }

  async countErrors(runId: number): Promise<number> {
    const r = await this.#db.selectFrom('harvest_errors').select((eb) => eb.fn.countAll().as('n')).where('run_id', '=', runId).executeTakeFirstOrThrow();
    return Number(r.n);
  }

  // ------------------------------------------------------------------ mapping

  async getHarvested(sourceId: number, identifier: string): Promise<HarvestedRecord | undefined> {
    const r = await this.#db.selectFrom('harvested_records').selectAll().where('source_id', '=', sourceId).where('identifier', '=', identifier).executeTakeFirst();
    return r ? toHarvested(r) : undefined;
  }

  async putHarvested(r: Omit<HarvestedRecord, 'updatedAt'>, now: string): Promise<void> {
    const values = { record_id: r.recordId, object_id: r.objectId, datestamp: r.datestamp, deleted: r.deleted ? 1 : 0, updated_at: now };
    await this.#db
      .insertInto('harvested_records')
      .values({ source_id: r.sourceId, identifier: r.identifier, ...values })
      .onConflict((oc) => oc.columns(['source_id', 'identifier']).doUpdateSet(values))
      .execute();
  }

  async countHarvested(sourceId: number): Promise<{ live: number; deleted: number }> {
    const rows = await this.#db.selectFrom('harvested_records').select(['deleted', (eb) => eb.fn.countAll().as('n')]).where('source_id', '=', sourceId).groupBy('deleted').execute();
    const out = { live: 0, deleted: 0 };
    for (const r of rows) out[Number(r.deleted) === 1 ? 'deleted' : 'live'] += Number(r.n);
    return out;
  }
}
