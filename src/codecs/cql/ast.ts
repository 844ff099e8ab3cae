/**
 * The parsed form of a CQL 1.2 query (Contextual Query Language, the query language of SRU 1.2
 * and 2.0) and the SRU diagnostics that the parser and the mapping onto our search report.
 *
 * Strings keep what the query said: `index`, relation names, modifier types and values, prefix
 * names and identifiers and `term` are taken as written (without the surrounding double quotes,
 * with any backslashes still in place), which is also what XCQL carries. A search term's meaning
 * is in `text` (backslash escapes resolved) and `masks` (where `text` holds a masking `*` or `?`
 * or an anchoring `^` that was not escaped), so `"c\*t"` and `c*t` stay apart.
 *
 * Positions are offsets into the query text in UTF-16 code units, counted from 0.
 */

/** `> dc = "info:srw/cql-context-set/1/dc-v1.1"` (`name` absent for `> "uri"`). */
export interface CqlPrefix {
  name?: string;
  uri: string;
}

/** `/stem`, `/locale=vi`, `/distance<=3`: a relation, boolean or sort modifier. */
export interface CqlModifier {
  /** The modifier's name, possibly prefixed (`rel.algorithm`). */
  type: string;
  /** `=`, `==`, `<`, `>`, `<=`, `>=` or `<>`, when a value follows. */
  comparison?: string;
  value?: string;
  position: number;
}

export interface CqlRelation {
  /** `=`, `==`, `<>`, `<`, `>`, `<=`, `>=`, or a named relation as written (`any`, `cql.adj`). */
  value: string;
  modifiers: CqlModifier[];
}

export interface CqlSearchClause {
  type: 'searchClause';
  /** Prefix assignments written right before this clause, inside parentheses (`(> x = "u" …)`). */
  prefixes: CqlPrefix[];
  /** As written; `cql.serverChoice` when the clause is a bare term. */
  index: string;
  relation: CqlRelation;
  /** As written between the quotes (or the bare word): backslashes kept. */
  term: string;
  /** The term with backslash escapes resolved. */
  text: string;
  /** Offsets in `text` of the unescaped masking (`*`, `?`) and anchoring (`^`) characters. */
  masks: number[];
  quoted: boolean;
  /** Where the clause starts (its index, or its term when it has no index). */
  position: number;
  /** Where the term starts (its opening quote when quoted). */
  termPosition: number;
}

export type CqlBooleanOp = 'and' | 'or' | 'not' | 'prox';

export interface CqlTriple {
  type: 'triple';
  prefixes: CqlPrefix[];
  /** Lower case, whatever case the query used. */
  op: CqlBooleanOp;
  modifiers: CqlModifier[];
  left: CqlNode;
  right: CqlNode;
  /** Where the boolean operator is. */
  position: number;
}

export type CqlNode = CqlSearchClause | CqlTriple;

/** `sortBy dc.date/sort.descending`. */
export interface CqlSortKey {
  index: string;
  modifiers: CqlModifier[];
  position: number;
}

export interface CqlQuery {
  /** Prefix assignments at the start of the query: they hold for the whole query, sort keys included. */
  prefixes: CqlPrefix[];
  root: CqlNode;
  sortKeys: CqlSortKey[];
}

/**
 * An SRU diagnostic (https://www.loc.gov/standards/sru/diagnostics/diagnosticsList.html):
 * `message` is the list's wording followed by what exactly went wrong, in English and Vietnamese;
 * `details` is what the list says the diagnostic's details hold (an index name, a relation, a limit).
 */
export interface CqlDiagnostic {
  code: number;
  /** `info:srw/diagnostic/1/N`. */
  uri: string;
  details?: string;
  message: { vi: string; en: string };
  position?: number;
}

export type CqlParseResult = { ok: true; query: CqlQuery } | { ok: false; diagnostic: CqlDiagnostic };

