import { GlueLauncherError, type GlueLauncherErrorCode } from './errors.js';

interface SdkErrorShape {
  name?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'OperationTimeoutException',
  'RequestLimitExceeded',
]);
// Errors from the connection itself: nothing reached Glue, so trying again is safe.
const TRANSIENT = new Set([
  'TimeoutError',
  'RequestTimeout',
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
]);

function codeOf(error: SdkErrorShape, notFound: GlueLauncherErrorCode): GlueLauncherErrorCode {
  const name = error.name ?? '';
  const status = error.$metadata?.httpStatusCode;
  if (name === 'ConcurrentRunsExceededException') return 'concurrent_runs_exceeded';
  if (THROTTLING.has(name) || status === 429) return 'throttled';
  if (name === 'EntityNotFoundException') return notFound;
  if (name === 'InvalidInputException' || name === 'ValidationException') return 'invalid_request';
  if (name === 'InternalServiceException' || (status !== undefined && status >= 500)) {
    return 'service_unavailable';
  }
  if (TRANSIENT.has(name) || TRANSIENT.has((error as { code?: string }).code ?? '')) {
    return 'service_unavailable';
  }
  return 'glue_error';
}

/**
 * Turns what the Glue client threw into a {@link GlueLauncherError}, keeping it as the cause.
 *
 * @example
 * throw glueLauncherError(error, 'starting streampulse-etl', 'job_not_found');
 */
export function glueLauncherError(
  error: unknown,
  what: string,
  notFound: GlueLauncherErrorCode,
): GlueLauncherError {
  const shape: SdkErrorShape = typeof error === 'object' && error !== null ? error : {};
  const name = shape.name ?? 'Error';
  const message = shape.message ?? String(error);
  return new GlueLauncherError(codeOf(shape, notFound), `${what}: ${name}: ${message}`, { cause: error });
}
