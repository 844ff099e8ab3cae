/**
 * Ports: what the use cases need from the outside world. Adapters implement them
 * (`adapters/db` for storage, `adapters/crypto` for passwords); tests use the real ones.
 */
import type { AccessLevel, DublinCore, Licence, OcrLanguageSet, PlanCategory, WorkflowState } from '../domain/digital/object.js';
import type { PageWord } from './digital/media.js';
import type { OrgUnit, UnitDetails } from '../domain/org/unit.js';
import type { OrgEvent, OrgEventKind, UnitStatus } from '../domain/org/history.js';
import type { SettingValue } from '../domain/org/settings.js';
import type { EffectiveGrant, Permission, Scope, UnitPlace } from '../domain/access/permissions.js';
import type { UnitTypeCode } from '../domain/org/unit-types.js';
import type { DocFacets, DocItem, SearchDoc } from '../domain/search/document.js';
import type { DerivedRecord } from '../domain/catalog/derive.js';
import type { MatchExpr } from '../domain/search/compile.js';
import type { ReaderRepository } from './readers/ports.js';
import type { SiteRepository } from './sites/ports.js';
import type { SruTargetRepository } from './interop/sru-target.ports.js';
import type { HarvestRepository } from './interop/harvest.ports.js';

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
  /**
   * A short value that changes whenever any unit is added or changed (count, sum of versions,
   * latest update): cheap to read, so a process can keep the tree and ask only whether it moved.
   */
  fingerprint(): Promise<string>;
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
  /** Entries about these targets (`record` 12, `item` 7…). */
  target?: { type: string; ids: readonly string[] };
  /** Entries with an id below this (paging backwards from the newest). */
  beforeId?: number;
  limit: number;
}

export interface AuditRepository {
  append(e: AuditEntryInput, at: string): Promise<number>;
  list(f: AuditFilter): Promise<AuditEntry[]>;
}

// ---------------------------------------------------------------- catalogue

export type RecordStatus = 'active' | 'deleted';

/** The columns of a record that follow from its MARC (see `recordRow` in the catalogue service). */
export interface RecordContent {
  /** The MARC record as JSON: `{ leader, fields }`. */
  marc: string;
  title: string;
  sortTitle: string;
  responsibility: string | null;
  mainAuthor: string | null;
  publisher: string | null;
  year: number | null;
  language: string | null;
  materialType: string;
  callNumber: string | null;
  controlNumber: string | null;
  controlSource: string | null;
}

export interface NewRecordRow extends RecordContent {
  /** Set when ids were allocated ahead (bulk import); generated otherwise. */
  id?: number;
  ownerUnitId: number;
  source: string;
  createdBy: number | null;
}

export interface StoredRecord extends RecordContent {
  id: number;
  ownerUnitId: number;
  status: RecordStatus;
  source: string;
  version: number;
  createdBy: number | null;
  updatedBy: number | null;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  replacedById: number | null;
}

export interface Identifier {
  kind: 'ctrl' | 'isbn' | 'issn' | 'sysno' | 'key';
  value: string;
}

export interface IdentifierHit extends Identifier {
  recordId: number;
}

export interface ItemRow {
  barcode: string;
  ownerUnitId: number;
  locationUnitId: number;
  shelvingLocation: string | null;
  callNumber: string | null;
  callScheme: string | null;
  shelfKey: string | null;
  itemType: string | null;
  status: string;
  price: number | null;
  currency: string | null;
  acquiredOn: string | null;
  copyNumber: string | null;
  publicNote: string | null;
  staffNote: string | null;
}

export interface NewItemRow extends ItemRow {
  recordId: number;
  source: string;
}

export interface StoredItem extends NewItemRow {
  id: number;
  version: number;
  createdAt: string;
  updatedAt: string;
  withdrawnAt: string | null;
  ownerUnitCode: string;
  locationUnitCode: string;
}

export interface RecordListFilter {
  /** Keyset paging: records with an id above this. */
  afterId?: number;
  limit: number;
  /** Only these ids. */
  ids?: readonly number[];
  /** Only records with at least one item owned at or below this path. */
  heldUnderPath?: string;
  includeDeleted?: boolean;
  /** Highest ids first (the newest records); `afterId` then does not apply. */
  newestFirst?: boolean;
}

