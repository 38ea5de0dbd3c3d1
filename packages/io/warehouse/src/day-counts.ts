/** How many rows of each `event_date`; rows cluster on few days, so the last day is cached. */
export class DayCounts {
  readonly #counts = new Map<string, number>();
  #day = '';
  #pending = 0;

  add(day: string): void {
    if (day !== this.#day) {
      this.#flush();
      this.#day = day;
    }
    this.#pending += 1;
  }

  addCounts(days: readonly string[], counts: readonly number[]): void {
    this.#flush();
    days.forEach((day, i) => this.#counts.set(day, (this.#counts.get(day) ?? 0) + (counts[i] as number)));
  }

  addAll(other: DayCounts): void {
    other.#flush();
    for (const [day, n] of other.#counts) this.#counts.set(day, (this.#counts.get(day) ?? 0) + n);
  }

  clear(): void {
    this.#counts.clear();
    this.#day = '';
    this.#pending = 0;
  }

  /** The days and their counts, as two parallel arrays. */
  arrays(): [string[], number[]] {
    this.#flush();
    return [[...this.#counts.keys()], [...this.#counts.values()]];
  }

  #flush(): void {
    if (this.#pending > 0) this.#counts.set(this.#day, (this.#counts.get(this.#day) ?? 0) + this.#pending);
    this.#pending = 0;
  }
}
