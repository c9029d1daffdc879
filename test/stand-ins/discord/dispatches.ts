import {
  ChannelType, GatewayDispatchEvents, ReactionType, type TextChannelType,
  type GatewayMessageCreateDispatch, type GatewayMessageCreateDispatchData, type GatewayMessageReactionAddDispatch,
  type GatewayMessageReactionRemoveDispatch, type GatewayMessageUpdateDispatch,
} from 'discord-api-types/v10';
import { emojiOf, knownUser, memberFields, messageObject } from './api-objects.js';
import type { StandInContext } from './rest-types.js';
import type { MessageState } from './stand-in-model.js';

const EPHEMERAL = 1 << 6;

/** The MESSAGE_CREATE of a stored message, with `member` and mentioned members as Discord adds them in guilds. */
export function messageCreateData(ctx: StandInContext, message: MessageState): GatewayMessageCreateDispatchData {
  const json = messageObject(ctx.model, message, ctx.baseUrl());
  const guild = message.guildId ? ctx.model.guilds.get(message.guildId) : undefined;
  const member = guild?.members.get(message.authorId);
  const mentions = json.mentions.map((user) => {
    const mentioned = guild?.members.get(user.id);
    return mentioned ? { ...user, member: memberFields(mentioned) } : user;
  });
  const where = ctx.model.locate(message.channelId);
  const channelType = (where && 'dm' in where ? ChannelType.DM : where?.channel.type) as TextChannelType | undefined;
  return {
    ...json, mentions,
    ...(channelType === undefined ? {} : { channel_type: channelType }),
    ...(message.guildId ? { guild_id: message.guildId } : {}),
    ...(member && !message.webhookId ? { member: memberFields(member) } : {}),
  };
}

/** Announces a new message on the gateway, as Discord does for every non-ephemeral message (the bot's own included). */
export function announceMessage(ctx: StandInContext, message: MessageState): void {
  if ((message.flags & EPHEMERAL) !== 0) return;
  ctx.dispatch<GatewayMessageCreateDispatch>(GatewayDispatchEvents.MessageCreate, messageCreateData(ctx, message), message.guildId);
}

export function announceEdit(ctx: StandInContext, message: MessageState): void {
  if ((message.flags & EPHEMERAL) !== 0) return;
  ctx.dispatch<GatewayMessageUpdateDispatch>(GatewayDispatchEvents.MessageUpdate, messageCreateData(ctx, message), message.guildId);
}

/** MESSAGE_REACTION_ADD / REMOVE; the add carries the member in guilds, the remove never does (as on Discord). */
export function announceReaction(ctx: StandInContext, message: MessageState, emoji: string, userId: string, added: boolean): void {
  const base = {
    user_id: userId, channel_id: message.channelId, message_id: message.id, emoji: emojiOf(emoji),
    burst: false, type: ReactionType.Normal, ...(message.guildId ? { guild_id: message.guildId } : {}),
  };
  if (!added) {
    ctx.dispatch<GatewayMessageReactionRemoveDispatch>(GatewayDispatchEvents.MessageReactionRemove, base, message.guildId);
    return;
  }
  const member = message.guildId ? ctx.model.guilds.get(message.guildId)?.members.get(userId) : undefined;
  ctx.dispatch<GatewayMessageReactionAddDispatch>(GatewayDispatchEvents.MessageReactionAdd, {
    ...base, burst_colors: [], message_author_id: message.authorId,
    ...(member ? { member: { ...memberFields(member), user: knownUser(ctx.model, userId) } } : {}),
  }, message.guildId);
}
