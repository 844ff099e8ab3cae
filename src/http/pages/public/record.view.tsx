/**
 * Pieces of the public record page (`/record/:id`, in search.pages.tsx) and of search results:
 * the head's machine-readable description (JSON-LD, Google Scholar and Open Graph book tags),
 * citations, exports, sharing, and the generated cover of a result without a picture.
 *
 * All of it works without JavaScript: citations are text to select (a click selects a whole one,
 * by CSS), exports and shares are plain links. `cite-copy.js` adds a copy button when it runs.
 */
import type { ComponentChildren } from 'preact';
import { CITATION_STYLES, type Citation, type CitationStyle } from '../../../domain/catalog/cite.js';
import type { CitationEntry } from '../../../codecs/citation/entry.js';
import { jsonLdText } from '../../../domain/catalog/schema-org.js';
import { directName } from '../../../text/person-name.js';
import { fold } from '../../../text/fold.js';
import type { MessageKey } from '../../../i18n/i18n.js';
import type { PageCtx } from '../render.js';

/** The formats a record is exported in, by file extension. */
export const RECORD_EXPORTS = {
  ris: { type: 'application/x-research-info-systems; charset=utf-8', label: 'record.export.ris' },
  bib: { type: 'application/x-bibtex; charset=utf-8', label: 'record.export.bib' },
  mrc: { type: 'application/marc', label: 'record.export.mrc' },
  xml: { type: 'application/marcxml+xml; charset=utf-8', label: 'record.export.xml' },
} as const satisfies Record<string, { type: string; label: MessageKey }>;
export type RecordExport = keyof typeof RECORD_EXPORTS;

/**
 * What goes in <head> for a record: JSON-LD as a data block (not a script the CSP would have to
 * allow: browsers never run `application/ld+json`), Scholar's tags when there are any, and Open
 * Graph's `book:` tags.
 */
export function RecordHead({ jsonLd, scholar, entry }: { jsonLd: unknown; scholar: ReadonlyArray<readonly [string, string]>; entry: CitationEntry }) {
  const book = entry.type === 'book' || entry.type === 'thesis';
  return (
    <>
      <script type="application/ld+json" dangerouslySetInnerHTML={{ __html: jsonLdText(jsonLd) }} />
      {scholar.map(([name, content]) => (
        <meta name={name} content={content} />
      ))}
      {book
        ? entry.authors.filter((a) => a.kind === 'person').map((a) => <meta property="book:author" content={a.kind === 'person' ? directName(a.name) : ''} />)
        : null}
      {book && entry.isbns[0] ? <meta property="book:isbn" content={entry.isbns[0]} /> : null}
      {book && entry.year !== undefined ? <meta property="book:release_date" content={String(entry.year)} /> : null}
    </>
  );
}

const STYLE_LABEL: Record<CitationStyle, MessageKey> = { apa: 'record.cite.apa', mla: 'record.cite.mla', chicago: 'record.cite.chicago', iso690: 'record.cite.iso690' };

export function CiteSection({ ctx, citations }: { ctx: PageCtx; citations: readonly Citation[] }) {
  const { t } = ctx;
  const byStyle = new Map(citations.map((c) => [c.style, c]));
  return (
    <section class="card record-cite" aria-labelledby="cite-heading" data-copy-label={t('record.cite.copy')} data-copied-label={t('record.cite.copied')} data-copy-failed={t('record.cite.copyFailed')}>
      <h2 id="cite-heading">{t('record.cite.title')}</h2>
      <p class="small muted cite-intro">{t('record.cite.intro')}</p>
      {CITATION_STYLES.map((style, i) => {
        const c = byStyle.get(style);
        if (!c) return null;
        return (
          <details class="cite-style" open={i === 0}>
            <summary>{t(STYLE_LABEL[style])}</summary>
            <p class="citation" id={`cite-${style}`}>
              {c.parts.map((p) => (p.italic ? <i>{p.text}</i> : p.text))}
            </p>
          </details>
        );
      })}
      <p class="small muted">{t('record.cite.note')}</p>
    </section>
  );
}

