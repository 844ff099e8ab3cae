/**
 * The demo network's digital library: a few digitised documents, made on first start as page
 * images with real Vietnamese text, so the reader, IIIF, OCR and search inside pages can be tried
 * at once. The pages are read by OCR in the background like any upload.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor } from '../actor.js';
import type { DigitalService, ObjectInput } from '../digital/digital.service.js';
import type { Store } from '../ports.js';

export type WriteTextPage = (out: string, heading: string, lines: readonly string[], footer: string) => Promise<void>;

interface DemoObject {
  owner: string;
  /** Link to the demo catalogue's record with this title, or describe with Dublin Core. */
  recordTitle?: string;
  input: Omit<ObjectInput, 'ownerUnitId'>;
  heading: string;
  pages: string[][];
  collection?: string;
}

const DIA_CHI: string[][] = [
  [
    'Kiên Giang là tỉnh nằm ở phía tây nam của Tổ quốc,',
    'có bờ biển dài hơn hai trăm ki-lô-mét và hơn một trăm',
    'hòn đảo lớn nhỏ, trong đó Phú Quốc là đảo lớn nhất.',
    'Vùng đất này được khai phá từ cuối thế kỷ XVII,',
    'khi Mạc Cửu lập nên trấn Hà Tiên trù phú.',
    'Người Việt, người Khmer và người Hoa cùng chung sống,',
    'tạo nên một nền văn hoá đa dạng và giàu bản sắc.',
  ],
  [
    'Rạch Giá là trung tâm hành chính của tỉnh, nằm bên',
    'vịnh Thái Lan, nổi tiếng với nghề biển và chợ cá.',
    'Đình Nguyễn Trung Trực thờ người anh hùng đã đốt',
    'tàu giặc trên vàm Nhật Tảo năm một nghìn tám trăm',
    'sáu mươi mốt, được nhân dân kính trọng đời đời.',
    'Hằng năm lễ giỗ ông thu hút hàng vạn người về dự.',
  ],
  [
    'Hà Tiên có mười cảnh đẹp được Mạc Thiên Tích',
    'vịnh thành thơ: Kim Dữ lan đào, Bình San điệp thuý,',
    'Tiêu Tự thần chung, Giang Thành dạ cổ, Thạch Động',
    'thôn vân, Châu Nham lạc lộ, Đông Hồ ấn nguyệt,',
    'Nam Phố trừng ba, Lộc Trĩ thôn cư, Lư Khê nhàn điếu.',
  ],
];

const HA_TIEN: string[][] = [
  [
    'Hà Tiên thập cảnh khúc vịnh là tập thơ của',
    'Mạc Thiên Tích cùng các văn nhân Tao đàn Chiêu Anh Các,',
    'ra đời năm một nghìn bảy trăm ba mươi sáu.',
    'Mỗi cảnh là một bài thơ tả núi, sông, biển, trời',
    'của đất Hà Tiên thuở ấy thanh bình và thơ mộng.',
  ],
  [
    'Đông Hồ ấn nguyệt: trăng in mặt hồ Đông,',
    'nước lặng như gương, thuyền câu lững lờ trôi.',
    'Tiêu Tự thần chung: tiếng chuông chùa Tiêu buổi sớm',
    'vang xa trên những mái nhà còn say ngủ.',
  ],
];

const LUAN_VAN: string[][] = [
  [
    'Luận văn thạc sĩ Văn hoá học',
    'Đề tài: Văn hoá biển đảo của cư dân ven biển Kiên Giang',
    'Chương một trình bày cơ sở lý luận về văn hoá biển,',
    'tín ngưỡng thờ cá Ông và lễ hội Nghinh Ông của',
    'ngư dân vùng Hòn Đất, Kiên Lương và Phú Quốc.',
  ],
  [
    'Chương hai khảo sát đời sống, nghề nghiệp và tri thức',
    'dân gian về con nước, mùa cá, luồng lạch của ngư dân.',
    'Kết quả cho thấy tri thức ấy đang mai một dần',
    'và cần được ghi chép, số hoá để gìn giữ lâu dài.',
  ],
];

