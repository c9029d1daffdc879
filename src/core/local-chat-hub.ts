import type { Readable } from 'node:stream';
import type { ChatAdapter } from './chat-adapter.js';
import type { Disposable } from './disposable.js';
import type { QualifiedId } from './identity.js';
import type { OutboundMessage } from './message.js';

/** A demo or console user of the local platform; its identity is `local:user:<name>`. */
export interface LocalUserInfo {
  name: string;
  displayName: string;
  id: QualifiedId;
}

/** Who reacted with one emoji on a local message. */
export interface LocalReaction {
  emoji: string;
  /** Qualified ids of the users (and the bot) who hold this reaction, in the order they added it. */
  by: QualifiedId[];
}

/**
 * A file the bot sent with a local message (a report's chart), as the views may know it. Where the local platform
 * saved the bytes stays with the adapter: a page fetches them through `LocalChatHub.openFile`, never by path.
 */
export interface LocalChatFile {
  /** Its position among the message's files, which is how `openFile` names it. */
  index: number;
  /** The name the bot gave it, e.g. `wishlist.png`. */
  name: string;
  /** A MIME type such as `image/png`. */
  contentType: string;
  /** Its size in bytes. */
  size: number;
  /** Why it cannot be opened (the local platform could not save it); absent for a file that can. */
  problem?: string;
}

/** The bytes of a file of a local message, opened for reading: whoever gets it consumes or destroys `stream`. */
export interface LocalChatFileContent {
  file: LocalChatFile;
  /** The size of the saved file, as the disk says now. */
  size: number;
  stream: Readable;
}

/** One message of the local platform, as the terminal and the web page both show it. */
export interface LocalChatEntry {
  /** The platform message id, as events and approval requests name it. */
  id: string;
  /** The short form the terminal shows and `/react` takes, e.g. `m4`. */
  shortId: string;
  /** The channel name without `#`, e.g. `ops`. */
  channel: string;
  author: { id: QualifiedId; name: string; isBot: boolean };
  /**
   * A user's message is `{ text }`; the bot's is the platform-neutral message it sent, as last updated, without its
   * attachments: those are `files`.
   */
  message: OutboundMessage;
  /** The files the bot sent with it, as last updated; absent when there are none. */
  files?: LocalChatFile[];
  /** ISO-8601 time the message was first posted. */
  at: string;
  /** The message this one answers, when it is a reply. */
  replyTo?: string;
  /** Where a user typed it; absent for the bot. */
  via?: 'terminal' | 'web';
  /** How many times the bot rewrote it in place (an approval request moving on). */
  edits: number;
  reactions: LocalReaction[];
}

/** What changed in the local conversation. `updated` carries the whole entry after an edit or a reaction. */
export type LocalChatChange =
  | { kind: 'posted'; entry: LocalChatEntry }
  | { kind: 'updated'; entry: LocalChatEntry };

/** Something a local user does: say a line, react to a message, press a button of a message. */
export type LocalChatInput =
  | { kind: 'message'; user: string; channel: string; text: string }
  | { kind: 'reaction'; user: string; messageId: string; emoji: string; added: boolean }
  | { kind: 'action'; user: string; messageId: string; actionId: string };

/**
 * The local platform seen from outside its adapter: the web console posts as a local user and follows the
 * conversation through this, so the terminal and the web page are two views of one platform. The local adapter
 * provides it; the composition root hands it to the HTTP console, which never imports an adapter.
 */
export const LocalChatHub = Symbol('LocalChatHub');
export interface LocalChatHub {
  readonly botName: string;
  users(): LocalUserInfo[];
  /** The user a new view speaks as. */
  defaultUser(): string;
  /** Channel names without `#`. */
  channels(): string[];
  /** The recent conversation, oldest first, every channel. */
  history(): LocalChatEntry[];
  /**
   * Does what a local user did and hands the resulting event to the router without waiting for the command to
   * finish. Resolves with the user's new message (for `message`), or with the entry reacted on or pressed.
   * Throws a UserError naming the problem for an unknown user, channel, message, button or an empty line.
   */
  say(input: LocalChatInput): Promise<LocalChatEntry>;
  onDidChange(listener: (change: LocalChatChange) => void): Disposable;
  /**
   * Opens file `index` of a bot message as the local platform saved it; only files it saved for that message can be
   * opened. Throws a UserError E_NOT_FOUND naming what is missing: the message's files, that index, or the saved file.
   */
  openFile(messageId: string, index: number): Promise<LocalChatFileContent>;
  /** Lets the terminal hand out fresh web console login links (`/web`); one issuer at a time. */
  provideLoginLinks(issuer: () => string): Disposable;
}

/** The adapter of the local platform, which also provides the hub. */
export interface LocalChatAdapter extends ChatAdapter {
  readonly hub: LocalChatHub;
}

/** The hub of an adapter that provides one (the local adapter), or undefined. */
export function localHubOf(adapter: ChatAdapter): LocalChatHub | undefined {
  const hub = (adapter as Partial<LocalChatAdapter>).hub;
  return adapter.platform === 'local' && hub !== undefined ? hub : undefined;
}
