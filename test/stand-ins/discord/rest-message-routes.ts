import { knownUser, messageObject } from './api-objects.js';
import { announceEdit, announceMessage, announceReaction } from './dispatches.js';
import { readMessageFields, resolveMentions } from './message-rules.js';
import { RestError, unknownChannel, unknownMessage, type RestRequest, type RestResponse, type RouteTable, type StandInContext } from './rest-types.js';
import type { MessageState } from './stand-in-model.js';

const UNICODE_EMOJI = /^(?:\p{Extended_Pictographic}|\p{Regional_Indicator}|[#*0-9]\uFE0F?\u20E3)/u;

/** Creates a message the bot sends (channel message, interaction response or follow-up) and announces it. */
export function createBotMessage(
  ctx: StandInContext, request: RestRequest, channelId: string, extra: Partial<MessageState> = {},
): MessageState {
  if (!ctx.model.locate(channelId)) throw unknownChannel();
  const body = (request.body ?? {}) as Record<string, any>;
  const fields = readMessageFields(body, request.files, request.problems, true);
  if (request.problems.length > 0) throw new RestError(400, 50035, `Invalid Form Body: ${request.problems.join('; ')}`, true);
  const reference = readReference(ctx, request, channelId, body.message_reference);
  const repliedTo = reference ? ctx.model.messages.get(reference.message_id as string) : undefined;
  const message = ctx.model.addMessage({
    ...fields, ...extra, channelId, authorId: ctx.model.bot.id,
    ...(reference ? { reference } : {}),
    ...resolveMentions(ctx.model, fields.content ?? '', body.allowed_mentions, repliedTo),
  });
  announceMessage(ctx, message);
  return message;
}

function readReference(ctx: StandInContext, request: RestRequest, channelId: string, reference: any): MessageState['reference'] {
  if (!reference?.message_id) return undefined;
  const target = ctx.model.messageIn(reference.channel_id ?? channelId, reference.message_id);
  if (target) return { type: 0, message_id: target.id, channel_id: target.channelId, ...(target.guildId ? { guild_id: target.guildId } : {}) };
  if (reference.fail_if_not_exists === false) return undefined;
  request.problems.push(`message_reference names message ${reference.message_id}, which is not in channel ${channelId}`);
  throw new RestError(400, 50035, 'Invalid Form Body: Unknown message', true);
}

/** Applies an edit by the bot to one of its messages and announces it. */
export function editBotMessage(ctx: StandInContext, request: RestRequest, message: MessageState): MessageState {
  if (message.authorId !== ctx.model.bot.id) throw new RestError(403, 50005, 'Cannot edit a message authored by another user', true);
  const body = (request.body ?? {}) as Record<string, any>;
  const fields = readMessageFields(body, request.files, request.problems, false);
  if (request.problems.length > 0) throw new RestError(400, 50035, `Invalid Form Body: ${request.problems.join('; ')}`, true);
  Object.assign(message, fields, { editedAt: new Date().toISOString(), flags: (fields.flags ?? message.flags) & ~(1 << 7) });
  if (fields.content !== undefined || body.allowed_mentions !== undefined) {
    Object.assign(message, resolveMentions(ctx.model, message.content, body.allowed_mentions, undefined));
  }
  announceEdit(ctx, message);
  return message;
}

function existing(ctx: StandInContext, request: RestRequest): MessageState {
  const { channel_id: channelId, message_id: messageId } = request.params as { channel_id: string; message_id: string };
  if (!ctx.model.locate(channelId)) throw unknownChannel();
  const message = ctx.model.messageIn(channelId, messageId);
  if (!message) throw unknownMessage();
  return message;
}

function emojiParam(request: RestRequest): string {
  const emoji = request.params.emoji_name as string;
  if (/^[\w-]{2,32}:\d+$/.test(emoji) || UNICODE_EMOJI.test(emoji)) return emoji;
  request.problems.push(`${JSON.stringify(emoji)} is neither a unicode emoji nor name:id of a custom emoji`);
  throw new RestError(400, 10014, 'Unknown Emoji', true);
}

function react(ctx: StandInContext, request: RestRequest, userId: string, added: boolean): RestResponse {
  const message = existing(ctx, request);
  const emoji = emojiParam(request);
  const changed = added ? ctx.model.react(message, emoji, userId) : ctx.model.unreact(message, emoji, userId);
  if (changed) announceReaction(ctx, message, emoji, userId, added);
  return { status: 204 };
}

/** Channel messages and reactions. */
export function messageRoutes(ctx: StandInContext): RouteTable {
  const json = (message: MessageState): RestResponse => ({ status: 200, body: messageObject(ctx.model, message, ctx.baseUrl()) });
  return {
    'POST /channels/{channel_id}/messages': (request) => json(createBotMessage(ctx, request, request.params.channel_id as string)),
    'GET /channels/{channel_id}/messages/{message_id}': (request) => json(existing(ctx, request)),
    'PATCH /channels/{channel_id}/messages/{message_id}': (request) => json(editBotMessage(ctx, request, existing(ctx, request))),
    'DELETE /channels/{channel_id}/messages/{message_id}': (request) => {
      ctx.model.messages.delete(existing(ctx, request).id);
      return { status: 204 };
    },
    'PUT /channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me': (request) => react(ctx, request, ctx.model.bot.id, true),
    'DELETE /channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me': (request) => react(ctx, request, ctx.model.bot.id, false),
    'DELETE /channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/{user_id}': (request) => react(ctx, request, request.params.user_id as string, false),
    'GET /channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}': (request) => {
      const users = existing(ctx, request).reactions.get(emojiParam(request)) ?? [];
      return { status: 200, body: users.map((id) => knownUser(ctx.model, id)) };
    },
  };
}
