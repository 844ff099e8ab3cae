/**
 * RIS and BibTeX writers: the shape of each format, names, and hostile text (braces, `%`, TeX
 * commands, line breaks) that must not break out of a field.
 */
import { describe, expect, it } from 'vitest';
import { parsePersonName } from '../../text/person-name.js';
import type { CitationEntry } from './entry.js';
import { risRecord, risType, writeRis } from './ris.js';
import { bibtexKey, bibtexRecord, escapeBibtex, writeBibtex } from './bibtex.js';

const person = (s: string) => ({ kind: 'person' as const, name: parsePersonName(s) });
const base: CitationEntry = {
  id: '12',
  type: 'book',
  electronic: false,
  title: 'Truyện Kiều',
  authors: [person('Nguyễn, Du')],
  editors: [person('Đào, Duy Anh')],
  translators: [],
  year: 1820,
  publishers: ['Nxb. Văn học'],
  place: 'Hà Nội',
  isbns: ['9786049690000'],
  issns: [],
  languages: ['vie'],
  keywords: ['Văn học Việt Nam -- Truyện thơ'],
  landingUrl: 'https://thuvien.example.vn/record/12',
};

describe('RIS', () => {
  it('writes one tagged line per element, CR LF, TY first and ER last', () => {
    const ris = risRecord({ ...base, series: { title: 'Văn học cổ điển', volume: '5' }, edition: 'Tái bản lần thứ 2', abstract: 'Truyện thơ Nôm.', pages: 447, callNumber: '895.9221 NG-D' });
    expect(ris).toBe(
      [
        'TY  - BOOK',
        'ID  - 12',
        'AU  - Nguyễn Du',
        'ED  - Đào Duy Anh',
        'TI  - Truyện Kiều',
        'T3  - Văn học cổ điển',
        'VL  - 5',
        'PY  - 1820',
        'ET  - Tái bản lần thứ 2',
        'PB  - Nxb. Văn học',
        'CY  - Hà Nội',
        'SN  - 9786049690000',
        'KW  - Văn học Việt Nam -- Truyện thơ',
        'AB  - Truyện thơ Nôm.',
        'UR  - https://thuvien.example.vn/record/12',
        'LA  - vi',
        'CN  - 895.9221 NG-D',
        'SP  - 447',
        'ER  - ',
        '',
      ].join('\r\n'),
    );
  });
  it('names types and keeps Western names inverted', () => {
    expect(risType({ ...base, electronic: true })).toBe('EBOOK');
    expect(risType({ ...base, type: 'thesis' })).toBe('THES');
    expect(risType({ ...base, type: 'article' })).toBe('JOUR');
    const thesis = risRecord({ ...base, type: 'thesis', authors: [person('Choi, Mihwa')], editors: [], thesis: { level: 'doctoral', type: 'Thesis (Ph. D.)', institution: 'University of Chicago' }, doi: '10.1/x' });
    expect(thesis).toContain('TY  - THES\r\n');
    expect(thesis).toContain('AU  - Choi, Mihwa\r\n');
    expect(thesis).toContain('PB  - University of Chicago\r\nM3  - Thesis (Ph. D.)\r\n');
    expect(thesis).toContain('DO  - 10.1/x\r\nUR  - https://doi.org/10.1/x\r\n');
  });
  it('never lets a value span lines or start a new tag', () => {
    const ris = writeRis([{ ...base, title: 'Dòng một\r\nER  - \nTY  - JOUR', abstract: 'a\u2028b\u0000c' }, base]);
    const lines = ris.split('\r\n');
    expect(lines.filter((l) => l.startsWith('TY  - '))).toHaveLength(2);
    expect(lines.filter((l) => l === 'ER  - ')).toHaveLength(2);
    expect(ris).toContain('TI  - Dòng một ER - TY - JOUR\r\n');
    expect(ris).toContain('AB  - a b c\r\n');
    expect(ris).not.toMatch(/[^\r]\n/);
  });
});

