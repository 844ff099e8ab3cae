/**
 * Word signatures: a few bits per document telling which words its title (folded and exact) and
 * its authors may hold. Each word sets one bit chosen by a hash, so a clear bit proves a word
 * absent and a set one makes it likely (a long title sets about one bit in eight of its section,
 * so about one word in eight that it lacks looks present). Ranking takes its candidate tiers —
 * the newest hits with the words in the title, with the exact spelling, by the author — from these
 * bits in the facet store instead of asking the engine for each word in one column; candidates
 * need not be exact (scoring is). Pure.
 */
import type { MatchExpr } from './compile.js';

/** Sections of the signature, in 32-bit words: title 4, exact title 2, author 2. */
export const SIGNATURE = { title: { at: 0, words: 4 }, titleExact: { at: 4, words: 2 }, author: { at: 6, words: 2 } } as const;
export type SignatureSection = keyof typeof SIGNATURE;
/** 32-bit words in a document's signature. */
export const SIGNATURE_WORDS = 8;

/** The bit a token sets in a section `words` 32-bit words long (FNV-1a over UTF-16 units). */
export function signatureBit(token: string, words: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) {
    h ^= token.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % (words * 32);
}

/** The signature of space-separated column tokens, as 64 hex digits (8 words, first word first). */
export function wordSignature(columns: Record<SignatureSection, string>): string {
  const sig = new Uint32Array(SIGNATURE_WORDS);
  for (const section of Object.keys(SIGNATURE) as SignatureSection[]) {
    const { at, words } = SIGNATURE[section];
    for (const token of columns[section].split(' ')) {
      if (token === '') continue;
      const bit = signatureBit(token, words);
      sig[at + (bit >>> 5)]! |= 1 << (bit & 31);
    }
  }
  return [...sig].map((w) => w.toString(16).padStart(8, '0')).join('');
}

/**
 * Reads a signature's hex form into `out[at] … out[at + SIGNATURE_WORDS - 1]`; false (and `out`
 * untouched) when it is not one. Called for every document when a process loads the index.
 */
export function readSignature(hex: unknown, out: Uint32Array, at: number): boolean {
  if (typeof hex !== 'string' || hex.length !== SIGNATURE_WORDS * 8) return false;
  const words = new Uint32Array(SIGNATURE_WORDS);
  for (let i = 0; i < SIGNATURE_WORDS; i++) {
    let w = 0;
    for (let j = i * 8; j < i * 8 + 8; j++) {
      const c = hex.charCodeAt(j);
      const v = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : -1;
      if (v < 0) return false;
      w = (w << 4) | v;
    }
    words[i] = w >>> 0;
  }
  out.set(words, at);
  return true;
}

/** A signature's words from its hex form; null when it is not one. */
export function parseSignature(hex: unknown): Uint32Array | null {
  const out = new Uint32Array(SIGNATURE_WORDS);
  return readSignature(hex, out, 0) ? out : null;
}

/** A test of a document's signature words (`sig[base] …`). */
export type SignatureTest = (sig: Uint32Array, base: number) => boolean;

const COLUMN_SECTION: Record<string, SignatureSection> = { title: 'title', title_x: 'titleExact', author: 'author' };

/**
 * A test passed by every document that can match `e` (and by a few that cannot), for an
 * expression whose words are each in one signed column (`title`, `title_x` or `author`); words in
 * `meta` or `ident` (scope, years, numbers) pass: the hits tested already satisfy them. Null when
 * a word is a prefix or in other columns: the signature cannot tell.
 */
export function signatureTest(e: MatchExpr): SignatureTest | null {
  switch (e.op) {
    case 'tok': {
      if (e.cols.every((c) => c === 'meta' || c === 'ident')) return () => true;
      const section = e.cols.length === 1 ? COLUMN_SECTION[e.cols[0]!] : undefined;
      if (!section || e.prefix) return null;
      const { at, words } = SIGNATURE[section];
      const bit = signatureBit(e.token, words);
      const word = at + (bit >>> 5);
      const mask = 1 << (bit & 31);
      return (sig, base) => (sig[base + word]! & mask) !== 0;
    }
    case 'phrase': {
      // As its words: adjacency is not in the bits.
      const parts = e.tokens.map((token) => signatureTest({ op: 'tok', cols: e.cols, token, prefix: false }));
      return parts.includes(null) ? null : all(parts as SignatureTest[]);
    }
    case 'not':
      // The hits already lack what is negated, or (inside OR) may: either way it cannot exclude.
      return () => true;
    case 'and':
    case 'or': {
      const parts = e.args.map(signatureTest);
      if (parts.includes(null)) return null;
      return e.op === 'and' ? all(parts as SignatureTest[]) : any(parts as SignatureTest[]);
    }
  }
}

function all(parts: SignatureTest[]): SignatureTest {
  if (parts.length === 1) return parts[0]!;
  return (sig, base) => {
    for (const p of parts) if (!p(sig, base)) return false;
    return true;
  };
}

function any(parts: SignatureTest[]): SignatureTest {
  if (parts.length === 1) return parts[0]!;
  return (sig, base) => {
    for (const p of parts) if (p(sig, base)) return true;
    return false;
  };
}
