/** `lienthong migrate`: brings the database schema up to date and says which steps ran. */
import type { Command } from 'commander';
import { migrate, openDatabase } from '../adapters/db/database.js';
import { contextFor, type CliDeps } from './context.js';

export function registerMigrate(program: Command, deps: CliDeps): void {
  program
    .command('migrate')
    .summary('apply pending database migrations')
    .description('Apply every pending database migration and list the ones applied. `serve` does this too on start; run it on its own before starting several servers on one PostgreSQL database.')
    .addHelpText(
      'after',
      `
Examples:
  $ lienthong migrate
  $ lienthong --database-url postgres://lienthong@db.example.vn/lienthong migrate`,
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextFor(cmd, deps);
      const handle = openDatabase({ url: ctx.config.databaseUrl, poolSize: 1 });
      try {
        const result = await migrate(handle);
        const ran = (result.results ?? []).filter((r) => r.status === 'Success');
        for (const r of ran) ctx.out(ctx.say('migrate.ran', { name: r.migrationName }));
        if (ran.length === 0) ctx.note(ctx.say('migrate.none'));
      } finally {
        await handle.close();
      }
    });
}
