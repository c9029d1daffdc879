import { readFileSync } from 'node:fs';
import type { APIRole, GatewayDispatchPayload } from 'discord-api-types/v10';
import { roleSeed, type ChannelSeed, type GuildSeed, type MemberSeed, type UserSeed, type World } from './stand-in-world.js';

/** Recorded payloads of the real Discord gateway (see each `*.source.txt` for where they come from). */
export type FixtureName = 'READY' | 'GUILD_CREATE' | 'MESSAGE_CREATE' | 'INTERACTION_CREATE.modal_submit';

/** A recorded dispatch envelope `{ t, s, op, d }`, exactly as stored. */
export function loadFixture(name: FixtureName): { t: string; s: number; op: number; d: any } {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as { t: string; s: number; op: number; d: any };
}

/** The recorded MESSAGE_REACTION_ADD data (`d` only; the recording has no envelope). */
export function loadReactionAddFixture(): Extract<GatewayDispatchPayload, { t: 'MESSAGE_REACTION_ADD' }>['d'] {
  return JSON.parse(readFileSync(new URL('./fixtures/MESSAGE_REACTION_ADD.d.json', import.meta.url), 'utf8'));
}

function userOf(raw: { id: string; username: string; bot?: boolean; global_name?: string | null }): UserSeed {
  return { id: raw.id, username: raw.username, bot: raw.bot ?? false, globalName: raw.global_name ?? null };
}

/** The recorded GUILD_CREATE as a guild seed: roles, channels and members as recorded, every other field kept. */
function recordedGuild(users: Map<string, UserSeed>): GuildSeed {
  const { id, name, owner_id: ownerId, roles, channels, members, ...extra } = loadFixture('GUILD_CREATE').d;
  for (const member of members as Array<{ user: Parameters<typeof userOf>[0] }>) users.set(member.user.id, userOf(member.user));
  return {
    id, name, ownerId, roles: roles as APIRole[], channels: channels as ChannelSeed[], extra,
    members: (members as Array<{ user: { id: string }; roles: string[]; nick: string | null; joined_at: string }>)
      .map((m): MemberSeed => ({ userId: m.user.id, roles: m.roles, nick: m.nick, joinedAt: m.joined_at })),
  };
}

function textChannel(id: string, name: string): ChannelSeed {
  return { id, type: 0, name, position: 0, permission_overwrites: [], parent_id: null, flags: 0 };
}

/** The guild the recorded MESSAGE_CREATE was sent in, rebuilt from that message (its channel, author and role). */
function messageGuild(users: Map<string, UserSeed>): GuildSeed {
  const message = loadFixture('MESSAGE_CREATE').d;
  users.set(message.author.id, userOf(message.author));
  return {
    id: message.guild_id, name: 'recorded message guild', ownerId: message.author.id,
    roles: [roleSeed(message.guild_id, '@everyone', 0), ...(message.member.roles as string[]).map((r, i) => roleSeed(r, `role ${i + 1}`, i + 1))],
    channels: [textChannel(message.channel_id, 'recorded')],
    members: [{ userId: message.author.id, roles: message.member.roles, joinedAt: message.member.joined_at }],
  };
}

/** The guild of the recorded reaction, with the reacted message existing but never sent to the bot (so it is uncached). */
function reactionGuild(users: Map<string, UserSeed>, botId: string): { guild: GuildSeed; messageId: string; channelId: string } {
  const reaction = loadReactionAddFixture();
  users.set(reaction.user_id, { id: reaction.user_id, username: 'recorded-reactor' });
  const guildId = reaction.guild_id as string;
  return {
    guild: {
      id: guildId, name: 'recorded reaction guild', ownerId: reaction.user_id, roles: [roleSeed(guildId, '@everyone', 0)],
      channels: [textChannel(reaction.channel_id, 'reactions')],
      members: [{ userId: reaction.user_id, roles: [] }, { userId: botId, roles: [] }],
    },
    messageId: reaction.message_id, channelId: reaction.channel_id,
  };
}

/**
 * A world made of the recordings: the bot and application of READY, the guild of GUILD_CREATE as recorded, and the
 * guilds the recorded MESSAGE_CREATE and MESSAGE_REACTION_ADD happened in, so each replays against a consistent world.
 */
export function fixtureWorld(): World {
  const ready = loadFixture('READY').d;
  const { user, application, guilds: _guilds, session_id: _s, resume_gateway_url: _r, v: _v, ...readyExtra } = ready;
  const users = new Map<string, UserSeed>();
  const bot = userOf(user);
  const reaction = reactionGuild(users, bot.id);
  const guilds = [recordedGuild(users), messageGuild(users), reaction.guild];
  users.delete(bot.id);
  return {
    bot, applicationId: application.id, applicationFlags: application.flags, users: [...users.values()], guilds, readyExtra,
    messages: [{ id: reaction.messageId, channelId: reaction.channelId, authorId: bot.id, content: 'a message recorded in 2017' }],
  };
}
