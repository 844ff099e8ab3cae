/**
 * The composition root: builds the database, adapters and use cases from the configuration.
 * No module-level singletons; tests build their own container with their own database.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, migrate, type DatabaseHandle } from '../adapters/db/database.js';
import { createStore } from '../adapters/db/store.js';
import { argon2Hasher, type Argon2Options } from '../adapters/crypto/argon2.js';
import type { Clock, PasswordHasher, Store } from '../app/ports.js';
import { OrgService } from '../app/org.service.js';
import { StaffService } from '../app/staff.service.js';
import { AuthService, type AuthPolicy } from '../app/auth.service.js';
import { ReaderService, type ReaderPolicy } from '../app/readers/reader.service.js';
import { AuditService } from '../app/audit.service.js';
import { OrgTransferService } from '../app/org-transfer.service.js';
import { ensureBuiltinRoles } from '../app/setup.service.js';
import { CatalogService, DEFAULT_MARC_ORG_CODE } from '../app/catalog.service.js';
import { ImportService, IMPORT_JOB_KIND } from '../app/import.service.js';
import { ExportService } from '../app/export.service.js';
import { SearchIndexer } from '../app/search/indexer.js';
import { SearchService } from '../app/search/search.service.js';
import { ReindexService } from '../app/search/reindex.service.js';
import { BrowseService } from '../app/browse/browse.service.js';
import { SitemapService } from '../app/browse/sitemap.service.js';
import { openBuildPool } from '../adapters/search/build-pool.js';
import { JobRunner, type JobHandler } from '../app/job-runner.js';
import { inspectMarcFile, type MarcSourceLimits } from '../adapters/files/marc-source.js';
import { preparedInProcess, preparedInWorker } from '../adapters/files/prepared-source.js';
import { FileBlobStore } from '../adapters/files/blob-store.js';
import { createImageTools } from '../adapters/image/sharp-tools.js';
import { etag as renderEtag, renderImage, renderKey, TileCache } from '../adapters/image/iiif-renderer.js';
import { IiifService } from '../app/digital/iiif.service.js';
import { BagService } from '../app/digital/bag.service.js';
import { JobsService } from '../app/jobs.service.js';
import { nodeBagIo } from '../adapters/files/bag-io.js';
import { createPdfTools } from '../adapters/pdf/index.js';
import { createOcrEngine } from '../adapters/ocr/index.js';
import { DigitalService, DIGITAL_PROCESS_JOB } from '../app/digital/digital.service.js';
import { DigitalProcessor } from '../app/digital/processing.js';
import { IngestService, INGEST_JOB } from '../app/digital/ingest.service.js';
import { FixityService, FIXITY_JOB } from '../app/digital/fixity.service.js';
import { DEFAULT_MEDIA_LIMITS, type BlobStore, type MediaLimits, type OcrEngine } from '../app/digital/media.js';
import { SiteService } from '../app/sites/site.service.js';
import type { SiteImageLimits } from '../app/sites/ports.js';
import { createSiteImageTools } from '../adapters/image/site-images.js';
import { OaiProviderService } from '../app/interop/oai-provider.service.js';
import { SruServerService } from '../app/interop/sru-server.service.js';
import { CopyCatalogService, type CopyLimits } from '../app/interop/copy-catalog.service.js';
import type { RemoteFetch } from '../app/interop/sru-target.ports.js';
import { HarvestService, HARVEST_JOB, type HarvestLimits } from '../app/interop/harvest.service.js';
import type { HttpGet } from '../app/interop/harvest.ports.js';

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
  /** A–Z lists, class and collection counts, new arrivals. */
  browse: BrowseService;
  /** What the sitemaps list. */
  sitemaps: SitemapService;
  reindex: ReindexService;
  digital: DigitalService;
  iiif: IiifService;
  bags: BagService;
  ingest: IngestService;
  jobs: JobsService;
  fixity: FixityService;
  /** Readers' accounts: registration, sign-in, saved lists, history; staff approval. */
  readers: ReaderService;
  /** Library websites: branding, news and events, publishing. */
  sites: SiteService;
  /** The OAI-PMH data provider (`/oai`). */
  oai: OaiProviderService;
  /** The SRU server (`/sru`). */
  sru: SruServerService;
  /** Copy cataloguing: remote SRU targets, search, preview, import. */
  copyCatalog: CopyCatalogService;
  /** OAI-PMH harvesting: sources, runs, the `oai-harvest` job. */
  harvest: HarvestService;
}

