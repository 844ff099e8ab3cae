/**
 * The private core of the ISO 2709 codec (ISO 2709:2008 as profiled by MARC 21: 24-byte leader,
 * 12-byte directory entries "tag(3) length(4) start(5)", field terminator 0x1E, record terminator
 * 0x1D, subfield delimiter 0x1F, two indicators, one-character subfield codes).
 *
 * Reading is split in two so that a stream and a byte array are read by the same code:
 * `Iso2709Reader` finds where each record starts and ends in whatever bytes it has (resynchronising
 * on the next record terminator after damage), and `parseRecord` turns one record's bytes into a
 * `MarcRecord`, repairing what it can in lenient mode.
 *
 * Speed matters here (a 2 GB file must convert faster than yaz-marcdump): the usual record, UTF-8
 * with a sound directory, is decoded with one TextDecoder call for its whole data area and split on
 * the terminators as a string. Everything else takes the careful path, byte by byte.
 */
import { makeIssue, type MarcIssueCode, type MarcResult } from './errors.js';
import { Issues, RecordFailure, type Where } from './_issues.js';
import { decodeMarc8, Marc8State } from './_marc8.js';
import { decodeUtf8Reporting, fatalUtf8 } from './_utf8.js';
import type { DataField, MarcField, MarcRecord, Subfield } from './record.js';

export const RT = 0x1d;
export const FT = 0x1e;
export const SD = 0x1f;
/** The longest record ISO 2709 can describe: five digits of record length. */
export const MAX_RECORD_LENGTH = 99_999;

/**
 * `auto`, `utf-8`, `marc-8`, `iso-8859-1`, or any other label TextDecoder knows (`windows-1251`,
 * `ibm866`…) for legacy single-byte files.
 */
export type Iso2709Encoding = 'auto' | 'utf-8' | 'marc-8' | 'iso-8859-1' | (string & {});

export interface Iso2709Options {
  strict: boolean;
  encoding: Iso2709Encoding;
  maxRecordBytes: number;
  normalize: boolean;
}

/** Bytes that may sit between records (line ends, padding of fixed-length blocks, DOS EOF). */
const FILLER = new Uint8Array(256);
for (const b of [0x00, 0x0a, 0x0d, 0x20, 0x1a]) FILLER[b] = 1;

const EMPTY = new Uint8Array(0);

