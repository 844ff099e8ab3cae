/**
 * The composition root: builds the database, adapters and use cases from the configuration.
 * No module-level singletons; tests build their own container with their own database.
 */
import { rm } from 'node:fs/promises';
import { openDatabase, migrate, type DatabaseHandle } from '../adapters/db/database.js';
import { createStore } from '../adapters/db/store.js';
import { argon2Hasher, type Argon2Options } from '../adapters/crypto/argon2.js';
import type { Clock, PasswordHasher, Store } from '../app/ports.js';
import { OrgService } from '../app/org.service.js';
import { StaffService } from '../app/staff.service.js';
import { AuthService, type AuthPolicy } from '../app/auth.service.js';
import { AuditService } from '../app/audit.service.js';
import { OrgTransferService } from '../app/org-transfer.service.js';
import { ensureBuiltinRoles } from '../app/setup.service.js';
import { CatalogService, DEFAULT_MARC_ORG_CODE } from '../app/catalog.service.js';
import { ImportService, IMPORT_JOB_KIND } from '../app/import.service.js';
import { ExportService } from '../app/export.service.js';
import { SearchIndexer } from '../app/search/indexer.js';
import { SearchService } from '../app/search/search.service.js';
import { ReindexService } from '../app/search/reindex.service.js';
import { openBuildPool } from '../adapters/search/build-pool.js';
import { JobRunner, type JobHandler } from '../app/job-runner.js';
import { inspectMarcFile, type MarcSourceLimits } from '../adapters/files/marc-source.js';
import { preparedInProcess, preparedInWorker } from '../adapters/files/prepared-source.js';

export interface Services {
  org: OrgService;
  orgTransfer: OrgTransferService;
  staff: StaffService;
  auth: AuthService;
  audit: AuditService;
  catalog: CatalogService;
  imports: ImportService;
  exports: ExportService;
  search: SearchService;
  reindex: ReindexService;
}

export interface Container {
  handle: DatabaseHandle;
  store: Store;
  clock: Clock;
  hasher: PasswordHasher;
  services: Services;
  /** Runs queued jobs; the server starts it, the CLI runs jobs itself. */
  jobs: JobRunner;
  close(): Promise<void>;
}

export interface ContainerOptions {
  databaseUrl: string;
  clock?: Clock;
  /** Cheaper argon2id parameters for tests; production uses the defaults. */
  argon2?: Argon2Options;
  authPolicy?: Partial<AuthPolicy>;
  poolSize?: number;
  /** MARC organisation code written in 003 on export. */
  marcOrgCode?: string;
  importLimits?: Partial<MarcSourceLimits>;
  /** Prepare imported records in a worker thread (default) or in this one (`false`). */
  importWorkers?: boolean;
  /** Worker threads building documents in a full search reindex (default: one per core; 0: none). */
  searchBuildThreads?: number;
  /** How often the job runner looks at an empty queue. */
  jobPollMs?: number;
}

export const systemClock: Clock = { now: () => new Date() };

export async function createContainer(opts: ContainerOptions): Promise<Container> {
  const handle = openDatabase({ url: opts.databaseUrl, poolSize: opts.poolSize });
  try {
    await migrate(handle);
    // Every transaction indexes the records it touched before it commits.
    const indexer = new SearchIndexer();
    const store = createStore(handle, { beforeCommit: (tx) => indexer.flush(tx) });
    await ensureBuiltinRoles(store);
    const clock = opts.clock ?? systemClock;
    const hasher = argon2Hasher(opts.argon2);
    const org = new OrgService({ store, clock });
    const orgCode = opts.marcOrgCode ?? DEFAULT_MARC_ORG_CODE;
    const services: Services = {
      org,
      orgTransfer: new OrgTransferService({ store, clock, org }),
      staff: new StaffService({ store, clock, hasher }),
      auth: new AuthService({ store, clock, hasher, policy: opts.authPolicy }),
      audit: new AuditService({ store }),
      catalog: new CatalogService({ store, clock, orgCode }),
      imports: new ImportService({
        store,
        clock,
        orgCode,
        files: { inspect: inspectMarcFile, remove: (path) => rm(path, { force: true }), prepared: (path, o, ctx) => (opts.importWorkers === false ? preparedInProcess : preparedInWorker)(path, { ...o, limits: opts.importLimits }, ctx) },
      }),
      exports: new ExportService({ store, orgCode }),
      search: new SearchService(store.search),
      reindex: new ReindexService({ store, indexer, pool: () => openBuildPool(handle.dialect, { threads: opts.searchBuildThreads }) }),
    };
    const handlers = new Map<string, JobHandler>([[IMPORT_JOB_KIND, (job, owner) => services.imports.process(job, { owner })]]);
    const jobs = new JobRunner({ store, clock, handlers, pollMs: opts.jobPollMs });
    return {
      handle,
      store,
      clock,
      hasher,
      services,
      jobs,
      close: async () => {
        await jobs.stop();
        await handle.close();
      },
    };
  } catch (e) {
    await handle.close();
    throw e;
  }
}
