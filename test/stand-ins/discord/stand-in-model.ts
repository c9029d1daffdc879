import type { APIApplicationCommand, APIEmbed, APIMessageReference, APIRole } from 'discord-api-types/v10';
import { nextSnowflake } from './snowflake.js';
import type { ChannelSeed, MemberSeed, UserSeed, World } from './stand-in-world.js';

export interface GuildState {
  id: string;
  name: string;
  ownerId: string;
  roles: Map<string, APIRole>;
  channels: Map<string, ChannelSeed>;
  members: Map<string, MemberSeed>;
  extra: Record<string, unknown>;
}

export interface DmChannelState {
  id: string;
  recipientId: string;
}

export interface AttachmentState {
  id: string;
  filename: string;
  contentType: string;
  size: number;
  data: Buffer;
  text: string;
}

/** A message as the stand-in stores it; `api-objects` turns it into Discord's JSON. */
export interface MessageState {
  id: string;
  channelId: string;
  guildId: string | undefined;
  authorId: string;
  content: string;
  embeds: APIEmbed[];
  components: unknown[];
  attachments: AttachmentState[];
  flags: number;
  reference: APIMessageReference | undefined;
  mentionEveryone: boolean;
  mentionUserIds: string[];
  mentionRoleIds: string[];
  /** Emoji key (`✅` or `name:id`) to the users who reacted, in order. */
  reactions: Map<string, string[]>;
  editedAt: string | undefined;
  webhookId: string | undefined;
  interactionId: string | undefined;
}

/** An interaction the stand-in dispatched, and how the bot answered it. */
export interface InteractionState {
  id: string;
  token: string;
  type: number;
  channelId: string;
  guildId: string | undefined;
  userId: string;
  createdAt: number;
  /** The callback type the bot answered with, once it did. */
  answeredWith: number | undefined;
  originalMessageId: string | undefined;
  /** For a component interaction: the message carrying the component. */
  sourceMessageId: string | undefined;
}

/** The simulated Discord's state: users, guilds, channels, members, roles, messages, commands, interactions. */
export class StandInModel {
  readonly bot: UserSeed;
  readonly applicationId: string;
  readonly applicationFlags: number;
  readonly readyExtra: Record<string, unknown>;
  readonly users = new Map<string, UserSeed>();
  readonly guilds = new Map<string, GuildState>();
  readonly dms = new Map<string, DmChannelState>();
  readonly messages = new Map<string, MessageState>();
  readonly globalCommands: APIApplicationCommand[] = [];
  readonly guildCommands = new Map<string, APIApplicationCommand[]>();
  readonly interactions = new Map<string, InteractionState>();

  constructor(world: World) {
    this.bot = world.bot;
    this.applicationId = world.applicationId;
    this.applicationFlags = world.applicationFlags;
    this.readyExtra = world.readyExtra ?? {};
    for (const user of [world.bot, ...world.users]) this.users.set(user.id, user);
    for (const guild of world.guilds) {
      this.guilds.set(guild.id, {
        id: guild.id, name: guild.name, ownerId: guild.ownerId, extra: guild.extra ?? {},
        roles: new Map(guild.roles.map((r) => [r.id, r])),
        channels: new Map(guild.channels.map((c) => [c.id, c])),
        members: new Map(guild.members.map((m) => [m.userId, m])),
      });
    }
    for (const seed of world.messages) {
      this.addMessage({ id: seed.id, channelId: seed.channelId, authorId: seed.authorId, content: seed.content });
    }
  }

  /** The guild a channel belongs to, or `dm` for a direct-message channel; undefined when the channel does not exist. */
  locate(channelId: string): { guild: GuildState; channel: ChannelSeed } | { dm: DmChannelState } | undefined {
    const dm = this.dms.get(channelId);
    if (dm) return { dm };
    for (const guild of this.guilds.values()) {
      const channel = guild.channels.get(channelId);
      if (channel) return { guild, channel };
    }
    return undefined;
  }

  guildIdOf(channelId: string): string | undefined {
    const where = this.locate(channelId);
    return where && 'guild' in where ? where.guild.id : undefined;
  }

  /** The DM channel between the bot and a user, opened on first use. */
  openDm(userId: string): DmChannelState {
    for (const dm of this.dms.values()) if (dm.recipientId === userId) return dm;
    const dm = { id: nextSnowflake(), recipientId: userId };
    this.dms.set(dm.id, dm);
    return dm;
  }

  addMessage(input: Partial<MessageState> & { channelId: string; authorId: string }): MessageState {
    const message: MessageState = {
      id: input.id ?? nextSnowflake(), channelId: input.channelId, guildId: this.guildIdOf(input.channelId),
      authorId: input.authorId, content: input.content ?? '', embeds: input.embeds ?? [], components: input.components ?? [],
      attachments: input.attachments ?? [], flags: input.flags ?? 0, reference: input.reference,
      mentionEveryone: input.mentionEveryone ?? false, mentionUserIds: input.mentionUserIds ?? [], mentionRoleIds: input.mentionRoleIds ?? [],
      reactions: new Map(), editedAt: undefined, webhookId: input.webhookId, interactionId: input.interactionId,
    };
    this.messages.set(message.id, message);
    return message;
  }

  messageIn(channelId: string, messageId: string): MessageState | undefined {
    const message = this.messages.get(messageId);
    return message?.channelId === channelId ? message : undefined;
  }

  /** Adds a user's reaction; false when it was already there. */
  react(message: MessageState, emoji: string, userId: string): boolean {
    const users = message.reactions.get(emoji) ?? [];
    if (users.includes(userId)) return false;
    message.reactions.set(emoji, [...users, userId]);
    return true;
  }

  /** Removes a user's reaction; false when there was none. */
  unreact(message: MessageState, emoji: string, userId: string): boolean {
    const users = message.reactions.get(emoji) ?? [];
    if (!users.includes(userId)) return false;
    const rest = users.filter((u) => u !== userId);
    if (rest.length === 0) message.reactions.delete(emoji);
    else message.reactions.set(emoji, rest);
    return true;
  }

  commandsOf(guildId: string | undefined): APIApplicationCommand[] {
    return guildId === undefined ? this.globalCommands : this.guildCommands.get(guildId) ?? [];
  }

  /** A registered command by name, guild commands first, as Discord resolves them. */
  findCommand(name: string, guildId: string | undefined): APIApplicationCommand | undefined {
    const inGuild = guildId === undefined ? undefined : this.guildCommands.get(guildId)?.find((c) => c.name === name);
    return inGuild ?? this.globalCommands.find((c) => c.name === name);
  }

  interactionByToken(token: string): InteractionState | undefined {
    for (const interaction of this.interactions.values()) if (interaction.token === token) return interaction;
    return undefined;
  }
}