describe('BibTeX', () => {
  it('writes a book with UTF-8 kept, a Vietnamese name whole in braces and the title protected', () => {
    expect(bibtexRecord(base)).toBe(
      [
        '@book{nguyen1820truyen,',
        '  author    = {{Nguyễn Du}},',
        '  editor    = {{Đào Duy Anh}},',
        '  title     = {{Truyện Kiều}},',
        '  publisher = {Nxb. Văn học},',
        '  address   = {Hà Nội},',
        '  year      = {1820},',
        '  isbn      = {9786049690000},',
        '  url       = {https://thuvien.example.vn/record/12},',
        '  language  = {vietnamese},',
        '  keywords  = {Văn học Việt Nam -- Truyện thơ}',
        '}',
        '',
      ].join('\n'),
    );
  });
  it('chooses the entry type from the thesis level and keeps organisations whole', () => {
    const thesis = (level: 'doctoral' | 'masters' | 'bachelors') => bibtexRecord({ ...base, type: 'thesis', thesis: { level, type: 'Khóa luận tốt nghiệp', institution: 'Trường Đại học Kiên Giang' } });
    expect(thesis('doctoral')).toMatch(/^@phdthesis\{/);
    expect(thesis('masters')).toMatch(/^@mastersthesis\{/);
    expect(thesis('bachelors')).toMatch(/^@mastersthesis\{[^]*\n {2}type {5}= \{Khóa luận tốt nghiệp\},/);
    expect(thesis('masters')).toContain('school   = {Trường Đại học Kiên Giang}');
    const org = bibtexRecord({ ...base, authors: [{ kind: 'organization', name: 'Ủy ban nhân dân tỉnh Kiên Giang' }], editors: [] });
    expect(org).toContain('author    = {{Ủy ban nhân dân tỉnh Kiên Giang}}');
    expect(bibtexRecord({ ...base, authors: [person('Smith, John R.'), person('Gates, Bill, III')], editors: [] })).toContain('author    = {Smith, John R. and Gates, III, Bill}');
  });
  it('makes a stable ASCII key', () => {
    expect(bibtexKey(base)).toBe('nguyen1820truyen');
    expect(bibtexKey({ ...base, authors: [person('Smith, John')], title: 'The sorrow of war', year: undefined })).toBe('smithndsorrow');
    expect(bibtexKey({ ...base, authors: [{ kind: 'organization', name: 'Ủy ban nhân dân' }], title: 'Địa chí Kiên Giang' })).toBe('uy1820dia');
    expect(bibtexKey({ ...base, authors: [], editors: [], title: '1984', year: 1949 })).toBe('ref1219491984');
  });
  it('escapes what means something to TeX so no field breaks out', () => {
    expect(escapeBibtex('50% off {all} & more $5 #1 a_b ~ ^ \\end{document}\nnext')).toBe('50\\% off \\{all\\} \\& more \\$5 \\#1 a\\_b \\textasciitilde{} \\textasciicircum{} \\textbackslash{}end\\{document\\} next');
    const hostile = bibtexRecord({ ...base, title: 'Bad } title, author = {x', publishers: ['A}B'], url: 'https://x.vn/a b{c}', landingUrl: undefined, keywords: ['%comment'] });
    // Every field's braces balance: the entry closes exactly at its end.
    let depth = 0;
    let closedAt = -1;
    const body = hostile.slice(hostile.indexOf('{'));
    for (let i = 0; i < body.length; i++) {
      if (body[i] === '\\') {
        i++;
        continue;
      }
      if (body[i] === '{') depth++;
      if (body[i] === '}' && --depth === 0) {
        closedAt = i;
        break;
      }
    }
    expect(closedAt).toBe(body.trimEnd().length - 1);
    expect(hostile).toContain('title     = {{Bad \\} title, author = \\{x}}');
    expect(hostile).toContain('url       = {https://x.vn/a%20b%7Bc%7D}');
    expect(hostile).toContain('keywords  = {\\%comment}');
    expect(writeBibtex([base, base]).match(/^@book\{/gm)).toHaveLength(2);
  });
});
