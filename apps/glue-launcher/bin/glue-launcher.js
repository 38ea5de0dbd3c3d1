#!/usr/bin/env node
// Runs from TypeScript source, no build step (see @streampulse/source-runner).
import { importSource, processIo } from '@streampulse/source-runner';

const { main } = await importSource(new URL('../src/cli/main.ts', import.meta.url));
process.exitCode = await main(process.argv.slice(2), processIo());
