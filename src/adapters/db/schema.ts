/**
 * Table types for Kysely. Timestamps are ISO 8601 strings in SQLite and `timestamptz` in
 * PostgreSQL (returned as `Date`); repositories turn both into ISO strings with `toIso`.
 * Flags are integers 0/1 on both, since better-sqlite3 cannot bind booleans.
 */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<string | Date, string, string>;
type NullableTimestamp = ColumnType<string | Date | null, string | null, string | null>;

export interface OrgUnitsTable {
  id: Generated<number>;
  code: string;
  slug: string;
  name_vi: string;
  name_en: string;
  type_code: string;
  parent_id: number | null;
  path: string;
  depth: number;
  status: string;
  merged_into_id: number | null;
  opened_on: string;
  ended_on: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  opening_hours: string | null;
  latitude: number | null;
  longitude: number | null;
  description_vi: string | null;
  description_en: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface OrgEventsTable {
  id: Generated<number>;
  unit_id: number;
  kind: string;
  effective_date: string;
  data: string;
  note: string | null;
  actor_id: number | null;
  recorded_at: Timestamp;
}

export interface LibraryGroupsTable {
  id: Generated<number>;
  code: string;
  name_vi: string;
  name_en: string;
  description: string | null;
  created_at: Timestamp;
}

export interface LibraryGroupMembersTable {
  group_id: number;
  unit_id: number;
}

export interface UnitSettingsTable {
  unit_id: number;
  key: string;
  value: string;
  updated_at: Timestamp;
}

export interface RolesTable {
  id: Generated<number>;
  code: string;
  name_vi: string;
  name_en: string;
  builtin: number;
}

export interface RolePermissionsTable {
  role_id: number;
  permission: string;
}

export interface StaffUsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  email: string | null;
  password_hash: string;
  home_unit_id: number | null;
  status: string;
  locale: string | null;
  failed_logins: Generated<number>;
  locked_until: NullableTimestamp;
  password_changed_at: Timestamp;
  last_login_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface GrantsTable {
  id: Generated<number>;
  user_id: number;
  role_id: number;
  unit_id: number;
  scope: string;
  created_at: Timestamp;
  created_by: number | null;
}

export interface SessionsTable {
  id: string;
  user_id: number;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  token_prefix: string;
  role_id: number;
  unit_id: number;
  scope: string;
  created_at: Timestamp;
  expires_at: NullableTimestamp;
  last_used_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Timestamp;
  actor_id: number | null;
  actor_label: string;
  action: string;
  unit_id: number | null;
  target_type: string;
  target_id: string | null;
  before: string | null;
  after: string | null;
  request_id: string | null;
  ip: string | null;
}

export interface BibRecordsTable {
  id: Generated<number>;
  marc: string;
  title: string;
  sort_title: string;
  responsibility: string | null;
  main_author: string | null;
  publisher: string | null;
  year: number | null;
  language: string | null;
  material_type: string;
  call_number: string | null;
  control_number: string | null;
  control_source: string | null;
  owner_unit_id: number;
  status: string;
  source: string;
  version: Generated<number>;
  created_by: number | null;
  updated_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  deleted_at: NullableTimestamp;
  replaced_by_id: number | null;
}

export interface BibIdentifiersTable {
  kind: string;
  value: string;
  record_id: number;
}

export interface ItemsTable {
  id: Generated<number>;
  record_id: number;
  barcode: string;
  owner_unit_id: number;
  location_unit_id: number;
  shelving_location: string | null;
  call_number: string | null;
  call_scheme: string | null;
  shelf_key: string | null;
  item_type: string | null;
  status: string;
  price: number | null;
  currency: string | null;
  acquired_on: string | null;
  copy_number: string | null;
  public_note: string | null;
  staff_note: string | null;
  source: string;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  withdrawn_at: NullableTimestamp;
}

export interface JobsTable {
  id: Generated<number>;
  kind: string;
  status: string;
  unit_id: number | null;
  created_by: number | null;
  actor_label: string;
  params: string;
  dedupe_key: string | null;
  checkpoint: Generated<number>;
  /** `bigint`: PostgreSQL returns it as a string. */
  progress_done: ColumnType<number | string, number | undefined, number>;
  progress_total: ColumnType<number | string | null, number | null, number | null>;
  summary: string | null;
  error: string | null;
  attempts: Generated<number>;
  lease_owner: string | null;
  lease_until: NullableTimestamp;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  updated_at: Timestamp;
  max_attempts: Generated<number>;
  timeout_ms: number | null;
  run_after: NullableTimestamp;
}

export interface ImportResultsTable {
  job_id: number;
  seq: number;
  outcome: string;
  record_id: number | null;
  matched_on: string | null;
  title: string | null;
  items_added: Generated<number>;
  problems: string | null;
}

export interface Database {
  org_units: OrgUnitsTable;
  org_events: OrgEventsTable;
  library_groups: LibraryGroupsTable;
  library_group_members: LibraryGroupMembersTable;
  unit_settings: UnitSettingsTable;
  roles: RolesTable;
  role_permissions: RolePermissionsTable;
  staff_users: StaffUsersTable;
  grants: GrantsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  bib_records: BibRecordsTable;
  bib_identifiers: BibIdentifiersTable;
  items: ItemsTable;
  jobs: JobsTable;
  import_results: ImportResultsTable;
  blobs: BlobsTable;
  digital_objects: DigitalObjectsTable;
  digital_files: DigitalFilesTable;
  digital_pages: DigitalPagesTable;
  digital_collections: DigitalCollectionsTable;
  digital_object_collections: DigitalObjectCollectionsTable;
  digital_targets: DigitalTargetsTable;
  ingest_results: IngestResultsTable;
  readers: ReadersTable;
  reader_card_counters: ReaderCardCountersTable;
  reader_sessions: ReaderSessionsTable;
  reader_lists: ReaderListsTable;
  reader_list_items: ReaderListItemsTable;
  reader_searches: ReaderSearchesTable;
  site_settings: SiteSettingsTable;
  site_images: SiteImagesTable;
  site_posts: SitePostsTable;
  harvest_sources: HarvestSourcesTable;
  harvest_runs: HarvestRunsTable;
  harvest_errors: HarvestErrorsTable;
  harvested_records: HarvestedRecordsTable;
  sru_targets: SruTargetsTable;
}

type BigIntColumn = ColumnType<number | string, number, number>;

export interface BlobsTable {
  sha256: string;
  size: BigIntColumn;
  media_type: string;
  created_at: Timestamp;
  checked_at: NullableTimestamp;
  check_status: string | null;
  check_detail: string | null;
}

export interface DigitalObjectsTable {
  id: Generated<number>;
  record_id: number | null;
  owner_unit_id: number;
  title: string;
  title_key: Generated<string>;
  dc: string;
  category: string;
  access: string;
  embargo_until: string | null;
  licence: string;
  downloadable: number;
  watermark: number;
  ocr_languages: string;
  force_ocr: number;
  state: string;
  state_reason: string | null;
  assignee_id: number | null;
  page_count: Generated<number>;
  text_pages: Generated<number>;
  processing: Generated<string>;
  processing_error: string | null;
  status: Generated<string>;
  source: string;
  version: Generated<number>;
  created_by: number | null;
  updated_by: number | null;
  created_at: Timestamp;
  updated_at: Timestamp;
  published_at: NullableTimestamp;
  deleted_at: NullableTimestamp;
}

export interface DigitalFilesTable {
  id: Generated<number>;
  object_id: number;
  seq: number;
  sha256: string;
  size: BigIntColumn;
  media_type: string;
  name: string;
  pages: number;
  created_at: Timestamp;
}

export interface DigitalPagesTable {
  id: Generated<number>;
  object_id: number;
  seq: number;
  file_id: number;
  file_page: number;
  label: string | null;
  width: number | null;
  height: number | null;
  pyramid_sha256: string | null;
  text: string | null;
  words: string | null;
  text_source: string | null;
  confidence: number | null;
  engine: string | null;
  text_at: NullableTimestamp;
}

export interface DigitalCollectionsTable {
  id: Generated<number>;
  owner_unit_id: number;
  code: string;
  name_vi: string;
  name_en: string;
  description: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface DigitalObjectCollectionsTable {
  collection_id: number;
  object_id: number;
}

export interface DigitalTargetsTable {
  unit_id: number;
  category: string;
  held: number;
  updated_at: Timestamp;
}

export interface IngestResultsTable {
  job_id: number;
  seq: number;
  outcome: string;
  object_id: number | null;
  label: string | null;
  problems: string | null;
}

export interface ReadersTable {
  id: Generated<number>;
  name: string;
  name_key: string;
  email: string;
  phone: string | null;
  birth_year: number | null;
  home_unit_id: number;
  status: string;
  status_reason: string | null;
  card_number: string | null;
  card_unit_id: number | null;
  card_issued_at: NullableTimestamp;
  approved_by: number | null;
  locale: string | null;
  history_enabled: Generated<number>;
  password_hash: string;
  failed_logins: Generated<number>;
  locked_until: NullableTimestamp;
  last_login_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReaderCardCountersTable {
  unit_id: number;
  last_seq: number;
}

export interface ReaderSessionsTable {
  id: string;
  reader_id: number;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
}

export interface ReaderListsTable {
  id: Generated<number>;
  reader_id: number;
  name: string;
  name_key: string;
  is_public: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface ReaderListItemsTable {
  list_id: number;
  record_id: number;
  note: string | null;
  added_at: Timestamp;
}

export interface ReaderSearchesTable {
  id: Generated<number>;
  reader_id: number;
  query: string;
  params: string;
  result_count: number | null;
  at: Timestamp;
}

/** A library's website: published or not, and its branding (006-sites). */
export interface SiteSettingsTable {
  unit_id: number;
  published: number;
  published_at: NullableTimestamp;
  accent_color: string | null;
  logo_image_id: number | null;
  banner_image_id: number | null;
  intro_vi: string | null;
  intro_en: string | null;
  version: Generated<number>;
  updated_at: Timestamp;
  updated_by: number | null;
}

/** An image uploaded to a library's website; `variants` is JSON (see SiteImage in app/ports.ts). */
export interface SiteImagesTable {
  id: Generated<number>;
  unit_id: number;
  sha256: string;
  media_type: string;
  size: BigIntColumn;
  width: number;
  height: number;
  name: string;
  variants: string;
  created_at: Timestamp;
  created_by: number | null;
}

export interface SitePostsTable {
  id: Generated<number>;
  unit_id: number;
  kind: string;
  title: string;
  body: string;
  lead_image_id: number | null;
  starts_at: NullableTimestamp;
  ends_at: NullableTimestamp;
  place: string | null;
  state: string;
  published_at: NullableTimestamp;
  author_id: number | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
  updated_by: number | null;
}

export interface HarvestSourcesTable {
  id: Generated<number>;
  code: string;
  name: string;
  base_url: string;
  set_spec: string | null;
  metadata_prefix: string;
  target: string;
  unit_id: number;
  interval_hours: number | null;
  enabled: Generated<number>;
  harvested_until: string | null;
  next_run_at: NullableTimestamp;
  last_status: string | null;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface HarvestRunsTable {
  id: Generated<number>;
  source_id: number;
  job_id: number | null;
  status: string;
  from_stamp: string | null;
  response_date: string | null;
  resumption_token: string | null;
  pages: Generated<number>;
  added: Generated<number>;
  updated: Generated<number>;
  deleted: Generated<number>;
  failed: Generated<number>;
  message: string | null;
  started_at: Timestamp;
  finished_at: NullableTimestamp;
}

export interface HarvestErrorsTable {
  id: Generated<number>;
  run_id: number;
  identifier: string | null;
  message: string;
  created_at: Timestamp;
}

export interface HarvestedRecordsTable {
  source_id: number;
  identifier: string;
  record_id: number | null;
  object_id: number | null;
  datestamp: string;
  deleted: Generated<number>;
  updated_at: Timestamp;
}

export interface SruTargetsTable {
  id: Generated<number>;
  name: string;
  base_url: string;
  sru_version: string;
  record_schema: string;
  enabled: Generated<number>;
  version: Generated<number>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export type Dialect = 'sqlite' | 'postgres';

/** ISO 8601 string from what either driver returns for a timestamp column. */
export function toIso(v: string | Date): string;
export function toIso(v: string | Date | null): string | null;
export function toIso(v: string | Date | null): string | null {
  if (v === null) return null;
  return v instanceof Date ? v.toISOString() : v;
}
