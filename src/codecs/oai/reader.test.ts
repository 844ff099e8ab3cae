import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../../test/fixtures/marc/fixtures.js';
import { oaiFixture, oaiFixtureText } from '../../../test/fixtures/oai/fixtures.js';
import { parseXml, type XmlNode } from '../../../test/xml.js';
import { marcToDc } from '../../domain/catalog/marc-dc.js';
import { parseMarcXml } from '../marc/parse.js';
import type { MarcRecord } from '../marc/record.js';
import { OaiResponseReader, readOaiResponse, type OaiItem } from './reader.js';
import { header, identify, marc21, oaiDc, record, responseText, resumptionToken, sets } from './writer.js';

const OAI_OPEN = '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">';
const kinds = (items: OaiItem[]) => items.map((i) => i.kind);
const only = <K extends OaiItem['kind']>(items: OaiItem[], kind: K) => items.filter((i): i is Extract<OaiItem, { kind: K }> => i.kind === kind);

/** Checks that `xml` stands on its own: well-formed, and every prefix it uses declared in it. */
function standalone(xml: string): XmlNode {
  const root = parseXml(`<?xml version="1.0" encoding="UTF-8"?>\n${xml}`);
  const check = (n: XmlNode, scope: Set<string>) => {
    const here = new Set(scope);
    for (const a of Object.keys(n.attrs)) if (a.startsWith('xmlns:')) here.add(a.slice(6));
    const used = [n.name, ...Object.keys(n.attrs).filter((a) => !a.startsWith('xmlns'))].filter((x) => x.includes(':')).map((x) => x.split(':')[0]!);
    for (const p of used) if (p !== 'xml' && !here.has(p)) throw new Error(`<${n.name}> uses the undeclared prefix ${p}`);
    for (const c of n.children) check(c, here);
  };
  check(root, new Set());
  return root;
}

