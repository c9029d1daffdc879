/** One time limit over a whole fetch (DNS, every hop, every body), with the signal that enforces it. */
export class Deadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private expiredFlag = false;

  constructor(readonly ms: number) {
    this.timer = setTimeout(() => {
      this.expiredFlag = true;
      this.controller.abort();
    }, ms);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get expired(): boolean {
    return this.expiredFlag;
  }

  /** Settles like `promise`, or rejects once the deadline passes (a resolver cannot be aborted, only abandoned). */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.expiredFlag) return Promise.reject(new Error('deadline passed'));
    return new Promise<T>((resolve, reject) => {
      const onAbort = (): void => reject(new Error('deadline passed'));
      this.signal.addEventListener('abort', onAbort, { once: true });
      promise.then(resolve, reject).finally(() => this.signal.removeEventListener('abort', onAbort));
    });
  }

  clear(): void {
    clearTimeout(this.timer);
  }
}
