import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOaiResponse } from '../../codecs/oai/reader.js';
import type { DataField, MarcRecord } from '../../codecs/marc/record.js';
import { deriveFields } from '../../domain/catalog/derive.js';
import { validateMarc21, hasErrors } from '../../domain/catalog/marc21-rules.js';
import { OAI_REPO_FIXTURES } from '../../../test/oai-static.js';
import { decodeProblem, encodeProblem, mapHarvestedRecord, prefixKind, readOaiDc, remoteLink, REMOTE_LINK_TEXT, type MapOptions } from './harvest-map.js';

const OPTS: MapOptions = { target: 'catalog', today: '2026-03-15', orgCode: 'LIENTHONG' };
const DC_OPEN = '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/">';

/** The `<metadata>` of each record of a fixture page, by identifier, as the harvester gets it. */
function recordsOf(repo: string, file: string): Map<string, string | undefined> {
  const read = readOaiResponse(readFileSync(join(OAI_REPO_FIXTURES, repo, file)));
  expect(read.problem).toBeUndefined();
  const out = new Map<string, string | undefined>();
  for (const i of read.items) if (i.kind === 'record') out.set(i.header.identifier, i.metadataXml);
  return out;
}

const fieldsOf = (marc: MarcRecord, tag: string) => marc.fields.filter((f): f is DataField => f.tag === tag && 'subfields' in f);
const sub = (f: DataField | undefined, code: string) => f?.subfields.find((s) => s.code === code)?.value;

