/**
 * Citations of a catalogue record in four styles — APA 7, MLA 9, Chicago 17 (notes and
 * bibliography: the bibliography entry) and ISO 690:2021 — as parts (so a page can set titles in
 * italics) and as plain text. Pure.
 *
 * The work is first read into a {@link CitationEntry} ({@link citationEntry}), the same input the
 * RIS and BibTeX writers take, so every output agrees on authors, title, year and the rest.
 *
 * Names (see `src/text/person-name.ts`): a Vietnamese personal name is cited whole in its own
 * order (`Nguyễn Du`) in every style — never inverted, never cut to initials; a Western name
 * catalogued inverted gets each style's treatment (APA `Smith, J. R.`; MLA and Chicago `Smith,
 * John` first and `John Smith` after; ISO 690 `Smith, John`); organisations are named as written.
 *
 * Style rules followed (each style's own manual, as summarised by university library guides):
 * - APA 7: up to 20 authors, `&` before the last; 21 or more: the first 19, `. . .`, the last.
 *   `(Year).`, `n.d.` without one. Title in italics, in sentence case as catalogued (MARC titles
 *   are), first word after a colon capitalised. Edition and translator in parentheses after the
 *   title. No place of publication; the publisher left out when it is the author. A thesis:
 *   `[Master's thesis, Institution]` with the address it is read at, else `[Unpublished master's
 *   thesis]. Institution.` A DOI as `https://doi.org/…`.
 * - MLA 9: one author `Family, Given.`; two `Family, Given, and Given Family.`; three or more the
 *   first and `et al.` Title in italics, headline case for English titles. `Translated by`,
 *   edition, publisher, year, then location (URL without `https://`). Series last. A thesis:
 *   `Year. Institution, PhD dissertation.`
 * - Chicago 17 bibliography: the first author inverted, the rest in reading order, `and` before
 *   the last; up to ten listed, more than ten: the first seven and `et al.` Title in italics,
 *   headline case for English titles. `Translated by`, edition, series, `Place: Publisher, Year.`
 *   A thesis title in quotation marks, then `PhD diss., Institution, Year.`
 * - ISO 690:2021 prescribes elements and their order, not punctuation; we use one uniform scheme:
 *   `Family, Given; …` (more than three creators: the first and `et al.`), italic title with
 *   `[online]` for online resources, edition, `Place: Publisher, Year`, series, ISBN/ISSN, DOI,
 *   `Available from: URL`. A thesis: `Type. Place: Institution, Year.`
 */
import type { Agent, CitationEntry, DegreeLevel, EntryType } from '../../codecs/citation/entry.js';
import { cleanLine } from '../../text/fold.js';
import { directName, initials, invertedName, parsePersonName, type PersonName } from '../../text/person-name.js';
import type { Author, DerivedRecord, MaterialType } from './derive.js';
import { dataFields, indicator, subfieldValues, type MarcLike } from './marc-like.js';
import { trimPunctuation } from './punctuation.js';

export type { CitationEntry } from '../../codecs/citation/entry.js';

export const CITATION_STYLES = ['apa', 'mla', 'chicago', 'iso690'] as const;
export type CitationStyle = (typeof CITATION_STYLES)[number];

/** A run of citation text; `italic` runs are titles. */
export interface CitationPart {
  text: string;
  italic?: boolean;
}

export interface Citation {
  style: CitationStyle;
  parts: CitationPart[];
  text: string;
}

type Degrees = Record<DegreeLevel, string>;

/**
 * The words a style puts around the data, in the language the citation is written in (the page's
 * language): the pages take them from the message catalogue (`cite.term.*`). `{names}` and
 * `{type}` are placeholders.
 */