/** The wording of the diagnostics we report, from the SRU list, with our Vietnamese. */
export const CQL_DIAGNOSTICS: Readonly<Record<number, { en: string; vi: string }>> = {
  1: { en: 'General system error', vi: 'Lỗi hệ thống' },
  10: { en: 'Query syntax error', vi: 'Lỗi cú pháp truy vấn' },
  12: { en: 'Too many characters in query', vi: 'Truy vấn quá dài' },
  13: { en: 'Invalid or unsupported use of parentheses', vi: 'Dùng dấu ngoặc đơn sai hoặc không được hỗ trợ' },
  14: { en: 'Invalid or unsupported use of quotes', vi: 'Dùng dấu ngoặc kép sai hoặc không được hỗ trợ' },
  15: { en: 'Unsupported context set', vi: 'Không hỗ trợ bộ ngữ cảnh' },
  16: { en: 'Unsupported index', vi: 'Không hỗ trợ chỉ mục' },
  19: { en: 'Unsupported relation', vi: 'Không hỗ trợ quan hệ' },
  20: { en: 'Unsupported relation modifier', vi: 'Không hỗ trợ bổ từ của quan hệ' },
  22: { en: 'Unsupported combination of relation and index', vi: 'Không hỗ trợ quan hệ này với chỉ mục này' },
  27: { en: 'Empty term unsupported', vi: 'Không hỗ trợ từ tìm kiếm rỗng' },
  28: { en: 'Masking character not supported', vi: 'Không hỗ trợ ký tự đại diện' },
  29: { en: 'Masked words too short', vi: 'Từ có ký tự đại diện quá ngắn' },
  31: { en: 'Anchoring character not supported', vi: 'Không hỗ trợ ký tự neo' },
  33: {
    en: 'Combination of proximity/adjacency and masking characters not supported',
    vi: 'Không hỗ trợ ký tự đại diện trong cụm từ',
  },
  36: { en: 'Term in invalid format for index or relation', vi: 'Từ tìm kiếm sai định dạng cho chỉ mục hoặc quan hệ' },
  38: { en: 'Too many boolean operators in query', vi: 'Truy vấn có quá nhiều toán tử logic' },
  39: { en: 'Proximity not supported', vi: 'Không hỗ trợ tìm theo khoảng cách (prox)' },
  46: { en: 'Unsupported boolean modifier', vi: 'Không hỗ trợ bổ từ của toán tử logic' },
  48: { en: 'Query feature unsupported', vi: 'Không hỗ trợ tính năng này của truy vấn' },
  49: { en: 'Masking character in unsupported position', vi: 'Ký tự đại diện ở vị trí không được hỗ trợ' },
  50: { en: 'Result sets not supported', vi: 'Không hỗ trợ tập kết quả' },
  90: { en: 'Unsupported direction', vi: 'Không hỗ trợ chiều sắp xếp này' },
  91: { en: 'Unsupported case', vi: 'Không hỗ trợ cách sắp xếp theo chữ hoa, chữ thường này' },
  92: { en: 'Unsupported missing value action', vi: 'Không hỗ trợ cách xử lý giá trị thiếu này' },
};

/**
 * A diagnostic: the list's wording for `code`, then `explain` (English, Vietnamese) when given.
 *
 * ```ts
 * cqlDiagnostic(16, { details: 'dc.format', explain: ['dc.format', 'dc.format'], position: 0 })
 * // → { code: 16, uri: 'info:srw/diagnostic/1/16', details: 'dc.format',
 * //     message: { en: 'Unsupported index: dc.format', vi: 'Không hỗ trợ chỉ mục: dc.format' }, position: 0 }
 * ```
 */
export function cqlDiagnostic(
  code: number,
  opts: { details?: string; explain?: readonly [en: string, vi: string]; position?: number } = {},
): CqlDiagnostic {
  const base = CQL_DIAGNOSTICS[code] ?? { en: `Diagnostic ${code}`, vi: `Chẩn đoán ${code}` };
  const message = opts.explain ? { en: `${base.en}: ${opts.explain[0]}`, vi: `${base.vi}: ${opts.explain[1]}` } : { en: base.en, vi: base.vi };
  const d: CqlDiagnostic = { code, uri: `info:srw/diagnostic/1/${code}`, message };
  if (opts.details !== undefined) d.details = opts.details;
  if (opts.position !== undefined) d.position = opts.position;
  return d;
}
