import {
  DiscordAPIError, InteractionResponseType, MessageFlags, Routes,
  type APIMessage, type REST, type RESTPostAPIInteractionCallbackWithResponseResult,
} from 'discord.js';
import type { Logger } from '../../src/core/logger.js';
import { platformError, requestOf } from './message-sender.js';
import { NO_MENTIONS, type MessagePart } from './render-message.js';

/** An interaction opsroom must answer: a slash command (`command`) or a button press (`component`). */
export interface TrackedInteraction {
  id: string;
  token: string;
  applicationId: string;
  kind: 'command' | 'component';
  /** For a button: the message carrying it. */
  sourceMessageId?: string;
}

type State = 'open' | 'deferred' | 'answered' | 'gone';

interface Pending extends TrackedInteraction {
  state: State;
  createdAt: number;
  responseMessageId: string | undefined;
  chain: Promise<void>;
  timer: NodeJS.Timeout | undefined;
}

export interface ResponderOptions {
  /** Discord wants a first answer within 3 s; past this the interaction is deferred. */
  deferAfterMs?: number;
  now?: () => number;
}

/** An interaction token works for 15 minutes; past this (with a margin) answers go to the channel instead. */
const TOKEN_LIFETIME_MS = 15 * 60_000 - 30_000;
const UNKNOWN_INTERACTION = 10062;
const ALREADY_ACKNOWLEDGED = 40060;

function gone(error: unknown): boolean {
  return error instanceof DiscordAPIError && (error.code === UNKNOWN_INTERACTION || error.code === ALREADY_ACKNOWLEDGED);
}

/**
 * Answers interactions the way Discord requires: the first answer within 3 s (a reply, or a deferral when the reply
 * takes longer), the next ones as follow-ups through the interaction's webhook. One queue per interaction keeps a
 * deferral and a reply racing each other in order.
 */
export class InteractionResponder {
  private readonly pending = new Map<string, Pending>();
  private readonly deferAfterMs: number;
  private readonly now: () => number;

  constructor(private readonly rest: REST, private readonly logger: Logger, options: ResponderOptions = {}) {
    this.deferAfterMs = options.deferAfterMs ?? 2_000;
    this.now = options.now ?? Date.now;
  }

  track(interaction: TrackedInteraction): void {
    this.sweep();
    const entry: Pending = { ...interaction, state: 'open', createdAt: this.now(), responseMessageId: undefined, chain: Promise.resolve(), timer: undefined };
    entry.timer = setTimeout(() => void this.enqueue(entry, () => this.acknowledge(entry, false)), this.deferAfterMs);
    this.pending.set(interaction.id, entry);
  }

  isCommand(id: string): boolean {
    return this.pending.get(id)?.kind === 'command';
  }

  /** The message that answered a slash command, once there is one. */
  responseMessageOf(id: string): string | undefined {
    return this.pending.get(id)?.responseMessageId;
  }

  /** The handler is done: an interaction still unanswered is acknowledged now rather than left to fail. */
  settle(id: string): Promise<void> {
    const entry = this.pending.get(id);
    return entry ? this.enqueue(entry, () => this.acknowledge(entry, true)) : Promise.resolve();
  }

  /**
   * Answers a slash command with the given messages; returns their ids, or undefined when the interaction can no
   * longer be answered (expired, or unknown to Discord), in which case the caller posts to the channel.
   */
  respond(id: string, parts: readonly MessagePart[], ephemeral: boolean): Promise<string[] | undefined> {
    const entry = this.pending.get(id);
    if (!entry) return Promise.resolve(undefined);
    return this.enqueue(entry, async () => {
      if (entry.state === 'gone' || this.now() - entry.createdAt > TOKEN_LIFETIME_MS) return undefined;
      const ids: string[] = [];
      for (const part of parts) {
        try {
          ids.push(await this.sendPart(entry, part, ephemeral));
        } catch (error) {
          if (ids.length === 0 && gone(error)) return this.markGone(entry, error);
          throw platformError(`answering interaction ${entry.id}`, error);
        }
      }
      return ids;
    });
  }

