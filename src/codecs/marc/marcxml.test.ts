import { describe, expect, it } from 'vitest';
import { fixture } from '../../../test/fixtures/marc/fixtures.js';
import type { MarcIssue, MarcResult } from './errors.js';
import { parseIso2709, parseMarcXml, readMarcXml, type MarcXmlReadOptions } from './parse.js';
import { firstSubfield, type MarcRecord } from './record.js';
import { writeMarcXml } from './write.js';

const summary = (r: MarcResult): string[] => [r.ok ? 'ok' : `error: ${r.error.message}`, ...r.warnings.map((w) => `warning: ${w.message}`)];
const read = (xml: string | Uint8Array, options?: MarcXmlReadOptions) => readMarcXml(xml, options).map(summary);

const NS = 'http://www.loc.gov/MARC21/slim';
const rec = (body: string, leader = '00000nam a2200000 i 4500') => `<record><leader>${leader}</leader>${body}</record>`;
const RECORD: MarcRecord = {
  leader: '00000nam a2200000 i 4500',
  fields: [
    { tag: '001', value: 'VN-1' },
    { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'Truyện Kiều /' }, { code: 'c', value: 'Nguyễn Du.' }] },
  ],
};
const body = `<controlfield tag="001">VN-1</controlfield><datafield tag="245" ind1="1" ind2="0"><subfield code="a">Truyện Kiều /</subfield><subfield code="c">Nguyễn Du.</subfield></datafield>`;

describe('MARCXML reader', () => {
  it.each([
    ['a collection with the default namespace', `<collection xmlns="${NS}">${rec(body)}</collection>`],
    ['a single record', `<?xml version="1.0" encoding="UTF-8"?>\n<record xmlns="${NS}"><leader>00000nam a2200000 i 4500</leader>${body}</record>`],
    ['a prefix', `<marc:collection xmlns:marc="${NS}">${rec(body).replace(/<(\/?)/g, '<$1marc:')}</marc:collection>`],
    ['no namespace at all', `<collection>${rec(body)}</collection>`],
    ['white space, comments and processing instructions', `<?xml version="1.0"?>\n<!-- export -->\n<collection xmlns="${NS}">\n  ${rec(body)}\n  <?pi x?>\n</collection>\n`],
    ['CDATA', `<collection xmlns="${NS}">${rec(body.replace('Nguyễn Du.', '<![CDATA[Nguyễn]]> Du.'))}</collection>`],
    ['character references', `<collection xmlns="${NS}">${rec(body.replace('Truyện Kiều', 'Truy&#7879;n Ki&#x1EC1;u'))}</collection>`],
    ['records inside an OAI-PMH response', `<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords><record><header><identifier>oai:x:1</identifier></header><metadata><marc:record xmlns:marc="${NS}"><marc:leader>00000nam a2200000 i 4500</marc:leader>${body.replace(/<(\/?)/g, '<$1marc:')}</marc:record></metadata></record></ListRecords></OAI-PMH>`],
    ['an NFD input (normalised to NFC)', `<collection xmlns="${NS}">${rec(body.normalize('NFD'))}</collection>`],
  ])('reads %s', (_name, xml) => {
    expect(readMarcXml(xml)).toEqual([{ ok: true, record: RECORD, warnings: [], position: expect.objectContaining({ record: 1 }) }]);
  });

  it('decodes the five predefined entities', () => {
    const [r] = parseMarcXml(`<collection>${rec('<datafield tag="245" ind1="0" ind2="0"><subfield code="a">&amp; &lt; &gt; &quot; &apos;</subfield></datafield>')}</collection>`);
    expect(firstSubfield(r!, '245', 'a')).toBe(`& < > " '`);
  });

  it('reads the encoding in the XML declaration', () => {
    const latin1 = Uint8Array.from(`<?xml version="1.0" encoding="ISO-8859-1"?><collection>${rec('<datafield tag="245" ind1="0" ind2="0"><subfield code="a">Caf\xe9</subfield></datafield>')}</collection>`, (c) => c.charCodeAt(0));
    expect(firstSubfield(parseMarcXml(latin1)[0]!, '245', 'a')).toBe('Café');
  });

  it('gives each record its line and column', () => {
    const xml = `<collection xmlns="${NS}">\n  ${rec(body)}\n  ${rec(body)}\n</collection>`;
    expect(readMarcXml(xml).map((r) => r.position)).toEqual([
      { record: 1, line: 2, column: 3 },
      { record: 2, line: 3, column: 3 },
    ]);
  });

  it('reads no records, and no error, from an empty input or an empty collection', () => {
    expect(readMarcXml('')).toEqual([]);
    expect(readMarcXml(new Uint8Array(0))).toEqual([]);
    expect(readMarcXml(`<collection xmlns="${NS}"/>`)).toEqual([]);
  });

  it('reads yaz’s MARCXML as the same records as the ISO 2709 it came from', () => {
    expect(parseMarcXml(fixture('yaz-golden/marc6.xml'))).toEqual(parseIso2709(fixture('yaz-golden/marc6.marc')));
    expect(parseMarcXml(fixture('vietnamese-synthetic/vi-synthetic.marcxml'))).toEqual(
      parseIso2709(fixture('vietnamese-synthetic/vi-synthetic.utf8.mrc')).map((r) => ({ ...r, leader: '00000nam a2200000 a 4500' })),
    );
    expect(parseMarcXml(fixture('pymarc/batch.xml'))).toHaveLength(2);
  });
});

