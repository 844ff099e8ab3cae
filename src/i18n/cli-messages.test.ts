import { describe, expect, it } from 'vitest';
import { cliEn, cliVi, type CliMessageKey } from './cli-messages.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('the command line catalogue', () => {
  it('has the same keys in English and Vietnamese', () => {
    expect(Object.keys(cliVi).sort()).toEqual(Object.keys(cliEn).sort());
  });
  it.each(Object.keys(cliEn) as CliMessageKey[])('%s has the same placeholders in both languages', (key) => {
    expect(placeholders(cliVi[key])).toEqual(placeholders(cliEn[key]));
    expect(cliVi[key].trim()).not.toBe('');
  });
});
