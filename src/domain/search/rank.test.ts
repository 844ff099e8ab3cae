import { describe, expect, it } from 'vitest';
import { deriveFields } from '../catalog/derive.js';
import type { MarcDataField, MarcLikeField } from '../catalog/marc-like.js';
import { compileQuery } from './compile.js';
import { buildSearchDoc, type SearchDoc } from './document.js';
import { parseQuery } from './query.js';
import { scoreDoc, scorer, WEIGHTS } from './rank.js';

// ---------------------------------------------------------------------------------------------
// Candidates written as one line: `Title | b: subtitle | a: Author; Author | s: Subject; Subject | n: note | p: publisher`.
// Each becomes a tiny MARC record, then deriveFields and buildSearchDoc, so ranking reads the
// same folded and exact tokens the index stores.

const df = (tag: string, ind: string, ...cv: string[]): MarcDataField => {
  const subfields = [];
  for (let i = 0; i < cv.length; i += 2) subfields.push({ code: cv[i]!, value: cv[i + 1]! });
  return { tag, ind1: ind[0]!, ind2: ind[1]!, subfields };
};

function candidate(spec: string): SearchDoc {
  const [title, ...parts] = spec.split(' | ');
  const part = (k: string) => parts.filter((p) => p.startsWith(`${k}: `)).flatMap((p) => p.slice(3).split('; '));
  const [main, ...added] = part('a');
  const fields: MarcLikeField[] = [];
  if (main) fields.push(df('100', '1 ', 'a', main));
  const subtitle = part('b')[0];
  fields.push(subtitle ? df('245', '10', 'a', title!, 'b', subtitle) : df('245', '10', 'a', title!));
  for (const p of part('p')) fields.push(df('264', ' 1', 'b', p));
  for (const n of part('n')) fields.push(df('500', '  ', 'a', n));
  for (const s of part('s')) fields.push(df('650', ' 7', 'a', s));
  for (const a of added) fields.push(df('700', '1 ', 'a', a));
  return buildSearchDoc({ id: 1, derived: deriveFields({ leader: '00000nam a2200000 i 4500', fields }), createdAt: '', items: [] });
}

/**
 * Scores as the search service does — one scorer for all the candidates of a query — with
 * `wholeTitle` when the folded short title is the query's free words; `each`: a new one for each.
 */
function scores(query: string, specs: readonly string[], each = false): Map<string, number> {
  const { words } = compileQuery(parseQuery(query).node);
  const free = words
    .filter((w) => w.field === null || w.field === 'title')
    .flatMap((w) => w.folded)
    .join(' ');
  const shared = scorer(words);
  return new Map(
    specs.map((s) => {
      const d = candidate(s);
      const opts = { wholeTitle: free !== '' && d.titleKey === free };
      return [s, each ? scoreDoc(words, d.rank, opts) : shared(d.rank, opts)];
    }),
  );
}

/** The candidates by score, best first; `= ` before a candidate: it scores the same as the one before. */
function ranked(query: string, expected: readonly string[]): string[] {
  const specs = expected.map((e) => e.replace(/^= /u, ''));
  // Score them in reverse, so that nothing depends on the order they are given in.
  const s = scores(query, [...specs].reverse());
  const order = [...s.keys()].sort((a, b) => s.get(b)! - s.get(a)! || specs.indexOf(a) - specs.indexOf(b));
  return order.map((spec, i) => (i > 0 && s.get(spec) === s.get(order[i - 1]!) ? `= ${spec}` : spec));
}

// ---------------------------------------------------------------------------------------------

/**
 * THE TABLE: query → the candidates in the order scoreDoc puts them (first = best).
 * `= X`: X ties with the line above it (the caller then breaks the tie by copies held and year).
 */
