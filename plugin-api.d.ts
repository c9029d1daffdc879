/**
 * The opsroom plugin API, version 1: what plugin code sees. This file is the source of truth for plugin
 * authors' editors; stable members only grow, and removals go through `@deprecated`.
 *
 * Use it from a plugin's index.js with a JSDoc import:
 *   /** @type {import('opsroom/plugin-api').Plugin} *\/
 *   export default { commands: { ... } };
 */

/** Plain data: everything that crosses the sandbox boundary is copied as JSON-like values. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A platform-neutral card: Discord renders it as an embed, Teams as an Adaptive Card, the console as text. */
export interface Card {
  title?: string;
  text?: string;
  fields?: Array<{ name: string; value: string; inline?: boolean }>;
  url?: string;
  color?: string;
  footer?: string;
}

/** A reply: markdown text, or text with a card. */
export type Message = string | { text: string; card?: Card; ephemeral?: boolean };

/** The current call, absent for webhooks, schedules and setup. */
export interface Invocation {
  readonly id: string;
  readonly command: string;
  readonly platform: 'discord' | 'teams' | 'local';
  readonly channel: { readonly id: string; readonly name?: string };
  /** Platform-qualified user id (`discord:user:123`) and display name. */
  readonly user: { readonly id: string; readonly name: string };
  readonly roles: readonly string[];
  readonly text: string;
  readonly threadId?: string;
}

export interface FetchInit {
  method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';
  headers?: Record<string, string>;
  body?: string;
}

export interface FetchResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly headers: Readonly<Record<string, string>>;
  text(): Promise<string>;
  json<T = JsonValue>(): Promise<T>;
}

export interface RunbookResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
  truncated: boolean;
  timedOut: boolean;
}

/** The only door out of the sandbox. Each member needs the capability named in its doc. */
export interface Ctx {
  /** The current call (none for webhooks, schedules, setup). */
  readonly invocation?: Invocation;
  /** The plugin's settings: the manifest's `config` with the operator's `plugins.config.<name>` over it. */
  readonly config: Readonly<Record<string, JsonValue>>;
  /** Answers in the conversation the call came from. Needs no capability. */
  reply(message: Message): Promise<void>;
  /** Posts to a channel alias the operator mapped. Needs `post: [alias]`. */
  post(alias: string, message: Message): Promise<void>;
  /** HTTP(S) to a granted host. Needs `net: [host]`. */
  fetch(url: string, init?: FetchInit): Promise<FetchResponse>;
  /** An opaque placeholder for a secret, substituted by the host only into request headers to the secret's hosts. Needs `secrets`. */
  secret(name: string): string;
  /** A key/value store of this plugin's own. Needs `storage`. */
  readonly storage: {
    get<T = JsonValue>(key: string): Promise<T | null>;
    set(key: string, value: JsonValue): Promise<void>;
    delete(key: string): Promise<boolean>;
    list(prefix?: string): Promise<string[]>;
  };
  /** Runs an operator-defined runbook. Needs `runbooks: [name]`; a high-risk runbook only inside an approved command. */
  runbook(name: string, params?: Record<string, string | number | boolean>): Promise<RunbookResult>;
  /** Registers a cron job delivered to `onSchedule`. Needs `schedule`. */
  schedule(name: string, cron: string): Promise<void>;
  unschedule(name: string): Promise<boolean>;
  /** To the host log, tagged with the plugin and invocation. */
  readonly log: {
    info(message: string, fields?: Record<string, JsonValue>): void;
    warn(message: string, fields?: Record<string, JsonValue>): void;
    error(message: string, fields?: Record<string, JsonValue>): void;
  };
}

/** Arguments as the manifest declares them, parsed and validated before the call. */
export type Args = Record<string, string | number | boolean | undefined>;

export type CommandHandler = (ctx: Ctx, args: Args) => Message | void | Promise<Message | void>;

export interface WebhookRequest {
  method: string;
  headers: Record<string, string>;
  query: Record<string, string>;
  body: string;
  json<T = JsonValue>(): T;
}

export interface WebhookResponse {
  status: number;
  body?: string;
}

export interface ScheduleJob {
  name: string;
  cron: string;
  firedAt: string;
}

/** The default export of index.js. */
export interface Plugin {
  commands?: Record<string, CommandHandler>;
  onWebhook?(ctx: Ctx, req: WebhookRequest): WebhookResponse | void | Promise<WebhookResponse | void>;
  onSchedule?(ctx: Ctx, job: ScheduleJob): void | Promise<void>;
  setup?(ctx: Ctx): void | Promise<void>;
}

export type ArgType = 'string' | 'int' | 'number' | 'bool' | 'enum' | 'user' | 'channel' | 'rest';

/** plugin.json */
export interface Manifest {
  name: string;
  version: string;
  apiVersion: 1;
  description: string;
  main?: string;
  commands?: Array<{
    name: string;
    description: string;
    usage?: string;
    args?: Array<{ name: string; type: ArgType; description?: string; required?: boolean; flag?: boolean; values?: string[]; default?: string | number | boolean }>;
    aliases?: string[];
    permission?: string;
    risk?: 'low' | 'medium' | 'high';
  }>;
  events?: Array<'webhook' | 'schedule'>;
  capabilities?: {
    net?: string[];
    secrets?: Record<string, string[]>;
    storage?: { quotaKb: number };
    post?: string[];
    runbooks?: string[];
    webhook?: boolean;
    schedule?: boolean;
  };
  limits?: { memoryMb?: number; cpuMs?: number; wallMs?: number };
  config?: Record<string, JsonValue>;
}
