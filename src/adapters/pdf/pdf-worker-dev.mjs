// Starts the PDF worker from its TypeScript source when the project is not built (tests,
// `npm start` without `npm run build`): tsx compiles it on the fly, in the worker thread too.
//
// pdf.js is loaded here, natively, and handed over through globals (`pdfjsWorker` is pdf.js's
// own hook for its worker module): through tsx, its 3 MB of JavaScript would be recompiled on
// every worker start, which takes seconds instead of a fraction of one.
import { tsImport } from 'tsx/esm/api';

globalThis.lienthongPdfjs = await import('pdfjs-dist/legacy/build/pdf.mjs');
globalThis.pdfjsWorker = await import('pdfjs-dist/legacy/build/pdf.worker.mjs');
await tsImport('./pdf-worker.ts', import.meta.url);
