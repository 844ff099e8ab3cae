import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/dialects.js';
import { TestClock, treeEnv, type TreeEnv } from '../../../test/factories.js';
import { startSruStatic, type SruStatic } from '../../../test/sru-static.js';
import { AppError } from '../../domain/errors.js';
import type { MarcRecord } from '../../codecs/marc/record.js';
import type { Actor } from '../actor.js';
import { CopyCatalogService, checkTarget, copyCql, dublinCoreOf, type CopyQuery, type ResultEntry, type SearchPage } from './copy-catalog.service.js';
import type { SruTarget } from './sru-target.ports.js';

async function expectCode(p: Promise<unknown>, code: string): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e, `expected ${code}`).toBeInstanceOf(AppError);
  expect((e as AppError).code).toBe(code);
  return e as AppError;
}

const rules = (e: AppError) => (e.details ?? []).map((d) => `${d.field}:${String(d.params?.rule)}`);

describe('copyCql', () => {
  it.each<[CopyQuery, string]>([
    [{ kind: 'title', text: 'Truyện   Kiều' }, 'dc.title all "Truyện Kiều"'],
    [{ kind: 'author', text: 'Nguyễn Du' }, 'dc.creator all "Nguyễn Du"'],
    [{ kind: 'subject', text: 'Địa chí' }, 'dc.subject all "Địa chí"'],
    [{ kind: 'any', text: 'kieu' }, 'cql.serverChoice all "kieu"'],
    // Quotes and backslashes are escaped; ? and ^ are plain characters, * stays a truncation.
    [{ kind: 'title', text: 'say "hi" \\ bye?' }, 'dc.title all "say \\"hi\\" \\\\ bye\\?"'],
    [{ kind: 'title', text: 'chiến tranh*' }, 'dc.title all "chiến tranh*"'],
    // Decomposed input (as some keyboards send it) goes out in NFC.
    [{ kind: 'title', text: 'Kie\u0302\u0300u' }, 'dc.title all "Kiều"'],
    [{ kind: 'isbn', text: 'ISBN 978-604-1-23456-7' }, 'bath.isbn = "9786041234567" or bath.isbn = "6041234567"'],
    [{ kind: 'isbn', text: '0-553-80457-x' }, 'bath.isbn = "9780553804577" or bath.isbn = "055380457X"'],
    [{ kind: 'issn', text: '0317 8471' }, 'bath.issn = "0317-8471"'],
  ])('%j → %s', (q, cql) => {
    expect(copyCql(q)).toBe(cql);
  });

  it.each<[CopyQuery, string]>([
    [{ kind: 'title', text: '   ' }, 'text:copy.search.textRequired'],
    [{ kind: 'title', text: 'x'.repeat(301) }, 'text:copy.search.textTooLong'],
    [{ kind: 'isbn', text: '978-604-1-23456-8' }, 'text:copy.search.isbnInvalid'],
    [{ kind: 'issn', text: '0317-8472' }, 'text:copy.search.issnInvalid'],
    [{ kind: 'nonsense' as CopyQuery['kind'], text: 'a' }, 'kind:copy.search.kindInvalid'],
  ])('refuses %j', (q, rule) => {
    try {
      copyCql(q);
      expect.unreachable();
    } catch (e) {
      expect(rules(e as AppError)).toEqual([rule]);
    }
  });
});

