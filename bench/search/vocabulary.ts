/**
 * Vocabularies for the search benchmark's generated catalogue: what the titles, names, subjects,
 * publishers and classes of a Vietnamese provincial library network look like. Data only (the
 * generator in `generate.ts` draws from it); every string is NFC.
 *
 * Spelling: the lists use the placement of tone marks most Vietnamese text uses (`hòa`, `thủy`,
 * `khỏe`, mark on the first vowel of an open `oa`/`oe`/`uy`) and `y` in `kỹ`, `lý`, `Mỹ`. The
 * generator rewrites a small share of records in the other habits (`hoà`, `thuỷ`; `kĩ`, `lí`),
 * as real catalogues mix them.
 */

// ---------------------------------------------------------------------------------------------
// Titles

/**
 * Words and set phrases of Vietnamese book titles, most frequent first: the generator draws them
 * with a Zipf-like law over this order (rank 1 is by far the most common). Proper nouns are
 * capitalised as written in a title; everything else is lower case.
 */
export const TITLE_TERMS: readonly string[] = [
  // Ranks 1–40: in a large share of all titles.
  'Việt Nam', 'lịch sử', 'văn học', 'giáo trình', 'kinh tế', 'phát triển', 'xã hội', 'văn hóa', 'truyện', 'Hồ Chí Minh',
  'giáo dục', 'nông nghiệp', 'khoa học', 'kỹ thuật', 'thế giới', 'tuyển tập', 'nghiên cứu', 'hướng dẫn', 'pháp luật', 'tiếng Việt',
  'truyện ngắn', 'tiểu thuyết', 'thơ', 'quản lý', 'công tác', 'chính trị', 'cách mạng', 'dân tộc', 'kháng chiến', 'chiến tranh',
  'con người', 'tư tưởng', 'đất nước', 'nhà nước', 'thiếu nhi', 'lý luận', 'tài liệu', 'bài học', 'doanh nghiệp', 'tiếng Anh',
  // 41–160: common.
  'địa chí', 'Kiên Giang', 'thủy sản', 'du lịch', 'y học', 'sức khỏe', 'công nghệ', 'thông tin', 'thư viện', 'đồng bằng sông Cửu Long',
  'Nam Bộ', 'miền Nam', 'Hà Nội', 'Sài Gòn', 'nông thôn', 'nông dân', 'kỹ năng', 'học sinh', 'sinh viên', 'trẻ em',
  'gia đình', 'phụ nữ', 'thanh niên', 'cuộc sống', 'tình yêu', 'tuổi thơ', 'quê hương', 'nhân dân', 'Đảng', 'Đảng bộ',
  'lãnh đạo', 'chính sách', 'đổi mới', 'hội nhập', 'quốc tế', 'kinh nghiệm', 'thực tiễn', 'vấn đề', 'giải pháp', 'cơ sở',
  'nhập môn', 'từ điển', 'sổ tay', 'hỏi đáp', 'tìm hiểu', 'câu chuyện', 'kể chuyện', 'danh nhân', 'anh hùng', 'nhân vật',
  'tác phẩm', 'chọn lọc', 'toàn tập', 'hồi ký', 'bút ký', 'tùy bút', 'ký sự', 'phóng sự', 'ca dao', 'tục ngữ',
  'truyện cổ tích', 'truyền thuyết', 'văn học dân gian', 'nghệ thuật', 'âm nhạc', 'mỹ thuật', 'sân khấu', 'điện ảnh', 'kiến trúc', 'lễ hội',
  'phong tục', 'tín ngưỡng', 'tôn giáo', 'Phật giáo', 'di tích', 'di sản', 'bảo tàng', 'khảo cổ', 'triều Nguyễn', 'phong kiến',
  'thế kỷ XX', 'kỷ niệm', 'năm tháng', 'mùa xuân', 'biển đảo', 'Trường Sa', 'Hoàng Sa', 'biên giới', 'chủ quyền', 'quốc phòng',
  'an ninh', 'quân đội', 'môi trường', 'biến đổi khí hậu', 'tài nguyên', 'nước', 'rừng', 'đất đai', 'năng lượng', 'xây dựng',
  'giao thông', 'tin học', 'máy tính', 'toán học', 'vật lý', 'hóa học', 'sinh học', 'địa lý', 'trồng trọt', 'chăn nuôi',
  'cây lúa', 'nuôi tôm', 'phòng bệnh', 'chữa bệnh', 'dinh dưỡng', 'chăm sóc', 'tài chính', 'ngân hàng', 'kế toán', 'thương mại',
  // 161–360: regular.
  'xuất khẩu', 'thị trường', 'đầu tư', 'quản trị', 'kinh doanh', 'khởi nghiệp', 'lao động', 'việc làm', 'làng nghề', 'hợp tác xã',
  'luật', 'bộ luật', 'hiến pháp', 'văn bản', 'quy định', 'hành chính', 'hình sự', 'dân sự', 'hôn nhân', 'quyền con người',
  'bình đẳng giới', 'sách giáo khoa', 'bài tập', 'ôn thi', 'đề thi', 'luyện thi', 'tiểu học', 'trung học cơ sở', 'trung học phổ thông', 'đại học',
  'mầm non', 'giáo viên', 'phương pháp', 'dạy học', 'lớp 1', 'lớp 5', 'lớp 9', 'lớp 12', 'thơ ca', 'truyện thơ',
  'truyện dài', 'tản văn', 'tiểu luận', 'phê bình', 'văn xuôi', 'kịch', 'truyện tranh', 'ngụ ngôn', 'thần thoại', 'cổ tích',
  'Rạch Giá', 'Hà Tiên', 'Phú Quốc', 'Cần Thơ', 'An Giang', 'Cà Mau', 'Bạc Liêu', 'Sóc Trăng', 'Đồng Tháp', 'Long An',
  'Tiền Giang', 'Bến Tre', 'Vĩnh Long', 'Trà Vinh', 'Huế', 'Đà Nẵng', 'Quảng Nam', 'Nghệ An', 'Thanh Hóa', 'Tây Nguyên',
  'Tây Bắc', 'miền Trung', 'miền Bắc', 'Đông Nam Á', 'châu Á', 'châu Âu', 'Trung Quốc', 'Nhật Bản', 'Hàn Quốc', 'nước Pháp',
  'nước Mỹ', 'nước Nga', 'Campuchia', 'Lào', 'Thái Lan', 'sông Mê Kông', 'U Minh', 'người Khmer', 'đồng bào', 'dân tộc thiểu số',
  'người Hoa', 'người Chăm', 'hạnh phúc', 'ước mơ', 'bí mật', 'cuộc phiêu lưu', 'thám tử', 'khám phá', 'bí ẩn', 'thiên nhiên',
  'động vật', 'thực vật', 'loài chim', 'côn trùng', 'vũ trụ', 'trái đất', 'khủng long', 'em bé', 'cô bé', 'chú bé',
  'con mèo', 'chú chó', 'thỏ con', 'gấu', 'hoàng tử', 'công chúa', 'phù thủy', 'người lính', 'chiến sĩ', 'bộ đội',
  'liệt sĩ', 'mẹ Việt Nam anh hùng', 'Điện Biên Phủ', 'Mậu Thân 1968', 'mùa xuân 1975', 'thống nhất', 'độc lập', 'tự do', 'hòa bình', 'Bác Hồ',
  'tấm gương', 'đạo đức', 'phong cách', 'di chúc', 'Chủ tịch Hồ Chí Minh', 'chủ nghĩa Mác - Lênin', 'triết học', 'tâm lý học', 'xã hội học', 'ngôn ngữ học',
  'ngữ pháp', 'chính tả', 'từ vựng', 'giao tiếp', 'hội thoại', 'tiếng Trung', 'tiếng Pháp', 'tiếng Nhật', 'tiếng Hàn', 'tiếng Khmer',
  'kỹ năng sống', 'tự học', 'thành công', 'lãnh đạo bản thân', 'tư duy', 'sáng tạo', 'trí tuệ', 'bài giảng', 'chuyên đề', 'tham khảo',
  'cẩm nang', 'bách khoa', 'niên giám', 'thống kê', 'báo cáo', 'kỷ yếu', 'hội thảo', 'khoa học xã hội', 'nhân văn', 'khoa học tự nhiên',
  'y học cổ truyền', 'cây thuốc', 'thuốc nam', 'bệnh', 'ung thư', 'tiểu đường', 'huyết áp', 'tim mạch', 'sức khỏe sinh sản', 'người cao tuổi',
  'bà mẹ', 'trẻ sơ sinh', 'mang thai', 'nuôi dạy con', 'ẩm thực', 'món ăn', 'nấu ăn', 'bánh', 'nông sản', 'cây ăn quả',
  'rau màu', 'phân bón', 'sâu bệnh', 'bảo vệ thực vật', 'tôm sú', 'tôm càng xanh', 'cá tra', 'nuôi cá', 'thức ăn chăn nuôi', 'gia cầm',
  // 361–560: less common.
  'heo', 'bò', 'vịt', 'trồng nấm', 'thủy lợi', 'rừng tràm', 'rừng ngập mặn', 'đa dạng sinh học', 'điện', 'cơ khí',
  'đường bộ', 'đường sắt', 'ô tô', 'lập trình', 'mạng máy tính', 'cơ sở dữ liệu', 'trí tuệ nhân tạo', 'internet', 'chuyển đổi số', 'điện tử',
  'viễn thông', 'thiên văn', 'đô thị', 'quy hoạch', 'nhà ở', 'đình làng', 'chùa', 'nhà thờ', 'đền', 'miếu',
  'thơ Đường', 'Thái Bình Dương', 'dòng sông', 'đồng ruộng', 'cánh đồng', 'làng quê', 'phố cổ', 'con đường', 'mùa thu', 'mùa hè',
  'mùa đông', 'mùa mưa', 'mùa nước nổi', 'hoa', 'hội họa', 'điêu khắc', 'nhiếp ảnh', 'thời trang', 'thể thao', 'bóng đá',
  'cờ vua', 'võ thuật', 'thể dục', 'sức khỏe cộng đồng', 'y tế', 'bệnh viện', 'bác sĩ', 'điều dưỡng', 'dược liệu', 'thuốc',
  'vệ sinh', 'an toàn thực phẩm', 'nước sạch', 'rác thải', 'ô nhiễm', 'thiên tai', 'lũ lụt', 'hạn hán', 'xâm nhập mặn', 'sạt lở',
  'nông thôn mới', 'giảm nghèo', 'an sinh xã hội', 'bảo hiểm', 'thuế', 'kiểm toán', 'marketing', 'bán hàng', 'thương hiệu', 'chứng khoán',
  'bất động sản', 'logistics', 'hội nhập kinh tế', 'toàn cầu hóa', 'ngoại giao', 'quan hệ quốc tế', 'Liên Hợp Quốc', 'ASEAN', 'chiến lược', 'kế hoạch',
  'chương trình', 'dự án', 'mô hình', 'hiệu quả', 'chất lượng', 'tiêu chuẩn', 'đánh giá', 'kiểm tra', 'thực hành', 'thí nghiệm',
  'ứng dụng', 'cơ bản', 'nâng cao', 'toàn diện', 'hiện đại', 'truyền thống', 'đương đại', 'cổ điển', 'xưa và nay', 'hôm nay',
  'ngày mai', 'tương lai', 'thế hệ trẻ', 'tuổi trẻ', 'học tập', 'làm theo', 'gương sáng', 'người tốt việc tốt', 'thi đua', 'khen thưởng',
  'công đoàn', 'Đoàn Thanh niên', 'Hội Phụ nữ', 'Mặt trận Tổ quốc', 'chính quyền', 'cơ sở đảng', 'đảng viên', 'cán bộ', 'công chức', 'hội đồng nhân dân',
  'ủy ban nhân dân', 'bầu cử', 'Quốc hội', 'dân chủ', 'pháp quyền', 'tham nhũng', 'lãng phí', 'tiết kiệm', 'kinh tế tư nhân', 'kinh tế tập thể',
  'vùng biển', 'ngư dân', 'đánh bắt', 'tàu cá', 'hải sản', 'cảng biển', 'đảo ngọc', 'quần đảo', 'hải đảo', 'ven biển',
  'kênh rạch', 'sông nước', 'chợ nổi', 'miệt vườn', 'phù sa', 'lúa gạo', 'hạt gạo', 'xuất khẩu gạo', 'cây dừa', 'khoai lang',
  'mía', 'tơ lụa', 'đường mía', 'cà phê', 'hồ tiêu', 'cao su', 'điều', 'chè', 'ca cao', 'trái cây',
  'cá', 'cua', 'ốc', 'tôm', 'chim', 'voi', 'hổ', 'rắn', 'ong', 'mật ong',
  'trồng rau', 'nuôi ong', 'nuôi heo', 'nuôi gà', 'nuôi vịt', 'nuôi cua', 'nuôi lươn', 'nuôi ếch', 'nấm rơm', 'giống cây trồng',
  'vật nuôi', 'thú y', 'dịch bệnh', 'cúm gia cầm', 'vắc xin', 'miễn dịch', 'vi khuẩn', 'virus', 'ký sinh trùng', 'di truyền',
  // 561 onward: the tail of the curated list.
  'công nghệ sinh học', 'công nghệ thông tin', 'khoa học máy tính', 'kỹ thuật điện', 'điện lạnh', 'sửa chữa', 'lắp đặt', 'vận hành', 'bảo dưỡng', 'an toàn lao động',
  'nghề may', 'nghề mộc', 'nghề hàn', 'nghề cơ khí', 'dạy nghề', 'đào tạo', 'bồi dưỡng', 'tập huấn', 'khuyến nông', 'khuyến ngư',
  'vùng sâu vùng xa', 'biên phòng', 'công an nhân dân', 'cảnh sát', 'phòng cháy chữa cháy', 'ma túy', 'tội phạm', 'trật tự', 'an toàn giao thông', 'luật giao thông',
  'bạn bè', 'thầy cô', 'mái trường', 'ký ức', 'hoài niệm', 'nỗi nhớ', 'cha', 'mẹ', 'ông bà', 'anh em',
  'chị em', 'người thầy', 'người mẹ', 'người cha', 'tình bạn', 'tình thương', 'lòng biết ơn', 'sẻ chia', 'yêu thương', 'niềm tin',
  'trái tim', 'giấc mơ', 'ánh sáng', 'bóng tối', 'ngọn lửa', 'ngôi sao', 'mặt trời', 'mặt trăng', 'bầu trời', 'gió',
  'mưa', 'nắng', 'sương', 'núi', 'đồi', 'thung lũng', 'hang động', 'thác nước', 'biển cả', 'đại dương',
  'sống', 'sông', 'đường', 'năm', 'nấm', 'trị nám', 'đông', 'đồng', 'động', 'thư',
  'thu', 'thú', 'ca', 'cà', 'lúa', 'lụa', 'cơ', 'cờ', 'bác', 'bạc',
  'đá', 'da', 'đà', 'hòa', 'họa', 'bàn', 'bán', 'bạn', 'bản', 'dân',
  'dẫn', 'kinh', 'kính', 'tình', 'tính', 'tỉnh', 'tĩnh', 'sử', 'sự', 'sư',
  'sữa', 'mất', 'mật', 'cây', 'cay', 'quả', 'quá', 'me', 'mẹ hiền', 'dòng',
  'bản đồ', 'mua bán', 'nhân dân lao động', 'hướng dẫn sử dụng', 'giáo sư', 'sự kiện', 'kính trọng', 'mất mát', 'tính toán', 'tĩnh vật',
  'da giày', 'đá quý', 'Đà Lạt', 'Đà Nẵng xưa', 'cá cảnh', 'cà phê sáng', 'ca nhạc', 'cơ thể', 'bác sĩ gia đình', 'tiền bạc',
  'Dương Đông', 'đường phố', 'dòng đời', 'đồng tiền', 'Đông Dương', 'động lực', 'thư pháp', 'thú rừng', 'mùa thu vàng', 'ruộng lúa',
  'Thành phố Hồ Chí Minh', 'Thủ Dầu Một', 'Biên Hòa', 'Vũng Tàu', 'Nha Trang', 'Quy Nhơn', 'Hải Phòng', 'Hạ Long', 'Sa Pa', 'Cao Bằng',
  'Lạng Sơn', 'Hà Giang', 'Điện Biên', 'Lai Châu', 'Sơn La', 'Hòa Bình', 'Ninh Bình', 'Nam Định', 'Thái Bình', 'Hà Tĩnh',
  'Quảng Bình', 'Quảng Trị', 'Quảng Ngãi', 'Bình Định', 'Phú Yên', 'Khánh Hòa', 'Ninh Thuận', 'Bình Thuận', 'Kon Tum', 'Gia Lai',
  'Đắk Lắk', 'Lâm Đồng', 'Bình Phước', 'Tây Ninh', 'Bình Dương', 'Đồng Nai', 'Hậu Giang', 'Châu Đốc', 'Long Xuyên', 'Mỹ Tho',
  'Côn Đảo', 'Hòn Sơn', 'Nam Du', 'Hòn Đất', 'Kiên Lương', 'Giồng Riềng', 'Gò Quao', 'An Biên', 'An Minh', 'Vĩnh Thuận',
];