export interface CiteTerms {
  and: string;
  etAl: string;
  noDate: string;
  /** APA's label after editors' names: `Ed.`, `Eds.`. */
  apaEditor: string;
  apaEditors: string;
  /** APA's translator note inside parentheses: `{names}, Trans.` */
  apaTranslator: string;
  /** MLA's label after editors' names: `editor`, `editors`. */
  editor: string;
  editors: string;
  /** Chicago's and ISO 690's: `ed.`, `eds.` */
  ed: string;
  eds: string;
  /** `Translated by {names}` */
  translatedBy: string;
  /** ISO 690: `Available from:` */
  availableFrom: string;
  /** ISO 690's medium designation: `online`. */
  online: string;
  /** APA: `Unpublished {type}` (the type goes in lower case unless it starts the text). */
  unpublished: string;
  thesisApa: Degrees;
  thesisMla: Degrees;
  thesisChicago: Degrees;
}

// =============================================================================================
// From a record to an entry

const TYPES: Record<MaterialType, EntryType> = {
  book: 'book',
  'e-book': 'book',
  serial: 'serial',
  article: 'article',
  map: 'map',
  score: 'score',
  'sound-recording': 'sound',
  video: 'video',
  image: 'image',
  'computer-file': 'software',
  kit: 'other',
  'mixed-materials': 'other',
  object: 'other',
  manuscript: 'manuscript',
  thesis: 'thesis',
  other: 'other',
};

type Role = 'author' | 'editor' | 'translator' | 'other';

const ROLE_CODES: Record<string, Role> = { aut: 'author', cre: 'author', com: 'author', edt: 'editor', edc: 'editor', trl: 'translator' };
const EDITOR_WORDS = /^(?:ed|eds|editor|editors|edited by|chủ biên|ch\.\s?b|cb|biên tập|bt|tổng biên tập|hiệu đính|khảo đính|compiler|comp)$/iu;
const TRANSLATOR_WORDS = /^(?:tr|trans|translator|translated by|dịch|người dịch|dịch giả|biên dịch|dịch và chú thích|dịch và giới thiệu)$/iu;
const AUTHOR_WORDS = /^(?:author|authors|tác giả|biên soạn|bs|soạn|writer|creator)$/iu;

const ADVISER_WORDS = /^(?:hướng dẫn|người hướng dẫn|gvhd|ngd|advisor|adviser|supervisor|thesis advisor|degree supervisor|illustrator|minh họa|minh hoạ)$/iu;

function roleWord(raw: string): Role | undefined {
  const r = raw.toLowerCase().replace(/[.,;:]+$/u, '').trim();
  if (EDITOR_WORDS.test(r)) return 'editor';
  if (TRANSLATOR_WORDS.test(r)) return 'translator';
  if (AUTHOR_WORDS.test(r)) return 'author';
  if (ADVISER_WORDS.test(r)) return 'other';
  return undefined;
}

/**
 * A role written after the name in parentheses, as Dublin Core and quick cataloguing often do
 * (`Phạm Minh Tuấn (hướng dẫn)`, `Lê Văn A (chủ biên)`): the name without it, and the role. A
 * fuller form of the name in parentheses (`Smith, J. R. (John Robert)`) is not a role and stays.
 */
function inlineRole(name: string): { name: string; role?: Role } {
  const m = /^(.*\S)\s*\(([^()]+)\)$/u.exec(name.trim());
  const role = m ? roleWord(m[2]!) : undefined;
  return m && role ? { name: m[1]!, role } : { name };
}

function roleOf(a: Author): Role {
  const inline = inlineRole(a.name).role;
  const roles = [...a.roleCodes.map((c) => ROLE_CODES[c] ?? 'other'), ...a.roles.map((r) => roleWord(r) ?? 'other'), ...(inline ? [inline] : [])];
  if (roles.length === 0) return 'author';
  if (roles.includes('author')) return 'author';
  if (roles.includes('editor')) return 'editor';
  if (roles.includes('translator')) return 'translator';
  return 'other';
}

function agentOf(a: Author): Agent {
  const name = inlineRole(a.name).name;
  return a.kind === 'personal' ? { kind: 'person', name: parsePersonName(name) } : { kind: 'organization', name };
}