export function ExportSection({ ctx, id }: { ctx: PageCtx; id: number }) {
  const { t } = ctx;
  return (
    <section class="card record-export" aria-labelledby="export-heading">
      <h2 id="export-heading">{t('record.export.title')}</h2>
      <p class="small muted">{t('record.export.intro')}</p>
      <ul class="export-links">
        {(Object.keys(RECORD_EXPORTS) as RecordExport[]).map((ext) => (
          <li>
            <a href={`/record/${id}/export.${ext}`} type={RECORD_EXPORTS[ext].type.split(';')[0]} download>
              {t(RECORD_EXPORTS[ext].label)}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Plain share links: no script from another site is loaded; the reader's click leaves for it. */
export function ShareSection({ ctx, url, title }: { ctx: PageCtx; url: string; title: string }) {
  const { t } = ctx;
  const enc = encodeURIComponent;
  const mail = `mailto:?subject=${enc(title.slice(0, 200))}&body=${enc(`${t('record.share.emailBody', { title: title.slice(0, 200) })}\n${url}`)}`;
  return (
    <section class="card record-share" aria-labelledby="share-heading">
      <h2 id="share-heading">{t('record.share.title')}</h2>
      <label for="share-url">{t('record.share.link')}</label>
      <input id="share-url" class="share-url" type="url" readOnly value={url} />
      <ul class="share-links">
        <li>
          <a href={mail}>{t('record.share.email')}</a>
        </li>
        <li>
          <a href={`https://sp.zalo.me/share?url=${enc(url)}`} rel="noopener noreferrer nofollow" target="_blank">
            {t('record.share.zalo')}
          </a>
        </li>
        <li>
          <a href={`https://www.facebook.com/sharer/sharer.php?u=${enc(url)}`} rel="noopener noreferrer nofollow" target="_blank">
            {t('record.share.facebook')}
          </a>
        </li>
      </ul>
    </section>
  );
}

/** The mark of a material on a generated cover. */
const MATERIAL_MARK: Record<string, string> = {
  book: '▤',
  'e-book': '◫',
  serial: '▥',
  article: '¶',
  map: '◎',
  score: '♪',
  'sound-recording': '♫',
  video: '▶',
  image: '▣',
  'computer-file': '◫',
  kit: '▦',
  'mixed-materials': '▦',
  object: '◆',
  manuscript: '✎',
  thesis: '❖',
  other: '▢',
};

/** Two letters for a generated cover: the first letters of the title's first two words. */
export function coverInitials(title: string): string {
  const words = title
    .replace(/^\s*(?:the|a|an|le|la|les|l’|l')\s+/iu, '')
    .split(/[\s\-–—:;,.]+/u)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+/u, ''))
    .filter((w) => w !== '');
  return words
    .slice(0, 2)
    .map((w) => [...w][0]!.toUpperCase())
    .join('');
}

/**
 * A result's cover: the digital copy's first page when it may be read, else a block drawn by CSS —
 * the material's mark, the title's initials, the material's colour — so no image is fetched.
 */
export function Cover({ material, title, thumbnail }: { material: string; title: string; thumbnail: string | null }): ComponentChildren {
  if (thumbnail) return <img class="result-cover result-cover-img" src={thumbnail} alt="" width={64} height={86} loading="lazy" decoding="async" />;
  const kind = Object.hasOwn(MATERIAL_MARK, material) ? material : 'other';
  // A stable second colour per title, so a page of books is not one block repeated.
  const shade = [...fold(title)].reduce((n, c) => (n * 31 + c.charCodeAt(0)) % 997, 7) % 3;
  return (
    <span class={`result-cover cover-${kind} cover-shade-${shade}`} aria-hidden="true">
      <span class="cover-mark">{MATERIAL_MARK[kind]}</span>
      <span class="cover-initials">{coverInitials(title)}</span>
    </span>
  );
}
