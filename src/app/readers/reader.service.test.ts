import { beforeEach, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../../../test/dialects.js';
import { treeEnvEach, type TestEnv, type TreeActors, type SmallTree } from '../../../test/factories.js';
import { addBooks } from '../../../test/books.js';
import type { Container } from '../../main/container.js';
import { AppError } from '../../domain/errors.js';
import { formatCardNumber, isCardNumber, parseCardNumber } from '../../domain/readers/card.js';
import { HISTORY_KEEP } from '../../domain/readers/reader.js';
import { systemActor, type Actor } from '../actor.js';
import type { Reader } from './ports.js';

const REQ = { ip: '203.0.113.9', userAgent: 'test', requestId: 'r1' };
const PW = 'mật khẩu đọc sách 2026';

async function codeOf(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describeEachDialect('ReaderService', (dialect) => {
  let env: TestEnv;
  let c: Container;
  let t: SmallTree;
  let actors: TreeActors;
  treeEnvEach(dialect, (x) => ({ env, c, t, actors } = x));

  const register = (over: Record<string, unknown> = {}) =>
    c.services.readers.register({ name: 'Nguyễn Thị Đào', email: 'Dao@Example.vn', phone: '0912 345 678', birthYear: '1990', homeUnitId: String(t.communeA1.id), password: PW, confirm: PW, locale: 'vi', ...over }, REQ);

  const signIn = async (identifier = 'dao@example.vn', password = PW): Promise<{ reader: Reader; actor: Actor; token: string }> => {
    const { token, reader, session } = await c.services.readers.login(identifier, password, REQ);
    return { reader, token, actor: c.services.readers.actorFor(reader, session.id, REQ) };
  };

  describe('registration', () => {
    it('registers a pending reader, cleaned, with an audit entry', async () => {
      const r = await register({ name: '  Nguyễn   Thị Đào ' });
      expect(r).toMatchObject({ name: 'Nguyễn Thị Đào', email: 'dao@example.vn', phone: '0912345678', birthYear: 1990, homeUnitId: t.communeA1.id, status: 'pending', cardNumber: null, locale: 'vi' });
      const entries = await c.store.audit.list({ action: 'reader.register', limit: 5 });
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({ actorId: null, actorLabel: `reader:${r.id}`, unitId: t.communeA1.id, targetType: 'reader', targetId: String(r.id) });
      // The password is stored as an argon2id hash, never as given.
      const hash = await c.store.readers.getHashById(r.id);
      expect(hash).toMatch(/^\$argon2id\$/);
    });

    it('refuses an address already registered, whatever its case', async () => {
      await register();
      const e = await codeOf(register({ email: 'DAO@example.VN', name: 'Người khác' }));
      expect(e.code).toBe('READER_EMAIL_TAKEN');
      expect(e.status).toBe(409);
      expect((await c.store.readers.list({ reach: 'all', order: 'oldest', limit: 10 })).length).toBe(1);
    });

    it('reports every bad field at once and writes nothing', async () => {
      const e = await codeOf(register({ name: 'x'.repeat(10_000), email: 'nope', phone: '12', birthYear: '1700', homeUnitId: String(t.root.id), confirm: 'other' }));
      expect(e.code).toBe('VALIDATION');
      expect(e.details!.map((d) => `${d.field}:${d.code}`).sort()).toEqual(
        ['birthYear:READER_BIRTH_YEAR_INVALID', 'confirm:AUTH_PASSWORD_MISMATCH', 'email:READER_EMAIL_INVALID', 'homeUnitId:READER_HOME_INVALID', 'name:READER_NAME_INVALID', 'phone:READER_PHONE_INVALID'].sort(),
      );
      expect(await c.store.audit.list({ action: 'reader.register', limit: 5 })).toEqual([]);
    });

    it('refuses a weak password, one containing the address, and a home that holds no readers', async () => {
      expect((await codeOf(register({ password: 'short', confirm: 'short' }))).details?.[0]).toMatchObject({ field: 'password', code: 'READER_PASSWORD_WEAK' });
      expect((await codeOf(register({ password: 'xx-dao-xx-yy-zz', confirm: 'xx-dao-xx-yy-zz' }))).details?.[0]).toMatchObject({ field: 'password', code: 'READER_PASSWORD_WEAK' });
      expect((await codeOf(register({ homeUnitId: '999999' }))).details?.[0]).toMatchObject({ field: 'homeUnitId', code: 'READER_HOME_INVALID' });
      expect((await codeOf(register({ homeUnitId: 'abc' }))).details?.[0]).toMatchObject({ field: 'homeUnitId', code: 'READER_HOME_INVALID' });
    });

    it('offers open libraries that hold readers as homes', async () => {
      const homes = await c.services.readers.homeLibraries();
      const codes = homes.map((u) => u.code).sort();
      expect(codes).toEqual(['COMM-A1', 'COMM-A2', 'COMM-B1', 'DIST-A', 'DIST-B', 'PROV']);
    });
  });

  describe('approval', () => {
    it('approves: the reader becomes active with a card valid by the network rule, issued by the home library', async () => {
      const r = await register();
      const approved = await c.services.readers.approve(actors.commlib, r.id);
      expect(approved.status).toBe('active');
      expect(isCardNumber(approved.cardNumber!)).toBe(true);
      const parsed = parseCardNumber(approved.cardNumber!);
      expect(parsed).toMatchObject({ ok: true, unitNumber: t.communeA1.id, sequence: 1 });
      expect(approved).toMatchObject({ cardUnitId: t.communeA1.id, approvedBy: t.users.commlib });
      // The next card of the same library takes the next number; another library starts at 1.
      const r2 = await register({ email: 'an@example.vn', name: 'Trần An' });
      const r3 = await register({ email: 'binh@example.vn', name: 'Lê Bình', homeUnitId: String(t.communeB1.id) });
      expect(parseCardNumber((await c.services.readers.approve(actors.distadmin, r2.id)).cardNumber!)).toMatchObject({ unitNumber: t.communeA1.id, sequence: 2 });
      expect(parseCardNumber((await c.services.readers.approve(actors.otherlib, r3.id)).cardNumber!)).toMatchObject({ unitNumber: t.communeB1.id, sequence: 1 });
      const audit = await c.store.audit.list({ action: 'reader.approve', limit: 5 });
      expect(audit).toHaveLength(3);
      expect(audit.at(-1)).toMatchObject({ actorId: t.users.commlib, unitId: t.communeA1.id, after: { status: 'active', cardNumber: approved.cardNumber } });
    });

    it('the card may come from a library above the home one that the staff member manages', async () => {
      const r = await register();
      const choices = await c.services.readers.issuingUnits(actors.distadmin, r);
      expect(choices.map((u) => u.code)).toEqual(['COMM-A1', 'DIST-A']);
      const approved = await c.services.readers.approve(actors.distadmin, r.id, { issuingUnitId: t.distA.id });
      expect(parseCardNumber(approved.cardNumber!)).toMatchObject({ unitNumber: t.distA.id });
      const other = await register({ email: 'x@example.vn' });
      expect((await codeOf(c.services.readers.approve(actors.distadmin, other.id, { issuingUnitId: t.communeA2.id }))).details?.[0]?.code).toBe('READER_ISSUER_INVALID');
      expect((await codeOf(c.services.readers.approve(actors.distadmin, other.id, { issuingUnitId: t.distB.id }))).code).toBe('PERMISSION_DENIED');
    });

    it('refuses staff outside the tree, and records the refusal', async () => {
      const r = await register();
      const e = await codeOf(c.services.readers.approve(actors.otherlib, r.id));
      expect(e.code).toBe('PERMISSION_DENIED');
      expect((await c.store.readers.getById(r.id))!.status).toBe('pending');
      expect(await c.store.audit.list({ action: 'security.denied', limit: 5 })).toHaveLength(1);
      expect((await codeOf(c.services.readers.get(actors.otherlib, r.id))).code).toBe('PERMISSION_DENIED');
      expect((await codeOf(c.services.readers.reject(actors.otherlib, r.id, 'no'))).code).toBe('PERMISSION_DENIED');
    });

    it('lists the pending queue within each staff member’s reach only', async () => {
      const a = await register();
      const b = await register({ email: 'b@example.vn', homeUnitId: String(t.communeB1.id) });
      const p = await register({ email: 'p@example.vn', homeUnitId: String(t.prov.id) });
      const ids = async (actor: Actor) => (await c.services.readers.queue(actor)).map((r) => r.id);
      expect(await ids(actors.commlib)).toEqual([a.id]);
      expect(await ids(actors.otherlib)).toEqual([b.id]);
      expect(await ids(actors.distadmin)).toEqual([a.id]);
      expect(await ids(actors.netadmin)).toEqual([a.id, b.id, p.id]);
      expect((await c.services.readers.counts(actors.netadmin)).get('pending')).toBe(3);
      const nobody: Actor = { kind: 'staff', userId: 999, label: 'x', grants: [] };
      expect((await codeOf(c.services.readers.queue(nobody))).code).toBe('PERMISSION_DENIED');
    });

    it('finds readers by name without tone marks, by card number and by email', async () => {
      const r = await register();
      await register({ email: 'an@example.vn', name: 'Trần Văn An' });
      const approved = await c.services.readers.approve(actors.commlib, r.id);
      const names = async (text: string) => (await c.services.readers.search(actors.commlib, { text })).map((x) => x.name);
      expect(await names('nguyen thi')).toEqual(['Nguyễn Thị Đào']);
      expect(await names('ĐÀO')).toEqual(['Nguyễn Thị Đào']);
      expect(await names(formatCardNumber(approved.cardNumber!))).toEqual(['Nguyễn Thị Đào']);
      expect(await names(approved.cardNumber!.slice(0, 8))).toEqual(['Nguyễn Thị Đào']);
      expect(await names('an@')).toEqual(['Trần Văn An']);
      expect(await names('50%_')).toEqual([]);
      expect((await c.services.readers.search(actors.commlib, { text: '', status: 'pending' })).map((x) => x.name)).toEqual(['Trần Văn An']);
      expect(await c.services.readers.search(actors.otherlib, { text: 'nguyen' })).toEqual([]);
    });

    it('rejects with a reason the reader sees, and cannot approve twice', async () => {
      const r = await register();
      expect((await codeOf(c.services.readers.reject(actors.commlib, r.id, '  '))).details?.[0]?.code).toBe('READER_REASON_REQUIRED');
      const rejected = await c.services.readers.reject(actors.commlib, r.id, 'Không thuộc địa bàn');
      expect(rejected).toMatchObject({ status: 'closed', statusReason: 'Không thuộc địa bàn' });
      const e = await codeOf(c.services.readers.login('dao@example.vn', PW, REQ));
      expect(e.code).toBe('READER_ACCOUNT_CLOSED');
      expect(e.params.reason).toBe('Không thuộc địa bàn');
      expect((await codeOf(c.services.readers.approve(actors.commlib, r.id))).code).toBe('READER_STATUS_CONFLICT');
    });

    it('suspends (ending sessions) and reactivates', async () => {
      const r = await register();
      await c.services.readers.approve(actors.commlib, r.id);
      const { token } = await signIn();
      await c.services.readers.suspend(actors.commlib, r.id, 'Nợ sách quá hạn');
      expect((await codeOf(c.services.readers.readerForSession(token))).code).toBe('AUTH_REQUIRED');
      const e = await codeOf(c.services.readers.login('dao@example.vn', PW, REQ));
      expect(e.code).toBe('READER_ACCOUNT_SUSPENDED');
      expect((await codeOf(c.services.readers.suspend(actors.commlib, r.id, 'again'))).code).toBe('READER_STATUS_CONFLICT');
      await c.services.readers.reactivate(actors.commlib, r.id);
      expect((await signIn()).reader.status).toBe('active');
      const actions = (await c.store.audit.list({ target: { type: 'reader', ids: [String(r.id)] }, limit: 20 })).map((a) => a.action);
      expect(actions).toEqual(expect.arrayContaining(['reader.register', 'reader.approve', 'reader.suspend', 'reader.reactivate', 'reader.login']));
    });

    it('moves readers with their library when it is merged into another, cards unchanged', async () => {
      const r = await register({ homeUnitId: String(t.communeA2.id) });
      const { cardNumber } = await c.services.readers.approve(actors.distadmin, r.id);
      await c.services.org.reorganise(systemActor(), { kind: 'merge', unitId: t.communeA2.id, date: '2026-01-01', intoId: t.communeA1.id });
      expect(await c.store.readers.getById(r.id)).toMatchObject({ homeUnitId: t.communeA1.id, cardNumber, cardUnitId: t.communeA2.id });
      // …so the receiving library's staff reach them now.
      expect((await c.services.readers.get(actors.commlib, r.id)).id).toBe(r.id);
    });

    it('resets a forgotten password to a temporary one', async () => {
      const r = await register();
      const { token } = await signIn();
      const temp = await c.services.readers.resetPassword(actors.commlib, r.id);
      expect((await codeOf(c.services.readers.readerForSession(token))).code).toBe('AUTH_REQUIRED');
      expect((await codeOf(c.services.readers.login('dao@example.vn', PW, REQ))).code).toBe('READER_INVALID_CREDENTIALS');
      expect((await signIn('dao@example.vn', temp)).reader.id).toBe(r.id);
    });
  });

  describe('sign-in', () => {
    it('signs in with the email or the card number; pending readers may sign in', async () => {
      const r = await register();
      const first = await signIn(' DAO@example.vn ');
      expect(first.reader).toMatchObject({ id: r.id, status: 'pending' });
      expect((await c.services.readers.readerForSession(first.token)).reader.id).toBe(r.id);
      const { cardNumber } = await c.services.readers.approve(actors.commlib, r.id);
      expect((await signIn(formatCardNumber(cardNumber!))).reader.id).toBe(r.id);
      // A mistyped card number is refused like an unknown reader, before any lookup.
      const typo = cardNumber!.slice(0, -1) + String((Number(cardNumber!.slice(-1)) + 1) % 10);
      expect((await codeOf(c.services.readers.login(typo, PW, REQ))).code).toBe('READER_INVALID_CREDENTIALS');
    });

    it('answers an unknown reader and a wrong password alike', async () => {
      await register();
      const unknown = await codeOf(c.services.readers.login('ai@example.vn', PW, REQ));
      const wrong = await codeOf(c.services.readers.login('dao@example.vn', 'wrong password!', REQ));
      expect(unknown.code).toBe('READER_INVALID_CREDENTIALS');
      expect(wrong.code).toBe('READER_INVALID_CREDENTIALS');
      expect(unknown.message).toBe(wrong.message);
    });

    it('locks the account after five wrong passwords, until the lock runs out', async () => {
      const r = await register();
      for (let i = 0; i < 4; i++) expect((await codeOf(c.services.readers.login('dao@example.vn', `wrong-${i}-password`, REQ))).code).toBe('READER_INVALID_CREDENTIALS');
      const locked = await codeOf(c.services.readers.login('dao@example.vn', 'wrong-5-password', REQ));
      expect(locked.code).toBe('AUTH_ACCOUNT_LOCKED');
      expect((await codeOf(c.services.readers.login('dao@example.vn', PW, REQ))).code).toBe('AUTH_ACCOUNT_LOCKED');
      expect(await c.store.audit.list({ action: 'reader.lockout', limit: 5 })).toHaveLength(1);
      env.clock.advance(16 * 60_000);
      expect((await signIn()).reader.id).toBe(r.id);
      expect((await c.store.readers.getById(r.id))!.failedLogins).toBe(0);
    });

    it('ends a session after its idle time, and on logout', async () => {
      await register();
      const a = await signIn();
      env.clock.advance(8 * 24 * 3600_000);
      expect((await codeOf(c.services.readers.readerForSession(a.token))).code).toBe('AUTH_SESSION_EXPIRED');
      const b = await signIn();
      await c.services.readers.logout(b.actor);
      expect((await codeOf(c.services.readers.readerForSession(b.token))).code).toBe('AUTH_REQUIRED');
    });
  });

  describe('own account', () => {
    let me: Actor;
    let reader: Reader;
    beforeEach(async () => {
      await register();
      ({ actor: me, reader } = await signIn());
    });

    it('edits the profile; a new email needs the current password', async () => {
      const updated = await c.services.readers.updateProfile(me, { name: 'Nguyễn Đào', email: 'dao@example.vn', phone: '', birthYear: '', homeUnitId: String(t.communeA2.id) });
      expect(updated).toMatchObject({ name: 'Nguyễn Đào', phone: null, birthYear: null, homeUnitId: t.communeA2.id });
      const e = await codeOf(c.services.readers.updateProfile(me, { name: 'Nguyễn Đào', email: 'moi@example.vn', homeUnitId: String(t.communeA2.id) }));
      expect(e.code).toBe('READER_INVALID_CREDENTIALS');
      await c.services.readers.updateProfile(me, { name: 'Nguyễn Đào', email: 'moi@example.vn', homeUnitId: String(t.communeA2.id), currentPassword: PW });
      expect((await signIn('moi@example.vn')).reader.id).toBe(reader.id);
      await register({ email: 'other@example.vn' });
      expect((await codeOf(c.services.readers.updateProfile(me, { name: 'Nguyễn Đào', email: 'other@example.vn', homeUnitId: String(t.communeA2.id), currentPassword: PW }))).code).toBe('READER_EMAIL_TAKEN');
    });

    it('changes the password, ending the other sessions', async () => {
      const other = await signIn();
      expect((await codeOf(c.services.readers.changePassword(me, PW, 'new password 2026', 'different'))).details?.[0]?.code).toBe('AUTH_PASSWORD_MISMATCH');
      expect((await codeOf(c.services.readers.changePassword(me, 'not it', 'new password 2026', 'new password 2026'))).code).toBe('READER_INVALID_CREDENTIALS');
      await c.services.readers.changePassword(me, PW, 'new password 2026', 'new password 2026');
      expect((await codeOf(c.services.readers.readerForSession(other.token))).code).toBe('AUTH_REQUIRED');
      expect((await signIn('dao@example.vn', 'new password 2026')).reader.id).toBe(reader.id);
    });

    it('keeps the language choice', async () => {
      await c.services.readers.setLocale(me, 'en');
      expect((await c.services.readers.me(me)).locale).toBe('en');
      expect((await codeOf(c.services.readers.setLocale(me, 'fr'))).code).toBe('VALIDATION');
    });

    it('saves records to lists: the default list first, then named ones', async () => {
      const [a, b] = await addBooks(c, t.communeA1, [{ title: 'Truyện Kiều', authors: ['Nguyễn Du'] }, { title: 'Đất rừng phương Nam', authors: ['Đoàn Giỏi'] }]);
      const first = await c.services.readers.save(me, { recordId: a! });
      expect(first).toMatchObject({ added: true, list: { name: 'Đã lưu', items: 1 } });
      expect((await c.services.readers.save(me, { recordId: a! })).added).toBe(false);
      const named = await c.services.readers.save(me, { recordId: b!, newListName: 'Văn học Nam Bộ' });
      expect(named.list).toMatchObject({ name: 'Văn học Nam Bộ', items: 1 });
      await c.services.readers.save(me, { recordId: b!, listId: first.list.id });
      const lists = await c.services.readers.lists(me);
      expect(lists.map((l) => [l.name, l.items])).toEqual(
        expect.arrayContaining([
          ['Đã lưu', 2],
          ['Văn học Nam Bộ', 1],
        ]),
      );
      const { items } = await c.services.readers.list(me, first.list.id);
      expect(items.map((i) => [i.title, i.author])).toEqual(
        expect.arrayContaining([
          ['Truyện Kiều', 'Nguyễn Du'],
          ['Đất rừng phương Nam', 'Đoàn Giỏi'],
        ]),
      );
      expect(await c.services.readers.listsHolding(me, b!)).toEqual(expect.arrayContaining([first.list.id, named.list.id]));

      expect((await codeOf(c.services.readers.createList(me, 'văn học nam bộ'))).code).toBe('READER_LIST_NAME_TAKEN');
      await c.services.readers.renameList(me, named.list.id, 'Sách miền Nam');
      expect(await c.services.readers.removeFromList(me, first.list.id, a!)).toBe(true);
      expect(await c.services.readers.removeFromList(me, first.list.id, a!)).toBe(false);
      await c.services.readers.deleteList(me, named.list.id);
      expect((await c.services.readers.lists(me)).map((l) => l.name)).toEqual(['Đã lưu']);
      expect((await codeOf(c.services.readers.save(me, { recordId: 999_999 }))).code).toBe('READER_RECORD_UNAVAILABLE');
      // The audit names the lists, never the records saved in them.
      const entries = await c.store.audit.list({ target: { type: 'reader_list', ids: [String(first.list.id)] }, limit: 20 });
      expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(['reader.list.create', 'reader.list.add', 'reader.list.remove']));
      expect(JSON.stringify(entries)).not.toContain('Truyện Kiều');
      expect(entries.every((e) => e.after === null || !('recordId' in (e.after as object)))).toBe(true);
    });

    it('keeps another reader’s lists out of reach', async () => {
      const [a] = await addBooks(c, t.communeA1, [{ title: 'Truyện Kiều' }]);
      const { list } = await c.services.readers.save(me, { recordId: a! });
      await register({ email: 'khac@example.vn', name: 'Người Khác' });
      const { actor: other } = await signIn('khac@example.vn');
      const attempts = [
        () => c.services.readers.list(other, list.id),
        () => c.services.readers.renameList(other, list.id, 'x'),
        () => c.services.readers.deleteList(other, list.id),
        () => c.services.readers.removeFromList(other, list.id, a!),
        () => c.services.readers.save(other, { recordId: a!, listId: list.id }),
      ];
      for (const attempt of attempts) expect((await codeOf(attempt())).code).toBe('READER_LIST_NOT_FOUND');
      expect((await c.services.readers.list(me, list.id)).items).toHaveLength(1);
      // Staff actors have no own account to act on.
      expect((await codeOf(c.services.readers.lists(actors.netadmin))).code).toBe('AUTH_REQUIRED');
      expect((await codeOf(c.services.readers.lists(systemActor()))).code).toBe('AUTH_REQUIRED');
    });

    it('keeps the newest searches, folds repeats, and can be cleared and turned off', async () => {
      for (let i = 0; i < HISTORY_KEEP + 5; i++) await c.services.readers.recordSearch(me, { query: `tìm ${i}`, params: `q=tim+${i}`, resultCount: i });
      // The same search again (another page of it) moves to the top instead of adding a line.
      await c.services.readers.recordSearch(me, { query: `tìm ${HISTORY_KEEP + 4}`, params: `q=tim+${HISTORY_KEEP + 4}&page=2`, resultCount: 7 });
      await c.services.readers.recordSearch(me, { query: '   ', params: 'q=', resultCount: 0 });
      const h = await c.services.readers.history(me);
      expect(h).toHaveLength(HISTORY_KEEP);
      expect(h[0]).toMatchObject({ query: `tìm ${HISTORY_KEEP + 4}`, params: `q=tim+${HISTORY_KEEP + 4}`, resultCount: 7 });
      expect(h.at(-1)!.query).toBe('tìm 5');
      expect(await c.services.readers.clearHistory(me)).toBe(HISTORY_KEEP);
      expect(await c.services.readers.history(me)).toEqual([]);
      await c.services.readers.setHistoryEnabled(me, false);
      await c.services.readers.recordSearch(me, { query: 'kiều', params: 'q=kieu', resultCount: 3 });
      expect(await c.services.readers.history(me)).toEqual([]);
      await c.services.readers.setHistoryEnabled(me, true);
      await c.services.readers.recordSearch(me, { query: 'kiều', params: 'q=kieu', resultCount: 3 });
      expect((await c.services.readers.history(me)).map((s) => s.query)).toEqual(['kiều']);
      // Searches themselves never reach the append-only audit log.
      expect(JSON.stringify(await c.store.audit.list({ limit: 500 }))).not.toContain('kiều');
    });
  });
});
