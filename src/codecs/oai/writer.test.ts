import { describe, expect, it } from 'vitest';
import { fixtureText } from '../../../test/fixtures/marc/fixtures.js';
import { xsdPath } from '../../../test/fixtures/oai/fixtures.js';
import { kids, only, parseXml } from '../../../test/xml.js';
import { describeWithXmllint, validateWithXsd } from '../../../test/xmllint.js';
import { marcToDc } from '../../domain/catalog/marc-dc.js';
import { parseMarcXml } from '../marc/parse.js';
import type { MarcRecord } from '../marc/record.js';
import { parseOaiRequest } from './request.js';
import { encodeToken, expirationDate } from './token.js';
import {
  closeVerb,
  errors,
  header,
  identify,
  MARC21_FORMAT,
  marc21,
  metadataFormats,
  OAI_DC_FORMAT,
  oaiDc,
  openVerb,
  record,
  recordClose,
  recordOpen,
  responseHead,
  responseStream,
  responseTail,
  responseText,
  resumptionToken,
  sets,
  type ResponseHead,
} from './writer.js';

const BASE = 'https://thuvien.kiengiang.vn/oai';
const NOW = Date.UTC(2024, 2, 1, 12, 0, 0);
const head = (echo: Record<string, string>): ResponseHead => ({ responseDate: NOW, baseUrl: BASE, echo });
const RECORDS: MarcRecord[] = parseMarcXml(fixtureText('vietnamese-synthetic/vi-synthetic.marcxml'));
const [KIEU, SU_LUOC] = RECORDS as [MarcRecord, MarcRecord];

/** A record with everything that needs escaping or cannot be carried at all. */
const NASTY: MarcRecord = {
  leader: '00000nam a2200000 i 4500',
  fields: [
    { tag: '001', value: 'VN-<&>' },
    { tag: '245', ind1: '0', ind2: '0', subfields: [{ code: 'a', value: 'Tom & Jerry <"\'> \u0001bell\u0007 \ud800 tab\there' }] },
    { tag: '520', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'Dòng một\r\nDòng hai ]]> <![CDATA[' }] },
  ],
};

function listRecordsResponse(): string {
  const token = encodeToken(
    { verb: 'ListRecords', metadataPrefix: 'oai_dc', after: { datestamp: NOW - 1000, id: 2 }, cursor: 0, completeListSize: 3, issuedAt: NOW },
    'bí mật',
  );
  return responseText(head({ verb: 'ListRecords', metadataPrefix: 'oai_dc' }), {
    verb: 'ListRecords',
    parts: [
      record({ header: { identifier: 'oai:thuvien.kiengiang.vn:1', datestamp: NOW - 5000, setSpecs: ['kien-giang', 'kien-giang:rach-gia'] }, metadataXml: oaiDc(marcToDc(KIEU)) }),
      record({ header: { identifier: 'oai:thuvien.kiengiang.vn:2', datestamp: '2024-03-01T11:59:59.400Z' }, metadataXml: oaiDc(marcToDc(NASTY)) }),
      record({ header: { identifier: 'oai:thuvien.kiengiang.vn:3', datestamp: NOW - 1000, deleted: true } }),
      resumptionToken({ token, completeListSize: 3, cursor: 0, expirationDate: expirationDate(NOW, 86_400_000) }),
    ],
  });
}

function marcRecordsResponse(): string {
  return responseText(head({ verb: 'ListRecords', metadataPrefix: 'marc21', set: 'kien-giang' }), {
    verb: 'ListRecords',
    parts: [
      record({ header: { identifier: 'oai:thuvien.kiengiang.vn:1', datestamp: NOW, setSpecs: ['kien-giang'] }, metadataXml: marc21(KIEU) }),
      record({ header: { identifier: 'oai:thuvien.kiengiang.vn:2', datestamp: NOW }, metadataXml: marc21(SU_LUOC) }),
      record({ header: { identifier: 'oai:thuvien.kiengiang.vn:9', datestamp: NOW }, metadataXml: marc21(NASTY) }),
      resumptionToken({ token: '', completeListSize: 3, cursor: 0 }),
    ],
  });
}

