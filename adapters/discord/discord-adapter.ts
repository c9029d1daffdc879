import { Events, Status, type Client, type REST, type RESTPutAPIApplicationCommandsResult } from 'discord.js';
import type { ChatAdapter, ChatEventHandler } from '../../src/core/chat-adapter.js';
import type { ChatEvent } from '../../src/core/chat-event.js';
import type { CommandSpec } from '../../src/core/command.js';
import { disposable, type Disposable } from '../../src/core/disposable.js';
import { OpsroomError } from '../../src/core/errors.js';
import { parseQualified, qualify } from '../../src/core/identity.js';
import type { Logger } from '../../src/core/logger.js';
import type { MessageRef, OutboundMessage } from '../../src/core/message.js';
import { CommandSync } from './command-sync.js';
import { createDiscordClient, type RestTuning } from './create-client.js';
import type { DiscordSettings } from './discord-settings.js';
import { InboundEvents } from './inbound-events.js';
import { InteractionResponder } from './interaction-responder.js';
import { MessageSender } from './message-sender.js';
import { installRejectionGuard } from './process-guard.js';
import { renderEdit, renderMessage } from './render-message.js';
import { planFittingCommands, planSlashCommands, registerSlashCommands, type FittingPlan } from './slash-commands.js';

export interface DiscordAdapterOptions {
  settings: DiscordSettings;
  logger: Logger;
  /** When an unanswered interaction is deferred; Discord allows 3 s for the first answer. */
  deferAfterMs?: number;
  /** How long `start()` waits for the gateway to be ready. */
  readyTimeoutMs?: number;
  /** discord.js REST settings; only a benchmark changes them. */
  rest?: RestTuning;
}

/** How long `stop()` lets events already taken finish before it closes the connection. */
const STOP_DRAIN_MS = 5_000;

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms).unref());

interface Connection {
  client: Client;
  sender: MessageSender;
  responder: InteractionResponder;
  inbound: InboundEvents;
  sync: CommandSync;
}

/** The platform id of a channel: `discord:channel:<id>`, or a bare id (as channel aliases in the configuration hold them). */
function channelIdOf(id: string): string {
  if (/^\d+$/.test(id)) return id;
  const parsed = parseQualified(id);
  if (parsed?.platform === 'discord' && parsed.kind === 'channel' && /^\d+$/.test(parsed.id)) return parsed.id;
  throw new OpsroomError('E_INTERNAL', `the Discord adapter cannot address ${JSON.stringify(id)}: expected discord:channel:<id>`);
}

/** opsroom on Discord through the real discord.js client: gateway events in as ChatEvents, REST out. */
export class DiscordAdapter implements ChatAdapter {
  readonly platform = 'discord' as const;
  private readonly handlers = new Set<ChatEventHandler>();
  private connection: Connection | undefined;
  private routes: ReadonlyMap<string, CommandSpec> = new Map();
  /** The slash commands of the last command list, once opsroom gave one. */
  private bodies: FittingPlan['bodies'] | undefined;
  private omitted = '[]';

  constructor(private readonly options: DiscordAdapterOptions) {}

  async start(): Promise<void> {
    if (this.connection) throw new OpsroomError('E_INTERNAL', 'the Discord adapter is already started');
    installRejectionGuard(this.options.logger);
    const { settings } = this.options;
    const client = createDiscordClient(settings, this.options.rest);
    const responder = new InteractionResponder(client.rest, this.options.logger, { deferAfterMs: this.options.deferAfterMs });
    const inbound = new InboundEvents(client, responder, (event) => this.emit(event), this.options.logger);
    inbound.useRoutes(this.routes);
    inbound.attach();
    this.watch(client);
    const sync = new CommandSync({ rest: client.rest, applicationId: () => settings.applicationId ?? client.application?.id, guildId: settings.guildId }, this.options.logger);
    // Connected before login, so an event handled the moment the client is ready can already be answered.
    this.connection = { client, sender: new MessageSender(client.rest), responder, inbound, sync };
    try {
      await this.login(client);
    } catch (error) {
      this.connection = undefined;
      responder.dispose();
      await sync.close();
      await client.destroy();
      throw error;
    }
    if (settings.syncCommands && this.bodies) sync.want(this.bodies, true);
    this.options.logger.info({ user: client.user?.id, shards: client.ws.shards.size, guilds: client.guilds.cache.size }, 'connected to Discord');
  }