/** Short words that join the terms of a title (`Kinh tế và xã hội`, `Lịch sử của …`). */
export const TITLE_CONNECTORS: readonly string[] = ['và', 'của', 'trong', 'với', 'ở', 'cho', 'qua', 'từ', 'về', 'những'];

/** Words that open a subtitle (245 $b) before a few title terms. */
export const SUBTITLE_OPENERS: readonly string[] = [
  'những điều cần biết', 'sách tham khảo', 'tài liệu tham khảo', 'lý thuyết và bài tập', 'hỏi và đáp', 'truyện ngắn', 'tiểu thuyết', 'tập truyện',
  'tập thơ', 'hồi ký', 'sách dùng cho học sinh', 'tài liệu bồi dưỡng', 'kỷ yếu hội thảo khoa học', 'sách chuyên khảo', 'giáo trình dùng cho sinh viên',
  'tái bản có sửa chữa, bổ sung', 'song ngữ Việt - Anh', 'truyện tranh', 'dành cho thiếu nhi', 'từ truyền thống đến hiện đại',
];

/**
 * Real words that titles seldom use: the generator gives them the deepest ranks, so each is in a
 * handful of titles among a million (the "rare word" of a query mix).
 */
export const RARE_WORDS: readonly string[] = [
  'khóm', 'sầu riêng', 'măng cụt', 'chôm chôm', 'bồn bồn', 'cá kèo', 'ba khía', 'đuông dừa', 'bông điên điển', 'đờn ca tài tử',
  'vọng cổ', 'bài chòi', 'hát bội', 'dù kê', 'Ok Om Bok', 'Chôl Chnăm Thmây', 'Sen Đôn ta', 'ngọc trai', 'nước mắm', 'rượu sim',
  'mực một nắng', 'khô cá', 'cá bống tượng', 'lươn đồng', 'ếch đồng', 'ốc bươu', 'heo rừng', 'rái cá', 'cò trắng', 'sếu đầu đỏ',
  'vi sinh vật', 'enzym', 'polyme', 'quang hợp', 'lượng tử', 'đạo hàm', 'tích phân', 'xác suất', 'ma trận', 'hình học phẳng',
  'lượng giác', 'nhiệt động lực học', 'điện từ học', 'quang học', 'cơ học chất lưu', 'hóa hữu cơ', 'hóa vô cơ', 'địa chất', 'khoáng vật', 'thủy văn',
  'phù du', 'mê cung', 'hoàng hôn', 'bình minh', 'ngẩn ngơ', 'lãng đãng', 'chênh vênh', 'bâng khuâng', 'xao xuyến', 'man mác',
  'dập dìu', 'lấp lánh', 'thăm thẳm', 'mịt mù', 'chơi vơi', 'hiu quạnh', 'tịch liêu', 'phiêu bạt', 'lưu lạc', 'tha hương',
  'gốm Chu Đậu', 'tranh Đông Hồ', 'áo bà ba', 'khăn rằn', 'nón lá', 'xuồng ba lá', 'ghe bầu', 'cầu khỉ', 'nhà sàn', 'nhà cổ',
  'đình Thần', 'lăng Ông', 'miếu Bà Chúa Xứ', 'chùa Sóc', 'tháp Chàm', 'thành cổ', 'lũy tre', 'giếng làng', 'cây đa', 'bến nước',
  'sấm', 'chớp', 'bão', 'áp thấp', 'triều cường', 'phèn', 'nhiễm mặn', 'cống ngăn mặn', 'đê bao', 'kênh xáng',
  'tràm chim', 'dơi', 'chim yến', 'yến sào', 'sâm', 'linh chi', 'đông trùng hạ thảo', 'tam thất', 'nhân trần', 'diệp hạ châu',
  'châm cứu', 'bấm huyệt', 'xoa bóp', 'khí công', 'dưỡng sinh', 'thiền', 'yoga', 'thái cực quyền', 'vovinam', 'đấu vật',
  'cờ tướng', 'cờ vây', 'đá cầu', 'kéo co', 'ô ăn quan', 'thả diều', 'múa lân', 'đua ghe ngo', 'đua bò', 'chọi trâu',
  'hát then', 'quan họ', 'ca trù', 'chèo', 'cải lương', 'tuồng', 'nhã nhạc', 'hát xoan', 'đàn bầu', 'đàn tranh',
  'chữ Nôm', 'Hán Nôm', 'văn bia', 'gia phả', 'địa bạ', 'sắc phong', 'châu bản', 'mộc bản', 'thư tịch cổ', 'hương ước',
  'tem thư', 'tiền cổ', 'đồ gốm', 'đồ đồng', 'trống đồng', 'Óc Eo', 'Phù Nam', 'Chân Lạp', 'Mạc Cửu', 'Mạc Thiên Tích',
  'Nguyễn Trung Trực', 'Thoại Ngọc Hầu', 'Trương Định', 'Thủ Khoa Huân', 'Phan Thị Ràng', 'Võ Thị Sáu', 'Lê Thị Riêng', 'Nguyễn Thị Định', 'Sương Nguyệt Anh', 'Huỳnh Mẫn Đạt',
  'blockchain', 'điện toán đám mây', 'dữ liệu lớn', 'học máy', 'an ninh mạng', 'thương mại điện tử', 'ví điện tử', 'robot', 'máy bay không người lái', 'in 3D',
];