export interface CatalogRepository {
  /** Reserves `n` consecutive-or-not record ids for a bulk insert in this transaction. */
  allocateRecordIds(n: number): Promise<number[]>;
  insertRecords(rows: readonly NewRecordRow[], now: string): Promise<number[]>;
  /** Replaces a record's content if `version` matches (any version when undefined); false otherwise. */
  updateRecord(id: number, content: RecordContent, by: number | null, now: string, version?: number): Promise<boolean>;
  markDeleted(id: number, by: number | null, now: string, replacedById?: number | null): Promise<void>;
  getRecord(id: number): Promise<StoredRecord | undefined>;
  getRecords(ids: readonly number[]): Promise<StoredRecord[]>;
  listRecords(f: RecordListFilter): Promise<StoredRecord[]>;
  countRecords(opts?: { includeDeleted?: boolean }): Promise<number>;

  setIdentifiers(recordId: number, ids: readonly Identifier[]): Promise<void>;
  addIdentifiers(rows: readonly IdentifierHit[]): Promise<void>;
  /** Live records carrying any of these identifiers. */
  findByIdentifiers(ids: readonly Identifier[]): Promise<IdentifierHit[]>;

  /** Inserts items; their ids in order, unless `ids: false` (bulk imports do not need them). */
  insertItems(rows: readonly NewItemRow[], now: string, opts?: { ids?: boolean }): Promise<number[]>;
  updateItem(id: number, row: ItemRow, now: string, version?: number): Promise<boolean>;
  setItemStatus(id: number, status: string, now: string, withdrawnAt: string | null): Promise<void>;
  getItem(id: number): Promise<StoredItem | undefined>;
  getItemByBarcode(barcode: string): Promise<StoredItem | undefined>;
  itemsOfRecord(recordId: number): Promise<StoredItem[]>;
  itemsOfRecords(recordIds: readonly number[], underPath?: string): Promise<StoredItem[]>;
  /** Which of these barcodes are taken, and by which record. */
  barcodesTaken(barcodes: readonly string[]): Promise<Map<string, number>>;
  /** Units owning items of the record that are not withdrawn. */
  holderUnitIds(recordId: number): Promise<number[]>;
  moveItems(fromRecordId: number, toRecordId: number, now: string): Promise<number>;
}

// ---------------------------------------------------------------- jobs

export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

export interface Job {
  id: number;
  kind: string;
  status: JobStatus;
  unitId: number | null;
  createdBy: number | null;
  actorLabel: string;
  params: Record<string, unknown>;
  dedupeKey: string | null;
  checkpoint: number;
  progressDone: number;
  progressTotal: number | null;
  summary: Record<string, unknown> | null;
  error: string | null;
  attempts: number;
  leaseOwner: string | null;
  leaseUntil: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  updatedAt: string;
  /** Tries before the job is given up as failed (1: no retry). */
  maxAttempts: number;
  /** Longest one attempt may run, in ms; null: no limit beyond the lease. */
  timeoutMs: number | null;
  /** Not taken before this time (a retry's backoff, or a scheduled job). */
  runAfter: string | null;
}

export interface ImportResult {
  jobId: number;
  seq: number;
  outcome: 'created' | 'matched' | 'merged' | 'rejected';
  recordId: number | null;
  matchedOn: string | null;
  title: string | null;
  itemsAdded: number;
  problems: Array<{ code: string; params?: Record<string, unknown>; severity?: 'error' | 'warning' }>;
}

