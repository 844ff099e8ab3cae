/**
 * What a record is matched on when it arrives from elsewhere, in the order the union catalogue
 * trusts them: the control number with its organisation (001 + 003), ISBN, ISSN, system numbers
 * (035), then a normalised title/author/year key.
 *
 * 001 without 003 is not used: every system numbers its records 1, 2, 3… so a bare 001 would
 * match unrelated records from different libraries. 001 + 003 and 035 `(ORG)number` share one
 * form, `ORG|number`, so a record exported by one library matches the same record another
 * library holds with that number in its 035.
 */
import type { DerivedRecord } from './derive.js';

export type IdentifierKind = 'ctrl' | 'isbn' | 'issn' | 'sysno' | 'key';

export interface RecordIdentifier {
  kind: IdentifierKind;
  value: string;
}

/** Match order: the first kind with a hit decides. */
export const MATCH_ORDER: readonly IdentifierKind[] = ['ctrl', 'isbn', 'issn', 'sysno', 'key'];

/** `ORG|number`, upper-cased organisation, OCLC prefixes and leading zeros dropped. */
export function systemNumberValue(source: string, number: string): string | undefined {
  const org = source.trim().toUpperCase();
  let n = number.trim();
  if (!org || !n) return undefined;
  if (org === 'OCOLC') n = n.replace(/^(ocm|ocn|on)/i, '').replace(/^0+(?=\d)/, '');
  return `${org}|${n}`;
}

/** Parses a 035 $a as written: `(OCoLC)ocm00012345` → `OCOLC|12345`. */
export function parseSystemNumber(raw: string): string | undefined {
  const m = /^\s*\(([^)]+)\)\s*(.+)$/.exec(raw);
  return m ? systemNumberValue(m[1]!, m[2]!) : undefined;
}

/** The identifiers of a record; `own` adds the number the union catalogue itself gave it. */
export function identifiersOf(derived: DerivedRecord, own?: { orgCode: string; id: number }): RecordIdentifier[] {
  const out: RecordIdentifier[] = [];
  const seen = new Set<string>();
  const add = (kind: IdentifierKind, value: string | undefined) => {
    if (!value) return;
    const k = `${kind}|${value}`;
    if (seen.has(k)) return;
    seen.add(k);
    out.push({ kind, value });
  };
  if (own) add('ctrl', systemNumberValue(own.orgCode, String(own.id)));
  const cn = derived.controlNumber;
  if (cn?.source) add('ctrl', systemNumberValue(cn.source, cn.value));
  for (const i of derived.isbns) if (i.status !== 'cancelled' && i.isbn13) add('isbn', i.isbn13);
  for (const i of derived.issns) if ((i.status === 'valid' || i.status === 'linking') && i.issn) add('issn', i.issn);
  for (const s of derived.systemNumbers) if (!s.cancelled && s.source) add('sysno', systemNumberValue(s.source, s.value.replace(/^\([^)]*\)\s*/, '')));
  add('key', derived.matchKey);
  return out;
}

/**
 * The identifiers to look up for an incoming record. A control number is looked for among
 * control numbers and system numbers alike (and the other way round), since both say "this
 * record is number N in system ORG".
 */
export function lookupsOf(ids: readonly RecordIdentifier[]): RecordIdentifier[] {
  const out: RecordIdentifier[] = [];
  for (const i of ids) {
    out.push(i);
    if (i.kind === 'ctrl') out.push({ kind: 'sysno', value: i.value });
    if (i.kind === 'sysno') out.push({ kind: 'ctrl', value: i.value });
  }
  return out;
}

export interface MatchHit {
  kind: IdentifierKind;
  value: string;
  recordId: number;
}

/**
 * The record an incoming one matches: the first identifier kind in {@link MATCH_ORDER} with a
 * hit, and among its hits the oldest record. `ctrl` and `sysno` hits both count as the kind of
 * the incoming identifier that found them.
 */
export function bestMatch(incoming: readonly RecordIdentifier[], hits: readonly MatchHit[]): { recordId: number; on: IdentifierKind; value: string } | undefined {
  for (const kind of MATCH_ORDER) {
    let best: { recordId: number; on: IdentifierKind; value: string } | undefined;
    for (const id of incoming) {
      if (id.kind !== kind) continue;
      const sameKinds: IdentifierKind[] = kind === 'ctrl' || kind === 'sysno' ? ['ctrl', 'sysno'] : [kind];
      for (const h of hits) {
        if (h.value === id.value && sameKinds.includes(h.kind) && (!best || h.recordId < best.recordId)) best = { recordId: h.recordId, on: kind, value: id.value };
      }
    }
    if (best) return best;
  }
  return undefined;
}
