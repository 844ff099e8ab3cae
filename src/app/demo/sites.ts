/**
 * The demo network's library websites: the provincial library in Rạch Giá, the library of the Phú
 * Quốc special zone (the former district library) and the Hòn Đất library (which took in the
 * Hòn Đất district library in 2025) publish their own sites, with a colour, a logo, a banner, an
 * introduction, news and coming events. Made through the same use case staff use, so it is
 * audited; the pictures are drawn as SVG and rendered to PNG at demo time (no image is kept in git).
 *
 * The news is illustrative: the events and services are of the kind Kiên Giang's libraries run,
 * not a record of fact.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor } from '../actor.js';
import type { SiteService } from '../sites/site.service.js';
import type { SiteImage } from '../sites/ports.js';
import { instantToLocal } from '../../domain/sites/post.js';

/** Renders an SVG drawing to a PNG file (sharp, in `adapters/image/site-images.ts`). */
export type DrawImage = (svg: string, out: string) => Promise<void>;

export interface DemoSitesDeps {
  service: SiteService;
  drawImage: DrawImage;
}

// ---------------------------------------------------------------- drawings

function logoSvg(colour: string, mark: 'book' | 'wave' | 'mountain'): string {
  const marks = {
    book: `<path d="M96 150 Q160 120 160 150 L160 300 Q128 280 96 300 Z" fill="#fff"/><path d="M224 150 Q160 120 160 150 L160 300 Q192 280 224 300 Z" fill="#f2f2f2"/><path d="M160 150 L160 300" stroke="${colour}" stroke-width="6"/>`,
    wave: `<path d="M70 230 Q110 190 150 230 T230 230 T310 230" fill="none" stroke="#fff" stroke-width="18" stroke-linecap="round"/><path d="M70 280 Q110 240 150 280 T230 280" fill="none" stroke="#d8f3f0" stroke-width="14" stroke-linecap="round"/><circle cx="220" cy="130" r="34" fill="#ffd166"/>`,
    mountain: `<path d="M60 290 L140 150 L185 220 L215 180 L270 290 Z" fill="#fff"/><path d="M140 150 L160 185 L120 185 Z" fill="#f4e3d7"/><rect x="60" y="290" width="210" height="14" rx="7" fill="#ffd8b5"/>`,
  };
  return `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="320" viewBox="0 0 320 320">
<rect width="320" height="320" rx="64" fill="${colour}"/>
${marks[mark]}
</svg>`;
}

