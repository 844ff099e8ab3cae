import { describe, expect, it } from 'vitest';
import { en, vi } from './messages.js';
import { DEFAULT_LOCALE, fromAcceptLanguage, hasMessage, isLocale, negotiateLocale, translator } from './i18n.js';
import { ERRORS } from '../domain/errors.js';
import { UNIT_TYPE_CODES } from '../domain/org/unit-types.js';
import { BUILTIN_ROLES, SCOPES } from '../domain/access/permissions.js';

const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();

describe('catalogues', () => {
  it('vi and en have exactly the same keys', () => {
    const viKeys = Object.keys(vi).sort();
    const enKeys = Object.keys(en).sort();
    expect(enKeys.filter((k) => !(k in vi))).toEqual([]);
    expect(viKeys.filter((k) => !(k in en))).toEqual([]);
    expect(enKeys).toEqual(viKeys);
  });

  it('every key has the same {placeholders} in both languages', () => {
    const differ = Object.keys(vi)
      .filter((k) => k in en)
      .map((k) => ({ key: k, vi: placeholders(vi[k as keyof typeof vi]), en: placeholders(en[k as keyof typeof en]) }))
      .filter((x) => x.vi.join() !== x.en.join());
    expect(differ).toEqual([]);
  });

  it('a {count|one|other} choice names a placeholder its message has, and the messages show it', () => {
    const wrong = Object.entries({ ...vi, ...en }).flatMap(([k, t]) =>
      [...t.matchAll(/\{(\w+)\|/g)].filter((m) => !placeholders(t).includes(m[1]!)).map(() => k),
    );
    expect(wrong).toEqual([]);
    // English counts read as English: no "1 copies" left where a number comes before a plural noun.
    const unchosen = Object.entries(en).filter(([, t]) => /\{(count|pages|total)\} (copies|documents|records|pages|results|matches|units|members|items)\b/.test(t));
    expect(unchosen.map(([k]) => k)).toEqual([]);
  });

  it('no message is empty or untranslated by accident', () => {
    expect(Object.entries(vi).filter(([, t]) => t.trim() === '').map(([k]) => k)).toEqual([]);
    expect(Object.entries(en).filter(([, t]) => t.trim() === '').map(([k]) => k)).toEqual([]);
  });

  it('every error code has error.<CODE> in both languages', () => {
    const missing = Object.keys(ERRORS).flatMap((code) => [
      ...(`error.${code}` in vi ? [] : [`vi: error.${code}`]),
      ...(`error.${code}` in en ? [] : [`en: error.${code}`]),
    ]);
    expect(missing).toEqual([]);
  });

  it('no error.<CODE> message exists for a code the catalogue lacks', () => {
    const stray = Object.keys(vi)
      .filter((k) => k.startsWith('error.'))
      .map((k) => k.slice('error.'.length))
      .filter((code) => !(code in ERRORS));
    expect(stray).toEqual([]);
  });

  it('every unit type, built-in role and scope has a name', () => {
    for (const t of UNIT_TYPE_CODES) expect(hasMessage(`unitType.${t}`), `unitType.${t}`).toBe(true);
    for (const r of BUILTIN_ROLES) expect(hasMessage(`role.${r.code}`), `role.${r.code}`).toBe(true);
    for (const s of SCOPES) expect(hasMessage(`scope.${s}`), `scope.${s}`).toBe(true);
  });
});

describe('translator', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translator('en')('error.ORG_UNIT_NOT_FOUND', { unit: 'KG' })).toBe('Unit KG not found.');
    expect(translator('vi')('error.ORG_UNIT_NOT_FOUND', { unit: 'KG' })).toBe('Không tìm thấy đơn vị KG.');
    expect(translator('en')('error.ORG_UNIT_NOT_FOUND')).toBe('Unit {unit} not found.');
    expect(translator('en')('error.ORG_UNIT_NOT_FOUND', { other: 1 })).toBe('Unit {unit} not found.');
    expect(translator('en')('error.ORG_MOVE_CYCLE', { unit: 'A', parent: 'B' })).toBe('Cannot move A under B: B is the unit itself or below it.');
  });

  it('chooses the singular or plural words by the number', () => {
    const en_ = translator('en');
    expect(en_('search.result.holdings', { count: 1 })).toBe('1 copy');
    expect(en_('search.result.holdings', { count: 0 })).toBe('0 copies');
    expect(en_('search.result.holdings', { count: '1.234' })).toBe('1.234 copies');
    expect(en_('search.summary', { count: '1' })).toBe('1 document found');
    expect(en_('sites.libraries.publishedCount', { count: 1 })).toBe('1 library has its own website');
    expect(en_('sites.libraries.publishedCount', { count: 3 })).toBe('3 libraries have their own website');
    expect(en_('error.ORG_CLOSE_HAS_CHILDREN', { unit: 'HD', count: 1 })).toBe('Cannot close HD while 1 unit under it is still open.');
    // Vietnamese nouns do not change.
    expect(translator('vi')('search.result.holdings', { count: 1 })).toBe('1 bản');
    // A value is never read as a choice, and a choice without its parameter stays visible.
    expect(en_('error.ORG_UNIT_NOT_FOUND', { unit: '{count|a|b}', count: 1 })).toBe('Unit {count|a|b} not found.');
    expect(en_('search.result.holdings')).toBe('{count} {count|copy|copies}');
  });

  it('does not interpret $ patterns in values', () => {
    expect(translator('en')('error.ORG_UNIT_NOT_FOUND', { unit: "$& $' $1" })).toBe("Unit $& $' $1 not found.");
  });

  it('hasMessage knows real keys only', () => {
    expect(hasMessage('error.VALIDATION')).toBe(true);
    expect(hasMessage('error.NOPE')).toBe(false);
    expect(hasMessage('toString')).toBe(false);
  });
});

