import { afterEach, describe, expect, it } from 'vitest';
import type { ActionEvent } from '../../../src/core/chat-event.js';
import { actor, message, reaction } from '../../fakes/fake-adapter.js';
import { lastRequest, startApprovalApp, textsSince, type ApprovalApp } from './approval-harness.js';

let current: ApprovalApp | undefined;
afterEach(() => current?.logger.assertNoErrors());

const TWO_MANAGERS = { approvals: { policies: [{ command: 'probe', approvals: 2, approverRoles: ['release-manager'] }] } };

async function requested(config: Parameters<typeof startApprovalApp>[0] = { approvals: { risk: { probe: 'high' } } }) {
  current = await startApprovalApp(config);
  await current.adapter.deliver(message('!probe web prod'));
  return { ...current, request: lastRequest(current.adapter) };
}

function button(actionId: string, requestId: string, as: string, messageId?: string): ActionEvent {
  return { ...reaction('x', '✅', { as }), type: 'action', actionId, value: { requestId }, ...(messageId ? { messageId } : {}) };
}

describe('ApprovalService: decisions (point 6)', () => {
  it('refuses the requester as approver, and says so in the request thread', async () => {
    const { adapter, request, runs, audit } = await requested();
    const sent = adapter.sent.length;
    await adapter.deliver(reaction(request.messageId, '✅', { as: 'alice' }));
    expect(runs).toEqual([]);
    expect(adapter.sent.slice(sent)).toEqual([expect.objectContaining({ kind: 'reply', replyTo: request.messageId })]);
    expect(adapter.lastText()).toBe(`alice: alice asked for ${request.id} and cannot approve it; somebody else holding approver must`);
    expect(await audit.list({ action: 'approval.refused' })).toEqual([expect.objectContaining({ actor: 'local:user:alice', outcome: 'refused' })]);
  });

  it('lets the requester approve their own request when the policy allows it', async () => {
    const { adapter, request, runs } = await requested({
      approvals: { policies: [{ command: 'probe', approvals: 1, approverRoles: ['deployer'], allowSelfApproval: true }] },
    });
    await adapter.deliver(reaction(request.messageId, '✅', { as: 'alice' }));
    expect(runs).toHaveLength(1);
  });

  it('refuses somebody without an approver role, and ignores bots', async () => {
    const { adapter, request, runs } = await requested();
    await adapter.deliver(reaction(request.messageId, '✅', { as: 'mallory' }));
    expect(adapter.lastText()).toBe(`mallory: deciding ${request.id} needs the role approver, which mallory does not hold`);
    await adapter.deliver({ ...reaction(request.messageId, '✅'), actor: { ...actor('bob'), isBot: true } });
    expect(runs).toEqual([]);
  });

  it('treats a duplicate decision as one, by reaction, button or command', async () => {
    const { adapter, request, runs, store } = await requested(TWO_MANAGERS);
    await adapter.deliver(reaction(request.messageId, '✅', { as: 'carol' }));
    await adapter.deliver(reaction(request.messageId, '✅', { as: 'carol' }));
    await adapter.deliver(button('approval.approve', request.id, 'carol', request.messageId));
    await adapter.deliver(message(`!approve ${request.id}`, { as: 'carol' }));
    expect(adapter.lastText()).toBe(`You had already approved ${request.id}; nothing changed.`);
    expect(runs).toEqual([]);
    expect(await store.countApprovals(request.id)).toBe(1);
  });

  it('shows the votes so far on the request message', async () => {
    const { adapter, request } = await requested(TWO_MANAGERS);
    await adapter.deliver(reaction(request.messageId, '✅', { as: 'carol' }));
    const update = adapter.sent.at(-1);
    expect(update).toMatchObject({ kind: 'update', messageId: request.messageId });
    expect(update?.message?.text).toContain('needs 2 approvals from release-manager - 1 of 2 so far (carol) - react ✅');
  });

  it('withdraws a vote when its reaction is removed before the quorum', async () => {
    const { adapter, request, runs, audit } = await requested(TWO_MANAGERS);
    await adapter.deliver(reaction(request.messageId, '✅', { as: 'carol' }));
    await adapter.deliver(reaction(request.messageId, '✅', { as: 'carol', added: false }));
    await adapter.deliver(reaction(request.messageId, '✅', { as: 'dave' }));
    expect(runs).toEqual([]);
    expect(adapter.sent.at(-1)?.message?.text).toContain('1 of 2 so far (dave)');
    expect((await audit.list({ action: 'approval.withdrawn' })).map((r) => r.actor)).toEqual(['local:user:carol']);
    await adapter.deliver(reaction(request.messageId, '✅', { as: 'carol' }));
    expect(runs).toHaveLength(1);
  });

  it('ends the request on a deny by an eligible approver; nothing runs whatever arrives later', async () => {
    const { adapter, request, runs, store, audit } = await requested(TWO_MANAGERS);
    await adapter.deliver(reaction(request.messageId, '✅', { as: 'carol' }));
    const sent = adapter.sent.length;
    await adapter.deliver(message(`!deny ${request.id} not during the freeze`, { as: 'dave' }));
    expect(textsSince(adapter, sent)).toEqual([
      `❌ \`probe web prod\` (asked by alice, id ${request.id}) denied by dave: not during the freeze`,
      'alice: dave denied `probe web prod`: not during the freeze',
      `You denied ${request.id}; \`probe web prod\` will not run.`,
    ]);
    await adapter.deliver(reaction(request.messageId, '✅', { as: 'erin' }));
    await adapter.deliver(message(`!approve ${request.id}`, { as: 'erin' }));
    expect(adapter.lastText()).toBe(`Cannot do that: approval request ${request.id} is no longer pending (it is denied).`);
    expect(runs).toEqual([]);
    expect(await store.get(request.id)).toMatchObject({ state: 'denied', decidedBy: 'local:user:dave', reason: 'not during the freeze' });
    expect(await audit.list({ action: 'approval.denied' })).toEqual([
      expect.objectContaining({ actor: 'local:user:dave', detail: { requestId: request.id, via: 'command', reason: 'not during the freeze' } }),
    ]);
  });

  it('takes a deny by reaction from an eligible approver, and a requester\'s ❌ as a cancel', async () => {
    const first = await requested();
    await first.adapter.deliver(reaction(first.request.messageId, '❌', { as: 'bob' }));
    expect(await first.store.get(first.request.id)).toMatchObject({ state: 'denied' });
    await first.adapter.deliver(message('!probe web staging'));
    const second = lastRequest(first.adapter);
    await first.adapter.deliver(reaction(second.messageId, '❌', { as: 'alice' }));
    expect(await first.store.get(second.id)).toMatchObject({ state: 'cancelled', decidedBy: 'local:user:alice' });
  });

  it('takes decisions from the request buttons, but only from the message that carries them', async () => {
    const { adapter, request, runs } = await requested();
    await adapter.deliver(button('approval.approve', request.id, 'bob', 'some-other-message'));
    expect(runs).toEqual([]);
    await adapter.deliver(button('approval.approve', request.id, 'bob', request.messageId));
    expect(runs).toHaveLength(1);
  });

  it('lets only the requester cancel, by command', async () => {
    const { adapter, request, store } = await requested();
    await adapter.deliver(message(`!cancel ${request.id}`, { as: 'bob' }));
    expect(adapter.lastText()).toBe(`Cannot do that: only alice, who asked, can cancel ${request.id}.`);
    await adapter.deliver(message(`!cancel ${request.id.toUpperCase()}`));
    expect(adapter.lastText()).toBe(`Cancelled ${request.id} (\`probe web prod\`).`);
    expect(await store.get(request.id)).toMatchObject({ state: 'cancelled' });
    expect(adapter.sent.find((s) => s.kind === 'update')?.message?.text).toBe(`🚫 \`probe web prod\` (asked by alice, id ${request.id}) cancelled by alice`);
  });

  it('answers a bad or unknown request id clearly', async () => {
    const { adapter } = await requested();
    await adapter.deliver(message('!approve 42', { as: 'bob' }));
    expect(adapter.lastText()).toMatch(/^"42" is not an approval request id \(six letters and digits/);
    await adapter.deliver(message('!approve zzzzzz', { as: 'bob' }));
    expect(adapter.lastText()).toBe('Cannot do that: there is no approval request zzzzzz.');
  });

  it('lists pending requests to their requester and to those who may decide them, and to nobody else', async () => {
    const { adapter, request } = await requested(TWO_MANAGERS);
    await adapter.deliver(reaction(request.messageId, '✅', { as: 'carol' }));
    await adapter.deliver(message('!approvals', { as: 'erin' }));
    expect(adapter.lastText()).toMatch(new RegExp(`^Pending approval requests \\(1\\):\\n- ${request.id}: \`probe web prod\` asked by alice in local:channel:ops - 1 of 2 approvals from release-manager - expires \\d\\d:\\d\\d UTC\\n`));
    await adapter.deliver(message('!approvals'));
    expect(adapter.lastText()).toContain('asked by alice (yours)');
    await adapter.deliver(message('!approvals', { as: 'bob' }));
    expect(adapter.lastText()).toBe('No pending approval requests that you made or may decide.');
  });
});
