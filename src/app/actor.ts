/**
 * Who is acting: a signed-in staff user, a machine client with an API token, or the system
 * itself (the CLI on the server, first-start set-up). Every use case takes one.
 */
import { PERMISSIONS, type EffectiveGrant } from '../domain/access/permissions.js';

export interface Actor {
  kind: 'staff' | 'token' | 'system';
  userId: number | null;
  /** Shown in the audit log: a username, `token:<prefix>` or `cli`. */
  label: string;
  grants: readonly EffectiveGrant[];
  locale?: string | null;
  requestId?: string | null;
  ip?: string | null;
  sessionId?: string | null;
}

const EVERYTHING: EffectiveGrant = { grantId: 0, roleCode: 'system', unitId: 0, scope: 'network', permissions: new Set(PERMISSIONS) };

/** The operator at the server's console (CLI) or the platform itself: may do anything. */
export function systemActor(label = 'system'): Actor {
  return { kind: 'system', userId: null, label, grants: [EVERYTHING] };
}
