/**
 * Steps run one after another in the order they are queued, while the caller prepares the next
 * one: an ETL engine stages a file while the previous file merges and commits, and commits (and
 * report entries) stay in key order. A failed step fails the next `queue` call and `drain`.
 *
 * @example
 * const steps = new OrderedSteps();
 * for (const file of files) await steps.queue(() => commit(file));
 * await steps.drain();
 */
export class OrderedSteps {
  #previous: Promise<void> = Promise.resolve();

  /** Waits for the step before, then starts `step` without waiting for it. */
  async queue(step: () => Promise<void>): Promise<void> {
    await this.#previous;
    this.#previous = step();
    this.#previous.catch(() => undefined); // awaited by the next step or at the end
  }

  /** Waits for the last step; rejects with its error. */
  drain(): Promise<void> {
    return this.#previous;
  }

  /** Waits for the last step and ignores its error: cleanup after another failure. */
  settle(): Promise<void> {
    return this.#previous.catch(() => undefined);
  }
}
