/**
 * Search documents as the rows each engine stores, built where the documents are built (in a
 * worker thread during a full rebuild), so the thread that writes only binds values.
 */
import type { Dialect } from '../db/schema.js';
import { SEARCH_COLUMNS, type SearchDoc } from '../../domain/search/document.js';
import { docValues } from './common.js';
import { tsvectorOf } from './postgres.js';
import { REBUILT_SEQ } from './sqlite.js';
import { pairedColumn } from './pairs.js';

export interface RebuildRows {
  /** `search_docs` rows in DOC_COLUMNS order. */
  docs: unknown[][];
  /**
   * The engine's row of each document: SQLite, the FTS5 row (rowid first), every column with its
   * pairs (pairs.ts); PostgreSQL, `[id, tsvector literal]` for `search_match`.
   */
  fts: unknown[][];
}

export function rebuildRows(dialect: Dialect, docs: readonly SearchDoc[]): RebuildRows {
  const out: RebuildRows = { docs: [], fts: [] };
  for (const d of docs) {
    const values = docValues(d, REBUILT_SEQ);
    if (dialect === 'postgres') out.fts.push([d.id, tsvectorOf(d.columns)]);
    else out.fts.push([d.id, ...SEARCH_COLUMNS.map((c) => pairedColumn(c, d.columns[c]))]);
    out.docs.push(values);
  }
  return out;
}