describe('mapHarvestedRecord: Dublin Core from a real DSpace repository', () => {
  const dspace = recordsOf('dspace', 'records.xml');

  it('makes a valid catalogue record with the title, the ISBN and a link to the Handle', () => {
    const r = mapHarvestedRecord(dspace.get('hdl:1765/308'), OPTS);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.title).toBe('Kijken in het brein: Over de mogelijkheden van neuromarketing');
    expect(r.remoteUrl).toBe('http://hdl.handle.net/1765/308');
    const d = deriveFields(r.marc);
    expect(d.title).toContain('Kijken in het brein');
    expect(d.year).toBe(2003);
    expect(sub(fieldsOf(r.marc, '020')[0], 'a')).toBe('9789058920362');
    const link = fieldsOf(r.marc, '856')[0];
    expect([link?.ind1, link?.ind2, sub(link, 'u'), sub(link, 'y')]).toEqual(['4', '0', 'http://hdl.handle.net/1765/308', REMOTE_LINK_TEXT]);
    // A catalogue source describes the work: not an electronic resource.
    expect(r.marc.fields.some((f) => f.tag === '007')).toBe(false);
    expect(d.electronic).toBe(false);
    expect(hasErrors(validateMarc21(r.marc))).toBe(false);
    // Fields stay in tag order.
    const tags = r.marc.fields.map((f) => f.tag);
    expect(tags).toEqual([...tags].sort());
  });

  it('for a digital source, marks the record a remote electronic resource', () => {
    const r = mapHarvestedRecord(dspace.get('hdl:1765/311'), { ...OPTS, target: 'digital' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const d = deriveFields(r.marc);
    expect(d.electronic).toBe(true);
    expect(d.materialType).toBe('e-book');
    expect(r.marc.fields.find((f) => f.tag === '007')).toEqual({ tag: '007', value: 'cr |||||||||||' });
    expect(sub(fieldsOf(r.marc, '856')[0], 'u')).toBe('http://hdl.handle.net/1765/311');
  });

  it('reads an ISBN written with spaces, and leaves an ISSN alone', () => {
    const spaced = mapHarvestedRecord(dspace.get('hdl:1765/309'), OPTS);
    expect(spaced.ok && fieldsOf(spaced.marc, '020').map((f) => sub(f, 'a'))).toEqual(['9789058920324']);
    const issn = mapHarvestedRecord(dspace.get('hdl:1765/317'), OPTS);
    expect(issn.ok && fieldsOf(issn.marc, '020')).toEqual([]);
  });

  it('maps every record of the page', () => {
    const results = [...dspace].map(([id, xml]) => [id, mapHarvestedRecord(xml, OPTS)] as const);
    expect(results).toHaveLength(16);
    expect(results.filter(([, r]) => !r.ok).map(([id]) => id)).toEqual([]);
    // The title written over two lines reads as one.
    const wlan = results.find(([id]) => id === 'hdl:1765/318')![1];
    expect(wlan.ok && wlan.title).toMatch(/^WLAN Hot Spot services for the automotive and oil industries :a business analysis Or : "Refuel/);
  });

  it('refuses Dublin Core without a title', () => {
    expect(mapHarvestedRecord(`${DC_OPEN}<dc:creator>Nguyễn Du</dc:creator><dc:title>  </dc:title></oai_dc:dc>`, OPTS)).toEqual({ ok: false, problem: { code: 'noTitle' } });
  });
});

describe('mapHarvestedRecord: MARC 21', () => {
  const marc = recordsOf('marc', 'records.xml');

  it('takes a MARCXML record as the remote catalogued it', () => {
    const r = mapHarvestedRecord(marc.get('oai:opac.example.vn:AG:1001'), OPTS);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.title).toBe('Thất Sơn mầu nhiệm /');
    expect(r.marc.fields.find((f) => f.tag === '001')).toEqual({ tag: '001', value: '1001' });
    expect(deriveFields(r.marc).authors[0]?.name).toContain('Nguyễn, Văn Hầu');
    expect(r.marc.fields.some((f) => f.tag === '007')).toBe(false);
    expect(r.remoteUrl).toBeNull();
  });

  it('adds 007 cr for a digital source when the record has no computer-file 007', () => {
    const r = mapHarvestedRecord(marc.get('oai:opac.example.vn:AG:1001'), { ...OPTS, target: 'digital' });
    expect(r.ok && r.marc.fields.filter((f) => f.tag === '007')).toEqual([{ tag: '007', value: 'cr |||||||||||' }]);
  });

  it('leaves the MARC 21 rules to the catalogue (a record with two 245s maps)', () => {
    const r = mapHarvestedRecord(marc.get('oai:opac.example.vn:AG:1002'), OPTS);
    expect(r.ok).toBe(true);
    expect(r.ok && hasErrors(validateMarc21(r.marc))).toBe(true);
  });

  it.each([
    ['oai:opac.example.vn:AG:1003', 'noTitle'],
    ['oai:opac.example.vn:AG:1004', 'wrongFormat'],
  ])('refuses %s: %s', (id, code) => {
    const r = mapHarvestedRecord(marc.get(id), OPTS);
    expect(r.ok ? undefined : r.problem.code).toBe(code);
  });

  it('names the element of a format it does not read', () => {
    const r = mapHarvestedRecord(marc.get('oai:opac.example.vn:AG:1004'), OPTS);
    expect(r).toEqual({ ok: false, problem: { code: 'wrongFormat', detail: '<mods> (http://www.loc.gov/mods/v3)' } });
  });
});

describe('mapHarvestedRecord: bad input', () => {
  it.each<[string, string | undefined, string, RegExp | undefined]>([
    ['no metadata', undefined, 'noMetadata', undefined],
    ['empty metadata', '  ', 'noMetadata', undefined],
    ['not XML', 'just text', 'unreadable', /no XML element/],
    ['a tag never closed', `${DC_OPEN}<dc:title>Sách</dc:title>`, 'unreadable', /<oai_dc:dc> is never closed/],
    ['a mismatched end tag', `${DC_OPEN}<dc:title>Sách</dc:creator></oai_dc:dc>`, 'unreadable', /line 1, column \d+: the end tag <\/dc:creator> does not match <dc:title>/],
    ['an undeclared prefix', '<oai_dc:dc><dc:title>x</dc:title></oai_dc:dc>', 'unreadable', /the namespace prefix 'oai_dc' of <oai_dc:dc> is not declared/],
    ['a DOCTYPE', '<!DOCTYPE dc [<!ENTITY x "y">]><dc/>', 'unreadable', /DOCTYPE|doctype/i],
    ['broken MARCXML', '<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 i 4500</leader><datafield tag="245"', 'unreadable', /./],
  ])('%s', (_label, xml, code, detail) => {
    const r = mapHarvestedRecord(xml, OPTS);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problem.code).toBe(code);
    if (detail) expect(r.problem.detail).toMatch(detail);
  });
});

