/**
 * Browsing on both databases: the A–Z lists read from the index's heading table in Vietnamese
 * order, kept counted as records change (in the committing transaction), the class and collection
 * counts, new arrivals per library, the record ranges sitemaps are cut into, and the migration that
 * gives existing databases their browse keys.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Migrator, sql } from 'kysely';
import { describeEachDialect, tempDatabase, type TestDialect } from '../../../test/dialects.js';
import { treeEnv, type TreeEnv } from '../../../test/factories.js';
import { addBooks, marcOf, type Book } from '../../../test/books.js';
import { systemActor } from '../actor.js';
import { openDatabase } from '../../adapters/db/database.js';
import { migrationProvider } from '../../adapters/db/migrations/index.js';
import { browseKey, letterRange, OTHER } from '../../domain/browse/alphabet.js';
import type { BrowseKind } from '../ports.js';

const sys = systemActor('test');

const BOOKS: Book[] = [
  { title: 'Mảnh đất lắm người nhiều ma', authors: ['Nguyễn Khắc Trường'], subjects: ['Văn học Việt Nam', 'Tiểu thuyết'], year: 1990, ddc: '895.9223', copies: [['PROV', 'Kho mượn']] },
  { title: 'Truyện Kiều', authors: ['Nguyễn Du'], subjects: ['Văn học Việt Nam', 'Thơ'], year: 2015, ddc: '895.9221', copies: [['COMM-A1', 'Thiếu nhi']] },
  { title: 'Đất rừng phương Nam', authors: ['Đoàn Giỏi'], subjects: ['Văn học thiếu nhi', 'Đồng bằng sông Cửu Long'], year: 2019, ddc: '895.9223', copies: [['COMM-A1', 'Thiếu nhi'], ['DIST-B', 'Kho mượn']] },
  { title: 'Dế mèn phiêu lưu ký', authors: ['Tô Hoài'], subjects: ['Văn học thiếu nhi'], year: 2020, ddc: '895.9223', copies: [['DIST-B', 'Thiếu nhi']] },
  { title: 'Bỉ vỏ', authors: ['Nguyên Hồng'], subjects: ['Tiểu thuyết'], year: 1988, copies: [['PROV']] },
  { title: 'Đường Kách mệnh', authors: ['Hồ Chí Minh'], subjects: ['Đường lối cách mạng'], year: 2011, ddc: '335.4346', copies: [['PROV']] },
  { title: 'Dương cầm', authors: ['Dương Thu Hương'], subjects: ['Âm nhạc'], year: 2001, ddc: '786.2', copies: [['DIST-B']] },
  { title: 'Lịch sử Việt Nam', authors: ['Đào Duy Anh'], subjects: ['Lịch sử -- Việt Nam'], year: 2002, ddc: '959.7', bbk: '63.3(1)', copies: [['PROV']] },
  { title: 'Ngữ pháp tiếng Việt', authors: ['Diệp Quang Ban'], subjects: ['Ngôn ngữ học', '“Tiếng Việt” -- Ngữ pháp'], year: 2005, ddc: '495.9225', copies: [['COMM-A2']] },
  { title: 'Война и мир', authors: ['Толстой, Лев'], subjects: ['1812'], year: 1869, lang: 'rus', bbk: 'Ш5', copies: [['PROV', 'Kho ngoại văn']] },
  { title: 'Vingt mille lieues sous les mers', authors: ['Verne, Jules'], subjects: ['Fiction'], year: 1870, lang: 'fre', copies: [['PROV', 'Kho ngoại văn']] },
];

describeEachDialect('browsing', (dialect: TestDialect) => {
  let x: TreeEnv;
  let ids: number[];

  beforeAll(async () => {
    x = await treeEnv(dialect);
    ids = await addBooks(x.c, x.t.prov, BOOKS);
  }, 120_000);
  afterAll(async () => {
    await x?.env.dispose();
  });

  const browse = () => x.c.services.browse;
  const names = async (kind: BrowseKind, letter: Parameters<ReturnType<typeof browse>['headings']>[0]['letter'], from?: string) =>
    (await browse().headings({ kind, letter, ...(from !== undefined ? { from } : {}) })).headings.map((h) => `${h.heading} ${h.docs}`);

  it('lists a letter’s authors in Vietnamese order: Đ is its own letter, after D', async () => {
    expect(await names('author', 'D')).toEqual(['Diệp Quang Ban 1', 'Dương Thu Hương 1']);
    expect(await names('author', 'Đ')).toEqual(['Đào Duy Anh 1', 'Đoàn Giỏi 1']);
    // Letters before tones: Nguyễn Du < Nguyên Hồng (d < h), whatever the tone of Nguyễn/Nguyên.
    expect(await names('author', 'N')).toEqual(['Nguyễn Du 1', 'Nguyên Hồng 1', 'Nguyễn Khắc Trường 1']);
    expect(await names('author', 'J')).toEqual([]);
    expect(await names('author', 'V')).toEqual(['Verne, Jules 1']);
    expect(await names('author', OTHER)).toEqual(['Толстой, Лев 1']);
    expect((await browse().headings({ kind: 'author', letter: 'N' })).total).toBe(3);
  });

  it('counts subject headings over records, files them past leading punctuation, and keeps digits in the other bucket', async () => {
    expect(await names('subject', 'V')).toEqual(['Văn học thiếu nhi 2', 'Văn học Việt Nam 2']);
    expect(await names('subject', 'T')).toEqual(['Thơ 1', '“Tiếng Việt” -- Ngữ pháp 1', 'Tiểu thuyết 2']);
    expect(await names('subject', 'Đ')).toEqual(['Đồng bằng sông Cửu Long 1', 'Đường lối cách mạng 1']);
    expect(await names('subject', 'Â')).toEqual(['Âm nhạc 1']);
    expect(await names('subject', OTHER)).toEqual(['1812 1']);
  });

  it('jumps to a prefix: the letter follows the prefix, tones and case do not matter', async () => {
    const page = await browse().headings({ kind: 'author', letter: 'A', from: 'nguy' });
    expect(page.letter).toBe('N');
    expect(page.headings.map((h) => h.heading)).toEqual(['Nguyễn Du', 'Nguyên Hồng', 'Nguyễn Khắc Trường']);
    expect(page.prev).toBeNull();
    expect((await browse().headings({ kind: 'author', from: 'Nguyễn K' })).headings.map((h) => h.heading)).toEqual(['Nguyễn Khắc Trường']);
    const past = await browse().headings({ kind: 'author', from: 'Nguyễn K' });
    // Headings before the jump are one "previous page" away.
    expect(past.prev).toEqual({ key: browseKey('Nguyễn Khắc Trường'), heading: 'Nguyễn Khắc Trường' });
    expect((await browse().headings({ kind: 'author', from: 'Nz' })).headings).toEqual([]);
    // Typed without marks, as on most phones: e and ê, d and đ are different letters, so the list
    // starts at the first heading that reads the same once marks are removed.
    expect((await browse().headings({ kind: 'author', from: 'nguyen k' })).headings.map((h) => h.heading)).toEqual(['Nguyễn Khắc Trường']);
    const dao = await browse().headings({ kind: 'author', from: 'dao' });
    expect(dao.letter).toBe('Đ');
    expect(dao.headings.map((h) => h.heading)).toEqual(['Đào Duy Anh', 'Đoàn Giỏi']);
    expect((await browse().headings({ kind: 'subject', from: 'am nhac' })).headings.map((h) => h.heading)).toEqual(['Âm nhạc']);
    // With marks typed, the text is a position in Vietnamese order as it is.
    expect((await browse().headings({ kind: 'author', from: 'Dương' })).headings.map((h) => h.heading)).toEqual(['Dương Thu Hương']);
    await expect(browse().headings({ kind: 'author', from: '!?' })).rejects.toMatchObject({ code: 'VALIDATION', details: [{ field: 'from' }] });
  });

  it('pages forwards and backwards with cursors, never leaving the letter', async () => {
    const first = await browse().headings({ kind: 'subject', letter: 'T', limit: 2 });
    expect(first.headings.map((h) => h.heading)).toEqual(['Thơ', '“Tiếng Việt” -- Ngữ pháp']);
    expect(first.prev).toBeNull();
    expect(first.next?.heading).toBe('“Tiếng Việt” -- Ngữ pháp');
    const second = await browse().headings({ kind: 'subject', letter: 'T', after: first.next!, limit: 2 });
    expect(second.headings.map((h) => h.heading)).toEqual(['Tiểu thuyết']);
    expect(second.next).toBeNull();
    expect(second.prev?.heading).toBe('Tiểu thuyết');
    const back = await browse().headings({ kind: 'subject', letter: 'T', before: second.prev!, limit: 2 });
    expect(back.headings.map((h) => h.heading)).toEqual(['Thơ', '“Tiếng Việt” -- Ngữ pháp']);
    expect(back.prev).toBeNull();
    expect(back.total).toBe(3);
  });

  it('knows which letters have headings', async () => {
    const letters = await browse().letters('author');
    expect([...letters].filter(([, has]) => has).map(([l]) => l)).toEqual(['D', 'Đ', 'H', 'N', 'T', 'V', OTHER]);
  });

  it('keeps the lists counted as records change, in the transaction that changes them', async () => {
    const { catalog } = x.c.services;
    const { record } = await catalog.create(sys, { marc: marcOf({ title: 'Truyện Kiều (bản mới)', authors: ['Nguyễn Du'], subjects: ['Thơ'] }), unitId: x.t.prov.id, allowDuplicate: true });
    expect(await names('author', 'N')).toContain('Nguyễn Du 2');
    expect(await names('subject', 'T')).toContain('Thơ 2');
    // A new author replaces the old one: the old heading loses its count, the new one appears.
    const current = await catalog.get(record.id);
    await catalog.update(sys, record.id, { marc: marcOf({ title: 'Truyện Kiều (bản mới)', authors: ['Đặng Thai Mai'], subjects: ['Thơ'] }), version: current.record.version });
    expect(await names('author', 'N')).toContain('Nguyễn Du 1');
    expect(await names('author', 'Đ')).toEqual(['Đào Duy Anh 1', 'Đặng Thai Mai 1', 'Đoàn Giỏi 1']);
    await catalog.delete(sys, record.id);
    expect(await names('author', 'Đ')).toEqual(['Đào Duy Anh 1', 'Đoàn Giỏi 1']);
    expect(await names('subject', 'T')).toContain('Thơ 1');
    // A transaction that fails leaves the counts as they were.
    await expect(
      x.c.store.transaction(async (tx) => {
        await tx.search.write([], []);
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect((await browse().headings({ kind: 'author', letter: 'Đ' })).total).toBe(2);
  });

  it('counts DDC classes and divisions, BBK classes and shelving collections over the whole catalogue', async () => {
    const { classes, collections } = await browse().counts();
    const ddc = new Map(classes.ddc.map((c) => [c.code, c]));
    expect(ddc.get('800')!.count).toBe(4);
    expect(ddc.get('800')!.divisions.find((d) => d.code === '89x')!.count).toBe(4);
    expect(ddc.get('800')!.divisions.find((d) => d.code === '80x')!.count).toBe(0);
    expect(ddc.get('300')!.divisions.find((d) => d.code === '33x')!.count).toBe(1);
    expect(ddc.get('900')!.count).toBe(1);
    expect(ddc.get('100')!.count).toBe(0);
    expect(classes.bbk.map((b) => [b.code, b.count])).toEqual([['63', 1], ['Ш', 1]]);
    expect(collections).toEqual([
      { name: 'Kho mượn', count: 2 },
      { name: 'Thiếu nhi', count: 3 },
      { name: 'Kho ngoại văn', count: 2 },
    ].sort((a, b) => b.count - a.count || a.name.localeCompare(b.name, 'vi')));
    // A new record is counted at once.
    await addBooks(x.c, x.t.prov, [{ title: 'Triết học nhập môn', ddc: '101', copies: [['PROV', 'Kho mượn']] }]);
    const after = await browse().counts();
    expect(after.classes.ddc.find((c) => c.code === '100')!.count).toBe(1);
    expect(after.collections.find((c) => c.name === 'Kho mượn')!.count).toBe(3);
  });

  it('lists new arrivals newest first, for the network or one library and what is under it, with paging', async () => {
    const network = await browse().newArrivals({ unitId: x.t.root.id, limit: 3 });
    const all = [...ids].reverse();
    const newest = network.rows.map((r) => r.id);
    expect(newest.length).toBe(3);
    expect(newest).toEqual([...newest].sort((a, b) => b - a));
    const next = await browse().newArrivals({ unitId: x.t.root.id, before: network.next!, limit: 3 });
    expect(next.rows[0]!.id).toBeLessThan(newest[2]!);
    const distA = await browse().newArrivals({ unitId: x.t.distA.id, limit: 10 });
    // Truyện Kiều and Đất rừng phương Nam (COMM-A1), Ngữ pháp tiếng Việt (COMM-A2).
    expect(distA.rows.map((r) => r.id)).toEqual([ids[8], ids[2], ids[1]]);
    expect(distA.next).toBeNull();
    expect(distA.rows[0]!.display.title).toBe('Ngữ pháp tiếng Việt');
    expect(all).toContain(distA.rows[0]!.id);
    expect((await browse().newArrivals({ unitId: x.t.communeB1.id })).rows).toEqual([]);
  });

  it('cuts the catalogue into sitemap ranges by id, listing only ranges that hold live records', async () => {
    const search = x.c.store.search;
    const size = 3;
    const buckets = await search.recordBuckets(size);
    const live: number[] = [];
    for (const n of buckets) {
      const stamps = await search.recordStamps({ fromId: n * size, toId: (n + 1) * size, afterId: -1, limit: 100 });
      expect(stamps.length).toBeGreaterThan(0);
      for (const s of stamps) {
        expect(Math.floor(s.id / size)).toBe(n);
        expect(s.updatedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
        live.push(s.id);
      }
    }
    expect(live).toEqual([...live].sort((a, b) => a - b));
    for (const id of ids) expect(live).toContain(id);
    // Keyset: after a given id, at most a limit.
    const n0 = buckets[0]!;
    const firstTwo = await search.recordStamps({ fromId: n0 * size, toId: (n0 + 1) * size, afterId: -1, limit: 2 });
    const rest = await search.recordStamps({ fromId: n0 * size, toId: (n0 + 1) * size, afterId: firstTwo[firstTwo.length - 1]!.id, limit: 100 });
    expect([...firstTwo, ...rest].map((s) => s.id)).toEqual(live.filter((id) => Math.floor(id / size) === n0));
  });

  it('gives the headings of a database made before browsing their keys when it migrates', async () => {
    const db = await tempDatabase(dialect, { empty: true });
    const handle = openDatabase({ url: db.url, poolSize: 1 });
    try {
      const migrator = new Migrator({ db: handle.db, provider: migrationProvider(dialect) });
      expect((await migrator.migrateTo('004-digital')).error).toBeUndefined();
      // As 003 made it before browsing existed: no browse_key.
      await sql`drop table search_headings`.execute(handle.db);
      await sql.raw(`create table search_headings (kind text not null, folded text${dialect === 'postgres' ? ' collate "C"' : ''} not null, heading text not null, docs integer not null, primary key (kind, heading))`).execute(handle.db);
      await sql`insert into search_headings (kind, folded, heading, docs) values ('author', 'do chu', 'Đỗ Chu', 2), ('subject', 'tho', 'Thơ', 1), ('title', 'tho', 'Thơ', 1)`.execute(handle.db);
      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const rows = (await sql<{ kind: string; heading: string; browse_key: string | null }>`select kind, heading, browse_key from search_headings order by kind, heading`.execute(handle.db)).rows;
      expect(rows).toEqual([
        { kind: 'author', heading: 'Đỗ Chu', browse_key: browseKey('Đỗ Chu') },
        { kind: 'subject', heading: 'Thơ', browse_key: browseKey('Thơ') },
        { kind: 'title', heading: 'Thơ', browse_key: null },
      ]);
      const r = letterRange('Đ');
      const inD = (await sql<{ heading: string }>`select heading from search_headings where kind = 'author' and browse_key >= ${r.from} and browse_key < ${r.to}`.execute(handle.db)).rows;
      expect(inD).toEqual([{ heading: 'Đỗ Chu' }]);
    } finally {
      await handle.close();
      await db.drop();
    }
  });
});
