import { Writable } from 'node:stream';
import type { CliIo } from '../../src/io.js';

/** A CliIo whose stdout and stderr are captured as text. */
export interface FakeIo {
  io: CliIo;
  stdout(): string;
  stderr(): string;
}

function capture(): Writable & { text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return Object.assign(stream, { text: () => Buffer.concat(chunks).toString('utf8') });
}

/** A fresh fake io; `env` is what the command sees as its environment. */
export function fakeIo(env: Record<string, string | undefined> = {}): FakeIo {
  const stdout = capture();
  const stderr = capture();
  return { io: { env, stdout, stderr }, stdout: () => stdout.text(), stderr: () => stderr.text() };
}
