/**
 * From a parsed CQL 1.2 query (SRU) to our catalogue search: the same `ParsedQuery` that
 * `parseQuery` makes of the search box, plus the sort order. Pure; what we cannot search becomes
 * an SRU diagnostic, never an approximation the client did not ask for.
 *
 * Context sets: `cql` (info:srw/cql-context-set/1/cql-v1.2), `dc` (…/dc-v1.1), `bath`
 * (http://zing.z3950.org/cql/bath/2.0/) and `sort` (…/sort-v1.0, for sort modifiers) are known by
 * those prefixes; a query may declare its own prefixes for them (`> x = "…dc-v1.1" x.title = a`),
 * and `> "uri"` changes the default set. An index without a prefix is in the default set, `dc`
 * unless the query says otherwise (CQL 1.2: "if the prefix is not supplied, it is determined by
 * the server"). Unknown prefixes and identifiers → 15.
 *
 * Indexes (anything else → 16; `cql.resultSetId` → 50):
 * - any field: `cql.serverChoice` (a bare term), `cql.anywhere`, `cql.keywords`, `bath.any`;
 * - title: `dc.title`, `bath.title`, `bath.uniformTitle` (130/240 are in our title index) and
 *   `bath.keyTitle` (a serial's key title, 222, is built from its title proper, which we index);
 * - author: `dc.creator`, `dc.contributor`, `bath.author`, `bath.name`, `bath.personalName`,
 *   `bath.corporateName`, `bath.conferenceName` (100/110/111/700/710/711 are one index);
 * - subject: `dc.subject`, `bath.subject`, `bath.topicalSubject`, `bath.geographicName`,
 *   `bath.genreForm` (600–655 are one index); publisher: `dc.publisher`;
 * - `bath.isbn`, `bath.issn`; `dc.identifier` holding a valid ISBN or ISSN (else 36);
 * - year: `dc.date`, with whole years only (else 36);
 * - `cql.allRecords`: every record, whatever relation and term follow. A query that comes to
 *   "everything" has `node: null` and `positive: false`, as `parseQuery('')` has: the search
 *   service then lists the whole catalogue; `… not cql.allRecords = 1` would match nothing → 48.
 * `bath.title`, `bath.author`, `bath.subject`, `bath.any` and `bath.isbn` are not in the Bath 2.0
 * context set, but clients send them; `dc.description` and the other indexes are not searchable
 * on their own here.
 *
 * Relations on words (`cql.` prefix allowed; anything else → 19, a relation the index cannot take → 22):
 * - `=` (and CQL 1.1 `scr`), `adj`: one word → that word; several → a phrase (CQL 1.2 reads `=`
 *   with several words as `adj`); `==` (and CQL 1.1 `exact`) → a phrase;
 * - `all` → every word (AND), `any` → one of the words (OR), `<>` → NOT the `=` search.
 * Words are split at white space; each becomes a term as `field:word` would in the search box,
 * with a bare ISBN or ISSN recognised under the any-field indexes as the search box does.
 * `dc.date` takes `=`, `==`, `<`, `>`, `<=`, `>=`, `<>`, `within "2000 2010"` and `any "2001 2003"`;
 * ISBN, ISSN and identifier indexes take `=`, `==`, `adj`, `any`, `all` and `<>`.
 *
 * Masking (unless `/unmasked`): `*` at the end of a word → a prefix search where our search has
 * one (a single syllable of at least two characters, else 29), `*` elsewhere → 49, `*` in a
 * phrase → 33, `?` → 28, `^` (anchoring) → 31; on year, ISBN and ISSN indexes any mask → 28.
 * Escaped `\*`, `\?`, `\^` are plain characters. An empty term, or one without any letter or
 * digit → 27.
 *
 * Relation modifiers we honour by doing what we always do: `relevant`, `ignoreCase`,
 * `ignoreAccents`, `word`, `masked`, `locale=…`; `unmasked` turns masking off; `isoDate` and
 * `number` on `dc.date`. Any other → 20. Booleans: `and`, `or`, `not` (a AND NOT b); `prox` → 39;
 * a modifier on a boolean → 46. More terms than `maxTerms` (default `DEFAULT_MAX_TERMS`) → 38.
 *
 * Sorting (`sortBy`): `dc.title` → 'title', `dc.creator` → 'author' (both ascending only, else
 * 90), `dc.date` → 'oldest', with `sort.descending` → 'newest'; `bath` title and name indexes as
 * above. Every key is checked (unknown index → 16, `respectCase` → 91, `missing…` → 92, other
 * modifiers → 20), and the first key orders the results: we sort by one key, so later keys, which
 * only break ties, are not applied. No `sortBy` → 'relevance'.
 */
