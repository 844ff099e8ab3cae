import { describe, expect, it } from 'vitest';
import { sruFixture } from '../../../test/fixtures/sru/fixtures.js';
import { parseMarcXml } from '../marc/parse.js';
import type { DataField, MarcRecord } from '../marc/record.js';
import { buildSearchUrl, readSruResponse, type SruReadResult } from './reader.js';

function ok(xml: string): Extract<SruReadResult, { ok: true }> {
  const r = readSruResponse(xml);
  if (!r.ok) throw new Error(r.problem);
  return r;
}

function problem(xml: string): string {
  const r = readSruResponse(xml);
  if (r.ok) throw new Error('expected a problem');
  return r.problem;
}

/** The values of subfield `code` in fields `tag`. */
function sub(rec: MarcRecord, tag: string, code: string): string[] {
  return rec.fields.filter((f): f is DataField => f.tag === tag && 'subfields' in f).flatMap((f) => f.subfields.filter((s) => s.code === code).map((s) => s.value));
}

/** Each record's XML must parse on its own as MARCXML: the namespaces it needs are on it. */
function marc(xml: string): MarcRecord {
  const recs = parseMarcXml(xml);
  expect(recs).toHaveLength(1);
  return recs[0]!;
}

describe('reading other servers’ responses', () => {
  it('LoC-style 1.1: zs prefix, MARCXML in the default namespace, paging', () => {
    const r = ok(sruFixture('loc-1.1-marcxml.xml'));
    expect(r).toMatchObject({ version: '1.x', numberOfRecords: 57, nextRecordPosition: 3, diagnostics: [] });
    expect(r.records.map((x) => [x.position, x.schema, x.packing])).toEqual([
      [1, 'info:srw/schema/1/marcxml-v1.1', 'xml'],
      [2, 'info:srw/schema/1/marcxml-v1.1', 'xml'],
    ]);
    expect(r.records[0]!.xml.startsWith('<record xmlns="http://www.loc.gov/MARC21/slim">')).toBe(true);
    const first = marc(r.records[0]!.xml);
    expect(sub(first, '245', 'a')).toEqual(['Truyện Kiều /']);
    expect(sub(first, '245', 'c')).toEqual(['Nguyễn Du ; Đào Duy Anh khảo đính & chú thích.']);
    expect(sub(marc(r.records[1]!.xml), '245', 'a')).toEqual(['Đoạn trường tân thanh /']);
  });

  it('OCLC-style 1.1: SRW as the default namespace, mx:-prefixed MARC', () => {
    const r = ok(sruFixture('oclc-1.1-default-namespace.xml'));
    expect(r).toMatchObject({ version: '1.x', numberOfRecords: 1 });
    expect(r.records).toHaveLength(1);
    expect(r.records[0]!.xml.startsWith('<mx:record xmlns="http://www.w3.org/TR/xhtml1/strict" xmlns:mx="http://www.loc.gov/MARC21/slim">')).toBe(true);
    const rec = marc(r.records[0]!.xml);
    expect(rec.fields.find((f) => f.tag === '001')).toEqual({ tag: '001', value: 'oca07732011 ' });
    expect(sub(rec, '100', 'a')).toEqual(['Hồ Xuân Hương,']);
  });

  it('K10plus-style 2.0: the MARC prefix declared on the root is copied onto the record', () => {
    const r = ok(sruFixture('k10plus-2.0-prefixed.xml'));
    expect(r).toMatchObject({ version: '2.0', numberOfRecords: 3, nextRecordPosition: 2 });
    const x = r.records[0]!;
    expect(x).toMatchObject({ position: 1, schema: 'marcxml', packing: 'xml' });
    expect(x.xml.startsWith('<marc:record xmlns:marc="http://www.loc.gov/MARC21/slim" type="Bibliographic">')).toBe(true);
    expect(x.xml).not.toContain('xmlns:zs');
    expect(sub(marc(x.xml), '020', 'a')).toEqual(['9783110338102']);
  });

  it('DNB-style string packing: the record is unescaped, its declaration removed', () => {
    const r = ok(sruFixture('dnb-1.1-string-packed.xml'));
    const x = r.records[0]!;
    expect(x).toMatchObject({ position: 1, schema: 'MARC21-xml', packing: 'string' });
    expect(x.xml.startsWith('<record xmlns="http://www.loc.gov/MARC21/slim" type="Bibliographic">')).toBe(true);
    const rec = marc(x.xml);
    expect(sub(rec, '245', 'a')).toEqual(['Văn hoá & xã hội Việt Nam']);
    expect(sub(rec, '245', 'b')).toEqual(['<Tuyển tập>']);
  });

  it('a fatal diagnostic', () => {
    const r = ok(sruFixture('diagnostic-1.2-query-syntax.xml'));
    expect(r).toEqual({
      ok: true,
      version: '1.x',
      numberOfRecords: 0,
      records: [],
      diagnostics: [{ uri: 'info:srw/diagnostic/1/10', details: 'dc.title = (', message: 'Query syntax error' }],
    });
  });

  it('2.0 in the default namespace: an srw_dc record, a surrogate diagnostic and a non-fatal one', () => {
    const r = ok(sruFixture('surrogate-2.0.xml'));
    expect(r.version).toBe('2.0');
    expect(r.numberOfRecords).toBe(12);
    expect(r.records).toHaveLength(1);
    expect(r.records[0]!.xml).toBe(
      '<srw_dc:dc xmlns:srw_dc="info:srw/schema/1/dc-schema" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>Chiếu dời đô</dc:title><dc:creator>Lý Công Uẩn</dc:creator></srw_dc:dc>',
    );
    expect(r.diagnostics).toEqual([
      { uri: 'info:srw/diagnostic/1/80', message: 'Sort not supported' },
      { uri: 'info:srw/diagnostic/1/67', details: 'dc', message: 'Record not available in this schema', position: 12 },
    ]);
  });
});

