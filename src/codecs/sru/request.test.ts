import { describe, expect, it } from 'vitest';
import { parseSruRequest, resolveRecordSchema, type SruRequestOptions } from './request.js';

const OPTS: SruRequestOptions = { defaultVersion: '1.2', maxRecordsLimit: 100, defaultMaximumRecords: 10 };

/** `a=1&b=2` → pairs (values percent-decoded, as a server framework hands them over). */
function q(query: string): Array<[string, string]> {
  if (query === '') return [];
  return query.split('&').map((part) => {
    const i = part.indexOf('=');
    return (i < 0 ? [part, ''] : [decodeURIComponent(part.slice(0, i)), decodeURIComponent(part.slice(i + 1))]) as [string, string];
  });
}

function fails(query: string, opts: SruRequestOptions = OPTS) {
  const r = parseSruRequest(q(query), opts);
  if (r.ok) throw new Error(`expected diagnostics for ${query}`);
  return r;
}

function parses(query: string, opts: SruRequestOptions = OPTS) {
  const r = parseSruRequest(q(query), opts);
  if (!r.ok) throw new Error(`expected a request for ${query}, got ${JSON.stringify(r.diagnostics)}`);
  return r.request;
}

describe('version and operation', () => {
  it.each<[string, SruRequestOptions['defaultVersion'], string, string]>([
    ['', '1.2', 'explain', '1.2'],
    ['', '2.0', 'explain', '2.0'],
    ['version=1.1&operation=explain', '2.0', 'explain', '1.2'],
    ['version=1.2&operation=searchRetrieve&query=a', '2.0', 'searchRetrieve', '1.2'],
    ['version=1.2&operation=scan&scanClause=dc.title%3Da', '2.0', 'scan', '1.2'],
    ['version=2.0&query=a', '1.2', 'searchRetrieve', '2.0'],
    ['version=2.0&scanClause=dc.title%3Da', '1.2', 'scan', '2.0'],
    ['version=2.0', '1.2', 'explain', '2.0'],
    ['version=2.0&operation=searchRetrieve&query=a', '1.2', 'searchRetrieve', '2.0'],
    ['query=a', '2.0', 'searchRetrieve', '2.0'],
    ['recordPacking=xml', '1.2', 'explain', '1.2'],
    ['operation=explain', '1.2', 'explain', '1.2'],
  ])('%j (default %s) is %s in %s', (query, defaultVersion, operation, version) => {
    const r = parses(query, { ...OPTS, defaultVersion });
    expect(r.operation).toBe(operation);
    expect(r.version).toBe(version);
  });

  it('keeps the version the client sent', () => {
    expect(parses('version=1.1&operation=explain').requestedVersion).toBe('1.1');
    expect(parses('').requestedVersion).toBeUndefined();
  });

  it.each(['3.0', '1.0', '2', '1.2 ', 'abc', '2.0.0'])('answers version=%j with diagnostic 5 in 2.0, naming 2.0', (v) => {
    const r = fails(`version=${encodeURIComponent(v)}&operation=searchRetrieve&query=a`);
    expect(r.version).toBe('2.0');
    expect(r.operation).toBe('searchRetrieve');
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 5, uri: 'info:srw/diagnostic/1/5', details: '2.0' })]);
  });

  it('answers an unsupported version of a scan as a scan', () => {
    expect(fails('version=9.9&scanClause=a').operation).toBe('scan');
  });

  it('answers an unknown operation with diagnostic 4, as explain', () => {
    const r = fails('version=1.2&operation=update');
    expect(r.operation).toBe('explain');
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 4, details: 'update' })]);
  });

  it('in 1.2, a query without an operation is diagnostic 7 (operation)', () => {
    const r = fails('version=1.2&query=a');
    expect(r.operation).toBe('explain');
    expect(r.diagnostics.map((d) => [d.code, d.details])).toContainEqual([7, 'operation']);
  });

  it.each(['operation=searchRetrieve&query=a', 'operation=scan&scanClause=a'])('in 1.2, %s without a version is diagnostic 7 (version)', (query) => {
    const r = fails(query);
    expect(r.version).toBe('1.2');
    expect(r.diagnostics.map((d) => [d.code, d.details])).toEqual([[7, 'version']]);
  });
});

