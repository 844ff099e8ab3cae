/**
 * Assertion helpers shared by the database tests: what a refused operation threw, and what the
 * database holds (row counts, the newest audit entry, the open sessions).
 */
import { sql } from 'kysely';
import type { Container } from '../src/main/container.js';
import { AppError, type ErrorCode } from '../src/domain/errors.js';

/** The `AppError` a promise rejects with; fails the test if it succeeds or throws anything else. */
export async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('the operation succeeded');
}

/** The code and parameters of the `AppError` a promise rejects with, for `toEqual`. */
export async function codeOf(p: Promise<unknown>): Promise<{ code: ErrorCode; params: Record<string, unknown> }> {
  const e = await failure(p);
  return { code: e.code, params: { ...e.params } };
}

/** How many rows a table holds. */
export async function count(c: Pick<Container, 'handle'>, table: string): Promise<number> {
  const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(c.handle.db);
  return Number(r.rows[0]!.n);
}

/** Row counts of several tables, under the names given: `counts(c, { users: 'staff_users' })`. */
export async function counts<K extends string>(c: Container, tables: Readonly<Record<K, string>>): Promise<Record<K, number>> {
  const out = {} as Record<K, number>;
  for (const key of Object.keys(tables) as K[]) out[key] = await count(c, tables[key]);
  return out;
}

/** The newest audit entry. */
export async function latestAudit(c: Container) {
  return (await c.store.audit.list({ limit: 1 }))[0];
}

/** The ids (hashes) of the stored sessions, sorted. */
export async function sessionIds(c: Container): Promise<string[]> {
  return (await c.handle.db.selectFrom('sessions').select('id').orderBy('id').execute()).map((r) => r.id);
}
