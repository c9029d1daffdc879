import { ApplicationCommandType, type APIApplicationCommand, type RESTGetAPIGatewayBotResult } from 'discord-api-types/v10';
import { channelObject, guildCreateObject, knownUser, memberObject } from './api-objects.js';
import { nextSnowflake } from './snowflake.js';
import { RestError, unknownChannel, type RestRequest, type RestResponse, type RouteTable, type StandInContext } from './rest-types.js';
import type { GuildState } from './stand-in-model.js';

function guildOf(ctx: StandInContext, request: RestRequest): GuildState {
  const guild = ctx.model.guilds.get(request.params.guild_id as string);
  if (!guild) throw new RestError(404, 10004, 'Unknown Guild');
  return guild;
}

function ok(body: unknown): RestResponse {
  return { status: 200, body };
}

/** Gateway discovery, users, guilds, members, roles and channels. */
export function guildRoutes(ctx: StandInContext): RouteTable {
  const gatewayBot = (): RestResponse => ok({
    url: ctx.gatewayUrl(), shards: ctx.shardCount,
    session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 16 },
  } satisfies RESTGetAPIGatewayBotResult);
  return {
    'GET /gateway': () => ok({ url: ctx.gatewayUrl() }),
    'GET /gateway/bot': gatewayBot,
    'GET /users/@me': () => ok(knownUser(ctx.model, ctx.model.bot.id)),
    'GET /users/{user_id}': (request) => {
      if (!ctx.model.users.has(request.params.user_id as string)) throw new RestError(404, 10013, 'Unknown User');
      return ok(knownUser(ctx.model, request.params.user_id as string));
    },
    'POST /users/@me/channels': (request) => {
      const recipient = request.body?.recipient_id as string | undefined;
      if (!recipient || !ctx.model.users.has(recipient)) throw new RestError(400, 50035, 'Invalid Form Body: unknown recipient_id');
      return ok(channelObject(ctx.model, ctx.model.openDm(recipient).id));
    },
    'GET /applications/@me': () => ok({
      id: ctx.model.applicationId, name: ctx.model.bot.username, icon: null, description: '', bot_public: true,
      bot_require_code_grant: false, verify_key: '0'.repeat(64), flags: ctx.model.applicationFlags, team: null,
      bot: knownUser(ctx.model, ctx.model.bot.id),
    }),
    'GET /channels/{channel_id}': (request) => {
      const channel = channelObject(ctx.model, request.params.channel_id as string);
      if (!channel) throw unknownChannel();
      return ok(channel);
    },
    'GET /guilds/{guild_id}': (request) => {
      const { channels: _c, members: _m, ...guild } = guildCreateObject(ctx.model, guildOf(ctx, request));
      return ok(guild);
    },
    'GET /guilds/{guild_id}/channels': (request) => ok([...guildOf(ctx, request).channels.values()].map((c) => channelObject(ctx.model, c.id))),
    'GET /guilds/{guild_id}/roles': (request) => ok([...guildOf(ctx, request).roles.values()]),
    'GET /guilds/{guild_id}/members': (request) => {
      const limit = Number(request.query.get('limit') ?? 1);
      const after = BigInt(request.query.get('after') ?? 0);
      const members = [...guildOf(ctx, request).members.values()]
        .filter((m) => BigInt(m.userId) > after).sort((a, b) => (BigInt(a.userId) < BigInt(b.userId) ? -1 : 1)).slice(0, limit);
      return ok(members.map((m) => memberObject(ctx.model, m)));
    },
    'GET /guilds/{guild_id}/members/{user_id}': (request) => {
      const member = guildOf(ctx, request).members.get(request.params.user_id as string);
      if (!member) throw new RestError(404, 10007, 'Unknown Member');
      return ok(memberObject(ctx.model, member));
    },
  };
}

/** Bulk overwrite keeps the id of a command whose name stays, as Discord does. */
function overwrite(ctx: StandInContext, request: RestRequest, current: APIApplicationCommand[], guildId: string | undefined): APIApplicationCommand[] {
  if (request.params.application_id !== ctx.model.applicationId) {
    request.problems.push(`application ${request.params.application_id} is not this bot's application (${ctx.model.applicationId})`);
    throw new RestError(403, 50001, 'Missing Access', true);
  }
  const bodies = (request.body ?? []) as Array<Record<string, any>>;
  const seen = new Set<string>();
  for (const body of bodies) {
    const key = `${body.type ?? 1}:${body.name}`;
    if (seen.has(key)) request.problems.push(`application command name ${JSON.stringify(body.name)} is used twice`);
    seen.add(key);
  }
  if (request.problems.length > 0) throw new RestError(400, 50035, `Invalid Form Body: ${request.problems.join('; ')}`, true);
  return bodies.map((body) => ({
    id: current.find((c) => c.name === body.name)?.id ?? nextSnowflake(), application_id: ctx.model.applicationId, version: nextSnowflake(),
    type: (body.type as ApplicationCommandType | undefined) ?? ApplicationCommandType.ChatInput, name: body.name as string,
    description: (body.description as string | undefined) ?? '', options: body.options ?? [], default_member_permissions: body.default_member_permissions ?? null,
    nsfw: false, contexts: body.contexts ?? null, integration_types: body.integration_types ?? [0],
    ...(guildId ? { guild_id: guildId } : {}),
  }) as APIApplicationCommand);
}

/** Application commands, global and per guild. */
export function commandRoutes(ctx: StandInContext): RouteTable {
  const { model } = ctx;
  return {
    'GET /applications/{application_id}/commands': () => ok(model.globalCommands),
    'PUT /applications/{application_id}/commands': (request) => {
      const next = overwrite(ctx, request, model.globalCommands, undefined);
      model.globalCommands.splice(0, model.globalCommands.length, ...next);
      return ok(next);
    },
    'GET /applications/{application_id}/guilds/{guild_id}/commands': (request) => ok(model.commandsOf(guildOf(ctx, request).id)),
    'PUT /applications/{application_id}/guilds/{guild_id}/commands': (request) => {
      const guild = guildOf(ctx, request);
      const next = overwrite(ctx, request, model.commandsOf(guild.id), guild.id);
      model.guildCommands.set(guild.id, next);
      return ok(next);
    },
  };
}