export interface JobRepository {
  insert(
    j: { kind: string; unitId: number | null; createdBy: number | null; actorLabel: string; params: Record<string, unknown>; dedupeKey: string | null; progressTotal: number | null; maxAttempts?: number; timeoutMs?: number | null; runAfter?: string | null },
    now: string,
  ): Promise<Job>;
  get(id: number): Promise<Job | undefined>;
  list(f: { kind?: string; kinds?: readonly string[]; status?: JobStatus; unitIds?: readonly number[]; limit: number; beforeId?: number }): Promise<Job[]>;
  findByDedupeKey(kind: string, key: string): Promise<Job[]>;
  /** Takes the oldest queued job of these kinds, or one whose lease ran out; undefined if none. */
  claim(kinds: readonly string[], owner: string, leaseUntil: string, now: string): Promise<Job | undefined>;
  /** Takes one given job if it is free (queued, or its lease ran out). */
  claimById(id: number, owner: string, leaseUntil: string, now: string): Promise<Job | undefined>;
  /** Records progress and extends the lease; false when the job is no longer ours (cancelled). */
  progress(id: number, owner: string, p: { checkpoint: number; progressDone: number; progressTotal?: number | null; summary: Record<string, unknown>; leaseUntil: string }, now: string): Promise<boolean>;
  finish(id: number, owner: string | null, status: JobStatus, p: { summary?: Record<string, unknown> | null; error?: string | null }, now: string): Promise<void>;
  requeue(id: number, now: string): Promise<void>;
  /** Puts a failed attempt back in the queue, not to be taken before `runAfter`. */
  retryLater(id: number, owner: string, error: string, runAfter: string, now: string): Promise<void>;
  /** Counts jobs by kind and status (for the staff jobs page). */
  counts(): Promise<{ kind: string; status: JobStatus; count: number }[]>;
  appendResults(rows: readonly ImportResult[]): Promise<void>;
  results(jobId: number, f: { outcome?: string; afterSeq?: number; limit: number }): Promise<ImportResult[]>;
  resultsOfRecord(recordId: number): Promise<ImportResult[]>;
}

// ---------------------------------------------------------------- store

/** The repositories, bound to one connection or one transaction. */
// ---------------------------------------------------------------- OAI-PMH provider

/** What the OAI-PMH provider lists: catalogue records (`kind` 0) and digital objects (`kind` 1). */
export type OaiKind = 0 | 1;

/** A place in the list: the last item sent (its stored `updated_at`, kind and id). */
export interface OaiCursor {
  stamp: string;
  kind: OaiKind;
  id: number;
}

/** A set as the repository selects it. */
export type OaiSetSelection =
  /** Records held (or catalogued) at or below the unit with this path; digital objects owned there. */
  | { kind: 'lib'; path: string }
  /** Digital objects in this collection; null: in any collection. */
  | { kind: 'coll'; collectionId: number | null }
  /** Digital objects of this priority category; null: every digital object. */
  | { kind: 'cat'; category: string | null };

export interface OaiListQuery {
  /** First `updated_at` selected (ISO). */
  from?: string;
  /** Last `updated_at` selected, inclusive (ISO, to the millisecond). */
  until?: string;
  set?: OaiSetSelection;
  after?: OaiCursor;
  limit: number;
}

export interface OaiItemRow {
  kind: OaiKind;
  id: number;
  /** ISO, exactly as stored (the cursor compares it). */
  updatedAt: string;
  deleted: boolean;
}

export interface OaiObjectRow {
  id: number;
  ownerUnitId: number;
  category: string;
  /** Dublin Core as stored (JSON). */
  dc: string;
  collectionCodes: string[];
}

/** Reads for the OAI-PMH data provider: one keyset-ordered list over records and digital objects. */
export interface OaiRepository {
  /** Items in `(updated_at, kind, id)` order after `after`, tombstones included. */
  list(q: OaiListQuery): Promise<OaiItemRow[]>;
  /** How many items `q` selects (without `after`). */
  count(q: Omit<OaiListQuery, 'after' | 'limit'>): Promise<number>;
  /** The item itself, deleted or not; undefined when it does not exist or was never public. */
  one(kind: OaiKind, id: number): Promise<OaiItemRow | undefined>;
  /** The oldest `updated_at` of anything listed. */
  earliest(): Promise<string | null>;
  /** Units each record belongs to for sets: the owners of its items, and its cataloguing library. */
  recordUnits(recordIds: readonly number[]): Promise<Map<number, number[]>>;
  objects(ids: readonly number[]): Promise<OaiObjectRow[]>;
  collections(): Promise<{ id: number; code: string; nameVi: string; nameEn: string }[]>;
  categories(): Promise<string[]>;
  /**
   * SRU scan: headings of a kind with how many live records carry each, from `from` onwards (or,
   * with `before`, the ones just before it, nearest first). Authors and subjects in Vietnamese A–Z
   * order by their browse key; titles in the order of their text.
   */
  scanHeadings(kind: 'title' | 'author' | 'subject', from: string, limit: number, before?: boolean): Promise<{ heading: string; docs: number }[]>;
}

