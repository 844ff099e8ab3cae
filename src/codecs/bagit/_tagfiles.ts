/**
 * The text tag files of RFC 8493: `bagit.txt` (§2.1.1), payload and tag manifests (§2.1.3,
 * §2.2.1), `bag-info.txt` (§2.2.2) and `fetch.txt` (§2.2.3), read line by line from a byte
 * stream and written as text. Lines end with LF, CR or CRLF (§2.3); we write LF.
 */
import { DIGEST_HEX_LENGTH, type BagAlgorithm } from './io.js';

/** One line of a tag file, numbered from 1, or a line that went past the limit. */
export type TagLine = { number: number; text: string; tooLong?: false } | { number: number; text: ''; tooLong: true };

/** Thrown by `readLines` when the bytes are not valid in the encoding. */
export class TagDecodeError extends Error {
  constructor(readonly lineNumber: number) {
    super(`line ${lineNumber}: bytes that are not valid in the declared encoding`);
    this.name = 'TagDecodeError';
  }
}

/**
 * A decoder for a tag-file encoding label, or null when the host cannot decode it. UTF-8 keeps a
 * leading byte-order mark as U+FEFF so that the caller can report it (§2.3 forbids it);
 * for the UTF-16 family the BOM picks the byte order, as the WHATWG decoders do not sniff it.
 */
export function decoderFor(label: string, firstBytes: Uint8Array): TextDecoder | null {
  const normalized = label.trim().toLowerCase();
  try {
    if (normalized === 'utf-8' || normalized === 'utf8') return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    if (normalized === 'utf-16' || normalized === 'utf16') {
      const bigEndian = firstBytes[0] === 0xfe && firstBytes[1] === 0xff;
      return new TextDecoder(bigEndian ? 'utf-16be' : 'utf-16le', { fatal: true });
    }
    return new TextDecoder(normalized, { fatal: true });
  } catch {
    return null;
  }
}

/**
 * Lines of a tag file from its byte chunks, decoded as they arrive: a manifest of millions of
 * lines is never held whole. A CR at the end of one chunk and an LF at the start of the next are
 * one line ending. A line longer than `maxLine` characters is reported once (`tooLong`) and
 * skipped up to the next line ending, so a file with no line endings cannot exhaust memory.
 */
export async function* readLines(
  chunks: AsyncIterable<Uint8Array>,
  encoding: string,
  maxLine: number,
): AsyncGenerator<TagLine> {
  let decoder: TextDecoder | null = null;
  let pending = '';
  let number = 0;
  let skipping = false;
  let afterCr = false;

  function* split(text: string, final: boolean): Generator<TagLine> {
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x0a && afterCr && i === start) {
        // The LF of a CRLF whose CR ended the previous chunk, and with it the previous line.
        afterCr = false;
        start = i + 1;
        continue;
      }
      afterCr = false;
      if (c !== 0x0a && c !== 0x0d) continue;
      const line = pending + text.slice(start, i);
      pending = '';
      number++;
      if (skipping) skipping = false;
      else yield { number, text: line };
      if (c === 0x0d) {
        if (text.charCodeAt(i + 1) === 0x0a) i++;
        else if (i + 1 === text.length) afterCr = true;
      }
      start = i + 1;
    }
    if (!skipping) {
      pending += text.slice(start);
      if (pending.length > maxLine) {
        yield { number: number + 1, text: '', tooLong: true };
        pending = '';
        skipping = true;
      }
    }
    if (final && pending !== '') {
      number++;
      yield { number, text: pending };
      pending = '';
    }
  }

  const decode = (bytes?: Uint8Array): string => {
    if (!decoder) return '';
    try {
      return bytes ? decoder.decode(bytes, { stream: true }) : decoder.decode();
    } catch {
      throw new TagDecodeError(number + 1);
    }
  };

  for await (const chunk of chunks) {
    if (chunk.length === 0) continue;
    decoder ??= decoderFor(encoding, chunk);
    if (!decoder) throw new TagDecodeError(1);
    yield* split(decode(chunk), false);
  }
  yield* split(decode(), true);
}

// ---------------------------------------------------------------------------------------------
// bagit.txt

export interface BagDeclaration {
  version: string | null;
  encoding: string | null;
  /** Departures from the exact 1.0 form (§2.1.1 and the ABNF of §9.1), as messages. */
  strictErrors: string[];
  /** Faults no version accepts. */
  errors: string[];
}

