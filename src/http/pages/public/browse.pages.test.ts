/**
 * The browse pages through `app.inject`, as a browser without JavaScript (or a crawler) sees
 * them: the index, A–Z lists in Vietnamese order with jumping and paging, the class outline,
 * collections and new arrivals; and hostile parameters answered with a 400 page that says what
 * was wrong, never a 500.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../../test/dialects.js';
import { httpEnv, type HttpEnv } from '../../../../test/http.js';
import { addBooks, type Book } from '../../../../test/books.js';
import { decodeCursor, encodeCursor, headingSearch } from './browse.pages.js';

const BOOKS: Book[] = [
  { title: 'Truyện Kiều', authors: ['Nguyễn Du'], subjects: ['Văn học Việt Nam', 'Thơ'], year: 2015, ddc: '895.9221', copies: [['COMM-A1', 'Thiếu nhi']] },
  { title: 'Đất rừng phương Nam', authors: ['Đoàn Giỏi'], subjects: ['Văn học thiếu nhi'], year: 2019, ddc: '895.9223', copies: [['COMM-A1', 'Thiếu nhi']] },
  { title: 'Dế mèn phiêu lưu ký', authors: ['Dương Thu Hương', 'Tô Hoài'], subjects: ['Văn học thiếu nhi'], year: 2020, ddc: '895.9223', copies: [['DIST-B', 'Kho mượn']] },
  { title: 'Đường Kách mệnh', authors: ['Đinh Xuân Lâm'], subjects: ['Đường lối cách mạng'], year: 2011, ddc: '335.4346', copies: [['PROV']] },
  { title: 'Lịch sử Việt Nam <tập 1> & "phụ lục"', authors: ['Đào Duy Anh'], subjects: ['Lịch sử -- Việt Nam'], year: 2002, ddc: '959.7', bbk: '63.3(1)', copies: [['PROV', 'Kho tra cứu']] },
  { title: 'Ngữ pháp tiếng Việt', authors: ['Diệp Quang Ban'], subjects: ['Ngôn ngữ học'], year: 2005, ddc: '495.9225', copies: [['COMM-A2']] },
  { title: 'Kỹ thuật nuôi tôm', authors: ['Dư Văn Lý'], subjects: ['Thủy sản'], year: 2018, ddc: '639.5', copies: [['DIST-B']] },
  { title: 'Sổ tay nhà nông', authors: ['Nguyễn Văn Đức', 'Nguyễn Thị Hoa', 'Nguyễn An'], subjects: ['Nông nghiệp'], year: 2010, ddc: '630', copies: [['COMM-A2']] },
];

describeEachDialect('browse pages', (dialect) => {
  let env: HttpEnv;
  let ids: number[];

  beforeAll(async () => {
    env = await httpEnv(dialect);
    ids = await addBooks(env.container, env.tree.prov, BOOKS);
  }, 120_000);
  afterAll(async () => {
    await env?.dispose();
  });

  const page = (url: string, headers: Record<string, string> = {}) => env.app.inject({ url, headers });
  /** The headings of an A–Z page, in order, as shown. */
  const listed = (html: string) => [...html.matchAll(/<ol class="heading-list">([\s\S]*?)<\/ol>/g)].flatMap((m) => [...m[1]!.matchAll(/<li><a [^>]*>([^<]*)<\/a>/g)].map((x) => x[1]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"')));

  it('offers every way in on the index, linked from the header of every page', async () => {
    const res = await page('/browse');
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('<h1>Duyệt tài liệu</h1>');
    expect(html).toContain('<a href="/browse" aria-current="page">');
    for (const href of ['/browse/subjects', '/browse/authors', '/browse/classes', '/browse/collections', '/browse/new']) expect(html).toContain(`href="${href}"`);
    // Letter bars: letters with headings are links; the others are not.
    expect(html).toContain('href="/browse/authors?letter=%C4%90"');
    expect(html).not.toContain('href="/browse/authors?letter=X"');
    expect(html).toMatch(/<span class="az-empty" title="X: chưa có mục nào">/);
    // Classes with counts and their captions; new arrivals, newest first; the feed is offered.
    expect(html).toMatch(/<a href="\/search\?class=ddc%3A800"><span class="class-code">800<\/span> <span class="class-name">Văn học<\/span><\/a><span class="hcount" aria-hidden="true">3<\/span>/);
    expect(html).toContain(`<a href="/record/${ids[7]}">Sổ tay nhà nông</a>`);
    expect(html).toContain('<link rel="alternate" type="application/atom+xml" title="Tài liệu mới – Liên Thông" href="/feeds/new.atom"/>');
    expect(html).toContain('<link rel="canonical" href="http://localhost/browse"/>');
    expect(html).toContain('<link rel="search" type="application/opensearchdescription+xml" href="/opensearch.xml"');
    // The header link is there on other pages too.
    expect((await page('/')).body).toMatch(/<a href="\/browse">\s*Duyệt\s*<\/a>/);
    expect((await page('/', { 'accept-language': 'en' })).body).toMatch(/<a href="\/browse">\s*Browse\s*<\/a>/);
  });

  it('lists a letter’s headings in Vietnamese order: Đ headings never appear under D', async () => {
    const d = (await page('/browse/authors?letter=D')).body;
    expect(listed(d)).toEqual(['Diệp Quang Ban', 'Dư Văn Lý', 'Dương Thu Hương']);
    const dd = await page(`/browse/authors?letter=${encodeURIComponent('Đ')}`);
    expect(dd.statusCode).toBe(200);
    expect(listed(dd.body)).toEqual(['Đào Duy Anh', 'Đinh Xuân Lâm', 'Đoàn Giỏi']);
    expect(dd.body).toContain('Chữ Đ <span class="muted az-total">· 3 tác giả</span>');
    expect(dd.body).toContain('<a href="/browse/authors?letter=%C4%90" aria-current="page" class="az-current">Đ</a>');
    expect(dd.body).toContain('<link rel="canonical" href="http://localhost/browse/authors?letter=%C4%90"/>');
    // Lower case and decomposed letters are the same letter.
    expect(listed((await page(`/browse/authors?letter=${encodeURIComponent('đ')}`)).body)).toEqual(['Đào Duy Anh', 'Đinh Xuân Lâm', 'Đoàn Giỏi']);
    // Each heading searches for its records, quoted as the record page quotes it.
    expect(dd.body).toContain(`<a href="${headingSearch('author', 'Đào Duy Anh').replace(/&/g, '&amp;')}" title="Tìm tài liệu của Đào Duy Anh">Đào Duy Anh</a>`);
    expect(headingSearch('author', 'Đào Duy Anh')).toBe('/search?q=author%3A%22%C4%90%C3%A0o+Duy+Anh%22');
    const subjects = (await page('/browse/subjects?letter=V')).body;
    expect(listed(subjects)).toEqual(['Văn học thiếu nhi', 'Văn học Việt Nam']);
    expect(subjects).toMatch(/Văn học thiếu nhi<\/a><span class="hcount" aria-hidden="true">2<\/span><span class="visually-hidden"> \(2 tài liệu\)<\/span>/);
    // The subject link finds exactly those records.
    const found = await page(headingSearch('subject', 'Văn học thiếu nhi'));
    expect(found.body).toContain('Tìm thấy 2 tài liệu');
  });

  it('jumps to a prefix typed with or without tones, in the letter of the prefix', async () => {
    const res = await page('/browse/authors?from=nguyen+v');
    expect(res.statusCode).toBe(200);
    expect(listed(res.body)).toEqual(['Nguyễn Văn Đức']);
    expect(res.body).toContain('aria-current="page" class="az-current">N</a>');
    expect(res.body).toContain('value="nguyen v"');
    // Earlier headings of the letter are one "previous page" away.
    const prev = /<a href="([^"]+)" rel="prev">/.exec(res.body)![1]!.replace(/&amp;/g, '&');
    expect(listed((await page(prev)).body)).toEqual(['Nguyễn An', 'Nguyễn Du', 'Nguyễn Thị Hoa']);
    expect(listed((await page(`/browse/authors?letter=A&from=${encodeURIComponent('Đi')}`)).body)).toEqual(['Đinh Xuân Lâm', 'Đoàn Giỏi']);
    const none = await page('/browse/authors?from=Nz');
    expect(none.statusCode).toBe(200);
    expect(none.body).toContain('Không có mục nào từ “Nz” trở đi ở chữ N.');
  });

  it('pages through a letter with next and previous links', async () => {
    // More than one page: the service pages by 100; shrink the list by reading its cursors instead.
    const first = (await env.container.services.browse.headings({ kind: 'author', letter: 'N', limit: 2 }));
    expect(first.next).not.toBeNull();
    const next = await page(`/browse/authors?letter=N&after=${encodeURIComponent(encodeCursor(first.next!))}`);
    expect(next.statusCode).toBe(200);
    expect(listed(next.body)).toEqual(['Nguyễn Thị Hoa', 'Nguyễn Văn Đức']);
    expect(next.body).toMatch(/<a href="\/browse\/authors\?letter=N&amp;before=[A-Za-z0-9_-]+" rel="prev">‹ Trang trước<\/a>/);
    expect(decodeCursor(encodeCursor({ key: 'g`p', heading: 'Nguyễn "Du" <b>' }))).toEqual({ key: 'g`p', heading: 'Nguyễn "Du" <b>' });
  });

  it.each<[string, string, RegExp]>([
    ['an unknown letter', '/browse/authors?letter=%3Cscript%3E', /“&lt;script>” không phải là một chữ cái/],
    ['a tone mark as a letter', `/browse/subjects?letter=${encodeURIComponent('Ấ')}`, /“Ấ” không phải là một chữ cái/],
    ['two letters', '/browse/authors?letter=AB', /“AB” không phải là một chữ cái/],
    ['a jump with nothing to file by', '/browse/authors?from=%21%3F%21', /Hãy gõ vài chữ cái hoặc chữ số/],
    ['a jump over 100 characters', `/browse/authors?from=${'a'.repeat(101)}`, /Hãy gõ vài chữ cái hoặc chữ số/],
    ['a forged cursor', '/browse/authors?letter=N&after=not-a-cursor', /Liên kết trang này không dùng được nữa/],
    ['a cursor that is not base64', '/browse/authors?letter=N&before=%00%01', /Liên kết trang này không dùng được nữa/],
    ['a cursor with a key that is not ours', `/browse/authors?letter=N&after=${Buffer.from(JSON.stringify(['\u0000x', 'y'])).toString('base64url')}`, /Liên kết trang này không dùng được nữa/],
    ['both cursors', `/browse/authors?letter=N&after=${encodeCursor({ key: 'g', heading: 'a' })}&before=${encodeCursor({ key: 'g', heading: 'b' })}`, /Liên kết trang này không dùng được nữa/],
    ['an unknown library', '/browse/new?library=NOPE%3Cx%3E', /Không có thư viện mã “NOPE&lt;x>”/],
    ['a page position that is not a number', '/browse/new?before=-1', /Liên kết trang này không dùng được\. Hãy xem từ trang đầu\./],
    ['a page position far too large', '/browse/new?before=99999999999999999999', /Liên kết trang này không dùng được\./],
  ])('answers %s with a 400 page that says what was wrong', async (_why, url, message) => {
    const res = await page(url);
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toMatch(message);
    expect(res.body).toContain('role="alert"');
    if (url.startsWith('/browse/authors') || url.startsWith('/browse/subjects')) expect(res.body).toContain('class="az-bar"');
  });

  it('shrugs off repeated and odd parameters', async () => {
    expect((await page('/browse/authors?letter=D&letter=X')).statusCode).toBe(200);
    expect(listed((await page('/browse/authors?letter=%20d%20')).body)).toEqual(['Diệp Quang Ban', 'Dư Văn Lý', 'Dương Thu Hương']);
    expect((await page('/browse/authors?page=-5&foo=bar')).statusCode).toBe(200);
    expect((await page('/browse/subjects?letter=0-9')).statusCode).toBe(200);
    expect((await page('/browse/subjects?from=')).statusCode).toBe(200);
  });

  it('shows the DDC outline with divisions and counts, and BBK classes', async () => {
    const html = (await page('/browse/classes')).body;
    expect(html).toContain('<h2 id="ddc-heading">Khung phân loại thập phân Dewey (DDC)</h2>');
    expect(html).toMatch(/<summary><span class="class-code">800<\/span> <span class="class-name">Văn học<\/span> <span class="hcount" aria-hidden="true">3<\/span>/);
    expect(html).toMatch(/<a href="\/search\?class=ddc%3A89x"><span class="class-code">890<\/span> <span class="class-name">Văn học các ngôn ngữ khác \(có văn học Việt Nam\)<\/span><\/a><span class="hcount" aria-hidden="true">3<\/span>/);
    expect(html).toMatch(/<li class="class-none"><span class="class-label"><span class="class-code">100<\/span> <span class="class-name">Triết học<\/span><\/span> <span class="small">\(chưa có\)<\/span><\/li>/);
    expect(html).toMatch(/<a href="\/search\?class=bbk%3A63"><span class="class-code">63<\/span> <span class="class-name">Lịch sử<\/span><\/a>/);
    const en = (await page('/browse/classes', { 'accept-language': 'en' })).body;
    expect(en).toContain('<span class="class-name">Other literatures (including Vietnamese)</span>');
    // A division link finds its records.
    expect((await page('/search?class=ddc%3A89x')).body).toContain('Tìm thấy 3 tài liệu');
  });

  it('lists shelving collections with counts, and digital collections', async () => {
    const html = (await page('/browse/collections')).body;
    expect(html).toMatch(/<a href="\/search\?collection=Thi%E1%BA%BFu\+nhi">Thiếu nhi<\/a><span class="hcount" aria-hidden="true">2<\/span>/);
    expect(html).toContain('>Kho tra cứu</a>');
    expect(html).toContain('Chưa có bộ sưu tập số nào.');
  });

  it('lists new arrivals for the network and for one library, with its own feed', async () => {
    const all = (await page('/browse/new')).body;
    const order = [...all.matchAll(/<a href="\/record\/(\d+)">/g)].map((m) => Number(m[1]));
    expect(order).toEqual([...ids].reverse());
    expect(all).toContain('Lịch sử Việt Nam &lt;tập 1> &amp; &quot;phụ lục&quot;');
    expect(all).toContain('Bổ sung 15/03/2026');
    const distA = await page('/browse/new?library=dist-a');
    expect(distA.statusCode).toBe(200);
    expect(distA.body).toContain('<h1>Tài liệu mới ở Thư viện DIST-A</h1>');
    expect([...distA.body.matchAll(/<a href="\/record\/(\d+)">/g)].map((m) => Number(m[1]))).toEqual([ids[7], ids[5], ids[1], ids[0]]);
    expect(distA.body).toContain(`href="/l/${env.tree.distA.slug}/new.atom"`);
    expect(distA.body).toContain('<option value="DIST-A" selected>');
    expect(distA.body).toContain('<link rel="canonical" href="http://localhost/browse/new?library=DIST-A"/>');
  });
});
