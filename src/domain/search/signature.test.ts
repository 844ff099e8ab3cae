import { describe, expect, it } from 'vitest';
import type { MatchExpr } from './compile.js';
import { parseSignature, SIGNATURE, SIGNATURE_WORDS, signatureBit, signatureTest, wordSignature, type SignatureSection } from './signature.js';

const tok = (col: 'title' | 'title_x' | 'author' | 'meta' | 'other', token: string, prefix = false): MatchExpr => ({ op: 'tok', cols: [col], token, prefix });

/** Whether `e`'s test passes a document with these column tokens. */
function passes(e: MatchExpr, columns: Partial<Record<SignatureSection, string>>): boolean {
  const sig = parseSignature(wordSignature({ title: '', titleExact: '', author: '', ...columns }))!;
  const test = signatureTest(e);
  if (!test) throw new Error('no test');
  // At an offset, as the facet store keeps them (one document after another).
  const many = new Uint32Array(SIGNATURE_WORDS * 3);
  many.set(sig, SIGNATURE_WORDS * 2);
  return test(many, SIGNATURE_WORDS * 2);
}

/** A folded word whose bit differs from every bit of `tokens` in `section` (so the test must fail). */
function absentWord(section: SignatureSection, tokens: string[]): string {
  const { words } = SIGNATURE[section];
  const taken = new Set(tokens.map((t) => signatureBit(t, words)));
  for (let i = 0; ; i++) if (!taken.has(signatureBit(`w${i}`, words))) return `w${i}`;
}

describe('word signatures', () => {
  const title = 'xoi gac ngay tet';
  const exact = 'xôi gấc ngày tết';
  const author = 'nguyen van an';

  it('passes every word the title, its exact spelling or the author holds', () => {
    for (const w of title.split(' ')) expect(passes(tok('title', w), { title })).toBe(true);
    for (const w of exact.split(' ')) expect(passes(tok('title_x', w), { titleExact: exact })).toBe(true);
    for (const w of author.split(' ')) expect(passes(tok('author', w), { author })).toBe(true);
  });

  it('fails a word whose bit is clear, and keeps the sections apart', () => {
    const missing = absentWord('title', title.split(' '));
    expect(passes(tok('title', missing), { title })).toBe(false);
    // The author's words are not the title's (different sections).
    const notInTitle = author.split(' ').find((w) => !title.split(' ').some((t) => signatureBit(t, 4) === signatureBit(w, 4)))!;
    expect(passes(tok('title', notInTitle), { title, author })).toBe(false);
    expect(passes(tok('author', notInTitle), { title, author })).toBe(true);
  });

  it('combines AND, OR, NOT and phrases; scope words pass; prefixes and other columns cannot be told', () => {
    const missing = absentWord('title', title.split(' '));
    const and = (...args: MatchExpr[]): MatchExpr => ({ op: 'and', args });
    const or = (...args: MatchExpr[]): MatchExpr => ({ op: 'or', args });
    expect(passes(and(tok('title', 'xoi'), tok('title', 'gac')), { title })).toBe(true);
    expect(passes(and(tok('title', 'xoi'), tok('title', missing)), { title })).toBe(false);
    expect(passes(or(tok('title', missing), tok('title', 'tet')), { title })).toBe(true);
    expect(passes(and(tok('title', 'gac'), { op: 'not', arg: tok('title', 'gac') }), { title })).toBe(true);
    expect(passes({ op: 'phrase', cols: ['title'], tokens: ['gac', 'ngay'] }, { title })).toBe(true);
    expect(passes({ op: 'phrase', cols: ['title'], tokens: ['gac', missing] }, { title })).toBe(false);
    expect(passes(and(tok('meta', 'h12'), tok('title', 'gac')), { title })).toBe(true);
    expect(signatureTest(tok('title', 'ga', true))).toBeNull();
    expect(signatureTest(tok('other', 'gac'))).toBeNull();
    expect(signatureTest(and(tok('title', 'gac'), tok('other', 'gac')))).toBeNull();
    expect(signatureTest({ op: 'tok', cols: ['title', 'author'], token: 'gac', prefix: false })).toBeNull();
  });

  it('is 64 hex digits, read back as it was written; anything else is no signature', () => {
    const hex = wordSignature({ title, titleExact: exact, author });
    expect(hex).toMatch(/^[0-9a-f]{64}$/u);
    expect(wordSignature({ title: '', titleExact: '', author: '' })).toBe('0'.repeat(64));
    const words = parseSignature(hex)!;
    expect([...words].map((w) => w.toString(16).padStart(8, '0')).join('')).toBe(hex);
    for (const bad of [undefined, null, 42, '', 'xyz', hex.slice(1), `${hex}0`, hex.toUpperCase().replace(/[0-9]/gu, 'G')]) expect(parseSignature(bad)).toBeNull();
  });
});
