import type { ChatAdapter, ChatEventHandler } from '../../src/core/chat-adapter.js';
import type { Actor, ChatEvent, MessageEvent, ReactionEvent } from '../../src/core/chat-event.js';
import { disposable, type Disposable } from '../../src/core/disposable.js';
import type { Platform } from '../../src/core/identity.js';
import type { MessageRef, OutboundMessage } from '../../src/core/message.js';

export interface SentRecord {
  kind: 'send' | 'reply' | 'update' | 'react';
  channelId: string;
  messageId: string;
  message?: OutboundMessage;
  emoji?: string;
  replyTo?: string;
}

/** A chat platform in memory: tests push events in and read what the bot sent. */
export class FakeAdapter implements ChatAdapter {
  readonly sent: SentRecord[] = [];
  private readonly handlers = new Set<ChatEventHandler>();
  private sequence = 0;
  started = false;

  constructor(readonly platform: Platform = 'local') {}

  async start(): Promise<void> { this.started = true; }
  async stop(): Promise<void> { this.started = false; }

  onDidReceiveEvent(handler: ChatEventHandler): Disposable {
    this.handlers.add(handler);
    return disposable(() => this.handlers.delete(handler));
  }

  async send(channelId: string, message: OutboundMessage): Promise<MessageRef> {
    const messageId = `bot-${++this.sequence}`;
    this.sent.push({ kind: 'send', channelId, messageId, message });
    return { channelId, messageId };
  }

  async replyInThread(to: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    const messageId = `bot-${++this.sequence}`;
    this.sent.push({ kind: 'reply', channelId: to.channelId, messageId, message, replyTo: to.messageId });
    return { channelId: to.channelId, messageId };
  }

  async react(to: MessageRef, emoji: string): Promise<void> {
    this.sent.push({ kind: 'react', channelId: to.channelId, messageId: to.messageId, emoji });
  }

  async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    this.sent.push({ kind: 'update', channelId: ref.channelId, messageId: ref.messageId, message });
  }

  /** Delivers an event as the platform would, awaiting the bot's handling. */
  async deliver(event: ChatEvent): Promise<void> {
    for (const handler of this.handlers) await handler(event);
  }

  /** Texts of everything sent, in order. */
  texts(): string[] {
    return this.sent.filter((s) => s.message).map((s) => s.message?.text ?? '');
  }

  lastText(): string {
    return this.texts().at(-1) ?? '';
  }
}

let eventSequence = 0;

export function actor(name: string, platform: Platform = 'local', groups: string[] = []): Actor {
  return { id: `${platform}:user:${name}`, name, isBot: false, groups };
}

export function message(text: string, options: Partial<MessageEvent> & { as?: string } = {}): MessageEvent {
  const id = options.id ?? `evt-${++eventSequence}`;
  const platform = options.platform ?? 'local';
  return {
    type: 'message', id, messageId: options.messageId ?? `msg-${id}`, platform, text,
    mentionsBot: options.mentionsBot ?? false,
    actor: options.actor ?? actor(options.as ?? 'alice', platform),
    channel: options.channel ?? { id: `${platform}:channel:ops`, name: 'ops', isDirect: false },
    receivedAt: options.receivedAt ?? new Date(),
    ...(options.threadId ? { threadId: options.threadId } : {}),
  };
}

export function reaction(messageId: string, emoji: string, options: { as?: string; added?: boolean; platform?: Platform } = {}): ReactionEvent {
  const platform = options.platform ?? 'local';
  return {
    type: 'reaction', id: `evt-${++eventSequence}`, platform, messageId, emoji, added: options.added ?? true,
    actor: actor(options.as ?? 'bob', platform), channel: { id: `${platform}:channel:ops`, name: 'ops', isDirect: false }, receivedAt: new Date(),
  };
}
