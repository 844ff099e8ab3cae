import type { Actor } from './actor.js';
import type { Repos } from './ports.js';

export interface AuditWrite {
  action: string;
  unitId: number | null;
  targetType: string;
  targetId: string | number | null;
  before?: unknown;
  after?: unknown;
}

/** Appends one audit entry through the transaction's repositories, so it lands with the change. */
export async function audit(tx: Repos, actor: Actor, now: Date, w: AuditWrite): Promise<void> {
  await tx.audit.append(
    {
      actorId: actor.userId,
      actorLabel: actor.label,
      action: w.action,
      unitId: w.unitId,
      targetType: w.targetType,
      targetId: w.targetId === null ? null : String(w.targetId),
      before: w.before ?? null,
      after: w.after ?? null,
      requestId: actor.requestId ?? null,
      ip: actor.ip ?? null,
    },
    now.toISOString(),
  );
}