/** Syllables of Sino-Vietnamese place names (`Vĩnh Hòa`, `Tân Thạnh`): villages, communes, streets. */
export const PLACE_SYLLABLES: readonly string[] = [
  'Tân', 'Phú', 'Bình', 'Hòa', 'Thạnh', 'Vĩnh', 'An', 'Mỹ', 'Long', 'Hưng', 'Thuận', 'Lợi', 'Đông', 'Tây', 'Phước', 'Lộc',
  'Hiệp', 'Thành', 'Trung', 'Hải', 'Sơn', 'Minh', 'Quang', 'Định', 'Khánh', 'Điền', 'Thới', 'Lạc', 'Xuân', 'Thủy', 'Giang', 'Châu',
  'Phong', 'Yên', 'Ninh', 'Đức', 'Tiến', 'Thắng', 'Lâm', 'Hội', 'Hiếu', 'Nghĩa', 'Quới', 'Thọ', 'Khương', 'Trị', 'Hạnh', 'Kiên',
];

// ---------------------------------------------------------------------------------------------
// Words that differ only by tone marks or đ

/**
 * Groups of words that fold to the same letters (`sông`/`sống` → `song`): a search that ignores
 * marks finds them all, one that ranks by marks should put the exact one first. Every form is in
 * {@link TITLE_TERMS} (or, for family names, in the name lists), so each has hits.
 */
export const TONE_GROUPS: ReadonlyArray<{ folded: string; forms: readonly string[]; contexts: readonly string[] }> = [
  { folded: 'song', forms: ['sông', 'sống'], contexts: ['dòng sông', 'kỹ năng sống'] },
  { folded: 'duong', forms: ['đường', 'Đường', 'Dương'], contexts: ['đường sắt', 'thơ Đường', 'Thái Bình Dương'] },
  { folded: 'nam', forms: ['Nam', 'năm', 'nấm', 'nám'], contexts: ['Việt Nam', 'năm tháng', 'trồng nấm', 'trị nám'] },
  { folded: 'dong', forms: ['đông', 'đồng', 'động', 'dòng'], contexts: ['mùa đông', 'đồng ruộng', 'động vật', 'dòng sông'] },
  { folded: 'thu', forms: ['thu', 'thư', 'thú'], contexts: ['mùa thu', 'thư viện', 'thú rừng'] },
  { folded: 'ca', forms: ['ca', 'cá', 'cà'], contexts: ['ca dao', 'nuôi cá', 'cà phê'] },
  { folded: 'lua', forms: ['lúa', 'lụa'], contexts: ['cây lúa', 'tơ lụa'] },
  { folded: 'co', forms: ['cơ', 'cờ'], contexts: ['cơ khí', 'cờ vua'] },
  { folded: 'bac', forms: ['bác', 'bạc', 'Bắc'], contexts: ['bác sĩ', 'tiền bạc', 'miền Bắc'] },
  { folded: 'da', forms: ['đá', 'da', 'đà'], contexts: ['đá quý', 'da giày', 'Đà Lạt'] },
  { folded: 'hoa', forms: ['hoa', 'hòa', 'họa', 'hóa'], contexts: ['hoa', 'hòa bình', 'hội họa', 'văn hóa'] },
  { folded: 'ban', forms: ['bàn', 'bán', 'bạn', 'bản'], contexts: ['bàn', 'mua bán', 'bạn bè', 'bản đồ'] },
  { folded: 'dan', forms: ['dân', 'dẫn'], contexts: ['nhân dân', 'hướng dẫn'] },
  { folded: 'kinh', forms: ['kinh', 'kính'], contexts: ['kinh tế', 'kính trọng'] },
  { folded: 'tinh', forms: ['tình', 'tính', 'tỉnh', 'tĩnh'], contexts: ['tình yêu', 'tính toán', 'tỉnh', 'tĩnh vật'] },
  { folded: 'su', forms: ['sử', 'sự', 'sư'], contexts: ['lịch sử', 'sự kiện', 'giáo sư'] },
  { folded: 'mat', forms: ['mất', 'mật'], contexts: ['mất mát', 'mật ong'] },
  { folded: 'cay', forms: ['cây', 'cay'], contexts: ['cây lúa', 'cay'] },
  { folded: 'qua', forms: ['quả', 'quá', 'qua'], contexts: ['cây ăn quả', 'quá', 'qua'] },
];

// ---------------------------------------------------------------------------------------------
// People

/** Vietnamese family names with their rough share of the population (per cent). */
export const FAMILY_NAMES: ReadonlyArray<readonly [string, number]> = [
  ['Nguyễn', 38], ['Trần', 11], ['Lê', 9.5], ['Phạm', 7], ['Hoàng', 3], ['Huỳnh', 2.5], ['Phan', 4.5], ['Vũ', 2], ['Võ', 2.5],
  ['Đặng', 2.1], ['Bùi', 2], ['Đỗ', 1.4], ['Hồ', 1.3], ['Ngô', 1.3], ['Dương', 1], ['Lý', 0.5], ['Đinh', 0.8], ['Trương', 0.9],
  ['Lâm', 0.5], ['Mai', 0.4], ['Trịnh', 0.4], ['Đoàn', 0.4], ['Lương', 0.3], ['Tô', 0.2], ['Thái', 0.2], ['Châu', 0.2], ['Tạ', 0.2],
  ['Quách', 0.1], ['Thạch', 0.2], ['Danh', 0.2],
];

