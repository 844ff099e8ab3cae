/**
 * ISO 2709 → MARCXML byte to byte, for the records that need nothing done to them: UTF-8 that is
 * already NFC, a sound leader and directory, valid indicators and subfield codes, no characters XML
 * cannot carry. Such a record's text is copied into the output as it is (escaping & < > " ' and
 * CR as the writer does), with the markup around it, without ever becoming JavaScript strings —
 * which is how a file converts faster than yaz-marcdump.
 *
 * `writeFastXml` returns false, having written nothing, for any record outside that case; the
 * caller then takes the general path (parseRecord + recordToXml), which gives the same output for
 * the records both can handle (the tests compare them) and reports the problems of the rest.
 */
import { FT, RT, SD } from './_iso2709.js';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const RECORD_OPEN = ascii('<record>\n  <leader>');
const LEADER_CLOSE = ascii('</leader>\n');
const CONTROL_OPEN = ascii('  <controlfield tag="');
const CONTROL_CLOSE = ascii('</controlfield>\n');
const DATA_OPEN = ascii('  <datafield tag="');
const IND1 = ascii('" ind1="');
const IND2 = ascii('" ind2="');
const DATA_OPEN_END = ascii('">\n');
const DATA_CLOSE = ascii('  </datafield>\n');
const SUB_OPEN = ascii('    <subfield code="');
const SUB_CLOSE = ascii('</subfield>\n');
const RECORD_CLOSE = ascii('</record>\n');
const ENTITY: Array<Uint8Array | undefined> = [];
ENTITY[0x26] = ascii('&amp;');
ENTITY[0x3c] = ascii('&lt;');
ENTITY[0x3e] = ascii('&gt;');
ENTITY[0x22] = ascii('&quot;');
ENTITY[0x27] = ascii('&apos;');
ENTITY[0x0d] = ascii('&#13;');

/**
 * Byte classes for value text: 0 copy, 1 entity, 2 not for the fast path, 3 start of a multibyte
 * character, 4 the subfield delimiter.
 */
const CLASS = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) CLASS[b] = 2;
CLASS[SD] = 4;
CLASS[0x09] = 0;
CLASS[0x0a] = 0;
CLASS[0x0d] = 1;
for (const b of [0x26, 0x3c, 0x3e, 0x22, 0x27]) CLASS[b] = 1;
CLASS[0x7f] = 0;
for (let b = 0x80; b < 0x100; b++) CLASS[b] = 3;

