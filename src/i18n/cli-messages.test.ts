import { describe, expect, it } from 'vitest';
import { cliEn, cliVi, type CliMessageKey } from './cli-messages.js';
import { fill } from './i18n.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the command line catalogue', () => {
  it('has the same keys in English and Vietnamese', () => {
    expect(Object.keys(cliVi).sort()).toEqual(Object.keys(cliEn).sort());
  });
  it.each(Object.keys(cliEn) as CliMessageKey[])('%s has the same placeholders in both languages', (key) => {
    expect(placeholders(cliVi[key])).toEqual(placeholders(cliEn[key]));
    expect(cliVi[key].trim()).not.toBe('');
  });
  it('reads counts as English does', () => {
    expect(fill(cliEn['search.total'], { total: 1, ms: 4 })).toBe('1 record matches (4 ms)');
    expect(fill(cliEn['search.total'], { total: '2,000', ms: 4 })).toBe('2,000 records match (4 ms)');
    expect(fill(cliVi['search.total'], { total: 1, ms: 4 })).toBe('1 biểu ghi khớp (4 ms)');
  });
});