export interface Repos {
  org: OrgRepository;
  staff: StaffRepository;
  sessions: SessionRepository;
  audit: AuditRepository;
  catalog: CatalogRepository;
  jobs: JobRepository;
  search: SearchIndex;
  digital: DigitalRepository;
  readers: ReaderRepository;
  /** Library websites: settings, images, news and events. */
  sites: SiteRepository;
  /** The OAI-PMH data provider's reads. */
  oai: OaiRepository;
  /** Remote SRU catalogues staff copy records from. */
  sruTargets: SruTargetRepository;
  /** OAI-PMH harvesting: sources, runs, per-record errors, identifier → record. */
  harvest: HarvestRepository;
}

export interface Store extends Repos {
  readonly dialect: 'sqlite' | 'postgres';
  /** Runs `fn` in one transaction: everything it writes lands together or not at all. */
  transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
  /** A trivial round trip, for readiness checks. */
  ping(): Promise<void>;
}

// ---------------------------------------------------------------- search

/** What the indexer may use instead of reading a record it was just given. */
export interface IndexHint {
  derived: DerivedRecord;
  createdAt: string;
}

/** Documents as one engine stores them: rows of the document table and of its text index. */
export interface EngineRows {
  docs: unknown[][];
  fts: unknown[][];
}

/** Builds the documents of stored records for a full rebuild, on worker threads where it can. */
export interface SearchBuildPool {
  readonly threads: number;
  build(req: { records: { id: number; marc: string; createdAt: string }[]; items: [number, DocItem[]][] }): Promise<{
    rows: EngineRows;
    documents: number;
    headings: (HeadingHit & { folded: string })[];
    terms: TermHit[];
  }>;
  close(): Promise<void>;
}

/** One document's facet data, as each process's in-memory facet arrays read it. */
export interface FacetRow {
  id: number;
  seq: number;
  alive: boolean;
  facets: DocFacets | null;
  year: number | null;
  holdings: number;
}

/** What a result line shows of a document. */
export interface SearchRow {
  id: number;
  display: SearchDoc['display'];
  year: number | null;
  holdings: number;
  createdAt: string;
}

/** What ranking reads of a document. */
export interface RankRow {
  id: number;
  rank: SearchDoc['rank'];
  year: number | null;
  holdings: number;
}

/** What a document adds to the autocomplete and spelling vocabularies. */
export interface StoredVocab {
  headings: SearchDoc['headings'];
  surfaces: [string, string][];
}

export interface PageHit {
  docId: number;
  pageNo: number;
  label: string | null;
  body: string;
}

export interface PageText {
  pageNo: number;
  label?: string | null;
  /** The page's text (OCR), NFC. */
  text: string;
}

export interface HeadingHit {
  kind: 'title' | 'author' | 'subject';
  heading: string;
  docs: number;
}

export interface TermHit {
  token: string;
  surface: string;
  docs: number;
}

/** The headings readers browse A–Z (see `src/domain/browse/alphabet.ts`). */
export type BrowseKind = 'author' | 'subject';

/** A position in an A–Z list: a row's browse key and heading (keys may repeat; the pair does not). */
export interface BrowsePosition {
  key: string;
  heading: string;
}

/** An author or subject heading of an A–Z list, with the number of live records that carry it. */
export interface BrowseHeading extends BrowsePosition {
  docs: number;
}

/** A live catalogue record's id and last change, for sitemaps. */
export interface RecordStamp {
  id: number;
  updatedAt: string;
}

/**
 * The discovery index: SQLite FTS5 or PostgreSQL full text behind one interface. Folding,
 * ranking and facets are ours (`src/app/search`); an engine matches tokens and stores documents.
 * Writes run in the caller's transaction, so a change is searchable when it commits.
 */
export interface SearchIndex {
  readonly engine: 'sqlite-fts5' | 'postgres';