import { cqlDiagnostic, type CqlDiagnostic, type CqlNode, type CqlPrefix, type CqlQuery, type CqlSearchClause, type CqlSortKey } from '../../codecs/cql/ast.js';
import { compactIsbn } from '../catalog/isbn.js';
import { DEFAULT_MAX_TERMS, bareStandardNumber, combine, countTerms, isbnValues, isPositive, issnValue, tokenize, type ParsedQuery, type QueryNode, type QueryProblem, type SearchField } from './query.js';

export type CqlSort = 'relevance' | 'newest' | 'oldest' | 'title' | 'author';

export type CqlSearchResult = { ok: true; parsed: ParsedQuery; sort: CqlSort } | { ok: false; diagnostic: CqlDiagnostic };

export interface CqlSearchOptions {
  /** Most term, phrase, ISBN, ISSN and year searches a query may hold (default `DEFAULT_MAX_TERMS`). */
  maxTerms?: number;
}

/** The context sets we know, by their identifiers, and the prefixes they have without a declaration. */
export const CQL_CONTEXT_SETS = {
  cql: 'info:srw/cql-context-set/1/cql-v1.2',
  dc: 'info:srw/cql-context-set/1/dc-v1.1',
  bath: 'http://zing.z3950.org/cql/bath/2.0/',
  sort: 'info:srw/cql-context-set/1/sort-v1.0',
} as const;
type SetId = keyof typeof CQL_CONTEXT_SETS;

/** Identifiers, lower case, including those of earlier versions that mean the same here. */
const SET_BY_URI: ReadonlyMap<string, SetId> = new Map([
  ['info:srw/cql-context-set/1/cql-v1.2', 'cql'],
  ['info:srw/cql-context-set/1/cql-v1.1', 'cql'],
  ['http://www.loc.gov/zing/cql/context-sets/cql/v1.1/', 'cql'],
  ['info:srw/cql-context-set/1/dc-v1.1', 'dc'],
  ['http://www.loc.gov/zing/cql/dc-indexes/v1.0/', 'dc'],
  ['http://zing.z3950.org/cql/bath/2.0/', 'bath'],
  ['http://zing.z3950.org/cql/bath/2.0', 'bath'],
  ['info:srw/cql-context-set/1/sort-v1.0', 'sort'],
]);

type IndexKind = { kind: 'text'; field: SearchField | null } | { kind: 'year' | 'isbn' | 'issn' | 'identifier' | 'all' | 'resultSet' };

const text = (field: SearchField | null): IndexKind => ({ kind: 'text', field });

const INDEXES: ReadonlyMap<string, IndexKind> = new Map([
  ['cql.serverchoice', text(null)],
  ['cql.anywhere', text(null)],
  ['cql.keywords', text(null)],
  ['cql.allrecords', { kind: 'all' }],
  ['cql.resultsetid', { kind: 'resultSet' }],
  ['dc.title', text('title')],
  ['dc.creator', text('author')],
  ['dc.contributor', text('author')],
  ['dc.subject', text('subject')],
  ['dc.publisher', text('publisher')],
  ['dc.date', { kind: 'year' }],
  ['dc.identifier', { kind: 'identifier' }],
  ['bath.any', text(null)],
  ['bath.title', text('title')],
  ['bath.keytitle', text('title')],
  ['bath.uniformtitle', text('title')],
  ['bath.author', text('author')],
  ['bath.name', text('author')],
  ['bath.personalname', text('author')],
  ['bath.corporatename', text('author')],
  ['bath.conferencename', text('author')],
  ['bath.subject', text('subject')],
  ['bath.topicalsubject', text('subject')],
  ['bath.geographicname', text('subject')],
  ['bath.genreform', text('subject')],
  ['bath.isbn', { kind: 'isbn' }],
  ['bath.issn', { kind: 'issn' }],
]);

