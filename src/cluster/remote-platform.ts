import type { ChatAdapter, ChatEventHandler } from '../core/chat-adapter.js';
import { disposable, type Disposable } from '../core/disposable.js';
import type { Platform } from '../core/identity.js';
import type { MessageRef, OutboundMessage } from '../core/message.js';
import type { Messenger } from '../routing/messenger.js';

/**
 * A platform whose connection another gateway holds, as this process sees it: what it sends goes to that gateway.
 * Its events reach the gateway that holds the connection, never this process, and it has nothing to start or stop.
 */
export class RemotePlatform implements ChatAdapter {
  constructor(readonly platform: Platform, private readonly messenger: Messenger) {}

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  send(channelId: string, message: OutboundMessage): Promise<MessageRef> {
    return this.messenger.send(this.platform, channelId, message);
  }

  replyInThread(to: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    return this.messenger.reply(this.platform, to, message);
  }

  react(to: MessageRef, emoji: string): Promise<void> {
    return this.messenger.react(this.platform, to, emoji);
  }

  update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    return this.messenger.update(this.platform, ref, message);
  }

  onDidReceiveEvent(_handler: ChatEventHandler): Disposable {
    return disposable(() => undefined);
  }
}
