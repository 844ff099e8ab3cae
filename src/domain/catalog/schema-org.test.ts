import { describe, expect, it } from 'vitest';
import { deriveFields } from './derive.js';
import { citationEntry } from './cite.js';
import { bcp47, jsonLdText, schemaOrgRecord } from './schema-org.js';
import { scholarMeta, scholarlyKind } from './scholar.js';
import { orderHoldings } from './holdings-order.js';
import type { MarcLike } from './marc-like.js';
import { compareVi } from '../../text/fold.js';

const d = (tag: string, ind: string, ...sf: string[]) => ({ tag, ind1: ind[0]!, ind2: ind[1]!, subfields: sf.map((s) => ({ code: s[0]!, value: s.slice(1) })) });
const rec = (...fields: MarcLike['fields'][number][]): MarcLike => ({ leader: '00000nam a2200000 i 4500', fields });
const book = rec(
  { tag: '008', value: '250101s2015    vm            000 0 vie d' },
  d('020', '  ', 'a9786049690006'),
  d('041', '0 ', 'avie', 'aeng'),
  d('100', '1 ', 'aNguyễn, Du.'),
  d('245', '10', 'aTruyện Kiều :', 'btruyện thơ /', 'cNguyễn Du.'),
  d('264', ' 1', 'aHà Nội :', 'bNxb. Văn học,', 'c2015.'),
  d('300', '  ', 'a447 tr.'),
  d('490', '1 ', 'aVăn học cổ điển ;', 'v5'),
  d('520', '  ', 'aTruyện thơ </script><!-- Nôm.'),
  d('650', ' 7', 'aVăn học Việt Nam', 'vTruyện thơ', '2vn'),
  d('710', '2 ', 'aNhà xuất bản Văn học.'),
);
const thesis = rec(
  { tag: '008', value: '250101s2021    vm     m      000 0 vie d' },
  d('100', '1 ', 'aTrần, Thị Ngọc Lan.'),
  d('245', '10', 'aVăn hoá biển đảo của cư dân ven biển Kiên Giang.'),
  d('502', '  ', 'bLuận văn thạc sĩ', 'cTrường Đại học Kiên Giang', 'd2021'),
);
const entryOf = (m: MarcLike, category?: string) => citationEntry(deriveFields(m), m, { id: 5, landingUrl: 'https://tv.vn/record/5', ...(category ? { category } : {}) });

describe('schema.org JSON-LD', () => {
  it('describes a book with its authors, language, subjects, pages, series and holdings', () => {
    const ld = schemaOrgRecord(deriveFields(book), entryOf(book), {
      url: 'https://tv.vn/record/5',
      image: 'https://tv.vn/iiif/3/9-1/full/!300,400/0/default.jpg',
      holdings: [
        { library: { name: 'Thư viện tỉnh', url: 'https://tv.vn/l/tinh' }, available: 2, copies: 3, callNumber: '895.9221 NG-D' },
        { library: { name: 'Thư viện Phú Quốc' }, available: 0, copies: 1 },
      ],
      readUrl: 'https://tv.vn/digital/9',
    });
    expect(ld).toMatchObject({
      '@context': 'https://schema.org',
      '@type': 'Book',
      url: 'https://tv.vn/record/5',
      name: 'Truyện Kiều: truyện thơ',
      author: { '@type': 'Person', name: 'Nguyễn Du' },
      datePublished: '2015',
      publisher: { '@type': 'Organization', name: 'Nxb. Văn học', location: { '@type': 'Place', name: 'Hà Nội' } },
      inLanguage: ['vi', 'en'],
      about: { '@type': 'Thing', name: 'Văn học Việt Nam -- Truyện thơ' },
      isbn: '9786049690006',
      numberOfPages: 447,
      isPartOf: { '@type': 'BookSeries', name: 'Văn học cổ điển' },
      position: '5',
      potentialAction: { '@type': 'ReadAction', target: 'https://tv.vn/digital/9' },
    });
    expect(ld.offers).toEqual([
      { '@type': 'Offer', businessFunction: 'http://purl.org/goodrelations/v1#LeaseOut', availability: 'https://schema.org/InStock', offeredBy: { '@type': 'Library', name: 'Thư viện tỉnh', url: 'https://tv.vn/l/tinh' }, inventoryLevel: { '@type': 'QuantitativeValue', value: 2 }, sku: '895.9221 NG-D' },
      { '@type': 'Offer', businessFunction: 'http://purl.org/goodrelations/v1#LeaseOut', availability: 'https://schema.org/OutOfStock', offeredBy: { '@type': 'Library', name: 'Thư viện Phú Quốc' }, inventoryLevel: { '@type': 'QuantitativeValue', value: 0 } },
    ]);
  });
  it('uses Thesis, Periodical and CreativeWork by material', () => {
    const t = schemaOrgRecord(deriveFields(thesis), entryOf(thesis), { url: 'u' });
    expect(t).toMatchObject({ '@type': 'Thesis', inSupportOf: 'Luận văn thạc sĩ', sourceOrganization: { '@type': 'Organization', name: 'Trường Đại học Kiên Giang' } });
    expect(t).not.toHaveProperty('isbn');
    const serial: MarcLike = { leader: '00000nas a2200000 i 4500', fields: [d('022', '  ', 'a0317-8471'), d('245', '00', 'aTạp chí Thư viện Việt Nam.')] };
    expect(schemaOrgRecord(deriveFields(serial), entryOf(serial), { url: 'u' })).toMatchObject({ '@type': 'Periodical', issn: '0317-8471' });
    const video: MarcLike = { leader: '00000ngm a2200000 i 4500', fields: [d('245', '00', 'aPhim tư liệu.')] };
    expect(schemaOrgRecord(deriveFields(video), entryOf(video), { url: 'u' })['@type']).toBe('CreativeWork');
  });
  it('writes a data block that cannot end its script element', () => {
    const text = jsonLdText(schemaOrgRecord(deriveFields(book), entryOf(book), { url: 'https://tv.vn/record/5?a=1&b=2' }));
    expect(text).not.toMatch(/[<>&]/);
    expect(text).toContain('\\u003c/script\\u003e\\u003c!--');
    expect(JSON.parse(text).description).toBe('Truyện thơ </script><!-- Nôm.');
  });
  it.each([
    ['vie', 'vi'],
    ['eng', 'en'],
    ['fre', 'fr'],
    ['chi', 'zh'],
    ['haw', 'haw'],
    ['ain', 'ain'],
    ['und', undefined],
    ['zxx', undefined],
    ['v1', undefined],
  ])('language %s is %s in BCP 47', (code, tag) => {
    expect(bcp47(code)).toBe(tag);
  });
});

