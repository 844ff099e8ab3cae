/**
 * How library websites show their pieces: images in two widths and two formats, a post's body
 * from its parsed tree (every string escaped by Preact), news and event cards, and the per-library
 * stylesheet made from the library's validated accent colour (the CSP forbids inline styles).
 * Shared by the public pages and the staff editor's preview.
 */
import type { ComponentChildren } from 'preact';
import type { OrgUnit } from '../../../domain/org/unit.js';
import type { AccentPalette } from '../../../domain/sites/colour.js';
import { excerpt, parseBody, type Block, type Inline, type ParsedBody } from '../../../domain/sites/post-body.js';
import type { SiteImage, SitePost } from '../../../app/sites/ports.js';
import type { SiteView } from '../../../app/sites/site.service.js';
import type { MessageKey } from '../../../i18n/i18n.js';
import { unitName, type PageCtx } from '../render.js';

const ZONE = 'Asia/Ho_Chi_Minh';

/** The address of one stored copy of an image. */
export function mediaUrl(image: Pick<SiteImage, 'sha256'>, w: number, format: 'webp' | 'jpeg'): string {
  return `/site-media/${image.sha256}-${w}.${format === 'webp' ? 'webp' : 'jpg'}`;
}

/** An uploaded image as a <picture>: WebP where the browser takes it, JPEG otherwise, the width the layout needs. */
export function Picture({ image, alt, sizes, class: cls, eager }: { image: SiteImage; alt: string; sizes: string; class?: string; eager?: boolean }) {
  const widths = [...new Set(image.variants.map((v) => v.w))].sort((a, b) => a - b);
  const set = (format: 'webp' | 'jpeg') =>
    widths
      .map((w) => {
        const v = image.variants.find((x) => x.w === w && x.format === format);
        return v ? `${mediaUrl(image, w, format)} ${v.width}w` : null;
      })
      .filter(Boolean)
      .join(', ');
  const largest = image.variants.filter((v) => v.format === 'jpeg').sort((a, b) => b.width - a.width)[0];
  return (
    <picture class={cls}>
      <source type="image/webp" srcset={set('webp')} sizes={sizes} />
      <img
        src={largest ? mediaUrl(image, largest.w, 'jpeg') : ''}
        srcset={set('jpeg')}
        sizes={sizes}
        alt={alt}
        width={largest?.width ?? image.width}
        height={largest?.height ?? image.height}
        loading={eager ? 'eager' : 'lazy'}
        decoding="async"
      />
    </picture>
  );
}

function Inlines({ nodes }: { nodes: readonly Inline[] }) {
  return (
    <>
      {nodes.map((n) => {
        switch (n.kind) {
          case 'text':
            return n.text;
          case 'break':
            return <br />;
          case 'strong':
            return (
              <strong>
                <Inlines nodes={n.children} />
              </strong>
            );
          case 'em':
            return (
              <em>
                <Inlines nodes={n.children} />
              </em>
            );
          case 'link':
            return (
              <a href={n.href} rel={n.internal ? undefined : 'noopener'}>
                <Inlines nodes={n.children} />
              </a>
            );
        }
      })}
    </>
  );
}

function BlockView({ block, images, ctx, headingLevel }: { block: Block; images: ReadonlyMap<number, SiteImage>; ctx: PageCtx; headingLevel: 2 | 3 }) {
  switch (block.kind) {
    case 'paragraph':
      return (
        <p>
          <Inlines nodes={block.children} />
        </p>
      );
    case 'heading':
      return headingLevel === 2 ? (
        <h2>
          <Inlines nodes={block.children} />
        </h2>
      ) : (
        <h3>
          <Inlines nodes={block.children} />
        </h3>
      );
    case 'list':
      return (
        <ul>
          {block.items.map((item) => (
            <li>
              <Inlines nodes={item} />
            </li>
          ))}
        </ul>
      );
    case 'image': {
      const image = images.get(block.imageId);
      if (!image) return <p class="muted small">{ctx.t('sites.body.imageMissing', { image: block.imageId })}</p>;
      return (
        <figure class="post-figure">
          <Picture image={image} alt={block.alt} sizes="(min-width: 48rem) 44rem, 100vw" />
          {block.alt ? <figcaption>{block.alt}</figcaption> : null}
        </figure>
      );
    }
  }
}