const RESPONSES: Array<[string, () => string]> = [
  [
    'Identify with an oai-identifier description',
    () =>
      responseText(head({ verb: 'Identify' }), {
        verb: 'Identify',
        parts: [
          identify({
            repositoryName: 'Thư viện tỉnh Kiên Giang — Liên Thông',
            baseURL: BASE,
            adminEmail: ['thuvien@kiengiang.gov.vn', 'kythuat@kiengiang.gov.vn'],
            earliestDatestamp: '2001-01-01T00:00:00Z',
            compression: ['gzip', 'deflate'],
            oaiIdentifier: { repositoryIdentifier: 'thuvien.kiengiang.vn', sampleIdentifier: 'oai:thuvien.kiengiang.vn:42' },
          }),
        ],
      }),
  ],
  ['ListMetadataFormats', () => responseText(head({ verb: 'ListMetadataFormats' }), { verb: 'ListMetadataFormats', parts: [metadataFormats([OAI_DC_FORMAT, MARC21_FORMAT])] })],
  [
    'ListSets with descriptions',
    () =>
      responseText(head({ verb: 'ListSets' }), {
        verb: 'ListSets',
        parts: [
          sets([
            { spec: 'kien-giang', name: 'Thư viện tỉnh Kiên Giang' },
            { spec: 'kien-giang:rach-gia', name: 'Thư viện TP Rạch Giá', description: 'Sách địa chí & tài liệu <quý>' },
            { spec: 'dia-chi', name: 'Địa chí', description: { title: ['Tài liệu địa chí'], coverage: ['Kiên Giang'] } },
          ]),
          resumptionToken({ token: '', cursor: 0, completeListSize: 3 }),
        ],
      }),
  ],
  [
    'GetRecord with oai_dc',
    () =>
      responseText(head({ verb: 'GetRecord', identifier: 'oai:thuvien.kiengiang.vn:1', metadataPrefix: 'oai_dc' }), {
        verb: 'GetRecord',
        parts: [record({ header: { identifier: 'oai:thuvien.kiengiang.vn:1', datestamp: new Date(NOW) }, metadataXml: oaiDc(marcToDc(KIEU)) })],
      }),
  ],
  ['ListRecords with oai_dc, a deleted header and a resumption token', listRecordsResponse],
  ['ListRecords with MARCXML records and the empty final token', marcRecordsResponse],
  [
    'ListIdentifiers',
    () =>
      responseText(head({ verb: 'ListIdentifiers', metadataPrefix: 'oai_dc', from: '2024-01-01', until: '2024-03-01' }), {
        verb: 'ListIdentifiers',
        parts: [
          header({ identifier: 'oai:thuvien.kiengiang.vn:1', datestamp: NOW, setSpecs: ['kien-giang'] }) + '\n',
          header({ identifier: 'oai:thuvien.kiengiang.vn:3', datestamp: NOW, deleted: true }) + '\n',
        ],
      }),
  ],
  [
    'a badVerb error (no request attributes)',
    () => {
      const r = parseOaiRequest([['verb', 'Harvest<&>']]);
      if (r.ok) throw new Error('expected an error');
      return responseText(head(r.echo), { errors: r.errors });
    },
  ],
  [
    'several badArgument errors',
    () => {
      const r = parseOaiRequest([['verb', 'ListRecords'], ['from', 'x'], ['junk', '1']]);
      if (r.ok) throw new Error('expected an error');
      return responseText(head(r.echo), { errors: r.errors });
    },
  ],
  [
    'cannotDisseminateFormat with the request echoed',
    () => {
      const r = parseOaiRequest([['verb', 'GetRecord'], ['identifier', 'oai:thuvien.kiengiang.vn:1'], ['metadataPrefix', 'mods']]);
      if (!r.ok) throw new Error('expected a sound request');
      return responseText(head(r.echo), { errors: [{ code: 'cannotDisseminateFormat', message: "the format 'mods' is not offered" }] });
    },
  ],
  [
    'a badResumptionToken with an xml-stylesheet',
    () =>
      responseText({ ...head({ verb: 'ListRecords', resumptionToken: 'abc' }), stylesheet: '/oai.xsl' }, { errors: [{ code: 'badResumptionToken', message: 'expired' }] }),
  ],
];

