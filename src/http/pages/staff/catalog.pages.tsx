/**
 * Cataloguing pages for the union catalogue: the landing page with a lookup box, a record's page
 * (description, holdings, tagged MARC, tombstone), the MARC editor, the simple form for small
 * libraries, items (add, edit, withdraw), deleting a record, and a record's history.
 *
 * Permissions are checked by the use cases; these pages only hide what the user may not do, and
 * refuse the edit forms up front so nobody fills in a form that cannot be saved.
 *
 * The MARC editor writes each data field as one line of text in the style of Koha's and
 * MarcEdit's text editors: `$a Truyện Kiều / $c Nguyễn Du.` — a `$`, the subfield code, the value.
 * A literal dollar sign is written `{dollar}` (MarcEdit's escape). Blank indicators may be typed as
 * nothing, a space, `#` (Library of Congress documentation) or `_`/`\` (Koha, MarcEdit).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren } from 'preact';
import { AppError } from '../../../domain/errors.js';
import { allows, allowsAnywhere, type Permission } from '../../../domain/access/permissions.js';
import { UNIT_TYPES } from '../../../domain/org/unit-types.js';
import type { OrgUnit } from '../../../domain/org/unit.js';
import { hasErrors, isLocalTag, tagInfo, type RuleProblem } from '../../../domain/catalog/marc21-rules.js';
import {
  CLASSIFICATION_SCHEMES,
  SIMPLE_MATERIAL_TYPES,
  buildMarcFromSimple,
  simpleFromMarc,
  validateSimpleRecord,
  type ClassificationScheme,
  type SimpleFormProblem,
  type SimpleMaterialType,
  type SimpleRecordInput,
} from '../../../domain/catalog/simple-form.js';
import { COMMON_ITEM_TYPES, ITEM_STATUSES, isValidBarcode, normaliseBarcode, type ItemInput, type ItemStatus } from '../../../domain/catalog/items.js';
import type { ShelfScheme } from '../../../domain/catalog/shelf-key.js';
import type { DerivedRecord } from '../../../domain/catalog/derive.js';
import { normaliseIsbn } from '../../../domain/catalog/isbn.js';
import { DEFAULT_LEADER, isControlTag, type DataField, type MarcField, type MarcRecord } from '../../../codecs/marc/record.js';
import { DuplicateFound, RecordRejected, type DuplicateCandidate, type HistoryEntry } from '../../../app/catalog.service.js';
import type { StoredItem, StoredRecord } from '../../../app/ports.js';
import type { Services } from '../../../main/container.js';
import { hasMessage, type MessageKey } from '../../../i18n/i18n.js';
import { compareVi } from '../../../text/fold.js';
import { assetUrl } from '../../assets/assets.js';
import { Breadcrumbs as SharedBreadcrumbs, Csrf, Layout, errorText, flashFromQuery, formatTime, pageCtx, sendPage, unitName, type PageCtx } from '../render.js';
import { FormError, Section, asFormError, formValues, requireUser, type Values } from './forms.js';

// =============================================================================================
// The editor's text form of a record (pure)

/** One row of the MARC editor, as typed. */
export interface EditorRow {
  tag: string;
  ind1: string;
  ind2: string;
  /** A control field's value, or a data field's subfields as `$a value $b value`. */
  value: string;
}

/** Problems the editor text itself has, before any MARC rule is checked. */
export const EDITOR_PARSE_CODES = ['tag-missing', 'tag-invalid', 'indicator-invalid', 'control-indicators', 'control-subfields', 'no-dollar', 'code-missing'] as const;
export type EditorParseCode = (typeof EDITOR_PARSE_CODES)[number];

/**
 * A problem shown in the editor or the simple form: a parse problem (`staff.catalog.parse.<code>`)
 * or a MARC rule (`marc.rule.<code>`), next to the row it is about (`row`, 0-based).
 */
export interface ShownProblem {
  severity: 'error' | 'warning';
  key: string;
  params: Record<string, string | number>;
  row?: number;
  tag?: string;
}

const BLANKS = new Set(['', ' ', '#', '_', '\\']);

/** Fixed-length control fields, where `#` is read as a blank as in LC's documentation. */
const FIXED_FIELDS = new Set(['006', '007', '008']);

function escapeDollar(s: string): string {
  return s.replaceAll('$', '{dollar}');
}

/** An indicator for the editor: blank shown as `#`. */
function showIndicator(ind: string): string {
  return ind === ' ' || ind === '' ? '#' : ind;
}

/** The editor row of a field: `{ tag: '245', ind1: '1', ind2: '0', value: '$a Truyện Kiều / $c Nguyễn Du.' }`. */
export function fieldToRow(f: MarcField): EditorRow {
  if ('subfields' in f) {
    return { tag: f.tag, ind1: showIndicator(f.ind1), ind2: showIndicator(f.ind2), value: f.subfields.map((s) => `$${s.code} ${escapeDollar(s.value)}`).join(' ') };
  }
  return { tag: f.tag, ind1: '', ind2: '', value: f.value };
}

/** A field as one line of the tagged display: `245 10 $a Truyện Kiều / $c Nguyễn Du.` (blanks as `#`). */
export function taggedLine(f: MarcField): string {
  if ('subfields' in f) return `${f.tag} ${showIndicator(f.ind1)}${showIndicator(f.ind2)} ${f.subfields.map((s) => `$${s.code} ${s.value}`).join(' ')}`;
  return `${f.tag}    ${f.value}`;
}

/** The rows of the editor form: `f<n>.tag`, `f<n>.ind1`, `f<n>.ind2`, `f<n>.value`, in `n` order; empty rows dropped. */
export function readEditorForm(v: Values): { leader: string; rows: EditorRow[] } {
  const byIndex = new Map<number, EditorRow>();
  for (const [k, val] of Object.entries(v)) {
    const m = /^f(\d{1,4})\.(tag|ind1|ind2|value)$/.exec(k);
    if (!m || val === undefined) continue;
    const i = Number(m[1]);
    const row = byIndex.get(i) ?? { tag: '', ind1: '', ind2: '', value: '' };
    row[m[2] as keyof EditorRow] = val.slice(0, 20_000);
    byIndex.set(i, row);
  }
  const rows = [...byIndex.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([, r]) => r)
    .filter((r) => r.tag.trim() !== '' || r.value.trim() !== '');
  return { leader: (v.leader ?? '').replace(/[\r\n]/g, ''), rows };
}

/**
 * Reads the editor's rows into a record. A row without a value is left out (that is how a field
 * is removed); anything that cannot be read is a problem next to its row, and the caller must
 * not save. `rowOfField[i]` is the row the record's field `i` came from.
 */
