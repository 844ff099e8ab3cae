/**
 * From a parsed query to an engine-neutral match expression over the index columns, plus what
 * ranking needs to know about the words the reader typed. Pure.
 *
 * Words are folded here (tone and vowel marks off, đ → d, old/new tone placement and i/y made
 * equal), so FTS5 and PostgreSQL see the same tokens. A word typed *with* marks also carries its
 * exact form, which ranking uses to put exact spellings first.
 */
import type { QueryNode, SearchField } from './query.js';
import { ALL_TOKEN, ANY_COLUMNS, availableToken, heldToken, yearToken, type SearchColumn } from './document.js';
import { exactToken, foldToken, hasMarks } from '../../text/vi.js';

export type MatchExpr =
  | { op: 'tok'; cols: readonly SearchColumn[]; token: string; prefix: boolean }
  | { op: 'phrase'; cols: readonly SearchColumn[]; tokens: string[] }
  | { op: 'and' | 'or'; args: MatchExpr[] }
  | { op: 'not'; arg: MatchExpr };

/** A positive word or phrase of the query, for ranking and highlighting. */
export interface QueryWord {
  field: SearchField | null;
  /** Folded tokens (one for a word, several for a phrase). */
  folded: string[];
  /** Exact tokens where the reader typed marks; null where they did not. */
  exact: (string | null)[];
  prefix: boolean;
  phrase: boolean;
}

export interface CompiledQuery {
  /** null: no text condition (browse with filters). */
  expr: MatchExpr | null;
  words: QueryWord[];
  /** Year bounds taken out of the text as a filter (a top-level `year:`). */
  yearFrom: number | null;
  yearTo: number | null;
}

const FIELD_COLUMNS: Record<SearchField, readonly SearchColumn[]> = {
  title: ['title'],
  author: ['author'],
  subject: ['subject'],
  isbn: ['ident'],
  issn: ['ident'],
  publisher: ['publisher'],
  year: ['meta'],
  callnumber: ['callnumber'],
  series: ['series'],
};

const ALL: MatchExpr = { op: 'tok', cols: ['meta'], token: ALL_TOKEN, prefix: false };
/** Year ranges nested inside other operators expand to this many year tokens at most. */
/** As `yearIn` accepts (derive.ts). */
const YEAR_MIN = 1000;
const YEAR_MAX = 2100;

function colsOf(field: SearchField | null): readonly SearchColumn[] {
  return field ? FIELD_COLUMNS[field] : ANY_COLUMNS;
}

function words(tokens: readonly string[]): { folded: string[]; exact: (string | null)[] } {
  return { folded: tokens.map(foldToken), exact: tokens.map((t) => (hasMarks(t) ? exactToken(t) : null)) };
}

/** Matches nothing: what a year range no record can have comes to. */
const NEVER: MatchExpr = { op: 'and', args: [ALL, { op: 'not', arg: ALL }] };

function yearExpr(from: number, to: number): MatchExpr {
  const lo = Math.max(from, YEAR_MIN);
  const hi = Math.min(to, YEAR_MAX);
  if (lo > hi) return NEVER;
  const args: MatchExpr[] = [];
  for (let y = lo; y <= hi; y++) args.push({ op: 'tok', cols: ['meta'], token: yearToken(y), prefix: false });
  return args.length === 1 ? args[0]! : { op: 'or', args };
}

function build(node: QueryNode, out: QueryWord[], positive: boolean): MatchExpr | null {
  switch (node.kind) {
    case 'term': {
      const w = words(node.tokens);
      const cols = colsOf(node.field);
      if (positive) out.push({ field: node.field, ...w, prefix: node.prefix, phrase: node.tokens.length > 1 });
      if (w.folded.length === 0) return null;
      if (w.folded.length === 1) return { op: 'tok', cols, token: w.folded[0]!, prefix: node.prefix };
      return { op: 'phrase', cols, tokens: w.folded };
    }
    case 'phrase': {
      const w = words(node.tokens);
      if (w.folded.length === 0) return null;
      if (positive) out.push({ field: node.field, ...w, prefix: false, phrase: w.folded.length > 1 });
      const cols = colsOf(node.field);
      return w.folded.length === 1 ? { op: 'tok', cols, token: w.folded[0]!, prefix: false } : { op: 'phrase', cols, tokens: w.folded };
    }
    case 'isbn': {
      const args: MatchExpr[] = node.values.map((v) => ({ op: 'tok', cols: ['ident'], token: v.toLowerCase(), prefix: false }));
      return args.length === 1 ? args[0]! : { op: 'or', args };
    }
    case 'issn':
      return { op: 'tok', cols: ['ident'], token: node.value.toLowerCase(), prefix: false };
    case 'year':
      return yearExpr(node.from, node.to);
    case 'not': {
      const inner = build(node.child, out, !positive);
      return inner ? { op: 'not', arg: inner } : null;
    }
    case 'and':
    case 'or': {
      const args = node.children.map((c) => build(c, out, positive)).filter((e): e is MatchExpr => e !== null);
      if (args.length === 0) return null;
      if (args.length === 1) return args[0]!;
      return { op: node.kind, args };
    }
  }
}

