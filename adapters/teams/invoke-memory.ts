/** What the HTTP request of an invoke is answered with. */
export interface InvokeAnswer {
  status: number;
  body?: unknown;
}

interface Entry {
  answer: Promise<InvokeAnswer>;
  expiresAt: number;
}

/**
 * Teams retries an invoke it believes failed (a slow or lost answer). The first delivery computes the answer;
 * a retry of the same activity, even one arriving while the first is still running, gets that same answer and
 * runs nothing again. Entries expire after `ttlMs`; the oldest go first when `maxEntries` is reached.
 */
export class InvokeMemory {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = 15 * 60_000,
    private readonly maxEntries = 10_000,
  ) {}

  answer(key: string, compute: () => Promise<InvokeAnswer>): { answer: Promise<InvokeAnswer>; repeated: boolean } {
    this.evictExpired();
    const known = this.entries.get(key);
    if (known) return { answer: known.answer, repeated: true };
    const answer = compute();
    this.entries.set(key, { answer, expiresAt: this.now() + this.ttlMs });
    // A failed computation is not remembered: the retry deserves a real attempt.
    answer.catch(() => this.entries.delete(key));
    if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
    return { answer, repeated: false };
  }

  get size(): number {
    return this.entries.size;
  }

  private evictExpired(): void {
    const now = this.now();
    for (const [key, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.entries.delete(key);
    }
  }
}
