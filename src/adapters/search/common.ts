/**
 * What both search engines share: the document row written beside the engine index, the
 * vocabulary bookkeeping (autocomplete headings and "did you mean" words, counted per document),
 * and the change counter.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import type { Database } from '../db/schema.js';
import { toIso } from '../db/schema.js';
import type { FacetRow, IndexHint, RankRow, SearchRow, StoredVocab } from '../../app/ports.js';
import type { DocItem, DocRank, SearchDoc } from '../../domain/search/document.js';
import { headingKey, surfacesOf } from '../../domain/search/vocabulary.js';
import { browseKey } from '../../domain/browse/alphabet.js';

export { headingKey, surfacesOf };

export type Db = Kysely<Database>;

export async function run(db: Db, text: string, params: readonly unknown[] = []): Promise<Record<string, unknown>[]> {
  const r = await db.executeQuery(CompiledQuery.raw(text, [...params]));
  return r.rows as Record<string, unknown>[];
}

/** What a document adds to the vocabularies (kept so a later change can take it back). */
export function storedVocab(doc: SearchDoc): StoredVocab {
  return { headings: doc.headings, surfaces: surfacesOf(doc) };
}

const RANK_FIELDS = ['title', 'titleExact', 'author', 'authorExact', 'subject', 'subjectExact'] as const;

/** Ranking tokens as text: one line per field, tokens separated by spaces (parsed per candidate). */
export function encodeRank(rank: DocRank): string {
  return RANK_FIELDS.map((f) => rank[f].join(' ')).join('\n');
}

export function decodeRank(text: string): DocRank {
  const lines = text.split('\n');
  const field = (i: number) => (lines[i] ? lines[i]!.split(' ') : []);
  return { title: field(0), titleExact: field(1), author: field(2), authorExact: field(3), subject: field(4), subjectExact: field(5) };
}

/** The columns of `search_docs` in insert order, and one document's values. */
export const DOC_COLUMNS = ['id', 'seq', 'alive', 'title_key', 'sort_title', 'sort_author', 'year', 'holdings', 'created_at', 'facets', 'rank', 'vocab', 'display'] as const;
/** Where `vocab` sits in {@link docValues}. */
export const VOCAB_AT = 11;

export function docValues(doc: SearchDoc, seq: number): unknown[] {
  return [
    doc.id,
    seq,
    1,
    doc.titleKey,
    doc.sortTitle,
    doc.sortAuthor,
    doc.year,
    doc.holdings,
    doc.createdAt,
    JSON.stringify(doc.facets),
    encodeRank(doc.rank),
    JSON.stringify(storedVocab(doc)),
    JSON.stringify(doc.display),
  ];
}

export function facetRowOf(r: Record<string, unknown>): FacetRow {
  const alive = Number(r.alive) === 1;
  return {
    id: Number(r.id),
    seq: Number(r.seq),
    alive,
    facets: alive && typeof r.facets === 'string' ? JSON.parse(r.facets) : null,
    year: r.year === null || r.year === undefined ? null : Number(r.year),
    holdings: Number(r.holdings ?? 0),
  };
}

export function searchRowOf(r: Record<string, unknown>): SearchRow {
  return {
    id: Number(r.id),
    display: JSON.parse(String(r.display)),
    year: r.year === null || r.year === undefined ? null : Number(r.year),
    holdings: Number(r.holdings ?? 0),
    createdAt: String(r.created_at ?? ''),
  };
}

export function rankRowOf(r: Record<string, unknown>): RankRow {
  return { id: Number(r.id), rank: decodeRank(String(r.rank)), year: r.year === null || r.year === undefined ? null : Number(r.year), holdings: Number(r.holdings ?? 0) };
}

/** The A–Z browse key of an author or subject heading; titles are not browsed and get none. */
export function headingBrowseKey(kind: string, heading: string): string | null {
  return kind === 'author' || kind === 'subject' ? browseKey(heading) : null;
}

/** Per-key document count changes from replacing old documents by new ones. */
export class VocabularyDelta {
  readonly headings = new Map<string, { kind: string; heading: string; folded: string; browse: string | null; delta: number }>();
  readonly terms = new Map<string, { surface: string; delta: number }>();

  add(vocab: StoredVocab, sign: 1 | -1): void {
    for (const h of vocab.headings) {
      const key = `${h.kind}\u0000${h.heading}`;
      const e = this.headings.get(key);
      if (e) e.delta += sign;
      else this.headings.set(key, { kind: h.kind, heading: h.heading, folded: headingKey(h.heading), browse: headingBrowseKey(h.kind, h.heading), delta: sign });
    }
    for (const [token, surface] of vocab.surfaces) {
      const e = this.terms.get(token);
      if (e) e.delta += sign;
      else this.terms.set(token, { surface, delta: sign });
    }
  }

