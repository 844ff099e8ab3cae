import { describe, expect, it } from 'vitest';
import { xmlAttr, xmlSafe, xmlText } from './_xml.js';
import { MAX_SITEMAP_URLS, URLSET_CLOSE, urlEntry, urlsetOpen, writeSitemapIndex, writeUrlset } from './sitemap.js';
import { writeAtom, type AtomFeed } from './atom.js';
import { writeOpenSearchDescription } from './opensearch.js';
import { writeRobotsTxt } from './robots.js';
import { checkAtom, checkSitemapIndex, checkUrlset } from '../../../test/feeds.js';
import { kids, only, parseXml } from '../../../test/xml.js';

const HOSTILE = 'Sách <b>"Đường" & \'lối\'</b>\u0000\u0007\u000b\u001f\ufffe\uffff\ud800 ]]> <!-- -->';

describe('XML text', () => {
  it.each<[string, string, string]>([
    ['a < b & c > d', 'a &lt; b &amp; c &gt; d', 'a &lt; b &amp; c &gt; d'],
    [`"quoted" and 'single'`, `"quoted" and 'single'`, '&quot;quoted&quot; and &apos;single&apos;'],
    ['tab\tline\nreturn\r', 'tab\tline\nreturn\r', 'tab\tline\nreturn\r'],
    ['bell\u0007 null\u0000 esc\u001b', 'bell null esc', 'bell null esc'],
    ['lone \ud800 high, lone \udc00 low, pair \ud83d\udcda', 'lone  high, lone  low, pair \ud83d\udcda', 'lone  high, lone  low, pair \ud83d\udcda'],
    ['Tiếng Việt: Đường', 'Tiếng Việt: Đường', 'Tiếng Việt: Đường'],
  ])('%j', (input, text, attr) => {
    expect(xmlText(input)).toBe(text);
    expect(xmlAttr(input)).toBe(attr);
  });

  it('removes U+FFFE and U+FFFF', () => {
    expect(xmlSafe('a\ufffeb\uffffc')).toBe('abc');
  });
});

describe('sitemaps', () => {
  it('writes a urlset the sitemaps.org schema accepts, escaping the URL', () => {
    const xml = writeUrlset([
      { loc: 'https://thuvien.example.vn/record/1', lastmod: '2026-03-15T03:00:00.000Z' },
      { loc: 'https://thuvien.example.vn/search?q=a&b=<c>', lastmod: '2026-03-15', changefreq: 'daily', priority: 0.8 },
      { loc: 'https://thuvien.example.vn/l/hon-dat' },
    ]);
    expect(xml).toContain('<loc>https://thuvien.example.vn/search?q=a&amp;b=&lt;c&gt;</loc>');
    const { locs, lastmods } = checkUrlset(xml);
    expect(locs).toEqual(['https://thuvien.example.vn/record/1', 'https://thuvien.example.vn/search?q=a&b=<c>', 'https://thuvien.example.vn/l/hon-dat']);
    expect(lastmods).toEqual(['2026-03-15T03:00:00.000Z', '2026-03-15', null]);
  });

  it('streams the same document in pieces', () => {
    const urls = [{ loc: 'https://x.example/a' }, { loc: 'https://x.example/b', lastmod: '2026-01-01' }];
    expect(urlsetOpen() + urls.map(urlEntry).join('') + URLSET_CLOSE).toBe(writeUrlset(urls));
  });

  it.each<[string, () => unknown, RegExp]>([
    ['a relative URL', () => urlEntry({ loc: '/record/1' }), /absolute/],
    ['a javascript: URL', () => urlEntry({ loc: 'javascript:alert(1)' }), /absolute/],
    ['a URL over 2,048 characters', () => urlEntry({ loc: `https://x.example/${'a'.repeat(2040)}` }), /2048/],
    ['a date that is not W3C', () => urlEntry({ loc: 'https://x.example/', lastmod: '15/03/2026' }), /W3C/],
    ['a priority above 1', () => urlEntry({ loc: 'https://x.example/', priority: 1.5 }), /priority/],
    ['more than 50,000 URLs', () => writeUrlset(Array.from({ length: MAX_SITEMAP_URLS + 1 }, (_, i) => ({ loc: `https://x.example/${i}` }))), /50000/],
  ])('refuses %s', (_why, fn, message) => {
    expect(fn).toThrow(message);
  });

  it('writes a sitemap index', () => {
    const xml = writeSitemapIndex([{ loc: 'https://x.example/sitemap-pages.xml' }, { loc: 'https://x.example/sitemap-records-0.xml', lastmod: '2026-03-15T03:00:00Z' }]);
    expect(checkSitemapIndex(xml)).toEqual(['https://x.example/sitemap-pages.xml', 'https://x.example/sitemap-records-0.xml']);
  });
});

