// Starts the import worker from its TypeScript source when the project is not built (tests,
// `npm start` without `npm run build`): tsx compiles it on the fly, in the worker thread too.
import { tsImport } from 'tsx/esm/api';

await tsImport('./prepare-worker.ts', import.meta.url);
