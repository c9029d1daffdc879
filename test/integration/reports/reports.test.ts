import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Container } from 'inversify';
import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { AuditLog, type AuditEntryInput } from '../../../src/audit/audit-log.js';
import { BuiltinCommand } from '../../../src/builtins/builtin-command.js';
import { validateConfig } from '../../../src/config/load-config.js';
import type { Invocation, ParsedArgs } from '../../../src/core/command.js';
import type { OutboundMessage } from '../../../src/core/message.js';
import { createContainer } from '../../../src/di/create-container.js';
import { COLORS } from '../../../src/reports/chart-svg.js';
import { openDatabase, type Database } from '../../../src/storage/database.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { createTestLogger } from '../../fakes/test-logger.js';
import { PNG_SIGNATURE, countColor, decodePng, inkedPixels } from '../../support/png.js';

const NOW = '2025-03-31T12:00:00.000Z';
const alice = 'local:user:alice';
const bob = 'local:user:bob';

/** The seeded history: what happened, when, in the order it happened. */
const SEED: Array<[string, AuditEntryInput]> = [
  ['2025-02-20T10:00:00Z', deploy('command.executed', 'web')],
  ['2025-03-10T08:00:00Z', push('acme/web', [['c1c1c1c1', '2025-03-09T08:00:00Z'], ['c2c2c2c2', '2025-03-10T06:00:00Z']])],
  ['2025-03-10T10:00:00Z', deploy('command.executed', 'web')],
  ['2025-03-12T09:00:00Z', push('acme/web', [['c3c3c3c3', '2025-03-12T08:00:00Z']])],
  ['2025-03-12T10:00:00Z', deploy('command.failed', 'web')],
  ['2025-03-13T10:00:00Z', deploy('command.executed', 'web')],
  ['2025-03-13T10:20:00Z', alert('firing', 'fp-a', 'web', '2025-03-13T10:20:00Z')],
  ['2025-03-13T10:50:00Z', alert('resolved', 'fp-a', 'web', '2025-03-13T10:20:00Z', '2025-03-13T10:50:00Z')],
  ['2025-03-15T09:00:00Z', { action: 'approval.requested', actor: alice, command: 'deploy', detail: { requestId: 'r1' } }],
  ['2025-03-15T09:12:00Z', { action: 'approval.approved', actor: bob, command: 'deploy', detail: { requestId: 'r1' } }],
  ['2025-03-16T09:00:00Z', { action: 'approval.requested', actor: alice, command: 'deploy', detail: { requestId: 'r2' } }],
  ['2025-03-16T09:36:00Z', { action: 'approval.approved', actor: bob, command: 'deploy', detail: { requestId: 'r2' } }],
  ['2025-03-18T08:00:00Z', run('command.executed', 'ping', alice)],
  ['2025-03-18T08:01:00Z', run('command.executed', 'ping', alice)],
  ['2025-03-18T08:02:00Z', run('command.executed', 'ping', bob)],
  ['2025-03-18T08:03:00Z', run('command.failed', 'status', bob)],
  ['2025-03-18T08:04:00Z', run('command.denied', 'audit', 'local:user:carol')],
  ['2025-03-20T09:00:00Z', push('acme/platform', [['c4c4c4c4', '2025-03-20T08:00:00Z']])],
  ['2025-03-20T12:00:00Z', deploy('command.executed', 'api')],
  ['2025-03-25T00:00:00Z', alert('firing', 'fp-b', 'db', '2025-03-25T00:00:00Z')],
  ['2025-03-25T02:00:00Z', alert('resolved', 'fp-b', 'db', '2025-03-25T00:00:00Z', '2025-03-25T02:00:00Z')],
  ['2025-03-27T10:00:00Z', push('acme/web', [['abc1234aaa', '2025-03-27T09:00:00Z'], ['def5678bbb', '2025-03-27T09:30:00Z']])],
  ['2025-03-28T10:00:00Z', deploy('command.executed', 'web', 'abc1234')],
  ['2025-03-30T00:00:00Z', alert('firing', 'fp-c', 'web', '2025-03-30T00:00:00Z')],
];

function deploy(action: string, service: string, ref?: string): AuditEntryInput {
  return { action, actor: alice, platform: 'local', channel: 'local:channel:ops', command: 'deploy', args: { service, env: 'prod', ...(ref ? { ref } : {}) }, outcome: action === 'command.executed' ? 'succeeded' : 'failed' };
}

function run(action: string, command: string, actor: string): AuditEntryInput {
  return { action, actor, platform: 'local', channel: 'local:channel:ops', command, args: {} };
}

function push(repo: string, commits: Array<[string, string]>): AuditEntryInput {
  return { action: 'feed.commits', actor: 'system', detail: { source: 'github', repo, branch: 'main', commits: commits.map(([id, at]) => ({ id, at })) } };
}

function alert(status: string, fingerprint: string, service: string, startsAt: string, endsAt?: string): AuditEntryInput {
  return { action: 'feed.alerts', actor: 'system', detail: { source: 'alertmanager', alerts: [{ fingerprint, name: 'HighErrorRate', service, status, startsAt, ...(endsAt ? { endsAt } : {}) }] } };
}

