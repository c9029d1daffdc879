import {
  Events, GatewayDispatchEvents,
  type Client, type GuildMember, type Interaction, type Message, type MessageReaction, type PartialMessageReaction, type PartialUser, type User,
} from 'discord.js';
import type { ChatEvent } from '../../src/core/chat-event.js';
import type { CommandSpec } from '../../src/core/command.js';
import type { Logger } from '../../src/core/logger.js';
import { ReactionDispatchIds } from './dispatch-ids.js';
import type { InteractionResponder } from './interaction-responder.js';
import { KeyedQueue } from './keyed-queue.js';
import { emojiText, normalizeButton, normalizeMessage, normalizeReaction, normalizeSlashCommand } from './normalize.js';

export type Deliver = (event: ChatEvent) => Promise<void>;

/**
 * Turns discord.js events into ChatEvents. Every listener is guarded: whatever a malformed payload makes the
 * normalization throw is logged and the client runs on. Nothing here depends on the gateway session, so a resumed
 * session (whose replayed dispatches discord.js emits like any other) needs no special handling.
 */
export class InboundEvents {
  private readonly queue = new KeyedQueue();
  private readonly reactionIds = new ReactionDispatchIds();
  private readonly sessions = new Map<number, string>();
  private routes: ReadonlyMap<string, CommandSpec> = new Map();
  private active = true;

  constructor(
    private readonly client: Client,
    private readonly responder: InteractionResponder,
    private readonly deliver: Deliver,
    private readonly logger: Logger,
  ) {}

  /** Which command each slash path stands for, to rebuild command lines in the command's own argument order. */
  useRoutes(routes: ReadonlyMap<string, CommandSpec>): void {
    this.routes = routes;
  }

  attach(): void {
    const { client } = this;
    client.on(Events.Raw, (packet: { t?: string | null; s?: number | null; d?: unknown }, shardId: number) => this.guard('raw', () => this.observe(packet, shardId)));
    client.on(Events.MessageCreate, (message) => this.guard('messageCreate', () => this.onMessage(message)));
    client.on(Events.MessageReactionAdd, (reaction, user) => this.guard('messageReactionAdd', () => this.onReaction(reaction, user, true)));
    client.on(Events.MessageReactionRemove, (reaction, user) => this.guard('messageReactionRemove', () => this.onReaction(reaction, user, false)));
    client.on(Events.InteractionCreate, (interaction) => this.guard('interactionCreate', () => this.onInteraction(interaction)));
  }

  /** Stops taking events; resolves when the ones already taken have been handled. */
  async close(): Promise<void> {
    this.active = false;
    await this.queue.idle();
  }

  private observe(packet: { t?: string | null; s?: number | null; d?: unknown }, shardId: number): void {
    if (packet.t === GatewayDispatchEvents.Ready) this.sessions.set(shardId, (packet.d as { session_id?: string }).session_id ?? '');
    this.reactionIds.observe(packet, this.sessions.get(shardId));
  }

  private onMessage(message: Message): void {
    const botId = this.client.user?.id;
    if (!this.active || botId === undefined) return;
    if (!message.author) {
      this.logger.warn({ message: message.id }, 'ignored a Discord message without an author');
      return;
    }
    const event = normalizeMessage(message, botId, new Date());
    if (event) void this.schedule(event.id, () => this.deliver(event));
  }

  private onReaction(reaction: MessageReaction | PartialMessageReaction, user: User | PartialUser, added: boolean): void {
    if (!this.active || user.id === this.client.user?.id) return;
    const { message, emoji } = reaction;
    // Taken now: discord.js emits right after the raw dispatch, before anything below awaits.
    const id = this.reactionIds.take(added, message.id, user.id, emoji.id, emoji.name);
    const text = emojiText(emoji);
    void this.schedule(`message:${message.id}`, async () => {
      const person = await this.complete(user);
      if (!person || person.bot) return;
      const member = await this.memberOf(message.guildId, person.id);
      await this.deliver(normalizeReaction({ id, message, emoji: text, user: person, member, added }, new Date()));
    });
  }

  private onInteraction(interaction: Interaction): void {
    if (!this.active) return;
    if (!interaction.token) {
      this.logger.warn({ interaction: interaction.id }, 'ignored a Discord interaction without a token (it cannot be answered)');
      return;
    }
    if (interaction.user.bot) return;
    if (interaction.isChatInputCommand()) {
      this.responder.track({ id: interaction.id, token: interaction.token, applicationId: interaction.applicationId, kind: 'command' });
      const event = normalizeSlashCommand(interaction, this.routes, new Date());
      void this.schedule(event.id, () => this.deliver(event)).then(() => this.responder.settle(interaction.id));
    } else if (interaction.isButton()) {
      const source = interaction.message.id;
      this.responder.track({ id: interaction.id, token: interaction.token, applicationId: interaction.applicationId, kind: 'component', sourceMessageId: source });
      const event = normalizeButton(interaction, new Date());
      void this.schedule(`message:${source}`, () => this.deliver(event)).then(() => this.responder.settle(interaction.id));
    } else {
      this.logger.debug({ interaction: interaction.id, type: interaction.type }, 'ignored a Discord interaction opsroom does not use');
    }
  }

  /** The full user behind a partial one (a DM reaction names only the id), or undefined when Discord cannot tell. */
  private async complete(user: User | PartialUser): Promise<User | undefined> {
    if (!user.partial) return user;
    try {
      return await user.fetch();
    } catch (err) {
      this.logger.warn({ err, user: user.id }, 'dropped a Discord reaction: its user could not be fetched, so it might be a bot');
      return undefined;
    }
  }

  /** The reacting member (for its roles): cached when Discord sent it, fetched otherwise; null outside guilds or when gone. */
  private async memberOf(guildId: string | null, userId: string): Promise<GuildMember | null> {
    const guild = guildId ? this.client.guilds.cache.get(guildId) : undefined;
    if (!guild) return null;
    const cached = guild.members.cache.get(userId);
    if (cached) return cached;
    try {
      return await guild.members.fetch(userId);
    } catch (err) {
      this.logger.warn({ err, user: userId, guild: guild.id }, 'could not fetch a Discord member; its roles are left out');
      return null;
    }
  }

  /** Queues the handling of an event; a failure is logged, never left as a rejection nobody handles. */
  private schedule(key: string, task: () => Promise<void>): Promise<void> {
    return this.queue.run(key, async () => {
      try {
        await task();
      } catch (err) {
        this.logger.error({ err, key }, 'a Discord event could not be handled; it was dropped');
      }
    });
  }

  private guard(listener: string, handle: () => void): void {
    try {
      handle();
    } catch (err) {
      this.logger.error({ err, listener }, 'a Discord event could not be handled; it was dropped');
    }
  }
}
