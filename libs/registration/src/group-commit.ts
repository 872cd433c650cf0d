/** What `GroupCommit` hands its statement: the items of one key, in arrival order. */
export type GroupRunner<I, R> = (key: string, items: I[]) => Promise<R[]>;

interface Waiting<I, R> {
  item: I;
  resolve(result: R): void;
  reject(error: unknown): void;
}

/**
 * Group commit per key: while a statement for a key is running, the items arriving for that key
 * wait, and go together in the next statement (at most `maxBatch` at a time), in arrival order.
 * Alone, an item goes at once; under load, many share one statement, one lock and one commit.
 * The runner answers one result per item, in the items' order; if it throws, every item of that
 * statement gets the error.
 */
export class GroupCommit<I, R> {
  private readonly queues = new Map<string, Waiting<I, R>[]>();

  constructor(
    private readonly run: GroupRunner<I, R>,
    private readonly maxBatch = 64,
  ) {}

  submit(key: string, item: I): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const queue = this.queues.get(key);
      if (queue) {
        queue.push({ item, resolve, reject });
        return;
      }
      this.queues.set(key, [{ item, resolve, reject }]);
      void this.drain(key);
    });
  }

  private async drain(key: string): Promise<void> {
    const queue = this.queues.get(key)!;
    while (queue.length > 0) {
      const batch = queue.splice(0, this.maxBatch);
      try {
        const results = await this.run(
          key,
          batch.map((waiting) => waiting.item),
        );
        if (results.length !== batch.length)
          throw new Error(`group commit: ${results.length} results for ${batch.length} items`);
        batch.forEach((waiting, i) => waiting.resolve(results[i]));
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    this.queues.delete(key);
  }
}
