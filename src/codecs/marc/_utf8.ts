/**
 * UTF-8 helpers: the platform's TextDecoder for the fast path, and a decoder of our own (the WHATWG
 * algorithm, so it replaces exactly what TextDecoder replaces) for input that is not valid UTF-8,
 * where we must say at which byte each problem is.
 */

export const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
export const lenientUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });
export const utf8Encoder = new TextEncoder();

/** Decodes valid UTF-8, or returns undefined if the bytes are not valid UTF-8. */
export function tryDecodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return fatalUtf8.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Decodes `bytes[start, end)`, replacing each invalid sequence with `replacement` (U+FFFD by
 * default) and calling `onInvalid(offset)` with the offset (in `bytes`) where it starts.
 */
export function decodeUtf8Reporting(bytes: Uint8Array, start: number, end: number, onInvalid: (offset: number) => void, replacement = '\uFFFD'): string {
  let out = '';
  let runStart = start; // start of the current run of valid bytes not yet appended
  let i = start;
  while (i < end) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need = 0;
    let lower = 0x80;
    let upper = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lower = 0xa0;
      if (b === 0xed) upper = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lower = 0x90;
      if (b === 0xf4) upper = 0x8f;
    }
    let j = i + 1;
    let ok = need > 0;
    for (let k = 0; ok && k < need; k++, j++) {
      const c = j < end ? bytes[j]! : -1;
      if (c < lower || c > upper) ok = false;
      lower = 0x80;
      upper = 0xbf;
      if (!ok) break;
    }
    if (ok) {
      i = j;
      continue;
    }
    // The maximal valid prefix of the broken sequence is replaced by one replacement character.
    if (i > runStart) out += lenientUtf8.decode(bytes.subarray(runStart, i));
    out += replacement;
    onInvalid(i);
    i = need === 0 ? i + 1 : j;
    runStart = i;
  }
  if (end > runStart) out += lenientUtf8.decode(bytes.subarray(runStart, end));
  return out;
}

/** Offset of the first byte that starts an invalid UTF-8 sequence in `bytes[start, end)`, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array, start: number, end: number): number {
  let first = -1;
  decodeUtf8Reporting(bytes, start, end, (offset) => {
    if (first < 0) first = offset;
  });
  return first;
}

/**
 * A streaming UTF-8 decoder for text formats (XML, JSON) that keeps going over invalid bytes: each
 * invalid sequence becomes U+FFFF, a noncharacter that no valid document contains, so the parser
 * meets it at the right line and column and reports it there. Byte offsets of the invalid
 * sequences are kept in `invalidOffsets` (from the start of the stream).
 */
export class Utf8StreamDecoder {
  #pending: Uint8Array = new Uint8Array(0);
  #offset = 0;
  readonly invalidOffsets: number[] = [];

  decode(chunk: Uint8Array, final = false): string {
    let bytes = chunk;
    if (this.#pending.length > 0) {
      bytes = new Uint8Array(this.#pending.length + chunk.length);
      bytes.set(this.#pending, 0);
      bytes.set(chunk, this.#pending.length);
    }
    let end = bytes.length;
    if (!final) end = completeUpTo(bytes);
    const base = this.#offset;
    this.#pending = bytes.slice(end);
    this.#offset += end;
    const part = end === bytes.length ? bytes : bytes.subarray(0, end);
    try {
      return fatalUtf8.decode(part);
    } catch {
      return decodeUtf8Reporting(part, 0, end, (o) => this.invalidOffsets.push(base + o), '\uFFFF');
    }
  }
}

/** Length of the prefix of `bytes` that does not end inside a (possibly valid) multi-byte sequence. */
function completeUpTo(bytes: Uint8Array): number {
  const n = bytes.length;
  for (let back = 1; back <= 3 && back <= n; back++) {
    const b = bytes[n - back]!;
    if (b < 0x80) return n; // ASCII: complete
    if (b >= 0xc0) {
      // A lead byte `back` bytes from the end: complete only if its sequence fits.
      const len = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      return len > back ? n - back : n;
    }
  }
  return n;
}