describe('reading recorded DSpace responses (pyoai)', () => {
  const read = (path: string) => readOaiResponse(oaiFixture(`pyoai-recorded/${path}`));

  it('ListSets', () => {
    const { items, problem } = read('fake1/00000.xml');
    expect(problem).toBeUndefined();
    expect(items[0]).toEqual({ kind: 'response', responseDate: '2003-04-30T16:08:03Z', baseUrl: 'http://dspace.ubib.eur.nl/oai/', request: { verb: 'ListSets' }, line: 1, column: 303 });
    const list = only(items, 'set');
    expect(list).toHaveLength(10);
    expect(list[0]).toMatchObject({ setSpec: '3', setName: 'Erasmus MC (University Medical Center Rotterdam)', descriptionXml: [] });
    expect(list.map((s) => s.setSpec)).toEqual(['3', '3:5', '1', '1:2', '1:4', '1:1', '2', '2:6', '2:7', '2:3']);
  });

  it('Identify, with the toolkit description made to stand alone', () => {
    const { items } = read('fake1/00001.xml');
    expect(kinds(items)).toEqual(['response', 'identify']);
    const id = only(items, 'identify')[0]!;
    expect(id).toMatchObject({
      repositoryName: 'Erasmus University : Research Online',
      baseURL: 'http://dspace.ubib.eur.nl/oai/',
      protocolVersion: '2.0',
      adminEmail: ['service@ubib.eur.nl'],
      earliestDatestamp: '2001-01-01T00:00:00Z',
      deletedRecord: 'no',
      granularity: 'YYYY-MM-DDThh:mm:ssZ',
      compression: ['gzip', 'compress', 'deflate'],
    });
    expect(id.oaiIdentifier).toBeUndefined();
    expect(id.descriptions).toHaveLength(1);
    // xsi was declared on <OAI-PMH>: it comes along.
    expect(standalone(id.descriptions[0]!).attrs['xmlns:xsi']).toBe('http://www.w3.org/2001/XMLSchema-instance');
  });

  it('ListMetadataFormats', () => {
    expect(only(read('fake1/00002.xml').items, 'metadataFormat')).toEqual([
      { kind: 'metadataFormat', metadataPrefix: 'oai_dc', schema: 'http://www.openarchives.org/OAI/2.0/oai_dc.xsd', metadataNamespace: 'http://www.openarchives.org/OAI/2.0/oai_dc/', line: 1, column: 400 },
    ]);
  });

  it('ListIdentifiers', () => {
    const { items } = read('fake1/00003.xml');
    expect(items[0]).toMatchObject({ request: { metadataPrefix: 'oai_dc', verb: 'ListIdentifiers', from: '2003-04-10' } });
    const headers = only(items, 'header');
    expect(headers).toHaveLength(16);
    expect(headers[0]!.header).toEqual({ identifier: 'hdl:1765/308', datestamp: '2003-04-15T10:18:51Z', setSpecs: ['1:2'], deleted: false });
    expect(headers[15]!.header.identifier).toBe('hdl:1765/325');
  });

  it('GetRecord', () => {
    const [rec] = only(read('fake1/00004.xml').items, 'record');
    expect(rec!.header).toEqual({ identifier: 'hdl:1765/315', datestamp: '2003-04-22T13:13:44Z', setSpecs: ['2:7'], deleted: false });
    const dc = standalone(rec!.metadataXml!);
    expect(dc.name).toBe('oai_dc:dc');
    expect(dc.children.find((c) => c.name === 'dc:title')!.text).toBe(
      'De vrouwenbeweging online. Een onderzoek naar het gebruik van Internet door vrouwenorganisaties in Nederland .',
    );
  });

  it('ListRecords', () => {
    const { items, problem } = read('fake1/00005.xml');
    expect(problem).toBeUndefined();
    const records = only(items, 'record');
    expect(records.length).toBe(16);
    for (const r of records) {
      expect(r.header.identifier).toMatch(/^hdl:1765\/\d+$/);
      expect(standalone(r.metadataXml!).name).toBe('oai_dc:dc');
    }
    expect(only(items, 'resumptionToken')).toEqual([]);
  });

  it('a deleted record: no metadata, its repeated setSpec kept once', () => {
    const [rec] = only(read('fake2/00000.xml').items, 'record');
    expect(rec).toEqual({ kind: 'record', header: { identifier: 'hdl:1765/1160', datestamp: '2004-02-16T13:29:54Z', setSpecs: ['1:1'], deleted: true }, aboutXml: [], line: 1, column: 431 });
  });

  it('non-ASCII text comes through as written', () => {
    const [rec] = only(read('fake2/00001.xml').items, 'record');
    expect(rec!.metadataXml).toContain('Policymakers’ efforts');
    expect(rec!.metadataXml).toContain('‘speed limit’');
  });

  it('fake3: an element never closed is a problem', () => {
    const { items, problem } = read('fake3/00001.xml');
    expect(problem).toEqual({ kind: 'problem', message: 'the end tag </OAI-PMH> does not match <bogus>', line: 1, column: 1306 });
    expect(kinds(items)).toEqual([]);
  });

  it('fake4: an undeclared entity is a problem', () => {
    const { items, problem } = read('fake4/00001.xml');
    expect(problem).toEqual({
      kind: 'problem',
      message: 'text: &bogus; is not one of the five entities XML predefines (no others are expanded)',
      line: 1,
      column: 288,
    });
    expect(items).toEqual([]);
  });

  it('fake5: a datestamp that is not one is a warning; the Identify is read', () => {
    const { items, problem } = read('fake5/00001.xml');
    expect(problem).toBeUndefined();
    expect(only(items, 'warning')).toEqual([{ kind: 'warning', message: "the earliestDatestamp 'aaaa-bb-cc' is not an OAI-PMH datestamp", line: 1, column: 366 }]);
    expect(only(items, 'identify')[0]!.earliestDatestamp).toBe('aaaa-bb-cc');
  });
});

