import { Writable } from 'node:stream';

/**
 * A writable that keeps what was written, as text: stdout/stderr for commands under test.
 *
 * @example
 * const stdout = captured();
 * await main(['--help'], { env: {}, stdout, stderr: captured() });
 * stdout.text(); // 'Usage: ...'
 */
export function captured(): Writable & { text: () => string } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return Object.assign(stream, { text: () => Buffer.concat(chunks).toString('utf8') });
}