let dir: string;
let database: Database;
let container: Container;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'opsroom-reports-'));
  const config = validateConfig({
    storage: { sqlitePath: join(dir, 'opsroom.db') },
    plugins: { bundled: false, config: { deploy: { repository: 'acme/platform', repositories: { web: 'acme/web' } } } },
  }, 'reports test');
  const logger = createTestLogger('error');
  database = await openDatabase(config.storage, logger);
  const clock = new FakeClock('2025-02-01T00:00:00Z');
  container = createContainer({ config, logger, database, clock });
  const audit = container.get<AuditLog>(AuditLog);
  for (const [at, entry] of SEED) {
    clock.advance(Date.parse(at) - clock.now().getTime());
    await audit.append(entry);
  }
  clock.advance(Date.parse(NOW) - clock.now().getTime());
});

afterAll(async () => {
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

async function report(name: string, args: ParsedArgs = {}): Promise<OutboundMessage> {
  const command = container.getAll<BuiltinCommand>(BuiltinCommand).find((c) => c.spec.name === name);
  if (!command) throw new Error(`no built-in ${name}`);
  const defaults = Object.fromEntries(command.spec.args.filter((a) => a.default !== undefined).map((a) => [a.name, a.default]));
  const invocation: Invocation = {
    id: 'test', command: name, plugin: 'core', args: { ...defaults, ...args }, text: name, platform: 'local',
    actor: { id: alice, name: 'alice', isBot: false, groups: [] }, channel: { id: 'local:channel:ops', isDirect: false },
    source: { channelId: 'local:channel:ops', messageId: 'm1' },
  };
  return (await command.run(invocation)) as OutboundMessage;
}

describe('report deploys', () => {
  it('computes the four DORA figures of the seeded log', async () => {
    const lines = (await report('report deploys')).text.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      '**Deploys, the last 30 days**',
      '• Deployment frequency: 5 deploys in 30 days, 1.2 per week',
      '• Change failure rate: 40% (2 of 5: 1 failed to run, 1 followed by an alert of the service within 1 h)',
      '• Lead time for changes: median 1 d from commit to deploy, over 5 commits',
      '• Time to restore service: median 1.3 h from firing to resolved, over 2 incidents (1 still firing)',
    ]);
    expect(lines.slice(5, 11).join('\n')).toBe([
      '```', 'SERVICE  DEPLOYS  FAILED CHANGES', '───────  ───────  ──────────────', 'web            4               2', 'api            1               0', '```',
    ].join('\n'));
    expect(lines[11]).toBe('Deploys per day 2025-03-01 → 2025-03-31: ▁▁▁▁▁▁▁▁▁█▁██▁▁▁▁▁▁█▁▁▁▁▁▁▁█▁▁▁');
  });

  it('narrows every figure to one service', async () => {
    const lines = (await report('report deploys', { service: 'web' })).text.split('\n');
    expect(lines.slice(0, 5)).toEqual([
      '**Deploys, the last 30 days, service web**',
      '• Deployment frequency: 4 deploys in 30 days, 4 per month',
      '• Change failure rate: 50% (2 of 4: 1 failed to run, 1 followed by an alert of the service within 1 h)',
      '• Lead time for changes: median 1.1 d from commit to deploy, over 4 commits',
      '• Time to restore service: median 30 min from firing to resolved, over 1 incident (1 still firing)',
    ]);
  });

  it('attaches a PNG chart of 800×400 with the deploys drawn in', async () => {
    const [chart] = (await report('report deploys')).attachments ?? [];
    expect(chart).toMatchObject({ name: 'deploys.png', contentType: 'image/png' });
    const data = Buffer.from(chart?.data ?? []);
    expect(data.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    const png = decodePng(data);
    expect([png.width, png.height]).toEqual([800, 400]);
    expect(inkedPixels(png)).toBeGreaterThan(2000);
    expect(countColor(png, COLORS.ok)).toBeGreaterThan(500);
    expect(countColor(png, COLORS.failed)).toBeGreaterThan(500);
  });
});

describe('report commands', () => {
  it('counts runs, failures, denials, people and approval waits of the seeded log', async () => {
    const message = await report('report commands');
    const lines = message.text.split('\n');
    expect(lines.slice(0, 3)).toEqual([
      '**Commands, the last 30 days**',
      '• 9 runs; failure rate 22.2% (2); denial rate 10% (1 denied)',
      '• Approvals: 2 requested, 2 approved; median wait 24 min, longest 36 min',
    ]);
    expect(lines.slice(3, 10)).toEqual([
      '```', 'COMMAND  RUNS  FAILED  DENIED', '───────  ────  ──────  ──────',
      'deploy      5       1       0', 'ping        3       0       0', 'audit       0       0       1', 'status      1       1       0',
    ]);
    expect(lines.slice(11, 16)).toEqual(['```', 'WHO    RUNS', '─────  ────', 'alice     7', 'bob       2']);
    const png = decodePng(Buffer.from(message.attachments?.[0]?.data ?? []));
    expect([png.width, png.height]).toEqual([800, 84 + 4 * 28 + 24]);
    expect(countColor(png, COLORS.denied)).toBeGreaterThan(100);
  });
});
