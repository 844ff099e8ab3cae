/**
 * The CQL codec's public API: parse CQL 1.2 (`parseCql`), write XCQL (`toXcql`), and the types of
 * the parsed query and of SRU diagnostics. Mapping a query onto the catalogue search lives in
 * `src/domain/search/cql-map.ts`.
 */
export type {
  CqlBooleanOp,
  CqlDiagnostic,
  CqlModifier,
  CqlNode,
  CqlParseResult,
  CqlPrefix,
  CqlQuery,
  CqlRelation,
  CqlSearchClause,
  CqlSortKey,
  CqlTriple,
} from './ast.js';
export { CQL_DIAGNOSTICS, cqlDiagnostic } from './ast.js';
export { DEFAULT_CQL_MAX_DEPTH, DEFAULT_CQL_MAX_LENGTH, decodeCqlTerm, parseCql, type CqlParseOptions } from './parse.js';
export { toXcql, type XcqlOptions } from './xcql.js';
