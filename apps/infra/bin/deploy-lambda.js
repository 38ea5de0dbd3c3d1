#!/usr/bin/env node
// Runs from TypeScript source, no build step (see @streampulse/source-runner).
import { importSource, processIo } from '@streampulse/source-runner';

const { deployLambdaMain } = await importSource(
  new URL('../src/deploy/deploy-lambda-main.ts', import.meta.url),
);
process.exitCode = await deployLambdaMain(process.argv.slice(2), processIo());
