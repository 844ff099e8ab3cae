/**
 * Copies (items) of a catalogue record: the rules for one copy's attributes, reading copies from
 * imported holdings fields (Koha 952, MARC21 852), writing them back, and shelf order. Pure: no
 * I/O, no clock — "today" is a parameter.
 *
 * Problems carry a stable `code`; the message is `catalog.item.<code>` in the i18n catalogue,
 * with `params` filling its placeholders. Validation reports every problem at once, so a form or
 * an import row can show them all.
 */
import type { ErrorParams } from '../errors.js';
import { CODE_PATTERN, normaliseCode } from '../org/unit.js';
import { cleanLine } from '../../text/fold.js';
import { indicator, isDataField, type MarcDataField, type MarcLike, type MarcSubfield } from './marc-like.js';
import { shelfKey, type ShelfScheme } from './shelf-key.js';

// ---------------------------------------------------------------------------------------------
// Model

/**
 * Where a copy is in its life. `on-loan`, `in-transit` and `on-hold-shelf` are set by
 * circulation, never by an import; the others are what staff or an import record.
 */
export const ITEM_STATUSES = [
  'available',
  'in-processing',
  'not-for-loan',
  'on-loan',
  'in-transit',
  'on-hold-shelf',
  'lost',
  'damaged',
  'missing',
  'withdrawn',
] as const;
export type ItemStatus = (typeof ITEM_STATUSES)[number];

/** Item types in common use; `itemType` accepts any code of the same shape (see {@link ITEM_TYPE_PATTERN}). */
export const COMMON_ITEM_TYPES = ['book', 'reference', 'periodical', 'thesis', 'map', 'av', 'children'] as const;

/** A copy as staff or an import give it: everything loose, nothing checked yet. */
export interface ItemInput {
  barcode: string;
  /** The unit that owns the copy (Koha homebranch). */
  ownerUnitCode?: string;
  /** The unit where the copy is now (Koha holdingbranch); defaults to the owner. */
  locationUnitCode?: string;
  /** Shelving location or collection inside the unit (`Kho mượn`, `REF`). */
  shelvingLocation?: string;
  callNumber?: string;
  /** Defaults to {@link guessScheme} of the call number. */
  callScheme?: ShelfScheme;
  /** `book`, `reference`, `periodical`, `thesis`, `map`, `av`, `children` or a local code. */
  itemType?: string;
  /** Defaults to `available`. */
  status?: ItemStatus;
  /** A number, or text as written: `120000`, `120.000`, `150.000 đ`, `12.50 USD`. */
  price?: string | number;
  /** ISO 4217 code; defaults to the currency written in `price`, else `VND`. */
  currency?: string;
  /** YYYY-MM-DD, not after today. */
  acquiredOn?: string;
  copyNumber?: string;
  publicNote?: string;
  staffNote?: string;
}

/** A copy that passed {@link validateItem}: normalised, with its shelf key. */
export interface CheckedItem {
  /** As {@link normaliseBarcode} gives it. */
  barcode: string;
  ownerUnitCode: string | null;
  /** The owner when not given. */
  locationUnitCode: string | null;
  shelvingLocation: string | null;
  callNumber: string | null;
  /** As given, else guessed; `other` when there is no call number. */
  callScheme: ShelfScheme;
  /** {@link shelfKey} of the call number; `''` when there is none. */
  shelfKey: string;
  /** Lower case. */
  itemType: string | null;
  status: ItemStatus;
  /** In `currency`; whole đồng for VND, at most two decimals otherwise. */
  price: number | null;
  currency: string;
  acquiredOn: string | null;
  copyNumber: string | null;
  publicNote: string | null;
  staffNote: string | null;
}

export const ITEM_PROBLEM_CODES = [
  'barcode-missing',
  'barcode-invalid',
  'barcode-duplicate',
  'unknown-unit',
  'unit-code-invalid',
  'status-invalid',
  'price-invalid',
  'currency-invalid',
  'currency-mismatch',
  'date-invalid',
  'date-in-future',
  'call-number-too-long',
  'scheme-invalid',
  'item-type-invalid',
  'too-long',
] as const;
/** A problem code; its message is `catalog.item.<code>`. */
export type ItemProblemCode = (typeof ITEM_PROBLEM_CODES)[number];

