/**
 * IP ranges for on-site access: IPv4 and IPv6 in CIDR notation (`203.113.0.0/24`, `2001:db8::/32`)
 * or a single address. IPv4-mapped IPv6 addresses (`::ffff:1.2.3.4`, as Node reports IPv4 clients
 * on a dual-stack socket) match IPv4 ranges.
 */
export interface IpRange {
  version: 4 | 6;
  /** The network address as a big integer. */
  base: bigint;
  bits: number;
  text: string;
}

function parseV4(s: string): bigint | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  let n = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const v = Number(p);
    if (v > 255) return undefined;
    n = (n << 8n) | BigInt(v);
  }
  return n;
}

function parseV6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.length > 45) return undefined;
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === '') return [];
    const out: number[] = [];
    const parts = h.split(':');
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!;
      if (i === parts.length - 1 && p.includes('.')) {
        const v4 = parseV4(p);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
        out.push(parseInt(p, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return all.reduce((n, g) => (n << 16n) | BigInt(g), 0n);
}

/** Parses one range; undefined when it is not a valid address or CIDR block. */
export function parseIpRange(text: string): IpRange | undefined {
  const t = text.trim();
  const [addr, prefix, extra] = t.split('/');
  if (extra !== undefined || !addr) return undefined;
  const v4 = parseV4(addr);
  const version = v4 !== undefined ? 4 : 6;
  const n = v4 ?? parseV6(addr);
  if (n === undefined) return undefined;
  const max = version === 4 ? 32 : 128;
  if (prefix !== undefined && !/^\d{1,3}$/.test(prefix)) return undefined;
  const bits = prefix === undefined ? max : Number(prefix);
  if (bits > max) return undefined;
  const mask = bits === 0 ? 0n : ((1n << BigInt(bits)) - 1n) << BigInt(max - bits);
  return { version, base: n & mask, bits, text: t };
}

/** Parses a list separated by commas, spaces or new lines; returns the ranges and what could not be read. */
export function parseIpRanges(text: string): { ranges: IpRange[]; invalid: string[] } {
  const ranges: IpRange[] = [];
  const invalid: string[] = [];
  for (const part of text.split(/[\s,;]+/).filter(Boolean)) {
    const r = parseIpRange(part);
    if (r) ranges.push(r);
    else invalid.push(part);
  }
  return { ranges, invalid };
}

export function ipInRanges(ip: string, ranges: readonly IpRange[]): boolean {
  let addr = ip.trim();
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(addr);
  if (mapped) addr = mapped[1]!;
  const v4 = parseV4(addr);
  const version = v4 !== undefined ? 4 : 6;
  const n = v4 ?? parseV6(addr);
  if (n === undefined) return false;
  const max = version === 4 ? 32 : 128;
  return ranges.some((r) => {
    if (r.version !== version) return false;
    const mask = r.bits === 0 ? 0n : ((1n << BigInt(r.bits)) - 1n) << BigInt(max - r.bits);
    return (n & mask) === r.base;
  });
}
