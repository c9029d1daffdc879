import { describe, expect, it } from 'vitest';
import type { MessageEvent } from '../../../src/core/chat-event.js';
import { IDS } from '../../stand-ins/discord/index.js';
import { pingPong, startDiscord } from './discord-harness.js';

describe('DiscordAdapter (gateway)', () => {
  it('runs as many shards as Discord recommends with shards "auto", each guild on its own shard', async () => {
    const { standIn, nextEvent } = await startDiscord({ standIn: { shardCount: 2 }, handler: pingPong });
    const identified = standIn.gatewayEvents.filter((e) => e.kind === 'identify').map((e) => e.shardId).sort();
    expect(identified).toEqual([0, 1]);
    const main = standIn.sendMessage({ channelId: IDS.channels.ops, author: IDS.users.alice, content: '!ping' });
    const lab = standIn.sendMessage({ channelId: IDS.channels.lab, author: IDS.users.alice, content: '!ping' });
    await nextEvent<MessageEvent>((e) => e.type === 'message' && e.messageId === main.id);
    await nextEvent<MessageEvent>((e) => e.type === 'message' && e.messageId === lab.id);
    await standIn.waitForCall((c) => c.params.channel_id === IDS.channels.lab && c.status === 200);
    standIn.assertNoViolations();
  });

  it('runs only the shards it is given, out of the total', async () => {
    const { standIn, nextEvent, events } = await startDiscord({ standIn: { shardCount: 2 }, settings: { shards: [0], shardCount: 2 } });
    expect(standIn.gatewayEvents.filter((e) => e.kind === 'identify').map((e) => e.shardId)).toEqual([0]);
    standIn.sendMessage({ channelId: IDS.channels.ops, author: IDS.users.alice, content: 'on shard 1, not ours' });
    const lab = standIn.sendMessage({ channelId: IDS.channels.lab, author: IDS.users.alice, content: 'on shard 0' });
    await nextEvent((e) => e.type === 'message' && e.messageId === lab.id);
    expect(events).toHaveLength(1);
    standIn.assertNoViolations();
  });

  it('answers heartbeats, so the connection stays up without reconnecting', async () => {
    const { standIn, adapter } = await startDiscord({ standIn: { heartbeatIntervalMs: 60 } });
    await standIn.waitForGatewayEvent((e) => e.kind === 'heartbeat' && standIn.gatewayEvents.filter((x) => x.kind === 'heartbeat').length >= 3);
    expect(standIn.gatewayEvents.filter((e) => e.kind === 'identify' || e.kind === 'resume' || e.kind === 'closed').map((e) => e.kind)).toEqual(['identify']);
    await adapter.stop();
    await standIn.waitForGatewayEvent((e) => e.kind === 'closed' && e.code === 1000);
    expect(standIn.connectedShards()).toBe(0);
    standIn.assertNoViolations();
  });
});
