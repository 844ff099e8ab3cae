/**
 * The discovery index on SQLite: an FTS5 table (contentless, one column per index column) over
 * tokens folded in our code, and `search_docs` beside it. Reads go through a separate read-only
 * connection (see `DatabaseHandle.reader`): they never see uncommitted writes and never queue
 * behind a write transaction.
 */
import type SQLite from 'better-sqlite3';
import type { DocItem, SearchDoc } from '../../domain/search/document.js';
import { SEARCH_COLUMNS } from '../../domain/search/document.js';
import type { MatchExpr } from '../../domain/search/compile.js';
import type { BrowseHeading, BrowseKind, BrowsePosition, IndexHint, EngineRows, FacetRow, HeadingHit, PageHit, PageText, RankRow, RecordStamp, SearchIndex, SearchRow, StoredVocab, TermHit } from '../../app/ports.js';
import { syllables, foldToken } from '../../text/vi.js';
import { DOC_COLUMNS, DOC_ITEMS_SQL, PendingChanges, addDocItem, VOCAB_AT, rankRowOf, sourceRecords, VocabularyDelta, docValues, facetRowOf, headingBrowseKey, headingKey, markSqlite, prefixEnd, run, searchRowOf, type Db } from './common.js';
import { toIso } from '../db/schema.js';
import { pairedColumn, phrasePairs } from './pairs.js';
import { dropSearchTables, rebuildTag, renameSearchTables, searchIndexStatements, searchTableStatements } from './schema.js';

/** Documents written by a full rebuild carry change number 0: below every later change, so a later rebuild never takes them for changes made while it ran. */
export const REBUILT_SEQ = 0;

const FTS_INSERT = `insert into search_fts (rowid, ${SEARCH_COLUMNS.join(', ')}) values (?${', ?'.repeat(SEARCH_COLUMNS.length)})`;

function quote(token: string): string {
  return `"${token.replace(/"/gu, '""')}"`;
}

function colFilter(cols: readonly string[] | null): string {
  if (!cols) return '';
  return cols.length === 1 ? `${cols[0]} : ` : `{${cols.join(' ')}} : `;
}

/**
 * FTS5 query syntax for a match expression; `columns: false` for the one-column page index.
 * `pairs`: phrases are asked as phrases of adjacent pairs where they can be (see `./pairs.ts`);
 * only for a `search_fts` whose every document was written with its pairs.
 */
export function fts5Query(e: MatchExpr, columns = true, pairs = false): string {
  const sub = (x: MatchExpr) => fts5Query(x, columns, pairs);
  switch (e.op) {
    case 'tok':
      return `${colFilter(columns ? e.cols : null)}${quote(e.token)}${e.prefix ? '*' : ''}`;
    case 'phrase': {
      const asPairs = pairs && columns ? phrasePairs(e.tokens, e.cols) : null;
      return `${colFilter(columns ? e.cols : null)}${quote((asPairs ?? e.tokens).join(' '))}`;
    }
    case 'or':
      return `(${e.args.map(sub).join(' OR ')})`;
    case 'not':
      // Only reached inside `and` (compileQuery anchors every negation).
      return sub(e.arg);
    case 'and': {
      const pos = e.args.filter((a) => a.op !== 'not').map(sub);
      const neg = e.args.filter((a) => a.op === 'not').map((a) => `(${sub(a)})`);
      return `(${pos.join(' AND ')})${neg.map((n) => ` NOT ${n}`).join('')}`;
    }
  }
}

/** Ids from `group_concat` of integer rowids (`"3,17,250"`; null when none), in their order. */
export function parseIdList(text: string | null): Uint32Array {
  if (!text) return new Uint32Array(0);
  // At most one id per two characters (a digit and a comma).
  const out = new Uint32Array((text.length + 1) >> 1);
  let k = 0;
  let v = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 44) {
      out[k++] = v;
      v = 0;
    } else {
      v = v * 10 + (c - 48);
    }
  }
  out[k++] = v;
  return out.slice(0, k);
}

