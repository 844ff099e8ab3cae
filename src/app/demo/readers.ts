/**
 * The demo network's readers: one approved reader with a card, two saved lists and a few past
 * searches, and one registration waiting for a library, so the staff queue is not empty. Made
 * through the same use cases the public and staff use (so they are audited); the passwords are
 * generated and shown once, like the staff accounts'.
 */
import { systemActor, type Actor } from '../actor.js';
import { generatePassword } from '../auth.service.js';
import type { Store } from '../ports.js';
import type { ReaderService } from '../readers/reader.service.js';

export interface DemoReaderAccount {
  email: string;
  password: string;
  status: 'active' | 'pending';
  unitCode: string;
}

export const DEMO_READER_EMAIL = 'bandoc@example.vn';
export const DEMO_PENDING_EMAIL = 'dangky@example.vn';

const SAVED: ReadonlyArray<{ list: string | null; titles: readonly string[] }> = [
  // null: the default list ("Đã lưu"), made by the first save.
  { list: null, titles: ['Truyện Kiều', 'Đất rừng phương Nam', 'Tôi thấy hoa vàng trên cỏ xanh'] },
  { list: 'Tìm hiểu quê hương', titles: ['Địa chí Kiên Giang', 'Hà Tiên thập cảnh', 'Phú Quốc: đảo ngọc'] },
];

const SEARCHES: ReadonlyArray<[string, string]> = [
  ['nguyễn du', 'q=nguy%E1%BB%85n+du'],
  ['địa chí kiên giang', 'q=%C4%91%E1%BB%8Ba+ch%C3%AD+ki%C3%AAn+giang'],
];

/**
 * Registers the demo readers, approves the first at the provincial library and fills its lists
 * and history from the demo catalogue (when there is one). Call after the network is built.
 */
export async function buildDemoReaders(deps: { store: Store; readers: ReaderService }, actor: Actor = systemActor('demo')): Promise<DemoReaderAccount[]> {
  const { readers, store } = deps;
  const homes = await readers.homeLibraries();
  const provincial = homes.find((u) => u.code === 'TVKG') ?? homes[0];
  const island = homes.find((u) => u.code.startsWith('PQ') && u.typeCode === 'commune') ?? homes.find((u) => u.typeCode === 'commune') ?? provincial;
  if (!provincial || !island) return [];
  const req = { ip: null, userAgent: null, requestId: null };
  const out: DemoReaderAccount[] = [];

  const password = generatePassword();
  const reader = await readers.register(
    { name: 'Lê Thị Bích Ngọc', email: DEMO_READER_EMAIL, phone: '0912 345 678', birthYear: '1996', homeUnitId: String(provincial.id), password, confirm: password, locale: 'vi' },
    req,
  );
  await readers.approve(actor, reader.id, { issuingUnitId: provincial.id });
  out.push({ email: DEMO_READER_EMAIL, password, status: 'active', unitCode: provincial.code });

  const self = readers.actorFor(reader, null, req);
  const records = await store.catalog.listRecords({ limit: 500 });
  const byTitle = new Map(records.map((r) => [r.title.replace(/\s*[/:;,.]\s*$/, ''), r.id]));
  for (const group of SAVED) {
    let listId: number | null = null;
    for (const title of group.titles) {
      const id = byTitle.get(title);
      if (id === undefined) continue;
      const { list } = await readers.save(self, listId === null ? { recordId: id, newListName: group.list } : { recordId: id, listId });
      listId = list.id;
    }
  }
  for (const [query, params] of SEARCHES) await readers.recordSearch(self, { query, params, resultCount: null });

  const pendingPassword = generatePassword();
  await readers.register(
    { name: 'Trần Minh Khoa', email: DEMO_PENDING_EMAIL, phone: '0297 3846 120', birthYear: '2004', homeUnitId: String(island.id), password: pendingPassword, confirm: pendingPassword, locale: 'vi' },
    req,
  );
  out.push({ email: DEMO_PENDING_EMAIL, password: pendingPassword, status: 'pending', unitCode: island.code });
  return out;
}
