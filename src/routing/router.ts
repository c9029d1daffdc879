import { randomBytes } from 'node:crypto';
import { inject, injectable } from 'inversify';
import { AuditLog } from '../audit/audit-log.js';
import type { ChatEvent, MessageEvent } from '../core/chat-event.js';
import type { Invocation } from '../core/command.js';
import { disposable, type Disposable } from '../core/disposable.js';
import { describeForChat } from '../core/errors.js';
import { Logger } from '../core/logger.js';
import { toOutbound, type MessageRef, type OutboundMessage } from '../core/message.js';
import { Metrics } from '../core/metrics.js';
import { CommandExecutor } from './command-executor.js';
import { CommandRegistry, type RegisteredCommand } from './command-registry.js';
import { EventDeduplicator } from './event-deduplicator.js';
import { Gate } from './gate.js';
import { Messenger } from './messenger.js';
import { resolveCommand, type Resolution } from './resolve-command.js';
import { Wishlist } from './wishlist.js';

export const RouterSettings = Symbol('RouterSettings');
export interface RouterSettings {
  prefix: string;
  /** In a cluster, this gateway's node id: stamped on each command's source message (`via`) so answers come back here. */
  origin?: string;
}

export type EventListener = (event: ChatEvent) => Promise<void>;

/** From a ChatEvent to a reply: recognise, parse, look up, validate, gate, execute, answer, audit. */
export const Router = Symbol('Router');
export interface Router {
  handle(event: ChatEvent): Promise<void>;
  /** Reactions, actions and members go to listeners (approvals); messages that are not commands too. */
  onDidReceiveEvent(listener: EventListener): Disposable;
  /** Stops taking events; waits for commands in flight, at most `timeoutMs`. Resolves true when all finished. */
  drain(timeoutMs: number): Promise<boolean>;
  inFlight(): number;
}

// Invocation ids are job ids in a cluster: unique across every process and restart, not only within one.
const bootId = randomBytes(6).toString('hex');

@injectable()
export class RouterImpl implements Router {
  private readonly listeners = new Set<EventListener>();
  private readonly running = new Set<Promise<void>>();
  private accepting = true;
  private sequence = 0;

  constructor(
    @inject(RouterSettings) private readonly settings: RouterSettings,
    @inject(CommandRegistry) private readonly registry: CommandRegistry,
    @inject(Gate) private readonly gate: Gate,
    @inject(CommandExecutor) private readonly executor: CommandExecutor,
    @inject(Messenger) private readonly messenger: Messenger,
    @inject(AuditLog) private readonly audit: AuditLog,
    @inject(Wishlist) private readonly wishlist: Wishlist,
    @inject(EventDeduplicator) private readonly dedup: EventDeduplicator,
    @inject(Logger) private readonly logger: Logger,
    @inject(Metrics) private readonly metrics: Metrics,
  ) {}

  handle(event: ChatEvent): Promise<void> {
    if (!this.accepting) return Promise.resolve();
    const task = this.process(event).catch((err: unknown) => {
      this.logger.error({ err, event: event.id, platform: event.platform }, 'event handling failed');
    });
    this.running.add(task);
    void task.finally(() => this.running.delete(task));
    return task;
  }

  onDidReceiveEvent(listener: EventListener): Disposable {
    this.listeners.add(listener);
    return disposable(() => this.listeners.delete(listener));
  }

