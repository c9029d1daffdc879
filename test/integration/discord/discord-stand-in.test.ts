import { describe, expect, it, onTestFinished } from 'vitest';
import type { MessageEvent, ReactionEvent } from '../../../src/core/chat-event.js';
import { DiscordStandIn, IDS, fixtureWorld, loadFixture, loadReactionAddFixture } from '../../stand-ins/discord/index.js';
import { startDiscord } from './discord-harness.js';

async function standInAlone(options: Parameters<typeof DiscordStandIn.start>[0] = {}): Promise<DiscordStandIn> {
  const standIn = await DiscordStandIn.start(options);
  onTestFinished(() => standIn.stop());
  return standIn;
}

function call(standIn: DiscordStandIn, method: string, path: string, body?: unknown, auth = true): Promise<Response> {
  return fetch(`${standIn.apiBaseUrl}/v10${path}`, {
    method, ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    headers: { 'content-type': 'application/json', ...(auth ? { authorization: `Bot ${standIn.token}` } : {}) },
  });
}

describe('Discord stand-in (recorded payloads)', () => {
  it('gets the real client ready on the recorded READY and GUILD_CREATE shapes', async () => {
    const { standIn, adapter, logger } = await startDiscord({ standIn: { world: fixtureWorld() } });
    const ready = loadFixture('READY').d;
    expect(adapter.botUserId).toBe(`discord:user:${ready.user.id}`);
    expect(logger.entries().find((e) => e.msg === 'connected to Discord')).toMatchObject({ guilds: 3 });
    const guildCreate = standIn.model.guilds.get(loadFixture('GUILD_CREATE').d.id);
    expect(guildCreate?.name).toBe('Emoji Server 1');
    standIn.assertNoViolations();
  });

  it('replays the recorded MESSAGE_CREATE as a message from its member', async () => {
    const { standIn, nextEvent } = await startDiscord({ standIn: { world: fixtureWorld() } });
    const recorded = loadFixture('MESSAGE_CREATE').d;
    standIn.replayFixture('MESSAGE_CREATE');
    const event = await nextEvent<MessageEvent>((e) => e.type === 'message');
    expect(event).toMatchObject({
      messageId: recorded.id, text: 'blah bljhshADh blah', mentionsBot: false,
      actor: { id: `discord:user:${recorded.author.id}`, name: 'GoodUser', groups: [`discord:role:${recorded.member.roles[0]}`] },
      channel: { id: `discord:channel:${recorded.channel_id}`, isDirect: false },
    });
    standIn.assertNoViolations();
  });

  it('replays the recorded MESSAGE_REACTION_ADD on a message the bot never saw', async () => {
    const { standIn, nextEvent } = await startDiscord({ standIn: { world: fixtureWorld() } });
    const recorded = loadReactionAddFixture();
    standIn.replayFixture('MESSAGE_REACTION_ADD');
    const event = await nextEvent<ReactionEvent>((e) => e.type === 'reaction');
    expect(event).toMatchObject({
      added: true, emoji: '👍', messageId: recorded.message_id, actor: { id: `discord:user:${recorded.user_id}`, isBot: false },
      channel: { id: `discord:channel:${recorded.channel_id}` },
    });
    standIn.assertNoViolations();
  });
});

describe('Discord stand-in (checking requests)', () => {
  it('records a request that breaks the OpenAPI description or Discord\'s limits as a violation, and fails the test', async () => {
    const standIn = await standInAlone();
    expect((await call(standIn, 'POST', `/channels/${IDS.channels.ops}/messages`, { content: 5 })).status).toBe(400);
    expect((await call(standIn, 'POST', `/channels/${IDS.channels.ops}/messages`, { content: 'x'.repeat(2_001) })).status).toBe(400);
    expect((await call(standIn, 'POST', `/channels/${IDS.channels.ops}/messages`, { content: 'hi' }, false)).status).toBe(400);
    expect((await call(standIn, 'PATCH', '/gateway/bot', {})).status).toBe(405);
    expect((await call(standIn, 'GET', '/no/such/route')).status).toBe(404);
    expect((await call(standIn, 'POST', `/channels/${IDS.channels.ops}/messages`, { content: 'fine', allowed_mentions: { parse: [] } })).status).toBe(200);
    expect(standIn.violations.map((v) => v.problems[0])).toEqual([
      'body/content must be string,null',
      'content is 2001 characters; Discord allows 2000',
      'the route needs an Authorization header (a bot token) and none was sent',
      'PATCH is not allowed on /gateway/bot (allowed: GET)',
      "no route /no/such/route in Discord's API",
    ]);
    expect(() => standIn.assertNoViolations()).toThrow(/5 request\(s\) Discord would refuse/);
  });

  it('refuses an interaction answered too late, or answered twice', async () => {
    const standIn = await standInAlone({ interactionWindowMs: 100 });
    const late = standIn.slashCommand({ channelId: IDS.channels.ops, userId: IDS.users.alice, name: 'ping' });
    const twice = standIn.slashCommand({ channelId: IDS.channels.ops, userId: IDS.users.alice, name: 'ping' });
    const answer = { type: 4, data: { content: 'pong' } };
    expect((await call(standIn, 'POST', `/interactions/${twice.id}/${twice.token}/callback`, answer, false)).status).toBe(204);
    expect((await call(standIn, 'POST', `/interactions/${twice.id}/${twice.token}/callback`, answer, false)).status).toBe(400);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await call(standIn, 'POST', `/interactions/${late.id}/${late.token}/callback`, answer, false)).status).toBe(404);
    expect(standIn.violations.map((v) => v.problems[0])).toEqual([
      'Interaction has already been acknowledged.',
      expect.stringMatching(/^Unknown interaction: answered \d+ ms after it was created; Discord allows 100 ms$/),
    ]);
  });
});