  async stop(): Promise<void> {
    const connection = this.connection;
    if (!connection) return;
    const drained = await Promise.race([connection.inbound.close().then(() => true), delay(STOP_DRAIN_MS).then(() => false)]);
    if (!drained) this.options.logger.warn({ waitedMs: STOP_DRAIN_MS }, 'stopped Discord with events still being handled');
    this.connection = undefined;
    connection.responder.dispose();
    await connection.sync.close();
    await connection.client.destroy();
  }

  connectionState(): { connected: boolean; detail: string } {
    const shards = [...(this.connection?.client.ws.shards.values() ?? [])];
    if (shards.length === 0) return { connected: false, detail: 'not connected to the Discord gateway' };
    const ready = shards.filter((shard) => shard.status === Status.Ready).length;
    return { connected: ready === shards.length, detail: `${ready} of ${shards.length} gateway shards ready` };
  }

  onDidReceiveEvent(handler: ChatEventHandler): Disposable {
    this.handlers.add(handler);
    return disposable(() => this.handlers.delete(handler));
  }

  async send(channelId: string, message: OutboundMessage): Promise<MessageRef> {
    const { sender } = this.connected();
    const channel = channelIdOf(channelId);
    const ids = await sender.post(channel, renderMessage(message));
    return this.finish(channel, ids, message);
  }

  async replyInThread(to: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    const { sender, responder } = this.connected();
    const channel = channelIdOf(to.channelId);
    const parts = renderMessage(message);
    if (responder.isCommand(to.messageId)) {
      const ids = await responder.respond(to.messageId, parts, message.ephemeral === true);
      if (ids) return message.ephemeral ? this.refOf(channel, ids) : this.finish(channel, ids, message);
      return this.finish(channel, await sender.post(channel, parts, responder.responseMessageOf(to.messageId)), message);
    }
    return this.finish(channel, await sender.post(channel, parts, to.messageId), message);
  }

  async react(to: MessageRef, emoji: string): Promise<void> {
    const { sender, responder } = this.connected();
    const messageId = responder.isCommand(to.messageId) ? responder.responseMessageOf(to.messageId) : to.messageId;
    // A slash command that has not been answered yet has no message to react to.
    if (messageId === undefined) return;
    await sender.react(channelIdOf(to.channelId), messageId, emoji);
  }

