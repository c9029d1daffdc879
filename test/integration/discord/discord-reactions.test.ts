import { describe, expect, it } from 'vitest';
import type { ReactionEvent } from '../../../src/core/chat-event.js';
import { IDS } from '../../stand-ins/discord/index.js';
import { startDiscord } from './discord-harness.js';

const ops = `discord:channel:${IDS.channels.ops}`;

describe('DiscordAdapter (reactions)', () => {
  it('delivers reactions added and removed with the reacting member, each as its own event, never the bot\'s own', async () => {
    const { standIn, adapter, events, nextEvent } = await startDiscord();
    const ref = await adapter.send(ops, { text: 'Approve deploy web prod?', reactions: ['✅'] });
    const reaction = { channelId: IDS.channels.ops, messageId: ref.messageId, userId: IDS.users.bob, emoji: '✅' };
    standIn.addReaction(reaction);
    standIn.removeReaction(reaction);
    standIn.addReaction(reaction);
    standIn.addReaction({ ...reaction, userId: IDS.users.deploybot });
    await nextEvent((e) => e.type === 'reaction' && events.filter((x) => x.type === 'reaction').length === 3);
    const reactions = events.filter((e): e is ReactionEvent => e.type === 'reaction');
    expect(reactions.map((e) => [e.added, e.emoji, e.messageId, e.actor.id])).toEqual([
      [true, '✅', ref.messageId, `discord:user:${IDS.users.bob}`],
      [false, '✅', ref.messageId, `discord:user:${IDS.users.bob}`],
      [true, '✅', ref.messageId, `discord:user:${IDS.users.bob}`],
    ]);
    expect(new Set(reactions.map((e) => e.id)).size).toBe(3);
    // Named after the gateway delivery (session and sequence), so a replayed duplicate would keep its id.
    expect(reactions.every((e) => /^reaction:[0-9a-f]{32}:\d+$/.test(e.id))).toBe(true);
    expect(reactions.every((e) => e.actor.groups.includes(`discord:role:${IDS.roles.approver}`) && !e.actor.isBot)).toBe(true);
    expect(reactions[0]?.channel).toEqual({ id: ops, name: 'ops', isDirect: false });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.filter((e) => e.type === 'reaction')).toHaveLength(3);
    standIn.assertNoViolations();
  });

  it('delivers a reaction on a message sent before the bot restarted (uncached, through partials)', async () => {
    const harness = await startDiscord();
    const { standIn } = harness;
    const ref = await harness.adapter.send(ops, { text: 'Approve deploy web prod?' });
    await harness.restart();
    standIn.addReaction({ channelId: IDS.channels.ops, messageId: ref.messageId, userId: IDS.users.bob, emoji: '✅' });
    standIn.addReaction({ channelId: IDS.channels.ops, messageId: IDS.messages.old, userId: IDS.users.alice, emoji: '❌' });
    const first = await harness.nextEvent<ReactionEvent>((e) => e.type === 'reaction' && e.messageId === ref.messageId);
    expect(first).toMatchObject({ added: true, emoji: '✅', actor: { id: `discord:user:${IDS.users.bob}`, groups: [`discord:role:${IDS.roles.approver}`] } });
    const second = await harness.nextEvent<ReactionEvent>((e) => e.type === 'reaction' && e.messageId === IDS.messages.old);
    expect(second).toMatchObject({ added: true, emoji: '❌', channel: { id: ops }, actor: { groups: [`discord:role:${IDS.roles.operator}`] } });
    standIn.removeReaction({ channelId: IDS.channels.ops, messageId: IDS.messages.old, userId: IDS.users.alice, emoji: '❌' });
    const removed = await harness.nextEvent<ReactionEvent>((e) => e.type === 'reaction' && !e.added);
    expect(removed).toMatchObject({ messageId: IDS.messages.old, actor: { id: `discord:user:${IDS.users.alice}` } });
    expect(standIn.gatewayEvents.filter((e) => e.kind === 'identify')).toHaveLength(2);
    standIn.assertNoViolations();
  });
});