  // -- writing (in the caller's transaction)
  /** Records whose documents must be rebuilt before the transaction commits. */
  markDirty(recordIds: Iterable<number>): void;
  /** Takes (and clears) the dirty set. */
  takeDirty(): number[];
  /** A new live record's derived description, so the indexer need not read and derive it again. */
  hint(recordId: number, h: IndexHint): void;
  /** Takes (and clears) the hints. */
  takeHints(): Map<number, IndexHint>;
  /** Items of these live records with their units' tree paths, for building documents. */
  docItems(recordIds: readonly number[]): Promise<Map<number, DocItem[]>>;
  /** Record ids with a copy owned or located at or below a tree path. */
  recordsHeldUnder(path: string): Promise<number[]>;
  /** Replaces the documents of `docs` and removes those of `gone`, under one new change number. */
  write(docs: readonly SearchDoc[], gone: readonly number[]): Promise<void>;
  /** Replaces a document's page-level full text. */
  setPages(docId: number, pages: readonly PageText[]): Promise<void>;

  // -- reading
  state(): Promise<{ seq: number; generation: number }>;
  /** Documents changed after a (seq, id) position (all from `{ seq: -1, id: 0 }`), in that order, at most `limit`. */
  facetRows(after: { seq: number; id: number }, limit: number): Promise<FacetRow[]>;
  /** Ids of documents matching; with `limit`, the newest (highest ids) first. */
  match(expr: MatchExpr, opts?: { limit?: number }): Promise<Uint32Array>;
  /** Which of these documents match. */
  matchAmong(expr: MatchExpr, ids: readonly number[]): Promise<Uint32Array>;
  rows(ids: readonly number[]): Promise<SearchRow[]>;
  rankRows(ids: readonly number[]): Promise<RankRow[]>;
  /** The title or author sort keys of these documents. */
  sortKeys(ids: readonly number[], by: 'title' | 'author'): Promise<{ id: number; key: string }[]>;
  /** Live documents whose whole folded title is `key`. */
  byTitleKey(key: string, limit: number): Promise<number[]>;
  /** Live document ids in sort order, after a (key, id) position; for walking large result sets. */
  ordered(by: 'title' | 'author', direction: 'asc' | 'desc', after: { key: string; id: number } | null, limit: number): Promise<{ id: number; key: string }[]>;
  headings(foldedPrefix: string, limit: number): Promise<HeadingHit[]>;
  /** Vocabulary words between two folded bounds (for spelling suggestions). */
  terms(from: string, to: string, limit: number): Promise<TermHit[]>;
  termDocs(tokens: readonly string[]): Promise<Map<string, number>>;
  pageHits(expr: MatchExpr, opts: { docIds?: readonly number[]; limit: number }): Promise<PageHit[]>;
  size(): Promise<{ docs: number; pages: number; bytes: number | null }>;

  // -- browsing (A–Z lists) and sitemaps
  /**
   * Headings of a kind whose browse key lies in [from, to), in (key, heading) order: the first
   * `limit` after `after` (or from the start), or with `before` the last `limit` before it (still
   * returned in ascending order). One range read of the browse index.
   */
  browseHeadings(q: { kind: BrowseKind; from: string; to: string; after?: BrowsePosition; before?: BrowsePosition; limit: number }): Promise<BrowseHeading[]>;
  /**
   * The first heading of a kind whose folded form (no marks, `đ` → `d`) starts with a folded
   * prefix, in folded then browse order: where "jump to" lands for text typed without marks.
   */
  headingByFolded(kind: BrowseKind, foldedPrefix: string): Promise<BrowsePosition | null>;
  /** How many headings of a kind have their browse key in [from, to). */
  countHeadings(kind: BrowseKind, from: string, to: string): Promise<number>;
  /** For each [from, to) range, whether a heading of the kind has its browse key in it (the letter bar). */
  headingRanges(kind: BrowseKind, ranges: readonly (readonly [string, string])[]): Promise<boolean[]>;
  /** Live catalogue records with ids in [fromId, toId) and above `afterId`, in id order, with their last change; at most `limit`. */
  recordStamps(q: { fromId: number; toId: number; afterId: number; limit: number }): Promise<RecordStamp[]>;
  /** The numbers n of the id ranges [n × size, (n + 1) × size) holding at least one live record, in order (one index seek each). */
  recordBuckets(size: number): Promise<number[]>;

