import { describe, expect, it } from 'vitest';
import { fixture } from '../../../test/fixtures/marc/fixtures.js';
import type { MarcResult } from './errors.js';
import { jsonSyntaxError } from './_marcjson.js';
import { parseIso2709, parseMarcJson, readMarcJson, type MarcJsonReadOptions } from './parse.js';
import type { MarcRecord } from './record.js';
import { toMarcJson, writeMarcJson, writeMarcJsonLines } from './write.js';

const summary = (r: MarcResult): string[] => [r.ok ? 'ok' : `error: ${r.error.message}`, ...r.warnings.map((w) => `warning: ${w.message}`)];
const read = (input: string, options?: MarcJsonReadOptions) => readMarcJson(input, options).map(summary);

const RECORD: MarcRecord = {
  leader: '00000nam a2200000 i 4500',
  fields: [
    { tag: '001', value: 'VN-1' },
    { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Truyện Kiều /' }, { code: 'c', value: 'Nguyễn Du.' }] },
  ],
};
const ONE = '{"leader":"00000nam a2200000 i 4500","fields":[{"001":"VN-1"},{"245":{"ind1":"1","ind2":"0","subfields":[{"a":"Truyện Kiều /"},{"c":"Nguyễn Du."}]}}]}';

describe('MARC-in-JSON writer', () => {
  it('writes the code4lib layout', () => {
    expect(writeMarcJson(RECORD)).toBe(ONE);
    expect(toMarcJson(RECORD)).toEqual(JSON.parse(ONE));
    expect(writeMarcJson([RECORD, RECORD])).toBe(`[${ONE},${ONE}]`);
    expect(writeMarcJsonLines([RECORD, RECORD])).toBe(`${ONE}\n${ONE}\n`);
    expect(writeMarcJson(RECORD, { indent: 2 })).toBe(JSON.stringify(JSON.parse(ONE), null, 2));
  });
});

describe('MARC-in-JSON reader', () => {
  it.each([
    ['one record', ONE, 1],
    ['a JSON array', `[${ONE},\n${ONE}]`, 2],
    ['JSON Lines', `${ONE}\n${ONE}\n`, 2],
    ['pretty-printed records one after another', `${JSON.stringify(JSON.parse(ONE), null, 2)}\n${JSON.stringify(JSON.parse(ONE), null, 2)}`, 2],
    ['an empty array', '[]', 0],
    ['an empty input', '', 0],
    ['only white space', ' \n\n ', 0],
  ])('reads %s', (_name, input, count) => {
    const results = readMarcJson(input);
    expect(results.map((r) => r.ok && r.warnings.length === 0)).toEqual(Array(count).fill(true));
    for (const r of results) expect(r.ok && r.record).toEqual(RECORD);
  });

  it('takes parsed values, and bytes', () => {
    expect(parseMarcJson(JSON.parse(ONE))).toEqual([RECORD]);
    expect(parseMarcJson([JSON.parse(ONE), JSON.parse(ONE)])).toEqual([RECORD, RECORD]);
    expect(parseMarcJson(new TextEncoder().encode(ONE))).toEqual([RECORD]);
  });

  it('reads yaz’s MARC-in-JSON as the same record as the ISO 2709 it came from', () => {
    expect(parseMarcJson(fixture('yaz-golden/marc6.json'))).toEqual(parseIso2709(fixture('yaz-golden/marc6.marc')));
  });

  it('gives each record its line and column', () => {
    expect(readMarcJson(`[\n  ${ONE},\n  ${ONE}\n]`).map((r) => r.position)).toEqual([
      { record: 1, line: 2, column: 3 },
      { record: 2, line: 3, column: 3 },
    ]);
  });
});

describe('MARC-in-JSON reader: bad input', () => {
  const cases: Array<{ name: string; input: string; lenient: string[][]; strict?: string[][] }> = [
    {
      name: 'a broken line in JSON Lines',
      input: `${ONE}\n{"leader": "00000nam a2200000 i 4500", "fields": [{"245": {"ind1": "1" "ind2": "0"}}]}\n${ONE}\n`,
      lenient: [['ok'], ["error: record 2 (line 2, column 72): invalid JSON: expected ',' or '}', found '\"'"], ['ok']],
    },
    {
      name: 'an unclosed string in JSON Lines',
      input: `${ONE}\n{"leader": "00000nam a2200000 i 4500, "fields": []}\n${ONE}\n`,
      lenient: [['ok'], ['error: record 2 (line 2, column 52): a string is not closed before the end of the line; skipped to the next line'], ['ok']],
    },
    {
      name: 'a broken record in a JSON array',
      input: `[${ONE},\n{"leader": "x", "fields": [1,]},\n${ONE}]`,
      lenient: [['ok'], ["error: record 2 (line 2, column 30): invalid JSON: expected a value, found ']'"], ['ok']],
    },
    {
      name: 'garbage between records of a JSON array',
      input: `[${ONE} x ${ONE}]`,
      lenient: [['ok'], ["error: record 2 (line 1, column 153): unexpected 'x' in the JSON array; the rest of the input is not read"]],
    },
    {
      name: 'a truncated JSON array',
      input: `[${ONE},\n${ONE.slice(0, 50)}`,
      lenient: [['ok'], ['error: record 2 (line 2, column 1): the input ends inside this record']],
    },
    {
      name: 'text that is not a record',
      input: `${ONE}\nhello\n${ONE}`,
      lenient: [['ok'], ["error: record 2 (line 2, column 1): unexpected 'h' where a record ({…}) should start; skipped to the next line"], ['ok']],
    },
    {
      name: 'a record that is not an object',
      input: '[[1, 2]]',
      lenient: [["error: record 1 (line 1, column 2): unexpected '[' in the JSON array; the rest of the input is not read"]],
    },
    {
      name: 'no leader, fields not an array',
      input: '{"fields": {"245": "x"}}',
      lenient: [['error: record 1 (line 1, column 1): "fields" must be an array', 'warning: record 1 (line 1, column 1): the record has no leader; a blank one is used']],
      strict: [['error: record 1 (line 1, column 1): the record has no leader']],
    },
    {
      name: 'bad fields, indicators, codes and values',
      input: JSON.stringify({
        leader: '00000nam a2200000 i 4500',
        fields: [{ '24': 'x' }, { '245': { ind1: '10', subfields: [{ A: 'y' }, { b: 2 }, { c: null }, { d: 'e\u001ff' }] } }, { '650': 'a', '651': 'b' }, 'text'],
      }),
      lenient: [
        [
          'ok',
          "warning: record 1 (line 1, column 1): fields[0]: the tag '24' is not three characters; read as 024",
          "warning: record 1 (line 1, column 1): fields[1] (245) has ind1 '10', more than one character; '1' is used",
          'warning: record 1 (line 1, column 1): fields[1] (245) has no ind2; a blank is used',
          "warning: record 1 (line 1, column 1): fields[1] (245) subfields[0] has the code 'A', not a lower-case letter or digit",
          'warning: record 1 (line 1, column 1): fields[1] (245) subfields[1] ($b) is not a string; converted',
          'warning: record 1 (line 1, column 1): fields[1] (245) subfields[2] ($c) is not a string; dropped',
          'warning: record 1 (line 1, column 1): fields[1] (245) subfields[3] ($d) contains U+001F, the ISO 2709 delimiter or terminators; removed',
          'warning: record 1 (line 1, column 1): fields[2] must be an object with a single tag; dropped',
          'warning: record 1 (line 1, column 1): fields[3] must be an object with a single tag; dropped',
        ],
      ],
      strict: [["error: record 1 (line 1, column 1): fields[0]: the tag '24' is not three characters"]],
    },
  ];
  it.each(cases)('$name', ({ input, lenient, strict }) => {
    expect(read(input)).toEqual(lenient);
    if (strict) expect(read(input, { strict: true })).toEqual(strict);
  });

  it('repairs what it can', () => {
    const [r] = parseMarcJson('{"leader": "00000nam a2200000 i 4500", "fields": [{"245": {"ind1": "1", "ind2": "0", "subfields": [{"a": 1984}, {"b": "x\\u001fy"}]}}]}');
    expect(r!.fields).toEqual([{ tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: '1984' }, { code: 'b', value: 'xy' }] }]);
  });

  it.each([
    ['{"a" 1}', 5, "expected ':' after a property name, found '1'"],
    ['{"a": [1, 2,]}', 12, "expected a value, found ']'"],
    ['{"a": "b\nc"}', 8, 'a control character (U+000A) inside a string must be escaped'],
    ['{"a": "\\x"}', 7, "'\\x' is not a JSON escape"],
    ['{"a": tru}', 6, "expected a value, found 't'"],
    ['{"a": 1} 2', 9, "unexpected '2' after the value"],
    ['{a: 1}', 1, "expected a property name in double quotes, found 'a'"],
  ])('finds where %j stops being JSON', (text, offset, message) => {
    expect(() => JSON.parse(text)).toThrow();
    expect(jsonSyntaxError(text)).toEqual({ offset, message });
  });
});
