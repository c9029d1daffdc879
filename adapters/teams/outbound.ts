import type { Clock } from '../../src/core/clock.js';
import { OpsroomError, UserError } from '../../src/core/errors.js';
import { parseQualified, type QualifiedId } from '../../src/core/identity.js';
import type { Logger } from '../../src/core/logger.js';
import type { MessageRef, OutboundMessage } from '../../src/core/message.js';
import type { BotConnection, ConnectorConversations } from './bot-connection.js';
import { joinConversationId, qualifiedConversation, splitConversationId } from './conversation-id.js';
import type { ConversationReferences, TeamsConversationReference } from './conversation-references.js';
import { InvokeCapture } from './invoke-capture.js';
import { renderMessage, type RenderedMessage } from './render-message.js';

const HOW_TO_FIX = 'install the app in that channel or mention the bot there once';

export interface OutboundDeps {
  references: ConversationReferences;
  connection: () => BotConnection;
  clock: Clock;
  logger: Logger;
}

/** Wraps a connector failure; user errors (no reference, a card too large) pass through as they are. */
function platformError(action: string, channelId: string, error: unknown): unknown {
  if (error instanceof OpsroomError) return error;
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  const gone = status === 403 || status === 404;
  return new OpsroomError('E_PLATFORM', `Teams refused to ${action} in ${channelId}${typeof status === 'number' ? ` (HTTP ${status})` : ''}`, {
    cause: error,
    ...(gone ? { hint: `The bot may have been removed from that conversation; ${HOW_TO_FIX}.` } : {}),
  });
}

/** Sends, replies and updates through the Bot Connector, always from a stored conversation reference. */
export class TeamsOutbound {
  constructor(private readonly deps: OutboundDeps) {}

  async send(channelId: string, message: OutboundMessage): Promise<MessageRef> {
    const reference = await this.referenceForSend(channelId);
    this.noteUnsupported(message);
    try {
      const parts = renderMessage(message);
      return await this.post(reference, parts, undefined);
    } catch (error) {
      throw platformError('post a message', channelId, error);
    }
  }

  async reply(to: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    const reference = this.referenceOf(to.channelId);
    this.noteUnsupported(message);
    try {
      return await this.post(reference, renderMessage(message), to);
    } catch (error) {
      throw platformError('reply', to.channelId, error);
    }
  }

