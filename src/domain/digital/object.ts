/**
 * A digital object: a digitised document (or a born-digital one) made of ordered pages, owned by
 * a library, described either by the catalogue record it is linked to or by its own Dublin Core,
 * with the rights that decide who may see it and the digitisation workflow it moves through.
 */
import { nfc } from '../../text/fold.js';

/** The fifteen elements of the Dublin Core Metadata Element Set 1.1, in their usual order. */
export const DC_ELEMENTS = ['title', 'creator', 'subject', 'description', 'publisher', 'contributor', 'date', 'type', 'format', 'identifier', 'source', 'language', 'relation', 'coverage', 'rights'] as const;
export type DcElement = (typeof DC_ELEMENTS)[number];
/** Every element repeatable, as in Dublin Core itself. */
export type DublinCore = Partial<Record<DcElement, string[]>>;

export function isDcElement(s: string): s is DcElement {
  return (DC_ELEMENTS as readonly string[]).includes(s);
}

/** NFC, trimmed, without empty or repeated values; elements left empty are dropped. */
export function normaliseDc(dc: Record<string, readonly string[] | string | undefined>): DublinCore {
  const out: DublinCore = {};
  for (const el of DC_ELEMENTS) {
    const raw = dc[el];
    const list = raw === undefined ? [] : typeof raw === 'string' ? [raw] : raw;
    const seen = new Set<string>();
    const values: string[] = [];
    for (const v of list) {
      const t = nfc(v).replace(/\s+/g, ' ').trim();
      if (t && !seen.has(t)) {
        seen.add(t);
        values.push(t);
      }
    }
    if (values.length > 0) out[el] = values;
  }
  return out;
}

/**
 * The plan's priority categories. Which ones a library is asked to digitise depends on its type
 * (the provincial library: local documents, old and rare, Hán Nôm…; universities: theses and
 * research works; schools: learning materials…).
 */
export const PLAN_CATEGORIES = ['local', 'old_rare', 'han_nom', 'thesis', 'research', 'reference', 'learning', 'military_history', 'other'] as const;
export type PlanCategory = (typeof PLAN_CATEGORIES)[number];
export function isPlanCategory(s: string): s is PlanCategory {
  return (PLAN_CATEGORIES as readonly string[]).includes(s);
}

/** The plan's target: this share of each priority category digitised. */
export const DIGITISATION_TARGET = 0.7;

export const ACCESS_LEVELS = ['public', 'registered', 'onsite', 'staff'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];
export function isAccessLevel(s: string): s is AccessLevel {
  return (ACCESS_LEVELS as readonly string[]).includes(s);
}

/** Licences and rights statements an object may carry, with the URI IIIF and OAI-PMH expose. */
export const LICENCES = {
  'cc-by': { uri: 'http://creativecommons.org/licenses/by/4.0/', label: 'CC BY 4.0', open: true },
  'cc-by-sa': { uri: 'http://creativecommons.org/licenses/by-sa/4.0/', label: 'CC BY-SA 4.0', open: true },
  'cc-by-nc': { uri: 'http://creativecommons.org/licenses/by-nc/4.0/', label: 'CC BY-NC 4.0', open: true },
  'cc-by-nc-sa': { uri: 'http://creativecommons.org/licenses/by-nc-sa/4.0/', label: 'CC BY-NC-SA 4.0', open: true },
  'cc-by-nd': { uri: 'http://creativecommons.org/licenses/by-nd/4.0/', label: 'CC BY-ND 4.0', open: true },
  'cc-by-nc-nd': { uri: 'http://creativecommons.org/licenses/by-nc-nd/4.0/', label: 'CC BY-NC-ND 4.0', open: true },
  cc0: { uri: 'http://creativecommons.org/publicdomain/zero/1.0/', label: 'CC0 1.0', open: true },
  'public-domain': { uri: 'http://creativecommons.org/publicdomain/mark/1.0/', label: 'Public Domain Mark 1.0', open: true },
  'in-copyright': { uri: 'http://rightsstatements.org/vocab/InC/1.0/', label: 'In Copyright', open: false },
  'in-copyright-edu': { uri: 'http://rightsstatements.org/vocab/InC-EDU/1.0/', label: 'In Copyright – Educational Use Permitted', open: false },
  'no-known-copyright': { uri: 'http://rightsstatements.org/vocab/NKC/1.0/', label: 'No Known Copyright', open: true },
  'copyright-not-evaluated': { uri: 'http://rightsstatements.org/vocab/CNE/1.0/', label: 'Copyright Not Evaluated', open: false },
} as const;
export type Licence = keyof typeof LICENCES;
export function isLicence(s: string): s is Licence {
  return Object.hasOwn(LICENCES, s);
}
/** Accepts our short names, the URIs (http or https, with or without the trailing slash) and common spellings ("CC BY-SA 4.0"). */
export function parseLicence(s: string): Licence | undefined {
  const t = s.trim().toLowerCase();
  if (isLicence(t)) return t;
  const bare = (u: string) => u.replace(/^https?:\/\//, '').replace(/\/$/, '');
  for (const [k, v] of Object.entries(LICENCES)) {
    if (bare(v.uri) === bare(t)) return k as Licence;
    if (v.label.toLowerCase() === t || v.label.toLowerCase().replace(/ [\d.]+$/, '') === t) return k as Licence;
  }
  const spaced = t.replace(/[\s_]+/g, '-');
  if (isLicence(spaced)) return spaced;
  if (['public domain', 'pd', 'publicdomain'].includes(t)) return 'public-domain';
  return undefined;
}

/** The digitisation workflow. `rejected` needs a reason; a rejected object may be selected again. */
export const WORKFLOW_STATES = ['selected', 'scanned', 'qc', 'ocr', 'metadata', 'published', 'rejected'] as const;
export type WorkflowState = (typeof WORKFLOW_STATES)[number];
export function isWorkflowState(s: string): s is WorkflowState {
  return (WORKFLOW_STATES as readonly string[]).includes(s);
}

const NEXT: Record<WorkflowState, readonly WorkflowState[]> = {
  selected: ['scanned', 'rejected'],
  scanned: ['qc', 'selected', 'rejected'],
  qc: ['ocr', 'metadata', 'scanned', 'rejected'],
  ocr: ['metadata', 'qc', 'rejected'],
  metadata: ['published', 'ocr', 'qc', 'rejected'],
  published: ['metadata'],
  rejected: ['selected'],
};

/** The states an object may move to from `from` (forward one step, skipping OCR for born-digital text, or back). */
export function nextStates(from: WorkflowState): readonly WorkflowState[] {
  return NEXT[from];
}

export type TransitionProblem = 'same_state' | 'not_allowed' | 'reason_required' | 'no_pages';

/** Whether an object may move from `from` to `to`; publishing needs pages, rejecting a reason. */
export function checkTransition(from: WorkflowState, to: WorkflowState, o: { reason?: string | null; pages: number }): TransitionProblem | undefined {
  if (from === to) return 'same_state';
  if (!NEXT[from].includes(to)) return 'not_allowed';
  if (to === 'rejected' && !o.reason?.trim()) return 'reason_required';
  if ((to === 'published' || to === 'qc') && o.pages === 0) return 'no_pages';
  return undefined;
}

/** OCR language choice per object: Vietnamese by default. */
export const OCR_LANGUAGE_SETS = ['vie', 'eng', 'vie+eng'] as const;
export type OcrLanguageSet = (typeof OCR_LANGUAGE_SETS)[number];
export function isOcrLanguageSet(s: string): s is OcrLanguageSet {
  return (OCR_LANGUAGE_SETS as readonly string[]).includes(s);
}
