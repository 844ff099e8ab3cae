/**
 * Citations of real-looking Vietnamese and English records in APA 7, MLA 9, Chicago 17 and ISO 690,
 * checked line by line against the styles' rules (see the head of cite.ts), in English and in
 * Vietnamese wording.
 */
import { describe, expect, it } from 'vitest';
import { deriveFields } from './derive.js';
import { cite, citationEntry, citeAll, degreeLevel, dissertationNote, headlineCase, pageCount, type CitationStyle } from './cite.js';
import type { MarcLike } from './marc-like.js';
import { citeTerms } from '../../i18n/cite-terms.js';
import { translator } from '../../i18n/i18n.js';

const EN = citeTerms(translator('en'));
const VI = citeTerms(translator('vi'));

/** A data field from `'aValue'` strings: the first character is the subfield code. */
const d = (tag: string, ind: string, ...sf: string[]) => ({ tag, ind1: ind[0]!, ind2: ind[1]!, subfields: sf.map((s) => ({ code: s[0]!, value: s.slice(1) })) });
const f008 = (year: number, lang: string, form = ' ') => ({ tag: '008', value: `250101s${year}    vm    ${form}       000 0 ${lang} d` });
const rec = (...fields: MarcLike['fields'][number][]): MarcLike => ({ leader: '00000nam a2200000 i 4500', fields });

const RECORDS: Record<string, MarcLike> = {
  kieu: rec(
    f008(2015, 'vie'),
    d('100', '1 ', 'aNguyễn, Du,', 'd1765-1820.'),
    d('245', '10', 'aTruyện Kiều /', 'cNguyễn Du ; Đào Duy Anh khảo đính.'),
    d('250', '  ', 'aTái bản lần thứ 2.'),
    d('264', ' 1', 'aHà Nội :', 'bNxb. Văn học,', 'c2015.'),
    d('300', '  ', 'a447 tr. ;', 'c21 cm.'),
    d('490', '1 ', 'aVăn học cổ điển Việt Nam ;', 'v5'),
    d('700', '1 ', 'aĐào, Duy Anh,', 'ekhảo đính.'),
  ),
  mekong: rec(
    f008(2019, 'eng'),
    d('024', '7 ', 'a10.1017/9781108123456', '2doi'),
    d('100', '1 ', 'aSmith, John R.,', 'eauthor.'),
    d('245', '12', 'aA history of the Mekong delta :', 'bland and people in the age of rice /', 'cJohn R. Smith, Jane Doe, Nguyen Van Anh.'),
    d('250', '  ', 'a2nd edition.'),
    d('264', ' 1', 'aCambridge :', 'bCambridge University Press,', 'c2019.'),
    d('700', '1 ', 'aDoe, Jane,', 'eauthor.'),
    d('700', '1 ', 'aNguyen, Van Anh,', 'eauthor.'),
  ),
  thesis: rec(
    f008(2021, 'vie', 'm'),
    d('100', '1 ', 'aTrần, Thị Ngọc Lan.'),
    d('245', '10', 'aVăn hoá biển đảo của cư dân ven biển Kiên Giang /', 'cTrần Thị Ngọc Lan.'),
    d('264', ' 1', 'aRạch Giá,', 'c2021.'),
    d('300', '  ', 'a112 tr.'),
    d('502', '  ', 'bLuận văn thạc sĩ', 'cTrường Đại học Kiên Giang', 'd2021'),
    d('650', ' 7', 'aVăn hoá biển', '2vn'),
    d('700', '1 ', 'aPhạm, Minh Tuấn,', 'ehướng dẫn.'),
  ),
  phd: rec(
    f008(2008, 'eng', 'm'),
    d('100', '1 ', 'aChoi, Mihwa.'),
    d('245', '10', 'aContesting imaginaires in death rituals during the Northern Song dynasty /', 'cMihwa Choi.'),
    d('264', ' 0', 'c2008.'),
    d('502', '  ', 'aThesis (Ph. D.)--University of Chicago, 2008.'),
    d('856', '40', 'uhttps://knowledge.uchicago.edu/record/1234'),
  ),
  corporate: rec(f008(2013, 'vie'), d('110', '2 ', 'aỦy ban nhân dân tỉnh Kiên Giang.'), d('245', '10', 'aĐịa chí Kiên Giang.'), d('264', ' 1', 'aHà Nội :', 'bỦy ban nhân dân tỉnh Kiên Giang,', 'c2013.')),
  edited: rec(
    f008(1995, 'eng'),
    d('245', '00', 'aEssays into Vietnamese pasts /', 'cedited by K.W. Taylor and John K. Whitmore.'),
    d('264', ' 1', 'aIthaca, N.Y. :', 'bSoutheast Asia Program, Cornell University,', 'c1995.'),
    d('490', '1 ', 'aStudies on Southeast Asia ;', 'v19'),
    d('700', '1 ', 'aTaylor, K. W.', 'eeditor.'),
    d('700', '1 ', 'aWhitmore, John K.,', 'eeditor.'),
  ),
  translated: rec(
    f008(1995, 'eng'),
    d('100', '0 ', 'aBảo Ninh.'),
    d('245', '14', 'aThe sorrow of war :', 'ba novel of North Vietnam /', 'cBao Ninh ; English version by Frank Palmos.'),
    d('264', ' 1', 'aNew York :', 'bPantheon Books,', 'c1995.'),
    d('700', '1 ', 'aPalmos, Frank,', 'etranslator.'),
  ),
  anonymous: rec(d('245', '00', 'aCa dao, tục ngữ Việt Nam.'), d('260', '  ', 'a[K.đ.] :', 'b[k.nxb.]')),
};

