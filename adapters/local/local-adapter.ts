import type { Readable, Writable } from 'node:stream';
import type { ChatEventHandler } from '../../src/core/chat-adapter.js';
import type { Disposable } from '../../src/core/disposable.js';
import type { LocalChatAdapter } from '../../src/core/local-chat-hub.js';
import type { Logger } from '../../src/core/logger.js';
import type { MessageRef, OutboundMessage } from '../../src/core/message.js';
import { DEFAULT_ATTACHMENTS_DIR, saveAttachments, withFileNotes, type SavedMessage } from './attachment-files.js';
import { LocalHub } from './local-hub.js';
import { LocalPlatform, type LocalAct } from './local-platform.js';
import { SavedFiles } from './saved-files.js';
import { TerminalView, type LocalUser } from './terminal-view.js';

export interface LocalAdapterOptions {
  users: LocalUser[];
  defaultUser: string;
  channels: string[];
  botName: string;
  input: Readable;
  output: Writable;
  /** A person at a terminal: a prompt, message ids and colours of speech. Otherwise one reply per line, for scripts. */
  interactive: boolean;
  logger?: Logger;
  /** Where files sent with messages (report charts) are saved; a folder under the system's temporary folder by default. */
  attachmentsDir?: string;
}

/**
 * The one adapter of the `local` platform, with two views: the terminal and the web console (through `hub`).
 * What the bot sends and what users say in either view is recorded once and shown in both.
 */
export class LocalAdapter implements LocalChatAdapter {
  readonly platform = 'local' as const;
  readonly hub: LocalHub;
  private readonly local: LocalPlatform;
  private readonly terminal: TerminalView;
  private readonly observing: Disposable;
  private readonly attachmentsDir: string;
  private readonly files: SavedFiles;

  constructor(options: LocalAdapterOptions) {
    this.attachmentsDir = options.attachmentsDir ?? DEFAULT_ATTACHMENTS_DIR;
    this.local = new LocalPlatform(options);
    this.files = new SavedFiles((id) => this.local.shortId(id));
    this.hub = new LocalHub(this.local, this.files, options.logger);
    this.terminal = new TerminalView(options, {
      act: (input, via, here) => this.local.act(input, via, here),
      shortId: (id) => this.local.shortId(id),
      fullId: (typed) => this.local.fullId(typed),
      loginLink: () => this.hub.loginLink(),
    });
    this.observing = this.local.onDidAct((act) => this.showWebAct(act));
  }

  /** Resolves when the terminal's input ends (end of a script, or /quit). */
  get finished(): Promise<void> {
    return this.terminal.finished;
  }

  async start(): Promise<void> {
    this.terminal.start();
  }

  async stop(): Promise<void> {
    this.local.close();
    this.observing.dispose();
    this.terminal.stop();
  }

  onDidReceiveEvent(handler: ChatEventHandler): Disposable {
    return this.local.onDidReceiveEvent(handler);
  }

  async send(channelId: string, message: OutboundMessage): Promise<MessageRef> {
    return this.post(channelId, message, undefined);
  }

  async replyInThread(to: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    return this.post(to.channelId, message, to.messageId);
  }

  async react(to: MessageRef, emoji: string): Promise<void> {
    this.local.log.react(to.messageId, this.local.botId, emoji, true);
    this.terminal.botReaction(to.messageId, emoji);
  }

  async update(ref: MessageRef, original: OutboundMessage): Promise<void> {
    const saved = this.save(original, ref.messageId);
    const edited = this.local.log.edit(ref.messageId, saved.message, this.local.botId, saved.saved.map((s) => s.file));
    // A message of an earlier session is not in the log: the web page gets the new text as a message of its own.
    if (!edited) this.record(ref.messageId, ref.channelId, saved, undefined);
    this.terminal.botEdit(ref.messageId, withFileNotes(saved));
  }

  private post(channelId: string, original: OutboundMessage, replyTo: string | undefined): MessageRef {
    const messageId = this.local.nextMessageId();
    const saved = this.save(original, messageId);
    const entry = this.record(messageId, channelId, saved, replyTo);
    this.terminal.botMessage(entry, withFileNotes(saved));
    return { channelId, messageId };
  }

  /** Saves the message's files and remembers them, so the web console can fetch them by message id and index. */
  private save(original: OutboundMessage, messageId: string): SavedMessage {
    const saved = saveAttachments(original, messageId, this.attachmentsDir);
    this.files.remember(messageId, saved.saved);
    return saved;
  }

  private record(messageId: string, channelId: string, { message, saved }: SavedMessage, replyTo: string | undefined) {
    const { botId } = this.local;
    return this.local.log.post({
      id: messageId, shortId: this.local.shortId(messageId), channel: this.local.channelName(channelId),
      author: { id: botId, name: this.local.options.botName, isBot: true }, message, at: new Date().toISOString(),
      ...(saved.length > 0 ? { files: saved.map((s) => s.file) } : {}),
      ...(replyTo ? { replyTo } : {}),
    }, message.reactions ?? [], botId);
  }

  private showWebAct(act: LocalAct): void {
    if (act.via !== 'web' || !act.entry) return;
    const { input, entry } = act;
    if (input.kind === 'message') this.terminal.webMessage(entry);
    else if (input.kind === 'reaction') this.terminal.webReaction(entry, input.user, input.emoji, input.added);
    else this.terminal.webAction(entry, input.user, act.label ?? input.actionId);
  }
}
