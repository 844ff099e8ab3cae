/**
 * What every command shares: the global options, the configuration (parsed once), the language
 * of its messages, where output goes, and the container, opened for the length of one command.
 *
 * Output rule: results (tables, exports, one-time passwords) go to stdout, so they can be piped;
 * everything said *about* them goes to stderr.
 */
import type { Command } from 'commander';
import { loadConfig, type Config, type ConfigOverrides } from '../config/env.js';
import { fill, translator, type Locale, type Translate } from '../i18n/i18n.js';
import type { Container } from '../main/container.js';
import { cliEn, cliVi, type CliMessageKey } from '../i18n/cli-messages.js';

/** The parts of the program that live in the composition root, handed in by `src/main/cli.ts`. */
export interface CliDeps {
  /** Opens the database (migrating it) and builds the use cases. */
  openContainer(config: Readonly<Config>): Promise<Container>;
  /** Starts the web server: `src/main/server.ts`, loaded only when `serve` runs. */
  startServer(config: Readonly<Config>): Promise<{ url: string; close(): Promise<void> }>;
}

/** Options every command accepts (before or after the command name). */
export interface GlobalOptions {
  lang: Locale;
  dataDir?: string;
  databaseUrl?: string;
  logLevel?: string;
}

/**
 * A failure the command line itself detects (a wrong combination of options, a database that
 * is not empty): printed as `error: <message>`, never with a stack. Exit code 2 for wrong usage.
 */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
  }
}

export type Say = (key: CliMessageKey, params?: Record<string, string | number>) => string;

export function sayer(locale: Locale): Say {
  const cat: Record<CliMessageKey, string> = locale === 'vi' ? cliVi : cliEn;
  return (key, params) => {
    const text = cat[key] ?? cliEn[key];
    return params ? fill(text, params) : text;
  };
}

export interface CliContext {
  locale: Locale;
  /** A sentence of the command line's own catalogue. */
  say: Say;
  /** The shared catalogue (error codes, unit types, roles). */
  t: Translate;
  config: Readonly<Config>;
  /** A line of results, to stdout. */
  out(line: string): void;
  /** A line about what happened, to stderr. */
  note(line: string): void;
  /** Runs `fn` with an open container and closes it afterwards, whatever happens. */
  withContainer<T>(fn: (c: Container) => Promise<T>): Promise<T>;
}

/** The global options of the program, read from any of its (sub)commands. */
export function globalOptions(cmd: Command): GlobalOptions {
  return cmd.optsWithGlobals<GlobalOptions>();
}

/**
 * Builds the context of a command: maps the global options (and `extra`, a command's own flags
 * such as `serve --port`) onto configuration overrides and parses the configuration once.
 * Throws `ConfigError` listing every problem.
 */
export function contextFor(cmd: Command, deps: CliDeps, extra: ConfigOverrides = {}): CliContext {
  const g = globalOptions(cmd);
  const overrides: ConfigOverrides = { ...extra };
  if (g.dataDir !== undefined) overrides.LIENTHONG_DATA_DIR = g.dataDir;
  if (g.databaseUrl !== undefined) overrides.DATABASE_URL = g.databaseUrl;
  if (g.logLevel !== undefined) overrides.LOG_LEVEL = g.logLevel;
  // loadConfig's default environment is process.env: the one place allowed to read it.
  const config = loadConfig(undefined, overrides);
  const locale = g.lang;
  return {
    locale,
    say: sayer(locale),
    t: translator(locale),
    config,
    out: (line) => void process.stdout.write(line + '\n'),
    note: (line) => void process.stderr.write(line + '\n'),
    withContainer: async (fn) => {
      const c = await deps.openContainer(config);
      try {
        return await fn(c);
      } finally {
        await c.close();
      }
    },
  };
}

/** Where the database is, for messages: the SQLite file, or the PostgreSQL URL without its password. */
export function describeDatabase(config: Readonly<Config>): string {
  if (config.database === 'sqlite') return config.databaseUrl;
  try {
    const u = new URL(config.databaseUrl);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'PostgreSQL';
  }
}