const SORT_KEYS: ReadonlyMap<string, 'title' | 'author' | 'year'> = new Map([
  ['dc.title', 'title'],
  ['bath.title', 'title'],
  ['bath.keytitle', 'title'],
  ['bath.uniformtitle', 'title'],
  ['dc.creator', 'author'],
  ['dc.contributor', 'author'],
  ['bath.author', 'author'],
  ['bath.name', 'author'],
  ['bath.personalname', 'author'],
  ['bath.corporatename', 'author'],
  ['bath.conferencename', 'author'],
  ['dc.date', 'year'],
]);

/** Relation modifiers that ask for what our search does anyway. */
const HARMLESS_MODIFIERS: ReadonlySet<string> = new Set(['relevant', 'ignorecase', 'ignoreaccents', 'word', 'masked']);

// ---------------------------------------------------------------------------------------------
// The search box's rules for a word, reimplemented here because query.ts keeps them private.







function negate(node: QueryNode): QueryNode {
  return node.kind === 'not' ? node.child : { kind: 'not', child: node };
}



// ---------------------------------------------------------------------------------------------
// Results of a part of the query: a node, every record, or no record.

const ALL = Symbol('all records');
const NONE = Symbol('no record');
type Value = QueryNode | typeof ALL | typeof NONE;

function and(a: Value, b: Value): Value {
  if (a === NONE || b === NONE) return NONE;
  if (a === ALL) return b;
  if (b === ALL) return a;
  return combine('and', [a, b])!;
}

function or(a: Value, b: Value): Value {
  if (a === ALL || b === ALL) return ALL;
  if (a === NONE) return b;
  if (b === NONE) return a;
  return combine('or', [a, b])!;
}

function andNot(a: Value, b: Value): Value {
  if (b === ALL || a === NONE) return NONE;
  if (b === NONE) return a;
  if (a === ALL) return negate(b);
  return combine('and', [a, negate(b)])!;
}

// ---------------------------------------------------------------------------------------------

/** Prefix assignments in scope, innermost first. */
interface Scope {
  named: ReadonlyMap<string, string>;
  /** The identifier of the default set (`> "uri"`), if the query gave one. */
  fallback?: string;
  parent: Scope | null;
}

const DEFAULT_SCOPE: Scope = { named: new Map(Object.entries(CQL_CONTEXT_SETS)), parent: null };

function within(scope: Scope, prefixes: readonly CqlPrefix[]): Scope {
  if (prefixes.length === 0) return scope;
  const named = new Map<string, string>();
  let fallback: string | undefined;
  for (const p of prefixes) {
    if (p.name === undefined) fallback = p.uri;
    else named.set(p.name.toLowerCase(), p.uri);
  }
  return { named, parent: scope, ...(fallback === undefined ? {} : { fallback }) };
}

function lookup(scope: Scope, prefix: string | null): string | undefined {
  for (let s: Scope | null = scope; s; s = s.parent) {
    if (prefix === null) {
      if (s.fallback !== undefined) return s.fallback;
    } else {
      const uri = s.named.get(prefix);
      if (uri !== undefined) return uri;
    }
  }
  return prefix === null ? CQL_CONTEXT_SETS.dc : undefined;
}

class Stop {
  constructor(readonly diagnostic: CqlDiagnostic) {}
}

function fail(code: number, position: number | undefined, details: string | undefined, en: string, vi: string): Stop {
  return new Stop(cqlDiagnostic(code, { explain: [en, vi], ...(details === undefined ? {} : { details }), ...(position === undefined ? {} : { position }) }));
}

/** `dc.title` → set `dc`, name `title`; `title` → the default set. */
function resolveName(scope: Scope, written: string, position: number, defaultPrefix: string | null): { set: SetId; name: string } {
  const dot = written.indexOf('.');
  const prefix = dot < 0 ? defaultPrefix : written.slice(0, dot).toLowerCase();
  const name = (dot < 0 ? written : written.slice(dot + 1)).toLowerCase();
  const uri = lookup(scope, prefix);
  if (uri === undefined) {
    throw fail(15, position, prefix!, `no context set is known by the prefix "${prefix}"`, `không có bộ ngữ cảnh nào mang tiền tố "${prefix}"`);
  }
  const set = SET_BY_URI.get(uri.toLowerCase());
  if (set === undefined) throw fail(15, position, uri, `"${uri}"`, `"${uri}"`);
  return { set, name };
}