describe('reading the HTTP::OAI examples', () => {
  it('Identify with an oai-identifier and an eprints description', () => {
    const { items, problem } = readOaiResponse(oaiFixture('http-oai-examples/identify.xml'));
    expect(problem).toBeUndefined();
    const id = only(items, 'identify')[0]!;
    expect(id).toMatchObject({ granularity: 'YYYY-MM-DD', earliestDatestamp: '0001-01-01', deletedRecord: 'transient', adminEmail: ['mailto:tdb01r@ecs.soton.ac.uk'] });
    expect(id.oaiIdentifier).toEqual({ scheme: 'oai', repositoryIdentifier: 'citebase.eprints.org', delimiter: ':', sampleIdentifier: 'oai:arXiv.org:hep-th/0001001' });
    expect(id.descriptions.map((d) => standalone(d).name)).toEqual(['oai-identifier', 'eprints']);
  });

  it('GetRecord', () => {
    const { items } = readOaiResponse(oaiFixtureText('http-oai-examples/getrecord.xml'));
    expect(items[0]).toMatchObject({ kind: 'response', request: { verb: 'GetRecord;identifier=oai:arXiv.org:hep-th/0001001;metadataPrefix=oai_dc' } });
    const [rec] = only(items, 'record');
    expect(rec!.header.identifier).toBe('oai:arXiv.org:hep-th/0001001');
    const dc = standalone(rec!.metadataXml!);
    expect(dc.children.filter((c) => c.name === 'dc:date').map((c) => c.text)).toEqual(['1999-12-31', '2000-01-17']);
  });

  it('bad bytes and a control character: repaired, with warnings where they were', () => {
    const { items, problem } = readOaiResponse(oaiFixture('http-oai-examples/badbytes.xml'));
    expect(problem).toBeUndefined();
    const warnings = only(items, 'warning');
    expect(warnings.filter((w) => w.message.includes('not valid UTF-8'))).toHaveLength(11);
    expect(warnings.filter((w) => w.message.includes('not valid UTF-8')).map((w) => w.line)).toEqual([4, 6, 6, 6, 10, 10, 10, 10, 10, 10, 10]);
    expect(warnings.filter((w) => w.message.includes('U+0006'))).toEqual([
      { kind: 'warning', message: 'text contains the character U+0006, which XML does not allow; dropped', line: 14, column: 1 },
    ]);
    const [rec] = only(items, 'record');
    const xml = rec!.metadataXml!;
    expect(xml).toContain('\n\n\ufffd\n\n\ufffd\ufffd\ufffd\n\n');
    expect(xml).not.toContain('\u0006');
    const description = standalone(xml).children.find((c) => c.name === 'dc:description')!;
    expect(description.text).toContain('moduli space of N=2 theories');
  });

  it('the same bytes given as text decoded by the platform read the same, without the byte warnings', () => {
    const { items } = readOaiResponse(oaiFixtureText('http-oai-examples/badbytes.xml'));
    expect(only(items, 'warning').map((w) => w.message)).toEqual(['text contains the character U+0006, which XML does not allow; dropped']);
    expect(only(items, 'record')).toHaveLength(1);
  });

  it('METS with prefixed namespaces keeps them', () => {
    const { items } = readOaiResponse(oaiFixture('http-oai-examples/mets.xml'));
    const [rec] = only(items, 'record');
    expect(rec!.header).toEqual({ identifier: 'oai:dspace.mit.edu:1721.1/8338', datestamp: '2006-10-23T15:52:20Z', setSpecs: ['hdl_1721.1_7680', 'hdl_1721.1_7843'], deleted: false });
    const mets = standalone(rec!.metadataXml!);
    expect(mets.name).toBe('mets');
    expect(mets.attrs.xmlns).toBe('http://www.loc.gov/METS/');
    expect(mets.attrs['xmlns:mods']).toBe('http://www.loc.gov/mods/v3');
    expect(rec!.metadataXml).toContain('<mods:namePart>Yang, Xiaochun, 1971-</mods:namePart>');
    expect(rec!.aboutXml).toHaveLength(1);
    expect(standalone(rec!.aboutXml[0]!).name).toBe('provenance');
  });
});

