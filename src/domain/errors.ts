/**
 * The one catalogue of error codes. Every error a user or a client can see has a stable code here,
 * an HTTP status, and a message in both languages under `error.<CODE>` in the i18n catalogue.
 * The HTTP layer maps `AppError` to JSON or HTML in one place (`http/plugins/errors.ts`).
 */
export const ERRORS = {
  // generic
  VALIDATION: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INTERNAL: 500,
  PAYLOAD_TOO_LARGE: 413,
  RATE_LIMITED: 429,
  // authentication and authorisation
  AUTH_REQUIRED: 401,
  AUTH_INVALID_CREDENTIALS: 401,
  AUTH_ACCOUNT_LOCKED: 423,
  AUTH_ACCOUNT_DISABLED: 403,
  AUTH_SESSION_EXPIRED: 401,
  AUTH_TOKEN_INVALID: 401,
  AUTH_PASSWORD_WEAK: 400,
  AUTH_PASSWORD_MISMATCH: 400,
  CSRF_INVALID: 403,
  PERMISSION_DENIED: 403,
  // org tree
  ORG_UNIT_NOT_FOUND: 404,
  ORG_CODE_TAKEN: 409,
  ORG_SLUG_TAKEN: 409,
  ORG_CODE_INVALID: 400,
  ORG_SLUG_INVALID: 400,
  ORG_TYPE_UNKNOWN: 400,
  ORG_PARENT_REQUIRED: 400,
  ORG_PARENT_CLOSED: 409,
  ORG_MOVE_CYCLE: 409,
  ORG_MERGE_SELF: 409,
  ORG_MERGE_TARGET_CLOSED: 409,
  ORG_MERGE_INTO_DESCENDANT: 409,
  ORG_UNIT_CLOSED: 409,
  ORG_CLOSE_HAS_CHILDREN: 409,
  ORG_ROOT_IMMUTABLE: 409,
  ORG_EVENT_BEFORE_CREATION: 409,
  ORG_EVENT_IN_FUTURE: 400,
  ORG_DATE_INVALID: 400,
  ORG_STALE_VERSION: 409,
  ORG_IMPORT_INVALID: 400,
  ORG_IMPORT_SYNTAX: 400,
  ORG_IMPORT_ENCODING: 400,
  ORG_IMPORT_FIELD_COUNT: 400,
  ORG_IMPORT_NOT_TREE: 400,
  ORG_IMPORT_COLUMN_UNKNOWN: 400,
  ORG_IMPORT_COLUMN_DUPLICATE: 400,
  ORG_IMPORT_COLUMN_MISSING: 400,
  ORG_IMPORT_DUPLICATE: 400,
  ORG_IMPORT_PARENT_CYCLE: 400,
  ORG_IMPORT_PARENT_INVALID: 400,
  ORG_IMPORT_STRUCTURAL: 400,
  ORG_SETTING_UNKNOWN: 400,
  ORG_SETTING_INVALID: 400,
  ORG_GROUP_CODE_TAKEN: 409,
  ORG_GROUP_NOT_FOUND: 404,
  // staff
  STAFF_USER_NOT_FOUND: 404,
  STAFF_USERNAME_TAKEN: 409,
  STAFF_USERNAME_INVALID: 400,
  STAFF_ROLE_NOT_FOUND: 404,
  STAFF_GRANT_NOT_FOUND: 404,
  STAFF_GRANT_EXISTS: 409,
  STAFF_GRANT_EXCEEDS_OWN: 403,
  STAFF_SCOPE_INVALID: 400,
  STAFF_CANNOT_DISABLE_SELF: 409,
  STAFF_TOKEN_NOT_FOUND: 404,
  CATALOG_RECORD_NOT_FOUND: 404,
  CATALOG_RECORD_DELETED: 410,
  CATALOG_RECORD_INVALID: 400,
  CATALOG_RECORD_DUPLICATE: 409,
  CATALOG_STALE_VERSION: 409,
  CATALOG_RECORD_HAS_ITEMS: 409,
  CATALOG_MARC_UNREADABLE: 400,
  CATALOG_ITEM_NOT_FOUND: 404,
  CATALOG_ITEM_INVALID: 400,
  CATALOG_BARCODE_TAKEN: 409,
  CATALOG_IMPORT_DONE: 409,
  CATALOG_IMPORT_FORMAT: 400,
  CATALOG_IMPORT_TOO_LARGE: 413,
  CATALOG_IMPORT_EMPTY: 400,
  CATALOG_IMPORT_POLICY: 400,
  CATALOG_EXPORT_FORMAT: 400,
  JOB_NOT_FOUND: 404,
  JOB_NOT_CANCELLABLE: 409,
  JOB_BUSY: 409,
  // digital library
  DIGITAL_OBJECT_NOT_FOUND: 404,
  DIGITAL_OBJECT_DELETED: 410,
  DIGITAL_STALE_VERSION: 409,
  DIGITAL_INVALID: 400,
  DIGITAL_TRANSITION: 409,
  DIGITAL_PAGE_NOT_FOUND: 404,
  DIGITAL_FILE_NOT_FOUND: 404,
  DIGITAL_ACCESS_LOGIN: 401,
  DIGITAL_ACCESS_DENIED: 403,
  DIGITAL_DOWNLOAD_DENIED: 403,
  DIGITAL_COLLECTION_NOT_FOUND: 404,
  DIGITAL_COLLECTION_CODE_TAKEN: 409,
  DIGITAL_PROCESSING_BUSY: 409,
  DIGITAL_UPLOAD_NOT_FOUND: 404,
  DIGITAL_UPLOAD_OFFSET: 409,
  MEDIA_TYPE_UNSUPPORTED: 415,
  MEDIA_CORRUPT: 422,
  MEDIA_TOO_MANY_PIXELS: 413,
  MEDIA_TOO_MANY_PAGES: 413,
  MEDIA_TOO_LARGE: 413,
  MEDIA_TOO_COMPLEX: 422,
  MEDIA_OCR_FAILED: 500,
  IIIF_BAD_REQUEST: 400,
  IIIF_NOT_IMPLEMENTED: 501,
  INGEST_MANIFEST_INVALID: 400,
  INGEST_FOLDER_NOT_FOUND: 400,
  INGEST_DONE: 409,
  BAG_INVALID: 400,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERRORS;

/** Parameters interpolated into the message (`{code}` in the catalogue text). */
export type ErrorParams = Record<string, string | number>;

/**
 * An expected failure with a stable code. Thrown by use cases and domain rules; never carries
 * anything secret in `params`, since they are shown to the user.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly params: ErrorParams;
  /** Per-field or per-row problems, e.g. from a form or a CSV import. */
  readonly details: readonly FieldProblem[] | undefined;
  /** Set once a refusal has been written to the audit log, so it is written only once. */
  audited = false;

  constructor(code: ErrorCode, params: ErrorParams = {}, details?: readonly FieldProblem[]) {
    super(`${code}${Object.keys(params).length ? ' ' + JSON.stringify(params) : ''}`);
    this.name = 'AppError';
    this.code = code;
    this.status = ERRORS[code];
    this.params = params;
    this.details = details;
  }
}

/** One problem with one input field (or one row of a batch). */
export interface FieldProblem {
  field: string;
  code: ErrorCode;
  params?: ErrorParams;
  row?: number;
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
