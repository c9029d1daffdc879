import { DiscordAPIError, Routes, type APIMessage, type REST } from 'discord.js';
import { OpsroomError } from '../../src/core/errors.js';
import type { MessageBody, MessagePart } from './render-message.js';

/** Wraps a refusal by Discord into opsroom's platform error, naming what was attempted. */
export function platformError(action: string, error: unknown): unknown {
  if (error instanceof DiscordAPIError) {
    return new OpsroomError('E_PLATFORM', `${action}: Discord answered ${error.status} (code ${String(error.code)}: ${error.message})`, { cause: error });
  }
  return error;
}

/** An emoji as the reactions route takes it: `name:id` for a custom emoji, the character itself percent-encoded otherwise. */
export function emojiForRoute(emoji: string): string {
  const custom = /^<a?:([\w-]+):(\d+)>$/.exec(emoji.trim());
  if (custom) return `${custom[1]}:${custom[2]}`;
  if (/^[\w-]+:\d+$/.test(emoji.trim())) return emoji.trim();
  return encodeURIComponent(emoji.trim());
}

/** Body and files of a REST request for one message part; files only when there are some (else the body goes as JSON). */
export function requestOf(body: MessageBody | Record<string, unknown>, files: MessagePart['files']): { body: unknown; files?: MessagePart['files'] } {
  return files.length > 0 ? { body, files } : { body };
}

/** Channel messages through discord.js's REST client, which queues per route and waits out 429s. */
export class MessageSender {
  constructor(private readonly rest: REST) {}

  /** Posts the parts in order, the first as a reply when `replyTo` is given; returns the id of each message. */
  async post(channelId: string, parts: readonly MessagePart[], replyTo?: string): Promise<string[]> {
    const ids: string[] = [];
    for (const [index, part] of parts.entries()) {
      // A reply still goes out when the message it answers was deleted meanwhile.
      const reference = index === 0 && replyTo !== undefined ? { message_reference: { message_id: replyTo, fail_if_not_exists: false } } : {};
      try {
        const sent = await this.rest.post(Routes.channelMessages(channelId), requestOf({ ...part.body, ...reference }, part.files)) as APIMessage;
        ids.push(sent.id);
      } catch (error) {
        throw platformError(`posting in channel ${channelId}`, error);
      }
    }
    return ids;
  }

  async edit(channelId: string, messageId: string, part: MessagePart): Promise<void> {
    try {
      await this.rest.patch(Routes.channelMessage(channelId, messageId), requestOf(part.body, part.files));
    } catch (error) {
      throw platformError(`editing message ${messageId}`, error);
    }
  }

  async react(channelId: string, messageId: string, emoji: string): Promise<void> {
    try {
      await this.rest.put(Routes.channelMessageOwnReaction(channelId, messageId, emojiForRoute(emoji)));
    } catch (error) {
      throw platformError(`reacting ${emoji} to message ${messageId}`, error);
    }
  }
}
