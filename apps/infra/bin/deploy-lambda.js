#!/usr/bin/env node
// Runs streampulse-deploy-lambda straight from its TypeScript source, like bin/streampulse.js of
// the CLI: tsx compiles on the fly, and the `development` export condition makes workspace
// packages resolve to their `src/index.ts`.
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

const { deployLambdaMain } = await import('../src/deploy/deploy-lambda-main.ts');
process.exitCode = await deployLambdaMain(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
});
