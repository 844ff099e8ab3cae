/**
 * Reading and validating a bag (RFC 8493 §3: complete, then valid). Nothing about a bad bag
 * throws: every fault found is a problem with a stable code, and the reader goes on to find the
 * others, so that one report tells a librarian everything to fix.
 *
 * ```ts
 * const bag = await readBag('/uploads/sach-123', { io: nodeBagIo });
 * if (!bag.valid) for (const p of bag.problems) console.log(p.code, p.message);
 * else for (const f of bag.files) store(f.path, f.sha256);
 * ```
 *
 * Every payload file is read once, in chunks, through all the hashes it needs at the same time;
 * SHA-256 is always among them, because the file store addresses files by it.
 *
 * Not supported, deliberately: downloading the files a `fetch.txt` lists. A bag whose fetch.txt
 * names files that are not there gets a `fetch-unsupported` problem ("fetch them first"); one
 * whose listed files are all present is read normally, with a warning.
 */
import { decodeManifestPath, isPayloadPath, unsafeReason } from './_paths.js';
import {
  checksumProblem,
  decoderFor,
  manifestName,
  parseBagDeclaration,
  parseBagInfo,
  parseFetchLine,
  parseManifestLine,
  readLines,
  TagDecodeError,
  type InfoEntry,
} from './_tagfiles.js';
import type { BagProblem, BagProblemCode, BagWarning, BagWarningCode } from './errors.js';
import { isBagAlgorithm, joinPath, type BagAlgorithm, type BagIo, type EntryInfo, type Hasher } from './io.js';

export interface ReadBagOptions {
  io: BagIo;
  /** Longest tag-file line accepted, in characters (default 65,536): manifest paths are unbounded in the RFC, not here. */
  maxLineLength?: number;
  /** Called after each payload file is hashed. */
  onProgress?: (done: { files: number; bytes: number; totalFiles: number; totalBytes: number }) => void;
}

export interface BagFile {
  /** Relative to `data/`, as the file is named on disk. */
  path: string;
  size: number;
  /** Computed from the bytes read, whatever the manifests' algorithms. */
  sha256: string;
}

export interface BagReadResult {
  /** Complete and valid: no problems. */
  valid: boolean;
  /** `BagIt-Version` as declared, or null when bagit.txt is missing or unreadable. */
  version: string | null;
  encoding: string | null;
  /** bag-info.txt elements by label (as first spelled), values in order. */
  info: Record<string, string[]>;
  /** bag-info.txt elements in file order (§2.2.2: order may be significant). */
  infoEntries: InfoEntry[];
  /** The payload files found on disk and read, sorted by path. */
  files: BagFile[];
  problems: BagProblem[];
  warnings: BagWarning[];
}

const KNOWN_VERSIONS = new Set(['0.93', '0.94', '0.95', '0.96', '0.97', '1.0']);
/** §2.2.2: elements that should appear at most once (Payload-Oxum must). */
const SINGLE_ELEMENTS = ['bagging-date', 'bag-size', 'bag-group-identifier', 'bag-count'];
const BAGIT_TXT_LIMIT = 64 * 1024;

interface Manifest {
  name: string;
  kind: 'payload' | 'tag';
  /** null when the name is not one we can hash. */
  algorithm: BagAlgorithm | null;
  /** Bag-relative path → checksum, in lowercase. */
  entries: Map<string, string>;
}

/** Reads and validates the bag in folder `dir`. Never throws for a bad bag. */
export async function readBag(dir: string, options: ReadBagOptions): Promise<BagReadResult> {
  const reader = new BagReader(dir, options);
  return reader.run();
}

class BagReader {
  readonly #dir: string;
  readonly #io: BagIo;
  readonly #options: ReadBagOptions;
  readonly #maxLine: number;
  readonly #problems: BagProblem[] = [];
  readonly #warnings: BagWarning[] = [];
  #version: string | null = null;
  #encoding: string | null = null;
  /** 1.0 rules (also for unknown versions); the looser pre-1.0 rules otherwise. */
  #strict = true;

  constructor(dir: string, options: ReadBagOptions) {
    this.#dir = dir;
    this.#io = options.io;
    this.#options = options;
    this.#maxLine = options.maxLineLength ?? 65_536;
  }

