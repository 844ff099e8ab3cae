import { sql, type Expression, type ExpressionBuilder, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { Database, ReadersTable } from '../schema.js';
import { toIso } from '../schema.js';
import { AppError } from '../../../domain/errors.js';
import type { ReaderStatus } from '../../../domain/readers/reader.js';
import type { NewReader, Reader, ReaderFilter, ReaderList, ReaderListItem, ReaderProfilePatch, ReaderReach, ReaderRepository, ReaderSearch, ReaderSession } from '../../../app/readers/ports.js';
import { pathRange } from './org.repository.js';

function toReader(r: Selectable<ReadersTable>): Reader {
  return {
    id: r.id,
    name: r.name,
    email: r.email,
    phone: r.phone,
    birthYear: r.birth_year,
    homeUnitId: r.home_unit_id,
    status: r.status as ReaderStatus,
    statusReason: r.status_reason,
    cardNumber: r.card_number,
    cardUnitId: r.card_unit_id,
    cardIssuedAt: toIso(r.card_issued_at),
    approvedBy: r.approved_by,
    locale: r.locale,
    historyEnabled: r.history_enabled === 1,
    failedLogins: r.failed_logins,
    lockedUntil: toIso(r.locked_until),
    lastLoginAt: toIso(r.last_login_at),
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
  };
}

/**
 * A second registration with an address racing the first past the service's check meets the
 * unique index; it gets the same answer as if the check had caught it.
 */
function emailClash(e: unknown): never {
  const err = e as { code?: string; constraint?: string; message?: string };
  const unique = err.code === '23505' || err.code === 'SQLITE_CONSTRAINT_UNIQUE';
  if (unique && (err.constraint?.includes('email') || /readers\.email|email/.test(err.message ?? ''))) {
    throw new AppError('READER_EMAIL_TAKEN', {}, [{ field: 'email', code: 'READER_EMAIL_TAKEN' }]);
  }
  throw e;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => '\\' + c);

type ReaderEb = ExpressionBuilder<Database & { o: Database['org_units']; r: Database['readers'] }, 'r' | 'o'>;

/** Readers whose home unit lies within a reach (the caller joins `org_units as o` on it). */
function withinReach(eb: ReaderEb, reach: Exclude<ReaderReach, 'all'>): Expression<SqlBool> {
  const parts: Expression<SqlBool>[] = [];
  if (reach.unitIds.length) parts.push(eb('r.home_unit_id', 'in', [...reach.unitIds]));
  for (const p of reach.underPaths) {
    const [lo, hi] = pathRange(p);
    parts.push(eb.and([eb('o.path', '>=', lo), eb('o.path', '<', hi)]));
  }
  return parts.length ? eb.or(parts) : sql<SqlBool>`1 = 0`;
}

/** Readers, their sessions, saved lists and search history. */
export class KyselyReaderRepository implements ReaderRepository {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  async insert(r: NewReader, now: string) {
    const row = await this.#db
      .insertInto('readers')
      .values({
        name: r.name,
        name_key: r.nameKey,
        email: r.email,
        phone: r.phone,
        birth_year: r.birthYear,
        home_unit_id: r.homeUnitId,
        status: 'pending',
        locale: r.locale,
        password_hash: r.passwordHash,
        created_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
      .catch(emailClash);
    return toReader(row);
  }

  async getById(id: number) {
    const r = await this.#db.selectFrom('readers').selectAll().where('id', '=', id).executeTakeFirst();
    return r && toReader(r);
  }

  async getWithHashByEmail(email: string) {
    const r = await this.#db.selectFrom('readers').selectAll().where('email', '=', email).executeTakeFirst();
    return r && { ...toReader(r), passwordHash: r.password_hash };
  }

  async getWithHashByCard(card: string) {
    const r = await this.#db.selectFrom('readers').selectAll().where('card_number', '=', card).executeTakeFirst();
    return r && { ...toReader(r), passwordHash: r.password_hash };
  }

  async getHashById(id: number) {
    const r = await this.#db.selectFrom('readers').select('password_hash').where('id', '=', id).executeTakeFirst();
    return r?.password_hash;
  }

  async emailTaken(email: string, exceptId?: number) {
    let q = this.#db.selectFrom('readers').select('id').where('email', '=', email);
    if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
    return (await q.executeTakeFirst()) !== undefined;
  }

  async list(f: ReaderFilter) {
    const reach = f.reach;
    let q = this.#db.selectFrom('readers as r').innerJoin('org_units as o', 'o.id', 'r.home_unit_id').selectAll('r');
    if (reach !== 'all') q = q.where((eb) => withinReach(eb, reach));
    if (f.status) q = q.where('r.status', '=', f.status);
    if (f.nameKey) q = q.where(sql<SqlBool>`r.name_key like ${'%' + escapeLike(f.nameKey) + '%'} escape '\\'`);
    if (f.emailPrefix) q = q.where(sql<SqlBool>`r.email like ${escapeLike(f.emailPrefix) + '%'} escape '\\'`);
    if (f.cardPrefix) q = q.where(sql<SqlBool>`r.card_number like ${escapeLike(f.cardPrefix) + '%'} escape '\\'`);
    const rows = await q.orderBy('r.id', f.order === 'oldest' ? 'asc' : 'desc').limit(f.limit).execute();
    return rows.map(toReader);
  }

  async countByStatus(reach: ReaderReach) {
    let q = this.#db
      .selectFrom('readers as r')
      .innerJoin('org_units as o', 'o.id', 'r.home_unit_id')
      .select((eb) => ['r.status', eb.fn.countAll<number | string>().as('n')])
      .groupBy('r.status');
    if (reach !== 'all') q = q.where((eb) => withinReach(eb, reach));
    const rows = await q.execute();
    return new Map(rows.map((r) => [r.status as ReaderStatus, Number(r.n)]));
  }

  async updateProfile(id: number, p: ReaderProfilePatch, now: string) {
    await this.#db
      .updateTable('readers')
      .set({ name: p.name, name_key: p.nameKey, email: p.email, phone: p.phone, birth_year: p.birthYear, home_unit_id: p.homeUnitId, updated_at: now })
      .where('id', '=', id)
      .execute()
      .catch(emailClash);
  }

  async setLocale(id: number, locale: string | null, now: string) {
    await this.#db.updateTable('readers').set({ locale, updated_at: now }).where('id', '=', id).execute();
  }

  async setHistoryEnabled(id: number, enabled: boolean, now: string) {
    await this.#db.updateTable('readers').set({ history_enabled: enabled ? 1 : 0, updated_at: now }).where('id', '=', id).execute();
  }

  async setPassword(id: number, hash: string, now: string) {
    await this.#db.updateTable('readers').set({ password_hash: hash, failed_logins: 0, locked_until: null, updated_at: now }).where('id', '=', id).execute();
  }

  async setStatus(id: number, status: ReaderStatus, reason: string | null, now: string) {
    await this.#db.updateTable('readers').set({ status, status_reason: reason, updated_at: now }).where('id', '=', id).execute();
  }

  async issueCard(id: number, card: { cardNumber: string; cardUnitId: number; approvedBy: number | null }, now: string) {
    const r = await this.#db
      .updateTable('readers')
      .set({ status: 'active', status_reason: null, card_number: card.cardNumber, card_unit_id: card.cardUnitId, card_issued_at: now, approved_by: card.approvedBy, updated_at: now })
      .where('id', '=', id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async nextCardSequence(unitId: number) {
    // One statement: two approvals at once get two numbers (the row lock serialises them).
    const r = await this.#db
      .insertInto('reader_card_counters')
      .values({ unit_id: unitId, last_seq: 1 })
      .onConflict((oc) => oc.column('unit_id').doUpdateSet({ last_seq: sql`reader_card_counters.last_seq + 1` }))
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    return Number(r.last_seq);
  }

  async recordFailedLogin(id: number, failures: number, lockedUntil: string | null, now: string) {
    await this.#db.updateTable('readers').set({ failed_logins: failures, locked_until: lockedUntil, updated_at: now }).where('id', '=', id).execute();
  }

  async recordLogin(id: number, now: string) {
    await this.#db.updateTable('readers').set({ failed_logins: 0, locked_until: null, last_login_at: now }).where('id', '=', id).execute();
  }

  // ---------------------------------------------------------------- sessions

  async createSession(s: ReaderSession & { ip: string | null; userAgent: string | null }) {
    await this.#db
      .insertInto('reader_sessions')
      .values({ id: s.id, reader_id: s.readerId, created_at: s.createdAt, last_seen_at: s.lastSeenAt, expires_at: s.expiresAt, ip: s.ip, user_agent: s.userAgent })
      .execute();
  }

  async getSession(id: string) {
    const r = await this.#db.selectFrom('reader_sessions').select(['id', 'reader_id', 'created_at', 'last_seen_at', 'expires_at']).where('id', '=', id).executeTakeFirst();
    return r && { id: r.id, readerId: r.reader_id, createdAt: toIso(r.created_at), lastSeenAt: toIso(r.last_seen_at), expiresAt: toIso(r.expires_at) };
  }

  async touchSession(id: string, lastSeenAt: string, expiresAt: string) {
    await this.#db.updateTable('reader_sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', id).execute();
  }

  async deleteSession(id: string) {
    await this.#db.deleteFrom('reader_sessions').where('id', '=', id).execute();
  }

  async deleteSessionsOf(readerId: number, exceptId?: string) {
    let q = this.#db.deleteFrom('reader_sessions').where('reader_id', '=', readerId);
    if (exceptId) q = q.where('id', '!=', exceptId);
    return Number((await q.executeTakeFirst()).numDeletedRows);
  }

  async deleteExpiredSessions(now: string) {
    return Number((await this.#db.deleteFrom('reader_sessions').where('expires_at', '<', now).executeTakeFirst()).numDeletedRows);
  }

  // ---------------------------------------------------------------- saved lists

  #listQuery() {
    return this.#db
      .selectFrom('reader_lists as l')
      .select((eb) => [
        'l.id',
        'l.reader_id',
        'l.name',
        'l.is_public',
        'l.created_at',
        'l.updated_at',
        eb.selectFrom('reader_list_items as i').whereRef('i.list_id', '=', 'l.id').select((e) => e.fn.countAll<number | string>().as('n')).as('items'),
      ]);
  }

  #toList(r: { id: number; reader_id: number; name: string; is_public: number; created_at: string | Date; updated_at: string | Date; items: number | string | null }): ReaderList {
    return { id: r.id, readerId: r.reader_id, name: r.name, isPublic: r.is_public === 1, items: Number(r.items ?? 0), createdAt: toIso(r.created_at), updatedAt: toIso(r.updated_at) };
  }

  async lists(readerId: number) {
    const rows = await this.#listQuery().where('l.reader_id', '=', readerId).orderBy('l.updated_at', 'desc').orderBy('l.id', 'desc').execute();
    return rows.map((r) => this.#toList(r));
  }

  async getList(id: number) {
    const r = await this.#listQuery().where('l.id', '=', id).executeTakeFirst();
    return r && this.#toList(r);
  }

  async listByNameKey(readerId: number, nameKey: string) {
    const r = await this.#listQuery().where('l.reader_id', '=', readerId).where('l.name_key', '=', nameKey).executeTakeFirst();
    return r && this.#toList(r);
  }

  async insertList(l: { readerId: number; name: string; nameKey: string }, now: string) {
    const r = await this.#db
      .insertInto('reader_lists')
      .values({ reader_id: l.readerId, name: l.name, name_key: l.nameKey, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    return this.#toList({ ...r, items: 0 });
  }

  async renameList(id: number, name: string, nameKey: string, now: string) {
    await this.#db.updateTable('reader_lists').set({ name, name_key: nameKey, updated_at: now }).where('id', '=', id).execute();
  }

  async deleteList(id: number) {
    // Its items go with it (on delete cascade).
    await this.#db.deleteFrom('reader_lists').where('id', '=', id).execute();
  }

  async items(listId: number, page: { limit: number; offset: number }): Promise<ReaderListItem[]> {
    const rows = await this.#db
      .selectFrom('reader_list_items as i')
      .innerJoin('bib_records as b', 'b.id', 'i.record_id')
      .select(['i.list_id', 'i.record_id', 'i.note', 'i.added_at', 'b.title', 'b.main_author', 'b.responsibility', 'b.year', 'b.status', 'b.replaced_by_id'])
      .where('i.list_id', '=', listId)
      .orderBy('i.added_at', 'desc')
      .orderBy('i.record_id', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return rows.map((r) => ({
      listId: r.list_id,
      recordId: r.record_id,
      note: r.note,
      addedAt: toIso(r.added_at),
      title: r.title,
      author: r.main_author ?? r.responsibility,
      year: r.year,
      recordStatus: r.status,
      replacedById: r.replaced_by_id,
    }));
  }

  async addItem(listId: number, recordId: number, note: string | null, now: string) {
    const r = await this.#db
      .insertInto('reader_list_items')
      .values({ list_id: listId, record_id: recordId, note, added_at: now })
      .onConflict((oc) => oc.columns(['list_id', 'record_id']).doNothing())
      .executeTakeFirst();
    const added = Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
    if (added) await this.#db.updateTable('reader_lists').set({ updated_at: now }).where('id', '=', listId).execute();
    return added;
  }

  async removeItem(listId: number, recordId: number, now: string) {
    const r = await this.#db.deleteFrom('reader_list_items').where('list_id', '=', listId).where('record_id', '=', recordId).executeTakeFirst();
    const removed = Number(r.numDeletedRows) > 0;
    if (removed) await this.#db.updateTable('reader_lists').set({ updated_at: now }).where('id', '=', listId).execute();
    return removed;
  }

  async listsHolding(readerId: number, recordId: number) {
    const rows = await this.#db
      .selectFrom('reader_list_items as i')
      .innerJoin('reader_lists as l', 'l.id', 'i.list_id')
      .select('l.id')
      .where('l.reader_id', '=', readerId)
      .where('i.record_id', '=', recordId)
      .execute();
    return rows.map((r) => r.id);
  }

  // ---------------------------------------------------------------- search history

  async addSearch(s: { readerId: number; query: string; params: string; resultCount: number | null }, now: string) {
    await this.#db.insertInto('reader_searches').values({ reader_id: s.readerId, query: s.query, params: s.params, result_count: s.resultCount, at: now }).execute();
  }

  async lastSearch(readerId: number) {
    const r = await this.#db.selectFrom('reader_searches').selectAll().where('reader_id', '=', readerId).orderBy('id', 'desc').limit(1).executeTakeFirst();
    return r && toSearch(r);
  }

  async touchSearch(id: number, resultCount: number | null, now: string) {
    await this.#db.updateTable('reader_searches').set({ result_count: resultCount, at: now }).where('id', '=', id).execute();
  }

  async searches(readerId: number, limit: number) {
    const rows = await this.#db.selectFrom('reader_searches').selectAll().where('reader_id', '=', readerId).orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toSearch);
  }

  async trimSearches(readerId: number, keep: number) {
    // The id of the newest search past the ones kept; everything at or below it goes.
    const edge = await this.#db.selectFrom('reader_searches').select('id').where('reader_id', '=', readerId).orderBy('id', 'desc').limit(1).offset(keep).executeTakeFirst();
    if (!edge) return 0;
    const r = await this.#db.deleteFrom('reader_searches').where('reader_id', '=', readerId).where('id', '<=', edge.id).executeTakeFirst();
    return Number(r.numDeletedRows);
  }

  async clearSearches(readerId: number) {
    return Number((await this.#db.deleteFrom('reader_searches').where('reader_id', '=', readerId).executeTakeFirst()).numDeletedRows);
  }
}

function toSearch(r: { id: number; reader_id: number; query: string; params: string; result_count: number | null; at: string | Date }): ReaderSearch {
  return { id: r.id, readerId: r.reader_id, query: r.query, params: r.params, resultCount: r.result_count, at: toIso(r.at) };
}
