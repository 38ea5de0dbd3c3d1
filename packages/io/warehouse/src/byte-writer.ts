/**
 * The growing buffer the COPY writers write rows into and hand out batch by batch: one buffer,
 * reused, so a row costs no allocation of its own.
 *
 * @example
 * class Writer extends ByteWriter {
 *   byte(value: number): void {
 *     this.reserve(1);
 *     this.bytes[this.written++] = value;
 *   }
 * }
 */
export class ByteWriter {
  protected bytes: Buffer;
  /** Bytes written since the last {@link take}. */
  protected written = 0;

  constructor(initialBytes = 64 * 1024) {
    this.bytes = Buffer.allocUnsafe(initialBytes);
  }

  /** How many bytes have been written since the last {@link take}. */
  get length(): number {
    return this.written;
  }

  /** The bytes written since the last call, as a buffer of their own; the writer starts over. */
  take(): Buffer {
    const taken = Buffer.allocUnsafe(this.written);
    this.bytes.copy(taken, 0, 0, this.written);
    this.written = 0;
    return taken;
  }

  /** Room for `count` more bytes, the buffer doubled (at least) when it lacks it. */
  protected reserve(count: number): void {
    if (this.written + count <= this.bytes.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.written + count));
    this.bytes.copy(grown, 0, 0, this.written);
    this.bytes = grown;
  }
}
