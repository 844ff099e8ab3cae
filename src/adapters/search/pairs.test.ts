/**
 * Phrases asked as adjacent pairs (`pairs.ts` on SQLite, pair lexemes in `postgres.ts`): the pairs
 * written, and the same answers as word-by-word phrases on the same index, for every kind of
 * expression a query compiles to, on both databases.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { treeEnv, type TreeEnv } from '../../../test/factories.js';
import { describeEachDialect, dialectAvailable, tempDatabase } from '../../../test/dialects.js';
import { Migrator } from 'kysely';
import { migrate, openDatabase } from '../db/database.js';
import { migrationProvider } from '../db/migrations/index.js';
import type { MarcRecord } from '../../codecs/marc/record.js';
import { deriveFields } from '../../domain/catalog/derive.js';
import { compileQuery, type MatchExpr } from '../../domain/search/compile.js';
import { buildSearchDoc, SEARCH_COLUMNS, type SearchDoc } from '../../domain/search/document.js';
import { parseQuery } from '../../domain/search/query.js';
import { systemActor } from '../../app/actor.js';
import { isWhole, pairedColumn, phrasePairs, withPairs } from './pairs.js';
import { fts5Query, SqliteSearchIndex } from './sqlite.js';
import { PostgresSearchIndex, tsQuery, tsvectorOf } from './postgres.js';

describe('adjacent pairs', () => {
  it('follow a column’s words, one for each neighbouring two', () => {
    expect(withPairs('van hoc viet nam')).toBe('van hoc viet nam van_hoc hoc_viet viet_nam');
    expect(withPairs('ha noi ha noi')).toBe('ha noi ha noi ha_noi noi_ha ha_noi');
    expect(withPairs('sach')).toBe('sach');
    expect(withPairs('')).toBe('');
  });

  it('leave a gap beside a token FTS5 would split, so no two pairs meet across it', () => {
    // Devanagari keeps its vowel signs (marks) when folded; FTS5 splits the word at them.
    const odd = 'हिन्दी';
    expect(isWhole(odd)).toBe(false);
    expect(withPairs(`a ${odd} b c`)).toBe(`a ${odd} b c _ _ b_c`);
    expect(isWhole('tiếng')).toBe(true);
    expect(isWhole('2024')).toBe(true);
  });

  it('are not written for the codes column, and a phrase is asked by pairs only where they all are', () => {
    expect(pairedColumn('meta', 'all y2020 u3')).toBe('all y2020 u3');
    expect(pairedColumn('title_x', 'lịch sử')).toBe('lịch sử');
    expect(phrasePairs(['lich', 'su'], ['title_x'])).toBeNull();
    expect(pairedColumn('title', 'a b')).toBe('a b a_b');
    expect(phrasePairs(['lich', 'su', 'viet', 'nam'], ['title', 'author'])).toEqual(['lich_su', 'su_viet', 'viet_nam']);
    expect(phrasePairs(['lich'], ['title'])).toBeNull();
    expect(phrasePairs(['a', 'b'], ['meta'])).toBeNull();
    expect(phrasePairs(['a', 'हिन्दी'], ['title'])).toBeNull();
  });

  it('turn a phrase into a phrase of pairs in the FTS5 query, and nothing else', () => {
    const e = compileQuery(parseQuery('title:"lich su viet nam" -"van hoc" kien*').node).expr!;
    const words = fts5Query(e);
    const pairs = fts5Query(e, true, true);
    expect(words).toContain('title : "lich su viet nam"');
    expect(pairs).toContain('title : "lich_su su_viet viet_nam"');
    expect(pairs).toContain('"van_hoc"');
    expect(pairs).toContain('"kien"*');
    // The page index has one column and no pairs.
    expect(fts5Query(e, false, true)).toBe(fts5Query(e, false));
  });
});

const sys = systemActor('test');
/** `search_fts` as migration 003 made it before pairs. */
const OLD_FTS = `create virtual table search_fts using fts5(${SEARCH_COLUMNS.join(', ')}, content='', contentless_delete=1, detail=full, tokenize='unicode61 remove_diacritics 0')`;

