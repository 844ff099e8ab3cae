/**
 * MARC-in-JSON (Ross Singer's proposal, https://github.com/marc4j/marc4j/wiki/MARC-in-JSON-Description,
 * as yaz-marcdump writes it):
 *
 *     {"leader": "…", "fields": [{"001": "…"}, {"245": {"ind1": "1", "ind2": "0", "subfields": [{"a": "…"}]}}]}
 *
 * The reader takes one record, a JSON array of records, or a sequence of them (JSON Lines, or
 * objects one after another), and finds where each record ends without parsing the rest, so a
 * large file streams. A record that is not valid JSON is reported with its line and column, and in
 * a sequence the reader goes on with the next line that starts a record.
 */
import { makeIssue, type MarcResult } from './errors.js';
import { Issues, RecordFailure } from './_issues.js';
import { isValidIndicator, isValidSubfieldCode } from './_iso2709.js';
import { Utf8StreamDecoder } from './_utf8.js';
import type { MarcField, MarcRecord, Subfield } from './record.js';

const BLANK_LEADER = '00000    a2200000   4500';

interface Pos {
  line: number;
  column: number;
}

/** Reads MARC-in-JSON pushed as text or bytes. */
export class MarcJsonReader {
  readonly #strict: boolean;
  readonly #normalize: boolean;
  #buf = '';
  #i = 0;
  #line = 1;
  #column = 1;
  /** 'start' until the first value decides; then 'array' or 'seq'; 'done' after a fatal problem. */
  #mode: 'start' | 'array' | 'seq' | 'done' = 'start';
  #expectComma = false;
  #count = 0;
  #decoder = new Utf8StreamDecoder();
  // The element being scanned
  #elStart = -1;
  #elPos: Pos = { line: 1, column: 1 };
  #brackets: number[] = [];
  #inString = false;
  #escape = false;

  constructor(opts: { strict: boolean; normalize: boolean }) {
    this.#strict = opts.strict;
    this.#normalize = opts.normalize;
  }