/**
 * A body in the small text format. `images` holds the library's own images the body may show
 * (an image of another library is never looked up). Headings are h2 on a post's own page, h3
 * where the body sits under a section's h2.
 */
export function PostBody({ ctx, body, images, headingLevel = 2 }: { ctx: PageCtx; body: string | ParsedBody; images: ReadonlyMap<number, SiteImage>; headingLevel?: 2 | 3 }) {
  const parsed = typeof body === 'string' ? parseBody(body) : body;
  return (
    <div class="post-body">
      {parsed.blocks.map((b) => (
        <BlockView block={b} images={images} ctx={ctx} headingLevel={headingLevel} />
      ))}
    </div>
  );
}

const intl = (ctx: PageCtx) => (ctx.locale === 'vi' ? 'vi-VN' : 'en-GB');

/** A date (with the time unless `withTime` is false) in the network's time zone: "15/3/2026, 10:00" or "15 March 2026". */
export function formatWhen(ctx: PageCtx, iso: string, withTime = true): string {
  const d = new Date(iso);
  const date = new Intl.DateTimeFormat(intl(ctx), { day: 'numeric', month: ctx.locale === 'vi' ? 'numeric' : 'long', year: 'numeric', timeZone: ZONE }).format(d);
  return withTime ? `${date}, ${clock(ctx, iso)}` : date;
}

function clock(ctx: PageCtx, iso: string): string {
  return new Intl.DateTimeFormat(intl(ctx), { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: ZONE }).format(new Date(iso));
}

function dayOf(ctx: PageCtx, iso: string): string {
  const d = new Date(iso);
  const weekday = new Intl.DateTimeFormat(intl(ctx), { weekday: 'long', timeZone: ZONE }).format(d);
  const date = new Intl.DateTimeFormat(intl(ctx), { day: 'numeric', month: ctx.locale === 'vi' ? 'numeric' : 'short', year: 'numeric', timeZone: ZONE }).format(d);
  return `${weekday.charAt(0).toUpperCase()}${weekday.slice(1)}, ${date}`;
}

function sameDay(a: string, b: string): boolean {
  const day = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: ZONE }).format(new Date(iso));
  return day(a) === day(b);
}

/** When an event happens: "Thứ Sáu, 27/3/2026, 07:30 – 11:00", or two days when it spans several. */
export function eventWhen(ctx: PageCtx, post: Pick<SitePost, 'startsAt' | 'endsAt'>): string {
  if (!post.startsAt) return '';
  const start = `${dayOf(ctx, post.startsAt)}, ${clock(ctx, post.startsAt)}`;
  if (!post.endsAt) return start;
  if (sameDay(post.startsAt, post.endsAt)) return `${start} – ${clock(ctx, post.endsAt)}`;
  return `${start} – ${dayOf(ctx, post.endsAt)}, ${clock(ctx, post.endsAt)}`;
}

export function KindBadge({ ctx, kind }: { ctx: PageCtx; kind: SitePost['kind'] }) {
  return <span class={`badge badge-post-${kind}`}>{ctx.t(`sites.kind.${kind}` as MessageKey)}</span>;
}

/** What an event card or page says about when and where. */
export function EventFacts({ ctx, post }: { ctx: PageCtx; post: SitePost }) {
  if (post.kind !== 'event' || !post.startsAt) return null;
  return (
    <dl class="event-facts">
      <dt>{ctx.t('sites.event.when')}</dt>
      <dd>
        <time dateTime={post.startsAt}>{eventWhen(ctx, post)}</time>
      </dd>
      {post.place ? (
        <>
          <dt>{ctx.t('sites.event.where')}</dt>
          <dd>{post.place}</dd>
        </>
      ) : null}
    </dl>
  );
}

export function postUrl(unit: Pick<OrgUnit, 'slug'>, post: Pick<SitePost, 'id'>): string {
  return `/l/${unit.slug}/news/${post.id}`;
}

/**
 * One post in a list: its lead image, title (a link), date, what and when for an event, and its
 * opening words. `unit`, when given, names the library (the network-wide lists).
 */
