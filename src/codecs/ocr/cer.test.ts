import { describe, expect, it } from 'vitest';
import { characterErrorRate, editDistance, normaliseForCer } from './cer.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', '', 3],
    ['kitten', 'sitting', 3],
    ['Đường', 'Duong', 3],
    ['Việt', 'Viêt', 1],
    ['a😀b', 'ab', 1],
    ['flaw', 'lawn', 2],
  ])('%s → %s: %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });
});

describe('characterErrorRate', () => {
  it('is 0 for the same text in another Unicode form or layout', () => {
    expect(characterErrorRate('Nguye\u0302\u0303n  Du\n\ntruyện', 'Nguyễn Du truyện')).toBe(0);
    expect(normaliseForCer('  a \n b\t')).toBe('a b');
  });

  it('is the edit distance over the true length', () => {
    expect(characterErrorRate('Ấm đứa cháu', 'Ẵm đứa cháu')).toBeCloseTo(1 / 11, 10);
    expect(characterErrorRate('', 'abcd')).toBe(1);
  });

  it('counts anything read from an empty page as wrong', () => {
    expect(characterErrorRate('', '')).toBe(0);
    expect(characterErrorRate('x', ' ')).toBe(1);
  });
});