describe('parameters', () => {
  it('reads a full 1.2 searchRetrieve', () => {
    const r = parses('version=1.2&operation=searchRetrieve&query=dc.title%3D%22truy%E1%BB%87n%20ki%E1%BB%81u%22&startRecord=11&maximumRecords=5&recordSchema=dc&recordPacking=string&resultSetTTL=300&x-lienthong-debug=1');
    expect(r).toEqual({
      operation: 'searchRetrieve',
      version: '1.2',
      requestedVersion: '1.2',
      query: 'dc.title="truyện kiều"',
      queryType: 'cql',
      startRecord: 11,
      maximumRecords: 5,
      recordSchema: { name: 'dc', uri: 'info:srw/schema/1/dc-v1.1', title: 'Dublin Core' },
      recordEscaping: 'string',
      resultSetTTL: 300,
      warnings: [],
      extensions: [['x-lienthong-debug', '1']],
    });
  });

  it('fills in the defaults', () => {
    const r = parses('version=1.2&operation=searchRetrieve&query=a');
    expect(r).toMatchObject({ startRecord: 1, maximumRecords: 10, recordEscaping: 'xml', recordSchema: { name: 'marcxml', uri: 'info:srw/schema/1/marcxml-v1.1' } });
    expect(parses('version=1.2&operation=searchRetrieve&query=a', { ...OPTS, defaultRecordSchema: 'dc' })).toMatchObject({ recordSchema: { name: 'dc' } });
  });

  it('reads a 2.0 searchRetrieve with recordXMLEscaping and httpAccept', () => {
    const r = parses('version=2.0&query=a&recordXMLEscaping=string&recordPacking=packed&queryType=cql&httpAccept=application/sru%2Bxml');
    expect(r).toMatchObject({ version: '2.0', recordEscaping: 'string', httpAccept: 'application/sru+xml', warnings: [] });
  });

  it('reads the 1.2 recordPacking values a 2.0 request sends as recordXMLEscaping', () => {
    expect(parses('version=2.0&query=a&recordPacking=string')).toMatchObject({ recordEscaping: 'string' });
    expect(parses('version=2.0&query=a&recordPacking=xml&recordXMLEscaping=string')).toMatchObject({ recordEscaping: 'string' });
  });

  it.each<[string, string]>([
    ['marcxml', 'marcxml'],
    ['MARCXML', 'marcxml'],
    ['marc21', 'marcxml'],
    ['MARC21', 'marcxml'],
    ['info:srw/schema/1/marcxml-v1.1', 'marcxml'],
    ['http://www.loc.gov/MARC21/slim', 'marcxml'],
    ['dc', 'dc'],
    ['info:srw/schema/1/dc-v1.1', 'dc'],
    ['info:srw/schema/1/dc-schema', 'dc'],
  ])('recordSchema=%j is %s', (value, name) => {
    expect(resolveRecordSchema(value)?.name).toBe(name);
    expect(parses(`version=1.2&operation=searchRetrieve&query=a&recordSchema=${encodeURIComponent(value)}`)).toMatchObject({ recordSchema: { name } });
  });

  it('accepts maximumRecords=0 (a count only)', () => {
    expect(parses('version=1.2&operation=searchRetrieve&query=a&maximumRecords=0')).toMatchObject({ maximumRecords: 0 });
  });

  it.each<[string, number]>([
    ['101', 101],
    ['1000000', 1000000],
    ['99999999999999999999999', Infinity],
  ])('caps maximumRecords=%s at the limit, keeping what was asked', (value, asked) => {
    const r = parses(`version=1.2&operation=searchRetrieve&query=a&maximumRecords=${value}`);
    expect(r).toMatchObject({ maximumRecords: 100, maximumRecordsRequested: asked });
  });

  it('caps a default above the limit without saying the client asked for it', () => {
    const r = parses('version=1.2&operation=searchRetrieve&query=a', { ...OPTS, defaultMaximumRecords: 500 });
    expect(r).toMatchObject({ maximumRecords: 100 });
    expect(r).not.toHaveProperty('maximumRecordsRequested');
  });

  it('treats empty optional parameters as absent', () => {
    expect(parses('version=1.2&operation=searchRetrieve&query=a&startRecord=&maximumRecords=&recordSchema=')).toMatchObject({ startRecord: 1, maximumRecords: 10 });
  });

  it('reads a scan, capping maximumTerms', () => {
    const r = parses('version=1.2&operation=scan&scanClause=dc.title%3D%22ki%E1%BB%81u%22&responsePosition=0&maximumTerms=500', { ...OPTS, maxTermsLimit: 50 });
    expect(r).toMatchObject({ operation: 'scan', scanClause: 'dc.title="kiều"', responsePosition: 0, maximumTerms: 50, maximumTermsRequested: 500 });
    expect(parses('version=2.0&scanClause=a')).toMatchObject({ responsePosition: 1, maximumTerms: 20 });
  });

  it('warns, without failing, that sortKeys are not applied', () => {
    const r = parses('version=1.2&operation=searchRetrieve&query=a&sortKeys=title,,1');
    expect(r).toMatchObject({ sortKeys: 'title,,1' });
    expect(r.warnings.map((d) => d.code)).toEqual([80]);
  });

  it('warns that 2.0 facet parameters are ignored', () => {
    const r = parses('version=2.0&query=a&facetLimit=10:dc.subject');
    expect(r.warnings).toEqual([expect.objectContaining({ code: 8, details: 'facetLimit' })]);
  });
});

