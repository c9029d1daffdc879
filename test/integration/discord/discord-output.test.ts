import { describe, expect, it } from 'vitest';
import type { MessageEvent } from '../../../src/core/chat-event.js';
import type { OutboundMessage } from '../../../src/core/message.js';
import { IDS } from '../../stand-ins/discord/index.js';
import { startDiscord, type DiscordHarness } from './discord-harness.js';

const POST_MESSAGE = 'POST /channels/{channel_id}/messages';
const channel = `discord:channel:${IDS.channels.ops}`;

/** Lines of 49 characters and a newline, `count` of them. */
function lines(count: number): string {
  return Array.from({ length: count }, (_, i) => `line ${String(i).padStart(5, '0')} ${'x'.repeat(38)}`).join('\n');
}

async function askFor(harness: DiscordHarness, answer: OutboundMessage): Promise<MessageEvent> {
  const { standIn, adapter, nextEvent } = harness;
  const sent = standIn.sendMessage({ channelId: IDS.channels.ops, author: IDS.users.alice, content: '!show' });
  const event = await nextEvent<MessageEvent>((e) => e.type === 'message' && e.messageId === sent.id);
  await adapter.replyInThread({ channelId: event.channel.id, messageId: event.messageId }, answer);
  return event;
}

describe('DiscordAdapter (output)', () => {
  it('splits a 5,000-character answer on line boundaries into messages that arrive whole and in order', async () => {
    const harness = await startDiscord();
    const text = lines(102);
    expect(text.length).toBeGreaterThan(5_000);
    const event = await askFor(harness, { text });
    const posts = harness.standIn.callsTo(POST_MESSAGE);
    expect(posts.length).toBe(3);
    expect(posts.every((c) => c.status === 200 && c.body.content.length <= 2_000)).toBe(true);
    expect(posts.map((c) => c.body.content).join('\n')).toBe(text);
    expect(posts[0]?.body.message_reference).toMatchObject({ message_id: event.messageId });
    expect(posts.slice(1).every((c) => c.body.message_reference === undefined)).toBe(true);
    harness.standIn.assertNoViolations();
  });

  it('attaches a 30,000-character answer as a file instead of sixteen messages', async () => {
    const harness = await startDiscord();
    const text = lines(612);
    await askFor(harness, { text });
    const [post, ...more] = harness.standIn.callsTo(POST_MESSAGE);
    expect(more).toEqual([]);
    expect(post?.files).toHaveLength(1);
    expect(post?.files[0]).toMatchObject({ field: 'files[0]', filename: 'answer.md', size: Buffer.byteLength(text) });
    expect(post?.files[0]?.text).toBe(text);
    expect(post?.body).toMatchObject({ attachments: [{ id: '0', filename: 'answer.md' }], allowed_mentions: { parse: [] } });
    expect(post?.body.content).toContain('attached as answer.md');
    harness.standIn.assertNoViolations();
  });

  it('pings nobody, whatever the answer says (@everyone, @here, roles, users)', async () => {
    const harness = await startDiscord();
    const text = `@everyone @here <@&${IDS.roles.operator}> <@${IDS.users.bob}> deploy finished`;
    await askFor(harness, { text });
    await adapterSends(harness, { text });
    const posts = harness.standIn.callsTo(POST_MESSAGE);
    expect(posts).toHaveLength(2);
    for (const post of posts) {
      expect(post.body.allowed_mentions).toEqual({ parse: [] });
      const stored = harness.standIn.message(post.response.id);
      expect(stored).toMatchObject({ content: text, mention_everyone: false, mention_roles: [], mentions: [] });
    }
    harness.standIn.assertNoViolations();
  });

  it('renders a card as an embed, buttons as components, and adds the reactions after sending', async () => {
    const harness = await startDiscord();
    const ref = await harness.adapter.send(channel, {
      text: 'Approval needed: deploy web to prod',
      card: { title: 'deploy web prod', text: 'requested by alice', color: '#e01e5a', url: 'https://ci.example.com/runs/42', fields: [{ name: 'ref', value: 'main', inline: true }], footer: 'expires in 1h' },
      buttons: [{ id: 'approve', label: 'Approve', style: 'primary', value: { request: 'r42' } }, { id: 'deny', label: 'Deny', style: 'danger', value: { request: 'r42' } }],
      reactions: ['✅', '❌'],
    });
    const post = harness.standIn.callsTo(POST_MESSAGE)[0];
    expect(post?.body.embeds).toEqual([{
      title: 'deploy web prod', description: 'requested by alice', url: 'https://ci.example.com/runs/42', color: 0xe01e5a,
      fields: [{ name: 'ref', value: 'main', inline: true }], footer: { text: 'expires in 1h' },
    }]);
    expect(post?.body.components).toEqual([{
      type: 1, components: [
        { type: 2, style: 1, label: 'Approve', custom_id: 'o1:["approve",{"request":"r42"}]' },
        { type: 2, style: 4, label: 'Deny', custom_id: 'o1:["deny",{"request":"r42"}]' },
      ],
    }]);
    const reactions = harness.standIn.callsTo('PUT /channels/{channel_id}/messages/{message_id}/reactions/{emoji_name}/@me');
    expect(reactions.map((c) => [c.params.message_id, c.params.emoji_name])).toEqual([[ref.messageId, '✅'], [ref.messageId, '❌']]);
    expect(reactions.every((c) => c.seq > (post?.seq ?? Infinity))).toBe(true);
    expect(harness.standIn.message(ref.messageId)?.reactions?.map((r) => [r.emoji.name, r.me])).toEqual([['✅', true], ['❌', true]]);
    harness.standIn.assertNoViolations();
  });

  it('updates a message in place, dropping the buttons the new version does not have', async () => {
    const harness = await startDiscord();
    const ref = await harness.adapter.send(channel, { text: 'Approve?', buttons: [{ id: 'approve', label: 'Approve' }] });
    await harness.adapter.update(ref, { text: 'Approved by bob' });
    const edit = harness.standIn.callsTo('PATCH /channels/{channel_id}/messages/{message_id}')[0];
    expect(edit?.params.message_id).toBe(ref.messageId);
    expect(edit?.body).toMatchObject({ content: 'Approved by bob', components: [], embeds: [], allowed_mentions: { parse: [] } });
    expect(harness.standIn.message(ref.messageId)).toMatchObject({ content: 'Approved by bob', components: [] });
    harness.standIn.assertNoViolations();
  });
});

async function adapterSends(harness: DiscordHarness, message: OutboundMessage): Promise<void> {
  await harness.adapter.send(channel, message);
}

