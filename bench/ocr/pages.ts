/**
 * Printed Vietnamese pages with known text, for the OCR benchmark and the OCR and PDF tests: prose
 * set in DejaVu Serif (a system font with every Vietnamese letter) and rendered to a grey PNG by
 * sharp from SVG. The text is drawn from hand-written sentences by a seeded generator, so every
 * run makes the same pages, and wrapped into lines short enough never to run off the page.
 *
 * Between them the sentences use every tone mark (ngang, huyền, sắc, hỏi, ngã, nặng) on every
 * vowel letter (all 72 lower-case forms, from `a` to `ỵ`), `đ`, and capitals with marks, as real
 * prose does.
 */
import sharp from 'sharp';
import { seededRandom } from '../lib/measure.js';

/** Vietnamese prose about libraries, places and history; every string is NFC. */
export const SENTENCES: readonly string[] = [
  'Thư viện tỉnh Kiên Giang được thành lập từ năm 1976, ngày nay phục vụ hàng nghìn bạn đọc mỗi tháng.',
  'Những cuốn sách cũ được số hóa để người dân ở các xã xa xôi cũng có thể đọc trên điện thoại.',
  'Mùa nước nổi ở đồng bằng sông Cửu Long mang phù sa về bồi đắp cho những cánh đồng lúa rộng lớn.',
  'Ông bà tôi kể rằng ngày xưa cả làng chỉ có một tủ sách nhỏ đặt ở đình, ai muốn đọc phải xếp hàng.',
  'Cán bộ thư viện hướng dẫn các em học sinh cách tìm tài liệu, ghi chép và trích dẫn nguồn cho đúng.',
  'Trên kệ gỗ, những tập thơ, truyện ngắn và tiểu thuyết được sắp xếp theo tên tác giả và năm xuất bản.',
  'Ở Hà Tiên, người ta vẫn nhắc đến Mạc Thiên Tích và Tao đàn Chiêu Anh Các với niềm tự hào sâu sắc.',
  'Đường về Rạch Giá quanh co giữa những hàng dừa nước, thỉnh thoảng lại gặp một chiếc ghe chở đầy khóm.',
  'Bảo tàng lưu giữ nhiều hiện vật quý của nền văn hóa Óc Eo, có niên đại gần hai nghìn năm trước.',
  'Mỗi sáng chủ nhật, phòng đọc thiếu nhi rộn ràng tiếng cười của các em nhỏ đến nghe kể chuyện cổ tích.',
  'Bản đồ địa chí cho thấy vùng đất này từng là nơi giao thương sầm uất của thương nhân nhiều nước.',
  'Nhờ mạng lưới liên thông, một cuốn sách ở huyện đảo Phú Quốc có thể được mượn về tận U Minh Thượng.',
  'Người thủ thư già cẩn thận dán lại gáy sách, lau bụi từng trang giấy đã ngả màu vàng theo năm tháng.',
  'Chương trình khuyến đọc năm nay tặng hơn ba nghìn đầu sách cho các điểm bưu điện văn hóa xã.',
  'Những bài ca dao, tục ngữ được sưu tầm kỹ lưỡng, ghi rõ người kể, nơi ghi âm và ngày tháng.',
  'Cơn mưa chiều đổ xuống bất chợt, bạn đọc vẫn ngồi yên bên cửa sổ, mải mê với những trang sách.',
  'Ủy ban nhân dân tỉnh đã phê duyệt đề án chuyển đổi số cho toàn bộ hệ thống thư viện công cộng.',
  'Ảnh chụp tư liệu về kênh Rạch Sỏi được phục chế, chú thích bằng tiếng Việt và tiếng Anh.',
  'Ếch kêu ồm ộp ngoài ruộng, trong nhà ông đồ vẫn miệt mài viết câu đối đỏ cho bà con đón Tết.',
  'Ở thư viện huyện, máy quét sách chạy suốt ngày đêm để kịp số hóa kho báo cũ trước mùa mưa bão.',
  'Ơn nghĩa của thầy cô được học trò ghi nhớ, truyền lại qua bao thế hệ như một nét đẹp văn hóa.',
  'Ừ thì cuộc sống còn nhiều vất vả, nhưng ai nấy đều tin rằng tri thức sẽ mở ra con đường mới.',
  'Ẩm thực miền Tây nổi tiếng với bánh xèo, lẩu mắm và những món ăn dân dã nấu từ cá đồng.',
  'Ẵm đứa cháu nhỏ trên tay, bà cụ chậm rãi kể lại chuyện đi sơ tán thời kháng chiến chống Mỹ.',
  'Đội ngũ tình nguyện viên giúp người cao tuổi làm quen với máy tính và tra cứu mục lục trực tuyến.',
  'Độc giả có thể đặt mượn trước, nhận sách tại thư viện gần nhà và trả ở bất kỳ chi nhánh nào.',
  'Giữa trưa hè oi ả, cả xóm kéo nhau ra bến sông hóng gió, nghe ông Sáu đọc báo cho mọi người.',
  'Những trang nhật ký viết tay của liệt sĩ được gia đình hiến tặng, nay được bảo quản cẩn thận.',
  'Tiếng trống trường vang lên, lũ trẻ ùa ra sân, tay ôm chặt những quyển vở mới thơm mùi giấy.',
  'Hội thảo bàn về việc chuẩn hóa dữ liệu thư mục, thống nhất cách ghi tên người và địa danh.',
  'Ngọn hải đăng trên đảo Nam Du soi đường cho tàu thuyền ngư dân mỗi khi đêm xuống.',
  'Quyển từ điển Việt - Bồ - La của Alexandre de Rhodes in năm 1651 là tư liệu ngôn ngữ học quý giá.',
  'Cụ Nguyễn Đình Chiểu dù mù lòa vẫn sáng tác Lục Vân Tiên, tác phẩm được truyền tụng khắp Nam Bộ.',
  'Sáng kiến xe sách lưu động đã đưa hơn mười nghìn lượt sách đến với trẻ em vùng sâu, vùng xa.',
  'Lũ chim sẻ ríu rít trên mái ngói rêu phong của ngôi chùa cổ, nơi lưu giữ kinh sách chữ Hán Nôm.',
  'Bạn đọc phản hồi rằng giao diện mới dễ dùng hơn, tìm kiếm không dấu vẫn ra đúng kết quả.',
  'Việc bảo quản tài liệu giấy đòi hỏi nhiệt độ ổn định, độ ẩm thấp và tránh ánh nắng trực tiếp.',
  'Gió chướng thổi về cuối năm, mặt biển gợn sóng bạc, thuyền câu mực lần lượt trở về cảng.',
  'Quỹ sách quý hiếm gồm các bản in khắc gỗ, bản chép tay và những số báo đầu tiên bằng chữ quốc ngữ.',
  'Chúng tôi đã rút kinh nghiệm từ những lần mất điện, nay mọi dữ liệu đều được sao lưu hằng ngày.',
  'Ở đầu làng có cây đa cổ thụ, tán lá rộng che mát cả một khoảng sân, nơi trẻ con tụ tập vui đùa.',
  'Các nhà nghiên cứu đối chiếu nhiều dị bản để khôi phục văn bản gốc của truyện thơ Nôm.',
  'Mưa dầm mấy ngày liền khiến con đường đất đỏ lầy lội, nhưng lớp học xóa mù chữ vẫn đông đủ.',
  'Ấy là lần đầu tiên cô bé được cầm trên tay một cuốn sách tranh in màu đẹp đến thế.',
  'Ổ bánh mì nóng giòn, ly cà phê sữa đá và tờ báo sáng là thói quen của nhiều người Sài Gòn.',
  'Ỷ vào trí nhớ, anh ta không ghi chép gì, để rồi quên mất nửa số việc phải làm trong tuần.',
  'Ỹ, ỵ, ỳ, ý là những cách viết của chữ y mang dấu thanh mà học sinh lớp một phải tập viết.',
  'Nhiều bậc phụ huynh đưa con đến thư viện vào cuối tuần, vừa đọc sách vừa tham gia trò chơi.',
  'Con đường thẳng tắp dẫn về làng, chẳng mấy chốc đã thấy mái đình và hàng cau quen thuộc.',
];

