import { describe, expect, it } from 'vitest';
import { trailingMark, trimPunctuation } from './punctuation.js';

describe('trimPunctuation', () => {
  it.each([
    // ISBD separators at the end
    ['Truyện Kiều /', 'Truyện Kiều'],
    ['Truyện Kiều =', 'Truyện Kiều'],
    ['Hà Nội :', 'Hà Nội'],
    ['Văn học,', 'Văn học'],
    ['Văn học cổ điển Việt Nam ;', 'Văn học cổ điển Việt Nam'],
    ['250 tr. ;', '250 tr.'],
    ['21 cm +', '21 cm'],
    ['Nguyễn Du,', 'Nguyễn Du'],
    ['1765-1820.', '1765-1820'],
    ['1950-', '1950-'],
    // final periods: removed after a word, kept after an abbreviation or an initial
    ['2015.', '2015'],
    ['Nguyễn Du ; Đào Duy Anh khảo đính.', 'Nguyễn Du ; Đào Duy Anh khảo đính'],
    ['Tái bản lần thứ 3.', 'Tái bản lần thứ 3'],
    ['21 cm.', '21 cm'],
    ['Smith, J.', 'Smith, J.'],
    ['Rowling, J. K.,', 'Rowling, J. K.'],
    ['H. :', 'H.'],
    ['Đ.', 'Đ.'],
    ['1st American ed.', '1st American ed.'],
    ['Nxb.', 'Nxb.'],
    ['250 tr.', '250 tr.'],
    ['Smith, John, Jr.', 'Smith, John, Jr.'],
    ['Washington, D.C. :', 'Washington, D.C.'],
    ['U.S.A.', 'U.S.A.'],
    ['[S.l.] :', 'S.l.'],
    ['Đồng cỏ.', 'Đồng cỏ'],
    ['Dân ca.', 'Dân ca'],
    ['Tiêu đề ...', 'Tiêu đề ...'],
    ['Việt Nam (Cộng hòa xã hội chủ nghĩa).', 'Việt Nam (Cộng hòa xã hội chủ nghĩa)'],
    // brackets of supplied text
    ['[Hà Nội] :', 'Hà Nội'],
    ['[1995?]', '1995?'],
    ['[Bản đồ Việt Nam]', 'Bản đồ Việt Nam'],
    ['Tập 1 [bản mới]', 'Tập 1 [bản mới]'],
    ['[a] [b]', '[a] [b]'],
    // leading separators of badly split subfields, white space, NFD
    ['= The tale of Kieu /', 'The tale of Kieu'],
    ['  Truyện   Kiều  / ', 'Truyện Kiều'],
    ['Truyện Kiều /'.normalize('NFD'), 'Truyện Kiều'],
    ['', ''],
    [' : ', ''],
    ['.', ''],
  ])('%j → %j', (input, expected) => {
    expect(trimPunctuation(input)).toBe(expected);
  });
});

describe('trailingMark', () => {
  it.each([
    ['Truyện Kiều :', ':'],
    ['Truyện Kiều =', '='],
    ['Truyện Kiều /', '/'],
    ['Lịch sử Việt Nam.', '.'],
    ['Tập 1,', ','],
    ['Truyện Kiều', undefined],
    ['', undefined],
  ])('%j → %j', (input, expected) => {
    expect(trailingMark(input)).toBe(expected);
  });
});