/** A note that names a thesis (`Loại tài liệu: Luận văn thạc sĩ`, from a Dublin Core type), without its label. */
function thesisNote(derived: DerivedRecord): string | undefined {
  for (const n of derived.notes) {
    if (n.tag === '502' || !THESIS_GENRE.test(n.text)) continue;
    const text = trimPunctuation(n.text.replace(/^[^:]{1,40}:\s*/u, ''));
    if (THESIS_GENRE.test(text) && text.length <= 120) return text;
  }
  return undefined;
}

/** Degree level from the words of a dissertation note or genre: doctoral, master's, bachelor's. */
export function degreeLevel(text: string): DegreeLevel {
  const t = text.normalize('NFC').toLowerCase();
  if (/tiến sĩ|tiến sỹ|phó tiến sĩ|ph\.?\s?d|doctor|doctoral|docteur|doktor|d\.\s?phil|dissertation/u.test(t)) return 'doctoral';
  if (/thạc sĩ|thạc sỹ|cao học|master|m\.\s?a\b|m\.\s?s\b|m\.\s?sc|m\.\s?phil|mba|ll\.\s?m|magist/u.test(t)) return 'masters';
  if (/cử nhân|khóa luận|khoá luận|tốt nghiệp|bachelor|b\.\s?a\b|b\.\s?sc|b\.\s?s\b|licence|undergraduate|honou?rs/u.test(t)) return 'bachelors';
  return 'other';
}

const THESIS_GENRE = /luận văn|luận án|khóa luận|khoá luận|dissertation|theses|thesis|thèse|hochschulschrift/iu;

/** A genre or form term (655, a 6XX $v) naming a thesis. */
export function thesisGenre(derived: DerivedRecord): string | undefined {
  for (const s of derived.subjects) {
    const forms = s.kind === 'genre' ? s.parts : s.parts.slice(1);
    const hit = forms.find((p) => THESIS_GENRE.test(p));
    if (hit) return hit;
  }
  return undefined;
}

/**
 * The dissertation note (502): $b degree, $c institution, $d year; or, in older records, all of
 * it in $a (`Luận văn thạc sĩ -- Trường Đại học Cần Thơ, 2019`, `Thesis (Ph.D.)--University of
 * Chicago, 2008.`).
 */
export function dissertationNote(marc: MarcLike | undefined): { type?: string; institution?: string; year?: number } | undefined {
  const f = marc ? dataFields(marc, '502')[0] : undefined;
  if (!f) return undefined;
  const one = (codes: string) => trimPunctuation(cleanLine(subfieldValues(f, codes).join(' ')));
  let type = one('b');
  let institution = one('c');
  let year = /(\d{4})/u.exec(one('d'))?.[1];
  const a = cleanLine(subfieldValues(f, 'a').join(' '));
  if (a && (!type || !institution)) {
    const [left = '', ...rest] = a.split(/\s*-{2,}\s*|\s*—\s*/u);
    const right = rest.join(' -- ');
    if (!type) type = trimPunctuation(left);
    if (!institution && right) {
      const m = /^(.*?)[,.]?\s*(\d{4})\.?\s*$/u.exec(right);
      institution = trimPunctuation(m ? m[1]! : right);
      year ??= m?.[2];
    }
  }
  const out: { type?: string; institution?: string; year?: number } = {};
  if (type) out.type = type;
  if (institution) out.institution = institution;
  if (year) out.year = Number(year);
  return out;
}

