/**
 * PostgreSQL's engine table `search_match` (schema.ts, migration 011): the `tsvector` of each
 * document apart from `search_docs`, out of line, read through the GIN index; and the upgrade of a
 * database whose `search_docs` still holds them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Migrator, sql } from 'kysely';
import { treeEnv, type TreeEnv } from '../../../test/factories.js';
import { dialectAvailable, tempDatabase } from '../../../test/dialects.js';
import { migrate, openDatabase } from '../db/database.js';
import { migrationProvider } from '../db/migrations/index.js';
import { systemActor } from '../../app/actor.js';
import type { MarcRecord } from '../../codecs/marc/record.js';

const sys = systemActor('test');

function book(title: string, note = ''): MarcRecord {
  return {
    leader: '00000nam a2200000 i 4500',
    fields: [
      { tag: '008', value: '250101s2020    vm            000 0 vie d' },
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: title }] },
      ...(note ? [{ tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: note }] }] : []),
    ],
  };
}

/** A note of `n` different words: a `tsvector` of several kilobytes. */
const longNote = (n: number) => Array.from({ length: n }, (_, i) => `từ${i}`).join(' ');

type Db = ReturnType<typeof openDatabase>['db'];

/** How the live `search_match` is kept: its tuple target, the storage of `tsv`, its GIN index. */
async function shape(db: Db) {
  const storage = await sql<{ s: string }>`select attstorage as s from pg_attribute where attrelid = 'search_match'::regclass and attname = 'tsv'`.execute(db);
  const gin = await sql<{ n: string }>`select count(*) as n from pg_indexes where tablename = 'search_match' and indexdef like '%USING gin (tsv)%'`.execute(db);
  const docsTsv = await sql<{ n: string }>`select count(*) as n from information_schema.columns where table_name = 'search_docs' and column_name = 'tsv'`.execute(db);
  const opts = await sql<{ o: string[] | null }>`select reloptions as o from pg_class where relname = 'search_match'`.execute(db);
  return { options: opts.rows[0]?.o ?? [], storage: storage.rows[0]?.s, gin: Number(gin.rows[0]!.n), docsTsv: Number(docsTsv.rows[0]!.n) };
}

const KEPT = { options: ['toast_tuple_target=128'], storage: 'e', gin: 1, docsTsv: 0 };

describe.skipIf(!dialectAvailable('postgres'))('search_match on PostgreSQL', () => {
  let x: TreeEnv;
  beforeAll(async () => {
    x = await treeEnv('postgres');
  });
  afterAll(async () => {
    await x?.env.dispose();
  });

  const titles = async (q: string) => (await x.c.services.search.search({ q, pageSize: 50 })).results.map((r) => r.display.title).sort();

  it('holds one row per live document, a long tsvector out of line, and keeps that shape through a reindex', async () => {
    expect(await shape(x.c.handle.db)).toEqual(KEPT);
    const { record: a } = await x.c.services.catalog.create(sys, { marc: book('Lịch sử Việt Nam'), unitId: x.t.prov.id });
    const { record: b } = await x.c.services.catalog.create(sys, { marc: book('Địa chí Kiên Giang', longNote(400)), unitId: x.t.prov.id });
    const rows = async () => Number((await sql<{ n: string }>`select count(*) as n from search_match`.execute(x.c.handle.db)).rows[0]!.n);
    expect(await rows()).toBe(2);
    // The long one went out of line (one value in the TOAST table); a short one stays in the row,
    // uncompressed (PostgreSQL toasts only rows over about 2 KB).
    const toast = (await sql<{ t: string }>`select reltoastrelid::regclass::text as t from pg_class where relname = 'search_match'`.execute(x.c.handle.db)).rows[0]!.t;
    const outOfLine = await sql<{ n: string }>`select count(distinct chunk_id) as n from ${sql.raw(toast)}`.execute(x.c.handle.db);
    expect(Number(outOfLine.rows[0]!.n)).toBe(1);
    expect(b.id).not.toBe(a.id);
    expect(await titles('lich su')).toEqual(['Lịch sử Việt Nam']);
    expect(await titles('tu399')).toEqual(['Địa chí Kiên Giang']);

    await x.c.services.catalog.delete(sys, a.id);
    expect(await rows()).toBe(1);
    expect(await titles('lich su')).toEqual([]);

    await x.c.services.reindex.rebuild();
    expect(await shape(x.c.handle.db)).toEqual(KEPT);
    expect(await rows()).toBe(1);
    expect(await titles('kien giang')).toEqual(['Địa chí Kiên Giang']);
  });

  it('answers a word in nearly every document through the index, as it answers a rare one', async () => {
    for (let i = 0; i < 30; i++) await x.c.services.catalog.create(sys, { marc: book(`Sách số ${i} về Kiên Giang`), unitId: x.t.prov.id });
    await sql`analyze search_match`.execute(x.c.handle.db);
    const ids = await sql<{ ids: string }>`select search_match_ids('giang'::tsquery) as ids`.execute(x.c.handle.db);
    const plain = await sql<{ id: number }>`select id from search_match where tsv @@ 'giang'::tsquery order by id`.execute(x.c.handle.db);
    expect(ids.rows[0]!.ids.split(',').map(Number).sort((p, q) => p - q)).toEqual(plain.rows.map((r) => r.id));
    const newest = await sql<{ id: number }>`select id from search_match_newest('giang'::tsquery, 5) as id`.execute(x.c.handle.db);
    expect(newest.rows.map((r) => r.id)).toEqual(plain.rows.map((r) => r.id).reverse().slice(0, 5));
  });
});

