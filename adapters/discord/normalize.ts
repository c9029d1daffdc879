import {
  GuildMember, MessageType,
  type APIInteractionGuildMember, type ButtonInteraction, type ChatInputCommandInteraction, type Message, type PartialMessage,
  type User,
} from 'discord.js';
import type { ActionEvent, Actor, ChannelRef, MessageEvent, ReactionEvent } from '../../src/core/chat-event.js';
import type { CommandSpec } from '../../src/core/command.js';
import { qualify } from '../../src/core/identity.js';
import { decodeButtonId } from './button-id.js';
import { commandLineOf, type SlashOption } from './command-line.js';

type AnyMember = GuildMember | APIInteractionGuildMember | null | undefined;

/** Role ids of a member as `discord:role:<id>`, without @everyone (whose id is the guild's). */
function groupsOf(member: AnyMember, guildId: string | null): string[] {
  if (!member) return [];
  const ids = member instanceof GuildMember ? [...member.roles.cache.keys()] : member.roles;
  return ids.filter((id) => id !== guildId).map((id) => qualify('discord', 'role', id));
}

export function actorOf(user: User, member: AnyMember, guildId: string | null): Actor {
  const display = member instanceof GuildMember ? member.displayName : member?.nick ?? undefined;
  return {
    id: qualify('discord', 'user', user.id), name: display ?? user.globalName ?? user.username, isBot: user.bot,
    groups: groupsOf(member, guildId),
  };
}

export function channelRefOf(channelId: string, guildId: string | null, name?: string | null): ChannelRef {
  return { id: qualify('discord', 'channel', channelId), isDirect: guildId === null, ...(name ? { name } : {}) };
}

function channelName(channel: unknown): string | undefined {
  const name = (channel as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : undefined;
}

/** Removes every mention of the bot (`<@id>`, `<@!id>`) and the space it leaves. */
export function stripMention(content: string, botId: string): { text: string; mentioned: boolean } {
  const pattern = new RegExp(`<@!?${botId}>`, 'g');
  if (!pattern.test(content)) return { text: content, mentioned: false };
  return { text: content.replace(pattern, ' ').replace(/[ \t]{2,}/g, ' ').trim(), mentioned: true };
}

const CONVERSATION_TYPES = new Set([MessageType.Default, MessageType.Reply]);

/** A person's message as a ChatEvent; undefined for bots, webhooks, system messages and malformed ones. */
export function normalizeMessage(message: Message, botId: string, receivedAt: Date): MessageEvent | undefined {
  const author = message.author as User | null | undefined;
  if (!author || author.bot || message.webhookId !== null || message.system || !CONVERSATION_TYPES.has(message.type)) return undefined;
  const { text, mentioned } = stripMention(message.content ?? '', botId);
  const thread = message.channel?.isThread?.() === true;
  return {
    type: 'message', id: `message:${message.id}`, messageId: message.id, platform: 'discord', text, mentionsBot: mentioned,
    actor: actorOf(author, message.member, message.guildId), channel: channelRefOf(message.channelId, message.guildId, channelName(message.channel)),
    receivedAt, ...(thread ? { threadId: message.channelId } : {}),
  };
}

/** A reaction added or removed by a person; the caller has made sure the user is complete and not a bot. */
export function normalizeReaction(
  input: { id: string; message: Message | PartialMessage; emoji: string; user: User; member: AnyMember; added: boolean }, receivedAt: Date,
): ReactionEvent {
  const { message } = input;
  return {
    type: 'reaction', id: input.id, platform: 'discord', messageId: message.id, emoji: input.emoji, added: input.added,
    actor: actorOf(input.user, input.member, message.guildId), receivedAt,
    channel: channelRefOf(message.channelId, message.guildId, channelName(message.channel)),
  };
}

/** A slash command as a message addressed to the bot, its text the command line the options stand for. */
export function normalizeSlashCommand(interaction: ChatInputCommandInteraction, routes: ReadonlyMap<string, CommandSpec>, receivedAt: Date): MessageEvent {
  const text = commandLineOf(interaction.commandName, interaction.options.data as readonly SlashOption[], routes);
  return {
    type: 'message', id: `interaction:${interaction.id}`, messageId: interaction.id, platform: 'discord', text, mentionsBot: true,
    actor: actorOf(interaction.user, interaction.member, interaction.guildId),
    channel: channelRefOf(interaction.channelId, interaction.guildId, channelName(interaction.channel)), receivedAt,
  };
}

/** A button press as an `action` event: the id and value the button was sent with. */
export function normalizeButton(interaction: ButtonInteraction, receivedAt: Date): ActionEvent {
  const { actionId, value } = decodeButtonId(interaction.customId);
  return {
    type: 'action', id: `interaction:${interaction.id}`, platform: 'discord', messageId: interaction.message.id, actionId, value,
    actor: actorOf(interaction.user, interaction.member, interaction.guildId),
    channel: channelRefOf(interaction.channelId, interaction.guildId, channelName(interaction.channel)), receivedAt,
  };
}

/** How a reaction's emoji reads in opsroom: the character itself, or `<:name:id>` for a custom emoji. */
export function emojiText(emoji: { id: string | null; name: string | null; animated?: boolean | null }): string {
  if (emoji.id === null) return emoji.name ?? '';
  return `<${emoji.animated ? 'a' : ''}:${emoji.name ?? '_'}:${emoji.id}>`;
}
