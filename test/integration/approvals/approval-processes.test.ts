import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ApprovalStoreImpl } from '../../../src/approvals/approval-store.js';
import { AuditLogImpl } from '../../../src/audit/audit-log-impl.js';
import { SystemClock } from '../../../src/core/clock.js';
import { createLogger } from '../../../src/core/logger.js';
import type { ConfigInput } from '../../../src/config/config-schema.js';
import { openDatabase, type OpenDatabaseOptions } from '../../../src/storage/database.js';
import { message, reaction } from '../../fakes/fake-adapter.js';
import { TEST_DATABASE_URL } from '../../support/backends.js';
import type { SentLine } from '../../support/opsroom-process.js';
import { testSchema } from './approval-harness.js';
import { startProcess } from './opsroom-processes.js';

const APPROVERS = Array.from({ length: 20 }, (_, i) => `approver${i}`);
const RBAC: ConfigInput['rbac'] = {
  roles: { operator: { permissions: ['*'] }, approver: { permissions: [] } },
  bindings: [
    { principal: 'local:user:alice', roles: ['operator'] },
    { principal: 'local:user:bob', roles: ['approver'] },
    ...APPROVERS.map((name) => ({ principal: `local:user:${name}`, roles: ['approver'] })),
  ],
};

const isRequest = (line: SentLine): boolean => line.kind === 'reply' && (line.reactions?.length ?? 0) > 0;
const isPong = (line: SentLine): boolean => line.kind === 'reply' && line.text === 'pong';

/** Opens the database the processes used, to read what they left; closed when the test finishes. */
async function inspect(options: OpenDatabaseOptions) {
  const database = await openDatabase(options, createLogger({ level: 'silent' }));
  onTestFinished(() => database.close());
  return { audit: new AuditLogImpl(database, new SystemClock(), createLogger({ level: 'silent' })), store: new ApprovalStoreImpl(database) };
}

function requestIdOf(line: SentLine): string {
  const id = /- id ([a-z0-9]{6})$/.exec(line.text ?? '')?.[1];
  if (!id) throw new Error(`the request names no id: ${line.text ?? ''}`);
  return id;
}

describe('approvals across a SIGKILL (point 8)', () => {
  it('keeps a pending request through a kill -9 and a restart; approving it then runs it exactly once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'opsroom-kill-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const storage = { sqlitePath: join(dir, 'opsroom.db') };
    const config: ConfigInput = { storage, http: { enabled: false }, rbac: RBAC, approvals: { risk: { ping: 'high' } } };

    const first = await startProcess(config);
    first.deliver(message('!ping', { as: 'alice' }));
    const posted = await first.waitFor(isRequest);
    const id = requestIdOf(posted);
    const { audit, store } = await inspect(storage);
    // Killed once the request is fully stored: a request is posted first and its message id stored right after.
    await until(async () => (await store.get(id))?.messageId === posted.messageId);
    expect(await first.kill('SIGKILL')).toBeNull();
    expect(first.sent.filter(isPong)).toEqual([]);
    expect(await store.get(id)).toMatchObject({ state: 'pending', messageId: posted.messageId });

    const second = await startProcess(config);
    second.deliver(reaction(posted.messageId, '✅', { as: 'bob' }));
    const pong = await second.waitFor(isPong);
    expect(pong.replyTo).toBe(posted.messageId);
    second.deliver(reaction(posted.messageId, '✅', { as: 'approver1' }), message(`!approve ${id}`, { as: 'approver2' }));
    await second.waitFor((line) => line.kind === 'reply' && (line.text ?? '').includes('no longer pending'));
    await second.stop();

    expect(second.sent.filter(isPong)).toHaveLength(1);
    expect(await store.get(id)).toMatchObject({ state: 'succeeded' });
    expect((await audit.list({ action: 'command.executed', command: 'ping' }))).toHaveLength(1);
    expect(await audit.verify()).toMatchObject({ ok: true });
  }, 60_000);
});

describe('approvals on one PostgreSQL database shared by two processes (point 9)', () => {
  it('releases exactly once when both processes see twenty approvals at the same moment', async () => {
    const storage = { databaseUrl: TEST_DATABASE_URL, schema: testSchema() };
    const config: ConfigInput = {
      storage, http: { enabled: false }, rbac: RBAC,
      approvals: { policies: [{ command: 'ping', approvals: 3, approverRoles: ['approver'] }] },
    };
    const processes = await Promise.all([startProcess(config), startProcess(config)]);
    const [a, b] = processes as [Awaited<ReturnType<typeof startProcess>>, Awaited<ReturnType<typeof startProcess>>];
    a.deliver(message('!ping', { as: 'alice', id: `ping-${randomBytes(3).toString('hex')}` }));
    const posted = await a.waitFor(isRequest);
    const id = requestIdOf(posted);

    // Each process gets every approval, under its own event ids (two gateways), so neither drops the other's as a duplicate.
    const votes = (tag: string) => APPROVERS.map((name) => ({ ...reaction(posted.messageId, '✅', { as: name }), id: `${tag}-${name}` }));
    a.deliver(...votes('a'));
    b.deliver(...votes('b'));
    await Promise.race([a.waitFor(isPong), b.waitFor(isPong)]);
    const { audit, store } = await inspect({ sqlitePath: ':unused:', ...storage });
    await until(async () => (await store.get(id))?.state === 'succeeded');
    await Promise.all([a.stop(), b.stop()]);

    expect([...a.sent, ...b.sent].filter(isPong)).toHaveLength(1);
    const approved = await audit.list({ action: 'approval.approved' });
    expect(approved).toHaveLength(1);
    expect(await audit.list({ action: 'command.executed', command: 'ping' })).toHaveLength(1);
    const approvers = (approved[0]?.detail?.approvers ?? []) as string[];
    expect(approvers).toHaveLength(3);
    const granted = (await audit.list({ action: 'approval.granted' })).map((r) => r.actor);
    expect([...granted].sort()).toEqual([...approvers].sort());
    const executed = (await audit.list({ action: 'command.executed', command: 'ping' }))[0];
    expect(executed?.seq).toBeGreaterThan(approved[0]?.seq ?? Infinity);
    expect(executed?.detail).toMatchObject({ approval: { requestId: id, approvers } });
    expect(await store.get(id)).toMatchObject({ state: 'succeeded' });
    expect(await audit.verify()).toMatchObject({ ok: true });
  }, 60_000);
});

async function until(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
