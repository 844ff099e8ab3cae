/**
 * The search tables for each engine, as SQL text. `suffix` names a set of tables: '' for the
 * live ones, '_new' for the shadow set a full reindex fills before it swaps them in.
 *
 * The engine index columns (FTS5 columns; `tsvector` lexeme prefixes on PostgreSQL) are listed in
 * {@link SEARCH_COLUMNS}; both engines receive the same folded tokens from our code.
 */
import type { Dialect } from '../db/schema.js';
import { SEARCH_COLUMNS } from '../../domain/search/document.js';

/** Tables that a reindex builds as a set and swaps in. */
export const SWAPPED_TABLES = ['search_docs', 'search_pages', 'search_headings', 'search_terms'] as const;


/**
 * Autocomplete headings and "did you mean" words: the same on both engines. Author and subject
 * headings also carry their A–Z browse key (`src/domain/browse/alphabet.ts`; titles have none), and
 * the browse index answers a page of one letter as one range read.
 */
function vocabularyStatements(s: string, bytes: string): string[] {
  return [
    `create table search_headings${s} (kind text not null, folded text${bytes} not null, heading text not null, docs integer not null, browse_key text${bytes}, primary key (kind, heading))`,
    `create index if not exists search_headings${s}_folded on search_headings${s} (folded, docs)`,
    browseIndexStatement(s),
    `create table search_terms${s} (token text${bytes} primary key, surface text not null, docs integer not null)`,
  ];
}

/** The A–Z browse index of `search_headings` (covering: a page is read from the index alone). */
export function browseIndexStatement(suffix: string): string {
  return `create index if not exists search_headings${suffix}_browse on search_headings${suffix} (kind, browse_key, heading, docs) where browse_key is not null`;
}

export function searchTableStatements(dialect: Dialect, suffix: string, opts: { indexes?: boolean } = {}): string[] {
  const all = allStatements(dialect, suffix);
  return opts.indexes === false ? all.filter((x) => !x.startsWith('create index')) : all;
}

/**
 * The secondary indexes alone: a rebuild creates them after filling its tables. `tag` goes into
 * their names: renaming a table keeps its indexes' names, so the live tables of an earlier rebuild
 * still own `search_docs_new_seq` and the rest, and `if not exists` would silently give the new
 * tables none (every search then scanned a million rows).
 */
export function searchIndexStatements(dialect: Dialect, suffix: string, tag = ''): string[] {
  return allStatements(dialect, suffix)
    .filter((x) => x.startsWith('create index'))
    .map((x) => x.replace(/^create index if not exists (\w+) /, (_, name: string) => `create index if not exists ${name}${tag} `));
}

/** A tag for a rebuild's index names, new each time (see {@link searchIndexStatements}). */
export function rebuildTag(now = Date.now()): string {
  return `_r${now.toString(36)}`;
}

/** The SQLite engine table (see `./pairs.ts` for the pairs its tokenizer keeps whole). */
export function ftsStatement(suffix: string): string {
  return `create virtual table search_fts${suffix} using fts5(${SEARCH_COLUMNS.join(', ')}, content='', contentless_delete=1, detail=full, tokenize='unicode61 remove_diacritics 0 tokenchars ''_''')`;
}

function allStatements(dialect: Dialect, suffix: string): string[] {
  const s = suffix;
  if (dialect === 'sqlite') {
    return [
      `create table search_docs${s} (id integer primary key, seq integer not null, alive integer not null, title_key text, sort_title text, sort_author text, year integer, holdings integer not null default 0, created_at text, facets text, rank text, vocab text, display text)`,
      `create index if not exists search_docs${s}_seq on search_docs${s} (seq)`,
      `create index if not exists search_docs${s}_title_key on search_docs${s} (title_key)`,
      `create index if not exists search_docs${s}_sort_title on search_docs${s} (sort_title, id)`,
      `create index if not exists search_docs${s}_sort_author on search_docs${s} (sort_author, id)`,
      // Contentless: the text lives in bib_records; FTS5 keeps only the inverted index. Each
      // column holds its words, then its adjacent pairs (`_` a token character; see pairs.ts).
      ftsStatement(s),
      // Page-level full text (OCR of digitised documents): one row per page.
      `create table search_pages${s} (id integer primary key, doc_id integer not null, page_no integer not null, label text, body text not null)`,
      `create index if not exists search_pages${s}_doc on search_pages${s} (doc_id, page_no)`,
      `create virtual table search_pages_fts${s} using fts5(body, content='', contentless_delete=1, detail=full, tokenize='unicode61 remove_diacritics 0')`,
      ...vocabularyStatements(s, ''),
    ];
  }
  return [
    `create table search_docs${s} (id integer primary key, seq bigint not null, alive smallint not null, title_key text collate "C", sort_title text collate "C", sort_author text collate "C", year integer, holdings integer not null default 0, created_at text, facets text, rank text, vocab text, display text)`,
    // With the id, as SQLite's index has its rowid: the facet arrays are read in (seq, id) pages,
    // and a rebuilt index's documents all share one seq (on `(seq)` alone every page re-read and
    // sorted all of them: 66 s to start a process at a million).
    `create index if not exists search_docs${s}_seq on search_docs${s} (seq, id)`,
    // With the id: the newest documents of one whole title are read from the index alone, in order
    // (on `(title_key)` alone the planner walked the primary key backwards: 0.5 s at a million).
    `create index if not exists search_docs${s}_title_key on search_docs${s} (title_key, id)`,
    `create index if not exists search_docs${s}_sort_title on search_docs${s} (sort_title, id)`,
    `create index if not exists search_docs${s}_sort_author on search_docs${s} (sort_author, id)`,
    ...matchTableStatements(s),
    `create table search_pages${s} (id bigint generated by default as identity primary key, doc_id integer not null, page_no integer not null, label text, body text not null, tsv tsvector not null)`,
    `create index if not exists search_pages${s}_doc on search_pages${s} (doc_id, page_no)`,
    `create index if not exists search_pages${s}_tsv on search_pages${s} using gin (tsv)`,
    ...vocabularyStatements(s, ' collate "C"'),
  ];
}

