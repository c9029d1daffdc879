import { describe, expect, it } from 'vitest';
import { PluginManager } from '../../../src/plugins/plugin-manager.js';
import { CommandRegistry } from '../../../src/routing/command-registry.js';
import { IDS } from '../../stand-ins/discord/index.js';
import { BIG_ANSWER, CALLBACK, GUILD_COMMANDS, POST_MESSAGE, SHOUT, sleep, startDiscordBot } from './opsroom-bot.js';

const ORIGINAL = 'PATCH /webhooks/{webhook_id}/{webhook_token}/messages/@original';

describe('opsroom on Discord (commands)', () => {
  it('answers a prefix command and a mention command from the sandboxed plugin, as replies', async () => {
    const { standIn, say, replyTo, repliesTo } = await startDiscordBot();
    const prefixed = say('!echo hello   from the prefix');
    expect((await replyTo(prefixed)).body).toMatchObject({ content: 'hello from the prefix', allowed_mentions: { parse: [] } });
    const mentioned = say(`<@${IDS.users.bot}> echo hello from a mention`);
    expect((await replyTo(mentioned)).body.content).toBe('hello from a mention');
    const chatter = say('echo this is not for the bot');
    const denied = say('!echo carol has no Discord role that opsroom binds', IDS.users.carol);
    expect((await replyTo(denied)).body.content).toMatch(/^Denied: echo needs the permission use:ops and you have no role that grants it/);
    expect(repliesTo(chatter)).toEqual([]);
    expect(repliesTo(prefixed)).toHaveLength(1);
    standIn.assertNoViolations();
  });

  it('registers the commands as slash commands and answers one with typed options through its interaction', async () => {
    const { standIn } = await startDiscordBot();
    const [registered] = standIn.callsTo(GUILD_COMMANDS);
    const scale = (registered?.body as Array<{ name: string; options?: unknown[] }>).find((c) => c.name === 'scale');
    expect(scale?.options).toEqual([
      expect.objectContaining({ name: 'service', type: 3, required: true }),
      expect.objectContaining({ name: 'replicas', type: 4, required: true }),
      expect.objectContaining({ name: 'env', type: 3, required: true, choices: [{ name: 'staging', value: 'staging' }, { name: 'prod', value: 'prod' }] }),
      expect.objectContaining({ name: 'canary', type: 5, required: false }),
    ]);
    const handle = standIn.slashCommand({
      channelId: IDS.channels.ops, userId: IDS.users.alice, name: 'scale', options: { env: 'prod', canary: true, service: 'web api', replicas: 3 },
    });
    const answer = await standIn.waitForCall((c) => c.route === CALLBACK && c.params.interaction_id === handle.id);
    expect(answer.body).toMatchObject({ type: 4, data: { content: 'scaled web api to 3 (number) in prod as a canary', allowed_mentions: { parse: [] } } });
    standIn.assertNoViolations();
  });

  it('defers a slash command that runs past Discord\'s 3 s window and sends the answer as its follow-up', { timeout: 20_000 }, async () => {
    const { standIn } = await startDiscordBot();
    const handle = standIn.slashCommand({ channelId: IDS.channels.ops, userId: IDS.users.alice, name: 'slow', options: { ms: 3_500 } });
    const deferral = await standIn.waitForCall((c) => c.route === CALLBACK && c.params.interaction_id === handle.id);
    expect(deferral.body).toEqual({ type: 5 });
    const created = Number(BigInt(handle.id) >> 22n) + 1_420_070_400_000;
    expect(deferral.at - created).toBeLessThan(3_000);
    const answer = await standIn.waitForCall((c) => c.route === ORIGINAL, 10_000);
    expect(answer.body).toMatchObject({ content: 'slept 3500 ms', allowed_mentions: { parse: [] } });
    expect(answer.at - created).toBeGreaterThanOrEqual(3_500);
    standIn.assertNoViolations();
  });

  it('delivers a 5,000-character answer whole, split on line boundaries', async () => {
    const { standIn, say, replyTo } = await startDiscordBot();
    const asked = say('!big');
    const first = await replyTo(asked);
    await standIn.waitForCall((c) => c.route === POST_MESSAGE && c.seq > first.seq + 1);
    const parts = standIn.callsTo(POST_MESSAGE).filter((c) => c.seq >= first.seq);
    expect(parts).toHaveLength(3);
    expect(parts.every((c) => c.status === 200 && c.body.content.length <= 2_000)).toBe(true);
    expect(parts.map((c) => c.body.content).join('\n')).toBe(BIG_ANSWER);
    standIn.assertNoViolations();
  });

  it('pings nobody when a plugin answers with @everyone, @here, a role and a user', async () => {
    const { standIn, say, replyTo } = await startDiscordBot();
    const reply = await replyTo(say('!shout'));
    expect(reply.body).toMatchObject({ content: SHOUT, allowed_mentions: { parse: [] } });
    expect(standIn.message(reply.response.id)).toMatchObject({ mention_everyone: false, mentions: [], mention_roles: [] });
    standIn.assertNoViolations();
  });

  it('keeps the slash commands in step when a plugin is disabled and enabled again', async () => {
    const { standIn, app } = await startDiscordBot();
    const names = (call: { body: Array<{ name: string }> }): string[] => call.body.map((c) => c.name).sort();
    expect(names(standIn.callsTo(GUILD_COMMANDS)[0] as never)).toEqual(expect.arrayContaining(['deploy', 'echo', 'help', 'scale']));
    // A change undone before the list settles sends nothing: Discord already holds exactly that list.
    app.get<CommandRegistry>(CommandRegistry).register('probe', { name: 'probe', description: 'p', args: [], permission: 'p', risk: 'low' }, async () => 'p').dispose();
    await sleep(800);
    expect(standIn.callsTo(GUILD_COMMANDS)).toHaveLength(1);
    const plugins = app.get<PluginManager>(PluginManager);
    await plugins.setEnabled('ops', false, 'system');
    const without = await standIn.waitForCall((c) => c.route === GUILD_COMMANDS && c.seq > (standIn.callsTo(GUILD_COMMANDS)[0]?.seq ?? 0));
    expect(names(without as never)).not.toContain('echo');
    expect(names(without as never)).toContain('help');
    await plugins.setEnabled('ops', true, 'system');
    const back = await standIn.waitForCall((c) => c.route === GUILD_COMMANDS && c.seq > without.seq);
    expect(names(back as never)).toEqual(names(standIn.callsTo(GUILD_COMMANDS)[0] as never));
    expect(standIn.callsTo(GUILD_COMMANDS)).toHaveLength(3);
    standIn.assertNoViolations();
  });

  it('runs on, answering typed commands, when Discord refuses the slash commands (a guild the bot is not in)', async () => {
    const elsewhere = '1310000000099999999';
    const { standIn, say, replyTo, logger } = await startDiscordBot({
      discord: { guildId: elsewhere }, expectErrors: ['could not register the Discord slash commands'],
    });
    expect(standIn.callsTo(GUILD_COMMANDS)).toMatchObject([{ status: 404, params: { guild_id: elsewhere } }]);
    expect((await replyTo(say('!echo still answering'))).body.content).toBe('still answering');
    expect(logger.entries().find((e) => e.msg?.startsWith('could not register'))).toMatchObject({
      scope: `in guild ${elsewhere}`, err: { message: expect.stringContaining('the bot is not in that guild, or it was invited without the applications.commands scope') },
    });
    standIn.assertNoViolations();
  });
});
