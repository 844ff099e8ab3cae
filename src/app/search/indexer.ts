/**
 * Keeps the search index in step with the catalogue. Repositories mark the records a write
 * touches; before the transaction commits, `flush` rebuilds those records' documents in the same
 * transaction, so a change is searchable the moment it commits and never before.
 */
import type { IndexHint, Repos, StoredRecord } from '../ports.js';
import { parseStoredDerived } from '../catalog-record.js';
import { buildSearchDoc, type DocItem, type SearchDoc } from '../../domain/search/document.js';

/** Builds the documents of live records (deleted or missing ones come back in `gone`). */
export function documentsOf(records: readonly StoredRecord[], items: Map<number, DocItem[]>, wanted: readonly number[]): { docs: SearchDoc[]; gone: number[] } {
  const byId = new Map(records.map((r) => [r.id, r]));
  const docs: SearchDoc[] = [];
  const gone: number[] = [];
  for (const id of wanted) {
    const r = byId.get(id);
    if (!r || r.status !== 'active') {
      gone.push(id);
      continue;
    }
    docs.push(buildSearchDoc({ id: r.id, derived: parseStoredDerived(r), createdAt: r.createdAt, items: items.get(r.id) ?? [] }));
  }
  return { docs, gone };
}

export class SearchIndexer {
  /** Rebuilds the documents of these records in the caller's transaction. */
  async refresh(tx: Repos, recordIds: readonly number[], hints: Map<number, IndexHint> = new Map()): Promise<void> {
    const ids = [...new Set(recordIds)];
    for (let i = 0; i < ids.length; i += 1000) {
      const part = ids.slice(i, i + 1000);
      const unhinted = part.filter((id) => !hints.has(id));
      const [records, items] = await Promise.all([tx.catalog.getRecords(unhinted), tx.search.docItems(part)]);
      const { docs, gone } = documentsOf(records, items, unhinted);
      for (const id of part) {
        const h = hints.get(id);
        if (h) docs.push(buildSearchDoc({ id, derived: h.derived, createdAt: h.createdAt, items: items.get(id) ?? [] }));
      }
      await tx.search.write(docs, gone);
    }
  }

  /** Rebuilds the documents of every record the transaction marked. */
  async flush(tx: Repos): Promise<void> {
    // Hints hold for this transaction's first round only: a later change to the same record in
    // the same transaction is read back.
    let hints = tx.search.takeHints();
    for (let dirty = tx.search.takeDirty(); dirty.length > 0; dirty = tx.search.takeDirty()) {
      await this.refresh(tx, dirty, hints);
      hints = new Map();
    }
  }
}
