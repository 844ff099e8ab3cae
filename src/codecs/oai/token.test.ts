import { describe, expect, it } from 'vitest';
import { hmacSha256 } from '../../../test/fixtures/oai/fixtures.js';
import { decodeToken, encodeToken, expirationDate, isTokenError, type TokenState } from './token.js';

const SECRET = 'một bí mật đủ dài cho thử nghiệm';
const NOW = Date.UTC(2024, 2, 1, 12, 0, 0);
const DAY = 86_400_000;

const STATE: TokenState = {
  verb: 'ListRecords',
  metadataPrefix: 'oai_dc',
  set: 'thu-vien:kien-giang',
  from: Date.UTC(2024, 0, 1),
  until: Date.UTC(2024, 1, 1) - 1,
  after: { datestamp: Date.UTC(2024, 0, 15, 8, 30, 0, 123), id: 4217 },
  cursor: 100,
  completeListSize: 5234,
  issuedAt: NOW,
};

describe('resumption tokens', () => {
  it.each<[string, TokenState]>([
    ['a full list state', STATE],
    ['no set or bounds', { verb: 'ListIdentifiers', metadataPrefix: 'marc21', after: { datestamp: 1, id: 'oai:lienthong.vn:7' }, cursor: 0, completeListSize: 1, issuedAt: NOW }],
    ['ListSets', { verb: 'ListSets', metadataPrefix: '', after: { datestamp: 0, id: 'kien-giang:rach-gia' }, cursor: 50, completeListSize: 120, issuedAt: NOW }],
    ['bounds before 1970', { ...STATE, from: Date.UTC(1900, 0, 1), after: { datestamp: -5, id: 'x' } }],
    ['an id with any characters', { ...STATE, after: { datestamp: 5, id: 'oai:x:"quoted".~*\'()/Tiếng Việt' } }],
  ])('round-trips %s', (_name, state) => {
    const token = encodeToken(state, SECRET);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    const decoded = decodeToken(token, SECRET, NOW + 1000, DAY);
    expect(isTokenError(decoded)).toBe(false);
    expect(decoded).toEqual(state);
  });

  it('is short: a typical token fits in 110 characters', () => {
    expect(encodeToken(STATE, SECRET).length).toBeLessThan(110);
  });

  it('signs with a Uint8Array secret too, and decodes with any of several secrets (rotation)', () => {
    const key = new TextEncoder().encode('khóa mới');
    const token = encodeToken(STATE, key);
    expect(decodeToken(token, [SECRET, key], NOW, DAY)).toEqual(STATE);
    expect(decodeToken(token, SECRET, NOW, DAY)).toMatchObject({ error: 'badResumptionToken' });
  });

  const ALTERED = 'the resumptionToken was not issued by this repository or has been altered';
  const FOREIGN = 'the resumptionToken is not one this repository issues';
  const token = encodeToken(STATE, SECRET);
  const [payload, sig] = token.split('.') as [string, string];
  const bytes = Buffer.from(payload, 'base64url');
  const changed = Buffer.from(bytes);
  changed[changed.length - 9] = (changed[changed.length - 9]! + 1) % 128; // a number near the end (the cursor)
  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);

  it.each([
    ['a changed number', `${changed.toString('base64url')}.${sig}`, ALTERED],
    ['a changed payload character', `${flip(payload, 10)}.${sig}`, ALTERED],
    ['a changed signature', `${payload}.${flip(sig, 3)}`, ALTERED],
    ['a shortened signature', `${payload}.${sig.slice(0, -2)}`, ALTERED],
    ['another secret', encodeToken(STATE, 'bí mật khác'), ALTERED],
    ['no signature', `${payload}.`, FOREIGN],
    ['no payload', `.${sig}`, FOREIGN],
    ['an empty string', '', FOREIGN],
    ['a word', 'abc', FOREIGN],
    ['dots', '....', FOREIGN],
    ['three parts', 'a.b.c', FOREIGN],
    ['spaces', 'not a token', FOREIGN],
    ['percent signs', '%%%.%%%', FOREIGN],
    ['a very long string', `${'x'.repeat(3000)}.y`, FOREIGN],
  ])('refuses %s', (_name, t, message) => {
    const r = decodeToken(t, SECRET, NOW, DAY);
    expect(isTokenError(r)).toBe(true);
    expect(r).toEqual({ error: 'badResumptionToken', message });
  });

  it.each([
    ['another format version', [2, 1, 0, 0]],
    ['an unknown verb', [1, 9, 0, 0]],
    ['a truncated body', [1, 1, 0, 6, 0x6f]],
    ['bytes after the body', [1, 1, 0, 0, 0, 0, 0, 0, 0, 7]],
    ['a string that is not UTF-8', [1, 1, 0, 2, 0xc3, 0x28, 0, 0, 0, 0, 0]],
  ])('refuses a well-signed body with %s', (_name, bytes) => {
    const payload = Buffer.from(bytes).toString('base64url');
    const sig = hmacSha256(SECRET, 'lienthong/oai-pmh/resumption-token\n', payload).subarray(0, 16).toString('base64url');
    expect(decodeToken(`${payload}.${sig}`, SECRET, NOW, DAY)).toEqual({
      error: 'badResumptionToken',
      message: 'the resumptionToken was issued by another version of this repository and cannot be read',
    });
  });

  it('accepts a minimal well-signed body built by hand (so the forging above is sound)', () => {
    const payload = Buffer.from([1, 1, 0, 0, 0, 0, 0, 0, 0]).toString('base64url');
    const sig = hmacSha256(SECRET, 'lienthong/oai-pmh/resumption-token\n', payload).subarray(0, 16).toString('base64url');
    expect(decodeToken(`${payload}.${sig}`, SECRET, 0, DAY)).toEqual({
      verb: 'ListRecords', metadataPrefix: '', after: { datestamp: 0, id: 0 }, cursor: 0, completeListSize: 0, issuedAt: 0,
    });
  });

  it('refuses to encode numbers out of range (a programming error)', () => {
    expect(() => encodeToken({ ...STATE, cursor: -1 }, SECRET)).toThrow(RangeError);
    expect(() => encodeToken({ ...STATE, after: { datestamp: 1.5, id: 1 } }, SECRET)).toThrow(RangeError);
  });

  it('expires after maxAgeMs', () => {
    const token = encodeToken(STATE, SECRET);
    expect(decodeToken(token, SECRET, NOW + DAY, DAY)).toEqual(STATE);
    expect(decodeToken(token, SECRET, NOW + DAY + 1, DAY)).toEqual({
      error: 'badResumptionToken',
      message: 'the resumptionToken expired at 2024-03-02T12:00:00Z; start the list again',
    });
  });

  it('gives the expirationDate attribute', () => {
    expect(expirationDate(NOW, DAY)).toBe('2024-03-02T12:00:00Z');
    expect(expirationDate(NOW + 999, 0)).toBe('2024-03-01T12:00:00Z');
  });

  it('refuses to work without a secret', () => {
    expect(() => encodeToken(STATE, '')).toThrow(RangeError);
    expect(() => decodeToken('a.b', [], NOW, DAY)).toThrow(RangeError);
  });
});
