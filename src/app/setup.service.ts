/**
 * First start: built-in roles, the network root (or the whole demo network) and the first
 * administrator, whose password is generated and shown once.
 */
import { BUILTIN_ROLES } from '../domain/access/permissions.js';
import { vi, en } from '../i18n/messages.js';
import type { MessageKey } from '../i18n/messages.js';
import { systemActor, type Actor } from './actor.js';
import type { Store } from './ports.js';
import type { OrgService } from './org.service.js';
import type { StaffService } from './staff.service.js';
import { CLOSED_ROOM, DISTRICTS, PARTNERS, REFORM_DATE, libraryNames } from './demo/kien-giang.js';
import { DEMO_BOOKS } from './demo/catalogue.js';
import { buildMarcFromSimple } from '../domain/catalog/simple-form.js';
import type { CatalogService } from './catalog.service.js';
import type { DigitalService } from './digital/digital.service.js';
import { buildDemoDigital, type WriteTextPage } from './demo/digital.js';
import type { MarcRecord } from '../codecs/marc/record.js';
import type { ReaderService } from './readers/reader.service.js';
import { buildDemoReaders } from './demo/readers.js';
import type { SiteService } from './sites/site.service.js';
import { buildDemoSites, type DrawImage } from './demo/sites.js';
import type { CopyCatalogService } from './interop/copy-catalog.service.js';

export interface CreatedAccount {
  username: string;
  password: string;
  role: string;
  unitCode: string;
}

/** Creates or refreshes the built-in roles so their permissions follow the code. */
export async function ensureBuiltinRoles(store: Store): Promise<void> {
  await store.transaction(async (tx) => {
    for (const r of BUILTIN_ROLES) {
      const key = `role.${r.code}` as MessageKey;
      await tx.staff.upsertRole({ code: r.code, nameVi: vi[key] ?? r.code, nameEn: en[key] ?? r.code, builtin: true, permissions: r.permissions });
    }
  });
}

export interface SetupDeps {
  store: Store;
  org: OrgService;
  staff: StaffService;
  /** When given, the demo network gets a small union catalogue with holdings too. */
  catalog?: CatalogService;
  /** When given (with the catalogue), a few digitised documents too. */
  digital?: { service: DigitalService; writePage: WriteTextPage };
  /** When given, a demo reader with a card and saved lists, and a registration waiting for approval. */
  readers?: ReaderService;
  /** When given, three libraries publish their own websites with branding, news and events. */
  sites?: { service: SiteService; drawImage: DrawImage };
  /**
   * When given, copy cataloguing starts with one SRU target: this server's own `/sru` (another
   * Liên Thông speaks the same protocol), so cataloguers can try the whole path at once.
   */
  sruTarget?: { service: CopyCatalogService; siteUrl: string };
}

/**
 * On an empty database: creates the demo network (or just the root when `demo` is false) and
 * the first administrator. Returns the accounts created, with their one-time passwords; an empty
 * list when the database was not empty.
 */
export async function firstStart(deps: SetupDeps, opts: { demo: boolean }): Promise<CreatedAccount[]> {
  await ensureBuiltinRoles(deps.store);
  if ((await deps.store.org.count()) > 0) return [];
  const actor = systemActor('setup');
  if (opts.demo) return buildDemoNetwork(deps, actor);
  const root = await deps.org.create(actor, { code: 'NETWORK', nameVi: 'Mạng lưới thư viện', nameEn: 'Library network', typeCode: 'network', parentId: null });
  return [await account(deps, actor, 'admin', 'Quản trị mạng lưới', root.id, 'network_admin', 'network', root.code)];
}

async function account(deps: SetupDeps, actor: Actor, username: string, displayName: string, unitId: number, role: string, scope: 'unit' | 'subtree' | 'network', unitCode: string): Promise<CreatedAccount> {
  const { user, password } = await deps.staff.create(actor, { username, displayName, homeUnitId: unitId });
  await deps.staff.grant(actor, { userId: user.id, roleCode: role, unitId, scope });
  return { username, password: password!, role, unitCode };
}

