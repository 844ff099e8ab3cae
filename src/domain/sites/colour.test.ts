import { describe, expect, it } from 'vitest';
import { AA_NORMAL_TEXT, DEFAULT_ACCENT, accentPalette, checkAccent, contrastRatio, darkenForWhiteText, mix, parseHexColour, relativeLuminance, shownRatio } from './colour.js';

describe('parseHexColour', () => {
  it.each([
    ['#0b6e4f', '#0b6e4f'],
    ['#0B6E4F', '#0b6e4f'],
    ['0b6e4f', '#0b6e4f'],
    ['  #abc ', '#aabbcc'],
    ['#ABC', '#aabbcc'],
  ])('%j → %s', (raw, out) => expect(parseHexColour(raw)).toBe(out));

  it.each(['', '#', '#12', '#1234', '#12345g', 'red', 'rgb(0,0,0)', '#0b6e4f00', 'javascript:alert(1)', '#0b6e4f;background:url(x)', '#0b6e4f}body{'])('refuses %j', (raw) => expect(parseHexColour(raw)).toBeUndefined());
});

describe('WCAG relative luminance and contrast', () => {
  it('gives the ends of the scale', () => {
    expect(relativeLuminance('#000000')).toBe(0);
    expect(relativeLuminance('#ffffff')).toBeCloseTo(1, 10);
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 10);
    expect(contrastRatio('#777777', '#777777')).toBe(1);
  });

  it('matches published ratios (WebAIM contrast checker values)', () => {
    // #767676 is the lightest grey that passes 4.5:1 on white; #777777 just fails.
    expect(contrastRatio('#767676', '#ffffff')).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio('#777777', '#ffffff')).toBeLessThan(4.5);
    expect(shownRatio(contrastRatio('#0b6e4f', '#ffffff'))).toBe('6.25');
    expect(shownRatio(contrastRatio('#f2c14e', '#ffffff'))).toBe('1.67');
  });

  it('is symmetric', () => {
    expect(contrastRatio('#0b6e4f', '#ffffff')).toBe(contrastRatio('#ffffff', '#0b6e4f'));
  });

  it('shows ratios rounded down, never up past a limit', () => {
    expect(shownRatio(4.4999)).toBe('4.49');
    expect(shownRatio(4.5)).toBe('4.50');
  });
});

describe('checkAccent', () => {
  it('accepts a colour white text reads on at AA', () => {
    expect(checkAccent('#0B6E4F')).toEqual({ ok: true, colour: '#0b6e4f', ratio: contrastRatio('#0b6e4f', '#ffffff') });
    expect(checkAccent('#767676').ok).toBe(true);
  });

  it('refuses a pale colour and suggests a darker one of the same hue that passes', () => {
    const check = checkAccent('#f2c14e');
    expect(check.ok).toBe(false);
    if (check.ok || check.reason !== 'contrast') throw new Error('expected a contrast refusal');
    expect(check.ratio).toBeLessThan(AA_NORMAL_TEXT);
    expect(contrastRatio(check.suggestion, '#ffffff')).toBeGreaterThanOrEqual(AA_NORMAL_TEXT);
    // Just enough: one channel step lighter would fail.
    expect(contrastRatio(mix(check.suggestion, '#ffffff', 0.02), '#ffffff')).toBeLessThan(AA_NORMAL_TEXT);
    // Still a yellow-brown: red above green above blue, as in the original.
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(check.suggestion.slice(i, i + 2), 16)) as [number, number, number];
    expect(r).toBeGreaterThan(g);
    expect(g).toBeGreaterThan(b);
  });

  it('refuses what is not a colour', () => {
    expect(checkAccent('red')).toEqual({ ok: false, reason: 'format' });
  });
});

describe('darkenForWhiteText', () => {
  it.each(['#ffffff', '#ffff00', '#00ff00', '#00ffff', '#ff8800', '#e0e0e0', '#abcdef'])('makes %s pass with white text', (c) => {
    expect(contrastRatio(darkenForWhiteText(c), '#ffffff')).toBeGreaterThanOrEqual(AA_NORMAL_TEXT);
  });

  it('leaves a passing colour alone', () => {
    expect(darkenForWhiteText('#0a5c8a')).toBe('#0a5c8a');
  });

  it('reaches a stricter ratio when asked', () => {
    expect(contrastRatio(darkenForWhiteText('#0b6e4f', 7), '#ffffff')).toBeGreaterThanOrEqual(7);
  });
});

describe('accentPalette', () => {
  it('uses the network green without a colour', () => {
    expect(accentPalette(null).accent).toBe(DEFAULT_ACCENT);
    expect(accentPalette('not a colour').accent).toBe(DEFAULT_ACCENT);
  });

  it('keeps every shade readable: white on accent and dark, dark and ink on the tint', () => {
    for (const c of ['#0b6e4f', '#f2c14e', '#ffffff', '#000000', '#a1261b', '#1a5fb4']) {
      const p = accentPalette(c);
      expect(contrastRatio(p.accent, '#ffffff')).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio(p.dark, '#ffffff')).toBeGreaterThanOrEqual(7);
      expect(contrastRatio(p.dark, p.tint)).toBeGreaterThanOrEqual(4.5);
      expect(contrastRatio('#1b1f1d', p.tint)).toBeGreaterThanOrEqual(7);
    }
  });
});