/** One problem with one attribute of a copy. */
export interface ItemProblem {
  field: keyof ItemInput;
  code: ItemProblemCode;
  params: ErrorParams;
}

export type ItemValidation = { ok: true; value: CheckedItem } | { ok: false; problems: ItemProblem[] };

export interface ValidateItemOptions {
  /** Today's date (YYYY-MM-DD) where the library is; `acquiredOn` may not be later. */
  today: string;
}

export const BARCODE_PATTERN = /^[A-Z0-9./-]{3,32}$/;
export const ITEM_TYPE_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const MAX_CALL_NUMBER = 100;
const MAX_SHELVING_LOCATION = 100;
const MAX_COPY_NUMBER = 32;
const MAX_NOTE = 1000;
/** No copy costs a trillion of anything; larger numbers are typing slips. */
const MAX_PRICE = 1e12;

// ---------------------------------------------------------------------------------------------
// Barcode

/**
 * A barcode as stored and compared: trimmed, inner white space removed, ASCII letters upper case.
 * Does not check it; {@link isValidBarcode} does.
 *
 * @example normaliseBarcode(' vn 0012-34 ') === 'VN0012-34'
 */
export function normaliseBarcode(raw: string): string {
  const s = typeof raw === 'string' ? raw : '';
  return s.replace(/[\s\u200b-\u200d\ufeff]+/gu, '').replace(/[a-z]+/g, (m) => m.toUpperCase());
}

/** 3–32 characters: A–Z, 0–9, `-`, `.`, `/`. Expects a normalised barcode. */
export function isValidBarcode(barcode: string): boolean {
  return BARCODE_PATTERN.test(barcode);
}

// ---------------------------------------------------------------------------------------------
// Price

/** Currency words and signs written next to a price, lower case. */
const CURRENCY_MARKS: Record<string, string> = {
  đ: 'VND',
  '₫': 'VND',
  d: 'VND',
  đồng: 'VND',
  dong: 'VND',
  vnd: 'VND',
  vnđ: 'VND',
  $: 'USD',
  us$: 'USD',
  '€': 'EUR',
  '£': 'GBP',
};

/** An ISO 4217 code from what people write (`vnđ`, `usd`); undefined when it is not one. */
export function normaliseCurrency(raw: string): string | undefined {
  const s = cleanLine(raw).toLowerCase().replace(/\.$/u, '');
  if (s === '') return undefined;
  const mark = CURRENCY_MARKS[s];
  if (mark) return mark;
  return /^[a-z]{3}$/u.test(s) ? s.toUpperCase() : undefined;
}

export interface ParsedPrice {
  amount: number;
  /** The currency written with the amount, if any. */
  currency: string | undefined;
}

/**
 * Reads a price as cataloguers write it. The currency written in the text wins over `currency`
 * (the one in effect otherwise, default VND) for reading the number:
 * - VND has no minor unit (ISO 4217 exponent 0), so `.`, `,` and spaces group thousands
 *   (`120.000`, `120,000`, `1 200 000`); a last `.00`/`,00` is allowed (Koha writes
 *   `150000.00`), any other fraction is refused: `12.50 VND` is a slip, not 12½ đồng;
 * - other currencies: `.` is the decimal mark (at most two decimals) and `,` groups thousands
 *   (`1,234.50 USD`); `12,50 EUR` is refused as ambiguous.
 * Undefined when the text is not a price. Negative amounts are refused.
 *
 * @example parsePrice('150.000 đ') // { amount: 150000, currency: 'VND' }
 * @example parsePrice('12.50 USD') // { amount: 12.5, currency: 'USD' }
 */