describe('MARCXML reader: DOCTYPE and entity declarations are refused', () => {
  it.each([
    ['an internal entity', `<?xml version="1.0"?>\n<!DOCTYPE collection [<!ENTITY title "Boom">]>\n<collection>${rec('<datafield tag="245" ind1="0" ind2="0"><subfield code="a">&title;</subfield></datafield>')}</collection>`],
    ['an external entity (XXE)', `<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n<collection>${rec('<controlfield tag="001">&xxe;</controlfield>')}</collection>`],
    ['the billion laughs', `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;">]>\n<collection>${rec('<controlfield tag="001">&lol2;</controlfield>')}</collection>`],
    ['a plain DOCTYPE', `<?xml version="1.0"?>\n<!DOCTYPE collection SYSTEM "MARC21slim.dtd">\n<collection>${rec(body)}</collection>`],
  ])('%s: one error, nothing read', (_name, xml) => {
    expect(read(xml)).toEqual(['error: record 1 (line 2, column 1): <!DOCTYPE is refused: MARCXML input may not declare a DOCTYPE or entities (nothing is expanded or fetched)'].map((e) => [e]));
  });

  it('refuses a DOCTYPE after records, keeping what came before', () => {
    expect(read(`<collection>${rec(body)}\n<!ENTITY x "y"></collection>`)).toEqual([['ok'], ['error: record 2 (line 2, column 1): <!ENTITY is refused: MARCXML input may not declare a DOCTYPE or entities (nothing is expanded or fetched)']]);
  });
});

