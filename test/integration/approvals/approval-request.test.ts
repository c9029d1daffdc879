import { afterEach, describe, expect, it } from 'vitest';
import { message, reaction } from '../../fakes/fake-adapter.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { actionsOf, lastRequest, startApprovalApp, textsSince, type ApprovalApp } from './approval-harness.js';

let current: ApprovalApp | undefined;
afterEach(() => current?.logger.assertNoErrors());

async function app(...args: Parameters<typeof startApprovalApp>): Promise<ApprovalApp> {
  current = await startApprovalApp(...args);
  return current;
}

const HIGH_PROBE = { approvals: { risk: { probe: 'high' as const } } };

describe('ApprovalGate: policies (point 4)', () => {
  it('runs a low-risk command at once and holds it when config raises its risk', async () => {
    const low = await app();
    await low.adapter.deliver(message('!probe web prod'));
    expect(low.runs).toHaveLength(1);
    const high = await app(HIGH_PROBE);
    await high.adapter.deliver(message('!probe web prod'));
    expect(high.runs).toHaveLength(0);
    expect(lastRequest(high.adapter).record.message?.text).toContain('needs 1 approval from approver');
  });

  it('applies a policy only to the argument values and channels it names', async () => {
    const { adapter, runs } = await app({
      approvals: { policies: [{ command: 'probe', args: { env: 'prod' }, channels: ['ops'], approvals: 2, approverRoles: ['release-manager'] }] },
    });
    await adapter.deliver(message('!probe web staging'));
    await adapter.deliver(message('!probe web prod', { channel: { id: 'local:channel:builds', name: 'builds', isDirect: false } }));
    expect(runs.map((r) => r.args.env)).toEqual(['staging', 'prod']);
    await adapter.deliver(message('!probe web prod'));
    expect(runs).toHaveLength(2);
    expect(lastRequest(adapter).record.message?.text).toContain('needs 2 approvals from release-manager');
  });

  it('refuses a requester without the policy\'s requester role before anything is stored', async () => {
    const { adapter, store } = await app({
      approvals: { policies: [{ command: 'probe', approvals: 1, approverRoles: ['approver'], requesterRoles: ['deployer'] }] },
    });
    await adapter.deliver(message('!probe web prod', { as: 'erin' }));
    expect(adapter.lastText()).toBe('Denied: probe may be requested only by holders of deployer (approvals.policies[0])');
    expect(await store.list({ states: ['pending'] })).toEqual([]);
  });

  it('checks the RBAC permission first: a caller who may not run the command gets no request', async () => {
    const { adapter, store } = await app(HIGH_PROBE);
    await adapter.deliver(message('!probe web prod', { as: 'bob' }));
    expect(adapter.lastText()).toMatch(/^Denied: probe needs the permission probe/);
    expect(await store.list({ states: ['pending'] })).toEqual([]);
  });
});

describe('ApprovalService: the request (point 5)', () => {
  it('freezes, stores and posts the request in the channel, then stops', async () => {
    const clock = new FakeClock('2025-03-01T14:17:00.000Z');
    const { adapter, runs, store, audit } = await app(HIGH_PROBE, { clock });
    await adapter.deliver(message('!probe web prod', { messageId: 'cmd-1' }));
    expect(runs).toEqual([]);
    const posted = lastRequest(adapter);
    expect(posted.record).toMatchObject({ kind: 'reply', replyTo: 'cmd-1', channelId: 'local:channel:ops' });
    expect(posted.record.message?.text).toBe(
      `alice asks to run \`probe web prod\` - needs 1 approval from approver - react ✅ to approve, ❌ to deny (or \`approve ${posted.id}\``
      + ` / \`deny ${posted.id} [reason]\`) - expires 14:32 UTC - id ${posted.id}`,
    );
    expect(posted.record.message?.reactions).toEqual(['✅', '❌']);
    expect(posted.record.message?.buttons?.map((b) => [b.id, b.value])).toEqual([
      ['approval.approve', { requestId: posted.id }], ['approval.deny', { requestId: posted.id }],
    ]);
    const stored = await store.get(posted.id);
    expect(stored).toMatchObject({
      state: 'pending', messageId: posted.messageId, requesterId: 'local:user:alice', command: 'probe', plugin: 'probe', text: 'probe web prod',
      expiresAt: new Date('2025-03-01T14:32:00.000Z'), fingerprint: 'probe:probe',
    });
    expect(JSON.parse(stored?.frozen ?? '{}')).toMatchObject({ args: { service: 'web', env: 'prod' }, actor: { id: 'local:user:alice' } });
    expect(stored?.frozenHash).toMatch(/^[0-9a-f]{64}$/);
    const invocationId = JSON.parse(stored?.frozen ?? '{}').id as string;
    expect((await actionsOf(audit, invocationId)).map((r) => r.action)).toEqual(['command.received', 'approval.requested']);
  });

  it('counts only reactions on the request message itself', async () => {
    const { adapter, runs } = await app(HIGH_PROBE);
    await adapter.deliver(message('!probe web prod', { messageId: 'cmd-1' }));
    await adapter.deliver(reaction('cmd-1', '✅'));
    await adapter.deliver({ ...reaction(lastRequest(adapter).messageId, '✅'), channel: { id: 'local:channel:builds', name: 'builds', isDirect: false } });
    expect(runs).toEqual([]);
    await adapter.deliver(reaction(lastRequest(adapter).messageId, '✅'));
    expect(runs).toHaveLength(1);
  });

  it('limits how many pending requests one user holds (point 10)', async () => {
    const { adapter, store } = await app({ approvals: { risk: { probe: 'high' }, maxPendingPerUser: 2 } });
    await adapter.deliver(message('!probe a prod'));
    await adapter.deliver(message('!probe b prod'));
    const sent = adapter.sent.length;
    await adapter.deliver(message('!probe c prod'));
    expect(textsSince(adapter, sent)).toEqual([
      'Denied: alice already has 2 pending approval requests, the most allowed; cancel one (`cancel <id>`, `approvals` lists them) or wait until they are decided',
    ]);
    expect(await store.list({ states: ['pending'] })).toHaveLength(2);
    await adapter.deliver(message(`!cancel ${lastRequest(adapter).id}`));
    await adapter.deliver(message('!probe c prod'));
    expect(await store.list({ states: ['pending'] })).toHaveLength(2);
  });

  it('never holds the approval commands themselves, whatever risk config gives them', async () => {
    const { adapter } = await app({ approvals: { risk: { approvals: 'high', approve: 'high' } } });
    await adapter.deliver(message('!approvals'));
    expect(adapter.lastText()).toBe('No pending approval requests that you made or may decide.');
  });
});
