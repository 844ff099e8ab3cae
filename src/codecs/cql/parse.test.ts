import { describe, expect, it } from 'vitest';
import type { CqlModifier, CqlNode, CqlPrefix, CqlQuery, CqlSearchClause } from './ast.js';
import { decodeCqlTerm, parseCql } from './parse.js';
import { toXcql } from './xcql.js';
import { cqlToSearch } from '../../domain/search/cql-map.js';
import { parseXml } from '../../../test/xml.js';

// A compact, unambiguous rendering of the tree, to pin the structure in tables:
// a bare term is its term; `[index relation/mods term]` otherwise; `(left op/mods right)`;
// prefix assignments as `>name=uri` before the node they scope; `sortBy key/mods …` at the end.
const q = (s: string, quoted: boolean): string => (quoted ? JSON.stringify(s) : s);
const mods = (ms: readonly CqlModifier[]): string => ms.map((m) => `/${m.type}${m.comparison ?? ''}${m.value ?? ''}`).join('');
const prefixes = (ps: readonly CqlPrefix[]): string => ps.map((p) => `>${p.name === undefined ? '' : `${p.name}=`}${p.uri} `).join('');

function show(n: CqlNode): string {
  if (n.type === 'triple') return `${prefixes(n.prefixes)}(${show(n.left)} ${n.op}${mods(n.modifiers)} ${show(n.right)})`;
  const bare = n.index === 'cql.serverChoice' && n.relation.value === '=' && n.relation.modifiers.length === 0;
  const body = bare ? q(n.term, n.quoted) : `[${n.index} ${n.relation.value}${mods(n.relation.modifiers)} ${q(n.term, n.quoted)}]`;
  return `${prefixes(n.prefixes)}${body}`;
}

function showQuery(query: CqlQuery): string {
  const sort = query.sortKeys.length === 0 ? '' : ` sortBy ${query.sortKeys.map((k) => `${k.index}${mods(k.modifiers)}`).join(' ')}`;
  return `${prefixes(query.prefixes)}${show(query.root)}${sort}`;
}

function parsed(input: string): CqlQuery {
  const r = parseCql(input);
  if (!r.ok) throw new Error(`${input}: ${r.diagnostic.message.en}`);
  return r.query;
}

