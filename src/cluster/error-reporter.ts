/** How often the same trouble is logged again while it lasts: an outage is one story, not a line every second. */
const REPEAT_MS = 60_000;

/** Logs a recurring failure (Redis away) once, then at most once a minute with how often it happened meanwhile. */
export class ErrorReporter {
  private lastAt = 0;
  private suppressed = 0;

  constructor(private readonly logger: { warn(fields: object, message: string): void }, private readonly message: string) {}

  report(err: unknown): void {
    const now = Date.now();
    if (now - this.lastAt < REPEAT_MS) {
      this.suppressed++;
      return;
    }
    this.logger.warn({ err, ...(this.suppressed > 0 ? { repeated: this.suppressed } : {}) }, this.message);
    this.lastAt = now;
    this.suppressed = 0;
  }
}