interface Word {
  text: string;
  /** Offsets in `text` of masking and anchoring characters. */
  masks: number[];
}

function splitWords(c: CqlSearchClause, unmasked: boolean): Word[] {
  const masks = new Set(unmasked ? [] : c.masks);
  const words: Word[] = [];
  let cur: Word | null = null;
  for (let i = 0; i < c.text.length; i++) {
    const ch = c.text[i]!;
    if (/\s/u.test(ch)) {
      cur = null;
      continue;
    }
    if (cur === null) {
      cur = { text: '', masks: [] };
      words.push(cur);
    }
    if (masks.has(i)) cur.masks.push(cur.text.length);
    cur.text += ch;
  }
  return words;
}

class Mapper {
  #terms = 0;
  readonly problems: QueryProblem[] = [];

  constructor(private readonly maxTerms: number) {}

  /** Walks a boolean chain's left spine in a loop: only parenthesised right operands recurse. */
  node(node: CqlNode, outer: Scope): Value {
    const spine = [];
    const scopes: Scope[] = [];
    let scope = outer;
    let leaf: CqlNode = node;
    while (leaf.type === 'triple') {
      scope = within(scope, leaf.prefixes);
      spine.push(leaf);
      scopes.push(scope);
      leaf = leaf.left;
    }
    let acc = this.clause(leaf, within(scope, leaf.prefixes));
    for (let i = spine.length - 1; i >= 0; i--) {
      const t = spine[i]!;
      if (t.op === 'prox') throw fail(39, t.position, 'prox', 'proximity searches ("prox") cannot be made here', 'không tìm được theo khoảng cách ("prox")');
      const mod = t.modifiers[0];
      if (mod) {
        throw fail(46, mod.position, mod.type, `"${t.op}/${mod.type}"`, `"${t.op}/${mod.type}"`);
      }
      const right = this.node(t.right, scopes[i]!);
      acc = t.op === 'and' ? and(acc, right) : t.op === 'or' ? or(acc, right) : andNot(acc, right);
    }
    return acc;
  }

  private leaf(node: QueryNode | null): QueryNode | null {
    if (node === null) return null;
    if (++this.#terms > this.maxTerms) {
      throw fail(38, undefined, String(this.maxTerms), `the query holds more than ${this.maxTerms} search terms`, `truy vấn có hơn ${this.maxTerms} từ tìm kiếm`);
    }
    return node;
  }

  private clause(c: CqlSearchClause, scope: Scope): Value {
    const { set, name } = resolveName(scope, c.index, c.position, null);
    const key = `${set}.${name}`;
    const index = INDEXES.get(key);
    if (index === undefined) {
      throw fail(16, c.position, c.index, `"${c.index}" cannot be searched here`, `không tìm được theo "${c.index}"`);
    }
    if (index.kind === 'all') return ALL;
    if (index.kind === 'resultSet') throw fail(50, c.position, undefined, 'cql.resultSetId', 'cql.resultSetId');
    const relation = this.relation(c, scope);
    const unmasked = this.modifiers(c, scope, index.kind === 'year');
    if (c.text.trim() === '') throw fail(27, c.termPosition, undefined, `"${c.index}" with an empty term`, `"${c.index}" với từ rỗng`);
    const words = splitWords(c, unmasked);
    let value: QueryNode | null;
    switch (index.kind) {
      case 'text':
        value = this.textSearch(c, relation, index.field, words);
        break;
      case 'year':
        value = this.yearSearch(c, relation, words);
        break;
      default:
        value = this.numberSearch(c, relation, index.kind, words);
        break;
    }
    if (value === null) {
      throw fail(27, c.termPosition, c.term, `"${c.term}" holds no letter or digit to search for`, `"${c.term}" không có chữ hay số nào để tìm`);
    }
    return value;
  }