describe.skipIf(!dialectAvailable('postgres'))('migration 011 (search_match)', () => {
  it('moves the tsvectors of a database that kept them in search_docs, and drops the column', async () => {
    const temp = await tempDatabase('postgres', { empty: true });
    const handle = openDatabase({ url: temp.url, poolSize: 1 });
    try {
      const to10 = await new Migrator({ db: handle.db, provider: migrationProvider('postgres') }).migrateTo('010-phrase-pairs-postgres');
      expect(to10.error).toBeUndefined();
      // search_docs as it was before: with its tsv column and GIN index, and no search_match.
      await sql`drop table search_match`.execute(handle.db);
      await sql`alter table search_docs add column tsv tsvector`.execute(handle.db);
      await sql`create index search_docs_tsv on search_docs using gin (tsv)`.execute(handle.db);
      await sql`insert into search_docs (id, seq, alive, tsv) values (1, 1, 1, 'lich:1 su:2'), (2, 2, 1, 'dia:1 chi:2'), (3, 3, 0, null)`.execute(handle.db);
      await migrate(handle);
      expect(await shape(handle.db)).toEqual(KEPT);
      const moved = await sql<{ id: number; tsv: string }>`select id, tsv::text as tsv from search_match order by id`.execute(handle.db);
      expect(moved.rows).toEqual([
        { id: 1, tsv: "'lich':1 'su':2" },
        { id: 2, tsv: "'chi':2 'dia':1" },
      ]);
      const found = await sql<{ ids: string }>`select search_match_ids('lich <-> su'::tsquery) as ids`.execute(handle.db);
      expect(found.rows[0]!.ids).toBe('1');
    } finally {
      await handle.close();
      await temp.drop();
    }
  });
});

describe.skipIf(!dialectAvailable('postgres'))('migrations 012 and 013 (the title and change-number indexes with the id)', () => {
  it('replace indexes on title_key or seq alone, whatever their names, and leave a new database as it is', async () => {
    const temp = await tempDatabase('postgres', { empty: true });
    const handle = openDatabase({ url: temp.url, poolSize: 1 });
    const defs = async () =>
      (await sql<{ d: string }>`select indexdef as d from pg_indexes where tablename = 'search_docs' and (indexdef like '%title_key%' or indexdef like '%(seq%')`.execute(handle.db)).rows.map((r) => r.d.replace(/^.* USING btree /, '')).sort();
    try {
      const to11 = await new Migrator({ db: handle.db, provider: migrationProvider('postgres') }).migrateTo('011-match-table');
      expect(to11.error).toBeUndefined();
      expect(await defs()).toEqual(['(seq, id)', '(title_key, id)']);
      // As a reindex of an earlier version left them: on the column alone, under tagged names.
      await sql`drop index search_docs_title_key`.execute(handle.db);
      await sql`drop index search_docs_seq`.execute(handle.db);
      await sql`create index search_docs_new_title_key_rtag on search_docs (title_key)`.execute(handle.db);
      await sql`create index search_docs_new_seq_rtag on search_docs (seq)`.execute(handle.db);
      await migrate(handle);
      expect(await defs()).toEqual(['(seq, id)', '(title_key, id)']);
    } finally {
      await handle.close();
      await temp.drop();
    }
  });
});