const SYLLABLES = ['văn', 'học', 'việt', 'nam', 'lịch', 'sử', 'hà', 'nội', 'x\u0303y', 'kiên', 'giang', '2020', 'हिन्दी'];

/** A small random generator (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function marc(title: string, author: string, note: string): MarcRecord {
  return {
    leader: '00000nam a2200000 i 4500',
    fields: [
      { tag: '008', value: '250101s2020    vm            000 0 vie d' },
      { tag: '100', ind1: '1', ind2: ' ', subfields: [{ code: 'a', value: author }] },
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: title }] },
      { tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: note }] },
    ],
  };
}

const sorted = (a: Uint32Array) => [...a].sort((x, y) => x - y);

describe('pair lexemes on PostgreSQL', () => {
  const empty = Object.fromEntries(SEARCH_COLUMNS.map((c) => [c, ''])) as SearchDoc['columns'];
  const lexemes = (columns: Partial<SearchDoc['columns']>) => tsvectorOf({ ...empty, ...columns }).split(' ');

  it('stand at their first word’s position, bare and with their column', () => {
    const v = lexemes({ title: 'van hoc viet nam' });
    expect(v).toContain("'van+hoc':1");
    expect(v).toContain("'ti_van+hoc':1");
    expect(v).toContain("'viet+nam':3");
    expect(v).toContain("'ti_viet+nam':3");
    expect(v.filter((l) => l.includes('+'))).toHaveLength(6);
  });

  it('are not written for the codes column nor the exact spellings', () => {
    expect(lexemes({ meta: 'all y2020', title_x: 'lichj suwr' }).filter((l) => l.includes('+'))).toEqual([]);
  });

  it('turn a phrase into a phrase of pairs in the tsquery, and nothing else', () => {
    const e = compileQuery(parseQuery('title:"lich su viet nam" -"van hoc" kien*').node).expr!;
    const pairs = tsQuery(e, false, true);
    expect(tsQuery(e)).toContain("'ti_lich' <-> 'ti_su' <-> 'ti_viet' <-> 'ti_nam'");
    expect(pairs).toContain("'ti_lich+su' <-> 'ti_su+viet' <-> 'ti_viet+nam'");
    // A phrase of two words is a single lexeme.
    expect(pairs).toContain("!('van+hoc')");
    expect(pairs).toContain("'kien':*");
    // The page index has no pairs.
    expect(tsQuery(e, true, true)).toBe(tsQuery(e, true));
  });
});

describeEachDialect('phrases by pairs', (dialect) => {
  let x: TreeEnv;
  let paired: SqliteSearchIndex | PostgresSearchIndex;
  let wordwise: SqliteSearchIndex | PostgresSearchIndex;
  const byPairs = (e: MatchExpr) => (dialect === 'sqlite' ? fts5Query(e, true, true).includes('_') : tsQuery(e, false, true).includes('+'));
  const docs: SearchDoc[] = [];
  const rnd = random(7);
  const words = (n: number) => Array.from({ length: n }, () => SYLLABLES[Math.floor(rnd() * SYLLABLES.length)]!).join(' ');

  beforeAll(async () => {
    x = await treeEnv(dialect);
    for (let i = 0; i < 400; i++) {
      const m = marc(words(2 + Math.floor(rnd() * 8)), words(2 + Math.floor(rnd() * 2)), words(Math.floor(rnd() * 10)));
      docs.push(buildSearchDoc({ id: 100 + i, derived: deriveFields(m), createdAt: '2025-01-01T00:00:00.000Z', items: [] }));
    }
    await x.c.store.transaction(async (tx) => tx.search.write(docs, []));
    if (dialect === 'sqlite') {
      const reader = () => x.c.handle.reader ?? x.c.handle.sqlite!;
      paired = new SqliteSearchIndex(x.c.handle.db, reader);
      wordwise = new SqliteSearchIndex(x.c.handle.db, reader, { pairs: false });
    } else {
      paired = new PostgresSearchIndex(x.c.handle.db);
      wordwise = new PostgresSearchIndex(x.c.handle.db, { pairs: false });
    }
  });
  afterAll(async () => {
    await x?.env.dispose();
  });

  /** Every phrase of 2–4 words that stands in some record, some that do not, and mixtures. */
  function queries(): string[] {
    const out = new Set<string>();
    for (const d of docs.slice(0, 25)) {
      for (const col of ['title', 'author', 'other'] as const) {
        const t = d.columns[col].split(' ').filter(Boolean);
        for (let n = 2; n <= 4; n++) for (let i = 0; i + n <= t.length; i++) out.add(`"${t.slice(i, i + n).join(' ')}"`);
      }
    }
    for (let i = 0; i < 60; i++) out.add(`"${words(2 + (i % 3))}"`);
    for (let i = 0; i < 40; i++) {
      out.add(`title:"${words(2)}" ${words(1)}`);
      out.add(`"${words(2)}" OR author:"${words(2)}"`);
      out.add(`${words(1)} -"${words(2)}"`);
      out.add(`"${words(3)}" -(${words(1)} OR "${words(2)}")`);
      out.add(words(2)); // unquoted syllables of one word: a phrase too
    }
    return [...out];
  }

  it('find exactly the records word-by-word phrases find, with and without a limit and among given records', async () => {
    const list = queries();
    let viaPairs = 0;
    let nonEmpty = 0;
    const among = docs.filter((_, i) => i % 3 === 0).map((d) => d.id);
    for (const q of list) {
      const e: MatchExpr = compileQuery(parseQuery(q).node).expr!;
      if (byPairs(e)) viaPairs++;
      const want = sorted(await wordwise.match(e));
      expect([q, sorted(await paired.match(e))]).toEqual([q, want]);
      if (want.length > 0) nonEmpty++;
      expect([q, [...(await paired.match(e, { limit: 5 }))]]).toEqual([q, [...(await wordwise.match(e, { limit: 5 }))]]);
      expect([q, sorted(await paired.matchAmong(e, among))]).toEqual([q, sorted(await wordwise.matchAmong(e, among))]);
    }
    // The comparison means something: most queries went by pairs, and many found records.
    expect(viaPairs).toBeGreaterThan(list.length * 0.6);
    expect(nonEmpty).toBeGreaterThan(list.length * 0.3);
  });

  it('a phrase does not match across a token FTS5 splits, nor across two values of a column', async () => {
    const odd = buildSearchDoc({ id: 9001, derived: deriveFields(marc('sông hồng हिन्दी hồng hà', 'Lê Văn', 'ghi chú')), createdAt: '2025-01-01T00:00:00.000Z', items: [] });
    await x.c.store.transaction(async (tx) => tx.search.write([odd], []));
    const e = (q: string) => compileQuery(parseQuery(q).node).expr!;
    for (const q of ['"song hong ha"', '"song hong"', '"hong हिन्दी hong"', '"हिन्दी hong"', '"hong hong"']) {
      expect([q, sorted(await paired.match(e(q))).includes(9001)]).toEqual([q, sorted(await wordwise.match(e(q))).includes(9001)]);
    }
    // Without the gaps `song_hong` and `hong_ha` would stand side by side.
    expect(sorted(await paired.match(e('"song hong ha"')))).not.toContain(9001);
    expect(sorted(await paired.match(e('"hong ha"')))).toContain(9001);
    expect(sorted(await paired.match(e('"le van"')))).toContain(9001);
  });
});

