/** `lienthong serve`: the web server, until SIGINT or SIGTERM. */
import type { Command } from 'commander';
import type { ConfigOverrides } from '../config/env.js';
import { contextFor, type CliDeps } from './context.js';

interface ServeOptions {
  host?: string;
  port?: string;
  baseUrl?: string;
  /** `--no-demo` sets this to false. */
  demo: boolean;
}

export function registerServe(program: Command, deps: CliDeps): void {
  program
    .command('serve')
    .summary('run the web server')
    .description(
      'Run the web server: public catalogue, staff pages and API. On first start it migrates the database, ' +
        'builds the demo network (or, with --no-demo, just the network root) and prints the first accounts and passwords once.',
    )
    .option('--host <address>', 'address to listen on (HOST; default 127.0.0.1, 0.0.0.0 for every interface)')
    .option('--port <number>', 'port to listen on (PORT; default 8080, 0 picks a free one)')
    .option('--base-url <url>', 'public address used in links (BASE_URL; default http://HOST:PORT)')
    .option('--no-demo', 'on first start create an empty network instead of the demo one (LIENTHONG_DEMO=0)')
    .addHelpText(
      'after',
      `
Examples:
  $ lienthong serve
  $ lienthong serve --host 0.0.0.0 --port 80 --base-url https://thuvien.example.vn
  $ lienthong --data-dir /srv/lienthong serve --no-demo
  $ DATABASE_URL=postgres://lienthong@db/lienthong lienthong serve

Stops cleanly (finishing requests in flight) on Ctrl-C or SIGTERM.`,
    )
    .action(async (opts: ServeOptions, cmd: Command) => {
      const extra: ConfigOverrides = {};
      if (opts.host !== undefined) extra.HOST = opts.host;
      if (opts.port !== undefined) extra.PORT = opts.port;
      if (opts.baseUrl !== undefined) extra.BASE_URL = opts.baseUrl;
      // Only an explicit --no-demo overrides LIENTHONG_DEMO; the flag's default must not.
      if (!opts.demo) extra.LIENTHONG_DEMO = '0';
      const ctx = contextFor(cmd, deps, extra);
      const server = await deps.startServer(ctx.config);
      const code = await new Promise<number>((resolve) => {
        let stopping = false;
        const stop = (signal: NodeJS.Signals) => {
          if (stopping) {
            // A second Ctrl-C while closing: the operator wants out now.
            process.exit(130);
          }
          stopping = true;
          ctx.note(ctx.say('serve.stopping', { signal }));
          server
            .close()
            .then(
              () => {
                ctx.note(ctx.say('serve.stopped'));
                resolve(0);
              },
              (e: unknown) => {
                ctx.note(ctx.say('error.unexpected', { message: e instanceof Error ? e.message : String(e) }));
                resolve(1);
              },
            );
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
      // Exit even if a library left a timer or socket behind: the server is closed.
      process.exit(code);
    });
}
