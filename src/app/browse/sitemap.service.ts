/**
 * What the sitemaps list: every live catalogue record, the published digital objects anyone may
 * read, the libraries' pages and the digital collections. Large sets are split into sitemaps of
 * at most `limit` URLs by id range (sitemap n holds ids n × limit … (n + 1) × limit − 1), so any
 * one of them is answered by a keyset walk over its range, streamed in slices, and the index
 * lists only ranges that hold something.
 */
import type { Clock, RecordStamp, Store, StoredDigitalObject } from '../ports.js';
import { decideAccess } from '../../domain/digital/rights.js';
import { rightsOf } from '../digital/digital.service.js';

/** Rows read per query while streaming a sitemap. */
const SLICE = 5000;

export interface PageStamps {
  /** Slugs of open libraries (`/l/<slug>`) with their last change. */
  libraries: { slug: string; updatedAt: string }[];
  /** Digital collections (`/digital/collections/<code>`). */
  collections: { code: string; updatedAt: string }[];
}

const ANONYMOUS = { staff: false, registered: false, onsite: false };

export class SitemapService {
  readonly #store: Store;
  readonly #clock: Clock;

  constructor(deps: { store: Store; clock: Clock }) {
    this.#store = deps.store;
    this.#clock = deps.clock;
  }

  /** Whether anyone, signed in or not, may open the object's reader. */
  #public(o: StoredDigitalObject, today: string): boolean {
    return o.status === 'active' && decideAccess(rightsOf(o), ANONYMOUS, today).view;
  }

  /** The record sitemaps that hold at least one record. */
  recordSitemaps(limit: number): Promise<number[]> {
    return this.#store.search.recordBuckets(limit);
  }

  /** The records of sitemap n, in id order, a slice at a time. */
  async *records(n: number, limit: number): AsyncGenerator<RecordStamp[]> {
    const fromId = n * limit;
    const toId = (n + 1) * limit;
    let afterId = fromId - 1;
    for (;;) {
      const rows = await this.#store.search.recordStamps({ fromId, toId, afterId, limit: SLICE });
      if (rows.length > 0) yield rows;
      if (rows.length < SLICE) return;
      afterId = rows[rows.length - 1]!.id;
    }
  }

  /** Published objects anyone may read, newest first, below an id, a slice at a time. */
  async *#publicObjects(beforeId: number | undefined, stopBelow: number): AsyncGenerator<StoredDigitalObject[]> {
    const today = this.#clock.now().toISOString().slice(0, 10);
    let before = beforeId;
    for (;;) {
      const rows = await this.#store.digital.listObjects({ states: ['published'], limit: 500, ...(before !== undefined ? { beforeId: before } : {}) });
      const inRange = rows.filter((o) => o.id >= stopBelow);
      const open = inRange.filter((o) => this.#public(o, today));
      if (open.length > 0) yield open;
      if (rows.length < 500 || inRange.length < rows.length) return;
      before = rows[rows.length - 1]!.id;
    }
  }

  /** The digital-object sitemaps that hold at least one object anyone may read. */
  async digitalSitemaps(limit: number): Promise<number[]> {
    const out = new Set<number>();
    for await (const slice of this.#publicObjects(undefined, 0)) for (const o of slice) out.add(Math.floor(o.id / limit));
    return [...out].sort((a, b) => a - b);
  }

  /** The objects of digital sitemap n, a slice at a time (newest first). */
  async *digitalObjects(n: number, limit: number): AsyncGenerator<RecordStamp[]> {
    for await (const slice of this.#publicObjects((n + 1) * limit, n * limit)) yield slice.map((o) => ({ id: o.id, updatedAt: o.updatedAt }));
  }

  /** Libraries and digital collections for the sitemap of pages. */
  async pages(): Promise<PageStamps> {
    const units = await this.#store.org.list({ activeOnly: true });
    const collections = await this.#store.digital.listCollections({});
    return {
      libraries: units.filter((u) => u.slug).map((u) => ({ slug: u.slug, updatedAt: u.updatedAt })),
      collections: collections.map((c) => ({ code: c.code, updatedAt: c.updatedAt })),
    };
  }
}
