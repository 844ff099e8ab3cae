import { afterAll, beforeAll, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { describeEachDialect } from '../../../test/dialects.js';
import { httpEnv, type HttpEnv } from '../../../test/http.js';
import { addBooks } from '../../../test/books.js';
import { toolsRequired } from '../../../test/xmllint.js';
import { systemActor } from '../../app/actor.js';
import { buildApp, type App } from '../app.js';

/**
 * A complete harvest of our provider by an OAI-PMH harvester we did not write: `oai_pmh` from
 * Perl's HTTP::OAI (Debian `libhttp-oai-perl`), which follows resumption tokens itself and checks
 * the responses as it parses them.
 */
const OAI_PMH = '/usr/bin/oai_pmh';
const available = existsSync(OAI_PMH);

function run(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    // Asynchronously: the server it harvests runs in this process.
    const child = spawn(OAI_PMH, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (err += d.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

describeEachDialect('OAI-PMH provider harvested by HTTP::OAI', (dialect) => {
  let h: HttpEnv;
  let app: App;
  let base: string;
  let ids: number[];

  beforeAll(async () => {
    // Pages of 7 records, so that 23 records take four responses and three resumption tokens.
    h = await httpEnv(dialect, { container: { oai: { pageSize: { records: 7, identifiers: 7 } } } });
    const t = h.tree;
    const books = Array.from({ length: 23 }, (_, i) => ({
      title: `Địa chí Kiên Giang tập ${i + 1}`,
      authors: [i % 2 ? 'Nguyễn Văn Hầu' : 'Sơn Nam'],
      year: 1990 + i,
      copies: [[i % 3 ? t.communeA1.code : t.communeB1.code]] as Array<[string]>,
    }));
    ids = await addBooks(h.container, t.prov, books);
    // One tombstone among them.
    const [gone] = await addBooks(h.container, t.prov, [{ title: 'Bản sẽ xoá', year: 2000 }]);
    await h.container.services.catalog.delete(systemActor('test'), gone!);
    ids.push(gone!);
    app = await buildApp({ services: h.container.services, store: h.container.store, clock: h.clock, sessionSecret: 'y'.repeat(40), baseUrl: 'http://127.0.0.1' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/oai`;
  });
  afterAll(async () => {
    await app?.close();
    await h?.dispose();
  });

  it.runIf(available || toolsRequired())('gets every record, the deleted one as deleted, in oai_dc and in marc21', async () => {
    if (!available) throw new Error(`${OAI_PMH} is required (LIENTHONG_REQUIRE_TOOLS) but missing (Debian package libhttp-oai-perl)`);
    for (const prefix of ['oai_dc', 'marc21']) {
      // (-X ListRecords: without a verb, oai_pmh asks for oai_dc whatever --metadataPrefix says.)
      const r = await run(['-X', 'ListRecords', '--metadataPrefix', prefix, base]);
      expect(r.code, r.err).toBe(0);
      const identifiers = [...r.out.matchAll(/identifier: (oai:\S+)/g)].map((m) => m[1]);
      expect(new Set(identifiers).size, r.out.slice(0, 500)).toBe(ids.length);
      expect([...new Set(identifiers)].sort()).toEqual(ids.map((id) => `oai:lienthong.local:record/${id}`).sort());
      expect([...r.out.matchAll(/status: deleted/g)]).toHaveLength(1);
      if (prefix === 'oai_dc') expect(r.out).toContain('<dc:title>Địa chí Kiên Giang tập 23</dc:title>');
      else {
        expect(r.out).toMatch(/<(\w+:)?subfield code=.a.>Địa chí Kiên Giang tập 23</);
      }
    }
  });

  it.runIf(available || toolsRequired())('identifies the repository and harvests a set of the library tree', async () => {
    if (!available) throw new Error(`${OAI_PMH} is required (LIENTHONG_REQUIRE_TOOLS) but missing (Debian package libhttp-oai-perl)`);
    const id = await run(['-X', 'Identify', base]);
    expect(id.code, id.err).toBe(0);
    // (`oai_pmh -X ListSets` fails in the tool itself — "Can't locate object method header via
    // package HTTP::OAI::Set" — whatever the response; ListSets is validated against the schema in
    // oai.routes.test.ts. A selective harvest by set is what harvesters do with sets.)
    const selective = await run(['-X', 'ListRecords', '--metadataPrefix', 'oai_dc', '--set', `lib:${h.tree.root.code}:${h.tree.prov.code}:${h.tree.distB.code}`, base]);
    expect(selective.code, selective.err).toBe(0);
    // Every third book has its copy in commune B1.
    expect(new Set([...selective.out.matchAll(/identifier: (oai:\S+)/g)].map((m) => m[1])).size).toBe(8);
  });
});