  #problem(code: BagProblemCode, message: string, path?: string): void {
    this.#problems.push(path === undefined ? { code, message } : { code, path, message });
  }

  #warn(code: BagWarningCode, message: string, path?: string): void {
    this.#warnings.push(path === undefined ? { code, message } : { code, path, message });
  }

  #result(extra: Partial<BagReadResult> = {}): BagReadResult {
    return {
      valid: this.#problems.length === 0,
      version: this.#version,
      encoding: this.#encoding,
      info: {},
      infoEntries: [],
      files: [],
      ...extra,
      problems: this.#problems,
      warnings: this.#warnings,
    };
  }

  async run(): Promise<BagReadResult> {
    const top = await this.#safe(() => this.#io.stat(this.#dir), this.#dir);
    if (top === undefined) return this.#result();
    if (top === null || top.kind !== 'directory') {
      this.#problem('not-a-directory', top === null ? `${this.#dir} does not exist` : `${this.#dir} is not a folder`);
      return this.#result();
    }

    const tree = await this.#walk();
    if (!tree) return this.#result();

    if (!(await this.#readDeclaration(tree.tagFiles))) return this.#result();

    if (!tree.hasDataDir) this.#problem('payload-dir-missing', 'the bag has no data/ folder', 'data');

    const manifests: Manifest[] = [];
    for (const name of [...tree.rootNames].sort()) {
      const parsed = manifestName(name);
      if (!parsed) continue;
      const algorithm = isBagAlgorithm(parsed.algorithm) && this.#io.createHash(parsed.algorithm) ? parsed.algorithm : null;
      const manifest: Manifest = { name, kind: parsed.kind, algorithm, entries: new Map() };
      if (tree.tagFiles.get(name)?.kind !== 'file') continue;
      await this.#readManifest(manifest);
      manifests.push(manifest);
    }
    const payloadManifests = manifests.filter((m) => m.kind === 'payload');
    const tagManifests = manifests.filter((m) => m.kind === 'tag');
    this.#checkAlgorithms(payloadManifests, tagManifests);

    const fetchPaths = tree.tagFiles.get('fetch.txt')?.kind === 'file' ? await this.#readFetch() : new Set<string>();

    const payload = this.#matchPayload(tree.payloadFiles, payloadManifests, fetchPaths);
    this.#checkTagManifests(tagManifests, payloadManifests, tree.tagFiles);

    const { info, infoEntries } = tree.tagFiles.get('bag-info.txt')?.kind === 'file' ? await this.#readInfo(tree.payloadFiles) : { info: {}, infoEntries: [] };

    const files = await this.#verifyPayload(payload, payloadManifests, tree.payloadFiles);
    await this.#verifyTagFiles(tagManifests, tree.tagFiles);
    return this.#result({ info, infoEntries, files });
  }

  /** Runs one port call; an I/O error becomes an `unreadable` problem and `undefined`. */
  async #safe<T>(call: () => Promise<T>, path: string): Promise<T | undefined> {
    try {
      return await call();
    } catch (e) {
      this.#problem('unreadable', `${path} cannot be read: ${e instanceof Error ? e.message : String(e)}`, path);
      return undefined;
    }
  }

  // -------------------------------------------------------------------------------------------
  // The folder tree

  /**
   * Every entry of the bag, without following links: payload files under data/, tag files
   * everywhere else. Links, devices and the like are refused wherever they are, since following
   * one could read outside the bag (§6.1).
   */
  async #walk(): Promise<{ rootNames: string[]; hasDataDir: boolean; payloadFiles: Map<string, EntryInfo>; tagFiles: Map<string, EntryInfo> } | null> {
    const payloadFiles = new Map<string, EntryInfo>();
    const tagFiles = new Map<string, EntryInfo>();
    const root = await this.#safe(() => this.#io.list(this.#dir), this.#dir);
    if (!root) return null;
    const rootNames = root.map((e) => e.name);
    let hasDataDir = false;
    const visit = async (rel: string): Promise<number> => {
      const entries = await this.#safe(() => this.#io.list(joinPath(this.#dir, rel)), rel);
      if (!entries) return 1;
      for (const entry of entries) {
        const path = `${rel}/${entry.name}`;
        if (entry.kind === 'directory') {
          const count = await visit(path);
          if (count === 0 && isPayloadPath(path)) this.#warn('empty-directory', `${path}/ is an empty folder: no manifest can list it`, path);
        } else await this.#addEntry(path, entry.kind, isPayloadPath(path) ? payloadFiles : tagFiles);
      }
      return entries.length;
    };
    for (const entry of root) {
      if (entry.name === 'data' && entry.kind === 'directory') {
        hasDataDir = true;
        await visit('data');
      } else if (entry.kind === 'directory') await visit(entry.name);
      else await this.#addEntry(entry.name, entry.kind, tagFiles);
    }
    return { rootNames, hasDataDir, payloadFiles, tagFiles };
  }

  async #addEntry(path: string, kind: EntryInfo['kind'], into: Map<string, EntryInfo>): Promise<void> {
    if (kind !== 'file') {
      this.#problem('not-a-file', `${path} is a ${kind === 'symlink' ? 'symbolic link' : 'special file'}; a bag holds only files and folders`, path);
      return;
    }
    const info = await this.#safe(() => this.#io.stat(joinPath(this.#dir, path)), path);
    if (info) into.set(path, info);
  }

  // -------------------------------------------------------------------------------------------
  // bagit.txt

  async #readDeclaration(tagFiles: Map<string, EntryInfo>): Promise<boolean> {
    if (tagFiles.get('bagit.txt')?.kind !== 'file') {
      this.#problem('bagit-txt-missing', 'the bag has no bagit.txt', 'bagit.txt');
      this.#encoding = 'UTF-8';
      return true;
    }
    const bytes = await this.#safe(() => readSmall(this.#io, joinPath(this.#dir, 'bagit.txt'), BAGIT_TXT_LIMIT), 'bagit.txt');
    if (bytes === undefined) return true;
    if (bytes === null) {
      this.#problem('bagit-txt-malformed', `bagit.txt is longer than ${BAGIT_TXT_LIMIT} bytes; it should be two short lines`, 'bagit.txt');
      return true;
    }
    let body = bytes;
    if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
      this.#problem('bom', 'bagit.txt starts with a byte-order mark, which RFC 8493 §2.1.1 forbids', 'bagit.txt');
      body = bytes.subarray(3);
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body);
    } catch {
      this.#problem('tag-file-encoding', 'bagit.txt is not valid UTF-8', 'bagit.txt');
      return true;
    }
    const declaration = parseBagDeclaration(text);
    this.#version = declaration.version;
    this.#encoding = declaration.encoding;
    for (const message of declaration.errors) this.#problem('bagit-txt-malformed', `bagit.txt: ${message}`, 'bagit.txt');

    const version = declaration.version;
    if (version !== null && /^\d+\.\d+$/.test(version)) {
      if (!KNOWN_VERSIONS.has(version)) this.#problem('unsupported-version', `bagit.txt declares BagIt ${version}; this reader knows 0.93 to 1.0`, 'bagit.txt');
      else if (version !== '1.0') {
        this.#strict = false;
        this.#warn('old-version', `BagIt ${version}: read with that version's rules`, 'bagit.txt');
      }
    }
    if (this.#strict) for (const message of declaration.strictErrors) this.#problem('bagit-txt-malformed', `bagit.txt: ${message}`, 'bagit.txt');

    const encoding = declaration.encoding ?? 'UTF-8';
    if (!decoderFor(encoding, new Uint8Array(0))) {
      this.#problem('unsupported-encoding', `bagit.txt declares the tag-file encoding "${encoding}", which this host cannot decode`, 'bagit.txt');
      return false;
    }
    if (!isUtf8(encoding)) this.#warn('tag-encoding', `tag files are in ${encoding}; RFC 8493 §2.3 strongly recommends UTF-8`, 'bagit.txt');
    return true;
  }

  // -------------------------------------------------------------------------------------------
  // Tag files line by line

  /**
   * Calls `onLine` for each line of a tag file, in the bag's declared encoding. A BOM in a UTF-8
   * file (§2.3), a line over the limit, bytes that do not decode and read errors are problems.
   */
  async #eachLine(path: string, onLine: (number: number, text: string) => void): Promise<void> {
    const encoding = this.#encoding ?? 'UTF-8';
    let blank = false;
    try {
      for await (const line of readLines(this.#io.read(joinPath(this.#dir, path)), encoding, this.#maxLine)) {
        if (line.tooLong) {
          this.#problem('line-too-long', `${path} line ${line.number} is longer than ${this.#maxLine} characters`, path);
          continue;
        }
        let text = line.text;
        if (line.number === 1 && text.startsWith('\ufeff')) {
          text = text.slice(1);
          if (isUtf8(encoding)) this.#problem('bom', `${path} starts with a byte-order mark, which RFC 8493 §2.3 forbids in UTF-8 tag files`, path);
        }
        if (text.trim() === '') {
          blank = true;
          continue;
        }
        onLine(line.number, text);
      }
    } catch (e) {
      if (e instanceof TagDecodeError) this.#problem('tag-file-encoding', `${path} ${e.message} (${encoding})`, path);
      else this.#problem('unreadable', `${path} cannot be read: ${e instanceof Error ? e.message : String(e)}`, path);
    }
    if (blank) this.#warn('blank-line', `${path} has blank lines`, path);
  }

  /** A path as a manifest or fetch.txt writes it, decoded and checked; null when refused. */
  #entryPath(file: string, number: number, raw: string, marker: boolean): string | null {
    let path = this.#strict ? decodeManifestPath(raw) : raw;
    if (marker) this.#warn('path-style', `${file} line ${number}: md5sum's "*" before the path was ignored; strict tools will reject this manifest`, file);
    if (path.startsWith('./')) {
      path = path.slice(2);
      this.#warn('path-style', `${file} line ${number}: "./" before ${path} was ignored`, file);
    }
    const why = unsafeReason(path);
    if (why) {
      this.#problem('path-unsafe', `${file} line ${number}: path "${raw}" ${why}; it could reach outside the bag`, file);
      return null;
    }
    return path;
  }

  async #readManifest(manifest: Manifest): Promise<void> {
    const { name } = manifest;
    const declared = manifestName(name)?.algorithm ?? '';
    const known = isBagAlgorithm(declared) ? declared : null;
    await this.#eachLine(name, (number, text) => {
      const line = parseManifestLine(text);
      if (!line) {
        this.#problem('manifest-line-malformed', `${name} line ${number}: expected "checksum path", found "${text}"`, name);
        return;
      }
      if (known) {
        const why = checksumProblem(line.checksum, known);
        if (why) this.#problem('checksum-malformed', `${name} line ${number}: ${why}`, name);
      }
      const path = this.#entryPath(name, number, line.rawPath, line.binaryMarker);
      if (path === null) return;
      if (manifest.kind === 'payload' && !isPayloadPath(path)) {
        this.#problem('path-outside-payload', `${name} line ${number}: ${path} is not under data/; a payload manifest lists only payload files`, name);
        return;
      }
      if (manifest.kind === 'tag' && isPayloadPath(path)) {
        this.#problem('path-outside-payload', `${name} line ${number}: ${path} is a payload file; a tag manifest must not list one (§2.2.1)`, name);
        return;
      }
      const previous = manifest.entries.get(path);
      if (previous !== undefined) {
        const same = previous === line.checksum.toLowerCase() ? 'with the same checksum' : 'with different checksums';
        this.#problem('manifest-duplicate', `${name} line ${number}: ${path} is listed twice (${same}); each file must be listed exactly once`, name);
        return;
      }
      manifest.entries.set(path, line.checksum.toLowerCase());
    });
  }

  #checkAlgorithms(payloadManifests: Manifest[], tagManifests: Manifest[]): void {
    if (payloadManifests.length === 0) this.#problem('manifest-missing', 'the bag has no payload manifest (manifest-<algorithm>.txt)');
    for (const group of [payloadManifests, tagManifests]) {
      const usable = group.some((m) => m.algorithm !== null);
      for (const m of group) {
        if (m.algorithm !== null) continue;
        const what = `${m.name}: this host cannot compute ${manifestName(m.name)?.algorithm}`;
        if (usable) this.#warn('unverified-algorithm', `${what}; its checksums were not verified (another manifest's were)`, m.name);
        else this.#problem('unsupported-algorithm', `${what}, and no other manifest can be verified`, m.name);
      }
    }
    const algorithms = payloadManifests.map((m) => m.algorithm).filter((a) => a !== null);
    if (algorithms.length > 0 && algorithms.every((a) => a === 'md5' || a === 'sha1')) {
      this.#warn('weak-algorithm', `only ${algorithms.join(' and ')} checksums: they catch transfer errors but not deliberate changes`);
    }
  }

  /** Paths of fetch.txt (§2.2.3), checked like manifest paths. */
  async #readFetch(): Promise<Set<string>> {
    const paths = new Set<string>();
    await this.#eachLine('fetch.txt', (number, text) => {
      const line = parseFetchLine(text);
      if (!line) {
        this.#problem('fetch-line-malformed', `fetch.txt line ${number}: expected "url length path", found "${text}"`, 'fetch.txt');
        return;
      }
      const path = this.#entryPath('fetch.txt', number, line.rawPath, false);
      if (path === null) return;
      if (!isPayloadPath(path)) {
        this.#problem('path-outside-payload', `fetch.txt line ${number}: ${path} is not under data/; fetch.txt lists only payload files`, 'fetch.txt');
        return;
      }
      paths.add(path);
    });
    return paths;
  }

  // -------------------------------------------------------------------------------------------
  // Completeness (§3)

  /**
   * Pairs manifest entries with files on disk and reports what is missing on either side. Names
   * are compared exactly, then after NFC normalisation (§7.1.3 asks tools to tolerate the
   * difference: macOS writes names decomposed, and a Vietnamese name has several marks).
   * Returns the payload files to hash, each with the manifest path(s) that name it.
   */
  #matchPayload(onDisk: Map<string, EntryInfo>, manifests: Manifest[], fetchPaths: Set<string>): Map<string, Map<Manifest, string>> {
    const byNfc = new Map<string, string[]>();
    for (const path of onDisk.keys()) {
      const key = path.normalize('NFC');
      byNfc.set(key, [...(byNfc.get(key) ?? []), path]);
    }
    /** Disk path → manifest → expected checksum. */
    const listed = new Map<string, Map<Manifest, string>>();
    for (const path of onDisk.keys()) listed.set(path, new Map());
    const fetchMissing = new Set<string>();

    for (const manifest of manifests) {
      for (const [path, checksum] of manifest.entries) {
        let diskPath: string | undefined = onDisk.has(path) ? path : undefined;
        if (diskPath === undefined) {
          const candidates = byNfc.get(path.normalize('NFC')) ?? [];
          if (candidates.length === 1) {
            diskPath = candidates[0];
            this.#warn('normalization', `${manifest.name} lists ${path}, found on disk as ${diskPath}: the same name in another Unicode normalisation`, path);
          }
        }
        if (diskPath === undefined) {
          if (fetchPaths.has(path)) fetchMissing.add(path);
          else this.#problem('file-missing', `${manifest.name} lists ${path}, which is not in the bag`, path);
          continue;
        }
        listed.get(diskPath)?.set(manifest, checksum);
      }
    }

    for (const [path, inManifests] of listed) {
      if (manifests.length === 0) break;
      const missingFrom = manifests.filter((m) => !inManifests.has(m));
      if (this.#strict && missingFrom.length > 0) {
        for (const m of missingFrom) this.#problem('file-not-in-manifest', `${path} is not listed in ${m.name}; in BagIt 1.0 every payload manifest lists every payload file`, path);
      } else if (inManifests.size === 0) {
        this.#problem('file-not-in-manifest', `${path} is not listed in any payload manifest`, path);
      }
    }

    for (const path of fetchPaths) {
      for (const m of manifests) if (!m.entries.has(path)) this.#problem('file-not-in-manifest', `fetch.txt names ${path}, which ${m.name} does not list`, path);
    }
    for (const path of [...fetchMissing].sort()) {
      this.#problem('fetch-unsupported', `${path} is to be downloaded from the address in fetch.txt; this system does not fetch remote files: download them into the bag and remove fetch.txt`, path);
    }
    if (fetchPaths.size > 0 && fetchMissing.size === 0) this.#warn('fetch-complete', 'fetch.txt is present but every file it names is already in the bag', 'fetch.txt');

    const byCase = new Map<string, string[]>();
    for (const path of onDisk.keys()) {
      const key = path.normalize('NFC').toLowerCase();
      byCase.set(key, [...(byCase.get(key) ?? []), path]);
    }
    for (const paths of byCase.values()) {
      if (paths.length > 1) this.#warn('case-collision', `${paths.join(', ')} differ only in case or normalisation: they collide on Windows and macOS`, paths[0]);
    }
    return listed;
  }

  #checkTagManifests(tagManifests: Manifest[], payloadManifests: Manifest[], tagFiles: Map<string, EntryInfo>): void {
    const listedAnywhere = new Set<string>();
    for (const m of tagManifests) {
      for (const path of m.entries.keys()) {
        listedAnywhere.add(path);
        if (manifestName(path)?.kind === 'tag') {
          const message = `${m.name} lists ${path}; a tag manifest must not list tag manifests (§2.2.1)`;
          if (this.#strict) this.#problem('tagmanifest-incomplete', message, m.name);
          else this.#warn('tag-file-unlisted', message, m.name);
          continue;
        }
        if (!tagFiles.has(path)) this.#problem('file-missing', `${m.name} lists ${path}, which is not in the bag`, path);
      }
      if (this.#strict) {
        for (const p of payloadManifests) {
          if (!m.entries.has(p.name)) this.#problem('tagmanifest-incomplete', `${m.name} does not list ${p.name}; every tag manifest must list every payload manifest (§2.2.1)`, m.name);
        }
      }
    }
    if (tagManifests.length === 0) return;
    for (const path of tagFiles.keys()) {
      if (manifestName(path)?.kind === 'tag' || listedAnywhere.has(path)) continue;
      this.#warn('tag-file-unlisted', `${path} is not listed in any tag manifest, so nothing checks it`, path);
    }
    const sets = tagManifests.map((m) => [...m.entries.keys()].sort().join('\n'));
    if (new Set(sets).size > 1) this.#warn('tagmanifest-mismatch', `the tag manifests do not list the same files (${tagManifests.map((m) => m.name).join(', ')})`);
  }

  // -------------------------------------------------------------------------------------------
  // bag-info.txt

  async #readInfo(payloadFiles: Map<string, EntryInfo>): Promise<{ info: Record<string, string[]>; infoEntries: InfoEntry[] }> {
    const lines: { number: number; text: string }[] = [];
    await this.#eachLine('bag-info.txt', (number, text) => lines.push({ number, text }));
    const parsed = parseBagInfo(lines);
    for (const message of parsed.errors) this.#problem('bag-info-malformed', `bag-info.txt ${message}`, 'bag-info.txt');
    if (this.#strict) for (const message of parsed.strictErrors) this.#problem('bag-info-malformed', `bag-info.txt ${message}`, 'bag-info.txt');

    const info: Record<string, string[]> = {};
    const spelling = new Map<string, string>();
    for (const { label, value } of parsed.entries) {
      const key = spelling.get(label.toLowerCase()) ?? label;
      spelling.set(label.toLowerCase(), key);
      (info[key] ??= []).push(value);
    }
    const values = (label: string): string[] => info[spelling.get(label) ?? ''] ?? [];
    for (const label of SINGLE_ELEMENTS) {
      if (values(label).length > 1) this.#warn('bag-info-repeated', `bag-info.txt has ${spelling.get(label)} ${values(label).length} times; it should appear once`, 'bag-info.txt');
    }

    const oxum = values('payload-oxum');
    if (oxum.length > 1) this.#problem('oxum-malformed', 'bag-info.txt has Payload-Oxum more than once; it must appear at most once', 'bag-info.txt');
    else if (oxum.length === 1) {
      const m = /^(\d+)\.(\d+)$/.exec(oxum[0] ?? '');
      if (!m) this.#problem('oxum-malformed', `bag-info.txt: Payload-Oxum "${oxum[0]}" is not "octets.files"`, 'bag-info.txt');
      else {
        let octets = 0;
        for (const f of payloadFiles.values()) octets += f.size;
        const [wantOctets, wantFiles] = [Number(m[1]), Number(m[2])];
        if (wantOctets !== octets || wantFiles !== payloadFiles.size) {
          this.#problem('oxum-mismatch', `Payload-Oxum says ${wantOctets} bytes in ${wantFiles} files; the payload has ${octets} bytes in ${payloadFiles.size} files`, 'bag-info.txt');
        }
      }
    }
    return { info, infoEntries: parsed.entries };
  }

  // -------------------------------------------------------------------------------------------
  // Validity (§3): checksums

  async #verifyPayload(payload: Map<string, Map<Manifest, string>>, manifests: Manifest[], onDisk: Map<string, EntryInfo>): Promise<BagFile[]> {
    const files: BagFile[] = [];
    const paths = [...payload.keys()].sort();
    let totalBytes = 0;
    for (const path of paths) totalBytes += onDisk.get(path)?.size ?? 0;
    let bytes = 0;
    for (const path of paths) {
      const expected = payload.get(path) ?? new Map<Manifest, string>();
      const algorithms = new Set<BagAlgorithm>(['sha256']);
      for (const m of manifests) if (m.algorithm) algorithms.add(m.algorithm);
      const digests = await this.#hashFile(path, algorithms);
      if (!digests) continue;
      this.#compare(path, expected, digests.checksums);
      const sha256 = digests.checksums.get('sha256');
      if (sha256 !== undefined) files.push({ path: path.slice('data/'.length), size: digests.size, sha256 });
      bytes += digests.size;
      this.#options.onProgress?.({ files: files.length, bytes, totalFiles: paths.length, totalBytes });
    }
    return files;
  }

  async #verifyTagFiles(tagManifests: Manifest[], tagFiles: Map<string, EntryInfo>): Promise<void> {
    const expected = new Map<string, Map<Manifest, string>>();
    for (const m of tagManifests) {
      for (const [path, checksum] of m.entries) {
        if (!tagFiles.has(path) || manifestName(path)?.kind === 'tag') continue;
        const byManifest = expected.get(path) ?? new Map<Manifest, string>();
        byManifest.set(m, checksum);
        expected.set(path, byManifest);
      }
    }
    for (const [path, byManifest] of [...expected].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const algorithms = new Set<BagAlgorithm>();
      for (const m of byManifest.keys()) if (m.algorithm) algorithms.add(m.algorithm);
      if (algorithms.size === 0) continue;
      const digests = await this.#hashFile(path, algorithms);
      if (digests) this.#compare(path, byManifest, digests.checksums);
    }
  }

  #compare(path: string, expected: Map<Manifest, string>, actual: Map<BagAlgorithm, string>): void {
    for (const [manifest, checksum] of expected) {
      if (!manifest.algorithm) continue;
      const got = actual.get(manifest.algorithm);
      if (got !== undefined && got !== checksum) {
        this.#problem('checksum-mismatch', `${path}: ${manifest.algorithm} is ${got}, ${manifest.name} says ${checksum}`, path);
      }
    }
  }

  /** One pass over the file through every hash it needs. */
  async #hashFile(path: string, algorithms: Set<BagAlgorithm>): Promise<{ size: number; checksums: Map<BagAlgorithm, string> } | undefined> {
    const hashers = new Map<BagAlgorithm, Hasher>();
    for (const algorithm of algorithms) {
      const hasher = this.#io.createHash(algorithm);
      if (hasher) hashers.set(algorithm, hasher);
    }
    let size = 0;
    try {
      for await (const chunk of this.#io.read(joinPath(this.#dir, path))) {
        size += chunk.length;
        for (const hasher of hashers.values()) hasher.update(chunk);
      }
    } catch (e) {
      this.#problem('unreadable', `${path} cannot be read: ${e instanceof Error ? e.message : String(e)}`, path);
      return undefined;
    }
    const checksums = new Map<BagAlgorithm, string>();
    for (const [algorithm, hasher] of hashers) checksums.set(algorithm, hasher.digest().toLowerCase());
    return { size, checksums };
  }
}

function isUtf8(encoding: string): boolean {
  return /^utf-?8$/i.test(encoding.trim());
}

/** The whole file when it has at most `limit` bytes, else null (without reading further). */
async function readSmall(io: BagIo, path: string, limit: number): Promise<Uint8Array | null> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of io.read(path)) {
    length += chunk.length;
    if (length > limit) return null;
    parts.push(chunk);
  }
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
