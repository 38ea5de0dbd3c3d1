// Lets a bin run the monorepo's TypeScript source with no build step, so `npx streampulse` works
// right after `npm ci`: tsx compiles on the fly, and the `development` export condition makes
// workspace packages resolve to their `src/index.ts`. Plain JavaScript: it runs before tsx does.
import { register } from 'node:module';
import { register as registerTsx } from 'tsx/esm/api';

const addDevelopmentCondition =
  'export async function resolve(specifier, context, next) {' +
  " return next(specifier, { ...context, conditions: [...new Set([...context.conditions, 'development'])] }); }";

/**
 * Registers the loaders; import TypeScript modules after calling it.
 *
 * @example
 * registerSourceLoader();
 * const { main } = await import('../src/main.ts');
 */
export function registerSourceLoader() {
  registerTsx();
  register(`data:text/javascript,${encodeURIComponent(addDevelopmentCondition)}`);
}

/** The process-facing surface the bins hand to their `main`. */
export function processIo() {
  return { env: process.env, stdout: process.stdout, stderr: process.stderr };
}
