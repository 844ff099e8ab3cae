/**
 * The `lienthong` program: global options and every command group. Builds a fresh commander
 * program each call (no module state), so tests can run it in-process too.
 */
import { Command, Option } from 'commander';
import { LOG_LEVELS } from '../config/env.js';
import { LOCALES } from '../i18n/i18n.js';
import type { CliDeps } from './context.js';
import { registerBackup } from './backup.command.js';
import { registerCatalog } from './catalog.command.js';
import { registerDigital } from './digital.command.js';
import { registerSearch } from './search.command.js';
import { registerDemo } from './demo.command.js';
import { registerMigrate } from './migrate.command.js';
import { registerOrg } from './org.command.js';
import { registerServe } from './serve.command.js';
import { registerUser } from './user.command.js';
import { registerHarvest } from './harvest.command.js';

export function buildProgram(deps: CliDeps, version: string): Command {
  const program = new Command('lienthong')
    .description('Liên Thông — one platform for a whole network of public libraries.')
    .version(version, '-V, --version', 'print the version')
    .addOption(new Option('--lang <language>', 'language of messages: en or vi').choices(LOCALES).default('en'))
    .option('--data-dir <dir>', 'data directory: SQLite database, files, session secret (LIENTHONG_DATA_DIR; default ./data)')
    .option('--database-url <url>', 'postgres://… for PostgreSQL or sqlite:<file> (DATABASE_URL)')
    .addOption(new Option('--log-level <level>', 'log level; debug also shows where unexpected errors happened (LOG_LEVEL)').choices(LOG_LEVELS))
    // Errors come back to src/main/cli.ts, which decides the exit status.
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureHelp({ showGlobalOptions: true })
    .addHelpText(
      'after',
      `
Settings come from the environment (DATABASE_URL, PORT, …; see docs/deploy.md); the options above override it.

Examples:
  $ lienthong serve
  $ lienthong --data-dir ./demo-data demo
  $ lienthong org show --as-of 2024-01-01
  $ lienthong user create lan --name "Nguyễn Thị Lan" --unit TVKG --role librarian --scope unit
  $ lienthong backup /var/backups/lienthong
  $ lienthong import marc records.mrc --library TVKG
  $ lienthong export marc --format marcxml --output catalogue.xml
  $ lienthong <command> --help`,
    );
  registerServe(program, deps);
  registerMigrate(program, deps);
  registerDemo(program, deps);
  registerUser(program, deps);
  registerOrg(program, deps);
  registerBackup(program, deps);
  registerCatalog(program, deps);
  registerDigital(program, deps);
  registerSearch(program, deps);
  registerHarvest(program, deps);
  return program;
}
