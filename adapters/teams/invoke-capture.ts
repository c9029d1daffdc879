import { AsyncLocalStorage } from 'node:async_hooks';
import type { OutboundMessage } from '../../src/core/message.js';

const current = new AsyncLocalStorage<InvokeCapture>();

/**
 * While an Action.Execute invoke is being handled, an update of the card that was acted on also becomes the
 * invoke's answer, so whoever pressed sees the new card at once (the update itself goes out as updateActivity,
 * for everyone else). The async context ties the update to the invoke that caused it, so concurrent presses on
 * the same card never take each other's answer.
 */
export class InvokeCapture {
  private open = true;
  message: OutboundMessage | undefined;

  constructor(readonly conversationId: string, readonly cardMessageId: string | undefined) {}

  run<T>(fn: () => Promise<T>): Promise<T> {
    return current.run(this, fn);
  }

  /** No more updates are taken once the invoke has been answered. */
  close(): void {
    this.open = false;
  }

  /** Takes the update when it is for the card of the invoke being handled in this async context. */
  static take(conversationId: string, messageId: string, message: OutboundMessage): boolean {
    const capture = current.getStore();
    if (!capture?.open || capture.cardMessageId !== messageId || capture.conversationId !== conversationId) return false;
    capture.message = message;
    return true;
  }
}
