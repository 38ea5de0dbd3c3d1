/**
 * A one-line progress display on a terminal (rewritten in place); silent when the stream is
 * not a terminal, so logs and pipes stay clean.
 */
export class ProgressLine {
  #last = 0;
  #shown = false;
  readonly #started = performance.now();

  constructor(private readonly stream: NodeJS.WritableStream & { isTTY?: boolean }) {}

  update(text: (elapsedSeconds: number) => string): void {
    if (!this.stream.isTTY) return;
    const now = performance.now();
    if (now - this.#last < 200) return;
    this.#last = now;
    this.#shown = true;
    this.stream.write(`\r\x1b[2K${text((now - this.#started) / 1000)}`);
  }

  done(): void {
    if (this.#shown) this.stream.write('\r\x1b[2K');
  }
}
