import { afterEach, describe, expect, it } from 'vitest';
import { message, reaction } from '../../fakes/fake-adapter.js';
import { Database } from '../../../src/storage/database.js';
import { lastRequest, PROBE_SPEC, startApprovalApp, textsSince, type ApprovalApp } from './approval-harness.js';

let current: ApprovalApp | undefined;
afterEach(() => current?.logger.assertNoErrors());

const HIGH_PROBE = { approvals: { risk: { probe: 'high' as const } } };

describe('ApprovalRelease: no side doors (point 10)', () => {
  it('fails closed when the command changed (plugin upgraded, disabled or regranted) since the request', async () => {
    let version = '1.0.0';
    current = await startApprovalApp(HIGH_PROBE, { fingerprint: () => `probe@${version}` });
    const { adapter, runs, store, audit } = current;
    await adapter.deliver(message('!probe web prod'));
    const request = lastRequest(adapter);
    version = '1.1.0';
    const sent = adapter.sent.length;
    await adapter.deliver(reaction(request.messageId, '✅'));
    expect(runs).toEqual([]);
    expect(textsSince(adapter, sent)).toEqual([
      `⚠️ \`probe web prod\` (asked by alice, id ${request.id}) was not run: probe changed since this was requested; ask again`,
      'alice: `probe web prod` was not run: probe changed since this was requested; ask again',
    ]);
    expect(await store.get(request.id)).toMatchObject({ state: 'failed', reason: 'probe changed since this was requested; ask again' });
    expect((await audit.list({ action: 'approval.failed' }))[0]).toMatchObject({ actor: 'system', outcome: 'failed' });
    await adapter.deliver(reaction(request.messageId, '✅', { as: 'carol' }));
    expect(runs).toEqual([]);
  });

  it('fails closed when the command is no longer registered, or another plugin now owns its name', async () => {
    current = await startApprovalApp(HIGH_PROBE);
    const { adapter, runs, registry, store } = current;
    await adapter.deliver(message('!probe web prod'));
    const first = lastRequest(adapter);
    await adapter.deliver(message('!probe api prod'));
    const second = lastRequest(adapter);
    current.unregisterProbe();
    await adapter.deliver(reaction(first.messageId, '✅'));
    expect(await store.get(first.id)).toMatchObject({ state: 'failed', reason: 'probe changed since this was requested; ask again' });
    const impostor: string[] = [];
    registry.register('impostor', PROBE_SPEC, async () => { impostor.push('ran'); return 'gotcha'; }, { fingerprint: () => 'probe:probe' });
    await adapter.deliver(reaction(second.messageId, '✅'));
    expect(await store.get(second.id)).toMatchObject({ state: 'failed' });
    expect(impostor).toEqual([]);
    expect(runs).toEqual([]);
  });

  it('refuses a request whose stored invocation was altered, and tells the operators', async () => {
    current = await startApprovalApp(HIGH_PROBE);
    const { adapter, runs, store, app, logger } = current;
    logger.expectErrors('stored invocation was altered');
    await adapter.deliver(message('!probe web staging'));
    const request = lastRequest(adapter);
    const database = app.get<Database>(Database);
    const stored = await store.get(request.id);
    await database.db.updateTable('approval_requests').set({ frozen: (stored?.frozen ?? '').replace('"staging"', '"prod"') })
      .where('id', '=', request.id).execute();
    await adapter.deliver(reaction(request.messageId, '✅'));
    expect(runs).toEqual([]);
    expect(await store.get(request.id)).toMatchObject({ state: 'failed', reason: 'its stored invocation does not match what was approved' });
    expect(logger.entries().some((e) => e.msg?.includes('stored invocation was altered') && e.code === 'E_APPROVAL_TAMPERED')).toBe(true);
  });

  it('checks the requester\'s roles again at release, against the policy frozen with the request', async () => {
    current = await startApprovalApp({
      approvals: { policies: [{ command: 'probe', approvals: 1, approverRoles: ['approver'], requesterRoles: ['deployer'] }] },
    });
    const { adapter, runs, store } = current;
    await adapter.deliver(message('!probe web prod'));
    const request = lastRequest(adapter);
    // Standing in for a role taken away after the request: the release must not run on rights checked only at request time.
    const database = current.app.get<Database>(Database);
    const policy = JSON.stringify({ ...(await store.get(request.id))?.policy, requesterRoles: ['nobody-holds-this'] });
    await database.db.updateTable('approval_requests').set({ policy }).where('id', '=', request.id).execute();
    await adapter.deliver(reaction(request.messageId, '✅'));
    expect(runs).toEqual([]);
    expect(await store.get(request.id)).toMatchObject({ state: 'failed', reason: 'alice no longer holds nobody-holds-this' });
  });
});
