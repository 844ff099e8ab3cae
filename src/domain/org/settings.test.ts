import { describe, expect, it } from 'vitest';
import { parseSetting, resolveSettings, settingDef, SETTINGS, type SettingValue } from './settings.js';

const def = (key: string) => {
  const d = settingDef(key);
  if (!d) throw new Error(`no setting ${key}`);
  return d;
};

describe('settingDef', () => {
  it('finds declared settings and nothing else', () => {
    expect(settingDef('circulation.loan_days')).toEqual({ key: 'circulation.loan_days', kind: 'integer', default: 14, min: 1, max: 365 });
    expect(settingDef('circulation.loan')).toBeUndefined();
    expect(settingDef('')).toBeUndefined();
  });

  it('every default passes its own check', () => {
    for (const d of SETTINGS) expect(parseSetting(d, d.default)).toBe(d.default);
  });

  it('keys are unique', () => {
    expect(new Set(SETTINGS.map((s) => s.key)).size).toBe(SETTINGS.length);
  });
});

describe('parseSetting', () => {
  it.each<[string, unknown, SettingValue | undefined]>([
    // boolean
    ['reader.self_registration', true, true],
    ['reader.self_registration', false, false],
    ['reader.self_registration', 'true', true],
    ['reader.self_registration', ' YES ', true],
    ['reader.self_registration', '1', true],
    ['reader.self_registration', 'on', true],
    ['reader.self_registration', 'off', false],
    ['reader.self_registration', '0', false],
    ['reader.self_registration', 'No', false],
    ['reader.self_registration', 'maybe', undefined],
    ['reader.self_registration', '', undefined],
    ['reader.self_registration', null, undefined],
    // integer with bounds 1..365
    ['circulation.loan_days', '14', 14],
    ['circulation.loan_days', ' 30 ', 30],
    ['circulation.loan_days', 21, 21],
    ['circulation.loan_days', '1', 1],
    ['circulation.loan_days', '365', 365],
    ['circulation.loan_days', '0', undefined],
    ['circulation.loan_days', '366', undefined],
    ['circulation.loan_days', '-5', undefined],
    ['circulation.loan_days', '14.5', undefined],
    ['circulation.loan_days', '1e2', undefined],
    ['circulation.loan_days', '0x10', undefined],
    ['circulation.loan_days', 'fourteen', undefined],
    ['circulation.loan_days', '', undefined],
    ['circulation.max_loans', '0', 0],
    ['circulation.max_loans', '201', undefined],
    // enum
    ['locale.default', 'vi', 'vi'],
    ['locale.default', ' en ', 'en'],
    ['locale.default', 'fr', undefined],
    ['locale.default', 'EN', undefined],
    // colour, stored lower case
    ['site.accent_color', '#0A5C8A', '#0a5c8a'],
    ['site.accent_color', '#0a5c8a', '#0a5c8a'],
    ['site.accent_color', '0a5c8a', undefined],
    ['site.accent_color', '#fff', undefined],
    ['site.accent_color', '#0a5c8g', undefined],
    ['site.accent_color', 'red', undefined],
  ])('%s ← %j → %j', (key, raw, expected) => {
    expect(parseSetting(def(key), raw)).toBe(expected);
  });

  it('limits free text to 500 characters', () => {
    const text = { key: 'x', kind: 'string' as const, default: '' };
    expect(parseSetting(text, '  hello  ')).toBe('hello');
    expect(parseSetting(text, 'a'.repeat(500))).toBe('a'.repeat(500));
    expect(parseSetting(text, 'a'.repeat(501))).toBeUndefined();
  });
});

describe('resolveSettings', () => {
  const value = (resolved: ReturnType<typeof resolveSettings>, key: string) => resolved.find((r) => r.key === key);

  it('gives built-in defaults when nothing is stored', () => {
    const r = resolveSettings([1, 2, 3], new Map());
    expect(r.map((s) => s.key)).toEqual(SETTINGS.map((s) => s.key));
    expect(r.every((s) => s.fromUnitId === null)).toBe(true);
    expect(value(r, 'circulation.loan_days')).toEqual({ key: 'circulation.loan_days', value: 14, fromUnitId: null });
  });

  it('inherits down the path, the lowest unit with a value winning', () => {
    const stored = new Map<number, Map<string, SettingValue>>([
      [1, new Map<string, SettingValue>([['circulation.loan_days', 21], ['locale.default', 'en']])],
      [3, new Map<string, SettingValue>([['circulation.loan_days', 30]])],
      [9, new Map<string, SettingValue>([['circulation.max_loans', 99]])], // not on the path
    ]);
    const r = resolveSettings([1, 2, 3], stored);
    expect(value(r, 'circulation.loan_days')).toEqual({ key: 'circulation.loan_days', value: 30, fromUnitId: 3 });
    expect(value(r, 'locale.default')).toEqual({ key: 'locale.default', value: 'en', fromUnitId: 1 });
    expect(value(r, 'circulation.max_loans')).toEqual({ key: 'circulation.max_loans', value: 5, fromUnitId: null });
    // Higher up the same path, the override below does not apply.
    expect(value(resolveSettings([1, 2], stored), 'circulation.loan_days')).toEqual({ key: 'circulation.loan_days', value: 21, fromUnitId: 1 });
  });

  it('keeps a stored false or 0 rather than falling back to the default', () => {
    const stored = new Map<number, Map<string, SettingValue>>([[2, new Map<string, SettingValue>([['reader.self_registration', false], ['circulation.max_loans', 0]])]]);
    const r = resolveSettings([1, 2], stored);
    expect(value(r, 'reader.self_registration')).toEqual({ key: 'reader.self_registration', value: false, fromUnitId: 2 });
    expect(value(r, 'circulation.max_loans')).toEqual({ key: 'circulation.max_loans', value: 0, fromUnitId: 2 });
  });
});
