/**
 * OAI-PMH 2.0 (https://www.openarchives.org/OAI/openarchivesprotocol.html), pure: request
 * validation, datestamps, signed resumption tokens, a streaming response writer for the data
 * provider and a streaming response reader for the harvester. No I/O; the HTTP side lives in
 * `src/http/protocols`, the harvest job in `src/jobs`.
 */
export { formatDatestamp, formatDay, isDatestampError, parseDatestamp, type DatestampError, type Granularity, type OaiDatestamp } from './datestamp.js';
export {
  echoForErrors,
  METADATA_PREFIX,
  OAI_ERROR_CODES,
  OAI_VERBS,
  parseOaiRequest,
  SET_SPEC,
  type OaiError,
  type OaiErrorCode,
  type OaiListResume,
  type OaiListStart,
  type OaiRequest,
  type OaiRequestResult,
  type OaiVerb,
} from './request.js';
export { decodeToken, encodeToken, expirationDate, isTokenError, type TokenError, type TokenSecret, type TokenState, type TokenVerb } from './token.js';
export {
  closeVerb,
  DC_NS,
  errors,
  header,
  identify,
  MARC21_FORMAT,
  MARC21_SCHEMA,
  marc21,
  metadataFormats,
  OAI_DC_FORMAT,
  OAI_DC_NS,
  OAI_DC_SCHEMA,
  OAI_IDENTIFIER_NS,
  OAI_NS,
  OAI_SCHEMA,
  oaiDc,
  openVerb,
  record,
  recordClose,
  recordOpen,
  responseHead,
  responseStream,
  responseTail,
  responseText,
  resumptionToken,
  sets,
  setsList,
  type IdentifyInfo,
  type MetadataFormat,
  type OaiHeader,
  type OaiRecord,
  type OaiSet,
  type ResponseBody,
  type ResponseHead,
  type ResumptionTokenInfo,
  type TimeLike,
} from './writer.js';
export { OaiResponseReader, readOaiResponse, type HarvestedHeader, type OaiItem, type OaiProblem, type OaiReaderOptions } from './reader.js';
