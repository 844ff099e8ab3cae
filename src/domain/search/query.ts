/**
 * The search query language of the catalogue. Pure: no I/O, and never throws, whatever the input.
 *
 * Syntax (see `query.test.ts` for every rule as a table):
 * - words separated by white space are ANDed, in any order; `"a quoted phrase"` (also “…” and „…");
 * - `field:word`, `field:"a phrase"`, `field:(a OR b)`; field names are case-insensitive and have
 *   Vietnamese aliases without tones (`nhande`, `tacgia`, `nxb`, `nam`, …);
 * - `AND`, `OR`, `NOT` and `VÀ`, `HOẶC`, `KHÔNG` in upper case only; `-word`, `-"phrase"`,
 *   `-field:x` = NOT; `( … )` groups. Precedence NOT > AND (implicit or explicit) > OR;
 * - `word*` = prefix, on a single-syllable term of at least two characters;
 * - `isbn:`, `issn:` and bare ISBN-10/13 (`978-604-…`) or ISSN (`NNNN-NNNC`) with a valid check
 *   digit; `year:2015`, `year:2010-2015`, `year:2010..2015`, `year:>2010`, `year:<=1975`.
 *
 * Mistakes are repaired, never refused: each repair is reported as a `QueryProblem` so that the
 * page can say what was understood.
 *
 * `describeQuery` writes the canonical text form (for cache keys and tests):
 * - term `tok`, fielded `title:tok`, several adjacent syllables `e-book`, prefix `thu*`;
 * - phrase `"thu vien"`, fielded `author:"nguyen du"`;
 * - `isbn[9786041123489|604112348X]`, `issn[03178471]`, `year[2015]`, `year[2010..2015]`;
 * - `AND(x, y)`, `OR(x, y)`, `NOT(x)`; no query at all is the empty string.
 * Children keep the order in which they were typed; duplicates are removed.
 */

import { compactIsbn, isbn10to13, isbn13to10, isValidIsbn10, isValidIsbn13, issnCheckDigit } from '../catalog/isbn.js';

