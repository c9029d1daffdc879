// One opsroom as its own OS process, for tests that kill it or run two at once. argv[2]: the configuration as JSON
// (validated like a file). stdin: one JSON object per line, either a ChatEvent (`receivedAt` may be omitted) or
// `{"control":"stop"}`. stdout: one JSON object per line: `{"ready":true,"pid":...,"node":...}` once started (`node`: its
// cluster node id when the configuration has cluster.redisUrl; it then runs in cluster.role), then everything
// the bot sends as `{"kind":"send"|"reply"|"update"|"react",...}`. Events are handled concurrently, as a platform
// delivers them. Logs (warn and above) go to stderr.
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { ChatAdapter, ChatEventHandler } from '../../src/core/chat-adapter.js';
import type { ChatEvent } from '../../src/core/chat-event.js';
import { disposable, type Disposable } from '../../src/core/disposable.js';
import { createLogger } from '../../src/core/logger.js';
import type { MessageRef, OutboundMessage } from '../../src/core/message.js';
import { validateConfig } from '../../src/config/load-config.js';
import { OpsroomApp } from '../../src/di/opsroom-app.js';

/** What the process printed for one thing the bot sent. */
export interface SentLine {
  kind: 'send' | 'reply' | 'update' | 'react';
  channelId: string;
  messageId: string;
  replyTo?: string;
  text?: string;
  reactions?: string[];
  emoji?: string;
}

function write(line: object): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

/** The local platform over stdio; message ids carry a per-process prefix so two processes never reuse one. */
class StdioAdapter implements ChatAdapter {
  readonly platform = 'local' as const;
  private readonly handlers = new Set<ChatEventHandler>();
  private readonly prefix = `p${randomBytes(3).toString('hex')}`;
  private sequence = 0;

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  onDidReceiveEvent(handler: ChatEventHandler): Disposable {
    this.handlers.add(handler);
    return disposable(() => this.handlers.delete(handler));
  }

  async send(channelId: string, message: OutboundMessage): Promise<MessageRef> {
    return this.record('send', channelId, message);
  }

  async replyInThread(to: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    return this.record('reply', to.channelId, message, to.messageId);
  }

  async react(to: MessageRef, emoji: string): Promise<void> {
    write({ kind: 'react', channelId: to.channelId, messageId: to.messageId, emoji } satisfies SentLine);
  }

  async update(ref: MessageRef, message: OutboundMessage): Promise<void> {
    write({ kind: 'update', channelId: ref.channelId, messageId: ref.messageId, text: message.text } satisfies SentLine);
  }

  deliver(event: ChatEvent): Promise<unknown> {
    return Promise.all([...this.handlers].map((handler) => handler(event)));
  }

  private record(kind: 'send' | 'reply', channelId: string, message: OutboundMessage, replyTo?: string): MessageRef {
    const messageId = `${this.prefix}-${++this.sequence}`;
    write({ kind, channelId, messageId, text: message.text, ...(replyTo ? { replyTo } : {}), ...(message.reactions ? { reactions: message.reactions } : {}) } satisfies SentLine);
    return { channelId, messageId };
  }
}

const config = validateConfig(JSON.parse(process.argv[2] ?? '{}'), 'process configuration');
const logger = createLogger({ level: 'warn' });
const adapter = new StdioAdapter();
const role = config.cluster.redisUrl === undefined ? undefined : config.cluster.role;
const app = await OpsroomApp.start({ config, logger, adapters: [adapter], http: false, role });
write({ ready: true, pid: process.pid, node: app.nodeId });

const handling = new Set<Promise<unknown>>();
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (line.trim().length === 0) continue;
  const parsed = JSON.parse(line) as (ChatEvent & { receivedAt?: string }) | { control: 'stop' };
  if ('control' in parsed) break;
  const event = { ...parsed, receivedAt: new Date(parsed.receivedAt ?? Date.now()) } as ChatEvent;
  const task = adapter.deliver(event).catch((err: unknown) => logger.error({ err }, 'event handling failed'));
  handling.add(task);
  void task.finally(() => handling.delete(task));
}
await Promise.all(handling);
await app.stop();
process.exit(0);
