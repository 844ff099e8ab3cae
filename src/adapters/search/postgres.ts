/**
 * The discovery index on PostgreSQL: one `tsvector` per document with a GIN index, built from
 * tokens folded in our code (no text-search configuration, dictionary or `unaccent` involved:
 * the literal `tsvector` is exactly what we give it).
 *
 * Lexemes carry their column as a prefix (`ti_viet` for a title word, `me_u12` for "held at or
 * below unit 12"); words of the columns an unfielded query looks in are also indexed bare
 * (`viet`), so the common query is one lexeme per word. Each column's positions start at its own
 * offset, so a phrase never runs from one column into the next.
 *
 * Phrases by adjacent pairs, as on SQLite (`./pairs.ts`): each column also carries a lexeme for each
 * two neighbouring words (`van+hoc`, `ti_van+hoc`) at the first one's position, so a phrase of n
 * words is the phrase of its n − 1 pairs, and a phrase of two words a single lexeme that the GIN
 * index answers without reading any document's positions. `+` is in no token (letters, digits and
 * marks) and no column prefix, so a pair never equals a word's lexeme; word-by-word phrases stay
 * right on a `tsvector` with or without pairs, which lets an index written before them keep
 * answering until `lienthong reindex` has written every document with its pairs.
 */
import type { DocItem, SearchColumn, SearchDoc } from '../../domain/search/document.js';
import { ANY_COLUMNS, SEARCH_COLUMNS } from '../../domain/search/document.js';
import type { MatchExpr } from '../../domain/search/compile.js';
import type { BrowseHeading, BrowseKind, BrowsePosition, IndexHint, EngineRows, FacetRow, HeadingHit, PageHit, PageText, RankRow, RecordStamp, SearchIndex, SearchRow, StoredVocab, TermHit } from '../../app/ports.js';
import { foldToken, syllables } from '../../text/vi.js';
import { DOC_COLUMNS, DOC_ITEMS_SQL, PendingChanges, addDocItem, VOCAB_AT, rankRowOf, sourceRecords, VocabularyDelta, docValues, facetRowOf, headingBrowseKey, headingKey, prefixEnd, run, searchRowOf, type Db } from './common.js';
import { toIso } from '../db/schema.js';
import { hasPairs } from './pairs.js';
import { dropSearchTables, rebuildTag, renameSearchTables, searchIndexStatements, searchTableStatements } from './schema.js';

const PREFIX: Record<SearchColumn, string> = {
  title: 'ti',
  title_x: 'tx',
  author: 'au',
  author_x: 'ax',
  subject: 'su',
  subject_x: 'sx',
  series: 'se',
  publisher: 'pu',
  ident: 'id',
  callnumber: 'cn',
  other: 'ot',
  meta: 'me',
};
const BARE = new Set<SearchColumn>(ANY_COLUMNS);
/** Positions per column (PostgreSQL keeps positions up to 16,383). */
const SPAN = 1300;
/** Joins the two words of an adjacent pair's lexeme. */
const PAIR = '+';

function lexeme(text: string): string {
  return `'${text.replace(/\\/gu, '\\\\').replace(/'/gu, "''")}'`;
}

/** The `tsvector` literal of a document. */
export function tsvectorOf(columns: Record<SearchColumn, string>): string {
  const lex = new Map<string, number[]>();
  const put = (l: string, pos: number) => {
    const p = lex.get(l);
    if (p) {
      if (p.length < 255) p.push(pos);
    } else lex.set(l, [pos]);
  };
  SEARCH_COLUMNS.forEach((col, ci) => {
    const text = columns[col];
    if (!text) return;
    const tokens = text.split(' ');
    const base = ci * SPAN + 1;
    const paired = hasPairs(col);
    for (let k = 0; k < tokens.length && k < SPAN - 1; k++) {
      const t = tokens[k]!;
      if (t === '') continue;
      put(`${PREFIX[col]}_${t}`, base + k);
      if (BARE.has(col)) put(t, base + k);
      const next = paired && k + 1 < SPAN - 1 ? tokens[k + 1] : undefined;
      if (next) {
        const pair = `${t}${PAIR}${next}`;
        put(`${PREFIX[col]}_${pair}`, base + k);
        if (BARE.has(col)) put(pair, base + k);
      }
    }
  });
  const parts: string[] = [];
  for (const [l, p] of lex) parts.push(`${lexeme(l)}:${p.join(',')}`);
  return parts.join(' ');
}