const OBJECTS: DemoObject[] = [
  {
    owner: 'TVKG',
    recordTitle: 'Địa chí Kiên Giang',
    heading: 'ĐỊA CHÍ KIÊN GIANG',
    pages: DIA_CHI,
    collection: 'dia-chi-kien-giang',
    input: { category: 'local', access: 'public', licence: 'cc-by', state: 'published', dc: { title: 'Địa chí Kiên Giang (bản số, trích)', creator: ['Ủy ban nhân dân tỉnh Kiên Giang'], date: '2013', language: ['vi'], subject: ['Địa chí', 'Kiên Giang'], type: ['Text'], format: ['image/png'] } },
  },
  {
    owner: 'TVKG',
    recordTitle: 'Hà Tiên thập cảnh',
    heading: 'HÀ TIÊN THẬP CẢNH',
    pages: HA_TIEN,
    collection: 'dia-chi-kien-giang',
    input: { category: 'old_rare', access: 'public', licence: 'public-domain', state: 'published', dc: { title: 'Hà Tiên thập cảnh (bản số)', creator: ['Mạc Thiên Tích'], date: '1736', language: ['vi'], subject: ['Thơ chữ Hán', 'Hà Tiên'] } },
  },
  {
    owner: 'DHKG',
    heading: 'LUẬN VĂN THẠC SĨ',
    pages: LUAN_VAN,
    input: {
      category: 'thesis',
      access: 'registered',
      watermark: true,
      licence: 'in-copyright-edu',
      state: 'published',
      dc: { title: 'Văn hoá biển đảo của cư dân ven biển Kiên Giang', creator: ['Trần Thị Ngọc Lan'], contributor: ['Phạm Minh Tuấn (hướng dẫn)'], date: '2021', language: ['vi'], subject: ['Văn hoá biển', 'Tín ngưỡng dân gian', 'Kiên Giang'], type: ['Luận văn thạc sĩ'], publisher: ['Trường Đại học Kiên Giang'] },
    },
  },
  {
    owner: 'TVKG',
    heading: 'BẢN ĐỒ RẠCH GIÁ',
    pages: [['Bản đồ thị xã Rạch Giá', 'vẽ năm một nghìn chín trăm ba mươi', '(bản chụp đang chờ kiểm tra chất lượng)']],
    input: { category: 'old_rare', access: 'onsite', licence: 'copyright-not-evaluated', state: 'qc', dc: { title: 'Bản đồ thị xã Rạch Giá năm 1930', date: '1930', language: ['vi', 'fr'], type: ['Bản đồ'] } },
  },
];

/** Declared holdings per category: what the 70% target is measured against. */
const TARGETS: Array<[string, Record<string, number>]> = [
  ['TVKG', { local: 120, old_rare: 40, han_nom: 15, reference: 60 }],
  ['DHKG', { thesis: 300, research: 80, learning: 150 }],
];

export async function buildDemoDigital(deps: { store: Store; digital: DigitalService; writePage: WriteTextPage }, actor: Actor, ids: Map<string, number>): Promise<void> {
  const { digital } = deps;
  const work = await mkdtemp(join(tmpdir(), 'lienthong-demo-'));
  try {
    const collection = await digital.createCollection(actor, { ownerUnitId: ids.get('TVKG')!, code: 'dia-chi-kien-giang', nameVi: 'Địa chí Kiên Giang', nameEn: 'Kiên Giang local studies', description: 'Tài liệu viết về vùng đất, con người Kiên Giang.' });
    const records = await deps.store.catalog.listRecords({ limit: 200 });
    for (const d of OBJECTS) {
      const files = [];
      for (const [i, lines] of d.pages.entries()) {
        const path = join(work, `page-${files.length + 1}.png`);
        await deps.writePage(path, d.heading, lines, `— ${i + 1} —`);
        files.push(await digital.storeFile(path, `trang-${String(i + 1).padStart(3, '0')}.png`));
      }
      const recordId = d.recordTitle ? (records.find((r) => r.title.startsWith(d.recordTitle!))?.id ?? null) : null;
      await digital.createWithFiles(actor, { ...d.input, ownerUnitId: ids.get(d.owner)!, recordId, collectionIds: d.collection ? [collection.id] : [], source: 'demo' }, files);
    }
    for (const [code, held] of TARGETS) await digital.setTargets(actor, ids.get(code)!, held);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
