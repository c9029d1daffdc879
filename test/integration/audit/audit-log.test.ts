import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { AuditLogImpl } from '../../../src/audit/audit-log-impl.js';
import type { AuditRecord } from '../../../src/audit/audit-log.js';
import { GENESIS_HASH, hashEntry } from '../../../src/audit/audit-hash.js';
import { UserError } from '../../../src/core/errors.js';
import type { Database } from '../../../src/storage/database.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { BACKENDS, openTestDatabase } from '../../support/backends.js';

describe.each(BACKENDS)('AuditLog on %s', (kind) => {
  let logger: TestLogger;
  let clock: FakeClock;
  let database: Database;
  let audit: AuditLogImpl;

  beforeEach(async () => {
    logger = createTestLogger();
    clock = new FakeClock('2025-03-01T09:00:00.000Z');
    const opened = await openTestDatabase(kind, logger);
    onTestFinished(opened.cleanup);
    database = opened.database;
    audit = new AuditLogImpl(database, clock, logger);
  });
  afterEach(() => logger.assertNoErrors());

  async function seed(): Promise<void> {
    await audit.append({ action: 'command.received', actor: 'discord:user:1', platform: 'discord', channel: 'discord:channel:9', command: 'deploy', args: { service: 'web' }, invocationId: 'i1' });
    clock.advance(60_000);
    await audit.append({ action: 'command.executed', actor: 'discord:user:1', platform: 'discord', command: 'deploy', outcome: 'ok', durationMs: 1500, invocationId: 'i1' });
    clock.advance(60_000);
    await audit.append({ action: 'command.denied', actor: 'teams:user:2', platform: 'teams', command: 'restart', outcome: 'denied' });
    clock.advance(60_000);
    await audit.append({ action: 'plugin.installed', actor: 'system', detail: { plugin: 'deploy', version: '1.2.0' } });
  }

  it('chains entries: seq 1, 2, 3 with each prevHash the hash before it and the time from the clock', async () => {
    const first = await audit.append({ action: 'command.received', actor: 'discord:user:1' });
    clock.advance(1_000);
    const second = await audit.append({ action: 'command.executed', actor: 'discord:user:1', outcome: 'ok' });
    expect(first).toMatchObject({ seq: 1, at: '2025-03-01T09:00:00.000Z', prevHash: GENESIS_HASH, platform: null, args: null });
    expect(second).toMatchObject({ seq: 2, at: '2025-03-01T09:00:01.000Z', prevHash: first.hash, outcome: 'ok' });
    expect(second.hash).toBe(hashEntry(second));
  });

  it('returns from list exactly what append returned, newest first', async () => {
    const appended: AuditRecord[] = [];
    for (const n of [1, 2, 3]) appended.push(await audit.append({ action: 'command.executed', actor: 'local:user:alice', args: { n, nested: { list: [n, 'x'] } }, durationMs: n }));
    expect(await audit.list({})).toEqual(appended.reverse());
  });

  it('filters by actor, command, action, outcome and since, and honours the limit', async () => {
    await seed();
    const seqs = (records: AuditRecord[]): number[] => records.map((record) => record.seq);
    expect(seqs(await audit.list({ actor: 'discord:user:1' }))).toEqual([2, 1]);
    expect(seqs(await audit.list({ command: 'deploy', action: 'command.executed' }))).toEqual([2]);
    expect(seqs(await audit.list({ outcome: 'denied' }))).toEqual([3]);
    expect(seqs(await audit.list({ since: new Date('2025-03-01T09:02:00.000Z') }))).toEqual([4, 3]);
    expect(seqs(await audit.list({ limit: 2 }))).toEqual([4, 3]);
    expect(await audit.list({ actor: 'nobody' })).toEqual([]);
  });

  it('answers a bad list filter with a user error', async () => {
    await expect(audit.list({ limit: 0 })).rejects.toThrow(UserError);
    await expect(audit.list({ limit: 5000 })).rejects.toThrow('the audit list limit must be a whole number from 1 to 1000, got number 5000');
    await expect(audit.list({ since: new Date('soon') })).rejects.toThrow('the audit list "since" must be a valid date and time');
  });

  it('redacts secrets before they are stored or hashed', async () => {
    const record = await audit.append({
      action: 'command.executed', actor: 'discord:user:1',
      args: { service: 'web', token: 'ghp_live_value' }, detail: { headers: { Authorization: 'Bearer sk-live' } },
    });
    expect(record.args).toEqual({ service: 'web', token: '[redacted]' });
    const stored = await database.db.selectFrom('audit_log').select(['args', 'detail']).executeTakeFirstOrThrow();
    expect(`${stored.args} ${stored.detail}`).not.toMatch(/ghp_live_value|sk-live/);
    expect((await audit.verify()).ok).toBe(true);
  });

  it('exports every entry as one JSON line, oldest first, that re-hashes to its own hash', async () => {
    await seed();
    const lines: string[] = [];
    expect(await audit.export((line) => void lines.push(line))).toBe(4);
    expect(lines.every((line) => line.endsWith('\n') && !line.slice(0, -1).includes('\n'))).toBe(true);
    const records = lines.map((line) => JSON.parse(line) as AuditRecord);
    expect(records.map((record) => record.seq)).toEqual([1, 2, 3, 4]);
    expect(records.map((record) => hashEntry(record) === record.hash)).toEqual([true, true, true, true]);
    expect(records[3]).toMatchObject({ action: 'plugin.installed', actor: 'system', detail: { plugin: 'deploy', version: '1.2.0' } });
  });

  it('exports in pages, awaiting a slow writer, without losing or repeating an entry', async () => {
    for (let n = 0; n < 1_203; n += 1) await audit.append({ action: 'command.received', actor: 'system', args: { n } });
    const seen: number[] = [];
    const count = await audit.export(async (line) => {
      await Promise.resolve();
      seen.push((JSON.parse(line) as AuditRecord).seq);
    });
    expect(count).toBe(1_203);
    expect(seen).toEqual(Array.from({ length: 1_203 }, (_, index) => index + 1));
    expect(await audit.verify()).toEqual({ ok: true, entries: 1_203 });
  });

  it('never forks the chain when many appends are issued at once', async () => {
    await Promise.all(Array.from({ length: 60 }, (_, n) => audit.append({ action: 'command.received', actor: 'system', args: { n } })));
    expect(await audit.verify()).toEqual({ ok: true, entries: 60 });
  });

  it('keeps appending after an append failed', async () => {
    await expect(audit.append({ action: 'bad', actor: 'system' })).rejects.toThrow(/dotted lower-case name/);
    expect((await audit.append({ action: 'command.received', actor: 'system' })).seq).toBe(1);
  });

  it('reports an append the database refuses as a storage error naming the action', async () => {
    await database.close();
    await expect(audit.append({ action: 'command.received', actor: 'system' })).rejects.toMatchObject({
      code: 'E_STORAGE', message: expect.stringContaining('cannot append command.received to the audit log') as unknown,
    });
  });

  it('verifies an empty log', async () => {
    expect(await audit.verify()).toEqual({ ok: true, entries: 0 });
  });
});
