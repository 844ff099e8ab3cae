/**
 * Ports of the OAI-PMH harvester: the repository of harvest sources, their runs, the records a run
 * could not take, and which local record each remote identifier became
 * (`adapters/db/repositories/harvest.repository.ts`, tables of migration `008-interop`).
 *
 * Timestamps are ISO strings (as `toIso` gives them); remote datestamps (`harvestedUntil`,
 * `datestamp`, `responseDate`) are kept exactly as the remote repository wrote them.
 */

/** Where harvested records land: the union catalogue, or (DSpace and the like) as links to remote digital items. */
export type HarvestTarget = 'catalog' | 'digital';
export const HARVEST_TARGETS: readonly HarvestTarget[] = ['catalog', 'digital'];

export type HarvestRunStatus = 'running' | 'done' | 'failed';

/** What staff set on a source. */
export interface HarvestSourceFields {
  /** Short unique code (`DSPACE-DHKG`), used on the command line. */
  code: string;
  name: string;
  /** The repository's OAI-PMH base URL (no query string). */
  baseUrl: string;
  /** Harvest only this set (null: the whole repository). */
  setSpec: string | null;
  metadataPrefix: string;
  target: HarvestTarget;
  /** The library that owns the harvested records. */
  unitId: number;
  /** Hours between scheduled harvests; null: by hand only. */
  intervalHours: number | null;
  enabled: boolean;
}

export interface HarvestSource extends HarvestSourceFields {
  id: number;
  /** The remote `responseDate` of the first response of the last complete harvest: the next one asks `from` it. */
  harvestedUntil: string | null;
  nextRunAt: string | null;
  /** `done` or `failed` after the last run; null before the first. */
  lastStatus: HarvestRunStatus | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** What a run counts, saved after every page. */
export interface HarvestCounts {
  pages: number;
  added: number;
  updated: number;
  deleted: number;
  failed: number;
}

export interface HarvestRun extends HarvestCounts {
  id: number;
  sourceId: number;
  jobId: number | null;
  status: HarvestRunStatus;
  /** The `from` argument the run started with (null: everything). */
  fromStamp: string | null;
  /** The remote `responseDate` of the run's first page. */
  responseDate: string | null;
  /** The token of the next page to ask for; a failed run continues from it. */
  resumptionToken: string | null;
  /** Why the run failed (JSON `{ code, detail }`, see `HarvestFailure`). */
  message: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** A record a run could not take; `message` is JSON (`{ code, detail?, rules? }`, see `RecordProblem`). */
export interface HarvestErrorRow {
  id: number;
  runId: number;
  identifier: string | null;
  message: string;
  createdAt: string;
}

/** Which local record a remote identifier became. */
export interface HarvestedRecord {
  sourceId: number;
  identifier: string;
  recordId: number | null;
  objectId: number | null;
  /** The remote datestamp of the version applied: the same datestamp again is skipped. */
  datestamp: string;
  /** The remote record was deleted (and the local one with it). */
  deleted: boolean;
  updatedAt: string;
}

export interface HarvestRepository {
  // -- sources
  insertSource(s: HarvestSourceFields & { nextRunAt: string | null }, now: string): Promise<HarvestSource>;
  /**
   * Changes a source if `version` matches; bumps the version. `resetProgress` forgets
   * `harvestedUntil` (the next harvest takes everything). False when the version is stale.
   */
  updateSource(id: number, s: HarvestSourceFields & { nextRunAt: string | null; resetProgress: boolean }, version: number, now: string): Promise<boolean>;
  /** Removes a source with its runs, errors and mapping rows (the records it created stay). */
  deleteSource(id: number): Promise<void>;
  getSource(id: number): Promise<HarvestSource | undefined>;
  getSourceByCode(code: string): Promise<HarvestSource | undefined>;
  /** Sources owned by these units (all when undefined), by code. */
  listSources(f?: { unitIds?: readonly number[] }): Promise<HarvestSource[]>;
  /** Enabled sources with a schedule whose next run is due at `now` (or never set), soonest first. */
  dueSources(now: string, limit: number): Promise<HarvestSource[]>;
  /** Records the outcome of a run on its source (and, on success, how far it got). */
  finishSource(id: number, p: { lastStatus: HarvestRunStatus; harvestedUntil?: string; nextRunAt: string | null }, now: string): Promise<void>;
  setNextRun(id: number, nextRunAt: string | null): Promise<void>;

  // -- runs
  insertRun(r: { sourceId: number; jobId: number | null; fromStamp: string | null }, now: string): Promise<HarvestRun>;
  getRun(id: number): Promise<HarvestRun | undefined>;
  /** The newest run of a source. */
  latestRun(sourceId: number): Promise<HarvestRun | undefined>;
  /** The newest run of each of these sources. */
  latestRuns(sourceIds: readonly number[]): Promise<Map<number, HarvestRun>>;
  /** Runs of a source, newest first, below `beforeId`. */
  runsOf(sourceId: number, f: { limit: number; beforeId?: number }): Promise<HarvestRun[]>;
  updateRun(id: number, patch: Partial<HarvestCounts> & { status?: HarvestRunStatus; jobId?: number | null; fromStamp?: string | null; responseDate?: string | null; resumptionToken?: string | null; message?: string | null; finishedAt?: string | null }): Promise<void>;

  // -- per-record errors
  addError(e: { runId: number; identifier: string | null; message: string }, now: string): Promise<void>;
  /** A run's errors in order, after `afterId`. */
  errorsOf(runId: number, f: { limit: number; afterId?: number }): Promise<HarvestErrorRow[]>;
  countErrors(runId: number): Promise<number>;

  // -- identifier → local record
  getHarvested(sourceId: number, identifier: string): Promise<HarvestedRecord | undefined>;
  /** Inserts or replaces the row of (source, identifier). */
  putHarvested(r: Omit<HarvestedRecord, 'updatedAt'>, now: string): Promise<void>;
  /** How many remote records of a source are live here, and how many were deleted. */
  countHarvested(sourceId: number): Promise<{ live: number; deleted: number }>;
}

// -------------------------------------------------------------------------------- HTTP

/** What one HTTP GET answered: the status, a header, and the body as it arrives. */
export interface HttpResponse {
  status: number;
  header(name: string): string | null;
  body: AsyncIterable<Uint8Array>;
  /** Stops reading the body (the rest is not wanted). */
  cancel(): Promise<void>;
}

/**
 * One HTTP GET. The remote repository is outside the platform: the service gets this injected
 * (global `fetch` by default), so a deployment may put a proxy or an allow-list in front of it.
 * Aborting `signal` must stop the request and the body.
 */
export type HttpGet = (url: string, init: { signal: AbortSignal; headers: Record<string, string> }) => Promise<HttpResponse>;