function doiOf(derived: DerivedRecord, marc: MarcLike | undefined): string | undefined {
  for (const f of marc ? dataFields(marc, '024') : []) {
    if (indicator(f, 1) !== '7' || !subfieldValues(f, '2').some((s) => s.trim().toLowerCase() === 'doi')) continue;
    const doi = cleanDoi(subfieldValues(f, 'a')[0] ?? '');
    if (doi) return doi;
  }
  for (const l of derived.links) {
    const m = /^https?:\/\/(?:dx\.)?doi\.org\/(10\..+)$/iu.exec(l.url);
    if (m) return cleanDoi(decodeURIComponentSafe(m[1]!));
  }
  return undefined;
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function cleanDoi(s: string): string | undefined {
  const m = /(10\.\d{4,9}\/\S+)/u.exec(s.trim());
  return m ? m[1]!.replace(/[.,;]+$/u, '') : undefined;
}

function unbracket(s: string): string {
  return s.replace(/^\[(.*)\]$/u, '$1').trim();
}

/** The largest page count an extent states: `xii, 262 tr.` → 262; `2 tập` → none. */
export function pageCount(extent: string | undefined): number | undefined {
  if (!extent) return undefined;
  let best: number | undefined;
  for (const m of extent.matchAll(/(\d{1,6})\s*(?:tr|trang|p|pp|pages?|tờ|leaves|s|str|с|стр)\b\.?/giu)) {
    const n = Number(m[1]);
    if (n > 0 && (best === undefined || n > best)) best = n;
  }
  return best;
}

/** 245 $b is a parallel title, not other title information, when $a ends with `=`. */
function parallelSubtitle(marc: MarcLike | undefined): boolean {
  const f = marc ? dataFields(marc, '245')[0] : undefined;
  if (!f) return false;
  const i = f.subfields.findIndex((s) => s.code === 'b');
  const before = i > 0 ? f.subfields[i - 1] : undefined;
  return before !== undefined && /=\s*$/u.test(before.value ?? '');
}

export interface EntryOptions {
  /** The record's number here. */
  id: number | string;
  /** Its page in the catalogue (absolute URL). */
  landingUrl?: string;
  /** Where the work itself is read online (a digital copy), when the record has no link of its own. */
  url?: string;
  /** The digital copy's category (`thesis`, `research`, …), which may say what the record does not. */
  category?: string;
}

/**
 * The work described by a record, as citations need it.
 *
 * Contributors: 1XX and 7XX names with no role, or an author's role (`aut`, `tác giả`), are
 * authors; `edt`/`chủ biên`/`biên tập` editors; `trl`/`dịch` translators; other roles
 * (illustrators, advisers) are left out. A corporate added entry without a role (often the
 * issuing body) counts as an author only when there is no other.
 */
export function citationEntry(derived: DerivedRecord, marc: MarcLike | undefined, opts: EntryOptions): CitationEntry {
  const authors: Agent[] = [];
  const editors: Agent[] = [];
  const translators: Agent[] = [];
  const bodies: Agent[] = [];
  for (const a of derived.authors) {
    const role = roleOf(a);
    if (role === 'author' && a.kind !== 'personal' && !a.main && a.roles.length === 0 && a.roleCodes.length === 0 && !inlineRole(a.name).role) bodies.push(agentOf(a));
    else if (role === 'author') authors.push(agentOf(a));
    else if (role === 'editor') editors.push(agentOf(a));
    else if (role === 'translator') translators.push(agentOf(a));
  }
  if (authors.length === 0 && editors.length === 0) authors.push(...bodies);

  const note = dissertationNote(marc);
  const genre = thesisGenre(derived);
  const isThesis = derived.materialType === 'thesis' || note !== undefined || genre !== undefined || opts.category === 'thesis';
  let type = TYPES[derived.materialType];
  if (isThesis && (type === 'book' || type === 'manuscript' || type === 'other')) type = 'thesis';

  const title = derived.shortTitle ?? derived.title ?? '';
  let subtitle = derived.subtitle;
  if (subtitle && parallelSubtitle(marc)) subtitle = undefined;
  if (subtitle) subtitle = subtitle.split(/\s+=\s+/u)[0]!.replace(/\s+:\s+/gu, ': ').trim() || undefined;

  const resource = derived.links.find((l) => l.relation === 'resource') ?? (derived.electronic ? derived.links[0] : undefined);
  const doi = doiOf(derived, marc);
  const url = doi ? undefined : (resource?.url ?? opts.url);
  const institution = note?.institution ?? (isThesis ? derived.publishers.map(unbracket)[0] : undefined);
  const thesisType = note?.type ?? genre ?? (isThesis ? thesisNote(derived) : undefined);
  const entry: CitationEntry = {
    id: String(opts.id),
    type,
    electronic: derived.electronic,
    title: title.replace(/\s+:\s+/gu, ': '),
    authors,
    editors,
    translators,
    publishers: derived.publishers.map(unbracket).filter((p) => p !== ''),
    isbns: derived.isbns.filter((i) => i.status === 'valid').map((i) => i.isbn13 ?? i.raw),
    issns: derived.issns.filter((i) => i.status === 'valid' && i.issn).map((i) => i.issn!),
    languages: derived.languages,
    keywords: [...new Set(derived.subjects.map((s) => s.heading))],
  };
  if (subtitle) entry.subtitle = subtitle;
  const year = derived.year ?? note?.year;
  if (year !== undefined) entry.year = year;
  if (derived.edition && !isFirstEdition(derived.edition)) entry.edition = derived.edition;
  const place = derived.places.map(unbracket).find((p) => p !== '');
  if (place) entry.place = place;
  const series = derived.series[0];
  if (series) entry.series = { title: series.title, ...(series.volume ? { volume: series.volume } : {}) };
  if (derived.summaries.length) entry.abstract = derived.summaries.join('\n\n');
  if (doi) entry.doi = doi;
  if (url) entry.url = url;
  if (opts.landingUrl) entry.landingUrl = opts.landingUrl;
  if (isThesis) entry.thesis = { level: degreeLevel(thesisType ?? ''), ...(thesisType ? { type: thesisType } : {}), ...(institution ? { institution } : {}) };
  if (derived.callNumber) entry.callNumber = derived.callNumber.value;
  const pages = pageCount(derived.physicalDescription);
  if (pages !== undefined) entry.pages = pages;
  return entry;
}

function isFirstEdition(edition: string): boolean {
  return /^(?:1st|first)\b|^(?:in|xuất bản|tái bản)?\s*lần\s*(?:thứ\s*)?(?:1|nhất)\b|^1(?:re|ère)? éd/iu.test(edition.trim());
}

// =============================================================================================
// Text helpers

/** A sentence already ends here (`J.`, `Why?`, `“Title.”`); `(Eds.)` does not end one. */
const TERMINAL = /[.?!…]["”’»]*$/u;

/** Appends `.` unless the text already ends a sentence (`J.`, `Why?`). */
function period(s: string): string {
  return TERMINAL.test(s) ? s : `${s}.`;
}

function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/gu, (_, k: string) => values[k] ?? '');
}

