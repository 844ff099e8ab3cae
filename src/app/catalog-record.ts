/**
 * From a MARC record to what the catalogue stores: the record whole (NFC) with its derived
 * columns, and the identifiers it is matched on. Shared by cataloguing, import and tests.
 */
import type { MarcRecord } from '../codecs/marc/record.js';
import { deriveFields, type DerivedRecord } from '../domain/catalog/derive.js';
import { identifiersOf, type RecordIdentifier } from '../domain/catalog/identity.js';
import type { RecordContent, StoredRecord } from './ports.js';

const NON_ASCII = /[^\u0020-\u007e]/;

/** The record in NFC (ASCII text, most of a record, is NFC already and is not copied). */
export function normaliseRecord(record: MarcRecord): MarcRecord {
  const clean = (s: string) => (NON_ASCII.test(s) ? s.normalize('NFC') : s);
  return {
    leader: record.leader,
    fields: record.fields.map((f) =>
      'subfields' in f ? { tag: f.tag, ind1: f.ind1, ind2: f.ind2, subfields: f.subfields.map((s) => ({ code: s.code, value: clean(s.value) })) } : { tag: f.tag, value: clean(f.value) },
    ),
  };
}

export interface PreparedRecord {
  marc: MarcRecord;
  derived: DerivedRecord;
  content: RecordContent;
  identifiers: RecordIdentifier[];
}

const cut = (s: string | undefined, n: number): string | null => (s === undefined || s === '' ? null : s.length > n ? s.slice(0, n) : s);

/** Derives everything the stores need from a MARC record. */
export function prepareRecord(input: MarcRecord, opts: { nfc?: boolean } = {}): PreparedRecord {
  // The MARC readers give NFC already (`nfc: true`); records from forms and the API are normalised here.
  const marc = opts.nfc ? input : normaliseRecord(input);
  const derived = deriveFields(marc);
  const main = derived.authors.find((a) => a.main) ?? derived.authors[0];
  const content: RecordContent = {
    marc: JSON.stringify(marc),
    title: cut(derived.title, 2000) ?? '',
    sortTitle: (derived.sortTitle ?? derived.title ?? '').slice(0, 500),
    responsibility: cut(derived.responsibility, 1000),
    mainAuthor: cut(main?.name, 500),
    publisher: cut(derived.publishers[0], 500),
    year: derived.year ?? null,
    language: derived.languages[0] ?? null,
    materialType: derived.materialType,
    callNumber: cut(derived.callNumber?.value, 200),
    controlNumber: cut(derived.controlNumber?.value, 100),
    controlSource: cut(derived.controlNumber?.source, 100),
  };
  return { marc, derived, content, identifiers: identifiersOf(derived) };
}

export function parseStoredMarc(r: StoredRecord): MarcRecord {
  return JSON.parse(r.marc) as MarcRecord;
}

/**
 * The derived fields of a stored record, computed again from its MARC (a few microseconds):
 * storing them too would double what an import writes.
 */
export function parseStoredDerived(r: StoredRecord): DerivedRecord {
  return deriveFields(parseStoredMarc(r));
}
