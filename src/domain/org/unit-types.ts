/**
 * Kinds of org unit. A type says what a unit of it may hold: items (a collection), readers
 * (registered patrons) and staff. The list is fixed in code because later modules (circulation,
 * statistics to TCVN 12843) attach rules to these codes; names live in the i18n catalogue.
 */
export interface UnitType {
  code: UnitTypeCode;
  holdsItems: boolean;
  holdsReaders: boolean;
  holdsStaff: boolean;
  /** Library kind as the plan counts it, for the targets dashboard later. */
  planKind: 'network' | 'provincial' | 'district' | 'commune' | 'grassroots' | 'school' | 'university' | 'specialised' | 'branch';
}

export const UNIT_TYPE_CODES = [
  'network',
  'provincial',
  'district',
  'commune',
  'reading_room',
  'school',
  'university',
  'specialised',
  'branch',
  'book_box',
] as const;

export type UnitTypeCode = (typeof UNIT_TYPE_CODES)[number];

export const UNIT_TYPES: Readonly<Record<UnitTypeCode, UnitType>> = Object.freeze({
  network: { code: 'network', holdsItems: false, holdsReaders: false, holdsStaff: true, planKind: 'network' },
  provincial: { code: 'provincial', holdsItems: true, holdsReaders: true, holdsStaff: true, planKind: 'provincial' },
  district: { code: 'district', holdsItems: true, holdsReaders: true, holdsStaff: true, planKind: 'district' },
  commune: { code: 'commune', holdsItems: true, holdsReaders: true, holdsStaff: true, planKind: 'commune' },
  reading_room: { code: 'reading_room', holdsItems: true, holdsReaders: true, holdsStaff: false, planKind: 'grassroots' },
  school: { code: 'school', holdsItems: true, holdsReaders: true, holdsStaff: true, planKind: 'school' },
  university: { code: 'university', holdsItems: true, holdsReaders: true, holdsStaff: true, planKind: 'university' },
  specialised: { code: 'specialised', holdsItems: true, holdsReaders: true, holdsStaff: true, planKind: 'specialised' },
  branch: { code: 'branch', holdsItems: true, holdsReaders: false, holdsStaff: true, planKind: 'branch' },
  book_box: { code: 'book_box', holdsItems: true, holdsReaders: false, holdsStaff: false, planKind: 'grassroots' },
});

export function isUnitTypeCode(s: string): s is UnitTypeCode {
  return (UNIT_TYPE_CODES as readonly string[]).includes(s);
}
