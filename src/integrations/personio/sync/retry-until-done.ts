export interface RetryBackoff {
  firstDelayMs: number;
  maxDelayMs: number;
}

/**
 * Repeats `work` with doubling delays until it succeeds or `stop()` is called. `tryNow()` runs an
 * attempt at once (joining one in progress), for a caller that needs the work done before it goes on.
 */
export class RetryUntilDone {
  private attempts = 0;
  private timer: NodeJS.Timeout | null = null;
  private attempt: Promise<boolean> | null = null;
  private finished = false;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly backoff: RetryBackoff,
    private readonly onFailure: (error: unknown, attempts: number) => void,
    private readonly onDone: () => void,
  ) {}

  get done(): boolean {
    return this.finished;
  }

  start(): void {
    this.schedule();
  }

  /** True once the work has succeeded (now or before). */
  tryNow(): Promise<boolean> {
    if (this.finished) return Promise.resolve(true);
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.attempt ??= this.work()
      .then(
        () => {
          this.finished = true;
          this.onDone();
          return true;
        },
        (error: unknown) => {
          this.attempts++;
          this.onFailure(error, this.attempts);
          this.schedule();
          return false;
        },
      )
      .finally(() => (this.attempt = null));
    return this.attempt;
  }

  stop(): void {
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    if (this.finished) return;
    const delay = Math.min(this.backoff.maxDelayMs, this.backoff.firstDelayMs * 2 ** this.attempts);
    this.timer = setTimeout(() => void this.tryNow(), delay);
  }
}
