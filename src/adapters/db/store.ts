import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { DatabaseHandle } from './database.js';
import type { Repos, Store } from '../../app/ports.js';
import { KyselyOrgRepository } from './repositories/org.repository.js';
import { KyselyStaffRepository } from './repositories/staff.repository.js';
import { KyselySessionRepository } from './repositories/session.repository.js';
import { KyselyAuditRepository } from './repositories/audit.repository.js';
import { KyselyCatalogRepository } from './repositories/catalog.repository.js';
import { KyselyJobRepository } from './repositories/job.repository.js';
import type { Dialect } from './schema.js';

function repos(db: Kysely<Database>, dialect: Dialect): Repos {
  return {
    org: new KyselyOrgRepository(db),
    staff: new KyselyStaffRepository(db),
    sessions: new KyselySessionRepository(db),
    audit: new KyselyAuditRepository(db),
    catalog: new KyselyCatalogRepository(db, dialect),
    jobs: new KyselyJobRepository(db, dialect),
  };
}

/** The `Store` port over a Kysely database: repositories plus transactions. */
export function createStore(handle: DatabaseHandle): Store {
  const base = repos(handle.db, handle.dialect);
  return {
    ...base,
    dialect: handle.dialect,
    transaction: (fn) => handle.db.transaction().execute((tx) => fn(repos(tx, handle.dialect))),
    ping: async () => {
      await sql`select 1`.execute(handle.db);
    },
  };
}
