/**
 * Ports: what the use cases need from the outside world. Adapters implement them
 * (`adapters/db` for storage, `adapters/crypto` for passwords); tests use the real ones.
 */
import type { OrgUnit, UnitDetails } from '../domain/org/unit.js';
import type { OrgEvent, OrgEventKind, UnitStatus } from '../domain/org/history.js';
import type { SettingValue } from '../domain/org/settings.js';
import type { EffectiveGrant, Permission, Scope, UnitPlace } from '../domain/access/permissions.js';
import type { UnitTypeCode } from '../domain/org/unit-types.js';

export interface Clock {
  now(): Date;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

// ---------------------------------------------------------------- org tree

export interface NewUnit extends UnitDetails {
  code: string;
  nameVi: string;
  nameEn: string;
  typeCode: UnitTypeCode;
  parentId: number | null;
  path: string;
  depth: number;
  openedOn: string;
}

/** The structural part of a unit, as the event replay computes it. */
export interface UnitStructure {
  id: number;
  nameVi: string;
  nameEn: string;
  parentId: number | null;
  path: string;
  depth: number;
  status: UnitStatus;
  mergedIntoId: number | null;
  endedOn: string | null;
}

export interface StoredOrgEvent {
  id: number;
  unitId: number;
  kind: OrgEventKind;
  effectiveDate: string;
  data: Record<string, unknown>;
  note: string | null;
  actorId: number | null;
  recordedAt: string;
}

export interface LibraryGroup {
  id: number;
  code: string;
  nameVi: string;
  nameEn: string;
  description: string | null;
  memberCount: number;
}

export interface UnitListFilter {
  /** Only units that are open now. */
  activeOnly?: boolean;
  /** Only units at or below this materialised path. */
  underPath?: string;
  typeCodes?: readonly UnitTypeCode[];
}

export interface OrgRepository {
  getById(id: number): Promise<OrgUnit | undefined>;
  getByCode(code: string): Promise<OrgUnit | undefined>;
  getBySlug(slug: string): Promise<OrgUnit | undefined>;
  /** Where a unit sits: one primary-key lookup. */
  place(id: number): Promise<UnitPlace | undefined>;
  list(filter?: UnitListFilter): Promise<OrgUnit[]>;
  count(): Promise<number>;
  insert(unit: NewUnit, now: string): Promise<OrgUnit>;
  /** Updates the editable details if `version` still matches; false when it does not. */
  updateDetails(id: number, details: UnitDetails, version: number, now: string): Promise<boolean>;
  /** Writes replayed structure back to the units whose structure changed. */
  applyStructure(changes: readonly UnitStructure[], now: string): Promise<void>;
  allEvents(): Promise<OrgEvent[]>;
  eventsOfUnit(unitId: number): Promise<StoredOrgEvent[]>;
  insertEvent(e: Omit<StoredOrgEvent, 'id'>): Promise<number>;
  /**
   * Moves everything a unit owns (staff, their grants; later items and readers) to another unit,
   * as a merge requires. Returns how many rows moved per kind.
   */
  reassignOwned(fromId: number, toId: number): Promise<Record<string, number>>;

  listGroups(): Promise<LibraryGroup[]>;
  getGroupByCode(code: string): Promise<LibraryGroup | undefined>;
  createGroup(g: { code: string; nameVi: string; nameEn: string; description: string | null }, now: string): Promise<LibraryGroup>;
  groupMembers(groupId: number): Promise<number[]>;
  groupsOfUnit(unitId: number): Promise<LibraryGroup[]>;
  setGroupMember(groupId: number, unitId: number, member: boolean): Promise<boolean>;

