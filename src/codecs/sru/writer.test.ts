import { describe, expect, it } from 'vitest';
import type { DublinCore } from '../../domain/digital/object.js';
import { SRU_XSD } from '../../../test/fixtures/sru/fixtures.js';
import { describeWithXmllint, validateWithXsd } from '../../../test/xmllint.js';
import { kids, only, parseXml } from '../../../test/xml.js';
import { sruDiagnostic } from './diagnostics.js';
import { DEFAULT_CONTEXT_SETS, DEFAULT_EXPLAIN_INDEXES, explainRecord, type ExplainInput } from './explain.js';
import { readSruResponse } from './reader.js';
import { parseSruRequest, type SruSearchRetrieveRequest, type SruVersion } from './request.js';
import {
  diagnosticsOnly,
  explainResponse,
  joinChunks,
  scanResponse,
  searchRetrieveResponse,
  searchRetrieveResponseStream,
  srwDc,
  type SearchRetrieveResponseInput,
  type SruRecordOut,
} from './writer.js';

const VERSIONS: SruVersion[] = ['1.2', '2.0'];
const MARC = 'info:srw/schema/1/marcxml-v1.1';
/** Catalogue text with everything that must be escaped, and characters XML cannot carry. */
const HOSTILE = 'Văn hoá & "xã hội" <Việt Nam> \'1945\'\u0000\u0007\u000b\ufffe\ud800 ]]>';
const RECORD = (title: string) =>
  `<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 i 4500</leader><controlfield tag="001">LT-1</controlfield>` +
  `<datafield tag="245" ind1="1" ind2="0"><subfield code="a">${title}</subfield></datafield></record>`;

function request(query: string): SruSearchRetrieveRequest {
  const r = parseSruRequest(
    [
      ['version', '2.0'],
      ['query', query],
      ['maximumRecords', '2'],
      ['sortKeys', 'title'],
    ],
    { defaultVersion: '2.0', maxRecordsLimit: 50, defaultMaximumRecords: 10 },
  );
  if (!r.ok || r.request.operation !== 'searchRetrieve') throw new Error('test request did not parse');
  return r.request;
}

function searchInput(): SearchRetrieveResponseInput {
  const records: SruRecordOut[] = [
    { schema: MARC, packing: 'xml', xml: `<?xml version="1.0" encoding="UTF-8"?>\n${RECORD('Truyện Kiều')}`, position: 1 },
    { schema: MARC, packing: 'string', xml: RECORD('Lịch sử &amp; địa lý &lt;tập 1&gt;'), position: 2 },
    { diagnostic: sruDiagnostic(67, 'dc'), position: 3 },
  ];
  return {
    numberOfRecords: 1234,
    records,
    nextRecordPosition: 4,
    diagnostics: [sruDiagnostic(80, HOSTILE)],
    echoedRequest: request('dc.title = "truyện kiều" & <b>'),
    resultCountPrecision: 'estimate',
  };
}

const EXPLAIN: ExplainInput = {
  host: 'thuvien.kiengiang.example.vn',
  port: 443,
  database: 'sru',
  title: { vi: 'Mục lục liên hợp Kiên Giang', en: 'Kiên Giang union catalogue' },
  description: { vi: 'Sách & tài liệu của <các thư viện>', en: 'Books & documents of "the libraries"' },
  indexes: DEFAULT_EXPLAIN_INDEXES,
  schemas: [
    { name: 'marcxml', uri: MARC, title: 'MARCXML' },
    { name: 'dc', uri: 'info:srw/schema/1/dc-v1.1', title: 'Dublin Core' },
  ],
  defaults: { numberOfRecords: 10, maximumRecords: 100, schema: 'marcxml' },
  contextSets: DEFAULT_CONTEXT_SETS,
  supportsScan: true,
  supportsSort: false,
};

const prefix = (v: SruVersion) => (v === '1.2' ? 'srw' : 'sru');