function capFirst(s: string): string {
  const chars = [...s];
  return chars.length ? chars[0]!.toUpperCase() + chars.slice(1).join('') : s;
}

function lowerFirst(s: string): string {
  const chars = [...s];
  // An initialism (`PhD`) or a proper noun after the first letter keeps its case.
  if (chars.length > 1 && chars[1] === chars[1]!.toUpperCase() && /\p{L}/u.test(chars[1]!)) return s;
  return chars.length ? chars[0]!.toLowerCase() + chars.slice(1).join('') : s;
}

/** Articles, coordinating conjunctions and prepositions (of any length: MLA 9 and Chicago 17 both lower-case them). */
const MINOR = new Set(
  'a an the and but or nor for so yet as at by in of off on per to up via from into onto upon with over than vs about above across after against along amid among around before behind below beneath beside besides between beyond despite during except inside near outside since through throughout toward towards under underneath until unto within without'.split(' '),
);

/**
 * Headline case for an English title (MLA, Chicago): major words capitalised; articles,
 * prepositions and conjunctions in lower case unless first, last, or after a colon. Words with
 * capitals already (`iPhone`, `NASA`) are left alone.
 */
export function headlineCase(title: string): string {
  const words = title.split(/(\s+)/u);
  const indices = words.map((w, i) => (/\S/u.test(w) ? i : -1)).filter((i) => i >= 0);
  const last = indices[indices.length - 1];
  let afterColon = true;
  return words
    .map((w, i) => {
      if (!/\S/u.test(w)) return w;
      const core = w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '').toLowerCase();
      const first = afterColon;
      afterColon = /[:?!.—]$/u.test(w);
      if (/\p{Lu}/u.test(w.slice(1)) || /^[^\p{L}]*$/u.test(w)) return w;
      if (!first && i !== last && MINOR.has(core)) return w.toLowerCase();
      return w.replace(/\p{L}/u, (c) => c.toUpperCase()).replace(/-(\p{Ll})/gu, (_, c: string) => `-${c.toUpperCase()}`);
    })
    .join('');
}