const entry = (key: string) => citationEntry(deriveFields(RECORDS[key]!), RECORDS[key]!, { id: 7, landingUrl: 'https://thuvien.example.vn/record/7' });

describe('citations in English wording', () => {
  const cases: Array<[string, CitationStyle, string]> = [
    // A Vietnamese author catalogued inverted (`Nguyễn, Du`) is cited whole, in his own order.
    ['kieu', 'apa', 'Nguyễn Du. (2015). Truyện Kiều (Tái bản lần thứ 2). Nxb. Văn học.'],
    ['kieu', 'mla', 'Nguyễn Du. Truyện Kiều. Tái bản lần thứ 2, Nxb. Văn học, 2015. Văn học cổ điển Việt Nam, 5.'],
    ['kieu', 'chicago', 'Nguyễn Du. Truyện Kiều. Tái bản lần thứ 2. Văn học cổ điển Việt Nam 5. Hà Nội: Nxb. Văn học, 2015.'],
    ['kieu', 'iso690', 'Nguyễn Du. Truyện Kiều. Tái bản lần thứ 2. Hà Nội: Nxb. Văn học, 2015. Văn học cổ điển Việt Nam; 5.'],
    // Three authors, two Western and one Vietnamese written without marks; an edition; a DOI.
    ['mekong', 'apa', 'Smith, J. R., Doe, J., & Nguyen Van Anh. (2019). A history of the Mekong delta: Land and people in the age of rice (2nd ed.). Cambridge University Press. https://doi.org/10.1017/9781108123456'],
    ['mekong', 'mla', 'Smith, John R., et al. A History of the Mekong Delta: Land and People in the Age of Rice. 2nd ed., Cambridge University Press, 2019, https://doi.org/10.1017/9781108123456.'],
    ['mekong', 'chicago', 'Smith, John R., Jane Doe, and Nguyen Van Anh. A History of the Mekong Delta: Land and People in the Age of Rice. 2nd ed. Cambridge: Cambridge University Press, 2019. https://doi.org/10.1017/9781108123456.'],
    ['mekong', 'iso690', 'Smith, John R.; Doe, Jane; Nguyen Van Anh. A history of the Mekong delta: land and people in the age of rice. 2nd ed. Cambridge: Cambridge University Press, 2019. DOI 10.1017/9781108123456. Available from: https://doi.org/10.1017/9781108123456'],
    // A master's thesis known only in print: "unpublished" in APA, title in quotation marks in Chicago.
    ['thesis', 'apa', 'Trần Thị Ngọc Lan. (2021). Văn hoá biển đảo của cư dân ven biển Kiên Giang [Unpublished master’s thesis]. Trường Đại học Kiên Giang.'],
    ['thesis', 'mla', 'Trần Thị Ngọc Lan. Văn hoá biển đảo của cư dân ven biển Kiên Giang. 2021. Trường Đại học Kiên Giang, MA thesis.'],
    ['thesis', 'chicago', 'Trần Thị Ngọc Lan. “Văn hoá biển đảo của cư dân ven biển Kiên Giang.” Master’s thesis, Trường Đại học Kiên Giang, 2021.'],
    ['thesis', 'iso690', 'Trần Thị Ngọc Lan. Văn hoá biển đảo của cư dân ven biển Kiên Giang. Luận văn thạc sĩ. Rạch Giá: Trường Đại học Kiên Giang, 2021.'],
    // A doctoral dissertation from an old-style 502 $a, read online in a repository.
    ['phd', 'apa', 'Choi, M. (2008). Contesting imaginaires in death rituals during the Northern Song dynasty [Doctoral dissertation, University of Chicago]. https://knowledge.uchicago.edu/record/1234'],
    ['phd', 'mla', 'Choi, Mihwa. Contesting Imaginaires in Death Rituals during the Northern Song Dynasty. 2008. University of Chicago, PhD dissertation. knowledge.uchicago.edu/record/1234.'],
    ['phd', 'chicago', 'Choi, Mihwa. “Contesting Imaginaires in Death Rituals during the Northern Song Dynasty.” PhD diss., University of Chicago, 2008. https://knowledge.uchicago.edu/record/1234.'],
    ['phd', 'iso690', 'Choi, Mihwa. Contesting imaginaires in death rituals during the Northern Song dynasty [online]. Thesis (Ph. D.). University of Chicago, 2008. Available from: https://knowledge.uchicago.edu/record/1234'],
    // An organisation as author and publisher: APA names it once as author, MLA once as publisher.
    ['corporate', 'apa', 'Ủy ban nhân dân tỉnh Kiên Giang. (2013). Địa chí Kiên Giang.'],
    ['corporate', 'mla', 'Địa chí Kiên Giang. Ủy ban nhân dân tỉnh Kiên Giang, 2013.'],
    ['corporate', 'chicago', 'Ủy ban nhân dân tỉnh Kiên Giang. Địa chí Kiên Giang. Hà Nội: Ủy ban nhân dân tỉnh Kiên Giang, 2013.'],
    // Editors in the author's place.
    ['edited', 'apa', 'Taylor, K. W., & Whitmore, J. K. (Eds.). (1995). Essays into Vietnamese pasts. Southeast Asia Program, Cornell University.'],
    ['edited', 'mla', 'Taylor, K. W., and John K. Whitmore, editors. Essays into Vietnamese Pasts. Southeast Asia Program, Cornell University, 1995. Studies on Southeast Asia, 19.'],
    ['edited', 'chicago', 'Taylor, K. W., and John K. Whitmore, eds. Essays into Vietnamese Pasts. Studies on Southeast Asia 19. Ithaca, N.Y.: Southeast Asia Program, Cornell University, 1995.'],
    ['edited', 'iso690', 'Taylor, K. W.; Whitmore, John K. (eds.). Essays into Vietnamese pasts. Ithaca, N.Y.: Southeast Asia Program, Cornell University, 1995. Studies on Southeast Asia; 19.'],
    // A Vietnamese pen name written directly (`Bảo Ninh`, ind1 0) and a translator.
    ['translated', 'apa', 'Bảo Ninh. (1995). The sorrow of war: A novel of North Vietnam (F. Palmos, Trans.). Pantheon Books.'],
    ['translated', 'mla', 'Bảo Ninh. The Sorrow of War: A Novel of North Vietnam. Translated by Frank Palmos, Pantheon Books, 1995.'],
    ['translated', 'chicago', 'Bảo Ninh. The Sorrow of War: A Novel of North Vietnam. Translated by Frank Palmos. New York: Pantheon Books, 1995.'],
    ['translated', 'iso690', 'Bảo Ninh. The sorrow of war: a novel of North Vietnam. Translated by Frank Palmos. New York: Pantheon Books, 1995.'],
    // No author, no date, placeholders for place and publisher left out: the title leads.
    ['anonymous', 'apa', 'Ca dao, tục ngữ Việt Nam. (n.d.).'],
    ['anonymous', 'mla', 'Ca dao, tục ngữ Việt Nam.'],
    ['anonymous', 'chicago', 'Ca dao, tục ngữ Việt Nam. n.d.'],
    ['anonymous', 'iso690', 'Ca dao, tục ngữ Việt Nam. n.d.'],
  ];
  it.each(cases)('%s in %s', (key, style, want) => {
    expect(cite(entry(key), style, EN).text).toBe(want);
  });

  it('sets the title in italics, and a Chicago thesis title in quotation marks instead', () => {
    expect(cite(entry('kieu'), 'apa', EN).parts).toEqual([{ text: 'Nguyễn Du. (2015). ' }, { text: 'Truyện Kiều', italic: true }, { text: ' (Tái bản lần thứ 2). Nxb. Văn học.' }]);
    expect(cite(entry('thesis'), 'chicago', EN).parts.some((p) => p.italic)).toBe(false);
    for (const c of citeAll(entry('mekong'), EN)) expect(c.parts.map((p) => p.text).join('')).toBe(c.text);
  });
});