/**
 * PostgreSQL's engine table: each live document's `tsvector`, apart from `search_docs`. A word's
 * matches are read from its GIN posting list and then from this table's pages, for their ids, so
 * the fewer pages the better. `tsv` is stored uncompressed (`external`): PostgreSQL moves a value
 * out of line into TOAST once its row passes about 2 KB, as most catalogue records' do with their
 * pairs (86 % of the generated ones), leaving a row of about 50 bytes; shorter ones stay in the row.
 * The tuple target of 128 bytes keeps values copied from another table out of line too. At a
 * million generated records: a few tens of thousands of pages instead of the 200,000 of
 * `search_docs`, whose display, facet and ranking columns filled them. `search_match_ids` keeps
 * the planner on the index (see `MATCH_FUNCTIONS`).
 */
export function matchTableStatements(s: string): string[] {
  return [
    `create table search_match${s} (id integer primary key, tsv tsvector not null) with (toast_tuple_target = 128)`,
    `alter table search_match${s} alter column tsv set storage external`,
    `create index if not exists search_match${s}_tsv on search_match${s} using gin (tsv)`,
  ];
}

/**
 * PostgreSQL: the matches of a `tsquery`, read through the GIN index whatever the planner's
 * estimate. A word in most documents looks cheaper to scan for in the narrow `search_match`, but
 * the scan reads every document's `tsvector` out of line (3 s at a million documents, against
 * 0.2 s through the index); a function's own settings hold for its query alone, in one round trip.
 */
export const MATCH_FUNCTIONS = [
  `create or replace function search_match_ids(q tsquery) returns text language sql stable
     set enable_seqscan = off set enable_indexscan = off
     as $$ select string_agg(id::text, ',') from search_match where tsv @@ q $$`,
  `create or replace function search_match_newest(q tsquery, n integer) returns setof integer language sql stable
     set enable_seqscan = off set enable_indexscan = off
     as $$ select id from search_match where tsv @@ q order by id desc limit n $$`,
];

/** Statements that drop a set of tables (used after a swap and when a reindex is abandoned). */
export function dropSearchTables(dialect: Dialect, suffix: string): string[] {
  return tablesOf(dialect).map((t) => `drop table if exists ${t}${suffix}`);
}

/** Renames a set of tables from one suffix to another (with their indexes, on PostgreSQL). */
export function renameSearchTables(dialect: Dialect, from: string, to: string): string[] {
  const out = tablesOf(dialect).map((t) => `alter table ${t}${from} rename to ${t}${to}`);
  if (dialect === 'postgres') {
    const idx: Record<string, string[]> = {
      search_docs: ['seq', 'title_key', 'sort_title', 'sort_author', 'pkey'],
      search_match: ['tsv', 'pkey'],
      search_pages: ['doc', 'tsv', 'pkey'],
      search_headings: ['folded', 'browse', 'pkey'],
      search_terms: ['pkey'],
    };
    for (const [t, names] of Object.entries(idx)) for (const n of names) out.push(`alter index if exists ${t}${from}_${n} rename to ${t}${to}_${n}`);
  }
  return out;
}

function tablesOf(dialect: Dialect): string[] {
  return dialect === 'sqlite' ? ['search_fts', 'search_pages_fts', ...SWAPPED_TABLES] : ['search_match', ...SWAPPED_TABLES];
}
