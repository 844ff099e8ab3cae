import { describe, expect, it } from 'vitest';
import { checkPost, checkSiteSettings, instantToLocal, localToInstant } from './post.js';
import { MAX_BODY_LENGTH } from './post-body.js';

describe('local times (UTC+07:00, no daylight saving)', () => {
  it.each([
    ['2026-04-10T08:30', '2026-04-10T01:30:00.000Z'],
    ['2026-04-10 08:30', '2026-04-10T01:30:00.000Z'],
    ['2026-01-01T03:00', '2025-12-31T20:00:00.000Z'],
    ['2028-02-29T12:00', '2028-02-29T05:00:00.000Z'],
  ])('%s → %s', (local, iso) => {
    expect(localToInstant(local)).toBe(iso);
    expect(instantToLocal(iso)).toBe(local.replace(' ', 'T'));
  });

  it.each(['', '2026-04-31T08:00', '2027-02-29T08:00', '2026-13-01T08:00', '2026-04-10T24:00', '2026-04-10T08:60', '10/04/2026 08:30', '2026-04-10', '2026-04-10T08:30:00Z'])('refuses %j', (local) => {
    expect(localToInstant(local)).toBeUndefined();
  });
});

describe('checkPost', () => {
  it('accepts news and drops event fields from it', () => {
    const { value, problems } = checkPost({ kind: 'news', title: '  Khai trương   phòng đọc ', body: 'Nội dung\r\n', startsAt: '2026-04-10T08:00', place: 'Hội trường' });
    expect(problems).toEqual([]);
    expect(value).toEqual({ kind: 'news', title: 'Khai trương phòng đọc', body: 'Nội dung', leadImageId: null, startsAt: null, endsAt: null, place: null });
  });

  it('accepts an event with its times and place', () => {
    const { value } = checkPost({ kind: 'event', title: 'Ngày hội đọc sách', body: '', startsAt: '2026-04-21T07:30', endsAt: '2026-04-21T11:00', place: 'Sân thư viện', leadImageId: '7' });
    expect(value).toEqual({ kind: 'event', title: 'Ngày hội đọc sách', body: '', leadImageId: 7, startsAt: '2026-04-21T00:30:00.000Z', endsAt: '2026-04-21T04:00:00.000Z', place: 'Sân thư viện' });
  });

  it('reports every problem at once', () => {
    const { value, problems } = checkPost({ kind: 'event', title: '', body: '[x](javascript:alert(1))\n\n![y](http://a/b.png)', endsAt: 'soon', leadImageId: 'abc' });
    expect(value).toBeUndefined();
    expect(problems.map((p) => [p.field, p.code])).toEqual([
      ['title', 'SITE_POST_TITLE_REQUIRED'],
      ['body', 'SITE_BODY_LINK'],
      ['body', 'SITE_BODY_IMAGE'],
      ['leadImageId', 'VALIDATION'],
      ['startsAt', 'SITE_EVENT_START_REQUIRED'],
      ['endsAt', 'SITE_TIME_INVALID'],
    ]);
    expect(problems[1]!.params).toEqual({ line: 1, text: '[x](javascript:alert(1)' });
  });

  it('refuses an event that ends before it starts, an unknown kind, and overlong text', () => {
    expect(checkPost({ kind: 'event', title: 'x', body: '', startsAt: '2026-04-21T11:00', endsAt: '2026-04-21T07:30' }).problems.map((p) => p.code)).toEqual(['SITE_EVENT_ENDS_BEFORE_START']);
    expect(checkPost({ kind: 'advert', title: 'x', body: '' }).problems.map((p) => p.field)).toEqual(['kind']);
    expect(checkPost({ kind: 'news', title: 'x'.repeat(201), body: 'y'.repeat(MAX_BODY_LENGTH + 1) }).problems.map((p) => [p.field, p.code])).toEqual([
      ['title', 'SITE_TEXT_TOO_LONG'],
      ['body', 'SITE_TEXT_TOO_LONG'],
    ]);
  });
});

describe('checkSiteSettings', () => {
  it('accepts a readable accent and introductions', () => {
    expect(checkSiteSettings({ accentColor: '#0A5C8A', introVi: ' Chào mừng ', introEn: '' })).toEqual({ value: { accentColor: '#0a5c8a', introVi: 'Chào mừng', introEn: null }, problems: [] });
    expect(checkSiteSettings({ accentColor: '' }).value?.accentColor).toBeNull();
  });

  it('refuses a pale accent with its ratio and a suggestion', () => {
    const { problems } = checkSiteSettings({ accentColor: '#f2c14e' });
    expect(problems).toHaveLength(1);
    expect(problems[0]!.code).toBe('SITE_COLOUR_CONTRAST');
    expect(problems[0]!.params).toMatchObject({ colour: '#f2c14e', ratio: '1.67', needed: 4.5 });
    expect(String(problems[0]!.params!.suggestion)).toMatch(/^#[0-9a-f]{6}$/);
  });

  it('refuses what is not a colour, and CSS smuggled in one', () => {
    expect(checkSiteSettings({ accentColor: 'red;}body{display:none' }).problems.map((p) => p.code)).toEqual(['SITE_COLOUR_INVALID']);
  });
});
