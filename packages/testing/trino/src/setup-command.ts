import { setUpTrino } from './setup.js';

// `npm run trino:setup`: one line per step on stdout, one line on stderr and exit 1 on failure.
try {
  await setUpTrino((line) => console.log(line));
} catch (error) {
  console.error(`trino:setup failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
