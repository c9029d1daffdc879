import { ContainerModule } from 'inversify';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/audit/audit-log.js';
import type { MessageRef, OutboundMessage } from '../../../src/core/message.js';
import { FakeAdapter, message, reaction } from '../../fakes/fake-adapter.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let current: TestApp | undefined;
afterEach(() => current?.logger.assertNoErrors());

/** A platform that is slow to confirm a post, and an approver who reacts before the confirmation arrives. */
class QuickApproverAdapter extends FakeAdapter {
  private async posted(ref: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    if (message.reactions?.includes('✅')) {
      setImmediate(() => void this.deliver(reaction(ref.messageId, '✅', { as: 'bob' })));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return ref;
  }

  override async send(channelId: string, message: OutboundMessage): Promise<MessageRef> {
    return this.posted(await super.send(channelId, message), message);
  }

  override async replyInThread(to: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    return this.posted(await super.replyInThread(to, message), message);
  }
}

describe('approval decisions that race the request post', () => {
  it('counts a ✅ that arrives before the request message id is stored', async () => {
    const adapter = new QuickApproverAdapter('local');
    current = await startTestApp({ approvals: { risk: { ping: 'high' } } }, { adapter });
    await adapter.deliver(message('!ping', { as: 'alice' }));
    const deadline = Date.now() + 5_000;
    while (!adapter.texts().includes('pong') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(adapter.texts().filter((t) => t === 'pong')).toHaveLength(1);
    const executed = await current.app.get<AuditLog>(AuditLog).list({ action: 'command.executed', command: 'ping' });
    expect(executed).toHaveLength(1);
  });
});