export const MIDDLE_NAMES_MALE: readonly string[] = ['Văn', 'Minh', 'Hữu', 'Đức', 'Quốc', 'Công', 'Đình', 'Thanh', 'Xuân', 'Ngọc', 'Hoàng', 'Trọng', 'Quang', 'Thế', 'Anh', 'Tấn', 'Chí', 'Duy'];
export const MIDDLE_NAMES_FEMALE: readonly string[] = ['Thị', 'Ngọc', 'Thu', 'Kim', 'Minh', 'Thanh', 'Hồng', 'Thúy', 'Mỹ', 'Bích', 'Phương', 'Diệu', 'Hoài', 'Thùy'];
export const GIVEN_NAMES_MALE: readonly string[] = [
  'An', 'Bình', 'Cường', 'Dũng', 'Duy', 'Đạt', 'Hải', 'Hùng', 'Huy', 'Khang', 'Khoa', 'Kiên', 'Long', 'Lộc', 'Minh', 'Nam',
  'Nghĩa', 'Phong', 'Phúc', 'Quang', 'Quân', 'Sơn', 'Tài', 'Thắng', 'Thành', 'Thịnh', 'Toàn', 'Trí', 'Trung', 'Tuấn', 'Tùng', 'Việt',
  'Vinh', 'Vũ', 'Hiếu', 'Hòa', 'Kỳ', 'Lâm', 'Nhân', 'Tâm',
];
export const GIVEN_NAMES_FEMALE: readonly string[] = [
  'Anh', 'Châu', 'Diệp', 'Dung', 'Giang', 'Hà', 'Hạnh', 'Hằng', 'Hiền', 'Hoa', 'Hồng', 'Hương', 'Huyền', 'Lan', 'Liên', 'Linh',
  'Loan', 'Mai', 'My', 'Nga', 'Ngân', 'Nhung', 'Oanh', 'Phương', 'Quyên', 'Tâm', 'Thảo', 'Thủy', 'Trang', 'Trinh', 'Uyên', 'Vân',
  'Vy', 'Xuân', 'Yến', 'Thúy', 'Ly', 'Mỹ',
];

/** Vietnamese writers whose works every library holds, with works of theirs. */
export const CLASSIC_WORKS: ReadonlyArray<{ title: string; author: string; subject: string; ddc: string }> = [
  { title: 'Truyện Kiều', author: 'Nguyễn Du', subject: 'Văn học Việt Nam -- Truyện thơ', ddc: '895.9221' },
  { title: 'Dế Mèn phiêu lưu ký', author: 'Tô Hoài', subject: 'Văn học thiếu nhi -- Việt Nam', ddc: '895.9223' },
  { title: 'Số đỏ', author: 'Vũ Trọng Phụng', subject: 'Văn học Việt Nam -- Tiểu thuyết', ddc: '895.9223' },
  { title: 'Tắt đèn', author: 'Ngô Tất Tố', subject: 'Văn học Việt Nam -- Tiểu thuyết', ddc: '895.9223' },
  { title: 'Chí Phèo', author: 'Nam Cao', subject: 'Văn học Việt Nam -- Truyện ngắn', ddc: '895.9223' },
  { title: 'Lão Hạc', author: 'Nam Cao', subject: 'Văn học Việt Nam -- Truyện ngắn', ddc: '895.9223' },
  { title: 'Vang bóng một thời', author: 'Nguyễn Tuân', subject: 'Văn học Việt Nam -- Tùy bút', ddc: '895.9228' },
  { title: 'Đất rừng phương Nam', author: 'Đoàn Giỏi', subject: 'Văn học thiếu nhi -- Việt Nam', ddc: '895.9223' },
  { title: 'Tôi thấy hoa vàng trên cỏ xanh', author: 'Nguyễn Nhật Ánh', subject: 'Văn học thiếu nhi -- Việt Nam', ddc: '895.9223' },
  { title: 'Mắt biếc', author: 'Nguyễn Nhật Ánh', subject: 'Văn học Việt Nam -- Truyện dài', ddc: '895.9223' },
  { title: 'Cho tôi xin một vé đi tuổi thơ', author: 'Nguyễn Nhật Ánh', subject: 'Văn học thiếu nhi -- Việt Nam', ddc: '895.9223' },
  { title: 'Kính vạn hoa', author: 'Nguyễn Nhật Ánh', subject: 'Văn học thiếu nhi -- Việt Nam', ddc: '895.9223' },
  { title: 'Cánh đồng bất tận', author: 'Nguyễn Ngọc Tư', subject: 'Văn học Việt Nam -- Truyện ngắn', ddc: '895.9223' },
  { title: 'Nỗi buồn chiến tranh', author: 'Bảo Ninh', subject: 'Văn học Việt Nam -- Tiểu thuyết', ddc: '895.9223' },
  { title: 'Nhật ký Đặng Thùy Trâm', author: 'Đặng Thùy Trâm', subject: 'Kháng chiến chống Mỹ -- Nhật ký', ddc: '959.7043' },
  { title: 'Nhật ký trong tù', author: 'Hồ Chí Minh', subject: 'Thơ chữ Hán -- Việt Nam', ddc: '895.9221' },
  { title: 'Những ngày thơ ấu', author: 'Nguyên Hồng', subject: 'Văn học Việt Nam -- Hồi ký', ddc: '895.9228' },
  { title: 'Bỉ vỏ', author: 'Nguyên Hồng', subject: 'Văn học Việt Nam -- Tiểu thuyết', ddc: '895.9223' },
  { title: 'Tuổi thơ dữ dội', author: 'Phùng Quán', subject: 'Văn học thiếu nhi -- Việt Nam', ddc: '895.9223' },
  { title: 'Gió lạnh đầu mùa', author: 'Thạch Lam', subject: 'Văn học Việt Nam -- Truyện ngắn', ddc: '895.9223' },
  { title: 'Vợ nhặt', author: 'Kim Lân', subject: 'Văn học Việt Nam -- Truyện ngắn', ddc: '895.9223' },
  { title: 'Rừng xà nu', author: 'Nguyễn Trung Thành', subject: 'Văn học Việt Nam -- Truyện ngắn', ddc: '895.9223' },
  { title: 'Thương nhớ mười hai', author: 'Vũ Bằng', subject: 'Văn học Việt Nam -- Tùy bút', ddc: '895.9228' },
  { title: 'Việt Nam sử lược', author: 'Trần Trọng Kim', subject: 'Lịch sử -- Việt Nam', ddc: '959.7' },
  { title: 'Lục Vân Tiên', author: 'Nguyễn Đình Chiểu', subject: 'Văn học Việt Nam -- Truyện thơ', ddc: '895.9221' },
  { title: 'Chinh phụ ngâm', author: 'Đặng Trần Côn', subject: 'Văn học Việt Nam -- Thơ', ddc: '895.9221' },
  { title: 'Quê mẹ', author: 'Thanh Tịnh', subject: 'Văn học Việt Nam -- Truyện ngắn', ddc: '895.9223' },
  { title: 'Thơ Xuân Diệu', author: 'Xuân Diệu', subject: 'Văn học Việt Nam -- Thơ', ddc: '895.9221' },
  { title: 'Từ ấy', author: 'Tố Hữu', subject: 'Văn học Việt Nam -- Thơ', ddc: '895.9221' },
  { title: 'Đường xưa mây trắng', author: 'Thích Nhất Hạnh', subject: 'Phật giáo -- Truyện', ddc: '294.3' },
  { title: 'Mùa lá rụng trong vườn', author: 'Ma Văn Kháng', subject: 'Văn học Việt Nam -- Tiểu thuyết', ddc: '895.9223' },
  { title: 'Bến không chồng', author: 'Dương Hướng', subject: 'Văn học Việt Nam -- Tiểu thuyết', ddc: '895.9223' },
  { title: 'Hòn Đất', author: 'Anh Đức', subject: 'Văn học Việt Nam -- Tiểu thuyết', ddc: '895.9223' },
  { title: 'Mảnh đất lắm người nhiều ma', author: 'Nguyễn Khắc Trường', subject: 'Văn học Việt Nam -- Tiểu thuyết', ddc: '895.9223' },
  { title: 'Cây khế', author: 'Nhiều tác giả', subject: 'Truyện cổ tích -- Việt Nam', ddc: '398.209597' },
];

