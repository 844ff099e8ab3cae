/**
 * MARC-8 to Unicode (MARC 21 Specifications, Character Sets, Parts 2 and 4).
 *
 * MARC-8 is ISO 2022-like: G0 (bytes 0x21-0x7E) starts as ASCII and G1 (0xA1-0xFE) as ANSEL, and
 * escape sequences designate other sets into either: `ESC ( F` / `ESC , F` into G0, `ESC ) F` /
 * `ESC - F` into G1, `ESC $ F`, `ESC $ ( F`… for the multibyte EACC, and the MARC-only
 * `ESC g` / `ESC b` / `ESC p` (Greek symbols, subscripts, superscripts) with `ESC s` back to ASCII.
 * The defaults are in force again at the start of every field, so the caller keeps one `Marc8State`
 * per field.
 *
 * Combining marks come BEFORE their base letter in MARC-8 and after it in Unicode: `0xE3 0xE4 e`
 * (circumflex, tilde, e) is `e U+0302 U+0303`, which NFC makes `ễ`. The horned letters ơ ư Ơ Ư are
 * single ANSEL characters (0xBC 0xBD 0xAC 0xAD), which is why Vietnamese survives MARC-8 at all.
 *
 * Characters outside MARC-8 travel as numeric character references (`&#x1EA0;`, the LoC "lossless"
 * convention); they are turned back into characters here.
 */
import {
  ANSEL,
  BASIC_ARABIC,
  BASIC_CYRILLIC,
  BASIC_GREEK,
  BASIC_HEBREW,
  EXTENDED_ARABIC,
  EXTENDED_CYRILLIC,
  GREEK_SYMBOLS,
  SUBSCRIPT,
  SUPERSCRIPT,
  type Marc8Table,
} from './_marc8-tables.js';
import { EACC_CHARS, EACC_COUNT, EACC_KEYS } from './_eacc-table.js';

/** A graphic set in use: a 94-character table, ASCII, EACC, or one we do not know. */
interface GraphicSet {
  readonly name: string;
  /** For 94-character tables. */
  readonly codes?: Uint32Array;
  readonly combining?: Uint8Array;
  readonly multibyte?: boolean;
  readonly unknown?: boolean;
}

function compile(t: Marc8Table): GraphicSet {
  const codes = new Uint32Array(128);
  const combining = new Uint8Array(128);
  t.codes.forEach((cp, i) => (codes[0x21 + i] = cp));
  for (const b of t.combining) combining[b] = 1;
  return { name: t.name, codes, combining };
}

const ASCII_TABLE = (() => {
  const codes = new Uint32Array(128);
  for (let b = 0x21; b < 0x7f; b++) codes[b] = b;
  return { name: 'Basic Latin (ASCII)', codes, combining: new Uint8Array(128) } satisfies GraphicSet;
})();
const ANSEL_SET = compile(ANSEL);
const EACC_SET: GraphicSet = { name: 'East Asian (EACC)', multibyte: true };

/** Single-byte sets by final byte of `ESC ( F`. */
const SINGLE: ReadonlyMap<number, GraphicSet> = new Map<number, GraphicSet>([
  [0x42, ASCII_TABLE], // B
  [0x45, ANSEL_SET], // E
  [0x53, compile(BASIC_GREEK)], // S
  [0x4e, compile(BASIC_CYRILLIC)], // N
  [0x51, compile(EXTENDED_CYRILLIC)], // Q
  [0x33, compile(BASIC_ARABIC)], // 3
  [0x34, compile(EXTENDED_ARABIC)], // 4
  [0x32, compile(BASIC_HEBREW)], // 2
]);
/** The MARC-specific two-byte escapes `ESC g|b|p|s` (Technique 1). */
const TECHNIQUE1: ReadonlyMap<number, GraphicSet> = new Map<number, GraphicSet>([
  [0x67, compile(GREEK_SYMBOLS)], // g
  [0x62, compile(SUBSCRIPT)], // b
  [0x70, compile(SUPERSCRIPT)], // p
  [0x73, ASCII_TABLE], // s
]);

