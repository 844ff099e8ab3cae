import { AppError } from '../domain/errors.js';
import { allows, type Permission } from '../domain/access/permissions.js';
import type { Actor } from './actor.js';
import type { Clock, Repos, Store } from './ports.js';
import { audit } from './audit.js';

/**
 * Checks a permission at a unit: one primary-key lookup of the unit's path, then a comparison
 * with the grants the actor carries. Throws `PERMISSION_DENIED` (or `ORG_UNIT_NOT_FOUND`).
 */
export async function authorize(repos: Repos, actor: Actor, permission: Permission, unitId: number): Promise<void> {
  const place = await repos.org.place(unitId);
  if (!place) throw new AppError('ORG_UNIT_NOT_FOUND', { unit: unitId });
  if (!allows(actor.grants, permission, place)) throw new AppError('PERMISSION_DENIED', { permission, unit: unitId });
}

/**
 * Runs a write in one transaction. A refusal for lack of permission is recorded in the audit log
 * afterwards, in its own transaction, since the write's own transaction has rolled back.
 */
export async function runWrite<T>(store: Store, clock: Clock, actor: Actor, fn: (tx: Repos) => Promise<T>): Promise<T> {
  try {
    return await store.transaction(fn);
  } catch (e) {
    if (e instanceof AppError && (e.code === 'PERMISSION_DENIED' || e.code === 'STAFF_GRANT_EXCEEDS_OWN')) {
      await recordDenial(store, clock, actor, e);
    }
    throw e;
  }
}

export async function recordDenial(store: Store, clock: Clock, actor: Actor, e: AppError): Promise<void> {
  if (e.audited) return;
  e.audited = true;
  const unit = typeof e.params.unit === 'number' ? e.params.unit : typeof e.params.unitId === 'number' ? e.params.unitId : null;
  await store.transaction((tx) =>
    audit(tx, actor, clock.now(), {
      action: 'security.denied',
      unitId: unit,
      targetType: 'permission',
      targetId: String(e.params.permission ?? ''),
      after: { code: e.code, ...e.params },
    }),
  );
}
