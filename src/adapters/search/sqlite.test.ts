/**
 * The SQLite index's own pieces: matches handed over as one text (`parseIdList`), checked
 * against the rows FTS5 gives one by one.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { treeEnv, type TreeEnv } from '../../../test/factories.js';
import { dialectAvailable } from '../../../test/dialects.js';
import { deriveFields } from '../../domain/catalog/derive.js';
import { compileQuery } from '../../domain/search/compile.js';
import { buildSearchDoc } from '../../domain/search/document.js';
import { parseQuery } from '../../domain/search/query.js';
import { fts5Query, parseIdList } from './sqlite.js';

describe('parseIdList', () => {
  it('reads group_concat’s text of ids, and none from null or empty', () => {
    expect([...parseIdList(null)]).toEqual([]);
    expect([...parseIdList('')]).toEqual([]);
    expect([...parseIdList('7')]).toEqual([7]);
    expect([...parseIdList('3,17,250,4294967295')]).toEqual([3, 17, 250, 4294967295]);
    expect([...parseIdList('10,0,100')]).toEqual([10, 0, 100]);
  });
});

describe.skipIf(!dialectAvailable('sqlite'))('SqliteSearchIndex.match', () => {
  let x: TreeEnv;
  beforeAll(async () => {
    x = await treeEnv('sqlite');
    const titles = ['Lịch sử Việt Nam', 'Văn học Việt Nam', 'Địa chí Kiên Giang', 'Lịch sử Kiên Giang'];
    const docs = Array.from({ length: 1200 }, (_, i) =>
      buildSearchDoc({
        id: 10 + i * 7,
        derived: deriveFields({ leader: '00000nam a2200000 i 4500', fields: [{ tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: `${titles[i % 4]} tập ${i}` }] }] }),
        createdAt: '2025-01-01T00:00:00.000Z',
        items: [],
      }),
    );
    await x.c.store.transaction(async (tx) => tx.search.write(docs, []));
  });
  afterAll(async () => {
    await x?.env.dispose();
  });

  it('gives every match in rowid order, as FTS5 gives them row by row, and the newest ones under a limit', async () => {
    for (const q of ['lich su', '"viet nam"', 'kien giang -lich', 'tap', 'khong co dau', '"tap 1199"']) {
      const e = compileQuery(parseQuery(q).node).expr!;
      const rows = await sql<{ id: number }>`select rowid as id from search_fts where search_fts match ${fts5Query(e, true, true)} order by rowid`.execute(x.c.handle.db);
      const want = rows.rows.map((r) => Number(r.id));
      expect([q, [...(await x.c.store.search.match(e))]]).toEqual([q, want]);
      expect([q, [...(await x.c.store.search.match(e, { limit: 5 }))]]).toEqual([q, want.slice(-5).reverse()]);
    }
    expect((await x.c.store.search.match(compileQuery(parseQuery('tap').node).expr!)).length).toBe(1200);
  });
});
