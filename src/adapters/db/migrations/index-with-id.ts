import { sql, type Kysely } from 'kysely';

/**
 * PostgreSQL: replaces the index of `search_docs` on `column` alone by one on `(column, id)`, named
 * `search_docs_<column>`, for keyset reads and newest-first reads in one column's order (SQLite's
 * indexes end with the rowid already). The old index may carry a rebuild's tag in its name, so it
 * is found by what it indexes; a database without one (migration 003 made today's) is left as it is.
 */
export async function indexWithId(db: Kysely<unknown>, column: 'title_key' | 'seq'): Promise<void> {
  const old = await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema() and tablename = 'search_docs' and indexdef like ${`%(${column})`}`.execute(db);
  if (old.rows.length === 0) return;
  for (const r of old.rows) await sql`drop index ${sql.id(r.name)}`.execute(db);
  await sql`create index if not exists ${sql.id(`search_docs_${column}`)} on search_docs (${sql.id(column)}, id)`.execute(db);
}

/** The way back: the index on `column` alone. */
export async function indexWithoutId(db: Kysely<unknown>, column: 'title_key' | 'seq'): Promise<void> {
  await sql`drop index if exists ${sql.id(`search_docs_${column}`)}`.execute(db);
  await sql`create index ${sql.id(`search_docs_${column}`)} on search_docs (${sql.id(column)})`.execute(db);
}