const IND_OK = new Uint8Array(256);
IND_OK[0x20] = 1;
for (let c = 0x30; c <= 0x39; c++) IND_OK[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) IND_OK[c] = 1;
const CODE_OK = IND_OK.slice();
CODE_OK[0x20] = 0;
const TAG_OK = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) TAG_OK[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TAG_OK[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TAG_OK[c] = 1;

let nfcSafe: Uint8Array | undefined;
/**
 * BMP characters that no NFC text can be changed by: NFC-stable on their own (Unicode NFC_QC=Yes)
 * and not combining (canonical combining class 0, so nothing composes with what precedes them).
 * Marks and the Hangul medial vowels and final consonants (NFC_QC=Maybe) are left out.
 * Built once, on first use, from the platform's own Unicode data (about 20 ms).
 */
function safeChars(): Uint8Array {
  if (nfcSafe) return nfcSafe;
  const safe = new Uint8Array(0x10000);
  const mark = /\p{M}/u;
  for (let cp = 0x80; cp < 0x10000; cp++) {
    if ((cp >= 0xd800 && cp <= 0xdfff) || cp === 0xfffe || cp === 0xffff) continue;
    if ((cp >= 0x1161 && cp <= 0x1175) || (cp >= 0x11a8 && cp <= 0x11c2)) continue;
    const ch = String.fromCharCode(cp);
    if (mark.test(ch) || ch.normalize('NFC') !== ch) continue;
    safe[cp] = 1;
  }
  nfcSafe = safe;
  return safe;
}

export class FastXmlWriter {
  readonly #safe = safeChars();
  out: Uint8Array;
  used = 0;
  constructor(size: number) {
    this.out = new Uint8Array(size);
  }

  #put(bytes: Uint8Array): void {
    const out = this.out;
    let o = this.used;
    for (let i = 0; i < bytes.length; i++) out[o++] = bytes[i]!;
    this.used = o;
  }

  /**
   * Writes record `buf[start, end)` (ending with its record terminator) as MARCXML at `used` and
   * returns true; or returns false, with `used` unchanged, if the record needs the general path.
   * The caller makes sure `out` has room for `8 × (end - start) + 64` bytes.
   */
  write(buf: Uint8Array, start: number, end: number, utf8Forced: boolean): boolean {
    const n = end - start;
    if (n < 26 || buf[end - 1] !== RT) return false;
    // Leader: printable ASCII, UTF-8, MARC 21 counts and entry map.
    for (let i = start; i < start + 24; i++) {
      const b = buf[i]!;
      if (b < 0x20 || b >= 0x7f || CLASS[b] !== 0) return false; // printable, and nothing to escape
    }
    if ((buf[start + 9] !== 0x61 && !utf8Forced) || buf[start + 10] !== 0x32 || buf[start + 11] !== 0x32) return false;
    if (buf[start + 20] !== 0x34 || buf[start + 21] !== 0x35 || buf[start + 22] !== 0x30 || buf[start + 23] !== 0x30) return false;
    const dirEnd = buf.subarray(0, end).indexOf(FT, start + 24);
    if (dirEnd < 0 || (dirEnd - start - 24) % 12 !== 0 || dirEnd === start + 24) return false;
    const base = dirEnd + 1;
    if (digits(buf, start + 12, 5) !== base - start) return false;
    const dataEnd = end - 1;
    // Directory: sound and contiguous (checked before anything is written).
    let expect = 0;
    for (let e = start + 24; e < dirEnd; e += 12) {
      if (!TAG_OK[buf[e]!] || !TAG_OK[buf[e + 1]!] || !TAG_OK[buf[e + 2]!]) return false;
      const len = digits(buf, e + 3, 4);
      const off = digits(buf, e + 7, 5);
      if (len < 1 || off !== expect || buf[base + off + len - 1] !== FT) return false;
      expect = off + len;
    }
    if (base + expect !== dataEnd) return false;

    const mark = this.used;
    const out = this.out;
    this.#put(RECORD_OPEN);
    let o = this.used;
    out.set(buf.subarray(start, start + 9), o);
    out[o + 9] = 0x61; // leader/09: the text is Unicode
    out.set(buf.subarray(start + 10, start + 24), o + 10);
    this.used = o + 24;
    this.#put(LEADER_CLOSE);
    for (let e = start + 24; e < dirEnd; e += 12) {
      const off = digits(buf, e + 7, 5);
      const len = digits(buf, e + 3, 4);
      const fs = base + off;
      const fe = fs + len - 1; // the field terminator
      const t0 = buf[e]!;
      const t1 = buf[e + 1]!;
      const t2 = buf[e + 2]!;
      if (t0 === 0x30 && t1 === 0x30) {
        this.#put(CONTROL_OPEN);
        o = this.used;
        out[o] = t0;
        out[o + 1] = t1;
        out[o + 2] = t2;
        out[o + 3] = 0x22;
        out[o + 4] = 0x3e;
        this.used = o + 5;
        if (this.#text(buf, fs, fe) !== fe) return this.#undo(mark);
        this.#put(CONTROL_CLOSE);
        continue;
      }
      // Data field: two valid indicators, then subfields with valid codes, none empty.
      if (fe - fs < 4 || !IND_OK[buf[fs]!] || !IND_OK[buf[fs + 1]!] || buf[fs + 2] !== SD) return this.#undo(mark);
      this.#put(DATA_OPEN);
      o = this.used;
      out[o] = t0;
      out[o + 1] = t1;
      out[o + 2] = t2;
      this.used = o + 3;
      this.#put(IND1);
      out[this.used++] = buf[fs]!;
      this.#put(IND2);
      out[this.used++] = buf[fs + 1]!;
      this.#put(DATA_OPEN_END);
      let d = fs + 2; // at a delimiter
      while (d < fe) {
        const code = buf[d + 1]!;
        if (d + 1 >= fe || !CODE_OK[code]) return this.#undo(mark);
        this.#put(SUB_OPEN);
        out[this.used] = code;
        out[this.used + 1] = 0x22;
        out[this.used + 2] = 0x3e;
        this.used += 3;
        const next = this.#text(buf, d + 2, fe);
        if (next < 0) return this.#undo(mark);
        this.#put(SUB_CLOSE);
        d = next;
      }
      this.#put(DATA_CLOSE);
    }
    this.#put(RECORD_CLOSE);
    return true;
  }

  #undo(mark: number): false {
    this.used = mark;
    return false;
  }

  /**
   * Copies UTF-8 text from `buf[s]`, escaped, up to `e` or a subfield delimiter, and returns where
   * it stopped; -1 if the text is not valid, NFC-safe UTF-8 that XML can carry.
   */
  #text(buf: Uint8Array, s: number, e: number): number {
    const out = this.out;
    const safe = this.#safe;
    let o = this.used;
    let i = s;
    while (i < e) {
      const b = buf[i]!;
      const cls = CLASS[b]!;
      if (cls === 0) {
        out[o++] = b;
        i++;
        continue;
      }
      if (cls === 4) break;
      if (cls === 1) {
        const ent = ENTITY[b]!;
        for (let k = 0; k < ent.length; k++) out[o++] = ent[k]!;
        i++;
        continue;
      }
      if (cls === 2) return -1;
      // A multibyte character: valid UTF-8 (WHATWG bounds), in the BMP, NFC-safe.
      if (b >= 0xc2 && b <= 0xdf) {
        const c1 = buf[i + 1]!;
        if (i + 1 >= e || (c1 & 0xc0) !== 0x80 || !safe[((b & 0x1f) << 6) | (c1 & 0x3f)]) return -1;
        out[o] = b;
        out[o + 1] = c1;
        o += 2;
        i += 2;
      } else if (b >= 0xe0 && b <= 0xef) {
        const c1 = buf[i + 1]!;
        const c2 = buf[i + 2]!;
        if (i + 2 >= e || (c1 & 0xc0) !== 0x80 || (c2 & 0xc0) !== 0x80) return -1;
        const cp = ((b & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
        if (cp < 0x800 || !safe[cp]) return -1; // overlong, a surrogate (never safe), or not NFC-safe
        out[o] = b;
        out[o + 1] = c1;
        out[o + 2] = c2;
        o += 3;
        i += 3;
      } else return -1; // 4-byte characters, stray continuation bytes, invalid lead bytes
    }
    this.used = o;
    return i;
  }
}

function digits(buf: Uint8Array, p: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = buf[p + i]! - 0x30;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}
