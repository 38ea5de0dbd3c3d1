import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { contextFromArgs } from './settings.js';

/**
 * The context `npm run synth` and `npm run deploy` run with: this package's cdk.json, then the
 * command line's `-c name=value`.
 */
export function commandLineContext(argv: readonly string[]): Record<string, unknown> {
  const path = fileURLToPath(new URL('../cdk.json', import.meta.url));
  const cdkJson = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as object) : {};
  return contextFromArgs(argv, cdkJson);
}
