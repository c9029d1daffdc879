import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  GatewayDispatchEvents,
  type APIMessage, type GatewayDispatchPayload, type GatewayGuildMembersChunkDispatch, type GatewayReadyDispatchData,
  type GatewayRequestGuildMembersData,
} from 'discord-api-types/v10';
import { guildCreateObject, knownUser, memberObject, messageObject } from './api-objects.js';
import { CallLog, type StandInCall, type Violation } from './call-log.js';
import { loadFixture, loadReactionAddFixture, type FixtureName } from './fixtures.js';
import { GatewayServer, type GatewayEvent } from './gateway-server.js';
import { OpenApiValidator } from './openapi-validator.js';
import { commandRoutes, guildRoutes } from './rest-guild-routes.js';
import { interactionRoutes } from './rest-interaction-routes.js';
import { messageRoutes } from './rest-message-routes.js';
import { RestServer } from './rest-server.js';
import type { StandInContext } from './rest-types.js';
import { shardOfGuild } from './snowflake.js';
import { StandInModel, type MessageState } from './stand-in-model.js';
import { defaultWorld, type World } from './stand-in-world.js';
import {
  postUserMessage, pressButton, slashCommand, userReaction,
  type ButtonPress, type InteractionHandle, type SlashCommand, type UserMessage, type UserReaction,
} from './user-actions.js';

export interface StandInOptions {
  /** What exists when the bot connects; `defaultWorld()` unless given (see `fixtureWorld()` for the recorded one). */
  world?: World;
  /** The bot token the stand-in accepts; a random one unless given. */
  token?: string;
  /** Shards recommended by `GET /gateway/bot` (used when the client asks for `'auto'`). */
  shardCount?: number;
  heartbeatIntervalMs?: number;
  /** How long after an interaction its first answer is accepted (Discord: 3 s). */
  interactionWindowMs?: number;
}

/**
 * A loopback Discord for the real discord.js client: REST (checked against Discord's OpenAPI description) and the
 * gateway WebSocket, over one in-memory world. Tests act as people (`sendMessage`, `addReaction`, `pressButton`,
 * `slashCommand`), read what the bot did (`calls`, `waitForCall`) and end with `assertNoViolations()`.
 */
export class DiscordStandIn {
  readonly token: string;
  readonly model: StandInModel;
  private readonly log = new CallLog();
  private readonly gateway: GatewayServer;
  private readonly rest: RestServer;
  private readonly server: Server;
  private readonly context: StandInContext;
  private port = 0;
  private identifiedShardCount: number | undefined;