export class SqliteSearchIndex implements SearchIndex {
  readonly engine = 'sqlite-fts5' as const;
  readonly #db: Db;
  readonly #reader: () => SQLite.Database;
  readonly #pending = new PendingChanges();
  readonly #stmts = new Map<string, SQLite.Statement>();

  /** Whether phrases may be asked as pairs: once seen true, it stays (only a reindex sets it). */
  #pairs = false;
  readonly #usePairs: boolean;

  /** `opts.pairs: false` asks every phrase word by word (for comparing the two in tests and benchmarks). */
  constructor(db: Db, reader: () => SQLite.Database, opts: { pairs?: boolean } = {}) {
    this.#db = markSqlite(db);
    this.#reader = reader;
    this.#usePairs = opts.pairs ?? true;
  }

  /**
   * True when every document in `search_fts` carries its pairs (`search_state` key `pairs`: set
   * by migration 009 on an empty index and by every full rebuild). Asking a phrase word by word is
   * right on either kind of table, so a reader that sees the flag late loses only time.
   */
  #pairsReady(): boolean {
    if (!this.#pairs && this.#usePairs) this.#pairs = Number(this.#q(`select value from search_state where key = 'pairs'`).pluck().get() ?? 0) === 1;
    return this.#pairs;
  }

  /** The same, read by the writer inside its transaction: whether new documents get their pairs. */
  async #pairsWritten(): Promise<boolean> {
    const r = await run(this.#db, `select value from search_state where key = 'pairs'`);
    return Number(r[0]?.value ?? 0) === 1;
  }

  /** This index's FTS5 query for an expression. */
  #fts(expr: MatchExpr): string {
    return fts5Query(expr, true, this.#pairsReady());
  }

