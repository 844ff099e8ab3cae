/**
 * What the readers' accounts need from storage: the readers themselves, their sessions, saved
 * lists and search history. Implemented in `adapters/db/repositories/reader.repository.ts`;
 * reached as `repos.readers` inside a transaction like every other repository.
 */
import type { ReaderStatus } from '../../domain/readers/reader.js';

export interface Reader {
  id: number;
  name: string;
  email: string;
  phone: string | null;
  birthYear: number | null;
  homeUnitId: number;
  status: ReaderStatus;
  /** Why staff refused or suspended the account (shown to the reader). */
  statusReason: string | null;
  cardNumber: string | null;
  /** The library that issued the card, and when. */
  cardUnitId: number | null;
  cardIssuedAt: string | null;
  /** The staff member who approved the registration (null: the system, e.g. the demo). */
  approvedBy: number | null;
  locale: string | null;
  historyEnabled: boolean;
  failedLogins: number;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ReaderWithHash extends Reader {
  passwordHash: string;
}

export interface NewReader {
  name: string;
  nameKey: string;
  email: string;
  phone: string | null;
  birthYear: number | null;
  homeUnitId: number;
  locale: string | null;
  passwordHash: string;
}

export interface ReaderProfilePatch {
  name: string;
  nameKey: string;
  email: string;
  phone: string | null;
  birthYear: number | null;
  homeUnitId: number;
}

export interface ReaderSession {
  /** SHA-256 of the secret token the browser holds. */
  id: string;
  readerId: number;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
}

/**
 * Which readers a staff member reaches: everyone (`all`), or those whose home unit is one of
 * `unitIds` or lies at or below one of `underPaths` (materialised tree paths).
 */
export type ReaderReach = 'all' | { unitIds: readonly number[]; underPaths: readonly string[] };

export interface ReaderFilter {
  reach: ReaderReach;
  status?: ReaderStatus;
  /** Part of the folded name. */
  nameKey?: string;
  /** Start of the email address (lower case). */
  emailPrefix?: string;
  /** Start of the card number (digits). */
  cardPrefix?: string;
  /** Oldest first (the approval queue) or newest first. */
  order: 'oldest' | 'newest';
  limit: number;
}

export interface ReaderList {
  id: number;
  readerId: number;
  name: string;
  isPublic: boolean;
  /** How many records the list holds. */
  items: number;
  createdAt: string;
  updatedAt: string;
}

export interface ReaderListItem {
  listId: number;
  recordId: number;
  note: string | null;
  addedAt: string;
  /** From the catalogue; the record may since have been deleted (or replaced by another). */
  title: string;
  author: string | null;
  year: number | null;
  recordStatus: string;
  replacedById: number | null;
}

export interface ReaderSearch {
  id: number;
  readerId: number;
  query: string;
  /** The search's query string, without paging (`q=…&library=…`). */
  params: string;
  resultCount: number | null;
  at: string;
}

export interface ReaderRepository {
  insert(r: NewReader, now: string): Promise<Reader>;
  getById(id: number): Promise<Reader | undefined>;
  getWithHashByEmail(email: string): Promise<ReaderWithHash | undefined>;
  getWithHashByCard(card: string): Promise<ReaderWithHash | undefined>;
  getHashById(id: number): Promise<string | undefined>;
  /** Whether another reader uses this (lower-cased) address. */
  emailTaken(email: string, exceptId?: number): Promise<boolean>;
  list(f: ReaderFilter): Promise<Reader[]>;
  /** Readers per status within a reach (for the staff page's counts). */
  countByStatus(reach: ReaderReach): Promise<Map<ReaderStatus, number>>;
  updateProfile(id: number, p: ReaderProfilePatch, now: string): Promise<void>;
  setLocale(id: number, locale: string | null, now: string): Promise<void>;
  setHistoryEnabled(id: number, enabled: boolean, now: string): Promise<void>;
  setPassword(id: number, hash: string, now: string): Promise<void>;
  setStatus(id: number, status: ReaderStatus, reason: string | null, now: string): Promise<void>;
  /** Makes the account active with its card; false when it was no longer pending (approved twice at once). */
  issueCard(id: number, card: { cardNumber: string; cardUnitId: number; approvedBy: number | null }, now: string): Promise<boolean>;
  /** The next running number of the cards a library issues (1, 2, …); atomic under concurrency. */
  nextCardSequence(unitId: number): Promise<number>;
  recordFailedLogin(id: number, failures: number, lockedUntil: string | null, now: string): Promise<void>;
  recordLogin(id: number, now: string): Promise<void>;

  createSession(s: ReaderSession & { ip: string | null; userAgent: string | null }): Promise<void>;
  getSession(id: string): Promise<ReaderSession | undefined>;
  touchSession(id: string, lastSeenAt: string, expiresAt: string): Promise<void>;
  deleteSession(id: string): Promise<void>;
  deleteSessionsOf(readerId: number, exceptId?: string): Promise<number>;
  deleteExpiredSessions(now: string): Promise<number>;

  lists(readerId: number): Promise<ReaderList[]>;
  getList(id: number): Promise<ReaderList | undefined>;
  /** The reader's list with this lower-cased name. */
  listByNameKey(readerId: number, nameKey: string): Promise<ReaderList | undefined>;
  insertList(l: { readerId: number; name: string; nameKey: string }, now: string): Promise<ReaderList>;
  renameList(id: number, name: string, nameKey: string, now: string): Promise<void>;
  deleteList(id: number): Promise<void>;
  items(listId: number, page: { limit: number; offset: number }): Promise<ReaderListItem[]>;
  /** Adds a record to a list; false when it was there already. */
  addItem(listId: number, recordId: number, note: string | null, now: string): Promise<boolean>;
  /** Removes a record from a list; false when it was not there. */
  removeItem(listId: number, recordId: number, now: string): Promise<boolean>;
  /** The reader's lists that hold a record. */
  listsHolding(readerId: number, recordId: number): Promise<number[]>;

  addSearch(s: { readerId: number; query: string; params: string; resultCount: number | null }, now: string): Promise<void>;
  /** The newest search, to fold repeats of one search into one line. */
  lastSearch(readerId: number): Promise<ReaderSearch | undefined>;
  touchSearch(id: number, resultCount: number | null, now: string): Promise<void>;
  searches(readerId: number, limit: number): Promise<ReaderSearch[]>;
  /** Forgets all but the newest `keep` searches of a reader. */
  trimSearches(readerId: number, keep: number): Promise<number>;
  clearSearches(readerId: number): Promise<number>;
}
