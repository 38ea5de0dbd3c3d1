import { captured } from '@streampulse/test-servers';
import type { CliIo } from '../../src/io.js';

/** A CliIo whose stdout and stderr are captured as text. */
export interface FakeIo {
  io: CliIo;
  stdout(): string;
  stderr(): string;
}

/** A fresh fake io; `env` is what the command sees as its environment. */
export function fakeIo(env: Record<string, string | undefined> = {}): FakeIo {
  const stdout = captured();
  const stderr = captured();
  return { io: { env, stdout, stderr }, stdout: () => stdout.text(), stderr: () => stderr.text() };
}