describe('MARCXML reader: bad input', () => {
  const three = (middle: string) => `<collection xmlns="${NS}">\n${rec(body)}\n${middle}\n${rec(body)}\n</collection>\n`;
  const cases: Array<{ name: string; xml: string; lenient: string[][]; strict?: string[][] }> = [
    {
      name: 'a mismatched end tag in the middle record',
      xml: three(rec('<datafield tag="245" ind1="1" ind2="0"><subfield code="a">Broken</datafield>')),
      lenient: [['ok'], ['error: record 2 (line 3, column 114): the end tag </datafield> does not match <subfield> (line 3, column 89)'], ['ok']],
    },
    {
      name: 'an unclosed tag in the middle record',
      xml: three(rec('<datafield tag="245" ind1="1" ind2="0"<subfield code="a">Broken</subfield></datafield>')),
      lenient: [['ok'], ['error: record 2 (line 3, column 50): the tag \'<datafield tag="245" ind1="1" ind2="0"\' is not closed with \'>\''], ['ok']],
    },
    {
      name: 'an unquoted attribute',
      xml: three(rec('<controlfield tag=001>x</controlfield>')),
      lenient: [['ok'], ['error: record 2 (line 3, column 50): the value of attribute tag of <controlfield> is not quoted'], ['ok']],
    },
    {
      name: 'a record that is never closed',
      xml: `<collection>\n${rec(body).replace('</record>', '')}\n${rec(body)}\n</collection>`,
      lenient: [['error: record 1 (line 3, column 1): a <record> starts inside this record, which has no </record>'], ['ok']],
    },
    {
      name: 'a file that ends inside a record',
      xml: `<collection>\n${rec(body)}\n${rec(body).slice(0, 49)}`,
      lenient: [['ok'], ['error: record 2 (line 3, column 1): the input ends inside this <record>']],
    },
    {
      name: 'a file that ends inside a tag',
      xml: `<collection>\n${rec(body)}\n${rec(body).slice(0, 60)}`,
      lenient: [['ok'], ['error: record 2 (line 3, column 50): the input ends inside a tag']],
    },
    {
      name: 'a bare & and an unknown entity',
      xml: `<collection>${rec('<datafield tag="245" ind1="1" ind2="0"><subfield code="a">A & B &nbsp;C</subfield></datafield>')}</collection>`,
      lenient: [
        [
          'ok',
          "warning: record 1 (line 1, column 122): text: '&' is not a complete reference; kept as text",
          'warning: record 1 (line 1, column 126): text: &nbsp; is not one of the five entities XML predefines (no others are expanded); kept as text',
        ],
      ],
      strict: [["error: record 1 (line 1, column 122): text: '&' is not a complete reference"]],
    },
    {
      name: 'a control character and a reference to one',
      xml: `<collection>${rec('<datafield tag="245" ind1="1" ind2="0"><subfield code="a">A\x1bB&#x1F;C</subfield></datafield>')}</collection>`,
      lenient: [
        [
          'ok',
          'warning: record 1 (line 1, column 121): text contains the character U+001B, which XML does not allow; dropped',
          'warning: record 1 (line 1, column 122): text: &#x1F; refers to U+001F, which XML does not allow; dropped',
        ],
      ],
      strict: [['error: record 1 (line 1, column 121): text contains the character U+001B, which XML does not allow']],
    },
    {
      name: 'bad indicators, codes and tags, no leader',
      xml: `<collection><record><datafield tag="24" ind1="-" ind2=""><subfield code="AB">x</subfield><subfield>y</subfield></datafield><controlfield tag="ABCD">z</controlfield></record></collection>`,
      lenient: [
        [
          'ok',
          "warning: record 1 (line 1, column 21): the tag '24' is not three characters; read as 024",
          "warning: record 1 (line 1, column 21): field 024 has ind1='-', not a blank, digit or lower-case letter",
          'warning: record 1 (line 1, column 21): field 024 has no ind2; a blank is used',
          "warning: record 1 (line 1, column 58): field 024 has the subfield code 'AB', more than one character; 'A' is used",
          "warning: record 1 (line 1, column 58): field 024 has the subfield code 'A', not a lower-case letter or digit",
          "warning: record 1 (line 1, column 90): a <subfield> of field 024 has no code; its text 'y' is dropped",
          "warning: record 1 (line 1, column 124): the tag 'ABCD' is not three letters or digits; the field is dropped",
          'warning: record 1 (line 1, column 13): the record has no <leader>; a blank one is used',
        ],
      ],
      strict: [["error: record 1 (line 1, column 21): the tag '24' is not three characters"]],
    },
    {
      name: 'a leader of the wrong length',
      xml: `<collection>${rec(body, '01234nam a22')}</collection>`,
      lenient: [['ok', 'warning: record 1 (line 1, column 21): the leader is 12 characters, not 24; padded with blanks']],
      strict: [['error: record 1 (line 1, column 21): the leader is 12 characters, not 24']],
    },
  ];
  it.each(cases)('$name', ({ xml, lenient, strict }) => {
    expect(read(xml)).toEqual(lenient);
    if (strict) expect(read(xml, { strict: true })).toEqual(strict);
  });

  it('invalid UTF-8 in the text: U+FFFD with a warning at its line and column', () => {
    const bytes = new TextEncoder().encode(`<collection>\n${rec('<datafield tag="245" ind1="1" ind2="0"><subfield code="a">Caf__</subfield></datafield>')}</collection>`);
    const at = bytes.indexOf(0x5f);
    bytes.set([0xc3, 0x28], at);
    expect(read(bytes)).toEqual([['ok', 'warning: record 1 (line 2, column 111): text contains bytes that are not valid UTF-8; replaced with U+FFFD']]);
    expect(firstSubfield(parseMarcXml(bytes)[0]!, '245', 'a')).toBe('Caf\uFFFD(');
  });

  it("ruby-marc's three-records-second-bad.xml: the first and third records intact", () => {
    expect(read(fixture('ruby-marc/three-records-second-bad.xml'))).toEqual([
      ['ok'],
      [
        'ok',
        'warning: record 2 (line 72, column 29): attribute code of <subfield> contains the character U+0007, which XML does not allow; dropped',
        "warning: record 2 (line 72, column 13): a <subfield> of field 245 has no code; its text '[sound recording] /' is dropped",
      ],
      ['ok'],
    ]);
    expect(read(fixture('ruby-marc/three-records-second-bad.xml'), { strict: true })).toEqual([
      ['ok'],
      ['error: record 2 (line 72, column 29): attribute code of <subfield> contains the character U+0007, which XML does not allow'],
      ['ok'],
    ]);
  });

  it("pymarc's bad_tag.xml: a two-digit tag and a short leader, repaired", () => {
    expect(read(fixture('pymarc/bad_tag.xml'))).toEqual([
      [
        'ok',
        "warning: record 1 (line 12, column 3): the tag '42' is not three characters; read as 042",
        'warning: record 1 (line 3, column 3): the leader is 17 characters, not 24; padded with blanks',
      ],
    ]);
  });
});

