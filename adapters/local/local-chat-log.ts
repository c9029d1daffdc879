import { disposable, type Disposable } from '../../src/core/disposable.js';
import type { LocalChatChange, LocalChatEntry, LocalChatFile } from '../../src/core/local-chat-hub.js';
import type { OutboundMessage } from '../../src/core/message.js';

export type NewEntry = Omit<LocalChatEntry, 'edits' | 'reactions'>;

/** What a reaction did: nothing when the user already held it (or never did), like a chat platform. */
export type ReactionResult = { changed: false } | { changed: true; entry: LocalChatEntry };

const DEFAULT_LIMIT_PER_CHANNEL = 500;

/**
 * The recent conversation of the local platform in memory, the one record both views draw from. Each channel keeps
 * its newest messages only; listeners get copies, so no view can change what another one sees.
 */
export class LocalChatLog {
  private readonly entries = new Map<string, LocalChatEntry>();
  private readonly byChannel = new Map<string, string[]>();
  private readonly listeners = new Set<(change: LocalChatChange) => void>();

  constructor(private readonly limitPerChannel = DEFAULT_LIMIT_PER_CHANNEL) {}

  post(input: NewEntry, offered: readonly string[] = [], botId?: string): LocalChatEntry {
    const entry: LocalChatEntry = {
      ...input, message: structuredClone(input.message), edits: 0,
      reactions: botId ? offered.map((emoji) => ({ emoji, by: [botId] })) : [],
    };
    this.entries.set(entry.id, entry);
    const ids = this.byChannel.get(entry.channel) ?? [];
    ids.push(entry.id);
    this.byChannel.set(entry.channel, ids);
    for (const old of ids.splice(0, Math.max(0, ids.length - this.limitPerChannel))) this.entries.delete(old);
    return this.emit({ kind: 'posted', entry });
  }

  get(id: string): LocalChatEntry | undefined {
    const entry = this.entries.get(id);
    return entry ? structuredClone(entry) : undefined;
  }

  /** Rewrites a message in place, its files too; undefined when it is no longer (or never was) in the log. */
  edit(id: string, message: OutboundMessage, botId: string, files: readonly LocalChatFile[] = []): LocalChatEntry | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    entry.message = structuredClone(message);
    if (files.length > 0) entry.files = structuredClone([...files]);
    else delete entry.files;
    entry.edits += 1;
    for (const emoji of message.reactions ?? []) this.add(entry, emoji, botId);
    return this.emit({ kind: 'updated', entry });
  }

  react(id: string, who: string, emoji: string, added: boolean): ReactionResult {
    const entry = this.entries.get(id);
    if (!entry) return { changed: false };
    const changed = added ? this.add(entry, emoji, who) : this.remove(entry, emoji, who);
    return changed ? { changed: true, entry: this.emit({ kind: 'updated', entry }) } : { changed: false };
  }

  /** Oldest first, every channel. */
  history(): LocalChatEntry[] {
    return [...this.entries.values()].map((entry) => structuredClone(entry));
  }

  onDidChange(listener: (change: LocalChatChange) => void): Disposable {
    this.listeners.add(listener);
    return disposable(() => this.listeners.delete(listener));
  }

  private add(entry: LocalChatEntry, emoji: string, who: string): boolean {
    const reaction = entry.reactions.find((r) => r.emoji === emoji);
    if (!reaction) {
      entry.reactions.push({ emoji, by: [who] });
      return true;
    }
    if (reaction.by.includes(who)) return false;
    reaction.by.push(who);
    return true;
  }

  private remove(entry: LocalChatEntry, emoji: string, who: string): boolean {
    const reaction = entry.reactions.find((r) => r.emoji === emoji);
    if (!reaction?.by.includes(who)) return false;
    reaction.by.splice(reaction.by.indexOf(who), 1);
    // An emoji the message offers stays on the bar at zero, so it can still be clicked.
    if (reaction.by.length === 0 && !(entry.message.reactions ?? []).includes(emoji)) entry.reactions.splice(entry.reactions.indexOf(reaction), 1);
    return true;
  }

  private emit(change: { kind: LocalChatChange['kind']; entry: LocalChatEntry }): LocalChatEntry {
    const copy = structuredClone(change.entry);
    for (const listener of this.listeners) listener({ kind: change.kind, entry: structuredClone(copy) });
    return copy;
  }
}
