/**
 * OAI-PMH 2.0 datestamps (§3.3, "UTCdatetime"): `YYYY-MM-DD` (day granularity) or
 * `YYYY-MM-DDThh:mm:ssZ` (seconds granularity), always UTC, nothing else — no fractions, no
 * offsets, no white space. Parsing is strict: the date must exist in the calendar (`2023-02-29`
 * is refused) and the year runs from 0001 to 9999 (XML Schema `xs:date` has no year 0000).
 *
 * A `from` bound is the first instant it names; an `until` bound is inclusive (§3.3.1), so it is
 * the last millisecond it covers: the whole day for `YYYY-MM-DD`, the whole second for
 * `…Thh:mm:ssZ` (a record stored at 12:00:00.400 shows the datestamp 12:00:00 and must match
 * `until=…T12:00:00Z`). A record matches when `from.ms <= storedMs <= until.ms`.
 */

export type Granularity = 'day' | 'seconds';

export interface OaiDatestamp {
  /** Milliseconds since the epoch: the first covered for a `from` bound, the last for `until`. */
  ms: number;
  granularity: Granularity;
}

export interface DatestampError {
  error: string;
}

const DAY_MS = 86_400_000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const SECONDS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z$/;

/** Milliseconds of a UTC calendar date and time, years 1–99 included (Date.UTC maps them to 19xx). */
function utc(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime();
}

/**
 * Parses an OAI-PMH `from`/`until` value or datestamp.
 *
 * @example parseDatestamp('2024-03-01') // { ms: 1709251200000, granularity: 'day' }
 * @example parseDatestamp('2024-03-01', 'until').ms // 1709337599999 (the whole day)
 * @example parseDatestamp('2024-02-30') // { error: "'2024-02-30' is not a date in the calendar" }
 */
export function parseDatestamp(text: string, bound: 'from' | 'until' = 'from'): OaiDatestamp | DatestampError {
  const day = DAY.exec(text);
  const sec = day ? null : SECONDS.exec(text);
  const m = day ?? sec;
  if (!m) return { error: `'${clip(text)}' is not a UTC datestamp of the form YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ` };
  const [y, mo, d, h = 0, mi = 0, s = 0] = m.slice(1).map(Number) as [number, number, number, number?, number?, number?];
  if (y < 1) return { error: `'${text}' has the year 0000, which XML Schema dates do not have` };
  if (h > 23 || mi > 59 || s > 59) return { error: `'${text}' is not a time of day (hours 00-23, minutes and seconds 00-59)` };
  const ms = utc(y, mo, d, h, mi, s);
  const check = new Date(ms);
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) {
    return { error: `'${text}' is not a date in the calendar` };
  }
  const granularity: Granularity = day ? 'day' : 'seconds';
  if (bound === 'until') return { ms: ms + (granularity === 'day' ? DAY_MS : 1000) - 1, granularity };
  return { ms, granularity };
}

/** Whether a {@link parseDatestamp} result is an error. */
export function isDatestampError(v: OaiDatestamp | DatestampError): v is DatestampError {
  return 'error' in v;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * A time as an OAI-PMH datestamp at seconds granularity, `YYYY-MM-DDThh:mm:ssZ` (milliseconds are
 * cut, never rounded up, so a datestamp never names a time later than the change it stands for).
 * An invalid Date, or one outside the years 0001–9999, is a programming error (RangeError).
 *
 * @example formatDatestamp(new Date(Date.UTC(2024, 2, 1, 7, 5, 9, 999))) // '2024-03-01T07:05:09Z'
 */
export function formatDatestamp(time: Date | number): string {
  const d = typeof time === 'number' ? new Date(time) : time;
  const y = d.getUTCFullYear();
  // A programming error, not bad input: no datestamp can be written for it.
  if (Number.isNaN(y) || y < 1 || y > 9999) throw new RangeError(`formatDatestamp: ${String(time)} is not a time between the years 0001 and 9999`);
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}Z`;
}

/** A time as an OAI-PMH datestamp at day granularity, `YYYY-MM-DD`. */
export function formatDay(time: Date | number): string {
  return formatDatestamp(time).slice(0, 10);
}

function clip(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
