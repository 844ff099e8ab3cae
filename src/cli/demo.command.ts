/** `lienthong demo`: the demo network of Kiên Giang on an empty database, with its accounts. */
import type { Command } from 'commander';
import { firstStart } from '../app/setup.service.js';
import { CliError, contextFor, describeDatabase, type CliDeps } from './context.js';
import { formatTable } from './table.js';

export function registerDemo(program: Command, deps: CliDeps): void {
  program
    .command('demo')
    .summary('build the demo network on an empty database')
    .description(
      'Build the demo library network (Kiên Giang, with its 2025 reorganisation) on an empty database and print the ' +
        'accounts created with their passwords, once. Refuses when the database already holds a network.',
    )
    .addHelpText(
      'after',
      `
Examples:
  $ lienthong --data-dir ./demo-data demo
  $ lienthong --data-dir ./demo-data serve`,
    )
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextFor(cmd, deps);
      await ctx.withContainer(async (c) => {
        const existing = await c.store.org.count();
        if (existing > 0) throw new CliError(ctx.say('demo.notEmpty', { database: describeDatabase(ctx.config), count: existing }));
        const accounts = await firstStart({ store: c.store, org: c.services.org, staff: c.services.staff, catalog: c.services.catalog, readers: c.services.readers, digital: { service: c.services.digital, writePage: async (...a) => (await import('../adapters/image/text-page.js')).writeTextPage(...a) }, sites: { service: c.services.sites, drawImage: async (svg, out) => (await import('../adapters/image/site-images.js')).svgToPng(svg, out) }, sruTarget: { service: c.services.copyCatalog, siteUrl: ctx.config.baseUrl } }, { demo: true });
        ctx.note(ctx.say('demo.built', { count: await c.store.org.count() }));
        const s = ctx.say;
        const rows = accounts.map((a) => [a.username, a.password, a.role, a.unitCode]);
        for (const line of formatTable([s('user.col.username'), s('user.col.password'), s('user.col.role'), s('user.col.unit')], rows)) ctx.out(line);
      });
    });
}
