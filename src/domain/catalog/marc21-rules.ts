/**
 * Checking a record against the MARC 21 Format for Bibliographic Data, as the validators of Koha,
 * MarcEdit and MARC::Lint do: leader codes, field and subfield repeatability, indicator values,
 * defined subfield codes, and a few content rules (one 245, one 1XX, 245 indicators, ISBN check
 * digits, 041 codes, 856 $u). Pure and total: any input gives a list of problems, never an error.
 *
 * Problems carry a stable code and parameters; the message texts are `marc.rule.<code>` in the
 * i18n catalogue. `error` means the record breaks the format (a non-repeatable field twice, an
 * undefined indicator); `warning` means it is probably wrong but can be saved (an unknown tag,
 * a wrong ISBN check digit).
 *
 * The tag table follows https://www.loc.gov/marc/bibliographic/ (field list as of 2023). Local
 * fields (9XX and the X9X blocks 09X, 59X, 69X…) are always allowed and never checked.
 */
import { normaliseIsbn } from './isbn.js';
import { isDataField, type MarcDataField, type MarcLike, type MarcLikeField } from './marc-like.js';

// ---------------------------------------------------------------------------------------------
// Problems

export type RuleSeverity = 'error' | 'warning';

/**
 * Every rule this module checks, with its severity. The message is `marc.rule.<code>`; the
 * parameters each code passes are listed beside it.
 */
export const MARC_RULES = {
  /** {length} */
  'leader-length': 'error',
  /** {position} {value}: leader/05, 06, 07, 08, 09, 17, 18 or 19 holds an undefined code. */
  'leader-value': 'warning',
  /** {tag}: 008 is missing. */
  'control-field-missing': 'warning',
  /** {tag} {length} {expected}: 005 (16), 006 (18) or 008 (40) of the wrong length. */
  'control-field-length': 'warning',
  /** {tag}: not three letters or digits. */
  'tag-invalid': 'error',
  /** {tag}: letters in a tag are legal in MARC but unusual in MARC 21 bibliographic records. */
  'tag-alphanumeric': 'warning',
  /** {tag} */
  'tag-unknown': 'warning',
  /** {tag} */
  'tag-obsolete': 'warning',
  /** {tag}: a control field (00X) written with indicators and subfields. */
  'control-field-has-subfields': 'error',
  /** {tag}: a data field without subfields. */
  'data-field-no-subfields': 'error',
  /** {tag} */
  'field-not-repeatable': 'error',
  /** No 245. */
  'title-missing': 'error',
  /** {count}: more than one 1XX. */
  'main-entry-multiple': 'error',
  /** {tag} {ind} {value} {allowed}: blanks shown as `#`. */
  'indicator-invalid': 'error',
  /** {tag} {ind} {value}: a value MARC 21 once defined, still found in older records. */
  'indicator-obsolete': 'warning',
  /** {tag} {code}: not a lower-case letter or a digit. */
  'subfield-code-invalid': 'warning',
  /** {tag} {code} */
  'subfield-unknown': 'warning',
  /** {tag} {code} */
  'subfield-not-repeatable': 'error',
  /** {tag} {code} */
  'subfield-empty': 'warning',
  /** {value} {expected}: 245 ind1 is 1 when there is a 1XX, 0 when there is none. */
  'title-added-entry': 'warning',
  /** {value} {expected}: 245 ind2 does not count the leading article. */
  'non-filing-mismatch': 'warning',
  /** {value}: 020 $a with a wrong check digit or length. */
  'isbn-invalid': 'warning',
  /** {code} {value}: a 041 language code that is not three letters. */
  'language-code-invalid': 'warning',
  /** {tag}: 856 without $u. */
  'link-url-missing': 'warning',
} as const satisfies Record<string, RuleSeverity>;

export type RuleCode = keyof typeof MARC_RULES;

/** Every rule code, for the message catalogue test and for documentation screens. */
export const MARC_RULE_CODES = Object.keys(MARC_RULES) as RuleCode[];

export interface RuleProblem {
  severity: RuleSeverity;
  code: RuleCode;
  /** The field's tag, when the problem is in a field. */
  tag?: string;
  /** The position of the field in `record.fields`, when the problem is in a field. */
  fieldIndex?: number;
  /** The subfield code, when the problem is in a subfield. */
  subfield?: string;
  params: Record<string, string | number>;
}

/** True when at least one problem is an error (the record should not be saved as it is). */
export function hasErrors(problems: ReadonlyArray<RuleProblem>): boolean {
  return problems.some((p) => p.severity === 'error');
}

// ---------------------------------------------------------------------------------------------
// The tag table

export interface MarcTagInfo {
  tag: string;
  /** LC's English name; a Vietnamese name for the fields small libraries use. */
  name: { en: string; vi?: string };
  repeatable: boolean;
  /** A control field (00X): one value, no indicators, no subfields. */
  control: boolean;
  /**
   * The allowed first-indicator values, blank as `' '` (`' 01'`). Empty for control fields;
   * undefined when the table does not check the indicator (880 follows its linked field).
   */
  ind1?: string;
  ind2?: string;
  /** The defined subfield codes (`'abcfghknps678'`), when the table lists them. */
  subfields?: string;
  /** The codes in `subfields` that may occur only once in a field. */
  nonRepeatableSubfields?: string;
}

/**
 * `[tag, R|NR, ind1, ind2, English name, Vietnamese name?, subfields?]`.
 * Indicators: `#` blank, `0-9` a range, `*` not checked. Subfields: codes separated by spaces,
 * `+` after a repeatable one; $6 (linkage, NR) and $8 (field link, R) are defined in every data
 * field that lists its subfields and are added to all of them.
 */
type Row = readonly [string, 'R' | 'NR', string, string, string, string?, string?];

