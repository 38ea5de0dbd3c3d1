import { StreamPulseError } from '@streampulse/errors';
/**
 * Why a plan run failed: the plan itself is not one this runner reads (`bad_plan`), the engine is
 * not installed (`engine_missing`: run `npm run spark:setup`), the warehouse URL is not one
 * (`bad_url`), or the run failed (`run_failed`, with the engine's own message).
 *
 * @example
 * const code: PlanRunErrorCode = 'engine_missing';
 */
export type PlanRunErrorCode = 'bad_plan' | 'engine_missing' | 'bad_url' | 'run_failed';

/**
 * The one error a plan runner throws; `expected` is true for failures a user can act on (every
 * code but a runner's own crash), so callers print one line instead of a stack.
 *
 * @example
 * try {
 *   await runner.run(planPath);
 * } catch (error) {
 *   if (error instanceof PlanRunError) console.error(error.message);
 * }
 */
export class PlanRunError extends StreamPulseError<PlanRunErrorCode> {
  override readonly name = 'PlanRunError';
}