let eaccMap: Map<number, number> | undefined;
/** The EACC table, decoded from its compact form on first use. */
function eacc(): Map<number, number> {
  if (eaccMap) return eaccMap;
  const map = new Map<number, number>();
  let key = 0;
  let k = 0;
  let c = 0;
  for (let n = 0; n < EACC_COUNT; n++) {
    if (EACC_KEYS[k] === '.') {
      key += 1;
      k += 1;
    } else {
      const comma = EACC_KEYS.indexOf(',', k);
      key += parseInt(EACC_KEYS.slice(k, comma), 16);
      k = comma + 1;
    }
    const cp = EACC_CHARS.codePointAt(c)!;
    c += cp > 0xffff ? 2 : 1;
    map.set(key, cp);
  }
  eaccMap = map;
  return map;
}

/** Designations in force; a new one (defaults: ASCII and ANSEL) for every field. */
export class Marc8State {
  g0: GraphicSet = ASCII_TABLE;
  g1: GraphicSet = ANSEL_SET;
}

export type Marc8Problem = 'encoding' | 'escape-sequence' | 'combining';
/** Called with the offset (in the bytes given to `decodeMarc8`) where a problem starts. */
export type Marc8Report = (code: Marc8Problem, offset: number, detail: string, repair?: string) => void;

