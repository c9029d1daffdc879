import { ChannelType, type APIRole, type RoleFlags } from 'discord-api-types/v10';

/** A user of the simulated Discord. */
export interface UserSeed {
  id: string;
  username: string;
  bot?: boolean;
  globalName?: string | null;
}

/** A guild channel as GUILD_CREATE carries it; recorded fixtures bring more fields, which are kept as they are. */
export interface ChannelSeed {
  id: string;
  type: ChannelType;
  name: string;
  parent_id?: string | null;
  [field: string]: unknown;
}

export interface MemberSeed {
  userId: string;
  roles: string[];
  nick?: string | null;
  joinedAt?: string;
}

export interface GuildSeed {
  id: string;
  name: string;
  ownerId: string;
  roles: APIRole[];
  channels: ChannelSeed[];
  members: MemberSeed[];
  /** Every other GUILD_CREATE field, as recorded; sent as is. */
  extra?: Record<string, unknown>;
}

/** A message that exists before the bot connects (so the bot has never cached it). */
export interface MessageSeed {
  id: string;
  channelId: string;
  authorId: string;
  content: string;
}

/** Everything the stand-in knows when it starts. */
export interface World {
  bot: UserSeed;
  applicationId: string;
  applicationFlags: number;
  users: UserSeed[];
  guilds: GuildSeed[];
  messages: MessageSeed[];
  /** Extra READY fields, as recorded. */
  readyExtra?: Record<string, unknown>;
}

/** Ids of the default world, for tests. */
export const IDS = {
  guild: '1310000000000000000',
  labGuild: '1310000000004194304',
  roles: { operator: '1310000000000000101', approver: '1310000000000000102' },
  channels: { category: '1310000000000000200', ops: '1310000000000000201', builds: '1310000000000000202', lab: '1310000000004194305' },
  users: {
    bot: '1310000000000000300', alice: '1310000000000000301', bob: '1310000000000000302',
    carol: '1310000000000000303', deploybot: '1310000000000000304',
  },
  messages: { old: '1310000000000000400' },
} as const;

export function roleSeed(id: string, name: string, position: number, permissions = '0'): APIRole {
  return {
    id, name, color: 0, colors: { primary_color: 0, secondary_color: null, tertiary_color: null }, hoist: false, icon: null,
    unicode_emoji: null, position, permissions, managed: false, mentionable: false, flags: 0 as RoleFlags,
  };
}

function textChannel(id: string, name: string, parent: string | null, position: number): ChannelSeed {
  return {
    id, type: ChannelType.GuildText, name, parent_id: parent, position, topic: null, nsfw: false,
    rate_limit_per_user: 0, permission_overwrites: [], last_message_id: null, flags: 0,
  };
}

/**
 * The world most tests use: guild "opsroom-test" with #ops and #builds, users alice (operator), bob (approver),
 * carol (no role), a bot user, and a second guild on the other shard when two shards run.
 */
export function defaultWorld(): World {
  const { users, roles, channels } = IDS;
  return {
    bot: { id: users.bot, username: 'opsroom', bot: true },
    applicationId: users.bot,
    applicationFlags: 0,
    users: [
      { id: users.alice, username: 'alice', globalName: 'Alice' },
      { id: users.bob, username: 'bob', globalName: 'Bob' },
      { id: users.carol, username: 'carol', globalName: null },
      { id: users.deploybot, username: 'deploybot', bot: true },
    ],
    guilds: [
      {
        id: IDS.guild, name: 'opsroom-test', ownerId: users.alice,
        roles: [roleSeed(IDS.guild, '@everyone', 0, '1071698660929'), roleSeed(roles.operator, 'operator', 1), roleSeed(roles.approver, 'approver', 2)],
        channels: [
          { id: channels.category, type: ChannelType.GuildCategory, name: 'Text Channels', position: 0, permission_overwrites: [], flags: 0 },
          textChannel(channels.ops, 'ops', channels.category, 0),
          textChannel(channels.builds, 'builds', channels.category, 1),
        ],
        members: [
          { userId: users.alice, roles: [roles.operator] },
          { userId: users.bob, roles: [roles.approver] },
          { userId: users.carol, roles: [] },
          { userId: users.deploybot, roles: [] },
          { userId: users.bot, roles: [] },
        ],
      },
      {
        id: IDS.labGuild, name: 'opsroom-lab', ownerId: users.alice,
        roles: [roleSeed(IDS.labGuild, '@everyone', 0, '1071698660929')],
        channels: [textChannel(channels.lab, 'lab', null, 0)],
        members: [{ userId: users.alice, roles: [] }, { userId: users.bot, roles: [] }],
      },
    ],
    messages: [{ id: IDS.messages.old, channelId: channels.ops, authorId: users.bot, content: 'Approve deploy web prod? React with ✅' }],
  };
}
