/**
 * Who is acting: a signed-in staff user, a machine client with an API token, a reader (a member
 * of the public with an account, acting on their own account only), or the system itself (the
 * CLI on the server, first-start set-up). Every use case takes one.
 */
import { PERMISSIONS, type EffectiveGrant } from '../domain/access/permissions.js';

export interface Actor {
  kind: 'staff' | 'token' | 'system' | 'reader';
  /** The staff user (null for readers, whose id is `readerId`, and for the system). */
  userId: number | null;
  /** The reader acting on their own account (kind `reader`). */
  readerId?: number | null;
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