/** Works in translation: Vietnamese title, the author as catalogued, the original language. */
export const TRANSLATED_WORKS: ReadonlyArray<{ title: string; author: string; original: string }> = [
  { title: 'Những người khốn khổ', author: 'Hugo, Victor', original: 'fre' },
  { title: 'Chiến tranh và hòa bình', author: 'Tolstoy, Lev', original: 'rus' },
  { title: 'Ông già và biển cả', author: 'Hemingway, Ernest', original: 'eng' },
  { title: 'Hoàng tử bé', author: 'Saint-Exupéry, Antoine de', original: 'fre' },
  { title: 'Nhà giả kim', author: 'Coelho, Paulo', original: 'por' },
  { title: 'Đắc nhân tâm', author: 'Carnegie, Dale', original: 'eng' },
  { title: 'Không gia đình', author: 'Malot, Hector', original: 'fre' },
  { title: 'Tây du ký', author: 'Ngô Thừa Ân', original: 'chi' },
  { title: 'Tam quốc diễn nghĩa', author: 'La Quán Trung', original: 'chi' },
  { title: 'Rừng Na Uy', author: 'Murakami, Haruki', original: 'jpn' },
  { title: 'Harry Potter và hòn đá phù thủy', author: 'Rowling, J. K.', original: 'eng' },
  { title: 'Những cuộc phiêu lưu của Tom Sawyer', author: 'Twain, Mark', original: 'eng' },
  { title: 'Thép đã tôi thế đấy', author: 'Ostrovsky, Nikolai', original: 'rus' },
  { title: 'Truyện cổ Andersen', author: 'Andersen, Hans Christian', original: 'dan' },
  { title: 'Truyện cổ Grimm', author: 'Grimm, Jacob', original: 'ger' },
  { title: 'Cuốn theo chiều gió', author: 'Mitchell, Margaret', original: 'eng' },
  { title: 'Totto-chan bên cửa sổ', author: 'Kuroyanagi, Tetsuko', original: 'jpn' },
  { title: 'Đồi gió hú', author: 'Brontë, Emily', original: 'eng' },
  { title: 'Tội ác và hình phạt', author: 'Dostoyevsky, Fyodor', original: 'rus' },
  { title: 'Những tấm lòng cao cả', author: 'Amicis, Edmondo de', original: 'ita' },
  { title: 'Ba người lính ngự lâm', author: 'Dumas, Alexandre', original: 'fre' },
  { title: 'Hai vạn dặm dưới đáy biển', author: 'Verne, Jules', original: 'fre' },
  { title: 'Sapiens: lược sử loài người', author: 'Harari, Yuval Noah', original: 'eng' },
  { title: 'Người mẹ', author: 'Gorky, Maxim', original: 'rus' },
  { title: 'AQ chính truyện', author: 'Lỗ Tấn', original: 'chi' },
  { title: 'Anh hùng xạ điêu', author: 'Kim Dung', original: 'chi' },
  { title: 'Quản trị marketing', author: 'Kotler, Philip', original: 'eng' },
  { title: 'Thiên nga đen', author: 'Taleb, Nassim Nicholas', original: 'eng' },
];

/** Foreign authors of books in their own language, inverted as catalogued (100 ind1 1). */
export const FOREIGN_AUTHORS: Readonly<Record<string, readonly string[]>> = {
  eng: ['Taylor, Keith Weller', 'Marr, David G.', 'Kiernan, Ben', 'Goscha, Christopher', 'Smith, John', 'Brown, Sarah', 'Johnson, Michael', 'Williams, Emma', 'Kotler, Philip', 'Drucker, Peter F.', 'Murphy, Raymond', 'Swan, Michael', 'Harari, Yuval Noah', 'Tanenbaum, Andrew S.', 'Knuth, Donald E.'],
  fre: ['Brocheux, Pierre', 'Hémery, Daniel', 'Papin, Philippe', 'Dubois, Marie', 'Martin, Jean', 'Bernard, Claire', 'Hugo, Victor', 'Camus, Albert', 'Duras, Marguerite'],
  rus: ['Толстой, Лев Николаевич', 'Чехов, Антон Павлович', 'Пушкин, Александр Сергеевич', 'Иванов, Иван Петрович', 'Петрова, Анна', 'Мхитарян, Ирина'],
  chi: ['王小波', '莫言', '余华', '鲁迅', '张爱玲', '刘慈欣'],
};

/** Organisations that are authors (110 2_): statistical offices, party committees, ministries. */
export const CORPORATE_AUTHORS: readonly string[] = [
  'Ban Chấp hành Đảng bộ tỉnh Kiên Giang', 'Ủy ban nhân dân tỉnh Kiên Giang', 'Cục Thống kê tỉnh Kiên Giang', 'Tổng cục Thống kê',
  'Sở Văn hóa và Thể thao tỉnh Kiên Giang', 'Bộ Giáo dục và Đào tạo', 'Bộ Nông nghiệp và Phát triển nông thôn', 'Bộ Y tế',
  'Hội Nông dân Việt Nam', 'Hội Liên hiệp Phụ nữ Việt Nam', 'Viện Ngôn ngữ học', 'Viện Sử học', 'Bộ Tư lệnh Quân khu 9',
  'Trường Đại học Cần Thơ', 'Thư viện Quốc gia Việt Nam', 'Ban Tuyên giáo Tỉnh ủy Kiên Giang',
];

/** Relator terms (X00 $e) of added authors in Vietnamese cataloguing. */
export const RELATOR_TERMS: readonly string[] = ['chủ biên', 'biên soạn', 'dịch', 'hiệu đính', 'minh họa', 'sưu tầm', 'tuyển chọn', 'giới thiệu'];

// ---------------------------------------------------------------------------------------------
// Subjects and classification

/**
 * Subject headings as Vietnamese libraries write them (Bộ từ khóa / Khung đề mục of the National
 * Library), parts joined with ` -- `, each with the DDC number books under it usually get.
 */