export interface Container {
  handle: DatabaseHandle;
  store: Store;
  clock: Clock;
  hasher: PasswordHasher;
  services: Services;
  /** Runs queued jobs; the server starts it, the CLI runs jobs itself. */
  jobs: JobRunner;
  /** The content-addressed file store of the digital library. */
  blobs: BlobStore;
  /** The processor of digital objects, for tests and the CLI that run a job directly. */
  processor: DigitalProcessor;
  close(): Promise<void>;
}

export interface ContainerOptions {
  databaseUrl: string;
  clock?: Clock;
  /** Cheaper argon2id parameters for tests; production uses the defaults. */
  argon2?: Argon2Options;
  authPolicy?: Partial<AuthPolicy>;
  /** Readers' lockout and session lengths (tests shorten them). */
  readerPolicy?: Partial<ReaderPolicy>;
  poolSize?: number;
  /** MARC organisation code written in 003 on export. */
  marcOrgCode?: string;
  importLimits?: Partial<MarcSourceLimits>;
  /** Prepare imported records in a worker thread (default) or in this one (`false`). */
  importWorkers?: boolean;
  /** Worker threads building documents in a full search reindex (default: one per core; 0: none). */
  searchBuildThreads?: number;
  /** Facet counts are exact up to this many hits (default 150,000; small in tests, to see estimates). */
  searchExactCounts?: number;
  /** Headings and terms a reindex writes per transaction (default 20,000; small in tests, to have several). */
  searchVocabularySlice?: number;
  /** How often the job runner looks at an empty queue. */
  jobPollMs?: number;
  /** Where stored files live (`<dataDir>/files`, derived files in `<dataDir>/cache`); a temporary folder when absent. */
  dataDir?: string;
  /** The public address, for links written into records (856). */
  baseUrl?: string;
  mediaLimits?: Partial<MediaLimits>;
  /** Limits of images uploaded to library websites (default 15 MiB, 50 megapixels). */
  siteImageLimits?: Partial<SiteImageLimits>;
  /** How copy cataloguing asks remote SRU servers (default: HTTP with `fetch`), and its time and size limits. */
  sruFetch?: RemoteFetch;
  copyLimits?: Partial<CopyLimits>;
  /** How the harvester asks remote OAI-PMH repositories (default: `fetch`), and its time, size and retry limits. */
  harvestHttp?: HttpGet;
  harvestLimits?: Partial<HarvestLimits>;
  /** OAI-PMH provider settings (repository name, admin e-mail, identifier, page sizes). */
  oai?: Partial<Pick<ConstructorParameters<typeof OaiProviderService>[0], 'repositoryName' | 'adminEmail' | 'repositoryIdentifier' | 'pageSize' | 'tokenMaxAgeMs'>>;
  /** Byte budget of the rendered-tile cache (default 2 GiB). */
  tileCacheBytes?: number;
  /** `native` (the tesseract binary, when present), `wasm` (tesseract.js), or a ready engine (tests). */
  ocr?: 'native' | 'wasm' | (() => Promise<OcrEngine>);
}

export const systemClock: Clock = { now: () => new Date() };

