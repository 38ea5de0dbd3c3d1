import { createLogger, type LogFields, type Logger, type LogLevel } from './logger.js';

const RANK: Readonly<Record<LogLevel, number>> = { DEBUG: 0, INFO: 1, WARN: 2, ERROR: 3 };

/**
 * Options of {@link jsonLineLogger}.
 *
 * @example
 * const options: JsonLineOptions = { now: () => new Date(), fields: { service: 'etl-trigger' } };
 */
export interface JsonLineOptions {
  /** Entries below this level are dropped (default DEBUG: none). */
  minLevel?: LogLevel;
  /** When given, each line carries `timestamp` (ISO 8601, UTC) from it. */
  now?: () => Date;
  /** Fields of every line (a service name); an entry's own fields win. */
  fields?: LogFields;
}

/**
 * Structured JSON, one object per line: `level`, `message`, `timestamp` when a clock is given,
 * then the fields, flat, as CloudWatch Logs Insights and Powertools' Logger read them.
 *
 * @example
 * const logger = jsonLineLogger((line) => console.log(line), { now: () => new Date() });
 * logger.info('job run started', { jobRunId: 'jr_1' });
 * // {"level":"INFO","message":"job run started","timestamp":"2025-03-14T20:30:00.000Z","jobRunId":"jr_1"}
 */
export function jsonLineLogger(write: (line: string) => void, options: JsonLineOptions = {}): Logger {
  const min = RANK[options.minLevel ?? 'DEBUG'];
  return createLogger(({ level, message, fields }) => {
    if (RANK[level] < min) return;
    const timestamp = options.now ? { timestamp: options.now().toISOString() } : {};
    write(JSON.stringify({ level, message, ...timestamp, ...options.fields, ...fields }, jsonSafe));
  });
}

// Errors and bigints have no JSON form of their own; a log line must still be written.
function jsonSafe(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}

/**
 * Options of {@link textLineLogger}.
 *
 * @example
 * const options: TextLineOptions = { minLevel: 'WARN' };
 */
export interface TextLineOptions {
  /** Entries below this level are dropped (default INFO). */
  minLevel?: LogLevel;
  /** Shows the fields after the message as `key=value` (default false: the message alone). */
  showFields?: boolean;
  /**
   * A field that names what an entry is about (a file's `key`, a `day`): shown in parentheses
   * after the message when the entry has it.
   */
  subjectField?: string;
}

/**
 * Lines for people (a terminal): the message, prefixed `warning: ` or `error: ` at those levels,
 * optionally followed by the fields as `key=value`.
 *
 * @example
 * const logger = textLineLogger((line) => process.stderr.write(`${line}\n`));
 * logger.warn('unsupported file skipped'); // warning: unsupported file skipped
 */
export function textLineLogger(write: (line: string) => void, options: TextLineOptions = {}): Logger {
  const min = RANK[options.minLevel ?? 'INFO'];
  return createLogger(({ level, message, fields }) => {
    if (RANK[level] < min) return;
    const prefix = level === 'WARN' ? 'warning: ' : level === 'ERROR' ? 'error: ' : '';
    const shown = options.showFields
      ? Object.entries(fields)
          .filter(([, value]) => value !== undefined)
          .map(
            ([key, value]) =>
              ` ${key}=${typeof value === 'string' ? value : JSON.stringify(value, jsonSafe)}`,
          )
          .join('')
      : '';
    const subject = options.subjectField === undefined ? undefined : fields[options.subjectField];
    const about = subject === undefined || subject === '' ? '' : ` (${String(subject)})`;
    write(`${prefix}${message}${about}${shown}`);
  });
}
