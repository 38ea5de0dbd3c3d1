// Preloaded with `node --import` into a command under test: on exit, writes the process's peak
// resident set size (kB, from getrusage) to the file STREAMPULSE_RSS_FILE names, so a test can
// state what a run held at its worst without sampling it.
import { writeFileSync } from 'node:fs';

const target = process.env.STREAMPULSE_RSS_FILE;
if (target) process.on('exit', () => writeFileSync(target, String(process.resourceUsage().maxRSS)));
