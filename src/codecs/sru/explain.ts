/**
 * The explain record: a ZeeRex 2.0 `<explain>` (http://explain.z3950.org/dtd/2.0/) describing the
 * server, its database, the CQL indexes it searches, the record schemas it returns and its
 * defaults and limits, for the explain response.
 *
 * Follows the ZeeRex 2.0 structure in its order: serverInfo (host, port, database), databaseInfo
 * (titles and descriptions, one per language, Vietnamese primary), indexInfo (context sets, then
 * indexes with `search`/`scan`/`sort` flags and a `map` to their CQL name), schemaInfo, configInfo
 * (`default numberOfRecords`, `setting maximumRecords`, `default retrieveSchema`, `supports sort`).
 */
import { ZEEREX_NS, xmlAttr, xmlText } from './writer.js';

export interface ExplainText {
  vi: string;
  en: string;
}

export interface ExplainIndex {
  /** The context set's short name (`dc`, `bath`, `cql`…). */
  set: string;
  name: string;
  title: string | ExplainText;
}

export interface ExplainInput {
  host: string;
  port: number;
  /** The path of the SRU endpoint, without the leading slash (`sru`). */
  database: string;
  title: ExplainText;
  description: ExplainText;
  indexes: readonly ExplainIndex[];
  schemas: readonly { name: string; uri: string; title: string }[];
  defaults: { numberOfRecords: number; maximumRecords: number; schema: string };
  contextSets: readonly { name: string; identifier: string }[];
  supportsScan: boolean;
  supportsSort: boolean;
  /** The SRU version named in serverInfo (default 1.2, which 2.0 servers also speak). */
  protocolVersion?: '1.2' | '2.0';
}

/** The context sets our indexes come from. */
export const DEFAULT_CONTEXT_SETS: ExplainInput['contextSets'] = [
  { name: 'cql', identifier: 'info:srw/cql-context-set/1/cql-v1.2' },
  { name: 'dc', identifier: 'info:srw/cql-context-set/1/dc-v1.1' },
  { name: 'bath', identifier: 'http://zing.z3950.org/cql/bath/2.0/' },
];

/** The indexes a Liên Thông catalogue searches; the integrator may advertise fewer. */
export const DEFAULT_EXPLAIN_INDEXES: readonly ExplainIndex[] = [
  { set: 'cql', name: 'serverChoice', title: { en: 'Any field (server choice)', vi: 'Mọi trường (máy chủ chọn)' } },
  { set: 'cql', name: 'allRecords', title: { en: 'All records', vi: 'Tất cả biểu ghi' } },
  { set: 'dc', name: 'title', title: { en: 'Title', vi: 'Nhan đề' } },
  { set: 'dc', name: 'creator', title: { en: 'Author', vi: 'Tác giả' } },
  { set: 'dc', name: 'subject', title: { en: 'Subject', vi: 'Chủ đề' } },
  { set: 'dc', name: 'publisher', title: { en: 'Publisher', vi: 'Nhà xuất bản' } },
  { set: 'dc', name: 'date', title: { en: 'Date of publication', vi: 'Năm xuất bản' } },
  { set: 'dc', name: 'identifier', title: { en: 'Identifier (ISBN, ISSN, control number)', vi: 'Định danh (ISBN, ISSN, số kiểm soát)' } },
  { set: 'bath', name: 'isbn', title: { en: 'ISBN', vi: 'ISBN' } },
  { set: 'bath', name: 'issn', title: { en: 'ISSN', vi: 'ISSN' } },
  { set: 'bath', name: 'title', title: { en: 'Title', vi: 'Nhan đề' } },
  { set: 'bath', name: 'author', title: { en: 'Author', vi: 'Tác giả' } },
  { set: 'bath', name: 'subject', title: { en: 'Subject', vi: 'Chủ đề' } },
  { set: 'bath', name: 'any', title: { en: 'Any field', vi: 'Mọi trường' } },
];