  // -- full rebuild (see ReindexService)
  /** Live records after an id, in id order, with what building their documents needs. */
  sourceRecords(afterId: number, limit: number): Promise<{ id: number; marc: string; createdAt: string }[]>;
  beginRebuild(): Promise<void>;
  /** Writes rows a {@link SearchBuildPool} built into the shadow set. */
  writeRebuild(rows: EngineRows): Promise<void>;
  /** Headings and terms of the shadow set, computed by the caller from all documents (called once per slice of them). */
  writeRebuildVocabulary(headings: readonly HeadingHit[], terms: readonly TermHit[]): Promise<void>;
  /** Builds the shadow set's secondary indexes, once, after every row is in. */
  indexRebuild(): Promise<void>;
  /**
   * Swaps the shadow set in and says which records changed in the live set after `sinceSeq`
   * (while the rebuild ran); the caller rebuilds their documents in the same transaction.
   */
  finishRebuild(sinceSeq: number): Promise<{ generation: number; changed: number[] }>;
  abandonRebuild(): Promise<void>;
}

// ---------------------------------------------------------------- digital library

export type ProcessingState = 'none' | 'queued' | 'running' | 'done' | 'failed';

export interface DigitalObjectFields {
  recordId: number | null;
  ownerUnitId: number;
  title: string;
  dc: DublinCore;
  category: PlanCategory;
  access: AccessLevel;
  embargoUntil: string | null;
  licence: Licence;
  downloadable: boolean;
  watermark: boolean;
  ocrLanguages: OcrLanguageSet;
  forceOcr: boolean;
  state: WorkflowState;
  stateReason: string | null;
  assigneeId: number | null;
}

export interface StoredDigitalObject extends DigitalObjectFields {
  id: number;
  pageCount: number;
  textPages: number;
  processing: ProcessingState;
  processingError: string | null;
  status: 'active' | 'deleted';
  source: string;
  version: number;
  createdBy: number | null;
  updatedBy: number | null;
  createdAt: string;
  updatedAt: string;
  publishedAt: string | null;
  deletedAt: string | null;
}

export interface DigitalFile {
  id: number;
  objectId: number;
  seq: number;
  sha256: string;
  size: number;
  mediaType: string;
  name: string;
  pages: number;
  createdAt: string;
}

export interface DigitalPage {
  id: number;
  objectId: number;
  seq: number;
  fileId: number;
  filePage: number;
  label: string | null;
  width: number | null;
  height: number | null;
  pyramidSha256: string | null;
  text: string | null;
  textSource: 'ocr' | 'pdf' | null;
  confidence: number | null;
  engine: string | null;
  textAt: string | null;
}

export interface DigitalCollection {
  id: number;
  ownerUnitId: number;
  code: string;
  nameVi: string;
  nameEn: string;
  description: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface BlobRow {
  sha256: string;
  size: number;
  mediaType: string;
  createdAt: string;
  checkedAt: string | null;
  checkStatus: 'ok' | 'missing' | 'mismatch' | null;
  checkDetail: string | null;
}

export interface IngestResult {
  jobId: number;
  seq: number;
  outcome: 'created' | 'failed' | 'skipped';
  objectId: number | null;
  label: string | null;
  problems: Array<{ code: string; params?: Record<string, unknown> }>;
}

export interface DigitalObjectFilter {
  unitIds?: readonly number[];
  states?: readonly WorkflowState[];
  assigneeId?: number | null;
  collectionId?: number;
  category?: PlanCategory;
  recordId?: number;
  /** Case-insensitive part of the title. */
  titleLike?: string;
  /** Exactly this source (`ingest:<job>:<row>`, …). */
  source?: string;
  limit: number;
  beforeId?: number;
}

export interface DigitalRepository {
  insertObject(o: DigitalObjectFields & { source: string; createdBy: number | null }, now: string): Promise<number>;
  getObject(id: number): Promise<StoredDigitalObject | undefined>;
  /** Changes fields if `version` matches (any version when undefined); false otherwise. Bumps the version. */
  updateObject(id: number, patch: Partial<DigitalObjectFields> & { publishedAt?: string | null }, by: number | null, now: string, version?: number): Promise<boolean>;
  setProcessing(id: number, state: ProcessingState, error: string | null, now: string): Promise<void>;
  markObjectDeleted(id: number, by: number | null, now: string): Promise<void>;
  listObjects(f: DigitalObjectFilter): Promise<StoredDigitalObject[]>;
  countObjects(f: Omit<DigitalObjectFilter, 'limit' | 'beforeId'>): Promise<number>;
  /** Live objects linked to any of these records. */
  objectsOfRecords(recordIds: readonly number[]): Promise<StoredDigitalObject[]>;
  /** Published, live objects per owning unit and category. */
  publishedCounts(): Promise<{ unitId: number; category: PlanCategory; count: number }[]>;
  /** Objects per owning unit and workflow state (live ones). */
  stateCounts(unitIds?: readonly number[]): Promise<{ unitId: number; state: WorkflowState; count: number }[]>;

