import type { ChatEventHandler } from '../../src/core/chat-adapter.js';
import type { ChatEvent } from '../../src/core/chat-event.js';
import { disposable, type Disposable } from '../../src/core/disposable.js';
import type { Logger } from '../../src/core/logger.js';

/**
 * Delivers chat events to the handlers. Teams wants an HTTP answer within seconds while a command may run for
 * half a minute, so ordinary events are queued per conversation (in order) and the request is answered at once.
 */
export class EventDispatcher {
  private readonly handlers = new Set<ChatEventHandler>();
  private readonly tails = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<void>>();

  constructor(private readonly logger: Logger) {}

  subscribe(handler: ChatEventHandler): Disposable {
    this.handlers.add(handler);
    return disposable(() => this.handlers.delete(handler));
  }

  /** Queues events behind the earlier ones of the same conversation; does not wait for them. */
  enqueue(conversation: string, events: ChatEvent[]): void {
    if (events.length === 0) return;
    const previous = this.tails.get(conversation) ?? Promise.resolve();
    const next = previous.then(() => this.deliver(events));
    this.tails.set(conversation, next);
    this.pending.add(next);
    void next.finally(() => {
      this.pending.delete(next);
      if (this.tails.get(conversation) === next) this.tails.delete(conversation);
    });
  }

  /** Delivers events now, to every handler in turn; a failing handler is logged and the others still run. */
  async deliver(events: ChatEvent[]): Promise<void> {
    for (const event of events) {
      for (const handler of [...this.handlers]) {
        try {
          await handler(event);
        } catch (error) {
          this.logger.error({ err: error, eventId: event.id, eventType: event.type }, 'a chat event handler failed');
        }
      }
    }
  }

  /** Resolves true when every queued event was delivered, false when `timeoutMs` ran out first. */
  async drain(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    const settled = (async () => {
      while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
      return true as const;
    })();
    try {
      return await Promise.race([settled, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
