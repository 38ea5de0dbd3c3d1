import { parseArgs, type ParseArgsConfig } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** What {@link parseCommandArgs} returns for a given set of options. */
export type ParsedCommandArgs<T extends OptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>
>;
import { isCalendarDay } from '@streampulse/schema';
import { UsageError } from './io.js';

/** Parses a command's arguments; unknown options and bad values become a {@link UsageError}. */
export function parseCommandArgs<T extends OptionsConfig>(
  command: string,
  args: readonly string[],
  options: T,
  allowPositionals = false,
): ParsedCommandArgs<T> {
  try {
    return parseArgs({ args: [...args], options, allowPositionals, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new UsageError(`${message.replace(/^TypeError.*?: /, '')} (see: streampulse ${command} --help)`);
  }
}

/** A `YYYY-MM-DD` value that is a real date. */
export function parseDay(setting: string, value: string): string {
  if (!isCalendarDay(value)) {
    throw new UsageError(`${setting} must be a date as YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** The value of a required option, or a {@link UsageError} naming it. */
export function requireOption(command: string, name: string, value: string | undefined): string {
  if (value === undefined || value === '') {
    throw new UsageError(`--${name} is required (see: streampulse ${command} --help)`);
  }
  return value;
}
