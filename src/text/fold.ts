/**
 * Vietnamese text helpers used across the platform. Pure: no I/O.
 *
 * `nfc` is applied to everything stored or compared. `fold` removes tone and vowel marks and maps
 * đ/Đ to d/D (Unicode gives đ no decomposition, so NFD alone keeps it; see FINDINGS.md).
 */
export function nfc(s: string): string {
  return s.normalize('NFC');
}

const COMBINING = /[\u0300-\u036f]/g;

/** `Thư viện Đường` → `Thu vien Duong`. Case is kept. */
export function fold(s: string): string {
  return s.normalize('NFD').replace(COMBINING, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC');
}

/** A web slug from any name: folded, lower case, words joined by `-`. `Thư viện xã Hòn Đất` → `thu-vien-xa-hon-dat`. */
export function slugify(s: string, maxLength = 80): string {
  const slug = fold(s)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, maxLength).replace(/-+$/, '');
}

// eslint-disable-next-line no-control-regex
const NEEDS_CLEANING = /[\u0000-\u001f\u007f]|\s\s|^\s|\s$|[^\u0020-\u007e]/;

/** Trims, collapses inner white space and removes control characters; then NFC. */
export function cleanLine(s: string): string {
  // Printable ASCII with single inner spaces (most of what a catalogue holds) is clean already.
  if (!NEEDS_CLEANING.test(s)) return s;
  // eslint-disable-next-line no-control-regex
  return nfc(s.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/\s+/g, ' ').trim());
}

const collator = new Intl.Collator('vi', { sensitivity: 'variant', numeric: true });
/** Compares as a Vietnamese reader orders words: a < ă < â, d < đ, tones in order. */
export function compareVi(a: string, b: string): number {
  return collator.compare(a, b);
}