/** Builds the demo network of Kiên Giang through the same use cases staff use (so it is audited). */
export async function buildDemoNetwork(deps: SetupDeps, actor: Actor = systemActor('demo')): Promise<CreatedAccount[]> {
  const { org } = deps;
  const ids = new Map<string, number>();
  const create = async (code: string, nameVi: string, nameEn: string, typeCode: string, parent: string | null, openedOn: string, extra: Record<string, unknown> = {}) => {
    const u = await org.create(actor, { code, nameVi, nameEn, typeCode, parentId: parent === null ? null : ids.get(parent)!, openedOn, ...extra });
    ids.set(code, u.id);
    return u;
  };

  await create('KG', 'Mạng lưới thư viện tỉnh Kiên Giang', 'Kiên Giang library network', 'network', null, '1976-01-01', { slug: 'mang-luoi' });
  await create('TVKG', 'Thư viện tỉnh Kiên Giang', 'Kiên Giang Provincial Library', 'provincial', 'KG', '1976-01-01', {
    slug: 'thu-vien-tinh',
    address: 'Số 1 đường Mậu Thân, phường Vĩnh Thanh Vân, thành phố Rạch Giá, tỉnh Kiên Giang',
    phone: '0297 3862 311',
    email: 'thuvien@kiengiang.example.vn',
    openingHours: 'Thứ Hai – Thứ Sáu: 7:00 – 11:00, 13:30 – 17:00\nThứ Bảy, Chủ nhật: 7:30 – 11:00',
    latitude: 10.0125,
    longitude: 105.0809,
    descriptionVi: 'Thư viện trung tâm của mạng lưới: kho tài liệu địa chí, tài liệu quý hiếm và phòng đọc cho mọi lứa tuổi.',
    descriptionEn: 'The central library of the network: local studies, rare documents and reading rooms for every age.',
  });
  await create('TVKG-TN', 'Phòng đọc thiếu nhi', "Children's reading room", 'branch', 'TVKG', '1998-06-01');
  await create('TVKG-DC', 'Phòng tài liệu địa chí', 'Local studies room', 'branch', 'TVKG', '2002-01-01');
  await create('TVKG-TSBD', 'Tủ sách biển đảo', 'Islands book box', 'book_box', 'TVKG', '2016-06-08');

  for (const d of DISTRICTS) {
    const names = libraryNames(d.place);
    await create(d.code, names.nameVi, names.nameEn, 'district', 'TVKG', d.opened, { address: `${d.place}, tỉnh Kiên Giang` });
    for (const c of d.communes) {
      const cn = libraryNames(c.place);
      await create(c.code, cn.nameVi, cn.nameEn, 'commune', d.code, c.opened, { address: `${c.place}, ${d.place}, tỉnh Kiên Giang` });
      for (const [code, village] of c.rooms ?? []) {
        const rn = libraryNames(village);
        await create(code, rn.nameVi, rn.nameEn, 'reading_room', c.code, addYears(c.opened, 3));
      }
    }
  }
  for (const p of PARTNERS) await create(p.code, p.nameVi, p.nameEn, p.typeCode, 'KG', p.opened, { address: p.address });

  // Groups across the tree.
  const groups: Array<[string, string, string, string[]]> = [
    ['EDU', 'Thư viện trường học', 'School and university libraries', ['THPT-HMD', 'DHKG']],
    ['ISLAND', 'Thư viện biển đảo', 'Island libraries', ['PQ', 'PQ-DD', 'PQ-AT', 'PQ-CC', 'PQ-HN', 'TVKG-TSBD']],
    ['PILOT-2022', 'Thí điểm chuyển đổi số 2022', 'Digital transformation pilot 2022', ['TVKG', 'RG', 'PQ', 'HD']],
  ];
  for (const [code, nameVi, nameEn, members] of groups) {
    await org.createGroup(actor, { code, nameVi, nameEn });
    for (const m of members) await org.setGroupMember(actor, code, ids.get(m)!, true);
  }

  // An inherited setting with an override lower down.
  await org.setSetting(actor, ids.get('KG')!, 'circulation.loan_days', '14');
  await org.setSetting(actor, ids.get('DHKG')!, 'circulation.loan_days', '30');
  await org.setSetting(actor, ids.get('PQ')!, 'site.accent_color', '#0a5c8a');

  // Accounts, created before the reform so the reform shows staff following merged units.
  const accounts: CreatedAccount[] = [];
  accounts.push(await account(deps, actor, 'admin', 'Quản trị mạng lưới', ids.get('KG')!, 'network_admin', 'network', 'KG'));
  accounts.push(await account(deps, actor, 'tvtinh', 'Nguyễn Thị Thu Hà', ids.get('TVKG')!, 'library_admin', 'subtree', 'TVKG'));
  accounts.push(await account(deps, actor, 'hondat', 'Trần Văn Bình', ids.get('HD')!, 'library_admin', 'subtree', 'HD'));
  accounts.push(await account(deps, actor, 'linhhuynh', 'Lê Thị Mai', ids.get('HD-LH')!, 'librarian', 'unit', 'HD-LH'));
  accounts.push(await account(deps, actor, 'dhkg', 'Phạm Minh Tuấn', ids.get('DHKG')!, 'library_admin', 'subtree', 'DHKG'));
  accounts.push(await account(deps, actor, 'kiemtra', 'Võ Thanh Tâm', ids.get('KG')!, 'auditor', 'network', 'KG'));

  accounts.push(await account(deps, actor, 'bienmuc', 'Đỗ Thị Kim Hạnh', ids.get('TVKG')!, 'cataloguer', 'network', 'TVKG'));

  // The union catalogue, catalogued before the reform: merged libraries' holdings move with them.
  if (deps.catalog) await buildDemoCatalogue(deps.catalog, actor, ids, org.today());
  if (deps.catalog && deps.digital) await buildDemoDigital({ store: deps.store, digital: deps.digital.service, writePage: deps.digital.writePage }, actor, ids);

  // A reading room that closed before the reform.
  await org.reorganise(actor, { kind: 'close', unitId: ids.get(CLOSED_ROOM.code)!, date: CLOSED_ROOM.date, note: 'Ấp sáp nhập, phòng đọc chuyển về thư viện thị trấn' });

  // 1 July 2025: provinces merged, district level removed, communes merged.
  const note = 'Sắp xếp đơn vị hành chính 2025 (minh hoạ)';
  await org.reorganise(actor, { kind: 'rename', unitId: ids.get('KG')!, date: REFORM_DATE, nameVi: 'Mạng lưới thư viện khu vực Kiên Giang (tỉnh An Giang)', nameEn: 'Kiên Giang area library network (An Giang province)', note });
  await org.reorganise(actor, { kind: 'rename', unitId: ids.get('TVKG')!, date: REFORM_DATE, nameVi: 'Thư viện tỉnh An Giang – cơ sở Rạch Giá', nameEn: 'An Giang Provincial Library – Rạch Giá site', note });
  for (const d of DISTRICTS) {
    for (const m of d.mergers) {
      const names = libraryNames(m.newPlace);
      await org.reorganise(actor, { kind: 'move', unitId: ids.get(m.receiver)!, date: REFORM_DATE, parentId: ids.get('TVKG')!, note });
      await org.reorganise(actor, { kind: 'rename', unitId: ids.get(m.receiver)!, date: REFORM_DATE, ...names, note });
      for (const a of m.absorbs) await org.reorganise(actor, { kind: 'merge', unitId: ids.get(a)!, date: REFORM_DATE, intoId: ids.get(m.receiver)!, note });
    }
    if ('mergeInto' in d.fate) {
      const touched = new Set(d.mergers.flatMap((m) => [m.receiver, ...m.absorbs]));
      for (const c of d.communes) {
        if (!touched.has(c.code)) await org.reorganise(actor, { kind: 'move', unitId: ids.get(c.code)!, date: REFORM_DATE, parentId: ids.get('TVKG')!, note });
      }
      await org.reorganise(actor, { kind: 'merge', unitId: ids.get(d.code)!, date: REFORM_DATE, intoId: ids.get(d.fate.mergeInto)!, note });
    } else {
      const names = libraryNames(d.fate.renameTo);
      await org.reorganise(actor, { kind: 'rename', unitId: ids.get(d.code)!, date: REFORM_DATE, ...names, note });
      for (const a of d.fate.absorbs) await org.reorganise(actor, { kind: 'merge', unitId: ids.get(a)!, date: REFORM_DATE, intoId: ids.get(d.code)!, note });
    }
  }
  // Library websites, for libraries as they are after the reform.
  if (deps.sites) await buildDemoSites(deps.sites, actor, ids);
  if (deps.sruTarget) {
    await deps.sruTarget.service.createTarget(actor, {
      name: 'Liên Thông — máy chủ này (minh hoạ)',
      baseUrl: `${deps.sruTarget.siteUrl.replace(/\/+$/, '')}/sru`,
      sruVersion: '1.2',
      recordSchema: 'marcxml',
    });
  }
  // Grants followed merged units: report where each account's grant sits now.
  for (const a of accounts) {
    const user = await deps.store.staff.getWithHash(a.username);
    const grant = user ? (await deps.store.staff.grantsOf(user.id))[0] : undefined;
    if (grant) a.unitCode = grant.unitCode;
  }
  // Readers register after the reform, at libraries that exist today.
  if (deps.readers) {
    for (const r of await buildDemoReaders({ store: deps.store, readers: deps.readers }, actor)) {
      accounts.push({ username: r.email, password: r.password, role: r.status === 'active' ? 'reader' : 'reader (pending)', unitCode: r.unitCode });
    }
  }
  return accounts;
}