describe('Google Scholar tags', () => {
  it('are for theses and research only', () => {
    expect(scholarlyKind(entryOf(thesis), deriveFields(thesis))).toBe('thesis');
    expect(scholarlyKind(entryOf(book), deriveFields(book))).toBeNull();
    expect(scholarlyKind(entryOf(book, 'research'), deriveFields(book), 'research')).toBe('research');
    const proceedings = rec(d('111', '2 ', 'aHội thảo khoa học quốc gia'), d('245', '10', 'aKỷ yếu.'));
    expect(scholarlyKind(entryOf(proceedings), deriveFields(proceedings))).toBe('research');
    const report = rec(d('245', '10', 'aNuôi tôm.'), d('650', ' 7', 'aThủy sản', 'vBáo cáo khoa học', '2vn'));
    expect(scholarlyKind(entryOf(report), deriveFields(report))).toBe('research');
  });
  it('name the thesis, its author, date, institution, language and PDF', () => {
    expect(scholarMeta(entryOf(thesis), { pdfUrl: 'https://tv.vn/digital/3/files/4' })).toEqual([
      ['citation_title', 'Văn hoá biển đảo của cư dân ven biển Kiên Giang'],
      ['citation_author', 'Trần Thị Ngọc Lan'],
      ['citation_publication_date', '2021'],
      ['citation_dissertation_institution', 'Trường Đại học Kiên Giang'],
      ['citation_language', 'vi'],
      ['citation_abstract_html_url', 'https://tv.vn/record/5'],
      ['citation_pdf_url', 'https://tv.vn/digital/3/files/4'],
    ]);
    const meta = scholarMeta(entryOf(book));
    expect(meta.filter(([n]) => n === 'citation_isbn')).toEqual([['citation_isbn', '9786049690006']]);
    expect(meta).toContainEqual(['citation_publisher', 'Nxb. Văn học']);
  });
});

describe('the order of holdings', () => {
  const g = (unitId: number, name: string, available: number, path: string) => ({ unitId, name, available, path, items: [] as string[] });
  const groups = [g(1, 'Thư viện tỉnh', 0, '/1/'), g(2, 'Thư viện Rạch Giá', 1, '/1/2/'), g(3, 'Thư viện Phú Quốc', 0, '/1/3/'), g(4, 'Thư viện An Biên', 2, '/1/4/'), g(5, 'Phòng đọc Dương Đông', 0, '/1/3/5/'), g(6, 'Thư viện Đông Hồ', 0, '/1/6/')];
  const names = (xs: Array<{ name: string; mark: string | null }>) => xs.map((x) => (x.mark ? `${x.name} [${x.mark}]` : x.name));

  it('puts the reader’s library first, then its branches, then what is on the shelf, then the rest', () => {
    expect(names(orderHoldings(groups, { home: { id: 3, path: '/1/3/' }, compare: compareVi }))).toEqual(['Thư viện Phú Quốc [home]', 'Phòng đọc Dương Đông', 'Thư viện An Biên', 'Thư viện Rạch Giá', 'Thư viện Đông Hồ', 'Thư viện tỉnh']);
  });
  it('uses the library searched in, after the reader’s own', () => {
    expect(names(orderHoldings(groups, { home: { id: 6, path: '/1/6/' }, near: { id: 1, path: '/1/' }, compare: compareVi }))).toEqual(['Thư viện Đông Hồ [home]', 'Thư viện tỉnh [near]', 'Phòng đọc Dương Đông', 'Thư viện An Biên', 'Thư viện Phú Quốc', 'Thư viện Rạch Giá']);
    expect(names(orderHoldings(groups, { near: { id: 2, path: '/1/2/' }, compare: compareVi }))[0]).toBe('Thư viện Rạch Giá [near]');
  });
  it('without a reader or a search: on the shelf first, each part in Vietnamese order', () => {
    expect(names(orderHoldings(groups, { compare: compareVi }))).toEqual(['Thư viện An Biên', 'Thư viện Rạch Giá', 'Phòng đọc Dương Đông', 'Thư viện Đông Hồ', 'Thư viện Phú Quốc', 'Thư viện tỉnh']);
    expect(orderHoldings([], { home: { id: 1 }, compare: compareVi })).toEqual([]);
  });
});