describe('parseCql: queries', () => {
  it.each<[string, string]>([
    // terms
    ['cat', 'cat'],
    ['"cat"', '"cat"'],
    ['  cat  ', 'cat'],
    ['comp.os.linux', 'comp.os.linux'],
    ['"fish chips"', '"fish chips"'],
    ['""', '""'],
    ['"="', '"="'],
    ['lịch', 'lịch'],
    ['"lịch sử Việt Nam"', '"lịch sử Việt Nam"'],
    ['cat^', 'cat^'],
    ['cat?dog', 'cat?dog'],
    ['a\\(b', 'a\\(b'],
    ['a\\"b', 'a\\"b'],
    ['"a \\"quoted\\" word"', '"a \\\\\\"quoted\\\\\\" word"'],
    // keywords as terms
    ['all', 'all'],
    ['prox', 'prox'],
    ['"and"', '"and"'],
    ['sortby', 'sortby'],
    ['fred and any', '(fred and any)'],
    ['a or and', '(a or and)'],
    ['a or "or"', '(a or "or")'],
    // index relation term
    ['title = fish', '[title = fish]'],
    ['dc.title == "fish"', '[dc.title == "fish"]'],
    ['dc.title any "fish chips"', '[dc.title any "fish chips"]'],
    ['dc.title ALL fish', '[dc.title ALL fish]'],
    ['dc.title adj "a b"', '[dc.title adj "a b"]'],
    ['dc.date < 2000', '[dc.date < 2000]'],
    ['dc.date <= 2000', '[dc.date <= 2000]'],
    ['dc.date > 2000', '[dc.date > 2000]'],
    ['dc.date >= 2000', '[dc.date >= 2000]'],
    ['dc.date <> 2000', '[dc.date <> 2000]'],
    ['dc.date within "2000 2010"', '[dc.date within "2000 2010"]'],
    ['dc.date encloses 2005', '[dc.date encloses 2005]'],
    ['dc.title cql.adj "a b"', '[dc.title cql.adj "a b"]'],
    ['dc.title=fish', '[dc.title = fish]'],
    ['dc.title==fish', '[dc.title == fish]'],
    ['dc.date<>2000', '[dc.date <> 2000]'],
    ['"dc.title" = fish', '[dc.title = fish]'],
    ['title any and', '[title any and]'],
    ['title any sortby', '[title any sortby]'],
    ['all == any', '[all == any]'],
    ['a b c', '[a b c]'],
    // relation modifiers
    ['dc.title =/relevant fish', '[dc.title =/relevant fish]'],
    ['dc.title all/stem/locale=vi "lịch sử"', '[dc.title all/stem/locale=vi "lịch sử"]'],
    ['dc.title any / stem fish', '[dc.title any/stem fish]'],
    ['dc.title =/rel.algorithm=CORI squid', '[dc.title =/rel.algorithm=CORI squid]'],
    ['creator any/f.foo/b.bar>1 "x y"', '[creator any/f.foo/b.bar>1 "x y"]'],
    ['dc.title =/"quoted"="v a" x', '[dc.title =/quoted=v a x]'],
    // booleans, left to right, case-insensitive
    ['cat or dog', '(cat or dog)'],
    ['cat AND dog', '(cat and dog)'],
    ['cat Not dog', '(cat not dog)'],
    ['cat PROX dog', '(cat prox dog)'],
    ['a or b and c not d', '(((a or b) and c) not d)'],
    ['a or (b and c)', '(a or (b and c))'],
    ['(a or b) and (c or d)', '((a or b) and (c or d))'],
    ['(((a)))', 'a'],
    ['a and/rel.combine=sum b', '(a and/rel.combine=sum b)'],
    ['a or/rel.SumOfScores b', '(a or/rel.SumOfScores b)'],
    ['a prox/distance<=3/unit=word/ordered b', '(a prox/distance<=3/unit=word/ordered b)'],
    ['"fish food" prox/unit=sentence and', '("fish food" prox/unit=sentence and)'],
    ['title any fish or dc.creator any sanderson', '([title any fish] or [dc.creator any sanderson])'],
    // prefix assignments
    ['> dc = "info:srw/cql-context-set/1/dc-v1.1" dc.title any fish', '>dc=info:srw/cql-context-set/1/dc-v1.1 [dc.title any fish]'],
    ['> "info:x" title = fish', '>info:x [title = fish]'],
    ['>dc="u1" >"u2" a and b', '>dc=u1 >u2 (a and b)'],
    ['(> x = "u" x.a = b) or c', '(>x=u [x.a = b] or c)'],
    ['> a = "1" (> b = "2" x)', '>a=1 >b=2 x'],
    ['> any > any = exact any > any', '>any >any=exact [any > any]'],
    // sortBy
    ['a sortby title', 'a sortBy title'],
    ['a SORTBY dc.title/sort.descending dc.date', 'a sortBy dc.title/sort.descending dc.date'],
    ['a or b sortBy title/ascending author', '(a or b) sortBy title/ascending author'],
    ['dc.title any fish sortBy dc.date/sort.ascending/sort.missingOmit', '[dc.title any fish] sortBy dc.date/sort.ascending/sort.missingOmit'],
    ['> dc = "u" a sortBy dc.title', '>dc=u a sortBy dc.title'],
    ['a sortby and', 'a sortBy and'],
  ])('%j → %s', (input, expected) => {
    expect(showQuery(parsed(input))).toBe(expected);
  });

  it('keeps positions: the clause, its term, the boolean and each modifier', () => {
    const query = parsed('dc.title any/stem "fish" or cat');
    const root = query.root;
    expect(root.type).toBe('triple');
    if (root.type !== 'triple') return;
    expect(root.position).toBe(25);
    const left = root.left as CqlSearchClause;
    expect(left.position).toBe(0);
    expect(left.termPosition).toBe(18);
    expect(left.relation.modifiers[0]!.position).toBe(13);
    expect((root.right as CqlSearchClause).position).toBe(28);
    expect(parsed('a sortBy  dc.title').sortKeys[0]!.position).toBe(10);
  });
});

