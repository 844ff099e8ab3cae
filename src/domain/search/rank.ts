/**
 * Relevance, computed in our code from the query's words and a document's stored tokens, so
 * both engines rank alike. Pure.
 *
 * - A word counts by the best field it is found in: title 10, author 6, subject 4, else 1.
 * - A word typed with tone marks scores half again when the exact spelling is there too, so
 *   `Đường` ranks records spelled `Đường` above those spelled `Dương`.
 * - Phrases found whole add a bonus; words close together in the title add a proximity bonus.
 * - A title that is exactly the query scores highest of all; a whole author name or subject
 *   heading typed as it is written scores next.
 * Ties are broken by the caller: more copies held first, then newer.
 */
import type { QueryWord } from './compile.js';
import { SEPARATOR } from './document.js';

export interface RankTokens {
  title: readonly string[];
  titleExact: readonly string[];
  author: readonly string[];
  authorExact: readonly string[];
  subject: readonly string[];
  subjectExact: readonly string[];
}

export const WEIGHTS = { title: 10, author: 6, subject: 4, other: 1, exact: 0.5, phrase: 6, proximity: 4, wholeTitle: 30, wholeTitleExact: 10, wholeAuthor: 12, wholeSubject: 2, coverage: 3 } as const;

type Field = 'title' | 'author' | 'subject';
const FIELDS: readonly Field[] = ['title', 'author', 'subject'];

function fieldsFor(w: QueryWord): readonly Field[] {
  if (w.field === null) return FIELDS;
  if (w.field === 'title' || w.field === 'author' || w.field === 'subject') return [w.field];
  return [];
}

/** Positions where `tokens` occur in order, adjacent (`prefix`: the last may be a prefix). */
function find(hay: readonly string[], tokens: readonly string[], prefix: boolean): number[] {
  const out: number[] = [];
  const n = tokens.length;
  outer: for (let i = 0; i + n <= hay.length; i++) {
    for (let j = 0; j < n; j++) {
      const h = hay[i + j]!;
      const t = tokens[j]!;
      if (h === t) continue;
      if (prefix && j === n - 1 && h.startsWith(t)) continue;
      continue outer;
    }
    out.push(i);
  }
  return out;
}

function exactAt(hay: readonly string[], at: number, exact: readonly (string | null)[]): boolean {
  for (let j = 0; j < exact.length; j++) {
    const e = exact[j];
    if (e !== null && e !== undefined && hay[at + j] !== e) return false;
  }
  return true;
}

export interface ScoreOptions {
  /** The document was found by its whole folded title equalling the query. */
  wholeTitle?: boolean;
}

export function scoreDoc(words: readonly QueryWord[], doc: RankTokens, opts: ScoreOptions = {}): number {
  return scorer(words)(doc, opts);
}

/**
 * `scoreDoc` for one query, with what depends only on the query worked out once: ranking scores
 * hundreds of candidates per search, and building these lists for each one was most of the work.
 */
export function scorer(words: readonly QueryWord[]): (doc: RankTokens, opts?: ScoreOptions) => number {
  const scored = words
    .filter((w) => w.folded.length > 0)
    .map((w) => ({ w, fields: fieldsFor(w), typedMarks: w.exact.some((e) => e !== null), isPhrase: w.folded.length > 1 }));
  const free = words.filter((w) => w.field === null || w.field === 'title');
  const tokens = free.flatMap((w) => w.folded);
  const freeExact = free.flatMap((w) => w.exact);
  const freeTypedMarks = freeExact.some((e) => e !== null);
  const together = free.length > 1 && tokens.length > 1;
  const named = (['author', 'subject'] as const).map((f) => ({ f, ws: words.filter((w) => w.field === null || w.field === f).flatMap((w) => w.folded) })).filter((x) => x.ws.length > 0);

  return (doc, opts = {}) => {
    let score = 0;
    const titleStarts: number[] = [];
    let titleMatched = 0;
    for (const { w, fields, typedMarks, isPhrase } of scored) {
      let best: number = WEIGHTS.other;
      for (const f of fields) {
        const hay = doc[f];
        const hits = find(hay, w.folded, w.prefix);
        if (hits.length === 0) continue;
        let s: number = WEIGHTS[f];
        if (isPhrase) s += (WEIGHTS.phrase * WEIGHTS[f]) / WEIGHTS.title;
        if (typedMarks) {
          const exactHay = doc[`${f}Exact` as const];
          if (hits.some((at) => exactAt(exactHay, at, w.exact))) s += WEIGHTS[f] * WEIGHTS.exact;
        }
        if (f === 'title') {
          titleStarts.push(hits[0]!);
          titleMatched += w.folded.length;
        }
        if (s > best) best = s;
      }
      score += best;
    }

    if (together) {
      // The words typed one after another, as a phrase in the title.
      if (find(doc.title, tokens, false).length > 0) score += WEIGHTS.phrase;
      else if (titleStarts.length === free.length) {
        const span = Math.max(...titleStarts) - Math.min(...titleStarts) + 1;
        score += (WEIGHTS.proximity * tokens.length) / Math.max(span, tokens.length);
      }
    }
    // The words typed together as a name or a heading: the whole author or subject counts most.
    for (const { f, ws } of named) {
      const hay = doc[f];
      const at = find(hay, ws, false);
      if (at.length === 0) continue;
      if (ws.length > 1) score += (WEIGHTS.phrase * WEIGHTS[f]) / WEIGHTS.title;
      const bounded = (p: number) => (p === 0 || hay[p - 1] === SEPARATOR) && (p + ws.length === hay.length || hay[p + ws.length] === SEPARATOR);
      if (ws.length > 1 && at.some(bounded)) score += f === 'author' ? WEIGHTS.wholeAuthor : WEIGHTS.wholeSubject;
    }
    if (doc.title.length > 0) score += (WEIGHTS.coverage * Math.min(titleMatched, doc.title.length)) / doc.title.length;

    const whole = opts.wholeTitle || (tokens.length > 0 && tokens.length === doc.title.length && find(doc.title, tokens, false).length > 0);
    if (whole) {
      score += WEIGHTS.wholeTitle;
      if (freeTypedMarks && exactAt(doc.titleExact, 0, freeExact)) score += WEIGHTS.wholeTitleExact;
    }
    return Math.round(score * 1000) / 1000;
  };
}
