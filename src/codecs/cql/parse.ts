/**
 * CQL 1.2 parser (https://www.loc.gov/standards/sru/cql/spec.html). Pure, and never throws: every
 * input gives either a query or one SRU diagnostic with the position where parsing stopped.
 *
 * The grammar, as the CQL 1.2 BNF has it:
 *
 * ```
 * sortedQuery      ::= prefixAssignment sortedQuery | scopedClause ['sortBy' sortSpec]
 * sortSpec         ::= singleSpec+            singleSpec ::= index modifier*
 * cqlQuery         ::= prefixAssignment cqlQuery | scopedClause
 * prefixAssignment ::= '>' prefix '=' uri | '>' uri
 * scopedClause     ::= scopedClause booleanGroup searchClause | searchClause    (left to right)
 * booleanGroup     ::= ('and' | 'or' | 'not' | 'prox') modifier*
 * searchClause     ::= '(' cqlQuery ')' | index relation searchTerm | searchTerm
 * relation         ::= ('=' | '==' | '<>' | '<' | '>' | '<=' | '>=' | identifier) modifier*
 * modifier         ::= '/' name [comparitorSymbol value]
 * term             ::= identifier | 'and' | 'or' | 'not' | 'prox' | 'sortBy'
 * ```
 *
 * - An unquoted identifier is a run of characters other than white space and `( ) = < > " /`;
 *   a backslash takes the next character into the word, whatever it is (but not white space).
 *   A quoted one runs to the next double quote not preceded by a backslash.
 * - Booleans and `sortBy` are recognised in any case, unquoted only: `"and"` is a term. Where a
 *   term is expected (after a relation, after a boolean) a keyword is a term: `a or and`.
 * - After a first term, a symbol or an unquoted word that is not a keyword is the relation, and
 *   the first term was the index; otherwise the first term was a bare term (`cql.serverChoice =`).
 *   A named relation must be unquoted.
 * - Limits: `maxLength` characters (default 4096, diagnostic 12), `maxDepth` nested parentheses
 *   (default 64, diagnostic 13). Boolean chains do not recurse, whatever their length.
 *
 * Diagnostics: 10 query syntax error; 12 too long; 13 a parenthesis where it cannot be, a missing
 * `)`, or nesting deeper than `maxDepth`; 14 a quote that is never closed.
 */
import { cqlDiagnostic, type CqlBooleanOp, type CqlDiagnostic, type CqlModifier, type CqlNode, type CqlParseResult, type CqlPrefix, type CqlQuery, type CqlSearchClause, type CqlSortKey } from './ast.js';

export const DEFAULT_CQL_MAX_LENGTH = 4096;
export const DEFAULT_CQL_MAX_DEPTH = 64;

export interface CqlParseOptions {
  /** Longest query accepted, in UTF-16 code units (default 4096). */
  maxLength?: number;
  /** Deepest nesting of parentheses accepted (default 64). */
  maxDepth?: number;
}

type TokKind = 'word' | 'quoted' | 'lp' | 'rp' | 'slash' | 'cmp' | 'eof';

interface Tok {
  kind: TokKind;
  /** A word as written, a quoted string without its quotes, or the symbol. */
  text: string;
  pos: number;
}

const SPACE = /\s/u;
const WORD_END = '()=<>"/';
const BOOLEANS: ReadonlySet<string> = new Set(['and', 'or', 'not', 'prox']);

/** Thrown inside the parser only; `parseCql` turns it into its result. */
class SyntaxStop {
  constructor(readonly diagnostic: CqlDiagnostic) {}
}

function stop(code: number, position: number, en: string, vi: string, details?: string): SyntaxStop {
  return new SyntaxStop(cqlDiagnostic(code, { position, explain: [en, vi], ...(details === undefined ? {} : { details }) }));
}

function lex(s: string): Tok[] {
  const toks: Tok[] = [];
  const n = s.length;
  let i = 0;
  while (i < n) {
    const c = s[i]!;
    if (SPACE.test(c)) {
      i++;
      continue;
    }
    const pos = i;
    if (c === '(' || c === ')' || c === '/') {
      toks.push({ kind: c === '(' ? 'lp' : c === ')' ? 'rp' : 'slash', text: c, pos });
      i++;
    } else if (c === '=' || c === '<' || c === '>') {
      const next = s[i + 1];
      const two = (c === '=' && next === '=') || (c === '<' && (next === '=' || next === '>')) || (c === '>' && next === '=');
      const text = two ? c + next : c;
      toks.push({ kind: 'cmp', text, pos });
      i += text.length;
    } else if (c === '"') {
      let j = i + 1;
      while (j < n && s[j] !== '"') j += s[j] === '\\' && j + 1 < n ? 2 : 1;
      if (j >= n) throw stop(14, pos, 'the quote opened here is never closed', 'dấu ngoặc kép mở ở đây không được đóng');
      toks.push({ kind: 'quoted', text: s.slice(i + 1, j), pos });
      i = j + 1;
    } else {
      let j = i;
      while (j < n) {
        const d = s[j]!;
        if (d === '\\') {
          j += j + 1 < n && !SPACE.test(s[j + 1]!) ? 2 : 1;
          continue;
        }
        if (SPACE.test(d) || WORD_END.includes(d)) break;
        j++;
      }
      toks.push({ kind: 'word', text: s.slice(i, j), pos });
      i = j;
    }
  }
  toks.push({ kind: 'eof', text: '', pos: n });
  return toks;
}