/**
 * Every `not` must stand in an `and` beside something positive, for both engines: a lone or
 * OR-ed `not x` becomes `all AND NOT x`.
 */
function anchorNegations(e: MatchExpr): MatchExpr {
  switch (e.op) {
    case 'not':
      return { op: 'and', args: [ALL, { op: 'not', arg: anchorNegations(e.arg) }] };
    case 'or':
      return { op: 'or', args: e.args.map(anchorNegations) };
    case 'and': {
      const args = e.args.map((a): MatchExpr => (a.op === 'not' ? { op: 'not', arg: anchorNegations(a.arg) } : anchorNegations(a)));
      if (!args.some((a) => a.op !== 'not')) args.unshift(ALL);
      return { op: 'and', args };
    }
    default:
      return e;
  }
}

export interface CompileOptions {
  /** Only records held at or below this unit. */
  heldUnder?: number | null;
  /** Only records with a copy on the shelf at or below this unit. */
  availableUnder?: number | null;
}

export function compileQuery(node: QueryNode | null, opts: CompileOptions = {}): CompiledQuery {
  const out: QueryWord[] = [];
  let yearFrom: number | null = null;
  let yearTo: number | null = null;
  let top = node;
  // A year condition at the top level is a filter on the facet arrays, not a long OR of years.
  if (top?.kind === 'year') {
    yearFrom = top.from;
    yearTo = top.to;
    top = null;
  } else if (top?.kind === 'and') {
    const rest: QueryNode[] = [];
    for (const c of top.children) {
      if (c.kind === 'year') {
        yearFrom = Math.max(yearFrom ?? 0, c.from);
        yearTo = Math.min(yearTo ?? 9999, c.to);
      } else rest.push(c);
    }
    top = rest.length === 0 ? null : rest.length === 1 ? rest[0]! : { kind: 'and', children: rest };
  }
  let expr = top ? build(top, out, true) : null;
  // `hoà hòa` or `kĩ kỹ` are one word twice: rank it once.
  const seen = new Set<string>();
  const unique = out.filter((w) => {
    const key = `${w.field ?? ''}|${w.prefix ? '*' : ''}|${w.folded.join(' ')}|${w.exact.join(' ')}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  const scope: MatchExpr[] = [];
  if (opts.heldUnder) scope.push({ op: 'tok', cols: ['meta'], token: heldToken(opts.heldUnder), prefix: false });
  if (opts.availableUnder) scope.push({ op: 'tok', cols: ['meta'], token: availableToken(opts.availableUnder), prefix: false });
  if (expr) expr = anchorNegations(expr);
  if (scope.length > 0) expr = expr ? { op: 'and', args: [...scope, ...(expr.op === 'and' ? expr.args : [expr])] } : scope.length === 1 ? scope[0]! : { op: 'and', args: scope };
  return { expr, words: unique, yearFrom, yearTo };
}

/** Canonical text of an expression (tests, logs, cache keys). */
export function describeExpr(e: MatchExpr | null): string {
  if (!e) return '*';
  switch (e.op) {
    case 'tok':
      return `${e.cols.length === ANY_COLUMNS.length ? '' : `${e.cols.join('|')}:`}${e.token}${e.prefix ? '*' : ''}`;
    case 'phrase':
      return `${e.cols.length === ANY_COLUMNS.length ? '' : `${e.cols.join('|')}:`}"${e.tokens.join(' ')}"`;
    case 'not':
      return `NOT(${describeExpr(e.arg)})`;
    default:
      return `${e.op.toUpperCase()}(${e.args.map(describeExpr).join(', ')})`;
  }
}