describe('reading what our writer writes', () => {
  const records: MarcRecord[] = parseMarcXml(fixtureText('vietnamese-synthetic/vi-synthetic.marcxml'));
  const NOW = Date.UTC(2024, 2, 1, 12);
  const head = (echo: Record<string, string>) => ({ responseDate: NOW, baseUrl: 'https://thuvien.kiengiang.vn/oai', echo });
  const listRecords = responseText(head({ verb: 'ListRecords', metadataPrefix: 'marc21' }), {
    verb: 'ListRecords',
    parts: [
      record({ header: { identifier: 'oai:thuvien.kiengiang.vn:1', datestamp: NOW, setSpecs: ['kien-giang'] }, metadataXml: marc21(records[0]!) }),
      record({ header: { identifier: 'oai:thuvien.kiengiang.vn:2', datestamp: NOW }, metadataXml: oaiDc(marcToDc(records[1]!)) }),
      record({ header: { identifier: 'oai:thuvien.kiengiang.vn:3', datestamp: NOW, deleted: true } }),
      resumptionToken({ token: 'AQE.xyz', completeListSize: 120, cursor: 0, expirationDate: NOW + 3600_000 }),
    ],
  });

  it('round-trips records, MARC included', () => {
    const { items, problem } = readOaiResponse(listRecords);
    expect(problem).toBeUndefined();
    expect(kinds(items)).toEqual(['response', 'record', 'record', 'record', 'resumptionToken']);
    const [a, b, c] = only(items, 'record');
    expect(a!.header).toEqual({ identifier: 'oai:thuvien.kiengiang.vn:1', datestamp: '2024-03-01T12:00:00Z', setSpecs: ['kien-giang'], deleted: false });
    expect(parseMarcXml(a!.metadataXml!)).toEqual([records[0]]);
    expect(standalone(b!.metadataXml!).children.find((n) => n.name === 'dc:title')!.text).toBe('Việt Nam sử lược');
    expect(c).toMatchObject({ header: { deleted: true } });
    expect(c!.metadataXml).toBeUndefined();
    expect(only(items, 'resumptionToken')[0]).toMatchObject({ token: 'AQE.xyz', completeListSize: 120, cursor: 0, expirationDate: '2024-03-01T13:00:00Z' });
  });

  it('round-trips Identify, sets, headers and errors', () => {
    const id = readOaiResponse(
      responseText(head({ verb: 'Identify' }), {
        verb: 'Identify',
        parts: [identify({ repositoryName: 'Thư viện Kiên Giang', baseURL: 'https://thuvien.kiengiang.vn/oai', adminEmail: ['a@b.vn'], earliestDatestamp: 0, oaiIdentifier: { repositoryIdentifier: 'thuvien.kiengiang.vn', sampleIdentifier: 'oai:thuvien.kiengiang.vn:1' } })],
      }),
    ).items;
    expect(only(id, 'identify')[0]).toMatchObject({ repositoryName: 'Thư viện Kiên Giang', earliestDatestamp: '1970-01-01T00:00:00Z', deletedRecord: 'persistent', oaiIdentifier: { repositoryIdentifier: 'thuvien.kiengiang.vn' } });
    const set = readOaiResponse(responseText(head({ verb: 'ListSets' }), { verb: 'ListSets', parts: [sets([{ spec: 'a:b', name: 'A & B', description: 'mô tả' }])] })).items;
    expect(only(set, 'set')[0]).toMatchObject({ setSpec: 'a:b', setName: 'A & B' });
    expect(standalone(only(set, 'set')[0]!.descriptionXml[0]!).children[0]!.text).toBe('mô tả');
    const heads = readOaiResponse(responseText(head({ verb: 'ListIdentifiers', metadataPrefix: 'oai_dc' }), { verb: 'ListIdentifiers', parts: [header({ identifier: 'oai:x:1', datestamp: NOW }), resumptionToken({ token: '' })] })).items;
    expect(kinds(heads)).toEqual(['response', 'header', 'resumptionToken']);
    expect(only(heads, 'resumptionToken')[0]).toEqual({ kind: 'resumptionToken', token: '', line: expect.any(Number), column: expect.any(Number) });
    const errs = readOaiResponse(responseText(head({}), { errors: [{ code: 'badArgument', message: "'x' <is> bad" }, { code: 'badVerb', message: 'no verb' }] })).items;
    expect(errs.map((e) => (e.kind === 'error' ? [e.code, e.message] : e.kind))).toEqual(['response', ['badArgument', "'x' <is> bad"], ['badVerb', 'no verb']]);
  });

  it('reads the same items whatever the chunks, text or bytes', () => {
    const whole = readOaiResponse(listRecords).items;
    const bytes = new TextEncoder().encode(listRecords);
    for (const size of [1, 2, 3, 7, 64, 1000]) {
      const text = new OaiResponseReader();
      const binary = new OaiResponseReader();
      const fromText: OaiItem[] = [];
      const fromBytes: OaiItem[] = [];
      for (let i = 0; i < listRecords.length; i += size) {
        text.feed(listRecords.slice(i, i + size));
        fromText.push(...text.drain());
      }
      for (let i = 0; i < bytes.length; i += size) {
        binary.feedBytes(bytes.subarray(i, i + size));
        fromBytes.push(...binary.drain());
      }
      text.end();
      binary.end();
      fromText.push(...text.drain());
      fromBytes.push(...binary.drain());
      expect(fromText).toEqual(whole);
      expect(fromBytes).toEqual(whole);
    }
  });

  it('hands out each record as soon as it is read', () => {
    const reader = new OaiResponseReader();
    const end = listRecords.indexOf('</metadata></record>') + '</metadata></record>'.length;
    reader.feed(listRecords.slice(0, end));
    expect(kinds([...reader.drain()])).toEqual(['response', 'record']);
    expect(reader.next()).toBeUndefined();
  });
});

