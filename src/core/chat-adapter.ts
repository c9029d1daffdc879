import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable, Writable } from 'node:stream';
import type { ChatEvent } from './chat-event.js';
import type { CommandSpec } from './command.js';
import type { Disposable } from './disposable.js';
import type { Platform, QualifiedId } from './identity.js';
import type { Logger } from './logger.js';
import type { MessageRef, OutboundMessage } from './message.js';

export type ChatEventHandler = (event: ChatEvent) => Promise<void>;

/** One chat platform. Adapters normalize events and send messages; they know nothing of plugins, roles or approvals. */
export const ChatAdapter = Symbol('ChatAdapter');
export interface ChatAdapter {
  readonly platform: Platform;
  start(): Promise<void>;
  /** Stops taking events; resolves when the platform connection is closed. */
  stop(): Promise<void>;
  /** Posts a new message to a qualified channel id. */
  send(channelId: string, message: OutboundMessage): Promise<MessageRef>;
  /** Answers in the thread of (or as a reply to) an existing message. */
  replyInThread(to: MessageRef, message: OutboundMessage): Promise<MessageRef>;
  react(to: MessageRef, emoji: string): Promise<void>;
  update(ref: MessageRef, message: OutboundMessage): Promise<void>;
  /** Events out: the handler's promise is awaited, so an adapter can keep order. */
  onDidReceiveEvent(handler: ChatEventHandler): Disposable;
  /** Resolves when the adapter's source ended by itself (the console's input ran out); absent for network adapters. */
  readonly finished?: Promise<void>;
  /** Routes the adapter serves on opsroom's shared HTTP server (Teams: `POST /api/messages`); mounted before start(). */
  httpRoutes?(): AdapterHttpRoute[];
  /** Loads references persisted earlier, before start(); throws, naming the entry, when one is malformed. */
  restoreReferences?(references: readonly unknown[]): void;
  /** Hears each new or changed conversation reference, so the core can persist it. */
  onDidCaptureReference?(listener: (reference: ConversationReference) => void): Disposable;
  /** Hears that a conversation can no longer be posted to (the app was removed from it). */
  onDidForgetReference?(listener: (channelId: QualifiedId) => void): Disposable;
  /** Hears about authenticated events the adapter refused to deliver (a Teams tenant that is not allowed), for the audit log. */
  onDidRefuseEvent?(listener: (refusal: RefusedEvent) => void): Disposable;
  /** Hears the command list, now and whenever plugins change it (Discord: slash commands); called before start() too. */
  useCommands?(commands: readonly CommandSpec[]): void;
  /** Whether a persistent platform connection is up right now, for `/readyz`; absent where there is none to lose. */
  connectionState?(): { connected: boolean; detail: string };
}

/** One HTTP route of an adapter; the handler reads the request and always answers it. */
export interface AdapterHttpRoute {
  method: string;
  /** An exact path such as `/api/messages`. */
  path: string;
  handler(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

/**
 * What an adapter needs to post into a conversation nobody spoke in since a restart (a Teams conversation
 * reference): plain JSON the core stores as it is, one per channel.
 */
export interface ConversationReference {
  /** The qualified channel id the reference leads to, e.g. `teams:conversation:19:abc@thread.tacv2`. */
  channelId: QualifiedId;
}

/** An event that came from the platform authenticated, and that the adapter refused to deliver. */
export interface RefusedEvent {
  /** Why, in a sentence for the audit log. */
  reason: string;
  actor?: QualifiedId;
  channel?: QualifiedId;
  detail?: Record<string, unknown>;
}

/** What the composition root hands an adapter package: its own settings and the shared services it may use. */
export interface AdapterContext {
  settings: Record<string, unknown>;
  botName: string;
  logger: Logger;
  io: { input: Readable; output: Writable; interactive: boolean };
}

/** An adapter package (`adapters/<name>/index.ts`) exports this; the core never imports it statically. */
export interface AdapterPackage {
  createAdapter(context: AdapterContext): ChatAdapter | Promise<ChatAdapter>;
  /** Writes the platform's app package (Teams: the zip an admin uploads), when the platform has one. */
  buildAppPackage?(request: AppPackageRequest): Promise<AppPackageResult>;
  /** Registers the commands with the platform without connecting a bot (Discord: slash commands), when it has a registry. */
  registerCommands?(request: CommandRegistrationRequest): Promise<CommandRegistrationResult>;
}

export interface AppPackageRequest {
  /** The adapter's settings section, as for createAdapter (secrets are not needed and not given). */
  settings: Record<string, unknown>;
  botName: string;
  /** Every command, most useful first; the platform may list only the first few. */
  commands: CommandSpec[];
  /** Where to write the package. */
  out: string;
}

export interface AppPackageResult {
  path: string;
  bytes: number;
  /** The command names the package lists. */
  listedCommands: string[];
  /** Commands left out of the package's menus (they still work when typed). */
  omittedCommands: string[];
}

export interface CommandRegistrationRequest {
  /** The adapter's settings section, as for createAdapter (with its token). */
  settings: Record<string, unknown>;
  commands: CommandSpec[];
  /** One guild or team, where changes show at once; everywhere the bot is installed when absent. */
  scope?: string;
  logger: Logger;
}

export interface CommandRegistrationResult {
  /** Where they were registered, in words: `guild 123` or `globally`. */
  scope: string;
  /** The names the platform now lists. */
  registered: string[];
  /** Commands the platform cannot list, with why (they still work when typed). */
  omitted: Array<{ command: string; reason: string }>;
}
