/**
 * schema.org JSON-LD for a record's public page, so search engines read what the page describes:
 * the work (`Book`, `Thesis`, `Periodical`, `Map`, `Article`, else `CreativeWork`), its authors
 * (`Person`, `Organization`), publication, ISBN/ISSN, language (BCP 47), subjects (`about`),
 * pages, series, and where to borrow it. Pure.
 *
 * Holdings: schema.org models copies a library lends as `offers` on the work — one `Offer` per
 * library, with `businessFunction` LeaseOut (GoodRelations' "lease out", i.e. lend), `offeredBy`
 * the `Library`, `availability` InStock / OutOfStock, `sku` the call number and `inventoryLevel`
 * the copies on the shelf. This is the mapping the Schema Bib Extend community group recommends
 * ("Holdings via Offer") and the one schema.org's own example of `offeredBy` shows for a library
 * catalogue; `offers` is a property of every `CreativeWork`, and `Offer` needs no price. A readable
 * digital copy is a `ReadAction` in `potentialAction`.
 */
import type { Agent, CitationEntry } from '../../codecs/citation/entry.js';
import { directName } from '../../text/person-name.js';
import type { DerivedRecord } from './derive.js';

/** MARC language codes (ISO 639-2/B) with a two-letter ISO 639-1 code, which BCP 47 prefers. */
const ISO639_1: Record<string, string> = {
  vie: 'vi', eng: 'en', fre: 'fr', ger: 'de', chi: 'zh', rus: 'ru', khm: 'km', jpn: 'ja', kor: 'ko', spa: 'es',
  ita: 'it', lao: 'lo', tha: 'th', por: 'pt', dut: 'nl', swe: 'sv', nor: 'no', dan: 'da', fin: 'fi', pol: 'pl',
  cze: 'cs', slo: 'sk', hun: 'hu', ara: 'ar', heb: 'he', hin: 'hi', ind: 'id', may: 'ms', tgl: 'tl', bur: 'my',
  tib: 'bo', gre: 'el', tur: 'tr', ukr: 'uk', bul: 'bg', rum: 'ro', lat: 'la', san: 'sa', per: 'fa', mon: 'mn',
  ben: 'bn', tam: 'ta', urd: 'ur', cat: 'ca', hrv: 'hr', srp: 'sr', slv: 'sl', est: 'et', lav: 'lv', lit: 'lt',
  ice: 'is', wel: 'cy', gle: 'ga', baq: 'eu', arm: 'hy', geo: 'ka', alb: 'sq', mac: 'mk', epo: 'eo', afr: 'af',
  swa: 'sw', nep: 'ne', sin: 'si', pan: 'pa', guj: 'gu', mar: 'mr', tel: 'te', kan: 'kn', mal: 'ml', uzb: 'uz',
  kaz: 'kk', kir: 'ky', tat: 'tt', yid: 'yi', bos: 'bs', glg: 'gl', ltz: 'lb', mlt: 'mt', fao: 'fo', amh: 'am',
  som: 'so', hau: 'ha', yor: 'yo', ibo: 'ig', zul: 'zu', xho: 'xh', mao: 'mi', haw: 'haw', smo: 'sm', ton: 'to',
};
/** MARC codes that name no language (undetermined, no linguistic content, multiple, miscellaneous). */
const NOT_LANGUAGES = new Set(['und', 'zxx', 'mul', 'mis', '|||', '   ']);

/**
 * A BCP 47 language tag for a MARC language code: the ISO 639-1 letters where there are some,
 * else the three-letter code (BCP 47 takes ISO 639-2 codes without a two-letter form).
 */
export function bcp47(marcCode: string): string | undefined {
  const c = marcCode.trim().toLowerCase();
  if (!/^[a-z]{3}$/u.test(c) || NOT_LANGUAGES.has(c)) return undefined;
  return ISO639_1[c] ?? c;
}

export interface HoldingOffer {
  library: { name: string; url?: string };
  /** Copies on the shelf now. */
  available: number;
  copies: number;
  callNumber?: string;
}

export interface SchemaOrgOptions {
  /** The record page's canonical URL (absolute). */
  url: string;
  /** A picture of the work (absolute): the digital copy's first page. */
  image?: string;
  holdings?: readonly HoldingOffer[];
  /** Where a readable digital copy is read (absolute). */
  readUrl?: string;
}

