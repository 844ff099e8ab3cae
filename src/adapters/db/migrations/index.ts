/**
 * Migrations, in order. Each is written once for both databases with Kysely's schema builder;
 * where the dialects differ (identity columns, timestamp type, triggers) the helpers say so.
 */
import type { Migration, MigrationProvider } from 'kysely';
import type { Dialect } from '../schema.js';
import { m001Foundation } from './001-foundation.js';
import { m002Catalogue } from './002-catalogue.js';
import { m003Search } from './003-search.js';
import { m004Digital } from './004-digital.js';
import { m005Readers } from './005-readers.js';
import { m006Sites } from './006-sites.js';
import { m007Browse } from './007-browse.js';
import { m008Interop } from './008-interop.js';
import { m009PhrasePairs } from './009-phrase-pairs.js';
import { m010PhrasePairsPostgres } from './010-phrase-pairs-postgres.js';
import { m011MatchTable } from './011-match-table.js';
import { m012TitleKeyIndex } from './012-title-key-index.js';
import { m013SeqIndex } from './013-seq-index.js';

export function migrationProvider(dialect: Dialect): MigrationProvider {
  const all: Record<string, Migration> = {
    '001-foundation': m001Foundation(dialect),
    '002-catalogue': m002Catalogue(dialect),
    '003-search': m003Search(dialect),
    '004-digital': m004Digital(dialect),
    '005-readers': m005Readers(dialect),
    '006-sites': m006Sites(dialect),
    '007-browse': m007Browse(dialect),
    '008-interop': m008Interop(dialect),
    '009-phrase-pairs': m009PhrasePairs(dialect),
    '010-phrase-pairs-postgres': m010PhrasePairsPostgres(dialect),
    '011-match-table': m011MatchTable(dialect),
    '012-title-key-index': m012TitleKeyIndex(dialect),
    '013-seq-index': m013SeqIndex(dialect),
  };
  return { getMigrations: async () => all };
}
