/**
 * Readers (the public's accounts): what a registration and a profile may hold, and how each field
 * is cleaned. Pure: every problem is reported at once, so the form can mark them all.
 *
 * Names are stored NFC with white space tidied and control characters removed, and searched by
 * their folded form (no tone marks, đ → d, lower case). Email addresses are stored lower-cased:
 * one address, one account. Phone numbers are kept in the Vietnamese national form (`0912345678`,
 * `02973862311`) whether typed with `+84`, spaces, dots or hyphens.
 */
import { AppError, type FieldProblem } from '../errors.js';
import { cleanLine, fold } from '../../text/fold.js';

export const READER_STATUSES = ['pending', 'active', 'suspended', 'closed'] as const;
export type ReaderStatus = (typeof READER_STATUSES)[number];

export function isReaderStatus(s: unknown): s is ReaderStatus {
  return typeof s === 'string' && (READER_STATUSES as readonly string[]).includes(s);
}

export const MAX_NAME = 100;
export const MAX_EMAIL = 254;
export const MAX_REASON = 500;
export const MAX_LIST_NAME = 100;
export const MAX_NOTE = 500;
/** Saved lists one reader may keep, and records in one list. */
export const MAX_LISTS = 50;
export const MAX_LIST_ITEMS = 1000;
/** Searches kept in a reader's history; older ones are forgotten. */
export const HISTORY_KEEP = 100;

/** The folded form of a name, for search: `Nguyễn Thị Đào` → `nguyen thi dao`. */
export function nameKey(name: string): string {
  return fold(name).toLowerCase();
}

/** A person's name: 2–100 characters with at least one letter. */
export function cleanName(raw: unknown, problems: FieldProblem[], field = 'name'): string {
  const s = cleanLine(String(raw ?? ''));
  if (s.length > MAX_NAME) problems.push({ field, code: 'READER_NAME_INVALID', params: { max: MAX_NAME } });
  else if (s.length < 2 || !/\p{L}/u.test(s)) problems.push({ field, code: 'READER_NAME_INVALID', params: { max: MAX_NAME } });
  return s;
}

// A practical subset of RFC 5321: a dot-atom local part and a domain of letters, digits and
// hyphens with at least one dot. Quoted local parts and IP literals are not accepted from the public.
const EMAIL_LOCAL = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const EMAIL_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** An email address, trimmed and lower-cased; a problem is added when it is not one. */
export function cleanEmail(raw: unknown, problems: FieldProblem[], field = 'email'): string {
  const s = String(raw ?? '').trim().toLowerCase();
  const at = s.lastIndexOf('@');
  const local = at > 0 ? s.slice(0, at) : '';
  const labels = at > 0 ? s.slice(at + 1).split('.') : [];
  const ok =
    s.length <= MAX_EMAIL &&
    local.length >= 1 &&
    local.length <= 64 &&
    EMAIL_LOCAL.test(local) &&
    labels.length >= 2 &&
    labels.every((l) => EMAIL_LABEL.test(l)) &&
    /[a-z]/.test(labels[labels.length - 1]!);
  if (!ok) problems.push({ field, code: 'READER_EMAIL_INVALID' });
  return s;
}

/**
 * A Vietnamese phone number in national form, or null when none was given. Mobile numbers have
 * ten digits starting 03, 05, 07, 08 or 09; fixed lines eleven starting 02 (area code and
 * subscriber, since the 2017 renumbering). `+84` / `84` stand for the leading 0.
 */
