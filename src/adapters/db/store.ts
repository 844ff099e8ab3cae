import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { DatabaseHandle } from './database.js';
import type { Repos, SearchIndex, Store } from '../../app/ports.js';
import { SqliteSearchIndex } from '../search/sqlite.js';
import { PostgresSearchIndex } from '../search/postgres.js';
import { KyselyOrgRepository } from './repositories/org.repository.js';
import { KyselyStaffRepository } from './repositories/staff.repository.js';
import { KyselySessionRepository } from './repositories/session.repository.js';
import { KyselyAuditRepository } from './repositories/audit.repository.js';
import { KyselyCatalogRepository } from './repositories/catalog.repository.js';
import { KyselyJobRepository } from './repositories/job.repository.js';
import { KyselyDigitalRepository } from './repositories/digital.repository.js';
import { KyselyReaderRepository } from './repositories/reader.repository.js';
import { KyselySiteRepository } from './repositories/site.repository.js';
import { KyselyOaiRepository } from './repositories/oai.repository.js';
import { KyselySruTargetRepository } from './repositories/sru-target.repository.js';
import { KyselyHarvestRepository } from './repositories/harvest.repository.js';

function searchIndex(handle: DatabaseHandle, db: Kysely<Database>): SearchIndex {
  return handle.dialect === 'postgres' ? new PostgresSearchIndex(db) : new SqliteSearchIndex(db, () => handle.reader ?? handle.sqlite!);
}

function repos(handle: DatabaseHandle, db: Kysely<Database>): Repos {
  const dialect = handle.dialect;
  const search = searchIndex(handle, db);
  return {
    search,
    org: new KyselyOrgRepository(db, search),
    staff: new KyselyStaffRepository(db),
    sessions: new KyselySessionRepository(db),
    audit: new KyselyAuditRepository(db),
    catalog: new KyselyCatalogRepository(db, dialect, search),
    jobs: new KyselyJobRepository(db, dialect),
    digital: new KyselyDigitalRepository(db, dialect),
    readers: new KyselyReaderRepository(db),
    sites: new KyselySiteRepository(db, dialect),
    oai: new KyselyOaiRepository(db, dialect),
    sruTargets: new KyselySruTargetRepository(db),
    harvest: new KyselyHarvestRepository(db, dialect),
  };
}

export interface StoreOptions {
  /**
   * Runs inside every transaction after its work and before it commits: the search indexer
   * rebuilds the documents of the records the transaction touched, so they are searchable the
   * moment it commits.
   */
  beforeCommit?: (tx: Repos) => Promise<void>;
}

/** The `Store` port over a Kysely database: repositories plus transactions. */
export function createStore(handle: DatabaseHandle, opts: StoreOptions = {}): Store {
  const base = repos(handle, handle.db);
  return {
    ...base,
    dialect: handle.dialect,
    transaction: (fn) =>
      handle.db.transaction().execute(async (tx) => {
        const r = repos(handle, tx);
        const out = await fn(r);
        if (opts.beforeCommit) await opts.beforeCommit(r);
        return out;
      }),
    ping: async () => {
      await sql`select 1`.execute(handle.db);
    },
  };
}
