/**
 * Messages: The installable web app (manifest, offline page, service worker messages) and shared accessibility labels (`a11y.*`) — in Vietnamese and English; merged into the one catalogue in `messages.ts`.
 * The parity test there checks that both languages have the same keys and placeholders.
 */
export const pwaVi = {
  'pwa.manifest.description': 'Tìm sách và đọc tài liệu số của mạng lưới thư viện công cộng, cả khi mạng yếu.',
  'pwa.offline.banner': 'Bạn đang không có kết nối mạng. Các trang đã mở trước đây vẫn đọc được.',
  'pwa.offline.bannerLink': 'Xem các trang đã lưu',
  'pwa.offline.copy': 'Không có kết nối mạng: đây là bản đã lưu trên máy lúc {time}.',
  'pwa.offline.slowCopy': 'Mạng chậm: đây là bản đã lưu trên máy lúc {time}. Tải lại trang để xem bản mới nhất.',
  'pwa.offline.title': 'Đọc khi không có mạng',
  'pwa.offline.intro':
    'Các trang bạn đã mở — biểu ghi, trang thư viện, kết quả tìm kiếm, trang sách số — được lưu lại trên máy này để đọc tiếp khi mất mạng. Trang của tài khoản và khu vực cán bộ không bao giờ được lưu.',
  'pwa.offline.missed': 'Không có kết nối mạng, và trang này chưa được lưu trên máy:',
  'pwa.offline.listTitle': 'Các trang đã lưu trên máy này',
  'pwa.offline.none': 'Chưa có trang nào được lưu trên máy này.',
  'pwa.offline.unsupported': 'Danh sách trang đã lưu cần trình duyệt có bật JavaScript và hỗ trợ đọc ngoại tuyến.',
  'pwa.offline.savedOn': 'Lưu lúc {time}',
  'pwa.offline.clear': 'Xoá các trang đã lưu',
  'pwa.offline.cleared': 'Đã xoá các trang đã lưu trên máy này.',
  'pwa.offline.shared':
    'Dùng chung điện thoại? Khi đăng xuất, các trang đã lưu được xoá. Bạn cũng có thể xoá chúng bất cứ lúc nào bằng nút dưới đây.',
  'pwa.offline.retry': 'Thử tải lại',
  'pwa.footer.offline': 'Trang đã lưu để đọc khi không có mạng',
  'a11y.breadcrumbs': 'Vị trí trang',
  'a11y.search.catalogue': 'Tìm biểu ghi',
  'a11y.search.users': 'Tìm cán bộ',
} as const;

export const pwaEn: Record<keyof typeof pwaVi, string> = {
  'pwa.manifest.description': 'Find books and read digitised documents of the public library network, even on a weak connection.',
  'pwa.offline.banner': 'You are offline. Pages you opened before can still be read.',
  'pwa.offline.bannerLink': 'See saved pages',
  'pwa.offline.copy': 'No connection: this is the copy saved on this device on {time}.',
  'pwa.offline.slowCopy': 'Slow connection: this is the copy saved on this device on {time}. Reload the page for the latest one.',
  'pwa.offline.title': 'Reading offline',
  'pwa.offline.intro':
    'Pages you open — records, library pages, search results, pages of digitised books — are kept on this device so you can read them again without a connection. Account and staff pages are never kept.',
  'pwa.offline.missed': 'There is no connection, and this page has not been saved on this device:',
  'pwa.offline.listTitle': 'Pages saved on this device',
  'pwa.offline.none': 'No page has been saved on this device yet.',
  'pwa.offline.unsupported': 'The list of saved pages needs a browser with JavaScript turned on that supports offline reading.',
  'pwa.offline.savedOn': 'Saved {time}',
  'pwa.offline.clear': 'Forget saved pages',
  'pwa.offline.cleared': 'The pages saved on this device have been forgotten.',
  'pwa.offline.shared': 'Sharing a phone? Saved pages are forgotten when you sign out. You can also forget them at any time with the button below.',
  'pwa.offline.retry': 'Try again',
  'pwa.footer.offline': 'Pages saved for offline reading',
  'a11y.breadcrumbs': 'Where you are',
  'a11y.search.catalogue': 'Find records',
  'a11y.search.users': 'Find staff',
};
