/**
 * Runs tasks one after another per key, never interleaved: the microphone policy of a session,
 * a session's alert writes, the pause/resume/layer changes of one consumer. A failing task fails
 * only its own caller; the tasks after it still run. Keys with nothing queued take no memory.
 */
export class SerialQueue<K = string> {
  private readonly tails = new Map<K, Promise<unknown>>();

  run<T>(key: K, task: () => Promise<T>): Promise<T> {
    const result = (this.tails.get(key) ?? Promise.resolve()).then(task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }

  /** Waits for everything queued so far. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all(this.tails.values());
  }

  get size(): number {
    return this.tails.size;
  }
}
