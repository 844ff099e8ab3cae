/**
 * What the MARC readers and writers report. Every problem is a `MarcIssue`: a stable `code`, the
 * record it belongs to (1-based, counted in the input), where in the input it is (a byte offset
 * for ISO 2709, a line and column for MARCXML and MARC-in-JSON) and a message that says all of it:
 *
 *     record 12 (byte 40213): directory entry 3 (tag 245) runs past the end of the record
 *
 * Readers never throw on bad input: they yield one result per record, `{ ok: true, record,
 * warnings }` or `{ ok: false, error, warnings }`. In lenient mode (the default) a reader repairs
 * what it can and says so in `warnings`; in strict mode the first problem makes the record an error.
 */
import type { MarcRecord } from './record.js';

export type MarcIssueCode =
  /** The input ends inside a record. */
  | 'truncated'
  /** Leader positions 00-04 are not a number, or disagree with where the record ends. */
  | 'record-length'
  /** A record does not end with the record terminator 0x1D. */
  | 'record-terminator'
  /** The leader is short, not ASCII, or has unexpected values at 10, 11 or 20-23. */
  | 'leader'
  /** Leader positions 12-16 do not point just past the directory. */
  | 'base-address'
  /** The directory is missing its terminator or is not made of 12-byte entries. */
  | 'directory'
  /** A directory entry is not numeric or points outside the record. */
  | 'directory-entry'
  /** A field does not end with the field terminator 0x1E. */
  | 'field-terminator'
  | 'tag'
  | 'indicator'
  | 'subfield-code'
  /** A subfield delimiter with nothing after it, or text before the first subfield. */
  | 'subfield'
  | 'no-fields'
  /** Bytes that are not valid in the record's character set (UTF-8, MARC-8…). */
  | 'encoding'
  /** A MARC-8 escape sequence that is incomplete or designates an unknown set. */
  | 'escape-sequence'
  /** A MARC-8 combining mark with no base character after it. */
  | 'combining'
  /** Leader/09 disagrees with the bytes of the record. */
  | 'charset'
  /** Bytes between records that do not start a record. */
  | 'junk'
  /** Malformed XML. */
  | 'xml'
  /** A DOCTYPE or entity declaration, refused: no DTDs, no entity expansion, no external entities. */
  | 'doctype'
  /** Malformed JSON. */
  | 'json'
  /** Markup or JSON that is well-formed but not a MARC record as the format defines it. */
  | 'structure'
  /** A character that XML cannot carry (writers drop it). */
  | 'xml-char'
  /** A record longer than the 99,999 bytes ISO 2709 can express (writers refuse it). */
  | 'record-too-long'
  /** A record the writer cannot encode: a tag that is not 3 characters, a terminator inside a value… */
  | 'invalid-record';

/** Where a record or a problem is. `byte` for ISO 2709; `line`/`column` (1-based) for text formats. */
export interface MarcPosition {
  /** 1-based number of the record in the input. */
  record: number;
  /** 0-based byte offset from the start of the input. */
  byte?: number;
  line?: number;
  column?: number;
}

export interface MarcIssue extends MarcPosition {
  code: MarcIssueCode;
  /** The whole story: `record 3 (byte 1200): …`. */
  message: string;
}

export interface MarcOk {
  ok: true;
  record: MarcRecord;
  warnings: MarcIssue[];
  /** Where the record starts. */
  position: MarcPosition;
}

export interface MarcFailure {
  ok: false;
  error: MarcIssue;
  /** Warnings met before the error. */
  warnings: MarcIssue[];
  /** Where the record starts. */
  position: MarcPosition;
  /** The bytes of the failed ISO 2709 record, for a quarantine file. */
  raw?: Uint8Array;
}

/** One record read: a record with warnings, or an error. */
export type MarcResult = MarcOk | MarcFailure;

/** Reader options shared by every format. */
export interface MarcReadOptions {
  /** The first problem in a record makes it an error instead of a repair with a warning. Default false. */
  strict?: boolean;
  /**
   * Text comes out in Unicode NFC (default true), whatever the input used. `false` keeps it exactly
   * as written (MARC 21 UTF-8 records are often NFD), so records written back are byte-identical.
   */
  normalize?: boolean;
}

/** Thrown only by the convenience functions that return bare records, and by writers. */
export class MarcError extends Error {
  readonly code: MarcIssueCode;
  readonly issue: MarcIssue;
  constructor(issue: MarcIssue) {
    super(issue.message);
    this.name = 'MarcError';
    this.code = issue.code;
    this.issue = issue;
  }
}

/** `record 12 (byte 40213)` / `record 2 (line 40, column 5)` / `record 3`. */
export function formatPosition(p: MarcPosition): string {
  if (p.byte !== undefined) return `record ${p.record} (byte ${p.byte})`;
  if (p.line !== undefined) return p.column !== undefined ? `record ${p.record} (line ${p.line}, column ${p.column})` : `record ${p.record} (line ${p.line})`;
  return `record ${p.record}`;
}

export function makeIssue(code: MarcIssueCode, position: MarcPosition, detail: string): MarcIssue {
  return { code, ...position, message: `${formatPosition(position)}: ${detail}` };
}

/** The records of a batch, throwing `MarcError` at the first failure. */
export function recordsOrThrow(results: Iterable<MarcResult>): MarcRecord[] {
  const out: MarcRecord[] = [];
  for (const r of results) {
    if (!r.ok) throw new MarcError(r.error);
    out.push(r.record);
  }
  return out;
}
