import { injectable } from 'inversify';
import type { ChatAdapter } from '../core/chat-adapter.js';
import { disposable, type Disposable } from '../core/disposable.js';
import { OpsroomError } from '../core/errors.js';
import type { Platform } from '../core/identity.js';
import type { MessageRef, OutboundMessage } from '../core/message.js';

/** Sends through whichever adapter owns a platform; the router and capabilities never hold an adapter themselves. */
export const Messenger = Symbol('Messenger');
export interface Messenger {
  attach(adapter: ChatAdapter): Disposable;
  adapters(): ChatAdapter[];
  /** Hears each adapter as it is attached, so a message for a platform not running yet can wait for it. */
  onDidAttach?(listener: (adapter: ChatAdapter) => void): Disposable;
  reply(platform: Platform, to: MessageRef, message: OutboundMessage): Promise<MessageRef>;
  send(platform: Platform, channelId: string, message: OutboundMessage): Promise<MessageRef>;
  update(platform: Platform, ref: MessageRef, message: OutboundMessage): Promise<void>;
  react(platform: Platform, ref: MessageRef, emoji: string): Promise<void>;
}

@injectable()
export class MessengerImpl implements Messenger {
  private readonly byPlatform = new Map<Platform, ChatAdapter>();
  private readonly attachListeners = new Set<(adapter: ChatAdapter) => void>();

  attach(adapter: ChatAdapter): Disposable {
    if (this.byPlatform.has(adapter.platform)) {
      throw new OpsroomError('E_INTERNAL', `an adapter for ${adapter.platform} is already attached`);
    }
    this.byPlatform.set(adapter.platform, adapter);
    for (const listener of this.attachListeners) listener(adapter);
    return disposable(() => {
      if (this.byPlatform.get(adapter.platform) === adapter) this.byPlatform.delete(adapter.platform);
    });
  }

  adapters(): ChatAdapter[] {
    return [...this.byPlatform.values()];
  }

  onDidAttach(listener: (adapter: ChatAdapter) => void): Disposable {
    this.attachListeners.add(listener);
    return disposable(() => this.attachListeners.delete(listener));
  }

  reply(platform: Platform, to: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    return this.adapter(platform).replyInThread(to, message);
  }

  send(platform: Platform, channelId: string, message: OutboundMessage): Promise<MessageRef> {
    return this.adapter(platform).send(channelId, message);
  }

  update(platform: Platform, ref: MessageRef, message: OutboundMessage): Promise<void> {
    return this.adapter(platform).update(ref, message);
  }

  react(platform: Platform, ref: MessageRef, emoji: string): Promise<void> {
    return this.adapter(platform).react(ref, emoji);
  }

  private adapter(platform: Platform): ChatAdapter {
    const adapter = this.byPlatform.get(platform);
    if (!adapter) throw new OpsroomError('E_INTERNAL', `no adapter for ${platform} is running`);
    return adapter;
  }
}