const NAME_SUBFIELDS_PERSONAL = 'a b c+ d e+ f g+ j+ k+ l n+ p+ q t u 0+ 1+ 2 4+ 7+';
const NAME_SUBFIELDS_CORPORATE = 'a b+ c+ d+ e+ f g+ k+ l n+ p+ t u 0+ 1+ 2 4+ 7+';
const NAME_SUBFIELDS_MEETING = 'a c+ d+ e+ f g+ j+ k+ l n+ p+ q t u 0+ 1+ 2 4+ 7+';
const SUBJECT_SUBDIVISIONS = 'v+ x+ y+ z+ 0+ 1+ 2 3 4+ 7+';
const ADDED_ENTRY_EXTRA = 'h i+ m+ o r s x 3 5';
const LINKING_ENTRY = 'a b c d e f g+ h i+ j k+ l+ m n+ o+ p q r+ s t u v w+ x y z+ 0+ 1+ 3 4+ 5 7';
const SERIES_EXTRA = 'h m+ o r s v w+ x 3 5 7';

const ROWS: readonly Row[] = [
  // Control fields
  ['001', 'NR', '', '', 'Control Number', 'Số kiểm soát'],
  ['003', 'NR', '', '', 'Control Number Identifier', 'Mã cơ quan gán số kiểm soát'],
  ['005', 'NR', '', '', 'Date and Time of Latest Transaction', 'Ngày giờ cập nhật gần nhất'],
  ['006', 'R', '', '', 'Fixed-Length Data Elements—Additional Material Characteristics', 'Dữ liệu độ dài cố định—Đặc trưng bổ sung'],
  ['007', 'R', '', '', 'Physical Description Fixed Field', 'Mô tả vật lý độ dài cố định'],
  ['008', 'NR', '', '', 'Fixed-Length Data Elements—General Information', 'Dữ liệu độ dài cố định—Thông tin chung'],
  // Numbers and codes
  ['010', 'NR', '#', '#', 'Library of Congress Control Number', 'Số kiểm soát của Thư viện Quốc hội Mỹ', 'a b+ z+'],
  ['013', 'R', '#', '#', 'Patent Control Information', undefined, 'a b c d+ e+ f+'],
  ['015', 'R', '#', '#', 'National Bibliography Number', 'Số thư mục quốc gia', 'a+ q+ z+ 2'],
  ['016', 'R', '#7', '#', 'National Bibliographic Agency Control Number', 'Số kiểm soát của cơ quan thư mục quốc gia', 'a z+ 2'],
  ['017', 'R', '#', '#8', 'Copyright or Legal Deposit Number', 'Số đăng ký bản quyền hoặc lưu chiểu', 'a+ b d i z+ 2'],
  ['018', 'NR', '#', '#', 'Copyright Article-Fee Code'],
  ['020', 'R', '#', '#', 'International Standard Book Number', 'Chỉ số ISBN', 'a c q+ z+'],
  ['022', 'R', '#01', '#', 'International Standard Serial Number', 'Chỉ số ISSN', 'a l m+ y+ z+ 0 1+ 2'],
  ['024', 'R', '0123478', '#01', 'Other Standard Identifier', 'Mã số tiêu chuẩn khác', 'a c d q+ z+ 2 7+'],
  ['025', 'R', '#', '#', 'Overseas Acquisition Number'],
  ['026', 'R', '#', '#', 'Fingerprint Identifier'],
  ['027', 'R', '#', '#', 'Standard Technical Report Number'],
  ['028', 'R', '0-6', '0-3', 'Publisher or Distributor Number', 'Số của nhà xuất bản, nhà phát hành', 'a b q+'],
  ['030', 'R', '#', '#', 'CODEN Designation'],
  ['031', 'R', '#', '#', 'Musical Incipits Information'],
  ['032', 'R', '#', '#', 'Postal Registration Number'],
  ['033', 'R', '#012', '#012', 'Date/Time and Place of an Event'],
  ['034', 'R', '013', '#01', 'Coded Cartographic Mathematical Data'],
  ['035', 'R', '#', '#', 'System Control Number', 'Số kiểm soát hệ thống', 'a z+'],
  ['036', 'NR', '#', '#', 'Original Study Number for Computer Data Files'],
  ['037', 'R', '#23', '#', 'Source of Acquisition', 'Nguồn bổ sung'],
  ['038', 'NR', '#', '#', 'Record Content Licensor'],
  ['040', 'NR', '#', '#', 'Cataloging Source', 'Nguồn biên mục', 'a b c d+ e+'],
  ['041', 'R', '#01', '#7', 'Language Code', 'Mã ngôn ngữ', 'a+ b+ d+ e+ f+ g+ h+ i+ j+ k+ m+ n+ p+ q+ r+ t+ 2 3 7+'],
  ['042', 'NR', '#', '#', 'Authentication Code'],
  ['043', 'NR', '#', '#', 'Geographic Area Code', 'Mã khu vực địa lý', 'a+ b+ c+ 0+ 1+ 2+'],
  ['044', 'NR', '#', '#', 'Country of Publishing/Producing Entity Code', 'Mã nước xuất bản', 'a+ b+ c+ 2+'],
  ['045', 'NR', '#012', '#', 'Time Period of Content'],
  ['046', 'R', '#123', '#', 'Special Coded Dates'],
  ['047', 'R', '#', '#7', 'Form of Musical Composition Code'],
  ['048', 'R', '#', '#7', 'Number of Musical Instruments or Voices Codes'],
  ['050', 'R', '#01', '04', 'Library of Congress Call Number', 'Ký hiệu phân loại của Thư viện Quốc hội Mỹ', 'a+ b 0+ 1+ 3'],
  ['051', 'R', '#', '#', 'Library of Congress Copy, Issue, Offprint Statement'],
  ['052', 'R', '#17', '#', 'Geographic Classification'],
  ['055', 'R', '#01', '0-9', 'Classification Numbers Assigned in Canada'],
  ['060', 'R', '#01', '04', 'National Library of Medicine Call Number'],
  ['061', 'R', '#', '#', 'National Library of Medicine Copy Statement'],
  ['066', 'NR', '#', '#', 'Character Sets Present'],
  ['070', 'R', '#01', '#', 'National Agricultural Library Call Number'],
  ['071', 'R', '#', '#', 'National Agricultural Library Copy Statement'],
  ['072', 'R', '#', '07', 'Subject Category Code'],
  ['074', 'R', '#', '#', 'GPO Item Number'],
  ['080', 'R', '#01', '#', 'Universal Decimal Classification Number', 'Chỉ số phân loại thập phân bách khoa (UDC)', 'a b x+ 0+ 1+ 2'],
  ['082', 'R', '017', '#04', 'Dewey Decimal Classification Number', 'Chỉ số phân loại thập phân Dewey (DDC)', 'a+ b m q 2 7+'],
  ['083', 'R', '017', '#', 'Additional Dewey Decimal Classification Number'],
  // 084 ind1 (type of edition) was defined in 2021; older records leave it blank.
  ['084', 'R', '#01', '#', 'Other Classification Number', 'Chỉ số phân loại khác', 'a+ b q 0+ 1+ 2 7+'],
  ['085', 'R', '#', '#', 'Synthesized Classification Number Components'],
  ['086', 'R', '#01', '#', 'Government Document Classification Number'],
  ['088', 'R', '#', '#', 'Report Number', 'Số báo cáo'],
  // Main entries
  ['100', 'NR', '013', '#', 'Main Entry—Personal Name', 'Tiêu đề chính—Tên cá nhân', NAME_SUBFIELDS_PERSONAL],
  ['110', 'NR', '012', '#', 'Main Entry—Corporate Name', 'Tiêu đề chính—Tên tập thể', NAME_SUBFIELDS_CORPORATE],
  ['111', 'NR', '012', '#', 'Main Entry—Meeting Name', 'Tiêu đề chính—Tên hội nghị', NAME_SUBFIELDS_MEETING],
  ['130', 'NR', '0-9', '#', 'Main Entry—Uniform Title', 'Tiêu đề chính—Nhan đề đồng nhất', 'a d+ f g+ h k+ l m+ n+ o p+ r s+ t 0+ 1+ 2 7+'],
  // Titles, edition, imprint
  ['210', 'R', '01', '#0', 'Abbreviated Title', 'Nhan đề viết tắt'],
  ['222', 'R', '#', '0-9', 'Key Title', 'Nhan đề khoá'],
  ['240', 'NR', '01', '0-9', 'Uniform Title', 'Nhan đề đồng nhất', 'a d+ f g+ h k+ l m+ n+ o p+ r s+ 0+ 1+ 2 7+'],
  ['242', 'R', '01', '0-9', 'Translation of Title by Cataloging Agency', 'Nhan đề dịch', 'a b c h n+ p+ y'],
  ['243', 'NR', '01', '0-9', 'Collective Uniform Title'],
  ['245', 'NR', '01', '0-9', 'Title Statement', 'Nhan đề chính', 'a b c f g h k+ n+ p+ s 7+'],
  ['246', 'R', '0-3', '#0-8', 'Varying Form of Title', 'Dạng khác của nhan đề', 'a b f g+ h i n+ p+ 5 7+'],
  ['247', 'R', '01', '01', 'Former Title', 'Nhan đề cũ'],
  ['250', 'R', '#', '#', 'Edition Statement', 'Lần xuất bản', 'a b 3 7+'],
  ['254', 'NR', '#', '#', 'Musical Presentation Statement'],
  ['255', 'R', '#', '#', 'Cartographic Mathematical Data', 'Dữ liệu toán học bản đồ'],
  ['256', 'NR', '#', '#', 'Computer File Characteristics'],
  ['257', 'R', '#', '#', 'Country of Producing Entity'],
  ['258', 'R', '#', '#', 'Philatelic Issue Data'],
  ['260', 'R', '#23', '#', 'Publication, Distribution, etc. (Imprint)', 'Địa chỉ xuất bản, phát hành', 'a+ b+ c+ e+ f+ g+ 3'],
  ['263', 'NR', '#', '#', 'Projected Publication Date'],
  [
    '264', 'R', '#23', '0-4', 'Production, Publication, Distribution, Manufacture, and Copyright Notice',
    'Sản xuất, xuất bản, phát hành, in ấn và bản quyền', 'a+ b+ c+ 3 7+',
  ],
  ['270', 'R', '#12', '#07', 'Address', 'Địa chỉ'],
  // Physical description
  ['300', 'R', '#', '#', 'Physical Description', 'Mô tả vật lý', 'a+ b c+ e f+ g+ 3 7+'],
  ['306', 'NR', '#', '#', 'Playing Time', 'Thời lượng'],
  ['307', 'R', '#8', '#', 'Hours, Etc.'],
  ['310', 'NR', '#', '#', 'Current Publication Frequency', 'Định kỳ xuất bản hiện tại'],
  ['321', 'R', '#', '#', 'Former Publication Frequency', 'Định kỳ xuất bản trước đây'],
  ['336', 'R', '#', '#', 'Content Type', 'Loại nội dung', 'a+ b+ 0+ 1+ 2 3 7+'],
  ['337', 'R', '#', '#', 'Media Type', 'Loại phương tiện', 'a+ b+ 0+ 1+ 2 3 7+'],
  ['338', 'R', '#', '#', 'Carrier Type', 'Loại vật mang tin', 'a+ b+ 0+ 1+ 2 3 7+'],
  ['340', 'R', '#', '#', 'Physical Medium'],
  ['344', 'R', '#', '#', 'Sound Characteristics'],
  ['345', 'R', '#', '#', 'Moving Image Characteristics'],
  ['346', 'R', '#', '#', 'Video Characteristics'],
  ['347', 'R', '#', '#', 'Digital File Characteristics'],
  ['348', 'R', '#', '#', 'Notated Music Characteristics'],
  ['351', 'R', '#', '#', 'Organization and Arrangement of Materials'],
  ['352', 'R', '#', '#', 'Digital Graphic Representation'],
  ['355', 'R', '0-58', '#', 'Security Classification Control'],
  ['357', 'NR', '#', '#', 'Originator Dissemination Control'],
  ['362', 'R', '01', '#', 'Dates of Publication and/or Sequential Designation', 'Thời gian xuất bản và/hoặc số thứ tự'],
  ['363', 'R', '#01', '#01', 'Normalized Date and Sequential Designation'],
  ['365', 'R', '#', '#', 'Trade Price', 'Giá bán'],
  ['366', 'R', '#', '#', 'Trade Availability Information'],
  ['370', 'R', '#', '#', 'Associated Place'],
  ['377', 'R', '#', '#7', 'Associated Language'],
  ['380', 'R', '#', '#', 'Form of Work'],
  ['381', 'R', '#', '#', 'Other Distinguishing Characteristics of Work or Expression'],
  ['382', 'R', '#0-3', '#01', 'Medium of Performance'],
  ['383', 'R', '#01', '#', 'Numeric Designation of Musical Work'],
  ['384', 'R', '#01', '#', 'Key'],
  ['385', 'R', '#', '#', 'Audience Characteristics'],
  ['386', 'R', '#', '#', 'Creator/Contributor Characteristics'],
  ['388', 'R', '#12', '#', 'Time Period of Creation'],
  // Series statement
  ['490', 'R', '01', '#', 'Series Statement', 'Thông tin tùng thư', 'a+ l v+ x+ y+ z+ 3 7+'],
  // Notes
  ['500', 'R', '#', '#', 'General Note', 'Phụ chú chung', 'a 3 5 7+'],
  ['501', 'R', '#', '#', 'With Note', 'Phụ chú “Đóng chung với”'],
  ['502', 'R', '#', '#', 'Dissertation Note', 'Phụ chú luận án', 'a b c d g+ o+ 7+'],
  ['504', 'R', '#', '#', 'Bibliography, Etc. Note', 'Phụ chú thư mục', 'a b 7+'],
  ['505', 'R', '0128', '#0', 'Formatted Contents Note', 'Phụ chú nội dung', 'a g+ r+ t+ u+ 7+'],
  ['506', 'R', '#01', '#', 'Restrictions on Access Note', 'Phụ chú hạn chế truy cập'],
  ['507', 'NR', '#', '#', 'Scale Note for Visual Materials'],
  ['508', 'R', '#', '#', 'Creation/Production Credits Note', 'Phụ chú người tham gia sản xuất'],
  ['510', 'R', '0-4', '#', 'Citation/References Note'],
  ['511', 'R', '01', '#', 'Participant or Performer Note', 'Phụ chú người biểu diễn'],
  ['513', 'R', '#', '#', 'Type of Report and Period Covered Note'],
  ['514', 'NR', '#', '#', 'Data Quality Note'],
  ['515', 'R', '#', '#', 'Numbering Peculiarities Note'],
  ['516', 'R', '#8', '#', 'Type of Computer File or Data Note'],
  ['518', 'R', '#', '#', 'Date/Time and Place of an Event Note'],
  ['520', 'R', '#0-48', '#', 'Summary, Etc.', 'Tóm tắt, chú giải', 'a b c u+ 2 3 7+'],
  ['521', 'R', '#0-48', '#', 'Target Audience Note', 'Phụ chú đối tượng sử dụng'],
  ['522', 'R', '#8', '#', 'Geographic Coverage Note'],
  ['524', 'R', '#8', '#', 'Preferred Citation of Described Materials Note'],
  ['525', 'R', '#', '#', 'Supplement Note', 'Phụ chú phụ trương'],
  ['526', 'R', '08', '#', 'Study Program Information Note'],
  ['530', 'R', '#', '#', 'Additional Physical Form Available Note', 'Phụ chú dạng vật lý khác'],
  ['532', 'R', '0128', '#', 'Accessibility Note'],
  ['533', 'R', '#', '#', 'Reproduction Note', 'Phụ chú bản sao'],
  ['534', 'R', '#', '#', 'Original Version Note', 'Phụ chú bản gốc'],
  ['535', 'R', '12', '#', 'Location of Originals/Duplicates Note'],
  ['536', 'R', '#', '#', 'Funding Information Note'],
  ['538', 'R', '#', '#', 'System Details Note', 'Phụ chú chi tiết hệ thống'],
  ['540', 'R', '#', '#', 'Terms Governing Use and Reproduction Note'],
  ['541', 'R', '#01', '#', 'Immediate Source of Acquisition Note', 'Phụ chú nguồn bổ sung'],
  ['542', 'R', '#01', '#', 'Information Relating to Copyright Status'],
  ['544', 'R', '#01', '#', 'Location of Other Archival Materials Note'],
  ['545', 'R', '#01', '#', 'Biographical or Historical Data', 'Dữ liệu tiểu sử hoặc lịch sử'],
  ['546', 'R', '#', '#', 'Language Note', 'Phụ chú ngôn ngữ', 'a b+ 3 7+'],
  ['547', 'R', '#', '#', 'Former Title Complexity Note'],
  ['550', 'R', '#', '#', 'Issuing Body Note', 'Phụ chú cơ quan ban hành'],
  ['552', 'R', '#', '#', 'Entity and Attribute Information Note'],
  ['555', 'R', '#08', '#', 'Cumulative Index/Finding Aids Note'],
  ['556', 'R', '#8', '#', 'Information About Documentation Note'],
  ['561', 'R', '#01', '#', 'Ownership and Custodial History'],
  ['562', 'R', '#', '#', 'Copy and Version Identification Note'],
  ['563', 'R', '#', '#', 'Binding Information'],
  ['565', 'R', '#08', '#', 'Case File Characteristics Note'],
  ['567', 'R', '#8', '#', 'Methodology Note'],
  ['580', 'R', '#', '#', 'Linking Entry Complexity Note'],
  ['581', 'R', '#8', '#', 'Publications About Described Materials Note'],
  ['583', 'R', '#01', '#', 'Action Note'],
  ['584', 'R', '#', '#', 'Accumulation and Frequency of Use Note'],
  ['585', 'R', '#', '#', 'Exhibitions Note'],
  ['586', 'R', '#8', '#', 'Awards Note', 'Phụ chú giải thưởng'],
  ['588', 'R', '#01', '#', 'Source of Description Note', 'Phụ chú nguồn mô tả'],
  // Subject access
  ['600', 'R', '013', '0-7', 'Subject Added Entry—Personal Name', 'Tiêu đề bổ sung chủ đề—Tên cá nhân', `a b c+ d e+ f g+ h j+ k+ l m+ n+ o p+ q r s t u ${SUBJECT_SUBDIVISIONS}`],
  ['610', 'R', '012', '0-7', 'Subject Added Entry—Corporate Name', 'Tiêu đề bổ sung chủ đề—Tên tập thể', `a b+ c+ d+ e+ f g+ h k+ l m+ n+ o p+ r s t u ${SUBJECT_SUBDIVISIONS}`],
  ['611', 'R', '012', '0-7', 'Subject Added Entry—Meeting Name', 'Tiêu đề bổ sung chủ đề—Tên hội nghị', `a c+ d+ e+ f g+ h j+ k+ l n+ p+ q s t u ${SUBJECT_SUBDIVISIONS}`],
  ['630', 'R', '0-9', '0-7', 'Subject Added Entry—Uniform Title', 'Tiêu đề bổ sung chủ đề—Nhan đề đồng nhất', `a d+ e+ f g+ h k+ l m+ n+ o p+ r s+ t ${SUBJECT_SUBDIVISIONS}`],
  ['647', 'R', '#', '0-7', 'Subject Added Entry—Named Event', 'Tiêu đề bổ sung chủ đề—Sự kiện'],
  ['648', 'R', '#', '0-7', 'Subject Added Entry—Chronological Term', 'Tiêu đề bổ sung chủ đề—Thời gian', `a ${SUBJECT_SUBDIVISIONS}`],
  ['650', 'R', '#012', '0-7', 'Subject Added Entry—Topical Term', 'Tiêu đề bổ sung chủ đề—Thuật ngữ chủ đề', `a b c d e+ g+ ${SUBJECT_SUBDIVISIONS}`],
  ['651', 'R', '#', '0-7', 'Subject Added Entry—Geographic Name', 'Tiêu đề bổ sung chủ đề—Địa danh', `a e+ g+ ${SUBJECT_SUBDIVISIONS}`],
  ['653', 'R', '#012', '#0-6', 'Index Term—Uncontrolled', 'Thuật ngữ chỉ mục—Không kiểm soát (từ khoá)', 'a+ 5 7+'],
  ['654', 'R', '#012', '#', 'Subject Added Entry—Faceted Topical Terms'],
  ['655', 'R', '#0', '0-7', 'Index Term—Genre/Form', 'Thuật ngữ chỉ mục—Thể loại/Hình thức', 'a b+ c+ v+ x+ y+ z+ 0+ 1+ 2 3 5 7+'],
  ['656', 'R', '#', '7', 'Index Term—Occupation', 'Thuật ngữ chỉ mục—Nghề nghiệp'],
  ['657', 'R', '#', '7', 'Index Term—Function', 'Thuật ngữ chỉ mục—Chức năng'],
  ['658', 'R', '#', '#', 'Index Term—Curriculum Objective'],
  ['662', 'R', '#', '#', 'Subject Added Entry—Hierarchical Place Name'],
  ['688', 'R', '#', '#7', 'Subject Added Entry—Type of Entity Unspecified'],
  // Added entries
  ['700', 'R', '013', '#2', 'Added Entry—Personal Name', 'Tiêu đề bổ sung—Tên cá nhân', `${NAME_SUBFIELDS_PERSONAL} ${ADDED_ENTRY_EXTRA}`],
  ['710', 'R', '012', '#2', 'Added Entry—Corporate Name', 'Tiêu đề bổ sung—Tên tập thể', `${NAME_SUBFIELDS_CORPORATE} ${ADDED_ENTRY_EXTRA}`],
  ['711', 'R', '012', '#2', 'Added Entry—Meeting Name', 'Tiêu đề bổ sung—Tên hội nghị', `${NAME_SUBFIELDS_MEETING} ${ADDED_ENTRY_EXTRA}`],
  ['720', 'R', '#12', '#', 'Added Entry—Uncontrolled Name', 'Tiêu đề bổ sung—Tên không kiểm soát'],
  ['730', 'R', '0-9', '#2', 'Added Entry—Uniform Title', 'Tiêu đề bổ sung—Nhan đề đồng nhất', 'a d+ f g+ h i+ k+ l m+ n+ o p+ r s+ t x 0+ 1+ 2 3 4+ 5 7+'],
  ['740', 'R', '0-9', '#2', 'Added Entry—Uncontrolled Related/Analytical Title', 'Tiêu đề bổ sung—Nhan đề liên quan/phân tích', 'a h n+ p+ 5'],
  ['751', 'R', '#', '#', 'Added Entry—Geographic Name', 'Tiêu đề bổ sung—Địa danh'],
  ['752', 'R', '#', '#', 'Added Entry—Hierarchical Place Name'],
  ['753', 'R', '#', '#', 'System Details Access to Computer Files'],
  ['754', 'R', '#', '#', 'Added Entry—Taxonomic Identification'],
  ['758', 'R', '#', '#', 'Resource Identifier', 'Định danh tài nguyên'],
  // Linking entries
  ['760', 'R', '01', '#8', 'Main Series Entry', 'Tùng thư chính', LINKING_ENTRY],
  ['762', 'R', '01', '#8', 'Subseries Entry', 'Tùng thư phụ', LINKING_ENTRY],
  ['765', 'R', '01', '#8', 'Original Language Entry', 'Bản gốc', LINKING_ENTRY],
  ['767', 'R', '01', '#8', 'Translation Entry', 'Bản dịch', LINKING_ENTRY],
  ['770', 'R', '01', '#8', 'Supplement/Special Issue Entry', 'Phụ trương/Số đặc biệt', LINKING_ENTRY],
  ['772', 'R', '01', '#08', 'Supplement Parent Entry', 'Tài liệu mẹ của phụ trương', LINKING_ENTRY],
  ['773', 'R', '01', '#8', 'Host Item Entry', 'Tài liệu chủ', 'a b d g+ h i+ k+ l+ m n+ o+ p q r+ s t u w+ x y z+ 0+ 1+ 3 4+ 5 7'],
  ['774', 'R', '01', '#8', 'Constituent Unit Entry', 'Đơn vị hợp thành', LINKING_ENTRY],
  ['775', 'R', '01', '#8', 'Other Edition Entry', 'Lần xuất bản khác', LINKING_ENTRY],
  ['776', 'R', '01', '#8', 'Additional Physical Form Entry', 'Dạng vật lý khác', LINKING_ENTRY],
  ['777', 'R', '01', '#8', 'Issued With Entry', 'Xuất bản cùng với', LINKING_ENTRY],
  ['780', 'R', '01', '0-7', 'Preceding Entry', 'Tài liệu trước', LINKING_ENTRY],
  ['785', 'R', '01', '0-8', 'Succeeding Entry', 'Tài liệu tiếp theo', LINKING_ENTRY],
  ['786', 'R', '01', '#8', 'Data Source Entry', 'Nguồn dữ liệu', LINKING_ENTRY],
  ['787', 'R', '01', '#8', 'Other Relationship Entry', 'Quan hệ khác', LINKING_ENTRY],
  ['788', 'R', '01', '#8', 'Parallel Description in Another Language of Cataloging', 'Mô tả song song bằng ngôn ngữ biên mục khác', 'a b d e i+ l+ n+ s t w+ x 4+ 5'],
  // Series added entries
  ['800', 'R', '013', '#', 'Series Added Entry—Personal Name', 'Tiêu đề bổ sung tùng thư—Tên cá nhân', `a b c+ d e+ f g+ j+ k+ l n+ p+ q t u 0+ 1+ 2 4+ ${SERIES_EXTRA}`],
  ['810', 'R', '012', '#', 'Series Added Entry—Corporate Name', 'Tiêu đề bổ sung tùng thư—Tên tập thể', `a b+ c+ d+ e+ f g+ k+ l n+ p+ t u 0+ 1+ 2 4+ ${SERIES_EXTRA}`],
  ['811', 'R', '012', '#', 'Series Added Entry—Meeting Name', 'Tiêu đề bổ sung tùng thư—Tên hội nghị', `a c+ d+ e+ f g+ j+ k+ l n+ p+ q t u 0+ 1+ 2 4+ ${SERIES_EXTRA}`],
  ['830', 'R', '#', '0-9', 'Series Added Entry—Uniform Title', 'Tiêu đề bổ sung tùng thư—Nhan đề đồng nhất', 'a d+ f g+ h k+ l m+ n+ o p+ r s+ t v w+ x 0+ 1+ 2 3 4+ 5 7'],
  // Holdings, location, alternate graphics
  ['841', 'NR', '*', '*', 'Holdings Coded Data Values'],
  ['842', 'NR', '*', '*', 'Textual Physical Form Designator'],
  ['843', 'R', '*', '*', 'Reproduction Note'],
  ['844', 'NR', '*', '*', 'Name of Unit'],
  ['845', 'R', '*', '*', 'Terms Governing Use and Reproduction Note'],
  ['850', 'R', '#', '#', 'Holding Institution', 'Cơ quan lưu giữ'],
  ['852', 'R', '#0-8', '#012', 'Location', 'Nơi lưu giữ', 'a b+ c+ d+ e+ f+ g+ h i+ j k+ l m+ n p q s+ t u+ x+ z+ 2 3'],
  ['853', 'R', '0-3', '0-3', 'Captions and Pattern—Basic Bibliographic Unit'],
  ['854', 'R', '0-3', '0-3', 'Captions and Pattern—Supplementary Material'],
  ['855', 'R', '0-3', '0-3', 'Captions and Pattern—Indexes'],
  [
    '856', 'R', '#0-47', '#0-48', 'Electronic Location and Access', 'Địa chỉ điện tử và truy cập',
    'a+ b+ c+ d+ e+ f+ g+ h i+ j k l m+ n o p q r s+ t+ u+ v+ w+ x+ y+ z+ 2 3 7',
  ],
  ['857', 'R', '#147', '#0-48', 'Electronic Archive Location and Access'],
  ['863', 'R', '#345', '#0-4', 'Enumeration and Chronology—Basic Bibliographic Unit'],
  ['864', 'R', '#345', '#0-4', 'Enumeration and Chronology—Supplementary Material'],
  ['865', 'R', '#345', '#0-4', 'Enumeration and Chronology—Indexes'],
  ['866', 'R', '#345', '0127', 'Textual Holdings—Basic Bibliographic Unit', 'Thông tin vốn tư liệu dạng văn bản'],
  ['867', 'R', '#345', '0127', 'Textual Holdings—Supplementary Material'],
  ['868', 'R', '#345', '0127', 'Textual Holdings—Indexes'],
  ['876', 'R', '#', '#', 'Item Information—Basic Bibliographic Unit', 'Thông tin bản tài liệu'],
  ['877', 'R', '#', '#', 'Item Information—Supplementary Material'],
  ['878', 'R', '#', '#', 'Item Information—Indexes'],
  // 880 takes the indicators and subfields of the field its $6 links to.
  ['880', 'R', '*', '*', 'Alternate Graphic Representation', 'Dạng chữ viết khác'],
  ['881', 'R', '#', '#', 'Manifestation Statements'],
  ['882', 'NR', '#', '#', 'Replacement Record Information'],
  ['883', 'R', '#012', '#', 'Metadata Provenance'],
  ['884', 'R', '#', '#', 'Description Conversion Information'],
  ['885', 'R', '#', '#', 'Matching Information'],
  ['886', 'R', '012', '#', 'Foreign MARC Information Field'],
  ['887', 'R', '#', '#', 'Non-MARC Information Field'],
];