export function rowsToRecord(leaderText: string, rows: readonly EditorRow[]): { record: MarcRecord; rowOfField: number[]; problems: ShownProblem[] } {
  const problems: ShownProblem[] = [];
  const fields: MarcField[] = [];
  const rowOfField: number[] = [];
  const bad = (row: number, code: EditorParseCode, params: Record<string, string | number> = {}, tag?: string) =>
    problems.push({ severity: 'error', key: `staff.catalog.parse.${code}`, params, row, ...(tag ? { tag } : {}) });
  let leader = leaderText.replace(/#/g, ' ');
  if (leader.length > 24) leader = leader.trimEnd();

  rows.forEach((r, row) => {
    const tag = r.tag.trim();
    const raw = r.value.replace(/\r?\n/g, ' ');
    const value = raw.trim();
    if (value === '') return;
    if (tag === '') return bad(row, 'tag-missing');
    if (!/^[0-9A-Za-z]{3}$/.test(tag)) return bad(row, 'tag-invalid', { tag });
    const inds = [r.ind1, r.ind2].map((i) => (BLANKS.has(i.trim()) ? ' ' : i.trim()));
    if (isControlTag(tag)) {
      if (inds.some((i) => i !== ' ')) bad(row, 'control-indicators', { tag }, tag);
      if (/^\$[0-9a-z]\s/.test(value)) bad(row, 'control-subfields', { tag }, tag);
      fields.push({ tag, value: FIXED_FIELDS.has(tag) ? raw.replace(/#/g, ' ') : raw });
      rowOfField.push(row);
      return;
    }
    let ok = true;
    inds.forEach((i, n) => {
      if (i.length !== 1) {
        bad(row, 'indicator-invalid', { tag, ind: n + 1, value: i }, tag);
        ok = false;
      }
    });
    if (!value.startsWith('$')) {
      bad(row, 'no-dollar', { tag }, tag);
      return;
    }
    const subfields: DataField['subfields'] = [];
    value
      .split('$')
      .slice(1)
      .forEach((part, n) => {
        if (part === '' || /^\s/.test(part)) {
          bad(row, 'code-missing', { tag, position: n + 1 }, tag);
          ok = false;
          return;
        }
        subfields.push({ code: part[0]!, value: part.slice(1).trim().replaceAll('{dollar}', '$') });
      });
    if (!ok) return;
    fields.push({ tag, ind1: inds[0]!, ind2: inds[1]!, subfields });
    rowOfField.push(row);
  });
  return { record: { leader, fields }, rowOfField, problems };
}

/** Fields in tag order, keeping the order of fields with the same tag (MARC 21 convention). */
export function sortFields(record: MarcRecord): MarcRecord {
  return { leader: record.leader, fields: record.fields.map((f, i) => ({ f, i })).sort((a, b) => (a.f.tag < b.f.tag ? -1 : a.f.tag > b.f.tag ? 1 : a.i - b.i)).map((x) => x.f) };
}

/** Rule problems placed next to the editor rows their fields came from. */
function ruleProblems(problems: readonly RuleProblem[], rowOfField?: readonly number[]): ShownProblem[] {
  return problems.map((p) => ({
    severity: p.severity,
    key: `marc.rule.${p.code}`,
    params: p.params,
    ...(p.tag !== undefined ? { tag: p.tag } : {}),
    ...(p.fieldIndex !== undefined && rowOfField?.[p.fieldIndex] !== undefined ? { row: rowOfField[p.fieldIndex] } : {}),
  }));
}

// =============================================================================================
// Editing a record through the simple form without losing what the form does not show (pure)

type Field = MarcField;

/** The form's view of one field alone: what the simple form would show for it. */
function formValueOf(leader: string, field: Field, key: 'authors' | 'isbn' | 'subjects' | 'notes' | 'summary'): string {
  const s = simpleFromMarc({ leader, fields: [field] });
  if (key === 'authors') return s.authors[0] ?? '';
  if (key === 'isbn') return s.isbn?.[0] ?? '';
  if (key === 'subjects') return s.subjects?.[0] ?? '';
  return (key === 'notes' ? s.notes : s.summary) ?? '';
}

const LIST_GROUPS: ReadonlyArray<{ key: 'authors' | 'isbn' | 'subjects' | 'notes' | 'summary'; reads: (tag: string) => boolean; builds: readonly string[] }> = [
  { key: 'authors', reads: (t) => /^[17]1[01]$|^[17]00$/.test(t), builds: ['100', '700'] },
  { key: 'isbn', reads: (t) => t === '020', builds: ['020'] },
  { key: 'subjects', reads: (t) => ['600', '610', '611', '630', '650', '651', '655'].includes(t), builds: ['650'] },
  { key: 'notes', reads: (t) => /^5\d\d$/.test(t) && t !== '520', builds: ['500'] },
  { key: 'summary', reads: (t) => t === '520', builds: ['520'] },
];

function insertInTagOrder(fields: Field[], f: Field): void {
  const at = fields.findIndex((x) => x.tag > f.tag);
  if (at < 0) fields.push(f);
  else fields.splice(at, 0, f);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
}

function patch(s: string, from: number, to: number, by: string): string {
  return s.slice(0, from) + by.slice(from, to) + s.slice(to);
}

/**
 * Merges what the simple form built into the record it edits. A part of the form the user did not
 * change leaves its fields exactly as they were; a changed part replaces only the fields it was
 * read from. Listed values (authors, ISBNs, subjects, notes, summary) that are still there keep
 * their own fields, so a relator, a subject vocabulary or a 504 note survives when another value
 * of the list changes. Everything else — 001, 035, 246, 856, holdings, local fields — is kept.
 */
export function mergeSimpleIntoMarc(existing: MarcRecord, built: MarcRecord): MarcRecord {
  const fields: Field[] = existing.fields.map((f) => ('subfields' in f ? { ...f, subfields: f.subfields.map((s) => ({ ...s })) } : { ...f }));
  let leader = existing.leader;
  const before = simpleFromMarc(existing);
  const after = simpleFromMarc(built);
  const builtOf = (...tags: string[]) => built.fields.filter((f) => tags.includes(f.tag));
  const changed = (...keys: (keyof SimpleRecordInput)[]) => keys.some((k) => !sameJson(before[k], after[k]));
  const removeField = (f: Field | undefined) => {
    if (!f) return;
    const i = fields.indexOf(f);
    if (i >= 0) fields.splice(i, 1);
  };
  const replaceField = (old: Field | undefined, next: Field | undefined) => {
    const i = old ? fields.indexOf(old) : -1;
    if (i >= 0 && next) fields[i] = next;
    else {
      removeField(old);
      if (next) insertInTagOrder(fields, next);
    }
  };

  // Listed values: keep the fields of values still listed, add built fields for new ones.
  let authorsChanged = false;
  for (const g of LIST_GROUPS) {
    const old = fields.map((f) => ({ f, v: g.reads(f.tag) && 'subfields' in f ? formValueOf(leader, f, g.key) : '' })).filter((x) => x.v !== '');
    const next = builtOf(...g.builds).map((f) => ({ f, v: formValueOf(built.leader, f, g.key) }));
    if (sameJson(old.map((x) => x.v), next.map((x) => x.v))) continue;
    if (g.key === 'authors') authorsChanged = true;
    const used = new Set<number>();
    const result = next.map((n, i) => {
      const j = old.findIndex((o, k) => !used.has(k) && o.v === n.v);
      if (j < 0) return n.f;
      used.add(j);
      const kept = old[j]!.f as DataField;
      if (g.key !== 'authors') return kept;
      // The first name is the main entry (1XX), the others added entries (7XX) of the same kind.
      const tag = `${i === 0 ? '1' : '7'}${kept.tag.slice(1)}`;
      return tag === kept.tag ? kept : { ...kept, tag, ind2: ' ' };
    });
    for (const o of old) removeField(o.f);
    for (const f of result) insertInTagOrder(fields, f);
  }

  const first = (pred: (f: Field) => boolean) => fields.find(pred);
  const isData = (f: Field): f is DataField => 'subfields' in f;

  if (changed('title', 'subtitle', 'responsibility')) replaceField(first((f) => f.tag === '245'), builtOf('245')[0]);
  else if (authorsChanged) {
    // 245 ind1: 1 when there is a main entry (1XX), 0 when there is none.
    const f245 = first((f) => f.tag === '245');
    if (f245 && isData(f245)) f245.ind1 = fields.some((f) => /^1\d\d$/.test(f.tag)) ? '1' : '0';
  }
  if (changed('edition')) replaceField(first((f) => f.tag === '250'), builtOf('250')[0]);
  if (changed('publisher', 'place', 'year')) {
    replaceField(
      first((f) => isData(f) && (f.tag === '260' || (f.tag === '264' && f.ind2 === '1'))),
      builtOf('264').find((f) => isData(f) && f.ind2 === '1'),
    );
  }
  if (changed('pages')) {
    const f300 = first((f) => f.tag === '300');
    const b300 = builtOf('300')[0] as DataField | undefined;
    const pages = after.pages;
    if (f300 && isData(f300) && f300.subfields.some((s) => s.code !== 'a')) {
      // Keep $b $c $e: only the extent changes, with the ISBD mark that introduced the next subfield.
      const a = f300.subfields.find((s) => s.code === 'a');
      const mark = /\s*[:;+]$/.exec(a?.value ?? '')?.[0] ?? '';
      if (pages === undefined) f300.subfields = f300.subfields.filter((s) => s.code !== 'a');
      else if (a) a.value = pages + mark;
      else f300.subfields.unshift({ code: 'a', value: `${pages} :` });
    } else replaceField(f300, b300);
  }
  if (changed('series')) {
    const old = first((f) => isData(f) && ['490', '800', '810', '811', '830'].includes(f.tag) && sameJson(simpleFromMarc({ leader, fields: [f] }).series, before.series));
    replaceField(old, builtOf('490')[0]);
  }
  if (changed('classification')) {
    const old = first((f) => isData(f) && ['050', '080', '082', '084'].includes(f.tag) && sameJson(simpleFromMarc({ leader, fields: [f] }).classification, before.classification));
    replaceField(old, builtOf('080', '082', '084')[0]);
  }

  // 008 and the leader: only the positions the changed parts of the form set.
  const built008 = builtOf('008')[0];
  const b008 = built008 && !isData(built008) ? built008.value : '';
  const f008 = first((f) => f.tag === '008');
  const patch008 = (from: number, to: number) => {
    if (!f008) {
      if (built008) insertInTagOrder(fields, { ...built008 });
    } else if (!isData(f008) && f008.value.length === 40 && b008.length === 40) f008.value = patch(f008.value, from, to, b008);
  };
  if (!sameJson(before.year, after.year)) patch008(6, 15); // 008/06 type of date, 07-14 dates
  if (changed('language')) {
    patch008(35, 38);
    const codes = builtOf('041').flatMap((f) => (isData(f) ? f.subfields.filter((s) => s.code === 'a').map((s) => s.value) : []));
    const all = codes.length > 0 ? codes : [b008.slice(35, 38)].filter((c) => /^[a-z]{3}$/.test(c));
    const f041 = first((f) => f.tag === '041');
    if (f041 && isData(f041)) {
      const others = f041.subfields.filter((s) => s.code !== 'a');
      if (others.length === 0 && all.length < 2) removeField(f041);
      else f041.subfields = [...all.map((value) => ({ code: 'a', value })), ...others];
    } else if (all.length > 1) insertInTagOrder(fields, builtOf('041')[0]!);
  }
  if (changed('materialType')) {
    leader = leader.length === 24 ? patch(leader, 6, 8, built.leader) : leader;
    patch008(18, 35);
  }
  return { leader, fields };
}

// =============================================================================================
// The simple form's values

const SIMPLE_TEXT = ['title', 'subtitle', 'responsibility', 'publisher', 'place', 'year', 'edition', 'language', 'pages', 'series'] as const;
const SIMPLE_LINES = ['authors', 'isbn', 'subjects'] as const;

function lines(s: string | undefined): string[] {
  return (s ?? '')
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** The form's fields → the simple record input. */
export function simpleInputFrom(v: Values): SimpleRecordInput {
  const input: SimpleRecordInput = { title: v.title ?? '', authors: lines(v.authors) };
  for (const k of SIMPLE_TEXT) if (k !== 'title' && v[k]?.trim()) input[k] = v[k]!.slice(0, 4000);
  if (v.isbn?.trim()) input.isbn = lines(v.isbn);
  if (v.subjects?.trim()) input.subjects = lines(v.subjects);
  if (v.summary?.trim()) input.summary = v.summary.slice(0, 20_000);
  if (v.notes?.trim()) input.notes = v.notes.slice(0, 20_000);
  if (v.materialType) input.materialType = v.materialType as SimpleMaterialType;
  if (v.classNumber?.trim()) input.classification = { scheme: (v.classScheme || 'ddc') as ClassificationScheme, number: v.classNumber };
  return input;
}

/** A record → the form's fields. */
function simpleValuesOf(input: SimpleRecordInput): Values {
  const v: Values = {};
  for (const k of SIMPLE_TEXT) v[k] = input[k] ?? '';
  for (const k of SIMPLE_LINES) v[k] = (input[k] ?? []).join('\n');
  v.summary = input.summary ?? '';
  v.notes = input.notes ?? '';
  v.materialType = input.materialType ?? 'book';
  v.classScheme = input.classification?.scheme ?? 'ddc';
  v.classNumber = input.classification?.number ?? '';
  return v;
}

// =============================================================================================
// Pages

type T = PageCtx['t'];

/** A message by a key built at run time, or the key itself when the catalogue lacks it. */
function tk(t: T, key: string, params?: Record<string, string | number>): string {
  return hasMessage(key) ? t(key, params) : key;
}

function tagName(ctx: PageCtx, tag: string): string | undefined {
  const info = tagInfo(tag);
  if (info) return (ctx.locale === 'vi' ? info.name.vi : undefined) ?? info.name.en;
  if (isLocalTag(tag)) return ctx.t('staff.catalog.localField');
  return undefined;
}

const NEW_ROWS = 5;

/** What a new record starts with in the MARC editor: the fields a small library fills in. */
function templateRows(today: string, orgCode: string): EditorRow[] {
  const built = buildMarcFromSimple({ title: '', authors: [] }, { today, orgCode });
  const f008 = built.fields.find((f) => f.tag === '008');
  const f040 = built.fields.find((f) => f.tag === '040');
  const rows: EditorRow[] = [];
  if (f008) rows.push(fieldToRow(f008));
  if (f040) rows.push(fieldToRow(f040));
  const empty = (tag: string, ind1: string, ind2: string): EditorRow => ({ tag, ind1, ind2, value: '' });
  rows.push(empty('020', '#', '#'), empty('082', '0', '4'), empty('100', '0', '#'), empty('245', '1', '0'), empty('250', '#', '#'), empty('264', '#', '1'), empty('300', '#', '#'), empty('490', '0', '#'), empty('500', '#', '#'), empty('520', '#', '#'), empty('650', '#', '4'), empty('700', '0', '#'));
  return rows;
}

/** Examples shown in empty rows of the editor (MARC data, in Vietnamese as the records are). */
const PLACEHOLDERS: Record<string, string> = {
  '020': '$a 9786042091234 $q bìa mềm',
  '082': '$a 895.9221 $2 23',
  '100': '$a Nguyễn Du, $d 1765-1820',
  '245': '$a Truyện Kiều / $c Nguyễn Du ; Đào Duy Anh khảo đính.',
  '250': '$a Tái bản lần thứ 2.',
  '264': '$a Hà Nội : $b Văn học, $c 2024.',
  '300': '$a 215 tr. : $b minh hoạ ; $c 21 cm.',
  '490': '$a Tủ sách văn học ; $v 5',
  '500': '$a Ghi chú chung.',
  '520': '$a Tóm tắt nội dung.',
  '650': '$a Văn học Việt Nam $x Thơ',
  '700': '$a Đào Duy Anh, $e khảo đính',
};

interface UnitOption {
  unit: OrgUnit;
  label: string;
}

/** Open units where the actor has `permission` (and, for items, that may hold a collection), home unit first. */
function unitOptions(ctx: PageCtx, units: readonly OrgUnit[], permission: Permission, opts: { holdsItems?: boolean } = {}): UnitOption[] {
  const home = ctx.user?.homeUnitId ?? null;
  return units
    .filter((u) => u.status === 'active' && (!opts.holdsItems || UNIT_TYPES[u.typeCode].holdsItems) && allows(ctx.actor.grants, permission, u))
    .map((u) => ({ unit: u, label: `${unitName(ctx, u)} (${u.code})` }))
    .sort((a, b) => (a.unit.id === home ? -1 : b.unit.id === home ? 1 : compareVi(a.label, b.label)));
}

function ProblemList({ ctx, problems, showTag = true }: { ctx: PageCtx; problems: readonly ShownProblem[]; showTag?: boolean }) {
  if (problems.length === 0) return null;
  return (
    <ul class="marc-problems">
      {problems.map((p) => {
        const name = showTag && p.tag ? tagName(ctx, p.tag) : undefined;
        return (
          <li class={`problem-${p.severity}`}>
            <strong>{ctx.t(p.severity === 'error' ? 'staff.catalog.problem.error' : 'staff.catalog.problem.warning')}</strong>{' '}
            {showTag && p.tag ? <span class="marc-tag">{`${p.tag}${name ? ` ${name}` : ''}: `}</span> : null}
            {tk(ctx.t, p.key, p.params)}
          </li>
        );
      })}
    </ul>
  );
}

/** The summary over a form that was checked: how many errors and warnings. */
function ProblemSummary({ ctx, problems, checked }: { ctx: PageCtx; problems: readonly ShownProblem[]; checked: boolean }) {
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.length - errors;
  const first = problems.map((p) => p.row).filter((r): r is number => r !== undefined).sort((a, b) => a - b)[0];
  if (!checked && problems.length === 0) return null;
  if (problems.length === 0) {
    return (
      <p class="flash flash-ok" role="status">
        {ctx.t('staff.catalog.problem.none')}
      </p>
    );
  }
  return (
    <div class={`flash ${errors ? 'flash-error' : 'flash-warning'}`} role="alert" id="problems">
      <p>{ctx.t('staff.catalog.problem.count', { errors, warnings })}</p>
      {errors ? <p class="small">{ctx.t('staff.catalog.problem.errorsBlock')}</p> : <p class="small">{ctx.t('staff.catalog.problem.warningsOnly')}</p>}
      {first !== undefined ? (
        <p class="small">
          <a href={`#row-${first}`}>{ctx.t('staff.catalog.problem.first')}</a>
        </p>
      ) : null}
    </div>
  );
}

function DuplicateWarning({ ctx, candidates, values }: { ctx: PageCtx; candidates: readonly DuplicateCandidate[] | undefined; values: Values }) {
  if (!candidates?.length) return null;
  const { t } = ctx;
  return (
    <div class="flash flash-warning duplicate" role="alert" id="duplicates">
      <p>
        <strong>{t('staff.catalog.duplicate.title')}</strong>
      </p>
      <p class="small">{t('staff.catalog.duplicate.help')}</p>
      <ul>
        {candidates.map((c) => (
          <li>
            <a href={`/staff/catalogue/records/${c.recordId}`}>{`#${c.recordId} ${c.title}`}</a>{' '}
            <span class="muted small">{t('staff.catalog.duplicate.on', { on: tk(t, `staff.catalog.identifier.${c.on}`), value: c.value })}</span>
          </li>
        ))}
      </ul>
      <label class="checkbox">
        <input type="checkbox" name="allowDuplicate" value="1" checked={values.allowDuplicate === '1'} /> {t('staff.catalog.duplicate.createAnyway')}
      </label>
    </div>
  );
}

function AckWarnings({ ctx, problems, values }: { ctx: PageCtx; problems: readonly ShownProblem[]; values: Values }) {
  if (!problems.some((p) => p.severity === 'warning') || problems.some((p) => p.severity === 'error')) return null;
  return (
    <label class="checkbox ack">
      <input type="checkbox" name="ack" value="1" checked={values.ack === '1'} /> {ctx.t('staff.catalog.problem.ack')}
    </label>
  );
}

function OwnerSelect({ options, value, name = 'unitId', label, byCode = false, error }: { ctx: PageCtx; options: readonly UnitOption[]; value: string | undefined; name?: string; label: string; byCode?: boolean; error?: string }) {
  const id = `f-${name}`;
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <select id={id} name={name} required aria-invalid={error ? 'true' : undefined} aria-describedby={error ? `${id}-error` : undefined}>
        {options.map((o) => {
          const v = byCode ? o.unit.code : String(o.unit.id);
          return (
            <option value={v} selected={v === value}>
              {o.label}
            </option>
          );
        })}
      </select>
      {error ? (
        <span class="field-error" id={`${id}-error`}>
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** A labelled input whose error is a ready text (the catalogue's problems carry their own messages). */
function TextField(p: {
  name: string;
  label: string;
  values: Values;
  error?: string | undefined;
  help?: string;
  required?: boolean;
  rows?: number;
  type?: string;
  maxLength?: number;
  inputMode?: 'numeric' | 'text' | 'decimal';
  list?: string;
  requiredText?: string;
  autocomplete?: string;
}) {
  const id = `f-${p.name}`;
  const value = p.values[p.name] ?? '';
  const describedBy = [p.help ? `${id}-help` : null, p.error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
  const common = { id, name: p.name, required: p.required, maxLength: p.maxLength, 'aria-invalid': p.error ? ('true' as const) : undefined, 'aria-describedby': describedBy };
  return (
    <div class="field">
      <label for={id}>
        {p.label}
        {p.required && p.requiredText ? <span class="muted small"> ({p.requiredText})</span> : null}
      </label>
      {p.rows ? (
        <textarea {...common} rows={p.rows}>
          {value}
        </textarea>
      ) : (
        <input {...common} type={(p.type ?? 'text') as 'text'} value={value} inputMode={p.inputMode} list={p.list} autoComplete={p.autocomplete} />
      )}
      {p.help ? (
        <span class="help" id={`${id}-help`}>
          {p.help}
        </span>
      ) : null}
      {p.error ? (
        <span class="field-error" id={`${id}-error`}>
          {p.error}
        </span>
      ) : null}
    </div>
  );
}

function Breadcrumbs({ ctx, items }: { ctx: PageCtx; items: Array<[string, string]> }) {
  return <SharedBreadcrumbs label={ctx.t('staff.catalog.breadcrumbs')} items={[['/staff/catalogue', ctx.t('staff.catalog.title')], ...items]} />;
}

function recordHref(id: number): string {
  return `/staff/catalogue/records/${id}`;
}

function recordLabel(r: Pick<StoredRecord, 'id' | 'title'>): string {
  return `#${r.id} ${r.title || '—'}`;
}

/** The record as tagged text: `LDR …`, then one line per field (each its own block, for a hanging indent). */
function MarcView({ marc }: { marc: MarcRecord }) {
  return (
    <div class="marc-view">
      {[`LDR    ${marc.leader}`, ...marc.fields.map(taggedLine)].map((line) => (
        <div>{line}</div>
      ))}
    </div>
  );
}

/** The description of a record from its derived fields, as a definition list. */
function RecordFacts({ ctx, d, record, owner }: { ctx: PageCtx; d: DerivedRecord; record: StoredRecord; owner: OrgUnit | undefined }) {
  const { t } = ctx;
  const rows: Array<[string, ComponentChildren]> = [];
  const add = (key: MessageKey, value: ComponentChildren | undefined | null | false) => {
    if (value === undefined || value === null || value === false || value === '' || (Array.isArray(value) && value.length === 0)) return;
    rows.push([t(key), value]);
  };
  add('staff.catalog.f.title', d.title ?? record.title);
  add('staff.catalog.f.responsibility', d.responsibility);
  add(
    'staff.catalog.f.authors',
    d.authors.length ? (
      <ul class="plain">
        {d.authors.map((a) => (
          <li>
            {a.name}
            {a.dates ? `, ${a.dates}` : ''}
            {a.roles.length ? <span class="muted">{` (${a.roles.join(', ')})`}</span> : null}
            {a.main ? <span class="muted small">{` — ${t('staff.catalog.f.mainEntry')}`}</span> : null}
          </li>
        ))}
      </ul>
    ) : undefined,
  );
  add(
    'staff.catalog.f.subjects',
    d.subjects.length ? (
      <ul class="plain">
        {d.subjects.map((s) => (
          <li>{s.heading}</li>
        ))}
      </ul>
    ) : undefined,
  );
  const publication = [d.places.join(' ; '), d.publishers.join(' ; '), d.publicationDate].filter((x) => x && x !== '');
  add('staff.catalog.f.publication', publication.join(', '));
  add('staff.catalog.f.edition', d.edition);
  add('staff.catalog.f.series', d.series.map((s) => (s.volume ? `${s.title} ; ${s.volume}` : s.title)).join('\n'));
  add('staff.catalog.f.physical', d.physicalDescription);
  add(
    'staff.catalog.f.isbn',
    d.isbns.length ? (
      <ul class="plain">
        {d.isbns.map((i) => (
          <li>
            <code>{i.isbn13 ?? i.raw}</code>
            {i.isbn10 && i.isbn13 ? <span class="muted small">{` (${i.isbn10})`}</span> : null}
            {i.qualifier ? ` ${i.qualifier}` : ''}
            {i.status !== 'valid' ? <span class="badge badge-warning">{t(i.status === 'invalid' ? 'staff.catalog.f.isbnInvalid' : 'staff.catalog.f.isbnCancelled')}</span> : null}
          </li>
        ))}
      </ul>
    ) : undefined,
  );
  add('staff.catalog.f.issn', d.issns.map((i) => i.issn ?? i.raw).join(', '));
  add('staff.catalog.f.classification', d.classifications.map((c) => `${c.scheme.toUpperCase()} ${c.number}${c.edition ? ` (${c.edition})` : ''}`).join('\n'));
  add('staff.catalog.f.callNumber', d.callNumber ? <code>{d.callNumber.value}</code> : undefined);
  add('staff.catalog.f.language', d.languages.join(', '));
  add('staff.catalog.f.material', tk(t, `staff.catalog.material.${d.materialType}`));
  add('staff.catalog.f.summary', d.summaries.join('\n'));
  add('staff.catalog.f.notes', d.notes.map((n) => n.text).join('\n'));
  add(
    'staff.catalog.f.links',
    d.links.length ? (
      <ul class="plain">
        {d.links.map((l) => (
          <li>
            {/^https?:\/\//i.test(l.url) ? (
              <a href={l.url} rel="noopener noreferrer nofollow">
                {l.label ?? l.url}
              </a>
            ) : (
              l.url
            )}
            {l.note ? <span class="muted small">{` ${l.note}`}</span> : null}
          </li>
        ))}
      </ul>
    ) : undefined,
  );
  add('staff.catalog.f.controlNumber', d.controlNumber ? `${d.controlNumber.source ? `(${d.controlNumber.source}) ` : ''}${d.controlNumber.value}` : undefined);
  add('staff.catalog.f.owner', owner ? <a href={`/staff/org/${owner.id}`}>{`${unitName(ctx, owner)} (${owner.code})`}</a> : String(record.ownerUnitId));
  add('staff.catalog.f.recordNumber', `#${record.id} · ${t('staff.catalog.f.version', { version: record.version })}`);
  add('staff.catalog.f.updated', `${formatTime(ctx, record.updatedAt)} (${t('staff.catalog.f.created')}: ${formatTime(ctx, record.createdAt)})`);
  return (
    <dl class="facts">
      {rows.map(([label, value]) => (
        <>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </>
      ))}
    </dl>
  );
}

// ---------------------------------------------------------------------------------------------
// Newest records


// ---------------------------------------------------------------------------------------------

interface LookupHit {
  recordId: number;
  title: string;
  how: string;
}

export async function catalogPages(app: FastifyInstance, opts: { services: Services }): Promise<void> {
  const { catalog, org } = opts.services;

  const idOf = (raw: string | undefined): number => {
    if (!raw || !/^\d{1,10}$/.test(raw) || Number(raw) > 2_147_483_647) throw new AppError('NOT_FOUND');
    return Number(raw);
  };
  const param = (req: FastifyRequest, name: string) => idOf((req.params as Record<string, string | undefined>)[name]);
  const denied = (permission: Permission, unit?: number) => new AppError('PERMISSION_DENIED', { permission, ...(unit !== undefined ? { unit } : {}) });
  const go = (reply: FastifyReply, url: string) => reply.redirect(url, 303);

  // ---------------------------------------------------------------- landing
  app.get('/catalogue', async (req, reply) => {
    requireUser(req);
    const ctx = pageCtx(req);
    const { t } = ctx;
    const q = String((req.query as { q?: unknown }).q ?? '')
      .trim()
      .slice(0, 500);
    let hits: LookupHit[] | undefined;
    if (q !== '') {
      hits = [];
      const seen = new Set<string>();
      const push = (h: LookupHit) => {
        if (!seen.has(`${h.recordId}`)) hits!.push(h);
        seen.add(`${h.recordId}`);
      };
      const numberMatch = /^#?(\d{1,10})$/.exec(q);
      if (numberMatch && Number(numberMatch[1]) <= 2_147_483_647) {
        const view = await catalog.get(Number(numberMatch[1]), { allowDeleted: true }).catch(() => undefined);
        if (view) push({ recordId: view.record.id, title: view.record.title, how: t('staff.catalog.lookup.byNumber') });
      }
      const barcode = normaliseBarcode(q);
      if (isValidBarcode(barcode)) {
        const item = await catalog.getItemByBarcode(barcode).catch(() => undefined);
        if (item) {
          const view = await catalog.get(item.recordId, { allowDeleted: true }).catch(() => undefined);
          push({ recordId: item.recordId, title: view?.record.title ?? '', how: t('staff.catalog.lookup.byBarcode', { barcode: item.barcode }) });
        }
      }
      if (normaliseIsbn(q)) {
        const probe: MarcRecord = { leader: DEFAULT_LEADER, fields: [{ tag: '020', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: q }] }] };
        for (const c of await catalog.findDuplicates(probe)) push({ recordId: c.recordId, title: c.title, how: t('staff.catalog.lookup.byIsbn', { isbn: c.value }) });
      }
      if (hits.length === 1) return go(reply, recordHref(hits[0]!.recordId));
    }
    // Words go to the catalogue search; without a query the newest records are listed instead.
    const found = q !== '' ? await opts.services.search.search({ q, pageSize: 50, facets: false }) : undefined;
    const [count, newest, units] = await Promise.all([catalog.count(), found ? [] : catalog.list({ newestFirst: true, limit: 20 }), org.list()]);
    const byId = new Map(units.map((u) => [u.id, u]));
    const canCreate = allowsAnywhere(ctx.actor.grants, 'catalog.record.create');
    return sendPage(
      reply,
      <Layout ctx={ctx} title={t('staff.catalog.title')} staff flash={flashFromQuery(ctx, req.query)}>
        <h1>{t('staff.catalog.title')}</h1>
        <ul class="stats">
          <li>
            <span class="num">{count.toLocaleString(ctx.locale === 'vi' ? 'vi-VN' : 'en-GB')}</span> {t('staff.catalog.count')}
          </li>
        </ul>
        <form method="get" action="/staff/catalogue" class="filters lookup" role="search" aria-label={t('a11y.search.catalogue')}>
          <div class="field">
            <label for="q">{t('search.staff.label')}</label>
            <input type="search" id="q" name="q" value={q} maxLength={500} aria-describedby="q-help" autoComplete="off" />
            <span class="help" id="q-help">
              {t('search.staff.help')}
            </span>
          </div>
          <div class="actions">
            <button type="submit" class="secondary">
              {t('staff.catalog.lookup.submit')}
            </button>
          </div>
        </form>
        {hits && hits.length > 0 ? (
          <Section title={t('staff.catalog.lookup.results', { q })} id="lookup-heading">
            <ul>
              {hits.map((h) => (
                <li>
                  <a href={recordHref(h.recordId)}>{recordLabel({ id: h.recordId, title: h.title })}</a> <span class="muted small">{h.how}</span>
                </li>
              ))}
            </ul>
          </Section>
        ) : null}
        {found ? (
          <Section title={t('search.staff.results', { q, count: found.total })} id="search-heading">
            {found.total === 0 ? (
              <p class="muted">{hits?.length ? t('search.none') : t('search.staff.none', { q })}</p>
            ) : (
              <div class="table-wrap">
                <table class="list stack search-hits">
                  <thead>
                    <tr>
                      <th>{t('staff.catalog.f.recordNumber')}</th>
                      <th>{t('staff.catalog.f.title')}</th>
                      <th>{t('staff.catalog.f.authors')}</th>
                      <th>{t('staff.catalog.f.year')}</th>
                      <th>{t('search.staff.holdings')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {found.results.map((r) => (
                      <tr>
                        <td data-label={t('staff.catalog.f.recordNumber')}>{`#${r.id}`}</td>
                        <td data-label={t('staff.catalog.f.title')} class="title">
                          <a href={recordHref(r.id)}>{r.title.map((seg) => (seg.hit ? <mark>{seg.text}</mark> : seg.text))}</a>
                        </td>
                        <td data-label={t('staff.catalog.f.authors')}>{r.display.authors[0] ?? ''}</td>
                        <td data-label={t('staff.catalog.f.year')}>{r.display.year ?? ''}</td>
                        <td data-label={t('search.staff.holdings')}>{r.holdings}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
            {found.total > found.results.length ? (
              <p>
                <a href={`/search?${new URLSearchParams({ q }).toString()}`}>{t('search.staff.more')}</a>
              </p>
            ) : null}
          </Section>
        ) : null}
        {canCreate ? (
          <p class="actions">
            <a class="button" href="/staff/catalogue/records/new/simple">
              {t('staff.catalog.newSimple')}
            </a>
            <a class="button secondary" href="/staff/catalogue/records/new/marc">
              {t('staff.catalog.newMarc')}
            </a>
            <a class="button secondary" href="/staff/catalogue/copy">
              {t('copy.title')}
            </a>
          </p>
        ) : null}
        {found ? null : <h2>{t('staff.catalog.newest')}</h2>}
        {found ? null : newest.length === 0 ? (
          <p class="muted">{t('staff.catalog.empty')}</p>
        ) : (
          <div class="table-wrap">
            <table class="list stack records">
              <thead>
                <tr>
                  <th>{t('staff.catalog.f.recordNumber')}</th>
                  <th>{t('staff.catalog.f.title')}</th>
                  <th>{t('staff.catalog.f.authors')}</th>
                  <th>{t('staff.catalog.f.year')}</th>
                  <th>{t('staff.catalog.f.owner')}</th>
                  <th>{t('staff.catalog.f.updated')}</th>
                </tr>
              </thead>
              <tbody>
                {newest.map((r) => {
                  const owner = byId.get(r.ownerUnitId);
                  return (
                    <tr>
                      <td data-label={t('staff.catalog.f.recordNumber')}>{`#${r.id}`}</td>
                      <td data-label={t('staff.catalog.f.title')}>
                        <a href={recordHref(r.id)}>{r.title || '—'}</a>
                      </td>
                      <td data-label={t('staff.catalog.f.authors')}>{r.mainAuthor ?? ''}</td>
                      <td data-label={t('staff.catalog.f.year')}>{r.year ?? ''}</td>
                      <td data-label={t('staff.catalog.f.owner')}>{owner ? unitName(ctx, owner) : r.ownerUnitId}</td>
                      <td data-label={t('staff.catalog.f.updated')} class="nowrap">
                        {formatTime(ctx, r.updatedAt)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Layout>,
    );
  });

  app.get('/catalogue/items/:itemId', async (req, reply) => {
    requireUser(req);
    const item = await catalog.getItem(param(req, 'itemId'));
    return go(reply, `${recordHref(item.recordId)}#item-${item.id}`);
  });

  // ---------------------------------------------------------------- a record
  app.get('/catalogue/records/:id', async (req, reply) => {
    requireUser(req);
    const view = await catalog.get(param(req, 'id'), { allowDeleted: true });
    const { record, marc, derived, items } = view;
    const ctx = pageCtx(req);
    const { t } = ctx;
    const units = await org.list();
    const byId = new Map(units.map((u) => [u.id, u]));
    const owner = byId.get(record.ownerUnitId);
    if (record.status === 'deleted') {
      return sendPage(
        reply,
        <Layout ctx={ctx} title={record.title || recordLabel(record)} staff>
          <Breadcrumbs ctx={ctx} items={[]} />
          <h1>{record.title || recordLabel(record)}</h1>
          <div class="flash flash-error tombstone" role="alert">
            <p>
              <strong>{t('staff.catalog.tombstone', { record: record.id, date: formatTime(ctx, record.deletedAt) })}</strong>
            </p>
            {record.replacedById ? (
              <p>
                <a href={recordHref(record.replacedById)}>{t('staff.catalog.replacedBy', { record: record.replacedById })}</a>
              </p>
            ) : null}
          </div>
          <p class="actions">
            <a class="button secondary" href={`${recordHref(record.id)}/history`}>
              {t('staff.catalog.history')}
            </a>
          </p>
        </Layout>,
        410,
      );
    }
    const canEdit = await catalog.canEdit(ctx.actor, record);
    const canAddItems = unitOptions(ctx, units, 'catalog.item.manage', { holdsItems: true }).length > 0;
    const groups = new Map<number, StoredItem[]>();
    for (const i of items) groups.set(i.ownerUnitId, [...(groups.get(i.ownerUnitId) ?? []), i]);
    const live = items.filter((i) => i.status !== 'withdrawn').length;
    return sendPage(
      reply,
      <Layout ctx={ctx} title={record.title || recordLabel(record)} staff flash={flashFromQuery(ctx, req.query)}>
        <Breadcrumbs ctx={ctx} items={[]} />
        <h1>
          {derived.title ?? record.title} {derived.responsibility ? <span class="muted responsibility">/ {derived.responsibility}</span> : null}
        </h1>
        <p class="actions record-actions">
          {canEdit ? (
            <>
              <a class="button" href={`${recordHref(record.id)}/marc`}>
                {t('staff.catalog.editMarc')}
              </a>
              <a class="button secondary" href={`${recordHref(record.id)}/simple`}>
                {t('staff.catalog.editSimple')}
              </a>
            </>
          ) : null}
          {canAddItems ? (
            <a class="button secondary" href={`${recordHref(record.id)}/items/new`}>
              {t('staff.catalog.item.add')}
            </a>
          ) : null}
          <a class="button secondary" href={`${recordHref(record.id)}/history`}>
            {t('staff.catalog.history')}
          </a>
          {canEdit ? (
            <a class="button secondary danger-link" href={`${recordHref(record.id)}/delete`}>
              {t('staff.catalog.delete')}
            </a>
          ) : null}
        </p>
        {!canEdit ? <p class="muted small">{t('staff.catalog.readOnly')}</p> : null}
        <div class="record-layout">
          <Section title={t('staff.catalog.description')} id="description-heading">
            <RecordFacts ctx={ctx} d={derived} record={record} owner={owner} />
          </Section>
          <Section title={t('staff.catalog.holdings', { count: live })} id="holdings-heading">
            {items.length === 0 ? <p class="muted">{t('staff.catalog.noItems')}</p> : null}
            {[...groups.entries()].map(([unitId, list]) => {
              const u = byId.get(unitId);
              const manage = u ? allows(ctx.actor.grants, 'catalog.item.manage', u) : false;
              return (
                <div class="holding-group">
                  <h3>{u ? `${unitName(ctx, u)} (${u.code})` : String(unitId)}</h3>
                  <div class="table-wrap">
                    <table class="list stack items">
                      <thead>
                        <tr>
                          <th>{t('staff.catalog.item.barcode')}</th>
                          <th>{t('staff.catalog.item.location')}</th>
                          <th>{t('staff.catalog.item.callNumber')}</th>
                          <th>{t('staff.catalog.item.status')}</th>
                          {manage ? <th>{t('staff.catalog.item.actions')}</th> : null}
                        </tr>
                      </thead>
                      <tbody>
                        {list.map((i) => {
                          const loc = byId.get(i.locationUnitId);
                          return (
                            <tr id={`item-${i.id}`} class={i.status === 'withdrawn' ? 'withdrawn' : undefined}>
                              <td data-label={t('staff.catalog.item.barcode')}>
                                <code>{i.barcode}</code>
                                {i.copyNumber ? <span class="muted small">{` · ${t('staff.catalog.item.copy', { copy: i.copyNumber })}`}</span> : null}
                              </td>
                              <td data-label={t('staff.catalog.item.location')}>
                                {[i.locationUnitId !== i.ownerUnitId && loc ? unitName(ctx, loc) : '', i.shelvingLocation ?? ''].filter((x) => x !== '').join(' · ') || t('common.none')}
                              </td>
                              <td data-label={t('staff.catalog.item.callNumber')}>{i.callNumber ? <code>{i.callNumber}</code> : t('common.none')}</td>
                              <td data-label={t('staff.catalog.item.status')}>
                                <span class={`badge badge-item-${i.status}`}>{tk(t, `catalog.item.status.${i.status}`)}</span>
                                {i.withdrawnAt ? <span class="muted small">{` ${formatTime(ctx, i.withdrawnAt)}`}</span> : null}
                              </td>
                              {manage ? (
                                <td data-label={t('staff.catalog.item.actions')} class="nowrap">
                                  <a href={`/staff/catalogue/items/${i.id}/edit`}>{t('staff.catalog.item.edit')}</a>
                                  {i.status !== 'withdrawn' ? (
                                    <>
                                      {' · '}
                                      <a href={`/staff/catalogue/items/${i.id}/withdraw`}>{t('staff.catalog.item.withdraw')}</a>
                                    </>
                                  ) : null}
                                </td>
                              ) : null}
                            </tr>
                          );
                        })}
                      </tbody>
                    </table>
                  </div>
                </div>
              );
            })}
          </Section>
        </div>
        <Section title={t('staff.catalog.marcView')} id="marc-heading">
          <MarcView marc={marc} />
        </Section>
      </Layout>,
    );
  });

  // ---------------------------------------------------------------- saving a record (both forms)

  interface SaveState {
    problems: ShownProblem[];
    duplicates?: readonly DuplicateCandidate[];
    error?: AppError;
    status: number;
  }

  /**
   * Saves a record built by either form: refuses errors, asks to confirm warnings and duplicates.
   * Returns the saved record's id, or what to show the user.
   */
  const save = async (req: FastifyRequest, input: { marc: MarcRecord; recordId?: number; version?: number; unitId?: number; values: Values; rowOfField?: number[] }): Promise<number | SaveState> => {
    const actor = req.ctx.actor;
    const checked = catalog.check(input.marc);
    const problems = ruleProblems(checked, input.rowOfField);
    if (!hasErrors(checked) && checked.length > 0 && input.values.ack !== '1') return { problems, status: 409 };
    const marc = sortFields(input.marc);
    try {
      if (input.recordId === undefined) {
        const { record } = await catalog.create(actor, { marc, unitId: input.unitId ?? 0, allowDuplicate: input.values.allowDuplicate === '1' });
        return record.id;
      }
      await catalog.update(actor, input.recordId, { marc, version: input.version ?? -1 });
      return input.recordId;
    } catch (e) {
      if (e instanceof RecordRejected) return { problems: ruleProblems(e.problems, input.rowOfField), error: e, status: e.status };
      if (e instanceof DuplicateFound) return { problems, duplicates: e.candidates, error: e, status: e.status };
      const err = asFormError(e);
      return { problems, error: err, status: err.status };
    }
  };

  const versionOf = (v: Values): number => (v.version && /^\d{1,9}$/.test(v.version) ? Number(v.version) : -1);

  const loadEditable = async (req: FastifyRequest) => {
    const view = await catalog.get(param(req, 'id'));
    if (!(await catalog.canEdit(req.ctx.actor, view.record))) throw denied('catalog.record.edit_shared', view.record.ownerUnitId);
    return view;
  };

  const requireCreate = (req: FastifyRequest) => {
    if (!allowsAnywhere(req.ctx.actor.grants, 'catalog.record.create')) throw denied('catalog.record.create');
  };

  const defaultUnit = (options: readonly UnitOption[]) => String(options[0]?.unit.id ?? '');

  // ---------------------------------------------------------------- the MARC editor

  interface EditorState {
    leader: string;
    rows: EditorRow[];
    problems: ShownProblem[];
    checked: boolean;
    values: Values;
    duplicates?: readonly DuplicateCandidate[];
    error?: AppError;
    extraRows?: number;
  }

  const editorPage = async (req: FastifyRequest, view: { record: StoredRecord } | undefined, s: EditorState) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const action = view ? `${recordHref(view.record.id)}/marc` : '/staff/catalogue/records/new/marc';
    const title = view ? t('staff.catalog.editor.editTitle', { record: view.record.id }) : t('staff.catalog.editor.newTitle');
    const options = view ? [] : unitOptions(ctx, await org.list(), 'catalog.record.create');
    const rows = [...s.rows, ...Array.from({ length: s.extraRows ?? NEW_ROWS }, () => ({ tag: '', ind1: '', ind2: '', value: '' }))];
    const byRow = new Map<number, ShownProblem[]>();
    for (const p of s.problems) if (p.row !== undefined) byRow.set(p.row, [...(byRow.get(p.row) ?? []), p]);
    const general = s.problems.filter((p) => p.row === undefined);
    return (
      <Layout ctx={ctx} title={title} staff>
        <Breadcrumbs ctx={ctx} items={view ? [[recordHref(view.record.id), recordLabel(view.record)]] : []} />
        <h1>{title}</h1>
        <p class="muted small">{t('staff.catalog.editor.help')}</p>
        <FormError ctx={ctx} error={s.error instanceof RecordRejected || s.error instanceof DuplicateFound ? undefined : s.error} />
        <ProblemSummary ctx={ctx} problems={s.problems} checked={s.checked} />
        <form method="post" action={action} class="marc-editor" novalidate>
          <Csrf ctx={ctx} />
          {view ? <input type="hidden" name="version" value={s.values.version ?? String(view.record.version)} /> : null}
          {view ? null : <OwnerSelect ctx={ctx} options={options} value={s.values.unitId ?? defaultUnit(options)} label={t('staff.catalog.owner')} />}
          <div class="field marc-leader">
            <label for="f-leader">{t('staff.catalog.editor.leader')}</label>
            <input type="text" id="f-leader" name="leader" value={s.leader} maxLength={40} spellcheck={false} autoComplete="off" aria-describedby="f-leader-help" />
            <span class="help" id="f-leader-help">
              {t('staff.catalog.editor.leaderHelp')}
            </span>
            <ProblemList ctx={ctx} problems={general} />
          </div>
          <div
            class="marc-rows"
            role="group"
            aria-label={t('staff.catalog.editor.fields')}
            data-tag={t('staff.catalog.editor.tagOf', { n: '{n}' })}
            data-ind1={t('staff.catalog.editor.ind1Of', { n: '{n}' })}
            data-ind2={t('staff.catalog.editor.ind2Of', { n: '{n}' })}
            data-value={t('staff.catalog.editor.valueOf', { n: '{n}', name: t('staff.catalog.editor.value') })}
            data-add={t('staff.catalog.editor.addRow')}
            data-remove={t('staff.catalog.editor.removeRow')}
          >
            <div class="marc-head" aria-hidden="true">
              <span>{t('staff.catalog.editor.tag')}</span>
              <span>{t('staff.catalog.editor.ind1')}</span>
              <span>{t('staff.catalog.editor.ind2')}</span>
              <span>{t('staff.catalog.editor.value')}</span>
            </div>
            {rows.map((r, i) => {
              const problems = byRow.get(i) ?? [];
              const name = r.tag.trim() ? tagName(ctx, r.tag.trim()) : undefined;
              const n = i + 1;
              const cls = `marc-row${problems.some((p) => p.severity === 'error') ? ' has-error' : problems.length ? ' has-warning' : ''}`;
              // Browsers without `field-sizing: content` get a height guessed from the length.
              const long = Math.min(8, Math.max(1, Math.ceil(r.value.length / 40)));
              return (
                <div class={cls} id={`row-${i}`}>
                  <input class="marc-tag-input" type="text" name={`f${i}.tag`} value={r.tag} maxLength={3} size={3} aria-label={t('staff.catalog.editor.tagOf', { n })} spellcheck={false} autoComplete="off" inputMode="numeric" />
                  <input class="marc-ind" type="text" name={`f${i}.ind1`} value={r.ind1} maxLength={2} size={1} aria-label={t('staff.catalog.editor.ind1Of', { n })} spellcheck={false} autoComplete="off" />
                  <input class="marc-ind" type="text" name={`f${i}.ind2`} value={r.ind2} maxLength={2} size={1} aria-label={t('staff.catalog.editor.ind2Of', { n })} spellcheck={false} autoComplete="off" />
                  <span class="marc-name">{name ?? ''}</span>
                  <textarea
                    class="marc-value"
                    name={`f${i}.value`}
                    rows={long}
                    aria-label={t('staff.catalog.editor.valueOf', { n, name: name ?? r.tag })}
                    placeholder={PLACEHOLDERS[r.tag.trim()]}
                    spellcheck={false}
                  >
                    {r.value}
                  </textarea>
                  <ProblemList ctx={ctx} problems={problems} showTag={false} />
                </div>
              );
            })}
          </div>
          <p class="actions marc-add">
            <button type="submit" name="action" value="more" class="secondary" formNoValidate>
              {t('staff.catalog.editor.moreRows')}
            </button>
          </p>
          <DuplicateWarning ctx={ctx} candidates={s.duplicates} values={s.values} />
          <AckWarnings ctx={ctx} problems={s.problems} values={s.values} />
          <p class="actions sticky-actions">
            <button type="submit" name="action" value="check" class="secondary">
              {t('staff.catalog.editor.check')}
            </button>
            <button type="submit" name="action" value="save">
              {t('staff.catalog.save')}
            </button>
            <a href={view ? recordHref(view.record.id) : '/staff/catalogue'}>{t('staff.catalog.cancel')}</a>
          </p>
        </form>
        <script src={assetUrl('marc-editor.js')} defer />
      </Layout>
    );
  };

  const editorPost = async (req: FastifyRequest, reply: FastifyReply, view: { record: StoredRecord } | undefined) => {
    const v = formValues(req);
    const { leader, rows } = readEditorForm(v);
    const parsed = rowsToRecord(leader, rows);
    const state: EditorState = { leader, rows, problems: parsed.problems, checked: false, values: v };
    if (v.action === 'more') return sendPage(reply, await editorPage(req, view, { ...state, problems: [], extraRows: NEW_ROWS + 10 }));
    // Rules are not run over a half-read record: a 245 that could not be read is not "missing".
    if (parsed.problems.length > 0) return sendPage(reply, await editorPage(req, view, { ...state, checked: true }), 400);
    if (v.action === 'check') {
      return sendPage(reply, await editorPage(req, view, { ...state, problems: ruleProblems(catalog.check(parsed.record), parsed.rowOfField), checked: true }));
    }
    const unitId = v.unitId && /^\d{1,10}$/.test(v.unitId) ? Number(v.unitId) : 0;
    const result = await save(req, { marc: parsed.record, recordId: view?.record.id, version: versionOf(v), unitId, values: v, rowOfField: parsed.rowOfField });
    if (typeof result === 'number') return go(reply, `${recordHref(result)}?ok=staff.catalog.saved`);
    return sendPage(reply, await editorPage(req, view, { ...state, problems: result.problems, checked: true, duplicates: result.duplicates, error: result.error }), result.status);
  };

  app.get('/catalogue/records/new/marc', async (req, reply) => {
    requireUser(req);
    requireCreate(req);
    return sendPage(reply, await editorPage(req, undefined, { leader: DEFAULT_LEADER, rows: templateRows(org.today(), catalog.orgCode), problems: [], checked: false, values: {} }));
  });

  app.post('/catalogue/records/new/marc', async (req, reply) => {
    requireUser(req);
    requireCreate(req);
    return editorPost(req, reply, undefined);
  });

  app.get('/catalogue/records/:id/marc', async (req, reply) => {
    requireUser(req);
    const view = await loadEditable(req);
    return sendPage(reply, await editorPage(req, view, { leader: view.marc.leader, rows: view.marc.fields.map(fieldToRow), problems: [], checked: false, values: { version: String(view.record.version) } }));
  });

  app.post('/catalogue/records/:id/marc', async (req, reply) => {
    requireUser(req);
    const view = await loadEditable(req);
    return editorPost(req, reply, view);
  });

  // ---------------------------------------------------------------- the simple form

  interface SimpleState {
    values: Values;
    formProblems: SimpleFormProblem[];
    problems: ShownProblem[];
    duplicates?: readonly DuplicateCandidate[];
    error?: AppError;
  }

  const simplePage = async (req: FastifyRequest, view: { record: StoredRecord } | undefined, s: SimpleState) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const action = view ? `${recordHref(view.record.id)}/simple` : '/staff/catalogue/records/new/simple';
    const title = view ? t('staff.catalog.simple.editTitle', { record: view.record.id }) : t('staff.catalog.simple.newTitle');
    const options = view ? [] : unitOptions(ctx, await org.list(), 'catalog.record.create');
    const err = (field: keyof SimpleRecordInput) => {
      const ps = s.formProblems.filter((p) => p.field === field);
      return ps.length ? ps.map((p) => tk(t, `catalog.form.${p.code}`, p.params)).join(' ') : undefined;
    };
    const v = s.values;
    const field = (name: string, label: MessageKey, extra: Partial<Parameters<typeof TextField>[0]> = {}) => (
      <TextField name={name} label={t(label)} values={v} requiredText={t('common.required')} {...extra} />
    );
    return (
      <Layout ctx={ctx} title={title} staff>
        <Breadcrumbs ctx={ctx} items={view ? [[recordHref(view.record.id), recordLabel(view.record)]] : []} />
        <h1>{title}</h1>
        <p class="muted small">{view ? t('staff.catalog.simple.editHelp') : t('staff.catalog.simple.help')}</p>
        <FormError ctx={ctx} error={s.error instanceof RecordRejected || s.error instanceof DuplicateFound ? undefined : s.error} />
        {s.formProblems.length ? (
          <p class="flash flash-error" role="alert">
            {t('staff.catalog.simple.problems', { count: s.formProblems.length })}
          </p>
        ) : (
          <ProblemSummary ctx={ctx} problems={s.problems} checked={false} />
        )}
        {s.problems.length ? (
          <div class="card">
            <ProblemList ctx={ctx} problems={s.problems} />
          </div>
        ) : null}
        <form method="post" action={action} class="stack simple-form" novalidate>
          <Csrf ctx={ctx} />
          {view ? <input type="hidden" name="version" value={v.version ?? String(view.record.version)} /> : null}
          {view ? null : <OwnerSelect ctx={ctx} options={options} value={v.unitId ?? defaultUnit(options)} label={t('staff.catalog.owner')} />}
          <fieldset class="group">
            <legend>{t('staff.catalog.simple.titleGroup')}</legend>
            {field('title', 'staff.catalog.f.title', { required: true, error: err('title'), maxLength: 2000 })}
            {field('subtitle', 'staff.catalog.f.subtitle', { maxLength: 2000 })}
            {field('responsibility', 'staff.catalog.f.responsibility', { help: t('staff.catalog.simple.responsibilityHelp'), maxLength: 2000 })}
            {field('authors', 'staff.catalog.f.authors', { rows: 3, help: t('staff.catalog.simple.authorsHelp') })}
          </fieldset>
          <fieldset class="group">
            <legend>{t('staff.catalog.simple.publicationGroup')}</legend>
            <div class="row-2">
              {field('publisher', 'staff.catalog.f.publisher', { maxLength: 500 })}
              {field('place', 'staff.catalog.f.place', { maxLength: 500 })}
            </div>
            <div class="row-2">
              {field('year', 'staff.catalog.f.year', { error: err('year'), inputMode: 'numeric', maxLength: 4 })}
              {field('edition', 'staff.catalog.f.edition', { maxLength: 500 })}
            </div>
            <div class="row-2">
              {field('pages', 'staff.catalog.f.pages', { help: t('staff.catalog.simple.pagesHelp'), maxLength: 200 })}
              {field('series', 'staff.catalog.f.series', { help: t('staff.catalog.simple.seriesHelp'), maxLength: 500 })}
            </div>
            {field('isbn', 'staff.catalog.f.isbn', { rows: 2, error: err('isbn'), help: t('staff.catalog.simple.isbnHelp') })}
          </fieldset>
          <fieldset class="group">
            <legend>{t('staff.catalog.simple.subjectGroup')}</legend>
            {field('subjects', 'staff.catalog.f.subjects', { rows: 3, help: t('staff.catalog.simple.subjectsHelp') })}
            <div class="row-2">
              <div class="field">
                <label for="f-classScheme">{t('staff.catalog.f.classScheme')}</label>
                <select id="f-classScheme" name="classScheme">
                  {CLASSIFICATION_SCHEMES.map((c) => (
                    <option value={c} selected={c === (v.classScheme ?? 'ddc')}>
                      {t(`staff.catalog.scheme.${c}`)}
                    </option>
                  ))}
                </select>
              </div>
              {field('classNumber', 'staff.catalog.f.classNumber', { error: err('classification'), maxLength: 100 })}
            </div>
            <div class="row-2">
              {field('language', 'staff.catalog.f.language', { error: err('language'), help: t('staff.catalog.simple.languageHelp'), maxLength: 100 })}
              <div class="field">
                <label for="f-materialType">{t('staff.catalog.f.material')}</label>
                <select id="f-materialType" name="materialType" aria-invalid={err('materialType') ? 'true' : undefined}>
                  {SIMPLE_MATERIAL_TYPES.map((m) => (
                    <option value={m} selected={m === (v.materialType ?? 'book')}>
                      {t(`staff.catalog.material.${m}`)}
                    </option>
                  ))}
                </select>
              </div>
            </div>
            {field('summary', 'staff.catalog.f.summary', { rows: 4 })}
            {field('notes', 'staff.catalog.f.notes', { rows: 3, help: t('staff.catalog.simple.notesHelp') })}
          </fieldset>
          <DuplicateWarning ctx={ctx} candidates={s.duplicates} values={v} />
          <AckWarnings ctx={ctx} problems={s.problems} values={v} />
          <p class="actions">
            <button type="submit">{t('staff.catalog.save')}</button>
            <a href={view ? recordHref(view.record.id) : '/staff/catalogue'}>{t('staff.catalog.cancel')}</a>
          </p>
        </form>
      </Layout>
    );
  };

  const simplePost = async (req: FastifyRequest, reply: FastifyReply, view: { record: StoredRecord; marc: MarcRecord } | undefined) => {
    const v = formValues(req);
    const input = simpleInputFrom(v);
    const formProblems = validateSimpleRecord(input);
    if (formProblems.length) return sendPage(reply, await simplePage(req, view, { values: v, formProblems, problems: [] }), 400);
    const built = buildMarcFromSimple(input, { today: org.today(), orgCode: catalog.orgCode }) as MarcRecord;
    const marc = view ? mergeSimpleIntoMarc(view.marc, built) : built;
    const unitId = v.unitId && /^\d{1,10}$/.test(v.unitId) ? Number(v.unitId) : 0;
    const result = await save(req, { marc, recordId: view?.record.id, version: versionOf(v), unitId, values: v });
    if (typeof result === 'number') return go(reply, `${recordHref(result)}?ok=staff.catalog.saved`);
    return sendPage(reply, await simplePage(req, view, { values: v, formProblems: [], problems: result.problems, duplicates: result.duplicates, error: result.error }), result.status);
  };

  app.get('/catalogue/records/new/simple', async (req, reply) => {
    requireUser(req);
    requireCreate(req);
    return sendPage(reply, await simplePage(req, undefined, { values: { language: 'vie', materialType: 'book', classScheme: 'ddc' }, formProblems: [], problems: [] }));
  });

  app.post('/catalogue/records/new/simple', async (req, reply) => {
    requireUser(req);
    requireCreate(req);
    return simplePost(req, reply, undefined);
  });

  app.get('/catalogue/records/:id/simple', async (req, reply) => {
    requireUser(req);
    const view = await loadEditable(req);
    return sendPage(reply, await simplePage(req, view, { values: { ...simpleValuesOf(simpleFromMarc(view.marc)), version: String(view.record.version) }, formProblems: [], problems: [] }));
  });

  app.post('/catalogue/records/:id/simple', async (req, reply) => {
    requireUser(req);
    const view = await loadEditable(req);
    return simplePost(req, reply, view);
  });

  // ---------------------------------------------------------------- delete

  const deletePage = (req: FastifyRequest, view: { record: StoredRecord; items: StoredItem[] }, error?: AppError) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const { record } = view;
    const live = view.items.filter((i) => i.status !== 'withdrawn').length;
    return (
      <Layout ctx={ctx} title={t('staff.catalog.deleteTitle')} staff>
        <Breadcrumbs ctx={ctx} items={[[recordHref(record.id), recordLabel(record)]]} />
        <h1>{t('staff.catalog.deleteTitle')}</h1>
        <FormError ctx={ctx} error={error} />
        <div class="card">
          <p>
            <strong>{recordLabel(record)}</strong>
          </p>
          <p>{t('staff.catalog.deleteHelp')}</p>
          {live > 0 ? <p class="flash flash-warning">{t('staff.catalog.deleteHasItems', { count: live })}</p> : null}
          <form method="post" action={`${recordHref(record.id)}/delete`} class="actions">
            <Csrf ctx={ctx} />
            <input type="hidden" name="version" value={String(record.version)} />
            <button type="submit" class="danger">
              {t('staff.catalog.deleteConfirm')}
            </button>
            <a href={recordHref(record.id)}>{t('staff.catalog.cancel')}</a>
          </form>
        </div>
      </Layout>
    );
  };

  app.get('/catalogue/records/:id/delete', async (req, reply) => {
    requireUser(req);
    return sendPage(reply, deletePage(req, await loadEditable(req)));
  });

  app.post('/catalogue/records/:id/delete', async (req, reply) => {
    requireUser(req);
    const id = param(req, 'id');
    const v = formValues(req);
    try {
      await catalog.delete(req.ctx.actor, id, { version: versionOf(v) });
    } catch (e) {
      const err = asFormError(e);
      if (err.code === 'CATALOG_RECORD_NOT_FOUND' || err.code === 'CATALOG_RECORD_DELETED') throw err;
      return sendPage(reply, deletePage(req, await catalog.get(id), err), err.status);
    }
    return go(reply, `/staff/catalogue?ok=staff.catalog.deleted`);
  });

  // ---------------------------------------------------------------- history

  app.get('/catalogue/records/:id/history', async (req, reply) => {
    requireUser(req);
    const view = await catalog.get(param(req, 'id'), { allowDeleted: true });
    const entries: HistoryEntry[] = await catalog.history(view.record.id);
    const ctx = pageCtx(req);
    const { t } = ctx;
    const title = t('staff.catalog.historyTitle', { record: view.record.id });
    const summary = (e: HistoryEntry): string => {
      const d = e.detail ?? {};
      const parts: string[] = [];
      if (typeof d.title === 'string') parts.push(d.title);
      if (typeof d.barcode === 'string') parts.push(t('staff.catalog.item.barcodeIs', { barcode: d.barcode }));
      if (typeof d.status === 'string') parts.push(tk(t, `catalog.item.status.${d.status}`));
      if (typeof d.reason === 'string' && d.reason) parts.push(t('staff.catalog.item.reasonIs', { reason: d.reason }));
      if (typeof d.job === 'number') parts.push(t('staff.catalog.importJob', { job: d.job }));
      return parts.join(' · ');
    };
    const marcOf = (e: HistoryEntry): MarcRecord | undefined => {
      const m = (e.detail as { marc?: unknown } | null)?.marc as MarcRecord | undefined;
      return m && typeof m.leader === 'string' && Array.isArray(m.fields) ? m : undefined;
    };
    return sendPage(
      reply,
      <Layout ctx={ctx} title={title} staff>
        <Breadcrumbs ctx={ctx} items={[[recordHref(view.record.id), recordLabel(view.record)]]} />
        <h1>{title}</h1>
        {entries.length === 0 ? (
          <p class="muted">{t('staff.catalog.historyEmpty')}</p>
        ) : (
          <div class="table-wrap">
            <table class="list stack history-table">
              <thead>
                <tr>
                  <th>{t('audit.at')}</th>
                  <th>{t('audit.actor')}</th>
                  <th>{t('audit.action')}</th>
                  <th>{t('audit.changes')}</th>
                </tr>
              </thead>
              <tbody>
                {entries.map((e) => {
                  const marc = marcOf(e);
                  return (
                    <tr>
                      <td data-label={t('audit.at')} class="nowrap">
                        {formatTime(ctx, e.at)}
                      </td>
                      <td data-label={t('audit.actor')}>{e.who}</td>
                      <td data-label={t('audit.action')}>
                        {tk(t, `staff.catalog.action.${e.action}`)}
                        <br />
                        <code class="small muted">{e.action}</code>
                      </td>
                      <td data-label={t('audit.changes')}>
                        {summary(e)}
                        {marc ? (
                          <details class="changes">
                            <summary>{t('staff.catalog.marcView')}</summary>
                            <MarcView marc={marc} />
                          </details>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </Layout>,
    );
  });

  // ---------------------------------------------------------------- items

  const CIRCULATION: readonly ItemStatus[] = ['on-loan', 'in-transit', 'on-hold-shelf'];

  interface ItemState {
    values: Values;
    error?: AppError;
  }

  /** Problems of the item use cases, by form field, as ready texts. */
  const itemErrors = (t: T, e: AppError | undefined): Map<string, string> => {
    const out = new Map<string, string>();
    if (!e) return out;
    for (const d of e.details ?? []) {
      const rule = d.params?.rule;
      const text = typeof rule === 'string' && hasMessage(rule) ? t(rule, d.params) : errorText(t, d.code, d.params);
      out.set(d.field, [out.get(d.field), text].filter(Boolean).join(' '));
    }
    if (e.code === 'CATALOG_BARCODE_TAKEN') out.set('barcode', errorText(t, e.code, e.params));
    if (e.code === 'ORG_UNIT_NOT_FOUND') out.set('locationUnitCode', errorText(t, e.code, e.params));
    return out;
  };

  const itemPage = async (req: FastifyRequest, view: { record: StoredRecord }, item: StoredItem | undefined, s: ItemState) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const units = await org.list();
    const options = unitOptions(ctx, units, 'catalog.item.manage', { holdsItems: true });
    // An item of a unit since closed keeps its owner unless the user picks another one.
    const owner = item ? units.find((u) => u.id === item.ownerUnitId) : undefined;
    if (owner && !options.some((o) => o.unit.id === owner.id)) options.unshift({ unit: owner, label: `${unitName(ctx, owner)} (${owner.code})` });
    const holders = units.filter((u) => u.status === 'active' && UNIT_TYPES[u.typeCode].holdsItems).sort((a, b) => compareVi(unitName(ctx, a), unitName(ctx, b)));
    const errs = itemErrors(t, s.error);
    const v = s.values;
    const current = (v.status ?? item?.status ?? 'available') as ItemStatus;
    const statuses = ITEM_STATUSES.filter((st) => st === current || (!CIRCULATION.includes(st) && (st !== 'withdrawn' || item?.status === 'withdrawn')));
    const title = item ? t('staff.catalog.item.editTitle', { barcode: item.barcode }) : t('staff.catalog.item.newTitle');
    const action = item ? `/staff/catalogue/items/${item.id}/edit` : `${recordHref(view.record.id)}/items/new`;
    const f = (name: string, label: MessageKey, extra: Partial<Parameters<typeof TextField>[0]> = {}) => (
      <TextField name={name} label={t(label)} values={v} error={errs.get(name)} requiredText={t('common.required')} {...extra} />
    );
    const shown = ['barcode', 'ownerUnitCode', 'locationUnitCode', 'shelvingLocation', 'callNumber', 'callScheme', 'itemType', 'status', 'price', 'currency', 'acquiredOn', 'copyNumber', 'publicNote', 'staffNote'];
    return (
      <Layout ctx={ctx} title={title} staff>
        <Breadcrumbs ctx={ctx} items={[[recordHref(view.record.id), recordLabel(view.record)]]} />
        <h1>{title}</h1>
        <p class="muted">{recordLabel(view.record)}</p>
        <FormError ctx={ctx} error={s.error} shownFields={shown} />
        <form method="post" action={action} class="stack item-form" novalidate>
          <Csrf ctx={ctx} />
          {item ? <input type="hidden" name="version" value={v.version ?? String(item.version)} /> : null}
          {f('barcode', 'staff.catalog.item.barcode', { required: true, maxLength: 40, autocomplete: 'off', help: t('staff.catalog.item.barcodeHelp') })}
          <OwnerSelect ctx={ctx} options={options} value={v.ownerUnitCode} name="ownerUnitCode" byCode label={t('staff.catalog.item.owner')} error={errs.get('ownerUnitCode')} />
          <div class="field">
            <label for="f-locationUnitCode">{t('staff.catalog.item.locationUnit')}</label>
            <select id="f-locationUnitCode" name="locationUnitCode" aria-invalid={errs.get('locationUnitCode') ? 'true' : undefined}>
              <option value="">{t('staff.catalog.item.sameAsOwner')}</option>
              {holders.map((u) => (
                <option value={u.code} selected={u.code === v.locationUnitCode}>{`${unitName(ctx, u)} (${u.code})`}</option>
              ))}
            </select>
            {errs.get('locationUnitCode') ? <span class="field-error">{errs.get('locationUnitCode')}</span> : null}
          </div>
          <div class="row-2">
            {f('shelvingLocation', 'staff.catalog.item.shelvingLocation', { maxLength: 200 })}
            {f('copyNumber', 'staff.catalog.item.copyNumber', { maxLength: 50 })}
          </div>
          <div class="row-2">
            {f('callNumber', 'staff.catalog.item.callNumber', { maxLength: 100, help: t('staff.catalog.item.callNumberHelp') })}
            <div class="field">
              <label for="f-callScheme">{t('staff.catalog.item.callScheme')}</label>
              <select id="f-callScheme" name="callScheme" aria-invalid={errs.get('callScheme') ? 'true' : undefined}>
                <option value="">{t('staff.catalog.item.schemeGuess')}</option>
                {(['ddc', 'udc', 'bbk', 'other'] as const).map((c) => (
                  <option value={c} selected={c === v.callScheme}>
                    {t(`staff.catalog.scheme.${c}`)}
                  </option>
                ))}
              </select>
              {errs.get('callScheme') ? <span class="field-error">{errs.get('callScheme')}</span> : null}
            </div>
          </div>
          <div class="row-2">
            <div class="field">
              <label for="f-status">{t('staff.catalog.item.status')}</label>
              <select id="f-status" name="status" aria-invalid={errs.get('status') ? 'true' : undefined}>
                {statuses.map((st) => (
                  <option value={st} selected={st === current}>
                    {t(`catalog.item.status.${st}`)}
                  </option>
                ))}
              </select>
              {errs.get('status') ? <span class="field-error">{errs.get('status')}</span> : null}
            </div>
            {f('itemType', 'staff.catalog.item.itemType', { list: 'item-types', maxLength: 32, help: t('staff.catalog.item.itemTypeHelp') })}
          </div>
          <datalist id="item-types">
            {COMMON_ITEM_TYPES.map((c) => (
              <option value={c}>{t(`staff.catalog.itemType.${c}`)}</option>
            ))}
          </datalist>
          <div class="row-2">
            {f('price', 'staff.catalog.item.price', { maxLength: 40, help: t('staff.catalog.item.priceHelp') })}
            {f('acquiredOn', 'staff.catalog.item.acquiredOn', { type: 'date' })}
          </div>
          {f('publicNote', 'staff.catalog.item.publicNote', { maxLength: 1000 })}
          {f('staffNote', 'staff.catalog.item.staffNote', { maxLength: 1000 })}
          <p class="actions">
            <button type="submit">{t('staff.catalog.save')}</button>
            <a href={recordHref(view.record.id)}>{t('staff.catalog.cancel')}</a>
          </p>
        </form>
      </Layout>
    );
  };

  const ITEM_FIELDS = ['barcode', 'ownerUnitCode', 'locationUnitCode', 'shelvingLocation', 'callNumber', 'itemType', 'price', 'currency', 'acquiredOn', 'copyNumber', 'publicNote', 'staffNote'] as const;

  const itemInputFrom = (v: Values): ItemInput => {
    const input: ItemInput = { barcode: (v.barcode ?? '').slice(0, 100) };
    for (const k of ITEM_FIELDS) {
      const val = v[k]?.trim();
      if (k !== 'barcode' && val) input[k] = val.slice(0, 2000);
    }
    if (v.callScheme) input.callScheme = v.callScheme as ShelfScheme;
    if (v.status) input.status = v.status as ItemStatus;
    return input;
  };

  const itemValuesOf = (i: StoredItem): Values => ({
    barcode: i.barcode,
    ownerUnitCode: i.ownerUnitCode,
    locationUnitCode: i.locationUnitId === i.ownerUnitId ? '' : i.locationUnitCode,
    shelvingLocation: i.shelvingLocation ?? '',
    callNumber: i.callNumber ?? '',
    callScheme: i.callScheme ?? '',
    itemType: i.itemType ?? '',
    status: i.status,
    price: i.price === null ? '' : `${i.price}${i.currency && i.currency !== 'VND' ? ` ${i.currency}` : ''}`,
    acquiredOn: i.acquiredOn ?? '',
    copyNumber: i.copyNumber ?? '',
    publicNote: i.publicNote ?? '',
    staffNote: i.staffNote ?? '',
    version: String(i.version),
  });

  const manageableItem = async (req: FastifyRequest) => {
    const item = await catalog.getItem(param(req, 'itemId'));
    const place = (await org.list()).find((u) => u.id === item.ownerUnitId);
    if (!place || !allows(req.ctx.actor.grants, 'catalog.item.manage', place)) throw denied('catalog.item.manage', item.ownerUnitId);
    const view = await catalog.get(item.recordId, { allowDeleted: true });
    return { item, view };
  };

  app.get('/catalogue/records/:id/items/new', async (req, reply) => {
    requireUser(req);
    const view = await catalog.get(param(req, 'id'));
    const ctx = pageCtx(req);
    const options = unitOptions(ctx, await org.list(), 'catalog.item.manage', { holdsItems: true });
    if (options.length === 0) throw denied('catalog.item.manage');
    return sendPage(reply, await itemPage(req, view, undefined, { values: { ownerUnitCode: options[0]!.unit.code, status: 'available', callNumber: view.record.callNumber ?? '' } }));
  });

  app.post('/catalogue/records/:id/items/new', async (req, reply) => {
    requireUser(req);
    const id = param(req, 'id');
    const v = formValues(req);
    try {
      const item = await catalog.addItem(req.ctx.actor, id, itemInputFrom(v));
      return go(reply, `${recordHref(id)}?ok=staff.catalog.item.added#item-${item.id}`);
    } catch (e) {
      const err = asFormError(e);
      if (err.code === 'CATALOG_RECORD_NOT_FOUND' || err.code === 'CATALOG_RECORD_DELETED') throw err;
      return sendPage(reply, await itemPage(req, await catalog.get(id), undefined, { values: v, error: err }), err.status);
    }
  });

  app.get('/catalogue/items/:itemId/edit', async (req, reply) => {
    requireUser(req);
    const { item, view } = await manageableItem(req);
    return sendPage(reply, await itemPage(req, view, item, { values: itemValuesOf(item) }));
  });

  app.post('/catalogue/items/:itemId/edit', async (req, reply) => {
    requireUser(req);
    const itemId = param(req, 'itemId');
    const v = formValues(req);
    try {
      const item = await catalog.updateItem(req.ctx.actor, itemId, { ...itemInputFrom(v), version: versionOf(v) });
      return go(reply, `${recordHref(item.recordId)}?ok=staff.catalog.item.saved#item-${item.id}`);
    } catch (e) {
      const err = asFormError(e);
      if (err.code === 'CATALOG_ITEM_NOT_FOUND') throw err;
      const item = await catalog.getItem(itemId);
      return sendPage(reply, await itemPage(req, await catalog.get(item.recordId, { allowDeleted: true }), item, { values: v, error: err }), err.status);
    }
  });

  const withdrawPage = (req: FastifyRequest, item: StoredItem, record: StoredRecord, values: Values = {}, error?: AppError) => {
    const ctx = pageCtx(req);
    const { t } = ctx;
    const title = t('staff.catalog.item.withdrawTitle', { barcode: item.barcode });
    return (
      <Layout ctx={ctx} title={title} staff>
        <Breadcrumbs ctx={ctx} items={[[recordHref(record.id), recordLabel(record)]]} />
        <h1>{title}</h1>
        <FormError ctx={ctx} error={error} />
        <div class="card">
          <p>{t('staff.catalog.item.withdrawHelp')}</p>
          {item.status === 'withdrawn' ? (
            <p class="flash flash-ok">{t('staff.catalog.item.alreadyWithdrawn')}</p>
          ) : (
            <form method="post" action={`/staff/catalogue/items/${item.id}/withdraw`} class="stack">
              <Csrf ctx={ctx} />
              <TextField name="reason" label={t('staff.catalog.item.reason')} values={values} maxLength={500} help={t('staff.catalog.item.reasonHelp')} />
              <p class="actions">
                <button type="submit" class="danger">
                  {t('staff.catalog.item.withdrawConfirm')}
                </button>
                <a href={recordHref(record.id)}>{t('staff.catalog.cancel')}</a>
              </p>
            </form>
          )}
        </div>
      </Layout>
    );
  };

  app.get('/catalogue/items/:itemId/withdraw', async (req, reply) => {
    requireUser(req);
    const { item, view } = await manageableItem(req);
    return sendPage(reply, withdrawPage(req, item, view.record));
  });

  app.post('/catalogue/items/:itemId/withdraw', async (req, reply) => {
    requireUser(req);
    const itemId = param(req, 'itemId');
    const v = formValues(req);
    const reason = (v.reason ?? '').trim().slice(0, 500);
    const item = await catalog.withdrawItem(req.ctx.actor, itemId, reason ? { reason } : {});
    return go(reply, `${recordHref(item.recordId)}?ok=staff.catalog.item.withdrawn#item-${item.id}`);
  });
}