describe('records in every packing and prefix', () => {
  const wrap = (data: string, opts: { ns?: string; packing?: string; extraNs?: string } = {}) =>
    `<s:searchRetrieveResponse xmlns:s="${opts.ns ?? 'http://www.loc.gov/zing/srw/'}"${opts.extraNs ?? ''}><s:version>1.2</s:version><s:numberOfRecords>1</s:numberOfRecords>` +
    `<s:records><s:record><s:recordSchema>marcxml</s:recordSchema>${opts.packing ? `<s:recordPacking>${opts.packing}</s:recordPacking>` : ''}` +
    `<s:recordData>${data}</s:recordData></s:record></s:records></s:searchRetrieveResponse>`;
  const MARC_BODY = '<leader>00000nam a2200000 i 4500</leader><datafield tag="245" ind1="0" ind2="0"><subfield code="a">Tắt đèn</subfield></datafield>';

  it.each<[string, string, string]>([
    ['default namespace on the record', wrap(`<record xmlns="http://www.loc.gov/MARC21/slim">${MARC_BODY}</record>`), 'xml'],
    ['no namespace at all', wrap(`<record>${MARC_BODY}</record>`), 'xml'],
    ['prefix declared on the record', wrap(`<m:record xmlns:m="http://www.loc.gov/MARC21/slim">${MARC_BODY.replace(/<(\/?)(\w)/g, '<$1m:$2')}</m:record>`), 'xml'],
    ['prefix declared on the root', wrap(`<marc:record>${MARC_BODY.replace(/<(\/?)(\w)/g, '<$1marc:$2')}</marc:record>`, { extraNs: ' xmlns:marc="http://www.loc.gov/MARC21/slim"' }), 'xml'],
    ['string packing', wrap(`&lt;record xmlns="http://www.loc.gov/MARC21/slim"&gt;${MARC_BODY.replace(/</g, '&lt;').replace(/>/g, '&gt;')}&lt;/record&gt;`, { packing: 'string' }), 'string'],
    ['string packing in CDATA', wrap(`<![CDATA[<record xmlns="http://www.loc.gov/MARC21/slim">${MARC_BODY}</record>]]>`, { packing: 'string' }), 'string'],
    ['declared xml, sent as a string', wrap(`&lt;record&gt;${MARC_BODY.replace(/</g, '&lt;').replace(/>/g, '&gt;')}&lt;/record&gt;`, { packing: 'xml' }), 'string'],
    ['2.0, default-namespace response', `<searchRetrieveResponse xmlns="http://docs.oasis-open.org/ns/search-ws/sruResponse"><numberOfRecords>1</numberOfRecords><records><record><recordSchema>marcxml</recordSchema><recordXMLEscaping>xml</recordXMLEscaping><recordData><record xmlns="http://www.loc.gov/MARC21/slim">${MARC_BODY}</record></recordData></record></records></searchRetrieveResponse>`, 'xml'],
  ])('%s', (_why, xml, packing) => {
    const r = ok(xml);
    expect(r.records).toHaveLength(1);
    expect(r.records[0]!.packing).toBe(packing);
    expect(sub(marc(r.records[0]!.xml), '245', 'a')).toEqual(['Tắt đèn']);
  });

  it('reports, without failing the page, a string record that is not XML', () => {
    const r = ok(wrap('&lt;record&gt;&lt;leader&gt;broken&lt;/record&gt;', { packing: 'string' }));
    expect(r.records[0]).toMatchObject({ packing: 'string', xml: '<record><leader>broken</record>' });
    expect(r.records[0]!.problem).toMatch(/not well-formed XML.*<\/record> closes <leader>/);
  });

  it('reports an empty recordData', () => {
    expect(ok(wrap('  ')).records[0]!.problem).toMatch(/recordData is empty/);
  });

  it('reads a searchRetrieveResponse in no namespace (home-made servers)', () => {
    const r = ok('<searchRetrieveResponse><version>2.0</version><numberOfRecords>0</numberOfRecords></searchRetrieveResponse>');
    expect(r).toMatchObject({ version: '2.0', numberOfRecords: 0, records: [] });
  });
});

