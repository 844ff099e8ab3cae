/**
 * The harvester against a provider we did not write: static OAI-PMH repositories served over real
 * HTTP (`test/oai-static.ts`), real DSpace responses among them, on SQLite and PostgreSQL. One
 * database per dialect; each test makes its own sources, so tests do not see each other's records.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/dialects.js';
import { treeEnv, type TreeEnv } from '../../../test/factories.js';
import { startOaiStatic, type OaiStatic } from '../../../test/oai-static.js';
import { systemActor, type Actor } from '../actor.js';
import { AppError } from '../../domain/errors.js';
import { parseStoredMarc } from '../catalog-record.js';
import { decodeProblem } from './harvest-map.js';
import { HARVEST_JOB, HarvestService, HarvestSourceInvalid, checkSource, decodeFailure, fromArgument, type SourceInput } from './harvest.service.js';
import type { HarvestSource } from './harvest.ports.js';

describeEachDialect('HarvestService', (dialect) => {
  let x: TreeEnv;
  let oai: OaiStatic;
  let n = 0;

  beforeAll(async () => {
    oai = await startOaiStatic();
    // Short waits: a stalled repository is given up after 3 × 300 ms.
    x = await treeEnv(dialect, { container: { harvestLimits: { stallTimeoutMs: 300, requestTimeoutMs: 10_000, retryDelayMs: 10, maxRetryDelayMs: 50 } } });
  });
  afterAll(async () => {
    await x?.env.dispose();
    await oai?.close();
  });

  const harvest = () => x.c.services.harvest;
  const sys = systemActor('test');

  /** A new source on a fixture repository, owned by COMM-A1 unless said otherwise. */
  async function source(repo: string, o: Partial<SourceInput> = {}, actor: Actor = sys): Promise<HarvestSource> {
    n++;
    return harvest().create(actor, { code: `SRC-${n}`, name: `Nguồn ${n}`, baseUrl: oai.base(repo), metadataPrefix: 'oai_dc', target: 'catalog', unitId: x.t.communeA1.id, ...o });
  }

  /** What the repository was asked, from request `from` on. */
  const asked = (from: number): Array<Record<string, string>> => oai.requests.slice(from).map((r) => ({ repo: r.repo, ...r.args }));

  const recordsOf = async (s: HarvestSource) => (await x.c.store.catalog.listRecords({ limit: 1000, includeDeleted: true })).filter((r) => r.source === `harvest:${s.id}`);

  async function errorsOf(runId: number) {
    return (await x.c.store.harvest.errorsOf(runId, { limit: 100 })).map((e) => ({ identifier: e.identifier, ...decodeProblem(e.message) }));
  }

  // ------------------------------------------------------------------ sources

  it('creates a source for a library the actor manages, audited', async () => {
    const s = await source('dspace', { name: 'DSpace  Erasmus', setSpec: '', intervalHours: '24' }, x.actors.distadmin);
    expect(s).toMatchObject({ name: 'DSpace Erasmus', baseUrl: oai.base('dspace'), setSpec: null, metadataPrefix: 'oai_dc', target: 'catalog', unitId: x.t.communeA1.id, intervalHours: 24, enabled: true, harvestedUntil: null, lastStatus: null, version: 1 });
    // With a schedule, the first harvest is due at once.
    expect(s.nextRunAt).toBe(x.env.clock.now().toISOString());
    const entries = await x.c.store.audit.list({ action: 'harvest.source.create', limit: 10 });
    expect(entries.find((e) => e.targetId === String(s.id))).toMatchObject({ actorLabel: 'distadmin', unitId: x.t.communeA1.id });
    expect((await harvest().sourcesFor(x.actors.distadmin)).map((v) => v.id)).toContain(s.id);
    expect(await harvest().sourcesFor(x.actors.commlib)).toEqual([]);
  });

  it('refuses a library outside the actor’s grants, and records the refusal', async () => {
    const e = await harvest()
      .create(x.actors.distadmin, { code: 'OUTSIDE', name: 'x', baseUrl: oai.base('dspace'), metadataPrefix: 'oai_dc', unitId: x.t.communeB1.id })
      .catch((err: unknown) => err);
    expect(e).toBeInstanceOf(HarvestSourceInvalid);
    expect((e as HarvestSourceInvalid).problems).toEqual([{ field: 'unitId', code: 'unitOutside', params: { unit: 'COMM-B1' } }]);
    const denied = await x.c.store.audit.list({ action: 'security.denied', limit: 10 });
    expect(denied.some((d) => d.actorLabel === 'distadmin' && d.unitId === x.t.communeB1.id)).toBe(true);
    expect(await x.c.store.harvest.getSourceByCode('OUTSIDE')).toBeUndefined();
  });

  it('lists every problem of a source as typed', async () => {
    await source('dspace', { code: 'TAKEN' });
    const cases: Array<[Partial<SourceInput>, Array<[string, string]>]> = [
      [{ baseUrl: '' }, [['baseUrl', 'urlRequired']]],
      [{ baseUrl: 'not a url' }, [['baseUrl', 'urlInvalid']]],
      [{ baseUrl: 'ftp://oai.example.vn/oai' }, [['baseUrl', 'urlScheme']]],
      [{ baseUrl: 'http://user:pw@oai.example.vn/oai' }, [['baseUrl', 'urlInvalid']]],
      [{ baseUrl: 'http://oai.example.vn/oai?verb=Identify' }, [['baseUrl', 'urlQuery']]],
      [{ metadataPrefix: 'mods' }, [['metadataPrefix', 'prefixUnknown']]],
      [{ target: 'museum' }, [['target', 'targetUnknown']]],
      [{ setSpec: 'a set' }, [['setSpec', 'setInvalid']]],
      [{ intervalHours: '0' }, [['intervalHours', 'intervalInvalid']]],
      [{ intervalHours: 'daily' }, [['intervalHours', 'intervalInvalid']]],
      [{ code: 'a b' }, [['code', 'codeInvalid']]],
      [{ code: 'TAKEN' }, [['code', 'codeTaken']]],
      [{ name: ' ', unitId: '' }, [['name', 'nameRequired'], ['unitId', 'unitRequired']]],
      [{ unitId: 999_999 }, [['unitId', 'unitRequired']]],
    ];
    for (const [change, problems] of cases) {
      const e = await harvest()
        .create(sys, { code: 'NEW', name: 'Nguồn', baseUrl: 'https://oai.example.vn/oai', metadataPrefix: 'oai_dc', unitId: x.t.communeA1.id, ...change })
        .catch((err: unknown) => err);
      expect(e, JSON.stringify(change)).toBeInstanceOf(HarvestSourceInvalid);
      expect((e as HarvestSourceInvalid).problems.map((p) => [p.field, p.code]), JSON.stringify(change)).toEqual(problems);
      expect((e as AppError).status).toBe(400);
    }
  });

  it('checks a source without the database: values normalised', () => {
    expect(checkSource({ code: 'DSPACE-DHKG', name: ' Kho  số ', baseUrl: 'HTTPS://Kho.Example.vn/oai/request', metadataPrefix: 'marc21', target: 'digital', unitId: '7', intervalHours: '168', enabled: '' })).toEqual({
      value: { code: 'DSPACE-DHKG', name: 'Kho số', baseUrl: 'https://kho.example.vn/oai/request', setSpec: null, metadataPrefix: 'marc21', target: 'digital', unitId: 7, intervalHours: 168, enabled: false },
      problems: [],
    });
  });

  it('lets only staff who manage the library see, change, harvest or delete a source', async () => {
    const s = await source('dspace');
    for (const actor of [x.actors.commlib, x.actors.otherlib]) {
      await expect(harvest().source(actor, s.id)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
      await expect(harvest().harvestNow(actor, s.id)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
      await expect(harvest().update(actor, s.id, { ...s, version: s.version })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
      await expect(harvest().delete(actor, s.id)).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    }
    await expect(harvest().source(x.actors.distadmin, 999_999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await harvest().source(x.actors.distadmin, s.id)).id).toBe(s.id);
  });

  it('updates a source with its version; a new address starts harvesting over', async () => {
    const s = await source('dspace');
    await harvest().harvest(s.id);
    expect((await x.c.store.harvest.getSource(s.id))!.harvestedUntil).toBe('2003-04-30T16:08:02Z');
    const renamed = await harvest().update(x.actors.distadmin, s.id, { ...s, name: 'Erasmus', version: s.version });
    expect(renamed).toMatchObject({ name: 'Erasmus', version: 2, harvestedUntil: '2003-04-30T16:08:02Z' });
    await expect(harvest().update(x.actors.distadmin, s.id, { ...s, version: s.version })).rejects.toMatchObject({ code: 'CONFLICT' });
    const moved = await harvest().update(x.actors.distadmin, s.id, { ...renamed, baseUrl: oai.base('paged'), setSpec: 'kg', version: renamed.version });
    expect(moved).toMatchObject({ baseUrl: oai.base('paged'), setSpec: 'kg', harvestedUntil: null, version: 3 });
    const entries = await x.c.store.audit.list({ action: 'harvest.source.update', limit: 10 });
    expect(entries.filter((e) => e.targetId === String(s.id))).toHaveLength(2);
  });

  it('deletes a source; the records it harvested stay', async () => {
    const s = await source('dspace');
    await harvest().harvest(s.id);
    const records = await recordsOf(s);
    expect(records).toHaveLength(16);
    await harvest().delete(x.actors.distadmin, s.id, s.version);
    expect(await x.c.store.harvest.getSource(s.id)).toBeUndefined();
    expect(await x.c.store.harvest.latestRun(s.id)).toBeUndefined();
    expect((await recordsOf(s)).filter((r) => r.status === 'active')).toHaveLength(16);
  });

  // ------------------------------------------------------------------ harvesting

  it('harvests a real DSpace repository: Identify, then every record, searchable at once', async () => {
    const s = await source('dspace', { unitId: x.t.distA.id });
    const from = oai.requests.length;
    const out = await harvest().harvest(s.id);
    expect(out.failure).toBeUndefined();
    expect(out.run).toMatchObject({ status: 'done', pages: 1, added: 16, updated: 0, deleted: 0, failed: 0, fromStamp: null, responseDate: '2003-04-30T16:08:02Z', resumptionToken: null });
    expect(asked(from)).toEqual([
      { repo: 'dspace', verb: 'Identify' },
      { repo: 'dspace', verb: 'ListRecords', metadataPrefix: 'oai_dc' },
    ]);
    const after = (await x.c.store.harvest.getSource(s.id))!;
    expect(after).toMatchObject({ harvestedUntil: '2003-04-30T16:08:02Z', lastStatus: 'done' });

    const records = await recordsOf(s);
    expect(records).toHaveLength(16);
    expect(new Set(records.map((r) => r.ownerUnitId))).toEqual(new Set([x.t.distA.id]));
    const found = await x.c.services.search.search({ q: 'neuromarketing brein', page: 1, pageSize: 10 });
    const hit = records.find((r) => r.title.startsWith('Kijken in het brein'))!;
    expect(found.results.map((r) => r.id)).toContain(hit.id);
    expect(await harvest().counts(s.id)).toEqual({ live: 16, deleted: 0 });
    // Each record was written by the harvester as a system actor, audited.
    const created = await x.c.store.audit.list({ action: 'catalog.record.create', target: { type: 'record', ids: [String(hit.id)] }, limit: 5 });
    expect(created[0]?.actorLabel).toBe(`harvest:${s.code}`);

    // The next harvest asks from the first response's date, at the repository's granularity (seconds).
    const again = oai.requests.length;
    const second = await harvest().harvest(s.id);
    expect(second.failure).toBeUndefined();
    expect(second.run).toMatchObject({ status: 'done', pages: 0, added: 0, fromStamp: '2003-04-30T16:08:02Z' });
    expect(asked(again)[1]).toEqual({ repo: 'dspace', verb: 'ListRecords', metadataPrefix: 'oai_dc', from: '2003-04-30T16:08:02Z' });
    // noRecordsMatch: a success with nothing new; the next `from` is this answer's date.
    expect((await x.c.store.harvest.getSource(s.id))!.harvestedUntil).toBe('2003-05-07T09:12:44Z');
    expect(await recordsOf(s)).toHaveLength(16);
  });

  it('a digital source catalogues remote items as electronic resources linked to the repository', async () => {
    const s = await source('dspace', { target: 'digital' });
    const out = await harvest().harvest(s.id);
    expect(out.run.added).toBe(16);
    const rec = (await recordsOf(s)).find((r) => r.title.startsWith('Railway stations'))!;
    const view = await x.c.services.catalog.get(rec.id);
    expect(view.derived.electronic).toBe(true);
    expect(view.record.materialType).toBe('e-book');
    expect(view.derived.links.map((l) => l.url)).toEqual(['http://hdl.handle.net/1765/311']);
    const mapping = await x.c.store.harvest.getHarvested(s.id, 'hdl:1765/311');
    expect(mapping).toMatchObject({ recordId: rec.id, objectId: null, datestamp: '2003-04-22T12:49:53Z', deleted: false });
  });

  it('follows resumption tokens, then applies changes: update, deletion, unchanged, new', async () => {
    const s = await source('paged', { setSpec: 'kg' });
    const from = oai.requests.length;
    const first = await harvest().harvest(s.id);
    expect(first.run).toMatchObject({ status: 'done', pages: 3, added: 4, resumptionToken: null, responseDate: '2026-03-10T08:00:00Z' });
    expect(asked(from)).toEqual([
      { repo: 'paged', verb: 'Identify' },
      { repo: 'paged', verb: 'ListRecords', metadataPrefix: 'oai_dc', set: 'kg' },
      { repo: 'paged', verb: 'ListRecords', resumptionToken: 'kg-2' },
      { repo: 'paged', verb: 'ListRecords', resumptionToken: 'kg-3' },
    ]);
    const byId = async (identifier: string) => x.c.store.catalog.getRecord((await x.c.store.harvest.getHarvested(s.id, identifier))!.recordId!);
    const one = (await byId('oai:kho.example.vn:1'))!;
    expect(one.title).toBe('Địa chí Kiên Giang');

    const again = oai.requests.length;
    const second = await harvest().harvest(s.id);
    // Day granularity: `from` is the day of the last harvest's first response.
    expect(asked(again)[1]).toEqual({ repo: 'paged', verb: 'ListRecords', metadataPrefix: 'oai_dc', set: 'kg', from: '2026-03-10' });
    expect(second.run).toMatchObject({ status: 'done', pages: 1, added: 1, updated: 1, deleted: 1, failed: 0, fromStamp: '2026-03-10' });
    const updated = (await byId('oai:kho.example.vn:1'))!;
    expect([updated.id, updated.title, updated.year, updated.version]).toEqual([one.id, 'Địa chí Kiên Giang (tái bản có bổ sung)', 2012, one.version + 1]);
    const gone = (await byId('oai:kho.example.vn:2'))!;
    expect(gone.status).toBe('deleted');
    expect(await x.c.store.harvest.getHarvested(s.id, 'oai:kho.example.vn:2')).toMatchObject({ deleted: true, datestamp: '2026-03-13' });
    const unchanged = (await byId('oai:kho.example.vn:3'))!;
    expect(unchanged.version).toBe(1);
    const added = (await byId('oai:kho.example.vn:5'))!;
    expect(parseStoredMarc(added).fields.find((f) => f.tag === '020')).toEqual({ tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: '9786045712344' }] });
    expect(await harvest().counts(s.id)).toEqual({ live: 4, deleted: 1 });
    expect((await x.c.store.harvest.getSource(s.id))!.harvestedUntil).toBe('2026-03-14T09:00:00Z');
  });

  it('re-applying pages already applied changes nothing', async () => {
    const s = await source('paged', { setSpec: 'kg' });
    await harvest().harvest(s.id);
    const before = await recordsOf(s);
    // As if the run had died after applying its pages, before saving how far it got.
    const fresh = (await x.c.store.harvest.getSource(s.id))!;
    await x.c.store.harvest.updateSource(s.id, { ...fresh, resetProgress: true }, fresh.version, x.env.clock.now().toISOString());
    const out = await harvest().harvest(s.id);
    expect(out.run).toMatchObject({ status: 'done', pages: 3, added: 0, updated: 0, deleted: 0, failed: 0 });
    const after = await recordsOf(s);
    expect(after.map((r) => [r.id, r.version])).toEqual(before.map((r) => [r.id, r.version]));
  });

  it('a run that failed on page 2 continues from its token the next time', async () => {
    const s = await source('paged', { setSpec: 'kg' });
    oai.fail('paged', { status: 500, times: 3, after: 2 });
    const from = oai.requests.length;
    const failed = await harvest().harvest(s.id);
    expect(failed.failure).toMatchObject({ code: 'http', transient: true });
    expect(failed.run).toMatchObject({ status: 'failed', pages: 1, added: 2, resumptionToken: 'kg-2' });
    expect(decodeFailure(failed.run.message)).toMatchObject({ code: 'http' });
    expect(decodeFailure(failed.run.message)!.detail).toMatch(/^HTTP 500 from http:\/\/127\.0\.0\.1:\d+\/paged\/oai\?verb=ListRecords&resumptionToken=kg-2$/);
    // Three tries of page 2, none more.
    expect(asked(from).filter((r) => r.resumptionToken === 'kg-2')).toHaveLength(3);
    expect((await x.c.store.harvest.getSource(s.id))!).toMatchObject({ lastStatus: 'failed', harvestedUntil: null });

    const again = oai.requests.length;
    const resumed = await harvest().harvest(s.id);
    expect(resumed.resumed).toBe(true);
    expect(resumed.run).toMatchObject({ id: failed.run.id, status: 'done', pages: 3, added: 4, message: null, responseDate: '2026-03-10T08:00:00Z' });
    expect(asked(again).map((r) => r.resumptionToken ?? r.verb)).toEqual(['Identify', 'kg-2', 'kg-3']);
    expect((await x.c.store.harvest.getSource(s.id))!).toMatchObject({ lastStatus: 'done', harvestedUntil: '2026-03-10T08:00:00Z' });
    expect(await recordsOf(s)).toHaveLength(4);
  });

  it('an expired token restarts the list from the run’s `from`', async () => {
    const s = await source('paged', { setSpec: 'kg' });
    const run = await x.c.store.harvest.insertRun({ sourceId: s.id, jobId: null, fromStamp: null }, x.env.clock.now().toISOString());
    await x.c.store.harvest.updateRun(run.id, { status: 'failed', resumptionToken: 'expired' });
    const from = oai.requests.length;
    const out = await harvest().harvest(s.id);
    expect(out.resumed).toBe(true);
    expect(out.run).toMatchObject({ id: run.id, status: 'done', pages: 3, added: 4 });
    expect(asked(from).map((r) => r.resumptionToken ?? r.verb)).toEqual(['Identify', 'expired', 'ListRecords', 'kg-2', 'kg-3']);
  });

  it('tries a request again after a 503 and goes on', async () => {
    const s = await source('paged', { setSpec: 'kg' });
    oai.fail('paged', { status: 503, times: 2, after: 1, retryAfter: '0' });
    const from = oai.requests.length;
    const out = await harvest().harvest(s.id);
    expect(out.failure).toBeUndefined();
    expect(out.run).toMatchObject({ status: 'done', added: 4 });
    expect(asked(from).filter((r) => r.set === 'kg')).toHaveLength(3);
  });

  it('gives up on a repository that stalls, after three tries', async () => {
    const s = await source('dspace');
    oai.stall('dspace');
    const from = oai.requests.length;
    try {
      const out = await harvest().harvest(s.id);
      expect(out.failure).toMatchObject({ code: 'stalled', transient: true });
      expect(out.run.status).toBe('failed');
      expect(asked(from)).toEqual([
        { repo: 'dspace', verb: 'Identify' },
        { repo: 'dspace', verb: 'Identify' },
        { repo: 'dspace', verb: 'Identify' },
      ]);
    } finally {
      oai.unstall('dspace');
    }
  });

  it.each([
    ['broken', /line 1, column \d+: .*bogus/],
    ['bogus', /the end tag <\/OAI-PMH> does not match <bogus>/],
    ['refusing', /^badVerb: Illegal OAI verb$/],
    ['html', /DOCTYPE|doctype/i],
    ['nowhere', /^HTTP 404 from /],
  ])('refuses %s: it does not answer OAI-PMH, and is not asked twice', async (repo, detail) => {
    const s = await source(repo);
    const from = oai.requests.length;
    const out = await harvest().harvest(s.id);
    expect(out.failure).toMatchObject({ code: 'notOai', transient: false });
    expect(out.failure!.detail).toMatch(detail);
    expect(asked(from)).toEqual([{ repo, verb: 'Identify' }]);
    expect((await x.c.store.harvest.getSource(s.id))!.lastStatus).toBe('failed');
  });

  it('stops at a page that is not well-formed XML, applying nothing of it', async () => {
    const s = await source('badxml');
    const from = oai.requests.length;
    const out = await harvest().harvest(s.id);
    expect(out.failure).toMatchObject({ code: 'badXml', transient: false });
    expect(out.failure!.detail).toMatch(/^line \d+, column \d+: /);
    expect(out.run).toMatchObject({ status: 'failed', pages: 0, added: 0 });
    expect(asked(from).map((r) => r.verb)).toEqual(['Identify', 'ListRecords']);
    expect(await recordsOf(s)).toEqual([]);
  });

  it('reports an OAI-PMH error of the repository without trying again', async () => {
    const s = await source('errors');
    const from = oai.requests.length;
    const out = await harvest().harvest(s.id);
    expect(out.failure).toMatchObject({ code: 'oaiError', transient: false, detail: 'cannotDisseminateFormat: oai_dc is not supported by this repository' });
    expect(asked(from)).toHaveLength(2);
  });

  it('refuses a response larger than the limit', async () => {
    const small = new HarvestService({ store: x.c.store, clock: x.env.clock, orgCode: 'LIENTHONG', limits: { maxResponseBytes: 10_000 } });
    const s = await source('dspace');
    const out = await small.harvest(s.id);
    expect(out.failure).toMatchObject({ code: 'tooLarge', transient: false });
    expect(out.failure!.detail).toMatch(/more than 10000 bytes/);
  });

  it('harvests MARC 21: a record per good record, an error row for each bad one, and goes on', async () => {
    const s = await source('marc', { metadataPrefix: 'marc21' });
    const out = await harvest().harvest(s.id);
    expect(out.failure).toBeUndefined();
    expect(out.run).toMatchObject({ status: 'done', pages: 1, added: 1, failed: 3, deleted: 0 });
    const [rec] = await recordsOf(s);
    expect(rec).toMatchObject({ title: 'Thất Sơn mầu nhiệm', controlNumber: '1001', controlSource: 'TVAG', year: 2019, ownerUnitId: x.t.communeA1.id });
    const errors = await errorsOf(out.run.id);
    expect(errors.map((e) => [e.identifier, e.code])).toEqual([
      ['oai:opac.example.vn:AG:1002', 'invalid'],
      ['oai:opac.example.vn:AG:1003', 'noTitle'],
      ['oai:opac.example.vn:AG:1004', 'wrongFormat'],
    ]);
    expect(errors[0]!.rules).toContainEqual(expect.objectContaining({ code: 'field-not-repeatable', tag: '245' }));
    // Refused records leave no mapping, so the next harvest tries them again.
    expect(await x.c.store.harvest.getHarvested(s.id, 'oai:opac.example.vn:AG:1002')).toBeUndefined();
    expect(await harvest().errors(sys, out.run.id, { limit: 2 })).toMatchObject({ total: 3, errors: [{ identifier: 'oai:opac.example.vn:AG:1002' }, { identifier: 'oai:opac.example.vn:AG:1003' }] });
  });

  it('keeps a record whose remote deletion would remove copies a library holds', async () => {
    const s = await source('paged', { setSpec: 'kg' });
    await harvest().harvest(s.id);
    const two = (await x.c.store.harvest.getHarvested(s.id, 'oai:kho.example.vn:2'))!;
    await x.c.services.catalog.addItem(sys, two.recordId!, { barcode: `HV-${s.id}`, ownerUnitCode: 'COMM-A1' });
    const out = await harvest().harvest(s.id);
    expect(out.run).toMatchObject({ status: 'done', deleted: 0, failed: 1, updated: 1, added: 1 });
    expect((await errorsOf(out.run.id)).map((e) => [e.identifier, e.code])).toEqual([['oai:kho.example.vn:2', 'hasItems']]);
    expect((await x.c.store.catalog.getRecord(two.recordId!))!.status).toBe('active');
    expect((await x.c.store.harvest.getHarvested(s.id, 'oai:kho.example.vn:2'))!.deleted).toBe(false);
  });

  // ------------------------------------------------------------------ jobs and schedule

  it('"harvest now" queues one job, which the runner runs to the end', async () => {
    const s = await source('paged', { setSpec: 'kg' });
    const first = await harvest().harvestNow(x.actors.distadmin, s.id);
    expect(first).toMatchObject({ queued: true, job: { kind: HARVEST_JOB, status: 'queued', unitId: x.t.communeA1.id, params: { sourceId: s.id } } });
    const twice = await harvest().harvestNow(x.actors.distadmin, s.id);
    expect(twice).toMatchObject({ queued: false, job: { id: first.job.id } });
    while (await x.c.jobs.runOnce()) {
      // other suites' jobs may be queued too; run them all
    }
    const job = (await x.c.store.jobs.get(first.job.id))!;
    expect(job).toMatchObject({ status: 'done', summary: { pages: 3, added: 4, updated: 0, deleted: 0, failed: 0 } });
    const run = (await x.c.store.harvest.latestRun(s.id))!;
    expect(run).toMatchObject({ jobId: job.id, status: 'done' });
    const queued = await x.c.store.audit.list({ action: 'harvest.run.queue', limit: 20 });
    expect(queued.find((e) => e.targetId === String(s.id))?.actorLabel).toBe('distadmin');
  });

  it('a job whose repository does not answer OAI-PMH fails at once; one that stalls is tried again later', async () => {
    const bad = await source('html');
    const { job: badJob } = await harvest().harvestNow(sys, bad.id);
    const stalled = await source('errors');
    oai.stall('errors');
    const { job: slowJob } = await harvest().harvestNow(sys, stalled.id);
    try {
      while (await x.c.jobs.runOnce()) {
        // run what is due
      }
    } finally {
      oai.unstall('errors');
    }
    expect(await x.c.store.jobs.get(badJob.id)).toMatchObject({ status: 'failed', attempts: 1 });
    expect((await x.c.store.jobs.get(badJob.id))!.error).toMatch(/^notOai: /);
    const slow = (await x.c.store.jobs.get(slowJob.id))!;
    expect(slow).toMatchObject({ status: 'queued', attempts: 1 });
    expect(slow.runAfter! > x.env.clock.now().toISOString()).toBe(true);
    await x.c.store.jobs.finish(slowJob.id, null, 'cancelled', {}, x.env.clock.now().toISOString());
  });

  it('schedules due sources: one job each, next run moved on by the interval', async () => {
    const s = await source('dspace', { intervalHours: '6' });
    const off = await source('dspace', { intervalHours: '6', enabled: false });
    const manual = await source('dspace');
    const due = (await harvest().dueSources()).map((d) => d.id);
    expect(due).toContain(s.id);
    expect(due).not.toContain(off.id);
    expect(due).not.toContain(manual.id);
    const jobs = await harvest().scheduleDue();
    const mine = jobs.filter((j) => j.params.sourceId === s.id);
    expect(mine).toHaveLength(1);
    expect(mine[0]!.actorLabel).toBe('scheduler');
    expect((await x.c.store.harvest.getSource(s.id))!.nextRunAt).toBe(new Date(x.env.clock.now().getTime() + 6 * 3_600_000).toISOString());
    expect((await harvest().dueSources()).map((d) => d.id)).not.toContain(s.id);
    expect((await harvest().dueSources(new Date(x.env.clock.now().getTime() + 7 * 3_600_000))).map((d) => d.id)).toContain(s.id);
    // Queued once: scheduling again finds the open job.
    await x.c.store.harvest.setNextRun(s.id, null);
    const again = (await harvest().scheduleDue()).filter((j) => j.params.sourceId === s.id);
    expect(again.map((j) => j.id)).toEqual([mine[0]!.id]);
    await x.c.store.jobs.finish(mine[0]!.id, null, 'cancelled', {}, x.env.clock.now().toISOString());
  });

  it('refuses to harvest an unknown source', async () => {
    await expect(harvest().harvest(999_999)).rejects.toBeInstanceOf(AppError);
  });
});

it.each([
  ['2003-04-30T16:08:02Z', 'seconds', '2003-04-30T16:08:02Z'],
  ['2003-04-30T16:08:02Z', 'day', '2003-04-30'],
  ['2026-03-10', 'seconds', '2026-03-10T00:00:00Z'],
  ['2026-03-10T08:00:00.123Z', 'seconds', '2026-03-10T08:00:00Z'],
  ['yesterday', 'day', null],
] as const)('fromArgument(%j, %s) = %j', (stamp, granularity, from) => {
  expect(fromArgument(stamp, granularity)).toBe(from);
});
