/**
 * What the jobs say while they work. Structured: a message plus fields, so an adapter can
 * print lines for people (the CLI) or JSON for machines (Lambda, Glue).
 */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that drops everything (the default when none is given). */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined };
