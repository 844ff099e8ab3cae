import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { describeEachDialect } from '../../../test/dialects.js';
import { httpEnv, type HttpEnv } from '../../../test/http.js';
import { addBooks } from '../../../test/books.js';
import { kids, parseXml, type XmlNode } from '../../../test/xml.js';
import { toolsRequired, validateWithXsd, xmllintAvailable } from '../../../test/xmllint.js';
import { SRU_XSD } from '../../../test/fixtures/sru/fixtures.js';
import { readSruResponse } from '../../codecs/sru/reader.js';
import { parseMarcXml } from '../../codecs/marc/parse.js';
import { buildApp, type App } from '../app.js';

const YAZ = '/usr/bin/yaz-client';

function expectValid(xml: string, version: '1.2' | '2.0'): void {
  if (!xmllintAvailable()) {
    if (toolsRequired()) throw new Error('xmllint is required (LIENTHONG_REQUIRE_TOOLS) but /usr/bin/xmllint is missing');
    return;
  }
  const r = validateWithXsd(xml, SRU_XSD[version]);
  expect(r.output, xml.slice(0, 1500)).toContain('validates');
}

function find(n: XmlNode, local: string): XmlNode[] {
  const out: XmlNode[] = [];
  const walk = (x: XmlNode) => {
    if (x.name === local || x.name.endsWith(`:${local}`)) out.push(x);
    x.children.forEach(walk);
  };
  walk(n);
  return out;
}

describeEachDialect('SRU server (/sru)', (dialect) => {
  let h: HttpEnv;
  let ids: number[];

  const sru = async (query: string, version: '1.2' | '2.0' = '1.2') => {
    const res = await h.app.inject({ url: `/sru?${query}` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/sru+xml; charset=utf-8');
    expectValid(res.body, version);
    return { xml: res.body, doc: parseXml(res.body) };
  };
  const search = (cql: string, extra = '', version: '1.2' | '2.0' = '1.2') =>
    sru(`${version === '1.2' ? 'version=1.2&operation=searchRetrieve&' : 'version=2.0&'}query=${encodeURIComponent(cql)}${extra}`, version);
  const diagnostics = (doc: XmlNode) => find(doc, 'uri').map((u) => Number(u.text.replace('info:srw/diagnostic/1/', '')));
  const total = (doc: XmlNode) => Number(find(doc, 'numberOfRecords')[0]!.text);

  beforeAll(async () => {
    h = await httpEnv(dialect);
    const t = h.tree;
    ids = await addBooks(h.container, t.prov, [
      { title: 'Truyện Kiều', authors: ['Nguyễn Du'], subjects: ['Văn học Việt Nam'], year: 1995, copies: [[t.communeA1.code]] },
      { title: 'Lịch sử Kiên Giang', authors: ['Trần Văn Giàu'], subjects: ['Lịch sử -- Kiên Giang'], year: 2001, copies: [[t.distA.code]] },
      { title: 'Lịch sử Việt Nam', authors: ['Trần Trọng Kim'], subjects: ['Lịch sử -- Việt Nam'], year: 1920 },
      { title: 'Văn học dân gian Nam Bộ', authors: ['Nguyễn Văn Hầu'], subjects: ['Văn học dân gian'], year: 2010 },
      { title: 'Kiều và Lục Vân Tiên', authors: ['Nguyễn Đình Chiểu'], subjects: ['Văn học Việt Nam'], year: 2015 },
    ]);
  });
  afterAll(async () => h?.dispose());

  it('explains itself in both versions: indexes, schemas, limits', async () => {
    for (const [q, v] of [['version=1.2&operation=explain', '1.2'], ['', '1.2'], ['version=2.0', '2.0']] as const) {
      const { doc } = await sru(q, v);
      expect(find(doc, 'explain')).toHaveLength(1);
      const names = find(doc, 'map').flatMap((m) => find(m, 'name').map((n) => `${n.attrs.set}.${n.text}`));
      expect(names).toEqual(expect.arrayContaining(['dc.title', 'dc.creator', 'bath.isbn', 'cql.serverChoice']));
      expect(find(doc, 'schema').map((s) => s.attrs.name)).toEqual(expect.arrayContaining(['marcxml', 'dc']));
    }
  });

  it('searches with CQL as the portal does: tone marks or not, fields, booleans', async () => {
    const cases: [string, number[]][] = [
      ['dc.title = "lịch sử"', [ids[1]!, ids[2]!]],
      ['dc.title all "lich su"', [ids[1]!, ids[2]!]],
      ['dc.creator = "nguyen du"', [ids[0]!]],
      ['kieu', [ids[0]!, ids[4]!]],
      ['dc.subject any "dan gian"', [ids[3]!]],
      ['dc.title = kieu not dc.creator = chieu', [ids[0]!]],
      ['dc.date < 1950', [ids[2]!]],
      ['dc.date within "2000 2012"', [ids[1]!, ids[3]!]],
    ];
    for (const [cql, want] of cases) {
      const { doc } = await search(cql, '&maximumRecords=10');
      expect(total(doc), cql).toBe(want.length);
      const got = find(doc, 'controlfield')
        .filter((c) => c.attrs.tag === '001')
        .map((c) => Number(c.text));
      expect(got.sort(), cql).toEqual([...want].sort());
    }
  });

  it('pages with startRecord and nextRecordPosition, and caps maximumRecords', async () => {
    const first = await search('dc.title = "lịch sử" or dc.subject = "văn học"', '&maximumRecords=2');
    expect(total(first.doc)).toBe(5);
    expect(find(first.doc, 'nextRecordPosition')[0]!.text).toBe('3');
    expect(find(first.doc, 'recordPosition').map((p) => p.text)).toEqual(['1', '2']);
    const last = await search('dc.title = "lịch sử" or dc.subject = "văn học"', '&maximumRecords=2&startRecord=5');
    expect(find(last.doc, 'recordPosition').map((p) => p.text)).toEqual(['5']);
    expect(find(last.doc, 'nextRecordPosition')).toHaveLength(0);
    const all = await search('cql.allRecords = 1', '&maximumRecords=1000000');
    expect(find(all.doc, 'recordPosition').length).toBe(Math.min(total(all.doc), 100));
    expect(total(all.doc)).toBeGreaterThanOrEqual(5);
    const count = await search('cql.allRecords = 1', '&maximumRecords=0');
    expect([total(count.doc), find(count.doc, 'recordPosition').length]).toEqual([total(all.doc), 0]);
  });

  it('answers in MARCXML that parses, or in Dublin Core, packed as XML or as a string, in 1.2 and 2.0', async () => {
    for (const version of ['1.2', '2.0'] as const) {
      const marc = await search('dc.title = "truyện kiều"', '&recordSchema=marcxml', version);
      const read = readSruResponse(marc.xml);
      if (!read.ok) throw new Error(read.problem);
      const rec = parseMarcXml(read.records[0]!.xml)[0]!;
      expect(rec.fields.find((f) => f.tag === '245')).toMatchObject({ subfields: [{ code: 'a', value: 'Truyện Kiều' }] });
      expect(rec.fields.filter((f) => f.tag === '852')).toHaveLength(1);
      const dc = await search('dc.title = "truyện kiều"', '&recordSchema=dc', version);
      expect(find(dc.doc, 'title')[0]!.text).toBe('Truyện Kiều');
      const packing = version === '1.2' ? '&recordPacking=string' : '&recordXMLEscaping=string';
      const str = await search('dc.title = "truyện kiều"', `&recordSchema=dc${packing}`, version);
      expect(find(str.doc, 'recordData')[0]!.text).toContain('<dc:title>Truyện Kiều</dc:title>');
    }
  });

  it('scans titles, authors and subjects with their record counts', async () => {
    const scan = async (clause: string, extra = '') => {
      const { doc } = await sru(`version=1.2&operation=scan&scanClause=${encodeURIComponent(clause)}${extra}`);
      return find(doc, 'term').map((t) => [kids(t, t.name.replace(/term$/, 'value'))[0]?.text ?? find(t, 'value')[0]!.text, Number(find(t, 'numberOfRecords')[0]!.text)]);
    };
    expect((await scan('dc.creator = "nguyen"', '&maximumTerms=3')).map(([v]) => v)).toEqual(['Nguyễn Du', 'Nguyễn Đình Chiểu', 'Nguyễn Văn Hầu'].slice(0, 3).sort((a, b) => (a === 'Nguyễn Du' ? -1 : b === 'Nguyễn Du' ? 1 : 0)));
    expect(await scan('dc.subject = "van hoc"', '&maximumTerms=2')).toEqual([
      ['Văn học dân gian', 1],
      ['Văn học Việt Nam', 2],
    ]);
    expect((await scan('dc.title = "L"', '&maximumTerms=1'))[0]![0]).toBe('Lịch sử Kiên Giang');
  });

  describe('diagnoses what it cannot do, in the response, never as a server error', () => {
    const cases: [string, string, number][] = [
      ['a CQL syntax error', 'version=1.2&operation=searchRetrieve&query=' + encodeURIComponent('dc.title = ("unclosed'), 14],
      ['an empty query', 'version=1.2&operation=searchRetrieve&query=', 7],
      ['an unsupported index', 'version=1.2&operation=searchRetrieve&query=' + encodeURIComponent('dc.format = pdf'), 16],
      ['proximity', 'version=1.2&operation=searchRetrieve&query=' + encodeURIComponent('a prox b'), 39],
      ['an unknown schema', 'version=1.2&operation=searchRetrieve&query=kieu&recordSchema=mods', 66],
      ['a version we do not speak', 'version=3.0&operation=searchRetrieve&query=kieu', 5],
      ['an unknown operation', 'version=1.2&operation=delete', 4],
      ['a repeated parameter', 'version=1.2&operation=searchRetrieve&query=a&query=b', 6],
      ['an unknown parameter', 'version=1.2&operation=searchRetrieve&query=a&colour=red', 8],
      ['a start past the end', 'version=1.2&operation=searchRetrieve&query=kieu&startRecord=50', 61],
      ['a scan of an index that cannot be walked', 'version=1.2&operation=scan&scanClause=' + encodeURIComponent('dc.date = 2000'), 16],
      ['a stylesheet', 'version=1.2&operation=searchRetrieve&query=kieu&stylesheet=x.xsl', 110],
    ];
    it.each(cases)('%s', async (_what, query, code) => {
      const version = query.startsWith('version=3.0') ? '2.0' : '1.2';
      const { doc } = await sru(query, version);
      expect(diagnostics(doc)).toContain(code);
    });
  });

  describe('with yaz-client, a client we did not write', () => {
    let app: App;
    let url: string;
    const available = existsSync(YAZ);
    beforeAll(async () => {
      if (!available) return;
      app = await buildApp({ services: h.container.services, store: h.container.store, clock: h.clock, sessionSecret: 'x'.repeat(40), baseUrl: 'http://127.0.0.1' });
      await app.listen({ port: 0, host: '127.0.0.1' });
      url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/sru`;
    });
    afterAll(async () => app?.close());

    // Asynchronously: the server answering yaz runs in this process.
    const yaz = (commands: string[]) =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(YAZ, [url], { stdio: ['pipe', 'pipe', 'pipe'] });
        let out = '';
        child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
        child.stderr.on('data', (d: Buffer) => (out += d.toString('utf8')));
        const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
        child.on('error', reject);
        child.on('close', () => {
          clearTimeout(timer);
          resolve(out);
        });
        child.stdin.end(commands.join('\n') + '\nquit\n');
      });

    it.runIf(available || toolsRequired())('finds and shows records by SRU GET 1.2, GET 2.0 and POST', async () => {
      if (!available) throw new Error(`${YAZ} is required (LIENTHONG_REQUIRE_TOOLS) but missing (Debian package yaz)`);
      for (const mode of ['sru get 1.2', 'sru get 2.0', 'sru post 1.2']) {
        const out = await yaz([mode, 'f dc.title="lich su"', 'show 1']);
        expect(out, mode).toMatch(/Number of hits: 2\b/);
        expect(out, mode).toContain('Lịch sử');
      }
      const none = await yaz(['sru get 1.2', 'f dc.title="khong co sach nay"']);
      expect(none).toMatch(/Number of hits: 0\b/);
      const bad = await yaz(['sru get 1.2', 'f dc.format=pdf']);
      expect(bad).toMatch(/Unsupported index|info:srw\/diagnostic\/1\/16/);
      // (yaz-client 5's display of an SRU scan response crashes in its own code whatever the
      // response holds, so scan is checked against the SRU schemas above instead.)
    });
  });
});
