#!/usr/bin/env node
// Runs from TypeScript source, no build step (see @streampulse/source-runner).
import { processIo, registerSourceLoader } from '@streampulse/source-runner';

registerSourceLoader();
const { deployLambdaMain } = await import('../src/deploy/deploy-lambda-main.ts');
process.exitCode = await deployLambdaMain(process.argv.slice(2), processIo());
