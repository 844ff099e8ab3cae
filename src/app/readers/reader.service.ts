/**
 * Readers' accounts: the public registers at a home library and waits for that library to
 * approve the registration and issue a card number valid in every library of the network; signs
 * in with the email address or the card number (argon2id, lockout after repeated failures, as
 * for staff); edits the profile, password and language; keeps saved lists of records and a
 * history of searches it can switch off and clear.
 *
 * Staff holding `reader.manage` see the readers whose home library their grant reaches, and
 * approve (issuing the card from a library they manage), refuse, suspend and reactivate them.
 *
 * Every change lands with an audit entry in the same transaction, with two deliberate
 * exceptions that protect the reader's privacy (libraries keep what people read confidential):
 * searches are not audited at all (the reader can clear the history; an append-only log could
 * not be cleared), and the audit entries of saved lists name the list but not the records.
 */
import { randomBytes } from 'node:crypto';
import { AppError, type FieldProblem } from '../../domain/errors.js';
import { allows, type Permission } from '../../domain/access/permissions.js';
import { UNIT_TYPES } from '../../domain/org/unit-types.js';
import type { OrgUnit } from '../../domain/org/unit.js';
import { looksLikeCardNumber, makeCardNumber, parseCardNumber } from '../../domain/readers/card.js';
import {
  HISTORY_KEEP,
  MAX_LISTS,
  MAX_LIST_ITEMS,
  MAX_NOTE,
  cleanListName,
  cleanReason,
  historyParams,
  listNameKey,
  nameKey,
  validateProfile,
  type ProfileInput,
  type ReaderStatus,
} from '../../domain/readers/reader.js';
import { cleanLine } from '../../text/fold.js';
import { isLocale, translator } from '../../i18n/i18n.js';
import type { Actor } from '../actor.js';
import { audit } from '../audit.js';
import { checkPasswordStrength, generatePassword, sha256 } from '../auth.service.js';
import { authorize, runWrite } from '../guard.js';
import type { Clock, PasswordHasher, Repos, Store } from '../ports.js';
import type { Reader, ReaderList, ReaderListItem, ReaderReach, ReaderSearch, ReaderSession, ReaderWithHash } from './ports.js';

export interface ReaderPolicy {
  /** Failed sign-ins in a row before the account is locked. */
  maxFailedLogins: number;
  lockMinutes: number;
  /** A session ends after this long without a request… */
  sessionIdleMinutes: number;
  /** …and after this long in any case. */
  sessionMaxHours: number;
}

/**
 * Readers sign in on their own phones mostly, so a session lasts longer than a staff one; the
 * cookie itself ends with the browser, which covers the library's shared computers.
 */
export const DEFAULT_READER_POLICY: ReaderPolicy = { maxFailedLogins: 5, lockMinutes: 15, sessionIdleMinutes: 7 * 24 * 60, sessionMaxHours: 30 * 24 };

const PERMISSION: Permission = 'reader.manage';

export interface RegisterInput extends ProfileInput {
  homeUnitId: unknown;
  password: string;
  confirm: string;
  locale?: unknown;
}

export interface ProfileUpdate extends ProfileInput {
  homeUnitId: unknown;
  /** Needed only when the email address (the sign-in name) changes. */
  currentPassword?: string;
}

export interface RequestInfo {
  ip: string | null;
  userAgent?: string | null;
  requestId: string | null;
}

export interface SaveInput {
  recordId: number;
  /** An existing list of the reader's… */
  listId?: number | null;
  /** …or a new one by this name; neither: the default list ("Đã lưu" / "Saved"), made on first use. */
  newListName?: string | null;
  note?: string | null;
}

/** Per reader: the home library and the libraries above it where the actor may issue a card, nearest first. */
function issuingChoicesIn(units: readonly OrgUnit[], actor: Actor, readers: readonly Reader[]): Map<number, OrgUnit[]> {
  const byId = new Map(units.map((u) => [u.id, u]));
  const out = new Map<number, OrgUnit[]>();
  for (const reader of readers) {
    const choices: OrgUnit[] = [];
    for (let u = byId.get(reader.homeUnitId); u; u = u.parentId === null ? undefined : byId.get(u.parentId)) {
      if (u.typeCode !== 'network' && allows(actor.grants, PERMISSION, u)) choices.push(u);
    }
    out.set(reader.id, choices);
  }
  return out;
}

