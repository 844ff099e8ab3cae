/** Reading the audit log: what a staff member may see depends on where their `audit.view` reaches. */
import { AppError } from '../domain/errors.js';
import { allows, allowsAnywhere } from '../domain/access/permissions.js';
import type { Actor } from './actor.js';
import type { AuditEntry, AuditFilter, Store } from './ports.js';

export interface AuditQuery {
  actorUsername?: string;
  action?: string;
  /** Entries about this unit and everything below it. */
  unitId?: number;
  from?: string;
  until?: string;
  beforeId?: number;
  limit?: number;
  /** Entries about one target (`digital_object` 12, `record` 7…). */
  target?: { type: string; id: string };
}

export class AuditService {
  readonly #store: Store;
  constructor(deps: { store: Store }) {
    this.#store = deps.store;
  }

  async list(actor: Actor, q: AuditQuery): Promise<{ entries: AuditEntry[]; nextBeforeId: number | null }> {
    if (!allowsAnywhere(actor.grants, 'audit.view')) throw new AppError('PERMISSION_DENIED', { permission: 'audit.view' });
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 500);
    const filter: AuditFilter = { limit: limit + 1 };
    if (q.action) filter.action = q.action;
    if (q.from) filter.from = q.from;
    if (q.until) filter.until = q.until;
    if (q.beforeId) filter.beforeId = q.beforeId;
    if (q.target) filter.target = { type: q.target.type, ids: [q.target.id] };
    if (q.actorUsername) {
      const u = await this.#store.staff.getWithHash(q.actorUsername);
      filter.actorId = u?.id ?? -1;
    }
    const networkWide = actor.grants.some((g) => g.scope === 'network' && g.permissions.has('audit.view'));
    if (q.unitId !== undefined || !networkWide) {
      const units = await this.#store.org.list();
      const root = q.unitId === undefined ? undefined : units.find((u) => u.id === q.unitId);
      if (q.unitId !== undefined && !root) throw new AppError('ORG_UNIT_NOT_FOUND', { unit: q.unitId });
      filter.unitIds = units
        .filter((u) => (root ? u.path.startsWith(root.path) : true))
        .filter((u) => allows(actor.grants, 'audit.view', u))
        .map((u) => u.id);
    }
    const rows = await this.#store.audit.list(filter);
    const more = rows.length > limit;
    const entries = more ? rows.slice(0, limit) : rows;
    return { entries, nextBeforeId: more ? entries[entries.length - 1]!.id : null };
  }
}
