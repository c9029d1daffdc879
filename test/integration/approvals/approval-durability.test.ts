import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { message, reaction } from '../../fakes/fake-adapter.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { BACKENDS, type Backend } from '../../support/backends.js';
import { eventually, lastRequest, startApprovalApp, testSchema, textsSince, type ApprovalApp, type HarnessOptions } from './approval-harness.js';

const apps: ApprovalApp[] = [];
afterEach(() => {
  for (const app of apps.splice(0)) app.logger.assertNoErrors();
});

const HIGH_PROBE = { approvals: { risk: { probe: 'high' as const } } };

async function app(input: Parameters<typeof startApprovalApp>[0], options: HarnessOptions = {}): Promise<ApprovalApp> {
  const started = await startApprovalApp(input, options);
  apps.push(started);
  return started;
}

/** Options that make two apps share one database: a folder for SQLite, a schema for PostgreSQL. */
function shared(backend: Backend): HarnessOptions {
  if (backend === 'postgres') return { backend, schema: testSchema() };
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-approvals-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return { backend, dir };
}

describe('ApprovalService: expiry', () => {
  it('expires a request at its deadline, tells the channel, and refuses later decisions', async () => {
    const clock = new FakeClock('2025-03-01T14:17:00.000Z');
    const { adapter, service, store, runs, audit } = await app(HIGH_PROBE, { clock });
    await adapter.deliver(message('!probe web prod'));
    const request = lastRequest(adapter);
    clock.advance(14 * 60_000);
    expect(await service.sweep()).toEqual({ expired: 0, waiting: 0 });
    clock.advance(60_000);
    const sent = adapter.sent.length;
    expect(await service.sweep()).toEqual({ expired: 1, waiting: 0 });
    expect(textsSince(adapter, sent)).toEqual([
      `⌛ \`probe web prod\` (asked by alice, id ${request.id}) expired at 14:32 UTC without enough approvals; ask again if it is still needed`,
      `alice: \`probe web prod\` (id ${request.id}) expired without enough approvals`,
    ]);
    expect(await store.get(request.id)).toMatchObject({ state: 'expired', decidedBy: 'system' });
    expect(await audit.list({ action: 'approval.expired' })).toEqual([expect.objectContaining({ actor: 'system', outcome: 'expired' })]);
    await adapter.deliver(reaction(request.messageId, '✅'));
    expect(runs).toEqual([]);
  });

  it('treats a decision arriving after the deadline as too late, even before a sweep ran', async () => {
    const clock = new FakeClock();
    const { adapter, store, runs } = await app(HIGH_PROBE, { clock });
    await adapter.deliver(message('!probe web prod'));
    const request = lastRequest(adapter);
    clock.advance(15 * 60_000);
    await adapter.deliver(message(`!approve ${request.id}`, { as: 'bob' }));
    expect(adapter.lastText()).toBe(`Cannot do that: approval request ${request.id} is no longer pending (it is expired).`);
    expect(await store.get(request.id)).toMatchObject({ state: 'expired' });
    expect(runs).toEqual([]);
  });

  it('expires on its own timer, with the policy\'s expiry', async () => {
    const { adapter, store } = await app({ approvals: { policies: [{ command: 'probe', approvals: 1, approverRoles: ['approver'], expiryMinutes: 0.004 }] } });
    await adapter.deliver(message('!probe web prod'));
    const request = lastRequest(adapter);
    await eventually(async () => expect(await store.get(request.id)).toMatchObject({ state: 'expired' }));
    await eventually(() => expect(adapter.lastText()).toContain('expired without enough approvals'));
  });
});

describe.each(BACKENDS)('ApprovalService on %s: durable across a restart (point 8)', (backend) => {
  it('keeps a pending request through a restart; approving it afterwards runs it once', async () => {
    const where = shared(backend);
    const first = await app(HIGH_PROBE, where);
    await first.adapter.deliver(message('!probe web prod'));
    const request = lastRequest(first.adapter);
    await first.app.stop();

    const second = await app(HIGH_PROBE, where);
    await second.adapter.deliver(reaction(request.messageId, '✅'));
    await second.adapter.deliver(reaction(request.messageId, '✅', { as: 'carol' }));
    expect(first.runs).toEqual([]);
    expect(second.runs).toHaveLength(1);
    expect(await second.store.get(request.id)).toMatchObject({ state: 'succeeded' });
    expect(await second.audit.list({ action: 'command.executed' })).toHaveLength(1);
  });

  it('ends a request that expired while opsroom was down, and tells its channel once adapters are back', async () => {
    const clock = new FakeClock();
    const where = shared(backend);
    const first = await app(HIGH_PROBE, { ...where, clock });
    await first.adapter.deliver(message('!probe web prod'));
    const request = lastRequest(first.adapter);
    await first.app.stop();
    clock.advance(20 * 60_000);

    const second = await app(HIGH_PROBE, { ...where, clock });
    await eventually(async () => expect(await second.store.get(request.id)).toMatchObject({ state: 'expired' }));
    await eventually(() => expect(second.adapter.texts()).toEqual([
      expect.stringMatching(/^⌛ `probe web prod` .* expired at/),
      `alice: \`probe web prod\` (id ${request.id}) expired without enough approvals`,
    ]));
    expect(second.adapter.sent[0]).toMatchObject({ kind: 'update', messageId: request.messageId });
  });
});
