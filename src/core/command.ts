import type { Actor, ChannelRef } from './chat-event.js';
import type { Platform } from './identity.js';
import type { MessageRef, OutboundMessage } from './message.js';

/** Argument types of the plugin contract. */
export type ArgType = 'string' | 'int' | 'number' | 'bool' | 'enum' | 'user' | 'channel' | 'rest';
export const ARG_TYPES: readonly ArgType[] = ['string', 'int', 'number', 'bool', 'enum', 'user', 'channel', 'rest'];

export type Risk = 'low' | 'medium' | 'high';

/** One argument of a command, as in plugin.json. */
export interface ArgSpec {
  name: string;
  type: ArgType;
  description?: string;
  required?: boolean;
  /** Given as `--name value` (or `--name` alone for bool) instead of by position. */
  flag?: boolean;
  values?: string[];
  default?: string | number | boolean;
}

/** A command as declared in a manifest (or by a built-in). */
export interface CommandSpec {
  /** What users type; may be two words for a subcommand (`deploy status`). */
  name: string;
  description: string;
  usage?: string;
  args: ArgSpec[];
  aliases?: string[];
  /** RBAC permission the caller needs; plugins default to `use:<plugin>`. */
  permission: string;
  risk: Risk;
  /** Read-only built-ins run for everybody, even with no role configured. */
  readOnly?: boolean;
}

export type ArgValue = string | number | boolean;
export type ParsedArgs = Record<string, ArgValue | undefined>;

/** One call of a command: who, where, what; frozen before it is gated or executed. */
export interface Invocation {
  id: string;
  command: string;
  /** The plugin owning the command; `core` for built-ins. */
  plugin: string;
  args: ParsedArgs;
  /** The command line as typed, after the prefix. */
  text: string;
  platform: Platform;
  actor: Actor;
  channel: ChannelRef;
  /** The message that carried the call, for replies. */
  source: MessageRef;
  threadId?: string;
  /** Set only on an invocation released by an approval; high-risk capabilities require it. */
  approval?: { requestId: string; approvers: string[] };
}

export type CommandResult = string | OutboundMessage | undefined | void;
