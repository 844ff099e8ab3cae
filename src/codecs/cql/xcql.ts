/**
 * XCQL: a parsed CQL query as XML (SRU 1.2, "XCQL"), written the way yaz's `cql2xcql` writes it,
 * two spaces per level, so that its test suite's expected output can be compared with ours.
 *
 * - A search clause is `<searchClause>` with `<prefixes>` (when any), `<index>`, `<relation>`
 *   (`<value>` and `<modifiers>`) and `<term>`; a boolean is `<triple>` with `<prefixes>`,
 *   `<boolean>` (`<value>` and `<modifiers>`), `<leftOperand>` and `<rightOperand>`.
 * - A modifier is `<modifier>` with `<type>`, and `<comparison>` and `<value>` when it has a value.
 * - The query's own prefix assignments go into the top element's `<prefixes>`, its sort keys into
 *   `<sortKeys>` at the end of the top element, each a `<key>` with `<index>` and `<modifiers>`.
 * - Indentation stops at 128 spaces (a chain of 10,000 booleans is 10,000 levels deep).
 * - Strings are written as the query had them (a term keeps its backslashes), with `&`, `<`, `>`
 *   escaped and characters that XML 1.0 does not allow replaced by U+FFFD.
 *
 * Where yaz differs from the standard, we follow the standard (see xcql.test.ts): yaz lists
 * modifiers last first, and writes a prefix assignment onto each search clause whose index uses
 * it, stripping the prefix from the index.
 */
import type { CqlModifier, CqlNode, CqlPrefix, CqlQuery, CqlSearchClause, CqlSortKey } from './ast.js';

export interface XcqlOptions {
  /** An `xmlns` for the top element (SRU puts XCQL in `http://www.loc.gov/zing/cql/xcql/`). */
  namespace?: string;
}

// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/gu;
const SPECIAL = /[&<>]/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

function text(s: string): string {
  return s.replace(NOT_XML, '\ufffd').replace(SPECIAL, (c) => ENTITY[c]!);
}

/** Indentation stops growing here, so that a long boolean chain does not make the output quadratic. */
const MAX_INDENT = 128;

class Writer {
  readonly #out: string[] = [];

  line(level: number, s: string): void {
    this.#out.push(`${' '.repeat(Math.min(level, MAX_INDENT))}${s}\n`);
  }

  leaf(level: number, name: string, value: string): void {
    this.line(level, `<${name}>${text(value)}</${name}>`);
  }

  toString(): string {
    return this.#out.join('');
  }
}

function writePrefixes(w: Writer, level: number, prefixes: readonly CqlPrefix[]): void {
  if (prefixes.length === 0) return;
  w.line(level, '<prefixes>');
  for (const p of prefixes) {
    w.line(level + 2, '<prefix>');
    if (p.name !== undefined) w.leaf(level + 4, 'name', p.name);
    w.leaf(level + 4, 'identifier', p.uri);
    w.line(level + 2, '</prefix>');
  }
  w.line(level, '</prefixes>');
}

function writeModifiers(w: Writer, level: number, modifiers: readonly CqlModifier[]): void {
  if (modifiers.length === 0) return;
  w.line(level, '<modifiers>');
  for (const m of modifiers) {
    w.line(level + 2, '<modifier>');
    w.leaf(level + 4, 'type', m.type);
    if (m.comparison !== undefined) w.leaf(level + 4, 'comparison', m.comparison);
    if (m.value !== undefined) w.leaf(level + 4, 'value', m.value);
    w.line(level + 2, '</modifier>');
  }
  w.line(level, '</modifiers>');
}

function writeSortKeys(w: Writer, level: number, keys: readonly CqlSortKey[]): void {
  if (keys.length === 0) return;
  w.line(level, '<sortKeys>');
  for (const k of keys) {
    w.line(level + 2, '<key>');
    w.leaf(level + 4, 'index', k.index);
    writeModifiers(w, level + 4, k.modifiers);
    w.line(level + 2, '</key>');
  }
  w.line(level, '</sortKeys>');
}

/** What only the top element carries. */
interface Top {
  open: string;
  prefixes: readonly CqlPrefix[];
  sortKeys: readonly CqlSortKey[];
}

function writeClause(w: Writer, level: number, c: CqlSearchClause, top: Top | null): void {
  w.line(level, `<searchClause${top?.open ?? ''}>`);
  writePrefixes(w, level + 2, top ? [...top.prefixes, ...c.prefixes] : c.prefixes);
  w.leaf(level + 2, 'index', c.index);
  w.line(level + 2, '<relation>');
  w.leaf(level + 4, 'value', c.relation.value);
  writeModifiers(w, level + 4, c.relation.modifiers);
  w.line(level + 2, '</relation>');
  w.leaf(level + 2, 'term', c.term);
  if (top) writeSortKeys(w, level + 2, top.sortKeys);
  w.line(level, '</searchClause>');
}

/**
 * A boolean chain is as deep as it is long, and always leans left: its left spine is written in a
 * loop, so only parenthesised right operands recurse (as deep as the parser allowed).
 */
function writeNode(w: Writer, level: number, node: CqlNode, top: Top | null): void {
  const spine = [];
  let leaf: CqlNode = node;
  while (leaf.type === 'triple') {
    spine.push(leaf);
    leaf = leaf.left;
  }
  spine.forEach((t, i) => {
    const at = level + 4 * i;
    const first = i === 0 ? top : null;
    w.line(at, `<triple${first?.open ?? ''}>`);
    writePrefixes(w, at + 2, first ? [...first.prefixes, ...t.prefixes] : t.prefixes);
    w.line(at + 2, '<boolean>');
    w.leaf(at + 4, 'value', t.op);
    writeModifiers(w, at + 4, t.modifiers);
    w.line(at + 2, '</boolean>');
    w.line(at + 2, '<leftOperand>');
  });
  writeClause(w, level + 4 * spine.length, leaf, spine.length === 0 ? top : null);
  for (let i = spine.length - 1; i >= 0; i--) {
    const at = level + 4 * i;
    w.line(at + 2, '</leftOperand>');
    w.line(at + 2, '<rightOperand>');
    writeNode(w, at + 4, spine[i]!.right, null);
    w.line(at + 2, '</rightOperand>');
    if (i === 0 && top) writeSortKeys(w, at + 2, top.sortKeys);
    w.line(at, '</triple>');
  }
}

/**
 * Writes a parsed query as XCQL (no XML declaration: XCQL usually sits inside another document).
 *
 * ```ts
 * const r = parseCql('dc.title any fish');
 * if (r.ok) toXcql(r.query);
 * // <searchClause>
 * //   <index>dc.title</index>
 * //   <relation>
 * //     <value>any</value>
 * //   </relation>
 * //   <term>fish</term>
 * // </searchClause>
 * ```
 */
export function toXcql(query: CqlQuery, opts: XcqlOptions = {}): string {
  const w = new Writer();
  const open = opts.namespace === undefined ? '' : ` xmlns="${text(opts.namespace).replace(/"/g, '&quot;')}"`;
  writeNode(w, 0, query.root, { open, prefixes: query.prefixes, sortKeys: query.sortKeys });
  return w.toString();
}