describe('searchRetrieve responses', () => {
  it.each(VERSIONS)('%s: records, positions, next position and diagnostics in the schema order', (v) => {
    const xml = joinChunks(searchRetrieveResponse(v, searchInput()));
    const p = prefix(v);
    const root = parseXml(xml);
    expect(root.name).toBe(`${p}:searchRetrieveResponse`);
    expect(root.children.map((c) => c.name)).toEqual(
      v === '1.2'
        ? ['srw:version', 'srw:numberOfRecords', 'srw:records', 'srw:nextRecordPosition', 'srw:diagnostics']
        : ['sru:numberOfRecords', 'sru:records', 'sru:nextRecordPosition', 'sru:echoedSearchRetrieveRequest', 'sru:diagnostics', 'sru:resultCountPrecision'],
    );
    expect(only(root, `${p}:numberOfRecords`)).toBe('1234');
    const recs = kids(kids(root, `${p}:records`)[0]!, `${p}:record`);
    expect(recs.map((r) => only(r, `${p}:recordPosition`))).toEqual(['1', '2', '3']);
    const packing = v === '1.2' ? 'srw:recordPacking' : 'sru:recordXMLEscaping';
    expect(recs.map((r) => only(r, packing))).toEqual(['xml', 'string', 'xml']);
    expect(recs.map((r) => only(r, `${p}:recordSchema`))).toEqual([MARC, MARC, 'info:srw/schema/1/diagnostics-v1.1']);
    // The XML record is an element (declaration removed); the string one is text that is the record.
    const data0 = kids(recs[0]!, `${p}:recordData`)[0]!;
    expect(data0.children.map((c) => c.name)).toEqual(['record']);
    expect(only(recs[1]!, `${p}:recordData`)).toBe(RECORD('Lịch sử &amp; địa lý &lt;tập 1&gt;'));
    const surrogate = kids(recs[2]!, `${p}:recordData`)[0]!.children[0]!;
    expect(surrogate.name).toBe('diag:diagnostic');
    expect(only(surrogate, 'diag:uri')).toBe('info:srw/diagnostic/1/67');
    const diag = kids(kids(root, `${p}:diagnostics`)[0]!, 'diag:diagnostic')[0]!;
    expect(only(diag, 'diag:uri')).toBe('info:srw/diagnostic/1/80');
    expect(only(diag, 'diag:details')).toBe('Văn hoá & "xã hội" <Việt Nam> \'1945\' ]]>');
    expect(only(diag, 'diag:message')).toBe('Sort not supported');
    if (v === '2.0') {
      expect(only(root, 'sru:resultCountPrecision')).toBe('info:srw/vocabulary/resultCountPrecision/1/estimate');
      const echo = kids(root, 'sru:echoedSearchRetrieveRequest')[0]!;
      expect(only(echo, 'sru:query')).toBe('dc.title = "truyện kiều" & <b>');
      expect(echo.children.map((c) => c.name)).toEqual([
        'sru:queryType',
        'sru:query',
        'sru:startRecord',
        'sru:maximumRecords',
        'sru:recordXMLEscaping',
        'sru:recordSchema',
        'sru:sortKeys',
      ]);
    } else {
      expect(only(root, 'srw:version')).toBe('1.2');
      expect(xml).not.toContain('echoedSearchRetrieveRequest');
    }
  });

  it.each(VERSIONS)('%s: diagnostic messages in Vietnamese on request', (v) => {
    const xml = joinChunks(searchRetrieveResponse(v, { numberOfRecords: 0, records: [], diagnostics: [sruDiagnostic(61)], lang: 'vi' }));
    expect(xml).toContain('<diag:message>Vị trí biểu ghi đầu tiên nằm ngoài phạm vi</diag:message>');
  });

  it.each(VERSIONS)('%s: no <records> when there are none, and a count of 0 for a bad count', (v) => {
    const xml = joinChunks(searchRetrieveResponse(v, { numberOfRecords: -3, records: [] }));
    expect(xml).not.toContain('records>');
    expect(xml).toContain(`<${prefix(v)}:numberOfRecords>0</${prefix(v)}:numberOfRecords>`);
  });

  it('leaves out positions that are not positive whole numbers', () => {
    const xml = joinChunks(searchRetrieveResponse('1.2', { numberOfRecords: 1, nextRecordPosition: 0, records: [{ schema: MARC, packing: 'xml', xml: RECORD('x'), position: 1.5 }] }));
    expect(xml).not.toContain('recordPosition');
    expect(xml).not.toContain('nextRecordPosition');
  });

  it('streams the same document from an async source, chunk by chunk', async () => {
    async function* records() {
      yield* searchInput().records;
    }
    const chunks: string[] = [];
    for await (const c of searchRetrieveResponseStream('2.0', { ...searchInput(), records: records() })) chunks.push(c);
    const sync = [...searchRetrieveResponse('2.0', searchInput())];
    expect(chunks).toEqual(sync);
    expect(chunks.length).toBeGreaterThan(4);
  });

  it.each(VERSIONS)('%s: what we write, the reader reads back', (v) => {
    const back = readSruResponse(joinChunks(searchRetrieveResponse(v, searchInput())));
    if (!back.ok) throw new Error(back.problem);
    expect(back).toMatchObject({ version: v === '1.2' ? '1.x' : '2.0', numberOfRecords: 1234, nextRecordPosition: 4 });
    expect(back.records.map((r) => [r.position, r.packing, r.xml])).toEqual([
      [1, 'xml', RECORD('Truyện Kiều')],
      [2, 'string', RECORD('Lịch sử &amp; địa lý &lt;tập 1&gt;')],
    ]);
    expect(back.diagnostics.map((d) => [d.uri, d.position])).toEqual([
      ['info:srw/diagnostic/1/80', undefined],
      ['info:srw/diagnostic/1/67', 3],
    ]);
  });
});