describe('parseCql: terms, escapes and masking', () => {
  it.each<[string, string, number[], boolean]>([
    ['cat', 'cat', [], false],
    ['c*t', 'c*t', [1], false],
    ['"c\\*t"', 'c*t', [], true],
    ['thư*', 'thư*', [3], false],
    ['ab**', 'ab**', [2, 3], false],
    ['"*fish food*"', '*fish food*', [0, 10], true],
    ['c?t', 'c?t', [1], false],
    ['c\\?t', 'c?t', [], false],
    ['"^cat in the hat"', '^cat in the hat', [0], true],
    ['"\\^cat"', '^cat', [], true],
    ['"say \\"hi\\""', 'say "hi"', [], true],
    ['"back\\\\slash"', 'back\\slash', [], true],
    ['"\\\\*"', '\\*', [1], true],
    ['a\\', 'a\\', [], false],
    ['"đường \\* sắt"', 'đường * sắt', [], true],
  ])('%s → text %j, masks %j', (input, text, masks, quoted) => {
    const clause = parsed(input).root as CqlSearchClause;
    expect(clause.type).toBe('searchClause');
    expect(clause.text).toBe(text);
    expect(clause.masks).toEqual(masks);
    expect(clause.quoted).toBe(quoted);
    for (const at of clause.masks) expect('*?^').toContain(clause.text[at]);
  });

  it('decodeCqlTerm resolves escapes and records masks', () => {
    expect(decodeCqlTerm('a\\*b*c\\')).toEqual({ text: 'a*b*c\\', masks: [3] });
    expect(decodeCqlTerm('')).toEqual({ text: '', masks: [] });
  });

  it('keeps the term as written for XCQL (backslashes included)', () => {
    const clause = parsed('"^cat says \\"fish\\""').root as CqlSearchClause;
    expect(clause.term).toBe('^cat says \\"fish\\"');
    expect(clause.text).toBe('^cat says "fish"');
  });
});

describe('parseCql: errors', () => {
  it.each<[string, number, number]>([
    ['', 10, 0],
    ['   ', 10, 0],
    ['<', 10, 0],
    ['===', 10, 0],
    ['missingClause or', 10, 16],
    ['missingTerm any', 10, 15],
    ['a and', 10, 5],
    ['a b', 10, 3],
    ['a.b c', 10, 5],
    ['all a', 10, 5],
    ['a b.c', 10, 5],
    ['dc.title a b c and d', 10, 13],
    ['a / b', 10, 2],
    ['dc.title any/ fish', 10, 18],
    ['dc.title any/stem= fish', 10, 23],
    ['a sortby', 10, 8],
    ['a sortby title )', 13, 15],
    ['(a sortby title)', 10, 3],
    ['> dc = ', 10, 7],
    ['> illegal="urn:missingQuery" ', 10, 29],
    ['a and > dc = "u" b', 10, 6],
    ['"never closed', 14, 0],
    ['a and "b\\"', 14, 6],
    ['()', 13, 1],
    ['(missingParen', 13, 13],
    ['missingParen any fish)', 13, 21],
    ['(emptyParens or ())', 13, 17],
    ['title = ("illegal parentheses")', 13, 8],
    ['(a or b', 13, 7],
    ['(a or b c)', 13, 9],
    ['(a or b c d e)', 10, 12],
  ])('%j → diagnostic %i at %i', (input, code, position) => {
    const r = parseCql(input);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostic.code).toBe(code);
    expect(r.diagnostic.uri).toBe(`info:srw/diagnostic/1/${code}`);
    expect(r.diagnostic.position).toBe(position);
    expect(r.diagnostic.message.en).not.toBe('');
    expect(r.diagnostic.message.vi).not.toBe('');
  });

  it('says what was expected, in English and Vietnamese', () => {
    const r = parseCql('dc.title any');
    expect(r).toEqual({
      ok: false,
      diagnostic: {
        code: 10,
        uri: 'info:srw/diagnostic/1/10',
        message: {
          en: 'Query syntax error: expected a search term after the relation "any", found the end of the query',
          vi: 'Lỗi cú pháp truy vấn: cần một từ tìm kiếm sau quan hệ "any", nhưng gặp cuối truy vấn',
        },
        position: 12,
      },
    });
  });

  it('refuses what is not text', () => {
    const r = parseCql(42 as unknown as string);
    expect(r.ok === false && r.diagnostic.code).toBe(10);
  });
});

