/**
 * How a reader reports problems inside one record: in lenient mode a problem becomes a warning and
 * the reader carries on with its repair; in strict mode the same call throws `RecordFailure`, which
 * the reader turns into the record's error result. One rule for both modes keeps them in step.
 */
import { makeIssue, type MarcIssue, type MarcIssueCode, type MarcPosition } from './errors.js';

export class RecordFailure extends Error {
  readonly issue: MarcIssue;
  constructor(issue: MarcIssue) {
    super(issue.message);
    this.issue = issue;
  }
}

export type Where = Omit<MarcPosition, 'record'>;

export class Issues {
  warnings: MarcIssue[] = [];
  constructor(
    readonly strict: boolean,
    readonly record: number,
  ) {}

  /**
   * A problem the reader can repair: in lenient mode a warning saying what was wrong and what was
   * done (`problem; repair`), in strict mode the record's error, saying only what was wrong.
   */
  report(code: MarcIssueCode, where: Where, problem: string, repair?: string): void {
    if (this.strict) throw new RecordFailure(makeIssue(code, { record: this.record, ...where }, problem));
    this.warnings.push(makeIssue(code, { record: this.record, ...where }, repair ? `${problem}; ${repair}` : problem));
  }

  /** A problem nothing can repair: the record's error in both modes. */
  fail(code: MarcIssueCode, where: Where, detail: string): never {
    throw new RecordFailure(makeIssue(code, { record: this.record, ...where }, detail));
  }
}
