import { describe, expect, it } from 'vitest';
import { cleanLine, compareVi, fold, nfc, slugify } from './fold.js';

const NFD = (s: string) => s.normalize('NFD');

describe('nfc', () => {
  it('composes decomposed Vietnamese', () => {
    const decomposed = NFD('Thư viện Hòn Đất');
    expect(decomposed).not.toBe('Thư viện Hòn Đất');
    expect(nfc(decomposed)).toBe('Thư viện Hòn Đất');
    expect(nfc(decomposed).length).toBe('Thư viện Hòn Đất'.length);
  });
});

describe('fold', () => {
  it.each([
    ['Thư viện Đường', 'Thu vien Duong'],
    ['đ', 'd'],
    ['Đ', 'D'],
    ['ĐẮK LẮK', 'DAK LAK'],
    ['Hòn Đất', 'Hon Dat'],
    ['Lình Huỳnh', 'Linh Huynh'],
    ['Phú Quốc', 'Phu Quoc'],
    ['ă â ê ô ơ ư', 'a a e o o u'],
    ['Ă Â Ê Ô Ơ Ư', 'A A E O O U'],
    ['ả ã á ạ à', 'a a a a a'],
    ['hoà', 'hoa'],
    ['hòa', 'hoa'],
    ['Kiên Giang 2025', 'Kien Giang 2025'],
    ['', ''],
    ['plain ASCII', 'plain ASCII'],
  ])('%j → %j', (input, expected) => {
    expect(fold(input)).toBe(expected);
    expect(fold(NFD(input))).toBe(expected);
  });

  it('folds old and new tone placement to the same text', () => {
    expect(fold('hoà')).toBe(fold('hòa'));
    expect(fold('thuỷ')).toBe(fold('thủy'));
  });
});

describe('slugify', () => {
  it.each([
    ['Thư viện xã Hòn Đất', 'thu-vien-xa-hon-dat'],
    ['Thư viện tỉnh Kiên Giang', 'thu-vien-tinh-kien-giang'],
    ['Thư viện phường Vĩnh Thanh Vân', 'thu-vien-phuong-vinh-thanh-van'],
    ['Phòng đọc ấp Cây Dương', 'phong-doc-ap-cay-duong'],
    ['Thư viện đặc khu Phú Quốc', 'thu-vien-dac-khu-phu-quoc'],
    ['Thư viện Trường THPT chuyên Huỳnh Mẫn Đạt', 'thu-vien-truong-thpt-chuyen-huynh-man-dat'],
    ['  --Đà Nẵng!!  (2025) ', 'da-nang-2025'],
    ['Tủ sách biển đảo', 'tu-sach-bien-dao'],
    ['Kênh 10', 'kenh-10'],
    ['!!!', ''],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(slugify(input)).toBe(expected);
    expect(slugify(NFD(input))).toBe(expected);
  });

  it('cuts to the maximum length without a trailing dash', () => {
    expect(slugify('Thư viện xã Hòn Đất', 12)).toBe('thu-vien-xa');
    expect(slugify('Thư viện xã Hòn Đất', 9)).toBe('thu-vien');
    expect(slugify('a'.repeat(100))).toBe('a'.repeat(80));
  });
});

describe('cleanLine', () => {
  it.each([
    ['  Thư   viện\t xã  ', 'Thư viện xã'],
    ['a\u0000b\u001fc\u007fd', 'a b c d'],
    ['line one\r\nline two', 'line one line two'],
    [NFD('Hòn Đất'), 'Hòn Đất'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(cleanLine(input)).toBe(expected);
  });
});

describe('compareVi', () => {
  it('orders letters as the Vietnamese alphabet does', () => {
    const words = ['đ', 'e', 'd', 'â', 'ă', 'a', 'b'];
    expect([...words].sort(compareVi)).toEqual(['a', 'ă', 'â', 'b', 'd', 'đ', 'e']);
  });

  it('orders numbers numerically', () => {
    expect(['Kênh 10', 'Kênh 9', 'Kênh 1'].sort(compareVi)).toEqual(['Kênh 1', 'Kênh 9', 'Kênh 10']);
  });
});
