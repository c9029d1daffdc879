import { afterEach, describe, expect, it } from 'vitest';
import { message, reaction } from '../../fakes/fake-adapter.js';
import { BACKENDS } from '../../support/backends.js';
import { actionsOf, lastRequest, startApprovalApp, type ApprovalApp } from './approval-harness.js';

let current: ApprovalApp | undefined;
afterEach(() => current?.logger.assertNoErrors());

describe('ApprovalRelease: release exactly once (point 7)', () => {
  it('runs the frozen invocation as the requester, marks it approved, answers in the request thread and updates the request', async () => {
    current = await startApprovalApp({ approvals: { policies: [{ command: 'probe', approvals: 2, approverRoles: ['release-manager'] }] } });
    const { adapter, runs, store, audit } = current;
    await adapter.deliver(message('!probe web prod', { messageId: 'cmd-1' }));
    const request = lastRequest(adapter);
    await adapter.deliver(reaction(request.messageId, '✅', { as: 'carol' }));
    await adapter.deliver(reaction(request.messageId, '✅', { as: 'dave' }));

    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      command: 'probe', args: { service: 'web', env: 'prod' }, actor: { id: 'local:user:alice', name: 'alice' },
      source: { messageId: 'cmd-1' }, approval: { requestId: request.id, approvers: ['local:user:carol', 'local:user:dave'] },
    });
    const after = adapter.sent.slice(adapter.sent.indexOf(request.record) + 1);
    expect(after.map((s) => [s.kind, s.kind === 'reply' ? s.replyTo : s.messageId, s.message?.text])).toEqual([
      ['update', request.messageId, expect.stringContaining('1 of 2 so far (carol)')],
      ['update', request.messageId, `✅ \`probe web prod\` (asked by alice, id ${request.id}) approved by carol, dave - running`],
      ['reply', request.messageId, 'probed web in prod'],
      ['update', request.messageId, `✅ \`probe web prod\` (asked by alice, id ${request.id}) approved by carol, dave - succeeded`],
    ]);
    expect(await store.get(request.id)).toMatchObject({ state: 'succeeded', decidedBy: 'local:user:dave' });
    const trail = await actionsOf(audit, runs[0]?.id ?? '');
    expect(trail.map((r) => [r.action, r.actor])).toEqual([
      ['command.received', 'local:user:alice'],
      ['approval.requested', 'local:user:alice'],
      ['approval.granted', 'local:user:carol'],
      ['approval.granted', 'local:user:dave'],
      ['approval.approved', 'local:user:dave'],
      ['command.executed', 'local:user:alice'],
    ]);
    expect(trail.at(-1)).toMatchObject({ outcome: 'succeeded', detail: { approval: { requestId: request.id, approvers: ['local:user:carol', 'local:user:dave'] } } });
    expect(trail.every((r) => typeof r.at === 'string')).toBe(true);
  });

  it('records a failing released command as failed, in the state and in the audit', async () => {
    current = await startApprovalApp({ approvals: { risk: { boom: 'high' } } });
    const { adapter, registry, store, audit } = current;
    current.logger.expectErrors('command failed');
    registry.register('core', { name: 'boom', description: 'fails', args: [], permission: 'x', risk: 'low' }, async () => { throw new Error('kaput'); });
    await adapter.deliver(message('!boom'));
    const request = lastRequest(adapter);
    await adapter.deliver(reaction(request.messageId, '✅'));
    expect(await store.get(request.id)).toMatchObject({ state: 'failed', reason: 'boom failed' });
    expect(await audit.list({ action: 'command.failed' })).toEqual([expect.objectContaining({ command: 'boom', outcome: 'failed' })]);
    expect(adapter.lastText()).toContain('failed');
  });

  it('never runs an executed request again, whatever arrives later (point 10)', async () => {
    current = await startApprovalApp({ approvals: { risk: { probe: 'high' } } });
    const { adapter, runs } = current;
    await adapter.deliver(message('!probe web prod'));
    const request = lastRequest(adapter);
    await adapter.deliver(reaction(request.messageId, '✅'));
    await adapter.deliver(reaction(request.messageId, '✅', { added: false }));
    await adapter.deliver(reaction(request.messageId, '✅'));
    await adapter.deliver(reaction(request.messageId, '✅', { as: 'carol' }));
    await adapter.deliver(message(`!approve ${request.id}`, { as: 'dave' }));
    expect(adapter.lastText()).toBe(`Cannot do that: approval request ${request.id} is no longer pending (it is succeeded).`);
    expect(runs).toHaveLength(1);
  });
});

describe.each(BACKENDS)('ApprovalService on %s: concurrent approvals', (backend) => {
  it('releases once when twenty approvers react at the same moment', async () => {
    const approvers = Array.from({ length: 20 }, (_, i) => `approver${i}`);
    current = await startApprovalApp({
      rbac: {
        roles: { operator: { permissions: ['*'] }, approver: { permissions: [] } },
        bindings: [{ principal: 'local:user:alice', roles: ['operator'] }, ...approvers.map((name) => ({ principal: `local:user:${name}`, roles: ['approver'] }))],
      },
      approvals: { policies: [{ command: 'probe', approvals: 3, approverRoles: ['approver'] }] },
    }, { backend });
    const { adapter, runs, store, audit } = current;
    await adapter.deliver(message('!probe web prod'));
    const request = lastRequest(adapter);
    await Promise.all(approvers.map((name) => adapter.deliver(reaction(request.messageId, '✅', { as: name }))));

    expect(runs).toHaveLength(1);
    expect(runs[0]?.approval?.approvers).toHaveLength(3);
    expect(await store.get(request.id)).toMatchObject({ state: 'succeeded' });
    expect(await audit.list({ action: 'approval.approved' })).toHaveLength(1);
    expect(await audit.list({ action: 'command.executed' })).toHaveLength(1);
    const granted = (await audit.list({ action: 'approval.granted' })).map((r) => r.actor).sort();
    expect(granted).toEqual([...(runs[0]?.approval?.approvers ?? [])].sort());
    expect(await audit.verify()).toMatchObject({ ok: true });
  });
});