  async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    const { sender, responder } = this.connected();
    const part = renderEdit(message);
    const messageId = responder.isCommand(ref.messageId) ? responder.responseMessageOf(ref.messageId) : ref.messageId;
    if (messageId === undefined) throw new OpsroomError('E_NOT_FOUND', `slash command ${ref.messageId} has no answer to update yet`);
    if (await responder.updateSource(messageId, part)) return;
    await sender.edit(channelIdOf(ref.channelId), messageId, part);
  }

  /**
   * The command list: which command each slash command stands for (to rebuild command lines in argument order), and,
   * with `syncCommands`, the slash commands to register, now and after every change.
   */
  useCommands(commands: readonly CommandSpec[]): void {
    const plan = planFittingCommands(commands);
    this.reportOmitted(plan.omitted);
    this.bodies = plan.bodies;
    this.useRoutes(plan.routes);
    if (this.options.settings.syncCommands) this.connection?.sync.want(plan.bodies);
  }

  /** Registers the commands as slash commands (in one guild when given) and uses them from now on. */
  async registerCommands(commands: readonly CommandSpec[], guildId?: string): Promise<RESTPutAPIApplicationCommandsResult> {
    const { client } = this.connected();
    const appId = this.options.settings.applicationId ?? client.application?.id;
    if (appId === undefined) throw new OpsroomError('E_INTERNAL', 'the Discord application id is unknown; set adapters.discord.applicationId');
    const result = await registerSlashCommands(client.rest, appId, commands, guildId);
    this.useRoutes(planSlashCommands(commands).routes);
    return result;
  }

  /** discord.js's REST client (rate limits and queues included), for calls opsroom makes outside messages. */
  get rest(): REST {
    return this.connected().client.rest;
  }

  /** The bot's own qualified user id, once connected. */
  get botUserId(): string | undefined {
    const id = this.connection?.client.user?.id;
    return id === undefined ? undefined : qualify('discord', 'user', id);
  }

  private useRoutes(routes: ReadonlyMap<string, CommandSpec>): void {
    this.routes = routes;
    this.connection?.inbound.useRoutes(routes);
  }

  private reportOmitted(omitted: FittingPlan['omitted']): void {
    const json = JSON.stringify(omitted);
    if (json === this.omitted) return;
    this.omitted = json;
    if (omitted.length > 0) this.options.logger.warn({ omitted }, 'some commands cannot be Discord slash commands; they still work typed with the prefix or a mention');
  }

  private async finish(channelId: string, ids: string[], message: OutboundMessage): Promise<MessageRef> {
    const ref = this.refOf(channelId, ids);
    for (const emoji of message.reactions ?? []) await this.connected().sender.react(channelId, ref.messageId, emoji);
    return ref;
  }

  /** The last message stands for the whole answer: it carries the card, the buttons and the reactions. */
  private refOf(channelId: string, ids: string[]): MessageRef {
    return { channelId: qualify('discord', 'channel', channelId), messageId: ids[ids.length - 1] as string };
  }

  private async emit(event: ChatEvent): Promise<void> {
    for (const handler of this.handlers) {
      try {
        await handler(event);
      } catch (err) {
        this.options.logger.error({ err, event: event.id, type: event.type }, 'a handler of a Discord event failed');
      }
    }
  }

  private async login(client: Client): Promise<void> {
    const timeoutMs = this.options.readyTimeoutMs ?? 60_000;
    let timer: NodeJS.Timeout | undefined;
    const ready = new Promise<void>((resolve, reject) => {
      client.once(Events.ClientReady, () => resolve());
      timer = setTimeout(() => reject(new OpsroomError('E_PLATFORM', `Discord did not get ready within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await client.login(this.options.settings.token);
      await ready;
    } catch (error) {
      throw this.loginError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  private loginError(error: unknown): unknown {
    if (error instanceof OpsroomError) return error;
    const code = (error as { code?: unknown }).code;
    if (code === 'TokenInvalid') {
      return new OpsroomError('E_CONFIG', 'Discord refused the bot token (adapters.discord.token or DISCORD_TOKEN)', { cause: error });
    }
    return new OpsroomError('E_PLATFORM', `could not connect to Discord at ${this.options.settings.apiBaseUrl}: ${String((error as Error).message ?? error)}`, { cause: error });
  }

  private watch(client: Client): void {
    const { logger } = this.options;
    client.on(Events.Error, (err) => logger.error({ err }, 'the Discord client reported an error'));
    client.on(Events.Warn, (message) => logger.warn({ detail: message }, 'the Discord client warned'));
    client.on(Events.ShardError, (err, shard) => logger.warn({ err, shard }, 'a Discord gateway connection failed; discord.js reconnects'));
    client.on(Events.ShardReconnecting, (shard) => logger.info({ shard }, 'reconnecting to the Discord gateway'));
    client.on(Events.ShardResume, (shard, replayed) => logger.info({ shard, replayed }, 'resumed the Discord gateway session'));
    client.on(Events.ShardDisconnect, (event, shard) => logger.error({ shard, code: event.code }, 'the Discord gateway closed the connection for good'));
    client.on(Events.Invalidated, () => logger.error('the Discord session was invalidated'));
  }

  private connected(): Connection {
    if (!this.connection) throw new OpsroomError('E_SHUTTING_DOWN', 'the Discord adapter is not connected');
    return this.connection;
  }
}
