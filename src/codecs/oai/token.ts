/**
 * OAI-PMH resumption tokens (§3.5) as self-contained, signed strings: the state of a list
 * harvest is in the token itself, so any server process can answer the next page and nothing is
 * stored. A token is `<payload>.<signature>`, both base64url: the payload a few dozen bytes
 * (varints and length-prefixed UTF-8, after a format version), the signature the first 16 bytes of
 * HMAC-SHA256 over it under a secret the caller holds. A token
 * that was altered, signed with another secret, garbled or too old decodes to
 * `badResumptionToken`.
 *
 * The cursor is a position, not an offset: lists are ordered by (datestamp, id) and a token says
 * "after this (datestamp, id)". A record changed during a harvest gets a later datestamp and so
 * moves to the end of the order: if the harvester had already received it, it comes again at the
 * end in its new state (the harvester must keep the newer one, as §2.7.1 expects); if not, it is
 * met once, at the end. Nothing is skipped, and nothing is repeated except a record that really
 * changed. (With an offset, every change or deletion before the cursor would shift the list and
 * skip a record.) The list is left open at the end: a harvest without `until` also receives what
 * changes while it runs. `after.datestamp` must be the record's exact stored time in milliseconds
 * (not the datestamp shown, which is cut to the second), so ties are broken by `id` alone.
 *
 * `cursor` (records already sent) and `completeListSize` (counted when the list started) are for
 * the `<resumptionToken>` attributes only; records changing during a harvest can make the final
 * count differ from `completeListSize`, which the protocol allows to be an estimate.
 *
 * `node:crypto` is used for HMAC: computing, not I/O (see eslint.config.js).
 */
// eslint-disable-next-line no-restricted-imports -- HMAC is computation, not I/O; no Web Crypto equivalent is synchronous
import { createHmac, timingSafeEqual } from 'node:crypto';
import { formatDatestamp } from './datestamp.js';

export type TokenVerb = 'ListIdentifiers' | 'ListRecords' | 'ListSets';

export interface TokenState {
  verb: TokenVerb;
  /** The list's metadata format; empty for ListSets. */
  metadataPrefix: string;
  set?: string;
  /** The list's `from` bound in milliseconds (first instant selected). */
  from?: number;
  /** The list's `until` bound in milliseconds (last millisecond selected, inclusive). */
  until?: number;
  /** The last item sent: its exact stored time in milliseconds and its id. */
  after: { datestamp: number; id: string | number };
  /** How many items were sent before the page this token asks for. */
  cursor: number;
  /** The size of the whole list, counted when it started. */
  completeListSize: number;
  /** When the token was issued, in milliseconds. */
  issuedAt: number;
}

export interface TokenError {
  error: 'badResumptionToken';
  message: string;
}

/** A signing secret. `decodeToken` also takes a list: the current secret, then retired ones. */
export type TokenSecret = string | Uint8Array;

const FORMAT_VERSION = 1;
const VERB_CODES: readonly TokenVerb[] = ['ListIdentifiers', 'ListRecords', 'ListSets'];
const SIGNATURE_BYTES = 16;
/** Tokens are short; anything much longer was not made here. */
const MAX_TOKEN_LENGTH = 2048;
const DOMAIN = 'lienthong/oai-pmh/resumption-token\n';

function sign(payload: string, secret: TokenSecret): Buffer {
  if (secret.length === 0) throw new RangeError('resumption token secret is empty');
  return createHmac('sha256', secret).update(DOMAIN).update(payload).digest().subarray(0, SIGNATURE_BYTES);
}

/**
 * Encodes and signs a token.
 *
 * @example encodeToken({ verb: 'ListRecords', metadataPrefix: 'oai_dc', after: { datestamp: 1709251200000, id: 42 }, cursor: 100, completeListSize: 5234, issuedAt: Date.now() }, secret)
 * // 'AQEABm9haV9kY4CQ_PS-Y1Rk8iiglcS63zE.OKWuV9CAf0Citlg9ovY4RA' (about 60–110 characters)
 */
export function encodeToken(state: TokenState, secret: TokenSecret): string {
  const w = new ByteWriter();
  const stringId = typeof state.after.id === 'string';
  w.byte(FORMAT_VERSION);
  w.byte(VERB_CODES.indexOf(state.verb));
  w.byte((state.set !== undefined ? 1 : 0) | (state.from !== undefined ? 2 : 0) | (state.until !== undefined ? 4 : 0) | (stringId ? 8 : 0));
  w.text(state.metadataPrefix);
  if (state.set !== undefined) w.text(state.set);
  if (state.from !== undefined) w.signed(state.from);
  if (state.until !== undefined) w.signed(state.until);
  w.signed(state.after.datestamp);
  if (stringId) w.text(state.after.id as string);
  else w.signed(state.after.id as number);
  w.unsigned(state.cursor);
  w.unsigned(state.completeListSize);
  w.unsigned(state.issuedAt);
  const payload = Buffer.from(w.bytes()).toString('base64url');
  return `${payload}.${sign(payload, secret).toString('base64url')}`;
}

/**
 * Checks and decodes a token. `now` and `maxAgeMs` decide expiry: a token issued more than
 * `maxAgeMs` before `now` is refused. Several secrets may be given (rotation): the token must be
 * signed by one of them.
 *
 * @example decodeToken(token, secret, Date.now(), 24 * 3600_000) // TokenState, or { error: 'badResumptionToken', message }
 */
