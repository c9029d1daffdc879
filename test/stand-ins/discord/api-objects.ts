import {
  ChannelType, type ChannelFlags, type GuildMemberFlags, type UserFlags, GuildDefaultMessageNotifications, GuildExplicitContentFilter, GuildMFALevel, GuildNSFWLevel, GuildPremiumTier,
  GuildSystemChannelFlags, GuildVerificationLevel, Locale, MessageType,
  type APIAttachment, type APIChannel, type APIGuildMember, type APIMessage, type APIReaction, type APIUser,
  type GatewayGuildCreateDispatchData,
} from 'discord-api-types/v10';
import { timestampOf } from './snowflake.js';
import type { GuildState, MessageState, StandInModel } from './stand-in-model.js';
import type { MemberSeed, UserSeed } from './stand-in-world.js';

const JOINED_AT = '2024-01-01T00:00:00.000000+00:00';

/** A user as Discord sends it today (the spec requires `public_flags`, `flags`, `global_name`, `primary_guild`). */
export function userObject(seed: UserSeed): APIUser {
  return {
    id: seed.id, username: seed.username, discriminator: '0', global_name: seed.globalName ?? null, avatar: null,
    bot: seed.bot ?? false, public_flags: 0 as UserFlags, flags: 0 as UserFlags, primary_guild: null, avatar_decoration_data: null, collectibles: null,
  };
}

export function knownUser(model: StandInModel, userId: string): APIUser {
  const seed = model.users.get(userId);
  return userObject(seed ?? { id: userId, username: `user${userId.slice(-4)}` });
}

/** A member without its user, as MESSAGE_CREATE carries it. */
export function memberFields(member: MemberSeed): Omit<APIGuildMember, 'user'> {
  return {
    nick: member.nick ?? null, avatar: null, banner: null, roles: [...member.roles], joined_at: member.joinedAt ?? JOINED_AT,
    premium_since: null, deaf: false, mute: false, flags: 0 as GuildMemberFlags, pending: false, communication_disabled_until: null,
  };
}

export function memberObject(model: StandInModel, member: MemberSeed): APIGuildMember {
  return { ...memberFields(member), user: knownUser(model, member.userId) };
}

export function emojiOf(key: string): { id: string | null; name: string } {
  const custom = /^(.+):(\d+)$/.exec(key);
  return custom ? { name: custom[1] as string, id: custom[2] as string } : { name: key, id: null };
}

function reactionsOf(message: MessageState, botId: string): APIReaction[] {
  return [...message.reactions].map(([key, users]) => ({
    emoji: emojiOf(key), count: users.length, count_details: { burst: 0, normal: users.length },
    me: users.includes(botId), me_burst: false, burst_colors: [],
  }));
}

function attachmentObject(attachment: MessageState['attachments'][number], baseUrl: string): APIAttachment {
  const url = `${baseUrl}/attachments/${attachment.id}/${encodeURIComponent(attachment.filename)}`;
  return {
    id: attachment.id, filename: attachment.filename, size: attachment.size, url, proxy_url: url, content_type: attachment.contentType,
  };
}

/** A stored message as Discord's JSON. `baseUrl` is where attachment URLs point. */
export function messageObject(model: StandInModel, message: MessageState, baseUrl: string): APIMessage {
  const json: APIMessage = {
    id: message.id, channel_id: message.channelId, author: knownUser(model, message.authorId), content: message.content,
    timestamp: timestampOf(message.id), edited_timestamp: message.editedAt ?? null, tts: false,
    mention_everyone: message.mentionEveryone, mentions: message.mentionUserIds.map((id) => knownUser(model, id)),
    mention_roles: [...message.mentionRoleIds], attachments: message.attachments.map((a) => attachmentObject(a, baseUrl)),
    embeds: message.embeds, pinned: false, type: message.reference ? MessageType.Reply : MessageType.Default,
    flags: message.flags, components: message.components as APIMessage['components'],
  };
  if (message.reactions.size > 0) json.reactions = reactionsOf(message, model.bot.id);
  if (message.reference) json.message_reference = message.reference;
  if (message.webhookId) json.webhook_id = message.webhookId;
  if (message.interactionId) json.application_id = model.applicationId;
  return json;
}

/** A channel as `GET /channels/{id}` returns it. */
export function channelObject(model: StandInModel, channelId: string): APIChannel | undefined {
  const where = model.locate(channelId);
  if (!where) return undefined;
  if ('dm' in where) {
    return {
      id: where.dm.id, type: ChannelType.DM, name: null, last_message_id: null, flags: 0 as ChannelFlags,
      recipients: [knownUser(model, where.dm.recipientId)],
    };
  }
  return { ...where.channel, guild_id: where.guild.id } as unknown as APIChannel;
}

type GuildDefaults = Omit<GatewayGuildCreateDispatchData, 'id' | 'name' | 'owner_id' | 'roles' | 'channels' | 'members' | 'member_count'>;

function guildDefaults(): GuildDefaults {
  return {
    icon: null, splash: null, discovery_splash: null, afk_channel_id: null, afk_timeout: 300, widget_enabled: false,
    verification_level: GuildVerificationLevel.None, default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
    explicit_content_filter: GuildExplicitContentFilter.Disabled, emojis: [], features: [], mfa_level: GuildMFALevel.None,
    application_id: null, system_channel_id: null, system_channel_flags: 0 as GuildSystemChannelFlags, rules_channel_id: null,
    vanity_url_code: null, description: null, banner: null, premium_tier: GuildPremiumTier.None, premium_subscription_count: 0,
    preferred_locale: Locale.EnglishUS, public_updates_channel_id: null, nsfw_level: GuildNSFWLevel.Default, stickers: [],
    premium_progress_bar_enabled: false, hub_type: null, safety_alerts_channel_id: null, incidents_data: null,
    region: 'deprecated', max_members: 500000, max_video_channel_users: 25, max_stage_video_channel_users: 50,
    joined_at: JOINED_AT, large: false, unavailable: false, voice_states: [], threads: [], presences: [],
    stage_instances: [], guild_scheduled_events: [], soundboard_sounds: [],
  };
}

/** The GUILD_CREATE of a guild: recorded fields kept, the model's roles, channels and members on top. */
export function guildCreateObject(model: StandInModel, guild: GuildState): GatewayGuildCreateDispatchData {
  const current = {
    id: guild.id, name: guild.name, owner_id: guild.ownerId, roles: [...guild.roles.values()],
    channels: [...guild.channels.values()] as unknown as GatewayGuildCreateDispatchData['channels'],
    members: [...guild.members.values()].map((m) => memberObject(model, m)), member_count: guild.members.size,
  };
  return Object.assign(guildDefaults(), guild.extra, current);
}