export const SUBJECT_HEADINGS: ReadonlyArray<{ heading: string; ddc: string }> = [
  { heading: 'Lịch sử -- Việt Nam', ddc: '959.7' },
  { heading: 'Văn học Việt Nam -- Truyện ngắn', ddc: '895.9223' },
  { heading: 'Văn học Việt Nam -- Tiểu thuyết', ddc: '895.9223' },
  { heading: 'Văn học Việt Nam -- Thơ', ddc: '895.9221' },
  { heading: 'Văn học thiếu nhi', ddc: '895.9223' },
  { heading: 'Nông nghiệp', ddc: '630' },
  { heading: 'Giáo dục -- Việt Nam', ddc: '370.9597' },
  { heading: 'Tư tưởng Hồ Chí Minh', ddc: '335.4346' },
  { heading: 'Pháp luật -- Việt Nam', ddc: '349.597' },
  { heading: 'Kinh tế -- Việt Nam', ddc: '330.9597' },
  { heading: 'Kháng chiến chống Mỹ -- Việt Nam', ddc: '959.7043' },
  { heading: 'Kháng chiến chống Pháp -- Việt Nam', ddc: '959.7041' },
  { heading: 'Địa chí -- Kiên Giang', ddc: '915.9795' },
  { heading: 'Lịch sử -- Kiên Giang', ddc: '959.795' },
  { heading: 'Đảng Cộng sản Việt Nam -- Lịch sử', ddc: '324.2597075' },
  { heading: 'Đảng bộ -- Kiên Giang -- Lịch sử', ddc: '324.2597075' },
  { heading: 'Nuôi trồng thủy sản', ddc: '639.8' },
  { heading: 'Nuôi tôm', ddc: '639.68' },
  { heading: 'Nuôi cá', ddc: '639.31' },
  { heading: 'Cây lúa -- Kỹ thuật trồng', ddc: '633.18' },
  { heading: 'Cây ăn quả', ddc: '634' },
  { heading: 'Rau -- Kỹ thuật trồng', ddc: '635' },
  { heading: 'Chăn nuôi', ddc: '636' },
  { heading: 'Gia cầm -- Chăn nuôi', ddc: '636.5' },
  { heading: 'Thú y', ddc: '636.089' },
  { heading: 'Bảo vệ thực vật', ddc: '632' },
  { heading: 'Phân bón', ddc: '631.8' },
  { heading: 'Y học cổ truyền', ddc: '610.9597' },
  { heading: 'Cây thuốc -- Việt Nam', ddc: '615.32' },
  { heading: 'Sức khỏe -- Chăm sóc', ddc: '613' },
  { heading: 'Dinh dưỡng', ddc: '613.2' },
  { heading: 'Bệnh tim mạch', ddc: '616.1' },
  { heading: 'Bệnh tiểu đường', ddc: '616.462' },
  { heading: 'Sức khỏe sinh sản', ddc: '613.9' },
  { heading: 'Nuôi dạy con', ddc: '649.1' },
  { heading: 'Nấu ăn -- Việt Nam', ddc: '641.59597' },
  { heading: 'Du lịch -- Việt Nam', ddc: '915.97' },
  { heading: 'Du lịch -- Phú Quốc', ddc: '915.9795' },
  { heading: 'Văn hóa -- Việt Nam', ddc: '306.09597' },
  { heading: 'Văn hóa dân gian -- Nam Bộ', ddc: '398.09597' },
  { heading: 'Phong tục tập quán -- Việt Nam', ddc: '390.09597' },
  { heading: 'Lễ hội -- Việt Nam', ddc: '394.269597' },
  { heading: 'Lễ hội -- Nam Bộ', ddc: '394.269597' },
  { heading: 'Tín ngưỡng dân gian -- Việt Nam', ddc: '398.41' },
  { heading: 'Phật giáo', ddc: '294.3' },
  { heading: 'Công giáo', ddc: '282' },
  { heading: 'Di tích lịch sử -- Việt Nam', ddc: '959.7' },
  { heading: 'Di tích lịch sử -- Kiên Giang', ddc: '959.795' },
  { heading: 'Khảo cổ học -- Việt Nam', ddc: '930.1' },
  { heading: 'Văn hóa Óc Eo', ddc: '959.701' },
  { heading: 'Người Khmer -- Văn hóa', ddc: '305.895932' },
  { heading: 'Dân tộc thiểu số -- Việt Nam', ddc: '305.8009597' },
  { heading: 'Ca dao -- Việt Nam', ddc: '398.809597' },
  { heading: 'Tục ngữ -- Việt Nam', ddc: '398.909597' },
  { heading: 'Truyện cổ tích -- Việt Nam', ddc: '398.209597' },
  { heading: 'Truyện tranh', ddc: '741.5' },
  { heading: 'Văn học nước ngoài', ddc: '808.8' },
  { heading: 'Văn học Pháp -- Tiểu thuyết', ddc: '843' },
  { heading: 'Văn học Nga -- Tiểu thuyết', ddc: '891.73' },
  { heading: 'Văn học Anh -- Tiểu thuyết', ddc: '823' },
  { heading: 'Văn học Mỹ -- Tiểu thuyết', ddc: '813' },
  { heading: 'Văn học Trung Quốc', ddc: '895.1' },
  { heading: 'Văn học Nhật Bản', ddc: '895.6' },
  { heading: 'Nghiên cứu văn học -- Việt Nam', ddc: '895.92209' },
  { heading: 'Tiếng Việt -- Ngữ pháp', ddc: '495.9225' },
  { heading: 'Tiếng Việt -- Chính tả', ddc: '495.92281' },
  { heading: 'Tiếng Anh -- Giáo trình', ddc: '428' },
  { heading: 'Tiếng Anh -- Từ điển', ddc: '423.95922' },
  { heading: 'Tiếng Anh -- Ngữ pháp', ddc: '428.2' },
  { heading: 'Tiếng Trung Quốc -- Giáo trình', ddc: '495.18' },
  { heading: 'Tiếng Khmer', ddc: '495.932' },
  { heading: 'Toán học -- Sách giáo khoa', ddc: '510.712' },
  { heading: 'Toán học -- Bài tập', ddc: '510.76' },
  { heading: 'Vật lý -- Sách giáo khoa', ddc: '530.712' },
  { heading: 'Hóa học -- Bài tập', ddc: '540.76' },
  { heading: 'Sinh học -- Sách giáo khoa', ddc: '570.712' },
  { heading: 'Địa lý -- Việt Nam', ddc: '915.97' },
  { heading: 'Tin học -- Giáo trình', ddc: '004' },
  { heading: 'Lập trình máy tính', ddc: '005.1' },
  { heading: 'Cơ sở dữ liệu', ddc: '005.74' },
  { heading: 'Mạng máy tính', ddc: '004.6' },
  { heading: 'Trí tuệ nhân tạo', ddc: '006.3' },
  { heading: 'Chuyển đổi số', ddc: '303.4833' },
  { heading: 'Thư viện -- Nghiệp vụ', ddc: '025' },
  { heading: 'Thư viện công cộng -- Việt Nam', ddc: '027.4597' },
  { heading: 'Báo chí -- Việt Nam', ddc: '079.597' },
  { heading: 'Quản lý nhà nước', ddc: '351.597' },
  { heading: 'Hành chính -- Việt Nam', ddc: '351.597' },
  { heading: 'Chính trị -- Việt Nam', ddc: '320.9597' },
  { heading: 'Chủ nghĩa Mác - Lênin', ddc: '335.4' },
  { heading: 'Triết học', ddc: '100' },
  { heading: 'Tâm lý học', ddc: '150' },
  { heading: 'Đạo đức', ddc: '170' },
  { heading: 'Kỹ năng sống', ddc: '158.1' },
  { heading: 'Xã hội học', ddc: '301' },
  { heading: 'Gia đình -- Việt Nam', ddc: '306.8509597' },
  { heading: 'Phụ nữ -- Việt Nam', ddc: '305.409597' },
  { heading: 'Thanh niên -- Giáo dục', ddc: '305.235' },
  { heading: 'Trẻ em -- Chăm sóc', ddc: '362.7' },
  { heading: 'Người cao tuổi', ddc: '305.26' },
  { heading: 'Lao động -- Việc làm', ddc: '331.1' },
  { heading: 'Kinh tế nông nghiệp', ddc: '338.1' },
  { heading: 'Nông thôn mới', ddc: '307.1412' },
  { heading: 'Giảm nghèo', ddc: '362.5' },
  { heading: 'Tài chính -- Ngân hàng', ddc: '332.1' },
  { heading: 'Kế toán', ddc: '657' },
  { heading: 'Quản trị kinh doanh', ddc: '658' },
  { heading: 'Marketing', ddc: '658.8' },
  { heading: 'Khởi nghiệp', ddc: '658.11' },
  { heading: 'Thương mại -- Xuất khẩu', ddc: '382' },
  { heading: 'Thuế -- Việt Nam', ddc: '336.2' },
  { heading: 'Bảo hiểm xã hội', ddc: '368.4' },
  { heading: 'Môi trường -- Bảo vệ', ddc: '363.7' },
  { heading: 'Biến đổi khí hậu', ddc: '551.6' },
  { heading: 'Biến đổi khí hậu -- Đồng bằng sông Cửu Long', ddc: '551.6' },
  { heading: 'Tài nguyên nước', ddc: '333.91' },
  { heading: 'Rừng ngập mặn', ddc: '333.75' },
  { heading: 'Đa dạng sinh học', ddc: '333.95' },
  { heading: 'Biển đảo -- Việt Nam', ddc: '320.1509597' },
  { heading: 'Chủ quyền lãnh thổ -- Biển Đông', ddc: '341.448' },
  { heading: 'Quốc phòng -- An ninh', ddc: '355' },
  { heading: 'Quân đội nhân dân Việt Nam', ddc: '355.009597' },
  { heading: 'Công an nhân dân', ddc: '363.2' },
  { heading: 'An toàn giao thông', ddc: '363.125' },
  { heading: 'Phòng cháy chữa cháy', ddc: '628.922' },
  { heading: 'Ma túy -- Phòng chống', ddc: '362.29' },
  { heading: 'Xây dựng', ddc: '690' },
  { heading: 'Kiến trúc -- Việt Nam', ddc: '720.9597' },
  { heading: 'Điện -- Kỹ thuật', ddc: '621.3' },
  { heading: 'Cơ khí', ddc: '621' },
  { heading: 'Ô tô -- Sửa chữa', ddc: '629.287' },
  { heading: 'Năng lượng tái tạo', ddc: '333.794' },
  { heading: 'Âm nhạc -- Việt Nam', ddc: '780.9597' },
  { heading: 'Đờn ca tài tử -- Nam Bộ', ddc: '781.6209597' },
  { heading: 'Cải lương', ddc: '792.5' },
  { heading: 'Mỹ thuật -- Việt Nam', ddc: '709.597' },
  { heading: 'Nhiếp ảnh', ddc: '770' },
  { heading: 'Thể thao', ddc: '796' },
  { heading: 'Bóng đá', ddc: '796.334' },
  { heading: 'Cờ vua', ddc: '794.1' },
  { heading: 'Danh nhân -- Việt Nam', ddc: '920.0597' },
  { heading: 'Hồ Chí Minh -- Tiểu sử', ddc: '959.704092' },
  { heading: 'Anh hùng lực lượng vũ trang -- Việt Nam', ddc: '959.7043092' },
  { heading: 'Nhà Nguyễn -- Lịch sử', ddc: '959.7029' },
  { heading: 'Lịch sử thế giới', ddc: '909' },
  { heading: 'Đông Nam Á -- Lịch sử', ddc: '959' },
  { heading: 'Quan hệ quốc tế -- Việt Nam', ddc: '327.597' },
  { heading: 'Từ điển bách khoa', ddc: '030' },
  { heading: 'Niên giám thống kê -- Kiên Giang', ddc: '315.9795' },
];

/** Names that are geographic (a subject's main term then goes in 651, a subdivision in $z). */
export const GEOGRAPHIC_NAMES: readonly string[] = [
  'Việt Nam', 'Kiên Giang', 'Nam Bộ', 'Phú Quốc', 'Đồng bằng sông Cửu Long', 'Biển Đông', 'Đông Nam Á', 'Hà Tiên', 'Rạch Giá',
];

/** Subdivisions that say what a book is rather than what it is about (650 $v). */
export const FORM_SUBDIVISIONS: readonly string[] = ['Truyện ngắn', 'Tiểu thuyết', 'Thơ', 'Truyện thơ', 'Tùy bút', 'Hồi ký', 'Nhật ký', 'Truyện', 'Truyện dài', 'Giáo trình', 'Từ điển', 'Sách giáo khoa', 'Bài tập', 'Tiểu sử'];

/**
 * The hundred divisions of the Dewey Decimal Classification (23rd edition, as the Vietnamese
 * translation names them), for records whose subject gives no sharper number.
 */
