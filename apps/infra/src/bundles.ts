import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { GLUE_RUNNER_SCRIPT } from '@streampulse/schema';
import { InfraError } from './errors.js';

/**
 * The two Lambda apps the stack deploys.
 *
 * @example
 * const app: LambdaApp = 'etl-trigger';
 */
export type LambdaApp = 'etl-trigger' | 'aggregate-trigger';

/**
 * The folder of an app's esbuild bundle in this repository (`apps/<app>/dist`).
 *
 * @example
 * bundleDir('etl-trigger'); // '/repo/apps/etl-trigger/dist'
 */
export function bundleDir(app: LambdaApp): string {
  return resolve(fileURLToPath(new URL('../..', import.meta.url)), app, 'dist');
}

/**
 * Lambda code from an esbuild bundle: only `index.mjs` of `dir` (the same folder also holds tsc's
 * output). A missing bundle throws an `InfraError` code 'bundle_missing' saying how to build it,
 * rather than deploying an empty function.
 *
 * @example
 * const code = lambdaBundleCode(bundleDir('etl-trigger'), 'etl-trigger');
 */
export function lambdaBundleCode(dir: string, app: string): Code {
  if (!existsSync(join(dir, 'index.mjs'))) {
    throw new InfraError(
      'bundle_missing',
      `the ${app} Lambda bundle ${join(dir, 'index.mjs')} does not exist: run \`npm run build -w apps/${app}\` first`,
    );
  }
  return Code.fromAsset(dir, { exclude: ['*', '!index.mjs'] });
}

/**
 * The PySpark runner both Glue jobs run, `apps/glue-launcher/glue/runner.py` of this repository.
 *
 * @example
 * glueRunnerPath(); // '/repo/apps/glue-launcher/glue/runner.py'
 */
export function glueRunnerPath(): string {
  return resolve(
    fileURLToPath(new URL('../..', import.meta.url)),
    'glue-launcher',
    'glue',
    GLUE_RUNNER_SCRIPT,
  );
}
