import { describe, expect, it } from 'vitest';
import { ApprovalService } from '../../../src/approvals/approval-service.js';
import { IDS, type StandInCall } from '../../stand-ins/discord/index.js';
import { CALLBACK, EDIT_MESSAGE, OWN_REACTION, POST_MESSAGE, isReplyTo, sleep, startDiscordBot, type DiscordBot } from './opsroom-bot.js';

const ops = IDS.channels.ops;

interface PostedRequest {
  id: string;
  messageId: string;
  post: StandInCall;
}

/** Alice asks for `deploy web prod`; resolves with the request message once its ✅ and ❌ are on it. */
async function requestDeploy(bot: DiscordBot): Promise<PostedRequest> {
  const asked = bot.say('!deploy web prod');
  const post = await bot.replyTo(asked);
  expect(post.body.content).toMatch(/^Alice asks to run `deploy web prod` - needs 1 approval from approver/);
  expect(post.body.components[0].components.map((b: { label: string }) => b.label)).toEqual(['Approve', 'Deny']);
  const messageId = post.response.id as string;
  for (const emoji of ['✅', '❌']) {
    await bot.standIn.waitForCall((c) => c.route === OWN_REACTION && c.params.message_id === messageId && c.params.emoji_name === emoji);
  }
  const id = /- id ([a-z0-9]{6})$/.exec(post.body.content)?.[1] ?? '';
  // The ✅ and ❌ go on before the approvals service records which message carries the request; decisions count from then.
  const service = bot.app.get<ApprovalService>(ApprovalService);
  while ((await service.get(id))?.messageId !== messageId) await sleep(5);
  return { id, messageId, post };
}

const react = (bot: DiscordBot, request: PostedRequest, userId: string, emoji = '✅'): void =>
  bot.standIn.addReaction({ channelId: ops, messageId: request.messageId, userId, emoji });

/** The request message as it reads on the stand-in once an edit matching `pattern` arrived (by REST or by interaction). */
async function requestReads(bot: DiscordBot, request: PostedRequest, pattern: RegExp): Promise<void> {
  await bot.standIn.waitForCall((c) => (c.route === EDIT_MESSAGE && c.params.message_id === request.messageId && pattern.test(c.body.content ?? ''))
    || (c.route === CALLBACK && c.body.type === 7 && pattern.test(c.body.data?.content ?? '')), 10_000);
  expect(bot.standIn.message(request.messageId)?.content).toMatch(pattern);
}

describe('opsroom on Discord (approvals)', () => {
  it('refuses the requester\'s own ✅ and a member without the Discord role, then runs once on the approver\'s ✅', async () => {
    const bot = await startDiscordBot();
    const request = await requestDeploy(bot);
    react(bot, request, IDS.users.alice);
    const own = await bot.standIn.waitForCall((c) => isReplyTo(request.messageId)(c) && /cannot approve it/.test(c.body.content));
    expect(own.body.content).toBe(`Alice: Alice asked for ${request.id} and cannot approve it; somebody else holding approver must`);
    react(bot, request, IDS.users.carol);
    const carol = await bot.standIn.waitForCall((c) => isReplyTo(request.messageId)(c) && c.body.content.startsWith('carol:'));
    expect(carol.body.content).toBe(`carol: deciding ${request.id} needs the role approver, which carol does not hold`);
    expect(await bot.executions('deploy')).toBe(0);
    react(bot, request, IDS.users.bob);
    const result = await bot.standIn.waitForCall((c) => isReplyTo(request.messageId)(c) && c.body.content.startsWith('deployed'));
    expect(result.body.content).toBe('deployed web to prod for Alice');
    await requestReads(bot, request, /approved by Bob - succeeded$/);
    // Taking the ✅ back and giving it again, or another approver's ✅, runs nothing more.
    bot.standIn.removeReaction({ channelId: ops, messageId: request.messageId, userId: IDS.users.bob, emoji: '✅' });
    react(bot, request, IDS.users.bob);
    await sleep(300);
    expect(await bot.executions('deploy')).toBe(1);
    expect(bot.repliesTo(request.messageId).filter((c) => c.body.content.startsWith('deployed'))).toHaveLength(1);
    bot.standIn.assertNoViolations();
  });

  it('runs once when an approver presses Approve, updating the request message through the interaction', async () => {
    const bot = await startDiscordBot();
    const request = await requestDeploy(bot);
    const [approve] = request.post.body.components[0].components as Array<{ custom_id: string }>;
    const press = bot.standIn.pressButton({ channelId: ops, messageId: request.messageId, userId: IDS.users.alice, customId: approve?.custom_id });
    const refused = await bot.standIn.waitForCall((c) => isReplyTo(request.messageId)(c) && /cannot approve it/.test(c.body.content));
    expect(refused.body.content).toContain(`Alice asked for ${request.id}`);
    expect((await bot.standIn.waitForCall((c) => c.route === CALLBACK && c.params.interaction_id === press.id)).body).toEqual({ type: 6 });
    const approved = bot.standIn.pressButton({ channelId: ops, messageId: request.messageId, userId: IDS.users.bob, customId: approve?.custom_id });
    const update = await bot.standIn.waitForCall((c) => c.route === CALLBACK && c.params.interaction_id === approved.id);
    expect(update.body).toMatchObject({ type: 7, data: { content: expect.stringMatching(/approved by Bob - running$/), components: [] } });
    await bot.standIn.waitForCall((c) => isReplyTo(request.messageId)(c) && c.body.content === 'deployed web to prod for Alice');
    await requestReads(bot, request, /approved by Bob - succeeded$/);
    expect(bot.standIn.message(request.messageId)?.components).toEqual([]);
    react(bot, request, IDS.users.bob);
    await sleep(300);
    expect(await bot.executions('deploy')).toBe(1);
    bot.standIn.assertNoViolations();
  });

  it('counts a ✅ on a request message the restarted bot never cached', { timeout: 30_000 }, async () => {
    const bot = await startDiscordBot();
    const request = await requestDeploy(bot);
    await bot.restart();
    const calls = bot.standIn.calls.length;
    react(bot, request, IDS.users.bob);
    await bot.standIn.waitForCall((c) => isReplyTo(request.messageId)(c) && c.body.content === 'deployed web to prod for Alice');
    await requestReads(bot, request, /approved by Bob - succeeded$/);
    expect(await bot.executions('deploy')).toBe(1);
    expect(bot.standIn.gatewayEvents.filter((e) => e.kind === 'identify')).toHaveLength(2);
    expect(bot.standIn.calls.slice(calls).some((c) => c.route === POST_MESSAGE && c.status !== 200)).toBe(false);
    bot.standIn.assertNoViolations();
  });
});