/** Thrown for an explain description that cannot be right (a configuration mistake). */
export class ExplainConfigError extends Error {
  override name = 'ExplainConfigError';
}

/**
 * The ZeeRex record, as one `<explain>` element declaring its namespace (no XML declaration), ready
 * for `explainResponse`. Throws `ExplainConfigError` for an empty host, a port outside 1–65535, an
 * index whose context set is not listed, or a default schema that is not offered.
 */
export function explainRecord(input: ExplainInput): string {
  const problems: string[] = [];
  if (input.host.trim() === '') problems.push('the host is empty');
  if (!Number.isInteger(input.port) || input.port < 1 || input.port > 65535) problems.push(`the port ${input.port} is not between 1 and 65535`);
  const sets = new Set(input.contextSets.map((s) => s.name));
  for (const ix of input.indexes) if (!sets.has(ix.set)) problems.push(`the index ${ix.set}.${ix.name} names a context set that is not listed`);
  if (!input.schemas.some((s) => s.name === input.defaults.schema || s.uri === input.defaults.schema)) {
    problems.push(`the default schema ${input.defaults.schema} is not among the schemas`);
  }
  for (const [what, n] of [['numberOfRecords', input.defaults.numberOfRecords], ['maximumRecords', input.defaults.maximumRecords]] as const) {
    if (!Number.isSafeInteger(n) || n < 0) problems.push(`the default ${what} ${n} is not a whole number`);
  }
  if (problems.length > 0) throw new ExplainConfigError(`explain record: ${problems.join('; ')}`);

  const yn = (b: boolean) => (b ? 'true' : 'false');
  const texts = (tag: string, t: ExplainText) =>
    `    <${tag} lang="vi" primary="true">${xmlText(t.vi)}</${tag}>\n    <${tag} lang="en">${xmlText(t.en)}</${tag}>\n`;

  let out = `<explain xmlns="${ZEEREX_NS}" authoritative="true">\n`;
  out += `  <serverInfo protocol="SRU" version="${input.protocolVersion ?? '1.2'}" transport="http" method="GET">\n`;
  out += `    <host>${xmlText(input.host)}</host>\n    <port>${input.port}</port>\n    <database>${xmlText(input.database)}</database>\n  </serverInfo>\n`;
  out += `  <databaseInfo>\n${texts('title', input.title)}${texts('description', input.description)}  </databaseInfo>\n`;
  out += '  <indexInfo>\n';
  for (const s of input.contextSets) out += `    <set name="${xmlAttr(s.name)}" identifier="${xmlAttr(s.identifier)}"/>\n`;
  for (const ix of input.indexes) {
    const title = typeof ix.title === 'string' ? { vi: ix.title, en: ix.title } : ix.title;
    out += `    <index search="true" scan="${yn(input.supportsScan)}" sort="${yn(input.supportsSort)}">\n`;
    out += `      <title lang="vi" primary="true">${xmlText(title.vi)}</title>\n      <title lang="en">${xmlText(title.en)}</title>\n`;
    out += `      <map><name set="${xmlAttr(ix.set)}">${xmlText(ix.name)}</name></map>\n    </index>\n`;
  }
  out += '  </indexInfo>\n  <schemaInfo>\n';
  for (const s of input.schemas) {
    out += `    <schema identifier="${xmlAttr(s.uri)}" name="${xmlAttr(s.name)}" retrieve="true" sort="false">\n`;
    out += `      <title>${xmlText(s.title)}</title>\n    </schema>\n`;
  }
  out += '  </schemaInfo>\n  <configInfo>\n';
  out += `    <default type="numberOfRecords">${input.defaults.numberOfRecords}</default>\n`;
  out += `    <default type="retrieveSchema">${xmlText(input.defaults.schema)}</default>\n`;
  out += `    <setting type="maximumRecords">${input.defaults.maximumRecords}</setting>\n`;
  if (input.supportsSort) out += '    <supports type="sort"/>\n';
  out += '  </configInfo>\n</explain>';
  return out;
}