  /** The relation's name, lower case, with `cql.` taken off; 19 when it is not one of the cql set's. */
  private relation(c: CqlSearchClause, scope: Scope): string {
    const value = c.relation.value;
    if (/^[=<>]/u.test(value)) return value;
    const { set, name } = resolveName(scope, value, c.position, 'cql');
    const known = ['adj', 'all', 'any', 'within', 'encloses', 'scr', 'exact'];
    if (set !== 'cql' || !known.includes(name)) {
      throw fail(19, c.position, value, `"${value}"`, `"${value}"`);
    }
    return name === 'scr' ? '=' : name === 'exact' ? '==' : name;
  }

  /** Checks the relation modifiers; true for `/unmasked`. */
  private modifiers(c: CqlSearchClause, scope: Scope, date: boolean): boolean {
    let unmasked = false;
    for (const m of c.relation.modifiers) {
      const bad = (): Stop => fail(20, m.position, m.type, `"/${m.type}${m.comparison ?? ''}${m.value ?? ''}"`, `"/${m.type}${m.comparison ?? ''}${m.value ?? ''}"`);
      const dot = m.type.indexOf('.');
      if (dot >= 0 && SET_BY_URI.get(lookup(scope, m.type.slice(0, dot).toLowerCase())?.toLowerCase() ?? '') !== 'cql') throw bad();
      const name = (dot >= 0 ? m.type.slice(dot + 1) : m.type).toLowerCase();
      if (name === 'locale') {
        if (m.comparison !== '=' || !m.value) throw bad();
        continue;
      }
      if (m.comparison !== undefined) throw bad();
      if (name === 'unmasked') unmasked = true;
      else if (!HARMLESS_MODIFIERS.has(name) && !(date && (name === 'isodate' || name === 'number'))) throw bad();
    }
    return unmasked;
  }

  private combination(c: CqlSearchClause): Stop {
    return fail(22, c.position, `${c.index} ${c.relation.value}`, `"${c.index}" with "${c.relation.value}"`, `"${c.index}" với "${c.relation.value}"`);
  }

  /** The masking rules for one word (see the top of this file); the word's text without its final `*`s, and whether it had any. */
  private masked(c: CqlSearchClause, w: Word, phrase: boolean): { stem: string; prefix: boolean } {
    let end = w.text.length;
    while (end > 0 && w.text[end - 1] === '*' && w.masks.includes(end - 1)) end--;
    for (const at of w.masks) {
      const ch = w.text[at];
      if (ch === '^') throw fail(31, c.termPosition, c.term, `"${c.term}"`, `"${c.term}"`);
      if (ch === '?') throw fail(28, c.termPosition, '?', `"?" in "${c.term}"`, `"?" trong "${c.term}"`);
    }
    for (const at of w.masks) {
      if (at < end) throw fail(49, c.termPosition, c.term, `"*" inside "${w.text}": only a final "*" is supported`, `"*" ở giữa "${w.text}": chỉ hỗ trợ "*" ở cuối từ`);
    }
    const prefix = end < w.text.length;
    if (prefix && phrase) throw fail(33, c.termPosition, c.term, `"*" in the phrase "${c.text}"`, `"*" trong cụm từ "${c.text}"`);
    return { stem: w.text.slice(0, end), prefix };
  }

  private word(c: CqlSearchClause, field: SearchField | null, w: Word): QueryNode | null {
    const { stem, prefix } = this.masked(c, w, false);
    if (!prefix) {
      if (field === null && w.masks.length === 0) {
        const standard = bareStandardNumber(w.text);
        if (standard) return this.leaf(standard);
      }
      const tokens = tokenize(stem);
      return tokens.length === 0 ? null : this.leaf({ kind: 'term', field, tokens, prefix: false, original: w.text });
    }
    const tokens = tokenize(stem);
    if (tokens.length !== 1) {
      if (tokens.length === 0) throw fail(29, c.termPosition, '2', `"${w.text}": a masked word needs at least two letters`, `"${w.text}": từ có "*" cần ít nhất hai chữ cái`);
      throw fail(49, c.termPosition, c.term, `"${w.text}": "*" can only end a single syllable`, `"${w.text}": "*" chỉ đứng sau một âm tiết`);
    }
    if ([...tokens[0]!].length < 2) throw fail(29, c.termPosition, '2', `"${w.text}": a masked word needs at least two letters`, `"${w.text}": từ có "*" cần ít nhất hai chữ cái`);
    return this.leaf({ kind: 'term', field, tokens, prefix: true, original: w.text });
  }

