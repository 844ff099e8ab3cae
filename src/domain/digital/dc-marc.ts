/**
 * The catalogue record of a standalone digital object, made from its Dublin Core so the object is
 * found, faceted and harvested with the printed collection. The Dublin Core stays the object's own
 * description; the record is rebuilt from it whenever it changes.
 *
 * Crosswalk (after the Library of Congress DC → MARC mapping, simplified): title → 245, creator →
 * 100/700, contributor → 700, subject → 650, description → 520, publisher → 264 $b, date → 264 $c
 * and 008 (first four-digit year), language → 041/008 (ISO 639-1 or -2 codes, or the language's
 * name in Vietnamese or English), type/format/source/coverage/relation/identifier → 500 notes,
 * rights → 540, plus 856 4_0 with the address of the object in our reader.
 */
import { buildMarcFromSimple, type SimpleMarcRecord, type SimpleRecordInput } from '../catalog/simple-form.js';
import type { DublinCore } from './object.js';

const LANGUAGE_CODES: Record<string, string> = {
  vi: 'vie', vie: 'vie', 'tiếng việt': 'vie', vietnamese: 'vie', 'việt': 'vie',
  en: 'eng', eng: 'eng', 'tiếng anh': 'eng', english: 'eng',
  fr: 'fre', fre: 'fre', fra: 'fre', 'tiếng pháp': 'fre', french: 'fre',
  zh: 'chi', chi: 'chi', zho: 'chi', 'tiếng trung': 'chi', 'chữ hán': 'chi', chinese: 'chi',
  ru: 'rus', rus: 'rus', 'tiếng nga': 'rus', russian: 'rus',
  km: 'khm', khm: 'khm', 'tiếng khmer': 'khm', khmer: 'khm',
  ja: 'jpn', jpn: 'jpn', de: 'ger', ger: 'ger', deu: 'ger', ko: 'kor', kor: 'kor',
  // Hán Nôm documents: Chinese characters as written in Việt Nam.
  'hán nôm': 'chi', 'chữ nôm': 'vie',
};

/** MARC language codes for DC language values; values we cannot place are left out. */
export function marcLanguages(values: readonly string[] = []): string[] {
  const out: string[] = [];
  for (const v of values) {
    const code = LANGUAGE_CODES[v.trim().toLowerCase()] ?? LANGUAGE_CODES[v.trim().toLowerCase().split(/[-_]/)[0] ?? ''];
    if (code && !out.includes(code)) out.push(code);
  }
  return out;
}

export function dcYear(dc: DublinCore): string | undefined {
  for (const d of dc.date ?? []) {
    const m = /(?:^|\D)(\d{4})(?:\D|$)/.exec(d);
    if (m) return m[1];
  }
  return undefined;
}

export function dcToSimple(dc: DublinCore): SimpleRecordInput {
  const languages = marcLanguages(dc.language);
  const notes = [
    ...(dc.type ?? []).map((v) => `Loại tài liệu: ${v}`),
    ...(dc.format ?? []).map((v) => `Định dạng: ${v}`),
    ...(dc.source ?? []).map((v) => `Nguồn: ${v}`),
    ...(dc.coverage ?? []).map((v) => `Phạm vi: ${v}`),
    ...(dc.relation ?? []).map((v) => `Liên quan: ${v}`),
    ...(dc.identifier ?? []).map((v) => `Định danh: ${v}`),
  ];
  return {
    title: dc.title?.[0] ?? '',
    authors: [...(dc.creator ?? []), ...(dc.contributor ?? [])],
    publisher: dc.publisher?.[0],
    year: dcYear(dc),
    subjects: dc.subject ?? [],
    summary: (dc.description ?? []).join('\n'),
    language: languages.length > 0 ? languages.join(', ') : undefined,
    notes: notes.join('\n'),
    materialType: 'book',
  };
}

export interface DigitalRecordOptions {
  today: string;
  orgCode: string;
  /** Where readers open the object. */
  objectUrl: string;
  /** Rights statement for 540 (licence label and URI). */
  rights?: { label: string; uri: string };
}

/** The MARC 21 record for a standalone object. */
export function dcToMarc(dc: DublinCore, o: DigitalRecordOptions): SimpleMarcRecord {
  const rec = buildMarcFromSimple(dcToSimple(dc), { today: o.today, orgCode: o.orgCode });
  const data = (tag: string, ind1: string, ind2: string, pairs: [string, string][]) => ({ tag, ind1, ind2, subfields: pairs.map(([code, value]) => ({ code, value })) });
  const extra = [
    // Online resource: 007 "c r" (computer file, remote).
    { tag: '007', value: 'cr |||||||||||' },
    ...(dc.rights ?? []).map((r) => data('540', ' ', ' ', [['a', r]])),
    ...(o.rights ? [data('540', ' ', ' ', [['f', o.rights.label], ['u', o.rights.uri]])] : []),
    data('856', '4', '0', [['u', o.objectUrl], ['y', 'Xem bản số']]),
  ];
  const fields = [...rec.fields, ...extra].sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  return { leader: rec.leader, fields };
}
