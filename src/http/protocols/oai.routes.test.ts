import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeEachDialect } from '../../../test/dialects.js';
import { httpEnv, type HttpEnv } from '../../../test/http.js';
import { addBooks } from '../../../test/books.js';
import { processQueued, scriptedOcr, writePage } from '../../../test/digital.js';
import { kids, only, parseXml, type XmlNode } from '../../../test/xml.js';
import { toolsRequired, validateWithXsd, xmllintAvailable } from '../../../test/xmllint.js';
import type { TestClock } from '../../../test/factories.js';
import { systemActor } from '../../app/actor.js';

const XSD = join(import.meta.dirname, '../../../test/fixtures/xsd/oai-pmh-all.xsd');
const REPO = 'lienthong.local';

/** Every answer must be valid against the OAI-PMH schema (with oai_dc and MARC21 slim inside). */
function expectValid(xml: string): void {
  if (!xmllintAvailable()) {
    if (toolsRequired()) throw new Error('xmllint is required (LIENTHONG_REQUIRE_TOOLS) but /usr/bin/xmllint is missing');
    return;
  }
  const r = validateWithXsd(xml, XSD);
  expect(r.output, xml.slice(0, 2000)).toContain('validates');
  expect(r.ok).toBe(true);
}

function find(n: XmlNode, name: string): XmlNode[] {
  const out: XmlNode[] = [];
  const walk = (x: XmlNode) => {
    if (x.name === name) out.push(x);
    x.children.forEach(walk);
  };
  walk(n);
  return out;
}