export function decodeToken(token: string, secret: TokenSecret | readonly TokenSecret[], now: number, maxAgeMs: number): TokenState | TokenError {
  const bad = (message: string): TokenError => ({ error: 'badResumptionToken', message });
  const secrets: readonly TokenSecret[] = typeof secret === 'string' || secret instanceof Uint8Array ? [secret] : secret;
  if (secrets.length === 0) throw new RangeError('decodeToken: no secret given');
  const dot = token.lastIndexOf('.');
  if (token.length > MAX_TOKEN_LENGTH || dot <= 0 || !/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(token)) {
    return bad('the resumptionToken is not one this repository issues');
  }
  const payload = token.slice(0, dot);
  const given = Buffer.from(token.slice(dot + 1), 'base64url');
  const signed = secrets.some((s) => {
    const expected = sign(payload, s);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
  if (!signed) return bad('the resumptionToken was not issued by this repository or has been altered');
  const state = readBody(Buffer.from(payload, 'base64url'));
  if (!state) return bad('the resumptionToken was issued by another version of this repository and cannot be read');
  if (now - state.issuedAt > maxAgeMs) {
    return bad(`the resumptionToken expired at ${formatDatestamp(state.issuedAt + maxAgeMs)}; start the list again`);
  }
  return state;
}

/** Whether a {@link decodeToken} result is an error. */
export function isTokenError(v: TokenState | TokenError): v is TokenError {
  return 'error' in v;
}

/** The signed body as a state, or undefined when it is not of this version's shape. */
function readBody(bytes: Uint8Array): TokenState | undefined {
  const r = new ByteReader(bytes);
  try {
    if (r.byte() !== FORMAT_VERSION) return undefined;
    const verb = VERB_CODES[r.byte()];
    const flags = r.byte();
    if (!verb || flags > 15) return undefined;
    const metadataPrefix = r.text();
    const set = flags & 1 ? r.text() : undefined;
    const from = flags & 2 ? r.signed() : undefined;
    const until = flags & 4 ? r.signed() : undefined;
    const datestamp = r.signed();
    const id = flags & 8 ? r.text() : r.signed();
    const state: TokenState = { verb, metadataPrefix, after: { datestamp, id }, cursor: r.unsigned(), completeListSize: r.unsigned(), issuedAt: r.unsigned() };
    if (!r.done()) return undefined;
    if (set !== undefined) state.set = set;
    if (from !== undefined) state.from = from;
    if (until !== undefined) state.until = until;
    return state;
  } catch {
    return undefined;
  }
}

/** The largest magnitude a number in a token may have (2^52: zig-zag doubling stays exact). */
const MAX_MAGNITUDE = 2 ** 52;
const utf8 = new TextEncoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** Base-128 varints (zig-zag for signed numbers) and length-prefixed UTF-8: the token's body. */
class ByteWriter {
  #out: number[] = [];
  byte(b: number): void {
    this.#out.push(b & 0xff);
  }
  unsigned(n: number): void {
    if (!Number.isSafeInteger(n) || n < 0 || n > MAX_MAGNITUDE) throw new RangeError(`resumption token: ${n} is not a whole number from 0 to 2^52`);
    do {
      const low = n % 128;
      n = Math.floor(n / 128);
      this.#out.push(n > 0 ? low | 0x80 : low);
    } while (n > 0);
  }
  signed(n: number): void {
    if (!Number.isSafeInteger(n) || Math.abs(n) > MAX_MAGNITUDE / 2) throw new RangeError(`resumption token: ${n} is not a whole number within ±2^51`);
    this.unsigned(n >= 0 ? n * 2 : -n * 2 - 1);
  }
  text(s: string): void {
    const b = utf8.encode(s);
    this.unsigned(b.length);
    for (const x of b) this.#out.push(x);
  }
  bytes(): Uint8Array {
    return Uint8Array.from(this.#out);
  }
}

class ByteReader {
  readonly #b: Uint8Array;
  #i = 0;
  constructor(b: Uint8Array) {
    this.#b = b;
  }
  byte(): number {
    if (this.#i >= this.#b.length) throw new RangeError('short');
    return this.#b[this.#i++]!;
  }
  unsigned(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.byte();
      n += (b & 0x7f) * scale;
      if (n > MAX_MAGNITUDE) throw new RangeError('too large');
      if (!(b & 0x80)) return n;
      scale *= 128;
    }
  }
  signed(): number {
    const z = this.unsigned();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }
  text(): string {
    const n = this.unsigned();
    if (this.#i + n > this.#b.length) throw new RangeError('short');
    const s = strictUtf8.decode(this.#b.subarray(this.#i, this.#i + n));
    this.#i += n;
    return s;
  }
  done(): boolean {
    return this.#i === this.#b.length;
  }
}

/**
 * The `expirationDate` attribute of a `<resumptionToken>`: when a token issued at `issuedAt`
 * stops being accepted, as `YYYY-MM-DDThh:mm:ssZ`.
 */
export function expirationDate(issuedAt: number, maxAgeMs: number): string {
  return formatDatestamp(issuedAt + maxAgeMs);
}