  /** Edits the message of a pressed button through its interaction (one call that also acknowledges it); false when that is no longer possible. */
  updateSource(messageId: string, part: MessagePart): Promise<boolean> {
    const entry = [...this.pending.values()].find((p) => p.kind === 'component' && p.sourceMessageId === messageId && p.state === 'open');
    if (!entry) return Promise.resolve(false);
    return this.enqueue(entry, async () => {
      if (entry.state !== 'open') return false;
      try {
        await this.callback(entry, { type: InteractionResponseType.UpdateMessage, data: part.body }, part.files);
        this.answered(entry);
        return true;
      } catch (error) {
        if (gone(error)) return this.markGone(entry, error) ?? false;
        throw platformError(`updating message ${messageId} through its interaction`, error);
      }
    });
  }

  dispose(): void {
    for (const entry of this.pending.values()) clearTimeout(entry.timer);
    this.pending.clear();
  }

  private async sendPart(entry: Pending, part: MessagePart, ephemeral: boolean): Promise<string> {
    const body = ephemeral ? { ...part.body, flags: MessageFlags.Ephemeral } : part.body;
    if (entry.state === 'open') {
      const result = await this.callback(entry, { type: InteractionResponseType.ChannelMessageWithSource, data: body }, part.files, true);
      this.answered(entry);
      entry.responseMessageId = result?.resource?.message?.id;
      return entry.responseMessageId ?? entry.id;
    }
    if (entry.state === 'deferred') {
      // The deferral already made the answer public or not; an edit cannot change that.
      const edited = await this.rest.patch(Routes.webhookMessage(entry.applicationId, entry.token, '@original'), { ...requestOf(part.body, part.files), auth: false }) as APIMessage;
      this.answered(entry);
      entry.responseMessageId = edited.id;
      return edited.id;
    }
    const query = new URLSearchParams({ wait: 'true' });
    const sent = await this.rest.post(Routes.webhook(entry.applicationId, entry.token), { ...requestOf(body, part.files), auth: false, query }) as APIMessage;
    return sent.id;
  }

  /** First answers: a deferral when time runs out, or (the handler done and silent) a short note only the caller sees. */
  private async acknowledge(entry: Pending, settled: boolean): Promise<void> {
    clearTimeout(entry.timer);
    if (entry.state !== 'open') return;
    try {
      if (entry.kind === 'component') {
        await this.callback(entry, { type: InteractionResponseType.DeferredMessageUpdate });
        this.answered(entry);
      } else if (settled) {
        await this.callback(entry, { type: InteractionResponseType.ChannelMessageWithSource, data: { content: 'Done.', flags: MessageFlags.Ephemeral, allowed_mentions: NO_MENTIONS } });
        this.answered(entry);
      } else {
        await this.callback(entry, { type: InteractionResponseType.DeferredChannelMessageWithSource });
        entry.state = 'deferred';
      }
    } catch (error) {
      if (gone(error)) this.markGone(entry, error);
      else this.logger.warn({ err: error, interaction: entry.id }, 'could not acknowledge a Discord interaction');
    }
  }

  private async callback(entry: Pending, body: object, files: MessagePart['files'] = [], withResponse = false): Promise<RESTPostAPIInteractionCallbackWithResponseResult | undefined> {
    const query = new URLSearchParams({ with_response: String(withResponse) });
    const result = await this.rest.post(Routes.interactionCallback(entry.id, entry.token), { ...requestOf(body as Record<string, unknown>, files), auth: false, query });
    return withResponse ? result as RESTPostAPIInteractionCallbackWithResponseResult : undefined;
  }

  private answered(entry: Pending): void {
    clearTimeout(entry.timer);
    entry.state = 'answered';
  }

  private markGone(entry: Pending, error: unknown): undefined {
    clearTimeout(entry.timer);
    entry.state = 'gone';
    this.logger.warn({ err: error, interaction: entry.id }, 'a Discord interaction can no longer be answered; answering in the channel instead');
    return undefined;
  }

  private enqueue<T>(entry: Pending, op: () => Promise<T>): Promise<T> {
    const run = entry.chain.then(op);
    entry.chain = run.then(() => undefined, () => undefined);
    return run;
  }

  private sweep(): void {
    const cutoff = this.now() - TOKEN_LIFETIME_MS;
    for (const [id, entry] of this.pending) {
      if (entry.createdAt >= cutoff) continue;
      clearTimeout(entry.timer);
      this.pending.delete(id);
    }
  }
}