type Json = Record<string, unknown>;

function agent(a: Agent): Json {
  return a.kind === 'person' ? { '@type': 'Person', name: directName(a.name) } : { '@type': 'Organization', name: a.name };
}

/** One value as itself, several as a list, none left out. */
function oneOrMany<T>(xs: readonly T[]): T | T[] | undefined {
  if (xs.length === 0) return undefined;
  return xs.length === 1 ? xs[0] : [...xs];
}

function typeOf(e: CitationEntry): string {
  if (e.thesis) return 'Thesis';
  switch (e.type) {
    case 'book':
      return 'Book';
    case 'serial':
      return 'Periodical';
    case 'map':
      return 'Map';
    case 'article':
      return 'Article';
    default:
      return 'CreativeWork';
  }
}

/**
 * The JSON-LD object of a record's page.
 *
 * @example schemaOrgRecord(derived, entry, { url: 'https://…/record/12' })['@type'] // 'Book'
 */
export function schemaOrgRecord(derived: DerivedRecord, e: CitationEntry, opts: SchemaOrgOptions): Json {
  const type = typeOf(e);
  const book = type === 'Book';
  const out: Json = {
    '@context': 'https://schema.org',
    '@type': type,
    '@id': opts.url,
    url: opts.url,
    name: e.subtitle ? `${e.title}: ${e.subtitle}` : e.title,
  };
  const set = (key: string, value: unknown) => {
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) return;
    out[key] = value;
  };
  set('alternateName', oneOrMany(derived.alternativeTitles.map((a) => a.title)));
  set('author', oneOrMany(e.authors.map(agent)));
  set('editor', oneOrMany(e.editors.map(agent)));
  set('translator', oneOrMany(e.translators.map(agent)));
  if (e.year !== undefined) set('datePublished', String(e.year));
  const publisher = e.thesis ? undefined : e.publishers[0];
  if (publisher) set('publisher', { '@type': 'Organization', name: publisher, ...(e.place ? { location: { '@type': 'Place', name: e.place } } : {}) });
  set('inLanguage', oneOrMany(e.languages.map(bcp47).filter((l): l is string => l !== undefined)));
  set('about', oneOrMany(derived.subjects.map((s) => ({ '@type': 'Thing', name: s.heading }))));
  if (e.abstract) set('description', e.abstract.length > 5000 ? `${e.abstract.slice(0, 4999)}…` : e.abstract);
  if (book) {
    set('isbn', oneOrMany(e.isbns));
    set('numberOfPages', e.pages);
    set('bookEdition', e.edition);
    if (e.electronic) set('bookFormat', 'https://schema.org/EBook');
  } else if (e.edition) set('version', e.edition);
  if (type === 'Periodical') set('issn', oneOrMany(e.issns));
  if (e.series) {
    set('isPartOf', { '@type': book ? 'BookSeries' : 'CreativeWorkSeries', name: e.series.title });
    set('position', e.series.volume);
  }
  if (e.thesis) {
    set('inSupportOf', e.thesis.type);
    if (e.thesis.institution) set('sourceOrganization', { '@type': 'Organization', name: e.thesis.institution });
  }
  set('image', opts.image);
  if (e.doi) set('sameAs', `https://doi.org/${e.doi}`);
  set(
    'offers',
    (opts.holdings ?? []).map((h) => ({
      '@type': 'Offer',
      businessFunction: 'http://purl.org/goodrelations/v1#LeaseOut',
      availability: h.available > 0 ? 'https://schema.org/InStock' : 'https://schema.org/OutOfStock',
      offeredBy: { '@type': 'Library', name: h.library.name, ...(h.library.url ? { url: h.library.url } : {}) },
      inventoryLevel: { '@type': 'QuantitativeValue', value: h.available },
      ...(h.callNumber ? { sku: h.callNumber } : {}),
    })),
  );
  if (opts.readUrl) set('potentialAction', { '@type': 'ReadAction', target: opts.readUrl });
  return out;
}

/**
 * JSON for a `<script type="application/ld+json">` data block: `<`, `>` and `&` written as `\u003c`
 * and so on, so no value can close the script element or open a comment, and the line separators
 * U+2028/U+2029 escaped too. Still the same JSON to any parser.
 */
export function jsonLdText(data: unknown): string {
  return JSON.stringify(data).replace(/[<>&\u2028\u2029]/gu, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
