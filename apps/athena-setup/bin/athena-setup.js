#!/usr/bin/env node
// Runs from TypeScript source, no build step (see @streampulse/source-runner).
import { importSource } from '@streampulse/source-runner';

const { main } = await importSource(new URL('../src/main.ts', import.meta.url));
process.exitCode = await main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
