/**
 * RIS, the tagged format reference managers (Zotero, EndNote, Mendeley) import: one line per
 * element, `TY  - BOOK` first and `ER  - ` last, lines ended by CR LF as the format's
 * specification asks. Text is written as UTF-8 (the format names no encoding; every current
 * reader takes UTF-8). A value never spans lines: line breaks inside it become spaces.
 *
 * ```ts
 * writeRis([entry]) // 'TY  - BOOK\r\nAU  - Nguyễn Du\r\nTI  - Truyện Kiều\r\n…ER  - \r\n'
 * ```
 *
 * Names: a person catalogued inverted is written `Family, Given` (as RIS expects); a Vietnamese
 * name is written whole in its own order without a comma (`Nguyễn Du`), which reference managers
 * keep as one name instead of cutting the given name to an initial; organisations as written.
 */
import { directName, invertedName } from '../../text/person-name.js';
import type { Agent, CitationEntry, EntryType } from './entry.js';

const TYPES: Record<EntryType, string> = {
  book: 'BOOK',
  thesis: 'THES',
  article: 'JOUR',
  serial: 'SER',
  map: 'MAP',
  score: 'MUSIC',
  sound: 'SOUND',
  video: 'VIDEO',
  image: 'ART',
  software: 'COMP',
  manuscript: 'MANSCPT',
  report: 'RPRT',
  other: 'GEN',
};

/** The RIS reference type of an entry (`BOOK`, `THES`, `EBOOK` for an electronic book…). */
export function risType(e: CitationEntry): string {
  if (e.type === 'book' && e.electronic) return 'EBOOK';
  return TYPES[e.type];
}

/** A value on one line: controls and line breaks become spaces, runs of space one. */
function oneLine(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/gu, ' ').replace(/\s+/gu, ' ').trim();
}

export function risName(a: Agent): string {
  if (a.kind === 'organization') return a.name;
  return a.name.vietnamese ? directName(a.name) : invertedName(a.name);
}

/** ISO 639-2/B codes written as their ISO 639-1 two letters where there are some (as Zotero expects). */
const LANGS: Record<string, string> = { vie: 'vi', eng: 'en', fre: 'fr', ger: 'de', chi: 'zh', rus: 'ru', khm: 'km', jpn: 'ja', kor: 'ko', spa: 'es', ita: 'it', lao: 'lo', tha: 'th', por: 'pt' };

/** One entry as RIS lines (CR LF), ending with `ER  - `. */
export function risRecord(e: CitationEntry): string {
  const lines: string[] = [];
  const add = (tag: string, value: string | number | undefined) => {
    if (value === undefined) return;
    const v = oneLine(String(value));
    if (v !== '') lines.push(`${tag}  - ${v}`);
  };
  lines.push(`TY  - ${risType(e)}`);
  add('ID', e.id);
  for (const a of e.authors) add('AU', risName(a));
  for (const a of e.editors) add('ED', risName(a));
  for (const a of e.translators) add('A4', risName(a));
  add('TI', e.subtitle ? `${e.title}: ${e.subtitle}` : e.title);
  if (e.series) {
    add('T3', e.series.title);
    add('VL', e.series.volume);
  }
  add('PY', e.year);
  add('ET', e.edition);
  if (e.thesis) {
    add('PB', e.thesis.institution ?? e.publishers[0]);
    add('M3', e.thesis.type);
  } else add('PB', e.publishers[0]);
  add('CY', e.place);
  for (const n of [...e.isbns, ...e.issns]) add('SN', n);
  for (const k of e.keywords) add('KW', k);
  add('AB', e.abstract);
  add('DO', e.doi);
  add('UR', e.doi ? `https://doi.org/${e.doi}` : e.url);
  if (e.landingUrl && e.landingUrl !== e.url) add('UR', e.landingUrl);
  for (const l of e.languages) add('LA', LANGS[l] ?? l);
  add('CN', e.callNumber);
  add('SP', e.pages);
  lines.push('ER  - ');
  return lines.map((l) => `${l}\r\n`).join('');
}

/** Entries as one RIS file. */
export function writeRis(entries: readonly CitationEntry[]): string {
  return entries.map(risRecord).join('');
}