export async function createContainer(opts: ContainerOptions): Promise<Container> {
  const handle = openDatabase({ url: opts.databaseUrl, poolSize: opts.poolSize });
  let ownedDir: string | undefined;
  let ocrEngine: Promise<OcrEngine> | undefined;
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
      readers: new ReaderService({ store, clock, hasher, policy: opts.readerPolicy }),
      audit: new AuditService({ store }),
      catalog: new CatalogService({ store, clock, orgCode }),
      imports: new ImportService({
        store,
        clock,
        orgCode,
        files: { inspect: inspectMarcFile, remove: (path) => rm(path, { force: true }), prepared: (path, o, ctx) => (opts.importWorkers === false ? preparedInProcess : preparedInWorker)(path, { ...o, limits: opts.importLimits }, ctx) },
      }),
      exports: new ExportService({ store, orgCode }),
      search: new SearchService(store.search, { exactCounts: opts.searchExactCounts }),
      reindex: new ReindexService({ store, indexer, pool: () => openBuildPool(handle.dialect, { threads: opts.searchBuildThreads }), vocabularySlice: opts.searchVocabularySlice }),
    } as Omit<Services, 'digital' | 'iiif' | 'bags' | 'ingest' | 'fixity' | 'jobs'> as Services;

    const dataDir = opts.dataDir ?? (ownedDir = await mkdtemp(join(tmpdir(), 'lienthong-data-')));
    const blobs = await FileBlobStore.open(join(dataDir, 'files'));
    const limits: MediaLimits = { ...DEFAULT_MEDIA_LIMITS, ...opts.mediaLimits };
    const images = createImageTools();
    const pdf = createPdfTools();
    const baseUrl = (opts.baseUrl ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
    // The runner is made after the services that wake it: they reach it through this box.
    const runnerBox: { current?: JobRunner } = {};
    services.digital = new DigitalService({ store, clock, blobs, images, pdf, limits, orgCode, publicUrl: (path) => baseUrl + path, kick: () => runnerBox.current?.kick() });
    services.iiif = new IiifService({
      digital: services.digital,
      store,
      renderer: { render: renderImage, key: renderKey, etag: renderEtag },
      cache: new TileCache({ dir: join(blobs.cacheDir, 'iiif'), maxBytes: opts.tileCacheBytes ?? 2 * 1024 ** 3 }),
    });
    services.bags = new BagService({ store, clock, digital: services.digital, io: nodeBagIo });
    services.ingest = new IngestService({ store, clock, digital: services.digital });
    services.fixity = new FixityService({ store, clock, blobs });
    services.jobs = new JobsService({ store, clock, fixity: services.fixity });
    services.browse = new BrowseService({ index: store.search, search: services.search, clock });
    services.sitemaps = new SitemapService({ store, clock });
    services.sites = new SiteService({ store, clock, blobs, images: createSiteImageTools(), limits: opts.siteImageLimits });
    services.oai = new OaiProviderService({ store, org, exports: services.exports, clock, orgCode, ...opts.oai });
    services.sru = new SruServerService({ store, search: services.search, exports: services.exports, clock });
    services.copyCatalog = new CopyCatalogService({ store, clock, catalog: services.catalog, orgCode, fetch: opts.sruFetch, limits: opts.copyLimits });
    services.harvest = new HarvestService({ store, clock, orgCode, http: opts.harvestHttp, limits: opts.harvestLimits, kick: () => runnerBox.current?.kick() });
    const prefer = typeof opts.ocr === 'string' ? opts.ocr : 'native';
    const openOcr = typeof opts.ocr === 'function' ? opts.ocr : () => createOcrEngine({ prefer });
    const processor = new DigitalProcessor({ store, clock, blobs, images, pdf, limits, ocr: () => (ocrEngine ??= openOcr()), syncFullText: (id) => services.digital.syncFullText(id) });

    const handlers = new Map<string, JobHandler>([
      [IMPORT_JOB_KIND, (job, owner) => services.imports.process(job, { owner })],
      [DIGITAL_PROCESS_JOB, (job, owner, signal) => processor.process(job, owner, signal)],
      [INGEST_JOB, (job, owner) => services.ingest.process(job, { owner })],
      [FIXITY_JOB, (job, owner, signal) => services.fixity.process(job, owner, signal)],
      [HARVEST_JOB, (job, owner, signal) => services.harvest.process(job, owner, signal)],
    ]);
    const runner = new JobRunner({ store, clock, handlers, pollMs: opts.jobPollMs });
    runnerBox.current = runner;
    return {
      handle,
      store,
      clock,
      hasher,
      services,
      jobs: runner,
      blobs,
      processor,
      close: async () => {
        await runner.stop();
        await pdf.close();
        if (ocrEngine) await (await ocrEngine.catch(() => undefined))?.close();
        await handle.close();
        if (ownedDir) await rm(ownedDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await handle.close();
    if (ownedDir) await rm(ownedDir, { recursive: true, force: true });
    throw e;
  }
}