describe('what is not an SRU response', () => {
  it.each<[string, string, RegExp]>([
    ['an HTML error page', sruFixture('error-page.html'), /HTML page.*503 Service Temporarily Unavailable/],
    ['an HTML page without a doctype', '<html><body>Not found</body></html>', /HTML page/],
    ['a truncated response', sruFixture('truncated.xml'), /ends before <zs:searchRetrieveResponse>|broken/],
    ['an explain response', sruFixture('explain-1.1.xml'), /<zs:explainResponse>, not a searchRetrieveResponse \(with the diagnostic info:srw\/diagnostic\/1\/4 searchretrieve\)/],
    ['another root', '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><error code="badVerb"/></OAI-PMH>', /<OAI-PMH> in the namespace http:\/\/www\.openarchives\.org\/OAI\/2\.0\/, not an SRU response/],
    ['a searchRetrieveResponse in another namespace', '<searchRetrieveResponse xmlns="urn:x"/>', /namespace urn:x/],
    ['mismatched tags', '<zs:searchRetrieveResponse xmlns:zs="http://www.loc.gov/zing/srw/"><zs:version>1.2</zs:numberOfRecords></zs:searchRetrieveResponse>', /line 1, column \d+: <\/zs:numberOfRecords> closes <zs:version>/],
    ['an undeclared prefix', '<zs:searchRetrieveResponse><zs:version>1.2</zs:version></zs:searchRetrieveResponse>', /prefix 'zs'.*not declared/],
    ['a DOCTYPE', '<!DOCTYPE x [<!ENTITY a "b">]><x/>', /DOCTYPE/],
    ['plain text', 'Service unavailable', /not XML.*Service unavailable/],
    ['JSON', '{"error":"bad"}', /not XML/],
    ['nothing', '  \n', /empty/],
    ['two roots', '<a xmlns="http://www.loc.gov/zing/srw/"/><b/>', /second root/],
    ['a bad numberOfRecords', '<searchRetrieveResponse xmlns="http://www.loc.gov/zing/srw/"><version>1.2</version><numberOfRecords>lots</numberOfRecords></searchRetrieveResponse>', /numberOfRecords is 'lots'/],
    ['1.x without numberOfRecords or diagnostics', '<searchRetrieveResponse xmlns="http://www.loc.gov/zing/srw/"><version>1.2</version></searchRetrieveResponse>', /no numberOfRecords/],
    ['a record without recordData', '<searchRetrieveResponse xmlns="http://www.loc.gov/zing/srw/"><numberOfRecords>1</numberOfRecords><records><record><recordSchema>x</recordSchema></record></records></searchRetrieveResponse>', /no recordData/],
  ])('%s', (_why, xml, message) => {
    expect(problem(xml)).toMatch(message);
  });

  it('does not throw on what is not a string', () => {
    expect(readSruResponse(undefined as unknown as string)).toEqual({ ok: false, problem: 'the response is not text' });
  });

  it('expands no entities and fetches nothing (billion laughs)', () => {
    const bomb = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><searchRetrieveResponse xmlns="http://www.loc.gov/zing/srw/">&lol2;</searchRetrieveResponse>';
    expect(problem(bomb)).toMatch(/DOCTYPE/);
  });

  it('drops characters XML cannot carry instead of failing', () => {
    const r = ok('<searchRetrieveResponse xmlns="http://www.loc.gov/zing/srw/"><numberOfRecords>0</numberOfRecords><diagnostics><diagnostic xmlns="http://www.loc.gov/zing/srw/diagnostic/"><uri>info:srw/diagnostic/1/1</uri><message>bad\u0001 byte</message></diagnostic></diagnostics></searchRetrieveResponse>');
    expect(r.diagnostics).toEqual([{ uri: 'info:srw/diagnostic/1/1', message: 'bad byte' }]);
  });
});