/** Resolves backslash escapes; records where unescaped `*`, `?` and `^` are in the result. */
export function decodeCqlTerm(raw: string): { text: string; masks: number[] } {
  let text = '';
  const masks: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i]!;
    if (c === '\\' && i + 1 < raw.length) {
      text += raw[++i]!;
      continue;
    }
    if (c === '*' || c === '?' || c === '^') masks.push(text.length);
    text += c;
  }
  return { text, masks };
}

/** How an error message names the token it stopped at (a long one cut short). */
function describe(t: Tok): [string, string] {
  if (t.kind === 'eof') return ['the end of the query', 'cuối truy vấn'];
  const shown = `"${t.text.length > 40 ? `${t.text.slice(0, 40)}…` : t.text}"`;
  return [shown, shown];
}

class Parser {
  #i = 0;
  /** How many parentheses are open. */
  #depth = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly maxDepth: number,
  ) {}

  query(): CqlQuery {
    const prefixes = this.prefixes();
    const root = this.scoped();
    const sortKeys: CqlSortKey[] = [];
    const t = this.peek();
    if (t.kind === 'word' && t.text.toLowerCase() === 'sortby') {
      this.#i++;
      while (this.peek().kind === 'word' || this.peek().kind === 'quoted') {
        const key = this.next();
        sortKeys.push({ index: key.text, modifiers: this.modifiers(), position: key.pos });
      }
      if (sortKeys.length === 0) {
        const u = this.peek();
        const [en, vi] = describe(u);
        throw stop(10, u.pos, `expected an index to sort by after "sortBy", found ${en}`, `cần một chỉ mục để sắp xếp sau "sortBy", nhưng gặp ${vi}`);
      }
    }
    const end = this.peek();
    if (end.kind !== 'eof') {
      if (end.kind === 'rp') throw stop(13, end.pos, 'this ")" closes nothing', 'dấu ")" này không đóng ngoặc nào');
      const [en, vi] = describe(end);
      throw stop(10, end.pos, `expected a boolean operator or the end of the query, found ${en}`, `cần một toán tử logic hoặc kết thúc truy vấn, nhưng gặp ${vi}`);
    }
    return { prefixes, root, sortKeys };
  }

  private peek(): Tok {
    return this.toks[this.#i]!;
  }

  private next(): Tok {
    const t = this.toks[this.#i]!;
    if (t.kind !== 'eof') this.#i++;
    return t;
  }

  private prefixes(): CqlPrefix[] {
    const out: CqlPrefix[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'cmp' || t.text !== '>') return out;
      this.#i++;
      const first = this.term('a prefix or a context set identifier after ">"', 'một tiền tố hoặc định danh bộ ngữ cảnh sau ">"');
      const eq = this.peek();
      if (eq.kind === 'cmp' && eq.text === '=') {
        this.#i++;
        const uri = this.term('a context set identifier after "="', 'định danh bộ ngữ cảnh sau "="');
        out.push({ name: first.text, uri: uri.text });
      } else {
        out.push({ uri: first.text });
      }
    }
  }

  /** A term where one must be: a word (keywords included) or a quoted string. */
  private term(whatEn: string, whatVi: string): Tok {
    const t = this.peek();
    if (t.kind === 'word' || t.kind === 'quoted') {
      this.#i++;
      return t;
    }
    const [en, vi] = describe(t);
    if (t.kind === 'lp' || t.kind === 'rp' || (t.kind === 'eof' && this.#depth > 0)) {
      throw stop(13, t.pos, `expected ${whatEn}, found ${en}`, `cần ${whatVi}, nhưng gặp ${vi}`);
    }
    throw stop(10, t.pos, `expected ${whatEn}, found ${en}`, `cần ${whatVi}, nhưng gặp ${vi}`);
  }

  private scoped(): CqlNode {
    let left = this.clause();
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'word') return left;
      const op = t.text.toLowerCase();
      if (!BOOLEANS.has(op)) return left;
      this.#i++;
      const modifiers = this.modifiers();
      const right = this.clause();
      left = { type: 'triple', prefixes: [], op: op as CqlBooleanOp, modifiers, left, right, position: t.pos };
    }
  }

  private clause(): CqlNode {
    const t = this.peek();
    if (t.kind === 'lp') {
      if (this.#depth >= this.maxDepth) {
        throw stop(13, t.pos, `parentheses nested more than ${this.maxDepth} deep`, `dấu ngoặc lồng nhau quá ${this.maxDepth} tầng`, String(this.maxDepth));
      }
      this.#i++;
      this.#depth++;
      const prefixes = this.prefixes();
      const node = this.scoped();
      const close = this.peek();
      if (close.kind !== 'rp') {
        const [en, vi] = describe(close);
        const code = close.kind === 'eof' ? 13 : 10;
        throw stop(code, close.pos, `expected ")" to close the "(" at ${t.pos}, found ${en}`, `cần ")" để đóng "(" ở vị trí ${t.pos}, nhưng gặp ${vi}`);
      }
      this.#i++;
      this.#depth--;
      if (prefixes.length > 0) node.prefixes = [...prefixes, ...node.prefixes];
      return node;
    }
    const first = this.term('a search term', 'một từ tìm kiếm');
    const r = this.peek();
    const named = r.kind === 'word' && !BOOLEANS.has(r.text.toLowerCase()) && r.text.toLowerCase() !== 'sortby';
    if (r.kind !== 'cmp' && !named) return searchClause('cql.serverChoice', { value: '=', modifiers: [] }, first, first.pos);
    this.#i++;
    const modifiers = this.modifiers();
    const term = this.term(`a search term after the relation "${r.text}"`, `một từ tìm kiếm sau quan hệ "${r.text}"`);
    return searchClause(first.text, { value: r.text, modifiers }, term, first.pos);
  }

  private modifiers(): CqlModifier[] {
    const out: CqlModifier[] = [];
    while (this.peek().kind === 'slash') {
      this.#i++;
      const name = this.term('a modifier name after "/"', 'tên bổ từ sau "/"');
      const mod: CqlModifier = { type: name.text, position: name.pos };
      const c = this.peek();
      if (c.kind === 'cmp') {
        this.#i++;
        mod.comparison = c.text;
        mod.value = this.term(`a value after "${c.text}"`, `một giá trị sau "${c.text}"`).text;
      }
      out.push(mod);
    }
    return out;
  }
}

