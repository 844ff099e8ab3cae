/**
 * Removing ISBD punctuation that MARC21 records carry at the end of subfields (AACR2/ISBD
 * practice: `$a Truyện Kiều /`, `$a Hà Nội :`, `$b Văn học,`, `$c 2015.`).
 *
 * The rules follow the trimming done by the widely used MARC indexers (SolrMarc's
 * `Utils.cleanData`, used by VuFind; traject's `Marc21.trim_punctuation`, used by Blacklight):
 * - a trailing `,` `;` `:` `/` (with the space before it) goes, and so do ` =` and ` +`;
 * - a trailing period goes, unless it ends an abbreviation: a single letter (an initial, `J.`,
 *   `H.` for Hà Nội), letters separated by periods (`U.S.A.`, `s.n.`, `K.đ.`), or a word in
 *   {@link ABBREVIATIONS} (`ed.`, `Jr.`, `tr.`, `Nxb.`); an ellipsis stays;
 * - a period after a closing bracket, parenthesis or quote goes;
 * - one `[` at the start and/or one `]` at the end go when there are no brackets inside
 *   (`[Hà Nội]` → `Hà Nội`: the brackets only say the cataloguer supplied the text);
 * repeated until nothing changes. `cm.` is not an abbreviation (RDA writes `cm`), so `21 cm.`
 * becomes `21 cm`.
 */
import { cleanLine } from '../../text/fold.js';

/**
 * Words that keep their final period. Compared in lower case, exactly (not folded: a folded
 * `cỏ` would read as the abbreviation `co`). Words that are also common Vietnamese syllables
 * without marks (`ca`, `no`) are left out on purpose.
 */
export const ABBREVIATIONS: ReadonlySet<string> = new Set([
  // English and Latin
  'al', 'approx', 'assoc', 'bros', 'co', 'comp', 'corp', 'dept', 'dr', 'ed', 'eds', 'enl', 'etc', 'ff',
  'fig', 'figs', 'ill', 'illus', 'inc', 'jr', 'ltd', 'mr', 'mrs', 'nos', 'pp', 'port', 'ports', 'pt', 'pts',
  'repr', 'rev', 'sr', 'st', 'suppl', 'trans', 'univ', 'vol', 'vols',
  // Vietnamese cataloguing (Nhà xuất bản, trang, tập, tái bản, chủ biên, biên soạn, thành phố, titles)
  'nxb', 'tr', 'tb', 'cb', 'bs', 'tp', 'gs', 'pgs', 'ts', 'ths', 'ks',
]);

const TRAILING_SEPARATOR = /\s*[,;:/]+$|\s+[=+]$/u;
const LEADING_SEPARATOR = /^[=:;/,]\s+/u;
const CLOSER_THEN_PERIOD = /[)\]"'”’»]\.$/u;
const SINGLE_LETTER = /^\p{L}\p{M}*$/u;
const DOTTED_ABBREVIATION = /^(?:\p{L}\p{M}*){1,3}(?:\.(?:\p{L}\p{M}*){1,3})+$/u;

function trimFinalPeriod(s: string): string {
  if (!s.endsWith('.') || s.endsWith('..')) return s;
  if (CLOSER_THEN_PERIOD.test(s)) return s.slice(0, -1);
  const body = s.slice(0, -1);
  // The last word, without an opening bracket or parenthesis before it.
  const word = (body.match(/[^\s([{"'“‘«-]+$/u)?.[0] ?? '').normalize('NFC');
  if (word === '') return body;
  if (SINGLE_LETTER.test(word)) return s;
  if (DOTTED_ABBREVIATION.test(word)) return s;
  if (ABBREVIATIONS.has(word.toLowerCase())) return s;
  return body;
}

function stripOuterBrackets(s: string): string {
  if (!s.startsWith('[') && !s.endsWith(']')) return s;
  const m = /^\[?([^[\]]+)\]?$/u.exec(s);
  return m ? m[1]!.trim() : s;
}

/**
 * Trims one subfield value for display and indexing: white space collapsed, control characters
 * removed, NFC, ISBD punctuation removed as described above.
 *
 * @example trimPunctuation('Truyện Kiều /') === 'Truyện Kiều'
 * @example trimPunctuation('[Hà Nội] :') === 'Hà Nội'
 * @example trimPunctuation('Smith, J.') === 'Smith, J.'
 */
export function trimPunctuation(value: string): string {
  let s = cleanLine(value ?? '');
  for (let guard = 0; guard < 20; guard++) {
    const before = s;
    s = s.replace(TRAILING_SEPARATOR, '').replace(LEADING_SEPARATOR, '').trim();
    s = trimFinalPeriod(s).trim();
    s = stripOuterBrackets(s);
    if (s === before) break;
  }
  return s;
}

/** The ISBD mark a raw subfield value ends with (`:` for `Truyện Kiều :`), if any. */
export function trailingMark(value: string): string | undefined {
  const m = /([:;=/,.+])\s*$/u.exec(value ?? '');
  return m ? m[1] : undefined;
}
