#!/usr/bin/env node
// Entry point of the `lienthong` command. Runs the compiled build when it exists (`npm run build`),
// otherwise the TypeScript sources through tsx, so a fresh clone works without a build step.
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'main', 'cli.js');
if (existsSync(built) && !process.env.LIENTHONG_FROM_SOURCE) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  // The project's tsconfig (JSX for Preact) whatever the working directory.
  register({ tsconfig: join(root, 'tsconfig.json') });
  await import(pathToFileURL(join(root, 'src', 'main', 'cli.ts')).href);
}
