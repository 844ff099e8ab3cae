/**
 * The OAI benchmark's reference: what the database alone takes to hand over the rows a harvest
 * sends. Keyset pages of `pageSize` over `bib_records` in `(updated_at, id)` order, reading
 * `id, marc, updated_at`, then the `items` rows of each page's records, straight through the
 * driver `openDatabase` opens (better-sqlite3 statements; pg through Kysely's raw `sql`, which adds
 * nothing but the call). No parsing, no XML: the floor under any provider.
 *
 * Each page is read as index ranges that start where the last one stopped, so that a page costs
 * the same at the end of the table as at its start, even when all the rows share one
 * `updated_at` (as a bulk load leaves them): on PostgreSQL a row-value comparison, one range of
 * the `(updated_at, id)` index; SQLite ranges a row value on its first column only (it would scan
 * every row of the shared stamp up to the cursor), so there the rest of the cursor's stamp and
 * the later stamps are two ranges, merged.
 */
import type Database from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../../src/adapters/db/database.js';

export interface RawScanResult {
  records: number;
  items: number;
  pages: number;
  seconds: number;
  /** Characters of MARC read (a sign the rows were really fetched). */
  marcChars: number;
}

interface RecordRow {
  id: number;
  marc: string;
  updated_at: string | Date;
}

type Page = { records: RecordRow[]; items: number };
type PageReader = (after: RecordRow | null) => Promise<Page>;

function sqliteReader(db: Database.Database, pageSize: number): PageReader {
  const first = db.prepare<[number], RecordRow>('select id, marc, updated_at from bib_records order by updated_at, id limit ?');
  const next = db.prepare<[string, number, number, string, number, number], RecordRow>(
    `select * from (select id, marc, updated_at from bib_records where updated_at = ? and id > ? order by updated_at, id limit ?)
     union all select * from (select id, marc, updated_at from bib_records where updated_at > ? order by updated_at, id limit ?)
     order by updated_at, id limit ?`,
  );
  const itemStatements = new Map<number, Database.Statement<number[], unknown>>();
  const itemsOf = (n: number) => {
    let s = itemStatements.get(n);
    if (!s) itemStatements.set(n, (s = db.prepare<number[], unknown>(`select * from items where record_id in (${new Array<string>(n).fill('?').join(',')})`)));
    return s;
  };
  return async (after) => {
    const stamp = after ? String(after.updated_at) : '';
    const records = after ? next.all(stamp, after.id, pageSize, stamp, pageSize, pageSize) : first.all(pageSize);
    const items = records.length === 0 ? 0 : itemsOf(records.length).all(...records.map((r) => r.id)).length;
    return { records, items };
  };
}

function postgresReader(handle: DatabaseHandle, pageSize: number): PageReader {
  return async (after) => {
    const records = after
      ? (await sql<RecordRow>`select id, marc, updated_at from bib_records where (updated_at, id) > (${after.updated_at}, ${after.id}) order by updated_at, id limit ${pageSize}`.execute(handle.db)).rows
      : (await sql<RecordRow>`select id, marc, updated_at from bib_records order by updated_at, id limit ${pageSize}`.execute(handle.db)).rows;
    if (records.length === 0) return { records, items: 0 };
    const items = await sql`select * from items where record_id = any(${records.map((r) => r.id)})`.execute(handle.db);
    return { records, items: items.rows.length };
  };
}

/** One scan of the whole table; the database is opened and closed around it. */
export async function rawScan(databaseUrl: string, pageSize: number): Promise<RawScanResult> {
  const handle = openDatabase({ url: databaseUrl, poolSize: 1 });
  try {
    const read = handle.sqlite ? sqliteReader(handle.sqlite, pageSize) : postgresReader(handle, pageSize);
    let records = 0;
    let items = 0;
    let pages = 0;
    let marcChars = 0;
    let after: RecordRow | null = null;
    const t0 = performance.now();
    for (;;) {
      const page = await read(after);
      if (page.records.length === 0) break;
      pages++;
      records += page.records.length;
      items += page.items;
      for (const r of page.records) marcChars += r.marc.length;
      after = page.records[page.records.length - 1]!;
      if (page.records.length < pageSize) break;
    }
    return { records, items, pages, seconds: (performance.now() - t0) / 1000, marcChars };
  } finally {
    await handle.close();
  }
}
