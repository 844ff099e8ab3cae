/**
 * The demo network: Kiên Giang's public libraries as the 2022 plan describes them (one provincial
 * library, 13 district and city libraries, commune libraries and village reading rooms), plus a
 * school, a university and a specialised library, and the 2025 reorganisation as dated events:
 * the district level removed and communes merged (143 commune-level units became 48).
 *
 * Place names are Kiên Giang's; which commune libraries exist, their opening dates and the exact
 * pairing of merged communes are illustrative, not a record of fact.
 */

export interface DemoCommune {
  code: string;
  /** Vietnamese name of the place, with its kind: `phường Vĩnh Thanh Vân`, `xã Mỹ Lâm`, `thị trấn Hòn Đất`. */
  place: string;
  opened: string;
  /** Reading rooms under this commune library: [code, village name]. */
  rooms?: ReadonlyArray<[string, string]>;
}

export interface DemoMerger {
  /** The commune library that receives the others and takes the new commune's name. */
  receiver: string;
  newPlace: string;
  absorbs: readonly string[];
}

export interface DemoDistrict {
  code: string;
  /** `thành phố Rạch Giá`, `huyện Hòn Đất` */
  place: string;
  opened: string;
  communes: readonly DemoCommune[];
  mergers: readonly DemoMerger[];
  /**
   * What became of the district library on 1 July 2025: merged into one of the new commune
   * libraries (communes that were neither merged nor receivers move up to the provincial
   * library), or (Phú Quốc) renamed as the library of the new special zone, absorbing communes.
   */
  fate: { mergeInto: string } | { renameTo: string; absorbs: readonly string[] };
}

export const REFORM_DATE = '2025-07-01';

