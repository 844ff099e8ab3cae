/**
 * Starts the web server: opens the database, migrates, sets up a first start (demo network and
 * first administrator, credentials printed once), and listens.
 */
import { writeTextPage } from '../adapters/image/text-page.js';
import { svgToPng } from '../adapters/image/site-images.js';
import { join } from 'node:path';
import pino from 'pino';
import type { Config } from '../config/env.js';
import { buildApp } from '../http/app.js';
import { createContainer } from './container.js';
import { startScheduler } from './scheduler.js';
import { firstStart, type CreatedAccount } from '../app/setup.service.js';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export function formatAccounts(accounts: readonly CreatedAccount[]): string {
  const lines = accounts.map((a) => `    ${a.username.padEnd(12)} ${a.password.padEnd(20)} ${a.role} @ ${a.unitCode}`);
  return [
    '',
    '  First start: accounts created. These passwords are shown only once — keep them now.',
    '  Tài khoản được tạo lần đầu. Mật khẩu chỉ hiện một lần — hãy lưu lại ngay.',
    '',
    `    ${'username'.padEnd(12)} ${'password'.padEnd(20)} role @ unit`,
    ...lines,
    '',
  ].join('\n');
}

export async function startServer(config: Config): Promise<RunningServer> {
  const logger = pino({ level: config.logLevel, base: { service: 'lienthong', pid: process.pid } });
  const container = await createContainer({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, baseUrl: config.baseUrl, ocr: config.ocr, marcOrgCode: config.marcOrgCode, ...(config.adminEmail ? { oai: { adminEmail: config.adminEmail } } : {}) });
  try {
    let accounts: CreatedAccount[] = [];
    try {
      accounts = await firstStart({ store: container.store, org: container.services.org, staff: container.services.staff, catalog: container.services.catalog, readers: container.services.readers, digital: { service: container.services.digital, writePage: writeTextPage }, sites: { service: container.services.sites, drawImage: svgToPng }, sruTarget: { service: container.services.copyCatalog, siteUrl: config.baseUrl } }, { demo: config.demo });
    } catch (e) {
      // Several processes started at once on one empty database: one of them sets it up, the
      // others fail on a unique constraint and carry on with what it made.
      if ((await container.store.org.count()) === 0) throw e;
      logger.info('first-start set-up done by another process');
    }
    if (accounts.length > 0) process.stdout.write(formatAccounts(accounts) + '\n');
    const app = await buildApp({
      services: container.services,
      store: container.store,
      clock: container.clock,
      sessionSecret: config.sessionSecret,
      baseUrl: config.baseUrl,
      trustProxy: config.trustProxy,
      logger,
      uploadDir: join(config.dataDir, 'imports'),
    });
    const address = await app.listen({ host: config.host, port: config.port });
    const port = Number(new URL(address).port);
    const shown = config.port === 0 || config.host === '0.0.0.0' ? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${port}` : config.baseUrl;
    process.stdout.write(`\n  Liên Thông is running at ${shown}  (database: ${container.store.dialect})\n  Staff sign-in: ${shown}/staff/login\n\n`);
    // Queued jobs (imports, digitisation, fixity) run in this process unless LIENTHONG_JOBS=0
    // leaves them to `lienthong worker` processes; all share the one queue.
    if (config.inProcessJobs) container.jobs.start();
    const scheduler = startScheduler(container, (err) => logger.warn({ err }, 'scheduling failed'));
    // Expired sessions are removed hourly; any process may do it, the delete is idempotent.
    const sweep = setInterval(() => {
      container.store.sessions.deleteExpired(new Date().toISOString()).catch((err: unknown) => logger.warn({ err }, 'session sweep failed'));
    }, 3600_000);
    sweep.unref();
    return {
      url: shown,
      close: async () => {
        clearInterval(sweep);
        scheduler.stop();
        await app.close();
        await container.close();
      },
    };
  } catch (e) {
    await container.close();
    throw e;
  }
}
