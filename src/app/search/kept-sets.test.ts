/**
 * What the search service keeps between searches besides whole answers: the word sets
 * (`LeafCache`: by cost and by bytes, dense as bitsets and sparse as ids, and the newest matches
 * inside a result set that ranking takes its candidates from) and the rows ranking reads
 * (`RankCache`). Both on real databases, and both must follow every change.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/dialects.js';
import { treeEnv, type TreeEnv } from '../../../test/factories.js';
import type { MarcRecord } from '../../codecs/marc/record.js';
import { compileQuery } from '../../domain/search/compile.js';
import { parseQuery } from '../../domain/search/query.js';
import { systemActor } from '../actor.js';
import { LeafCache } from './evaluate.js';
import { FacetStore } from './facet-store.js';
import { RankCache } from './rank-cache.js';
import { SearchService } from './search.service.js';
import { buildSearchDoc, type DocFacets } from '../../domain/search/document.js';
import { deriveFields } from '../../domain/catalog/derive.js';
import { sql } from 'kysely';

const sys = systemActor('test');

function marc(title: string): MarcRecord {
  return {
    leader: '00000nam a2200000 i 4500',
    fields: [
      { tag: '008', value: '250101s2020    vm            000 0 vie d' },
      { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: title }] },
    ],
  };
}

const expr = (q: string) => compileQuery(parseQuery(q).node).expr!;

describeEachDialect('kept word sets and ranking rows', (dialect) => {
  let x: TreeEnv;
  const ids = new Map<string, number>();

  beforeAll(async () => {
    x = await treeEnv(dialect);
    // Eight records with `xôi`; three of them also `gấc` in the title, one `gấc` only as author.
    const titles = ['Xôi gấc ngày Tết', 'Xôi lá cẩm', 'Xôi gấc miền Bắc', 'Xôi vò', 'Xôi xéo Hà Nội', 'Xôi gấc và bánh chưng', 'Xôi ngũ sắc', 'Xôi chiên phồng'];
    for (const t of titles) ids.set(t, (await x.c.services.catalog.create(sys, { marc: marc(t), unitId: x.t.prov.id })).record.id);
    const byGac: MarcRecord = marc('Xôi nếp cẩm');
    byGac.fields.push({ tag: '100', ind1: '0', ind2: ' ', subfields: [{ code: 'a', value: 'Gấc Văn Xôi' }] });
    ids.set('author', (await x.c.services.catalog.create(sys, { marc: byGac, unitId: x.t.prov.id })).record.id);
  });
  afterAll(async () => {
    await x?.env.dispose();
  });

  const store = async () => {
    const s = new FacetStore();
    await s.sync(x.c.store.search);
    return s;
  };

  it('keeps a set the engine took long for, however small, and not a cheap one', async () => {
    const s = await store();
    const index = x.c.store.search;
    const never = new LeafCache({ minSize: 1e9, minCostMs: Infinity });
    const always = new LeafCache({ minSize: 1e9, minCostMs: 0 });
    for (const cache of [never, always]) for (let i = 0; i < 2; i++) expect((await cache.evaluate(expr('xoi vo'), index, s)).length).toBe(1);
    expect([never.hits, never.size]).toEqual([0, 0]);
    // Two leaves (xoi, vo), each asked once and then found.
    expect([always.misses, always.hits, always.size]).toEqual([2, 2, 2]);
  });

  it('stays within its byte bound, dropping the least recently used set first', async () => {
    const s = await store();
    const index = x.c.store.search;
    const probe = new LeafCache({ minSize: 1 });
    await probe.evaluate(expr('xoi'), index, s);
    const one = probe.bytes;
    expect(one).toBeGreaterThan(0);
    // Room for two sets of this catalogue's size (each small set is smaller than one of `xoi`).
    const cache = new LeafCache({ minSize: 1, maxBytes: 2 * one });
    await cache.evaluate(expr('gac'), index, s);
    await cache.evaluate(expr('cam'), index, s);
    await cache.evaluate(expr('gac'), index, s); // gac used again: cam is now the oldest
    await cache.evaluate(expr('vo'), index, s);
    expect(cache.bytes).toBeLessThanOrEqual(2 * one);
    const misses = cache.misses;
    await cache.evaluate(expr('gac'), index, s);
    expect(cache.misses).toBe(misses);
    await cache.evaluate(expr('cam'), index, s);
    expect(cache.misses).toBe(misses + 1);
  });

  it('finds the newest hits matching a narrower query, from sparse and from dense sets', async () => {
    const s = await store();
    const index = x.c.store.search;
    const cache = new LeafCache({ minSize: 1 });
    const hits = await cache.evaluate(expr('xoi'), index, s);
    expect(hits.length).toBe(9);
    const gacInTitle = { op: 'tok' as const, cols: ['title' as const], token: 'gac', prefix: false };
    const titled = ['Xôi gấc và bánh chưng', 'Xôi gấc miền Bắc', 'Xôi gấc ngày Tết'].map((t) => ids.get(t)!);
    expect(await cache.newestAmong(gacInTitle, hits, 2, index, s)).toEqual(titled.slice(0, 2));
    expect(await cache.newestAmong(gacInTitle, hits, 10, index, s)).toEqual(titled);
    // Only among the given ids (in any order), never beyond them.
    const some = Uint32Array.from([ids.get('Xôi gấc ngày Tết')!, ids.get('Xôi vò')!].reverse());
    expect(await cache.newestAmong(gacInTitle, some, 10, index, s)).toEqual([ids.get('Xôi gấc ngày Tết')]);
    // The whole `xoi` set is dense here (a bitset): every hit but the author's record has it in the title.
    const xoiInTitle = { op: 'tok' as const, cols: ['title' as const], token: 'xoi', prefix: false };
    const newest = await cache.newestAmong(xoiInTitle, hits, 100, index, s);
    expect(newest).toHaveLength(9);
    expect(newest).toEqual([...newest].sort((a, b) => b - a));
  });

  it('follows edits and deletions: kept sets and kept ranking rows alike', async () => {
    const s = await store();
    const index = x.c.store.search;
    const cache = new LeafCache({ minSize: 1 });
    const ranks = new RankCache();
    const id = ids.get('Xôi ngũ sắc')!;
    expect((await ranks.rows([id], index, s))[0]!.rank.title).toEqual(['xoi', 'ngu', 'sac']);
    expect([...(await cache.evaluate(expr('ngu sac'), index, s))]).toEqual([id]);

    const current = await x.c.services.catalog.get(id);
    await x.c.services.catalog.update(sys, id, { marc: marc('Xôi bảy màu'), version: current.record.version });
    await s.sync(index);
    expect((await ranks.rows([id], index, s))[0]!.rank.title).toEqual(['xoi', 'bay', 'mau']);
    expect([...(await cache.evaluate(expr('ngu sac'), index, s))]).toEqual([]);
    expect([...(await cache.evaluate(expr('bay mau'), index, s))]).toEqual([id]);
    // The whole-title lookup follows too (it reads no `alive` flag: a removed title is cleared).
    expect(await index.byTitleKey('xoi ngu sac', 10)).toEqual([]);
    expect(await index.byTitleKey('xoi bay mau', 10)).toEqual([id]);

    await x.c.services.catalog.delete(sys, id);
    await s.sync(index);
    expect(await ranks.rows([id], index, s)).toEqual([]);
    expect([...(await cache.evaluate(expr('bay mau'), index, s))]).toEqual([]);
    expect(await index.byTitleKey('xoi bay mau', 10)).toEqual([]);
  });

  it('answers kept ranking rows without reading them again while nothing changed', async () => {
    const s = await store();
    const index = x.c.store.search;
    const ranks = new RankCache();
    const some = [ids.get('Xôi vò')!, ids.get('Xôi lá cẩm')!];
    const first = await ranks.rows(some, index, s);
    expect([ranks.hits, ranks.misses]).toEqual([0, 2]);
    const again = await ranks.rows(some, index, s);
    expect([ranks.hits, ranks.misses]).toEqual([2, 2]);
    expect(new Set(again)).toEqual(new Set(first));
    // Bounded to nothing: every row read each time.
    const none = new RankCache(0);
    await none.rows(some, index, s);
    await none.rows(some, index, s);
    expect([none.hits, none.misses, none.size]).toEqual([0, 4, 0]);
  });
});

describeEachDialect('ranking candidates by word signature', (dialect) => {
  let x: TreeEnv;
  const note = (title: string, extra: MarcRecord['fields'] = []): MarcRecord => ({ ...marc(title), fields: [...marc(title).fields, ...extra] });
  const doc = (id: number, m: MarcRecord) => buildSearchDoc({ id, derived: deriveFields(m), createdAt: '2025-01-01T00:00:00.000Z', items: [] });

  beforeAll(async () => {
    x = await treeEnv(dialect);
    // More hits than are all ranked: the 560 newest have `lúa` only in a note, so only the
    // candidate tiers (the newest hits with the word in the title, spelled so, by the author) can
    // bring the four older records that have it where it counts.
    const docs = [
      doc(11, marc('Lúa gạo Việt Nam')),
      doc(12, marc('Cây lúa')),
      doc(13, note('Ruộng đồng', [{ tag: '100', ind1: '0', ind2: ' ', subfields: [{ code: 'a', value: 'Trần Lúa' }] }])),
      doc(14, marc('Lụa Hà Đông')),
    ];
    for (let i = 0; i < 560; i++) docs.push(doc(5000 + i, note(`Sổ tay nông dân số ${i + 1}`, [{ tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'Có hướng dẫn trồng lúa.' }] }])));
    await x.c.store.transaction(async (tx) => tx.search.write(docs, []));
  });
  afterAll(async () => {
    await x?.env.dispose();
  });

  const top = async (service: SearchService) => (await service.search({ q: 'lúa', pageSize: 5 })).results.map((r) => r.id);

  it('finds the older title and author matches from the signatures, as the engine would', async () => {
    const service = new SearchService(x.c.store.search);
    expect(await top(service)).toEqual([12, 11, 14, 13, 5559]);
    expect(service.tiers.signed).toBeGreaterThan(0);
    expect(service.tiers.engine).toBe(0);
  });

  it('passes a few documents indexed without a signature as holding every word, and asks the engine when they are many', async () => {
    const unsign = async (ids: number[]) => {
      for (const id of ids) {
        const row = await sql<{ facets: string }>`select facets from search_docs where id = ${id}`.execute(x.c.handle.db);
        const { sig, ...older } = JSON.parse(row.rows[0]!.facets) as DocFacets;
        expect(sig).toMatch(/^[0-9a-f]{64}$/u);
        await sql`update search_docs set facets = ${JSON.stringify(older)} where id = ${id}`.execute(x.c.handle.db);
      }
    };
    await unsign([11]);
    const few = new SearchService(x.c.store.search);
    expect(await top(few)).toEqual([12, 11, 14, 13, 5559]);
    expect([few.tiers.signed > 0, few.tiers.engine]).toEqual([true, 0]);
    // More than one in a hundred: the signatures no longer stand for the engine.
    await unsign(Array.from({ length: 10 }, (_, i) => 5000 + i));
    const many = new SearchService(x.c.store.search);
    expect(await top(many)).toEqual([12, 11, 14, 13, 5559]);
    expect([many.tiers.signed, many.tiers.engine > 0]).toEqual([0, true]);
  });
});