export const DISTRICTS: readonly DemoDistrict[] = [
  {
    code: 'RG',
    place: 'thành phố Rạch Giá',
    opened: '1992-09-01',
    communes: [
      { code: 'RG-VTV', place: 'phường Vĩnh Thanh Vân', opened: '2004-03-26', rooms: [['RG-VTV-KP3', 'khu phố 3']] },
      { code: 'RG-VL', place: 'phường Vĩnh Lạc', opened: '2006-05-19' },
      { code: 'RG-AH', place: 'phường An Hòa', opened: '2007-09-02' },
      { code: 'RG-VQ', place: 'phường Vĩnh Quang', opened: '2008-01-15' },
      { code: 'RG-VT', place: 'phường Vĩnh Thông', opened: '2010-10-10' },
    ],
    mergers: [
      { receiver: 'RG-VTV', newPlace: 'phường Rạch Giá', absorbs: ['RG-VL', 'RG-AH'] },
      { receiver: 'RG-VT', newPlace: 'phường Vĩnh Thông', absorbs: ['RG-VQ'] },
    ],
    fate: { mergeInto: 'RG-VTV' },
  },
  {
    code: 'HT',
    place: 'thành phố Hà Tiên',
    opened: '1995-04-30',
    communes: [
      { code: 'HT-DH', place: 'phường Đông Hồ', opened: '2005-06-01', rooms: [['HT-DH-MT', 'khu phố Mũi Nai']] },
      { code: 'HT-BS', place: 'phường Bình San', opened: '2006-06-01' },
      { code: 'HT-TC', place: 'phường Tô Châu', opened: '2008-08-19' },
      { code: 'HT-PD', place: 'phường Pháo Đài', opened: '2011-01-01' },
    ],
    mergers: [
      { receiver: 'HT-DH', newPlace: 'phường Hà Tiên', absorbs: ['HT-BS'] },
      { receiver: 'HT-TC', newPlace: 'phường Tô Châu', absorbs: ['HT-PD'] },
    ],
    fate: { mergeInto: 'HT-DH' },
  },
  {
    code: 'PQ',
    place: 'thành phố Phú Quốc',
    opened: '1996-05-19',
    communes: [
      { code: 'PQ-DD', place: 'phường Dương Đông', opened: '2004-09-02', rooms: [['PQ-DD-SM', 'khu phố Suối Mây']] },
      { code: 'PQ-AT', place: 'phường An Thới', opened: '2006-02-03' },
      { code: 'PQ-CC', place: 'xã Cửa Cạn', opened: '2012-05-19' },
      { code: 'PQ-HN', place: 'xã Hàm Ninh', opened: '2013-03-26' },
    ],
    mergers: [],
    fate: { renameTo: 'đặc khu Phú Quốc', absorbs: ['PQ-DD', 'PQ-AT', 'PQ-CC', 'PQ-HN'] },
  },
  {
    code: 'KL',
    place: 'huyện Kiên Lương',
    opened: '1998-01-01',
    communes: [
      { code: 'KL-TT', place: 'thị trấn Kiên Lương', opened: '2005-01-01', rooms: [['KL-TT-BT', 'ấp Ba Trại']] },
      { code: 'KL-BA', place: 'xã Bình An', opened: '2009-09-02' },
      { code: 'KL-BT', place: 'xã Bình Trị', opened: '2010-03-26' },
      { code: 'KL-HD', place: 'xã Hòa Điền', opened: '2012-01-01' },
    ],
    mergers: [{ receiver: 'KL-TT', newPlace: 'xã Kiên Lương', absorbs: ['KL-BA', 'KL-BT'] }],
    fate: { mergeInto: 'KL-TT' },
  },
  {
    code: 'HD',
    place: 'huyện Hòn Đất',
    opened: '1994-06-01',
    communes: [
      { code: 'HD-TT', place: 'thị trấn Hòn Đất', opened: '2003-12-20', rooms: [['HD-TT-CD', 'ấp Cây Dương']] },
      { code: 'HD-LH', place: 'xã Lình Huỳnh', opened: '2008-05-19' },
      { code: 'HD-TS', place: 'xã Thổ Sơn', opened: '2009-02-03' },
      { code: 'HD-SS', place: 'thị trấn Sóc Sơn', opened: '2006-04-30' },
      { code: 'HD-SK', place: 'xã Sơn Kiên', opened: '2011-09-02', rooms: [['HD-SK-HT', 'ấp Hòn Quéo']] },
    ],
    mergers: [
      { receiver: 'HD-TT', newPlace: 'xã Hòn Đất', absorbs: ['HD-LH', 'HD-TS'] },
      { receiver: 'HD-SK', newPlace: 'xã Sơn Kiên', absorbs: ['HD-SS'] },
    ],
    fate: { mergeInto: 'HD-TT' },
  },
  {
    code: 'TH',
    place: 'huyện Tân Hiệp',
    opened: '1997-03-26',
    communes: [
      { code: 'TH-TT', place: 'thị trấn Tân Hiệp', opened: '2004-01-01' },
      { code: 'TH-TD', place: 'xã Thạnh Đông', opened: '2008-08-19', rooms: [['TH-TD-K10', 'kênh 10']] },
      { code: 'TH-THO', place: 'xã Tân Hội', opened: '2010-05-19' },
      { code: 'TH-TA', place: 'xã Tân An', opened: '2012-09-02' },
    ],
    mergers: [
      { receiver: 'TH-TT', newPlace: 'xã Tân Hiệp', absorbs: ['TH-TD'] },
      { receiver: 'TH-THO', newPlace: 'xã Tân Hội', absorbs: ['TH-TA'] },
    ],
    fate: { mergeInto: 'TH-TT' },
  },
  {
    code: 'CT',
    place: 'huyện Châu Thành',
    opened: '1996-09-02',
    communes: [
      { code: 'CT-ML', place: 'thị trấn Minh Lương', opened: '2005-05-19' },
      { code: 'CT-MT', place: 'xã Mong Thọ', opened: '2009-01-01', rooms: [['CT-MT-PH', 'ấp Phước Hòa']] },
      { code: 'CT-BA', place: 'xã Bình An', opened: '2010-09-02' },
      { code: 'CT-TL', place: 'xã Thạnh Lộc', opened: '2013-03-26' },
    ],
    mergers: [
      { receiver: 'CT-ML', newPlace: 'xã Châu Thành', absorbs: ['CT-MT'] },
      { receiver: 'CT-BA', newPlace: 'xã Bình An', absorbs: ['CT-TL'] },
    ],
    fate: { mergeInto: 'CT-ML' },
  },
  {
    code: 'GR',
    place: 'huyện Giồng Riềng',
    opened: '1995-01-01',
    communes: [
      { code: 'GR-TT', place: 'thị trấn Giồng Riềng', opened: '2004-04-30', rooms: [['GR-TT-VT', 'ấp Vĩnh Thạnh']] },
      { code: 'GR-BTD', place: 'xã Bàn Tân Định', opened: '2009-05-19' },
      { code: 'GR-LT', place: 'xã Long Thạnh', opened: '2010-01-01' },
      { code: 'GR-TH', place: 'xã Thạnh Hưng', opened: '2012-09-02' },
    ],
    mergers: [
      { receiver: 'GR-TT', newPlace: 'xã Giồng Riềng', absorbs: ['GR-BTD'] },
      { receiver: 'GR-LT', newPlace: 'xã Long Thạnh', absorbs: ['GR-TH'] },
    ],
    fate: { mergeInto: 'GR-TT' },
  },
  {
    code: 'GQ',
    place: 'huyện Gò Quao',
    opened: '1998-05-19',
    communes: [
      { code: 'GQ-TT', place: 'thị trấn Gò Quao', opened: '2005-09-02' },
      { code: 'GQ-DA', place: 'xã Định An', opened: '2009-03-26' },
      { code: 'GQ-DH', place: 'xã Định Hòa', opened: '2010-04-30', rooms: [['GQ-DH-HP', 'ấp Hòa Phú']] },
      { code: 'GQ-TQ', place: 'xã Thới Quản', opened: '2013-01-01' },
    ],
    mergers: [
      { receiver: 'GQ-TT', newPlace: 'xã Gò Quao', absorbs: ['GQ-DA'] },
      { receiver: 'GQ-DH', newPlace: 'xã Định Hòa', absorbs: ['GQ-TQ'] },
    ],
    fate: { mergeInto: 'GQ-TT' },
  },
  {
    code: 'AB',
    place: 'huyện An Biên',
    opened: '1997-09-02',
    communes: [
      { code: 'AB-TT', place: 'thị trấn Thứ Ba', opened: '2004-09-02' },
      { code: 'AB-DY', place: 'xã Đông Yên', opened: '2008-01-01' },
      { code: 'AB-TY', place: 'xã Tây Yên', opened: '2010-06-01', rooms: [['AB-TY-XM', 'ấp Xẻo Nhàu']] },
      { code: 'AB-NY', place: 'xã Nam Yên', opened: '2011-09-02' },
    ],
    mergers: [
      { receiver: 'AB-TT', newPlace: 'xã An Biên', absorbs: ['AB-DY'] },
      { receiver: 'AB-TY', newPlace: 'xã Tây Yên', absorbs: ['AB-NY'] },
    ],
    fate: { mergeInto: 'AB-TT' },
  },
  {
    code: 'AM',
    place: 'huyện An Minh',
    opened: '1998-09-02',
    communes: [
      { code: 'AM-TT', place: 'thị trấn Thứ Mười Một', opened: '2005-03-26' },
      { code: 'AM-DH', place: 'xã Đông Hòa', opened: '2009-09-02' },
      { code: 'AM-VK', place: 'xã Vân Khánh', opened: '2010-09-02', rooms: [['AM-VK-KD', 'ấp Kinh Dài']] },
      { code: 'AM-VKD', place: 'xã Vân Khánh Đông', opened: '2012-05-19' },
    ],
    mergers: [
      { receiver: 'AM-TT', newPlace: 'xã An Minh', absorbs: ['AM-DH'] },
      { receiver: 'AM-VK', newPlace: 'xã Vân Khánh', absorbs: ['AM-VKD'] },
    ],
    fate: { mergeInto: 'AM-TT' },
  },
  {
    code: 'VT',
    place: 'huyện Vĩnh Thuận',
    opened: '1996-04-30',
    communes: [
      { code: 'VT-TT', place: 'thị trấn Vĩnh Thuận', opened: '2004-05-19', rooms: [['VT-TT-VD', 'ấp Vĩnh Đông']] },
      { code: 'VT-VBB', place: 'xã Vĩnh Bình Bắc', opened: '2008-09-02' },
      { code: 'VT-PD', place: 'xã Phong Đông', opened: '2010-01-01' },
      { code: 'VT-VP', place: 'xã Vĩnh Phong', opened: '2012-04-30' },
    ],
    mergers: [
      { receiver: 'VT-TT', newPlace: 'xã Vĩnh Thuận', absorbs: ['VT-VBB'] },
      { receiver: 'VT-VP', newPlace: 'xã Vĩnh Phong', absorbs: ['VT-PD'] },
    ],
    fate: { mergeInto: 'VT-TT' },
  },
  {
    code: 'UMT',
    place: 'huyện U Minh Thượng',
    opened: '2008-03-26',
    communes: [
      { code: 'UMT-TY', place: 'xã Thạnh Yên', opened: '2010-09-02' },
      { code: 'UMT-AMB', place: 'xã An Minh Bắc', opened: '2011-05-19', rooms: [['UMT-AMB-MT', 'ấp Minh Thượng']] },
      { code: 'UMT-VH', place: 'xã Vĩnh Hòa', opened: '2012-09-02' },
    ],
    mergers: [{ receiver: 'UMT-AMB', newPlace: 'xã U Minh Thượng', absorbs: ['UMT-TY'] }],
    fate: { mergeInto: 'UMT-AMB' },
  },
];