describe('scan responses', () => {
  const terms = [
    { value: 'kiều', numberOfRecords: 12, displayTerm: 'Kiều', whereInList: 'first' as const },
    { value: 'kiều & <lục vân tiên>', numberOfRecords: 3 },
    { value: 'kinh', displayTerm: 'Kinh "thánh"', whereInList: 'last' as const },
  ];

  it('1.2: terms in the SRW namespace, with the version', () => {
    const root = parseXml(joinChunks(scanResponse('1.2', { terms })));
    expect(root.name).toBe('srw:scanResponse');
    expect(root.attrs['xmlns:srw']).toBe('http://www.loc.gov/zing/srw/');
    expect(only(root, 'srw:version')).toBe('1.2');
    const list = kids(kids(root, 'srw:terms')[0]!, 'srw:term');
    expect(list.map((t) => only(t, 'srw:value'))).toEqual(['kiều', 'kiều & <lục vân tiên>', 'kinh']);
    expect(list[0]!.children.map((c) => c.name)).toEqual(['srw:value', 'srw:numberOfRecords', 'srw:displayTerm', 'srw:whereInList']);
  });

  it('2.0: terms in the scan namespace, without a version', () => {
    const root = parseXml(joinChunks(scanResponse('2.0', { terms, diagnostics: [sruDiagnostic(121, '20')] })));
    expect(root.name).toBe('scan:scanResponse');
    expect(root.attrs['xmlns:scan']).toBe('http://docs.oasis-open.org/ns/search-ws/scan');
    expect(kids(root, 'scan:version')).toEqual([]);
    expect(kids(kids(root, 'scan:terms')[0]!, 'scan:term')).toHaveLength(3);
    expect(only(kids(kids(root, 'scan:diagnostics')[0]!, 'diag:diagnostic')[0]!, 'diag:details')).toBe('20');
  });
});

