/**
 * Ports of copy cataloguing: the list of remote SRU catalogues staff search
 * (`adapters/db/repositories/sru-target.repository.ts`), and the fetcher that asks one of them over
 * HTTP. The remote library is outside the platform: the fetcher is injected, so tests point it at a
 * real local server and a deployment could put a proxy or an allow-list in front of it.
 */

/** SRU versions a target may speak (`1.1` for older servers such as the Library of Congress's). */
export const SRU_VERSIONS = ['1.1', '1.2', '2.0'] as const;
export type SruTargetVersion = (typeof SRU_VERSIONS)[number];

export function isSruVersion(s: string): s is SruTargetVersion {
  return (SRU_VERSIONS as readonly string[]).includes(s);
}

/** A remote catalogue staff may copy records from. */
export interface SruTarget {
  id: number;
  name: string;
  /** The SRU base URL, http or https, without credentials. */
  baseUrl: string;
  sruVersion: SruTargetVersion;
  /** What to ask for in `recordSchema` (`marcxml`, `dc`, or the server's own name or URI). */
  recordSchema: string;
  enabled: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface SruTargetFields {
  name: string;
  baseUrl: string;
  sruVersion: SruTargetVersion;
  recordSchema: string;
  enabled: boolean;
}

/** The `sru_targets` table. */
export interface SruTargetRepository {
  /** Every target, enabled or not, by name then id. */
  list(): Promise<SruTarget[]>;
  get(id: number): Promise<SruTarget | undefined>;
  insert(t: SruTargetFields, now: string): Promise<SruTarget>;
  /** Replaces a target's fields if `version` still matches (bumping it); false otherwise. */
  update(id: number, t: SruTargetFields, version: number, now: string): Promise<boolean>;
  /** Deletes a target if `version` still matches; false otherwise. */
  delete(id: number, version: number): Promise<boolean>;
}

/** What a remote server answered, as far as the fetcher read it. */
export interface RemoteResponse {
  status: number;
  /** The `Content-Type` header, if any. */
  contentType: string | null;
  /** The body as text (decoded from the charset the response declares, UTF-8 by default). */
  body: string;
}

/** Why a fetch gave no response to read. */
export type RemoteFetchFailure =
  /** No answer within the time allowed (or the caller gave up). */
  | { kind: 'timeout' }
  /** The body is longer than the limit; reading stopped there. */
  | { kind: 'too-large'; limit: number }
  /** The server could not be reached: name not found, connection refused or reset, TLS failure. */
  | { kind: 'unreachable'; detail: string };

export class RemoteFetchError extends Error {
  readonly failure: RemoteFetchFailure;
  constructor(failure: RemoteFetchFailure) {
    super(failure.kind === 'unreachable' ? `remote unreachable: ${failure.detail}` : `remote ${failure.kind}`);
    this.name = 'RemoteFetchError';
    this.failure = failure;
  }
}

/**
 * Fetches one URL with GET. Resolves with whatever status the server answered; rejects with a
 * {@link RemoteFetchError} when there is no answer to read: no connection, no answer before
 * `signal` aborts, or a body longer than `maxBytes` (reading stops at the limit).
 */
export type RemoteFetch = (url: string, opts: { signal: AbortSignal; maxBytes: number }) => Promise<RemoteResponse>;
