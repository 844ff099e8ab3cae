// Starts the search build worker from its TypeScript source when the project is not built
// (tests, `npm start` without `npm run build`), as prepare-worker-dev.mjs does for imports.
import { tsImport } from 'tsx/esm/api';

await tsImport('./build-worker.ts', import.meta.url);