describeEachDialect('OAI-PMH provider (/oai)', (dialect) => {
  let h: HttpEnv;
  let dir: string;
  let ids: number[];
  let objectId: number;
  /** Every record: the books and the record the digital object was catalogued with. */
  let recordIds: number[];
  const sys = systemActor('test');
  const clock = () => h.clock as TestClock;

  const oai = async (query: string) => {
    const res = await h.app.inject({ url: `/oai?${query}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/xml; charset=utf-8');
    return { xml: res.body, doc: parseXml(res.body) };
  };
  const errorCodes = (doc: XmlNode) => kids(doc, 'error').map((e) => e.attrs.code);

  /** Follows resumption tokens to the end; returns every page's document. */
  const harvest = async (first: string) => {
    const pages: XmlNode[] = [];
    let query = first;
    for (let guard = 0; guard < 50; guard++) {
      const { xml, doc } = await oai(query);
      expectValid(xml);
      pages.push(doc);
      const token = find(doc, 'resumptionToken')[0];
      if (!token || token.text === '') return pages;
      const verb = first.match(/verb=(\w+)/)![1];
      query = `verb=${verb}&resumptionToken=${encodeURIComponent(token.text)}`;
    }
    throw new Error('the list never ends');
  };
  const identifiersOf = (pages: XmlNode[]) => pages.flatMap((p) => find(p, 'header').map((hd) => only(hd, 'identifier')));

  beforeAll(async () => {
    h = await httpEnv(dialect, {
      container: { oai: { pageSize: { records: 3, identifiers: 4 } }, ocr: async () => scriptedOcr(['Địa chí Kiên Giang']) },
    });
    dir = await mkdtemp(join(tmpdir(), 'lt-oai-'));
    const c = h.container;
    const t = h.tree;
    ids = await addBooks(c, t.prov, [
      { title: 'Lịch sử Kiên Giang', authors: ['Trần Văn Giàu'], subjects: ['Lịch sử -- Kiên Giang'], year: 2001, copies: [[t.communeA1.code]] },
      { title: 'Truyện Kiều', authors: ['Nguyễn Du'], year: 1995, copies: [[t.communeB1.code]] },
      { title: 'Địa chí Hà Tiên', year: 2010, copies: [[t.distA.code], [t.communeB1.code]] },
      { title: 'Văn hoá Óc Eo', year: 2015, copies: [] },
      { title: 'Ca dao Nam Bộ', year: 1980, copies: [[t.communeA2.code]] },
      { title: 'Rừng U Minh', year: 2018, copies: [[t.communeA1.code]] },
      { title: 'Phú Quốc xưa', year: 2005, copies: [[t.prov.code]] },
    ]);
    // A published digital object of the plan's "local documents" category, in a collection.
    const coll = await c.services.digital.createCollection(sys, { ownerUnitId: t.prov.id, code: 'DIA-CHI', nameVi: 'Địa chí', nameEn: 'Local studies' });
    const o = await c.services.digital.create(sys, { ownerUnitId: t.prov.id, dc: { title: 'Bản đồ Hà Tiên 1920', language: 'vi' }, licence: 'cc-by', access: 'public', category: 'local', collectionIds: [coll.id] });
    const path = await writePage(dir, 'p1.png', ['Bản đồ Hà Tiên'], { width: 800, height: 1000 });
    const got = await c.services.digital.receive(createReadStream(path), 'trang-1.png');
    await c.services.digital.addFile(sys, o.id, { tempPath: got.path, sha256: got.sha256, size: got.size, name: 'trang-1.png' });
    await processQueued(c);
    for (const s of ['qc', 'metadata', 'published'] as const) await c.services.digital.transition(sys, [o.id], s);
    objectId = o.id;
    recordIds = [...ids, (await c.services.digital.get(o.id)).recordId!];
  });
  afterAll(async () => {
    await h?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('identifies itself: persistent deletions, seconds, an oai-identifier description', async () => {
    const { xml, doc } = await oai('verb=Identify');
    expectValid(xml);
    const id = find(doc, 'Identify')[0]!;
    expect(only(id, 'baseURL')).toBe('http://localhost/oai');
    expect(only(id, 'protocolVersion')).toBe('2.0');
    expect(only(id, 'deletedRecord')).toBe('persistent');
    expect(only(id, 'granularity')).toBe('YYYY-MM-DDThh:mm:ssZ');
    expect(only(id, 'earliestDatestamp')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(find(doc, 'repositoryIdentifier')[0]!.text).toBe(REPO);
  });

  it('lists oai_dc and marc21, for the repository and for one item', async () => {
    for (const q of ['verb=ListMetadataFormats', `verb=ListMetadataFormats&identifier=oai:${REPO}:record/${ids[0]}`]) {
      const { xml, doc } = await oai(q);
      expectValid(xml);
      expect(find(doc, 'metadataPrefix').map((n) => n.text)).toEqual(['oai_dc', 'marc21']);
    }
    expect(errorCodes((await oai(`verb=ListMetadataFormats&identifier=oai:${REPO}:record/999999`)).doc)).toEqual(['idDoesNotExist']);
  });

  it('lists sets following the library tree, digital collections and plan categories', async () => {
    const { xml, doc } = await oai('verb=ListSets');
    expectValid(xml);
    const specs = find(doc, 'setSpec').map((n) => n.text);
    const t = h.tree;
    expect(specs).toContain('lib');
    expect(specs).toContain(`lib:${t.root.code}:${t.prov.code}:${t.distA.code}:${t.communeA1.code}`);
    expect(specs).toEqual(expect.arrayContaining(['coll', 'coll:dia-chi', 'cat', 'cat:local', 'cat:han_nom']));
  });

  it('harvests every record and the digital object exactly once, in pages with cursors, in both formats', async () => {
    for (const prefix of ['oai_dc', 'marc21']) {
      const pages = await harvest(`verb=ListRecords&metadataPrefix=${prefix}`);
      const got = identifiersOf(pages);
      const want = [...recordIds.map((id) => `oai:${REPO}:record/${id}`), `oai:${REPO}:digital/${objectId}`];
      expect([...got].sort()).toEqual([...want].sort());
      expect(new Set(got).size).toBe(got.length);
      expect(pages.length).toBe(3);
      const tokens = pages.map((p) => find(p, 'resumptionToken')[0]!);
      expect(tokens.map((x) => x.attrs.cursor)).toEqual(['0', '3', '6']);
      expect(tokens.every((x) => x.attrs.completeListSize === String(want.length))).toBe(true);
      expect(tokens[2]!.text).toBe('');
      expect(tokens[0]!.attrs.expirationDate).toMatch(/Z$/);
    }
  });

  it('writes oai_dc from MARC and MARCXML with our number, holdings and set memberships', async () => {
    const dc = (await oai(`verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:${REPO}:record/${ids[0]}`)).doc;
    expect(find(dc, 'dc:title')[0]!.text).toBe('Lịch sử Kiên Giang');
    expect(find(dc, 'dc:creator')[0]!.text).toContain('Trần Văn Giàu');
    expect(find(dc, 'dc:identifier').map((n) => n.text)).toContain(`http://localhost/record/${ids[0]}`);
    const t = h.tree;
    expect(find(dc, 'setSpec').map((n) => n.text)).toEqual([`lib:${t.root.code}:${t.prov.code}`, `lib:${t.root.code}:${t.prov.code}:${t.distA.code}:${t.communeA1.code}`].sort());
    const { xml, doc } = await oai(`verb=GetRecord&metadataPrefix=marc21&identifier=oai:${REPO}:record/${ids[2]}`);
    expectValid(xml);
    const control = find(doc, 'marc:controlfield').length ? find(doc, 'marc:controlfield') : find(doc, 'controlfield');
    expect(control.find((n) => n.attrs.tag === '001')!.text).toBe(String(ids[2]));
    const fields = find(doc, 'marc:datafield').length ? find(doc, 'marc:datafield') : find(doc, 'datafield');
    expect(fields.filter((n) => n.attrs.tag === '852')).toHaveLength(2);
    const obj = (await oai(`verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:${REPO}:digital/${objectId}`)).doc;
    expect(find(obj, 'dc:title')[0]!.text).toBe('Bản đồ Hà Tiên 1920');
    expect(find(obj, 'setSpec').map((n) => n.text)).toEqual(expect.arrayContaining(['coll:dia-chi', 'cat:local']));
  });

  it('selects by set: a district holds what its communes hold; collections and categories hold digital objects', async () => {
    const t = h.tree;
    const distA = identifiersOf(await harvest(`verb=ListIdentifiers&metadataPrefix=oai_dc&set=lib:${t.root.code}:${t.prov.code}:${t.distA.code}`));
    expect(distA.sort()).toEqual([ids[0], ids[2], ids[4], ids[5]].map((id) => `oai:${REPO}:record/${id}`).sort());
    expect(identifiersOf(await harvest('verb=ListIdentifiers&metadataPrefix=oai_dc&set=cat:local'))).toEqual([`oai:${REPO}:digital/${objectId}`]);
    expect(identifiersOf(await harvest('verb=ListIdentifiers&metadataPrefix=oai_dc&set=coll:dia-chi'))).toEqual([`oai:${REPO}:digital/${objectId}`]);
    expect(errorCodes((await oai('verb=ListIdentifiers&metadataPrefix=oai_dc&set=cat:han_nom')).doc)).toEqual(['noRecordsMatch']);
    expect(errorCodes((await oai('verb=ListIdentifiers&metadataPrefix=oai_dc&set=lib:NOWHERE')).doc)).toEqual(['noRecordsMatch']);
  });

  it('stays correct while records change during a harvest: a changed record comes again at the end, none is lost', async () => {
    const first = await oai('verb=ListIdentifiers&metadataPrefix=oai_dc');
    const seen = find(first.doc, 'identifier').map((n) => n.text);
    const token = find(first.doc, 'resumptionToken')[0]!.text;
    // One record already sent and one not yet sent change now.
    clock().advance(5_000);
    const sentId = Number(seen[0]!.split('/')[1]);
    const laterId = ids[ids.length - 1]!;
    for (const id of [sentId, laterId]) {
      const rec = await h.container.services.catalog.get(id);
      const marc = rec.marc;
      marc.fields.push({ tag: '500', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'Sửa trong lúc thu hoạch' }] });
      await h.container.services.catalog.update(sys, id, { marc, version: rec.record.version });
    }
    const rest = await harvest(`verb=ListIdentifiers&resumptionToken=${encodeURIComponent(token)}`);
    const all = [...seen, ...identifiersOf(rest)];
    const want = [...recordIds.map((id) => `oai:${REPO}:record/${id}`), `oai:${REPO}:digital/${objectId}`];
    expect([...new Set(all)].sort()).toEqual([...want].sort());
    // The changed record already sent comes once more, at the end; the other comes once.
    expect(all.filter((x) => x === `oai:${REPO}:record/${sentId}`)).toHaveLength(2);
    expect(all.filter((x) => x === `oai:${REPO}:record/${laterId}`)).toHaveLength(1);
    expect(all.slice(-2).sort()).toEqual([`oai:${REPO}:record/${sentId}`, `oai:${REPO}:record/${laterId}`].sort());
  });

  it('reports a deleted record for ever as a header with status="deleted" and no metadata', async () => {
    const [gone] = await addBooks(h.container, h.tree.prov, [{ title: 'Bản trùng sẽ xoá', year: 2020 }]);
    clock().advance(60_000);
    const since = new Date(clock().now().getTime()).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await h.container.services.catalog.delete(sys, gone!);
    const got = await oai(`verb=GetRecord&metadataPrefix=marc21&identifier=oai:${REPO}:record/${gone}`);
    expectValid(got.xml);
    expect(find(got.doc, 'header')[0]!.attrs.status).toBe('deleted');
    expect(find(got.doc, 'metadata')).toHaveLength(0);
    const changed = await oai(`verb=ListRecords&metadataPrefix=oai_dc&from=${since}`);
    expectValid(changed.xml);
    expect(find(changed.doc, 'header').map((x) => [only(x, 'identifier'), x.attrs.status])).toEqual([[`oai:${REPO}:record/${gone}`, 'deleted']]);
  });

  it('reports an unpublished digital object as deleted', async () => {
    clock().advance(60_000);
    await h.container.services.digital.transition(sys, [objectId], 'metadata');
    const got = await oai(`verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:${REPO}:digital/${objectId}`);
    expect(find(got.doc, 'header')[0]!.attrs.status).toBe('deleted');
    await h.container.services.digital.transition(sys, [objectId], 'published');
    const back = await oai(`verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:${REPO}:digital/${objectId}`);
    expect(find(back.doc, 'header')[0]!.attrs.status).toBeUndefined();
  });

  it('selects by from and until at the granularity of seconds and of days', async () => {
    clock().set('2027-01-10T08:30:15.400Z');
    const rec = await h.container.services.catalog.get(ids[3]!);
    await h.container.services.catalog.update(sys, ids[3]!, { marc: rec.marc, version: rec.record.version });
    const list = async (q: string) => find((await oai(`verb=ListIdentifiers&metadataPrefix=oai_dc&${q}`)).doc, 'identifier').map((n) => n.text);
    const mine = `oai:${REPO}:record/${ids[3]}`;
    expect(await list('from=2027-01-10T08:30:15Z')).toEqual([mine]);
    expect(await list('from=2027-01-10')).toEqual([mine]);
    expect(await list('from=2027-01-10T08:30:15Z&until=2027-01-10T08:30:15Z')).toEqual([mine]);
    expect(await list('from=2027-01-10&until=2027-01-10')).toEqual([mine]);
    expect(errorCodes((await oai('verb=ListIdentifiers&metadataPrefix=oai_dc&from=2027-01-10T08:30:16Z')).doc)).toEqual(['noRecordsMatch']);
    expect(await list('until=2027-01-09')).not.toContain(mine);
  });

  it('moves a record into a library set, with a new datestamp, when that library adds a copy', async () => {
    clock().set('2027-02-01T10:00:00.000Z');
    const t = h.tree;
    const spec = `lib:${t.root.code}:${t.prov.code}:${t.distB.code}:${t.communeB1.code}`;
    const inB1 = async () => find((await oai(`verb=ListIdentifiers&metadataPrefix=oai_dc&set=${spec}`)).doc, 'identifier').map((n) => n.text);
    const mine = `oai:${REPO}:record/${ids[6]}`;
    expect(await inB1()).not.toContain(mine);
    await h.container.services.catalog.addItem(sys, ids[6]!, { barcode: `OAI-B1-${dialect}`, ownerUnitCode: t.communeB1.code, unitId: t.communeB1.id });
    expect(await inB1()).toContain(mine);
    const since = find((await oai('verb=ListIdentifiers&metadataPrefix=oai_dc&from=2027-02-01T10:00:00Z')).doc, 'identifier').map((n) => n.text);
    expect(since).toEqual([mine]);
  });

  describe('answers bad requests with the protocol error, valid against the schema, never a server error', () => {
    const cases: [string, string, string[]][] = [
      ['no verb', '', ['badVerb']],
      ['an unknown verb', 'verb=Frobnicate', ['badVerb']],
      ['a repeated verb', 'verb=Identify&verb=Identify', ['badVerb']],
      ['an argument Identify does not take', 'verb=Identify&metadataPrefix=oai_dc', ['badArgument']],
      ['a repeated argument', 'verb=ListRecords&metadataPrefix=oai_dc&metadataPrefix=marc21', ['badArgument']],
      ['no metadataPrefix', 'verb=ListRecords', ['badArgument']],
      ['a malformed date', 'verb=ListRecords&metadataPrefix=oai_dc&from=2024-02-30', ['badArgument']],
      ['a time without Z', 'verb=ListRecords&metadataPrefix=oai_dc&from=2024-02-01T10:00:00', ['badArgument']],
      ['from and until of different granularity', 'verb=ListRecords&metadataPrefix=oai_dc&from=2024-01-01&until=2024-02-01T00:00:00Z', ['badArgument']],
      ['from after until', 'verb=ListRecords&metadataPrefix=oai_dc&from=2025-01-01&until=2024-01-01', ['badArgument']],
      ['an unknown format', 'verb=ListRecords&metadataPrefix=mods', ['cannotDisseminateFormat']],
      ['GetRecord in an unknown format', `verb=GetRecord&metadataPrefix=mods&identifier=oai:${REPO}:record/1`, ['cannotDisseminateFormat']],
      ['an identifier of another repository', 'verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:elsewhere.org:record/1', ['idDoesNotExist']],
      ['a huge number', `verb=GetRecord&metadataPrefix=oai_dc&identifier=oai:${REPO}:record/99999999999999999999`, ['idDoesNotExist']],
      ['garbage for a token', 'verb=ListRecords&resumptionToken=not-a-token', ['badResumptionToken']],
      ['a token with other arguments', 'verb=ListRecords&resumptionToken=x&metadataPrefix=oai_dc', ['badArgument']],
      ['nothing since a future date', 'verb=ListRecords&metadataPrefix=oai_dc&from=2999-01-01', ['noRecordsMatch']],
      ['a token for ListSets', 'verb=ListSets&resumptionToken=abc', ['badResumptionToken']],
    ];
    it.each(cases)('%s', async (_what, query, codes) => {
      const { xml, doc } = await oai(query);
      expectValid(xml);
      expect(errorCodes(doc)).toEqual(codes);
      const request = kids(doc, 'request')[0]!;
      if (codes[0] === 'badVerb' || codes[0] === 'badArgument') expect(request.attrs).toEqual({});
    });

    it('refuses a tampered token, a token of another list and an expired one', async () => {
      const first = await oai('verb=ListRecords&metadataPrefix=oai_dc');
      const token = find(first.doc, 'resumptionToken')[0]!.text;
      const flipped = token.slice(0, -3) + (token.endsWith('A') ? 'B' : 'A') + token.slice(-2);
      expect(errorCodes((await oai(`verb=ListRecords&resumptionToken=${encodeURIComponent(flipped)}`)).doc)).toEqual(['badResumptionToken']);
      expect(errorCodes((await oai(`verb=ListIdentifiers&resumptionToken=${encodeURIComponent(token)}`)).doc)).toEqual(['badResumptionToken']);
      clock().advance(25 * 3600_000);
      const expired = await oai(`verb=ListRecords&resumptionToken=${encodeURIComponent(token)}`);
      expectValid(expired.xml);
      expect(errorCodes(expired.doc)).toEqual(['badResumptionToken']);
    });
  });

  it('takes the arguments by POST too, with repeats still refused, and without a form token', async () => {
    const post = (payload: string) => h.app.inject({ method: 'POST', url: '/oai', payload, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const ok = await post('verb=Identify');
    expect(ok.statusCode).toBe(200);
    expect(find(parseXml(ok.body), 'repositoryName')).toHaveLength(1);
    const repeated = await post('verb=ListSets&verb=ListSets');
    expect(errorCodes(parseXml(repeated.body))).toEqual(['badVerb']);
  });
});
