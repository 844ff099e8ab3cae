/**
 * A small demo union catalogue for the demo network: well-known Vietnamese works, local studies
 * of Kiên Giang and a few foreign titles, catalogued through the simple form's MARC builder and
 * held by several libraries of the network. Bibliographic facts (titles, authors, first
 * publication years) are public knowledge; the publishers, editions and copies are illustrative.
 * No ISBNs are invented.
 */
import type { SimpleRecordInput } from '../../domain/catalog/simple-form.js';

export interface DemoBook extends SimpleRecordInput {
  /** Holding libraries (unit codes) and how many copies each. */
  copies: Array<[string, number]>;
}

const b = (title: string, authors: string[], year: string, ddc: string, subjects: string[], copies: Array<[string, number]>, extra: Partial<SimpleRecordInput> = {}): DemoBook => ({
  title,
  authors,
  year,
  classification: { scheme: 'ddc', number: ddc },
  subjects,
  copies,
  publisher: extra.publisher ?? 'Nxb. Văn học',
  place: extra.place ?? 'Hà Nội',
  language: extra.language ?? 'vie',
  ...extra,
});

export const DEMO_BOOKS: readonly DemoBook[] = [
  b('Truyện Kiều', ['Nguyễn Du'], '2015', '895.9221', ['Văn học Việt Nam -- Truyện thơ'], [['TVKG', 3], ['PQ', 1], ['HD', 1], ['CT', 1]], { responsibility: 'Nguyễn Du ; Đào Duy Anh khảo đính', pages: '447 tr.', summary: 'Truyện thơ Nôm của Nguyễn Du, kể cuộc đời truân chuyên của Thúy Kiều.' }),
  b('Dế Mèn phiêu lưu ký', ['Tô Hoài'], '2019', '895.9223', ['Văn học thiếu nhi -- Truyện'], [['TVKG', 2], ['TVKG-TN', 4], ['RG', 2], ['GQ', 1]], { publisher: 'Nxb. Kim Đồng', pages: '143 tr.', series: 'Tủ sách tuổi thơ ; 1' }),
  b('Số đỏ', ['Vũ Trọng Phụng'], '2016', '895.9223', ['Văn học Việt Nam -- Tiểu thuyết'], [['TVKG', 2], ['HT', 1]], { pages: '262 tr.' }),
  b('Tắt đèn', ['Ngô Tất Tố'], '2017', '895.9223', ['Văn học Việt Nam -- Tiểu thuyết'], [['TVKG', 2], ['KL', 1], ['AB', 1]]),
  b('Chí Phèo', ['Nam Cao'], '2018', '895.9223', ['Văn học Việt Nam -- Truyện ngắn'], [['TVKG', 2], ['TH', 1]]),
  b('Vang bóng một thời', ['Nguyễn Tuân'], '2014', '895.9228', ['Văn học Việt Nam -- Tùy bút'], [['TVKG', 1]]),
  b('Thương nhớ mười hai', ['Vũ Bằng'], '2013', '895.9228', ['Văn học Việt Nam -- Tùy bút'], [['TVKG', 1], ['PQ', 1]]),
  b('Đất rừng phương Nam', ['Đoàn Giỏi'], '2020', '895.9223', ['Văn học thiếu nhi -- Nam Bộ'], [['TVKG', 2], ['TVKG-TN', 3], ['UMT', 1], ['VT', 1]], { publisher: 'Nxb. Kim Đồng' }),
  b('Nỗi buồn chiến tranh', ['Bảo Ninh'], '2011', '895.9223', ['Văn học Việt Nam -- Chiến tranh'], [['TVKG', 1], ['RG', 1]], { publisher: 'Nxb. Trẻ', place: 'Thành phố Hồ Chí Minh' }),
  b('Cánh đồng bất tận', ['Nguyễn Ngọc Tư'], '2005', '895.9223', ['Văn học Việt Nam -- Truyện ngắn', 'Đồng bằng sông Cửu Long'], [['TVKG', 2], ['GR', 1], ['AM', 1]], { publisher: 'Nxb. Trẻ', place: 'Thành phố Hồ Chí Minh' }),
  b('Tôi thấy hoa vàng trên cỏ xanh', ['Nguyễn Nhật Ánh'], '2018', '895.9223', ['Văn học thiếu nhi -- Tiểu thuyết'], [['TVKG', 3], ['TVKG-TN', 5], ['HD', 2], ['PQ', 2], ['CT', 1]], { publisher: 'Nxb. Trẻ', place: 'Thành phố Hồ Chí Minh' }),
  b('Tuổi thơ dữ dội', ['Phùng Quán'], '2016', '895.9223', ['Văn học thiếu nhi -- Chiến tranh'], [['TVKG-TN', 2], ['TH', 1]], { publisher: 'Nxb. Kim Đồng' }),
  b('Bỉ vỏ', ['Nguyên Hồng'], '2015', '895.9223', ['Văn học Việt Nam -- Tiểu thuyết'], [['TVKG', 1]]),
  b('Nhật ký trong tù', ['Hồ Chí Minh'], '2020', '895.9221', ['Thơ chữ Hán -- Việt Nam'], [['TVKG', 3], ['RG', 1], ['HT', 1], ['PQ', 1]], { publisher: 'Nxb. Chính trị quốc gia Sự thật' }),
  b('Việt Nam sử lược', ['Trần Trọng Kim'], '2018', '959.7', ['Lịch sử -- Việt Nam'], [['TVKG', 2], ['TVKG-DC', 1]], { publisher: 'Nxb. Văn học' }),
  b('Đại Việt sử ký toàn thư', ['Ngô Sĩ Liên'], '2011', '959.701', ['Lịch sử -- Việt Nam -- Phong kiến'], [['TVKG', 1], ['TVKG-DC', 1]], { publisher: 'Nxb. Khoa học xã hội', responsibility: 'Ngô Sĩ Liên và các sử thần triều Lê' }),
  b('Gia Định thành thông chí', ['Trịnh Hoài Đức'], '2006', '959.77', ['Địa chí -- Nam Bộ'], [['TVKG-DC', 2]], { publisher: 'Nxb. Giáo dục' }),
  b('Hà Tiên thập cảnh', ['Mạc Thiên Tích'], '2009', '895.9221', ['Thơ chữ Hán -- Hà Tiên', 'Địa chí -- Kiên Giang'], [['TVKG-DC', 2], ['HT', 2]], { publisher: 'Nxb. Tổng hợp', place: 'Kiên Giang' }),
  b('Địa chí Kiên Giang', ['Ủy ban nhân dân tỉnh Kiên Giang'], '2013', '915.9795', ['Địa chí -- Kiên Giang'], [['TVKG-DC', 3], ['TVKG', 1], ['RG', 1], ['PQ', 1]], { publisher: 'Nxb. Chính trị quốc gia', responsibility: 'Ủy ban nhân dân tỉnh Kiên Giang' }),
  b('Phú Quốc: đảo ngọc', ['Nguyễn Văn Hòa'], '2017', '915.9795', ['Du lịch -- Phú Quốc', 'Địa chí -- Kiên Giang'], [['PQ', 2], ['PQ-DD', 1], ['TVKG-DC', 1]], { publisher: 'Nxb. Tổng hợp', place: 'Kiên Giang' }),
  b('Rừng U Minh Thượng', ['Lê Thị Mai'], '2019', '333.7509597', ['Rừng tràm -- U Minh Thượng', 'Môi trường -- Kiên Giang'], [['UMT', 2], ['TVKG-DC', 1]], { publisher: 'Nxb. Nông nghiệp', place: 'Thành phố Hồ Chí Minh' }),
  b('Kỹ thuật nuôi tôm càng xanh', ['Trần Văn Bình'], '2021', '639.68', ['Nuôi trồng thủy sản -- Tôm càng xanh'], [['AB', 2], ['AM', 2], ['GQ', 1], ['VT', 1]], { publisher: 'Nxb. Nông nghiệp', place: 'Thành phố Hồ Chí Minh' }),
  b('Trồng lúa thích ứng biến đổi khí hậu', ['Phạm Minh Tuấn', 'Nguyễn Thị Thu Hà'], '2022', '633.18', ['Cây lúa -- Kỹ thuật trồng', 'Biến đổi khí hậu'], [['TH', 2], ['GR', 1], ['CT', 1]], { publisher: 'Nxb. Nông nghiệp', place: 'Thành phố Hồ Chí Minh' }),
  b('Lễ hội Nghinh Ông ở Nam Bộ', ['Huỳnh Ngọc Trảng'], '2015', '394.26959', ['Lễ hội -- Nam Bộ'], [['TVKG-DC', 1], ['KL', 1]], { publisher: 'Nxb. Văn hóa dân tộc' }),
  b('Ca dao, tục ngữ Việt Nam', ['Vũ Ngọc Phan'], '2017', '398.9', ['Văn học dân gian -- Ca dao'], [['TVKG', 2], ['TVKG-TN', 1], ['HD', 1]], { publisher: 'Nxb. Văn học' }),
  b('Từ điển Anh - Việt', ['Viện Ngôn ngữ học'], '2020', '423.95922', ['Tiếng Anh -- Từ điển'], [['TVKG', 2], ['DHKG', 3]], { publisher: 'Nxb. Đại học Quốc gia Thành phố Hồ Chí Minh', place: 'Thành phố Hồ Chí Minh', language: 'vie, eng' }),
  b('Chuyển đổi số trong thư viện công cộng', ['Nguyễn Hữu Giới'], '2023', '025.00285', ['Thư viện -- Chuyển đổi số'], [['TVKG', 2], ['DHKG', 1]], { publisher: 'Nxb. Thông tin và Truyền thông' }),
  b('Giáo trình tin học cơ sở', ['Hồ Sĩ Đàm'], '2016', '004', ['Tin học -- Giáo trình'], [['DHKG', 4], ['TVKG', 1]], { publisher: 'Nxb. Đại học Sư phạm' }),
  b('The sorrow of war', ['Bảo Ninh'], '1994', '895.9223', ['Vietnamese fiction -- Translations into English'], [['TVKG', 1], ['DHKG', 1]], { publisher: 'Pantheon Books', place: 'New York', language: 'eng', responsibility: 'Bao Ninh ; English version by Frank Palmos' }),
  b('A history of Vietnam: from Hong Bang to Tu Duc', ['Taylor, Keith Weller'], '2013', '959.7', ['Vietnam -- History'], [['DHKG', 1]], { publisher: 'Cambridge University Press', place: 'Cambridge', language: 'eng' }),
  b('Le Vietnam: histoire et civilisation', ['Brocheux, Pierre'], '2011', '959.7', ['Viêt Nam -- Histoire'], [['TVKG', 1]], { publisher: 'Fayard', place: 'Paris', language: 'fre' }),
];