export function parsePrice(raw: string | number, currency = 'VND'): ParsedPrice | undefined {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw) || raw < 0 || raw > MAX_PRICE) return undefined;
    const ok = currency === 'VND' ? Number.isInteger(raw) : Math.abs(raw * 100 - Math.round(raw * 100)) < 1e-6;
    return ok ? { amount: currency === 'VND' ? raw : Math.round(raw * 100) / 100, currency: undefined } : undefined;
  }
  const s = cleanLine(typeof raw === 'string' ? raw : '').replace(/[\u00a0\u202f]/gu, ' ');
  const m = /^(\D*?)\s*(\d(?:[\d., ]*\d)?)\s*(\D*)$/u.exec(s);
  if (!m) return undefined;
  const [, before = '', number = '', after = ''] = m;
  if (before !== '' && after !== '') return undefined;
  const mark = before || after;
  const written = mark === '' ? undefined : normaliseCurrency(mark);
  if (mark !== '' && written === undefined) return undefined;
  const amount = parseAmount(number, written ?? currency);
  return amount === undefined || amount > MAX_PRICE ? undefined : { amount, currency: written };
}

function parseAmount(number: string, currency: string): number | undefined {
  if (currency === 'VND') {
    const m = /^(\d{1,3}([., ])\d{3}(?:\2\d{3})*|\d+)(?:([.,])(\d{1,2}))?$/u.exec(number);
    if (!m) return undefined;
    const [, whole = '', group, mark, fraction] = m;
    if (mark !== undefined && mark === group) return undefined;
    if (fraction !== undefined && Number(fraction) !== 0) return undefined;
    return Number(whole.replace(/[., ]/gu, ''));
  }
  const m = /^(\d{1,3}([, ])\d{3}(?:\2\d{3})*|\d+)(?:\.(\d{1,2}))?$/u.exec(number);
  if (!m) return undefined;
  const [, whole = '', , fraction] = m;
  return Number(whole.replace(/[, ]/gu, '') + (fraction ? '.' + fraction : ''));
}

// ---------------------------------------------------------------------------------------------
// Dates

