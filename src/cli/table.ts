/**
 * Plain text tables for the terminal: columns padded to the widest cell, two spaces apart, the
 * last column never padded (so lines carry no trailing blanks). Widths count what is seen:
 * Vietnamese combining marks take no column.
 */

/** Columns a string takes in a terminal (combining marks count zero; no East Asian wide text here). */
export function displayWidth(s: string): number {
  let n = 0;
  for (const ch of s.normalize('NFC')) if (!/\p{M}/u.test(ch)) n++;
  return n;
}

export function padEnd(s: string, width: number): string {
  const w = displayWidth(s);
  return w >= width ? s : s + ' '.repeat(width - w);
}

/** Lays out `rows` under `header`; returns the lines. An empty cell is shown as nothing. */
export function formatTable(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => displayWidth(r[i] ?? ''))));
  return all.map((r) =>
    header
      .map((_, i) => (i === header.length - 1 ? (r[i] ?? '') : padEnd(r[i] ?? '', widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

/** Bytes in a human unit: `1.4 MB`. */
export function formatBytes(n: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1000 && i < units.length - 1) {
    v /= 1000;
    i++;
  }
  return i === 0 ? `${n} B` : `${v.toFixed(v < 10 ? 1 : 0)} ${units[i]}`;
}
