interface Waiting<I, O> {
  item: I;
  resolve: (result: O) => void;
  reject: (error: unknown) => void;
}

/**
 * Runs single requests as batches: a request made while `maxInFlight` batches run joins the next
 * batch, so a burst costs a few round trips instead of one each, and a lone request waits for
 * nothing. `execute` answers a batch with one result per item, in order; when it fails, each item
 * of the batch is tried alone, so one bad item fails only its own request.
 */
export class CoalescingBatcher<I, O> {
  private readonly waiting: Array<Waiting<I, O>> = [];
  private inFlight = 0;

  constructor(
    private readonly execute: (items: I[]) => Promise<O[]>,
    private readonly maxInFlight: number,
    private readonly maxBatch: number,
  ) {}

  run(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.flush();
    });
  }

  private flush(): void {
    while (this.inFlight < this.maxInFlight && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.inFlight++;
      void this.runBatch(batch).finally(() => {
        this.inFlight--;
        this.flush();
      });
    }
  }

  private async runBatch(batch: Array<Waiting<I, O>>): Promise<void> {
    let results: O[];
    try {
      results = await this.execute(batch.map((waiting) => waiting.item));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      for (const waiting of batch)
        await this.execute([waiting.item]).then(([result]) => waiting.resolve(result), waiting.reject);
      return;
    }
    batch.forEach((waiting, i) => waiting.resolve(results[i]));
  }
}