  putBlob(b: { sha256: string; size: number; mediaType: string }, now: string): Promise<void>;
  getBlob(sha256: string): Promise<BlobRow | undefined>;
  /** Blobs in hash order after `afterSha`, for the fixity sweep. */
  blobsAfter(afterSha: string, limit: number): Promise<BlobRow[]>;
  recordFixity(sha256: string, status: 'ok' | 'missing' | 'mismatch', detail: string | null, now: string): Promise<void>;
  fixityProblems(limit: number): Promise<BlobRow[]>;
  /** Whether any file or page image still refers to this blob. */
  blobInUse(sha256: string): Promise<boolean>;

  addFile(f: Omit<DigitalFile, 'id' | 'createdAt'>, now: string): Promise<DigitalFile>;
  filesOf(objectId: number): Promise<DigitalFile[]>;
  getFile(id: number): Promise<DigitalFile | undefined>;
  /** Replaces an object's pages (their text goes with them). */
  replacePages(objectId: number, pages: readonly { seq: number; fileId: number; filePage: number; label: string | null }[]): Promise<DigitalPage[]>;
  pagesOf(objectId: number): Promise<DigitalPage[]>;
  getPage(objectId: number, seq: number): Promise<DigitalPage | undefined>;
  setPageImage(pageId: number, p: { width: number; height: number; pyramidSha256: string }): Promise<void>;
  setPageText(pageId: number, p: { text: string; words: readonly PageWord[]; textSource: 'ocr' | 'pdf'; confidence: number; engine: string }, now: string): Promise<void>;
  pageWords(pageId: number): Promise<PageWord[]>;
  /** Pages' words for many pages at once (search inside an object). */
  wordsOfPages(pageIds: readonly number[]): Promise<Map<number, PageWord[]>>;
  /** Recounts pages and pages with text from the pages table. */
  refreshCounts(objectId: number): Promise<{ pageCount: number; textPages: number }>;

  insertCollection(c: { ownerUnitId: number; code: string; nameVi: string; nameEn: string; description: string | null }, now: string): Promise<number>;
  updateCollection(id: number, c: { nameVi: string; nameEn: string; description: string | null }, now: string, version: number): Promise<boolean>;
  getCollection(id: number): Promise<DigitalCollection | undefined>;
  getCollectionByCode(code: string): Promise<DigitalCollection | undefined>;
  listCollections(f: { unitIds?: readonly number[] }): Promise<(DigitalCollection & { objects: number })[]>;
  deleteCollection(id: number): Promise<void>;
  setObjectCollections(objectId: number, collectionIds: readonly number[]): Promise<void>;
  collectionsOf(objectId: number): Promise<DigitalCollection[]>;

  setTarget(unitId: number, category: PlanCategory, held: number, now: string): Promise<void>;
  targets(unitIds?: readonly number[]): Promise<{ unitId: number; category: PlanCategory; held: number }[]>;

  appendIngestResults(rows: readonly IngestResult[]): Promise<void>;
  ingestResults(jobId: number, f: { outcome?: string; afterSeq?: number; limit: number }): Promise<IngestResult[]>;
}