  private phrase(c: CqlSearchClause, field: SearchField | null, words: readonly Word[]): QueryNode | null {
    for (const w of words) this.masked(c, w, true);
    const tokens = tokenize(words.map((w) => w.text).join(' '));
    return tokens.length === 0 ? null : this.leaf({ kind: 'phrase', field, tokens, original: c.text });
  }

  private textSearch(c: CqlSearchClause, relation: string, field: SearchField | null, words: readonly Word[]): QueryNode | null {
    const equal = (): QueryNode | null => (words.length === 1 ? this.word(c, field, words[0]!) : this.phrase(c, field, words));
    const each = (kind: 'and' | 'or'): QueryNode | null => {
      const parts = words.map((w) => this.word(c, field, w)).filter((n): n is QueryNode => n !== null);
      return parts.length === 0 ? null : combine(kind, parts);
    };
    switch (relation) {
      case '=':
      case 'adj':
        return equal();
      case '==':
        return this.phrase(c, field, words);
      case 'all':
        return each('and');
      case 'any':
        return each('or');
      case '<>': {
        const node = equal();
        return node === null ? null : negate(node);
      }
      default:
        throw this.combination(c);
    }
  }

  private noMasks(c: CqlSearchClause, words: readonly Word[]): void {
    if (words.some((w) => w.masks.length > 0)) throw fail(28, c.termPosition, c.term, `"${c.index}" takes no masking`, `"${c.index}" không nhận ký tự đại diện`);
  }

  private yearSearch(c: CqlSearchClause, relation: string, words: readonly Word[]): QueryNode | null {
    this.noMasks(c, words);
    const bad = (): Stop =>
      fail(36, c.termPosition, c.term, `"${c.text}" is not a year for "${c.index} ${c.relation.value}"`, `"${c.text}" không phải là năm cho "${c.index} ${c.relation.value}"`);
    const year = (w: Word | undefined): number => {
      if (w === undefined || !/^\d{1,4}$/u.test(w.text)) throw bad();
      return Number(w.text);
    };
    const range = (from: number, to: number): QueryNode => {
      if (from > to) throw bad();
      return this.leaf({ kind: 'year', from, to })!;
    };
    const one = (): number => {
      if (words.length !== 1) throw bad();
      return year(words[0]);
    };
    switch (relation) {
      case '=':
      case '==': {
        const n = one();
        return range(n, n);
      }
      case '<>': {
        const n = one();
        return negate(range(n, n));
      }
      case '<':
        return range(0, one() - 1);
      case '<=':
        return range(0, one());
      case '>':
        return range(one() + 1, 9999);
      case '>=':
        return range(one(), 9999);
      case 'within': {
        if (words.length !== 2) throw bad();
        const a = year(words[0]);
        const b = year(words[1]);
        return range(Math.min(a, b), Math.max(a, b));
      }
      case 'any':
        return combine('or', words.map((w) => range(year(w), year(w))));
      default:
        throw this.combination(c);
    }
  }

  private numberSearch(c: CqlSearchClause, relation: string, kind: 'isbn' | 'issn' | 'identifier', words: readonly Word[]): QueryNode | null {
    this.noMasks(c, words);
    const value = (s: string): QueryNode => {
      const compact = compactIsbn(s);
      if (kind !== 'issn') {
        const values = isbnValues(compact);
        if (values !== undefined) return this.leaf({ kind: 'isbn', values })!;
      }
      if (kind !== 'isbn') {
        const issn = issnValue(compact);
        if (issn !== undefined) return this.leaf({ kind: 'issn', value: issn })!;
      }
      // As the search box does with `isbn:` and `issn:`: a wrong check digit is searched as typed.
      if (kind === 'isbn') {
        const digits = compact.replace(/[^\dX]/gu, '');
        if (digits !== '') {
          this.problems.push({ code: 'query.bad_isbn', detail: s });
          return this.leaf({ kind: 'isbn', values: [digits] })!;
        }
      }
      if (kind === 'issn' && /^\d{7}[\dX]$/u.test(compact)) {
        this.problems.push({ code: 'query.bad_isbn', detail: `issn:${s}` });
        return this.leaf({ kind: 'issn', value: compact })!;
      }
      const what = kind === 'identifier' ? 'an ISBN or ISSN with a valid check digit' : kind === 'isbn' ? 'an ISBN' : 'an ISSN';
      const whatVi = kind === 'identifier' ? 'ISBN hay ISSN có số kiểm tra đúng' : kind === 'isbn' ? 'ISBN' : 'ISSN';
      throw fail(36, c.termPosition, c.term, `"${s}" is not ${what}`, `"${s}" không phải là ${whatVi}`);
    };
    switch (relation) {
      case '=':
      case '==':
      case 'adj':
        return value(c.text);
      case '<>':
        return negate(value(c.text));
      case 'any':
        return combine('or', words.map((w) => value(w.text)));
      case 'all':
        return combine('and', words.map((w) => value(w.text)));
      default:
        throw this.combination(c);
    }
  }