  private constructor(options: StandInOptions) {
    this.token = options.token ?? `stand-in.${randomBytes(12).toString('hex')}`;
    this.model = new StandInModel(options.world ?? defaultWorld());
    const shardCount = options.shardCount ?? 1;
    this.context = {
      model: this.model, shardCount, baseUrl: () => this.baseUrl, gatewayUrl: () => this.gatewayUrl,
      interactionWindowMs: options.interactionWindowMs ?? 3_000, interactionTokenMs: 15 * 60_000,
      dispatch: (t, d, guildId) => this.dispatchTo(t, d, guildId),
    };
    this.gateway = new GatewayServer({
      token: this.token, heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250, url: () => this.gatewayUrl,
      ready: (shard, sessionId, resumeUrl) => this.ready(shard, sessionId, resumeUrl),
      guildCreates: (shard) => this.guildsOfShard(shard).map((g) => guildCreateObject(this.model, g)),
      membersChunk: (request) => this.membersChunk(request),
    });
    const routes = { ...guildRoutes(this.context), ...commandRoutes(this.context), ...messageRoutes(this.context), ...interactionRoutes(this.context) };
    this.rest = new RestServer(OpenApiValidator.load(), routes, this.log, this.token);
    this.server = createServer((req, res) => void this.rest.handle(req, res));
    this.server.on('upgrade', (req, socket, head) => {
      if (req.url?.startsWith('/gateway')) this.gateway.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
  }

  static async start(options: StandInOptions = {}): Promise<DiscordStandIn> {
    const standIn = new DiscordStandIn(options);
    await new Promise<void>((resolve, reject) => {
      standIn.server.once('error', reject);
      standIn.server.listen(0, '127.0.0.1', () => resolve());
    });
    standIn.port = (standIn.server.address() as AddressInfo).port;
    return standIn;
  }

  /** What discord.js takes as `rest.api`: `http://127.0.0.1:<port>/api`. */
  get apiBaseUrl(): string {
    return `${this.baseUrl}/api`;
  }

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}/gateway`;
  }

  get calls(): readonly StandInCall[] {
    return this.log.calls;
  }

  get violations(): readonly Violation[] {
    return this.log.violations;
  }

  get gatewayEvents(): readonly GatewayEvent[] {
    return this.gateway.events;
  }

  /** Calls of one route, e.g. `callsTo('POST /channels/{channel_id}/messages')`. */
  callsTo(route: string): StandInCall[] {
    return this.log.calls.filter((c) => c.route === route);
  }

  waitForCall(predicate: (call: StandInCall) => boolean, timeoutMs = 5_000): Promise<StandInCall> {
    return this.log.waitFor(predicate, timeoutMs);
  }

  /** Fails the test, listing each request Discord would have refused. */
  assertNoViolations(): void {
    this.log.assertNoViolations();
  }

  waitForGatewayEvent(predicate: (event: GatewayEvent) => boolean, timeoutMs = 5_000): Promise<GatewayEvent> {
    const seen = this.gateway.events.find(predicate);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        off();
        reject(new Error(`no matching gateway event within ${timeoutMs} ms; seen: ${this.gateway.events.map((e) => e.kind).join(', ')}`));
      }, timeoutMs);
      const off = this.gateway.onEvent((event) => {
        if (!predicate(event)) return;
        clearTimeout(timer);
        off();
        resolve(event);
      });
    });
  }

  sendMessage(input: UserMessage): APIMessage {
    return this.json(postUserMessage(this.context, input));
  }

  addReaction(input: UserReaction): void {
    userReaction(this.context, input, true);
  }

  removeReaction(input: UserReaction): void {
    userReaction(this.context, input, false);
  }

  pressButton(input: ButtonPress): InteractionHandle {
    return pressButton(this.context, input);
  }

  slashCommand(input: SlashCommand): InteractionHandle {
    return slashCommand(this.context, input);
  }

  /** Sends any dispatch as given, valid or not, to a shard (0 unless told). Returns its sequence number. */
  dispatchRaw(t: string, d: unknown, shardId = 0): number | undefined {
    return this.gateway.dispatchUnchecked(t, d, shardId);
  }

  /** Replays a recorded dispatch exactly as recorded (only the sequence number is the session's own). */
  replayFixture(name: FixtureName | 'MESSAGE_REACTION_ADD'): number | undefined {
    if (name === 'MESSAGE_REACTION_ADD') return this.dispatchRaw(GatewayDispatchEvents.MessageReactionAdd, loadReactionAddFixture(), this.shardOf(loadReactionAddFixture().guild_id));
    const recorded = loadFixture(name);
    return this.dispatchRaw(recorded.t, recorded.d, this.shardOf(recorded.d.guild_id));
  }

  /** The DM channel between the bot and a user (created on first use). */
  openDm(userId: string): string {
    return this.model.openDm(userId).id;
  }

  /** A message as Discord's JSON, or undefined when it does not exist. */
  message(id: string): APIMessage | undefined {
    const stored = this.model.messages.get(id);
    return stored ? this.json(stored) : undefined;
  }

  /** Messages of a channel, oldest first. */
  messagesIn(channelId: string): APIMessage[] {
    return [...this.model.messages.values()].filter((m) => m.channelId === channelId).map((m) => this.json(m));
  }

  /** Closes every gateway connection with a resumable code (4000 unless told); discord.js should RESUME. */
  dropConnections(code?: number): void {
    this.gateway.drop(code);
  }

  /** Sends op 7 (Reconnect): the client should close and RESUME. */
  requestReconnect(): void {
    this.gateway.requestReconnect();
  }

  /** Shards connected right now. */
  connectedShards(): number {
    return this.gateway.connectedCount();
  }

  /** Answers the next `count` calls of a route with 429 and `retry-after` (seconds, fractions allowed). */
  rateLimitNext(route: string, count = 1, retryAfterSeconds = 1): void {
    this.rest.rateLimitNext(route, count, retryAfterSeconds);
  }

  async stop(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private json(message: MessageState): APIMessage {
    return messageObject(this.model, message, this.baseUrl);
  }

  /** The shard of a guild, by the shard count the client identified with (which may differ from the recommendation). */
  private shardOf(guildId: string | undefined): number {
    return guildId ? shardOfGuild(guildId, this.identifiedShardCount ?? this.context.shardCount) : 0;
  }

  private dispatchTo<P extends GatewayDispatchPayload>(t: P['t'], d: P['d'], guildId: string | undefined): void {
    this.gateway.dispatch(t, d, this.shardOf(guildId));
  }

  private guildsOfShard(shard: [number, number]) {
    return [...this.model.guilds.values()].filter((g) => shardOfGuild(g.id, shard[1]) === shard[0]);
  }

  private ready(shard: [number, number], sessionId: string, resumeUrl: string): GatewayReadyDispatchData {
    this.identifiedShardCount = shard[1];
    const ready: GatewayReadyDispatchData = {
      v: 10, user: knownUser(this.model, this.model.bot.id), session_id: sessionId, resume_gateway_url: resumeUrl, shard,
      guilds: this.guildsOfShard(shard).map((g) => ({ id: g.id, unavailable: true as const })),
      application: { id: this.model.applicationId, flags: this.model.applicationFlags, flags_new: String(this.model.applicationFlags) },
    };
    return Object.assign({}, this.model.readyExtra, ready);
  }

  private membersChunk(request: GatewayRequestGuildMembersData): GatewayGuildMembersChunkDispatch | undefined {
    const guild = this.model.guilds.get(request.guild_id);
    if (!guild) return undefined;
    const ids = 'user_ids' in request && request.user_ids !== undefined ? new Set([request.user_ids].flat()) : undefined;
    const query = 'query' in request ? request.query?.toLowerCase() ?? '' : '';
    const members = [...guild.members.values()].filter((m) => (ids ? ids.has(m.userId) : (this.model.users.get(m.userId)?.username ?? '').startsWith(query)));
    return {
      op: 0, s: 0, t: GatewayDispatchEvents.GuildMembersChunk,
      d: { guild_id: guild.id, members: members.map((m) => memberObject(this.model, m)), chunk_index: 0, chunk_count: 1, ...(request.nonce ? { nonce: request.nonce } : {}) },
    };
  }
}