describe('parseCql: limits', () => {
  it('refuses a query longer than maxLength (default 4096) with diagnostic 12', () => {
    const long = `"${'a'.repeat(4094)}"`;
    expect(parseCql(long).ok).toBe(true);
    const r = parseCql(`${long} `);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostic).toMatchObject({ code: 12, details: '4096', position: 4096 });
    const short = parseCql('dc.title = abcdef', { maxLength: 10 });
    expect(short.ok === false && short.diagnostic.details).toBe('10');
  });

  it('refuses parentheses nested deeper than maxDepth (default 64) with diagnostic 13', () => {
    const nest = (n: number): string => `${'('.repeat(n)}a${')'.repeat(n)}`;
    expect(parseCql(nest(64)).ok).toBe(true);
    const r = parseCql(nest(65));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostic).toMatchObject({ code: 13, details: '64', position: 64 });
    expect(parseCql(nest(3), { maxDepth: 2 }).ok).toBe(false);
    expect(parseCql(nest(2), { maxDepth: 2 }).ok).toBe(true);
    // Far beyond any stack: still a diagnostic, not an exception.
    const deep = parseCql(nest(200_000), { maxLength: 1_000_000 });
    expect(deep.ok === false && deep.diagnostic.code).toBe(13);
  });

  it('takes a boolean chain of any length without recursion, and so do toXcql and cqlToSearch', () => {
    const n = 20_000;
    const text = Array.from({ length: n }, (_, i) => `w${i}`).join(' or ');
    const r = parseCql(text, { maxLength: text.length });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    let depth = 0;
    for (let node: CqlNode = r.query.root; node.type === 'triple'; node = node.left) depth++;
    expect(depth).toBe(n - 1);
    const xml = toXcql(r.query);
    expect(xml.split('<triple>').length - 1).toBe(n - 1);
    const mapped = cqlToSearch(r.query);
    expect(mapped.ok === false && mapped.diagnostic.code).toBe(38);
  });

  it('ignores limits that are not sensible numbers', () => {
    expect(parseCql('a', { maxLength: Number.NaN, maxDepth: -1 }).ok).toBe(true);
  });
});

