import { describe, expect, it } from 'vitest';
import { formatDatestamp, formatDay, parseDatestamp } from './datestamp.js';

const ms = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, milli = 0) => Date.UTC(y, mo - 1, d, h, mi, s, milli);

describe('parseDatestamp', () => {
  it.each([
    ['2024-03-01', 'from', ms(2024, 3, 1), 'day'],
    ['2024-03-01', 'until', ms(2024, 3, 2) - 1, 'day'],
    ['2024-03-01T07:05:09Z', 'from', ms(2024, 3, 1, 7, 5, 9), 'seconds'],
    ['2024-03-01T07:05:09Z', 'until', ms(2024, 3, 1, 7, 5, 9, 999), 'seconds'],
    ['2024-02-29', 'from', ms(2024, 2, 29), 'day'],
    ['2000-02-29T23:59:59Z', 'from', ms(2000, 2, 29, 23, 59, 59), 'seconds'],
    ['1969-12-31T23:59:59Z', 'from', -1000, 'seconds'],
    ['9999-12-31', 'until', ms(9999, 12, 31, 23, 59, 59, 999), 'day'],
  ] as const)('%s as %s', (text, bound, expected, granularity) => {
    expect(parseDatestamp(text, bound)).toEqual({ ms: expected, granularity });
  });

  it('reads years before 100 as written (Date.UTC would move them to the 1900s)', () => {
    const r = parseDatestamp('0001-01-01');
    expect('ms' in r && new Date(r.ms).getUTCFullYear()).toBe(1);
  });

  it.each([
    ['2023-02-29', "'2023-02-29' is not a date in the calendar"],
    ['2024-04-31', "'2024-04-31' is not a date in the calendar"],
    ['2024-13-01', "'2024-13-01' is not a date in the calendar"],
    ['2024-00-10', "'2024-00-10' is not a date in the calendar"],
    ['1900-02-29', "'1900-02-29' is not a date in the calendar"],
    ['0000-01-01', "'0000-01-01' has the year 0000, which XML Schema dates do not have"],
    ['2024-03-01T24:00:00Z', "'2024-03-01T24:00:00Z' is not a time of day (hours 00-23, minutes and seconds 00-59)"],
    ['2024-03-01T23:60:00Z', "'2024-03-01T23:60:00Z' is not a time of day (hours 00-23, minutes and seconds 00-59)"],
    ['2024-03-01T23:59:60Z', "'2024-03-01T23:59:60Z' is not a time of day (hours 00-23, minutes and seconds 00-59)"],
  ])('refuses %s', (text, error) => {
    expect(parseDatestamp(text)).toEqual({ error });
  });

  it.each([
    '2024-3-1', '24-03-01', '2024/03/01', '2024-03-01T07:05:09', '2024-03-01T07:05:09+07:00', '2024-03-01T07:05:09.123Z',
    '2024-03-01T07:05Z', ' 2024-03-01', '2024-03-01 ', '2024-03-01T07:05:09z', '２０２４-03-01', '', 'aaaa-bb-cc', '2024-03-01Z',
  ])('refuses %j as not of either form', (text) => {
    const r = parseDatestamp(text);
    expect(r).toHaveProperty('error');
    expect((r as { error: string }).error).toContain('is not a UTC datestamp of the form YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ');
  });
});

describe('formatDatestamp', () => {
  it.each([
    [ms(2024, 3, 1, 7, 5, 9, 999), '2024-03-01T07:05:09Z'],
    [ms(1999, 12, 31, 23, 59, 59), '1999-12-31T23:59:59Z'],
    [-1, '1969-12-31T23:59:59Z'],
    [new Date('0005-06-07T08:09:10Z').getTime(), '0005-06-07T08:09:10Z'],
  ])('%d → %s', (t, s) => {
    expect(formatDatestamp(t)).toBe(s);
    expect(formatDatestamp(new Date(t))).toBe(s);
  });

  it('cuts milliseconds, so a datestamp parsed back as an until bound covers the time it came from', () => {
    const t = ms(2024, 3, 1, 7, 5, 9, 400);
    const back = parseDatestamp(formatDatestamp(t), 'until');
    expect('ms' in back && back.ms >= t).toBe(true);
  });

  it('formats a day', () => {
    expect(formatDay(ms(2024, 3, 1, 23, 59))).toBe('2024-03-01');
  });

  it.each([[NaN], [ms(10000, 1, 1)]])('refuses %d (a programming error)', (t) => {
    expect(() => formatDatestamp(t)).toThrow(RangeError);
  });
});