  async drain(timeoutMs: number): Promise<boolean> {
    this.accepting = false;
    if (this.running.size === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<boolean>((resolve) => { timer = setTimeout(() => resolve(false), timeoutMs); });
    const done = Promise.allSettled([...this.running]).then(() => true);
    const finished = await Promise.race([done, timeout]);
    clearTimeout(timer);
    return finished;
  }

  inFlight(): number {
    return this.running.size;
  }

  private async process(event: ChatEvent): Promise<void> {
    this.metrics.events.inc({ platform: event.platform, type: event.type });
    if (event.actor.isBot) return;
    if (!(await this.dedup.firstTime(event))) return;
    const line = event.type === 'message' ? this.recognize(event) : undefined;
    if (line === undefined) {
      await this.notifyListeners(event);
      return;
    }
    await this.route(event as MessageEvent, line);
  }

  /** The command text when the message is for the bot: a prefix, a mention, or a direct message. */
  private recognize(event: MessageEvent): string | undefined {
    const text = event.text.trimStart();
    const { prefix } = this.settings;
    if (text.startsWith(prefix)) return text.slice(prefix.length);
    if (event.mentionsBot || event.channel.isDirect) return text;
    return undefined;
  }

  private async route(event: MessageEvent, line: string): Promise<void> {
    const source: MessageRef = {
      channelId: event.channel.id, messageId: event.messageId, threadId: event.threadId, ...(this.settings.origin ? { via: this.settings.origin } : {}),
    };
    let resolution: Resolution;
    try {
      resolution = resolveCommand(this.registry, line);
    } catch (error) {
      this.metrics.commands.inc({ outcome: 'invalid' });
      await this.answer(event, source, { text: describeForChat(error, event.id) });
      return;
    }
    if (resolution.kind === 'empty') return;
    if (resolution.kind === 'unknown') {
      await this.unknown(event, source, resolution, line);
      return;
    }
    const { command, args } = resolution;
    await this.gateAndRun(this.invocationOf(event, command, args, line.trim(), source), command);
  }

  /**
   * The receipt is committed before anything of consequence happens: before a denial or a held request is
   * announced, before a medium- or high-risk command runs, and before any result is shown. A low-risk command
   * runs while its receipt commits, and its result goes out while the `executed` entry commits; `handle()`
   * resolves only after both, so shutdown never leaves them half-written.
   */
  private async gateAndRun(invocation: Invocation, command: RegisteredCommand): Promise<void> {
    const received = this.audit.append({ ...auditEntry(invocation, 'command.received'), detail: receivedDetail(invocation) });
    const outcome = await this.gate.check(invocation, command);
    if (outcome.kind === 'deny') {
      this.metrics.commands.inc({ outcome: 'denied' });
      await received;
      await this.audit.append({ ...auditEntry(invocation, 'command.denied'), outcome: 'denied', detail: { reason: outcome.reason } });
      await this.answer(invocation, invocation.source, { text: `Denied: ${outcome.reason}` });
      return;
    }
    if (outcome.kind === 'held') {
      await received;
      if (outcome.message) await this.answer(invocation, invocation.source, outcome.message);
      return;
    }
    if (command.spec.risk !== 'low') await received;
    const result = await this.executor.execute(command, invocation);
    const durationMs = Math.round(result.durationMs * 1000) / 1000;
    await received;
    const finished = result.ok
      ? this.audit.append({ ...auditEntry(invocation, 'command.executed'), outcome: 'succeeded', durationMs })
      : this.audit.append({
        ...auditEntry(invocation, 'command.failed'), outcome: 'failed', durationMs, detail: { code: result.error.code, message: result.error.message },
      });
    if (!result.ok) await this.answer(invocation, invocation.source, { text: describeForChat(result.error, invocation.id) });
    else if (result.result !== undefined) await this.answer(invocation, invocation.source, toOutbound(result.result));
    await finished;
  }


  private async unknown(event: MessageEvent, source: MessageRef, unknown: Extract<Resolution, { kind: 'unknown' }>, line: string): Promise<void> {
    this.metrics.commands.inc({ outcome: 'unknown' });
    await this.wishlist.record(event, unknown.name, line.trim());
    const names = unknown.suggestions.map((c) => `\`${c}\``).join(', ');
    const hint = names.length === 0 ? '' : unknown.nearest ? ` Nearest commands: ${names}.` : ` Did you mean ${names}?`;
    await this.answer(event, source, {
      text: `There is no command \`${unknown.name}\`.${hint} I noted it on the wishlist of things to automate (see \`wishlist\`); \`help\` lists what exists.`,
    });
  }

  private invocationOf(event: MessageEvent, command: RegisteredCommand, args: Invocation['args'], text: string, source: MessageRef): Invocation {
    return {
      id: `${bootId}${(++this.sequence).toString(36).padStart(5, '0')}`,
      command: command.spec.name, plugin: command.plugin, args, text,
      platform: event.platform, actor: event.actor, channel: event.channel, source, threadId: event.threadId,
    };
  }

  private async answer(where: { platform: ChatEvent['platform'] }, to: MessageRef, message: OutboundMessage): Promise<void> {
    try {
      await this.messenger.reply(where.platform, to, message);
    } catch (err) {
      this.logger.error({ err, platform: where.platform, channel: to.channelId }, 'could not send a reply');
    }
  }

  private async notifyListeners(event: ChatEvent): Promise<void> {
    for (const listener of this.listeners) {
      try {
        await listener(event);
      } catch (err) {
        this.logger.error({ err, event: event.id, type: event.type }, 'an event listener failed');
      }
    }
  }
}

function auditEntry(invocation: Invocation, action: string) {
  return {
    action, actor: invocation.actor.id, platform: invocation.platform, channel: invocation.channel.id,
    command: invocation.command, args: invocation.args as Record<string, unknown>, invocationId: invocation.id,
  };
}

/** Who, by name, and which chat message: so `history` can show the person and link the message where the platform allows. */
function receivedDetail(invocation: Invocation): Record<string, unknown> {
  return {
    name: invocation.actor.name, messageId: invocation.source.messageId,
    ...(invocation.threadId !== undefined ? { threadId: invocation.threadId } : {}),
    ...(invocation.channel.name !== undefined ? { channelName: invocation.channel.name } : {}),
  };
}