function english(e: CitationEntry): boolean {
  return e.languages[0] === 'eng';
}

function fullTitle(e: CitationEntry, style: CitationStyle): string {
  let title = e.title;
  let sub = e.subtitle;
  if (style === 'apa' && sub) sub = capFirst(sub);
  if ((style === 'mla' || style === 'chicago') && english(e)) {
    title = headlineCase(title);
    if (sub) sub = headlineCase(sub);
  }
  const t = sub ? `${title.replace(/[:.]$/u, '')}: ${sub}` : title;
  return t || '[—]';
}

/** `2nd edition` → `2nd ed.`; Vietnamese statements as catalogued. */
function editionText(edition: string): string {
  return edition.replace(/\bedition\b\.?/iu, 'ed.').replace(/\bEd\.$/u, 'ed.');
}

function domainless(url: string): string {
  return url.replace(/^https?:\/\//iu, '');
}

function doiUrl(doi: string): string {
  return `https://doi.org/${doi}`;
}

function agentName(a: Agent, form: 'apa' | 'apa-direct' | 'inverted' | 'direct'): string {
  if (a.kind === 'organization') return a.name;
  const p: PersonName = a.name;
  if (p.direct || p.vietnamese) return directName(p);
  if (form === 'apa') {
    const init = initials(p.given);
    return [p.family, init, p.suffix].filter((x) => x !== '').join(', ');
  }
  if (form === 'apa-direct') return [initials(p.given), p.family].filter((x) => x !== '').join(' ') + (p.suffix ? `, ${p.suffix}` : '');
  return form === 'inverted' ? invertedName(p) : directName(p);
}

function list(names: string[], and: string, opts: { serialComma: boolean }): string {
  if (names.length <= 1) return names[0] ?? '';
  if (names.length === 2) return `${names[0]}${opts.serialComma ? ',' : ''} ${and} ${names[1]}`;
  return `${names.slice(0, -1).join(', ')}, ${and} ${names[names.length - 1]}`;
}

function sameName(a: string, b: string): boolean {
  const k = (s: string) => s.normalize('NFC').toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
  return k(a) === k(b);
}

class Out {
  readonly parts: CitationPart[] = [];
  add(text: string, italic = false): this {
    if (text === '') return this;
    const last = this.parts[this.parts.length - 1];
    if (last && !!last.italic === italic) last.text += text;
    else this.parts.push(italic ? { text, italic: true } : { text });
    return this;
  }
  get text(): string {
    return this.parts.map((p) => p.text).join('');
  }
  /** Ends the last part with a period unless it already ends a sentence. */
  stop(): this {
    const t = this.text;
    if (t !== '' && !TERMINAL.test(t)) this.add('.');
    return this;
  }
  trimmed(): CitationPart[] {
    const last = this.parts[this.parts.length - 1];
    if (last) last.text = last.text.trimEnd();
    return this.parts;
  }
}

// =============================================================================================
// The styles

function apa(e: CitationEntry, t: CiteTerms): Out {
  const o = new Out();
  const title = fullTitle(e, 'apa');
  const creators = e.authors.length ? e.authors : e.editors;
  const names = creators.map((a) => agentName(a, 'apa'));
  let who: string;
  if (names.length > 20) who = `${names.slice(0, 19).join(', ')}, . . . ${names[names.length - 1]}`;
  else if (names.length > 1) who = `${names.slice(0, -1).join(', ')}, & ${names[names.length - 1]}`;
  else who = names[0] ?? '';
  if (who && e.authors.length === 0) who += ` (${e.editors.length > 1 ? t.apaEditors : t.apaEditor})`;
  const year = e.year !== undefined ? String(e.year) : t.noDate;
  const notes: string[] = [];
  if (e.translators.length) notes.push(fill(t.apaTranslator, { names: list(e.translators.map((a) => agentName(a, 'apa-direct')), '&', { serialComma: false }) }));
  if (e.edition) notes.push(editionText(e.edition));
  const paren = notes.length ? ` (${notes.join('; ')})` : '';
  const level = e.thesis?.level ?? 'other';
  const online = e.doi ?? e.url;
  // Inside a sentence the type goes in lower case (`Unpublished master's thesis`); first, it keeps its capital.
  const unpublished = fill(t.unpublished, { type: t.unpublished.startsWith('{type}') ? t.thesisApa[level] : lowerFirst(t.thesisApa[level]) });
  const bracket = e.thesis ? (online ? ` [${[t.thesisApa[level], e.thesis.institution].filter(Boolean).join(', ')}]` : ` [${unpublished}]`) : '';
  if (who) {
    o.add(period(who)).add(` (${year}). `);
    o.add(title, true).add(paren + bracket);
  } else {
    o.add(title, true).add(paren + bracket).stop().add(` (${year})`);
  }
  o.stop();
  const source = e.thesis ? (online ? '' : (e.thesis.institution ?? '')) : e.publishers.filter((p) => !(creators.length === 1 && creators[0]!.kind === 'organization' && sameName(p, creators[0]!.name))).join('; ');
  if (source) o.add(` ${period(source)}`);
  if (e.doi) o.add(` ${doiUrl(e.doi)}`);
  else if (e.url) o.add(` ${e.url}`);
  return o;
}

function mla(e: CitationEntry, t: CiteTerms): Out {
  const o = new Out();
  let creators = e.authors.length ? e.authors : e.editors;
  // An organisation that is both author and publisher is named once, as publisher (MLA 9, 5.7).
  const orgIsPublisher = creators.length === 1 && creators[0]!.kind === 'organization' && e.publishers[0] !== undefined && sameName(e.publishers[0], creators[0]!.name);
  if (orgIsPublisher) creators = [];
  let who = '';
  if (creators.length === 1) who = agentName(creators[0]!, 'inverted');
  else if (creators.length === 2) who = `${agentName(creators[0]!, 'inverted')}, ${t.and} ${agentName(creators[1]!, 'direct')}`;
  else if (creators.length > 2) who = `${agentName(creators[0]!, 'inverted')}, ${t.etAl}`;
  if (who && e.authors.length === 0) who += `, ${e.editors.length > 1 ? t.editors : t.editor}`;
  if (who) o.add(`${period(who)} `);
  o.add(fullTitle(e, 'mla'), true).stop();
  const online = e.doi ? doiUrl(e.doi) : e.url ? domainless(e.url) : undefined;
  const year = e.year !== undefined ? String(e.year) : undefined;
  if (e.thesis) {
    if (year) o.add(` ${year}.`);
    const level = e.thesis.level;
    const degree = t.thesisMla[level];
    o.add(` ${period([e.thesis.institution, degree].filter(Boolean).join(', '))}`);
    if (online) o.add(` ${period(online)}`);
  } else {
    const els: string[] = [];
    if (e.translators.length) els.push(fill(t.translatedBy, { names: list(e.translators.map((a) => agentName(a, 'direct')), t.and, { serialComma: false }) }));
    if (e.edition) els.push(editionText(e.edition));
    if (e.publishers[0]) els.push(e.publishers[0]);
    if (year) els.push(year);
    if (online) els.push(online);
    if (els.length) o.add(` ${period(els.join(', '))}`);
  }
  if (e.series) o.add(` ${period([e.series.title, e.series.volume].filter(Boolean).join(', '))}`);
  return o;
}

function chicago(e: CitationEntry, t: CiteTerms): Out {
  const o = new Out();
  const creators = e.authors.length ? e.authors : e.editors;
  let names = creators.map((a, i) => agentName(a, i === 0 ? 'inverted' : 'direct'));
  let who: string;
  if (names.length > 10) {
    names = names.slice(0, 7);
    who = `${names.join(', ')}, ${t.etAl}`;
  } else who = list(names, t.and, { serialComma: true });
  if (who && e.authors.length === 0) who += `, ${e.editors.length > 1 ? t.eds : t.ed}`;
  if (who) o.add(`${period(who)} `);
  const title = fullTitle(e, 'chicago');
  if (e.thesis) o.add(`“${period(title)}”`);
  else o.add(title, true).stop();
  if (e.translators.length) o.add(` ${period(fill(t.translatedBy, { names: list(e.translators.map((a) => agentName(a, 'direct')), t.and, { serialComma: true }) }))}`);
  if (e.edition) o.add(` ${period(editionText(e.edition))}`);
  if (e.series && !e.thesis) o.add(` ${period([e.series.title, e.series.volume].filter(Boolean).join(' '))}`);
  const year = e.year !== undefined ? String(e.year) : t.noDate;
  if (e.thesis) {
    o.add(` ${period([t.thesisChicago[e.thesis.level], e.thesis.institution, year].filter(Boolean).join(', '))}`);
  } else {
    const pub = e.publishers[0];
    const where = e.place && pub ? `${e.place}: ${pub}` : (pub ?? e.place ?? '');
    o.add(` ${period([where, year].filter(Boolean).join(', '))}`);
  }
  if (e.doi) o.add(` ${period(doiUrl(e.doi))}`);
  else if (e.url) o.add(` ${period(e.url)}`);
  return o;
}

function iso690(e: CitationEntry, t: CiteTerms): Out {
  const o = new Out();
  const creators = e.authors.length ? e.authors : e.editors;
  const names = creators.map((a) => agentName(a, 'inverted'));
  let who = names.length > 3 ? `${names[0]} ${t.etAl}` : names.join('; ');
  if (who && e.authors.length === 0) who += ` (${e.editors.length > 1 ? t.eds : t.ed})`;
  if (who) o.add(`${period(who)} `);
  o.add(fullTitle(e, 'iso690'), true);
  if (e.url || e.electronic) o.add(` [${t.online}]`);
  o.stop();
  if (e.translators.length) o.add(` ${period(fill(t.translatedBy, { names: e.translators.map((a) => agentName(a, 'direct')).join('; ') }))}`);
  if (e.edition) o.add(` ${period(editionText(e.edition))}`);
  const year = e.year !== undefined ? String(e.year) : t.noDate;
  if (e.thesis) {
    o.add(` ${period(e.thesis.type ?? t.thesisApa[e.thesis.level])}`);
    const inst = e.thesis.institution;
    const where = e.place && inst ? `${e.place}: ${inst}` : (inst ?? e.place ?? '');
    o.add(` ${period([where, year].filter(Boolean).join(', '))}`);
  } else {
    const pub = e.publishers[0];
    const where = e.place && pub ? `${e.place}: ${pub}` : (pub ?? e.place ?? '');
    o.add(` ${period([where, year].filter(Boolean).join(', '))}`);
  }
  if (e.series) o.add(` ${period([e.series.title, e.series.volume].filter(Boolean).join('; '))}`);
  if (e.isbns[0]) o.add(` ISBN ${e.isbns[0]}.`);
  else if (e.issns[0]) o.add(` ISSN ${e.issns[0]}.`);
  if (e.doi) o.add(` DOI ${e.doi}.`);
  const url = e.doi ? doiUrl(e.doi) : e.url;
  if (url) o.add(` ${t.availableFrom} ${url}`);
  return o;
}

const RENDER: Record<CitationStyle, (e: CitationEntry, t: CiteTerms) => Out> = { apa, mla, chicago, iso690 };

/**
 * One citation in one style.
 *
 * @example cite(entry, 'apa', terms).text // 'Nguyễn Du. (2015). Truyện Kiều. Nxb. Văn học.'
 */
export function cite(entry: CitationEntry, style: CitationStyle, terms: CiteTerms): Citation {
  const parts = RENDER[style](entry, terms).trimmed();
  return { style, parts, text: parts.map((p) => p.text).join('') };
}

/** All four styles, in {@link CITATION_STYLES} order. */
export function citeAll(entry: CitationEntry, terms: CiteTerms): Citation[] {
  return CITATION_STYLES.map((s) => cite(entry, s, terms));
}
