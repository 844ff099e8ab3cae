/**
 * What the BagIt codec reports. Reading a bag never throws on a bad bag: everything wrong with it
 * is a `BagProblem` (the bag is not valid) or a warning (valid, but worth telling someone), each
 * with a stable code, the bag-relative path it concerns and a message that says all of it:
 *
 *     manifest-sha256.txt line 3: data/trang 1.tif is listed twice
 *
 * Writing a bag or a tar, and extracting a tar, throw a `BagError` on input the caller must fix
 * (a payload path that escapes `data/`, a tar entry that is a symbolic link…), after removing
 * whatever they had written.
 */

export type BagProblemCode =
  /** The folder, or a file the bag needs, could not be read (permissions, I/O error…). */
  | 'unreadable'
  /** The path given is not a folder. */
  | 'not-a-directory'
  /** No `bagit.txt`. */
  | 'bagit-txt-missing'
  /** `bagit.txt` is not exactly the two lines RFC 8493 §2.1.1 prescribes. */
  | 'bagit-txt-malformed'
  /** A byte-order mark where the encoding forbids one (bagit.txt always; UTF-8 tag files). */
  | 'bom'
  /** A BagIt version this reader does not know. */
  | 'unsupported-version'
  /** A tag-file character encoding this host cannot decode. */
  | 'unsupported-encoding'
  /** No `data/` folder. */
  | 'payload-dir-missing'
  /** No `manifest-<algorithm>.txt`. */
  | 'manifest-missing'
  /** A manifest or tag manifest for an algorithm this host cannot compute. */
  | 'unsupported-algorithm'
  /** A manifest line that is not `checksum whitespace filepath`. */
  | 'manifest-line-malformed'
  /** A checksum with the wrong length or non-hex characters for its algorithm. */
  | 'checksum-malformed'
  /** A path listed twice in one manifest (§2.1.3: every payload file exactly once). */
  | 'manifest-duplicate'
  /** A path that could reach outside the bag: absolute, `..`, NUL, a drive letter. */
  | 'path-unsafe'
  /** A payload manifest entry outside `data/`, or a tag manifest entry inside it. */
  | 'path-outside-payload'
  /** A manifest lists a file that is not there. */
  | 'file-missing'
  /** A payload file missing from a payload manifest (§3: in 1.0 every manifest lists every file). */
  | 'file-not-in-manifest'
  /** A file whose bytes do not match its checksum. */
  | 'checksum-mismatch'
  /** `Payload-Oxum` disagrees with the payload's size or file count. */
  | 'oxum-mismatch'
  /** `Payload-Oxum` is not `octets.files`, or is repeated. */
  | 'oxum-malformed'
  /** `bag-info.txt` lines that are not `Label: value` or a continuation. */
  | 'bag-info-malformed'
  /** A tag manifest that misses a payload manifest or lists a tag manifest (§2.2.1). */
  | 'tagmanifest-incomplete'
  /** `fetch.txt` names files to download: we do not fetch remote payload (see readBag). */
  | 'fetch-unsupported'
  /** A line of `fetch.txt` that is not `url length filepath`. */
  | 'fetch-line-malformed'
  /** A symbolic link, device or other non-file in the bag: refused rather than followed. */
  | 'not-a-file'
  /** A tag file whose bytes are not valid in its declared encoding. */
  | 'tag-file-encoding'
  /** A tag-file line longer than the reader accepts. */
  | 'line-too-long';

export type BagWarningCode =
  /** An older BagIt version (0.93–0.97), read with that version's looser rules. */
  | 'old-version'
  /** Tag files in an encoding other than UTF-8 (allowed, but RFC 8493 strongly recommends UTF-8). */
  | 'tag-encoding'
  /** md5 or sha1 only: fine for transfer errors, weak against tampering. */
  | 'weak-algorithm'
  /** A manifest in an algorithm this host cannot compute, beside one it can: left unchecked. */
  | 'unverified-algorithm'
  /** A manifest path written `./data/…`, or with md5sum's `*` binary marker: accepted. */
  | 'path-style'
  /** A manifest path and a file name that match only after Unicode normalisation (NFC). */
  | 'normalization'
  /** Two payload files whose names differ only in case (trouble on Windows and macOS). */
  | 'case-collision'
  /** A tag file present but not listed in the tag manifests (§2.2.1: SHOULD be listed). */
  | 'tag-file-unlisted'
  /** Tag manifests that do not all list the same files. */
  | 'tagmanifest-mismatch'
  /** `bag-info.txt` elements RFC 8493 says should appear once, repeated. */
  | 'bag-info-repeated'
  /** `fetch.txt` is present but every file it names is already in the bag. */
  | 'fetch-complete'
  /** Blank lines inside a tag file. */
  | 'blank-line'
  /** An empty folder in the payload: manifests cannot list it, so it is lost in transfer. */
  | 'empty-directory';

export interface BagProblem {
  code: BagProblemCode;
  /** Bag-relative path the problem is about (`data/a.tif`, `manifest-sha256.txt`). */
  path?: string;
  message: string;
}

export interface BagWarning {
  code: BagWarningCode;
  path?: string;
  message: string;
}

export type BagErrorCode =
  /** A payload or tar entry path that is empty, absolute, has `..`, NUL or a drive letter. */
  | 'unsafe-path'
  /** Two payload or tar entries with the same path (after NFC normalisation). */
  | 'duplicate-path'
  /** A bag-info label or value the format cannot hold. */
  | 'invalid-info'
  /** The destination folder already exists. */
  | 'destination-exists'
  /** A payload source whose size or checksum differs from what the caller declared. */
  | 'size-mismatch'
  | 'checksum-mismatch'
  /** The hash function needed is not available from the BagIo port. */
  | 'unsupported-algorithm'
  /** A tar archive that is malformed, truncated, or beyond the reader's limits. */
  | 'tar-malformed'
  | 'tar-limit'
  /** A tar entry type we refuse to extract: symbolic or hard link, device, FIFO. */
  | 'tar-entry-type'
  /** Something in the folder being archived that is not a file or a folder. */
  | 'not-a-file';

export class BagError extends Error {
  readonly code: BagErrorCode;
  readonly path: string | undefined;
  constructor(code: BagErrorCode, message: string, path?: string) {
    super(message);
    this.name = 'BagError';
    this.code = code;
    this.path = path;
  }
}
