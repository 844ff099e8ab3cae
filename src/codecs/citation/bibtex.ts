/**
 * BibTeX entries for LaTeX: `@book`, `@phdthesis`, `@mastersthesis` (a bachelor's thesis too, with
 * `type`), `@article` and `@misc`.
 *
 * The text is UTF-8 and stays UTF-8 (`Nguyễn`, not `Nguy{\~{\^e}}n`): biber/biblatex read it as it
 * is, and classic BibTeX does with `\usepackage[utf8]{inputenc}` (the default in LaTeX since
 * 2018). Only the characters that mean something to TeX are escaped — `\ { } % & $ # _ ~ ^` —
 * so no value can open a group it does not close or comment out the rest of the file; line breaks
 * become spaces.
 *
 * Names: `Family, Given` for a person catalogued inverted; a Vietnamese name whole in its own
 * order inside braces (`{Nguyễn Du}`), which BibTeX styles treat as one family name — never
 * cut to `N. Du` or reordered to `Du, Nguyễn`; an organisation in braces too. Titles are in an
 * extra pair of braces so styles do not lower-case proper nouns (catalogue titles are already in
 * sentence case with their capitals where they belong).
 *
 * The citation key is stable for a record: the first author's family name, the year and the first
 * word of the title, folded to ASCII letters (`nguyen2015truyen`).
 */
import { fold } from '../../text/fold.js';
import type { Agent, CitationEntry } from './entry.js';

/** TeX's special characters escaped; braces always balanced; one line. */
export function escapeBibtex(s: string): string {
  return (
    s
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/gu, ' ')
      .replace(/\s+/gu, ' ')
      .trim()
      .replace(/[\\{}%&$#_~^]/gu, (c) => {
        switch (c) {
          case '\\':
            return '\\textbackslash{}';
          case '~':
            return '\\textasciitilde{}';
          case '^':
            return '\\textasciicircum{}';
          default:
            return `\\${c}`;
        }
      })
  );
}

/**
 * A URL or DOI as `url`/`doi` fields want it: unescaped (they are read verbatim), with braces,
 * backslashes and white space percent-encoded — a valid URL has none of them anyway.
 */
export function bibtexUrl(s: string): string {
  return s.trim().replace(/[{}\\\s]/gu, (c) => encodeURIComponent(c));
}

export function bibtexName(a: Agent): string {
  if (a.kind === 'organization') return `{${escapeBibtex(a.name)}}`;
  const p = a.name;
  if (p.vietnamese) return `{${escapeBibtex(`${p.family} ${p.given}`.trim())}}`;
  // A name written as one piece (`Homer`, a pen name) stays one piece.
  if (p.direct) return p.given === '' ? escapeBibtex(p.full) : `{${escapeBibtex(p.full)}}`;
  const parts = [p.family, p.suffix, p.given].filter((x) => x !== '');
  // BibTeX's `von Last, Jr, First`: the suffix goes between family and given names.
  return parts.map(escapeBibtex).join(', ');
}

const ARTICLES = new Set(['the', 'a', 'an', 'le', 'la', 'les', 'l', 'der', 'die', 'das', 'el', 'los', 'las']);

function keyWord(s: string): string {
  return fold(s).toLowerCase().replace(/[^a-z0-9]+/gu, '');
}

/** `nguyen2015truyen`: family name, year (or `nd`), first word of the title that is not an article. */
export function bibtexKey(e: CitationEntry): string {
  const first = e.authors[0] ?? e.editors[0];
  let who = '';
  if (first?.kind === 'person') who = keyWord(first.name.family || first.name.full);
  else if (first) who = keyWord(first.name.split(/\s+/u)[0] ?? '');
  const words = e.title.split(/[\s'’]+/u).map(keyWord).filter((w) => w !== '');
  const word = words.find((w) => !ARTICLES.has(w)) ?? words[0] ?? '';
  const key = `${who}${e.year ?? 'nd'}${word}`;
  return /^[a-z]/u.test(key) ? key : `ref${e.id.replace(/[^A-Za-z0-9]/gu, '')}${key}`;
}

function entryKind(e: CitationEntry): { kind: string; type?: string } {
  if (e.thesis) {
    if (e.thesis.level === 'doctoral') return { kind: 'phdthesis' };
    if (e.thesis.level === 'masters') return { kind: 'mastersthesis' };
    return { kind: 'mastersthesis', type: e.thesis.type ?? 'Thesis' };
  }
  if (e.type === 'book') return { kind: 'book' };
  if (e.type === 'article') return { kind: 'article' };
  return { kind: 'misc' };
}

const LANGUAGE_NAMES: Record<string, string> = { vie: 'vietnamese', eng: 'english', fre: 'french', ger: 'german', chi: 'chinese', rus: 'russian', jpn: 'japanese', khm: 'khmer', kor: 'korean', spa: 'spanish', ita: 'italian' };

/** One entry in BibTeX. */
export function bibtexRecord(e: CitationEntry): string {
  const { kind, type } = entryKind(e);
  const fields: Array<[string, string]> = [];
  const add = (name: string, value: string | number | undefined, raw = false) => {
    if (value === undefined) return;
    const v = raw ? String(value) : escapeBibtex(String(value));
    if (v !== '') fields.push([name, v]);
  };
  if (e.authors.length) add('author', e.authors.map(bibtexName).join(' and '), true);
  if (e.editors.length) add('editor', e.editors.map(bibtexName).join(' and '), true);
  if (e.translators.length) add('translator', e.translators.map(bibtexName).join(' and '), true);
  add('title', `{${escapeBibtex(e.subtitle ? `${e.title}: ${e.subtitle}` : e.title)}}`, true);
  if (e.thesis) {
    add('school', e.thesis.institution ?? e.publishers[0]);
    add('type', type);
    add('address', e.place);
  } else {
    add('publisher', e.publishers[0]);
    add('address', e.place);
    add('edition', e.edition);
  }
  if (e.series) {
    add('series', e.series.title);
    add('volume', e.series.volume);
  }
  add('year', e.year);
  add('isbn', e.isbns.join(', ') || undefined);
  add('issn', e.issns.join(', ') || undefined);
  add('doi', e.doi === undefined ? undefined : bibtexUrl(e.doi), true);
  const url = e.doi ? undefined : (e.url ?? e.landingUrl);
  add('url', url === undefined ? undefined : bibtexUrl(url), true);
  add('language', e.languages[0] ? (LANGUAGE_NAMES[e.languages[0]] ?? e.languages[0]) : undefined);
  add('keywords', e.keywords.join(', ') || undefined);
  add('abstract', e.abstract);
  add('pagetotal', e.pages);
  const width = Math.max(...fields.map(([n]) => n.length));
  const body = fields.map(([n, v]) => `  ${n.padEnd(width)} = {${v}}`).join(',\n');
  return `@${kind}{${bibtexKey(e)},\n${body}\n}\n`;
}

/** Entries as one BibTeX file. */
export function writeBibtex(entries: readonly CitationEntry[]): string {
  return entries.map(bibtexRecord).join('\n');
}
