import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeEachDialect } from '../../../../test/dialects.js';
import { PASSWORD } from '../../../../test/factories.js';
import { csrfFrom, get, httpEnv, login, postForm, type HttpEnv } from '../../../../test/http.js';
import { systemActor } from '../../../app/actor.js';
import type { Job } from '../../../app/ports.js';

const sys = systemActor('test');
const JOBS = '/staff/jobs';

describeEachDialect('staff pages: background jobs', (dialect) => {
  let env: HttpEnv;

  beforeEach(async () => {
    env = await httpEnv(dialect);
  });
  afterEach(async () => {
    await env?.dispose();
  });

  const store = () => env.container.store;
  const now = () => env.clock.now().toISOString();
  const insert = (kind: string, unitId: number | null, params: Record<string, unknown> = {}, extra: { maxAttempts?: number; runAfter?: string | null } = {}): Promise<Job> =>
    store().jobs.insert({ kind, unitId, createdBy: null, actorLabel: 'test', params, dedupeKey: null, progressTotal: 10, ...extra }, now());
  const audits = async (action: string) => store().audit.list({ action, limit: 20 });

  it('counts and lists jobs of every kind, and retries and cancels them with an audit entry', async () => {
    const o = await env.container.services.digital.create(sys, { ownerUnitId: env.tree.communeA1.id, dc: { title: ['Tài liệu xử lý'] } });
    const failed = await insert('digital.process', env.tree.communeA1.id, { objectId: o.id }, { maxAttempts: 3 });
    await store().jobs.finish(failed.id, null, 'failed', { error: JSON.stringify({ code: 'MEDIA_CORRUPT', params: { name: 'trang-3.tif' } }) }, now());
    await store().digital.setProcessing(o.id, 'failed', JSON.stringify({ code: 'MEDIA_CORRUPT', params: { name: 'trang-3.tif' } }), now());
    const waiting = await insert('catalog.import', env.tree.distB.id, {}, { runAfter: new Date(env.clock.now().getTime() + 60_000).toISOString() });
    const done = await insert('digital.ingest', env.tree.communeA2.id);
    await store().jobs.finish(done.id, null, 'done', { summary: { rows: 2, created: 2, failed: 0, skipped: 0 } }, now());

    const { jar } = await login(env.app, 'netadmin', PASSWORD);
    const page = await get(env.app, jar, JOBS);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Công việc nền');
    expect(page.body).toContain('Xử lý tài liệu số');
    expect(page.body).toContain('Nhập biểu ghi MARC');
    expect(page.body).toContain('Nhập tài liệu số theo lô');
    expect(page.body).toContain('Bị lỗi: 1');
    // The stored error in words, and when the waiting job is tried next.
    expect(page.body).toContain('Tệp &quot;trang-3.tif&quot; bị hỏng hoặc không đọc được.');
    expect(page.body).toContain('Thử lại lúc');
    expect(page.body).toContain('0/3');
    const onlyFailed = await get(env.app, jar, `${JOBS}?status=failed`);
    expect(onlyFailed.body).toContain(`href="${JOBS}/${failed.id}"`);
    expect(onlyFailed.body).not.toContain(`href="${JOBS}/${waiting.id}"`);
    const onlyImports = await get(env.app, jar, `${JOBS}?kind=catalog.import`);
    expect(onlyImports.body).toContain(`href="${JOBS}/${waiting.id}"`);
    expect(onlyImports.body).not.toContain(`href="${JOBS}/${failed.id}"`);

    // Retry the failed one: queued again, its object waiting again, and the audit log says who.
    const retry = await postForm(env.app, jar, `${JOBS}/${failed.id}/retry`, { _csrf: csrfFrom(page.body), back: `${JOBS}?status=failed` });
    expect(retry.statusCode).toBe(303);
    expect(retry.headers.location).toBe(`${JOBS}?status=failed&ok=jobs.retried`);
    expect((await store().jobs.get(failed.id))?.status).toBe('queued');
    expect((await env.container.services.digital.get(o.id)).processing).toBe('queued');
    expect(await audits('jobs.retry')).toMatchObject([{ actorLabel: 'netadmin', targetType: 'job', targetId: String(failed.id), unitId: env.tree.communeA1.id }]);
    // Cancel the waiting one.
    const cancel = await postForm(env.app, jar, `${JOBS}/${waiting.id}/cancel`, { _csrf: csrfFrom(page.body) });
    expect(cancel.statusCode).toBe(303);
    expect(cancel.headers.location).toBe(`${JOBS}/${waiting.id}?ok=jobs.cancelled`);
    expect((await store().jobs.get(waiting.id))?.status).toBe('cancelled');
    expect(await audits('jobs.cancel')).toMatchObject([{ actorLabel: 'netadmin', targetId: String(waiting.id) }]);
    // A finished job can be neither retried nor cancelled: said in words.
    const notFailed = await postForm(env.app, jar, `${JOBS}/${done.id}/retry`, { _csrf: csrfFrom(page.body) });
    expect(notFailed.statusCode).toBe(409);
    expect(notFailed.body).toContain(`Công việc ${done.id} đang ở trạng thái “Xong”: chỉ chạy lại được công việc bị lỗi hoặc đã huỷ.`);
    const notRunning = await postForm(env.app, jar, `${JOBS}/${done.id}/cancel`, { _csrf: csrfFrom(page.body) });
    expect(notRunning.statusCode).toBe(409);
    expect(notRunning.body).toContain(`Công việc ${done.id} đã kết thúc, không thể huỷ.`);
    // Cancelling a digital object's processing says so on the object.
    const again = await postForm(env.app, jar, `${JOBS}/${failed.id}/cancel`, { _csrf: csrfFrom(page.body) });
    expect(again.statusCode).toBe(303);
    const obj = await get(env.app, jar, `/staff/digital/${o.id}`);
    expect(obj.body).toContain('Việc xử lý đã bị huỷ.');
    // Without a token, nothing happens.
    const forged = await postForm(env.app, jar, `${JOBS}/${failed.id}/retry`, {});
    expect(forged.statusCode).toBe(403);
    expect((await store().jobs.get(failed.id))?.status).toBe('cancelled');

    // One job's page, in English too.
    const one = await get(env.app, jar, `${JOBS}/${done.id}`, { cookie: `${jar.header}; lt_lang=en` });
    expect(one.statusCode).toBe(200);
    expect(one.body).toContain('Batch ingest of digital documents');
    expect(one.body).toMatch(/data-count="created">2</);
    expect((await get(env.app, jar, `${JOBS}/${done.id}/progress.json`)).json()).toMatchObject({ status: 'done', finished: true, summary: { rows: 2, created: 2 } });
    expect((await get(env.app, jar, `${JOBS}/999999`)).statusCode).toBe(404);
  });

  it("keeps jobs to those who manage them where they run", async () => {
    const mine = await insert('digital.process', env.tree.communeA1.id);
    await store().jobs.finish(mine.id, null, 'failed', { error: 'boom' }, now());
    const theirs = await insert('catalog.import', env.tree.distB.id);
    const network = await insert('digital.fixity', null);

    // distadmin manages jobs in DIST-A's subtree only.
    const admin = await login(env.app, 'distadmin', PASSWORD);
    const list = await get(env.app, admin.jar, JOBS);
    expect(list.statusCode).toBe(200);
    expect(list.body).toContain(`href="${JOBS}/${mine.id}"`);
    expect(list.body).not.toContain(`href="${JOBS}/${theirs.id}"`);
    expect(list.body).not.toContain(`href="${JOBS}/${network.id}"`);
    expect(list.body).not.toContain('Kiểm tra toàn vẹn tệp lưu trữ');
    expect((await get(env.app, admin.jar, `${JOBS}/${theirs.id}`)).statusCode).toBe(404);
    const cancel = await postForm(env.app, admin.jar, `${JOBS}/${theirs.id}/cancel`, { _csrf: csrfFrom(list.body) });
    expect(cancel.statusCode).toBe(404);
    expect((await store().jobs.get(theirs.id))?.status).toBe('queued');
    const fixity = await postForm(env.app, admin.jar, `${JOBS}/fixity`, { _csrf: csrfFrom(list.body) });
    expect(fixity.statusCode).toBe(403);
    expect((await store().jobs.list({ kind: 'digital.fixity', limit: 10 })).length).toBe(1);
    const retry = await postForm(env.app, admin.jar, `${JOBS}/${mine.id}/retry`, { _csrf: csrfFrom(list.body) });
    expect(retry.statusCode).toBe(303);

    // A librarian without jobs.manage has no jobs page; a job they may follow (their library's work) they may see.
    const lib = await login(env.app, 'commlib', PASSWORD);
    expect((await get(env.app, lib.jar, JOBS)).statusCode).toBe(403);
    const seen = await get(env.app, lib.jar, `${JOBS}/${mine.id}`);
    expect(seen.statusCode).toBe(200);
    expect(seen.body).not.toContain(`action="${JOBS}/${mine.id}/cancel"`);
    const refused = await postForm(env.app, lib.jar, `${JOBS}/${mine.id}/cancel`, { _csrf: csrfFrom(seen.body) });
    expect(refused.statusCode).toBe(403);
    expect((await store().jobs.get(mine.id))?.status).toBe('queued');
    expect((await audits('security.denied')).some((e) => e.actorLabel === 'commlib')).toBe(true);
  });

  it('shows fixity problems and starts a check on demand', async () => {
    const sha = 'ab'.repeat(32);
    await store().digital.putBlob({ sha256: sha, size: 1234, mediaType: 'image/tiff' }, now());
    const { jar } = await login(env.app, 'netadmin', PASSWORD);
    const clean = await get(env.app, jar, JOBS);
    expect(clean.body).toContain('Không phát hiện tệp nào bị mất hay bị thay đổi.');
    await store().digital.recordFixity(sha, 'missing', null, now());
    const page = await get(env.app, jar, JOBS);
    expect(page.body).toContain('Mất tệp');
    expect(page.body).toContain(sha.slice(0, 16));
    const res = await postForm(env.app, jar, `${JOBS}/fixity`, { _csrf: csrfFrom(page.body) });
    expect(res.statusCode).toBe(303);
    const [job] = await store().jobs.list({ kind: 'digital.fixity', limit: 10 });
    expect(res.headers.location).toBe(`${JOBS}/${job!.id}?ok=jobs.fixity.queued`);
    expect(await audits('jobs.fixity.queue')).toMatchObject([{ actorLabel: 'netadmin', targetId: String(job!.id) }]);
    // Asking again while one waits does not queue a second.
    await postForm(env.app, jar, `${JOBS}/fixity`, { _csrf: csrfFrom(page.body) });
    expect((await store().jobs.list({ kind: 'digital.fixity', limit: 10 })).length).toBe(1);
    const jobPage = await get(env.app, jar, String(res.headers.location));
    expect(jobPage.body).toContain('Đã xếp lịch kiểm tra toàn vẹn tệp.');
    expect(jobPage.body).toContain('Kiểm tra toàn vẹn tệp #');
    expect(jobPage.body).toContain('Toàn mạng lưới');
  });
});