describe('citations in Vietnamese wording', () => {
  const cases: Array<[string, CitationStyle, string]> = [
    ['thesis', 'apa', 'Trần Thị Ngọc Lan. (2021). Văn hoá biển đảo của cư dân ven biển Kiên Giang [Luận văn thạc sĩ chưa công bố]. Trường Đại học Kiên Giang.'],
    ['thesis', 'mla', 'Trần Thị Ngọc Lan. Văn hoá biển đảo của cư dân ven biển Kiên Giang. 2021. Trường Đại học Kiên Giang, luận văn thạc sĩ.'],
    ['mekong', 'mla', 'Smith, John R., và cộng sự. A History of the Mekong Delta: Land and People in the Age of Rice. 2nd ed., Cambridge University Press, 2019, https://doi.org/10.1017/9781108123456.'],
    ['translated', 'apa', 'Bảo Ninh. (1995). The sorrow of war: A novel of North Vietnam (F. Palmos dịch). Pantheon Books.'],
    ['edited', 'chicago', 'Taylor, K. W., và John K. Whitmore, đồng chủ biên. Essays into Vietnamese Pasts. Studies on Southeast Asia 19. Ithaca, N.Y.: Southeast Asia Program, Cornell University, 1995.'],
    ['anonymous', 'apa', 'Ca dao, tục ngữ Việt Nam. (không rõ năm).'],
  ];
  it.each(cases)('%s in %s', (key, style, want) => {
    expect(cite(entry(key), style, VI).text).toBe(want);
  });
});