describe.skipIf(!dialectAvailable('sqlite'))('a catalogue indexed before pairs', () => {
  let x: TreeEnv;
  beforeAll(async () => {
    x = await treeEnv('sqlite');
  });
  afterAll(async () => {
    await x?.env.dispose();
  });

  const termsWithJoin = async () => {
    await sql`create virtual table if not exists temp.fts_terms using fts5vocab(main, search_fts, 'row')`.execute(x.c.handle.db);
    const r = await sql<{ n: number }>`select count(*) as n from temp.fts_terms where term like '%\\_%' escape '\\'`.execute(x.c.handle.db);
    return Number(r.rows[0]!.n);
  };

  it('keeps answering phrases word by word, then by pairs once a reindex has built them', async () => {
    // As migration 009 leaves a database that already held documents: the old table, flag 0.
    await sql`drop table search_fts`.execute(x.c.handle.db);
    await sql.raw(OLD_FTS).execute(x.c.handle.db);
    await sql`update search_state set value = 0 where key = 'pairs'`.execute(x.c.handle.db);

    const titles = ['Lịch sử Việt Nam', 'Việt Nam lịch sử', 'Văn học Việt Nam hiện đại', 'Nam Bộ: lịch sử khẩn hoang'];
    for (const title of titles) await x.c.services.catalog.create(sys, { marc: marc(title, 'Trần Văn Giàu', ''), unitId: x.t.prov.id });
    expect(await termsWithJoin()).toBe(0);

    const found = async (q: string) => (await x.c.services.search.search({ q, pageSize: 50 })).results.map((r) => r.title.map((part) => part.text).join('')).sort();
    const before = { a: await found('"lich su viet nam"'), b: await found('"viet nam"'), c: await found('"nam lich"') };
    expect(before.a).toEqual(['Lịch sử Việt Nam']);
    expect(before.b).toHaveLength(3);

    await x.c.services.reindex.rebuild();
    const flag = await sql<{ value: number }>`select value from search_state where key = 'pairs'`.execute(x.c.handle.db);
    expect(Number(flag.rows[0]!.value)).toBe(1);
    expect(await termsWithJoin()).toBeGreaterThan(0);
    // (The reindex moved the index's generation: nothing cached from before answers.)
    expect({ a: await found('"lich su viet nam"'), b: await found('"viet nam"'), c: await found('"nam lich"') }).toEqual(before);

    // Records written from now on carry their pairs too.
    await x.c.services.catalog.create(sys, { marc: marc('Hò khoan Lệ Thủy', 'Nguyễn Văn', ''), unitId: x.t.prov.id });
    const r = await sql<{ n: number }>`select count(*) as n from temp.fts_terms where term = 'khoan_le'`.execute(x.c.handle.db);
    expect(Number(r.rows[0]!.n)).toBe(1);
  });
});

