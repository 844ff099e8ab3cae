import { describe, expect, it } from 'vitest';
import { excerpt, inlineText, parseBody, safeHref, type Block, type Inline } from './post-body.js';

const text = (t: string): Inline => ({ kind: 'text', text: t });
const para = (...children: Inline[]): Block => ({ kind: 'paragraph', children });

describe('parseBody: blocks', () => {
  it('reads paragraphs, headings, lists and images', () => {
    const body = ['## Giờ mở cửa mới', '', 'Từ tháng Tư, thư viện mở cửa', 'cả Chủ nhật.', '', '- Sáng: 7:30 – 11:00', '- Chiều: 13:30 – 17:00', '', '![Phòng đọc thiếu nhi](image:12)', 'Mời các em đến đọc.'].join('\n');
    expect(parseBody(body)).toEqual({
      blocks: [
        { kind: 'heading', children: [text('Giờ mở cửa mới')] },
        para(text('Từ tháng Tư, thư viện mở cửa'), { kind: 'break' }, text('cả Chủ nhật.')),
        { kind: 'list', items: [[text('Sáng: 7:30 – 11:00')], [text('Chiều: 13:30 – 17:00')]] },
        { kind: 'image', imageId: 12, alt: 'Phòng đọc thiếu nhi' },
        para(text('Mời các em đến đọc.')),
      ],
      images: [12],
      problems: [],
    });
  });

  it.each([
    ['# Một dấu thăng', 'heading'],
    ['### Ba dấu thăng', 'heading'],
    ['#### Bốn dấu thăng', 'paragraph'],
    ['#1 sách được mượn nhiều', 'paragraph'],
    ['-không có khoảng trắng', 'paragraph'],
    ['• Dấu chấm tròn', 'list'],
  ])('%j is a %s', (line, kind) => {
    expect(parseBody(line).blocks[0]!.kind).toBe(kind);
  });

  it('ends a list at a line that is not an item, and a paragraph at a list', () => {
    expect(parseBody('Trước\n- một\n- hai\nSau').blocks.map((b) => b.kind)).toEqual(['paragraph', 'list', 'paragraph']);
  });

  it('normalises line ends, NFC and control characters', () => {
    const decomposed = 'Thu\u031b vie\u0323\u0302n';
    expect(parseBody(`${decomposed}\r\nhai\u0007`).blocks).toEqual([para(text('Thư viện'), { kind: 'break' }, text('hai'))]);
  });

  it('lists each image once, in order', () => {
    expect(parseBody('![a](image:3)\n\n![b](image:1)\n\n![c](IMAGE:3)').images).toEqual([3, 1]);
  });

  it('gives nothing for an empty body', () => {
    expect(parseBody('  \n\n ')).toEqual({ blocks: [], images: [], problems: [] });
  });
});

describe('parseBody: inline marks', () => {
  const inline = (s: string) => (parseBody(s).blocks[0] as { children: Inline[] }).children;

  it('reads bold, italic and links, nested', () => {
    expect(inline('Sách **mới** và *hay* tại [thư viện **tỉnh**](https://thuvien.kiengiang.gov.vn/gioi-thieu).')).toEqual([
      text('Sách '),
      { kind: 'strong', children: [text('mới')] },
      text(' và '),
      { kind: 'em', children: [text('hay')] },
      text(' tại '),
      { kind: 'link', href: 'https://thuvien.kiengiang.gov.vn/gioi-thieu', internal: false, children: [text('thư viện '), { kind: 'strong', children: [text('tỉnh')] }] },
      text('.'),
    ]);
  });

  it('takes links inside the site', () => {
    expect(inline('[Tìm sách](/search?q=kien+giang)')).toEqual([{ kind: 'link', href: '/search?q=kien+giang', internal: true, children: [text('Tìm sách')] }]);
  });

  it('shows the address as the text of a link without one', () => {
    expect(inline('[](https://example.vn/)')).toEqual([{ kind: 'link', href: 'https://example.vn/', internal: false, children: [text('https://example.vn/')] }]);
  });

  it('keeps unmatched marks as text', () => {
    expect(inline('5 * 3 = 15, ** nothing, [not a link], [half](')).toEqual([text('5 * 3 = 15, ** nothing, [not a link], [half](')]);
    expect(inline('****')).toEqual([text('****')]);
  });

  it('makes escaped marks plain', () => {
    expect(inline('\\*không nghiêng\\* và \\[không phải liên kết\\](/x)')).toEqual([text('*không nghiêng* và [không phải liên kết](/x)')]);
  });

  it('allows no link inside a link', () => {
    const nodes = inline('[a [b](/x) c](/y)');
    expect(nodes.filter((n) => n.kind === 'link')).toHaveLength(1);
  });
});