/** A reading room that closed before the reform, so the tree as of 2022 shows one the tree of today lacks. */
export const CLOSED_ROOM = { code: 'HD-TT-CD', date: '2023-12-31' };

/** Libraries outside the public system that take part in the network. */
export const PARTNERS = [
  {
    code: 'THPT-HMD',
    typeCode: 'school' as const,
    nameVi: 'Thư viện Trường THPT chuyên Huỳnh Mẫn Đạt',
    nameEn: 'Huỳnh Mẫn Đạt Specialised High School Library',
    opened: '2001-09-05',
    address: 'Rạch Giá',
  },
  {
    code: 'DHKG',
    typeCode: 'university' as const,
    nameVi: 'Thư viện Trường Đại học Kiên Giang',
    nameEn: 'Kiên Giang University Library',
    opened: '2014-09-05',
    address: 'Châu Thành',
  },
  {
    code: 'BTKG',
    typeCode: 'specialised' as const,
    nameVi: 'Thư viện Bảo tàng tỉnh Kiên Giang',
    nameEn: 'Kiên Giang Provincial Museum Library',
    opened: '2005-01-01',
    address: 'Rạch Giá',
  },
];

const KINDS: ReadonlyArray<[string, string, string]> = [
  ['thành phố ', 'Thư viện thành phố ', ' City Library'],
  ['huyện ', 'Thư viện huyện ', ' District Library'],
  ['thị trấn ', 'Thư viện thị trấn ', ' Town Library'],
  ['phường ', 'Thư viện phường ', ' Ward Library'],
  ['xã ', 'Thư viện xã ', ' Commune Library'],
  ['đặc khu ', 'Thư viện đặc khu ', ' Special Zone Library'],
  ['ấp ', 'Phòng đọc ấp ', ' Village Reading Room'],
  ['khu phố ', 'Phòng đọc khu phố ', ' Neighbourhood Reading Room'],
  ['kênh ', 'Phòng đọc kênh ', ' Canal Reading Room'],
];

/** Library names in both languages from a place with its kind: `xã Mỹ Lâm` → Thư viện xã Mỹ Lâm / Mỹ Lâm Commune Library. */
export function libraryNames(place: string): { nameVi: string; nameEn: string } {
  for (const [prefix, vi, en] of KINDS) {
    if (place.startsWith(prefix)) {
      const name = place.slice(prefix.length);
      return { nameVi: vi + name, nameEn: name + en };
    }
  }
  return { nameVi: 'Thư viện ' + place, nameEn: place + ' Library' };
}