describe('buildSearchUrl', () => {
  it.each<[string, Parameters<typeof buildSearchUrl>[1], string]>([
    [
      'https://lx2.loc.gov/sru/lcdb',
      { version: '1.1', query: 'bath.isbn = 9786049531983' },
      'https://lx2.loc.gov/sru/lcdb?operation=searchRetrieve&version=1.1&query=bath.isbn%20%3D%209786049531983&recordSchema=marcxml&recordPacking=xml',
    ],
    [
      'http://sru.k10plus.de/opac-de-627',
      { version: '2.0', query: 'pica.tit="truyện kiều" and pica.per=du', startRecord: 11, maximumRecords: 10, recordSchema: 'marcxml' },
      'http://sru.k10plus.de/opac-de-627?version=2.0&query=pica.tit%3D%22truy%E1%BB%87n%20ki%E1%BB%81u%22%20and%20pica.per%3Ddu&startRecord=11&maximumRecords=10&recordSchema=marcxml&recordXMLEscaping=xml',
    ],
    [
      'https://opac.example.vn/cgi-bin/koha/sru?x-db=biblios&version=1.1&query=old#frag',
      { version: '1.2', query: 'dc.title=a&b+c', maximumRecords: 0 },
      'https://opac.example.vn/cgi-bin/koha/sru?x-db=biblios&operation=searchRetrieve&version=1.2&query=dc.title%3Da%26b%2Bc&maximumRecords=0&recordSchema=marcxml&recordPacking=xml',
    ],
  ])('%s', (base, opts, url) => {
    expect(buildSearchUrl(base, opts)).toBe(url);
  });

  it('sends the query in NFC, as catalogues index it', () => {
    const decomposed = 'dc.title=Tie\u0302\u0301ng Vie\u0323\u0302t';
    const url = new URL(buildSearchUrl('https://x.example/sru', { version: '1.2', query: decomposed }));
    expect(url.searchParams.get('query')).toBe(decomposed.normalize('NFC'));
  });

  it('round-trips any query through the URL', () => {
    const query = 'dc.title any "100% ? & = + # / \\ \' < >" and bath.isbn=978-604';
    expect(new URL(buildSearchUrl('https://x.example/sru', { version: '2.0', query })).searchParams.get('query')).toBe(query);
  });

  it.each<[string, string, Parameters<typeof buildSearchUrl>[1], RegExp]>([
    ['a relative URL', '/sru', { version: '1.2', query: 'a' }, /not a URL/],
    ['an ftp URL', 'ftp://x.example/sru', { version: '1.2', query: 'a' }, /not http/],
    ['startRecord 0', 'https://x.example/sru', { version: '1.2', query: 'a', startRecord: 0 }, /startRecord/],
    ['maximumRecords 2.5', 'https://x.example/sru', { version: '1.2', query: 'a', maximumRecords: 2.5 }, /maximumRecords/],
  ])('refuses %s', (_why, base, opts, message) => {
    expect(() => buildSearchUrl(base, opts)).toThrow(message);
  });
});