describe('checkTarget', () => {
  const ok = { name: ' Thư viện  Quốc hội Hoa Kỳ ', baseUrl: 'http://lx2.loc.gov:210/LCDB', sruVersion: '1.1', recordSchema: 'marcxml' };
  it('keeps a good target, tidied', () => {
    expect(checkTarget(ok)).toEqual({ name: 'Thư viện Quốc hội Hoa Kỳ', baseUrl: 'http://lx2.loc.gov:210/LCDB', sruVersion: '1.1', recordSchema: 'marcxml', enabled: true });
    expect(checkTarget({ ...ok, recordSchema: '', enabled: '' }).recordSchema).toBe('marcxml');
    expect(checkTarget({ ...ok, enabled: 'on' }).enabled).toBe(true);
    expect(checkTarget({ ...ok, enabled: false }).enabled).toBe(false);
  });
  it.each<[Record<string, unknown>, string[]]>([
    [{ baseUrl: 'ftp://opac.example.vn/sru' }, ['baseUrl:copy.target.urlScheme']],
    [{ baseUrl: 'file:///etc/passwd' }, ['baseUrl:copy.target.urlScheme']],
    [{ baseUrl: 'https://thuthu:matkhau@opac.example.vn/sru' }, ['baseUrl:copy.target.urlCredentials']],
    [{ baseUrl: 'https://opac.example.vn/sru#x' }, ['baseUrl:copy.target.urlFragment']],
    [{ baseUrl: 'opac.example.vn/sru' }, ['baseUrl:copy.target.urlInvalid']],
    [{ baseUrl: '' }, ['baseUrl:copy.target.urlRequired']],
    [{ name: '' }, ['name:copy.target.nameRequired']],
    [{ sruVersion: '3.0' }, ['sruVersion:copy.target.versionInvalid']],
    [{ recordSchema: 'marc xml' }, ['recordSchema:copy.target.schemaInvalid']],
    // Every problem at once.
    [{ name: '', baseUrl: 'gopher://x', sruVersion: '' }, ['name:copy.target.nameRequired', 'baseUrl:copy.target.urlScheme', 'sruVersion:copy.target.versionInvalid']],
  ])('refuses %j', (patch, expected) => {
    try {
      checkTarget({ ...ok, ...patch });
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).code).toBe('VALIDATION');
      expect(rules(e as AppError)).toEqual(expected);
    }
  });
});

describe('dublinCoreOf', () => {
  it('reads DC elements under any prefix, and nothing outside the DC namespace', () => {
    const xml = '<srw_dc:dc xmlns:srw_dc="info:srw/schema/1/dc-schema" xmlns:d="http://purl.org/dc/elements/1.1/" xmlns:x="urn:x"><d:title>Gia Định  thành thông chí</d:title><x:title>not DC</x:title><d:creator>Trịnh Hoài Đức</d:creator><d:creator/><d:subject>Địa chí</d:subject></srw_dc:dc>';
    expect(dublinCoreOf(xml)).toEqual({ title: ['Gia Định thành thông chí'], creator: ['Trịnh Hoài Đức'], subject: ['Địa chí'] });
    expect(dublinCoreOf('<dc><title>x</title>')).toEqual({});
  });
});

const book = (title: string, isbn: string): MarcRecord => ({
  leader: '00000nam a2200000 i 4500',
  fields: [
    { tag: '008', value: '190618s2019    vm            000 1 vie d' },
    { tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: isbn }] },
    { tag: '100', ind1: '0', ind2: ' ', subfields: [{ code: 'a', value: 'Sơn Nam' }] },
    { tag: '245', ind1: '1', ind2: '0', subfields: [{ code: 'a', value: title }] },
  ],
});

