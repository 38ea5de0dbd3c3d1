import { StreamPulseError } from '@streampulse/errors';
/** The process-facing surface a command uses; tests pass their own. */
export interface CliIo {
  env: Record<string, string | undefined>;
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  /** Folder relative paths and the embedded database resolve against (default: process.cwd()). */
  cwd?: string;
}

/** Exit statuses shared by every command. */
export const EXIT = { ok: 0, failed: 1, partial: 2 } as const;

/** A mistake in how a command was called: printed as one line with a hint, exit 1. */
export class UsageError extends StreamPulseError<'usage'> {
  override readonly name = 'UsageError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('usage', message, options);
  }
}
