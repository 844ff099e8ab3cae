import { sql, type Kysely, type Selectable, type SelectQueryBuilder } from 'kysely';
import type { Database, Dialect, SiteImagesTable, SitePostsTable, SiteSettingsTable } from '../schema.js';
import { toIso } from '../schema.js';
import type { PostListFilter, SiteImage, SiteImageVariant, SitePost, SiteRepository, SiteSettingsRow } from '../../../app/sites/ports.js';
import type { PostKind, PostState } from '../../../domain/sites/post.js';

function toSettings(r: Selectable<SiteSettingsTable>): SiteSettingsRow {
  return {
    unitId: r.unit_id,
    published: r.published === 1,
    publishedAt: toIso(r.published_at),
    accentColor: r.accent_color,
    logoImageId: r.logo_image_id,
    bannerImageId: r.banner_image_id,
    introVi: r.intro_vi,
    introEn: r.intro_en,
    version: r.version,
    updatedAt: toIso(r.updated_at),
    updatedBy: r.updated_by,
  };
}

function toImage(r: Selectable<SiteImagesTable>): SiteImage {
  return {
    id: r.id,
    unitId: r.unit_id,
    sha256: r.sha256,
    mediaType: r.media_type,
    size: Number(r.size),
    width: r.width,
    height: r.height,
    name: r.name,
    variants: JSON.parse(r.variants) as SiteImageVariant[],
    createdAt: toIso(r.created_at),
    createdBy: r.created_by,
  };
}

function toPost(r: Selectable<SitePostsTable>): SitePost {
  return {
    id: r.id,
    unitId: r.unit_id,
    kind: r.kind as PostKind,
    title: r.title,
    body: r.body,
    leadImageId: r.lead_image_id,
    startsAt: toIso(r.starts_at),
    endsAt: toIso(r.ends_at),
    place: r.place,
    state: r.state as PostState,
    publishedAt: toIso(r.published_at),
    authorId: r.author_id,
    version: r.version,
    createdAt: toIso(r.created_at),
    updatedAt: toIso(r.updated_at),
    updatedBy: r.updated_by,
  };
}

type PostQuery = SelectQueryBuilder<Database, 'site_posts', object>;

