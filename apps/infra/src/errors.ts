import { StreamPulseError } from '@streampulse/errors';
/**
 * Why an infra step failed: a Lambda bundle not built (`bundle_missing`), a bad option
 * (`usage`), a stack or output not found (`stack_not_found`, `output_not_found`), or an AWS call
 * that failed (`aws_error`).
 *
 * @example
 * const code: InfraErrorCode = 'bundle_missing';
 */
export type InfraErrorCode =
  'bundle_missing' | 'usage' | 'stack_not_found' | 'output_not_found' | 'aws_error';

/**
 * The one error the infra package throws.
 *
 * @example
 * try {
 *   lambdaBundleCode('apps/etl-trigger/dist', 'etl-trigger');
 * } catch (error) {
 *   if (error instanceof InfraError && error.code === 'bundle_missing') console.error(error.message);
 * }
 */
export class InfraError extends StreamPulseError<InfraErrorCode> {
  override readonly name = 'InfraError';
}