describe('isLocale', () => {
  it.each([
    ['vi', true],
    ['en', true],
    ['EN', false],
    ['fr', false],
    ['', false],
    [null, false],
    [undefined, false],
  ])('%j → %s', (s, ok) => expect(isLocale(s)).toBe(ok));
});

describe('fromAcceptLanguage', () => {
  it.each<[string | undefined, 'vi' | 'en' | undefined]>([
    [undefined, undefined],
    ['', undefined],
    ['en', 'en'],
    ['vi', 'vi'],
    ['vi-VN', 'vi'],
    ['EN-gb', 'en'],
    ['en-GB,en;q=0.8,vi;q=0.5', 'en'],
    ['vi;q=0.5,en;q=0.9', 'en'],
    ['vi;q=0.9,en;q=0.5', 'vi'],
    ['fr-FR,fr;q=0.9,en;q=0.8,vi;q=0.7', 'en'],
    ['fr, de;q=0.8, vi;q=0.1', 'vi'],
    ['en;q=0, vi;q=0.1', 'vi'],
    ['en;q=0', undefined],
    ['fr, de', undefined],
    ['*', undefined],
    ['*;q=0.5, vi;q=0.4', 'vi'],
    [' en ; q=0.3 , vi ; q=0.2 ', 'en'],
    ['en;q=abc, vi;q=0.5', 'en'], // an unreadable q counts as 1
    ['en;q=1.2.3, vi;q=0.5', 'vi'], // NaN is dropped
    [',,,;;;', undefined],
    ['vi;;q=0.9', 'vi'],
    ['\u0000\u00ff', undefined],
    ['x'.repeat(10000), undefined],
    [`${'fr,'.repeat(30)}vi`, undefined], // only the first 20 entries are read
  ])('%j → %s', (header, locale) => {
    expect(fromAcceptLanguage(header)).toBe(locale);
  });
});

describe('negotiateLocale', () => {
  it.each<[Parameters<typeof negotiateLocale>[0], 'vi' | 'en']>([
    [{}, 'vi'],
    [{ userLocale: 'en', cookie: 'vi', acceptLanguage: 'vi' }, 'en'],
    [{ userLocale: 'vi', cookie: 'en', acceptLanguage: 'en' }, 'vi'],
    [{ userLocale: null, cookie: 'en', acceptLanguage: 'vi' }, 'en'],
    [{ userLocale: 'fr', cookie: 'en', acceptLanguage: 'vi' }, 'en'],
    [{ cookie: 'vi', acceptLanguage: 'en' }, 'vi'],
    [{ cookie: 'xx', acceptLanguage: 'en-US,en;q=0.9' }, 'en'],
    [{ cookie: '', acceptLanguage: 'en' }, 'en'],
    [{ acceptLanguage: 'fr' }, 'vi'],
    [{ acceptLanguage: 'garbage;;;' }, 'vi'],
    [{ userLocale: 'EN' }, 'vi'],
  ])('%j → %s', (opts, locale) => {
    expect(negotiateLocale(opts)).toBe(locale);
  });

  it('defaults to Vietnamese', () => {
    expect(DEFAULT_LOCALE).toBe('vi');
  });
});
