import type { Kysely } from 'kysely';
import type { Database } from '../schema.js';
import { toIso } from '../schema.js';
import type { Session, SessionRepository } from '../../../app/ports.js';

/** Sessions live in the database so that every server process behind a proxy shares them. */
export class KyselySessionRepository implements SessionRepository {
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    this.#db = db;
  }
  async create(s: Session & { ip: string | null; userAgent: string | null }) {
    await this.#db
      .insertInto('sessions')
      .values({ id: s.id, user_id: s.userId, created_at: s.createdAt, last_seen_at: s.lastSeenAt, expires_at: s.expiresAt, ip: s.ip, user_agent: s.userAgent })
      .execute();
  }
  async get(id: string) {
    const r = await this.#db.selectFrom('sessions').select(['id', 'user_id', 'created_at', 'last_seen_at', 'expires_at']).where('id', '=', id).executeTakeFirst();
    return r && { id: r.id, userId: r.user_id, createdAt: toIso(r.created_at), lastSeenAt: toIso(r.last_seen_at), expiresAt: toIso(r.expires_at) };
  }
  async touch(id: string, lastSeenAt: string, expiresAt: string) {
    await this.#db.updateTable('sessions').set({ last_seen_at: lastSeenAt, expires_at: expiresAt }).where('id', '=', id).execute();
  }
  async delete(id: string) {
    await this.#db.deleteFrom('sessions').where('id', '=', id).execute();
  }
  async deleteForUser(userId: number, exceptId?: string) {
    let q = this.#db.deleteFrom('sessions').where('user_id', '=', userId);
    if (exceptId) q = q.where('id', '!=', exceptId);
    const r = await q.executeTakeFirst();
    return Number(r.numDeletedRows);
  }
  async deleteExpired(now: string) {
    const r = await this.#db.deleteFrom('sessions').where('expires_at', '<', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