/** A `tsvector` literal of plain tokens at positions 1, 2, … (page text). */
export function bareTsvector(tokens: readonly string[]): string {
  const lex = new Map<string, number[]>();
  tokens.forEach((t, i) => {
    const p = lex.get(t);
    const pos = Math.min(i + 1, 16383);
    if (!p) lex.set(t, [pos]);
    else if (p.length < 255) p.push(pos);
  });
  return [...lex].map(([l, p]) => `${lexeme(l)}:${p.join(',')}`).join(' ');
}

function isAny(cols: readonly SearchColumn[]): boolean {
  return cols.length === ANY_COLUMNS.length && cols.every((c) => BARE.has(c));
}

/** The pair lexemes standing for a phrase, or null when it must be asked word by word. */
function phrasePairs(tokens: readonly string[], cols: readonly SearchColumn[]): string[] | null {
  if (tokens.length < 2 || !cols.every(hasPairs) || tokens.some((t) => t === '')) return null;
  const out: string[] = [];
  for (let i = 0; i + 1 < tokens.length; i++) out.push(`${tokens[i]}${PAIR}${tokens[i + 1]}`);
  return out;
}

/**
 * `tsquery` text for a match expression; `bare` for the page index (no column prefixes, no pairs);
 * `pairs` asks phrases as phrases of adjacent pairs (only for an index whose every document has them).
 */
export function tsQuery(e: MatchExpr, bare = false, pairs = false): string {
  const sub = (x: MatchExpr) => tsQuery(x, bare, pairs);
  switch (e.op) {
    case 'tok': {
      const suffix = e.prefix ? ':*' : '';
      if (bare || isAny(e.cols)) return `${lexeme(e.token)}${suffix}`;
      const alts = e.cols.map((c) => `${lexeme(`${PREFIX[c]}_${e.token}`)}${suffix}`);
      return alts.length === 1 ? alts[0]! : `(${alts.join(' | ')})`;
    }
    case 'phrase': {
      const words = (!bare && pairs ? phrasePairs(e.tokens, e.cols) : null) ?? e.tokens;
      if (bare || isAny(e.cols)) return `(${words.map(lexeme).join(' <-> ')})`;
      const alts = e.cols.map((c) => `(${words.map((t) => lexeme(`${PREFIX[c]}_${t}`)).join(' <-> ')})`);
      return alts.length === 1 ? alts[0]! : `(${alts.join(' | ')})`;
    }
    case 'or':
      return `(${e.args.map(sub).join(' | ')})`;
    case 'not':
      return `!${sub(e.arg)}`;
    case 'and':
      return `(${e.args.map(sub).join(' & ')})`;
  }
}

function ints(text: unknown): Uint32Array {
  if (typeof text !== 'string' || text === '') return new Uint32Array(0);
  const parts = text.split(',');
  const out = new Uint32Array(parts.length);
  for (let i = 0; i < parts.length; i++) out[i] = Number(parts[i]);
  return out;
}

export class PostgresSearchIndex implements SearchIndex {
  readonly engine = 'postgres' as const;
  readonly #db: Db;
  readonly #pending = new PendingChanges();

  /** Whether phrases may be asked as pairs: once seen true, it stays (only a reindex sets it). */
  #pairs = false;
  #pairsCheckedAt = -Infinity;
  readonly #usePairs: boolean;

  /** `opts.pairs: false` asks every phrase word by word (for comparing the two in tests and benchmarks). */
  constructor(db: Db, opts: { pairs?: boolean } = {}) {
    this.#db = db;
    this.#usePairs = opts.pairs ?? true;
  }