describe('MARCXML writer', () => {
  it('writes the layout yaz-marcdump writes', () => {
    expect(writeMarcXml([RECORD])).toBe(
      [
        `<collection xmlns="${NS}">`,
        '<record>',
        '  <leader>00000nam a2200000 i 4500</leader>',
        '  <controlfield tag="001">VN-1</controlfield>',
        '  <datafield tag="245" ind1="1" ind2="0">',
        '    <subfield code="a">Truyện Kiều /</subfield>',
        '    <subfield code="c">Nguyễn Du.</subfield>',
        '  </datafield>',
        '</record>',
        '</collection>',
        '',
      ].join('\n'),
    );
    expect(writeMarcXml(RECORD, { xmlDeclaration: true }).split('\n').slice(0, 2)).toEqual(['<?xml version="1.0" encoding="UTF-8"?>', `<record xmlns="${NS}">`]);
  });

  it('escapes markup and keeps white space that XML would otherwise change', () => {
    const r: MarcRecord = { leader: RECORD.leader, fields: [{ tag: '500', ind1: ' ', ind2: '"', subfields: [{ code: '&', value: `a<b>&"c'\td\r\ne` }] }] };
    const xml = writeMarcXml(r);
    expect(xml).toContain(`<datafield tag="500" ind1=" " ind2="&quot;">`);
    expect(xml).toContain(`<subfield code="&amp;">a&lt;b&gt;&amp;&quot;c&apos;\td&#13;\ne</subfield>`);
    expect(parseMarcXml(xml)).toEqual([r]);
  });

  it('drops characters XML cannot carry, with a warning for each', () => {
    const warnings: MarcIssue[] = [];
    const r: MarcRecord = { leader: RECORD.leader, fields: [{ tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: 'A\x1bB\u0000C\ud800D\uffffE' }] }] };
    const xml = writeMarcXml([r], { onWarning: (w) => warnings.push(w) });
    expect(xml).toContain('<subfield code="a">ABCDE</subfield>');
    expect(warnings.map((w) => w.message)).toEqual([
      'record 1: field 245 $a contains the character U+001B, which XML cannot carry; dropped',
      'record 1: field 245 $a contains the character U+0000, which XML cannot carry; dropped',
      'record 1: field 245 $a contains the character U+D800, which XML cannot carry; dropped',
      'record 1: field 245 $a contains the character U+FFFF, which XML cannot carry; dropped',
    ]);
    expect(readMarcXml(xml, { strict: true })[0]!.ok).toBe(true);
  });

  it('keeps characters outside the BMP (surrogate pairs) whole', () => {
    const r: MarcRecord = { leader: RECORD.leader, fields: [{ tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: '𠀀 𤴓' }] }] };
    expect(parseMarcXml(writeMarcXml(r))).toEqual([r]);
  });
});