describe('reading malformed or unusual responses', () => {
  const problemOf = (xml: string, options?: { maxUnitChars?: number }) => readOaiResponse(xml, options).problem?.message;

  it.each([
    ['nothing', '', 'the response holds no XML element'],
    ['white space only', '  \n', 'the response holds no XML element'],
    ['an HTML error page', '<html><body>502 Bad Gateway</body></html>', 'this is not an OAI-PMH response: the root element is <html>'],
    ['another namespace', '<OAI-PMH xmlns="urn:other"/>', 'this is not an OAI-PMH response: the root element is <OAI-PMH> in the namespace urn:other'],
    ['a cut-off response', `${OAI_OPEN}<ListRecords><record><header>`, 'the response ends inside <header> (line 1, column 76), which is never closed'],
    ['a DOCTYPE', `<!DOCTYPE x [<!ENTITY a "b">]>${OAI_OPEN}</OAI-PMH>`, '<!DOCTYPE is refused: MARCXML input may not declare a DOCTYPE or entities (nothing is expanded or fetched)'],
    ['a bare ampersand', `${OAI_OPEN}<responseDate>a & b</responseDate></OAI-PMH>`, "text: '&' is not a complete reference"],
    ['an undeclared prefix', `${OAI_OPEN}<GetRecord><record><header/><metadata><dc:title>x</dc:title></metadata></record></GetRecord></OAI-PMH>`, "the namespace prefix 'dc' of <dc:title> is not declared"],
    ['an undeclared attribute prefix', `${OAI_OPEN}<responseDate xsi:x="1"/></OAI-PMH>`, "the namespace prefix 'xsi' of attribute xsi:x of <responseDate> is not declared"],
    ['text after the root', `${OAI_OPEN}</OAI-PMH>trailing`, "text outside the root element ('trailing')"],
    ['a second root', `${OAI_OPEN}</OAI-PMH><OAI-PMH/>`, 'a second root element <OAI-PMH> after </OAI-PMH>'],
    ['an end tag without a start', `${OAI_OPEN}</ListRecords></OAI-PMH>`, 'the end tag </ListRecords> does not match <OAI-PMH>'],
    ['a malformed tag', `${OAI_OPEN}<record <header></OAI-PMH>`, "the tag '<record ' is not closed with '>'"],
  ])('%s', (_name, xml, message) => {
    expect(problemOf(xml)).toBe(message);
  });

  it('refuses a unit larger than allowed', () => {
    const big = `${OAI_OPEN}<ListRecords><record><header><identifier>x</identifier></header><metadata><x xmlns="urn:x">${'a'.repeat(200)}</x></metadata></record></ListRecords></OAI-PMH>`;
    expect(problemOf(big, { maxUnitChars: 100 })).toBe('<record> is larger than 100 characters');
    expect(problemOf(big)).toBeUndefined();
  });

  it('stops at the first problem: nothing after it is read', () => {
    const reader = new OaiResponseReader();
    reader.feed(`${OAI_OPEN}<responseDate>2024-01-01T00:00:00Z</responseDate><request>u</request><error code="x">&nope;</error>`);
    reader.feed('<error code="y">later</error></OAI-PMH>');
    reader.end();
    expect(kinds([...reader.drain()])).toEqual(['response', 'problem']);
    expect(reader.next()).toBeUndefined();
  });

  it('copies namespaces declared on outer elements onto the metadata, keeping what is declared inside', () => {
    const xml =
      '<oai:OAI-PMH xmlns:oai="http://www.openarchives.org/OAI/2.0/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:x="urn:unused" xmlns="urn:default">' +
      '<oai:GetRecord><oai:record><oai:header><oai:identifier>i</oai:identifier><oai:datestamp>2024-01-01</oai:datestamp></oai:header>' +
      '<oai:metadata><rec><dc:title lang="vi">Tiêu đề</dc:title><m:x xmlns:m="urn:m" m:a="1"/></rec></oai:metadata></oai:record></oai:GetRecord></oai:OAI-PMH>';
    const { items, problem } = readOaiResponse(xml);
    expect(problem).toBeUndefined();
    const [rec] = only(items, 'record');
    expect(rec!.header).toEqual({ identifier: 'i', datestamp: '2024-01-01', setSpecs: [], deleted: false });
    expect(rec!.metadataXml).toBe('<rec xmlns="urn:default" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title lang="vi">Tiêu đề</dc:title><m:x xmlns:m="urn:m" m:a="1"/></rec>');
    standalone(rec!.metadataXml!);
  });

  it('accepts OAI-PMH elements without a namespace, and skips elements it does not know', () => {
    const { items, problem } = readOaiResponse(
      '<OAI-PMH><responseDate>2024-01-01T00:00:00Z</responseDate><request verb="ListIdentifiers">u</request><extra><header/></extra>' +
        '<ListIdentifiers><header><identifier>a</identifier><datestamp>2024-01-01T00:00:00Z</datestamp></header><junk/>' +
        '<resumptionToken cursor="x" completeListSize=" 12 ">\n  tok  \n</resumptionToken></ListIdentifiers></OAI-PMH>',
    );
    expect(problem).toBeUndefined();
    expect(kinds(items)).toEqual(['response', 'header', 'resumptionToken']);
    expect(only(items, 'resumptionToken')[0]).toMatchObject({ token: 'tok', completeListSize: 12 });
    expect(only(items, 'resumptionToken')[0]!.cursor).toBeUndefined();
  });

  it('warns of a header without identifier or with a bad datestamp, and of a record without a header', () => {
    const { items } = readOaiResponse(
      `${OAI_OPEN}<ListRecords><record><header><datestamp>2024-13-01</datestamp></header></record><record><metadata/></record></ListRecords></OAI-PMH>`,
    );
    expect(only(items, 'warning').map((w) => w.message)).toEqual([
      'a <header> has no identifier',
      "the datestamp '2024-13-01' of a header is not an OAI-PMH datestamp",
      'a <record> has no <header>; it is skipped',
    ]);
    expect(only(items, 'record')).toHaveLength(1);
  });

  it('notes a declaration naming another encoding, and reads on as UTF-8', () => {
    const { items, problem } = readOaiResponse(`<?xml version="1.0" encoding="ISO-8859-1"?>${OAI_OPEN}</OAI-PMH>`);
    expect(problem).toBeUndefined();
    expect(items).toEqual([{ kind: 'warning', message: "the XML declaration names the encoding 'ISO-8859-1'; OAI-PMH responses are UTF-8 and this one is read as UTF-8", line: 1, column: 1 }]);
  });

  it('reads a byte order mark as nothing (it counts as a column)', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(`${OAI_OPEN}<error code="noRecordsMatch">none</error></OAI-PMH>`)]);
    expect(readOaiResponse(bytes)).toEqual({ items: [{ kind: 'error', code: 'noRecordsMatch', message: 'none', line: 1, column: 56 }] });
  });
});
