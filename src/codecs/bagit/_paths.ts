/**
 * Paths inside a bag: the checks that keep every read and write inside the bag folder
 * (RFC 8493 §6.1: "implementers MUST ensure that files outside the bag directory structure are
 * not accessed"), and the percent-encoding of manifest file paths (§2.1.3).
 */

/**
 * Why `path` (bag-relative, `/`-separated) could reach outside the bag, or null when it cannot.
 * Refused: empty, NUL, absolute (`/…`, `\…`), a Windows drive (`C:…`), and `.`, `..` or empty
 * segments. A backslash is an ordinary character on POSIX, but a separator for whoever unpacks
 * the bag on Windows, so `..` between backslashes is refused as well.
 */
export function unsafeReason(path: string): string | null {
  if (path === '') return 'is empty';
  if (path.includes('\0')) return 'contains a NUL character';
  if (path.startsWith('/') || path.startsWith('\\')) return 'is absolute';
  if (/^[A-Za-z]:/.test(path)) return 'starts with a drive letter';
  for (const segment of path.split('/')) {
    if (segment === '') return 'has an empty segment (`//` or a trailing `/`)';
    if (segment === '.' || segment === '..') return `has a \`${segment}\` segment`;
    if (segment.includes('\\') && segment.split('\\').some((s) => s === '..')) return 'has a `..` segment between backslashes';
  }
  return null;
}

/** True when `path` is `data/…` (a payload file), false for tag files. */
export function isPayloadPath(path: string): boolean {
  return path.startsWith('data/');
}

/** §2.1.3: in a manifest file path, CR, LF and `%` (and only those) are percent-encoded. */
export function encodeManifestPath(path: string): string {
  return path.replace(/[%\r\n]/g, (c) => (c === '%' ? '%25' : c === '\r' ? '%0D' : '%0A'));
}

/** The inverse of `encodeManifestPath`; any other `%xx` stays as written. */
export function decodeManifestPath(path: string): string {
  return path.replace(/%(0[dDaA]|25)/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