export class KyselySiteRepository implements SiteRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>, _dialect: Dialect) {
    this.#db = db;
  }

  async getSettings(unitId: number): Promise<SiteSettingsRow | undefined> {
    const r = await this.#db.selectFrom('site_settings').selectAll().where('unit_id', '=', unitId).executeTakeFirst();
    return r ? toSettings(r) : undefined;
  }

  async saveSettings(unitId: number, s: Parameters<SiteRepository['saveSettings']>[1], by: number | null, now: string, version?: number): Promise<boolean> {
    const set: Record<string, unknown> = { updated_at: now, updated_by: by };
    if (s.published !== undefined) set.published = s.published ? 1 : 0;
    if (s.publishedAt !== undefined) set.published_at = s.publishedAt;
    if (s.accentColor !== undefined) set.accent_color = s.accentColor;
    if (s.logoImageId !== undefined) set.logo_image_id = s.logoImageId;
    if (s.bannerImageId !== undefined) set.banner_image_id = s.bannerImageId;
    if (s.introVi !== undefined) set.intro_vi = s.introVi;
    if (s.introEn !== undefined) set.intro_en = s.introEn;
    const exists = await this.#db.selectFrom('site_settings').select('version').where('unit_id', '=', unitId).executeTakeFirst();
    if (!exists) {
      if (version !== undefined && version !== 0) return false;
      // Two first saves at once: the second finds the row taken and is told its version is stale.
      const r = await this.#db
        .insertInto('site_settings')
        .values({ unit_id: unitId, published: 0, updated_at: now, ...(set as object) })
        .onConflict((oc) => oc.column('unit_id').doNothing())
        .executeTakeFirst();
      return Number(r.numInsertedOrUpdatedRows ?? 0) === 1;
    }
    let q = this.#db
      .updateTable('site_settings')
      .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
      .where('unit_id', '=', unitId);
    if (version !== undefined) q = q.where('version', '=', version);
    const r = await q.executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async publishedSites(): Promise<{ unitId: number; publishedAt: string }[]> {
    const rows = await this.#db.selectFrom('site_settings').select(['unit_id', 'published_at']).where('published', '=', 1).orderBy('published_at').orderBy('unit_id').execute();
    return rows.map((r) => ({ unitId: r.unit_id, publishedAt: toIso(r.published_at) ?? '' }));
  }

  async insertImage(i: Omit<SiteImage, 'id'>): Promise<SiteImage> {
    const r = await this.#db
      .insertInto('site_images')
      .values({
        unit_id: i.unitId,
        sha256: i.sha256,
        media_type: i.mediaType,
        size: i.size,
        width: i.width,
        height: i.height,
        name: i.name,
        variants: JSON.stringify(i.variants),
        created_at: i.createdAt,
        created_by: i.createdBy,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { ...i, id: r.id };
  }

  async getImage(id: number): Promise<SiteImage | undefined> {
    const r = await this.#db.selectFrom('site_images').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toImage(r) : undefined;
  }

  async getImages(ids: readonly number[]): Promise<SiteImage[]> {
    if (ids.length === 0) return [];
    const rows = await this.#db.selectFrom('site_images').selectAll().where('id', 'in', [...ids]).execute();
    return rows.map(toImage);
  }

  async imageBySha(sha256: string): Promise<SiteImage | undefined> {
    const r = await this.#db.selectFrom('site_images').selectAll().where('sha256', '=', sha256).orderBy('id').limit(1).executeTakeFirst();
    return r ? toImage(r) : undefined;
  }

  async imagesOf(unitId: number, limit: number): Promise<SiteImage[]> {
    const rows = await this.#db.selectFrom('site_images').selectAll().where('unit_id', '=', unitId).orderBy('id', 'desc').limit(limit).execute();
    return rows.map(toImage);
  }

  async insertPost(p: Parameters<SiteRepository['insertPost']>[0], now: string): Promise<SitePost> {
    const r = await this.#db
      .insertInto('site_posts')
      .values({
        unit_id: p.unitId,
        kind: p.kind,
        title: p.title,
        body: p.body,
        lead_image_id: p.leadImageId,
        starts_at: p.startsAt,
        ends_at: p.endsAt,
        place: p.place,
        state: p.state,
        published_at: p.publishedAt,
        author_id: p.authorId,
        created_at: now,
        updated_at: now,
        updated_by: p.authorId,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return (await this.getPost(r.id))!;
  }

  async getPost(id: number): Promise<SitePost | undefined> {
    const r = await this.#db.selectFrom('site_posts').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? toPost(r) : undefined;
  }

  async updatePost(id: number, p: Parameters<SiteRepository['updatePost']>[1], by: number | null, now: string, version: number): Promise<boolean> {
    const set: Record<string, unknown> = { updated_at: now, updated_by: by };
    if (p.kind !== undefined) set.kind = p.kind;
    if (p.title !== undefined) set.title = p.title;
    if (p.body !== undefined) set.body = p.body;
    if (p.leadImageId !== undefined) set.lead_image_id = p.leadImageId;
    if (p.startsAt !== undefined) set.starts_at = p.startsAt;
    if (p.endsAt !== undefined) set.ends_at = p.endsAt;
    if (p.place !== undefined) set.place = p.place;
    if (p.state !== undefined) set.state = p.state;
    if (p.publishedAt !== undefined) set.published_at = p.publishedAt;
    const r = await this.#db
      .updateTable('site_posts')
      .set((eb) => ({ ...set, version: eb('version', '+', 1) }))
      .where('id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows) === 1;
  }

  async deletePost(id: number): Promise<void> {
    await this.#db.deleteFrom('site_posts').where('id', '=', id).execute();
  }

  /** Posts of published websites of libraries still open, when `publicOnly`. */
  #scoped(q: PostQuery, f: { unitIds?: readonly number[]; publicOnly?: boolean; kind?: PostKind }): PostQuery {
    if (f.unitIds) q = f.unitIds.length === 0 ? q.where(sql<boolean>`1 = 0`) : q.where('site_posts.unit_id', 'in', [...f.unitIds]);
    if (f.kind) q = q.where('site_posts.kind', '=', f.kind);
    if (f.publicOnly) {
      q = q.where((eb) =>
        eb.exists(
          eb
            .selectFrom('site_settings')
            .innerJoin('org_units', 'org_units.id', 'site_settings.unit_id')
            .select(sql`1`.as('one'))
            .whereRef('site_settings.unit_id', '=', 'site_posts.unit_id')
            .where('site_settings.published', '=', 1)
            .where('org_units.status', '=', 'active'),
        ),
      );
    }
    return q;
  }

  async listPosts(f: PostListFilter): Promise<SitePost[]> {
    let q = this.#scoped(this.#db.selectFrom('site_posts'), f);
    if (f.state) q = q.where('site_posts.state', '=', f.state);
    q = f.state === 'published' ? q.orderBy('site_posts.published_at', 'desc') : q.orderBy('site_posts.updated_at', 'desc');
    const rows = await q
      .selectAll('site_posts')
      .orderBy('site_posts.id', 'desc')
      .limit(f.limit)
      .offset(f.offset ?? 0)
      .execute();
    return rows.map(toPost);
  }

  async countPosts(unitId: number): Promise<Record<PostState, number>> {
    const rows = await this.#db
      .selectFrom('site_posts')
      .select(['state', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('unit_id', '=', unitId)
      .groupBy('state')
      .execute();
    const out: Record<PostState, number> = { draft: 0, published: 0 };
    for (const r of rows) if (r.state === 'draft' || r.state === 'published') out[r.state] = Number(r.n);
    return out;
  }

  async countPublished(f: Parameters<SiteRepository['countPublished']>[0]): Promise<number> {
    const r = await this.#scoped(this.#db.selectFrom('site_posts'), f)
      .where('site_posts.state', '=', 'published')
      .select((eb) => eb.fn.countAll<number | string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  async upcomingEvents(f: Parameters<SiteRepository['upcomingEvents']>[0]): Promise<SitePost[]> {
    const rows = await this.#scoped(this.#db.selectFrom('site_posts'), { ...f, kind: 'event' })
      .where('site_posts.state', '=', 'published')
      .where((eb) => eb(eb.fn.coalesce('site_posts.ends_at', 'site_posts.starts_at'), '>=', f.now))
      .selectAll('site_posts')
      .orderBy('site_posts.starts_at')
      .orderBy('site_posts.id')
      .limit(f.limit)
      .execute();
    return rows.map(toPost);
  }
}
