/**
 * The SRU diagnostics we use, from the standard list in the `info:srw/diagnostic/1/` namespace
 * (Library of Congress, "SRU Diagnostics List"; the same list serves SRU 1.1, 1.2 and 2.0).
 *
 * Each diagnostic has its number, its URI and the standard's description in English, with a
 * Vietnamese translation for people reading our own responses. The `details` field carries what the
 * list prescribes for that number (the parameter's name for 6/7/8, the highest version for 5, …).
 *
 * @example
 * sruDiagnostic(7, 'query')
 * // { code: 7, uri: 'info:srw/diagnostic/1/7', details: 'query',
 * //   message: { en: 'Mandatory parameter not supplied', vi: 'Thiếu tham số bắt buộc' } }
 */

export const SRU_DIAGNOSTIC_PREFIX = 'info:srw/diagnostic/1/';

export interface SruDiagnostic {
  code: number;
  uri: string;
  details?: string;
  message: { vi: string; en: string };
}

/** The standard's description of each number we may send, and its Vietnamese translation. */
const LIST = {
  // General
  1: ['General system error', 'Lỗi hệ thống'],
  2: ['System temporarily unavailable', 'Hệ thống tạm thời không phục vụ được'],
  3: ['Authentication error', 'Lỗi xác thực'],
  4: ['Unsupported operation', 'Thao tác không được hỗ trợ'],
  5: ['Unsupported version', 'Phiên bản không được hỗ trợ'],
  6: ['Unsupported parameter value', 'Giá trị tham số không được hỗ trợ'],
  7: ['Mandatory parameter not supplied', 'Thiếu tham số bắt buộc'],
  8: ['Unsupported parameter', 'Tham số không được hỗ trợ'],
  235: ['Database does not exist', 'Cơ sở dữ liệu không tồn tại'],
  // CQL
  10: ['Query syntax error', 'Lỗi cú pháp truy vấn'],
  12: ['Too many characters in query', 'Truy vấn quá dài'],
  13: ['Invalid or unsupported use of parentheses', 'Dùng dấu ngoặc đơn sai hoặc không được hỗ trợ'],
  14: ['Invalid or unsupported use of quotes', 'Dùng dấu ngoặc kép sai hoặc không được hỗ trợ'],
  15: ['Unsupported context set', 'Tập ngữ cảnh không được hỗ trợ'],
  16: ['Unsupported index', 'Chỉ mục không được hỗ trợ'],
  18: ['Unsupported combination of indexes', 'Kết hợp chỉ mục không được hỗ trợ'],
  19: ['Unsupported relation', 'Quan hệ không được hỗ trợ'],
  20: ['Unsupported relation modifier', 'Bổ ngữ quan hệ không được hỗ trợ'],
  21: ['Unsupported combination of relation modifiers', 'Kết hợp bổ ngữ quan hệ không được hỗ trợ'],
  22: ['Unsupported combination of relation and index', 'Kết hợp quan hệ và chỉ mục không được hỗ trợ'],
  23: ['Too many characters in term', 'Thuật ngữ tìm kiếm quá dài'],
  24: ['Unsupported combination of relation and term', 'Kết hợp quan hệ và thuật ngữ không được hỗ trợ'],
  26: ['Non special character escaped in term', 'Ký tự thường bị thoát (escape) trong thuật ngữ'],
  27: ['Empty term unsupported', 'Không hỗ trợ thuật ngữ rỗng'],
  28: ['Masking character not supported', 'Không hỗ trợ ký tự đại diện'],
  29: ['Masked words too short', 'Từ có ký tự đại diện quá ngắn'],
  30: ['Too many masking characters in term', 'Thuật ngữ có quá nhiều ký tự đại diện'],
  31: ['Anchoring character not supported', 'Không hỗ trợ ký tự neo'],
  32: ['Anchoring character in unsupported position', 'Ký tự neo ở vị trí không được hỗ trợ'],
  35: ['Term contains only stopwords', 'Thuật ngữ chỉ gồm từ dừng'],
  36: ['Term in invalid format for index or relation', 'Thuật ngữ sai định dạng đối với chỉ mục hoặc quan hệ'],
  37: ['Unsupported boolean operator', 'Toán tử logic không được hỗ trợ'],
  38: ['Too many boolean operators in query', 'Truy vấn có quá nhiều toán tử logic'],
  39: ['Proximity not supported', 'Không hỗ trợ tìm theo khoảng cách'],
  40: ['Unsupported proximity relation', 'Quan hệ khoảng cách không được hỗ trợ'],
  41: ['Unsupported proximity distance', 'Khoảng cách không được hỗ trợ'],
  42: ['Unsupported proximity unit', 'Đơn vị khoảng cách không được hỗ trợ'],
  43: ['Unsupported proximity ordering', 'Thứ tự khoảng cách không được hỗ trợ'],
  44: ['Unsupported combination of proximity modifiers', 'Kết hợp bổ ngữ khoảng cách không được hỗ trợ'],
  46: ['Unsupported boolean modifier', 'Bổ ngữ logic không được hỗ trợ'],
  47: ['Cannot process query; reason unknown', 'Không xử lý được truy vấn, không rõ nguyên nhân'],
  48: ['Query feature unsupported', 'Tính năng truy vấn không được hỗ trợ'],
  49: ['Masking character in unsupported position', 'Ký tự đại diện ở vị trí không được hỗ trợ'],
  // Result sets
  50: ['Result sets not supported', 'Không hỗ trợ tập kết quả'],
  51: ['Result set does not exist', 'Tập kết quả không tồn tại'],
  52: ['Result set temporarily unavailable', 'Tập kết quả tạm thời không dùng được'],
  58: ['Result set created with unpredictable partial results available', 'Tập kết quả chỉ có một phần, không xác định được'],
  59: ['Result set created with valid partial results available', 'Tập kết quả chỉ có một phần hợp lệ'],
  60: ['Result set not created: too many matching records', 'Không tạo được tập kết quả: quá nhiều biểu ghi khớp'],
  // Records
  61: ['First record position out of range', 'Vị trí biểu ghi đầu tiên nằm ngoài phạm vi'],
  64: ['Record temporarily unavailable', 'Biểu ghi tạm thời không có'],
  65: ['Record does not exist', 'Biểu ghi không tồn tại'],
  66: ['Unknown schema for retrieval', 'Lược đồ biểu ghi không được biết'],
  67: ['Record not available in this schema', 'Biểu ghi không có ở lược đồ này'],
  68: ['Not authorised to send record', 'Không được phép gửi biểu ghi'],
  69: ['Not authorised to send record in this schema', 'Không được phép gửi biểu ghi theo lược đồ này'],
  70: ['Record too large to send', 'Biểu ghi quá lớn để gửi'],
  71: ['Unsupported record packing', 'Cách đóng gói biểu ghi không được hỗ trợ'],
  72: ['XPath retrieval unsupported', 'Không hỗ trợ truy xuất theo XPath'],
  73: ['XPath expression contains unsupported feature', 'Biểu thức XPath có tính năng không được hỗ trợ'],
  74: ['Unable to evaluate XPath expression', 'Không tính được biểu thức XPath'],
  // Sorting
  80: ['Sort not supported', 'Không hỗ trợ sắp xếp'],
  82: ['Unsupported sort sequence', 'Thứ tự sắp xếp không được hỗ trợ'],
  83: ['Too many records to sort', 'Quá nhiều biểu ghi để sắp xếp'],
  84: ['Too many sort keys to sort', 'Quá nhiều khóa sắp xếp'],
  86: ['Cannot sort: incompatible record formats', 'Không sắp xếp được: định dạng biểu ghi không tương thích'],
  87: ['Unsupported schema for sort', 'Lược đồ sắp xếp không được hỗ trợ'],
  88: ['Unsupported path for sort', 'Đường dẫn sắp xếp không được hỗ trợ'],
  89: ['Path unsupported for schema', 'Đường dẫn không được hỗ trợ với lược đồ này'],
  90: ['Unsupported direction', 'Chiều sắp xếp không được hỗ trợ'],
  91: ['Unsupported case', 'Cách phân biệt chữ hoa chữ thường không được hỗ trợ'],
  92: ['Unsupported missing value action', 'Cách xử lý giá trị thiếu không được hỗ trợ'],
  93: ['Sort ended due to missing value', 'Dừng sắp xếp vì thiếu giá trị'],
  // Stylesheets
  110: ['Stylesheets not supported', 'Không hỗ trợ stylesheet'],
  111: ['Unsupported stylesheet', 'Stylesheet không được hỗ trợ'],
  // Scan
  120: ['Response position out of range', 'Vị trí trả lời nằm ngoài phạm vi'],
  121: ['Too many terms requested', 'Yêu cầu quá nhiều thuật ngữ'],
} as const satisfies Record<number, readonly [string, string]>;

