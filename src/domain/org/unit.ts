/**
 * Org unit attributes and their rules. Pure: validates and normalises input (NFC, trimmed) and
 * reports every problem at once, so a form or a CSV row can show them all.
 */
import { AppError, type FieldProblem } from '../errors.js';
import { cleanLine, nfc } from '../../text/fold.js';
import { isUnitTypeCode, type UnitTypeCode } from './unit-types.js';
import type { UnitStatus } from './history.js';

export interface OrgUnit {
  id: number;
  code: string;
  slug: string;
  nameVi: string;
  nameEn: string;
  typeCode: UnitTypeCode;
  parentId: number | null;
  path: string;
  depth: number;
  status: UnitStatus;
  mergedIntoId: number | null;
  openedOn: string;
  endedOn: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  openingHours: string | null;
  latitude: number | null;
  longitude: number | null;
  descriptionVi: string | null;
  descriptionEn: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The attributes staff edit directly (structural changes go through events). */
export interface UnitDetails {
  slug: string;
  address: string | null;
  phone: string | null;
  email: string | null;
  website: string | null;
  openingHours: string | null;
  latitude: number | null;
  longitude: number | null;
  descriptionVi: string | null;
  descriptionEn: string | null;
}

export const CODE_PATTERN = /^[A-Z0-9][A-Z0-9._-]{0,31}$/;
export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const MAX_NAME = 200;
const MAX_TEXT = 4000;

export function normaliseCode(raw: string): string {
  return raw.trim().toUpperCase();
}

function optional(raw: unknown, max: number, field: string, problems: FieldProblem[], multiline = false): string | null {
  if (raw === undefined || raw === null) return null;
  const s = multiline ? nfc(String(raw).replace(/\r\n?/g, '\n')).trim() : cleanLine(String(raw));
  if (s === '') return null;
  if (s.length > max) problems.push({ field, code: 'VALIDATION', params: { max } });
  return s;
}

function coordinate(raw: unknown, min: number, max: number, field: string, problems: FieldProblem[]): number | null {
  if (raw === undefined || raw === null || String(raw).trim() === '') return null;
  const n = Number(String(raw).trim());
  if (!Number.isFinite(n) || n < min || n > max) {
    problems.push({ field, code: 'VALIDATION', params: { min, max } });
    return null;
  }
  return n;
}

export function validateName(raw: unknown, field: string, problems: FieldProblem[]): string {
  const s = cleanLine(String(raw ?? ''));
  if (s === '' || s.length > MAX_NAME) problems.push({ field, code: 'VALIDATION', params: { max: MAX_NAME } });
  return s;
}

export function validateCode(raw: unknown, problems: FieldProblem[]): string {
  const code = normaliseCode(String(raw ?? ''));
  if (!CODE_PATTERN.test(code)) problems.push({ field: 'code', code: 'ORG_CODE_INVALID', params: { code } });
  return code;
}

export function validateSlug(raw: unknown, problems: FieldProblem[]): string {
  const slug = String(raw ?? '').trim().toLowerCase();
  if (!SLUG_PATTERN.test(slug) || slug.length > 80) problems.push({ field: 'slug', code: 'ORG_SLUG_INVALID', params: { slug } });
  return slug;
}

export function validateType(raw: unknown, problems: FieldProblem[]): UnitTypeCode {
  const t = String(raw ?? '').trim();
  if (!isUnitTypeCode(t)) {
    problems.push({ field: 'typeCode', code: 'ORG_TYPE_UNKNOWN', params: { type: t } });
    return 'commune';
  }
  return t;
}

/** Validates the directly editable details; throws `VALIDATION` listing every bad field. */
export function validateDetails(input: Record<string, unknown>): UnitDetails {
  const problems: FieldProblem[] = [];
  const details: UnitDetails = {
    slug: validateSlug(input.slug, problems),
    address: optional(input.address, 500, 'address', problems),
    phone: optional(input.phone, 50, 'phone', problems),
    email: optional(input.email, 200, 'email', problems),
    website: optional(input.website, 500, 'website', problems),
    openingHours: optional(input.openingHours, 1000, 'openingHours', problems, true),
    latitude: coordinate(input.latitude, -90, 90, 'latitude', problems),
    longitude: coordinate(input.longitude, -180, 180, 'longitude', problems),
    descriptionVi: optional(input.descriptionVi, MAX_TEXT, 'descriptionVi', problems, true),
    descriptionEn: optional(input.descriptionEn, MAX_TEXT, 'descriptionEn', problems, true),
  };
  if (details.email !== null && !EMAIL_PATTERN.test(details.email)) problems.push({ field: 'email', code: 'VALIDATION' });
  if (details.website !== null && !/^https?:\/\/\S+$/i.test(details.website)) problems.push({ field: 'website', code: 'VALIDATION' });
  if (problems.length > 0) throw new AppError('VALIDATION', {}, problems);
  return details;
}