function searchClause(index: string, relation: CqlSearchClause['relation'], term: Tok, position: number): CqlSearchClause {
  const { text, masks } = decodeCqlTerm(term.text);
  return { type: 'searchClause', prefixes: [], index, relation, term: term.text, text, masks, quoted: term.kind === 'quoted', position, termPosition: term.pos };
}

function limit(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
}

/**
 * Parses a CQL query. Never throws.
 *
 * ```ts
 * parseCql('dc.title all "lịch sử" sortBy dc.date/sort.descending')
 * // → { ok: true, query: { prefixes: [], root: { type: 'searchClause', index: 'dc.title', … }, sortKeys: [ … ] } }
 * parseCql('title any')
 * // → { ok: false, diagnostic: { code: 10, position: 9, … } }
 * ```
 */
export function parseCql(text: string, opts: CqlParseOptions = {}): CqlParseResult {
  const maxLength = limit(opts?.maxLength, DEFAULT_CQL_MAX_LENGTH);
  const maxDepth = limit(opts?.maxDepth, DEFAULT_CQL_MAX_DEPTH);
  if (typeof text !== 'string') {
    return { ok: false, diagnostic: cqlDiagnostic(10, { position: 0, explain: ['the query is not text', 'truy vấn không phải là văn bản'] }) };
  }
  if (text.length > maxLength) {
    return {
      ok: false,
      diagnostic: cqlDiagnostic(12, {
        details: String(maxLength),
        position: maxLength,
        explain: [`the query is ${text.length} characters long, at most ${maxLength} are accepted`, `truy vấn dài ${text.length} ký tự, tối đa ${maxLength}`],
      }),
    };
  }
  try {
    const toks = lex(text);
    if (toks.length === 1) return { ok: false, diagnostic: cqlDiagnostic(10, { position: 0, explain: ['the query is empty', 'truy vấn rỗng'] }) };
    return { ok: true, query: new Parser(toks, maxDepth).query() };
  } catch (e) {
    if (e instanceof SyntaxStop) return { ok: false, diagnostic: e.diagnostic };
    // A bug must not become an exception for the caller: SRU answers it as a system error.
    return { ok: false, diagnostic: cqlDiagnostic(1, { explain: [String(e), String(e)] }) };
  }
}