export const DDC_DIVISIONS: ReadonlyArray<readonly [string, string]> = [
  ['000', 'Tin học, thông tin và tác phẩm tổng quát'], ['010', 'Thư mục'], ['020', 'Thư viện học và thông tin học'], ['030', 'Bách khoa thư'],
  ['050', 'Tạp chí'], ['060', 'Hiệp hội, tổ chức và bảo tàng học'], ['070', 'Báo chí, xuất bản'], ['080', 'Tuyển tập tổng quát'],
  ['090', 'Bản thảo và sách hiếm'], ['100', 'Triết học'], ['110', 'Siêu hình học'], ['120', 'Nhận thức luận'], ['130', 'Hiện tượng huyền bí'],
  ['140', 'Trường phái triết học'], ['150', 'Tâm lý học'], ['160', 'Lôgic học'], ['170', 'Đạo đức học'], ['180', 'Triết học cổ đại, trung cổ, phương Đông'],
  ['190', 'Triết học phương Tây hiện đại'], ['200', 'Tôn giáo'], ['220', 'Kinh Thánh'], ['230', 'Kitô giáo'], ['290', 'Các tôn giáo khác'],
  ['300', 'Khoa học xã hội'], ['310', 'Thống kê'], ['320', 'Khoa học chính trị'], ['330', 'Kinh tế học'], ['340', 'Luật học'],
  ['350', 'Hành chính công và quân sự'], ['360', 'Các vấn đề và dịch vụ xã hội'], ['370', 'Giáo dục'], ['380', 'Thương mại, thông tin liên lạc, giao thông'],
  ['390', 'Phong tục, nghi lễ, văn hóa dân gian'], ['400', 'Ngôn ngữ'], ['410', 'Ngôn ngữ học'], ['420', 'Tiếng Anh'], ['430', 'Tiếng Đức'],
  ['440', 'Tiếng Pháp'], ['470', 'Tiếng Latinh'], ['490', 'Các ngôn ngữ khác'], ['500', 'Khoa học tự nhiên'], ['510', 'Toán học'],
  ['520', 'Thiên văn học'], ['530', 'Vật lý học'], ['540', 'Hóa học'], ['550', 'Khoa học trái đất'], ['560', 'Cổ sinh vật học'],
  ['570', 'Sinh học'], ['580', 'Thực vật'], ['590', 'Động vật'], ['600', 'Công nghệ'], ['610', 'Y học và sức khỏe'],
  ['620', 'Kỹ thuật'], ['630', 'Nông nghiệp'], ['640', 'Quản lý nhà cửa và gia đình'], ['650', 'Quản lý và dịch vụ phụ trợ'], ['660', 'Kỹ thuật hóa học'],
  ['670', 'Sản xuất'], ['680', 'Sản xuất sản phẩm cho mục đích riêng'], ['690', 'Xây dựng'], ['700', 'Nghệ thuật'], ['710', 'Quy hoạch và kiến trúc cảnh quan'],
  ['720', 'Kiến trúc'], ['730', 'Điêu khắc'], ['740', 'Đồ họa và nghệ thuật trang trí'], ['750', 'Hội họa'], ['760', 'In ấn và bản in'],
  ['770', 'Nhiếp ảnh'], ['780', 'Âm nhạc'], ['790', 'Nghệ thuật giải trí và biểu diễn, thể thao'], ['800', 'Văn học'], ['810', 'Văn học Mỹ'],
  ['820', 'Văn học Anh'], ['830', 'Văn học Đức'], ['840', 'Văn học Pháp'], ['850', 'Văn học Italia'], ['860', 'Văn học Tây Ban Nha'],
  ['890', 'Văn học các ngôn ngữ khác'], ['900', 'Lịch sử và địa lý'], ['910', 'Địa lý và du lịch'], ['920', 'Tiểu sử, gia phả'], ['930', 'Lịch sử thế giới cổ đại'],
  ['940', 'Lịch sử châu Âu'], ['950', 'Lịch sử châu Á'], ['960', 'Lịch sử châu Phi'], ['970', 'Lịch sử Bắc Mỹ'], ['980', 'Lịch sử Nam Mỹ'],
];

/**
 * Numbers of the Soviet BBK as Vietnamese libraries adapted it (19 main classes), which older
 * records still carry in 084 with `$2 bbk`.
 */
export const BBK_CLASSES: ReadonlyArray<readonly [string, string]> = [
  ['9(V)', 'Lịch sử Việt Nam'], ['V23', 'Văn học Việt Nam'], ['63.3(1)', 'Lịch sử thế giới'], ['4(V)', 'Nông nghiệp Việt Nam'],
  ['3K5H', 'Chủ nghĩa Mác - Lênin'], ['22.31', 'Vật lý lý thuyết'], ['8(V)', 'Văn học Việt Nam hiện đại'], ['V26', 'Văn học thiếu nhi'],
];

// ---------------------------------------------------------------------------------------------
// Publication

/**
 * Vietnamese publishers as 260/264 $b names them, with their city; `weight` is a rough share of
 * what public libraries hold; `years` bounds the names that changed (`Nxb. Giáo dục` became
 * `Nxb. Giáo dục Việt Nam` in 2010).
 */
export const PUBLISHERS: ReadonlyArray<{ name: string; place: string; weight: number; years?: readonly [number, number] }> = [
  { name: 'Kim Đồng', place: 'Hà Nội', weight: 9 },
  { name: 'Giáo dục Việt Nam', place: 'Hà Nội', weight: 9, years: [2010, 2100] },
  { name: 'Giáo dục', place: 'Hà Nội', weight: 6, years: [1950, 2009] },
  { name: 'Trẻ', place: 'Thành phố Hồ Chí Minh', weight: 8 },
  { name: 'Văn học', place: 'Hà Nội', weight: 6 },
  { name: 'Chính trị quốc gia Sự thật', place: 'Hà Nội', weight: 6, years: [2010, 2100] },
  { name: 'Chính trị quốc gia', place: 'Hà Nội', weight: 3, years: [1990, 2009] },
  { name: 'Sự thật', place: 'Hà Nội', weight: 2, years: [1950, 1994] },
  { name: 'Tổng hợp Thành phố Hồ Chí Minh', place: 'Thành phố Hồ Chí Minh', weight: 4 },
  { name: 'Hội Nhà văn', place: 'Hà Nội', weight: 4 },
  { name: 'Phụ nữ Việt Nam', place: 'Hà Nội', weight: 2 },
  { name: 'Thanh niên', place: 'Hà Nội', weight: 3 },
  { name: 'Lao động', place: 'Hà Nội', weight: 2 },
  { name: 'Khoa học xã hội', place: 'Hà Nội', weight: 3 },
  { name: 'Khoa học và Kỹ thuật', place: 'Hà Nội', weight: 2 },
  { name: 'Nông nghiệp', place: 'Hà Nội', weight: 3 },
  { name: 'Tư pháp', place: 'Hà Nội', weight: 2 },
  { name: 'Quân đội nhân dân', place: 'Hà Nội', weight: 3 },
  { name: 'Công an nhân dân', place: 'Hà Nội', weight: 1 },
  { name: 'Đại học Quốc gia Hà Nội', place: 'Hà Nội', weight: 2 },
  { name: 'Đại học Quốc gia Thành phố Hồ Chí Minh', place: 'Thành phố Hồ Chí Minh', weight: 2 },
  { name: 'Đại học Cần Thơ', place: 'Cần Thơ', weight: 1 },
  { name: 'Đại học Huế', place: 'Huế', weight: 1 },
  { name: 'Đại học Sư phạm', place: 'Hà Nội', weight: 1 },
  { name: 'Y học', place: 'Hà Nội', weight: 2 },
  { name: 'Thế giới', place: 'Hà Nội', weight: 2 },
  { name: 'Hồng Đức', place: 'Hà Nội', weight: 3 },
  { name: 'Dân trí', place: 'Hà Nội', weight: 2 },
  { name: 'Văn hóa dân tộc', place: 'Hà Nội', weight: 2 },
  { name: 'Văn hóa - Văn nghệ', place: 'Thành phố Hồ Chí Minh', weight: 1 },
  { name: 'Mỹ thuật', place: 'Hà Nội', weight: 1 },
  { name: 'Âm nhạc', place: 'Hà Nội', weight: 1 },
  { name: 'Thông tin và Truyền thông', place: 'Hà Nội', weight: 1 },
  { name: 'Xây dựng', place: 'Hà Nội', weight: 1 },
  { name: 'Giao thông vận tải', place: 'Hà Nội', weight: 1 },
  { name: 'Tài chính', place: 'Hà Nội', weight: 1 },
  { name: 'Thống kê', place: 'Hà Nội', weight: 1 },
  { name: 'Bách khoa Hà Nội', place: 'Hà Nội', weight: 1 },
  { name: 'Đà Nẵng', place: 'Đà Nẵng', weight: 1 },
  { name: 'Thuận Hóa', place: 'Huế', weight: 1 },
  { name: 'Nghệ An', place: 'Vinh', weight: 1 },
  { name: 'Hải Phòng', place: 'Hải Phòng', weight: 1 },
  { name: 'Đồng Nai', place: 'Biên Hòa', weight: 1 },
  { name: 'Văn hóa Sài Gòn', place: 'Thành phố Hồ Chí Minh', weight: 1, years: [2005, 2013] },
  { name: 'Sân khấu', place: 'Hà Nội', weight: 1 },
  { name: 'Thể dục Thể thao', place: 'Hà Nội', weight: 1 },
  { name: 'Lý luận chính trị', place: 'Hà Nội', weight: 1 },
  { name: 'Hà Nội', place: 'Hà Nội', weight: 1 },
  { name: 'Tri thức', place: 'Hà Nội', weight: 1 },
  { name: 'Mũi Cà Mau', place: 'Cà Mau', weight: 1 },
];

/** How the publisher's name is introduced in 260/264 $b, with rough shares. */
export const PUBLISHER_FORMS: ReadonlyArray<readonly [string, number]> = [['Nxb. ', 85], ['NXB ', 10], ['Nhà xuất bản ', 5]];