export function cleanPhone(raw: unknown, problems: FieldProblem[], field = 'phone'): string | null {
  const s = String(raw ?? '').trim();
  if (s === '') return null;
  if (s.length > 30 || !/^\+?[\d\s.()-]+$/.test(s)) {
    problems.push({ field, code: 'READER_PHONE_INVALID' });
    return null;
  }
  let digits = s.replace(/\D/g, '');
  if (s.startsWith('+')) {
    if (!digits.startsWith('84')) {
      problems.push({ field, code: 'READER_PHONE_INVALID' });
      return null;
    }
    digits = '0' + digits.slice(2);
  } else if (digits.startsWith('84') && (digits.length === 11 || digits.length === 12)) {
    digits = '0' + digits.slice(2);
  }
  if (/^0[35789]\d{8}$/.test(digits) || /^02\d{9}$/.test(digits)) return digits;
  problems.push({ field, code: 'READER_PHONE_INVALID' });
  return null;
}

/** A phone number grouped for reading: `0912 345 678`, `0297 3862 311`. */
export function formatPhone(phone: string): string {
  if (/^0[35789]\d{8}$/.test(phone)) return `${phone.slice(0, 4)} ${phone.slice(4, 7)} ${phone.slice(7)}`;
  if (/^02\d{9}$/.test(phone)) return `${phone.slice(0, 4)} ${phone.slice(4, 8)} ${phone.slice(8)}`;
  return phone;
}

/** A year of birth between 120 years ago and this year, or null when none was given. */
export function cleanBirthYear(raw: unknown, thisYear: number, problems: FieldProblem[], field = 'birthYear'): number | null {
  const s = String(raw ?? '').trim();
  if (s === '') return null;
  const n = /^\d{4}$/.test(s) ? Number(s) : NaN;
  if (!(n >= thisYear - 120 && n <= thisYear)) {
    problems.push({ field, code: 'READER_BIRTH_YEAR_INVALID', params: { min: thisYear - 120, max: thisYear } });
    return null;
  }
  return n;
}

/** A reason staff give when refusing or suspending: required, one paragraph. */
export function cleanReason(raw: unknown, problems: FieldProblem[], field = 'reason'): string {
  const s = cleanLine(String(raw ?? ''));
  if (s === '' || s.length > MAX_REASON) problems.push({ field, code: 'READER_REASON_REQUIRED', params: { max: MAX_REASON } });
  return s;
}

/** A saved list's name: 1–100 characters. */
export function cleanListName(raw: unknown, problems: FieldProblem[], field = 'name'): string {
  const s = cleanLine(String(raw ?? ''));
  if (s === '' || s.length > MAX_LIST_NAME) problems.push({ field, code: 'READER_LIST_NAME_INVALID', params: { max: MAX_LIST_NAME } });
  return s;
}

/** The key two list names of one reader must not share: the name in lower case (tone marks kept, since they change the word). */
export function listNameKey(name: string): string {
  return name.toLowerCase();
}

export interface ProfileInput {
  name: unknown;
  email: unknown;
  phone?: unknown;
  birthYear?: unknown;
}

export interface Profile {
  name: string;
  nameKey: string;
  email: string;
  phone: string | null;
  birthYear: number | null;
}

/** Cleans a registration's or a profile's personal fields; throws `VALIDATION` listing every bad one. */
export function validateProfile(input: ProfileInput, thisYear: number, extra: FieldProblem[] = []): Profile {
  const problems: FieldProblem[] = [...extra];
  const name = cleanName(input.name, problems);
  const email = cleanEmail(input.email, problems);
  const phone = cleanPhone(input.phone, problems);
  const birthYear = cleanBirthYear(input.birthYear, thisYear, problems);
  if (problems.length) throw new AppError('VALIDATION', {}, problems);
  return { name, nameKey: nameKey(name), email, phone, birthYear };
}

/**
 * The query string of a search as kept in the history: paging is left out (the same search on
 * page 3 is the same search), and it is cut to a sane length.
 */
export function historyParams(query: string): string {
  const params = new URLSearchParams(query.startsWith('?') ? query.slice(1) : query);
  params.delete('page');
  params.delete('ok');
  const s = params.toString();
  // Cutting the string could split an escape: keep just the words searched for instead.
  return s.length <= 2000 ? s : new URLSearchParams({ q: (params.get('q') ?? '').slice(0, 500) }).toString();
}
