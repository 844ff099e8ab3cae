/**
 * Settings that inherit down the library tree: a value set at a unit applies to it and to every
 * unit below it until a lower unit overrides it. Each key declares its type, default and check.
 */
import { parseIpRanges } from '../digital/ip-range.js';

export type SettingValue = string | number | boolean;

export interface SettingDef {
  key: string;
  kind: 'string' | 'integer' | 'boolean' | 'enum' | 'color' | 'ip_ranges';
  default: SettingValue;
  min?: number;
  max?: number;
  options?: readonly string[];
}

export const SETTINGS: readonly SettingDef[] = [
  { key: 'locale.default', kind: 'enum', default: 'vi', options: ['vi', 'en'] },
  { key: 'site.accent_color', kind: 'color', default: '#0b6e4f' },
  { key: 'reader.self_registration', kind: 'boolean', default: true },
  { key: 'circulation.loan_days', kind: 'integer', default: 14, min: 1, max: 365 },
  { key: 'circulation.max_loans', kind: 'integer', default: 5, min: 0, max: 200 },
  { key: 'staff.session_hours', kind: 'integer', default: 12, min: 1, max: 168 },
  // Addresses counted as "in the library" for on-site-only digital objects (CIDR, comma-separated).
  { key: 'digital.onsite_ip_ranges', kind: 'ip_ranges', default: '' },
];

export function settingDef(key: string): SettingDef | undefined {
  return SETTINGS.find((s) => s.key === key);
}

/** Parses a raw (form or CSV) value for a setting; `undefined` when it is not valid. */
export function parseSetting(def: SettingDef, raw: unknown): SettingValue | undefined {
  const s = String(raw ?? '').trim();
  switch (def.kind) {
    case 'boolean':
      if (raw === true || ['true', '1', 'yes', 'on'].includes(s.toLowerCase())) return true;
      if (raw === false || ['false', '0', 'no', 'off'].includes(s.toLowerCase())) return false;
      return undefined;
    case 'integer': {
      if (!/^-?\d+$/.test(s)) return undefined;
      const n = Number(s);
      if ((def.min !== undefined && n < def.min) || (def.max !== undefined && n > def.max)) return undefined;
      return n;
    }
    case 'enum':
      return def.options?.includes(s) ? s : undefined;
    case 'color':
      return /^#[0-9a-fA-F]{6}$/.test(s) ? s.toLowerCase() : undefined;
    case 'string':
      return s.length <= 500 ? s : undefined;
    case 'ip_ranges': {
      if (s.length > 2000) return undefined;
      const { ranges, invalid } = parseIpRanges(s);
      return invalid.length > 0 ? undefined : ranges.map((r) => r.text).join(', ');
    }
  }
}

export interface ResolvedSetting {
  key: string;
  value: SettingValue;
  /** Unit whose value applies; `null` for the built-in default. */
  fromUnitId: number | null;
}

/**
 * Resolves every setting for a unit from the values set along its ancestor path (root first).
 * `valuesByUnit` holds what is stored at each of those units.
 */
export function resolveSettings(
  ancestorIds: readonly number[],
  valuesByUnit: ReadonlyMap<number, ReadonlyMap<string, SettingValue>>,
): ResolvedSetting[] {
  return SETTINGS.map((def) => {
    let value: SettingValue = def.default;
    let fromUnitId: number | null = null;
    for (const id of ancestorIds) {
      const v = valuesByUnit.get(id)?.get(def.key);
      if (v !== undefined) {
        value = v;
        fromUnitId = id;
      }
    }
    return { key: def.key, value, fromUnitId };
  });
}
