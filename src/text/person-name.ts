/**
 * Personal names as catalogues write them, read for citations. Pure.
 *
 * A Vietnamese name is written family name first (`Nguyễn Du`, `Nguyễn Thị Minh Khai`) and is
 * cited whole, in that order: it is never inverted, and its given names are never cut to
 * initials (`Nguyễn, D.` would lose the name by which the person is known). Catalogues write it
 * either directly (`Nguyễn Du`, MARC X00 ind1 0) or inverted with a comma as the Library of
 * Congress does (`Nguyễn, Du`, ind1 1); both read back as the same direct form here.
 *
 * A Western name catalogued inverted (`Smith, John`, `Gates, Bill, III`) is split into family
 * name, given names and suffix, so that each citation style can invert it or cut it to initials.
 * A name without a comma that is not recognisably Vietnamese (`Homer`, `Bao Ninh`) is kept exactly
 * as written.
 */
import { fold } from './fold.js';

export interface PersonName {
  /** As catalogued, without dates. */
  full: string;
  /** Family name (Vietnamese: the first word; `direct` non-Vietnamese: the last word). */
  family: string;
  /** Given names (Vietnamese: middle and given names in order). */
  given: string;
  /** `Jr.`, `III`: after the given names in an inverted heading. */
  suffix: string;
  /** Family name first, cited whole and never inverted or abbreviated. */
  vietnamese: boolean;
  /** Written without a comma: cited as written. */
  direct: boolean;
}

/** Family names that, written without marks, are still unmistakably Vietnamese. */
const STRONG = new Set(
  'nguyen tran pham hoang huynh phan dang bui ngo duong trinh truong dinh doan luong quach phung vuong nghiem'.split(' '),
);
/** Common Vietnamese family names that are also words or names elsewhere: Vietnamese only with marks. */
const WEAK = new Set(
  'le vu vo do ho ly dao lam mai to ha ta luu chau cao kieu tang thai dam trieu chu diep hua la mac ton tu than khong khuc giang che ma nong luc au hau bach vien kim dong lai ninh tong tram thach danh lo sam tieu hong be lu quan nham ung yen an van khuat giap lang thieu'.split(
    ' ',
  ),
);

/**
 * Marks only Vietnamese puts on Latin letters (tested on the NFD form): đ, the horn (ơ ư), a hook
 * above or a dot below on a vowel (consonants with a dot below are Arabic or Sanskrit
 * romanisation), and a tone on a circumflex or breve vowel (French and Romanian have neither).
 */
const DISTINCT = /[đĐ]|[oOuU]\u031B|[aeiouyAEIOUY][\u0302\u0306\u031B]?[\u0309\u0323]|[aeoAEO]\u0302[\u0300\u0301\u0303]|[aA]\u0306[\u0300\u0301\u0303]/u;
const ANY_MARK = /[\u0300-\u0303\u0309\u0323]|[đĐ]/u;
const SUFFIX = /^(?:jr\.?|sr\.?|[ivx]{1,4}|\d+(?:st|nd|rd|th))$/iu;

function marked(s: string): { distinct: boolean; any: boolean } {
  const d = s.normalize('NFD');
  return { distinct: DISTINCT.test(d), any: ANY_MARK.test(d) };
}

function familyKey(s: string): string {
  return fold(s).toLowerCase().replace(/[^a-z]/g, '');
}

/** True when a family name (one word) with the marks of the whole name says the name is Vietnamese. */
function isVietnameseFamily(family: string, whole: string): boolean {
  if (/\s/u.test(family.trim())) return false;
  const m = marked(whole);
  if (m.distinct) return true;
  const key = familyKey(family);
  return STRONG.has(key) || (WEAK.has(key) && m.any);
}

function clean(s: string): string {
  return s.replace(/\s+/gu, ' ').replace(/^[\s,.;:]+|[\s,;:]+$/gu, '').trim();
}

/**
 * Reads a personal name as catalogued (X00 $a $b $c $q, without dates).
 *
 * @example parsePersonName('Nguyễn, Du') // { family: 'Nguyễn', given: 'Du', vietnamese: true, … }
 * @example parsePersonName('Smith, John R., Jr.') // { family: 'Smith', given: 'John R.', suffix: 'Jr.', … }
 */
export function parsePersonName(raw: string): PersonName {
  const full = clean(raw.normalize('NFC'));
  const comma = full.indexOf(',');
  if (comma < 0) {
    const words = full.split(' ').filter((w) => w !== '');
    const first = words[0] ?? '';
    const vietnamese = words.length > 1 && isVietnameseFamily(first, full);
    if (vietnamese) return { full, family: first, given: words.slice(1).join(' '), suffix: '', vietnamese, direct: true };
    return { full, family: words.length > 1 ? words[words.length - 1]! : full, given: words.slice(0, -1).join(' '), suffix: '', vietnamese: false, direct: true };
  }
  const parts = full.split(',').map(clean).filter((p) => p !== '');
  const family = parts[0] ?? '';
  let given = parts[1] ?? '';
  let suffix = parts.slice(2).join(', ');
  // `Smith, Jr., John` is rare; `Smith, John, Jr.` is the rule. A lone suffix in the given place stays a suffix.
  if (parts.length === 2 && SUFFIX.test(given)) {
    suffix = given;
    given = '';
  }
  const vietnamese = given !== '' && isVietnameseFamily(family, full);
  if (vietnamese) suffix = '';
  return { full, family, given, suffix, vietnamese, direct: false };
}

/** The name in reading order: `Nguyễn Du`, `John Smith Jr.`, or as written when it was direct. */
export function directName(p: PersonName): string {
  if (p.direct) return p.full;
  if (p.vietnamese) return `${p.family} ${p.given}`.trim();
  return [p.given, p.family, p.suffix].filter((x) => x !== '').join(' ');
}

/** Family name first with a comma (`Smith, John, Jr.`); Vietnamese and direct names as {@link directName}. */
export function invertedName(p: PersonName): string {
  if (p.direct || p.vietnamese) return directName(p);
  return [p.family, p.given, p.suffix].filter((x) => x !== '').join(', ');
}

/**
 * Given names cut to initials, as APA writes them: `John Ronald` → `J. R.`, `Jean-Paul` → `J.-P.`,
 * `J.R.` → `J. R.`; a particle in lower case (`de`, `van`) is left out.
 */
export function initials(given: string): string {
  const out: string[] = [];
  for (const word of given.replace(/\./gu, '. ').split(/\s+/u)) {
    if (word === '' || /^\p{Ll}/u.test(word)) continue;
    const parts = word.split('-').filter((p) => p !== '');
    const letters = parts.map((p) => {
      const first = [...p.replace(/^[^\p{L}]+/u, '')][0];
      return first ? `${first.toUpperCase()}.` : '';
    });
    const joined = letters.filter((l) => l !== '').join('-');
    if (joined) out.push(joined);
  }
  return out.join(' ');
}