  async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    // Rendered first, so a message Teams cannot carry fails here, for the caller, even when an invoke takes it.
    const parts = renderMessage(message);
    const { base } = splitConversationId(parseQualified(ref.channelId)?.id ?? '');
    // The invoke's answer replaces the card only for whoever pressed; the update below replaces it for everyone.
    InvokeCapture.take(base, ref.messageId, message);
    const reference = this.referenceOf(ref.channelId);
    try {
      const replacement = parts.pop() as RenderedMessage;
      const conversationId = joinConversationId(reference.conversationId, reference.conversationType === 'channel' ? ref.threadId : undefined);
      await this.deps.connection().proactive(this.target(reference), (conversations) =>
        conversations.updateActivity(conversationId, ref.messageId, {
          ...this.envelope(reference, conversationId), ...replacement, attachments: replacement.attachments ?? [], id: ref.messageId,
        }));
      // Text too long for one message: the earlier parts follow in the thread rather than being cut.
      if (parts.length > 0) await this.post(reference, parts, ref);
    } catch (error) {
      throw platformError('update a message', ref.channelId, error);
    }
  }

  /** The reference of a conversation, or the error that says how to get one. */
  referenceOf(channelId: string): TeamsConversationReference {
    const parsed = parseQualified(channelId);
    const isConversation = parsed?.platform === 'teams' && (parsed.kind === 'conversation' || parsed.kind === 'channel');
    if (!parsed || !isConversation) {
      throw new UserError('E_NOT_FOUND', `"${channelId}" is not a Teams conversation (expected teams:conversation:<id>)`);
    }
    const qualified = qualifiedConversation(splitConversationId(parsed.id).base);
    const reference = this.deps.references.find(qualified);
    if (!reference) {
      throw new UserError('E_NOT_FOUND', `opsroom has no conversation reference for ${qualified}, so it cannot post there`, {
        hint: `To fix it, ${HOW_TO_FIX}.`,
      });
    }
    return reference;
  }

  private async referenceForSend(channelId: string): Promise<TeamsConversationReference> {
    const parsed = parseQualified(channelId);
    if (parsed?.platform === 'teams' && parsed.kind === 'user') return this.personalReference(channelId);
    return this.referenceOf(channelId);
  }

  /** The personal chat with a user, opened through the connector when opsroom has seen the user but never chatted. */
  private async personalReference(userId: QualifiedId): Promise<TeamsConversationReference> {
    const { references } = this.deps;
    const known = references.personalWith(userId);
    if (known) return known;
    const member = references.memberOf(userId);
    if (!member) {
      throw new UserError('E_NOT_FOUND', `opsroom cannot message ${userId} personally: it has never seen that user`, {
        hint: 'They can message the bot once, or install the app for themselves.',
      });
    }
    let conversationId: string;
    try {
      conversationId = await this.deps.connection().createPersonalConversation(member.serviceUrl, member.botId, member.memberId, member.tenantId);
    } catch (error) {
      throw platformError('open a personal chat', userId, error);
    }
    const reference: TeamsConversationReference = {
      channelId: qualifiedConversation(conversationId), conversationId, conversationType: 'personal', serviceUrl: member.serviceUrl,
      ...(member.tenantId ? { tenantId: member.tenantId } : {}), bot: { id: member.botId },
      user: { id: member.memberId, aadObjectId: parseQualified(userId)?.id as string }, capturedAt: this.deps.clock.now().toISOString(),
    };
    references.add(reference);
    return reference;
  }

  /** Posts the parts in order; returns where the last one (the one carrying a card, if any) lives. */
  private async post(reference: TeamsConversationReference, parts: RenderedMessage[], replyTo: MessageRef | undefined): Promise<MessageRef> {
    const inChannel = reference.conversationType === 'channel';
    let threadId = inChannel ? (replyTo ? (replyTo.threadId ?? replyTo.messageId) : undefined) : undefined;
    let replyToId = replyTo?.messageId;
    let messageId = '';
    await this.deps.connection().proactive(this.target(reference), async (conversations) => {
      for (const part of parts) {
        messageId = await this.postOne(conversations, reference, part, threadId, replyToId);
        // A new channel post starts a thread: the remaining parts continue in it.
        if (inChannel && !threadId) threadId = messageId;
        replyToId ??= messageId;
      }
    });
    return { channelId: reference.channelId, messageId, ...(threadId ? { threadId } : {}) };
  }

  private async postOne(
    conversations: ConnectorConversations, reference: TeamsConversationReference, part: RenderedMessage,
    threadId: string | undefined, replyToId: string | undefined,
  ): Promise<string> {
    const conversationId = joinConversationId(reference.conversationId, threadId);
    const activity = { ...this.envelope(reference, conversationId), ...part, ...(replyToId ? { replyToId } : {}) };
    const response = replyToId
      ? await conversations.replyToActivity(conversationId, replyToId, activity)
      : await conversations.sendToConversation(conversationId, activity);
    if (!response.id) throw new OpsroomError('E_PLATFORM', `the Teams connector accepted a message in ${reference.channelId} but returned no id`);
    return response.id;
  }

  private envelope(reference: TeamsConversationReference, conversationId: string): Record<string, unknown> {
    return {
      channelId: 'msteams', serviceUrl: reference.serviceUrl, from: reference.bot,
      conversation: { id: conversationId, conversationType: reference.conversationType, ...(reference.tenantId ? { tenantId: reference.tenantId } : {}) },
      ...(reference.tenantId ? { channelData: { tenant: { id: reference.tenantId } } } : {}),
    };
  }

  private target(reference: TeamsConversationReference): Parameters<BotConnection['proactive']>[0] {
    return {
      serviceUrl: reference.serviceUrl, conversationId: reference.conversationId, conversationType: reference.conversationType,
      botId: reference.bot.id, ...(reference.tenantId ? { tenantId: reference.tenantId } : {}),
    };
  }

  /** A Teams bot can neither react nor whisper; say so in the log rather than pretending. */
  private noteUnsupported(message: OutboundMessage): void {
    if (message.reactions?.length) this.deps.logger.debug({ reactions: message.reactions }, 'Teams bots cannot add reactions; the buttons carry the choice');
    if (message.ephemeral) this.deps.logger.debug('Teams has no ephemeral bot messages; sent to the conversation');
  }
}
