/**
 * The `lienthong` command (run by `bin/lienthong.js`): wires the command line to the composition
 * root and turns every outcome into an exit status —
 * 0 done; 1 refused or failed (`error <CODE>: …`); 2 wrong usage or invalid configuration.
 */
import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import type { Config } from '../config/env.js';
import { isLocale, type Locale } from '../i18n/i18n.js';
import { buildProgram } from '../cli/program.js';
import { reportError } from '../cli/report.js';
import type { CliDeps } from '../cli/context.js';

// Loaded when a command needs them, so `--help` and configuration errors answer at once and
// only `serve` loads the web stack.
const deps: CliDeps = {
  openContainer: async (config: Readonly<Config>) => (await import('./container.js')).createContainer({ databaseUrl: config.databaseUrl, poolSize: 2, dataDir: config.dataDir, baseUrl: config.baseUrl, ocr: config.ocr, marcOrgCode: config.marcOrgCode, ...(config.adminEmail ? { oai: { adminEmail: config.adminEmail } } : {}) }),
  startServer: async (config: Readonly<Config>) => (await import('./server.js')).startServer(config),
};

function packageVersion(): string {
  try {
    // src/main/cli.ts and dist/main/cli.js both sit two levels below package.json.
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram(deps, packageVersion());
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Commander has printed the message (or the help) already.
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return e.exitCode;
      return 2;
    }
    const opts = program.opts<{ lang?: string; logLevel?: string }>();
    const locale: Locale = isLocale(opts.lang) ? opts.lang : 'en';
    return reportError(e, { locale, verbose: opts.logLevel === 'debug' || opts.logLevel === 'trace' });
  }
}

process.exitCode = await main(process.argv);
