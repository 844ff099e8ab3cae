/**
 * The vocabulary a set of search documents offers: autocomplete headings (titles, authors,
 * subjects) and the words of those fields with the spelling seen, counted per document. Pure.
 */
import type { SearchDoc } from './document.js';
import { foldedTokens } from './document.js';

export interface HeadingCount {
  kind: 'title' | 'author' | 'subject';
  heading: string;
  folded: string;
  docs: number;
}

export interface TermCount {
  token: string;
  surface: string;
  docs: number;
}

/** Words of titles, authors and subjects with the spelling they were written in. */
export function surfacesOf(doc: SearchDoc): [string, string][] {
  return doc.surfaces;
}

/** The folded form autocomplete matches prefixes against: `Lịch sử Việt Nam` → `lich su viet nam`. */
export function headingKey(heading: string): string {
  return foldedTokens(heading).join(' ').slice(0, 200);
}

/** Computes the vocabulary of a whole set of documents (a full rebuild). */
export class VocabularyTotals {
  readonly headings = new Map<string, HeadingCount>();
  readonly terms = new Map<string, TermCount>();

  add(doc: SearchDoc): void {
    for (const h of doc.headings) {
      const key = `${h.kind}\u0000${h.heading}`;
      const e = this.headings.get(key);
      if (e) e.docs++;
      else this.headings.set(key, { kind: h.kind, heading: h.heading, folded: headingKey(h.heading), docs: 1 });
    }
    for (const [token, surface] of surfacesOf(doc)) {
      const e = this.terms.get(token);
      if (e) e.docs++;
      else this.terms.set(token, { token, surface, docs: 1 });
    }
  }
}

