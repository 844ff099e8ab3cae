/**
 * News and events on a library's website, and the website's own settings: the rules for what staff
 * type into the forms. Pure: checks and normalises input (NFC, trimmed) and reports every problem
 * at once, so a form can show them all.
 *
 * Times are entered as the library's wall-clock time. Every library of the network is in Việt
 * Nam, which keeps UTC+07:00 all year (no daylight saving), so a local time converts to an
 * instant by subtracting seven hours.
 */
import type { FieldProblem } from '../errors.js';
import { cleanLine } from '../../text/fold.js';
import { checkAccent, shownRatio, AA_NORMAL_TEXT } from './colour.js';
import { MAX_BODY_LENGTH, normaliseBody, parseBody } from './post-body.js';

export const POST_KINDS = ['news', 'event'] as const;
export type PostKind = (typeof POST_KINDS)[number];
export const POST_STATES = ['draft', 'published'] as const;
export type PostState = (typeof POST_STATES)[number];

export function isPostKind(s: unknown): s is PostKind {
  return typeof s === 'string' && (POST_KINDS as readonly string[]).includes(s);
}

export function isPostState(s: unknown): s is PostState {
  return typeof s === 'string' && (POST_STATES as readonly string[]).includes(s);
}

export const MAX_TITLE = 200;
export const MAX_PLACE = 300;
export const MAX_INTRO = 4000;
/** The network's time zone offset, in minutes east of UTC. */
export const NETWORK_UTC_OFFSET_MINUTES = 7 * 60;

const LOCAL_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})$/;

/** `2026-04-10T08:30` (local wall-clock time, as `<input type="datetime-local">` sends it) → an ISO instant; undefined when it is not a real time. */
export function localToInstant(local: string): string | undefined {
  const m = LOCAL_DATETIME.exec(local.trim());
  if (!m) return undefined;
  const [y, mo, d, h, mi] = m.slice(1).map(Number) as [number, number, number, number, number];
  if (y < 1900 || y > 2999 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59) return undefined;
  const utc = Date.UTC(y, mo - 1, d, h, mi);
  // Date.UTC rolls 31 April over into May: a day past the month's end is refused, not moved.
  if (new Date(utc).getUTCDate() !== d) return undefined;
  return new Date(utc - NETWORK_UTC_OFFSET_MINUTES * 60_000).toISOString();
}

/** An ISO instant → `2026-04-10T08:30` in the network's wall-clock time (for the form's field). */
export function instantToLocal(iso: string): string {
  return new Date(Date.parse(iso) + NETWORK_UTC_OFFSET_MINUTES * 60_000).toISOString().slice(0, 16);
}

export interface PostInput {
  kind: PostKind;
  title: string;
  body: string;
  leadImageId: number | null;
  startsAt: string | null;
  endsAt: string | null;
  place: string | null;
}

/** Checks what a post's form sent. Image ids are checked against the library's images by the use case. */
export function checkPost(raw: Record<string, unknown>): { value?: PostInput; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const kind = isPostKind(raw.kind) ? raw.kind : undefined;
  if (!kind) problems.push({ field: 'kind', code: 'VALIDATION' });
  const title = cleanLine(String(raw.title ?? ''));
  if (title === '') problems.push({ field: 'title', code: 'SITE_POST_TITLE_REQUIRED' });
  else if (title.length > MAX_TITLE) problems.push({ field: 'title', code: 'SITE_TEXT_TOO_LONG', params: { max: MAX_TITLE } });
  const body = normaliseBody(String(raw.body ?? '')).trim();
  if (body.length > MAX_BODY_LENGTH) problems.push({ field: 'body', code: 'SITE_TEXT_TOO_LONG', params: { max: MAX_BODY_LENGTH } });
  else
    for (const p of parseBody(body).problems)
      problems.push({ field: 'body', code: p.code === 'link' ? 'SITE_BODY_LINK' : 'SITE_BODY_IMAGE', params: { line: p.line, text: p.text } });
  const leadRaw = String(raw.leadImageId ?? '').trim();
  let leadImageId: number | null = null;
  if (leadRaw !== '') {
    if (/^\d{1,9}$/.test(leadRaw)) leadImageId = Number(leadRaw);
    else problems.push({ field: 'leadImageId', code: 'VALIDATION' });
  }
  const place = cleanLine(String(raw.place ?? ''));
  if (place.length > MAX_PLACE) problems.push({ field: 'place', code: 'SITE_TEXT_TOO_LONG', params: { max: MAX_PLACE } });
  let startsAt: string | null = null;
  let endsAt: string | null = null;
  if (kind === 'event') {
    const startRaw = String(raw.startsAt ?? '').trim();
    const endRaw = String(raw.endsAt ?? '').trim();
    if (startRaw === '') problems.push({ field: 'startsAt', code: 'SITE_EVENT_START_REQUIRED' });
    else {
      startsAt = localToInstant(startRaw) ?? null;
      if (!startsAt) problems.push({ field: 'startsAt', code: 'SITE_TIME_INVALID', params: { value: startRaw.slice(0, 40) } });
    }
    if (endRaw !== '') {
      endsAt = localToInstant(endRaw) ?? null;
      if (!endsAt) problems.push({ field: 'endsAt', code: 'SITE_TIME_INVALID', params: { value: endRaw.slice(0, 40) } });
      else if (startsAt && endsAt < startsAt) problems.push({ field: 'endsAt', code: 'SITE_EVENT_ENDS_BEFORE_START' });
    }
  }
  if (problems.length > 0 || !kind) return { problems };
  // An event's place and times belong to events only; a news item keeps none.
  return { value: { kind, title, body, leadImageId, startsAt, endsAt, place: kind === 'event' && place !== '' ? place : null }, problems };
}

export interface SiteSettingsInput {
  /** null: the network's default (or the colour inherited from the tree's settings). */
  accentColor: string | null;
  introVi: string | null;
  introEn: string | null;
}

/** Checks the branding form's text fields: the accent colour (a hex colour white text reads on, at AA) and the introductions. */
export function checkSiteSettings(raw: { accentColor?: unknown; introVi?: unknown; introEn?: unknown }): { value?: SiteSettingsInput; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  let accentColor: string | null = null;
  const colourRaw = String(raw.accentColor ?? '').trim();
  if (colourRaw !== '') {
    const check = checkAccent(colourRaw);
    if (check.ok) accentColor = check.colour;
    else if (check.reason === 'format') problems.push({ field: 'accentColor', code: 'SITE_COLOUR_INVALID', params: { value: colourRaw.slice(0, 20) } });
    else problems.push({ field: 'accentColor', code: 'SITE_COLOUR_CONTRAST', params: { colour: check.colour, ratio: shownRatio(check.ratio), needed: AA_NORMAL_TEXT, suggestion: check.suggestion } });
  }
  const intro = (field: 'introVi' | 'introEn') => {
    const text = normaliseBody(String(raw[field] ?? '')).trim();
    if (text.length > MAX_INTRO) problems.push({ field, code: 'SITE_TEXT_TOO_LONG', params: { max: MAX_INTRO } });
    for (const p of parseBody(text).problems) problems.push({ field, code: p.code === 'link' ? 'SITE_BODY_LINK' : 'SITE_BODY_IMAGE', params: { line: p.line, text: p.text } });
    return text === '' ? null : text;
  };
  const introVi = intro('introVi');
  const introEn = intro('introEn');
  if (problems.length > 0) return { problems };
  return { value: { accentColor, introVi, introEn }, problems };
}