describe('parseBody: hostile input', () => {
  it.each([
    'javascript:alert(1)',
    'JavaScript:alert(1)',
    ' javascript:alert(1)',
    'data:text/html;base64,PHNjcmlwdD4=',
    'vbscript:msgbox',
    'http://example.vn/',
    '//evil.example/',
    '/\\evil.example/',
    'https://user:pass@bank.example/',
    'https://bank.example@evil.example/',
    'https://',
    'ftp://example.vn/',
    'https://example.vn/"onmouseover="alert(1)',
    'mailto:a@b.vn',
  ])('shows a link to %j as text and reports it', (href) => {
    const body = parseBody(`Bấm [vào đây](${href}) nhé`);
    expect(JSON.stringify(body.blocks)).not.toContain('"kind":"link"');
    expect(inlineText((body.blocks[0] as { children: Inline[] }).children)).toContain('vào đây');
    expect(body.problems).toHaveLength(1);
    expect(body.problems[0]).toMatchObject({ line: 1, code: 'link' });
    // The address is cut at its first ")": what follows is text either way.
    expect(`[vào đây](${href})`.startsWith(body.problems[0]!.text)).toBe(true);
  });

  it('shows HTML tags as text, never as markup', () => {
    const body = parseBody('<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n<b>đậm</b>');
    expect(body.blocks).toEqual([para(text('<script>alert(1)</script>'), { kind: 'break' }, text('<img src=x onerror=alert(1)>'), { kind: 'break' }, text('<b>đậm</b>'))]);
    expect(body.problems).toEqual([]);
  });

  it('refuses images that are not an uploaded image of the library', () => {
    const body = parseBody('![x](https://evil.example/track.gif)\n\n![y](javascript:alert(1))\n\nChữ ![z](image:4) giữa dòng');
    expect(body.images).toEqual([]);
    expect(body.problems.map((p) => [p.line, p.code])).toEqual([
      [1, 'image'],
      [3, 'image'],
      [5, 'image'],
    ]);
    expect(JSON.stringify(body.blocks)).not.toContain('"kind":"image"');
  });

  it('reads a huge body of unmatched marks in one pass', () => {
    const hostile = '[['.repeat(100_000) + '**'.repeat(100_000) + '*a'.repeat(100_000) + ']('.repeat(50_000);
    const body = parseBody(hostile);
    expect(body.blocks).toHaveLength(1);
    expect(inlineText((body.blocks[0] as { children: Inline[] }).children).length).toBeGreaterThan(500_000);
  });

  it('reads a huge body of many lines', () => {
    const body = parseBody('- mục\n'.repeat(50_000) + '\n' + 'dòng\n'.repeat(50_000));
    expect(body.blocks.map((b) => b.kind)).toEqual(['list', 'paragraph']);
  });

  it('limits how deep marks nest', () => {
    const nodes = (parseBody('**a *b [c **d** e](/x) f* g**').blocks[0] as { children: Inline[] }).children;
    expect(inlineText(nodes)).toContain('d');
    const depth = (ns: Inline[]): number => Math.max(0, ...ns.map((n) => ('children' in n ? 1 + depth(n.children) : 0)));
    expect(depth(nodes)).toBeLessThanOrEqual(3);
  });
});

describe('safeHref', () => {
  it('keeps https links (normalised) and paths on the site', () => {
    expect(safeHref('https://Example.VN/a?b=c#d')).toEqual({ href: 'https://example.vn/a?b=c#d', internal: false });
    expect(safeHref('/l/thu-vien-tinh')).toEqual({ href: '/l/thu-vien-tinh', internal: true });
    expect(safeHref('https://xn--thvin-hra.vn/')).toEqual({ href: 'https://xn--thvin-hra.vn/', internal: false });
  });

  it('refuses an address too long', () => {
    expect(safeHref(`https://example.vn/${'a'.repeat(3000)}`)).toBeUndefined();
  });
});

describe('excerpt', () => {
  it('takes the opening paragraphs as plain text, cut at a word', () => {
    const body = parseBody('## Tiêu đề\n\nThư viện tỉnh **khai trương** phòng đọc mới dành cho thiếu nhi với hơn hai nghìn đầu sách.\n\n- một\n- hai');
    expect(excerpt(body, 60)).toBe('Thư viện tỉnh khai trương phòng đọc mới dành cho thiếu nhi…');
    expect(excerpt(body, 500)).toBe('Thư viện tỉnh khai trương phòng đọc mới dành cho thiếu nhi với hơn hai nghìn đầu sách. một; hai');
  });
});