/** Tags LC has made obsolete that older records still carry (440 until 2008, 503, 652…). */
const OBSOLETE_TAGS: ReadonlySet<string> = new Set([
  '009', '011', '039', '211', '212', '214', '241', '261', '262', '265', '301', '302', '303', '304', '305', '308',
  '315', '350', '359', '400', '410', '411', '440', '503', '512', '517', '523', '527', '537', '543', '570', '582',
  '652', '705', '715', '755', '840', '851', '870', '871', '872', '873',
]);

/**
 * Indicator values LC has made obsolete, `[ind1, ind2]`: the main entry/subject relationship in
 * 1XX ind2 and alternative/secondary entry in 7XX ind2 (1990), multiple surname `2` in X00 ind1
 * (1996), presence of publisher in 260 ind1, 050 ind2 blank and 082 ind1 blank. Records made
 * under the older rules are reported with a warning rather than an error.
 */
const OBSOLETE_INDICATORS: Readonly<Record<string, readonly [string, string]>> = {
  '050': ['', ' '],
  '082': [' ', ''],
  '100': ['2', '01'],
  '110': ['', '01'],
  '111': ['', '01'],
  '130': ['', '01'],
  '260': ['01', ''],
  '600': ['2', ''],
  '700': ['2', '01'],
  '710': ['', '01'],
  '711': ['', '01'],
  '730': ['', '01'],
  '800': ['2', ''],
};

