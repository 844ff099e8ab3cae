/**
 * Translation and language negotiation. Pure. The language follows the signed-in user's choice,
 * then the `lang` cookie, then the browser's `Accept-Language`, then Vietnamese.
 */
import { en, vi, type MessageKey } from './messages.js';

export const LOCALES = ['vi', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'vi';

const CATALOGUES: Record<Locale, Record<MessageKey, string>> = { vi, en };

export function isLocale(s: unknown): s is Locale {
  return s === 'vi' || s === 'en';
}

/**
 * `{count|copy|copies}`: the first word when the parameter is 1, the second otherwise. English
 * needs it; Vietnamese nouns do not change (`{count} bản`).
 */
const PLURAL = /\{(\w+)\|((?:[^{}|]|\{\w+\})*)\|((?:[^{}|]|\{\w+\})*)\}/g;

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(locale: Locale): Translate {
  const cat = CATALOGUES[locale];
  return (key, params) => {
    const text = cat[key] ?? vi[key] ?? key;
    return params ? fill(text, params) : text;
  };
}

/** A message with its `{placeholders}` and `{name|one|other}` choices filled from `params`; unknown ones stay visible. */
export function fill(text: string, params: Record<string, string | number>): string {
  return text
    .replace(PLURAL, (m, name: string, one: string, other: string) => (name in params ? (Number(params[name]) === 1 ? one : other) : m))
    .replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** Is `key` a message key? (Error codes and unit types are looked up by building the key.) */
export function hasMessage(key: string): key is MessageKey {
  // Own keys only: `'toString' in vi` is true through the prototype.
  return Object.hasOwn(vi, key);
}

/** Picks the best of our locales from an `Accept-Language` header (`en-GB,en;q=0.8,vi;q=0.5`). */
export function fromAcceptLanguage(header: string | undefined): Locale | undefined {
  if (!header) return undefined;
  const ranked = header
    .split(',')
    .slice(0, 20)
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => /^\s*q=([\d.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
      return { lang: tag.trim().toLowerCase().split('-')[0] ?? '', q: q === undefined ? 1 : Number(q) };
    })
    .filter((x) => x.q > 0 && !Number.isNaN(x.q))
    .sort((a, b) => b.q - a.q);
  for (const r of ranked) if (isLocale(r.lang)) return r.lang;
  return undefined;
}

export function negotiateLocale(opts: { userLocale?: string | null; cookie?: string; acceptLanguage?: string }): Locale {
  if (isLocale(opts.userLocale)) return opts.userLocale;
  if (isLocale(opts.cookie)) return opts.cookie;
  return fromAcceptLanguage(opts.acceptLanguage) ?? DEFAULT_LOCALE;
}

export type { MessageKey };