function bannerSvg(sky: [string, string], sea: string, building: string): string {
  const windows = Array.from({ length: 7 }, (_, i) => `<rect x="${690 + i * 62}" y="300" width="34" height="54" rx="4" fill="#fff8e1" opacity="0.9"/>`).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1600" height="640" viewBox="0 0 1600 640">
<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${sky[0]}"/><stop offset="1" stop-color="${sky[1]}"/></linearGradient></defs>
<rect width="1600" height="640" fill="url(#sky)"/>
<circle cx="1320" cy="150" r="70" fill="#ffe8a3" opacity="0.9"/>
<path d="M0 470 Q400 430 800 470 T1600 460 L1600 640 L0 640 Z" fill="${sea}"/>
<path d="M0 520 Q400 490 800 525 T1600 515 L1600 640 L0 640 Z" fill="#ffffff" opacity="0.18"/>
<rect x="640" y="230" width="480" height="250" fill="${building}"/>
<path d="M610 235 L880 140 L1150 235 Z" fill="${building}"/>
<rect x="640" y="380" width="480" height="16" fill="#ffffff" opacity="0.35"/>
${windows}
<rect x="845" y="400" width="70" height="80" rx="6" fill="#5b3a1e"/>
<path d="M120 470 L170 400 L220 470 Z" fill="#2f6b3a"/><path d="M200 475 L260 380 L320 475 Z" fill="#25592f"/><rect x="255" y="470" width="10" height="30" fill="#5b3a1e"/>
<path d="M1300 470 L1350 410 L1400 470 Z" fill="#2f6b3a"/>
</svg>`;
}

function shelvesSvg(): string {
  const colours = ['#c0392b', '#2e86ab', '#f6ae2d', '#33658a', '#86bbd8', '#758e4f', '#f26419', '#6a4c93', '#1b998b', '#e84855'];
  const rows = [110, 290, 470];
  let books = '';
  rows.forEach((y, r) => {
    let x = 80;
    let i = r * 3;
    while (x < 1120) {
      const w = 26 + ((i * 17) % 30);
      const h = 120 + ((i * 29) % 40);
      books += `<rect x="${x}" y="${y + 160 - h}" width="${w}" height="${h}" rx="3" fill="${colours[i % colours.length]}"/>`;
      x += w + 6;
      i++;
    }
    books += `<rect x="60" y="${y + 160}" width="1080" height="18" fill="#8d5a2b"/>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="720" viewBox="0 0 1200 720">
<rect width="1200" height="720" fill="#f7efe2"/>
<rect x="40" y="60" width="1120" height="640" fill="#e9d8bd"/>
${books}
<circle cx="980" cy="650" r="60" fill="#7fb069"/><rect x="950" y="600" width="60" height="90" rx="10" fill="#a47148"/>
</svg>`;
}

function boatSvg(): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="720" viewBox="0 0 1200 720">
<defs><linearGradient id="s" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#8ecae6"/><stop offset="1" stop-color="#e0f4fb"/></linearGradient></defs>
<rect width="1200" height="720" fill="url(#s)"/>
<path d="M760 420 Q900 250 1060 420 Z" fill="#3a7d44"/><path d="M900 420 Q1000 300 1120 420 Z" fill="#2f6b3a"/>
<rect y="420" width="1200" height="300" fill="#219ebc"/>
<path d="M0 470 Q300 450 600 470 T1200 470" stroke="#ffffff" stroke-width="6" fill="none" opacity="0.5"/>
<path d="M250 470 L650 470 L600 540 L300 540 Z" fill="#e76f51"/>
<rect x="330" y="400" width="200" height="70" fill="#fefae0"/>
<rect x="350" y="415" width="40" height="40" fill="#264653"/><rect x="405" y="415" width="40" height="40" fill="#264653"/><rect x="460" y="415" width="40" height="40" fill="#264653"/>
<rect x="430" y="250" width="10" height="150" fill="#6d4c41"/><path d="M440 255 L560 330 L440 330 Z" fill="#ffb703"/>
<rect x="520" y="440" width="70" height="30" rx="4" fill="#2a9d8f"/><rect x="528" y="446" width="54" height="6" fill="#fff"/><rect x="528" y="458" width="54" height="6" fill="#fff"/>
</svg>`;
}

function readingSvg(): string {
  const child = (x: number, shirt: string) =>
    `<circle cx="${x}" cy="360" r="42" fill="#f1c27d"/><path d="M${x - 52} 520 Q${x} 380 ${x + 52} 520 Z" fill="${shirt}"/><rect x="${x - 40}" y="440" width="80" height="56" rx="6" fill="#fff" stroke="#264653" stroke-width="4"/><path d="M${x} 442 L${x} 494" stroke="#264653" stroke-width="3"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="720" viewBox="0 0 1200 720">
<rect width="1200" height="720" fill="#fff4e6"/>
<rect y="520" width="1200" height="200" fill="#e9c46a"/>
<rect x="80" y="120" width="300" height="300" rx="20" fill="#2a9d8f" opacity="0.25"/><rect x="820" y="100" width="300" height="320" rx="20" fill="#e76f51" opacity="0.2"/>
${child(340, '#e76f51')}${child(600, '#2a9d8f')}${child(860, '#6a4c93')}
</svg>`;
}

// ---------------------------------------------------------------- content

/** A day `days` from now at `hh:mm` in the network's time, as a form sends it. */
function localDay(now: Date, days: number, time: string): string {
  return `${instantToLocal(new Date(now.getTime() + days * 86_400_000).toISOString()).slice(0, 10)}T${time}`;
}

