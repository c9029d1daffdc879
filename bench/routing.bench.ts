import type { AuditLog } from '../src/audit/audit-log.js';
import type { ChatAdapter } from '../src/core/chat-adapter.js';
import type { MessageEvent } from '../src/core/chat-event.js';
import { createLogger } from '../src/core/logger.js';
import { MetricsImpl } from '../src/core/metrics.js';
import type { MessageRef } from '../src/core/message.js';
import { RbacGate } from '../src/rbac/rbac-gate.js';
import { RbacServiceImpl } from '../src/rbac/rbac-service.js';
import { CommandExecutorImpl } from '../src/routing/command-executor.js';
import { CommandRegistryImpl } from '../src/routing/command-registry.js';
import { MemoryEventDeduplicator } from '../src/routing/event-deduplicator.js';
import { MessengerImpl } from '../src/routing/messenger.js';
import { RouterImpl } from '../src/routing/router.js';
import type { Wishlist } from '../src/routing/wishlist.js';
import { percentile, round } from './stats.js';

/**
 * Messages through the router: recognition, parsing, lookup, argument validation, the RBAC gate and a trivial
 * core command, answered through an adapter that does nothing. No storage: audit and wishlist are no-ops here.
 */
function buildRouter(commandCount: number): { router: RouterImpl; replies: () => number } {
  const logger = createLogger({ level: 'silent' });
  const metrics = new MetricsImpl();
  const registry = new CommandRegistryImpl();
  registry.register('core', {
    name: 'echo', description: 'echo', permission: 'use:echo', risk: 'low',
    args: [{ name: 'text', type: 'string', required: true }, { name: 'times', type: 'int', flag: true, default: 1 }],
  }, async (inv) => String(inv.args.text));
  for (let i = 0; registry.all().length < commandCount; i++) {
    registry.register('bench', {
      name: `command-${i}`, description: 'filler', permission: `use:bench-${i}`, risk: 'low',
      args: [{ name: 'target', type: 'string', required: true }],
    }, async () => 'filler');
  }
  let replies = 0;
  const adapter = {
    platform: 'local',
    replyInThread: async (to: MessageRef): Promise<MessageRef> => { replies++; return to; },
  } as unknown as ChatAdapter;
  const messenger = new MessengerImpl();
  messenger.attach(adapter);
  const audit = { append: async () => undefined } as unknown as AuditLog;
  const wishlist = { record: async () => undefined } as unknown as Wishlist;
  const rbac = new RbacServiceImpl({ roles: { operator: { permissions: ['use:*'] } }, bindings: [{ principal: 'local:user:alice', roles: ['operator'] }] });
  const router = new RouterImpl(
    { prefix: '!' }, registry, new RbacGate(rbac), new CommandExecutorImpl(logger, metrics), messenger, audit, wishlist,
    new MemoryEventDeduplicator(), logger, metrics,
  );
  return { router, replies: () => replies };
}

function event(i: number): MessageEvent {
  return {
    type: 'message', id: `e${i}`, messageId: `m${i}`, platform: 'local', text: '!echo "hello world" --times 2', mentionsBot: false,
    actor: { id: 'local:user:alice', name: 'alice', isBot: false, groups: [] },
    channel: { id: 'local:channel:ops', name: 'ops', isDirect: false }, receivedAt: new Date(),
  };
}

async function measure(commandCount: number, messages: number): Promise<{ perSec: number; p99Us: number }> {
  const { router, replies } = buildRouter(commandCount);
  for (let i = 0; i < 20_000; i++) await router.handle(event(-i - 1));
  const latencies = new Float64Array(messages);
  const started = performance.now();
  for (let i = 0; i < messages; i++) {
    const t0 = performance.now();
    await router.handle(event(i));
    latencies[i] = performance.now() - t0;
  }
  const elapsed = performance.now() - started;
  if (replies() !== messages + 20_000) throw new Error(`expected ${messages + 20_000} replies, got ${replies()}`);
  return { perSec: messages / (elapsed / 1000), p99Us: percentile(Array.from(latencies), 99) * 1000 };
}

export async function run(): Promise<Record<string, number>> {
  const messages = 200_000;
  const ten = await measure(10, messages);
  const thousand = await measure(1000, messages);
  return {
    'routing.msgsPerSec10': Math.round(ten.perSec),
    'routing.msgsPerSec1000': Math.round(thousand.perSec),
    'routing.p99Us1000': round(thousand.p99Us, 1),
  };
}
