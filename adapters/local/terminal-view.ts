import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { isUserError } from '../../src/core/errors.js';
import type { LocalChatEntry, LocalChatInput } from '../../src/core/local-chat-hub.js';
import type { OutboundMessage } from '../../src/core/message.js';
import { renderText } from './render-text.js';

export interface LocalUser {
  name: string;
  displayName?: string;
}

export interface TerminalOptions {
  users: LocalUser[];
  defaultUser: string;
  channels: string[];
  botName: string;
  input: Readable;
  output: Writable;
  /** A person at a terminal: a prompt, message ids and colours of speech. Otherwise one reply per line, for scripts. */
  interactive: boolean;
}

/** What the terminal asks of the platform it is a view of. */
export interface TerminalPlatform {
  /**
   * Records what the terminal user did and hands the event to the bot; `handled` resolves once the bot has handled
   * it. Throws a UserError for a bad input (an unknown channel, an empty line). `here` is the terminal's channel.
   */
  act(input: LocalChatInput, via: 'terminal', here: string): { entry: LocalChatEntry | undefined; handled: Promise<void> };
  /** `m4` for a message id of this session. */
  shortId(messageId: string): string;
  /** The full id of what the user typed (`m4`), or the text as typed. */
  fullId(typed: string): string;
  /** A fresh web console login link, or undefined when the web console is not running. */
  loginLink(): string | undefined;
}

const HELP = [
  'Type a command such as `!ping` or just `ping`. Console commands:',
  '  /as <user>             speak as another demo user',
  '  /channel <name>        switch channel',
  '  /react <id> <emoji>    react to a message (✅ approves, ❌ denies)',
  '  /unreact <id> <emoji>  take a reaction back',
  '  /who                   who and where you are',
  '  /web                   a fresh one-time login link for the web console',
  '  /quit                  leave',
].join('\n');

/** The terminal side of the local platform: one person, several demo identities, and what the web side says too. */
export class TerminalView {
  private rl: Interface | undefined;
  private user: LocalUser;
  private channel: string;
  private stopped = false;
  private ended: Promise<void> = Promise.resolve();

  constructor(private readonly options: TerminalOptions, private readonly platform: TerminalPlatform) {
    const user = options.users.find((u) => u.name === options.defaultUser) ?? options.users[0];
    if (!user) throw new Error('the local console needs at least one user');
    this.user = user;
    this.channel = options.channels[0] ?? 'ops';
  }

  /** Resolves when the input ends (end of a script, or /quit). */
  get finished(): Promise<void> {
    return this.ended;
  }

  start(): void {
    const rl = createInterface({ input: this.options.input, terminal: this.options.interactive, crlfDelay: Infinity });
    this.rl = rl;
    this.ended = this.readLoop(rl);
    if (this.options.interactive) {
      this.write(`opsroom console. You are ${this.user.name} in #${this.channel}. /help lists console commands.`);
      this.prompt();
    }
  }

  stop(): void {
    this.stopped = true;
    this.rl?.close();
  }

  /** A message of the bot, new; `message` is what the terminal prints of it (with where its files were saved). */
  botMessage(entry: LocalChatEntry, message: OutboundMessage = entry.message): void {
    const id = entry.shortId;
    const where = this.where(entry.channel);
    if (this.options.interactive) return this.write(`${where}${this.options.botName} (${id}): ${renderText(message)}`);
    // Scripts see no ids, except on a message that asks for reactions: `/react <id> ✅` needs it.
    const invite = message.reactions?.length ? `\n  (message ${id}: /react ${id} ${message.reactions[0] ?? ''})` : '';
    this.write(`${where}${renderText(message)}${invite}`);
  }

  botEdit(messageId: string, message: OutboundMessage): void {
    this.write(`(${this.platform.shortId(messageId)} updated) ${renderText(message)}`);
  }

  botReaction(messageId: string, emoji: string): void {
    if (this.options.interactive) this.write(`  (${this.options.botName} reacted ${emoji} to ${this.platform.shortId(messageId)})`);
  }