/** Value of `n` ASCII digits at `buf[p]`, or -1. */
function digits(buf: Uint8Array, p: number, n: number, end = buf.length): number {
  if (p + n > end) return -1;
  let v = 0;
  for (let i = 0; i < n; i++) {
    const c = buf[p + i]! - 0x30;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** Bytes shown in a message: printable ASCII as is, anything else as \xNN. */
function show(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end && i < buf.length; i++) {
    const b = buf[i]!;
    s += b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return s;
}

function showChar(c: string): string {
  const cp = c.codePointAt(0);
  if (cp === undefined) return "''";
  return cp >= 0x20 && cp !== 0x7f && !(cp >= 0x80 && cp < 0xa0) ? `'${c}'` : `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`;
}

/** A record found in the input (not parsed yet), or a failure to find one. */
export type Frame =
  | { kind: 'record'; buf: Uint8Array; start: number; end: number; abs: number; record: number; problem?: FramingProblem }
  | { kind: 'failure'; result: MarcResult };

export interface FramingProblem {
  code: MarcIssueCode;
  /** Offset in the buffer. */
  at: number;
  detail: string;
  /** What lenient reading did about it. */
  repair?: string;
}

type Step =
  | { kind: 'need'; pos: number; need: number }
  | { kind: 'done'; pos: number }
  | { kind: 'record'; pos: number; end: number; problem?: FramingProblem }
  | { kind: 'broken'; pos: number; end: number; problem: FramingProblem }
  | { kind: 'resync'; pos: number; problem: FramingProblem };

/** Five digits, a numeric base address and the MARC 21 entry map: the start of a record. */
function looksLikeLeader(buf: Uint8Array, p: number): boolean {
  return digits(buf, p, 5) >= 24 && digits(buf, p + 12, 5) >= 25 && buf[p + 20] === 0x34 && buf[p + 21] === 0x35;
}

function looksLikeRecordStart(buf: Uint8Array, p: number, end: number): boolean {
  return digits(buf, p, 5, end) >= 24;
}

/** Where the record at `pos` ends, with what was wrong with its framing. */
function frame(buf: Uint8Array, pos: number, end: number, eof: boolean, maxRecordBytes: number): Step {
  while (pos < end && FILLER[buf[pos]!]) pos++;
  if (pos >= end) return eof ? { kind: 'done', pos } : { kind: 'need', pos, need: 1 };
  const avail = end - pos;
  if (avail < 5 && !eof) return { kind: 'need', pos, need: 5 };
  const len = digits(buf, pos, 5, end);
  if (len >= 24) {
    if (avail >= len) {
      if (buf[pos + len - 1] === RT) return { kind: 'record', pos, end: pos + len };
      if (buf[pos + len - 1] === FT && (pos + len === end ? eof : looksLikeRecordStart(buf, pos + len, end))) {
        return { kind: 'record', pos, end: pos + len, problem: { code: 'record-terminator', at: pos + len - 1, detail: 'the record does not end with a record terminator (0x1D)', repair: 'read as if it did' } };
      }
    } else if (!eof) {
      return { kind: 'need', pos, need: len };
    }
  }
  // The length is missing or wrong: the record ends at the next record terminator.
  const limit = Math.min(end, pos + maxRecordBytes);
  const rt = buf.subarray(0, limit).indexOf(RT, pos);
  if (rt >= 0 && len < 0) {
    // Not a leader here: if a record starts before that terminator, what comes first is junk.
    for (let p = pos + 1; p + 24 <= rt; p++) {
      if (looksLikeLeader(buf, p)) {
        return { kind: 'broken', pos, end: p, problem: { code: 'junk', at: pos, detail: `${p - pos} bytes that are not a record ('${show(buf, pos, Math.min(p, pos + 24))}'${p - pos > 24 ? '…' : ''}) before the next record` } };
      }
    }
  }
  if (rt >= 0) {
    const detail =
      len < 0
        ? `the record length '${show(buf, pos, pos + 5)}' at leader/00-04 is not a number`
        : len < 24
          ? `the record length ${len} at leader/00-04 is shorter than a leader`
          : `leader/00-04 gives a record length of ${len}, but the record terminator comes after ${rt + 1 - pos} bytes`;
    return { kind: 'record', pos, end: rt + 1, problem: { code: 'record-length', at: pos, detail, repair: `read up to the record terminator (${rt + 1 - pos} bytes)` } };
  }
  if (avail < maxRecordBytes) {
    if (!eof) return { kind: 'need', pos, need: avail + 1 };
    const detail =
      len >= 24
        ? `truncated: leader/00-04 gives a record length of ${len}, but the input ends after ${avail} bytes`
        : len >= 0
          ? `truncated: the input ends after ${avail} bytes, with no record terminator`
          : `${avail} bytes at the end of the input are not a record ('${show(buf, pos, Math.min(end, pos + 24))}')`;
    return { kind: 'broken', pos, end, problem: { code: len >= 0 ? 'truncated' : 'junk', at: pos, detail } };
  }
  return { kind: 'resync', pos, problem: { code: 'record-terminator', at: pos, detail: `no record terminator (0x1D) within ${maxRecordBytes} bytes`, repair: 'skipped to the next one' } };
}

/**
 * Reads ISO 2709 records out of bytes pushed in chunks of any size. `drain(false)` yields every
 * record complete so far; `drain(true)` at the end of input yields the rest. Memory holds one
 * record plus one chunk, whatever the size of the input.
 */
export class Iso2709Reader {
  #buf: Uint8Array = EMPTY;
  #pos = 0;
  #end = 0;
  /** Absolute offset of `#buf[0]` in the input. */
  #base = 0;
  #chunks: Uint8Array[] = [];
  #chunkBytes = 0;
  #need = 1;
  #record = 0;
  #resyncing = false;
  readonly #opts: Iso2709Options;

  constructor(opts: Iso2709Options) {
    this.#opts = opts;
  }

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#chunkBytes += chunk.length;
  }

  /** Joins the pending chunks to what is left of the buffer, once there is enough to be worth it. */
  #merge(force: boolean): void {
    if (this.#chunks.length === 0) return;
    const left = this.#end - this.#pos;
    if (!force && left + this.#chunkBytes < this.#need) return;
    if (left === 0 && this.#chunks.length === 1) {
      this.#base += this.#end;
      this.#buf = this.#chunks[0]!;
    } else {
      const joined = new Uint8Array(left + this.#chunkBytes);
      joined.set(this.#buf.subarray(this.#pos, this.#end), 0);
      let o = left;
      for (const c of this.#chunks) {
        joined.set(c, o);
        o += c.length;
      }
      this.#base += this.#pos;
      this.#buf = joined;
    }
    this.#pos = 0;
    this.#end = this.#buf.length;
    this.#chunks = [];
    this.#chunkBytes = 0;
  }

  /** Results for every record complete so far (all of them when `eof`). */
  *drain(eof: boolean): Generator<MarcResult> {
    for (const f of this.frames(eof)) {
      yield f.kind === 'record' ? parseRecord(f.buf, f.start, f.end, f.abs, f.record, this.#opts, f.problem) : f.result;
    }
  }

  /**
   * Where each record is, before it is parsed: `buf[start, end)` stays valid until the next
   * frame is asked for. Records that cannot be framed come as failures.
   */
  *frames(eof: boolean): Generator<Frame> {
    this.#merge(eof);
    for (;;) {
      if (this.#resyncing) {
        // After a record that could not be framed: skip to just past the next record terminator.
        const rt = this.#buf.subarray(0, this.#end).indexOf(RT, this.#pos);
        if (rt < 0) {
          this.#pos = this.#end;
          if (this.#chunks.length === 0) return;
          this.#merge(true);
          continue;
        }
        this.#pos = rt + 1;
        this.#resyncing = false;
      }
      const step = frame(this.#buf, this.#pos, this.#end, eof, this.#opts.maxRecordBytes);
      this.#pos = step.pos;
      if (step.kind === 'done') return;
      if (step.kind === 'need') {
        this.#need = step.need;
        if (this.#chunks.length > 0 && this.#end - this.#pos + this.#chunkBytes >= step.need) {
          this.#merge(true);
          continue;
        }
        return;
      }
      const record = ++this.#record;
      const at = this.#base + step.pos;
      if (step.kind === 'record') {
        yield { kind: 'record', buf: this.#buf, start: step.pos, end: step.end, abs: at, record, problem: step.problem };
        this.#pos = step.end;
        continue;
      }
      const issue = makeIssue(step.problem.code, { record, byte: this.#base + step.problem.at }, step.problem.detail);
      if (step.kind === 'broken') {
        yield { kind: 'failure', result: { ok: false, error: issue, warnings: [], position: { record, byte: at }, raw: this.#buf.slice(step.pos, step.end) } };
        this.#pos = step.end;
        continue;
      }
      yield { kind: 'failure', result: { ok: false, error: issue, warnings: [], position: { record, byte: at } } };
      this.#resyncing = true;
    }
  }
}

// ------------------------------------------------------------------------------------ reading

const TAG_OK = new Uint8Array(256);
for (let c = 0x30; c <= 0x39; c++) TAG_OK[c] = 1;
for (let c = 0x41; c <= 0x5a; c++) TAG_OK[c] = 1;
for (let c = 0x61; c <= 0x7a; c++) TAG_OK[c] = 1;

/** MARC 21 indicators are a blank, a digit or a lower-case letter. */
export function isValidIndicator(c: string): boolean {
  if (c.length !== 1) return false;
  const k = c.charCodeAt(0);
  return k === 0x20 || (k >= 0x30 && k <= 0x39) || (k >= 0x61 && k <= 0x7a);
}

/** MARC 21 subfield codes are a lower-case letter or a digit. */
export function isValidSubfieldCode(c: string): boolean {
  if (c.length !== 1) return false;
  const k = c.charCodeAt(0);
  return (k >= 0x30 && k <= 0x39) || (k >= 0x61 && k <= 0x7a);
}

function latin1(buf: Uint8Array, start: number, end: number): string {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]!);
  return s;
}

type Charset = 'utf-8' | 'marc-8' | 'iso-8859-1' | TextDecoder;

interface Ctx {
  buf: Uint8Array;
  /** Absolute offset of `buf[0]` (so `abs + i` is an input byte offset). */
  abs: number;
  issues: Issues;
  charset: Charset;
  normalize: boolean;
}

const at = (ctx: Ctx, i: number): Where => ({ byte: ctx.abs + i });

/**
 * One record from `buf[start, end)` (end just past its record terminator, or past its last field
 * terminator when the terminator is missing). Never throws: problems become the result.
 */
export function parseRecord(buf: Uint8Array, start: number, end: number, absStart: number, record: number, opts: Iso2709Options, framing?: FramingProblem): MarcResult {
  const issues = new Issues(opts.strict, record);
  const ctx: Ctx = { buf, abs: absStart - start, issues, charset: 'utf-8', normalize: opts.normalize };
  const position = { record, byte: absStart };
  try {
    if (framing) issues.report(framing.code, at(ctx, framing.at), framing.detail, framing.repair);
    const rec = parseBody(ctx, start, end, opts);
    return { ok: true, record: rec, warnings: issues.warnings, position };
  } catch (e) {
    if (!(e instanceof RecordFailure)) throw e;
    return { ok: false, error: e.issue, warnings: issues.warnings, position, raw: buf.slice(start, end) };
  }
}

interface Entry {
  tag: string;
  /** Position of the entry in the buffer. */
  at: number;
  length: number;
  offset: number;
}

function parseBody(ctx: Ctx, start: number, end: number, opts: Iso2709Options): MarcRecord {
  const { buf, issues } = ctx;
  if (end - start < 24) issues.fail('leader', at(ctx, start), `the record is ${end - start} bytes, shorter than a 24-byte leader`);
  const dataEnd = buf[end - 1] === RT ? end - 1 : end;

  // Leader
  let leader = '';
  for (let i = start; i < start + 24; i++) {
    const b = buf[i]!;
    if (b < 0x20 || b >= 0x7f) {
      issues.report('leader', at(ctx, i), `leader/${String(i - start).padStart(2, '0')} is the byte ${show(buf, i, i + 1)}, not ASCII`, `read as a blank`);
      leader += ' ';
    } else leader += String.fromCharCode(b);
  }
  if (leader[10] !== '2') issues.report('leader', at(ctx, start + 10), `leader/10 (indicator count) is '${leader[10]}', not 2`, `read as 2`);
  if (leader[11] !== '2') issues.report('leader', at(ctx, start + 11), `leader/11 (subfield code length) is '${leader[11]}', not 2`, `read as 2`);
  if (leader.slice(20, 24) !== '4500') issues.report('leader', at(ctx, start + 20), `leader/20-23 (entry map) is '${leader.slice(20, 24)}', not 4500`, `read as 4500`);

  // Directory: from byte 24 to the first field terminator.
  const dirStart = start + 24;
  const dirEnd = buf.subarray(0, dataEnd).indexOf(FT, dirStart);
  if (dirEnd < 0) issues.fail('directory', at(ctx, dirStart), 'the directory has no field terminator (0x1E)');
  const base = dirEnd + 1;
  const leaderBase = digits(buf, start + 12, 5);
  if (leaderBase !== base - start) {
    issues.report(
      'base-address',
      at(ctx, start + 12),
      `the base address '${show(buf, start + 12, start + 17)}' at leader/12-16 should be ${base - start}, just past the directory`,
      `using ${base - start}`,
    );
  }
  const dirLength = dirEnd - dirStart;
  if (dirLength % 12 !== 0) {
    issues.report('directory', at(ctx, dirEnd - (dirLength % 12)), `the directory is ${dirLength} bytes, not a multiple of 12`, `its last ${dirLength % 12} bytes are ignored`);
  }
  const count = Math.floor(dirLength / 12);
  if (count === 0) issues.report('no-fields', at(ctx, dirStart), 'the record has no fields', 'read as an empty record');

  const entries: Entry[] = new Array(count);
  let sound = true;
  let contiguous = true;
  let expect = 0;
  for (let i = 0; i < count; i++) {
    const e = dirStart + i * 12;
    const t0 = buf[e]!;
    const t1 = buf[e + 1]!;
    const t2 = buf[e + 2]!;
    let tag: string;
    if (TAG_OK[t0] && TAG_OK[t1] && TAG_OK[t2]) tag = String.fromCharCode(t0, t1, t2);
    else {
      tag = latin1(buf, e, e + 3);
      issues.report('tag', at(ctx, e), `directory entry ${i + 1} has the tag '${show(buf, e, e + 3)}', not three letters or digits`);
    }
    const length = digits(buf, e + 3, 4);
    const offset = digits(buf, e + 7, 5);
    entries[i] = { tag, at: e, length, offset };
    if (length < 1 || offset < 0 || base + offset + length > dataEnd || buf[base + offset + length - 1] !== FT) sound = false;
    if (offset !== expect) contiguous = false;
    expect = offset + length;
  }
  if (base + expect !== dataEnd) contiguous = false;

  const charset = chooseCharset(ctx, start, base, dataEnd, leader, opts.encoding);
  ctx.charset = charset;
  leader = leader.slice(0, 9) + 'a' + leader.slice(10);

  if (sound && contiguous && charset === 'utf-8') {
    const fields = fastUtf8Fields(ctx, entries, base, dataEnd);
    if (fields) return { leader, fields };
  }
  const ranges = sound ? entries.map((e) => [base + e.offset, base + e.offset + e.length - 1] as const) : repairDirectory(ctx, entries, base, dataEnd);
  const fields: MarcField[] = [];
  for (let i = 0; i < entries.length; i++) {
    const r = ranges[i];
    if (!r) continue;
    const f = readField(ctx, entries[i]!.tag, i, r[0], r[1]);
    if (f) fields.push(f);
  }
  return { leader, fields };
}

const decoders = new Map<string, TextDecoder>();

/** The character set of the record: as asked, or (auto) as leader/09 says, checked against the bytes. */
function chooseCharset(ctx: Ctx, start: number, base: number, dataEnd: number, leader: string, encoding: Iso2709Encoding): Charset {
  if (encoding === 'utf-8' || encoding === 'marc-8' || encoding === 'iso-8859-1') return encoding as Charset;
  if (encoding !== 'auto') {
    let d = decoders.get(encoding);
    if (!d) decoders.set(encoding, (d = new TextDecoder(encoding)));
    return d;
  }
  const flag = leader[9];
  if (flag === 'a') return 'utf-8';
  // MARC 21 leader/09: blank = MARC-8. Many systems write UTF-8 and leave it blank; bytes that are
  // valid UTF-8 with multibyte characters and no MARC-8 escape are read as UTF-8, with a warning.
  const data = ctx.buf.subarray(base, dataEnd);
  let high = false;
  let escape = false;
  for (let i = 0; i < data.length; i++) {
    const b = data[i]!;
    if (b === 0x1b) escape = true;
    else if (b >= 0x80) high = true;
  }
  let utf8 = false;
  if (high && !escape) {
    try {
      fatalUtf8.decode(data);
      utf8 = true;
    } catch {
      utf8 = false;
    }
  }
  if (flag === ' ') {
    if (!utf8) return 'marc-8';
    ctx.issues.report('charset', at(ctx, start + 9), 'leader/09 is blank (MARC-8), but the record is UTF-8 (multibyte characters, no MARC-8 escapes)', 'read as UTF-8');
    return 'utf-8';
  }
  const cs = utf8 || (!high && !escape) ? 'utf-8' : 'marc-8';
  ctx.issues.report('charset', at(ctx, start + 9), `leader/09 is '${flag}', neither 'a' (UTF-8) nor blank (MARC-8)`, `read as ${cs === 'utf-8' ? 'UTF-8' : 'MARC-8'}`);
  return cs;
}

/**
 * The fast path: one decode for the data area, split on terminators. Returns undefined when the
 * record needs the careful path (invalid UTF-8, a terminator inside a field, any problem to report).
 */
function fastUtf8Fields(ctx: Ctx, entries: Entry[], base: number, dataEnd: number): MarcField[] | undefined {
  let text: string;
  try {
    text = fatalUtf8.decode(ctx.buf.subarray(base, dataEnd));
  } catch {
    return undefined;
  }
  if (ctx.normalize && text.length !== dataEnd - base) text = text.normalize('NFC');
  // Walk the text with indexOf rather than split: fewer arrays, and substrings made once.
  const fields: MarcField[] = new Array(entries.length);
  let pos = 0;
  for (let i = 0; i < entries.length; i++) {
    const end = text.indexOf('\x1e', pos);
    if (end < 0) return undefined;
    const tag = entries[i]!.tag;
    const next = text.indexOf('\x1f', pos);
    if (tag.charCodeAt(0) === 0x30 && tag.charCodeAt(1) === 0x30) {
      if (next >= 0 && next < end) return undefined;
      fields[i] = { tag, value: text.slice(pos, end) };
      pos = end + 1;
      continue;
    }
    if (next !== pos + 2 || end === next + 1) return undefined;
    const ind1 = text[pos]!;
    const ind2 = text[pos + 1]!;
    if (!isValidIndicator(ind1) || !isValidIndicator(ind2)) return undefined;
    const subfields: Subfield[] = [];
    let d = next;
    while (d < end) {
      let nx = text.indexOf('\x1f', d + 1);
      if (nx < 0 || nx > end) nx = end;
      const c = text.charCodeAt(d + 1);
      if (!((c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39))) return undefined;
      subfields.push({ code: text[d + 1]!, value: text.slice(d + 2, nx) });
      d = nx;
    }
    fields[i] = { tag, ind1, ind2, subfields };
    pos = end + 1;
  }
  return pos === text.length ? fields : undefined;
}

/**
 * Lenient repair of a directory that does not match the data: when the data area holds as many
 * terminated fields as the directory has entries, fields are taken in order between terminators;
 * otherwise each entry is read from its start to the next field terminator, or dropped.
 */
function repairDirectory(ctx: Ctx, entries: Entry[], base: number, dataEnd: number): Array<readonly [number, number] | undefined> {
  const { buf, issues } = ctx;
  const problems: Array<{ where: Where; detail: string } | undefined> = entries.map((e, i) => {
    const name = `directory entry ${i + 1} (tag ${e.tag})`;
    if (e.length < 0 || e.offset < 0) {
      return { where: at(ctx, e.at + 3), detail: `${name} has length '${show(buf, e.at + 3, e.at + 7)}' and start '${show(buf, e.at + 7, e.at + 12)}', which are not both numbers` };
    }
    if (e.length === 0) return { where: at(ctx, e.at + 3), detail: `${name} has length 0` };
    const s = base + e.offset;
    if (s + e.length > dataEnd) return { where: at(ctx, e.at), detail: `${name} runs past the end of the record` };
    if (buf[s + e.length - 1] !== FT) return { where: at(ctx, s + e.length - 1), detail: `field ${i + 1} (tag ${e.tag}) does not end with a field terminator (0x1E) where the directory says it ends` };
    return undefined;
  });
  // Fields between terminators, in data order.
  const chunks: Array<readonly [number, number]> = [];
  let s = base;
  for (let i = base; i < dataEnd; i++) {
    if (buf[i] === FT) {
      chunks.push([s, i]);
      s = i + 1;
    }
  }
  if (s < dataEnd) chunks.push([s, dataEnd]);
  const first = problems.findIndex((p) => p !== undefined);
  if (chunks.length === entries.length && first >= 0) {
    const p = problems[first]!;
    issues.report(p.where.byte !== undefined && p.detail.startsWith('field') ? 'field-terminator' : 'directory-entry', p.where, `${p.detail}`, `the fields were read in order between field terminators`);
    if (s < dataEnd) issues.report('field-terminator', at(ctx, dataEnd), `the last field (tag ${entries[entries.length - 1]!.tag}) has no field terminator`, 'read up to the record terminator');
    return chunks;
  }
  return entries.map((e, i) => {
    const p = problems[i];
    if (!p) return [base + e.offset, base + e.offset + e.length - 1] as const;
    if (e.offset < 0 || base + e.offset >= dataEnd) {
      issues.report('directory-entry', p.where, `${p.detail}`, `the field is dropped`);
      return undefined;
    }
    let from = base + e.offset;
    if (buf[from] === FT) from++; // pointing at the previous field's terminator
    let to = buf.subarray(0, dataEnd).indexOf(FT, from);
    if (to < 0) to = dataEnd;
    issues.report(p.detail.startsWith('field') ? 'field-terminator' : 'directory-entry', p.where, `${p.detail}`, `the field was read up to the next field terminator`);
    return [from, to] as const;
  });
}

/** Field `buf[s, e)` (without its terminator), the careful way. */
function readField(ctx: Ctx, tag: string, index: number, s: number, e: number): MarcField | undefined {
  const { buf, issues } = ctx;
  const delim = buf.subarray(0, e).indexOf(SD, s);
  const isControl = tag.charCodeAt(0) === 0x30 && tag.charCodeAt(1) === 0x30;
  if (isControl || (delim < 0 && !/^[0-9]{3}$/.test(tag))) {
    if (delim < 0 || !isControl) return { tag, value: decodeText(ctx, s, e, new Marc8State()) };
    if (delim - s > 2) {
      issues.report('subfield', at(ctx, delim), `control field ${tag} contains a subfield delimiter (0x1F)`, 'kept as it is');
      return { tag, value: decodeText(ctx, s, e, new Marc8State()) };
    }
    issues.report('tag', at(ctx, s), `field ${index + 1} (tag ${tag}) is a control field but has indicators and subfields`, `read as a data field`);
  }
  const state = new Marc8State();
  // Indicators: what comes before the first subfield delimiter.
  const headEnd = delim < 0 ? Math.min(e, s + 2) : delim;
  const head = Array.from(decodeText(ctx, s, headEnd, state, true));
  if (head.length !== 2) {
    if (head.length < 2) {
      issues.report('indicator', at(ctx, s), `field ${index + 1} (tag ${tag}) has ${head.length === 0 ? 'no indicators' : 'one indicator'}`, `blanks assumed`);
    } else {
      const extra = head.slice(2).join('');
      issues.report('subfield', at(ctx, s + 2), `field ${index + 1} (tag ${tag}) has '${extra.length > 40 ? extra.slice(0, 40) + '…' : extra}' before its first subfield`, `dropped`);
    }
  }
  const ind1 = head[0] ?? ' ';
  const ind2 = head[1] ?? ' ';
  for (const [n, ind] of [ind1, ind2].entries()) {
    if (!isValidIndicator(ind)) issues.report('indicator', at(ctx, s + n), `field ${index + 1} (tag ${tag}) has the indicator ${n + 1} ${showChar(ind)}, not a blank, digit or lower-case letter`);
  }
  const subfields: Subfield[] = [];
  if (delim < 0 && e > s + 2) {
    // No delimiter at all: the text is most likely a lost $a.
    const text = decodeText(ctx, s + 2, e, state);
    issues.report('subfield', at(ctx, s + 2), `field ${index + 1} (tag ${tag}) has text but no subfield delimiter`, 'read as $a');
    subfields.push({ code: 'a', value: text });
  }
  let d = delim;
  while (d >= 0 && d < e) {
    let next = buf.subarray(0, e).indexOf(SD, d + 1);
    if (next < 0) next = e;
    if (next === d + 1) {
      issues.report('subfield', at(ctx, d), `field ${index + 1} (tag ${tag}) has an empty subfield (a delimiter with no code)`, 'ignored');
      d = next;
      continue;
    }
    const last = subfields[subfields.length - 1];
    if (buf[d + 1]! <= 0x20 && last) {
      // A delimiter followed by a blank or a control (an ESC…) is no subfield: drop the delimiter.
      issues.report('subfield', at(ctx, d), `field ${index + 1} (tag ${tag}) has a stray subfield delimiter (followed by ${buf[d + 1] === 0x20 ? 'a blank' : buf[d + 1] === 0x1b ? 'ESC' : show(buf, d + 1, d + 2)}, not a code)`, `removed, the text stays in $${last.code}`);
      last.value = last.value + decodeText(ctx, d + 1, next, state);
      if (ctx.normalize) last.value = last.value.normalize('NFC');
      d = next;
      continue;
    }
    const codeEnd = d + 1 + codeLength(ctx, d + 1, next);
    const code = decodeText(ctx, d + 1, codeEnd, state, true);
    if (!isValidSubfieldCode(code)) {
      issues.report('subfield-code', at(ctx, d + 1), `field ${index + 1} (tag ${tag}) has the subfield code ${showChar(code)}, not a lower-case letter or digit`);
    }
    subfields.push({ code, value: decodeText(ctx, codeEnd, next, state) });
    d = next;
  }
  if (subfields.length === 0) issues.report('subfield', at(ctx, s), `field ${index + 1} (tag ${tag}) has no subfields`);
  const field: DataField = { tag, ind1, ind2, subfields };
  return field;
}

/** Bytes in the subfield code at `p`: one character of the record's character set. */
function codeLength(ctx: Ctx, p: number, end: number): number {
  if (ctx.charset !== 'utf-8') return 1;
  const b = ctx.buf[p]!;
  const n = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
  for (let k = 1; k < n; k++) if (p + k >= end || (ctx.buf[p + k]! & 0xc0) !== 0x80) return 1;
  return n;
}

/** `buf[s, e)` as NFC text in the record's character set, problems reported at their byte. */
function decodeText(ctx: Ctx, s: number, e: number, state: Marc8State, raw = false): string {
  const { buf, issues } = ctx;
  let text: string;
  if (ctx.charset === 'utf-8') {
    try {
      text = fatalUtf8.decode(buf.subarray(s, e));
    } catch {
      text = decodeUtf8Reporting(buf, s, e, (o) => issues.report('encoding', at(ctx, o), `invalid UTF-8 (byte ${show(buf, o, o + 1)})`, `replaced with U+FFFD`));
    }
  } else if (ctx.charset === 'marc-8') {
    if (raw && e - s === 1 && buf[s]! < 0x80) return String.fromCharCode(buf[s]!); // subfield codes are ASCII, whatever G0 holds
    text = decodeMarc8(buf, s, e, state, (code, o, detail, repair) => issues.report(code, at(ctx, o), `MARC-8: ${detail}`, repair));
  } else if (ctx.charset === 'iso-8859-1') {
    text = latin1(buf, s, e);
  } else {
    text = ctx.charset.decode(buf.subarray(s, e));
  }
  return ctx.normalize && !raw ? text.normalize('NFC') : text;
}

// ------------------------------------------------------------------------------------ writing

const SCRATCH_SIZE = MAX_RECORD_LENGTH + 1;

/**
 * Encodes records into ISO 2709, UTF-8, leader/09 `a`. `encode` prepares one record in scratch
 * space and returns its length; `copyTo` then writes it where the caller wants, so a stream
 * writer fills its output chunks without an intermediate array per record.
 */
export class Iso2709Encoder {
  readonly #data = new Uint8Array(SCRATCH_SIZE);
  #dataLength = 0;
  readonly #head = new Uint8Array(SCRATCH_SIZE);
  #headLength = 0;
  readonly #encoder = new TextEncoder();

  /** Prepares `record` (the `index`-th, 1-based, for messages); returns its length in bytes. */
  encode(record: MarcRecord, index: number): number {
    const fail = (code: MarcIssueCode, detail: string): never => {
      throw new RecordFailure(makeIssue(code, { record: index }, detail));
    };
    const leader = record.leader;
    if (typeof leader !== 'string' || leader.length !== 24 || !/^[\x20-\x7e]{24}$/.test(leader)) {
      fail('invalid-record', `the leader must be 24 ASCII characters, got ${JSON.stringify(leader)}`);
    }
    const n = record.fields.length;
    const dirBytes = n * 12 + 1;
    const baseAddress = 24 + dirBytes;
    const dataRoom = MAX_RECORD_LENGTH - baseAddress - 1;
    if (dataRoom < 0) this.#tooLong(index, baseAddress + 1 + this.#measure(record));
    const data = this.#data;
    const head = this.#head;
    let p = 0;
    let overflow = false;
    const put = (s: string, what: () => string): void => {
      // ASCII goes byte by byte (most values are short); anything else through TextEncoder.
      const len = s.length;
      let i = 0;
      for (; i < len; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        if (c === RT || c === FT || c === SD) fail('invalid-record', `${what()} contains the control character ${showChar(s[i]!)}, which would break the record structure`);
        if (p >= dataRoom) {
          overflow = true;
          return;
        }
        data[p++] = c;
      }
      if (i === len) return;
      const rest = i === 0 ? s : s.slice(i);
      // eslint-disable-next-line no-control-regex
      if (/[\x1d-\x1f]/.test(rest)) fail('invalid-record', `${what()} contains a terminator or delimiter character, which would break the record structure`);
      const { read, written } = this.#encoder.encodeInto(rest, data.subarray(p, dataRoom));
      p += written;
      if (read < rest.length) overflow = true;
    };
    const byte = (b: number) => {
      if (p >= dataRoom) overflow = true;
      else data[p++] = b;
    };
    let h = 24;
    for (let f = 0; f < n && !overflow; f++) {
      const field = record.fields[f]!;
      const tag = field.tag;
      if (typeof tag !== 'string' || tag.length !== 3 || !TAG_OK[tag.charCodeAt(0)] || !TAG_OK[tag.charCodeAt(1)] || !TAG_OK[tag.charCodeAt(2)]) {
        fail('invalid-record', `field ${f + 1} has the tag ${JSON.stringify(tag)}, not three letters or digits`);
      }
      const fieldStart = p;
      if ('subfields' in field) {
        const { ind1, ind2 } = field;
        if (typeof ind1 !== 'string' || typeof ind2 !== 'string' || Array.from(ind1).length !== 1 || Array.from(ind2).length !== 1) {
          fail('invalid-record', `field ${f + 1} (tag ${tag}) must have two one-character indicators, got ${JSON.stringify(ind1)} and ${JSON.stringify(ind2)}`);
        }
        put(ind1, () => `field ${f + 1} (tag ${tag}) indicator 1`);
        put(ind2, () => `field ${f + 1} (tag ${tag}) indicator 2`);
        const subs = field.subfields;
        for (let k = 0; k < subs.length; k++) {
          const sf = subs[k]!;
          if (typeof sf.code !== 'string' || Array.from(sf.code).length !== 1) {
            fail('invalid-record', `field ${f + 1} (tag ${tag}) subfield ${k + 1} must have a one-character code, got ${JSON.stringify(sf.code)}`);
          }
          if (typeof sf.value !== 'string') fail('invalid-record', `field ${f + 1} (tag ${tag}) $${sf.code} has no text value`);
          byte(SD);
          put(sf.code, () => `field ${f + 1} (tag ${tag}) subfield code`);
          put(sf.value, () => `field ${f + 1} (tag ${tag}) $${sf.code}`);
        }
      } else {
        if (typeof field.value !== 'string') fail('invalid-record', `field ${f + 1} (tag ${tag}) has no text value`);
        this.#putControl(field.value, tag, f, fail);
        put(field.value, () => `field ${f + 1} (tag ${tag})`);
      }
      byte(FT);
      const len = p - fieldStart;
      if (len > 9999) fail('record-too-long', `field ${f + 1} (tag ${tag}) is ${len} bytes, more than the 9,999 a directory entry can express`);
      head[h] = tag.charCodeAt(0);
      head[h + 1] = tag.charCodeAt(1);
      head[h + 2] = tag.charCodeAt(2);
      writeDigits(head, h + 3, 4, len);
      writeDigits(head, h + 7, 5, fieldStart);
      h += 12;
    }
    if (overflow) this.#tooLong(index, baseAddress + 1 + this.#measure(record));
    head[h] = FT;
    const total = baseAddress + p + 1;
    data[p] = RT;
    for (let i = 0; i < 24; i++) head[i] = leader.charCodeAt(i);
    writeDigits(head, 0, 5, total);
    head[9] = 0x61; // 'a': UCS/Unicode (MARC 21 leader/09)
    head[10] = 0x32;
    head[11] = 0x32;
    writeDigits(head, 12, 5, baseAddress);
    head[20] = 0x34;
    head[21] = 0x35;
    head[22] = 0x30;
    head[23] = 0x30;
    this.#headLength = baseAddress;
    this.#dataLength = p + 1;
    return total;
  }

  #putControl(value: string, tag: string, f: number, fail: (code: MarcIssueCode, detail: string) => never): void {
    // eslint-disable-next-line no-control-regex
    if (/[\x1d\x1e]/.test(value)) fail('invalid-record', `field ${f + 1} (tag ${tag}) contains a terminator character, which would break the record structure`);
  }

  /** Writes the prepared record at `out[offset]`. */
  copyTo(out: Uint8Array, offset: number): void {
    out.set(this.#head.subarray(0, this.#headLength), offset);
    out.set(this.#data.subarray(0, this.#dataLength), offset + this.#headLength);
  }

  #measure(record: MarcRecord): number {
    let n = 0;
    for (const f of record.fields) {
      if ('subfields' in f) {
        n += this.#encoder.encode(f.ind1 + f.ind2).length + 1;
        for (const s of f.subfields) n += 1 + this.#encoder.encode(s.code + s.value).length;
      } else n += this.#encoder.encode(f.value).length + 1;
    }
    return n;
  }

  #tooLong(index: number, bytes: number): never {
    throw new RecordFailure(
      makeIssue('record-too-long', { record: index }, `the record is ${bytes.toLocaleString('en-US')} bytes, more than the ${MAX_RECORD_LENGTH.toLocaleString('en-US')} ISO 2709 allows`),
    );
  }
}

function writeDigits(out: Uint8Array, at: number, width: number, value: number): void {
  for (let i = width - 1; i >= 0; i--) {
    out[at + i] = 0x30 + (value % 10);
    value = Math.floor(value / 10);
  }
}