/**
 * Reads `bagit.txt`: exactly `BagIt-Version: M.N` then `Tag-File-Character-Encoding: ENC`. The
 * text given has had its BOM removed. Whitespace around the colon, or trailing whitespace, is a
 * strict error: bags before 1.0 may have it, 1.0 bags may not.
 */
export function parseBagDeclaration(text: string): BagDeclaration {
  const lines = text.split(/\r\n|\r|\n/);
  const strictErrors: string[] = [];
  const errors: string[] = [];
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  while (lines.length > 2 && lines[lines.length - 1]?.trim() === '') {
    lines.pop();
    if (!strictErrors.includes('blank lines after the second line')) strictErrors.push('blank lines after the second line');
  }
  const field = (index: number, name: string): string | null => {
    const line = lines[index];
    if (line === undefined) {
      errors.push(`line ${index + 1} (${name}) is missing`);
      return null;
    }
    const m = /^[ \t]*([^:]*?)[ \t]*:[ \t]*(.*?)[ \t]*$/.exec(line);
    if (!m || m[1]?.toLowerCase() !== name.toLowerCase()) {
      errors.push(`line ${index + 1} should be "${name}: …", found "${line}"`);
      return null;
    }
    if (line !== `${name}: ${m[2]}`) strictErrors.push(`line ${index + 1} should read exactly "${name}: ${m[2]}" (no other spaces), found "${line}"`);
    return m[2] ?? '';
  };
  const version = field(0, 'BagIt-Version');
  const encoding = field(1, 'Tag-File-Character-Encoding');
  if (lines.length > 2) errors.push(`has ${lines.length} lines; it must have exactly two`);
  if (version !== null && !/^\d+\.\d+$/.test(version)) errors.push(`BagIt-Version "${version}" is not M.N`);
  if (encoding === '') errors.push('Tag-File-Character-Encoding is empty');
  return { version, encoding, strictErrors, errors };
}

export function formatBagDeclaration(version: string, encoding: string): string {
  return `BagIt-Version: ${version}\nTag-File-Character-Encoding: ${encoding}\n`;
}

// ---------------------------------------------------------------------------------------------
// Manifests

export interface ManifestLine {
  checksum: string;
  /** As written, before percent-decoding. */
  rawPath: string;
  /** md5sum's `*` binary-mode marker was in front of the path (§7.2.4). */
  binaryMarker: boolean;
}

/**
 * `checksum 1*WSP filepath`. Returns null for a line that does not have that shape. The checksum
 * is returned as written; `checksumProblem` says whether it fits the algorithm.
 */
export function parseManifestLine(text: string): ManifestLine | null {
  // The separator is all the whitespace after the checksum, as bagit-python splits it: a path
  // cannot start with a space or tab here.
  const m = /^([^ \t]+)[ \t]+([^ \t].*)$/.exec(text);
  if (!m) return null;
  let rawPath = m[2] ?? '';
  const binaryMarker = rawPath.startsWith('*');
  if (binaryMarker) rawPath = rawPath.slice(1);
  if (rawPath === '') return null;
  return { checksum: m[1] ?? '', rawPath, binaryMarker };
}

/** Why `checksum` cannot be a hex digest of `algorithm`, or null when it can. */
export function checksumProblem(checksum: string, algorithm: BagAlgorithm): string | null {
  if (!/^[0-9a-fA-F]+$/.test(checksum)) return `checksum "${checksum}" is not hexadecimal`;
  const want = DIGEST_HEX_LENGTH[algorithm];
  if (checksum.length !== want) return `a ${algorithm} checksum has ${want} hex digits, "${checksum}" has ${checksum.length}`;
  return null;
}

/** `manifest-sha256.txt` → `{ kind: 'payload', algorithm: 'sha256' }`. */
export function manifestName(name: string): { kind: 'payload' | 'tag'; algorithm: string } | null {
  const m = /^(manifest|tagmanifest)-([a-z0-9]+)\.txt$/.exec(name);
  if (!m) return null;
  return { kind: m[1] === 'manifest' ? 'payload' : 'tag', algorithm: m[2] ?? '' };
}

// ---------------------------------------------------------------------------------------------
// bag-info.txt

export interface InfoEntry {
  label: string;
  value: string;
}

