/**
 * The remote SRU catalogues of copy cataloguing (`sru_targets`, migration 008), on SQLite and
 * PostgreSQL alike. Updates and deletes check the row's `version`, so two staff editing the same
 * target cannot overwrite each other unknowingly.
 */
import type { Kysely, Selectable } from 'kysely';
import type { Database, SruTargetsTable } from '../schema.js';
import { toIso } from '../schema.js';
import { isSruVersion, type SruTarget, type SruTargetFields, type SruTargetRepository } from '../../../app/interop/sru-target.ports.js';

function toTarget(r: Selectable<SruTargetsTable>): SruTarget {
  return {
    id: r.id,
    name: r.name,
    baseUrl: r.base_url,
    // The column is free text; anything else than a known version is read as the newest one.
    sruVersion: isSruVersion(r.sru_version) ? r.sru_version : '2.0',
    recordSchema: r.record_schema,
    enabled: r.enabled === 1,
    version: r.version,
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
  };
}

const columns = (t: SruTargetFields) => ({
  name: t.name,
  base_url: t.baseUrl,
  sru_version: t.sruVersion,
  record_schema: t.recordSchema,
  enabled: t.enabled ? 1 : 0,
});

export class KyselySruTargetRepository implements SruTargetRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async list(): Promise<SruTarget[]> {
    const rows = await this.#db.selectFrom('sru_targets').selectAll().orderBy('name').orderBy('id').execute();
    return rows.map(toTarget);
  }

  async get(id: number): Promise<SruTarget | undefined> {
    const r = await this.#db.selectFrom('sru_targets').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toTarget(r) : undefined;
  }

  async insert(t: SruTargetFields, now: string): Promise<SruTarget> {
    const r = await this.#db
      .insertInto('sru_targets')
      .values({ ...columns(t), created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    return (await this.get(r.id))!;
  }

  async update(id: number, t: SruTargetFields, version: number, now: string): Promise<boolean> {
    const r = await this.#db
      .updateTable('sru_targets')
      .set((eb) => ({ ...columns(t), updated_at: now, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async delete(id: number, version: number): Promise<boolean> {
    const r = await this.#db.deleteFrom('sru_targets').where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(r.numDeletedRows) === 1;
  }
}
