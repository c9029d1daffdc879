import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { MessageEvent } from '../../../src/core/chat-event.js';
import { DiscordStandIn, IDS, loadFixture, type StandInCall } from '../../stand-ins/discord/index.js';
import { pingPong, startDiscord } from './discord-harness.js';

const POST_MESSAGE = 'POST /channels/{channel_id}/messages';
const root = fileURLToPath(new URL('../../../', import.meta.url));
const childScript = fileURLToPath(new URL('./child-bot.ts', import.meta.url));

const isPong = (c: StandInCall): boolean => c.route === POST_MESSAGE && c.status === 200 && c.body.content === 'pong';

describe('DiscordAdapter (resilience)', () => {
  it('resumes after the gateway drops (close 4000) with no event lost or delivered twice', async () => {
    const { standIn, events, nextEvent } = await startDiscord({ handler: pingPong });
    const say = (n: number): string => standIn.sendMessage({ channelId: IDS.channels.ops, author: IDS.users.alice, content: `!ping ${n}` }).id;
    const sent = [say(1), say(2)];
    await nextEvent((e) => e.type === 'message' && e.messageId === sent[1]);
    standIn.dropConnections(4000);
    // Sent while the bot is away: the session buffers them and replays them on RESUME.
    sent.push(say(3), say(4));
    await standIn.waitForGatewayEvent((e) => e.kind === 'resumed');
    sent.push(say(5));
    await nextEvent((e) => e.type === 'message' && e.messageId === sent[4]);
    standIn.requestReconnect();
    await standIn.waitForGatewayEvent((e) => e.kind === 'resumed' && standIn.gatewayEvents.filter((x) => x.kind === 'resumed').length === 2);
    sent.push(say(6));
    await nextEvent((e) => e.type === 'message' && e.messageId === sent[5]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const delivered = events.filter((e): e is MessageEvent => e.type === 'message');
    expect(delivered.map((e) => e.messageId)).toEqual(sent);
    expect(standIn.gatewayEvents.filter((e) => e.kind === 'identify')).toHaveLength(1);
    expect(standIn.gatewayEvents.filter((e) => e.kind === 'resume')).toHaveLength(2);
    standIn.assertNoViolations();
  });

  it('waits out a 429 and still delivers the reply, once', async () => {
    const { standIn, nextEvent } = await startDiscord({ handler: pingPong });
    standIn.rateLimitNext(POST_MESSAGE, 1, 0.4);
    const asked = standIn.sendMessage({ channelId: IDS.channels.ops, author: IDS.users.alice, content: '!ping' });
    await nextEvent((e) => e.type === 'message');
    const reply = await standIn.waitForCall(isPong);
    const [limited, ...rest] = standIn.callsTo(POST_MESSAGE);
    expect(limited?.status).toBe(429);
    expect(rest).toEqual([reply]);
    expect(reply.at - (limited?.at ?? 0)).toBeGreaterThanOrEqual(400);
    expect(reply.body.message_reference.message_id).toBe(asked.id);
    standIn.assertNoViolations();
  });
});

interface Child {
  process: ChildProcess;
  stderr(): string;
  exit: Promise<number | null>;
}

async function startChild(standIn: DiscordStandIn, mode: 'adapter' | 'bare'): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', childScript, mode], {
    cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, STAND_IN_API: standIn.apiBaseUrl, DISCORD_TOKEN: standIn.token },
  });
  onTestFinished(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => { if (chunk.toString().includes('READY')) resolve(); });
    void exit.then((code) => reject(new Error(`the ${mode} bot exited with ${code} before it was ready:\n${stderr}`)));
  });
  return { process: child, stderr: () => stderr, exit };
}

/** The dispatches the bot must survive: the recorded modal submit as is, a message without author, an interaction without token. */
function malformed(standIn: DiscordStandIn): void {
  standIn.replayFixture('INTERACTION_CREATE.modal_submit');
  const { author: _author, ...message } = loadFixture('MESSAGE_CREATE').d;
  standIn.dispatchRaw('MESSAGE_CREATE', { ...message, id: '1310000000000000500', channel_id: IDS.channels.ops, guild_id: IDS.guild, channel_type: 0 });
  const { token: _token, ...interaction } = loadFixture('INTERACTION_CREATE.modal_submit').d;
  standIn.dispatchRaw('INTERACTION_CREATE', {
    ...interaction, id: '1310000000000000501', type: 3, authorizing_integration_owners: { 0: interaction.guild_id },
    data: { component_type: 2, custom_id: 'o1:["approve"]' }, message: standIn.message(IDS.messages.old),
  });
}

describe('DiscordAdapter (malformed dispatches)', () => {
  it('(control) a bare discord.js client dies on the recorded modal submit', { timeout: 20_000 }, async () => {
    const standIn = await DiscordStandIn.start();
    onTestFinished(() => standIn.stop());
    const child = await startChild(standIn, 'bare');
    standIn.replayFixture('INTERACTION_CREATE.modal_submit');
    expect(await child.exit).not.toBe(0);
    expect(child.stderr()).toMatch(/TypeError/);
    standIn.assertNoViolations();
  });

  it('keeps the process running and answering after malformed dispatches', { timeout: 20_000 }, async () => {
    const standIn = await DiscordStandIn.start();
    onTestFinished(() => standIn.stop());
    const child = await startChild(standIn, 'adapter');
    malformed(standIn);
    standIn.sendMessage({ channelId: IDS.channels.ops, author: IDS.users.alice, content: '!ping' });
    await standIn.waitForCall(isPong, 10_000);
    expect(child.process.exitCode).toBeNull();
    const logged = child.stderr().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { msg: string; origin?: string });
    expect(logged.filter((l) => l.msg.startsWith('unhandled promise rejection') && l.origin === 'discord.js').length).toBeGreaterThanOrEqual(1);
    expect(logged.some((l) => l.msg.includes('without an author'))).toBe(true);
    expect(logged.some((l) => l.msg.includes('without a token'))).toBe(true);
    standIn.assertNoViolations();
  });
});