export interface PageSpec {
  width: number;
  height: number;
  /** Font size in pixels. */
  fontSize: number;
  /** Line pitch in pixels. */
  lineHeight: number;
  margin: number;
  /** Longest line in characters. */
  lineChars: number;
  lines: number;
}

/**
 * An A4 page scanned at 300 dpi (2,480 × 3,508 px) with 30 lines of 10.5 pt serif text: what a
 * library's book scanner produces for a printed page.
 */
export const A4_300DPI: PageSpec = { width: 2480, height: 3508, fontSize: 44, lineHeight: 96, margin: 220, lineChars: 72, lines: 30 };

export interface GeneratedPage {
  /** The page's lines, NFC. */
  lines: string[];
  /** The lines joined by `\n`. */
  text: string;
}

/** Wraps `text` at spaces into lines of at most `max` characters. */
export function wrap(text: string, max: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/u).filter(Boolean)) {
    if (line && line.length + 1 + word.length > max) {
      out.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) out.push(line);
  return out;
}

/** `count` pages of prose, the same for the same seed. */
export function generatePages(count: number, opts: { seed?: number; spec?: PageSpec } = {}): GeneratedPage[] {
  const spec = opts.spec ?? A4_300DPI;
  const rnd = seededRandom(opts.seed ?? 1);
  const pages: GeneratedPage[] = [];
  for (let p = 0; p < count; p++) {
    const lines: string[] = [];
    while (lines.length < spec.lines) {
      // A paragraph of two to five sentences; paragraphs are separated only by the line break.
      const n = 2 + Math.floor(rnd() * 4);
      const para = Array.from({ length: n }, () => SENTENCES[Math.floor(rnd() * SENTENCES.length)]!).join(' ');
      lines.push(...wrap(para, spec.lineChars));
    }
    lines.length = spec.lines;
    pages.push({ lines, text: lines.join('\n') });
  }
  return pages;
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"]/gu, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** The SVG of a page showing `lines`. */
export function pageSvg(lines: readonly string[], spec: PageSpec = A4_300DPI): string {
  const rows = lines
    .map((l, i) => `<text x="${spec.margin}" y="${spec.margin + spec.fontSize + i * spec.lineHeight}" xml:space="preserve">${escapeXml(l)}</text>`)
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${spec.width}" height="${spec.height}">` +
    `<rect width="100%" height="100%" fill="white"/>` +
    `<g font-family="DejaVu Serif" font-size="${spec.fontSize}" fill="black">${rows}</g></svg>`
  );
}

/** Renders `lines` as a page to `out` (grey PNG) and returns the page's size. */
export async function renderPagePng(lines: readonly string[], out: string, spec: PageSpec = A4_300DPI): Promise<{ width: number; height: number }> {
  // One grey channel, no alpha: what a scanner (or the OCR image derivation) gives tesseract.
  await sharp(Buffer.from(pageSvg(lines, spec))).flatten({ background: 'white' }).toColourspace('b-w').png().toFile(out);
  return { width: spec.width, height: spec.height };
}

/** The same page as a grey JPEG (what a scanned PDF embeds). */
export async function renderPageJpeg(lines: readonly string[], spec: PageSpec = A4_300DPI, quality = 85): Promise<Buffer> {
  // A one-component JPEG, as the PDF declares it DeviceGray (grayscale() alone keeps three).
  return sharp(Buffer.from(pageSvg(lines, spec))).toColourspace('b-w').jpeg({ quality }).toBuffer();
}
