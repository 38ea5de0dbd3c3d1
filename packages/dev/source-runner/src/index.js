// Lets a bin run the monorepo's TypeScript source with no build step, so `npx streampulse` works
// right after `npm ci`: the entry and the workspace sources it reaches are bundled by esbuild into
// a cache that is rebuilt whenever one of them changes. Plain JavaScript: it runs before any
// TypeScript can.
export { bundleSource, importSource } from './import-source.js';

/** The process-facing surface the bins hand to their `main`. */
export function processIo() {
  return { env: process.env, stdout: process.stdout, stderr: process.stderr };
}
