import type { ChatAdapter, ChatEventHandler } from '../../core/chat-adapter.js';
import type { ChatEvent } from '../../core/chat-event.js';
import { disposable, type Disposable } from '../../core/disposable.js';
import type { MessageRef, OutboundMessage } from '../../core/message.js';

export interface RecordedMessage {
  kind: 'send' | 'reply' | 'update';
  channelId: string;
  messageId: string;
  message: OutboundMessage;
}

/** The plugin harness's chat: it records what the bot says so a conversation script can check it. */
export class RecordingAdapter implements ChatAdapter {
  readonly platform = 'local' as const;
  readonly messages: RecordedMessage[] = [];
  private readonly handlers = new Set<ChatEventHandler>();
  private sequence = 0;

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  onDidReceiveEvent(handler: ChatEventHandler): Disposable {
    this.handlers.add(handler);
    return disposable(() => this.handlers.delete(handler));
  }

  async send(channelId: string, message: OutboundMessage): Promise<MessageRef> {
    return this.record('send', channelId, message);
  }

  async replyInThread(to: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    return this.record('reply', to.channelId, message);
  }

  async react(): Promise<void> {}

  async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    this.messages.push({ kind: 'update', channelId: ref.channelId, messageId: ref.messageId, message });
  }

  async deliver(event: ChatEvent): Promise<void> {
    for (const handler of this.handlers) await handler(event);
  }

  private record(kind: RecordedMessage['kind'], channelId: string, message: OutboundMessage): MessageRef {
    const messageId = `h${++this.sequence}`;
    this.messages.push({ kind, channelId, messageId, message });
    return { channelId, messageId };
  }
}