/** How cataloguers abbreviate some places in 260/264 $a (`H.` for Hà Nội), with a rough share. */
export const PLACE_ABBREVIATIONS: Readonly<Record<string, string>> = { 'Hà Nội': 'H.', 'Thành phố Hồ Chí Minh': 'Tp. Hồ Chí Minh' };

/** Foreign publishers by the language of their books. */
export const FOREIGN_PUBLISHERS: Readonly<Record<string, ReadonlyArray<readonly [string, string]>>> = {
  eng: [['Cambridge', 'Cambridge University Press'], ['Oxford', 'Oxford University Press'], ['London', 'Routledge'], ['New York', 'Penguin Books'], ['Hoboken, NJ', 'Wiley'], ['Singapore', 'ISEAS Publishing'], ['Boston', 'Pearson']],
  fre: [['Paris', 'Gallimard'], ['Paris', 'Fayard'], ['Paris', "L'Harmattan"], ['Paris', 'Hachette']],
  rus: [['Москва', 'Наука'], ['Москва', 'Прогресс'], ['Санкт-Петербург', 'Азбука']],
  chi: [['北京', '人民文学出版社'], ['北京', '商务印书馆'], ['上海', '上海译文出版社']],
};

/** Titles of books in foreign languages, by language; the generator combines their parts. */
export const FOREIGN_TITLE_WORDS: Readonly<Record<string, readonly string[]>> = {
  eng: [
    'history', 'Vietnam', 'the Mekong Delta', 'introduction', 'economics', 'development', 'war', 'culture', 'society', 'a guide',
    'English grammar', 'practice tests', 'IELTS', 'vocabulary', 'management', 'marketing', 'computer science', 'data', 'climate change',
    'agriculture', 'rice', 'aquaculture', 'Southeast Asia', 'modern', 'the people', 'stories', 'poems', 'children', 'the sea', 'the island',
    'library science', 'information', 'public health', 'medicine', 'nursing', 'mathematics', 'physics', 'chemistry', 'biology', 'programming',
  ],
  fre: [
    'histoire', 'Viêt Nam', 'Indochine', 'littérature', 'culture', 'la guerre', 'le Mékong', 'civilisation', 'introduction', 'langue française',
    'grammaire', 'société', 'économie', 'colonisation', 'mémoires', 'roman', 'poésie', 'contes', 'le delta', 'Saigon',
  ],
  rus: ['история', 'Вьетнам', 'литература', 'экономика', 'война', 'культура', 'язык', 'русский язык', 'учебник', 'введение', 'рассказы', 'стихи', 'общество', 'наука'],
  chi: ['越南历史', '中国文学史', '汉语教程', '中越关系', '唐诗选', '现代汉语词典', '经济发展', '红楼梦', '西游记', '三国演义', '东南亚研究', '中国文化'],
};

/** Series (490 $a) and how many volumes they run to. */
export const SERIES: ReadonlyArray<readonly [string, number]> = [
  ['Tủ sách Tuổi thơ', 120], ['Tủ sách Pháp luật', 60], ['Tủ sách Khoa học - Kỹ thuật phục vụ nông thôn', 80], ['Văn học nhà trường', 40],
  ['Danh tác thế giới', 50], ['Tác phẩm văn học chọn lọc', 30], ['Kỹ năng sống cho học sinh', 24], ['Tủ sách Biển đảo Việt Nam', 20],
  ['Lịch sử Việt Nam bằng tranh', 54], ['Tủ sách Xã, phường, thị trấn', 100], ['Nông thôn mới', 36], ['Tri thức bách khoa', 30],
  ['Tủ sách Danh nhân', 40], ['Tủ sách Chính trị', 60], ['Tủ sách Đồng bằng sông Cửu Long', 25], ['Văn học dân gian Nam Bộ', 12],
  ['Bộ sách Địa chí Kiên Giang', 8], ['Tủ sách Y học phổ thông', 40], ['Khoa học vui', 20], ['Truyện tranh cổ tích Việt Nam', 60],
  ['Những tác phẩm đoạt giải', 15], ['Tủ sách Người tốt việc tốt', 30], ['Giáo trình đại học', 80], ['Học tốt', 48],
  ['Tủ sách Phổ biến kiến thức', 50], ['Sách hướng dẫn nghề', 36],
];

/** Opening and joining words of 520 summaries; the generator fills in title terms. */
export const SUMMARY_TEMPLATES: readonly string[] = [
  'Giới thiệu {a}, {b} và {c} ở {place}.',
  'Trình bày những vấn đề cơ bản về {a} và {b}; phân tích {c} trong giai đoạn hiện nay.',
  'Tập hợp các bài viết về {a}, {b} của nhiều tác giả.',
  'Cuốn sách kể về {a} và {b} của {place}.',
  'Hướng dẫn {a}: {b}, {c}.',
  'Gồm những câu chuyện về {a}, {b} và {c}.',
  'Nghiên cứu {a} ở {place} từ năm {year} đến nay; đề xuất giải pháp về {b}.',
  'Tài liệu cung cấp kiến thức về {a}, {b} cho cán bộ và nhân dân.',
];

/** Places a summary mentions. */
export const SUMMARY_PLACES: readonly string[] = ['Kiên Giang', 'Việt Nam', 'Nam Bộ', 'đồng bằng sông Cửu Long', 'Phú Quốc', 'Hà Tiên', 'Rạch Giá', 'các tỉnh phía Nam', 'nông thôn', 'miền Tây'];

// ---------------------------------------------------------------------------------------------
// Languages, materials, copies

/** Language codes (MARC, as 008/35-37 and 041 hold them: French is `fre`) with rough shares. */
export const LANGUAGES: ReadonlyArray<readonly [string, number]> = [['vie', 90], ['eng', 5], ['fre', 2], ['chi', 1.5], ['rus', 1.5]];

/**
 * Material types as `deriveFields` derives them (see `src/domain/catalog/derive.ts`), with a
 * rough share of a public library catalogue.
 */
export const MATERIAL_TYPES: ReadonlyArray<readonly [MaterialCode, number]> = [
  ['book', 88.5], ['e-book', 3], ['serial', 2], ['thesis', 1.5], ['video', 1], ['sound-recording', 1], ['map', 0.8], ['computer-file', 0.6],
  ['score', 0.4], ['manuscript', 0.3], ['kit', 0.2], ['image', 0.2], ['mixed-materials', 0.1],
];
export type MaterialCode =
  | 'book'
  | 'e-book'
  | 'serial'
  | 'thesis'
  | 'video'
  | 'sound-recording'
  | 'map'
  | 'computer-file'
  | 'score'
  | 'manuscript'
  | 'kit'
  | 'image'
  | 'mixed-materials';

/** Where copies stand inside a library. */
export const SHELVING_LOCATIONS: Readonly<Record<'general' | 'children' | 'reference' | 'local' | 'periodical' | 'foreign' | 'media', readonly string[]>> = {
  general: ['Kho mượn', 'Kho mượn', 'Kho mượn', 'Phòng đọc tổng hợp', 'Phòng đọc tổng hợp', 'Kho lưu trữ'],
  children: ['Phòng thiếu nhi', 'Tủ sách thiếu nhi'],
  reference: ['Kho tra cứu', 'Phòng đọc tổng hợp'],
  local: ['Kho địa chí'],
  periodical: ['Kho báo, tạp chí'],
  foreign: ['Kho ngoại văn'],
  media: ['Phòng đa phương tiện'],
};

// ---------------------------------------------------------------------------------------------
// The network

/**
 * The districts of the generated network (those of Kiên Giang), with their unit codes (as in the
 * demo network) and how many commune libraries each has relative to the others.
 */
export const DISTRICTS: ReadonlyArray<{ code: string; name: string; kind: 'thành phố' | 'huyện'; weight: number }> = [
  { code: 'RG', name: 'Rạch Giá', kind: 'thành phố', weight: 12 },
  { code: 'HT', name: 'Hà Tiên', kind: 'thành phố', weight: 7 },
  { code: 'PQ', name: 'Phú Quốc', kind: 'thành phố', weight: 9 },
  { code: 'KL', name: 'Kiên Lương', kind: 'huyện', weight: 8 },
  { code: 'HD', name: 'Hòn Đất', kind: 'huyện', weight: 14 },
  { code: 'TH', name: 'Tân Hiệp', kind: 'huyện', weight: 11 },
  { code: 'CT', name: 'Châu Thành', kind: 'huyện', weight: 10 },
  { code: 'GR', name: 'Giồng Riềng', kind: 'huyện', weight: 19 },
  { code: 'GQ', name: 'Gò Quao', kind: 'huyện', weight: 11 },
  { code: 'AB', name: 'An Biên', kind: 'huyện', weight: 9 },
  { code: 'AM', name: 'An Minh', kind: 'huyện', weight: 11 },
  { code: 'VT', name: 'Vĩnh Thuận', kind: 'huyện', weight: 8 },
  { code: 'UMT', name: 'U Minh Thượng', kind: 'huyện', weight: 6 },
];

/** Rooms of the provincial library that hold copies of their own (code suffix, name). */
export const PROVINCIAL_ROOMS: ReadonlyArray<readonly [string, string]> = [
  ['TN', 'Phòng đọc thiếu nhi'], ['DC', 'Phòng địa chí'], ['DD', 'Phòng đọc tổng hợp'], ['NV', 'Phòng ngoại văn'], ['LD', 'Thư viện lưu động'],
];