export interface ParsedBagInfo {
  entries: InfoEntry[];
  /** Faults of the 1.0 form only (whitespace around the colon). */
  strictErrors: string[];
  errors: string[];
  blankLines: number[];
}

/**
 * Reads `bag-info.txt` (§2.2.2): `Label: value` lines, continued by lines that start with a space
 * or tab. A continuation joins its value with one space: the line break and the indentation are
 * folding, as the RFC's own example shows ("…TIFF images from the / FOO papers…"). Values are
 * trimmed. In 1.0 the colon is followed by exactly one space or tab and the label has no
 * whitespace before the colon; earlier versions allowed any (§2.2.2, last paragraph).
 */
export function parseBagInfo(lines: Iterable<{ number: number; text: string }>): ParsedBagInfo {
  const entries: InfoEntry[] = [];
  const strictErrors: string[] = [];
  const errors: string[] = [];
  const blankLines: number[] = [];
  for (const { number, text } of lines) {
    if (text.trim() === '') {
      blankLines.push(number);
      continue;
    }
    if (text.startsWith(' ') || text.startsWith('\t')) {
      const last = entries[entries.length - 1];
      if (!last) errors.push(`line ${number}: a continuation line with no element before it`);
      else last.value = last.value === '' ? text.trim() : `${last.value} ${text.trim()}`;
      continue;
    }
    const colon = text.indexOf(':');
    if (colon <= 0) {
      errors.push(colon === 0 ? `line ${number}: no label before the colon` : `line ${number}: no colon in "${text}"`);
      continue;
    }
    const rawLabel = text.slice(0, colon);
    const rest = text.slice(colon + 1);
    const label = rawLabel.trim();
    if (label === '') {
      errors.push(`line ${number}: no label before the colon`);
      continue;
    }
    if (rawLabel !== label) strictErrors.push(`line ${number}: whitespace before the colon in "${text}"`);
    if (rest !== '' && !/^[ \t][^ \t]/.test(rest) && rest.trim() !== '') strictErrors.push(`line ${number}: the colon must be followed by exactly one space or tab in "${text}"`);
    entries.push({ label, value: rest.trim() });
  }
  return { entries, strictErrors, errors, blankLines };
}

/** Why `label` cannot be a bag-info label (§2.2.2), or null. */
export function infoLabelProblem(label: string): string | null {
  if (label === '') return 'is empty';
  if (/[:\r\n]/.test(label)) return 'contains a colon or a line break';
  if (label.trim() !== label) return 'starts or ends with whitespace';
  return null;
}

const FOLD_WIDTH = 79;
const FOLD_INDENT = '  ';

/**
 * One element as text, folded at spaces so that lines stay within 79 characters where the words
 * allow (§2.2.2 recommends it); a word longer than a line (a URL) is never broken. Line breaks in
 * the value become spaces: the format has no way to carry one that reads back as a line break.
 */
export function formatInfoEntry(label: string, value: string): string {
  const words = value.replace(/\r\n|\r|\n/g, ' ').trim();
  let line = `${label}:`;
  let out = '';
  // Fold only at a space that is followed by a non-space: reading drops the continuation's
  // indentation and puts back exactly one space, so the value comes back unchanged.
  const parts = words === '' ? [] : words.split(/ (?=[^ ])/);
  parts.forEach((part, i) => {
    if (i > 0 && line.length + 1 + part.length > FOLD_WIDTH) {
      out += `${line}\n`;
      line = FOLD_INDENT + part;
    } else {
      line += ` ${part}`;
    }
  });
  if (parts.length === 0) line += ' ';
  return `${out + line}\n`;
}

// ---------------------------------------------------------------------------------------------
// fetch.txt

export interface FetchLine {
  url: string;
  /** Octets, or null for `-` (unspecified). */
  length: number | null;
  rawPath: string;
}

/** `url 1*WSP length 1*WSP filepath` (§2.2.3), or null when the line has another shape. */
export function parseFetchLine(text: string): FetchLine | null {
  const m = /^([^ \t]+)[ \t]+(\d+|-)[ \t]+(.+)$/.exec(text);
  if (!m || !/^[A-Za-z][A-Za-z0-9+.-]*:/.test(m[1] ?? '')) return null;
  return { url: m[1] ?? '', length: m[2] === '-' ? null : Number(m[2]), rawPath: m[3] ?? '' };
}