  settingsAt(unitIds: readonly number[]): Promise<Map<number, Map<string, SettingValue>>>;
  /** Sets (or, with `null`, removes) a value stored at one unit. */
  setSetting(unitId: number, key: string, value: SettingValue | null, now: string): Promise<void>;
}

// ---------------------------------------------------------------- staff

export type StaffStatus = 'active' | 'disabled';

export interface StaffUser {
  id: number;
  username: string;
  displayName: string;
  email: string | null;
  homeUnitId: number | null;
  status: StaffStatus;
  locale: string | null;
  failedLogins: number;
  lockedUntil: string | null;
  passwordChangedAt: string;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface StaffUserWithHash extends StaffUser {
  passwordHash: string;
}

export interface Role {
  id: number;
  code: string;
  nameVi: string;
  nameEn: string;
  builtin: boolean;
  permissions: Permission[];
}

export interface GrantView {
  id: number;
  userId: number;
  roleId: number;
  roleCode: string;
  unitId: number;
  unitCode: string;
  unitNameVi: string;
  unitNameEn: string;
  unitPath: string;
  scope: Scope;
  createdAt: string;
}

export interface ApiToken {
  id: number;
  userId: number;
  name: string;
  prefix: string;
  roleId: number;
  roleCode: string;
  unitId: number;
  scope: Scope;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface StaffListFilter {
  /** Users whose home unit is at or below this path. */
  underPath?: string;
  query?: string;
  limit?: number;
}

export interface StaffRepository {
  getById(id: number): Promise<StaffUser | undefined>;
  getWithHash(username: string): Promise<StaffUserWithHash | undefined>;
  getHashById(id: number): Promise<string | undefined>;
  list(filter?: StaffListFilter): Promise<StaffUser[]>;
  count(): Promise<number>;
  insert(u: { username: string; displayName: string; email: string | null; passwordHash: string; homeUnitId: number | null; locale: string | null }, now: string): Promise<StaffUser>;
  setStatus(id: number, status: StaffStatus, now: string): Promise<void>;
  setPassword(id: number, hash: string, now: string): Promise<void>;
  setLocale(id: number, locale: string | null, now: string): Promise<void>;
  /** Stores the count of failed sign-ins in a row and the lock, if one starts. */
  recordFailedLogin(id: number, failures: number, lockedUntil: string | null, now: string): Promise<void>;
  recordLogin(id: number, now: string): Promise<void>;

  roles(): Promise<Role[]>;
  roleByCode(code: string): Promise<Role | undefined>;
  /** Creates or updates a role and its permissions. */
  upsertRole(r: { code: string; nameVi: string; nameEn: string; builtin: boolean; permissions: readonly Permission[] }): Promise<Role>;

  grantsOf(userId: number): Promise<GrantView[]>;
  getGrant(id: number): Promise<GrantView | undefined>;
  /** The grants as permission checks use them: role permissions resolved. */
  effectiveGrants(userId: number): Promise<EffectiveGrant[]>;
  addGrant(g: { userId: number; roleId: number; unitId: number; scope: Scope; createdBy: number | null }, now: string): Promise<number>;
  findGrant(g: { userId: number; roleId: number; unitId: number; scope: Scope }): Promise<number | undefined>;
  removeGrant(id: number): Promise<void>;

  insertToken(t: { userId: number; name: string; hash: string; prefix: string; roleId: number; unitId: number; scope: Scope; expiresAt: string | null }, now: string): Promise<ApiToken>;
  tokensOf(userId: number): Promise<ApiToken[]>;
  tokenByHash(hash: string): Promise<ApiToken | undefined>;
  touchToken(id: number, now: string): Promise<void>;
  revokeToken(id: number, now: string): Promise<void>;
}

// ---------------------------------------------------------------- sessions

export interface Session {
  id: string;
  userId: number;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

export interface SessionRepository {
  create(s: Session & { ip: string | null; userAgent: string | null }): Promise<void>;
  get(id: string): Promise<Session | undefined>;
  touch(id: string, lastSeenAt: string, expiresAt: string): Promise<void>;
  delete(id: string): Promise<void>;
  deleteForUser(userId: number, exceptId?: string): Promise<number>;
  deleteExpired(now: string): Promise<number>;
}

// ---------------------------------------------------------------- audit

export interface AuditEntryInput {
  actorId: number | null;
  actorLabel: string;
  action: string;
  unitId: number | null;
  targetType: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
  ip: string | null;
}

export interface AuditEntry extends Omit<AuditEntryInput, 'before' | 'after'> {
  id: number;
  at: string;
  before: unknown;
  after: unknown;
}

export interface AuditFilter {
  actorId?: number;
  action?: string;
  /** Entries about units at or below this path (and entries about the unit itself). */
  unitIds?: readonly number[];
  from?: string;
  until?: string;
  /** Entries with an id below this (paging backwards from the newest). */
  beforeId?: number;
  limit: number;
}

export interface AuditRepository {
  append(e: AuditEntryInput, at: string): Promise<number>;
  list(f: AuditFilter): Promise<AuditEntry[]>;
}

// ---------------------------------------------------------------- store

/** The repositories, bound to one connection or one transaction. */
export interface Repos {
  org: OrgRepository;
  staff: StaffRepository;
  sessions: SessionRepository;
  audit: AuditRepository;
}

export interface Store extends Repos {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs `fn` in one transaction: everything it writes lands together or not at all. */
  transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
  /** A trivial round trip, for readiness checks. */
  ping(): Promise<void>;
}
