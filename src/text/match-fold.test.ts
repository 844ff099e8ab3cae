import { describe, expect, it } from 'vitest';
import { foldForMatch } from './match-fold.js';

describe('foldForMatch', () => {
  it.each([
    ['Truyện Kiều', 'truyen kieu'],
    ['TRUYỆN KIỀU', 'truyen kieu'],
    ['Đường Kách mệnh', 'duong kach menh'],
    ['Hoà bình', 'hoa binh'],
    ['Hòa bình', 'hoa binh'],
    ['Thuỷ Hử', 'thuy hu'],
    ['Thủy Hử', 'thuy hu'],
    // i/y spellings of the same syllable agree
    ['Kỹ thuật', 'ki thuat'],
    ['Kĩ thuật', 'ki thuat'],
    ['Lý luận', 'li luan'],
    ['Lí luận', 'li luan'],
    ['Mỹ thuật', 'mi thuat'],
    ['Hy Lạp', 'hi lap'],
    ['Quý Mùi', 'qui mui'],
    ['Quí Mùi', 'qui mui'],
    // y after a vowel is a different word and stays
    ['Bàn tay', 'ban tay'],
    ['Tuỳ bút', 'tuy but'],
    ['Y học', 'y hoc'],
    // punctuation and apostrophes
    ["Harry Potter and the sorcerer's stone", 'harry potter and the sorcerers stone'],
    ['Lịch sử Việt Nam. Tập 1, Thời cổ đại', 'lich su viet nam tap 1 thoi co dai'],
    ['  --Hà Nội : Văn học, 2015!! ', 'ha noi van hoc 2015'],
    ['', ''],
    ['!!!', ''],
  ])('%j → %j', (input, expected) => {
    expect(foldForMatch(input)).toBe(expected);
    expect(foldForMatch(input.normalize('NFD'))).toBe(expected);
  });
});