/** The numbers of the diagnostics in our list. */
export type SruDiagnosticCode = keyof typeof LIST;

/** Every diagnostic we may send, in number order. */
export const SRU_DIAGNOSTICS: ReadonlyArray<{ code: SruDiagnosticCode; uri: string; en: string; vi: string }> = Object.entries(LIST)
  .map(([code, [en, vi]]) => ({ code: Number(code) as SruDiagnosticCode, uri: SRU_DIAGNOSTIC_PREFIX + code, en, vi }))
  .sort((a, b) => a.code - b.code);

/** The diagnostic `code` with its standard message; `details` as the list prescribes for that code. */
export function sruDiagnostic(code: SruDiagnosticCode, details?: string): SruDiagnostic {
  const [en, vi] = LIST[code];
  const d: SruDiagnostic = { code, uri: SRU_DIAGNOSTIC_PREFIX + code, message: { en, vi } };
  if (details !== undefined && details !== '') d.details = details;
  return d;
}

/** Whether `n` is a number of our list. */
export function isSruDiagnosticCode(n: number): n is SruDiagnosticCode {
  return Object.hasOwn(LIST, n);
}

/**
 * The number of a diagnostic URI in the standard namespace (`info:srw/diagnostic/1/7` → 7), or
 * undefined for any other URI (a server's own diagnostic set).
 */
export function diagnosticCodeOf(uri: string): number | undefined {
  const m = /^info:srw\/diagnostic\/1\/([0-9]{1,4})$/.exec(uri.trim());
  return m ? Number(m[1]) : undefined;
}
