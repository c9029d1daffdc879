import { describe, expect, it } from 'vitest';
import { ClusterMessenger } from '../../../src/cluster/cluster-messenger.js';
import type { ClusterSettings } from '../../../src/cluster/cluster-settings.js';
import { FakeAdapter } from '../../fakes/fake-adapter.js';
import { FakePresence, FakeRpc } from '../../fakes/fake-cluster.js';

const settings = (nodeId: string, role: ClusterSettings['role']): ClusterSettings => ({
  role, nodeId, redisUrl: 'redis://127.0.0.1:6379', keyPrefix: 'test', serves: true, workerConcurrency: 16,
  queueTimeoutMs: 60_000, deadAfterMs: 10_000, scheduleLeaseMs: 15_000, catalogWaitMs: 30_000,
});

function gateway(id = 'gw-a') {
  const presence = new FakePresence(id, ['local']);
  const rpc = new FakeRpc();
  const messenger = new ClusterMessenger(settings(id, 'gateway'), presence, rpc);
  const adapter = new FakeAdapter('local');
  messenger.attach(adapter);
  return { presence, rpc, messenger, adapter };
}

function worker() {
  const presence = new FakePresence('wk-1');
  const rpc = new FakeRpc();
  return { presence, rpc, messenger: new ClusterMessenger(settings('wk-1', 'worker'), presence, rpc) };
}

const ref = (via?: string) => ({ channelId: 'local:channel:ops', messageId: 'm1', ...(via ? { via } : {}) });

describe('ClusterMessenger', () => {
  it('answers through its own adapter a message that came in through it, and stamps itself on what it sends', async () => {
    const { messenger, adapter, rpc } = gateway();
    const sent = await messenger.reply('local', ref('gw-a'), { text: 'pong' });
    expect(adapter.sent).toMatchObject([{ kind: 'reply', replyTo: 'm1', message: { text: 'pong' } }]);
    expect(sent.via).toBe('gw-a');
    expect(rpc.calls).toEqual([]);
  });

  it('sends an answer to another gateway\'s conversation through that gateway', async () => {
    const { messenger, presence, adapter, rpc } = gateway();
    presence.add('gw-b', ['local']);
    const sent = await messenger.reply('local', ref('gw-b'), { text: 'released' });
    expect(adapter.sent).toEqual([]);
    expect(rpc.calls).toEqual([{ target: 'gw-b', method: 'messenger', params: { platform: 'local', op: 'reply', ref: ref('gw-b'), message: { text: 'released' } } }]);
    expect(sent.via).toBe('gw-b');
  });

  it('refuses to answer into a local conversation whose gateway has stopped, naming it', async () => {
    const { messenger } = gateway();
    await expect(messenger.update('local', ref('gw-gone'), { text: 'x' })).rejects.toMatchObject({
      code: 'E_CLUSTER', message: expect.stringContaining('the opsroom gateway gw-gone that holds this local conversation has stopped'),
    });
  });

  it('sends to a shared platform through any live gateway when the one that received the message has stopped', async () => {
    const { messenger, presence, rpc } = worker();
    presence.add('gw-d1', ['discord']);
    await messenger.reply('discord', { channelId: 'discord:channel:1', messageId: '2', via: 'gw-gone' }, { text: 'done' });
    expect(rpc.calls.map((c) => c.target)).toEqual(['gw-d1']);
  });

  it('carries attachment bytes across as base64 and back', async () => {
    const { messenger, presence, rpc } = worker();
    presence.add('gw-a', ['local']);
    await messenger.send('local', 'local:channel:builds', { text: 'chart', attachments: [{ name: 'c.png', contentType: 'image/png', data: Buffer.from([1, 2, 3]) }] });
    expect(rpc.calls[0]?.params).toMatchObject({ op: 'send', channelId: 'local:channel:builds', message: { attachments: [{ name: 'c.png', contentType: 'image/png', base64: 'AQID' }] } });
    const served = gateway();
    const handler = served.messenger.serve();
    await served.rpc.served.get('messenger')?.(rpc.calls[0]?.params, 'wk-1');
    expect(served.adapter.sent[0]?.message?.attachments?.[0]?.data).toEqual(Buffer.from([1, 2, 3]));
    handler.dispose();
  });

  it('lists the platforms other gateways hold as adapters, so capabilities and approvals know they can reach them', () => {
    const { messenger, presence } = worker();
    expect(messenger.adapters()).toEqual([]);
    presence.add('gw-a', ['local', 'teams']);
    expect(messenger.adapters().map((a) => a.platform).sort()).toEqual(['local', 'teams']);
  });

  it('says no gateway holds a platform when none does', async () => {
    const { messenger } = worker();
    await expect(messenger.send('teams', 'teams:conversation:1', { text: 'x' })).rejects.toMatchObject({
      code: 'E_INTERNAL', message: 'no adapter for teams is running on any opsroom gateway',
    });
  });
});