describe('explain', () => {
  const record = explainRecord(EXPLAIN);

  it('writes a ZeeRex record in the ZeeRex order, escaping the text', () => {
    const root = parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n${record}`);
    expect(root.name).toBe('explain');
    expect(root.attrs.xmlns).toBe('http://explain.z3950.org/dtd/2.0/');
    expect(root.children.map((c) => c.name)).toEqual(['serverInfo', 'databaseInfo', 'indexInfo', 'schemaInfo', 'configInfo']);
    const server = root.children[0]!;
    expect([only(server, 'host'), only(server, 'port'), only(server, 'database')]).toEqual(['thuvien.kiengiang.example.vn', '443', 'sru']);
    expect(server.attrs).toMatchObject({ protocol: 'SRU', version: '1.2' });
    const db = root.children[1]!;
    expect(kids(db, 'description').map((d) => [d.attrs.lang, d.text])).toEqual([
      ['vi', 'Sách & tài liệu của <các thư viện>'],
      ['en', 'Books & documents of "the libraries"'],
    ]);
    const indexInfo = root.children[2]!;
    expect(kids(indexInfo, 'set').map((s) => s.attrs.name)).toEqual(['cql', 'dc', 'bath']);
    const names = kids(indexInfo, 'index').map((ix) => {
      const name = kids(kids(ix, 'map')[0]!, 'name')[0]!;
      return `${name.attrs.set}.${name.text}`;
    });
    expect(names).toEqual([
      'cql.serverChoice',
      'cql.allRecords',
      'dc.title',
      'dc.creator',
      'dc.subject',
      'dc.publisher',
      'dc.date',
      'dc.identifier',
      'bath.isbn',
      'bath.issn',
      'bath.title',
      'bath.author',
      'bath.subject',
      'bath.any',
    ]);
    expect(kids(indexInfo, 'index')[2]!.attrs).toEqual({ search: 'true', scan: 'true', sort: 'false' });
    const config = root.children[4]!;
    expect(config.children.map((c) => [c.name, c.attrs.type, c.text])).toEqual([
      ['default', 'numberOfRecords', '10'],
      ['default', 'retrieveSchema', 'marcxml'],
      ['setting', 'maximumRecords', '100'],
    ]);
  });

  it('says it supports sort when it does', () => {
    expect(explainRecord({ ...EXPLAIN, supportsSort: true })).toContain('<supports type="sort"/>');
  });

  it.each<[string, Partial<ExplainInput>, RegExp]>([
    ['an empty host', { host: ' ' }, /host is empty/],
    ['a port out of range', { port: 70000 }, /port 70000/],
    ['an index of an unlisted context set', { indexes: [{ set: 'rec', name: 'id', title: 'Id' }] }, /rec\.id/],
    ['a default schema not offered', { defaults: { numberOfRecords: 10, maximumRecords: 100, schema: 'mods' } }, /mods/],
    ['a negative default', { defaults: { numberOfRecords: -1, maximumRecords: 100, schema: 'marcxml' } }, /numberOfRecords -1/],
  ])('refuses %s', (_why, change, message) => {
    expect(() => explainRecord({ ...EXPLAIN, ...change })).toThrow(message);
  });

  it.each(VERSIONS)('%s: wraps the record in an explain response, as XML or as a string', (v) => {
    const p = prefix(v);
    const root = parseXml(joinChunks(explainResponse(v, record)));
    const rec = kids(root, `${p}:record`)[0]!;
    expect(only(rec, `${p}:recordSchema`)).toBe('http://explain.z3950.org/dtd/2.0/');
    expect(kids(rec, `${p}:recordData`)[0]!.children[0]!.name).toBe('explain');
    const asString = parseXml(joinChunks(explainResponse(v, record, { packing: 'string' })));
    expect(only(kids(asString, `${p}:record`)[0]!, `${p}:recordData`)).toBe(record);
  });
});

describe('diagnostics-only responses', () => {
  const diags = [sruDiagnostic(7, 'query'), sruDiagnostic(8, 'foo')];

  it.each(VERSIONS)('%s: a failed searchRetrieve says 0 records', (v) => {
    const root = parseXml(joinChunks(diagnosticsOnly(v, 'searchRetrieve', diags)));
    expect(only(root, `${prefix(v)}:numberOfRecords`)).toBe('0');
    expect(kids(kids(root, `${prefix(v)}:diagnostics`)[0]!, 'diag:diagnostic')).toHaveLength(2);
  });

  it.each(VERSIONS)('%s: a failed explain carries the first diagnostic as a surrogate record', (v) => {
    const p = prefix(v);
    const root = parseXml(joinChunks(diagnosticsOnly(v, 'explain', [sruDiagnostic(5, '2.0')])));
    expect(root.name).toBe(`${p}:explainResponse`);
    const rec = kids(root, `${p}:record`)[0]!;
    expect(only(rec, `${p}:recordSchema`)).toBe('info:srw/schema/1/diagnostics-v1.1');
    expect(only(kids(kids(root, `${p}:diagnostics`)[0]!, 'diag:diagnostic')[0]!, 'diag:details')).toBe('2.0');
  });

  it.each(VERSIONS)('%s: a failed scan has no terms', (v) => {
    const xml = joinChunks(diagnosticsOnly(v, 'scan', diags));
    expect(xml).not.toContain('terms>');
    expect(xml).toContain('<diag:uri>info:srw/diagnostic/1/7</diag:uri>');
  });
});

describe('srw_dc records', () => {
  it('writes the Dublin Core elements in order, escaped, without empty values', () => {
    const xml = srwDc({ creator: ['Nguyễn Du'], title: ['Truyện Kiều', ' ', 'Kim Vân Kiều <tân truyện> & "chú giải"'], date: ['2015'], identifier: [] });
    expect(xml).toBe(
      '<srw_dc:dc xmlns:srw_dc="info:srw/schema/1/dc-schema" xmlns:dc="http://purl.org/dc/elements/1.1/">' +
        '<dc:title>Truyện Kiều</dc:title><dc:title>Kim Vân Kiều &lt;tân truyện&gt; &amp; &quot;chú giải&quot;</dc:title>' +
        '<dc:creator>Nguyễn Du</dc:creator><dc:date>2015</dc:date></srw_dc:dc>',
    );
  });

  it('takes the Dublin Core the digital library keeps', () => {
    const dc: DublinCore = { title: ['Bản đồ An Giang'], rights: ['CC BY 4.0'] };
    expect(srwDc(dc)).toContain('<dc:title>Bản đồ An Giang</dc:title><dc:rights>CC BY 4.0</dc:rights>');
  });

  it('drops characters XML cannot carry', () => {
    const root = parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n${srwDc({ title: [HOSTILE] })}`);
    expect(only(root, 'dc:title')).toBe('Văn hoá & "xã hội" <Việt Nam> \'1945\' ]]>');
  });
});