describeWithXmllint('OAI-PMH responses validate against the schemas (xmllint)', () => {
  it.each(RESPONSES)('%s', (_name, make) => {
    const result = validateWithXsd(make(), xsdPath('oai-pmh-all.xsd'));
    expect(result.output).toContain('validates');
    expect(result.ok).toBe(true);
  });

  it('the schemas do catch mistakes (a record without its header, a bad setSpec, bad MARC)', () => {
    const broken = [
      listRecordsResponse().replace(/<header>.*?<\/header>/, ''),
      listRecordsResponse().replace('kien-giang:rach-gia', 'kien giang'),
      marcRecordsResponse().replace('<leader>00000nam a2200000 a 4500', '<leader>short'),
      responseText(head({ verb: 'Identify' }), { verb: 'Identify', parts: [identify({ repositoryName: 'x', baseURL: BASE, adminEmail: ['not an email'], earliestDatestamp: NOW })] }),
    ];
    for (const xml of broken) expect(validateWithXsd(xml, xsdPath('oai-pmh-all.xsd')).ok).toBe(false);
  });
});

describe('OAI-PMH writer', () => {
  it('writes the head as the protocol shows it', () => {
    expect(responseHead(head({ verb: 'GetRecord', metadataPrefix: 'oai_dc', identifier: 'oai:x:1', bogus: 'y' }))).toBe(
      '<?xml version="1.0" encoding="UTF-8"?>\n' +
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">\n' +
        '<responseDate>2024-03-01T12:00:00Z</responseDate>\n' +
        '<request verb="GetRecord" identifier="oai:x:1" metadataPrefix="oai_dc">https://thuvien.kiengiang.vn/oai</request>\n',
    );
    expect(responseTail()).toBe('</OAI-PMH>\n');
    expect(openVerb('ListSets') + closeVerb('ListSets')).toBe('<ListSets>\n</ListSets>\n');
  });

  it.each([
    [{ identifier: 'oai:x:1', datestamp: NOW }, '<header><identifier>oai:x:1</identifier><datestamp>2024-03-01T12:00:00Z</datestamp></header>'],
    [
      { identifier: 'oai:x:a&b', datestamp: '2024-03-01T12:00:00.999Z', setSpecs: ['a', 'a:b'], deleted: true },
      '<header status="deleted"><identifier>oai:x:a&amp;b</identifier><datestamp>2024-03-01T12:00:00Z</datestamp><setSpec>a</setSpec><setSpec>a:b</setSpec></header>',
    ],
  ])('writes a header', (h, xml) => {
    expect(header(h)).toBe(xml);
  });

  it('leaves metadata out of a deleted record, and can open and close a record around streamed metadata', () => {
    expect(record({ header: { identifier: 'oai:x:1', datestamp: NOW, deleted: true }, metadataXml: '<x/>' })).not.toContain('<metadata>');
    const h = { identifier: 'oai:x:1', datestamp: NOW };
    expect(recordOpen(h) + '<dc/>' + recordClose(h)).toBe(record({ header: h, metadataXml: '<dc/>' }));
    const gone = { ...h, deleted: true };
    expect(recordOpen(gone) + recordClose(gone)).toBe(record({ header: gone }));
  });

  it.each([
    [{ token: 'abc', completeListSize: 10, cursor: 0, expirationDate: '2024-03-02T12:00:00Z' }, '<resumptionToken expirationDate="2024-03-02T12:00:00Z" completeListSize="10" cursor="0">abc</resumptionToken>\n'],
    [{ token: '', completeListSize: 10, cursor: 9, expirationDate: NOW }, '<resumptionToken completeListSize="10" cursor="9"/>\n'],
    [{ token: '', completeListSize: 0, cursor: -1 }, '<resumptionToken/>\n'],
    [{ token: 'a<b' }, '<resumptionToken>a&lt;b</resumptionToken>\n'],
  ])('writes a resumption token %#', (t, xml) => {
    expect(resumptionToken(t)).toBe(xml);
  });

  it('writes errors escaped', () => {
    expect(errors([{ code: 'badArgument', message: "'<x>' & more" }])).toBe(`<error code="badArgument">&apos;&lt;x&gt;&apos; &amp; more</error>\n`);
  });

  it('writes Dublin Core in the order of the element set, dropping what XML cannot carry', () => {
    const xml = oaiDc({ subject: ['b'], title: ['Tom & Jerry\u0001'], creator: ['Nguyễn Du'] });
    expect(xml).toBe(
      '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ http://www.openarchives.org/OAI/2.0/oai_dc.xsd">' +
        '\n<dc:title>Tom &amp; Jerry</dc:title>\n<dc:creator>Nguyễn Du</dc:creator>\n<dc:subject>b</dc:subject>\n</oai_dc:dc>',
    );
  });

  it('writes MARCXML with its namespace on <record> and no declaration', () => {
    const xml = marc21(KIEU);
    expect(xml.startsWith('<record xmlns="http://www.loc.gov/MARC21/slim">\n  <leader>00000nam a2200000 a 4500</leader>')).toBe(true);
    expect(xml).not.toContain('<?xml');
    expect(parseMarcXml(xml)).toEqual([KIEU]);
    const dropped: string[] = [];
    marc21(NASTY, (issue) => dropped.push(issue.message));
    expect(dropped).toHaveLength(3);
  });

  it('makes well-formed documents whatever the text holds', () => {
    for (const [, make] of RESPONSES) expect(() => parseXml(make())).not.toThrow();
    const doc = parseXml(listRecordsResponse());
    const list = kids(doc, 'ListRecords')[0]!;
    expect(kids(list, 'record')).toHaveLength(3);
    const title = kids(kids(kids(list, 'record')[1]!, 'metadata')[0]!, 'oai_dc:dc')[0]!;
    // Dublin Core collapses white space; the writer drops the control characters and the lone surrogate.
    expect(only(title, 'dc:title')).toBe('Tom & Jerry <"\'> bell  tab here');
  });

  it('streams the same text it writes at once, from an asynchronous source', async () => {
    async function* parts() {
      yield record({ header: { identifier: 'oai:x:1', datestamp: NOW }, metadataXml: oaiDc({ title: ['Một'] }) });
      await Promise.resolve();
      yield resumptionToken({ token: '' });
    }
    const chunks: string[] = [];
    for await (const c of responseStream(head({ verb: 'ListRecords', metadataPrefix: 'oai_dc' }), { verb: 'ListRecords', parts: parts() })) chunks.push(c);
    expect(chunks.length).toBeGreaterThan(3);
    const sync = responseText(head({ verb: 'ListRecords', metadataPrefix: 'oai_dc' }), {
      verb: 'ListRecords',
      parts: [record({ header: { identifier: 'oai:x:1', datestamp: NOW }, metadataXml: oaiDc({ title: ['Một'] }) }), resumptionToken({ token: '' })],
    });
    expect(chunks.join('')).toBe(sync);
    const errs: string[] = [];
    for await (const c of responseStream(head({}), { errors: [{ code: 'badVerb', message: 'x' }] })) errs.push(c);
    expect(errs.join('')).toBe(responseText(head({}), { errors: [{ code: 'badVerb', message: 'x' }] }));
  });

  it('refuses a time it cannot read (a programming error)', () => {
    expect(() => header({ identifier: 'x', datestamp: 'yesterday' })).toThrow(RangeError);
  });
});