  #q(text: string): SQLite.Statement {
    let s = this.#stmts.get(text);
    if (!s) {
      s = this.#reader().prepare(text);
      this.#stmts.set(text, s);
    }
    return s;
  }

  markDirty(recordIds: Iterable<number>): void {
    this.#pending.markDirty(recordIds);
  }

  takeDirty(): number[] {
    return this.#pending.takeDirty();
  }

  hint(recordId: number, h: IndexHint): void {
    this.#pending.hint(recordId, h);
  }

  takeHints(): Map<number, IndexHint> {
    return this.#pending.takeHints();
  }

  async docItems(recordIds: readonly number[]): Promise<Map<number, DocItem[]>> {
    const out = new Map<number, DocItem[]>();
    for (let i = 0; i < recordIds.length; i += 500) {
      const part = recordIds.slice(i, i + 500);
      const rows = await run(
        this.#db,
        `${DOC_ITEMS_SQL} where i.record_id in (${part.map(() => '?').join(',')})`,
        part,
      );
      for (const r of rows) addDocItem(out, r);
    }
    return out;
  }

  async recordsHeldUnder(path: string): Promise<number[]> {
    const rows = await run(
      this.#db,
      `select distinct i.record_id as id from items i join org_units o on o.id = i.owner_unit_id or o.id = i.location_unit_id where o.path >= ? and o.path < ?`,
      [path, prefixEnd(path)],
    );
    return rows.map((r) => Number(r.id));
  }

  async #nextSeq(): Promise<number> {
    const r = await run(this.#db, `update search_state set value = value + 1 where key = 'seq' returning value`);
    return Number(r[0]!.value);
  }

  async #oldRanks(ids: readonly number[], suffix = ''): Promise<Map<number, string>> {
    const out = new Map<number, string>();
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      const rows = await run(this.#db, `select id, vocab from search_docs${suffix} where alive = 1 and id in (${part.map(() => '?').join(',')})`, part);
      for (const r of rows) out.set(Number(r.id), String(r.vocab));
    }
    return out;
  }

  async write(docs: readonly SearchDoc[], gone: readonly number[]): Promise<void> {
    if (docs.length === 0 && gone.length === 0) return;
    const seq = await this.#nextSeq();
    const ids = [...docs.map((d) => d.id), ...gone];
    const old = await this.#oldRanks(ids);
    const delta = new VocabularyDelta();
    for (const vocab of old.values()) delta.add(JSON.parse(vocab) as StoredVocab, -1);
    for (const id of ids) if (old.has(id)) await run(this.#db, 'delete from search_fts where rowid = ?', [id]);
    for (const id of gone) {
      await run(this.#db, `insert into search_docs (id, seq, alive) values (?, ?, 0) on conflict (id) do update set seq = excluded.seq, alive = 0, facets = null, rank = null, vocab = null, display = null, title_key = null`, [id, seq]);
    }
    await this.#insertDocs(docs, seq, '', delta, docs.length > 0 && (await this.#pairsWritten()));
    await delta.apply(this.#db);
  }

  async #insertDocs(docs: readonly SearchDoc[], seq: number, suffix: string, delta: VocabularyDelta | null, paired: boolean): Promise<void> {
    const width = DOC_COLUMNS.length;
    for (let i = 0; i < docs.length; i += 50) {
      const part = docs.slice(i, i + 50);
      const params: unknown[] = [];
      const ftsParams: unknown[] = [];
      for (const d of part) {
        const values = docValues(d, seq);
        params.push(...values);
        ftsParams.push(d.id, ...SEARCH_COLUMNS.map((c) => (paired ? pairedColumn(c, d.columns[c]) : d.columns[c])));
        if (delta) delta.add(JSON.parse(values[VOCAB_AT] as string) as StoredVocab, 1);
      }
      const tuple = `(?${', ?'.repeat(width - 1)})`;
      await run(this.#db, `insert or replace into search_docs${suffix} (${DOC_COLUMNS.join(', ')}) values ${part.map(() => tuple).join(',')}`, params);
      const ftsTuple = `(?${', ?'.repeat(SEARCH_COLUMNS.length)})`;
      await run(this.#db, `${FTS_INSERT.replace('search_fts', `search_fts${suffix}`).replace(/values .*$/u, 'values ')}${part.map(() => ftsTuple).join(',')}`, ftsParams);
    }
  }

  async setPages(docId: number, pages: readonly PageText[]): Promise<void> {
    const old = await run(this.#db, 'select id from search_pages where doc_id = ?', [docId]);
    for (const r of old) await run(this.#db, 'delete from search_pages_fts where rowid = ?', [r.id]);
    await run(this.#db, 'delete from search_pages where doc_id = ?', [docId]);
    for (const p of pages) {
      const r = await run(this.#db, 'insert into search_pages (doc_id, page_no, label, body) values (?, ?, ?, ?) returning id', [docId, p.pageNo, p.label ?? null, p.text]);
      await run(this.#db, 'insert into search_pages_fts (rowid, body) values (?, ?)', [r[0]!.id, syllables(p.text).map(foldToken).join(' ')]);
    }
  }

  // ------------------------------------------------------------------ reading

  async state(): Promise<{ seq: number; generation: number }> {
    const rows = this.#q(`select key, value from search_state`).all() as { key: string; value: number }[];
    const get = (k: string) => Number(rows.find((r) => r.key === k)?.value ?? 0);
    return { seq: get('seq'), generation: get('generation') };
  }

  async facetRows(after: { seq: number; id: number }, limit: number): Promise<FacetRow[]> {
    const rows = this.#q(`select id, seq, alive, facets, year, holdings from search_docs where (seq, id) > (?, ?) order by seq, id limit ?`).all(after.seq, after.id, limit) as Record<string, unknown>[];
    return rows.map(facetRowOf);
  }

  async match(expr: MatchExpr, opts: { limit?: number } = {}): Promise<Uint32Array> {
    const q = this.#fts(expr);
    if (opts.limit !== undefined) {
      return Uint32Array.from(this.#q('select rowid from search_fts where search_fts match ? order by rowid desc limit ?').pluck().all(q, opts.limit) as number[]);
    }
    // Every match as one comma-separated text made in SQLite: handing 200,000 rows to JavaScript
    // one by one cost more than finding them (`title:lich` at a million records: 28 → 19 ms).
    return parseIdList(this.#q('select group_concat(rowid) from (select rowid from search_fts where search_fts match ? order by rowid)').pluck().get(q) as string | null);
  }

  async matchAmong(expr: MatchExpr, ids: readonly number[]): Promise<Uint32Array> {
    const q = this.#fts(expr);
    const out: number[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      // Rowids bound as integers: better-sqlite3 binds a JS number as REAL, and FTS5 ignores a
      // `rowid = <real>` next to MATCH (what `rowid in (?)` of one id becomes), answering every match.
      const part = ids.slice(i, i + 500).map((id) => BigInt(id));
      const rows = this.#reader().prepare(`select rowid from search_fts where search_fts match ? and rowid in (${part.map(() => '?').join(',')})`).pluck().all(q, ...part) as number[];
      for (const id of rows) out.push(id);
    }
    return Uint32Array.from(out);
  }

  async rows(ids: readonly number[]): Promise<SearchRow[]> {
    if (ids.length === 0) return [];
    // One prepared statement for any number of ids (an `in (?, ?, …)` list is a new statement each time).
    const rows = this.#q(`select id, display, year, holdings, created_at from search_docs where id in (select value from json_each(?)) and alive = 1`).all(JSON.stringify(ids)) as Record<string, unknown>[];
    return rows.map(searchRowOf);
  }

  async rankRows(ids: readonly number[]): Promise<RankRow[]> {
    if (ids.length === 0) return [];
    const rows = this.#q(`select id, rank, year, holdings from search_docs where id in (select value from json_each(?)) and alive = 1`).all(JSON.stringify(ids)) as Record<string, unknown>[];
    return rows.map(rankRowOf);
  }

  async sortKeys(ids: readonly number[], by: 'title' | 'author'): Promise<{ id: number; key: string }[]> {
    const col = by === 'title' ? 'sort_title' : 'sort_author';
    const out: { id: number; key: string }[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      const part = ids.slice(i, i + 500);
      out.push(...(this.#reader().prepare(`select id, ${col} as key from search_docs where alive = 1 and id in (${part.map(() => '?').join(',')})`).all(...part) as { id: number; key: string }[]));
    }
    return out;
  }

  async byTitleKey(key: string, limit: number): Promise<number[]> {
    // No `alive = 1`: a removed document's title_key is cleared with the rest (see `write`), and
    // without it the title_key index answers alone (0.3 → 0.02 ms for a title 15,000 records share).
    return this.#q('select id from search_docs where title_key = ? order by id desc limit ?').pluck().all(key, limit) as number[];
  }

  async ordered(by: 'title' | 'author', direction: 'asc' | 'desc', after: { key: string; id: number } | null, limit: number): Promise<{ id: number; key: string }[]> {
    const col = by === 'title' ? 'sort_title' : 'sort_author';
    const cmp = direction === 'asc' ? '>' : '<';
    const dir = direction === 'asc' ? 'asc' : 'desc';
    const rows = after
      ? this.#q(`select id, ${col} as key from search_docs where alive = 1 and (${col}, id) ${cmp} (?, ?) order by ${col} ${dir}, id ${dir} limit ?`).all(after.key, after.id, limit)
      : this.#q(`select id, ${col} as key from search_docs where alive = 1 order by ${col} ${dir}, id ${dir} limit ?`).all(limit);
    return (rows as { id: number; key: string }[]).map((r) => ({ id: r.id, key: r.key }));
  }

  async headings(foldedPrefix: string, limit: number): Promise<HeadingHit[]> {
    const rows = this.#q('select kind, heading, docs from search_headings where folded >= ? and folded < ? limit 2000').all(foldedPrefix, prefixEnd(foldedPrefix)) as HeadingHit[];
    return rows.sort((a, b) => b.docs - a.docs || a.heading.length - b.heading.length).slice(0, limit);
  }

  async terms(from: string, to: string, limit: number): Promise<TermHit[]> {
    return this.#q('select token, surface, docs from search_terms where token >= ? and token < ? limit ?').all(from, to, limit) as TermHit[];
  }

  async termDocs(tokens: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (tokens.length === 0) return out;
    const rows = this.#reader()
      .prepare(`select token, docs from search_terms where token in (${tokens.map(() => '?').join(',')})`)
      .all(...tokens) as { token: string; docs: number }[];
    for (const r of rows) out.set(r.token, r.docs);
    return out;
  }

  async pageHits(expr: MatchExpr, opts: { docIds?: readonly number[]; limit: number }): Promise<PageHit[]> {
    const q = fts5Query(expr, false);
    const where = opts.docIds ? ` and p.doc_id in (${opts.docIds.map(() => '?').join(',')})` : '';
    const rows = this.#reader()
      .prepare(`select p.doc_id, p.page_no, p.label, p.body from search_pages_fts f join search_pages p on p.id = f.rowid where search_pages_fts match ?${where} order by p.doc_id, p.page_no limit ?`)
      .all(q, ...(opts.docIds ?? []), opts.limit) as Record<string, unknown>[];
    return rows.map((r) => ({ docId: Number(r.doc_id), pageNo: Number(r.page_no), label: (r.label as string | null) ?? null, body: String(r.body) }));
  }

  async size(): Promise<{ docs: number; pages: number; bytes: number | null }> {
    const docs = Number(this.#q('select count(*) from search_docs where alive = 1').pluck().get());
    const pages = Number(this.#q('select count(*) from search_pages').pluck().get());
    let bytes: number | null;
    try {
      bytes = Number(
        this.#reader()
          .prepare(`select sum(pgsize) from dbstat where name like 'search%'`)
          .pluck()
          .get(),
      );
    } catch {
      bytes = null; // dbstat is not compiled in
    }
    return { docs, pages, bytes };
  }

  // ------------------------------------------------------------------ browsing and sitemaps

  async browseHeadings(q: { kind: BrowseKind; from: string; to: string; after?: BrowsePosition; before?: BrowsePosition; limit: number }): Promise<BrowseHeading[]> {
    const base = 'select heading, docs, browse_key as key from search_headings where kind = ? and browse_key >= ? and browse_key < ?';
    let rows: BrowseHeading[];
    if (q.before) {
      rows = this.#q(`${base} and (browse_key, heading) < (?, ?) order by browse_key desc, heading desc limit ?`).all(q.kind, q.from, q.to, q.before.key, q.before.heading, q.limit) as BrowseHeading[];
      rows.reverse();
    } else if (q.after) {
      rows = this.#q(`${base} and (browse_key, heading) > (?, ?) order by browse_key, heading limit ?`).all(q.kind, q.from, q.to, q.after.key, q.after.heading, q.limit) as BrowseHeading[];
    } else {
      rows = this.#q(`${base} order by browse_key, heading limit ?`).all(q.kind, q.from, q.to, q.limit) as BrowseHeading[];
    }
    return rows.map((r) => ({ heading: r.heading, docs: Number(r.docs), key: r.key }));
  }

  async headingByFolded(kind: BrowseKind, foldedPrefix: string): Promise<BrowsePosition | null> {
    const r = this.#q('select heading, browse_key as key from search_headings where folded >= ? and folded < ? and kind = ? and browse_key is not null order by folded, browse_key limit 1').get(foldedPrefix, prefixEnd(foldedPrefix), kind) as BrowsePosition | undefined;
    return r ? { key: r.key, heading: r.heading } : null;
  }

  async countHeadings(kind: BrowseKind, from: string, to: string): Promise<number> {
    return Number(this.#q('select count(*) from search_headings where kind = ? and browse_key >= ? and browse_key < ?').pluck().get(kind, from, to));
  }

  async headingRanges(kind: BrowseKind, ranges: readonly (readonly [string, string])[]): Promise<boolean[]> {
    const probe = this.#q('select 1 from search_headings where kind = ? and browse_key >= ? and browse_key < ? limit 1').pluck();
    return ranges.map(([from, to]) => probe.get(kind, from, to) !== undefined);
  }

  async recordStamps(q: { fromId: number; toId: number; afterId: number; limit: number }): Promise<RecordStamp[]> {
    const rows = this.#q(`select id, updated_at from bib_records where id > ? and id < ? and status = 'active' order by id limit ?`).all(Math.max(q.afterId, q.fromId - 1), q.toId, q.limit) as { id: number; updated_at: string }[];
    return rows.map((r) => ({ id: Number(r.id), updatedAt: toIso(r.updated_at) }));
  }

  async recordBuckets(size: number): Promise<number[]> {
    const next = this.#q(`select id from bib_records where id >= ? and status = 'active' order by id limit 1`).pluck();
    const out: number[] = [];
    for (let from = 0; ; ) {
      const id = next.get(from) as number | undefined;
      if (id === undefined) return out;
      const n = Math.floor(id / size);
      out.push(n);
      from = (n + 1) * size;
    }
  }

  // ------------------------------------------------------------------ rebuild

  sourceRecords(afterId: number, limit: number): Promise<{ id: number; marc: string; createdAt: string }[]> {
    return sourceRecords(this.#db, afterId, limit);
  }

  async beginRebuild(): Promise<void> {
    for (const s of dropSearchTables('sqlite', '_new')) await run(this.#db, s);
    for (const s of searchTableStatements('sqlite', '_new', { indexes: false })) await run(this.#db, s);
  }

  async writeRebuild(rows: EngineRows): Promise<void> {
    for (let i = 0; i < rows.docs.length; i += 200) {
      const part = rows.docs.slice(i, i + 200);
      const tuple = `(?${', ?'.repeat(DOC_COLUMNS.length - 1)})`;
      await run(this.#db, `insert into search_docs_new (${DOC_COLUMNS.join(', ')}) values ${part.map(() => tuple).join(',')}`, part.flat());
    }
    for (let i = 0; i < rows.fts.length; i += 200) {
      const part = rows.fts.slice(i, i + 200);
      const tuple = `(?${', ?'.repeat(SEARCH_COLUMNS.length)})`;
      await run(this.#db, `insert into search_fts_new (rowid, ${SEARCH_COLUMNS.join(', ')}) values ${part.map(() => tuple).join(',')}`, part.flat());
    }
  }

  async writeRebuildVocabulary(headings: readonly (HeadingHit & { folded?: string })[], terms: readonly TermHit[]): Promise<void> {
    for (let i = 0; i < headings.length; i += 200) {
      const part = headings.slice(i, i + 200);
      await run(this.#db, `insert into search_headings_new (kind, folded, heading, docs, browse_key) values ${part.map(() => '(?, ?, ?, ?, ?)').join(',')}`, part.flatMap((h) => [h.kind, h.folded ?? headingKey(h.heading), h.heading, h.docs, headingBrowseKey(h.kind, h.heading)]));
    }
    for (let i = 0; i < terms.length; i += 300) {
      const part = terms.slice(i, i + 300);
      await run(this.#db, `insert into search_terms_new (token, surface, docs) values ${part.map(() => '(?, ?, ?)').join(',')}`, part.flatMap((t) => [t.token, t.surface, t.docs]));
    }
  }

  async indexRebuild(): Promise<void> {
    for (const s of searchIndexStatements('sqlite', '_new', rebuildTag())) await run(this.#db, s);
  }

  async finishRebuild(sinceSeq: number): Promise<{ generation: number; changed: number[] }> {
    const changed = (await run(this.#db, 'select id from search_docs where seq > ?', [sinceSeq])).map((r) => Number(r.id));
    for (const s of renameSearchTables('sqlite', '', '_old')) await run(this.#db, s);
    for (const s of renameSearchTables('sqlite', '_new', '')) await run(this.#db, s);
    for (const s of dropSearchTables('sqlite', '_old')) await run(this.#db, s);
    // The new tables were written with pairs (rows.ts): from now on phrases may be asked as pairs.
    await run(this.#db, `insert into search_state (key, value) values ('pairs', 1) on conflict (key) do update set value = 1`);
    const r = await run(this.#db, `update search_state set value = value + 1 where key = 'generation' returning value`);
    this.#stmts.clear();
    return { generation: Number(r[0]!.value), changed };
  }

  async abandonRebuild(): Promise<void> {
    for (const s of dropSearchTables('sqlite', '_new')) await run(this.#db, s);
  }
}
