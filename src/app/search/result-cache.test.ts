/**
 * The search answer cache: on its own (keys, versions, the byte bound, shared computations), then
 * inside the search service on both databases (an edit, an item change or a deletion is seen at
 * once, by this process and by another), then through HTTP (page-text snippets stay with the
 * viewers allowed to read them, whoever searched first).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEachDialect } from '../../../test/dialects.js';
import { treeEnv, type TreeEnv } from '../../../test/factories.js';
import { httpEnv, login, type HttpEnv } from '../../../test/http.js';
import { writePage } from '../../../test/digital.js';
import type { MarcRecord } from '../../codecs/marc/record.js';
import type { SearchOutput } from '../../http/api/search.api.js';
import { compileQuery } from '../../domain/search/compile.js';
import { parseQuery } from '../../domain/search/query.js';
import { systemActor } from '../actor.js';
import { ResultCache, estimateBytes } from './result-cache.js';
import { SearchService } from './search.service.js';

const sys = systemActor('test');

describe('ResultCache', () => {
  const counting = () => {
    const calls: string[] = [];
    return { calls, compute: (v: string) => async () => (calls.push(v), v) };
  };

  it('answers a repeated key at the same version without computing again', async () => {
    const cache = new ResultCache<string>();
    const { calls, compute } = counting();
    expect(await cache.get('a', 'v1', compute('A'))).toBe('A');
    expect(await cache.get('a', 'v1', compute('A again'))).toBe('A');
    expect(await cache.get('b', 'v1', compute('B'))).toBe('B');
    expect(calls).toEqual(['A', 'B']);
    expect(cache.stats).toMatchObject({ hits: 1, misses: 2, entries: 2 });
  });

  it('forgets everything when the version moves, and never keeps an answer computed across a move', async () => {
    const cache = new ResultCache<string>();
    const { calls, compute } = counting();
    await cache.get('a', 'v1', compute('old'));
    expect(await cache.get('a', 'v2', compute('new'))).toBe('new');
    expect(cache.stats.entries).toBe(1);
    // Started at v2, finished after a search saw v3: answered, not kept.
    let release!: () => void;
    const slow = cache.get('b', 'v2', () => new Promise<string>((r) => (release = () => r('from v2'))));
    await cache.get('c', 'v3', compute('C'));
    release();
    expect(await slow).toBe('from v2');
    expect(await cache.get('b', 'v3', compute('B at v3'))).toBe('B at v3');
    expect(calls).toEqual(['old', 'new', 'C', 'B at v3']);
  });

  it('shares one computation between concurrent searches, and keeps no failure', async () => {
    const cache = new ResultCache<string>();
    let runs = 0;
    let release!: (v: string) => void;
    const compute = () => {
      runs++;
      return new Promise<string>((r) => (release = r));
    };
    const both = Promise.all([cache.get('k', 'v', compute), cache.get('k', 'v', compute)]);
    release('once');
    expect(await both).toEqual(['once', 'once']);
    expect(runs).toBe(1);

    await expect(cache.get('bad', 'v', () => Promise.reject(new Error('engine down')))).rejects.toThrow('engine down');
    expect(await cache.get('bad', 'v', async () => 'recovered')).toBe('recovered');
  });

  it('stays within its byte bound, dropping the least recently used first', async () => {
    const cache = new ResultCache<string>({ maxBytes: 1600 });
    const size = () => 200;
    for (const k of ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']) await cache.get(k, 'v', async () => k, size);
    await cache.get('a', 'v', async () => 'recomputed', size); // a used again: b is now the oldest
    await cache.get('i', 'v', async () => 'i', size);
    expect(cache.stats).toMatchObject({ entries: 8, bytes: 1600 });
    expect(await cache.get('a', 'v', async () => 'recomputed', size)).toBe('a');
    expect(await cache.get('b', 'v', async () => 'b again', size)).toBe('b again');
    // An answer above an eighth of the bound is answered but not kept.
    expect(await cache.get('huge', 'v', async () => 'huge', () => 201)).toBe('huge');
    expect(await cache.get('huge', 'v', async () => 'computed again', () => 201)).toBe('computed again');
    const off = new ResultCache<string>({ maxBytes: 0 });
    await off.get('a', 'v', async () => 'x');
    expect(off.stats.entries).toBe(0);
  });

  it('estimates the bytes of strings, arrays, objects, maps and typed arrays', () => {
    expect(estimateBytes('abcd')).toBe(24);
    expect(estimateBytes(7)).toBe(8);
    expect(estimateBytes(new Uint32Array(10))).toBe(104);
    const shared = { s: 'x'.repeat(100) };
    const twice = estimateBytes([shared, shared]);
    expect(twice).toBeLessThan(2 * estimateBytes(shared));
    expect(estimateBytes(new Map([['vie', 12]]))).toBeGreaterThan(estimateBytes('vie'));
  });
});

// ---------------------------------------------------------------------------------------------

function marc(title: string, year = 2020): MarcRecord {
  return {
    leader: '00000nam a2200000 i 4500',
    fields: [
      { tag: '008', value: `250101s${year}    vm            000 0 vie d` },
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: title }] },
    ],
  };
}

describeEachDialect('search answers cached in the service', (dialect) => {
  let x: TreeEnv;

  beforeAll(async () => {
    x = await treeEnv(dialect);
  });
  afterAll(async () => {
    await x?.env.dispose();
  });

  it('sees an edit, an item change and a deletion at once, in this process and in another', async () => {
    const { catalog, search } = x.c.services;
    // Another server process on the same database: its own service, facet store and cache.
    const other = new SearchService(x.c.store.search);
    const both = async (q: string) => {
      const [a, b] = [await search.search({ q }), await other.search({ q })];
      expect(b.results).toEqual(a.results);
      expect(b.total).toBe(a.total);
      return a;
    };

    const { record } = await catalog.create(sys, { marc: marc('Cá kho tộ miền Tây'), unitId: x.t.prov.id });
    expect((await both('ca kho to')).results.map((r) => r.id)).toEqual([record.id]);
    const hitsBefore = other.resultCache.stats.hits;
    expect((await other.search({ q: 'ca kho to' })).total).toBe(1);
    expect(other.resultCache.stats.hits).toBe(hitsBefore + 1);

    const item = await catalog.addItem(sys, record.id, { barcode: 'CACHE-1', ownerUnitCode: x.t.communeA1.code, unitId: x.t.communeA1.id });
    const withCopy = await both('ca kho to');
    expect(withCopy.results[0]).toMatchObject({ holdings: 1, available: true });

    await catalog.updateItem(sys, item.id, { barcode: 'CACHE-1', ownerUnitCode: x.t.communeA1.code, status: 'on-loan', version: item.version });
    expect((await both('ca kho to')).results[0]).toMatchObject({ holdings: 1, available: false });

    const current = await catalog.get(record.id);
    await catalog.update(sys, record.id, { marc: marc('Cá lóc nướng trui'), version: current.record.version });
    expect((await both('ca kho to')).total).toBe(0);
    expect((await both('ca loc nuong trui')).results.map((r) => r.id)).toEqual([record.id]);

    await catalog.withdrawItem(sys, item.id);
    await catalog.delete(sys, record.id);
    expect((await both('ca loc nuong trui')).total).toBe(0);
  });

  it('asks the engine about the changed documents only when a kept word set catches up', async () => {
    // After one change a cached word set is fixed with `matchAmong([that id])`; on SQLite that
    // once came back with every match of the word (an overflow at a million records).
    const { catalog } = x.c.services;
    const ids: number[] = [];
    for (const title of ['Cháo lòng Sài Gòn', 'Cháo cá Rạch Giá', 'Bún cá Châu Đốc']) ids.push((await catalog.create(sys, { marc: marc(title), unitId: x.t.prov.id })).record.id);
    const expr = compileQuery(parseQuery('chao').node).expr!;
    expect([...(await x.c.store.search.matchAmong(expr, [ids[1]!]))]).toEqual([ids[1]]);
    expect([...(await x.c.store.search.matchAmong(expr, [ids[2]!]))]).toEqual([]);
    expect([...(await x.c.store.search.matchAmong(expr, ids))].sort((a, b) => a - b)).toEqual([ids[0], ids[1]]);
  });

  it('keeps answers of different requests apart', async () => {
    const { catalog, search } = x.c.services;
    for (const [i, year] of [2001, 2002, 2003].entries()) {
      const { record } = await catalog.create(sys, { marc: marc(`Bánh tét lá cẩm ${i}`, year), unitId: x.t.prov.id });
      await catalog.addItem(sys, record.id, { barcode: `TET-${i}`, ownerUnitCode: x.t.communeB1.code, unitId: x.t.communeB1.id });
    }
    const all = await search.search({ q: 'banh tet', pageSize: 2 });
    const second = await search.search({ q: 'banh tet', pageSize: 2, page: 2 });
    const newest = await search.search({ q: 'banh tet', sort: 'oldest' });
    const filtered = await search.search({ q: 'banh tet', filters: { yearFrom: 2003 } });
    const scoped = await search.search({ q: 'banh tet', heldUnder: x.t.distA.id });
    expect(all.total).toBe(3);
    expect(second.results).toHaveLength(1);
    expect(second.results[0]!.id).not.toBe(all.results[0]!.id);
    expect(newest.results.map((r) => r.display.year)).toEqual([2001, 2002, 2003]);
    expect(filtered.total).toBe(1);
    expect(scoped.total).toBe(0);
    expect((await search.search({ q: 'banh tet', pageSize: 2 })).results).toEqual(all.results);
  });

  it('tells how many libraries have a copy on the shelf, from the index, and from the copies for documents indexed before it kept that', async () => {
    const { catalog } = x.c.services;
    const { record } = await catalog.create(sys, { marc: marc('Chè ba màu Cần Thơ'), unitId: x.t.prov.id });
    for (const [i, u] of [x.t.communeA1, x.t.communeA1, x.t.communeB1].entries()) await catalog.addItem(sys, record.id, { barcode: `CHE-${i}`, ownerUnitCode: u.code, unitId: u.id });
    const stored = async () => JSON.parse((await sql<{ display: string }>`select display from search_docs where id = ${record.id}`.execute(x.c.handle.db)).rows[0]!.display) as Record<string, unknown>;
    expect((await stored()).availableLibraries).toBe(2);
    expect((await new SearchService(x.c.store.search).search({ q: 'che ba mau' })).results[0]).toMatchObject({ id: record.id, available: true, availableLibraries: 2 });
    // A document written before the count was kept in the index.
    const { availableLibraries: _kept, ...older } = await stored();
    await sql`update search_docs set display = ${JSON.stringify(older)} where id = ${record.id}`.execute(x.c.handle.db);
    expect((await stored()).availableLibraries).toBeUndefined();
    expect((await new SearchService(x.c.store.search).search({ q: 'che ba mau' })).results[0]).toMatchObject({ id: record.id, available: true, availableLibraries: 2 });
  });

  it('shares one match between the pages of a search and its spellings in other cases, until the index changes', async () => {
    const { catalog, search } = x.c.services;
    const made: number[] = [];
    for (const [i, year] of [2011, 2012, 2013, 2014, 2015].entries()) {
      made.push((await catalog.create(sys, { marc: marc(`Bánh xèo miền Tây ${i}`, year), unitId: x.t.prov.id })).record.id);
    }
    const whole = await search.search({ q: 'bánh xèo', pageSize: 5 });
    expect(whole.total).toBe(5);
    const misses = search.matchCache.stats.misses;
    const pages = [];
    for (const page of [1, 2, 3]) pages.push(await search.search({ q: 'Bánh Xèo', pageSize: 2, page }));
    // Three new answers (other pages, other letters), one match: the one `whole` made.
    expect(search.matchCache.stats.misses).toBe(misses);
    expect(pages.flatMap((p) => p.results.map((r) => r.id))).toEqual(whole.results.map((r) => r.id));
    expect(pages.map((p) => p.query.text)).toEqual(['Bánh Xèo', 'Bánh Xèo', 'Bánh Xèo']);
    expect(pages.map((p) => p.total)).toEqual([5, 5, 5]);
    expect(pages[2]!.facets).toEqual(whole.facets);
    // Unmarked, the words match more spellings: not the same search, not the same match.
    await search.search({ q: 'banh xeo', pageSize: 2, page: 2 });
    expect(search.matchCache.stats.misses).toBe(misses + 1);
    // A change to the index: page 2 is worked out again and sees it.
    await catalog.delete(sys, made[0]!);
    const after = await search.search({ q: 'Bánh Xèo', pageSize: 2, page: 2 });
    expect(search.matchCache.stats.misses).toBe(misses + 2);
    expect(after.total).toBe(4);
    expect(after.results.map((r) => r.id)).not.toContain(made[0]);
  });
});

// ---------------------------------------------------------------------------------------------

describeEachDialect('cached search answers and who may read page text', (dialect) => {
  let env: HttpEnv;
  let recordId = 0;
  let dir = '';
  const PASSWORD = 'Mật-khẩu-đủ-dài-2025';

  beforeAll(async () => {
    env = await httpEnv(dialect);
    const { catalog, digital, staff } = env.container.services;
    const { record } = await catalog.create(sys, { marc: marc('Luận văn về nghề biển'), unitId: env.tree.prov.id });
    recordId = record.id;
    // A published copy only registered readers may read, with page text in the shared index.
    dir = await mkdtemp(join(tmpdir(), 'lt-result-cache-'));
    const scan = await digital.storeFile(await writePage(dir, 'p4.png', ['Nghề biển']), 'p4.png');
    await digital.createWithFiles(sys, { ownerUnitId: env.tree.prov.id, source: 'test', recordId, dc: { title: 'Luận văn về nghề biển' }, category: 'thesis', licence: 'cc-by', access: 'registered', state: 'published' }, [scan]);
    await env.container.store.transaction(async (tx) => {
      await tx.search.setPages(recordId, [{ pageNo: 4, text: 'Nghề làm nước mắm truyền thống ở Phú Quốc.' }]);
      tx.search.markDirty([recordId]);
    });
    const { user } = await staff.create(sys, { username: 'reader1', displayName: 'Bạn đọc', homeUnitId: env.tree.prov.id, password: PASSWORD });
    expect(user.id).toBeGreaterThan(0);
  });
  afterAll(async () => {
    await env?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const searchAs = async (cookie: string | null): Promise<SearchOutput> => {
    const res = await env.app.inject({ url: `/api/v1/search?q=${encodeURIComponent('nuoc mam phu quoc')}`, headers: cookie ? { cookie } : {} });
    expect(res.statusCode).toBe(200);
    return res.json() as SearchOutput;
  };

  it('shows snippets to a signed-in viewer and hides them from the public, in either order', async () => {
    const { jar } = await login(env.app, 'reader1', PASSWORD);
    for (const order of [
      ['public', 'signed-in'],
      ['signed-in', 'public'],
    ] as const) {
      // A fresh answer each round: the page text is written again (a change the cache must see).
      await env.container.store.transaction(async (tx) => {
        await tx.search.setPages(recordId, [{ pageNo: 4, text: 'Nghề làm nước mắm truyền thống ở Phú Quốc.' }]);
        tx.search.markDirty([recordId]);
      });
      const misses = env.container.services.search.resultCache.stats.misses;
      for (const who of order) {
        const out = await searchAs(who === 'public' ? null : jar.header);
        const hit = out.results.find((r) => r.id === recordId)!;
        expect(hit, who).toBeDefined();
        if (who === 'public') {
          expect(hit.pages).toEqual([]);
          expect(hit.digital?.pagesHidden).toBe(true);
        } else {
          expect(hit.pages.map((p) => p.pageNo)).toEqual([4]);
          expect(hit.pages[0]!.snippet.some((s) => s.hit && s.text === 'mắm')).toBe(true);
          expect(hit.digital?.pagesHidden).toBe(false);
        }
      }
      // The second viewer's search was answered from the first one's.
      expect(env.container.services.search.resultCache.stats.misses).toBe(misses + 1);
    }
  });
});
