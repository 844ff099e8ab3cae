/**
 * The public record page and its exports, and what search results say of availability, through
 * `app.inject` on both databases: canonical address, JSON-LD, Google Scholar tags only for a
 * thesis, citations, exports that read back, holdings with the library searched in first, hostile
 * ids, and the weight of a results page.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../../test/dialects.js';
import { httpEnv, type HttpEnv } from '../../../../test/http.js';
import { systemActor } from '../../../app/actor.js';
import type { MarcRecord } from '../../../codecs/marc/record.js';
import { parseIso2709, parseMarcXml } from '../../../codecs/marc/parse.js';

const sys = systemActor('test');
const d = (tag: string, ind: string, ...sf: string[]) => ({ tag, ind1: ind[0]!, ind2: ind[1]!, subfields: sf.map((s) => ({ code: s[0]!, value: s.slice(1) })) });
const rec = (year: number, lang: string, ...fields: MarcRecord['fields']): MarcRecord => ({ leader: '00000nam a2200000 i 4500', fields: [{ tag: '008', value: `250101s${year}    vm            000 0 ${lang} d` }, ...fields] });

const KIEU = rec(
  2015,
  'vie',
  d('020', '  ', 'a9786049690006'),
  d('100', '1 ', 'aNguyễn, Du,', 'd1765-1820.'),
  d('245', '10', 'aTruyện Kiều /', 'cNguyễn Du.'),
  d('264', ' 1', 'aHà Nội :', 'bNxb. Văn học,', 'c2015.'),
  d('300', '  ', 'a447 tr. ;', 'c21 cm.'),
  d('520', '  ', 'aTruyện thơ Nôm </script><script>alert(1)</script><!-- & "ngoặc".'),
  d('650', ' 7', 'aVăn học Việt Nam', 'vTruyện thơ', '2vn'),
);
const THESIS = rec(
  2021,
  'vie',
  d('100', '1 ', 'aTrần, Thị Ngọc Lan.'),
  d('245', '10', 'aVăn hoá biển đảo của cư dân ven biển Kiên Giang /', 'cTrần Thị Ngọc Lan.'),
  d('264', ' 1', 'aRạch Giá,', 'c2021.'),
  d('502', '  ', 'bLuận văn thạc sĩ', 'cTrường Đại học Kiên Giang', 'd2021'),
);

describeEachDialect('record pages', (dialect) => {
  let env: HttpEnv;
  let kieu: number;
  let thesis: number;
  let onLoan: number;
  let none: number;
  let gone: number;
  let merged: number;

  beforeAll(async () => {
    env = await httpEnv(dialect);
    const { catalog } = env.container.services;
    const t = env.tree;
    let n = 0;
    const add = async (m: MarcRecord, copies: Array<[typeof t.prov, string, string?]>) => {
      const { record } = await catalog.create(sys, { marc: m, unitId: t.prov.id, allowDuplicate: true });
      for (const [u, status, callNumber] of copies) await catalog.addItem(sys, record.id, { barcode: `RP${++n}`, ownerUnitCode: u.code, status: status as never, unitId: u.id, ...(callNumber ? { callNumber } : {}) });
      return record.id;
    };
    kieu = await add(KIEU, [
      [t.prov, 'available', '895.9221 NG-D'],
      [t.communeA1, 'on-loan'],
      [t.distB, 'available'],
      [t.distB, 'available'],
    ]);
    thesis = await add(THESIS, [[t.distA, 'available']]);
    onLoan = await add(rec(2001, 'vie', d('100', '1 ', 'aTô, Hoài.'), d('245', '10', 'aDế Mèn phiêu lưu ký.')), [[t.prov, 'on-loan']]);
    none = await add(rec(2002, 'vie', d('245', '10', 'aSách chưa có bản.')), []);
    gone = await add(rec(2003, 'vie', d('245', '10', 'aSách đã xoá.')), []);
    await catalog.delete(sys, gone);
    merged = await add(rec(2004, 'vie', d('245', '10', 'aBản trùng.')), []);
    await env.container.store.transaction((tx) => tx.catalog.markDeleted(merged, null, new Date().toISOString(), kieu));
    // Enough records for a full page of results.
    for (let i = 1; i <= 24; i++) await add(rec(1990 + i, i % 3 ? 'vie' : 'eng', d('100', '1 ', `aPhạm, Văn ${i}.`), d('245', '10', `aTuyển tập truyện ngắn số ${i}`), d('650', ' 7', `aChủ đề ${i % 7}`, '2vn')), [[i % 2 ? t.distA : t.communeB1, i % 4 ? 'available' : 'on-loan']]);
  }, 180_000);
  afterAll(async () => {
    await env?.dispose();
  });

  const page = (url: string, headers: Record<string, string> = {}) => env.app.inject({ url, headers });
  const jsonLd = (html: string) => {
    const m = /<script type="application\/ld\+json">([^<]*)<\/script>/.exec(html);
    expect(m, 'a JSON-LD block').not.toBeNull();
    return JSON.parse(m![1]!) as Record<string, unknown>;
  };
  const metas = (html: string, name: string) => [...html.matchAll(new RegExp(`<meta name="${name}" content="([^"]*)"`, 'g'))].map((m) => m[1]);

  it('has a canonical address, Open Graph and schema.org data, and no Scholar tags for a book', async () => {
    const res = await page(`/record/${kieu}`);
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain(`<link rel="canonical" href="http://localhost/record/${kieu}"/>`);
    expect(html).toContain('<meta property="og:type" content="book"/>');
    expect(html).toContain('<meta property="book:isbn" content="9786049690006"/>');
    const ld = jsonLd(html);
    expect(ld['@type']).toBe('Book');
    expect(ld).toMatchObject({ '@context': 'https://schema.org', url: `http://localhost/record/${kieu}`, name: 'Truyện Kiều', author: { '@type': 'Person', name: 'Nguyễn Du' }, inLanguage: 'vi', isbn: '9786049690006', numberOfPages: 447 });
    // The hostile summary is data, not markup: escaped in the block, whole once parsed.
    expect(ld.description).toBe('Truyện thơ Nôm </script><script>alert(1)</script><!-- & "ngoặc".');
    expect(html).not.toContain('<script>alert(1)');
    const offers = ld.offers as Array<{ offeredBy: { name: string }; availability: string; inventoryLevel: { value: number } }>;
    expect(offers).toHaveLength(3);
    expect(offers.find((o) => o.offeredBy.name === 'Thư viện DIST-B')).toMatchObject({ availability: 'https://schema.org/InStock', inventoryLevel: { value: 2 } });
    expect(offers.find((o) => o.offeredBy.name === 'Thư viện COMM-A1')?.availability).toBe('https://schema.org/OutOfStock');
    expect(html).not.toContain('name="citation_');
  });

  it('gives a thesis Google Scholar tags and the Thesis type', async () => {
    const html = (await page(`/record/${thesis}`)).body;
    expect(metas(html, 'citation_title')).toEqual(['Văn hoá biển đảo của cư dân ven biển Kiên Giang']);
    expect(metas(html, 'citation_author')).toEqual(['Trần Thị Ngọc Lan']);
    expect(metas(html, 'citation_publication_date')).toEqual(['2021']);
    expect(metas(html, 'citation_dissertation_institution')).toEqual(['Trường Đại học Kiên Giang']);
    expect(metas(html, 'citation_language')).toEqual(['vi']);
    expect(metas(html, 'citation_pdf_url')).toEqual([]);
    expect(jsonLd(html)).toMatchObject({ '@type': 'Thesis', inSupportOf: 'Luận văn thạc sĩ' });
    expect(html).toContain('Trần Thị Ngọc Lan. “Văn hoá biển đảo của cư dân ven biển Kiên Giang.” Luận văn thạc sĩ, Trường Đại học Kiên Giang, 2021.');
  });

  it('cites in four styles, in the reader’s language, with titles in italics', async () => {
    const vi = (await page(`/record/${kieu}`)).body;
    expect(vi).toContain('<h2 id="cite-heading">Trích dẫn</h2>');
    expect(vi).toContain('<p class="citation" id="cite-apa">Nguyễn Du. (2015). <i>Truyện Kiều</i>. Nxb. Văn học.</p>');
    for (const style of ['apa', 'mla', 'chicago', 'iso690']) expect(vi).toContain(`id="cite-${style}"`);
    expect(vi).toContain('cite-copy');
    const en = (await page(`/record/${thesis}`, { 'accept-language': 'en' })).body;
    expect(en).toContain('<h2 id="cite-heading">Cite</h2>');
    expect(en).toContain('[Unpublished master’s thesis]');
    expect(en).toContain('Master’s thesis, Trường Đại học Kiên Giang, 2021.');
  });

  it('offers exports that read back, and a share link', async () => {
    const html = (await page(`/record/${kieu}`)).body;
    for (const ext of ['ris', 'bib', 'mrc', 'xml']) expect(html).toContain(`href="/record/${kieu}/export.${ext}"`);
    expect(html).toContain(`<input id="share-url" class="share-url" type="url" readonly value="http://localhost/record/${kieu}"/>`);
    expect(html).toContain(`href="https://www.facebook.com/sharer/sharer.php?u=http%3A%2F%2Flocalhost%2Frecord%2F${kieu}"`);
    expect(html).toContain('href="mailto:?subject=');

    const mrc = await page(`/record/${kieu}/export.mrc`);
    expect(mrc.statusCode).toBe(200);
    expect(mrc.headers['content-type']).toBe('application/marc');
    expect(mrc.headers['content-disposition']).toBe(`attachment; filename="record-${kieu}.mrc"; filename*=UTF-8''record-${kieu}.mrc`);
    const [fromIso] = parseIso2709(new Uint8Array(mrc.rawPayload));
    expect(fromIso!.fields.find((f) => f.tag === '001')).toEqual({ tag: '001', value: String(kieu) });
    expect(JSON.stringify(fromIso)).toContain('Truyện Kiều');
    // The public export carries no copies (barcodes, notes, prices).
    expect(fromIso!.fields.some((f) => f.tag === '952' || f.tag === '852')).toBe(false);

    const xml = await page(`/record/${kieu}/export.xml`);
    expect(xml.headers['content-type']).toBe('application/marcxml+xml; charset=utf-8');
    const [fromXml] = parseMarcXml(xml.body);
    // The same record both ways (ISO 2709 computes its leader's lengths; MARCXML carries zeros).
    expect(fromXml!.fields).toEqual(fromIso!.fields);

    const ris = await page(`/record/${kieu}/export.ris`);
    expect(ris.headers['content-type']).toBe('application/x-research-info-systems; charset=utf-8');
    expect(ris.headers['content-disposition']).toContain('filename="nguyen2015truyen.ris"');
    expect(ris.body).toMatch(/^TY {2}- BOOK\r\n/);
    expect(ris.body).toContain('AU  - Nguyễn Du\r\n');
    expect(ris.body).toContain(`UR  - http://localhost/record/${kieu}\r\n`);
    expect(ris.body.endsWith('ER  - \r\n')).toBe(true);

    const bib = await page(`/record/${thesis}/export.bib`);
    expect(bib.headers['content-type']).toBe('application/x-bibtex; charset=utf-8');
    expect(bib.body).toMatch(/^@mastersthesis\{tran2021van,\n/);
    expect(bib.body).toMatch(/\n {2}school += \{Trường Đại học Kiên Giang\},\n/);
  });

  it('answers 404 for hostile, unknown and deleted records, and follows a merge', async () => {
    for (const url of ['/record/abc/export.ris', '/record/0/export.bib', `/record/${'9'.repeat(12)}/export.mrc`, '/record/-1/export.xml', '/record/99999999/export.ris', `/record/${kieu}/export.pdf`, `/record/${kieu}/export.`, `/record/${gone}/export.ris`, `/record/${gone}/export.mrc`]) {
      const res = await page(url);
      expect(res.statusCode, url).toBe(404);
    }
    const moved = await page(`/record/${merged}/export.bib`);
    expect(moved.statusCode).toBe(301);
    expect(moved.headers.location).toBe(`/record/${kieu}/export.bib`);
    expect((await page(`/record/${merged}`)).headers.location).toBe(`/record/${kieu}`);
  });

  it('lists the library searched in first, then libraries with a copy on the shelf', async () => {
    const order = (html: string) => [...html.matchAll(/<div class="holding-group[^"]*"><h3><a href="\/l\/[^"]+"[^>]*>([^<]+)<\/a>/g)].map((m) => m[1]);
    expect(order((await page(`/record/${kieu}`)).body)).toEqual(['Thư viện DIST-B', 'Thư viện PROV', 'Thư viện COMM-A1']);
    const from = (await page(`/record/${kieu}?from=comm-a1`)).body;
    expect(order(from)).toEqual(['Thư viện COMM-A1', 'Thư viện DIST-B', 'Thư viện PROV']);
    expect(from).toContain('<span class="badge badge-mine">Thư viện bạn đang tìm</span>');
    // The canonical address stays the record's own.
    expect(from).toContain(`<link rel="canonical" href="http://localhost/record/${kieu}"/>`);
    for (const q of ['?from=NOWHERE', '?from=%00%01', `?from=${'x'.repeat(500)}`, '?from=a&from=b', '?from[x]=1']) {
      const res = await page(`/record/${kieu}${q}`);
      expect(res.statusCode, q).toBe(200);
      expect(order(res.body)[0], q).toBe('Thư viện DIST-B');
    }
  });

  it('says in search results where copies are on the shelf, with a cover, and carries the scope to the record', async () => {
    const html = (await page('/search?q=truyen+kieu')).body;
    expect(html).toMatch(new RegExp(`<span class="result-cover cover-book cover-shade-\\d" aria-hidden="true"><span class="cover-mark">▤</span><span class="cover-initials">TK</span></span>`));
    expect(html).toContain('<span class="avail avail-yes">Có sẵn tại 2 thư viện</span>');
    const en = (await page('/search?q=truyen+kieu', { 'accept-language': 'en' })).body;
    expect(en).toContain('Available at 2 libraries');
    expect((await page('/search?q=de+men')).body).toContain('<span class="avail avail-no">Hiện không còn bản nào trên giá</span>');
    expect((await page('/search?q=chua+co+ban')).body).toContain('<span class="muted">Chưa có bản nào</span>');
    const scoped = (await page('/search?q=truyen+kieu&library=DIST-B')).body;
    expect(scoped).toContain(`href="/record/${kieu}?from=DIST-B"`);
    // The API says it too.
    const api = JSON.parse((await page('/api/v1/search?q=truyen+kieu')).body) as { results: Array<{ id: number; availableLibraries: number }> };
    expect(api.results.find((r) => r.id === kieu)?.availableLibraries).toBe(2);
    expect(none).toBeGreaterThan(0);
    expect(onLoan).toBeGreaterThan(0);
  });

  it('keeps a results page of 20 with every facet under 100 KB compressed, with its CSS and scripts', async () => {
    const res = await page('/search?q=&pageSize=20');
    expect(res.statusCode).toBe(200);
    expect((res.body.match(/<li class="result">/g) ?? []).length).toBe(20);
    for (const legend of ['Thư viện', 'Loại tài liệu', 'Ngôn ngữ', 'Chủ đề', 'Tác giả']) expect(res.body).toContain(`<legend>${legend}</legend>`);
    const assets = [...res.body.matchAll(/<(?:link rel="stylesheet" href|script src)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.some((a) => a.endsWith('.css'))).toBe(true);
    expect(assets.some((a) => a.endsWith('.js'))).toBe(true);
    let total = gzipSync(Buffer.from(res.body)).length;
    for (const a of assets) {
      const asset = await page(a);
      expect(asset.statusCode, a).toBe(200);
      total += gzipSync(asset.rawPayload).length;
    }
    expect(total).toBeLessThanOrEqual(100 * 1024);
  });
});
