/**
 * SRU (Search/Retrieve via URL) 1.2 and 2.0, without I/O: request parsing and diagnostics for our
 * server, the response writers and the ZeeRex explain record, and the reader and URL builder for
 * searching other servers.
 */
export { SRU_DIAGNOSTICS, SRU_DIAGNOSTIC_PREFIX, diagnosticCodeOf, isSruDiagnosticCode, sruDiagnostic, type SruDiagnostic, type SruDiagnosticCode } from './diagnostics.js';
export {
  SRU_RECORD_SCHEMAS,
  parseSruRequest,
  resolveRecordSchema,
  type SruEscaping,
  type SruExplainRequest,
  type SruOperation,
  type SruParseResult,
  type SruRecordSchema,
  type SruRequest,
  type SruRequestOptions,
  type SruScanRequest,
  type SruSearchRetrieveRequest,
  type SruVersion,
} from './request.js';
export {
  DC_ELEMENTS_NS,
  SRU_DIAGNOSTIC_NS,
  SRU_DIAGNOSTIC_SCHEMA,
  SRU_MEDIA_TYPE,
  SRU_NS,
  SRU_SCAN_NS,
  SRW_DC_ELEMENTS,
  SRW_DC_NS,
  SRW_DC_SCHEMA,
  ZEEREX_NS,
  diagnosticsOnly,
  explainResponse,
  joinChunks,
  scanResponse,
  searchRetrieveResponse,
  searchRetrieveResponseStream,
  srwDc,
  type ScanResponseInput,
  type SearchRetrieveResponseInput,
  type SruLang,
  type SruRecordOut,
  type SruTermOut,
  type SrwDublinCore,
} from './writer.js';
export { DEFAULT_CONTEXT_SETS, DEFAULT_EXPLAIN_INDEXES, ExplainConfigError, explainRecord, type ExplainIndex, type ExplainInput, type ExplainText } from './explain.js';
export { buildSearchUrl, readSruResponse, type SruReadDiagnostic, type SruReadRecord, type SruReadResult, type SruSearchUrlOptions } from './reader.js';