describe.skipIf(!dialectAvailable('sqlite'))('migration 009 (phrase pairs)', () => {
  /** Migrates a new database up to 008, lets `between` write, then migrates to the end. */
  async function upgrade(between: (db: ReturnType<typeof openDatabase>['db']) => Promise<void>) {
    const temp = await tempDatabase('sqlite', { empty: true });
    const handle = openDatabase({ url: temp.url, poolSize: 1 });
    try {
      const to8 = await new Migrator({ db: handle.db, provider: migrationProvider('sqlite') }).migrateTo('008-interop');
      expect(to8.error).toBeUndefined();
      await between(handle.db);
      await migrate(handle);
      const flag = await sql<{ value: number }>`select value from search_state where key = 'pairs'`.execute(handle.db);
      const table = await sql<{ sql: string }>`select sql from sqlite_master where name = 'search_fts'`.execute(handle.db);
      const docs = await sql<{ n: number }>`select count(*) as n from search_docs`.execute(handle.db);
      return { flag: Number(flag.rows[0]!.value), tokenchars: table.rows[0]!.sql.includes('tokenchars'), docs: Number(docs.rows[0]!.n) };
    } finally {
      await handle.close();
      await temp.drop();
    }
  }

  it('makes an empty index anew with pairs, and flags it', async () => {
    expect(await upgrade(async () => {})).toEqual({ flag: 1, tokenchars: true, docs: 0 });
  });

  it('keeps an index that holds documents as it is, flagged for a reindex', async () => {
    const kept = await upgrade(async (db) => {
      // The table as migration 003 made it before pairs.
      await sql`drop table search_fts`.execute(db);
      await sql.raw(OLD_FTS).execute(db);
      await sql`insert into search_docs (id, seq, alive) values (1, 1, 1)`.execute(db);
      await sql`insert into search_fts (rowid, title) values (1, 'lich su')`.execute(db);
    });
    expect(kept).toEqual({ flag: 0, tokenchars: false, docs: 1 });
  });
});

