import { describe, expect, it } from 'vitest';
import type { MessageEvent } from '../../../src/core/chat-event.js';
import { IDS } from '../../stand-ins/discord/index.js';
import { pingPong, startDiscord } from './discord-harness.js';

const POST_MESSAGE = 'POST /channels/{channel_id}/messages';

describe('DiscordAdapter (messages)', () => {
  it('connects to the gateway through REST discovery and gets ready on every guild', async () => {
    const { standIn, adapter } = await startDiscord();
    expect(standIn.calls[0]?.route).toBe('GET /gateway/bot');
    expect(standIn.gatewayEvents.filter((e) => e.kind === 'identify')).toHaveLength(1);
    expect(adapter.botUserId).toBe(`discord:user:${IDS.users.bot}`);
    standIn.assertNoViolations();
  });

  it('delivers a prefix message as a ChatEvent and sends replyInThread as a reply to it', async () => {
    const { standIn, nextEvent } = await startDiscord({ handler: pingPong });
    const sent = standIn.sendMessage({ channelId: IDS.channels.ops, author: IDS.users.alice, content: '!ping' });
    const event = await nextEvent<MessageEvent>((e) => e.type === 'message');
    expect(event).toMatchObject({
      type: 'message', id: `message:${sent.id}`, messageId: sent.id, platform: 'discord', text: '!ping', mentionsBot: false,
      channel: { id: `discord:channel:${IDS.channels.ops}`, name: 'ops', isDirect: false },
      actor: { id: `discord:user:${IDS.users.alice}`, name: 'Alice', isBot: false, groups: [`discord:role:${IDS.roles.operator}`] },
    });
    const reply = await standIn.waitForCall((c) => c.route === POST_MESSAGE);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ content: 'pong', allowed_mentions: { parse: [] }, message_reference: { message_id: sent.id } });
    const stored = standIn.messagesIn(IDS.channels.ops).at(-1);
    expect(stored).toMatchObject({ content: 'pong', message_reference: { message_id: sent.id }, mentions: [], mention_everyone: false });
    standIn.assertNoViolations();
  });

  it('marks a message that mentions the bot and removes the mention from the text', async () => {
    const { standIn, nextEvent } = await startDiscord({ handler: pingPong });
    standIn.sendMessage({ channelId: IDS.channels.ops, author: IDS.users.bob, content: `<@${IDS.users.bot}>  ping` });
    const event = await nextEvent<MessageEvent>((e) => e.type === 'message');
    expect(event).toMatchObject({ text: 'ping', mentionsBot: true, actor: { groups: [`discord:role:${IDS.roles.approver}`] } });
    await standIn.waitForCall((c) => c.route === POST_MESSAGE && c.body.content === 'pong');
    standIn.sendMessage({ channelId: IDS.channels.ops, author: IDS.users.bob, content: `deploy <@!${IDS.users.bot}> now, <@${IDS.users.alice}>` });
    const second = await nextEvent<MessageEvent>((e) => e.type === 'message' && e.text.startsWith('deploy'));
    expect(second).toMatchObject({ text: `deploy now, <@${IDS.users.alice}>`, mentionsBot: true });
    standIn.assertNoViolations();
  });

  it('delivers a direct message as a direct channel and answers in it', async () => {
    const { standIn, nextEvent } = await startDiscord({ handler: pingPong });
    const dm = standIn.openDm(IDS.users.carol);
    standIn.sendMessage({ channelId: dm, author: IDS.users.carol, content: 'ping' });
    const event = await nextEvent<MessageEvent>((e) => e.type === 'message');
    expect(event).toMatchObject({ channel: { id: `discord:channel:${dm}`, isDirect: true }, actor: { id: `discord:user:${IDS.users.carol}`, groups: [] } });
    const reply = await standIn.waitForCall((c) => c.route === POST_MESSAGE);
    expect(reply.params.channel_id).toBe(dm);
    standIn.assertNoViolations();
  });

  it('ignores messages of bots, webhooks and its own, and keeps answering people', async () => {
    const { standIn, events, nextEvent } = await startDiscord({ handler: pingPong });
    standIn.sendMessage({ channelId: IDS.channels.ops, author: IDS.users.deploybot, content: '!ping' });
    standIn.sendMessage({ channelId: IDS.channels.ops, author: IDS.users.alice, content: '!ping', webhookId: '1310000000000000999' });
    const person = standIn.sendMessage({ channelId: IDS.channels.ops, author: IDS.users.carol, content: '!ping' });
    await nextEvent((e) => e.type === 'message' && e.messageId === person.id);
    await standIn.waitForCall((c) => c.route === POST_MESSAGE);
    // The bot's own "pong" comes back through the gateway as MESSAGE_CREATE, as on Discord; wait for it to pass.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(events.map((e) => e.type === 'message' && e.messageId)).toEqual([person.id]);
    expect(standIn.callsTo(POST_MESSAGE)).toHaveLength(1);
    standIn.assertNoViolations();
  });
});
