/**
 * Validating what we write against XML Schemas with libxml2's `xmllint` (Debian package
 * `libxml2-utils`), offline (`--nonet`: the schemas' imports are local copies, see
 * `test/fixtures/xsd/`).
 *
 * When xmllint is missing, the tests that need it are skipped with a plain message — unless
 * `LIENTHONG_REQUIRE_TOOLS` is set (to anything but `0` or an empty string; `.ci/run` sets `1`,
 * as for `LIENTHONG_REQUIRE_PG` and `LIENTHONG_REQUIRE_BROWSER`), in which case they fail.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';

/** `/usr/bin/xmllint`, or `LIENTHONG_XMLLINT` (as `LIENTHONG_CHROMIUM` names another Chromium). */
export const XMLLINT = process.env.LIENTHONG_XMLLINT || '/usr/bin/xmllint';

/** Whether xmllint is here. */
export function xmllintAvailable(): boolean {
  return existsSync(XMLLINT);
}

/** Whether the run demands the external tools (`LIENTHONG_REQUIRE_TOOLS`). */
export function toolsRequired(): boolean {
  const v = process.env.LIENTHONG_REQUIRE_TOOLS;
  return v !== undefined && v !== '' && v !== '0';
}

/**
 * Runs `xmllint --noout --nonet --schema <xsdPath>` on `xml` (written to a temporary file).
 * `ok` is true when the document is valid; `output` is what xmllint said.
 */
export function validateWithXsd(xml: string, xsdPath: string): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'lienthong-xmllint-'));
  const file = join(dir, 'document.xml');
  try {
    writeFileSync(file, xml, 'utf8');
    const r = spawnSync(XMLLINT, ['--noout', '--nonet', '--schema', xsdPath, file], { encoding: 'utf8' });
    const output = `${r.stderr ?? ''}${r.stdout ?? ''}` || (r.error?.message ?? '');
    return { ok: r.status === 0, output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `describe` for tests that need xmllint: run when it is here; otherwise skipped with the reason
 * in the suite's name, or — when the tools are required — one failing test saying what is missing.
 */
export function describeWithXmllint(name: string, fn: () => void): void {
  if (xmllintAvailable()) {
    describe(name, fn);
    return;
  }
  const reason = `no xmllint at ${XMLLINT} (install Debian's libxml2-utils or set LIENTHONG_XMLLINT)`;
  if (toolsRequired()) {
    describe(name, () => {
      it('needs xmllint', () => {
        throw new Error(`${reason}; LIENTHONG_REQUIRE_TOOLS makes it required`);
      });
    });
    return;
  }
  console.warn(`SKIPPED: ${name}: ${reason}`);
  describe.skip(`${name} (skipped: ${reason})`, fn);
}