describe('Atom', () => {
  const base: AtomFeed = {
    id: 'https://thuvien.example.vn/feeds/new.atom',
    title: 'Tài liệu mới',
    updated: '2026-03-15T03:00:00.000Z',
    lang: 'vi',
    authors: [{ name: 'Liên Thông', uri: 'https://thuvien.example.vn/' }],
    links: [
      { rel: 'self', type: 'application/atom+xml', href: 'https://thuvien.example.vn/feeds/new.atom' },
      { rel: 'alternate', type: 'text/html', href: 'https://thuvien.example.vn/browse/new' },
    ],
    entries: [],
  };

  it('writes a feed RFC 4287 accepts, with hostile catalogue text escaped and control characters removed', () => {
    const xml = writeAtom({
      ...base,
      subtitle: HOSTILE,
      entries: [
        {
          id: 'https://thuvien.example.vn/record/7',
          title: HOSTILE,
          updated: '2026-03-14T10:00:00Z',
          published: '2026-03-14T10:00:00Z',
          authors: [{ name: 'Nguyễn <Du> & "Cộng sự"' }],
          summary: HOSTILE,
          links: [{ rel: 'alternate', type: 'text/html', href: 'https://thuvien.example.vn/record/7?a=1&b=2' }],
          categories: [{ term: 'Văn học & "thơ"' }],
        },
      ],
    });
    const { root, entries } = checkAtom(xml);
    expect(root.attrs['xml:lang']).toBe('vi');
    const clean = 'Sách <b>"Đường" & \'lối\'</b> ]]> <!-- -->';
    expect(entries).toEqual([{ id: 'https://thuvien.example.vn/record/7', title: clean, updated: '2026-03-14T10:00:00Z', authors: ['Nguyễn <Du> & "Cộng sự"'], summary: clean, alternate: 'https://thuvien.example.vn/record/7?a=1&b=2' }]);
    expect(only(root, 'subtitle')).toBe(clean);
    expect(kids(kids(root, 'entry')[0]!, 'category')[0]!.attrs.term).toBe('Văn học & "thơ"');
    // eslint-disable-next-line no-control-regex
    expect(xml).not.toMatch(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/);
  });

  it('carries the OpenSearch response elements for search results', () => {
    const xml = writeAtom({ ...base, openSearch: { totalResults: 42, startIndex: 21, itemsPerPage: 20, query: { searchTerms: 'truyện "kiều" & <x>', startPage: 2 } } });
    const root = parseXml(xml);
    expect(root.attrs['xmlns:opensearch']).toBe('http://a9.com/-/spec/opensearch/1.1/');
    expect(only(root, 'opensearch:totalResults')).toBe('42');
    expect(only(root, 'opensearch:startIndex')).toBe('21');
    expect(kids(root, 'opensearch:Query')[0]!.attrs).toEqual({ role: 'request', searchTerms: 'truyện "kiều" & <x>', startPage: '2' });
  });

  it.each<[string, Partial<AtomFeed>, RegExp]>([
    ['a relative feed id', { id: '/feeds/new.atom' }, /absolute IRI/],
    ['a date without a time zone', { updated: '2026-03-15T03:00:00' }, /RFC 3339/],
    ['an entry without an author in a feed without one', { authors: [], entries: [{ id: 'tag:x.example,2026:1', title: 't', updated: '2026-03-15T03:00:00Z', links: [{ href: 'https://x.example/1' }] }] }, /author/],
    ['an entry without a link', { entries: [{ id: 'tag:x.example,2026:1', title: 't', updated: '2026-03-15T03:00:00Z', links: [{ rel: 'related', href: 'https://x.example/1' }] }] }, /alternate/],
  ])('refuses %s', (_why, patch, message) => {
    expect(() => writeAtom({ ...base, ...patch })).toThrow(message);
  });
});

describe('OpenSearch description', () => {
  it('names the search, its templates and image, in UTF-8', () => {
    const xml = writeOpenSearchDescription({
      shortName: 'Liên Thông – thư viện',
      description: 'Tìm sách & tài liệu <trong> mạng lưới',
      urls: [
        { type: 'text/html', template: 'https://x.example/search?q={searchTerms}&page={startPage?}' },
        { type: 'application/atom+xml', template: 'https://x.example/search.atom?q={searchTerms}&page={startPage?}' },
        { type: 'application/opensearchdescription+xml', rel: 'self', template: 'https://x.example/opensearch.xml' },
      ],
      image: { url: 'https://x.example/assets/favicon.svg', width: 64, height: 64, type: 'image/svg+xml' },
      languages: ['vi', 'en'],
    });
    const root = parseXml(xml);
    expect(root.name).toBe('OpenSearchDescription');
    expect(root.attrs.xmlns).toBe('http://a9.com/-/spec/opensearch/1.1/');
    expect([...only(root, 'ShortName')].length).toBeLessThanOrEqual(16);
    expect(only(root, 'Description')).toBe('Tìm sách & tài liệu <trong> mạng lưới');
    expect(only(root, 'InputEncoding')).toBe('UTF-8');
    expect(kids(root, 'Url').map((u) => [u.attrs.type, u.attrs.template])).toEqual([
      ['text/html', 'https://x.example/search?q={searchTerms}&page={startPage?}'],
      ['application/atom+xml', 'https://x.example/search.atom?q={searchTerms}&page={startPage?}'],
      ['application/opensearchdescription+xml', 'https://x.example/opensearch.xml'],
    ]);
    expect(kids(root, 'Image')[0]!.attrs).toEqual({ width: '64', height: '64', type: 'image/svg+xml' });
  });

  it('refuses a relative template or one without {searchTerms}', () => {
    expect(() => writeOpenSearchDescription({ shortName: 'x', description: 'y', urls: [{ type: 'text/html', template: '/search?q={searchTerms}' }] })).toThrow(/absolute/);
    expect(() => writeOpenSearchDescription({ shortName: 'x', description: 'y', urls: [{ type: 'text/html', template: 'https://x.example/search' }] })).toThrow(/searchTerms/);
  });
});

describe('robots.txt', () => {
  it('writes groups and sitemap lines, one rule per line whatever it is given', () => {
    expect(writeRobotsTxt([{ userAgents: ['*'], allow: ['/'], disallow: ['/staff', '/api/\nAllow: /secret # x'] }], ['https://x.example/sitemap.xml'])).toBe(
      'User-agent: *\nAllow: /\nDisallow: /staff\nDisallow: /api/Allow: /secret  x\n\nSitemap: https://x.example/sitemap.xml\n',
    );
  });
});
