/**
 * The shape of a MARC21 record as the catalogue rules read it. The codec's record type
 * (`src/codecs/marc`) satisfies it structurally, so the domain does not import the codec.
 *
 * Control fields (001–009) carry `value`; data fields carry two indicators and subfields.
 * Nothing here assumes the record is valid: fields may repeat, be empty or be missing.
 */
export interface MarcSubfield {
  code: string;
  value: string;
}

export interface MarcControlField {
  tag: string;
  value: string;
}

export interface MarcDataField {
  tag: string;
  ind1: string;
  ind2: string;
  subfields: ReadonlyArray<MarcSubfield>;
}

export type MarcLikeField = MarcControlField | MarcDataField;

export interface MarcLike {
  leader: string;
  fields: ReadonlyArray<MarcLikeField>;
}

export function isDataField(field: MarcLikeField): field is MarcDataField {
  return Array.isArray((field as Partial<MarcDataField>).subfields);
}

/** The value of the first control field with this tag, or undefined. */
export function controlField(record: MarcLike, tag: string): string | undefined {
  for (const f of record.fields) {
    if (f.tag === tag && !isDataField(f) && typeof f.value === 'string') return f.value;
  }
  return undefined;
}

/** Every control field with this tag, in record order. */
export function controlFields(record: MarcLike, tag: string): string[] {
  const out: string[] = [];
  for (const f of record.fields) {
    if (f.tag === tag && !isDataField(f) && typeof f.value === 'string') out.push(f.value);
  }
  return out;
}

/** Data fields whose tag is one of `tags`, in record order (not grouped by tag). */
export function dataFields(record: MarcLike, ...tags: string[]): MarcDataField[] {
  return record.fields.filter((f): f is MarcDataField => tags.includes(f.tag) && isDataField(f));
}

/** Values of the subfields whose code is in `codes` (e.g. `'abnp'`), in field order. */
export function subfieldValues(field: MarcDataField, codes: string): string[] {
  return field.subfields.filter((s) => s.code.length === 1 && codes.includes(s.code)).map((s) => s.value ?? '');
}

/** An indicator as one character; a missing or malformed indicator reads as blank. */
export function indicator(field: MarcDataField, which: 1 | 2): string {
  const v = which === 1 ? field.ind1 : field.ind2;
  return typeof v === 'string' && v.length > 0 ? v[0]! : ' ';
}