/** The demo books as records (simple-form MARC) with numbered copies at their libraries. */
async function buildDemoCatalogue(catalog: CatalogService, actor: Actor, ids: Map<string, number>, today: string): Promise<void> {
  let barcode = 0;
  for (const book of DEMO_BOOKS) {
    const { copies, ...input } = book;
    const marc = buildMarcFromSimple(input, { today, orgCode: 'LIENTHONG' }) as MarcRecord;
    const { record } = await catalog.create(actor, { marc, unitId: ids.get(copies[0]![0])!, allowDuplicate: true, source: 'demo' });
    for (const [code, n] of copies) {
      for (let i = 0; i < n; i++) {
        barcode++;
        await catalog.addItem(actor, record.id, {
          barcode: `KG${String(barcode).padStart(6, '0')}`,
          unitId: ids.get(code)!,
          itemType: code === 'TVKG-TN' ? 'children' : 'book',
          shelvingLocation: code === 'TVKG-DC' ? 'Kho địa chí' : 'Kho mở',
          status: barcode % 9 === 0 ? 'on-loan' : barcode % 23 === 0 ? 'in-processing' : 'available',
          price: 50_000 + (barcode % 12) * 15_000,
          acquiredOn: `20${String(15 + (barcode % 10)).padStart(2, '0')}-0${1 + (barcode % 9)}-15`,
        });
      }
    }
  }
}

function addYears(date: string, years: number): string {
  return `${Number(date.slice(0, 4)) + years}${date.slice(4)}`;
}
