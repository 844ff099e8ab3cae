import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { toIso } from '../schema.js';
import type { AuditEntry, AuditEntryInput, AuditFilter, AuditRepository } from '../../../app/ports.js';

const json = (v: unknown): string | null => (v === undefined || v === null ? null : JSON.stringify(v));

/** The append-only audit log. The database refuses updates and deletes (see the migration). */
export class KyselyAuditRepository implements AuditRepository {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }
  async append(e: AuditEntryInput, at: string) {
    const r = await this.#db
      .insertInto('audit_log')
      .values({
        at,
        actor_id: e.actorId,
        actor_label: e.actorLabel,
        action: e.action,
        unit_id: e.unitId,
        target_type: e.targetType,
        target_id: e.targetId,
        before: json(e.before),
        after: json(e.after),
        request_id: e.requestId,
        ip: e.ip,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return r.id;
  }
  async list(f: AuditFilter): Promise<AuditEntry[]> {
    let q = this.#db.selectFrom('audit_log').selectAll();
    if (f.actorId !== undefined) q = q.where('actor_id', '=', f.actorId);
    if (f.action) q = f.action.endsWith('.') ? q.where('action', '>=', f.action).where('action', '<', f.action + '\uffff') : q.where('action', '=', f.action);
    if (f.unitIds) q = f.unitIds.length === 0 ? q.where('id', '<', 0) : q.where('unit_id', 'in', f.unitIds);
    if (f.target) q = f.target.ids.length === 0 ? q.where('id', '<', 0) : q.where('target_type', '=', f.target.type).where('target_id', 'in', f.target.ids);
    if (f.from) q = q.where('at', '>=', f.from);
    if (f.until) q = q.where('at', '<', f.until);
    if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
    const rows = await q.orderBy('id', 'desc').limit(f.limit).execute();
    return rows.map((r) => ({
      id: r.id,
      at: toIso(r.at),
      actorId: r.actor_id,
      actorLabel: r.actor_label,
      action: r.action,
      unitId: r.unit_id,
      targetType: r.target_type,
      targetId: r.target_id,
      before: r.before === null ? null : JSON.parse(r.before),
      after: r.after === null ? null : JSON.parse(r.after),
      requestId: r.request_id,
      ip: r.ip,
    }));
  }
}