describe('diagnostics for bad parameters', () => {
  it.each<[string, number, string | undefined]>([
    ['version=1.2&operation=searchRetrieve', 7, 'query'],
    ['version=1.2&operation=searchRetrieve&query=', 7, 'query'],
    ['version=1.2&operation=searchRetrieve&query=%20%20', 7, 'query'],
    ['version=1.2&operation=scan', 7, 'scanClause'],
    ['version=1.2&operation=searchRetrieve&query=a&startRecord=0', 6, 'startRecord'],
    ['version=1.2&operation=searchRetrieve&query=a&startRecord=-1', 6, 'startRecord'],
    ['version=1.2&operation=searchRetrieve&query=a&startRecord=%2B1', 6, 'startRecord'],
    ['version=1.2&operation=searchRetrieve&query=a&startRecord=1.0', 6, 'startRecord'],
    ['version=1.2&operation=searchRetrieve&query=a&startRecord=%201', 6, 'startRecord'],
    ['version=1.2&operation=searchRetrieve&query=a&startRecord=1e3', 6, 'startRecord'],
    ['version=1.2&operation=searchRetrieve&query=a&startRecord=99999999999', 6, 'startRecord'],
    ['version=1.2&operation=searchRetrieve&query=a&startRecord=%EF%BC%91', 6, 'startRecord'],
    ['version=1.2&operation=searchRetrieve&query=a&maximumRecords=ten', 6, 'maximumRecords'],
    ['version=1.2&operation=searchRetrieve&query=a&maximumRecords=-5', 6, 'maximumRecords'],
    ['version=1.2&operation=searchRetrieve&query=a&resultSetTTL=soon', 6, 'resultSetTTL'],
    ['version=1.2&operation=searchRetrieve&query=a&recordPacking=json', 71, 'json'],
    ['version=2.0&query=a&recordXMLEscaping=json', 71, 'json'],
    ['version=2.0&query=a&recordPacking=unpacked', 71, 'unpacked'],
    ['version=1.2&operation=searchRetrieve&query=a&recordSchema=mods', 66, 'mods'],
    ['version=1.2&operation=searchRetrieve&query=a&recordXPath=/record', 72, '/record'],
    ['version=1.2&operation=searchRetrieve&query=a&stylesheet=http://x.example/s.xsl', 110, 'http://x.example/s.xsl'],
    ['version=2.0&query=a&queryType=searchTerms', 6, 'queryType'],
    ['version=2.0&query=a&httpAccept=text/html', 6, 'httpAccept'],
    ['version=1.2&operation=searchRetrieve&query=a&Query=b', 8, 'Query'],
    ['version=1.2&operation=searchRetrieve&query=a&scanClause=b', 8, 'scanClause'],
    ['version=1.2&operation=searchRetrieve&query=a&recordXMLEscaping=xml', 8, 'recordXMLEscaping'],
    ['version=1.2&operation=searchRetrieve&query=a&httpAccept=text/xml', 8, 'httpAccept'],
    ['version=2.0&query=a&recordXPath=/x', 8, 'recordXPath'],
    ['version=2.0&query=a&scanClause=b', 8, 'scanClause'],
    ['version=1.2&operation=explain&query=a', 8, 'query'],
    ['version=1.2&operation=searchRetrieve&query=a&query=b', 6, 'query'],
    ['version=1.2&operation=searchRetrieve&query=a&maximumRecords=1&maximumRecords=2', 6, 'maximumRecords'],
    ['version=1.2&operation=scan&scanClause=a&maximumTerms=0', 6, 'maximumTerms'],
    ['version=1.2&operation=scan&scanClause=a&responsePosition=x', 6, 'responsePosition'],
    ['version=1.2&operation=scan&scanClause=a&maximumTerms=5&responsePosition=7', 120, '7'],
  ])('%s → %i (%s)', (query, code, details) => {
    const r = fails(query);
    expect(r.diagnostics.map((d) => [d.code, d.details])).toContainEqual([code, details]);
    for (const d of r.diagnostics) expect(d.uri).toBe(`info:srw/diagnostic/1/${d.code}`);
  });

  it('refuses a query longer than the limit with diagnostic 12', () => {
    const r = fails(`version=1.2&operation=searchRetrieve&query=${'a'.repeat(101)}`, { ...OPTS, maxQueryLength: 100 });
    expect(r.diagnostics).toEqual([expect.objectContaining({ code: 12, details: '100' })]);
  });

  it('lists every problem at once, each once', () => {
    const r = fails('version=1.2&operation=searchRetrieve&startRecord=0&recordSchema=mods&foo=1&foo=2');
    expect(r.diagnostics.map((d) => [d.code, d.details])).toEqual([
      [8, 'foo'],
      [7, 'query'],
      [6, 'startRecord'],
      [66, 'mods'],
    ]);
  });

  it('says only once what is wrong with a parameter the operation does not define', () => {
    const r = fails('version=1.2&operation=scan&scanClause=a&recordPacking=json');
    expect(r.diagnostics.map((d) => [d.code, d.details])).toEqual([[8, 'recordPacking']]);
  });

  it('keeps the operation and version for the response', () => {
    const r = fails('version=2.0&scanClause=a&maximumTerms=0');
    expect([r.version, r.operation]).toEqual(['2.0', 'scan']);
  });

  it('ignores extension parameters, even repeated', () => {
    const r = parses('version=1.2&operation=explain&x-a=1&x-a=2');
    expect(r.extensions).toEqual([
      ['x-a', '1'],
      ['x-a', '2'],
    ]);
  });
});
