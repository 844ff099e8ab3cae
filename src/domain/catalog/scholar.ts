/**
 * Google Scholar's `citation_*` meta tags (the Highwire Press tags its inclusion guidelines ask
 * for) — written only for theses and research material. Pure.
 *
 * Which records get them ({@link scholarlyKind}):
 * - a thesis: a dissertation note (502), material type thesis, a genre or form term (655, or a 6XX
 *   $v) naming one (`Luận văn`, `Luận án`, `Khóa luận`, `Theses`, `Dissertations`), or a digital
 *   copy catalogued in the plan's `thesis` category;
 * - research: an article, a digital copy in the `research` category, a genre or form term naming
 *   research output (`Báo cáo khoa học`, `Đề tài nghiên cứu`, `Kỷ yếu hội thảo`, `Research`,
 *   `Technical reports`, `Congresses`, `Conference proceedings`), or a meeting as main entry
 *   (111: proceedings).
 * Everything else — novels, textbooks, children's books — gets none: Scholar indexes scholarly
 * works, and tagging the rest would put them where they do not belong.
 */
import type { CitationEntry } from '../../codecs/citation/entry.js';
import { invertedName } from '../../text/person-name.js';
import type { DerivedRecord } from './derive.js';
import { bcp47 } from './schema-org.js';

export type ScholarlyKind = 'thesis' | 'research';

const RESEARCH = /nghiên cứu khoa học|báo cáo khoa học|báo cáo nghiên cứu|đề tài nghiên cứu|kỷ yếu|hội thảo khoa học|hội nghị khoa học|công trình nghiên cứu|research|technical reports?|congresses|conference (?:papers|proceedings)|proceedings|scientific reports?/iu;

export function scholarlyKind(entry: CitationEntry, derived: DerivedRecord, category?: string | null): ScholarlyKind | null {
  if (entry.thesis) return 'thesis';
  if (entry.type === 'article' || entry.type === 'report' || category === 'research') return 'research';
  if (derived.authors.some((a) => a.main && a.kind === 'meeting')) return 'research';
  for (const s of derived.subjects) {
    const forms = s.kind === 'genre' ? s.parts : s.parts.slice(1);
    if (forms.some((p) => RESEARCH.test(p))) return 'research';
  }
  return null;
}

/**
 * The tags as `[name, content]` pairs, in the order Scholar documents them.
 * `pdfUrl`: the full text as a PDF anyone may download (absolute), when there is one.
 */
export function scholarMeta(e: CitationEntry, opts: { pdfUrl?: string } = {}): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const add = (name: string, value: string | number | undefined) => {
    if (value !== undefined && String(value).trim() !== '') out.push([name, String(value).trim()]);
  };
  add('citation_title', e.subtitle ? `${e.title}: ${e.subtitle}` : e.title);
  for (const a of e.authors.length ? e.authors : e.editors) add('citation_author', a.kind === 'person' ? invertedName(a.name) : a.name);
  add('citation_publication_date', e.year);
  if (e.thesis) add('citation_dissertation_institution', e.thesis.institution ?? e.publishers[0]);
  else if (e.type === 'report') add('citation_technical_report_institution', e.publishers[0]);
  if (!e.thesis || e.publishers[0] !== e.thesis.institution) add('citation_publisher', e.publishers[0]);
  for (const isbn of e.isbns) add('citation_isbn', isbn);
  for (const issn of e.issns) add('citation_issn', issn);
  add('citation_language', e.languages.map(bcp47).find((l) => l !== undefined));
  if (e.doi) add('citation_doi', e.doi);
  if (e.keywords.length) add('citation_keywords', e.keywords.join('; '));
  if (e.landingUrl) add('citation_abstract_html_url', e.landingUrl);
  add('citation_pdf_url', opts.pdfUrl);
  return out;
}