const CASES: [query: string, order: string[]][] = [
  // --- Tones: a word typed with marks prefers the exact spelling; without marks all spellings are equal.
  ['Đường', ['Đường về quê mẹ', 'Dương cầm và em']],
  ['Dương', ['Dương cầm và em', 'Đường về quê mẹ']],
  ['duong', ['Đường về quê mẹ', '= Dương cầm và em']],
  ['đường', ['Đường về quê mẹ', 'Dương cầm và em']],
  // Old (`hòa`) and new (`hoà`) tone placement are the same exact spelling; `hoá` is another tone.
  ['hoà bình', ['Hòa bình và phát triển', 'Hoá bình và phát triển', 'Hoa binh va phat trien']],
  ['hòa bình', ['Hoà bình và phát triển', '= Hòa bình và phát triển', 'Hoa binh va phat trien']],
  // i/y: `kỹ` = `kĩ`, spelled with marks or not.
  ['kỹ thuật', ['Kĩ thuật trồng lúa', '= Kỹ thuật nuôi tôm', 'Ky thuat nuoi tom']],
  ['ky thuat', ['Kĩ thuật trồng lúa', '= Kỹ thuật nuôi tôm', '= Ky thuat nuoi tom']],
  // The exact bonus counts in the author field too.
  ['Hoà', ['Sách mới | a: Lê Thị Hòa', 'Sách mới | a: Lê Thị Hoa']],

  // --- Fields: title above author above subject above anything else.
  ['hoa', ['Hoa dại ven đường', 'Sách mới | a: Trần Văn Hoa', 'Sách mới | s: Hoa', 'Sách mới | n: Tranh hoa']],
  ['lich su', ['Lịch sử Huế', 'Sách mới | a: Lịch Sử', 'Sách mới | s: Lịch sử', 'Sách mới | n: Lịch sử cuốn sách']],
  // A word in the title and the author counts once, by its best field.
  ['hoa', ['Hoa dại ven đường', '= Hoa dại ven suối | a: Trần Văn Hoa | s: Hoa']],
  // Field-restricted words weigh only in their field.
  ['author:hoa', ['Sách mới | a: Lê Thị Hoa', '= Hoa dại | a: Nguyễn Hoa']],
  ['title:hoa', ['Hoa dại', '= Hoa hồng | a: Lê Thị Hoa | s: Hoa']],
  // The whole heading typed as written edges ahead of a longer heading.
  ['subject:"lich su"', ['Lịch sử Việt Nam | s: Lịch sử', 'Văn hoá | s: Lịch sử Việt Nam']],
  ['author:"Hoà" hoa', ['Hoa dại | a: Lê Thị Hòa', 'Hoa dại | a: Lê Thị Hoa', 'Sách | a: Lê Thị Hòa | s: Hoa']],

  // --- Phrases and proximity: adjacent words beat scattered ones; nearer beats farther.
  ['viet nam', ['Lịch sử Việt Nam hiện đại', 'Nam Việt hôm nay xưa', 'Việt ngữ miền Nam xưa']],
  ['kien giang', ['Kiên và Giang xưa', '= Giang và Kiên nay', 'Kiên một hai ba Giang']],
  ['"viet nam"', ['Lịch sử Việt Nam hiện đại', 'Truyện ngắn | a: Nguyễn Việt Nam', 'Truyện ngắn | s: Việt Nam']],
  ['"lịch sử" việt', ['Lịch sử Việt', 'Lịch sử nước Việt', 'Việt sử | s: Lịch sử']],

  // --- Whole title first, then shorter titles (coverage).
  ['lich su viet nam', ['Lịch sử Việt Nam', 'Lịch sử Việt Nam cận đại', 'Nam Bộ: lịch sử khẩn hoang | b: Việt Nam thế kỷ XVII']],
  ['lịch sử việt nam', ['Lịch sử Việt Nam', 'Lịch sử Việt Nam cận đại', 'Nam Bộ: lịch sử khẩn hoang | b: Việt Nam thế kỷ XVII']],
  // The whole title is the short title (245 $a $n $p): a subtitle does not spoil it.
  ['lich su viet nam', ['Lịch sử Việt Nam | b: giáo trình', 'Lịch sử Việt Nam cận đại']],
  // Typed with tones, the exact whole title gets the extra bonus; an unmarked whole title still beats a longer one.
  ['Lịch sử Việt Nam', ['Lịch sử Việt Nam', 'Lich su Viet Nam', 'Lịch sử Việt Nam cận đại']],
  ['Hoà bình', ['Hòa bình', 'Hoa binh', 'Hòa bình và phát triển']],
  ['kien giang', ['Địa chí Kiên Giang', 'Thư viện tỉnh Kiên Giang', 'Kiên Giang xưa và nay hôm qua']],

  // --- Prefix words.
  ['lic*', ['Lịch sử Huế', 'Sách mới | a: Lich Nam', 'Sách mới | s: Lịch sử']],
  ['thu*', ['Thư viện', '= Thuỷ sản', '= Thu hoạch']],
  ['lich su viet na*', ['Lịch sử Việt Nam', 'Lịch sử Việt Nam cận đại', 'Nam Bộ: lịch sử khẩn hoang | b: Việt Nam thế kỷ XVII']],
  ['title:thu*', ['Thư viện', 'Sách | a: Thu Hà']],
];