export function PostCard({ ctx, post, owner, images, headingLevel = 3, showLibrary = false }: { ctx: PageCtx; post: SitePost; owner: OrgUnit; images: ReadonlyMap<number, SiteImage>; headingLevel?: 2 | 3; showLibrary?: boolean }) {
  const lead = post.leadImageId ? images.get(post.leadImageId) : undefined;
  const usableLead = lead && lead.unitId === post.unitId ? lead : undefined;
  const text = excerpt(parseBody(post.body), 180);
  const title = <a href={postUrl(owner, post)}>{post.title}</a>;
  return (
    <article class={`post-card${usableLead ? ' has-image' : ''}`}>
      {usableLead ? <Picture image={usableLead} alt="" sizes="(min-width: 48rem) 12rem, 7rem" class="post-card-image" /> : null}
      <div class="post-card-text">
        {headingLevel === 2 ? <h2 class="post-card-title">{title}</h2> : <h3 class="post-card-title">{title}</h3>}
        <p class="post-card-meta">
          <KindBadge ctx={ctx} kind={post.kind} />{' '}
          {post.kind === 'event' && post.startsAt ? <time dateTime={post.startsAt}>{eventWhen(ctx, post)}</time> : post.publishedAt ? <time dateTime={post.publishedAt}>{formatWhen(ctx, post.publishedAt, false)}</time> : null}
          {post.kind === 'event' && post.place ? <span class="post-card-place">{` · ${post.place}`}</span> : null}
          {showLibrary ? (
            <>
              {' · '}
              <a href={`/l/${owner.slug}`} class="post-card-library">
                {unitName(ctx, owner)}
              </a>
            </>
          ) : null}
        </p>
        {text ? <p class="post-card-excerpt">{text}</p> : null}
      </div>
    </article>
  );
}

/** A list of post cards, or a short line saying there is none. */
export function PostList({ ctx, posts, units, images, empty, showLibrary, headingLevel }: { ctx: PageCtx; posts: readonly SitePost[]; units: ReadonlyMap<number, OrgUnit>; images: ReadonlyMap<number, SiteImage>; empty?: string; showLibrary?: boolean; headingLevel?: 2 | 3 }) {
  const shown = posts.filter((p) => units.has(p.unitId));
  if (shown.length === 0) return empty ? <p class="muted">{empty}</p> : null;
  return (
    <ul class="post-list">
      {shown.map((p) => (
        <li>
          <PostCard ctx={ctx} post={p} owner={units.get(p.unitId)!} images={images} showLibrary={showLibrary} headingLevel={headingLevel} />
        </li>
      ))}
    </ul>
  );
}

/** The CSS variables of a palette, for the per-library stylesheet and the staff preview. */
export function paletteCss(p: AccentPalette, selector = ':root'): string {
  return `${selector}{--site-accent:${p.accent};--site-accent-dark:${p.dark};--site-tint:${p.tint};--site-line:${p.line}}\n`;
}

/**
 * A library's own stylesheet: its palette, and the site's header in its accent. Every value comes
 * from `accentPalette`, which only ever returns `#rrggbb`, so nothing typed by anyone reaches CSS.
 */
export function libraryCss(view: Pick<SiteView, 'palette'>): string {
  const p = view.palette;
  return `${paletteCss(p)}.site-header{background:${p.accent}}\n.site-header .brand img{box-shadow:0 0 0 2px ${p.dark}}\n`;
}

/** The address of a library's stylesheet; it changes whenever the settings do, so it may be cached for good. */
export function libraryCssUrl(view: Pick<SiteView, 'unit' | 'version' | 'palette'>): string {
  return `/l/${view.unit.slug}/site.css?v=${view.version}-${view.palette.accent.slice(1)}`;
}

export function Section({ id, title, children, more, class: cls }: { id: string; title: string; children: ComponentChildren; more?: { href: string; text: string } | undefined; class?: string }) {
  return (
    <section class={`site-section${cls ? ` ${cls}` : ''}`} aria-labelledby={id}>
      <div class="site-section-head">
        <h2 id={id}>{title}</h2>
        {more ? (
          <a href={more.href} class="more-link">
            {more.text}
          </a>
        ) : null}
      </div>
      {children}
    </section>
  );
}