export const SEARCH_FIELDS = ['title', 'author', 'subject', 'isbn', 'issn', 'publisher', 'year', 'callnumber', 'series'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

export type QueryNode =
  /** One word; several tokens (`e-book` → `e`, `book`) must be adjacent, like a phrase. */
  | { kind: 'term'; field: SearchField | null; tokens: string[]; prefix: boolean; original: string }
  | { kind: 'phrase'; field: SearchField | null; tokens: string[]; original: string }
  /** ISBN-13 first, then the ISBN-10 when the number has one. */
  | { kind: 'isbn'; values: string[] }
  /** Eight characters, no hyphen: `03178471`. */
  | { kind: 'issn'; value: string }
  | { kind: 'year'; from: number; to: number }
  | { kind: 'and' | 'or'; children: QueryNode[] }
  | { kind: 'not'; child: QueryNode };

export interface QueryProblem {
  code:
    | 'query.truncated'
    | 'query.too_many_terms'
    | 'query.unbalanced_quote'
    | 'query.unbalanced_paren'
    | 'query.stray_operator'
    | 'query.unknown_field'
    | 'query.bad_year'
    | 'query.bad_isbn'
    | 'query.only_negative'
    | 'query.empty';
  detail?: string;
}

export interface ParsedQuery {
  /** Null when nothing searchable is left. */
  node: QueryNode | null;
  /** False when the query only excludes (`-sach`, `a OR -b`): the engine must start from everything. */
  positive: boolean;
  problems: QueryProblem[];
  /** How many term, phrase, isbn, issn and year nodes the query holds. */
  terms: number;
}

export const DEFAULT_MAX_LENGTH = 500;
export const DEFAULT_MAX_TERMS = 32;
/** Deeper parentheses are ignored, so that nothing recurses without bound. */
const MAX_DEPTH = 32;

const FIELD_ALIASES: Readonly<Record<string, SearchField>> = {
  title: 'title',
  nhande: 'title',
  tieude: 'title',
  author: 'author',
  tacgia: 'author',
  subject: 'subject',
  chude: 'subject',
  isbn: 'isbn',
  issn: 'issn',
  publisher: 'publisher',
  nxb: 'publisher',
  nhaxuatban: 'publisher',
  year: 'year',
  nam: 'year',
  callnumber: 'callnumber',
  kyhieu: 'callnumber',
  sohieu: 'callnumber',
  series: 'series',
  tungthu: 'series',
};

const OPERATORS: ReadonlyMap<string, 'and' | 'or' | 'not'> = new Map([
  ['AND', 'and'],
  ['OR', 'or'],
  ['NOT', 'not'],
  ['VÀ'.normalize('NFC'), 'and'],
  ['HOẶC'.normalize('NFC'), 'or'],
  ['KHÔNG'.normalize('NFC'), 'not'],
]);

const QUOTES = '"\u201c\u201d\u201e';
const SPACE = /[\s\p{Z}]/u;
/** Control, format (zero-width, bidi, soft hyphen) and lone surrogate code points. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}]/gu;
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
/** `name:` followed by something a value can start with (so `http://x` is not a field). */
const FIELD_START = /([A-Za-z]+):(?=[\p{L}\p{M}\p{N}(<>=.\u0022\u201c\u201d\u201e])/uy;
/** After `-`, what makes it a negation rather than punctuation. */
const NEGATABLE = /[\p{L}\p{M}\p{N}(\u0022\u201c\u201d\u201e]/u;
const DASH = '[-\u2010-\u2015\u2212]';

/** NFC, lower-case syllables: the same rule as `syllables` in `src/text/vi.ts`. */
/** The words of a text as the index keeps them (NFC, lower case, letters, marks and digits). Shared with `cql-map.ts`. */
export function tokenize(s: string): string[] {
  return s.normalize('NFC').toLowerCase().match(/[\p{L}\p{M}\p{N}]+/gu) ?? [];
}

// ---------------------------------------------------------------------------------------------
// Tokens of the query text

type Tok =
  | { t: 'lp' }
  | { t: 'rp' }
  | { t: 'and' | 'or' | 'not'; text: string; quiet?: boolean }
  | { t: 'atom'; node: QueryNode };

class Problems {
  readonly list: QueryProblem[] = [];
  private readonly seen = new Set<string>();
  add(code: QueryProblem['code'], detail?: string): void {
    const key = `${code}\u0000${detail ?? ''}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.list.push(detail === undefined ? { code } : { code, detail });
  }
}

interface Group {
  field: SearchField | null;
  /** How many `(` tokens this group emitted, hence how many `)` closing it emits. */
  opened: number;
}

class Lexer {
  readonly toks: Tok[] = [];
  private i = 0;
  private atoms = 0;
  private stopped = false;
  private readonly stack: Group[] = [];

  constructor(
    private readonly s: string,
    private readonly maxTerms: number,
    private readonly cut: boolean,
    private readonly problems: Problems,
  ) {}

  run(): Tok[] {
    const s = this.s;
    while (!this.stopped) {
      while (this.i < s.length && SPACE.test(s[this.i]!)) this.i++;
      if (this.i >= s.length) break;
      const c = s[this.i]!;
      if (c === '(') {
        this.i++;
        this.open(this.context(), 0);
      } else if (c === ')') {
        this.i++;
        this.close();
      } else if (QUOTES.includes(c)) {
        this.emit(this.valueAtom(this.context(), this.readPhrase(), true));
      } else if (c === '-' && this.i + 1 < s.length && NEGATABLE.test(s[this.i + 1]!)) {
        this.i++;
        this.push({ t: 'not', text: '-' });
        this.item(true);
      } else {
        this.item(false);
      }
    }
    if (this.cut || this.stopped) {
      // Operators after the last operand lost it to the cut: dropping them is no user mistake.
      for (let k = this.toks.length - 1; k >= 0 && this.toks[k]!.t !== 'atom'; k--) {
        const t = this.toks[k]!;
        if (t.t === 'and' || t.t === 'or' || t.t === 'not') t.quiet = true;
      }
    }
    if (this.stack.length > 0 && !this.cut && !this.stopped) this.problems.add('query.unbalanced_paren', '(');
    while (this.stack.length > 0) this.close();
    return this.toks;
  }

  /** A field expression, an operator or a word, at the current position. */
  private item(negated: boolean): void {
    const s = this.s;
    FIELD_START.lastIndex = this.i;
    const m = FIELD_START.exec(s);
    if (m) {
      this.i += m[0].length;
      const name = m[1]!.toLowerCase();
      const field = FIELD_ALIASES[name];
      const c = s[this.i]!;
      if (field !== undefined) {
        if (c === '(') {
          this.i++;
          this.open(field, 0);
        } else {
          this.emit(this.valueAtom(field, QUOTES.includes(c) ? this.readPhrase() : this.readWord(), QUOTES.includes(c)));
        }
        return;
      }
      // An unknown field: its name and its value are searched as plain words, together.
      this.problems.add('query.unknown_field', m[1]);
      const context = this.context();
      if (c === '(') {
        this.i++;
        const depthOk = this.stack.length < MAX_DEPTH;
        if (depthOk) this.push({ t: 'lp' });
        this.emit(termAtom(context, m[1]!));
        this.open(context, depthOk ? 1 : 0);
        return;
      }
      const value = QUOTES.includes(c) ? this.readPhrase() : this.readWord();
      const quoted = QUOTES.includes(c);
      const grouped = this.stack.length < MAX_DEPTH;
      if (grouped) this.push({ t: 'lp' });
      this.emit(termAtom(context, m[1]!));
      this.emit(this.valueAtom(context, value, quoted));
      if (grouped) this.push({ t: 'rp' });
      return;
    }
    const word = this.readWord();
    if (word === '') return; // `-` right before `(` or a quote
    const op = negated ? undefined : OPERATORS.get(word);
    if (op !== undefined) {
      this.push({ t: op, text: word });
      return;
    }
    this.emit(this.valueAtom(this.context(), word, false));
  }

  private context(): SearchField | null {
    return this.stack.length > 0 ? this.stack[this.stack.length - 1]!.field : null;
  }

  private open(field: SearchField | null, extra: number): void {
    if (this.stack.length >= MAX_DEPTH) {
      this.problems.add('query.unbalanced_paren', 'too deep');
      this.stack.push({ field, opened: extra });
      return;
    }
    this.push({ t: 'lp' });
    this.stack.push({ field, opened: extra + 1 });
  }

  private close(): void {
    const group = this.stack.pop();
    if (group === undefined) {
      this.problems.add('query.unbalanced_paren', ')');
      return;
    }
    for (let k = 0; k < group.opened; k++) this.push({ t: 'rp' });
  }

  /** Up to white space, a parenthesis or a quote. */
  private readWord(): string {
    const s = this.s;
    const start = this.i;
    while (this.i < s.length) {
      const c = s[this.i]!;
      if (c === '(' || c === ')' || QUOTES.includes(c) || SPACE.test(c)) break;
      this.i++;
    }
    return s.slice(start, this.i);
  }

  /** From an opening quote to the next quote, or to the end of the text. */
  private readPhrase(): string {
    const s = this.s;
    const start = ++this.i;
    while (this.i < s.length && !QUOTES.includes(s[this.i]!)) this.i++;
    const text = s.slice(start, this.i);
    if (this.i < s.length) this.i++;
    else if (!this.cut) this.problems.add('query.unbalanced_quote');
    return text.trim();
  }

  /** A leaf in the context of a field: a term, a phrase, or an isbn, issn or year node. */
  private valueAtom(field: SearchField | null, text: string, quoted: boolean): QueryNode | null {
    switch (field) {
      case 'year':
        return yearAtom(text, this.problems);
      case 'isbn':
        return isbnAtom(text, this.problems);
      case 'issn':
        return issnAtom(text, this.problems);
      case null:
        if (!quoted) {
          const standard = bareStandardNumber(text);
          if (standard) return standard;
        }
        break;
      default:
        break;
    }
    return quoted ? phraseAtom(field, text) : termAtom(field, text);
  }

  private emit(node: QueryNode | null): void {
    if (node === null || this.stopped) return;
    if (this.atoms >= this.maxTerms) {
      this.problems.add('query.too_many_terms', String(this.maxTerms));
      this.stopped = true;
      return;
    }
    this.atoms++;
    this.push({ t: 'atom', node });
  }

  private push(tok: Tok): void {
    this.toks.push(tok);
  }
}

function termAtom(field: SearchField | null, word: string): QueryNode | null {
  const stars = /\*+$/u.exec(word);
  const tokens = tokenize(stars ? word.slice(0, stars.index) : word);
  if (tokens.length === 0) return null;
  const prefix = stars !== null && tokens.length === 1 && [...tokens[0]!].length >= 2;
  return { kind: 'term', field, tokens, prefix, original: word };
}

function phraseAtom(field: SearchField | null, text: string): QueryNode | null {
  const tokens = tokenize(text);
  if (tokens.length === 0) return null;
  return { kind: 'phrase', field, tokens, original: text };
}

export function isbnValues(compact: string): string[] | undefined {
  if (compact.length === 13 && isValidIsbn13(compact)) {
    const isbn10 = isbn13to10(compact);
    return isbn10 === undefined ? [compact] : [compact, isbn10];
  }
  if (compact.length === 10 && isValidIsbn10(compact)) return [isbn10to13(compact)!, compact];
  return undefined;
}

export function issnValue(compact: string): string | undefined {
  if (!/^\d{7}[\dX]$/u.test(compact)) return undefined;
  return issnCheckDigit(compact.slice(0, 7)) === compact[7] ? compact : undefined;
}

const BARE_ISBN = new RegExp(`^\\d(?:\\d|${DASH})*[\\dXx]$`, 'u');
const BARE_ISSN = new RegExp(`^\\d{4}${DASH}\\d{3}[\\dXx]$`, 'u');

/** A word that is a whole ISBN or ISSN with a valid check digit. */
export function bareStandardNumber(word: string): QueryNode | null {
  if (BARE_ISSN.test(word)) {
    const value = issnValue(compactIsbn(word));
    if (value !== undefined) return { kind: 'issn', value };
  }
  if (BARE_ISBN.test(word)) {
    const values = isbnValues(compactIsbn(word));
    if (values !== undefined) return { kind: 'isbn', values };
  }
  return null;
}

function isbnAtom(text: string, problems: Problems): QueryNode | null {
  const compact = compactIsbn(text);
  const values = isbnValues(compact);
  if (values !== undefined) return { kind: 'isbn', values };
  problems.add('query.bad_isbn', text);
  const digits = compact.replace(/[^\dX]/gu, '');
  return digits === '' ? null : { kind: 'isbn', values: [digits] };
}

function issnAtom(text: string, problems: Problems): QueryNode | null {
  const compact = compactIsbn(text);
  const value = issnValue(compact);
  if (value !== undefined) return { kind: 'issn', value };
  problems.add('query.bad_isbn', `issn:${text}`);
  // A wrong check digit is searched as typed, like an ISBN; anything else is dropped.
  return /^\d{7}[\dX]$/u.test(compact) ? { kind: 'issn', value: compact } : null;
}

const YEAR_RANGE = new RegExp(`^(\\d{1,4})?(?:${DASH}|\\.\\.)(\\d{1,4})?$`, 'u');

function yearAtom(text: string, problems: Problems): QueryNode | null {
  const t = text.replace(/\s+/gu, '');
  let from: number | undefined;
  let to: number | undefined;
  let m: RegExpExecArray | null;
  if ((m = /^\d{1,4}$/u.exec(t))) {
    from = to = Number(m[0]);
  } else if ((m = /^([<>])(=?)(\d{1,4})$/u.exec(t))) {
    const n = Number(m[3]);
    const inclusive = m[2] === '=';
    if (m[1] === '>') [from, to] = [inclusive ? n : n + 1, 9999];
    else [from, to] = [0, inclusive ? n : n - 1];
  } else if ((m = YEAR_RANGE.exec(t)) && (m[1] !== undefined || m[2] !== undefined)) {
    from = m[1] === undefined ? 0 : Number(m[1]);
    to = m[2] === undefined ? 9999 : Number(m[2]);
    if (from > to) [from, to] = [to, from];
  }
  if (from === undefined || to === undefined || from > to || from < 0 || to > 9999) {
    problems.add('query.bad_year', text);
    return null;
  }
  return { kind: 'year', from, to };
}

// ---------------------------------------------------------------------------------------------
// Repairs and parsing

const startsOperand = (t: Tok | undefined): boolean => t !== undefined && (t.t === 'atom' || t.t === 'lp' || t.t === 'not');
const endsOperand = (t: Tok | undefined): boolean => t !== undefined && (t.t === 'atom' || t.t === 'rp');

/** Drops empty groups and operators without operands until nothing changes. */
function repair(toks: Tok[], problems: Problems): Tok[] {
  let cur = toks;
  for (let pass = 0; pass < 64; pass++) {
    const out: Tok[] = [];
    let changed = false;
    for (let k = 0; k < cur.length; k++) {
      const t = cur[k]!;
      const next = cur[k + 1];
      if (t.t === 'lp' && next?.t === 'rp') {
        k++;
        changed = true;
        continue;
      }
      if (
        ((t.t === 'and' || t.t === 'or') && (!endsOperand(out[out.length - 1]) || !startsOperand(next))) ||
        (t.t === 'not' && !startsOperand(next))
      ) {
        if (!t.quiet) problems.add('query.stray_operator', t.text);
        changed = true;
        continue;
      }
      out.push(t);
    }
    cur = out;
    if (!changed) break;
  }
  return cur;
}

/** Recursive descent; defensive, so that it never fails even on tokens `repair` left unusual. */
class Parser {
  private pos = 0;
  constructor(private readonly toks: Tok[]) {}

  parse(): QueryNode | null {
    const parts: (QueryNode | null)[] = [];
    while (this.pos < this.toks.length) {
      const before = this.pos;
      parts.push(this.or());
      if (this.pos === before) this.pos++;
    }
    return combine('and', parts);
  }

  private peek(): Tok | undefined {
    return this.toks[this.pos];
  }

  private or(): QueryNode | null {
    const parts = [this.and()];
    while (this.peek()?.t === 'or') {
      this.pos++;
      parts.push(this.and());
    }
    return combine('or', parts);
  }

  private and(): QueryNode | null {
    const parts = [this.unary()];
    for (;;) {
      const t = this.peek();
      if (t?.t === 'and') this.pos++;
      else if (startsOperand(t)) parts.push(this.unary());
      else break;
    }
    return combine('and', parts);
  }

  private unary(): QueryNode | null {
    let negated = false;
    while (this.peek()?.t === 'not') {
      negated = !negated;
      this.pos++;
    }
    const node = this.primary();
    return negated ? negate(node) : node;
  }

  private primary(): QueryNode | null {
    const t = this.peek();
    if (t === undefined || t.t === 'rp') return null;
    this.pos++;
    if (t.t === 'atom') return t.node;
    if (t.t !== 'lp') return null;
    const node = this.or();
    if (this.peek()?.t === 'rp') this.pos++;
    return node;
  }
}

/** Flattens children of the same kind, drops empty ones and duplicates; one child is itself. */
/** `kind` of the parts, flattened and without duplicates; null parts are left out. */
export function combine(kind: 'and' | 'or', parts: readonly (QueryNode | null)[]): QueryNode | null {
  const children: QueryNode[] = [];
  const seen = new Set<string>();
  const add = (n: QueryNode): void => {
    const key = describeQuery(n);
    if (seen.has(key)) return;
    seen.add(key);
    children.push(n);
  };
  for (const p of parts) {
    if (p === null) continue;
    if (p.kind === kind) p.children.forEach(add);
    else add(p);
  }
  if (children.length === 0) return null;
  if (children.length === 1) return children[0]!;
  return { kind, children };
}

function negate(node: QueryNode | null): QueryNode | null {
  if (node === null) return null;
  return node.kind === 'not' ? node.child : { kind: 'not', child: node };
}

/** False when the query only excludes: the engine must then start from everything. */
export function isPositive(node: QueryNode): boolean {
  switch (node.kind) {
    case 'not':
      return false;
    case 'and':
      return node.children.some(isPositive);
    case 'or':
      return node.children.every(isPositive);
    default:
      return true;
  }
}

export function countTerms(node: QueryNode | null): number {
  if (node === null) return 0;
  switch (node.kind) {
    case 'and':
    case 'or':
      return node.children.reduce((n, c) => n + countTerms(c), 0);
    case 'not':
      return countTerms(node.child);
    default:
      return 1;
  }
}

function nonNegativeLimit(value: number | undefined, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.floor(value) : fallback;
}

/** Removes invisible characters (line breaks become spaces) and applies NFC. */
function clean(input: string): string {
  return input.replace(LINE_BREAKS, ' ').replace(INVISIBLE, '').normalize('NFC');
}

/**
 * Cuts the text at `maxLength` characters (code points). A word cut in two is dropped when an
 * earlier word boundary exists, since half a word would match nothing.
 */
function truncate(s: string, maxLength: number): { text: string; cut: boolean } {
  const chars = Array.from(s);
  if (chars.length <= maxLength) return { text: s, cut: false };
  let kept = chars.slice(0, maxLength);
  if (maxLength > 0 && !SPACE.test(chars[maxLength]!) && !SPACE.test(kept[maxLength - 1]!)) {
    let k = kept.length - 1;
    while (k >= 0 && !SPACE.test(kept[k]!)) k--;
    if (k > 0) kept = kept.slice(0, k);
  }
  return { text: kept.join(''), cut: true };
}

/** Parses what a reader typed in the search box. Never throws. */
export function parseQuery(input: string, limits: { maxLength?: number; maxTerms?: number } = {}): ParsedQuery {
  const maxLength = nonNegativeLimit(limits?.maxLength, DEFAULT_MAX_LENGTH);
  const maxTerms = nonNegativeLimit(limits?.maxTerms, DEFAULT_MAX_TERMS);
  const problems = new Problems();

  let raw = typeof input === 'string' ? input : '';
  // Bounds the work on huge input; what is removed here would be cut below anyway, bar invisibles.
  const bound = maxLength * 8 + 1024;
  const preCut = raw.length > bound;
  if (preCut) raw = raw.slice(0, bound);
  const { text, cut } = truncate(clean(raw), maxLength);
  if (cut || preCut) problems.add('query.truncated', String(maxLength));

  const toks = new Lexer(text, maxTerms, cut || preCut, problems).run();
  const node = new Parser(repair(toks, problems)).parse();
  const positive = node !== null && isPositive(node);
  if (node === null) problems.add('query.empty');
  else if (!positive) problems.add('query.only_negative');
  return { node, positive, problems: problems.list, terms: countTerms(node) };
}

/** The canonical text form of a query (see the format at the top of this file). */
export function describeQuery(node: QueryNode | null): string {
  if (node === null) return '';
  switch (node.kind) {
    case 'term':
      return `${node.field ? `${node.field}:` : ''}${node.tokens.join('-')}${node.prefix ? '*' : ''}`;
    case 'phrase':
      return `${node.field ? `${node.field}:` : ''}"${node.tokens.join(' ')}"`;
    case 'isbn':
      return `isbn[${node.values.join('|')}]`;
    case 'issn':
      return `issn[${node.value}]`;
    case 'year':
      return node.from === node.to ? `year[${node.from}]` : `year[${node.from}..${node.to}]`;
    case 'not':
      return `NOT(${describeQuery(node.child)})`;
    case 'and':
    case 'or':
      return `${node.kind.toUpperCase()}(${node.children.map(describeQuery).join(', ')})`;
  }
}

/** The words and phrases a matching record must contain (not those under NOT), in query order, once each. */
export function queryTokens(node: QueryNode | null): { field: SearchField | null; tokens: string[] }[] {
  const out: { field: SearchField | null; tokens: string[] }[] = [];
  const seen = new Set<string>();
  const walk = (n: QueryNode): void => {
    switch (n.kind) {
      case 'term':
      case 'phrase': {
        const key = `${n.field ?? ''}\u0000${n.tokens.join(' ')}`;
        if (!seen.has(key)) {
          seen.add(key);
          out.push({ field: n.field, tokens: [...n.tokens] });
        }
        return;
      }
      case 'and':
      case 'or':
        n.children.forEach(walk);
        return;
      default:
        return;
    }
  };
  if (node !== null) walk(node);
  return out;
}