export async function buildDemoSites(deps: DemoSitesDeps, actor: Actor, ids: ReadonlyMap<string, number>): Promise<void> {
  const { service, drawImage } = deps;
  const now = service.now();
  const dir = await mkdtemp(join(tmpdir(), 'lt-demo-sites-'));
  try {
    let n = 0;
    const image = async (unit: string, svg: string, name: string): Promise<SiteImage> => {
      const out = join(dir, `${++n}.png`);
      await drawImage(svg, out);
      return service.uploadImage(actor, ids.get(unit)!, await service.receive(createReadStream(out), name));
    };
    const site = async (unit: string, s: { accent: string; logo: SiteImage; banner: SiteImage; introVi: string; introEn: string }) => {
      const id = ids.get(unit)!;
      await service.updateSettings(actor, id, { accentColor: s.accent, introVi: s.introVi, introEn: s.introEn, logoImageId: s.logo.id, bannerImageId: s.banner.id, version: 0 });
      await service.setPublished(actor, id, true);
    };
    const post = (unit: string, p: Record<string, string>, publish = true) => service.createPost(actor, ids.get(unit)!, p, { publish });

    // -- the provincial library, Rạch Giá
    const tvkgShelves = await image('TVKG', shelvesSvg(), 'khong-gian-doc-thieu-nhi.png');
    await site('TVKG', {
      accent: '#0b5d7a',
      logo: await image('TVKG', logoSvg('#0b5d7a', 'book'), 'bieu-trung-thu-vien-tinh.png'),
      banner: await image('TVKG', bannerSvg(['#bde0fe', '#fdfcdc'], '#0b5d7a', '#c8553d'), 'mat-tien-thu-vien.png'),
      introVi:
        'Thư viện trung tâm của mạng lưới, bên bờ vịnh Rạch Giá: kho **tài liệu địa chí Kiên Giang**, sách Hán Nôm, báo chí từ năm 1975, phòng đọc thiếu nhi và phòng đọc mở cửa cả cuối tuần.\n\nMột thẻ bạn đọc dùng được ở mọi thư viện trong mạng lưới. [Tìm tài liệu](/search) hoặc đọc [tài liệu số](/digital) ngay trên điện thoại.',
      introEn:
        "The network's central library, on the bay of Rạch Giá: **Kiên Giang local studies**, Hán Nôm books, newspapers since 1975, a children's room and reading rooms open at weekends too.\n\nOne reader's card works in every library of the network. [Search the catalogue](/search) or read [digitised documents](/digital) on your phone.",
    });
    await post('TVKG', {
      kind: 'news',
      title: 'Khai trương không gian đọc thiếu nhi mới',
      leadImageId: String(tvkgShelves.id),
      body: `Sáng nay, Thư viện tỉnh đưa vào phục vụ không gian đọc dành cho thiếu nhi ở tầng trệt, với hơn **3.000 cuốn sách** tranh, truyện và sách khoa học cho các em từ 3 đến 15 tuổi.\n\n## Có gì mới\n\n- Góc sách tranh cho các bé chưa biết chữ, có thảm ngồi và ghế thấp\n- Bàn đọc cho học sinh làm bài, có ổ điện sạc máy\n- Tủ sách song ngữ Việt – Anh và Việt – Khmer\n\n![Kệ sách mới ở không gian đọc thiếu nhi](image:${tvkgShelves.id})\n\nPhụ huynh có thể làm thẻ cho con ngay tại quầy, chỉ cần mang theo giấy khai sinh. Xem [sách thiếu nhi trong thư viện](/search?q=thi%E1%BA%BFu+nhi&library=TVKG).`,
    });
    await post('TVKG', {
      kind: 'news',
      title: 'Trưng bày tư liệu địa chí “Kiên Giang – vùng đất, con người”',
      body: 'Nhân dịp kỷ niệm ngày tái lập tỉnh, thư viện trưng bày hơn 200 tư liệu địa chí: sách, bản đồ cổ, ảnh tư liệu về Rạch Giá, Hà Tiên, Phú Quốc và các làng nghề ven biển.\n\nNhiều tư liệu quý đã được **số hoá** và có thể đọc trực tuyến trong [thư viện số](/digital). Phòng trưng bày mở cửa từ thứ Hai đến thứ Bảy, *vào cửa tự do*.',
    });
    await post('TVKG', {
      kind: 'event',
      title: 'Ngày hội Sách và Văn hóa đọc',
      startsAt: localDay(now, 12, '07:30'),
      endsAt: localDay(now, 12, '11:00'),
      place: 'Sân Thư viện tỉnh, số 1 đường Mậu Thân, Rạch Giá',
      body: 'Ngày hội dành cho mọi lứa tuổi:\n\n- Đổi sách cũ lấy sách mới\n- Thi kể chuyện theo sách cho học sinh tiểu học\n- Giới thiệu thư viện số và cách tìm tài liệu trên điện thoại\n- Làm thẻ bạn đọc miễn phí\n\nMời các trường, các gia đình đến tham dự.',
    });

    // -- the Phú Quốc special zone library (the former district library)
    const pqBoat = await image('PQ', boatSvg(), 'tu-sach-bien-dao.png');
    await site('PQ', {
      accent: '#006d77',
      logo: await image('PQ', logoSvg('#006d77', 'wave'), 'bieu-trung-phu-quoc.png'),
      banner: await image('PQ', bannerSvg(['#90e0ef', '#caf0f8'], '#0077b6', '#e9c46a'), 'bien-phu-quoc.png'),
      introVi:
        'Thư viện đặc khu Phú Quốc phục vụ bạn đọc trên đảo ngọc và các xã đảo. Ngoài sách báo, thư viện có **tủ sách biển đảo** luân chuyển tới các điểm trường, trạm y tế và đồn biên phòng.',
      introEn: 'The library of the Phú Quốc special zone serves readers on the island and its smaller islands. Besides books and newspapers, its **islands book box** travels to schools, clinics and border posts.',
    });
    await post('PQ', {
      kind: 'news',
      title: 'Tủ sách biển đảo đến với học sinh xã Hòn Thơm',
      leadImageId: String(pqBoat.id),
      body: `Chuyến tàu tuần này đưa **450 cuốn sách** ra điểm trường Hòn Thơm. Các em học sinh được mượn sách trong hai tháng, sau đó tủ sách sẽ được đổi sang đợt mới.\n\n![Tàu chở tủ sách biển đảo ra xã Hòn Thơm](image:${pqBoat.id})\n\nCác đơn vị muốn nhận tủ sách luân chuyển xin liên hệ thư viện qua số điện thoại ở cuối trang.`,
    });
    await post('PQ', {
      kind: 'event',
      title: 'Giao lưu đọc sách cùng chiến sĩ Đồn Biên phòng Dương Đông',
      startsAt: localDay(now, 20, '14:00'),
      endsAt: localDay(now, 20, '16:30'),
      place: 'Phòng đọc Thư viện đặc khu Phú Quốc',
      body: 'Các chiến sĩ kể chuyện về biển đảo và giới thiệu những cuốn sách họ yêu thích. Học sinh tham dự được tặng sách.',
    });

    // -- the Hòn Đất library
    const hdReading = await image('HD-TT', readingSvg(), 'doc-sach-chu-nhat.png');
    await site('HD-TT', {
      accent: '#8a3b12',
      logo: await image('HD-TT', logoSvg('#8a3b12', 'mountain'), 'bieu-trung-hon-dat.png'),
      banner: await image('HD-TT', bannerSvg(['#ffd6a5', '#fff1e6'], '#6a994e', '#8a3b12'), 'hon-dat.png'),
      introVi:
        'Thư viện xã Hòn Đất kế thừa kho sách của Thư viện huyện Hòn Đất trước đây, với góc tư liệu về nữ anh hùng Phan Thị Ràng (chị Sứ) và phong trào đọc sách ở các ấp.',
      introEn: 'The Hòn Đất library took over the collection of the former Hòn Đất district library, with a corner on the heroine Phan Thị Ràng (sister Sứ) and reading clubs in the hamlets.',
    });
    await post('HD-TT', {
      kind: 'news',
      title: 'Thư viện mở cửa phục vụ sáng Chủ nhật',
      leadImageId: String(hdReading.id),
      body: `Từ tháng này, thư viện mở cửa thêm **sáng Chủ nhật từ 7:30 đến 11:00** để học sinh và bà con đi làm trong tuần có thể đến đọc và mượn sách.\n\n![Các em nhỏ đọc sách ở thư viện sáng Chủ nhật](image:${hdReading.id})\n\nMỗi sáng Chủ nhật đầu tháng có giờ đọc truyện cho các bé.`,
    });
    await post('HD-TT', { kind: 'news', title: 'Kế hoạch luân chuyển sách quý tới', body: 'Bản nháp: danh sách sách sẽ chuyển về các ấp Cây Dương, Hòn Quéo.' }, false);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
