/**
 * A library's accent colour: parsed, checked and turned into the few shades its website uses.
 * Pure.
 *
 * The accent is the background of the library's header, buttons and headings' rules, always with
 * white text on it, so it must give white text a contrast ratio of at least 4.5:1 (WCAG 2.1
 * success criterion 1.4.3, level AA, for normal text). Contrast follows WCAG's definitions:
 * relative luminance of sRGB colours, and (L1 + 0.05) / (L2 + 0.05).
 */

/** The smallest contrast ratio of normal text against its background at level AA. */
export const AA_NORMAL_TEXT = 4.5;

/** The network's own green, used when a library chose no accent. */
export const DEFAULT_ACCENT = '#0b6e4f';

const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;

/** `#0B6E4F`, `0b6e4f` or `#0b6` → `#0b6e4f`; undefined when it is not a hex colour. */
export function parseHexColour(raw: string): string | undefined {
  const m = HEX.exec(raw.trim());
  if (!m) return undefined;
  const digits = m[1]!.toLowerCase();
  const six = digits.length === 3 ? [...digits].map((c) => c + c).join('') : digits;
  return `#${six}`;
}

function channels(hex: string): [number, number, number] {
  const h = parseHexColour(hex);
  if (!h) throw new RangeError(`not a hex colour: ${hex.slice(0, 20)}`);
  return [parseInt(h.slice(1, 3), 16), parseInt(h.slice(3, 5), 16), parseInt(h.slice(5, 7), 16)];
}

function toHex(rgb: readonly number[]): string {
  return `#${rgb.map((c) => Math.round(Math.min(255, Math.max(0, c))).toString(16).padStart(2, '0')).join('')}`;
}

/** One sRGB channel (0–255) as linear light (WCAG 2.1, "relative luminance"). */
function linear(c: number): number {
  const s = c / 255;
  return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
}

/** Relative luminance, 0 (black) to 1 (white). */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = channels(hex);
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

/** Contrast ratio of two colours, 1 to 21, whichever is lighter. */
export function contrastRatio(a: string, b: string): number {
  const la = relativeLuminance(a);
  const lb = relativeLuminance(b);
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** The ratio rounded down to two decimals, as it is shown to people (never rounded up past a limit). */
export function shownRatio(ratio: number): string {
  return (Math.floor(ratio * 100) / 100).toFixed(2);
}

/** Mixes a colour with another: `amount` 0 keeps it, 1 gives the other. */
export function mix(hex: string, other: string, amount: number): string {
  const a = channels(hex);
  const b = channels(other);
  return toHex(a.map((c, i) => c + (b[i]! - c) * amount));
}

/**
 * The colour darkened (mixed with black) just enough for white text to reach `ratio`; the colour
 * itself when it already does. The hue is kept, so a library's orange stays a (dark) orange.
 */
export function darkenForWhiteText(hex: string, ratio = AA_NORMAL_TEXT): string {
  const colour = parseHexColour(hex);
  if (!colour) throw new RangeError(`not a hex colour: ${hex.slice(0, 20)}`);
  if (contrastRatio(colour, '#ffffff') >= ratio) return colour;
  let lo = 0;
  let hi = 1;
  // Black always passes; halve the interval until the step is below one channel unit.
  for (let i = 0; i < 20; i++) {
    const mid = (lo + hi) / 2;
    if (contrastRatio(mix(colour, '#000000', mid), '#ffffff') >= ratio) hi = mid;
    else lo = mid;
  }
  let out = mix(colour, '#000000', hi);
  // Rounding to whole channel values may fall a hair short: darken one more step until it passes.
  for (let step = 1; contrastRatio(out, '#ffffff') < ratio && step < 255; step++) out = mix(colour, '#000000', Math.min(1, hi + step / 255));
  return out;
}

export type AccentCheck = { ok: true; colour: string; ratio: number } | { ok: false; reason: 'format' } | { ok: false; reason: 'contrast'; colour: string; ratio: number; suggestion: string };

/** Whether a colour may be a library's accent: a hex colour on which white text reaches AA. */
export function checkAccent(raw: string): AccentCheck {
  const colour = parseHexColour(raw);
  if (!colour) return { ok: false, reason: 'format' };
  const ratio = contrastRatio(colour, '#ffffff');
  if (ratio >= AA_NORMAL_TEXT) return { ok: true, colour, ratio };
  return { ok: false, reason: 'contrast', colour, ratio, suggestion: darkenForWhiteText(colour) };
}

/** The shades a library's pages use, all derived from one accepted accent. */
export interface AccentPalette {
  /** Backgrounds with white text: header, buttons. */
  accent: string;
  /** Hover and pressed states; links on white. */
  dark: string;
  /** A pale wash for panels, with the ink colour on it. */
  tint: string;
  /** Borders on the tint. */
  line: string;
}

/**
 * The palette of an accent. Any colour is first darkened to pass with white text (so a value that
 * was stored before the rule, or inherited from a setting, still gives readable pages); `dark`
 * has at least 7:1 against white, so links in it read well on the pale `tint` too.
 */
export function accentPalette(raw: string | null | undefined): AccentPalette {
  const accent = darkenForWhiteText(parseHexColour(raw ?? '') ?? DEFAULT_ACCENT);
  const dark = darkenForWhiteText(mix(accent, '#000000', 0.25), 7);
  return { accent, dark, tint: mix(accent, '#ffffff', 0.9), line: mix(accent, '#ffffff', 0.6) };
}
