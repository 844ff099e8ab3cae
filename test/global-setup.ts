/**
 * Finds out once per test run which real services are here: PostgreSQL and Chromium. Tests that
 * need a missing one are skipped with a plain message, unless `.ci/run` made them required
 * (`LIENTHONG_REQUIRE_PG=1`, `LIENTHONG_REQUIRE_BROWSER=1`), in which case the run fails here.
 *
 * It also migrates one template database per dialect, which `tempDatabase` copies for every test
 * instead of migrating each one afresh, and removes all the run's databases when it ends (see
 * `databases.ts`).
 */
import { existsSync } from 'node:fs';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { setUpRunDatabases, type RunDatabases } from './databases.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgUrl: string | null;
    chromium: string | null;
    databases: RunDatabases;
  }
}

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

async function probePostgres(url: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    return null;
  } catch (e) {
    return e instanceof Error ? e.message : String(e);
  } finally {
    await client.end().catch(() => {});
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const pgUrl = process.env.LIENTHONG_TEST_PG_URL || DEFAULT_PG_URL;
  const pgProblem = await probePostgres(pgUrl);
  const chromium = process.env.LIENTHONG_CHROMIUM || '/usr/bin/chromium';
  const haveChromium = existsSync(chromium);

  const skipped: string[] = [];
  if (pgProblem) {
    const msg = `PostgreSQL tests: no server at ${pgUrl} (${pgProblem})`;
    if (process.env.LIENTHONG_REQUIRE_PG === '1') throw new Error(`${msg}; LIENTHONG_REQUIRE_PG=1 makes them required`);
    skipped.push(msg);
  }
  if (!haveChromium) {
    const msg = `browser tests: no Chromium at ${chromium} (install Debian's chromium or set LIENTHONG_CHROMIUM)`;
    if (process.env.LIENTHONG_REQUIRE_BROWSER === '1') throw new Error(`${msg}; LIENTHONG_REQUIRE_BROWSER=1 makes them required`);
    skipped.push(msg);
  }
  // Clients and validators we did not write, for the OAI-PMH and SRU tests.
  const tools: [string, string][] = [
    ['/usr/bin/xmllint', 'libxml2-utils (XML Schema checks of OAI-PMH and SRU responses)'],
    ['/usr/bin/yaz-client', 'yaz (an SRU client)'],
    ['/usr/bin/oai_pmh', 'libhttp-oai-perl (an OAI-PMH harvester)'],
  ];
  const missingTools = tools.filter(([path]) => !existsSync(path));
  if (missingTools.length) {
    const msg = `tests with external tools: missing ${missingTools.map(([path, pkg]) => `${path} (Debian ${pkg})`).join(', ')}`;
    const req = process.env.LIENTHONG_REQUIRE_TOOLS;
    if (req !== undefined && req !== '' && req !== '0') throw new Error(`${msg}; LIENTHONG_REQUIRE_TOOLS makes them required`);
    skipped.push(msg);
  }
  if (skipped.length) {
    console.warn(`\nSKIPPED (the rest runs):\n${skipped.map((s) => `  - ${s}`).join('\n')}\n`);
  } else {
    console.log(`\nPostgreSQL at ${pgUrl}, Chromium at ${chromium}, xmllint, yaz-client and oai_pmh: all tests run.\n`);
  }
  project.provide('pgUrl', pgProblem ? null : pgUrl);
  project.provide('chromium', haveChromium ? chromium : null);

  const { run, teardown } = await setUpRunDatabases(pgProblem ? null : pgUrl);
  project.provide('databases', run);
  return teardown;
}
