import { describe, expect, it } from 'vitest';
import type { ActionEvent, MessageEvent } from '../../../src/core/chat-event.js';
import type { CommandSpec } from '../../../src/core/command.js';
import { IDS } from '../../stand-ins/discord/index.js';
import { startDiscord } from './discord-harness.js';

const CALLBACK = 'POST /interactions/{interaction_id}/{interaction_token}/callback';
const DEPLOY: CommandSpec = {
  name: 'deploy', description: 'Deploy a service to an environment', permission: 'deploy', risk: 'high',
  args: [
    { name: 'service', type: 'string', required: true },
    { name: 'env', type: 'enum', values: ['staging', 'prod'], required: true },
    { name: 'replicas', type: 'int' },
    { name: 'ref', type: 'string', flag: true, default: 'main' },
    { name: 'dry-run', type: 'bool', flag: true },
    { name: 'notify', type: 'user', flag: true },
  ],
};
const STATUS: CommandSpec = { name: 'deploy status', description: 'Shows deployments', permission: 'deploy', risk: 'low', args: [{ name: 'service', type: 'string' }] };

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('DiscordAdapter (interactions)', () => {
  it('registers slash commands and turns one with typed options into the command line, answered through the interaction', async () => {
    const { standIn, adapter, nextEvent } = await startDiscord({
      handler: async (event, bot) => {
        if (event.type === 'message') await bot.replyInThread({ channelId: event.channel.id, messageId: event.messageId }, { text: `on it: ${event.text}` });
      },
    });
    const registered = await adapter.registerCommands([DEPLOY, STATUS], IDS.guild);
    expect(registered.map((c) => c.name)).toEqual(['deploy']);
    const handle = standIn.slashCommand({
      channelId: IDS.channels.ops, userId: IDS.users.alice, name: 'deploy', subcommand: 'run',
      options: { service: 'web', env: 'prod', ref: 'feature x', 'dry-run': true, notify: IDS.users.bob },
    });
    const event = await nextEvent<MessageEvent>((e) => e.type === 'message');
    expect(event).toMatchObject({
      id: `interaction:${handle.id}`, messageId: handle.id, mentionsBot: true,
      text: `deploy web prod --ref "feature x" --dry-run --notify <@${IDS.users.bob}>`,
      actor: { id: `discord:user:${IDS.users.alice}`, groups: [`discord:role:${IDS.roles.operator}`] },
      channel: { id: `discord:channel:${IDS.channels.ops}`, isDirect: false },
    });
    const callback = await standIn.waitForCall((c) => c.route === CALLBACK);
    expect(callback.params.interaction_id).toBe(handle.id);
    expect(callback.authorized).toBe(false);
    expect(callback.body).toMatchObject({ type: 4, data: { content: expect.stringContaining('on it: deploy web prod'), allowed_mentions: { parse: [] } } });
    standIn.slashCommand({ channelId: IDS.channels.ops, userId: IDS.users.bob, name: 'deploy', subcommand: 'status', options: { service: 'api' } });
    expect((await nextEvent<MessageEvent>((e) => e.type === 'message' && e.actor.id.endsWith(IDS.users.bob))).text).toBe('deploy status api');
    standIn.assertNoViolations();
  });

  it('defers a slash command whose answer takes over 3 s and sends the answer as its follow-up', { timeout: 15_000 }, async () => {
    const { standIn, adapter, nextEvent } = await startDiscord({
      handler: async (event, bot) => {
        if (event.type !== 'message') return;
        await sleep(3_200);
        await bot.replyInThread({ channelId: event.channel.id, messageId: event.messageId }, { text: 'deployed', reactions: ['✅'] });
        await bot.replyInThread({ channelId: event.channel.id, messageId: event.messageId }, { text: 'and verified' });
      },
    });
    await adapter.registerCommands([DEPLOY], IDS.guild);
    const handle = standIn.slashCommand({ channelId: IDS.channels.ops, userId: IDS.users.alice, name: 'deploy', options: { service: 'web', env: 'staging' } });
    await nextEvent((e) => e.type === 'message');
    const deferral = await standIn.waitForCall((c) => c.route === CALLBACK);
    expect(deferral.body).toEqual({ type: 5 });
    const created = Number(BigInt(handle.id) >> 22n) + 1_420_070_400_000;
    expect(deferral.at - created).toBeLessThan(3_000);
    const answer = await standIn.waitForCall((c) => c.route === 'PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original');
    expect(answer.body).toMatchObject({ content: 'deployed', allowed_mentions: { parse: [] } });
    const followUp = await standIn.waitForCall((c) => c.route === 'POST /webhooks/{webhook_id}/{webhook_token}');
    expect(followUp.body).toMatchObject({ content: 'and verified', allowed_mentions: { parse: [] } });
    const reaction = await standIn.waitForCall((c) => c.route.startsWith('PUT /channels/{channel_id}/messages/{message_id}/reactions'));
    expect(reaction.params.message_id).toBe(answer.response.id);
    expect(standIn.message(answer.response.id)?.content).toBe('deployed');
    standIn.assertNoViolations();
  });

  it('delivers a button press as an action event and edits the message through the interaction', async () => {
    const { standIn, adapter, nextEvent } = await startDiscord({
      handler: async (event, bot) => {
        if (event.type === 'action') await bot.update({ channelId: event.channel.id, messageId: event.messageId ?? '' }, { text: `Approved by ${event.actor.name}` });
      },
    });
    const ref = await adapter.send(`discord:channel:${IDS.channels.ops}`, {
      text: 'deploy web prod needs an approval', buttons: [{ id: 'approve', label: 'Approve', value: { request: 'r42' } }, { id: 'deny', label: 'Deny' }],
    });
    const handle = standIn.pressButton({ channelId: IDS.channels.ops, messageId: ref.messageId, userId: IDS.users.bob, customId: 'o1:["approve",{"request":"r42"}]' });
    const event = await nextEvent<ActionEvent>((e) => e.type === 'action');
    expect(event).toMatchObject({
      id: `interaction:${handle.id}`, messageId: ref.messageId, actionId: 'approve', value: { request: 'r42' },
      actor: { id: `discord:user:${IDS.users.bob}`, name: 'Bob', groups: [`discord:role:${IDS.roles.approver}`] },
    });
    const callback = await standIn.waitForCall((c) => c.route === CALLBACK);
    expect(callback.body).toMatchObject({ type: 7, data: { content: 'Approved by Bob', components: [], allowed_mentions: { parse: [] } } });
    expect(standIn.message(ref.messageId)).toMatchObject({ content: 'Approved by Bob', components: [] });
    standIn.assertNoViolations();
  });

  it('acknowledges a button press the bot does not answer, so Discord does not report a failure', async () => {
    const { standIn, adapter, nextEvent } = await startDiscord();
    const ref = await adapter.send(`discord:channel:${IDS.channels.ops}`, { text: 'pick', buttons: [{ id: 'noop', label: 'Nothing' }] });
    standIn.pressButton({ channelId: IDS.channels.ops, messageId: ref.messageId, userId: IDS.users.carol });
    await nextEvent((e) => e.type === 'action');
    const callback = await standIn.waitForCall((c) => c.route === CALLBACK);
    expect(callback.body).toEqual({ type: 6 });
    standIn.assertNoViolations();
  });

  it('answers a slash command used in a direct message the same way', async () => {
    const { standIn, adapter, nextEvent } = await startDiscord({
      handler: async (event, bot) => {
        if (event.type === 'message') await bot.replyInThread({ channelId: event.channel.id, messageId: event.messageId }, { text: 'pong', ephemeral: true });
      },
    });
    await adapter.registerCommands([{ name: 'ping', description: 'Checks that opsroom is listening', args: [], permission: 'core:ping', risk: 'low' }]);
    const dm = standIn.openDm(IDS.users.carol);
    standIn.slashCommand({ channelId: dm, userId: IDS.users.carol, name: 'ping' });
    const event = await nextEvent<MessageEvent>((e) => e.type === 'message');
    expect(event).toMatchObject({ text: 'ping', channel: { isDirect: true }, actor: { groups: [] } });
    const callback = await standIn.waitForCall((c) => c.route === CALLBACK);
    expect(callback.body).toMatchObject({ type: 4, data: { content: 'pong', flags: 64 } });
    standIn.assertNoViolations();
  });

  it('answers in the channel instead when Discord no longer accepts the interaction', async () => {
    const { standIn, adapter, nextEvent } = await startDiscord({
      standIn: { interactionWindowMs: 1 }, deferAfterMs: 60_000,
      handler: async (event, bot) => {
        if (event.type !== 'message') return;
        await sleep(20);
        await bot.replyInThread({ channelId: event.channel.id, messageId: event.messageId }, { text: 'late answer' });
      },
    });
    await adapter.registerCommands([DEPLOY], IDS.guild);
    standIn.slashCommand({ channelId: IDS.channels.ops, userId: IDS.users.alice, name: 'deploy', options: { service: 'web', env: 'prod' } });
    await nextEvent((e) => e.type === 'message');
    expect((await standIn.waitForCall((c) => c.route === CALLBACK)).status).toBe(404);
    const post = await standIn.waitForCall((c) => c.route === 'POST /channels/{channel_id}/messages');
    expect(post).toMatchObject({ status: 200, params: { channel_id: IDS.channels.ops }, body: { content: 'late answer', allowed_mentions: { parse: [] } } });
    expect(standIn.violations.map((v) => v.problems[0])).toEqual([expect.stringMatching(/^Unknown interaction: answered \d+ ms after/)]);
  });

  it('acknowledges a slash command the bot leaves unanswered with a note only the caller sees', async () => {
    const { standIn, adapter, nextEvent } = await startDiscord();
    await adapter.registerCommands([DEPLOY], IDS.guild);
    standIn.slashCommand({ channelId: IDS.channels.ops, userId: IDS.users.alice, name: 'deploy', options: { service: 'web', env: 'prod' } });
    await nextEvent((e) => e.type === 'message');
    const callback = await standIn.waitForCall((c) => c.route === CALLBACK);
    expect(callback.body).toEqual({ type: 4, data: { content: 'Done.', flags: 64, allowed_mentions: { parse: [] } } });
    standIn.assertNoViolations();
  });
});
