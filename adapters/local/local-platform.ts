import { randomBytes } from 'node:crypto';
import type { ChatEventHandler } from '../../src/core/chat-adapter.js';
import type { Actor, ChatEvent } from '../../src/core/chat-event.js';
import { disposable, type Disposable } from '../../src/core/disposable.js';
import { UserError } from '../../src/core/errors.js';
import { qualify } from '../../src/core/identity.js';
import type { LocalChatEntry, LocalChatInput, LocalUserInfo } from '../../src/core/local-chat-hub.js';
import type { Logger } from '../../src/core/logger.js';
import { LocalChatLog } from './local-chat-log.js';

export interface LocalPlatformOptions {
  users: Array<{ name: string; displayName?: string }>;
  defaultUser: string;
  channels: string[];
  botName: string;
  logger?: Logger;
}

/** One thing a local user did, for the other view to show. */
export interface LocalAct {
  input: LocalChatInput;
  via: 'terminal' | 'web';
  /** The new message, or the message reacted on or pressed (undefined for a message no longer in the log). */
  entry: LocalChatEntry | undefined;
  /** The label of the pressed button. */
  label?: string;
}

export interface ActResult {
  entry: LocalChatEntry | undefined;
  /** Resolves when the bot has handled the event (the command ran, or the reaction was judged). */
  handled: Promise<void>;
}

const MAX_TEXT = 4000;
const MAX_EMOJI = 32;

/**
 * The state of the local platform that both views share: who may speak, the channels, the conversation log, message
 * ids, and the hand-off of events to the bot, in order per channel.
 */
export class LocalPlatform {
  readonly log = new LocalChatLog();
  readonly botId: string;
  private readonly boot = randomBytes(3).toString('hex');
  private readonly handlers = new Set<ChatEventHandler>();
  private readonly actObservers = new Set<(act: LocalAct) => void>();
  private readonly queues = new Map<string, Promise<void>>();
  private sequence = 0;
  private closed = false;

  constructor(readonly options: LocalPlatformOptions) {
    if (options.users.length === 0) throw new Error('the local platform needs at least one user');
    this.botId = `local:bot:${options.botName}`;
  }

  users(): LocalUserInfo[] {
    return this.options.users.map((u) => ({ name: u.name, displayName: u.displayName ?? u.name, id: qualify('local', 'user', u.name) }));
  }

  onDidReceiveEvent(handler: ChatEventHandler): Disposable {
    this.handlers.add(handler);
    return disposable(() => this.handlers.delete(handler));
  }

  onDidAct(observer: (act: LocalAct) => void): Disposable {
    this.actObservers.add(observer);
    return disposable(() => this.actObservers.delete(observer));
  }

  close(): void {
    this.closed = true;
  }

  /**
   * Records what a user did and hands the event on; throws a UserError for a bad input before anything happens.
   * `here` is the channel the user is in, for a reaction on a message older than the log.
   */
  act(input: LocalChatInput, via: 'terminal' | 'web', here?: string): ActResult {
    if (this.closed) throw new UserError('E_SHUTTING_DOWN', 'opsroom is shutting down and takes no new messages');
    const actor = this.actorOf(input.user);
    switch (input.kind) {
      case 'message': return this.message(actor, input, via);
      case 'reaction': return this.reaction(actor, input, via, here);
      case 'action': return this.action(actor, input, via);
    }
  }

  /**
   * Message ids carry this session's boot id, so a message of an earlier session (a request still pending after a
   * restart) is never mistaken for this session's message of the same number. The views show and take `m4`.
   */
  nextMessageId(): string {
    return `${this.boot}-m${++this.sequence}`;
  }

  shortId(messageId: string): string {
    return messageId.startsWith(`${this.boot}-`) ? messageId.slice(this.boot.length + 1) : messageId;
  }

  fullId(typed: string): string {
    return /^m\d+$/.test(typed) ? `${this.boot}-${typed}` : typed;
  }

  channelName(channelId: string): string {
    return channelId.replace(/^local:channel:/, '');
  }

  private message(actor: Actor, input: Extract<LocalChatInput, { kind: 'message' }>, via: LocalAct['via']): ActResult {
    const channel = this.checkChannel(input.channel);
    const text = input.text.trim();
    if (text.length === 0) throw new UserError('E_BAD_ARGS', 'an empty message says nothing; type a command such as ping');
    if (text.length > MAX_TEXT) throw new UserError('E_BAD_ARGS', `a message may be at most ${MAX_TEXT} characters (this one has ${text.length})`);
    const id = this.nextMessageId();
    const entry = this.log.post({
      id, shortId: this.shortId(id), channel, author: { id: actor.id, name: actor.name, isBot: false },
      message: { text }, at: new Date().toISOString(), via,
    });
    this.tell({ input, via, entry });
    return { entry, handled: this.dispatch({ type: 'message', id, messageId: id, platform: 'local', text, mentionsBot: true, ...this.where(actor, channel) }) };
  }

