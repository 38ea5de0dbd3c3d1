#!/usr/bin/env node
// Runs the CLI straight from its TypeScript source, so `npx streampulse` works right after
// `npm ci` with no build step: tsx compiles on the fly, and the `development` export condition
// makes workspace packages resolve to their `src/index.ts`.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

registerTsx();
register(
  'data:text/javascript,' +
    encodeURIComponent(
      'export async function resolve(specifier, context, next) {' +
        " return next(specifier, { ...context, conditions: [...new Set([...context.conditions, 'development'])] }); }",
    ),
);

const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
