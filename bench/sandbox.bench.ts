import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatAdapter, ChatEventHandler } from '../src/core/chat-adapter.js';
import type { MessageEvent } from '../src/core/chat-event.js';
import { disposable } from '../src/core/disposable.js';
import { createLogger } from '../src/core/logger.js';
import type { MessageRef } from '../src/core/message.js';
import { validateConfig } from '../src/config/load-config.js';
import { OpsroomApp } from '../src/di/opsroom-app.js';
import { hostFigures } from './sandbox-host-measures.js';
import { percentile, round } from './stats.js';

/** A platform that answers instantly: each reply resolves the waiter of the message it answers. */
class BenchAdapter implements ChatAdapter {
  readonly platform = 'local' as const;
  private handler: ChatEventHandler | undefined;
  private readonly waiting = new Map<string, () => void>();
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  onDidReceiveEvent(handler: ChatEventHandler) { this.handler = handler; return disposable(() => { this.handler = undefined; }); }
  async send(channelId: string): Promise<MessageRef> { return { channelId, messageId: 'x' }; }
  async replyInThread(to: MessageRef): Promise<MessageRef> { this.waiting.get(to.messageId)?.(); return to; }
  async react(): Promise<void> {}
  async update(): Promise<void> {}

  private sequence = 0;
  /** Delivers `!echo hi` and resolves when its reply arrives. */
  roundTrip(): Promise<void> {
    const id = `b${++this.sequence}`;
    const replied = new Promise<void>((resolve) => this.waiting.set(id, resolve));
    const event: MessageEvent = {
      type: 'message', id, messageId: id, platform: 'local', text: '!echo hi', mentionsBot: false, receivedAt: new Date(),
      actor: { id: 'local:user:alice', name: 'alice', isBot: false, groups: [] }, channel: { id: 'local:channel:ops', name: 'ops', isDirect: false },
    };
    void this.handler?.(event);
    return replied.then(() => { this.waiting.delete(id); });
  }
}

export async function appFigures(): Promise<Record<string, number>> {
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-bench-sandbox-'));
  mkdirSync(join(dir, 'echo'));
  writeFileSync(join(dir, 'echo', 'plugin.json'), JSON.stringify({
    name: 'echo', version: '1.0.0', apiVersion: 1, description: 'bench', commands: [{ name: 'echo', description: 'echo', args: [{ name: 'word', type: 'string', required: true }] }],
  }));
  writeFileSync(join(dir, 'echo', 'index.js'), 'export default { commands: { echo(ctx, args) { return "echo " + args.word; } } };');
  const config = validateConfig({
    storage: { sqlitePath: join(dir, 'bench.db') }, http: { enabled: false }, adapters: { local: { enabled: false } },
    plugins: { bundled: false, paths: [dir] }, logging: { level: 'silent' },
  }, 'bench');
  const adapter = new BenchAdapter();
  const app = await OpsroomApp.start({ config, logger: createLogger({ level: 'silent' }), adapters: [adapter], http: false });
  try {
    for (let i = 0; i < 2000; i++) await adapter.roundTrip();
    const times: number[] = [];
    for (let i = 0; i < 5000; i++) {
      const started = process.hrtime.bigint();
      await adapter.roundTrip();
      times.push(Number(process.hrtime.bigint() - started) / 1000);
    }
    const total = 20_000;
    let issued = 0;
    const started = performance.now();
    await Promise.all(Array.from({ length: 16 }, async () => {
      while (issued < total) {
        issued += 1;
        await adapter.roundTrip();
      }
    }));
    const perSec = total / ((performance.now() - started) / 1000);
    return {
      'sandbox.warmCallUsP50': round(percentile(times, 50)),
      'sandbox.warmCallUsP99': round(percentile(times, 99)),
      'sandbox.cmdsPerSec': Math.round(perSec),
    };
  } finally {
    await app.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Issue 3's figures: cold load, idle heap and recovery at the sandbox host; the warm round trip and commands/s
 * through the whole bot (router, RBAC and approval gate, sandbox over IPC, audit log on SQLite, reply).
 */
export async function run(): Promise<Record<string, number>> {
  const host = await hostFigures();
  const app = await appFigures();
  return { ...host, ...app };
}
