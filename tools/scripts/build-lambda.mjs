// Bundles a Lambda app into ONE self-contained ES module, dist/index.mjs, exporting `handler`: the
// AWS SDK v3 clients included (the runtime's copy may be older), workspace packages read from
// their TypeScript source through the `development` condition.
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { build } from 'esbuild';

// Run from the app's folder (npm run build -w apps/<app>), or name the app folder.
const root = `${resolve(process.argv[2] ?? process.cwd())}/`;
const outfile = `${root}dist/index.mjs`;

const result = await build({
  absWorkingDir: root,
  entryPoints: ['src/lambda.ts'],
  outfile,
  write: false,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  conditions: ['development'],
  mainFields: ['module', 'main'],
  // Bundled CommonJS code calls require() for Node built-ins; an ES module has none of its own.
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
  legalComments: 'none',
  logLevel: 'warning',
});
// Written aside and renamed, so a reader (a test, cdk synth) never sees half a bundle.
await mkdir(`${root}dist`, { recursive: true });
const temporary = `${outfile}.${process.pid}.tmp`;
await writeFile(temporary, result.outputFiles[0].contents);
await rename(temporary, outfile);
console.log(`built ${outfile}`);