const hex = (b: number) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`;
const printable = (b: number) => (b > 0x20 && b < 0x7f ? String.fromCharCode(b) : hex(b));

/** C1 controls that MARC-8 defines (non-sort markers, zero-width joiner and non-joiner). */
const C1: ReadonlyMap<number, number> = new Map([
  [0x88, 0x98],
  [0x89, 0x9c],
  [0x8d, 0x200d],
  [0x8e, 0x200c],
]);

interface Escape {
  length: number;
  g: 0 | 1;
  set: GraphicSet;
}

/** Reads the escape sequence at `bytes[i]` (an ESC); undefined if it is not one MARC-8 allows. */
function readEscape(bytes: Uint8Array, i: number, end: number, report: Marc8Report): Escape | undefined {
  const at = (k: number) => (i + k < end ? bytes[i + k]! : -1);
  const b1 = at(1);
  const t1 = TECHNIQUE1.get(b1);
  if (t1) return { length: 2, g: 0, set: t1 };
  let k = 1;
  let multibyte = false;
  if (b1 === 0x24) {
    multibyte = true;
    k = 2;
  }
  let g: 0 | 1 = 0;
  const inter = at(k);
  if (inter === 0x28 || inter === 0x2c) k++;
  else if (inter === 0x29 || inter === 0x2d) {
    g = 1;
    k++;
  } else if (!multibyte) return undefined; // `ESC $ F` is G0 multibyte; single-byte sets need ( , ) -
  if (at(k) === 0x21) k++; // some writers put ISO-IR's `!` before the final byte
  const final = at(k);
  if (final < 0x20 || final > 0x7e) return undefined;
  const seq = Array.from(bytes.subarray(i + 1, i + k + 1), printable).join(' ');
  if (multibyte) {
    if (final === 0x31) return { length: k + 1, g, set: EACC_SET };
    report('escape-sequence', i, `escape sequence ESC ${seq} designates an unknown multibyte character set`, 'its characters are replaced with U+FFFD');
    return { length: k + 1, g, set: { name: `unknown set ${seq}`, multibyte: true, unknown: true } };
  }
  const set = SINGLE.get(final);
  if (set) return { length: k + 1, g, set };
  report('escape-sequence', i, `escape sequence ESC ${seq} designates an unknown character set`, 'its characters are replaced with U+FFFD');
  return { length: k + 1, g, set: { name: `unknown set ${seq}`, unknown: true } };
}

/**
 * Decodes `bytes[start, end)` (one subfield value, or a control field) in the designations of
 * `state`, which it updates. Problems go to `report`; each bad byte or sequence becomes U+FFFD.
 * The result is not normalised: the caller applies NFC to the whole record.
 */
export function decodeMarc8(bytes: Uint8Array, start: number, end: number, state: Marc8State, report: Marc8Report): string {
  const out: number[] = [];
  let pending: number[] | undefined; // combining marks waiting for their base
  let pendingAt = 0;
  const base = (cp: number) => {
    if (cp > 0xffff) out.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
    else out.push(cp);
    if (pending) {
      for (const m of pending) out.push(m);
      pending = undefined;
    }
  };
  const bad = (offset: number, detail: string) => {
    report('encoding', offset, detail, 'replaced with U+FFFD');
    base(0xfffd);
  };
  let i = start;
  while (i < end) {
    const b = bytes[i]!;
    if (b === 0x1b) {
      const esc = readEscape(bytes, i, end, report);
      if (!esc) {
        const what = i + 1 < end ? `ESC followed by ${printable(bytes[i + 1]!)} is not a MARC-8 escape sequence` : 'ESC at the end of the text is an incomplete escape sequence';
        report('escape-sequence', i, what, 'replaced with U+FFFD');
        base(0xfffd);
        i += 1;
        continue;
      }
      if (esc.g === 0) state.g0 = esc.set;
      else state.g1 = esc.set;
      i += esc.length;
      continue;
    }
    if (b <= 0x20) {
      base(b); // controls and the space are the same in every set
      i++;
      continue;
    }
    if (b === 0x7f || b === 0xff || (b >= 0x80 && b <= 0xa0)) {
      const c1 = C1.get(b);
      if (c1 !== undefined) base(c1);
      else bad(i, `byte ${hex(b)} is not a MARC-8 character`);
      i++;
      continue;
    }
    const set = b < 0x80 ? state.g0 : state.g1;
    if (set.multibyte) {
      const lo = b < 0x80 ? 0x21 : 0xa1;
      const hi = b < 0x80 ? 0x7e : 0xfe;
      if (i + 2 >= end || bytes[i + 1]! < lo || bytes[i + 1]! > hi || bytes[i + 2]! < lo || bytes[i + 2]! > hi) {
        bad(i, `incomplete ${set.name} character at byte ${hex(b)}`);
        i++;
        continue;
      }
      if (set.unknown) {
        base(0xfffd);
        i += 3;
        continue;
      }
      const key = ((b & 0x7f) << 16) | ((bytes[i + 1]! & 0x7f) << 8) | (bytes[i + 2]! & 0x7f);
      const cp = eacc().get(key);
      if (cp === undefined) bad(i, `${hex(b)} ${hex(bytes[i + 1]!)} ${hex(bytes[i + 2]!)} is not a character in ${set.name}`);
      else base(cp);
      i += 3;
      continue;
    }
    i++;
    if (set.unknown) {
      base(0xfffd);
      continue;
    }
    const pos = b & 0x7f;
    const cp = set.codes![pos]!;
    if (cp === 0) {
      bad(i - 1, `byte ${hex(b)} is not a character in ${set.name}`);
      continue;
    }
    if (set.combining![pos]) {
      if (!pending) {
        pending = [];
        pendingAt = i - 1;
      }
      pending.push(cp);
      continue;
    }
    base(cp);
  }
  if (pending) {
    report('combining', pendingAt, 'combining mark with no base character after it', 'kept at the end');
    for (const m of pending) out.push(m);
  }
  let s = '';
  for (let k = 0; k < out.length; k += 8192) s += String.fromCharCode.apply(null, out.slice(k, k + 8192));
  return s.includes('&#x') ? s.replace(NCR, ncr) : s;
}

const NCR = /&#x([0-9A-Fa-f]{1,6});/g;
function ncr(whole: string, digits: string): string {
  const cp = parseInt(digits, 16);
  if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return whole;
  return String.fromCodePoint(cp);
}
