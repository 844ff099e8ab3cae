/**
 * The per-record work of an import that needs no database: holdings fields taken out and turned
 * into checked items, the record normalised with its derived columns and identifiers. Pure and
 * serialisable both ways, so it runs in a worker thread beside the one writing to the database
 * (see `adapters/files/prepare-worker.ts`), or in-process when workers are off.
 */
import type { MarcResult } from '../codecs/marc/errors.js';
import type { RecordIdentifier } from '../domain/catalog/identity.js';
import { extractItems, validateItem, type CheckedItem } from '../domain/catalog/items.js';
import type { CallNumber, DerivedRecord } from '../domain/catalog/derive.js';
import { prepareRecord } from './catalog-record.js';
import type { ImportResult, RecordContent } from './ports.js';

export type ImportProblem = ImportResult['problems'][number];

export interface PrepareContext {
  /** The library the import is for: copies without a known library go there. */
  unitCode: string;
  knownUnitCodes: readonly string[];
  /** `YYYY-MM-DD` where the library is: acquisition dates may not be later. */
  today: string;
}

export type Incoming =
  | { seq: number; ok: false; problems: ImportProblem[] }
  | {
      seq: number;
      ok: true;
      content: RecordContent;
      identifiers: RecordIdentifier[];
      callNumber: CallNumber | null;
      /** The derived description, so the search index need not derive it again. */
      derived: DerivedRecord;
      items: CheckedItem[];
      problems: ImportProblem[];
    };

/** Prepares one read result; never throws for bad data (it becomes problems). */
export function prepareIncoming(seq: number, result: MarcResult, ctx: PrepareContext, known: ReadonlySet<string>): Incoming {
  if (!result.ok) return { seq, ok: false, problems: [{ code: `marc.${result.error.code}`, severity: 'error', params: { message: result.error.message } }] };
  const problems: ImportProblem[] = result.warnings.slice(0, 20).map((w) => ({ code: `marc.${w.code}`, severity: 'warning' as const, params: { message: w.message } }));
  // Holdings fields become items; the record keeps its bibliographic fields.
  const p = prepareRecord({ leader: result.record.leader, fields: result.record.fields.filter((f) => f.tag !== '852' && f.tag !== '952') }, { nfc: true });
  if (!p.content.title) return { seq, ok: false, problems: [...problems, { code: 'no-title', severity: 'error' }] };
  const extracted = extractItems(result.record, { defaultUnitCode: ctx.unitCode, knownUnitCodes: known, derivedCallNumber: p.derived.callNumber?.value });
  for (const prob of extracted.problems) problems.push({ code: `item.${prob.code}`, severity: 'warning', params: { tag: prob.tag, ...(prob.params as Record<string, unknown>) } });
  const items: CheckedItem[] = [];
  for (const input of extracted.items) {
    const v = validateItem(input, { today: ctx.today });
    if (v.ok) items.push(v.value);
    else for (const prob of v.problems) problems.push({ code: `item.${prob.code}`, severity: 'warning', params: { ...(prob.params as Record<string, unknown>), barcode: input.barcode, field: prob.field } });
  }
  return { seq, ok: true, content: p.content, identifiers: p.identifiers, callNumber: p.derived.callNumber ?? null, derived: p.derived, items, problems };
}