describe('parseCql: never throws', () => {
  // A small deterministic generator (mulberry32), so that a failure can be replayed.
  function random(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const PIECES = [
    'a', 'b', 'dc.title', 'title', 'bath.isbn', 'cql.allRecords', ' ', ' ', ' ', '(', ')', '"', '\\', '=', '==', '<', '>', '<>', '/', '*', '?', '^',
    '.', 'and', 'or', 'not', 'prox', 'sortBy', 'any', 'all', 'adj', 'within', 'sử', 'ạ', '\u0000', '\ud800', '\udc00', '😀', '\t', '\n', 'x=1', '>dc="u"',
  ];

  it('gives a query or a diagnostic for 3000 random inputs; queries write as well-formed XCQL and map without exceptions', () => {
    const next = random(20240601);
    for (let k = 0; k < 3000; k++) {
      const len = Math.floor(next() * 24);
      let input = '';
      for (let i = 0; i < len; i++) input += PIECES[Math.floor(next() * PIECES.length)];
      const r = parseCql(input);
      if (r.ok) {
        const xml = toXcql(r.query);
        expect(() => parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`), input).not.toThrow();
        const mapped = cqlToSearch(r.query);
        if (!mapped.ok) expect(mapped.diagnostic.code, input).not.toBe(1);
      } else {
        expect(r.diagnostic.code, input).not.toBe(1);
        expect(r.diagnostic.position, input).toBeGreaterThanOrEqual(0);
        expect(r.diagnostic.position, input).toBeLessThanOrEqual(input.length);
      }
    }
  });

  it('accepts 2000 random queries built from the grammar', () => {
    const next = random(1234);
    const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]!;
    const WORDS = ['cat', 'lịch', 'sử*', 'c?t', 'a\\(b', 'dc.x', 'ml:el', '^a', '978-604-1-12348-9', 'and', 'OR', 'prox', 'sortBy', 'any'];
    const QUOTED = ['"fish chips"', '""', '"and"', '"a \\"b\\""', '"=/<>()"', '"lịch sử"', '"sortby"'];
    const INDEXES = ['dc.title', 'title', 'bath.isbn', 'cql.allRecords', 'dc.date', '"dc.creator"', 'and', 'x.y.z'];
    const RELATIONS = ['=', '==', '<>', '<', '>', '<=', '>=', 'any', 'all', 'adj', 'within', 'encloses', 'cql.adj', 'Foo.bar'];
    const term = (): string => (next() < 0.6 ? pick(WORDS) : pick(QUOTED));
    const modifiers = (): string => {
      let s = '';
      while (next() < 0.3) s += `/${pick(['stem', 'rel.algorithm', 'locale', '"q m"'])}${next() < 0.4 ? `${pick(['=', '<', '>=', '<>', '=='])}${term()}` : ''}`;
      return s;
    };
    const prefixes = (): string => {
      let s = '';
      while (next() < 0.2) s += next() < 0.5 ? `> ${pick(['dc', 'x'])} = "${pick(['info:a', 'http://b/'])}" ` : `> "info:c" `;
      return s;
    };
    const clause = (depth: number): string => {
      const r = next();
      if (r < 0.15 && depth < 4) return `(${prefixes()}${query(depth + 1)})`;
      if (r < 0.5) return term();
      return `${pick(INDEXES)} ${pick(RELATIONS)}${modifiers()} ${term()}`;
    };
    const query = (depth: number): string => {
      let s = clause(depth);
      while (next() < 0.4) s += ` ${pick(['and', 'OR', 'not', 'prox', 'Prox'])}${modifiers()} ${clause(depth)}`;
      return s;
    };
    for (let k = 0; k < 2000; k++) {
      let input = `${prefixes()}${query(0)}`;
      if (next() < 0.3) input += ` sortBy ${pick(INDEXES)}${modifiers()}${next() < 0.5 ? ` ${pick(INDEXES)}` : ''}`;
      const r = parseCql(input);
      expect(r.ok, input).toBe(true);
      if (!r.ok) continue;
      expect(() => parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n${toXcql(r.query)}`), input).not.toThrow();
      const mapped = cqlToSearch(r.query);
      if (!mapped.ok) expect(mapped.diagnostic.code, input).not.toBe(1);
    }
  });

  it('handles arbitrary code units', () => {
    const next = random(7);
    for (let k = 0; k < 500; k++) {
      const len = Math.floor(next() * 40);
      const input = String.fromCharCode(...Array.from({ length: len }, () => Math.floor(next() * 0x10000)));
      const r = parseCql(input);
      expect(typeof r.ok).toBe('boolean');
      if (!r.ok) expect(r.diagnostic.code).not.toBe(1);
    }
  });
});
