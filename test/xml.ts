/**
 * A strict XML reader for tests of what we write (feeds, sitemaps, OpenSearch): the document must
 * be well-formed (one root, matching tags, no stray `&` or control character); it comes back as
 * a small tree to check the structure against the standard.
 */
import { XmlTokenizer } from '../src/codecs/marc/_xml.js';

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

/** Parses `xml` or throws with the first problem and where it is. */
export function parseXml(xml: string): XmlNode {
  if (!xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')) throw new Error('no XML declaration (UTF-8) at the very start');
  const tok = new XmlTokenizer();
  tok.feed(xml);
  tok.end();
  const stack: XmlNode[] = [];
  let root: XmlNode | null = null;
  for (let t = tok.next(); t; t = tok.next()) {
    if (t.kind === 'problem') throw new Error(`line ${t.line}, column ${t.column}: ${t.message}`);
    if (t.kind === 'start') {
      if (!stack.length && root) throw new Error(`line ${t.line}: a second root element <${t.name}>`);
      const node: XmlNode = { name: t.name, attrs: Object.fromEntries(t.attrs.map((a) => [a.name, a.value])), children: [], text: '' };
      if (stack.length) stack[stack.length - 1]!.children.push(node);
      else root = node;
      if (!t.selfClosing) stack.push(node);
    } else if (t.kind === 'end') {
      const open = stack.pop();
      if (!open || open.name !== t.name) throw new Error(`line ${t.line}: </${t.name}> closes <${open?.name ?? 'nothing'}>`);
    } else if (t.kind === 'text') {
      if (stack.length) stack[stack.length - 1]!.text += t.text;
      else if (t.text.trim() !== '') throw new Error(`line ${t.line}: text outside the root element`);
    }
  }
  if (stack.length) throw new Error(`<${stack[stack.length - 1]!.name}> is never closed`);
  if (!root) throw new Error('no root element');
  return root;
}

/** The children of a node with a name. */
export function kids(n: XmlNode, name: string): XmlNode[] {
  return n.children.filter((c) => c.name === name);
}

/** The text of the only child with a name (throws when there is not exactly one). */
export function only(n: XmlNode, name: string): string {
  const k = kids(n, name);
  if (k.length !== 1) throw new Error(`<${n.name}> has ${k.length} <${name}>, not one`);
  return k[0]!.text;
}