describe('readOaiDc', () => {
  it.each<[string, string, Record<string, string[]>]>([
    ['DC 1.1 elements, repeated values kept once, white space collapsed', `${DC_OPEN}<dc:title> Truyện  Kiều </dc:title><dc:creator>Nguyễn Du</dc:creator><dc:subject>Thơ</dc:subject><dc:subject>Thơ</dc:subject></oai_dc:dc>`, { title: ['Truyện Kiều'], creator: ['Nguyễn Du'], subject: ['Thơ'] }],
    ['DCMI Terms names and elements without a namespace', '<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dcterms="http://purl.org/dc/terms/"><dcterms:title>Gia Định thành thông chí</dcterms:title><date>1820</date></oai_dc:dc>', { title: ['Gia Định thành thông chí'], date: ['1820'] }],
    ['unknown elements and other namespaces are skipped', `${DC_OPEN}<dc:title>A</dc:title><dc:audience>x</dc:audience><x:title xmlns:x="urn:other">B</x:title></oai_dc:dc>`, { title: ['A'] }],
    ['text of nested markup and entities is read, NFC', `${DC_OPEN}<dc:description>Lê &amp; <b>Trần</b> — Ho\u0300a</dc:description><dc:title>T</dc:title></oai_dc:dc>`, { description: ['Lê & Trần — Hòa'], title: ['T'] }],
    ['a default namespace on the elements', '<dc xmlns="http://purl.org/dc/elements/1.1/"><title>Nam Kỳ phong tục</title></dc>', { title: ['Nam Kỳ phong tục'] }],
  ])('%s', (_label, xml, dc) => {
    expect(readOaiDc(xml)).toEqual({ ok: true, dc });
  });
});

describe('remoteLink', () => {
  it.each<[string[], string | undefined]>([
    [['90-5892-036-4', 'http://hdl.handle.net/1765/308'], 'http://hdl.handle.net/1765/308'],
    [['https://kho.example.vn/item/1', 'https://doi.org/10.1000/182'], 'https://doi.org/10.1000/182'],
    [['https://kho.example.vn/item/1', 'ftp://x/y'], 'https://kho.example.vn/item/1'],
    [['urn:nbn:vn:1', 'http://bad url'], undefined],
    [[], undefined],
  ])('%j → %s', (identifier, url) => {
    expect(remoteLink({ identifier })).toBe(url);
  });
});

describe('prefixes and stored problems', () => {
  it.each([
    ['oai_dc', 'dc'],
    ['marc21', 'marc'],
    ['marcxml', 'marc'],
    ['mods', undefined],
    ['toString', undefined],
    ['', undefined],
  ])('prefixKind(%j) = %s', (prefix, kind) => {
    expect(prefixKind(prefix)).toBe(kind);
  });

  it('round-trips a problem, and reads text that is not one as "other"', () => {
    const p = { code: 'invalid' as const, rules: [{ code: 'field-not-repeatable', tag: '245', params: { tag: '245' } }] };
    expect(decodeProblem(encodeProblem(p))).toEqual(p);
    expect(decodeProblem('the record was refused')).toEqual({ code: 'other', detail: 'the record was refused' });
    expect(decodeProblem('{"no":"code"}')).toEqual({ code: 'other', detail: '{"no":"code"}' });
  });
});
