import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../schema.js';
import { browseIndexStatement } from '../../search/schema.js';
import { browseKey } from '../../../domain/browse/alphabet.js';

/**
 * The A–Z lists of authors and subjects: `search_headings` gains `browse_key` (the heading's
 * Vietnamese filing key, see `src/domain/browse/alphabet.ts`) and an index on it, so a page of
 * one letter is one range read of that index however large the catalogue.
 *
 * Databases created after this change get both from `003-search` (which builds the search tables
 * from `src/adapters/search/schema.ts`); older ones get them here, with the keys of the headings
 * already counted computed in batches.
 */
export function m007Browse(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      const has =
        dialect === 'sqlite'
          ? (await sql<{ name: string }>`select name from pragma_table_info('search_headings')`.execute(db)).rows.some((r) => r.name === 'browse_key')
          : (await sql`select 1 from information_schema.columns where table_schema = current_schema() and table_name = 'search_headings' and column_name = 'browse_key'`.execute(db)).rows.length > 0;
      if (has) return;
      await sql.raw(`alter table search_headings add column browse_key text${dialect === 'postgres' ? ' collate "C"' : ''}`).execute(db);
      let after: { kind: string; heading: string } | null = null;
      for (;;) {
        const page: { kind: string; heading: string }[] = (
          after
            ? await sql<{ kind: string; heading: string }>`select kind, heading from search_headings where kind <> 'title' and (kind, heading) > (${after.kind}, ${after.heading}) order by kind, heading limit 2000`.execute(db)
            : await sql<{ kind: string; heading: string }>`select kind, heading from search_headings where kind <> 'title' order by kind, heading limit 2000`.execute(db)
        ).rows;
        if (dialect === 'postgres') {
          // One statement a batch: a round trip per heading would take minutes on a large catalogue.
          await sql`update search_headings h set browse_key = v.k from unnest(${page.map((r) => r.kind)}::text[], ${page.map((r) => r.heading)}::text[], ${page.map((r) => browseKey(r.heading))}::text[]) as v(kind, heading, k) where h.kind = v.kind and h.heading = v.heading`.execute(db);
        } else {
          for (const r of page) await sql`update search_headings set browse_key = ${browseKey(r.heading)} where kind = ${r.kind} and heading = ${r.heading}`.execute(db);
        }
        if (page.length < 2000) break;
        after = page[page.length - 1]!;
      }
      await sql.raw(browseIndexStatement('')).execute(db);
    },
    async down(db: Kysely<unknown>) {
      await sql`drop index if exists search_headings_browse`.execute(db);
      await sql`alter table search_headings drop column browse_key`.execute(db);
    },
  };
}