describeEachDialect('CopyCatalogService', (dialect) => {
  let e: TreeEnv;
  let remote: SruStatic;
  let copy: CopyCatalogService;
  const clock = new TestClock('2026-03-15T03:00:00.000Z');
  const targets: Record<string, SruTarget> = {};

  beforeAll(async () => {
    remote = await startSruStatic();
    e = await treeEnv(dialect, { clock, container: { copyLimits: { timeoutMs: 1500 } } });
    copy = e.c.services.copyCatalog;
    const add = async (key: string, name: string, path: string, sruVersion: string, recordSchema = 'marcxml') => {
      targets[key] = await copy.createTarget(e.actors.netadmin, { name, baseUrl: remote.url(path), sruVersion, recordSchema });
    };
    await add('loc', 'Library of Congress', 'loc', '1.1');
    await add('k2', 'Thư viện K2', 'k2', '2.0');
    await add('dc', 'Kho Dublin Core', 'dc', '1.2', 'dc');
    await add('bnf', 'BnF', 'bnf', '1.2', 'unimarcxchange');
    await add('twin', 'Liên Thông An Giang', 'twin', '1.2');
  });
  afterAll(async () => {
    await e?.env.dispose();
    await remote?.close();
  });

  const last = () => remote.requests[remote.requests.length - 1]!;
  const audits = (action: string) => e.c.store.audit.list({ limit: 100, action });
  const usable = (r: ResultEntry) => {
    if (!r.usable) throw new Error(`record ${r.position} is not usable: ${r.problem}`);
    return r;
  };

  describe('targets', () => {
    it('are managed at the root with interop.manage, audited; a library admin is refused and the refusal audited', async () => {
      const t = await copy.createTarget(e.actors.netadmin, { name: 'Tạm', baseUrl: 'https://opac.example.vn/sru?db=main', sruVersion: '1.2', recordSchema: 'marcxml' });
      expect(t).toMatchObject({ name: 'Tạm', baseUrl: 'https://opac.example.vn/sru?db=main', enabled: true, version: 1 });
      // The district's library admin holds interop.manage, but not over the whole network.
      await expectCode(copy.createTarget(e.actors.distadmin, { name: 'X', baseUrl: 'https://x.example/sru', sruVersion: '1.2' }), 'PERMISSION_DENIED');
      await expectCode(copy.updateTarget(e.actors.commlib, t.id, { name: 'X', baseUrl: 'https://x.example/sru', sruVersion: '1.2', version: 1 }), 'PERMISSION_DENIED');
      expect((await audits('security.denied')).some((a) => (a.after as { permission?: string }).permission === 'interop.manage')).toBe(true);
      expect(await copy.canManage(e.actors.distadmin)).toBe(false);
      expect(await copy.canManage(e.actors.netadmin)).toBe(true);

      const u = await copy.updateTarget(e.actors.netadmin, t.id, { name: 'Tạm 2', baseUrl: 'https://opac.example.vn/sru', sruVersion: '2.0', recordSchema: 'dc', enabled: false, version: 1 });
      expect(u).toMatchObject({ name: 'Tạm 2', sruVersion: '2.0', recordSchema: 'dc', enabled: false, version: 2 });
      await expectCode(copy.updateTarget(e.actors.netadmin, t.id, { name: 'Cũ', baseUrl: 'https://opac.example.vn/sru', sruVersion: '2.0', version: 1 }), 'CONFLICT');
      await expectCode(copy.updateTarget(e.actors.netadmin, t.id, { name: 'x', baseUrl: 'javascript:alert(1)', sruVersion: '2.0', version: 2 }), 'VALIDATION');

      // Cataloguers see enabled targets only; a disabled one is not there for them.
      expect((await copy.targets(e.actors.commlib)).map((x) => x.name)).not.toContain('Tạm 2');
      expect((await copy.targets(e.actors.netadmin, { all: true })).map((x) => x.name)).toContain('Tạm 2');
      await expectCode(copy.target(e.actors.commlib, t.id), 'NOT_FOUND');
      await expectCode(copy.targets(e.actors.commlib, { all: true }), 'PERMISSION_DENIED');

      await expectCode(copy.deleteTarget(e.actors.netadmin, t.id, 1), 'CONFLICT');
      await copy.deleteTarget(e.actors.netadmin, t.id, 2);
      expect(await e.c.store.sruTargets.get(t.id)).toBeUndefined();
      const log = [...(await audits('interop.sru_target.create')), ...(await audits('interop.sru_target.update')), ...(await audits('interop.sru_target.delete'))].filter((a) => a.targetId === String(t.id));
      expect(log.map((a) => a.action).sort()).toEqual(['interop.sru_target.create', 'interop.sru_target.delete', 'interop.sru_target.update']);
      expect(log.find((a) => a.action === 'interop.sru_target.update')!.before).toMatchObject({ name: 'Tạm' });
    });
  });

  describe('search', () => {
    it('asks an SRU 1.1 server in its own terms and reads marc:-prefixed records, leaving holdings and local fields behind', async () => {
      const r = (await copy.search(e.actors.commlib, targets.loc!.id, { kind: 'title', text: 'Truyện Kiều' })) as SearchPage;
      expect(r.ok).toBe(true);
      const asked = last().searchParams;
      expect(Object.fromEntries(asked)).toEqual({ operation: 'searchRetrieve', version: '1.1', query: 'dc.title all "Truyện Kiều"', startRecord: '1', maximumRecords: '10', recordSchema: 'marcxml', recordPacking: 'xml' });
      expect(r).toMatchObject({ total: 2, pages: 1, page: 1 });
      const [a, b] = r.results.map(usable);
      expect(a).toMatchObject({ position: 1, format: 'marc21', title: 'Truyện Kiều', author: 'Nguyễn Du', year: 2015, publisher: 'Nhà xuất bản Văn học', isbn: '9786049531989' });
      expect(b).toMatchObject({ position: 2, title: 'Hương rừng Cà Mau', author: 'Sơn Nam', isbn: '9786041234567' });
      expect(a!.marc.fields.map((f) => f.tag)).not.toContain('852');
      expect(a!.marc.fields.map((f) => f.tag)).not.toContain('955');
      expect(a!.marc.fields.find((f) => f.tag === '003')).toEqual({ tag: '003', value: 'DLC' });
      expect(a!.notes).toContainEqual({ key: 'copy.note.localDropped', params: { count: 2, tags: '852, 955' } });
      expect(a!.fingerprint).toMatch(/^[0-9a-f]{32}$/);
    });

    it('pages through an SRU 2.0 server that packs records as strings', async () => {
      const r = (await copy.search(e.actors.commlib, targets.k2!.id, { kind: 'any', text: 'chiến tranh' })) as SearchPage;
      expect(Object.fromEntries(last().searchParams)).toEqual({ version: '2.0', query: 'cql.serverChoice all "chiến tranh"', startRecord: '1', maximumRecords: '10', recordSchema: 'marcxml', recordXMLEscaping: 'xml' });
      expect(r).toMatchObject({ ok: true, total: 23, pages: 3 });
      expect(r.results.map((x) => usable(x).title)).toEqual(['Nỗi buồn chiến tranh : tiểu thuyết', 'Mắt biếc : tiểu thuyết']);
      // Koha-style 952 items of the remote library never become ours.
      expect(usable(r.results[0]!).marc.fields.some((f) => f.tag === '952')).toBe(false);
      const p2 = (await copy.search(e.actors.commlib, targets.k2!.id, { kind: 'any', text: 'chiến tranh', page: 2 })) as SearchPage;
      expect(last().searchParams.get('startRecord')).toBe('11');
      expect(p2.results.map((x) => [x.position, usable(x).title])).toEqual([[11, 'Chí Phèo : tiểu thuyết']]);
    });

    it('turns a Dublin Core record into MARC, its ISBN into an 020', async () => {
      const r = (await copy.search(e.actors.commlib, targets.dc!.id, { kind: 'author', text: 'Trịnh Hoài Đức' })) as SearchPage;
      expect(last().searchParams.get('recordSchema')).toBe('dc');
      const rec = usable(r.results[0]!);
      expect(rec).toMatchObject({ format: 'dc', title: 'Gia Định thành thông chí', author: 'Trịnh Hoài Đức', year: 2006, publisher: 'Nxb. Tổng hợp Đồng Nai', isbn: '9786045678909' });
      expect(rec.notes.map((n) => n.key)).toContain('copy.note.fromDc');
    });

    it('lists a record in a format we do not read, without failing the page', async () => {
      const r = (await copy.search(e.actors.commlib, targets.bnf!.id, { kind: 'title', text: 'Viet Nam' })) as SearchPage;
      expect(r.results).toEqual([{ usable: false, position: 1, schema: 'marcxchange', problem: 'unsupported-format', detail: 'Unimarc' }]);
    });

    it('says there is nothing found', async () => {
      const r = (await copy.search(e.actors.commlib, targets.loc!.id, { kind: 'title', text: 'zzzz' })) as SearchPage;
      expect(r).toMatchObject({ ok: true, total: 0, pages: 0, results: [] });
    });

    it('needs someone who may catalogue; refuses bad input before asking anyone', async () => {
      const before = remote.requests.length;
      const auditor: Actor = { kind: 'staff', userId: null, label: 'nobody', grants: [] };
      await expectCode(copy.search(auditor, targets.loc!.id, { kind: 'title', text: 'a' }), 'PERMISSION_DENIED');
      await expectCode(copy.search(e.actors.commlib, targets.loc!.id, { kind: 'isbn', text: '123' }), 'VALIDATION');
      await expectCode(copy.search(e.actors.commlib, 999_999, { kind: 'title', text: 'a' }), 'NOT_FOUND');
      expect(remote.requests.length).toBe(before);
    });
  });

  describe('a remote that fails', () => {
    let closedPort: number;
    beforeAll(async () => {
      const s = createServer();
      await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
      closedPort = (s.address() as AddressInfo).port;
      await new Promise<void>((r) => s.close(() => r()));
    });

    it.each<[string, string, string, Record<string, unknown>, RegExp | undefined]>([
      ['diagnostics instead of records', 'diag', 'diagnostic', { number: 16, details: 'dc.subject' }, /Unsupported index/],
      ['an HTML error page with status 503', 'html', 'http', { status: 503 }, /503 Service Temporarily Unavailable/],
      ['XML cut off in transfer', 'broken', 'broken', {}, /ends before|broken/],
      ['an explain response (a wrong base URL)', 'explain', 'not-sru', {}, /explainResponse/],
      ['a page that does not exist', 'nothing-here', 'http', { status: 404 }, undefined],
      ['a server that never answers', 'slow', 'timeout', { seconds: 1.5 }, undefined],
    ])('%s → %s', async (_label, path, code, params, detail) => {
      const t = await copy.createTarget(e.actors.netadmin, { name: `Hỏng ${path}`, baseUrl: remote.url(path), sruVersion: '1.2' });
      const r = await copy.search(e.actors.commlib, t.id, { kind: 'subject', text: 'Lịch sử' });
      expect(r.ok).toBe(false);
      if (r.ok) return;
      expect(r.problem.code).toBe(code);
      expect(r.problem.params).toMatchObject(params);
      if (detail) expect(r.problem.detail).toMatch(detail);
      const p = await copy.preview(e.actors.commlib, t.id, { kind: 'subject', text: 'Lịch sử' }, 1);
      expect(p.ok ? 'ok' : p.problem.code).toBe(code);
    });

    it('a server that cannot be reached → unreachable', async () => {
      const t = await copy.createTarget(e.actors.netadmin, { name: 'Tắt máy', baseUrl: `http://127.0.0.1:${closedPort}/sru`, sruVersion: '1.2' });
      const r = await copy.search(e.actors.commlib, t.id, { kind: 'title', text: 'a' });
      expect(r.ok ? 'ok' : [r.problem.code, r.problem.params.host, r.problem.detail]).toEqual(['unreachable', `127.0.0.1:${closedPort}`, 'ECONNREFUSED']);
    });

    it('an answer larger than the limit → too-large; a disabled target → disabled', async () => {
      const small = new CopyCatalogService({ store: e.c.store, clock, catalog: e.c.services.catalog, orgCode: 'LIENTHONG', limits: { maxBytes: 2000 } });
      const r = await small.search(e.actors.commlib, targets.loc!.id, { kind: 'title', text: 'Kiều' });
      expect(r.ok ? 'ok' : [r.problem.code, r.problem.params.mb]).toEqual(['too-large', 0]);
      const t = await copy.createTarget(e.actors.netadmin, { name: 'Đã tắt', baseUrl: remote.url('loc'), sruVersion: '1.1', enabled: false });
      const d = await copy.search(e.actors.netadmin, t.id, { kind: 'title', text: 'Kiều' });
      expect(d.ok ? 'ok' : d.problem.code).toBe('disabled');
    });

    it('a position past the results → the remote’s diagnostic 61', async () => {
      const p = await copy.preview(e.actors.commlib, targets.loc!.id, { kind: 'title', text: 'Kiều' }, 9);
      expect(p.ok ? 'ok' : [p.problem.code, p.problem.params.number]).toEqual(['diagnostic', 61]);
      await expectCode(copy.preview(e.actors.commlib, targets.loc!.id, { kind: 'title', text: 'Kiều' }, 0), 'VALIDATION');
    });

    it('a record in a format we do not read is never imported', async () => {
      const r = await copy.importRecord(e.actors.commlib, { targetId: targets.bnf!.id, query: { kind: 'title', text: 'Viet Nam' }, position: 1, unitId: e.t.communeA1.id, policy: 'attach' });
      expect(r.ok ? 'ok' : [r.problem.code, r.problem.detail]).toEqual(['unreadable', 'Unimarc']);
    });
  });

  describe('preview and import', () => {
    const q: CopyQuery = { kind: 'title', text: 'Kiều' };
    let held: number;

    beforeAll(async () => {
      // A record we already hold, with the ISBN of the Library of Congress's second record.
      held = (await e.c.services.catalog.create(e.actors.commlib, { marc: book('Hương rừng Cà Mau', '978-604-1-23456-7'), unitId: e.t.communeA1.id })).record.id;
    });

    it('previews a record with the duplicates we hold', async () => {
      const p = await copy.preview(e.actors.commlib, targets.loc!.id, q, 2);
      expect(Object.fromEntries(last().searchParams)).toMatchObject({ startRecord: '2', maximumRecords: '1' });
      if (!p.ok) throw new Error(p.problem.code);
      expect(p.record.title).toBe('Hương rừng Cà Mau');
      expect(p.duplicates).toEqual([{ recordId: held, on: 'isbn', value: '9786041234567', title: 'Hương rừng Cà Mau' }]);
      const none = await copy.preview(e.actors.commlib, targets.loc!.id, q, 1);
      expect(none.ok && none.duplicates).toEqual([]);
    });

    it('imports a record: fetched again, created for the library, source naming the target, audited', async () => {
      const before = remote.requests.length;
      const p = await copy.preview(e.actors.commlib, targets.loc!.id, q, 1);
      if (!p.ok) throw new Error(p.problem.code);
      const r = await copy.importRecord(e.actors.commlib, { targetId: targets.loc!.id, query: q, position: 1, unitId: e.t.communeA1.id, policy: 'attach', fingerprint: p.record.fingerprint });
      if (!r.ok) throw new Error(r.problem.code);
      // The import asked the remote again rather than trusting the preview.
      expect(remote.requests.length).toBe(before + 2);
      expect(r).toMatchObject({ outcome: 'created', matchedOn: null, itemsAdded: 0, duplicates: [] });
      const view = await e.c.services.catalog.get(r.recordId);
      expect(view.record).toMatchObject({ title: 'Truyện Kiều', ownerUnitId: e.t.communeA1.id, source: `sru:${targets.loc!.id}`, createdBy: e.t.users.commlib });
      expect(view.marc.fields.map((f) => f.tag)).toEqual(['001', '003', '005', '008', '010', '020', '040', '042', '050', '100', '245', '264', '300', '650']);
      const entry = (await audits('catalog.record.copy')).find((a) => a.targetId === String(r.recordId))!;
      expect(entry.unitId).toBe(e.t.communeA1.id);
      expect(entry.after).toMatchObject({ outcome: 'created', source: `sru:${targets.loc!.id}`, target: { id: targets.loc!.id, name: 'Library of Congress', baseUrl: remote.url('loc') }, query: 'dc.title all "Kiều"', position: 1 });
      expect((await e.c.services.catalog.history(r.recordId)).map((h) => h.action)).toContain('catalog.record.copy');

      // Copied again: it is the same record (001 + 003 DLC).
      const again = await copy.importRecord(e.actors.commlib, { targetId: targets.loc!.id, query: q, position: 1, unitId: e.t.communeA1.id, policy: 'attach' });
      expect(again).toMatchObject({ ok: true, outcome: 'matched', recordId: r.recordId, matchedOn: 'ctrl' });
    });

    it('matches on ISBN as a file import would: attach, keep, replace', async () => {
      const base = { targetId: targets.loc!.id, query: q, position: 2, unitId: e.t.communeA1.id };
      const attach = await copy.importRecord(e.actors.commlib, { ...base, policy: 'attach' });
      expect(attach).toMatchObject({ ok: true, outcome: 'matched', recordId: held, matchedOn: 'isbn', duplicates: [{ recordId: held, on: 'isbn' }] });
      expect((await e.c.services.catalog.get(held)).record.version).toBe(1);

      const keep = await copy.importRecord(e.actors.commlib, { ...base, policy: 'keep' });
      if (!keep.ok) throw new Error(keep.problem.code);
      expect(keep.outcome).toBe('created');
      expect(keep.recordId).not.toBe(held);
      // Attaching made our record findable by the remote's number (001 + 003), which now matches first.
      expect(keep.problems).toContainEqual({ code: 'duplicate-kept', severity: 'warning', params: { record: held, on: 'ctrl' } });

      const replace = await copy.importRecord(e.actors.commlib, { ...base, policy: 'replace' });
      expect(replace).toMatchObject({ ok: true, outcome: 'merged', recordId: held });
      const merged = await e.c.services.catalog.get(held);
      expect(merged.record.title).toBe('Hương rừng Cà Mau');
      expect(merged.record.publisher).toBe('Nhà xuất bản Trẻ');
      expect(merged.record.version).toBe(2);
      const entry = (await audits('catalog.record.copy')).find((a) => a.targetId === String(held) && (a.after as { outcome: string }).outcome === 'merged')!;
      expect(entry.before).toMatchObject({ title: 'Hương rừng Cà Mau' });
    });

    it('adds a copy by barcode through the holdings path, and refuses a barcode already taken', async () => {
      const base = { targetId: targets.k2!.id, query: { kind: 'any', text: 'chiến tranh' } as CopyQuery, unitId: e.t.communeA1.id, policy: 'attach' };
      const r = await copy.importRecord(e.actors.commlib, { ...base, position: 1, barcode: ' ka-0001 ' });
      if (!r.ok) throw new Error(r.problem.code);
      expect(r.itemsAdded).toBe(1);
      const items = await e.c.store.catalog.itemsOfRecord(r.recordId);
      expect(items.map((i) => [i.barcode, i.ownerUnitId, i.callNumber, i.source])).toEqual([['KA-0001', e.t.communeA1.id, '895.9223', `sru:${targets.k2!.id}`]]);
      // The remote's own copy (952 K2000123) did not come along.
      expect(await e.c.store.catalog.getItemByBarcode('K2000123')).toBeUndefined();

      const taken = await expectCode(copy.importRecord(e.actors.commlib, { ...base, position: 2, barcode: 'KA-0001' }), 'VALIDATION');
      expect(taken.details?.[0]).toMatchObject({ field: 'barcode', params: { rule: 'copy.import.barcodeTaken', barcode: 'KA-0001', record: r.recordId } });
      const bad = await expectCode(copy.importRecord(e.actors.commlib, { ...base, position: 2, barcode: 'Ä' }), 'VALIDATION');
      expect(bad.details?.[0]).toMatchObject({ field: 'barcode', code: 'CATALOG_ITEM_INVALID' });
      // Nothing of position 2 was written.
      const hits = await e.c.store.catalog.findByIdentifiers([{ kind: 'isbn', value: '9786045678909' }]);
      expect(hits).toEqual([]);
    });

    it('imports from a Dublin Core target', async () => {
      const r = await copy.importRecord(e.actors.commlib, { targetId: targets.dc!.id, query: { kind: 'author', text: 'Trịnh Hoài Đức' }, position: 1, unitId: e.t.communeA1.id, policy: 'attach' });
      if (!r.ok) throw new Error(r.problem.code);
      const view = await e.c.services.catalog.get(r.recordId);
      expect(view.derived.isbns.map((i) => i.isbn13)).toEqual(['9786045678909']);
      expect(view.derived.authors.map((a) => a.name)).toEqual(['Trịnh Hoài Đức', 'Lý Việt Dũng (dịch và chú giải)']);
    });

    it('does not keep a number stamped with our own organisation code', async () => {
      const r = await copy.importRecord(e.actors.commlib, { targetId: targets.twin!.id, query: { kind: 'title', text: 'thơ' }, position: 1, unitId: e.t.communeA1.id, policy: 'attach' });
      if (!r.ok) throw new Error(r.problem.code);
      expect(r.outcome).toBe('created');
      const view = await e.c.services.catalog.get(r.recordId);
      expect(view.marc.fields.map((f) => f.tag)).toEqual(['008', '035', '100', '245', '264']);
      // It is found by its 035 next time, not by "LIENTHONG|5".
      const again = await copy.importRecord(e.actors.commlib, { targetId: targets.twin!.id, query: { kind: 'title', text: 'thơ' }, position: 1, unitId: e.t.communeA1.id, policy: 'attach' });
      expect(again).toMatchObject({ ok: true, outcome: 'matched', recordId: r.recordId, matchedOn: 'sysno' });
    });

    it('refuses a library outside one’s grants before asking the remote, and audits the refusal', async () => {
      const before = remote.requests.length;
      await expectCode(copy.importRecord(e.actors.commlib, { targetId: targets.loc!.id, query: q, position: 1, unitId: e.t.communeA2.id, policy: 'attach' }), 'PERMISSION_DENIED');
      expect(remote.requests.length).toBe(before);
      const denied = (await audits('security.denied')).find((a) => a.unitId === e.t.communeA2.id && (a.after as { permission?: string }).permission === 'catalog.record.create');
      expect(denied?.actorLabel).toBe('commlib');
      await expectCode(copy.importRecord(e.actors.commlib, { targetId: targets.loc!.id, query: q, position: 1, unitId: e.t.communeA1.id, policy: 'merge-everything' }), 'CATALOG_IMPORT_POLICY');
    });

    it('refuses when the remote now sends another record than the one looked at', async () => {
      const count = await e.c.store.catalog.countRecords();
      const r = await copy.importRecord(e.actors.commlib, { targetId: targets.loc!.id, query: q, position: 2, unitId: e.t.communeA1.id, policy: 'keep', fingerprint: '0'.repeat(32) });
      expect(r).toEqual({ ok: false, problem: { code: 'changed', params: { position: 2 } } });
      expect(await e.c.store.catalog.countRecords()).toBe(count);
    });
  });
});
