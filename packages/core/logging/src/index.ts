// The one structured logger interface of StreamPulse and its two outputs: JSON lines for machines
// (the Lambdas, Glue) and text lines for people (the CLIs). Pure: writers and clocks come in.
export {
  createLogger,
  silentLogger,
  withFields,
  type LogEntry,
  type LogFields,
  type Logger,
  type LogLevel,
} from './logger.js';
export { jsonLineLogger, textLineLogger, type JsonLineOptions, type TextLineOptions } from './sinks.js';
