/**
 * Runs async bodies one after another on a single connection, so the statements of two
 * transactions never interleave. `idle` lets single statements skip the queue when nothing runs.
 */
export class Serializer {
  private tail: Promise<unknown> = Promise.resolve();
  private queued = 0;

  get idle(): boolean {
    return this.queued === 0;
  }

  run<T>(body: () => Promise<T>): Promise<T> {
    this.queued++;
    const result = this.tail.then(body);
    const settled = () => {
      this.queued--;
    };
    this.tail = result.then(settled, settled);
    return result;
  }
}