  /**
   * True when every document's `tsv` carries its pairs (`search_state` key `pairs`: set by
   * migration 010 on an empty index and by every full rebuild). `state()`, which every search
   * reads first, notices it too; otherwise it is looked at again at most once a second. Asking a
   * phrase word by word is right either way.
   */
  async #pairsReady(): Promise<boolean> {
    if (this.#pairs || !this.#usePairs) return this.#pairs;
    const now = performance.now();
    if (now - this.#pairsCheckedAt < 1000) return false;
    this.#pairsCheckedAt = now;
    const r = await run(this.#db, `select value from search_state where key = 'pairs'`);
    this.#pairs = Number(r[0]?.value ?? 0) === 1;
    return this.#pairs;
  }

  /** This index's `tsquery` for an expression. */
  async #tsq(expr: MatchExpr): Promise<string> {
    return tsQuery(expr, false, await this.#pairsReady());
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
    if (recordIds.length === 0) return out;
    const rows = await run(
      this.#db,
      `${DOC_ITEMS_SQL} where i.record_id = any($1::int[])`,
      [recordIds],
    );
    for (const r of rows) addDocItem(out, r);
    return out;
  }

  async recordsHeldUnder(path: string): Promise<number[]> {
    const rows = await run(
      this.#db,
      `select distinct i.record_id as id from items i join org_units o on o.id = i.owner_unit_id or o.id = i.location_unit_id where o.path >= $1 and o.path < $2`,
      [path, prefixEnd(path)],
    );
    return rows.map((r) => Number(r.id));
  }

  async write(docs: readonly SearchDoc[], gone: readonly number[]): Promise<void> {
    if (docs.length === 0 && gone.length === 0) return;
    // The row lock on the counter also orders commits: a later change number never commits first.
    const seq = Number((await run(this.#db, `update search_state set value = value + 1 where key = 'seq' returning value`))[0]!.value);
    const ids = [...docs.map((d) => d.id), ...gone];
    const old = await run(this.#db, 'select id, vocab from search_docs where alive = 1 and id = any($1::int[])', [ids]);
    const delta = new VocabularyDelta();
    for (const r of old) delta.add(JSON.parse(String(r.vocab)) as StoredVocab, -1);
    if (gone.length > 0) {
      await run(
        this.#db,
        `insert into search_docs (id, seq, alive) select unnest($1::int[]), $2, 0
         on conflict (id) do update set seq = excluded.seq, alive = 0, facets = null, rank = null, vocab = null, display = null, title_key = null`,
        [gone, seq],
      );
      await run(this.#db, 'delete from search_match where id = any($1::int[])', [gone]);
    }
    await this.#insertDocs(docs, seq, '', delta);
    await delta.apply(this.#db);
  }

  async #insertDocs(docs: readonly SearchDoc[], seq: number, suffix: string, delta: VocabularyDelta | null): Promise<void> {
    const cols = DOC_COLUMNS;
    const update = cols
      .filter((c) => c !== 'id')
      .map((c) => `${c} = excluded.${c}`)
      .join(', ');
    for (let i = 0; i < docs.length; i += 100) {
      const part = docs.slice(i, i + 100);
      const params: unknown[] = [];
      const tuples: string[] = [];
      for (const d of part) {
        const values = docValues(d, seq);
        if (delta) delta.add(JSON.parse(values[VOCAB_AT] as string) as StoredVocab, 1);
        const marks = values.map((v) => {
          params.push(v);
          return `$${params.length}`;
        });
        tuples.push(`(${marks.join(',')})`);
      }
      await run(this.#db, `insert into search_docs${suffix} (${cols.join(', ')}) values ${tuples.join(',')} on conflict (id) do update set ${update}`, params);
      await run(
        this.#db,
        `insert into search_match${suffix} (id, tsv) select * from unnest($1::int[], $2::tsvector[]) on conflict (id) do update set tsv = excluded.tsv`,
        [part.map((d) => d.id), part.map((d) => tsvectorOf(d.columns))],
      );
    }
  }

  async setPages(docId: number, pages: readonly PageText[]): Promise<void> {
    await run(this.#db, 'delete from search_pages where doc_id = $1', [docId]);
    for (const p of pages) {
      const tsv = bareTsvector(syllables(p.text).map(foldToken));
      await run(this.#db, 'insert into search_pages (doc_id, page_no, label, body, tsv) values ($1, $2, $3, $4, $5::tsvector)', [docId, p.pageNo, p.label ?? null, p.text, tsv]);
    }
  }

  // ------------------------------------------------------------------ reading

  async state(): Promise<{ seq: number; generation: number }> {
    const rows = await run(this.#db, 'select key, value from search_state');
    const get = (k: string) => Number(rows.find((r) => r.key === k)?.value ?? 0);
    // Every search reads the state first: the pairs flag comes with it.
    if (this.#usePairs && get('pairs') === 1) this.#pairs = true;
    return { seq: get('seq'), generation: get('generation') };
  }

  async facetRows(after: { seq: number; id: number }, limit: number): Promise<FacetRow[]> {
    const rows = await run(this.#db, 'select id, seq, alive, facets, year, holdings from search_docs where (seq, id) > ($1, $2) order by seq, id limit $3', [after.seq, after.id, limit]);
    return rows.map(facetRowOf);
  }

  async match(expr: MatchExpr, opts: { limit?: number } = {}): Promise<Uint32Array> {
    const q = await this.#tsq(expr);
    // Through the GIN index, whatever the planner's estimate (see MATCH_FUNCTIONS in ./schema.ts).
    if (opts.limit === undefined) {
      const rows = await run(this.#db, 'select search_match_ids($1::tsquery) as ids', [q]);
      return ints(rows[0]?.ids);
    }
    const rows = await run(this.#db, 'select id from search_match_newest($1::tsquery, $2) as id', [q, opts.limit]);
    return Uint32Array.from(rows.map((r) => Number(r.id)));
  }

  async matchAmong(expr: MatchExpr, ids: readonly number[]): Promise<Uint32Array> {
    if (ids.length === 0) return new Uint32Array(0);
    const rows = await run(this.#db, `select string_agg(id::text, ',') as ids from search_match where id = any($2::int[]) and tsv @@ $1::tsquery`, [await this.#tsq(expr), ids]);
    return ints(rows[0]?.ids);
  }

  async rows(ids: readonly number[]): Promise<SearchRow[]> {
    if (ids.length === 0) return [];
    const rows = await run(this.#db, 'select id, display, year, holdings, created_at from search_docs where alive = 1 and id = any($1::int[])', [ids]);
    return rows.map(searchRowOf);
  }

  async rankRows(ids: readonly number[]): Promise<RankRow[]> {
    if (ids.length === 0) return [];
    const rows = await run(this.#db, 'select id, rank, year, holdings from search_docs where alive = 1 and id = any($1::int[])', [ids]);
    return rows.map(rankRowOf);
  }

  async sortKeys(ids: readonly number[], by: 'title' | 'author'): Promise<{ id: number; key: string }[]> {
    if (ids.length === 0) return [];
    const col = by === 'title' ? 'sort_title' : 'sort_author';
    const rows = await run(this.#db, `select id, ${col} as key from search_docs where alive = 1 and id = any($1::int[])`, [ids]);
    return rows.map((r) => ({ id: Number(r.id), key: String(r.key) }));
  }

  async byTitleKey(key: string, limit: number): Promise<number[]> {
    // No `alive = 1`: a removed document's title_key is cleared with the rest (see `write`), so the
    // title_key index answers alone.
    const rows = await run(this.#db, 'select id from search_docs where title_key = $1 order by id desc limit $2', [key, limit]);
    return rows.map((r) => Number(r.id));
  }

  async ordered(by: 'title' | 'author', direction: 'asc' | 'desc', after: { key: string; id: number } | null, limit: number): Promise<{ id: number; key: string }[]> {
    const col = by === 'title' ? 'sort_title' : 'sort_author';
    const cmp = direction === 'asc' ? '>' : '<';
    const rows = after
      ? await run(this.#db, `select id, ${col} as key from search_docs where alive = 1 and (${col}, id) ${cmp} ($1, $2) order by ${col} ${direction}, id ${direction} limit $3`, [after.key, after.id, limit])
      : await run(this.#db, `select id, ${col} as key from search_docs where alive = 1 order by ${col} ${direction}, id ${direction} limit $1`, [limit]);
    return rows.map((r) => ({ id: Number(r.id), key: String(r.key) }));
  }

  async headings(foldedPrefix: string, limit: number): Promise<HeadingHit[]> {
    const rows = await run(this.#db, 'select kind, heading, docs from search_headings where folded >= $1 and folded < $2 limit 2000', [foldedPrefix, prefixEnd(foldedPrefix)]);
    return rows
      .map((r) => ({ kind: r.kind as HeadingHit['kind'], heading: String(r.heading), docs: Number(r.docs) }))
      .sort((a, b) => b.docs - a.docs || a.heading.length - b.heading.length)
      .slice(0, limit);
  }

  async terms(from: string, to: string, limit: number): Promise<TermHit[]> {
    const rows = await run(this.#db, 'select token, surface, docs from search_terms where token >= $1 and token < $2 limit $3', [from, to, limit]);
    return rows.map((r) => ({ token: String(r.token), surface: String(r.surface), docs: Number(r.docs) }));
  }

  async termDocs(tokens: readonly string[]): Promise<Map<string, number>> {
    const out = new Map<string, number>();
    if (tokens.length === 0) return out;
    for (const r of await run(this.#db, 'select token, docs from search_terms where token = any($1::text[])', [tokens])) out.set(String(r.token), Number(r.docs));
    return out;
  }

  async pageHits(expr: MatchExpr, opts: { docIds?: readonly number[]; limit: number }): Promise<PageHit[]> {
    const params: unknown[] = [tsQuery(expr, true), opts.limit];
    let where = '';
    if (opts.docIds) {
      params.push(opts.docIds);
      where = ' and doc_id = any($3::int[])';
    }
    const rows = await run(this.#db, `select doc_id, page_no, label, body from search_pages where tsv @@ $1::tsquery${where} order by doc_id, page_no limit $2`, params);
    return rows.map((r) => ({ docId: Number(r.doc_id), pageNo: Number(r.page_no), label: (r.label as string | null) ?? null, body: String(r.body) }));
  }

  async size(): Promise<{ docs: number; pages: number; bytes: number | null }> {
    const r = await run(
      this.#db,
      `select (select count(*) from search_docs where alive = 1) as docs, (select count(*) from search_pages) as pages,
              (select sum(pg_total_relation_size(c.oid)) from pg_class c where c.relname in ('search_docs', 'search_match', 'search_pages', 'search_headings', 'search_terms')) as bytes`,
    );
    return { docs: Number(r[0]!.docs), pages: Number(r[0]!.pages), bytes: r[0]!.bytes === null ? null : Number(r[0]!.bytes) };
  }

  // ------------------------------------------------------------------ browsing and sitemaps

  async browseHeadings(q: { kind: BrowseKind; from: string; to: string; after?: BrowsePosition; before?: BrowsePosition; limit: number }): Promise<BrowseHeading[]> {
    const base = 'select heading, docs, browse_key as key from search_headings where kind = $1 and browse_key >= $2 and browse_key < $3';
    let rows: Record<string, unknown>[];
    if (q.before) {
      rows = await run(this.#db, `${base} and (browse_key, heading) < ($4, $5) order by browse_key desc, heading desc limit $6`, [q.kind, q.from, q.to, q.before.key, q.before.heading, q.limit]);
      rows.reverse();
    } else if (q.after) {
      rows = await run(this.#db, `${base} and (browse_key, heading) > ($4, $5) order by browse_key, heading limit $6`, [q.kind, q.from, q.to, q.after.key, q.after.heading, q.limit]);
    } else {
      rows = await run(this.#db, `${base} order by browse_key, heading limit $4`, [q.kind, q.from, q.to, q.limit]);
    }
    return rows.map((r) => ({ heading: String(r.heading), docs: Number(r.docs), key: String(r.key) }));
  }

  async headingByFolded(kind: BrowseKind, foldedPrefix: string): Promise<BrowsePosition | null> {
    const r = await run(this.#db, 'select heading, browse_key as key from search_headings where folded >= $1 and folded < $2 and kind = $3 and browse_key is not null order by folded, browse_key limit 1', [foldedPrefix, prefixEnd(foldedPrefix), kind]);
    return r[0] ? { key: String(r[0].key), heading: String(r[0].heading) } : null;
  }

  async countHeadings(kind: BrowseKind, from: string, to: string): Promise<number> {
    const r = await run(this.#db, 'select count(*) as n from search_headings where kind = $1 and browse_key >= $2 and browse_key < $3', [kind, from, to]);
    return Number(r[0]?.n ?? 0);
  }

  async headingRanges(kind: BrowseKind, ranges: readonly (readonly [string, string])[]): Promise<boolean[]> {
    if (ranges.length === 0) return [];
    // One round trip for the whole letter bar: an index probe per range.
    const rows = await run(
      this.#db,
      `select exists (select 1 from search_headings h where h.kind = $1 and h.browse_key >= r.f and h.browse_key < r.t) as present
       from unnest($2::text[], $3::text[]) with ordinality as r(f, t, i) order by r.i`,
      [kind, ranges.map((r) => r[0]), ranges.map((r) => r[1])],
    );
    return rows.map((r) => r.present === true);
  }

  async recordStamps(q: { fromId: number; toId: number; afterId: number; limit: number }): Promise<RecordStamp[]> {
    const rows = await run(this.#db, `select id, updated_at from bib_records where id > $1 and id < $2 and status = 'active' order by id limit $3`, [Math.max(q.afterId, q.fromId - 1), q.toId, q.limit]);
    return rows.map((r) => ({ id: Number(r.id), updatedAt: toIso(r.updated_at as string | Date) }));
  }

  async recordBuckets(size: number): Promise<number[]> {
    const out: number[] = [];
    for (let from = 0; ; ) {
      const r = await run(this.#db, `select id from bib_records where id >= $1 and status = 'active' order by id limit 1`, [from]);
      if (r.length === 0) return out;
      const n = Math.floor(Number(r[0]!.id) / size);
      out.push(n);
      from = (n + 1) * size;
    }
  }

  // ------------------------------------------------------------------ rebuild

  sourceRecords(afterId: number, limit: number): Promise<{ id: number; marc: string; createdAt: string }[]> {
    return sourceRecords(this.#db, afterId, limit);
  }

  async beginRebuild(): Promise<void> {
    for (const s of dropSearchTables('postgres', '_new')) await run(this.#db, s);
    for (const s of searchTableStatements('postgres', '_new', { indexes: false })) await run(this.#db, s);
  }

  async writeRebuild(rows: EngineRows): Promise<void> {
    for (let i = 0; i < rows.docs.length; i += 200) {
      const part = rows.docs.slice(i, i + 200);
      const params: unknown[] = [];
      const tuples = part.map((r) => {
        const marks = r.map((v) => {
          params.push(v);
          return `$${params.length}`;
        });
        return `(${marks.join(',')})`;
      });
      await run(this.#db, `insert into search_docs_new (${DOC_COLUMNS.join(', ')}) values ${tuples.join(',')}`, params);
    }
    for (let i = 0; i < rows.fts.length; i += 1000) {
      const part = rows.fts.slice(i, i + 1000);
      await run(this.#db, 'insert into search_match_new (id, tsv) select * from unnest($1::int[], $2::tsvector[])', [part.map((r) => r[0]), part.map((r) => r[1])]);
    }
  }

  async writeRebuildVocabulary(headings: readonly (HeadingHit & { folded?: string })[], terms: readonly TermHit[]): Promise<void> {
    if (headings.length > 0) {
      await run(this.#db, 'insert into search_headings_new (kind, folded, heading, docs, browse_key) select * from unnest($1::text[], $2::text[], $3::text[], $4::int[], $5::text[])', [
        headings.map((h) => h.kind),
        headings.map((h) => h.folded ?? headingKey(h.heading)),
        headings.map((h) => h.heading),
        headings.map((h) => h.docs),
        headings.map((h) => headingBrowseKey(h.kind, h.heading)),
      ]);
    }
    if (terms.length > 0) {
      await run(this.#db, 'insert into search_terms_new (token, surface, docs) select * from unnest($1::text[], $2::text[], $3::int[])', [terms.map((t) => t.token), terms.map((t) => t.surface), terms.map((t) => t.docs)]);
    }
  }

  async indexRebuild(): Promise<void> {
    for (const s of searchIndexStatements('postgres', '_new', rebuildTag())) await run(this.#db, s);
  }

  async finishRebuild(sinceSeq: number): Promise<{ generation: number; changed: number[] }> {
    // Taking the counter's row lock first keeps every indexing writer out until the swap commits.
    await run(this.#db, `select value from search_state where key = 'seq' for update`);
    const r = await run(this.#db, `update search_state set value = value + 1 where key = 'generation' returning value`);
    const changed = (await run(this.#db, 'select id from search_docs where seq > $1', [sinceSeq])).map((x) => Number(x.id));
    for (const s of renameSearchTables('postgres', '', '_old')) await run(this.#db, s);
    for (const s of renameSearchTables('postgres', '_new', '')) await run(this.#db, s);
    for (const s of dropSearchTables('postgres', '_old')) await run(this.#db, s);
    // Every document of the new tables was written with its pairs: from now on phrases may be asked as pairs.
    await run(this.#db, `insert into search_state (key, value) values ('pairs', 1) on conflict (key) do update set value = 1`);
    return { generation: Number(r[0]!.value), changed };
  }

  async abandonRebuild(): Promise<void> {
    for (const s of dropSearchTables('postgres', '_new')) await run(this.#db, s);
  }
}