describe('many authors', () => {
  const names = Array.from({ length: 23 }, (_, i) => `Author${String.fromCharCode(65 + i)}, Given${String.fromCharCode(65 + i)}`);
  const many = (n: number) => rec(f008(2020, 'eng'), d('100', '1 ', `a${names[0]}`), d('245', '10', 'aBig science.'), d('264', ' 1', 'aBoston :', 'bPress,', 'c2020.'), ...names.slice(1, n).map((x) => d('700', '1 ', `a${x}`)));
  const of = (n: number) => citationEntry(deriveFields(many(n)), many(n), { id: 1 });

  it('APA lists up to twenty, then the first nineteen, an ellipsis and the last', () => {
    expect(cite(of(20), 'apa', EN).text).toMatch(/^AuthorA, G\., .*AuthorS, G\., & AuthorT, G\. \(2020\)\./);
    const apa21 = cite(of(21), 'apa', EN).text;
    expect(apa21).toMatch(/AuthorS, G\., \. \. \. AuthorU, G\. \(2020\)\./);
    expect(apa21).not.toContain('AuthorT');
    expect(apa21).not.toContain('&');
  });
  it('MLA names the first and "et al." from three; Chicago lists ten, then seven and "et al."', () => {
    expect(cite(of(2), 'mla', EN).text).toMatch(/^AuthorA, GivenA, and GivenB AuthorB\. /);
    expect(cite(of(3), 'mla', EN).text).toMatch(/^AuthorA, GivenA, et al\. /);
    expect(cite(of(10), 'chicago', EN).text).toMatch(/^AuthorA, GivenA, GivenB AuthorB, .*GivenI AuthorI, and GivenJ AuthorJ\. /);
    expect(cite(of(11), 'chicago', EN).text).toMatch(/^AuthorA, GivenA, GivenB AuthorB, .*GivenG AuthorG, et al\. /);
    expect(cite(of(11), 'chicago', EN).text).not.toContain('AuthorH');
  });
  it('ISO 690 lists three, then the first and "et al."', () => {
    expect(cite(of(3), 'iso690', EN).text).toMatch(/^AuthorA, GivenA; AuthorB, GivenB; AuthorC, GivenC\. /);
    expect(cite(of(4), 'iso690', EN).text).toMatch(/^AuthorA, GivenA et al\. /);
  });
});

