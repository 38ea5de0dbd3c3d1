#!/usr/bin/env node
// Runs from TypeScript source, no build step (see @streampulse/source-runner).
import { registerSourceLoader } from '@streampulse/source-runner';

registerSourceLoader();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
