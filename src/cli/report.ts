/**
 * Turns what a command threw into words on stderr and an exit code:
 * - `ConfigError` → every problem listed, exit 2;
 * - `CliError` → `error: <message>`, its own exit code (2 for wrong usage);
 * - `AppError` → `error <CODE>: <message>` and one line per detail, exit 1;
 * - anything else → `error: <message>`, exit 1, with the stack only at `--log-level debug|trace`.
 * Expected failures never print a stack.
 */
import { ConfigError } from '../config/env.js';
import { isAppError, type AppError, type FieldProblem } from '../domain/errors.js';
import { hasMessage, translator, type Locale, type Translate } from '../i18n/i18n.js';
import { CliError, sayer, type Say } from './context.js';

/** The message of an error code in the shared catalogue, or the bare code when there is none. */
export function errorText(t: Translate, code: string, params?: Record<string, string | number>): string {
  const key = `error.${code}`;
  return hasMessage(key) ? t(key, params) : code;
}

/** One problem of a form or a batch row, as a line: `nameVi: Some input is not valid…`. */
export function problemText(t: Translate, say: Say, p: FieldProblem, withRow = true): string {
  const text = t('field.problem', { field: p.field, message: errorText(t, p.code, p.params) });
  return withRow && p.row !== undefined ? say('problem.row', { row: p.row, text }) : text;
}

export function appErrorLines(t: Translate, say: Say, e: AppError): string[] {
  const lines = [`error ${e.code}: ${errorText(t, e.code, e.params)}`];
  for (const d of e.details ?? []) lines.push(`  - ${problemText(t, say, d)}`);
  return lines;
}

/** Prints `e` on stderr and returns the exit code for it. */
export function reportError(e: unknown, opts: { locale: Locale; verbose: boolean; write?: (line: string) => void }): number {
  const write = opts.write ?? ((line: string) => void process.stderr.write(line + '\n'));
  const say = sayer(opts.locale);
  if (e instanceof ConfigError) {
    write(say('config.invalid'));
    for (const p of e.problems) write(`  - ${p}`);
    return 2;
  }
  if (e instanceof CliError) {
    write(`error: ${e.message}`);
    return e.exitCode;
  }
  if (isAppError(e)) {
    for (const line of appErrorLines(translator(opts.locale), say, e)) write(line);
    return 1;
  }
  const message = e instanceof Error ? e.message : String(e);
  write(say('error.unexpected', { message }));
  if (opts.verbose && e instanceof Error && e.stack) write(e.stack);
  else write(say('error.stackHint'));
  return 1;
}
