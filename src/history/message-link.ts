import { parseQualified } from '../core/identity.js';

/** What a link to a chat message needs beyond the audit entry. */
export interface LinkSettings {
  /** Discord links name the guild, which a channel id does not carry. */
  discordGuildId?: string;
}

/**
 * A link that opens the chat message in its client, where the platform has one: Discord (with the guild known) and
 * Teams channel conversations. Undefined otherwise (the terminal and web console, Teams chats, unknown ids).
 */
export function messageLink(channelId: string | null, messageId: string | undefined, settings: LinkSettings): string | undefined {
  if (channelId === null || messageId === undefined || messageId === '') return undefined;
  const channel = parseQualified(channelId);
  if (!channel) return undefined;
  if (channel.platform === 'discord' && settings.discordGuildId !== undefined && /^\d+$/.test(messageId)) {
    return `https://discord.com/channels/${settings.discordGuildId}/${channel.id}/${messageId}`;
  }
  if (channel.platform === 'teams') {
    const conversation = channel.id.split(';')[0] ?? '';
    if (!conversation.endsWith('@thread.tacv2') && !conversation.endsWith('@thread.skype')) return undefined;
    return `https://teams.microsoft.com/l/message/${encodeURIComponent(conversation)}/${encodeURIComponent(messageId)}`;
  }
  return undefined;
}

/** A user as chat shows them: a Discord mention renders as the name; elsewhere the name recorded with the command. */
export function userLabel(actorId: string, name: string | undefined): string {
  const user = parseQualified(actorId);
  if (user?.platform === 'discord' && /^\d+$/.test(user.id)) return `<@${user.id}>`;
  return name ?? user?.id ?? actorId;
}

/** A channel as chat shows it: a Discord channel mention, `#name` where the name is known. */
export function channelLabel(channelId: string | null, name: string | undefined): string {
  if (channelId === null) return 'somewhere';
  const channel = parseQualified(channelId);
  if (channel?.platform === 'discord' && /^\d+$/.test(channel.id)) return `<#${channel.id}>`;
  if (name !== undefined) return `#${name}`;
  if (channel?.platform === 'local') return `#${channel.id}`;
  return channel?.platform === 'teams' ? 'a Teams conversation' : channelId;
}
