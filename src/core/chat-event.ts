import type { Platform, QualifiedId } from './identity.js';

/** Who caused an event: always identified by platform id, never by display name. */
export interface Actor {
  /** Platform-qualified user id, e.g. `discord:user:123`. */
  id: QualifiedId;
  /** Display name, for messages only; never used for decisions. */
  name: string;
  isBot: boolean;
  /** Platform groups the actor belongs to (Discord role ids, Teams team or AAD group ids), qualified. */
  groups: QualifiedId[];
}

/** Where an event happened. */
export interface ChannelRef {
  /** Platform-qualified channel id, e.g. `discord:channel:456`. */
  id: QualifiedId;
  name?: string;
  /** True for a one-to-one conversation with the bot. */
  isDirect: boolean;
}

interface EventBase {
  /** Platform event id, unique per platform; used to drop duplicate deliveries. */
  id: string;
  platform: Platform;
  channel: ChannelRef;
  actor: Actor;
  threadId?: string;
  receivedAt: Date;
}

export interface MessageEvent extends EventBase {
  type: 'message';
  /** Platform message id (for replies and reactions). */
  messageId: string;
  text: string;
  /** The bot was mentioned; the adapter has already removed the mention from `text`. */
  mentionsBot: boolean;
}

export interface ReactionEvent extends EventBase {
  type: 'reaction';
  /** The message reacted to. */
  messageId: string;
  emoji: string;
  added: boolean;
}

export interface ActionEvent extends EventBase {
  type: 'action';
  /** The message carrying the button or card, when the platform tells. */
  messageId?: string;
  actionId: string;
  value: Record<string, unknown>;
}

export interface MemberEvent extends EventBase {
  type: 'member';
  change: 'joined' | 'left';
}

export type ChatEvent = MessageEvent | ReactionEvent | ActionEvent | MemberEvent;