describe.skipIf(!dialectAvailable('postgres'))('a PostgreSQL catalogue indexed before pairs', () => {
  let x: TreeEnv;
  beforeAll(async () => {
    x = await treeEnv('postgres');
  });
  afterAll(async () => {
    await x?.env.dispose();
  });

  const pairLexemes = async () => {
    const r = await sql<{ n: string }>`select count(*) as n from search_match, unnest(tsvector_to_array(tsv)) as l where l like '%+%'`.execute(x.c.handle.db);
    return Number(r.rows[0]!.n);
  };

  it('keeps answering phrases word by word, then by pairs once a reindex has written them', async () => {
    const titles = ['Lịch sử Việt Nam', 'Việt Nam lịch sử', 'Văn học Việt Nam hiện đại', 'Nam Bộ: lịch sử khẩn hoang'];
    for (const title of titles) await x.c.services.catalog.create(sys, { marc: marc(title, 'Trần Văn Giàu', ''), unitId: x.t.prov.id });
    // As migration 010 leaves a database whose documents were written before pairs: none in any
    // `tsv`, flag 0 (no search has run yet, so nothing has seen the flag of the new database).
    await sql`update search_match set tsv = ts_delete(tsv, array(select l from unnest(tsvector_to_array(tsv)) as l where l like '%+%'))`.execute(x.c.handle.db);
    await sql`update search_state set value = 0 where key = 'pairs'`.execute(x.c.handle.db);
    expect(await pairLexemes()).toBe(0);
    const c = x.c;

    const found = async (q: string) => (await c.services.search.search({ q, pageSize: 50 })).results.map((r) => r.title.map((part) => part.text).join('')).sort();
    const before = { a: await found('"lich su viet nam"'), b: await found('"viet nam"'), c: await found('"nam lich"') };
    expect(before.a).toEqual(['Lịch sử Việt Nam']);
    expect(before.b).toHaveLength(3);
    expect(before.c).toEqual(['Việt Nam lịch sử']);

    await c.services.reindex.rebuild();
    const flag = await sql<{ value: string }>`select value from search_state where key = 'pairs'`.execute(x.c.handle.db);
    expect(Number(flag.rows[0]!.value)).toBe(1);
    expect(await pairLexemes()).toBeGreaterThan(0);
    expect({ a: await found('"lich su viet nam"'), b: await found('"viet nam"'), c: await found('"nam lich"') }).toEqual(before);
  });
});

describe.skipIf(!dialectAvailable('postgres'))('migration 010 (phrase pairs on PostgreSQL)', () => {
  /** Migrates a new database up to 009, lets `between` write, then migrates to the end; the flag it leaves. */
  async function upgrade(between: (db: ReturnType<typeof openDatabase>['db']) => Promise<void>): Promise<number> {
    const temp = await tempDatabase('postgres', { empty: true });
    const handle = openDatabase({ url: temp.url, poolSize: 1 });
    try {
      const to9 = await new Migrator({ db: handle.db, provider: migrationProvider('postgres') }).migrateTo('009-phrase-pairs');
      expect(to9.error).toBeUndefined();
      await between(handle.db);
      await migrate(handle);
      const flag = await sql<{ value: string }>`select value from search_state where key = 'pairs'`.execute(handle.db);
      return Number(flag.rows[0]!.value);
    } finally {
      await handle.close();
      await temp.drop();
    }
  }

  it('flags an empty index at once, and one that holds documents for a reindex', async () => {
    expect(await upgrade(async () => {})).toBe(1);
    expect(await upgrade(async (db) => void (await sql`insert into search_docs (id, seq, alive) values (1, 1, 1)`.execute(db)))).toBe(0);
  });
});