describe('scoreDoc: the table of scored cases', () => {
  it.each(CASES)('%j → %j', (query, order) => {
    expect(ranked(query, order)).toEqual(order);
  });

  it('scores each candidate alike whether one scorer serves them all or each has its own', () => {
    for (const [query, order] of CASES) {
      const specs = order.map((e) => e.replace(/^= /u, ''));
      // Twice over, so that a scorer that kept anything from one candidate to the next would show it.
      const twice = [...specs, ...[...specs].reverse()];
      expect([...scores(query, twice).entries()], query).toEqual([...scores(query, twice, true).entries()]);
    }
  });

  it('has cases for every rule', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(15);
  });
});

describe('scoreDoc: what each part is worth', () => {
  const { title, author, subject, other, exact, wholeTitle, wholeTitleExact, coverage } = WEIGHTS;
  it.each<[string, string, number]>([
    ['hoa', 'Sách mới | a: Trần Văn Hoa', author],
    ['hoa', 'Sách mới | s: Hoa', subject],
    ['hoa', 'Sách mới | n: hoa', other],
    ['publisher:tre', 'Sách mới | p: NXB Trẻ', other],
    // Title word + coverage (1 of 4 title words) ...
    ['duong', 'Đường về quê mẹ', title + coverage / 4],
    // ... + half again for the exact spelling.
    ['Đường', 'Đường về quê mẹ', title * (1 + exact) + coverage / 4],
    ['Dương', 'Đường về quê mẹ', title + coverage / 4],
    ['Hoà', 'Sách mới | a: Lê Thị Hòa', author * (1 + exact)],
    // The whole title, and the whole title spelled exactly.
    ['hoa', 'Hoa', title + coverage + wholeTitle],
    ['Hoà', 'Hòa', title * (1 + exact) + coverage + wholeTitle + wholeTitleExact],
    ['Hoà', 'Hoa', title + coverage + wholeTitle],
  ])('%j on %j = %d', (query, spec, expected) => {
    expect(scores(query, [spec]).get(spec)).toBeCloseTo(expected, 3);
  });

  it('scores nothing for a query without words', () => {
    expect(scores('978-604-1-12348-9', ['Sách']).get('Sách')).toBe(0);
    expect(scoreDoc([], candidate('Sách').rank)).toBe(0);
  });

  it('is deterministic and rounded to thousandths', () => {
    const s = scores('kien giang', ['Kiên một hai ba Giang']).get('Kiên một hai ba Giang')!;
    expect(s).toBe(Math.round(s * 1000) / 1000);
    expect(scores('kien giang', ['Kiên một hai ba Giang']).get('Kiên một hai ba Giang')).toBe(s);
  });
});

describe('scoreDoc: a whole author name typed as written', () => {
  // Each word counts by its best field, so without the whole-name bonus a title holding one
  // syllable of a name would beat the records of the author named exactly.
  it.each<[string, string[]]>([
    ['nguyen du', ['Truyện Kiều | a: Nguyễn Du', 'Du ký | a: Nguyễn Văn Minh']],
    ['son nam', ['Nam Bộ | a: Sơn Nam', 'Sơn La và Nam Định']],
  ])('%j → %j', (query, order) => {
    expect(ranked(query, order)).toEqual(order);
  });
});