  sort(keys: readonly CqlSortKey[], scope: Scope): CqlSort {
    let first: CqlSort | null = null;
    for (const k of keys) {
      const { set, name } = resolveName(scope, k.index, k.position, null);
      const kind = SORT_KEYS.get(`${set}.${name}`);
      if (kind === undefined) throw fail(16, k.position, k.index, `results cannot be sorted by "${k.index}"`, `không sắp xếp được theo "${k.index}"`);
      let descending = false;
      for (const m of k.modifiers) {
        const dot = m.type.indexOf('.');
        const named = dot >= 0 ? resolveName(scope, m.type, m.position, null) : { set: 'sort' as SetId, name: m.type.toLowerCase() };
        const written = `"/${m.type}${m.comparison ?? ''}${m.value ?? ''}"`;
        if (named.set !== 'sort' || m.comparison !== undefined) throw fail(20, m.position, m.type, written, written);
        if (named.name === 'ascending') descending = false;
        else if (named.name === 'descending') descending = true;
        else if (named.name === 'respectcase') throw fail(91, m.position, m.type, written, written);
        else if (named.name.startsWith('missing')) throw fail(92, m.position, m.type, written, written);
        else if (named.name !== 'ignorecase') throw fail(20, m.position, m.type, written, written);
      }
      let sort: CqlSort;
      if (kind === 'year') sort = descending ? 'newest' : 'oldest';
      else if (descending) throw fail(90, k.position, 'descending', `"${k.index}" can only be sorted in ascending order`, `"${k.index}" chỉ sắp xếp được theo thứ tự tăng dần`);
      else sort = kind;
      first ??= sort;
    }
    return first ?? 'relevance';
  }
}

/**
 * Maps a parsed CQL query onto the catalogue search. Never throws.
 *
 * ```ts
 * const r = parseCql('dc.title all "lịch sử" sortBy dc.date/sort.descending');
 * if (r.ok) cqlToSearch(r.query);
 * // → { ok: true, parsed: { node: AND(title:lịch, title:sử), positive: true, problems: [], terms: 2 }, sort: 'newest' }
 * ```
 */
export function cqlToSearch(query: CqlQuery, opts: CqlSearchOptions = {}): CqlSearchResult {
  const maxTerms = typeof opts?.maxTerms === 'number' && Number.isFinite(opts.maxTerms) && opts.maxTerms >= 0 ? Math.floor(opts.maxTerms) : DEFAULT_MAX_TERMS;
  const mapper = new Mapper(maxTerms);
  try {
    const scope = within(DEFAULT_SCOPE, query.prefixes);
    const value = mapper.node(query.root, scope);
    const sort = mapper.sort(query.sortKeys, scope);
    if (value === NONE) {
      return {
        ok: false,
        diagnostic: cqlDiagnostic(48, {
          details: 'not cql.allRecords',
          explain: ['the query excludes every record', 'truy vấn loại trừ mọi biểu ghi'],
        }),
      };
    }
    const node = value === ALL ? null : value;
    return { ok: true, parsed: { node, positive: node !== null && isPositive(node), problems: mapper.problems, terms: countTerms(node) }, sort };
  } catch (e) {
    if (e instanceof Stop) return { ok: false, diagnostic: e.diagnostic };
    // A bug must not become an exception for the caller: SRU answers it as a system error.
    return { ok: false, diagnostic: cqlDiagnostic(1, { explain: [String(e), String(e)] }) };
  }
}
