#!/usr/bin/env node
// Runs from TypeScript source, no build step (see @streampulse/source-runner).
import { processIo, registerSourceLoader } from '@streampulse/source-runner';

registerSourceLoader();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), processIo());
