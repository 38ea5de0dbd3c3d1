/**
 * How much an entry matters. Upper case, as Lambda's and Powertools' JSON logs spell it.
 *
 * @example
 * const level: LogLevel = 'WARN';
 */
export type LogLevel = 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';

/**
 * The structured part of an entry: what a machine filters on (a key, a day, a job run id).
 *
 * @example
 * const fields: LogFields = { key: 'raw/playback/a.csv', rows: 120 };
 */
export type LogFields = Readonly<Record<string, unknown>>;

/**
 * One log entry: a message for people plus fields for machines.
 *
 * @example
 * const entry: LogEntry = { level: 'INFO', message: 'file loaded', fields: { key: 'raw/playback/a.csv' } };
 */
export interface LogEntry {
  readonly level: LogLevel;
  readonly message: string;
  readonly fields: LogFields;
}

/**
 * The one logger interface of StreamPulse. Libraries take a `Logger` as an argument and never
 * decide where lines go: the CLI prints them for people, the Lambdas as JSON with the request id.
 *
 * @example
 * function load(file: string, logger: Logger): void {
 *   logger.info('file loaded', { key: file });
 * }
 */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/**
 * A logger over one function that receives every entry; the base of the others, and what a test
 * uses to collect entries.
 *
 * @example
 * const entries: LogEntry[] = [];
 * const logger = createLogger((entry) => entries.push(entry));
 */
export function createLogger(write: (entry: LogEntry) => void): Logger {
  const at =
    (level: LogLevel) =>
    (message: string, fields: LogFields = {}): void =>
      write({ level, message, fields });
  return { debug: at('DEBUG'), info: at('INFO'), warn: at('WARN'), error: at('ERROR') };
}

/**
 * A logger that drops everything: the default of every library that takes one.
 *
 * @example
 * await runEtlJob({ lake, pool, settings, logger: silentLogger });
 */
export const silentLogger: Logger = createLogger(() => undefined);

/**
 * The same logger with `fields` added to every entry (an entry's own fields win): a request id
 * for one Lambda invocation, a file for one file's work.
 *
 * @example
 * const perRequest = withFields(logger, { request_id: context.awsRequestId });
 */
export function withFields(logger: Logger, fields: LogFields): Logger {
  const at =
    (log: (message: string, fields?: LogFields) => void) =>
    (message: string, own: LogFields = {}): void =>
      log(message, { ...fields, ...own });
  return {
    debug: at(logger.debug.bind(logger)),
    info: at(logger.info.bind(logger)),
    warn: at(logger.warn.bind(logger)),
    error: at(logger.error.bind(logger)),
  };
}