  *pushBytes(chunk: Uint8Array): Generator<MarcResult> {
    yield* this.pushText(this.#decoder.decode(chunk));
  }

  *pushText(text: string): Generator<MarcResult> {
    // Keep the element in progress; drop what was consumed.
    const keep = this.#elStart >= 0 ? this.#elStart : this.#i;
    if (keep > 0) {
      this.#buf = this.#buf.slice(keep);
      this.#i -= keep;
      if (this.#elStart >= 0) this.#elStart -= keep;
    }
    this.#buf += text;
    yield* this.#scan(false);
  }

  *end(): Generator<MarcResult> {
    yield* this.pushText(this.#decoder.decode(new Uint8Array(0), true));
    yield* this.#scan(true);
    if (this.#elStart >= 0 && this.#mode !== 'done') {
      const n = ++this.#count;
      const error = makeIssue('truncated', { record: n, ...this.#elPos }, 'the input ends inside this record');
      this.#elStart = -1;
      yield { ok: false, error, warnings: [], position: { record: n, ...this.#elPos } };
    } else if (this.#mode === 'array') {
      const n = ++this.#count;
      yield this.#fail(n, { line: this.#line, column: this.#column }, 'the input ends inside the JSON array (no closing ])');
    }
  }

  /** Records from values already parsed (an object, or the elements of an array). */
  *values(values: unknown[]): Generator<MarcResult> {
    for (const v of values) {
      const n = ++this.#count;
      yield this.#record(n, { line: 1, column: 1 }, v);
    }
  }

  #fail(n: number, pos: Pos, detail: string, code: 'json' | 'structure' = 'json'): MarcResult {
    return { ok: false, error: makeIssue(code, { record: n, ...pos }, detail), warnings: [], position: { record: n, ...pos } };
  }

  #advance(c: number): void {
    if (c === 10) {
      this.#line++;
      this.#column = 1;
    } else if (c < 0xdc00 || c > 0xdfff) this.#column++;
  }

  *#scan(eof: boolean): Generator<MarcResult> {
    const buf = this.#buf;
    while (this.#i < buf.length && this.#mode !== 'done') {
      const c = buf.charCodeAt(this.#i);
      if (this.#elStart >= 0) {
        // Inside a record: find its end.
        if (this.#inString) {
          if (this.#escape) this.#escape = false;
          else if (c === 0x5c) this.#escape = true;
          else if (c === 0x22) this.#inString = false;
          else if (c === 10 && this.#mode === 'seq') {
            yield* this.#broken('a string is not closed before the end of the line');
            continue;
          }
        } else if (c === 0x22) this.#inString = true;
        else if (c === 0x7b || c === 0x5b) this.#brackets.push(c);
        else if (c === 0x7d || c === 0x5d) {
          const open = this.#brackets.pop();
          if (open !== (c === 0x7d ? 0x7b : 0x5b)) {
            yield* this.#broken(`'${String.fromCharCode(c)}' does not close ${open === undefined ? 'anything' : `'${String.fromCharCode(open)}'`}`);
            continue;
          }
          if (this.#brackets.length === 0) {
            this.#advance(c);
            this.#i++;
            const text = buf.slice(this.#elStart, this.#i);
            this.#elStart = -1;
            yield this.#element(text);
            this.#expectComma = this.#mode === 'array';
            continue;
          }
        }
        this.#advance(c);
        this.#i++;
        continue;
      }
      // Between records
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0xfeff) {
        this.#advance(c);
        this.#i++;
        continue;
      }
      const pos = { line: this.#line, column: this.#column };
      if (this.#mode === 'start' && c === 0x5b) {
        this.#mode = 'array';
        this.#advance(c);
        this.#i++;
        continue;
      }
      if (this.#mode === 'start') this.#mode = 'seq';
      if (this.#mode === 'array') {
        if (c === 0x5d && (this.#expectComma || this.#count === 0)) {
          this.#mode = 'done';
          this.#i = buf.length;
          return;
        }
        if (c === 0x2c && this.#expectComma) {
          this.#expectComma = false;
          this.#advance(c);
          this.#i++;
          continue;
        }
        if (c !== 0x7b || this.#expectComma) {
          const n = ++this.#count;
          this.#mode = 'done';
          yield this.#fail(n, pos, `unexpected '${buf[this.#i]}' in the JSON array; the rest of the input is not read`);
          return;
        }
      } else if (c !== 0x7b) {
        const n = ++this.#count;
        yield this.#fail(n, pos, `unexpected '${buf[this.#i]}' where a record ({…}) should start; skipped to the next line`);
        this.#skipLine();
        continue;
      }
      this.#elStart = this.#i;
      this.#elPos = pos;
      this.#brackets = [];
      this.#inString = false;
      this.#escape = false;
    }
    void eof;
  }

  /** The record being scanned is broken: report it and resume at the next line. */
  *#broken(detail: string): Generator<MarcResult> {
    const n = ++this.#count;
    const pos = { line: this.#line, column: this.#column };
    this.#elStart = -1;
    if (this.#mode === 'array') {
      this.#mode = 'done';
      yield this.#fail(n, pos, `${detail}; the rest of the JSON array is not read`);
      return;
    }
    yield this.#fail(n, pos, `${detail}; skipped to the next line`);
    this.#skipLine();
  }

  #skipLine(): void {
    const nl = this.#buf.indexOf('\n', this.#i);
    const to = nl < 0 ? this.#buf.length : nl;
    while (this.#i < to) this.#advance(this.#buf.charCodeAt(this.#i++));
  }

  #element(text: string): MarcResult {
    const n = ++this.#count;
    const pos = this.#elPos;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      const { offset, message } = jsonSyntaxError(text);
      const upto = text.slice(0, offset);
      const lines = upto.split('\n');
      const where = lines.length === 1 ? { line: pos.line, column: pos.column + upto.length } : { line: pos.line + lines.length - 1, column: lines[lines.length - 1]!.length + 1 };
      return this.#fail(n, where, `invalid JSON: ${message}`);
    }
    return this.#record(n, pos, value);
  }

  #record(n: number, pos: Pos, value: unknown): MarcResult {
    const issues = new Issues(this.#strict, n);
    try {
      const record = recordFromJson(value, issues, pos, this.#normalize);
      return { ok: true, record, warnings: issues.warnings, position: { record: n, ...pos } };
    } catch (e) {
      if (!(e instanceof RecordFailure)) throw e;
      return { ok: false, error: e.issue, warnings: issues.warnings, position: { record: n, ...pos } };
    }
  }
}

/**
 * Where and why `text` is not JSON (RFC 8259), for the message: JSON.parse's own messages do not
 * always give a position. Only called on text JSON.parse rejected.
 */
export function jsonSyntaxError(text: string): { offset: number; message: string } {
  let i = 0;
  const fail = (message: string): never => {
    throw { offset: i, message };
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const found = () => (i < text.length ? `'${text[i]}'` : 'the end');
  const string = () => {
    i++;
    for (;;) {
      if (i >= text.length) fail('a string is not closed');
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return;
      }
      if (c < 0x20) fail(`a control character (U+${c.toString(16).toUpperCase().padStart(4, '0')}) inside a string must be escaped`);
      if (c === 0x5c) {
        const e = text[i + 1] ?? '';
        if (e === 'u') {
          if (!/^[0-9A-Fa-f]{4}$/.test(text.slice(i + 2, i + 6))) fail('\\u must be followed by four hex digits');
          i += 6;
          continue;
        }
        if (!'"\\/bfnrt'.includes(e) || e === '') fail(`'\\${e}' is not a JSON escape`);
        i += 2;
        continue;
      }
      i++;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail(`expected a property name in double quotes, found ${found()}`);
        string();
        ws();
        if (text[i] !== ':') fail(`expected ':' after a property name, found ${found()}`);
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail(`expected ',' or '}', found ${found()}`);
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail(`expected ',' or ']', found ${found()}`);
      }
    }
    if (c === '"') return string();
    const m = /^(?:-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?|true|false|null)/.exec(text.slice(i, i + 400));
    if (!m) fail(`expected a value, found ${found()}`);
    i += m![0].length;
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${found()} after the value`);
    return { offset: 0, message: 'not valid JSON' };
  } catch (e) {
    return e as { offset: number; message: string };
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkTag(tag: string, issues: Issues, pos: Pos, path: string): string | undefined {
  if (/^[0-9A-Za-z]{3}$/.test(tag)) return tag;
  if (/^[0-9]{1,2}$/.test(tag)) {
    issues.report('tag', pos, `${path}: the tag '${tag}' is not three characters`, `read as ${tag.padStart(3, '0')}`);
    return tag.padStart(3, '0');
  }
  issues.report('tag', pos, `${path}: the tag '${tag}' is not three letters or digits`, `the field is dropped`);
  return undefined;
}

/** A MARC-in-JSON value as a record; problems go to `issues` (positions are the record's). */
export function recordFromJson(value: unknown, issues: Issues, pos: Pos, normalize = true): MarcRecord {
  // Text is NFC (unless asked otherwise) and may not hold the ISO 2709 delimiter and terminators.
  const nfc = (s: string, path: string): string => {
    // eslint-disable-next-line no-control-regex
    if (/[\x1d-\x1f]/.test(s)) {
      // eslint-disable-next-line no-control-regex
      const found = [...new Set(s.match(/[\x1d-\x1f]/g))].map((c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);
      issues.report('structure', pos, `${path} contains ${found.join(', ')}, the ISO 2709 delimiter or terminators`, 'removed');
      // eslint-disable-next-line no-control-regex
      s = s.replace(/[\x1d-\x1f]/g, '');
    }
    return normalize ? s.normalize('NFC') : s;
  };
  if (!isObject(value)) issues.fail('structure', pos, `a record must be a JSON object, not ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`);
  let leader = value.leader;
  if (typeof leader !== 'string') {
    issues.report('structure', pos, leader === undefined ? 'the record has no leader' : 'the leader is not a string', 'a blank one is used');
    leader = BLANK_LEADER;
  }
  let l = leader as string;
  if (/[^\x20-\x7e]/.test(l)) {
    issues.report('leader', pos, 'the leader has characters other than printable ASCII', 'read as blanks');
    l = l.replace(/[^\x20-\x7e]/g, ' ');
  }
  if (l.length !== 24) {
    issues.report('leader', pos, `the leader is ${l.length} characters, not 24`, `${l.length < 24 ? 'padded with blanks' : 'cut to 24'}`);
    l = l.padEnd(24, ' ').slice(0, 24);
  }
  const fieldsIn = value.fields;
  if (fieldsIn !== undefined && !Array.isArray(fieldsIn)) issues.fail('structure', pos, '"fields" must be an array');
  if (fieldsIn === undefined) issues.report('no-fields', pos, 'the record has no "fields"', 'read as an empty record');
  const fields: MarcField[] = [];
  (fieldsIn ?? []).forEach((f: unknown, i: number) => {
    const path = `fields[${i}]`;
    if (!isObject(f) || Object.keys(f).length !== 1) {
      issues.report('structure', pos, `${path} must be an object with a single tag`, `dropped`);
      return;
    }
    const rawTag = Object.keys(f)[0]!;
    const tag = checkTag(rawTag, issues, pos, path);
    if (tag === undefined) return;
    const v = f[rawTag];
    if (typeof v === 'string') {
      fields.push({ tag, value: nfc(v, `${path} (${tag})`) });
      return;
    }
    if (!isObject(v)) {
      issues.report('structure', pos, `${path} (${tag}) must be a string or an object`, `dropped`);
      return;
    }
    const ind = (k: 'ind1' | 'ind2'): string => {
      const x = v[k];
      if (typeof x !== 'string' || x.length === 0) {
        issues.report('indicator', pos, `${path} (${tag}) has no ${k}`, `a blank is used`);
        return ' ';
      }
      const chars = Array.from(x);
      if (chars.length > 1) issues.report('indicator', pos, `${path} (${tag}) has ${k} '${x}', more than one character`, `'${chars[0]}' is used`);
      if (!isValidIndicator(chars[0]!)) issues.report('indicator', pos, `${path} (${tag}) has ${k} '${chars[0]}', not a blank, digit or lower-case letter`);
      return chars[0]!;
    };
    const ind1 = ind('ind1');
    const ind2 = ind('ind2');
    const subsIn = v.subfields;
    if (!Array.isArray(subsIn)) {
      issues.report('subfield', pos, `${path} (${tag}) has no "subfields" array`, `read with none`);
    }
    const subfields: Subfield[] = [];
    (Array.isArray(subsIn) ? subsIn : []).forEach((s: unknown, k: number) => {
      const sp = `${path} (${tag}) subfields[${k}]`;
      if (!isObject(s) || Object.keys(s).length !== 1) {
        issues.report('subfield', pos, `${sp} must be an object with a single code`, `dropped`);
        return;
      }
      const code = Object.keys(s)[0]!;
      let val = s[code];
      if (typeof val !== 'string') {
        issues.report('subfield', pos, `${sp} ($${code}) is not a string`, `${typeof val === 'number' || typeof val === 'boolean' ? 'converted' : 'dropped'}`);
        if (typeof val !== 'number' && typeof val !== 'boolean') return;
        val = String(val);
      }
      const chars = Array.from(code);
      if (chars.length !== 1) {
        if (chars.length === 0) {
          issues.report('subfield-code', pos, `${sp} has an empty code`, `dropped`);
          return;
        }
        issues.report('subfield-code', pos, `${sp} has the code '${code}', more than one character`, `'${chars[0]}' is used`);
      }
      if (!isValidSubfieldCode(chars[0]!)) issues.report('subfield-code', pos, `${sp} has the code '${chars[0]}', not a lower-case letter or digit`);
      subfields.push({ code: chars[0]!, value: nfc(val as string, `${sp} ($${chars[0]})`) });
    });
    if (subfields.length === 0 && Array.isArray(subsIn)) issues.report('subfield', pos, `${path} (${tag}) has no subfields`);
    fields.push({ tag, ind1, ind2, subfields });
  });
  return { leader: l.slice(0, 9) + 'a' + l.slice(10), fields };
}

/** The MARC-in-JSON object for a record. */
export function recordToJson(record: MarcRecord): { leader: string; fields: Array<Record<string, unknown>> } {
  return {
    leader: record.leader,
    fields: record.fields.map((f) =>
      'subfields' in f ? { [f.tag]: { ind1: f.ind1, ind2: f.ind2, subfields: f.subfields.map((s) => ({ [s.code]: s.value })) } } : { [f.tag]: f.value },
    ),
  };
}

