import { randomBytes } from 'node:crypto';
import { ContainerModule } from 'inversify';
import pg from 'pg';
import { onTestFinished } from 'vitest';
import { ApprovalService } from '../../../src/approvals/approval-service.js';
import { ApprovalStore } from '../../../src/approvals/approval-store.js';
import { AuditLog, type AuditRecord } from '../../../src/audit/audit-log.js';
import type { ConfigInput } from '../../../src/config/config-schema.js';
import { Clock } from '../../../src/core/clock.js';
import type { CommandSpec, Invocation } from '../../../src/core/command.js';
import { CommandRegistry } from '../../../src/routing/command-registry.js';
import type { FakeAdapter, SentRecord } from '../../fakes/fake-adapter.js';
import type { FakeClock } from '../../fakes/fake-clock.js';
import { TEST_DATABASE_URL, type Backend } from '../../support/backends.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

/** Roles and people for approval tests: alice operates, bob/carol/dave approve, erin manages releases, mallory has nothing. */
export const PEOPLE: ConfigInput['rbac'] = {
  roles: {
    operator: { permissions: ['*'] },
    approver: { permissions: ['approve'] },
    'release-manager': { permissions: ['approve'] },
    deployer: { permissions: ['deploy'] },
  },
  bindings: [
    { principal: 'local:user:alice', roles: ['operator', 'deployer'] },
    { principal: 'local:user:bob', roles: ['approver'] },
    { principal: 'local:user:carol', roles: ['approver', 'release-manager'] },
    { principal: 'local:user:dave', roles: ['approver', 'release-manager'] },
    { principal: 'local:user:erin', roles: ['release-manager', 'operator'] },
  ],
};

export const PROBE_SPEC: CommandSpec = {
  name: 'probe', description: 'records that it ran', permission: 'probe', risk: 'low',
  args: [{ name: 'service', type: 'string', required: true }, { name: 'env', type: 'enum', values: ['staging', 'prod'], required: true }],
};

export interface ApprovalApp extends TestApp {
  /** Every invocation the probe command ran, in order. */
  runs: Invocation[];
  audit: AuditLog;
  service: ApprovalService;
  store: ApprovalStore;
  registry: CommandRegistry;
  /** Removes the probe command, as disabling its plugin would. */
  unregisterProbe(): void;
}

export interface HarnessOptions {
  backend?: Backend;
  clock?: FakeClock;
  dir?: string;
  /** A PostgreSQL schema to reuse (a restart); a fresh one otherwise, dropped when the test finishes. */
  schema?: string;
  /** What the probe command's fingerprint says; change it to simulate an upgrade. */
  fingerprint?: () => string;
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

/** A fresh PostgreSQL schema name, dropped after the test (and after every app using it stopped). */
export function testSchema(): string {
  const schema = `test_appr_${randomBytes(5).toString('hex')}`;
  onTestFinished(() => dropSchema(schema));
  return schema;
}

/** A whole opsroom with the FakeAdapter, the PEOPLE above, and a `probe` command recording its runs. */
export async function startApprovalApp(input: ConfigInput = {}, options: HarnessOptions = {}): Promise<ApprovalApp> {
  const storage = options.backend === 'postgres'
    ? { databaseUrl: TEST_DATABASE_URL, schema: options.schema ?? testSchema() }
    : {};
  const extraModules = options.clock
    ? [new ContainerModule(({ rebind }) => { rebind(Clock).toConstantValue(options.clock as FakeClock); })]
    : [];
  const test = await startTestApp({ rbac: PEOPLE, ...input, storage: { ...storage, ...(input.storage ?? {}) } }, { extraModules, ...(options.dir ? { dir: options.dir } : {}) });
  const runs: Invocation[] = [];
  const registry = test.app.get<CommandRegistry>(CommandRegistry);
  const registration = registry.register('probe', PROBE_SPEC, async (invocation) => {
    runs.push(invocation);
    return `probed ${String(invocation.args.service)} in ${String(invocation.args.env)}`;
  }, options.fingerprint ? { fingerprint: options.fingerprint } : {});
  return {
    ...test, runs, registry, unregisterProbe: () => registration.dispose(),
    audit: test.app.get<AuditLog>(AuditLog), service: test.app.get<ApprovalService>(ApprovalService), store: test.app.get<ApprovalStore>(ApprovalStore),
  };
}

export interface PostedRequest {
  /** The request id, as the message names it. */
  id: string;
  messageId: string;
  record: SentRecord;
}

/** The latest approval request the bot posted (the message that invites reactions). */
export function lastRequest(adapter: FakeAdapter): PostedRequest {
  const record = [...adapter.sent].reverse().find((s) => s.message?.reactions?.length);
  if (!record?.message) throw new Error(`no approval request was posted; the bot sent: ${JSON.stringify(adapter.texts())}`);
  const id = /- id ([a-z0-9]{6})$/.exec(record.message.text)?.[1];
  if (!id) throw new Error(`the request message names no id: ${record.message.text}`);
  return { id, messageId: record.messageId, record };
}

/** What the bot sent after index `from`, as texts. */
export function textsSince(adapter: FakeAdapter, from: number): string[] {
  return adapter.sent.slice(from).filter((s) => s.message).map((s) => s.message?.text ?? '');
}

/** Audit actions about one invocation, oldest first. */
export async function actionsOf(audit: AuditLog, invocationId: string): Promise<AuditRecord[]> {
  const records = await audit.list({ limit: 1000 });
  return records.filter((r) => r.invocationId === invocationId).reverse();
}

/** Waits until `check` passes or the time runs out (then throws its last error). */
export async function eventually(check: () => void | Promise<void>, timeoutMs = 5_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}