/** A real calendar date written YYYY-MM-DD (proleptic Gregorian, as ISO 8601). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(s);
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

// ---------------------------------------------------------------------------------------------
// Call number scheme

const PREFIX_WORD = /^\p{L}+\.?$/u;
/** Words that continue a UDC/BBK notation written with spaces: `94 (597)`, `811.111 =161.1`. */
const CONTINUES_NOTATION = /^[(=:+"“'’[]/u;

/**
 * Guesses the classification scheme of a call number, conservatively: when in doubt, `other`
 * (which still files naturally). Location prefixes (`VN`, `R`, `TK`, or `R` glued to a DDC
 * number as in `R004.6`) are skipped. In order:
 * - **BBK** (ББК, and its Vietnamese adaptations):
 *   - any Cyrillic letter in the notation (`Ф3`, `Ч2`, `84(2Рос=Рус)6-44`);
 *   - letters inside parentheses (`9(V)`, `84(1=Việt)`): UDC place and form numbers are digits;
 *   - a point after the first two digits (`63.3(1)`, `22.31`): UDC and DDC points come after
 *     three digits;
 *   - one Latin capital and one or two digits (`V23`, `V23(1)`), the letter classes of the
 *     Vietnamese adaptation. A one-letter LC class number (`D16`) reads as BBK too; LC call
 *     numbers are rare in Vietnamese public libraries.
 * - **UDC**: a number of up to three digits followed by UDC signs — `:`, `=`, `+`, `"`, `'`,
 *   `[`, a parenthesis holding `0…`, `=…` or two or more digits (`94(597)`, `37(075)`,
 *   `811.111'`, `004:37`), or more than one point (`821.161.1`). DDC prime marks (`895.9'22`) are
 *   read as UDC apostrophes: they belong in 082, not on a spine label.
 * - **DDC**: three digits, a point and digits (`959.7 NG-D`, `895.9223`), or three digits
 *   followed by an author mark (`895 NG-D`). A plain `621.39` is both DDC and UDC and reads as DDC.
 * - Anything else, including `94(4)` (UDC or BBK?) and a bare `123`, is `other`.
 *
 * @example guessScheme('959.7 NG-D') === 'ddc'
 * @example guessScheme('94(597)') === 'udc'
 * @example guessScheme('63.3(1)') === 'bbk'
 */
export function guessScheme(callNumber: string): ShelfScheme {
  const words = cleanLine(typeof callNumber === 'string' ? callNumber : '')
    .split(' ')
    .filter((w) => w !== '');
  let i = 0;
  while (i < words.length - 1 && PREFIX_WORD.test(words[i]!)) i++;
  let head = words[i] ?? '';
  if (head === '') return 'other';
  // `R004.6`: a location prefix glued to a DDC number.
  const glued = /^\p{L}{1,3}(?=\d{3}\.\d)/u.exec(head);
  if (glued) head = head.slice(glued[0].length);
  let notation = head;
  for (let j = i + 1; j < words.length && CONTINUES_NOTATION.test(words[j]!); j++) notation += words[j];
  const more = words.length > i + 1;

  if (/\p{Script=Cyrillic}/u.test(notation)) return 'bbk';
  if (/^(?:\d|\p{Lu}\d)/u.test(notation) && /\([^)]*\p{L}[^)]*\)/u.test(notation)) return 'bbk';
  if (/^\d{2}\.\d/u.test(notation)) return 'bbk';
  if (/^[A-Z]\d{1,2}(?:\(\d+\))*$/u.test(notation)) return 'bbk';

  if (/^\d{1,3}(?:\.\d+)*/u.test(notation)) {
    if (/[:=+"“'’[]|\((?:0|=|\d{2})/u.test(notation)) return 'udc';
    if (/^\d{3}\.\d+\.\d/u.test(notation)) return 'udc';
  }
  if (notation === head) {
    if (/^\d{3}\.\d+(?:\p{L}.*)?$/u.test(head)) return 'ddc';
    if (/^\d{3}$/u.test(head) && more) return 'ddc';
  }
  return 'other';
}

// ---------------------------------------------------------------------------------------------
// Validation

/** Text as stored: one line, NFC, trimmed; numbers written as digits; anything else empty. */
function text(raw: unknown): string {
  if (typeof raw === 'number' && Number.isFinite(raw)) return String(raw);
  return typeof raw === 'string' ? cleanLine(raw) : '';
}

function isItemStatus(s: string): s is ItemStatus {
  return (ITEM_STATUSES as readonly string[]).includes(s);
}

function isShelfScheme(s: string): s is ShelfScheme {
  return s === 'ddc' || s === 'udc' || s === 'bbk' || s === 'other';
}

/**
 * Checks and normalises one copy. `acquiredOn` must be a real date no later than `today`.
 *
 * @example validateItem({ barcode: 'tv 0001', price: '150.000 đ' }, { today: '2025-06-01' })
 *   // { ok: true, value: { barcode: 'TV0001', price: 150000, currency: 'VND', … } }
 */
export function validateItem(input: ItemInput, options: ValidateItemOptions): ItemValidation {
  if (!isCalendarDate(options.today)) throw new RangeError(`validateItem: today must be a YYYY-MM-DD date, got "${options.today}"`);
  const problems: ItemProblem[] = [];
  const problem = (field: keyof ItemInput, code: ItemProblemCode, params: ErrorParams = {}): void => {
    problems.push({ field, code, params });
  };

  const rawBarcode = text(input.barcode);
  const barcode = normaliseBarcode(rawBarcode);
  if (barcode === '') problem('barcode', 'barcode-missing');
  else if (!isValidBarcode(barcode)) problem('barcode', 'barcode-invalid', { value: rawBarcode });

  const unit = (field: 'ownerUnitCode' | 'locationUnitCode'): string | null => {
    const raw = text(input[field]);
    if (raw === '') return null;
    const code = normaliseCode(raw);
    if (!CODE_PATTERN.test(code)) problem(field, 'unit-code-invalid', { value: raw });
    return code;
  };
  const ownerUnitCode = unit('ownerUnitCode');
  const locationUnitCode = unit('locationUnitCode') ?? ownerUnitCode;

  const limited = (field: 'shelvingLocation' | 'copyNumber' | 'publicNote' | 'staffNote', max: number): string | null => {
    const s = text(input[field]);
    if (s.length > max) problem(field, 'too-long', { max });
    return s === '' ? null : s;
  };
  const shelvingLocation = limited('shelvingLocation', MAX_SHELVING_LOCATION);
  const copyNumber = limited('copyNumber', MAX_COPY_NUMBER);
  const publicNote = limited('publicNote', MAX_NOTE);
  const staffNote = limited('staffNote', MAX_NOTE);

  const callNumber = text(input.callNumber);
  if (callNumber.length > MAX_CALL_NUMBER) problem('callNumber', 'call-number-too-long', { max: MAX_CALL_NUMBER });
  const rawScheme = text(input.callScheme).toLowerCase();
  let callScheme: ShelfScheme = 'other';
  if (rawScheme !== '' && !isShelfScheme(rawScheme)) problem('callScheme', 'scheme-invalid', { value: text(input.callScheme) });
  else callScheme = rawScheme !== '' ? (rawScheme as ShelfScheme) : guessScheme(callNumber);

  const itemType = text(input.itemType).toLowerCase();
  if (itemType !== '' && !ITEM_TYPE_PATTERN.test(itemType)) problem('itemType', 'item-type-invalid', { value: text(input.itemType) });

  const rawStatus = text(input.status).toLowerCase();
  let status: ItemStatus = 'available';
  if (isItemStatus(rawStatus)) status = rawStatus;
  else if (rawStatus !== '') problem('status', 'status-invalid', { value: text(input.status) });

  const rawCurrency = text(input.currency);
  const givenCurrency = rawCurrency === '' ? undefined : normaliseCurrency(rawCurrency);
  if (rawCurrency !== '' && givenCurrency === undefined) problem('currency', 'currency-invalid', { value: rawCurrency });
  let currency = givenCurrency ?? 'VND';
  let price: number | null = null;
  const rawPrice = typeof input.price === 'number' ? input.price : text(input.price);
  if (rawPrice !== '') {
    const parsed = parsePrice(rawPrice, currency);
    if (!parsed) problem('price', 'price-invalid', { value: String(rawPrice) });
    else if (givenCurrency !== undefined && parsed.currency !== undefined && parsed.currency !== givenCurrency) {
      problem('price', 'currency-mismatch', { value: String(rawPrice), currency: givenCurrency });
    } else {
      price = parsed.amount;
      currency = parsed.currency ?? currency;
    }
  }

  const acquiredOn = text(input.acquiredOn);
  if (acquiredOn !== '') {
    if (!isCalendarDate(acquiredOn)) problem('acquiredOn', 'date-invalid', { value: acquiredOn });
    else if (acquiredOn > options.today) problem('acquiredOn', 'date-in-future', { value: acquiredOn, today: options.today });
  }

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    value: {
      barcode,
      ownerUnitCode,
      locationUnitCode,
      shelvingLocation,
      callNumber: callNumber === '' ? null : callNumber,
      callScheme,
      shelfKey: shelfKey(callNumber, callScheme),
      itemType: itemType === '' ? null : itemType,
      status,
      price,
      currency,
      acquiredOn: acquiredOn === '' ? null : acquiredOn,
      copyNumber,
      publicNote,
      staffNote,
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Shelf order

/**
 * Shelf order: by shelf key (byte order, as the database sorts it), then barcode. Copies without
 * a call number have the empty key and come first.
 */
export function compareShelfOrder(a: Pick<CheckedItem, 'shelfKey' | 'barcode'>, b: Pick<CheckedItem, 'shelfKey' | 'barcode'>): number {
  if (a.shelfKey !== b.shelfKey) return a.shelfKey < b.shelfKey ? -1 : 1;
  if (a.barcode !== b.barcode) return a.barcode < b.barcode ? -1 : 1;
  return 0;
}

// ---------------------------------------------------------------------------------------------
// Holdings fields: import

export interface ExtractItemsOptions {
  /** The unit copies belong to when the field names none, or one that is not known. */
  defaultUnitCode: string;
  /** Unit codes that exist; when absent, any code of the right shape is taken as written. */
  knownUnitCodes?: ReadonlySet<string>;
  /** The record's own call number (`deriveFields(…).callNumber.value`), for copies without one. */
  derivedCallNumber?: string;
  /** Its scheme (`deriveFields(…).callNumber.scheme`); guessed when absent. */
  derivedCallScheme?: ShelfScheme;
}

export type HoldingsProblemCode = 'barcode-missing' | 'barcode-duplicate' | 'unknown-unit';

/** A problem with one holdings field; `fieldIndex` is its position in `record.fields`. */
export interface HoldingsProblem {
  fieldIndex: number;
  tag: string;
  code: HoldingsProblemCode;
  /** `error`: the copy was skipped. `warning`: it was imported with a fallback. */
  severity: 'error' | 'warning';
  params: ErrorParams;
}

/**
 * Koha's sample item types (`installer/data/…/sample_itemtypes`) and what they are here; other
 * codes are kept, in lower case.
 */
const KOHA_ITEM_TYPES: Record<string, string> = { bk: 'book', cr: 'periodical', mp: 'map', ref: 'reference', vm: 'av' };

/** Koha `cn_source` and MARC 852 $2 codes → our schemes. Unknown codes: undefined (guess). */
function schemeOfSource(source: string): ShelfScheme | undefined {
  const s = source.toLowerCase();
  if (/^(?:ddc|dewey)/u.test(s)) return 'ddc';
  if (/^udc/u.test(s)) return 'udc';
  if (/^(?:ru)?bbk/u.test(s)) return 'bbk';
  // LC, SuDoc, ANSCR and Koha's "z" (other/generic) file naturally.
  if (/^(?:lcc?|sudocs?|anscr|z)$/u.test(s)) return 'other';
  return undefined;
}

/**
 * MARC21 852 first indicator (shelving scheme) → our scheme: 1 DDC; 0 LC, 2 NLM, 3 SuDoc,
 * 4 shelving control number, 5 title, 6 shelved separately, 8 other → `other`; 7 → the source
 * in $2; blank (no information) → undefined, guessed from the call number.
 */
function schemeOf852(ind1: string, source: string): ShelfScheme | undefined {
  if (ind1 === '1') return 'ddc';
  if (ind1 === '7') return schemeOfSource(source);
  if (/^[0-68]$/u.test(ind1)) return 'other';
  return undefined;
}

/** The first non-empty value of a subfield, cleaned; `''` when there is none. */
function sub(field: MarcDataField, code: string): string {
  for (const s of field.subfields) {
    if (s.code === code) {
      const v = cleanLine(typeof s.value === 'string' ? s.value : '');
      if (v !== '') return v;
    }
  }
  return '';
}

/** Every non-empty value of the subfields in `codes`, in field order. */
function subs(field: MarcDataField, codes: string): string[] {
  return field.subfields
    .filter((s) => s.code.length === 1 && codes.includes(s.code))
    .map((s) => cleanLine(typeof s.value === 'string' ? s.value : ''))
    .filter((v) => v !== '');
}

/** Koha item flags: empty and `0` are "not set"; any other value is set. */
function flag(field: MarcDataField, code: string): string | undefined {
  const v = sub(field, code);
  return v === '' || /^0+$/u.test(v) ? undefined : v;
}

/**
 * The status from Koha's item flags, the strongest first: $0 withdrawn; $1 lost (authorised value
 * 4 in Koha's default LOST list is "Missing"); $4 damaged; $7 not for loan (negative values are
 * Koha's "Ordered": `in-processing`). $q (on loan) is not read: a loan is a circulation record
 * this platform does not have yet, so such a copy comes in `available`.
 */
function statusOf952(field: MarcDataField): ItemStatus | undefined {
  if (flag(field, '0')) return 'withdrawn';
  const lost = flag(field, '1');
  if (lost) return lost === '4' ? 'missing' : 'lost';
  if (flag(field, '4')) return 'damaged';
  const notForLoan = flag(field, '7');
  if (notForLoan) return /^-\d+$/u.test(notForLoan) ? 'in-processing' : 'not-for-loan';
  return undefined;
}

/** Sets `key` only for a non-empty value, so inputs carry no empty attributes. */
function put<K extends keyof ItemInput>(item: ItemInput, key: K, value: ItemInput[K] | '' | undefined): void {
  if (value !== undefined && value !== '') item[key] = value as ItemInput[K];
}

/**
 * Reads the copies of a record from its holdings fields, in record order:
 *
 * **Koha 952** (MARC21 default framework): $a home branch → owner unit, $b holding branch →
 * location unit, $c shelving location (else $8 collection code) → `shelvingLocation`, $o call
 * number, $2 its source (`ddc`, `udc`, `bbk`, `lcc`, `z`), $p barcode, $y item type (Koha's sample
 * codes BK CR MP REF VM mapped to book periodical map reference av, others lower-cased), $g price
 * (else $v replacement price), $d date acquired, $t copy number, $z public note, $x staff note,
 * $0 $1 $4 $7 status flags (see below).
 *
 * **MARC21 852**: $a location → owner (and location) unit, $b sublocation/collection (else $c
 * shelving location) → `shelvingLocation`, call number $k prefix, $h classification part,
 * $i item part, $m suffix joined with spaces (else $j shelving control number), scheme from the
 * first indicator (and $2 with indicator 7), $p piece designation → barcode, $t copy number,
 * $x staff note, $z public note. 852 carries no status, price, date or item type.
 *
 * A unit code not in `knownUnitCodes` falls back to `defaultUnitCode` with an `unknown-unit`
 * warning; a field without barcode is skipped (`barcode-missing`); a barcode seen before in the
 * record skips the later field (`barcode-duplicate`). A copy without call number gets
 * `derivedCallNumber`. The items are inputs: pass each to {@link validateItem}.
 */
export function extractItems(record: MarcLike, opts: ExtractItemsOptions): { items: ItemInput[]; problems: HoldingsProblem[] } {
  const items: ItemInput[] = [];
  const problems: HoldingsProblem[] = [];
  const seen = new Set<string>();
  const known = opts.knownUnitCodes;
  const fields = Array.isArray(record?.fields) ? record.fields : [];

  fields.forEach((field, fieldIndex) => {
    if ((field.tag !== '952' && field.tag !== '852') || !isDataField(field)) return;
    const tag = field.tag;
    const report = (code: HoldingsProblemCode, severity: HoldingsProblem['severity'], params: ErrorParams = {}): void => {
      problems.push({ fieldIndex, tag, code, severity, params });
    };

    const barcode = normaliseBarcode(sub(field, 'p'));
    if (barcode === '') return report('barcode-missing', 'error');
    if (seen.has(barcode)) return report('barcode-duplicate', 'error', { barcode });
    seen.add(barcode);

    const resolved = new Map<string, string>();
    const unit = (raw: string, fallback: string): string => {
      if (raw === '') return fallback;
      const done = resolved.get(raw);
      if (done !== undefined) return done;
      const code = normaliseCode(raw);
      const ok = known ? known.has(code) || known.has(raw) : CODE_PATTERN.test(code);
      if (!ok) report('unknown-unit', 'warning', { unit: raw, fallback: opts.defaultUnitCode });
      const result = ok ? code : opts.defaultUnitCode;
      resolved.set(raw, result);
      return result;
    };

    const item: ItemInput = { barcode };
    let callScheme: ShelfScheme | undefined;
    if (tag === '952') {
      const owner = unit(sub(field, 'a'), opts.defaultUnitCode);
      item.ownerUnitCode = owner;
      item.locationUnitCode = unit(sub(field, 'b'), owner);
      put(item, 'shelvingLocation', sub(field, 'c') || sub(field, '8'));
      put(item, 'callNumber', sub(field, 'o'));
      callScheme = schemeOfSource(sub(field, '2'));
      const type = sub(field, 'y').toLowerCase();
      put(item, 'itemType', KOHA_ITEM_TYPES[type] ?? type);
      put(item, 'status', statusOf952(field));
      put(item, 'price', sub(field, 'g') || sub(field, 'v'));
      put(item, 'acquiredOn', sub(field, 'd'));
      put(item, 'copyNumber', sub(field, 't'));
      put(item, 'publicNote', sub(field, 'z'));
      put(item, 'staffNote', sub(field, 'x'));
    } else {
      const owner = unit(sub(field, 'a'), opts.defaultUnitCode);
      item.ownerUnitCode = owner;
      item.locationUnitCode = owner;
      put(item, 'shelvingLocation', sub(field, 'b') || sub(field, 'c'));
      put(item, 'callNumber', subs(field, 'khim').join(' ') || sub(field, 'j'));
      callScheme = schemeOf852(indicator(field, 1), sub(field, '2'));
      put(item, 'copyNumber', sub(field, 't'));
      put(item, 'publicNote', sub(field, 'z'));
      put(item, 'staffNote', sub(field, 'x'));
    }
    if (item.callNumber === undefined && opts.derivedCallNumber) {
      put(item, 'callNumber', cleanLine(opts.derivedCallNumber));
      callScheme = opts.derivedCallScheme;
    }
    if (item.callNumber !== undefined) put(item, 'callScheme', callScheme);
    items.push(item);
  });
  return { items, problems };
}

// ---------------------------------------------------------------------------------------------
// Holdings fields: export

/** A checked copy with both units known, as {@link itemsToMarc} writes it. */
export type ExportableItem = CheckedItem & { ownerUnitCode: string; locationUnitCode: string };

const SOURCE_952: Record<ShelfScheme, string> = { ddc: 'ddc', udc: 'udc', bbk: 'bbk', other: 'z' };

/** Koha's flag subfield and value for a status; circulation states have none. */
const FLAG_952: Partial<Record<ItemStatus, [string, string]>> = {
  withdrawn: ['0', '1'],
  lost: ['1', '1'],
  missing: ['1', '4'],
  damaged: ['4', '1'],
  'not-for-loan': ['7', '1'],
  'in-processing': ['7', '-1'],
};

/** VND as whole đồng (what Koha's price column takes); other currencies with their code. */
function priceText(price: number, currency: string): string {
  return currency === 'VND' ? String(Math.round(price)) : `${price.toFixed(2)} ${currency}`;
}

/**
 * Writes copies as holdings fields, one per copy, the inverse of {@link extractItems}:
 * `extractItems` then `validateItem` gives the copies back, except what the style cannot carry:
 * - 952: `on-loan`, `in-transit` and `on-hold-shelf` (circulation, not catalogue data) come back
 *   `available`; a price in another currency than VND is written `12.50 USD`, which Koha's
 *   decimal price column will not take;
 * - 852: the call number is split into $h (class part: the first word, unless it is a letters-only
 *   prefix) and $i (the rest); there is no location unit (it comes back as the owner), status,
 *   price, date or item type.
 *
 * @example itemsToMarc([item], '952') // [{ tag: '952', ind1: ' ', ind2: ' ', subfields: [{ code: 'a', value: 'TVT' }, …] }]
 */
export function itemsToMarc(items: ReadonlyArray<ExportableItem>, style: '852' | '952'): MarcDataField[] {
  return items.map((item) => (style === '952' ? to952(item) : to852(item)));
}

function to952(item: ExportableItem): MarcDataField {
  const subfields: MarcSubfield[] = [];
  const add = (code: string, value: string | null | undefined): void => {
    if (value) subfields.push({ code, value });
  };
  const statusFlag = FLAG_952[item.status];
  // Koha exports subfields in code order: digits, then letters.
  if (statusFlag) add(statusFlag[0], statusFlag[1]);
  if (item.callNumber) add('2', SOURCE_952[item.callScheme]);
  subfields.sort((a, b) => (a.code < b.code ? -1 : 1));
  add('a', item.ownerUnitCode);
  add('b', item.locationUnitCode);
  add('c', item.shelvingLocation);
  add('d', item.acquiredOn);
  add('g', item.price === null ? null : priceText(item.price, item.currency));
  add('o', item.callNumber);
  add('p', item.barcode);
  add('t', item.copyNumber);
  add('x', item.staffNote);
  add('y', item.itemType);
  add('z', item.publicNote);
  return { tag: '952', ind1: ' ', ind2: ' ', subfields };
}

const IND1_852: Record<ShelfScheme, string> = { ddc: '1', udc: '7', bbk: '7', other: '8' };

function to852(item: ExportableItem): MarcDataField {
  const subfields: MarcSubfield[] = [];
  const add = (code: string, value: string | null | undefined): void => {
    if (value) subfields.push({ code, value });
  };
  add('a', item.ownerUnitCode);
  add('b', item.shelvingLocation);
  if (item.callNumber) {
    const [first = '', ...rest] = item.callNumber.split(' ');
    if (rest.length > 0 && !PREFIX_WORD.test(first)) {
      add('h', first);
      add('i', rest.join(' '));
    } else add('h', item.callNumber);
  }
  add('p', item.barcode);
  add('t', item.copyNumber);
  add('x', item.staffNote);
  add('z', item.publicNote);
  const ind1 = item.callNumber ? IND1_852[item.callScheme] : ' ';
  if (ind1 === '7') add('2', item.callScheme);
  return { tag: '852', ind1, ind2: ' ', subfields };
}