  /** Somebody said something on the web page. */
  webMessage(entry: LocalChatEntry): void {
    const id = this.options.interactive ? `${entry.shortId}, ` : '';
    this.write(`${this.where(entry.channel)}${entry.author.name} (${id}web): ${entry.message.text}`);
  }

  webReaction(entry: LocalChatEntry, user: string, emoji: string, added: boolean): void {
    this.write(`${this.where(entry.channel)}${user} (web) ${added ? 'reacted' : 'took back'} ${emoji} ${added ? 'to' : 'on'} ${entry.shortId}`);
  }

  webAction(entry: LocalChatEntry, user: string, label: string): void {
    this.write(`${this.where(entry.channel)}${user} (web) pressed [${label}] on ${entry.shortId}`);
  }

  private where(channel: string): string {
    return channel === this.channel ? '' : `[#${channel}] `;
  }

  private async readLoop(rl: Interface): Promise<void> {
    for await (const raw of rl) {
      const line = raw.trim();
      if (line.length > 0) await this.take(line);
      if (this.stopped) break;
      this.prompt();
    }
  }

  private async take(line: string): Promise<void> {
    if (line.startsWith('/')) return this.consoleCommand(line);
    await this.act({ kind: 'message', user: this.user.name, channel: this.channel, text: line }, (entry) => {
      if (this.options.interactive) this.write(`  (${entry.shortId})`);
    });
  }

  private async consoleCommand(line: string): Promise<void> {
    const [command, ...rest] = line.slice(1).split(/\s+/);
    switch (command) {
      case 'as': return this.switchUser(rest[0]);
      case 'channel': case 'join': return this.switchChannel(rest[0]);
      case 'react': case 'unreact': return this.reaction(rest[0], rest[1], command === 'react');
      case 'who': return this.write(`You are ${this.user.name} (local:user:${this.user.name}) in #${this.channel}.`);
      case 'web': return this.webLink();
      case 'quit': case 'exit': this.rl?.close(); return;
      case 'help': return this.write(HELP);
      default: return this.write(`Unknown console command /${command ?? ''}. /help lists them.`);
    }
  }

  private switchUser(name: string | undefined): void {
    const user = this.options.users.find((u) => u.name === name);
    if (!user) return this.write(`No demo user "${name ?? ''}". Known users: ${this.options.users.map((u) => u.name).join(', ')}.`);
    this.user = user;
    this.write(`You are now ${user.name}.`);
  }

  private switchChannel(name: string | undefined): void {
    const channel = name?.replace(/^#/, '');
    if (!channel || !this.options.channels.includes(channel)) {
      return this.write(`No channel "${name ?? ''}". Channels: ${this.options.channels.map((c) => `#${c}`).join(', ')}.`);
    }
    this.channel = channel;
    this.write(`You are now in #${channel}.`);
  }

  private async reaction(messageId: string | undefined, emoji: string | undefined, added: boolean): Promise<void> {
    if (!messageId || !emoji) return this.write('Usage: /react <message-id> <emoji>, e.g. /react m4 ✅');
    await this.act({ kind: 'reaction', user: this.user.name, messageId: this.platform.fullId(messageId), emoji, added });
  }

  private webLink(): void {
    const link = this.platform.loginLink();
    this.write(link
      ? `Web console: ${link}\n  (a one-time link: it logs one browser in, then stops working)`
      : 'The web console is not running here: it needs the HTTP server (`opsroom start`, not `opsroom shell`).');
  }

  private async act(input: LocalChatInput, posted?: (entry: LocalChatEntry) => void): Promise<void> {
    let handled: Promise<void>;
    try {
      const done = this.platform.act(input, 'terminal', this.channel);
      if (done.entry) posted?.(done.entry);
      handled = done.handled;
    } catch (error) {
      if (!isUserError(error)) throw error;
      return this.write(error.message);
    }
    await handled;
  }

  private prompt(): void {
    if (!this.options.interactive || this.stopped) return;
    this.rl?.setPrompt(`${this.user.name}@#${this.channel}> `);
    this.rl?.prompt();
  }

  private write(text: string): void {
    this.options.output.write(`${text}\n`);
  }
}