export class ReaderService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #hasher: PasswordHasher;
  readonly #policy: ReaderPolicy;
  #dummyHash: Promise<string> | undefined;

  constructor(deps: { store: Store; clock: Clock; hasher: PasswordHasher; policy?: Partial<ReaderPolicy> }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
    this.#hasher = deps.hasher;
    this.#policy = { ...DEFAULT_READER_POLICY, ...deps.policy };
  }

  // ================================================================ registration and sign-in

  /** Libraries a reader may choose as home: open units of a type that holds readers. */
  async homeLibraries(): Promise<OrgUnit[]> {
    return (await this.#store.org.list({ activeOnly: true })).filter((u) => UNIT_TYPES[u.typeCode].holdsReaders);
  }

  /**
   * Registers a new reader, pending until a library approves. Every bad field is reported at
   * once; an address already registered is refused (`READER_EMAIL_TAKEN`).
   */
  async register(input: RegisterInput, req: RequestInfo): Promise<Reader> {
    const now = this.#clock.now();
    const problems: FieldProblem[] = [];
    const home = await this.#homeUnit(input.homeUnitId, problems);
    const password = String(input.password ?? '');
    this.#passwordProblems(password, String(input.confirm ?? ''), String(input.email ?? ''), problems, 'password');
    const profile = validateProfile(input, now.getUTCFullYear(), problems);
    const locale = isLocale(input.locale) ? input.locale : null;
    const passwordHash = await this.#hasher.hash(password);
    return this.#store.transaction(async (tx) => {
      if (await tx.readers.emailTaken(profile.email)) throw new AppError('READER_EMAIL_TAKEN', {}, [{ field: 'email', code: 'READER_EMAIL_TAKEN' }]);
      const reader = await tx.readers.insert({ ...profile, homeUnitId: home!.id, locale, passwordHash }, now.toISOString());
      await audit(tx, this.#selfActor(reader.id, req), now, {
        action: 'reader.register',
        unitId: home!.id,
        targetType: 'reader',
        targetId: reader.id,
        after: { homeUnitId: home!.id, locale, status: reader.status },
      });
      return reader;
    });
  }

  /**
   * Checks an email address or card number and a password; on success opens a session and
   * returns its secret token (only its hash is stored). Unknown readers and wrong passwords get
   * the same error and take the same time; a locked account says so; a suspended or closed one
   * says so only once the password was right.
   */
  async login(identifier: string, password: string, req: RequestInfo): Promise<{ token: string; reader: Reader; session: ReaderSession }> {
    const raw = String(identifier ?? '').trim().slice(0, 254);
    const now = this.#clock.now();
    const reader = await this.#findForLogin(raw);
    const actor = this.#selfActor(reader?.id ?? null, req);
    if (!reader) {
      this.#dummyHash ??= this.#hasher.hash('not-a-real-password-0');
      await this.#hasher.verify(await this.#dummyHash, password);
      await this.#store.transaction((tx) => audit(tx, actor, now, { action: 'reader.login.failed', unitId: null, targetType: 'reader', targetId: null, after: { reason: 'unknown' } }));
      throw new AppError('READER_INVALID_CREDENTIALS');
    }
    if (reader.lockedUntil && reader.lockedUntil > now.toISOString()) {
      await this.#store.transaction((tx) => audit(tx, actor, now, { action: 'reader.login.failed', unitId: reader.homeUnitId, targetType: 'reader', targetId: reader.id, after: { reason: 'locked' } }));
      throw new AppError('AUTH_ACCOUNT_LOCKED', { minutes: Math.ceil((Date.parse(reader.lockedUntil) - now.getTime()) / 60000) });
    }
    if (!(await this.#hasher.verify(reader.passwordHash, password))) {
      await this.#recordFailure(reader, actor, now);
      throw new AppError('READER_INVALID_CREDENTIALS');
    }
    if (reader.status === 'suspended' || reader.status === 'closed') {
      await this.#store.transaction((tx) => audit(tx, actor, now, { action: 'reader.login.failed', unitId: reader.homeUnitId, targetType: 'reader', targetId: reader.id, after: { reason: reader.status } }));
      throw this.#statusError(reader);
    }
    const token = randomBytes(32).toString('base64url');
    const session: ReaderSession = { id: sha256(token), readerId: reader.id, createdAt: now.toISOString(), lastSeenAt: now.toISOString(), expiresAt: this.#expiry(now, now).toISOString() };
    await this.#store.transaction(async (tx) => {
      await tx.readers.createSession({ ...session, ip: req.ip, userAgent: req.userAgent?.slice(0, 300) ?? null });
      await tx.readers.recordLogin(reader.id, now.toISOString());
      // Sessions nobody came back to are swept here, so no separate timer is needed.
      await tx.readers.deleteExpiredSessions(now.toISOString());
      await audit(tx, actor, now, { action: 'reader.login', unitId: reader.homeUnitId, targetType: 'reader', targetId: reader.id, after: { userAgent: req.userAgent?.slice(0, 300) ?? null } });
    });
    const { passwordHash: _omit, ...plain } = reader;
    return { token, reader: { ...plain, failedLogins: 0, lockedUntil: null, lastLoginAt: now.toISOString() }, session };
  }

  /**
   * The reader behind a session token, or `AUTH_REQUIRED` / `AUTH_SESSION_EXPIRED`. A session
   * of a suspended or closed account ends. Extends the idle expiry at most once a minute.
   */
  async readerForSession(token: string): Promise<{ reader: Reader; sessionId: string }> {
    const id = sha256(token);
    const session = await this.#store.readers.getSession(id);
    if (!session) throw new AppError('AUTH_REQUIRED');
    const now = this.#clock.now();
    if (session.expiresAt <= now.toISOString()) {
      await this.#store.readers.deleteSession(id);
      throw new AppError('AUTH_SESSION_EXPIRED');
    }
    const reader = await this.#store.readers.getById(session.readerId);
    if (!reader || reader.status === 'suspended' || reader.status === 'closed') {
      await this.#store.readers.deleteSession(id);
      throw new AppError('AUTH_SESSION_EXPIRED');
    }
    if (now.getTime() - Date.parse(session.lastSeenAt) > 60000) {
      await this.#store.readers.touchSession(id, now.toISOString(), this.#expiry(now, new Date(session.createdAt)).toISOString());
    }
    return { reader, sessionId: id };
  }

  /** The actor a signed-in reader acts as on their own account. */
  actorFor(reader: Pick<Reader, 'id' | 'locale'>, sessionId: string | null, req: RequestInfo): Actor {
    return { ...this.#selfActor(reader.id, req), locale: reader.locale, sessionId };
  }

  async logout(actor: Actor): Promise<void> {
    const readerId = this.#own(actor);
    if (!actor.sessionId) return;
    const now = this.#clock.now();
    const reader = await this.#store.readers.getById(readerId);
    await this.#store.transaction(async (tx) => {
      await tx.readers.deleteSession(actor.sessionId!);
      await audit(tx, actor, now, { action: 'reader.logout', unitId: reader?.homeUnitId ?? null, targetType: 'reader', targetId: readerId });
    });
  }

  // ================================================================ the reader's own account

  async me(actor: Actor): Promise<Reader> {
    const reader = await this.#store.readers.getById(this.#own(actor));
    if (!reader) throw new AppError('AUTH_REQUIRED');
    return reader;
  }

  /** Name, email, phone, year of birth and home library. Changing the email (the sign-in name) needs the current password. */
  async updateProfile(actor: Actor, input: ProfileUpdate): Promise<Reader> {
    const me = await this.me(actor);
    const now = this.#clock.now();
    const problems: FieldProblem[] = [];
    // The current home library stays acceptable even if it no longer takes new readers.
    const same = String(input.homeUnitId ?? '').trim() === String(me.homeUnitId);
    const home = same ? { id: me.homeUnitId } : await this.#homeUnit(input.homeUnitId, problems);
    const profile = validateProfile(input, now.getUTCFullYear(), problems);
    if (profile.email !== me.email) await this.#checkCurrentPassword(me, actor, input.currentPassword ?? '', 'currentPassword');
    return this.#store.transaction(async (tx) => {
      if (profile.email !== me.email && (await tx.readers.emailTaken(profile.email, me.id))) throw new AppError('READER_EMAIL_TAKEN', {}, [{ field: 'email', code: 'READER_EMAIL_TAKEN' }]);
      const patch = { ...profile, homeUnitId: home!.id };
      await tx.readers.updateProfile(me.id, patch, now.toISOString());
      const before = { name: me.name, email: me.email, phone: me.phone, birthYear: me.birthYear, homeUnitId: me.homeUnitId };
      const after = { name: patch.name, email: patch.email, phone: patch.phone, birthYear: patch.birthYear, homeUnitId: patch.homeUnitId };
      await audit(tx, actor, now, { action: 'reader.profile.update', unitId: home!.id, targetType: 'reader', targetId: me.id, before, after });
      return (await tx.readers.getById(me.id))!;
    });
  }

  /** Changes the reader's password; their other sessions end. */
  async changePassword(actor: Actor, current: string, next: string, confirm: string): Promise<void> {
    const me = await this.me(actor);
    await this.#checkCurrentPassword(me, actor, current, 'current');
    const problems: FieldProblem[] = [];
    this.#passwordProblems(next, confirm, me.email, problems, 'next');
    if (problems.length) throw new AppError('VALIDATION', {}, problems);
    const hash = await this.#hasher.hash(next);
    const now = this.#clock.now();
    await this.#store.transaction(async (tx) => {
      await tx.readers.setPassword(me.id, hash, now.toISOString());
      const ended = await tx.readers.deleteSessionsOf(me.id, actor.sessionId ?? undefined);
      await audit(tx, actor, now, { action: 'reader.password.change', unitId: me.homeUnitId, targetType: 'reader', targetId: me.id, after: { otherSessionsEnded: ended } });
    });
  }

  /** The language pages are shown in for this reader, on every device. */
  async setLocale(actor: Actor, locale: unknown): Promise<void> {
    if (!isLocale(locale)) throw new AppError('VALIDATION', {}, [{ field: 'locale', code: 'VALIDATION' }]);
    const me = await this.me(actor);
    if (me.locale === locale) return;
    const now = this.#clock.now();
    await this.#store.transaction(async (tx) => {
      await tx.readers.setLocale(me.id, locale, now.toISOString());
      await audit(tx, actor, now, { action: 'reader.locale', unitId: me.homeUnitId, targetType: 'reader', targetId: me.id, before: { locale: me.locale }, after: { locale } });
    });
  }

  // ---------------------------------------------------------------- saved lists

  async lists(actor: Actor): Promise<ReaderList[]> {
    return this.#store.readers.lists(this.#own(actor));
  }

  /** One of the reader's lists with a page of its records; `READER_LIST_NOT_FOUND` for anyone else's. */
  async list(actor: Actor, listId: number, page: { limit: number; offset: number } = { limit: 100, offset: 0 }): Promise<{ list: ReaderList; items: ReaderListItem[] }> {
    const list = await this.#ownList(this.#store, this.#own(actor), listId);
    const limit = Math.min(Math.max(page.limit, 1), 200);
    return { list, items: await this.#store.readers.items(list.id, { limit, offset: Math.max(page.offset, 0) }) };
  }

  async createList(actor: Actor, rawName: unknown): Promise<ReaderList> {
    const me = await this.me(actor);
    const name = this.#listName(rawName);
    const now = this.#clock.now();
    return this.#store.transaction(async (tx) => {
      const list = await this.#newList(tx, me.id, name, now);
      await audit(tx, actor, now, { action: 'reader.list.create', unitId: me.homeUnitId, targetType: 'reader_list', targetId: list.id, after: { name } });
      return list;
    });
  }

  async renameList(actor: Actor, listId: number, rawName: unknown): Promise<void> {
    const me = await this.me(actor);
    const name = this.#listName(rawName);
    const now = this.#clock.now();
    await this.#store.transaction(async (tx) => {
      const list = await this.#ownList(tx, me.id, listId);
      if (list.name === name) return;
      const clash = await tx.readers.listByNameKey(me.id, listNameKey(name));
      if (clash && clash.id !== list.id) throw new AppError('READER_LIST_NAME_TAKEN', { name }, [{ field: 'name', code: 'READER_LIST_NAME_TAKEN', params: { name } }]);
      await tx.readers.renameList(list.id, name, listNameKey(name), now.toISOString());
      await audit(tx, actor, now, { action: 'reader.list.rename', unitId: me.homeUnitId, targetType: 'reader_list', targetId: list.id, before: { name: list.name }, after: { name } });
    });
  }

  async deleteList(actor: Actor, listId: number): Promise<void> {
    const me = await this.me(actor);
    const now = this.#clock.now();
    await this.#store.transaction(async (tx) => {
      const list = await this.#ownList(tx, me.id, listId);
      await tx.readers.deleteList(list.id);
      await audit(tx, actor, now, { action: 'reader.list.delete', unitId: me.homeUnitId, targetType: 'reader_list', targetId: list.id, before: { name: list.name, items: list.items } });
    });
  }

  /**
   * Saves a record to one of the reader's lists, a new list, or the default list (made on first
   * use, named in the reader's language). Saving a record twice is not an error.
   */
  async save(actor: Actor, input: SaveInput): Promise<{ list: ReaderList; added: boolean }> {
    const me = await this.me(actor);
    const newName = input.newListName === undefined || input.newListName === null || cleanLine(input.newListName) === '' ? null : this.#listName(input.newListName);
    const note = input.note ? cleanLine(input.note).slice(0, MAX_NOTE) || null : null;
    const now = this.#clock.now();
    return this.#store.transaction(async (tx) => {
      const record = Number.isInteger(input.recordId) && input.recordId > 0 ? await tx.catalog.getRecord(input.recordId) : undefined;
      if (!record || record.status !== 'active') throw new AppError('READER_RECORD_UNAVAILABLE', { record: String(input.recordId) });
      let list: ReaderList;
      let created = false;
      if (newName !== null) {
        list = await this.#newList(tx, me.id, newName, now);
        created = true;
      } else if (input.listId !== undefined && input.listId !== null) {
        list = await this.#ownList(tx, me.id, input.listId);
      } else {
        const name = translator(isLocale(me.locale) ? me.locale : isLocale(actor.locale) ? actor.locale : 'vi')('readers.lists.defaultName');
        const existing = await tx.readers.listByNameKey(me.id, listNameKey(name));
        if (existing) list = existing;
        else {
          list = await this.#newList(tx, me.id, name, now);
          created = true;
        }
      }
      if (created) await audit(tx, actor, now, { action: 'reader.list.create', unitId: me.homeUnitId, targetType: 'reader_list', targetId: list.id, after: { name: list.name } });
      if (list.items >= MAX_LIST_ITEMS) throw new AppError('READER_LIST_LIMIT', { max: MAX_LIST_ITEMS });
      const added = await tx.readers.addItem(list.id, record.id, note, now.toISOString());
      if (added) await audit(tx, actor, now, { action: 'reader.list.add', unitId: me.homeUnitId, targetType: 'reader_list', targetId: list.id, after: { items: list.items + 1 } });
      return { list: { ...list, items: list.items + (added ? 1 : 0) }, added };
    });
  }

  async removeFromList(actor: Actor, listId: number, recordId: number): Promise<boolean> {
    const me = await this.me(actor);
    const now = this.#clock.now();
    return this.#store.transaction(async (tx) => {
      const list = await this.#ownList(tx, me.id, listId);
      const removed = await tx.readers.removeItem(list.id, recordId, now.toISOString());
      if (removed) await audit(tx, actor, now, { action: 'reader.list.remove', unitId: me.homeUnitId, targetType: 'reader_list', targetId: list.id, after: { items: list.items - 1 } });
      return removed;
    });
  }

  /** The reader's lists that already hold a record (for the record page's save form). */
  async listsHolding(actor: Actor, recordId: number): Promise<number[]> {
    return this.#store.readers.listsHolding(this.#own(actor), recordId);
  }

  // ---------------------------------------------------------------- search history

  /**
   * Remembers a search (when the reader keeps a history and typed something). The same search
   * run again (another page, say) moves to the top instead of adding a line; the newest
   * {@link HISTORY_KEEP} are kept.
   */
  async recordSearch(actor: Actor, s: { query: string; params: string; resultCount: number | null }): Promise<void> {
    const readerId = this.#own(actor);
    const query = cleanLine(String(s.query ?? '')).slice(0, 500);
    if (query === '') return;
    const params = historyParams(String(s.params ?? ''));
    const now = this.#clock.now().toISOString();
    await this.#store.transaction(async (tx) => {
      const reader = await tx.readers.getById(readerId);
      if (!reader || !reader.historyEnabled) return;
      const last = await tx.readers.lastSearch(readerId);
      if (last && last.params === params) {
        await tx.readers.touchSearch(last.id, s.resultCount, now);
        return;
      }
      await tx.readers.addSearch({ readerId, query, params, resultCount: s.resultCount }, now);
      await tx.readers.trimSearches(readerId, HISTORY_KEEP);
    });
  }

  async history(actor: Actor): Promise<ReaderSearch[]> {
    return this.#store.readers.searches(this.#own(actor), HISTORY_KEEP);
  }

  async clearHistory(actor: Actor): Promise<number> {
    const me = await this.me(actor);
    const now = this.#clock.now();
    return this.#store.transaction(async (tx) => {
      const n = await tx.readers.clearSearches(me.id);
      await audit(tx, actor, now, { action: 'reader.history.clear', unitId: me.homeUnitId, targetType: 'reader', targetId: me.id, after: { cleared: n } });
      return n;
    });
  }

  /** Turns the search history on or off; the searches kept so far stay until cleared. */
  async setHistoryEnabled(actor: Actor, enabled: boolean): Promise<void> {
    const me = await this.me(actor);
    if (me.historyEnabled === enabled) return;
    const now = this.#clock.now();
    await this.#store.transaction(async (tx) => {
      await tx.readers.setHistoryEnabled(me.id, enabled, now.toISOString());
      await audit(tx, actor, now, { action: enabled ? 'reader.history.on' : 'reader.history.off', unitId: me.homeUnitId, targetType: 'reader', targetId: me.id });
    });
  }

  // ================================================================ staff

  /** Which readers the actor reaches with `reader.manage`; `PERMISSION_DENIED` when none. */
  async reach(actor: Actor): Promise<ReaderReach> {
    const grants = actor.grants.filter((g) => g.permissions.has(PERMISSION));
    if (grants.length === 0) throw new AppError('PERMISSION_DENIED', { permission: PERMISSION });
    if (grants.some((g) => g.scope === 'network')) return 'all';
    const unitIds = grants.filter((g) => g.scope === 'unit').map((g) => g.unitId);
    const underPaths: string[] = [];
    for (const g of grants.filter((x) => x.scope === 'subtree')) {
      const place = await this.#store.org.place(g.unitId);
      if (place) underPaths.push(place.path);
    }
    return { unitIds, underPaths };
  }

  /** Registrations waiting for a library the actor manages, oldest first. */
  async queue(actor: Actor, limit = 200): Promise<Reader[]> {
    const reach = await this.reach(actor);
    return this.#store.readers.list({ reach, status: 'pending', order: 'oldest', limit: Math.min(Math.max(limit, 1), 500) });
  }

  /** How many readers of each status the actor reaches. */
  async counts(actor: Actor): Promise<Map<ReaderStatus, number>> {
    return this.#store.readers.countByStatus(await this.reach(actor));
  }

  /**
   * Finds readers the actor reaches by card number (digits), email address (with `@`) or name
   * (with or without tone marks); newest first.
   */
  async search(actor: Actor, q: { text: string; status?: ReaderStatus; limit?: number }): Promise<Reader[]> {
    const reach = await this.reach(actor);
    const text = cleanLine(String(q.text ?? '')).slice(0, 100);
    const limit = Math.min(Math.max(q.limit ?? 50, 1), 200);
    const base = { reach, status: q.status, order: 'newest' as const, limit };
    if (text === '') return this.#store.readers.list(base);
    if (looksLikeCardNumber(text) || /^\d+$/.test(text.replace(/[\s.-]/g, ''))) return this.#store.readers.list({ ...base, cardPrefix: text.replace(/[\s.-]/g, '') });
    if (text.includes('@')) return this.#store.readers.list({ ...base, emailPrefix: text.toLowerCase() });
    return this.#store.readers.list({ ...base, nameKey: nameKey(text) });
  }

  /** A reader whose home library the actor reaches. */
  async get(actor: Actor, readerId: number): Promise<Reader> {
    const reader = Number.isInteger(readerId) && readerId > 0 ? await this.#store.readers.getById(readerId) : undefined;
    if (!reader) throw new AppError('READER_NOT_FOUND', { reader: String(readerId) });
    await authorize(this.#store, actor, PERMISSION, reader.homeUnitId);
    return reader;
  }

  /**
   * Libraries the actor may issue this reader's card from: the reader's home library and the
   * libraries above it, where the actor holds `reader.manage`; the home library first.
   */
  async issuingUnits(actor: Actor, reader: Reader): Promise<OrgUnit[]> {
    return (await this.issuingChoices(actor, [reader])).get(reader.id) ?? [];
  }

  /** {@link issuingUnits} for many readers at once (the approval queue), reading the tree once. */
  async issuingChoices(actor: Actor, readers: readonly Reader[]): Promise<Map<number, OrgUnit[]>> {
    return issuingChoicesIn(await this.#store.org.list({ activeOnly: true }), actor, readers);
  }

  /** A reader with what the staff page shows beside: home and issuing libraries, who approved, where a card may come from. */
  async details(actor: Actor, readerId: number): Promise<{ reader: Reader; home: OrgUnit | undefined; cardUnit: OrgUnit | undefined; approver: string | null; issuingUnits: OrgUnit[] }> {
    const reader = await this.get(actor, readerId);
    const home = await this.#store.org.getById(reader.homeUnitId);
    const cardUnit = reader.cardUnitId === null ? undefined : await this.#store.org.getById(reader.cardUnitId);
    const approver = reader.approvedBy === null ? null : ((await this.#store.staff.getById(reader.approvedBy))?.displayName ?? null);
    const issuingUnits = reader.status === 'pending' ? await this.issuingUnits(actor, reader) : [];
    return { reader, home, cardUnit, approver, issuingUnits };
  }

  /**
   * Approves a pending registration: the account becomes active with a new card number from the
   * issuing library (by default the reader's home library, else the nearest library above it
   * that the actor manages).
   */
  async approve(actor: Actor, readerId: number, opts: { issuingUnitId?: number } = {}): Promise<Reader> {
    const now = this.#clock.now();
    return runWrite(this.#store, this.#clock, actor, async (tx) => {
      const reader = await this.#staffTarget(tx, actor, readerId);
      if (reader.status !== 'pending') throw new AppError('READER_STATUS_CONFLICT', { status: reader.status });
      let issuer: number;
      if (opts.issuingUnitId !== undefined) {
        const choices = issuingChoicesIn(await tx.org.list({ activeOnly: true }), actor, [reader]).get(reader.id) ?? [];
        if (!choices.some((u) => u.id === opts.issuingUnitId)) {
          await authorize(tx, actor, PERMISSION, opts.issuingUnitId);
          throw new AppError('VALIDATION', {}, [{ field: 'issuingUnitId', code: 'READER_ISSUER_INVALID' }]);
        }
        issuer = opts.issuingUnitId;
      } else {
        const first = (issuingChoicesIn(await tx.org.list({ activeOnly: true }), actor, [reader]).get(reader.id) ?? [])[0];
        if (!first) throw new AppError('PERMISSION_DENIED', { permission: PERMISSION, unit: reader.homeUnitId });
        issuer = first.id;
      }
      const cardNumber = makeCardNumber(issuer, await tx.readers.nextCardSequence(issuer));
      if (!(await tx.readers.issueCard(reader.id, { cardNumber, cardUnitId: issuer, approvedBy: actor.userId }, now.toISOString()))) {
        throw new AppError('READER_STATUS_CONFLICT', { status: 'active' });
      }
      await audit(tx, actor, now, { action: 'reader.approve', unitId: reader.homeUnitId, targetType: 'reader', targetId: reader.id, before: { status: reader.status }, after: { status: 'active', cardNumber, cardUnitId: issuer } });
      return (await tx.readers.getById(reader.id))!;
    });
  }

  /** Refuses a pending registration, with the reason the reader will see when signing in. */
  async reject(actor: Actor, readerId: number, rawReason: unknown): Promise<Reader> {
    return this.#changeStatus(actor, readerId, rawReason, { from: ['pending'], to: 'closed', action: 'reader.reject' });
  }

  /** Suspends an active account (its sessions end at once), with the reason the reader will see. */
  async suspend(actor: Actor, readerId: number, rawReason: unknown): Promise<Reader> {
    return this.#changeStatus(actor, readerId, rawReason, { from: ['active'], to: 'suspended', action: 'reader.suspend' });
  }

  /** Lifts a suspension. */
  async reactivate(actor: Actor, readerId: number): Promise<Reader> {
    return this.#changeStatus(actor, readerId, null, { from: ['suspended'], to: 'active', action: 'reader.reactivate' });
  }

  /**
   * Gives the reader a new temporary password, shown once to the staff member to hand over in
   * person (readers who forgot theirs come to the library); the reader's sessions end.
   */
  async resetPassword(actor: Actor, readerId: number): Promise<string> {
    const password = generatePassword();
    const hash = await this.#hasher.hash(password);
    const now = this.#clock.now();
    await runWrite(this.#store, this.#clock, actor, async (tx) => {
      const reader = await this.#staffTarget(tx, actor, readerId);
      if (reader.status === 'closed') throw new AppError('READER_STATUS_CONFLICT', { status: reader.status });
      await tx.readers.setPassword(reader.id, hash, now.toISOString());
      const ended = await tx.readers.deleteSessionsOf(reader.id);
      await audit(tx, actor, now, { action: 'reader.password.reset', unitId: reader.homeUnitId, targetType: 'reader', targetId: reader.id, after: { sessionsEnded: ended } });
    });
    return password;
  }

  // ================================================================ helpers

  async #changeStatus(actor: Actor, readerId: number, rawReason: unknown, t: { from: ReaderStatus[]; to: ReaderStatus; action: string }): Promise<Reader> {
    const problems: FieldProblem[] = [];
    const reason = rawReason === null ? null : cleanReason(rawReason, problems);
    const now = this.#clock.now();
    return runWrite(this.#store, this.#clock, actor, async (tx) => {
      const reader = await this.#staffTarget(tx, actor, readerId);
      if (!t.from.includes(reader.status)) throw new AppError('READER_STATUS_CONFLICT', { status: reader.status });
      if (problems.length) throw new AppError('VALIDATION', {}, problems);
      await tx.readers.setStatus(reader.id, t.to, reason, now.toISOString());
      const ended = t.to === 'active' ? 0 : await tx.readers.deleteSessionsOf(reader.id);
      await audit(tx, actor, now, { action: t.action, unitId: reader.homeUnitId, targetType: 'reader', targetId: reader.id, before: { status: reader.status }, after: { status: t.to, reason, sessionsEnded: ended } });
      return (await tx.readers.getById(reader.id))!;
    });
  }

  async #staffTarget(tx: Repos, actor: Actor, readerId: number): Promise<Reader> {
    const reader = Number.isInteger(readerId) && readerId > 0 ? await tx.readers.getById(readerId) : undefined;
    if (!reader) throw new AppError('READER_NOT_FOUND', { reader: String(readerId) });
    await authorize(tx, actor, PERMISSION, reader.homeUnitId);
    return reader;
  }

  #selfActor(readerId: number | null, req: RequestInfo): Actor {
    return { kind: 'reader', userId: null, readerId, label: readerId === null ? 'reader:?' : `reader:${readerId}`, grants: [], ip: req.ip, requestId: req.requestId };
  }

  /** The reader id of an actor acting on their own account. */
  #own(actor: Actor): number {
    if (actor.kind !== 'reader' || typeof actor.readerId !== 'number') throw new AppError('AUTH_REQUIRED');
    return actor.readerId;
  }

  async #findForLogin(raw: string): Promise<ReaderWithHash | undefined> {
    if (raw === '') return undefined;
    if (looksLikeCardNumber(raw)) {
      const card = parseCardNumber(raw);
      return card.ok ? this.#store.readers.getWithHashByCard(card.card) : undefined;
    }
    return this.#store.readers.getWithHashByEmail(raw.toLowerCase());
  }

  #statusError(reader: Pick<Reader, 'status' | 'statusReason' | 'cardNumber'>): AppError {
    const reason = reader.statusReason ?? '—';
    if (reader.status === 'suspended') return new AppError('READER_ACCOUNT_SUSPENDED', { reason });
    return new AppError('READER_ACCOUNT_CLOSED', { reason });
  }

  /** Counts a wrong password and locks the account when the count reaches the limit. */
  async #recordFailure(reader: Pick<Reader, 'id' | 'homeUnitId' | 'failedLogins' | 'lockedUntil'>, actor: Actor, now: Date): Promise<void> {
    const expired = reader.lockedUntil !== null && reader.lockedUntil <= now.toISOString();
    const failures = (expired ? 0 : reader.failedLogins) + 1;
    const lock = failures >= this.#policy.maxFailedLogins;
    const lockedUntil = lock ? new Date(now.getTime() + this.#policy.lockMinutes * 60000).toISOString() : null;
    await this.#store.transaction(async (tx) => {
      await tx.readers.recordFailedLogin(reader.id, failures, lockedUntil, now.toISOString());
      await audit(tx, actor, now, { action: lock ? 'reader.lockout' : 'reader.login.failed', unitId: reader.homeUnitId, targetType: 'reader', targetId: reader.id, after: { failures, lockedUntil } });
    });
    if (lock) throw new AppError('AUTH_ACCOUNT_LOCKED', { minutes: this.#policy.lockMinutes });
  }

  /**
   * Checks the current password a signed-in reader gives to change a sign-in detail. A wrong one
   * counts like a wrong sign-in (a stolen session cannot guess freely), and a lock it causes
   * ends every session of the account.
   */
  async #checkCurrentPassword(me: Reader, actor: Actor, given: string, field: string): Promise<void> {
    const now = this.#clock.now();
    if (me.lockedUntil && me.lockedUntil > now.toISOString()) throw new AppError('AUTH_ACCOUNT_LOCKED', { minutes: Math.ceil((Date.parse(me.lockedUntil) - now.getTime()) / 60000) });
    const hash = await this.#store.readers.getHashById(me.id);
    if (hash && given !== '' && (await this.#hasher.verify(hash, given))) return;
    try {
      await this.#recordFailure(me, actor, now);
    } catch (e) {
      if (e instanceof AppError && e.code === 'AUTH_ACCOUNT_LOCKED') await this.#store.readers.deleteSessionsOf(me.id);
      throw e;
    }
    throw new AppError('READER_INVALID_CREDENTIALS', {}, [{ field, code: 'READER_INVALID_CREDENTIALS' }]);
  }

  /** A new password and its confirmation: the same, and strong enough (the staff rules). */
  #passwordProblems(password: string, confirm: string, email: string, problems: FieldProblem[], field: string): void {
    if (password !== confirm) {
      problems.push({ field: 'confirm', code: 'AUTH_PASSWORD_MISMATCH' });
      return;
    }
    try {
      // The address's local part plays the username's role: a password must not contain it.
      checkPasswordStrength(password, email.trim().toLowerCase().split('@')[0] ?? '');
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      problems.push({ field, code: 'READER_PASSWORD_WEAK', params: e.params });
    }
  }

  /** A library readers may call home (open, of a type that holds readers); a problem otherwise. */
  async #homeUnit(raw: unknown, problems: FieldProblem[]): Promise<OrgUnit | undefined> {
    const text = String(raw ?? '').trim();
    const unit = /^\d{1,9}$/.test(text) ? await this.#store.org.getById(Number(text)) : undefined;
    if (!unit || unit.status !== 'active' || !UNIT_TYPES[unit.typeCode].holdsReaders) {
      problems.push({ field: 'homeUnitId', code: 'READER_HOME_INVALID' });
      return undefined;
    }
    return unit;
  }

  #listName(raw: unknown): string {
    const problems: FieldProblem[] = [];
    const name = cleanListName(raw, problems);
    if (problems.length) throw new AppError('VALIDATION', {}, problems);
    return name;
  }

  async #newList(tx: Repos, readerId: number, name: string, now: Date): Promise<ReaderList> {
    const key = listNameKey(name);
    if (await tx.readers.listByNameKey(readerId, key)) throw new AppError('READER_LIST_NAME_TAKEN', { name }, [{ field: 'name', code: 'READER_LIST_NAME_TAKEN', params: { name } }]);
    if ((await tx.readers.lists(readerId)).length >= MAX_LISTS) throw new AppError('READER_LIST_LIMIT', { max: MAX_LISTS });
    return tx.readers.insertList({ readerId, name, nameKey: key }, now.toISOString());
  }

  async #ownList(repos: Repos, readerId: number, listId: number): Promise<ReaderList> {
    const list = Number.isInteger(listId) && listId > 0 ? await repos.readers.getList(listId) : undefined;
    // Someone else's list is "not found" too: its existence is nobody else's business.
    if (!list || list.readerId !== readerId) throw new AppError('READER_LIST_NOT_FOUND');
    return list;
  }

  #expiry(now: Date, createdAt: Date): Date {
    const idle = now.getTime() + this.#policy.sessionIdleMinutes * 60000;
    const max = createdAt.getTime() + this.#policy.sessionMaxHours * 3600000;
    return new Date(Math.min(idle, max));
  }
}
