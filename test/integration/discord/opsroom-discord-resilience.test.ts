import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { DiscordStandIn, IDS, loadFixture } from '../../stand-ins/discord/index.js';
import { pluginFolders } from '../../support/plugin-folder.js';
import { OPSROOM_BIN } from '../../support/run-cli.js';
import { GUILD_COMMANDS, OPS_PLUGIN, POST_MESSAGE, discordConfig, isReplyTo, sleep, startDiscordBot } from './opsroom-bot.js';

describe('opsroom on Discord (resilience)', () => {
  it('loses no command and runs none twice when the gateway drops mid-run and resumes', { timeout: 30_000 }, async () => {
    const { standIn, say, replyTo, repliesTo, executions } = await startDiscordBot();
    const asked = [say('!echo one'), say('!slow 1500')];
    await replyTo(asked[0] as string);
    // The slow command is running in the sandbox when the connection drops; its answer goes out over REST meanwhile.
    const droppedAt = Date.now();
    standIn.dropConnections(4000);
    asked.push(say('!echo sent while the bot was away'), say('!echo also while away'));
    await standIn.waitForGatewayEvent((e) => e.kind === 'resumed');
    asked.push(say('!echo after the resume'));
    standIn.requestReconnect();
    asked.push(say('!echo during the reconnect'));
    await standIn.waitForGatewayEvent((e) => e.kind === 'resumed' && standIn.gatewayEvents.filter((x) => x.kind === 'resumed').length === 2);
    asked.push(say('!echo last'));
    for (const id of asked) await replyTo(id);
    await sleep(300);
    expect(asked.map((id) => repliesTo(id).length)).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(repliesTo(asked[1] as string)[0]).toMatchObject({ body: { content: 'slept 1500 ms' }, at: expect.any(Number) });
    expect(repliesTo(asked[1] as string)[0]?.at).toBeGreaterThan(droppedAt);
    expect(await executions('echo')).toBe(6);
    expect(standIn.gatewayEvents.filter((e) => e.kind === 'identify')).toHaveLength(1);
    expect(standIn.gatewayEvents.filter((e) => e.kind === 'resume')).toHaveLength(2);
    standIn.assertNoViolations();
  });

  it('waits out a 429 from Discord and still delivers the reply, once', async () => {
    const { standIn, say, replyTo, repliesTo } = await startDiscordBot();
    standIn.rateLimitNext(POST_MESSAGE, 1, 0.5);
    const asked = say('!echo through the rate limit');
    const reply = await replyTo(asked);
    const [limited, ...rest] = standIn.callsTo(POST_MESSAGE);
    expect(limited?.status).toBe(429);
    expect(rest).toEqual([reply]);
    expect(reply.at - (limited?.at ?? 0)).toBeGreaterThanOrEqual(500);
    expect(reply.body.content).toBe('through the rate limit');
    await sleep(200);
    expect(repliesTo(asked)).toHaveLength(1);
    standIn.assertNoViolations();
  });
});

/** The dispatches the bot must survive: the recorded modal submit as is, a message without author, an interaction without token. */
function sendMalformed(standIn: DiscordStandIn): void {
  standIn.replayFixture('INTERACTION_CREATE.modal_submit');
  const { author: _author, ...message } = loadFixture('MESSAGE_CREATE').d;
  standIn.dispatchRaw('MESSAGE_CREATE', { ...message, id: '1310000000000000500', channel_id: IDS.channels.ops, guild_id: IDS.guild, channel_type: 0 });
  const { token: _token, ...interaction } = loadFixture('INTERACTION_CREATE.modal_submit').d;
  standIn.dispatchRaw('INTERACTION_CREATE', {
    ...interaction, id: '1310000000000000501', type: 3, authorizing_integration_owners: { 0: interaction.guild_id },
    data: { component_type: 2, custom_id: 'o1:["approval.approve",{"requestId":"abcdef"}]' }, message: standIn.message(IDS.messages.old),
  });
}

describe('opsroom on Discord (malformed dispatches)', () => {
  it('keeps `opsroom start` running and answering after malformed dispatches, and stops it gracefully', { timeout: 45_000 }, async () => {
    const standIn = await DiscordStandIn.start();
    const dir = mkdtempSync(join(tmpdir(), 'opsroom-discord-cli-'));
    onTestFinished(async () => {
      await standIn.stop();
      rmSync(dir, { recursive: true, force: true });
    });
    const config = discordConfig(standIn, dir, pluginFolders({ ops: OPS_PLUGIN }), { logging: { level: 'info' } });
    // The token comes from the environment here, as in production, not from a file.
    const { tokenFile: _file, ...discord } = config.adapters?.discord ?? {};
    writeFileSync(join(dir, 'opsroom.yaml'), JSON.stringify({ ...config, adapters: { ...config.adapters, discord } }));
    const child = spawn(process.execPath, [OPSROOM_BIN, 'start', '-c', join(dir, 'opsroom.yaml')], {
      cwd: dir, env: { PATH: process.env.PATH, HOME: process.env.HOME, DISCORD_TOKEN: standIn.token }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    onTestFinished(() => void (child.exitCode === null && child.kill('SIGKILL')));
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await Promise.race([
      standIn.waitForCall((c) => c.route === GUILD_COMMANDS, 30_000),
      exited.then((code) => { throw new Error(`opsroom start exited with ${code}:\n${stderr}`); }),
    ]);
    sendMalformed(standIn);
    const asked = standIn.sendMessage({ channelId: IDS.channels.ops, author: IDS.users.alice, content: '!echo still here' });
    const reply = await standIn.waitForCall(isReplyTo(asked.id), 15_000);
    expect(reply.body.content).toBe('still here');
    expect(child.exitCode).toBeNull();
    const logged = stderr.split('\n').filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as { msg: string; origin?: string });
    expect(logged.some((l) => l.msg.startsWith('unhandled promise rejection') && l.origin === 'discord.js')).toBe(true);
    expect(logged.some((l) => l.msg.includes('without an author'))).toBe(true);
    expect(logged.some((l) => l.msg.includes('without a token'))).toBe(true);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(standIn.gatewayEvents.some((e) => e.kind === 'closed')).toBe(true);
    expect(standIn.connectedShards()).toBe(0);
    standIn.assertNoViolations();
  });
});
