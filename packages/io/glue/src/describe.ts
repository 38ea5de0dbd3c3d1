import type { JobRunStatus } from './launcher.js';

/**
 * One line for people: the run, its state, how long it ran and, when it failed, why.
 *
 * @example
 * describeRun({ jobName: 'etl', runId: 'jr_1', state: 'FAILED', durationSeconds: 42, errorMessage: 'boom' });
 * // 'etl run jr_1 FAILED after 42 s: boom'
 */
export function describeRun(status: JobRunStatus): string {
  const duration =
    status.durationSeconds === undefined
      ? ''
      : ` ${status.state === 'SUCCEEDED' ? 'in' : 'after'} ${status.durationSeconds} s`;
  const error = status.errorMessage ? `: ${status.errorMessage}` : '';
  return `${status.jobName} run ${status.runId} ${status.state}${duration}${error}`;
}