function expandIndicator(spec: string): string | undefined {
  if (spec === '*') return undefined;
  return spec
    .replace(/(\d)-(\d)/g, (_, from: string, to: string) => {
      let out = '';
      for (let d = Number(from); d <= Number(to); d++) out += String(d);
      return out;
    })
    .replace(/#/g, ' ');
}

function toInfo([tag, repeat, ind1, ind2, en, vi, subfields]: Row): MarcTagInfo {
  const control = tag.startsWith('00');
  const info: MarcTagInfo = { tag, name: Object.freeze(vi ? { en, vi } : { en }), repeatable: repeat === 'R', control };
  if (control) return Object.freeze({ ...info, ind1: '', ind2: '' });
  const i1 = expandIndicator(ind1);
  const i2 = expandIndicator(ind2);
  if (i1 !== undefined) info.ind1 = i1;
  if (i2 !== undefined) info.ind2 = i2;
  if (subfields !== undefined) {
    const codes = subfields.split(' ').filter((c) => c !== '');
    let all = '';
    let once = '';
    for (const c of [...codes, '6', '8+']) {
      const code = c[0]!;
      if (all.includes(code)) continue;
      all += code;
      if (!c.endsWith('+')) once += code;
    }
    info.subfields = all;
    info.nonRepeatableSubfields = once;
  }
  return Object.freeze(info);
}

/**
 * The MARC 21 bibliographic fields this module knows, in tag order: repeatability, allowed
 * indicator values, defined subfields for the common fields, and names for the editor.
 */
export const MARC21_BIB_TAGS: ReadonlyArray<MarcTagInfo> = Object.freeze(ROWS.map(toInfo));

const BY_TAG: ReadonlyMap<string, MarcTagInfo> = new Map(MARC21_BIB_TAGS.map((t) => [t.tag, t]));

/** The table entry for a tag (`tagInfo('245')?.name.vi === 'Nhan đề chính'`), or undefined. */
export function tagInfo(tag: string): MarcTagInfo | undefined {
  return BY_TAG.get(tag);
}

/**
 * Local fields, defined by each library rather than by MARC 21: 9XX and X9X (090, 590, 690,
 * 790…), except the few X9X fields MARC 21 itself defines (490).
 */
export function isLocalTag(tag: string): boolean {
  return /^\d{3}$/.test(tag) && (tag[0] === '9' || tag[1] === '9') && !BY_TAG.has(tag);
}

// ---------------------------------------------------------------------------------------------
// Leader and fixed fields

/** Leader positions checked, with their MARC 21 bibliographic codes (blank as `' '`). */
const LEADER_CODES: ReadonlyArray<readonly [number, string]> = [
  [5, 'acdnp'], // record status
  [6, 'acdefgijkmoprt'], // type of record
  [7, 'abcdims'], // bibliographic level
  [8, ' a'], // type of control
  [9, ' a'], // character coding scheme: MARC-8 or UCS/Unicode
  [17, ' 1234578uz'], // encoding level
  [18, ' acinu'], // descriptive cataloguing form
  [19, ' abc'], // multipart resource record level
];

const CONTROL_LENGTHS: Readonly<Record<string, number>> = { '005': 16, '006': 18, '008': 40 };

const show = (c: string): string => (c === ' ' ? '#' : c);
const pos = (n: number): string => String(n).padStart(2, '0');

// ---------------------------------------------------------------------------------------------
// Non-filing characters

/** Initial articles the 245 ind2 check knows (MARC 21 245 ind2 examples). */
const ARTICLES = ['The ', 'A ', 'An ', "L'", 'L’', 'Les ', 'Der ', 'Die ', 'Das '];
/** Marks before an article are counted as non-filing too (`"The` → 5). */
const LEADING_MARKS = /^["'“‘«([¿¡]*/u;

/**
 * The number of non-filing characters 245 ind2 should hold for a title: the length of a leading
 * article from {@link ARTICLES} with any quotation marks or brackets before it; 0 otherwise and
 * always for Vietnamese (`vie`), which has no articles (`A Phủ` is a name, not an article).
 *
 * @example nonFilingCount('The Hobbit') === 4
 */
export function nonFilingCount(title: string, language?: string): number {
  if (language === 'vie') return 0;
  const t = (title ?? '').normalize('NFC').trimStart();
  const marks = LEADING_MARKS.exec(t)?.[0] ?? '';
  const rest = t.slice(marks.length);
  const article = ARTICLES.find((a) => rest.toLowerCase().startsWith(a.toLowerCase()) && rest.length > a.length);
  return article === undefined ? 0 : [...marks].length + [...article].length;
}

// ---------------------------------------------------------------------------------------------
// Validation

/**
 * Checks a bibliographic record against MARC 21 and returns every problem found, in record order
 * (leader first). An empty list means the record is valid as far as these rules go.
 *
 * @example hasErrors(validateMarc21(record)) // false: the record can be saved
 */
export function validateMarc21(record: MarcLike): RuleProblem[] {
  const out: RuleProblem[] = [];
  const add = (code: RuleCode, params: Record<string, string | number>, where: Omit<RuleProblem, 'severity' | 'code' | 'params'> = {}) =>
    out.push({ severity: MARC_RULES[code], code, ...where, params });
  const fields: ReadonlyArray<MarcLikeField> = Array.isArray(record?.fields) ? record.fields : [];

  checkLeader(typeof record?.leader === 'string' ? record.leader : '', add);

  const seen = new Map<string, number>();
  const mainEntries: number[] = [];
  let f008: string | undefined;
  fields.forEach((field, index) => {
    if (typeof field !== 'object' || field === null) return;
    const tag = typeof field.tag === 'string' ? field.tag : String(field.tag ?? '');
    const at = { tag, fieldIndex: index };
    if (!/^[0-9A-Za-z]{3}$/.test(tag)) {
      add('tag-invalid', { tag }, at);
      return;
    }
    const count = (seen.get(tag) ?? 0) + 1;
    seen.set(tag, count);
    if (/^1\d\d$/.test(tag)) mainEntries.push(index);
    const info = BY_TAG.get(tag);
    if (!/^\d{3}$/.test(tag)) add('tag-alphanumeric', { tag }, at);
    else if (info === undefined && !isLocalTag(tag)) add(OBSOLETE_TAGS.has(tag) ? 'tag-obsolete' : 'tag-unknown', { tag }, at);
    if (info && !info.repeatable && count > 1) add('field-not-repeatable', { tag }, at);

    const control = /^00/.test(tag);
    if (control) {
      if (isDataField(field)) {
        add('control-field-has-subfields', { tag }, at);
        return;
      }
      const value = typeof field.value === 'string' ? field.value : '';
      if (tag === '008' && f008 === undefined) f008 = value;
      const expected = CONTROL_LENGTHS[tag];
      if (expected !== undefined && value.length !== expected) add('control-field-length', { tag, length: value.length, expected }, at);
      return;
    }
    if (!isDataField(field) || field.subfields.length === 0) {
      add('data-field-no-subfields', { tag }, at);
      return;
    }
    checkDataField(field, tag, index, add);
  });

  if (f008 === undefined) add('control-field-missing', { tag: '008' });
  if (!seen.has('245')) add('title-missing', {});
  if (mainEntries.length > 1) {
    const second = mainEntries[1]!;
    add('main-entry-multiple', { count: mainEntries.length }, { tag: (fields[second] as MarcLikeField).tag, fieldIndex: second });
  }
  checkTitle(fields, mainEntries.length > 0, f008, add);
  return out;
}

type Add = (code: RuleCode, params: Record<string, string | number>, where?: Omit<RuleProblem, 'severity' | 'code' | 'params'>) => void;

function checkLeader(leader: string, add: Add): void {
  if (leader.length !== 24) {
    // Positions of a leader of the wrong length cannot be trusted: report the length only.
    add('leader-length', { length: leader.length });
    return;
  }
  for (const [position, codes] of LEADER_CODES) {
    const c = leader[position]!;
    if (!codes.includes(c)) add('leader-value', { position: pos(position), value: show(c) });
  }
}

function checkDataField(field: MarcDataField, tag: string, index: number, add: Add): void {
  const at = { tag, fieldIndex: index };
  // An 880 is checked as the field it represents in another script (`$6 245-01`).
  const linked = tag === '880' ? /^(\d{3})/.exec(field.subfields.find((s) => s.code === '6')?.value ?? '')?.[1] : undefined;
  const rules = linked !== undefined && linked !== '880' ? (BY_TAG.get(linked) ?? BY_TAG.get(tag)) : BY_TAG.get(tag);

  for (const [which, raw] of [[1, field.ind1], [2, field.ind2]] as const) {
    const allowed = which === 1 ? rules?.ind1 : rules?.ind2;
    if (allowed === undefined || rules?.control) continue;
    const value = typeof raw === 'string' ? raw : '';
    if (value.length === 1 && allowed.includes(value)) continue;
    if (value.length === 1 && (OBSOLETE_INDICATORS[rules!.tag]?.[which - 1] ?? '').includes(value)) {
      add('indicator-obsolete', { tag, ind: which, value: show(value) }, at);
    } else {
      add('indicator-invalid', { tag, ind: which, value: show(value), allowed: [...allowed].map(show).join(' ') }, at);
    }
  }

  const counts = new Map<string, number>();
  for (const sf of field.subfields) {
    const code = typeof sf?.code === 'string' ? sf.code : '';
    const value = typeof sf?.value === 'string' ? sf.value : '';
    const where = { ...at, subfield: code };
    if (!/^[a-z0-9]$/.test(code)) {
      add('subfield-code-invalid', { tag, code }, where);
      continue;
    }
    const n = (counts.get(code) ?? 0) + 1;
    counts.set(code, n);
    if (rules?.subfields !== undefined) {
      if (!rules.subfields.includes(code)) add('subfield-unknown', { tag, code }, where);
      else if (n === 2 && rules.nonRepeatableSubfields!.includes(code)) add('subfield-not-repeatable', { tag, code }, where);
    }
    if (value.trim() === '') add('subfield-empty', { tag, code }, where);
    else checkContent(tag, field, code, value, add, where);
  }
  if (tag === '856' && !counts.has('u')) add('link-url-missing', { tag }, at);
}

function checkContent(tag: string, field: MarcDataField, code: string, value: string, add: Add, where: Omit<RuleProblem, 'severity' | 'code' | 'params'>): void {
  if (tag === '020' && code === 'a' && normaliseIsbn(value) === undefined) {
    add('isbn-invalid', { value: value.trim() }, where);
  }
  // With ind2 7 the codes come from the list named in $2 (ISO 639-1 two-letter codes, say).
  if (tag === '041' && /^[a-z]$/.test(code) && field.ind2 !== '7' && !/^[a-z]{3}$/.test(value.trim())) {
    add('language-code-invalid', { code, value: value.trim() }, where);
  }
}

function checkTitle(fields: ReadonlyArray<MarcLikeField>, hasMainEntry: boolean, f008: string | undefined, add: Add): void {
  const index = fields.findIndex((f) => typeof f === 'object' && f !== null && f.tag === '245' && isDataField(f));
  if (index < 0) return;
  const f245 = fields[index] as MarcDataField;
  const at = { tag: '245', fieldIndex: index };
  const expected = hasMainEntry ? '1' : '0';
  if ((f245.ind1 === '0' || f245.ind1 === '1') && f245.ind1 !== expected) {
    add('title-added-entry', { value: f245.ind1, expected }, at);
  }
  if (!/^\d$/.test(f245.ind2)) return;
  const a = f245.subfields.find((s) => s.code === 'a');
  if (a === undefined || typeof a.value !== 'string') return;
  const language = f008 !== undefined && f008.length >= 38 ? f008.slice(35, 38) : undefined;
  const actual = Number(f245.ind2);
  const want = nonFilingCount(a.value, language);
  if (want > 0 ? actual !== want : actual !== 0 && (language === 'vie' || !cutsAtWordBoundary(a.value, actual))) {
    add('non-filing-mismatch', { value: actual, expected: want }, at);
  }
}

/**
 * True when skipping `count` characters leaves whole words: an article this module does not know
 * (Spanish `El `, Italian `Il `) is then accepted rather than reported.
 */
function cutsAtWordBoundary(title: string, count: number): boolean {
  const chars = [...title.normalize('NFC')];
  if (count >= chars.length) return false;
  const before = chars[count - 1]!;
  return /[\s'’-]/u.test(before) && /[\p{L}\p{N}]/u.test(chars[count]!);
}