describe('reading a record for citing', () => {
  it('keeps advisers and illustrators out, and a corporate added entry unless there is no other author', () => {
    const e = entry('thesis');
    expect(e.authors.map((a) => (a.kind === 'person' ? a.name.full : a.name))).toEqual(['Trần, Thị Ngọc Lan']);
    expect(e.thesis).toEqual({ level: 'masters', type: 'Luận văn thạc sĩ', institution: 'Trường Đại học Kiên Giang' });
    const body = rec(d('245', '00', 'aBáo cáo tổng kết.'), d('710', '2 ', 'aViện Khoa học xã hội vùng Nam Bộ.'), d('700', '1 ', 'aLê, Văn Hai,', 'eminh họa.'));
    expect(citationEntry(deriveFields(body), body, { id: 1 }).authors).toEqual([{ kind: 'organization', name: 'Viện Khoa học xã hội vùng Nam Bộ' }]);
  });
  it('reads a role written after the name, and a thesis named only in a note (a record made from Dublin Core)', () => {
    const dc = rec(
      d('100', '1 ', 'aTrần Thị Ngọc Lan'),
      d('245', '10', 'aVăn hoá biển đảo của cư dân ven biển Kiên Giang'),
      d('264', ' 1', 'bTrường Đại học Kiên Giang', 'c2021'),
      d('500', '  ', 'aLoại tài liệu: Luận văn thạc sĩ'),
      d('700', '1 ', 'aPhạm Minh Tuấn (hướng dẫn)'),
      d('700', '1 ', 'aLê Văn Hai (chủ biên)'),
      d('700', '1 ', 'aSmith, J. R. (John Robert)'),
    );
    const e = citationEntry(deriveFields(dc), dc, { id: 1, category: 'thesis' });
    expect(e.authors.map((a) => (a.kind === 'person' ? a.name.full : a.name))).toEqual(['Trần Thị Ngọc Lan', 'Smith, J. R. (John Robert)']);
    expect(e.editors.map((a) => (a.kind === 'person' ? a.name.full : a.name))).toEqual(['Lê Văn Hai']);
    expect(e.thesis).toEqual({ level: 'masters', type: 'Luận văn thạc sĩ', institution: 'Trường Đại học Kiên Giang' });
  });
  it('drops a parallel title given as $b, and first editions', () => {
    const r = rec(d('245', '10', 'aTruyện Kiều =', 'bThe tale of Kiều /', 'cNguyễn Du.'), d('250', '  ', 'aIn lần thứ 1.'));
    const e = citationEntry(deriveFields(r), r, { id: 1 });
    expect(e.subtitle).toBeUndefined();
    expect(e.edition).toBeUndefined();
  });
  it('treats a record as a thesis from its genre or its digital copy, and takes a DOI from a link', () => {
    const genre = rec(d('100', '1 ', 'aLê, Thị Hoa.'), d('245', '10', 'aNuôi tôm ở Kiên Giang.'), d('264', ' 1', 'bTrường Đại học Cần Thơ,', 'c2019.'), d('655', ' 7', 'aLuận án tiến sĩ', '2vn'), d('856', '41', 'uhttps://doi.org/10.1234%2Fabc.5'));
    const e = citationEntry(deriveFields(genre), genre, { id: 1 });
    expect(e.type).toBe('thesis');
    expect(e.thesis).toEqual({ level: 'doctoral', type: 'Luận án tiến sĩ', institution: 'Trường Đại học Cần Thơ' });
    expect(e.doi).toBe('10.1234/abc.5');
    const plain = rec(d('245', '10', 'aVăn hoá biển.'));
    expect(citationEntry(deriveFields(plain), plain, { id: 1, category: 'thesis' }).type).toBe('thesis');
    expect(citationEntry(deriveFields(plain), plain, { id: 1 }).type).toBe('book');
  });
  it.each([
    ['Luận văn thạc sĩ Văn hoá học', 'masters'],
    ['Luận án tiến sĩ Lịch sử', 'doctoral'],
    ['Khóa luận tốt nghiệp đại học', 'bachelors'],
    ['Thesis (Ph. D.)', 'doctoral'],
    ['Thesis (M.A.)', 'masters'],
    ['Luận văn', 'other'],
  ] as const)('reads the degree of %s as %s', (text, level) => {
    expect(degreeLevel(text)).toBe(level);
  });
  it('reads old and new dissertation notes', () => {
    expect(dissertationNote(RECORDS.phd)).toEqual({ type: 'Thesis (Ph. D.)', institution: 'University of Chicago', year: 2008 });
    expect(dissertationNote(rec(d('502', '  ', 'aLuận văn thạc sĩ -- Trường Đại học Cần Thơ, 2019')))).toEqual({ type: 'Luận văn thạc sĩ', institution: 'Trường Đại học Cần Thơ', year: 2019 });
    expect(dissertationNote(rec(d('245', '10', 'aX.')))).toBeUndefined();
  });
  it.each([
    ['447 tr. ; 21 cm', 447],
    ['xii, 262 p. : ill.', 262],
    ['2 tập', undefined],
    ['1 bản đồ', undefined],
  ])('counts the pages of "%s"', (extent, n) => {
    expect(pageCount(extent)).toBe(n);
  });
  it('writes English titles in headline case and leaves acronyms alone', () => {
    expect(headlineCase('a history of the Mekong delta: land and people in the age of rice')).toBe('A History of the Mekong Delta: Land and People in the Age of Rice');
    expect(headlineCase('what NASA knew about e-books and the world-wide web')).toBe('What NASA Knew about E-Books and the World-Wide Web');
  });
  it('never fails on an empty or damaged record', () => {
    for (const m of [rec(), { leader: '', fields: [] }, rec(d('245', '10', 'a'))]) {
      const e = citationEntry(deriveFields(m), m, { id: 1 });
      for (const c of citeAll(e, EN)) expect(c.text.length).toBeGreaterThan(0);
    }
  });
});