describeWithXmllint('the responses validate against the official SRU schemas', () => {
  function valid(xml: string, xsd: string): void {
    const r = validateWithXsd(xml, xsd);
    if (!r.ok) throw new Error(`${r.output}\n---\n${xml}`);
    expect(r.ok).toBe(true);
  }
  const xsdFor = (v: SruVersion) => SRU_XSD[v];

  it.each(VERSIONS)('%s searchRetrieve with records, a surrogate, diagnostics, echo', (v) => valid(joinChunks(searchRetrieveResponse(v, searchInput())), xsdFor(v)));
  it.each(VERSIONS)('%s searchRetrieve with no records', (v) => valid(joinChunks(searchRetrieveResponse(v, { numberOfRecords: 0, records: [] })), xsdFor(v)));
  it.each(VERSIONS)('%s searchRetrieve of srw_dc records', (v) =>
    valid(joinChunks(searchRetrieveResponse(v, { numberOfRecords: 1, records: [{ schema: 'info:srw/schema/1/dc-v1.1', packing: 'xml', xml: srwDc({ title: [HOSTILE] }), position: 1 }] })), xsdFor(v)),
  );
  const scanTerms = [
    { value: 'kiều', numberOfRecords: 2, displayTerm: 'Kiều', whereInList: 'first' as const },
    { value: HOSTILE, extraTermData: '<lt:libraries xmlns:lt="https://lienthong.example.vn/ns/scan">3</lt:libraries>' },
  ];
  it('1.2 scan', () => valid(joinChunks(scanResponse('1.2', { terms: scanTerms, diagnostics: [sruDiagnostic(121, '20')] })), SRU_XSD['1.2']));
  it('2.0 scan', () => valid(joinChunks(scanResponse('2.0', { terms: scanTerms, diagnostics: [sruDiagnostic(121, '20')] })), SRU_XSD['2.0-scan']));
  it.each(VERSIONS)('%s explain, as XML and as a string', (v) => {
    valid(joinChunks(explainResponse(v, explainRecord(EXPLAIN), { diagnostics: [sruDiagnostic(8, 'x')] })), xsdFor(v));
    valid(joinChunks(explainResponse(v, explainRecord(EXPLAIN), { packing: 'string' })), xsdFor(v));
  });
  it.each(VERSIONS)('%s diagnostics-only responses for each operation', (v) => {
    const diags = [sruDiagnostic(7, 'query'), sruDiagnostic(1, HOSTILE)];
    valid(joinChunks(diagnosticsOnly(v, 'searchRetrieve', diags)), xsdFor(v));
    valid(joinChunks(diagnosticsOnly(v, 'explain', diags)), xsdFor(v));
    valid(joinChunks(diagnosticsOnly(v, 'explain', [])), xsdFor(v));
    valid(joinChunks(diagnosticsOnly(v, 'scan', diags)), v === '1.2' ? SRU_XSD['1.2'] : SRU_XSD['2.0-scan']);
  });

  it('the schemas do catch mistakes (a record without recordPacking is not valid 1.2)', () => {
    const bad = joinChunks(searchRetrieveResponse('1.2', searchInput())).replace('<srw:recordPacking>xml</srw:recordPacking>', '');
    expect(validateWithXsd(bad, SRU_XSD['1.2']).ok).toBe(false);
    const badCount = joinChunks(searchRetrieveResponse('2.0', { numberOfRecords: 1, records: [] })).replace('>1<', '>many<');
    expect(validateWithXsd(badCount, SRU_XSD['2.0']).ok).toBe(false);
  });
});