  private reaction(actor: Actor, input: Extract<LocalChatInput, { kind: 'reaction' }>, via: LocalAct['via'], here: string | undefined): ActResult {
    const emoji = input.emoji.trim();
    if (emoji.length === 0 || emoji.length > MAX_EMOJI || /\s/.test(emoji)) {
      throw new UserError('E_BAD_ARGS', `"${input.emoji.slice(0, MAX_EMOJI)}" is not an emoji; react with one such as ✅ or ❌`);
    }
    const known = this.log.get(input.messageId);
    // The terminal may react to a message of an earlier session (a request still pending after a restart); the page
    // only shows messages it has, so an unknown id from there is a mistake.
    if (!known && via === 'web') throw this.unknownMessage(input.messageId);
    const result = this.log.react(input.messageId, actor.id, emoji, input.added);
    if (known && !result.changed) return { entry: known, handled: Promise.resolve() };
    const entry = result.changed ? result.entry : known;
    this.tell({ input, via, entry });
    const channel = entry?.channel ?? this.checkChannel(here ?? this.options.channels[0] ?? 'ops');
    return {
      entry,
      handled: this.dispatch({
        type: 'reaction', id: `${this.boot}-r${++this.sequence}`, messageId: input.messageId, emoji, added: input.added, platform: 'local',
        ...this.where(actor, channel),
      }),
    };
  }

  private action(actor: Actor, input: Extract<LocalChatInput, { kind: 'action' }>, via: LocalAct['via']): ActResult {
    const entry = this.log.get(input.messageId);
    if (!entry) throw this.unknownMessage(input.messageId);
    const button = entry.message.buttons?.find((b) => b.id === input.actionId);
    if (!button) {
      const labels = (entry.message.buttons ?? []).map((b) => b.label);
      throw new UserError('E_NOT_FOUND', `message ${entry.shortId} has no button "${input.actionId}"${labels.length > 0 ? ` (it has: ${labels.join(', ')})` : ' (it has none)'}`);
    }
    this.tell({ input, via, entry, label: button.label });
    return {
      entry,
      handled: this.dispatch({
        type: 'action', id: `${this.boot}-a${++this.sequence}`, messageId: entry.id, actionId: button.id, value: structuredClone(button.value ?? {}),
        platform: 'local', ...this.where(actor, entry.channel),
      }),
    };
  }

  private actorOf(name: string): Actor {
    const user = this.options.users.find((u) => u.name === name);
    if (!user) throw new UserError('E_NOT_FOUND', `there is no local user "${name}" (users: ${this.options.users.map((u) => u.name).join(', ')})`);
    return { id: qualify('local', 'user', user.name), name: user.name, isBot: false, groups: [] };
  }

  private checkChannel(name: string): string {
    const channel = name.replace(/^#/, '');
    if (!this.options.channels.includes(channel)) {
      throw new UserError('E_NOT_FOUND', `there is no channel "${name}" (channels: ${this.options.channels.map((c) => `#${c}`).join(', ')})`);
    }
    return channel;
  }

  private unknownMessage(messageId: string): UserError {
    return new UserError('E_NOT_FOUND', `there is no message ${this.shortId(messageId)} in the recent conversation`);
  }

  private where(actor: Actor, channel: string): { actor: Actor; channel: ChatEvent['channel']; receivedAt: Date } {
    return { actor, channel: { id: qualify('local', 'channel', channel), name: channel, isDirect: false }, receivedAt: new Date() };
  }

  private tell(act: LocalAct): void {
    for (const observer of this.actObservers) observer(act);
  }

  /** Events of one channel reach the bot one at a time and in order; channels do not wait for each other. */
  private dispatch(event: ChatEvent): Promise<void> {
    const key = event.channel.id;
    const handled = (this.queues.get(key) ?? Promise.resolve()).then(() => this.deliver(event));
    const tail = handled.catch(() => undefined);
    this.queues.set(key, tail);
    void tail.then(() => { if (this.queues.get(key) === tail) this.queues.delete(key); });
    return handled;
  }

  private async deliver(event: ChatEvent): Promise<void> {
    for (const handler of this.handlers) await handler(event);
  }
}
