/**
 * The MARC 21 record as every reader produces and every writer takes it: a leader and fields in
 * their original order. Strings are Unicode in NFC whatever the source encoding was, so the leader
 * of a record read from MARC-8 says `a` (UCS/Unicode) at position 09.
 *
 * The helpers are small on purpose: `getFields(record, '650', '651')`, `firstSubfield(record,
 * '245', 'a')`, `subfieldValues(field, 'a')`. They never throw on a missing field.
 */

/** A control field (MARC 21 tags 001-009): one value, no indicators or subfields. */
export interface ControlField {
  tag: string;
  value: string;
}

/** One subfield: a one-character code (`a`, `6`…) and its value. */
export interface Subfield {
  code: string;
  value: string;
}

/** A data field: two one-character indicators (blank is `' '`) and subfields in order. */
export interface DataField {
  tag: string;
  ind1: string;
  ind2: string;
  subfields: Subfield[];
}

export type MarcField = ControlField | DataField;

export interface MarcRecord {
  /** 24 characters. Positions 00-04 and 12-16 (lengths) are recomputed by the ISO 2709 writer. */
  leader: string;
  fields: MarcField[];
}

/** A blank MARC 21 bibliographic leader for a new record (lengths are filled in when written). */
export const DEFAULT_LEADER = '00000nam a2200000 i 4500';

export function isControlField(field: MarcField): field is ControlField {
  return !('subfields' in field);
}

export function isDataField(field: MarcField): field is DataField {
  return 'subfields' in field;
}

/**
 * MARC 21 tags 001-009 (and `00` + any character) are control fields. Other formats put
 * non-numeric tags such as `FMT` or `LDR` in records too; readers decide those by content.
 */
export function isControlTag(tag: string): boolean {
  return tag.length === 3 && tag.charCodeAt(0) === 0x30 && tag.charCodeAt(1) === 0x30;
}

/** Fields with any of the given tags, in record order. No tags: every field. */
export function getFields(record: MarcRecord, ...tags: string[]): MarcField[] {
  if (tags.length === 0) return [...record.fields];
  return record.fields.filter((f) => tags.includes(f.tag));
}

/** Data fields with any of the given tags, in record order. */
export function getDataFields(record: MarcRecord, ...tags: string[]): DataField[] {
  return record.fields.filter((f): f is DataField => isDataField(f) && (tags.length === 0 || tags.includes(f.tag)));
}

/** The first field with this tag, or undefined. */
export function getField(record: MarcRecord, tag: string): MarcField | undefined {
  return record.fields.find((f) => f.tag === tag);
}

/** The value of the first control field with this tag (`controlValue(r, '001')`), or undefined. */
export function controlValue(record: MarcRecord, tag: string): string | undefined {
  for (const f of record.fields) if (f.tag === tag && isControlField(f)) return f.value;
  return undefined;
}

/** Values of the subfields of `field` with any of the given codes (all subfields when none). */
export function subfieldValues(field: DataField, ...codes: string[]): string[] {
  const out: string[] = [];
  for (const s of field.subfields) if (codes.length === 0 || codes.includes(s.code)) out.push(s.value);
  return out;
}

/** `firstSubfield(record, '245', 'a')`: the first $a of the first 245 that has one, or undefined. */
export function firstSubfield(record: MarcRecord, tag: string, code: string): string | undefined {
  for (const f of record.fields) {
    if (f.tag !== tag || !isDataField(f)) continue;
    for (const s of f.subfields) if (s.code === code) return s.value;
  }
  return undefined;
}

/** A deep copy, so a caller can change one record without touching another. */
export function cloneRecord(record: MarcRecord): MarcRecord {
  return {
    leader: record.leader,
    fields: record.fields.map((f) =>
      isDataField(f) ? { tag: f.tag, ind1: f.ind1, ind2: f.ind2, subfields: f.subfields.map((s) => ({ code: s.code, value: s.value })) } : { tag: f.tag, value: f.value },
    ),
  };
}