  /** Writes the changes: upserts for non-zero deltas, then removes rows that reached zero. */
  async apply(db: Db, suffix = ''): Promise<void> {
    const h = [...this.headings.values()].filter((e) => e.delta !== 0);
    const t = [...this.terms.entries()].filter(([, e]) => e.delta !== 0);
    for (let i = 0; i < h.length; i += 200) {
      const part = h.slice(i, i + 200);
      const params: unknown[] = [];
      const tuples = part.map((e) => {
        params.push(e.kind, e.folded, e.heading, e.delta, e.browse);
        const n = params.length;
        return `($${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
      });
      await run(db, fixMarks(db, `insert into search_headings${suffix} (kind, folded, heading, docs, browse_key) values ${tuples.join(',')} on conflict (kind, heading) do update set docs = search_headings${suffix}.docs + excluded.docs, browse_key = excluded.browse_key`), params);
    }
    for (let i = 0; i < t.length; i += 300) {
      const part = t.slice(i, i + 300);
      const params: unknown[] = [];
      const tuples = part.map(([token, e]) => {
        params.push(token, e.surface, e.delta);
        const n = params.length;
        return `($${n - 2}, $${n - 1}, $${n})`;
      });
      await run(db, fixMarks(db, `insert into search_terms${suffix} (token, surface, docs) values ${tuples.join(',')} on conflict (token) do update set docs = search_terms${suffix}.docs + excluded.docs`), params);
    }
    if (h.some((e) => e.delta < 0)) await run(db, `delete from search_headings${suffix} where docs <= 0`);
    if (t.some(([, e]) => e.delta < 0)) await run(db, `delete from search_terms${suffix} where docs <= 0`);
  }
}

const SQLITE = new WeakSet<object>();
/** Marks a Kysely instance as SQLite, whose placeholders are `?` rather than `$n`. */
export function markSqlite(db: Db): Db {
  SQLITE.add(db);
  return db;
}

/** Turns `$n` placeholders into `?` for SQLite (parameters are always in order here). */
export function fixMarks(db: Db, text: string): string {
  return SQLITE.has(db) ? text.replace(/\$\d+/gu, '?') : text;
}

/** The upper bound of a prefix range: `lich s` → `lich t`. */
export function prefixEnd(prefix: string): string {
  if (prefix === '') return '\u007f';
  return prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
}

/** Live records after an id, with only what building their documents needs (a full rebuild). */
export async function sourceRecords(db: Db, afterId: number, limit: number): Promise<{ id: number; marc: string; createdAt: string }[]> {
  const rows = await run(db, fixMarks(db, `select id, marc, created_at from bib_records where status = 'active' and id > $1 order by id limit $2`), [afterId, limit]);
  return rows.map((r) => ({ id: Number(r.id), marc: String(r.marc), createdAt: toIso(r.created_at as string | Date) }));
}

/**
 * What a transaction has told the index so far: the records to rebuild before commit and the
 * derived descriptions it already has for some of them. Both adapters keep one per instance.
 */
export class PendingChanges {
  #dirty = new Set<number>();
  #hints = new Map<number, IndexHint>();

  markDirty(recordIds: Iterable<number>): void {
    for (const id of recordIds) this.#dirty.add(id);
  }

  takeDirty(): number[] {
    const out = [...this.#dirty];
    this.#dirty.clear();
    return out;
  }

  hint(recordId: number, h: IndexHint): void {
    this.#hints.set(recordId, h);
  }

  takeHints(): Map<number, IndexHint> {
    const out = this.#hints;
    this.#hints = new Map();
    return out;
  }
}

/** The items query of `docItems`, the same on both engines but for how the ids are bound. */
/**
 * A published digital object counts as a copy its library holds: on the shelf ("available") when
 * anyone may read it online, held but not available when its access is restricted. So scoping a
 * search to a library finds its digitised documents too, even those with no printed copy.
 */
export const DOC_ITEMS_SQL = `select * from (select i.record_id, i.status, o.path as owner_path, l.path as location_path, i.shelving_location
   from items i join org_units o on o.id = i.owner_unit_id join org_units l on l.id = i.location_unit_id
   union all
   select d.record_id, case when d.access = 'public' then 'available' else 'online_restricted' end as status, o.path as owner_path, o.path as location_path, null as shelving_location
   from digital_objects d join org_units o on o.id = d.owner_unit_id
   where d.record_id is not null and d.status = 'active' and d.state = 'published') i`;

/** Adds one row of {@link DOC_ITEMS_SQL} to the items by record. */
export function addDocItem(out: Map<number, DocItem[]>, r: Record<string, unknown>): void {
  const id = Number(r.record_id);
  let list = out.get(id);
  if (!list) out.set(id, (list = []));
  list.push({ status: String(r.status), ownerPath: String(r.owner_path), locationPath: String(r.location_path), shelvingLocation: (r.shelving_location as string | null) ?? null });
}
